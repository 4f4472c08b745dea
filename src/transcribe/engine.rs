//! The whisper.cpp engine (through whisper-rs): model loading with validation up
//! front, per-window decoding, and segment confidence from token probabilities.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Instant;

use whisper_rs::{
    FullParams, SamplingStrategy, WhisperContext, WhisperContextParameters, WhisperState,
};

use crate::model::{inspect_ggml, GgmlInfo};
use crate::transcribe::audio::{Chunk, ChunkConfig, TARGET_RATE};
use crate::transcribe::threads::ThreadGovernor;
use crate::transcribe::TranscribeError;

/// Spoken language of the audio.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum SpokenLanguage {
    /// Let a multilingual model detect it (English-only models always use English).
    #[default]
    Auto,
    /// A Whisper language code such as `en` or `sr`.
    Code(String),
}

impl FromStr for SpokenLanguage {
    type Err = TranscribeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let code = s.trim().to_ascii_lowercase();
        if code == "auto" {
            return Ok(SpokenLanguage::Auto);
        }
        match whisper_rs::get_lang_id(&code) {
            Some(_) => Ok(SpokenLanguage::Code(code)),
            None => Err(TranscribeError::UnknownLanguage {
                language: s.to_owned(),
            }),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    pub language: SpokenLanguage,
    /// Most worker threads to use; `None` picks [`default_threads`]. Never more than the
    /// CPU has. Files spread them over windows decoded in parallel (see `windows.rs`);
    /// in-memory transcription may use fewer while other load makes that faster (see
    /// `threads.rs`); `transcribe_chunk` uses exactly this many.
    pub threads: Option<usize>,
    /// Beam width; `None` decodes greedily (fastest).
    pub beam: Option<usize>,
    /// Text that primes the decoder with vocabulary (names, products).
    pub initial_prompt: Option<String>,
    pub chunking: ChunkConfig,
    /// Shrink whisper's encoder context to each window's length: faster on short audio, but
    /// on human speech it cost 3.3 WER points per clip (bench/speech-dev.sh: 11.9 % against
    /// 8.6 % with the full context), so it is off unless asked for.
    pub fit_audio_context: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            language: SpokenLanguage::Auto,
            threads: None,
            beam: None,
            initial_prompt: None,
            chunking: ChunkConfig::default(),
            fit_audio_context: false,
        }
    }
}

/// One stretch of recognised speech, with times from the start of the audio.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Segment {
    pub start_ms: u64,
    pub end_ms: u64,
    pub text: String,
    /// Mean probability of the segment's text tokens, 0–1.
    pub confidence: f32,
}

/// ggml's worker threads spin while waiting, so more threads than free cores is
/// dramatically slower (4 threads on 2 busy cores ran 70x slower). Take at most two,
/// leaving room for capture and the UI, and fewer when other work already keeps
/// cores busy (the 1-minute load average, where the OS reports one).
pub fn default_threads() -> usize {
    let cores = available_cores();
    let busy = busy_cores().unwrap_or(0).min(cores.saturating_sub(1));
    (cores - busy).clamp(1, 2)
}

fn available_cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

fn busy_cores() -> Option<usize> {
    let text = std::fs::read_to_string("/proc/loadavg").ok()?;
    let load: f64 = text.split_whitespace().next()?.parse().ok()?;
    Some(load.floor() as usize)
}

pub struct Engine {
    // Kept for vocabulary lookups (token ids); the state shares its loaded weights.
    ctx: WhisperContext,
    state: WhisperState,
    /// Extra states for decoding windows in parallel (see `windows.rs`).
    spare_states: Vec<WhisperState>,
    info: GgmlInfo,
    path: PathBuf,
}

