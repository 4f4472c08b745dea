//! Talk metrics: who talked how much, monologues, questions, turn-taking and silence.

use serde::{Deserialize, Serialize};

use super::text::sentences;
use super::{Role, Utterance};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct SpeakerTalk {
    pub speaker: String,
    pub role: Role,
    pub talk_ms: i64,
    /// Share of all speech time, 0..1.
    pub talk_share: f64,
    /// Own talk time divided by everyone else's (talk-to-listen ratio).
    pub talk_to_listen: f64,
    pub questions: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct Monologue {
    pub speaker: String,
    pub ms: i64,
    pub start_ms: i64,
    pub segments: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct TalkMetrics {
    pub duration_ms: i64,
    pub per_speaker: Vec<SpeakerTalk>,
    pub longest_monologue: Option<Monologue>,
    pub switches_per_minute: f64,
    /// Share of the call (first word to last word) where nobody speaks, 0..1.
    pub silence_share: f64,
}

/// Pauses shorter than this inside one speaker's run do not end a monologue.
const MONOLOGUE_PAUSE_MS: i64 = 2_000;

const INTERROGATIVE_STARTS: [&str; 24] = [
    "what",
    "how",
    "why",
    "when",
    "where",
    "who",
    "which",
    "do you",
    "does",
    "did you",
    "can you",
    "could you",
    "would you",
    "will you",
    "is it",
    "is there",
    "are you",
    "are there",
    "have you",
    "has",
    "should we",
    "shall we",
    "can we",
    "any questions",
];

pub fn compute_metrics(utterances: &[Utterance]) -> TalkMetrics {
    let mut ordered: Vec<&Utterance> = utterances.iter().collect();
    ordered.sort_by_key(|u| (u.start_ms, u.id));
    let first = ordered.first().map(|u| u.start_ms).unwrap_or(0);
    let last = ordered.iter().map(|u| u.end_ms).max().unwrap_or(0);
    let duration_ms = (last - first).max(0);
    // Transcripts without punctuation still have questions: fall back to how a sentence starts.
    let punctuated = ordered.iter().any(|u| u.text.contains('?'));

    let mut per_speaker: Vec<SpeakerTalk> = Vec::new();
    for u in &ordered {
        let questions = sentences(&u.text)
            .iter()
            .filter(|s| {
                s.text.ends_with('?')
                    || (!punctuated && {
                        let lower = s.text.to_lowercase();
                        INTERROGATIVE_STARTS.iter().any(|q| lower.starts_with(q))
                    })
            })
            .count() as u32;
        let talk = (u.end_ms - u.start_ms).max(0);
        match per_speaker.iter_mut().find(|s| s.speaker == u.speaker) {
            Some(s) => {
                s.talk_ms += talk;
                s.questions += questions;
            }
            None => per_speaker.push(SpeakerTalk {
                speaker: u.speaker.clone(),
                role: u.role,
                talk_ms: talk,
                talk_share: 0.0,
                talk_to_listen: 0.0,
                questions,
            }),
        }
    }
    let total_talk: i64 = per_speaker.iter().map(|s| s.talk_ms).sum();
    for s in &mut per_speaker {
        let others = total_talk - s.talk_ms;
        s.talk_share = ratio(s.talk_ms, total_talk);
        s.talk_to_listen = if others > 0 {
            s.talk_ms as f64 / others as f64
        } else {
            0.0
        };
    }

    let switches = ordered
        .windows(2)
        .filter(|w| w[0].speaker != w[1].speaker)
        .count();
    let minutes = duration_ms as f64 / 60_000.0;
    TalkMetrics {
        duration_ms,
        per_speaker,
        longest_monologue: longest_monologue(&ordered),
        switches_per_minute: if minutes > 0.0 {
            switches as f64 / minutes
        } else {
            0.0
        },
        silence_share: 1.0 - ratio(covered_ms(&ordered), duration_ms).min(1.0),
    }
}

fn ratio(part: i64, whole: i64) -> f64 {
    if whole > 0 {
        part as f64 / whole as f64
    } else {
        0.0
    }
}

/// Time covered by at least one speaker (overlapping speech counted once).
fn covered_ms(ordered: &[&Utterance]) -> i64 {
    let mut covered = 0;
    let mut current: Option<(i64, i64)> = None;
    for u in ordered {
        match current {
            Some((s, e)) if u.start_ms <= e => current = Some((s, e.max(u.end_ms))),
            Some((s, e)) => {
                covered += e - s;
                current = Some((u.start_ms, u.end_ms));
            }
            None => current = Some((u.start_ms, u.end_ms)),
        }
    }
    covered + current.map(|(s, e)| e - s).unwrap_or(0)
}

fn longest_monologue(ordered: &[&Utterance]) -> Option<Monologue> {
    let mut best: Option<Monologue> = None;
    let mut run: Option<Monologue> = None;
    let mut run_end = 0;
    for u in ordered {
        let continues = run
            .as_ref()
            .is_some_and(|r| r.speaker == u.speaker && u.start_ms - run_end <= MONOLOGUE_PAUSE_MS);
        if continues {
            if let Some(r) = run.as_mut() {
                r.ms = u.end_ms.max(run_end) - r.start_ms;
                r.segments.push(u.id);
            }
        } else {
            if let Some(done) = run.take() {
                if best.as_ref().is_none_or(|b| done.ms > b.ms) {
                    best = Some(done);
                }
            }
            run = Some(Monologue {
                speaker: u.speaker.clone(),
                ms: u.end_ms - u.start_ms,
                start_ms: u.start_ms,
                segments: vec![u.id],
            });
        }
        run_end = run_end.max(u.end_ms);
        if !continues {
            run_end = u.end_ms;
        }
    }
    if let Some(done) = run {
        if best.as_ref().is_none_or(|b| done.ms > b.ms) {
            best = Some(done);
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u(id: i64, speaker: &str, start: i64, end: i64, text: &str) -> Utterance {
        let role = if speaker == "Rep" {
            Role::Rep
        } else {
            Role::Customer
        };
        Utterance {
            id,
            speaker: speaker.into(),
            role,
            start_ms: start,
            end_ms: end,
            text: text.into(),
        }
    }

    #[test]
    fn talk_ratio_monologue_questions_silence() {
        let call = vec![
            u(1, "Rep", 0, 10_000, "Hi. How are you?"),
            u(2, "Rep", 11_000, 20_000, "Let me explain the plan."),
            u(3, "Cust", 30_000, 40_000, "Sounds good. What does it cost?"),
            u(4, "Rep", 40_000, 60_000, "It depends."),
        ];
        let m = compute_metrics(&call);
        assert_eq!(m.duration_ms, 60_000);
        let rep = &m.per_speaker[0];
        assert_eq!(rep.talk_ms, 39_000);
        assert!((rep.talk_to_listen - 3.9).abs() < 1e-9);
        assert_eq!(rep.questions, 1);
        assert_eq!(m.per_speaker[1].questions, 1);
        let mono = m.longest_monologue.unwrap();
        assert_eq!((mono.segments.clone(), mono.ms), (vec![1, 2], 20_000));
        assert!((m.switches_per_minute - 2.0).abs() < 1e-9);
        assert!((m.silence_share - 11_000.0 / 60_000.0).abs() < 1e-9);
    }

    #[test]
    fn unpunctuated_questions_and_empty_input() {
        let m = compute_metrics(&[u(1, "Rep", 0, 1000, "how many seats do you need")]);
        assert_eq!(m.per_speaker[0].questions, 1);
        let empty = compute_metrics(&[]);
        assert_eq!(empty.duration_ms, 0);
        assert!(empty.longest_monologue.is_none());
    }
}
