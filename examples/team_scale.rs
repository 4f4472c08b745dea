//! The team library at scale (bench/team.sh runs it against a throw-away cluster): a team of
//! REPS reps with CALLS calls each of SEGMENTS segments, the others' calls bulk-loaded on the
//! server, one rep's whole backlog pushed through the real sync from a real SQLite library.
//! Prints sync throughput, the team view's query time and team search latency (p50/p95) as a
//! manager and as a rep (whose queries go through row-level security's account filter).
//!
//! With `--meanings 1` every line also carries a sentence vector and the search by meaning is
//! measured too, on the pgvector cluster (scripts/pgvector-test-env.sh). The vectors are
//! synthetic, shaped like all-MiniLM-L6-v2's: each line is one of 50 themes plus noise, so lines
//! of a theme sit around cosine 0.6 and others near 0, as paraphrases and unrelated lines do;
//! embedding millions of real lines would take this machine days. The figures are latency and
//! the index's recall against an exact scan, not search quality (tests/team.rs checks that).
//!
//! The syncing rep's backlog is `--backlog` calls (by default as many as the others have), so a
//! 2,000-call backlog can be pushed into a smaller team library with vectors.
//!
//! usage: team_scale [--reps 50] [--calls 2000] [--segments 100] [--runs 40] [--meanings 0|1]
//!                   [--backlog CALLS]
//! env:   ZAPIS_TEST_PG_DIR, ZAPIS_TEST_PG_PORT, ZAPIS_TEST_PG_ADMIN, ZAPIS_TEST_PG_PASSWORD
//!        (scripts/pg-test-env.sh), or ZAPIS_TEST_PGVECTOR_… with --meanings 1

use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use chrono::{TimeZone, Utc};
use zapis::app;
use zapis::storage::*;
use zapis::team::{self, NewMember, Server};

struct Args {
    reps: i64,
    calls: i64,
    segments: i64,
    runs: usize,
    meanings: bool,
    backlog: Option<i64>,
}

fn args() -> Result<Args> {
    let mut args = Args {
        reps: 50,
        calls: 2000,
        segments: 100,
        runs: 40,
        meanings: false,
        backlog: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value: i64 = it
            .next()
            .with_context(|| format!("{flag} needs a value"))?
            .parse()?;
        match flag.as_str() {
            "--reps" => args.reps = value,
            "--calls" => args.calls = value,
            "--segments" => args.segments = value,
            "--runs" => args.runs = value as usize,
            "--meanings" => args.meanings = value != 0,
            "--backlog" => args.backlog = Some(value),
            other => bail!("unknown flag {other}"),
        }
    }
    Ok(args)
}

/// Words of sales calls: most of a line is common words, a few are the names and topics people
/// search for (which each match a small share of lines, as in real calls).
const COMMON: &[&str] = &[
    "the", "and", "we", "you", "to", "of", "a", "that", "is", "it", "for", "on", "our", "your",
    "so", "this", "with", "can", "would", "have", "be", "what", "if", "next", "week", "team",
    "think", "yeah", "right", "okay", "just", "like", "know", "about", "there", "they", "will",
    "need", "want", "get", "make", "time", "call", "good", "great", "really", "one", "all",
];
const TOPICS: &[&str] = &[
    "pricing",
    "discount",
    "contract",
    "renewal",
    "procurement",
    "security",
    "review",
    "legal",
    "redlines",
    "onboarding",
    "integration",
    "salesforce",
    "hubspot",
    "gong",
    "chorus",
    "budget",
    "quarter",
    "pilot",
    "rollout",
    "seats",
    "licences",
    "invoice",
    "migration",
    "sso",
    "audit",
    "gdpr",
    "retention",
    "api",
    "webhook",
    "dashboard",
    "forecast",
    "pipeline",
    "champion",
    "stakeholder",
    "cfo",
    "cto",
    "timeline",
    "deadline",
    "competitor",
    "objection",
    "support",
    "sla",
    "uptime",
    "latency",
    "export",
    "import",
    "training",
    "workshop",
    "demo",
    "trial",
];

