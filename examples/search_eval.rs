//! Search quality on calls the search was not built on (bench/search.sh runs it): the transcripts
//! of tests/fixtures/calls_unseen imported into a fresh library, and the labelled queries of
//! tests/fixtures/search_eval/queries.json (written from those transcripts by someone who had
//! not seen the search code, before it was measured; never tuned on). Each query is run three
//! ways in the same run: words only (FTS5), meaning only (nearest sentence vectors) and the two
//! fused, as `zapis calls search` does. Prints recall@5, recall@10, MRR@10 and hit@10 (a wanted
//! line among the first ten) for each, over all
//! queries and for the queries that share no word with the lines they want; then indexing speed
//! and search latency.
//!
//! usage: search_eval MINILM_DIR [--queries FILE] [--calls DIR]

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use zapis::app;
use zapis::import::ImportOptions;
use zapis::semantic;
use zapis::storage::Library;

struct Query {
    text: String,
    shares_words: bool,
    /// (file, exact substring of one line)
    relevant: Vec<(String, String)>,
}

fn load_queries(path: &Path) -> Result<Vec<Query>> {
    let raw: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?,
    )?;
    let mut queries = Vec::new();
    for q in raw.as_array().context("queries: a JSON array")? {
        let text = q["query"].as_str().context("query text")?.to_string();
        let shares_words = q["shares_words"].as_bool().context("shares_words")?;
        let mut relevant = Vec::new();
        for r in q["relevant"].as_array().context("relevant")? {
            relevant.push((
                r["file"].as_str().context("file")?.to_string(),
                r["contains"].as_str().context("contains")?.to_string(),
            ));
        }
        queries.push(Query {
            text,
            shares_words,
            relevant,
        });
    }
    Ok(queries)
}

/// The stored line (segment id) of each labelled (file, substring).
type Labels = HashMap<(String, String), i64>;

#[derive(Default, Clone, Copy)]
struct Score {
    recall5: f64,
    recall10: f64,
    mrr10: f64,
    /// Queries with at least one wanted line in the first ten.
    hit10: f64,
    n: usize,
}

impl Score {
    fn add(&mut self, ranked: &[i64], wanted: &[i64]) {
        let found = |k: usize| {
            wanted
                .iter()
                .filter(|w| ranked.iter().take(k).any(|r| r == *w))
                .count() as f64
                / wanted.len().max(1) as f64
        };
        self.recall5 += found(5);
        self.recall10 += found(10);
        if ranked.iter().take(10).any(|r| wanted.contains(r)) {
            self.hit10 += 1.0;
        }
        self.mrr10 += ranked
            .iter()
            .take(10)
            .position(|r| wanted.contains(r))
            .map_or(0.0, |p| 1.0 / (p as f64 + 1.0));
        self.n += 1;
    }

    fn line(&self, name: &str) -> String {
        let n = self.n.max(1) as f64;
        format!(
            "{name:<14} {:>9.2} {:>10.2} {:>7.2} {:>7.2}",
            self.recall5 / n,
            self.recall10 / n,
            self.mrr10 / n,
            self.hit10 / n
        )
    }
}

fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let model = PathBuf::from(args.next().context("usage: search_eval MINILM_DIR")?);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut queries_path = root.join("tests/fixtures/search_eval/queries.json");
    let mut calls_dir = root.join("tests/fixtures/calls_unseen");
    while let Some(flag) = args.next() {
        let value = PathBuf::from(
            args.next()
                .with_context(|| format!("{flag} needs a value"))?,
        );
        match flag.as_str() {
            "--queries" => queries_path = value,
            "--calls" => calls_dir = value,
            _ => bail!("unknown flag {flag}"),
        }
    }
    let queries = load_queries(&queries_path)?;
    let data = tempfile::tempdir()?;
    let mut library = app::open_library(data.path())?.library;

    // Import without the model (the words-only search is what a library without it does).
    let mut files: Vec<PathBuf> = std::fs::read_dir(&calls_dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "vtt" || e == "srt"))
        .collect();
    files.sort();
    let mut file_of_call = HashMap::new();
    for file in &files {
        let request = app::ImportRequest {
            options: ImportOptions {
                consent_confirmed: true,
                ..Default::default()
            },
            ..Default::default()
        };
        let call = app::import_file(&mut library, file, &request, &mut |_| {})?.call_id;
        let name = file
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        file_of_call.insert(call, name);
    }
    let labels = label_lines(&library, &file_of_call, &queries)?;
    let wanted_of = |q: &Query| -> Vec<i64> {
        let mut ids: Vec<i64> = q
            .relevant
            .iter()
            .filter_map(|l| labels.get(l).copied())
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    };

    std::fs::create_dir_all(data.path().join("models"))?;
    std::os::unix::fs::symlink(&model, data.path().join("models/minilm"))?;
    let started = Instant::now();
    // Indexing alone, as a call's lines are when it is ready (`index_all` would also analyse
    // calls again, which is not what this times).
    let to_index = library.calls_without_vectors()?;
    let calls = to_index.len();
    let mut lines = 0;
    for call_id in to_index {
        lines += app::index_call(&mut library, call_id)?.unwrap_or(0);
    }
    let indexing = started.elapsed();

    let embedder = semantic::shared_embedder(data.path())?.context("the model did not load")?;
    let mut scores: HashMap<(&str, bool), Score> = HashMap::new();
    let mut latencies = Vec::new();
    for q in &queries {
        let wanted = wanted_of(q);
        let words = library.lines_with_words(&q.text, 10)?;
        let vector = embedder.embed(&[q.text.as_str()])?.remove(0);
        let meaning: Vec<i64> = library
            .nearest_lines(&vector, 10)?
            .into_iter()
            .filter(|(_, s)| *s >= semantic::MIN_SIMILARITY)
            .map(|(id, _)| id)
            .collect();
        let t = Instant::now();
        let fused: Vec<i64> = app::search_lines(&library, &q.text, 10)?
            .lines
            .iter()
            .map(|l| l.segment_id)
            .collect();
        latencies.push(t.elapsed().as_secs_f64() * 1000.0);
        for (name, ranked) in [
            ("words only", &words),
            ("meaning only", &meaning),
            ("fused", &fused),
        ] {
            for subset in [true, false] {
                if subset || !q.shares_words {
                    scores
                        .entry((name, subset))
                        .or_default()
                        .add(ranked, &wanted);
                }
            }
        }
    }

    let unshared = queries.iter().filter(|q| !q.shares_words).count();
    println!(
        "search on {} calls ({} lines) never used to build it, {} labelled queries",
        files.len(),
        lines,
        queries.len()
    );
    for (subset, title) in [
        (true, format!("all {} queries", queries.len())),
        (
            false,
            format!("{unshared} queries sharing no word with the lines they want"),
        ),
    ] {
        println!(
            "\n{title}\n{:<14} {:>9} {:>10} {:>7} {:>7}",
            "", "recall@5", "recall@10", "MRR@10", "hit@10"
        );
        for name in ["words only", "meaning only", "fused"] {
            println!(
                "{}",
                scores
                    .get(&(name, subset))
                    .copied()
                    .unwrap_or_default()
                    .line(name)
            );
        }
    }
    latencies.sort_by(f64::total_cmp);
    let pct = |p: f64| latencies[((latencies.len() - 1) as f64 * p).round() as usize];
    println!(
        "\nindexing: {lines} lines of {calls} calls in {:.1} s ({:.0} lines/s); search p50 {:.0} ms, p95 {:.0} ms",
        indexing.as_secs_f64(),
        lines as f64 / indexing.as_secs_f64(),
        pct(0.5),
        pct(0.95)
    );
    scan_at_scale(&mut library, &vector_of(&embedder, "pricing objections")?)
}

