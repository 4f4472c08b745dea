//! One sync between this library and the team's: team erasures first (so nothing erased is
//! pushed again), then teammates' edits to this rep's action items, then the outbox in order,
//! then the pushed calls' line vectors where the team searches by meaning (`meanings`).
//! Each call is pushed in one PostgreSQL transaction and its outbox entry is marked done only
//! after that commit, so a sync cut off at any point loses nothing and a re-push of the same
//! call replaces it (its global id) instead of doubling it.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use postgres::{Client, Transaction};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::admin::{self, VectorStore};
use super::connect::Server;
use super::{metrics, TeamError};
use crate::storage::{CallSnapshot, Library, Membership, OutboxEntry, TeammateEdit};

/// What a sync did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct SyncReport {
    /// Calls pushed (new or changed).
    pub pushed: usize,
    /// Calls removed from the team library (erased here, consent withdrawn, unshared).
    pub removed: usize,
    /// Queued calls that stay on this machine (not shared, not ready, consent missing).
    pub kept_here: usize,
    /// Teammates' edits to action items applied here.
    pub edits_pulled: usize,
    /// People a manager erased from the team, erased here too.
    pub people_erased: usize,
    /// Changes still queued (a call that changed again during the sync).
    pub queued: usize,
    /// Transcript lines whose sentence vectors went to the team library.
    pub meanings_pushed: usize,
    /// Lines (this rep's or teammates') whose vectors this sync moved into the team library's
    /// search graph; found by meaning before that too, by an exact comparison.
    pub meanings_indexed: usize,
}

/// The lock a push holds shared and a team erasure exclusively (see schema.sql).
const ERASURE_LOCK: &str = "SELECT pg_advisory_xact_lock_shared(hashtext('zapis.erasure'))";

/// Syncs `library` with the team library on `server`. On failure the library records the
/// error (for `zapis team status`) and everything not yet pushed stays queued.
pub fn sync(
    library: &mut Library,
    server: &Server,
    client: &mut Client,
) -> Result<SyncReport, TeamError> {
    sync_with(library, server, client, &mut |_, _| {})
}

/// How far a sync has come, for [`sync_with`]'s `progress`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncStage {
    /// The calls are in the team library: the team sees them and finds their lines by words.
    /// Their lines' vectors go next (a minute or so for a long history).
    CallsPushed,
    /// The lines' vectors are there too: the team finds the lines by meaning. Moving a batch of
    /// them into the server's search graph is next (at most `GRAPH_BUDGET`).
    MeaningsPushed,
}

/// [`sync`], calling `progress` at each [`SyncStage`] reached, with the report so far.
pub fn sync_with(
    library: &mut Library,
    server: &Server,
    client: &mut Client,
    progress: &mut dyn FnMut(SyncStage, &SyncReport),
) -> Result<SyncReport, TeamError> {
    let result = run(library, server, client, progress);
    let message = result.as_ref().err().map(|e| e.to_string());
    library.record_team_sync(message.as_deref())?;
    result
}

fn run(
    library: &mut Library,
    server: &Server,
    client: &mut Client,
    progress: &mut dyn FnMut(SyncStage, &SyncReport),
) -> Result<SyncReport, TeamError> {
    check_member(server, client)?;
    let membership = library.team_membership()?.ok_or_else(|| {
        TeamError::from(crate::storage::StorageError::Invalid {
            what: "team",
            detail: "this library has not joined a team: run `zapis team join postgres://…` first"
                .into(),
        })
    })?;
    let server_ahead = server_clock_ahead(server, client)?;
    let mut report = SyncReport {
        people_erased: apply_team_erasures(library, &membership, server, client)?,
        edits_pulled: pull_edits(library, &membership, server, client, server_ahead)?,
        ..SyncReport::default()
    };
    let vectors = admin::vector_store(server, client)?;
    for entry in library.team_outbox()? {
        match library.team_snapshot(entry.call_id)? {
            Some(Ok(snapshot)) => {
                if push_call(server, client, &snapshot, vectors, server_ahead)? {
                    if vectors.is_some() {
                        library.team_meanings_due(&entry.global_id, entry.call_id)?;
                    }
                    report.pushed += 1;
                } else {
                    report.removed += 1;
                }
            }
            // Gone here, or no longer shareable: the team must not keep it either.
            gone_or_kept => {
                if remove_call(server, client, &entry)? {
                    report.removed += 1;
                } else if gone_or_kept.is_some() {
                    report.kept_here += 1;
                }
            }
        }
        library.team_outbox_done(&entry)?;
    }
    report.queued = library.team_outbox()?.len();
    progress(SyncStage::CallsPushed, &report);
    if let Some(store) = vectors {
        report.meanings_pushed = super::meanings::push_due(library, server, client, store)?;
        progress(SyncStage::MeaningsPushed, &report);
        if store == VectorStore::FreshThenGraph {
            report.meanings_indexed = super::meanings::move_into_graph(server, client);
        }
    }
    Ok(report)
}

