//! Which language a transcript is in, from its words. Teams and Zoom exports carry no language
//! tag, and a Serbian call analysed with English rules yields nothing useful.
//!
//! The test is function words: the short, frequent words every sentence needs (`je`, `da`, `se`,
//! `što` against `the`, `and`, `is`, `you`), which no topic or product name changes, plus the
//! letters č ć š ž đ that English never writes. Words both languages use (`i`, `a`, `to`, `on`,
//! `do`, `me`) count for neither.

use super::Language;

/// Serbian (Latin) function words that are not English words.
const SERBIAN: &[&str] = &[
    "je", "da", "se", "na", "ne", "sa", "za", "od", "kao", "ali", "ili", "smo", "sam", "ste", "su",
    "ću", "ćemo", "će", "ćete", "bi", "bismo", "mi", "vi", "ja", "ovo", "ovaj", "taj", "ta", "kad",
    "kada", "samo", "još", "već", "može", "nije", "nismo", "nisam", "imamo", "imate", "ima",
    "treba", "bilo", "biti", "sve", "koji", "koja", "koje", "kako", "gde", "zašto", "jer", "onda",
    "tako", "ovde", "sada", "sad", "nešto", "što", "šta", "li", "vam", "nam", "mislim",
];

/// English function words that are not Serbian words.
const ENGLISH: &[&str] = &[
    "the", "and", "is", "you", "that", "it", "of", "we", "for", "this", "with", "have", "are",
    "was", "what", "so", "can", "will", "just", "our", "your", "they", "be", "not", "but", "if",
    "would", "there", "about", "yeah", "going", "think", "know", "get", "like", "at", "all",
    "from", "my", "it's", "i'm", "that's", "we're", "don't", "an", "or",
];

/// The transcript's language: Serbian when its Serbian evidence outweighs its English evidence,
/// English otherwise (also when there are no words at all: English is what the rules default to).
pub fn detect_language<'a>(texts: impl IntoIterator<Item = &'a str>) -> Language {
    let mut serbian = 0usize;
    let mut english = 0usize;
    for text in texts {
        for word in text
            .split(|c: char| !(c.is_alphanumeric() || c == '\''))
            .filter(|w| !w.is_empty())
        {
            let word = word.to_lowercase();
            if SERBIAN.contains(&word.as_str()) || word.contains(['č', 'ć', 'š', 'ž', 'đ']) {
                serbian += 1;
            } else if ENGLISH.contains(&word.as_str()) {
                english += 1;
            }
        }
    }
    if serbian > english {
        Language::SrLatn
    } else {
        Language::En
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serbian_with_and_without_diacritics() {
        assert_eq!(
            detect_language([
                "Poslaću vam ponudu do petka, a ugovor ćemo potpisati sledeće nedelje."
            ]),
            Language::SrLatn
        );
        // Speech-to-text output without punctuation, and a typist who skips the diacritics.
        assert_eq!(
            detect_language([
                "ovaj znaci mi bi to trebalo da imamo do kraja meseca ali nije jos gotovo"
            ]),
            Language::SrLatn
        );
    }

    #[test]
    fn english_with_serbian_names_stays_english() {
        assert_eq!(
            detect_language([
                "Thanks Dragan, I'll send the proposal to Milica Đorđević by Friday.",
                "Sounds good, we can go over it with Nikola on Monday.",
            ]),
            Language::En
        );
    }

    #[test]
    fn no_words_is_english() {
        assert_eq!(detect_language(["", "…", "12:30"]), Language::En);
    }
}