impl Engine {
    /// Validates the model file's structure, then loads it. A damaged file is refused
    /// here because whisper.cpp may abort the whole process on one.
    pub fn load(model_path: &Path) -> Result<Self, TranscribeError> {
        let info = inspect_ggml(model_path)?;
        whisper_rs::install_logging_hooks();
        let load_failed = || TranscribeError::LoadFailed {
            path: model_path.to_path_buf(),
        };
        // Flash attention (whisper.cpp 1.8's own default) stays off: on this 2-core CPU it made
        // call-shaped human speech 1.4-1.8x slower and 1.4 WER points worse, and the dense
        // clips 1.4-1.5x slower (speech-dev, tiny.en, two alternating runs).
        let mut params = WhisperContextParameters::default();
        params.flash_attn(false);
        let ctx = WhisperContext::new_with_params(model_path, params).map_err(|_| load_failed())?;
        let state = ctx.create_state().map_err(|_| load_failed())?;
        Ok(Self {
            ctx,
            state,
            spare_states: Vec::new(),
            info,
            path: model_path.to_path_buf(),
        })
    }

    pub fn info(&self) -> &GgmlInfo {
        &self.info
    }

    pub fn model_path(&self) -> &Path {
        &self.path
    }

    /// The whisper language code `options` resolve to for this model (`auto` = detect).
    pub fn language_for(&self, options: &Options) -> Result<String, TranscribeError> {
        match (&options.language, self.info.is_multilingual()) {
            (SpokenLanguage::Auto, false) => Ok("en".into()),
            (SpokenLanguage::Auto, true) => Ok("auto".into()),
            (SpokenLanguage::Code(c), false) if c != "en" => {
                Err(TranscribeError::EnglishOnlyModel {
                    model: self.model_name(),
                    language: c.clone(),
                })
            }
            (SpokenLanguage::Code(c), _) => Ok(c.clone()),
        }
    }

    /// Transcribes 16 kHz mono samples held in memory, window by window, skipping
    /// windows without speech energy. `progress` receives the fraction done.
    pub fn transcribe(
        &mut self,
        samples: &[f32],
        options: &Options,
        progress: &mut dyn FnMut(f32),
    ) -> Result<Vec<Segment>, TranscribeError> {
        self.language_for(options)?;
        let mut governor = ThreadGovernor::new(self.max_threads(options));
        let mut segments = Vec::new();
        let total = samples.len().max(1) as f32;
        for chunk in crate::transcribe::audio::chunk_samples(samples, &options.chunking) {
            segments.extend(self.transcribe_governed(&chunk, options, &mut governor)?);
            progress((chunk.start_sample as f32 + chunk.span as f32) / total);
        }
        Ok(segments)
    }

    /// The thread budget `options` allow on this machine.
    pub fn max_threads(&self, options: &Options) -> usize {
        options
            .threads
            .unwrap_or_else(default_threads)
            .clamp(1, available_cores())
    }

    /// Transcribes a window with the thread count the governor currently finds fastest.
    fn transcribe_governed(
        &mut self,
        chunk: &Chunk,
        options: &Options,
        governor: &mut ThreadGovernor,
    ) -> Result<Vec<Segment>, TranscribeError> {
        if !chunk.has_speech {
            return Ok(Vec::new());
        }
        let threads = governor.pick();
        let started = Instant::now();
        let window = Options {
            threads: Some(threads),
            ..options.clone()
        };
        let segments = self.transcribe_chunk(chunk, &window)?;
        let audio_seconds = chunk.samples.len() as f64 / TARGET_RATE as f64;
        governor.record(threads, started.elapsed().as_secs_f64(), audio_seconds);
        Ok(segments)
    }

    /// Transcribes one window with exactly the thread budget of `options`; times in the
    /// result are relative to the file start.
    pub fn transcribe_chunk(
        &mut self,
        chunk: &Chunk,
        options: &Options,
    ) -> Result<Vec<Segment>, TranscribeError> {
        let language = self.language_for(options)?;
        let threads = self.max_threads(options);
        decode_window(
            &self.ctx,
            &mut self.state,
            chunk,
            options,
            &language,
            threads,
        )
    }

    /// The shared weights and `n` decoding states for parallel windows, creating the extra
    /// states once and keeping them for later files (each holds its own buffers).
    pub(crate) fn worker_states(
        &mut self,
        n: usize,
    ) -> Result<(&WhisperContext, Vec<&mut WhisperState>), TranscribeError> {
        while self.spare_states.len() + 1 < n {
            let state = self
                .ctx
                .create_state()
                .map_err(|e| TranscribeError::Whisper {
                    reason: format!("could not create a decoding state: {e}"),
                })?;
            self.spare_states.push(state);
        }
        let mut states = vec![&mut self.state];
        states.extend(self.spare_states.iter_mut().take(n.saturating_sub(1)));
        Ok((&self.ctx, states))
    }