/// How far the server's clock is ahead of this machine's (negative: behind), read halfway
/// through one round trip (Cristian's method; off by at most half of it). The last writer of an
/// action item is decided on one clock: a rep's edits are stamped here, a teammate's on the
/// server, and a laptop's clock may be minutes or hours off.
fn server_clock_ahead(server: &Server, client: &mut Client) -> Result<chrono::Duration, TeamError> {
    let sent = Utc::now();
    let server_now: DateTime<Utc> = client
        .query_one("SELECT clock_timestamp()", &[])
        .map_err(|e| server.error(e))?
        .get(0);
    let received = Utc::now();
    Ok(server_now - (sent + (received - sent) / 2))
}

/// The team library is there, of a version this Zapis reads, and the address's user is an
/// active member of the team.
pub fn check_member(server: &Server, client: &mut Client) -> Result<(), TeamError> {
    match admin::schema_version(server, client)? {
        None => {
            return Err(TeamError::NoTeamLibrary {
                address: server.address().to_string(),
            })
        }
        Some(found) => admin::check_version(server, found)?,
    }
    let active: bool = client
        .query_one("SELECT zapis.is_active_rep()", &[])
        .map_err(|e| server.error(e))?
        .get(0);
    if !active {
        return Err(TeamError::NotAMember {
            address: server.address().to_string(),
            user: server.user().to_string(),
        });
    }
    Ok(())
}

/// Erases here every person a manager erased from the team since the last sync.
fn apply_team_erasures(
    library: &mut Library,
    membership: &Membership,
    server: &Server,
    client: &mut Client,
) -> Result<usize, TeamError> {
    let rows = client
        .query(
            "SELECT seq, subject_hash FROM zapis.erasures WHERE seq > $1 ORDER BY seq",
            &[&membership.erasures_seen],
        )
        .map_err(|e| server.error(e))?;
    let Some(last) = rows.last().map(|r| r.get::<_, i64>(0)) else {
        return Ok(0);
    };
    let by_hash: HashMap<String, String> = library
        .known_emails()?
        .into_iter()
        .map(|email| (email_hash(&email), email))
        .collect();
    let mut erased = 0;
    for row in &rows {
        if let Some(email) = by_hash.get(&row.get::<_, String>(1)) {
            crate::privacy::erase(library, email)?;
            erased += 1;
        }
    }
    library.set_team_erasures_seen(last)?;
    Ok(erased)
}

/// How far back each pull looks before the newest edit it saw last time. An edit is stamped
/// with its transaction's start (`now()` in schema.sql) but becomes visible at its commit, so
/// a teammate's transaction still open during one pull commits with a stamp older than what
/// that pull saw. Applying an edit twice changes nothing, so looking back costs a few rows.
const PULL_LOOKBACK: &str = "5 minutes";

