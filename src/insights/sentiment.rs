//! Sentiment per segment with VADER (the `vader_sentiment` lexicon model), adapted to sales talk.
//!
//! Per sentence: ritual politeness ("thanks", "no problem") and discourse markers ("like", "yeah")
//! are masked before VADER scores it, because every call is full of them ([`masking`]). Then
//! [`stance`] adds what VADER misses about the deal: objections and hedges in plain words ("more
//! than we expected", "we'll see") and buying signals ("I'm sold"), and says how much a negative
//! tone is about the vendor or the deal rather than the customer's status quo ("right now it's
//! chaos" is the pain that brings them to the call, not a complaint about the rep).
//!
//! Aggregation: a speaker's score is the weighted mean of their opinionated sentences
//! (|score| >= 0.05). Weights: the sentence's words; 1.5x for negatives (people soften complaints
//! on calls, so a stated problem carries more information than a polite "great"); the stance's
//! relevance for negatives; and the sentence's position in the call, rising linearly from 0.5 at
//! the start to 2 at the end, because where the customer ends up is what the rep cares about (an
//! angry opening that ends in a signed renewal is a good call; a warm demo that ends in a price
//! shock is not). Labels on that score: positive >= 0.25, negative < -0.1, neutral in between,
//! after shrinking the score toward the band's centre by 40 words of neutral evidence (a call with
//! two opinionated remarks is not confidently anything). The band leans positive because
//! cooperative conversation has a positive baseline even after masking.

mod decision;
mod masking;
mod serbian;
mod stance;

use serde::{Deserialize, Serialize};
use vader_sentiment::SentimentIntensityAnalyzer;

use super::text::{sentences, words};
use super::{Language, Role, Utterance};
use decision::{decision, Decision};
use masking::{mask_conversational, mask_proper_nouns};
use stance::{asks_about_status_quo, stance, Target};

pub const POSITIVE_THRESHOLD: f64 = 0.25;
pub const NEGATIVE_THRESHOLD: f64 = -0.1;
const OPINION_MIN: f64 = 0.05;
const NEGATIVITY_WEIGHT: f64 = 1.5;
/// Score of a hedged sentence ("we'll see"): short of an objection.
const HEDGE_SCORE: f64 = -0.15;
const PRIOR_WORDS: f64 = 40.0;
/// Position weight at the start and at the end of the call (linear in between).
const OPENING_WEIGHT: f64 = 0.5;
const CLOSING_WEIGHT: f64 = 2.0;
/// Where a call's closing stretch starts (share of its length), how much the stance there
/// counts beside the whole call's, and its own shrinkage: where the customer ends up is what
/// the rep cares about, and the closing minutes say it most plainly ("honestly, I feel a lot
/// better than an hour ago"; "we're probably moving to another vendor in Q4").
const CLOSING_FROM: f64 = 0.7;
const CLOSING_SHARE: f64 = 0.5;
const CLOSING_PRIOR_WORDS: f64 = 15.0;
/// Where a customer's stated decision puts their score at most (declined) or at least
/// (proceeding): just past the label's threshold, so tone still says how far (see [`decision`]).
const DECLINED_SCORE: f64 = NEGATIVE_THRESHOLD - 0.05;
const PROCEEDING_SCORE: f64 = POSITIVE_THRESHOLD + 0.05;
/// Timeline resolution: about this many points for any call length.
const TIMELINE_POINTS: i64 = 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
pub enum SentimentLabel {
    Positive,
    Neutral,
    Negative,
}

impl SentimentLabel {
    pub fn from_score(score: f64) -> Self {
        if score >= POSITIVE_THRESHOLD {
            Self::Positive
        } else if score < NEGATIVE_THRESHOLD {
            Self::Negative
        } else {
            Self::Neutral
        }
    }
}

