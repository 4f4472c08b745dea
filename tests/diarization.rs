//! The far side's voices on real speech: a two-channel recording whose far side is a real
//! two-person conversation (pyannote.audio's sample.wav, with its reference turns) imported with
//! the real speaker models and Whisper model; lines follow their voices, names come only from
//! certain evidence, the user's corrections carry into the insights, and a voice named once is
//! recognised on the next call with the same person.
//!
//! Fixtures (scripts/test-fixtures.sh): ZAPIS_TEST_MODEL, ZAPIS_TEST_ROOM_WAV / _RTTM, and
//! ZAPIS_TEST_DIARIZATION (the folder `zapis model install diarization` made).

mod whisper_support;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use whisper_support::fixture;
use zapis::app;
use zapis::import::{ImportOptions, Person};
use zapis::storage::{Library, Naming, Role};

struct Fixtures {
    model: PathBuf,
    room: PathBuf,
    rttm: PathBuf,
    speaker_models: PathBuf,
}

fn fixtures() -> Option<Fixtures> {
    Some(Fixtures {
        model: fixture("ZAPIS_TEST_MODEL")?,
        room: fixture("ZAPIS_TEST_ROOM_WAV")?,
        rttm: fixture("ZAPIS_TEST_ROOM_RTTM")?,
        speaker_models: fixture("ZAPIS_TEST_DIARIZATION")?,
    })
}

/// The reference turns of sample.wav: (start ms, end ms, speaker).
fn turns(rttm: &Path) -> Vec<(i64, i64, String)> {
    std::fs::read_to_string(rttm)
        .unwrap()
        .lines()
        .filter(|l| l.starts_with("SPEAKER"))
        .map(|l| {
            let c: Vec<&str> = l.split_whitespace().collect();
            let start = (c[3].parse::<f64>().unwrap() * 1000.0) as i64;
            let len = (c[4].parse::<f64>().unwrap() * 1000.0) as i64;
            (start, start + len, c[7].to_string())
        })
        .collect()
}

fn read_mono(path: &Path) -> Vec<i16> {
    let mut reader = hound::WavReader::open(path).unwrap();
    assert_eq!(reader.spec().sample_rate, 16_000);
    assert_eq!(reader.spec().channels, 1);
    reader.samples::<i16>().map(Result::unwrap).collect()
}

/// A two-channel call file as Zapis records calls: channel 1 the rep (silent here), channel 2 the
/// far side.
fn two_channel(path: &Path, far: &[i16]) {
    two_sided(path, &[], far);
}

fn library_with_speaker_models(data: &Path, models: &Path) -> Library {
    let library = app::open_library(data).unwrap().library;
    std::fs::create_dir_all(data.join("models")).unwrap();
    std::os::unix::fs::symlink(models, data.join("models/diarization")).unwrap();
    library
}

fn person(name: &str, email: &str) -> Person {
    Person {
        name: name.into(),
        email: Some(email.into()),
    }
}

fn import(library: &mut Library, file: &Path, model: &Path, far: Vec<Person>) -> i64 {
    let mut participants = vec![person("Rita Rep", "rita@zapis.test")];
    participants.extend(far);
    let request = app::ImportRequest {
        options: ImportOptions {
            consent_confirmed: true,
            rep: vec!["Rita Rep".into()],
            participants,
            ..Default::default()
        },
        model: Some(model.to_string_lossy().into_owned()),
        ..Default::default()
    };
    app::import_file(library, file, &request, &mut |_| {})
        .unwrap()
        .call_id
}

fn talkers(library: &mut Library, call_id: i64) -> Vec<String> {
    let insights = zapis::analysis::refresh_insights(library, call_id).unwrap();
    let mut names: Vec<String> = insights
        .metrics
        .per_speaker
        .into_iter()
        .filter(|s| s.role == Role::Customer)
        .map(|s| s.speaker)
        .collect();
    names.sort();
    names
}

/// A WebVTT transcript imported as a call, `rep` its rep's speaker.
fn import_transcript(library: &mut Library, dir: &Path, vtt: &str, rep: &str) -> i64 {
    let transcript = dir.join("call.vtt");
    std::fs::write(&transcript, vtt).unwrap();
    let request = app::ImportRequest {
        options: ImportOptions {
            consent_confirmed: true,
            rep: vec![rep.into()],
            ..Default::default()
        },
        ..Default::default()
    };
    app::import_file(library, &transcript, &request, &mut |_| {})
        .unwrap()
        .call_id
}

