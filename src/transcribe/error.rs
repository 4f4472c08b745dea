use std::path::PathBuf;

use crate::model::ModelError;

/// Problems reading an audio file.
#[derive(Debug, thiserror::Error)]
pub enum AudioError {
    #[error("could not open '{path}': {source}")]
    Open {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "'{path}' is not an audio file Zapis can read ({reason}); use WAV, FLAC, MP3 or Ogg Vorbis"
    )]
    NotAudio { path: PathBuf, reason: String },
    #[error("'{path}' contains no audio samples")]
    Empty { path: PathBuf },
    #[error("'{path}' is damaged and could not be decoded: {reason}")]
    Corrupt { path: PathBuf, reason: String },
    #[error("{reason}")]
    Unsupported { reason: String },
}

/// Problems turning audio into text.
#[derive(Debug, thiserror::Error)]
pub enum TranscribeError {
    #[error(transparent)]
    Model(#[from] ModelError),
    #[error(transparent)]
    Audio(#[from] AudioError),
    #[error("whisper.cpp could not load '{path}'; the file may be damaged, re-install it with `zapis model install`")]
    LoadFailed { path: PathBuf },
    #[error("the model '{model}' is English-only and cannot transcribe language '{language}'; run `zapis model install base` and use `--model base`")]
    EnglishOnlyModel { model: String, language: String },
    #[error(
        "unknown language '{language}'; use a Whisper language code such as en or sr, or auto"
    )]
    UnknownLanguage { language: String },
    #[error("transcription failed: {reason}")]
    Whisper { reason: String },
    #[error("could not start the {what} thread: {source}")]
    Thread {
        what: &'static str,
        source: std::io::Error,
    },
}
