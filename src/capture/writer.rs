//! One thread per channel between the real-time callback and the disk: meters, resamples to
//! 16 kHz, journals, feeds the live frame consumer, and watches the device for failure.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, SyncSender};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::journal::ChunkJournal;
use super::levels::LevelMeter;
use super::recorder::EndReason;
use super::resample::MonoResampler;
use super::stream::{Block, StreamShared, SERVER_GONE};
use super::{
    AudioFrame, CaptureError, CaptureEvent, Channel, FrameTap, LEVELS_PER_SECOND, TARGET_RATE,
};

/// How long the writer sleeps waiting for audio before checking flags; bounds stop latency.
/// Hands resampled samples to the journal (and the live tap) for one channel.
type Deliver<'a> = dyn FnMut(&mut ChunkJournal, u64, &[f32]) -> Result<(), CaptureError> + 'a;

const POLL: Duration = Duration::from_millis(20);

/// How far a channel may fall behind the wall clock before the missing stretch counts as lost
/// audio and is filled with silence, so the two sides and the call's times stay aligned.
pub(crate) const LOSS_TOLERANCE: Duration = Duration::from_millis(80);

pub(crate) struct WriterSetup {
    pub(crate) channel: Channel,
    pub(crate) device: String,
    pub(crate) rate: u32,
    pub(crate) filled: Receiver<Block>,
    pub(crate) recycle: SyncSender<Vec<f32>>,
    pub(crate) shared: Arc<StreamShared>,
    pub(crate) chunks_dir: PathBuf,
    pub(crate) events: Sender<CaptureEvent>,
    pub(crate) tap: Option<FrameTap>,
    /// Set by `stop()` or by the other channel when it fails: finish and seal the journal.
    pub(crate) halt: Arc<AtomicBool>,
    /// Set on withdrawal: leave at once, nothing more is written.
    pub(crate) purge: Arc<AtomicBool>,
    pub(crate) started_at: Instant,
    /// Silence from a device that normally streams continuously means it is gone. PulseAudio
    /// does not report a removed source to cpal, so the writer watches for this itself.
    pub(crate) stall_timeout: Option<Duration>,
}

#[derive(Debug)]
pub(crate) struct WriterReport {
    pub(crate) channel: Channel,
    pub(crate) dropped_frames: u64,
    pub(crate) tap_dropped_frames: u64,
    /// Where the channel's first sample sits on the call's clock (16 kHz samples).
    pub(crate) start_sample: u64,
    /// Silence written in place of audio that never arrived (16 kHz samples).
    pub(crate) padded_samples: u64,
    /// How many separate gaps were filled.
    pub(crate) gaps: u64,
    pub(crate) end: Option<EndReason>,
}

/// Compares the frames a stream delivered with the wall clock. The baseline is the earliest
/// start the deliveries imply, so latency that shrinks later never reads as loss. A delivery
/// that is merely late (this process or the server was starved for a moment) is followed by
/// ones that catch up, so a shortfall counts as lost only when it persists through a whole
/// `CONFIRM` window; it is then filled at that point, at most that much after the real gap.
pub(crate) struct LossClock {
    rate: f64,
    start: Option<Instant>,
    /// Device frames accounted for: delivered plus padded.
    frames: u64,
    /// Device frames the stream delivered. The implied start uses only these: counting the
    /// padding too would move the start earlier after every fill and invent further gaps.
    delivered: u64,
    tolerance: f64,
    window_start: Option<Instant>,
    /// Smallest shortfall (frames) seen since `window_start`.
    window_min: f64,
}

const CONFIRM: Duration = Duration::from_millis(1000);

impl LossClock {
    pub(crate) fn new(rate: u32, tolerance: Duration) -> LossClock {
        LossClock {
            rate: f64::from(rate.max(1)),
            start: None,
            frames: 0,
            delivered: 0,
            tolerance: tolerance.as_secs_f64() * f64::from(rate.max(1)),
            window_start: None,
            window_min: f64::INFINITY,
        }
    }

    fn behind(&self, at: Instant) -> f64 {
        match self.start {
            Some(start) => {
                at.saturating_duration_since(start).as_secs_f64() * self.rate - self.frames as f64
            }
            None => 0.0,
        }
    }

    /// Called for each block (received at `at`) before it is written: the frames of silence to
    /// write first, so the block lands where the clock says it belongs.
    pub(crate) fn before_block(&mut self, at: Instant, len: usize) -> u64 {
        self.frames += len as u64;
        self.delivered += len as u64;
        let implied = at.checked_sub(Duration::from_secs_f64(self.delivered as f64 / self.rate));
        if let Some(implied) = implied {
            if self.start.is_none_or(|start| implied < start) {
                self.start = Some(implied);
            }
        }
        let behind = self.behind(at).max(0.0);
        self.window_min = self.window_min.min(behind);
        let window_start = *self.window_start.get_or_insert(at);
        if at.saturating_duration_since(window_start) < CONFIRM {
            return 0;
        }
        let confirmed = self.window_min;
        self.window_start = Some(at);
        self.window_min = f64::INFINITY;
        if confirmed > self.tolerance {
            let pad = confirmed.round() as u64;
            self.frames += pad;
            pad
        } else {
            0
        }
    }

