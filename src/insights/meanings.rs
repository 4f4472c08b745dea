//! What the sentence model adds to the rules when it is installed (the `semantic` module): two
//! action items that say the same task in different words are kept as one.
//!
//! Tried and not kept, each measured on labelled calls the rules were never tuned on:
//! - deciding from a line's vector whether it states a task (a logistic regression over the
//!   tuning sets' lines, checked set by set on the tuning sets alone): the lines the rules take
//!   wrongly for tasks look like tasks to it too, and the tasks they miss do not stand out;
//! - splitting topics by meaning instead of by words (`tests/insights_quality.rs`, the seams of
//!   calls laid back to back): better on the tuning sets' calls (33 of 41 seams against 23), not
//!   on the never-tuned sets' (21 of 34 against 22).
//!
//! The model is reached through [`Meanings`], so the insights stay pure functions and free of the
//! model's runtime; without it every insight comes from the rules alone, and
//! [`crate::insights::Insights::by_meaning`] says so.

use super::ActionItem;

/// Sentence vectors (unit length, so a dot product is a cosine similarity).
pub trait Meanings {
    /// One vector per text, in order; `None` when they cannot be had (the rules then stand
    /// alone for the whole call).
    fn texts(&self, texts: &[&str]) -> Option<Vec<Vec<f32>>>;
}

/// Cosine similarity of two unit vectors.
fn cosine(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// How alike two of one owner's tasks must be to be the same task said twice. Short imperative
/// tasks about one person or thing sit close together: on the development set "Talk to Carla's
/// manager this afternoon" and "Send Carla's manager's contact info" are 0.86 alike.
const SAME_TASK: f32 = 0.9;

/// Keeps the first of two items of one owner whose tasks mean the same ("Send the security
/// questionnaire" and, ten minutes later, "Get the completed questionnaire back to you"); the
/// rules already merge restatements that share words, this catches those that do not. The kept
/// item takes the later one's due date when it had none.
pub(super) fn merge_same_tasks(items: Vec<ActionItem>, vectors: &[Vec<f32>]) -> Vec<ActionItem> {
    let mut kept: Vec<(ActionItem, &[f32])> = Vec::new();
    for (item, vector) in items.into_iter().zip(vectors) {
        let same = kept
            .iter_mut()
            .find(|(k, v)| k.owner == item.owner && cosine(v, vector) >= SAME_TASK);
        match same {
            Some((k, _)) => {
                if k.due.is_none() {
                    k.due = item.due;
                }
            }
            None => kept.push((item, vector)),
        }
    }
    kept.into_iter().map(|(item, _)| item).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(text: &str, owner: &str, due: Option<(i32, u32, u32)>, segment: i64) -> ActionItem {
        ActionItem {
            text: text.into(),
            owner: owner.into(),
            due: due.and_then(|(y, m, d)| chrono::NaiveDate::from_ymd_opt(y, m, d)),
            segment,
            done: false,
        }
    }

    #[test]
    fn the_same_task_of_one_owner_is_kept_once_with_the_later_date() {
        let items = vec![
            item("Send the questionnaire", "rep", None, 3),
            item("Book the workshop", "customer", None, 5),
            item("Get the questionnaire back", "rep", Some((2025, 3, 7)), 40),
        ];
        let vectors = vec![vec![1.0, 0.0], vec![0.0, 1.0], vec![0.95, 0.312]];
        let merged = merge_same_tasks(items, &vectors);
        assert_eq!(merged.len(), 2);
        assert_eq!(merged[0].segment, 3);
        assert_eq!(merged[0].due, chrono::NaiveDate::from_ymd_opt(2025, 3, 7));
    }

    #[test]
    fn alike_tasks_of_different_owners_or_unlike_tasks_stay_apart() {
        let items = vec![
            item("Send the questionnaire", "rep", None, 3),
            item("Send the questionnaire", "customer", None, 4),
            item("Book the workshop", "rep", None, 9),
        ];
        let vectors = vec![vec![1.0, 0.0], vec![1.0, 0.0], vec![0.8, 0.6]];
        assert_eq!(merge_same_tasks(items, &vectors).len(), 3);
    }
}
