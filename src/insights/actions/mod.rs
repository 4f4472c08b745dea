//! Action items: commitments ("I'll send…"), requests ("can you loop in…") and shared next steps
//! ("let's schedule…"), with an owner and a due date resolved against the call date.
//!
//! Owner rules: a commitment belongs to its speaker's side; a request to the other side; "let's",
//! "we should" and "the next step is" to the rep, who drives next steps; "<Name> will …" to Name.
//! An item needs a follow-up verb (send, schedule, loop in, check, …): that is what separates
//! "can you send me the deck" from "can you hear me". Hypotheticals ("if we…"), past tense
//! ("I sent"), hedges ("maybe I'll"), declined offers and in-call actions ("let me share my screen")
//! are rejected. A request answered by a commitment becomes one item at the request's segment in
//! the commitment's words and date; a commitment restated ("I'll have it to you by Friday") nearby
//! or in an end-of-call recap merges into the first one and lends it a due date it lacked. A need with a deadline
//! ("we would like the proposal by Friday") is a request even without a follow-up verb.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::dates::resolve_due_date;
mod lexicon;
mod patterns;
mod wants;

use super::text::{is_stop_word, sentences, stem, tidy_sentence, words};
use super::{Language, Role, Utterance};
use patterns::{find_trigger, Trigger, TriggerKind};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
/// In TypeScript `FoundActionItem`: the stored, editable ones are `ActionItem`.
#[ts(rename = "FoundActionItem")]
pub struct ActionItem {
    pub text: String,
    /// "rep", "customer", or the name of the person said to own it.
    pub owner: String,
    #[serde(with = "due_format")]
    #[ts(type = "string | null")]
    pub due: Option<NaiveDate>,
    pub segment: i64,
    pub done: bool,
}

mod due_format {
    use chrono::NaiveDate;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(due: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
        due.map(|d| d.format("%Y-%m-%d").to_string()).serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
        Option::<String>::deserialize(d)?
            .map(|s| NaiveDate::parse_from_str(&s, "%Y-%m-%d").map_err(serde::de::Error::custom))
            .transpose()
    }
}

struct Found {
    item: ActionItem,
    index: usize,
    kind: TriggerKind,
    anaphoric: bool,
    delivery: bool,
    verb: String,
    stems: Vec<String>,
}

/// Segments after an item in which a restatement or an accepted request merges into it.
const MERGE_WINDOW: usize = 3;

pub fn extract_action_items(utterances: &[Utterance], call_date: NaiveDate) -> Vec<ActionItem> {
    let mut found: Vec<Found> = Vec::new();
    for (index, u) in utterances.iter().enumerate() {
        let sents = sentences(&u.text);
        for (k, sentence) in sents.iter().enumerate() {
            let Some((trigger, needs_date)) = find_trigger(sentence.text)
                .map(|t| (t, false))
                .or_else(|| wants::wanted_by_deadline(sentence.text).map(|t| (t, true)))
            else {
                continue;
            };
            if trigger.kind == TriggerKind::Offer && offer_declined(utterances, index) {
                continue;
            }
            let mut due = resolve_due_date(sentence.text, call_date);
            // "I'll send it over. Probably by Friday." – a short follow-up sentence can carry the date.
            if due.is_none() {
                if let Some(next) = sents
                    .get(k + 1)
                    .filter(|n| words(n.text).len() <= 8 && find_trigger(n.text).is_none())
                {
                    due = resolve_due_date(next.text, call_date);
                }
            }
            // A need without a follow-up verb is only a task when it has a deadline.
            if needs_date && due.is_none() {
                continue;
            }
            let owner = owner_for(&trigger, u.role);
            let stems = words(sentence.text)
                .iter()
                .filter(|w| w.len() > 3 && !is_stop_word(w, Language::En))
                .map(|w| stem(w, Language::En))
                .collect();
            if due.is_none() {
                due = bundled_due(sentence.text, &owner, &found);
            }
            found.push(Found {
                item: ActionItem {
                    text: tidy_sentence(sentence.text),
                    owner,
                    due,
                    segment: u.id,
                    done: false,
                },
                index,
                kind: trigger.kind,
                anaphoric: trigger.anaphoric,
                delivery: trigger.delivery,
                verb: trigger.verb.clone(),
                stems,
            });
        }
    }
    merge_restatements(found)
}

