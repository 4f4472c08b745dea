//! Whisper's token list, recovered as raw bytes. CTranslate2 stores the byte-level
//! BPE tokens in GPT-2's printable form (each byte mapped to one Unicode character);
//! whisper.cpp wants the original bytes.

use std::collections::HashMap;
use std::path::Path;

use crate::model::ModelError;

const END_OF_TEXT: &str = "<|endoftext|>";

/// Reads the regular (non-special) tokens of a CTranslate2 Whisper directory, in id order.
/// whisper.cpp adds the special tokens itself, starting at `<|endoftext|>`.
pub fn load_regular_tokens(dir: &Path) -> Result<Vec<Vec<u8>>, ModelError> {
    let tokens = read_token_strings(dir)?;
    let n_regular = tokens
        .iter()
        .position(|t| t == END_OF_TEXT)
        .ok_or_else(|| bad(dir, format!("the vocabulary has no {END_OF_TEXT} token")))?;
    let decode = unicode_to_byte();
    tokens[..n_regular]
        .iter()
        .map(|token| {
            token
                .chars()
                .map(|c| decode.get(&c).copied())
                .collect::<Option<Vec<u8>>>()
                .ok_or_else(|| bad(dir, format!("token {token:?} is not byte-level BPE")))
        })
        .collect()
}

fn read_token_strings(dir: &Path) -> Result<Vec<String>, ModelError> {
    let txt = dir.join("vocabulary.txt");
    if txt.is_file() {
        let text = std::fs::read_to_string(&txt).map_err(|e| ModelError::io("read", &txt, e))?;
        let text = text.strip_suffix('\n').unwrap_or(&text);
        return Ok(text
            .split('\n')
            .map(|l| l.trim_end_matches('\r').to_owned())
            .collect());
    }
    let json = dir.join("vocabulary.json");
    if json.is_file() {
        let text = std::fs::read(&json).map_err(|e| ModelError::io("read", &json, e))?;
        return serde_json::from_slice(&text).map_err(|e| {
            bad(
                dir,
                format!("vocabulary.json is not a list of strings: {e}"),
            )
        });
    }
    let tokenizer = dir.join("tokenizer.json");
    if tokenizer.is_file() {
        return tokens_from_tokenizer_json(dir, &tokenizer);
    }
    Err(bad(
        dir,
        "it has no vocabulary.txt, vocabulary.json or tokenizer.json".into(),
    ))
}

fn tokens_from_tokenizer_json(dir: &Path, path: &Path) -> Result<Vec<String>, ModelError> {
    #[derive(serde::Deserialize)]
    struct Tokenizer {
        model: Model,
        #[serde(default)]
        added_tokens: Vec<Added>,
    }
    #[derive(serde::Deserialize)]
    struct Model {
        vocab: HashMap<String, usize>,
    }
    #[derive(serde::Deserialize)]
    struct Added {
        id: usize,
        content: String,
    }
    let bytes = std::fs::read(path).map_err(|e| ModelError::io("read", path, e))?;
    let parsed: Tokenizer = serde_json::from_slice(&bytes)
        .map_err(|e| bad(dir, format!("tokenizer.json has no BPE vocabulary: {e}")))?;
    let entries = parsed
        .model
        .vocab
        .into_iter()
        .chain(parsed.added_tokens.into_iter().map(|a| (a.content, a.id)));
    let mut by_id: Vec<Option<String>> = Vec::new();
    for (token, id) in entries {
        if id >= by_id.len() {
            by_id.resize(id + 1, None);
        }
        by_id[id] = Some(token);
    }
    by_id
        .into_iter()
        .enumerate()
        .map(|(id, t)| {
            t.ok_or_else(|| bad(dir, format!("tokenizer.json has no token with id {id}")))
        })
        .collect()
}

/// The inverse of GPT-2's `bytes_to_unicode`: printable Latin-1 bytes map to themselves,
/// the other 68 bytes to U+0100 upwards in byte order.
fn unicode_to_byte() -> HashMap<char, u8> {
    let printable = |b: u8| matches!(b, b'!'..=b'~' | 0xA1..=0xAC | 0xAE..=0xFF);
    let mut map = HashMap::with_capacity(256);
    let mut next_shifted = 256u32;
    for b in 0..=255u8 {
        let c = if printable(b) {
            char::from(b)
        } else {
            let c = char::from_u32(next_shifted).unwrap_or(char::REPLACEMENT_CHARACTER);
            next_shifted += 1;
            c
        };
        map.insert(c, b);
    }
    map
}

fn bad(dir: &Path, reason: String) -> ModelError {
    ModelError::BadCt2 {
        path: dir.to_path_buf(),
        reason,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_level_mapping_is_a_bijection_with_known_points() {
        let map = unicode_to_byte();
        assert_eq!(map.len(), 256);
        assert_eq!(map[&'Ġ'], b' ');
        assert_eq!(map[&'Ċ'], b'\n');
        assert_eq!(map[&'A'], b'A');
        assert_eq!(map[&'\u{0100}'], 0);
    }
}
