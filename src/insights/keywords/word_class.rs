//! Whether an English word is never a noun ("big", "bring", "really") or seldom one ("help",
//! "add"), from WordNet 3.0's word classes and sense counts (`src/insights/data/not_nouns.txt`,
//! made by `scripts/keywords/make_not_nouns.py`). A keyword names a thing: a word that is never
//! one is no keyword, and one that is seldom one only where the call itself uses it as a thing.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

/// How often an English word is a noun.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum NounUse {
    /// A noun, or a word WordNet does not know (a product, a company).
    #[default]
    Usual,
    /// A noun more often used as a verb, adjective or adverb ("help").
    Seldom,
    /// No noun sense at all ("big", "brings").
    Never,
}

/// A listed word: how it takes regular endings, and whether it has a noun sense.
#[derive(Clone, Copy)]
struct Listed {
    verb: bool,
    adjective: bool,
    use_: NounUse,
}

struct Lexicon {
    listed: HashMap<&'static str, Listed>,
    /// Nouns whose regular ending would lead to a listed word ("meeting" is not "meet").
    nouns: HashSet<&'static str>,
}

fn lexicon() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(|| {
        let mut listed = HashMap::new();
        let mut nouns = HashSet::new();
        for line in include_str!("../data/not_nouns.txt").lines() {
            if line.starts_with('#') || line.is_empty() {
                continue;
            }
            if let Some(noun) = line.strip_prefix('+') {
                nouns.insert(noun);
            } else if let Some((word, endings)) = line.split_once(' ') {
                let (word, use_) = match word.strip_prefix('!') {
                    Some(word) => (word, NounUse::Never),
                    None => (word, NounUse::Seldom),
                };
                let entry = Listed {
                    verb: endings.contains('v'),
                    adjective: endings.contains('a'),
                    use_,
                };
                listed.insert(word, entry);
            }
        }
        Lexicon { listed, nouns }
    })
}

/// How often a lowercase English word, as said, is a noun: as listed, or as the listed verb
/// ("brings", "joining", "added") or adjective ("bigger") it is a regular form of.
pub(crate) fn noun_use(word: &str) -> NounUse {
    let lexicon = lexicon();
    if lexicon.nouns.contains(word) {
        return NounUse::Usual;
    }
    if let Some(entry) = lexicon.listed.get(word) {
        return entry.use_;
    }
    detached(word)
        .into_iter()
        .filter_map(|(base, ending)| {
            let entry = lexicon.listed.get(base.as_str())?;
            let takes_it = if is_verb_ending(ending) {
                entry.verb
            } else {
                entry.adjective
            };
            takes_it.then_some(entry.use_)
        })
        // Of two readings ("saws": "saw" the verb), the one that is more often a noun.
        .min_by_key(|u| match u {
            NounUse::Usual => 0,
            NounUse::Seldom => 1,
            NounUse::Never => 2,
        })
        .unwrap_or(NounUse::Usual)
}

/// Whether a lowercase English word is a verb's "-s" form ("makes", "includes", "carries") and
/// seldom or never a noun: a phrase it starts ("includes backups") says what something does, not
/// a thing. A verb's base form does start noun phrases ("support tier", "install guide").
pub(crate) fn is_third_person_verb(word: &str) -> bool {
    let lexicon = lexicon();
    if lexicon.nouns.contains(word) || lexicon.listed.contains_key(word) {
        return false;
    }
    detached(word).into_iter().any(|(base, ending)| {
        matches!(ending, "s" | "es" | "ies")
            && lexicon.listed.get(base.as_str()).is_some_and(|e| e.verb)
    })
}

/// "s", "ing", "ed" go on verbs; "er", "est" on adjectives.
fn is_verb_ending(ending: &str) -> bool {
    !matches!(ending, "iest" | "est" | "ier" | "er")
}

/// (base, ending) for each way one regular ending could have been added. The same rule as
/// `detached` in scripts/keywords/make_not_nouns.py, which lists the nouns it would mislead.
fn detached(word: &str) -> Vec<(String, &'static str)> {
    const ENDINGS: [(&str, &[&str]); 10] = [
        ("ies", &["y"]),
        ("es", &[""]),
        ("s", &[""]),
        ("ing", &["", "e"]),
        ("ied", &["y"]),
        ("ed", &["", "e"]),
        ("iest", &["y"]),
        ("est", &["", "e"]),
        ("ier", &["y"]),
        ("er", &["", "e"]),
    ];
    let mut out = Vec::new();
    for (ending, bases) in ENDINGS {
        let Some(stem) = word.strip_suffix(ending) else {
            continue;
        };
        if stem.chars().count() < 2 || (ending == "s" && stem.ends_with('s')) {
            continue;
        }
        for base in bases {
            out.push((format!("{stem}{base}"), ending));
        }
        // "stopping", "bigger": a doubled last consonant.
        let chars: Vec<char> = stem.chars().collect();
        let doubled = chars.len() >= 3 && chars[chars.len() - 1] == chars[chars.len() - 2];
        if doubled && matches!(ending, "ing" | "ed" | "er" | "est") {
            out.push((chars[..chars.len() - 1].iter().collect(), ending));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{is_third_person_verb, noun_use, NounUse};

    #[test]
    fn verbs_adjectives_and_their_forms_are_never_nouns() {
        for word in [
            "big", "bigger", "bring", "brings", "brought", "able", "really", "quickly", "send",
        ] {
            assert_eq!(noun_use(word), NounUse::Never, "{word}");
        }
    }

    #[test]
    fn words_mostly_used_otherwise_are_seldom_nouns() {
        for word in ["help", "add", "added", "joining", "stopping"] {
            assert_eq!(noun_use(word), NounUse::Seldom, "{word}");
        }
    }

    #[test]
    fn third_person_verbs_start_no_phrase() {
        for word in ["makes", "carries", "includes", "brings"] {
            assert!(is_third_person_verb(word), "{word}");
        }
        for word in [
            "make",
            "support",
            "works",
            "revised",
            "including",
            "pricing",
            "data",
            "news",
        ] {
            assert!(!is_third_person_verb(word), "{word}");
        }
    }

    #[test]
    fn things_and_unknown_names_are_usual_nouns() {
        for word in [
            "agreement",
            "proposal",
            "budget",
            "pricing",
            "users",
            "meeting",
            "meetings",
            "training",
            "building",
            "integration",
            "salesforce",
            "netsuite",
            "onboarding",
        ] {
            assert_eq!(noun_use(word), NounUse::Usual, "{word}");
        }
    }
}
