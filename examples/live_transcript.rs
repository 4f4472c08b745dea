//! Runs a recording through the live transcript's path, as during a call: the VAD cuts the audio
//! into utterances and each is decoded with the live options. For benchmarks of the live path's
//! accuracy on real speech (bench/speech_dev.py --only live); the audio is fed as fast as it is
//! read, and every utterance is transcribed before the result is printed.
//!
//! usage: live_transcript MODEL AUDIO [--context fit|full] [--threads N]
//! prints: {"text": "...", "lines": N}

use std::path::PathBuf;
use std::sync::{mpsc, Arc, Mutex};

use zapis::capture::{AudioFrame, Channel, TARGET_RATE};
use zapis::events::Event;
use zapis::processing::live::LiveTranscriber;
use zapis::storage::{CallSource, CallStatus, Library, NewCall, NewParticipant, Role};
use zapis::transcribe::SpokenLanguage;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: live_transcript MODEL AUDIO [--context fit|full] [--threads N]";
    let model = PathBuf::from(args.next().ok_or(usage)?);
    let audio = PathBuf::from(args.next().ok_or(usage)?);
    let mut options = zapis::recording::live_options(SpokenLanguage::Code("en".into()));
    while let Some(flag) = args.next() {
        let value = args.next().ok_or(usage)?;
        match flag.as_str() {
            "--context" => {
                options.fit_audio_context = match value.as_str() {
                    "fit" => true,
                    "full" => false,
                    _ => return Err(usage.into()),
                }
            }
            "--threads" => options.threads = Some(value.parse()?),
            _ => return Err(usage.into()),
        }
    }
    let channels = zapis::transcribe::audio::read_all(&audio)?;
    let samples = channels.into_iter().next().ok_or("the file has no audio")?;

    let data = tempfile::tempdir()?;
    let mut library = Library::open(data.path())?;
    let person = |name: &str, role| NewParticipant {
        name: name.into(),
        email: None,
        role,
    };
    let call_id = library.create_call(&NewCall {
        title: "live path benchmark".into(),
        started_at: chrono::Utc::now(),
        language: "en".into(),
        source: CallSource::Recorded,
        status: CallStatus::Recording,
        audio_dir: None,
        participants: vec![person("Rep", Role::Rep), person("Customer", Role::Customer)],
    })?;
    let (rep, customer) = zapis::processing::voices(&library, call_id)?;
    let lines = Arc::new(Mutex::new(Vec::new()));
    let seen = lines.clone();
    let (frames, receiver) = mpsc::channel();
    let live = LiveTranscriber::start(
        &model,
        options,
        receiver,
        data.path().to_path_buf(),
        call_id,
        rep,
        customer,
        Arc::new(move |event| {
            if let Event::Segment { start, text, .. } = event {
                if let Ok(mut lines) = seen.lock() {
                    lines.push((start, text));
                }
            }
        }),
    )?;
    // The far side, in 20 ms frames as the capture delivers them; the microphone is silent.
    let block = TARGET_RATE as usize / 50;
    for (i, chunk) in samples.chunks(block).enumerate() {
        let start_sample = (i * block) as u64;
        frames.send(AudioFrame {
            channel: Channel::System,
            start_sample,
            samples: chunk.to_vec(),
        })?;
        frames.send(AudioFrame {
            channel: Channel::Mic,
            start_sample,
            samples: vec![0.0; chunk.len()],
        })?;
    }
    drop(frames);
    live.drain();
    let mut lines = lines.lock().map_err(|_| "a live line panicked")?.clone();
    lines.sort_by(|a, b| a.0.total_cmp(&b.0));
    let text: Vec<String> = lines.iter().map(|(_, t)| t.clone()).collect();
    println!(
        "{}",
        serde_json::json!({ "text": text.join(" "), "lines": lines.len() })
    );
    Ok(())
}
