//! The legacy ggml Whisper file format that whisper.cpp loads: constants, the
//! q8_0 quantiser and little-endian writers shared by the converter.

mod inspect;

use std::io::{self, Write};

use half::f16;

pub use inspect::{inspect_ggml, GgmlInfo};

/// "ggml" read as a little-endian u32.
pub const MAGIC: u32 = 0x6767_6d6c;

/// whisper.cpp stores `ftype` as `GGML_QNT_VERSION * 1000 + GGML_FTYPE_*` for quantised files.
pub const QNT_VERSION_FACTOR: i32 = 1000;
pub const QNT_VERSION: i32 = 2;

/// Elements per q8_0 block; a block is an f16 scale followed by 32 signed bytes.
pub const Q8_0_BLOCK: usize = 32;
pub const Q8_0_BLOCK_BYTES: usize = 2 + Q8_0_BLOCK;

/// ggml tensor element types this crate writes or recognises when validating.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TensorType {
    F32,
    F16,
    Q4_0,
    Q4_1,
    Q5_0,
    Q5_1,
    Q8_0,
    Q8_1,
    Q2K,
    Q3K,
    Q4K,
    Q5K,
    Q6K,
}

impl TensorType {
    pub fn from_id(id: i32) -> Option<Self> {
        Some(match id {
            0 => Self::F32,
            1 => Self::F16,
            2 => Self::Q4_0,
            3 => Self::Q4_1,
            6 => Self::Q5_0,
            7 => Self::Q5_1,
            8 => Self::Q8_0,
            9 => Self::Q8_1,
            10 => Self::Q2K,
            11 => Self::Q3K,
            12 => Self::Q4K,
            13 => Self::Q5K,
            14 => Self::Q6K,
            _ => return None,
        })
    }

    pub fn id(self) -> i32 {
        match self {
            Self::F32 => 0,
            Self::F16 => 1,
            Self::Q4_0 => 2,
            Self::Q4_1 => 3,
            Self::Q5_0 => 6,
            Self::Q5_1 => 7,
            Self::Q8_0 => 8,
            Self::Q8_1 => 9,
            Self::Q2K => 10,
            Self::Q3K => 11,
            Self::Q4K => 12,
            Self::Q5K => 13,
            Self::Q6K => 14,
        }
    }

    /// (elements per block, bytes per block)
    fn block(self) -> (usize, usize) {
        match self {
            Self::F32 => (1, 4),
            Self::F16 => (1, 2),
            Self::Q4_0 => (32, 18),
            Self::Q4_1 => (32, 20),
            Self::Q5_0 => (32, 22),
            Self::Q5_1 => (32, 24),
            Self::Q8_0 => (32, 34),
            Self::Q8_1 => (32, 36),
            Self::Q2K => (256, 84),
            Self::Q3K => (256, 110),
            Self::Q4K => (256, 144),
            Self::Q5K => (256, 176),
            Self::Q6K => (256, 210),
        }
    }

    /// Bytes a tensor of this type occupies, or `None` if rows do not fill whole blocks.
    pub fn data_size(self, dims: &[usize]) -> Option<usize> {
        let (per_block, block_bytes) = self.block();
        let row = *dims.first()?;
        if row % per_block != 0 {
            return None;
        }
        let rows = dims[1..]
            .iter()
            .try_fold(1usize, |acc, &d| acc.checked_mul(d))?;
        (row / per_block)
            .checked_mul(block_bytes)?
            .checked_mul(rows)
    }
}

/// The weight format of a whole model file, from its header's `ftype`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum WeightKind {
    F32,
    F16,
    Q4_0,
    Q4_1,
    Q5_0,
    Q5_1,
    Q8_0,
    Q2K,
    Q3K,
    Q4K,
    Q5K,
    Q6K,
}

impl WeightKind {
    /// Decodes whisper.cpp's header `ftype` (which carries the quantisation version in its thousands).
    pub fn from_header_ftype(ftype: i32) -> Option<Self> {
        Some(match ftype.rem_euclid(QNT_VERSION_FACTOR) {
            0 => Self::F32,
            1 => Self::F16,
            2 => Self::Q4_0,
            3 => Self::Q4_1,
            7 => Self::Q8_0,
            8 => Self::Q5_0,
            9 => Self::Q5_1,
            10 => Self::Q2K,
            11 => Self::Q3K,
            12 => Self::Q4K,
            13 => Self::Q5K,
            14 => Self::Q6K,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::F32 => "f32",
            Self::F16 => "f16",
            Self::Q4_0 => "q4_0",
            Self::Q4_1 => "q4_1",
            Self::Q5_0 => "q5_0",
            Self::Q5_1 => "q5_1",
            Self::Q8_0 => "q8_0",
            Self::Q2K => "q2_k",
            Self::Q3K => "q3_k",
            Self::Q4K => "q4_k",
            Self::Q5K => "q5_k",
            Self::Q6K => "q6_k",
        }
    }
}

impl std::fmt::Display for WeightKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Quantises one row-major run of values to q8_0, as ggml's `quantize_row_q8_0_ref`:
/// `d = max|x| / 127`, `q = round(x / d)` (half away from zero), `d` stored as f16.
/// `values.len()` must be a multiple of 32; the caller guarantees it from the tensor shape.
pub fn quantize_q8_0(values: &[f32], out: &mut Vec<u8>) {
    out.reserve(values.len() / Q8_0_BLOCK * Q8_0_BLOCK_BYTES);
    for block in values.chunks(Q8_0_BLOCK) {
        let amax = block.iter().fold(0.0f32, |m, v| m.max(v.abs()));
        let d = amax / 127.0;
        let inv = if d != 0.0 { 1.0 / d } else { 0.0 };
        out.extend_from_slice(&f16::from_f32(d).to_le_bytes());
        out.extend(block.iter().map(|&x| (x * inv).round() as i8 as u8));
    }
}

/// Rounds every value to f16 precision, which is what whisper.cpp's quantiser reads.
pub fn round_through_f16(values: &mut [f32]) {
    for v in values {
        *v = f16::from_f32(*v).to_f32();
    }
}

pub fn write_i32(w: &mut impl Write, v: i32) -> io::Result<()> {
    w.write_all(&v.to_le_bytes())
}

pub fn write_f32s(w: &mut impl Write, values: &[f32]) -> io::Result<()> {
    let bytes: Vec<u8> = values.iter().flat_map(|v| v.to_le_bytes()).collect();
    w.write_all(&bytes)
}

pub fn write_f16s(w: &mut impl Write, values: &[f32]) -> io::Result<()> {
    let bytes: Vec<u8> = values
        .iter()
        .flat_map(|&v| f16::from_f32(v).to_le_bytes())
        .collect();
    w.write_all(&bytes)
}
