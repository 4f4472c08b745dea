//! Importing a call from a file: a transcript another tool wrote (Teams, Zoom, SRT, Zapis JSON)
//! or a recording, transcribed here with the settings' final-pass model unless the caller names one.

use std::path::Path;

use super::AppError;
use crate::import::{import_audio, import_transcript, is_transcript, ImportError, ImportOptions};
use crate::settings::Settings;
use crate::storage::Library;
use crate::text_encoding::TextEncoding;

/// What to import besides the file itself.
#[derive(Debug, Clone, Default)]
pub struct ImportRequest {
    pub options: ImportOptions,
    /// Model for a recording (installed name or file); `None` takes the settings'.
    pub model: Option<String>,
    /// Most CPU threads for transcribing a recording.
    pub threads: Option<usize>,
    /// Beam width for a recording; 1 or `None` decodes greedily.
    pub beam: Option<usize>,
}

/// A call made from a file.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Imported {
    pub call_id: i64,
    /// For a transcript, the text encoding it was read in.
    pub encoding: Option<TextEncoding>,
}

/// Imports `path` as a call: a transcript by its extension, anything else as a recording.
/// Consent must be confirmed either way; `progress` hears the share of a recording transcribed.
pub fn import_file(
    library: &mut Library,
    path: &Path,
    request: &ImportRequest,
    progress: &mut dyn FnMut(f32),
) -> Result<Imported, AppError> {
    let options = &request.options;
    if is_transcript(path) {
        let imported = import_transcript(library, path, options)?;
        crate::processing::learn_meanings(library, imported.call_id, &|_| {});
        return Ok(Imported {
            call_id: imported.call_id,
            encoding: Some(imported.encoding),
        });
    }
    // Before the model loads: an import without consent is refused at once.
    if !options.consent_confirmed {
        return Err(ImportError::ConsentRequired.into());
    }
    let model = match &request.model {
        Some(model) => model.clone(),
        None => Settings::load(library)?
            .preferences
            .final_model()
            .to_string(),
    };
    let model = crate::model::resolve(library.data_dir(), &model)?;
    let mut engine = crate::transcribe::Engine::load(&model)?;
    let whisper = crate::transcribe::Options {
        language: options.language.as_deref().unwrap_or("en").parse()?,
        threads: request.threads,
        beam: request.beam.filter(|b| *b > 1),
        ..Default::default()
    };
    let call_id = import_audio(library, &mut engine, path, options, &whisper, progress)?;
    library.set_transcribed_with(call_id, &crate::model::label(&model))?;
    // A two-channel recording has a far side of its own: its voices, as after a recorded call.
    crate::processing::tell_voices_apart(library, call_id, &|_| {});
    crate::processing::learn_meanings(library, call_id, &|_| {});
    Ok(Imported {
        call_id,
        encoding: None,
    })
}
