//! The audio server dying mid-recording: `zapis record` must stop at once, say why (in the
//! events' `detail` and on stderr), exit with status 1 and keep what was recorded. The test runs
//! its own PulseAudio server (`scripts/pulse-test-env.sh` in a private folder) and kills it, so
//! the shared test server other tests use is never touched.

mod support;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::Value;
use support::recording::zapis;

/// A private PulseAudio server; killed on drop if the test did not kill it already.
struct PrivateServer {
    dir: tempfile::TempDir,
    env: Vec<(String, String)>,
}

impl PrivateServer {
    fn start() -> PrivateServer {
        let dir = tempfile::tempdir().unwrap();
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/pulse-test-env.sh");
        let out = Command::new("bash")
            .arg(script)
            .env("ZAPIS_PULSE_DIR", dir.path())
            .output()
            .expect("run scripts/pulse-test-env.sh");
        assert!(
            out.status.success(),
            "private PulseAudio did not start: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let env = String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter_map(|l| l.strip_prefix("export "))
            .filter_map(|l| l.split_once('='))
            .map(|(k, v)| (k.to_owned(), v.trim_matches('\'').to_owned()))
            .collect();
        PrivateServer { dir, env }
    }

    fn pid_file(&self) -> PathBuf {
        self.dir.path().join("pulse/pid")
    }

    /// Kills the server the way a crash would: no goodbye to its clients.
    fn kill(&self) {
        if let Ok(pid) = std::fs::read_to_string(self.pid_file()) {
            let _ = Command::new("kill").args(["-9", pid.trim()]).status();
        }
    }
}

impl Drop for PrivateServer {
    fn drop(&mut self) {
        self.kill();
    }
}

#[test]
fn audio_server_dying_stops_the_call_with_a_reason_and_exit_1() {
    let server = PrivateServer::start();
    let data = tempfile::tempdir().unwrap();
    let mut cmd = zapis(data.path());
    cmd.args([
        "record",
        "--participant",
        "Rita Rep",
        "--participant",
        "Carl Customer",
        "--consent",
        "granted",
        "--model",
        "none",
        "--seconds",
        "40",
        "--events",
        "json",
    ]);
    for (k, v) in &server.env {
        cmd.env(k, v);
    }
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel::<Value>();
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if let Ok(value) = serde_json::from_str(&line) {
                let _ = tx.send(value);
            }
        }
    });
    let first = rx.recv_timeout(Duration::from_secs(20)).expect("no event");
    assert_eq!(first["state"], "recording", "{first}");
    std::thread::sleep(Duration::from_secs(3));
    let killed_at = Instant::now();
    server.kill();

    let deadline = killed_at + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("zapis record was still running 20 s after the audio server died");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let took = killed_at.elapsed();
    let _ = reader.join();
    let events: Vec<Value> = rx.try_iter().collect();
    let mut stderr = String::new();
    if let Some(mut err) = child.stderr.take() {
        use std::io::Read;
        let _ = err.read_to_string(&mut stderr);
    }
    println!("stopped {took:?} after the kill; stderr: {stderr}");
    for e in events.iter().filter(|e| e["type"] != "level") {
        println!("{e}");
    }

    assert_eq!(status.code(), Some(1), "exit status; stderr: {stderr}");
    assert!(
        took < Duration::from_secs(10),
        "took {took:?} to notice the server was gone"
    );
    assert!(
        stderr.contains("recording stopped early") && stderr.contains("audio server"),
        "stderr must say why: {stderr}"
    );
    let processing = events
        .iter()
        .find(|e| e["type"] == "state" && e["state"] == "processing")
        .expect("a processing state event");
    let detail = processing["detail"].as_str().unwrap_or_default();
    assert!(
        detail.contains("audio server"),
        "the stop event's detail must name the cause: {processing}"
    );
    assert!(
        events
            .iter()
            .any(|e| e["type"] == "error" && e["fatal"] == true),
        "a fatal error event"
    );
    // The audio recorded before the server died is kept.
    let call_id = processing["call_id"].as_i64().unwrap();
    let mic = data
        .path()
        .join("calls")
        .join(call_id.to_string())
        .join("mic.wav");
    let kept = hound::WavReader::open(&mic).unwrap().duration() as f64 / 16_000.0;
    assert!(kept > 2.0, "only {kept:.2} s kept in {}", mic.display());

    // The call's own record says so too, wherever it is read later.
    let show = zapis(data.path())
        .args(["calls", "show", &call_id.to_string(), "--json"])
        .output()
        .unwrap();
    assert!(
        show.status.success(),
        "{}",
        String::from_utf8_lossy(&show.stderr)
    );
    let call: Value = serde_json::from_slice(&show.stdout).unwrap();
    let notes = call["capture_notes"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(
        notes
            .iter()
            .any(|n| n.as_str().is_some_and(|n| n.contains("audio server"))),
        "calls show must carry the reason capture ended: {notes:?}"
    );
}
