//! Driving `zapis record` in tests: a data folder with the model, a recording on the test's own
//! null sinks, and its JSON events.
#![allow(dead_code)]

use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use super::{require_pulse, TestSink};

/// The Whisper model from `scripts/test-fixtures.sh`. Outside CI a missing one skips the test;
/// with CI=true it fails, so CI never passes without running it.
pub fn model_fixture() -> Option<std::path::PathBuf> {
    match std::env::var_os("ZAPIS_TEST_MODEL") {
        Some(path) => Some(path.into()),
        None if std::env::var("CI").is_ok_and(|v| v == "true") => {
            panic!(
                "ZAPIS_TEST_MODEL must be set when CI=true: eval \"$(scripts/test-fixtures.sh)\""
            )
        }
        None => {
            eprintln!("skipping: set ZAPIS_TEST_MODEL (scripts/test-fixtures.sh) to run this test");
            None
        }
    }
}

pub const CUSTOMER: &str =
    "Our budget for the pilot is forty thousand dollars, and we need the proposal by Friday.";
pub const REP: &str = "Thank you. I will send you the revised proposal tomorrow morning.";

pub fn zapis(data: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_zapis"));
    cmd.arg("--data-dir").arg(data).env_remove("ZAPIS_DATA_DIR");
    cmd
}

/// A data folder with the test model installed as `tiny.en`; `None` skips outside CI.
pub fn data_dir_with_model() -> Option<tempfile::TempDir> {
    let model = model_fixture()?;
    require_pulse();
    let dir = tempfile::tempdir().unwrap();
    let status = zapis(dir.path())
        .args(["model", "add", "--name", "tiny.en"])
        .arg(&model)
        .status()
        .unwrap();
    assert!(status.success());
    Some(dir)
}

pub fn start_recording(
    data: &Path,
    mic: &TestSink,
    system: &TestSink,
    seconds: Option<u32>,
) -> Child {
    let mut cmd = zapis(data);
    cmd.args([
        "record",
        "--participant",
        "Rita Rep <rita@zapis.example>",
        "--participant",
        "Carl Customer <carl@acme.example>",
    ])
    .args([
        "--consent",
        "granted",
        "--events",
        "json",
        "--mic",
        &mic.monitor(),
        "--system",
        &system.monitor(),
    ]);
    if let Some(s) = seconds {
        cmd.args(["--seconds", &s.to_string()]);
    }
    cmd.stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

pub fn words(text: &str) -> String {
    text.to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || c.is_whitespace())
        .collect()
}

/// Reads the JSON event lines until the process ends.
pub fn events(child: Child) -> Vec<Value> {
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "zapis record failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
        .lines()
        .map(|l| serde_json::from_str(&l.unwrap()).expect("each line is JSON"))
        .collect()
}

pub fn wait_for_recording(
    child: &mut Child,
) -> std::io::Lines<BufReader<std::process::ChildStdout>> {
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first: Value = serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap();
    assert_eq!(first["state"], "recording", "{first}");
    lines
}
