//! Helpers for tests against the private PulseAudio server of `scripts/pulse-test-env.sh`.
#![allow(dead_code)]

pub mod notifications;
pub mod recording;

use std::path::{Path, PathBuf};
use std::process::Command;

use zapis::consent::{
    ConsentSession, ConsentToken, Decision, Language, Method, Notice, Participant, WithdrawalPolicy,
};

/// Fails loudly when the server is not running: a capture test that silently skipped would
/// prove nothing.
pub fn require_pulse() {
    let ok = Command::new("pactl")
        .arg("info")
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    assert!(
        ok,
        "PulseAudio is not reachable; run `eval \"$(scripts/pulse-test-env.sh)\"` first"
    );
}

pub fn pactl(args: &[&str]) -> String {
    let out = Command::new("pactl")
        .args(args)
        .output()
        .expect("run pactl");
    assert!(
        out.status.success(),
        "pactl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A null sink of the test's own, so tests running in parallel never hear each other.
pub struct TestSink {
    pub name: String,
    module: String,
}

impl TestSink {
    pub fn new(tag: &str) -> TestSink {
        let name = format!("zt_{tag}_{}", std::process::id());
        let module = pactl(&[
            "load-module",
            "module-null-sink",
            &format!("sink_name={name}"),
        ])
        .trim()
        .to_owned();
        TestSink { name, module }
    }

    pub fn monitor(&self) -> String {
        format!("{}.monitor", self.name)
    }

    /// Removes the sink (and its monitor) as if the device had been unplugged.
    pub fn unplug(&mut self) {
        if !self.module.is_empty() {
            pactl(&["unload-module", &self.module]);
            self.module.clear();
        }
    }

    pub fn play(&self, wav: &Path) -> std::process::Child {
        Command::new("paplay")
            .args(["-d", &self.name])
            .arg(wav)
            .spawn()
            .expect("run paplay")
    }
}

impl Drop for TestSink {
    fn drop(&mut self) {
        if !self.module.is_empty() {
            let _ = Command::new("pactl")
                .args(["unload-module", &self.module])
                .status();
        }
    }
}

/// Speech made with espeak-ng, converted to 16 kHz mono for comparison with the capture.
pub fn speech_wav(dir: &Path, text: &str) -> (PathBuf, PathBuf) {
    let raw = dir.join("speech.wav");
    let status = Command::new("espeak-ng")
        .args(["-w"])
        .arg(&raw)
        .arg(text)
        .status();
    assert!(
        status.map(|s| s.success()).unwrap_or(false),
        "espeak-ng failed"
    );
    let at16k = dir.join("speech16k.wav");
    let status = Command::new("sox")
        .arg(&raw)
        .args(["-r", "16000", "-c", "1", "-b", "16"])
        .arg(&at16k)
        .status();
    assert!(status.map(|s| s.success()).unwrap_or(false), "sox failed");
    (raw, at16k)
}

pub fn read_mono(path: &Path) -> Vec<f32> {
    let reader = hound::WavReader::open(path).expect("open wav");
    assert_eq!(reader.spec().sample_rate, 16_000);
    reader
        .into_samples::<i16>()
        .map(|s| f32::from(s.expect("sample")) / 32768.0)
        .collect()
}

/// Peak of the normalised cross-correlation of `needle` within `haystack`, over all lags.
pub fn xcorr_peak(haystack: &[f32], needle: &[f32]) -> f64 {
    // Coarse search on 4x-decimated signals, then refine at full rate near the best lag.
    let decimate =
        |x: &[f32]| -> Vec<f32> { x.chunks(4).map(|c| c.iter().sum::<f32>() / 4.0).collect() };
    let (h4, n4) = (decimate(haystack), decimate(needle));
    let best = best_lag(&h4, &n4, 0..h4.len().saturating_sub(n4.len()) + 1).0 * 4;
    let lo = best.saturating_sub(8);
    let hi = (best + 8).min(haystack.len().saturating_sub(needle.len()));
    best_lag(haystack, needle, lo..hi + 1).1
}

fn best_lag(h: &[f32], n: &[f32], lags: std::ops::Range<usize>) -> (usize, f64) {
    let n_energy: f64 = n.iter().map(|&x| f64::from(x) * f64::from(x)).sum();
    let mut best = (0, 0.0);
    for lag in lags {
        let Some(window) = h.get(lag..lag + n.len()) else {
            break;
        };
        let (mut dot, mut energy) = (0.0f64, 0.0f64);
        for (&a, &b) in window.iter().zip(n) {
            dot += f64::from(a) * f64::from(b);
            energy += f64::from(a) * f64::from(a);
        }
        let score = if energy > 0.0 && n_energy > 0.0 {
            dot / (energy * n_energy).sqrt()
        } else {
            0.0
        };
        if score > best.1 {
            best = (lag, score);
        }
    }
    best
}

pub fn consent_token() -> ConsentToken {
    let rep = Participant::new("Rep", None).unwrap();
    let mut session = ConsentSession::new(vec![rep], WithdrawalPolicy::Purge).unwrap();
    session.show_notice(&Notice::builtin(Language::En)).unwrap();
    session
        .decide("Rep", Decision::OptIn, Method::OnScreen, chrono::Utc::now())
        .unwrap();
    session.start_recording().unwrap()
}

/// Recording streams open on the source named `source`.
pub fn record_streams_on(source: &str) -> usize {
    let sources = pactl(&["list", "short", "sources"]);
    let Some(index) = sources
        .lines()
        .find(|l| l.split('\t').nth(1) == Some(source))
        .and_then(|l| l.split('\t').next())
    else {
        return 0;
    };
    pactl(&["list", "short", "source-outputs"])
        .lines()
        .filter(|l| l.split('\t').nth(1) == Some(index))
        .count()
}
