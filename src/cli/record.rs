//! `zapis record` and `zapis devices`: recording from the terminal, with the same consent rules
//! and the same session as the desktop app.

use clap::{Args, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::{open_library, print_json};
use zapis::app::{self, Devices, LiveDecision, PersonDecision, RecordingStart};
use zapis::capture::{list_devices, SystemSource};
use zapis::consent::{Language, Method, Participant};
use zapis::events::{Event, EventSink};

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ConsentArg {
    /// Everyone listed was told and agreed
    Granted,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MethodArg {
    /// Each person saw the notice on screen and agreed there
    OnScreen,
    /// You read the notice aloud and each person said yes
    Verbal,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EventsFormat {
    /// One JSON object per line on standard output
    Json,
}

#[derive(Args)]
pub struct RecordArgs {
    /// Everyone on the call, "Name <email>" or "Name"; the first is you, the rep
    #[arg(long = "participant", value_name = "NAME <EMAIL>", required = true)]
    participants: Vec<Participant>,
    /// Confirm that everyone listed was shown the notice and agreed; without it nothing is recorded
    #[arg(long, value_enum)]
    consent: Option<ConsentArg>,
    #[arg(long, value_enum, default_value = "on-screen")]
    method: MethodArg,
    /// Language of the notice and of the conversation
    #[arg(long, value_parser = ["en", "sr"], default_value = "en")]
    language: String,
    /// Stop after this many seconds (default: until Ctrl-C)
    #[arg(long, value_name = "S")]
    seconds: Option<f64>,
    /// Microphone device (see `zapis devices`) [default: the system default]
    #[arg(long, value_name = "DEVICE")]
    mic: Option<String>,
    /// System-audio device, or "none" to record the microphone only [default: the default output's monitor]
    #[arg(long, value_name = "DEVICE|none")]
    system: Option<String>,
    #[arg(long)]
    title: Option<String>,
    /// Model for the transcript (installed name or file) [default: the one in the settings]
    #[arg(long)]
    model: Option<String>,
    /// Write events as JSON lines instead of the live transcript
    #[arg(long, value_enum)]
    events: Option<EventsFormat>,
}

pub fn devices(json: bool) -> anyhow::Result<()> {
    let devices = list_devices()?;
    if json {
        let list: Vec<_> = devices
            .iter()
            .map(|d| serde_json::json!({"name": d.name, "description": d.description, "kind": format!("{:?}", d.kind).to_lowercase(), "is_default": d.is_default}))
            .collect();
        return print_json(&list);
    }
    if devices.is_empty() {
        println!(
            "No audio input devices found. Connect a microphone, or start PulseAudio/PipeWire."
        );
    }
    for d in devices {
        let kind = format!("{:?}", d.kind).to_lowercase();
        let default = if d.is_default { " (default)" } else { "" };
        println!("{:<8} {}{}  — {}", kind, d.name, default, d.description);
    }
    Ok(())
}

pub fn record(args: RecordArgs, data_dir: &Path) -> anyhow::Result<()> {
    let language = match args.language.as_str() {
        "sr" => Language::SrLatn,
        _ => Language::En,
    };
    let mut library = open_library(data_dir)?;
    if args.consent != Some(ConsentArg::Granted) {
        // The notice the app would show: the user's edited text, else the built-in one.
        let notice = app::current_notice(&library, language)?;
        println!("{}\n", notice.text());
        println!("Read aloud:\n{}\n", notice.read_aloud());
        println!("For the meeting chat:\n{}\n", notice.chat_line());
        anyhow::bail!(
            "nothing was recorded: show or read the notice above (version {}) to everyone, then run again with --consent granted if all of them agree",
            notice.version()
        );
    }
    let request = RecordingStart {
        people: args
            .participants
            .iter()
            .map(|p| PersonDecision {
                participant: p.clone(),
                decision: LiveDecision::Granted,
            })
            .collect(),
        method: match args.method {
            MethodArg::OnScreen => Method::OnScreen,
            MethodArg::Verbal => Method::Verbal,
        },
        notice_language: language,
        title: args.title,
        transcription_language: Some(args.language.clone()),
        model: args.model.clone(),
        devices: Devices {
            mic: args.mic,
            system: args.system.as_deref().map(|name| match name {
                "none" => SystemSource::None,
                name => SystemSource::Named(name.to_string()),
            }),
        },
    };

    let json = args.events.is_some();
    let terminal = std::io::stderr().is_terminal();
    let sink: EventSink = Arc::new(move |event: Event| print_event(&event, json, terminal));
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    ctrlc::set_handler(move || flag.store(true, Ordering::SeqCst))?;

    let session = app::start_recording(&mut library, &request, sink.clone())?;
    let call_id = session.call_id();
    if !json {
        eprintln!("Recording call {call_id}. Press Ctrl-C to stop.");
    }
    let deadline = args
        .seconds
        .map(|s| Instant::now() + Duration::from_secs_f64(s.max(0.0)));
    while !stop.load(Ordering::SeqCst)
        && !session.is_halted()
        && deadline.is_none_or(|d| Instant::now() < d)
    {
        std::thread::sleep(Duration::from_millis(50));
    }
    let stopped = app::stop_recording(&mut library, session)?;
    let call_id = stopped.call_id;
    let finished = app::finish_call(&mut library, call_id, args.model.as_deref(), &*sink);
    if let Some(reason) = stopped.ended_early {
        // What was captured is stored and transcribed; the exit status still says the call was
        // cut short, so scripts cannot mistake it for a complete recording.
        anyhow::bail!(
            "recording stopped early: {reason}. Call {call_id} keeps the audio recorded until then: `zapis calls show {call_id}`"
        );
    }
    finished?;
    if !json {
        eprintln!("Stopped. Call {call_id} is stored: `zapis calls show {call_id}`.");
        println!("{call_id}");
    }
    Ok(())
}

fn print_event(event: &Event, json: bool, terminal: bool) {
    if json {
        if let Ok(line) = serde_json::to_string(event) {
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "{line}");
            let _ = out.flush();
        }
        return;
    }
    match event {
        Event::Segment {
            is_final,
            speaker,
            start,
            text,
            ..
        } => {
            let mark = if *is_final { "" } else { "…" };
            eprintln!(
                "[{}] {speaker}: {text}{mark}",
                super::clock((start * 1000.0) as i64)
            );
        }
        Event::Level { mic, system } if terminal => {
            let bar = |db: f32| "█".repeat((((db + 60.0) / 60.0).clamp(0.0, 1.0) * 20.0) as usize);
            let sys = system.map(bar).unwrap_or_else(|| "(none)".into());
            eprint!("\rmic {:<20} system {:<20}", bar(*mic), sys);
        }
        Event::Level { .. } => {}
        Event::Progress {
            stage,
            percent,
            eta_seconds,
        } => {
            let eta = eta_seconds
                .map(|s| format!(", about {s:.0} s left"))
                .unwrap_or_default();
            eprintln!("{stage}: {percent:.0}%{eta}");
        }
        Event::Error { message, .. } => eprintln!("\nzapis: {message}"),
        Event::State { .. } => {}
    }
}
