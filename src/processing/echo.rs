//! Echo: with speakers instead of a headset, the customer's voice also reaches the rep's
//! microphone and would be transcribed twice. A microphone line is echo when a system-audio line
//! overlaps it in time and holds most of its words, or when it is the same stretch of sound as
//! a system-audio line (it starts and ends with it) and shares a fair part of its words: the
//! two channels hear one sound through different paths, and Whisper can render the two copies
//! quite differently (in CI one copy read "budget for the pilot is $40,000 …" and the other
//! "well, just a party, thousands of us …"), while a rep talking over the customer neither
//! starts and stops with them nor says the same words.
//!
//! Words alone fail when Whisper cuts the two copies differently: in one CI run the system side
//! came out as two fragments ("Well, just for my…", "Be close.") sharing no word with the
//! microphone's whole sentence. Where the audio is at hand (the live view), [`follows_sound`]
//! looks at the sound itself: an echo's loudness rises and falls with the system audio's, a
//! moment later; the rep's own voice does not.

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

/// Loudness is compared in frames of this many samples (20 ms at 16 kHz).
const FRAME: usize = 320;
/// The echo may trail the system audio by up to 500 ms, or lead it by 200 ms (clocks of two
/// devices), in frames.
const LAGS: std::ops::RangeInclusive<isize> = -10..=25;
/// At least this many frames (0.6 s) of sound to compare.
const MIN_FRAMES: usize = 30;
/// How closely the microphone's loudness must follow the system audio's (Pearson, log energy).
const FOLLOWS: f32 = 0.85;
/// Frames quieter than this (RMS, full scale 1.0) are silence; the system side must be sounding
/// in at least half of the frames compared.
const SOUNDING_RMS: f32 = 0.005;

/// True when `mic` sounds like a delayed copy of `system` over the same stretch of the call
/// (both 16 kHz, sample 0 of each at the same moment): its loudness follows the system audio's,
/// which was sounding. The rep talking while the customer is quiet, or over them, does not.
/// Stretches where the system side is digital silence say nothing either way and are left out:
/// audio that never arrived is such silence (in the CI run above the system side lost 0.8 s in
/// the middle of the sentence, which the microphone heard whole).
pub fn follows_sound(mic: &[f32], system: &[f32]) -> bool {
    let (mic, system) = (loudness(mic), loudness(system));
    let frames = mic.len().min(system.len());
    let heard: Vec<usize> = (0..frames).filter(|&j| system[j].is_some()).collect();
    if heard.len() < MIN_FRAMES {
        return false;
    }
    let sounding = heard
        .iter()
        .filter(|&&j| system[j].is_some_and(|db| db > SOUNDING_RMS.ln()))
        .count();
    if sounding * 2 < heard.len() {
        return false;
    }
    let quiet = SILENCE_RMS.ln();
    LAGS.filter_map(|lag| {
        // mic[i] against system[i - lag]: a positive lag is the mic trailing.
        let pairs: Vec<(f32, f32)> = (0..frames)
            .filter_map(|i| {
                let j = usize::try_from(i as isize - lag)
                    .ok()
                    .filter(|&j| j < frames)?;
                Some((mic[i].unwrap_or(quiet), system[j]?))
            })
            .collect();
        (pairs.len() >= MIN_FRAMES).then(|| pearson(&pairs))
    })
    .any(|r| r >= FOLLOWS)
}

/// The quietest loudness compared, so that near-silence does not weigh as minus infinity.
const SILENCE_RMS: f32 = 1e-5;

/// Log RMS per frame; `None` for a frame of digital silence (every sample exactly zero).
fn loudness(samples: &[f32]) -> Vec<Option<f32>> {
    samples
        .chunks_exact(FRAME)
        .map(|f| {
            if f.iter().all(|&x| x == 0.0) {
                return None;
            }
            let rms = (f.iter().map(|x| x * x).sum::<f32>() / FRAME as f32).sqrt();
            Some(rms.max(SILENCE_RMS).ln())
        })
        .collect()
}

fn pearson(pairs: &[(f32, f32)]) -> f32 {
    let n = pairs.len() as f32;
    let (ma, mb) = pairs
        .iter()
        .fold((0.0, 0.0), |(a, b), (x, y)| (a + x / n, b + y / n));
    let (mut cov, mut va, mut vb) = (0.0, 0.0, 0.0);
    for (x, y) in pairs {
        cov += (x - ma) * (y - mb);
        va += (x - ma) * (x - ma);
        vb += (y - mb) * (y - mb);
    }
    if va <= f32::EPSILON || vb <= f32::EPSILON {
        return 0.0;
    }
    cov / (va * vb).sqrt()
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

    /// Speech-like sound: noise whose loudness follows syllables of `seed`'s own rhythm.
    fn speechlike(seed: u64, seconds: f32) -> Vec<f32> {
        let mut x = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
        let mut noise = move || {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((x >> 33) as f32 / (1u64 << 31) as f32) - 1.0
        };
        let n = (seconds * 16_000.0) as usize;
        let mut syllable = 0.0f32;
        (0..n)
            .map(|i| {
                if i % 2_400 == 0 {
                    // A new syllable every 150 ms, loud or soft, now and then a pause.
                    syllable = (noise() + 1.0) * 0.5;
                    syllable = if syllable < 0.2 { 0.0 } else { syllable * 0.3 };
                }
                syllable * noise()
            })
            .collect()
    }

    #[test]
    fn a_delayed_quieter_copy_of_the_customer_follows_their_sound() {
        let customer = speechlike(1, 4.0);
        // Through the room: 120 ms later, at a quarter of the level, over a little hiss.
        let hiss = speechlike(9, 4.0);
        let mut echo = vec![0.0; 1_920];
        echo.extend(customer.iter().map(|x| x * 0.25));
        echo.truncate(customer.len());
        let echo: Vec<f32> = echo.iter().zip(&hiss).map(|(e, h)| e + h * 0.002).collect();
        assert!(follows_sound(&echo, &customer));
        // The system side lost 0.8 s mid-sentence (filled with silence); the microphone heard it.
        let mut holed = customer.clone();
        holed[16_000..28_800].fill(0.0);
        assert!(follows_sound(&echo, &holed));

        // The rep's own voice over the same seconds is not the customer's sound…
        let rep = speechlike(2, 4.0);
        assert!(!follows_sound(&rep, &customer));
        // …nor is the rep speaking while the system side is silent, or too short to tell.
        assert!(!follows_sound(&rep, &vec![0.0; customer.len()]));
        let mut quiet = customer.clone();
        quiet[..56_000].fill(0.0);
        assert!(
            !follows_sound(&rep, &quiet),
            "a few words of the customer at the end"
        );
        assert!(!follows_sound(&echo[..4_000], &customer[..4_000]));
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
