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

    #[error("{path} is corrupt ({detail}); it was left untouched — run `zapis db check`, restore it from a backup, or move it aside to start a new library")]
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
        _ => StorageError::Sqlite { path, source: err },
    }
}
