//! One ranking from two: lines that contain the words asked for (FTS5, best first) and lines that
//! mean something close (cosine similarity of sentence vectors, best first), fused by reciprocal
//! rank, so a line both lists agree on comes first and neither list's scale has to be calibrated
//! against the other's.

use std::collections::HashMap;
use std::hash::Hash;

/// Below this cosine a line is not counted as meaning what was asked. all-MiniLM-L6-v2 puts
/// unrelated sentences around 0.0–0.2 and paraphrases above 0.5; chosen from that published
/// behaviour, not fitted to a test set.
pub const MIN_SIMILARITY: f32 = 0.3;

/// Reciprocal-rank fusion's constant (Cormack et al. 2009): damps the lead of the very first
/// places so agreement between the lists counts for more than a single list's top spot.
const RRF_K: f64 = 60.0;

/// A line in the fused ranking, by its key (a segment id here; a call and place in the team
/// library).
#[derive(Debug, Clone, PartialEq)]
pub struct Ranked<K = i64> {
    pub key: K,
    pub score: f64,
    /// It contains the words asked for.
    pub by_words: bool,
    /// How close its meaning is, when it was among the nearest lines.
    pub similarity: Option<f32>,
}

/// Fuses `by_words` (segment ids, best first) and `by_meaning` (segment id and cosine, best
/// first; those under [`MIN_SIMILARITY`] are dropped) into one list of at most `limit` lines.
pub fn fuse<K: Clone + Eq + Hash + Ord>(
    by_words: &[K],
    by_meaning: &[(K, f32)],
    limit: usize,
) -> Vec<Ranked<K>> {
    let mut fused: HashMap<K, Ranked<K>> = HashMap::new();
    for (rank, key) in by_words.iter().enumerate() {
        credit(&mut fused, key, rank).by_words = true;
    }
    let meaningful = by_meaning.iter().filter(|(_, s)| *s >= MIN_SIMILARITY);
    for (rank, (key, similarity)) in meaningful.enumerate() {
        credit(&mut fused, key, rank).similarity = Some(*similarity);
    }
    let mut ranked: Vec<Ranked<K>> = fused.into_values().collect();
    ranked.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(
                b.similarity
                    .unwrap_or(0.0)
                    .total_cmp(&a.similarity.unwrap_or(0.0)),
            )
            .then(b.key.cmp(&a.key))
    });
    ranked.truncate(limit);
    ranked
}

/// Adds a line's reciprocal-rank credit for its place in one list.
fn credit<'a, K: Clone + Eq + Hash>(
    fused: &'a mut HashMap<K, Ranked<K>>,
    key: &K,
    rank: usize,
) -> &'a mut Ranked<K> {
    let entry = fused.entry(key.clone()).or_insert_with(|| Ranked {
        key: key.clone(),
        score: 0.0,
        by_words: false,
        similarity: None,
    });
    entry.score += 1.0 / (RRF_K + rank as f64 + 1.0);
    entry
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_both_lists_find_comes_first() {
        let ranked = fuse(&[10, 20, 30], &[(30, 0.8), (40, 0.7)], 10);
        assert_eq!(ranked[0].key, 30);
        assert!(ranked[0].by_words && ranked[0].similarity == Some(0.8));
        let ids: Vec<i64> = ranked.iter().map(|r| r.key).collect();
        assert_eq!(ids.len(), 4);
        assert!(ids.contains(&40) && ids.contains(&10));
    }

    #[test]
    fn lines_that_mean_something_else_are_left_out() {
        let ranked = fuse(&[], &[(1, 0.6), (2, 0.29), (3, 0.1)], 10);
        let ids: Vec<i64> = ranked.iter().map(|r| r.key).collect();
        assert_eq!(ids, vec![1]);
        assert!(!ranked[0].by_words);
    }

    #[test]
    fn the_limit_holds_and_ties_are_stable() {
        let ranked = fuse(&[5, 6, 7], &[], 2);
        let ids: Vec<i64> = ranked.iter().map(|r| r.key).collect();
        assert_eq!(ids, vec![5, 6]);
    }
}
