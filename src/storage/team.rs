//! The local half of the team library: which team this library is joined to, what the rep chose
//! to share, the outbox of changed calls (filled by the triggers of migration 6), and consistent
//! snapshots of a call to push. What may be shared is decided here, from the stored consent
//! receipts, so no front end can push a call someone did not agree to.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, OptionalExtension};
use serde::Serialize;

use super::calls::{audit, parse_column};
use super::types::*;
use super::{Library, Result, StorageError};

/// The team a library is joined to (`zapis team join`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct Membership {
    /// The server's address without a password.
    pub server: String,
    /// The rep's PostgreSQL role on that server.
    pub rep: String,
    #[ts(type = "string")]
    pub joined_at: DateTime<Utc>,
    pub policy: SharePolicy,
    #[ts(type = "string | null")]
    pub last_sync_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    /// The newest teammate edit already applied here (server time).
    #[ts(type = "string | null")]
    pub pulled_until: Option<DateTime<Utc>>,
    /// The newest team erasure already applied here.
    pub erasures_seen: i64,
}

/// Which calls go to the team when the rep has not chosen for a call or its contact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "kebab-case")]
pub enum SharePolicy {
    /// Only calls the rep shares, one by one or by contact (the default).
    ChosenCalls,
    /// Every call everyone consented to, unless the rep keeps one out.
    AllCalls,
}

impl SharePolicy {
    pub fn as_str(self) -> &'static str {
        match self {
            SharePolicy::ChosenCalls => "chosen-calls",
            SharePolicy::AllCalls => "all-calls",
        }
    }

    pub fn parse(text: &str) -> Option<SharePolicy> {
        match text {
            "chosen-calls" => Some(SharePolicy::ChosenCalls),
            "all-calls" => Some(SharePolicy::AllCalls),
            _ => None,
        }
    }
}

/// One call waiting to be pushed (or deleted on the server).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OutboxEntry {
    pub id: i64,
    pub global_id: String,
    pub call_id: i64,
    /// How many changes the entry stands for; a push marks it done only if no change came
    /// after the snapshot it pushed.
    pub changes: i64,
}

/// Why a call stays on this machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "kebab-case")]
pub enum NotShared {
    /// Still recording or being transcribed.
    NotReady,
    /// Someone declined or withdrew, or a participant has no granted receipt.
    ConsentMissing,
    /// The rep did not share it (or kept it out).
    NotChosen,
}

/// A call as the team library stores it, read in one transaction.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CallSnapshot {
    pub global_id: String,
    pub title: String,
    pub started_at: DateTime<Utc>,
    pub duration_ms: i64,
    pub language: String,
    pub source: String,
    /// The CRM account of the call's contacts, which decides which teammates see it.
    pub account: Option<String>,
    pub sentiment_label: Option<String>,
    pub sentiment_score: Option<f64>,
    pub insights: Option<serde_json::Value>,
    pub participants: Vec<Participant>,
    pub consent: Vec<ConsentReceipt>,
    pub segments: Vec<Segment>,
    pub action_items: Vec<SharedActionItem>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SharedActionItem {
    pub global_id: String,
    pub text: String,
    pub owner: String,
    pub due: Option<NaiveDate>,
    pub done: bool,
    pub edited: bool,
    /// When someone last changed it by hand, and who (None: this rep). The rep's own changes
    /// carry this machine's clock, a teammate's the server's (see `apply_teammate_edit`).
    pub updated_at: Option<DateTime<Utc>>,
    pub updated_by: Option<String>,
}

/// A teammate's change to one of this rep's action items, from the server.
#[derive(Debug, Clone, PartialEq)]
pub struct TeammateEdit {
    pub global_id: String,
    pub text: String,
    pub due: Option<NaiveDate>,
    pub done: bool,
    pub updated_at: DateTime<Utc>,
    pub updated_by: String,
}

const NOW: &str = "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')";

