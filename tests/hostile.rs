//! Hostile input and hostile conditions, through the real `zapis` binary on real files: nothing
//! half-stored, nothing overwritten or leaked, and a clear error instead of a panic or a hang.

mod common;
mod whisper_support;

use common::*;
use serde_json::Value;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};
use whisper_support::fixture;

const BIN: &str = env!("CARGO_BIN_EXE_zapis");

/// The binary as a plain process (for spawning, killing and piping), with the data dir set.
fn zapis_process(data: &Path) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.arg("--data-dir")
        .arg(data)
        .env_remove("ZAPIS_DATA_DIR")
        .stdin(Stdio::null());
    cmd
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A failure that is an error message, not a crash: exit 1, no panic text.
fn assert_clean_failure(out: &Output, what: &str) -> String {
    let err = stderr(out);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{what}: {:?}\n{err}",
        out.status
    );
    assert!(!err.contains("panicked"), "{what} panicked:\n{err}");
    assert!(err.starts_with("zapis: error: "), "{what}: {err}");
    err
}

fn assert_success(out: &Output, what: &str) {
    assert!(
        out.status.success(),
        "{what}: {:?}\n{}",
        out.status,
        stderr(out)
    );
}

/// Installs the test model as `tiny.en`; as the first command, it also creates the data folder.
fn add_model(data: &Path, model: &Path) {
    assert_success(
        &zapis(data)
            .args(["model", "add", "--name", "tiny.en"])
            .arg(model)
            .output()
            .unwrap(),
        "model add",
    );
}

/// A small two-speaker WebVTT transcript.
fn write_vtt(path: &Path, lines: &[&str]) {
    let mut text = String::from("WEBVTT\n\n");
    for (i, line) in lines.iter().enumerate() {
        let speaker = if i % 2 == 0 {
            "Rita Rep"
        } else {
            "Carl Customer"
        };
        text.push_str(&format!(
            "00:00:{:02}.000 --> 00:00:{:02}.500\n<v {speaker}>{line}</v>\n\n",
            i * 3,
            i * 3 + 2
        ));
    }
    std::fs::write(path, text).unwrap();
}

fn tiny_vtt(dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(name);
    write_vtt(
        &path,
        &[
            "Thanks for making the time today.",
            "Happy to. We need single sign-on before we can sign.",
            "I will send you the security paper on Monday.",
        ],
    );
    path
}

/// A WebVTT with `cues` cues of varied sentences, two speakers taking turns.
fn big_vtt(path: &Path, cues: usize) {
    const TOPICS: [&str; 12] = [
        "pricing",
        "security",
        "onboarding",
        "renewal",
        "integration",
        "support",
        "licences",
        "training",
        "migration",
        "reporting",
        "budget",
        "timeline",
    ];
    const VERBS: [&str; 6] = [
        "review", "approve", "discuss", "question", "extend", "reduce",
    ];
    let mut text = String::with_capacity(cues * 110);
    text.push_str("WEBVTT\n\n");
    for i in 0..cues {
        let start = i as u64 * 3000;
        let end = start + 2500;
        let clock = |ms: u64| {
            format!(
                "{:02}:{:02}:{:02}.{:03}",
                ms / 3_600_000,
                ms / 60_000 % 60,
                ms / 1000 % 60,
                ms % 1000
            )
        };
        let speaker = if i % 2 == 0 {
            "Rita Rep"
        } else {
            "Carl Customer"
        };
        text.push_str(&format!(
            "{} --> {}\n<v {speaker}>We should {} the {} plan for team {} before week {}.</v>\n\n",
            clock(start),
            clock(end),
            VERBS[i % VERBS.len()],
            TOPICS[(i / 7) % TOPICS.len()],
            i % 1009,
            i % 53
        ));
    }
    std::fs::write(path, text).unwrap();
}

fn import(data: &Path, file: &Path, extra: &[&str]) -> Output {
    zapis(data)
        .args(["import", "--consent-confirmed"])
        .args(extra)
        .arg(file)
        .output()
        .unwrap()
}

