//! The real-time side: cpal callbacks that downmix into pre-allocated blocks and hand them to
//! the writer thread. The callback never allocates, locks or touches the disk: it takes an
//! empty block from a bounded pool, fills it and passes it on; when either queue is exhausted
//! it counts the frames it had to drop instead of waiting.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use cpal::traits::{DeviceTrait, StreamTrait};
use cpal::{BufferSize, SampleFormat, StreamConfig, SupportedBufferSize};

use super::{CaptureError, Channel};

/// Mono samples per block. With 256 blocks a channel can absorb about 11 s (at 48 kHz) of
/// writer stalls (a slow fsync on a busy disk) before dropping anything, for 2 MiB of memory.
pub(crate) const BLOCK_SAMPLES: usize = 2048;
pub(crate) const POOL_BLOCKS: usize = 256;

/// Deliveries every 250 ms. Released cpal's PulseAudio host made this one number both the
/// fragment size and the server-side buffer (`maxlength`), beyond which the server silently
/// drops what a client has not read yet; measured with `tests/capture_load.rs` on a loaded
/// 2-core machine, 40 ms (the former value) lost about a quarter of every call and 250 ms now
/// and then a stretch. A monitor whose sink rendered in larger chunks still lost up to 750 ms a
/// second, so Zapis builds cpal with `maxlength` at eight fragments (vendor/README.md). Meters
/// (20 readings a second) arrive in bursts of five.
const CALLBACKS_PER_SECOND: u32 = 4;
const OPEN_TIMEOUT: Duration = Duration::from_secs(5);

/// What the user is told when the audio server drops the stream.
pub(crate) const SERVER_GONE: &str =
    "the audio server went away (PulseAudio or PipeWire stopped or crashed)";

/// A run of mono samples at the device rate and when the callback received it.
pub(crate) struct Block {
    pub(crate) samples: Vec<f32>,
    pub(crate) at: Instant,
}

/// What the writer learns about a stream besides its samples.
pub(crate) struct StreamShared {
    pub(crate) dropped_frames: AtomicU64,
    pub(crate) epoch: Instant,
    /// When `stop()` was called, in microseconds since `epoch` (0: not asked to stop).
    pub(crate) stop_requested_us: AtomicU64,
    pub(crate) stopping: AtomicBool,
    /// Set by the writer once it holds every frame captured before the requested stop.
    pub(crate) caught_up: AtomicBool,
    pub(crate) failed: AtomicBool,
    pub(crate) failure: Mutex<Option<String>>,
}

impl StreamShared {
    fn micros_since_epoch(&self, at: Instant) -> u64 {
        let us = at.saturating_duration_since(self.epoch).as_micros();
        u64::try_from(us).unwrap_or(u64::MAX).max(1)
    }

    pub(crate) fn request_stop(&self, at: Instant) {
        self.stop_requested_us
            .store(self.micros_since_epoch(at), Ordering::Release);
    }

    pub(crate) fn stop_requested_at(&self) -> Option<Instant> {
        match self.stop_requested_us.load(Ordering::Acquire) {
            0 => None,
            us => self.epoch.checked_add(Duration::from_micros(us)),
        }
    }
}

pub(crate) struct OpenedStream {
    pub(crate) stream: cpal::Stream,
    pub(crate) rate: u32,
    pub(crate) filled: Receiver<Block>,
    pub(crate) recycle: SyncSender<Vec<f32>>,
    pub(crate) shared: Arc<StreamShared>,
}

