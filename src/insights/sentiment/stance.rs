//! What a sentence says about the deal, as opposed to how it sounds.
//!
//! A sales rep's "customer sentiment" is the customer's attitude toward the vendor, the proposal and
//! the next steps. VADER measures tone, which differs from that in three common ways:
//! - **Pain about the status quo.** In discovery the customer describes what is broken today ("right
//!   now it's chaos", "our old vendor was a disaster"). That is the reason they are talking to the
//!   rep, not a complaint about the rep. Negative sentences are therefore weighted by what they are
//!   about: the vendor or the deal (second person, pricing and contract words) count fully, the
//!   status quo and third parties ("currently", "we used to", "they") count little, and sentences
//!   with no visible target sit in between.
//! - **Objections in plain words.** "That's more than we expected", "we've decided not to renew",
//!   "I'm not convinced" carry no strongly negative word, so VADER scores them near zero. A phrase
//!   list scores them.
//! - **Buying signals.** "I'm sold", "let's do it", "get it signed" are likewise nearly neutral to
//!   VADER and are scored by a phrase list.
//!
//! Hedges ("we'll see", "I can't promise anything", "we'll reduce our seats") are evidence of a
//! neutral stance: a customer who only hedges is neither won nor lost.

use super::super::text::words;

/// A phrase that states a position on the deal, with the score it contributes.
struct Cue {
    phrase: &'static str,
    score: f64,
}

const OBJECTION: f64 = -0.6;
const HEDGE: f64 = -0.3;
const BUYING: f64 = 0.6;

const fn cue(phrase: &'static str, score: f64) -> Cue {
    Cue { phrase, score }
}

/// Matched on word boundaries in the lowercased sentence; apostrophes normalised to `'`.
const CUES: &[Cue] = &[
    // Price and budget objections.
    cue("too expensive", OBJECTION),
    cue("too much", OBJECTION),
    cue("too high", OBJECTION),
    cue("more than we expected", OBJECTION),
    cue("more than i expected", OBJECTION),
    cue("more than we budgeted", OBJECTION),
    cue("way more than", OBJECTION),
    cue("can't afford", OBJECTION),
    cue("cannot afford", OBJECTION),
    cue("no budget", OBJECTION),
    cue("don't have a budget", HEDGE),
    cue("don't have the budget", OBJECTION),
    cue("over budget", OBJECTION),
    cue("out of our budget", OBJECTION),
    cue("out of budget", OBJECTION),
    cue("cheaper", OBJECTION),
    cue("higher than we", OBJECTION),
    cue("than we budgeted", OBJECTION),
    cue("a lot of money", OBJECTION),
    // Rejection of the deal or the vendor.
    cue("not going to work", OBJECTION),
    cue("isn't going to work", OBJECTION),
    cue("won't work for us", OBJECTION),
    cue("doesn't work for us", OBJECTION),
    cue("not to renew", OBJECTION),
    cue("not renew", OBJECTION),
    cue("not renewing", OBJECTION),
    cue("wouldn't recommend", OBJECTION),
    cue("cancel our", OBJECTION),
    cue("cancel my", OBJECTION),
    cue("cancel the subscription", OBJECTION),
    cue("cancel the contract", OBJECTION),
    cue("other vendors", OBJECTION),
    cue("another vendor", OBJECTION),
    cue("other options", OBJECTION),
    cue("alternatives", OBJECTION),
    cue("switch to", OBJECTION),
    cue("switching to", OBJECTION),
    cue("move everything", OBJECTION),
    cue("not convinced", OBJECTION),
    cue("not impressed", OBJECTION),
    cue("not happy", OBJECTION),
    cue("not a priority", OBJECTION),
    cue("don't see how", OBJECTION),
    cue("don't really see", OBJECTION),
    cue("not a reason to", OBJECTION),
    cue("not what we need", OBJECTION),
    cue("not hopeful", OBJECTION),
    cue("not very hopeful", OBJECTION),
    cue("not optimistic", OBJECTION),
    cue("not very optimistic", OBJECTION),
    cue("never came", OBJECTION),
    cue("not acceptable", OBJECTION),
    cue("unacceptable", OBJECTION),
    cue("look bad", OBJECTION),
    cue("not worth", OBJECTION),
    cue("disappointed", OBJECTION),
    cue("losing trust", OBJECTION),
    cue("lost trust", OBJECTION),
    // Downsell: the customer stays, but the deal shrinks.
    cue("reduce our", HEDGE),
    cue("cut back", HEDGE),
    cue("scale back", HEDGE),
    cue("downgrade", HEDGE),
    cue("fewer seats", HEDGE),
    cue("fewer licenses", HEDGE),
    // Hedges: no commitment either way.
    cue("we'll see", HEDGE),
    cue("not sure", HEDGE),
    cue("can't promise", HEDGE),
    cue("no promises", HEDGE),
    cue("not promising", HEDGE),
    cue("wouldn't count on it", HEDGE),
    cue("i doubt", HEDGE),
    cue("discuss it internally", HEDGE),
    cue("discuss internally", HEDGE),
    cue("think about it", HEDGE),
    cue("early days", HEDGE),
    cue("just exploring", HEDGE),
    cue("just looking", HEDGE),
    cue("don't know if", HEDGE),
    cue("don't know where", HEDGE),
    cue("if it'll go anywhere", HEDGE),
    // Choosing someone else, or not now.
    cue("go with another", OBJECTION),
    cue("going with another", OBJECTION),
    cue("decided to go with", OBJECTION),
    cue("we went with", OBJECTION),
    cue("probably moving to", OBJECTION),
    cue("we're moving to", OBJECTION),
    cue("we'll pass", OBJECTION),
    cue("pass for now", OBJECTION),
    cue("not the right time", OBJECTION),
    cue("not a fit", OBJECTION),
    cue("not a good fit", OBJECTION),
    cue("believe it when i see it", OBJECTION),
    // Not committing either way.
    cue("not committing", HEDGE),
    cue("can't commit", HEDGE),
    cue("not ready to commit", HEDGE),
    cue("no commitment", HEDGE),
    cue("need to think", HEDGE),
    cue("not there yet", HEDGE),
    cue("not quite there", HEDGE),
    cue("big commitment", HEDGE),
    // Buying signals.
    cue("really promising", BUYING),
    cue("very promising", BUYING),
    cue("feel a lot better", BUYING),
    cue("feel much better", BUYING),
    cue("been looking for", BUYING),
    cue("keep doing what you're doing", BUYING),
    cue("really like", BUYING),
    cue("love how", BUYING),
    cue("happy with", BUYING),
    cue("makes a lot of sense", BUYING),
    cue("love it", BUYING),
    cue("love that", BUYING),
    cue("loved it", BUYING),
    cue("let's do it", BUYING),
    cue("let's do that", BUYING),
    cue("i'm sold", BUYING),
    cue("sold on", BUYING),
    cue("exactly what we need", BUYING),
    cue("exactly what i need", BUYING),
    cue("exactly what we're looking for", BUYING),
    cue("exactly what we'd need", BUYING),
    cue("game changer", BUYING),
    cue("no-brainer", BUYING),
    cue("get it signed", BUYING),
    cue("ready to sign", BUYING),
    cue("send the contract", BUYING),
    cue("move forward", BUYING),
    cue("on board", BUYING),
    cue("excited", BUYING),
    cue("looking forward", BUYING),
    cue("can't wait", BUYING),
    cue("really helpful", BUYING),
    cue("really useful", BUYING),
    cue("very helpful", BUYING),
    cue("impressed", BUYING),
    cue("impressive", BUYING),
    cue("would be huge", BUYING),
    cue("pay for itself", BUYING),
    cue("pays for itself", BUYING),
    cue("pay for it", BUYING),
    cue("solves it", BUYING),
    cue("great to work with", BUYING),
    cue("happy we", BUYING),
    cue("turned my", BUYING),
];