/// Imports a transcript and returns the new call's id.
fn import_id(data: &Path, file: &Path, extra: &[&str]) -> i64 {
    let out = import(data, file, &[&["--json"], extra].concat());
    assert_success(&out, "import");
    let call: Value = serde_json::from_slice(&out.stdout).unwrap();
    call["id"].as_i64().unwrap()
}

fn listed_ids(data: &Path) -> Vec<i64> {
    let out = zapis(data)
        .args(["calls", "list", "--json", "--limit", "100000"])
        .output()
        .unwrap();
    assert_success(&out, "calls list");
    let calls: Value = serde_json::from_slice(&out.stdout).unwrap();
    calls
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_i64().unwrap())
        .collect()
}

fn mode(path: &Path) -> u32 {
    std::fs::symlink_metadata(path)
        .unwrap()
        .permissions()
        .mode()
        & 0o777
}

fn set_mode(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// Every file and folder under `dir`, `dir` itself included.
fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = vec![dir.to_path_buf()];
    let mut i = 0;
    while i < out.len() {
        if out[i].is_dir() && !out[i].is_symlink() {
            for entry in std::fs::read_dir(&out[i]).unwrap() {
                out.push(entry.unwrap().path());
            }
        }
        i += 1;
    }
    out
}

/// Waits for a child at most `limit`; kills it (and fails) if it is still running then.
fn wait_or_kill(mut child: Child, limit: Duration, what: &str) -> Output {
    let started = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            return child.wait_with_output().unwrap();
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what} still ran after {limit:?}: it hangs");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Rows of the calls table as they are on disk, read without the library's code.
fn stored_calls(data: &Path) -> Vec<(i64, String, i64, i64)> {
    let conn = rusqlite::Connection::open(data.join(zapis::storage::DB_FILE)).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT id, status,
                    (SELECT count(*) FROM consent_receipts r WHERE r.call_id = c.id),
                    (SELECT count(*) FROM insights i WHERE i.call_id = c.id)
             FROM calls c ORDER BY id",
        )
        .unwrap();
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .collect::<rusqlite::Result<Vec<_>>>()
        .unwrap();
    rows
}

/// Every stored call is whole: ready, with consent receipts and insights.
fn assert_every_call_whole(data: &Path) {
    for (id, status, receipts, insights) in stored_calls(data) {
        assert_eq!(status, "ready", "call {id} is visible but {status}");
        assert!(receipts > 0, "call {id} has no consent receipts");
        assert_eq!(insights, 1, "call {id} has no insights");
    }
}

#[test]
fn twenty_processes_opening_a_new_library_at_once_all_succeed() {
    for round in 0..3 {
        let base = tempfile::tempdir().unwrap();
        let transcript = tiny_vtt(base.path(), "standup.vtt");
        // Not created yet: every process races to create and migrate it.
        let data = base.path().join("data");
        let children: Vec<(usize, Child)> = (0..20)
            .map(|i| {
                let mut cmd = zapis_process(&data);
                if i % 4 == 0 {
                    cmd.args(["import", "--consent-confirmed", "--title"])
                        .arg(format!("call {i}"))
                        .arg(&transcript);
                } else {
                    cmd.args(["calls", "list", "--json"]);
                }
                let child = cmd
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap();
                (i, child)
            })
            .collect();
        let failures: Vec<String> = children
            .into_iter()
            .filter_map(|(i, child)| {
                let out = wait_or_kill(child, Duration::from_secs(120), "a racing zapis");
                (!out.status.success()).then(|| format!("process {i}: {}", stderr(&out)))
            })
            .collect();
        assert!(
            failures.is_empty(),
            "round {round}:\n{}",
            failures.join("\n")
        );
        assert_eq!(
            listed_ids(&data).len(),
            5,
            "round {round}: every import stored once"
        );
        assert_success(
            &zapis(&data).args(["db", "check"]).output().unwrap(),
            "db check",
        );
        let library = zapis::storage::Library::open(&data).unwrap();
        assert_eq!(
            library.schema_version().unwrap(),
            zapis::storage::migrations::LATEST
        );
    }
}

