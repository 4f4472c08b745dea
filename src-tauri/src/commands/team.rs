//! The team library (PostgreSQL): joining, what to share, syncing, and the team view.
//!
//! Choices about sharing only touch the local library and run like the other commands. Whatever
//! talks to the team server runs on the blocking pool with a library connection of its own: the
//! PostgreSQL client blocks (and drives a runtime of its own, which must not start on one of
//! Tauri's async workers), and a slow or unreachable server must hold neither the window nor the
//! library the other commands share.

use chrono::{Duration, Utc};
use tauri::{AppHandle, Emitter, Manager, State};

use super::{message, CommandResult};
use crate::state::AppState;
use zapis::app::{self, TeamSearch, TeamStatus};
use zapis::storage::{CallSharing, Library, Membership, SharePolicy, ShareScope, StorageError};
use zapis::team::{SharedCall, SyncReport, TeamOverview};

/// Announced after every sync, from the Settings button or the background: what a call page
/// shows about its standing may have changed.
pub const SYNCED_EVENT: &str = "zapis://team-synced";

/// As many as `zapis team account` and `zapis team search` show by default.
const ACCOUNT_HISTORY_LIMIT: i64 = 50;
const SEARCH_LIMIT: i64 = 20;
/// The longest period the team view covers, in days.
const MAX_DAYS: i64 = 366;

#[tauri::command]
pub fn team_status(state: State<'_, AppState>) -> CommandResult<TeamStatus> {
    Ok(app::team_status(&state.library())?)
}

/// Joins the team on `address` as its user; `share_all` shares every call everyone consented
/// to, otherwise only the calls the rep chooses. A password in the address goes to the system
/// keyring once it has logged in, and the address is stored without it.
#[tauri::command]
pub async fn team_join(
    handle: AppHandle,
    address: String,
    share_all: bool,
) -> CommandResult<Membership> {
    let policy = if share_all {
        SharePolicy::AllCalls
    } else {
        SharePolicy::ChosenCalls
    };
    with_server(handle, move |library| {
        Ok(app::join_team(library, &address, Some(policy))?)
    })
    .await
}

/// Leaves the team: nothing more is pushed; what was shared stays in the team library.
#[tauri::command(async)]
pub fn team_leave(state: State<'_, AppState>) -> CommandResult<()> {
    Ok(app::leave_team(&mut state.library())?)
}

/// Shares a call with the team (or keeps it on this computer); returns how many calls wait for
/// the next sync.
#[tauri::command(async)]
pub fn team_share_call(
    state: State<'_, AppState>,
    call_id: i64,
    shared: bool,
) -> CommandResult<usize> {
    Ok(app::share(
        &mut state.library(),
        &ShareScope::Call(call_id),
        shared,
    )?)
}

/// Where a call stands with the team, for the call view's switch; null when not joined.
#[tauri::command(async)]
pub fn team_call_sharing(
    state: State<'_, AppState>,
    call_id: i64,
) -> CommandResult<Option<CallSharing>> {
    Ok(app::call_sharing(&state.library(), call_id)?)
}

/// Shares every call with a contact (or keeps them on this computer).
#[tauri::command(async)]
pub fn team_share_contact(
    state: State<'_, AppState>,
    email: String,
    shared: bool,
) -> CommandResult<usize> {
    Ok(app::share(
        &mut state.library(),
        &ShareScope::Contact(email),
        shared,
    )?)
}

/// `chosen-calls` or `all-calls`; anything else is refused, never read as a default.
#[tauri::command(async)]
pub fn team_set_policy(state: State<'_, AppState>, policy: String) -> CommandResult<usize> {
    let policy = SharePolicy::parse(&policy).ok_or_else(|| StorageError::Invalid {
        what: "sharing policy",
        detail: format!("{policy:?} is not one; use chosen-calls or all-calls"),
    })?;
    Ok(app::set_share_policy(&mut state.library(), policy)?)
}