    /// When the channel's first frame was captured, as best the deliveries tell: the earliest
    /// start any of them implies (a late first delivery makes the first guess too late).
    pub(crate) fn start(&self) -> Option<Instant> {
        self.start
    }

    /// How many of the next frames were captured before `until` (the stop): later ones were
    /// recorded after the user stopped and are not kept.
    pub(crate) fn frames_before(&self, until: Instant) -> u64 {
        match self.start {
            Some(_) => self.behind(until).max(0.0).round() as u64,
            None => u64::MAX,
        }
    }

    /// At the end: silence owed up to `until` (when capture was asked to stop).
    pub(crate) fn at_end(&mut self, until: Instant) -> u64 {
        let behind = self.behind(until);
        if self.start.is_some() && behind > self.tolerance {
            let pad = behind.round() as u64;
            self.frames += pad;
            pad
        } else {
            0
        }
    }
}

pub(crate) fn spawn(setup: WriterSetup) -> Result<JoinHandle<WriterReport>, CaptureError> {
    let resampler = MonoResampler::new(setup.rate)?;
    let name = format!("zapis-writer-{}", setup.channel.file_stem());
    std::thread::Builder::new()
        .name(name)
        .spawn(move || run(setup, resampler))
        .map_err(|e| CaptureError::disk(std::path::Path::new("<writer thread>"), e))
}

