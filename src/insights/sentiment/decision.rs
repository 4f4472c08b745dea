//! What the customer decided, as opposed to how the call felt.
//!
//! Buyers say no politely: "we've decided not to go ahead, but your team was wonderful", then
//! spend ten friendly minutes on the handover. Averaging tone over such a call lands on neutral or
//! positive, yet a rep reads it as lost. The reverse happens too: a demo full of glitches that
//! ends in "send me the order form" is won. So a customer's stated decision on the deal, the
//! last one in the call, sets which side of neutral the customer's stance is on; tone still
//! decides everything else, and how far.
//!
//! Only plain statements count: a question ("are you going to renew?"), a hypothetical ("if we
//! decided not to renew…") or a negated acceptance ("we're not ready to sign") decides nothing.

use super::stance::phrase_positions;
use crate::insights::text::words;
use crate::insights::Language;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Decision {
    /// Not buying, not renewing, choosing someone else or staying as they are.
    Declines,
    /// Buying, renewing, signing, starting.
    Proceeds,
}

/// Matched on word boundaries in the lowercased sentence, apostrophes as `'`.
const DECLINES: &[&str] = &[
    "decided not to",
    "decided against",
    "not going to renew",
    "not renewing",
    "not to renew",
    "won't be renewing",
    "won't renew",
    "not going ahead",
    "not go ahead",
    "not moving forward",
    "not move forward",
    "not going to move forward",
    "won't be moving forward",
    "not proceed",
    "not proceeding",
    "we'll pass",
    "we will pass",
    "going to pass",
    "gonna pass",
    "pass on this",
    "pass on it",
    "pass for now",
    "go with another",
    "going with another",
    "go with someone else",
    "going with someone else",
    "go with a different",
    "going with a different",
    "decided to go with",
    "stay with our current",
    "staying with our current",
    "stick with our current",
    "sticking with our current",
    "stay with what we have",
    "stick with what we have",
    "stay where we are",
    "not the right fit",
    "not a fit",
    "not a good fit",
    "not the answer you were hoping",
    "not what you were hoping",
    "not what you wanted to hear",
    "not what you want to hear",
    "not interested",
    "not looking right now",
    "not looking to change",
    "not looking to switch",
    "not in the market",
    "go in a different direction",
    "going in a different direction",
    "went in a different direction",
];

const PROCEEDS: &[&str] = &[
    "let's do it",
    "let's do this",
    "let's move forward",
    "let's go ahead",
    "let's move ahead",
    "let's make it happen",
    "ready to move ahead",
    "want to move ahead",
    "green light",
    "let's get started",
    "let's get it signed",
    "want to move forward",
    "like to move forward",
    "ready to move forward",
    "happy to move forward",
    "ready to go ahead",
    "want to go ahead",
    "like to go ahead",
    "ready to sign",
    "get it signed",
    "get this signed",
    "send the contract",
    "send over the contract",
    "send me the contract",
    "send us the contract",
    "send the agreement",
    "send over the agreement",
    "send the order form",
    "send over the order form",
    "we'll sign",
    "i'll sign",
    "i'm sold",
    "we're sold",
    "count us in",
    "get the pilot going",
    "start the pilot",
    "kick off the pilot",
    "want to get started",
    "ready to get started",
    "we'll renew",
    "we will renew",
    "happy to renew",
    "going to renew",
    "plan to renew",
    "like to renew",
    "want to renew",
    "no brainer",
];

/// The same in Serbian (Latin script): "odlučili smo da ne idemo dalje", "ostajemo kod
/// postojećeg", "idemo sa drugom ponudom"; "idemo sa vama", "pošaljite ugovor", "potpisujemo".
/// Not "krećemo" or "hajde da krenemo": on a call they mostly start the agenda ("ajde da
/// krenemo od lepših stvari").
const DECLINES_SR: &[&str] = &[
    "odlučili smo da ne",
    "odlučili smo da odustanemo",
    "nećemo produžiti",
    "nećemo produžavati",
    "nećemo nastaviti",
    "nećemo ići dalje",
    "ne idemo dalje",
    // Not "ostajemo kod vas" (we stay with you), nor "ostajemo na Team paketu".
    "ostajemo kod postojećeg",
    "ostajemo kod trenutnog",
    "ostajemo kod starog",
    "idemo sa drugom",
    "idemo sa drugim",
    "izabrali smo drugu",
    "izabrali smo drugog",
    "odustajemo",
    "nismo zainteresovani",
    "nije ono što vam treba",
];

const PROCEEDS_SR: &[&str] = &[
    "idemo sa vama",
    "pošaljite ugovor",
    "pošaljite nam ugovor",
    "pošaljite mi ugovor",
    "potpisujemo",
    "potpisaćemo",
    "spremni smo da potpišemo",
    "spremni smo da krenemo",
    "odlučili smo da idemo sa vama",
    "produžićemo",
    "produžavamo",
];

/// Words that make a sentence a hypothetical: what follows decides nothing yet.
const CONDITIONALS: &[&str] = &[
    "if", "unless", "whether", "suppose", "assuming", "ako", "ukoliko", "kad", "kada",
    // "javiću da li idemo dalje ili ostajemo…": "li" asks, it does not decide.
    "li",
];

