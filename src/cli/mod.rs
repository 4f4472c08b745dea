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
mod team;
mod transcribe;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

use zapis::storage::Library;
use zapis::{app, paths};

#[derive(Parser)]
#[command(name = "zapis", version, about = "Local-first, consent-first meeting assistant", long_about = None)]
struct Cli {
    /// Folder holding the call library and recordings [default: the OS per-user data folder]
    #[arg(long, global = true, value_name = "DIR", env = paths::DATA_DIR_ENV)]
    data_dir: Option<PathBuf>,

    /// Also print the log (errors, devices, timings) to the terminal; it is always written to
    /// the logs folder in the data folder
    #[arg(long, short, global = true)]
    verbose: bool,

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
    /// The team's shared library on PostgreSQL: join, share, sync, and run it
    #[command(subcommand)]
    Team(team::TeamCommand),
}

pub fn run() -> ExitCode {
    paths::restrict_new_files();
    // clap exits with 2 on usage errors and 0 for --help/--version.
    let cli = Cli::parse();
    if !matches!(cli.command, Command::Record(_)) {
        quiet_on_closed_pipe();
    }
    start_log(&cli);
    let command = command_name(&cli.command);
    let started = std::time::Instant::now();
    let result = dispatch(cli);
    let elapsed_ms = started.elapsed().as_millis() as u64;
    match result {
        Ok(()) => {
            tracing::info!(command, elapsed_ms, "command finished");
            ExitCode::SUCCESS
        }
        Err(err) => {
            let text = error_text(&err);
            tracing::error!(command, elapsed_ms, error = %zapis::logging::redact(&text), "command failed");
            eprintln!("zapis: error: {text}");
            ExitCode::from(1)
        }
    }
}

/// The log goes to the data folder; a folder that cannot take it (read-only, say) must not stop
/// the command, whose own error will say what is wrong.
fn start_log(cli: &Cli) {
    let Ok(data_dir) = paths::data_dir(cli.data_dir.clone()) else {
        return;
    };
    if let Err(e) = zapis::logging::init(&data_dir, cli.verbose) {
        if cli.verbose {
            eprintln!("zapis: cannot write the log in {}: {e}", data_dir.display());
        }
    }
}

fn command_name(command: &Command) -> &'static str {
    match command {
        Command::Calls(_) => "calls",
        Command::Model(_) => "model",
        Command::Transcribe(_) => "transcribe",
        Command::Devices { .. } => "devices",
        Command::Record(_) => "record",
        Command::Import(_) => "import",
        Command::Insights { .. } => "insights",
        Command::Contacts(_) => "contacts",
        Command::Privacy(_) => "privacy",
        Command::Settings(_) => "settings",
        Command::Db(_) => "db",
        Command::Team(_) => "team",
    }
}

/// The error and those of its causes its own message does not already say: most of Zapis's
/// errors name their cause in their text, and repeating it as "caused by" reads as a stutter.
fn error_text(err: &anyhow::Error) -> String {
    let mut text = err.to_string();
    for cause in err.chain().skip(1) {
        let cause = cause.to_string();
        if !text.contains(&cause) {
            text.push_str("\n  caused by: ");
            text.push_str(&cause);
        }
    }
    text
}

/// `zapis calls list | head -1`: when the reader goes away, stop quietly as Unix tools do
/// (killed by SIGPIPE) instead of panicking on the failed write. Not for `record`, which must
/// finish its files whatever happens to its output, and whose sockets must not raise signals.
fn quiet_on_closed_pipe() {
    #[cfg(unix)]
    // SAFETY: restores the default action of one signal before any other thread exists.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
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
            let result = app::analyse_call(&mut library, call_id)?;
            if json {
                let mut value = serde_json::to_value(&result)?;
                // Stored items carry the user's check-offs and edits, and their ids.
                value["action_items"] = serde_json::to_value(library.action_items(call_id)?)?;
                print_json(&value)
            } else {
                let language = library.call_summary(call_id)?.language;
                insights::print(&result, &library.action_items(call_id)?, &language);
                Ok(())
            }
        }
        Command::Contacts(cmd) => contacts::run(cmd, &data_dir),
        Command::Privacy(cmd) => privacy::run(cmd, &data_dir),
        Command::Settings(cmd) => settings::run(cmd, &data_dir),
        Command::Db(cmd) => db::run(cmd, &data_dir),
        Command::Team(cmd) => team::run(cmd, &data_dir),
    }
}

/// Opens the library as every start of Zapis does (retention, recovery), saying what it recovered.
pub(crate) fn open_library(data_dir: &std::path::Path) -> anyhow::Result<Library> {
    let opened = zapis::app::open_library(data_dir)?;
    for recovered in &opened.recovered {
        let id = recovered.call_id;
        eprintln!(
            "zapis: recovered call {id}, which was interrupted while recording; its audio is kept"
        );
        if let Some(reason) = &recovered.failure {
            eprintln!("zapis: call {id} was recovered but could not be transcribed: {reason}");
        }
    }
    Ok(opened.library)
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
