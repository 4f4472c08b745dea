//! From speaker turns to named voices: which far-side voice said each transcript line, and a name
//! for a voice only when the evidence leaves no doubt (a wrong name is worse than "Speaker 2").

use super::engine::{similarity, Turn};
pub use crate::storage::{anonymous_label, KnownVoice, Naming};

/// The voice that spoke most of `[start_ms, end_ms)`. A line no turn overlaps (diarization
/// dropped it as too short) goes to the nearest turn's voice; `None` only without any turns.
pub fn voice_of(start_ms: i64, end_ms: i64, turns: &[Turn]) -> Option<usize> {
    let voices = turns.iter().map(|t| t.voice + 1).max()?;
    let mut overlap = vec![0i64; voices];
    for t in turns {
        let o = end_ms.min(t.end_ms) - start_ms.max(t.start_ms);
        if o > 0 {
            overlap[t.voice] += o;
        }
    }
    let (best, &most) = overlap
        .iter()
        .enumerate()
        .max_by_key(|&(i, &o)| (o, std::cmp::Reverse(i)))?;
    if most > 0 {
        return Some(best);
    }
    turns
        .iter()
        .min_by_key(|t| (t.start_ms - end_ms).max(start_ms - t.end_ms).max(0))
        .map(|t| t.voice)
}

/// What is known about one far-side voice of a call.
#[derive(Debug, Clone)]
pub struct VoiceEvidence {
    pub voice: usize,
    /// Everything the voice said, in order.
    pub text: String,
    pub voiceprint: Option<Vec<f32>>,
}

/// Voiceprints of one person agree at least this well (CAM++ cosine), and the best match must
/// beat the runner-up by [`MATCH_MARGIN`], or the voice stays anonymous.
pub const MATCH_SIMILARITY: f32 = 0.6;
pub const MATCH_MARGIN: f32 = 0.1;

/// Of candidates scored by voiceprint similarity, the best one when it matches at least
/// [`MATCH_SIMILARITY`] and [`MATCH_MARGIN`] better than the runner-up; otherwise none (a wrong
/// name is worse than none).
pub fn clearly_best<T: Copy>(mut scored: Vec<(f32, T)>) -> Option<T> {
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    let &(best, candidate) = scored.first()?;
    let runner_up = scored.get(1).map_or(f32::MIN, |s| s.0);
    (best >= MATCH_SIMILARITY && best - runner_up >= MATCH_MARGIN).then_some(candidate)
}

/// The voice whose voiceprint is clearly the best match for any of one person's `known`
/// voiceprints (see [`clearly_best`]); voices without a voiceprint take no part.
pub fn voice_matching(voices: &[Option<&[f32]>], known: &[Vec<f32>]) -> Option<usize> {
    let scored = voices
        .iter()
        .enumerate()
        .filter_map(|(i, print)| {
            let print = (*print)?;
            let best = known
                .iter()
                .map(|k| similarity(print, k))
                .fold(f32::MIN, f32::max);
            (best > f32::MIN).then_some((best, i))
        })
        .collect();
    clearly_best(scored)
}

/// Names for far-side voices from the call's far-side participants (`names`, those who
/// consented), each used at most once. `None` means "stays anonymous".
pub fn name_voices(
    names: &[String],
    voices: &[VoiceEvidence],
    known: &[KnownVoice],
) -> Vec<Option<(String, Naming)>> {
    let mut result: Vec<Option<(String, Naming)>> = vec![None; voices.len()];
    if names.is_empty() || voices.is_empty() {
        return result;
    }
    if let ([name], [_]) = (names, voices) {
        result[0] = Some((name.clone(), Naming::OnlyRemote));
        return result;
    }
    let taken = |result: &[Option<(String, Naming)>], name: &str| {
        result.iter().flatten().any(|(n, _)| n == name)
    };

    // A voice heard on an earlier call with this person, by its stored voiceprint.
    let mut claims: Vec<(usize, String)> = Vec::new();
    for v in voices {
        let Some(print) = &v.voiceprint else { continue };
        let mut best: Vec<(f32, &str)> = Vec::new();
        for person in names {
            let score = known
                .iter()
                .filter(|k| &k.name == person)
                .map(|k| similarity(print, &k.voiceprint))
                .fold(f32::MIN, f32::max);
            if score > f32::MIN {
                best.push((score, person));
            }
        }
        if let Some(person) = clearly_best(best) {
            claims.push((v.voice, person.to_string()));
        }
    }
    for (i, v) in voices.iter().enumerate() {
        if let Some((_, name)) = claims.iter().find(|(voice, _)| *voice == v.voice) {
            let unique = claims.iter().filter(|(_, n)| n == name).count() == 1;
            if unique {
                result[i] = Some((name.clone(), Naming::EarlierCall));
            }
        }
    }

    // A voice that introduces itself by a participant's name, when only one voice does.
    for person in names {
        if taken(&result, person) {
            continue;
        }
        if let Some(only) = only_one_introduces(voices, person) {
            if result[only].is_none() {
                result[only] = Some((person.clone(), Naming::Introduction));
            }
        }
    }
    result
}

/// The one voice that introduces itself as `person`; `None` when none does, or several do.
pub fn only_one_introduces(voices: &[VoiceEvidence], person: &str) -> Option<usize> {
    let mut introducing = voices
        .iter()
        .enumerate()
        .filter(|(_, v)| introduces(&v.text, person))
        .map(|(i, _)| i);
    match (introducing.next(), introducing.next()) {
        (Some(only), None) => Some(only),
        _ => None,
    }
}

