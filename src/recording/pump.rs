//! Capture events become session events (for the UI and the CLI) and log lines on one thread,
//! so a slow event consumer never holds up the audio writers.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::Arc;
use std::thread::JoinHandle;

use crate::capture::{self, CaptureEvent, Channel};
use crate::events::{Event, EventSink};

/// Turns capture events into session events until the recorder closes its channel.
pub(super) fn spawn_pump(
    rx: mpsc::Receiver<CaptureEvent>,
    sink: EventSink,
    halted: Arc<AtomicBool>,
) -> JoinHandle<()> {
    std::thread::Builder::new()
        .name("zapis-session-events".into())
        .spawn(move || {
            let mut system: Option<f32> = None;
            for event in rx {
                log_capture_event(&event);
                match event {
                    CaptureEvent::Level { channel: Channel::System, level } => system = Some(level.rms_dbfs),
                    CaptureEvent::Level { channel: Channel::Mic, level } => {
                        sink(Event::Level { mic: level.rms_dbfs, system })
                    }
                    CaptureEvent::SystemAudioUnavailable { reason } => sink(Event::Error {
                        message: format!("Recording your microphone only: {reason}"),
                        fatal: false,
                    }),
                    CaptureEvent::DeviceLost { device, message, .. } => {
                        halted.store(true, Ordering::Relaxed);
                        sink(Event::Error {
                            message: format!("{device} disappeared ({message}); recording stopped and what was captured is kept"),
                            fatal: true,
                        })
                    }
                    CaptureEvent::WriteFailed { message, .. } => {
                        halted.store(true, Ordering::Relaxed);
                        sink(Event::Error { message, fatal: true })
                    }
                    CaptureEvent::AudioLost { channel, at_seconds, seconds, total_seconds } => sink(Event::Error {
                        message: format!(
                            "{channel}: {:.0} ms of audio did not arrive at {}; silence was put in its place so the sides stay in step ({total_seconds:.1} s lost so far)",
                            seconds * 1000.0,
                            clock(at_seconds),
                        ),
                        fatal: false,
                    }),
                    CaptureEvent::FramesDropped { channel, total } => sink(Event::Error {
                        message: format!("{channel}: {total} audio frames could not be written in time"),
                        fatal: false,
                    }),
                    CaptureEvent::Halted => halted.store(true, Ordering::Relaxed),
                    CaptureEvent::Started { .. } => {}
                }
            }
        })
        .unwrap_or_else(|_| std::thread::spawn(|| {}))
}

/// The log's view of capture: devices chosen and lost, audio the server dropped, frames the
/// writer could not keep up with. Device names are hardware names, never a person's.
fn log_capture_event(event: &CaptureEvent) {
    match event {
        CaptureEvent::Level { .. } | CaptureEvent::Halted => {}
        CaptureEvent::Started {
            mic_device,
            system_device,
        } => tracing::info!(mic = %mic_device, system = ?system_device, "capture started"),
        CaptureEvent::SystemAudioUnavailable { reason } => {
            tracing::warn!(reason = %crate::logging::redact(reason), "system audio unavailable; recording the microphone only")
        }
        CaptureEvent::DeviceLost {
            device, message, ..
        } => {
            tracing::error!(device = %device, error = %crate::logging::redact(message), "capture device lost")
        }
        CaptureEvent::WriteFailed { message, .. } => {
            tracing::error!(error = %crate::logging::redact(message), "capture could not write")
        }
        CaptureEvent::AudioLost {
            channel,
            at_seconds,
            seconds,
            total_seconds,
        } => {
            tracing::warn!(%channel, at_seconds, lost_seconds = seconds, total_lost_seconds = total_seconds, "audio lost; filled with silence")
        }
        CaptureEvent::FramesDropped { channel, total } => {
            tracing::warn!(%channel, dropped_frames = total, "frames dropped before they were written")
        }
    }
}

/// `m:ss` for messages.
fn clock(seconds: f64) -> String {
    let whole = seconds.max(0.0) as u64;
    format!("{}:{:02}", whole / 60, whole % 60)
}

/// The sentence stored with a call (and shown with it) when audio was lost during capture.
pub fn loss_note(outcome: &capture::CaptureOutcome) -> Option<String> {
    let parts: Vec<String> = outcome
        .channels
        .iter()
        .filter(|c| c.padded_samples > 0)
        .map(|c| {
            format!(
                "{}: {:.1} s in {} gap{}",
                c.channel,
                c.padded_samples as f64 / f64::from(capture::TARGET_RATE),
                c.gaps,
                if c.gaps == 1 { "" } else { "s" }
            )
        })
        .collect();
    (!parts.is_empty()).then(|| {
        format!(
            "audio was lost during capture ({}); those stretches are silence in the recording",
            parts.join(", ")
        )
    })
}
