//! Capture under CPU load against a real PulseAudio server (`scripts/pulse-test-env.sh`): a busy
//! process per core must cost no audio (at most a small stretch the server drops, which
//! must then be reported and filled), and both files must end at the stop, in step.

mod support;

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::channel;
use std::time::Duration;

use support::*;
use zapis::capture::{CaptureEvent, CaptureOptions, Channel, EndReason, Recorder, SystemSource};

/// Busy loops that keep every core occupied; killed (and reaped) on drop, panics included, so
/// the machine is left as it was found.
struct Load(Vec<Child>);

impl Load {
    fn start(processes: usize) -> Load {
        Load(
            (0..processes)
                .map(|_| {
                    Command::new("sh")
                        .args(["-c", "while :; do :; done"])
                        .stdin(Stdio::null())
                        .spawn()
                        .expect("start a busy loop")
                })
                .collect(),
        )
    }
}

impl Drop for Load {
    fn drop(&mut self) {
        for child in &mut self.0 {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// A steady tone long enough to outlast the recording, as 44.1 kHz stereo like a call app plays.
fn tone_wav(path: &Path, hz: f32, seconds: u32) {
    let spec = hound::WavSpec {
        channels: 2,
        sample_rate: 44_100,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::create(path, spec).unwrap();
    for n in 0..44_100 * seconds {
        let s = (std::f32::consts::TAU * hz * n as f32 / 44_100.0).sin() * 0.3;
        let pcm = (s * f32::from(i16::MAX)) as i16;
        w.write_sample(pcm).unwrap();
        w.write_sample(pcm).unwrap();
    }
    w.finalize().unwrap();
}

/// 20 ms windows (at 16 kHz) with no tone in them, after the first sound: gaps in the capture.
fn silent_windows(samples: &[f32]) -> usize {
    let Some(first) = samples.iter().position(|s| s.abs() > 0.05) else {
        return usize::MAX;
    };
    samples[first..]
        .chunks_exact(320)
        .filter(|w| w.iter().map(|s| s * s).sum::<f32>() / 320.0 < 1e-4)
        .count()
}

#[test]
fn two_sides_keep_every_sample_and_stay_aligned_under_cpu_load() {
    require_pulse();
    let work = tempfile::tempdir().unwrap();
    let (mic_tone, system_tone) = (work.path().join("mic.wav"), work.path().join("sys.wav"));
    tone_wav(&mic_tone, 330.0, 40);
    tone_wav(&system_tone, 550.0, 40);
    let (mic, system) = (TestSink::new("ld_mic"), TestSink::new("ld_sys"));
    let mut players = [mic.play(&mic_tone), system.play(&system_tone)];
    // paplay needs a moment to connect; the tones run well past the end of the recording.
    std::thread::sleep(Duration::from_millis(500));
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let load = Load::start(cores.max(2));

    let call_dir = work.path().join("call");
    let (tx, rx) = channel();
    let opts = CaptureOptions {
        mic: Some(mic.monitor()),
        system: SystemSource::Named(system.monitor()),
        frames: None,
    };
    let seconds = 20.0;
    let recorder = Recorder::start(consent_token(), &call_dir, opts, tx).unwrap();
    std::thread::sleep(Duration::from_secs_f64(seconds));
    // Where the stop falls on the files' timeline: both must end there.
    let elapsed = recorder.clock_origin().elapsed().as_secs_f64();
    let outcome = recorder.stop().unwrap();
    drop(load);
    for player in &mut players {
        let _ = player.kill();
        let _ = player.wait();
    }

    let events: Vec<_> = rx
        .try_iter()
        .filter(|e| !matches!(e, CaptureEvent::Level { .. }))
        .collect();
    assert_eq!(outcome.end, EndReason::Stopped, "{events:?}");
    let mic_audio = read_mono(&outcome.audio.mic_path);
    let system_audio = read_mono(outcome.audio.system_path.as_ref().unwrap());
    let report = |channel: Channel, audio: &[f32]| {
        let info = outcome.channel(channel).unwrap();
        let end = (info.start_sample + audio.len() as u64) as f64 / 16_000.0;
        println!(
            "{channel}: starts {:.3} s, {:.3} s long, ends {end:.3} s of {elapsed:.3} s; \
             {} silent 20 ms windows, {} samples padded for loss",
            info.start_sample as f64 / 16_000.0,
            audio.len() as f64 / 16_000.0,
            silent_windows(audio),
            info.padded_samples,
        );
        (end, silent_windows(audio), info.padded_samples)
    };
    let (mic_end, mic_gaps, mic_padded) = report(Channel::Mic, &mic_audio);
    let (system_end, system_gaps, system_padded) = report(Channel::System, &system_audio);
    println!("events: {events:?}");

    assert_eq!(
        outcome.dropped_frames, 0,
        "the disk writer fell behind: {events:?}"
    );
    for (channel, gaps, padded) in [
        (Channel::Mic, mic_gaps, mic_padded),
        (Channel::System, system_gaps, system_padded),
    ] {
        // Every sample should arrive; when the audio server still drops a stretch, it must be
        // a small one, and it must have been noticed, reported and filled (never a silent gap).
        assert!(
            padded <= 16_000 / 5,
            "{channel}: {padded} samples lost under load (over 1 % of the call): {events:?}"
        );
        let reported: f64 = events
            .iter()
            .filter_map(|e| match e {
                CaptureEvent::AudioLost {
                    channel: c,
                    seconds,
                    ..
                } if *c == channel => Some(*seconds),
                _ => None,
            })
            .sum();
        assert!(
            (reported * 16_000.0 - padded as f64).abs() < 160.0,
            "{channel}: {padded} samples filled but {reported:.3} s reported"
        );
        assert!(
            gaps * 320 <= padded as usize + 640,
            "{channel}: {gaps} silent 20 ms windows, only {padded} samples reported as lost"
        );
    }
    for (channel, end) in [(Channel::Mic, mic_end), (Channel::System, system_end)] {
        assert!(
            (elapsed - end).abs() < 0.1,
            "{channel} ends at {end:.3} s, the recording was stopped at {elapsed:.3} s"
        );
    }
    assert!(
        (mic_end - system_end).abs() < 0.1,
        "sides out of step: mic ends {mic_end:.3} s, system {system_end:.3} s"
    );
}
