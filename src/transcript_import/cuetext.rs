//! Cue text to plain text with voices: WebVTT's cue-text rules (tags, timestamps, character
//! references) and the few HTML-ish tags SRT files carry.
//!
//! WebVTT (<https://www.w3.org/TR/webvtt1/#cue-text-parsing-rules>): a `<` followed by an ASCII
//! letter or `/` opens a tag that runs to the next `>`; `<` followed by a digit opens a timestamp
//! tag (`<00:01.000>`). Tags are dropped, `<v Name>` sets the voice until `</v>` or the next
//! `<v>`. Character references (`&amp;`, `&lt;`, `&#233;`, …) are decoded once, so `&amp;lt;`
//! reads `&lt;`. Real exports also write a bare `<` as text (`price < 100`, `I <3 this`), which
//! the spec's tokenizer would take for a tag and swallow the rest of the cue with: a `<` followed
//! by anything else (space, `=`, a digit that does not make a timestamp, end of text), or one with
//! no `>` after it, is kept as text.
//!
//! SRT has no markup of its own; players honour `<i>`, `<b>`, `<u>` and `<font …>`. Only those
//! (and `<v Name>`, which some converters write) are removed; every other `<` is text.

use super::speaker::normalize_space;
use super::timecode::parse_timestamp;

/// Text spoken in one voice: the `<v>` name if there was one, and the plain text.
pub(crate) type Run = (Option<String>, String);

enum Tag<'a> {
    /// `<v Name>` with its annotation, or any other start tag (dropped).
    Start { name: &'a str, annotation: &'a str },
    /// `</v>`, `</i>`, …
    End { name: &'a str },
    /// `<00:01.000>` karaoke timing (dropped).
    Timestamp,
}

/// The WebVTT tag starting at `rest` (which starts with `<`) and its length, or `None` when this
/// `<` is text.
fn webvtt_tag(rest: &str) -> Option<(Tag<'_>, usize)> {
    let close = rest.find('>')?;
    let inner = &rest[1..close];
    let first = inner.chars().next();
    let tag = if let Some(name) = inner.strip_prefix('/') {
        if !name.is_empty() && !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
            return None;
        }
        Tag::End { name: name.trim() }
    } else if first.is_some_and(|c| c.is_ascii_digit()) {
        parse_timestamp(inner, 0).ok()?;
        Tag::Timestamp
    } else if first.is_some_and(|c| c.is_ascii_alphabetic()) {
        let (head, annotation) = match inner.find(char::is_whitespace) {
            Some(at) => (&inner[..at], inner[at..].trim()),
            None => (inner, ""),
        };
        // Classes (`<c.yellow>`, `<v.loud Name>`) follow the name after dots.
        let name = head.split('.').next().unwrap_or(head);
        Tag::Start { name, annotation }
    } else {
        return None;
    };
    Some((tag, close + 1))
}

/// Splits WebVTT cue text into runs by voice, with markup removed and references decoded.
pub(crate) fn webvtt_runs(payload: &str) -> Vec<Run> {
    let mut runs = Runs::default();
    let mut i = 0;
    while let Some(c) = payload[i..].chars().next() {
        let rest = &payload[i..];
        match c {
            '&' => i += push_char_ref(rest, &mut runs.text),
            '<' => match webvtt_tag(rest) {
                Some((tag, len)) => {
                    match tag {
                        Tag::Start {
                            name: "v",
                            annotation,
                        } => {
                            let voice = normalize_space(&decode_char_refs(annotation));
                            runs.set_voice((!voice.is_empty()).then_some(voice));
                        }
                        Tag::End { name: "v" } => runs.set_voice(None),
                        Tag::Start { .. } | Tag::End { .. } | Tag::Timestamp => {}
                    }
                    i += len;
                }
                None => {
                    runs.text.push('<');
                    i += 1;
                }
            },
            _ => {
                runs.text.push(c);
                i += c.len_utf8();
            }
        }
    }
    runs.finish()
}

/// Splits SRT cue text into runs: only `<i>`, `<b>`, `<u>`, `<font …>` and `<v Name>` are markup.
pub(crate) fn srt_runs(payload: &str) -> Vec<Run> {
    let mut runs = Runs::default();
    let mut i = 0;
    while let Some(c) = payload[i..].chars().next() {
        let rest = &payload[i..];
        match c {
            '&' => i += push_char_ref(rest, &mut runs.text),
            '<' => match srt_tag(rest) {
                Some((voice, len)) => {
                    if let Some(voice) = voice {
                        runs.set_voice(voice);
                    }
                    i += len;
                }
                None => {
                    runs.text.push('<');
                    i += 1;
                }
            },
            _ => {
                runs.text.push(c);
                i += c.len_utf8();
            }
        }
    }
    runs.finish()
}

