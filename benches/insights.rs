//! Times all insights for a 60-minute, two-speaker call (~10,000 words) against a 1,000-call
//! history, from the rules alone (target < 200 ms) and with the sentence model (target < 5 s; the
//! model folder from ZAPIS_TEST_MINILM, as `eval "$(scripts/test-fixtures.sh)"` sets it). Run:
//! `cargo bench --bench insights`. Prints milliseconds.

use std::collections::BTreeSet;
use std::path::Path;
use std::time::Instant;

use chrono::NaiveDate;
use zapis::insights::{
    analyze, analyze_with_meanings, distinct_terms, CallContext, Insights, Language, Role,
    TermStats, TrackedKeyword, Utterance,
};
use zapis::semantic::{Embedder, SentenceModel};
use zapis::transcript_import::read_transcript_file;

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/calls");
    let mut calls: Vec<Vec<Utterance>> = Vec::new();
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("fixtures dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| !p.to_string_lossy().ends_with(".expected.json"))
        .collect();
    paths.sort();
    for path in paths {
        let segments = read_transcript_file(&path).expect("fixture parses");
        let first = segments[0].speaker.clone();
        calls.push(
            segments
                .into_iter()
                .enumerate()
                .map(|(i, s)| Utterance {
                    id: i as i64,
                    role: if s.speaker == first {
                        Role::Rep
                    } else {
                        Role::Customer
                    },
                    speaker: if s.speaker == first {
                        "Rep".into()
                    } else {
                        "Customer".into()
                    },
                    start_ms: s.start_ms,
                    end_ms: s.end_ms,
                    text: s.text,
                })
                .collect(),
        );
    }
    // One long call: the fixtures back to back until ~10,000 words, renumbered, then its clock
    // scaled to 60 minutes.
    let mut long: Vec<Utterance> = Vec::new();
    let mut offset = 0;
    'fill: loop {
        for call in &calls {
            let base = call[0].start_ms;
            for u in call {
                let mut u = u.clone();
                u.id = long.len() as i64 + 1;
                u.start_ms = u.start_ms - base + offset;
                u.end_ms = u.end_ms - base + offset;
                long.push(u);
            }
            offset = long.last().map(|u| u.end_ms + 1000).unwrap_or(0);
            if long
                .iter()
                .map(|u| u.text.split_whitespace().count())
                .sum::<usize>()
                >= 10_000
            {
                break 'fill;
            }
        }
    }
    let scale = 60.0 * 60_000.0 / offset as f64;
    for u in &mut long {
        u.start_ms = (u.start_ms as f64 * scale) as i64;
        u.end_ms = (u.end_ms as f64 * scale) as i64;
    }
    let offset = long.last().map(|u| u.end_ms).unwrap_or(0);
    let words: usize = long.iter().map(|u| u.text.split_whitespace().count()).sum();
    // History of 1,000 calls: the fixtures' terms plus per-call unique terms, as a grown history has.
    let mut history = TermStats::default();
    let fixture_terms: Vec<BTreeSet<String>> = calls
        .iter()
        .map(|c| distinct_terms(c, Language::En))
        .collect();
    for i in 0..1000 {
        let mut terms = fixture_terms[i % fixture_terms.len()].clone();
        terms.extend((0..30).map(|k| format!("term{i}x{k}")));
        history.add_call(&terms);
    }
    let tracked: Vec<TrackedKeyword> = [
        "Gong",
        "Salesforce",
        "pricing",
        "discount",
        "Netsuite",
        "SOC 2",
        "renewal",
    ]
    .iter()
    .map(|t| TrackedKeyword {
        term: t.to_string(),
        category: "tracked".into(),
    })
    .collect();
    let ctx = CallContext {
        date: NaiveDate::from_ymd_opt(2024, 3, 6).expect("date"),
        language: Language::En,
        participants: vec!["Rep".into(), "Customer".into()],
    };

    println!(
        "insights: {} segments, {words} words, {:.1} min, history {} calls / {} terms",
        long.len(),
        offset as f64 / 60_000.0,
        history.calls,
        history.doc_freq.len()
    );
    let rules = time(|| analyze(&ctx, &long, &history, &tracked));
    println!(
        "analyze(), rules alone: median {:.1} ms, min {:.1} ms, max {:.1} ms over {RUNS} runs (target < 200 ms)",
        rules[RUNS / 2],
        rules[0],
        rules[RUNS - 1]
    );
    let Some(dir) = std::env::var_os("ZAPIS_TEST_MINILM") else {
        println!("analyze(), with the sentence model: not measured (ZAPIS_TEST_MINILM is not set; run eval \"$(scripts/test-fixtures.sh)\" first)");
        return;
    };
    let loading = Instant::now();
    let model = SentenceModel::in_dir(Path::new(&dir)).expect("the sentence model's folder");
    let meanings = Embedder::load(&model).expect("the sentence model loads");
    let load_ms = loading.elapsed().as_secs_f64() * 1000.0;
    let with_model =
        time(|| analyze_with_meanings(&ctx, &long, &history, &tracked, Some(&meanings)));
    let items = analyze_with_meanings(&ctx, &long, &history, &tracked, Some(&meanings))
        .action_items
        .len();
    println!(
        "analyze(), with the sentence model: median {:.1} ms, min {:.1} ms, max {:.1} ms over {RUNS} runs, {items} action items (target < 5 s); loading the model once per process: {load_ms:.0} ms",
        with_model[RUNS / 2],
        with_model[0],
        with_model[RUNS - 1]
    );
}

const RUNS: usize = 10;

/// Milliseconds of each of [`RUNS`] runs after one to warm up, sorted.
fn time(run: impl Fn() -> Insights) -> Vec<f64> {
    std::hint::black_box(run());
    let mut times: Vec<f64> = (0..RUNS)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(run());
            t.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times
}
