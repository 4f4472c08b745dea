//! A log for when things go wrong: errors, device changes, dropped samples and timings, written
//! to daily files in the data folder (private to the user, the last week kept). It never holds
//! what was said or who said it: events carry ids, counts, durations and paths, and error texts
//! pass through [`redact`] first, which masks e-mail addresses and quoted values (Zapis quotes
//! names and user input in its messages).

use std::path::{Path, PathBuf};

use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{fmt, EnvFilter, Layer};

/// Log files kept: one a day.
const KEPT_FILES: usize = 7;

/// The folder holding the log files.
pub fn log_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("logs")
}

/// Starts logging to `log_dir(data_dir)`, and to standard error as well when `verbose`.
/// `ZAPIS_LOG` (e.g. `debug`) sets the level; the default is `info`. Once per process; later
/// calls change nothing.
pub fn init(data_dir: &Path, verbose: bool) -> std::io::Result<PathBuf> {
    let dir = log_dir(data_dir);
    crate::paths::ensure_private_dir(data_dir)?;
    crate::paths::ensure_private_dir(&dir)?;
    let files = tracing_appender::rolling::Builder::new()
        .rotation(tracing_appender::rolling::Rotation::DAILY)
        .filename_prefix("zapis")
        .filename_suffix("log")
        .max_log_files(KEPT_FILES)
        .build(&dir)
        .map_err(std::io::Error::other)?;
    let level = || EnvFilter::try_from_env("ZAPIS_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    let to_file = fmt::layer()
        .with_ansi(false)
        .with_writer(files)
        .with_filter(level());
    let to_terminal = verbose.then(|| {
        fmt::layer()
            .with_writer(std::io::stderr)
            .with_filter(level())
    });
    // A subscriber set earlier (tests, an embedding program) wins.
    let _ = tracing_subscriber::registry()
        .with(to_file)
        .with(to_terminal)
        .try_init();
    Ok(dir)
}

/// Masks what could name a person in an error text before it is logged: e-mail addresses and
/// anything in quotes. An apostrophe inside a word ("isn't") opens no quote.
pub fn redact(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut closing: Option<char> = None;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let before = i.checked_sub(1).map(|j| chars[j]);
        let after = chars.get(i + 1).copied();
        let in_word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
        if let Some(q) = closing {
            if c == q && !in_word(after) {
                closing = None;
                out.push('…');
                out.push(c);
            }
            i += 1;
            continue;
        }
        let opens = match c {
            '"' => Some('"'),
            '\'' if !in_word(before) => Some('\''),
            '‘' => Some('’'),
            '“' => Some('”'),
            _ => None,
        };
        if let Some(q) = opens {
            closing = Some(q);
            out.push(c);
            i += 1;
            continue;
        }
        if !c.is_whitespace() && (before.is_none() || before.is_some_and(char::is_whitespace)) {
            let end = (i..chars.len())
                .find(|&j| chars[j].is_whitespace())
                .unwrap_or(chars.len());
            let word: String = chars[i..end].iter().collect();
            if word.contains('@') {
                let kept = word.len() - word.trim_end_matches([';', ',', '.', ')']).len();
                out.push_str("<email>");
                out.push_str(&word[word.len() - kept..]);
                i = end;
                continue;
            }
        }
        out.push(c);
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn masks_emails_and_quoted_values() {
        assert_eq!(
            redact("no contact with email ana@acme.example; see list"),
            "no contact with email <email>; see list"
        );
        assert_eq!(
            redact("--rep \"Ana Jović\" is not a speaker; speakers are: \"Bob\", \"Cy\""),
            "--rep \"…\" is not a speaker; speakers are: \"…\", \"…\""
        );
        assert_eq!(
            redact("model 'tiny.en' isn't installed"),
            "model '…' isn't installed"
        );
        assert_eq!(
            redact("database error on /tmp/x/zapis.sqlite3: disk I/O error"),
            "database error on /tmp/x/zapis.sqlite3: disk I/O error"
        );
    }
}
