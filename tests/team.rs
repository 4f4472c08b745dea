//! The team library against a real PostgreSQL server (the throw-away cluster that
//! scripts/pg-test-env.sh starts; scripts/test.sh does it for every run) and real SQLite
//! libraries of several reps: what is shared, idempotent re-pushes, a server that goes away
//! mid-sync, row-level security proved with SQL as each role, removal from the team, and
//! erasures from either side, one of them while another rep's sync is running. Search by
//! meaning runs against a second cluster with pgvector (`meaning`).

mod common;
#[path = "team/meaning.rs"]
mod meaning;

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::Utc;
use common::*;
use zapis::app;
use zapis::storage::*;
use zapis::team::{self, NewMember, Server, TeamError};

/// Role names are cluster-wide, and creating the shared group roles races: one test at a time
/// sets up its team.
static ROLES: Mutex<()> = Mutex::new(());

struct Cluster {
    dir: String,
    port: String,
    /// The certificate authority of the cluster's TLS certificate (trusted by nothing else);
    /// None for the pgvector cluster, whose build has no TLS.
    ca: Option<String>,
    admin: String,
    password: String,
}

/// The cluster whose exports start with `prefix` (see scripts/pg-test-env.sh).
fn cluster_from(prefix: &str, script: &str) -> Cluster {
    let var = |name: &str| {
        let name = format!("{prefix}_{name}");
        std::env::var(&name).unwrap_or_else(|_| {
            panic!("{name} is not set: run the tests with scripts/test.sh, or in a dbus-run-session start the clusters and a keyring with eval \"$(scripts/{script})\" and eval \"$(scripts/keyring-test-env.sh)\"")
        })
    };
    Cluster {
        dir: var("DIR"),
        port: var("PORT"),
        ca: std::env::var(format!("{prefix}_CA")).ok(),
        admin: var("ADMIN"),
        password: var("PASSWORD"),
    }
}

fn cluster() -> Cluster {
    cluster_from("ZAPIS_TEST_PG", "pg-test-env.sh")
}

/// A team library in a database of its own; its people's roles start with the test's prefix.
struct Team {
    cluster: Cluster,
    db: String,
    prefix: String,
}

impl Team {
    fn new(name: &str) -> Team {
        Team::with_setup(cluster(), name).0
    }

    /// A team library on `cluster`, with what its setup said about search by meaning.
    fn with_setup(cluster: Cluster, name: &str) -> (Team, team::MeaningSearch) {
        let db = format!("zapis_test_{name}");
        let team = Team {
            cluster,
            db: db.clone(),
            prefix: name.to_string(),
        };
        let mut admin = postgres::Client::connect(
            &team.address_as(&team.cluster.admin, "postgres"),
            postgres::NoTls,
        )
        .expect("the test cluster accepts its admin");
        admin
            .batch_execute(&format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"))
            .unwrap();
        admin
            .batch_execute(&format!("CREATE DATABASE {db}"))
            .unwrap();
        let _roles = ROLES.lock().unwrap_or_else(|e| e.into_inner());
        let first = app::setup_team(&team.admin()).unwrap();
        assert!(first.created, "a new database gets the team library");
        let again = app::setup_team(&team.admin()).unwrap();
        assert!(!again.created, "a second setup only checks it");
        assert_eq!(again.meaning, first.meaning);
        (team, first.meaning)
    }

    fn address_as(&self, user: &str, db: &str) -> String {
        format!(
            "host={} port={} user={user} password={} dbname={db}",
            self.cluster.dir, self.cluster.port, self.cluster.password
        )
    }

    fn admin(&self) -> String {
        self.address_as(&self.cluster.admin, &self.db)
    }

    /// The address of a member (with the password: in-process tests pass it directly).
    fn address(&self, member: &str) -> String {
        self.address_as(&self.role(member), &self.db)
    }

    fn role(&self, member: &str) -> String {
        format!("{}_{member}", self.prefix)
    }

    fn add(&self, member: &str, manager: bool) {
        let _roles = ROLES.lock().unwrap_or_else(|e| e.into_inner());
        let role = self.role(member);
        app::add_team_member(
            &self.admin(),
            &NewMember {
                role: &role,
                display_name: member,
                manager,
                password: Some(&self.cluster.password),
            },
        )
        .unwrap();
    }

    fn sql(&self, member: &str) -> postgres::Client {
        postgres::Client::connect(&self.address(member), postgres::NoTls).unwrap()
    }

    fn sql_admin(&self) -> postgres::Client {
        postgres::Client::connect(&self.admin(), postgres::NoTls).unwrap()
    }

    fn count(&self, client: &mut postgres::Client, sql: &str) -> i64 {
        client.query_one(sql, &[]).unwrap().get(0)
    }
}

/// A rep's own library, joined to the team.
struct Rep {
    _dir: tempfile::TempDir,
    library: Library,
    address: String,
}

/// Joining keeps the password in the session's keyring; a test leaves nothing there.
impl Drop for Rep {
    fn drop(&mut self) {
        if let Ok(Some(membership)) = self.library.team_membership() {
            let account = team::keyring_account(&membership.server, self._dir.path());
            if let Ok(entry) = keyring::Entry::new("zapis-team", &account) {
                let _ = entry.delete_credential();
            }
        }
    }
}

impl Rep {
    fn join(team: &Team, member: &str, policy: SharePolicy) -> Rep {
        let dir = tempfile::tempdir().unwrap();
        let mut library = Library::open(dir.path()).unwrap();
        let address = team.address(member);
        let membership = app::join_team(&mut library, &address, Some(policy)).unwrap();
        assert!(
            !membership.server.contains(&team.cluster.password),
            "the password is never stored"
        );
        Rep {
            _dir: dir,
            library,
            address,
        }
    }

