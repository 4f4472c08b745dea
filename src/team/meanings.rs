//! The second half of a sync where the team searches by meaning: the pushed calls' line vectors.
//! Calls go first and their vectors after, call by call, oldest push first. Each call's vectors
//! go in one transaction and the call leaves the local queue only after it committed; a sync
//! cut off here resumes at the next.
//!
//! Putting a vector into pgvector's HNSW graph costs the server milliseconds, far more than the
//! line itself. So the vectors first go where the search compares them with the query one by
//! one (`meaning_fresh.sql`), and the sync ends by moving a batch of those into the graph,
//! for about [`GRAPH_BUDGET`]: a long history is found by meaning as soon as it is pushed,
//! and the graph takes it in over the following syncs.

use std::time::{Duration, Instant};

use postgres::Client;

use super::admin::VectorStore;
use super::connect::Server;
use super::TeamError;
use crate::storage::Library;

/// About how long one sync spends moving fresh vectors into the graph. The app syncs every five
/// minutes, so this is about a tenth of the time; a 2,000-call backlog (200,000 lines at
/// 3–6 ms a line, bench/team.sh) takes a few hours of syncs to be in the graph, searched
/// exactly until then.
pub const GRAPH_BUDGET: Duration = Duration::from_secs(30);

/// Lines moved in one transaction: a few seconds of the server's work at most.
const GRAPH_BATCH: i32 = 500;

/// Pushes the vectors of every call in the local queue. Returns how many lines got theirs.
pub(super) fn push_due(
    library: &mut Library,
    server: &Server,
    client: &mut Client,
    store: VectorStore,
) -> Result<usize, TeamError> {
    let mut pushed = 0;
    for (global_id, call_id) in library.team_meanings_queue()? {
        pushed += push_call_meanings(library, server, client, store, &global_id, call_id)?;
        library.team_meanings_sent(&global_id)?;
    }
    Ok(pushed)
}

/// Moves fresh vectors, anyone's, into the search graph, a batch at a time, until none are
/// left or [`GRAPH_BUDGET`] has passed (checked between batches, so it may run one batch
/// over). Returns how many it moved. Moving is housekeeping: the lines are found by meaning
/// either way, so a batch that fails (a lock that timed out, a server going away) ends it,
/// logged, and the sync still counts as done; the next sync moves them.
pub(super) fn move_into_graph(server: &Server, client: &mut Client) -> usize {
    let started = Instant::now();
    let mut moved = 0;
    loop {
        let batch: i32 = match client
            .query_one("SELECT zapis.index_fresh_meanings($1)", &[&GRAPH_BATCH])
        {
            Ok(row) => row.get(0),
            Err(e) => {
                let e = server.error(e);
                tracing::warn!(error = %crate::logging::redact(&e.to_string()), moved, "moving sentence vectors into the team library's search graph stopped");
                return moved;
            }
        };
        moved += batch.max(0) as usize;
        if batch < GRAPH_BATCH || started.elapsed() >= GRAPH_BUDGET {
            return moved;
        }
    }
}

/// The vectors of one call's lines that the team library lacks. A vector goes only onto a line
/// whose words on the server are the words it was made from: a line changed here since its call
/// was pushed gets its vector when the changed call has been pushed. A call the team no longer
/// holds (unshared, erased) takes none.
fn push_call_meanings(
    library: &Library,
    server: &Server,
    client: &mut Client,
    store: VectorStore,
    global_id: &str,
    call_id: i64,
) -> Result<usize, TeamError> {
    let mut vectors = library.line_vectors(call_id)?;
    if vectors.is_empty() {
        return Ok(0);
    }
    let err = |e| server.error(e);
    let (table, there_sql) = match store {
        VectorStore::GraphOnly => (
            "zapis.segment_meanings",
            "SELECT seq FROM zapis.segment_meanings WHERE call_id = $1",
        ),
        VectorStore::FreshThenGraph => (
            "zapis.segment_meanings_fresh",
            "SELECT seq FROM zapis.segment_meanings WHERE call_id = $1
             UNION ALL SELECT seq FROM zapis.segment_meanings_fresh WHERE call_id = $1",
        ),
    };
    let there: Vec<i32> = client
        .query(there_sql, &[&global_id])
        .map_err(err)?
        .iter()
        .map(|row| row.get(0))
        .collect();
    let dims = crate::semantic::DIMENSIONS;
    let (mut seqs, mut texts, mut flat) = (Vec::new(), Vec::new(), Vec::<f32>::new());
    // A line's place in the call is its seq on the server (see `sync::write_segments`).
    for (seq, segment) in library.segments(call_id)?.into_iter().enumerate() {
        let seq = seq as i32;
        match vectors.remove(&segment.id) {
            Some(v) if v.len() == dims && !there.contains(&seq) => {
                seqs.push(seq);
                texts.push(segment.text);
                flat.extend_from_slice(&v);
            }
            _ => {}
        }
    }
    if seqs.is_empty() {
        return Ok(0);
    }
    let added = client
        .execute(
            &format!(
                "INSERT INTO {table} (call_id, seq, words_md5, meaning)
                 SELECT $1, s.seq, md5(s.text),
                        ($4::real[])[(x.o - 1) * {dims} + 1 : x.o * {dims}]
                 FROM unnest($2::int[], $3::text[]) WITH ORDINALITY AS x(seq, text, o)
                 JOIN zapis.segments s ON s.call_id = $1 AND s.seq = x.seq AND s.text = x.text
                 ON CONFLICT (call_id, seq) DO NOTHING"
            ),
            &[&global_id, &seqs, &texts, &flat],
        )
        .map_err(err)?;
    Ok(added as usize)
}