/// Words that make a sentence about the vendor or the deal.
const DEAL_WORDS: &[&str] = &[
    "you", "your", "yours", "you're", "you've", "you'll", "price", "pricing", "quote", "proposal",
    "contract", "renewal", "invoice", "discount", "product", "service",
];

/// Phrases that place a sentence in the customer's current or past setup, or with a third party.
const STATUS_QUO: &[&str] = &[
    "right now",
    "currently",
    "current",
    "today",
    "at the moment",
    "used to",
    "old",
    "legacy",
    "existing",
    "we've been on",
    "we've been using",
    "we tried",
    "last year",
    "spreadsheets",
    "spreadsheet",
    "excel",
    "by hand",
    "manual",
    "manually",
    "what we have",
    "what we've got",
    "they",
    "their",
    "them",
];

/// What a rep's question must contain for the customer's answer to be about their status quo:
/// discovery questions about today's process and its problems.
const DISCOVERY_QUESTION: &[&str] = &[
    "problem",
    "challenge",
    "pain",
    "hardest",
    "biggest",
    "frustrat",
    "what happens",
    "how do you",
    "how are you",
    "what got you",
    "what prompted",
    "what's not working",
    "looking for",
    "tools before",
];

/// What a negative sentence is about, which decides how much it says about the deal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Target {
    /// The vendor, its product or the deal: second person, pricing and contract words, or a cue.
    Deal,
    /// The customer's current setup, past, or a third party.
    StatusQuo,
    /// Nothing visible.
    Unstated,
}

impl Target {
    /// Weight of a negative sentence with this target.
    pub(super) fn relevance(self) -> f64 {
        match self {
            Target::Deal => 1.0,
            Target::Unstated => 0.6,
            Target::StatusQuo => 0.2,
        }
    }
}

/// Words that turn a buying signal around ("not excited", "I don't love it").
const NEGATORS: &[&str] = &["not", "no", "never", "don't", "isn't", "wasn't"];

