//! Bringing existing calls into the library: transcripts from meeting tools (and, with the
//! transcription engine, recordings). Consent for an imported call is the user's statement that
//! everyone agreed; it is stored as a receipt with method `imported`.

use chrono::{DateTime, NaiveDate, Utc};
use std::path::{Path, PathBuf};

use crate::analysis;
use crate::storage::{
    CallSource, CallStatus, ConsentMethod, Decision, Library, NewCall, NewConsentReceipt,
    NewParticipant, NewSegment, Role, StorageError,
};
use crate::text_encoding::{Encoding, TextEncoding};
use crate::transcript_import::{self, ImportedSegment};

/// Notice version recorded on receipts of imported calls: consent was given outside Zapis.
pub const IMPORTED_NOTICE: &str = "imported";

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("importing a call needs everyone's consent: pass --consent-confirmed to state that every participant agreed to the recording")]
    ConsentRequired,
    #[error("{path}: {source}")]
    Transcript {
        path: PathBuf,
        source: transcript_import::ImportError,
    },
    #[error("--rep {0:?} is not a speaker in the transcript; speakers are: {1}")]
    UnknownRep(String, String),
    #[error("{0:?} is not a participant; write it as \"Name <email>\" or just a name")]
    BadParticipant(String),
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error(transparent)]
    Transcribe(#[from] crate::transcribe::TranscribeError),
    #[error("cannot copy {path} into the library: {source}")]
    Copy {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Transcript files are imported as text; anything else is treated as audio.
pub fn is_transcript(path: &Path) -> bool {
    matches!(
        path.extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref(),
        Some("vtt" | "srt" | "json")
    )
}

/// Someone on a call, as given on the command line: `Name <email>` or `Name`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub name: String,
    pub email: Option<String>,
}

impl std::str::FromStr for Person {
    type Err = ImportError;

    fn from_str(text: &str) -> Result<Person, ImportError> {
        let bad = || ImportError::BadParticipant(text.to_string());
        let text = text.trim();
        let (name, email) = match text.split_once('<') {
            Some((name, rest)) => {
                let email = rest.strip_suffix('>').ok_or_else(bad)?.trim();
                if !email.contains('@') || email.contains(char::is_whitespace) {
                    return Err(bad());
                }
                (name.trim(), Some(email.to_lowercase()))
            }
            None if text.contains('@') && !text.contains(' ') => (
                text.split('@').next().unwrap_or(text),
                Some(text.to_lowercase()),
            ),
            None => (text, None),
        };
        if name.is_empty() {
            return Err(bad());
        }
        Ok(Person {
            name: name.to_string(),
            email,
        })
    }
}

#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    pub title: Option<String>,
    /// The call's date; relative due dates resolve against it. Default: the file's modification date.
    pub date: Option<NaiveDate>,
    /// Which speaker is the rep. Default: the first speaker.
    pub rep: Option<String>,
    pub participants: Vec<Person>,
    pub consent_confirmed: bool,
    pub language: Option<String>,
    /// The transcript file's encoding. Default: detected (byte-order mark, UTF-8, else guessed).
    pub encoding: Option<&'static Encoding>,
}

/// A transcript imported as a call.
#[derive(Debug, Clone, Copy)]
pub struct ImportedTranscript {
    pub call_id: i64,
    /// The encoding the file was read in.
    pub encoding: TextEncoding,
}

