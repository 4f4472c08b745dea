//! Needs stated with a deadline: "We would like the proposal by Friday", "I'll need the signed
//! order form before the 15th". No follow-up verb is said, but the other side is being asked to
//! deliver something by a date, which makes it a request.

use super::patterns::{hedged, tokens, Trigger, TriggerKind};

/// The speaker (or their team) as the one who needs something.
const SUBJECTS: [&str; 6] = ["we", "i", "we'd", "i'd", "we'll", "i'll"];

/// What follows the subject to say they need something; contractions are split off the subject
/// ("we'd like" is "we'd" + "like").
/// ("I'd expect an answer by Wednesday" is left out: it is as often a forecast as a request.)
const WANTING: [&[&str]; 12] = [
    &["would", "like"],
    &["like"],
    &["would", "love"],
    &["love"],
    &["need"],
    &["really", "need"],
    &["will", "need"],
    &["would", "need"],
    &["want"],
    &["really", "want"],
    &["must", "have"],
    &["are", "hoping", "for"],
];

/// A thing, not an action, must follow: "need the proposal", not "need to think". "this" and
/// "that" are left out: "I want this done by Friday" is about the speaker's own goal.
const DETERMINERS: [&str; 7] = ["the", "a", "an", "your", "some", "those", "any"];

/// Words that make the date a deadline rather than the time of an event ("a call on Friday").
const DEADLINES: [&str; 5] = ["by", "before", "until", "latest", "than"];

/// A request when the sentence states a need for a deliverable by a deadline; the caller still
/// has to find a due date in it.
pub(crate) fn wanted_by_deadline(sentence: &str) -> Option<Trigger> {
    if sentence.trim_end().ends_with('?') {
        return None;
    }
    let words: Vec<String> = tokens(sentence).iter().map(|w| w.to_lowercase()).collect();
    let subject = words.iter().position(|w| SUBJECTS.contains(&w.as_str()))?;
    if hedged(&words[..subject]) {
        return None;
    }
    let after = subject + 1;
    let wanting = WANTING
        .iter()
        .filter(|p| {
            p.iter()
                .enumerate()
                .all(|(k, s)| words.get(after + k).is_some_and(|w| w == s))
        })
        .map(|p| p.len())
        .max()?;
    // "we'd like" / "I'd love" need the contracted subject; "we like the proposal" is praise.
    let contracted = words[subject].ends_with("'d") || words[subject].ends_with("'ll");
    let bare_like = matches!(words[after].as_str(), "like" | "love");
    if bare_like && !contracted {
        return None;
    }
    let object = words.get(after + wanting)?;
    if !DETERMINERS.contains(&object.as_str()) {
        return None;
    }
    let rest = &words[after + wanting..];
    if !rest.iter().any(|w| DEADLINES.contains(&w.as_str())) {
        return None;
    }
    Some(Trigger {
        kind: TriggerKind::Request,
        named_owner: None,
        anaphoric: false,
        delivery: true,
        verb: "deliver".into(),
    })
}

#[cfg(test)]
mod tests {
    use super::wanted_by_deadline;

    #[test]
    fn needs_with_a_deadline_are_requests() {
        for s in [
            "We would like the proposal by Friday.",
            "We'd like the final quote before the end of the month.",
            "I'll need the signed order form before the 15th.",
            "We really need an updated security questionnaire by next Tuesday.",
            "So we need the pricing sheet no later than Monday.",
        ] {
            assert!(wanted_by_deadline(s).is_some(), "{s}");
        }
    }

    #[test]
    fn praise_plans_questions_and_events_are_not() {
        for s in [
            "We like the proposal a lot.",
            "We need to think about it by Friday.",
            "Would you like the proposal by Friday?",
            "We would like a call on Friday.",
            "If we need the proposal by Friday, I'll tell you.",
            "We need the integration.",
            "I want this done before the end of the month.",
        ] {
            assert!(wanted_by_deadline(s).is_none(), "{s}");
        }
    }
}
