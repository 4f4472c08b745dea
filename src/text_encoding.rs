//! Decoding text files written by other programs: Excel on Windows saves CSV in the ANSI code page
//! (Windows-1252 in Western Europe, Windows-1250 for Serbian and other Central European users),
//! Windows tools save subtitles as UTF-16 with a byte-order mark. Zapis reads:
//!
//! 1. the encoding the user names (`--encoding LABEL`, any WHATWG label such as `windows-1250`,
//!    `utf-16le`, `latin2`); a byte-order mark of that same encoding is dropped;
//! 2. otherwise the encoding a byte-order mark names (UTF-8, UTF-16LE, UTF-16BE);
//! 3. otherwise UTF-16 without a byte-order mark when NUL bytes show it (every other byte);
//! 4. otherwise UTF-8 when the bytes are valid UTF-8;
//! 5. otherwise the 8-bit code page `chardetng` guesses from the bytes.
//!
//! Bytes that are not valid in the chosen encoding are an error with their line, never replaced
//! by U+FFFD; the caller reports which encoding was read.

use encoding_rs::{DecoderResult, UTF_16BE, UTF_16LE, UTF_8};

pub use encoding_rs::Encoding;

/// How the encoding of a file was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DetectedBy {
    /// The user named it.
    Forced,
    /// The file starts with a byte-order mark.
    ByteOrderMark,
    /// No mark, and the bytes are valid UTF-8.
    ValidUtf8,
    /// No mark, NUL bytes in every other position.
    NulPattern,
    /// Guessed by chardetng from the bytes.
    Guessed,
}

/// The encoding a file was read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextEncoding {
    pub encoding: &'static Encoding,
    pub detected_by: DetectedBy,
}

impl TextEncoding {
    /// The encoding's WHATWG name: `UTF-8`, `UTF-16LE`, `windows-1252`, …
    pub fn name(&self) -> &'static str {
        self.encoding.name()
    }
}

impl std::fmt::Display for TextEncoding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let how = match self.detected_by {
            DetectedBy::Forced => "as given with --encoding",
            DetectedBy::ByteOrderMark => "from its byte-order mark",
            DetectedBy::ValidUtf8 => "valid UTF-8",
            DetectedBy::NulPattern => "no byte-order mark; detected from NUL bytes",
            DetectedBy::Guessed => "guessed from the bytes; force another with --encoding",
        };
        write!(f, "{} ({how})", self.name())
    }
}

impl serde::Serialize for TextEncoding {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("TextEncoding", 2)?;
        st.serialize_field("name", self.name())?;
        st.serialize_field("detected_by", &self.detected_by)?;
        st.end()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("{label:?} is not an encoding name; use a label such as utf-8, utf-16le, utf-16be, windows-1252, windows-1250 or iso-8859-2")]
    UnknownLabel { label: String },
    #[error("line {line}: the bytes are not valid {encoding}; save the file as UTF-8 or name its encoding with --encoding")]
    Malformed { line: usize, encoding: &'static str },
}

/// Looks up an encoding by its WHATWG label (case-insensitive, surrounding spaces ignored).
/// `replacement` and `x-user-defined` are refused: they do not decode text files.
pub fn encoding_for_label(label: &str) -> Result<&'static Encoding, DecodeError> {
    Encoding::for_label_no_replacement(label.trim().as_bytes())
        .filter(|e| *e != encoding_rs::X_USER_DEFINED)
        .ok_or_else(|| DecodeError::UnknownLabel {
            label: label.to_string(),
        })
}

/// Decodes a whole file; see the module documentation for how the encoding is chosen.
pub fn decode(
    bytes: &[u8],
    forced: Option<&'static Encoding>,
) -> Result<(String, TextEncoding), DecodeError> {
    let (encoding, detected_by, body) = match forced {
        Some(encoding) => {
            let bom = match Encoding::for_bom(bytes) {
                Some((e, len)) if e == encoding => len,
                _ => 0,
            };
            (encoding, DetectedBy::Forced, &bytes[bom..])
        }
        None => match (Encoding::for_bom(bytes), utf16_by_nuls(bytes)) {
            (Some((encoding, len)), _) => (encoding, DetectedBy::ByteOrderMark, &bytes[len..]),
            // Checked before UTF-8: ASCII in UTF-16 is valid UTF-8 full of NULs.
            (None, Some(encoding)) => (encoding, DetectedBy::NulPattern, bytes),
            (None, None) if std::str::from_utf8(bytes).is_ok() => {
                (UTF_8, DetectedBy::ValidUtf8, bytes)
            }
            (None, None) => {
                let mut detector = chardetng::EncodingDetector::new();
                detector.feed(bytes, true);
                (detector.guess(None, false), DetectedBy::Guessed, bytes)
            }
        },
    };
    let text = decode_strict(encoding, body)?;
    Ok((
        text,
        TextEncoding {
            encoding,
            detected_by,
        },
    ))
}

