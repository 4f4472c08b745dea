//! Action items in Serbian (Latin script) calls.
//!
//! Serbian marks who will do something in the verb itself, so the patterns are verb forms, not
//! phrases: the first-person future ("poslaću", "proverićemo", "ću poslati"), "mogu da pošaljem"
//! (I can send), requests to the other side ("možete li da pošaljete", "da li biste mogli",
//! "pošaljite mi"), shared next steps ("hajde da zakažemo"), and a named person or team with
//! "će" ("Marko će poslati", "naš pravni tim će proveriti"). Each needs a verb of follow-up work,
//! recognised by its stem in any person. Hedges ("možda", "ako"), negation ("neću", "ne mogu") and
//! questions that only ask are not items; a request the other side turns down ("nažalost, to ne
//! možemo") is dropped.

use chrono::NaiveDate;

use super::ActionItem;
use crate::insights::dates::resolve_due_date;
use crate::insights::text::{sentences, tidy_sentence};
use crate::insights::{Role, Utterance};

/// Stems of verbs of follow-up work, as they begin in the infinitive, the future and the
/// imperative (pošalj-iti / posla-ću / pošalj-ite all start with one of these).
const WORK_STEMS: &[&str] = &[
    "pošalj",
    "posla",
    "šalj",
    "prosled",
    "dostav",
    "provera",
    "proveri",
    "javi",
    "javlj",
    "pripremi",
    "sprem",
    "zakaz",
    "zakaž",
    "organizuj",
    "organizova",
    "ubaci",
    "uključi",
    "dodaj",
    "potpiš",
    "potpisa",
    "popuni",
    "pogleda",
    "razgovara",
    "porazgovara",
    "ažurira",
    "napravi",
    "uradi",
    "podes",
    "aktivira",
    "dogovori",
    "pozov",
    "pozva",
    "napiš",
    "napisa",
    "izračuna",
    "poveži",
    "poveza",
    "obezbedi",
    "odobri",
    "vrati",
    "sredi",
    "reši",
    "testira",
    "ispravi",
    "preda",
    "uputi",
    "podeli",
    "proslediti",
    "kontaktira",
    "ponudi",
    "isprati",
    "zameni",
    "otvori",
    "konsultuj",
    "očist",
    "izvez",
    "izvuč",
    "podign",
    "instalira",
    "predstavi",
    "prebaci",
    "ukloni",
    "isključi",
    "pripremi",
    "održ",
    "obuč",
];

/// Words that make a sentence conditional or tentative.
const HEDGES: &[&str] = &[
    "možda",
    "ako",
    "ukoliko",
    "eventualno",
    "verovatno",
    "bismo",
    "bih",
];

/// "Ako hoćete, mogu da vam organizujem razgovor": a polite offer, not a condition.
const POLITE_IFS: &[[&str; 2]] = &[
    ["ako", "hoćete"],
    ["ako", "želite"],
    ["ako", "hoćeš"],
    ["ako", "želiš"],
    ["ako", "odgovara"],
    ["ako", "može"],
];

/// Words that open an answer agreeing to what the other side just offered or promised.
/// ("u redu" is checked as a pair.)
const AGREEMENTS: &[&str] = &[
    "važi", "može", "dobro", "ok", "okej", "super", "odlično", "naravno", "sjajno",
];

/// Words that turn a request down at the start of the reply.
const DECLINES: &[&str] = &["ne", "nažalost", "nemoguće", "nećemo", "neću", "teško"];

/// Whether a sentence names a date does not depend on the day it is resolved against.
const ANY_DATE: NaiveDate = match NaiveDate::from_ymd_opt(2024, 1, 3) {
    Some(d) => d,
    None => NaiveDate::MIN,
};

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Commitment,
    Offer,
    Request,
    Shared,
}

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn is_work_verb(word: &str) -> bool {
    WORK_STEMS.iter().any(|s| word.starts_with(s))
}

