//! Capture of a call: the rep's microphone and the system audio (the remote participants) as
//! two 16 kHz mono channels, written to disk as they arrive.
//!
//! Starting needs a [`ConsentToken`](crate::consent::ConsentToken), taken by value: no device
//! is opened and nothing is written before consent exists. On disk, a call directory holds a
//! journal of short WAV chunks while recording (see `journal.rs`) and, after `stop` or
//! [`recover`], the final `mic.wav`, `system.wav` and two-channel `call.wav`.

mod devices;
mod journal;
mod levels;
mod recorder;
mod recover;
pub(crate) mod resample;
mod stream;
mod writer;

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};

pub use devices::{list_devices, DeviceInfo, DeviceKind};
pub use levels::{Level, SILENCE_DBFS};
pub use recorder::{CaptureOutcome, ChannelReport, EndReason, Recorder};
pub use recover::{final_path, recover, FinalAudio};

/// Sample rate of everything Zapis stores and transcribes.
pub const TARGET_RATE: u32 = 16_000;

/// Meter readings per second and channel.
pub const LEVELS_PER_SECOND: u32 = 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Channel {
    /// The rep's microphone.
    Mic,
    /// What the computer plays: the remote participants.
    System,
}

impl Channel {
    pub fn file_stem(self) -> &'static str {
        match self {
            Channel::Mic => "mic",
            Channel::System => "system",
        }
    }
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Channel::Mic => "microphone",
            Channel::System => "system audio",
        })
    }
}

/// Which system audio to record.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum SystemSource {
    /// The monitor of the default output (Linux), loopback of the default output (Windows).
    #[default]
    Default,
    /// A device by the name `list_devices` reports (or its description).
    Named(String),
    /// Microphone only.
    None,
}

#[derive(Debug, Default)]
pub struct CaptureOptions {
    /// Microphone by name; `None` for the default input.
    pub mic: Option<String>,
    pub system: SystemSource,
    /// Live consumer of the 16 kHz frames (see [`frame_tap`]).
    pub frames: Option<FrameTap>,
}

/// A run of 16 kHz mono samples for live consumers such as transcription.
#[derive(Debug, Clone, PartialEq)]
pub struct AudioFrame {
    pub channel: Channel,
    /// Position of `samples[0]` on the call's clock, in 16 kHz samples since capture start.
    pub start_sample: u64,
    pub samples: Vec<f32>,
}

/// Sending half of a bounded frame queue. The recorder never waits on it: when the consumer
/// falls behind, frames are skipped and counted in [`CaptureOutcome::tap_dropped_frames`]
/// (the files on disk always hold everything, so a consumer can catch up from them).
#[derive(Debug, Clone)]
pub struct FrameTap(SyncSender<AudioFrame>);

/// A bounded queue of `capacity` frames (each about 20 ms of one channel) for live consumers.
pub fn frame_tap(capacity: usize) -> (FrameTap, Receiver<AudioFrame>) {
    let (tx, rx) = sync_channel(capacity.max(1));
    (FrameTap(tx), rx)
}

/// What the recorder tells the UI while it runs.
#[derive(Debug, Clone, PartialEq)]
pub enum CaptureEvent {
    Started {
        mic_device: String,
        system_device: Option<String>,
    },
    /// System audio is not being recorded; only the microphone is. `reason` is for the user.
    SystemAudioUnavailable {
        reason: String,
    },
    Level {
        channel: Channel,
        level: Level,
    },
    /// Frames lost because the writer fell behind. Zero in normal operation.
    FramesDropped {
        channel: Channel,
        total: u64,
    },
    /// Audio never arrived for a stretch (the audio server dropped it, or the recorder fell
    /// behind): `seconds` of silence were written at `at_seconds` of this channel's file so
    /// both sides stay aligned. `total_seconds` is the channel's loss so far.
    AudioLost {
        channel: Channel,
        at_seconds: f64,
        seconds: f64,
        total_seconds: f64,
    },
    /// The device went away; capture stopped and everything before it is kept.
    DeviceLost {
        channel: Channel,
        device: String,
        message: String,
    },
    /// Writing failed (for example a full disk); capture stopped, the journal so far is kept.
    WriteFailed {
        channel: Channel,
        message: String,
    },
    /// Capture stopped by itself after `DeviceLost` or `WriteFailed`; call `stop()` to finish.
    Halted,
}

#[derive(Debug, thiserror::Error)]
pub enum CaptureError {
    #[error("no audio system available: {message}; on Linux start PulseAudio or PipeWire (pipewire-pulse)")]
    NoHost { message: String },
    #[error("no microphone found; connect one or choose a device from `zapis devices`")]
    NoMicrophone,
    #[error("no audio device named {name:?}; available: {available}")]
    DeviceNotFound { name: String, available: String },
    #[error("could not open {channel} device {device:?}: {message}; check it is connected and not blocked by permissions")]
    OpenDevice {
        channel: Channel,
        device: String,
        message: String,
    },
    #[error("cannot list audio devices: {message}")]
    ListDevices { message: String },
    #[error("cannot resample {rate} Hz audio to 16 kHz: {message}")]
    Resampler { rate: u32, message: String },
    #[error("{} already holds a recording; use a new folder for each call or run recovery on it", call_dir.display())]
    CallDirInUse { call_dir: PathBuf },
    #[error("{} is being recorded by a running Zapis process; stop that recording first", call_dir.display())]
    StillRecording { call_dir: PathBuf },
    #[error("disk error at {}: {source}; free disk space or check permissions, then recover the call", path.display())]
    Disk {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write audio file {}: {message}; free disk space or check permissions, then recover the call", path.display())]
    Wav { path: PathBuf, message: String },
    #[error("the {channel} writer thread stopped unexpectedly; the journal in {} is kept, recover the call", call_dir.display())]
    WriterPanicked { channel: Channel, call_dir: PathBuf },
}

impl CaptureError {
    pub(crate) fn disk(path: &Path, source: std::io::Error) -> CaptureError {
        CaptureError::Disk {
            path: path.to_owned(),
            source,
        }
    }

    pub(crate) fn wav(path: &Path, err: hound::Error) -> CaptureError {
        match err {
            hound::Error::IoError(source) => CaptureError::disk(path, source),
            other => CaptureError::Wav {
                path: path.to_owned(),
                message: other.to_string(),
            },
        }
    }
}
