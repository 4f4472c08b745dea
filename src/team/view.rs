//! What the team library shows: per rep over a period (the manager's coaching view), an
//! account's history across reps, and team-wide search. Every query runs as the logged-in role,
//! so row-level security decides what is in it: a rep who opens the team view sees only what
//! they may see.

use chrono::{DateTime, Utc};
use postgres::Client;
use serde::Serialize;

use super::connect::Server;
use super::TeamError;

/// Published ranges the team view draws beside each rep (Gong Labs' research on won B2B sales
/// calls, as the issue that asked for this view quotes it): the rep's share of the talking, and
/// the questions a rep asks in a discovery call.
pub const TALK_SHARE_BAND: (f64, f64) = (0.43, 0.57);
pub const QUESTIONS_BAND: (f64, f64) = (11.0, 14.0);

/// One rep's calls in a period.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct RepOverview {
    pub rep: String,
    pub name: String,
    pub calls: i64,
    /// Averages over the calls that have them; None without calls.
    pub talk_share: Option<f64>,
    pub questions_per_call: Option<f64>,
    pub longest_customer_monologue_ms: Option<i64>,
    pub open_action_items: i64,
}

/// The team view: every rep the caller may see, with the benchmark bands.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct TeamOverview {
    #[ts(type = "string")]
    pub from: DateTime<Utc>,
    #[ts(type = "string")]
    pub to: DateTime<Utc>,
    pub reps: Vec<RepOverview>,
    pub talk_share_band: (f64, f64),
    pub questions_band: (f64, f64),
}

/// A shared call in a list (an account's history, a search hit's call).
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct SharedCall {
    pub global_id: String,
    pub rep: String,
    pub title: String,
    #[ts(type = "string")]
    pub started_at: DateTime<Utc>,
    pub duration_ms: i64,
    pub account: Option<String>,
    pub sentiment: Option<String>,
    pub open_action_items: i64,
}

/// One segment that matched a team search.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct TeamHit {
    pub global_id: String,
    pub rep: String,
    pub title: String,
    #[ts(type = "string")]
    pub started_at: DateTime<Utc>,
    pub speaker: String,
    pub start_ms: i64,
    pub text: String,
    /// Full-text rank (0 for a line found by meaning only).
    pub rank: f32,
    /// It contains the words asked for.
    pub by_words: bool,
    /// How close its meaning is (cosine, 0–1), when it was found by meaning.
    pub similarity: Option<f32>,
}

/// Per rep over `[from, to)`.
pub fn overview(
    server: &Server,
    client: &mut Client,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<TeamOverview, TeamError> {
    let rows = client
        .query(
            "WITH period AS (
                 SELECT c.rep, count(*) AS calls, avg(c.rep_talk_share)::float8 AS talk_share,
                        avg(c.rep_questions)::float8 AS questions,
                        max(c.longest_customer_monologue_ms) AS monologue,
                        sum(c.open_action_items)::int8 AS open_items
                 FROM zapis.calls c WHERE c.started_at >= $1 AND c.started_at < $2
                 GROUP BY c.rep)
             SELECT r.role_name, r.display_name, coalesce(p.calls, 0), p.talk_share, p.questions,
                    p.monologue, coalesce(p.open_items, 0)
             FROM zapis.reps r
             LEFT JOIN period p ON p.rep = r.role_name
             WHERE r.removed_at IS NULL AND (p.calls IS NOT NULL OR r.role_name = session_user
                   OR (SELECT zapis.is_manager()))
             ORDER BY r.display_name",
            &[&from, &to],
        )
        .map_err(|e| server.error(e))?;
    Ok(TeamOverview {
        from,
        to,
        reps: rows
            .iter()
            .map(|r| RepOverview {
                rep: r.get(0),
                name: r.get(1),
                calls: r.get(2),
                talk_share: r.get(3),
                questions_per_call: r.get(4),
                longest_customer_monologue_ms: r.get(5),
                open_action_items: r.get(6),
            })
            .collect(),
        talk_share_band: TALK_SHARE_BAND,
        questions_band: QUESTIONS_BAND,
    })
}

