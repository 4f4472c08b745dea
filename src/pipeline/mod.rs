//! After a call: the final transcript, insights, and the "ready" notification. Recorded,
//! recovered and imported calls all finish here.

mod echo;
mod vad;

pub use echo::{drop_echoes, is_echo, Timed};
pub use vad::{dbfs, Utterance, Vad, VadConfig};

use crate::analysis;
use crate::session::notify::{self, Notice};
use crate::session::{Event, SessionState};
use crate::storage::{CallStatus, Library, StorageError};

#[derive(Debug, Clone, Default)]
pub struct FinishOptions {}

/// Computes and stores the call's insights, marks it ready and tells the user.
pub fn finish_call(
    library: &mut Library,
    call_id: i64,
    _options: &FinishOptions,
    sink: &dyn Fn(Event),
) -> Result<(), StorageError> {
    sink(Event::Progress {
        stage: "insights".into(),
        percent: 0.0,
        eta_seconds: None,
    });
    let insights = analysis::refresh_insights(library, call_id)?;
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
    notify::show(&Notice::Ready {
        call_id,
        title,
        action_items: insights.action_items.len(),
    });
    Ok(())
}
