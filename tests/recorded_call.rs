//! A recorded call end to end, against the private PulseAudio server (null sinks), the real
//! Whisper model and a fake desktop-notification server on a private D-Bus session:
//! consent → capture → live transcript → final pass → insights → store → notifications.
//! Its own test binary, so no other test's notifications reach the fake server.

mod support;

use serde_json::Value;
use std::path::Path;
use std::time::{Duration, Instant};

use support::notifications::FakeNotifications;
use support::recording::*;
use support::{speech_wav, TestSink};

#[test]
fn a_recorded_call_gets_live_and_final_transcripts_insights_and_notifications() {
    let Some(data) = data_dir_with_model() else {
        return;
    };
    let notifications = FakeNotifications::start();
    let tmp = tempfile::tempdir().unwrap();
    let customer_dir = tmp.path().join("customer");
    let rep_dir = tmp.path().join("rep");
    std::fs::create_dir_all(&customer_dir).unwrap();
    std::fs::create_dir_all(&rep_dir).unwrap();
    let (customer_wav, _) = speech_wav(&customer_dir, CUSTOMER);
    let (rep_wav, _) = speech_wav(&rep_dir, REP);
    let system = TestSink::new("sys");
    let mic = TestSink::new("mic");

    let mut child = start_recording(data.path(), &mic, &system, Some(22));
    let mut lines = wait_for_recording(&mut child);
    system.play(&customer_wav).wait().unwrap();
    std::thread::sleep(Duration::from_millis(800));
    mic.play(&rep_wav).wait().unwrap();
    let rest: Vec<Value> = lines
        .by_ref()
        .map(|l| serde_json::from_str(&l.unwrap()).unwrap())
        .collect();
    assert!(child.wait().unwrap().success());

    let segments = |is_final: bool, speaker: &str| -> String {
        rest.iter()
            .filter(|e| e["type"] == "segment" && e["final"] == is_final && e["speaker"] == speaker)
            .map(|e| words(e["text"].as_str().unwrap()))
            .collect::<Vec<_>>()
            .join(" ")
    };
    for is_final in [false, true] {
        let customer = segments(is_final, "customer");
        let rep = segments(is_final, "rep");
        // Synthetic speech: tiny.en may mishear a word, so ask for most of the key words.
        let heard = |text: &str, keys: &[&str]| keys.iter().filter(|k| text.contains(*k)).count();
        assert!(
            heard(&customer, &["budget", "pilot", "proposal", "friday"]) >= 3,
            "final={is_final} customer: {customer:?}"
        );
        assert!(
            heard(&rep, &["thank", "send", "revised", "proposal", "tomorrow"]) >= 4,
            "final={is_final} rep: {rep:?}"
        );
        assert_eq!(
            heard(&rep, &["budget", "pilot", "friday"]),
            0,
            "the customer's words on the rep's side: {rep:?}"
        );
    }
    let states: Vec<&str> = rest
        .iter()
        .filter(|e| e["type"] == "state")
        .map(|e| e["state"].as_str().unwrap())
        .collect();
    assert_eq!(states, ["processing", "ready"]);
    assert!(rest
        .iter()
        .any(|e| e["type"] == "progress" && e["stage"] == "final transcript"));
    assert!(
        rest.iter().any(|e| e["type"] == "level"),
        "levels are published"
    );
    let call_id = rest.iter().find(|e| e["type"] == "state").unwrap()["call_id"]
        .as_i64()
        .unwrap();

    let out = zapis(data.path())
        .args(["calls", "show", &call_id.to_string(), "--json"])
        .output()
        .unwrap();
    let call: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(call["status"], "ready");
    assert_eq!(call["consent"].as_array().unwrap().len(), 2);
    assert_eq!(call["consent"][1]["participant_email"], "carl@acme.example");
    let transcript = call["transcript"].as_array().unwrap();
    assert!(transcript
        .iter()
        .any(|s| s["role"] == "customer" && s["speaker"] == "Carl Customer"));
    assert!(transcript
        .iter()
        .any(|s| s["role"] == "rep" && s["speaker"] == "Rita Rep"));
    let items = call["action_items"].as_array().unwrap();
    assert!(
        items
            .iter()
            .any(|a| a["owner"] == "rep" && words(a["text"].as_str().unwrap()).contains("send")),
        "the rep's commitment is an action item: {items:?}"
    );
    for file in ["mic.wav", "system.wav"] {
        assert!(
            Path::new(call["audio_dir"].as_str().unwrap())
                .join(file)
                .is_file(),
            "{file} kept"
        );
    }

    let deadline = Instant::now() + Duration::from_secs(5);
    let mut shown = notifications.shown();
    while shown.len() < 3 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
        shown = notifications.shown();
    }
    let summaries: Vec<&str> = shown.iter().map(|n| n.summary.as_str()).collect();
    assert_eq!(
        summaries,
        [
            "Zapis is recording",
            "Recording stopped",
            "Transcript and insights ready"
        ]
    );
    assert!(
        shown[0].body.contains("Rita Rep, Carl Customer"),
        "{:?}",
        shown[0].body
    );
    assert!(
        shown[2].actions.contains(&format!("open-call:{call_id}")),
        "{:?}",
        shown[2].actions
    );
    assert!(shown.iter().all(|n| n.app_name == "Zapis"));
}
