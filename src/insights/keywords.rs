//! Distinctive terms (TF-IDF against the user's own call history) and tracked keyword mentions.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

mod word_class;

use word_class::NounUse;

use super::text::{is_stop_word, stem, words};
use super::{CallContext, Language, TermStats, TrackedKeyword, Utterance};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct Keyword {
    pub term: String,
    pub count: u32,
    pub tracked: bool,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub category: Option<String>,
    pub first_mention_ms: i64,
    /// TF-IDF weight for distinctive terms; 0 for tracked keywords.
    pub score: f64,
    pub segments: Vec<i64>,
}

/// Distinctive terms returned per call, after the tracked ones.
const TOP_TERMS: usize = 12;
/// Bigrams must repeat to count as a phrase rather than a coincidence.
const MIN_BIGRAM_COUNT: u32 = 2;

#[derive(Debug, Default)]
pub(crate) struct TermInfo {
    pub count: u32,
    pub first_ms: i64,
    pub segments: Vec<i64>,
    surfaces: HashMap<String, u32>,
    /// How often the word follows a word that makes it a verb or a predicate ("to help", "we
    /// can add", "be able", "thanks for joining"), and how often one that makes it a thing ("the
    /// integration", "our pricing"). A keyword names a topic: a thing.
    verb_uses: u32,
    noun_uses: u32,
    /// Of `noun_uses`, those with no content word after the word.
    noun_uses_alone: u32,
    /// How often the word is a noun in English at large ("big", "brings": never; "help":
    /// seldom; see [`word_class`]), decided on the form said most often.
    noun_use: NounUse,
}

impl TermInfo {
    /// Whether the term can name a topic: a phrase that recurs, or a word used as a thing at
    /// least as often as as a verb or a predicate; a word that is seldom a noun, only where the
    /// call uses it as a thing more often than not ("our help"); a word never a noun, never.
    pub(crate) fn names_a_topic(&self, key: &str) -> bool {
        if key.contains(' ') {
            self.count >= MIN_BIGRAM_COUNT
        } else {
            match self.noun_use {
                NounUse::Usual => self.verb_uses <= self.noun_uses,
                // "a big commitment": a determiner does not make an adjective a thing.
                NounUse::Never => false,
                NounUse::Seldom => self.verb_uses < self.noun_uses_alone,
            }
        }
    }

    /// The form the term was said in most often ("pricing" for the stem "price").
    pub(crate) fn surface(&self) -> Option<&str> {
        self.surfaces
            .iter()
            .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
            .map(|(s, _)| s.as_str())
    }
}

/// Words that may stand between a cue and the word it marks.
const ADVERBS: [&str; 12] = [
    "actually",
    "really",
    "just",
    "also",
    "definitely",
    "probably",
    "still",
    "even",
    "always",
    "never",
    "totally",
    "absolutely",
];

/// "forty", "thousand": amounts are facts of a call, not its topics. Matched whole, as said or
/// as stemmed ("forti"), so "tenant" or "onerous" stay.
pub(crate) fn is_number_word(word: &str) -> bool {
    const NUMBERS: [&str; 36] = [
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "twenty",
        "twenti",
        "thirty",
        "thirti",
        "forty",
        "forti",
        "fifty",
        "fifti",
        "sixty",
        "sixti",
        "seventy",
        "seventi",
        "eighty",
        "eighti",
        "ninety",
        "nineti",
        "hundred",
        "hundreds",
        "hundr",
        "thousand",
        "thousands",
        "million",
        "millions",
        "billion",
        "percent",
        "half",
    ];
    NUMBERS.contains(&word)
}

/// The words before a verb or predicate, and before a noun, by language.
fn word_class_cues(language: Language) -> (&'static [&'static str], &'static [&'static str]) {
    match language {
        Language::En => (
            &[
                "to", "will", "can", "could", "would", "should", "must", "i'll", "we'll", "you'll",
                "they'll", "i", "we", "you", "they", "let's", "please", "don't", "didn't", "can't",
                "won't", "be", "been", "being", "i'm", "we're", "you're", "they're", "for",
            ],
            &[
                "the", "a", "an", "our", "your", "their", "my", "his", "her", "its", "this",
                "these", "those", "of", "new", "any", "some", "per", "each", "every",
            ],
        ),
        Language::SrLatn => (
            &[
                "da", "ću", "ćeš", "će", "ćemo", "ćete", "mogu", "možemo", "možete", "može",
                "treba", "hoću", "želim", "bih", "bismo", "biste", "ne", "se",
            ],
            &[
                "ovaj", "ova", "ovo", "taj", "ta", "naš", "naša", "naše", "vaš", "vaša", "vaše",
                "moj", "moja", "moje", "svoj", "jedan", "jedna", "novi", "nova",
            ],
        ),
    }
}

