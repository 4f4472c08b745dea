use super::*;

fn d() -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 3, 6).unwrap() // a Wednesday
}

fn u(id: i64, role: Role, text: &str) -> Utterance {
    let speaker = if role == Role::Rep { "Rep" } else { "Customer" };
    Utterance {
        id,
        speaker: speaker.into(),
        role,
        start_ms: id * 5000,
        end_ms: id * 5000 + 4000,
        text: text.into(),
    }
}

fn items(lines: &[(Role, &str)]) -> Vec<ActionItem> {
    let call: Vec<Utterance> = lines
        .iter()
        .enumerate()
        .map(|(i, (r, t))| u(i as i64 + 1, *r, t))
        .collect();
    extract_action_items(&call, d())
}

#[test]
fn commitments_requests_and_shared_steps() {
    let found = items(&[
        (Role::Rep, "Great, so I'll send you the proposal by Friday."),
        (Role::Rep, "Can you loop in your CFO?"),
        (Role::Customer, "Sure. Let's schedule a demo next week."),
        (
            Role::Customer,
            "Sarah will send the signed order form tomorrow.",
        ),
    ]);
    let got: Vec<(&str, Option<String>, i64)> = found
        .iter()
        .map(|i| (i.owner.as_str(), i.due.map(|d| d.to_string()), i.segment))
        .collect();
    assert_eq!(
        got,
        vec![
            ("rep", Some("2024-03-08".into()), 1),
            ("customer", None, 2),
            ("rep", Some("2024-03-15".into()), 3),
            ("Sarah", Some("2024-03-07".into()), 4),
        ]
    );
    // The task in the imperative, without its date (its own field) or who said it.
    assert_eq!(found[0].text, "Send the proposal");
}

#[test]
fn rejects_false_positives() {
    let found = items(&[
        (Role::Rep, "Can you hear me okay?"),
        (Role::Customer, "Could you see my screen?"),
        (Role::Rep, "I sent the deck last week."),
        (
            Role::Rep,
            "If we went with the annual plan, I'll include onboarding.",
        ),
        (Role::Rep, "Let me share my screen."),
        (Role::Customer, "Let me know if you have any questions."),
        (Role::Rep, "Can you tell me about your process?"),
        (Role::Customer, "I'll be honest with you, it's expensive."),
        (Role::Rep, "Maybe we could do a pilot."),
        (Role::Rep, "Will I be able to see the logs?"),
        (
            Role::Customer,
            "I'd have to check but I'd say maybe four hundred users.",
        ),
    ]);
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn accepted_request_and_restatement_become_one_item() {
    let found = items(&[
        (Role::Customer, "Could you send me the security whitepaper?"),
        (Role::Rep, "Absolutely, I'll get it over to you by Friday."),
        (Role::Rep, "I can put together a rollout plan."),
        (Role::Customer, "By when?"),
        (Role::Rep, "I'll have it to you next Tuesday."),
    ]);
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(
        (found[0].segment, found[0].owner.as_str(), found[0].due),
        (1, "rep", NaiveDate::from_ymd_opt(2024, 3, 8))
    );
    assert_eq!(
        (found[1].segment, found[1].due),
        (3, NaiveDate::from_ymd_opt(2024, 3, 12))
    );
}

#[test]
fn declined_offer_is_dropped() {
    let declined = items(&[
        (Role::Rep, "Want me to send the deck?"),
        (Role::Customer, "No, that's fine, we have it."),
    ]);
    assert!(declined.is_empty());
    let accepted = items(&[
        (Role::Rep, "Want me to send the deck?"),
        (Role::Customer, "Yes please."),
    ]);
    assert_eq!(accepted.len(), 1);
}

#[test]
fn json_shape() {
    let found = items(&[(Role::Rep, "I'll email the quote tomorrow.")]);
    let json = serde_json::to_value(&found[0]).unwrap();
    assert_eq!(json["due"], "2024-03-07");
    assert_eq!(json["done"], false);
    assert_eq!(json["owner"], "rep");
}

#[test]
fn bundled_deliveries_take_the_earlier_due_date_and_leaving_the_call_is_not_an_item() {
    let found = items(&[
        (Role::Rep, "I'll send you the recording by Friday."),
        (Role::Customer, "Great."),
        (
            Role::Rep,
            "And I'll put together a quote for three locations and send it with the recording.",
        ),
        (
            Role::Customer,
            "Sorry, I need to drop, I have another meeting.",
        ),
        (Role::Customer, "Let me check."),
    ]);
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found
        .iter()
        .all(|i| i.due == NaiveDate::from_ymd_opt(2024, 3, 8)));
}

