use serde::{Deserialize, Serialize};
use std::sync::Arc;
use tauri::{AppHandle, Emitter, State};

use super::{message, CommandResult};
use crate::state::AppState;
use crate::tray;
use zapis::capture::{list_devices as capture_devices, SystemSource};
use zapis::consent::{
    self, ConsentSession, Language, Method, Notice, Participant, WithdrawalPolicy,
};
use zapis::events::{Event, EventSink};
use zapis::recording::{RecordingRequest, RecordingSession};
use zapis::settings::Settings;

#[derive(Deserialize)]
pub struct ParticipantDecision {
    name: String,
    email: Option<String>,
    decision: String,
}

#[derive(Serialize)]
pub struct NoticeView {
    version: String,
    language: String,
    text: String,
    script: String,
    chat_line: String,
}

#[derive(Serialize)]
pub struct RecordingView {
    state: &'static str,
    call_id: Option<i64>,
    started_at: Option<String>,
    participants: Vec<String>,
}

#[derive(Serialize)]
pub struct DeviceView {
    name: String,
    kind: &'static str,
    is_default: bool,
}

fn parse_language(tag: &str) -> CommandResult<Language> {
    tag.parse::<Language>().map_err(message)
}

/// The notice to show: the user's edited text for that language, or the built-in one.
fn current_notice(state: &AppState, language: Language) -> CommandResult<Notice> {
    let settings = Settings::load(&state.library()).map_err(message)?;
    let custom = match language {
        Language::En => settings.preferences.notice_text.en,
        Language::SrLatn => settings.preferences.notice_text.sr_latn,
    };
    match custom.filter(|t| !t.trim().is_empty()) {
        Some(text) => Notice::custom(language, text).map_err(message),
        None => Ok(Notice::builtin(language)),
    }
}

#[tauri::command]
pub fn notice(state: State<'_, AppState>, language: String) -> CommandResult<NoticeView> {
    let notice = current_notice(&state, parse_language(&language)?)?;
    Ok(NoticeView {
        version: notice.version().to_string(),
        language: notice.language().code().to_string(),
        text: notice.text().to_string(),
        script: notice.read_aloud().to_string(),
        chat_line: notice.chat_line().to_string(),
    })
}

#[tauri::command]
pub fn list_devices() -> CommandResult<Vec<DeviceView>> {
    let devices = capture_devices().map_err(message)?;
    Ok(devices
        .into_iter()
        .map(|d| DeviceView {
            kind: match d.kind {
                zapis::capture::DeviceKind::Input => "input",
                zapis::capture::DeviceKind::Monitor => "monitor",
            },
            name: d.name,
            is_default: d.is_default,
        })
        .collect())
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

#[tauri::command(async)]
pub fn start_recording(
    app: AppHandle,
    state: State<'_, AppState>,
    participants: Vec<ParticipantDecision>,
    language: String,
    method: String,
    title: Option<String>,
) -> CommandResult<serde_json::Value> {
    let mut slot = state.recording();
    if slot.is_some() {
        return Err("a call is already being recorded; stop it first".into());
    }
    // Parsed once, here: an unknown decision or method is an error, never read as a yes or as
    // "on-screen" (a receipt must say how consent was really given).
    for p in &participants {
        match p.decision.as_str() {
            "granted" => {}
            "declined" => return Err(format!("{} did not agree, so nothing is recorded", p.name)),
            other => {
                return Err(format!(
                    "unknown consent decision '{other}' for {}; expected granted or declined, so nothing is recorded",
                    p.name
                ))
            }
        }
    }
    let method = Method::parse_live(&method).map_err(message)?;
    let people = participants
        .iter()
        .map(|p| {
            Participant::new(
                p.name.clone(),
                p.email.clone().filter(|e| !e.trim().is_empty()),
            )
        })
        .collect::<Result<Vec<_>, _>>()
        .map_err(message)?;
    let notice = current_notice(&state, parse_language(&language)?)?;
    let mut consent =
        ConsentSession::new(people.clone(), WithdrawalPolicy::Purge).map_err(message)?;
    consent.show_notice(&notice).map_err(message)?;
    let mut receipts = Vec::new();
    for p in &people {
        receipts.push(
            consent
                .decide(
                    p.name(),
                    consent::Decision::OptIn,
                    method,
                    chrono::Utc::now(),
                )
                .map_err(message)?,
        );
    }
    let settings = Settings::load(&state.library()).map_err(message)?;
    let live_model = zapis::model::resolve(&state.data_dir, &settings.preferences.model).ok();
    let request = RecordingRequest {
        live_model,
        title,
        rep: None,
        language: settings.preferences.transcription_language.clone(),
        mic: settings.preferences.mic.clone(),
        system: settings
            .preferences
            .system
            .clone()
            .map_or(SystemSource::Default, SystemSource::Named),
    };
    let session = RecordingSession::start(
        &mut state.library(),
        consent,
        &receipts,
        &request,
        event_sink(app.clone()),
    )
    .map_err(message)?;
    let call_id = session.call_id();
    *slot = Some(session);
    // Release the session before touching the tray: the tray update waits for the main thread,
    // which may itself be waiting for this lock in `recording_state`.
    drop(slot);
    tray::set_recording(&app, true);
    Ok(serde_json::json!({ "call_id": call_id }))
}

/// Stops capture at once, then makes the final transcript and insights in the background.
#[tauri::command]
pub fn stop_recording(
    app: AppHandle,
    state: State<'_, AppState>,
) -> CommandResult<serde_json::Value> {
    stop_and_finish(&app, &state)
}

/// Shared by the Stop button and the tray's Stop item.
pub fn stop_and_finish(app: &AppHandle, state: &AppState) -> CommandResult<serde_json::Value> {
    let session = state
        .recording()
        .take()
        .ok_or("nothing is being recorded")?;
    tray::set_recording(app, false);
    let call_id = session.stop(&mut state.library()).map_err(message)?;
    let data_dir = state.data_dir.clone();
    let options = super::finish_options(state);
    let sink = event_sink(app.clone());
    std::thread::spawn(move || {
        let result = zapis::storage::Library::open(&data_dir)
            .map_err(message)
            .and_then(|mut library| {
                zapis::processing::finish_call(&mut library, call_id, &options, &*sink)
                    .map_err(message)
            });
        if let Err(message) = result {
            sink(Event::Error {
                message,
                fatal: false,
            });
        }
    });
    Ok(serde_json::json!({ "call_id": call_id }))
}

/// Someone took consent back: stop at once and delete what was captured.
#[tauri::command]
pub fn withdraw_consent(
    app: AppHandle,
    state: State<'_, AppState>,
    participant: String,
) -> CommandResult<()> {
    let session = state
        .recording()
        .take()
        .ok_or("nothing is being recorded")?;
    tray::set_recording(&app, false);
    session
        .withdraw(&mut state.library(), &participant, Method::OnScreen)
        .map(|_| ())
        .map_err(message)
}

#[tauri::command]
pub fn recording_state(state: State<'_, AppState>) -> RecordingView {
    match state.recording().as_ref() {
        Some(s) => RecordingView {
            state: "recording",
            call_id: Some(s.call_id()),
            started_at: Some(zapis::storage::format_time(s.started_at())),
            participants: s.participants(),
        },
        None => RecordingView {
            state: "idle",
            call_id: None,
            started_at: None,
            participants: Vec::new(),
        },
    }
}
