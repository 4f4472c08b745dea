//! Start-up recovery: a call whose recording a crash interrupted gets its audio sealed and is
//! marked interrupted, so the final pass can still run over it.

use crate::capture;
use crate::storage::{CallStatus, Library};

use super::SessionError;

/// Finds calls a crash interrupted mid-recording and finalises their audio. Calls still being
/// recorded by another live process are left alone. Returns the recovered call ids.
pub fn recover_interrupted(library: &mut Library) -> Result<Vec<i64>, SessionError> {
    let mut recovered = Vec::new();
    for id in library.calls_with_status(CallStatus::Recording)? {
        let Some(dir) = library.call(id)?.audio_dir else {
            library.set_call_status(id, CallStatus::Failed)?;
            continue;
        };
        match capture::recover(&dir) {
            Ok(Some(audio)) => {
                let seconds = audio.mic_seconds.max(audio.system_seconds.unwrap_or(0.0));
                let duration_ms = (seconds * 1000.0).round() as i64;
                let started = library.call_summary(id)?.started_at;
                library.finish_call(
                    id,
                    started + chrono::Duration::milliseconds(duration_ms),
                    duration_ms,
                )?;
                library.set_call_status(id, CallStatus::Interrupted)?;
                library.audit(
                    "call.recovered",
                    &format!("call {id}"),
                    &format!("{seconds:.1} s of audio"),
                )?;
                recovered.push(id);
            }
            Ok(None) => library.set_call_status(id, CallStatus::Failed)?,
            Err(capture::CaptureError::StillRecording { .. }) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(recovered)
}
