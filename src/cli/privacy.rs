use clap::{ArgGroup, Subcommand};
use std::path::{Path, PathBuf};

use super::open_library;
use zapis::app::{self, Destination};
use zapis::privacy::Subject;

#[derive(Subcommand)]
pub enum PrivacyCommand {
    /// Export everything stored about a person (or everyone) as JSON, a readable report and audio
    #[command(group(ArgGroup::new("who").required(true).args(["contact", "all"])))]
    Export {
        /// The person's email address
        #[arg(long, value_name = "EMAIL")]
        contact: Option<String>,
        /// Export the whole library
        #[arg(long)]
        all: bool,
        /// A new or empty folder to write into
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// Erase every call, transcript, insight, consent receipt and recording that involves a person
    Erase {
        #[arg(long, value_name = "EMAIL")]
        contact: String,
    },
}

pub fn run(cmd: PrivacyCommand, data_dir: &Path) -> anyhow::Result<()> {
    match cmd {
        PrivacyCommand::Export {
            contact,
            all: _,
            out,
        } => {
            let library = open_library(data_dir)?;
            let subject = contact.map_or(Subject::Everyone, Subject::Person);
            let data = app::export_data(&library, &subject, Destination::Folder(&out))?.data;
            println!(
                "Exported {} calls and {} audio files about {} to {} (data.json, report.md, audio/).",
                data.calls.len(),
                data.audio_files.len(),
                data.subject,
                out.display()
            );
            Ok(())
        }
        PrivacyCommand::Erase { contact } => {
            let mut library = open_library(data_dir)?;
            let erased = app::erase_person(&mut library, &contact)?;
            println!(
                "Erased {} calls ({} transcript segments){} for {contact}. The audit log records only that an erasure happened.",
                erased.calls_deleted,
                erased.segments_deleted,
                if erased.contact_deleted { " and the contact record" } else { "" }
            );
            Ok(())
        }
    }
}
