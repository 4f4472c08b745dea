//! The lines of a summary that are not ranked: the customer's concerns, and what makes a
//! sentence a concrete fact.

use super::{SummaryBullet, SummarySection, MAX_CONCERNS};
use crate::insights::dates::{is_weekday, MONTHS};
use crate::insights::sentiment::raises_concern;
use crate::insights::text::{is_stop_word, sentences, stem, tidy_sentence, words};
use crate::insights::{Language, Role, Utterance};

/// What the customer objected to or hedged on about the deal: the first [`MAX_CONCERNS`] distinct
/// ones, in call order.
pub(super) fn concerns(utterances: &[Utterance], language: Language) -> Vec<SummaryBullet> {
    let mut out: Vec<(SummaryBullet, Vec<String>)> = Vec::new();
    for u in utterances.iter().filter(|u| u.role == Role::Customer) {
        for sentence in sentences(&u.text) {
            let content: Vec<String> = words(sentence.text)
                .into_iter()
                .filter(|w| w.chars().count() >= 3 && !is_stop_word(w, language))
                .map(|w| stem(&w, language))
                .collect();
            if sentence.text.ends_with('?')
                || content.len() < 2
                || !raises_concern(sentence.text, language)
            {
                continue;
            }
            // The same worry said twice is one concern.
            let repeated = out.iter().any(|(_, seen)| {
                content.iter().filter(|w| seen.contains(w)).count() * 2 > content.len()
            });
            if repeated {
                continue;
            }
            out.push((
                SummaryBullet {
                    text: format!("{}: {}", u.speaker, tidy_sentence(sentence.text)),
                    segments: vec![u.id],
                    section: SummarySection::Concern,
                    heading: None,
                },
                content,
            ));
            if out.len() == MAX_CONCERNS {
                return out.into_iter().map(|(b, _)| b).collect();
            }
        }
    }
    out.into_iter().map(|(b, _)| b).collect()
}

/// A number, an amount, a date, a name or a decision: what a CRM note is for.
pub(super) fn is_concrete(sentence: &str) -> bool {
    const FACT_WORDS: [&str; 14] = [
        "hundred", "thousand", "million", "percent", "seats", "users", "licenses", "budget",
        "price", "decided", "agreed", "approved", "signed", "chose",
    ];
    let has_number = sentence
        .chars()
        .any(|c| c.is_ascii_digit() || "$€£%".contains(c));
    let tokens: Vec<&str> = sentence.split_whitespace().collect();
    let has_name = tokens.iter().skip(1).any(|t| {
        t.chars().next().is_some_and(char::is_uppercase) && !matches!(*t, "I" | "I'm" | "I'll")
    });
    let lower = sentence.to_lowercase();
    has_number
        || has_name
        || words(&lower).iter().any(|w| {
            FACT_WORDS.contains(&w.as_str()) || MONTHS.contains(&w.as_str()) || is_weekday(w)
        })
}
