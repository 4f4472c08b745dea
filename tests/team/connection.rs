//! Reaching the server safely: TLS checked against the trust store, and a password kept in the
//! system keyring, never in the data folder.

use super::*;

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