/// Words of time and amount as said, in either language: "twelve", "April", "morning", "later",
/// "dve hiljade", "aprila", "kraja sledeće nedelje". When something happens and how much it
/// costs are facts of a call (its due dates and numbers), not what it was about, yet said often
/// enough to crowd the keywords ("dve hiljade", "kraja sledeće" and "aprila" were three of a
/// Serbian demo's twelve). Matched whole, before stemming; the Serbian words only in Serbian calls
/// ("pet" is five there, an animal in English), the English ones in both (Serbian calls mix
/// English in).
fn is_time_or_amount(word: &str, language: Language) -> bool {
    const EN: &str = "eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen \
        nineteen dozen dozens morning mornings afternoon afternoons evening evenings tonight \
        yesterday later earlier soon asap midday noon january february march april may june \
        july august september october november december saturday sunday second seconds third \
        fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth \
        fifteenth sixteenth seventeenth eighteenth nineteenth twentieth thirtieth";
    // With and without diacritics: speech-to-text and chat transcripts often drop them.
    const SR: &str = "nula dva dve tri četiri cetiri pet šest sest sedam osam devet deset \
        jedanaest dvanaest trinaest četrnaest cetrnaest petnaest šesnaest sesnaest sedamnaest \
        osamnaest devetnaest dvadeset trideset četrdeset cetrdeset pedeset šezdeset sezdeset \
        sedamdeset osamdeset devedeset stotinu stotine dvesta trista četiristo cetiristo petsto \
        hiljadu hiljada hiljade milion miliona milijarda pola danas sutra sutradan prekosutra \
        juče juce jutro jutros jutra ujutru popodne podne veče vece večeras veceras uveče uvece \
        minut minuta vikend vikenda vikendom ponedeljak ponedeljka ponedeljkom utorak utorka \
        utorkom sreda srede sredu sredom četvrtak cetvrtak četvrtka cetvrtka četvrtkom \
        cetvrtkom petak petka petkom subota subote subotu subotom nedelju nedeljom januar \
        januara januaru februar februara februaru mart marta martu april aprila aprilu maj maja \
        maju jun juna junu jul jula julu avgust avgusta avgustu septembar septembra septembru \
        oktobar oktobra oktobru novembar novembra novembru decembar decembra decembru mesecu \
        mesece meseci godinu godini sledeći sledeci sledeća sledeca sledeće sledece sledećeg \
        sledeceg sledećem sledecem sledećoj sledecoj sledeću sledecu prošli prosli prošla \
        prosla prošle prosle prošlog proslog prošlom proslom prošloj prosloj prošlu proslu \
        kraja kraju krajem početak pocetak početka pocetka početkom pocetkom kasnije ranije \
        uskoro odmah otprilike najkasnije najranije";
    type Set = std::sync::OnceLock<std::collections::HashSet<&'static str>>;
    static EN_SET: Set = std::sync::OnceLock::new();
    static SR_SET: Set = std::sync::OnceLock::new();
    // "12th", "1st": a day of the month.
    let ordinal = word.starts_with(|c: char| c.is_ascii_digit())
        && ["st", "nd", "rd", "th"].iter().any(|e| word.ends_with(e));
    ordinal
        || EN_SET
            .get_or_init(|| EN.split_whitespace().collect())
            .contains(word)
        || (language == Language::SrLatn
            && SR_SET
                .get_or_init(|| SR.split_whitespace().collect())
                .contains(word))
}

/// Serbian verb forms whose endings no common noun shares: the first person plural ("radimo",
/// "šaljemo") and the future plural ("poslaćemo", "javićete"). Serbian has no articles to tell a
/// verb from a thing by the word before it, so its keywords had verbs ("radimo") among the topics.
/// The infinitive ("poslati") ends like plural nouns ("rezultati", "paketi", "krediti") and the
/// first person singular like "program" or "plaću", so those are left to the cues.
fn is_serbian_verb_form(word: &str) -> bool {
    word.chars().count() >= 5
        && ["amo", "emo", "imo", "ćemo", "ćete"]
            .iter()
            .any(|ending| word.ends_with(ending))
}

/// "of course", "in fact": the last word of a set phrase is no topic there.
fn ends_set_phrase(before: &str, word: &str) -> bool {
    matches!(
        (before, word),
        ("of", "course")
            | ("make" | "makes" | "made", "sense")
            | ("in", "fact")
            | ("for", "example")
            | ("for", "instance")
            | ("in", "general")
    )
}

