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
mod ownership;
mod patterns;
mod serbian;
mod serbian_task;
mod task;
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
    /// The turn (one speaker's run of cues) it was said in.
    turn: usize,
    kind: TriggerKind,
    anaphoric: bool,
    delivery: bool,
    verb: String,
    stems: Vec<String>,
    /// Said in a turn that sums up ("so, to recap, …"): it restates what was agreed.
    in_recap: bool,
}

/// How a turn that sums up the call opens.
const RECAP_MARKERS: &[&str] = &[
    "to recap",
    "to summarize",
    "to summarise",
    "to sum up",
    "summing up",
    "so recapping",
    "quick recap",
    "just to confirm next steps",
    "let me recap",
];

/// Segments after an item in which a restatement or an accepted request merges into it.
const MERGE_WINDOW: usize = 3;

/// Action items in a Serbian (Latin) call; see [`serbian`].
pub fn extract_serbian_action_items(
    utterances: &[Utterance],
    call_date: NaiveDate,
) -> Vec<ActionItem> {
    serbian::extract(utterances, call_date)
}

pub fn extract_action_items(utterances: &[Utterance], call_date: NaiveDate) -> Vec<ActionItem> {
    let mut found: Vec<Found> = Vec::new();
    let turn_of = turns(utterances);
    for (index, u) in utterances.iter().enumerate() {
        let sents = sentences(&u.text);
        for (k, sentence) in sents.iter().enumerate() {
            let (trigger, needs_date, claimed) = match find_trigger(sentence.text)
                .map(|t| (t, false))
                .or_else(|| wants::wanted_by_deadline(sentence.text).map(|t| (t, true)))
            {
                Some((trigger, needs_date)) => (trigger, needs_date, None),
                None => match claimed_task(utterances, index, sentence.text) {
                    Some((trigger, task)) => (trigger, false, Some(task)),
                    None => continue,
                },
            };
            if matches!(trigger.kind, TriggerKind::Offer | TriggerKind::Request)
                && declined(utterances, index, trigger.kind)
            {
                continue;
            }
            // What the speaker says next: the rest of this cue, then their next cue when no one
            // spoke in between (Teams and Zoom cut one person's turn into several cues).
            let next_cue = utterances
                .get(index + 1)
                .filter(|n| n.speaker == u.speaker)
                .map(|n| sentences(&n.text))
                .unwrap_or_default();
            let following: Vec<&str> = sents[k + 1..]
                .iter()
                .chain(next_cue.iter())
                .map(|s| s.text)
                .take(2)
                .collect();
            let mut due = resolve_due_date(sentence.text, call_date);
            // "I'll send it over. Probably by Friday." – a short follow-up sentence can carry the
            // date ("…before the deadline." – "That has to be with you by May 1st.").
            let mut dated_by = due.map(|_| 0);
            if due.is_none() {
                if let Some(next) = following.first().filter(|n| {
                    (words(n).len() <= 8 || deadline_for_it(n)) && find_trigger(n).is_none()
                }) {
                    due = resolve_due_date(next, call_date);
                    dated_by = due.map(|_| 1);
                }
            }
            // "…by the twenty-fourth. Sorry, the twenty-fifth.": the sentence after the one that
            // gave the date corrects it.
            if let Some(corrected) = dated_by
                .and_then(|at| following.get(at))
                .filter(|n| starts_with_correction(n))
                .and_then(|n| resolve_due_date(n, call_date))
            {
                due = Some(corrected);
            }
            // "When do you need it by?" – "By the 21st.": the answer dates the task, whatever
            // else the asker's turn said ("I'll get it started today").
            if let Some(answered) = asked_when(utterances, index, call_date) {
                due = Some(answered);
            }
            // "Can you send the RCA?" – "Yes, you'll have it by Thursday.": the reply that takes
            // a request or offer on may carry its date.
            // (A need is a task only by its own deadline: see below.)
            if due.is_none()
                && !needs_date
                && matches!(trigger.kind, TriggerKind::Offer | TriggerKind::Request)
            {
                due = reply_date(utterances, index, call_date);
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
                    text: claimed
                        .or_else(|| task::imperative(sentence.text, &trigger.verb))
                        .unwrap_or_else(|| tidy_sentence(sentence.text)),
                    owner,
                    due,
                    segment: u.id,
                    done: false,
                },
                index,
                turn: turn_of[index],
                kind: trigger.kind,
                anaphoric: trigger.anaphoric,
                delivery: trigger.delivery,
                verb: trigger.verb.clone(),
                stems,
                in_recap: opens_recap(&u.text),
            });
        }
    }
    merge_restatements(found)
}

