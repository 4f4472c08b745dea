use chrono::{TimeZone, Utc};
use proptest::prelude::*;

use super::*;

fn people(n: usize) -> Vec<Participant> {
    (0..n)
        .map(|i| Participant::new(format!("P{i}"), Some(format!("p{i}@example.com"))).unwrap())
        .collect()
}

fn at(second: i64) -> chrono::DateTime<Utc> {
    Utc.timestamp_opt(1_700_000_000 + second, 0).unwrap()
}

#[test]
fn builtin_notices_cover_every_promise_in_both_languages() {
    let en = Notice::builtin(Language::En);
    for needle in [
        "Why",
        "voices",
        "shared",
        "only on this device",
        "right to know",
        "right to choose",
        "copy",
        "erased",
    ] {
        assert!(en.text().contains(needle), "en notice lacks {needle:?}");
    }
    let sr = Notice::builtin(Language::SrLatn);
    for needle in [
        "Zašto",
        "glasovi",
        "podeli",
        "isključivo na ovom uređaju",
        "Pravo da znate",
        "Pravo da birate",
        "kopiju",
        "obrišu",
    ] {
        assert!(
            sr.text().contains(needle),
            "sr-Latn notice lacks {needle:?}"
        );
    }
    // Latin script only: no Cyrillic letters slipped in.
    for text in [sr.text(), sr.read_aloud(), sr.chat_line()] {
        assert!(!text.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c)));
    }
    for notice in [&en, &sr] {
        assert!(
            !notice.chat_line().contains('\n'),
            "chat line must be one line"
        );
        assert!(notice.read_aloud().len() < notice.text().len());
    }
}

#[test]
fn versions_name_language_and_revision_and_differ_between_languages() {
    let en = Notice::builtin(Language::En);
    let sr = Notice::builtin(Language::SrLatn);
    assert!(en.version().starts_with("en-1-"), "{}", en.version());
    assert!(sr.version().starts_with("sr-Latn-1-"), "{}", sr.version());
    assert_eq!(en.version().len(), "en-1-".len() + 12);
    assert_ne!(en.version(), sr.version());
    assert_eq!(Notice::builtin(Language::En).version(), en.version());
}

#[test]
fn custom_notice_rejects_blank_text() {
    assert_eq!(
        Notice::custom(Language::En, "  \n"),
        Err(ConsentError::EmptyNoticeText {
            what: "notice text"
        })
    );
}

proptest! {
    #[test]
    fn any_edit_gets_a_new_version(text in "\\PC{1,200}", extra in "\\PC{1,20}") {
        prop_assume!(!text.trim().is_empty());
        let original = Notice::custom(Language::En, text.clone()).unwrap();
        let edited = Notice::custom(Language::En, format!("{text}{extra}")).unwrap();
        prop_assert_ne!(original.version(), edited.version());
        let builtin = Notice::builtin(Language::En);
        prop_assert_ne!(original.version(), builtin.version());
        let same = Notice::custom(Language::En, text).unwrap();
        prop_assert_eq!(original.version(), same.version());
        let new_chat = original.clone().with_chat_line(format!("chat {extra}")).unwrap();
        prop_assert_ne!(new_chat.version(), original.version());
    }
}

#[test]
fn language_tags_parse_leniently_but_refuse_unknown_scripts() {
    for tag in ["en", "EN-us", "en_GB"] {
        assert_eq!(tag.parse::<Language>(), Ok(Language::En));
    }
    for tag in ["sr", "sr-Latn", "sr-latn-RS"] {
        assert_eq!(tag.parse::<Language>(), Ok(Language::SrLatn));
    }
    for tag in ["sr-Cyrl", "de", ""] {
        assert!(tag.parse::<Language>().is_err(), "{tag:?} accepted");
    }
}

#[test]
fn participants_parse_from_cli_form() {
    let p: Participant = "Ana Petrović <ana@example.rs>".parse().unwrap();
    assert_eq!(
        (p.name(), p.email()),
        ("Ana Petrović", Some("ana@example.rs"))
    );
    assert_eq!(p.to_string(), "Ana Petrović <ana@example.rs>");
    let q: Participant = "  Marko ".parse().unwrap();
    assert_eq!((q.name(), q.email()), ("Marko", None));
    assert!("<a@b.c>".parse::<Participant>().is_err());
    assert!("Ana <not-an-email>".parse::<Participant>().is_err());
    assert!("Ana <a@b.c".parse::<Participant>().is_err());
    assert!("Ana <a@b.c> trailing".parse::<Participant>().is_err());
}

#[test]
fn session_rejects_empty_and_duplicate_lists() {
    assert_eq!(
        ConsentSession::new(vec![], WithdrawalPolicy::Purge).unwrap_err(),
        ConsentError::NoParticipants
    );
    let mut dup = people(2);
    dup.push(dup[0].clone());
    assert!(matches!(
        ConsentSession::new(dup, WithdrawalPolicy::Purge),
        Err(ConsentError::DuplicateParticipant { .. })
    ));
}

