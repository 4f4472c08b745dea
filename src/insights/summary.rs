//! The summary a rep pastes into a CRM: the call's topics, each with a heading and the concrete
//! things said under it (amounts, dates, names, decisions); then "Next steps" (the action items)
//! and "Customer concerns" (objections and risks the customer raised). Every line links to its
//! segments.
//!
//! Topics come from [`topics`]. Within each, sentences are ranked by TextRank over the whole
//! call, with a bonus for concrete facts, and picked with maximal marginal relevance (MMR) so no
//! two say the same. Lines are quoted with their speaker and tidied of fillers.

mod facts;
mod topics;

use facts::{concerns, is_concrete};
pub use topics::blocks as topic_blocks;

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::keywords::call_terms;
use super::text::{is_stop_word, sentences, stem, tidy_sentence, words};
use super::{ActionItem, Language, TermStats, Utterance};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct SummaryBullet {
    pub text: String,
    pub segments: Vec<i64>,
    /// Summaries stored before sections existed read as topic lines.
    #[serde(default)]
    pub section: SummarySection,
    /// The topic's heading, shared by the lines of one topic; `None` outside topics, or for a
    /// topic with no term worth naming.
    #[serde(default)]
    pub heading: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum SummarySection {
    #[default]
    Topic,
    NextStep,
    Concern,
}

/// Lines per topic, and next steps and customer concerns listed at most: the summary stays a
/// page however long the call (the action items list has every item).
const FACTS_PER_TOPIC: usize = 2;
const MAX_NEXT_STEPS: usize = 6;
const MAX_CONCERNS: usize = 4;
/// How much a concrete fact (a number, a name, a date, a decision) adds to a sentence's rank.
const FACT_BONUS: f64 = 0.5;

/// Lines for a call that is one topic.
const SINGLE_TOPIC_LINES: usize = 3;
const MIN_CONTENT_WORDS: usize = 4;
const DAMPING: f64 = 0.85;
const ITERATIONS: usize = 30;
/// MMR trade-off: relevance vs. novelty against bullets already chosen.
const MMR_LAMBDA: f64 = 0.65;
const REDUNDANCY_CUTOFF: f64 = 0.4;
/// TextRank compares every pair of candidates, so time and memory grow with their square: a
/// transcript of 100,000 cues would need tens of gigabytes. Beyond this many sentences (about
/// three hours of talk) only the most content-laden are ranked, keeping the summary linear in
/// the call's length, with at most ~18 MB for the matrix.
const MAX_CANDIDATES: usize = 1500;

/// Small talk and call logistics: never worth a bullet.
const SMALL_TALK: [&str; 22] = [
    "how are you",
    "how's your",
    "how was your",
    "weekend",
    "weather",
    "can you hear",
    "hear me",
    "see my screen",
    "on mute",
    "thanks for",
    "thank you for",
    "talk soon",
    "have a good",
    "nice to meet",
    "good to see",
    "sorry i'm late",
    "bye",
    "happy friday",
    "holiday season",
    "my pleasure",
    "appreciate you",
    "for making the time",
];

struct Candidate {
    text: String,
    segment: i64,
    /// Says a number, a name, a date or a decision.
    concrete: bool,
    vector: Vec<(String, f64)>,
}

pub fn summarize(
    utterances: &[Utterance],
    language: Language,
    history: &TermStats,
    action_items: &[ActionItem],
    participants: &[String],
) -> Vec<SummaryBullet> {
    let mut out = topic_lines(utterances, language, history, participants);
    if out.is_empty() {
        // Too short to say anything about: no next steps or concerns without a summary either.
        return out;
    }
    out.extend(
        action_items
            .iter()
            .take(MAX_NEXT_STEPS)
            .map(|item| SummaryBullet {
                text: item.text.clone(),
                segments: vec![item.segment],
                section: SummarySection::NextStep,
                heading: None,
            }),
    );
    out.extend(concerns(utterances, language));
    out
}

/// The topics, each with up to [`FACTS_PER_TOPIC`] lines, in call order.
fn topic_lines(
    utterances: &[Utterance],
    language: Language,
    history: &TermStats,
    participants: &[String],
) -> Vec<SummaryBullet> {
    let candidates = most_informative(candidates(utterances, language, history));
    if candidates.is_empty() {
        return Vec::new();
    }
    let n = candidates.len();
    let mut similarity = vec![0.0; n * n];
    for i in 0..n {
        for j in (i + 1)..n {
            let s = cosine(&candidates[i].vector, &candidates[j].vector);
            similarity[i * n + j] = s;
            similarity[j * n + i] = s;
        }
    }
    let rank = pagerank(&similarity, n);
    let max_rank = rank
        .iter()
        .cloned()
        .fold(f64::MIN, f64::max)
        .max(f64::EPSILON);
    let score: Vec<f64> = (0..n)
        .map(|i| {
            rank[i] / max_rank
                + if candidates[i].concrete {
                    FACT_BONUS
                } else {
                    0.0
                }
        })
        .collect();
    let excluded: Vec<String> = participants.iter().flat_map(|p| words(p)).collect();
    let position: HashMap<i64, usize> = utterances
        .iter()
        .enumerate()
        .map(|(i, u)| (u.id, i))
        .collect();
    let blocks = topics::blocks(utterances, language);
    let whole = call_terms(utterances, language, &excluded);
    let per_topic = if blocks.len() == 1 {
        SINGLE_TOPIC_LINES
    } else {
        FACTS_PER_TOPIC
    };
    let mut chosen: Vec<usize> = Vec::new();
    let mut out = Vec::new();
    for block in &blocks {
        let inside: Vec<usize> = (0..n)
            .filter(|&i| {
                position
                    .get(&candidates[i].segment)
                    .is_some_and(|p| block.contains(p))
            })
            .collect();
        let mut picked: Vec<usize> = Vec::new();
        while picked.len() < per_topic {
            let best = inside
                .iter()
                .copied()
                .filter(|i| !picked.contains(i))
                .map(|i| {
                    let redundancy = chosen
                        .iter()
                        .chain(&picked)
                        .map(|&c| similarity[i * n + c])
                        .fold(0.0, f64::max);
                    (i, redundancy)
                })
                // Near-duplicates of a chosen line are out, whatever their rank.
                .filter(|(_, redundancy)| *redundancy < REDUNDANCY_CUTOFF)
                .map(|(i, redundancy)| (i, MMR_LAMBDA * score[i] - (1.0 - MMR_LAMBDA) * redundancy))
                .max_by(|a, b| a.1.total_cmp(&b.1));
            match best {
                Some((i, _)) => picked.push(i),
                None => break,
            }
        }
        if picked.is_empty() {
            continue;
        }
        picked.sort_by_key(|&i| (candidates[i].segment, i));
        let heading = topics::heading(utterances, block, &whole, language, &excluded);
        for &i in &picked {
            out.push(SummaryBullet {
                text: candidates[i].text.clone(),
                segments: vec![candidates[i].segment],
                section: SummarySection::Topic,
                heading: heading.clone(),
            });
        }
        chosen.extend(picked);
    }
    out
}

fn candidates(utterances: &[Utterance], language: Language, history: &TermStats) -> Vec<Candidate> {
    let mut out = Vec::new();
    for u in utterances {
        for sentence in sentences(&u.text) {
            let lower = sentence.text.to_lowercase();
            if sentence.text.ends_with('?')
                || (language == Language::En && SMALL_TALK.iter().any(|p| lower.contains(p)))
            {
                continue;
            }
            let mut counts: HashMap<String, f64> = HashMap::new();
            for w in words(sentence.text) {
                if w.chars().count() >= 3 && !is_stop_word(&w, language) {
                    *counts.entry(stem(&w, language)).or_insert(0.0) += 1.0;
                }
            }
            if counts.values().sum::<f64>() < MIN_CONTENT_WORDS as f64 {
                continue;
            }
            let calls = history.calls as f64;
            let mut vector: Vec<(String, f64)> = counts
                .into_iter()
                .map(|(term, tf)| {
                    let df = history.doc_freq.get(&term).copied().unwrap_or(0) as f64;
                    let idf = ((1.0 + calls) / (1.0 + df)).ln() + 1.0;
                    (term, tf * idf)
                })
                .collect();
            let norm = vector.iter().map(|(_, w)| w * w).sum::<f64>().sqrt();
            vector.iter_mut().for_each(|(_, w)| *w /= norm);
            vector.sort_by(|a, b| a.0.cmp(&b.0));
            let text = tidy_sentence(sentence.text);
            out.push(Candidate {
                text: format!("{}: {}", u.speaker, text),
                segment: u.id,
                concrete: is_concrete(sentence.text),
                vector,
            });
        }
    }
    out
}

/// At most [`MAX_CANDIDATES`] candidates, those with the most distinct content terms, in call
/// order.
fn most_informative(mut candidates: Vec<Candidate>) -> Vec<Candidate> {
    if candidates.len() <= MAX_CANDIDATES {
        return candidates;
    }
    let mut order: Vec<usize> = (0..candidates.len()).collect();
    // Stable: among equals the earlier sentence wins, so the result does not depend on sorting.
    order.sort_by_key(|&i| std::cmp::Reverse(candidates[i].vector.len()));
    let mut keep = vec![false; candidates.len()];
    order
        .into_iter()
        .take(MAX_CANDIDATES)
        .for_each(|i| keep[i] = true);
    let mut index = 0;
    candidates.retain(|_| {
        index += 1;
        keep[index - 1]
    });
    candidates
}

/// Cosine of two sorted, unit-length sparse vectors.
fn cosine(a: &[(String, f64)], b: &[(String, f64)]) -> f64 {
    let (mut i, mut j, mut dot) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                dot += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    dot
}

fn pagerank(similarity: &[f64], n: usize) -> Vec<f64> {
    let out_weight: Vec<f64> = (0..n)
        .map(|i| similarity[i * n..(i + 1) * n].iter().sum())
        .collect();
    let mut rank = vec![1.0 / n as f64; n];
    for _ in 0..ITERATIONS {
        let mut next = vec![(1.0 - DAMPING) / n as f64; n];
        for j in 0..n {
            if out_weight[j] <= 0.0 {
                continue;
            }
            let share = DAMPING * rank[j] / out_weight[j];
            for (i, value) in next.iter_mut().enumerate() {
                *value += similarity[j * n + i] * share;
            }
        }
        rank = next;
    }
    rank
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::insights::Role;

    fn u(id: i64, text: &str) -> Utterance {
        Utterance {
            id,
            speaker: "Dave".into(),
            role: Role::Customer,
            start_ms: id * 10_000,
            end_ms: id * 10_000 + 9000,
            text: text.into(),
        }
    }

    #[test]
    fn picks_distinct_topics_and_skips_small_talk() {
        let call = [
            u(1, "Hi, how are you doing this fine weekend with the weather?"),
            u(2, "Um, so our dispatcher builds delivery routes by hand every morning in spreadsheets."),
            u(3, "The delivery routes spreadsheets take the dispatcher two hours every morning."),
            u(4, "Our Netsuite order system must integrate with any routing tool we buy."),
            u(5, "Budget approval above ten thousand dollars needs the operations director."),
            u(6, "Can you send me the pricing for forty drivers?"),
        ];
        let bullets = summarize(&call, Language::En, &TermStats::default(), &[], &[]);
        assert_eq!(bullets.len(), 3);
        assert!(bullets.iter().all(|b| b.section == SummarySection::Topic));
        let segs: Vec<i64> = bullets.iter().flat_map(|b| b.segments.clone()).collect();
        assert!(!segs.contains(&1) && !segs.contains(&6));
        assert!(
            !(segs.contains(&2) && segs.contains(&3)),
            "redundant bullets: {bullets:?}"
        );
        assert!(bullets
            .iter()
            .any(|b| b.text.starts_with("Dave: Our dispatcher")
                || b.text.starts_with("Dave: The delivery")));
    }

    #[test]
    fn empty_call_has_no_summary() {
        assert!(summarize(&[], Language::En, &TermStats::default(), &[], &[]).is_empty());
    }

    #[test]
    fn topics_have_headings_then_next_steps_and_concerns() {
        let rep = |id: i64, text: &str| Utterance {
            role: Role::Rep,
            speaker: "Ana".into(),
            ..u(id, text)
        };
        let mut call = Vec::new();
        // Two topics: the routing problem, then pricing.
        for i in 0..9 {
            call.push(u(
                2 * i + 1,
                &format!("Our dispatcher plans delivery routes in spreadsheets, route {i} takes an hour."),
            ));
            call.push(rep(
                2 * i + 2,
                "The routing engine plans delivery routes for every driver.",
            ));
        }
        for i in 9..18 {
            call.push(rep(
                2 * i + 1,
                &format!("Pricing is forty dollars per driver per month, {i} drivers included."),
            ));
            call.push(u(
                2 * i + 2,
                "That pricing is more than we budgeted for drivers.",
            ));
        }
        let items = [ActionItem {
            text: "Send the revised pricing".into(),
            owner: "rep".into(),
            due: None,
            segment: 35,
            done: false,
        }];
        let bullets = summarize(&call, Language::En, &TermStats::default(), &items, &[]);
        let topics: Vec<&SummaryBullet> = bullets
            .iter()
            .filter(|b| b.section == SummarySection::Topic)
            .collect();
        let headings: Vec<&str> = topics.iter().filter_map(|b| b.heading.as_deref()).collect();
        assert!(
            headings.iter().any(|h| h.to_lowercase().contains("rout")),
            "{bullets:#?}"
        );
        assert!(
            headings.iter().any(|h| ["pric", "dollar", "driver"]
                .iter()
                .any(|w| h.to_lowercase().contains(w))),
            "{bullets:#?}"
        );
        assert_eq!(
            topics.first().and_then(|b| b.heading.as_deref()),
            headings.first().copied(),
            "topics come in call order"
        );
        let next: Vec<&SummaryBullet> = bullets
            .iter()
            .filter(|b| b.section == SummarySection::NextStep)
            .collect();
        assert_eq!(next.len(), 1);
        assert_eq!(next[0].segments, [35]);
        let concerns: Vec<&SummaryBullet> = bullets
            .iter()
            .filter(|b| b.section == SummarySection::Concern)
            .collect();
        assert_eq!(
            concerns.len(),
            1,
            "one worry said nine times is one concern: {concerns:#?}"
        );
        assert!(concerns[0].text.contains("more than we budgeted"));
    }
}
