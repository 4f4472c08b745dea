//! No words from silence or noise. Whisper invents text over silence ("Thank you.", "you"); every
//! local meeting tool's users complain of it. A far side that is digital zeros, real room tone,
//! or that room tone 24 dB louder (a fan, a busy office) must give no segments: not from
//! `zapis transcribe`'s engine, not in the final pass of a recorded call, not from the live VAD.
//!
//! The room tone is real: the opening of pyannote.audio's sample recording (PyPI, MIT) before
//! anyone speaks, where its reference turns (sample.rttm) say nobody does.

mod whisper_support;

use std::path::Path;

use whisper_support::{data, fixture, read_wav, write_wav};
use zapis::processing::{Vad, VadConfig};
use zapis::storage::{CallSource, CallStatus, Library, NewCall, NewParticipant, Role};
use zapis::transcribe::{transcribe_file, ChannelMode, Engine, Options, SpokenLanguage};

const RATE: usize = 16_000;

/// Steady room tone from the recording, to loop into a long far side: the longest stretch of its
/// speech-free opening whose 100 ms blocks all stay within 6 dB of the quietest one. The opening
/// also holds a 0.3 s burst (a knock, a breath); looped every 6 s it becomes a rhythm that
/// tiny.en writes down as "Hey, hey, hey", which is no room a call happens in. The opening as
/// recorded, burst and all, is tested on its own.
fn recorded_room_tone() -> Option<Vec<f32>> {
    let samples = speech_free_opening()?;
    let block = RATE / 10;
    let levels: Vec<f32> = samples
        .chunks_exact(block)
        .map(zapis::processing::dbfs)
        .collect();
    let quietest = levels.iter().copied().fold(f32::INFINITY, f32::min);
    let (mut best, mut run_start) = ((0, 0), 0);
    for (i, level) in levels.iter().enumerate() {
        if *level > quietest + 6.0 {
            run_start = i + 1;
        } else if i + 1 - run_start > best.1 - best.0 {
            best = (run_start, i + 1);
        }
    }
    assert!(
        best.1 - best.0 >= 10,
        "no second of steady room tone in the opening: {levels:?}"
    );
    Some(samples[best.0 * block..best.1 * block].to_vec())
}

/// The recording before its first reference turn, less 250 ms: what the room sounded like
/// before anyone spoke, as it was recorded.
fn speech_free_opening() -> Option<Vec<f32>> {
    let wav = fixture("ZAPIS_TEST_ROOM_WAV")?;
    let rttm = fixture("ZAPIS_TEST_ROOM_RTTM")?;
    let first_turn = std::fs::read_to_string(rttm)
        .unwrap()
        .lines()
        .filter_map(|line| line.split_whitespace().nth(3)?.parse::<f64>().ok())
        .fold(f64::INFINITY, f64::min);
    assert!(
        first_turn > 3.0,
        "the sample's first turn starts at {first_turn} s"
    );
    let (spec, mut samples) = read_wav(&wav);
    assert_eq!((spec.sample_rate as usize, spec.channels), (RATE, 1));
    samples.truncate(((first_turn - 0.25) * RATE as f64) as usize);
    Some(samples)
}

/// `seconds` of the room tone, looped with 100 ms crossfades so no seam clicks, times `gain`.
fn room_tone(tone: &[f32], seconds: usize, gain: f32) -> Vec<f32> {
    let fade = RATE / 10;
    let mut out: Vec<f32> = Vec::with_capacity(seconds * RATE);
    while out.len() < seconds * RATE {
        if out.is_empty() {
            out.extend_from_slice(tone);
            continue;
        }
        let join = out.len() - fade;
        for (i, &s) in tone[..fade].iter().enumerate() {
            let w = i as f32 / fade as f32;
            out[join + i] = out[join + i] * (1.0 - w) + s * w;
        }
        out.extend_from_slice(&tone[fade..]);
    }
    out.truncate(seconds * RATE);
    out.iter().map(|s| s * gain).collect()
}

/// The far sides that must stay empty: zeros, the room as recorded, and 24 dB louder.
fn far_sides(tone: &[f32], seconds: usize) -> Vec<(&'static str, Vec<f32>)> {
    let louder = 10f32.powf(24.0 / 20.0);
    vec![
        ("digital zeros", vec![0.0; seconds * RATE]),
        ("room tone", room_tone(tone, seconds, 1.0)),
        ("room tone +24 dB", room_tone(tone, seconds, louder)),
    ]
}

