//! What people see: the command line's join, share, sync and status, the manager's team view,
//! and where each call stands with the team.

use super::*;

#[test]
fn the_command_line_joins_shares_syncs_and_reports() {
    let team = Team::new("cli");
    team.add("ana", false);
    let dir = tempfile::tempdir().unwrap();
    consented_call_in(dir.path(), "Acme pricing");
    // The password lives in the user's password file, as for psql.
    let pgpass = dir.path().join("pgpass");
    std::fs::write(
        &pgpass,
        format!("*:*:*:{}:{}\n", team.role("ana"), team.cluster.password),
    )
    .unwrap();
    let address = format!(
        "postgres://{}@{}:{}/{}",
        team.role("ana"),
        team.cluster.dir.replace('/', "%2F"),
        team.cluster.port,
        team.db
    );
    let zapis_team = |args: &[&str]| {
        let mut cmd = zapis(dir.path());
        cmd.env("PGPASSFILE", &pgpass)
            .env_remove("PGPASSWORD")
            .arg("team")
            .args(args);
        cmd
    };
    // A rep cannot change the team's default; the owner can, and a rep who joins starts with it.
    let out = zapis_team(&["default-policy", &team.address("ana"), "all-calls"])
        .output()
        .unwrap();
    assert!(!out.status.success(), "a rep set the team's default");
    zapis_team(&["default-policy", &team.admin(), "all-calls"])
        .assert()
        .success();
    zapis_team(&["join", &address]).assert().success();
    let out = zapis_team(&["status", "--json"]).output().unwrap();
    let status: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(status["queued"], 1, "{status}");
    assert_eq!(status["membership"]["rep"], team.role("ana"));
    assert_eq!(status["membership"]["policy"], "all-calls", "{status}");
    zapis_team(&["unshare", "--all"]).assert().success();
    zapis_team(&["share", "1"])
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "Call 1 shared; it goes with the next sync.",
        ));
    let out = zapis_team(&["sync", "--json"]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["pushed"], 1, "{report}");
    let out = zapis_team(&["status", "--json"]).output().unwrap();
    let status: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(status["queued"], 0);
    assert!(status["membership"]["last_sync_at"].is_string());
    let db = std::fs::read(dir.path().join(DB_FILE)).unwrap();
    let secret = team.cluster.password.as_bytes();
    assert!(
        !db.windows(secret.len()).any(|w| w == secret),
        "no password in the data folder"
    );

    // A wrong password: a clear error that names the user, and the queue is kept.
    std::fs::write(&pgpass, format!("*:*:*:{}:wrong\n", team.role("ana"))).unwrap();
    zapis_team(&["share", "--all"]).assert().success();
    let out = zapis_team(&["sync"]).output().unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("refused to log in") && stderr.contains(&team.role("ana")),
        "{stderr}"
    );
}

