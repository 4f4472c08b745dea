//! Searching every call's transcript, by words and by meaning, and keeping the meanings up to
//! date: each ready call's lines get a sentence vector when the sentence model is installed.

use std::path::Path;

use super::AppError;
use crate::analysis;
use crate::insights::{Insights, Language};
use crate::model::{InstallSource, Progress};
use crate::semantic::{self, SentenceModel};
use crate::storage::{Library, LineMatch};

/// What a search found, and how it searched.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
pub struct LineSearch {
    pub lines: Vec<LineMatch>,
    /// Lines were also ranked by meaning. False when the sentence model is not installed: the
    /// search then matched words only.
    pub by_meaning: bool,
    /// Transcript lines that have no sentence vector yet: found by words only until
    /// `zapis calls index` gives them one.
    pub lines_not_indexed: i64,
}

/// Candidates taken from each list before fusing: enough that a line ranked well by one list and
/// modestly by the other still makes the cut.
const CANDIDATES: usize = 200;

/// Downloads, checks and installs the sentence model (`zapis model install minilm`).
pub fn install_sentence_model(
    data_dir: &Path,
    source: &InstallSource,
    progress: &mut dyn FnMut(Progress),
) -> Result<SentenceModel, AppError> {
    Ok(semantic::install(data_dir, source, progress)?)
}

/// Lines of every call that contain `query`'s words or mean something close to it, best first.
pub fn search_lines(library: &Library, query: &str, limit: usize) -> Result<LineSearch, AppError> {
    let by_words = library.lines_with_words(query, CANDIDATES)?;
    let embedder = semantic::shared_embedder(library.data_dir())?;
    let by_meaning = match (&embedder, query.trim().is_empty()) {
        (Some(embedder), false) => {
            let query_vector = embedder.embed(&[query.trim()])?.pop().unwrap_or_default();
            library.nearest_lines(&query_vector, CANDIDATES)?
        }
        _ => Vec::new(),
    };
    let mut lines = Vec::new();
    for ranked in semantic::fuse(&by_words, &by_meaning, limit) {
        let mut line = library.line_match(ranked.key)?;
        line.by_words = ranked.by_words;
        line.similarity = ranked.similarity;
        lines.push(line);
    }
    let (with_vectors, all) = library.vector_coverage()?;
    Ok(LineSearch {
        lines,
        by_meaning: embedder.is_some(),
        lines_not_indexed: (all - with_vectors).max(0),
    })
}

/// Gives the lines of `call_id` that have none a sentence vector. `Ok(None)`: the model is not
/// installed. Returns how many lines were indexed.
pub fn index_call(library: &mut Library, call_id: i64) -> Result<Option<usize>, AppError> {
    Ok(semantic::index_call(library, call_id)?)
}

/// What [`index_all`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Indexed {
    /// Calls whose lines got vectors, and how many lines.
    pub calls: usize,
    pub lines: usize,
    /// Calls analysed again because the rules alone had found their action items.
    pub reanalysed: usize,
}

/// Indexes every ready call with lines that have no vector (`done(call, of)` hears each
/// call), then analyses again the calls whose action items the rules alone found where the model
/// can change them ([`reanalyse_if_found_by_rules_alone`]). Fails with `model.not_installed`
/// without the model. A call that cannot be analysed again is logged and left as it was: the
/// others still get theirs.
pub fn index_all(
    library: &mut Library,
    done: &mut dyn FnMut(usize, usize),
) -> Result<Indexed, AppError> {
    if SentenceModel::installed(library.data_dir()).is_none() {
        return Err(semantic::SemanticError::NotInstalled {
            dir: SentenceModel::dir(library.data_dir()),
        }
        .into());
    }
    let calls = library.calls_without_vectors()?;
    let mut indexed = Indexed {
        calls: calls.len(),
        ..Indexed::default()
    };
    for (i, call_id) in calls.iter().enumerate() {
        indexed.lines += index_call(library, *call_id)?.unwrap_or(0);
        done(i + 1, calls.len());
    }
    for call_id in library.calls_with_items_by_rules_alone()? {
        match reanalyse_if_found_by_rules_alone(library, call_id) {
            Ok(true) => indexed.reanalysed += 1,
            Ok(false) => {}
            Err(e) => {
                tracing::warn!(call_id, error = %crate::logging::redact(&e.to_string()), "could not analyse the call again with the sentence model")
            }
        }
    }
    Ok(indexed)
}

/// Analyses a call again when its action items were found by the rules alone (the sentence
/// model was not installed then) and the model could change them now: an English call with two
/// or more items, of which the model keeps a task said twice in other words once. Serbian calls
/// stay as they are (the model reads English only). Items the user ticked off or edited are
/// kept either way. Returns whether the call was analysed again.
pub fn reanalyse_if_found_by_rules_alone(
    library: &mut Library,
    call_id: i64,
) -> Result<bool, AppError> {
    let Some(body) = library.insights(call_id)? else {
        return Ok(false);
    };
    // A body from an older Zapis that does not parse is left alone: it is shown as it is.
    let Ok(stored) = serde_json::from_value::<Insights>(body) else {
        return Ok(false);
    };
    let language = library.call_summary(call_id)?.language;
    let could_change = !stored.by_meaning
        && analysis::insights_language(&language) == Language::En
        && stored.action_items.len() > 1;
    if !could_change || SentenceModel::installed(library.data_dir()).is_none() {
        return Ok(false);
    }
    let now = analysis::refresh_insights(library, call_id)?;
    Ok(now.by_meaning)
}