    fn sync(&mut self) -> Result<team::SyncReport, TeamError> {
        let server = Server::parse(&self.address)?;
        let mut client = server.connect()?;
        team::sync(&mut self.library, &server, &mut client)
    }

    /// A ready call with a customer, consent as given, `lines` segments and one action item.
    fn call(&mut self, title: &str, customer: &str, consent: Decision, lines: i64) -> i64 {
        let mut call = sample_call(title, 3);
        call.participants[1].email = Some(customer.into());
        let id = self.library.create_call(&call).unwrap();
        let segments: Vec<NewSegment> = (0..lines)
            .map(|i| {
                segment(
                    if i % 2 == 0 {
                        Role::Rep
                    } else {
                        Role::Customer
                    },
                    i * 5,
                    &format!("{title} line {i} about pricing"),
                )
            })
            .collect();
        self.library.append_segments(id, &segments).unwrap();
        for (name, email) in [
            ("Rita Rep", "rita@zapis.example"),
            ("Carl Customer", customer),
        ] {
            self.library
                .record_consent(
                    id,
                    &NewConsentReceipt {
                        participant_name: name.into(),
                        participant_email: Some(email.into()),
                        decision: if name == "Rita Rep" {
                            Decision::Granted
                        } else {
                            consent
                        },
                        decided_at: Utc::now(),
                        notice_version: "en-1".into(),
                        language: "en".into(),
                        method: ConsentMethod::OnScreen,
                    },
                )
                .unwrap();
        }
        self.library
            .save_insights(
                id,
                &InsightsRecord {
                    body: serde_json::json!({"summary": [], "metrics": {"per_speaker": [
                        {"speaker": "Rita Rep", "role": "rep", "talk_share": 0.6, "questions": 9},
                        {"speaker": "Carl Customer", "role": "customer", "talk_share": 0.4, "questions": 2}
                    ]}}),
                    sentiment_score: Some(0.3),
                    sentiment_label: Some("positive".into()),
                    action_items: vec![NewActionItem {
                        text: format!("Send the {title} proposal"),
                        owner: "Rita Rep".into(),
                        due: None,
                        segment_id: None,
                    }],
                    keywords: vec![],
                    terms: Default::default(),
                },
            )
            .unwrap();
        id
    }
}

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

/// A TCP relay to the cluster's socket that can be cut: after `budget` bytes from the client,
/// or at once while `down`.
struct Relay {
    port: u16,
    budget: Arc<AtomicI64>,
    down: Arc<AtomicBool>,
}

impl Relay {
    fn start(cluster: &Cluster) -> Relay {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let budget = Arc::new(AtomicI64::new(i64::MAX));
        let down = Arc::new(AtomicBool::new(false));
        let socket = Path::new(&cluster.dir).join(format!(".s.PGSQL.{}", cluster.port));
        let (b, d) = (budget.clone(), down.clone());
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                if d.load(Ordering::SeqCst) {
                    let _ = client.shutdown(Shutdown::Both);
                    continue;
                }
                let Ok(server) = UnixStream::connect(&socket) else {
                    continue;
                };
                let (c2, s2) = (client.try_clone().unwrap(), server.try_clone().unwrap());
                let budget = b.clone();
                std::thread::spawn(move || pump_client(client, server, budget));
                std::thread::spawn(move || pump_server(s2, c2));
            }
        });
        Relay { port, budget, down }
    }

    fn address(&self, team: &Team, member: &str) -> String {
        format!(
            "host=127.0.0.1 port={} user={} password={} dbname={} connect_timeout=5",
            self.port,
            team.role(member),
            team.cluster.password,
            team.db
        )
    }
}

