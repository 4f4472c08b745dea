use super::cuetext::srt_runs;
use super::speaker::{segments_from_cues, Cue};
use super::timecode::parse_timing_line;
use super::{ImportError, ImportedSegment};

/// Parses SubRip: optional index line, `00:00:01,000 --> 00:00:04,000`, text lines, blank line.
/// Speakers come from `Name: text` labels (or `<v Name>` tags, which some tools also emit); of
/// markup only `<i>`, `<b>`, `<u>` and `<font>` are removed, so a bare `<` stays text.
pub fn parse_srt(content: &str) -> Result<Vec<ImportedSegment>, ImportError> {
    let content = content.strip_prefix('\u{feff}').unwrap_or(content);
    let lines: Vec<&str> = content.lines().collect();
    let mut cues = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if lines[i].trim().is_empty() {
            i += 1;
            continue;
        }
        let block_start = i;
        while i < lines.len() && !lines[i].trim().is_empty() {
            i += 1;
        }
        let block = &lines[block_start..i];
        let first = block[0].trim();
        let timing_index = if first.contains("-->") {
            0
        } else if first.bytes().all(|b| b.is_ascii_digit()) && block.len() > 1 {
            1
        } else {
            return Err(ImportError::at(
                block_start + 1,
                format!("expected a subtitle number or a timing line ('00:00:01,000 --> 00:00:04,000') but found '{first}'"),
            ));
        };
        let line_no = block_start + timing_index + 1;
        let (start_ms, end_ms) = parse_timing_line(block[timing_index].trim(), line_no)?;
        cues.push(Cue {
            start_ms,
            end_ms,
            runs: srt_runs(&block[timing_index + 1..].join("\n")),
        });
    }
    Ok(segments_from_cues(cues))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_srt_with_speakers() {
        let srt = "1\n00:00:01,000 --> 00:00:02,000\nAna: Dobar dan.\n\n2\n00:00:02,500 --> 00:00:04,000\nBob: Hello,\nnice to meet you.\n";
        let segs = parse_srt(srt).unwrap();
        assert_eq!(segs.len(), 2);
        assert_eq!(segs[1].speaker.as_deref(), Some("Bob"));
        assert_eq!(segs[1].text, "Hello, nice to meet you.");
        assert_eq!(segs[1].start_ms, 2500);
    }

    #[test]
    fn reports_line_of_bad_block() {
        let err = parse_srt("1\n00:00:01,000 --> 00:00:02,000\nhi\n\nnonsense\nmore\n")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("line 5:"), "{err}");
        let err = parse_srt("1\n00:00:01,000 --> 00:00:0,000\nhi\n")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("line 2:"), "{err}");
    }
}
