//! Resolves spoken due dates against the call's date.
//!
//! Rules (deadline semantics: a period means its end):
//! | phrase | due |
//! |---|---|
//! | today, tonight, this afternoon, EOD / end of (the) day, COB, end of business, after this/the call, later today | call date |
//! | tomorrow / day after tomorrow | +1 / +2 days |
//! | (by/on/this) Friday | next Friday strictly after the call date (1–7 days) |
//! | next Friday, Friday next week | Friday of the following Monday-based week |
//! | end of (the/this) week, this week, later this week, by the weekend | Friday of this week (next week's on a weekend) |
//! | next week, end of next week | Friday of next week |
//! | early next week | Monday of next week |
//! | in N days / weeks / months ("a couple" = 2, "a few" = 3) | call date + N |
//! | within N hours | call date + whole days (24 hours: tomorrow) |
//! | N days / weeks from today, now or a weekday ("a week from Friday") | that day + N |
//! | end of (the/this) month, EOM | last day of this month; "end of next month" → last day of next month |
//! | a month, quarter or season without a day ("next month", "in March", "Q3") | none |
//! | end of (the) quarter, EOQ / end of (the) year | last day of this quarter / Dec 31 |
//! | the 15th, the twenty fifth | next such day on or after the call date |
//! | March 3rd, 3rd of March, 3/3 (US), 2024-03-03 | that date, next year if already past |
//!
//! An explicit calendar date wins over a count from a day, which wins over a weekday, which wins
//! over relative words.

use chrono::{Datelike, Duration, Months, NaiveDate, Weekday};

mod serbian;

const WEEKDAYS: [(&str, Weekday); 7] = [
    ("monday", Weekday::Mon),
    ("tuesday", Weekday::Tue),
    ("wednesday", Weekday::Wed),
    ("thursday", Weekday::Thu),
    ("friday", Weekday::Fri),
    ("saturday", Weekday::Sat),
    ("sunday", Weekday::Sun),
];

/// Month names, lowercased, January first.
pub(crate) const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Whether a lowercased word is a weekday's name.
pub(crate) fn is_weekday(word: &str) -> bool {
    WEEKDAYS.iter().any(|(name, _)| *name == word)
}

fn tokens(text: &str) -> Vec<String> {
    let words: Vec<String> = text
        .split(|c: char| !(c.is_alphanumeric() || c == '/' || c == '-'))
        .filter(|t| !t.is_empty())
        .map(|t| t.trim_matches('-').to_lowercase())
        .collect();
    // Speech-to-text writes "twenty fifth" as two words; the ordinal is one.
    let mut joined: Vec<String> = Vec::with_capacity(words.len());
    for word in words {
        if let Some(tens) = joined
            .last_mut()
            .filter(|t| matches!(t.as_str(), "twenty" | "thirty"))
        {
            let compound = format!("{tens}-{word}");
            if SPOKEN_ORDINALS.contains(&compound.as_str()) {
                *tens = compound;
                continue;
            }
        }
        joined.push(word);
    }
    joined
}

/// Returns the due date said in `sentence`, if any, resolved against `call_date`.
/// Serbian phrases are read as their English equivalents.
pub fn resolve_due_date(sentence: &str, call_date: NaiveDate) -> Option<NaiveDate> {
    resolve_corrected(sentence, call_date)
        .or_else(|| serbian::to_english(sentence).and_then(|en| resolve_corrected(&en, call_date)))
}

/// Words that take back what was just said: "the 14th, sorry, the 15th".
const CORRECTIONS: [&[&str]; 8] = [
    &["sorry"],
    &["actually"],
    &["i", "mean"],
    &["make", "that"],
    &["scratch", "that"],
    &["correction"],
    &["izvinite"],
    &["zapravo"],
];

