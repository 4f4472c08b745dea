//! User settings, kept in the library so the app and the CLI agree, and retention applied from them.

use chrono::{DateTime, Duration, Utc};
use rusqlite::{params, OptionalExtension};
use serde::{de::DeserializeOwned, Deserialize, Serialize};

use super::calls::audit;
use super::types::*;
use super::{Library, Result, StorageError};

/// How long recordings and transcripts are kept. `None` keeps them forever.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, ts_rs::TS)]
pub struct Retention {
    pub audio_days: Option<u32>,
    pub transcript_days: Option<u32>,
}

impl Default for Retention {
    fn default() -> Self {
        Retention {
            audio_days: Some(90),
            transcript_days: None,
        }
    }
}

#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct RetentionReport {
    pub audio_removed: usize,
    pub calls_deleted: usize,
}

const RETENTION_KEY: &str = "retention";

impl Library {
    pub fn setting<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>> {
        let text: Option<String> = self
            .conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()
            .map_err(|e| self.sql_error(e))?;
        text.map(|t| {
            serde_json::from_str(&t).map_err(|e| StorageError::Invalid {
                what: "stored setting",
                detail: format!("{key}: {e}"),
            })
        })
        .transpose()
    }

    pub fn set_setting<T: Serialize>(&mut self, key: &str, value: &T) -> Result<()> {
        let text = serde_json::to_string(value).map_err(|e| StorageError::Invalid {
            what: "setting",
            detail: format!("{key}: {e}"),
        })?;
        self.writer()?
            .execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                params![key, text],
            )
            .map_err(|e| self.sql_error(e))?;
        Ok(())
    }

    pub fn retention(&self) -> Result<Retention> {
        Ok(self.setting(RETENTION_KEY)?.unwrap_or_default())
    }

    pub fn set_retention(&mut self, retention: Retention) -> Result<()> {
        self.set_setting(RETENTION_KEY, &retention)?;
        self.audit(
            "retention.changed",
            "settings",
            &format!(
                "audio {}, transcripts {}",
                days(retention.audio_days),
                days(retention.transcript_days)
            ),
        )
    }

    /// Removes audio and calls older than the retention settings allow, as of `now`.
    pub fn apply_retention(&mut self, now: DateTime<Utc>) -> Result<RetentionReport> {
        let retention = self.retention()?;
        let mut report = RetentionReport::default();
        if let Some(limit) = retention.transcript_days {
            let cutoff = format_time(now - Duration::days(i64::from(limit)));
            let old: Vec<i64> = self.ids(
                "SELECT id FROM calls WHERE started_at < ?1 AND status != 'recording'",
                &cutoff,
            )?;
            for id in &old {
                self.delete_call_rows(*id)?;
            }
            report.calls_deleted = old.len();
        }
        if let Some(limit) = retention.audio_days {
            let cutoff = format_time(now - Duration::days(i64::from(limit)));
            let dirs: Vec<(i64, String)> = {
                let mut stmt = self
                    .conn
                    .prepare(
                        "SELECT id, audio_dir FROM calls
                         WHERE audio_dir IS NOT NULL AND started_at < ?1 AND status != 'recording'",
                    )
                    .map_err(|e| self.sql_error(e))?;
                let rows = stmt
                    .query_map([&cutoff], |r| Ok((r.get(0)?, r.get(1)?)))
                    .map_err(|e| self.sql_error(e))?;
                rows.collect::<rusqlite::Result<_>>()
                    .map_err(|e| self.sql_error(e))?
            };
            for (id, dir) in dirs {
                self.writer()?
                    .execute_batch("BEGIN IMMEDIATE")
                    .map_err(|e| self.sql_error(e))?;
                let queued = self
                    .conn
                    .execute(
                        "INSERT OR IGNORE INTO pending_file_deletions (path, queued_at) VALUES (?1, ?2)",
                        params![dir, format_time(now)],
                    )
                    .and_then(|_| self.conn.execute("UPDATE calls SET audio_dir = NULL WHERE id = ?1", [id]))
                    .and_then(|_| self.conn.execute_batch("COMMIT"));
                if let Err(e) = queued {
                    let _ = self.conn.execute_batch("ROLLBACK");
                    return Err(self.sql_error(e));
                }
                report.audio_removed += 1;
            }
        }
        if report != RetentionReport::default() {
            if report.calls_deleted > 0 {
                self.scrub_freed_content()?;
            }
            self.retry_pending_file_deletions()?;
            audit(
                self.writer()?,
                "retention.applied",
                "library",
                &format!(
                    "{} recordings removed, {} calls deleted",
                    report.audio_removed, report.calls_deleted
                ),
            )
            .map_err(|e| self.sql_error(e))?;
        }
        Ok(report)
    }

    fn ids(&self, sql: &str, arg: &str) -> Result<Vec<i64>> {
        let mut stmt = self.conn.prepare(sql).map_err(|e| self.sql_error(e))?;
        let rows = stmt
            .query_map([arg], |r| r.get(0))
            .map_err(|e| self.sql_error(e))?;
        rows.map(|r| r.map_err(|e| self.sql_error(e))).collect()
    }
}

fn days(limit: Option<u32>) -> String {
    limit.map_or_else(|| "kept forever".to_string(), |d| format!("{d} days"))
}
