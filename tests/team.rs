//! The team library against a real PostgreSQL server (the throw-away cluster that
//! scripts/pg-test-env.sh starts; scripts/test.sh does it for every run) and real SQLite
//! libraries of several reps: what is shared, idempotent re-pushes, a server that goes away
//! mid-sync, row-level security proved with SQL as each role, removal from the team, and
//! erasures from either side, one of them while another rep's sync is running. Search by
//! meaning runs against a second cluster with pgvector (`meaning`).

mod common;
#[path = "team/connection.rs"]
mod connection;
#[path = "team/meaning.rs"]
mod meaning;
#[path = "team/rights.rs"]
mod rights;
#[path = "team/sync.rs"]
mod sync;
#[path = "team/view.rs"]
mod view;

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
