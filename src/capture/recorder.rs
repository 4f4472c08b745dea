use std::fs::{self, File, OpenOptions};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::consent::ConsentToken;

use super::devices::{self, SystemChoice};
use super::journal::{self, CHUNKS_DIR};
use super::recover::{assemble, final_path, FinalAudio};
use super::stream::{self, StreamShared};
use super::writer::{self, WriterReport, WriterSetup};
use super::{CaptureError, CaptureEvent, CaptureOptions, Channel};

/// PulseAudio delivers a block every ~20 ms even in silence; three seconds without any (generous, so a loaded machine is not mistaken for it) mean the
/// source is gone.
const STALL_TIMEOUT: Duration = Duration::from_millis(3000);

/// How long `stop` waits at most for audio captured before it to arrive: one delivery period
/// of `stream.rs` plus the server's latency, with room for a loaded machine. What has not
/// arrived by then is counted as lost (and filled with silence).
const STOP_DRAIN: Duration = Duration::from_millis(1000);

/// Why capture ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EndReason {
    /// `stop()` was called.
    Stopped,
    DeviceLost {
        channel: Channel,
        device: String,
        message: String,
    },
    WriteFailed {
        channel: Channel,
        message: String,
    },
}

/// What one channel's capture came to.
#[derive(Debug, Clone, PartialEq)]
pub struct ChannelReport {
    pub channel: Channel,
    /// Where the channel's first sample sits on the call's clock, in 16 kHz samples.
    pub start_sample: u64,
    /// 16 kHz samples of silence written where audio never arrived (normally zero).
    pub padded_samples: u64,
    /// Separate stretches of lost audio.
    pub gaps: u64,
}

#[derive(Debug)]
pub struct CaptureOutcome {
    pub audio: FinalAudio,
    /// Length of the call: the longer of the two channels.
    pub seconds: f64,
    /// Frames the recorder had to drop because the disk writer fell behind (normally zero).
    pub dropped_frames: u64,
    /// 16 kHz samples the live frame consumer missed because it fell behind.
    pub tap_dropped_frames: u64,
    /// Set when only the microphone was recorded, with the reason to show the user.
    pub system_unavailable: Option<String>,
    pub end: EndReason,
    pub channels: Vec<ChannelReport>,
}

impl CaptureOutcome {
    pub fn channel(&self, channel: Channel) -> Option<&ChannelReport> {
        self.channels.iter().find(|c| c.channel == channel)
    }

    /// Seconds of audio lost on either channel (filled with silence in the files).
    pub fn lost_seconds(&self) -> f64 {
        self.channels
            .iter()
            .map(|c| c.padded_samples as f64 / f64::from(super::TARGET_RATE))
            .fold(0.0, f64::max)
    }
}

/// A running capture. Dropping it without `stop` seals the journal so `recover` can finish it.
pub struct Recorder {
    consent: ConsentToken,
    call_dir: PathBuf,
    streams: Vec<cpal::Stream>,
    writers: Vec<(Channel, JoinHandle<WriterReport>, Arc<StreamShared>)>,
    halt: Arc<AtomicBool>,
    purge: Arc<AtomicBool>,
    system_unavailable: Option<String>,
    watcher: Option<JoinHandle<()>>,
    /// The instant sample 0 of both files stands for.
    started_at: Instant,
    _lock: File,
}

impl Recorder {
    /// The instant the recordings' time zero stands for: a channel whose first sample sits at
    /// `start_sample` began `start_sample / 16 kHz` seconds after it.
    pub fn clock_origin(&self) -> Instant {
        self.started_at
    }