#[tauri::command]
pub async fn team_sync(handle: AppHandle) -> CommandResult<SyncReport> {
    let report = with_server(handle.clone(), |library| {
        Ok(app::sync_team(library, &mut |_, _| {})?)
    })
    .await;
    let _ = handle.emit(SYNCED_EVENT, ());
    report
}

/// The team view over the last `days` days, as the joined role may see it.
#[tauri::command]
pub async fn team_overview(handle: AppHandle, days: i64) -> CommandResult<TeamOverview> {
    if !(1..=MAX_DAYS).contains(&days) {
        return Err(StorageError::Invalid {
            what: "period",
            detail: format!("{days} days; choose 1 to {MAX_DAYS}"),
        }
        .into());
    }
    with_server(handle, move |library| {
        let to = Utc::now();
        Ok(app::team_overview(library, to - Duration::days(days), to)?)
    })
    .await
}

/// An account's shared calls across the team, newest first.
#[tauri::command]
pub async fn team_account_history(
    handle: AppHandle,
    account: String,
) -> CommandResult<Vec<SharedCall>> {
    if account.trim().is_empty() {
        return Ok(Vec::new());
    }
    with_server(handle, move |library| {
        Ok(app::team_account_history(
            library,
            &account,
            ACCOUNT_HISTORY_LIMIT,
        )?)
    })
    .await
}

/// Searches what the team shared (words, "a phrase", -word, or; and by meaning where the team
/// library has pgvector and this computer the sentence model), best first.
#[tauri::command]
pub async fn team_search(handle: AppHandle, query: String) -> CommandResult<TeamSearch> {
    if query.trim().is_empty() {
        return Ok(TeamSearch {
            hits: Vec::new(),
            meaning_off: None,
        });
    }
    with_server(handle, move |library| {
        Ok(app::team_search(library, &query, SEARCH_LIMIT)?)
    })
    .await
}

/// Runs `work` on the blocking pool with its own connection to the library.
async fn with_server<T, F>(handle: AppHandle, work: F) -> CommandResult<T>
where
    T: Send + 'static,
    F: FnOnce(&mut Library) -> CommandResult<T> + Send + 'static,
{
    tauri::async_runtime::spawn_blocking(move || {
        let data_dir = handle.state::<AppState>().data_dir.clone();
        let mut library = Library::open(&data_dir)?;
        work(&mut library)
    })
    .await
    .map_err(message)?
}

#[cfg(test)]
mod tests {
    //! The UI's contract samples of the team commands are what these types serialise to: each
    //! sample, built here as the Rust value, must give the same JSON, key for key.

    use super::*;
    use chrono::DateTime;
    use zapis::team::{RepOverview, TeamHit};

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    fn sample(text: &str) -> serde_json::Value {
        serde_json::from_str(text).unwrap()
    }

    fn assert_same(rust: impl serde::Serialize, text: &str) {
        assert_eq!(serde_json::to_value(rust).unwrap(), sample(text));
    }

    #[test]
    fn team_status_sample() {
        let status = TeamStatus {
            membership: Some(Membership {
                server: "postgres://priya@team.example.com/sales".into(),
                rep: "priya".into(),
                joined_at: at("2026-02-16T08:30:00Z"),
                policy: SharePolicy::ChosenCalls,
                last_sync_at: Some(at("2026-03-02T10:05:12Z")),
                last_error: None,
                pulled_until: Some(at("2026-03-02T09:58:41.204518Z")),
                erasures_seen: 0,
            }),
            queued: 2,
            meanings_queued: 1,
        };
        assert_same(
            status,
            include_str!("../../../ui/src/lib/contract-samples/team_status.json"),
        );
    }

    #[test]
    fn team_sync_sample() {
        let report = SyncReport {
            pushed: 3,
            removed: 1,
            kept_here: 4,
            edits_pulled: 2,
            people_erased: 0,
            queued: 0,
            meanings_pushed: 412,
            meanings_indexed: 500,
        };
        assert_same(
            report,
            include_str!("../../../ui/src/lib/contract-samples/team_sync.json"),
        );
    }

