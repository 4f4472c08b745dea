use super::cuetext::webvtt_runs;
use super::speaker::{segments_from_cues, Cue};
use super::timecode::parse_timing_line;
use super::{ImportError, ImportedSegment};

/// Parses WebVTT as Teams and Zoom write it. Cue identifiers (Teams' `GUID/N-M`, Zoom's numbers)
/// are skipped; NOTE, STYLE and REGION blocks are ignored; empty cues are dropped. Cue text is
/// read by WebVTT's rules (see `cuetext`), speakers from `<v>` voices and `Name: ` labels.
pub fn parse_webvtt(content: &str) -> Result<Vec<ImportedSegment>, ImportError> {
    let content = content.strip_prefix('\u{feff}').unwrap_or(content);
    let lines: Vec<&str> = content.lines().collect();
    let header = lines.first().map(|l| l.trim_end()).unwrap_or("");
    if !(header == "WEBVTT" || header.starts_with("WEBVTT ") || header.starts_with("WEBVTT\t")) {
        return Err(ImportError::at(
            1,
            "missing 'WEBVTT' header; this is not a WebVTT file (use .srt or .json for other formats)",
        ));
    }
    let mut cues = Vec::new();
    let mut i = 1;
    // Skip header metadata up to the first blank line.
    while i < lines.len() && !lines[i].trim().is_empty() {
        i += 1;
    }
    while i < lines.len() {
        if lines[i].trim().is_empty() {
            i += 1;
            continue;
        }
        let block_start = i;
        let mut block_end = i;
        while block_end < lines.len() && !lines[block_end].trim().is_empty() {
            block_end += 1;
        }
        let block = &lines[block_start..block_end];
        i = block_end;
        let first = block[0].trim();
        if first.starts_with("NOTE") || first == "STYLE" || first == "REGION" {
            continue;
        }
        let timing_index = if first.contains("-->") {
            0
        } else if block.len() > 1 && block[1].contains("-->") {
            1
        } else {
            return Err(ImportError::at(
                block_start + 1,
                format!("expected a cue timing line ('00:00:01.000 --> 00:00:04.000') but found '{first}'"),
            ));
        };
        let line_no = block_start + timing_index + 1;
        let (start_ms, end_ms) = parse_timing_line(block[timing_index].trim(), line_no)?;
        let payload = block[timing_index + 1..].join("\n");
        cues.push(Cue {
            start_ms,
            end_ms,
            runs: webvtt_runs(&payload),
        });
    }
    Ok(segments_from_cues(cues))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEAMS: &str = "\u{feff}WEBVTT\n\nab12cd34-5678-90ab-cdef-1234567890ab/18-0\n00:00:03.120 --> 00:00:07.450\n<v Anna Kowalski>Hi Mark, can you\nhear me okay?</v>\n\nab12cd34-5678-90ab-cdef-1234567890ab/19-0\n00:00:08.000 --> 00:00:09.000\n<v Mark Lee>Yes.</v>\n";

    #[test]
    fn parses_teams_voice_tags_ids_bom_and_multiline() {
        let segs = parse_webvtt(TEAMS).unwrap();
        assert_eq!(segs.len(), 2);
        assert_eq!(segs[0].speaker.as_deref(), Some("Anna Kowalski"));
        assert_eq!(segs[0].text, "Hi Mark, can you hear me okay?");
        assert_eq!((segs[0].start_ms, segs[0].end_ms), (3120, 7450));
        assert_eq!(segs[1].speaker.as_deref(), Some("Mark Lee"));
    }

    #[test]
    fn parses_zoom_prefixes_and_notes() {
        let zoom = "WEBVTT\n\nNOTE exported by Zoom\n\n1\n00:00:01.000 --> 00:00:02.500\nJane Doe: Hello there,\nhow are you?\n\n2\n00:00:03.000 --> 00:00:04.000\nno speaker here\n";
        let segs = parse_webvtt(zoom).unwrap();
        assert_eq!(segs.len(), 2);
        assert_eq!(segs[0].speaker.as_deref(), Some("Jane Doe"));
        assert_eq!(segs[0].text, "Hello there, how are you?");
        assert_eq!(segs[1].speaker, None);
    }

    #[test]
    fn errors_name_the_line() {
        let err = parse_webvtt("hello").unwrap_err().to_string();
        assert!(err.contains("line 1") && err.contains("WEBVTT"), "{err}");
        let err = parse_webvtt("WEBVTT\n\n1\n00:00:01.000 -> 00:00:02.000\nhi\n")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("line 3:"), "{err}");
        let err = parse_webvtt("WEBVTT\n\n00:00:0x.000 --> 00:00:02.000\nhi\n")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("line 3:"), "{err}");
    }

    #[test]
    fn splits_cues_with_two_voices() {
        let segs = parse_webvtt(
            "WEBVTT\n\n00:00:00.000 --> 00:00:01.000\n<v A>one two</v><v B>three four</v>\n",
        )
        .unwrap();
        assert_eq!(segs.len(), 2);
        assert_eq!(segs[0].end_ms, segs[1].start_ms);
        assert_eq!(segs[1].end_ms, 1000);
    }
}
