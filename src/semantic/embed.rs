//! Sentence vectors from all-MiniLM-L6-v2, run on the CPU with candle: the BERT encoder, the mean
//! of the token states under the attention mask, then L2 normalisation, as sentence-transformers
//! computes them. Two vectors' dot product is then their cosine similarity.

use candle_core::{DType, Device, Tensor, D};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::{BertModel, Config};
use tokenizers::{Tokenizer, TruncationParams};

use super::{SemanticError, SentenceModel};

/// Length of every vector.
pub const DIMENSIONS: usize = 384;
/// The model was trained on up to 256 word pieces; longer lines are cut there.
const MAX_TOKENS: usize = 256;
/// Lines embedded in one forward pass: enough to keep the matrix products busy, little enough
/// that one long line does not pad a big batch.
const BATCH: usize = 16;

pub struct Embedder {
    model: BertModel,
    tokenizer: Tokenizer,
    device: Device,
}

impl Embedder {
    pub fn load(model: &SentenceModel) -> Result<Self, SemanticError> {
        let load = |path: &std::path::Path, reason: String| SemanticError::Load {
            path: path.to_path_buf(),
            reason,
        };
        let config_text = std::fs::read_to_string(model.config())
            .map_err(|e| load(&model.config(), e.to_string()))?;
        let config: Config =
            serde_json::from_str(&config_text).map_err(|e| load(&model.config(), e.to_string()))?;
        let mut tokenizer = Tokenizer::from_file(model.tokenizer())
            .map_err(|e| load(&model.tokenizer(), e.to_string()))?;
        // The shipped tokenizer pads every line to 128 pieces; padding is done per batch here,
        // and a padded position must not count in the mean.
        tokenizer.with_padding(None);
        tokenizer
            .with_truncation(Some(TruncationParams {
                max_length: MAX_TOKENS,
                ..Default::default()
            }))
            .map_err(|e| load(&model.tokenizer(), e.to_string()))?;
        let device = Device::Cpu;
        let weights =
            std::fs::read(model.weights()).map_err(|e| load(&model.weights(), e.to_string()))?;
        let vb = VarBuilder::from_buffered_safetensors(weights, DType::F32, &device)
            .map_err(|e| load(&model.weights(), e.to_string()))?;
        let model =
            BertModel::load(vb, &config).map_err(|e| load(&model.weights(), e.to_string()))?;
        Ok(Embedder {
            model,
            tokenizer,
            device,
        })
    }

    /// One unit-length vector per text, in order. Texts of similar length are batched together,
    /// so a short line is not padded to the length of a long one.
    pub fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, SemanticError> {
        let mut order: Vec<usize> = (0..texts.len()).collect();
        order.sort_by_key(|&i| texts[i].len());
        let mut vectors: Vec<Vec<f32>> = vec![Vec::new(); texts.len()];
        for batch in order.chunks(BATCH) {
            let batch_texts: Vec<&str> = batch.iter().map(|&i| texts[i]).collect();
            for (&i, vector) in batch.iter().zip(self.embed_batch(&batch_texts)?) {
                vectors[i] = vector;
            }
        }
        Ok(vectors)
    }

    fn embed_batch(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, SemanticError> {
        let encodings = self
            .tokenizer
            .encode_batch(texts.to_vec(), true)
            .map_err(|e| SemanticError::Embed(e.to_string()))?;
        let width = encodings.iter().map(|e| e.len()).max().unwrap_or(0).max(1);
        let mut ids = Vec::with_capacity(texts.len() * width);
        let mut mask = Vec::with_capacity(texts.len() * width);
        for encoding in &encodings {
            let n = encoding.len();
            ids.extend_from_slice(encoding.get_ids());
            mask.extend(std::iter::repeat_n(1u32, n));
            ids.extend(std::iter::repeat_n(0u32, width - n));
            mask.extend(std::iter::repeat_n(0u32, width - n));
        }
        let vectors = self.forward(ids, mask, texts.len(), width)?;
        Ok(vectors)
    }

    fn forward(
        &self,
        ids: Vec<u32>,
        mask: Vec<u32>,
        rows: usize,
        width: usize,
    ) -> Result<Vec<Vec<f32>>, SemanticError> {
        let run = || -> candle_core::Result<Vec<Vec<f32>>> {
            let ids = Tensor::from_vec(ids, (rows, width), &self.device)?;
            let mask = Tensor::from_vec(mask, (rows, width), &self.device)?;
            let token_types = ids.zeros_like()?;
            let states = self.model.forward(&ids, &token_types, Some(&mask))?;
            let weights = mask.to_dtype(DType::F32)?.unsqueeze(D::Minus1)?;
            let summed = states.broadcast_mul(&weights)?.sum(1)?;
            let counts = weights.sum(1)?.clamp(1e-9, f64::MAX)?;
            let mean = summed.broadcast_div(&counts)?;
            let norms = mean.sqr()?.sum_keepdim(1)?.sqrt()?.clamp(1e-12, f64::MAX)?;
            mean.broadcast_div(&norms)?.to_vec2::<f32>()
        };
        run().map_err(|e| SemanticError::Embed(e.to_string()))
    }
}

/// The insights' view of the model: a failure leaves them to the rules, said once in the log.
impl crate::insights::Meanings for Embedder {
    fn texts(&self, texts: &[&str]) -> Option<Vec<Vec<f32>>> {
        self.embed(texts)
            .map_err(|e| tracing::warn!(error = %e, "the sentence model failed on the action items; they stand as the rules found them"))
            .ok()
    }
}

/// Cosine similarity of two unit vectors.
pub fn similarity(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}
