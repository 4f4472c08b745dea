//! The `zapis` binary: output formats, exit codes, and sharing the library with another process.

mod common;

use common::*;
use predicates::prelude::*;
use serde_json::Value;
use zapis::storage::*;

#[test]
fn list_json_has_the_documented_fields() {
    let dir = tempfile::tempdir().unwrap();
    let (_, id) = library_with_call(dir.path(), "Discovery with Acme", &["hello", "hi there"]);
    let out = zapis(dir.path())
        .args(["calls", "list", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let calls: Value = serde_json::from_slice(&out.stdout).unwrap();
    let call = &calls[0];
    let mut keys: Vec<&str> = call
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "duration_ms",
            "id",
            "language",
            "participants",
            "segments",
            "sentiment",
            "source",
            "started_at",
            "status",
            "title",
            "transcribed_with"
        ]
    );
    assert_eq!(call["id"], id);
    assert_eq!(call["started_at"], "2026-03-02T14:30:00Z");
    assert_eq!(call["participants"][1], "Carl Customer");
    assert_eq!(call["segments"], 2);
}

#[test]
fn list_table_is_aligned_and_search_filters() {
    let dir = tempfile::tempdir().unwrap();
    let (mut library, _) = library_with_call(
        dir.path(),
        "Discovery with Acme",
        &["we need single sign-on"],
    );
    let other = library
        .create_call(&sample_call("Pricing with Globex", 4))
        .unwrap();
    library
        .append_segments(
            other,
            &[segment(Role::Customer, 0, "the discount is too small")],
        )
        .unwrap();
    let out = zapis(dir.path()).args(["calls", "list"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    let title_col = lines[0].find("TITLE").unwrap();
    assert_eq!(lines[1].find("Pricing"), Some(title_col), "{text}");
    assert_eq!(lines[2].find("Discovery"), Some(title_col), "{text}");

    zapis(dir.path())
        .args(["calls", "list", "--search", "discount"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("Pricing with Globex")
                .and(predicate::str::contains("Discovery").not()),
        );
}

#[test]
fn show_prints_transcript_and_json() {
    let dir = tempfile::tempdir().unwrap();
    let (_, id) = library_with_call(
        dir.path(),
        "Demo",
        &["let me share my screen", "looks great"],
    );
    zapis(dir.path())
        .args(["calls", "show", &id.to_string()])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "[0:05] Carl Customer: looks great",
        ));
    let out = zapis(dir.path())
        .args(["calls", "show", &id.to_string(), "--json"])
        .output()
        .unwrap();
    let call: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(call["transcript"][0]["text"], "let me share my screen");
    assert_eq!(call["transcript"][0]["role"], "rep");
    assert_eq!(call["people"][0]["email"], "rita@zapis.example");
}

#[test]
fn exit_codes_follow_the_contract() {
    let dir = tempfile::tempdir().unwrap();
    zapis(dir.path())
        .args(["calls", "show", "999"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no call with id 999"));
    zapis(dir.path())
        .args(["calls", "show", "not-a-number"])
        .assert()
        .code(2);
    zapis(dir.path()).args(["frobnicate"]).assert().code(2);
    zapis(dir.path())
        .args(["db", "check"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("integrity:       ok"));
}

#[test]
fn delete_removes_the_call() {
    let dir = tempfile::tempdir().unwrap();
    let (_, id) = library_with_call(dir.path(), "Demo", &["hello"]);
    zapis(dir.path())
        .args(["calls", "delete", &id.to_string()])
        .assert()
        .success();
    zapis(dir.path())
        .args(["calls", "show", &id.to_string()])
        .assert()
        .code(1);
}

#[test]
fn bad_database_files_get_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(DB_FILE),
        b"not a database at all, just some text that is long enough to hold a header",
    )
    .unwrap();
    zapis(dir.path())
        .args(["calls", "list"])
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("is not a Zapis database")
                .and(predicate::str::contains(DB_FILE)),
        );
}

#[test]
fn data_dir_comes_from_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    library_with_call(dir.path(), "From env", &["hello"]);
    let mut cmd = assert_cmd::Command::cargo_bin("zapis").unwrap();
    cmd.env("ZAPIS_DATA_DIR", dir.path())
        .args(["calls", "list"])
        .assert()
        .success()
        .stdout(predicate::str::contains("From env"));
}

/// The app and the CLI share one library: while this process keeps writing, other processes read
/// and delete through the CLI, and nobody sees a "database is locked" error.
#[test]
fn another_process_uses_the_library_while_this_one_writes() {
    let dir = tempfile::tempdir().unwrap();
    let mut library = Library::open(dir.path()).unwrap();
    let doomed = library
        .create_call(&sample_call("To be deleted", 1))
        .unwrap();
    let path = dir.path().to_path_buf();
    let writer = std::thread::spawn(move || {
        let mut library = Library::open(&path).unwrap();
        for i in 0..200 {
            let id = library
                .create_call(&sample_call(&format!("call {i}"), 2))
                .unwrap();
            library
                .append_segments(
                    id,
                    &[segment(Role::Customer, 0, "we are evaluating vendors")],
                )
                .unwrap();
        }
    });
    let mut runs = 0;
    while !writer.is_finished() || runs < 3 {
        zapis(dir.path())
            .args(["calls", "list", "--json", "--search", "vendors"])
            .assert()
            .success();
        zapis(dir.path()).args(["db", "check"]).assert().success();
        if runs == 1 {
            zapis(dir.path())
                .args(["calls", "delete", &doomed.to_string()])
                .assert()
                .success();
        }
        runs += 1;
    }
    writer.join().unwrap();
    assert_eq!(library.call_count().unwrap(), 200);
}

