//! Team search by meaning: the lines' sentence vectors (the real all-MiniLM-L6-v2 that `zapis
//! model install minilm` installs, ZAPIS_TEST_MINILM) pushed into a real PostgreSQL with pgvector
//! (scripts/pgvector-test-env.sh), ranked there under the same visibility rule as everything else,
//! and fused with full-text search on the rep's machine.

use super::*;
use zapis::app::MeaningOff;
use zapis::team::MeaningSearch;

fn pgvector_cluster() -> Cluster {
    cluster_from("ZAPIS_TEST_PGVECTOR", "pgvector-test-env.sh")
}

fn sentence_model() -> std::path::PathBuf {
    std::env::var_os("ZAPIS_TEST_MINILM")
        .map(Into::into)
        .expect("ZAPIS_TEST_MINILM is not set: run eval \"$(scripts/test-fixtures.sh)\" first")
}

impl Rep {
    /// Installs the sentence model in this rep's data folder (a link to the test fixture).
    fn with_sentence_model(self) -> Rep {
        let models = self.library.data_dir().join("models");
        std::fs::create_dir_all(&models).unwrap();
        std::os::unix::fs::symlink(sentence_model(), models.join("minilm")).unwrap();
        self
    }

    /// A shared call whose lines are `lines`, each said by the customer.
    fn call_saying(&mut self, title: &str, customer: &str, lines: &[&str]) -> i64 {
        let id = self.call(title, customer, Decision::Granted, 0);
        self.library
            .append_segments(id, &customer_lines(lines))
            .unwrap();
        app::share(&mut self.library, &ShareScope::Call(id), true).unwrap();
        id
    }

    /// The call's lines corrected to `lines`, and given their meanings again.
    fn reword(&mut self, id: i64, lines: &[&str]) {
        self.library
            .replace_segments(id, &customer_lines(lines))
            .unwrap();
        app::index_call(&mut self.library, id).unwrap();
    }
}

/// Each of `lines` said by the customer, five seconds apart.
fn customer_lines(lines: &[&str]) -> Vec<NewSegment> {
    lines
        .iter()
        .enumerate()
        .map(|(i, text)| segment(Role::Customer, i as i64 * 5, text))
        .collect()
}

/// Lines with a vector in the team library, in the HNSW graph or waiting to go in.
fn meanings_on_server(team: &Team) -> i64 {
    let (graph, fresh) = meanings_in_graph_and_fresh(team);
    graph + fresh
}

fn meanings_in_graph_and_fresh(team: &Team) -> (i64, i64) {
    let mut admin = team.sql_admin();
    let graph = team.count(&mut admin, "SELECT count(*) FROM zapis.segment_meanings");
    let fresh = team.count(
        &mut admin,
        "SELECT count(*) FROM zapis.segment_meanings_fresh",
    );
    (graph, fresh)
}

