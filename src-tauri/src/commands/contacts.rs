use std::collections::HashMap;
use tauri::State;

use super::{message, CommandResult};
use crate::state::AppState;
use zapis::crm::csv_import::{parse_contacts, Field};
use zapis::privacy::{self, Subject};
use zapis::storage::{ContactDetail, ContactSummary, Erasure};

#[tauri::command]
pub fn list_contacts(
    state: State<'_, AppState>,
    search: Option<String>,
) -> CommandResult<Vec<ContactSummary>> {
    state.library().contacts(search.as_deref()).map_err(message)
}

#[tauri::command]
pub fn get_contact(state: State<'_, AppState>, email: String) -> CommandResult<ContactDetail> {
    state.library().contact(&email).map_err(message)
}

#[tauri::command(async)]
pub fn import_contacts(
    state: State<'_, AppState>,
    path: String,
    mapping: Option<HashMap<String, String>>,
) -> CommandResult<serde_json::Value> {
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
    let bytes = std::fs::read(&path).map_err(|e| format!("cannot read {path}: {e}"))?;
    let parsed = parse_contacts(&path, &bytes, &map).map_err(message)?;
    let outcome = state
        .library()
        .upsert_contacts(&parsed.records)
        .map_err(message)?;
    Ok(serde_json::json!({
        "imported": outcome.imported,
        "updated": outcome.updated,
        "unknown_columns": parsed.unknown_columns,
    }))
}

#[tauri::command(async)]
pub fn export_person_data(
    state: State<'_, AppState>,
    email: String,
    dir: String,
) -> CommandResult<String> {
    privacy::export(
        &state.library(),
        &Subject::Person(email),
        std::path::Path::new(&dir),
    )
    .map_err(message)?;
    Ok(dir)
}

#[tauri::command(async)]
pub fn erase_person(state: State<'_, AppState>, email: String) -> CommandResult<Erasure> {
    privacy::erase(&mut state.library(), &email).map_err(message)
}