/// "I'll send it with the recording": a delivery bundled with an earlier item of the same owner
/// is due when that item is.
fn bundled_due(sentence: &str, owner: &str, found: &[Found]) -> Option<NaiveDate> {
    let tokens = words(sentence);
    let bundled_with = tokens
        .windows(3)
        .find(|w| w[0] == "with" && matches!(w[1].as_str(), "the" | "that" | "your"))
        .map(|w| stem(&w[2], Language::En))?;
    found
        .iter()
        .rev()
        .find(|f| f.item.owner == owner && f.item.due.is_some() && f.stems.contains(&bundled_with))
        .and_then(|f| f.item.due)
}

fn owner_for(trigger: &Trigger, role: Role) -> String {
    let own = match role {
        Role::Rep => "rep",
        Role::Customer => "customer",
    };
    let other = match role {
        Role::Rep => "customer",
        Role::Customer => "rep",
    };
    match (&trigger.kind, &trigger.named_owner) {
        (_, Some(name)) => name.clone(),
        (TriggerKind::Request, None) => other.to_string(),
        (TriggerKind::Shared, None) => "rep".to_string(),
        (TriggerKind::Commitment | TriggerKind::Offer, None) => own.to_string(),
    }
}

/// "Want me to send the deck?" – "No, that's fine." drops the offer.
fn offer_declined(utterances: &[Utterance], index: usize) -> bool {
    let Some(reply) = utterances
        .get(index + 1)
        .filter(|r| r.speaker != utterances[index].speaker)
    else {
        return false;
    };
    let lower = reply.text.to_lowercase();
    [
        "no",
        "nah",
        "not really",
        "not yet",
        "that's okay",
        "that's ok",
        "i'm good",
        "we're good",
        "don't worry",
    ]
    .iter()
    .any(|p| {
        lower.starts_with(p)
            && lower[p.len()..]
                .chars()
                .next()
                .is_none_or(|c| !c.is_alphanumeric())
    })
}

fn merge_restatements(found: Vec<Found>) -> Vec<ActionItem> {
    let mut kept: Vec<Found> = Vec::new();
    for f in found {
        let target = kept.iter_mut().rev().find_map(|k| {
            let near = f.index > k.index && f.index - k.index <= MERGE_WINDOW || f.index == k.index;
            let accepted = k.kind == TriggerKind::Request
                && f.index == k.index + 1
                && f.kind != TriggerKind::Request;
            let shared = f
                .stems
                .iter()
                .filter(|s| k.stems.contains(s) && !is_schedule_word(s))
                .count();
            // "I'll send that over" restates a delivery; "I'll set that up" restates a "set up".
            let restated = f.anaphoric && (f.delivery || f.verb == k.verb);
            // A recap at the end of a call ("so I'll send the root cause analysis Friday") names
            // the same work, however long ago it was agreed ("I'll get you a written root cause
            // analysis"): the same verb, or both deliveries, and the same object.
            let recap =
                f.index > k.index && (f.verb == k.verb || f.delivery && k.delivery) && shared >= 2;
            let same = near && (accepted || restated || shared >= 2) || recap;
            (k.item.owner == f.item.owner && same).then_some((k, accepted))
        });
        match target {
            Some((k, true)) => {
                // The answer is the owner's own promise: its words and date say what will happen
                // ("we need it by Friday" – "I'll send it tomorrow"), unless it only points back.
                k.item.due = f.item.due.or(k.item.due);
                if !f.anaphoric {
                    k.item.text = f.item.text;
                }
                k.kind = f.kind;
            }
            Some((k, false)) => {
                if k.item.due.is_none() {
                    k.item.due = f.item.due;
                }
            }
            None => kept.push(f),
        }
    }
    kept.into_iter().map(|f| f.item).collect()
}

fn is_schedule_word(stem: &str) -> bool {
    matches!(
        stem,
        "monday"
            | "tuesday"
            | "wednesday"
            | "thursday"
            | "friday"
            | "tomorrow"
            | "today"
            | "week"
            | "month"
            | "next"
            | "send"
            | "over"
    )
}

#[cfg(test)]
mod tests;
