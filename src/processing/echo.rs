//! Echo: with speakers instead of a headset, the customer's voice also reaches the rep's
//! microphone and would be transcribed twice. A microphone line is echo when a system-audio line
//! overlaps it in time and holds most of its words.

use std::collections::HashSet;

/// A transcript line on the call's clock.
pub trait Timed {
    fn start_ms(&self) -> i64;
    fn end_ms(&self) -> i64;
    fn text(&self) -> &str;
}

/// How much later or earlier the echo may appear (device and network latency).
const SLACK_MS: i64 = 1_500;
/// Share of the microphone line's words that must appear in the overlapping system lines.
const CONTAINED: f32 = 0.6;

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// True when `mic` repeats what the system channel carried at the same time.
pub fn is_echo<M: Timed, S: Timed>(mic: &M, system: &[S]) -> bool {
    let mic_words = words(mic.text());
    if mic_words.is_empty() {
        return false;
    }
    let heard: HashSet<String> = system
        .iter()
        .filter(|s| {
            s.start_ms() - SLACK_MS < mic.end_ms() && mic.start_ms() < s.end_ms() + SLACK_MS
        })
        .flat_map(|s| words(s.text()))
        .collect();
    if heard.is_empty() {
        return false;
    }
    let found = mic_words.iter().filter(|w| heard.contains(*w)).count();
    found as f32 / mic_words.len() as f32 >= CONTAINED
}

/// Removes microphone lines that are echoes of system-audio lines.
pub fn drop_echoes<M: Timed, S: Timed>(mic: Vec<M>, system: &[S]) -> Vec<M> {
    mic.into_iter().filter(|m| !is_echo(m, system)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Line(i64, i64, &'static str);
    impl Timed for Line {
        fn start_ms(&self) -> i64 {
            self.0
        }
        fn end_ms(&self) -> i64 {
            self.1
        }
        fn text(&self) -> &str {
            self.2
        }
    }

    #[test]
    fn drops_a_simultaneous_repeat_but_keeps_the_reps_own_words() {
        let system = [Line(1_000, 4_000, "We need the contract signed by Friday.")];
        let mic = vec![
            Line(1_300, 4_200, "we need the contract signed by friday"),
            Line(5_000, 7_000, "Great, I'll send it over today."),
            Line(20_000, 22_000, "we need the contract signed by Friday"),
        ];
        let kept = drop_echoes(mic, &system);
        let texts: Vec<&str> = kept.iter().map(|l| l.2).collect();
        assert_eq!(
            texts,
            [
                "Great, I'll send it over today.",
                "we need the contract signed by Friday"
            ]
        );
    }

    #[test]
    fn a_short_agreement_overlapping_the_customer_is_not_echo() {
        let system = [Line(
            0,
            5_000,
            "so the pricing works for us if we go annual",
        )];
        assert!(!is_echo(&Line(2_000, 2_600, "right, okay"), &system));
        assert!(is_echo(
            &Line(500, 4_800, "the pricing works for us if we go annual"),
            &system
        ));
    }
}