/// The cue that answers the turn `index` is in: the next one by someone else, past the rest of
/// the speaker's own cues (Teams and Zoom cut one person's turn into several).
fn reply_to(utterances: &[Utterance], index: usize) -> Option<usize> {
    let speaker = &utterances.get(index)?.speaker;
    (index + 1..utterances.len()).find(|&j| utterances[j].speaker != *speaker)
}

/// Which turn each cue is in: a turn is one speaker's run of cues.
fn turns(utterances: &[Utterance]) -> Vec<usize> {
    let mut turn = 0;
    utterances
        .iter()
        .enumerate()
        .map(|(i, u)| {
            if i > 0 && utterances[i - 1].speaker != u.speaker {
                turn += 1;
            }
            turn
        })
        .collect()
}

/// The date the other side answers with when this turn asks when something is needed.
fn asked_when(utterances: &[Utterance], index: usize, call_date: NaiveDate) -> Option<NaiveDate> {
    let asks = sentences(&utterances[index].text).iter().any(|s| {
        let lower = s.text.to_lowercase();
        // Only a question about the deadline: "when's your board meeting?" dates nothing.
        s.text.contains('?')
            && [
                "need it by",
                "need them by",
                "need that by",
                "need this by",
                "by when",
                "when do you need",
                "when would you need",
                "when do they need",
                "when does it need",
                "when should",
                "what date",
                "deadline",
                "how soon",
            ]
            .iter()
            .any(|w| lower.contains(w))
    });
    if !asks {
        return None;
    }
    let answer = &utterances[reply_to(utterances, index)?];
    resolve_due_date(&answer.text, call_date)
}

/// The date in the other side's reply to a request or offer, unless the reply asks when (then
/// the answer to that dates it: [`asked_when`]). A sentence of the reply that starts a task of
/// its own ("Sure. Let's schedule a demo next week.") dates that task, not this one.
fn reply_date(utterances: &[Utterance], index: usize, call_date: NaiveDate) -> Option<NaiveDate> {
    let replied_at = reply_to(utterances, index)?;
    let reply = &utterances[replied_at];
    asked_when(utterances, replied_at, call_date).or_else(|| {
        sentences(&reply.text)
            .iter()
            .filter(|s| find_trigger(s.text).is_none_or(|t| t.anaphoric))
            .find_map(|s| resolve_due_date(s.text, call_date))
    })
}

/// Whether a turn sums up the call: a recap marker in its first words.
fn opens_recap(text: &str) -> bool {
    let opening: Vec<String> = words(text).into_iter().take(8).collect();
    let opening = opening.join(" ");
    RECAP_MARKERS
        .iter()
        .any(|m| format!(" {opening} ").contains(&format!(" {m} ")))
}

/// "That has to be with you by May 1st", "It needs to be signed before the 15th": a sentence
/// about the thing just named ("that", "it") that sets its deadline, however long.
fn deadline_for_it(sentence: &str) -> bool {
    let said = words(sentence);
    let about_it = said
        .first()
        .is_some_and(|w| matches!(w.as_str(), "that" | "it" | "this" | "those" | "they"));
    let deadline = said
        .iter()
        .any(|w| matches!(w.as_str(), "by" | "before" | "until"));
    about_it && deadline
}

fn starts_with_correction(sentence: &str) -> bool {
    let lower = sentence.to_lowercase();
    [
        "sorry",
        "actually",
        "i mean",
        "no wait",
        "correction",
        "make that",
    ]
    .iter()
    .any(|c| lower.starts_with(c))
}

