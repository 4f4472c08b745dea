//! What the shell keeps between commands: the library handle and where the data lives.

use std::collections::HashMap;
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
    /// Files picked or dropped for import, by the id the UI knows them by.
    pending_imports: Mutex<PendingImports>,
}

#[derive(Default)]
struct PendingImports {
    next_id: u64,
    paths: HashMap<u64, PathBuf>,
}

impl AppState {
    pub fn open() -> anyhow::Result<AppState> {
        let data_dir = zapis::paths::data_dir(None)?;
        // A log that cannot be written must not keep the app from starting; opening the
        // library below says what is wrong with the folder.
        let log_dir = zapis::logging::init(&data_dir, false)
            .unwrap_or_else(|_| zapis::logging::log_dir(&data_dir));
        // Retention and recovery of interrupted recordings, with the settings' model; a
        // recovered call that cannot be transcribed now keeps its audio and is marked failed.
        let library = zapis::app::open_library(&data_dir)?.library;
        tracing::info!("desktop app started");
        Ok(AppState {
            data_dir,
            log_dir,
            library: Mutex::new(library),
            recording: Mutex::new(None),
            pending_imports: Mutex::new(PendingImports::default()),
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

impl AppState {
    fn pending(&self) -> MutexGuard<'_, PendingImports> {
        self.pending_imports
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Remembers a file the user picked or dropped; returns the id the UI will name it by.
    pub fn add_pending_import(&self, path: PathBuf) -> u64 {
        let mut pending = self.pending();
        pending.next_id += 1;
        let id = pending.next_id;
        pending.paths.insert(id, path);
        id
    }

    pub fn pending_import(&self, id: u64) -> Option<PathBuf> {
        self.pending().paths.get(&id).cloned()
    }

    /// Forgets a file once it is imported.
    pub fn take_pending_import(&self, id: u64) -> Option<PathBuf> {
        self.pending().paths.remove(&id)
    }
}