#[test]
fn a_two_person_far_side_becomes_two_voices_that_the_user_can_name_and_merge() {
    let Some(f) = fixtures() else { return };
    let data = tempfile::tempdir().unwrap();
    let mut library = library_with_speaker_models(data.path(), &f.speaker_models);
    let call_file = data.path().join("call.wav");
    two_channel(&call_file, &read_mono(&f.room));
    let far = || {
        vec![
            person("Alice Ames", "alice@buyer.test"),
            person("Bob Burns", "bob@buyer.test"),
        ]
    };
    let call = import(&mut library, &call_file, &f.model, far());

    let voices = app::call_voices(&library, call).unwrap();
    assert_eq!(voices.len(), 2, "{voices:?}");
    // Two far-side participants and nobody says their name: no guessing.
    for v in &voices {
        assert_eq!(v.named_by, Naming::Anonymous, "{v:?}");
        assert!(v.lines > 0, "{v:?}");
    }
    assert_eq!(voices[0].label, "Speaker 2");
    assert_eq!(voices[1].label, "Speaker 3");

    // Each voice's lines belong, by time, to one reference speaker, and the two voices to
    // different speakers.
    let reference = turns(&f.rttm);
    let voice_of: HashMap<i64, i64> = library.segment_voices(call).unwrap().into_iter().collect();
    let mut time: HashMap<(i64, String), i64> = HashMap::new();
    for s in library.segments(call).unwrap() {
        assert_eq!(s.role, Role::Customer, "the rep's channel is silent: {s:?}");
        let voice = voice_of[&s.id];
        for (start, end, who) in &reference {
            let o = s.end_ms.min(*end) - s.start_ms.max(*start);
            if o > 0 {
                *time.entry((voice, who.clone())).or_default() += o;
            }
        }
    }
    let majority = |voice: i64| {
        let mut per: Vec<(&String, i64)> = time
            .iter()
            .filter(|((v, _), _)| *v == voice)
            .map(|((_, who), t)| (who, *t))
            .collect();
        per.sort_by_key(|(_, t)| -t);
        let total: i64 = per.iter().map(|(_, t)| t).sum();
        (per[0].0.clone(), per[0].1 as f64 / total as f64)
    };
    let (first, purity_first) = majority(0);
    let (second, purity_second) = majority(1);
    assert_ne!(first, second, "both voices are the same reference speaker");
    assert!(purity_first > 0.7 && purity_second > 0.7, "{time:?}");
    assert_eq!(talkers(&mut library, call), ["Speaker 2", "Speaker 3"]);

    // The user names voice 0: its lines and the metrics take the name.
    app::name_voice(&mut library, call, 0, "Alice Ames").unwrap();
    assert_eq!(talkers(&mut library, call), ["Alice Ames", "Speaker 3"]);
    // A second recording with the same people: Alice's voice is recognised by its voiceprint.
    let again = import(&mut library, &call_file, &f.model, far());
    let voices = app::call_voices(&library, again).unwrap();
    let alice: Vec<_> = voices.iter().filter(|v| v.label == "Alice Ames").collect();
    assert_eq!(alice.len(), 1, "{voices:?}");
    assert_eq!(alice[0].named_by, Naming::EarlierCall);
    assert!(
        voices.iter().any(|v| v.named_by == Naming::Anonymous),
        "Bob was never named, so his voice stays anonymous: {voices:?}"
    );

    // Her copy of her data says which voices were hers and that a voiceprint is kept; erasing
    // her removes the calls, voices and voiceprints with them.
    let out = tempfile::tempdir().unwrap();
    let subject = zapis::privacy::Subject::Person("alice@buyer.test".into());
    let exported = app::export_data(
        &library,
        &subject,
        app::Destination::NewFolderIn(out.path()),
    )
    .unwrap();
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(exported.folder.join("data.json")).unwrap()).unwrap();
    let labels: Vec<&str> = json["calls"][0]["voices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["label"].as_str().unwrap())
        .collect();
    assert!(labels.contains(&"Alice Ames"), "{labels:?}");
    let report = std::fs::read_to_string(exported.folder.join("report.md")).unwrap();
    assert!(
        report.contains("Voice on the other side: Alice Ames"),
        "{report}"
    );
    assert!(report.contains("voiceprint"), "{report}");

    // The user says the two voices of the first call are one person: one voice, one talker.
    let voices = app::merge_voices(&mut library, call, 1, 0).unwrap();
    assert_eq!(voices.len(), 1);
    assert_eq!(talkers(&mut library, call), ["Alice Ames"]);
    // And a line split off becomes a new anonymous voice again.
    let line = library.segment_voices(call).unwrap()[0].0;
    let (voice, voices) = app::split_voice(&mut library, call, &[line]).unwrap();
    assert_eq!(voices.len(), 2);
    assert!(voices
        .iter()
        .any(|v| v.voice == voice && v.label == "Speaker 3"));

    // Erasing her erases both calls, their voices and voiceprints with them.
    app::erase_person(&mut library, "alice@buyer.test").unwrap();
    assert!(library.list_calls(&Default::default()).unwrap().is_empty());
}