/// Applies teammates' edits to this rep's action items made since the last pull.
fn pull_edits(
    library: &mut Library,
    membership: &Membership,
    server: &Server,
    client: &mut Client,
    server_ahead: chrono::Duration,
) -> Result<usize, TeamError> {
    let rows = client
        .query(
            &format!(
                "SELECT a.global_id, a.text, a.due_date, a.done, a.updated_at, a.updated_by
                 FROM zapis.action_items a JOIN zapis.calls c ON c.global_id = a.call_id
                 WHERE c.rep = current_user AND a.updated_by IS NOT NULL
                   AND a.updated_by <> current_user
                   AND a.updated_at > coalesce($1, '-infinity'::timestamptz)
                                      - interval '{PULL_LOOKBACK}'
                 ORDER BY a.updated_at"
            ),
            &[&membership.pulled_until],
        )
        .map_err(|e| server.error(e))?;
    let mut applied = 0;
    let mut newest = None;
    for row in rows {
        let edit = TeammateEdit {
            global_id: row.get(0),
            text: row.get(1),
            due: row.get::<_, Option<NaiveDate>>(2),
            done: row.get(3),
            updated_at: row.get::<_, DateTime<Utc>>(4),
            updated_by: row.get(5),
        };
        newest = Some(edit.updated_at);
        if library.apply_teammate_edit(&edit, server_ahead)? {
            applied += 1;
        }
    }
    if let Some(at) = newest {
        library.set_team_pulled_until(at)?;
    }
    Ok(applied)
}

/// Pushes one call whole. Returns false when the server refused it because someone on it was
/// erased from the team meanwhile (it is removed there and erased here at the next sync).
/// `vectors`: where the team library keeps the lines' sentence vectors (pgvector), which go
/// after the call (`meanings::push_due`); None where it keeps none.
fn push_call(
    server: &Server,
    client: &mut Client,
    call: &CallSnapshot,
    vectors: Option<VectorStore>,
    server_ahead: chrono::Duration,
) -> Result<bool, TeamError> {
    let err = |e| server.error(e);
    let mut tx = client.transaction().map_err(err)?;
    tx.batch_execute(ERASURE_LOCK).map_err(err)?;
    let hashes: Vec<String> = call
        .participants
        .iter()
        .filter_map(|p| p.email.as_deref())
        .chain(
            call.consent
                .iter()
                .filter_map(|r| r.participant_email.as_deref()),
        )
        .map(email_hash)
        .collect();
    let erased: bool = tx
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM zapis.erasures WHERE subject_hash = ANY ($1))",
            &[&hashes],
        )
        .map_err(err)?
        .get(0);
    if erased {
        tx.execute(
            "DELETE FROM zapis.calls WHERE global_id = $1",
            &[&call.global_id],
        )
        .map_err(err)?;
        tx.commit().map_err(err)?;
        return Ok(false);
    }
    write_call(&mut tx, call, vectors, server_ahead).map_err(err)?;
    tx.commit().map_err(err)?;
    Ok(true)
}

