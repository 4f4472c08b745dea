//! Speaker names inside cue text: `<v Name>` voice tags (Teams) and `Name: text` prefixes (Zoom).

/// Strips WebVTT markup and decodes the few entities meeting tools emit.
pub(crate) fn strip_markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_tag = false;
    for ch in text.chars() {
        match ch {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(ch),
            _ => {}
        }
    }
    out.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&nbsp;", " ")
        .replace("&lrm;", "")
        .replace("&rlm;", "")
}

/// Splits cue text into (speaker, text) runs by `<v Name>` tags; text before any tag has no speaker.
pub(crate) fn split_voices(text: &str) -> Vec<(Option<String>, String)> {
    let mut runs: Vec<(Option<String>, String)> = Vec::new();
    let mut rest = text;
    let mut current: Option<String> = None;
    while let Some(pos) = rest.find("<v") {
        let after = &rest[pos + 2..];
        let is_voice = after.starts_with(' ') || after.starts_with('.');
        let Some(close) = after.find('>').filter(|_| is_voice) else {
            push_run(&mut runs, current.clone(), &rest[..pos + 2]);
            rest = after;
            continue;
        };
        push_run(&mut runs, current.clone(), &rest[..pos]);
        let annotation = &after[..close];
        // `<v.loud Name>`: classes come before the first space.
        let name = annotation
            .split_once(' ')
            .map(|(_, n)| n)
            .unwrap_or("")
            .trim();
        current = (!name.is_empty()).then(|| name.to_string());
        rest = &after[close + 1..];
    }
    push_run(&mut runs, current, rest);
    runs
}

fn push_run(runs: &mut Vec<(Option<String>, String)>, speaker: Option<String>, raw: &str) {
    let text = normalize_space(&strip_markup(raw));
    if text.is_empty() {
        return;
    }
    match runs.last_mut() {
        Some((last, body)) if *last == speaker => {
            body.push(' ');
            body.push_str(&text);
        }
        _ => runs.push((speaker, text)),
    }
}

pub(crate) fn normalize_space(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Detects a `Name: text` prefix. Names are 1–4 words, start with a capital letter and contain only
/// letters, digits, spaces, dots, hyphens and apostrophes, so sentences with a colon are left alone.
pub(crate) fn split_name_prefix(text: &str) -> Option<(String, String)> {
    let (name, body) = text.split_once(':')?;
    let name = name.trim();
    let body = body.trim();
    if name.is_empty() || name.chars().count() > 40 || body.is_empty() || body.starts_with("//") {
        return None;
    }
    let words = name.split_whitespace().count();
    // Every word capitalised, except short particles such as "van", "de", "al".
    let first_upper = name.split_whitespace().all(|w| {
        w.chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
            || (w.chars().count() <= 3 && w.chars().all(char::is_lowercase))
    }) && name
        .chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
    let name_chars = name
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '.' | '-' | '\'' | '(' | ')'));
    let all_digits = name.chars().all(|c| c.is_ascii_digit() || c == ' ');
    (words <= 4 && first_upper && name_chars && !all_digits)
        .then(|| (name.to_string(), body.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn voice_tags_and_prefixes() {
        let runs = split_voices("<v Ana Petrović>Zdravo</v> <v.loud Bob>Hi &amp; bye</v>");
        assert_eq!(
            runs,
            vec![
                (Some("Ana Petrović".into()), "Zdravo".into()),
                (Some("Bob".into()), "Hi & bye".into())
            ]
        );
        assert_eq!(
            split_name_prefix("John Smith: hello there"),
            Some(("John Smith".into(), "hello there".into()))
        );
        assert_eq!(
            split_name_prefix("The plan is simple: we ship it on Monday and then iterate"),
            None
        );
        assert_eq!(split_name_prefix("see https://example.com"), None);
    }
}
