//! The tray: idle or recording icon, and Record…, Stop, Open Zapis, Quit.

use tauri::image::Image;
use tauri::menu::{MenuBuilder, MenuItem, MenuItemBuilder};
use tauri::tray::{TrayIcon, TrayIconBuilder};
use tauri::{AppHandle, Emitter, Manager, Wry};

pub const TRAY_ID: &str = "zapis";

/// Menu items whose enabled state follows the recording state.
pub struct TrayItems {
    pub record: MenuItem<Wry>,
    pub stop: MenuItem<Wry>,
}

pub fn install(app: &AppHandle) -> tauri::Result<()> {
    let record = MenuItemBuilder::with_id("record", "Record…").build(app)?;
    let stop = MenuItemBuilder::with_id("stop", "Stop")
        .enabled(false)
        .build(app)?;
    let open = MenuItemBuilder::with_id("open", "Open Zapis").build(app)?;
    let quit = MenuItemBuilder::with_id("quit", "Quit").build(app)?;
    let menu = MenuBuilder::new(app)
        .items(&[&record, &stop])
        .separator()
        .items(&[&open, &quit])
        .build()?;
    TrayIconBuilder::with_id(TRAY_ID)
        .icon(idle_icon()?)
        .tooltip("Zapis — not recording")
        .menu(&menu)
        .on_menu_event(|app, event| match event.id().as_ref() {
            "record" => show_screen(app, "consent"),
            "stop" => {
                if let Some(state) = app.try_state::<crate::state::AppState>() {
                    if let Err(message) = crate::commands::recording::stop_and_finish(app, &state) {
                        let _ = app.emit(
                            "zapis://error",
                            serde_json::json!({ "message": message, "fatal": false }),
                        );
                    }
                }
                show_screen(app, "live");
            }
            "open" => show_screen(app, "calls"),
            "quit" => app.exit(0),
            _ => {}
        })
        .build(app)?;
    app.manage(TrayItems { record, stop });
    Ok(())
}

/// Brings the window up on a screen of the UI (it routes on `zapis://navigate`).
pub fn show_screen(app: &AppHandle, screen: &str) {
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.show();
        let _ = window.unminimize();
        let _ = window.set_focus();
    }
    let _ = app.emit("zapis://navigate", screen);
}

/// Switches the tray between idle and recording.
pub fn set_recording(app: &AppHandle, recording: bool) {
    if let Some(tray) = app.tray_by_id(TRAY_ID) {
        let _ = update(&tray, recording);
    }
    if let Some(items) = app.try_state::<TrayItems>() {
        let _ = items.record.set_enabled(!recording);
        let _ = items.stop.set_enabled(recording);
    }
}

fn update(tray: &TrayIcon, recording: bool) -> tauri::Result<()> {
    if recording {
        tray.set_icon(Some(Image::from_bytes(include_bytes!(
            "../../icons/tray-recording.png"
        ))?))?;
        tray.set_tooltip(Some("Zapis — recording, everyone was told"))
    } else {
        tray.set_icon(Some(idle_icon()?))?;
        tray.set_tooltip(Some("Zapis — not recording"))
    }
}

fn idle_icon() -> tauri::Result<Image<'static>> {
    Image::from_bytes(include_bytes!("../../icons/tray-idle.png"))
}
