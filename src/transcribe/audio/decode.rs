//! Decoders that yield interleaved f32 frames at the file's own rate: hound for
//! WAV (every integer width and float), symphonia for FLAC, MP3, Ogg Vorbis and
//! any WAV flavour hound refuses.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use symphonia::core::audio::SampleBuffer;
use symphonia::core::codecs::{Decoder, DecoderOptions, CODEC_TYPE_NULL};
use symphonia::core::errors::Error as SymError;
use symphonia::core::formats::{FormatOptions, FormatReader};
use symphonia::core::io::MediaSourceStream;
use symphonia::core::meta::MetadataOptions;
use symphonia::core::probe::Hint;

use crate::transcribe::AudioError;

/// A stream of interleaved frames.
pub(crate) trait FrameSource: Send {
    fn sample_rate(&self) -> u32;
    fn channels(&self) -> usize;
    fn total_frames(&self) -> Option<u64>;
    /// Returns up to `max_frames` interleaved frames, or `None` at the end.
    fn read(&mut self, max_frames: usize) -> Result<Option<Vec<f32>>, AudioError>;
}

pub(crate) fn open(path: &Path) -> Result<Box<dyn FrameSource>, AudioError> {
    let mut magic = [0u8; 12];
    // A FIFO or a device would block or never end: only regular files are read.
    crate::paths::require_regular_file(path).map_err(|e| AudioError::Open {
        path: path.to_path_buf(),
        source: e,
    })?;
    let mut file = File::open(path).map_err(|e| AudioError::Open {
        path: path.to_path_buf(),
        source: e,
    })?;
    let n = read_up_to(&mut file, &mut magic).map_err(|e| AudioError::Open {
        path: path.to_path_buf(),
        source: e,
    })?;
    if n == 0 {
        return Err(AudioError::Empty {
            path: path.to_path_buf(),
        });
    }
    if &magic[..4] == b"RIFF" && &magic[8..12] == b"WAVE" {
        // symphonia panics on some impossible headers (a sample rate of 0): refuse them first.
        check_wav_format(&mut file).map_err(|reason| AudioError::NotAudio {
            path: path.to_path_buf(),
            reason,
        })?;
        if let Ok(src) = HoundSource::open(path) {
            return Ok(Box::new(src));
        }
    }
    Ok(Box::new(SymphoniaSource::open(path)?))
}

/// Reads a WAV file's `fmt ` chunk (the reader is just past the 12-byte RIFF header) and checks
/// that it describes audio that can exist: at least one channel, a sample rate above 0 Hz.
fn check_wav_format(file: &mut File) -> Result<(), String> {
    use std::io::{Seek, SeekFrom};
    let mut header = [0u8; 8];
    // A few chunks (LIST, bext, JUNK) may come first; a real file has `fmt ` among the first.
    for _ in 0..16 {
        if read_up_to(file, &mut header).map_err(|e| e.to_string())? < header.len() {
            break;
        }
        let size = u32::from_le_bytes([header[4], header[5], header[6], header[7]]);
        if &header[..4] == b"fmt " {
            let mut fmt = [0u8; 8];
            if read_up_to(file, &mut fmt).map_err(|e| e.to_string())? < fmt.len() {
                return Err("its format chunk is cut short".into());
            }
            let channels = u16::from_le_bytes([fmt[2], fmt[3]]);
            let rate = u32::from_le_bytes([fmt[4], fmt[5], fmt[6], fmt[7]]);
            if channels == 0 {
                return Err("its header says it has 0 channels".into());
            }
            if rate == 0 {
                return Err("its header gives a sample rate of 0 Hz".into());
            }
            return Ok(());
        }
        // Chunks are padded to an even size.
        let skip = i64::from(size) + i64::from(size % 2);
        file.seek(SeekFrom::Current(skip))
            .map_err(|e| e.to_string())?;
    }
    Err("it has no format chunk".into())
}

fn read_up_to(r: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match r.read(&mut buf[filled..])? {
            0 => break,
            n => filled += n,
        }
    }
    Ok(filled)
}

struct HoundSource {
    reader: hound::WavReader<BufReader<File>>,
    spec: hound::WavSpec,
    path: std::path::PathBuf,
}

impl HoundSource {
    fn open(path: &Path) -> Result<Self, hound::Error> {
        let reader = hound::WavReader::open(path)?;
        let spec = reader.spec();
        if spec.channels == 0 || spec.sample_rate == 0 {
            return Err(hound::Error::FormatError("no channels or zero sample rate"));
        }
        Ok(Self {
            reader,
            spec,
            path: path.to_path_buf(),
        })
    }
}

impl FrameSource for HoundSource {
    fn sample_rate(&self) -> u32 {
        self.spec.sample_rate
    }

    fn channels(&self) -> usize {
        self.spec.channels as usize
    }

    fn total_frames(&self) -> Option<u64> {
        Some(self.reader.duration() as u64)
    }

