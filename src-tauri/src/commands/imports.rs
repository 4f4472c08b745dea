//! Importing a recording or a Teams/Zoom/SRT transcript from the app. The file comes from the
//! system's open dialog or from a drop onto the window; either way the shell keeps its path and
//! the webview only ever sees a number and the file's name. The import itself is the CLI's:
//! `zapis::app::import_file`, with the same consent confirmation.

use serde::Serialize;
use std::path::{Path, PathBuf};
use tauri::{AppHandle, Emitter, State};

use super::{dialogs, CallRef, CommandError, CommandResult};
use crate::state::AppState;
use zapis::app::{self, ImportRequest};
use zapis::import::ImportOptions;

/// A file the user picked or dropped, waiting for their consent confirmation.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, ts_rs::TS)]
pub struct PendingImport {
    pub id: u64,
    /// The file's name, without its folder.
    pub name: String,
    pub kind: ImportKind,
}

#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
pub enum ImportKind {
    /// A Teams/Zoom/SRT transcript, read as it is.
    Transcript,
    /// Audio, transcribed on this computer.
    Recording,
}

/// `zapis://import-progress`: how far an import is, 0–100.
#[derive(Serialize, Clone, ts_rs::TS)]
pub struct ImportProgress {
    id: u64,
    percent: f32,
}

/// Describes a path for the UI and remembers it under a new id.
pub fn register(state: &AppState, path: PathBuf) -> PendingImport {
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let kind = kind_of(&path);
    let id = state.add_pending_import(path);
    PendingImport { id, name, kind }
}

fn kind_of(path: &Path) -> ImportKind {
    if zapis::import::is_transcript(path) {
        ImportKind::Transcript
    } else {
        ImportKind::Recording
    }
}

/// Files dropped onto the window become pending imports; the UI hears their ids and names as
/// `zapis://import-dropped` and asks for the consent confirmation.
pub fn dropped(app: &AppHandle, state: &AppState, paths: &[PathBuf]) {
    let pending: Vec<PendingImport> = paths
        .iter()
        .filter(|p| p.is_file())
        .map(|p| register(state, p.clone()))
        .collect();
    if !pending.is_empty() {
        let _ = app.emit("zapis://import-dropped", &pending);
    }
}

/// Opens the system's file dialog; `None` when the user cancelled.
#[tauri::command(async)]
pub fn choose_import(
    app: AppHandle,
    state: State<'_, AppState>,
    dialog_title: String,
) -> CommandResult<Option<PendingImport>> {
    let Some(path) = dialogs::open_import(&app, &dialog_title)? else {
        return Ok(None);
    };
    Ok(Some(register(&state, path)))
}

/// The language of a call as the UI names it (`en`, `sr`); anything else is refused.
fn call_language(text: Option<String>) -> CommandResult<Option<String>> {
    match text.as_deref() {
        None | Some("en") | Some("sr") => Ok(text),
        Some(other) => Err(CommandError::from(
            zapis::app::AppError::UnknownCallLanguage {
                given: other.to_string(),
            },
        )),
    }
}

/// Imports a pending file once the user confirmed that everyone agreed; a recording is
/// transcribed here with the settings' model, its progress sent as `zapis://import-progress`.
#[tauri::command(async)]
pub fn import_pending(
    app: AppHandle,
    state: State<'_, AppState>,
    id: u64,
    consent_confirmed: bool,
    title: Option<String>,
    language: Option<String>,
) -> CommandResult<CallRef> {
    let language = call_language(language)?;
    let path = state.pending_import(id).ok_or_else(|| {
        CommandError::from("that file is no longer waiting to be imported; choose it again")
    })?;
    let request = ImportRequest {
        options: ImportOptions {
            title: title.filter(|t| !t.trim().is_empty()),
            consent_confirmed,
            language,
            ..ImportOptions::default()
        },
        ..ImportRequest::default()
    };
    // A new connection: a long transcription must not hold the app's library lock.
    let mut library = zapis::storage::Library::open(&state.data_dir)?;
    let imported = app::import_file(&mut library, &path, &request, &mut |done| {
        let _ = app.emit(
            "zapis://import-progress",
            ImportProgress {
                id,
                percent: done * 100.0,
            },
        );
    })?;
    state.take_pending_import(id);
    Ok(CallRef {
        call_id: imported.call_id,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transcripts_and_recordings_are_told_apart_by_their_extension() {
        assert_eq!(
            kind_of(Path::new("/x/Weekly sync.vtt")),
            ImportKind::Transcript
        );
        assert_eq!(kind_of(Path::new("/x/call.SRT")), ImportKind::Transcript);
        assert_eq!(kind_of(Path::new("/x/call.wav")), ImportKind::Recording);
        assert_eq!(kind_of(Path::new("/x/call.mp3")), ImportKind::Recording);
    }

    #[test]
    fn only_the_languages_the_ui_offers_are_accepted() {
        assert_eq!(call_language(None).unwrap(), None);
        assert_eq!(
            call_language(Some("sr".into())).unwrap().as_deref(),
            Some("sr")
        );
        let error = call_language(Some("klingon".into())).unwrap_err();
        assert_eq!(error.code, "invalid_input");
    }
}
