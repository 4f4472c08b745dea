//! Sentence vectors of transcript lines, and the two searches the app ranks lines with: by words
//! (FTS5, best match first) and by meaning (nearest vectors). Vectors are stored as f16: half the
//! space, and a cosine that differs from f32's in the third decimal.

use rusqlite::params;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

use super::{Library, Result};

/// A transcript line found by a search, with its call, as a results list shows it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
pub struct LineMatch {
    pub call_id: i64,
    pub call_title: String,
    #[ts(type = "string")]
    pub call_started_at: chrono::DateTime<chrono::Utc>,
    pub segment_id: i64,
    pub speaker: String,
    pub start_ms: i64,
    pub text: String,
    /// It contains the words asked for.
    pub by_words: bool,
    /// How close its meaning is (cosine, 0–1), when it was found by meaning.
    pub similarity: Option<f32>,
}

fn to_blob(vector: &[f32]) -> Vec<u8> {
    vector
        .iter()
        .flat_map(|x| half::f16::from_f32(*x).to_le_bytes())
        .collect()
}

fn from_blob(blob: &[u8]) -> impl Iterator<Item = f32> + '_ {
    blob.chunks_exact(2)
        .map(|b| half::f16::from_le_bytes([b[0], b[1]]).to_f32())
}

/// Keeps the `limit` best (similarity, id) pairs seen.
struct Best {
    limit: usize,
    heap: BinaryHeap<Reverse<(OrderedSim, i64)>>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct OrderedSim(f32);
impl Eq for OrderedSim {}
impl PartialOrd for OrderedSim {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for OrderedSim {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0)
    }
}

impl Best {
    fn offer(&mut self, similarity: f32, id: i64) {
        if self.limit == 0 {
            return;
        }
        if self.heap.len() < self.limit {
            self.heap.push(Reverse((OrderedSim(similarity), id)));
        } else if self
            .heap
            .peek()
            .is_some_and(|Reverse((worst, _))| similarity > worst.0)
        {
            self.heap.pop();
            self.heap.push(Reverse((OrderedSim(similarity), id)));
        }
    }

    fn into_sorted(self) -> Vec<(i64, f32)> {
        let mut best: Vec<(i64, f32)> = self
            .heap
            .into_iter()
            .map(|Reverse((s, id))| (id, s.0))
            .collect();
        best.sort_by(|a, b| b.1.total_cmp(&a.1).then(b.0.cmp(&a.0)));
        best
    }
}