/// A known SRT tag at `rest`: its length, and for `<v …>`/`</v>` the voice it sets.
#[allow(clippy::type_complexity)]
fn srt_tag(rest: &str) -> Option<(Option<Option<String>>, usize)> {
    let close = rest.find('>')?;
    let inner = rest[1..close].trim_end().to_ascii_lowercase();
    let (closing, body) = match inner.strip_prefix('/') {
        Some(b) => (true, b.trim()),
        None => (false, inner.as_str()),
    };
    let name_end = body.find(char::is_whitespace).unwrap_or(body.len());
    let name = &body[..name_end];
    let has_attributes = name_end < body.len();
    match name {
        "i" | "b" | "u" if !has_attributes => Some((None, close + 1)),
        "font" if !closing || !has_attributes => Some((None, close + 1)),
        "v" if closing => Some((Some(None), close + 1)),
        "v" if has_attributes => {
            let annotation = rest[1..close][name_end..].trim();
            let voice = normalize_space(&decode_char_refs(annotation));
            Some((Some((!voice.is_empty()).then_some(voice)), close + 1))
        }
        _ => None,
    }
}

/// Collects text and closes a run whenever the voice changes.
#[derive(Default)]
struct Runs {
    done: Vec<Run>,
    voice: Option<String>,
    text: String,
}

impl Runs {
    fn set_voice(&mut self, voice: Option<String>) {
        self.flush();
        self.voice = voice;
    }

    fn flush(&mut self) {
        let text = normalize_space(&std::mem::take(&mut self.text));
        if text.is_empty() {
            return;
        }
        match self.done.last_mut() {
            Some((last, body)) if *last == self.voice => {
                body.push(' ');
                body.push_str(&text);
            }
            _ => self.done.push((self.voice.clone(), text)),
        }
    }

    fn finish(mut self) -> Vec<Run> {
        self.flush();
        self.done
    }
}

/// Decodes the character reference at the start of `rest` (which starts with `&`) into `out` and
/// returns how many bytes it took; an `&` that starts no known reference is text.
fn push_char_ref(rest: &str, out: &mut String) -> usize {
    let after = &rest[1..];
    let decoded = after
        .char_indices()
        .take(33)
        .find(|(_, c)| *c == ';')
        .and_then(|(semi, _)| char_ref(&after[..semi]).map(|text| (text, semi + 2)));
    match decoded {
        Some((text, len)) => {
            out.push_str(&text);
            len
        }
        None => {
            out.push('&');
            1
        }
    }
}

/// The text of `&name;`. Invisible direction marks decode to nothing: they only disturb search.
fn char_ref(name: &str) -> Option<String> {
    if let Some(number) = name.strip_prefix('#') {
        let code = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => number.parse().ok()?,
        };
        return match code {
            0x200E | 0x200F => Some(String::new()),
            0 => None,
            _ => char::from_u32(code).map(String::from),
        };
    }
    Some(
        match name {
            "amp" => "&",
            "lt" => "<",
            "gt" => ">",
            "quot" => "\"",
            "apos" => "'",
            "nbsp" => "\u{a0}",
            "lrm" | "rlm" => "",
            _ => return None,
        }
        .to_string(),
    )
}

/// Decodes every character reference in `text`, once.
fn decode_char_refs(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while let Some(c) = text[i..].chars().next() {
        if c == '&' {
            i += push_char_ref(&text[i..], &mut out);
        } else {
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(runs: Vec<Run>) -> Vec<String> {
        runs.into_iter().map(|(_, t)| t).collect()
    }

    #[test]
    fn bare_less_than_is_text_in_webvtt() {
        for (cue, want) in [
            ("price < 100 per seat", "price < 100 per seat"),
            ("I <3 this", "I <3 this"),
            ("a <= b and c<", "a <= b and c<"),
            ("x <y but no close", "x <y but no close"),
            ("<< and >>", "<< and >>"),
            ("done <3 times> really", "done <3 times> really"),
        ] {
            assert_eq!(text(webvtt_runs(cue)), [want], "{cue}");
        }
    }

    #[test]
    fn webvtt_tags_timestamps_and_references() {
        assert_eq!(
            text(webvtt_runs(
                "<c.yellow>Hello</c> <i>there</i> <00:00:01.500><b>you</b> <ruby>漢<rt>kan</rt></ruby> <lang sr>zdravo</lang>"
            )),
            ["Hello there you 漢kan zdravo"]
        );
        assert_eq!(
            text(webvtt_runs(
                "&amp;lt; is how you write &lt; &#233;&#x263A;&lrm; AT&T &bogus;"
            )),
            ["&lt; is how you write < é☺ AT&T &bogus;"]
        );
        assert_eq!(
            webvtt_runs("<v.loud Tom &amp; Jerry>hi <b>x</b></v> after <v Ana>zdravo"),
            vec![
                (Some("Tom & Jerry".into()), "hi x".into()),
                (None, "after".into()),
                (Some("Ana".into()), "zdravo".into())
            ]
        );
    }

    #[test]
    fn srt_strips_only_known_tags() {
        assert_eq!(
            text(srt_runs(
                "<i>price</i> < 100, <FONT color=\"#ff0000\">I <3 this</font> <b>x</B> <br> a<b"
            )),
            ["price < 100, I <3 this x <br> a<b"]
        );
        assert_eq!(
            srt_runs("<v Bob>Hello &amp; bye</v>"),
            vec![(Some("Bob".into()), "Hello & bye".into())]
        );
    }
}
