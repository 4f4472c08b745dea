use std::collections::HashMap;
use tauri::{AppHandle, State};

use super::{dialogs, CommandError, CommandResult};
use crate::state::AppState;
use zapis::app::{self, Destination};
use zapis::crm::csv_import::{parse_contacts, Field};
use zapis::privacy::Subject;
use zapis::storage::{ContactDetail, ContactSummary, Erasure};

/// What a contacts import did; `unknown_columns` were neither recognised nor mapped.
#[derive(serde::Serialize, ts_rs::TS)]
pub struct ContactsImported {
    imported: usize,
    updated: usize,
    unknown_columns: Vec<String>,
}

#[tauri::command]
pub fn list_contacts(
    state: State<'_, AppState>,
    search: Option<String>,
) -> CommandResult<Vec<ContactSummary>> {
    state
        .library()
        .contacts(search.as_deref())
        .map_err(CommandError::from)
}

#[tauri::command]
pub fn get_contact(state: State<'_, AppState>, email: String) -> CommandResult<ContactDetail> {
    state.library().contact(&email).map_err(CommandError::from)
}

/// Imports contacts from a CSV the user picks in the open dialog; `None` when they cancelled.
/// A file that is not a contacts CSV is refused without its contents being repeated.
#[tauri::command(async)]
pub fn import_contacts(
    app: AppHandle,
    state: State<'_, AppState>,
    mapping: Option<HashMap<String, String>>,
    dialog_title: String,
) -> CommandResult<Option<ContactsImported>> {
    let mut map = HashMap::new();
    for (column, field) in mapping.unwrap_or_default() {
        let field = Field::parse(&field)
            .ok_or_else(|| format!("unknown field {field:?} for column {column:?}"))?;
        map.insert(
            column
                .chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_lowercase)
                .collect(),
            field,
        );
    }
    let Some(path) = dialogs::open_csv(&app, &dialog_title)? else {
        return Ok(None);
    };
    let shown = path.display().to_string();
    zapis::paths::require_regular_file(&path)
        .map_err(|e| format!("cannot read {shown}: {e}; choose a CSV file"))?;
    let bytes = std::fs::read(&path).map_err(|e| format!("cannot read {shown}: {e}"))?;
    let parsed = parse_contacts(&shown, &bytes, &map).map_err(CommandError::from)?;
    let outcome = state
        .library()
        .upsert_contacts(&parsed.records)
        .map_err(CommandError::from)?;
    Ok(Some(ContactsImported {
        imported: outcome.imported,
        updated: outcome.updated,
        unknown_columns: parsed.unknown_columns,
    }))
}

/// Copies everything Zapis holds about a person into a new folder inside the folder the user
/// picks; returns that new folder, or `None` when they cancelled.
#[tauri::command(async)]
pub fn export_person_data(
    app: AppHandle,
    state: State<'_, AppState>,
    email: String,
    dialog_title: String,
) -> CommandResult<Option<String>> {
    export_into_picked_folder(&app, &state, Subject::Person(email), &dialog_title)
}

/// Everything in the library (every call, contact, receipt and recording) into a new folder
/// inside the folder the user picks; `None` when they cancelled.
#[tauri::command(async)]
pub fn export_library(
    app: AppHandle,
    state: State<'_, AppState>,
    dialog_title: String,
) -> CommandResult<Option<String>> {
    export_into_picked_folder(&app, &state, Subject::Everyone, &dialog_title)
}

fn export_into_picked_folder(
    app: &AppHandle,
    state: &AppState,
    subject: Subject,
    dialog_title: &str,
) -> CommandResult<Option<String>> {
    let Some(parent) = dialogs::pick_folder(app, dialog_title)? else {
        return Ok(None);
    };
    let exported = app::export_data(
        &state.library(),
        &subject,
        Destination::NewFolderIn(&parent),
    )?;
    Ok(Some(exported.folder.display().to_string()))
}

#[tauri::command(async)]
pub fn erase_person(state: State<'_, AppState>, email: String) -> CommandResult<Erasure> {
    Ok(app::erase_person(&mut state.library(), &email)?)
}