impl Library {
    pub fn team_membership(&self) -> Result<Option<Membership>> {
        self.conn
            .query_row(
                "SELECT server, rep, joined_at, share_policy, last_sync_at, last_error,
                        pulled_until, erasures_seen
                 FROM team_membership WHERE id = 1",
                [],
                |r| {
                    Ok(Membership {
                        server: r.get(0)?,
                        rep: r.get(1)?,
                        joined_at: parse_column(r, 2, parse_time)?,
                        policy: parse_column(r, 3, SharePolicy::parse)?,
                        last_sync_at: optional_time(r, 4)?,
                        last_error: r.get(5)?,
                        pulled_until: optional_time(r, 6)?,
                        erasures_seen: r.get(7)?,
                    })
                },
            )
            .optional()
            .map_err(|e| self.sql_error(e))
    }

    /// Joins a team (replacing an earlier membership) and queues every call, so the first sync
    /// pushes whatever the policy and the rep's choices share.
    pub fn join_team(&mut self, server: &str, rep: &str, policy: SharePolicy) -> Result<()> {
        let path = self.path.clone();
        let err = |e| super::error::classify(&path, e);
        let tx = self.transaction()?;
        tx.execute("DELETE FROM team_outbox", []).map_err(err)?;
        tx.execute(
            &format!(
                "INSERT OR REPLACE INTO team_membership (id, server, rep, joined_at, share_policy)
                 VALUES (1, ?1, ?2, {NOW}, ?3)"
            ),
            params![server, rep, policy.as_str()],
        )
        .map_err(err)?;
        queue_calls(&tx, "SELECT id FROM calls").map_err(err)?;
        audit(&tx, "team.joined", "team", rep).map_err(err)?;
        tx.commit().map_err(err)
    }

    /// Leaves the team: nothing more is queued or pushed. What was shared stays on the server
    /// until the rep or a manager erases it there.
    pub fn leave_team(&mut self) -> Result<()> {
        let path = self.path.clone();
        let err = |e| super::error::classify(&path, e);
        let tx = self.transaction()?;
        tx.execute("DELETE FROM team_membership", []).map_err(err)?;
        tx.execute("DELETE FROM team_outbox", []).map_err(err)?;
        tx.execute("DELETE FROM team_meanings_due", [])
            .map_err(err)?;
        audit(&tx, "team.left", "team", "").map_err(err)?;
        tx.commit().map_err(err)
    }

