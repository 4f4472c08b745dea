//! Reader for CTranslate2's `model.bin` (format version 6).
//!
//! Only the variable index is kept in memory; tensor data is read on demand so
//! converting a large model needs memory for one tensor at a time.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use half::{bf16, f16};

use crate::model::ModelError;

/// Element type of a CTranslate2 variable, as stored on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ct2Dtype {
    F32,
    I8,
    I16,
    I32,
    F16,
    Bf16,
}

impl Ct2Dtype {
    fn from_code(code: u8) -> Option<Self> {
        Some(match code {
            0 => Self::F32,
            1 => Self::I8,
            2 => Self::I16,
            3 => Self::I32,
            4 => Self::F16,
            5 => Self::Bf16,
            _ => return None,
        })
    }

    fn size(self) -> usize {
        match self {
            Self::I8 => 1,
            Self::I16 | Self::F16 | Self::Bf16 => 2,
            Self::F32 | Self::I32 => 4,
        }
    }
}

/// Where one variable lives in the file.
#[derive(Debug, Clone)]
pub struct Ct2Var {
    pub dims: Vec<usize>,
    pub dtype: Ct2Dtype,
    offset: u64,
    nbytes: usize,
}

/// An indexed CTranslate2 model file.
#[derive(Debug)]
pub struct Ct2Model {
    path: PathBuf,
    vars: BTreeMap<String, Ct2Var>,
}

const SUPPORTED_VERSION: u32 = 6;