fn content_word(word: &str, language: Language, excluded: &[String]) -> bool {
    word.chars().count() >= 3
        && !word.chars().all(|c| c.is_ascii_digit())
        && !is_stop_word(word, language)
        && !is_time_or_amount(word, language)
        && (language != Language::SrLatn || !is_serbian_verb_form(word))
        && !word.contains('\'')
        && !excluded.iter().any(|e| e == word)
}

/// Counts stems and stem bigrams of a call. `excluded` are lowercase words never to count
/// (participants' names: they are everywhere and say nothing about the topic).
pub(crate) fn call_terms(
    utterances: &[Utterance],
    language: Language,
    excluded: &[String],
) -> HashMap<String, TermInfo> {
    let mut terms: HashMap<String, TermInfo> = HashMap::new();
    let mut record = |key: String, surface: String, u: &Utterance| {
        let info = terms.entry(key).or_insert_with(|| TermInfo {
            first_ms: u.start_ms,
            ..TermInfo::default()
        });
        info.count += 1;
        info.first_ms = info.first_ms.min(u.start_ms);
        if info.segments.last() != Some(&u.id) {
            info.segments.push(u.id);
        }
        *info.surfaces.entry(surface).or_insert(0) += 1;
    };
    let (verb_cues, noun_cues) = word_class_cues(language);
    // Per stem: uses as a verb, as a thing, and as a thing that no content word follows ("our
    // help", not "a real problem": a determiner goes before an adjective too).
    let mut classes: HashMap<String, (u32, u32, u32)> = HashMap::new();
    for u in utterances {
        let mut previous: Option<(String, String)> = None;
        let mut before = String::new();
        let said = words(&u.text);
        for (i, word) in said.iter().enumerate() {
            // "would actually help": an adverb between the cue and the word changes nothing.
            let after = if ADVERBS.contains(&word.as_str()) {
                before.clone()
            } else {
                std::mem::replace(&mut before, word.clone())
            };
            if !content_word(word, language, excluded) || ends_set_phrase(&after, word) {
                previous = None;
                continue;
            }
            let stemmed = stem(word, language);
            let class = classes.entry(stemmed.clone()).or_default();
            if verb_cues.contains(&after.as_str()) {
                class.0 += 1;
            } else if noun_cues.contains(&after.as_str()) {
                class.1 += 1;
                let modifies_next = said
                    .get(i + 1)
                    .is_some_and(|next| content_word(next, language, excluded));
                if !modifies_next {
                    class.2 += 1;
                }
            }
            if let Some((prev_stem, prev_word)) = previous.take() {
                // "includes backups": what something does, not a thing.
                let starts_with_a_verb =
                    language == Language::En && word_class::is_third_person_verb(&prev_word);
                if !starts_with_a_verb {
                    record(
                        format!("{prev_stem} {stemmed}"),
                        format!("{prev_word} {word}"),
                        u,
                    );
                }
            }
            record(stemmed.clone(), word.clone(), u);
            previous = Some((stemmed, word.clone()));
        }
    }
    for (stemmed, (verb, noun, noun_alone)) in classes {
        if let Some(info) = terms.get_mut(&stemmed) {
            info.verb_uses = verb;
            info.noun_uses = noun;
            info.noun_uses_alone = noun_alone;
            // WordNet is English; a Serbian word's class comes from the call's cues alone.
            if language == Language::En {
                if let Some(surface) = info.surface() {
                    info.noun_use = word_class::noun_use(&surface.to_lowercase());
                }
            }
        }
    }
    terms
}

