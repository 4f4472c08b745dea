//! Parsers for transcripts written by other tools: WebVTT (Microsoft Teams, Zoom), SRT and Zapis's
//! own JSON. Pure text-in, segments-out; reading the file is the caller's job except for the small
//! [`read_transcript_file`] convenience, which also decodes UTF-16 and 8-bit code pages (see
//! [`crate::text_encoding`]).
//!
//! Zapis JSON format (seconds as floats, `speaker` optional, unknown fields ignored):
//! ```json
//! {"segments": [{"start": 0.0, "end": 2.5, "text": "Hello", "speaker": "Ana"}]}
//! ```

mod cuetext;
mod json;
mod speaker;
mod srt;
mod timecode;
mod vtt;

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::text_encoding::{self, DecodeError, Encoding, TextEncoding};

pub use json::parse_zapis_json;
pub use srt::parse_srt;
pub use vtt::parse_webvtt;

/// One cue of an imported transcript, in milliseconds from the start of the recording.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportedSegment {
    pub speaker: Option<String>,
    pub start_ms: i64,
    pub end_ms: i64,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TranscriptFormat {
    WebVtt,
    Srt,
    ZapisJson,
}

impl TranscriptFormat {
    /// Picks the format from the file extension (`.vtt`, `.srt`, `.json`).
    pub fn from_path(path: &Path) -> Option<Self> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "vtt" => Some(Self::WebVtt),
            "srt" => Some(Self::Srt),
            "json" => Some(Self::ZapisJson),
            _ => None,
        }
    }

    /// Guesses the format from the content, for files with an unhelpful extension.
    pub fn sniff(content: &str) -> Self {
        let trimmed = content.trim_start_matches('\u{feff}').trim_start();
        if trimmed.starts_with("WEBVTT") {
            Self::WebVtt
        } else if trimmed.starts_with('{') {
            Self::ZapisJson
        } else {
            Self::Srt
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("line {line}: {problem}")]
    Syntax { line: usize, problem: String },
    #[error("the transcript has no cues with text; check that it is a WebVTT, SRT or Zapis JSON transcript")]
    Empty,
    #[error("could not read transcript {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: unknown transcript type; use a .vtt, .srt or .json file")]
    UnknownFormat { path: String },
    #[error(transparent)]
    Decode(#[from] DecodeError),
}

impl ImportError {
    pub(crate) fn at(line: usize, problem: impl Into<String>) -> Self {
        Self::Syntax {
            line,
            problem: problem.into(),
        }
    }
}

pub fn parse_transcript(
    content: &str,
    format: TranscriptFormat,
) -> Result<Vec<ImportedSegment>, ImportError> {
    let segments = match format {
        TranscriptFormat::WebVtt => parse_webvtt(content)?,
        TranscriptFormat::Srt => parse_srt(content)?,
        TranscriptFormat::ZapisJson => parse_zapis_json(content)?,
    };
    if segments.is_empty() {
        return Err(ImportError::Empty);
    }
    Ok(segments)
}

/// A transcript read from disk, with the encoding its bytes were in.
#[derive(Debug, Clone)]
pub struct TranscriptFile {
    pub segments: Vec<ImportedSegment>,
    pub encoding: TextEncoding,
}

/// Reads and parses a transcript file; the format comes from the extension, else from the content.
pub fn read_transcript_file(path: &Path) -> Result<Vec<ImportedSegment>, ImportError> {
    read_transcript_file_as(path, None).map(|file| file.segments)
}

/// Like [`read_transcript_file`], in the given encoding, else the one detected from the bytes.
pub fn read_transcript_file_as(
    path: &Path,
    encoding: Option<&'static Encoding>,
) -> Result<TranscriptFile, ImportError> {
    let bytes = std::fs::read(path).map_err(|source| ImportError::Io {
        path: path.display().to_string(),
        source,
    })?;
    let (content, encoding) = text_encoding::decode(&bytes, encoding)?;
    let format =
        TranscriptFormat::from_path(path).unwrap_or_else(|| TranscriptFormat::sniff(&content));
    Ok(TranscriptFile {
        segments: parse_transcript(&content, format)?,
        encoding,
    })
}
