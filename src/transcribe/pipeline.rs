//! File → transcript, streaming: decode, resample and cut one window at a time so
//! memory stays bounded however long the recording is; windows are decoded in
//! parallel (see `windows.rs`).

use std::path::Path;

use crate::transcribe::audio::{AudioInfo, ChannelMode, ChunkStream};
use crate::transcribe::engine::{Engine, Options, Segment};
use crate::transcribe::windows::{decode_windows, Window};
use crate::transcribe::TranscribeError;

/// How far a file transcription has got.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FileProgress {
    pub decoded_seconds: f64,
    pub total_seconds: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ChannelTranscript {
    /// Channel index in the file (0 for a mixdown).
    pub channel: usize,
    pub segments: Vec<Segment>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FileTranscript {
    pub audio: AudioInfo,
    /// Length of the audio as decoded (per channel).
    pub audio_seconds: f64,
    /// The language code used; for `auto` the one whisper detected last.
    pub language: String,
    pub channels: Vec<ChannelTranscript>,
}

impl FileTranscript {
    /// All text in time order, channels interleaved.
    pub fn text(&self) -> String {
        let mut all: Vec<&Segment> = self.channels.iter().flat_map(|c| &c.segments).collect();
        all.sort_by_key(|s| (s.start_ms, s.end_ms));
        all.iter()
            .map(|s| s.text.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Transcribes a file. With [`ChannelMode::Separate`] every channel gets its own
/// transcript (Zapis call files: channel 0 the rep, channel 1 the other side).
pub fn transcribe_file(
    engine: &mut Engine,
    path: &Path,
    mode: ChannelMode,
    options: &Options,
    progress: &mut dyn FnMut(FileProgress),
) -> Result<FileTranscript, TranscribeError> {
    let mut language = engine.language_for(options)?;
    let mut stream = ChunkStream::open(path, mode, options.chunking.clone())?;
    let audio = stream.info().clone();
    let n_channels = match mode {
        ChannelMode::Mixdown => 1,
        ChannelMode::Separate => audio.channels,
    };
    let mut channels: Vec<ChannelTranscript> = (0..n_channels)
        .map(|channel| ChannelTranscript {
            channel,
            segments: Vec::new(),
        })
        .collect();
    let window_seconds = f64::from(options.chunking.max_seconds.max(1.0));
    let expected_windows = audio
        .duration_seconds
        .map(|d| ((d / window_seconds).ceil() as usize).max(1) * n_channels);
    let windows = std::iter::from_fn(|| {
        let next = stream.next()?;
        Some(
            next.map(|chunk| Window {
                chunk,
                decoded_seconds: stream.decoded_seconds(),
            })
            .map_err(TranscribeError::from),
        )
    });
    decode_windows(engine, windows, options, expected_windows, &mut |decoded| {
        if let (Some(detected), "auto") = (decoded.language, language.as_str()) {
            language = detected.to_owned();
        }
        if let Some(target) = channels.get_mut(decoded.channel) {
            target.segments.extend(decoded.segments);
        }
        progress(FileProgress {
            decoded_seconds: decoded.decoded_seconds,
            total_seconds: audio.duration_seconds,
        });
    })?;
    for c in &mut channels {
        c.segments.sort_by_key(|s| (s.start_ms, s.end_ms));
    }
    Ok(FileTranscript {
        audio_seconds: stream.decoded_seconds(),
        audio,
        language,
        channels,
    })
}
