//! Commitments that are not phrased "I'll + verb":
//!
//! - a deliverable promised as arriving: "you'll have the quote by Thursday", "you'll get the
//!   sandbox login tomorrow" (the speaker sends it);
//! - ownership stated without a verb of doing: "the data export is on me", "leave the pricing
//!   with me", "that's me, I'll take it" (the task is what was just asked for or needed);
//! - work a team of the speaker's will do: "our IT team will send the questionnaire", "our
//!   onboarding team can put together a plan".
//!
//! And what such a claim can point back to: a need stated just before ("someone on your side
//! needs to own the SSO setup"), whose words become the task.

use super::lexicon::FOLLOW_UP_VERBS;
use super::patterns::{hedged, tokens};
use super::task::imperative;

/// What a sentence claims, and the task's words where the sentence itself says them.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Claim {
    /// The speaker (or their team) will do it; `task` is `None` when the sentence only points
    /// back ("that's on me").
    Speaker { task: Option<String> },
    /// "Your team will …": the other side will.
    OtherSide { task: String },
}

/// Whether a sentence names a date does not depend on the day it is resolved against.
const ANY_DATE: chrono::NaiveDate = match chrono::NaiveDate::from_ymd_opt(2024, 1, 3) {
    Some(d) => d,
    None => chrono::NaiveDate::MIN,
};

const DETERMINERS: [&str; 9] = [
    "the", "a", "an", "that", "this", "those", "these", "it", "them",
];

/// Nouns that make "our/my/your … will" a team or colleague, not a thing.
const PARTIES: [&str; 16] = [
    "team",
    "teams",
    "department",
    "engineer",
    "engineers",
    "admin",
    "lead",
    "manager",
    "folks",
    "people",
    "partner",
    "counsel",
    "lawyers",
    "firm",
    "cfo",
    "cto",
];

pub(super) fn claim(sentence: &str) -> Option<Claim> {
    if sentence.trim_end().ends_with('?') {
        return None;
    }
    let original = tokens(sentence);
    let words: Vec<String> = original.iter().map(|w| w.to_lowercase()).collect();
    arriving(sentence, &original, &words)
        .or_else(|| with_you(&original, &words))
        .or_else(|| owned(&original, &words))
        .or_else(|| team(sentence, &words))
}

/// "You'll have the quote by Thursday": `have`/`get`/`receive` after "you'll", a thing after it
/// (not "you'll have to sign"), and a date or a hand-over word, which separates a delivery from
/// a product description ("you'll get a notification when…").
fn arriving(sentence: &str, original: &[String], words: &[String]) -> Option<Claim> {
    let at = words.windows(2).position(|w| {
        (w[0] == "you'll" || w[0] == "you'd") && matches!(w[1].as_str(), "have" | "get" | "receive")
    })?;
    if hedged(&words[..at]) {
        return None;
    }
    let object_at = at + 2;
    let object = words.get(object_at)?;
    if object == "to" || !DETERMINERS.contains(&object.as_str()) && object != "your" {
        return None;
    }
    let lower = sentence.to_lowercase();
    let handed_over = ["in your inbox", "from me", "from us", "over to you", "by "]
        .iter()
        .any(|p| lower.contains(p))
        || crate::insights::dates::resolve_due_date(sentence, ANY_DATE).is_some();
    if !handed_over {
        return None;
    }
    let pronoun = matches!(object.as_str(), "it" | "that" | "them" | "this");
    let task = if pronoun {
        // "The renewal quote at 75 seats, you'll have it by Friday": the thing comes first.
        dislocated(original, at)
    } else {
        let rest = original[object_at..].join(" ");
        imperative(&format!("send {rest}"), "send")
    };
    Some(Claim::Speaker { task })
}

/// "The revised proposal will be in your inbox by Friday": a thing of the speaker's side said to
/// be about to reach the listener. The sentence opens with the thing ("the", "our", "a"; not
/// "your", the listener's own), then "will be" and where it arrives.
fn with_you(original: &[String], words: &[String]) -> Option<Claim> {
    const ARRIVES: [&[&str]; 6] = [
        &["in", "your", "inbox"],
        &["with", "you"],
        &["over", "to", "you"],
        &["in", "your", "hands"],
        &["on", "your", "desk"],
        &["in", "your", "email"],
    ];
    let start = words
        .iter()
        .position(|w| !matches!(w.as_str(), "and" | "so" | "oh" | "okay" | "also" | "then"))?;
    if !matches!(words[start].as_str(), "the" | "our" | "a" | "an") {
        return None;
    }
    let at = words.windows(2).position(|w| w == ["will", "be"])?;
    let rest = &words[at + 2..];
    let arrives = ARRIVES
        .iter()
        .any(|place| rest.len() >= place.len() && rest[..place.len()] == **place);
    // "The proposal will be with you, unless legal objects" still arrives; "if" before it does not.
    if !arrives || at < start + 2 || hedged(&words[..at]) || words[..at].contains(&"if".to_string())
    {
        return None;
    }
    let thing = lowercase_determiners(&original[start..at]);
    let task = imperative(&format!("send {}", thing.join(" ")), "send");
    Some(Claim::Speaker { task })
}