/// A date corrected in the same breath is the corrected one: the phrase after the last
/// correction word wins when both it and the words before it name a date.
fn resolve_corrected(sentence: &str, call_date: NaiveDate) -> Option<NaiveDate> {
    let t = tokens(sentence);
    let words: Vec<&str> = t.iter().map(String::as_str).collect();
    let correction = (0..words.len()).rev().find_map(|i| {
        CORRECTIONS
            .iter()
            .find(|c| has_seq(&words[i..words.len().min(i + c.len())], c))
            .map(|c| (i, i + c.len()))
    });
    if let Some((at, after)) = correction {
        let before = resolve_words(&words[..at], call_date);
        let corrected = resolve_words(&words[after..], call_date);
        if before.is_some() && corrected.is_some() {
            return corrected;
        }
    }
    resolve_words(&words, call_date)
}

fn resolve_words(words: &[&str], call_date: NaiveDate) -> Option<NaiveDate> {
    explicit_date(words, call_date)
        .or_else(|| counted_from(words, call_date))
        .or_else(|| weekday_date(words, call_date))
        .or_else(|| relative_date(words, &words.join(" "), call_date))
}

fn has_seq(words: &[&str], seq: &[&str]) -> bool {
    words.windows(seq.len()).any(|w| w == seq)
}

fn ordinal_day(word: &str) -> Option<u32> {
    let digits = word.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &word[digits.len()..];
    if !matches!(suffix, "" | "st" | "nd" | "rd" | "th") {
        return None;
    }
    let day: u32 = digits.parse().ok()?;
    (1..=31).contains(&day).then_some(day)
}

const SPOKEN_ORDINALS: [&str; 31] = [
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
    "twentieth",
    "twenty-first",
    "twenty-second",
    "twenty-third",
    "twenty-fourth",
    "twenty-fifth",
    "twenty-sixth",
    "twenty-seventh",
    "twenty-eighth",
    "twenty-ninth",
    "thirtieth",
    "thirty-first",
];

fn day_word(word: &str) -> Option<u32> {
    ordinal_day(word).or_else(|| {
        SPOKEN_ORDINALS
            .iter()
            .position(|o| *o == word)
            .map(|i| i as u32 + 1)
    })
}

fn month_index(word: &str) -> Option<u32> {
    MONTHS
        .iter()
        .position(|m| {
            *m == word || (word.len() >= 3 && m.starts_with(word) && word != "mar" && word != "may")
        })
        .or_else(|| MONTHS.iter().position(|m| *m == word))
        .map(|i| i as u32 + 1)
}

/// A month/day in the call's year, or the next year when it has already passed.
fn upcoming(month: u32, day: u32, call_date: NaiveDate) -> Option<NaiveDate> {
    let this_year = NaiveDate::from_ymd_opt(call_date.year(), month, day)?;
    if this_year >= call_date {
        Some(this_year)
    } else {
        NaiveDate::from_ymd_opt(call_date.year() + 1, month, day)
    }
}

fn explicit_date(words: &[&str], call_date: NaiveDate) -> Option<NaiveDate> {
    for (i, w) in words.iter().enumerate() {
        if let Ok(date) = NaiveDate::parse_from_str(w, "%Y-%m-%d") {
            return Some(date);
        }
        if let Some((m, d)) = w.split_once('/') {
            if let (Ok(m), Ok(d)) = (m.parse::<u32>(), d.parse::<u32>()) {
                if let Some(date) = upcoming(m, d, call_date) {
                    return Some(date);
                }
            }
        }
        if let Some(month) = month_index(w).filter(|_| w.len() >= 3) {
            // "March 3rd" / "March the third"
            let next = words
                .get(i + 1)
                .copied()
                .filter(|n| *n != "the")
                .or(words.get(i + 2).copied());
            if let Some(day) = next.and_then(day_word) {
                return upcoming(month, day, call_date);
            }
            // "3rd of March"
            if i >= 2 && words[i - 1] == "of" {
                if let Some(day) = day_word(words[i - 2]) {
                    return upcoming(month, day, call_date);
                }
            }
        }
        // "by the 15th"
        if *w == "the" {
            if let Some(day) = words.get(i + 1).and_then(|n| day_word(n)) {
                let is_ordinal = words[i + 1].chars().any(|c| c.is_alphabetic());
                let followed_by_month = words.get(i + 2).is_some_and(|n| *n == "of");
                // "the third one", "the fifth location": a spelled-out ordinal before a noun
                // counts things, it does not name a day.
                let spelled_out = !words[i + 1].chars().any(|c| c.is_ascii_digit());
                let counts_things = spelled_out
                    && words.get(i + 2).is_some_and(|n| {
                        // Raw speech-to-text has no commas: a pronoun or a linking word
                        // after the ordinal starts the next clause ("the twenty seventh he's
                        // out"), it is not the thing counted.
                        !matches!(
                            *n,
                            "at" | "then"
                                | "so"
                                | "and"
                                | "or"
                                | "by"
                                | "if"
                                | "would"
                                | "works"
                                | "i"
                                | "i'm"
                                | "we"
                                | "we're"
                                | "you"
                                | "he"
                                | "he's"
                                | "she"
                                | "she's"
                                | "they"
                                | "it's"
                                | "that's"
                                | "because"
                                | "since"
                                | "but"
                                | "please"
                                | "sorry"
                                | "okay"
                                | "ok"
                                | "when"
                                | "latest"
                        )
                    });
                if is_ordinal
                    && !followed_by_month
                    && !counts_things
                    && !matches!(words[i + 1], "first" | "second")
                {
                    return next_day_of_month(day, call_date);
                }
            }
        }
    }
    None
}

