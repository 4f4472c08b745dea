//! The `zapis` command line: argument parsing and output only; the work happens in the library.

mod calls;
mod contacts;
mod db;
mod import;
mod insights;
mod model;
mod privacy;
mod record;
mod settings;
mod table;
mod transcribe;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

use zapis::paths;
use zapis::storage::Library;

#[derive(Parser)]
#[command(name = "zapis", version, about = "Local-first, consent-first meeting assistant", long_about = None)]
struct Cli {
    /// Folder holding the call library and recordings [default: the OS per-user data folder]
    #[arg(long, global = true, value_name = "DIR", env = paths::DATA_DIR_ENV)]
    data_dir: Option<PathBuf>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// List, show and delete stored calls
    #[command(subcommand)]
    Calls(calls::CallsCommand),
    /// Install and list the speech-recognition models (from PyPI; nothing else is contacted)
    #[command(subcommand)]
    Model(model::ModelCommand),
    /// Transcribe an audio file on this computer
    Transcribe(transcribe::TranscribeArgs),
    /// List the microphones and system-audio (monitor) devices Zapis can record
    Devices {
        #[arg(long)]
        json: bool,
    },
    /// Record a call: microphone (you) and system audio (the others), only with everyone's consent
    Record(record::RecordArgs),
    /// Create a call from a transcript made by Teams, Zoom or another tool
    Import(import::ImportArgs),
    /// Show (recomputing) a call's summary, action items, keywords, sentiment and talk metrics
    Insights {
        call_id: i64,
        #[arg(long)]
        json: bool,
    },
    /// CRM contacts: import from CSV, list, history
    #[command(subcommand)]
    Contacts(contacts::ContactsCommand),
    /// People's rights: export a copy of their data, or erase it
    #[command(subcommand)]
    Privacy(privacy::PrivacyCommand),
    /// Settings such as how long recordings are kept
    #[command(subcommand)]
    Settings(settings::SettingsCommand),
    /// Inspect the call library database
    #[command(subcommand)]
    Db(db::DbCommand),
}

pub fn run() -> ExitCode {
    // clap exits with 2 on usage errors and 0 for --help/--version.
    let cli = Cli::parse();
    match dispatch(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("zapis: error: {err}");
            for cause in err.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            ExitCode::from(1)
        }
    }
}

fn dispatch(cli: Cli) -> anyhow::Result<()> {
    let data_dir = paths::data_dir(cli.data_dir)?;
    match cli.command {
        Command::Calls(cmd) => calls::run(cmd, &data_dir),
        Command::Model(cmd) => model::run(cmd, &data_dir),
        Command::Transcribe(args) => transcribe::run(args, &data_dir),
        Command::Devices { json } => record::devices(json),
        Command::Record(args) => record::record(args, &data_dir),
        Command::Import(args) => import::run(args, &data_dir),
        Command::Insights { call_id, json } => {
            let mut library = open_library(&data_dir)?;
            let result = zapis::analysis::refresh_insights(&mut library, call_id)?;
            if json {
                let mut value = serde_json::to_value(&result)?;
                // Stored items carry the user's check-offs and edits, and their ids.
                value["action_items"] = serde_json::to_value(library.action_items(call_id)?)?;
                print_json(&value)
            } else {
                insights::print(&result, &library.action_items(call_id)?);
                Ok(())
            }
        }
        Command::Contacts(cmd) => contacts::run(cmd, &data_dir),
        Command::Privacy(cmd) => privacy::run(cmd, &data_dir),
        Command::Settings(cmd) => settings::run(cmd, &data_dir),
        Command::Db(cmd) => db::run(cmd, &data_dir),
    }
}

/// Opens the library and applies the retention settings, as every start of Zapis does.
pub(crate) fn open_library(data_dir: &std::path::Path) -> anyhow::Result<Library> {
    let mut library = Library::open(data_dir)?;
    library.apply_retention(chrono::Utc::now())?;
    for id in zapis::session::recover_interrupted(&mut library)? {
        eprintln!(
            "zapis: recovered call {id}, which was interrupted while recording; its audio is kept"
        );
        let options = zapis::pipeline::FinishOptions {
            language: library.call_summary(id)?.language,
            ..Default::default()
        };
        if let Err(e) = zapis::pipeline::finish_call(&mut library, id, &options, &|_| {}) {
            eprintln!("zapis: call {id} was recovered but could not be transcribed: {e}");
        }
    }
    Ok(library)
}

pub(crate) fn print_json<T: serde::Serialize>(value: &T) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

/// `h:mm:ss` or `m:ss`, as people read call lengths and transcript offsets.
pub(crate) fn clock(ms: i64) -> String {
    let secs = ms.max(0) / 1000;
    let (h, m, s) = (secs / 3600, (secs / 60) % 60, secs % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}
