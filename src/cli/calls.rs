use clap::Subcommand;
use std::path::Path;

use super::table::Table;
use super::{clock, open_library, print_json};
use zapis::app;
use zapis::crm::{export_call, CallExport, ExportFormat};
use zapis::domain::Role;
use zapis::storage::{ActionItemUpdate, CallDetail, CallQuery, CallSummary, CallVoice};

/// The export formats as the command line names them (the core's type knows nothing of clap).
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FormatArg {
    /// Markdown notes to paste into a CRM activity
    Md,
    /// Everything, machine-readable
    Json,
    /// One note row and one task row per action item, for CRM import
    Csv,
    /// Action items as iCalendar to-dos (VTODO) with due dates
    Ics,
}

impl From<FormatArg> for ExportFormat {
    fn from(arg: FormatArg) -> Self {
        match arg {
            FormatArg::Md => ExportFormat::Md,
            FormatArg::Json => ExportFormat::Json,
            FormatArg::Csv => ExportFormat::Csv,
            FormatArg::Ics => ExportFormat::Ics,
        }
    }
}

#[derive(Subcommand)]
pub enum CallsCommand {
    /// List calls, newest first
    List {
        /// Only calls whose transcript contains all these words (a trailing * matches a prefix)
        #[arg(long, value_name = "TEXT")]
        search: Option<String>,
        /// How many calls to show
        #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(u32).range(1..=100_000))]
        limit: u32,
        /// Print JSON instead of a table
        #[arg(long)]
        json: bool,
    },
    /// Find lines across every call by their words and, with the sentence model installed
    /// (`zapis model install minilm`), by what they mean ("pricing objections")
    Search {
        query: String,
        /// How many lines to show
        #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..=1_000))]
        limit: u32,
        /// Print JSON instead of a table
        #[arg(long)]
        json: bool,
    },
    /// Give every call's lines their meaning for search (after `zapis model install minilm`;
    /// new calls get it when they are ready)
    Index,
    /// Show one call: participants, consent receipts and transcript
    Show {
        id: i64,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// Delete a call, its transcript, insights and audio, so that none of it can be read back
    Delete { id: i64 },
    /// Export a call's notes, summary and action items for a CRM or calendar
    Export {
        id: i64,
        #[arg(long, value_enum, default_value = "md")]
        format: FormatArg,
        /// Write to this file instead of standard output (a new file, unless --force)
        #[arg(long, value_name = "FILE")]
        out: Option<std::path::PathBuf>,
        /// Replace the --out file if it exists
        #[arg(long, requires = "out")]
        force: bool,
    },
    /// Tick off, reopen, reword or re-date an action item (ITEM is the #number `zapis insights`
    /// prints); a shared call's change goes to the team with the next sync
    Item {
        item: i64,
        /// Mark it done
        #[arg(long, conflicts_with = "reopen")]
        done: bool,
        /// Mark it not done
        #[arg(long)]
        reopen: bool,
        /// Its new wording
        #[arg(long)]
        text: Option<String>,
        /// Its due date (YYYY-MM-DD)
        #[arg(long, value_name = "DATE", conflicts_with = "no_due")]
        due: Option<chrono::NaiveDate>,
        /// Remove its due date
        #[arg(long)]
        no_due: bool,
    },
    /// Tell the far side's voices apart again (after `zapis model install diarization`)
    Diarize { id: i64 },
    /// List the far side's voices of a call, and with --lines which voice spoke each line
    Voices {
        id: i64,
        /// Also print every far-side line with its id and voice (for split-voice)
        #[arg(long)]
        lines: bool,
        #[arg(long)]
        json: bool,
    },
    /// Name a far-side voice; later calls with the same person recognise it
    NameVoice { id: i64, voice: i64, name: String },
    /// A voice is not who it was named after ("not me" on the rep's): it becomes "Speaker N"
    UnnameVoice { id: i64, voice: i64 },
    /// Two voices are one person: move FROM's lines to INTO
    MergeVoices { id: i64, from: i64, into: i64 },
    /// Put a speaker on your side (you, or a colleague on the call) or the customer's; the
    /// insights follow, and later imports remember it
    Side {
        id: i64,
        speaker: String,
        side: Side,
    },
    /// Some lines of a voice are someone else: move them (by line id) to a new voice
    SplitVoice {
        id: i64,
        #[arg(required = true, num_args = 1..)]
        lines: Vec<i64>,
    },
}

/// Which side of the call a speaker is on.
#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Side {
    /// Yours: you, or a colleague selling with you
    Rep,
    /// The customer's
    Customer,
}

