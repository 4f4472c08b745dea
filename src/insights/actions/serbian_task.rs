//! A Serbian action item's text as a short task in the infinitive, the form a Serbian to-do list
//! uses ("Poslati zvaničnu ponudu"), made from the words of the sentence that states it:
//! "Poslaću vam ponudu do petka" → "Poslati ponudu"; "Bojan će da proveri koju verziju imamo" →
//! "Proveriti koju verziju imamo"; "Možete li da nam pošaljete primer?" → "Poslati primer".
//!
//! The verb of the work is found by its stem (see `serbian::WORK_STEMS`) and put in the
//! infinitive by its ending: the fused future drops "-ću/-ćemo/-će" for "-ti" ("poslaću" →
//! "poslati"), a present form changes its ending ("organizujem" → "organizovati", "proverim" →
//! "proveriti", "pogledamo" → "pogledati"), and the few work verbs whose stems change ("pošaljem"
//! → "poslati", "napišem" → "napisati") come from a table. What follows the verb, up to the end of
//! its clause or a date, is the object; the clitics before it ("vam", "mi", "nam") go.

/// Present stems whose infinitive is not regular, with it.
const IRREGULAR: &[(&str, &str)] = &[
    ("pošalj", "poslati"),
    ("šalj", "slati"),
    ("napiš", "napisati"),
    ("potpiš", "potpisati"),
    ("zakaž", "zakazati"),
    ("izvuč", "izvući"),
    ("pomogn", "pomoći"),
    ("dođ", "doći"),
    ("pođ", "poći"),
    ("podign", "podići"),
    ("izvez", "izvesti"),
    ("održ", "održati"),
];

/// Unstressed pronouns that sit between the verb and its object, or before the verb.
const CLITICS: &[&str] = &[
    "vam", "vama", "mi", "nam", "ti", "mu", "im", "joj", "se", "ih", "ga", "je", "li", "da",
];

/// Words that end the object: the next clause, a relative clause, or a date.
const OBJECT_ENDS: &[&str] = &[
    "pa",
    "ali",
    "jer",
    "kad",
    "kada",
    "ako",
    "da",
    "koja",
    "koji",
    "koje",
    "što",
    "do",
    "sutra",
    "danas",
    "prekosutra",
    "odmah",
    "već",
    "sledeće",
    "sledećeg",
    "sledeći",
    "narednih",
    "naredne",
    "ove",
    "ovog",
    "ovaj",
    "u",
    "za",
    "čim",
    "dok",
    "kako",
    "a",
];

/// At most this many words of object: a task, not the sentence.
const OBJECT_WORDS: usize = 8;

/// The infinitive of a conjugated work verb, if its form is one this knows.
fn infinitive(verb: &str) -> Option<String> {
    for ending in ["ćemo", "ćete", "ću", "će"] {
        if let Some(stem) = verb.strip_suffix(ending).filter(|s| s.chars().count() > 2) {
            return Some(format!("{stem}ti"));
        }
    }
    if verb.ends_with("ti") || verb.ends_with("ći") {
        return Some(verb.to_string());
    }
    if let Some((_, inf)) = IRREGULAR.iter().find(|(stem, _)| verb.starts_with(stem)) {
        return Some(inf.to_string());
    }
    // "-ate" before "-ite": "pogledate" is "pogledati". The "-e-" present ("pozovete") has no
    // one infinitive ending, so it is left to the sentence.
    let regular: [(&[&str], &str); 3] = [
        (&["ujem", "ujemo", "ujete", "uje", "uju"], "ovati"),
        (&["am", "amo", "ate", "a", "aju"], "ati"),
        (&["im", "imo", "ite", "i"], "iti"),
    ];
    for (endings, replacement) in regular {
        if let Some(stem) = endings
            .iter()
            .find_map(|e| verb.strip_suffix(e))
            .filter(|s| s.chars().count() > 2)
        {
            return Some(format!("{stem}{replacement}"));
        }
    }
    None
}

