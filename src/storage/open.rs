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

    switch_to_wal(&conn, path)?;
    // Foreign keys stay off while migrating: a step may rebuild a table that others reference
    // (each step checks the keys itself before it commits).
    conn.execute_batch(
        "PRAGMA synchronous = NORMAL;
         PRAGMA foreign_keys = OFF;
         PRAGMA secure_delete = ON;",
    )
    .map_err(|e| classify(path, e))?;
    migrations::migrate_to(&mut conn, path, migrate_to)?;
    conn.execute_batch("PRAGMA foreign_keys = ON;")
        .map_err(|e| classify(path, e))?;
    Ok(conn)
}

/// Puts the library in write-ahead-log mode, waiting for other processes like every other write.
///
/// SQLite switches a new file to WAL inside a read transaction it then upgrades to a write, and an
/// upgrade never calls the busy handler: when several processes open a library that does not
/// exist yet (the app and the CLI starting together), all but one got SQLITE_BUSY at once, and on
/// CI's loaded machine one failed "busy" well inside the busy timeout. Switching is idempotent,
/// so a busy attempt is simply repeated until the busy timeout has passed (an attempt that
/// waits in the busy handler itself may take it up to twice that, still a bounded wait).
fn switch_to_wal(conn: &Connection, path: &Path) -> Result<()> {
    let deadline = std::time::Instant::now() + BUSY_TIMEOUT;
    let mut pause = Duration::from_millis(2);
    loop {
        let attempt = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0));
        match attempt {
            Ok(_) => return Ok(()),
            Err(e)
                if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy)
                    && std::time::Instant::now() < deadline =>
            {
                std::thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_millis(100));
            }
            Err(e) => return Err(classify(path, e)),
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The race CI hit: one process holds the write lock of a library that is still in rollback
    /// mode while another opens it. Before the retry, the second failed "busy" at once.
    #[test]
    fn opening_a_new_library_while_another_process_writes_waits_instead_of_failing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("zapis.sqlite3");
        let holder = Connection::open(&path).unwrap();
        holder
            .execute_batch("BEGIN IMMEDIATE; CREATE TABLE first_writer(x);")
            .unwrap();
        let opener = {
            let path = path.clone();
            std::thread::spawn(move || open_connection(&path, migrations::LATEST).map(|_| ()))
        };
        std::thread::sleep(Duration::from_millis(300));
        holder.execute_batch("COMMIT").unwrap();
        opener.join().unwrap().unwrap();
        // A new connection: the holder's own pager still remembers the mode it started in.
        let mode: String = Connection::open(&path)
            .unwrap()
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
    }
}