#[test]
fn the_team_finds_lines_by_meaning_only_where_the_role_may_see_them() {
    let (team, meaning) = Team::with_setup(pgvector_cluster(), "meaning");
    assert_eq!(meaning, MeaningSearch::On, "setup adds search by meaning");
    team.add("ana", false);
    team.add("bob", false);
    team.add("mia", true);
    let mut ana = Rep::join(&team, "ana", SharePolicy::ChosenCalls).with_sentence_model();
    let mut bob = Rep::join(&team, "bob", SharePolicy::ChosenCalls).with_sentence_model();
    let mia = Rep::join(&team, "mia", SharePolicy::ChosenCalls).with_sentence_model();

    // Ana's call is shared before its lines have vectors; indexing them later sends it again.
    let renewal = ana.call_saying(
        "Acme renewal",
        "carl@acme.example",
        &[
            "Honestly, the cost is well above what we budgeted for this year.",
            "We would like the onboarding sessions to start next Tuesday.",
        ],
    );
    assert_eq!(ana.sync().unwrap().pushed, 1);
    assert_eq!(meanings_on_server(&team), 0);
    assert_eq!(app::index_call(&mut ana.library, renewal).unwrap(), Some(2));
    let report = ana.sync().unwrap();
    assert_eq!(
        (report.pushed, report.meanings_pushed),
        (1, 2),
        "indexing queues the call"
    );
    assert_eq!(meanings_on_server(&team), 2);

    let globex = bob.call_saying(
        "Globex check-in",
        "gina@globex.example",
        &["Our staff still need training on the new dashboard."],
    );
    app::index_call(&mut bob.library, globex).unwrap();
    bob.sync().unwrap();
    assert_eq!(meanings_on_server(&team), 3);

    // The manager sees the team: the objection is found without sharing a word with the query.
    let found = app::team_search(&mia.library, "pricing objections", 5).unwrap();
    assert_eq!(found.meaning_off, None);
    let first = &found.hits[0];
    assert!(first.text.starts_with("Honestly, the cost"), "{found:#?}");
    assert!(!first.by_words, "{first:?}");
    assert!(first.similarity.unwrap() >= zapis::semantic::MIN_SIMILARITY);
    assert!(
        found.hits.iter().all(|h| h.title == "Acme renewal"),
        "nothing in the training call is about money: {found:#?}"
    );

    // Bob is not on Acme's account: not even by meaning does its line reach him.
    let found = app::team_search(&bob.library, "pricing objections", 5).unwrap();
    assert!(
        found.hits.iter().all(|h| h.title != "Acme renewal"),
        "{found:#?}"
    );
    let found = app::team_search(&bob.library, "employee training schedule", 5).unwrap();
    assert_eq!(found.hits[0].title, "Globex check-in", "{found:#?}");

    // A word match still counts, and leads when the line also means it.
    let found = app::team_search(&mia.library, "onboarding sessions", 5).unwrap();
    assert!(found.hits[0].by_words && found.hits[0].similarity.is_some());

    // Keeping the call here takes its lines, vectors and all, out of the team library.
    app::share(&mut ana.library, &ShareScope::Call(renewal), false).unwrap();
    ana.sync().unwrap();
    assert_eq!(meanings_on_server(&team), 1);
    let found = app::team_search(&mia.library, "pricing objections", 5).unwrap();
    assert!(found.hits.iter().all(|h| h.title != "Acme renewal"));
}

#[test]
fn vectors_go_after_their_calls_resume_when_cut_off_and_are_not_sent_twice() {
    let (team, _) = Team::with_setup(pgvector_cluster(), "meaning_resume");
    team.add("ana", false);
    team.add("mia", true);
    let mut ana = Rep::join(&team, "ana", SharePolicy::ChosenCalls).with_sentence_model();
    let mia = Rep::join(&team, "mia", SharePolicy::ChosenCalls).with_sentence_model();
    let mut lines = vec![
        "Honestly, the cost is well above what we budgeted for this year.",
        "We would like the onboarding sessions to start next Tuesday.",
        "Our staff still need training on the new dashboard.",
    ];
    let id = ana.call_saying("Acme renewal", "carl@acme.example", &lines);
    assert_eq!(app::index_call(&mut ana.library, id).unwrap(), Some(3));

    // The server refuses the vectors: the call is there all the same, found by its words, and
    // its vectors wait here.
    let mut admin = team.sql_admin();
    admin
        .batch_execute("REVOKE INSERT ON zapis.segment_meanings_fresh FROM zapis_rep")
        .unwrap();
    assert!(ana.sync().is_err(), "the vectors' push fails");
    let status = app::team_status(&ana.library).unwrap();
    assert_eq!((status.queued, status.meanings_queued), (0, 1));
    assert_eq!(meanings_on_server(&team), 0);
    let found = app::team_search(&mia.library, "onboarding sessions", 5).unwrap();
    assert!(found.hits[0].by_words && found.hits[0].similarity.is_none());

    // The next sync sends them, once.
    admin
        .batch_execute("GRANT INSERT ON zapis.segment_meanings_fresh TO zapis_rep")
        .unwrap();
    let report = ana.sync().unwrap();
    assert_eq!((report.pushed, report.meanings_pushed), (0, 3));
    assert_eq!(app::team_status(&ana.library).unwrap().meanings_queued, 0);
    assert_eq!(ana.sync().unwrap().meanings_pushed, 0);
    assert_eq!(
        meanings_in_graph_and_fresh(&team),
        (3, 0),
        "the sync moved them"
    );

    // A corrected line: the call goes again, the other lines keep their vectors on the server
    // and only the changed one is indexed anew.
    lines[2] = "Our engineers want a sandbox to test the integration.";
    ana.reword(id, &lines);
    let report = ana.sync().unwrap();
    assert_eq!((report.pushed, report.meanings_pushed), (1, 1));
    assert_eq!(meanings_on_server(&team), 3);
    let found = app::team_search(&mia.library, "a test environment for developers", 5).unwrap();
    assert!(found.hits[0].text.contains("sandbox"), "{found:#?}");
    assert!(found.hits.iter().all(|h| !h.text.contains("dashboard")));
}

