use serde::Deserialize;

use super::{ImportError, ImportedSegment};

#[derive(Deserialize)]
struct ZapisTranscript {
    segments: Vec<ZapisSegment>,
}

#[derive(Deserialize)]
struct ZapisSegment {
    start: f64,
    end: f64,
    text: String,
    #[serde(default)]
    speaker: Option<String>,
}

/// Parses Zapis JSON: `{"segments":[{"start":0.0,"end":1.5,"text":"…","speaker":"Ana"}]}`, times in
/// seconds. Segments with blank text are dropped.
pub fn parse_zapis_json(content: &str) -> Result<Vec<ImportedSegment>, ImportError> {
    let content = content.strip_prefix('\u{feff}').unwrap_or(content);
    let doc: ZapisTranscript = serde_json::from_str(content).map_err(|e| {
        ImportError::at(
            e.line(),
            format!("invalid Zapis JSON transcript (column {}): {e}; expected {{\"segments\":[{{\"start\",\"end\",\"text\",\"speaker\"?}}]}}", e.column()),
        )
    })?;
    let line_of = |index: usize| locate_segment_line(content, index);
    let mut out = Vec::with_capacity(doc.segments.len());
    for (index, seg) in doc.segments.into_iter().enumerate() {
        let max_seconds = super::timecode::MAX_TIME_MS as f64 / 1000.0;
        if !seg.start.is_finite() || !seg.end.is_finite() || seg.start < 0.0 || seg.end < seg.start
        {
            return Err(ImportError::at(
                line_of(index),
                format!(
                    "segment {} has start {} and end {}; times must be seconds with 0 <= start <= end",
                    index + 1,
                    seconds_for_humans(seg.start),
                    seconds_for_humans(seg.end)
                ),
            ));
        }
        if seg.end > max_seconds {
            return Err(ImportError::at(
                line_of(index),
                format!(
                    "segment {} ends at {} s, more than a week into the recording; the file's times are broken",
                    index + 1,
                    seconds_for_humans(seg.end)
                ),
            ));
        }
        let text = super::speaker::normalize_space(&seg.text);
        if text.is_empty() {
            continue;
        }
        let speaker = seg
            .speaker
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty());
        out.push(ImportedSegment {
            speaker,
            start_ms: (seg.start * 1000.0).round() as i64,
            end_ms: (seg.end * 1000.0).round() as i64,
            text,
        });
    }
    Ok(out)
}

/// Line of the n-th `"start"` key: good enough to point a person at the offending segment.
fn locate_segment_line(content: &str, index: usize) -> usize {
    content
        .match_indices("\"start\"")
        .nth(index)
        .map(|(pos, _)| content[..pos].matches('\n').count() + 1)
        .unwrap_or(1)
}

/// A time as a person reads it: `1e300`, not three hundred digits.
fn seconds_for_humans(seconds: f64) -> String {
    if seconds.abs() >= 1e9 {
        format!("{seconds:e}")
    } else {
        seconds.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_segments_in_seconds() {
        let segs = parse_zapis_json(r#"{"segments":[{"start":1.25,"end":2.5,"text":" hi  there ","speaker":"Ana"},{"start":3,"end":4,"text":"x"}]}"#).unwrap();
        assert_eq!(segs[0].start_ms, 1250);
        assert_eq!(segs[0].text, "hi there");
        assert_eq!(segs[1].speaker, None);
    }

    #[test]
    fn errors_name_line_and_problem() {
        let err =
            parse_zapis_json("{\n\"segments\": [\n{\"start\": 2, \"end\": 1, \"text\": \"a\"}]}")
                .unwrap_err()
                .to_string();
        assert!(
            err.starts_with("line 3:") && err.contains("segment 1"),
            "{err}"
        );
        let err = parse_zapis_json("{\n\"segments\": [\n{\"start\": 2,}]}")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("line 3:"), "{err}");
    }

    #[test]
    fn an_absurd_time_is_written_short() {
        let err =
            parse_zapis_json("{\"segments\": [{\"start\": 0, \"end\": 1e300, \"text\": \"a\"}]}")
                .unwrap_err()
                .to_string();
        assert!(err.contains("ends at 1e300 s"), "{err}");
        assert!(err.len() < 200, "{err}");
    }
}
