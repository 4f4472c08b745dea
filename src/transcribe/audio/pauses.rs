//! Shortening long pauses inside a window before whisper sees it.
//!
//! Whisper's encoder costs the same for every 30 s it sees, speech or not, and in a call each
//! side's channel is silent while the other side talks.
//! Pauses longer than a second are cut down to 0.4 s (0.2 s kept on each side, so soft word
//! endings and onsets stay): enough for whisper to see a pause, without paying for the rest.
//! The cuts are recorded so timestamps can be mapped back to the original audio.

use super::resample::TARGET_RATE;

const FRAME: usize = TARGET_RATE as usize / 50;
/// Pauses at least this long (in 20 ms frames) are shortened.
const LONG_PAUSE_FRAMES: usize = 50;
/// Frames kept at each side of a shortened pause.
const KEEP_FRAMES: usize = 10;
/// Quiet means below the window's own noise floor plus this margin (speech sits 20–30 dB above it)…
const NOISE_MARGIN_DB: f32 = 15.0;
/// …but never louder than this: a loud background is not a pause.
const LOUDEST_QUIET_DBFS: f32 = -35.0;

/// Samples removed from a window at one place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cut {
    /// Index in the shortened window where the removed samples were.
    pub at: usize,
    pub removed: usize,
}

/// Removes the middle of every long pause from `samples` and returns where. `floor_dbfs` is the
/// quietest level that may count as sound at all (the chunker's speech floor).
pub(crate) fn shorten_pauses(samples: &mut Vec<f32>, floor_dbfs: f32) -> Vec<Cut> {
    let levels: Vec<f32> = samples
        .chunks(FRAME)
        .map(|f| 10.0 * (f.iter().map(|s| s * s).sum::<f32>() / f.len() as f32 + 1e-12).log10())
        .collect();
    let threshold = quiet_threshold(&levels, floor_dbfs);
    let mut remove = Vec::new(); // frame ranges
    let mut run_start = None;
    for (i, &level) in levels
        .iter()
        .chain(std::iter::once(&f32::INFINITY))
        .enumerate()
    {
        match (level < threshold, run_start) {
            (true, None) => run_start = Some(i),
            (false, Some(start)) => {
                run_start = None;
                if i - start >= LONG_PAUSE_FRAMES {
                    // A pause at the very start or end needs no room on its open side.
                    let keep_before = if start == 0 { 0 } else { KEEP_FRAMES };
                    let keep_after = if i == levels.len() { 0 } else { KEEP_FRAMES };
                    remove.push((start + keep_before, i - keep_after));
                }
            }
            _ => {}
        }
    }
    let mut cuts = Vec::with_capacity(remove.len());
    let mut kept = Vec::with_capacity(samples.len());
    let mut from = 0;
    for (first, end) in remove {
        let (a, b) = (first * FRAME, (end * FRAME).min(samples.len()));
        kept.extend_from_slice(&samples[from..a]);
        cuts.push(Cut {
            at: kept.len(),
            removed: b - a,
        });
        from = b;
    }
    if cuts.is_empty() {
        return cuts;
    }
    kept.extend_from_slice(&samples[from..]);
    *samples = kept;
    cuts
}

/// The level below which a frame is quiet: the window's noise floor (its 10th-percentile frame)
/// plus a margin, kept between the speech floor and [`LOUDEST_QUIET_DBFS`].
fn quiet_threshold(levels: &[f32], floor_dbfs: f32) -> f32 {
    let mut sorted = levels.to_vec();
    sorted.sort_by(f32::total_cmp);
    let noise = sorted.get(sorted.len() / 10).copied().unwrap_or(floor_dbfs);
    (noise + NOISE_MARGIN_DB).clamp(floor_dbfs, LOUDEST_QUIET_DBFS.max(floor_dbfs))
}

/// Maps a sample index of a shortened window back to the original window. Whisper often
/// starts a segment where the previous one ended, inside the pause: a start within the kept
/// room before a cut moves past the pause, and an end within the room after one stays before it.
pub fn original_index(cuts: &[Cut], index: usize, end: bool) -> usize {
    let room = KEEP_FRAMES * FRAME;
    let snapped = cuts
        .iter()
        .find(|c| {
            if end {
                (c.at..=c.at + room).contains(&index)
            } else {
                index < c.at && index + room >= c.at
            }
        })
        .map_or(index, |c| c.at);
    let removed: usize = cuts
        .iter()
        .take_while(|c| if end { c.at < snapped } else { c.at <= snapped })
        .map(|c| c.removed)
        .sum();
    snapped + removed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tone(seconds: f32) -> Vec<f32> {
        (0..(seconds * 16_000.0) as usize)
            .map(|i| 0.3 * (i as f32 * 0.05).sin())
            .collect()
    }

    fn quiet(seconds: f32) -> Vec<f32> {
        (0..(seconds * 16_000.0) as usize)
            .map(|i| 0.0005 * ((i * 7919 % 101) as f32 / 50.0 - 1.0))
            .collect()
    }

    #[test]
    fn long_pauses_shrink_to_0_4_s_and_map_back() {
        let mut audio = tone(2.0);
        audio.extend(quiet(5.0));
        audio.extend(tone(1.0));
        audio.extend(quiet(0.6)); // short: kept whole
        audio.extend(tone(1.0));
        let original = audio.clone();
        let cuts = shorten_pauses(&mut audio, -50.0);
        assert_eq!(cuts.len(), 1, "{cuts:?}");
        let seconds = audio.len() as f32 / 16_000.0;
        assert!((4.9..5.1).contains(&seconds), "{seconds}");
        // The second tone starts 0.2 s after the cut in the short window, 7 s into the original.
        let second_tone = cuts[0].at + 3_200;
        assert_eq!(original_index(&cuts, second_tone, false), 7 * 16_000);
        assert_eq!(audio[second_tone + 100], original[7 * 16_000 + 100]);
        // A segment ending at or just after the cut ends before the pause; one starting at or
        // just before it starts after it.
        let (at, removed) = (cuts[0].at, cuts[0].removed);
        assert_eq!(original_index(&cuts, at, true), at);
        assert_eq!(original_index(&cuts, at + 1_000, true), at);
        assert_eq!(original_index(&cuts, at, false), at + removed);
        assert_eq!(original_index(&cuts, at - 1_000, false), at + removed);
        // Away from the pause nothing moves.
        assert_eq!(original_index(&cuts, 8_000, false), 8_000);
        assert_eq!(original_index(&cuts, 8_000, true), 8_000);
    }

    #[test]
    fn continuous_sound_and_a_loud_background_are_left_alone() {
        let mut speech = tone(6.0);
        assert!(shorten_pauses(&mut speech, -50.0).is_empty());
        let mut hum: Vec<f32> = tone(3.0).iter().map(|s| s * 0.2).collect(); // about -27 dBFS
        hum.extend(tone(3.0));
        assert!(shorten_pauses(&mut hum, -50.0).is_empty());
    }

    #[test]
    fn a_trailing_pause_is_dropped_to_its_first_0_2_s() {
        let mut audio = tone(1.0);
        audio.extend(quiet(3.0));
        let cuts = shorten_pauses(&mut audio, -50.0);
        assert_eq!(cuts.len(), 1);
        assert_eq!(audio.len(), 16_000 + 3_200);
    }
}
