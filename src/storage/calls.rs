//! Calls, their participants, consent receipts and transcript segments.

use chrono::{DateTime, Utc};
use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, Connection, OptionalExtension, Row};
use std::path::PathBuf;

use super::types::*;
use super::{Library, Result, StorageError};

const SUMMARY_COLUMNS: &str =
    "c.id, c.title, c.started_at, c.duration_ms, c.language, c.source, c.status,
    (SELECT group_concat(p.name, char(31)) FROM participants p WHERE p.call_id = c.id),
    (SELECT count(*) FROM segments s WHERE s.call_id = c.id),
    (SELECT i.sentiment_label FROM insights i WHERE i.call_id = c.id), c.transcribed_with";

impl Library {
    pub fn create_call(&mut self, call: &NewCall) -> Result<i64> {
        if call.title.trim().is_empty() {
            return Err(StorageError::Invalid {
                what: "call title",
                detail: "it is empty".into(),
            });
        }
        let path = self.path.clone();
        let tx = self.transaction()?;
        tx.execute(
            "INSERT INTO calls (title, started_at, language, source, status, audio_dir, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                call.title.trim(),
                format_time(call.started_at),
                call.language,
                call.source.as_str(),
                call.status.as_str(),
                call.audio_dir
                    .as_ref()
                    .map(|d| d.to_string_lossy().into_owned()),
                format_time(Utc::now()),
            ],
        )
        .map_err(|e| super::error::classify(&path, e))?;
        let id = tx.last_insert_rowid();
        for p in &call.participants {
            insert_participant(&tx, id, p).map_err(|e| super::error::classify(&path, e))?;
        }
        super::contacts::link_call_by_email(&tx, id)
            .map_err(|e| super::error::classify(&path, e))?;
        audit(
            &tx,
            "call.created",
            &format!("call {id}"),
            call.source.as_str(),
        )
        .map_err(|e| super::error::classify(&path, e))?;
        tx.commit().map_err(|e| super::error::classify(&path, e))?;
        Ok(id)
    }

    pub fn add_participant(&mut self, call_id: i64, participant: &NewParticipant) -> Result<i64> {
        self.require_call(call_id)?;
        insert_participant(self.writer()?, call_id, participant).map_err(|e| self.sql_error(e))?;
        Ok(self.conn.last_insert_rowid())
    }

    pub fn record_consent(&mut self, call_id: i64, receipt: &NewConsentReceipt) -> Result<i64> {
        self.require_call(call_id)?;
        let path = self.path.clone();
        let err = |e| super::error::classify(&path, e);
        let tx = self.transaction()?;
        tx.execute(
            "INSERT INTO consent_receipts (call_id, participant_name, participant_email, decision,
                 decided_at, notice_version, language, method)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                call_id,
                receipt.participant_name,
                receipt.participant_email,
                receipt.decision.as_str(),
                format_time(receipt.decided_at),
                receipt.notice_version,
                receipt.language,
                receipt.method.as_str(),
            ],
        )
        .map_err(err)?;
        let id = tx.last_insert_rowid();
        let detail = format!(
            "{} via {} (notice {})",
            receipt.decision, receipt.method, receipt.notice_version
        );
        audit(&tx, "consent.recorded", &format!("call {call_id}"), &detail).map_err(err)?;
        tx.commit().map_err(err)?;
        Ok(id)
    }

    pub fn set_call_status(&mut self, call_id: i64, status: CallStatus) -> Result<()> {
        let changed = self
            .writer()?
            .execute(
                "UPDATE calls SET status = ?2 WHERE id = ?1",
                params![call_id, status.as_str()],
            )
            .map_err(|e| self.sql_error(e))?;
        if changed == 0 {
            return Err(StorageError::CallNotFound(call_id));
        }
        Ok(())
    }

    /// Records which model made the call's transcript (an installed model's name).
    pub fn set_transcribed_with(&mut self, call_id: i64, model: &str) -> Result<()> {
        let changed = self
            .writer()?
            .execute(
                "UPDATE calls SET transcribed_with = ?2 WHERE id = ?1",
                params![call_id, model],
            )
            .map_err(|e| self.sql_error(e))?;
        if changed == 0 {
            return Err(StorageError::CallNotFound(call_id));
        }
        Ok(())
    }

    /// Marks a call recorded with everyone on one channel (see [`CallDetail::one_channel`]).
    pub fn set_one_channel(&mut self, call_id: i64) -> Result<()> {
        self.require_call(call_id)?;
        self.writer()?
            .execute("UPDATE calls SET one_channel = 1 WHERE id = ?1", [call_id])
            .map_err(|e| self.sql_error(e))?;
        Ok(())
    }

    /// Points a call at the folder holding its recordings.
    pub fn set_audio_dir(&mut self, call_id: i64, dir: &std::path::Path) -> Result<()> {
        let changed = self
            .writer()?
            .execute(
                "UPDATE calls SET audio_dir = ?2 WHERE id = ?1",
                params![call_id, dir.to_string_lossy()],
            )
            .map_err(|e| self.sql_error(e))?;
        if changed == 0 {
            return Err(StorageError::CallNotFound(call_id));
        }
        Ok(())
    }

    /// Ids of calls in a state, oldest first (e.g. recordings a crash interrupted).
    pub fn calls_with_status(&self, status: CallStatus) -> Result<Vec<i64>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id FROM calls WHERE status = ?1 ORDER BY id")
            .map_err(|e| self.sql_error(e))?;
        let rows = stmt
            .query_map([status.as_str()], |r| r.get(0))
            .map_err(|e| self.sql_error(e))?;
        rows.map(|r| r.map_err(|e| self.sql_error(e))).collect()
    }

    /// Records when a call ended and how long its audio or transcript runs.
    pub fn finish_call(
        &mut self,
        call_id: i64,
        ended_at: DateTime<Utc>,
        duration_ms: i64,
    ) -> Result<()> {
        let changed = self
            .writer()?
            .execute(
                "UPDATE calls SET ended_at = ?2, duration_ms = ?3 WHERE id = ?1",
                params![call_id, format_time(ended_at), duration_ms],
            )
            .map_err(|e| self.sql_error(e))?;
        if changed == 0 {
            return Err(StorageError::CallNotFound(call_id));
        }
        Ok(())
    }

    /// Appends transcript segments in one transaction and returns their ids in order.
    pub fn append_segments(&mut self, call_id: i64, segments: &[NewSegment]) -> Result<Vec<i64>> {
        self.require_call(call_id)?;
        let path = self.path.clone();
        let err = |e| super::error::classify(&path, e);
        let tx = self.transaction()?;
        let ids = insert_segments(&tx, call_id, segments).map_err(err)?;
        tx.commit().map_err(err)?;
        Ok(ids)
    }

    /// Swaps a call's whole transcript (e.g. live segments for the final pass) atomically.
    pub fn replace_segments(&mut self, call_id: i64, segments: &[NewSegment]) -> Result<Vec<i64>> {
        self.require_call(call_id)?;
        let path = self.path.clone();
        let err = |e| super::error::classify(&path, e);
        let tx = self.transaction()?;
        tx.execute("DELETE FROM segments WHERE call_id = ?1", [call_id])
            .map_err(err)?;
        // Voices were told apart on the old lines; a new transcript is diarized afresh.
        tx.execute("DELETE FROM call_voices WHERE call_id = ?1", [call_id])
            .map_err(err)?;
        let ids = insert_segments(&tx, call_id, segments).map_err(err)?;
        tx.commit().map_err(err)?;
        Ok(ids)
    }

    pub fn list_calls(&self, query: &CallQuery) -> Result<Vec<CallSummary>> {
        let limit = if query.limit == 0 { 50 } else { query.limit };
        let (filter, filter_params) = filter_clause(query);
        if let Some(text) = query.search.as_deref().filter(|t| !t.trim().is_empty()) {
            let check_sql =
                format!("SELECT EXISTS (SELECT 1 FROM calls c WHERE c.id = ? AND {filter})");
            let mut check = self
                .conn
                .prepare_cached(&check_sql)
                .map_err(|e| self.sql_error(e))?;
            let mut passes = |id: i64| -> Result<bool> {
                let mut values = vec![Value::Integer(id)];
                values.extend(filter_params.iter().cloned());
                check
                    .query_row(params_from_iter(values), |r| r.get(0))
                    .map_err(|e| self.sql_error(e))
            };
            let ids = self.calls_matching(text, limit + query.offset, &mut passes)?;
            let mut calls = ids
                .into_iter()
                .skip(query.offset)
                .map(|id| self.call_summary(id))
                .collect::<Result<Vec<_>>>()?;
            calls.sort_by(|a, b| b.started_at.cmp(&a.started_at).then(b.id.cmp(&a.id)));
            return Ok(calls);
        }
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS} FROM calls c WHERE {filter}
             ORDER BY c.started_at DESC, c.id DESC LIMIT {limit} OFFSET {}",
            query.offset
        );
        let mut stmt = self
            .conn
            .prepare_cached(&sql)
            .map_err(|e| self.sql_error(e))?;
        let rows = stmt
            .query_map(params_from_iter(filter_params), summary_from_row)
            .map_err(|e| self.sql_error(e))?;
        rows.map(|r| r.map_err(|e| self.sql_error(e))).collect()
    }

    pub fn call_count(&self) -> Result<i64> {
        self.conn
            .query_row("SELECT count(*) FROM calls", [], |r| r.get(0))
            .map_err(|e| self.sql_error(e))
    }

    pub fn call_summary(&self, call_id: i64) -> Result<CallSummary> {
        let sql = format!("SELECT {SUMMARY_COLUMNS} FROM calls c WHERE c.id = ?1");
        self.conn
            .query_row(&sql, [call_id], summary_from_row)
            .optional()
            .map_err(|e| self.sql_error(e))?
            .ok_or(StorageError::CallNotFound(call_id))
    }

    pub fn call(&self, call_id: i64) -> Result<CallDetail> {
        let summary = self.call_summary(call_id)?;
        let (ended_at, audio_dir, one_channel): (Option<String>, Option<String>, bool) = self
            .conn
            .query_row(
                "SELECT ended_at, audio_dir, one_channel FROM calls WHERE id = ?1",
                [call_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .map_err(|e| self.sql_error(e))?;
        Ok(CallDetail {
            summary,
            ended_at: ended_at.as_deref().and_then(parse_time),
            audio_dir: audio_dir.map(PathBuf::from),
            one_channel,
            participants: self.participants(call_id)?,
            consent: self.consent_receipts(call_id)?,
            transcript: self.segments(call_id)?,
            capture_notes: self.capture_notes(call_id)?,
        })
    }

    /// The audit entries capture wrote about this call (actions `capture.*`), oldest first.
    fn capture_notes(&self, call_id: i64) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT detail FROM audit_log WHERE subject = ?1 AND action LIKE 'capture.%' ORDER BY id",
            )
            .map_err(|e| self.sql_error(e))?;
        let rows = stmt
            .query_map([format!("call {call_id}")], |r| r.get::<_, String>(0))
            .map_err(|e| self.sql_error(e))?;
        rows.map(|r| r.map_err(|e| self.sql_error(e))).collect()
    }

    pub fn participants(&self, call_id: i64) -> Result<Vec<Participant>> {
        self.query_list(
            "SELECT id, name, email, role FROM participants WHERE call_id = ?1 ORDER BY id",
            call_id,
            |r| {
                Ok(Participant {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    email: r.get(2)?,
                    role: parse_column(r, 3, Role::parse)?,
                })
            },
        )
    }

    pub fn consent_receipts(&self, call_id: i64) -> Result<Vec<ConsentReceipt>> {
        self.query_list(
            "SELECT id, participant_name, participant_email, decision, decided_at, notice_version,
                    language, method
             FROM consent_receipts WHERE call_id = ?1 ORDER BY id",
            call_id,
            |r| {
                Ok(ConsentReceipt {
                    id: r.get(0)?,
                    participant_name: r.get(1)?,
                    participant_email: r.get(2)?,
                    decision: parse_column(r, 3, Decision::parse)?,
                    decided_at: parse_column(r, 4, parse_time)?,
                    notice_version: r.get(5)?,
                    language: r.get(6)?,
                    method: parse_column(r, 7, ConsentMethod::parse)?,
                })
            },
        )
    }

    pub fn segments(&self, call_id: i64) -> Result<Vec<Segment>> {
        self.query_list(
            "SELECT id, speaker, role, start_ms, end_ms, text, confidence
             FROM segments WHERE call_id = ?1 ORDER BY start_ms, id",
            call_id,
            |r| {
                Ok(Segment {
                    id: r.get(0)?,
                    speaker: r.get(1)?,
                    role: parse_column(r, 2, Role::parse)?,
                    start_ms: r.get(3)?,
                    end_ms: r.get(4)?,
                    text: r.get(5)?,
                    confidence: r.get(6)?,
                })
            },
        )
    }

    pub(super) fn require_call(&self, call_id: i64) -> Result<()> {
        let exists: bool = self
            .conn
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM calls WHERE id = ?1)",
                [call_id],
                |r| r.get(0),
            )
            .map_err(|e| self.sql_error(e))?;
        if exists {
            Ok(())
        } else {
            Err(StorageError::CallNotFound(call_id))
        }
    }

    pub(super) fn query_list<T>(
        &self,
        sql: &str,
        id: i64,
        map: impl FnMut(&Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<Vec<T>> {
        let mut stmt = self
            .conn
            .prepare_cached(sql)
            .map_err(|e| self.sql_error(e))?;
        let rows = stmt.query_map([id], map).map_err(|e| self.sql_error(e))?;
        rows.map(|r| r.map_err(|e| self.sql_error(e))).collect()
    }
}

fn insert_participant(
    conn: &rusqlite::Connection,
    call_id: i64,
    p: &NewParticipant,
) -> rusqlite::Result<usize> {
    conn.execute(
        "INSERT INTO participants (call_id, name, email, role) VALUES (?1, ?2, ?3, ?4)",
        params![
            call_id,
            p.name.trim(),
            p.email.as_deref().map(str::trim),
            p.role.as_str()
        ],
    )
}

fn insert_segments(
    tx: &Connection,
    call_id: i64,
    segments: &[NewSegment],
) -> rusqlite::Result<Vec<i64>> {
    let mut stmt = tx.prepare_cached(
        "INSERT INTO segments (call_id, speaker, role, start_ms, end_ms, text, confidence)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    let mut ids = Vec::with_capacity(segments.len());
    for s in segments {
        stmt.execute(params![
            call_id,
            s.speaker,
            s.role.as_str(),
            s.start_ms,
            s.end_ms.max(s.start_ms),
            s.text.trim(),
            s.confidence
        ])?;
        ids.push(tx.last_insert_rowid());
    }
    Ok(ids)
}

pub(super) fn audit(
    conn: &rusqlite::Connection,
    action: &str,
    subject: &str,
    detail: &str,
) -> rusqlite::Result<usize> {
    conn.execute(
        "INSERT INTO audit_log (at, action, subject, detail) VALUES (?1, ?2, ?3, ?4)",
        params![format_time(Utc::now()), action, subject, detail],
    )
}

/// Reads a text column into one of the library's enums; a value we never write means the file was
/// edited by hand or by a newer Zapis.
pub(super) fn parse_column<T>(
    row: &Row<'_>,
    index: usize,
    parse: impl Fn(&str) -> Option<T>,
) -> rusqlite::Result<T> {
    let text: String = row.get(index)?;
    parse(&text).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            index,
            rusqlite::types::Type::Text,
            format!("unexpected value {text:?}").into(),
        )
    })
}

