use clap::{ArgGroup, Args, Subcommand};
use std::path::Path;

use super::{open_library, print_json};
use zapis::app;
use zapis::storage::{NotShared, SharePolicy, ShareScope};
use zapis::team::{NewMember, SyncStage};

#[derive(Subcommand)]
pub enum TeamCommand {
    /// Create the team library in a PostgreSQL database (as its owner), or check the one there
    Setup {
        /// postgres://owner@host/database (the password from PGPASSWORD or ~/.pgpass)
        address: String,
    },
    /// Add a rep or manager to the team library: a login role of their own
    AddMember {
        address: String,
        /// Their PostgreSQL login (lower-case letters, digits, _)
        role: String,
        /// Their name as teammates see it
        #[arg(long)]
        name: String,
        /// A manager: reads the whole team's calls and may erase a person team-wide
        #[arg(long)]
        manager: bool,
        /// The environment variable holding their password (never pass it as an argument)
        #[arg(long, value_name = "VAR")]
        password_env: Option<String>,
    },
    /// Remove someone from the team: they can no longer log in; what they shared stays
    RemoveMember { address: String, role: String },
    /// Put a rep on a CRM account: they see every shared call with it
    Assign {
        address: String,
        role: String,
        #[arg(long)]
        account: String,
    },
    /// Join the team library on a server, as the address's user
    #[command(group(ArgGroup::new("policy").args(["share_all", "share_chosen"])))]
    Join {
        /// postgres://you:password@host/database (the password is kept in the system keyring,
        /// and the address stored without it; or leave it out and use PGPASSWORD or ~/.pgpass)
        address: String,
        /// Share every call everyone consented to [default: the team's default]
        #[arg(long)]
        share_all: bool,
        /// Share only the calls you choose [default: the team's default]
        #[arg(long)]
        share_chosen: bool,
    },
    /// Set which calls a rep who joins shares until they choose (a manager)
    DefaultPolicy {
        address: String,
        #[arg(value_parser = ["chosen-calls", "all-calls"])]
        policy: String,
    },
    /// Stop syncing; what you shared stays in the team library
    Leave,
    /// Share a call, every call with a contact, or every call
    Share(ShareArgs),
    /// Keep a call, or every call with a contact, on this computer; --all: share only chosen calls
    Unshare(ShareArgs),
    /// Push shared calls and pull teammates' edits and erasures
    Sync {
        #[arg(long)]
        json: bool,
    },
    /// The team, the queue, the last sync and its error
    Status {
        #[arg(long)]
        json: bool,
    },
    /// Per rep over a period: calls, talk share, questions, longest customer monologue, open
    /// action items, beside the published bands (a manager sees the team; a rep themself)
    View {
        /// The period: the last N days
        #[arg(long, default_value_t = 30)]
        days: i64,
        #[arg(long)]
        json: bool,
    },
    /// An account's shared calls across the team, newest first
    Account {
        name: String,
        #[arg(long, default_value_t = 50)]
        limit: i64,
        #[arg(long)]
        json: bool,
    },
    /// Search what the team shared: words, "a phrase", -word, or; and by meaning where the team
    /// library has pgvector and the sentence model is installed here
    Search {
        query: String,
        #[arg(long, default_value_t = 20)]
        limit: i64,
        #[arg(long)]
        json: bool,
    },
    /// Everything the team library holds about a person, as JSON (a manager: the whole team)
    Export {
        #[arg(long, value_name = "EMAIL")]
        contact: String,
        /// A new file to write
        #[arg(long, value_name = "FILE")]
        out: std::path::PathBuf,
        /// The team server, if not the one this library joined
        #[arg(long)]
        server: Option<String>,
    },
    /// Erase a person from the whole team library (managers only)
    Erase {
        #[arg(long, value_name = "EMAIL")]
        contact: String,
        /// The team server, if not the one this library joined
        #[arg(long)]
        server: Option<String>,
    },
}

