//! Computes and stores a call's conversation intelligence from its stored transcript. Every path
//! that changes a transcript (import, recording, final pass) ends here.

use std::sync::Arc;

use crate::insights::{self, CallContext, Insights, Language, Meanings, TermStats, Utterance};
use crate::semantic::Embedder;
use crate::storage::{InsightsRecord, Library, NewActionItem, NewKeyword, Result};

/// The insights language for a call's language tag.
pub fn insights_language(tag: &str) -> Language {
    if tag.starts_with("sr") {
        Language::SrLatn
    } else {
        Language::En
    }
}

/// Recomputes a call's insights against the user's call history and stores them.
pub fn refresh_insights(library: &mut Library, call_id: i64) -> Result<Insights> {
    let call = library.call(call_id)?;
    let language = insights_language(&call.summary.language);
    let utterances: Vec<Utterance> = call
        .transcript
        .iter()
        .map(|s| Utterance {
            id: s.id,
            speaker: s.speaker.clone(),
            role: s.role,
            start_ms: s.start_ms,
            end_ms: s.end_ms,
            text: s.text.clone(),
        })
        .collect();
    let context = CallContext {
        date: call.summary.started_at.date_naive(),
        language,
        participants: call.participants.iter().map(|p| p.name.clone()).collect(),
    };
    let (calls, doc_freq) = library.term_stats()?;
    let history = TermStats { calls, doc_freq };
    let tracked = library.tracked_keywords()?;
    let meanings = call_meanings(library);
    let mut result = insights::analyze_with_meanings(
        &context,
        &utterances,
        &history,
        &tracked,
        meanings.as_deref().map(|m| m as &dyn Meanings),
    );
    if library.call_voices(call_id)?.len() > 1 {
        credit_far_side_voices(&mut result.action_items, &call.transcript);
    }

    let customer = result.sentiment.as_ref().map(|s| &s.customer);
    let record = InsightsRecord {
        body: serde_json::to_value(&result).unwrap_or_default(),
        sentiment_score: customer.map(|c| c.score),
        sentiment_label: customer.map(|c| c.label.to_string()),
        action_items: result
            .action_items
            .iter()
            .map(|a| NewActionItem {
                text: a.text.clone(),
                owner: a.owner.clone(),
                due: a.due,
                segment_id: Some(a.segment),
            })
            .collect(),
        keywords: result
            .keywords
            .iter()
            .map(|k| NewKeyword {
                term: k.term.clone(),
                count: i64::from(k.count),
                tracked: k.tracked,
                first_mention_ms: Some(k.first_mention_ms),
            })
            .collect(),
        terms: insights::distinct_terms(&utterances, language),
    };
    library.save_insights(call_id, &record)?;
    Ok(result)
}

/// With the far side told apart into several voices, what one of them takes on is that voice's
/// (a name, or "Speaker 3" until the user names it), not "the customer's": the CFO's item is not
/// credited to the buyer. Only for diarized calls: an imported transcript's speakers keep the
/// owners the extractor gives, which is what `tests/insights_quality.rs` measures.
fn credit_far_side_voices(
    items: &mut [insights::ActionItem],
    transcript: &[crate::storage::Segment],
) {
    for item in items.iter_mut().filter(|i| i.owner == "customer") {
        if let Some(line) = transcript
            .iter()
            .find(|s| s.id == item.segment && s.role == crate::storage::Role::Customer)
        {
            item.owner = line.speaker.clone();
        }
    }
}

/// `None` when the sentence model is not installed or does not load: the insights then come from
/// the rules alone, and say so.
fn call_meanings(library: &Library) -> Option<Arc<Embedder>> {
    match crate::semantic::shared_embedder(library.data_dir()) {
        Ok(embedder) => embedder,
        Err(e) => {
            tracing::warn!(error = %e, "the sentence model could not be loaded; insights from the rules alone");
            None
        }
    }
}
