//! Where the per-user data lives.

use std::path::PathBuf;

/// Environment variable that overrides the data folder (the `--data-dir` flag wins over it).
pub const DATA_DIR_ENV: &str = "ZAPIS_DATA_DIR";

#[derive(Debug, thiserror::Error)]
#[error("cannot find a home folder for this user to keep Zapis data in; pass --data-dir DIR or set {DATA_DIR_ENV}")]
pub struct NoDataDir;

/// The data folder: an explicit choice, else `ZAPIS_DATA_DIR`, else the OS's per-user data folder
/// (`~/.local/share/zapis` on Linux).
pub fn data_dir(explicit: Option<PathBuf>) -> Result<PathBuf, NoDataDir> {
    if let Some(dir) = explicit {
        return Ok(dir);
    }
    if let Some(dir) = std::env::var_os(DATA_DIR_ENV).filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(dir));
    }
    directories::ProjectDirs::from("", "", "zapis")
        .map(|p| p.data_dir().to_path_buf())
        .ok_or(NoDataDir)
}
