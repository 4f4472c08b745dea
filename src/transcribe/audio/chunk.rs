//! Cutting a 16 kHz stream into windows at quiet moments, and deciding whether a window holds
//! any speech energy at all.
//!
//! Windows are 60–90 s of audio, with their long pauses shortened (`pauses.rs`), and whisper.cpp
//! walks through each one 30 s at a time, moving on from the last timestamp it decoded. That
//! matters on human speech: a window whisper sees whole in one pass loses whatever it leaves
//! undecoded when it stops early, so 12–20 s windows came out 0.9 WER points worse on the
//! speech-dev clips back to back (9.5 % against 8.6 %), and every short window paid a whole 30 s
//! encoder pass for the speech it held. On each side of a call, where half the time is the other
//! side talking, long windows with their pauses shortened hold about 30 s of speech per encoder
//! pass: 2.5x faster than 12–20 s windows (bench/speech-dev.sh --only call). Cutting at the
//! quietest spot keeps words whole; windows with no energy above the speech floor are not worth
//! a whisper call: silence only invites hallucinated text.

use super::pauses::{original_index, shorten_pauses, Cut};
use super::resample::TARGET_RATE;

#[derive(Debug, Clone, PartialEq)]
pub struct ChunkConfig {
    /// Longest window handed to whisper, in seconds of the original audio.
    pub max_seconds: f32,
    /// Cuts are searched for between this and `max_seconds`.
    pub min_seconds: f32,
    /// 20 ms frames louder than this (dBFS RMS) count as possible speech.
    pub speech_floor_dbfs: f32,
    /// A window needs at least this much possible speech to be transcribed.
    pub min_speech_ms: u32,
}

impl Default for ChunkConfig {
    fn default() -> Self {
        Self {
            max_seconds: 90.0,
            min_seconds: 60.0,
            // Quiet speech on a laptop mic sits around -40 dBFS; room tone and dither well below -55.
            speech_floor_dbfs: -50.0,
            min_speech_ms: 200,
        }
    }
}

/// A window of one channel (or of the mixdown), at 16 kHz.
#[derive(Debug, Clone, PartialEq)]
pub struct Chunk {
    pub channel: usize,
    /// Offset of the first sample from the start of the file, in 16 kHz samples.
    pub start_sample: u64,
    /// What whisper gets: the window with its long pauses shortened (see `pauses.rs`).
    pub samples: Vec<f32>,
    pub has_speech: bool,
    /// Where pauses were shortened in `samples`.
    pub cuts: Vec<Cut>,
    /// Samples of the original audio the window covers.
    pub span: usize,
}

impl Chunk {
    pub fn start_ms(&self) -> u64 {
        self.start_sample * 1000 / TARGET_RATE as u64
    }

    /// Milliseconds from the start of the file of the moment `ms` into `samples` (which may have
    /// shortened pauses). An `end` on a shortened pause stays before it.
    pub fn file_ms(&self, ms: u64, end: bool) -> u64 {
        let rate = TARGET_RATE as u64;
        let index = ((ms * rate / 1000) as usize).min(self.samples.len());
        let original = original_index(&self.cuts, index, end).min(self.span);
        (self.start_sample + original as u64) * 1000 / rate
    }
}

const FRAME: usize = TARGET_RATE as usize / 50;

/// True if enough 20 ms frames rise above the speech floor.
pub fn has_speech(samples: &[f32], cfg: &ChunkConfig) -> bool {
    let floor = 10f32.powf(cfg.speech_floor_dbfs / 20.0);
    let floor_sq = floor * floor;
    let needed = (cfg.min_speech_ms as usize).div_ceil(20).max(1);
    samples
        .chunks(FRAME)
        .filter(|f| f.iter().map(|s| s * s).sum::<f32>() / f.len() as f32 > floor_sq)
        .take(needed)
        .count()
        >= needed
}

/// Accumulates one channel and emits windows.
pub(crate) struct Chunker {
    cfg: ChunkConfig,
    channel: usize,
    buf: Vec<f32>,
    buf_start: u64,
}

impl Chunker {
    pub fn new(cfg: ChunkConfig, channel: usize) -> Self {
        Self {
            cfg,
            channel,
            buf: Vec::new(),
            buf_start: 0,
        }
    }

