//! Diarizing a stored call: its far side split into voices, each far-side line credited to its
//! voice, names from the consent list where certain, and the insights recomputed.
//!
//! A call with everyone on one channel (a mono import) is split whole: the rep is one of its
//! voices, the one that matches the rep's voiceprint from other calls' microphone tracks or
//! introduces itself by the rep's name, and otherwise stays a "Speaker N" the user can name.
//! Calls with a track of their own for the rep keep that voiceprint for those recordings.

use std::path::Path;

use super::engine::{Diarizer, Turn, SAMPLE_RATE};
use super::voices::{
    anonymous_label, name_voices, only_one_introduces, voice_matching, voice_of, VoiceEvidence,
};
use super::DiarizeError;
use crate::capture::Channel;
use crate::storage::{CallDetail, CallSource, Library, Naming, Role, Segment, StoredVoice};
use crate::transcribe::audio::{downmix, read_all, read_spans};

/// What diarization found on a call.
#[derive(Debug, Clone, PartialEq)]
pub struct DiarizedCall {
    /// Voices that spoke at least one transcript line (the far side's; in a one-channel call,
    /// everyone's).
    pub voices: usize,
    /// Of those, how many got a participant's name.
    pub named: usize,
}

/// The rep's voiceprint is made from at most this much of their speech.
const REP_SPEECH_MS: i64 = 60_000;

/// The audio to split into voices at 16 kHz, and the rep's speech from a track of their own.
struct CallAudio {
    to_split: Vec<f32>,
    rep_speech: Vec<f32>,
}