#[test]
fn one_far_side_voice_is_not_split_and_takes_the_only_participants_name() {
    let Some(f) = fixtures() else { return };
    let data = tempfile::tempdir().unwrap();
    let mut library = library_with_speaker_models(data.path(), &f.speaker_models);
    // Only one reference speaker's turns of sample.wav, 0.6 s apart: one person talking.
    let audio = read_mono(&f.room);
    let reference = turns(&f.rttm);
    let who = reference.last().unwrap().2.clone();
    let mut far = Vec::new();
    for (start, end, speaker) in &reference {
        let overlapped = reference
            .iter()
            .any(|(s, e, o)| o != speaker && *s < *end && *e > *start);
        if *speaker == who && !overlapped {
            far.extend(std::iter::repeat_n(0i16, 9_600));
            far.extend_from_slice(
                &audio[(*start as usize * 16)..(*end as usize * 16).min(audio.len())],
            );
        }
    }
    let call_file = data.path().join("one.wav");
    two_channel(&call_file, &far);
    let call = import(
        &mut library,
        &call_file,
        &f.model,
        vec![person("Dana Ng", "dana@buyer.test")],
    );
    let voices = app::call_voices(&library, call).unwrap();
    assert_eq!(voices.len(), 1, "{voices:?}");
    assert_eq!(voices[0].label, "Dana Ng");
    assert_eq!(voices[0].named_by, Naming::OnlyRemote);
    assert_eq!(talkers(&mut library, call), ["Dana Ng"]);
}

/// One reference speaker's speech in sample.wav, without the stretches anyone else talks over,
/// 0.6 s of silence between the pieces.
fn turns_of(audio: &[i16], reference: &[(i64, i64, String)], who: &str) -> Vec<i16> {
    let mut out = Vec::new();
    for (start, end, _) in reference.iter().filter(|t| t.2 == who) {
        // The turn less every other speaker's overlapping turn.
        let mut pieces = vec![(*start, *end)];
        for (s, e, _) in reference.iter().filter(|t| t.2 != who) {
            pieces = pieces
                .into_iter()
                .flat_map(|(a, b)| [(a, b.min(*s)), (a.max(*e), b)])
                .filter(|(a, b)| b - a >= 300)
                .collect();
        }
        for (a, b) in pieces {
            out.extend(std::iter::repeat_n(0i16, 9_600));
            let (a, b) = ((a * 16) as usize, (b * 16) as usize);
            out.extend_from_slice(&audio[a.min(audio.len())..b.min(audio.len())]);
        }
    }
    out
}