#[test]
fn happy_path_yields_receipts_and_one_token() {
    let notice = Notice::builtin(Language::SrLatn);
    let mut s = ConsentSession::new(people(2), WithdrawalPolicy::Purge).unwrap();
    assert!(s.start_recording().is_err());
    assert_eq!(
        s.decide("P0", Decision::OptIn, Method::OnScreen, at(0)),
        Err(ConsentError::NoticeNotShown)
    );
    s.show_notice(&notice).unwrap();
    let r0 = s
        .decide("P0", Decision::OptIn, Method::OnScreen, at(1))
        .unwrap();
    assert!(
        s.start_recording().is_err(),
        "one of two opted in is not consent"
    );
    let r1 = s
        .decide("P1", Decision::OptIn, Method::Verbal, at(2))
        .unwrap();
    for r in [&r0, &r1] {
        assert_eq!(r.notice_version, notice.version());
        assert_eq!(r.language, Language::SrLatn);
        assert_eq!(r.decision, Decision::OptIn);
    }
    assert_eq!(r1.method, Method::Verbal);
    assert_eq!(r1.at, at(2));
    let token = s.start_recording().unwrap();
    assert_eq!(token.notice_version(), notice.version());
    assert_eq!(token.participants().len(), 2);
    assert_eq!(token.granted_at(), at(2));
    assert!(s.start_recording().is_err(), "a grant mints one token only");
    s.stop_recording().unwrap();
    assert_eq!(s.state(), &ConsentState::Stopped);
}

#[test]
fn receipts_serialize_with_stable_field_names() {
    let mut s = ConsentSession::new(people(1), WithdrawalPolicy::Purge).unwrap();
    s.show_notice(&Notice::builtin(Language::SrLatn)).unwrap();
    let receipt = s
        .decide("P0", Decision::OptOut, Method::Imported, at(5))
        .unwrap();
    let json = serde_json::to_value(&receipt).unwrap();
    assert_eq!(json["decision"], "opt_out");
    assert_eq!(json["method"], "imported");
    assert_eq!(json["language"], "sr-Latn");
    assert_eq!(json["participant"]["email"], "p0@example.com");
    assert_eq!(json["at"], "2023-11-14T22:13:25Z");
    let back: ConsentReceipt = serde_json::from_value(json).unwrap();
    assert_eq!(back, receipt);
}

#[derive(Debug, Clone)]
enum Op {
    Show(bool),
    Decide(usize, Decision, Method),
    Start,
    Stop,
    Abandon,
}