/// A recorded call's system-audio track (the rep's from the microphone track); an imported
/// two-channel recording's second channel (Zapis's own layout: 1 the rep, 2 the other side);
/// a one-channel import whole. `None` for a call with no such audio.
fn call_audio(call: &CallDetail) -> Result<Option<CallAudio>, DiarizeError> {
    let Some(dir) = call.audio_dir.as_deref() else {
        return Ok(None);
    };
    let rep_lines: Vec<&Segment> = call
        .transcript
        .iter()
        .filter(|s| s.role == Role::Rep)
        .collect();
    let system = crate::capture::final_path(dir, Channel::System);
    if system.is_file() {
        let mic = crate::capture::final_path(dir, Channel::Mic);
        let rep_speech = if mic.is_file() {
            speech_streamed(&mic, &rep_lines)?
        } else {
            Vec::new()
        };
        return Ok(Some(CallAudio {
            to_split: downmix(&read_all(&system)?),
            rep_speech,
        }));
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
    if call.one_channel {
        return Ok(Some(CallAudio {
            to_split: downmix(&channels),
            rep_speech: Vec::new(),
        }));
    }
    if channels.len() < 2 {
        return Ok(None);
    }
    let far = channels.swap_remove(1);
    let rep_speech = speech_of(&channels[0], &rep_lines);
    Ok(Some(CallAudio {
        to_split: far,
        rep_speech,
    }))
}

fn span(s: &Segment) -> (usize, usize) {
    let per_ms = i64::from(SAMPLE_RATE) / 1000;
    ((s.start_ms * per_ms) as usize, (s.end_ms * per_ms) as usize)
}

/// The samples of `track` under `lines`, up to [`REP_SPEECH_MS`].
fn speech_of(track: &[f32], lines: &[&Segment]) -> Vec<f32> {
    let most = (REP_SPEECH_MS * i64::from(SAMPLE_RATE) / 1000) as usize;
    let mut speech = Vec::new();
    for line in lines {
        let (from, to) = span(line);
        let (from, to) = (from.min(track.len()), to.min(track.len()));
        speech.extend_from_slice(&track[from..to]);
        if speech.len() >= most {
            speech.truncate(most);
            break;
        }
    }
    speech
}

/// [`speech_of`] a recording read block by block: a long call's microphone track is never
/// held whole.
fn speech_streamed(path: &Path, lines: &[&Segment]) -> Result<Vec<f32>, DiarizeError> {
    let most = (REP_SPEECH_MS * i64::from(SAMPLE_RATE) / 1000) as usize;
    // The first lines that hold enough speech; read only those.
    let (mut spans, mut ms) = (Vec::new(), 0);
    for s in lines {
        if ms >= REP_SPEECH_MS {
            break;
        }
        spans.push((s.start_ms, s.end_ms));
        ms += s.end_ms - s.start_ms;
    }
    let mut speech: Vec<f32> = read_spans(path, &spans)?.concat();
    speech.truncate(most);
    Ok(speech)
}

/// Splits a call into voices and relabels its lines. `Ok(None)` when the call has no audio to
/// split (an imported transcript, a microphone-only recording), no lines to credit, or no
/// speech.
pub fn diarize_call(
    library: &mut Library,
    call_id: i64,
    diarizer: &Diarizer,
) -> Result<Option<DiarizedCall>, DiarizeError> {
    let call = library.call(call_id)?;
    let Some(audio) = call_audio(&call)? else {
        return Ok(None);
    };
    if let Some(print) = diarizer.voiceprint(&audio.rep_speech) {
        library.store_rep_voiceprint(call_id, &print)?;
    }
    // In a one-channel call every line is someone's voice; otherwise the far side's lines.
    let lines_to_credit: Vec<&Segment> = call
        .transcript
        .iter()
        .filter(|s| call.one_channel || s.role == Role::Customer)
        .collect();
    if lines_to_credit.is_empty() {
        return Ok(None);
    }
    let samples = audio.to_split;
    let turns = diarizer.turns(&samples)?;
    if turns.is_empty() {
        return Ok(None);
    }

    // Voices numbered in the order their first line is spoken; voices with no line are left out
    // (a cough, a notification sound).
    let mut order: Vec<usize> = Vec::new();
    let mut lines: Vec<(i64, usize)> = Vec::new();
    for s in &lines_to_credit {
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

    let mut evidence = Vec::with_capacity(order.len());
    let mut speech_ms = Vec::with_capacity(order.len());
    for (voice, &raw) in order.iter().enumerate() {
        let (audio, ms) = voice_audio(&samples, &turns, raw);
        let text = lines_to_credit
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

    let named = names_for(library, &call, &evidence)?;
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

/// One voice's speech, end to end, and how long it spoke.
fn voice_audio(samples: &[f32], turns: &[Turn], voice: usize) -> (Vec<f32>, i64) {
    let per_ms = i64::from(SAMPLE_RATE) / 1000;
    let mut audio = Vec::new();
    let mut ms = 0;
    for t in turns.iter().filter(|t| t.voice == voice) {
        ms += t.end_ms - t.start_ms;
        let from = ((t.start_ms * per_ms) as usize).min(samples.len());
        let to = ((t.end_ms * per_ms) as usize).min(samples.len());
        audio.extend_from_slice(&samples[from..to]);
    }
    (audio, ms)
}

/// A name for each voice where the evidence is certain. In a one-channel call the rep is found
/// first, and the far side's rules then apply to the other voices.
fn names_for(
    library: &Library,
    call: &CallDetail,
    voices: &[VoiceEvidence],
) -> Result<Vec<Option<(String, Naming)>>, DiarizeError> {
    let far_names: Vec<String> = call
        .participants
        .iter()
        .filter(|p| p.role == Role::Customer)
        .map(|p| p.name.clone())
        .collect();
    let known = library.known_voices(call.summary.id)?;
    let rep = call.participants.iter().find(|p| p.role == Role::Rep);
    let (Some(rep), true) = (rep, call.one_channel) else {
        return Ok(name_voices(&far_names, voices, &known));
    };
    let rep_prints = library.rep_voiceprints(call.summary.id)?;
    let mut named = vec![None; voices.len()];
    let Some((rep_voice, naming)) = find_rep(&rep.name, voices, &rep_prints) else {
        // The one voice left might be the rep's: "the only remote participant" names no one.
        return Ok(name_voices(&far_names, voices, &known)
            .into_iter()
            .map(|name| name.filter(|(_, how)| *how != Naming::OnlyRemote))
            .collect());
    };
    named[rep_voice] = Some((rep.name.clone(), naming));
    let others: Vec<VoiceEvidence> = voices
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != rep_voice)
        .map(|(_, v)| v.clone())
        .collect();
    let mut far = name_voices(&far_names, &others, &known).into_iter();
    for (i, slot) in named.iter_mut().enumerate() {
        if i != rep_voice {
            *slot = far.next().flatten();
        }
    }
    Ok(named)
}

/// The voice of a one-channel call that is the rep: the one whose voiceprint matches the rep's
/// from other calls, clearly better than any other voice does; or else the only voice that
/// introduces itself by the rep's name.
fn find_rep(
    rep: &str,
    voices: &[VoiceEvidence],
    rep_prints: &[Vec<f32>],
) -> Option<(usize, Naming)> {
    let prints: Vec<Option<&[f32]>> = voices.iter().map(|v| v.voiceprint.as_deref()).collect();
    if let Some(voice) = voice_matching(&prints, rep_prints) {
        return Some((voice, Naming::EarlierCall));
    }
    only_one_introduces(voices, rep).map(|only| (only, Naming::Introduction))
}