#[derive(Args)]
#[command(group(ArgGroup::new("what").required(true).args(["call_id", "contact", "all"])))]
pub struct ShareArgs {
    call_id: Option<i64>,
    #[arg(long, value_name = "EMAIL")]
    contact: Option<String>,
    #[arg(long)]
    all: bool,
}

pub fn run(cmd: TeamCommand, data_dir: &Path) -> anyhow::Result<()> {
    match cmd {
        TeamCommand::Setup { address } => {
            let setup = app::setup_team(&address)?;
            let address = zapis::team::strip_password(&address);
            if setup.created {
                println!("Created the team library on {address}.");
            } else {
                println!("{address} already holds the team library.");
            }
            println!("Search: {}.", setup.meaning.advice());
        }
        TeamCommand::AddMember {
            address,
            role,
            name,
            manager,
            password_env,
        } => {
            let password = match &password_env {
                Some(var) => Some(std::env::var(var).map_err(|_| {
                    anyhow::anyhow!("the environment variable {var} holds no password; set it, or leave out --password-env")
                })?),
                None => None,
            };
            app::add_team_member(
                &address,
                &NewMember {
                    role: &role,
                    display_name: &name,
                    manager,
                    password: password.as_deref(),
                },
            )?;
            let what = if manager { "manager" } else { "rep" };
            println!("Added {name} ({role}) to the team as a {what}.");
        }
        TeamCommand::RemoveMember { address, role } => {
            app::remove_team_member(&address, &role)?;
            println!(
                "Removed {role} from the team; the calls they shared stay in the team library."
            );
        }
        TeamCommand::Assign {
            address,
            role,
            account,
        } => {
            app::assign_account(&address, &role, &account)?;
            println!("{role} now sees the team's shared calls with {account}.");
        }
        TeamCommand::Join {
            address,
            share_all,
            share_chosen,
        } => {
            let mut library = open_library(data_dir)?;
            let chosen = match (share_all, share_chosen) {
                (true, _) => Some(SharePolicy::AllCalls),
                (_, true) => Some(SharePolicy::ChosenCalls),
                _ => None,
            };
            let membership = app::join_team(&mut library, &address, chosen)?;
            let policy = membership.policy;
            println!(
                "Joined the team on {} as {}. {}",
                membership.server,
                membership.rep,
                match policy {
                    SharePolicy::AllCalls =>
                        "Every call everyone consented to is shared at the next sync.",
                    SharePolicy::ChosenCalls =>
                        "Nothing is shared until you choose: zapis team share CALL_ID | --contact EMAIL | --all",
                }
            );
            if zapis::team::strip_password(&address) != address.trim() {
                println!(
                    "The password was not stored; syncs take it from PGPASSWORD or ~/.pgpass."
                );
            }
        }
        TeamCommand::DefaultPolicy { address, policy } => {
            let policy = SharePolicy::parse(&policy).ok_or_else(|| {
                anyhow::anyhow!("unknown policy {policy:?}; use chosen-calls or all-calls")
            })?;
            app::set_team_default_policy(&address, policy)?;
            println!("Reps who join from now on start with: {}.", policy.as_str());
        }
        TeamCommand::Leave => {
            let mut library = open_library(data_dir)?;
            app::leave_team(&mut library)?;
            println!("Left the team. What you shared stays in the team library.");
        }
        TeamCommand::Share(args) => share(data_dir, args, true)?,
        TeamCommand::Unshare(args) => share(data_dir, args, false)?,
        TeamCommand::Sync { json } => {
            let mut library = open_library(data_dir)?;
            let report = app::sync_team(&mut library, &mut |stage, calls| {
                if !json && stage == SyncStage::CallsPushed && calls.pushed > 0 {
                    eprintln!(
                        "{} calls pushed; now their lines' meanings for the team's search by meaning (the calls are already there)…",
                        calls.pushed
                    );
                }
            })?;
            if json {
                print_json(&report)?;
            } else {
                println!(
                    "Synced: {} calls pushed, {} removed from the team library, {} kept on this computer, {} teammate edits and {} team erasures applied, {} lines made searchable by meaning; {} still queued.",
                    report.pushed,
                    report.removed,
                    report.kept_here,
                    report.edits_pulled,
                    report.people_erased,
                    report.meanings_pushed,
                    report.queued
                );
                if report.meanings_indexed > 0 {
                    println!(
                        "{} lines' meanings (yours or teammates') moved into the team library's search index.",
                        report.meanings_indexed
                    );
                }
            }
        }
        TeamCommand::Status { json } => {
            let library = open_library(data_dir)?;
            let status = app::team_status(&library)?;
            if json {
                return print_json(&status);
            }
            match &status.membership {
                None => println!(
                    "Not in a team. Join one with: zapis team join postgres://you@host/database"
                ),
                Some(m) => {
                    println!("Team server: {}", m.server);
                    println!("You are:     {}", m.rep);
                    println!("Sharing:     {}", m.policy.as_str());
                    println!("Queued:      {} calls", status.queued);
                    if status.meanings_queued > 0 {
                        println!(
                            "Meanings:    {} calls' lines still to be indexed for search by meaning (found by words until then)",
                            status.meanings_queued
                        );
                    }
                    println!(
                        "Last sync:   {}",
                        m.last_sync_at
                            .map_or("never".to_string(), |t| t.to_rfc3339())
                    );
                    if let Some(error) = &m.last_error {
                        println!("Last error:  {error}");
                    }
                }
            }
        }
        TeamCommand::View { days, json } => {
            anyhow::ensure!(days > 0, "--days must be at least 1");
            let library = open_library(data_dir)?;
            let to = chrono::Utc::now();
            let overview = app::team_overview(&library, to - chrono::Duration::days(days), to)?;
            if json {
                return print_json(&overview);
            }
            print_overview(&overview, days);
        }
        TeamCommand::Account { name, limit, json } => {
            let library = open_library(data_dir)?;
            let calls = app::team_account_history(&library, &name, limit)?;
            if json {
                return print_json(&calls);
            }
            if calls.is_empty() {
                println!("No shared calls with {name} that you may see.");
            }
            for c in &calls {
                println!(
                    "{}  {:<16} {:>4} min  {}  ({} open items{})",
                    c.started_at.format("%Y-%m-%d"),
                    c.rep,
                    c.duration_ms / 60_000,
                    c.title,
                    c.open_action_items,
                    c.sentiment
                        .as_ref()
                        .map(|s| format!(", {s}"))
                        .unwrap_or_default()
                );
            }
        }
        TeamCommand::Search { query, limit, json } => {
            let library = open_library(data_dir)?;
            let found = app::team_search(&library, &query, limit)?;
            if json {
                return print_json(&found);
            }
            match found.meaning_off {
                None => {}
                Some(app::MeaningOff::ModelNotInstalled) => eprintln!(
                    "Matched words only: the sentence model is not installed here \
                     (zapis model install minilm)."
                ),
                Some(app::MeaningOff::NotOnServer) => eprintln!(
                    "Matched words only: the team library has no search by meaning \
                     (it needs pgvector on the server, then zapis team setup)."
                ),
            }
            if found.hits.is_empty() {
                println!("Nothing the team shared matches {query:?}.");
            }
            for h in &found.hits {
                let how = match (h.by_words, h.similarity) {
                    (true, _) => String::new(),
                    (false, Some(s)) => format!("  (by meaning, {s:.2})"),
                    (false, None) => String::new(),
                };
                println!(
                    "{}  {}  {} at {}:{:02}  {}: {}{how}",
                    h.started_at.format("%Y-%m-%d"),
                    h.rep,
                    h.title,
                    h.start_ms / 60_000,
                    h.start_ms / 1000 % 60,
                    h.speaker,
                    h.text
                );
            }
        }
        TeamCommand::Export {
            contact,
            out,
            server,
        } => {
            let library = open_library(data_dir)?;
            let data = app::export_from_team(&library, server.as_deref(), &contact)?;
            write_new_file(&out, &serde_json::to_vec_pretty(&data)?)?;
            println!(
                "Exported {} shared calls about {contact} from the team library to {}{}.",
                data.calls.len(),
                out.display(),
                if data.erased_from_team {
                    " (the team erased this person)"
                } else {
                    ""
                }
            );
        }
        TeamCommand::Erase { contact, server } => {
            let library = open_library(data_dir)?;
            let erased = app::erase_from_team(&library, server.as_deref(), &contact)?;
            println!(
                "Erased {contact} from the team library: {} calls, {} transcript segments, {} action items. Each rep's next sync erases them there too; the team's audit keeps only the counts.",
                erased.calls, erased.segments, erased.action_items
            );
        }
    }
    Ok(())
}

