//! The call library against a real SQLite file: migrations, bad files, concurrency, deletion.

mod common;

use common::*;
use rusqlite::Connection;
use std::fs;
use zapis::storage::migrations::{LATEST, MIGRATIONS};
use zapis::storage::*;

fn schema_of(path: &std::path::Path) -> Vec<String> {
    let conn = Connection::open(path).unwrap();
    let mut stmt = conn
        .prepare("SELECT type || ' ' || name || ': ' || ifnull(sql, '') FROM sqlite_schema ORDER BY type, name")
        .unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn opens_empty_folder_at_latest_schema_with_private_file() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("nested/data");
    let library = Library::open(&data).unwrap();
    assert_eq!(library.schema_version().unwrap(), LATEST);
    assert_eq!(library.path(), data.join(DB_FILE));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(library.path()).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "database must be readable by its owner only");
        let mode = fs::metadata(&data).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o700, "a data folder Zapis creates must be private");
    }
    let check = library.check().unwrap();
    assert!(check.ok, "{:?}", check.integrity);
    assert_eq!(check.calls, 0);
}

#[test]
fn migrations_are_numbered_in_order() {
    for (i, m) in MIGRATIONS.iter().enumerate() {
        assert_eq!(
            m.version,
            i as i64 + 1,
            "migration {} is out of order",
            m.name
        );
    }
}

#[test]
fn upgrades_from_every_earlier_version_keeping_data() {
    let fresh = tempfile::tempdir().unwrap();
    drop(Library::open(fresh.path()).unwrap());
    let fresh_schema = schema_of(&fresh.path().join(DB_FILE));

    for from in 0..LATEST {
        let dir = tempfile::tempdir().unwrap();
        let old = Library::open_at_version(dir.path(), from).unwrap();
        assert_eq!(old.schema_version().unwrap(), from);
        drop(old);
        // Data written the way a Zapis of that version wrote it: plain SQL against that schema.
        let call = (from >= 1).then(|| {
            let conn = Connection::open(dir.path().join(DB_FILE)).unwrap();
            conn.execute_batch(
                "INSERT INTO calls (id, title, started_at, source, status, created_at)
                 VALUES (7, 'Kick-off with Acme', '2026-03-03T14:30:00Z', 'recorded', 'ready', '2026-03-03T15:00:00Z');
                 INSERT INTO segments (call_id, speaker, role, start_ms, end_ms, text)
                 VALUES (7, 'Carl', 'customer', 0, 900, 'our budget is approved');",
            )
            .unwrap();
            7
        });

        let library = Library::open(dir.path()).unwrap();
        assert_eq!(
            library.schema_version().unwrap(),
            LATEST,
            "from version {from}"
        );
        assert_eq!(
            schema_of(library.path()),
            fresh_schema,
            "schema after upgrading from {from}"
        );
        if let Some(id) = call {
            let detail = library.call(id).unwrap();
            assert_eq!(detail.summary.title, "Kick-off with Acme");
            assert_eq!(detail.transcript[0].text, "our budget is approved");
            assert_eq!(library.search("budget", 10).unwrap().len(), 1);
        }
        assert!(library.check().unwrap().ok);
    }
}

#[test]
fn refuses_a_file_that_is_not_sqlite_and_leaves_it_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DB_FILE);
    let junk = b"these are my meeting notes, not a database\n".repeat(50);
    fs::write(&path, &junk).unwrap();
    let err = Library::open(dir.path()).err().expect("must refuse");
    assert!(matches!(err, StorageError::NotADatabase { .. }), "{err}");
    assert!(
        err.to_string().contains(&path.display().to_string()),
        "names the file: {err}"
    );
    assert_eq!(fs::read(&path).unwrap(), junk, "file must be untouched");
}