fn write_call(
    tx: &mut Transaction<'_>,
    call: &CallSnapshot,
    vectors: Option<VectorStore>,
    server_ahead: chrono::Duration,
) -> Result<(), postgres::Error> {
    let id = &call.global_id;
    let metrics = metrics::of(call);
    tx.execute(
        "INSERT INTO zapis.calls (global_id, rep, title, started_at, duration_ms, language, source,
                                  account, sentiment_label, sentiment_score, insights,
                                  rep_talk_share, rep_questions, longest_customer_monologue_ms,
                                  pushed_at)
         VALUES ($1, current_user, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, now())
         ON CONFLICT (global_id) DO UPDATE SET title = excluded.title,
             started_at = excluded.started_at, duration_ms = excluded.duration_ms,
             language = excluded.language, source = excluded.source, account = excluded.account,
             sentiment_label = excluded.sentiment_label,
             sentiment_score = excluded.sentiment_score, insights = excluded.insights,
             rep_talk_share = excluded.rep_talk_share, rep_questions = excluded.rep_questions,
             longest_customer_monologue_ms = excluded.longest_customer_monologue_ms,
             pushed_at = now()",
        &[
            id,
            &call.title,
            &call.started_at,
            &call.duration_ms,
            &call.language,
            &call.source,
            &call.account,
            &call.sentiment_label,
            &call.sentiment_score,
            &call.insights,
            &metrics.rep_talk_share,
            &metrics.rep_questions,
            &metrics.longest_customer_monologue_ms,
        ],
    )?;
    for table in ["participants", "consent_receipts", "segments"] {
        tx.execute(
            &format!("DELETE FROM zapis.{table} WHERE call_id = $1"),
            &[id],
        )?;
    }
    // One statement per table, the rows as arrays: a call of a thousand segments is one round
    // trip, not a thousand.
    let seq = |n: usize| (0..n as i32).collect::<Vec<i32>>();
    let p = &call.participants;
    tx.execute(
        "INSERT INTO zapis.participants (call_id, seq, name, email, role)
         SELECT $1, * FROM unnest($2::int[], $3::text[], $4::text[], $5::text[])",
        &[
            id,
            &seq(p.len()),
            &p.iter().map(|x| x.name.clone()).collect::<Vec<_>>(),
            &p.iter().map(|x| x.email.clone()).collect::<Vec<_>>(),
            &p.iter().map(|x| x.role.as_str()).collect::<Vec<_>>(),
        ],
    )?;
    let c = &call.consent;
    tx.execute(
        "INSERT INTO zapis.consent_receipts (call_id, seq, participant_name, participant_email,
             decision, decided_at, notice_version, language, method)
         SELECT $1, * FROM unnest($2::int[], $3::text[], $4::text[], $5::text[],
                                  $6::timestamptz[], $7::text[], $8::text[], $9::text[])",
        &[
            id,
            &seq(c.len()),
            &c.iter()
                .map(|r| r.participant_name.clone())
                .collect::<Vec<_>>(),
            &c.iter()
                .map(|r| r.participant_email.clone())
                .collect::<Vec<_>>(),
            &c.iter().map(|r| r.decision.as_str()).collect::<Vec<_>>(),
            &c.iter().map(|r| r.decided_at).collect::<Vec<_>>(),
            &c.iter()
                .map(|r| r.notice_version.clone())
                .collect::<Vec<_>>(),
            &c.iter().map(|r| r.language.clone()).collect::<Vec<_>>(),
            &c.iter().map(|r| r.method.as_str()).collect::<Vec<_>>(),
        ],
    )?;
    write_segments(tx, call, vectors)?;
    // Action items: the newer of the two sides wins, item by item (a teammate may have ticked
    // one off since the rep's snapshot was read); items the insights no longer hold go.
    let a = &call.action_items;
    let ids: Vec<String> = a.iter().map(|x| x.global_id.clone()).collect();
    tx.execute(
        "DELETE FROM zapis.action_items WHERE call_id = $1 AND NOT (global_id = ANY ($2))",
        &[id, &ids],
    )?;
    tx.execute(
        "INSERT INTO zapis.action_items (global_id, call_id, seq, text, owner, due_date, done,
                                         edited, updated_at, updated_by)
         SELECT g, $1, n, t, o, d, dn, e, u, coalesce(b, CASE WHEN u IS NULL THEN NULL
                                                             ELSE current_user END)
         FROM unnest($2::text[], $3::int[], $4::text[], $5::text[], $6::date[], $7::bool[],
                     $8::bool[], $9::timestamptz[], $10::text[]) AS x(g, n, t, o, d, dn, e, u, b)
         ON CONFLICT (global_id) DO UPDATE SET seq = excluded.seq, text = excluded.text,
             owner = excluded.owner, due_date = excluded.due_date, done = excluded.done,
             edited = excluded.edited, updated_at = excluded.updated_at,
             updated_by = excluded.updated_by
         WHERE coalesce(excluded.updated_at, '-infinity')
               >= coalesce(zapis.action_items.updated_at, '-infinity')",
        &[
            id,
            &ids,
            &seq(a.len()),
            &a.iter().map(|x| x.text.clone()).collect::<Vec<_>>(),
            &a.iter().map(|x| x.owner.clone()).collect::<Vec<_>>(),
            &a.iter().map(|x| x.due).collect::<Vec<_>>(),
            &a.iter().map(|x| x.done).collect::<Vec<_>>(),
            &a.iter().map(|x| x.edited).collect::<Vec<_>>(),
            // The rep's own edits move onto the server's clock, where teammates' are stamped.
            &a.iter()
                .map(|x| match x.updated_by {
                    None => x.updated_at.map(|at| at + server_ahead),
                    Some(_) => x.updated_at,
                })
                .collect::<Vec<_>>(),
            &a.iter().map(|x| x.updated_by.clone()).collect::<Vec<_>>(),
        ],
    )?;
    Ok(())
}

