//! The rights of access and erasure: a person's data as a complete, readable export, and erasure
//! that leaves nothing behind.

mod report;

use chrono::{DateTime, Utc};
use serde::Serialize;
use std::fs;
use std::path::{Path, PathBuf};

use crate::crm::CallExport;
use crate::storage::{types::rfc3339, AuditEntry, ContactCard, Erasure, Library, StorageError};

#[derive(Debug, thiserror::Error)]
pub enum PrivacyError {
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error("nothing is stored about {0}: no contact, call, participant or consent receipt has that email")]
    UnknownPerson(String),
    #[error("{0} already exists and is not empty; choose a new or empty folder so nothing is mixed or overwritten")]
    OutputNotEmpty(PathBuf),
    #[error("cannot write the export to {path}: {source}; nothing was left behind")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Who an export is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    Person(String),
    Everyone,
}

/// The machine-readable half of an export (`data.json`).
#[derive(Debug, Serialize)]
pub struct ExportData {
    #[serde(with = "rfc3339")]
    pub exported_at: DateTime<Utc>,
    pub subject: String,
    pub contact: Option<ContactCard>,
    pub calls: Vec<CallExport>,
    pub audit: Vec<AuditEntry>,
    pub audio_files: Vec<String>,
}

/// Writes everything stored about `subject` to `out`: `data.json`, `report.md` and `audio/`.
/// The folder appears complete or not at all.
pub fn export(
    library: &Library,
    subject: &Subject,
    out: &Path,
) -> Result<ExportData, PrivacyError> {
    if out.exists()
        && fs::read_dir(out)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        return Err(PrivacyError::OutputNotEmpty(out.to_path_buf()));
    }
    let (label, contact, call_ids) = match subject {
        Subject::Person(email) => {
            let ids = library.calls_involving(email)?;
            let contact = library.contact(email).ok().map(|c| c.contact);
            if ids.is_empty() && contact.is_none() {
                return Err(PrivacyError::UnknownPerson(email.clone()));
            }
            (email.clone(), contact, ids)
        }
        Subject::Everyone => {
            let all = library.list_calls(&crate::storage::CallQuery {
                limit: usize::MAX >> 1,
                ..Default::default()
            })?;
            (
                "everyone".to_string(),
                None,
                all.into_iter().rev().map(|c| c.id).collect(),
            )
        }
    };
    let calls = call_ids
        .iter()
        .map(|&id| CallExport::load(library, id))
        .collect::<Result<Vec<_>, _>>()?;
    let audit = library.audit_for_calls(&call_ids)?;

    let staging = staging_dir(out)?;
    let result = write_export(&staging, label, contact, calls, audit).and_then(|data| {
        if out.exists() {
            fs::remove_dir(out).map_err(|source| PrivacyError::Write {
                path: out.to_path_buf(),
                source,
            })?;
        }
        fs::rename(&staging, out).map_err(|source| PrivacyError::Write {
            path: out.to_path_buf(),
            source,
        })?;
        Ok(data)
    });
    if result.is_err() {
        let _ = fs::remove_dir_all(&staging);
    }
    let data = result?;
    library.audit(
        "privacy.exported",
        "a person",
        &format!("{} calls", data.calls.len()),
    )?;
    Ok(data)
}

fn write_export(
    dir: &Path,
    subject: String,
    contact: Option<ContactCard>,
    calls: Vec<CallExport>,
    audit: Vec<AuditEntry>,
) -> Result<ExportData, PrivacyError> {
    let write_err = |path: &Path| {
        let path = path.to_path_buf();
        move |source| PrivacyError::Write { path, source }
    };
    let mut audio_files = Vec::new();
    for call in &calls {
        let Some(src) = call.call.audio_dir.as_deref().filter(|d| d.is_dir()) else {
            continue;
        };
        let dest = dir
            .join("audio")
            .join(format!("call-{}", call.call.summary.id));
        crate::paths::ensure_private_dir(&dest).map_err(write_err(&dest))?;
        for entry in fs::read_dir(src).map_err(write_err(src))? {
            let entry = entry.map_err(write_err(src))?;
            if entry.path().is_file() {
                let target = dest.join(entry.file_name());
                fs::copy(entry.path(), &target)
                    .and_then(|_| crate::paths::make_private_file(&target))
                    .map_err(write_err(&target))?;
                if let Ok(rel) = target.strip_prefix(dir) {
                    audio_files.push(rel.to_string_lossy().into_owned());
                }
            }
        }
    }
    let data = ExportData {
        exported_at: Utc::now(),
        subject,
        contact,
        calls,
        audit,
        audio_files,
    };
    let json_path = dir.join("data.json");
    let json = serde_json::to_vec_pretty(&data).map_err(|e| PrivacyError::Write {
        path: json_path.clone(),
        source: std::io::Error::other(e),
    })?;
    write_private(&json_path, &json).map_err(write_err(&json_path))?;
    let report_path = dir.join("report.md");
    write_private(&report_path, report::markdown(&data).as_bytes())
        .map_err(write_err(&report_path))?;
    Ok(data)
}

fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    crate::paths::create_private_file(path)?.write_all(bytes)
}

/// A hidden sibling of `out`, so the final rename stays on one file system.
fn staging_dir(out: &Path) -> Result<PathBuf, PrivacyError> {
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "export".into());
    let staging = parent.join(format!(".{name}.partial-{}", std::process::id()));
    let _ = fs::remove_dir_all(&staging);
    // A person's data: readable by the user who exported it only, until they hand it over.
    crate::paths::ensure_private_dir(&staging).map_err(|source| PrivacyError::Write {
        path: out.to_path_buf(),
        source,
    })?;
    Ok(staging)
}

/// Erases everything about a person (see [`Library::erase_person`]).
pub fn erase(library: &mut Library, email: &str) -> Result<Erasure, PrivacyError> {
    library.erase_person(email).map_err(|e| match e {
        StorageError::ContactNotFound(email) => PrivacyError::UnknownPerson(email),
        other => other.into(),
    })
}
