//! Capture against a real PulseAudio server (start it with `scripts/pulse-test-env.sh`).

mod support;

use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

use support::*;
use zapis::capture::{
    recover, CaptureError, CaptureEvent, CaptureOptions, EndReason, Recorder, SystemSource,
};
use zapis::consent::{ConsentSession, Decision, Language, Method, Notice, WithdrawalPolicy};

fn options(mic: &TestSink, system: &TestSink) -> CaptureOptions {
    CaptureOptions {
        mic: Some(mic.monitor()),
        system: SystemSource::Named(system.monitor()),
        frames: None,
    }
}

fn wait_for(
    events: &Receiver<CaptureEvent>,
    within: Duration,
    pred: impl Fn(&CaptureEvent) -> bool,
) -> Vec<CaptureEvent> {
    let deadline = Instant::now() + within;
    let mut seen = Vec::new();
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        match events.recv_timeout(left) {
            Ok(e) => {
                let hit = pred(&e);
                seen.push(e);
                if hit {
                    return seen;
                }
            }
            Err(_) => break,
        }
    }
    panic!(
        "expected event not seen within {within:?}; saw {:?}",
        seen.iter()
            .filter(|e| !matches!(e, CaptureEvent::Level { .. }))
            .collect::<Vec<_>>()
    );
}

#[test]
fn system_channel_holds_the_audio_played_into_the_sink() {
    require_pulse();
    let work = tempfile::tempdir().unwrap();
    let (speech, speech16k) = speech_wav(
        work.path(),
        "Hello, this is the customer speaking about the quarterly order.",
    );
    let (mic, system) = (TestSink::new("xc_mic"), TestSink::new("xc_sys"));
    let call_dir = work.path().join("call");
    let (tx, rx) = channel();
    let (tap, frames) = zapis::capture::frame_tap(1024);
    let mut opts = options(&mic, &system);
    opts.frames = Some(tap);
    let recorder = Recorder::start(consent_token(), &call_dir, opts, tx).unwrap();
    let mut player = system.play(&speech);
    assert!(player.wait().unwrap().success());
    std::thread::sleep(Duration::from_millis(500));
    let outcome = recorder.stop().unwrap();

    assert_eq!(outcome.end, EndReason::Stopped);
    assert_eq!(
        outcome.dropped_frames, 0,
        "no frame may be dropped in normal operation"
    );
    let captured = read_mono(outcome.audio.system_path.as_ref().unwrap());
    let reference = read_mono(&speech16k);
    let peak = xcorr_peak(&captured, &reference);
    assert!(peak > 0.5, "normalised cross-correlation {peak:.3} too low");
    // The microphone heard nothing of it: its own sink stayed silent.
    let mic_audio = read_mono(&outcome.audio.mic_path);
    assert!(mic_audio.iter().all(|s| s.abs() < 1e-3));
    let call = hound::WavReader::open(outcome.audio.call_path.as_ref().unwrap()).unwrap();
    assert_eq!(call.spec().channels, 2);

    let levels: Vec<_> = rx
        .try_iter()
        .filter_map(|e| match e {
            CaptureEvent::Level {
                channel: zapis::capture::Channel::System,
                level,
            } => Some(level),
            _ => None,
        })
        .collect();
    let per_second = levels.len() as f64 / outcome.audio.system_seconds.unwrap();
    assert!(
        (15.0..=25.0).contains(&per_second),
        "{per_second} level readings per second"
    );
    assert!(
        levels.iter().any(|l| l.peak_dbfs > -30.0),
        "meters never saw the speech"
    );

    let tapped: Vec<_> = frames
        .try_iter()
        .filter(|f| f.channel == zapis::capture::Channel::System)
        .collect();
    assert_eq!(
        outcome.tap_dropped_frames, 0,
        "the queue was large enough for this call"
    );
    let tapped_len: usize = tapped.iter().map(|f| f.samples.len()).sum();
    assert_eq!(
        tapped_len,
        captured.len(),
        "live frames carry exactly what was stored"
    );
    for pair in tapped.windows(2) {
        assert_eq!(
            pair[0].start_sample + pair[0].samples.len() as u64,
            pair[1].start_sample
        );
    }
    println!("xcorr peak {peak:.3}, {per_second:.1} levels/s");
}

