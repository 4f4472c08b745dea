use clap::Args;
use std::path::{Path, PathBuf};

use super::{open_library, print_json};
use zapis::app::{import_file, ImportRequest, Imported};
use zapis::crm::CallExport;
use zapis::domain::Role;
use zapis::import::{ImportOptions, Person};
use zapis::text_encoding::{encoding_for_label, Encoding, TextEncoding};

#[derive(Args)]
pub struct ImportArgs {
    /// A transcript (.vtt from Teams or Zoom, .srt, or Zapis .json) or a recording (WAV, FLAC,
    /// MP3, OGG; two channels are read as rep, then customer)
    file: PathBuf,
    #[arg(long)]
    title: Option<String>,
    /// The call's date, YYYY-MM-DD [default: the file's modification date]
    #[arg(long, value_name = "YYYY-MM-DD")]
    date: Option<chrono::NaiveDate>,
    /// A speaker on your side (you, or a colleague on the call); repeat for each. Remembered for
    /// later imports [default: the speakers you put on your side before, else the first speaker]
    #[arg(long, value_name = "NAME")]
    rep: Vec<String>,
    /// A participant, "Name <email>"; repeat for each. Emails link the call to CRM contacts.
    #[arg(long = "participant", value_name = "NAME <EMAIL>")]
    participants: Vec<Person>,
    /// State that every participant agreed to the recording (required)
    #[arg(long)]
    consent_confirmed: bool,
    /// Language of the call: en or sr
    #[arg(long, value_parser = ["en", "sr"])]
    language: Option<String>,
    /// Model for recordings (installed name or file) [default: the one in the settings]
    #[arg(long)]
    model: Option<String>,
    /// Most CPU threads for transcription
    #[arg(long)]
    threads: Option<usize>,
    /// Beam search width for recordings
    #[arg(long)]
    beam: Option<usize>,
    /// The transcript's text encoding, e.g. windows-1250, utf-16le [default: from the byte-order
    /// mark, else UTF-8, else guessed]
    #[arg(long, value_name = "LABEL", value_parser = parse_encoding)]
    encoding: Option<&'static Encoding>,
    /// Print the new call as JSON
    #[arg(long)]
    json: bool,
}

fn parse_encoding(label: &str) -> Result<&'static Encoding, String> {
    encoding_for_label(label).map_err(|e| e.to_string())
}

pub fn run(args: ImportArgs, data_dir: &Path) -> anyhow::Result<()> {
    let mut library = open_library(data_dir)?;
    let request = ImportRequest {
        options: ImportOptions {
            title: args.title,
            date: args.date,
            rep: args.rep,
            participants: args.participants,
            consent_confirmed: args.consent_confirmed,
            language: args.language,
            encoding: args.encoding,
        },
        model: args.model,
        threads: args.threads,
        beam: args.beam,
    };
    let bar = super::transcribe::progress_bar();
    let imported = import_file(&mut library, &args.file, &request, &mut |p| {
        bar.set_position((p * 100.0) as u64)
    });
    bar.finish_and_clear();
    let Imported {
        call_id: id,
        encoding,
    } = imported?;
    let call = CallExport::load(&library, id)?;
    if args.json {
        /// The call, and for a transcript the encoding it was read in.
        #[derive(serde::Serialize)]
        struct Imported<'a> {
            #[serde(flatten)]
            call: &'a CallExport,
            #[serde(skip_serializing_if = "Option::is_none")]
            encoding: Option<TextEncoding>,
        }
        return print_json(&Imported {
            call: &call,
            encoding,
        });
    }
    let s = &call.call.summary;
    println!(
        "Imported call {id}: {} ({} segments, {} action items). See it with `zapis calls show {id}`.",
        s.title,
        s.segments,
        call.action_items.len()
    );
    if let Some(encoding) = encoding {
        println!("Read the transcript as {encoding}.");
        let sides = library.speaker_sides(id)?;
        if sides.len() > 1 {
            let ours: Vec<&str> = sides
                .iter()
                .filter(|(_, side)| *side == Role::Rep)
                .map(|(name, _)| name.as_str())
                .collect();
            println!(
                "On your side: {}. Someone else is? `zapis calls side {id} NAME rep` (or `customer`).",
                ours.join(", ")
            );
        }
    }
    Ok(())
}
