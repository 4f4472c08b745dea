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
use super::stream::StreamShared;
use super::{
    AudioFrame, CaptureError, CaptureEvent, Channel, FrameTap, LEVELS_PER_SECOND, TARGET_RATE,
};

/// How long the writer sleeps waiting for audio before checking flags; bounds stop latency.
const POLL: Duration = Duration::from_millis(20);

pub(crate) struct WriterSetup {
    pub(crate) channel: Channel,
    pub(crate) device: String,
    pub(crate) rate: u32,
    pub(crate) filled: Receiver<Vec<f32>>,
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
    pub(crate) dropped_frames: u64,
    pub(crate) tap_dropped_frames: u64,
    pub(crate) end: Option<EndReason>,
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

    let mut handle_block =
        |block: Vec<f32>, offset: &mut Option<u64>, journal: &mut ChunkJournal| {
            let start = match *offset {
                Some(start) => start,
                None => {
                    // The first block ends now; its first frame was captured one block earlier.
                    let block_secs = block.len() as f64 / f64::from(rate);
                    let secs = (started_at.elapsed().as_secs_f64() - block_secs).max(0.0);
                    let start = (secs * f64::from(TARGET_RATE)) as u64;
                    *offset = Some(start);
                    journal.write_start_offset(start)?;
                    start
                }
            };
            meter.push(&block, |level| {
                let _ = events.send(CaptureEvent::Level { channel, level });
            });
            let result = resampler.push(&block, &mut |out: &[f32]| deliver(journal, start, out));
            let _ = recycle.try_send(block);
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
                handle_block(block, &mut offset, &mut journal)
            }
            Err(RecvTimeoutError::Timeout) => journal.flush_if_due(),
            // Queue drained after a halt, or the stream is gone.
            Err(RecvTimeoutError::Disconnected) => break,
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
        let sealed = resampler
            .finish(&mut |out: &[f32]| deliver(&mut journal, start, out))
            .and_then(|()| journal.finish());
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
        dropped_frames: shared.dropped_frames.load(Ordering::Relaxed),
        tap_dropped_frames: tap_dropped,
        end,
    }
}

fn halt_all(halt: &AtomicBool, events: &Sender<CaptureEvent>) {
    if !halt.swap(true, Ordering::AcqRel) {
        let _ = events.send(CaptureEvent::Halted);
    }
}
