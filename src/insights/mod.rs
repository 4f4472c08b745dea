//! Conversation intelligence over a transcript: summary, action items, keywords, sentiment and talk
//! metrics. Pure functions: no I/O, no SQL. Every insight names the segment ids it came from.

mod actions;
mod dates;
mod keywords;
mod language;
mod meanings;
mod metrics;
mod sentiment;
mod summary;
mod text;

use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub use actions::{extract_action_items, extract_serbian_action_items, ActionItem};
pub use dates::resolve_due_date;
pub use keywords::{extract_keywords, Keyword};
pub use language::detect_language;
pub use meanings::Meanings;
pub use metrics::{compute_metrics, Monologue, SpeakerTalk, TalkMetrics};
pub use sentiment::{
    analyze_sentiment, CallSentiment, SegmentSentiment, SentimentLabel, SentimentScore,
    SpeakerSentiment, TimelinePoint,
};
pub use summary::{summarize, topic_blocks, SummaryBullet, SummarySection};

/// Speaker sides, languages and tracked keyword lists are the shared domain types.
pub use crate::domain::{Language, Role, TrackedKeyword};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Utterance {
    pub id: i64,
    pub speaker: String,
    pub role: Role,
    pub start_ms: i64,
    pub end_ms: i64,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CallContext {
    /// Relative due dates ("by Friday") resolve against this date.
    pub date: NaiveDate,
    pub language: Language,
    pub participants: Vec<String>,
}

/// Document frequencies of terms over the user's call history (see [`distinct_terms`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TermStats {
    pub calls: u64,
    pub doc_freq: HashMap<String, u64>,
}

