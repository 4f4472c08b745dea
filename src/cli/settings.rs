use clap::Subcommand;
use std::path::Path;

use super::{open_library, print_json};
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
    let SettingsCommand::Retention {
        audio_days,
        transcript_days,
        json,
    } = cmd;
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
