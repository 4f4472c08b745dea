//! Action-item precision/recall, due-date accuracy and customer-sentiment agreement over seven
//! labelled sets, each reported and held to its own floor (run with `--nocapture` for figures):
//!
//! - `calls` (development) and `calls_heldout`: written together with the rules, in one voice;
//! - `calls_dev_voices`: written later in other voices (raw speech-to-text, Zoom, many speakers,
//!   Serbian), for tuning (the verbose output prints the tuning sets' misses);
//! - `calls_tuning`: 16 more calls for tuning, written by two other writers from the guide and
//!   committed before the rules were measured on it (first reading, untuned: precision 0.697,
//!   recall 0.705, due dates 0.705, sentiment 0.500);
//! - `calls_unseen`: written at the same time as `calls_dev_voices` and committed before any rule
//!   was changed against either; the rules are never tuned on it, so its figures are the ones
//!   the README reports;
//! - `calls_fresh`: a second such set, written later by two other writers from the same guide and
//!   committed before any rule was measured or changed against it;
//! - `calls_blind`: a third, by two more writers, committed after the rules were tuned on
//!   `calls_tuning` and before they were first measured on it.
//!
//! Each set is measured twice: by the rules alone, and with the sentence model the app uses when
//! it is installed (ZAPIS_TEST_MINILM), each pass held to its own floors. A third test checks the
//! topic splitting on calls laid back to back.
//!
//! Labels: `rep_side` lists every seller-side speaker (default: `rep`), `language` the call's
//! language (default `en`; the analysis uses the detected language and a test checks they agree),
//! and an item's `segments` the segment that states it and any that accept or date it.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Deserialize;
use zapis::insights::{
    analyze_with_meanings, detect_language, topic_blocks, ActionItem, CallContext, Language,
    Meanings, Role, TermStats, Utterance,
};
use zapis::semantic::{Embedder, SentenceModel};

mod whisper_support;
use whisper_support::fixture;
use zapis::transcript_import::read_transcript_file;

#[derive(Deserialize)]
struct Expected {
    date: NaiveDate,
    rep: String,
    #[serde(default)]
    rep_side: Vec<String>,
    #[serde(default = "english")]
    language: Language,
    customer_sentiment: String,
    action_items: Vec<ExpectedItem>,
}

fn english() -> Language {
    Language::En
}

#[derive(Deserialize)]
struct ExpectedItem {
    #[serde(default)]
    segment: Option<i64>,
    #[serde(default)]
    segments: Vec<i64>,
    owner: String,
    due: Option<NaiveDate>,
    text: String,
}

impl ExpectedItem {
    /// The segments that state, accept or date the item; the first states it.
    fn segments(&self) -> Vec<i64> {
        self.segment
            .into_iter()
            .chain(self.segments.clone())
            .collect()
    }
}

impl Expected {
    fn seller_side(&self) -> Vec<&str> {
        std::iter::once(self.rep.as_str())
            .chain(self.rep_side.iter().map(String::as_str))
            .collect()
    }
}

fn fixtures(set: &str) -> Vec<(PathBuf, Expected)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(set);
    let mut out = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        if !name.ends_with(".expected.json") {
            continue;
        }
        let stem = name.trim_end_matches(".expected.json");
        let transcript = ["vtt", "srt", "json"]
            .iter()
            .map(|e| dir.join(format!("{stem}.{e}")))
            .find(|p| p.exists())
            .unwrap_or_else(|| panic!("{name} has no transcript beside it"));
        let expected: Expected = serde_json::from_str(&std::fs::read_to_string(&path).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        out.push((transcript, expected));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn utterances(path: &Path, expected: &Expected) -> Vec<Utterance> {
    let seller_side = expected.seller_side();
    read_transcript_file(path)
        .unwrap()
        .into_iter()
        .enumerate()
        .map(|(i, s)| {
            let speaker = s.speaker.unwrap_or_default();
            let role = if seller_side.contains(&speaker.as_str()) {
                Role::Rep
            } else {
                Role::Customer
            };
            Utterance {
                id: i as i64 + 1,
                speaker,
                role,
                start_ms: s.start_ms,
                end_ms: s.end_ms,
                text: s.text,
            }
        })
        .collect()
}

fn content_words(text: &str) -> BTreeSet<String> {
    const SKIP: [&str; 12] = [
        "the", "and", "for", "with", "you", "your", "our", "send", "about", "that", "this", "from",
    ];
    text.split(|c: char| !c.is_alphanumeric())
        .map(|w| w.to_lowercase())
        .filter(|w| w.len() > 2 && !SKIP.contains(&w.as_str()))
        .map(|w| w.trim_end_matches('s').to_string())
        .collect()
}

/// The side ("rep" or "customer") of a found item's owner, which may be a side or a name.
fn owner_side(owner: &str, expected: &Expected) -> &'static str {
    if owner.eq_ignore_ascii_case("rep")
        || expected
            .seller_side()
            .iter()
            .any(|n| n.eq_ignore_ascii_case(owner))
    {
        "rep"
    } else {
        "customer"
    }
}

