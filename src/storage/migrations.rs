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
    Migration {
        version: 4,
        name: "call ids never reused",
        sql: include_str!("schema/004_call_ids_never_reused.sql"),
    },
    Migration {
        version: 5,
        name: "the model a transcript was made with",
        sql: include_str!("schema/005_transcribed_with.sql"),
    },
    Migration {
        version: 6,
        name: "sharing with the team library",
        sql: include_str!("schema/006_team_outbox.sql"),
    },
    Migration {
        version: 7,
        name: "far-side voices",
        sql: include_str!("schema/007_far_side_voices.sql"),
    },
    Migration {
        version: 8,
        name: "sentence vectors for search by meaning",
        sql: include_str!("schema/008_segment_meanings.sql"),
    },
    Migration {
        version: 9,
        name: "team vectors pushed after their calls",
        sql: include_str!("schema/009_team_meanings_due.sql"),
    },
    Migration {
        version: 10,
        name: "one-channel recordings and the rep's voice",
        sql: include_str!("schema/010_one_channel_calls.sql"),
    },
];

pub const LATEST: i64 = MIGRATIONS[MIGRATIONS.len() - 1].version;

pub fn current_version(conn: &Connection, path: &Path) -> Result<i64> {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|e| classify(path, e))
}

/// Applies every migration above the current version, up to `target`.
///
/// Several processes may open a new library at once (the app and the CLI start together), so
/// each step takes the write lock first (`BEGIN IMMEDIATE`, waiting out the busy timeout) and
/// reads the version again under it: a step another process has applied meanwhile is skipped,
/// never run twice. The version is read without the lock before each step, so a process that
/// finds the work done takes the lock at most once: with a lock per step whether or not it was
/// needed, twenty processes opening a new library queued ~200 times for it, the likely reason
/// one gave up as busy on CI's loaded two-core machine. Foreign keys must be off on `conn`
/// (a step may rebuild a table others reference); the caller turns them on afterwards.
pub fn migrate_to(conn: &mut Connection, path: &Path, target: i64) -> Result<()> {
    let from = current_version(conn, path)?;
    check_not_too_new(path, from)?;
    loop {
        if current_version(conn, path)? >= target {
            return Ok(());
        }
        let tx = conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(|e| classify(path, e))?;
        let now = current_version(&tx, path)?;
        check_not_too_new(path, now)?;
        let Some(step) = MIGRATIONS
            .iter()
            .find(|m| m.version > now && m.version <= target)
        else {
            return Ok(());
        };
        let fail = |source| StorageError::Migration {
            path: path.to_path_buf(),
            version: step.version,
            name: step.name,
            from,
            source,
        };
        tx.execute_batch(step.sql).map_err(fail)?;
        let broken: i64 = tx
            .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
                r.get(0)
            })
            .map_err(fail)?;
        if broken > 0 {
            return Err(fail(rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY),
                Some(format!("{broken} rows would reference missing rows")),
            )));
        }
        tx.pragma_update(None, "user_version", step.version)
            .map_err(fail)?;
        tx.commit().map_err(|e| classify(path, e))?;
    }
}

fn check_not_too_new(path: &Path, found: i64) -> Result<()> {
    if found > LATEST {
        return Err(StorageError::TooNew {
            path: path.to_path_buf(),
            found,
            supported: LATEST,
        });
    }
    Ok(())
}
