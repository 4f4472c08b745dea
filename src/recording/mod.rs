//! A recorded call from consent to stored transcript: consent → capture → transcribe → insights →
//! store, with events for the UI and the CLI and desktop notifications.

mod pump;
mod receipts;
mod recover;

use chrono::{DateTime, Utc};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::Arc;
use std::thread::JoinHandle;

pub use pump::loss_note;
pub use recover::recover_interrupted;

use crate::capture::{self, CaptureOptions, Recorder, SystemSource};
use crate::consent::{self, ConsentReceipt, ConsentSession, Method, WithdrawalResolution};
use crate::events::{report_failure, Event, EventSink, SessionState};
use crate::notify::{self, Notification};
use crate::processing::{self, live::LiveTranscriber};
use crate::storage::{
    CallSource, CallStatus, Library, NewCall, NewParticipant, Role, StorageError,
};
use pump::spawn_pump;
use receipts::store_receipt;

#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error(transparent)]
    Consent(#[from] consent::ConsentError),
    #[error(transparent)]
    Capture(#[from] capture::CaptureError),
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// What to record, besides who agreed.
#[derive(Debug, Clone, Default)]
pub struct RecordingRequest {
    pub title: Option<String>,
    /// The participant who is the rep (their voice is the microphone); default: the first listed.
    pub rep: Option<String>,
    /// Language of the conversation, for transcription: `en` or `sr`.
    pub language: String,
    pub mic: Option<String>,
    pub system: SystemSource,
    /// Model for the live transcript; `None` records without one (the final pass still runs).
    pub live_model: Option<PathBuf>,
}

/// Audit action under which a call's capture loss is stored (detail: [`loss_note`]).
pub const CAPTURE_LOSS_AUDIT: &str = "capture.audio_lost";
/// Audit action under which an early end of capture (device or server gone, disk) is stored.
pub const CAPTURE_ENDED_AUDIT: &str = "capture.ended_early";

/// A call being recorded.
pub struct RecordingSession {
    call_id: i64,
    recorder: Option<Recorder>,
    consent: ConsentSession,
    started_at: DateTime<Utc>,
    sink: EventSink,
    pump: Option<JoinHandle<()>>,
    halted: Arc<AtomicBool>,
    live: Option<LiveTranscriber>,
}

/// How a recording ended, for callers that report it (the CLI's exit code).
#[derive(Debug, Clone, PartialEq)]
pub struct Stopped {
    pub call_id: i64,
    /// Set when capture ended by itself (device or audio server gone, disk full): the reason.
    pub ended_early: Option<String>,
    /// Seconds of audio lost during capture and filled with silence (normally zero).
    pub lost_seconds: f64,
}

/// Where each call's recordings live.
pub fn call_dir(data_dir: &Path, call_id: i64) -> PathBuf {
    crate::storage::call_dir(data_dir, call_id)
}

impl RecordingSession {
    /// Starts recording. `consent` must be in the Granted state (everyone opted in); `receipts`
    /// are the decisions that got it there, stored with the call.
    pub fn start(
        library: &mut Library,
        mut consent: ConsentSession,
        receipts: &[ConsentReceipt],
        request: &RecordingRequest,
        sink: EventSink,
    ) -> Result<RecordingSession, SessionError> {
        let token = consent.start_recording()?;
        let started_at = Utc::now();
        let names: Vec<String> = token
            .participants()
            .iter()
            .map(|p| p.name().to_string())
            .collect();
        let call_id = create_call(library, &token, request, started_at)?;
        for receipt in receipts {
            store_receipt(library, call_id, receipt)?;
        }
        let dir = call_dir(library.data_dir(), call_id);
        library.set_audio_dir(call_id, &dir)?;

        let (tx, rx) = mpsc::channel();
        // About 40 s of frames of slack: the VAD drains them far faster than real time.
        let (tap, frames) = capture::frame_tap(2048);
        let options = CaptureOptions {
            mic: request.mic.clone(),
            system: request.system.clone(),
            frames: request.live_model.is_some().then_some(tap),
        };
        let recorder = match Recorder::start(token, &dir, options, tx) {
            Ok(r) => r,
            Err(e) => {
                library.set_call_status(call_id, CallStatus::Failed)?;
                notify::show(&Notification::Failed {
                    call_id: Some(call_id),
                    message: e.to_string(),
                });
                return Err(e.into());
            }
        };
        let halted = Arc::new(AtomicBool::new(false));
        // Before the pump starts, so "recording" is the first thing anyone hears.
        sink(Event::State {
            state: SessionState::Recording,
            call_id,
            detail: None,
        });
        let pump = spawn_pump(rx, sink.clone(), halted.clone());
        let live = start_live(library, request, frames, call_id, &sink)?;

        notify::show(&Notification::Started {
            call_id,
            consented: names,
            system_audio: true,
        });
        Ok(RecordingSession {
            call_id,
            recorder: Some(recorder),
            consent,
            started_at,
            sink,
            pump: Some(pump),
            halted,
            live,
        })
    }

    pub fn call_id(&self) -> i64 {
        self.call_id
    }

    pub fn started_at(&self) -> DateTime<Utc> {
        self.started_at
    }

    pub fn participants(&self) -> Vec<String> {
        self.consent
            .participants()
            .iter()
            .map(|p| p.name().to_string())
            .collect()
    }

    /// True once capture stopped by itself (device unplugged, disk full); call `stop` to keep
    /// what was captured.
    pub fn is_halted(&self) -> bool {
        self.halted.load(Ordering::Relaxed)
    }

    /// Stops capture and keeps the call; returns its id. The call is left in `processing` for
    /// the final pass.
    pub fn stop(self, library: &mut Library) -> Result<i64, SessionError> {
        self.finish(library).map(|stopped| stopped.call_id)
    }

    /// [`stop`](Self::stop), also saying whether capture ended early and how much audio was
    /// lost (both are stored with the call as well, in its audit trail).
    pub fn finish(mut self, library: &mut Library) -> Result<Stopped, SessionError> {
        let call_id = self.call_id;
        let outcome = match self.recorder.take() {
            Some(recorder) => recorder.stop(),
            None => {
                return Ok(Stopped {
                    call_id,
                    ended_early: None,
                    lost_seconds: 0.0,
                })
            }
        };
        self.join_pump();
        if let Some(live) = self.live.take() {
            live.finish();
        }
        let _ = self.consent.stop_recording();
        let outcome = match outcome {
            Ok(o) => o,
            Err(e) => {
                library.set_call_status(call_id, CallStatus::Failed)?;
                report_failure(&*self.sink, call_id, &e.to_string());
                return Err(e.into());
            }
        };
        let duration_ms = (outcome.seconds * 1000.0).round() as i64;
        library.finish_call(
            call_id,
            self.started_at + chrono::Duration::milliseconds(duration_ms),
            duration_ms,
        )?;
        library.set_call_status(call_id, CallStatus::Processing)?;
        let ended = match &outcome.end {
            capture::EndReason::Stopped => None,
            capture::EndReason::DeviceLost {
                device, message, ..
            } => Some(format!(
                "{device} disappeared ({message}); everything captured before it was kept"
            )),
            capture::EndReason::WriteFailed { message, .. } => Some(message.clone()),
        };
        let loss = loss_note(&outcome);
        if let Some(note) = &loss {
            library.audit(CAPTURE_LOSS_AUDIT, &format!("call {call_id}"), note)?;
        }
        if let Some(reason) = &ended {
            library.audit(CAPTURE_ENDED_AUDIT, &format!("call {call_id}"), reason)?;
        }
        let stopped = Stopped {
            call_id,
            ended_early: ended.clone(),
            lost_seconds: outcome.lost_seconds(),
        };
        tracing::info!(
            call_id,
            seconds = outcome.seconds,
            lost_seconds = stopped.lost_seconds,
            ended_early = ended.is_some(),
            "capture finished"
        );
        let detail = match (ended, loss) {
            (Some(a), Some(b)) => Some(format!("{a}; {b}")),
            (a, b) => a.or(b),
        };
        (self.sink)(Event::State {
            state: SessionState::Processing,
            call_id,
            detail,
        });
        notify::show(&Notification::Stopped { call_id });
        Ok(stopped)
    }

    /// A participant takes consent back: capture stops at once. Under the default policy the
    /// call and everything captured are deleted; otherwise the call waits for the others to
    /// consent again (see [`Withdrawn`]).
    pub fn withdraw(
        mut self,
        library: &mut Library,
        participant: &str,
        method: Method,
    ) -> Result<Withdrawn, SessionError> {
        let receipt =
            self.consent
                .decide(participant, consent::Decision::Withdraw, method, Utc::now())?;
        let call_id = self.call_id;
        let resolution = self
            .consent
            .withdrawal_resolution()
            .unwrap_or(WithdrawalResolution::Purge);
        match resolution {
            WithdrawalResolution::Purge => {
                if let Some(recorder) = self.recorder.take() {
                    recorder.stop_and_purge()?;
                }
                self.join_pump();
                if let Some(live) = self.live.take() {
                    live.finish();
                }
                library.delete_call(call_id)?;
                library.audit(
                    "consent.withdrawn",
                    &format!("call {call_id}"),
                    "recording purged",
                )?;
                (self.sink)(Event::State {
                    state: SessionState::Purged,
                    call_id,
                    detail: None,
                });
                notify::show(&Notification::Purged { call_id });
                Ok(Withdrawn::Purged)
            }
            WithdrawalResolution::AwaitingReconsent | WithdrawalResolution::Keep => {
                store_receipt(library, call_id, &receipt)?;
                let sink = self.sink.clone();
                let id = self.stop(library)?;
                sink(Event::State {
                    state: SessionState::Processing,
                    call_id: id,
                    detail: Some(format!("{participant} withdrew; the others must consent again to keep the recording")),
                });
                Ok(Withdrawn::AwaitingReconsent(id))
            }
        }
    }

    fn join_pump(&mut self) {
        if let Some(pump) = self.pump.take() {
            let _ = pump.join();
        }
    }
}

/// The call's row: title (the request's, else "Call with …" in the user's language), language,
/// and the consented participants, the rep being the request's or the first listed.
fn create_call(
    library: &mut Library,
    token: &crate::consent::ConsentToken,
    request: &RecordingRequest,
    started_at: DateTime<Utc>,
) -> Result<i64, SessionError> {
    let names: Vec<String> = token
        .participants()
        .iter()
        .map(|p| p.name().to_string())
        .collect();
    let rep = request
        .rep
        .clone()
        .or_else(|| names.first().cloned())
        .unwrap_or_default();
    let title = request
        .title
        .clone()
        .filter(|t| !t.trim().is_empty())
        .unwrap_or_else(|| crate::locale::default_call_title(crate::locale::current(), &names));
    let language = if request.language.is_empty() {
        "en".to_string()
    } else {
        request.language.clone()
    };
    let participants = token
        .participants()
        .iter()
        .map(|p| NewParticipant {
            name: p.name().to_string(),
            email: p.email().map(str::to_string),
            role: if p.name() == rep {
                Role::Rep
            } else {
                Role::Customer
            },
        })
        .collect();
    Ok(library.create_call(&NewCall {
        title,
        started_at,
        language,
        source: CallSource::Recorded,
        status: CallStatus::Recording,
        audio_dir: None,
        participants,
    })?)
}

/// How the live transcript decodes each utterance the VAD cuts.
///
/// Live utterances get whisper's full encoder context. Fitting it to each utterance's length was
/// cheaper but badly wrong on human speech (bench/speech-dev.sh --only live: repetition loops,
/// 75.4 % WER against 10.5 % with the full context). The full context costs about twice the CPU,
/// so the live thread runs at a lower priority than capture (`transcribe::priority`): on the
/// 2-core CI machine the starved capture had lost 81 ms of system audio before that.
pub fn live_options(language: crate::transcribe::SpokenLanguage) -> crate::transcribe::Options {
    crate::transcribe::Options {
        language,
        fit_audio_context: false,
        ..Default::default()
    }
}

/// The live transcript, when a model was given; one that cannot start is said (non-fatal) and
/// the recording goes on without it.
fn start_live(
    library: &Library,
    request: &RecordingRequest,
    frames: mpsc::Receiver<capture::AudioFrame>,
    call_id: i64,
    sink: &EventSink,
) -> Result<Option<LiveTranscriber>, SessionError> {
    let Some(model) = &request.live_model else {
        return Ok(None);
    };
    let (rep, customer) = processing::voices(library, call_id)?;
    let started = request
        .language
        .parse::<crate::transcribe::SpokenLanguage>()
        .and_then(|language| {
            let options = live_options(language);
            LiveTranscriber::start(
                model,
                options,
                frames,
                library.data_dir().to_path_buf(),
                call_id,
                rep,
                customer,
                sink.clone(),
            )
        });
    match started {
        Ok(live) => Ok(Some(live)),
        Err(e) => {
            sink(Event::Error {
                message: format!("no live transcript: {e}"),
                fatal: false,
            });
            Ok(None)
        }
    }
}

impl Drop for RecordingSession {
    fn drop(&mut self) {
        // Dropping the recorder seals its chunks; the next start recovers the call.
        self.recorder.take();
        self.join_pump();
    }
}

/// How a withdrawal ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Withdrawn {
    Purged,
    /// Capture stopped and the call is kept pending the remaining participants' consent.
    AwaitingReconsent(i64),
}
