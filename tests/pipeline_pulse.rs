//! Recording faults and echo against the private PulseAudio server and the real Whisper model.
//! Whisper model and a fake desktop-notification server on a private D-Bus session:
//! consent → capture → live transcript → final pass → insights → store → notifications.

mod support;

use serde_json::Value;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use support::recording::*;
use support::{speech_wav, TestSink};

/// Each test records a call and runs Whisper live and after it. Three at once on a 2-core machine
/// is heavier than any real use, and under it the echo test failed now and then in CI (twice,
/// the rep's echo kept live and final; the failure now prints every line to tell why). One
/// recording at a time.
fn one_recording_at_a_time() -> MutexGuard<'static, ()> {
    static TURN: Mutex<()> = Mutex::new(());
    TURN.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

#[test]
fn the_customers_voice_leaking_into_the_microphone_is_not_attributed_twice() {
    let _turn = one_recording_at_a_time();
    let Some(data) = data_dir_with_model() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let (customer_wav, _) = speech_wav(tmp.path(), CUSTOMER);
    let system = TestSink::new("esys");
    let mic = TestSink::new("emic");

    let child = start_recording(data.path(), &mic, &system, Some(14));
    std::thread::sleep(Duration::from_secs(3));
    // Speakers instead of a headset: the same sentence reaches both channels at once.
    let (mut a, mut b) = (system.play(&customer_wav), mic.play(&customer_wav));
    a.wait().unwrap();
    b.wait().unwrap();
    let events = events(child);
    let rep_lines: Vec<&Value> = events
        .iter()
        .filter(|e| e["type"] == "segment" && e["speaker"] == "rep")
        .collect();
    let segments: Vec<&Value> = events.iter().filter(|e| e["type"] == "segment").collect();
    let problems: Vec<&Value> = events.iter().filter(|e| e["type"] == "error").collect();
    assert!(
        rep_lines.is_empty(),
        "echo attributed to the rep: {rep_lines:?}; all lines: {segments:?}; problems: {problems:?}"
    );
    assert!(events
        .iter()
        .any(|e| e["type"] == "segment" && e["final"] == true && e["speaker"] == "customer"));
}

#[test]
fn a_killed_recorder_is_recovered_and_transcribed_at_the_next_start() {
    let _turn = one_recording_at_a_time();
    let Some(data) = data_dir_with_model() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let (customer_wav, _) = speech_wav(tmp.path(), CUSTOMER);
    let system = TestSink::new("ksys");
    let mic = TestSink::new("kmic");

    let mut child = start_recording(data.path(), &mic, &system, None);
    let _lines = wait_for_recording(&mut child);
    system.play(&customer_wav).wait().unwrap();
    std::thread::sleep(Duration::from_secs(3));
    child.kill().unwrap();
    child.wait().unwrap();

    // The next start of Zapis finds the interrupted call, finalises its audio and transcribes it.
    let out = zapis(data.path())
        .args(["calls", "list", "--json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("recovered call"));
    let calls: Value = serde_json::from_slice(&out.stdout).unwrap();
    let call = &calls[0];
    assert_eq!(call["status"], "ready", "{call}");
    assert!(
        call["duration_ms"].as_i64().unwrap() >= 6_000,
        "at most 5 s lost: {call}"
    );
    let out = zapis(data.path())
        .args(["calls", "show", &call["id"].to_string(), "--json"])
        .output()
        .unwrap();
    let detail: Value = serde_json::from_slice(&out.stdout).unwrap();
    let text: String = detail["transcript"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| words(s["text"].as_str().unwrap()))
        .collect();
    assert!(
        text.contains("pilot") || text.contains("proposal"),
        "{text}"
    );
}

#[test]
fn recovery_at_start_transcribes_with_the_model_in_the_settings() {
    let _turn = one_recording_at_a_time();
    let Some(data) = data_dir_with_model() else {
        return;
    };
    let system = TestSink::new("msys");
    let mic = TestSink::new("mmic");
    let mut child = start_recording(data.path(), &mic, &system, None);
    let _lines = wait_for_recording(&mut child);
    std::thread::sleep(Duration::from_secs(2));
    child.kill().unwrap();
    child.wait().unwrap();

    // The user chose a model that is not installed: recovery must try that one (as the app
    // does), not a built-in default, and say why the call could not be transcribed.
    let mut library = zapis::storage::Library::open(data.path()).unwrap();
    let mut settings = zapis::settings::Settings::load(&library).unwrap();
    settings.preferences.model = "small".into();
    settings.save(&mut library).unwrap();
    drop(library);

    let out = zapis(data.path())
        .args(["calls", "list", "--json"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("recovered call"), "{stderr}");
    assert!(
        stderr.contains("could not be transcribed") && stderr.contains("small"),
        "{stderr}"
    );
    let calls: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(calls[0]["status"], "failed", "{}", calls[0]);
}
