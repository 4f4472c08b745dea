//! An action item's text as a short task in the imperative, from the words of the call:
//! "Sounds good, I'll send you the revised proposal by Friday so you can review it" becomes
//! "Send the revised proposal". What a rep pastes into a CRM says what to do, not who said it,
//! when (the due date is its own field) or why.

use super::patterns::base_form;
use crate::insights::dates::{is_weekday, MONTHS};

/// Longest task, in words; a longer clause is cut at a word boundary.
const MAX_WORDS: usize = 12;

/// Pronouns that name the receiver right after a delivery verb ("send you the deck").
const RECEIVERS: [&str; 7] = ["you", "me", "us", "them", "him", "her", "y'all"];

/// Does a date start at `at`? ("Friday", "end of day", "the 15th", "next week", "tomorrow").
fn date_starts(words: &[String], at: usize) -> bool {
    let Some(w) = words.get(at).map(String::as_str) else {
        return false;
    };
    let next = words.get(at + 1).map(String::as_str).unwrap_or("");
    is_weekday(w.trim_end_matches("'s"))
        || MONTHS.contains(&w)
        || w.chars().next().is_some_and(|c| c.is_ascii_digit())
        || matches!(
            w,
            "tomorrow" | "today" | "tonight" | "eod" | "cob" | "asap" | "then"
        )
        || w == "end" && next == "of"
        || w == "close" && next == "of"
        || matches!(w, "next" | "this" | "early" | "first")
            && (is_weekday(next) || matches!(next, "week" | "month" | "thing" | "quarter" | "year"))
        || w == "the"
            && (matches!(next, "end" | "close" | "weekend")
                || next.chars().next().is_some_and(|c| c.is_ascii_digit()))
}

/// Words that end the task: a date, a reason, a condition or a new clause begins there.
fn ends_task(words: &[String], at: usize) -> bool {
    let w = words[at].as_str();
    let next = words.get(at + 1).map(String::as_str).unwrap_or("");
    match w {
        // "on the next call", "at our next meeting": when, not what.
        "at" | "during" | "for" | "in" | "on"
            if matches!(next, "the" | "our" | "your")
                && words
                    .get(at + 2)
                    .is_some_and(|u| matches!(u.as_str(), "next" | "call" | "meeting")) =>
        {
            true
        }
        // "by Friday" ends it; "run that by our CFO" does not.
        "by" | "before" | "until" | "on" => date_starts(words, at + 1),
        // "no later than Friday".
        "no" => {
            words.get(at + 1).is_some_and(|w| w == "later")
                && words.get(at + 2).is_some_and(|w| w == "than")
        }
        "because" | "if" | "once" | "when" | "after" | "since" | "unless" | "while" => true,
        "so" => matches!(
            next,
            "that" | "you" | "we" | "i" | "they" | "it" | "he" | "she"
        ),
        "and" | "but" => matches!(
            next,
            "then" | "i" | "i'll" | "we" | "we'll" | "you" | "you'll" | "they" | "that" | "if"
        ),
        "in" => {
            next.chars().all(|c| c.is_ascii_digit())
                || matches!(next, "a" | "the" | "two" | "three")
                    && words.get(at + 2).is_some_and(|u| {
                        matches!(
                            u.as_str(),
                            "day" | "days" | "week" | "weeks" | "couple" | "few" | "next"
                        )
                    })
        }
        _ => date_starts(words, at),
    }
}

/// Words that open a new clause after a comma ("…the support tiers, that would be good").
const CLAUSE_STARTS: [&str; 33] = [
    "that", "which", "so", "and", "but", "because", "if", "since", "then", "just", "okay", "i",
    "we", "you", "they", "it", "he", "she", "it's", "that's", "we'll", "i'll", "he's", "she's",
    "we're", "they're", "you're", "i'm", "there's", "it'll", "please", "thanks", "though",
];

/// Words a task does not end on.
const TRAILING: [&str; 13] = [
    "over", "too", "then", "quickly", "and", "the", "a", "to", "for", "with", "of", "there", "in",
];

/// Sentence tokens with their inner hyphens and apostrophes ("side-by-side", "we'll"), and
/// whether a comma (or a dash, a semicolon) follows each.
fn task_tokens(sentence: &str) -> Vec<(String, bool)> {
    sentence
        .split_whitespace()
        .filter_map(|raw| {
            let raw = raw.replace('’', "'");
            let comma = raw.ends_with([',', ';', ':']) || raw == "—" || raw == "-";
            let word = raw
                .trim_matches(|c: char| !(c.is_alphanumeric()))
                .to_string();
            (!word.is_empty()).then_some((word, comma))
        })
        .collect()
}