fn options() -> Options {
    Options {
        language: SpokenLanguage::Code("en".into()),
        threads: Some(2),
        ..Options::default()
    }
}

/// What `zapis transcribe`'s engine writes for `samples`, saved as a WAV file first.
fn engine_text(engine: &mut Engine, dir: &Path, samples: Vec<f32>) -> Vec<String> {
    let wav = dir.join("far.wav");
    write_wav(&wav, RATE as u32, &[samples]);
    let t = transcribe_file(engine, &wav, ChannelMode::Mixdown, &options(), &mut |_| {}).unwrap();
    t.channels[0]
        .segments
        .iter()
        .map(|s| s.text.clone())
        .collect()
}

#[test]
fn silence_and_room_noise_give_no_words_from_the_engine() {
    let (Some(model), Some(tone)) = (fixture("ZAPIS_TEST_MODEL"), recorded_room_tone()) else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let mut engine = Engine::load(&model).unwrap();
    for (name, samples) in far_sides(&tone, 60) {
        let words = engine_text(&mut engine, tmp.path(), samples);
        assert!(words.is_empty(), "{name} gave text: {words:?}");
    }
}

#[test]
fn the_room_before_anyone_speaks_gives_no_words_as_recorded_or_louder() {
    let (Some(model), Some(opening)) = (fixture("ZAPIS_TEST_MODEL"), speech_free_opening()) else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let mut engine = Engine::load(&model).unwrap();
    for gain_db in [0.0f32, 24.0] {
        let gain = 10f32.powf(gain_db / 20.0);
        let words = engine_text(
            &mut engine,
            tmp.path(),
            opening.iter().map(|s| s * gain).collect(),
        );
        assert!(
            words.is_empty(),
            "the opening at +{gain_db} dB gave text: {words:?}"
        );
    }
}

#[test]
fn the_live_vad_hears_no_utterance_in_silence_or_room_noise() {
    let (Some(tone), Some(opening)) = (recorded_room_tone(), speech_free_opening()) else {
        return;
    };
    let mut sides = far_sides(&tone, 60);
    sides.push(("the opening as recorded", opening));
    for (name, samples) in sides {
        let mut vad = Vad::new(VadConfig::default());
        let mut heard = Vec::new();
        // 20 ms blocks, as the capture delivers them.
        for (i, block) in samples.chunks(RATE / 50).enumerate() {
            heard.extend(vad.push((i * RATE / 50) as u64, block));
        }
        heard.extend(vad.finish());
        let spans: Vec<(u64, u64)> = heard
            .iter()
            .map(|u| (u.start_sample, u.end_sample()))
            .collect();
        assert!(spans.is_empty(), "{name}: utterances at {spans:?}");
    }
}

/// Louder, the opening's 0.3 s burst passes for a short utterance: energy alone cannot tell a
/// knock from a word, so the live decoder gets it (and must find no words in it, below).
#[test]
fn the_live_vad_cuts_the_openings_burst_once_it_is_loud() {
    let Some(opening) = speech_free_opening() else {
        return;
    };
    let mut vad = Vad::new(VadConfig::default());
    let mut heard = Vec::new();
    for (i, block) in opening.chunks(RATE / 50).enumerate() {
        let louder: Vec<f32> = block.iter().map(|s| s * 15.85).collect();
        heard.extend(vad.push((i * RATE / 50) as u64, &louder));
    }
    heard.extend(vad.finish());
    assert_eq!(
        heard.len(),
        1,
        "{:?}",
        heard.iter().map(|u| u.start_sample).collect::<Vec<_>>()
    );
    let (start, end) = (heard[0].start_sample, heard[0].end_sample());
    assert!(
        start > 2 * RATE as u64 && end < 3 * RATE as u64,
        "{start}..{end}"
    );
}