pub fn extract_keywords(
    utterances: &[Utterance],
    call: &CallContext,
    history: &TermStats,
    tracked: &[TrackedKeyword],
) -> Vec<Keyword> {
    let mut keywords = tracked_mentions(utterances, tracked);
    let excluded: Vec<String> = call.participants.iter().flat_map(|p| words(p)).collect();
    let terms = call_terms(utterances, call.language, &excluded);
    let calls = history.calls as f64;
    let mut scored: Vec<(f64, &String, &TermInfo)> = terms
        .iter()
        // A word used more as a verb or predicate than as a thing is not a topic.
        .filter(|(key, info)| info.names_a_topic(key) && !key.split(' ').any(is_number_word))
        .map(|(key, info)| {
            let df = history.doc_freq.get(key).copied().unwrap_or(0) as f64;
            // Smoothed IDF: a term the user has never said before weighs most; +1 keeps every term > 0.
            let idf = ((1.0 + calls) / (1.0 + df)).ln() + 1.0;
            let phrase_bonus = if key.contains(' ') { 1.5 } else { 1.0 };
            (
                (1.0 + (info.count as f64).ln()) * idf * phrase_bonus,
                key,
                info,
            )
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    let mut chosen: Vec<&String> = Vec::new();
    for (score, key, info) in scored {
        if chosen.len() >= TOP_TERMS {
            break;
        }
        // A unigram already inside a chosen phrase (or vice versa) adds nothing.
        if chosen
            .iter()
            .any(|c| c.split(' ').any(|p| key.split(' ').any(|k| k == p)))
        {
            continue;
        }
        let term = info
            .surfaces
            .iter()
            .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
            .map(|(s, _)| s.clone())
            .unwrap_or_else(|| key.clone());
        if keywords.iter().any(|k| k.term.eq_ignore_ascii_case(&term)) {
            continue;
        }
        chosen.push(key);
        keywords.push(Keyword {
            term,
            count: info.count,
            tracked: false,
            category: None,
            first_mention_ms: info.first_ms,
            score: (score * 1000.0).round() / 1000.0,
            segments: info.segments.clone(),
        });
    }
    keywords
}

/// Case-insensitive, whole-word (and whole-phrase) matches; a plain plural "s" also matches.
fn tracked_mentions(utterances: &[Utterance], tracked: &[TrackedKeyword]) -> Vec<Keyword> {
    let tokenized: Vec<Vec<String>> = utterances.iter().map(|u| words(&u.text)).collect();
    tracked
        .iter()
        .filter_map(|t| {
            let needle = words(&t.term);
            if needle.is_empty() {
                return None;
            }
            let mut keyword = Keyword {
                term: t.term.clone(),
                count: 0,
                tracked: true,
                category: Some(t.category.clone()),
                first_mention_ms: -1,
                score: 0.0,
                segments: Vec::new(),
            };
            for (u, tokens) in utterances.iter().zip(&tokenized) {
                for start in 0..tokens.len().saturating_sub(needle.len() - 1) {
                    let hit = needle.iter().enumerate().all(|(k, n)| {
                        let w = &tokens[start + k];
                        w == n
                            || (k + 1 == needle.len()
                                && (w.strip_suffix('s') == Some(n)
                                    || w.strip_suffix("'s") == Some(n)))
                    });
                    if hit {
                        keyword.count += 1;
                        // Interpolate within the segment so long monologues get a useful time.
                        let at = u.start_ms
                            + (u.end_ms - u.start_ms) * start as i64 / tokens.len().max(1) as i64;
                        if keyword.first_mention_ms < 0 || at < keyword.first_mention_ms {
                            keyword.first_mention_ms = at;
                        }
                        if keyword.segments.last() != Some(&u.id) {
                            keyword.segments.push(u.id);
                        }
                    }
                }
            }
            (keyword.count > 0).then_some(keyword)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::insights::Role;
    use chrono::NaiveDate;

    fn u(id: i64, text: &str) -> Utterance {
        Utterance {
            id,
            speaker: "Ana".into(),
            role: Role::Customer,
            start_ms: id * 1000,
            end_ms: id * 1000 + 1000,
            text: text.into(),
        }
    }

    fn ctx(language: Language) -> CallContext {
        CallContext {
            date: NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(),
            language,
            participants: vec!["Ana Petrović".into()],
        }
    }

    #[test]
    fn tracked_keywords_match_whole_words_case_insensitively() {
        let call = [
            u(1, "We looked at Gong and gongs."),
            u(2, "Ping-pong, not GONG's rival."),
            u(3, "Gongfu is different."),
        ];
        let tracked = [TrackedKeyword {
            term: "gong".into(),
            category: "competitor".into(),
        }];
        let k = tracked_mentions(&call, &tracked);
        assert_eq!(k[0].count, 3);
        assert_eq!(k[0].segments, vec![1, 2]);
        assert_eq!(k[0].first_mention_ms, 1000 + 1000 * 3 / 6);
    }

    #[test]
    fn history_makes_common_terms_less_distinctive() {
        let call = [
            u(
                1,
                "The pricing proposal covers pricing for the warehouse integration.",
            ),
            u(2, "Warehouse integration pricing, Ana."),
        ];
        let mut history = TermStats::default();
        for _ in 0..50 {
            history.add_call(&["price".to_string()].into_iter().collect());
        }
        let k = extract_keywords(&call, &ctx(Language::En), &history, &[]);
        let terms: Vec<&str> = k.iter().map(|k| k.term.as_str()).collect();
        assert_eq!(terms[0], "warehouse integration", "{terms:?}");
        assert!(
            terms.iter().position(|t| *t == "pricing")
                > terms.iter().position(|t| *t == "proposal")
        );
        assert!(!terms.contains(&"ana"));
    }

    #[test]
    fn verbs_and_predicates_are_not_topics() {
        let call = [
            u(
                1,
                "Thanks for joining. We want to help and we can add the integration.",
            ),
            u(
                2,
                "Will we be able to add users? The integration needs help from IT.",
            ),
            u(
                3,
                "I can help with the integration, to help the warehouse team.",
            ),
        ];
        let k = extract_keywords(&call, &ctx(Language::En), &TermStats::default(), &[]);
        let terms: Vec<&str> = k.iter().map(|k| k.term.as_str()).collect();
        for verb in ["joining", "help", "add", "able"] {
            assert!(!terms.contains(&verb), "{verb} in {terms:?}");
        }
        assert!(terms.contains(&"integration"), "{terms:?}");
    }

    #[test]
    fn serbian_stop_words_are_skipped() {
        let call = [u(1, "Ali mi smo već potpisali ugovor, ugovori su spremni.")];
        let k = extract_keywords(&call, &ctx(Language::SrLatn), &TermStats::default(), &[]);
        assert!(k.iter().all(|k| k.term != "ali" && k.term != "već"));
        assert!(k
            .iter()
            .any(|k| k.term.starts_with("ugovor") && k.count == 2));
    }

    #[test]
    fn times_amounts_and_set_phrases_are_not_topics() {
        let english = [
            u(
                1,
                "Of course. The cold chain sensors cost twelve dollars a month, twelve each.",
            ),
            u(
                2,
                "Let's talk tomorrow morning or later in April about the cold chain sensors.",
            ),
            u(
                3,
                "Of course, the April morning slot works. In fact the sensors ship in April.",
            ),
        ];
        let k = extract_keywords(&english, &ctx(Language::En), &TermStats::default(), &[]);
        let terms: Vec<&str> = k.iter().map(|k| k.term.as_str()).collect();
        for word in ["twelve", "morning", "april", "later", "course", "fact"] {
            assert!(
                !terms.iter().any(|t| t.split(' ').any(|w| w == word)),
                "{word} in {terms:?}"
            );
        }
        assert!(terms.iter().any(|t| t.contains("sensors")), "{terms:?}");

        let serbian = [
            u(1, "Licenca košta dve hiljade dinara, dve hiljade po korisniku."),
            u(2, "Ponudu za licencu šaljem do kraja sledeće nedelje, najkasnije do aprila."),
            u(3, "Do kraja sledeće nedelje dobijate i probno okruženje, a probno okruženje traje do aprila."),
        ];
        let k = extract_keywords(&serbian, &ctx(Language::SrLatn), &TermStats::default(), &[]);
        let terms: Vec<&str> = k.iter().map(|k| k.term.as_str()).collect();
        for word in ["dve", "hiljade", "kraja", "sledeće", "aprila"] {
            assert!(
                !terms.iter().any(|t| t.split(' ').any(|w| w == word)),
                "{word} in {terms:?}"
            );
        }
        assert!(terms.contains(&"probno okruženje"), "{terms:?}");
        let verbs = [
            u(
                1,
                "Radimo migraciju, a ugovor ćemo poslati do petka, sa paketi i rezultati.",
            ),
            u(
                2,
                "Šaljemo ugovor i pismo, poslaćemo i migraciju. Rezultati su dobri.",
            ),
            u(3, "Migraciju radimo ovako: pismo, pa ugovor, pa paketi."),
        ];
        let k = extract_keywords(&verbs, &ctx(Language::SrLatn), &TermStats::default(), &[]);
        let terms: Vec<&str> = k.iter().map(|k| k.term.as_str()).collect();
        for verb in ["radimo", "poslati", "šaljemo", "poslaćemo"] {
            assert!(
                !terms.iter().any(|t| t.split(' ').any(|w| w == verb)),
                "{verb} in {terms:?}"
            );
        }
        for thing in ["ugovor", "pismo", "rezultati", "paketi"] {
            assert!(
                terms.iter().any(|t| t.split(' ').any(|w| w == thing)),
                "{thing} not in {terms:?}"
            );
        }
        // "pet" is five only in Serbian: an English call about pets keeps the word.
        let vet = [
            u(1, "Every pet gets a reminder before the dental check."),
            u(
                2,
                "The pet owners like the reminder, and each pet file has the dental notes.",
            ),
        ];
        let k = extract_keywords(&vet, &ctx(Language::En), &TermStats::default(), &[]);
        assert!(
            k.iter().any(|k| k.term.split(' ').any(|w| w == "pet")),
            "{k:?}"
        );
    }
}