/// Same owner side, and either one of the item's segments, or a segment near the one that states
/// it with most of the gist's words.
fn matches(call: &Expected, expected: &ExpectedItem, found: &ActionItem) -> bool {
    if !expected
        .owner
        .eq_ignore_ascii_case(owner_side(&found.owner, call))
    {
        return false;
    }
    let segments = expected.segments();
    if segments.contains(&found.segment) {
        return true;
    }
    let gist = content_words(&expected.text);
    let text = content_words(&found.text);
    let overlap = gist.intersection(&text).count() as f64 / gist.len().max(1) as f64;
    (segments[0] - found.segment).abs() <= 3 && overlap >= 0.5
}
/// Counts over a set of calls; sums over sets give the union's figures.
#[derive(Default, Clone, Copy)]
struct Tally {
    calls: usize,
    true_pos: usize,
    false_pos: usize,
    false_neg: usize,
    due_total: usize,
    due_right: usize,
    sentiment_right: usize,
}

impl Tally {
    fn add(self, o: Tally) -> Tally {
        Tally {
            calls: self.calls + o.calls,
            true_pos: self.true_pos + o.true_pos,
            false_pos: self.false_pos + o.false_pos,
            false_neg: self.false_neg + o.false_neg,
            due_total: self.due_total + o.due_total,
            due_right: self.due_right + o.due_right,
            sentiment_right: self.sentiment_right + o.sentiment_right,
        }
    }
    fn precision(&self) -> f64 {
        self.true_pos as f64 / (self.true_pos + self.false_pos).max(1) as f64
    }
    fn recall(&self) -> f64 {
        self.true_pos as f64 / (self.true_pos + self.false_neg).max(1) as f64
    }
    fn due_accuracy(&self) -> f64 {
        self.due_right as f64 / self.due_total.max(1) as f64
    }
    fn agreement(&self) -> f64 {
        self.sentiment_right as f64 / self.calls.max(1) as f64
    }
    /// One write, so the two tests' figures running side by side do not interleave.
    fn print(&self, set: &str, how: &str) {
        println!(
            "== {set}, {how}: {} calls\n   action items: precision {:.3} ({}/{}), recall {:.3} ({}/{})\n   due-date accuracy: {:.3} ({}/{})\n   customer sentiment agreement: {:.3} ({}/{})",
            self.calls,
            self.precision(),
            self.true_pos,
            self.true_pos + self.false_pos,
            self.recall(),
            self.true_pos,
            self.true_pos + self.false_neg,
            self.due_accuracy(),
            self.due_right,
            self.due_total,
            self.agreement(),
            self.sentiment_right,
            self.calls
        );
    }
}

struct LabelledCall {
    set: &'static str,
    path: PathBuf,
    expected: Expected,
    /// The language the words say, which the analysis gets (an import without a flag does too).
    language: Language,
    utterances: Vec<Utterance>,
}

/// Prints a per-call detail line for the sets the rules may be tuned on.
macro_rules! detail {
    ($verbose:expr, $($arg:tt)*) => {
        if $verbose {
            println!($($arg)*);
        }
    };
}

/// The set whose figures the README reports.
const UNSEEN: &str = "calls_unseen";

