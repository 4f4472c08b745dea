//! Phrase patterns that make a sentence an action item, and the ones that disqualify it.

use super::lexicon::{
    COMMITMENTS, DELIVERY_VERBS, FOLLOW_UP_VERBS, HEDGES, IN_CALL_OBJECTS, NOT_COMMITMENTS,
    NOT_NAMES, OFFERS, PLEASANTRIES, REQUESTS, SHARED, SKIPPABLE,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TriggerKind {
    /// The speaker commits: "I'll send", "we're going to", "let me check with legal".
    Commitment,
    /// The speaker offers, pending the other side's answer: "want me to send…?".
    Offer,
    /// The speaker asks the other side: "can you loop in your CFO".
    Request,
    /// Joint next step: "let's schedule", "we should get legal involved".
    Shared,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Trigger {
    pub kind: TriggerKind,
    pub named_owner: Option<String>,
    /// The object is a pronoun ("I'll send it today"): likely a restatement of an earlier item.
    pub anaphoric: bool,
    /// The object is handed over (send, share, get to you): restatements of deliveries merge.
    pub delivery: bool,
    /// The follow-up verb, lowercased ("send", "set", …).
    pub verb: String,
}

/// A sentence as the patterns read it: lowercased tokens, where its capitalised words (names)
/// are, and the lowercased text.
struct Sentence {
    words: Vec<String>,
    names: Vec<usize>,
    lower: String,
}

pub(super) fn tokens(sentence: &str) -> Vec<String> {
    sentence
        .split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
        .filter(|w| !w.is_empty())
        .map(|w| w.replace('’', "'"))
        .collect()
}

fn starts_with_at(words: &[String], at: usize, seq: &[&str]) -> bool {
    seq.iter()
        .enumerate()
        .all(|(k, s)| words.get(at + k).is_some_and(|w| w.eq_ignore_ascii_case(s)))
}

/// Finds the first action-item trigger in a sentence, or `None` when it is not an action item.
pub(crate) fn find_trigger(sentence: &str) -> Option<Trigger> {
    let lower = sentence.to_lowercase().replace('’', "'");
    if NOT_COMMITMENTS.iter().any(|p| lower.contains(p)) {
        return None;
    }
    if let Some(at) = PLEASANTRIES.iter().filter_map(|p| lower.find(p)).min() {
        // "Feel free to reach out if you need anything" promises nothing, but in "I'll check back
        // in two weeks to see if you need anything" the commitment comes first: look only there.
        let before: String = sentence
            .replace('’', "'")
            .chars()
            .take(lower[..at].chars().count())
            .collect();
        return find_trigger(&before);
    }
    let original = tokens(sentence);
    // "Let me check.", "Let me just check." on their own are done during the call.
    let quick = original.len() == 4
        && original
            .iter()
            .any(|w| matches!(w.as_str(), "just" | "quickly" | "quick"));
    if (original.len() <= 3 || quick) && lower.starts_with("let me") {
        return None;
    }
    // "Which rooms would you put in the pilot?" asks for an answer, not for work ("what if I
    // send you a draft?" offers).
    if sentence.trim_end().ends_with('?')
        && original.first().is_some_and(|w| {
            matches!(
                w.to_lowercase().as_str(),
                "which" | "what" | "where" | "who" | "whose"
            )
        })
        && !lower.starts_with("what if")
    {
        return None;
    }
    let words: Vec<String> = original.iter().map(|w| w.to_lowercase()).collect();
    let capitalised: Vec<usize> = original
        .iter()
        .enumerate()
        .filter(|(i, w)| {
            *i > 0
                && w.chars().next().is_some_and(char::is_uppercase)
                && !NOT_NAMES.contains(&w.as_str())
        })
        .map(|(i, _)| i)
        .collect();
    let read = Sentence {
        words: words.clone(),
        names: capitalised,
        lower: lower.clone(),
    };
    let is_question = sentence.trim_end().ends_with('?');
    for at in 0..words.len() {
        if let Some((kind, len)) = match_trigger(&words, at) {
            if !acceptable(&words, at, len, kind, is_question) {
                continue;
            }
            // In "let me know" the trigger ends with its own verb.
            let verb_at = if words[at..at + len].last().is_some_and(|w| w == "know") {
                at + len - 1
            } else {
                skip_fillers(&words, at + len)
            };
            let Some((anaphoric, verb_at)) = follow_up_verb(&read, verb_at, kind) else {
                continue;
            };
            let delivery = DELIVERY_VERBS.contains(&words[verb_at].as_str());
            return Some(Trigger {
                kind,
                named_owner: None,
                anaphoric,
                delivery,
                verb: base_form(&words[verb_at]),
            });
        }
        // "Sarah will send the contract": a named person, not the speaker, owns it.
        if at > 0 || words.len() > 2 {
            if let Some(name) = named_subject(&original, &words, at) {
                let verb_at = skip_fillers(&words, at + 2);
                if !is_question && !hedged(&words[..at]) {
                    if let Some((anaphoric, verb_at)) =
                        follow_up_verb(&read, verb_at, TriggerKind::Commitment)
                    {
                        let delivery = DELIVERY_VERBS.contains(&words[verb_at].as_str());
                        return Some(Trigger {
                            kind: TriggerKind::Commitment,
                            named_owner: Some(name),
                            anaphoric,
                            delivery,
                            verb: words[verb_at].clone(),
                        });
                    }
                }
            }
        }
    }
    imperative_request(&words)
}

fn match_trigger(words: &[String], at: usize) -> Option<(TriggerKind, usize)> {
    let groups: [(&[&[&str]], TriggerKind); 4] = [
        (&OFFERS, TriggerKind::Offer),
        (&REQUESTS, TriggerKind::Request),
        (&SHARED, TriggerKind::Shared),
        (&COMMITMENTS, TriggerKind::Commitment),
    ];
    for (patterns, kind) in groups {
        if let Some(p) = patterns
            .iter()
            .filter(|p| starts_with_at(words, at, p))
            .max_by_key(|p| p.len())
        {
            return Some((kind, p.len()));
        }
    }
    None
}

pub(super) fn hedged(before: &[String]) -> bool {
    before.iter().any(|w| HEDGES.contains(&w.as_str()))
}

fn acceptable(
    words: &[String],
    at: usize,
    len: usize,
    kind: TriggerKind,
    is_question: bool,
) -> bool {
    let trigger = words[at..at + len].join(" ");
    let before = &words[..at];
    // "something I can put in front of our COO" describes a thing; "they let us publish it"
    // tells what someone allowed. Neither is anyone's task.
    let previous = before.last().map(String::as_str).unwrap_or("");
    if matches!(
        previous,
        "something" | "anything" | "everything" | "whatever" | "which"
    ) || trigger.starts_with("let")
        && matches!(previous, "they" | "he" | "she" | "it" | "who" | "you")
    {
        return false;
    }
    if hedged(before) && trigger != "if you could" {
        return false;
    }
    let after = words.get(at + len).map(String::as_str).unwrap_or("");
    if matches!(after, "not" | "never") {
        return false;
    }
    // "that's not something I can change", "there's nothing I can do": negated before it.
    // "No problem, I'll send it" and "not a problem" accept.
    let window = &before[at.saturating_sub(3)..];
    let negated = window
        .iter()
        .any(|w| matches!(w.as_str(), "not" | "never" | "nothing"));
    let accepting = window
        .iter()
        .any(|w| matches!(w.as_str(), "problem" | "worries" | "worry"));
    if negated && !accepting {
        return false;
    }
    if trigger.starts_with("i'd") && answered_anyway(&words[at + len..]) {
        return false;
    }
    match kind {
        // A commitment phrased as a question is a question ("will I be able to…?").
        TriggerKind::Commitment | TriggerKind::Shared => !is_question,
        // "Would you mind if I…" is the speaker's offer, not a request.
        TriggerKind::Request => {
            !(trigger == "would you"
                && after == "mind"
                && words.get(at + len + 1).is_some_and(|w| w == "if"))
        }
        TriggerKind::Offer => true,
    }
}

/// "I'd have to check, but I'd say about four hundred": a conditional followed by the answer
/// itself is a hedge inside the call, not work for after it.
fn answered_anyway(rest: &[String]) -> bool {
    const ANSWERS: [&str; 8] = [
        "i'd say",
        "i think",
        "i believe",
        "usually",
        "probably",
        "typically",
        "generally",
        "normally",
    ];
    rest.iter().position(|w| w == "but").is_some_and(|but| {
        let next = rest[but + 1..rest.len().min(but + 5)].join(" ");
        ANSWERS.iter().any(|a| next.contains(a))
    })
}

fn skip_fillers(words: &[String], mut at: usize) -> usize {
    // "be" only in "be able to": "we need you to be set up" is passive, not a task for "you".
    while words.get(at).is_some_and(|w| {
        SKIPPABLE.contains(&w.as_str())
            || (w == "be" && words.get(at + 1).is_some_and(|n| n == "able"))
    }) {
        at += 1;
    }
    at
}

/// "I'll have Mariam in supplier quality send you the template", "get our engineer, Keiko, to
/// write up the requirements": the work is the second verb, done by someone the speaker sends.
fn delegated_verb(words: &[String], names: &[usize], at: usize) -> Option<usize> {
    let verb = words.get(at)?.as_str();
    let window = at + 2..words.len().min(at + 8);
    match verb {
        "have" => {
            let who = words.get(at + 1)?.as_str();
            let person = matches!(who, "someone" | "somebody" | "our" | "my" | "one")
                || names.contains(&(at + 1));
            person
                .then(|| {
                    window
                        .clone()
                        .find(|&i| FOLLOW_UP_VERBS.contains(&words[i].as_str()))
                })
                .flatten()
        }
        "get" => window
            .clone()
            .find(|&i| {
                words[i] == "to"
                    && words
                        .get(i + 1)
                        .is_some_and(|v| FOLLOW_UP_VERBS.contains(&v.as_str()))
            })
            .map(|i| i + 1),
        _ => None,
    }
}

/// Is there a follow-up verb at `at`? Returns whether its object is a pronoun, and where the
/// verb of the work is (a delegated verb, or `at`).
fn follow_up_verb(sentence: &Sentence, at: usize, kind: TriggerKind) -> Option<(bool, usize)> {
    let (words, lower) = (&sentence.words, sentence.lower.as_str());
    if let Some(work) = delegated_verb(words, &sentence.names, at) {
        let object = words.get(work + 1).map(String::as_str).unwrap_or("");
        let anaphoric = matches!(object, "it" | "that" | "them" | "this" | "those" | "these");
        return Some((anaphoric, work));
    }
    // "would it help if I joined the call": the offer is said in the past tense.
    let base = base_form(words.get(at)?);
    let verb = if kind == TriggerKind::Offer {
        base.as_str()
    } else {
        words[at].as_str()
    };
    let rest = words[at + 1..].join(" ");
    // "share one thing on my screen", "add from my side": inside the call.
    if IN_CALL_OBJECTS.iter().any(|o| rest.starts_with(o))
        || rest.contains("my screen")
        || verb == "add" && rest.starts_with("from")
    {
        return None;
    }
    let object = words.get(at + 1).map(String::as_str).unwrap_or("");
    let anaphoric = matches!(object, "it" | "that" | "them" | "this" | "those" | "these")
        || rest.starts_with("you it")
        || rest.starts_with("you that");
    let ok = match verb {
        // "let me know" is a request only when it asks for a decision or information.
        "know" => {
            kind == TriggerKind::Request
                && matches!(
                    object,
                    "what" | "whether" | "when" | "which" | "how" | "once" | "by"
                )
        }
        // Delivery: "I'll have that to you by Friday", "get it over to you", "get back to you".
        "have" | "get" => {
            // Eleven words: the thing handed over may be long ("get the SOC 2 report and the
            // HIPAA attestation to you").
            let window = words[at + 1..words.len().min(at + 12)].join(" ");
            let delivery = [
                "to you",
                "to your",
                "on the calendar",
                "over",
                "back",
                "ready",
                "an answer",
                "for you",
                "sign",
                "approv",
                "buy-in",
            ]
            .iter()
            .any(|p| window.contains(p))
                || matches!(object, "you" | "us");
            // "I'll have a sandbox loaded with your data by Friday", "I'll get that credit
            // memo issued": the thing, then its state.
            let prepared = matches!(verb, "have" | "get")
                && matches!(
                    object,
                    "a" | "an" | "the" | "your" | "it" | "that" | "everything"
                )
                && words[at + 2..words.len().min(at + 9)].iter().any(|w| {
                    w.len() > 4 && w.ends_with("ed")
                        || matches!(
                            w.as_str(),
                            "ready"
                                | "done"
                                | "set"
                                | "built"
                                | "written"
                                | "site"
                                | "onsite"
                                | "live"
                        )
                });
            delivery || prepared
        }
        "let" => matches!(object, "me" | "us") && words.get(at + 2).is_some_and(|w| w == "know"),
        // "could you see if he'd be up for it" / "let me see what I can do".
        "see" => matches!(object, "if" | "whether") || rest.starts_with("what i can do"),
        "make" => object == "sure",
        "take" => rest.contains("to our") || rest.contains("to my") || rest.contains("to the"),
        "give" => rest.contains("heads up") || rest.contains("a call") || rest.contains("access"),
        "look" => matches!(object, "into" | "over" | "at" | "for"),
        // "I'll come back to you with a revised proposal".
        "come" => object == "back",
        // "run it by legal", "run a session", "run the numbers"; not "run late", "run into".
        "run" => !matches!(
            object,
            "out" | "into" | "late" | "over" | "long" | "behind" | "short" | "through" | "back"
        ),
        // "let's talk about pricing" moves the conversation; "talk to legal about it" is a task.
        "talk" | "chat" => object != "about",
        "set" => object == "up" || rest.contains("up"),
        _ => FOLLOW_UP_VERBS.contains(&verb),
    };
    // "can I ask you something", "let me ask the money question": moves inside the call. Asking
    // someone else ("ask our legal team", "ask Priya") is work for after it.
    let in_call = verb == "ask"
        && (object == "you"
            || lower.contains("ask you")
            || !(matches!(
                object,
                "our" | "my" | "him" | "her" | "them" | "legal" | "finance"
            ) || sentence.names.contains(&(at + 1))));
    // "let's talk data", "let's talk rollout", "let's get back to the associates": the agenda
    // of this call ("get back to you" is work for after it).
    let agenda = kind == TriggerKind::Shared
        && (matches!(verb, "talk" | "chat" | "discuss" | "catch")
            && !matches!(object, "to" | "with")
            || matches!(verb, "get" | "go" | "come")
                && object == "back"
                && words.get(at + 2).is_some_and(|w| w == "to")
                && words
                    .get(at + 3)
                    .is_some_and(|w| !matches!(w.as_str(), "you" | "them" | "him" | "her")));
    // "shall I quickly talk through the plan", "let me update it while we're talking": done
    // during the call.
    // (After the verb: "we're swamped right now, but I'll get you pricing" is work.)
    let during_call = [
        "while we're talking",
        "as we speak",
        "while we're on the call",
        "right now",
    ]
    .iter()
    .any(|p| rest.contains(p))
        || lower.contains("quickly")
            && matches!(verb, "talk" | "walk" | "go" | "run")
            && rest.contains("through");
    (ok && !in_call && !agenda && !during_call).then_some((anaphoric, at))
}

/// The base form of a follow-up verb said in the past tense ("joined" → "join", "sent" →
/// "send"); other words as they are.
pub(super) fn base_form(word: &str) -> String {
    const IRREGULAR: [(&str, &str); 8] = [
        ("sent", "send"),
        ("got", "get"),
        ("made", "make"),
        ("wrote", "write"),
        ("took", "take"),
        ("brought", "bring"),
        ("gave", "give"),
        ("ran", "run"),
    ];
    if FOLLOW_UP_VERBS.contains(&word) {
        return word.to_string();
    }
    if let Some((_, base)) = IRREGULAR.iter().find(|(past, _)| *past == word) {
        return base.to_string();
    }
    [word.strip_suffix("ed"), word.strip_suffix('d')]
        .into_iter()
        .flatten()
        .find(|b| FOLLOW_UP_VERBS.contains(b))
        .map_or_else(|| word.to_string(), str::to_string)
}

/// "Sarah will …", "Sarah's going to …": returns the name when the word at `at` is one.
fn named_subject(original: &[String], words: &[String], at: usize) -> Option<String> {
    let word = original.get(at)?;
    let modal_next = words.get(at + 1).is_some_and(|w| w == "will")
        && words.get(at + 2).is_none_or(|w| w != "be");
    let contracted = word.ends_with("'ll");
    let name = word.trim_end_matches("'ll");
    let capitalised = name.chars().next().is_some_and(char::is_uppercase)
        && name.chars().skip(1).all(char::is_lowercase)
        && name.len() > 1;
    if !capitalised || NOT_NAMES.contains(&name) || !(modal_next || contracted) {
        return None;
    }
    Some(name.to_string())
}

/// "Send me the redlines when you can." – an imperative addressed to the other side.
fn imperative_request(words: &[String]) -> Option<Trigger> {
    let first = words.iter().position(|w| {
        !matches!(
            w.as_str(),
            "so" | "and" | "yeah" | "okay" | "oh" | "um" | "uh" | "also" | "just"
        )
    })?;
    let verb = words[first].as_str();
    let object = words.get(first + 1).map(String::as_str).unwrap_or("");
    let imperative = matches!(
        verb,
        "send" | "shoot" | "forward" | "email" | "loop" | "ping" | "drop"
    ) && matches!(
        object,
        "me" | "us" | "over" | "it" | "them" | "that" | "the" | "in"
    );
    imperative.then(|| Trigger {
        kind: TriggerKind::Request,
        named_owner: None,
        anaphoric: false,
        delivery: true,
        verb: verb.to_string(),
    })
}
