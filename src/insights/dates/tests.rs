use super::*;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

#[test]
fn past_days_and_counted_things_are_not_deadlines() {
    let call = d("2024-04-10");
    assert_eq!(
        resolve_due_date("I'll send the analysis of Thursday's incident", call),
        None
    );
    assert_eq!(
        resolve_due_date("We're opening the third one in the summer.", call),
        None
    );
    assert_eq!(
        resolve_due_date("I'll have it by the fifteenth.", call),
        Some(d("2024-04-15"))
    );
}

#[test]
fn resolution_table() {
    // 2024-03-06 is a Wednesday.
    let call = d("2024-03-06");
    let table = [
        ("I'll send it by Friday", Some("2024-03-08")),
        ("let's talk next Tuesday", Some("2024-03-12")),
        ("how about Tuesday next week", Some("2024-03-12")),
        ("see you Wednesday", Some("2024-03-13")),
        ("tomorrow works", Some("2024-03-07")),
        ("by end of month", Some("2024-03-31")),
        ("by the end of the week", Some("2024-03-08")),
        ("in two weeks", Some("2024-03-20")),
        ("in a couple of days", Some("2024-03-08")),
        ("by the 15th", Some("2024-03-15")),
        ("by the 5th", Some("2024-04-05")),
        ("on March 3rd", Some("2025-03-03")),
        ("on the 3rd of April", Some("2024-04-03")),
        ("by EOD", Some("2024-03-06")),
        ("end of day Thursday", Some("2024-03-07")),
        ("sometime next week", Some("2024-03-15")),
        ("by the end of next week", Some("2024-03-15")),
        ("by the end of this week", Some("2024-03-08")),
        ("end of this month", Some("2024-03-31")),
        ("a week from today", Some("2024-03-13")),
        ("two weeks from now", Some("2024-03-20")),
        ("a week from Friday", Some("2024-03-15")),
        ("ten days from tomorrow", Some("2024-03-17")),
        ("by the twenty fifth", Some("2024-03-25")),
        ("by march twenty first", Some("2024-03-21")),
        ("by the thirty first", Some("2024-03-31")),
        ("you'll have it within 24 hours", Some("2024-03-07")),
        ("within the next 48 hours", Some("2024-03-08")),
        ("in a few hours", Some("2024-03-06")),
        ("by end of business", Some("2024-03-06")),
        ("early next week", Some("2024-03-11")),
        ("by end of next month", Some("2024-04-30")),
        ("end of the quarter", Some("2024-03-31")),
        ("right after this call", Some("2024-03-06")),
        ("I'll forward it after this.", Some("2024-03-06")),
        ("3/20", Some("2024-03-20")),
        ("2024-05-01", Some("2024-05-01")),
        ("I'll send it over soon", None),
        ("we'll revisit it next month", None),
        ("sometime in Q3", None),
        ("we met last Friday", None),
        ("in the first place", None),
    ];
    for (text, want) in table {
        assert_eq!(resolve_due_date(text, call), want.map(d), "{text}");
    }
}

#[test]
fn weekend_and_month_edges() {
    assert_eq!(
        resolve_due_date("by end of week", d("2024-03-09")),
        Some(d("2024-03-15"))
    );
    assert_eq!(
        resolve_due_date("by Friday", d("2024-03-08")),
        Some(d("2024-03-15"))
    );
    assert_eq!(
        resolve_due_date("end of month", d("2024-02-10")),
        Some(d("2024-02-29"))
    );
    assert_eq!(
        resolve_due_date("in a month", d("2024-01-31")),
        Some(d("2024-02-29"))
    );
}

#[test]
fn a_date_corrected_in_the_same_breath_is_the_corrected_one() {
    // 2024-03-06 is a Wednesday.
    let call = d("2024-03-06");
    for (text, want) in [
        ("I'll have it by the 14th, sorry, the 15th", "2024-03-15"),
        (
            "let's say Thursday, actually make that Friday",
            "2024-03-08",
        ),
        ("by March 12th, I mean March 13th", "2024-03-13"),
        ("sorry, I'll send it by Friday", "2024-03-08"),
    ] {
        assert_eq!(resolve_due_date(text, call), Some(d(want)), "{text}");
    }
}

#[test]
fn serbian_phrases() {
    // 2024-03-06 is a Wednesday (sreda).
    let call = d("2024-03-06");
    let table = [
        ("Poslaću vam ponudu do petka.", Some("2024-03-08")),
        ("javiću se u ponedeljak", Some("2024-03-11")),
        ("sutra ujutru šaljem ugovor", Some("2024-03-07")),
        ("do kraja dana", Some("2024-03-06")),
        ("do kraja nedelje", Some("2024-03-08")),
        ("do kraja sledeće nedelje", Some("2024-03-15")),
        ("za dve nedelje", Some("2024-03-20")),
        ("za tri dana", Some("2024-03-09")),
        ("za nedelju dana", Some("2024-03-13")),
        ("do kraja radnog dana", Some("2024-03-06")),
        ("do 15. marta", Some("2024-03-15")),
        ("najkasnije 2. aprila", Some("2024-04-02")),
        ("sledećeg utorka", Some("2024-03-12")),
        ("do kraja meseca", Some("2024-03-31")),
        ("negde u martu", None),
        ("sledećeg meseca", None),
        ("to ćemo videti", None),
    ];
    for (text, want) in table {
        assert_eq!(resolve_due_date(text, call), want.map(d), "{text}");
    }
}

#[test]
fn a_spoken_ordinal_before_the_next_clause_is_a_day_and_before_a_noun_is_not() {
    let call = d("2024-03-06");
    let table = [
        // Raw speech-to-text, no commas: a pronoun starts the next clause.
        (
            "ship them back by the twenty seventh he's out after that",
            Some("2024-03-27"),
        ),
        (
            "by the twenty sixth sorry the twenty seventh he's out on the twenty sixth",
            Some("2024-03-27"),
        ),
        (
            "the packet has to be in by the twenty fifth because the committee meets",
            Some("2024-03-25"),
        ),
        ("the fifth location opens next year", None),
    ];
    for (text, want) in table {
        assert_eq!(resolve_due_date(text, call), want.map(d), "{text}");
    }
}

#[test]
fn a_spoken_ordinal_that_counts_things_is_no_day() {
    let call = d("2024-03-06");
    for text in [
        "the third is pricing",
        "we're the fourth in line",
        "the fifth on the list",
    ] {
        assert_eq!(resolve_due_date(text, call), None, "{text}");
    }
}