/// "The proposal for both plants, …, that's on me": the noun phrase before the comma.
fn dislocated(original: &[String], before: usize) -> Option<String> {
    let lead = original.get(..before)?;
    let starts = lead.iter().position(|w| {
        matches!(
            w.to_lowercase().as_str(),
            "the" | "our" | "your" | "a" | "an"
        )
    })?;
    let phrase = lowercase_determiners(&lead[starts..]);
    (phrase.len() >= 2).then(|| imperative(&format!("send {}", phrase.join(" ")), "send"))?
}

/// "X is on me", "that's on me", "leave X with me", "that's me", "I'll take it", "I'll own that".
fn owned(original: &[String], words: &[String]) -> Option<Claim> {
    let joined = words.join(" ");
    let on_me = joined.ends_with("on me") || joined.contains(" on me ");
    let left_with_me = words.iter().position(|w| w == "leave").and_then(|at| {
        let with_me = words[at + 1..]
            .windows(2)
            .position(|w| w == ["with", "me"])?;
        Some(&original[at + 1..at + 1 + with_me])
    });
    if let Some(object) = left_with_me {
        return Some(Claim::Speaker {
            task: named_task(object),
        });
    }
    if on_me {
        // "the data export is on me": the subject is the task; "that's on me" points back.
        let cut = words
            .iter()
            .position(|w| matches!(w.as_str(), "is" | "that's" | "it's" | "one's"))?;
        return Some(Claim::Speaker {
            task: named_task(&original[..cut]),
        });
    }
    let points_back = matches!(
        joined.as_str(),
        "that's me" | "that'd be me" | "that will be me" | "that'll be me"
    ) || [
        "i'll take it",
        "i'll take that",
        "i can take that",
        "i'll own that",
        "i'll own it",
    ]
    .iter()
    .any(|p| joined.starts_with(p) || joined.ends_with(p));
    points_back.then_some(Claim::Speaker { task: None })
}

/// A task from a noun phrase: "the data export" → "Deliver the data export"; pronouns give `None`.
fn named_task(phrase: &[String]) -> Option<String> {
    let start = phrase.iter().position(|w| {
        matches!(
            w.to_lowercase().as_str(),
            "the" | "our" | "your" | "a" | "an" | "pricing" | "that"
        )
    })?;
    let phrase = lowercase_determiners(&phrase[start..]);
    let content = phrase
        .iter()
        .filter(|w| {
            !matches!(
                w.to_lowercase().as_str(),
                "the" | "a" | "an" | "that" | "one"
            )
        })
        .count();
    (content >= 1 && !(phrase.len() == 1 && phrase[0].eq_ignore_ascii_case("that")))
        .then(|| format!("Handle {}", phrase.join(" ")))
}

/// "The proposal" inside a task: determiners are never proper names.
fn lowercase_determiners(words: &[String]) -> Vec<String> {
    words
        .iter()
        .map(|w| match w.to_lowercase().as_str() {
            l @ ("the" | "our" | "your" | "a" | "an" | "that") => l.to_string(),
            _ => w.clone(),
        })
        .collect()
}

/// "Our IT team will send the questionnaire", "your legal team can review the DPA".
fn team(sentence: &str, words: &[String]) -> Option<Claim> {
    let at = words
        .iter()
        .position(|w| matches!(w.as_str(), "our" | "my" | "your"))?;
    if hedged(&words[..at]) {
        return None;
    }
    let party = (at + 1..words.len().min(at + 5)).find(|&i| {
        let w = words[i].trim_end_matches("'ll");
        PARTIES.contains(&w)
    })?;
    let contracted = words[party].ends_with("'ll");
    let verb_at = if contracted {
        party + 1
    } else {
        let modal = words.get(party + 1)?;
        let skip = match modal.as_str() {
            "will" | "can" | "should" => 2,
            "is" | "are" if words.get(party + 2).is_some_and(|w| w == "going") => 4,
            _ => return None,
        };
        party + skip
    };
    let verb_at = (verb_at..words.len().min(verb_at + 3))
        .find(|&i| FOLLOW_UP_VERBS.contains(&words[i].as_str()) && words[i] != "ask")?;
    // "My CFO is going to ask": a verb with nothing after it is no task.
    words.get(verb_at + 1)?;
    let task = imperative(sentence, &words[verb_at])?;
    if words[at] == "your" {
        Some(Claim::OtherSide { task })
    } else {
        Some(Claim::Speaker { task: Some(task) })
    }
}

/// Words that may stand between "we" and "need" ("we also need", "I really want").
const SUBJECT_ADVERBS: [&str; 8] = [
    "also",
    "really",
    "still",
    "definitely",
    "just",
    "actually",
    "certainly",
    "then",
];