/// Opens and starts an input stream on `device`, converted to mono f32 blocks.
pub(crate) fn open_input(
    device: &cpal::Device,
    channel: Channel,
    device_name: &str,
    epoch: Instant,
) -> Result<OpenedStream, CaptureError> {
    let open_err = |e: cpal::Error| CaptureError::OpenDevice {
        channel,
        device: device_name.to_owned(),
        message: e.to_string(),
    };
    let default = device.default_input_config().map_err(open_err)?;
    let channels = default.channels().max(1);
    let rate = default.sample_rate();
    // Prefer f32 (no conversion); fall back to i16, the other format every backend offers.
    let supports = |format: SampleFormat| {
        device.supported_input_configs().is_ok_and(|mut configs| {
            configs.any(|c| {
                c.sample_format() == format && c.channels() == channels && c.contains_rate(rate)
            })
        })
    };
    let format = if default.sample_format() == SampleFormat::F32 || supports(SampleFormat::F32) {
        SampleFormat::F32
    } else if default.sample_format() == SampleFormat::I16 || supports(SampleFormat::I16) {
        SampleFormat::I16
    } else {
        return Err(CaptureError::OpenDevice {
            channel,
            device: device_name.to_owned(),
            message: format!(
                "it only offers {} samples; Zapis reads 32-bit float or 16-bit integer input",
                default.sample_format()
            ),
        });
    };
    let wanted_frames = (rate / CALLBACKS_PER_SECOND).max(1);
    let buffer_size = match default.buffer_size() {
        SupportedBufferSize::Range { min, max } if (*min..=*max).contains(&wanted_frames) => {
            BufferSize::Fixed(wanted_frames)
        }
        _ => BufferSize::Default,
    };
    let config = StreamConfig {
        channels,
        sample_rate: rate,
        buffer_size,
    };

    let (filled_tx, filled) = sync_channel::<Block>(POOL_BLOCKS);
    let (recycle, free) = sync_channel::<Vec<f32>>(POOL_BLOCKS);
    for _ in 0..POOL_BLOCKS {
        // Cannot fail: the channel was sized for exactly these blocks.
        let _ = recycle.try_send(Vec::with_capacity(BLOCK_SAMPLES));
    }
    let shared = Arc::new(StreamShared {
        dropped_frames: AtomicU64::new(0),
        epoch,
        stop_requested_us: AtomicU64::new(0),
        stopping: AtomicBool::new(false),
        caught_up: AtomicBool::new(false),
        failed: AtomicBool::new(false),
        failure: Mutex::new(None),
    });

    let mut sink = BlockSink {
        free,
        filled: filled_tx,
        recycle: recycle.clone(),
        shared: Arc::clone(&shared),
        channels: usize::from(channels),
        rate: f64::from(rate.max(1)),
    };
    let on_error = {
        let shared = Arc::clone(&shared);
        move |err: cpal::Error| {
            // Error callbacks are rare and not on the audio path, so a lock is fine here.
            let message = match err.kind() {
                cpal::ErrorKind::StreamInvalidated | cpal::ErrorKind::HostUnavailable => {
                    format!("{SERVER_GONE} ({err})")
                }
                _ => err.to_string(),
            };
            if let Ok(mut slot) = shared.failure.lock() {
                slot.get_or_insert(message);
            }
            shared.failed.store(true, Ordering::Release);
        }
    };
    let stream = match format {
        SampleFormat::F32 => device.build_input_stream::<f32, _, _>(
            config,
            move |data, _| sink.push(data, |s| s),
            on_error,
            Some(OPEN_TIMEOUT),
        ),
        _ => device.build_input_stream::<i16, _, _>(
            config,
            move |data, _| sink.push(data, |s| f32::from(s) / 32768.0),
            on_error,
            Some(OPEN_TIMEOUT),
        ),
    }
    .map_err(open_err)?;
    stream.play().map_err(open_err)?;
    Ok(OpenedStream {
        stream,
        rate,
        filled,
        recycle,
        shared,
    })
}

struct BlockSink {
    free: Receiver<Vec<f32>>,
    filled: SyncSender<Block>,
    recycle: SyncSender<Vec<f32>>,
    shared: Arc<StreamShared>,
    channels: usize,
    rate: f64,
}

impl BlockSink {
    fn push<T: Copy>(&mut self, interleaved: &[T], to_f32: impl Fn(T) -> f32) {
        if self.shared.stopping.load(Ordering::Relaxed) {
            return;
        }
        let at = Instant::now();
        let scale = 1.0 / self.channels as f32;
        let mut frames = interleaved.chunks_exact(self.channels);
        loop {
            let Ok(mut block) = self.free.try_recv() else {
                let left = frames.len() as u64;
                self.shared
                    .dropped_frames
                    .fetch_add(left, Ordering::Relaxed);
                return;
            };
            block.clear();
            for frame in frames.by_ref().take(BLOCK_SAMPLES) {
                block.push(frame.iter().map(|&s| to_f32(s)).sum::<f32>() * scale);
            }
            if block.is_empty() {
                // Back to the pool; it has room because this block came from it.
                let _ = self.recycle.try_send(block);
                return;
            }
            let len = block.len() as u64;
            // A delivery carries several blocks: each ends `rest` frames before the delivery's
            // last one, which is when the server handed it over.
            let rest = Duration::from_secs_f64(frames.len() as f64 / self.rate);
            if let Err(TrySendError::Full(block) | TrySendError::Disconnected(block)) =
                self.filled.try_send(Block {
                    samples: block,
                    at: at.checked_sub(rest).unwrap_or(at),
                })
            {
                self.shared.dropped_frames.fetch_add(len, Ordering::Relaxed);
                let _ = self.recycle.try_send(block.samples);
            }
            if frames.len() == 0 {
                return;
            }
        }
    }
}