/// Creates a call from a WebVTT, SRT or Zapis JSON transcript and computes its insights.
pub fn import_transcript(
    library: &mut Library,
    path: &Path,
    options: &ImportOptions,
) -> Result<ImportedTranscript, ImportError> {
    if !options.consent_confirmed {
        return Err(ImportError::ConsentRequired);
    }
    let file =
        transcript_import::read_transcript_file_as(path, options.encoding).map_err(|source| {
            ImportError::Transcript {
                path: path.to_path_buf(),
                source,
            }
        })?;
    let segments = file.segments;
    let speakers = speakers_in_order(&segments);
    let rep = match &options.rep {
        Some(rep) => speakers
            .iter()
            .find(|s| s.eq_ignore_ascii_case(rep.trim()))
            .cloned()
            .ok_or_else(|| ImportError::UnknownRep(rep.clone(), speakers.join(", ")))?,
        None => speakers.first().cloned().unwrap_or_else(|| "Rep".into()),
    };
    let role_of = |speaker: &str| {
        if speaker == rep {
            Role::Rep
        } else {
            Role::Customer
        }
    };

    let mut participants: Vec<NewParticipant> = speakers
        .iter()
        .map(|s| NewParticipant {
            name: s.clone(),
            email: None,
            role: role_of(s),
        })
        .collect();
    for person in &options.participants {
        match participants
            .iter_mut()
            .find(|p| p.name.eq_ignore_ascii_case(&person.name))
        {
            Some(p) => p.email = person.email.clone(),
            None => participants.push(NewParticipant {
                name: person.name.clone(),
                email: person.email.clone(),
                role: Role::Customer,
            }),
        }
    }

    let started_at = call_start(path, options.date);
    let call = NewCall {
        title: options.title.clone().unwrap_or_else(|| default_title(path)),
        started_at,
        language: options.language.clone().unwrap_or_else(|| "en".into()),
        source: CallSource::ImportedTranscript,
        status: CallStatus::Ready,
        audio_dir: None,
        participants: participants.clone(),
    };
    let rows: Vec<NewSegment> = segments
        .iter()
        .map(|s| {
            let speaker = s.speaker.clone().unwrap_or_else(|| rep.clone());
            NewSegment {
                role: role_of(&speaker),
                speaker,
                start_ms: s.start_ms,
                end_ms: s.end_ms,
                text: s.text.clone(),
                confidence: None,
            }
        })
        .collect();
    let duration = segments.iter().map(|s| s.end_ms).max().unwrap_or(0);

    let id = library.create_call(&call)?;
    finish_import(
        library,
        id,
        &rows,
        started_at,
        duration,
        &participants,
        |_| Ok(()),
    )?;
    Ok(ImportedTranscript {
        call_id: id,
        encoding: file.encoding,
    })
}

/// Creates a call from a recording and transcribes it. A two-channel file is read as Zapis
/// records calls (channel 1 the rep's microphone, channel 2 the other side), each channel with its
/// speaker; a mono file is one speaker. The audio is copied into the library, so export and
/// erasure cover it.
pub fn import_audio(
    library: &mut Library,
    engine: &mut crate::transcribe::Engine,
    path: &Path,
    options: &ImportOptions,
    whisper: &crate::transcribe::Options,
    progress: &mut dyn FnMut(f32),
) -> Result<i64, ImportError> {
    use crate::pipeline::final_pass::{merge_sides, to_segments, Voice};
    use crate::transcribe::{transcribe_file, ChannelMode};

    if !options.consent_confirmed {
        return Err(ImportError::ConsentRequired);
    }
    let rep_name = options
        .rep
        .clone()
        .or_else(|| options.participants.first().map(|p| p.name.clone()))
        .unwrap_or_else(|| "Rep".into());
    let customer_name = match options
        .participants
        .iter()
        .filter(|p| p.name != rep_name)
        .collect::<Vec<_>>()
        .as_slice()
    {
        [one] => one.name.clone(),
        _ => "Customer".into(),
    };
    let rep = Voice {
        role: Role::Rep,
        speaker: rep_name.clone(),
    };
    let customer = Voice {
        role: Role::Customer,
        speaker: customer_name.clone(),
    };
    let transcript = transcribe_file(engine, path, ChannelMode::Separate, whisper, &mut |p| {
        if let Some(total) = p.total_seconds.filter(|t| *t > 0.0) {
            progress((p.decoded_seconds / total) as f32);
        }
    })?;
    let mut channels = transcript.channels.into_iter();
    let first = channels.next().map(|c| c.segments).unwrap_or_default();
    let segments = match channels.next() {
        Some(second) => merge_sides(
            to_segments(&rep, &first),
            to_segments(&customer, &second.segments),
        ),
        None => to_segments(&rep, &first),
    };

    let mut participants = vec![NewParticipant {
        name: rep_name.clone(),
        email: None,
        role: Role::Rep,
    }];
    for person in &options.participants {
        match participants.iter_mut().find(|p| p.name == person.name) {
            Some(p) => p.email = person.email.clone(),
            None => participants.push(NewParticipant {
                name: person.name.clone(),
                email: person.email.clone(),
                role: Role::Customer,
            }),
        }
    }
    if !participants.iter().any(|p| p.name == customer_name) && transcript.audio.channels >= 2 {
        participants.push(NewParticipant {
            name: customer_name,
            email: None,
            role: Role::Customer,
        });
    }
    let started_at = call_start(path, options.date);
    let duration = (transcript.audio_seconds * 1000.0).round() as i64;
    let id = library.create_call(&NewCall {
        title: options.title.clone().unwrap_or_else(|| default_title(path)),
        started_at,
        language: transcript.language.clone(),
        source: CallSource::ImportedAudio,
        status: CallStatus::Processing,
        audio_dir: None,
        participants: participants.clone(),
    })?;
    finish_import(
        library,
        id,
        &segments,
        started_at,
        duration,
        &participants,
        |library| {
            let dir = crate::session::call_dir(library.data_dir(), id);
            std::fs::create_dir_all(&dir).map_err(|source| ImportError::Copy {
                path: dir.clone(),
                source,
            })?;
            let name = path
                .file_name()
                .map_or_else(|| "recording".into(), |n| n.to_owned());
            std::fs::copy(path, dir.join(name)).map_err(|source| ImportError::Copy {
                path: path.to_path_buf(),
                source,
            })?;
            library.set_audio_dir(id, &dir)?;
            Ok(())
        },
    )?;
    Ok(id)
}

