//! Stored conversation intelligence: the insights body, action items, keywords and the term
//! statistics that weigh a call's keywords against the user's own history.

use chrono::{NaiveDate, Utc};
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};

use super::types::*;
use super::{Library, Result, StorageError};

/// What the insights engine produced for one call, ready to store.
#[derive(Debug, Clone)]
pub struct InsightsRecord {
    pub body: serde_json::Value,
    pub sentiment_score: Option<f64>,
    pub sentiment_label: Option<String>,
    pub action_items: Vec<NewActionItem>,
    pub keywords: Vec<NewKeyword>,
    /// The call's distinct terms, for document frequencies.
    pub terms: BTreeSet<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewActionItem {
    pub text: String,
    pub owner: String,
    pub due: Option<NaiveDate>,
    pub segment_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewKeyword {
    pub term: String,
    pub count: i64,
    pub tracked: bool,
    pub first_mention_ms: Option<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, ts_rs::TS)]
pub struct ActionItem {
    pub id: i64,
    pub call_id: i64,
    pub text: String,
    pub owner: String,
    pub due: Option<NaiveDate>,
    pub segment: Option<i64>,
    pub done: bool,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ActionItemUpdate {
    pub done: Option<bool>,
    pub text: Option<String>,
    pub due: Option<Option<NaiveDate>>,
}

pub use crate::domain::TrackedKeyword;

impl Library {
    /// Replaces a call's insights. Action items the user already checked off or edited are kept,
    /// and a recomputed item with the same text does not come back as a duplicate.
    pub fn save_insights(&mut self, call_id: i64, record: &InsightsRecord) -> Result<()> {
        self.require_call(call_id)?;
        let path = self.path.clone();
        let err = |e| super::error::classify(&path, e);
        let tx = self.transaction()?;
        tx.execute(
            "INSERT INTO insights (call_id, computed_at, sentiment_score, sentiment_label, body)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (call_id) DO UPDATE SET computed_at = excluded.computed_at,
                 sentiment_score = excluded.sentiment_score,
                 sentiment_label = excluded.sentiment_label, body = excluded.body",
            params![
                call_id,
                format_time(Utc::now()),
                record.sentiment_score,
                record.sentiment_label,
                record.body.to_string()
            ],
        )
        .map_err(err)?;
        tx.execute(
            "DELETE FROM action_items WHERE call_id = ?1 AND done = 0 AND edited = 0",
            [call_id],
        )
        .map_err(err)?;
        let kept: BTreeSet<String> = {
            let mut stmt = tx
                .prepare("SELECT lower(text) FROM action_items WHERE call_id = ?1")
                .map_err(err)?;
            let rows = stmt.query_map([call_id], |r| r.get(0)).map_err(err)?;
            rows.collect::<rusqlite::Result<_>>().map_err(err)?
        };
        for item in &record.action_items {
            if kept.contains(&item.text.to_lowercase()) {
                continue;
            }
            tx.execute(
                "INSERT INTO action_items (call_id, text, owner, due_date, segment_id)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    call_id,
                    item.text,
                    item.owner,
                    item.due.map(|d| d.to_string()),
                    item.segment_id
                ],
            )
            .map_err(err)?;
        }
        tx.execute("DELETE FROM keywords WHERE call_id = ?1", [call_id])
            .map_err(err)?;
        for k in &record.keywords {
            tx.execute(
                "INSERT OR REPLACE INTO keywords (call_id, term, count, tracked, first_mention_ms)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![call_id, k.term, k.count, k.tracked, k.first_mention_ms],
            )
            .map_err(err)?;
        }
        tx.execute("DELETE FROM call_terms WHERE call_id = ?1", [call_id])
            .map_err(err)?;
        for term in &record.terms {
            tx.execute(
                "INSERT INTO call_terms (call_id, term) VALUES (?1, ?2)",
                params![call_id, term],
            )
            .map_err(err)?;
        }
        tx.commit().map_err(err)
    }

    /// The stored insights body of a call, if insights were computed.
    pub fn insights(&self, call_id: i64) -> Result<Option<serde_json::Value>> {
        let body: Option<String> = self
            .conn
            .query_row(
                "SELECT body FROM insights WHERE call_id = ?1",
                [call_id],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.sql_error(e))?;
        body.map(|b| {
            serde_json::from_str(&b).map_err(|e| StorageError::Corrupt {
                path: self.path.clone(),
                detail: format!("stored insights of call {call_id} are not valid JSON: {e}"),
            })
        })
        .transpose()
    }