fn share(data_dir: &Path, args: ShareArgs, shared: bool) -> anyhow::Result<()> {
    let mut library = open_library(data_dir)?;
    let verb = if shared {
        "shared"
    } else {
        "kept on this computer"
    };
    if args.all {
        let policy = if shared {
            SharePolicy::AllCalls
        } else {
            SharePolicy::ChosenCalls
        };
        let queued = app::set_share_policy(&mut library, policy)?;
        println!(
            "Sharing policy: {}. {queued} calls queued for the next sync.",
            policy.as_str()
        );
        return Ok(());
    }
    let scope = match (args.call_id, args.contact) {
        (Some(id), _) => ShareScope::Call(id),
        (None, Some(email)) => ShareScope::Contact(email),
        (None, None) => anyhow::bail!("name a call, --contact EMAIL or --all"),
    };
    let queued = app::share(&mut library, &scope, shared)?;
    match scope {
        ShareScope::Call(id) => {
            let held_back = app::call_sharing(&library, id)?.and_then(|s| s.held_back);
            match held_back {
                None => println!("Call {id} {verb}; it goes with the next sync."),
                Some(NotShared::NotChosen) => {
                    println!("Call {id} {verb}; the next sync takes it out of the team library if it is there.")
                }
                Some(NotShared::NotReady) => {
                    println!("Call {id} {verb}; it goes to the team once its notes are ready.")
                }
                Some(NotShared::ConsentMissing) => println!(
                    "Call {id} {verb}, but it stays on this computer: not everyone on it consented to recording."
                ),
            }
        }
        ShareScope::Contact(email) => {
            println!("Calls with {email} {verb}: {queued} queued for the next sync.")
        }
    }
    Ok(())
}

