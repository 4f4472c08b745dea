//! The accurate transcript after a call: each side transcribed on its own with beam search, echo
//! removed, speakers named.

use std::path::Path;

use super::echo::{drop_echoes, follows_sound, Timed};
use crate::storage::{NewSegment, Role};
use crate::transcribe::{self, transcribe_file, ChannelMode, Engine, Options, TranscribeError};

impl Timed for NewSegment {
    fn start_ms(&self) -> i64 {
        self.start_ms
    }
    fn end_ms(&self) -> i64 {
        self.end_ms
    }
    fn text(&self) -> &str {
        &self.text
    }
}

/// Who speaks on a channel.
#[derive(Debug, Clone)]
pub struct Voice {
    pub role: Role,
    pub speaker: String,
}

/// Turns one channel's whisper segments into library segments.
pub fn to_segments(voice: &Voice, segments: &[transcribe::Segment]) -> Vec<NewSegment> {
    segments
        .iter()
        .filter(|s| !s.text.trim().is_empty())
        .map(|s| NewSegment {
            speaker: voice.speaker.clone(),
            role: voice.role,
            start_ms: s.start_ms as i64,
            end_ms: s.end_ms as i64,
            text: s.text.trim().to_string(),
            confidence: Some(s.confidence),
        })
        .collect()
}

/// Joins the rep's and the customer's lines into one transcript in time order, dropping the
/// rep-side lines that only echo the customer.
pub fn merge_sides(rep: Vec<NewSegment>, customer: Vec<NewSegment>) -> Vec<NewSegment> {
    let mut all = drop_echoes(rep, &customer);
    all.extend(customer);
    all.sort_by_key(|s| (s.start_ms, s.end_ms));
    all
}

/// Transcribes a recorded call's two mono files (the microphone, and system audio if it was
/// captured). `progress` receives 0–1 across both files.
pub fn transcribe_recording(
    engine: &mut Engine,
    mic: (&Path, &Voice),
    system: Option<(&Path, &Voice)>,
    options: &Options,
    progress: &mut dyn FnMut(f32),
) -> Result<Vec<NewSegment>, TranscribeError> {
    let parts = if system.is_some() { 2.0 } else { 1.0 };
    let mut side = |path: &Path, voice: &Voice, index: f32, progress: &mut dyn FnMut(f32)| {
        let result = transcribe_file(engine, path, ChannelMode::Mixdown, options, &mut |p| {
            if let Some(total) = p.total_seconds.filter(|t| *t > 0.0) {
                progress(((index + (p.decoded_seconds / total) as f32) / parts).min(1.0));
            }
        })?;
        let segments: Vec<_> = result
            .channels
            .into_iter()
            .flat_map(|c| c.segments)
            .collect();
        Ok::<_, TranscribeError>(to_segments(voice, &segments))
    };
    let rep = side(mic.0, mic.1, 0.0, progress)?;
    let (rep, customer) = match system {
        Some((path, voice)) => {
            let customer = side(path, voice, 1.0, progress)?;
            let rep = drop_echoes(rep, &customer);
            (drop_sound_echoes(rep, &customer, mic.0, path)?, customer)
        }
        None => (rep, Vec::new()),
    };
    progress(1.0);
    Ok(merge_sides(rep, customer))
}

/// Rep lines whose words did not give them away as echo, checked by their sound: one spoken
/// while the customer side was sounding, whose loudness follows it, is echo too (Whisper may
/// render the two copies of one sentence with no words in common). Only lines that overlap a
/// customer line are read from the recordings.
fn drop_sound_echoes(
    rep: Vec<NewSegment>,
    customer: &[NewSegment],
    mic: &Path,
    system: &Path,
) -> Result<Vec<NewSegment>, TranscribeError> {
    let overlaps = |r: &NewSegment| {
        customer
            .iter()
            .any(|c| c.start_ms < r.end_ms && r.start_ms < c.end_ms)
    };
    let spans: Vec<(i64, i64)> = rep
        .iter()
        .filter(|r| overlaps(r))
        .map(|r| (r.start_ms, r.end_ms))
        .collect();
    if spans.is_empty() {
        return Ok(rep);
    }
    let heard = transcribe::audio::read_spans(mic, &spans)?;
    let played = transcribe::audio::read_spans(system, &spans)?;
    let echoes: Vec<(i64, i64)> = spans
        .iter()
        .zip(heard.iter().zip(&played))
        .filter(|(_, (h, p))| follows_sound(h, p))
        .map(|(span, _)| *span)
        .collect();
    Ok(rep
        .into_iter()
        .filter(|r| !echoes.contains(&(r.start_ms, r.end_ms)))
        .collect())
}
