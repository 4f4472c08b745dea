//! The team library's workflows: a manager sets it up and adds people; a rep joins, chooses
//! what to share, and syncs; a manager erases a person team-wide. Sharing is off until the rep
//! chooses (by call, by contact, or every call), and only calls everyone consented to ever go.
//! A password given with the address at joining is kept in the system keyring, never the data
//! folder.

use serde::Serialize;

use super::AppError;
use crate::semantic;
use crate::storage::{CallSharing, Library, Membership, SharePolicy, ShareScope};
use crate::team::{
    self, NewMember, Server, SharedCall, SyncReport, SyncStage, TeamErasure, TeamError, TeamHit,
    TeamOverview, TeamSetup,
};

/// What `zapis team status` and the app's settings show.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct TeamStatus {
    pub membership: Option<Membership>,
    /// Calls whose changes wait to be pushed.
    pub queued: usize,
    /// Pushed calls whose lines' sentence vectors wait to go (the team searches by meaning);
    /// until then the team finds those lines by their words only.
    pub meanings_queued: usize,
}

/// Creates the team library on `address` (as a role that may create roles), or checks the one
/// there, and adds search by meaning where the database has pgvector.
pub fn setup_team(address: &str) -> Result<TeamSetup, AppError> {
    let server = Server::parse(address)?;
    let mut client = server.connect()?;
    Ok(team::setup(&server, &mut client)?)
}

/// Adds a rep or manager to the team library on `address` (run by its administrator).
pub fn add_team_member(address: &str, member: &NewMember<'_>) -> Result<(), AppError> {
    let server = Server::parse(address)?;
    let mut client = server.connect()?;
    Ok(team::add_member(&server, &mut client, member)?)
}

pub fn remove_team_member(address: &str, role: &str) -> Result<(), AppError> {
    let server = Server::parse(address)?;
    let mut client = server.connect()?;
    Ok(team::remove_member(&server, &mut client, role)?)
}

pub fn assign_account(address: &str, role: &str, account: &str) -> Result<(), AppError> {
    let server = Server::parse(address)?;
    let mut client = server.connect()?;
    Ok(team::assign_account(&server, &mut client, role, account)?)
}

/// Joins the team on `address` as the address's user, after checking that the server holds a
/// team library and lists the user as a member. The address is kept without its password.
/// Without a `policy`, the rep starts with the team's default.
pub fn join_team(
    library: &mut Library,
    address: &str,
    policy: Option<SharePolicy>,
) -> Result<Membership, AppError> {
    let server = Server::parse(address)?.for_library(library.data_dir());
    let mut client = server.connect()?;
    team::check_member(&server, &mut client)?;
    let policy = match policy {
        Some(policy) => policy,
        None => team::default_policy(&server, &mut client)?,
    };
    let earlier = library.team_membership()?;
    // The password that just logged in goes to the system keyring, so later syncs (the app's
    // background ones too) find it; without a keyring, joining stops here and says what to do.
    if let Some(password) = server.given_password() {
        team::keep_password(server.address(), library.data_dir(), &password).map_err(|reason| {
            TeamError::NoKeyring {
                address: server.address().to_string(),
                reason,
            }
        })?;
    }
    library.join_team(server.address(), server.user(), policy)?;
    // Joined again under another address: the password kept for the old one goes.
    if let Some(earlier) = earlier.filter(|m| m.server != server.address()) {
        forget_kept_password(&earlier.server, library.data_dir());
    }
    library.team_membership()?.ok_or_else(|| {
        AppError::from(TeamError::NotAMember {
            address: server.address().to_string(),
            user: server.user().to_string(),
        })
    })
}

/// Sets the team's default sharing policy on `address` (a manager or the server's owner).
pub fn set_team_default_policy(address: &str, policy: SharePolicy) -> Result<(), AppError> {
    let server = Server::parse(address)?;
    let mut client = server.connect()?;
    Ok(team::set_default_policy(&server, &mut client, policy)?)
}

/// Shares (or keeps out) a call or every call with a contact; returns how many calls were
/// queued for the next sync.
pub fn share(library: &mut Library, scope: &ShareScope, shared: bool) -> Result<usize, AppError> {
    Ok(library.set_team_share(scope, shared)?)
}

/// Where a call stands with the team: whether the rep's choices send it, and why it stays on
/// this computer if it does; `None` when this library has not joined a team.
pub fn call_sharing(library: &Library, call_id: i64) -> Result<Option<CallSharing>, AppError> {
    Ok(library.call_sharing(call_id)?)
}

/// Sets the default for calls the rep has not chosen about.
pub fn set_share_policy(library: &mut Library, policy: SharePolicy) -> Result<usize, AppError> {
    Ok(library.set_team_policy(policy)?)
}

/// Syncs with the joined team. A server that cannot be reached is normal (offline): the error
/// says so, is kept for the status, and the queue waits. `progress` hears when the calls are
/// in the team library, and when their lines' vectors are (see [`team::sync_with`]).
pub fn sync_team(
    library: &mut Library,
    progress: &mut dyn FnMut(SyncStage, &SyncReport),
) -> Result<SyncReport, AppError> {
    let membership = library.team_membership()?.ok_or_else(not_joined)?;
    let server = Server::parse(&membership.server)?.for_library(library.data_dir());
    let mut client = match server.connect() {
        Ok(client) => client,
        Err(e) => {
            library.record_team_sync(Some(&e.to_string()))?;
            return Err(e.into());
        }
    };
    Ok(team::sync_with(library, &server, &mut client, progress)?)
}

pub fn team_status(library: &Library) -> Result<TeamStatus, AppError> {
    Ok(TeamStatus {
        membership: library.team_membership()?,
        queued: library.team_outbox()?.len(),
        meanings_queued: library.team_meanings_queue()?.len(),
    })
}