fn print_overview(overview: &zapis::team::TeamOverview, days: i64) {
    let (low, high) = overview.talk_share_band;
    let (q_low, q_high) = overview.questions_band;
    println!(
        "Last {days} days. Published bands: rep talk share {:.0}–{:.0} %, {q_low:.0}–{q_high:.0} questions in a discovery call.",
        low * 100.0,
        high * 100.0
    );
    println!(
        "{:<24} {:>6} {:>11} {:>10} {:>16} {:>11}",
        "rep", "calls", "talk share", "questions", "longest monolog.", "open items"
    );
    let dash = || "–".to_string();
    for r in &overview.reps {
        println!(
            "{:<24} {:>6} {:>11} {:>10} {:>16} {:>11}",
            r.name,
            r.calls,
            r.talk_share
                .map_or_else(dash, |s| format!("{:.0} %", s * 100.0)),
            r.questions_per_call
                .map_or_else(dash, |q| format!("{q:.1}")),
            r.longest_customer_monologue_ms
                .map_or_else(dash, |ms| format!("{}:{:02}", ms / 60_000, ms / 1000 % 60)),
            r.open_action_items
        );
    }
}

/// Writes a new file whole or not at all; an existing file is never replaced.
fn write_new_file(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    use std::io::Write;
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let mut file = tempfile::NamedTempFile::new_in(dir)
        .map_err(|e| anyhow::anyhow!("cannot write in {}: {e}", dir.display()))?;
    file.write_all(bytes)?;
    file.as_file().sync_all()?;
    file.persist_noclobber(path).map_err(|e| {
        anyhow::anyhow!(
            "{} already exists or cannot be written ({}); choose a new file",
            path.display(),
            e.error
        )
    })?;
    Ok(())
}
