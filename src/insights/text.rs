//! Shared text handling: sentence splitting, tokens, stop words, stems, filler trimming.

use std::collections::HashSet;
use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};

use super::Language;

/// A sentence of an utterance.
#[derive(Debug, Clone)]
pub(crate) struct Sentence<'a> {
    pub text: &'a str,
}

/// Splits on `.`, `?`, `!` followed by whitespace; keeps the punctuation with the sentence.
pub(crate) fn sentences(text: &str) -> Vec<Sentence<'_>> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        let ends = matches!(b, b'.' | b'?' | b'!')
            && bytes.get(i + 1).is_none_or(|n| n.is_ascii_whitespace())
            && !is_abbreviation(&text[start..=i])
            && !(b == b'.' && is_ordinal_date(text, i));
        if ends {
            push_sentence(&mut out, text, start, i + 1);
            start = i + 1;
        }
    }
    push_sentence(&mut out, text, start, text.len());
    out
}

fn push_sentence<'a>(out: &mut Vec<Sentence<'a>>, text: &'a str, start: usize, end: usize) {
    let trimmed = text[start..end].trim();
    if !trimmed.is_empty() {
        out.push(Sentence { text: trimmed });
    }
}

/// "do 15. marta": in Serbian a day of the month is written with a period, and the month after
/// it is lowercase, which a new sentence never is.
fn is_ordinal_date(text: &str, period: usize) -> bool {
    let digit_before = period > 0 && text.as_bytes()[period - 1].is_ascii_digit();
    let next_word_lower = text[period + 1..]
        .trim_start()
        .chars()
        .next()
        .is_some_and(char::is_lowercase);
    digit_before && next_word_lower
}

fn is_abbreviation(fragment: &str) -> bool {
    let last = fragment
        .rsplit(' ')
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    matches!(
        last.as_str(),
        "mr." | "mrs." | "ms." | "dr." | "e.g." | "i.e." | "vs." | "etc." | "st."
    )
}

/// Lowercased word tokens; apostrophes inside words are kept ("don't", "we'll").
pub(crate) fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
        .map(|w| {
            w.trim_matches(|c| c == '\'' || c == '’')
                .replace('’', "'")
                .to_lowercase()
        })
        .filter(|w| !w.is_empty())
        .collect()
}

pub(crate) fn is_stop_word(word: &str, language: Language) -> bool {
    static EN: OnceLock<HashSet<&'static str>> = OnceLock::new();
    static SR: OnceLock<HashSet<&'static str>> = OnceLock::new();
    let en = EN.get_or_init(|| EN_STOP.split_whitespace().collect());
    match language {
        // Serbian calls often mix in English words, so both lists apply.
        Language::SrLatn => {
            SR.get_or_init(|| SR_STOP.split_whitespace().collect())
                .contains(word)
                || en.contains(word)
        }
        Language::En => en.contains(word),
    }
}

/// Stem for grouping word forms: Snowball English; for Serbian a light suffix strip of common case
/// endings (no Serbian Snowball stemmer is available in rust-stemmers).
pub(crate) fn stem(word: &str, language: Language) -> String {
    static EN: OnceLock<Stemmer> = OnceLock::new();
    match language {
        Language::En => EN
            .get_or_init(|| Stemmer::create(Algorithm::English))
            .stem(word)
            .into_owned(),
        Language::SrLatn => {
            const ENDINGS: [&str; 12] = [
                "ima", "ama", "ovi", "eva", "om", "em", "og", "a", "e", "i", "o", "u",
            ];
            for ending in ENDINGS {
                if let Some(base) = word.strip_suffix(ending) {
                    if base.chars().count() >= 4 {
                        return base.to_string();
                    }
                }
            }
            word.to_string()
        }
    }
}

/// Discourse fillers stripped from the start of bullets and action items.
const LEADING_FILLERS: [&str; 24] = [
    "um",
    "uh",
    "erm",
    "hmm",
    "so",
    "well",
    "yeah",
    "yes",
    "okay",
    "ok",
    "right",
    "and",
    "but",
    "oh",
    "alright",
    "great",
    "perfect",
    "sure",
    "like",
    "actually",
    "basically",
    "honestly",
    "also",
    "then",
];

/// Removes leading fillers ("Um, so, you know, …") and inner "um"/"uh", and capitalises the result.
pub(crate) fn tidy_sentence(sentence: &str) -> String {
    let mut rest = sentence.trim();
    loop {
        let lower = rest.to_lowercase();
        let mut stripped = false;
        for filler in LEADING_FILLERS
            .iter()
            .chain(["you know", "i mean", "so yeah"].iter())
        {
            if lower.starts_with(filler) {
                let after = &rest[filler.len()..];
                if after.starts_with(',') || after.starts_with(' ') {
                    rest = after.trim_start_matches([',', ' ']);
                    stripped = true;
                    break;
                }
            }
        }
        if !stripped {
            break;
        }
    }
    let cleaned: Vec<&str> = rest
        .split(' ')
        .filter(|w| {
            !matches!(
                w.trim_matches(',').to_lowercase().as_str(),
                "um" | "uh" | "erm"
            )
        })
        .collect();
    let joined = cleaned.join(" ").replace(" ,", ",");
    let mut chars = joined.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().collect::<String>() + chars.as_str(),
        None => String::new(),
    }
}