/// How the sentence bears on the deal.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Stance {
    /// Sum of the objection and buying-signal cue scores, in [-1, 1]; 0 when none occurs.
    pub cue: f64,
    /// A hedge occurs ("we'll see"): evidence that the customer is not leaning either way.
    pub hedged: bool,
    pub target: Target,
}

pub(super) fn stance(sentence: &str) -> Stance {
    let tokens = words(sentence);
    // "you know", "you see", "if you will" are fillers, not references to the vendor.
    let mut content: Vec<&str> = Vec::with_capacity(tokens.len());
    for (i, t) in tokens.iter().enumerate() {
        let next = tokens.get(i + 1).map(String::as_str);
        let prev = if i > 0 { tokens[i - 1].as_str() } else { "" };
        let filler_you = t == "you" && matches!(next, Some("know" | "see" | "will" | "mean"));
        let filler_tail = matches!(t.as_str(), "know" | "see") && prev == "you";
        if !(filler_you || filler_tail) {
            content.push(t);
        }
    }
    let mut cue = 0.0;
    let mut hedged = false;
    for c in CUES {
        for at in phrase_positions(&content, c.phrase) {
            if c.score == HEDGE {
                hedged = true;
                continue;
            }
            let negated = c.score > 0.0
                && content[at.saturating_sub(3)..at]
                    .iter()
                    .any(|w| NEGATORS.contains(w) || w.ends_with("n't"));
            cue += if negated { -c.score } else { c.score };
        }
    }
    let target = if cue != 0.0 || hedged || content.iter().any(|w| DEAL_WORDS.contains(w)) {
        Target::Deal
    } else if STATUS_QUO
        .iter()
        .any(|p| !phrase_positions(&content, p).is_empty())
    {
        Target::StatusQuo
    } else {
        Target::Unstated
    };
    Stance {
        cue: cue.clamp(-1.0, 1.0),
        hedged,
        target,
    }
}

/// Whether a rep's turn asks about the customer's current process or its problems, so that the
/// answer describes the status quo ("What happens when a driver calls in sick?" "Then it's chaos").
pub(super) fn asks_about_status_quo(rep_turn: &str) -> bool {
    let lower = rep_turn.to_lowercase().replace('’', "'");
    let question = lower.contains('?')
        || ["how ", "what ", "why "]
            .iter()
            .any(|w| lower.trim_start().starts_with(w));
    let tokens = words(&lower);
    let tokens: Vec<&str> = tokens.iter().map(String::as_str).collect();
    question
        && (DISCOVERY_QUESTION.iter().any(|p| lower.contains(p))
            || STATUS_QUO
                .iter()
                .any(|p| !phrase_positions(&tokens, p).is_empty()))
}

/// Start indexes of `phrase` (space-separated words) in `tokens`. A one-word phrase also matches
/// its plural or -ed form ("cancel" in "cancelled"), which the cue list relies on.
pub(super) fn phrase_positions(tokens: &[&str], phrase: &str) -> Vec<usize> {
    let parts: Vec<&str> = phrase.split(' ').collect();
    if parts.len() > tokens.len() {
        return Vec::new();
    }
    (0..=tokens.len() - parts.len())
        .filter(|&i| {
            parts.iter().enumerate().all(|(k, p)| {
                let t = tokens[i + k];
                t == *p
                    || (parts.len() == 1
                        && (t.strip_suffix('s') == Some(p)
                            || t.strip_suffix("ed") == Some(p)
                            || t.strip_suffix("led") == Some(p)))
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn complaints_about_the_status_quo_weigh_less_than_complaints_about_the_vendor() {
        assert_eq!(
            stance("Right now it's chaos, honestly.").target,
            Target::StatusQuo
        );
        assert_eq!(
            stance("Your support never answered my ticket.").target,
            Target::Deal
        );
        assert_eq!(
            stance("It's, you know, a mess on Mondays.").target,
            Target::Unstated
        );
        assert!(asks_about_status_quo(
            "And what happens when a driver calls in sick?"
        ));
        assert!(asks_about_status_quo(
            "how are you scheduling drivers today"
        ));
        assert!(!asks_about_status_quo("Can you see my screen?"));
    }

    #[test]
    fn objections_and_buying_signals_are_scored() {
        assert!(stance("That's way more than we expected.").cue < 0.0);
        assert!(stance("we've decided not to renew at the end of august").cue < 0.0);
        assert!(stance("We want to cancel our subscription.").cue < 0.0);
        assert!(stance("Okay, I'm sold, let's do it.").cue > 0.0);
        assert!(stance("I'm not excited about it.").cue < 0.0);
        assert_eq!(stance("We have forty drivers in two depots.").cue, 0.0);
        let hedge = stance("We'll see, I can't promise anything.");
        assert!(hedge.hedged && hedge.cue == 0.0);
    }
}
