//! Serbian (Latin) date phrases, rewritten word by word into the English ones the resolver knows:
//! "do petka" → "by friday", "do kraja sledeće nedelje" → "by end of next week", "15. marta" →
//! "15th of march", "za dve nedelje" → "in two weeks". Serbian declines its nouns, so each word
//! is listed in the cases a date phrase uses (petak, petka; nedelja, nedelje, nedelju).

/// Single words and their English reading. "nedelja" is read as "week": as Sunday it is rarely a
/// deadline, and "sledeće nedelje" (next week) is everywhere.
const WORDS: &[(&str, &str)] = &[
    ("ponedeljak", "monday"),
    ("ponedeljka", "monday"),
    ("utorak", "tuesday"),
    ("utorka", "tuesday"),
    ("sreda", "wednesday"),
    ("sredu", "wednesday"),
    ("srede", "wednesday"),
    ("četvrtak", "thursday"),
    ("četvrtka", "thursday"),
    ("petak", "friday"),
    ("petka", "friday"),
    ("subota", "saturday"),
    ("subotu", "saturday"),
    ("subote", "saturday"),
    ("nedelja", "week"),
    ("nedelje", "week"),
    ("nedelju", "week"),
    ("sedmica", "week"),
    ("sedmice", "week"),
    ("sedmicu", "week"),
    ("meseca", "month"),
    ("mesec", "month"),
    ("dana", "days"),
    ("dan", "day"),
    ("danas", "today"),
    ("večeras", "tonight"),
    ("sutra", "tomorrow"),
    ("prekosutra", "day after tomorrow"),
    ("sledeće", "next"),
    ("sledeći", "next"),
    ("sledećeg", "next"),
    ("sledeću", "next"),
    ("naredne", "next"),
    ("naredni", "next"),
    ("narednog", "next"),
    ("narednu", "next"),
    ("ove", "this"),
    ("ovog", "this"),
    ("ovaj", "this"),
    ("ovu", "this"),
    ("kraja", "end of"),
    ("kraju", "end of"),
    ("početkom", "early"),
    ("do", "by"),
    ("za", "in"),
    ("u", "on"),
    ("jedan", "one"),
    ("jednu", "one"),
    ("dva", "two"),
    ("dve", "two"),
    ("tri", "three"),
    ("četiri", "four"),
    ("pet", "five"),
    ("šest", "six"),
    ("sedam", "seven"),
    ("deset", "ten"),
    ("par", "couple"),
];

/// Month names in the genitive a date takes ("15. marta") and the nominative.
const MONTHS: &[(&str, &str)] = &[
    ("januar", "january"),
    ("februar", "february"),
    ("mart", "march"),
    ("april", "april"),
    ("maj", "may"),
    ("jun", "june"),
    ("jul", "july"),
    ("avgust", "august"),
    ("septembar", "september"),
    ("septembr", "september"),
    ("oktobar", "october"),
    ("oktobr", "october"),
    ("novembar", "november"),
    ("novembr", "november"),
    ("decembar", "december"),
    ("decembr", "december"),
];

fn month(word: &str) -> Option<&'static str> {
    let stem = word.strip_suffix('a').unwrap_or(word);
    MONTHS
        .iter()
        .find(|(sr, _)| *sr == stem || *sr == word)
        .map(|(_, en)| *en)
}

/// The sentence in English date words, or `None` when it has no Serbian date word (so English
/// sentences are never rewritten).
pub(super) fn to_english(sentence: &str) -> Option<String> {
    let lower = sentence.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let mut out: Vec<String> = Vec::with_capacity(words.len());
    let mut dated = false;
    for (i, word) in words.iter().enumerate() {
        if let Some(en) = month(word) {
            // "15. marta": the day comes first; the resolver reads "15th of march".
            if let Some(day) = i
                .checked_sub(1)
                .and_then(|p| words[p].parse::<u32>().ok())
                .filter(|d| (1..=31).contains(d))
            {
                out.pop();
                out.push(format!("{day}th of {en}"));
            } else {
                out.push(en.to_string());
            }
            dated = true;
            continue;
        }
        // "do kraja radnog dana": the end of the working day is the end of the day.
        if *word == "radnog" {
            continue;
        }
        // "za nedelju dana": in a week.
        if *word == "dana" && out.last().is_some_and(|w| w == "week") {
            out.pop();
            out.push("a week".into());
            continue;
        }
        if *word == "dana" && out.last().is_some_and(|w| w == "end of") {
            out.push("day".into());
            dated = true;
            continue;
        }
        match WORDS.iter().find(|(sr, _)| sr == word) {
            Some((_, en)) => {
                // Prepositions and numbers alone are not dates: "do" is also English.
                dated |= WEEK_OR_DAY.contains(en);
                out.push((*en).to_string());
            }
            None => out.push((*word).to_string()),
        }
    }
    dated.then(|| out.join(" "))
}

/// English readings that name a time on their own.
const WEEK_OR_DAY: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "week",
    "month",
    "days",
    "day",
    "today",
    "tonight",
    "tomorrow",
    "day after tomorrow",
];
