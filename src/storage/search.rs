//! Full-text search over transcripts (FTS5).

use rusqlite::params;
use std::collections::HashSet;

use super::types::SearchHit;
use super::{Library, Result};

impl Library {
    /// Transcript lines matching `text`, most recently stored first.
    pub fn search(&self, text: &str, limit: usize) -> Result<Vec<SearchHit>> {
        let Some(query) = fts_query(text) else {
            return Ok(Vec::new());
        };
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT s.call_id, s.id, s.speaker, s.start_ms,
                        snippet(segments_fts, 0, '[', ']', '…', 12)
                 FROM segments_fts JOIN segments s ON s.id = segments_fts.rowid
                 WHERE segments_fts MATCH ?1
                 ORDER BY segments_fts.rowid DESC LIMIT ?2",
            )
            .map_err(|e| self.sql_error(e))?;
        let rows = stmt
            .query_map(params![query, limit as i64], |r| {
                Ok(SearchHit {
                    call_id: r.get(0)?,
                    segment_id: r.get(1)?,
                    speaker: r.get(2)?,
                    start_ms: r.get(3)?,
                    snippet: r.get(4)?,
                })
            })
            .map_err(|e| self.sql_error(e))?;
        rows.map(|r| r.map_err(|e| self.sql_error(e))).collect()
    }

    /// Ids of up to `wanted` calls whose transcript matches, newest segments first. Walking the index
    /// by descending rowid stops as soon as enough calls are found, so a common word costs no more
    /// than a rare one.
    pub(super) fn calls_matching(
        &self,
        text: &str,
        wanted: usize,
        passes: &mut dyn FnMut(i64) -> Result<bool>,
    ) -> Result<Vec<i64>> {
        let Some(query) = fts_query(text) else {
            return Ok(Vec::new());
        };
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT s.call_id FROM segments_fts JOIN segments s ON s.id = segments_fts.rowid
                 WHERE segments_fts MATCH ?1 ORDER BY segments_fts.rowid DESC",
            )
            .map_err(|e| self.sql_error(e))?;
        let mut rows = stmt.query([query]).map_err(|e| self.sql_error(e))?;
        let mut seen = HashSet::new();
        let mut ids = Vec::new();
        while ids.len() < wanted {
            let Some(row) = rows.next().map_err(|e| self.sql_error(e))? else {
                break;
            };
            let id: i64 = row.get(0).map_err(|e| self.sql_error(e))?;
            if seen.insert(id) && passes(id)? {
                ids.push(id);
            }
        }
        Ok(ids)
    }
}

/// Turns what a person typed into an FTS5 query: every word must appear, quotes keep FTS5's
/// operators from being triggered by accident, and a trailing `*` still asks for a prefix.
pub(super) fn fts_query(text: &str) -> Option<String> {
    let terms: Vec<String> = text
        .split_whitespace()
        .filter_map(|word| {
            let prefix = word.ends_with('*');
            let clean: String = word
                .chars()
                .filter(|c| c.is_alphanumeric() || *c == '\'' || *c == '-')
                .collect();
            if clean.is_empty() {
                return None;
            }
            let quoted = format!("\"{}\"", clean.replace('"', ""));
            Some(if prefix { format!("{quoted}*") } else { quoted })
        })
        .collect();
    (!terms.is_empty()).then(|| terms.join(" "))
}

#[cfg(test)]
mod tests {
    use super::fts_query;

    #[test]
    fn quotes_words_and_keeps_prefixes() {
        assert_eq!(
            fts_query("pricing  NEXT*"),
            Some("\"pricing\" \"NEXT\"*".into())
        );
        assert_eq!(fts_query("AND OR ( ) :"), Some("\"AND\" \"OR\"".into()));
        assert_eq!(fts_query("  \"  "), None);
    }
}