    fn model_name(&self) -> String {
        self.path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| self.path.display().to_string())
    }
}

/// Decodes one window on `state` with `threads` ggml threads; times in the result are
/// relative to the file start.
pub(crate) fn decode_window(
    ctx: &WhisperContext,
    state: &mut WhisperState,
    chunk: &Chunk,
    options: &Options,
    language: &str,
    threads: usize,
) -> Result<Vec<Segment>, TranscribeError> {
    if !chunk.has_speech || chunk.samples.is_empty() {
        return Ok(Vec::new());
    }
    let strategy = match options.beam {
        Some(beam) if beam > 1 => SamplingStrategy::BeamSearch {
            beam_size: beam as i32,
            patience: -1.0,
        },
        _ => SamplingStrategy::Greedy { best_of: 5 },
    };
    let mut params = FullParams::new(strategy);
    params.set_n_threads(threads.max(1) as i32);
    params.set_language(Some(language));
    params.set_translate(false);
    // Each window stands alone, so one bad window cannot seed a repetition loop in the next
    // (and windows can be decoded in parallel).
    params.set_no_context(true);
    params.set_suppress_nst(true);
    params.set_print_progress(false);
    params.set_print_realtime(false);
    params.set_print_special(false);
    params.set_print_timestamps(false);
    if let Some(prompt) = &options.initial_prompt {
        params.set_initial_prompt(prompt);
    }
    if options.fit_audio_context {
        params.set_audio_ctx(fitted_audio_context(chunk.samples.len()));
    }
    state
        .full(params, &chunk.samples)
        .map_err(|e| TranscribeError::Whisper {
            reason: e.to_string(),
        })?;
    Ok(collect_segments(ctx, state, chunk))
}

/// Encoder frames for `samples` of 16 kHz audio. The encoder's cost follows its context
/// (1500 frames = 30 s, attention growing with its square), not the audio's length; a
/// window needs only its own length (50 frames a second) plus a little room, without which
/// whisper tends to drop the last words.
fn fitted_audio_context(samples: usize) -> i32 {
    let frames = (samples as f64 / TARGET_RATE as f64 * 50.0).ceil() as i32 + 64;
    frames.min(1500)
}

fn collect_segments(ctx: &WhisperContext, state: &WhisperState, chunk: &Chunk) -> Vec<Segment> {
    let chunk_ms = chunk.samples.len() as u64 * 1000 / TARGET_RATE as u64;
    let eot = ctx.token_eot();
    let mut out = Vec::new();
    for seg in state.as_iter() {
        let text = seg
            .to_str_lossy()
            .map(|t| t.trim().to_owned())
            .unwrap_or_default();
        if text.is_empty() {
            continue;
        }
        let (mut p_sum, mut logp_sum, mut n) = (0.0f32, 0.0f32, 0usize);
        for i in 0..seg.n_tokens() {
            if let Some(tok) = seg.get_token(i) {
                if tok.token_id() < eot {
                    let p = tok.token_probability();
                    p_sum += p;
                    logp_sum += p.max(1e-9).ln();
                    n += 1;
                }
            }
        }
        let n_f = n.max(1) as f32;
        // Whisper's own rule for hallucinated text over silence.
        if seg.no_speech_probability() > 0.6 && logp_sum / n_f < -1.0 {
            continue;
        }
        // Whisper counts in 10 ms steps of what it heard; map them back across shortened pauses.
        let start = (seg.start_timestamp().max(0) as u64 * 10).min(chunk_ms);
        let end = (seg.end_timestamp().max(0) as u64 * 10).clamp(start, chunk_ms);
        let start_ms = chunk.file_ms(start, false);
        out.push(Segment {
            start_ms,
            end_ms: chunk.file_ms(end, true).max(start_ms),
            text,
            confidence: if n == 0 { 0.0 } else { p_sum / n_f },
        });
    }
    out
}
