//! Validation of a ggml Whisper file by walking its whole structure, so that a
//! truncated or foreign file is refused with a clear message before whisper.cpp
//! (which may abort the process on bad input) ever sees it.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use super::{TensorType, WeightKind, MAGIC};
use crate::model::ModelError;

/// What a validated ggml Whisper file contains.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GgmlInfo {
    pub n_vocab: i32,
    pub n_audio_ctx: i32,
    pub n_audio_state: i32,
    pub n_audio_head: i32,
    pub n_audio_layer: i32,
    pub n_text_ctx: i32,
    pub n_text_state: i32,
    pub n_text_head: i32,
    pub n_text_layer: i32,
    pub n_mels: i32,
    pub ftype: i32,
    pub kind: WeightKind,
    pub n_tensors: usize,
    pub file_bytes: u64,
}

impl GgmlInfo {
    /// English-only checkpoints have the 51864-token GPT-2 vocabulary; multilingual ones have more.
    pub fn is_multilingual(&self) -> bool {
        self.n_vocab >= 51865
    }

    /// Tensors whisper.cpp expects: per encoder block 15, per decoder block 24, plus the
    /// convolutions, embeddings and final norms.
    pub fn expected_tensors(&self) -> usize {
        let enc = 5 + 15 * self.n_audio_layer as usize + 2;
        let dec = 2 + 24 * self.n_text_layer as usize + 2;
        enc + dec
    }
}

/// Reads and checks the header, mel filters, vocabulary and every tensor record.
pub fn inspect_ggml(path: &Path) -> Result<GgmlInfo, ModelError> {
    let file = File::open(path).map_err(|e| ModelError::io("open", path, e))?;
    let file_bytes = file
        .metadata()
        .map_err(|e| ModelError::io("read metadata of", path, e))?
        .len();
    let mut r = Counting {
        inner: BufReader::new(file),
        pos: 0,
    };
    let bad = |reason: String| ModelError::BadGgml {
        path: path.to_path_buf(),
        reason,
    };
    let truncated = |_| bad("the file ends early (truncated?)".into());

    let magic = r
        .u32()
        .map_err(|_| bad("the file is too short to be a model".into()))?;
    if magic != MAGIC {
        return Err(bad(format!(
            "wrong magic number {magic:#010x} (a ggml Whisper file starts with {MAGIC:#010x})"
        )));
    }
    let mut h = [0i32; 11];
    for v in &mut h {
        *v = r.i32().map_err(truncated)?;
    }
    let kind = WeightKind::from_header_ftype(h[10])
        .ok_or_else(|| bad(format!("unknown weight type (ftype {})", h[10])))?;
    let info = GgmlInfo {
        n_vocab: h[0],
        n_audio_ctx: h[1],
        n_audio_state: h[2],
        n_audio_head: h[3],
        n_audio_layer: h[4],
        n_text_ctx: h[5],
        n_text_state: h[6],
        n_text_head: h[7],
        n_text_layer: h[8],
        n_mels: h[9],
        ftype: h[10],
        kind,
        n_tensors: 0,
        file_bytes,
    };
    check_hparams(&info).map_err(bad)?;

    let n_mel = r.i32().map_err(truncated)?;
    let n_fft = r.i32().map_err(truncated)?;
    if n_mel != info.n_mels || !(1..=1024).contains(&n_fft) {
        return Err(bad(format!(
            "mel filter bank is {n_mel}x{n_fft}, model expects {} mels",
            info.n_mels
        )));
    }
    r.skip(n_mel as u64 * n_fft as u64 * 4).map_err(truncated)?;

    let n_tokens = r.i32().map_err(truncated)?;
    if !(0..=info.n_vocab).contains(&n_tokens) {
        return Err(bad(format!(
            "vocabulary has {n_tokens} tokens, model has {}",
            info.n_vocab
        )));
    }
    for _ in 0..n_tokens {
        let len = r.u32().map_err(truncated)?;
        if len > 1024 {
            return Err(bad(format!("a vocabulary entry claims {len} bytes")));
        }
        r.skip(len as u64).map_err(truncated)?;
    }

    let mut n_tensors = 0usize;
    while r.pos < file_bytes {
        let n_dims = r.i32().map_err(truncated)?;
        let name_len = r.i32().map_err(truncated)?;
        let ttype = r.i32().map_err(truncated)?;
        if !(1..=4).contains(&n_dims) || !(1..=256).contains(&name_len) {
            return Err(bad(format!("tensor record {n_tensors} is malformed")));
        }
        let mut dims = Vec::with_capacity(n_dims as usize);
        for _ in 0..n_dims {
            let d = r.i32().map_err(truncated)?;
            if d <= 0 {
                return Err(bad(format!("tensor record {n_tensors} has dimension {d}")));
            }
            dims.push(d as usize);
        }
        let mut name = vec![0u8; name_len as usize];
        r.read_exact(&mut name).map_err(truncated)?;
        let name = String::from_utf8_lossy(&name).into_owned();
        let tt = TensorType::from_id(ttype)
            .ok_or_else(|| bad(format!("tensor '{name}' has unknown type {ttype}")))?;
        let size = tt.data_size(&dims).ok_or_else(|| {
            bad(format!(
                "tensor '{name}' has a shape {dims:?} its type cannot hold"
            ))
        })?;
        if r.pos + size as u64 > file_bytes {
            return Err(bad(format!(
                "tensor '{name}' needs {size} bytes but the file ends first (truncated?)"
            )));
        }
        r.skip(size as u64).map_err(truncated)?;
        n_tensors += 1;
    }
    let info = GgmlInfo { n_tensors, ..info };
    if n_tensors != info.expected_tensors() {
        return Err(bad(format!(
            "it has {n_tensors} tensors, a Whisper model of this size has {} (truncated?)",
            info.expected_tensors()
        )));
    }
    Ok(info)
}