/// Negations, compared without apostrophes (as speech-to-text often writes them).
const NEGATIONS: &[&str] = &[
    "not", "no", "never", "dont", "doesnt", "didnt", "isnt", "wasnt", "arent", "werent", "wont",
    "cant", "cannot", "couldnt", "wouldnt", "shouldnt", "havent", "hasnt", "hadnt", "ne",
];

/// Words after "pass" that hand something on ("we'll pass it along", "pass this on to our CFO")
/// rather than turn the deal down.
const HANDED_ON: &[&str] = &[
    "it", "this", "that", "them", "these", "those", "along", "the", "our", "your", "my",
];

/// Words after "decided to go with" that name the seller: the customer chose us.
const US: &[&str] = &["you", "your", "yours", "yall"];

/// The decision a sentence states, if it states one.
pub(super) fn decision(sentence: &str, language: Language) -> Option<Decision> {
    let (declining, proceeding) = match language {
        Language::En => (DECLINES, PROCEEDS),
        Language::SrLatn => (DECLINES_SR, PROCEEDS_SR),
    };
    if sentence.contains('?') {
        return None;
    }
    // Speech-to-text often drops apostrophes ("lets do it", "well pass"): both sides are
    // compared without them.
    let bare = |w: &str| w.replace('\'', "");
    let tokens: Vec<String> = words(sentence).iter().map(|w| bare(w)).collect();
    let tokens: Vec<&str> = tokens.iter().map(String::as_str).collect();
    // Where each phrase starts and ends.
    let spans = |phrases: &[&str]| -> Vec<(usize, usize)> {
        phrases
            .iter()
            .flat_map(|p| {
                let p = bare(p);
                let len = p.split(' ').count();
                phrase_positions(&tokens, &p)
                    .into_iter()
                    .map(move |at| (at, at + len))
            })
            .collect()
    };
    let next = |end: usize| tokens.get(end).copied().unwrap_or("");
    let plain = |at: usize| !tokens[..at].iter().any(|w| CONDITIONALS.contains(w));
    // "our CFO doesn't want to move forward", "not sure we want to move forward".
    let negated = |at: usize| {
        tokens[at.saturating_sub(5)..at]
            .iter()
            .any(|w| NEGATIONS.contains(w))
    };
    let chose_us = |(at, end): (usize, usize)| {
        tokens[at..end].ends_with(&["go", "with"]) && US.contains(&next(end))
    };
    let declines = spans(declining).into_iter().any(|(at, end)| {
        let handed_on = tokens[end - 1] == "pass"
            && (HANDED_ON.contains(&next(end)) || next(end) == "on" && next(end + 1) == "to");
        plain(at) && !handed_on && !chose_us((at, end))
    });
    let proceeds = spans(proceeding)
        .into_iter()
        .any(|(at, _)| plain(at) && !negated(at))
        || spans(declining)
            .into_iter()
            .any(|span| plain(span.0) && chose_us(span));
    match (declines, proceeds) {
        (true, false) => Some(Decision::Declines),
        (false, true) => Some(Decision::Proceeds),
        // "We won't renew the add-on, but we'll renew the core": a downsell, not a decision.
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_decisions_are_read_and_questions_and_hypotheticals_are_not() {
        let d = |s: &str| decision(s, Language::En);
        assert_eq!(
            d("Which makes this harder to say: we've decided not to go ahead this year."),
            Some(Decision::Declines)
        );
        assert_eq!(
            d("it's just not the right fit for us right now"),
            Some(Decision::Declines)
        );
        assert_eq!(
            d("Okay, send over the contract and let's get it signed."),
            Some(Decision::Proceeds)
        );
        assert_eq!(d("Are you going to renew?"), None);
        assert_eq!(
            d("If we decided not to renew, what happens to our data?"),
            None
        );
        assert_eq!(d("We're not ready to sign anything yet."), None);
        assert_eq!(d("We have forty drivers in two depots."), None);
        assert_eq!(
            d("ok so send me the quote and lets do this"),
            Some(Decision::Proceeds)
        );
    }

    #[test]
    fn serbian_decisions_are_read_too() {
        let d = |s: &str| decision(s, Language::SrLatn);
        assert_eq!(
            d("Hvala vam na svemu, ali odlučili smo da ne idemo dalje ove godine."),
            Some(Decision::Declines)
        );
        assert_eq!(
            d("Ostajemo kod postojećeg dobavljača."),
            Some(Decision::Declines)
        );
        assert_eq!(d("Dobro, pošaljite ugovor."), Some(Decision::Proceeds));
        assert_eq!(d("Ajde da krenemo od lepših stvari pa onda cene."), None);
        assert_eq!(d("Ako odustajemo, šta biva sa podacima?"), None);
        assert_eq!(d("Ako odustanemo od toga, javiću vam."), None);
        assert_eq!(
            d("Javiću ti do petka da li idemo na Business ili ostajemo kod postojećeg."),
            None
        );
        assert_eq!(d("Ostajemo kod vas, naravno."), None);
    }
}