/// The sets the rules may be tuned on; the others print totals only.
const TUNING: [&str; 3] = ["calls", "calls_dev_voices", "calls_tuning"];

/// The sets written after the rules and never tuned on.
const NEVER_TUNED: [&str; 3] = [UNSEEN, "calls_fresh", "calls_blind"];

fn evaluate(index: usize, calls: &[LabelledCall], meanings: Option<&dyn Meanings>) -> Tally {
    let call = &calls[index];
    let utts = &call.utterances;
    let expected = &call.expected;
    let language = call.language;
    // Only the tuning sets print their misses: reading a held-out set's would be tuning on it.
    let verbose = TUNING.contains(&call.set);
    // History: every other labelled call in the same language, as the user's earlier calls.
    let mut history = TermStats::default();
    for (other, c) in calls.iter().enumerate() {
        if other != index && c.language == language {
            history.add_call(&zapis::insights::distinct_terms(&c.utterances, language));
        }
    }
    let participants: Vec<String> = utts
        .iter()
        .map(|u| u.speaker.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let ctx = CallContext {
        date: expected.date,
        language,
        participants,
    };
    let insights = analyze_with_meanings(&ctx, utts, &history, &[], meanings);
    assert_eq!(
        insights.by_meaning,
        meanings.is_some() && language == Language::En,
        "{}",
        call.path.display()
    );
    let name = format!(
        "{}/{}",
        call.set,
        call.path.file_name().unwrap().to_string_lossy()
    );
    let mut tally = Tally {
        calls: 1,
        ..Tally::default()
    };
    let mut used = vec![false; insights.action_items.len()];
    for item in &expected.action_items {
        let hit = insights
            .action_items
            .iter()
            .enumerate()
            .find(|(i, f)| !used[*i] && matches(expected, item, f));
        match hit {
            Some((i, found)) => {
                used[i] = true;
                tally.true_pos += 1;
                if item.due.is_some() {
                    tally.due_total += 1;
                    if found.due == item.due {
                        tally.due_right += 1;
                    } else {
                        detail!(
                            verbose,
                            "{name}: due mismatch seg {}: expected {:?}, got {:?} ({})",
                            item.segments()[0],
                            item.due,
                            found.due,
                            found.text
                        );
                    }
                }
            }
            None => {
                tally.false_neg += 1;
                detail!(
                    verbose,
                    "{name}: MISSED seg {} [{}] {}",
                    item.segments()[0],
                    item.owner,
                    item.text
                );
            }
        }
    }
    for (found, used) in insights.action_items.iter().zip(&used) {
        if !used {
            tally.false_pos += 1;
            detail!(
                verbose,
                "{name}: EXTRA seg {} [{}] {}",
                found.segment,
                found.owner,
                found.text
            );
        }
    }
    let label = insights.sentiment.as_ref().map(|s| {
        (
            s.customer.score,
            serde_json::to_value(s.customer.label).unwrap(),
        )
    });
    let agrees = label
        .as_ref()
        .is_some_and(|(_, l)| l == expected.customer_sentiment.as_str());
    match &label {
        Some((score, label)) => detail!(
            verbose,
            "{name}: customer sentiment {score:.3} {label}, expected {}{}",
            expected.customer_sentiment,
            if agrees { "" } else { "  <-- MISMATCH" }
        ),
        None => detail!(
            verbose,
            "{name}: no customer sentiment ({}), expected {}  <-- MISMATCH",
            insights.language_notes.join("; "),
            expected.customer_sentiment
        ),
    }
    if agrees {
        tally.sentiment_right += 1;
    }
    tally
}

/// The labelled sets, and the floor each is held to: the figures when the floor was set, rounded
/// down, so a change that loses ground on any one set fails here.
struct Set {
    dir: &'static str,
    title: &'static str,
    min_calls: usize,
    /// The rules alone.
    floor: Floor,
    /// With the sentence model.
    floor_by_meaning: Floor,
}

struct Floor {
    precision: f64,
    recall: f64,
    due: f64,
    sentiment: f64,
}

const SETS: [Set; 7] = [
    Set {
        dir: "calls",
        title: "development set (tests/fixtures/calls)",
        min_calls: 20,
        floor: Floor {
            precision: 0.85,
            recall: 0.95,
            due: 0.9,
            sentiment: 0.8,
        },
        floor_by_meaning: Floor {
            precision: 0.85,
            recall: 0.95,
            due: 0.9,
            sentiment: 0.8,
        },
    },
    Set {
        dir: "calls_heldout",
        title: "first held-out set, same voice (tests/fixtures/calls_heldout)",
        min_calls: 12,
        floor: Floor {
            precision: 0.6,
            recall: 0.85,
            due: 0.85,
            sentiment: 0.65,
        },
        floor_by_meaning: Floor {
            precision: 0.6,
            recall: 0.85,
            due: 0.85,
            sentiment: 0.65,
        },
    },
    Set {
        dir: "calls_dev_voices",
        title: "other voices, for tuning (tests/fixtures/calls_dev_voices)",
        min_calls: 10,
        floor: Floor {
            precision: 0.9,
            recall: 0.95,
            due: 0.85,
            sentiment: 0.75,
        },
        floor_by_meaning: Floor {
            precision: 0.9,
            recall: 0.95,
            due: 0.85,
            sentiment: 0.75,
        },
    },
    Set {
        dir: "calls_tuning",
        title: "other voices, for tuning, second set (tests/fixtures/calls_tuning)",
        min_calls: 16,
        floor: Floor {
            precision: 0.82,
            recall: 0.9,
            due: 0.8,
            sentiment: 0.75,
        },
        floor_by_meaning: Floor {
            precision: 0.82,
            recall: 0.9,
            due: 0.8,
            sentiment: 0.75,
        },
    },
    Set {
        dir: UNSEEN,
        title: "never tuned on (tests/fixtures/calls_unseen)",
        min_calls: 12,
        // 0.817, 0.807, 0.875, 0.462 before the rules were tuned on calls_tuning; due dates
        // were then 42 of 48 right, after 43 of 51 (more items found, one more dated wrongly).
        floor: Floor {
            precision: 0.82,
            recall: 0.85,
            due: 0.84,
            sentiment: 0.69,
        },
        floor_by_meaning: Floor {
            precision: 0.82,
            recall: 0.85,
            due: 0.84,
            sentiment: 0.69,
        },
    },
    Set {
        dir: "calls_fresh",
        title: "never tuned on, second set (tests/fixtures/calls_fresh)",
        min_calls: 14,
        // First measured with the rules as they were when it was committed: 0.757, 0.737,
        // 0.674, 0.429; after the rules were tuned on calls_tuning: 0.772, 0.803, 0.667, 0.500.
        floor: Floor {
            precision: 0.77,
            recall: 0.8,
            due: 0.66,
            sentiment: 0.5,
        },
        floor_by_meaning: Floor {
            precision: 0.78,
            recall: 0.8,
            due: 0.66,
            sentiment: 0.5,
        },
    },
    Set {
        dir: "calls_blind",
        title: "never tuned on, third set (tests/fixtures/calls_blind)",
        min_calls: 14,
        // First measured with the rules after tuning on calls_tuning: 0.785, 0.705, 0.795,
        // 0.429 (the rules from before that tuning: 0.766, 0.670, 0.814, 0.429).
        floor: Floor {
            precision: 0.78,
            recall: 0.7,
            due: 0.79,
            sentiment: 0.42,
        },
        floor_by_meaning: Floor {
            precision: 0.78,
            recall: 0.7,
            due: 0.79,
            sentiment: 0.42,
        },
    },
];

fn load() -> Vec<LabelledCall> {
    let mut calls = Vec::new();
    for set in &SETS {
        for (path, expected) in fixtures(set.dir) {
            let utterances = utterances(&path, &expected);
            let language = detect_language(utterances.iter().map(|u| u.text.as_str()));
            calls.push(LabelledCall {
                set: set.dir,
                path,
                expected,
                language,
                utterances,
            });
        }
    }
    calls
}

#[test]
fn every_labelled_call_is_recognised_in_its_language() {
    for call in load() {
        assert_eq!(
            call.language,
            call.expected.language,
            "{}/{}",
            call.set,
            call.path.display()
        );
    }
}

#[test]
fn action_items_and_sentiment_meet_each_sets_floor() {
    let failures = measure_each_set(&load(), None, |set| &set.floor);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The sentence model as the app runs it (`zapis model install minilm`): the same figures with
/// tasks said twice in other words kept once.
#[test]
fn with_the_sentence_model_each_set_holds_its_floor() {
    let Some(dir) = fixture("ZAPIS_TEST_MINILM") else {
        return;
    };
    let meanings = Embedder::load(&SentenceModel::in_dir(&dir).unwrap()).unwrap();
    let failures = measure_each_set(&load(), Some(&meanings), |set| &set.floor_by_meaning);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Prints each set's figures and returns every figure below the set's floor.
fn measure_each_set(
    calls: &[LabelledCall],
    meanings: Option<&dyn Meanings>,
    floor: impl Fn(&Set) -> &Floor,
) -> Vec<String> {
    let how = if meanings.is_some() {
        "with the sentence model"
    } else {
        "rules alone"
    };
    let mut per_set = [Tally::default(); SETS.len()];
    for index in 0..calls.len() {
        let set = SETS.iter().position(|s| s.dir == calls[index].set).unwrap();
        per_set[set] = per_set[set].add(evaluate(index, calls, meanings));
    }
    let mut failures = Vec::new();
    for (set, tally) in SETS.iter().zip(&per_set) {
        tally.print(set.title, how);
        assert!(
            tally.calls >= set.min_calls,
            "{}: need at least {} labelled calls, found {}",
            set.dir,
            set.min_calls,
            tally.calls
        );
        let floor = floor(set);
        let figures = [
            ("action-item precision", tally.precision(), floor.precision),
            ("action-item recall", tally.recall(), floor.recall),
            ("due-date accuracy", tally.due_accuracy(), floor.due),
            ("sentiment agreement", tally.agreement(), floor.sentiment),
        ];
        for (what, got, floor) in figures {
            if got < floor {
                failures.push(format!("{}: {what} {got:.3} < {floor}", set.dir));
            }
        }
    }
    failures
}

/// Topic splitting checked the way text segmentation is usually checked (Choi, 2000): pieces of
/// two calls back to back must be split where one ends and the other begins, give or take a few
/// turns. Each piece is the middle half of its call, so the first call's goodbyes and the
/// second's greetings (alike in any two calls) do not blur the seam. Prints how often the seam is
/// found, on the tuning sets and on the never-tuned sets (the splitting was never shaped on those).
/// By words, as shipped: 23 of the tuning sets' 41 seams, 22 of the never-tuned sets' 34. Tried
/// and not kept: by the sentence model's meaning, 33 and 21 (better only where it was tried
/// first); by words with the gap scores smoothed as Hearst does, 27 and 23, but it split short
/// calls that are one topic.
#[test]
fn topics_split_where_one_call_ends_and_the_next_begins() {
    const SLACK: usize = 3;
    let all = load();
    for (group, sets) in [
        ("tuning sets", &TUNING[..]),
        ("never-tuned sets", &NEVER_TUNED[..]),
    ] {
        let pieces: Vec<Vec<Utterance>> = all
            .iter()
            .filter(|c| sets.contains(&c.set) && c.language == Language::En)
            .map(|c| {
                let n = c.utterances.len();
                c.utterances[n / 4..n - n / 4].to_vec()
            })
            .collect();
        let pairs = pieces.len() - 1;
        let found = pieces
            .windows(2)
            .filter(|pair| {
                let seam = pair[0].len();
                let joined: Vec<Utterance> = pair[0].iter().chain(&pair[1]).cloned().collect();
                topic_blocks(&joined, Language::En)
                    .iter()
                    .any(|b| b.start > 0 && b.start.abs_diff(seam) <= SLACK)
            })
            .count();
        println!("topic seams found within {SLACK} turns, {group}: {found} of {pairs} pairs");
        // The tuning sets' figure when the test was written (23 of 41), rounded down.
        assert!(found * 20 >= pairs * 11, "{group}: {found} of {pairs}");
    }
}