fn run(setup: WriterSetup, mut resampler: MonoResampler) -> WriterReport {
    let WriterSetup {
        channel,
        device,
        rate,
        filled,
        recycle,
        shared,
        chunks_dir,
        events,
        tap,
        halt,
        purge,
        started_at,
        stall_timeout,
    } = setup;
    let mut last_audio = Instant::now();
    let mut journal = ChunkJournal::new(&chunks_dir, channel);
    let mut meter = LevelMeter::new(rate, LEVELS_PER_SECOND);
    let mut offset: Option<u64> = None;
    let mut tap_dropped = 0u64;
    let mut reported_drops = 0u64;
    let mut end = None;
    let mut failed = false;

    // Writes resampled audio to the journal and offers it to the live consumer.
    let mut deliver = |journal: &mut ChunkJournal, offset: u64, samples: &[f32]| {
        if let Some(FrameTap(tx)) = &tap {
            let frame = AudioFrame {
                channel,
                start_sample: offset + journal.written(),
                samples: samples.to_vec(),
            };
            if tx.try_send(frame).is_err() {
                tap_dropped += samples.len() as u64;
            }
        }
        journal.write(samples)
    };

    let mut clock = LossClock::new(rate, LOSS_TOLERANCE);
    let mut padded = 0u64;
    let mut gaps = 0u64;
    let silence = vec![0.0f32; 4096];
    let to_16k = |frames: u64| frames * u64::from(TARGET_RATE) / u64::from(rate.max(1));

    // Writes `frames` of silence in place of audio that was lost, and says so.
    let mut fill_gap = |frames: u64,
                        start: u64,
                        journal: &mut ChunkJournal,
                        resampler: &mut MonoResampler,
                        deliver: &mut Deliver<'_>|
     -> Result<(), CaptureError> {
        let at_sample = start + journal.written();
        let mut left = frames;
        while left > 0 {
            let n = left.min(silence.len() as u64) as usize;
            resampler.push(&silence[..n], &mut |out: &[f32]| {
                deliver(journal, start, out)
            })?;
            left -= n as u64;
        }
        padded += to_16k(frames);
        gaps += 1;
        let _ = events.send(CaptureEvent::AudioLost {
            channel,
            at_seconds: at_sample as f64 / f64::from(TARGET_RATE),
            seconds: frames as f64 / f64::from(rate.max(1)),
            total_seconds: padded as f64 / f64::from(TARGET_RATE),
        });
        Ok(())
    };

    let mut handle_block = |block: Block,
                            offset: &mut Option<u64>,
                            journal: &mut ChunkJournal,
                            resampler: &mut MonoResampler,
                            clock: &mut LossClock|
     -> Result<(), CaptureError> {
        let Block { mut samples, at } = block;
        if let Some(until) = shared.stop_requested_at() {
            let keep = clock.frames_before(until);
            if (samples.len() as u64) >= keep {
                samples.truncate(keep as usize);
                shared.caught_up.store(true, Ordering::Release);
            }
            if samples.is_empty() {
                let _ = recycle.try_send(samples);
                return Ok(());
            }
        }
        let start = match *offset {
            Some(start) => start,
            None => {
                // The first block ends when it arrived; its first frame was captured one block
                // earlier.
                let block_secs = samples.len() as f64 / f64::from(rate);
                let secs =
                    (at.saturating_duration_since(started_at).as_secs_f64() - block_secs).max(0.0);
                let start = (secs * f64::from(TARGET_RATE)) as u64;
                *offset = Some(start);
                journal.write_start_offset(start)?;
                start
            }
        };
        let pad = clock.before_block(at, samples.len());
        if pad > 0 {
            fill_gap(pad, start, journal, resampler, &mut deliver)?;
        }
        meter.push(&samples, |level| {
            let _ = events.send(CaptureEvent::Level { channel, level });
        });
        let result = resampler.push(&samples, &mut |out: &[f32]| deliver(journal, start, out));
        let _ = recycle.try_send(samples);
        result
    };

    loop {
        if purge.load(Ordering::Acquire) {
            break;
        }
        let stopping = halt.load(Ordering::Acquire);
        let next = if stopping {
            filled
                .try_recv()
                .map_err(|_| RecvTimeoutError::Disconnected)
        } else {
            filled.recv_timeout(POLL)
        };
        let outcome = match next {
            Ok(block) => {
                last_audio = Instant::now();
                handle_block(block, &mut offset, &mut journal, &mut resampler, &mut clock)
            }
            Err(RecvTimeoutError::Timeout) => journal.flush_if_due(),
            // Queue drained after a halt (the halt may have come while this thread waited).
            Err(RecvTimeoutError::Disconnected) if stopping || halt.load(Ordering::Acquire) => {
                break
            }
            // The stream is gone although nobody stopped it: the audio server dropped it
            // (PulseAudio or PipeWire quit or crashed). Fall through to report it.
            Err(RecvTimeoutError::Disconnected) => {
                if let Ok(mut slot) = shared.failure.lock() {
                    slot.get_or_insert_with(|| SERVER_GONE.to_owned());
                }
                shared.failed.store(true, Ordering::Release);
                Ok(())
            }
        };
        if let Err(e) = outcome {
            let message = e.to_string();
            let _ = events.send(CaptureEvent::WriteFailed {
                channel,
                message: message.clone(),
            });
            end = Some(EndReason::WriteFailed { channel, message });
            failed = true;
            halt_all(&halt, &events);
            break;
        }
        let stalled =
            stall_timeout.is_some_and(|limit| offset.is_some() && last_audio.elapsed() > limit);
        if stalled && !shared.failed.swap(true, Ordering::AcqRel) {
            if let Ok(mut slot) = shared.failure.lock() {
                slot.get_or_insert_with(|| {
                    "the device stopped delivering audio; it was probably unplugged or removed"
                        .to_owned()
                });
            }
        }
        if shared.failed.load(Ordering::Acquire) && end.is_none() {
            let message = shared
                .failure
                .lock()
                .ok()
                .and_then(|m| m.clone())
                .unwrap_or_else(|| "the device stopped delivering audio".to_owned());
            let _ = events.send(CaptureEvent::DeviceLost {
                channel,
                device: device.clone(),
                message: message.clone(),
            });
            end = Some(EndReason::DeviceLost {
                channel,
                device: device.clone(),
                message,
            });
            halt_all(&halt, &events);
        }
        let dropped = shared.dropped_frames.load(Ordering::Relaxed);
        if dropped != reported_drops {
            reported_drops = dropped;
            let _ = events.send(CaptureEvent::FramesDropped {
                channel,
                total: dropped,
            });
        }
    }

    if !purge.load(Ordering::Acquire) && !failed {
        let start = offset.unwrap_or(0);
        // A stop asked for at a known instant: anything the stream still owed up to then was
        // lost on the way and is filled, so both sides end together.
        let owed = match (end.is_none(), shared.stop_requested_at()) {
            (true, Some(until)) if offset.is_some() => clock.at_end(until),
            _ => 0,
        };
        let padded_end = if owed > 0 {
            fill_gap(owed, start, &mut journal, &mut resampler, &mut deliver)
        } else {
            Ok(())
        };
        let sealed = padded_end
            .and_then(|()| resampler.finish(&mut |out: &[f32]| deliver(&mut journal, start, out)))
            .and_then(|()| journal.finish())
            .and_then(|()| {
                // The first delivery only bounds the start from above; the earliest start
                // any delivery implied is closer to the truth, and both sides use the same rule,
                // so they line up. Stored for the final assembly (and recovery) to use.
                match (offset, clock.start()) {
                    (Some(first_guess), Some(at)) => {
                        let secs = at.saturating_duration_since(started_at).as_secs_f64();
                        let refined = ((secs * f64::from(TARGET_RATE)) as u64).min(first_guess);
                        offset = Some(refined);
                        journal.write_start_offset(refined)
                    }
                    _ => Ok(()),
                }
            });
        if let Err(e) = sealed {
            let message = e.to_string();
            let _ = events.send(CaptureEvent::WriteFailed {
                channel,
                message: message.clone(),
            });
            end.get_or_insert(EndReason::WriteFailed { channel, message });
        }
    }
    WriterReport {
        channel,
        dropped_frames: shared.dropped_frames.load(Ordering::Relaxed),
        tap_dropped_frames: tap_dropped,
        start_sample: offset.unwrap_or(0),
        padded_samples: padded,
        gaps,
        end,
    }
}

fn halt_all(halt: &AtomicBool, events: &Sender<CaptureEvent>) {
    if !halt.swap(true, Ordering::AcqRel) {
        let _ = events.send(CaptureEvent::Halted);
    }
}
