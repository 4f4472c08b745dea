//! Action-item precision/recall, due-date accuracy and customer-sentiment agreement over the
//! labelled calls in tests/fixtures/calls. Figures are printed (run with `--nocapture`).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Deserialize;
use zapis::insights::{analyze, ActionItem, CallContext, Language, Role, TermStats, Utterance};
use zapis::transcript_import::read_transcript_file;

#[derive(Deserialize)]
struct Expected {
    date: NaiveDate,
    rep: String,
    customer_sentiment: String,
    action_items: Vec<ExpectedItem>,
}

#[derive(Deserialize)]
struct ExpectedItem {
    segment: i64,
    owner: String,
    due: Option<NaiveDate>,
    text: String,
}

fn fixtures() -> Vec<(PathBuf, Expected)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/calls");
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
            .unwrap();
        let expected: Expected =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        out.push((transcript, expected));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn utterances(path: &Path, rep: &str) -> Vec<Utterance> {
    read_transcript_file(path)
        .unwrap()
        .into_iter()
        .enumerate()
        .map(|(i, s)| {
            let speaker = s.speaker.unwrap_or_default();
            let role = if speaker == rep {
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

/// Same owner and either the same source segment, or a nearby segment with most of the gist's words.
fn matches(expected: &ExpectedItem, found: &ActionItem) -> bool {
    if !expected.owner.eq_ignore_ascii_case(&found.owner) {
        return false;
    }
    if expected.segment == found.segment {
        return true;
    }
    let gist = content_words(&expected.text);
    let text = content_words(&found.text);
    let overlap = gist.intersection(&text).count() as f64 / gist.len().max(1) as f64;
    (expected.segment - found.segment).abs() <= 3 && overlap >= 0.5
}

#[test]
fn action_items_and_sentiment_meet_quality_bar() {
    let calls = fixtures();
    assert!(
        calls.len() >= 20,
        "need at least 20 labelled calls, found {}",
        calls.len()
    );
    let all: Vec<(Vec<Utterance>, &Expected)> = calls
        .iter()
        .map(|(p, e)| (utterances(p, &e.rep), e))
        .collect();
    let (mut true_pos, mut false_pos, mut false_neg) = (0usize, 0usize, 0usize);
    let (mut due_total, mut due_right, mut sentiment_right) = (0usize, 0usize, 0usize);
    for (index, ((path, expected), (utts, _))) in calls.iter().zip(&all).enumerate() {
        // History: every other labelled call, as the user's earlier calls.
        let mut history = TermStats::default();
        for (other, (u, _)) in all.iter().enumerate() {
            if other != index {
                history.add_call(&zapis::insights::distinct_terms(u, Language::En));
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
            language: Language::En,
            participants,
        };
        let insights = analyze(&ctx, utts, &history, &[]);
        let name = path.file_name().unwrap().to_string_lossy();
        let mut used = vec![false; insights.action_items.len()];
        for item in &expected.action_items {
            let hit = insights
                .action_items
                .iter()
                .enumerate()
                .find(|(i, f)| !used[*i] && matches(item, f));
            match hit {
                Some((i, found)) => {
                    used[i] = true;
                    true_pos += 1;
                    if item.due.is_some() {
                        due_total += 1;
                        if found.due == item.due {
                            due_right += 1;
                        } else {
                            println!(
                                "{name}: due mismatch seg {}: expected {:?}, got {:?} ({})",
                                item.segment, item.due, found.due, found.text
                            );
                        }
                    }
                }
                None => {
                    false_neg += 1;
                    println!(
                        "{name}: MISSED seg {} [{}] {}",
                        item.segment, item.owner, item.text
                    );
                }
            }
        }
        for (found, used) in insights.action_items.iter().zip(&used) {
            if !used {
                false_pos += 1;
                println!(
                    "{name}: EXTRA seg {} [{}] {}",
                    found.segment, found.owner, found.text
                );
            }
        }
        let sentiment = insights.sentiment.as_ref().unwrap();
        let label = serde_json::to_value(sentiment.customer.label).unwrap();
        println!(
            "{name}: customer sentiment {:.3} {label}, expected {}",
            sentiment.customer.score, expected.customer_sentiment
        );
        if label == expected.customer_sentiment.as_str() {
            sentiment_right += 1;
        } else {
            println!(
                "{name}: sentiment expected {}, got {label} ({:.3})",
                expected.customer_sentiment, sentiment.customer.score
            );
        }
    }
    let precision = true_pos as f64 / (true_pos + false_pos).max(1) as f64;
    let recall = true_pos as f64 / (true_pos + false_neg).max(1) as f64;
    let due_accuracy = due_right as f64 / due_total.max(1) as f64;
    let agreement = sentiment_right as f64 / calls.len() as f64;
    println!("calls: {}", calls.len());
    println!("action items: precision {precision:.3} ({true_pos}/{}), recall {recall:.3} ({true_pos}/{})", true_pos + false_pos, true_pos + false_neg);
    println!("due-date accuracy: {due_accuracy:.3} ({due_right}/{due_total})");
    println!(
        "customer sentiment agreement: {agreement:.3} ({sentiment_right}/{})",
        calls.len()
    );
    assert!(
        precision >= 0.8,
        "action-item precision {precision:.3} < 0.8"
    );
    assert!(recall >= 0.8, "action-item recall {recall:.3} < 0.8");
    assert!(
        due_accuracy >= 0.9,
        "due-date accuracy {due_accuracy:.3} < 0.9"
    );
    assert!(agreement >= 0.8, "sentiment agreement {agreement:.3} < 0.8");
}