#[test]
fn the_live_transcript_writes_nothing_for_silence_or_room_noise() {
    use zapis::processing::live::LiveTranscriber;
    let (Some(model), Some(tone), Some(opening)) = (
        fixture("ZAPIS_TEST_MODEL"),
        recorded_room_tone(),
        speech_free_opening(),
    ) else {
        return;
    };
    let mut sides = far_sides(&tone, 30);
    // The opening's burst is loud enough at +24 dB for the VAD to cut it as an utterance: the
    // decoder must still find no words in it.
    sides.push((
        "the opening +24 dB",
        opening.iter().map(|s| s * 15.85).collect(),
    ));
    for (name, far) in sides {
        let data_dir = tempfile::tempdir().unwrap();
        let call_id = recorded_call(data_dir.path(), vec![0.0; RATE]);
        let library = Library::open(data_dir.path()).unwrap();
        let (rep, customer) = zapis::processing::voices(&library, call_id).unwrap();
        let events = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let seen = events.clone();
        let (frames, receiver) = std::sync::mpsc::channel();
        let live = LiveTranscriber::start(
            &model,
            zapis::recording::live_options(SpokenLanguage::Code("en".into())),
            receiver,
            data_dir.path().to_path_buf(),
            call_id,
            rep,
            customer,
            std::sync::Arc::new(move |e| seen.lock().unwrap().push(e)),
        )
        .unwrap();
        whisper_support::play_far_side(&frames, &far, || {});
        drop(frames);
        live.drain();
        let lines: Vec<String> = events
            .lock()
            .unwrap()
            .iter()
            .filter_map(|e| match e {
                zapis::events::Event::Segment { text, .. } => Some(text.clone()),
                _ => None,
            })
            .collect();
        assert!(lines.is_empty(), "{name}: live lines {lines:?}");
        assert!(library.segments(call_id).unwrap().is_empty(), "{name}");
    }
}

/// A recorded call's folder: the rep's microphone says JFK's sentence, the far side is `far`.
fn recorded_call(data_dir: &Path, far: Vec<f32>) -> i64 {
    let mut library = Library::open(data_dir).unwrap();
    let call_id = library
        .create_call(&NewCall {
            title: "Quiet far side".into(),
            started_at: chrono::Utc::now(),
            language: "en".into(),
            source: CallSource::Recorded,
            status: CallStatus::Processing,
            audio_dir: None,
            participants: vec![
                NewParticipant {
                    name: "Ana".into(),
                    email: None,
                    role: Role::Rep,
                },
                NewParticipant {
                    name: "Tom".into(),
                    email: None,
                    role: Role::Customer,
                },
            ],
        })
        .unwrap();
    let audio = data_dir.join("calls").join(call_id.to_string());
    std::fs::create_dir_all(&audio).unwrap();
    let (spec, mut mic) = read_wav(&data("jfk.wav"));
    assert_eq!((spec.sample_rate as usize, spec.channels), (RATE, 1));
    mic.resize(far.len(), 0.0);
    write_wav(&audio.join("mic.wav"), RATE as u32, &[mic]);
    write_wav(&audio.join("system.wav"), RATE as u32, &[far]);
    library.set_audio_dir(call_id, &audio).unwrap();
    call_id
}

#[test]
fn a_silent_or_noisy_far_side_adds_nothing_to_a_recorded_calls_transcript() {
    let (Some(model), Some(tone)) = (fixture("ZAPIS_TEST_MODEL"), recorded_room_tone()) else {
        return;
    };
    let model = model.to_string_lossy().into_owned();
    for (name, far) in far_sides(&tone, 30) {
        let data_dir = tempfile::tempdir().unwrap();
        let call_id = recorded_call(data_dir.path(), far);
        let mut library = Library::open(data_dir.path()).unwrap();
        zapis::app::finish_call(&mut library, call_id, Some(&model), &|_| {}).unwrap();
        let segments = library.segments(call_id).unwrap();
        let customer: Vec<&str> = segments
            .iter()
            .filter(|s| s.role == Role::Customer)
            .map(|s| s.text.as_str())
            .collect();
        assert!(customer.is_empty(), "{name} gave the customer {customer:?}");
        let rep: String = segments
            .iter()
            .filter(|s| s.role == Role::Rep)
            .map(|s| s.text.to_lowercase())
            .collect();
        assert!(
            rep.contains("ask not what your country can do for you"),
            "{name}: the rep's words are lost: {rep}"
        );
        let summary = library.call_summary(call_id).unwrap();
        assert_eq!(summary.transcribed_with.as_deref(), Some("tiny.en"));
    }
}
