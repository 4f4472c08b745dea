//! Who sees what, and people's rights across the team: row-level security proved with SQL as
//! each role, a removed rep, erasures from either side (one during another rep's sync), and a
//! person's copy of what the team holds.

use super::*;

#[test]
fn row_level_security_shows_each_role_only_what_it_may_see() {
    let team = Team::new("rls");
    team.add("ana", false);
    team.add("bob", false);
    team.add("mia", true);
    let mut ana = Rep::join(&team, "ana", SharePolicy::AllCalls);
    let mut bob = Rep::join(&team, "bob", SharePolicy::AllCalls);
    ana.call("Ana private", "x@initech.example", Decision::Granted, 5);
    let acme = ana.call("Ana Acme", "carl@acme.example", Decision::Granted, 7);
    bob.call("Bob private", "y@globex.example", Decision::Granted, 3);
    // Ana's Acme call belongs to the Acme account, which Bob works too.
    ana.library
        .upsert_contacts(&[ContactRecord {
            email: "carl@acme.example".into(),
            name: "Carl Customer".into(),
            account: Some("Acme".into()),
            ..Default::default()
        }])
        .unwrap();
    ana.library.link_call(acme, "carl@acme.example").unwrap();
    app::assign_account(&team.admin(), &team.role("bob"), "Acme").unwrap();
    ana.sync().unwrap();
    bob.sync().unwrap();

    let titles = |member: &str| -> Vec<String> {
        let mut client = team.sql(member);
        client
            .query("SELECT title FROM zapis.calls ORDER BY title", &[])
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect()
    };
    assert_eq!(titles("ana"), ["Ana Acme", "Ana private"]);
    assert_eq!(
        titles("bob"),
        ["Ana Acme", "Bob private"],
        "Bob sees his own and Acme's"
    );
    assert_eq!(titles("mia"), ["Ana Acme", "Ana private", "Bob private"]);

    let mut bob_sql = team.sql("bob");
    assert_eq!(
        team.count(&mut bob_sql, "SELECT count(*) FROM zapis.segments"),
        7 + 3,
        "segments follow their calls"
    );
    let ana_rep = team.role("ana");
    for statement in [
        format!("UPDATE zapis.calls SET title = 'x' WHERE rep = '{ana_rep}'"),
        format!("DELETE FROM zapis.calls WHERE rep = '{ana_rep}'"),
        "DELETE FROM zapis.segments".to_string(),
    ] {
        let changed = bob_sql.execute(statement.as_str(), &[]).unwrap();
        let own = if statement.contains("segments") { 3 } else { 0 };
        assert_eq!(
            changed, own,
            "{statement}: only Bob's own rows are writable"
        );
    }
    let forged = bob_sql.execute(
        "INSERT INTO zapis.calls (global_id, rep, title, started_at, duration_ms, language, source)
         VALUES ('forged', $1, 't', now(), 0, 'en', 'recorded')",
        &[&ana_rep],
    );
    assert!(forged.is_err(), "Bob cannot write a call as Ana");
    assert_eq!(
        titles("ana"),
        ["Ana Acme", "Ana private"],
        "Ana's rows are untouched"
    );
    let bob_address = team.address("bob");
    let err =
        app::erase_from_team(&bob.library, Some(&bob_address), "carl@acme.example").unwrap_err();
    assert_eq!(err.code().as_str(), "team.refused", "{err}");
}

#[test]
fn a_removed_rep_can_no_longer_sync_and_keeps_everything_locally() {
    let team = Team::new("removed");
    team.add("bob", false);
    team.add("mia", true);
    let mut bob = Rep::join(&team, "bob", SharePolicy::AllCalls);
    bob.call("Shared before", "y@globex.example", Decision::Granted, 3);
    bob.sync().unwrap();
    app::remove_team_member(&team.admin(), &team.role("bob")).unwrap();
    bob.call("Made after", "z@globex.example", Decision::Granted, 3);
    let err = bob.sync().unwrap_err();
    assert!(matches!(err, TeamError::LoginRefused { .. }), "{err}");
    assert_eq!(
        bob.library.team_outbox().unwrap().len(),
        1,
        "the new call waits"
    );
    assert_eq!(bob.library.call_count().unwrap(), 2);
    let mut mia = team.sql("mia");
    assert_eq!(
        team.count(&mut mia, "SELECT count(*) FROM zapis.calls"),
        1,
        "what Bob shared stays the team's"
    );
}