#[test]
fn call_ids_are_never_reused_after_delete_or_erasure() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let transcript = tiny_vtt(dir.path(), "intro.vtt");

    let first = import_id(&data, &transcript, &[]);
    let second = import_id(&data, &transcript, &[]);
    // Deleting the newest call is what made SQLite hand its id out again.
    assert_success(
        &zapis(&data)
            .args(["calls", "delete", &second.to_string()])
            .output()
            .unwrap(),
        "calls delete",
    );
    let third = import_id(&data, &transcript, &[]);
    assert!(third > second, "id {third} after deleting {second}");

    let erased = import_id(
        &data,
        &transcript,
        &["--participant", "Carl Customer <carl@acme.example>"],
    );
    let out = zapis(&data)
        .args(["privacy", "erase", "--contact", "carl@acme.example"])
        .output()
        .unwrap();
    assert_success(&out, "privacy erase");
    assert!(!listed_ids(&data).contains(&erased), "the call was erased");
    let after = import_id(&data, &transcript, &[]);
    assert!(after > erased, "id {after} after erasing {erased}");
    assert_eq!(listed_ids(&data), [after, third, first]);
}

#[test]
fn impossible_times_are_refused_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let kept = import_id(&data, &tiny_vtt(dir.path(), "kept.vtt"), &[]);

    let json = dir.path().join("forever.json");
    std::fs::write(
        &json,
        r#"{"segments": [
            {"start": 0, "end": 2.5, "text": "Hello there.", "speaker": "Ana"},
            {"start": 3, "end": 1e300, "text": "This goes on for a while.", "speaker": "Bo"}
        ]}"#,
    )
    .unwrap();
    let vtt = dir.path().join("wrapped.vtt");
    std::fs::write(
        &vtt,
        "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Ana>Hello.</v>\n\n\
         153722867280912:00:00.000 --> 153722867280912:00:01.000\n<v Bo>Much later.</v>\n",
    )
    .unwrap();
    let srt = dir.path().join("wrapped.srt");
    std::fs::write(
        &srt,
        "1\n00:00:01,000 --> 00:00:02,000\nHello.\n\n\
         2\n9223372036854775807:00:00,000 --> 9223372036854775807:00:01,000\nLater.\n",
    )
    .unwrap();
    for (file, line) in [(&json, "line 3"), (&vtt, "line 6"), (&srt, "line 6")] {
        let out = import(&data, file, &[]);
        let err = assert_clean_failure(&out, &file.display().to_string());
        let name = file.file_name().unwrap().to_str().unwrap();
        assert!(err.contains(name), "names the file: {err}");
        assert!(err.contains(line), "names the line: {err}");
        assert!(
            err.contains("times are broken"),
            "says what is wrong: {err}"
        );
    }
    assert_eq!(listed_ids(&data), [kept], "no call was added");
    assert_every_call_whole(&data);
}

#[test]
fn a_hundred_thousand_cue_transcript_imports_with_a_bounded_summary() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let vtt = dir.path().join("marathon.vtt");
    big_vtt(&vtt, 100_000);
    let out = import(&data, &vtt, &[]);
    assert_success(&out, "100,000-cue import");
    assert!(!stderr(&out).contains("panicked"));

    let ids = listed_ids(&data);
    assert_eq!(ids.len(), 1);
    let library = zapis::storage::Library::open(&data).unwrap();
    let summary = library.call_summary(ids[0]).unwrap();
    assert_eq!(summary.segments, 100_000);
    let insights = library.insights(ids[0]).unwrap().expect("insights stored");
    let sentences = insights["summary"].as_array().unwrap();
    assert!(
        !sentences.is_empty() && sentences.len() <= 20,
        "a summary of a few sentences, not {}",
        sentences.len()
    );
    drop(library);
    assert_every_call_whole(&data);
}