const EN_STOP: &str = "a about above after again against all almost also am an and any are aren't as at be because been before being below between both but by can can't cannot could couldn't did didn't do does doesn't doing don't down during each either else even ever every few for from further get gets getting got gonna gotta had hadn't has hasn't have haven't having he he'd he'll he's her here here's hers herself him himself his how how's i i'd i'll i'm i've if in into is isn't it it's its itself just kind kinda know let let's like lot lots maybe me might more most much must mustn't my myself need no nor not now of off oh ok okay on once one only or other ought our ours ourselves out over own pretty probably quite rather really right said same say says see seem shall shan't she she'd she'll she's should shouldn't so some something sort still such sure than that that's the their theirs them themselves then there there's these they they'd they'll they're they've thing things think this those though through to too uh um under until up us very via want was wasn't we we'd we'll we're we've well were weren't what what's when when's where where's whether which while who who's whom why why's will with won't would wouldn't yeah yep yes yet you you'd you'll you're you've your yours yourself yourselves hi hello hey thanks thank bye mean go going gone come actually basically literally totally definitely honestly great good yeah okay alright mm mhm hmm erm ah wow cool awesome perfect absolutely exactly guess take make made way back lot sounds sound look looks looking thing stuff bit little per also around another anything everything nothing anyone someone everyone us two three four five six seven eight nine ten first last next week today tomorrow time day days monday tuesday wednesday thursday friday year years month months weeks quarter since";

const SR_STOP: &str = "a ako ali bi bih bio bila bile bili bilo bismo biste biti bude budu da dakle do dok ga gde i ih ili im ima imam imamo imate iz izmedju ja je jedan jedna jedno jer jesam jesi jeste jesu joj još ju kad kada kako kao koja koje koji kojih kojim kod koja koliko li ma me meni mi mnogo moj moja moje može mogu mu na nad nam nama nas naš naša naše ne nego neka neki nešto ni nije nisam nismo niste nisu njega njemu njen njena njih njim njoj o od ok okej onda ono ova ovaj ove ovi ovo pa po pod pored posle pre preko samo se sa sam si smo ste su sve svi svoj šta ta tada taj te ti to tu tako također tamo uh um u uz već vi vas vam vaš za zato zbog že hvala da dobro eto evo baš znači ovde sada sad onaj ona oni one zdravo prijatno pozdrav doviđenja čujemo vidimo izvinite molim dobar dan dana nedelja nedelje mesec meseca godina godine što čega čemu čim kome koga kog kojoj kojem kojoj kojima kojeg čiji čija čije drugi druga drugo drugu druge drugih drugog drugom drugoj drugim jednu jednog jednom jednoj jednim jedni jedne neka neko nekog nekom nekoj nekim neke nekih svaki svaka svako svakog svakom svakoj svaku sva svu svim svih svega svemu isti ista isto istu iste istog sam sama samu sami same taj toga tome toj tih onaj onog onom tu tamo ovde onde bez kroz prema protiv osim tokom iznad ispod unutar van ka niz kod uz oko iskreno naravno stvarno odlično potpuno posebno zaista svakako verovatno možda uglavnom inače ipak takođe upravo jednostavno sigurno tačno otprilike skroz totalno sasvim prilično malo puno više manje dosta previše jako vrlo razumem razumemo razumete mislim mislimo mislite znam znamo znate neznam hoću hoćemo hoćete nećemo neću izgleda važi ide idemo kažem kažete vidim vidimo vidite čujem čujete slažem slažemo može mogli mogla mogao možemo možete trebalo trebaju trebamo trebate treba jel jelte ajde hajde ćao zdravo drago super fino ima nema nemam nemamo nemate bio bila bilo bili bile bude bio";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_sentences_and_keeps_offsets() {
        let s = sentences("Hi Dr. Smith. Can you send it? Sure!");
        let texts: Vec<&str> = s.iter().map(|s| s.text).collect();
        assert_eq!(texts, vec!["Hi Dr. Smith.", "Can you send it?", "Sure!"]);
    }

    #[test]
    fn tidies_fillers() {
        assert_eq!(
            tidy_sentence("Um, so, you know, we use Netsuite."),
            "We use Netsuite."
        );
        assert_eq!(
            tidy_sentence("yeah the uh integration matters"),
            "The integration matters"
        );
    }

    #[test]
    fn stems_and_stop_words() {
        assert_eq!(
            stem("integrations", Language::En),
            stem("integration", Language::En)
        );
        assert!(is_stop_word("ali", Language::SrLatn));
        assert!(!is_stop_word("ali", Language::En));
        assert_eq!(stem("ugovorima", Language::SrLatn), "ugovor");
    }
}

