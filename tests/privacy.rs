//! Rights of access and erasure, retention, CRM contacts and exports, against real files.

mod common;

use chrono::{Duration, NaiveDate, Utc};
use common::*;
use predicates::prelude::*;
use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};
use zapis::storage::*;

const SECRET: &str = "Project Quetzalwind7731";

/// Every file under `dir`, recursively.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(files_under(&path));
        } else {
            out.push(path);
        }
    }
    out
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Finds any trace of the secret: as written, lower-cased (as the search index stores it), or as
/// the distinctive token alone.
fn traces_of_secret(dir: &Path) -> Vec<String> {
    let needles = [
        SECRET.to_string(),
        SECRET.to_lowercase(),
        "quetzalwind7731".to_string(),
        "Quetzalwind7731".to_string(),
    ];
    let mut found = Vec::new();
    for file in files_under(dir) {
        let bytes = fs::read(&file).unwrap();
        for n in &needles {
            if contains(&bytes, n.as_bytes()) {
                found.push(format!("{} holds {n:?}", file.display()));
            }
        }
    }
    found
}

fn call_with_secret(library: &mut Library, data: &Path, email: &str) -> i64 {
    let audio = data.join("calls/secret");
    fs::create_dir_all(&audio).unwrap();
    fs::write(audio.join("mic.wav"), format!("RIFF....{SECRET}")).unwrap();
    let mut call = sample_call("Roadmap review", 5);
    // Recent, so the 90-day audio retention that every CLI start applies leaves it alone.
    call.started_at = Utc::now() - Duration::days(1);
    call.audio_dir = Some(audio);
    call.participants[1].email = Some(email.into());
    let id = library.create_call(&call).unwrap();
    let mut lines = Vec::new();
    for i in 0..200 {
        lines.push(segment(
            Role::Customer,
            i * 5,
            &format!("line {i} about the budget and the timeline"),
        ));
    }
    lines.push(segment(
        Role::Customer,
        1000,
        &format!("Please keep {SECRET} confidential until launch"),
    ));
    library.append_segments(id, &lines).unwrap();
    library
        .record_consent(
            id,
            &NewConsentReceipt {
                participant_name: "Carl Customer".into(),
                participant_email: Some(email.into()),
                decision: Decision::Granted,
                decided_at: Utc::now(),
                notice_version: "en-1".into(),
                language: "en".into(),
                method: ConsentMethod::OnScreen,
            },
        )
        .unwrap();
    library
        .save_insights(id, &InsightsRecord {
            body: serde_json::json!({"summary": [{"text": format!("{SECRET} launch timing"), "segments": []}]}),
            sentiment_score: Some(0.4),
            sentiment_label: Some("positive".into()),
            action_items: vec![NewActionItem { text: format!("Send the {SECRET} brief"), owner: "rep".into(), due: None, segment_id: None }],
            keywords: vec![NewKeyword { term: SECRET.to_lowercase(), count: 1, tracked: false, first_mention_ms: Some(1_000_000) }],
            terms: [SECRET.to_lowercase()].into_iter().collect(),
        })
        .unwrap();
    id
}

