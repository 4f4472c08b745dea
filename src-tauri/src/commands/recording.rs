use serde::{Deserialize, Serialize};
use std::sync::Arc;
use tauri::{AppHandle, Emitter, State};

use super::{CallRef, CommandError, CommandResult};
use crate::state::AppState;
use crate::tray;
use zapis::app::{self, AppError, LiveDecision, PersonDecision, RecordingStart};
use zapis::capture::{list_devices as capture_devices, DeviceInfo};
use zapis::consent::{Language, Method, Participant};
use zapis::events::{Event, EventSink};

/// One person's answer on the consent screen; `decision` is `granted` or `declined`, and
/// anything else refuses the recording.
#[derive(Deserialize, ts_rs::TS)]
pub struct ParticipantDecision {
    name: String,
    email: Option<String>,
    decision: String,
}

/// The recording notice as the consent screen shows it: to read, to read aloud, to paste in chat.
#[derive(Serialize, ts_rs::TS)]
pub struct NoticeView {
    version: String,
    language: Language,
    text: String,
    script: String,
    chat_line: String,
}

#[derive(Serialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
pub enum RecordingStatus {
    Idle,
    Recording,
}

#[derive(Serialize, ts_rs::TS)]
pub struct RecordingView {
    state: RecordingStatus,
    call_id: Option<i64>,
    /// RFC 3339, UTC.
    started_at: Option<String>,
    participants: Vec<String>,
}

fn parse_language(tag: &str) -> CommandResult<Language> {
    tag.parse::<Language>()
        .map_err(|e| AppError::from(zapis::consent::ConsentError::from(e)).into())
}

#[tauri::command]
pub fn notice(state: State<'_, AppState>, language: String) -> CommandResult<NoticeView> {
    let notice = app::current_notice(&state.library(), parse_language(&language)?)?;
    Ok(NoticeView {
        version: notice.version().to_string(),
        language: notice.language(),
        text: notice.text().to_string(),
        script: notice.read_aloud().to_string(),
        chat_line: notice.chat_line().to_string(),
    })
}

#[tauri::command]
pub fn list_devices() -> CommandResult<Vec<DeviceInfo>> {
    capture_devices().map_err(CommandError::from)
}

fn event_sink(app: AppHandle) -> EventSink {
    Arc::new(move |event: Event| {
        let name = match &event {
            Event::State { .. } => "zapis://state",
            Event::Level { .. } => "zapis://level",
            Event::Segment { .. } => "zapis://segment",
            Event::Progress { .. } => "zapis://progress",
            Event::Error { .. } => "zapis://error",
        };
        let _ = app.emit(name, &event);
    })
}

/// The consent screen's answers as typed values: parsed once, here, and an unknown decision,
/// method or language is an error, never read as a yes or as "on-screen".
fn recording_start(
    participants: Vec<ParticipantDecision>,
    language: &str,
    method: &str,
    title: Option<String>,
) -> Result<RecordingStart, AppError> {
    let people = participants
        .into_iter()
        .map(|p| {
            let decision = LiveDecision::parse(&p.name, &p.decision)?;
            let email = p.email.filter(|e| !e.trim().is_empty());
            Ok(PersonDecision {
                participant: Participant::new(p.name, email)?,
                decision,
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    Ok(RecordingStart {
        people,
        method: Method::parse_live(method)?,
        notice_language: language
            .parse::<Language>()
            .map_err(zapis::consent::ConsentError::from)?,
        title,
        // The app records with what its settings say: devices, model, transcription language.
        transcription_language: None,
        model: None,
        devices: app::Devices::default(),
    })
}

#[tauri::command(async)]
pub fn start_recording(
    app: AppHandle,
    state: State<'_, AppState>,
    participants: Vec<ParticipantDecision>,
    language: String,
    method: String,
    title: Option<String>,
) -> CommandResult<CallRef> {
    let mut slot = state.recording();
    if slot.is_some() {
        return Err(AppError::AlreadyRecording.into());
    }
    let request = recording_start(participants, &language, &method, title)?;
    let session = app::start_recording(&mut state.library(), &request, event_sink(app.clone()))?;
    let call_id = session.call_id();
    *slot = Some(session);
    // Release the session before touching the tray: the tray update waits for the main thread,
    // which may itself be waiting for this lock in `recording_state`.
    drop(slot);
    tray::set_recording(&app, true);
    Ok(CallRef { call_id })
}

/// Stops capture at once, then makes the final transcript and insights in the background.
#[tauri::command]
pub fn stop_recording(app: AppHandle, state: State<'_, AppState>) -> CommandResult<CallRef> {
    stop_and_finish(&app, &state)
}

/// Shared by the Stop button and the tray's Stop item.
pub fn stop_and_finish(app: &AppHandle, state: &AppState) -> CommandResult<CallRef> {
    let session = state.recording().take().ok_or(AppError::NotRecording)?;
    tray::set_recording(app, false);
    let call_id = app::stop_recording(&mut state.library(), session)?.call_id;
    let data_dir = state.data_dir.clone();
    let sink = event_sink(app.clone());
    // A failure is sent to the UI as an error event by finish_call_at itself.
    std::thread::spawn(move || app::finish_call_at(&data_dir, call_id, &*sink));
    Ok(CallRef { call_id })
}

/// Someone took consent back: stop at once and delete what was captured.
#[tauri::command]
pub fn withdraw_consent(
    app: AppHandle,
    state: State<'_, AppState>,
    participant: String,
) -> CommandResult<()> {
    let session = state.recording().take().ok_or(AppError::NotRecording)?;
    tray::set_recording(&app, false);
    app::withdraw(
        &mut state.library(),
        session,
        &participant,
        Method::OnScreen,
    )?;
    Ok(())
}

#[tauri::command]
pub fn recording_state(state: State<'_, AppState>) -> RecordingView {
    match state.recording().as_ref() {
        Some(s) => RecordingView {
            state: RecordingStatus::Recording,
            call_id: Some(s.call_id()),
            started_at: Some(zapis::storage::format_time(s.started_at())),
            participants: s.participants(),
        },
        None => RecordingView {
            state: RecordingStatus::Idle,
            call_id: None,
            started_at: None,
            participants: Vec::new(),
        },
    }
}
