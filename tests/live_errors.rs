//! Failures on the live path are said, not dropped: a library that does not open and a
//! transcript that cannot be saved as it comes each become one non-fatal error event, while the
//! live text still reaches the UI. The real model on espeak speech (a functional check only).

mod support;

use std::path::Path;
use std::sync::mpsc::sync_channel;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use support::recording::{model_fixture, CUSTOMER};
use support::{read_mono, speech_wav};
use zapis::capture::{AudioFrame, Channel};
use zapis::events::{Event, EventSink};
use zapis::processing::final_pass::Voice;
use zapis::processing::live::LiveTranscriber;
use zapis::storage::Role;

/// Feeds spoken sentences (each followed by silence, which ends the utterance) through a live
/// transcriber whose library is at `data_dir`, waiting for each one's line before the next
/// (what is still queued at the end goes to the final pass), and returns every event it sent.
fn run_live(model: &Path, data_dir: &Path, call_id: i64, utterances: &[&[f32]]) -> Vec<Event> {
    let events = Arc::new(Mutex::new(Vec::new()));
    let collected = events.clone();
    let sink: EventSink = Arc::new(move |e: Event| collected.lock().unwrap().push(e));
    let (frames_tx, frames) = sync_channel(4096);
    let options = zapis::transcribe::Options {
        language: "en".parse().unwrap(),
        ..Default::default()
    };
    let voice = |role, name: &str| Voice {
        role,
        speaker: name.to_string(),
    };
    let live = LiveTranscriber::start(
        model,
        options,
        frames,
        data_dir.to_path_buf(),
        call_id,
        voice(Role::Rep, "Rep"),
        voice(Role::Customer, "Customer"),
        sink,
    )
    .unwrap();
    let mut at = 0u64;
    for (n, speech) in utterances.iter().enumerate() {
        let mut audio = speech.to_vec();
        audio.extend(std::iter::repeat_n(0.0, 16_000 * 2));
        for block in audio.chunks(1600) {
            frames_tx
                .send(AudioFrame {
                    channel: Channel::System,
                    start_sample: at,
                    samples: block.to_vec(),
                })
                .unwrap();
            at += block.len() as u64;
        }
        let deadline = Instant::now() + Duration::from_secs(120);
        while live_lines(&events.lock().unwrap()) <= n && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
        }
    }
    drop(frames_tx);
    live.finish();
    let events = events.lock().unwrap().clone();
    events
}

fn errors(events: &[Event]) -> Vec<(String, bool)> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Error { message, fatal } => Some((message.clone(), *fatal)),
            _ => None,
        })
        .collect()
}

fn live_lines(events: &[Event]) -> usize {
    events
        .iter()
        .filter(|e| {
            matches!(
                e,
                Event::Segment {
                    is_final: false,
                    ..
                }
            )
        })
        .count()
}

#[test]
fn a_library_that_does_not_open_is_one_non_fatal_error_and_the_text_still_comes() {
    let Some(model) = model_fixture() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let (_, wav) = speech_wav(tmp.path(), CUSTOMER);
    // A data folder that is a file: the library cannot open there.
    let not_a_folder = tmp.path().join("data");
    std::fs::write(&not_a_folder, b"not a folder").unwrap();
    let events = run_live(&model, &not_a_folder, 1, &[&read_mono(&wav)]);
    let errors = errors(&events);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].0.contains("not saved as it comes"), "{errors:?}");
    assert!(!errors[0].1, "the recording goes on: {errors:?}");
    assert!(
        live_lines(&events) > 0,
        "the live text still reaches the UI: {events:?}"
    );
}

#[test]
fn a_transcript_that_cannot_be_saved_is_said_once() {
    let Some(model) = model_fixture() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let (_, wav) = speech_wav(tmp.path(), CUSTOMER);
    let data = tmp.path().join("data");
    // The library opens, but the call the segments belong to does not exist.
    drop(zapis::storage::Library::open(&data).unwrap());
    let speech = read_mono(&wav);
    let events = run_live(&model, &data, 4242, &[&speech, &speech]);
    let errors = errors(&events);
    assert_eq!(
        errors.len(),
        1,
        "said once, however many lines follow: {errors:?}"
    );
    assert!(errors[0].0.contains("not saved as it comes"), "{errors:?}");
    assert!(!errors[0].1);
    assert!(live_lines(&events) >= 2, "{events:?}");
}
