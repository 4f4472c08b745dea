use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::texts;
use super::ConsentError;

/// Revision of the built-in texts in `texts.rs`; part of the version so people can tell
/// built-in revisions apart at a glance (the hash alone already tells any two texts apart).
const BUILTIN_REVISION: u32 = 1;

/// Hex digits of the SHA-256 kept in a version: 48 bits make an accidental collision between
/// two edits of one notice practically impossible while keeping the version short.
const HASH_HEX_DIGITS: usize = 12;

pub use crate::domain::Language;

/// The recording notice shown to participants, with its read-aloud script and chat line.
///
/// The version is derived from the exact words, so an edited notice always gets a new version
/// and a receipt's `notice_version` identifies precisely what was shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    language: Language,
    text: String,
    read_aloud: String,
    chat_line: String,
    version: String,
}

impl Notice {
    /// The notice shipped with Zapis in `language`.
    pub fn builtin(language: Language) -> Notice {
        let (text, read_aloud, chat_line) = match language {
            Language::En => (texts::EN_NOTICE, texts::EN_READ_ALOUD, texts::EN_CHAT_LINE),
            Language::SrLatn => (
                texts::SR_LATN_NOTICE,
                texts::SR_LATN_READ_ALOUD,
                texts::SR_LATN_CHAT_LINE,
            ),
        };
        Notice::assemble(
            language,
            BUILTIN_REVISION.to_string(),
            text.to_owned(),
            read_aloud.to_owned(),
            chat_line.to_owned(),
        )
    }

    /// A user-edited notice text; the read-aloud script and chat line stay the built-in ones
    /// unless replaced with [`Notice::with_read_aloud`] / [`Notice::with_chat_line`].
    pub fn custom(language: Language, text: impl Into<String>) -> Result<Notice, ConsentError> {
        let text = non_empty(text.into(), "notice text")?;
        let builtin = Notice::builtin(language);
        Ok(Notice::assemble(
            language,
            "custom".to_owned(),
            text,
            builtin.read_aloud,
            builtin.chat_line,
        ))
    }

    /// Replaces the read-aloud script; the version changes with it.
    pub fn with_read_aloud(self, script: impl Into<String>) -> Result<Notice, ConsentError> {
        let script = non_empty(script.into(), "read-aloud script")?;
        Ok(Notice::assemble(
            self.language,
            "custom".to_owned(),
            self.text,
            script,
            self.chat_line,
        ))
    }

    /// Replaces the one-line chat text; the version changes with it.
    pub fn with_chat_line(self, line: impl Into<String>) -> Result<Notice, ConsentError> {
        let line = non_empty(line.into(), "chat line")?;
        Ok(Notice::assemble(
            self.language,
            "custom".to_owned(),
            self.text,
            self.read_aloud,
            line,
        ))
    }

    fn assemble(
        language: Language,
        revision: String,
        text: String,
        read_aloud: String,
        chat_line: String,
    ) -> Notice {
        let mut hasher = Sha256::new();
        // Length-prefix each part so moving words between parts still changes the hash.
        for part in [text.as_str(), read_aloud.as_str(), chat_line.as_str()] {
            hasher.update((part.len() as u64).to_le_bytes());
            hasher.update(part.as_bytes());
        }
        let digest = hasher.finalize();
        let hash: String = digest
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect::<String>()
            .chars()
            .take(HASH_HEX_DIGITS)
            .collect();
        let version = format!("{}-{revision}-{hash}", language.code());
        Notice {
            language,
            text,
            read_aloud,
            chat_line,
            version,
        }
    }

    pub fn language(&self) -> Language {
        self.language
    }

    /// The full notice: why, what, where, the rights, and how to ask for a copy or erasure.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// A short script the rep reads aloud at the start of a call.
    pub fn read_aloud(&self) -> &str {
        &self.read_aloud
    }

    /// One line to paste into the meeting chat.
    pub fn chat_line(&self) -> &str {
        &self.chat_line
    }

    /// `"{language}-{revision}-{12 hex digits of SHA-256 over all three texts}"`, where the
    /// revision is the built-in revision number or `custom`.
    pub fn version(&self) -> &str {
        &self.version
    }
}

fn non_empty(value: String, what: &'static str) -> Result<String, ConsentError> {
    if value.trim().is_empty() {
        Err(ConsentError::EmptyNoticeText { what })
    } else {
        Ok(value)
    }
}