fn pump_client(mut client: TcpStream, mut server: UnixStream, budget: Arc<AtomicI64>) {
    let mut buf = [0u8; 4096];
    while let Ok(n) = client.read(&mut buf) {
        if n == 0 || budget.fetch_sub(n as i64, Ordering::SeqCst) < n as i64 {
            break;
        }
        if server.write_all(&buf[..n]).is_err() {
            break;
        }
    }
    let _ = client.shutdown(Shutdown::Both);
    let _ = server.shutdown(Shutdown::Both);
}

fn pump_server(mut server: UnixStream, mut client: TcpStream) {
    let _ = std::io::copy(&mut server, &mut client);
    let _ = client.shutdown(Shutdown::Both);
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

/// A library in `dir` (not joined to a team) holding one call everyone consented to.
fn consented_call_in(dir: &Path, title: &str) -> i64 {
    let mut library = Library::open(dir).unwrap();
    let mut call = sample_call(title, 3);
    call.participants[1].email = Some("carl@acme.example".into());
    let id = library.create_call(&call).unwrap();
    for (name, email) in [
        ("Rita Rep", "rita@zapis.example"),
        ("Carl Customer", "carl@acme.example"),
    ] {
        library
            .record_consent(
                id,
                &NewConsentReceipt {
                    participant_name: name.into(),
                    participant_email: Some(email.into()),
                    decision: Decision::Granted,
                    decided_at: Utc::now(),
                    notice_version: "en-1".into(),
                    language: "en".into(),
                    method: ConsentMethod::OnScreen,
                },
            )
            .unwrap();
    }
    id
}

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

/// TLS as a rep's machine makes it. The cluster's TCP port lets in TLS connections only, with a
/// certificate from an authority of the cluster's own. With that authority in the trust store
/// (SSL_CERT_FILE, which the platform verifier reads as the system's store on Linux) the command
/// line joins and syncs; without it, it refuses, says the certificate is not trusted, and keeps
/// the queue.
#[test]
fn a_tls_server_is_used_when_trusted_and_refused_when_not() {
    let team = Team::new("tls");
    team.add("ana", false);
    let mut ana = Rep::join(&team, "ana", SharePolicy::AllCalls);
    ana.call("Over TLS", "carl@acme.example", Decision::Granted, 4);
    let over_tcp = |mode: &str| {
        format!(
            "postgres://{}@localhost:{}/{}?sslmode={mode}",
            team.role("ana"),
            team.cluster.port,
            team.db
        )
    };
    let zapis_team = |args: &[&str]| {
        let mut cmd = zapis(ana._dir.path());
        cmd.env("PGPASSWORD", &team.cluster.password)
            .env_remove("SSL_CERT_DIR")
            .arg("team")
            .args(args);
        cmd
    };

    // Not trusted: the system's store does not hold the cluster's authority.
    let out = zapis_team(&["join", &over_tcp("require")])
        .env_remove("SSL_CERT_FILE")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("certificate this computer does not trust")
            && stderr.contains("localhost")
            && stderr.contains("trust store"),
        "{stderr}"
    );

    // Trusted, but reached under a name the certificate does not carry: the advice is about the
    // name, not the trust store.
    let wrong_name = format!(
        "host=wrong-name.example hostaddr=127.0.0.1 port={} user={} dbname={} sslmode=require",
        team.cluster.port,
        team.role("ana"),
        team.db
    );
    let out = zapis_team(&["join", &wrong_name])
        .env("SSL_CERT_FILE", team.cluster.ca.as_deref().unwrap())
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("does not trust") && stderr.contains("issued for another name"),
        "{stderr}"
    );
    assert!(!stderr.contains("trust store"), "{stderr}");

    // Without TLS the port lets nobody in, so a login that works there went over TLS.
    let out = zapis_team(&["join", &over_tcp("disable")])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("no encryption"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // Trusted: join and sync over TLS.
    zapis_team(&["join", "--share-all", &over_tcp("require")])
        .env("SSL_CERT_FILE", team.cluster.ca.as_deref().unwrap())
        .assert()
        .success();
    let out = zapis_team(&["sync", "--json"])
        .env("SSL_CERT_FILE", team.cluster.ca.as_deref().unwrap())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["pushed"], 1, "{report}");
    let mut admin = team.sql_admin();
    assert_eq!(
        team.count(&mut admin, "SELECT count(*) FROM zapis.segments"),
        4,
        "the call's lines arrived"
    );
}

