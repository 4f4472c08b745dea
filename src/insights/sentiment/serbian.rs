//! Sentence tone in Serbian (Latin), where VADER has no lexicon: a small list of evaluative words
//! and phrases, each with a score on VADER's scale, summed and squashed like VADER's compound.
//! "Ne" right before an evaluative word turns it around ("nije loše", "ne radi"). Politeness
//! ("hvala", "molim") is left out on purpose: every call is full of it.

/// Stems matched at the start of a word, so every case and gender counts ("zadovoljn" covers
/// zadovoljan, zadovoljna, zadovoljni).
const POSITIVE: &[(&str, f64)] = &[
    ("odlič", 3.0),
    ("sjaj", 3.0),
    ("savršen", 3.0),
    ("fantastič", 3.0),
    ("odušev", 3.0),
    ("super", 2.5),
    ("divn", 2.5),
    ("zadovoljn", 2.0),
    ("drago", 2.0),
    ("sviđa", 2.0),
    ("dopada", 2.0),
    ("koristan", 2.0),
    ("korisn", 2.0),
    ("rešava", 2.0),
    ("pomaže", 1.5),
    ("pomoglo", 1.5),
    ("impresiv", 2.5),
    ("jednostav", 1.5),
    ("brz", 1.0),
    ("lak", 1.0),
    ("idealn", 2.5),
    ("preporuč", 2.0),
    ("radujem", 2.5),
    ("raduje", 2.5),
    ("uzbudljiv", 2.0),
    // "dobro" is as often "okay" as "good".
    ("dobr", 0.8),
    ("uverljiv", 2.0),
];

const NEGATIVE: &[(&str, f64)] = &[
    ("problem", -1.5),
    ("loš", -2.5),
    ("užas", -3.0),
    ("katastrof", -3.0),
    ("sporo", -1.5),
    ("kasni", -1.5),
    ("kašnjen", -1.5),
    ("greš", -1.5),
    ("nezadovolj", -2.5),
    ("razočar", -3.0),
    ("preskup", -2.5),
    ("skup", -1.5),
    ("ljut", -2.5),
    ("frustr", -2.5),
    ("nervira", -2.5),
    ("odustaj", -2.0),
    ("odustan", -2.0),
    ("otkaz", -2.0),
    ("raskin", -2.5),
    ("žalb", -2.0),
    ("komplikovan", -1.5),
    ("haos", -2.5),
    ("besmisl", -2.5),
    ("neprihvatljiv", -3.0),
    ("nepouzdan", -2.5),
    ("sumnja", -1.5),
];

/// Multi-word phrases, matched on whole words.
const PHRASES: &[(&str, f64)] = &[
    ("ne radi", -2.0),
    ("ne funkcioniše", -2.0),
    ("ne odgovara", -2.0),
    ("ne vredi", -2.5),
    ("nismo zadovoljni", -3.0),
    ("drugu ponudu", -1.5),
    ("druge ponude", -1.5),
    ("druga rešenja", -1.5),
    ("prelazimo na", -3.0),
    ("preći ćemo", -3.0),
    ("prećićemo", -3.0),
    ("pa ćemo videti", -1.0),
    ("videćemo", -1.0),
    ("nije prioritet", -2.0),
    ("nema budžeta", -2.5),
    ("baš ono što", 3.0),
    ("upravo ono što", 3.0),
    ("idemo dalje", 2.5),
    ("krenemo", 1.5),
    ("potpisujemo", 3.0),
];

/// VADER's normalisation constant: compound = sum / sqrt(sum² + 15).
const ALPHA: f64 = 15.0;

/// The tone of a Serbian sentence in [-1, 1], VADER-compound style.
pub(super) fn compound(sentence: &str) -> f64 {
    let lower = sentence.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let mut sum = 0.0;
    // Words inside a matched phrase are not scored again on their own.
    let mut covered = vec![false; words.len()];
    for (phrase, score) in PHRASES {
        let parts: Vec<&str> = phrase.split(' ').collect();
        for at in 0..words.len().saturating_sub(parts.len() - 1) {
            if words[at..at + parts.len()] == parts[..] {
                sum += score;
                covered[at..at + parts.len()]
                    .iter_mut()
                    .for_each(|c| *c = true);
            }
        }
    }
    for (i, word) in words.iter().enumerate() {
        if covered[i] {
            continue;
        }
        let negated = i > 0
            && matches!(
                words[i - 1],
                "ne" | "nije" | "nisu" | "nismo" | "nisam" | "nema" | "bez"
            );
        let score = POSITIVE
            .iter()
            .chain(NEGATIVE)
            .find(|(stem, _)| word.starts_with(stem))
            .map(|(_, s)| *s);
        if let Some(score) = score {
            sum += if negated { -0.75 * score } else { score };
        }
    }
    if sum == 0.0 {
        0.0
    } else {
        sum / (sum * sum + ALPHA).sqrt()
    }
}

#[cfg(test)]
mod tests {
    use super::compound;

    #[test]
    fn praise_complaints_and_negation() {
        assert!(compound("Ovo je odlično, baš ono što nam treba.") > 0.5);
        assert!(compound("Moram da kažem, ovo zaista rešava SEF kako treba.") > 0.3);
        assert!(compound("Sistem stalno ne radi i podrška kasni, nismo zadovoljni.") < -0.5);
        assert!(compound("Nije loše.") > 0.0);
        assert_eq!(compound("Poslaću vam ponudu do petka."), 0.0);
    }
}