fn summary_from_row(r: &Row<'_>) -> rusqlite::Result<CallSummary> {
    let names: Option<String> = r.get(7)?;
    Ok(CallSummary {
        id: r.get(0)?,
        title: r.get(1)?,
        started_at: parse_column(r, 2, parse_time)?,
        duration_ms: r.get(3)?,
        language: r.get(4)?,
        source: parse_column(r, 5, CallSource::parse)?,
        status: parse_column(r, 6, CallStatus::parse)?,
        participants: names
            .map(|n| n.split('\u{1f}').map(str::to_owned).collect())
            .unwrap_or_default(),
        segments: r.get(8)?,
        sentiment: r.get(9)?,
        transcribed_with: r.get(10)?,
    })
}

/// The WHERE clause (over `calls c`) and its parameters for a query's filters.
fn filter_clause(query: &CallQuery) -> (String, Vec<Value>) {
    let mut clauses = vec!["1".to_string()];
    let mut values = Vec::new();
    if let Some(email) = query
        .contact_email
        .as_deref()
        .map(str::trim)
        .filter(|e| !e.is_empty())
    {
        clauses.push(
            "(c.id IN (SELECT cc.call_id FROM call_contacts cc JOIN contacts k ON k.id = cc.contact_id
                       WHERE k.email = ?)
              OR c.id IN (SELECT p.call_id FROM participants p WHERE p.email = ?))"
                .into(),
        );
        values.push(Value::Text(email.into()));
        values.push(Value::Text(email.into()));
    }
    if let Some(label) = &query.sentiment {
        clauses
            .push("(SELECT i.sentiment_label FROM insights i WHERE i.call_id = c.id) = ?".into());
        values.push(Value::Text(label.clone()));
    }
    if let Some(since) = query.since {
        clauses.push("c.started_at >= ?".into());
        values.push(Value::Text(format!("{since}T00:00:00Z")));
    }
    if let Some(until) = query.until.and_then(|d| d.succ_opt()) {
        clauses.push("c.started_at < ?".into());
        values.push(Value::Text(format!("{until}T00:00:00Z")));
    }
    (clauses.join(" AND "), values)
}