#[test]
fn a_killed_import_leaves_no_partial_call() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let kept = import_id(&data, &tiny_vtt(dir.path(), "kept.vtt"), &[]);
    let vtt = dir.path().join("marathon.vtt");
    big_vtt(&vtt, 100_000);
    let wal = data.join(format!("{}-wal", zapis::storage::DB_FILE));

    let mut killed_midway = 0;
    for attempt in 0..3 {
        let mut child = zapis_process(&data)
            .args(["import", "--consent-confirmed"])
            .arg(&vtt)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Kill it while its transaction is being written: once the write-ahead log grows (or
        // after a while, wherever it is then).
        let started = Instant::now();
        let threshold = 256 * 1024 * (attempt + 1);
        while child.try_wait().unwrap().is_none()
            && started.elapsed() < Duration::from_secs(120)
            && std::fs::metadata(&wal).map_or(0, |m| m.len()) < threshold
        {
            std::thread::sleep(Duration::from_millis(10));
        }
        let finished = child.try_wait().unwrap().is_some();
        let _ = child.kill();
        let status = child.wait().unwrap();
        if !finished && status.signal() == Some(libc::SIGKILL) {
            killed_midway += 1;
        }
        assert_every_call_whole(&data);
        let ids = listed_ids(&data);
        assert!(ids.contains(&kept), "the earlier call survives");
        assert_every_call_whole(&data);
    }
    eprintln!("{killed_midway} of 3 imports were killed before they finished");
    assert_success(
        &zapis(&data).args(["db", "check"]).output().unwrap(),
        "db check after kills",
    );
}

/// Imports a call, then overwrites the root page of the segments table with garbage.
fn library_with_a_damaged_page(dir: &Path) -> (PathBuf, PathBuf) {
    let data = dir.join("data");
    import_id(&data, &tiny_vtt(dir, "before.vtt"), &[]);
    let db = data.join(zapis::storage::DB_FILE);
    let (root, page_size) = {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
            .unwrap();
        let root: i64 = conn
            .query_row(
                "SELECT rootpage FROM sqlite_schema WHERE type = 'table' AND name = 'segments'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        let page_size: i64 = conn
            .query_row("PRAGMA page_size", [], |r| r.get(0))
            .unwrap();
        (root as usize, page_size as usize)
    };
    assert!(root > 1);
    let mut bytes = std::fs::read(&db).unwrap();
    let start = (root - 1) * page_size;
    for (i, b) in bytes[start..start + page_size].iter_mut().enumerate() {
        *b = (i * 151 % 251) as u8 ^ 0x5a;
    }
    std::fs::write(&db, &bytes).unwrap();
    (data, db)
}

#[test]
fn a_corrupt_database_is_never_written_to() {
    let dir = tempfile::tempdir().unwrap();
    let (data, db) = library_with_a_damaged_page(dir.path());
    let before = std::fs::read(&db).unwrap();
    let wal = data.join(format!("{}-wal", zapis::storage::DB_FILE));

    let out = import(&data, &tiny_vtt(dir.path(), "after.vtt"), &[]);
    let err = assert_clean_failure(&out, "import into a corrupt library");
    assert!(err.contains("corrupt"), "{err}");
    assert!(
        err.contains(&db.display().to_string()),
        "names the file: {err}"
    );
    assert!(err.contains("backup"), "says what to do: {err}");
    assert!(
        std::fs::read(&db).unwrap() == before,
        "the database file was changed"
    );
    assert!(
        std::fs::metadata(&wal).map_or(0, |m| m.len()) == 0,
        "something was logged to be written"
    );

    let out = zapis(&data).args(["db", "check"]).output().unwrap();
    let err = assert_clean_failure(&out, "db check of a corrupt library");
    let report = stdout(&out);
    let findings: Vec<&str> = report
        .lines()
        .filter(|l| l.starts_with("integrity:"))
        .collect();
    assert!(!findings.is_empty(), "reports what is damaged: {report}");
    assert!(
        findings
            .iter()
            .all(|l| l.trim_end() != "integrity:       ok"),
        "{report}"
    );
    assert!(err.contains("backup"), "{err}");
    assert!(
        !err.contains("db check"),
        "does not send the user back to itself: {err}"
    );
    assert!(
        std::fs::read(&db).unwrap() == before,
        "db check changed the file"
    );
}

#[test]
fn listing_into_a_closed_pipe_ends_quietly() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut library = zapis::storage::Library::open(dir.path()).unwrap();
        library
            .atomically(|library| -> zapis::storage::Result<()> {
                for i in 0..3000 {
                    library.create_call(&sample_call(&format!("Call number {i}"), 1 + i % 28))?;
                }
                Ok(())
            })
            .unwrap();
    }
    for args in [
        &["calls", "list", "--limit", "100000"][..],
        &["calls", "list", "--limit", "100000", "--json"][..],
    ] {
        let mut child = zapis_process(dir.path())
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // The reader goes away before anything is read, as `| head -0` would.
        drop(child.stdout.take());
        let out = wait_or_kill(child, Duration::from_secs(60), "listing into a closed pipe");
        let err = stderr(&out);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert_ne!(out.status.code(), Some(101), "{args:?}: {err}");
        assert!(
            out.status.success() || out.status.signal() == Some(libc::SIGPIPE),
            "{args:?}: {:?} {err}",
            out.status
        );
        assert!(err.is_empty(), "{args:?}: quietly: {err}");
    }
}

