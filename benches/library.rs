//! Call-library benchmark: fills a library with 10,000 calls × 100 segments (override with
//! ZAPIS_BENCH_CALLS), then prints open, list and search times and the database size.
//! ZAPIS_BENCH_DIR=DIR fills DIR (which must hold no library yet) and keeps it.
//! Run: `cargo bench --bench library`.

use chrono::{Duration, TimeZone, Utc};
use std::time::Instant;
use zapis::storage::*;

const SEGMENTS_PER_CALL: usize = 100;
const WORDS: &[&str] = &[
    "the",
    "we",
    "you",
    "to",
    "and",
    "a",
    "that",
    "is",
    "for",
    "it",
    "our",
    "team",
    "pricing",
    "contract",
    "renewal",
    "budget",
    "quarter",
    "integration",
    "security",
    "onboarding",
    "demo",
    "timeline",
    "decision",
    "proposal",
    "discount",
    "license",
    "users",
    "dashboard",
    "reporting",
    "migration",
    "support",
    "training",
    "pilot",
    "legal",
    "procurement",
    "invoice",
    "seats",
    "roadmap",
    "feature",
    "export",
    "api",
    "sso",
    "compliance",
    "review",
    "meeting",
    "next",
    "week",
    "friday",
    "send",
    "follow",
    "up",
    "call",
    "think",
    "need",
    "really",
    "great",
];

/// A deterministic pseudo-random generator so every run stores the same text.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) as usize
    }
    /// Zipf-like: low indices (common words) far more often than high ones.
    fn word(&mut self) -> &'static str {
        let r = self.next() % 1000;
        WORDS[(r * r / 1000 * WORDS.len() / 1000).min(WORDS.len() - 1)]
    }
}

fn ms(d: std::time::Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn median<T>(runs: usize, mut f: impl FnMut() -> T) -> std::time::Duration {
    let mut times: Vec<_> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(f());
            t.elapsed()
        })
        .collect();
    times.sort();
    times[runs / 2]
}

fn main() -> anyhow::Result<()> {
    let calls: usize = std::env::var("ZAPIS_BENCH_CALLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    // ZAPIS_BENCH_DIR keeps the filled library (e.g. for the desktop start-up benchmark).
    let temp = tempfile::tempdir()?;
    let dir_path = std::env::var_os("ZAPIS_BENCH_DIR")
        .map_or_else(|| temp.path().to_path_buf(), std::path::PathBuf::from);
    let dir = dir_path.as_path();
    let mut rng = Lcg(42);
    let start = Utc
        .with_ymd_and_hms(2024, 1, 1, 9, 0, 0)
        .single()
        .ok_or_else(|| anyhow::anyhow!("bad date"))?;

    let fill = Instant::now();
    {
        let mut library = Library::open(dir)?;
        for c in 0..calls {
            let id = library.create_call(&NewCall {
                title: format!("Call {c} with customer {}", c % 97),
                started_at: start + Duration::minutes(c as i64 * 67),
                language: "en".into(),
                source: CallSource::Recorded,
                status: CallStatus::Ready,
                audio_dir: None,
                participants: vec![
                    NewParticipant {
                        name: "Rep".into(),
                        email: None,
                        role: Role::Rep,
                    },
                    NewParticipant {
                        name: format!("Customer {}", c % 97),
                        email: None,
                        role: Role::Customer,
                    },
                ],
            })?;
            let segments: Vec<NewSegment> = (0..SEGMENTS_PER_CALL)
                .map(|s| {
                    let mut text: Vec<&str> = (0..12).map(|_| rng.word()).collect();
                    // One segment in 50,000 mentions a competitor by a rare name.
                    if rng.next().is_multiple_of(50_000) {
                        text.push("zylotrax");
                    }
                    NewSegment {
                        speaker: if s % 2 == 0 {
                            "Rep".into()
                        } else {
                            "Customer".into()
                        },
                        role: if s % 2 == 0 {
                            Role::Rep
                        } else {
                            Role::Customer
                        },
                        start_ms: s as i64 * 6000,
                        end_ms: s as i64 * 6000 + 5000,
                        text: text.join(" "),
                        confidence: Some(0.9),
                    }
                })
                .collect();
            library.append_segments(id, &segments)?;
        }
    }
    let fill = fill.elapsed();

    let open = median(7, || Library::open(dir).map(drop));
    let library = Library::open(dir)?;
    let page = CallQuery {
        limit: 50,
        ..Default::default()
    };
    let list = median(11, || library.list_calls(&page));
    let rare_query = CallQuery {
        search: Some("zylotrax".into()),
        limit: 50,
        ..Default::default()
    };
    let common_query = CallQuery {
        search: Some("pricing".into()),
        limit: 50,
        ..Default::default()
    };
    let rare = median(11, || library.list_calls(&rare_query));
    let common = median(11, || library.list_calls(&common_query));
    let rare_hits = library.list_calls(&rare_query)?.len();
    let common_hits = library.list_calls(&common_query)?.len();
    let check = library.check()?;

    println!(
        "call library benchmark: {calls} calls × {SEGMENTS_PER_CALL} segments ({} segments)",
        check.segments
    );
    println!(
        "  fill                          {:.1} s",
        fill.as_secs_f64()
    );
    println!(
        "  open                          {}   (target < 50 ms)",
        ms(open)
    );
    println!(
        "  calls list, first page (50)   {}   (target < 20 ms)",
        ms(list)
    );
    println!(
        "  search rare word  ({rare_hits:>2} calls) {}   (target < 30 ms)",
        ms(rare)
    );
    println!(
        "  search common word ({common_hits} calls) {}   (target < 30 ms)",
        ms(common)
    );
    println!(
        "  database size                 {:.1} MiB (+ {:.1} MiB WAL)",
        check.size_bytes as f64 / 1048576.0,
        check.wal_bytes as f64 / 1048576.0
    );
    Ok(())
}
