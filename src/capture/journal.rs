//! Crash-safe on-disk journal of one channel: 16 kHz mono 16-bit WAV chunks.
//!
//! The chunk being written is `{channel}-{index:06}.wav.part`; its header is rewritten every
//! `FLUSH_INTERVAL`, so a killed process leaves a readable file missing at most that much.
//! Every `CHUNK_SECONDS` the chunk is finalised, fsynced and renamed to `.wav`, which bounds
//! what a power cut can take as well.

use std::fs::{self, File, OpenOptions};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use hound::{SampleFormat, WavSpec, WavWriter};

use super::{CaptureError, Channel, TARGET_RATE};

pub(crate) const CHUNK_SECONDS: u32 = 2;
pub(crate) const FLUSH_INTERVAL: Duration = Duration::from_millis(500);
pub(crate) const CHUNKS_DIR: &str = "chunks";
pub(crate) const PART_SUFFIX: &str = ".wav.part";

pub(crate) fn mono_spec() -> WavSpec {
    WavSpec {
        channels: 1,
        sample_rate: TARGET_RATE,
        bits_per_sample: 16,
        sample_format: SampleFormat::Int,
    }
}

pub(crate) fn chunk_name(channel: Channel, index: u32, finished: bool) -> String {
    let suffix = if finished { ".wav" } else { PART_SUFFIX };
    format!("{}-{index:06}{suffix}", channel.file_stem())
}

/// Where a channel's first sample sits on the call's clock, in 16 kHz samples. Stored once so
/// the two channels can be lined up in `call.wav` even after a crash.
pub(crate) fn start_offset_path(chunks_dir: &Path, channel: Channel) -> PathBuf {
    chunks_dir.join(format!("{}.start", channel.file_stem()))
}

pub(crate) struct ChunkJournal {
    dir: PathBuf,
    channel: Channel,
    index: u32,
    current: Option<WavWriter<BufWriter<File>>>,
    in_chunk: u32,
    last_flush: Instant,
    written: u64,
}

impl ChunkJournal {
    pub(crate) fn new(chunks_dir: &Path, channel: Channel) -> ChunkJournal {
        ChunkJournal {
            dir: chunks_dir.to_owned(),
            channel,
            index: 0,
            current: None,
            in_chunk: 0,
            last_flush: Instant::now(),
            written: 0,
        }
    }

    /// 16 kHz samples written so far.
    pub(crate) fn written(&self) -> u64 {
        self.written
    }

    pub(crate) fn write_start_offset(&self, offset_samples: u64) -> Result<(), CaptureError> {
        let path = start_offset_path(&self.dir, self.channel);
        let mut file = File::create(&path).map_err(|e| CaptureError::disk(&path, e))?;
        file.write_all(offset_samples.to_string().as_bytes())
            .and_then(|()| file.sync_all())
            .map_err(|e| CaptureError::disk(&path, e))
    }

    pub(crate) fn write(&mut self, samples: &[f32]) -> Result<(), CaptureError> {
        let chunk_len = CHUNK_SECONDS * TARGET_RATE;
        let mut rest = samples;
        while !rest.is_empty() {
            if self.current.is_none() {
                self.open_chunk()?;
            }
            let room = (chunk_len - self.in_chunk) as usize;
            let (now, later) = rest.split_at(room.min(rest.len()));
            let path = self.part_path();
            if let Some(writer) = self.current.as_mut() {
                for &s in now {
                    let pcm = (s.clamp(-1.0, 1.0) * f32::from(i16::MAX)).round() as i16;
                    writer
                        .write_sample(pcm)
                        .map_err(|e| CaptureError::wav(&path, e))?;
                }
            }
            self.in_chunk += now.len() as u32;
            self.written += now.len() as u64;
            rest = later;
            if self.in_chunk >= chunk_len {
                self.seal_chunk()?;
            }
        }
        self.flush_if_due()
    }

    /// Called on every write and whenever the writer wakes up without audio.
    pub(crate) fn flush_if_due(&mut self) -> Result<(), CaptureError> {
        if self.last_flush.elapsed() >= FLUSH_INTERVAL {
            self.flush()?;
        }
        Ok(())
    }

    /// Makes everything written so far readable by `recover` if the process dies now.
    pub(crate) fn flush(&mut self) -> Result<(), CaptureError> {
        self.last_flush = Instant::now();
        let path = self.part_path();
        match self.current.as_mut() {
            Some(writer) => writer.flush().map_err(|e| CaptureError::wav(&path, e)),
            None => Ok(()),
        }
    }

    /// Seals the last chunk; the journal can be assembled afterwards.
    pub(crate) fn finish(&mut self) -> Result<(), CaptureError> {
        if self.current.is_some() {
            self.seal_chunk()?;
        }
        Ok(())
    }

    fn part_path(&self) -> PathBuf {
        self.dir.join(chunk_name(self.channel, self.index, false))
    }

    fn open_chunk(&mut self) -> Result<(), CaptureError> {
        let path = self.part_path();
        let file = File::create(&path).map_err(|e| CaptureError::disk(&path, e))?;
        let writer = WavWriter::new(BufWriter::new(file), mono_spec())
            .map_err(|e| CaptureError::wav(&path, e))?;
        self.current = Some(writer);
        self.in_chunk = 0;
        Ok(())
    }

    fn seal_chunk(&mut self) -> Result<(), CaptureError> {
        let part = self.part_path();
        let done = self.dir.join(chunk_name(self.channel, self.index, true));
        if let Some(writer) = self.current.take() {
            writer.finalize().map_err(|e| CaptureError::wav(&part, e))?;
        }
        sync_file(&part)?;
        fs::rename(&part, &done).map_err(|e| CaptureError::disk(&done, e))?;
        sync_dir(&self.dir)?;
        self.index += 1;
        self.in_chunk = 0;
        Ok(())
    }
}

pub(crate) fn sync_file(path: &Path) -> Result<(), CaptureError> {
    // Write access is what Windows needs to flush file buffers; Unix accepts it too.
    OpenOptions::new()
        .write(true)
        .open(path)
        .and_then(|f| f.sync_all())
        .map_err(|e| CaptureError::disk(path, e))
}

/// Persists renames and new files in `dir` (a no-op where directories cannot be opened).
pub(crate) fn sync_dir(dir: &Path) -> Result<(), CaptureError> {
    #[cfg(unix)]
    {
        File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(|e| CaptureError::disk(dir, e))?;
    }
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}