/// A two-channel file with each side's own samples (channel 1 the rep).
fn two_sided(path: &Path, rep: &[i16], far: &[i16]) {
    let spec = hound::WavSpec {
        channels: 2,
        sample_rate: 16_000,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::create(path, spec).unwrap();
    for i in 0..rep.len().max(far.len()) {
        w.write_sample(rep.get(i).copied().unwrap_or(0)).unwrap();
        w.write_sample(far.get(i).copied().unwrap_or(0)).unwrap();
    }
    w.finalize().unwrap();
}

/// The reference speaker who spoke most of the given lines.
fn mostly(reference: &[(i64, i64, String)], lines: &[&zapis::storage::Segment]) -> String {
    let mut time: HashMap<&str, i64> = HashMap::new();
    for s in lines {
        for (start, end, who) in reference {
            let o = s.end_ms.min(*end) - s.start_ms.max(*start);
            if o > 0 {
                *time.entry(who).or_default() += o;
            }
        }
    }
    time.into_iter()
        .max_by_key(|(_, t)| *t)
        .map(|(who, _)| who.to_string())
        .unwrap()
}

#[test]
fn a_one_channel_recording_credits_the_rep_only_by_their_voice() {
    let Some(f) = fixtures() else { return };
    let far = || vec![person("Dana Ng", "dana@buyer.test")];
    let reference = turns(&f.rttm);
    let speakers: Vec<String> = {
        let mut s: Vec<String> = reference.iter().map(|t| t.2.clone()).collect();
        s.dedup();
        s.sort();
        s.dedup();
        s
    };
    assert_eq!(speakers.len(), 2, "{speakers:?}");
    let (rita, dana) = (&speakers[0], &speakers[1]);

    // Without the speaker models nobody is named: not the rep (whose name the import knows),
    // not the one remote participant.
    let data = tempfile::tempdir().unwrap();
    let mut library = app::open_library(data.path()).unwrap().library;
    let call = import(&mut library, &f.room, &f.model, far());
    assert!(library.call(call).unwrap().one_channel);
    let lines = library.segments(call).unwrap();
    assert!(!lines.is_empty());
    for s in &lines {
        assert_eq!(
            (s.role, s.speaker.as_str()),
            (Role::Customer, zapis::import::ONE_CHANNEL_SPEAKER),
            "{s:?}"
        );
    }

    // With them, but with no voiceprint of the rep yet: two voices, neither is named (the one
    // voice left over could be the rep's), and no line is the rep's.
    std::fs::create_dir_all(data.path().join("models")).unwrap();
    std::os::unix::fs::symlink(&f.speaker_models, data.path().join("models/diarization")).unwrap();
    let call = import(&mut library, &f.room, &f.model, far());
    let voices = app::call_voices(&library, call).unwrap();
    assert_eq!(voices.len(), 2, "{voices:?}");
    assert!(
        voices.iter().all(|v| v.named_by == Naming::Anonymous),
        "{voices:?}"
    );
    let lines = library.segments(call).unwrap();
    assert!(lines.iter().all(|s| s.role == Role::Customer));

    // The user names the voice that is Rita's with her own name: its lines become the rep's,
    // and the metrics have her as the rep.
    let ritas = voices
        .iter()
        .find(|v| {
            let said: Vec<_> = lines
                .iter()
                .filter(|s| v.segments.contains(&s.id))
                .collect();
            mostly(&reference, &said) == *rita
        })
        .unwrap()
        .voice;
    app::name_voice(&mut library, call, ritas, "Rita Rep").unwrap();
    let lines = library.segments(call).unwrap();
    let reps: Vec<_> = lines.iter().filter(|s| s.role == Role::Rep).collect();
    assert!(!reps.is_empty() && reps.iter().all(|s| s.speaker == "Rita Rep"));
    assert_eq!(mostly(&reference, &reps), *rita);
    assert_eq!(talkers(&mut library, call).len(), 1);

    // A new library: the rep's voice is learnt from a recording with a track of its own
    // (her turns on channel 1, Dana's on channel 2) and found in the one-channel recording.
    let data = tempfile::tempdir().unwrap();
    let mut library = library_with_speaker_models(data.path(), &f.speaker_models);
    let audio = read_mono(&f.room);
    let two = data.path().join("two.wav");
    two_sided(
        &two,
        &turns_of(&audio, &reference, rita),
        &turns_of(&audio, &reference, dana),
    );
    let first = import(&mut library, &two, &f.model, far());
    assert_eq!(library.rep_voiceprints(0).unwrap().len(), 1);
    assert!(library
        .segments(first)
        .unwrap()
        .iter()
        .any(|s| s.role == Role::Rep && s.speaker == "Rita Rep"));
    // Naming a far-side voice with the rep's name is refused there: she is on her own track.
    let err = app::name_voice(&mut library, first, 0, "Rita Rep").unwrap_err();
    assert!(err.to_string().contains("microphone track"), "{err}");

    let call = import(&mut library, &f.room, &f.model, far());
    let voices = app::call_voices(&library, call).unwrap();
    let labels: Vec<(&str, Naming)> = voices
        .iter()
        .map(|v| (v.label.as_str(), v.named_by))
        .collect();
    assert!(
        labels.contains(&("Rita Rep", Naming::EarlierCall)),
        "{labels:?}"
    );
    assert!(labels.iter().any(|(l, _)| *l == "Dana Ng"), "{labels:?}");
    let lines = library.segments(call).unwrap();
    let reps: Vec<_> = lines.iter().filter(|s| s.role == Role::Rep).collect();
    let others: Vec<_> = lines.iter().filter(|s| s.role == Role::Customer).collect();
    assert_eq!(mostly(&reference, &reps), *rita);
    assert_eq!(mostly(&reference, &others), *dana);
    assert_eq!(talkers(&mut library, call), ["Dana Ng"]);

    // "Not me" on the voice credited to the rep: it is anonymous again and none of its lines are
    // the rep's; the voiceprint from her own track is kept.
    let hers = voices.iter().find(|v| v.label == "Rita Rep").unwrap().voice;
    let voices = app::unname_voice(&mut library, call, hers).unwrap();
    let unnamed = voices.iter().find(|v| v.voice == hers).unwrap();
    let label = format!("Speaker {}", hers + 2);
    assert_eq!(
        (unnamed.label.as_str(), unnamed.named_by),
        (label.as_str(), Naming::Anonymous)
    );
    let lines = library.segments(call).unwrap();
    assert!(lines.iter().all(|s| s.role == Role::Customer), "{lines:?}");
    assert_eq!(talkers(&mut library, call).len(), 2);
    assert_eq!(library.rep_voiceprints(call).unwrap().len(), 1);
}

#[test]
fn a_silent_far_side_has_no_voices_and_the_call_is_still_ready() {
    let Some(f) = fixtures() else { return };
    let data = tempfile::tempdir().unwrap();
    let mut library = library_with_speaker_models(data.path(), &f.speaker_models);
    let call_file = data.path().join("silent.wav");
    two_channel(&call_file, &vec![0i16; 16_000 * 20]);
    let call = import(
        &mut library,
        &call_file,
        &f.model,
        vec![person("Dana Ng", "dana@buyer.test")],
    );
    assert!(app::call_voices(&library, call).unwrap().is_empty());
    assert_eq!(
        library.call_summary(call).unwrap().status,
        zapis::storage::CallStatus::Ready
    );
}

#[test]
fn corrections_to_voices_that_do_not_exist_are_refused_and_change_nothing() {
    let data = tempfile::tempdir().unwrap();
    let mut library = app::open_library(data.path()).unwrap().library;
    let call = import_transcript(
        &mut library,
        data.path(),
        "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Ana>We will send the proposal by Friday.\n",
        "Ana",
    );
    let before = library.segments(call).unwrap();
    let err = app::name_voice(&mut library, call, 0, "Ana").unwrap_err();
    assert!(err.to_string().contains("zapis calls voices"), "{err}");
    assert!(app::merge_voices(&mut library, call, 0, 0).is_err());
    assert!(app::merge_voices(&mut library, call, 1, 0).is_err());
    let line = before[0].id;
    let err = app::split_voice(&mut library, call, &[line]).unwrap_err();
    assert!(err.to_string().contains("diarization"), "{err}");
    assert!(app::split_voice(&mut library, call, &[]).is_err());
    assert_eq!(library.segments(call).unwrap(), before);
}

#[test]
fn an_action_item_the_user_kept_follows_its_voice_when_the_voice_is_named() {
    let data = tempfile::tempdir().unwrap();
    let mut library = app::open_library(data.path()).unwrap().library;
    let call = import_transcript(
        &mut library,
        data.path(),
        "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Rita Rep>Thanks for the time today.\n\n\
         00:00:05.000 --> 00:00:09.000\n<v Guest>I will send you the signed order form by Friday.\n\n\
         00:00:10.000 --> 00:00:12.000\n<v Guest>Great, thanks.\n",
        "Rita Rep",
    );
    // Diarization found two voices in what the transcript called one "Guest".
    let far: Vec<_> = library
        .segments(call)
        .unwrap()
        .into_iter()
        .filter(|s| s.role == Role::Customer)
        .collect();
    let voice =
        |voice: usize, label: &str, line: &zapis::storage::Segment| zapis::storage::StoredVoice {
            voice,
            label: label.into(),
            naming: Naming::Anonymous,
            speech_ms: line.end_ms - line.start_ms,
            voiceprint: None,
            segments: vec![line.id],
        };
    library
        .store_call_voices(
            call,
            &[
                voice(0, "Speaker 2", &far[0]),
                voice(1, "Speaker 3", &far[1]),
            ],
        )
        .unwrap();
    zapis::analysis::refresh_insights(&mut library, call).unwrap();
    let items = library.action_items(call).unwrap();
    let item = items
        .iter()
        .find(|a| a.text.to_lowercase().contains("order form"))
        .unwrap_or_else(|| panic!("{items:?}"));
    assert_eq!(item.owner, "Speaker 2");
    // Checked off: recomputing the insights keeps it as it is...
    library
        .update_action_item(
            item.id,
            &zapis::storage::ActionItemUpdate {
                done: Some(true),
                ..Default::default()
            },
        )
        .unwrap();
    // ...and naming the voice carries the name to it.
    app::name_voice(&mut library, call, 0, "Dana Ng").unwrap();
    let kept = library.action_items(call).unwrap();
    let kept = kept.iter().find(|a| a.id == item.id).unwrap();
    assert!(kept.done);
    assert_eq!(kept.owner, "Dana Ng");
}