fn check_hparams(h: &GgmlInfo) -> Result<(), String> {
    let in_range = |v: i32, lo: i32, hi: i32| (lo..=hi).contains(&v);
    let ok = in_range(h.n_vocab, 51000, 52000)
        && in_range(h.n_audio_ctx, 1, 1500)
        && in_range(h.n_text_ctx, 1, 448)
        && in_range(h.n_audio_layer, 1, 64)
        && in_range(h.n_text_layer, 1, 64)
        && in_range(h.n_audio_head, 1, 64)
        && in_range(h.n_text_head, 1, 64)
        && in_range(h.n_audio_state, 1, 8192)
        && in_range(h.n_text_state, 1, 8192)
        && h.n_audio_state % h.n_audio_head == 0
        && h.n_text_state % h.n_text_head == 0
        && (h.n_mels == 80 || h.n_mels == 128);
    if ok {
        Ok(())
    } else {
        Err(format!("implausible hyper-parameters {h:?}"))
    }
}

/// A reader that knows its offset, so truncation can be detected against the file size.
struct Counting<R> {
    inner: R,
    pos: u64,
}

impl<R: Read> Counting<R> {
    fn read_exact(&mut self, buf: &mut [u8]) -> std::io::Result<()> {
        self.inner.read_exact(buf)?;
        self.pos += buf.len() as u64;
        Ok(())
    }

    fn u32(&mut self) -> std::io::Result<u32> {
        let mut b = [0u8; 4];
        self.read_exact(&mut b)?;
        Ok(u32::from_le_bytes(b))
    }

    fn i32(&mut self) -> std::io::Result<i32> {
        let mut b = [0u8; 4];
        self.read_exact(&mut b)?;
        Ok(i32::from_le_bytes(b))
    }

    fn skip(&mut self, n: u64) -> std::io::Result<()> {
        let copied = std::io::copy(&mut (&mut self.inner).take(n), &mut std::io::sink())?;
        self.pos += copied;
        if copied < n {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        Ok(())
    }
}