#[test]
fn without_the_model_or_pgvector_the_team_searches_words_and_says_which_is_missing() {
    // A computer without the sentence model, on a team library with pgvector.
    let (team, _) = Team::with_setup(pgvector_cluster(), "meaning_nomodel");
    team.add("ana", false);
    let mut ana = Rep::join(&team, "ana", SharePolicy::ChosenCalls);
    ana.call_saying(
        "Acme renewal",
        "carl@acme.example",
        &["We would like the onboarding sessions to start next Tuesday."],
    );
    ana.sync().unwrap();
    let found = app::team_search(&ana.library, "onboarding", 5).unwrap();
    assert_eq!(found.meaning_off, Some(MeaningOff::ModelNotInstalled));
    assert_eq!(found.hits.len(), 1);
    assert!(found.hits[0].by_words && found.hits[0].similarity.is_none());

    // Debian 12's PostgreSQL has no pgvector: setup says what to do, search still finds words.
    let (team, meaning) = Team::with_setup(cluster(), "meaning_nopgvector");
    assert_eq!(meaning, MeaningSearch::PgvectorMissing);
    assert!(meaning.advice().contains("CREATE EXTENSION vector"));
    team.add("ana", false);
    let mut ana = Rep::join(&team, "ana", SharePolicy::ChosenCalls).with_sentence_model();
    let id = ana.call_saying(
        "Acme renewal",
        "carl@acme.example",
        &["We would like the onboarding sessions to start next Tuesday."],
    );
    app::index_call(&mut ana.library, id).unwrap();
    assert_eq!(
        ana.sync().unwrap().pushed,
        1,
        "vectors stay home, the call goes"
    );
    let found = app::team_search(&ana.library, "onboarding", 5).unwrap();
    assert_eq!(found.meaning_off, Some(MeaningOff::NotOnServer));
    assert_eq!(found.hits.len(), 1);
}

