use super::ImportError;

/// No call runs a week: a later time is a broken file, and refusing it keeps every sum of times
/// (durations, call end dates) far from overflow.
pub(crate) const MAX_TIME_MS: i64 = 7 * 24 * 3600 * 1000;

/// Parses `HH:MM:SS.mmm`, `MM:SS.mmm` (WebVTT) or `HH:MM:SS,mmm` (SRT) into milliseconds.
pub(crate) fn parse_timestamp(raw: &str, line: usize) -> Result<i64, ImportError> {
    let bad = || {
        ImportError::at(
            line,
            format!("'{raw}' is not a timestamp; expected HH:MM:SS.mmm or HH:MM:SS,mmm"),
        )
    };
    let too_late = || {
        ImportError::at(
            line,
            format!("'{raw}' is more than a week into the recording; the file's times are broken"),
        )
    };
    let (clock, fraction) = raw.rsplit_once(['.', ',']).ok_or_else(bad)?;
    if fraction.is_empty() || fraction.len() > 3 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let mut millis: i64 = fraction.parse().map_err(|_| bad())?;
    millis *= 10_i64.pow(3 - fraction.len() as u32);
    let parts: Vec<&str> = clock.split(':').collect();
    if !(2..=3).contains(&parts.len()) {
        return Err(bad());
    }
    let mut seconds = 0_i64;
    for (i, part) in parts.iter().enumerate() {
        if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let value: i64 = part.parse().map_err(|_| bad())?;
        let is_minutes_or_seconds = i + 1 >= parts.len() - 1;
        if is_minutes_or_seconds && i > 0 && value >= 60 {
            return Err(bad());
        }
        seconds = seconds
            .checked_mul(60)
            .and_then(|s| s.checked_add(value))
            .ok_or_else(too_late)?;
    }
    let total = seconds
        .checked_mul(1000)
        .and_then(|ms| ms.checked_add(millis))
        .filter(|ms| *ms <= MAX_TIME_MS)
        .ok_or_else(too_late)?;
    Ok(total)
}

/// Parses a `start --> end [settings]` timing line.
pub(crate) fn parse_timing_line(text: &str, line: usize) -> Result<(i64, i64), ImportError> {
    let (start, rest) = text.split_once("-->").ok_or_else(|| {
        ImportError::at(
            line,
            "expected a timing line like '00:00:01.000 --> 00:00:04.000'",
        )
    })?;
    let end = rest.split_whitespace().next().unwrap_or("");
    let start_ms = parse_timestamp(start.trim(), line)?;
    let end_ms = parse_timestamp(end, line)?;
    if end_ms < start_ms {
        return Err(ImportError::at(
            line,
            format!("cue ends ({end}) before it starts ({})", start.trim()),
        ));
    }
    Ok((start_ms, end_ms))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_vtt_and_srt_timestamps() {
        assert_eq!(parse_timestamp("00:01:02.500", 1).unwrap(), 62_500);
        assert_eq!(parse_timestamp("01:02.5", 1).unwrap(), 62_500);
        assert_eq!(parse_timestamp("01:00:00,001", 1).unwrap(), 3_600_001);
    }

    #[test]
    fn rejects_malformed_timestamps_with_line() {
        let err = parse_timestamp("00:99:00.000", 7).unwrap_err().to_string();
        assert!(err.starts_with("line 7:"), "{err}");
        assert!(parse_timestamp("1:2:3", 1).is_err());
        assert!(parse_timing_line("00:00:05.000 --> 00:00:01.000", 3).is_err());
    }
}