/// "Someone on your side needs to own the SSO setup": a need for work nobody has taken on yet,
/// as the task a following "that's me" takes.
pub(super) fn stated_need(sentence: &str) -> Option<String> {
    let original = tokens(sentence);
    let words: Vec<String> = original.iter().map(|w| w.to_lowercase()).collect();
    // "I need the full list", "we also want the SOC 2 report": a deliverable wanted. An adverb
    // between the subject and the verb changes nothing.
    let said: Vec<usize> = (0..words.len())
        .filter(|&i| !SUBJECT_ADVERBS.contains(&words[i].as_str()))
        .collect();
    if let Some(at) = said.windows(3).position(|w| {
        matches!(words[w[0]].as_str(), "i" | "we")
            && matches!(words[w[1]].as_str(), "need" | "want" | "'d")
            && matches!(words[w[2]].as_str(), "the" | "a" | "an" | "your" | "some")
    }) {
        let phrase = lowercase_determiners(&original[said[at + 2]..]);
        return imperative(&format!("send {}", phrase.join(" ")), "send");
    }
    let at = words.windows(2).position(|w| {
        matches!(w[0].as_str(), "needs" | "need" | "has" | "have" | "should") && w[1] == "to"
            || w[0] == "someone" && w[1] == "should"
    })?;
    let verb = words.get(at + 2)?;
    let verb = if FOLLOW_UP_VERBS.contains(&verb.as_str()) || matches!(verb.as_str(), "own") {
        verb
    } else {
        return None;
    };
    imperative(sentence, verb)
}

/// "Oh, and the usage report you asked about, with the breakdown." / "The purchase order from
/// our side has to go through finance.": the thing a following "you'll have it" or "leave that
/// with me" is about, as a task.
pub(super) fn leading_noun_phrase(sentence: &str, verb: &str) -> Option<String> {
    let head = sentence.split(',').map(str::trim).find(|part| {
        !matches!(
            part.to_lowercase().as_str(),
            "oh" | "and" | "also" | "so" | "um" | "okay" | "oh and" | "and also"
        )
    })?;
    let original = tokens(head);
    let start = original
        .iter()
        .take(3)
        .position(|w| matches!(w.to_lowercase().as_str(), "the" | "our" | "your"))?;
    let end = original
        .iter()
        .skip(start)
        .position(|w| {
            matches!(
                w.to_lowercase().as_str(),
                "is" | "are" | "has" | "have" | "needs" | "was" | "will" | "should" | "must"
            )
        })
        .map_or(original.len(), |e| e + start);
    let phrase = lowercase_determiners(original.get(start..end)?);
    (phrase.len() >= 2).then(|| imperative(&format!("{verb} {}", phrase.join(" ")), verb))?
}

#[cfg(test)]
mod tests {
    use super::*;

    fn speaker(task: &str) -> Option<Claim> {
        Some(Claim::Speaker {
            task: Some(task.to_string()),
        })
    }

    #[test]
    fn deliveries_promised_as_arriving() {
        assert_eq!(
            claim("You'll have the sandbox login tomorrow."),
            speaker("Send the sandbox login")
        );
        assert_eq!(
            claim("The renewal quote at seventy-five seats, you'll have it by Friday."),
            speaker("Send the renewal quote at seventy five seats")
        );
        assert_eq!(claim("You'll have to sign it by Friday."), None);
        assert_eq!(claim("You'll get a notification when it syncs."), None);
        assert_eq!(
            claim("The revised proposal will be in your inbox by Friday."),
            speaker("Send the revised proposal")
        );
        assert_eq!(
            claim("Okay, and our security whitepaper will be with you tomorrow."),
            speaker("Send our security whitepaper")
        );
        // The listener's own thing, a hedge, a condition, or no arrival: no delivery.
        assert_eq!(claim("Your contract will be with you on Monday."), None);
        assert_eq!(
            claim("The proposal will maybe be in your inbox Friday."),
            None
        );
        assert_eq!(
            claim("If it's approved the quote will be with you Friday."),
            None
        );
        assert_eq!(claim("The new release will be out in March."), None);
    }

    #[test]
    fn ownership_without_a_verb() {
        assert_eq!(
            claim("The data export is on me."),
            speaker("Handle the data export")
        );
        assert_eq!(
            claim("Leave the pricing with me."),
            speaker("Handle the pricing")
        );
        assert_eq!(claim("That's on me."), Some(Claim::Speaker { task: None }));
        assert_eq!(claim("That's me"), Some(Claim::Speaker { task: None }));
        assert_eq!(claim("Count on me to be there?"), None);
        assert_eq!(
            claim("Before you leave, the data export is on me."),
            speaker("Handle the data export")
        );
    }

    #[test]
    fn teams_and_needs() {
        assert_eq!(
            claim("Our IT team will send you the questionnaire by end of next week."),
            speaker("Send the questionnaire")
        );
        assert_eq!(
            claim("Your legal team can review the DPA."),
            Some(Claim::OtherSide {
                task: "Review the DPA".into()
            })
        );
        assert_eq!(
            stated_need("We also need a summary of the uptime numbers for the board."),
            Some("Send a summary of the uptime numbers for the board".into())
        );
        assert_eq!(
            stated_need("Then someone on your side needs to own the SSO setup on the Okta end."),
            Some("Own the SSO setup on the Okta end".into())
        );
    }
}