#[test]
fn the_final_pass_model_is_chosen_apart_from_the_live_one() {
    let dir = tempfile::tempdir().unwrap();
    let models = dir.path().join("models");
    std::fs::create_dir_all(&models).unwrap();
    // Only installed models are accepted: none is, so naming one is refused and changes nothing.
    zapis(dir.path())
        .args(["settings", "model", "--final", "small"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("small"));
    let shown = zapis(dir.path())
        .args(["settings", "model", "--json"])
        .output()
        .unwrap();
    assert!(shown.status.success());
    let shown: Value = serde_json::from_slice(&shown.stdout).unwrap();
    assert_eq!(
        shown,
        serde_json::json!({ "live": "tiny.en", "final": "tiny.en" })
    );
    zapis(dir.path())
        .args(["settings", "model", "--final", "live"])
        .assert()
        .success()
        .stdout(predicate::str::contains("transcript after call: tiny.en"));
}

#[test]
fn voices_of_a_call_not_diarized_are_explained_and_a_missing_voice_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (_, id) = library_with_call(dir.path(), "Discovery with Acme", &["hello", "hi there"]);
    zapis(dir.path())
        .args(["calls", "voices", &id.to_string()])
        .assert()
        .success()
        .stdout(predicate::str::contains("zapis model install diarization"));
    let out = zapis(dir.path())
        .args(["calls", "voices", &id.to_string(), "--json"])
        .output()
        .unwrap();
    assert_eq!(
        serde_json::from_slice::<Value>(&out.stdout).unwrap(),
        serde_json::json!([])
    );
    zapis(dir.path())
        .args(["calls", "name-voice", &id.to_string(), "0", "Dana Ng"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(format!(
            "call {id} has no voice 0"
        )));
    zapis(dir.path())
        .args(["calls", "unname-voice", &id.to_string(), "0"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(format!(
            "call {id} has no voice 0"
        )));
    // Without the speaker models, diarizing says how to install them.
    zapis(dir.path())
        .args(["calls", "diarize", &id.to_string()])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("zapis model install diarization"));
}

#[test]
fn search_without_the_sentence_model_matches_words_and_says_how_to_add_meaning() {
    let dir = tempfile::tempdir().unwrap();
    let (_, id) = library_with_call(
        dir.path(),
        "Renewal with Acme",
        &["the cost is more than we can justify", "send the proposal"],
    );
    zapis(dir.path())
        .args(["calls", "search", "proposal"])
        .assert()
        .success()
        .stderr(predicate::str::contains("zapis model install minilm"))
        .stdout(predicate::str::contains("send the proposal"))
        .stdout(predicate::str::contains("Renewal with Acme"));
    let out = zapis(dir.path())
        .args(["calls", "search", "proposal", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let found: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(found["by_meaning"], Value::Bool(false));
    assert_eq!(found["lines"][0]["call_id"], serde_json::json!(id));
    assert_eq!(found["lines"][0]["by_words"], Value::Bool(true));
    assert_eq!(found["lines"][0]["similarity"], Value::Null);
    // Words it does not contain: nothing, said plainly.
    zapis(dir.path())
        .args(["calls", "search", "pricing objections"])
        .assert()
        .success()
        .stdout(predicate::str::contains("No lines found."));
    // Indexing needs the model, and says how to get it.
    zapis(dir.path())
        .args(["calls", "index"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("zapis model install minilm"));
    zapis(dir.path())
        .args(["model", "list"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "The sentence model is not installed",
        ));
}

#[test]
fn an_action_item_is_ticked_off_and_redated_and_a_bare_request_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (_, id) = library_with_call(
        dir.path(),
        "Demo",
        &[
            "I'll send you the pricing sheet by Friday.",
            "Great, thanks.",
        ],
    );
    let out = zapis(dir.path())
        .args(["insights", &id.to_string(), "--json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let items: Vec<zapis::storage::ActionItem> = {
        let library = zapis::storage::Library::open(dir.path()).unwrap();
        library.action_items(id).unwrap()
    };
    let item = items.first().expect("the commitment is an action item").id;
    zapis(dir.path())
        .args(["calls", "item", &item.to_string()])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("say what to change"));
    zapis(dir.path())
        .args([
            "calls",
            "item",
            &item.to_string(),
            "--done",
            "--due",
            "2031-02-03",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("[x]").and(predicate::str::contains("due 2031-02-03")));
    zapis(dir.path())
        .args(["calls", "item", &item.to_string(), "--reopen", "--no-due"])
        .assert()
        .success()
        .stdout(predicate::str::contains("[ ]").and(predicate::str::contains("due").not()));
}
