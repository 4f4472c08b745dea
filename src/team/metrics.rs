//! The talk metrics the team view compares reps by, taken from a call as it is pushed: the
//! rep's share of the talking and the questions the rep asked (from the call's insights), and
//! the longest customer monologue (from the transcript: the customer side talking with pauses
//! under 2 s and no word from the rep).

use crate::domain::Role;
use crate::storage::CallSnapshot;

/// A pause this long inside the customer side's talking does not end a monologue (the same as
/// the insights' own monologues).
const MONOLOGUE_PAUSE_MS: i64 = 2_000;

#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct CallMetrics {
    pub rep_talk_share: Option<f32>,
    pub rep_questions: Option<i32>,
    pub longest_customer_monologue_ms: Option<i64>,
}

pub fn of(call: &CallSnapshot) -> CallMetrics {
    let speakers = call
        .insights
        .as_ref()
        .and_then(|body| body.pointer("/metrics/per_speaker"))
        .and_then(|v| v.as_array());
    let reps = speakers.map(|all| {
        all.iter()
            .filter(|s| s.get("role").and_then(|r| r.as_str()) == Some("rep"))
            .collect::<Vec<_>>()
    });
    let sum = |field: &str| -> Option<f64> {
        reps.as_ref()
            .map(|reps| reps.iter().filter_map(|s| s.get(field)?.as_f64()).sum())
    };
    CallMetrics {
        rep_talk_share: sum("talk_share").map(|v| v as f32),
        rep_questions: sum("questions").map(|v| v.round() as i32),
        longest_customer_monologue_ms: longest_customer_monologue(call),
    }
}

fn longest_customer_monologue(call: &CallSnapshot) -> Option<i64> {
    let mut longest = None;
    let mut run: Option<(i64, i64)> = None;
    for segment in &call.segments {
        match segment.role {
            Role::Rep => run = None,
            Role::Customer => {
                run = match run {
                    Some((start, end)) if segment.start_ms - end < MONOLOGUE_PAUSE_MS => {
                        Some((start, end.max(segment.end_ms)))
                    }
                    _ => Some((segment.start_ms, segment.end_ms)),
                };
                if let Some((start, end)) = run {
                    longest = longest.max(Some(end - start));
                }
            }
        }
    }
    longest
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::Segment;

    fn segment(role: Role, start_s: i64, end_s: i64) -> Segment {
        Segment {
            id: 0,
            speaker: String::new(),
            role,
            start_ms: start_s * 1000,
            end_ms: end_s * 1000,
            text: String::new(),
            confidence: None,
        }
    }

    fn call(segments: Vec<Segment>, insights: Option<serde_json::Value>) -> CallSnapshot {
        CallSnapshot {
            global_id: "g".into(),
            title: "t".into(),
            started_at: chrono::Utc::now(),
            duration_ms: 0,
            language: "en".into(),
            source: "recorded".into(),
            account: None,
            sentiment_label: None,
            sentiment_score: None,
            insights,
            participants: vec![],
            consent: vec![],
            segments,
            action_items: vec![],
        }
    }

    #[test]
    fn a_monologue_spans_short_pauses_and_ends_when_the_rep_speaks() {
        let c = call(
            vec![
                segment(Role::Customer, 0, 10),
                segment(Role::Customer, 11, 30), // 1 s pause: same monologue, 30 s
                segment(Role::Rep, 31, 33),
                segment(Role::Customer, 34, 40),
                segment(Role::Customer, 45, 60), // 5 s pause: a new one
            ],
            None,
        );
        assert_eq!(of(&c).longest_customer_monologue_ms, Some(30_000));
        assert_eq!(
            of(&call(vec![segment(Role::Rep, 0, 5)], None)).longest_customer_monologue_ms,
            None
        );
    }

    #[test]
    fn rep_talk_and_questions_come_from_the_insights() {
        let body = serde_json::json!({"metrics": {"per_speaker": [
            {"speaker": "Rita", "role": "rep", "talk_share": 0.45, "questions": 12},
            {"speaker": "Carl", "role": "customer", "talk_share": 0.55, "questions": 3}
        ]}});
        let m = of(&call(vec![], Some(body)));
        assert_eq!(m.rep_talk_share, Some(0.45));
        assert_eq!(m.rep_questions, Some(12));
        assert_eq!(of(&call(vec![], None)).rep_talk_share, None);
    }
}
