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
}

/// Creates a call from a WebVTT, SRT or Zapis JSON transcript and computes its insights.
pub fn import_transcript(
    library: &mut Library,
    path: &Path,
    options: &ImportOptions,
) -> Result<i64, ImportError> {
    if !options.consent_confirmed {
        return Err(ImportError::ConsentRequired);
    }
    let segments = transcript_import::read_transcript_file(path).map_err(|source| {
        ImportError::Transcript {
            path: path.to_path_buf(),
            source,
        }
    })?;
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
    let stored = (|| -> Result<(), ImportError> {
        library.append_segments(id, &rows)?;
        library.finish_call(
            id,
            started_at + chrono::Duration::milliseconds(duration),
            duration,
        )?;
        record_imported_consent(library, id, &participants)?;
        analysis::refresh_insights(library, id)?;
        Ok(())
    })();
    if let Err(e) = stored {
        // Leave no half-imported call behind.
        let _ = library.delete_call(id);
        return Err(e);
    }
    Ok(id)
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
