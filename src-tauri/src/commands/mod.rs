//! Tauri commands: each one turns its arguments into the core's typed request, calls the
//! application layer (or the core), and turns errors into [`CommandError`] for the UI.

pub mod calls;
pub mod contacts;
mod dialogs;
pub mod imports;
pub mod models;
pub mod recording;
pub mod settings;
pub mod team;

use serde::Serialize;
use std::collections::BTreeMap;
use zapis::app::AppError;

/// An error as the UI receives it: a stable `code` its catalogue translates (en, sr-Latn), the
/// core's English `message` (shown when the UI has no sentence for the code, and logged), and
/// the `details` a translation fills in (names, paths).
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct CommandError {
    /// One of `zapis::app::ErrorCode`, or `failed` for what the core does not classify.
    #[ts(type = "ErrorCode")]
    pub code: &'static str,
    pub message: String,
    pub details: BTreeMap<String, String>,
}

/// The call a command started, stopped or imported.
#[derive(Debug, Clone, Copy, Serialize, ts_rs::TS)]
pub struct CallRef {
    pub call_id: i64,
}

pub type CommandResult<T> = Result<T, CommandError>;

/// Code for failures the application layer does not classify (a dialog, a file the shell
/// writes): the UI shows the message.
pub const UNCLASSIFIED: &str = "failed";

impl From<AppError> for CommandError {
    fn from(error: AppError) -> Self {
        let details = match &error {
            AppError::Declined { names } => details(&[("names", &names.join(", "))]),
            AppError::UnknownDecision(e) => {
                details(&[("participant", &e.participant), ("given", &e.given)])
            }
            AppError::UnknownMethod(e) => details(&[("given", &e.0)]),
            _ => BTreeMap::new(),
        };
        CommandError {
            code: error.code().as_str(),
            message: error.to_string(),
            details,
        }
    }
}

fn details(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(key, value)| (key.to_string(), value.to_string()))
        .collect()
}

impl From<&str> for CommandError {
    fn from(text: &str) -> Self {
        message(text)
    }
}

impl From<String> for CommandError {
    fn from(text: String) -> Self {
        message(text)
    }
}

/// An error the application layer does not classify, with its message.
pub fn message(error: impl std::fmt::Display) -> CommandError {
    CommandError {
        code: UNCLASSIFIED,
        message: error.to_string(),
        details: BTreeMap::new(),
    }
}

/// Errors of the core that the application layer classifies, from commands that call the core
/// directly (reading the library, listing devices and models).
macro_rules! classified {
    ($($error:ty),+) => {
        $(impl From<$error> for CommandError {
            fn from(error: $error) -> Self {
                AppError::from(error).into()
            }
        })+
    };
}
classified!(
    zapis::storage::StorageError,
    zapis::model::ModelError,
    zapis::capture::CaptureError,
    zapis::consent::ConsentError,
    zapis::crm::UnknownExportFormat,
    zapis::crm::csv_import::ContactsCsvError,
    zapis::privacy::PrivacyError
);