fn op() -> impl Strategy<Value = Op> {
    let decision = prop_oneof![
        Just(Decision::OptIn),
        Just(Decision::OptIn),
        Just(Decision::OptOut),
        Just(Decision::Withdraw)
    ];
    let method = prop_oneof![
        Just(Method::OnScreen),
        Just(Method::Verbal),
        Just(Method::Imported)
    ];
    prop_oneof![
        any::<bool>().prop_map(Op::Show),
        (0usize..4, decision, method).prop_map(|(i, d, m)| Op::Decide(i, d, m)),
        Just(Op::Start),
        Just(Op::Stop),
        Just(Op::Abandon),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Drives the session with random operations and checks it against the rules directly:
    /// a token exists only after everyone opted in to a shown notice and nobody opted out,
    /// every receipt names the notice that was shown, and rejected operations change nothing.
    #[test]
    fn consent_rules_hold_for_any_sequence(
        n in 1usize..4,
        keep in any::<bool>(),
        ops in proptest::collection::vec(op(), 0..40),
    ) {
        let policy = if keep { WithdrawalPolicy::KeepIfRemainingReconsent } else { WithdrawalPolicy::Purge };
        let mut s = ConsentSession::new(people(n), policy).unwrap();
        let mut shown: Option<Notice> = None;
        let mut opted_in = vec![false; n];
        let mut anyone_declined = false;
        let mut tokens = 0;
        for (step, op) in ops.into_iter().enumerate() {
            let before = s.state().clone();
            match op {
                Op::Show(sr) => {
                    let notice = Notice::builtin(if sr { Language::SrLatn } else { Language::En });
                    if s.show_notice(&notice).is_ok() {
                        prop_assert!(opted_in.iter().all(|d| !d), "notice swapped after a decision");
                        shown = Some(notice);
                    } else {
                        prop_assert_eq!(s.state(), &before);
                    }
                }
                Op::Decide(i, decision, method) => {
                    let name = format!("P{i}");
                    match s.decide(&name, decision, method, at(step as i64)) {
                        Ok(receipt) => {
                            let notice = shown.as_ref().expect("receipt without notice");
                            prop_assert!(i < n);
                            prop_assert_eq!(&receipt.notice_version, notice.version());
                            prop_assert_eq!(receipt.language, notice.language());
                            prop_assert_eq!(receipt.method, method);
                            prop_assert_eq!(receipt.decision, decision);
                            prop_assert_eq!(receipt.participant.name(), name.as_str());
                            if matches!(before, ConsentState::NoticeShown { .. } | ConsentState::Granted { .. }) {
                                if decision == Decision::OptIn { opted_in[i] = true } else { anyone_declined = true }
                            }
                        }
                        Err(_) => prop_assert_eq!(s.state(), &before),
                    }
                }
                Op::Start => match s.start_recording() {
                    Ok(token) => {
                        tokens += 1;
                        prop_assert!(opted_in.iter().all(|&d| d) && !anyone_declined);
                        prop_assert_eq!(token.notice_version(), shown.as_ref().unwrap().version());
                        let recording = matches!(s.state(), ConsentState::Recording { .. });
                        prop_assert!(recording);
                    }
                    Err(_) => {
                        let was_granted = matches!(before, ConsentState::Granted { .. });
                        prop_assert!(!was_granted);
                        prop_assert_eq!(s.state(), &before);
                    }
                },
                Op::Stop => {
                    if s.stop_recording().is_err() { prop_assert_eq!(s.state(), &before) }
                }
                Op::Abandon => {
                    if s.abandon_reconsent().is_ok() {
                        prop_assert_eq!(s.withdrawal_resolution(), Some(WithdrawalResolution::Purge));
                    } else {
                        prop_assert_eq!(s.state(), &before);
                    }
                }
            }
            prop_assert!(tokens <= 1, "more than one token per session");
            if anyone_declined {
                let declined = matches!(s.state(), ConsentState::Declined { .. });
                prop_assert!(declined);
            }
            if let ConsentState::Granted { .. } = s.state() {
                prop_assert!(opted_in.iter().all(|&d| d));
            }
            if let ConsentState::Withdrawn { resolution, .. } = s.state() {
                if !keep || n == 1 {
                    prop_assert_eq!(*resolution, WithdrawalResolution::Purge);
                }
            }
        }
    }
}

#[test]
fn withdrawal_under_purge_policy_purges() {
    let mut s = granted_and_recording(3, WithdrawalPolicy::Purge);
    let receipt = s
        .decide("P1", Decision::Withdraw, Method::Verbal, at(10))
        .unwrap();
    assert_eq!(receipt.decision, Decision::Withdraw);
    assert_eq!(s.withdrawal_resolution(), Some(WithdrawalResolution::Purge));
    assert!(s.stop_recording().is_err());
    assert!(s
        .decide("P0", Decision::OptIn, Method::OnScreen, at(11))
        .is_err());
}

#[test]
fn keep_policy_keeps_only_when_every_remaining_participant_reconsents() {
    let mut s = granted_and_recording(3, WithdrawalPolicy::KeepIfRemainingReconsent);
    s.decide("P1", Decision::Withdraw, Method::OnScreen, at(10))
        .unwrap();
    assert_eq!(
        s.withdrawal_resolution(),
        Some(WithdrawalResolution::AwaitingReconsent)
    );
    assert!(
        s.decide("P1", Decision::OptIn, Method::OnScreen, at(11))
            .is_err(),
        "the person who withdrew cannot re-consent for the others"
    );
    s.decide("P0", Decision::OptIn, Method::OnScreen, at(12))
        .unwrap();
    assert_eq!(
        s.withdrawal_resolution(),
        Some(WithdrawalResolution::AwaitingReconsent)
    );
    s.decide("P2", Decision::OptIn, Method::Verbal, at(13))
        .unwrap();
    assert_eq!(s.withdrawal_resolution(), Some(WithdrawalResolution::Keep));

    let mut refused = granted_and_recording(3, WithdrawalPolicy::KeepIfRemainingReconsent);
    refused
        .decide("P0", Decision::Withdraw, Method::OnScreen, at(10))
        .unwrap();
    refused
        .decide("P2", Decision::OptOut, Method::OnScreen, at(11))
        .unwrap();
    assert_eq!(
        refused.withdrawal_resolution(),
        Some(WithdrawalResolution::Purge)
    );
}

#[test]
fn opting_out_after_grant_but_before_recording_declines() {
    let mut s = ConsentSession::new(people(2), WithdrawalPolicy::Purge).unwrap();
    s.show_notice(&Notice::builtin(Language::En)).unwrap();
    s.decide("P0", Decision::OptIn, Method::OnScreen, at(1))
        .unwrap();
    s.decide("P1", Decision::OptIn, Method::OnScreen, at(2))
        .unwrap();
    s.decide("P0", Decision::Withdraw, Method::OnScreen, at(3))
        .unwrap();
    assert!(matches!(s.state(), ConsentState::Declined { by } if by.name() == "P0"));
    assert!(s.start_recording().is_err());
}

fn granted_and_recording(n: usize, policy: WithdrawalPolicy) -> ConsentSession {
    let mut s = ConsentSession::new(people(n), policy).unwrap();
    s.show_notice(&Notice::builtin(Language::En)).unwrap();
    for i in 0..n {
        s.decide(
            &format!("P{i}"),
            Decision::OptIn,
            Method::OnScreen,
            at(i as i64),
        )
        .unwrap();
    }
    let _token = s.start_recording().unwrap();
    s
}
