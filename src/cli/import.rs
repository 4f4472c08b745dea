use clap::Args;
use std::path::{Path, PathBuf};

use super::{open_library, print_json};
use zapis::crm::CallExport;
use zapis::import::{import_transcript, ImportOptions, Person};

#[derive(Args)]
pub struct ImportArgs {
    /// A transcript (.vtt from Teams or Zoom, .srt, or Zapis .json)
    file: PathBuf,
    #[arg(long)]
    title: Option<String>,
    /// The call's date, YYYY-MM-DD [default: the file's modification date]
    #[arg(long, value_name = "YYYY-MM-DD")]
    date: Option<chrono::NaiveDate>,
    /// Which speaker is the rep [default: the first speaker]
    #[arg(long, value_name = "NAME")]
    rep: Option<String>,
    /// A participant, "Name <email>"; repeat for each. Emails link the call to CRM contacts.
    #[arg(long = "participant", value_name = "NAME <EMAIL>")]
    participants: Vec<Person>,
    /// State that every participant agreed to the recording (required)
    #[arg(long)]
    consent_confirmed: bool,
    /// Language of the call: en or sr
    #[arg(long, value_parser = ["en", "sr"])]
    language: Option<String>,
    /// Print the new call as JSON
    #[arg(long)]
    json: bool,
}

pub fn run(args: ImportArgs, data_dir: &Path) -> anyhow::Result<()> {
    let mut library = open_library(data_dir)?;
    let options = ImportOptions {
        title: args.title,
        date: args.date,
        rep: args.rep,
        participants: args.participants,
        consent_confirmed: args.consent_confirmed,
        language: args.language,
    };
    let id = import_transcript(&mut library, &args.file, &options)?;
    let call = CallExport::load(&library, id)?;
    if args.json {
        return print_json(&call);
    }
    let s = &call.call.summary;
    println!(
        "Imported call {id}: {} ({} segments, {} action items). See it with `zapis calls show {id}`.",
        s.title,
        s.segments,
        call.action_items.len()
    );
    Ok(())
}
