//! Installed models live in `<data_dir>/models/<name>.bin`, each with a
//! `<name>.bin.sha256` record in `sha256sum` format.

use std::fs::{self, File};
use std::io::{BufReader, Read, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::model::convert::{hex, sync_dir};
use crate::model::ggml::{inspect_ggml, WeightKind};
use crate::model::{convert_ct2_dir, ModelError, Quantization};

/// One model file in the data dir. `kind` is `None` and `problem` says why when the
/// file is not a loadable ggml Whisper model.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
pub struct InstalledModel {
    pub name: String,
    pub path: PathBuf,
    pub bytes: u64,
    pub sha256: String,
    pub kind: Option<WeightKind>,
    pub multilingual: bool,
    pub problem: Option<String>,
}

/// The name a model file goes by: an installed model's name (`tiny.en` for `models/tiny.en.bin`),
/// or the stem of a file the user pointed at.
pub fn label(model_file: &Path) -> String {
    model_file.file_stem().map_or_else(
        || model_file.display().to_string(),
        |s| s.to_string_lossy().into_owned(),
    )
}

pub fn models_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("models")
}

/// Lists installed models by name, checking each file's structure.
pub fn list_models(data_dir: &Path) -> Result<Vec<InstalledModel>, ModelError> {
    let dir = models_dir(data_dir);
    let entries = match fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(ModelError::io("list", &dir, e)),
    };
    let mut models = Vec::new();
    for entry in entries {
        let path = entry.map_err(|e| ModelError::io("list", &dir, e))?.path();
        let name = match path.file_name().and_then(|n| n.to_str()) {
            Some(n) if !n.starts_with('.') => n.strip_suffix(".bin").map(str::to_owned),
            _ => None,
        };
        if let Some(name) = name {
            models.push(describe(&name, &path)?);
        }
    }
    models.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(models)
}

/// Finds a model by installed name, or accepts a path to a ggml file, and checks it.
pub fn resolve(data_dir: &Path, name_or_path: &str) -> Result<PathBuf, ModelError> {
    let as_path = Path::new(name_or_path);
    let path = if as_path.is_file() {
        as_path.to_path_buf()
    } else {
        let installed = models_dir(data_dir).join(format!("{name_or_path}.bin"));
        if !valid_name(name_or_path) || !installed.is_file() {
            let known = crate::model::KNOWN_MODELS
                .iter()
                .any(|m| m.name == name_or_path);
            return Err(ModelError::NotInstalled {
                name: name_or_path.to_owned(),
                suggestion: if known { name_or_path } else { "tiny.en" }.to_owned(),
            });
        }
        installed
    };
    inspect_ggml(&path)?;
    verify_unchanged(&path)?;
    Ok(path)
}

/// Checks an installed model against the sha256 recorded when it was installed. Hashing 40–500
/// MB at every start would cost seconds, so the full hash runs only when the file's size or
/// modification time differ from those of its last good check (kept beside it); a model without
/// a recorded hash (a file the user points at) is taken as it is.
pub(crate) fn verify_unchanged(model: &Path) -> Result<(), ModelError> {
    let Some(recorded) = recorded_sha256(model) else {
        return Ok(());
    };
    let meta = fs::metadata(model).map_err(|e| ModelError::io("read metadata of", model, e))?;
    let modified = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    let stamp = format!("{} {modified} {recorded}", meta.len());
    let stamp_path = side_path(model, ".verified");
    if fs::read_to_string(&stamp_path).is_ok_and(|s| s.trim() == stamp) {
        return Ok(());
    }
    let started = std::time::Instant::now();
    let file = File::open(model).map_err(|e| ModelError::io("open", model, e))?;
    let actual =
        copy_hashing(file, &mut std::io::sink()).map_err(|e| ModelError::io("read", model, e))?;
    tracing::info!(
        model = %model.display(),
        elapsed_ms = started.elapsed().as_millis() as u64,
        matches = actual == recorded,
        "model hash checked after a change"
    );
    if actual != recorded {
        return Err(ModelError::Tampered {
            path: model.to_path_buf(),
            recorded,
            actual,
        });
    }
    // Only a cache of the check: if it cannot be written, the next load hashes again.
    let _ = fs::write(&stamp_path, format!("{stamp}\n"));
    Ok(())
}