/// What kind of item the sentence states, with the owner's name when a third party is named.
fn classify(original: &str) -> Option<(Kind, Option<String>)> {
    let w = words(original);
    let has = |seq: &[&str]| w.windows(seq.len()).any(|win| win == seq);
    // "Kad mi Marko pošalje primere, mogu sve da pripremim" is a plan, not a doubt: "kad" is a
    // hedge only in a question. "Recimo" is one when it opens the sentence ("recimo da
    // pošaljem…"), a filler inside it ("za, recimo, prvih pedeset").
    let question = original.contains('?');
    // "Proveriću da li možemo deset posto ako idete na tri godine": an "if" inside what is to
    // be checked does not make the checking conditional.
    let first_work = w.iter().position(|x| is_work_verb(x)).unwrap_or(w.len());
    let hedge = w.iter().enumerate().any(|(i, x)| {
        let polite = POLITE_IFS
            .iter()
            .any(|p| x == p[0] && w.get(i + 1).is_some_and(|n| n == p[1]));
        let inside_the_work = matches!(x.as_str(), "ako" | "ukoliko") && i > first_work;
        (HEDGES.contains(&x.as_str()) && !polite && !inside_the_work)
            || matches!(x.as_str(), "kad" | "kada") && question
            || x == "recimo" && i < 2
    });
    // "Ne mogu to da obećam, ali proveriću…": a refusal before "ali" (but) is taken back by
    // what follows it.
    let last_clause = &w[w.iter().rposition(|x| x == "ali").map_or(0, |at| at + 1)..];
    let in_clause = |seq: &[&str]| last_clause.windows(seq.len()).any(|win| win == seq);
    if hedge
        || last_clause
            .iter()
            .any(|x| matches!(x.as_str(), "neću" | "nećemo"))
        || in_clause(&["ne", "mogu"])
        || in_clause(&["ne", "možemo"])
        || in_clause(&["ne", "znam"])
    {
        return None;
    }
    let request_phrase = has(&["možete", "li"])
        || has(&["da", "li", "možete"])
        || has(&["da", "li", "biste"])
        || has(&["biste", "li"])
        || has(&["molim", "vas"])
        || has(&["možeš", "li"]);
    // A second-person plural imperative asks when it opens the sentence or names the receiver
    // ("pošaljite mi", "molim vas, javite nam"); inside a description ("vi samo proverite
    // brojke") it explains how the product works.
    let imperative = w.iter().enumerate().any(|(i, x)| {
        is_work_verb(x)
            && x.ends_with("ite")
            && (i < 3
                || w.get(i + 1)
                    .is_some_and(|n| matches!(n.as_str(), "mi" | "nam"))
                || i > 0 && matches!(w[i - 1].as_str(), "mi" | "nam"))
    });
    // "Kad odobrite, automatski se pravi nalog": a "when you…" clause explains how something
    // works; only a commitment after it ("kad mi pošalje primere, mogu da pripremim") is work.
    let explains = w
        .first()
        .is_some_and(|x| matches!(x.as_str(), "kad" | "kada"));
    if !explains && ((request_phrase && w.iter().any(|x| is_work_verb(x))) || imperative) {
        return Some((Kind::Request, None));
    }
    // "Treba mi zvanična ponuda do 20. aprila": a need with a deadline asks the other side.
    let need = has(&["treba", "mi"])
        || has(&["treba", "nam"])
        || has(&["trebaće", "nam"])
        || has(&["trebaće", "mi"])
        || has(&["potrebno", "nam", "je"])
        || has(&["potrebna", "nam", "je"])
        || has(&["potreban", "nam", "je"]);
    if need && resolve_due_date(original, ANY_DATE).is_some() {
        return Some((Kind::Request, None));
    }
    // A delivery promised as arriving: "imaćete ponudu do petka", "biće kod vas sutra".
    if w.iter()
        .any(|x| matches!(x.as_str(), "imaćete" | "dobićete"))
        || has(&["biće", "kod", "vas"])
    {
        return Some((Kind::Commitment, None));
    }
    // Offers: "da li bi vam pomoglo da vam pošaljem…", "hoćete li da vam pošaljem…".
    let offer = has(&["da", "li", "bi", "vam", "pomoglo"])
        || has(&["hoćete", "li", "da", "vam"])
        || has(&["želite", "li", "da", "vam"])
        || has(&["hoćete", "da", "vam"])
        || has(&["hoćeš", "da", "ti"])
        || has(&["želite", "da", "vam"])
        || has(&["da", "vam", "pošaljem"]);
    if offer && w.iter().any(|x| is_work_verb(x)) {
        return Some((Kind::Offer, None));
    }
    if (has(&["hajde", "da"]) || has(&["ajde", "da"]) || has(&["hajdemo", "da"]))
        && w.iter().any(|x| is_work_verb(x))
    {
        return Some((Kind::Shared, None));
    }
    for (i, x) in w.iter().enumerate() {
        // "poslaću", "proverićemo": the future marker fused onto the verb.
        let fused = (x.ends_with("ću") || x.ends_with("ćemo")) && is_work_verb(x);
        // "ću poslati", "ćemo da proverimo", "mogu da pošaljem", "šaljem vam sutra".
        let analytic = matches!(x.as_str(), "ću" | "ćemo" | "mogu" | "možemo")
            && w[i + 1..w.len().min(i + 4)].iter().any(|n| is_work_verb(n));
        if fused || analytic {
            return Some((Kind::Commitment, None));
        }
        // "Marko će poslati", "naš pravni tim će proveriti".
        if x == "će" && w[i + 1..w.len().min(i + 4)].iter().any(|n| is_work_verb(n)) {
            return Some((Kind::Commitment, named_before(original, i)));
        }
    }
    None
}

