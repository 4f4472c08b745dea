//! Keeping the lines' meanings: each line of a call gets a sentence vector, with one loaded
//! model shared by everything in the process.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use super::{Embedder, SemanticError, SentenceModel};
use crate::storage::Library;

/// The installed model, loaded once for the life of the process: loading reads 90 MB, and the
/// desktop app searches and indexes many times. `None` when it is not installed.
pub fn shared_embedder(data_dir: &Path) -> Result<Option<Arc<Embedder>>, SemanticError> {
    static LOADED: Mutex<Option<(PathBuf, Arc<Embedder>)>> = Mutex::new(None);
    let Some(model) = SentenceModel::installed(data_dir) else {
        return Ok(None);
    };
    let mut loaded = LOADED
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some((dir, embedder)) = loaded.as_ref() {
        if *dir == model.dir {
            return Ok(Some(embedder.clone()));
        }
    }
    let embedder = Arc::new(Embedder::load(&model)?);
    *loaded = Some((model.dir.clone(), embedder.clone()));
    Ok(Some(embedder))
}

/// Gives the lines of `call_id` that have none a sentence vector. `Ok(None)`: the model is not
/// installed. Returns how many lines were indexed.
pub fn index_call(library: &mut Library, call_id: i64) -> Result<Option<usize>, SemanticError> {
    let Some(embedder) = shared_embedder(library.data_dir())? else {
        return Ok(None);
    };
    let lines = library.lines_without_vectors(call_id)?;
    if lines.is_empty() {
        return Ok(Some(0));
    }
    let texts: Vec<&str> = lines.iter().map(|(_, text)| text.as_str()).collect();
    let vectors = embedder.embed(&texts)?;
    let rows: Vec<(i64, Vec<f32>)> = lines.iter().map(|(id, _)| *id).zip(vectors).collect();
    Ok(Some(library.store_line_vectors(call_id, &rows)?))
}
