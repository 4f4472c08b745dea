//! The few domain types several capabilities share: the languages Zapis speaks to people in, the
//! two sides of a call and the keywords a team tracks. Everything else builds on these, and this
//! module depends on nothing in the crate, so consent, insights and storage never need each other
//! for them.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A language Zapis writes in: the recording notice, the insights' word lists, the interface.
/// (What whisper transcribes is wider: see `transcribe::SpokenLanguage`.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
pub enum Language {
    #[serde(rename = "en")]
    En,
    #[serde(rename = "sr-Latn")]
    SrLatn,
}

/// A language tag none of Zapis's texts are written in.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("language tag {tag:?} has no built-in notice; use \"en\" or \"sr-Latn\"")]
pub struct UnknownLanguage {
    pub tag: String,
}

impl Language {
    pub const ALL: [Language; 2] = [Language::En, Language::SrLatn];

    /// BCP 47 tag, as stored in receipts.
    pub fn code(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::SrLatn => "sr-Latn",
        }
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Language {
    type Err = UnknownLanguage;

    /// Accepts the tags a user is likely to type: `en`, `en-US`, `sr`, `sr-Latn`, `sr-Latn-RS`.
    fn from_str(tag: &str) -> Result<Self, Self::Err> {
        let lower = tag.trim().to_ascii_lowercase();
        let primary = lower.split(['-', '_']).next().unwrap_or_default();
        match primary {
            "en" => Ok(Language::En),
            // Serbian Cyrillic would need its own text; refusing beats showing the wrong script.
            "sr" if !lower.contains("cyrl") => Ok(Language::SrLatn),
            _ => Err(UnknownLanguage {
                tag: tag.to_owned(),
            }),
        }
    }
}

/// The speaker of every line of a one-channel recording until its voices are told apart.
pub const ONE_CHANNEL_SPEAKER: &str = "Everyone (one channel)";

/// Which side of the call a voice belongs to: the rep's microphone or the customer's side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
pub enum Role {
    #[serde(rename = "rep")]
    Rep,
    #[serde(rename = "customer")]
    Customer,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Rep => "rep",
            Role::Customer => "customer",
        }
    }

    /// The stored form back; `None` for anything else.
    pub fn parse(text: &str) -> Option<Role> {
        match text {
            "rep" => Some(Role::Rep),
            "customer" => Some(Role::Customer),
            _ => None,
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A term the team wants flagged wherever it is said, with the category it is reported under.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, ts_rs::TS)]
pub struct TrackedKeyword {
    pub term: String,
    pub category: String,
}