/// A WAV header saying 0 Hz, followed by a second of silence.
fn zero_hz_wav(path: &Path) {
    let samples = vec![0u8; 32_000];
    let mut wav = Vec::new();
    wav.extend(b"RIFF");
    wav.extend((36 + samples.len() as u32).to_le_bytes());
    wav.extend(b"WAVEfmt ");
    wav.extend(16u32.to_le_bytes());
    wav.extend(1u16.to_le_bytes()); // PCM
    wav.extend(1u16.to_le_bytes()); // channels
    wav.extend(0u32.to_le_bytes()); // sample rate
    wav.extend(0u32.to_le_bytes()); // byte rate
    wav.extend(2u16.to_le_bytes()); // block align
    wav.extend(16u16.to_le_bytes()); // bits per sample
    wav.extend(b"data");
    wav.extend((samples.len() as u32).to_le_bytes());
    wav.extend(&samples);
    std::fs::write(path, wav).unwrap();
}

#[test]
fn a_zero_hertz_wav_and_a_fifo_get_clear_errors() {
    let Some(model) = fixture("ZAPIS_TEST_MODEL") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let wav = dir.path().join("zero-rate.wav");
    zero_hz_wav(&wav);
    let out = zapis(&data)
        .args(["import", "--consent-confirmed", "--model"])
        .arg(&model)
        .arg(&wav)
        .output()
        .unwrap();
    let err = assert_clean_failure(&out, "0 Hz WAV import");
    assert!(err.contains("zero-rate.wav"), "{err}");
    assert!(err.contains("0 Hz"), "{err}");
    let out = zapis(&data)
        .args(["transcribe", "--model"])
        .arg(&model)
        .arg(&wav)
        .output()
        .unwrap();
    let err = assert_clean_failure(&out, "0 Hz WAV transcribe");
    assert!(
        err.contains("zero-rate.wav") && err.contains("0 Hz"),
        "{err}"
    );

    for name in ["pipe.vtt", "pipe.wav"] {
        let fifo = dir.path().join(name);
        assert!(Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success());
        let child = zapis_process(&data)
            .args(["import", "--consent-confirmed", "--model"])
            .arg(&model)
            .arg(&fifo)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let out = wait_or_kill(child, Duration::from_secs(20), "importing a FIFO");
        let err = assert_clean_failure(&out, name);
        assert!(err.contains(name), "{err}");
        assert!(err.contains("not a regular file"), "{err}");
    }
    assert!(listed_ids(&data).is_empty());
}

