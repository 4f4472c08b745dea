//! Everything the library holds about one person, for the rights of access and erasure.

use serde::{Deserialize, Serialize};

use super::calls::audit;
use super::types::*;
use super::{Library, Result, StorageError};

#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq, ts_rs::TS)]
pub struct Erasure {
    pub calls_deleted: usize,
    pub segments_deleted: usize,
    pub contact_deleted: bool,
}

impl Library {
    /// Ids of calls that involve a person: linked to their contact, listing them as a participant,
    /// or holding a consent receipt of theirs. Oldest first.
    pub fn calls_involving(&self, email: &str) -> Result<Vec<i64>> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT c.id FROM calls c WHERE
                    c.id IN (SELECT cc.call_id FROM call_contacts cc JOIN contacts k ON k.id = cc.contact_id
                             WHERE k.email = ?1)
                 OR c.id IN (SELECT call_id FROM participants WHERE email = ?1)
                 OR c.id IN (SELECT call_id FROM consent_receipts WHERE participant_email = ?1)
                 ORDER BY c.started_at, c.id",
            )
            .map_err(|e| self.sql_error(e))?;
        let rows = stmt
            .query_map([email.trim()], |r| r.get(0))
            .map_err(|e| self.sql_error(e))?;
        rows.map(|r| r.map_err(|e| self.sql_error(e))).collect()
    }

    /// Audit entries about the given calls (what happened to them, never what was said).
    pub fn audit_for_calls(&self, call_ids: &[i64]) -> Result<Vec<AuditEntry>> {
        let subjects: std::collections::HashSet<String> =
            call_ids.iter().map(|id| format!("call {id}")).collect();
        Ok(self
            .audit_log(usize::MAX >> 1)?
            .into_iter()
            .filter(|e| subjects.contains(&e.subject))
            .collect())
    }

    /// Erases a person: every call that involves them (rows, search index entries, audio) and their
    /// contact record, in one transaction; then scrubs freed pages and the WAL. The audit log keeps
    /// only that an erasure happened, when, and how much went.
    pub fn erase_person(&mut self, email: &str) -> Result<Erasure> {
        let calls = self.calls_involving(email)?;
        let contact = self.contact_id(email).ok();
        if calls.is_empty() && contact.is_none() {
            return Err(StorageError::ContactNotFound(email.trim().to_string()));
        }
        let path = self.path.clone();
        let err = |e| super::error::classify(&path, e);
        let data_dir = self.data_dir.clone();
        let tx = self.transaction()?;
        let mut erasure = Erasure::default();
        for id in &calls {
            let (audio_dir, segments): (Option<String>, i64) = tx
                .query_row(
                    "SELECT audio_dir, (SELECT count(*) FROM segments WHERE call_id = ?1) FROM calls WHERE id = ?1",
                    [id],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .map_err(err)?;
            super::maintenance::queue_call_files(&tx, &data_dir, *id, audio_dir.as_deref())
                .map_err(err)?;
            tx.execute("DELETE FROM calls WHERE id = ?1", [id])
                .map_err(err)?;
            // Earlier audit entries about this call stay, but only ever name it by number.
            erasure.calls_deleted += 1;
            erasure.segments_deleted += segments as usize;
        }
        // A sharing choice names the person by email: it goes with them.
        tx.execute(
            "DELETE FROM team_shares WHERE scope = 'contact' AND key = ?1",
            [email.trim()],
        )
        .map_err(err)?;
        if let Some(id) = contact {
            tx.execute("DELETE FROM contacts WHERE id = ?1", [id])
                .map_err(err)?;
            erasure.contact_deleted = true;
        }
        audit(
            &tx,
            "person.erased",
            "a person",
            &format!(
                "{} calls, {} transcript segments{}",
                erasure.calls_deleted,
                erasure.segments_deleted,
                if erasure.contact_deleted {
                    ", contact record"
                } else {
                    ""
                }
            ),
        )
        .map_err(err)?;
        tx.commit().map_err(err)?;
        self.scrub_freed_content()?;
        self.retry_pending_file_deletions()?;
        Ok(erasure)
    }
}