    fn read(&mut self, max_frames: usize) -> Result<Option<Vec<f32>>, AudioError> {
        let want = max_frames * self.channels();
        let corrupt = |e: hound::Error| AudioError::Corrupt {
            path: self.path.clone(),
            reason: e.to_string(),
        };
        let out: Vec<f32> = match self.spec.sample_format {
            hound::SampleFormat::Float => self
                .reader
                .samples::<f32>()
                .take(want)
                .collect::<Result<_, _>>()
                .map_err(corrupt)?,
            hound::SampleFormat::Int => {
                let scale = 1.0 / (1u64 << (self.spec.bits_per_sample.clamp(1, 32) - 1)) as f32;
                self.reader
                    .samples::<i32>()
                    .take(want)
                    .map(|s| s.map(|v| v as f32 * scale))
                    .collect::<Result<_, _>>()
                    .map_err(corrupt)?
            }
        };
        let whole = out.len() - out.len() % self.channels();
        Ok((whole > 0).then(|| out[..whole].to_vec()))
    }
}

struct SymphoniaSource {
    format: Box<dyn FormatReader>,
    decoder: Box<dyn Decoder>,
    track_id: u32,
    sample_rate: u32,
    channels: usize,
    total_frames: Option<u64>,
    pending: Vec<f32>,
    path: std::path::PathBuf,
}

impl SymphoniaSource {
    fn open(path: &Path) -> Result<Self, AudioError> {
        let not_audio = |reason: String| AudioError::NotAudio {
            path: path.to_path_buf(),
            reason,
        };
        let file = File::open(path).map_err(|e| AudioError::Open {
            path: path.to_path_buf(),
            source: e,
        })?;
        let mss = MediaSourceStream::new(Box::new(file), Default::default());
        let mut hint = Hint::new();
        if let Some(ext) = path.extension().and_then(|e| e.to_str()) {
            hint.with_extension(ext);
        }
        let probed = symphonia::default::get_probe()
            .format(
                &hint,
                mss,
                &FormatOptions::default(),
                &MetadataOptions::default(),
            )
            .map_err(|e| not_audio(e.to_string()))?;
        let format = probed.format;
        let track = format
            .tracks()
            .iter()
            .find(|t| t.codec_params.codec != CODEC_TYPE_NULL)
            .ok_or_else(|| not_audio("it has no audio track".into()))?;
        let params = track.codec_params.clone();
        let decoder = symphonia::default::get_codecs()
            .make(&params, &DecoderOptions::default())
            .map_err(|e| not_audio(format!("unsupported codec: {e}")))?;
        let sample_rate = params
            .sample_rate
            .filter(|&r| r > 0)
            .ok_or_else(|| not_audio("the sample rate is unknown".into()))?;
        let mut source = Self {
            track_id: track.id,
            format,
            decoder,
            sample_rate,
            channels: params.channels.map(|c| c.count()).unwrap_or(0),
            total_frames: params.n_frames,
            pending: Vec::new(),
            path: path.to_path_buf(),
        };
        // Some formats (MP3 among them) only reveal the channel layout in the first packet.
        if source.channels == 0 {
            source.decode_next()?;
        }
        Ok(source)
    }

    /// Decodes the next packet of our track; `false` at the end of the stream.
    fn decode_next(&mut self) -> Result<bool, AudioError> {
        loop {
            let packet = match self.format.next_packet() {
                Ok(p) => p,
                Err(SymError::IoError(e)) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
                    return Ok(false)
                }
                Err(SymError::ResetRequired) => return Ok(false),
                Err(e) => {
                    return Err(AudioError::Corrupt {
                        path: self.path.clone(),
                        reason: e.to_string(),
                    })
                }
            };
            if packet.track_id() != self.track_id {
                continue;
            }
            match self.decoder.decode(&packet) {
                Ok(buf) => {
                    let spec = *buf.spec();
                    if self.channels == 0 {
                        self.channels = spec.channels.count();
                    }
                    let mut samples = SampleBuffer::<f32>::new(buf.capacity() as u64, spec);
                    samples.copy_interleaved_ref(buf);
                    self.pending.extend_from_slice(samples.samples());
                    return Ok(true);
                }
                // A damaged packet is dropped, as players do; the rest of the file still counts.
                Err(SymError::DecodeError(_)) => continue,
                Err(e) => {
                    return Err(AudioError::Corrupt {
                        path: self.path.clone(),
                        reason: e.to_string(),
                    })
                }
            }
        }
    }
}

impl FrameSource for SymphoniaSource {
    fn sample_rate(&self) -> u32 {
        self.sample_rate
    }

    fn channels(&self) -> usize {
        self.channels.max(1)
    }

    fn total_frames(&self) -> Option<u64> {
        self.total_frames
    }

    fn read(&mut self, max_frames: usize) -> Result<Option<Vec<f32>>, AudioError> {
        while self.pending.len() < max_frames * self.channels() {
            if !self.decode_next()? {
                break;
            }
        }
        let take = (max_frames * self.channels()).min(self.pending.len());
        let take = take - take % self.channels();
        if take == 0 {
            return Ok(None);
        }
        Ok(Some(self.pending.drain(..take).collect()))
    }
}
