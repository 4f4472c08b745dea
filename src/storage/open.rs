//! Opening the library file safely: nothing that is not a healthy Zapis database of a version we
//! understand is ever written to.

use rusqlite::{Connection, OpenFlags};
use std::fs;
use std::path::Path;
use std::time::Duration;

use super::error::{classify, Result, StorageError};
use super::migrations;

/// How long a command waits for another Zapis process's write (an import, a final transcription
/// pass, a migration) before giving up. The app and the CLI share one library, and on a slow or
/// busy two-core machine five seconds proved too short for twenty processes starting at once.
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

pub fn open_connection(path: &Path, migrate_to: i64) -> Result<Connection> {
    // Never open the file with std::fs here: closing any descriptor of a file drops every POSIX lock
    // this process holds on it, including those of another thread's SQLite connection.
    let is_new = !path.exists();
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let mut conn = Connection::open_with_flags(path, flags).map_err(|e| classify(path, e))?;
    if is_new {
        make_private(path)?;
    }
    conn.busy_timeout(BUSY_TIMEOUT)
        .map_err(|e| classify(path, e))?;

    // Read-only probes first: a foreign, truncated, corrupt or newer file must not be written to.
    let version = migrations::current_version(&conn, path)?;
    if version > migrations::LATEST {
        return Err(StorageError::TooNew {
            path: path.to_path_buf(),
            found: version,
            supported: migrations::LATEST,
        });
    }
    check_size(&conn, path)?;
    conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| {
        r.get::<_, i64>(0)
    })
    .map_err(|e| classify(path, e))?;

    // Foreign keys stay off while migrating: a step may rebuild a table that others reference
    // (each step checks the keys itself before it commits).
    conn.execute_batch(
        "PRAGMA journal_mode = WAL;
         PRAGMA synchronous = NORMAL;
         PRAGMA foreign_keys = OFF;
         PRAGMA secure_delete = ON;",
    )
    .map_err(|e| classify(path, e))?;
    migrations::migrate_to(&mut conn, path, migrate_to)?;
    conn.execute_batch("PRAGMA foreign_keys = ON;")
        .map_err(|e| classify(path, e))?;
    Ok(conn)
}

/// A file shorter than its own header says is a truncated copy; SQLite would only notice when it
/// reads a missing page, possibly mid-write.
fn check_size(conn: &Connection, path: &Path) -> Result<()> {
    let pragma = |name: &str| -> Result<u64> {
        conn.query_row(&format!("PRAGMA {name}"), [], |r| r.get::<_, i64>(0))
            .map(|n| n.max(0) as u64)
            .map_err(|e| classify(path, e))
    };
    let expected = pragma("page_count")? * pragma("page_size")?;
    let actual = fs::metadata(path)
        .map_err(|source| StorageError::Io {
            path: path.to_path_buf(),
            source,
        })?
        .len();
    // With a write-ahead log present the main file may legitimately lag behind.
    let wal = path.with_extension("sqlite3-wal");
    if expected > actual && !wal.exists() {
        return Err(StorageError::Truncated {
            path: path.to_path_buf(),
            actual,
            expected,
        });
    }
    Ok(())
}

fn make_private(path: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(path, fs::Permissions::from_mode(0o600)).map_err(|source| {
            StorageError::Io {
                path: path.to_path_buf(),
                source,
            }
        })?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// The data folder holds recordings and transcripts: only its owner may read it. An existing
/// folder is tightened to 0700 too (an older Zapis, or another command, may have made it 0755);
/// nothing inside can then be reached by other users, whatever the files' own modes.
pub fn create_private_dir(dir: &Path) -> Result<()> {
    crate::paths::ensure_private_dir(dir).map_err(|source| StorageError::DataDir {
        path: dir.to_path_buf(),
        source,
    })
}