#[test]
fn vectors_are_found_by_meaning_before_a_sync_moves_them_into_the_graph() {
    let (team, _) = Team::with_setup(pgvector_cluster(), "meaning_fresh");
    team.add("ana", false);
    team.add("bob", false);
    team.add("mia", true);
    let mut ana = Rep::join(&team, "ana", SharePolicy::ChosenCalls).with_sentence_model();
    let mut bob = Rep::join(&team, "bob", SharePolicy::ChosenCalls).with_sentence_model();
    let mia = Rep::join(&team, "mia", SharePolicy::ChosenCalls).with_sentence_model();

    // No one may move vectors into the graph for now: Ana's stay where they arrived, and her
    // sync still succeeds (moving them is housekeeping).
    let mut admin = team.sql_admin();
    allow_moving(&mut admin, false);
    let renewal = ana.call_saying(
        "Acme renewal",
        "carl@acme.example",
        &[
            "Honestly, the cost is well above what we budgeted for this year.",
            "We would like the onboarding sessions to start next Tuesday.",
        ],
    );
    let pilot = ana.call_saying(
        "Acme pilot",
        "carl@acme.example",
        &["Our staff still need training on the new dashboard."],
    );
    app::index_call(&mut ana.library, renewal).unwrap();
    app::index_call(&mut ana.library, pilot).unwrap();
    let report = ana.sync().unwrap();
    assert_eq!((report.meanings_pushed, report.meanings_indexed), (3, 0));
    assert_eq!(app::team_status(&ana.library).unwrap().meanings_queued, 0);
    assert_eq!(meanings_in_graph_and_fresh(&team), (0, 3));

    // Found by meaning all the same, by whoever may see the call, and only by them.
    let found = app::team_search(&mia.library, "pricing objections", 5).unwrap();
    let first = &found.hits[0];
    assert!(first.text.starts_with("Honestly, the cost"), "{found:#?}");
    assert!(!first.by_words && first.similarity.is_some(), "{first:?}");
    let before = first.similarity;
    let found = app::team_search(&ana.library, "pricing objections", 5).unwrap();
    assert!(
        found.hits[0].text.starts_with("Honestly, the cost") && found.hits[0].similarity == before,
        "the rep finds her own: {found:#?}"
    );
    let found = app::team_search(&bob.library, "pricing objections", 5).unwrap();
    assert!(
        found.hits.iter().all(|h| h.title != "Acme renewal"),
        "{found:#?}"
    );

    // Unsharing a call whose vectors wait takes them too.
    app::share(&mut ana.library, &ShareScope::Call(pilot), false).unwrap();
    ana.sync().unwrap();
    assert_eq!(meanings_in_graph_and_fresh(&team), (0, 2));

    // Any member's next sync moves them, here Bob's, who has nothing of his own to push; the
    // search finds the same line, as near as before.
    allow_moving(&mut admin, true);
    let report = bob.sync().unwrap();
    assert_eq!((report.pushed, report.meanings_indexed), (0, 2));
    assert_eq!(meanings_in_graph_and_fresh(&team), (2, 0));
    let found = app::team_search(&mia.library, "pricing objections", 5).unwrap();
    assert!(
        found.hits[0].text.starts_with("Honestly, the cost"),
        "{found:#?}"
    );
    assert_eq!(found.hits[0].similarity, before);

    // Unsharing takes them out of the graph too.
    app::share(&mut ana.library, &ShareScope::Call(renewal), false).unwrap();
    ana.sync().unwrap();
    assert_eq!(meanings_in_graph_and_fresh(&team), (0, 0));
}

/// Whether members may move fresh vectors into the graph (a sync does it at its end).
fn allow_moving(admin: &mut postgres::Client, allowed: bool) {
    let (grant, to) = if allowed {
        ("GRANT", "TO")
    } else {
        ("REVOKE", "FROM")
    };
    admin
        .batch_execute(&format!(
            "{grant} EXECUTE ON FUNCTION zapis.index_fresh_meanings(integer) {to} zapis_rep"
        ))
        .unwrap();
}

/// Lines in the team library whose vector was made from other words than the line has now.
fn stale_meanings(team: &Team) -> i64 {
    team.count(
        &mut team.sql_admin(),
        "SELECT count(*) FROM (SELECT call_id, seq, words_md5 FROM zapis.segment_meanings
                               UNION ALL
                               SELECT call_id, seq, words_md5 FROM zapis.segment_meanings_fresh) m
         JOIN zapis.segments s ON s.call_id = m.call_id AND s.seq = m.seq
         WHERE md5(s.text) <> m.words_md5",
    )
}

