//! Sentiment per segment with VADER (the `vader_sentiment` lexicon model), adapted to speech: ritual
//! politeness ("thanks", "no problem") and discourse markers ("like", "yeah", "pretty") are masked
//! before scoring, because VADER reads them as opinions and every sales call is full of them.
//!
//! Aggregation: a speaker's score is the word-weighted mean of their opinionated segments
//! (|compound| >= 0.05), with negative segments weighted 1.5x: people soften complaints on calls, so
//! a stated problem carries more information than a polite "great". Labels on that score:
//! positive >= 0.25, negative < -0.1, neutral in between, after shrinking the score toward the
//! band's centre by 40 words of neutral evidence (a call with two opinionated remarks is not
//! confidently anything). The band leans positive because cooperative conversation has a positive
//! baseline even after masking: a customer averaging below "mildly positive" is not a happy one.

use serde::{Deserialize, Serialize};
use vader_sentiment::SentimentIntensityAnalyzer;

use super::text::{sentences, words};
use super::{Role, Utterance};

pub const POSITIVE_THRESHOLD: f64 = 0.25;
pub const NEGATIVE_THRESHOLD: f64 = -0.1;
const OPINION_MIN: f64 = 0.05;
const NEGATIVITY_WEIGHT: f64 = 1.5;
const PRIOR_WORDS: f64 = 40.0;
/// Timeline resolution: about this many points for any call length.
const TIMELINE_POINTS: i64 = 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SentimentLabel {
    Positive,
    Neutral,
    Negative,
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

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SentimentScore {
    pub score: f64,
    pub label: SentimentLabel,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpeakerSentiment {
    pub speaker: String,
    pub role: Role,
    pub score: f64,
    pub label: SentimentLabel,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimelinePoint {
    pub start_ms: i64,
    /// Mean compound score of the window's opinionated segments (0 when there are none).
    pub score: f64,
    /// First segment of the window.
    pub segment: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SegmentSentiment {
    pub segment: i64,
    pub speaker: String,
    pub score: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallSentiment {
    pub customer: SentimentScore,
    pub rep: SentimentScore,
    pub per_speaker: Vec<SpeakerSentiment>,
    pub timeline: Vec<TimelinePoint>,
    pub per_segment: Vec<SegmentSentiment>,
}

pub fn analyze_sentiment(utterances: &[Utterance]) -> CallSentiment {
    let analyzer = SentimentIntensityAnalyzer::new();
    // Names carry no sentiment, but VADER scores some ("Grace", "Joy", "Hope").
    let mut names: Vec<String> = utterances.iter().flat_map(|u| words(&u.speaker)).collect();
    names.sort();
    names.dedup();
    let per_segment: Vec<SegmentSentiment> = utterances
        .iter()
        .map(|u| SegmentSentiment {
            segment: u.id,
            speaker: u.speaker.clone(),
            score: utterance_score(&analyzer, &u.text, &names),
        })
        .collect();
    let word_counts: Vec<usize> = utterances.iter().map(|u| words(&u.text).len()).collect();
    let aggregate = |keep: &dyn Fn(&Utterance) -> bool| -> f64 {
        let (mut sum, mut weight) = (0.0, 0.0);
        for ((u, s), n) in utterances.iter().zip(&per_segment).zip(&word_counts) {
            if !keep(u) || s.score.abs() < OPINION_MIN {
                continue;
            }
            let w = *n as f64
                * if s.score < 0.0 {
                    NEGATIVITY_WEIGHT
                } else {
                    1.0
                };
            sum += s.score * w;
            weight += w;
        }
        // Shrink toward the neutral centre by PRIOR_WORDS of evidence: a call with two opinionated
        // remarks is not confidently positive or negative; with no opinions it is neutral.
        let centre = (POSITIVE_THRESHOLD + NEGATIVE_THRESHOLD) / 2.0;
        (sum + PRIOR_WORDS * centre) / (weight + PRIOR_WORDS)
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

/// Mean compound of the opinionated sentences of one utterance.
fn utterance_score(analyzer: &SentimentIntensityAnalyzer, text: &str, names: &[String]) -> f64 {
    let (mut sum, mut n) = (0.0, 0);
    for sentence in sentences(text) {
        let masked = mask_conversational(&mask_proper_nouns(sentence.text), names);
        if masked.is_empty() {
            continue;
        }
        let compound = analyzer
            .polarity_scores(&masked)
            .get("compound")
            .copied()
            .unwrap_or(0.0);
        if compound.abs() >= OPINION_MIN {
            sum += compound;
            n += 1;
        }
    }
    if n > 0 {
        sum / n as f64
    } else {
        0.0
    }
}

/// Capitalised words after the first are names of people, products and holidays ("Grace",
/// "Good Friday"): VADER would score some of them.
fn mask_proper_nouns(sentence: &str) -> String {
    sentence
        .split_whitespace()
        .enumerate()
        .filter(|(i, w)| {
            *i == 0
                || *w == "I"
                || w.starts_with("I'")
                || !w.chars().next().is_some_and(char::is_uppercase)
        })
        .map(|(_, w)| w)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Ritual politeness and conventional acceptance ("sounds good", "that works", "I appreciate
/// that"): VADER scores them as opinions, but on a call they only acknowledge the other side.
const RITUAL_PHRASES: [&str; 36] = [
    "to be honest",
    "be honest",
    "to be fair",
    "i'm sorry to bother",
    "no problem at all",
    "no problem",
    "not a problem",
    "no worries at all",
    "no worries",
    "thank you so much",
    "thank you",
    "thanks so much",
    "no rush",
    "no pressure",
    "sounds good",
    "sounds great",
    "sounds like a plan",
    "that works",
    "works for me",
    "that'd work",
    "that should work",
    "that's fine",
    "that should be fine",
    "would be fine",
    "good to know",
    "that would help",
    "that'd help",
    "would be good",
    "to be safe",
    "i'd appreciate that",
    "i appreciate that",
    "appreciate it",
    "appreciate you",
    "all right",
    "fair enough",
    "i'm alright",
];

/// Words VADER reads as opinions that in sales talk are topics or acknowledgements
/// ("support team", "response time commitment", "Fine.").
const DOMAIN_NEUTRAL: [&str; 8] = [
    "support",
    "commitment",
    "fine",
    "alright",
    "care",
    "credit",
    "trust",
    "interest",
];

/// Masks ritual politeness and discourse markers; keeps the opinion words.
pub(crate) fn mask_conversational(sentence: &str, names: &[String]) -> String {
    let mut text = sentence.to_lowercase();
    for phrase in RITUAL_PHRASES {
        text = text.replace(phrase, " ");
    }
    let tokens: Vec<&str> = text.split_whitespace().collect();
    let mut out: Vec<&str> = Vec::with_capacity(tokens.len());
    for (i, token) in tokens.iter().enumerate() {
        let bare = token.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'');
        let prev = if i > 0 {
            tokens[i - 1].trim_matches(|c: char| !c.is_alphanumeric() && c != '\'')
        } else {
            ""
        };
        let masked = match bare {
            "thanks" | "yeah" | "yes" | "okay" | "ok" | "sure" | "please" | "pretty" | "well"
            | "right" => true,
            _ if DOMAIN_NEUTRAL.contains(&bare) || names.iter().any(|n| n == bare) => true,
            // Answer particle "No, we use Concur." is not an opinion; "no promises" still is.
            "no" => token.ends_with(',') || tokens.len() == 1,
            "sorry" | "honestly" => true,
            // Backchannel acknowledgements: "Perfect, thank you." / "Great."
            "perfect" | "great" | "good" | "awesome" | "cool" | "wonderful" | "excellent"
            | "nice" | "lovely" | "amazing"
                if i == 0 && (token.ends_with(',') || tokens.len() == 1) =>
            {
                true
            }
            // "like" as filler or preposition; keep the verb ("we really like it", "I'd like").
            "like" => !matches!(
                prev,
                "i" | "we"
                    | "you"
                    | "they"
                    | "really"
                    | "would"
                    | "i'd"
                    | "we'd"
                    | "do"
                    | "don't"
                    | "didn't"
                    | "to"
                    | "she"
                    | "he"
                    | "people"
                    | "clients"
                    | "customers"
                    | "team"
            ),
            _ => false,
        };
        if !masked && !bare.is_empty() {
            out.push(token);
        }
    }
    out.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let happy = analyze_sentiment(&[u(1, Role::Rep, "How is it going?"), u(2, Role::Customer, "It's fantastic, the whole team loves it and adoption has been excellent."), u(3, Role::Customer, "We are thrilled with the results, it saved us a huge amount of time and the reports are beautiful.")]);
        assert_eq!(happy.customer.label, SentimentLabel::Positive);
        let unhappy = analyze_sentiment(&[
            u(
                1,
                Role::Customer,
                "This is frustrating, the outages are terrible and I'm disappointed.",
            ),
            u(2, Role::Customer, "Thanks."),
        ]);
        assert_eq!(unhappy.customer.label, SentimentLabel::Negative);
        let flat =
            analyze_sentiment(&[u(1, Role::Customer, "We have forty drivers in two depots.")]);
        assert_eq!(flat.customer.label, SentimentLabel::Neutral);
        assert_eq!(flat.per_segment.len(), 1);
        assert_eq!(flat.timeline.len(), 1);
    }
}
