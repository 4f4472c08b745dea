//! Diarizing a stored call: its system-audio track split into voices, each far-side line credited
//! to its voice, names from the consent list where certain, and the insights recomputed.

use super::engine::{Diarizer, SAMPLE_RATE};
use super::voices::{anonymous_label, name_voices, voice_of, VoiceEvidence};
use super::DiarizeError;
use crate::capture::Channel;
use crate::storage::{CallDetail, CallSource, Library, Naming, Role, StoredVoice};
use crate::transcribe::audio::{downmix, read_all};

/// What diarization found on a call.
#[derive(Debug, Clone, PartialEq)]
pub struct DiarizedCall {
    /// Far-side voices that spoke at least one transcript line.
    pub voices: usize,
    /// Of those, how many got a participant's name.
    pub named: usize,
}

/// The far side's audio at 16 kHz: a recorded call's system-audio track, or the second channel
/// of an imported two-channel recording (Zapis's own layout: 1 the rep, 2 the other side). A
/// mono import has no far side of its own.
fn far_side_audio(call: &CallDetail) -> Result<Option<Vec<f32>>, DiarizeError> {
    let Some(dir) = call.audio_dir.as_deref() else {
        return Ok(None);
    };
    let system = crate::capture::final_path(dir, Channel::System);
    if system.is_file() {
        return Ok(Some(downmix(&read_all(&system)?)));
    }
    if call.summary.source != CallSource::ImportedAudio {
        return Ok(None);
    }
    let files: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| DiarizeError::Io {
            what: "cannot read the call's folder",
            path: dir.to_path_buf(),
            source: e,
        })?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    let [recording] = files.as_slice() else {
        return Ok(None);
    };
    let mut channels = read_all(recording)?;
    Ok((channels.len() >= 2).then(|| channels.swap_remove(1)))
}

/// Splits the far side of a recorded call into voices and relabels its lines. `Ok(None)` when
/// the call has no system-audio track (an imported transcript, or a microphone-only recording)
/// or no far-side lines.
pub fn diarize_call(
    library: &mut Library,
    call_id: i64,
    diarizer: &Diarizer,
) -> Result<Option<DiarizedCall>, DiarizeError> {
    let call = library.call(call_id)?;
    let Some(samples) = far_side_audio(&call)? else {
        return Ok(None);
    };
    let far_lines: Vec<_> = call
        .transcript
        .iter()
        .filter(|s| s.role == Role::Customer)
        .collect();
    if far_lines.is_empty() {
        return Ok(None);
    }
    let turns = diarizer.turns(&samples)?;
    if turns.is_empty() {
        return Ok(None);
    }

    // Voices numbered in the order their first line is spoken; voices with no line are left out
    // (a cough, a notification sound).
    let mut order: Vec<usize> = Vec::new();
    let mut lines: Vec<(i64, usize)> = Vec::new();
    for s in &far_lines {
        let Some(raw) = voice_of(s.start_ms, s.end_ms, &turns) else {
            continue;
        };
        let voice = match order.iter().position(|&v| v == raw) {
            Some(i) => i,
            None => {
                order.push(raw);
                order.len() - 1
            }
        };
        lines.push((s.id, voice));
    }

    let per_ms = i64::from(SAMPLE_RATE) / 1000;
    let mut evidence = Vec::with_capacity(order.len());
    let mut speech_ms = Vec::with_capacity(order.len());
    for (voice, &raw) in order.iter().enumerate() {
        let mut audio = Vec::new();
        let mut ms = 0;
        for t in turns.iter().filter(|t| t.voice == raw) {
            ms += t.end_ms - t.start_ms;
            let from = ((t.start_ms * per_ms) as usize).min(samples.len());
            let to = ((t.end_ms * per_ms) as usize).min(samples.len());
            audio.extend_from_slice(&samples[from..to]);
        }
        let text = far_lines
            .iter()
            .zip(&lines)
            .filter(|(_, (_, v))| *v == voice)
            .map(|(s, _)| s.text.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        evidence.push(VoiceEvidence {
            voice,
            text,
            voiceprint: diarizer.voiceprint(&audio),
        });
        speech_ms.push(ms);
    }

    let names: Vec<String> = call
        .participants
        .iter()
        .filter(|p| p.role == Role::Customer)
        .map(|p| p.name.clone())
        .collect();
    let known = library.known_voices(call_id)?;
    let named = name_voices(&names, &evidence, &known);
    let stored: Vec<StoredVoice> = evidence
        .into_iter()
        .zip(named)
        .zip(speech_ms)
        .map(|((e, name), speech_ms)| {
            let (label, naming) =
                name.unwrap_or_else(|| (anonymous_label(e.voice), Naming::Anonymous));
            StoredVoice {
                voice: e.voice,
                label,
                naming,
                speech_ms,
                voiceprint: e.voiceprint,
                segments: lines
                    .iter()
                    .filter(|(_, v)| *v == e.voice)
                    .map(|(id, _)| *id)
                    .collect(),
            }
        })
        .collect();
    library.store_call_voices(call_id, &stored)?;
    crate::analysis::refresh_insights(library, call_id)?;
    Ok(Some(DiarizedCall {
        voices: stored.len(),
        named: stored
            .iter()
            .filter(|v| v.naming != Naming::Anonymous)
            .count(),
    }))
}
