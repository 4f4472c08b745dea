//! A call split into its topics, each named by what it talks about.
//!
//! Splitting follows TextTiling (Hearst, 1997): at each turn boundary, compare the words of the
//! few turns before it with those of the few after it; where the conversation changes subject the
//! two share few words, so boundaries go at the deepest dips of that similarity. A topic's heading
//! is the term or two it uses most, against the rest of the call.

use std::collections::HashMap;
use std::ops::Range;

use crate::insights::keywords::{call_terms, is_number_word, TermInfo};
use crate::insights::text::{is_stop_word, stem, words};
use crate::insights::{Language, Utterance};

/// Turns compared on each side of a boundary.
const WINDOW: usize = 6;
/// Fewest turns in a topic, and most topics in a call.
const MIN_TURNS: usize = 8;
const MAX_TOPICS: usize = 5;

fn bag(u: &Utterance, language: Language) -> HashMap<String, f64> {
    let mut out = HashMap::new();
    for w in words(&u.text) {
        if w.chars().count() >= 3 && !is_stop_word(&w, language) {
            *out.entry(stem(&w, language)).or_insert(0.0) += 1.0;
        }
    }
    out
}

fn cosine(a: &HashMap<String, f64>, b: &HashMap<String, f64>) -> f64 {
    let dot: f64 = a.iter().filter_map(|(k, x)| b.get(k).map(|y| x * y)).sum();
    let norm = |m: &HashMap<String, f64>| m.values().map(|v| v * v).sum::<f64>().sqrt();
    let denominator = norm(a) * norm(b);
    if denominator == 0.0 {
        0.0
    } else {
        dot / denominator
    }
}

/// The call's topics as ranges of utterance indices, in order, covering every utterance.
pub fn blocks(utterances: &[Utterance], language: Language) -> Vec<Range<usize>> {
    let n = utterances.len();
    if n < 2 * MIN_TURNS {
        return std::iter::once(0..n).collect();
    }
    let bags: Vec<HashMap<String, f64>> = utterances.iter().map(|u| bag(u, language)).collect();
    let window = |range: Range<usize>| {
        let mut sum: HashMap<String, f64> = HashMap::new();
        for b in &bags[range] {
            for (k, v) in b {
                *sum.entry(k.clone()).or_insert(0.0) += v;
            }
        }
        sum
    };
    // similarity[g] compares the turns before gap g (between g-1 and g) with those after it.
    let similarity: Vec<f64> = (1..n)
        .map(|g| {
            cosine(
                &window(g.saturating_sub(WINDOW)..g),
                &window(g..(g + WINDOW).min(n)),
            )
        })
        .collect();
    // Depth of each dip: how far it lies below the highest points on either side.
    // Running maxima from each end keep this linear in the call's length.
    let mut left = similarity.clone();
    for i in 1..left.len() {
        left[i] = left[i].max(left[i - 1]);
    }
    let mut right = similarity.clone();
    for i in (0..right.len().saturating_sub(1)).rev() {
        right[i] = right[i].max(right[i + 1]);
    }
    let depth: Vec<f64> = (0..similarity.len())
        .map(|i| (left[i] - similarity[i]) + (right[i] - similarity[i]))
        .collect();
    let mean = depth.iter().sum::<f64>() / depth.len() as f64;
    let sd = (depth.iter().map(|d| (d - mean).powi(2)).sum::<f64>() / depth.len() as f64).sqrt();
    let mut order: Vec<usize> = (0..depth.len())
        .filter(|&i| depth[i] > mean + sd / 2.0)
        .collect();
    order.sort_by(|&a, &b| depth[b].total_cmp(&depth[a]).then(a.cmp(&b)));
    let mut cuts: Vec<usize> = Vec::new();
    for i in order {
        let at = i + 1;
        let far_enough = at >= MIN_TURNS
            && n - at >= MIN_TURNS
            && cuts.iter().all(|&c| c.abs_diff(at) >= MIN_TURNS);
        if far_enough && cuts.len() + 1 < MAX_TOPICS {
            cuts.push(at);
        }
    }
    cuts.sort_unstable();
    let mut out = Vec::with_capacity(cuts.len() + 1);
    let mut start = 0;
    for cut in cuts {
        out.push(start..cut);
        start = cut;
    }
    out.push(start..n);
    out
}

/// A heading for the topic in `block`: its one or two most distinctive terms against the rest of
/// the call ("Support tier and pricing"), or `None` when it has no term worth naming.
pub(super) fn heading(
    utterances: &[Utterance],
    block: &Range<usize>,
    whole: &HashMap<String, TermInfo>,
    language: Language,
    excluded: &[String],
) -> Option<String> {
    let inside = call_terms(&utterances[block.clone()], language, excluded);
    let mut scored: Vec<(f64, &String)> = inside
        .iter()
        .filter(|(key, info)| {
            info.count >= 2 && info.names_a_topic(key) && !key.split(' ').any(is_number_word)
        })
        .map(|(key, info)| {
            let total = whole.get(key).map_or(info.count, |w| w.count) as f64;
            let share = info.count as f64 / total;
            let phrase = if key.contains(' ') { 1.5 } else { 1.0 };
            ((info.count as f64).ln_1p() * share * phrase, key)
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    let mut chosen: Vec<&str> = Vec::new();
    for (_, key) in scored {
        if chosen.len() == 2 {
            break;
        }
        // "support tier" already says "support".
        if chosen
            .iter()
            .any(|c| c.split(' ').any(|p| key.split(' ').any(|k| k == p)))
        {
            continue;
        }
        chosen.push(key);
    }
    let surfaces: Vec<&str> = chosen
        .iter()
        .filter_map(|key| inside.get(*key).and_then(|info| info.surface()))
        .collect();
    let joiner = match language {
        Language::En => " and ",
        Language::SrLatn => " i ",
    };
    let text = surfaces.join(joiner);
    let mut chars = text.chars();
    let first = chars.next()?;
    Some(first.to_uppercase().chain(chars).collect())
}