#[test]
fn the_team_view_shows_each_viewer_what_they_may_see() {
    let team = Team::new("view");
    team.add("ana", false);
    team.add("bob", false);
    team.add("mia", true);
    let mut ana = Rep::join(&team, "ana", SharePolicy::AllCalls);
    let mut bob = Rep::join(&team, "bob", SharePolicy::AllCalls);
    ana.call("Acme pricing", "carl@acme.example", Decision::Granted, 12);
    ana.call("Acme legal", "lena@acme.example", Decision::Granted, 4);
    bob.call("Globex intro", "gina@globex.example", Decision::Granted, 6);
    ana.sync().unwrap();
    bob.sync().unwrap();

    let view_as = |member: &str| {
        let server = Server::parse(&team.address(member)).unwrap();
        let mut client = server.connect().unwrap();
        let to = Utc::now() + chrono::Duration::days(1);
        let from = chrono::DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z")
            .unwrap()
            .to_utc();
        team::overview(&server, &mut client, from, to).unwrap()
    };
    let manager = view_as("mia");
    let rows: Vec<(String, i64, i64)> = manager
        .reps
        .iter()
        .map(|r| (r.name.clone(), r.calls, r.open_action_items))
        .collect();
    assert_eq!(
        rows,
        [
            ("ana".into(), 2, 2),
            ("bob".into(), 1, 1),
            ("mia".into(), 0, 0)
        ]
    );
    let ana_row = &manager.reps[0];
    assert!((ana_row.talk_share.unwrap() - 0.6).abs() < 1e-6);
    assert_eq!(ana_row.questions_per_call, Some(9.0));
    // Alternating turns of 4 s starting every 5 s: one customer turn is the longest monologue.
    assert_eq!(ana_row.longest_customer_monologue_ms, Some(4_000));
    assert_eq!(manager.talk_share_band, team::TALK_SHARE_BAND);

    let own: Vec<String> = view_as("bob").reps.iter().map(|r| r.name.clone()).collect();
    assert_eq!(
        own,
        ["bob"],
        "a rep's team view holds only what they may see"
    );

    let server = Server::parse(&team.address("mia")).unwrap();
    let mut client = server.connect().unwrap();
    let hits = team::search(&server, &mut client, "\"Acme legal\" pricing", 10).unwrap();
    assert_eq!(hits.len(), 4, "{hits:?}");
    assert!(hits.iter().all(|h| h.title == "Acme legal"));
    // A word in more lines than asked for is answered from the newest calls alone.
    let few = team::search(&server, &mut client, "pricing", 3).unwrap();
    assert_eq!(few.len(), 3);
    assert!(few.iter().all(|h| h.text.contains("pricing")));
    let server = Server::parse(&team.address("bob")).unwrap();
    let mut client = server.connect().unwrap();
    assert!(team::search(&server, &mut client, "pricing", 50)
        .unwrap()
        .iter()
        .all(|h| h.rep == team.role("bob")));
}

/// What the call view's switch shows: the rep's choice (for the call, a person on it, or the
/// default) and why a call stays on this computer, as the sync decides it.
#[test]
fn each_call_says_where_it_stands_with_the_team() {
    let team = Team::new("standing");
    team.add("ana", false);
    let mut ana = Rep::join(&team, "ana", SharePolicy::ChosenCalls);
    let agreed = ana.call("Agreed", "carl@acme.example", Decision::Granted, 2);
    let declined = ana.call("Declined", "dana@acme.example", Decision::Declined, 2);
    let standing = |rep: &Rep, id| rep.library.call_sharing(id).unwrap().unwrap();

    let first = standing(&ana, agreed);
    assert!(!first.chosen);
    assert_eq!(first.decided_by, ShareChoice::Policy);
    assert_eq!(first.held_back, Some(NotShared::NotChosen));
    assert!(first.waiting, "a new call waits in the queue");

    app::share(&mut ana.library, &ShareScope::Call(agreed), true).unwrap();
    app::share(&mut ana.library, &ShareScope::Call(declined), true).unwrap();
    let chosen = standing(&ana, agreed);
    assert!(chosen.chosen);
    assert_eq!(chosen.decided_by, ShareChoice::Call);
    assert_eq!(chosen.held_back, None);
    // Chosen, but somebody said no: it never leaves, whatever the rep chose.
    let refused = standing(&ana, declined);
    assert!(refused.chosen);
    assert_eq!(refused.held_back, Some(NotShared::ConsentMissing));

    assert_eq!(ana.sync().unwrap().pushed, 1);
    let synced = standing(&ana, agreed);
    assert!(!synced.waiting, "{synced:?}");
    assert_eq!(synced.held_back, None);

    // A person kept out keeps their calls out; the call's own choice still comes first.
    let other = ana.call("Other", "carl@acme.example", Decision::Granted, 2);
    app::share(
        &mut ana.library,
        &ShareScope::Contact("Carl@Acme.example".into()),
        false,
    )
    .unwrap();
    let kept_out = standing(&ana, other);
    assert_eq!(
        (kept_out.chosen, kept_out.decided_by),
        (false, ShareChoice::Contact)
    );
    assert!(kept_out.waiting);
    assert_eq!(standing(&ana, agreed).decided_by, ShareChoice::Call);

    // A call that is not there is an error that names it; a library in no team has no standing.
    assert!(ana.library.call_sharing(9_999).is_err());
    let alone = tempfile::tempdir().unwrap();
    let mut library = Library::open(alone.path()).unwrap();
    let id = library.create_call(&sample_call("Alone", 2)).unwrap();
    assert_eq!(app::call_sharing(&library, id).unwrap(), None);
}