    /// Starts recording into `call_dir` (created if missing; must not hold another recording).
    pub fn start(
        consent: ConsentToken,
        call_dir: &Path,
        options: CaptureOptions,
        events: Sender<CaptureEvent>,
    ) -> Result<Recorder, CaptureError> {
        let host = devices::host();
        let (mic_device, mic_name) = devices::find_mic(&host, options.mic.as_deref())?;
        let system = devices::find_system(&host, &options.system)?;

        let chunks_dir = call_dir.join(CHUNKS_DIR);
        if chunks_dir.exists() || final_path(call_dir, Channel::Mic).exists() {
            return Err(CaptureError::CallDirInUse {
                call_dir: call_dir.to_owned(),
            });
        }
        fs::create_dir_all(&chunks_dir).map_err(|e| CaptureError::disk(&chunks_dir, e))?;
        let started_at = Instant::now();
        let result = (|| {
            let lock_path = chunks_dir.join(".lock");
            let lock = OpenOptions::new()
                .create(true)
                .write(true)
                .truncate(false)
                .open(&lock_path)
                .map_err(|e| CaptureError::disk(&lock_path, e))?;
            lock.try_lock().map_err(|_| CaptureError::StillRecording {
                call_dir: call_dir.to_owned(),
            })?;
            journal::sync_dir(call_dir)?;

            // A PulseAudio record stream only reports started once audio flows, which can
            // take about a second on an idle source: open both devices side by side.
            let (mic, system_opened) = std::thread::scope(|scope| {
                let system = match &system {
                    SystemChoice::Device(device, name) => Some(scope.spawn(move || {
                        stream::open_input(device, Channel::System, name, started_at)
                    })),
                    SystemChoice::Unavailable(_) => None,
                };
                let mic = stream::open_input(&mic_device, Channel::Mic, &mic_name, started_at);
                (mic, system.map(|handle| handle.join()))
            });
            let mut opened = vec![(Channel::Mic, mic_name.clone(), mic?)];
            let mut system_unavailable = None;
            match (system_opened, &system_choice_name(&system)) {
                (Some(Ok(Ok(s))), Some(name)) => opened.push((Channel::System, name.clone(), s)),
                (Some(Ok(Err(e))), _) => {
                    system_unavailable = Some(format!("{e}; only the microphone is recorded"))
                }
                (Some(Err(_)), _) | (Some(Ok(Ok(_))), None) => {
                    system_unavailable = Some(
                        "opening the system audio device failed unexpectedly; only the \
                         microphone is recorded"
                            .to_owned(),
                    )
                }
                (None, _) => {
                    if let SystemChoice::Unavailable(reason) = &system {
                        system_unavailable = Some(reason.clone());
                    }
                }
            }
            Ok((lock, opened, system_unavailable))
        })();
        let (lock, opened, system_unavailable) = match result {
            Ok(parts) => parts,
            Err(e) => {
                // Nothing was recorded: leave the folder as it was found.
                let _ = fs::remove_dir_all(&chunks_dir);
                let _ = fs::remove_dir(call_dir);
                return Err(e);
            }
        };
        if let Some(reason) = &system_unavailable {
            let _ = events.send(CaptureEvent::SystemAudioUnavailable {
                reason: reason.clone(),
            });
        }
        let halt = Arc::new(AtomicBool::new(false));
        let purge = Arc::new(AtomicBool::new(false));
        let system_name = opened
            .iter()
            .find(|(c, _, _)| *c == Channel::System)
            .map(|(_, n, _)| n.clone());
        let mut recorder = Recorder {
            consent,
            call_dir: call_dir.to_owned(),
            streams: Vec::new(),
            writers: Vec::new(),
            halt: Arc::clone(&halt),
            purge: Arc::clone(&purge),
            system_unavailable,
            watcher: None,
            started_at,
            _lock: lock,
        };
        let watched_names: Vec<String> = opened.iter().map(|(_, name, _)| name.clone()).collect();
        for (channel, device, opened) in opened {
            let shared = Arc::clone(&opened.shared);
            recorder.streams.push(opened.stream);
            let handle = writer::spawn(WriterSetup {
                channel,
                device,
                rate: opened.rate,
                filled: opened.filled,
                recycle: opened.recycle,
                shared: Arc::clone(&shared),
                chunks_dir: chunks_dir.clone(),
                events: events.clone(),
                tap: options.frames.clone(),
                halt: Arc::clone(&halt),
                purge: Arc::clone(&purge),
                started_at,
                stall_timeout: devices::streams_continuously(&host).then_some(STALL_TIMEOUT),
            })?;
            recorder.writers.push((channel, handle, shared));
        }
        // Only where devices can vanish without the stream failing (PulseAudio moves streams);
        // listing is cheap there and the watcher ends with the recording.
        if devices::streams_continuously(&host) && !cfg!(target_os = "windows") {
            let watched = recorder
                .writers
                .iter()
                .zip(&watched_names)
                .map(|((_, _, shared), name)| (name.clone(), Arc::clone(shared)))
                .collect();
            recorder.watcher = devices::watch_presence(watched, Arc::clone(&halt)).ok();
        }
        let _ = events.send(CaptureEvent::Started {
            mic_device: mic_name,
            system_device: system_name,
        });
        Ok(recorder)
    }

