//! Turning a channel journal into the final files: `mic.wav`, `system.wav` and the two-channel
//! `call.wav` (left: microphone, right: system audio). Used by a normal stop and by `recover`
//! after a crash; the journal is deleted only once the final files are safely on disk.

use std::fs::{self, File, OpenOptions};
use std::io::{BufReader, BufWriter, Read};
use std::path::{Path, PathBuf};

use hound::{WavReader, WavSpec, WavWriter};

use super::journal::{self, mono_spec, start_offset_path, CHUNKS_DIR, PART_SUFFIX};
use super::{CaptureError, Channel, TARGET_RATE};

/// Final files of a call and their lengths.
#[derive(Debug, Clone, PartialEq)]
pub struct FinalAudio {
    pub mic_path: PathBuf,
    pub system_path: Option<PathBuf>,
    /// Two channels, microphone left and system audio right, aligned on the call's clock.
    pub call_path: Option<PathBuf>,
    pub mic_seconds: f64,
    pub system_seconds: Option<f64>,
}

/// Where a call's finished recording of one channel is (`mic.wav`, `system.wav`).
pub fn final_path(call_dir: &Path, channel: Channel) -> PathBuf {
    call_dir.join(format!("{}.wav", channel.file_stem()))
}

/// Finds an interrupted recording in `call_dir` and finalises it. Returns `None` when there is
/// nothing to recover; `StillRecording` when another live recorder owns the directory.
pub fn recover(call_dir: &Path) -> Result<Option<FinalAudio>, CaptureError> {
    let chunks = call_dir.join(CHUNKS_DIR);
    if !chunks.is_dir() {
        return Ok(None);
    }
    let lock_path = chunks.join(".lock");
    // A running recorder holds this lock; the OS drops it when that process dies.
    let _lock = match OpenOptions::new()
        .create(true)
        .write(true)
        .truncate(false)
        .open(&lock_path)
    {
        Ok(file) => match file.try_lock() {
            Ok(()) => file,
            Err(fs::TryLockError::WouldBlock) => {
                return Err(CaptureError::StillRecording {
                    call_dir: call_dir.to_owned(),
                })
            }
            Err(fs::TryLockError::Error(e)) => return Err(CaptureError::disk(&lock_path, e)),
        },
        Err(e) => return Err(CaptureError::disk(&lock_path, e)),
    };
    assemble(call_dir).map(Some)
}

/// Writes the final files from the journal, then removes the journal.
pub(crate) fn assemble(call_dir: &Path) -> Result<FinalAudio, CaptureError> {
    let chunks = call_dir.join(CHUNKS_DIR);
    let result = assemble_all(call_dir, &chunks);
    if result.is_err() {
        // Partial final files only take space the user needs to free; the journal stays.
        for name in ["mic.wav.tmp", "system.wav.tmp", "call.wav.tmp"] {
            let _ = fs::remove_file(call_dir.join(name));
        }
    }
    result
}

fn assemble_all(call_dir: &Path, chunks: &Path) -> Result<FinalAudio, CaptureError> {
    let chunks = chunks.to_owned();
    let mic_samples = assemble_channel(&chunks, call_dir, Channel::Mic)?;
    let has_system = !chunk_files(&chunks, Channel::System)?.is_empty()
        || start_offset_path(&chunks, Channel::System).exists();
    let system_samples = if has_system {
        Some(assemble_channel(&chunks, call_dir, Channel::System)?)
    } else {
        None
    };
    let call_path = match system_samples {
        Some(_) => Some(write_call_wav(call_dir, &chunks)?),
        None => None,
    };
    journal::sync_dir(call_dir)?;
    fs::remove_dir_all(&chunks).map_err(|e| CaptureError::disk(&chunks, e))?;
    let seconds = |n: u64| n as f64 / f64::from(TARGET_RATE);
    Ok(FinalAudio {
        mic_path: final_path(call_dir, Channel::Mic),
        system_path: system_samples.map(|_| final_path(call_dir, Channel::System)),
        call_path,
        mic_seconds: seconds(mic_samples),
        system_seconds: system_samples.map(seconds),
    })
}

