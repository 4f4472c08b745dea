//! `zapis import` of transcripts (and, with the model, of a two-channel recording) through the CLI.

mod common;
mod support;

use common::zapis;
use predicates::prelude::*;
use serde_json::Value;
use std::path::Path;
use std::process::Command;

fn fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/calls")
        .join(name)
}

#[test]
fn a_teams_transcript_becomes_a_call_with_insights() {
    let dir = tempfile::tempdir().unwrap();
    let out = zapis(dir.path())
        .args([
            "import",
            "--consent-confirmed",
            "--date",
            "2026-03-02",
            "--json",
        ])
        .args(["--participant", "Tom Becker <tom@acme.example>"])
        .arg(fixture("03_pricing_negotiation.vtt"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let call: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(call["source"], "imported-transcript");
    assert_eq!(call["started_at"], "2026-03-02T00:00:00Z");
    assert!(call["transcript"].as_array().unwrap().len() > 10);
    let rep = call["people"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["role"] == "rep")
        .unwrap();
    assert_eq!(
        rep["name"], call["transcript"][0]["speaker"],
        "the first speaker is the rep by default"
    );
    assert!(call["people"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["email"] == "tom@acme.example"));
    assert!(call["consent"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["method"] == "imported"));
    assert!(!call["insights"]["summary"].as_array().unwrap().is_empty());
    assert!(!call["action_items"].as_array().unwrap().is_empty());
    let id = call["id"].to_string();
    zapis(dir.path())
        .args(["calls", "list", "--search", "CFO"])
        .assert()
        .success()
        .stdout(predicate::str::contains("03 pricing negotiation"));
    zapis(dir.path())
        .args(["insights", &id])
        .assert()
        .success()
        .stdout(predicate::str::contains("Talk metrics"));
}

#[test]
fn importing_needs_consent_and_a_valid_transcript() {
    let dir = tempfile::tempdir().unwrap();
    zapis(dir.path())
        .arg("import")
        .arg(fixture("03_pricing_negotiation.vtt"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("--consent-confirmed"));
    let bad = dir.path().join("broken.vtt");
    std::fs::write(&bad, "WEBVTT\n\n00:00:01.000 --> 00:00:0x.000\nhello\n").unwrap();
    zapis(dir.path())
        .args(["import", "--consent-confirmed"])
        .arg(&bad)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("broken.vtt").and(predicate::str::contains("line 3")));
    zapis(dir.path())
        .args(["import", "--consent-confirmed", "--rep", "Nobody"])
        .arg(fixture("03_pricing_negotiation.vtt"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("is not a speaker"));
    assert!(
        zapis::storage::Library::open(dir.path())
            .unwrap()
            .call_count()
            .unwrap()
            == 0,
        "nothing half-imported"
    );
}

#[test]
fn a_two_channel_recording_is_transcribed_per_side() {
    let Some(model) = support::recording::model_fixture() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    zapis(dir.path())
        .args(["model", "add", "--name", "tiny.en"])
        .arg(&model)
        .assert()
        .success();
    let wav = |name: &str, text: &str| {
        let path = dir.path().join(name);
        assert!(Command::new("espeak-ng")
            .arg("-w")
            .arg(&path)
            .arg(text)
            .status()
            .unwrap()
            .success());
        path
    };
    let rep = wav("rep.wav", "I will send you the contract on Monday.");
    let customer = wav(
        "customer.wav",
        "Our legal team needs two weeks to review it.",
    );
    let (rep_padded, customer_padded, call) = (
        dir.path().join("r.wav"),
        dir.path().join("c.wav"),
        dir.path().join("call.wav"),
    );
    assert!(Command::new("sox")
        .arg(&rep)
        .arg(&rep_padded)
        .args(["pad", "0", "5"])
        .status()
        .unwrap()
        .success());
    assert!(Command::new("sox")
        .arg(&customer)
        .arg(&customer_padded)
        .args(["pad", "4", "0"])
        .status()
        .unwrap()
        .success());
    assert!(Command::new("sox")
        .arg("-M")
        .arg(&rep_padded)
        .arg(&customer_padded)
        .arg(&call)
        .status()
        .unwrap()
        .success());

    let out = zapis(dir.path())
        .args([
            "import",
            "--consent-confirmed",
            "--json",
            "--participant",
            "Rita Rep",
            "--participant",
            "Dana <dana@acme.example>",
        ])
        .arg(&call)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stored: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(stored["source"], "imported-audio");
    let side = |role: &str| -> String {
        stored["transcript"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| s["role"] == role)
            .map(|s| s["text"].as_str().unwrap().to_lowercase())
            .collect()
    };
    assert!(side("rep").contains("contract"), "rep: {}", side("rep"));
    assert!(
        side("customer").contains("legal"),
        "customer: {}",
        side("customer")
    );
    assert_eq!(stored["transcript"][1]["speaker"], "Dana");
    assert!(
        Path::new(stored["audio_dir"].as_str().unwrap())
            .join("call.wav")
            .is_file(),
        "audio copied in"
    );
}