#[test]
fn erasure_leaves_no_byte_of_the_person_behind() {
    let dir = tempfile::tempdir().unwrap();
    let mut library = Library::open(dir.path()).unwrap();
    let keep = library
        .create_call(&sample_call("Unrelated call", 3))
        .unwrap();
    library
        .append_segments(keep, &[segment(Role::Customer, 0, "nothing secret here")])
        .unwrap();
    let erased_call = call_with_secret(&mut library, dir.path(), "carl@acme.example");
    library
        .upsert_contacts(&[ContactRecord {
            email: "carl@acme.example".into(),
            name: "Carl Customer".into(),
            ..Default::default()
        }])
        .unwrap();
    // The other call's customer shares the email; make it someone else's call to keep.
    assert!(
        !traces_of_secret(dir.path()).is_empty(),
        "the test must start with the secret on disk"
    );

    zapis(dir.path())
        .args(["privacy", "erase", "--contact", "carl@acme.example"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Erased 2 calls"));

    // The library in this process stays open, as the desktop app's would.
    assert!(matches!(
        library.call(erased_call),
        Err(StorageError::CallNotFound(_))
    ));
    let traces = traces_of_secret(dir.path());
    assert!(traces.is_empty(), "secret still readable: {traces:#?}");
    drop(library);
    let traces = traces_of_secret(dir.path());
    assert!(
        traces.is_empty(),
        "secret readable after close: {traces:#?}"
    );
    let library = Library::open(dir.path()).unwrap();
    assert!(library.check().unwrap().ok);
    let log = library.audit_log(100).unwrap();
    let erasure = log
        .iter()
        .find(|e| e.action == "person.erased")
        .expect("erasure is audited");
    assert!(
        !erasure.detail.contains("carl") && !erasure.subject.contains("carl"),
        "{erasure:?}"
    );
}

#[test]
fn erasing_an_unknown_person_says_so() {
    let dir = tempfile::tempdir().unwrap();
    zapis(dir.path())
        .args(["privacy", "erase", "--contact", "nobody@nowhere.example"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "nothing is stored about nobody@nowhere.example",
        ));
}

#[test]
fn export_holds_everything_about_the_person_and_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let mut library = Library::open(dir.path()).unwrap();
    let call = call_with_secret(&mut library, dir.path(), "dana@acme.example");
    let out = dir.path().join("export-dana");
    zapis(dir.path())
        .args([
            "privacy",
            "export",
            "--contact",
            "dana@acme.example",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    let data: Value = serde_json::from_slice(&fs::read(out.join("data.json")).unwrap()).unwrap();
    assert_eq!(data["subject"], "dana@acme.example");
    assert_eq!(data["calls"][0]["id"], call);
    assert_eq!(
        data["calls"][0]["transcript"].as_array().unwrap().len(),
        201
    );
    assert_eq!(
        data["calls"][0]["consent"][0]["participant_email"],
        "dana@acme.example"
    );
    assert_eq!(
        data["calls"][0]["action_items"][0]["text"],
        format!("Send the {SECRET} brief")
    );
    assert!(data["audit"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["action"] == "consent.recorded"));
    assert_eq!(
        fs::read(out.join(format!("audio/call-{call}/mic.wav"))).unwrap(),
        fs::read(dir.path().join("calls/secret/mic.wav")).unwrap()
    );
    let report = fs::read_to_string(out.join("report.md")).unwrap();
    assert!(
        report.contains("# Data export for dana@acme.example"),
        "{report}"
    );
    assert!(report.contains("Exported by Zapis on"), "{report}");
    assert!(
        report.contains(&format!("Please keep {SECRET} confidential")),
        "{report}"
    );

    // A second export into the same, now non-empty, folder fails and changes nothing.
    let before = files_under(&out).len();
    zapis(dir.path())
        .args([
            "privacy",
            "export",
            "--contact",
            "dana@acme.example",
            "--out",
        ])
        .arg(&out)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("already exists and is not empty"));
    assert_eq!(files_under(&out).len(), before);

    // A folder that cannot be created fails clearly and leaves nothing partial behind.
    let blocker = dir.path().join("a-file");
    fs::write(&blocker, "x").unwrap();
    zapis(dir.path())
        .args(["privacy", "export", "--all", "--out"])
        .arg(blocker.join("sub"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("cannot write the export"));
    assert!(fs::read_dir(dir.path()).unwrap().all(|e| !e
        .unwrap()
        .file_name()
        .to_string_lossy()
        .contains("partial")));
    zapis(dir.path())
        .args([
            "privacy",
            "export",
            "--contact",
            "x@unknown.example",
            "--out",
        ])
        .arg(dir.path().join("x"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "nothing is stored about x@unknown.example",
        ));
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/crm")
        .join(name)
}

#[test]
fn imports_the_three_crm_shapes_and_links_calls_by_email() {
    let dir = tempfile::tempdir().unwrap();
    let mut library = Library::open(dir.path()).unwrap();
    let mut call = sample_call("Procurement call", 4);
    call.participants[1].email = Some("Marko.Petrovic@nordlicht.example".into());
    let call_id = library.create_call(&call).unwrap();
    library
        .save_insights(
            call_id,
            &InsightsRecord {
                body: serde_json::json!({}),
                sentiment_score: None,
                sentiment_label: None,
                action_items: vec![NewActionItem {
                    text: "Send the security questionnaire".into(),
                    owner: "rep".into(),
                    due: NaiveDate::from_ymd_opt(2026, 3, 10),
                    segment_id: None,
                }],
                keywords: vec![],
                terms: Default::default(),
            },
        )
        .unwrap();

    for (file, source, imported, updated) in [
        ("dynamics365.csv", "dynamics365", 2, 0),
        ("salesforce.csv", "salesforce", 2, 0),
        ("hubspot.csv", "hubspot", 2, 0),
        ("hubspot.csv", "hubspot", 0, 2),
    ] {
        let out = zapis(dir.path())
            .args(["contacts", "import", "--json"])
            .arg(fixture(file))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{file}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let r: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(
            (
                r["source"].as_str().unwrap(),
                r["imported"].as_u64().unwrap(),
                r["updated"].as_u64().unwrap()
            ),
            (source, imported, updated),
            "{file}"
        );
    }
    let contacts = library.contacts(None).unwrap();
    assert_eq!(contacts.len(), 6);
    let jane = contacts
        .iter()
        .find(|c| c.email == "jane.ellis@globex.example")
        .unwrap();
    assert_eq!(
        (
            jane.name.as_str(),
            jane.title.as_deref(),
            jane.account.as_deref()
        ),
        (
            "Ellis, Jane",
            Some("VP, Operations"),
            Some("Globex Corporation")
        )
    );
    assert_eq!(
        jane.crm_id.as_deref(),
        Some("5a2d3b8f-2c3d-ef11-8409-000d3a4b5c6d")
    );
    let lena = contacts
        .iter()
        .find(|c| c.email == "lena.fischer@umbrella.example")
        .unwrap();
    assert_eq!(
        lena.title.as_deref(),
        Some("Head of Sales Operations"),
        "the later duplicate row wins"
    );
    let priya = contacts
        .iter()
        .find(|c| c.name == "Priya Natarajan")
        .unwrap();
    assert_eq!(priya.crm_id.as_deref(), Some("0035g00000XyZ1A"));

    let out = zapis(dir.path())
        .args([
            "contacts",
            "show",
            "marko.petrovic@nordlicht.example",
            "--json",
        ])
        .output()
        .unwrap();
    let marko: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        marko["history"][0]["id"], call_id,
        "linked by participant email"
    );
    assert_eq!(
        marko["open_action_items"][0]["text"],
        "Send the security questionnaire"
    );
    zapis(dir.path())
        .args(["contacts", "list"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("Nordlicht d.o.o.").and(predicate::str::contains("Initech")),
        );
}

#[test]
fn a_bad_csv_is_rejected_whole_with_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    zapis(dir.path())
        .args(["contacts", "import"])
        .arg(fixture("bad.csv"))
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("3 problem(s); nothing was imported")
                .and(predicate::str::contains(
                    "line 3, column 3: \"bob at acme\" is not an email address",
                ))
                .and(predicate::str::contains("line 4, column 3: email is empty"))
                .and(predicate::str::contains(
                    "line 5: has 3 fields but the header has 4",
                )),
        );
    assert!(Library::open(dir.path())
        .unwrap()
        .contacts(None)
        .unwrap()
        .is_empty());
}

#[test]
fn exports_a_call_for_crms_and_calendars() {
    let dir = tempfile::tempdir().unwrap();
    let (mut library, id) = library_with_call(dir.path(), "Pricing, round 2", &["hello", "hi"]);
    library
        .save_insights(id, &InsightsRecord {
            body: serde_json::json!({"summary": [{"text": "Discussed a three-year term", "segments": []}]}),
            sentiment_score: Some(0.5),
            sentiment_label: Some("positive".into()),
            action_items: vec![
                NewActionItem { text: "Send the revised proposal; include SSO, audit logs".into(), owner: "rep".into(), due: NaiveDate::from_ymd_opt(2026, 3, 6), segment_id: None },
                NewActionItem { text: "Loop in the CFO".into(), owner: "customer".into(), due: None, segment_id: None },
            ],
            keywords: vec![],
            terms: Default::default(),
        })
        .unwrap();
    let run = |format: &str| {
        let out = zapis(dir.path())
            .args(["calls", "export", &id.to_string(), "--format", format])
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };
    let md = run("md");
    assert!(
        md.contains("# Pricing, round 2") && md.contains("- Discussed a three-year term"),
        "{md}"
    );
    assert!(
        md.contains(
            "- [ ] Send the revised proposal; include SSO, audit logs — rep (due 2026-03-06)"
        ),
        "{md}"
    );
    let json: Value = serde_json::from_str(&run("json")).unwrap();
    assert_eq!(json["action_items"][1]["owner"], "customer");
    let csv = run("csv");
    let mut rows = csv::Reader::from_reader(csv.as_bytes());
    let records: Vec<csv::StringRecord> = rows.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), 3);
    assert_eq!(
        &records[1][1],
        "Send the revised proposal; include SSO, audit logs"
    );
    assert_eq!(&records[1][3], "2026-03-06");
    let ics = run("ics");
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\n") && ics.ends_with("END:VCALENDAR\r\n"));
    assert_eq!(ics.matches("BEGIN:VTODO").count(), 2);
    assert!(ics.contains("DUE;VALUE=DATE:20260306\r\n"), "{ics}");
    assert!(
        ics.contains("SUMMARY:Send the revised proposal\\; include SSO\\, audit logs"),
        "{ics}"
    );

    let file = dir.path().join("items.ics");
    zapis(dir.path())
        .args([
            "calls",
            "export",
            &id.to_string(),
            "--format",
            "ics",
            "--out",
        ])
        .arg(&file)
        .assert()
        .success();
    assert_eq!(
        fs::read_to_string(&file)
            .unwrap()
            .matches("END:VTODO")
            .count(),
        2
    );
}

