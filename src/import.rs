//! Bringing existing calls into the library: transcripts from meeting tools (and, with the
//! transcription engine, recordings). Consent for an imported call is the user's statement that
//! everyone agreed; it is stored as a receipt with method `imported`.

use chrono::{DateTime, NaiveDate, Utc};
use std::path::{Path, PathBuf};

use crate::analysis;
use crate::insights;
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
    #[error("a recording's --rep names the speaker on its first channel, so give it once; after the import, put a colleague on your side with `zapis calls side ID NAME rep`")]
    RepOfRecordingTwice,
    #[error("{0:?} is not a participant; write it as \"Name <email>\" or just a name")]
    BadParticipant(String),
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error(transparent)]
    Transcribe(#[from] crate::transcribe::TranscribeError),
    #[error("cannot import {path}: {source}")]
    NotAFile {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the transcript runs {0} ms, longer than any call; its times are broken")]
    BadTimes(i64),
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
    /// The speakers on the rep's side (the rep and any colleague on the call), each remembered
    /// for later imports. Default for a transcript: the speakers whose names the user has put on
    /// their side before, else the first speaker. For a recording, the first names the
    /// microphone channel.
    pub rep: Vec<String>,
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
    crate::paths::require_regular_file(path).map_err(|source| ImportError::NotAFile {
        path: path.to_path_buf(),
        source,
    })?;
    let file =
        transcript_import::read_transcript_file_as(path, options.encoding).map_err(|source| {
            ImportError::Transcript {
                path: path.to_path_buf(),
                source,
            }
        })?;
    let segments = file.segments;
    let speakers = speakers_in_order(&segments);
    let mut seller_side = seller_side(library, &speakers, &options.rep)?;
    // A line without a speaker is the rep's (a transcript of the rep's own dictation).
    if seller_side.is_empty() {
        seller_side.push("Rep".into());
    }
    let rep = seller_side[0].clone();
    let role_of = |speaker: &str| {
        if seller_side.iter().any(|s| s == speaker) {
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
        // Teams and Zoom exports carry no language tag: without a flag, the words decide.
        language: options.language.clone().unwrap_or_else(|| {
            insights::detect_language(segments.iter().map(|s| s.text.as_str()))
                .code()
                .to_string()
        }),
        source: CallSource::ImportedTranscript,
        status: CallStatus::Processing,
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

    // Names given with --rep are remembered (as the transcript spells them); remembered ones
    // already are, and the first-speaker guess is not the user's word.
    let told = !options.rep.is_empty();
    let call_id = store_import(library, &call, &rows, duration, |library, _| {
        for name in seller_side.iter().filter(|_| told) {
            library.remember_speaker_side(name, Role::Rep)?;
        }
        Ok(())
    })?;
    Ok(ImportedTranscript {
        call_id,
        encoding: file.encoding,
    })
}

/// The transcript's speakers on the rep's side: those named with `--rep` (each must speak), else
/// those the user has put on their side before, else the first speaker (a host usually opens).
fn seller_side(
    library: &Library,
    speakers: &[String],
    given: &[String],
) -> Result<Vec<String>, ImportError> {
    if !given.is_empty() {
        return given
            .iter()
            .map(|rep| {
                speakers
                    .iter()
                    .find(|s| crate::storage::same_name(s, rep))
                    .cloned()
                    .ok_or_else(|| ImportError::UnknownRep(rep.clone(), speakers.join(", ")))
            })
            .collect();
    }
    let remembered = library.seller_side_names()?;
    let known: Vec<String> = speakers
        .iter()
        .filter(|s| remembered.iter().any(|r| crate::storage::same_name(r, s)))
        .cloned()
        .collect();
    if !known.is_empty() {
        return Ok(known);
    }
    Ok(speakers.first().cloned().into_iter().collect())
}

pub use crate::domain::ONE_CHANNEL_SPEAKER;

/// Creates a call from a recording and transcribes it. A two-channel file is read as Zapis
/// records calls (channel 1 the rep's microphone, channel 2 the other side), each channel with its
/// speaker; a mono file has everyone on one track ([`ONE_CHANNEL_SPEAKER`], a one-channel call
/// whose voices diarization tells apart). The audio is copied into the library, so export and
/// erasure cover it.
pub fn import_audio(
    library: &mut Library,
    engine: &mut crate::transcribe::Engine,
    path: &Path,
    options: &ImportOptions,
    whisper: &crate::transcribe::Options,
    progress: &mut dyn FnMut(f32),
) -> Result<i64, ImportError> {
    use crate::processing::final_pass::{merge_sides, to_segments, Voice};
    use crate::transcribe::{transcribe_file, ChannelMode};

    if !options.consent_confirmed {
        return Err(ImportError::ConsentRequired);
    }
    if options.rep.len() > 1 {
        return Err(ImportError::RepOfRecordingTwice);
    }
    let rep_name = options
        .rep
        .first()
        .cloned()
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
    let one_channel = transcript.audio.channels < 2;
    let segments = match channels.next() {
        Some(second) => merge_sides(
            to_segments(&rep, &first),
            to_segments(&customer, &second.segments),
        ),
        // Everyone on one track, the rep included: nobody's name until the voices are told
        // apart (a wrong name is worse than none).
        None => to_segments(
            &Voice {
                role: Role::Customer,
                speaker: ONE_CHANNEL_SPEAKER.into(),
            },
            &first,
        ),
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
    let call = NewCall {
        title: options.title.clone().unwrap_or_else(|| default_title(path)),
        started_at,
        language: transcript.language.clone(),
        source: CallSource::ImportedAudio,
        status: CallStatus::Processing,
        audio_dir: None,
        participants: participants.clone(),
    };
    store_import(library, &call, &segments, duration, |library, id| {
        if one_channel {
            library.set_one_channel(id)?;
        } else if !options.rep.is_empty() {
            library.remember_speaker_side(&rep_name, Role::Rep)?;
        }
        copy_audio_in(library, id, path)
    })
}

/// Copies an imported recording into the call's own folder, private to the user. A folder left
/// under this id by an import that died before it committed holds nothing of any stored call:
/// it is cleared first, so no stray file can end up in this call's export.
fn copy_audio_in(library: &mut Library, id: i64, path: &Path) -> Result<(), ImportError> {
    let dir = crate::storage::call_dir(library.data_dir(), id);
    let copy_err = |path: &Path| {
        let path = path.to_path_buf();
        move |source| ImportError::Copy { path, source }
    };
    remove_dir_if_any(&dir).map_err(copy_err(&dir))?;
    crate::paths::ensure_private_dir(&dir).map_err(copy_err(&dir))?;
    let name = path
        .file_name()
        .map_or_else(|| "recording".into(), |n| n.to_owned());
    let target = dir.join(name);
    std::fs::copy(path, &target)
        .and_then(|_| crate::paths::make_private_file(&target))
        .map_err(copy_err(path))?;
    library.set_audio_dir(id, &dir)?;
    Ok(())
}

fn remove_dir_if_any(dir: &Path) -> std::io::Result<()> {
    match std::fs::remove_dir_all(dir) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// Stores an imported call whole: its row, `prepare` (e.g. copying the audio in), transcript,
/// length, consent receipts and insights, in one transaction. The call appears in the library
/// only when all of it is stored; a failure, a panic or a killed process leaves no row, and a
/// failure removes every file the import wrote.
fn store_import(
    library: &mut Library,
    call: &NewCall,
    segments: &[NewSegment],
    duration_ms: i64,
    prepare: impl FnOnce(&mut Library, i64) -> Result<(), ImportError>,
) -> Result<i64, ImportError> {
    let ended_at = call
        .started_at
        .checked_add_signed(chrono::Duration::milliseconds(duration_ms))
        .ok_or_else(|| ImportError::BadTimes(duration_ms))?;
    let mut created = None;
    let stored = library.atomically(|library| -> Result<i64, ImportError> {
        let id = library.create_call(call)?;
        created = Some(id);
        prepare(library, id)?;
        library.append_segments(id, segments)?;
        library.finish_call(id, ended_at, duration_ms)?;
        record_imported_consent(library, id, &call.participants)?;
        analysis::refresh_insights(library, id)?;
        library.set_call_status(id, CallStatus::Ready)?;
        Ok(id)
    });
    match &stored {
        Ok(id) => tracing::info!(call_id = id, segments = segments.len(), "call imported"),
        Err(e) => {
            tracing::error!(error = %crate::logging::redact(&e.to_string()), "import failed; nothing was kept")
        }
    }
    if stored.is_err() {
        if let Some(id) = created {
            let _ = remove_dir_if_any(&crate::storage::call_dir(library.data_dir(), id));
        }
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
