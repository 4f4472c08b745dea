//! Where the per-user data lives.

use std::path::{Path, PathBuf};

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

/// Creates `dir` (and its parents) if needed and makes it private to its owner (0700). An
/// existing folder is tightened too: the data folder holds recordings and transcripts, and an
/// older Zapis, or a command that created it first, may have left it 0755. Tightening only takes
/// rights away from group and others: a folder its owner made read-only stays read-only.
pub fn ensure_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut created = false;
    if !dir.is_dir() {
        if let Some(parent) = dir.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)?;
        }
        let mut builder = std::fs::DirBuilder::new();
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        match builder.create(dir) {
            Ok(()) => created = true,
            // Another process made it in the meantime: tighten it below like any existing one.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && dir.is_dir() => {}
            Err(e) => return Err(e),
        }
    }
    if created {
        set_mode(dir, 0o700)
    } else {
        set_mode(dir, mode_of(dir)? & 0o700)
    }
}

fn mode_of(path: &Path) -> std::io::Result<u32> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        Ok(std::fs::metadata(path)?.permissions().mode() & 0o777)
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        Ok(0o700)
    }
}

/// Creates (or truncates) a file only its owner can read and write (0600).
pub fn create_private_file(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let file = options.open(path)?;
    // The mode above only applies to a new file; an existing one keeps its own.
    set_mode(path, 0o600)?;
    Ok(file)
}

/// Makes an existing file private to its owner (0600), e.g. after `fs::copy`, which copies the
/// source's mode.
pub fn make_private_file(path: &Path) -> std::io::Result<()> {
    set_mode(path, 0o600)
}

/// Makes every file and folder this process creates from now on private to its owner, whatever
/// library writes it (whisper, hound, tracing's log files). The front ends call it first thing.
pub fn restrict_new_files() {
    #[cfg(unix)]
    // SAFETY: umask only swaps the process's file-creation mask; it cannot fail.
    unsafe {
        libc::umask(0o077);
    }
}

fn set_mode(path: &Path, mode: u32) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let current = std::fs::metadata(path)?.permissions().mode() & 0o777;
        if current != mode {
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))?;
        }
    }
    #[cfg(not(unix))]
    let _ = (path, mode);
    Ok(())
}

/// Fails unless `path` is a regular file (after following links). Reading a FIFO blocks until
/// someone writes to it, and a device may never end: Zapis only imports files.
pub fn require_regular_file(path: &Path) -> std::io::Result<()> {
    let meta = std::fs::metadata(path)?;
    if meta.is_file() {
        return Ok(());
    }
    let kind = if meta.is_dir() {
        "a folder"
    } else {
        "not a regular file (a pipe, socket or device)"
    };
    Err(std::io::Error::new(
        std::io::ErrorKind::InvalidInput,
        format!("it is {kind}; give the path of a file"),
    ))
}

/// A file or folder name made from free text (a call's title, an email address): lower-case
/// letters and digits, everything else folded to one `-`, at most 80 characters; `fallback`
/// when nothing is left. Never a separator, a dot or `..`.
pub fn file_stem(text: &str, fallback: &str) -> String {
    let mut stem = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            stem.push(c);
        } else if !stem.ends_with('-') && !stem.is_empty() {
            stem.push('-');
        }
    }
    let stem: String = stem.trim_end_matches('-').chars().take(80).collect();
    if stem.is_empty() {
        fallback.to_owned()
    } else {
        stem
    }
}

#[cfg(test)]
mod file_stem_tests {
    use super::file_stem;

    #[test]
    fn file_names_never_carry_separators_or_dots() {
        assert_eq!(file_stem("Acme / Q3 renewal..", "call"), "acme-q3-renewal");
        assert_eq!(file_stem("../../etc/passwd", "call"), "etc-passwd");
        assert_eq!(file_stem("Čačak: ponuda", "call"), "čačak-ponuda");
        assert_eq!(file_stem(" // ", "call"), "call");
    }
}
