//! Opening the library file safely: nothing that is not a healthy Zapis database of a version we
//! understand is ever written to.

use rusqlite::{Connection, OpenFlags};
use std::fs;
use std::io::Read;
use std::path::Path;
use std::time::Duration;

use super::error::{classify, Result, StorageError};
use super::migrations;

const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

pub fn open_connection(path: &Path, migrate_to: i64) -> Result<Connection> {
    let existed = path.exists();
    if existed {
        check_header(path)?;
    } else {
        create_private_file(path)?;
    }
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let mut conn = Connection::open_with_flags(path, flags).map_err(|e| classify(path, e))?;
    conn.busy_timeout(BUSY_TIMEOUT)
        .map_err(|e| classify(path, e))?;

    // Read-only probes first: a newer or corrupt file must not be touched by the pragmas below.
    let version = migrations::current_version(&conn, path)?;
    if version > migrations::LATEST {
        return Err(StorageError::TooNew {
            path: path.to_path_buf(),
            found: version,
            supported: migrations::LATEST,
        });
    }
    conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| {
        r.get::<_, i64>(0)
    })
    .map_err(|e| classify(path, e))?;

    conn.execute_batch(
        "PRAGMA journal_mode = WAL;
         PRAGMA synchronous = NORMAL;
         PRAGMA foreign_keys = ON;
         PRAGMA secure_delete = ON;",
    )
    .map_err(|e| classify(path, e))?;
    migrations::migrate_to(&mut conn, path, migrate_to)?;
    Ok(conn)
}

/// Refuses files that are not SQLite, or shorter than their own header says (a truncated copy).
fn check_header(path: &Path) -> Result<()> {
    let io = |source| StorageError::Io {
        path: path.to_path_buf(),
        source,
    };
    let actual = fs::metadata(path).map_err(io)?.len();
    if actual == 0 {
        // SQLite treats an empty file as a new database; so do we.
        return Ok(());
    }
    let mut header = [0u8; 100];
    let mut file = fs::File::open(path).map_err(io)?;
    if actual < 100 || file.read_exact(&mut header).is_err() || &header[..16] != SQLITE_MAGIC {
        return Err(StorageError::NotADatabase {
            path: path.to_path_buf(),
        });
    }
    let page_size = match u16::from_be_bytes([header[16], header[17]]) {
        1 => 65_536,
        n => u64::from(n),
    };
    let pages = u64::from(u32::from_be_bytes([
        header[28], header[29], header[30], header[31],
    ]));
    let expected = page_size * pages;
    let wal = path.with_extension("sqlite3-wal");
    // With a WAL present the main file may legitimately lag behind the header's page count.
    if expected > actual && !wal.exists() {
        return Err(StorageError::Truncated {
            path: path.to_path_buf(),
            actual,
            expected,
        });
    }
    Ok(())
}

fn create_private_file(path: &Path) -> Result<()> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(source) => Err(StorageError::Io {
            path: path.to_path_buf(),
            source,
        }),
    }
}

/// The data folder holds recordings and transcripts: only its owner may read it.
pub fn create_private_dir(dir: &Path) -> Result<()> {
    let err = |source| StorageError::DataDir {
        path: dir.to_path_buf(),
        source,
    };
    if dir.is_dir() {
        // A folder the user chose keeps the permissions they gave it.
        return Ok(());
    }
    fs::create_dir_all(dir).map_err(err)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(dir, fs::Permissions::from_mode(0o700)).map_err(err)?;
    }
    Ok(())
}