    pub fn push(&mut self, samples: &[f32], out: &mut Vec<Chunk>) {
        self.buf.extend_from_slice(samples);
        let max = (self.cfg.max_seconds * TARGET_RATE as f32) as usize;
        let min = ((self.cfg.min_seconds * TARGET_RATE as f32) as usize).min(max);
        while self.buf.len() >= max {
            let cut = quietest_cut(&self.buf[..max], min);
            let rest = self.buf.split_off(cut);
            let samples = std::mem::replace(&mut self.buf, rest);
            out.push(self.emit(samples));
        }
    }

    pub fn finish(&mut self) -> Option<Chunk> {
        if self.buf.is_empty() {
            return None;
        }
        let samples = std::mem::take(&mut self.buf);
        Some(self.emit(samples))
    }

    fn emit(&mut self, mut samples: Vec<f32>) -> Chunk {
        let mut start = self.buf_start;
        self.buf_start += samples.len() as u64;
        let speech = has_speech(&samples, &self.cfg);
        if speech {
            // Whisper dates the first words of a window at its start, so leading silence would
            // put them early; start the window just before the first loud frame instead.
            let lead = leading_silence(&samples, &self.cfg);
            samples.drain(..lead);
            start += lead as u64;
        }
        let span = samples.len();
        let cuts = if speech {
            shorten_pauses(&mut samples, self.cfg.speech_floor_dbfs)
        } else {
            Vec::new()
        };
        Chunk {
            channel: self.channel,
            start_sample: start,
            has_speech: speech,
            samples,
            cuts,
            span,
        }
    }
}

/// Samples of silence before the first frame above the speech floor, less a 200 ms margin for
/// soft onsets.
fn leading_silence(samples: &[f32], cfg: &ChunkConfig) -> usize {
    let floor = 10f32.powf(cfg.speech_floor_dbfs / 20.0);
    let first_loud = samples
        .chunks(FRAME)
        .position(|f| f.iter().map(|s| s * s).sum::<f32>() / f.len() as f32 > floor * floor)
        .unwrap_or(0);
    (first_loud * FRAME).saturating_sub(TARGET_RATE as usize / 5)
}

/// The sample index in `[min, len)` at the centre of the quietest 200 ms; later wins ties
/// so windows stay long.
fn quietest_cut(window: &[f32], min: usize) -> usize {
    const SPAN: usize = 10;
    let energies: Vec<f32> = window
        .chunks(FRAME)
        .map(|f| f.iter().map(|s| s * s).sum())
        .collect();
    let first = min / FRAME;
    let mut best = (f32::INFINITY, window.len());
    for start in first..energies.len().saturating_sub(SPAN) {
        let e: f32 = energies[start..start + SPAN].iter().sum();
        if e <= best.0 {
            best = (e, (start + SPAN / 2) * FRAME);
        }
    }
    best.1.clamp(1, window.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tone(seconds: f32, amp: f32) -> Vec<f32> {
        (0..(seconds * 16_000.0) as usize)
            .map(|i| amp * (i as f32 * 0.05).sin())
            .collect()
    }

    #[test]
    fn silence_and_dither_are_not_speech_but_a_quiet_voice_is() {
        let cfg = ChunkConfig::default();
        assert!(!has_speech(&vec![0.0; 16_000], &cfg));
        assert!(!has_speech(&tone(1.0, 0.001), &cfg));
        assert!(has_speech(&tone(1.0, 0.02), &cfg));
    }

    #[test]
    fn cuts_land_in_the_pause_and_cover_every_sample() {
        let mut audio = tone(70.0, 0.3);
        audio.extend(vec![0.0; 8_000]);
        audio.extend(tone(100.0, 0.3));
        let mut chunker = Chunker::new(ChunkConfig::default(), 0);
        let mut out = Vec::new();
        chunker.push(&audio, &mut out);
        out.extend(chunker.finish());
        let first_len = out[0].samples.len() as f32 / 16_000.0;
        assert!((70.0..70.5).contains(&first_len), "cut at {first_len}s");
        assert!(out.iter().all(|c| c.samples.len() <= 90 * 16_000));
        let total: usize = out.iter().map(|c| c.span).sum();
        assert_eq!(total, audio.len());
        for pair in out.windows(2) {
            assert_eq!(
                pair[0].start_sample + pair[0].span as u64,
                pair[1].start_sample
            );
        }
    }
}
