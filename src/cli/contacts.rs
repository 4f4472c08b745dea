use clap::Subcommand;
use std::path::{Path, PathBuf};

use super::table::Table;
use super::{clock, open_library, print_json};
use zapis::crm::csv_import::{parse_contacts_as, parse_mapping};
use zapis::text_encoding::{encoding_for_label, Encoding};

#[derive(Subcommand)]
pub enum ContactsCommand {
    /// Import contacts from a CRM's CSV export (Dynamics 365, Salesforce, HubSpot, or mapped columns)
    Import {
        file: PathBuf,
        /// Map a column to a field, e.g. --map "E-Mail=email" (fields: email, name, first_name,
        /// last_name, title, phone, account, crm_id, ignore)
        #[arg(long = "map", value_name = "COLUMN=FIELD")]
        mapping: Vec<String>,
        /// The file's text encoding, e.g. windows-1250, windows-1252, utf-16le [default: from the
        /// byte-order mark, else UTF-8, else guessed]
        #[arg(long, value_name = "LABEL", value_parser = parse_encoding)]
        encoding: Option<&'static Encoding>,
        #[arg(long)]
        json: bool,
    },
    /// List contacts with their number of calls and open action items
    List {
        #[arg(long, value_name = "TEXT")]
        search: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Show a contact's call history and open action items
    Show {
        email: String,
        #[arg(long)]
        json: bool,
    },
    /// Link a call to a contact by hand
    Link { email: String, call_id: i64 },
}

fn parse_encoding(label: &str) -> Result<&'static Encoding, String> {
    encoding_for_label(label).map_err(|e| e.to_string())
}

pub fn run(cmd: ContactsCommand, data_dir: &Path) -> anyhow::Result<()> {
    match cmd {
        ContactsCommand::Import {
            file,
            mapping,
            encoding,
            json,
        } => {
            let map = parse_mapping(&mapping)?;
            let bytes = std::fs::read(&file)
                .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", file.display()))?;
            let parsed = parse_contacts_as(&file.display().to_string(), &bytes, &map, encoding)?;
            let mut library = open_library(data_dir)?;
            let outcome = library.upsert_contacts(&parsed.records)?;
            if json {
                print_json(&serde_json::json!({
                    "imported": outcome.imported,
                    "updated": outcome.updated,
                    "calls_linked": outcome.calls_linked,
                    "source": parsed.source,
                    "unknown_columns": parsed.unknown_columns,
                    "encoding": parsed.encoding,
                }))
            } else {
                println!(
                    "Imported {} new and updated {} contacts from {} ({} format, read as {}); linked {} calls.",
                    outcome.imported,
                    outcome.updated,
                    file.display(),
                    parsed.source,
                    parsed.encoding,
                    outcome.calls_linked
                );
                if !parsed.unknown_columns.is_empty() {
                    println!(
                        "Not imported (unknown columns; use --map COLUMN=FIELD to keep one): {}",
                        parsed.unknown_columns.join(", ")
                    );
                }
                Ok(())
            }
        }
        ContactsCommand::List { search, json } => {
            let library = open_library(data_dir)?;
            let contacts = library.contacts(search.as_deref())?;
            if json {
                return print_json(&contacts);
            }
            if contacts.is_empty() {
                println!("No contacts. Import a CRM export with `zapis contacts import FILE.csv`.");
                return Ok(());
            }
            let mut table = Table::new(vec![
                "EMAIL",
                "NAME",
                "COMPANY",
                "CALLS",
                "OPEN ITEMS",
                "LAST CALL",
            ]);
            for c in contacts {
                table.row(vec![
                    c.email,
                    c.name,
                    c.account.unwrap_or_default(),
                    c.calls.to_string(),
                    c.open_action_items.to_string(),
                    c.last_call_at
                        .map(|t| t.format("%Y-%m-%d").to_string())
                        .unwrap_or_else(|| "-".into()),
                ]);
            }
            println!("{}", table.render());
            Ok(())
        }
        ContactsCommand::Show { email, json } => {
            let library = open_library(data_dir)?;
            let detail = library.contact(&email)?;
            if json {
                return print_json(&detail);
            }
            let c = &detail.contact;
            println!("{} <{}>", c.name, c.email);
            for (label, value) in [
                ("title", &c.title),
                ("company", &c.account),
                ("phone", &c.phone),
            ] {
                if let Some(v) = value {
                    println!("  {label}: {v}");
                }
            }
            println!("\nCalls ({})", detail.history.len());
            for call in &detail.history {
                println!(
                    "  {:>5}  {}  {:>7}  {:<9}  {}",
                    call.id,
                    call.started_at.format("%Y-%m-%d"),
                    clock(call.duration_ms),
                    call.sentiment.as_deref().unwrap_or("-"),
                    call.title
                );
            }
            println!("\nOpen action items ({})", detail.open_action_items.len());
            for a in &detail.open_action_items {
                let due = a.due.map(|d| format!(", due {d}")).unwrap_or_default();
                println!("  [call {}] {} ({}{due})", a.call_id, a.text, a.owner);
            }
            Ok(())
        }
        ContactsCommand::Link { email, call_id } => {
            let mut library = open_library(data_dir)?;
            library.link_call(call_id, &email)?;
            println!("Linked call {call_id} to {email}.");
            Ok(())
        }
    }
}
