//! After a call: the final transcript, insights, and the "ready" notification. Recorded,
//! recovered and imported calls all finish here.

mod echo;
pub mod final_pass;
pub mod live;
mod vad;

pub use echo::{drop_echoes, is_echo, Timed};
pub use vad::{dbfs, Utterance, Vad, VadConfig};

use crate::analysis;
use crate::capture::Channel;
use crate::events::{report_failure, Event, SessionState};
use crate::notify::{self, Notification};
use crate::storage::{CallStatus, Library, Role, StorageError};
use final_pass::Voice;

/// How to make the final transcript.
#[derive(Debug, Clone)]
pub struct FinishOptions {
    /// Installed model name or model file.
    pub model: String,
    /// `en`, `sr` or `auto`.
    pub language: String,
    /// Beam width for the final pass (accuracy over speed).
    pub beam: Option<usize>,
    pub threads: Option<usize>,
}

impl Default for FinishOptions {
    fn default() -> Self {
        FinishOptions {
            model: "tiny.en".into(),
            language: "en".into(),
            beam: Some(2),
            threads: None,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum FinishError {
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error(transparent)]
    Model(#[from] crate::model::ModelError),
    #[error(transparent)]
    Transcribe(#[from] crate::transcribe::TranscribeError),
}

/// The rep's and the customer side's voices of a stored call, from its participants.
pub fn voices(library: &Library, call_id: i64) -> Result<(Voice, Voice), StorageError> {
    let people = library.participants(call_id)?;
    let rep = people
        .iter()
        .find(|p| p.role == Role::Rep)
        .map_or("Rep".to_string(), |p| p.name.clone());
    let customers: Vec<&str> = people
        .iter()
        .filter(|p| p.role == Role::Customer)
        .map(|p| p.name.as_str())
        .collect();
    let customer = match customers.as_slice() {
        [one] => one.to_string(),
        _ => "Customer".to_string(),
    };
    Ok((
        Voice {
            role: Role::Rep,
            speaker: rep,
        },
        Voice {
            role: Role::Customer,
            speaker: customer,
        },
    ))
}

/// Makes the final transcript of a recorded call from its audio (when the model is installed),
/// stores it in place of the live one, computes insights, marks the call ready and tells the user.
/// Any failure marks the call failed (its recording is kept) and is reported through `sink` and
/// the desktop once, here; callers only pass the error on.
pub fn finish_call(
    library: &mut Library,
    call_id: i64,
    options: &FinishOptions,
    sink: &dyn Fn(Event),
) -> Result<(), FinishError> {
    let result = finish_stored_call(library, call_id, options, sink);
    if let Err(e) = &result {
        tracing::error!(call_id, error = %crate::logging::redact(&e.to_string()), "finishing the call failed");
        if let Err(status) = library.set_call_status(call_id, CallStatus::Failed) {
            tracing::error!(call_id, error = %status, "cannot mark the call failed");
        }
        let message = match e {
            FinishError::Storage(_) => {
                format!("the call could not be finished: {e}; the recording is kept")
            }
            _ => format!("the final transcript failed: {e}; the recording is kept"),
        };
        report_failure(sink, call_id, &message);
    }
    result
}

fn finish_stored_call(
    library: &mut Library,
    call_id: i64,
    options: &FinishOptions,
    sink: &dyn Fn(Event),
) -> Result<(), FinishError> {
    let call = library.call(call_id)?;
    let track = |channel| {
        call.audio_dir
            .as_deref()
            .map(|dir| crate::capture::final_path(dir, channel))
            .filter(|p| p.is_file())
    };
    if let Some(mic) = track(Channel::Mic) {
        let system = track(Channel::System);
        let started = std::time::Instant::now();
        let result = final_transcript(library, call_id, &mic, system.as_deref(), options, sink);
        tracing::info!(
            call_id,
            elapsed_ms = started.elapsed().as_millis() as u64,
            ok = result.is_ok(),
            "final transcript"
        );
        result?;
    }
    sink(Event::Progress {
        stage: "insights".into(),
        percent: 0.0,
        eta_seconds: None,
    });
    let started = std::time::Instant::now();
    let insights = analysis::refresh_insights(library, call_id)?;
    tracing::info!(
        call_id,
        elapsed_ms = started.elapsed().as_millis() as u64,
        action_items = insights.action_items.len(),
        "insights"
    );
    sink(Event::Progress {
        stage: "insights".into(),
        percent: 100.0,
        eta_seconds: Some(0.0),
    });
    library.set_call_status(call_id, CallStatus::Ready)?;
    let title = library.call_summary(call_id)?.title;
    sink(Event::State {
        state: SessionState::Ready,
        call_id,
        detail: None,
    });
    notify::show(&Notification::Ready {
        call_id,
        title,
        action_items: insights.action_items.len(),
    });
    tell_voices_apart(library, call_id, sink);
    learn_meanings(library, call_id, sink);
    Ok(())
}

/// After the call is ready: a sentence vector for each line, for search by meaning, when the
/// sentence model is installed. A failure leaves the call found by words only, and is said once.
pub fn learn_meanings(library: &mut Library, call_id: i64, sink: &dyn Fn(Event)) {
    let started = std::time::Instant::now();
    match crate::semantic::index_call(library, call_id) {
        Ok(None) => {}
        Ok(Some(lines)) => tracing::info!(
            call_id,
            lines,
            elapsed_ms = started.elapsed().as_millis() as u64,
            "line meanings"
        ),
        Err(e) => {
            tracing::warn!(call_id, error = %crate::logging::redact(&e.to_string()), "indexing the lines' meanings failed");
            sink(Event::Error {
                message: format!(
                    "the call's lines could not be indexed for search by meaning: {e}; it is found by its words"
                ),
                fatal: false,
            });
        }
    }
}

/// After the call is ready (its notes are not held up): the far side's voices, when the speaker
/// models are installed. A failure leaves the call as it was, with one "Customer" voice, and
/// is said once; the call stays ready.
pub fn tell_voices_apart(library: &mut Library, call_id: i64, sink: &dyn Fn(Event)) {
    let Some(models) = crate::diarize::DiarizationModels::installed(library.data_dir()) else {
        return;
    };
    let stage = "speakers";
    sink(Event::Progress {
        stage: stage.into(),
        percent: 0.0,
        eta_seconds: None,
    });
    let started = std::time::Instant::now();
    let result = crate::diarize::Diarizer::load(&models, Default::default())
        .and_then(|diarizer| crate::diarize::diarize_call(library, call_id, &diarizer));
    match result {
        Ok(found) => {
            tracing::info!(
                call_id,
                elapsed_ms = started.elapsed().as_millis() as u64,
                voices = found.as_ref().map_or(0, |f| f.voices),
                named = found.as_ref().map_or(0, |f| f.named),
                "far-side voices"
            );
            sink(Event::Progress {
                stage: stage.into(),
                percent: 100.0,
                eta_seconds: Some(0.0),
            });
        }
        Err(e) => {
            tracing::warn!(call_id, error = %crate::logging::redact(&e.to_string()), "telling the far side's voices apart failed");
            sink(Event::Error {
                message: format!(
                    "the far side's voices could not be told apart: {e}; the transcript keeps one voice for them"
                ),
                fatal: false,
            });
        }
    }
}

fn final_transcript(
    library: &mut Library,
    call_id: i64,
    mic: &std::path::Path,
    system: Option<&std::path::Path>,
    options: &FinishOptions,
    sink: &dyn Fn(Event),
) -> Result<(), FinishError> {
    let model = crate::model::resolve(library.data_dir(), &options.model)?;
    let mut engine = crate::transcribe::Engine::load(&model)?;
    let (rep, customer) = voices(library, call_id)?;
    let whisper = crate::transcribe::Options {
        language: options.language.parse()?,
        threads: options.threads,
        beam: options.beam,
        ..Default::default()
    };
    let started = std::time::Instant::now();
    let stage = "final transcript";
    sink(Event::Progress {
        stage: stage.into(),
        percent: 0.0,
        eta_seconds: None,
    });
    let segments = final_pass::transcribe_recording(
        &mut engine,
        (mic, &rep),
        system.map(|s| (s, &customer)),
        &whisper,
        &mut |done| {
            let elapsed = started.elapsed().as_secs_f64();
            let eta = (done > 0.02).then(|| elapsed / f64::from(done) * f64::from(1.0 - done));
            sink(Event::Progress {
                stage: stage.into(),
                percent: done * 100.0,
                eta_seconds: eta,
            });
        },
    )?;
    library.replace_segments(call_id, &segments)?;
    library.set_transcribed_with(call_id, &crate::model::label(&model))?;
    for s in &segments {
        sink(Event::segment(s, true));
    }
    Ok(())
}