fn line(call: i64, seq: i64) -> String {
    let mut words = Vec::with_capacity(12);
    for k in 0..12i64 {
        let h = (call * 15_485_863 + seq * 7_919 + k * 104_729) as u64;
        let h = h.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 20;
        if k % 4 == 3 {
            words.push(TOPICS[(h % TOPICS.len() as u64) as usize]);
        } else {
            words.push(COMMON[(h % COMMON.len() as u64) as usize]);
        }
    }
    words.join(" ")
}

fn percentile(samples: &mut [Duration], p: f64) -> f64 {
    samples.sort();
    let i = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples[i].as_secs_f64() * 1000.0
}

/// Themes of the synthetic sentence vectors, and how far a line strays from its theme.
const THEMES: i64 = 50;
const NOISE: f32 = 0.4;

/// A small deterministic generator (the vectors need no quality, only spread).
struct Noise(u64);
impl Noise {
    /// Uniform in [-0.5, 0.5).
    fn next(&mut self) -> f32 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 40) as f32 / (1u64 << 24) as f32 - 0.5
    }
}

/// A theme's centre plus noise, as a unit vector.
fn near(centre: &[f32], noise: &mut Noise) -> Vec<f32> {
    let mut v: Vec<f32> = centre
        .iter()
        .map(|c| c + noise.next() * NOISE * 2.0)
        .collect();
    let norm = v
        .iter()
        .map(|x| x * x)
        .sum::<f32>()
        .sqrt()
        .max(f32::EPSILON);
    v.iter_mut().for_each(|x| *x /= norm);
    v
}