/// The call's transcript lines, one statement for all of them. Where the team library keeps
/// the lines' vectors, those of lines whose words changed go (the rest stay indexed).
fn write_segments(
    tx: &mut Transaction<'_>,
    call: &CallSnapshot,
    vectors: Option<VectorStore>,
) -> Result<(), postgres::Error> {
    let s = &call.segments;
    let seq: Vec<i32> = (0..s.len() as i32).collect();
    let speakers: Vec<&str> = s.iter().map(|x| x.speaker.as_str()).collect();
    let roles: Vec<&str> = s.iter().map(|x| x.role.as_str()).collect();
    let starts: Vec<i64> = s.iter().map(|x| x.start_ms).collect();
    let ends: Vec<i64> = s.iter().map(|x| x.end_ms).collect();
    let texts: Vec<&str> = s.iter().map(|x| x.text.as_str()).collect();
    tx.execute(
        "INSERT INTO zapis.segments (call_id, seq, speaker, role, start_ms, end_ms, text)
         SELECT $1, * FROM unnest($2::int[], $3::text[], $4::text[], $5::int8[], $6::int8[],
                                  $7::text[])",
        &[
            &call.global_id,
            &seq,
            &speakers,
            &roles,
            &starts,
            &ends,
            &texts,
        ],
    )?;
    let tables: &[&str] = match vectors {
        None => &[],
        Some(VectorStore::GraphOnly) => &["zapis.segment_meanings"],
        // Fresh first: a sync moving the line into the graph holds the fresh row until it
        // commits, so this waits for it, and the graph's delete, a statement later, sees the
        // moved vector. The other way round, a stale vector moved meanwhile would stay.
        Some(VectorStore::FreshThenGraph) => {
            &["zapis.segment_meanings_fresh", "zapis.segment_meanings"]
        }
    };
    for table in tables {
        tx.execute(
            &format!(
                "DELETE FROM {table} m WHERE m.call_id = $1
                 AND NOT EXISTS (SELECT 1 FROM zapis.segments s
                                 WHERE s.call_id = $1 AND s.seq = m.seq
                                   AND md5(s.text) = m.words_md5)"
            ),
            &[&call.global_id],
        )?;
    }
    Ok(())
}

/// Removes a call this rep shared earlier; false when the team library did not hold it.
fn remove_call(
    server: &Server,
    client: &mut Client,
    entry: &OutboxEntry,
) -> Result<bool, TeamError> {
    let removed = client
        .execute(
            "DELETE FROM zapis.calls WHERE global_id = $1 AND rep = current_user",
            &[&entry.global_id],
        )
        .map_err(|e| server.error(e))?;
    Ok(removed > 0)
}

/// How the team library names an erased person: sha256 of the trimmed, lower-cased email
/// (the same as schema.sql's `zapis.erase_person`).
pub fn email_hash(email: &str) -> String {
    let digest = Sha256::digest(email.trim().to_lowercase().as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_hashes_ignore_case_and_spaces() {
        assert_eq!(
            email_hash(" Ana@Example.com "),
            email_hash("ana@example.com")
        );
        // sha256sum of "ana@example.com", as PostgreSQL's sha256() gives it.
        assert_eq!(
            email_hash("ana@example.com"),
            "8e43ca37701228e74983efdbd0cff5c16b3b1e5d4e29a7c05626d4d25a018e11"
        );
    }
}