#[test]
fn erasure_by_a_manager_reaches_every_rep_even_during_a_sync() {
    let team = Team::new("erase");
    team.add("ana", false);
    team.add("bob", false);
    team.add("mia", true);
    let relay = Relay::start(&team.cluster);
    let mut ana = Rep::join(&team, "ana", SharePolicy::AllCalls);
    let mut bob = Rep::join(&team, "bob", SharePolicy::AllCalls);
    bob.address = relay.address(&team, "bob");
    ana.call("Ana with Erin", "erin@acme.example", Decision::Granted, 10);
    ana.call("Ana without", "carl@acme.example", Decision::Granted, 10);
    ana.sync().unwrap();
    for i in 0..8 {
        bob.call(
            &format!("Bob with Erin {i}"),
            "erin@acme.example",
            Decision::Granted,
            200,
        );
    }

    // Bob's pushes and the manager's erasure run at the same time.
    let syncing = std::thread::spawn(move || {
        let report = bob.sync();
        (bob, report)
    });
    std::thread::sleep(Duration::from_millis(30));
    let manager = tempfile::tempdir().unwrap();
    let library = Library::open(manager.path()).unwrap();
    let erased =
        app::erase_from_team(&library, Some(&team.address("mia")), "Erin@acme.example").unwrap();
    assert!(erased.calls >= 1, "{erased:?}");
    let (mut bob, report) = syncing.join().unwrap();
    // Bob's running sync may have started after the erasure and applied it already.
    let erased_by_running_sync = report.unwrap().people_erased;

    let mut sql = team.sql_admin();
    let erin = "SELECT count(*) FROM zapis.participants WHERE lower(email) = 'erin@acme.example'";
    assert_eq!(
        team.count(&mut sql, erin),
        0,
        "nothing of Erin is left, whatever the order"
    );
    let audit: serde_json::Value = sql
        .query_one(
            "SELECT detail FROM zapis.audit WHERE action = 'person.erased'",
            &[],
        )
        .unwrap()
        .get(0);
    assert!(
        !audit.to_string().contains("erin"),
        "the audit keeps counts only: {audit}"
    );

    // Each rep's next sync erases Erin locally, and nothing brings her back.
    assert_eq!(ana.sync().unwrap().people_erased, 1);
    assert_eq!(
        erased_by_running_sync + bob.sync().unwrap().people_erased,
        1
    );
    assert!(ana
        .library
        .calls_involving("erin@acme.example")
        .unwrap()
        .is_empty());
    assert!(bob
        .library
        .calls_involving("erin@acme.example")
        .unwrap()
        .is_empty());
    assert_eq!(team.count(&mut sql, erin), 0);
    assert_eq!(
        team.count(&mut sql, "SELECT count(*) FROM zapis.calls"),
        1,
        "Ana's other call stays"
    );
}

#[test]
fn erasure_and_withdrawal_on_the_reps_machine_delete_the_shared_rows() {
    let team = Team::new("local");
    team.add("ana", false);
    let mut ana = Rep::join(&team, "ana", SharePolicy::AllCalls);
    ana.call("With Erin", "erin@acme.example", Decision::Granted, 10);
    let withdrawn = ana.call("With Carl", "carl@acme.example", Decision::Granted, 10);
    ana.call("With Dana", "dana@acme.example", Decision::Granted, 10);
    ana.sync().unwrap();
    let mut sql = team.sql_admin();
    assert_eq!(team.count(&mut sql, "SELECT count(*) FROM zapis.calls"), 3);

    app::erase_person(&mut ana.library, "erin@acme.example").unwrap();
    ana.library
        .record_consent(
            withdrawn,
            &NewConsentReceipt {
                participant_name: "Carl Customer".into(),
                participant_email: Some("carl@acme.example".into()),
                decision: Decision::Withdrawn,
                decided_at: Utc::now(),
                notice_version: "en-1".into(),
                language: "en".into(),
                method: ConsentMethod::Verbal,
            },
        )
        .unwrap();
    let report = ana.sync().unwrap();
    assert_eq!(report.removed, 2, "{report:?}");
    let titles: Vec<String> = sql
        .query("SELECT title FROM zapis.calls", &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(titles, ["With Dana"]);
}

#[test]
fn a_person_gets_a_copy_of_everything_the_team_holds_about_them() {
    let team = Team::new("export");
    team.add("ana", false);
    team.add("bob", false);
    team.add("mia", true);
    let mut ana = Rep::join(&team, "ana", SharePolicy::AllCalls);
    let mut bob = Rep::join(&team, "bob", SharePolicy::AllCalls);
    ana.call("Ana with Erin", "erin@acme.example", Decision::Granted, 6);
    ana.call("Ana with Carl", "carl@acme.example", Decision::Granted, 6);
    bob.call("Bob with Erin", "erin@acme.example", Decision::Granted, 3);
    ana.sync().unwrap();
    bob.sync().unwrap();

    let export_as = |member: &str| {
        let server = Server::parse(&team.address(member)).unwrap();
        let mut client = server.connect().unwrap();
        team::export_person(&server, &mut client, "ERIN@acme.example").unwrap()
    };
    let all = export_as("mia");
    let titles: Vec<&str> = all.calls.iter().map(|c| c.title.as_str()).collect();
    assert_eq!(titles.len(), 2, "{titles:?}");
    assert!(titles.contains(&"Ana with Erin") && titles.contains(&"Bob with Erin"));
    let transcript_lines: usize = all.calls.iter().map(|c| c.transcript.len()).sum();
    assert_eq!(transcript_lines, 6 + 3);
    assert!(all
        .calls
        .iter()
        .all(|c| c.consent.len() == 2 && c.action_items.len() == 1));
    assert!(!all.erased_from_team);
    assert_eq!(
        export_as("ana").calls.len(),
        1,
        "a rep's export holds what the rep may see"
    );

    let manager = tempfile::tempdir().unwrap();
    let library = Library::open(manager.path()).unwrap();
    app::erase_from_team(&library, Some(&team.address("mia")), "erin@acme.example").unwrap();
    let after = export_as("mia");
    assert!(after.erased_from_team && after.calls.is_empty());
}