fn next_day_of_month(day: u32, call_date: NaiveDate) -> Option<NaiveDate> {
    let mut month_start = call_date.with_day(1)?;
    for _ in 0..3 {
        if let Some(date) = month_start.with_day(day) {
            if date >= call_date {
                return Some(date);
            }
        }
        month_start = month_start.checked_add_months(Months::new(1))?;
    }
    None
}

fn monday_of_week(date: NaiveDate) -> NaiveDate {
    date - Duration::days(date.weekday().num_days_from_monday() as i64)
}

fn weekday_date(words: &[&str], call_date: NaiveDate) -> Option<NaiveDate> {
    for (i, w) in words.iter().enumerate() {
        let Some(&(_, weekday)) = WEEKDAYS.iter().find(|(name, _)| name == w) else {
            continue;
        };
        let next = i > 0 && words[i - 1] == "next"
            || words.get(i + 1) == Some(&"next") && words.get(i + 2) == Some(&"week");
        let last = i > 0 && words[i - 1] == "last";
        // "Thursday's incident" names a day that was, not a deadline.
        let possessive = words.get(i + 1) == Some(&"s");
        if last || possessive {
            continue;
        }
        if next {
            let next_monday = monday_of_week(call_date) + Duration::days(7);
            return Some(next_monday + Duration::days(weekday.num_days_from_monday() as i64));
        }
        let ahead = (weekday.num_days_from_monday() as i64
            - call_date.weekday().num_days_from_monday() as i64
            + 7)
            % 7;
        return Some(call_date + Duration::days(if ahead == 0 { 7 } else { ahead }));
    }
    None
}

fn number_word(word: &str) -> Option<i64> {
    match word {
        "a" | "an" | "one" => Some(1),
        "two" | "couple" => Some(2),
        "three" | "few" => Some(3),
        "four" => Some(4),
        "five" => Some(5),
        "six" => Some(6),
        "seven" => Some(7),
        "ten" => Some(10),
        _ => word.parse().ok().filter(|n| (1..=90).contains(n)),
    }
}

fn last_day_of_month(date: NaiveDate) -> Option<NaiveDate> {
    date.with_day(1)?
        .checked_add_months(Months::new(1))?
        .pred_opt()
}

fn friday_of_week(date: NaiveDate) -> NaiveDate {
    monday_of_week(date) + Duration::days(4)
}

/// "a week from today", "two weeks from now", "a week from Friday": the day named, then N on.
fn counted_from(words: &[&str], call_date: NaiveDate) -> Option<NaiveDate> {
    let from = words.iter().position(|w| *w == "from")?;
    if from < 2 {
        return None;
    }
    let n = number_word(words[from - 2])?;
    let days = match words[from - 1] {
        "day" | "days" => n,
        "week" | "weeks" => 7 * n,
        _ => return None,
    };
    let start = match words.get(from + 1).copied()? {
        "today" | "now" => call_date,
        "tomorrow" => call_date + Duration::days(1),
        weekday if is_weekday(weekday) => weekday_date(&words[from + 1..from + 2], call_date)?,
        _ => return None,
    };
    Some(start + Duration::days(days))
}