#[test]
fn a_read_only_data_folder_is_reported_as_such() {
    // Permissions do not bind root: then the folder is made nobody's, and zapis runs as nobody.
    let root = unsafe { libc::geteuid() } == 0;
    let owner = root.then_some(65534u32);
    for files_read_only in [false, true] {
        let base = tempfile::tempdir().unwrap();
        set_mode(base.path(), 0o755);
        let data = base.path().join("data");
        let transcript = tiny_vtt(base.path(), "later.vtt");
        set_mode(&transcript, 0o644);
        import_id(&data, &tiny_vtt(base.path(), "first.vtt"), &[]);
        let db = data.join(zapis::storage::DB_FILE);
        let before = std::fs::read(&db).unwrap();

        for path in walk(&data) {
            if let Some(uid) = owner {
                std::os::unix::fs::lchown(&path, Some(uid), Some(uid)).unwrap();
            }
            let mode = match (path.is_dir(), files_read_only) {
                (true, _) => 0o500,
                (false, true) => 0o400,
                (false, false) => 0o600,
            };
            set_mode(&path, mode);
        }
        let modes_before: Vec<(PathBuf, u32)> = walk(&data)
            .into_iter()
            .map(|p| (p.clone(), mode(&p)))
            .collect();
        let mut cmd = if root {
            let mut cmd = Command::new("setpriv");
            cmd.args(["--reuid=65534", "--regid=65534", "--clear-groups", BIN]);
            cmd
        } else {
            Command::new(BIN)
        };
        let out = cmd
            .arg("--data-dir")
            .arg(&data)
            .args(["import", "--consent-confirmed"])
            .arg(&transcript)
            .env_remove("ZAPIS_DATA_DIR")
            .stdin(Stdio::null())
            .output()
            .unwrap();
        let modes_after: Vec<(PathBuf, u32)> = walk(&data)
            .into_iter()
            .map(|p| (p.clone(), mode(&p)))
            .collect();
        let unchanged = std::fs::read(&db).unwrap() == before;
        // Give the folder back before asserting, so that the temporary folder can be removed.
        for path in walk(&data) {
            if owner.is_some() {
                std::os::unix::fs::lchown(&path, Some(0), Some(0)).unwrap();
            }
            set_mode(&path, if path.is_dir() { 0o700 } else { 0o600 });
        }

        let what = if files_read_only {
            "import into a read-only folder and file"
        } else {
            "import into a read-only folder"
        };
        let err = assert_clean_failure(&out, what);
        assert!(
            err.contains("cannot be written") && err.contains("read-only"),
            "{what}: {err}"
        );
        assert!(err.contains(&db.display().to_string()), "{what}: {err}");
        assert!(
            !err.contains("unable to open database file"),
            "{what}: {err}"
        );
        assert!(unchanged, "{what}: the database was changed");
        assert_eq!(
            modes_after, modes_before,
            "{what}: the folder was changed (made writable, or written to)"
        );
    }
}

#[test]
fn export_to_an_existing_file_needs_force() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let id = import_id(&data, &tiny_vtt(dir.path(), "security_review.vtt"), &[]).to_string();
    let target = dir.path().join("notes.md");
    std::fs::write(&target, "my own notes, keep them\n").unwrap();

    let out = zapis(&data)
        .args(["calls", "export", &id, "--out"])
        .arg(&target)
        .output()
        .unwrap();
    let err = assert_clean_failure(&out, "export over a file");
    assert!(
        err.contains("already exists") && err.contains("--force"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(&target).unwrap(),
        "my own notes, keep them\n"
    );

    let out = zapis(&data)
        .args(["calls", "export", &id, "--force", "--out"])
        .arg(&target)
        .output()
        .unwrap();
    assert_success(&out, "export --force");
    let written = std::fs::read_to_string(&target).unwrap();
    assert!(written.contains("security review"), "{written}");
    assert!(!written.contains("keep them"));
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["data", "notes.md", "security_review.vtt"],
        "no partial files left"
    );
}

