//! Tauri commands: each one validates its arguments, calls the core, and turns errors into the
//! message the UI shows.

pub mod calls;
pub mod contacts;
mod dialogs;
pub mod models;
pub mod recording;
pub mod settings;

/// Errors cross to the UI as their message: the core's messages already say what to do.
pub type CommandResult<T> = Result<T, String>;

pub fn message(error: impl std::fmt::Display) -> String {
    error.to_string()
}

/// How the final pass should run, from the user's settings.
pub fn finish_options(state: &crate::state::AppState) -> zapis::processing::FinishOptions {
    let settings = zapis::settings::Settings::load(&state.library()).unwrap_or_default();
    zapis::processing::FinishOptions {
        model: settings.preferences.model,
        language: settings.preferences.transcription_language,
        ..Default::default()
    }
}
