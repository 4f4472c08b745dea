//! Local speech-to-text: audio decoding and chunking, and the whisper.cpp engine.

pub mod audio;
pub mod engine;
mod error;
mod pipeline;
pub mod priority;
mod threads;
pub mod wer;
mod windows;

pub use audio::{AudioInfo, AudioReader, ChannelMode, Chunk, ChunkConfig, ChunkStream};
pub use engine::{default_threads, Engine, Options, Segment, SpokenLanguage};
pub use error::{AudioError, TranscribeError};
pub use pipeline::{transcribe_file, ChannelTranscript, FileProgress, FileTranscript};
