// Zapis desktop: window, tray and Tauri commands over the zapis core. No business logic lives here.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

#[cfg(test)]
mod bindings;
mod commands;
mod state;
mod tray;

use tauri::{Emitter, Manager};

/// Retention runs at start (in `AppState::open`) and then once a day while the app is up.
fn apply_retention_daily(app: tauri::AppHandle) {
    std::thread::spawn(move || loop {
        std::thread::sleep(std::time::Duration::from_secs(24 * 3600));
        if let Some(state) = app.try_state::<state::AppState>() {
            let _ = state.library().apply_retention(chrono::Utc::now());
        }
    });
}

/// While the library is joined to a team, the queue drains by itself: a sync a minute after
/// start and every five minutes after that. Offline is normal: a failed sync only records its
/// error (Settings → Team shows it) and the next one tries again. Its own library handle, so a
/// slow server never holds the UI's. Each attempt is announced (`zapis://team-synced`), so a
/// call page that said "goes at the next sync" reads its standing again: once the calls are
/// pushed and again at the end.
fn sync_team_in_background(app: tauri::AppHandle, data_dir: std::path::PathBuf) {
    std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_secs(60));
        loop {
            if let Ok(mut library) = zapis::storage::Library::open(&data_dir) {
                if matches!(library.team_membership(), Ok(Some(_))) {
                    // Announced as soon as the calls are there too, and again when their lines'
                    // vectors are: each may take a minute for a long history.
                    let mut announce = |_: zapis::team::SyncStage, _: &zapis::team::SyncReport| {
                        let _ = app.emit(commands::team::SYNCED_EVENT, ());
                    };
                    if let Err(e) = zapis::app::sync_team(&mut library, &mut announce) {
                        tracing::info!(error = %zapis::logging::redact(&e.to_string()), "background team sync did not finish");
                    }
                    let _ = app.emit(commands::team::SYNCED_EVENT, ());
                }
            }
            std::thread::sleep(std::time::Duration::from_secs(300));
        }
    });
}

/// With the sentence model installed, the lines of calls stored before it (or whose indexing
/// failed) get their meaning once the app has started, and calls the rules alone analysed are
/// analysed again where the model can change their action items (`app::index_all`). At a lower
/// priority than capture and the UI, on its own library handle; the UI hears when it is done.
fn index_meanings_in_background(app: tauri::AppHandle, data_dir: std::path::PathBuf) {
    std::thread::spawn(move || {
        if zapis::semantic::SentenceModel::installed(&data_dir).is_none() {
            return;
        }
        zapis::transcribe::priority::lower_this_thread();
        let indexed = zapis::storage::Library::open(&data_dir)
            .map_err(zapis::app::AppError::from)
            .and_then(|mut library| zapis::app::index_all(&mut library, &mut |_, _| {}));
        match indexed {
            Ok(zapis::app::Indexed {
                calls: 0,
                reanalysed: 0,
                ..
            }) => {}
            Ok(done) => {
                tracing::info!(
                    calls = done.calls,
                    lines = done.lines,
                    reanalysed = done.reanalysed,
                    "indexed lines for search by meaning"
                );
                let _ = app.emit(commands::calls::LINES_INDEXED_EVENT, ());
            }
            Err(e) => {
                tracing::info!(error = %zapis::logging::redact(&e.to_string()), "indexing lines for search by meaning did not finish")
            }
        }
    });
}

/// WebKitGTK composites pages with OpenGL. Without a GPU (no DRM device: a VM, a remote
/// desktop, Xvfb) that GL is emulated on the CPU, and scrolling the call history took
/// ~75 ms a frame under Xvfb; painting directly takes ~9 ms. Only applies when the user
/// has not chosen either way, and must run before WebKit starts.
#[cfg(target_os = "linux")]
fn prefer_direct_painting_without_gpu() {
    const VAR: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";
    if std::env::var_os(VAR).is_none() && !std::path::Path::new("/dev/dri").exists() {
        std::env::set_var(VAR, "1");
    }
}

fn main() {
    // Before any thread exists, so changing the environment is safe.
    #[cfg(target_os = "linux")]
    prefer_direct_painting_without_gpu();
    // Recordings, transcripts and logs are the user's alone, whichever code creates them.
    zapis::paths::restrict_new_files();
    let app = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .setup(|app| {
            let state = state::AppState::open()?;
            // Let the <audio> element play recordings from wherever the library lives.
            let _ = app
                .asset_protocol_scope()
                .allow_directory(state.data_dir.join("calls"), true);
            let state_data_dir = state.data_dir.clone();
            app.manage(state);
            tray::install(app.handle())?;
            apply_retention_daily(app.handle().clone());
            index_meanings_in_background(app.handle().clone(), state_data_dir.clone());
            sync_team_in_background(app.handle().clone(), state_data_dir);
            Ok(())
        })
        .on_window_event(|window, event| match event {
            // Closing the window keeps Zapis in the tray; Quit is in the tray menu.
            tauri::WindowEvent::CloseRequested { api, .. } if window.label() == "main" => {
                api.prevent_close();
                let _ = window.hide();
            }
            // Files dropped on the window are offered for import (the path stays here).
            tauri::WindowEvent::DragDrop(tauri::DragDropEvent::Drop { paths, .. }) => {
                let app = window.app_handle();
                if let Some(state) = app.try_state::<state::AppState>() {
                    commands::imports::dropped(app, &state, paths);
                }
            }
            _ => {}
        })
        .invoke_handler(tauri::generate_handler![
            commands::calls::list_calls,
            commands::calls::get_call,
            commands::calls::delete_call,
            commands::calls::export_call,
            commands::calls::update_action_item,
            commands::calls::audio_url,
            commands::calls::call_voices,
            commands::calls::search_lines,
            commands::calls::name_voice,
            commands::calls::unname_voice,
            commands::calls::set_speaker_side,
            commands::calls::merge_voices,
            commands::calls::split_voice,
            commands::contacts::list_contacts,
            commands::contacts::get_contact,
            commands::contacts::import_contacts,
            commands::contacts::export_person_data,
            commands::contacts::export_library,
            commands::contacts::erase_person,
            commands::settings::get_settings,
            commands::settings::save_settings,
            commands::settings::log_location,
            commands::recording::notice,
            commands::recording::list_devices,
            commands::recording::start_recording,
            commands::recording::stop_recording,
            commands::recording::withdraw_consent,
            commands::recording::recording_state,
            commands::models::list_models,
            commands::models::install_model,
            commands::models::add_model_file,
            commands::imports::choose_import,
            commands::imports::import_pending,
            commands::team::team_status,
            commands::team::team_join,
            commands::team::team_leave,
            commands::team::team_share_call,
            commands::team::team_call_sharing,
            commands::team::team_share_contact,
            commands::team::team_set_policy,
            commands::team::team_sync,
            commands::team::team_overview,
            commands::team::team_account_history,
            commands::team::team_search,
        ])
        .build(tauri::generate_context!("../tauri.conf.json"));
    match app {
        Ok(app) => app.run(|_, _| {}),
        Err(error) => {
            eprintln!("zapis-desktop: cannot start: {error}");
            std::process::exit(1);
        }
    }
}