#[test]
fn refuses_a_truncated_file_and_leaves_it_alone() {
    let dir = tempfile::tempdir().unwrap();
    let (library, _) = library_with_call(dir.path(), "Pricing", &["x".repeat(5000).as_str(); 40]);
    let path = library.path().to_path_buf();
    drop(library);
    let full = fs::read(&path).unwrap();
    let cut = &full[..full.len() / 2];
    fs::write(&path, cut).unwrap();
    let err = Library::open(dir.path()).err().expect("must refuse");
    assert!(
        matches!(
            err,
            StorageError::Truncated { .. } | StorageError::Corrupt { .. }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("left untouched"), "{err}");
    assert_eq!(fs::read(&path).unwrap(), cut, "file must be untouched");
}

#[test]
fn refuses_a_corrupt_file_and_leaves_it_alone() {
    let dir = tempfile::tempdir().unwrap();
    let (library, _) = library_with_call(dir.path(), "Demo", &["hello"]);
    let path = library.path().to_path_buf();
    drop(library);
    let mut bytes = fs::read(&path).unwrap();
    // Scribble over the schema table on page 1 (after the 100-byte file header).
    for b in &mut bytes[100..4000] {
        *b = 0xA5;
    }
    fs::write(&path, &bytes).unwrap();
    let err = Library::open(dir.path()).err().expect("must refuse");
    assert!(
        matches!(
            err,
            StorageError::Corrupt { .. } | StorageError::NotADatabase { .. }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("left untouched"), "{err}");
    assert_eq!(fs::read(&path).unwrap(), bytes, "file must be untouched");
}

#[test]
fn refuses_a_database_from_a_newer_zapis_without_migrating_down() {
    let dir = tempfile::tempdir().unwrap();
    drop(Library::open(dir.path()).unwrap());
    let path = dir.path().join(DB_FILE);
    {
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", LATEST + 1)
            .unwrap();
        conn.execute_batch("PRAGMA journal_mode = DELETE").unwrap();
    }
    let before = fs::read(&path).unwrap();
    let err = Library::open(dir.path()).err().expect("must refuse");
    match &err {
        StorageError::TooNew {
            found, supported, ..
        } => {
            assert_eq!((*found, *supported), (LATEST + 1, LATEST));
        }
        other => panic!("expected TooNew, got {other}"),
    }
    assert!(err.to_string().contains("upgrade Zapis"), "{err}");
    assert_eq!(fs::read(&path).unwrap(), before, "file must be untouched");
}

#[test]
fn stores_and_reads_back_a_call() {
    let dir = tempfile::tempdir().unwrap();
    let (mut library, id) = library_with_call(
        dir.path(),
        "Renewal with Acme",
        &[
            "Thanks for joining today",
            "We want to renew for two more years",
        ],
    );
    library
        .record_consent(
            id,
            &NewConsentReceipt {
                participant_name: "Carl Customer".into(),
                participant_email: Some("carl@acme.example".into()),
                decision: Decision::Granted,
                decided_at: chrono::Utc::now(),
                notice_version: "en-1".into(),
                language: "en".into(),
                method: ConsentMethod::OnScreen,
            },
        )
        .unwrap();
    let detail = library.call(id).unwrap();
    assert_eq!(detail.summary.participants, ["Rita Rep", "Carl Customer"]);
    assert_eq!(detail.summary.segments, 2);
    assert_eq!(detail.transcript[1].role, Role::Customer);
    assert_eq!(detail.consent[0].decision, Decision::Granted);
    assert_eq!(detail.consent[0].method, ConsentMethod::OnScreen);

    let replaced = library
        .replace_segments(id, &[segment(Role::Rep, 0, "final pass text")])
        .unwrap();
    assert_eq!(replaced.len(), 1);
    assert!(
        library.search("renew", 10).unwrap().is_empty(),
        "old segments must leave the index"
    );
    assert_eq!(
        library.search("final pass", 10).unwrap()[0].segment_id,
        replaced[0]
    );
    assert!(matches!(
        library.call(id + 100),
        Err(StorageError::CallNotFound(_))
    ));
}

#[test]
fn lists_newest_first_and_searches_transcripts() {
    let dir = tempfile::tempdir().unwrap();
    let mut library = Library::open(dir.path()).unwrap();
    let mut ids = Vec::new();
    for day in 1..=5 {
        let id = library
            .create_call(&sample_call(&format!("Call {day}"), day))
            .unwrap();
        let text = if day % 2 == 0 {
            "the proposal looks good"
        } else {
            "send the invoice"
        };
        library
            .append_segments(id, &[segment(Role::Customer, 0, text)])
            .unwrap();
        ids.push(id);
    }
    let all = library.list_calls(&CallQuery::default()).unwrap();
    assert_eq!(
        all.iter().map(|c| c.id).collect::<Vec<_>>(),
        ids.iter().rev().copied().collect::<Vec<_>>()
    );
    let page = library
        .list_calls(&CallQuery {
            limit: 2,
            offset: 1,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(
        page.iter().map(|c| c.id).collect::<Vec<_>>(),
        [ids[3], ids[2]]
    );

    let found = library
        .list_calls(&CallQuery {
            search: Some("PROPOSAL".into()),
            limit: 10,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(
        found.iter().map(|c| c.id).collect::<Vec<_>>(),
        [ids[3], ids[1]]
    );
    let prefix = library
        .list_calls(&CallQuery {
            search: Some("invo*".into()),
            limit: 10,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(prefix.len(), 3);
    let hits = library.search("proposal", 10).unwrap();
    assert!(
        hits[0].snippet.contains("[proposal]"),
        "{}",
        hits[0].snippet
    );
}

#[test]
fn deleting_a_call_removes_rows_index_entries_and_audio() {
    let dir = tempfile::tempdir().unwrap();
    let audio = dir.path().join("audio/call-1");
    fs::create_dir_all(&audio).unwrap();
    fs::write(audio.join("mic.wav"), b"RIFF").unwrap();
    let mut library = Library::open(dir.path()).unwrap();
    let mut call = sample_call("Secret project", 9);
    call.audio_dir = Some(audio.clone());
    let id = library.create_call(&call).unwrap();
    library
        .append_segments(id, &[segment(Role::Customer, 0, "codename bluefalcon")])
        .unwrap();

    library.delete_call(id).unwrap();
    assert!(!audio.exists(), "audio folder must be removed");
    assert!(library.search("bluefalcon", 10).unwrap().is_empty());
    assert!(matches!(
        library.call(id),
        Err(StorageError::CallNotFound(_))
    ));
    let log = library.audit_log(10).unwrap();
    assert_eq!(log[0].action, "call.deleted");
    assert!(log
        .iter()
        .all(|e| !e.detail.contains("Secret") && !e.subject.contains("Secret")));
    assert!(library.pending_file_deletions().unwrap().is_empty());
    assert!(matches!(
        library.delete_call(id),
        Err(StorageError::CallNotFound(_))
    ));
}

#[test]
fn two_connections_write_at_once_without_busy_errors() {
    let dir = tempfile::tempdir().unwrap();
    drop(Library::open(dir.path()).unwrap());
    let writers: Vec<_> = (0..2)
        .map(|w| {
            let path = dir.path().to_path_buf();
            std::thread::spawn(move || {
                let mut library = Library::open(&path).unwrap();
                for i in 0..50 {
                    let id = library
                        .create_call(&sample_call(&format!("w{w} call {i}"), 1))
                        .unwrap();
                    library
                        .append_segments(id, &[segment(Role::Rep, 0, "hello there")])
                        .unwrap();
                }
            })
        })
        .collect();
    for w in writers {
        w.join().unwrap();
    }
    let library = Library::open(dir.path()).unwrap();
    assert_eq!(library.call_count().unwrap(), 100);
}

#[test]
fn what_went_wrong_in_capture_is_part_of_the_calls_record() {
    let dir = tempfile::tempdir().unwrap();
    let mut library = Library::open(dir.path()).unwrap();
    let clean = library.create_call(&sample_call("Clean", 1)).unwrap();
    let lossy = library.create_call(&sample_call("Lossy", 2)).unwrap();
    assert!(library.call(lossy).unwrap().capture_notes.is_empty());

    let subject = format!("call {lossy}");
    library
        .audit(
            zapis::recording::CAPTURE_LOSS_AUDIT,
            &subject,
            "audio was lost during capture (system: 0.1 s in 1 gap)",
        )
        .unwrap();
    library.audit("call.exported", &subject, "csv").unwrap();
    library
        .audit(
            zapis::recording::CAPTURE_ENDED_AUDIT,
            &subject,
            "the audio server disappeared",
        )
        .unwrap();
    // Another call's subject that shares a prefix must not leak in ("call 1" vs "call 12").
    library
        .audit(
            zapis::recording::CAPTURE_LOSS_AUDIT,
            &format!("call {lossy}0"),
            "x",
        )
        .unwrap();

    assert_eq!(
        library.call(lossy).unwrap().capture_notes,
        [
            "audio was lost during capture (system: 0.1 s in 1 gap)",
            "the audio server disappeared"
        ]
    );
    assert!(library.call(clean).unwrap().capture_notes.is_empty());
}