/// Copies a ggml model the user already has into the data dir, after validating it.
pub fn add_ggml(
    data_dir: &Path,
    file: &Path,
    name: Option<&str>,
) -> Result<InstalledModel, ModelError> {
    inspect_ggml(file)?;
    let name = name_for(name, file)?;
    let target = target_path(data_dir, &name)?;
    let dir = models_dir(data_dir);
    let mut tmp = tempfile::Builder::new()
        .prefix(".zapis-add-")
        .suffix(".part")
        .tempfile_in(&dir)
        .map_err(|e| ModelError::io("create a temporary file in", &dir, e))?;
    let src = File::open(file).map_err(|e| ModelError::io("open", file, e))?;
    let sha256 =
        copy_hashing(src, tmp.as_file_mut()).map_err(|e| ModelError::io("copy", file, e))?;
    tmp.as_file()
        .sync_all()
        .map_err(|e| ModelError::io("write", tmp.path(), e))?;
    tmp.persist(&target)
        .map_err(|e| ModelError::io("move the model to", &target, e.error))?;
    record_sha256(&target, &sha256)?;
    describe(&name, &target)
}

/// Converts a local CTranslate2 Whisper directory into an installed model.
pub fn import_ct2_dir(
    data_dir: &Path,
    ct2_dir: &Path,
    name: Option<&str>,
    quant: Quantization,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<InstalledModel, ModelError> {
    let name = name_for(name, ct2_dir)?;
    let target = target_path(data_dir, &name)?;
    let report = convert_ct2_dir(ct2_dir, &target, quant, progress)?;
    record_sha256(&target, &report.sha256)?;
    describe(&name, &target)
}

pub(crate) fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
}

fn name_for(name: Option<&str>, source: &Path) -> Result<String, ModelError> {
    let derived = source
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    let name = name.unwrap_or(derived);
    if valid_name(name) {
        Ok(name.to_owned())
    } else {
        Err(ModelError::InvalidName {
            name: name.to_owned(),
        })
    }
}

/// The destination for a new model, refusing to overwrite an installed one.
pub(crate) fn target_path(data_dir: &Path, name: &str) -> Result<PathBuf, ModelError> {
    let dir = models_dir(data_dir);
    // Models may be the first thing written to a new data folder: make it private like the
    // library does, not whatever the umask gives.
    crate::paths::ensure_private_dir(data_dir)
        .and_then(|()| crate::paths::ensure_private_dir(&dir))
        .map_err(|e| ModelError::io("create", &dir, e))?;
    let target = dir.join(format!("{name}.bin"));
    if target.exists() {
        return Err(ModelError::AlreadyInstalled {
            name: name.to_owned(),
            path: target,
        });
    }
    Ok(target)
}

pub(crate) fn describe(name: &str, path: &Path) -> Result<InstalledModel, ModelError> {
    let bytes = fs::metadata(path)
        .map_err(|e| ModelError::io("read metadata of", path, e))?
        .len();
    let (kind, multilingual, problem) = match inspect_ggml(path) {
        Ok(info) => (Some(info.kind), info.is_multilingual(), None),
        Err(e) => (None, false, Some(e.to_string())),
    };
    let sha256 = match recorded_sha256(path) {
        Some(h) => h,
        None => {
            let f = File::open(path).map_err(|e| ModelError::io("open", path, e))?;
            copy_hashing(f, &mut std::io::sink()).map_err(|e| ModelError::io("read", path, e))?
        }
    };
    Ok(InstalledModel {
        name: name.to_owned(),
        path: path.to_path_buf(),
        bytes,
        sha256,
        kind,
        multilingual,
        problem,
    })
}

fn sha_path(model: &Path) -> PathBuf {
    side_path(model, ".sha256")
}

fn side_path(model: &Path, suffix: &str) -> PathBuf {
    let mut s = model.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

fn recorded_sha256(model: &Path) -> Option<String> {
    let text = fs::read_to_string(sha_path(model)).ok()?;
    let hash = text.split_whitespace().next()?;
    (hash.len() == 64 && hash.chars().all(|c| c.is_ascii_hexdigit())).then(|| hash.to_lowercase())
}

pub(crate) fn record_sha256(model: &Path, sha256: &str) -> Result<(), ModelError> {
    let path = sha_path(model);
    let dir = model.parent().unwrap_or(Path::new("."));
    let file_name = model
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    let mut tmp = tempfile::Builder::new()
        .prefix(".zapis-sha-")
        .tempfile_in(dir)
        .map_err(|e| ModelError::io("create a temporary file in", dir, e))?;
    writeln!(tmp, "{sha256}  {file_name}").map_err(|e| ModelError::io("write", &path, e))?;
    tmp.persist(&path)
        .map_err(|e| ModelError::io("write", &path, e.error))?;
    sync_dir(dir);
    Ok(())
}

pub(crate) fn copy_hashing(src: impl Read, dst: &mut impl Write) -> std::io::Result<String> {
    let mut reader = BufReader::with_capacity(1 << 20, src);
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = reader.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        dst.write_all(&buf[..n])?;
    }
    dst.flush()?;
    Ok(hex(&hasher.finalize()))
}
