//! Opening the library as every start of Zapis does, and the final pass after a call with one
//! set of options, whichever front end asks.

use std::path::{Path, PathBuf};

use super::AppError;
use crate::capture::{self, Channel};
use crate::domain::Role;
use crate::events::Event;
use crate::insights::Insights;
use crate::processing::{self, FinishOptions};
use crate::recording;
use crate::settings::Settings;
use crate::storage::{ActionItem, ActionItemUpdate, Library, StorageError};

/// An opened library and what start-up did to it.
pub struct Opened {
    pub library: Library,
    /// Calls a crash interrupted while recording, recovered now.
    pub recovered: Vec<Recovered>,
}

/// One recovered call: its audio is kept whatever happens; `failure` says why it could not be
/// transcribed now (it is then marked failed, and can be transcribed again later).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recovered {
    pub call_id: i64,
    pub failure: Option<String>,
}

/// Opens the library at `data_dir`, applies the retention settings, and recovers recordings a
/// crash interrupted, finishing each with the settings' model.
pub fn open_library(data_dir: &Path) -> Result<Opened, AppError> {
    let mut library = Library::open(data_dir)?;
    library.apply_retention(chrono::Utc::now())?;
    apply_language(&Settings::load(&library)?);
    let mut recovered = Vec::new();
    for call_id in recording::recover_interrupted(&mut library)? {
        let failure = finish_call(&mut library, call_id, None, &|_| {})
            .err()
            .map(|e| e.to_string());
        if let Some(reason) = &failure {
            tracing::warn!(call_id, error = %crate::logging::redact(reason), "recovered call not transcribed");
        }
        recovered.push(Recovered { call_id, failure });
    }
    Ok(Opened { library, recovered })
}

/// Saves the settings the user edited and applies them at once: retention runs, and the core's
/// own texts (notifications, default titles) switch to the chosen language.
pub fn save_settings(library: &mut Library, settings: &Settings) -> Result<Settings, AppError> {
    settings.save(library)?;
    library.apply_retention(chrono::Utc::now())?;
    let saved = Settings::load(library)?;
    apply_language(&saved);
    Ok(saved)
}

fn apply_language(settings: &Settings) {
    match settings
        .preferences
        .language
        .parse::<crate::domain::Language>()
    {
        Ok(language) => crate::locale::set(language),
        // Stored by an older or hand-edited file: say so in the log and keep the current one.
        Err(e) => tracing::warn!(error = %e, "the settings' language is not one Zapis speaks"),
    }
}

/// How a call's final transcript is made: the settings' final-pass model (unless the caller
/// names one), the language the call was recorded or imported in, and the final pass's beam.
pub fn finish_options(
    library: &Library,
    call_id: i64,
    model: Option<&str>,
) -> Result<FinishOptions, AppError> {
    let preferences = Settings::load(library)?.preferences;
    let language = library.call_summary(call_id)?.language;
    Ok(FinishOptions {
        model: model.unwrap_or(preferences.final_model()).to_string(),
        language,
        ..FinishOptions::default()
    })
}

/// The final transcript, insights and "ready" notification of a stopped, recovered or imported
/// call (see [`processing::finish_call`]); `model` overrides the settings' model.
pub fn finish_call(
    library: &mut Library,
    call_id: i64,
    model: Option<&str>,
    sink: &dyn Fn(Event),
) -> Result<(), AppError> {
    let options = finish_options(library, call_id, model)?;
    processing::finish_call(library, call_id, &options, sink)?;
    Ok(())
}

/// [`finish_call`] on its own connection, for a front end that runs it off its main thread.
/// Nobody may be waiting for the result, so a library that cannot be opened is reported through
/// `sink` too; failures of the final pass itself are reported by it (once).
pub fn finish_call_at(data_dir: &Path, call_id: i64, sink: &dyn Fn(Event)) -> Result<(), AppError> {
    let prepared = Library::open(data_dir)
        .map_err(AppError::from)
        .and_then(|library| Ok((finish_options(&library, call_id, None)?, library)));
    let (options, mut library) = match prepared {
        Ok(prepared) => prepared,
        Err(e) => {
            crate::events::report_failure(
                sink,
                call_id,
                &format!("the call could not be finished: {e}; the recording is kept"),
            );
            return Err(e);
        }
    };
    processing::finish_call(&mut library, call_id, &options, sink)?;
    Ok(())
}

/// The finished recording of one side of a call, when it is kept.
pub fn audio_track(
    library: &Library,
    call_id: i64,
    role: Role,
) -> Result<Option<PathBuf>, AppError> {
    let channel = match role {
        Role::Rep => Channel::Mic,
        Role::Customer => Channel::System,
    };
    Ok(library
        .call(call_id)?
        .audio_dir
        .map(|dir| capture::final_path(&dir, channel))
        .filter(|p| p.is_file()))
}

/// Computes a call's insights again from its stored transcript, with the sentence model where
/// it is installed, and stores them; items the user ticked off or edited are kept.
pub fn analyse_call(library: &mut Library, call_id: i64) -> Result<Insights, AppError> {
    Ok(crate::analysis::refresh_insights(library, call_id)?)
}

/// Ticks off, reopens, rewords or re-dates an action item; a change the user makes is kept when
/// the insights are recomputed, and a shared call's change goes to the team with the next sync.
/// An update that changes nothing is refused, so a front end's empty form is not a silent no-op.
pub fn update_action_item(
    library: &mut Library,
    id: i64,
    update: &ActionItemUpdate,
) -> Result<ActionItem, AppError> {
    if update.done.is_none() && update.text.is_none() && update.due.is_none() {
        return Err(StorageError::Invalid {
            what: "action item change",
            detail: format!("nothing to change on item {id}: give it done, text or a due date"),
        }
        .into());
    }
    Ok(library.update_action_item(id, update)?)
}
