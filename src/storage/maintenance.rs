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

    /// Deletes a call's rows and queues its files for removal, without the scrub.
    pub(super) fn delete_call_rows(&mut self, call_id: i64) -> Result<()> {
        self.require_call(call_id)?;
        let path = self.path.clone();
        let err = |e| classify(&path, e);
        let data_dir = self.data_dir.clone();
        let tx = self.transaction()?;
        let audio_dir: Option<String> = tx
            .query_row(
                "SELECT audio_dir FROM calls WHERE id = ?1",
                [call_id],
                |r| r.get(0),
            )
            .map_err(err)?;
        queue_call_files(&tx, &data_dir, call_id, audio_dir.as_deref()).map_err(err)?;
        tx.execute("DELETE FROM calls WHERE id = ?1", [call_id])
            .map_err(err)?;
        audit(&tx, "call.deleted", &format!("call {call_id}"), "").map_err(err)?;
        tx.commit().map_err(err)
    }

    /// After deletions: merge the full-text index so deleted terms leave its b-tree, and fold the WAL
    /// into the main file and truncate it, so no old page image survives there. `secure_delete`
    /// already zeroes freed pages.
    pub(super) fn scrub_freed_content(&mut self) -> Result<()> {
        self.writer()?
            .execute_batch(
                "INSERT INTO segments_fts (segments_fts) VALUES ('optimize');
                 PRAGMA wal_checkpoint(TRUNCATE);",
            )
            .map_err(|e| self.sql_error(e))
    }

    /// Removes files left behind by an earlier deletion whose file removal failed.
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
                self.writer()?
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
        audit(self.writer()?, action, subject, detail).map_err(|e| self.sql_error(e))?;
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

/// `PRAGMA integrity_check` of a library that cannot be opened normally (it is corrupt), read-only
/// and without migrating: what `zapis db check` reports about a damaged file.
pub fn integrity_of_damaged(data_dir: &Path) -> Result<Vec<String>> {
    use rusqlite::{Connection, OpenFlags};
    let path = data_dir.join(super::DB_FILE);
    let conn = Connection::open_with_flags(
        &path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| classify(&path, e))?;
    let rows = conn.prepare("PRAGMA integrity_check").and_then(|mut stmt| {
        stmt.query_map([], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()
    });
    // So damaged that even the check cannot run: that is the finding.
    Ok(rows.unwrap_or_else(|e| vec![e.to_string()]))
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

/// Queues every file of a call for removal: the folder its row points at, and the call's own
/// folder under the data folder even when the row points nowhere (an import or recording that
/// failed before it recorded the folder may still have written there).
pub(super) fn queue_call_files(
    conn: &rusqlite::Connection,
    data_dir: &Path,
    call_id: i64,
    audio_dir: Option<&str>,
) -> rusqlite::Result<()> {
    let own = super::call_dir(data_dir, call_id);
    let own = own.to_string_lossy();
    for dir in audio_dir.into_iter().chain([own.as_ref()]) {
        conn.execute(
            "INSERT OR IGNORE INTO pending_file_deletions (path, queued_at) VALUES (?1, ?2)",
            params![dir, format_time(Utc::now())],
        )?;
    }
    Ok(())
}
