//! Who said what on the far side: the system-audio channel of a call split into its voices
//! (sherpa-onnx: pyannote segmentation, CAM++ voiceprints, clustering into as many voices as are
//! found), each transcript line credited to its voice, and voices named from the consent list only
//! when the evidence is unambiguous. Runs after the final transcript, so notes are never held up.

mod call;
pub mod der;
mod engine;
pub mod models;
mod voices;

pub use call::{diarize_call, DiarizedCall};
pub use engine::{similarity, DiarizeSettings, Diarizer, Turn, SAMPLE_RATE};
pub use models::DiarizationModels;
pub use voices::{
    anonymous_label, clearly_best, introduces, name_voices, voice_matching, voice_of,
    VoiceEvidence, MATCH_MARGIN, MATCH_SIMILARITY,
};

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum DiarizeError {
    #[error(
        "the speaker models are not installed in {dir}; run `zapis model install diarization`"
    )]
    NotInstalled { dir: PathBuf },
    #[error("cannot load the speaker model '{path}': {reason}; re-install it with `zapis model install diarization`")]
    Load { path: PathBuf, reason: String },
    #[error("the recording is {seconds:.0} s long, more than diarization can take at once")]
    TooLong { seconds: f64 },
    #[error("sherpa-onnx could not diarize the recording")]
    Failed,
    #[error("installing the speaker models failed: {0}")]
    Install(String),
    #[error("{what} '{path}': {source}")]
    Io {
        what: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Audio(#[from] crate::transcribe::AudioError),
    #[error(transparent)]
    Storage(#[from] crate::storage::StorageError),
}
