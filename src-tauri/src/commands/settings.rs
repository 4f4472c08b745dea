use tauri::State;

use super::{message, CommandResult};
use crate::state::AppState;
use zapis::settings::Settings;

#[tauri::command]
pub fn get_settings(state: State<'_, AppState>) -> CommandResult<Settings> {
    Settings::load(&state.library()).map_err(message)
}

#[tauri::command]
pub fn save_settings(state: State<'_, AppState>, settings: Settings) -> CommandResult<Settings> {
    let mut library = state.library();
    settings.save(&mut library).map_err(message)?;
    library
        .apply_retention(chrono::Utc::now())
        .map_err(message)?;
    Settings::load(&library).map_err(message)
}

/// The folder holding the app's log files, for the settings screen (and for support).
#[tauri::command]
pub fn log_location(state: State<'_, AppState>) -> String {
    state.log_dir.display().to_string()
}
