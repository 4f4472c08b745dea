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

/// The tray's words in the app's language (the web UI has its own catalogue).
struct Labels {
    record: &'static str,
    stop: &'static str,
    open: &'static str,
    quit: &'static str,
    idle: &'static str,
    recording: &'static str,
}

const EN: Labels = Labels {
    record: "Record…",
    stop: "Stop",
    open: "Open Zapis",
    quit: "Quit",
    idle: "Zapis — not recording",
    recording: "Zapis — recording, everyone was told",
};

const SR_LATN: Labels = Labels {
    record: "Snimi…",
    stop: "Zaustavi",
    open: "Otvori Zapis",
    quit: "Izađi",
    idle: "Zapis — ne snima",
    recording: "Zapis — snima, svi su obavešteni",
};

fn labels(app: &AppHandle) -> &'static Labels {
    let language = app
        .try_state::<crate::state::AppState>()
        .and_then(|state| zapis::settings::Settings::load(&state.library()).ok())
        .map(|s| s.preferences.language);
    match language.as_deref() {
        Some("sr-Latn") => &SR_LATN,
        _ => &EN,
    }
}

pub fn install(app: &AppHandle) -> tauri::Result<()> {
    let words = labels(app);
    let record = MenuItemBuilder::with_id("record", words.record).build(app)?;
    let stop = MenuItemBuilder::with_id("stop", words.stop)
        .enabled(false)
        .build(app)?;
    let open = MenuItemBuilder::with_id("open", words.open).build(app)?;
    let quit = MenuItemBuilder::with_id("quit", words.quit).build(app)?;
    let menu = MenuBuilder::new(app)
        .items(&[&record, &stop])
        .separator()
        .items(&[&open, &quit])
        .build()?;
    TrayIconBuilder::with_id(TRAY_ID)
        .icon(idle_icon()?)
        .tooltip(words.idle)
        .menu(&menu)
        .on_menu_event(|app, event| match event.id().as_ref() {
            "record" => show_screen(app, Screen::Consent),
            "stop" => {
                if let Some(state) = app.try_state::<crate::state::AppState>() {
                    if let Err(error) = crate::commands::recording::stop_and_finish(app, &state) {
                        let event = zapis::events::Event::Error {
                            message: error.message,
                            fatal: false,
                        };
                        let _ = app.emit("zapis://error", event);
                    }
                }
                show_screen(app, Screen::Live);
            }
            "open" => show_screen(app, Screen::Calls),
            "quit" => app.exit(0),
            _ => {}
        })
        .build(app)?;
    app.manage(TrayItems { record, stop });
    Ok(())
}

/// Where the tray sends the window (`zapis://navigate`).
#[derive(Debug, Clone, Copy, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
pub enum Screen {
    Consent,
    Live,
    Calls,
}

/// Brings the window up on a screen of the UI (it routes on `zapis://navigate`).
pub fn show_screen(app: &AppHandle, screen: Screen) {
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
        let _ = update(&tray, recording, labels(app));
    }
    if let Some(items) = app.try_state::<TrayItems>() {
        let _ = items.record.set_enabled(!recording);
        let _ = items.stop.set_enabled(recording);
    }
}

fn update(tray: &TrayIcon, recording: bool, words: &Labels) -> tauri::Result<()> {
    if recording {
        tray.set_icon(Some(Image::from_bytes(include_bytes!(
            "../../icons/tray-recording.png"
        ))?))?;
        tray.set_tooltip(Some(words.recording))
    } else {
        tray.set_icon(Some(idle_icon()?))?;
        tray.set_tooltip(Some(words.idle))
    }
}

fn idle_icon() -> tauri::Result<Image<'static>> {
    Image::from_bytes(include_bytes!("../../icons/tray-idle.png"))
}