/// Stores an imported call's transcript, length, consent receipts and insights, and marks it
/// ready; `prepare` runs first (e.g. copying the audio in). On any failure the call is deleted,
/// so no half-imported call is left behind.
fn finish_import(
    library: &mut Library,
    id: i64,
    segments: &[NewSegment],
    started_at: DateTime<Utc>,
    duration_ms: i64,
    participants: &[NewParticipant],
    prepare: impl FnOnce(&mut Library) -> Result<(), ImportError>,
) -> Result<(), ImportError> {
    let stored = (|| -> Result<(), ImportError> {
        prepare(library)?;
        library.append_segments(id, segments)?;
        library.finish_call(
            id,
            started_at + chrono::Duration::milliseconds(duration_ms),
            duration_ms,
        )?;
        record_imported_consent(library, id, participants)?;
        analysis::refresh_insights(library, id)?;
        library.set_call_status(id, CallStatus::Ready)?;
        Ok(())
    })();
    if stored.is_err() {
        let _ = library.delete_call(id);
    }
    stored
}

/// The user's statement that everyone consented, one receipt per participant.
pub fn record_imported_consent(
    library: &mut Library,
    call_id: i64,
    participants: &[NewParticipant],
) -> Result<(), StorageError> {
    for p in participants {
        library.record_consent(
            call_id,
            &NewConsentReceipt {
                participant_name: p.name.clone(),
                participant_email: p.email.clone(),
                decision: Decision::Granted,
                decided_at: Utc::now(),
                notice_version: IMPORTED_NOTICE.into(),
                language: "en".into(),
                method: ConsentMethod::Imported,
            },
        )?;
    }
    Ok(())
}

fn speakers_in_order(segments: &[ImportedSegment]) -> Vec<String> {
    let mut speakers: Vec<String> = Vec::new();
    for s in segments.iter().filter_map(|s| s.speaker.as_ref()) {
        if !speakers.contains(s) {
            speakers.push(s.clone());
        }
    }
    speakers
}

/// The call's start: the given date at midnight UTC, else the file's modification time.
pub fn call_start(path: &Path, date: Option<NaiveDate>) -> DateTime<Utc> {
    if let Some(day) = date {
        return day.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
    }
    std::fs::metadata(path)
        .and_then(|m| m.modified())
        .map(DateTime::<Utc>::from)
        .unwrap_or_else(|_| Utc::now())
}

pub fn default_title(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().replace(['_', '-'], " "))
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| "Imported call".into())
}

#[cfg(test)]
mod tests {
    use super::Person;

    #[test]
    fn parses_participants() {
        let p: Person = "Ana Jović <Ana@Acme.example>".parse().unwrap();
        assert_eq!(
            (p.name.as_str(), p.email.as_deref()),
            ("Ana Jović", Some("ana@acme.example"))
        );
        let p: Person = "Bob".parse().unwrap();
        assert_eq!(p.email, None);
        assert!("Ana <not an email>".parse::<Person>().is_err());
        assert!("<a@b.example>".parse::<Person>().is_err());
        assert!("Ana <a@b.example".parse::<Person>().is_err());
    }
}
