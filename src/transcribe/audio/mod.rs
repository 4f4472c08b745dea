//! Audio input: decode any supported file, resample to 16 kHz, and hand it out
//! in bounded pieces so hours-long recordings never sit in memory whole.

mod chunk;
mod decode;
mod pauses;
mod resample;

use std::collections::VecDeque;
use std::path::{Path, PathBuf};

pub use chunk::{has_speech, Chunk, ChunkConfig};
pub use pauses::Cut;
pub use resample::TARGET_RATE;

use crate::transcribe::AudioError;
use chunk::Chunker;
use decode::FrameSource;

/// Source frames decoded per step (~0.2 s at 48 kHz).
const BLOCK_FRAMES: usize = 8192;

#[derive(Debug, Clone, PartialEq)]
pub struct AudioInfo {
    pub path: PathBuf,
    /// The file's own rate; everything this module returns is at [`TARGET_RATE`].
    pub sample_rate: u32,
    pub channels: usize,
    pub duration_seconds: Option<f64>,
}

/// A decoder plus resampler yielding 16 kHz blocks, one `Vec` per channel.
pub struct AudioReader {
    source: Box<dyn FrameSource>,
    resampler: resample::To16k,
    info: AudioInfo,
    finished: bool,
    frames_out: u64,
}

impl AudioReader {
    pub fn open(path: &Path) -> Result<Self, AudioError> {
        let source = decode::open(path)?;
        let channels = source.channels();
        let info = AudioInfo {
            path: path.to_path_buf(),
            sample_rate: source.sample_rate(),
            channels,
            duration_seconds: source
                .total_frames()
                .map(|f| f as f64 / source.sample_rate() as f64),
        };
        let resampler = resample::To16k::new(info.sample_rate, channels)?;
        Ok(Self {
            source,
            resampler,
            info,
            finished: false,
            frames_out: 0,
        })
    }

    pub fn info(&self) -> &AudioInfo {
        &self.info
    }

    /// The next block of 16 kHz audio per channel, `None` at the end. A file that
    /// decodes to nothing at all is reported as [`AudioError::Empty`].
    pub fn next_block(&mut self) -> Result<Option<Vec<Vec<f32>>>, AudioError> {
        while !self.finished {
            let block = match self.source.read(BLOCK_FRAMES)? {
                Some(frames) => self.resampler.push(&frames)?,
                None => {
                    self.finished = true;
                    self.resampler.finish()?
                }
            };
            if !block[0].is_empty() {
                self.frames_out += block[0].len() as u64;
                return Ok(Some(block));
            }
        }
        if self.frames_out == 0 {
            return Err(AudioError::Empty {
                path: self.info.path.clone(),
            });
        }
        Ok(None)
    }
}

/// Which signals to transcribe from a multi-channel file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChannelMode {
    /// Average all channels into one (a single speaker track).
    Mixdown,
    /// Keep every channel apart (Zapis call files: 0 = rep's mic, 1 = the other side).
    Separate,
}

/// Streams whisper-sized windows of a file, per channel or mixed down.
pub struct ChunkStream {
    reader: AudioReader,
    chunkers: Vec<Chunker>,
    mode: ChannelMode,
    queue: VecDeque<Chunk>,
    done: bool,
}

impl ChunkStream {
    pub fn open(path: &Path, mode: ChannelMode, cfg: ChunkConfig) -> Result<Self, AudioError> {
        let reader = AudioReader::open(path)?;
        let n = match mode {
            ChannelMode::Mixdown => 1,
            ChannelMode::Separate => reader.info().channels,
        };
        Ok(Self {
            reader,
            chunkers: (0..n).map(|ch| Chunker::new(cfg.clone(), ch)).collect(),
            mode,
            queue: VecDeque::new(),
            done: false,
        })
    }

    pub fn info(&self) -> &AudioInfo {
        self.reader.info()
    }

    /// Seconds of 16 kHz audio decoded so far (per channel).
    pub fn decoded_seconds(&self) -> f64 {
        self.reader.frames_out as f64 / TARGET_RATE as f64
    }