pub fn run(cmd: CallsCommand, data_dir: &Path) -> anyhow::Result<()> {
    match cmd {
        CallsCommand::List {
            search,
            limit,
            json,
        } => {
            let library = open_library(data_dir)?;
            let calls = library.list_calls(&CallQuery {
                search,
                limit: limit as usize,
                ..Default::default()
            })?;
            if json {
                print_json(&calls)
            } else {
                print_list(&calls);
                Ok(())
            }
        }
        CallsCommand::Search { query, limit, json } => {
            let library = open_library(data_dir)?;
            let found = app::search_lines(&library, &query, limit as usize)?;
            if json {
                return print_json(&found);
            }
            print_lines(&found);
            Ok(())
        }
        CallsCommand::Index => {
            let mut library = open_library(data_dir)?;
            let indexed = app::index_all(&mut library, &mut |done, of| {
                eprint!("\rindexing call {done} of {of}…");
            })?;
            if indexed.calls > 0 {
                eprintln!();
            }
            println!(
                "Indexed {} line(s) of {} call(s) for search by meaning.",
                indexed.lines, indexed.calls
            );
            if indexed.reanalysed > 0 {
                println!(
                    "Analysed {} call(s) again whose action items the rules alone had found.",
                    indexed.reanalysed
                );
            }
            Ok(())
        }
        CallsCommand::Show { id, json } => {
            let library = open_library(data_dir)?;
            let export = CallExport::load(&library, id)?;
            if json {
                print_json(&export)
            } else {
                print_call(&export.call);
                if let Some(body) = export.insights.clone() {
                    match serde_json::from_value::<zapis::insights::Insights>(body) {
                        Ok(insights) => super::insights::print(
                            &insights,
                            &export.action_items,
                            &export.call.summary.language,
                        ),
                        Err(_) => println!("\nInsights were stored by another Zapis version; run `zapis insights {id}` to recompute them."),
                    }
                }
                Ok(())
            }
        }
        CallsCommand::Delete { id } => {
            let mut library = open_library(data_dir)?;
            let title = library.call_summary(id)?.title;
            library.delete_call(id)?;
            println!("Deleted call {id} ({title}) with its transcript, insights and audio.");
            Ok(())
        }
        CallsCommand::Export {
            id,
            format,
            out,
            force,
        } => {
            let library = open_library(data_dir)?;
            let text = export_call(&CallExport::load(&library, id)?, format.into());
            match out {
                Some(path) => {
                    write_new_file(&path, text.as_bytes(), force)?;
                    eprintln!("Wrote {}", path.display());
                }
                None => print!("{text}"),
            }
            Ok(())
        }
        CallsCommand::Diarize { id } => {
            let mut library = open_library(data_dir)?;
            match app::diarize_call(&mut library, id)? {
                Some(found) => println!(
                    "Call {id}: {} far-side voice(s), {} named from the consent list.",
                    found.voices, found.named
                ),
                None => println!("Call {id} has no far-side recording with speech to tell apart."),
            }
            print_voices(&app::call_voices(&library, id)?);
            Ok(())
        }
        CallsCommand::Voices { id, lines, json } => {
            let library = open_library(data_dir)?;
            let voices = app::call_voices(&library, id)?;
            if json {
                return print_json(&voices);
            }
            print_voices(&voices);
            if lines {
                let voice_of: std::collections::HashMap<i64, i64> =
                    library.segment_voices(id)?.into_iter().collect();
                println!();
                for s in library.segments(id)? {
                    if let Some(v) = voice_of.get(&s.id) {
                        println!(
                            "{:>6}  voice {v}  {}  {}: {}",
                            s.id,
                            clock(s.start_ms),
                            s.speaker,
                            s.text
                        );
                    }
                }
            }
            Ok(())
        }
        CallsCommand::Item {
            item,
            done,
            reopen,
            text,
            due,
            no_due,
        } => {
            let update = ActionItemUpdate {
                done: (done || reopen).then_some(done),
                text,
                due: if no_due { Some(None) } else { due.map(Some) },
            };
            if update.done.is_none() && update.text.is_none() && update.due.is_none() {
                anyhow::bail!(
                    "say what to change about action item {item}: --done, --reopen, --text, --due or --no-due"
                );
            }
            let mut library = open_library(data_dir)?;
            let changed = app::update_action_item(&mut library, item, &update)?;
            println!("{}", super::insights::item_line(&changed));
            Ok(())
        }
        CallsCommand::NameVoice { id, voice, name } => {
            let mut library = open_library(data_dir)?;
            print_voices(&app::name_voice(&mut library, id, voice, &name)?);
            Ok(())
        }
        CallsCommand::UnnameVoice { id, voice } => {
            let mut library = open_library(data_dir)?;
            print_voices(&app::unname_voice(&mut library, id, voice)?);
            Ok(())
        }
        CallsCommand::MergeVoices { id, from, into } => {
            let mut library = open_library(data_dir)?;
            print_voices(&app::merge_voices(&mut library, id, from, into)?);
            Ok(())
        }
        CallsCommand::Side { id, speaker, side } => {
            let mut library = open_library(data_dir)?;
            let side = match side {
                Side::Rep => Role::Rep,
                Side::Customer => Role::Customer,
            };
            for (name, side) in app::set_speaker_side(&mut library, id, &speaker, side)? {
                let side = match side {
                    Role::Rep => "your side",
                    Role::Customer => "customer's side",
                };
                println!("{name}: {side}");
            }
            Ok(())
        }
        CallsCommand::SplitVoice { id, lines } => {
            let mut library = open_library(data_dir)?;
            let (voice, voices) = app::split_voice(&mut library, id, &lines)?;
            println!("The {} line(s) are now voice {voice}.", lines.len());
            print_voices(&voices);
            Ok(())
        }
    }
}