fn main() -> Result<()> {
    let args = args()?;
    let prefix = if args.meanings {
        "ZAPIS_TEST_PGVECTOR"
    } else {
        "ZAPIS_TEST_PG"
    };
    let var = |name: &str| {
        std::env::var(format!("{prefix}_{name}")).with_context(|| {
            format!("{prefix}_{name} is not set: start a cluster with bench/team.sh")
        })
    };
    let dir = var("DIR")?;
    let admin = var("ADMIN")?;
    let password = var("PASSWORD")?;
    let port = var("PORT")?;
    let address = |user: &str, db: &str| {
        format!("host={dir} port={port} user={user} password={password} dbname={db}")
    };
    let db = "zapis_scale";
    let mut root = postgres::Client::connect(&address(&admin, "postgres"), postgres::NoTls)?;
    root.batch_execute(&format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"))?;
    root.batch_execute(&format!("CREATE DATABASE {db}"))?;
    let admin_address = address(&admin, db);
    let setup = app::setup_team(&admin_address)?;
    if args.meanings && setup.meaning != team::MeaningSearch::On {
        bail!("the cluster has no pgvector: {}", setup.meaning.advice());
    }
    let rep_role = |i: i64| format!("scale_rep{i:02}");
    for i in 0..args.reps {
        app::add_team_member(
            &admin_address,
            &NewMember {
                role: &rep_role(i),
                display_name: &format!("Rep {i:02}"),
                manager: false,
                password: Some(&password),
            },
        )?;
    }
    app::add_team_member(
        &admin_address,
        &NewMember {
            role: "scale_manager",
            display_name: "Manager",
            manager: true,
            password: Some(&password),
        },
    )?;
    let accounts = 500;
    let mut sql = postgres::Client::connect(&admin_address, postgres::NoTls)?;
    for i in 0..args.reps {
        for a in 0..5 {
            let account = format!("Account {:03}", (i * 7 + a * 101) % accounts);
            app::assign_account(&admin_address, &rep_role(i), &account)?;
        }
    }

    // The other reps' calls, straight into the server (what their own syncs would have left).
    let started = Instant::now();
    let others = args.reps - 1;
    // Bulk load the way a restore would: indexes and the open-items trigger after the rows.
    sql.batch_execute(
        "DROP INDEX zapis.segments_words;
         ALTER TABLE zapis.action_items DISABLE TRIGGER action_items_count_open",
    )?;
    // The themes' centres, kept on the server so the queries below can stray from them too.
    if args.meanings {
        sql.batch_execute(&format!(
            "DROP INDEX zapis.segment_meanings_hnsw;
             CREATE TABLE public.bench_themes AS
             SELECT t, ARRAY(SELECT (random() - 0.5 + t * 0)::real FROM generate_series(1, 384))
                    AS centre
             FROM generate_series(0, {}) t",
            THEMES - 1
        ))?;
    }
    // Each line's vector near one of the themes' centres.
    let meanings = if args.meanings {
        format!(
            "INSERT INTO zapis.segment_meanings (call_id, seq, words_md5, meaning)
             SELECT s.call_id, s.seq, md5(s.text),
                    (SELECT array_agg(th.centre[d] + ((random() - 0.5) * {}) ::real ORDER BY d)
                     FROM public.bench_themes th, generate_series(1, 384) d
                     WHERE th.t = abs(hashint8(s.seq::int8 * 1000003 + hashtext(s.call_id))) % {THEMES})
             FROM zapis.segments s
             WHERE s.call_id = ANY (ARRAY(SELECT md5('{{role}}' || i)
                                          FROM generate_series(1, {calls}) i));",
            NOISE * 2.0,
            calls = args.calls,
        )
    } else {
        String::new()
    };
    let topics = format!("ARRAY['{}']", TOPICS.join("','"));
    let common = format!("ARRAY['{}']", COMMON.join("','"));
    for r in 0..others {
        let role = rep_role(r);
        sql.batch_execute(&format!(
            "INSERT INTO zapis.calls (global_id, rep, title, started_at, duration_ms, language, source,
                 account, sentiment_label, sentiment_score, rep_talk_share, rep_questions,
                 longest_customer_monologue_ms)
             SELECT md5('{role}' || i), '{role}', 'Call ' || i,
                    now() - (i % 365) * interval '1 day' - (i % 7) * interval '1 hour',
                    1800000, 'en', 'recorded', 'Account ' || lpad(((i * 13 + {r}) % {accounts})::text, 3, '0'),
                    'neutral', 0.1, 0.3 + (i % 40) / 100.0, (i % 20), (i % 300) * 1000
             FROM generate_series(1, {calls}) i;
             INSERT INTO zapis.participants (call_id, seq, name, email, role)
             SELECT md5('{role}' || i), p, CASE p WHEN 0 THEN 'Rep' ELSE 'Customer ' || i END,
                    CASE p WHEN 0 THEN '{role}@team.example' ELSE 'c' || i || '@acme.example' END,
                    CASE p WHEN 0 THEN 'rep' ELSE 'customer' END
             FROM generate_series(1, {calls}) i, generate_series(0, 1) p;
             INSERT INTO zapis.action_items (global_id, call_id, seq, text, owner, done, edited)
             SELECT md5('{role}' || i || 'item' || k), md5('{role}' || i), k,
                    'Send the proposal ' || k, 'Rep', (i + k) % 3 = 0, false
             FROM generate_series(1, {calls}) i, generate_series(0, 1) k;
             INSERT INTO zapis.segments (call_id, seq, speaker, role, start_ms, end_ms, text)
             SELECT md5('{role}' || i), s, CASE s % 2 WHEN 0 THEN 'Rep' ELSE 'Customer' END,
                    CASE s % 2 WHEN 0 THEN 'rep' ELSE 'customer' END, s * 5000, s * 5000 + 4000,
                    (SELECT string_agg(CASE WHEN k % 4 = 3
                                THEN ({topics})[1 + abs(hashint8(i * 1000003 + s * 7919 + k)) % {nt}]
                                ELSE ({common})[1 + abs(hashint8(i * 1000003 + s * 7919 + k)) % {nc}] END, ' ')
                     FROM generate_series(0, 11) k)
             FROM generate_series(1, {calls}) i, generate_series(0, {last}) s;
             {meanings}",
            meanings = meanings.replace("{role}", &role),
            calls = args.calls,
            last = args.segments - 1,
            nt = TOPICS.len(),
            nc = COMMON.len(),
        ))?;
        eprint!(
            "\rloaded {}/{others} reps ({:.0} s)",
            r + 1,
            started.elapsed().as_secs_f64()
        );
    }
    sql.batch_execute(
        "CREATE INDEX segments_words ON zapis.segments USING gin (words);
         ALTER TABLE zapis.action_items ENABLE TRIGGER action_items_count_open;
         UPDATE zapis.calls c SET open_action_items = o.n
             FROM (SELECT call_id, count(*) AS n FROM zapis.action_items WHERE NOT done
                   GROUP BY call_id) o
             WHERE o.call_id = c.global_id",
    )?;
    let loaded = started.elapsed().as_secs_f64();
    if args.meanings {
        let started = Instant::now();
        sql.batch_execute(
            "CREATE INDEX segment_meanings_hnsw ON zapis.segment_meanings
                 USING hnsw (meaning vector_cosine_ops)",
        )?;
        eprintln!(
            "\rbuilt the HNSW index of the lines' meanings in {:.0} s",
            started.elapsed().as_secs_f64()
        );
    }
    sql.batch_execute("VACUUM ANALYZE")?;
    eprintln!("\rloaded {others} reps' calls and built the search index in {loaded:.0} s");
    let themes: Vec<Vec<f32>> = if args.meanings {
        sql.query("SELECT centre FROM public.bench_themes ORDER BY t", &[])?
            .iter()
            .map(|r| r.get(0))
            .collect()
    } else {
        Vec::new()
    };
    let mut noise = Noise(42);

    // One rep's backlog, from a real SQLite library, through the real sync.
    let data = tempfile::tempdir()?;
    let mut library = Library::open(data.path())?;
    let me = args.reps - 1;
    let backlog = args.backlog.unwrap_or(args.calls);
    for i in 0..backlog {
        let call = NewCall {
            title: format!("Call {i}"),
            started_at: Utc
                .timestamp_opt(1_780_000_000 + i * 3_600, 0)
                .single()
                .context("time")?,
            language: "en".into(),
            source: CallSource::Recorded,
            status: CallStatus::Ready,
            audio_dir: None,
            participants: vec![
                NewParticipant {
                    name: "Rep".into(),
                    email: Some("rep@team.example".into()),
                    role: Role::Rep,
                },
                NewParticipant {
                    name: "Customer".into(),
                    email: Some(format!("c{i}@acme.example")),
                    role: Role::Customer,
                },
            ],
        };
        let id = library.create_call(&call)?;
        let segments: Vec<NewSegment> = (0..args.segments)
            .map(|s| NewSegment {
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
                start_ms: s * 5000,
                end_ms: s * 5000 + 4000,
                text: line(i, s),
                confidence: Some(0.9),
            })
            .collect();
        library.append_segments(id, &segments)?;
        if args.meanings {
            let vectors: Vec<(i64, Vec<f32>)> = library
                .segments(id)?
                .iter()
                .enumerate()
                .map(|(s, seg)| {
                    let theme = (i * 31 + s as i64 * 7) % THEMES;
                    (seg.id, near(&themes[theme as usize], &mut noise))
                })
                .collect();
            library.store_line_vectors(id, &vectors)?;
        }
        for (name, email) in [
            ("Rep", "rep@team.example".to_string()),
            ("Customer", format!("c{i}@acme.example")),
        ] {
            library.record_consent(
                id,
                &NewConsentReceipt {
                    participant_name: name.into(),
                    participant_email: Some(email),
                    decision: Decision::Granted,
                    decided_at: call.started_at,
                    notice_version: "en-1".into(),
                    language: "en".into(),
                    method: ConsentMethod::OnScreen,
                },
            )?;
        }
        library.save_insights(
            id,
            &InsightsRecord {
                body: serde_json::json!({"metrics": {"per_speaker": [
                {"speaker": "Rep", "role": "rep", "talk_share": 0.5, "questions": 12},
                {"speaker": "Customer", "role": "customer", "talk_share": 0.5, "questions": 4}]}}),
                sentiment_score: Some(0.2),
                sentiment_label: Some("positive".into()),
                action_items: vec![
                    NewActionItem {
                        text: format!("Send the proposal for call {i}"),
                        owner: "Rep".into(),
                        due: None,
                        segment_id: None,
                    },
                    NewActionItem {
                        text: format!("Book the review for call {i}"),
                        owner: "Customer".into(),
                        due: None,
                        segment_id: None,
                    },
                ],
                keywords: vec![],
                terms: Default::default(),
            },
        )?;
    }
    // Joined without the password in the address, so it is not kept in a system keyring
    // (bench/team.sh gives it in PGPASSWORD, as a rep without a keyring would).
    let my_address = format!("host={dir} port={port} user={} dbname={db}", rep_role(me));
    app::join_team(&mut library, &my_address, Some(SharePolicy::AllCalls))?;
    let server = Server::parse(&my_address)?;
    let mut client = server.connect()?;
    let started = Instant::now();
    let (mut calls_s, mut vectors_s) = (0.0, 0.0);
    let report = team::sync_with(
        &mut library,
        &server,
        &mut client,
        &mut |stage, _| match stage {
            team::SyncStage::CallsPushed => calls_s = started.elapsed().as_secs_f64(),
            team::SyncStage::MeaningsPushed => vectors_s = started.elapsed().as_secs_f64(),
        },
    )?;
    let sync_s = started.elapsed().as_secs_f64();
    if report.pushed as i64 != backlog || report.queued != 0 {
        bail!("the sync did not push the whole backlog: {report:?}");
    }
    let lines = backlog * args.segments;
    if args.meanings && report.meanings_pushed as i64 != lines {
        bail!("the sync did not push every line's vector: {report:?}");
    }
    let (calls, segments): (i64, i64) = {
        let row = sql.query_one(
            "SELECT (SELECT count(*) FROM zapis.calls), (SELECT count(*) FROM zapis.segments)",
            &[],
        )?;
        (row.get(0), row.get(1))
    };
    println!(
        "team library: {} reps, {calls} calls, {segments} segments (PostgreSQL {})",
        args.reps,
        sql.query_one("SHOW server_version", &[])?
            .get::<_, String>(0)
    );
    println!(
        "sync: one rep's backlog of {} calls ({} segments each) in the team library after {calls_s:.1} s = {:.1} calls/s (target: under 120 s)",
        backlog, args.segments,
        backlog as f64 / calls_s
    );
    if args.meanings {
        let fresh: i64 = sql
            .query_one("SELECT count(*) FROM zapis.segment_meanings_fresh", &[])?
            .get(0);
        println!(
            "sync: then the lines' sentence vectors, {lines} lines found by meaning after {vectors_s:.1} s ({:.1} s after the calls = {:.0} lines/s)",
            vectors_s - calls_s,
            lines as f64 / (vectors_s - calls_s),
        );
        let graph_s = sync_s - vectors_s;
        println!(
            "sync: then {} lines moved into the HNSW graph in {graph_s:.1} s = {:.0} lines/s (the sync's budget: {} s); {fresh} lines still searched exactly; whole sync {sync_s:.1} s",
            report.meanings_indexed,
            report.meanings_indexed as f64 / graph_s,
            team::GRAPH_BUDGET.as_secs(),
        );
    }

    // The team view and search, alternating viewers and periods.
    let viewers = [
        ("manager", "scale_manager".to_string()),
        ("rep", rep_role(0)),
    ];
    let queries = [
        "pricing objection",
        "salesforce integration",
        "\"security review\"",
        "cfo budget",
        "gdpr retention",
        "competitor gong",
        "sso",
        "renewal discount",
    ];
    for (label, role) in &viewers {
        let server = Server::parse(&address(role, db))?;
        let mut client = server.connect()?;
        let mut view = Vec::new();
        let mut search = Vec::new();
        let mut rows = 0;
        let mut hits = 0;
        let mut by_meaning = Vec::new();
        let mut both = Vec::new();
        let (mut meaning_hits, mut recall, mut worst_gap) = (0, Vec::new(), 0f32);
        for run in 0..args.runs {
            let days = [7, 30, 90][run % 3];
            let to = Utc::now();
            let t = Instant::now();
            let overview =
                team::overview(&server, &mut client, to - chrono::Duration::days(days), to)?;
            view.push(t.elapsed());
            rows += overview.reps.len();
            let t = Instant::now();
            hits += team::search(&server, &mut client, queries[run % queries.len()], 20)?.len();
            search.push(t.elapsed());
            if args.meanings {
                // As the app searches: its 200 candidates by words, then by meaning.
                let query = near(&themes[run % themes.len()], &mut noise);
                let t = Instant::now();
                team::search(&server, &mut client, queries[run % queries.len()], 200)?;
                let words = t.elapsed();
                let t = Instant::now();
                let found = team::search_by_meaning(&server, &mut client, &query, 200)?;
                by_meaning.push(t.elapsed());
                both.push(words + t.elapsed());
                meaning_hits += found.len();
                // The index's recall of the nearest 20 against an exact scan, now and then.
                if run % 5 == 0 {
                    client.batch_execute("SET enable_indexscan = off")?;
                    let exact = team::search_by_meaning(&server, &mut client, &query, 20)?;
                    client.batch_execute("RESET enable_indexscan")?;
                    let key = |h: &team::TeamHit| (h.global_id.clone(), h.start_ms);
                    let got: Vec<_> = found.iter().take(20).map(key).collect();
                    let agree = exact.iter().filter(|h| got.contains(&key(h))).count();
                    recall.push(agree as f64 / exact.len().max(1) as f64);
                    // A miss among near-ties costs nothing: how much less similar the 20th
                    // line found is than the exact 20th.
                    let twentieth = |hits: &[team::TeamHit]| {
                        hits.iter()
                            .take(20)
                            .filter_map(|h| h.similarity)
                            .fold(f32::MAX, f32::min)
                    };
                    worst_gap = worst_gap.max(twentieth(&exact) - twentieth(&found));
                }
            }
        }
        println!(
            "as a {label}: team view p50 {:.1} ms, p95 {:.1} ms ({} rep rows per view; target p95 < 200 ms); search p50 {:.1} ms, p95 {:.1} ms ({:.1} hits per query, top 20; target p95 < 300 ms)",
            percentile(&mut view, 0.5), percentile(&mut view, 0.95), rows / args.runs,
            percentile(&mut search, 0.5), percentile(&mut search, 0.95), hits as f64 / args.runs as f64
        );
        if args.meanings {
            println!(
                "as a {label}: search by meaning p50 {:.1} ms, p95 {:.1} ms ({:.0} lines of 200 asked; recall of the nearest 20 against an exact scan {:.2}, the 20th found at most {:.3} less similar than the exact 20th); words + meaning as the app runs them p50 {:.1} ms, p95 {:.1} ms (target p95 < 300 ms)",
                percentile(&mut by_meaning, 0.5), percentile(&mut by_meaning, 0.95),
                meaning_hits as f64 / args.runs as f64,
                recall.iter().sum::<f64>() / recall.len().max(1) as f64,
                worst_gap,
                percentile(&mut both, 0.5), percentile(&mut both, 0.95)
            );
        }
    }
    drop(client);
    // ZAPIS_BENCH_KEEP=1 leaves the database for a look at the query plans.
    if std::env::var_os("ZAPIS_BENCH_KEEP").is_none() {
        root.batch_execute(&format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"))?;
    }
    Ok(())
}