#[test]
fn retention_removes_old_audio_and_transcripts() {
    let dir = tempfile::tempdir().unwrap();
    let mut library = Library::open(dir.path()).unwrap();
    assert_eq!(
        library.retention().unwrap(),
        Retention {
            audio_days: Some(90),
            transcript_days: None
        }
    );
    let mut ids = Vec::new();
    for (age_days, name) in [(200, "old"), (100, "middle"), (10, "recent")] {
        let audio = dir.path().join("calls").join(name);
        fs::create_dir_all(&audio).unwrap();
        fs::write(audio.join("mic.wav"), b"RIFF").unwrap();
        let mut call = sample_call(name, 1);
        call.started_at = Utc::now() - Duration::days(age_days);
        call.audio_dir = Some(audio);
        ids.push(library.create_call(&call).unwrap());
    }
    let report = library.apply_retention(Utc::now()).unwrap();
    assert_eq!(
        report,
        RetentionReport {
            audio_removed: 2,
            calls_deleted: 0
        }
    );
    assert!(!dir.path().join("calls/old").exists() && !dir.path().join("calls/middle").exists());
    assert!(dir.path().join("calls/recent/mic.wav").exists());
    assert_eq!(
        library.call_count().unwrap(),
        3,
        "transcripts are kept forever by default"
    );

    zapis(dir.path())
        .args(["settings", "retention", "--transcript-days", "150"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("deleted 1 calls")
                .and(predicate::str::contains("transcripts kept: 150 days")),
        );
    assert!(matches!(
        library.call(ids[0]),
        Err(StorageError::CallNotFound(_))
    ));
    assert_eq!(library.call_count().unwrap(), 2);
    zapis(dir.path())
        .args(["settings", "retention", "--audio-days", "0"])
        .assert()
        .code(2);
}