impl std::fmt::Display for SentimentLabel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Positive => "positive",
            Self::Neutral => "neutral",
            Self::Negative => "negative",
        })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct SentimentScore {
    pub score: f64,
    pub label: SentimentLabel,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct SpeakerSentiment {
    pub speaker: String,
    pub role: Role,
    pub score: f64,
    pub label: SentimentLabel,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct TimelinePoint {
    pub start_ms: i64,
    /// Mean compound score of the window's opinionated segments (0 when there are none).
    pub score: f64,
    /// First segment of the window.
    pub segment: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct SegmentSentiment {
    pub segment: i64,
    pub speaker: String,
    pub score: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct CallSentiment {
    pub customer: SentimentScore,
    pub rep: SentimentScore,
    pub per_speaker: Vec<SpeakerSentiment>,
    pub timeline: Vec<TimelinePoint>,
    pub per_segment: Vec<SegmentSentiment>,
}

/// One opinionated sentence, with everything aggregation needs.
struct Reading {
    /// Index into the utterances.
    utterance: usize,
    score: f64,
    weight: f64,
    /// Share of the call elapsed when the sentence's turn starts, 0 to 1.
    position: f64,
}

pub fn analyze_sentiment(utterances: &[Utterance], language: Language) -> CallSentiment {
    let analyzer = SentimentIntensityAnalyzer::new();
    // Names carry no sentiment, but VADER scores some ("Grace", "Joy", "Hope").
    let mut names: Vec<String> = utterances.iter().flat_map(|u| words(&u.speaker)).collect();
    names.sort();
    names.dedup();
    let first = utterances.iter().map(|u| u.start_ms).min().unwrap_or(0);
    let last = utterances.iter().map(|u| u.end_ms).max().unwrap_or(0);
    let span = (last - first).max(1) as f64;
    let mut readings: Vec<Reading> = Vec::new();
    // (utterance index, what it decided), in call order.
    let mut decisions: Vec<(usize, Decision)> = Vec::new();
    let mut per_segment = Vec::with_capacity(utterances.len());
    for (index, u) in utterances.iter().enumerate() {
        let position = ((u.start_ms - first) as f64 / span).clamp(0.0, 1.0);
        let (mut sum, mut n) = (0.0, 0);
        // A customer's answer to a discovery question is about their status quo until they turn
        // to the vendor or the deal; so is the rest of a turn that started on it.
        let mut on_status_quo = index > 0
            && utterances[index - 1].role != u.role
            && asks_about_status_quo(&utterances[index - 1].text);
        for sentence in sentences(&u.text) {
            if u.role == Role::Customer {
                if let Some(decided) = decision(sentence.text, language) {
                    decisions.push((index, decided));
                }
            }
            let Some((score, target)) = sentence_score(&analyzer, sentence.text, &names, language)
            else {
                continue;
            };
            let target = match target {
                Target::StatusQuo => {
                    on_status_quo = true;
                    Target::StatusQuo
                }
                Target::Deal => {
                    on_status_quo = false;
                    Target::Deal
                }
                Target::Unstated if on_status_quo => Target::StatusQuo,
                Target::Unstated => Target::Unstated,
            };
            let relevance = target.relevance();
            sum += score;
            n += 1;
            let tone = if score < 0.0 {
                NEGATIVITY_WEIGHT * relevance
            } else {
                1.0
            };
            readings.push(Reading {
                utterance: index,
                score,
                weight: words(sentence.text).len() as f64 * tone,
                position,
            });
        }
        per_segment.push(SegmentSentiment {
            segment: u.id,
            speaker: u.speaker.clone(),
            score: if n > 0 { sum / n as f64 } else { 0.0 },
        });
    }
    let centre = (POSITIVE_THRESHOLD + NEGATIVE_THRESHOLD) / 2.0;
    let aggregate = |keep: &dyn Fn(&Utterance) -> bool| -> f64 {
        let (mut sum, mut weight) = (0.0, 0.0);
        let (mut closing_sum, mut closing_weight) = (0.0, 0.0);
        for r in readings.iter().filter(|r| keep(&utterances[r.utterance])) {
            let w = r.weight * (OPENING_WEIGHT + (CLOSING_WEIGHT - OPENING_WEIGHT) * r.position);
            sum += r.score * w;
            weight += w;
            if r.position >= CLOSING_FROM {
                closing_sum += r.score * r.weight;
                closing_weight += r.weight;
            }
        }
        // Shrink toward the neutral centre by PRIOR_WORDS of evidence: a call with two opinionated
        // remarks is not confidently positive or negative; with no opinions it is neutral.
        let whole = (sum + PRIOR_WORDS * centre) / (weight + PRIOR_WORDS);
        let toned = if closing_weight == 0.0 {
            whole
        } else {
            let closing = (closing_sum + CLOSING_PRIOR_WORDS * centre)
                / (closing_weight + CLOSING_PRIOR_WORDS);
            (1.0 - CLOSING_SHARE) * whole + CLOSING_SHARE * closing
        };
        let last_decision = decisions
            .iter()
            .rev()
            .find(|(i, _)| keep(&utterances[*i]))
            .map(|(_, d)| *d);
        match last_decision {
            Some(Decision::Declines) => toned.min(DECLINED_SCORE),
            Some(Decision::Proceeds) => toned.max(PROCEEDING_SCORE),
            None => toned,
        }
    };
    let scored = |score: f64| SentimentScore {
        score,
        label: SentimentLabel::from_score(score),
    };
    let mut per_speaker: Vec<SpeakerSentiment> = Vec::new();
    for u in utterances {
        if per_speaker.iter().all(|s| s.speaker != u.speaker) {
            let score = aggregate(&|x: &Utterance| x.speaker == u.speaker);
            per_speaker.push(SpeakerSentiment {
                speaker: u.speaker.clone(),
                role: u.role,
                score,
                label: SentimentLabel::from_score(score),
            });
        }
    }
    CallSentiment {
        customer: scored(aggregate(&|u: &Utterance| u.role == Role::Customer)),
        rep: scored(aggregate(&|u: &Utterance| u.role == Role::Rep)),
        per_speaker,
        timeline: timeline(utterances, &per_segment),
        per_segment,
    }
}

/// Whether a customer's sentence raises a concern about the deal: an objection or a hedge
/// ("that's more than we budgeted", "we're not committing to anything"), or a clearly negative
/// remark about the vendor or the deal. Pain about their current setup is not a concern about
/// the rep; it is why they are on the call.
pub(crate) fn raises_concern(sentence: &str, language: Language) -> bool {
    if language == Language::SrLatn {
        return serbian::compound(sentence) <= -0.3;
    }
    let stance = stance(sentence);
    if stance.target == Target::StatusQuo {
        return false;
    }
    if stance.cue < 0.0 || stance.hedged {
        return true;
    }
    // Only a remark about the vendor or the deal can be a concern by its tone alone.
    if stance.target != Target::Deal {
        return false;
    }
    let analyzer = SentimentIntensityAnalyzer::new();
    let compound = analyzer
        .polarity_scores(&mask_conversational(sentence, &[]))
        .get("compound")
        .copied()
        .unwrap_or(0.0);
    compound <= -0.4
}

fn timeline(utterances: &[Utterance], scores: &[SegmentSentiment]) -> Vec<TimelinePoint> {
    let (Some(first), Some(last)) = (
        utterances.iter().map(|u| u.start_ms).min(),
        utterances.iter().map(|u| u.end_ms).max(),
    ) else {
        return Vec::new();
    };
    let window = ((last - first) / TIMELINE_POINTS).max(30_000);
    let mut points: Vec<(TimelinePoint, f64, u32)> = Vec::new();
    for (u, s) in utterances.iter().zip(scores) {
        let start = first + (u.start_ms - first) / window * window;
        let idx = match points.iter().position(|(p, _, _)| p.start_ms == start) {
            Some(i) => i,
            None => {
                points.push((
                    TimelinePoint {
                        start_ms: start,
                        score: 0.0,
                        segment: u.id,
                    },
                    0.0,
                    0,
                ));
                points.len() - 1
            }
        };
        if s.score.abs() >= OPINION_MIN {
            points[idx].1 += s.score;
            points[idx].2 += 1;
        }
    }
    points.sort_by_key(|(p, _, _)| p.start_ms);
    points
        .into_iter()
        .map(|(mut p, sum, n)| {
            p.score = if n > 0 { sum / n as f64 } else { 0.0 };
            p
        })
        .collect()
}

/// VADER's compound on the masked sentence plus the stance's cue score, with what the sentence is
/// about; `None` when the sentence expresses no opinion.
fn sentence_score(
    analyzer: &SentimentIntensityAnalyzer,
    sentence: &str,
    names: &[String],
    language: Language,
) -> Option<(f64, Target)> {
    if language == Language::SrLatn {
        // The English stance cues and targets do not apply; the tone is the reading.
        let score = serbian::compound(sentence);
        return (score.abs() >= OPINION_MIN).then_some((score, Target::Unstated));
    }
    let masked = mask_conversational(&mask_proper_nouns(sentence), names);
    let compound = if masked.is_empty() {
        0.0
    } else {
        analyzer
            .polarity_scores(&masked)
            .get("compound")
            .copied()
            .unwrap_or(0.0)
    };
    let stance = stance(sentence);
    // A hedge is a mild reservation, whatever VADER hears in its words ("sure, we'll see").
    let hedge = if stance.hedged { HEDGE_SCORE } else { 0.0 };
    let score =
        (compound.min(if stance.hedged { 0.0 } else { 1.0 }) + stance.cue + hedge).clamp(-1.0, 1.0);
    (score.abs() >= OPINION_MIN).then_some((score, stance.target))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn english(utterances: &[Utterance]) -> CallSentiment {
        analyze_sentiment(utterances, Language::En)
    }

    fn u(id: i64, role: Role, text: &str) -> Utterance {
        let speaker = if role == Role::Rep { "Rep" } else { "Cust" };
        Utterance {
            id,
            speaker: speaker.into(),
            role,
            start_ms: id * 5000,
            end_ms: id * 5000 + 4000,
            text: text.into(),
        }
    }

    #[test]
    fn masks_politeness_but_keeps_opinions() {
        assert_eq!(mask_conversational("No problem, thanks!", &[]).trim(), "");
        assert!(mask_conversational("I like it", &[]).contains("like"));
        assert!(!mask_conversational("it's like two hours", &[]).contains("like"));
        assert_eq!(mask_conversational("Thanks Grace.", &["grace".into()]), "");
    }

    #[test]
    fn labels_customers() {
        let happy = english(&[u(1, Role::Rep, "How is it going?"), u(2, Role::Customer, "It's fantastic, the whole team loves it and adoption has been excellent."), u(3, Role::Customer, "We are thrilled with the results, it saved us a huge amount of time and the reports are beautiful.")]);
        assert_eq!(happy.customer.label, SentimentLabel::Positive);
        let unhappy = english(&[
            u(1, Role::Customer, "Hi."),
            u(
                2,
                Role::Customer,
                "This is frustrating, your outages are terrible and I'm disappointed.",
            ),
        ]);
        assert_eq!(unhappy.customer.label, SentimentLabel::Negative);
        // Pain with the status quo in answer to a discovery question, then interest in the vendor.
        let discovery = english(&[
            u(1, Role::Rep, "How are you scheduling drivers today?"),
            u(
                2,
                Role::Customer,
                "Honestly it's chaos. Our dispatcher hates it and we miss deliveries every week.",
            ),
            u(3, Role::Rep, "We have a native connector for that."),
            u(
                4,
                Role::Customer,
                "Oh, that's exactly what we need. I'd love to see it, this is really helpful.",
            ),
        ]);
        assert_eq!(discovery.customer.label, SentimentLabel::Positive);
        // Warm start, price shock at the end.
        let soured = english(&[
            u(1, Role::Customer, "The demo was great, the team loved it."),
            u(2, Role::Rep, "The price is ninety thousand a year."),
            u(
                3,
                Role::Customer,
                "That's way more than we expected, honestly it's not going to work for us.",
            ),
            u(
                4,
                Role::Customer,
                "We'll probably go with the other vendor, they're cheaper.",
            ),
        ]);
        assert_eq!(soured.customer.label, SentimentLabel::Negative);
        let flat = english(&[u(1, Role::Customer, "We have forty drivers in two depots.")]);
        assert_eq!(flat.customer.label, SentimentLabel::Neutral);
        assert_eq!(flat.per_segment.len(), 1);
        assert_eq!(flat.timeline.len(), 1);
    }
}
