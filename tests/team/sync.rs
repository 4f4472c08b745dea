//! What a sync shares and how: only chosen calls everyone consented to, a re-push that replaces
//! itself, edits both ways with the last writer deciding on one clock, and a server that goes
//! away mid-sync.

use super::*;

#[test]
fn only_chosen_calls_everyone_consented_to_are_shared() {
    let team = Team::new("share");
    team.add("ana", false);
    let mut ana = Rep::join(&team, "ana", SharePolicy::ChosenCalls);
    let chosen = ana.call("Acme pricing", "carl@acme.example", Decision::Granted, 40);
    let declined = ana.call(
        "Globex intro",
        "gina@globex.example",
        Decision::Declined,
        10,
    );
    let _not_chosen = ana.call(
        "Initech demo",
        "ivan@initech.example",
        Decision::Granted,
        10,
    );
    app::share(&mut ana.library, &ShareScope::Call(chosen), true).unwrap();
    app::share(&mut ana.library, &ShareScope::Call(declined), true).unwrap();

    let report = ana.sync().unwrap();
    assert_eq!((report.pushed, report.queued), (1, 0), "{report:?}");
    let mut sql = team.sql_admin();
    assert_eq!(team.count(&mut sql, "SELECT count(*) FROM zapis.calls"), 1);
    assert_eq!(
        team.count(&mut sql, "SELECT count(*) FROM zapis.segments"),
        40
    );
    assert_eq!(
        team.count(&mut sql, "SELECT count(*) FROM zapis.consent_receipts"),
        2
    );
    assert_eq!(
        team.count(
            &mut sql,
            "SELECT count(*) FROM zapis.calls WHERE title = 'Globex intro'"
        ),
        0,
        "a call someone declined never leaves the machine"
    );
    let hits = team.count(
        &mut sql,
        "SELECT count(*) FROM zapis.segments WHERE words @@ plainto_tsquery('simple', 'pricing')",
    );
    assert_eq!(hits, 40, "team search finds the shared words");

    // Sharing by contact, then keeping the call out again: the team forgets it.
    app::share(
        &mut ana.library,
        &ShareScope::Contact("IVAN@initech.example".into()),
        true,
    )
    .unwrap();
    assert_eq!(ana.sync().unwrap().pushed, 1);
    assert_eq!(team.count(&mut sql, "SELECT count(*) FROM zapis.calls"), 2);
    app::share(
        &mut ana.library,
        &ShareScope::Contact("ivan@initech.example".into()),
        false,
    )
    .unwrap();
    assert_eq!(ana.sync().unwrap().removed, 1);
    assert_eq!(team.count(&mut sql, "SELECT count(*) FROM zapis.calls"), 1);
}

#[test]
fn a_call_pushed_again_replaces_itself_and_edits_flow_both_ways() {
    let team = Team::new("repush");
    team.add("ana", false);
    team.add("mia", true);
    let mut ana = Rep::join(&team, "ana", SharePolicy::AllCalls);
    let id = ana.call("Acme pricing", "carl@acme.example", Decision::Granted, 25);
    ana.sync().unwrap();
    // Joining again queues everything again, as a sync cut off after PostgreSQL committed but
    // before the outbox was marked would: nothing doubles.
    let address = ana.address.clone();
    app::join_team(&mut ana.library, &address, Some(SharePolicy::AllCalls)).unwrap();
    assert_eq!(ana.sync().unwrap().pushed, 1);
    let mut sql = team.sql_admin();
    assert_eq!(team.count(&mut sql, "SELECT count(*) FROM zapis.calls"), 1);
    assert_eq!(
        team.count(&mut sql, "SELECT count(*) FROM zapis.segments"),
        25
    );
    assert_eq!(
        team.count(&mut sql, "SELECT count(*) FROM zapis.action_items"),
        1
    );

    // The manager ticks the item off in the team library; Ana's next sync takes it.
    let item = ana.library.action_items(id).unwrap().remove(0);
    let mut mia = team.sql("mia");
    let changed = mia
        .execute("UPDATE zapis.action_items SET done = true", &[])
        .unwrap();
    assert_eq!(changed, 1);
    let report = ana.sync().unwrap();
    assert_eq!(report.edits_pulled, 1, "{report:?}");
    let local = ana.library.action_items(id).unwrap().remove(0);
    assert!(local.done && local.id == item.id);

    // Ana edits the text here; the team library gets it, stamped with her.
    ana.library
        .update_action_item(
            item.id,
            &ActionItemUpdate {
                text: Some("Send the revised proposal".into()),
                ..Default::default()
            },
        )
        .unwrap();
    ana.sync().unwrap();
    let row = sql
        .query_one("SELECT text, done, updated_by FROM zapis.action_items", &[])
        .unwrap();
    assert_eq!(row.get::<_, String>(0), "Send the revised proposal");
    assert!(
        row.get::<_, bool>(1),
        "the manager's tick survives Ana's later edit"
    );
    assert_eq!(row.get::<_, String>(2), team.role("ana"));
}