#[test]
fn nothing_is_opened_or_written_before_consent() {
    require_pulse();
    let (mic, system) = (TestSink::new("nc_mic"), TestSink::new("nc_sys"));
    let work = tempfile::tempdir().unwrap();
    let call_dir = work.path().join("call");
    let mut session = ConsentSession::new(
        vec!["Rep".parse().unwrap(), "Customer".parse().unwrap()],
        WithdrawalPolicy::Purge,
    )
    .unwrap();
    session
        .show_notice(&Notice::builtin(Language::SrLatn))
        .unwrap();
    session
        .decide("Rep", Decision::OptIn, Method::OnScreen, chrono::Utc::now())
        .unwrap();
    assert!(
        session.start_recording().is_err(),
        "one opt-in of two is not consent"
    );
    session
        .decide(
            "Customer",
            Decision::OptOut,
            Method::Verbal,
            chrono::Utc::now(),
        )
        .unwrap();
    assert!(session.start_recording().is_err(), "declined");
    assert!(!call_dir.exists(), "a file appeared before consent");
    assert_eq!(
        record_streams_on(&mic.monitor()) + record_streams_on(&system.monitor()),
        0
    );

    // With consent, the same devices open: the check above can tell the difference.
    let (tx, _rx) = channel();
    let recorder = Recorder::start(consent_token(), &call_dir, options(&mic, &system), tx).unwrap();
    assert_eq!(record_streams_on(&mic.monitor()), 1);
    assert_eq!(record_streams_on(&system.monitor()), 1);
    assert!(call_dir.join("chunks").is_dir());
    recorder.stop().unwrap();
}

#[test]
fn withdrawal_stops_within_200ms_and_purges_everything() {
    require_pulse();
    let (mic, system) = (TestSink::new("wd_mic"), TestSink::new("wd_sys"));
    let work = tempfile::tempdir().unwrap();
    let call_dir = work.path().join("call");
    let (tx, _rx) = channel();
    let recorder = Recorder::start(consent_token(), &call_dir, options(&mic, &system), tx).unwrap();
    std::thread::sleep(Duration::from_millis(2500));
    assert!(
        call_dir.join("chunks").read_dir().unwrap().count() > 2,
        "audio was being written"
    );
    let began = Instant::now();
    let reported = recorder.stop_and_purge().unwrap();
    let took = began.elapsed();
    assert!(
        took < Duration::from_millis(200),
        "withdrawal took {took:?}"
    );
    assert!(reported <= took);
    assert!(!call_dir.exists(), "audio left behind after withdrawal");
    assert_eq!(
        record_streams_on(&mic.monitor()) + record_streams_on(&system.monitor()),
        0
    );
    println!("stop and purge took {took:?}");
}

#[test]
fn unplugged_device_stops_cleanly_and_keeps_what_was_captured() {
    require_pulse();
    let mic = TestSink::new("up_mic");
    let mut system = TestSink::new("up_sys");
    let work = tempfile::tempdir().unwrap();
    let call_dir = work.path().join("call");
    let (tx, rx) = channel();
    let recorder = Recorder::start(consent_token(), &call_dir, options(&mic, &system), tx).unwrap();
    std::thread::sleep(Duration::from_secs(3));
    system.unplug();
    let seen = wait_for(&rx, Duration::from_secs(12), |e| {
        matches!(e, CaptureEvent::Halted)
    });
    assert!(
        seen.iter().any(|e| matches!(
            e,
            CaptureEvent::DeviceLost {
                channel: zapis::capture::Channel::System,
                ..
            }
        )),
        "{seen:?}"
    );
    assert!(recorder.is_halted());
    let outcome = recorder.stop().unwrap();
    assert!(
        matches!(outcome.end, EndReason::DeviceLost { .. }),
        "{:?}",
        outcome.end
    );
    let kept = outcome.audio.system_seconds.unwrap();
    assert!(kept > 2.5, "only {kept:.2} s of system audio kept");
    assert!(outcome.audio.mic_seconds > 2.5);
}

/// Runs in a child process started by the kill test; ignored otherwise.
#[test]
#[ignore]
fn child_records_until_killed() {
    let Ok(dir) = std::env::var("ZAPIS_CHILD_CALL_DIR") else {
        return;
    };
    let mic = std::env::var("ZAPIS_CHILD_MIC").unwrap();
    let system = std::env::var("ZAPIS_CHILD_SYSTEM").unwrap();
    let (tx, _rx) = channel();
    let opts = CaptureOptions {
        mic: Some(mic),
        system: SystemSource::Named(system),
        frames: None,
    };
    let _recorder = Recorder::start(consent_token(), Path::new(&dir), opts, tx).unwrap();
    std::fs::write(Path::new(&dir).with_extension("started"), b"").unwrap();
    std::thread::sleep(Duration::from_secs(600));
}