/// Contractions as raw speech-to-text writes them, without the apostrophe ("ill send it", "youll
/// have it", "dont"), and as they are written. Only words that are nothing else in a sales call:
/// "well", "were", "its", "id", "shell" and "wed" stay as they are.
const BARE_CONTRACTIONS: &[(&str, &str)] = &[
    ("ill", "I'll"),
    ("im", "I'm"),
    ("ive", "I've"),
    ("youll", "you'll"),
    ("youre", "you're"),
    ("youve", "you've"),
    ("youd", "you'd"),
    ("theyll", "they'll"),
    ("theyre", "they're"),
    ("theyve", "they've"),
    ("theyd", "they'd"),
    ("weve", "we've"),
    ("itll", "it'll"),
    ("thatll", "that'll"),
    ("thats", "that's"),
    ("thatd", "that'd"),
    ("whats", "what's"),
    ("theres", "there's"),
    ("heres", "here's"),
    ("wheres", "where's"),
    ("whos", "who's"),
    ("shes", "she's"),
    ("dont", "don't"),
    ("doesnt", "doesn't"),
    ("didnt", "didn't"),
    ("isnt", "isn't"),
    ("wasnt", "wasn't"),
    ("arent", "aren't"),
    ("werent", "weren't"),
    ("wont", "won't"),
    ("cant", "can't"),
    ("couldnt", "couldn't"),
    ("wouldnt", "wouldn't"),
    ("shouldnt", "shouldn't"),
    ("havent", "haven't"),
    ("hasnt", "hasn't"),
    ("hadnt", "hadn't"),
];

/// "lets" is "let's" before what a speaker proposes to do ("lets set up a call"), and the verb
/// elsewhere ("it lets you export").
const PROPOSED: &[&str] = &[
    "do", "get", "go", "set", "say", "talk", "make", "move", "schedule", "plan", "start", "put",
    "book", "have", "see", "try", "call", "look", "meet", "circle", "touch", "keep", "just", "not",
    "also", "maybe", "figure", "lock", "pencil", "aim", "loop", "walk", "jump", "wrap", "send",
    "pick", "find", "sort", "sync", "hop", "take", "review", "run",
];

/// Puts the apostrophes back into contractions that raw speech-to-text writes without them, so
/// "ill send it tomorrow" reads as the commitment it is. Text with apostrophes is unchanged.
pub(crate) fn restore_apostrophes(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut rest = text;
    while let Some(start) = rest.find(char::is_alphabetic) {
        out.push_str(&rest[..start]);
        let word_and_after = &rest[start..];
        let end = word_and_after
            .find(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
            .unwrap_or(word_and_after.len());
        let word = &word_and_after[..end];
        let after = &word_and_after[end..];
        let previous = out
            .split(|c: char| !c.is_alphanumeric())
            .rfind(|w| !w.is_empty())
            .unwrap_or("")
            .to_lowercase();
        let lower = word.to_ascii_lowercase();
        let next_word = after
            .trim_start_matches(|c: char| !c.is_alphanumeric())
            .split(|c: char| !c.is_alphanumeric())
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        let restored = match lower.as_str() {
            // "ill-defined"
            _ if after.starts_with('-') => None,
            // "he's been ill", "feeling ill": the word itself.
            "ill"
                if matches!(
                    previous.as_str(),
                    "been"
                        | "is"
                        | "was"
                        | "am"
                        | "are"
                        | "feeling"
                        | "felt"
                        | "very"
                        | "so"
                        | "fell"
                        | "got"
                        | "gets"
                        | "quite"
                        | "really"
                        | "seriously"
                ) =>
            {
                None
            }
            "lets" if PROPOSED.contains(&next_word.as_str()) => Some("let's"),
            _ => BARE_CONTRACTIONS
                .iter()
                .find(|(bare, _)| *bare == lower)
                .map(|(_, full)| *full),
        };
        match restored {
            Some(full) if word.starts_with(|c: char| c.is_ascii_uppercase()) => {
                let mut chars = full.chars();
                out.extend(chars.next().map(|c| c.to_ascii_uppercase()));
                out.push_str(chars.as_str());
            }
            Some(full) => out.push_str(full),
            None => out.push_str(word),
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod restore_tests {
    use super::restore_apostrophes;

    #[test]
    fn bare_contractions_get_their_apostrophes_and_other_words_stay() {
        assert_eq!(
            restore_apostrophes("ok ill run a cleanup today youll have it dont worry"),
            "ok I'll run a cleanup today you'll have it don't worry"
        );
        assert_eq!(
            restore_apostrophes("Lets set up a call. It lets you export, well, its fine."),
            "Let's set up a call. It lets you export, well, its fine."
        );
        assert_eq!(
            restore_apostrophes("I'll send it, we're done."),
            "I'll send it, we're done."
        );
        assert_eq!(
            restore_apostrophes("Želim ill-defined"),
            "Želim ill-defined"
        );
    }
}
