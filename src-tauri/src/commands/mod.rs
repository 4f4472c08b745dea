//! Tauri commands: each one validates its arguments, calls the core, and turns errors into the
//! message the UI shows.

pub mod calls;
pub mod contacts;
pub mod recording;
pub mod settings;

/// Errors cross to the UI as their message: the core's messages already say what to do.
pub type CommandResult<T> = Result<T, String>;

pub fn message(error: impl std::fmt::Display) -> String {
    error.to_string()
}