#[test]
fn error_messages_do_not_repeat_their_causes() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let bad_vtt = dir.path().join("broken.vtt");
    std::fs::write(&bad_vtt, "WEBVTT\n\n00:00:01.000 --> 00:00:0x.000\nhello\n").unwrap();
    let missing = dir.path().join("missing.vtt");
    let mut failures = vec![
        import(&data, &missing, &[]),
        import(&data, &bad_vtt, &[]),
        zapis(&data)
            .args(["calls", "show", "999"])
            .output()
            .unwrap(),
    ];
    let damaged = tempfile::tempdir().unwrap();
    let (damaged_data, _) = library_with_a_damaged_page(damaged.path());
    failures.push(import(
        &damaged_data,
        &tiny_vtt(damaged.path(), "x.vtt"),
        &[],
    ));

    for out in &failures {
        let err = assert_clean_failure(out, "failing command");
        let lines: Vec<&str> = err.lines().collect();
        let mut seen = std::collections::HashSet::new();
        for line in &lines {
            assert!(seen.insert(line.trim()), "line repeated: {err}");
        }
        // Each "caused by" adds something the text before it did not say.
        let parts: Vec<&str> = err.split("\n  caused by: ").collect();
        for (i, cause) in parts.iter().enumerate().skip(1) {
            let earlier = parts[..i].join("\n");
            assert!(!earlier.contains(cause.trim()), "repeats {cause:?}: {err}");
        }
    }
    let missing_err = stderr(&failures[0]);
    assert!(missing_err.contains("missing.vtt"), "{missing_err}");
    assert_eq!(
        missing_err.matches("No such file").count(),
        1,
        "{missing_err}"
    );
}

#[test]
fn a_tampered_model_is_refused_with_how_to_fix_it() {
    let Some(model) = fixture("ZAPIS_TEST_MODEL") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    add_model(&data, &model);
    let installed = data.join("models").join("tiny.en.bin");
    let jfk = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/jfk.wav");
    // A first use checks the hash and records the check beside the model.
    let out = zapis(&data)
        .args(["transcribe", "--model", "tiny.en"])
        .arg(&jfk)
        .output()
        .unwrap();
    assert_success(&out, "transcribe with the intact model");
    assert!(
        stdout(&out).to_lowercase().contains("country"),
        "{}",
        stdout(&out)
    );
    let stamp = data.join("models").join("tiny.en.bin.verified");
    assert!(stamp.is_file(), "the check was recorded");

    // One byte of the weights (past the header, so the file still parses) changes.
    let modified_before = std::fs::metadata(&installed).unwrap().modified().unwrap();
    let mut bytes = std::fs::read(&installed).unwrap();
    let at = bytes.len() - 1000;
    bytes[at] ^= 0x01;
    std::fs::write(&installed, &bytes).unwrap();
    let file = std::fs::File::options()
        .write(true)
        .open(&installed)
        .unwrap();
    file.set_modified(modified_before + Duration::from_secs(3))
        .unwrap();
    drop(file);

    for args in [
        vec!["transcribe", "--model", "tiny.en", jfk.to_str().unwrap()],
        vec!["import", "--consent-confirmed", jfk.to_str().unwrap()],
    ] {
        let out = zapis(&data).args(&args).output().unwrap();
        let err = assert_clean_failure(&out, &args.join(" "));
        assert!(
            err.contains(&installed.display().to_string()),
            "names the model: {err}"
        );
        assert!(err.contains("has changed since it was installed"), "{err}");
        assert!(
            err.contains("zapis model install"),
            "says how to fix it: {err}"
        );
    }
    assert!(listed_ids(&data).is_empty());
}

#[test]
fn every_file_zapis_writes_is_private() {
    let Some(model) = fixture("ZAPIS_TEST_MODEL") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    add_model(&data, &model);
    assert_eq!(mode(&data), 0o700, "data folder made by model add");
    import_id(
        &data,
        &tiny_vtt(dir.path(), "private.vtt"),
        &["--participant", "Carl Customer <carl@acme.example>"],
    );
    let db = data.join(zapis::storage::DB_FILE);
    assert_eq!(mode(&db), 0o600, "database");
    let all = walk(&data);
    assert!(all
        .iter()
        .any(|p| p.starts_with(data.join("logs")) && p.is_file()));
    for path in &all {
        assert_eq!(
            mode(path) & 0o077,
            0,
            "{} is {:o}",
            path.display(),
            mode(path)
        );
    }

    // A folder an older Zapis (or another tool) left open is closed at the next start.
    set_mode(&data, 0o755);
    assert_success(
        &zapis(&data).args(["calls", "list"]).output().unwrap(),
        "calls list",
    );
    assert_eq!(mode(&data), 0o700, "existing data folder tightened");
}

