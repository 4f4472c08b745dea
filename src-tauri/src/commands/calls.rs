use chrono::NaiveDate;
use tauri::{AppHandle, State};

use super::{dialogs, CommandError, CommandResult};
use crate::state::AppState;
use zapis::crm::{export_call as render_export, CallExport, ExportFormat};
use zapis::storage::{ActionItem, ActionItemUpdate, CallQuery, CallSummary, CallVoice, Role};

/// Lines of older calls got their sentence vectors in the background (see `main.rs`).
pub const LINES_INDEXED_EVENT: &str = "zapis://lines-indexed";

#[tauri::command]
#[allow(clippy::too_many_arguments)] // one per filter the calls screen offers
pub fn list_calls(
    state: State<'_, AppState>,
    search: Option<String>,
    limit: Option<usize>,
    offset: Option<usize>,
    contact_email: Option<String>,
    sentiment: Option<String>,
    since: Option<NaiveDate>,
    until: Option<NaiveDate>,
) -> CommandResult<Vec<CallSummary>> {
    state
        .library()
        .list_calls(&CallQuery {
            search,
            contact_email,
            sentiment,
            since,
            until,
            limit: limit.unwrap_or(200),
            offset: offset.unwrap_or(0),
        })
        .map_err(CommandError::from)
}

#[tauri::command]
pub fn get_call(state: State<'_, AppState>, id: i64) -> CommandResult<CallExport> {
    CallExport::load(&state.library(), id).map_err(CommandError::from)
}

#[tauri::command(async)]
pub fn delete_call(state: State<'_, AppState>, id: i64) -> CommandResult<()> {
    state.library().delete_call(id).map_err(CommandError::from)
}

/// Exports a call to a file the user picks in the save dialog; `None` when they cancelled.
/// `dialog_title` is the dialog's title in the UI's language.
#[tauri::command(async)]
pub fn export_call(
    app: AppHandle,
    state: State<'_, AppState>,
    id: i64,
    format: String,
    dialog_title: String,
) -> CommandResult<Option<String>> {
    let format: ExportFormat = format.parse().map_err(CommandError::from)?;
    let extension = format.extension();
    let export = CallExport::load(&state.library(), id).map_err(CommandError::from)?;
    let name = format!(
        "{}.{extension}",
        zapis::paths::file_stem(&export.call.summary.title, "zapis-call")
    );
    let Some(path) = dialogs::save_file(&app, &dialog_title, &name, extension)? else {
        return Ok(None);
    };
    let text = render_export(&export, format);
    // An export holds what was said on the call: readable by the user only.
    let written = zapis::paths::create_private_file(&path)
        .and_then(|mut file| std::io::Write::write_all(&mut file, text.as_bytes()));
    written.map_err(|e| format!("cannot write {}: {e}; choose another place", path.display()))?;
    Ok(Some(path.display().to_string()))
}

/// An absent `due` keeps the date; `clear_due` removes it (the IPC layer reads a JSON null
/// argument as absent, so clearing needs its own flag).
#[tauri::command]
pub fn update_action_item(
    state: State<'_, AppState>,
    id: i64,
    done: Option<bool>,
    text: Option<String>,
    due: Option<NaiveDate>,
    clear_due: Option<bool>,
) -> CommandResult<ActionItem> {
    let due = if clear_due == Some(true) {
        Some(None)
    } else {
        due.map(Some)
    };
    Ok(zapis::app::update_action_item(
        &mut state.library(),
        id,
        &ActionItemUpdate { done, text, due },
    )?)
}

/// The recording of one side of a call, as a path the UI turns into an asset URL.
#[tauri::command]
pub fn audio_url(
    state: State<'_, AppState>,
    call_id: i64,
    role: Role,
) -> CommandResult<Option<String>> {
    let track = zapis::app::audio_track(&state.library(), call_id, role)?;
    Ok(track.map(|p| p.to_string_lossy().into_owned()))
}

/// Lines of every call that contain the words or mean something close (with the sentence model
/// installed), best first. Async: a large library's vectors take a moment to scan.
#[tauri::command(async)]
pub fn search_lines(
    state: State<'_, AppState>,
    query: String,
    limit: Option<usize>,
) -> CommandResult<zapis::app::LineSearch> {
    let limit = limit.unwrap_or(10).clamp(1, 200);
    Ok(zapis::app::search_lines(&state.library(), &query, limit)?)
}

/// The far side's voices of a call (empty until diarization ran).
#[tauri::command]
pub fn call_voices(state: State<'_, AppState>, call_id: i64) -> CommandResult<Vec<CallVoice>> {
    Ok(zapis::app::call_voices(&state.library(), call_id)?)
}

/// Names a far-side voice; its lines, metrics and action items take the name, and later calls
/// with the same person recognise the voice.
#[tauri::command]
pub fn name_voice(
    state: State<'_, AppState>,
    call_id: i64,
    voice: i64,
    name: String,
) -> CommandResult<Vec<CallVoice>> {
    Ok(zapis::app::name_voice(
        &mut state.library(),
        call_id,
        voice,
        &name,
    )?)
}

/// The voice is not who it was named after ("not me" on the rep's voice in a one-channel call):
/// it is "Speaker N" again.
#[tauri::command]
pub fn unname_voice(
    state: State<'_, AppState>,
    call_id: i64,
    voice: i64,
) -> CommandResult<Vec<CallVoice>> {
    Ok(zapis::app::unname_voice(
        &mut state.library(),
        call_id,
        voice,
    )?)
}

/// Puts a speaker on the rep's side or the customer's; the page reloads the call to show it.
#[tauri::command]
pub fn set_speaker_side(
    state: State<'_, AppState>,
    call_id: i64,
    speaker: String,
    side: Role,
) -> CommandResult<()> {
    zapis::app::set_speaker_side(&mut state.library(), call_id, &speaker, side)?;
    Ok(())
}

/// Two voices are one person: `from`'s lines join `into`.
#[tauri::command]
pub fn merge_voices(
    state: State<'_, AppState>,
    call_id: i64,
    from: i64,
    into: i64,
) -> CommandResult<Vec<CallVoice>> {
    Ok(zapis::app::merge_voices(
        &mut state.library(),
        call_id,
        from,
        into,
    )?)
}

/// Some lines of a voice are someone else: they become a new voice.
#[tauri::command]
pub fn split_voice(
    state: State<'_, AppState>,
    call_id: i64,
    lines: Vec<i64>,
) -> CommandResult<Vec<CallVoice>> {
    Ok(zapis::app::split_voice(&mut state.library(), call_id, &lines)?.1)
}
