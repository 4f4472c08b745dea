//! What the shell keeps between commands: the library handle and where the data lives.

use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};

use zapis::recording::RecordingSession;
use zapis::storage::Library;

pub struct AppState {
    pub data_dir: PathBuf,
    /// Where the app writes its log (shown in the settings).
    pub log_dir: PathBuf,
    library: Mutex<Library>,
    recording: Mutex<Option<RecordingSession>>,
}

impl AppState {
    pub fn open() -> anyhow::Result<AppState> {
        let data_dir = zapis::paths::data_dir(None)?;
        // A log that cannot be written must not keep the app from starting; opening the
        // library below says what is wrong with the folder.
        let log_dir = zapis::logging::init(&data_dir, false)
            .unwrap_or_else(|_| zapis::logging::log_dir(&data_dir));
        let mut library = Library::open(&data_dir)?;
        library.apply_retention(chrono::Utc::now())?;
        let preferences = zapis::settings::Settings::load(&library)?.preferences;
        let options = zapis::processing::FinishOptions {
            model: preferences.model,
            language: preferences.transcription_language,
            ..Default::default()
        };
        for id in zapis::recording::recover_interrupted(&mut library)? {
            // A recovered call that cannot be transcribed now keeps its audio and is marked failed.
            let _ = zapis::processing::finish_call(&mut library, id, &options, &|_| {});
        }
        tracing::info!("desktop app started");
        Ok(AppState {
            data_dir,
            log_dir,
            library: Mutex::new(library),
            recording: Mutex::new(None),
        })
    }

    /// The library, even if an earlier command panicked while holding it (SQLite rolled back
    /// whatever that command had not committed).
    pub fn library(&self) -> MutexGuard<'_, Library> {
        self.library
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl AppState {
    /// The call being recorded, if any.
    pub fn recording(&self) -> MutexGuard<'_, Option<RecordingSession>> {
        self.recording
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