#[test]
fn a_line_reworded_while_its_vector_is_moved_into_the_graph_gets_its_new_vector() {
    let (team, _) = Team::with_setup(pgvector_cluster(), "meaning_race");
    team.add("ana", false);
    let mut ana = Rep::join(&team, "ana", SharePolicy::ChosenCalls).with_sentence_model();
    let mut admin = team.sql_admin();
    allow_moving(&mut admin, false);
    let mut lines = vec![
        "Honestly, the cost is well above what we budgeted for this year.",
        "Our staff still need training on the new dashboard.",
    ];
    let id = ana.call_saying("Acme renewal", "carl@acme.example", &lines);
    app::index_call(&mut ana.library, id).unwrap();
    ana.sync().unwrap();
    assert_eq!(meanings_in_graph_and_fresh(&team), (0, 2));
    allow_moving(&mut admin, true);

    // Another sync is moving the two lines into the graph and has not committed yet...
    let mut mover = team.sql_admin();
    let mut moving = mover.transaction().unwrap();
    let moved: i32 = moving
        .query_one("SELECT zapis.index_fresh_meanings(500)", &[])
        .unwrap()
        .get(0);
    assert_eq!(moved, 2);

    // ...when Ana rewords a line and pushes the call again: her push waits for the move.
    lines[1] = "Our engineers want a sandbox to test the integration.";
    ana.reword(id, &lines);
    let role = team.role("ana");
    let pushing = std::thread::spawn(move || {
        let report = ana.sync();
        (ana, report)
    });
    let waiting = |admin: &mut postgres::Client| -> i64 {
        admin
            .query_one(
                "SELECT count(*) FROM pg_stat_activity
                 WHERE usename = $1 AND wait_event_type = 'Lock'",
                &[&role],
            )
            .unwrap()
            .get(0)
    };
    let mut waited = 0;
    while waiting(&mut admin) == 0 {
        assert!(waited < 3000, "Ana's push never waited for the move");
        std::thread::sleep(std::time::Duration::from_millis(10));
        waited += 1;
    }
    moving.commit().unwrap();
    let (_ana, report) = pushing.join().unwrap();
    let report = report.unwrap();
    assert_eq!((report.pushed, report.meanings_pushed), (1, 1));

    // The old vector of the reworded line is gone; the new one is there, and nothing else.
    assert_eq!(stale_meanings(&team), 0);
    assert_eq!(meanings_on_server(&team), 2);
}

#[test]
fn a_team_library_set_up_before_fresh_vectors_keeps_working_and_gets_them_from_the_next_setup() {
    let (team, _) = Team::with_setup(pgvector_cluster(), "meaning_upgrade");
    // Back to what `zapis team setup` made before meaning_fresh.sql: no fresh table, the search
    // function of meaning.sql alone.
    let mut admin = team.sql_admin();
    let schema: String = admin
        .query_one(
            "SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'vector'",
            &[],
        )
        .unwrap()
        .get(0);
    let first_step = include_str!("../../src/team/meaning.sql");
    let search = &first_step[first_step
        .find("CREATE FUNCTION zapis.search_by_meaning")
        .unwrap()..];
    admin
        .batch_execute(&format!(
            "DROP FUNCTION zapis.index_fresh_meanings(integer);
             DROP TABLE zapis.segment_meanings_fresh;
             DROP FUNCTION zapis.search_by_meaning(real[], integer);
             {}",
            search.replace("@vector@", &schema)
        ))
        .unwrap();
    team.add("ana", false);
    team.add("mia", true);
    let mut ana = Rep::join(&team, "ana", SharePolicy::ChosenCalls).with_sentence_model();
    let mia = Rep::join(&team, "mia", SharePolicy::ChosenCalls).with_sentence_model();
    let mut lines = vec![
        "Honestly, the cost is well above what we budgeted for this year.",
        "Our staff still need training on the new dashboard.",
    ];
    let id = ana.call_saying("Acme renewal", "carl@acme.example", &lines);
    app::index_call(&mut ana.library, id).unwrap();

    // The vectors go straight into the graph, as they did.
    let report = ana.sync().unwrap();
    assert_eq!((report.meanings_pushed, report.meanings_indexed), (2, 0));
    let graph = team.count(&mut admin, "SELECT count(*) FROM zapis.segment_meanings");
    assert_eq!(graph, 2);
    let found = app::team_search(&mia.library, "pricing objections", 5).unwrap();
    assert!(
        found.hits[0].text.starts_with("Honestly, the cost"),
        "{found:#?}"
    );

    // The next setup adds the fresh table; a changed line's vector goes through it.
    let _roles = super::ROLES.lock().unwrap_or_else(|e| e.into_inner());
    let setup = app::setup_team(&team.admin()).unwrap();
    drop(_roles);
    assert_eq!(setup.meaning, MeaningSearch::On);
    lines[1] = "Our engineers want a sandbox to test the integration.";
    ana.reword(id, &lines);
    let report = ana.sync().unwrap();
    assert_eq!((report.meanings_pushed, report.meanings_indexed), (1, 1));
    assert_eq!(meanings_in_graph_and_fresh(&team), (2, 0));
    let found = app::team_search(&mia.library, "a test environment for developers", 5).unwrap();
    assert!(found.hits[0].text.contains("sandbox"), "{found:#?}");
}
