//! Versioned schema. `PRAGMA user_version` holds the version; each step is named and runs in its own
//! transaction, so a failure leaves the database at the last good version.

use rusqlite::Connection;
use std::path::Path;

use super::error::{classify, Result, StorageError};

pub struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub sql: &'static str,
}

pub const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "call library",
        sql: include_str!("schema/001_call_library.sql"),
    },
    Migration {
        version: 2,
        name: "conversation insights",
        sql: include_str!("schema/002_insights.sql"),
    },
    Migration {
        version: 3,
        name: "crm contacts and erasure",
        sql: include_str!("schema/003_crm_and_erasure.sql"),
    },
];

pub const LATEST: i64 = MIGRATIONS[MIGRATIONS.len() - 1].version;

pub fn current_version(conn: &Connection, path: &Path) -> Result<i64> {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|e| classify(path, e))
}

/// Applies every migration above the current version, up to `target`.
pub fn migrate_to(conn: &mut Connection, path: &Path, target: i64) -> Result<()> {
    let from = current_version(conn, path)?;
    if from > LATEST {
        return Err(StorageError::TooNew {
            path: path.to_path_buf(),
            found: from,
            supported: LATEST,
        });
    }
    for step in MIGRATIONS
        .iter()
        .filter(|m| m.version > from && m.version <= target)
    {
        let fail = |source| StorageError::Migration {
            path: path.to_path_buf(),
            version: step.version,
            name: step.name,
            from,
            source,
        };
        let tx = conn.transaction().map_err(|e| classify(path, e))?;
        tx.execute_batch(step.sql).map_err(fail)?;
        tx.pragma_update(None, "user_version", step.version)
            .map_err(fail)?;
        tx.commit().map_err(|e| classify(path, e))?;
    }
    Ok(())
}
