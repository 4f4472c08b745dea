//! Echo: with speakers instead of a headset, the customer's voice also reaches the rep's
//! microphone and would be transcribed twice. A microphone line is echo when a system-audio line
//! overlaps it in time and holds most of its words, or when it is the same stretch of sound as
//! a system-audio line (it starts and ends with it) and shares a fair part of its words: the
//! two channels hear one sound through different paths, and Whisper can render the two copies
//! quite differently (in CI one copy read "budget for the pilot is $40,000 …" and the other
//! "well, just a party, thousands of us …"), while a rep talking over the customer neither
//! starts and stops with them nor says the same words.

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
/// The same stretch of sound: starts this close, and ends within this share of its length.
const SAME_START_MS: i64 = 300;
const SAME_LENGTH: f32 = 0.25;
/// Share of words that must appear in a system line that is the same stretch of sound.
const SHARED_IN_SAME_STRETCH: f32 = 0.3;

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
    if found as f32 / mic_words.len() as f32 >= CONTAINED {
        return true;
    }
    system.iter().filter(|s| same_stretch(mic, *s)).any(|s| {
        let theirs: HashSet<String> = words(s.text()).into_iter().collect();
        let shared = mic_words.iter().filter(|w| theirs.contains(*w)).count();
        shared as f32 / mic_words.len() as f32 >= SHARED_IN_SAME_STRETCH
    })
}

fn same_stretch<M: Timed, S: Timed>(mic: &M, system: &S) -> bool {
    let longer = (mic.end_ms() - mic.start_ms()).max(system.end_ms() - system.start_ms());
    (mic.start_ms() - system.start_ms()).abs() <= SAME_START_MS
        && ((mic.end_ms() - system.end_ms()).abs() as f32) <= SAME_LENGTH * longer as f32
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

    #[test]
    fn one_sound_transcribed_two_ways_is_echo_but_talking_over_is_not() {
        // Both copies of one customer sentence, as Whisper rendered them in a CI run.
        let system = [Line(
            1_450,
            5_610,
            "Well, just a party, thousands of us, we need the proposal now, right?",
        )];
        let copy = Line(
            1_461,
            5_941,
            "budget for the pilot is $40,000 and we need the proposal by Friday.",
        );
        assert!(is_echo(&copy, &system));
        // The rep starting with the customer but saying something else is kept…
        let own = Line(
            1_500,
            5_700,
            "I can have the contract ready for legal on Monday morning.",
        );
        assert!(!is_echo(&own, &system));
        // …and so are similar words that do not start and end with the customer's.
        let later = Line(
            3_200,
            8_000,
            "so we need the proposal by Friday for the pilot, right",
        );
        assert!(!is_echo(&later, &system));
    }
}