#[test]
fn a_need_with_a_deadline_is_a_request_that_its_answer_joins() {
    let found = items(&[
        (Role::Customer, "We would like the proposal by Friday."),
        (
            Role::Rep,
            "Of course, I'll send you the proposal on Thursday.",
        ),
        (Role::Customer, "We need the integration."),
    ]);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        (found[0].segment, found[0].owner.as_str(), found[0].due),
        (1, "rep", NaiveDate::from_ymd_opt(2024, 3, 7))
    );
    assert_eq!(found[0].text, "Send the proposal", "{found:?}");
}

#[test]
fn an_end_of_call_recap_is_not_a_second_item() {
    let mut lines = vec![(
        Role::Rep,
        "I'll send you the root cause analysis by Friday.",
    )];
    lines.extend(std::iter::repeat_n((Role::Customer, "Okay."), 6));
    lines.push((
        Role::Rep,
        "Thanks, so I'll send the root cause analysis Friday and follow up on the credit.",
    ));
    let found = items(&lines);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].segment, 1);
}

#[test]
fn commitments_before_a_pleasantry_and_less_common_verbs() {
    let found = items(&[
        (
            Role::Rep,
            "Okay sounds good, I'll check back in two weeks just to see if you need anything else.",
        ),
        (Role::Rep, "Feel free to reach out if you need anything."),
        (
            Role::Rep,
            "I'll come back to you with a revised proposal by Monday.",
        ),
        (
            Role::Rep,
            "I'll look for a castings reference customer for you.",
        ),
        (
            Role::Customer,
            "Once I have the report, I'll finish the security review.",
        ),
    ]);
    let got: Vec<(i64, &str)> = found
        .iter()
        .map(|i| (i.segment, i.owner.as_str()))
        .collect();
    assert_eq!(
        got,
        [(1, "rep"), (3, "rep"), (4, "rep"), (5, "customer")],
        "{found:?}"
    );
    assert_eq!(found[1].due, NaiveDate::from_ymd_opt(2024, 3, 11));
}

#[test]
fn the_reply_or_the_answer_to_when_dates_a_request() {
    let found = items(&[
        (
            Role::Customer,
            "Can you send us a root-cause write-up for both outages?",
        ),
        (
            Role::Rep,
            "Yes. You'll have both by Thursday, with the full timeline.",
        ),
        (
            Role::Customer,
            "Could you send a full export of the payroll registers?",
        ),
        (
            Role::Rep,
            "Of course. I'll get that export started today. When do you need it by?",
        ),
        (Role::Customer, "Everything by the 21st, please."),
    ]);
    let dues: Vec<Option<String>> = found.iter().map(|i| i.due.map(|d| d.to_string())).collect();
    assert_eq!(
        dues,
        vec![
            Some("2024-03-07".to_string()),
            Some("2024-03-21".to_string())
        ],
        "{found:?}"
    );
}

#[test]
fn work_said_in_other_shapes_is_found_and_talk_about_the_call_is_not() {
    let texts = |lines: &[(Role, &str)]| -> Vec<String> {
        items(lines).into_iter().map(|i| i.text).collect()
    };
    // Long objects handed over, a state promised, a run of work, a past-tense offer accepted.
    assert_eq!(
        texts(&[(
            Role::Rep,
            "So I'll get the SOC 2 report and the HIPAA attestation to you by end of day."
        )])
        .len(),
        1
    );
    assert_eq!(
        texts(&[(
            Role::Rep,
            "We'll have the telehandler and both lifts on site first thing Monday."
        )])
        .len(),
        1
    );
    assert_eq!(
        texts(&[(Role::Rep, "I'll run them against our standard playbook.")]).len(),
        1
    );
    // Inside the call, a description, a permission, a question for an answer.
    for line in [
        "Let's get back to the associates.",
        "Let me just check.",
        "Shall I quickly talk through the implementation plan?",
        "I'll share one thing on my screen.",
        "I'd add from my side that the panel was impressed.",
        "Something I can put in front of our COO.",
        "They let us publish the before and after.",
        "Which rooms would you put in the pilot?",
        "Sorry, I need to run back to the floor.",
    ] {
        assert!(texts(&[(Role::Rep, line)]).is_empty(), "{line}");
    }
    // An offer turned down with "I'd rather not" is no task.
    assert!(texts(&[
        (
            Role::Rep,
            "Could you send me a rough breakdown of your book?"
        ),
        (Role::Customer, "Um, I'd rather not share that yet."),
    ])
    .is_empty());
}