    /// The outbox, oldest change first.
    pub fn team_outbox(&self) -> Result<Vec<OutboxEntry>> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, global_id, call_id, changes FROM team_outbox ORDER BY id")
            .map_err(|e| self.sql_error(e))?;
        let rows = stmt
            .query_map([], |r| {
                Ok(OutboxEntry {
                    id: r.get(0)?,
                    global_id: r.get(1)?,
                    call_id: r.get(2)?,
                    changes: r.get(3)?,
                })
            })
            .map_err(|e| self.sql_error(e))?;
        rows.map(|r| r.map_err(|e| self.sql_error(e))).collect()
    }

    /// Marks an entry pushed, unless the call changed again after its snapshot was read.
    pub fn team_outbox_done(&mut self, entry: &OutboxEntry) -> Result<bool> {
        let removed = self
            .writer()?
            .execute(
                "DELETE FROM team_outbox WHERE id = ?1 AND changes = ?2",
                params![entry.id, entry.changes],
            )
            .map_err(|e| self.sql_error(e))?;
        Ok(removed == 1)
    }

    /// Notes that a pushed call's line vectors are still to go to the team library.
    pub fn team_meanings_due(&mut self, global_id: &str, call_id: i64) -> Result<()> {
        self.writer()?
            .execute(
                "INSERT INTO team_meanings_due (global_id, call_id) VALUES (?1, ?2)
                 ON CONFLICT (global_id) DO NOTHING",
                params![global_id, call_id],
            )
            .map_err(|e| self.sql_error(e))?;
        Ok(())
    }

    /// Calls whose line vectors are still to go, oldest push first: (global id, call id).
    pub fn team_meanings_queue(&self) -> Result<Vec<(String, i64)>> {
        let mut stmt = self
            .conn
            .prepare("SELECT global_id, call_id FROM team_meanings_due ORDER BY id")
            .map_err(|e| self.sql_error(e))?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(|e| self.sql_error(e))?;
        rows.map(|r| r.map_err(|e| self.sql_error(e))).collect()
    }

    /// The call's line vectors are in the team library (or it has none to send).
    pub fn team_meanings_sent(&mut self, global_id: &str) -> Result<()> {
        self.writer()?
            .execute(
                "DELETE FROM team_meanings_due WHERE global_id = ?1",
                [global_id],
            )
            .map_err(|e| self.sql_error(e))?;
        Ok(())
    }

    /// Records how a sync ended: `error` None for success.
    pub fn record_team_sync(&mut self, error: Option<&str>) -> Result<()> {
        let sql = match error {
            None => format!("UPDATE team_membership SET last_sync_at = {NOW}, last_error = NULL"),
            Some(_) => "UPDATE team_membership SET last_error = ?1".to_string(),
        };
        let writer = self.writer()?;
        match error {
            None => writer.execute(&sql, []),
            Some(e) => writer.execute(&sql, [e]),
        }
        .map_err(|e| self.sql_error(e))?;
        Ok(())
    }

    /// The call as the team stores it, or why it stays here; `Ok(None)` when the call is gone
    /// (erased or deleted), which the server must then forget too.
    pub fn team_snapshot(
        &self,
        call_id: i64,
    ) -> Result<Option<std::result::Result<CallSnapshot, NotShared>>> {
        let Some(membership) = self.team_membership()? else {
            return Err(not_joined());
        };
        // One read transaction: the snapshot is what the library held at one moment.
        let tx = self
            .conn
            .unchecked_transaction()
            .map_err(|e| self.sql_error(e))?;
        let Some(row) = tx
            .query_row(
                "SELECT global_id, title, started_at, duration_ms, language, source, status
                 FROM calls WHERE id = ?1",
                [call_id],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        parse_column(r, 2, parse_time)?,
                        r.get::<_, i64>(3)?,
                        r.get::<_, String>(4)?,
                        r.get::<_, String>(5)?,
                        r.get::<_, String>(6)?,
                    ))
                },
            )
            .optional()
            .map_err(|e| self.sql_error(e))?
        else {
            return Ok(None);
        };
        let (global_id, title, started_at, duration_ms, language, source, status) = row;
        let decision = self.sharing_decision(call_id, &status, membership.policy)?;
        if let Some(reason) = decision.held_back {
            return Ok(Some(Err(reason)));
        }
        let (participants, consent) = (decision.participants, decision.consent);
        let (sentiment_label, sentiment_score, insights) = tx
            .query_row(
                "SELECT sentiment_label, sentiment_score, body FROM insights WHERE call_id = ?1",
                [call_id],
                |r| {
                    Ok((
                        r.get::<_, Option<String>>(0)?,
                        r.get::<_, Option<f64>>(1)?,
                        r.get::<_, String>(2)?,
                    ))
                },
            )
            .optional()
            .map_err(|e| self.sql_error(e))?
            .map(|(label, score, body)| (label, score, serde_json::from_str(&body).ok()))
            .unwrap_or((None, None, None));
        let account = tx
            .query_row(
                "SELECT a.name FROM call_contacts cc
                 JOIN contacts c ON c.id = cc.contact_id
                 JOIN accounts a ON a.id = c.account_id
                 WHERE cc.call_id = ?1 ORDER BY a.name LIMIT 1",
                [call_id],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.sql_error(e))?;
        let segments = self.segments(call_id)?;
        let snapshot = CallSnapshot {
            global_id,
            title,
            started_at,
            duration_ms,
            language,
            source,
            account,
            sentiment_label,
            sentiment_score,
            insights,
            participants,
            consent,
            segments,
            action_items: self.shared_action_items(call_id)?,
        };
        tx.commit().map_err(|e| self.sql_error(e))?;
        Ok(Some(Ok(snapshot)))
    }

    /// Applies a teammate's edit to one of this rep's action items when it is newer than the
    /// last change here (the last writer wins). Returns whether it was applied.
    ///
    /// Two clocks meet here: the rep's own edits carry this machine's time, a teammate's the
    /// server's. `server_ahead` (the server's clock minus this machine's, measured at the sync)
    /// puts the teammate's edit on this machine's clock before it is compared with the rep's,
    /// so a laptop whose clock runs an hour fast does not win every tie for an hour.
    pub fn apply_teammate_edit(
        &mut self,
        edit: &TeammateEdit,
        server_ahead: chrono::Duration,
    ) -> Result<bool> {
        let changed = self
            .writer()?
            .execute(
                "UPDATE action_items SET done = ?2, text = ?3, due_date = ?4, edited = 1,
                        updated_at = ?5, updated_by = ?6
                 WHERE global_id = ?1
                   AND (updated_at IS NULL
                        OR (updated_by IS NULL AND updated_at < ?7)
                        OR (updated_by IS NOT NULL AND updated_at < ?5))",
                params![
                    edit.global_id,
                    edit.done,
                    edit.text,
                    edit.due.map(|d| d.to_string()),
                    edit_time(edit.updated_at),
                    edit.updated_by,
                    edit_time(edit.updated_at - server_ahead)
                ],
            )
            .map_err(|e| self.sql_error(e))?;
        Ok(changed == 1)
    }

    pub fn set_team_pulled_until(&mut self, at: DateTime<Utc>) -> Result<()> {
        self.writer()?
            .execute(
                "UPDATE team_membership SET pulled_until = ?1",
                [format_time(at)],
            )
            .map_err(|e| self.sql_error(e))?;
        Ok(())
    }

    pub fn set_team_erasures_seen(&mut self, seen: i64) -> Result<()> {
        self.writer()?
            .execute("UPDATE team_membership SET erasures_seen = ?1", [seen])
            .map_err(|e| self.sql_error(e))?;
        Ok(())
    }

    /// Every email this library holds about people (participants, consent receipts, contacts),
    /// lower-cased: a team erasure names people only by a hash of it.
    pub fn known_emails(&self) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT lower(email) FROM participants WHERE email IS NOT NULL
                 UNION SELECT lower(participant_email) FROM consent_receipts
                       WHERE participant_email IS NOT NULL
                 UNION SELECT lower(email) FROM contacts",
            )
            .map_err(|e| self.sql_error(e))?;
        let rows = stmt
            .query_map([], |r| r.get(0))
            .map_err(|e| self.sql_error(e))?;
        rows.map(|r| r.map_err(|e| self.sql_error(e))).collect()
    }

    fn shared_action_items(&self, call_id: i64) -> Result<Vec<SharedActionItem>> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT global_id, text, owner, due_date, done, edited, updated_at, updated_by
                 FROM action_items WHERE call_id = ?1 ORDER BY id",
            )
            .map_err(|e| self.sql_error(e))?;
        let rows = stmt
            .query_map([call_id], |r| {
                Ok(SharedActionItem {
                    global_id: r.get(0)?,
                    text: r.get(1)?,
                    owner: r.get(2)?,
                    due: r
                        .get::<_, Option<String>>(3)?
                        .and_then(|d| d.parse::<NaiveDate>().ok()),
                    done: r.get(4)?,
                    edited: r.get(5)?,
                    updated_at: optional_time(r, 6)?,
                    updated_by: r.get(7)?,
                })
            })
            .map_err(|e| self.sql_error(e))?;
        rows.map(|r| r.map_err(|e| self.sql_error(e))).collect()
    }

    /// The rep's choice for the call, else for any of its people, else the policy.
    pub(super) fn require_membership(&self) -> Result<Membership> {
        self.team_membership()?.ok_or_else(not_joined)
    }
}

/// Hand edits are compared as text, so both sides write them alike, to the millisecond (the
/// same as `strftime('%Y-%m-%dT%H:%M:%fZ')` in `update_action_item`): two edits within a
/// second must still be told apart.
fn edit_time(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

pub(super) fn not_joined() -> StorageError {
    StorageError::Invalid {
        what: "team",
        detail: "this library has not joined a team: run `zapis team join postgres://…` first"
            .into(),
    }
}

fn optional_time(r: &rusqlite::Row<'_>, index: usize) -> rusqlite::Result<Option<DateTime<Utc>>> {
    match r.get::<_, Option<String>>(index)? {
        None => Ok(None),
        Some(_) => parse_column(r, index, parse_time).map(Some),
    }
}

/// Queues the calls `select` names (a query returning call ids).
pub(super) fn queue_calls(conn: &rusqlite::Connection, select: &str) -> rusqlite::Result<usize> {
    conn.execute(
        &format!(
            "INSERT INTO team_outbox (global_id, call_id, queued_at)
             SELECT global_id, id, {NOW} FROM calls WHERE id IN ({select}) AND global_id IS NOT NULL
             ORDER BY id
             ON CONFLICT (global_id) DO UPDATE SET changes = changes + 1"
        ),
        [],
    )
}