#[test]
fn killed_recorder_loses_at_most_5s_and_is_recovered() {
    require_pulse();
    let (mic, system) = (TestSink::new("kl_mic"), TestSink::new("kl_sys"));
    let work = tempfile::tempdir().unwrap();
    let call_dir = work.path().join("call");
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "child_records_until_killed",
            "--ignored",
            "--nocapture",
        ])
        .env("ZAPIS_CHILD_CALL_DIR", &call_dir)
        .env("ZAPIS_CHILD_MIC", mic.monitor())
        .env("ZAPIS_CHILD_SYSTEM", system.monitor())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let marker = call_dir.with_extension("started");
    let wait_start = Instant::now();
    while !marker.exists() {
        assert!(
            wait_start.elapsed() < Duration::from_secs(20),
            "child never started recording"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let recording_since = Instant::now();
    std::thread::sleep(Duration::from_millis(7300));
    assert!(
        matches!(recover(&call_dir), Err(CaptureError::StillRecording { .. })),
        "recovery must not touch a live recording"
    );
    let killed_after = recording_since.elapsed().as_secs_f64();
    child.kill().unwrap(); // SIGKILL on Unix
    child.wait().unwrap();

    let audio = recover(&call_dir)
        .unwrap()
        .expect("an interrupted call to recover");
    for (name, seconds) in [
        ("mic", audio.mic_seconds),
        ("system", audio.system_seconds.unwrap()),
    ] {
        let lost = killed_after - seconds;
        println!(
            "{name}: recorded {killed_after:.2} s, recovered {seconds:.2} s, lost {lost:.2} s"
        );
        assert!(lost <= 5.0, "{name} lost {lost:.2} s");
    }
    assert!(!call_dir.join("chunks").exists());
    assert!(recover(&call_dir).unwrap().is_none(), "recovery runs once");
}

/// A full disk stops capture with a clear error and keeps every sealed chunk. Needs root to
/// mount a small tmpfs (CI runs as root); elsewhere the test says so and fails.
#[test]
fn full_disk_stops_with_a_clear_error_and_loses_nothing_written() {
    require_pulse();
    let (mic, system) = (TestSink::new("fd_mic"), TestSink::new("fd_sys"));
    let work = tempfile::tempdir().unwrap();
    let mount = work.path().join("small");
    std::fs::create_dir(&mount).unwrap();
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=384k", "tmpfs"])
        .arg(&mount)
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    assert!(
        mounted,
        "mounting a 384 KiB tmpfs failed: this test needs root (as in CI)"
    );
    struct Unmount<'a>(&'a Path);
    impl Drop for Unmount<'_> {
        fn drop(&mut self) {
            let _ = Command::new("umount").arg(self.0).status();
        }
    }
    let _unmount = Unmount(&mount);

    let call_dir = mount.join("call");
    let (tx, rx) = channel();
    let recorder = Recorder::start(consent_token(), &call_dir, options(&mic, &system), tx).unwrap();
    let seen = wait_for(&rx, Duration::from_secs(20), |e| {
        matches!(e, CaptureEvent::Halted)
    });
    let failure = seen.iter().find_map(|e| match e {
        CaptureEvent::WriteFailed { message, .. } => Some(message.clone()),
        _ => None,
    });
    let failure = failure.expect("a WriteFailed event");
    assert!(failure.contains("free disk space"), "{failure}");
    let sealed_seconds = |dir: &Path, stem: &str| -> f64 {
        std::fs::read_dir(dir.join("chunks"))
            .unwrap()
            .flatten()
            .filter(|e| {
                let n = e.file_name().to_string_lossy().into_owned();
                n.starts_with(stem) && n.ends_with(".wav")
            })
            .map(|e| hound::WavReader::open(e.path()).unwrap().duration() as f64 / 16000.0)
            .sum()
    };
    let sealed_mic = sealed_seconds(&call_dir, "mic-");
    assert!(
        sealed_mic >= 2.0,
        "only {sealed_mic} s sealed before the disk filled"
    );

    // Assembling the final files needs room the disk does not have: a clear error, journal kept.
    let stopped = recorder.stop();
    let kept_dir = work.path().join("moved");
    match stopped {
        Err(e) => {
            let message = e.to_string();
            assert!(
                message.contains("free disk space") && message.contains("recover"),
                "{message}"
            );
            assert!(call_dir.join("chunks").is_dir(), "journal must survive");
            // The user frees space (here: moves the call to a roomier disk) and recovers.
            let status = Command::new("cp")
                .arg("-r")
                .arg(&call_dir)
                .arg(&kept_dir)
                .status()
                .unwrap();
            assert!(status.success());
            let audio = recover(&kept_dir).unwrap().expect("journal to recover");
            assert!(
                audio.mic_seconds >= sealed_mic,
                "{} < {sealed_mic}",
                audio.mic_seconds
            );
        }
        Ok(outcome) => {
            assert!(matches!(outcome.end, EndReason::WriteFailed { .. }));
            assert!(outcome.audio.mic_seconds >= sealed_mic);
        }
    }
}