fn relative_date(words: &[&str], lower: &str, call_date: NaiveDate) -> Option<NaiveDate> {
    // "in two weeks", "in a couple of days", "within the next 3 days"
    for (i, w) in words.iter().enumerate() {
        if !matches!(*w, "in" | "within") {
            continue;
        }
        let mut j = i + 1;
        while words.get(j).is_some_and(|x| matches!(*x, "the" | "next")) {
            j += 1;
        }
        let n = if words.get(j) == Some(&"a")
            && words
                .get(j + 1)
                .is_some_and(|x| matches!(*x, "couple" | "few"))
        {
            j += 1;
            number_word(words[j])
        } else {
            words.get(j).and_then(|x| number_word(x))
        };
        let mut unit_at = j + 1;
        if words.get(unit_at) == Some(&"of") {
            unit_at += 1;
        }
        if let (Some(n), Some(unit)) = (n, words.get(unit_at)) {
            match *unit {
                "day" | "days" => return Some(call_date + Duration::days(n)),
                "week" | "weeks" => return Some(call_date + Duration::days(7 * n)),
                // "within 24 hours" is tomorrow; "in a few hours" is today.
                "hour" | "hours" => return Some(call_date + Duration::days(n / 24)),
                "month" | "months" => return call_date.checked_add_months(Months::new(n as u32)),
                _ => {}
            }
        }
    }
    let has = |seq: &[&str]| has_seq(words, seq);
    if has(&["day", "after", "tomorrow"]) {
        return Some(call_date + Duration::days(2));
    }
    if has(&["tomorrow"]) {
        return Some(call_date + Duration::days(1));
    }
    // "next month" alone names no day, so it is no deadline; its end is one.
    if has(&["end", "of", "next", "month"]) {
        return last_day_of_month(call_date.with_day(1)?.checked_add_months(Months::new(1))?);
    }
    if has(&["end", "of", "the", "month"])
        || has(&["end", "of", "this", "month"])
        || has(&["end", "of", "month"])
        || has(&["month", "end"])
        || has(&["eom"])
    {
        return last_day_of_month(call_date);
    }
    if has(&["end", "of", "the", "quarter"]) || has(&["end", "of", "quarter"]) || has(&["eoq"]) {
        let quarter_end_month = (call_date.month() - 1) / 3 * 3 + 3;
        return last_day_of_month(NaiveDate::from_ymd_opt(
            call_date.year(),
            quarter_end_month,
            1,
        )?);
    }
    if has(&["end", "of", "the", "year"]) || has(&["end", "of", "year"]) {
        return NaiveDate::from_ymd_opt(call_date.year(), 12, 31);
    }
    let next_monday = monday_of_week(call_date) + Duration::days(7);
    if has(&["early", "next", "week"]) || has(&["beginning", "of", "next", "week"]) {
        return Some(next_monday);
    }
    if has(&["next", "week"]) {
        return Some(next_monday + Duration::days(4));
    }
    let weekend_call = call_date.weekday().num_days_from_monday() >= 5;
    if has(&["end", "of", "the", "week"])
        || has(&["end", "of", "this", "week"])
        || has(&["end", "of", "week"])
        || has(&["this", "week"])
        || has(&["the", "weekend"])
    {
        return Some(if weekend_call {
            next_monday + Duration::days(4)
        } else {
            friday_of_week(call_date)
        });
    }
    let same_day = ["today", "tonight", "eod", "cob"]
        .iter()
        .any(|w| words.contains(w))
        || [
            "end of day",
            "end of the day",
            "close of business",
            "end of business",
            "end of the business day",
            "this afternoon",
            "this evening",
            "after this call",
            "after the call",
            "after this meeting",
            "after we hang up",
            "later today",
        ]
        .iter()
        .any(|p| lower.contains(p))
        || lower
            .trim_end_matches(|c: char| !c.is_alphanumeric())
            .ends_with("after this");
    same_day.then_some(call_date)
}

#[cfg(test)]
mod tests;
