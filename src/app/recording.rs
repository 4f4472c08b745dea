//! A recording from a typed request: who is on the call and what each of them decided, how they
//! were asked, which notice they saw. A request anyone declined is refused before any audio
//! device is opened; a granted one becomes the consent token's recording session.

use chrono::Utc;

use super::AppError;
use crate::capture::SystemSource;
use crate::consent::{
    self, ConsentSession, Language, Method, Notice, Participant, WithdrawalPolicy,
};
use crate::events::{Event, EventSink};
use crate::recording::{RecordingRequest, RecordingSession, Stopped, Withdrawn};
use crate::settings::Settings;
use crate::storage::Library;

/// A person's answer to the notice, as a front end collects it before recording.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LiveDecision {
    Granted,
    Declined,
}

/// A decision named in text that Zapis does not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown consent decision '{given}' for {participant}; expected granted or declined, so nothing is recorded")]
pub struct UnknownDecision {
    pub participant: String,
    pub given: String,
}

impl LiveDecision {
    /// The one parser of a decision from text (`granted`, `declined`): anything else is an
    /// error, never read as a yes.
    pub fn parse(participant: &str, text: &str) -> Result<LiveDecision, UnknownDecision> {
        match text {
            "granted" => Ok(LiveDecision::Granted),
            "declined" => Ok(LiveDecision::Declined),
            other => Err(UnknownDecision {
                participant: participant.to_string(),
                given: other.to_string(),
            }),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonDecision {
    pub participant: Participant,
    pub decision: LiveDecision,
}

/// Devices to record from; `None` takes the one in the settings (else the system default).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Devices {
    pub mic: Option<String>,
    pub system: Option<SystemSource>,
}

/// Everything a front end knows when the rep presses Record.
#[derive(Debug, Clone)]
pub struct RecordingStart {
    /// Everyone on the call, the rep first, with what each decided.
    pub people: Vec<PersonDecision>,
    /// How the decisions were collected.
    pub method: Method,
    /// The language the notice was shown (or read) in: the user's edited text for it, else
    /// the built-in one.
    pub notice_language: Language,
    pub title: Option<String>,
    /// What whisper listens for (`en`, `sr`, `auto`); `None` takes the settings'.
    pub transcription_language: Option<String>,
    /// Model for the live transcript; `None` takes the settings'.
    pub model: Option<String>,
    pub devices: Devices,
}

/// The notice to show for a language: the user's edited text, or the built-in one.
pub fn current_notice(library: &Library, language: Language) -> Result<Notice, AppError> {
    notice_in(&Settings::load(library)?, language)
}

fn notice_in(settings: &Settings, language: Language) -> Result<Notice, AppError> {
    let texts = &settings.preferences.notice_text;
    let custom = match language {
        Language::En => &texts.en,
        Language::SrLatn => &texts.sr_latn,
    };
    match custom.as_deref().filter(|t| !t.trim().is_empty()) {
        Some(text) => Ok(Notice::custom(language, text.to_string())?),
        None => Ok(Notice::builtin(language)),
    }
}

/// Starts recording when everyone granted consent; otherwise refuses, naming who declined, with
/// nothing captured. A live transcript that cannot start (no model installed) is said through
/// `sink` as a non-fatal error; the recording goes on and the final pass still runs.
pub fn start_recording(
    library: &mut Library,
    request: &RecordingStart,
    sink: EventSink,
) -> Result<RecordingSession, AppError> {
    if request.people.is_empty() {
        return Err(AppError::NoParticipants);
    }
    let declined: Vec<String> = request
        .people
        .iter()
        .filter(|p| p.decision == LiveDecision::Declined)
        .map(|p| p.participant.name().to_string())
        .collect();
    if !declined.is_empty() {
        return Err(AppError::Declined { names: declined });
    }
    let settings = Settings::load(library)?;
    let notice = notice_in(&settings, request.notice_language)?;
    let people: Vec<Participant> = request
        .people
        .iter()
        .map(|p| p.participant.clone())
        .collect();
    let mut consent = ConsentSession::new(people.clone(), WithdrawalPolicy::Purge)?;
    consent.show_notice(&notice)?;
    let mut receipts = Vec::with_capacity(people.len());
    for person in &people {
        receipts.push(consent.decide(
            person.name(),
            consent::Decision::OptIn,
            request.method,
            Utc::now(),
        )?);
    }
    let preferences = settings.preferences;
    let model = request.model.clone().unwrap_or(preferences.model);
    let (live_model, no_live_model) = match crate::model::resolve(library.data_dir(), &model) {
        Ok(path) => (Some(path), None),
        Err(e) => (None, Some(e)),
    };
    let recording = RecordingRequest {
        title: request.title.clone(),
        rep: None,
        language: request
            .transcription_language
            .clone()
            .unwrap_or(preferences.transcription_language),
        mic: request.devices.mic.clone().or(preferences.mic),
        system: request.devices.system.clone().unwrap_or_else(|| {
            preferences
                .system
                .map_or(SystemSource::Default, SystemSource::Named)
        }),
        live_model,
    };
    let session = RecordingSession::start(library, consent, &receipts, &recording, sink.clone())?;
    // After the session's "recording" state, which is always the first event anyone hears.
    if let Some(e) = no_live_model {
        sink(Event::Error {
            message: format!("recording without a live transcript: {e}"),
            fatal: false,
        });
    }
    Ok(session)
}

/// Stops capture and keeps the call (left in `processing`; run [`super::finish_call`] next).
pub fn stop_recording(
    library: &mut Library,
    session: RecordingSession,
) -> Result<Stopped, AppError> {
    Ok(session.finish(library)?)
}

/// A participant takes consent back during the call: capture stops at once and, under the
/// default policy, everything captured is deleted.
pub fn withdraw(
    library: &mut Library,
    session: RecordingSession,
    participant: &str,
    method: Method,
) -> Result<Withdrawn, AppError> {
    Ok(session.withdraw(library, participant, method)?)
}
