//! The user's preferences, stored in the call library so the desktop app and the CLI agree.

use serde::{Deserialize, Serialize};

use crate::storage::{Library, Result, Retention, TrackedKeyword};

/// Custom notice text per language; `None` uses Zapis's built-in notice.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq, ts_rs::TS)]
pub struct NoticeTexts {
    pub en: Option<String>,
    #[serde(rename = "sr-Latn")]
    pub sr_latn: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, ts_rs::TS)]
#[serde(default)]
pub struct Preferences {
    /// The app's own language: `en` or `sr-Latn`.
    pub language: String,
    /// What the transcriber listens for: `en`, `sr` or `auto`.
    pub transcription_language: String,
    /// Installed model for the live transcript (and for the final pass when `final_model` is
    /// not set).
    pub model: String,
    /// Installed model for the transcript made after the call and for imported recordings,
    /// where accuracy matters more than speed; `None` uses `model`.
    pub final_model: Option<String>,
    /// Microphone device name; `None` is the system default.
    pub mic: Option<String>,
    /// System-audio (monitor) device name; `None` is the default output's monitor.
    pub system: Option<String>,
    pub notice_text: NoticeTexts,
}

impl Default for Preferences {
    fn default() -> Self {
        Preferences {
            language: "en".into(),
            transcription_language: "en".into(),
            model: "tiny.en".into(),
            final_model: None,
            mic: None,
            system: None,
            notice_text: NoticeTexts::default(),
        }
    }
}

impl Preferences {
    /// The model the final pass (after a call, or of an imported recording) uses.
    pub fn final_model(&self) -> &str {
        self.final_model.as_deref().unwrap_or(&self.model)
    }
}

/// Everything the settings screen edits.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq, ts_rs::TS)]
pub struct Settings {
    #[serde(flatten)]
    pub preferences: Preferences,
    pub retention: Retention,
    pub tracked_keywords: Vec<TrackedKeyword>,
}

const PREFERENCES_KEY: &str = "preferences";

impl Settings {
    pub fn load(library: &Library) -> Result<Settings> {
        Ok(Settings {
            preferences: library.setting(PREFERENCES_KEY)?.unwrap_or_default(),
            retention: library.retention()?,
            tracked_keywords: library.tracked_keywords()?,
        })
    }

    pub fn save(&self, library: &mut Library) -> Result<()> {
        library.set_setting(PREFERENCES_KEY, &self.preferences)?;
        if library.retention()? != self.retention {
            library.set_retention(self.retention)?;
        }
        library.set_tracked_keywords(&self.tracked_keywords)
    }
}