/// Leaves the team: nothing more is pushed; what was shared stays in the team library.
pub fn leave_team(library: &mut Library) -> Result<(), AppError> {
    let membership = library.team_membership()?;
    library.leave_team()?;
    if let Some(membership) = membership {
        forget_kept_password(&membership.server, library.data_dir());
    }
    Ok(())
}

/// The keyring may be locked or gone; leaving (or moving to another address) still counts, so a
/// password that cannot be removed is logged, not an error.
fn forget_kept_password(address: &str, data_dir: &std::path::Path) {
    if let Err(reason) = team::forget_password(address, data_dir) {
        tracing::warn!(
            address,
            reason,
            "the team password stays in the system keyring; remove the 'zapis-team' entry there"
        );
    }
}

/// A manager erases a person from the whole team library, through the team this library joined
/// (or `address` when given). Every rep's next sync erases them locally too.
pub fn erase_from_team(
    library: &Library,
    address: Option<&str>,
    email: &str,
) -> Result<TeamErasure, AppError> {
    let (server, mut client) = connect(library, address)?;
    Ok(team::erase_person(&server, &mut client, email)?)
}

/// Everything the team library holds about a person, as the joined role (or the role of
/// `address`) may see it: for a manager, the whole team.
pub fn export_from_team(
    library: &Library,
    address: Option<&str>,
    email: &str,
) -> Result<team::TeamPersonExport, AppError> {
    let (server, mut client) = connect(library, address)?;
    Ok(team::export_person(&server, &mut client, email)?)
}

/// The team view over `[from, to)`, as the joined role may see it (a manager: the team).
pub fn team_overview(
    library: &Library,
    from: chrono::DateTime<chrono::Utc>,
    to: chrono::DateTime<chrono::Utc>,
) -> Result<TeamOverview, AppError> {
    let (server, mut client) = connect(library, None)?;
    Ok(team::overview(&server, &mut client, from, to)?)
}

/// An account's shared calls across the team, newest first.
pub fn team_account_history(
    library: &Library,
    account: &str,
    limit: i64,
) -> Result<Vec<SharedCall>, AppError> {
    let (server, mut client) = connect(library, None)?;
    Ok(team::account_history(&server, &mut client, account, limit)?)
}

/// What a team search found, and whether it also ranked by meaning.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct TeamSearch {
    pub hits: Vec<TeamHit>,
    /// Why lines were matched by their words only; None when meaning counted too.
    pub meaning_off: Option<MeaningOff>,
}

/// Why a team search could not rank by meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum MeaningOff {
    /// The sentence model is not installed on this computer (`zapis model install minilm`).
    ModelNotInstalled,
    /// The team's database has no search by meaning: it needs pgvector, then `zapis team setup`.
    NotOnServer,
}

/// Candidates taken from each list before fusing (as for the library's own search).
const TEAM_CANDIDATES: i64 = 200;

/// Search across what the team shared (and the joined role may see): lines with the words asked
/// for (PostgreSQL full-text search) and, where both this computer has the sentence model and the
/// team's database has pgvector, lines that mean something close, fused into one ranking.
pub fn team_search(library: &Library, query: &str, limit: i64) -> Result<TeamSearch, AppError> {
    let (server, mut client) = connect(library, None)?;
    let candidates = limit.max(TEAM_CANDIDATES);
    let by_words = team::search(&server, &mut client, query, candidates)?;
    let (by_meaning, meaning_off) = if !team::has_meaning_search(&server, &mut client)? {
        (Vec::new(), Some(MeaningOff::NotOnServer))
    } else {
        match semantic::shared_embedder(library.data_dir())? {
            None => (Vec::new(), Some(MeaningOff::ModelNotInstalled)),
            Some(_) if query.trim().is_empty() => (Vec::new(), None),
            Some(embedder) => {
                let vector = embedder.embed(&[query.trim()])?.pop().unwrap_or_default();
                let hits = team::search_by_meaning(&server, &mut client, &vector, candidates)?;
                (hits, None)
            }
        }
    };
    // A line is the same line in both lists by its call, start and speaker.
    type Key = (String, i64, String);
    let key = |h: &TeamHit| (h.global_id.clone(), h.start_ms, h.speaker.clone());
    let word_keys: Vec<Key> = by_words.iter().map(key).collect();
    let meaning_keys: Vec<(Key, f32)> = by_meaning
        .iter()
        .map(|h| (key(h), h.similarity.unwrap_or(0.0)))
        .collect();
    let mut found: std::collections::HashMap<Key, TeamHit> = by_meaning
        .into_iter()
        .chain(by_words)
        .map(|h| (key(&h), h))
        .collect();
    let limit = usize::try_from(limit).unwrap_or(0);
    let hits = semantic::fuse(&word_keys, &meaning_keys, limit)
        .into_iter()
        .filter_map(|ranked| {
            let mut hit = found.remove(&ranked.key)?;
            hit.by_words = ranked.by_words;
            hit.similarity = ranked.similarity;
            Some(hit)
        })
        .collect();
    Ok(TeamSearch { hits, meaning_off })
}

/// Connects to `address`, or to the team this library joined.
fn connect(
    library: &Library,
    address: Option<&str>,
) -> Result<(Server, postgres::Client), AppError> {
    let address = match address {
        Some(address) => address.to_string(),
        None => library.team_membership()?.ok_or_else(not_joined)?.server,
    };
    let server = Server::parse(&address)?.for_library(library.data_dir());
    let client = server.connect()?;
    Ok((server, client))
}

fn not_joined() -> AppError {
    AppError::from(crate::storage::StorageError::Invalid {
        what: "team",
        detail: "this library has not joined a team: run `zapis team join postgres://…` first"
            .into(),
    })
}