/// UTF-16 text that is mostly ASCII has a NUL in every other byte; 8-bit text has none.
fn utf16_by_nuls(bytes: &[u8]) -> Option<&'static Encoding> {
    let pairs = bytes.len() / 2;
    if pairs < 2 {
        return None;
    }
    let nul_at = |parity: usize| {
        bytes
            .iter()
            .skip(parity)
            .step_by(2)
            .filter(|b| **b == 0)
            .count()
    };
    let (even, odd) = (nul_at(0), nul_at(1));
    if odd * 2 > pairs && even * 10 < pairs {
        Some(UTF_16LE)
    } else if even * 2 > pairs && odd * 10 < pairs {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// Decodes without replacement characters; malformed input is an error naming its line.
fn decode_strict(encoding: &'static Encoding, bytes: &[u8]) -> Result<String, DecodeError> {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let capacity = decoder
        .max_utf8_buffer_length_without_replacement(bytes.len())
        .unwrap_or(bytes.len().saturating_mul(3));
    let mut text = String::with_capacity(capacity);
    let mut input = bytes;
    loop {
        let (result, read) = decoder.decode_to_string_without_replacement(input, &mut text, true);
        input = &input[read..];
        match result {
            DecoderResult::InputEmpty => return Ok(text),
            DecoderResult::OutputFull => text.reserve(input.len().saturating_mul(3).max(16)),
            DecoderResult::Malformed(_, _) => {
                return Err(DecodeError::Malformed {
                    line: text.matches('\n').count() + 1,
                    encoding: encoding.name(),
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_order_marks_win_and_are_dropped() {
        let mut utf16: Vec<u8> = vec![0xFF, 0xFE];
        utf16.extend("Ž1".encode_utf16().flat_map(u16::to_le_bytes));
        let (text, enc) = decode(&utf16, None).unwrap();
        assert_eq!(text, "Ž1");
        assert_eq!(
            (enc.name(), enc.detected_by),
            ("UTF-16LE", DetectedBy::ByteOrderMark)
        );
        let (text, enc) = decode(b"\xEF\xBB\xBFok", None).unwrap();
        assert_eq!((text.as_str(), enc.name()), ("ok", "UTF-8"));
    }

    #[test]
    fn utf8_then_nuls_then_a_guess() {
        let (_, enc) = decode("José".as_bytes(), None).unwrap();
        assert_eq!(enc.detected_by, DetectedBy::ValidUtf8);
        let be: Vec<u8> = "WEBVTT\n"
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect();
        let (text, enc) = decode(&be, None).unwrap();
        assert_eq!((text.as_str(), enc.name()), ("WEBVTT\n", "UTF-16BE"));
        let (text, enc) = decode(b"Jos\xE9 M\xFCller, caf\xE9 cr\xE8me", None).unwrap();
        assert_eq!(text, "José Müller, café crème");
        assert_eq!(enc.detected_by, DetectedBy::Guessed);
    }

    #[test]
    fn forced_encodings_and_bad_labels() {
        let (text, enc) =
            decode(b"\xD0or\xF0e", Some(encoding_for_label("cp1250").unwrap())).unwrap();
        assert_eq!((text.as_str(), enc.name()), ("Đorđe", "windows-1250"));
        assert!(matches!(
            encoding_for_label("klingon"),
            Err(DecodeError::UnknownLabel { .. })
        ));
        assert!(encoding_for_label("x-user-defined").is_err());
        let err = decode(b"ok\nok\n\xFF\n", Some(UTF_8)).unwrap_err();
        assert_eq!(
            err,
            DecodeError::Malformed {
                line: 3,
                encoding: "UTF-8"
            }
        );
    }
}