    fn fill(&mut self) -> Result<(), AudioError> {
        while self.queue.is_empty() && !self.done {
            let mut out = Vec::new();
            match self.reader.next_block()? {
                Some(block) => match self.mode {
                    ChannelMode::Mixdown => self.chunkers[0].push(&downmix(&block), &mut out),
                    ChannelMode::Separate => {
                        for (chunker, samples) in self.chunkers.iter_mut().zip(&block) {
                            chunker.push(samples, &mut out);
                        }
                    }
                },
                None => {
                    self.done = true;
                    out.extend(self.chunkers.iter_mut().filter_map(Chunker::finish));
                }
            }
            self.queue.extend(out);
        }
        Ok(())
    }
}

impl Iterator for ChunkStream {
    type Item = Result<Chunk, AudioError>;

    fn next(&mut self) -> Option<Self::Item> {
        if let Err(e) = self.fill() {
            self.done = true;
            self.queue.clear();
            return Some(Err(e));
        }
        self.queue.pop_front().map(Ok)
    }
}

/// Whole-file decode for short clips: one 16 kHz `Vec` per channel.
pub fn read_all(path: &Path) -> Result<Vec<Vec<f32>>, AudioError> {
    let mut reader = AudioReader::open(path)?;
    let mut channels = vec![Vec::new(); reader.info().channels];
    while let Some(block) = reader.next_block()? {
        for (ch, samples) in channels.iter_mut().zip(block) {
            ch.extend(samples);
        }
    }
    Ok(channels)
}

/// The 16 kHz samples (channels averaged) of each `[start_ms, end_ms)` span of a file, read in
/// one pass, block by block: a long recording is never held whole, only the spans asked for.
pub fn read_spans(path: &Path, spans_ms: &[(i64, i64)]) -> Result<Vec<Vec<f32>>, AudioError> {
    let per_ms = u64::from(TARGET_RATE) / 1000;
    let spans: Vec<(u64, u64)> = spans_ms
        .iter()
        .map(|&(a, b)| (a.max(0) as u64 * per_ms, b.max(0) as u64 * per_ms))
        .collect();
    let mut out = vec![Vec::new(); spans.len()];
    let Some(last) = spans.iter().map(|s| s.1).max() else {
        return Ok(out);
    };
    let mut reader = AudioReader::open(path)?;
    let mut at = 0u64;
    while at < last {
        let Some(block) = reader.next_block()? else {
            break;
        };
        let block = downmix(&block);
        let end = at + block.len() as u64;
        for (&(from, to), samples) in spans.iter().zip(out.iter_mut()) {
            let (from, to) = (from.max(at), to.min(end));
            if from < to {
                samples.extend_from_slice(&block[(from - at) as usize..(to - at) as usize]);
            }
        }
        at = end;
    }
    Ok(out)
}

/// Averages channels into one signal.
pub fn downmix(channels: &[Vec<f32>]) -> Vec<f32> {
    match channels {
        [] => Vec::new(),
        [only] => only.clone(),
        _ => {
            let n = channels.iter().map(Vec::len).min().unwrap_or(0);
            let scale = 1.0 / channels.len() as f32;
            (0..n)
                .map(|i| channels.iter().map(|c| c[i]).sum::<f32>() * scale)
                .collect()
        }
    }
}

/// Windows over samples already in memory (16 kHz mono), cut like [`ChunkStream`]'s.
pub fn chunk_samples<'a>(
    samples: &'a [f32],
    cfg: &ChunkConfig,
) -> impl Iterator<Item = Chunk> + 'a {
    // Feeding a second at a time keeps each cut's copy small on long inputs.
    let mut blocks = samples.chunks(TARGET_RATE as usize);
    let mut chunker = Some(Chunker::new(cfg.clone(), 0));
    let mut ready = VecDeque::new();
    std::iter::from_fn(move || loop {
        if let Some(chunk) = ready.pop_front() {
            return Some(chunk);
        }
        let active = chunker.as_mut()?;
        match blocks.next() {
            Some(block) => {
                let mut out = Vec::new();
                active.push(block, &mut out);
                ready.extend(out);
            }
            None => {
                ready.extend(active.finish());
                chunker = None;
            }
        }
    })
}