#[test]
fn a_date_corrected_inside_the_sentence_is_the_corrected_one() {
    let found = items(&[(
        Role::Customer,
        "we'll ship them back by the twenty sixth sorry the twenty seventh he's out on the twenty sixth",
    )]);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        found[0].due.map(|d| d.to_string()).as_deref(),
        Some("2024-03-27")
    );
}

#[test]
fn a_recap_turn_restates_the_items_instead_of_adding_new_ones() {
    let found = items(&[
        (
            Role::Rep,
            "Leave that with me. I'll confirm with our billing team how the December payrolls get charged and come back to you first thing Monday.",
        ),
        (Role::Customer, "That works."),
        (
            Role::Rep,
            "Okay. So just to recap, I'll come back on December billing first thing Monday.",
        ),
    ]);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].segment, 1);
}

#[test]
fn work_beside_a_busy_remark_an_unrelated_when_and_a_what_if_offer() {
    let found = items(&[(
        Role::Rep,
        "We're swamped right now, but I'll get you pricing by Friday.",
    )]);
    assert_eq!(found.len(), 1, "{found:?}");
    // A question about something else does not date the task.
    let found = items(&[
        (
            Role::Rep,
            "I'll send the deck Friday. When's your board meeting?",
        ),
        (Role::Customer, "The 21st."),
    ]);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        found[0].due.map(|d| d.to_string()).as_deref(),
        Some("2024-03-08")
    );
    let found = items(&[
        (Role::Rep, "What if I send you a draft of the SOW?"),
        (Role::Customer, "Sure, that'd be great, thanks."),
    ]);
    assert_eq!(found.len(), 1, "{found:?}");
}

#[test]
fn a_need_taken_on_without_a_verb_of_doing_is_the_takers() {
    let found = items(&[
        (
            Role::Customer,
            "We also need a summary of the uptime numbers for the board.",
        ),
        (Role::Rep, "Leave that with me."),
    ]);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        found[0].text,
        "Send a summary of the uptime numbers for the board"
    );
    assert_eq!(found[0].owner, "rep");
}

#[test]
fn the_speakers_next_cue_can_date_and_correct_a_task() {
    // Teams and Zoom cut one person's turn into cues; the date and its correction come after.
    let found = items(&[
        (
            Role::Customer,
            "Either way, our legal team will send a notice of non-renewal before the deadline.",
        ),
        (
            Role::Customer,
            "That has to be with you by March 15th. Sorry, March 14th.",
        ),
    ]);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].due, NaiveDate::from_ymd_opt(2024, 3, 14));
    // Someone else's reply is not the speaker's follow-up.
    let found = items(&[
        (Role::Rep, "I'll send the notice."),
        (Role::Customer, "By March 15th would be good."),
    ]);
    assert_eq!(found[0].due, None, "{found:?}");
}

#[test]
fn the_reply_to_a_turn_cut_into_cues_comes_after_all_of_them() {
    // The request and the rest of the asker's turn, then the reply that dates it.
    let found = items(&[
        (Role::Customer, "Can you send the security questionnaire?"),
        (Role::Customer, "Our CISO keeps asking about it."),
        (Role::Rep, "Sure, you'll have it by Friday."),
    ]);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].owner, "rep");
    assert_eq!(found[0].due, NaiveDate::from_ymd_opt(2024, 3, 8));
    // An offer in two cues, declined after the second.
    let found = items(&[
        (Role::Rep, "Want me to send the deck?"),
        (Role::Rep, "It has the pricing too."),
        (Role::Customer, "Thanks, but no need."),
    ]);
    assert!(found.is_empty(), "{found:?}");
}
