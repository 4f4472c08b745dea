use tauri::State;

use super::{CommandError, CommandResult};
use crate::state::AppState;
use zapis::settings::Settings;

#[tauri::command]
pub fn get_settings(state: State<'_, AppState>) -> CommandResult<Settings> {
    Settings::load(&state.library()).map_err(CommandError::from)
}

#[tauri::command]
pub fn save_settings(state: State<'_, AppState>, settings: Settings) -> CommandResult<Settings> {
    Ok(zapis::app::save_settings(&mut state.library(), &settings)?)
}

/// The folder holding the app's log files, for the settings screen (and for support).
#[tauri::command]
pub fn log_location(state: State<'_, AppState>) -> String {
    state.log_dir.display().to_string()
}