impl TermStats {
    /// Adds one call's distinct terms, as the storage layer does after each (re)analysis.
    pub fn add_call(&mut self, terms: &BTreeSet<String>) {
        self.calls += 1;
        for term in terms {
            *self.doc_freq.entry(term.clone()).or_insert(0) += 1;
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct Insights {
    pub summary: Vec<SummaryBullet>,
    pub action_items: Vec<ActionItem>,
    pub keywords: Vec<Keyword>,
    /// Always computed today; `None` is kept for a language without a sentiment model.
    pub sentiment: Option<CallSentiment>,
    pub metrics: TalkMetrics,
    /// Plain statements of what was not computed for this language, and why.
    pub language_notes: Vec<String>,
    /// Whether the sentence model took part (tasks said twice in other words kept once); without
    /// it the rules alone made the list. Insights stored before the model could take part read as
    /// `false`.
    #[serde(default)]
    pub by_meaning: bool,
}

/// The terms (stems and stem bigrams) a call contributes to [`TermStats::doc_freq`].
pub fn distinct_terms(utterances: &[Utterance], language: Language) -> BTreeSet<String> {
    keywords::call_terms(utterances, language, &[])
        .into_keys()
        .collect()
}

/// A call's insights from the rules alone.
pub fn analyze(
    call: &CallContext,
    utterances: &[Utterance],
    history: &TermStats,
    tracked: &[TrackedKeyword],
) -> Insights {
    analyze_with_meanings(call, utterances, history, tracked, None)
}

/// A call's insights, with the sentence model's help where it is given (see [`Meanings`]).
pub fn analyze_with_meanings(
    call: &CallContext,
    utterances: &[Utterance],
    history: &TermStats,
    tracked: &[TrackedKeyword],
    meanings: Option<&dyn Meanings>,
) -> Insights {
    let mut language_notes = Vec::new();
    // Raw speech-to-text writes "ill send it"; every English rule reads "I'll send it".
    let restored: Vec<Utterance>;
    let utterances = match call.language {
        Language::En => {
            restored = utterances
                .iter()
                .map(|u| Utterance {
                    text: text::restore_apostrophes(&u.text),
                    ..u.clone()
                })
                .collect();
            &restored
        }
        Language::SrLatn => utterances,
    };
    let (action_items, sentiment) = match call.language {
        Language::En => (
            extract_action_items(utterances, call.date),
            Some(analyze_sentiment(utterances, Language::En)),
        ),
        Language::SrLatn => {
            language_notes.push(
                "Sentiment for sr-Latn transcripts comes from a small Serbian word list, not from VADER, which is English-only: it reads tone, not the English objection and buying-signal phrases.".to_string(),
            );
            language_notes.push(
                "The summary for sr-Latn is extractive with Serbian stop words but without filler and small-talk filtering, which is English-only.".to_string(),
            );
            (
                extract_serbian_action_items(utterances, call.date),
                Some(analyze_sentiment(utterances, Language::SrLatn)),
            )
        }
    };
    // all-MiniLM-L6-v2 was trained on English: a Serbian task's vector says little beyond its
    // word pieces, so Serbian calls stay with the rules.
    let item_vectors = meanings
        .filter(|_| call.language == Language::En)
        .and_then(|m| {
            let texts: Vec<&str> = action_items.iter().map(|a| a.text.as_str()).collect();
            m.texts(&texts)
        });
    let (action_items, by_meaning) = match item_vectors {
        Some(vectors) if vectors.len() == action_items.len() => {
            (meanings::merge_same_tasks(action_items, &vectors), true)
        }
        _ => (action_items, false),
    };
    Insights {
        summary: summarize(
            utterances,
            call.language,
            history,
            &action_items,
            &call.participants,
        ),
        action_items,
        keywords: extract_keywords(utterances, call, history, tracked),
        sentiment,
        metrics: compute_metrics(utterances),
        language_notes,
        by_meaning,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(language: Language) -> (CallContext, Vec<Utterance>) {
        let ctx = CallContext {
            date: NaiveDate::from_ymd_opt(2024, 3, 6).unwrap(),
            language,
            participants: vec!["Ana".into(), "Bob".into()],
        };
        let texts = [
            (
                Role::Rep,
                "Ana",
                "Thanks for joining. I'll send you the Salesforce integration guide by Friday.",
            ),
            (
                Role::Customer,
                "Bob",
                "Great, the Salesforce integration is the main thing for our sales team.",
            ),
            (
                Role::Customer,
                "Bob",
                "Ugovor za Salesforce integraciju je spreman, ali cena je visoka.",
            ),
        ];
        let utts = texts
            .iter()
            .enumerate()
            .map(|(i, (role, speaker, text))| Utterance {
                id: i as i64 + 1,
                speaker: speaker.to_string(),
                role: *role,
                start_ms: i as i64 * 10_000,
                end_ms: i as i64 * 10_000 + 8_000,
                text: text.to_string(),
            })
            .collect();
        (ctx, utts)
    }

    #[test]
    fn english_json_has_the_documented_shape() {
        let (ctx, utts) = call(Language::En);
        let tracked = [TrackedKeyword {
            term: "Salesforce".into(),
            category: "crm".into(),
        }];
        let json =
            serde_json::to_value(analyze(&ctx, &utts, &TermStats::default(), &tracked)).unwrap();
        assert_eq!(json["action_items"][0]["due"], "2024-03-08");
        assert_eq!(json["action_items"][0]["segment"], 1);
        assert_eq!(json["keywords"][0]["term"], "Salesforce");
        assert_eq!(json["keywords"][0]["count"], 3);
        assert_eq!(json["keywords"][0]["tracked"], true);
        assert!(json["sentiment"]["customer"]["label"].is_string());
        assert!(json["sentiment"]["timeline"].is_array());
        assert!(json["metrics"]["per_speaker"].is_array());
        assert!(json["summary"].is_array());
        assert_eq!(json["language_notes"].as_array().unwrap().len(), 0);
    }

    #[test]
    fn serbian_gets_its_own_rules_and_says_where_they_differ() {
        let (ctx, utts) = call(Language::SrLatn);
        let insights = analyze(&ctx, &utts, &TermStats::default(), &[]);
        // The call is English words analysed as Serbian: the Serbian rules find nothing in it,
        // and the notes say how the Serbian sentiment differs from the English one.
        assert!(insights.sentiment.is_some());
        assert!(insights.action_items.is_empty());
        assert!(insights
            .language_notes
            .iter()
            .any(|n| n.contains("Serbian word list")));
        assert!(insights
            .keywords
            .iter()
            .all(|k| k.term != "ali" && k.term != "je"));
        assert_eq!(insights.metrics.per_speaker.len(), 2);
    }
}
