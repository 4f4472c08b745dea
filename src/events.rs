//! What a recording session tells the UI and the CLI, one event at a time. The serde form is the
//! `zapis record --events json` line format.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::notify::{self, Notification};
use crate::storage::{NewSegment, Role};

fn millis<S: serde::Serializer>(at: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum SessionState {
    /// Capturing audio.
    Recording,
    /// Capture stopped; the final transcript and insights are being made.
    Processing,
    /// Transcript and insights are stored.
    Ready,
    /// Someone withdrew consent; what was captured was deleted.
    Purged,
    /// The session ended with an error; what was captured is kept.
    Failed,
}

#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    State {
        state: SessionState,
        call_id: i64,
        #[serde(skip_serializing_if = "Option::is_none")]
        #[ts(optional)]
        detail: Option<String>,
    },
    /// Input levels in dBFS, about 20 times a second; `system` is null when only the mic records.
    Level { mic: f32, system: Option<f32> },
    /// A transcript line. Live ones (`final: false`) may later be revised by the final pass.
    Segment {
        #[serde(rename = "final")]
        is_final: bool,
        speaker: Role,
        /// Seconds from the start of the recording.
        start: f64,
        end: f64,
        text: String,
        /// With milliseconds, so scripts can measure live latency.
        #[serde(serialize_with = "millis")]
        emitted_at: DateTime<Utc>,
    },
    /// Progress of the work after the call (final transcription, insights).
    Progress {
        stage: String,
        percent: f32,
        eta_seconds: Option<f64>,
    },
    /// Something the user should know; `fatal` ends the session.
    Error { message: String, fatal: bool },
}

impl Event {
    /// A transcript line as it is announced, stamped now.
    pub fn segment(segment: &NewSegment, is_final: bool) -> Self {
        Event::Segment {
            is_final,
            speaker: segment.role,
            start: segment.start_ms as f64 / 1000.0,
            end: segment.end_ms as f64 / 1000.0,
            text: segment.text.clone(),
            emitted_at: Utc::now(),
        }
    }
}

/// Where a session sends its events (a terminal printer, a Tauri emitter, a test's channel).
pub type EventSink = std::sync::Arc<dyn Fn(Event) + Send + Sync>;

/// Tells the UI and the desktop that a call failed, with the reason; what was captured is kept.
pub fn report_failure(sink: &dyn Fn(Event), call_id: i64, message: &str) {
    sink(Event::Error {
        message: message.to_string(),
        fatal: true,
    });
    sink(Event::State {
        state: SessionState::Failed,
        call_id,
        detail: Some(message.to_string()),
    });
    notify::show(&Notification::Failed {
        call_id: Some(call_id),
        message: message.to_string(),
    });
}
