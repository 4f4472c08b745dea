//! Deleting calls so that nothing of them stays readable, integrity checks, and the audit log.

use chrono::Utc;
use rusqlite::params;
use std::fs;
use std::path::{Path, PathBuf};

use super::calls::audit;
use super::error::classify;
use super::types::*;
use super::{migrations, Library, Result};

impl Library {
    /// Deletes a call with everything derived from it, then its audio folder. Rows go in one
    /// transaction; files go after the commit, and a failed file removal is queued and retried at
    /// the next open. The audit log keeps only that a call was deleted.
    pub fn delete_call(&mut self, call_id: i64) -> Result<()> {
        self.delete_call_rows(call_id)?;
        self.scrub_freed_content()?;
        self.retry_pending_file_deletions()
    }

    /// Deletes a call's rows and queues its audio folder for removal, without the scrub.
    pub(super) fn delete_call_rows(&mut self, call_id: i64) -> Result<()> {
        self.require_call(call_id)?;
        let path = self.path.clone();
        let err = |e| classify(&path, e);
        let tx = self.transaction()?;
        let audio_dir: Option<String> = tx
            .query_row(
                "SELECT audio_dir FROM calls WHERE id = ?1",
                [call_id],
                |r| r.get(0),
            )
            .map_err(err)?;
        if let Some(dir) = &audio_dir {
            tx.execute(
                "INSERT OR IGNORE INTO pending_file_deletions (path, queued_at) VALUES (?1, ?2)",
                params![dir, format_time(Utc::now())],
            )
            .map_err(err)?;
        }
        tx.execute("DELETE FROM calls WHERE id = ?1", [call_id])
            .map_err(err)?;
        audit(&tx, "call.deleted", &format!("call {call_id}"), "").map_err(err)?;
        tx.commit().map_err(err)
    }

    /// After deletions: merge the full-text index so deleted terms leave its b-tree, and fold the WAL
    /// into the main file and truncate it, so no old page image survives there. `secure_delete`
    /// already zeroes freed pages.
    pub(super) fn scrub_freed_content(&mut self) -> Result<()> {
        self.conn
            .execute_batch(
                "INSERT INTO segments_fts (segments_fts) VALUES ('optimize');
                 PRAGMA wal_checkpoint(TRUNCATE);",
            )
            .map_err(|e| self.sql_error(e))
    }

    /// Removes audio left behind by an earlier deletion whose file removal failed.
    pub(super) fn retry_pending_file_deletions(&self) -> Result<()> {
        let pending: Vec<String> = {
            let mut stmt = self
                .conn
                .prepare_cached("SELECT path FROM pending_file_deletions")
                .map_err(|e| self.sql_error(e))?;
            let rows = stmt
                .query_map([], |r| r.get(0))
                .map_err(|e| self.sql_error(e))?;
            rows.collect::<rusqlite::Result<_>>()
                .map_err(|e| self.sql_error(e))?
        };
        for dir in pending {
            if remove_path(Path::new(&dir)).is_ok() {
                self.conn
                    .execute("DELETE FROM pending_file_deletions WHERE path = ?1", [&dir])
                    .map_err(|e| self.sql_error(e))?;
            }
        }
        Ok(())
    }

    /// Paths whose removal is still pending (shown by `zapis db check`).
    pub fn pending_file_deletions(&self) -> Result<Vec<PathBuf>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT path FROM pending_file_deletions ORDER BY path")
            .map_err(|e| self.sql_error(e))?;
        let rows = stmt
            .query_map([], |r| r.get::<_, String>(0))
            .map_err(|e| self.sql_error(e))?;
        rows.map(|r| r.map(PathBuf::from).map_err(|e| self.sql_error(e)))
            .collect()
    }

    pub fn audit(&self, action: &str, subject: &str, detail: &str) -> Result<()> {
        audit(&self.conn, action, subject, detail).map_err(|e| self.sql_error(e))?;
        Ok(())
    }

    pub fn audit_log(&self, limit: usize) -> Result<Vec<AuditEntry>> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT id, at, action, subject, detail FROM audit_log ORDER BY id DESC LIMIT ?1",
            )
            .map_err(|e| self.sql_error(e))?;
        let rows = stmt
            .query_map([limit as i64], |r| {
                let at: String = r.get(1)?;
                Ok(AuditEntry {
                    id: r.get(0)?,
                    at: parse_time(&at).unwrap_or_default(),
                    action: r.get(2)?,
                    subject: r.get(3)?,
                    detail: r.get(4)?,
                })
            })
            .map_err(|e| self.sql_error(e))?;
        rows.map(|r| r.map_err(|e| self.sql_error(e))).collect()
    }

    /// Full integrity check (slow on big libraries; `zapis db check` runs it on demand).
    pub fn check(&self) -> Result<DbCheck> {
        let mut stmt = self
            .conn
            .prepare("PRAGMA integrity_check")
            .map_err(|e| self.sql_error(e))?;
        let integrity = stmt
            .query_map([], |r| r.get::<_, String>(0))
            .map_err(|e| self.sql_error(e))?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(|e| self.sql_error(e))?;
        let count = |table: &str| -> Result<i64> {
            self.conn
                .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
                .map_err(|e| self.sql_error(e))
        };
        let size = |p: &Path| fs::metadata(p).map(|m| m.len()).unwrap_or(0);
        Ok(DbCheck {
            path: self.path.clone(),
            schema_version: self.schema_version()?,
            supported_version: migrations::LATEST,
            ok: integrity == ["ok"],
            integrity,
            size_bytes: size(&self.path),
            wal_bytes: size(&self.path.with_extension("sqlite3-wal")),
            calls: count("calls")?,
            segments: count("segments")?,
        })
    }
}

fn remove_path(path: &Path) -> std::io::Result<()> {
    let result = if path.is_dir() {
        fs::remove_dir_all(path)
    } else {
        fs::remove_file(path)
    };
    match result {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        other => other,
    }
}
