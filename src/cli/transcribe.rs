use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Instant;

use super::print_json;
use zapis::transcribe::{transcribe_file, ChannelMode, Engine, Options};

#[derive(Args)]
pub struct TranscribeArgs {
    /// WAV (any rate, channels and sample format), FLAC, MP3 or OGG
    pub audio: PathBuf,
    /// An installed model name or a ggml model file [default: tiny.en]
    #[arg(long, default_value = "tiny.en")]
    pub model: String,
    /// Spoken language: en, sr or auto
    #[arg(long, default_value = "en")]
    pub language: String,
    /// Most CPU threads to use [default: the free cores, at most 4]
    #[arg(long)]
    pub threads: Option<usize>,
    /// Beam search width (more is slower and a little more accurate) [default: greedy]
    #[arg(long)]
    pub beam: Option<usize>,
    /// Whisper's encoder context: "full" (30 s windows, as the model was trained) or "fit"
    /// (shrunk to the audio: faster on short clips, less accurate on human speech)
    #[arg(long, value_enum, default_value = "full")]
    pub audio_context: AudioContext,
    #[arg(long)]
    pub json: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum AudioContext {
    Full,
    Fit,
}

impl TranscribeArgs {
    pub fn options(&self) -> anyhow::Result<Options> {
        Ok(Options {
            language: self.language.parse()?,
            threads: self.threads,
            beam: self.beam.filter(|b| *b > 1),
            fit_audio_context: self.audio_context == AudioContext::Fit,
            ..Options::default()
        })
    }
}

pub fn progress_bar() -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(100);
    if let Ok(style) = ProgressStyle::with_template("transcribing [{bar:30}] {percent}% {eta}") {
        bar.set_style(style);
    }
    bar
}

pub fn run(args: TranscribeArgs, data_dir: &Path) -> anyhow::Result<()> {
    let started = Instant::now();
    let model_path = zapis::model::resolve(data_dir, &args.model)?;
    let options = args.options()?;
    let mut engine = Engine::load(&model_path)?;
    let bar = progress_bar();
    let result = transcribe_file(
        &mut engine,
        &args.audio,
        ChannelMode::Mixdown,
        &options,
        &mut |p| {
            if let Some(total) = p.total_seconds.filter(|t| *t > 0.0) {
                bar.set_position((p.decoded_seconds / total * 100.0) as u64);
            }
        },
    )?;
    bar.finish_and_clear();
    let segments: Vec<_> = result
        .channels
        .iter()
        .flat_map(|c| c.segments.iter())
        .collect();
    if args.json {
        return print_json(&serde_json::json!({
            "model": args.model,
            "language": result.language,
            "audio_seconds": result.audio_seconds,
            "elapsed_seconds": started.elapsed().as_secs_f64(),
            "text": result.text(),
            "segments": segments.iter().map(|s| serde_json::json!({
                "start": s.start_ms as f64 / 1000.0,
                "end": s.end_ms as f64 / 1000.0,
                "text": s.text,
                "confidence": s.confidence,
            })).collect::<Vec<_>>(),
        }));
    }
    if segments.is_empty() {
        eprintln!("No speech found in {}.", args.audio.display());
    }
    for s in segments {
        println!("[{}] {}", super::clock(s.start_ms as i64), s.text.trim());
    }
    Ok(())
}