/// Runs Zapis on `rep`'s library under libfaketime with its clock `skew` off ("+1h", "-1h"),
/// as on a laptop whose clock is wrong; the team password comes from the keyring, as joined.
fn zapis_with_clock(rep: &Rep, skew: &str, args: &[&str]) -> std::process::Output {
    let out = std::process::Command::new("faketime")
        .args(["-f", skew])
        .arg(assert_cmd::cargo::cargo_bin("zapis"))
        .arg("--data-dir")
        .arg(rep._dir.path())
        .args(args)
        .env_remove("ZAPIS_DATA_DIR")
        .output()
        .expect("faketime runs (scripts/install-deps.sh installs it)");
    assert!(
        out.status.success(),
        "zapis {args:?} under faketime {skew}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// The last writer of an action item is decided on one clock. A rep's edits are stamped by
/// their laptop, a teammate's by the server; a laptop an hour fast must not win against a
/// later edit, nor one an hour slow lose to an earlier one.
#[test]
fn the_last_writer_wins_whatever_the_reps_clock_says() {
    let team = Team::new("clock");
    team.add("ana", false);
    team.add("bob", false);
    team.add("mia", true);
    let mut ana = Rep::join(&team, "ana", SharePolicy::AllCalls);
    let mut bob = Rep::join(&team, "bob", SharePolicy::AllCalls);
    let ana_call = ana.call("Acme pricing", "carl@acme.example", Decision::Granted, 5);
    let bob_call = bob.call(
        "Globex renewal",
        "gina@globex.example",
        Decision::Granted,
        5,
    );
    ana.sync().unwrap();
    bob.sync().unwrap();
    let ana_item = ana.library.action_items(ana_call).unwrap().remove(0).id;
    let bob_item = bob.library.action_items(bob_call).unwrap().remove(0).id;
    let mut mia = team.sql("mia");
    let mut mia_edits = |title: &str| {
        let changed = mia
            .execute(
                "UPDATE zapis.action_items a SET text = 'Mia''s wording', done = true
                 FROM zapis.calls c WHERE c.global_id = a.call_id AND c.title = $1",
                &[&title],
            )
            .unwrap();
        assert_eq!(changed, 1);
    };
    let pause = || std::thread::sleep(Duration::from_millis(50));
    let synced = |rep: &Rep, skew: &str| -> serde_json::Value {
        let out = zapis_with_clock(rep, skew, &["team", "sync", "--json"]);
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let item = |rep: &Rep, id: i64| {
        let found = rep.library.action_items(id).unwrap().remove(0);
        (found.text, found.done)
    };
    let shared = |title: &str| {
        let row = team
            .sql_admin()
            .query_one(
                "SELECT a.text, a.done FROM zapis.action_items a
                 JOIN zapis.calls c ON c.global_id = a.call_id WHERE c.title = $1",
                &[&title],
            )
            .unwrap();
        (row.get::<_, String>(0), row.get::<_, bool>(1))
    };

    // Ana's clock runs an hour fast. She rewords her item; then Mia rewords it and ticks it
    // off. Mia's is the last edit: it stays in the team library and reaches Ana.
    zapis_with_clock(
        &ana,
        "+1h",
        &[
            "calls",
            "item",
            &ana_item.to_string(),
            "--text",
            "Ana's wording",
        ],
    );
    pause();
    mia_edits("Acme pricing");
    let report = synced(&ana, "+1h");
    assert_eq!(report["edits_pulled"], 1, "{report}");
    assert_eq!(shared("Acme pricing"), ("Mia's wording".into(), true));
    assert_eq!(item(&ana, ana_call), ("Mia's wording".into(), true));

    // Bob's clock runs an hour slow. Mia edits his item first; then he rewords it. His is the
    // last edit: it replaces Mia's in the team library, and hers does not overwrite it here.
    mia_edits("Globex renewal");
    pause();
    zapis_with_clock(
        &bob,
        "-1h",
        &[
            "calls",
            "item",
            &bob_item.to_string(),
            "--text",
            "Bob's wording",
        ],
    );
    let report = synced(&bob, "-1h");
    assert_eq!(report["edits_pulled"], 0, "{report}");
    assert_eq!(shared("Globex renewal"), ("Bob's wording".into(), false));
    assert_eq!(item(&bob, bob_call), ("Bob's wording".into(), false));
}

#[test]
fn a_server_gone_mid_sync_loses_nothing_and_doubles_nothing() {
    let team = Team::new("offline");
    team.add("ana", false);
    let relay = Relay::start(&team.cluster);
    let mut ana = Rep::join(&team, "ana", SharePolicy::AllCalls);
    ana.address = relay.address(&team, "ana");
    for i in 0..6 {
        ana.call(
            &format!("Call {i}"),
            &format!("c{i}@acme.example"),
            Decision::Granted,
            60,
        );
    }
    // The server is down: the error says so, and everything stays queued.
    relay.down.store(true, Ordering::SeqCst);
    let err = ana.sync().unwrap_err();
    assert!(matches!(err, TeamError::Unreachable { .. }), "{err}");
    assert_eq!(ana.library.team_outbox().unwrap().len(), 6);

    // It comes back, then goes away again part-way through the pushes.
    relay.down.store(false, Ordering::SeqCst);
    relay.budget.store(9_000, Ordering::SeqCst);
    let err = ana.sync().unwrap_err();
    assert!(matches!(err, TeamError::Unreachable { .. }), "{err}");
    let mut sql = team.sql_admin();
    let pushed = team.count(&mut sql, "SELECT count(*) FROM zapis.calls");
    let queued = ana.library.team_outbox().unwrap().len() as i64;
    assert!(pushed < 6, "the cut came before the end ({pushed} pushed)");
    assert!(
        pushed + queued >= 6,
        "every call is on the server or still queued"
    );
    let status = app::team_status(&ana.library).unwrap();
    assert!(status.membership.unwrap().last_error.is_some());

    relay.budget.store(i64::MAX, Ordering::SeqCst);
    let report = ana.sync().unwrap();
    assert_eq!(report.queued, 0, "{report:?}");
    assert_eq!(team.count(&mut sql, "SELECT count(*) FROM zapis.calls"), 6);
    assert_eq!(
        team.count(&mut sql, "SELECT count(*) FROM zapis.segments"),
        360
    );
    assert_eq!(
        team.count(&mut sql, "SELECT count(*) FROM zapis.participants"),
        12
    );
}
