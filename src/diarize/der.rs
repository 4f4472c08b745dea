//! Diarization error rate, scored the NIST way on a 10 ms grid: missed speech, false alarm and
//! speaker confusion over reference speech, under the best one-to-one mapping of found voices to
//! reference speakers, with a collar around every reference boundary left unscored.

/// A speaker turn in milliseconds; `speaker` is any label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Labelled {
    pub start_ms: i64,
    pub end_ms: i64,
    pub speaker: String,
}

#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct DerScore {
    /// Scored reference speech, seconds.
    pub speech: f64,
    pub missed: f64,
    pub false_alarm: f64,
    pub confusion: f64,
}

impl DerScore {
    pub fn der(&self) -> f64 {
        if self.speech == 0.0 {
            return 0.0;
        }
        (self.missed + self.false_alarm + self.confusion) / self.speech
    }

    pub fn add(&mut self, other: &DerScore) {
        self.speech += other.speech;
        self.missed += other.missed;
        self.false_alarm += other.false_alarm;
        self.confusion += other.confusion;
    }
}

const FRAME_MS: i64 = 10;

fn labels(turns: &[Labelled]) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    for t in turns {
        if !out.contains(&t.speaker.as_str()) {
            out.push(&t.speaker);
        }
    }
    out
}

/// Who speaks in each frame, as indices into `names`.
fn frames(turns: &[Labelled], names: &[&str], n: usize) -> Vec<Vec<usize>> {
    let mut grid = vec![Vec::new(); n];
    for t in turns {
        let Some(who) = names.iter().position(|s| *s == t.speaker) else {
            continue;
        };
        let from = (t.start_ms.max(0) / FRAME_MS) as usize;
        let to = ((t.end_ms.max(0) + FRAME_MS - 1) / FRAME_MS) as usize;
        for frame in grid.iter_mut().take(to.min(n)).skip(from) {
            if !frame.contains(&who) {
                frame.push(who);
            }
        }
    }
    grid
}

/// The mapping of hypothesis voices to reference speakers that maximises co-spoken time
/// (exhaustive: calls have a handful of voices).
fn best_mapping(overlap: &[Vec<i64>], refs: usize, hyps: usize) -> Vec<Option<usize>> {
    fn search(
        h: usize,
        overlap: &[Vec<i64>],
        used: &mut Vec<bool>,
        current: &mut Vec<Option<usize>>,
        best: &mut (i64, Vec<Option<usize>>),
        score: i64,
    ) {
        if h == current.len() {
            if score > best.0 {
                *best = (score, current.clone());
            }
            return;
        }
        search(h + 1, overlap, used, current, best, score);
        for r in 0..used.len() {
            if !used[r] && overlap[h][r] > 0 {
                used[r] = true;
                current[h] = Some(r);
                search(h + 1, overlap, used, current, best, score + overlap[h][r]);
                current[h] = None;
                used[r] = false;
            }
        }
    }
    let mut best = (0, vec![None; hyps]);
    search(
        0,
        overlap,
        &mut vec![false; refs],
        &mut vec![None; hyps],
        &mut best,
        0,
    );
    best.1
}

/// Scores `hypothesis` against `reference`; frames within `collar_ms` of a reference turn's
/// start or end are not scored.
pub fn score(reference: &[Labelled], hypothesis: &[Labelled], collar_ms: i64) -> DerScore {
    let end = reference
        .iter()
        .chain(hypothesis)
        .map(|t| t.end_ms)
        .max()
        .unwrap_or(0);
    let n = ((end + FRAME_MS - 1) / FRAME_MS).max(0) as usize;
    let ref_names = labels(reference);
    let hyp_names = labels(hypothesis);
    let r = frames(reference, &ref_names, n);
    let h = frames(hypothesis, &hyp_names, n);
    let mut scored = vec![true; n];
    for t in reference {
        for edge in [t.start_ms, t.end_ms] {
            let from = ((edge - collar_ms).max(0) / FRAME_MS) as usize;
            let to = (((edge + collar_ms).max(0) + FRAME_MS - 1) / FRAME_MS) as usize;
            for s in scored.iter_mut().take(to.min(n)).skip(from) {
                *s = false;
            }
        }
    }
    let mut overlap = vec![vec![0i64; ref_names.len()]; hyp_names.len()];
    for i in (0..n).filter(|&i| scored[i]) {
        for &hv in &h[i] {
            for &rv in &r[i] {
                overlap[hv][rv] += 1;
            }
        }
    }
    let mapping = best_mapping(&overlap, ref_names.len(), hyp_names.len());
    let mut frames_score = (0i64, 0i64, 0i64, 0i64);
    for i in (0..n).filter(|&i| scored[i]) {
        let n_ref = r[i].len() as i64;
        let n_hyp = h[i].len() as i64;
        let correct = h[i]
            .iter()
            .filter(|&&hv| mapping[hv].is_some_and(|rv| r[i].contains(&rv)))
            .count() as i64;
        frames_score.0 += n_ref;
        frames_score.1 += (n_ref - n_hyp).max(0);
        frames_score.2 += (n_hyp - n_ref).max(0);
        frames_score.3 += n_ref.min(n_hyp) - correct;
    }
    let secs = |f: i64| f as f64 * FRAME_MS as f64 / 1000.0;
    DerScore {
        speech: secs(frames_score.0),
        missed: secs(frames_score.1),
        false_alarm: secs(frames_score.2),
        confusion: secs(frames_score.3),
    }
}

/// How many distinct speakers a set of turns holds.
pub fn speaker_count(turns: &[Labelled]) -> usize {
    labels(turns).len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(start_ms: i64, end_ms: i64, speaker: &str) -> Labelled {
        Labelled {
            start_ms,
            end_ms,
            speaker: speaker.into(),
        }
    }

    #[test]
    fn a_perfect_hypothesis_under_other_names_scores_zero() {
        let reference = [t(0, 5000, "a"), t(5000, 9000, "b"), t(9000, 12_000, "a")];
        let hypothesis = [t(0, 5000, "x"), t(5000, 9000, "y"), t(9000, 12_000, "x")];
        assert_eq!(score(&reference, &hypothesis, 0).der(), 0.0);
        assert_eq!(speaker_count(&hypothesis), 2);
    }

    #[test]
    fn one_voice_for_two_speakers_is_confusion_and_silence_counts_as_missed() {
        let reference = [t(0, 6000, "a"), t(6000, 10_000, "b")];
        let merged = [t(0, 10_000, "x")];
        let s = score(&reference, &merged, 0);
        assert!((s.confusion - 4.0).abs() < 1e-9, "{s:?}");
        assert!((s.der() - 0.4).abs() < 1e-9);
        let nothing = score(&reference, &[], 0);
        assert!((nothing.der() - 1.0).abs() < 1e-9);
        let extra = score(&[t(0, 1000, "a")], &[t(0, 2000, "x")], 0);
        assert!((extra.false_alarm - 1.0).abs() < 1e-9);
    }

    #[test]
    fn the_collar_leaves_boundaries_unscored() {
        let reference = [t(0, 5000, "a"), t(5000, 10_000, "b")];
        // The change found 200 ms late: inside a 250 ms collar, no error.
        let late = [t(0, 5200, "x"), t(5200, 10_000, "y")];
        assert_eq!(score(&reference, &late, 250).der(), 0.0);
        assert!(score(&reference, &late, 0).der() > 0.0);
    }
}