    pub fn call_dir(&self) -> &Path {
        &self.call_dir
    }

    /// The consent this recording runs under.
    pub fn consent(&self) -> &ConsentToken {
        &self.consent
    }

    /// True once capture stopped by itself (device lost, write failed); call `stop` next.
    pub fn is_halted(&self) -> bool {
        self.halt.load(Ordering::Acquire)
    }

    /// Stops capture and writes the final files.
    pub fn stop(mut self) -> Result<CaptureOutcome, CaptureError> {
        let reports = self.shut_down(false)?;
        let mut end = EndReason::Stopped;
        let mut dropped_frames = 0;
        let mut tap_dropped_frames = 0;
        let mut channels = Vec::new();
        for report in &reports {
            channels.push(ChannelReport {
                channel: report.channel,
                start_sample: report.start_sample,
                padded_samples: report.padded_samples,
                gaps: report.gaps,
            });
            dropped_frames += report.dropped_frames;
            tap_dropped_frames += report.tap_dropped_frames;
            if let (EndReason::Stopped, Some(reason)) = (&end, &report.end) {
                end = reason.clone();
            }
        }
        // Seal errors leave the journal in place; assembling may still succeed (say, after a
        // disk error on the newest chunk) and then everything captured is kept.
        let audio = assemble(&self.call_dir)?;
        let seconds = audio.system_seconds.unwrap_or(0.0).max(audio.mic_seconds);
        Ok(CaptureOutcome {
            audio,
            seconds,
            dropped_frames,
            tap_dropped_frames,
            system_unavailable: self.system_unavailable.take(),
            end,
            channels,
        })
    }

    /// Stops capture at once and deletes everything recorded (a participant withdrew).
    /// Returns how long stopping and deleting took.
    pub fn stop_and_purge(mut self) -> Result<Duration, CaptureError> {
        let began = Instant::now();
        self.shut_down(true)?;
        let chunks = self.call_dir.join(CHUNKS_DIR);
        if chunks.exists() {
            fs::remove_dir_all(&chunks).map_err(|e| CaptureError::disk(&chunks, e))?;
        }
        for channel in [Channel::Mic, Channel::System] {
            let path = final_path(&self.call_dir, channel);
            if path.exists() {
                fs::remove_file(&path).map_err(|e| CaptureError::disk(&path, e))?;
            }
        }
        let _ = fs::remove_dir(&self.call_dir);
        Ok(began.elapsed())
    }

    fn shut_down(&mut self, purge: bool) -> Result<Vec<WriterReport>, CaptureError> {
        if purge {
            self.purge.store(true, Ordering::Release);
        } else if !self.halt.load(Ordering::Acquire) {
            // Audio captured before this instant may still be on its way from the server:
            // wait (briefly) for each stream to deliver past it, so nothing before the stop
            // is lost and both sides end together.
            let stop_at = Instant::now();
            for (_, _, shared) in &self.writers {
                shared.request_stop(stop_at);
            }
            let deadline = stop_at + STOP_DRAIN;
            while Instant::now() < deadline
                && self.writers.iter().any(|(_, _, shared)| {
                    !shared.failed.load(Ordering::Acquire)
                        && !shared.caught_up.load(Ordering::Acquire)
                })
            {
                std::thread::sleep(Duration::from_millis(5));
            }
        }
        for (_, _, shared) in &self.writers {
            shared.stopping.store(true, Ordering::Release);
        }
        self.halt.store(true, Ordering::Release);
        // Dropping the streams closes the devices; the writers then drain what is queued.
        self.streams.clear();
        let mut reports = Vec::new();
        for (channel, handle, _) in self.writers.drain(..) {
            let report = handle.join().map_err(|_| CaptureError::WriterPanicked {
                channel,
                call_dir: self.call_dir.clone(),
            })?;
            reports.push(report);
        }
        if let Some(watcher) = self.watcher.take() {
            let _ = watcher.join();
        }
        Ok(reports)
    }
}

impl Drop for Recorder {
    fn drop(&mut self) {
        // Not stopped explicitly (an early return or a panic in the caller): seal the journal
        // so the next start can recover the call.
        if !self.writers.is_empty() {
            let _ = self.shut_down(false);
        }
    }
}

fn system_choice_name(choice: &SystemChoice) -> Option<String> {
    match choice {
        SystemChoice::Device(_, name) => Some(name.clone()),
        SystemChoice::Unavailable(_) => None,
    }
}