impl Library {
    /// The lines of a call that have no vector yet, with their text.
    pub fn lines_without_vectors(&self, call_id: i64) -> Result<Vec<(i64, String)>> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT s.id, s.text FROM segments s
                 LEFT JOIN segment_vectors v ON v.segment_id = s.id
                 WHERE s.call_id = ?1 AND v.segment_id IS NULL ORDER BY s.start_ms, s.id",
            )
            .map_err(|e| self.sql_error(e))?;
        let rows = stmt
            .query_map([call_id], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(|e| self.sql_error(e))?;
        rows.map(|r| r.map_err(|e| self.sql_error(e))).collect()
    }

    /// Ready calls with at least one line that has no vector, oldest first.
    pub fn calls_without_vectors(&self) -> Result<Vec<i64>> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT c.id FROM calls c WHERE c.status = 'ready' AND EXISTS (
                     SELECT 1 FROM segments s LEFT JOIN segment_vectors v ON v.segment_id = s.id
                     WHERE s.call_id = c.id AND v.segment_id IS NULL)
                 ORDER BY c.id",
            )
            .map_err(|e| self.sql_error(e))?;
        let rows = stmt
            .query_map([], |r| r.get(0))
            .map_err(|e| self.sql_error(e))?;
        rows.map(|r| r.map_err(|e| self.sql_error(e))).collect()
    }

    /// Stores the vectors of lines of `call_id`. A line that is gone meanwhile (a new transcript
    /// replaced it) is skipped: its vector would describe text that no longer exists.
    pub fn store_line_vectors(
        &mut self,
        call_id: i64,
        vectors: &[(i64, Vec<f32>)],
    ) -> Result<usize> {
        let path = self.path.clone();
        let err = |e| super::error::classify(&path, e);
        let tx = self.transaction()?;
        let mut stored = 0;
        {
            let mut insert = tx
                .prepare_cached(
                    "INSERT OR REPLACE INTO segment_vectors (segment_id, call_id, vector)
                     SELECT id, call_id, ?3 FROM segments WHERE id = ?1 AND call_id = ?2",
                )
                .map_err(err)?;
            for (segment_id, vector) in vectors {
                stored += insert
                    .execute(params![segment_id, call_id, to_blob(vector)])
                    .map_err(err)?;
            }
        }
        // A call shared before its lines had vectors goes to the team again, with them.
        if stored > 0 {
            super::team::queue_calls(
                &tx,
                &format!(
                    "SELECT id FROM calls WHERE id = {call_id}
                     AND EXISTS (SELECT 1 FROM team_membership)"
                ),
            )
            .map_err(err)?;
        }
        tx.commit().map_err(err)?;
        Ok(stored)
    }

    /// The vectors of a call's lines, by line id (a line without one is absent).
    pub fn line_vectors(&self, call_id: i64) -> Result<HashMap<i64, Vec<f32>>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT segment_id, vector FROM segment_vectors WHERE call_id = ?1")
            .map_err(|e| self.sql_error(e))?;
        let mut rows = stmt.query([call_id]).map_err(|e| self.sql_error(e))?;
        let mut vectors = HashMap::new();
        while let Some(row) = rows.next().map_err(|e| self.sql_error(e))? {
            let id: i64 = row.get(0).map_err(|e| self.sql_error(e))?;
            let blob = row.get_ref(1).map_err(|e| self.sql_error(e))?;
            let bytes = blob.as_blob().map_err(|e| self.sql_error(e.into()))?;
            vectors.insert(id, from_blob(bytes).collect());
        }
        Ok(vectors)
    }

    /// How many lines of ready calls have a vector, and how many lines ready calls have (a call
    /// still recording or processing gets its vectors when it is ready).
    pub fn vector_coverage(&self) -> Result<(i64, i64)> {
        self.conn
            .query_row(
                "SELECT (SELECT count(*) FROM segment_vectors v JOIN calls c ON c.id = v.call_id
                         WHERE c.status = 'ready'),
                        (SELECT count(*) FROM segments s JOIN calls c ON c.id = s.call_id
                         WHERE c.status = 'ready')",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(|e| self.sql_error(e))
    }

    /// The `limit` lines whose vectors are nearest `query` (a unit vector), best first. A scan
    /// of every vector: a rep's library (thousands of calls) reads in well under a second.
    pub fn nearest_lines(&self, query: &[f32], limit: usize) -> Result<Vec<(i64, f32)>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT segment_id, vector FROM segment_vectors")
            .map_err(|e| self.sql_error(e))?;
        let mut rows = stmt.query([]).map_err(|e| self.sql_error(e))?;
        let mut best = Best {
            limit,
            heap: BinaryHeap::new(),
        };
        while let Some(row) = rows.next().map_err(|e| self.sql_error(e))? {
            let id: i64 = row.get(0).map_err(|e| self.sql_error(e))?;
            let blob = row.get_ref(1).map_err(|e| self.sql_error(e))?;
            let bytes = blob.as_blob().map_err(|e| self.sql_error(e.into()))?;
            let similarity: f32 = from_blob(bytes).zip(query).map(|(a, b)| a * b).sum();
            best.offer(similarity, id);
        }
        Ok(best.into_sorted())
    }

    /// Up to `limit` lines containing every word of `text` (FTS5's bm25 order, best first).
    pub fn lines_with_words(&self, text: &str, limit: usize) -> Result<Vec<i64>> {
        let Some(query) = super::search::fts_query(text) else {
            return Ok(Vec::new());
        };
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT rowid FROM segments_fts WHERE segments_fts MATCH ?1
                 ORDER BY rank LIMIT ?2",
            )
            .map_err(|e| self.sql_error(e))?;
        let rows = stmt
            .query_map(params![query, limit as i64], |r| r.get(0))
            .map_err(|e| self.sql_error(e))?;
        rows.map(|r| r.map_err(|e| self.sql_error(e))).collect()
    }

    /// The line `segment_id` with its call, as a search result.
    pub fn line_match(&self, segment_id: i64) -> Result<LineMatch> {
        self.conn
            .query_row(
                "SELECT s.call_id, c.title, c.started_at, s.id, s.speaker, s.start_ms, s.text
                 FROM segments s JOIN calls c ON c.id = s.call_id WHERE s.id = ?1",
                [segment_id],
                |r| {
                    Ok(LineMatch {
                        call_id: r.get(0)?,
                        call_title: r.get(1)?,
                        call_started_at: super::calls::parse_column(
                            r,
                            2,
                            super::types::parse_time,
                        )?,
                        segment_id: r.get(3)?,
                        speaker: r.get(4)?,
                        start_ms: r.get(5)?,
                        text: r.get(6)?,
                        by_words: false,
                        similarity: None,
                    })
                },
            )
            .map_err(|e| self.sql_error(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vectors_survive_the_f16_round_trip_closely() {
        let v: Vec<f32> = (0..384).map(|i| ((i as f32) * 0.37).sin() / 13.9).collect();
        let back: Vec<f32> = from_blob(&to_blob(&v)).collect();
        assert_eq!(back.len(), 384);
        let worst = v
            .iter()
            .zip(&back)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0f32, f32::max);
        assert!(worst < 1e-3, "{worst}");
    }

    #[test]
    fn best_keeps_the_top_in_order() {
        let mut best = Best {
            limit: 2,
            heap: BinaryHeap::new(),
        };
        for (s, id) in [(0.1, 1), (0.9, 2), (0.5, 3), (0.7, 4)] {
            best.offer(s, id);
        }
        assert_eq!(best.into_sorted(), vec![(2, 0.9), (4, 0.7)]);
    }
}
