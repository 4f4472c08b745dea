//! The per-user call library: one SQLite file that every other part of Zapis reads and writes.
//! No SQL lives outside this module.

mod calls;
mod contacts;
mod error;
mod insights;
mod maintenance;
mod meanings;
pub mod migrations;
mod open;
mod person;
mod search;
mod settings;
mod sides;
mod team;
mod team_sharing;
pub mod types;
mod voices;
mod writes;

pub use contacts::{ContactCard, ContactDetail, ContactImport, ContactRecord, ContactSummary};
pub use error::{Result, StorageError};
pub use insights::{
    ActionItem, ActionItemUpdate, InsightsRecord, NewActionItem, NewKeyword, TrackedKeyword,
};
pub use maintenance::integrity_of_damaged;
pub use meanings::LineMatch;
pub use person::Erasure;
pub use settings::{Retention, RetentionReport};
pub use sides::same_name;
pub use team::{
    CallSnapshot, Membership, NotShared, OutboxEntry, SharePolicy, SharedActionItem, TeammateEdit,
};
pub use team_sharing::{CallSharing, ShareChoice, ShareScope};
pub use types::*;
pub use voices::{anonymous_label, CallVoice, KnownVoice, Naming, StoredVoice};

use rusqlite::Connection;
use std::path::{Path, PathBuf};

/// The database file's name inside the data folder.
pub const DB_FILE: &str = "zapis.sqlite3";

/// The folder that holds a call's recordings: `calls/<id>` in the data folder.
pub fn call_dir(data_dir: &Path, call_id: i64) -> PathBuf {
    data_dir.join("calls").join(call_id.to_string())
}

/// An open call library. Cheap to keep open for the life of a process; each process or thread that
/// needs concurrent access opens its own (WAL lets readers and one writer proceed together).
pub struct Library {
    conn: Connection,
    path: PathBuf,
    data_dir: PathBuf,
    /// Whether the file passed its health check; done before the first write (see `writes.rs`).
    checked: std::cell::Cell<bool>,
}

impl Library {
    /// Opens (creating if needed) the library in `data_dir`, migrating it to the latest schema.
    pub fn open(data_dir: &Path) -> Result<Library> {
        Self::open_at_version(data_dir, migrations::LATEST)
    }

    /// Opens the library but migrates no further than `version`; tests use it to build old schemas.
    pub fn open_at_version(data_dir: &Path, version: i64) -> Result<Library> {
        open::create_private_dir(data_dir)?;
        let path = data_dir.join(DB_FILE);
        let conn = open::open_connection(&path, version)?;
        let library = Library {
            conn,
            path,
            data_dir: data_dir.to_path_buf(),
            checked: std::cell::Cell::new(false),
        };
        if version >= migrations::LATEST {
            library.retry_pending_file_deletions()?;
        }
        Ok(library)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    pub fn schema_version(&self) -> Result<i64> {
        migrations::current_version(&self.conn, &self.path)
    }

    fn sql_error(&self, err: rusqlite::Error) -> StorageError {
        error::classify(&self.path, err)
    }
}