impl Ct2Model {
    pub fn open(path: &Path) -> Result<Self, ModelError> {
        let file = File::open(path).map_err(|e| ModelError::io("open", path, e))?;
        let file_len = file
            .metadata()
            .map_err(|e| ModelError::io("read metadata of", path, e))?
            .len();
        let mut r = BufReader::new(file);
        let bad = |reason: String| ModelError::BadCt2 {
            path: path.to_path_buf(),
            reason,
        };
        let trunc = |_| bad("the file ends early (truncated download?)".into());

        let version = read_u32(&mut r).map_err(trunc)?;
        if version != SUPPORTED_VERSION {
            return Err(bad(format!(
                "model.bin format version {version} is not supported (expected {SUPPORTED_VERSION})"
            )));
        }
        let spec = read_string(&mut r).map_err(trunc)?;
        if spec != "WhisperSpec" {
            return Err(bad(format!("it holds a '{spec}', not a WhisperSpec")));
        }
        let _revision = read_u32(&mut r).map_err(trunc)?;
        let n_vars = read_u32(&mut r).map_err(trunc)?;
        let mut vars = BTreeMap::new();
        for _ in 0..n_vars {
            let name = read_string(&mut r).map_err(trunc)?;
            let rank = read_u8(&mut r).map_err(trunc)?;
            let mut dims = Vec::with_capacity(rank as usize);
            for _ in 0..rank {
                dims.push(read_u32(&mut r).map_err(trunc)? as usize);
            }
            let code = read_u8(&mut r).map_err(trunc)?;
            let dtype = Ct2Dtype::from_code(code)
                .ok_or_else(|| bad(format!("variable '{name}' has unknown dtype {code}")))?;
            let nbytes = read_u32(&mut r).map_err(trunc)? as usize;
            let offset = r
                .stream_position()
                .map_err(|e| ModelError::io("read", path, e))?;
            let elements: usize = dims.iter().product();
            if elements * dtype.size() != nbytes || offset + nbytes as u64 > file_len {
                return Err(bad(format!(
                    "variable '{name}' claims {nbytes} bytes for shape {dims:?}, which does not fit the file"
                )));
            }
            r.seek_relative(nbytes as i64)
                .map_err(|e| ModelError::io("read", path, e))?;
            vars.insert(
                name,
                Ct2Var {
                    dims,
                    dtype,
                    offset,
                    nbytes,
                },
            );
        }
        Ok(Self {
            path: path.to_path_buf(),
            vars,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn var(&self, name: &str) -> Option<&Ct2Var> {
        self.vars.get(name)
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.vars.keys().map(String::as_str)
    }

    fn require(&self, name: &str) -> Result<&Ct2Var, ModelError> {
        self.vars.get(name).ok_or_else(|| ModelError::BadCt2 {
            path: self.path.clone(),
            reason: format!("variable '{name}' is missing"),
        })
    }

    /// Reads an integer scalar such as `encoder/num_heads`.
    pub fn scalar_int(&self, name: &str) -> Result<i64, ModelError> {
        let var = self.require(name)?.clone();
        let bytes = self.read_raw(&var)?;
        let value = match var.dtype {
            Ct2Dtype::I8 => bytes.first().map(|&b| b as i8 as i64),
            Ct2Dtype::I16 => bytes
                .get(..2)
                .map(|b| i16::from_le_bytes([b[0], b[1]]) as i64),
            Ct2Dtype::I32 => bytes
                .get(..4)
                .map(|b| i32::from_le_bytes([b[0], b[1], b[2], b[3]]) as i64),
            _ => None,
        };
        value.ok_or_else(|| ModelError::BadCt2 {
            path: self.path.clone(),
            reason: format!("'{name}' is not an integer scalar"),
        })
    }

    /// Reads a tensor as f32, de-quantising int8 weights with their `weight_scale`.
    pub fn read_f32(&self, name: &str) -> Result<(Vec<usize>, Vec<f32>), ModelError> {
        let var = self.require(name)?.clone();
        let bytes = self.read_raw(&var)?;
        let values: Vec<f32> = match var.dtype {
            Ct2Dtype::F32 => bytes
                .chunks_exact(4)
                .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                .collect(),
            Ct2Dtype::F16 => bytes
                .chunks_exact(2)
                .map(|b| f16::from_le_bytes([b[0], b[1]]).to_f32())
                .collect(),
            Ct2Dtype::Bf16 => bytes
                .chunks_exact(2)
                .map(|b| bf16::from_le_bytes([b[0], b[1]]).to_f32())
                .collect(),
            Ct2Dtype::I8 => self.dequantize_i8(name, &var, &bytes)?,
            Ct2Dtype::I16 | Ct2Dtype::I32 => {
                return Err(ModelError::BadCt2 {
                    path: self.path.clone(),
                    reason: format!("tensor '{name}' has an integer type that cannot be converted"),
                })
            }
        };
        Ok((var.dims, values))
    }

    /// CTranslate2 int8 weights are `round(w * scale)` with one scale per output row.
    fn dequantize_i8(
        &self,
        name: &str,
        var: &Ct2Var,
        bytes: &[u8],
    ) -> Result<Vec<f32>, ModelError> {
        let scale_name = format!("{}_scale", name);
        let (_, scales) = self.read_f32(&scale_name)?;
        let rows = var.dims.first().copied().unwrap_or(0);
        if rows == 0 || scales.len() != rows {
            return Err(ModelError::BadCt2 {
                path: self.path.clone(),
                reason: format!("'{scale_name}' does not have one scale per row of '{name}'"),
            });
        }
        let row_len = bytes.len() / rows;
        Ok(bytes
            .chunks_exact(row_len)
            .zip(&scales)
            .flat_map(|(row, &scale)| row.iter().map(move |&q| q as i8 as f32 / scale))
            .collect())
    }

    fn read_raw(&self, var: &Ct2Var) -> Result<Vec<u8>, ModelError> {
        let mut file = File::open(&self.path).map_err(|e| ModelError::io("open", &self.path, e))?;
        file.seek(SeekFrom::Start(var.offset))
            .map_err(|e| ModelError::io("read", &self.path, e))?;
        let mut buf = vec![0u8; var.nbytes];
        file.read_exact(&mut buf)
            .map_err(|e| ModelError::io("read", &self.path, e))?;
        Ok(buf)
    }
}

fn read_u8(r: &mut impl Read) -> std::io::Result<u8> {
    let mut b = [0u8; 1];
    r.read_exact(&mut b)?;
    Ok(b[0])
}

fn read_u32(r: &mut impl Read) -> std::io::Result<u32> {
    let mut b = [0u8; 4];
    r.read_exact(&mut b)?;
    Ok(u32::from_le_bytes(b))
}

/// Strings are a u16 length that counts a trailing NUL, then the bytes.
fn read_string(r: &mut impl Read) -> std::io::Result<String> {
    let mut len = [0u8; 2];
    r.read_exact(&mut len)?;
    let mut buf = vec![0u8; u16::from_le_bytes(len) as usize];
    r.read_exact(&mut buf)?;
    if buf.last() == Some(&0) {
        buf.pop();
    }
    String::from_utf8(buf).map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
}
