//! Masking of words VADER reads as opinions but that on a sales call are names, ritual politeness or
//! discourse markers.

/// Capitalised words after the first are names of people, products and holidays ("Grace",
/// "Good Friday"): VADER would score some of them.
pub(super) fn mask_proper_nouns(sentence: &str) -> String {
    sentence
        .split_whitespace()
        .enumerate()
        .filter(|(i, w)| {
            *i == 0
                || *w == "I"
                || w.starts_with("I'")
                || !w.chars().next().is_some_and(char::is_uppercase)
        })
        .map(|(_, w)| w)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Ritual politeness and conventional acceptance ("sounds good", "that works", "I appreciate
/// that"): VADER scores them as opinions, but on a call they only acknowledge the other side.
const RITUAL_PHRASES: [&str; 36] = [
    "to be honest",
    "be honest",
    "to be fair",
    "i'm sorry to bother",
    "no problem at all",
    "no problem",
    "not a problem",
    "no worries at all",
    "no worries",
    "thank you so much",
    "thank you",
    "thanks so much",
    "no rush",
    "no pressure",
    "sounds good",
    "sounds great",
    "sounds like a plan",
    "that works",
    "works for me",
    "that'd work",
    "that should work",
    "that's fine",
    "that should be fine",
    "would be fine",
    "good to know",
    "that would help",
    "that'd help",
    "would be good",
    "to be safe",
    "i'd appreciate that",
    "i appreciate that",
    "appreciate it",
    "appreciate you",
    "all right",
    "fair enough",
    "i'm alright",
];

/// Words VADER reads as opinions that in sales talk are topics or acknowledgements
/// ("support team", "response time commitment", "Fine.").
const DOMAIN_NEUTRAL: [&str; 8] = [
    "support",
    "commitment",
    "fine",
    "alright",
    "care",
    "credit",
    "trust",
    "interest",
];

/// Masks ritual politeness and discourse markers; keeps the opinion words.
pub(crate) fn mask_conversational(sentence: &str, names: &[String]) -> String {
    let mut text = sentence.to_lowercase();
    for phrase in RITUAL_PHRASES {
        text = text.replace(phrase, " ");
    }
    let tokens: Vec<&str> = text.split_whitespace().collect();
    let mut out: Vec<&str> = Vec::with_capacity(tokens.len());
    for (i, token) in tokens.iter().enumerate() {
        let bare = token.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'');
        let prev = if i > 0 {
            tokens[i - 1].trim_matches(|c: char| !c.is_alphanumeric() && c != '\'')
        } else {
            ""
        };
        let masked = match bare {
            "thanks" | "yeah" | "yes" | "okay" | "ok" | "sure" | "please" | "pretty" | "well"
            | "right" => true,
            _ if DOMAIN_NEUTRAL.contains(&bare) || names.iter().any(|n| n == bare) => true,
            // Answer particle "No, we use Concur." is not an opinion; "no promises" still is.
            "no" => token.ends_with(',') || tokens.len() == 1,
            "sorry" | "honestly" => true,
            // Backchannel acknowledgements: "Perfect, thank you." / "Great."
            "perfect" | "great" | "good" | "awesome" | "cool" | "wonderful" | "excellent"
            | "nice" | "lovely" | "amazing"
                if i == 0 && (token.ends_with(',') || tokens.len() == 1) =>
            {
                true
            }
            // "like" as filler or preposition; keep the verb ("we really like it", "I'd like").
            "like" => !matches!(
                prev,
                "i" | "we"
                    | "you"
                    | "they"
                    | "really"
                    | "would"
                    | "i'd"
                    | "we'd"
                    | "do"
                    | "don't"
                    | "didn't"
                    | "to"
                    | "she"
                    | "he"
                    | "people"
                    | "clients"
                    | "customers"
                    | "team"
            ),
            _ => false,
        };
        if !masked && !bare.is_empty() {
            out.push(token);
        }
    }
    out.join(" ")
}
