//! The library's public records. Their serde form is the CLI's stable `--json` output.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
        pub enum $name { $(#[serde(rename = $text)] $variant),+ }

        impl $name {
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $text),+ }
            }
            pub fn parse(text: &str) -> Option<Self> {
                match text { $($text => Some(Self::$variant),)+ _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

pub use crate::domain::Role;

text_enum!(CallSource {
    Recorded => "recorded",
    ImportedAudio => "imported-audio",
    ImportedTranscript => "imported-transcript",
});
text_enum!(CallStatus {
    Recording => "recording",
    Processing => "processing",
    Ready => "ready",
    Failed => "failed",
    Interrupted => "interrupted",
});
text_enum!(Decision {
    Granted => "granted",
    Declined => "declined",
    Withdrawn => "withdrawn",
});
text_enum!(ConsentMethod {
    OnScreen => "on-screen",
    Verbal => "verbal",
    Imported => "imported",
});

#[derive(Debug, Clone)]
pub struct NewCall {
    pub title: String,
    pub started_at: DateTime<Utc>,
    pub language: String,
    pub source: CallSource,
    pub status: CallStatus,
    pub audio_dir: Option<PathBuf>,
    pub participants: Vec<NewParticipant>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewParticipant {
    pub name: String,
    pub email: Option<String>,
    pub role: Role,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewSegment {
    pub speaker: String,
    pub role: Role,
    pub start_ms: i64,
    pub end_ms: i64,
    pub text: String,
    pub confidence: Option<f32>,
}

#[derive(Debug, Clone)]
pub struct NewConsentReceipt {
    pub participant_name: String,
    pub participant_email: Option<String>,
    pub decision: Decision,
    pub decided_at: DateTime<Utc>,
    pub notice_version: String,
    pub language: String,
    pub method: ConsentMethod,
}

/// One row of `zapis calls list`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, ts_rs::TS)]
pub struct CallSummary {
    pub id: i64,
    pub title: String,
    #[serde(with = "rfc3339")]
    #[ts(type = "string")]
    pub started_at: DateTime<Utc>,
    pub duration_ms: i64,
    pub language: String,
    pub source: CallSource,
    pub status: CallStatus,
    pub participants: Vec<String>,
    pub segments: i64,
    pub sentiment: Option<String>,
    /// The Whisper model that made the transcript on this computer (`tiny.en`, `base`, …);
    /// null for an imported transcript or a call not transcribed yet.
    #[serde(default)]
    pub transcribed_with: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, ts_rs::TS)]
pub struct Participant {
    pub id: i64,
    pub name: String,
    pub email: Option<String>,
    pub role: Role,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, ts_rs::TS)]
pub struct Segment {
    pub id: i64,
    pub speaker: String,
    pub role: Role,
    pub start_ms: i64,
    pub end_ms: i64,
    pub text: String,
    pub confidence: Option<f32>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, ts_rs::TS)]
pub struct ConsentReceipt {
    pub id: i64,
    pub participant_name: String,
    pub participant_email: Option<String>,
    pub decision: Decision,
    #[serde(with = "rfc3339")]
    #[ts(type = "string")]
    pub decided_at: DateTime<Utc>,
    pub notice_version: String,
    pub language: String,
    pub method: ConsentMethod,
}

/// Everything stored about one call (`zapis calls show`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, ts_rs::TS)]
pub struct CallDetail {
    #[serde(flatten)]
    pub summary: CallSummary,
    #[serde(with = "rfc3339::option")]
    #[ts(type = "string | null")]
    pub ended_at: Option<DateTime<Utc>>,
    pub audio_dir: Option<PathBuf>,
    /// Everyone was recorded on one channel (a mono import): no track is the rep's, so every
    /// line's speaker comes from telling the voices apart, the rep's included.
    #[serde(default)]
    pub one_channel: bool,
    /// The participants with email and role (the flattened summary has just their names).
    #[serde(rename = "people")]
    pub participants: Vec<Participant>,
    pub consent: Vec<ConsentReceipt>,
    pub transcript: Vec<Segment>,
    /// What went wrong while this call was captured (audio the server dropped, a device that
    /// disappeared), oldest first, from the call's audit trail. Empty for a clean recording.
    #[serde(default)]
    pub capture_notes: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SearchHit {
    pub call_id: i64,
    pub segment_id: i64,
    pub speaker: String,
    pub start_ms: i64,
    pub snippet: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct AuditEntry {
    pub id: i64,
    #[serde(with = "rfc3339")]
    pub at: DateTime<Utc>,
    pub action: String,
    pub subject: String,
    pub detail: String,
}

/// What `zapis db check` reports.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct DbCheck {
    pub path: PathBuf,
    pub schema_version: i64,
    pub supported_version: i64,
    pub integrity: Vec<String>,
    pub ok: bool,
    pub size_bytes: u64,
    pub wal_bytes: u64,
    pub calls: i64,
    pub segments: i64,
}

/// Filters for listing calls; `Default` lists the newest first.
#[derive(Debug, Clone, Default)]
pub struct CallQuery {
    /// Words that must all appear in the transcript.
    pub search: Option<String>,
    /// Calls linked to this contact, or with a participant of this email.
    pub contact_email: Option<String>,
    pub sentiment: Option<String>,
    /// Calls that started on or after this day (UTC).
    pub since: Option<chrono::NaiveDate>,
    /// Calls that started on or before this day (UTC).
    pub until: Option<chrono::NaiveDate>,
    /// 0 means the default page size, 50.
    pub limit: usize,
    pub offset: usize,
}

/// Timestamps are stored and shown as UTC RFC 3339 with whole seconds.
pub fn format_time(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

pub fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

pub mod rfc3339 {
    use chrono::{DateTime, Utc};
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(at: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::format_time(*at))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
        let text = String::deserialize(d)?;
        super::parse_time(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("not an RFC 3339 time: {text}")))
    }

    pub mod option {
        use chrono::{DateTime, Utc};
        use serde::{Deserialize, Deserializer, Serializer};

        pub fn serialize<S: Serializer>(
            at: &Option<DateTime<Utc>>,
            s: S,
        ) -> Result<S::Ok, S::Error> {
            match at {
                Some(at) => super::serialize(at, s),
                None => s.serialize_none(),
            }
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(
            d: D,
        ) -> Result<Option<DateTime<Utc>>, D::Error> {
            match Option::<String>::deserialize(d)? {
                None => Ok(None),
                Some(text) => crate::storage::types::parse_time(&text)
                    .map(Some)
                    .ok_or_else(|| {
                        serde::de::Error::custom(format!("not an RFC 3339 time: {text}"))
                    }),
            }
        }
    }
}