/// Whether `text` has the speaker say they are `person` ("I'm Dana", "I am Dana Ng", "this is
/// Dana", "my name is Dana", "Dana here"; in Serbian "ja sam Marko", "zovem se Marko", "ovo je
/// Marko", "Marko ovde"), by first name.
pub fn introduces(text: &str, person: &str) -> bool {
    let words: Vec<String> = text
        .split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase().replace('\u{2019}', "'"))
        .collect();
    let Some(first) = person.split_whitespace().next().map(str::to_lowercase) else {
        return false;
    };
    let leads: [&[&str]; 8] = [
        &["i'm"],
        &["i", "am"],
        &["this", "is"],
        &["my", "name", "is"],
        &["it's"],
        &["ja", "sam"],
        &["zovem", "se"],
        &["ovo", "je"],
    ];
    for (i, w) in words.iter().enumerate() {
        if *w != first {
            continue;
        }
        if words.get(i + 1).is_some_and(|n| n == "here" || n == "ovde") {
            return true;
        }
        for lead in leads {
            if i >= lead.len()
                && words[i - lead.len()..i]
                    .iter()
                    .zip(lead)
                    .all(|(a, b)| a == b)
            {
                return true;
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn turn(start_ms: i64, end_ms: i64, voice: usize) -> Turn {
        Turn {
            start_ms,
            end_ms,
            voice,
        }
    }

    fn evidence(voice: usize, text: &str, print: Option<Vec<f32>>) -> VoiceEvidence {
        VoiceEvidence {
            voice,
            text: text.into(),
            voiceprint: print,
        }
    }

    #[test]
    fn a_line_goes_to_the_voice_that_spoke_most_of_it() {
        let turns = [turn(0, 4000, 0), turn(3000, 9000, 1)];
        assert_eq!(voice_of(500, 3500, &turns), Some(0));
        assert_eq!(voice_of(2500, 8000, &turns), Some(1));
        // No overlap: the nearest turn.
        assert_eq!(voice_of(9500, 10_000, &turns), Some(1));
        assert_eq!(voice_of(0, 100, &[]), None);
    }

    #[test]
    fn one_far_side_participant_and_one_voice_is_named() {
        let names = ["Dana Ng".to_string()];
        let named = name_voices(&names, &[evidence(0, "hello", None)], &[]);
        assert_eq!(named, vec![Some(("Dana Ng".into(), Naming::OnlyRemote))]);
        // Two voices for one participant: someone unlisted, or a wrong split. No guess.
        let named = name_voices(
            &names,
            &[evidence(0, "hello", None), evidence(1, "hi", None)],
            &[],
        );
        assert_eq!(named, vec![None, None]);
    }

    #[test]
    fn a_voice_that_introduces_itself_is_named_only_when_no_other_does() {
        let names = ["Dana Ng".to_string(), "Marko Petrovic".to_string()];
        let voices = [
            evidence(0, "Hi all, I'm Dana, I run procurement.", None),
            evidence(1, "Sounds good to me.", None),
        ];
        let named = name_voices(&names, &voices, &[]);
        assert_eq!(named[0], Some(("Dana Ng".into(), Naming::Introduction)));
        assert_eq!(
            named[1], None,
            "no elimination: Marko may never have spoken"
        );
        // Two voices say "this is Dana" (one quoting the other, or a wrong split): nobody is
        // named Dana. "Dana's team" is not an introduction.
        let voices = [
            evidence(0, "This is Dana.", None),
            evidence(1, "Right, and this is Dana from procurement again.", None),
        ];
        assert!(!introduces("So this is Dana's team?", "Dana Ng"));
        let named = name_voices(&names, &voices, &[]);
        assert_eq!(named, vec![None, None]);
        assert!(!introduces("We met Dana yesterday", "Dana Ng"));
        assert!(introduces("Marko here, sorry I'm late", "Marko Petrovic"));
        assert!(introduces("my name is marko", "Marko Petrovic"));
        assert!(introduces(
            "Dobar dan, ja sam Jelena iz nabavke.",
            "Jelena Đorđević"
        ));
        assert!(introduces("Zovem se Đorđe.", "Đorđe Ilić"));
        assert!(introduces("Đorđe ovde, izvinite.", "Đorđe Ilić"));
        assert!(!introduces(
            "Jelena je rekla da šalje ponudu.",
            "Jelena Đorđević"
        ));
    }

    #[test]
    fn an_earlier_calls_voiceprint_names_a_voice_only_with_a_clear_margin() {
        let names = ["Dana Ng".to_string(), "Marko Petrovic".to_string()];
        let known = [
            KnownVoice {
                name: "Dana Ng".into(),
                voiceprint: vec![1.0, 0.0, 0.0],
            },
            KnownVoice {
                name: "Marko Petrovic".into(),
                voiceprint: vec![0.0, 1.0, 0.0],
            },
        ];
        let voices = [
            evidence(0, "", Some(vec![0.9, 0.1, 0.42])),
            evidence(1, "", Some(vec![0.7, 0.7, 0.14])),
        ];
        let named = name_voices(&names, &voices, &known);
        assert_eq!(named[0], Some(("Dana Ng".into(), Naming::EarlierCall)));
        assert_eq!(named[1], None, "equally close to both: no name");
    }

    #[test]
    fn naming_labels_round_trip_and_unknown_ones_are_refused() {
        for n in [
            Naming::Anonymous,
            Naming::OnlyRemote,
            Naming::Introduction,
            Naming::EarlierCall,
            Naming::User,
        ] {
            assert_eq!(Naming::parse(n.as_str()), Some(n));
        }
        assert_eq!(Naming::parse("guess"), None);
        assert_eq!(anonymous_label(0), "Speaker 2");
    }
}
