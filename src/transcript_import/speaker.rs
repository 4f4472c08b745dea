//! Speaker names: `<v Name>` voices (Teams; see `cuetext`) and `Name: text` labels (Zoom).
//!
//! A label is whatever comes before the first `: ` at the start of a cue, whitespace collapsed:
//! `Ana Jović`, `Ana Jović (Acme d.o.o.)`, `Bob | Globex`, `🎧 Dana`. Whether it names a speaker
//! is decided by the file, not by what a name should look like:
//!
//! - a label that starts two or more cues is a speaker;
//! - a label that starts one cue is a speaker only where labels are the file's shape (at least
//!   half the cues without a voice start with one) and either no label recurs at all (a short
//!   file where everyone speaks once), or it carries the same organisation decoration as a label
//!   that does recur (`Name (Org)`, `Name [Org]`, `Name | Org`).
//!
//! So in a Zoom export where everyone speaks more than once, `Note: we need X` stays text, and a
//! guest who speaks once as `Zed Ali (Initech)` is still a speaker when the others are written
//! `Name (Org)` too. A guest written as a plain name who speaks once, in a file where everyone
//! else recurs, cannot be told from `Note:`; the text is kept whole and unattributed.

use std::collections::{HashMap, HashSet};

use super::cuetext::Run;
use super::ImportedSegment;

/// A cue's time and its text by voice.
pub(crate) struct Cue {
    pub start_ms: i64,
    pub end_ms: i64,
    pub runs: Vec<Run>,
}

/// Longest label taken for a speaker name, in characters and in words.
const MAX_LABEL_CHARS: usize = 64;
const MAX_LABEL_WORDS: usize = 8;

/// The organisation decoration of a label, which names written by one tool share.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Decoration {
    Parentheses,
    Brackets,
    Pipe,
}

fn decoration(label: &str) -> Option<Decoration> {
    if label.ends_with(')') && label.contains(" (") {
        Some(Decoration::Parentheses)
    } else if label.ends_with(']') && label.contains(" [") {
        Some(Decoration::Brackets)
    } else if label.contains('|') {
        Some(Decoration::Pipe)
    } else {
        None
    }
}

/// Splits `Label: text` at the first `: `, if the label is short enough to be one.
fn label_prefix(text: &str) -> Option<(&str, &str)> {
    let (label, body) = text.split_once(": ")?;
    let label = label.trim();
    let body = body.trim();
    let fits = !label.is_empty()
        && !body.is_empty()
        && label.chars().count() <= MAX_LABEL_CHARS
        && label.split_whitespace().count() <= MAX_LABEL_WORDS;
    fits.then_some((label, body))
}

/// The labels in `cues` that name speakers, by the rules in the module documentation.
fn speaker_labels(cues: &[Cue]) -> HashSet<String> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    let mut unvoiced = 0;
    let mut labelled = 0;
    for cue in cues {
        let Some((None, text)) = cue.runs.first() else {
            continue;
        };
        unvoiced += 1;
        if let Some((label, _)) = label_prefix(text) {
            labelled += 1;
            *counts.entry(label).or_default() += 1;
        }
    }
    let recurring_decorations: HashSet<Option<Decoration>> = counts
        .iter()
        .filter(|(_, n)| **n >= 2)
        .map(|(label, _)| decoration(label))
        .collect();
    let labels_are_the_shape = labelled * 2 >= unvoiced;
    counts
        .into_iter()
        .filter(|(label, n)| {
            *n >= 2
                || (labels_are_the_shape
                    && (recurring_decorations.is_empty()
                        || decoration(label)
                            .is_some_and(|d| recurring_decorations.contains(&Some(d)))))
        })
        .map(|(label, _)| label.to_string())
        .collect()
}

/// Turns parsed cues into segments: speaker labels become speakers, and a cue with several
/// voices is split, its time shared by text length.
pub(crate) fn segments_from_cues(cues: Vec<Cue>) -> Vec<ImportedSegment> {
    let labels = speaker_labels(&cues);
    let mut out = Vec::with_capacity(cues.len());
    for cue in cues {
        let mut runs = cue.runs;
        if let Some((speaker @ None, text)) = runs.first_mut() {
            if let Some((label, body)) = label_prefix(text).filter(|(l, _)| labels.contains(*l)) {
                *speaker = Some(label.to_string());
                *text = body.to_string();
            }
        }
        share_time(&mut out, runs, cue.start_ms, cue.end_ms);
    }
    out
}

fn share_time(out: &mut Vec<ImportedSegment>, runs: Vec<Run>, start_ms: i64, end_ms: i64) {
    let total_chars: usize = runs
        .iter()
        .map(|(_, t)| t.chars().count())
        .sum::<usize>()
        .max(1);
    let span = end_ms - start_ms;
    let mut cursor = start_ms;
    let mut consumed = 0usize;
    for (speaker, text) in runs {
        consumed += text.chars().count();
        let run_end = start_ms + span * consumed as i64 / total_chars as i64;
        out.push(ImportedSegment {
            speaker,
            start_ms: cursor,
            end_ms: run_end,
            text,
        });
        cursor = run_end;
    }
}

pub(crate) fn normalize_space(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cues(texts: &[&str]) -> Vec<Cue> {
        texts
            .iter()
            .enumerate()
            .map(|(i, t)| Cue {
                start_ms: i as i64 * 1000,
                end_ms: i as i64 * 1000 + 900,
                runs: vec![(None, normalize_space(t))],
            })
            .collect()
    }

    fn speakers(texts: &[&str]) -> Vec<(Option<String>, String)> {
        segments_from_cues(cues(texts))
            .into_iter()
            .map(|s| (s.speaker, s.text))
            .collect()
    }

    #[test]
    fn recurring_labels_are_speakers_and_one_off_prefixes_are_text() {
        let got = speakers(&[
            "Ana  Jović (Acme d.o.o.): Hello",
            "Bob | Globex: Hi",
            "Ana Jović (Acme d.o.o.): The plan is simple: we ship",
            "Bob | Globex: ok",
            "Note: we need a budget",
            "Zed Ali (Initech): Bye",
        ]);
        let who: Vec<Option<&str>> = got.iter().map(|(s, _)| s.as_deref()).collect();
        assert_eq!(
            who,
            [
                Some("Ana Jović (Acme d.o.o.)"),
                Some("Bob | Globex"),
                Some("Ana Jović (Acme d.o.o.)"),
                Some("Bob | Globex"),
                None,
                Some("Zed Ali (Initech)"),
            ]
        );
        assert_eq!(got[2].1, "The plan is simple: we ship");
        assert_eq!(got[4].1, "Note: we need a budget");
    }

    #[test]
    fn a_short_file_where_everyone_speaks_once() {
        let got = speakers(&[
            "John Smith: hello there",
            "Ana: hi",
            "see https://x.example",
        ]);
        assert_eq!(got[0].0.as_deref(), Some("John Smith"));
        assert_eq!(got[1].0.as_deref(), Some("Ana"));
        assert_eq!(got[2], (None, "see https://x.example".into()));
        // Mostly unlabelled prose: a one-off colon is not a speaker.
        let got = speakers(&[
            "The plan is simple: we ship it",
            "then we iterate",
            "and so on",
        ]);
        assert_eq!(got[0].0, None);
    }
}