/// A commitment not phrased "I'll + verb" (see [`ownership`]), as a trigger and its task. One
/// that only points back ("that's on me", "that's me, I'll take it") takes the task from the
/// need or request just before it; with nothing before it, it is not a task ("sorry, that's on
/// me" owns a mistake).
fn claimed_task(
    utterances: &[Utterance],
    index: usize,
    sentence: &str,
) -> Option<(Trigger, String)> {
    let (kind, task, points_back) = match ownership::claim(sentence)? {
        ownership::Claim::Speaker { task: Some(task) } => (TriggerKind::Commitment, task, false),
        ownership::Claim::Speaker { task: None } => {
            // What it points back to: first what the speaker just said in the same turn ("the
            // usage report… You'll have it tomorrow"), then a need or request of the last turns.
            let own = &utterances[index];
            let before_it: Vec<_> = sentences(&own.text)
                .into_iter()
                .take_while(|s| s.text != sentence)
                .collect();
            let verb = if sentence.to_lowercase().contains("you'll") {
                "send"
            } else {
                "handle"
            };
            let same_turn = before_it
                .iter()
                .rev()
                .find_map(|s| ownership::leading_noun_phrase(s.text, verb));
            let earlier = utterances[index.saturating_sub(2)..index]
                .iter()
                .rev()
                .flat_map(|u| sentences(&u.text).into_iter().rev().collect::<Vec<_>>());
            let task = same_turn.or_else(|| {
                earlier.into_iter().find_map(|s| {
                    ownership::stated_need(s.text).or_else(|| {
                        find_trigger(s.text)
                            .filter(|t| t.kind == TriggerKind::Request)
                            .and_then(|t| task::imperative(s.text, &t.verb))
                    })
                })
            })?;
            (TriggerKind::Commitment, task, true)
        }
        // "Your legal team will review it": the other side's, as a request to it is.
        ownership::Claim::OtherSide { task } => (TriggerKind::Request, task, false),
    };
    let verb = task
        .split_whitespace()
        .next()
        .map(str::to_lowercase)
        .unwrap_or_default();
    let trigger = Trigger {
        kind,
        named_owner: None,
        anaphoric: points_back,
        delivery: true,
        verb,
    };
    Some((trigger, task))
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

/// "Want me to send the deck?" – "Thanks, but no need." drops the offer; "Can you let us out of
/// the contract?" – "I can't do that one" drops the request. "No problem" accepts.
fn declined(utterances: &[Utterance], index: usize, kind: TriggerKind) -> bool {
    let Some(reply) = reply_to(utterances, index).map(|at| &utterances[at]) else {
        return false;
    };
    let lower = reply.text.to_lowercase().replace('’', "'");
    let mut rest = lower.trim_start();
    // "Thanks, but no need", "oh, um, no": politeness before the answer.
    for lead in ["thanks", "thank you", "oh", "um", "uh", "honestly", "but"] {
        if let Some(after) = rest.strip_prefix(lead) {
            rest = after.trim_start_matches([',', ' ', '.']);
        }
    }
    let starts = |p: &str| {
        rest.starts_with(p)
            && rest[p.len()..]
                .chars()
                .next()
                .is_none_or(|c| !c.is_alphanumeric())
    };
    if ["no problem", "no worries", "no doubt"]
        .iter()
        .any(|p| starts(p))
    {
        return false;
    }
    let refusal = [
        "no",
        "nah",
        "not really",
        "not yet",
        "not right now",
        "not for now",
        "no need",
        "not necessary",
        "that's okay",
        "that's ok",
        "i'm good",
        "we're good",
        "we're fine",
        "we're all set",
        "don't worry",
        "i'll pass",
        "we'll pass",
        "maybe later",
        "i'd rather not",
        "id rather not",
        "we'd rather not",
        "rather not",
    ]
    .iter()
    .any(|p| starts(p))
        || rest.contains("but no need");
    // Only a request can be refused as impossible; an offer is refused by not wanting it.
    let impossible = kind == TriggerKind::Request
        && [
            "i can't",
            "we can't",
            "i cannot",
            "we cannot",
            "unfortunately",
            "i'm afraid",
            "that's not something",
            "that won't be possible",
            "i won't be able",
            "we won't be able",
        ]
        .iter()
        .any(|p| rest.starts_with(p) || rest.contains(&format!(", {p}")));
    refusal || impossible
}

fn merge_restatements(found: Vec<Found>) -> Vec<ActionItem> {
    let mut kept: Vec<Found> = Vec::new();
    for f in found {
        let target = kept.iter_mut().rev().find_map(|k| {
            let near = f.index > k.index && f.index - k.index <= MERGE_WINDOW || f.index == k.index;
            // Taken on in the next turn, whichever of its cues.
            let accepted = k.kind == TriggerKind::Request
                && f.turn == k.turn + 1
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
            // In a turn that says it is a recap, one shared word names the same work ("I'll
            // come back on December billing Monday" for "confirm with billing how December is
            // charged and come back to you").
            let summed_up = f.in_recap && f.index > k.index && shared >= 1;
            // "I'll build out your sandbox." – "You'll have the sandbox login tomorrow.": the same
            // speaker's next delivery about the same thing dates the first.
            let delivered = f.delivery && f.index <= k.index + 1 && shared >= 1;
            let same =
                near && (accepted || restated || delivered || shared >= 2) || recap || summed_up;
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