/// The capitalised name right before "će" ("Marko će …"), or the team named in "naš/naša … će".
fn named_before(original: &str, at: usize) -> Option<String> {
    let tokens: Vec<&str> = original
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .collect();
    let before = tokens.get(..at)?;
    let team_from = before
        .iter()
        .rposition(|t| matches!(t.to_lowercase().as_str(), "naš" | "naša" | "naše" | "naši"));
    if let Some(from) = team_from.filter(|f| at - f <= 4) {
        return Some(before[from..].join(" "));
    }
    let name = before.last()?;
    let capitalised = name.chars().next().is_some_and(char::is_uppercase)
        && name.chars().skip(1).all(char::is_lowercase);
    (capitalised && before.len() > 1).then(|| name.to_string())
}

/// The reply turns the request or offer down: it opens with a refusal, or says "not for now"
/// ("to za sada ne bih") or "no need" ("nije potrebno").
fn declined(utterances: &[Utterance], index: usize) -> bool {
    // The next cue by someone else: one turn may be cut into several cues.
    let Some(reply) = super::reply_to(utterances, index).map(|at| &utterances[at]) else {
        return false;
    };
    let w = words(&reply.text);
    let has = |seq: &[&str]| w.windows(seq.len()).any(|win| win == seq);
    w.first()
        .is_some_and(|first| DECLINES.contains(&first.as_str()))
        || has(&["za", "sada", "ne"])
        || has(&["ne", "bih"])
        || has(&["nije", "potrebno"])
        || has(&["nema", "potrebe"])
}

fn side(role: Role) -> &'static str {
    match role {
        Role::Rep => "rep",
        Role::Customer => "customer",
    }
}

