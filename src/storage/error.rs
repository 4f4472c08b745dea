use std::path::PathBuf;

/// Everything that can go wrong with the call library. Messages name the file and say what to do.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("cannot create the data folder {path}: {source}; check its permissions or pick another with --data-dir")]
    DataDir {
        path: PathBuf,
        source: std::io::Error,
    },

    #[error("{path} is not a Zapis database (it is not an SQLite file); it was left untouched — move it aside or point --data-dir elsewhere")]
    NotADatabase { path: PathBuf },

    #[error("{path} is truncated ({actual} bytes, its header says {expected}); it was left untouched — restore it from a backup, or move it aside to start a new library")]
    Truncated {
        path: PathBuf,
        actual: u64,
        expected: u64,
    },

    #[error("{path} is corrupt ({detail}); it was left untouched — restore it from a backup, or move it aside to start a new library")]
    Corrupt { path: PathBuf, detail: String },

    #[error("{path} was written by a newer Zapis (schema version {found}; this build knows up to {supported}); it was left untouched — upgrade Zapis to open it")]
    TooNew {
        path: PathBuf,
        found: i64,
        supported: i64,
    },

    #[error("migration {version} ({name}) failed on {path}: {source}; the database was rolled back to version {from}")]
    Migration {
        path: PathBuf,
        version: i64,
        name: &'static str,
        from: i64,
        source: rusqlite::Error,
    },

    #[error(
        "the disk holding {path} is full; free some space and try again (nothing was changed)"
    )]
    DiskFull { path: PathBuf },

    #[error("{path} cannot be written: {reason}; Zapis keeps its library there, so fix the permissions (e.g. `chmod u+w`) or choose another folder with --data-dir")]
    ReadOnly { path: PathBuf, reason: String },

    #[error(
        "{path} is busy in another program for too long; close other Zapis windows or try again"
    )]
    Busy { path: PathBuf },

    #[error("no call with id {0}; `zapis calls list` shows the ids")]
    CallNotFound(i64),

    #[error("no contact with email {0}; `zapis contacts list` shows the contacts")]
    ContactNotFound(String),

    #[error("invalid {what}: {detail}")]
    Invalid { what: &'static str, detail: String },

    #[error("database error on {path}: {source}")]
    Sqlite {
        path: PathBuf,
        source: rusqlite::Error,
    },

    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

pub type Result<T, E = StorageError> = std::result::Result<T, E>;

/// Sorts a raw SQLite error into the user-facing kinds above.
pub(crate) fn classify(path: &std::path::Path, err: rusqlite::Error) -> StorageError {
    use rusqlite::ErrorCode as C;
    let path = path.to_path_buf();
    match err.sqlite_error_code() {
        Some(C::DiskFull) => StorageError::DiskFull { path },
        Some(C::DatabaseBusy | C::DatabaseLocked) => StorageError::Busy { path },
        Some(C::NotADatabase) => StorageError::NotADatabase { path },
        Some(C::DatabaseCorrupt) => StorageError::Corrupt {
            path,
            detail: err.to_string(),
        },
        Some(C::ReadOnly) => StorageError::ReadOnly {
            path,
            reason: "the file or its folder is read-only".into(),
        },
        // SQLite says only "unable to open database file"; say which part is not writable.
        Some(C::CannotOpen) => match unwritable(&path) {
            Some(reason) => StorageError::ReadOnly { path, reason },
            None => StorageError::Sqlite { path, source: err },
        },
        _ => StorageError::Sqlite { path, source: err },
    }
}

/// Why the library file or its folder cannot be written, if that is the reason it cannot be
/// opened (WAL mode needs to create `-wal` and `-shm` files beside it).
fn unwritable(path: &std::path::Path) -> Option<String> {
    let folder = path.parent()?;
    let folder_meta = std::fs::metadata(folder).ok()?;
    if folder_meta.permissions().readonly() || !can_create_in(folder) {
        return Some(format!("its folder {} is read-only", folder.display()));
    }
    match std::fs::metadata(path) {
        Ok(meta) if meta.permissions().readonly() => Some("the file is read-only".into()),
        _ => None,
    }
}

fn can_create_in(folder: &std::path::Path) -> bool {
    tempfile::Builder::new()
        .prefix(".zapis-write-test-")
        .tempfile_in(folder)
        .is_ok()
}