/// The task said in `sentence`, in the infinitive; `None` when no work verb is found in it, or
/// nothing says what the work is on.
pub(super) fn task(sentence: &str, is_work_verb: impl Fn(&str) -> bool) -> Option<String> {
    let tokens = split(sentence);
    let lower: Vec<String> = tokens.iter().map(|t| t.to_lowercase()).collect();
    // The work the speaker takes on or asks for: a work verb after "mogu/ću/možete…" (in "kad mi
    // Marko pošalje primere, mogu da pripremim" the task is preparing), else the first one.
    let verbs: Vec<usize> = (0..lower.len())
        .filter(|&i| is_work_verb(&lower[i]))
        .collect();
    let at = verbs
        .iter()
        .copied()
        .find(|&i| lower[i.saturating_sub(4)..i].iter().any(|w| is_modal(w)))
        .or_else(|| verbs.first().copied())?;
    let verb = infinitive(&lower[at])?;
    // The object: after the verb and its clitics, within its clause (a comma ends it).
    let clause = split(clause_from(sentence, tokens[at], at, &tokens));
    let mut object: Vec<&str> = Vec::new();
    for token in clause.iter().skip(1) {
        let word = token.to_lowercase();
        // Clitics, and "i" / "još" / "takođe" (also) before the object: "pošaljem i studiju".
        if object.is_empty()
            && (CLITICS.contains(&word.as_str())
                || matches!(word.as_str(), "i" | "još" | "takođe" | "samo"))
        {
            continue;
        }
        if OBJECT_ENDS.contains(&word.as_str()) || object.len() == OBJECT_WORDS {
            break;
        }
        object.push(token);
    }
    // "mogu sve da pripremim": with nothing after the verb, the word or two before it.
    if object.is_empty() {
        let before: Vec<&str> = tokens[..at]
            .iter()
            .zip(&lower[..at])
            .rev()
            .skip_while(|(_, w)| CLITICS.contains(&w.as_str()))
            .take_while(|(_, w)| !CLITICS.contains(&w.as_str()) && !is_modal(w))
            .map(|(t, _)| *t)
            .collect();
        if before.len() <= 2 {
            object = before.into_iter().rev().collect();
        }
    }
    // "koju verziju imamo i": a conjunction left at the end starts what was cut off.
    while object
        .last()
        .is_some_and(|w| matches!(w.to_lowercase().as_str(), "i" | "ili" | "a" | "ni"))
    {
        object.pop();
    }
    // A verb alone ("Poslati") says less than the sentence: the caller keeps the sentence.
    if object.is_empty() {
        return None;
    }
    let mut chars = verb.chars();
    let first = chars.next()?.to_uppercase().collect::<String>();
    let mut text = format!("{first}{}", chars.as_str());
    for word in object {
        text.push(' ');
        text.push_str(word);
    }
    Some(text)
}

fn split(text: &str) -> Vec<&str> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '.'))
        .map(|t| t.trim_end_matches('.'))
        .filter(|t| !t.is_empty())
        .collect()
}

/// The text of `sentence` from its `at`-th token (`verb`) to the next comma, semicolon, dash or
/// end of the question.
fn clause_from<'a>(sentence: &'a str, verb: &str, at: usize, tokens: &[&str]) -> &'a str {
    // The verb's own occurrence: the how-many-th time this word appears as a word ("javi" is
    // not the one inside "objavi").
    let nth = tokens[..at].iter().filter(|t| **t == verb).count();
    let from = sentence
        .match_indices(verb)
        .filter(|(i, _)| {
            sentence[..*i]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric())
        })
        .nth(nth)
        .map_or(0, |(i, _)| i);
    let rest = &sentence[from..];
    let end = rest
        .find([',', ';', '–', '—', '?', '!'])
        .unwrap_or(rest.len());
    &rest[..end]
}

/// "mogu", "ću", "će", "možete": the modal or auxiliary before the work verb.
fn is_modal(word: &str) -> bool {
    matches!(
        word,
        "mogu"
            | "možemo"
            | "možete"
            | "možeš"
            | "može"
            | "ću"
            | "ćemo"
            | "će"
            | "ćete"
            | "hoćete"
            | "želite"
            | "treba"
            | "trebalo"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn work(word: &str) -> bool {
        [
            "pošalj",
            "posla",
            "proveri",
            "organizuj",
            "pripremi",
            "izvuč",
            "održ",
            "javi",
            "pogleda",
        ]
        .iter()
        .any(|s| word.starts_with(s))
    }

    #[test]
    fn tasks_are_infinitives_with_their_object() {
        let cases = [
            (
                "Poslaću vam spisak klijenata sa brojem faktura sledeće nedelje, ove sam zatrpan.",
                "Poslati spisak klijenata sa brojem faktura",
            ),
            (
                "Bojan će da proveri koju verziju imamo i da li ima taj API, pa će vam javiti.",
                "Proveriti koju verziju imamo",
            ),
            ("Možete li da nam pošaljete primer?", "Poslati primer"),
            ("Možete li da pogledate ugovor?", "Pogledati ugovor"),
            (
                "I ako hoćete, mogu da vam organizujem razgovor sa jednom agencijom iz Kragujevca koja radi sa nama.",
                "Organizovati razgovor sa jednom agencijom iz Kragujevca",
            ),
            ("Kad mi Marko pošalje primere, mogu sve da pripremim.", "Pripremiti sve"),
            (
                "I do petka ću vam poslati ponudu, sa cenama za prvih pedeset klijenata.",
                "Poslati ponudu",
            ),
            ("Pripremiću demo sa Markovim fakturama.", "Pripremiti demo sa Markovim fakturama"),
            (
                "Da li bi vam pomoglo da vam pošaljem i studiju slučaja jedne mlekare?",
                "Poslati studiju slučaja jedne mlekare",
            ),
            ("To mogu da izvučem iz BiznisSofta.", "Izvući iz BiznisSofta"),
            (
                "Hoćete da vam održim jednu onlajn obuku za nove ljude?",
                "Održati jednu onlajn obuku",
            ),
        ];
        for (sentence, want) in cases {
            assert_eq!(task(sentence, work).as_deref(), Some(want), "{sentence}");
        }
    }

    #[test]
    fn a_verb_with_nothing_to_work_on_is_no_task() {
        assert_eq!(task("Poslaću vam sutra, samo da vidimo.", work), None);
    }
}