pub(super) fn extract(utterances: &[Utterance], call_date: NaiveDate) -> Vec<ActionItem> {
    let mut items: Vec<ActionItem> = Vec::new();
    // The request or offer of the utterance before, as (utterance index, item index).
    let mut open_request: Option<(usize, usize)> = None;
    for (index, u) in utterances.iter().enumerate() {
        for sentence in sentences(&u.text) {
            let text = sentence.text;
            // A question that asks only for an answer ("da li to radi?") is not a task.
            let Some((kind, named)) = classify(text) else {
                continue;
            };
            if matches!(kind, Kind::Request | Kind::Offer) && declined(utterances, index) {
                continue;
            }
            // "Važi, pošalji" right after the other side offered or promised it: the answer to
            // that offer, not a request of its own. "Pošaljite nam to što ste rekli": what was
            // agreed already, not new work.
            let w = words(text);
            let opens_agreeing = w
                .first()
                .is_some_and(|first| AGREEMENTS.contains(&first.as_str()))
                || w.starts_with(&["u".to_string(), "redu".to_string()]);
            // (An imperative, not an infinitive or a third person after "da"/"će": "pošalji",
            // "pošaljite" just after the "važi".) The turn before is read only then.
            let answers_offer = opens_agreeing
                && w.iter().skip(1).take(3).any(|x| {
                    is_work_verb(x)
                        && (x.ends_with("ite")
                            || x.ends_with('i') && !x.ends_with("ti") && !x.ends_with("ći"))
                })
                && index > 0
                && utterances[index - 1].speaker != u.speaker
                && sentences(&utterances[index - 1].text)
                    .iter()
                    .any(|s| matches!(classify(s.text), Some((Kind::Offer | Kind::Commitment, _))));
            let recalled = w.windows(2).enumerate().any(|(i, x)| {
                x[0] == "što"
                    && matches!(x[1].as_str(), "ste" | "smo")
                    && w[i + 2..w.len().min(i + 4)].iter().any(|v| {
                        matches!(
                            v.as_str(),
                            "rekli" | "pomenuli" | "spomenuli" | "dogovorili" | "obećali"
                        )
                    })
            });
            if answers_offer || kind == Kind::Request && recalled {
                continue;
            }
            let other = match u.role {
                Role::Rep => Role::Customer,
                Role::Customer => Role::Rep,
            };
            let owner = match (kind, named) {
                (_, Some(name)) => name,
                (Kind::Request, None) => side(other).to_string(),
                (Kind::Shared, None) => "rep".to_string(),
                (Kind::Commitment | Kind::Offer, None) => side(u.role).to_string(),
            };
            let due = resolve_due_date(text, call_date);
            // "Možete li da pošaljete cenovnik?" – "Može, poslaću sutra.": the answer accepts the
            // request (or offer) just before it and lends it its date; it is not a second item.
            if let Some((at, asked)) = open_request {
                if at + 1 == index && kind == Kind::Commitment && items[asked].owner == owner {
                    if items[asked].due.is_none() {
                        items[asked].due = due;
                    }
                    open_request = None;
                    continue;
                }
            }
            // "Poslaću ponudu. Poslaću je do petka.": a restatement lends its date, no new item.
            if let Some(prev) = items
                .iter_mut()
                .rev()
                .take(2)
                .find(|p| p.owner == owner && u.id - p.segment <= 2 && p.due.is_none())
            {
                if due.is_some() && words(text).len() <= 8 {
                    prev.due = due;
                    continue;
                }
            }
            if matches!(kind, Kind::Request | Kind::Offer) {
                open_request = Some((index, items.len()));
            }
            items.push(ActionItem {
                text: super::serbian_task::task(text, is_work_verb)
                    .unwrap_or_else(|| tidy_sentence(text)),
                owner,
                due,
                segment: u.id,
                done: false,
            });
        }
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utt(id: i64, speaker: &str, role: Role, text: &str) -> Utterance {
        Utterance {
            id,
            speaker: speaker.into(),
            role,
            start_ms: id * 1000,
            end_ms: id * 1000 + 900,
            text: text.into(),
        }
    }

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn commitments_requests_and_named_owners() {
        // 2024-03-06 is a Wednesday.
        let call = [
            utt(1, "Ana", Role::Rep, "Poslaću vam ponudu do petka."),
            utt(
                2,
                "Marko",
                Role::Customer,
                "Odlično. Možete li da pošaljete i cenovnik?",
            ),
            utt(3, "Ana", Role::Rep, "Naravno, to ću poslati sutra."),
            utt(
                4,
                "Marko",
                Role::Customer,
                "Naš pravni tim će proveriti ugovor do 15. marta.",
            ),
            utt(
                5,
                "Ana",
                Role::Rep,
                "Hajde da zakažemo demo za sledeću nedelju.",
            ),
        ];
        let items = extract(&call, date("2024-03-06"));
        let got: Vec<(i64, &str, Option<NaiveDate>)> = items
            .iter()
            .map(|i| (i.segment, i.owner.as_str(), i.due))
            .collect();
        assert_eq!(
            got,
            [
                (1, "rep", Some(date("2024-03-08"))),
                // The accepted request, dated by the answer.
                (2, "rep", Some(date("2024-03-07"))),
                (4, "Naš pravni tim", Some(date("2024-03-15"))),
                (5, "rep", Some(date("2024-03-15"))),
            ]
        );
    }

    #[test]
    fn hedges_negation_and_declined_requests_are_not_items() {
        let call = [
            utt(
                1,
                "Ana",
                Role::Rep,
                "Možda bismo mogli da pošaljemo nešto kasnije.",
            ),
            utt(
                2,
                "Ana",
                Role::Rep,
                "Ako potpišete ovog meseca, poslaću popust.",
            ),
            utt(
                3,
                "Marko",
                Role::Customer,
                "Neću stići da pogledam ove nedelje.",
            ),
            utt(
                4,
                "Marko",
                Role::Customer,
                "Možete li da nam pošaljete besplatnu licencu?",
            ),
            utt(5, "Ana", Role::Rep, "Nažalost, to nije moguće."),
            utt(6, "Ana", Role::Rep, "Kako vam se čini interfejs?"),
        ];
        assert!(extract(&call, date("2024-03-06")).is_empty());
    }

    #[test]
    fn a_request_in_two_cues_is_declined_by_the_reply_after_both() {
        let call = [
            utt(
                1,
                "Marko",
                Role::Customer,
                "Možete li da nam pošaljete besplatnu licencu?",
            ),
            utt(2, "Marko", Role::Customer, "Za naš tim u Nišu."),
            utt(3, "Ana", Role::Rep, "Nažalost, to nije moguće."),
        ];
        assert!(extract(&call, date("2024-03-06")).is_empty());
    }

    #[test]
    fn polite_ifs_plans_and_answers_are_read_as_people_mean_them() {
        let call = [
            // A polite offer, accepted: an item of the one who offered.
            utt(
                1,
                "Nikola",
                Role::Rep,
                "I ako hoćete, mogu da vam organizujem razgovor sa jednom agencijom.",
            ),
            utt(2, "Jelena", Role::Customer, "E, to bi bilo super, hvala."),
            // "When you send the samples, I can prepare it": a plan, not a doubt.
            utt(
                3,
                "Nikola",
                Role::Rep,
                "Kad mi Marko pošalje primere, mogu sve da pripremim.",
            ),
            // A refusal taken back after "ali", with an "if" inside what is to be checked.
            utt(
                4,
                "Nikola",
                Role::Rep,
                "Ne mogu to da obećam, ali proveriću sa direktorom da li možemo deset posto ako idete na tri godine.",
            ),
            // Agreeing to the offer just made is not a new request.
            utt(5, "Jelena", Role::Customer, "Važi, pošalji, pa ćemo da pogledamo."),
            // How the product works, not a request.
            utt(
                6,
                "Nikola",
                Role::Rep,
                "Kad odobrite, automatski se pravi nalog za knjiženje.",
            ),
        ];
        let items = extract(&call, date("2024-03-06"));
        let got: Vec<(i64, &str)> = items
            .iter()
            .map(|i| (i.segment, i.owner.as_str()))
            .collect();
        assert_eq!(got, [(1, "rep"), (3, "rep"), (4, "rep")], "{items:?}");
    }

    #[test]
    fn an_agreeing_opening_does_not_drop_a_request_of_its_own() {
        let call = [
            utt(1, "Nikola", Role::Rep, "Kako vam se čini interfejs?"),
            utt(
                2,
                "Jelena",
                Role::Customer,
                "Super, možete li da mi pošaljete ponudu do petka?",
            ),
            utt(3, "Nikola", Role::Rep, "Naravno."),
            utt(
                4,
                "Jelena",
                Role::Customer,
                "U ponedeljak mi pošaljite cenovnik.",
            ),
            utt(5, "Nikola", Role::Rep, "Hoću."),
            utt(
                6,
                "Jelena",
                Role::Customer,
                "Pošaljite mi i ponudu za ono što smo pričali o obuci.",
            ),
        ];
        let items = extract(&call, date("2024-03-06"));
        let got: Vec<i64> = items.iter().map(|i| i.segment).collect();
        assert_eq!(got, [2, 4, 6], "{items:?}");
    }
}