/// Journal chunks of `channel` in recording order: `(index, path, sealed)`.
fn chunk_files(chunks: &Path, channel: Channel) -> Result<Vec<(u32, PathBuf, bool)>, CaptureError> {
    let prefix = format!("{}-", channel.file_stem());
    let mut found = Vec::new();
    let entries = match fs::read_dir(chunks) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(found),
        Err(e) => return Err(CaptureError::disk(chunks, e)),
    };
    for entry in entries {
        let entry = entry.map_err(|e| CaptureError::disk(chunks, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = name.strip_prefix(&prefix) else {
            continue;
        };
        let (digits, sealed) = if let Some(d) = rest.strip_suffix(PART_SUFFIX) {
            (d, false)
        } else if let Some(d) = rest.strip_suffix(".wav") {
            (d, true)
        } else {
            continue;
        };
        if let Ok(index) = digits.parse::<u32>() {
            found.push((index, entry.path(), sealed));
        }
    }
    found.sort_by_key(|(index, _, sealed)| (*index, *sealed));
    Ok(found)
}

fn assemble_channel(chunks: &Path, call_dir: &Path, channel: Channel) -> Result<u64, CaptureError> {
    let target = final_path(call_dir, channel);
    let tmp = target.with_extension("wav.tmp");
    let file = File::create(&tmp).map_err(|e| CaptureError::disk(&tmp, e))?;
    let mut out = WavWriter::new(BufWriter::new(file), mono_spec())
        .map_err(|e| CaptureError::wav(&tmp, e))?;
    let mut total = 0u64;
    for (_, path, sealed) in chunk_files(chunks, channel)? {
        let mut append = |s: i16| -> Result<(), CaptureError> {
            total += 1;
            out.write_sample(s).map_err(|e| CaptureError::wav(&tmp, e))
        };
        if sealed {
            let reader = WavReader::open(&path).map_err(|e| CaptureError::wav(&path, e))?;
            for s in reader.into_samples::<i16>() {
                append(s.map_err(|e| CaptureError::wav(&path, e))?)?;
            }
        } else {
            for s in salvage_part(&path)? {
                append(s)?;
            }
        }
    }
    out.finalize().map_err(|e| CaptureError::wav(&tmp, e))?;
    journal::sync_file(&tmp)?;
    fs::rename(&tmp, &target).map_err(|e| CaptureError::disk(&target, e))?;
    Ok(total)
}

/// Reads the samples of a chunk that was being written when the process stopped. Its header
/// may predate the last samples, so the data runs to the end of the file, not to the header's
/// stated length.
fn salvage_part(path: &Path) -> Result<Vec<i16>, CaptureError> {
    let mut bytes = Vec::new();
    File::open(path)
        .and_then(|f| BufReader::new(f).read_to_end(&mut bytes))
        .map_err(|e| CaptureError::disk(path, e))?;
    let Some(start) = data_offset(&bytes) else {
        // Killed before the header was complete: there are no samples to save.
        return Ok(Vec::new());
    };
    Ok(bytes[start..]
        .chunks_exact(2)
        .map(|pair| i16::from_le_bytes([pair[0], pair[1]]))
        .collect())
}

/// Offset of the first sample byte after the RIFF `data` chunk header.
fn data_offset(bytes: &[u8]) -> Option<usize> {
    if bytes.len() < 12 || &bytes[0..4] != b"RIFF" || &bytes[8..12] != b"WAVE" {
        return None;
    }
    let mut pos = 12;
    while pos + 8 <= bytes.len() {
        let id = &bytes[pos..pos + 4];
        let size = u32::from_le_bytes([
            bytes[pos + 4],
            bytes[pos + 5],
            bytes[pos + 6],
            bytes[pos + 7],
        ]);
        if id == b"data" {
            return Some(pos + 8);
        }
        pos = pos
            .checked_add(8)?
            .checked_add(size as usize + (size as usize & 1))?;
    }
    None
}

fn read_offset(chunks: &Path, channel: Channel) -> u64 {
    // A missing or damaged offset only costs alignment, never audio: fall back to zero.
    fs::read_to_string(start_offset_path(chunks, channel))
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(0)
}

fn write_call_wav(call_dir: &Path, chunks: &Path) -> Result<PathBuf, CaptureError> {
    let target = call_dir.join("call.wav");
    let tmp = target.with_extension("wav.tmp");
    let spec = WavSpec {
        channels: 2,
        ..mono_spec()
    };
    let file = File::create(&tmp).map_err(|e| CaptureError::disk(&tmp, e))?;
    let mut out =
        WavWriter::new(BufWriter::new(file), spec).map_err(|e| CaptureError::wav(&tmp, e))?;
    let mut sources = Vec::new();
    for channel in [Channel::Mic, Channel::System] {
        let path = final_path(call_dir, channel);
        let reader = WavReader::open(&path).map_err(|e| CaptureError::wav(&path, e))?;
        let lead_in = read_offset(chunks, channel);
        let len = u64::from(reader.len());
        sources.push((path, reader.into_samples::<i16>(), lead_in, len));
    }
    let frames = sources
        .iter()
        .map(|(_, _, lead, len)| lead + len)
        .max()
        .unwrap_or(0);
    for frame in 0..frames {
        for (path, samples, lead_in, _) in sources.iter_mut() {
            let sample = if frame < *lead_in {
                0
            } else {
                match samples.next() {
                    Some(s) => s.map_err(|e| CaptureError::wav(path, e))?,
                    None => 0,
                }
            };
            out.write_sample(sample)
                .map_err(|e| CaptureError::wav(&tmp, e))?;
        }
    }
    out.finalize().map_err(|e| CaptureError::wav(&tmp, e))?;
    journal::sync_file(&tmp)?;
    fs::rename(&tmp, &target).map_err(|e| CaptureError::disk(&target, e))?;
    Ok(target)
}