/// A password given with the address goes to the system keyring (a private gnome-keyring in test
/// runs, see scripts/keyring-test-env.sh), never to the data folder; later syncs find it there
/// with no PGPASSWORD and no password file, and leaving the team forgets it.
#[test]
fn a_password_given_at_joining_is_kept_in_the_keyring_until_leaving() {
    let team = Team::new("keyring");
    team.add("ana", false);
    let dir = tempfile::tempdir().unwrap();
    consented_call_in(dir.path(), "Kept password");
    let with_password = format!(
        "postgres://{}:{}@{}:{}/{}",
        team.role("ana"),
        team.cluster.password,
        team.cluster.dir.replace('/', "%2F"),
        team.cluster.port,
        team.db
    );
    // `zapis team …` on a library, with no password but the keyring's.
    let no_password_file = dir.path().join("no-password-file");
    let team_in = |library: &Path, args: &[&str]| {
        let mut cmd = zapis(library);
        cmd.env_remove("PGPASSWORD")
            .env("PGPASSFILE", &no_password_file)
            .arg("team")
            .args(args);
        cmd
    };
    let zapis_team = |args: &[&str]| team_in(dir.path(), args);
    zapis_team(&["join", "--share-all", &with_password])
        .assert()
        .success();
    let out = zapis_team(&["status", "--json"]).output().unwrap();
    let status: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let server = status["membership"]["server"].as_str().unwrap().to_string();
    assert!(!server.contains(&team.cluster.password), "{server}");
    let kept =
        keyring::Entry::new("zapis-team", &team::keyring_account(&server, dir.path())).unwrap();
    assert_eq!(kept.get_password().unwrap(), team.cluster.password);
    let db = std::fs::read(dir.path().join(DB_FILE)).unwrap();
    let secret = team.cluster.password.as_bytes();
    assert!(!db.windows(secret.len()).any(|w| w == secret));

    let out = zapis_team(&["sync", "--json"]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["pushed"], 1, "{report}");

    // A second library on this account joins the same address; leaving in one does not take
    // the password from the other.
    let other = tempfile::tempdir().unwrap();
    consented_call_in(other.path(), "Other folder");
    let other_team = |args: &[&str]| team_in(other.path(), args);
    other_team(&["join", "--share-all", &with_password])
        .assert()
        .success();
    zapis_team(&["leave"]).assert().success();
    assert!(
        matches!(kept.get_password(), Err(keyring::Error::NoEntry)),
        "leaving forgets the password"
    );
    let out = other_team(&["sync", "--json"]).output().unwrap();
    assert!(
        out.status.success(),
        "the other folder still syncs: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    other_team(&["leave"]).assert().success();

    // A password an older Zapis kept under the address alone is still found, copied to the
    // folder's own entry, and forgotten with it.
    zapis_team(&["join", "--share-all", &with_password])
        .assert()
        .success();
    kept.delete_credential().unwrap();
    let legacy = keyring::Entry::new("zapis-team", &server).unwrap();
    legacy.set_password(&team.cluster.password).unwrap();
    zapis_team(&["sync"]).assert().success();
    assert_eq!(kept.get_password().unwrap(), team.cluster.password);
    zapis_team(&["leave"]).assert().success();
    assert!(matches!(kept.get_password(), Err(keyring::Error::NoEntry)));
    assert!(matches!(
        legacy.get_password(),
        Err(keyring::Error::NoEntry)
    ));
}
