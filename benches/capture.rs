//! Records from the null sink of `scripts/pulse-test-env.sh` while audio plays into it and
//! prints CPU time per audio minute and peak RSS. `ZAPIS_BENCH_MINUTES` (default 10) sets the
//! length. Targets: under 3% of one core, under 30 MB RSS.

use std::process::{Child, Command};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::channel;
use std::sync::Arc;
use std::time::{Duration, Instant};

use zapis::capture::{CaptureEvent, CaptureOptions, Recorder, SystemSource};
use zapis::consent::{ConsentSession, Decision, Language, Method, Notice, WithdrawalPolicy};

fn cpu_and_peak_rss() -> (Duration, u64) {
    // SAFETY: getrusage only writes into the struct we pass.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    (
        tv(usage.ru_utime) + tv(usage.ru_stime),
        peak_rss_of_this_image().unwrap_or(usage.ru_maxrss as u64 * 1024),
    )
}

/// Peak RSS of this program only. Linux carries the parent's high-water mark across exec into
/// getrusage's `ru_maxrss`, and cargo spawns benches with a shared-memory vfork, so that figure
/// was cargo's ~110 MB, not the bench's. `VmHWM` belongs to this process's own memory map.
fn peak_rss_of_this_image() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // `cargo bench` passes `--bench`; nothing else to parse.
    let minutes: f64 = std::env::var("ZAPIS_BENCH_MINUTES")
        .ok()
        .and_then(|m| m.parse().ok())
        .unwrap_or(10.0);
    let work = tempfile::tempdir()?;
    let program = work.path().join("program.wav");
    // Speech-like material: a sweep with noise, 30 s, replayed for the whole run.
    let made = Command::new("sox")
        .args(["-n", "-r", "44100", "-c", "2"])
        .arg(&program)
        .args(["synth", "30", "sine", "200-3000", "pinknoise", "vol", "0.3"])
        .status()?;
    if !made.success() {
        return Err("sox could not make the test signal".into());
    }

    let playing = Arc::new(AtomicBool::new(true));
    let player = {
        let playing = Arc::clone(&playing);
        let program = program.clone();
        std::thread::spawn(move || {
            let mut child: Option<Child> = None;
            while playing.load(Ordering::Relaxed) {
                let done = match child.as_mut() {
                    None => true,
                    Some(c) => c.try_wait().ok().flatten().is_some(),
                };
                if done {
                    child = Command::new("paplay")
                        .args(["-d", "zapis_null"])
                        .arg(&program)
                        .spawn()
                        .ok();
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            if let Some(mut c) = child {
                let _ = c.kill();
                let _ = c.wait();
            }
        })
    };

    let mut consent = ConsentSession::new(vec!["Bench".parse()?], WithdrawalPolicy::Purge)?;
    consent.show_notice(&Notice::builtin(Language::En))?;
    consent.decide(
        "Bench",
        Decision::OptIn,
        Method::OnScreen,
        chrono::Utc::now(),
    )?;
    let token = consent.start_recording()?;

    let (tx, rx) = channel();
    let (cpu_before, _) = cpu_and_peak_rss();
    let wall = Instant::now();
    let recorder = Recorder::start(
        token,
        &work.path().join("call"),
        CaptureOptions {
            mic: None,
            system: SystemSource::Default,
            frames: None,
        },
        tx,
    )?;
    let run_for = Duration::from_secs_f64(minutes * 60.0);
    let mut levels = 0u64;
    while wall.elapsed() < run_for {
        std::thread::sleep(Duration::from_millis(200));
        levels += rx
            .try_iter()
            .filter(|e| matches!(e, CaptureEvent::Level { .. }))
            .count() as u64;
    }
    let outcome = recorder.stop()?;
    let (cpu_after, peak_rss) = cpu_and_peak_rss();
    playing.store(false, Ordering::Relaxed);
    let _ = player.join();

    let audio_minutes = outcome.seconds / 60.0;
    let cpu = (cpu_after - cpu_before).as_secs_f64();
    println!(
        "recorded        {:.2} min of audio ({:.1} s wall, 2 channels)",
        audio_minutes,
        wall.elapsed().as_secs_f64()
    );
    println!(
        "cpu per minute  {:.3} s/audio-min = {:.2}% of one core (target < 3%)",
        cpu / audio_minutes,
        100.0 * cpu / (audio_minutes * 60.0)
    );
    println!(
        "peak rss        {:.1} MB (target < 30 MB)",
        peak_rss as f64 / 1e6
    );
    println!("dropped frames  {}", outcome.dropped_frames);
    println!(
        "level readings  {:.1}/s",
        levels as f64 / wall.elapsed().as_secs_f64()
    );
    println!(
        "system channel  {:?} s, mic {:.1} s, end {:?}",
        outcome.audio.system_seconds, outcome.audio.mic_seconds, outcome.end
    );
    Ok(())
}
