//! Choosing how many threads whisper gets, window by window.
//!
//! ggml's workers spin at every barrier, so when another process takes one of the
//! cores a 2-thread decode can run several times slower than a 1-thread one
//! (measured here: 3.5 s vs 13 s for the same clip under a parallel build, and
//! 40 s vs 68-158 s for ten minutes of speech). Free cores cannot be read reliably
//! in advance, so the governor measures: it times one window at the full thread
//! count and one at a single thread, keeps the faster, and re-checks the other
//! when the chosen one slows down (load arrived) or every so often (load left).

/// Re-measure the other choice at least this often, in windows.
const RECHECK_EVERY: usize = 16;
/// A window this much slower than the best seen at the same thread count suggests
/// the load changed.
const SLOWDOWN: f64 = 1.5;

pub(crate) struct ThreadGovernor {
    max: usize,
    /// Latest wall seconds per audio second, for [1 thread, max threads].
    last: [Option<f64>; 2],
    /// Best wall seconds per audio second seen, same order.
    best: [f64; 2],
    /// Windows since the other choice was last measured.
    since_other: usize,
}

impl ThreadGovernor {
    pub fn new(max: usize) -> Self {
        Self {
            max: max.max(1),
            last: [None, None],
            best: [f64::INFINITY; 2],
            since_other: 0,
        }
    }

    /// Threads for the next window.
    pub fn pick(&self) -> usize {
        if self.max == 1 {
            return 1;
        }
        let (Some(one), Some(many)) = (self.last[0], self.last[1]) else {
            return if self.last[1].is_none() { self.max } else { 1 };
        };
        let current = usize::from(many <= one);
        let slowed = self.last[current].unwrap_or(0.0) > SLOWDOWN * self.best[current];
        let recheck = slowed || self.since_other + 1 >= RECHECK_EVERY;
        let slot = if recheck { 1 - current } else { current };
        if slot == 1 {
            self.max
        } else {
            1
        }
    }

    /// Records how long a window of `audio_seconds` took with `threads`.
    pub fn record(&mut self, threads: usize, wall_seconds: f64, audio_seconds: f64) {
        if audio_seconds <= 0.0 || self.max == 1 {
            return;
        }
        let slot = usize::from(threads > 1);
        let sample = wall_seconds / audio_seconds;
        let preferred = match (self.last[0], self.last[1]) {
            (Some(one), Some(many)) => usize::from(many <= one),
            _ => slot,
        };
        self.since_other = if slot == preferred {
            self.since_other + 1
        } else {
            0
        };
        // The latest window decides: each is ~30 s of work, and load changes are what we track.
        self.last[slot] = Some(sample);
        self.best[slot] = self.best[slot].min(sample);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(gov: &mut ThreadGovernor, windows: usize, cost: impl Fn(usize) -> f64) -> Vec<usize> {
        (0..windows)
            .map(|_| {
                let t = gov.pick();
                gov.record(t, cost(t) * 30.0, 30.0);
                t
            })
            .collect()
    }

    #[test]
    fn an_idle_machine_probes_one_thread_rarely() {
        let mut gov = ThreadGovernor::new(2);
        let picks = run(&mut gov, 40, |t| if t == 2 { 0.05 } else { 0.09 });
        assert_eq!(&picks[..3], &[2, 1, 2]);
        let probes = picks[2..].iter().filter(|&&t| t == 1).count();
        assert!((1..=3).contains(&probes), "{picks:?}");
    }

    #[test]
    fn steady_contention_from_the_start_settles_on_one_thread() {
        let mut gov = ThreadGovernor::new(2);
        let picks = run(&mut gov, 20, |t| if t == 2 { 0.30 } else { 0.07 });
        assert!(
            picks[1..].iter().filter(|&&t| t == 1).count() >= 16,
            "{picks:?}"
        );
    }

    #[test]
    fn contention_moves_to_one_thread_and_back_when_it_ends() {
        let mut gov = ThreadGovernor::new(2);
        run(&mut gov, 4, |t| if t == 2 { 0.05 } else { 0.09 });
        // Another process takes a core: two threads now spin and lose.
        let busy = run(&mut gov, 12, |t| if t == 2 { 0.40 } else { 0.09 });
        assert!(
            busy[2..].iter().filter(|&&t| t == 1).count() >= 8,
            "{busy:?}"
        );
        // The load goes away; a re-check finds two threads fast again and stays there.
        let quiet = run(&mut gov, 24, |t| if t == 2 { 0.05 } else { 0.09 });
        assert!(
            quiet[RECHECK_EVERY + 1..].iter().all(|&t| t == 2),
            "{quiet:?}"
        );
    }

    #[test]
    fn a_single_thread_budget_is_respected() {
        let mut gov = ThreadGovernor::new(1);
        assert!(run(&mut gov, 5, |_| 0.1).iter().all(|&t| t == 1));
    }
}