#[test]
fn the_log_records_commands_but_not_who_was_on_the_call() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let transcript = dir.path().join("renewal.vtt");
    write_vtt(
        &transcript,
        &[
            "Our zebra quartz renewal is due in May.",
            "Then we should talk about the zebra quartz discount.",
        ],
    );
    import_id(
        &data,
        &transcript,
        &["--participant", "Dana Secret <dana.secret@acme.example>"],
    );
    let out = zapis(&data)
        .args(["contacts", "show", "ghost.person@acme.example"])
        .output()
        .unwrap();
    let err = assert_clean_failure(&out, "contacts show of an unknown email");
    assert!(
        err.contains("ghost.person@acme.example"),
        "the user sees it: {err}"
    );

    let logs = data.join("logs");
    assert_eq!(mode(&logs) & 0o077, 0);
    let files: Vec<PathBuf> = std::fs::read_dir(&logs)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    assert!(!files.is_empty(), "a log file in {}", logs.display());
    let mut log = String::new();
    for file in &files {
        assert_eq!(mode(file), 0o600, "{}", file.display());
        log.push_str(&std::fs::read_to_string(file).unwrap());
    }
    assert!(log.contains("command finished"), "{log}");
    assert!(log.contains("command failed"), "{log}");
    for secret in [
        "dana.secret@acme.example",
        "ghost.person@acme.example",
        "Dana Secret",
        "zebra",
    ] {
        assert!(!log.contains(secret), "the log holds {secret:?}:\n{log}");
    }
}

#[test]
fn an_audio_import_that_runs_out_of_disk_leaves_no_file_and_no_call() {
    let Some(model) = fixture("ZAPIS_TEST_MODEL") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let kept = import_id(&data, &tiny_vtt(dir.path(), "kept.vtt"), &[]);
    let wav = dir.path().join("long-call.wav");
    let words = "We can start the pilot in March and send the contract on Friday. ".repeat(8);
    assert!(Command::new("espeak-ng")
        .arg("-w")
        .arg(&wav)
        .arg(&words)
        .status()
        .unwrap()
        .success());
    let size = std::fs::metadata(&wav).unwrap().len();
    assert!(
        size > 512 * 1024,
        "the recording must outgrow the limit: {size} bytes"
    );

    // A full disk, as the process sees it: writes past 256 KiB fail with EFBIG (the signal that
    // would kill it is ignored, so the error comes back from write like ENOSPC would).
    let script = "trap '' XFSZ; ulimit -f 256; \
                  exec \"$0\" --data-dir \"$1\" import --consent-confirmed --model \"$2\" \"$3\"";
    let out = Command::new("bash")
        .args(["-c", script, BIN])
        .arg(&data)
        .arg(&model)
        .arg(&wav)
        .env_remove("ZAPIS_DATA_DIR")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let err = assert_clean_failure(&out, "import onto a full disk");
    assert!(err.contains("long-call.wav"), "names the file: {err}");
    assert_eq!(listed_ids(&data), [kept], "the failed import left no call");
    let folders: Vec<PathBuf> = std::fs::read_dir(data.join("calls"))
        .map(|d| d.map(|e| e.unwrap().path()).collect())
        .unwrap_or_default();
    assert!(folders.is_empty(), "files left behind: {folders:?}");
    assert_every_call_whole(&data);

    // The library goes on as before.
    let next = import_id(&data, &tiny_vtt(dir.path(), "next.vtt"), &[]);
    assert_eq!(listed_ids(&data), [next, kept]);
}