    /// Ready calls whose stored insights say the rules alone found their action items (the
    /// sentence model was not used) and that hold two or more of them, in any language; the
    /// caller decides which the model can help. A body that is not JSON is skipped here (reading
    /// that call's insights reports it).
    pub fn calls_with_items_by_rules_alone(&self) -> Result<Vec<i64>> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT c.id FROM calls c JOIN insights i ON i.call_id = c.id
                 WHERE c.status = 'ready' AND json_valid(i.body)
                   AND coalesce(json_extract(i.body, '$.by_meaning'), 0) = 0
                   AND coalesce(json_array_length(i.body, '$.action_items'), 0) > 1
                 ORDER BY c.id",
            )
            .map_err(|e| self.sql_error(e))?;
        let rows = stmt
            .query_map([], |r| r.get(0))
            .map_err(|e| self.sql_error(e))?;
        rows.map(|r| r.map_err(|e| self.sql_error(e))).collect()
    }

    pub fn action_items(&self, call_id: i64) -> Result<Vec<ActionItem>> {
        self.query_list(
            "SELECT id, call_id, text, owner, due_date, segment_id, done
             FROM action_items WHERE call_id = ?1 ORDER BY id",
            call_id,
            action_item_from_row,
        )
    }

    pub fn update_action_item(&mut self, id: i64, update: &ActionItemUpdate) -> Result<ActionItem> {
        if let Some(text) = &update.text {
            if text.trim().is_empty() {
                return Err(StorageError::Invalid {
                    what: "action item",
                    detail: "its text is empty".into(),
                });
            }
        }
        let changed = self
            .writer()?
            .execute(
                "UPDATE action_items SET
                    done = coalesce(?2, done),
                    text = coalesce(?3, text),
                    due_date = CASE WHEN ?4 THEN ?5 ELSE due_date END,
                    edited = edited OR ?3 IS NOT NULL OR ?4,
                    updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),
                    updated_by = NULL
                 WHERE id = ?1",
                params![
                    id,
                    update.done,
                    update.text.as_deref().map(str::trim),
                    update.due.is_some(),
                    update.due.flatten().map(|d| d.to_string())
                ],
            )
            .map_err(|e| self.sql_error(e))?;
        if changed == 0 {
            return Err(StorageError::Invalid {
                what: "action item",
                detail: format!("there is no action item with id {id}"),
            });
        }
        self.conn
            .query_row(
                "SELECT id, call_id, text, owner, due_date, segment_id, done FROM action_items WHERE id = ?1",
                [id],
                action_item_from_row,
            )
            .map_err(|e| self.sql_error(e))
    }

    /// Number of calls with terms, and in how many of them each term occurs.
    pub fn term_stats(&self) -> Result<(u64, HashMap<String, u64>)> {
        let calls: i64 = self
            .conn
            .query_row("SELECT count(DISTINCT call_id) FROM call_terms", [], |r| {
                r.get(0)
            })
            .map_err(|e| self.sql_error(e))?;
        let mut stmt = self
            .conn
            .prepare_cached("SELECT term, calls FROM term_doc_freq")
            .map_err(|e| self.sql_error(e))?;
        let rows = stmt
            .query_map([], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?.max(0) as u64))
            })
            .map_err(|e| self.sql_error(e))?;
        let freq = rows
            .collect::<rusqlite::Result<HashMap<_, _>>>()
            .map_err(|e| self.sql_error(e))?;
        Ok((calls.max(0) as u64, freq))
    }

    pub fn tracked_keywords(&self) -> Result<Vec<TrackedKeyword>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT term, category FROM tracked_keywords ORDER BY category, term")
            .map_err(|e| self.sql_error(e))?;
        let rows = stmt
            .query_map([], |r| {
                Ok(TrackedKeyword {
                    term: r.get(0)?,
                    category: r.get(1)?,
                })
            })
            .map_err(|e| self.sql_error(e))?;
        rows.map(|r| r.map_err(|e| self.sql_error(e))).collect()
    }

    pub fn set_tracked_keywords(&mut self, keywords: &[TrackedKeyword]) -> Result<()> {
        let path = self.path.clone();
        let err = |e| super::error::classify(&path, e);
        let tx = self.transaction()?;
        tx.execute("DELETE FROM tracked_keywords", [])
            .map_err(err)?;
        for k in keywords.iter().filter(|k| !k.term.trim().is_empty()) {
            tx.execute(
                "INSERT OR REPLACE INTO tracked_keywords (term, category) VALUES (?1, ?2)",
                params![k.term.trim(), k.category.trim()],
            )
            .map_err(err)?;
        }
        tx.commit().map_err(err)
    }
}

fn action_item_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ActionItem> {
    let due: Option<String> = r.get(4)?;
    Ok(ActionItem {
        id: r.get(0)?,
        call_id: r.get(1)?,
        text: r.get(2)?,
        owner: r.get(3)?,
        due: due.and_then(|d| d.parse().ok()),
        segment: r.get(5)?,
        done: r.get(6)?,
    })
}