/// The task for a sentence whose follow-up verb is `verb`, or `None` when the verb is not found
/// (the caller keeps the tidied sentence then).
pub(super) fn imperative(sentence: &str, verb: &str) -> Option<String> {
    let tokens = task_tokens(sentence);
    let original: Vec<String> = tokens.iter().map(|(w, _)| w.clone()).collect();
    let lower: Vec<String> = original.iter().map(|w| w.to_lowercase()).collect();
    // The verb as the task says it: "The quote you sent was wrong, I'll send a new one" has
    // "send" twice; the one after a modal, a subject or "to" is the promise.
    let said_at: Vec<usize> = (0..lower.len())
        .filter(|&i| lower[i] == verb || base_form(&lower[i]) == verb)
        .collect();
    let introduced = |i: usize| {
        i > 0
            && matches!(
                lower[i - 1].as_str(),
                "i'll"
                    | "we'll"
                    | "will"
                    | "to"
                    | "can"
                    | "please"
                    | "let's"
                    | "me"
                    | "us"
                    | "you"
                    | "gonna"
                    | "should"
                    | "i"
                    | "we"
                    | "and"
                    | "just"
                    | "also"
            )
    };
    let at = said_at
        .iter()
        .copied()
        .find(|&i| introduced(i))
        .or_else(|| said_at.first().copied())?;
    let mut out: Vec<String> = Vec::new();
    let mut i = at;
    // "have the quote to you", "get it over to you": the delivery is a send.
    let handed_over = matches!(verb, "have" | "get")
        && lower[at + 1..]
            .windows(2)
            .take(6)
            .any(|w| w[1] == "you" && matches!(w[0].as_str(), "to" | "over"));
    // "let me know whether…" asks the other side to confirm.
    let confirm = verb == "let" || verb == "know";
    if confirm {
        let know = lower[at..].iter().position(|w| w == "know")? + at;
        out.push("Confirm".into());
        i = know + 1;
    } else {
        // "I'll have a sandbox loaded": what the task asks is to get it done.
        let said = match verb {
            _ if handed_over => "send",
            "have" => "get",
            _ => verb,
        };
        out.push(capitalised(said));
        i += 1;
    }
    if !confirm
        && lower
            .get(i)
            .is_some_and(|w| RECEIVERS.contains(&w.as_str()))
        && lower
            .get(i + 1)
            .is_some_and(|n| !matches!(n.as_str(), "know"))
        && matches!(
            verb,
            "send" | "email" | "forward" | "shoot" | "get" | "give" | "drop" | "have" | "show"
        )
    {
        i += 1;
    }
    let object_from = i;
    let mut cut_at_date = false;
    while i < original.len() && out.len() < MAX_WORDS {
        let after_comma = i > object_from && tokens[i - 1].1;
        if after_comma && CLAUSE_STARTS.contains(&lower[i].as_str()) {
            break;
        }
        if ends_task(&lower, i) {
            cut_at_date = date_starts(&lower, i) || date_starts(&lower, i + 1);
            break;
        }
        // "have the quote over to you": the hand-over words go with the verb.
        if handed_over
            && matches!(lower[i].as_str(), "to" | "over")
            && lower.get(i + 1).is_some_and(|n| n == "you" || n == "to")
        {
            break;
        }
        out.push(original[i].clone());
        i += 1;
    }
    // "Let's pencil in Wednesday afternoon": when the date is the whole object, keep it.
    if cut_at_date && out.len() <= 2 && !confirm {
        while i < original.len() && out.len() < MAX_WORDS && !tokens[i - 1].1 {
            out.push(original[i].clone());
            i += 1;
        }
    }
    while out.len() > 1
        && out
            .last()
            .is_some_and(|w| TRAILING.contains(&w.to_lowercase().as_str()))
    {
        out.pop();
    }
    Some(out.join(" "))
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::imperative;

    #[test]
    fn tasks_from_spoken_sentences() {
        for (sentence, verb, task) in [
            (
                "Sounds good, I'll send you the revised proposal by Friday so you can review it.",
                "send",
                "Send the revised proposal",
            ),
            (
                "Could you loop in your CFO on the next call?",
                "loop",
                "Loop in your CFO",
            ),
            (
                "I'll have the updated quote over to you first thing Monday.",
                "have",
                "Send the updated quote",
            ),
            (
                "Let me know whether legal signs off on the DPA.",
                "let",
                "Confirm whether legal signs off on the DPA",
            ),
            (
                "Sarah will set up the sandbox and then we can test the SSO flow.",
                "set",
                "Set up the sandbox",
            ),
            (
                "I'll check with our security team if that's covered in the SOC 2 report.",
                "check",
                "Check with our security team",
            ),
        ] {
            assert_eq!(
                imperative(sentence, verb).as_deref(),
                Some(task),
                "{sentence}"
            );
        }
    }

    #[test]
    fn a_missing_verb_gives_none() {
        assert_eq!(imperative("Thanks, that works.", "send"), None);
    }
}