fn print_lines(found: &app::LineSearch) {
    if !found.by_meaning {
        eprintln!("Matched words only: `zapis model install minilm` adds search by meaning.");
    } else if found.lines_not_indexed > 0 {
        eprintln!(
            "{} line(s) are not indexed for meaning yet and match by words only: run `zapis calls index`.",
            found.lines_not_indexed
        );
    }
    if found.lines.is_empty() {
        println!("No lines found.");
        return;
    }
    let mut table = Table::new(vec!["CALL", "DATE (UTC)", "AT", "MATCH", "SPEAKER", "LINE"]);
    for line in &found.lines {
        let matched = match (line.by_words, line.similarity) {
            (true, Some(s)) => format!("words, {s:.2}"),
            (true, None) => "words".to_string(),
            (false, Some(s)) => format!("meaning {s:.2}"),
            (false, None) => "-".to_string(),
        };
        table.row(vec![
            format!("{} {}", line.call_id, line.call_title),
            line.call_started_at.format("%Y-%m-%d").to_string(),
            clock(line.start_ms),
            matched,
            line.speaker.clone(),
            line.text.clone(),
        ]);
    }
    println!("{}", table.render());
}

fn print_voices(voices: &[CallVoice]) {
    if voices.is_empty() {
        println!("No far-side voices told apart on this call (no system audio, or the speaker models are not installed: `zapis model install diarization`).");
        return;
    }
    let mut table = Table::new(vec!["VOICE", "LABEL", "NAMED BY", "SPEECH", "LINES"]);
    for v in voices {
        table.row(vec![
            v.voice.to_string(),
            v.label.clone(),
            v.named_by.as_str().to_string(),
            clock(v.speech_ms),
            v.lines.to_string(),
        ]);
    }
    println!("{}", table.render());
}

fn print_list(calls: &[CallSummary]) {
    if calls.is_empty() {
        println!(
            "No calls yet. Record one with `zapis record`, or import one with `zapis import`."
        );
        return;
    }
    let mut table = Table::new(vec![
        "ID",
        "DATE (UTC)",
        "LENGTH",
        "STATUS",
        "SENTIMENT",
        "TITLE",
        "PARTICIPANTS",
    ]);
    for c in calls {
        table.row(vec![
            c.id.to_string(),
            c.started_at.format("%Y-%m-%d %H:%M").to_string(),
            clock(c.duration_ms),
            c.status.to_string(),
            c.sentiment.clone().unwrap_or_else(|| "-".into()),
            c.title.clone(),
            c.participants.join(", "),
        ]);
    }
    println!("{}", table.render());
}

fn print_call(call: &CallDetail) {
    let s = &call.summary;
    println!("Call {}: {}", s.id, s.title);
    println!(
        "  {} UTC · {} · {} · {} · language {}",
        s.started_at.format("%Y-%m-%d %H:%M"),
        clock(s.duration_ms),
        s.source,
        s.status,
        s.language
    );
    if let Some(model) = &s.transcribed_with {
        println!("  transcribed on this computer with {model}");
    }
    if !call.participants.is_empty() {
        println!("\nParticipants");
        for p in &call.participants {
            let email = p
                .email
                .as_deref()
                .map(|e| format!(" <{e}>"))
                .unwrap_or_default();
            println!("  {}{} ({})", p.name, email, p.role);
        }
    }
    if !call.consent.is_empty() {
        println!("\nConsent");
        for r in &call.consent {
            println!(
                "  {} {} at {} via {} (notice {}, {})",
                r.participant_name,
                r.decision,
                zapis::storage::format_time(r.decided_at),
                r.method,
                r.notice_version,
                r.language
            );
        }
    }
    if !call.capture_notes.is_empty() {
        println!("\nRecording problems");
        for note in &call.capture_notes {
            println!("  {note}");
        }
    }
    println!("\nTranscript");
    if call.transcript.is_empty() {
        println!("  (no transcript yet)");
    }
    for seg in &call.transcript {
        println!("  [{}] {}: {}", clock(seg.start_ms), seg.speaker, seg.text);
    }
}

/// Writes a file in full or not at all: a temporary sibling renamed into place. An existing file
/// is only replaced when the user asked for it.
fn write_new_file(path: &std::path::Path, bytes: &[u8], replace: bool) -> anyhow::Result<()> {
    if !replace && std::fs::symlink_metadata(path).is_ok() {
        anyhow::bail!(
            "{} already exists; choose another file, or pass --force to replace it",
            path.display()
        );
    }
    let parent = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    let tmp = parent.join(format!(
        ".{}.partial-{}",
        path.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        std::process::id()
    ));
    let result = std::fs::write(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, path));
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        anyhow::bail!("cannot write {}: {e}", path.display());
    }
    Ok(())
}
