//! Every file the desktop app reads or writes for the user is one the user picked in the
//! system's own open/save dialog: the webview never names a path, so a compromised or buggy page
//! cannot make the app read or overwrite a file of its choosing.

use std::path::PathBuf;

use tauri::{AppHandle, Manager};
use tauri_plugin_dialog::{DialogExt, FileDialogBuilder};

/// A dialog attached to the main window, titled in the UI's language.
fn dialog(app: &AppHandle, title: &str) -> FileDialogBuilder<tauri::Wry> {
    let builder = app.dialog().file().set_title(title);
    match app.get_webview_window("main") {
        Some(window) => builder.set_parent(&window),
        None => builder,
    }
}

fn local_path(picked: tauri_plugin_dialog::FilePath) -> Result<PathBuf, String> {
    picked.into_path().map_err(|e| {
        format!("the chosen location is not a local file ({e}); choose a folder on this computer")
    })
}

/// Where to save a file, or `None` when the user cancelled. The dialog asks before replacing
/// an existing file.
pub fn save_file(
    app: &AppHandle,
    title: &str,
    suggested_name: &str,
    extension: &str,
) -> Result<Option<PathBuf>, String> {
    dialog(app, title)
        .set_file_name(suggested_name)
        .add_filter(extension.to_uppercase(), &[extension])
        .blocking_save_file()
        .map(local_path)
        .transpose()
}

/// A CSV file to read, or `None` when the user cancelled.
pub fn open_csv(app: &AppHandle, title: &str) -> Result<Option<PathBuf>, String> {
    dialog(app, title)
        .add_filter("CSV", &["csv", "txt"])
        .blocking_pick_file()
        .map(local_path)
        .transpose()
}

/// A recording or transcript to import, or `None` when the user cancelled.
pub fn open_import(app: &AppHandle, title: &str) -> Result<Option<PathBuf>, String> {
    dialog(app, title)
        .add_filter(
            "Recordings and transcripts",
            &["wav", "flac", "mp3", "ogg", "m4a", "vtt", "srt", "json"],
        )
        .blocking_pick_file()
        .map(local_path)
        .transpose()
}

/// A whisper.cpp (ggml) model file the user already has, or `None` when they cancelled.
pub fn open_model(app: &AppHandle, title: &str) -> Result<Option<PathBuf>, String> {
    dialog(app, title)
        .add_filter("Whisper models (ggml)", &["bin"])
        .blocking_pick_file()
        .map(local_path)
        .transpose()
}

/// A folder to write into, or `None` when the user cancelled.
pub fn pick_folder(app: &AppHandle, title: &str) -> Result<Option<PathBuf>, String> {
    dialog(app, title)
        .set_can_create_directories(true)
        .blocking_pick_folder()
        .map(local_path)
        .transpose()
}