fn vector_of(embedder: &semantic::Embedder, text: &str) -> Result<Vec<f32>> {
    Ok(embedder.embed(&[text])?.remove(0))
}

/// The nearest-lines scan reads every vector: its cost in a big library, with 200,000 more lines
/// (2,000 calls of 100) whose vectors are random unit vectors (the scan's cost does not depend
/// on what they hold).
fn scan_at_scale(library: &mut Library, query: &[f32]) -> Result<()> {
    use zapis::storage::{CallSource, CallStatus, NewCall, NewSegment, Role};
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed >> 40) as f32 / (1u64 << 24) as f32 - 0.5
    };
    for call in 0..2_000 {
        let id = library.create_call(&NewCall {
            title: format!("scale {call}"),
            started_at: chrono::Utc::now(),
            language: "en".into(),
            source: CallSource::ImportedTranscript,
            status: CallStatus::Ready,
            audio_dir: None,
            participants: Vec::new(),
        })?;
        let segments: Vec<NewSegment> = (0..100)
            .map(|i| NewSegment {
                speaker: "Rita".into(),
                role: Role::Rep,
                start_ms: i * 4000,
                end_ms: i * 4000 + 3000,
                text: format!("line {i}"),
                confidence: None,
            })
            .collect();
        let ids = library.append_segments(id, &segments)?;
        let vectors: Vec<(i64, Vec<f32>)> = ids
            .into_iter()
            .map(|sid| {
                let v: Vec<f32> = (0..semantic::DIMENSIONS).map(|_| next()).collect();
                let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
                (sid, v.into_iter().map(|x| x / norm).collect())
            })
            .collect();
        library.store_line_vectors(id, &vectors)?;
    }
    let (with_vectors, _) = library.vector_coverage()?;
    let mut times = Vec::new();
    for _ in 0..7 {
        let t = Instant::now();
        library.nearest_lines(query, 200)?;
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    println!(
        "nearest-lines scan over {with_vectors} vectors: median {:.0} ms (7 runs, warm cache)",
        times[3]
    );
    Ok(())
}

/// Finds the stored line of every labelled (file, substring); a label that matches no line, or
/// more than one, is an error in the labels.
fn label_lines(
    library: &Library,
    file_of_call: &HashMap<i64, String>,
    queries: &[Query],
) -> Result<Labels> {
    let mut labels = Labels::new();
    for q in queries {
        for (file, contains) in &q.relevant {
            let call = file_of_call
                .iter()
                .find(|(_, f)| *f == file)
                .map(|(c, _)| *c)
                .with_context(|| format!("query {:?}: no call from {file}", q.text))?;
            let hits: Vec<i64> = library
                .segments(call)?
                .into_iter()
                .filter(|s| s.text.contains(contains.as_str()))
                .map(|s| s.id)
                .collect();
            match hits.as_slice() {
                [id] => {
                    labels.insert((file.clone(), contains.clone()), *id);
                }
                [] => bail!(
                    "query {:?}: no line of {file} contains {contains:?}",
                    q.text
                ),
                _ => bail!(
                    "query {:?}: {} lines of {file} contain {contains:?}",
                    q.text,
                    hits.len()
                ),
            }
        }
    }
    Ok(labels)
}