/// An account's shared calls across reps, newest first.
pub fn account_history(
    server: &Server,
    client: &mut Client,
    account: &str,
    limit: i64,
) -> Result<Vec<SharedCall>, TeamError> {
    let rows = client
        .query(
            "SELECT c.global_id, c.rep, c.title, c.started_at, c.duration_ms, c.account,
                    c.sentiment_label, c.open_action_items::int8
             FROM zapis.calls c WHERE lower(c.account) = lower($1)
             ORDER BY c.started_at DESC LIMIT $2",
            &[&account.trim(), &limit],
        )
        .map_err(|e| server.error(e))?;
    Ok(rows
        .iter()
        .map(|r| SharedCall {
            global_id: r.get(0),
            rep: r.get(1),
            title: r.get(2),
            started_at: r.get(3),
            duration_ms: r.get(4),
            account: r.get(5),
            sentiment: r.get(6),
            open_action_items: r.get(7),
        })
        .collect())
}

/// Team-wide full-text search (web-search syntax: words, "a phrase", -word, or), the newest
/// calls first.
pub fn search(
    server: &Server,
    client: &mut Client,
    query: &str,
    limit: i64,
) -> Result<Vec<TeamHit>, TeamError> {
    let rows = client
        .query(
            // A function on the server: see schema.sql for why search cannot go through the
            // row-level security policies directly.
            "SELECT global_id, rep, title, started_at, speaker, start_ms, line, rank
             FROM zapis.search($1, ($2::bigint)::integer)",
            &[&query, &limit],
        )
        .map_err(|e| server.error(e))?;
    Ok(rows
        .iter()
        .map(|r| TeamHit {
            rank: r.get(7),
            by_words: true,
            ..hit(r)
        })
        .collect())
}

/// A hit from a search function's row (global_id, rep, title, started_at, speaker, start_ms,
/// line, then the function's own score), not yet scored.
fn hit(r: &postgres::Row) -> TeamHit {
    TeamHit {
        global_id: r.get(0),
        rep: r.get(1),
        title: r.get(2),
        started_at: r.get(3),
        speaker: r.get(4),
        start_ms: r.get(5),
        text: r.get(6),
        rank: 0.0,
        by_words: false,
        similarity: None,
    }
}

/// The lines nearest in meaning to `query_vector` (a sentence vector made on this machine) among
/// those the caller may see, nearest first. Only for a team library with search by meaning
/// (see [`super::admin::has_meaning_search`]).
pub fn search_by_meaning(
    server: &Server,
    client: &mut Client,
    query_vector: &[f32],
    limit: i64,
) -> Result<Vec<TeamHit>, TeamError> {
    // The HNSW walk keeps `ef_search` candidates (pgvector's default: 40). Asked for more lines
    // than that, it found only about two thirds of the nearest 20 a manager's exact scan finds;
    // keeping as many candidates as lines asked for is what pgvector advises. Set per
    // transaction, so a library set up before this needs nothing new.
    let mut tx = client.transaction().map_err(|e| server.error(e))?;
    tx.batch_execute(&format!(
        "SET LOCAL hnsw.ef_search = {}",
        limit.clamp(40, 1000)
    ))
    .map_err(|e| server.error(e))?;
    let rows = tx
        .query(
            "SELECT global_id, rep, title, started_at, speaker, start_ms, line, similarity
             FROM zapis.search_by_meaning($1, ($2::bigint)::integer)",
            &[&query_vector, &limit],
        )
        .map_err(|e| server.error(e))?;
    tx.commit().map_err(|e| server.error(e))?;
    Ok(rows
        .iter()
        .map(|r| TeamHit {
            similarity: Some(r.get(7)),
            ..hit(r)
        })
        .collect())
}
