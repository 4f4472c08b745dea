use clap::Subcommand;
use std::path::Path;

use super::{open_library, print_json};
use zapis::settings::Settings;
use zapis::storage::Retention;

#[derive(Subcommand)]
pub enum SettingsCommand {
    /// Show or change how long recordings and transcripts are kept
    Retention {
        /// Days to keep recordings, or "forever"
        #[arg(long, value_name = "DAYS|forever", value_parser = parse_days)]
        audio_days: Option<Days>,
        /// Days to keep transcripts and insights, or "forever"
        #[arg(long, value_name = "DAYS|forever", value_parser = parse_days)]
        transcript_days: Option<Days>,
        #[arg(long)]
        json: bool,
    },
    /// Show or choose the models: one for the live transcript, one for the transcript after the call
    Model {
        /// Installed model for the live transcript
        #[arg(long, value_name = "NAME")]
        live: Option<String>,
        /// Installed model for the transcript after the call and for imported recordings, or
        /// "live" to use the live one
        #[arg(long = "final", value_name = "NAME|live")]
        final_model: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

/// A number of days, or `None` for "forever".
#[derive(Debug, Clone, Copy)]
pub struct Days(Option<u32>);

fn parse_days(text: &str) -> Result<Days, String> {
    if text.eq_ignore_ascii_case("forever") {
        return Ok(Days(None));
    }
    match text.parse::<u32>() {
        Ok(0) | Err(_) => Err(format!(
            "{text:?} is not a number of days (1 or more) or \"forever\""
        )),
        Ok(days) => Ok(Days(Some(days))),
    }
}

pub fn run(cmd: SettingsCommand, data_dir: &Path) -> anyhow::Result<()> {
    match cmd {
        SettingsCommand::Retention {
            audio_days,
            transcript_days,
            json,
        } => retention(data_dir, audio_days, transcript_days, json),
        SettingsCommand::Model {
            live,
            final_model,
            json,
        } => models(data_dir, live, final_model, json),
    }
}

fn models(
    data_dir: &Path,
    live: Option<String>,
    final_model: Option<String>,
    json: bool,
) -> anyhow::Result<()> {
    let mut library = open_library(data_dir)?;
    let mut settings = Settings::load(&library)?;
    // A model that is not installed is refused here, not found missing after the next call.
    if let Some(name) = &live {
        zapis::model::resolve(data_dir, name)?;
        settings.preferences.model = name.clone();
    }
    match final_model.as_deref() {
        None => {}
        Some("live") => settings.preferences.final_model = None,
        Some(name) => {
            zapis::model::resolve(data_dir, name)?;
            settings.preferences.final_model = Some(name.to_string());
        }
    }
    if live.is_some() || final_model.is_some() {
        settings = zapis::app::save_settings(&mut library, &settings)?;
    }
    let preferences = &settings.preferences;
    if json {
        return print_json(&serde_json::json!({
            "live": preferences.model,
            "final": preferences.final_model(),
        }));
    }
    println!("live transcript:       {}", preferences.model);
    println!("transcript after call: {}", preferences.final_model());
    Ok(())
}

fn retention(
    data_dir: &Path,
    audio_days: Option<Days>,
    transcript_days: Option<Days>,
    json: bool,
) -> anyhow::Result<()> {
    let mut library = open_library(data_dir)?;
    let mut retention = library.retention()?;
    if audio_days.is_some() || transcript_days.is_some() {
        retention = Retention {
            audio_days: audio_days.map_or(retention.audio_days, |d| d.0),
            transcript_days: transcript_days.map_or(retention.transcript_days, |d| d.0),
        };
        library.set_retention(retention)?;
        let applied = library.apply_retention(chrono::Utc::now())?;
        if !json && applied.audio_removed + applied.calls_deleted > 0 {
            println!(
                "Applied now: removed {} recordings and deleted {} calls.",
                applied.audio_removed, applied.calls_deleted
            );
        }
    }
    if json {
        return print_json(&retention);
    }
    let show = |d: Option<u32>| d.map_or_else(|| "forever".to_string(), |d| format!("{d} days"));
    println!("recordings kept:  {}", show(retention.audio_days));
    println!("transcripts kept: {}", show(retention.transcript_days));
    Ok(())
}