    #[test]
    fn team_overview_sample() {
        let rep = |rep: &str, name: &str, calls, talk, questions, monologue, open| RepOverview {
            rep: rep.into(),
            name: name.into(),
            calls,
            talk_share: talk,
            questions_per_call: questions,
            longest_customer_monologue_ms: monologue,
            open_action_items: open,
        };
        let overview = TeamOverview {
            from: at("2026-01-31T10:05:12.418023Z"),
            to: at("2026-03-02T10:05:12.418023Z"),
            reps: vec![
                rep(
                    "ana",
                    "Ana Petrović",
                    14,
                    Some(0.61),
                    Some(8.5),
                    Some(154_000),
                    5,
                ),
                rep(
                    "james",
                    "James Carter",
                    9,
                    Some(0.48),
                    Some(12.25),
                    Some(71_000),
                    2,
                ),
                rep("mia", "Mia Manager", 0, None, None, None, 0),
                rep(
                    "priya",
                    "Priya Nair",
                    11,
                    Some(0.39),
                    Some(15.5),
                    Some(263_000),
                    7,
                ),
            ],
            talk_share_band: zapis::team::TALK_SHARE_BAND,
            questions_band: zapis::team::QUESTIONS_BAND,
        };
        assert_same(
            overview,
            include_str!("../../../ui/src/lib/contract-samples/team_overview.json"),
        );
    }

    #[test]
    fn team_account_history_sample() {
        let calls = vec![
            SharedCall {
                global_id: "3f6c2a1e-8b4d-4c1a-9e2f-5d7b8a9c0e11".into(),
                rep: "priya".into(),
                title: "03 pricing negotiation".into(),
                started_at: at("2026-03-02T00:00:00Z"),
                duration_ms: 197_649,
                account: Some("Acme".into()),
                sentiment: Some("neutral".into()),
                open_action_items: 6,
            },
            SharedCall {
                global_id: "9a1b7c3d-2e4f-4a5b-8c6d-0e1f2a3b4c5d".into(),
                rep: "ana".into(),
                title: "Acme discovery".into(),
                started_at: at("2026-02-11T14:30:00Z"),
                duration_ms: 1_804_000,
                account: Some("Acme".into()),
                sentiment: None,
                open_action_items: 0,
            },
        ];
        assert_same(
            calls,
            include_str!("../../../ui/src/lib/contract-samples/team_account_history.json"),
        );
    }

    #[test]
    fn team_search_sample() {
        let found = TeamSearch {
            hits: team_search_hits(),
            meaning_off: None,
        };
        assert_same(
            found,
            include_str!("../../../ui/src/lib/contract-samples/team_search.json"),
        );
    }

    fn team_search_hits() -> Vec<TeamHit> {
        vec![
            TeamHit {
                global_id: "3f6c2a1e-8b4d-4c1a-9e2f-5d7b8a9c0e11".into(),
                rep: "priya".into(),
                title: "03 pricing negotiation".into(),
                started_at: at("2026-03-02T00:00:00Z"),
                speaker: "Tom Becker".into(),
                start_ms: 14_085,
                text: "Well, the functionality is what we need, no question. \
                       The number is higher than we budgeted, though."
                    .into(),
                rank: 0.0,
                by_words: false,
                similarity: Some(0.625),
            },
            TeamHit {
                global_id: "9a1b7c3d-2e4f-4a5b-8c6d-0e1f2a3b4c5d".into(),
                rep: "ana".into(),
                title: "Acme discovery".into(),
                started_at: at("2026-02-11T14:30:00Z"),
                speaker: "Ana Petrović".into(),
                start_ms: 734_000,
                text: "What budget did you set aside for this next year?".into(),
                rank: 0.25,
                by_words: true,
                similarity: Some(0.5),
            },
        ]
    }
}
