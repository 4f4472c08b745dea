//! The application layer both front ends call: a refused request captures nothing, text is
//! parsed once into typed decisions, the edited notice is the one shown everywhere, every error
//! code has a sentence in both of the UI's languages, a failed final pass is reported once, and
//! an export never mixes with other files.

use std::sync::Arc;

use zapis::app::{
    self, AppError, Devices, ErrorCode, LiveDecision, PersonDecision, RecordingStart,
};
use zapis::consent::{Language, Method, Participant};
use zapis::events::{Event, EventSink};
use zapis::settings::Settings;
use zapis::storage::{CallQuery, Library};

fn person(name: &str, decision: LiveDecision) -> PersonDecision {
    PersonDecision {
        participant: Participant::new(name.to_string(), None).unwrap(),
        decision,
    }
}

fn request(people: Vec<PersonDecision>) -> RecordingStart {
    RecordingStart {
        people,
        method: Method::OnScreen,
        notice_language: Language::En,
        title: None,
        transcription_language: None,
        model: None,
        devices: Devices::default(),
    }
}

fn silent_sink() -> EventSink {
    Arc::new(|_: Event| {})
}

#[test]
fn a_request_anyone_declined_is_refused_and_creates_nothing() {
    let data = tempfile::tempdir().unwrap();
    let mut library = app::open_library(data.path()).unwrap().library;
    let people = vec![
        person("Marko Rep", LiveDecision::Granted),
        person("Ana Buyer", LiveDecision::Declined),
    ];
    let refused = app::start_recording(&mut library, &request(people), silent_sink());
    let Err(error) = refused else {
        panic!("a declined request started recording");
    };
    assert_eq!(error.code(), ErrorCode::Declined);
    assert_eq!(
        error.to_string(),
        "Ana Buyer did not agree, so nothing is recorded"
    );
    assert!(library
        .list_calls(&CallQuery::default())
        .unwrap()
        .is_empty());
    // No call folder either: nothing was captured or prepared.
    let calls = data.path().join("calls");
    assert!(!calls.exists() || std::fs::read_dir(&calls).unwrap().next().is_none());

    let empty = app::start_recording(&mut library, &request(Vec::new()), silent_sink());
    assert!(matches!(empty, Err(AppError::NoParticipants)));
}

#[test]
fn a_decision_or_method_in_text_is_parsed_once_and_unknown_ones_are_errors() {
    assert_eq!(
        LiveDecision::parse("Ana", "granted"),
        Ok(LiveDecision::Granted)
    );
    assert_eq!(
        LiveDecision::parse("Ana", "declined"),
        Ok(LiveDecision::Declined)
    );
    for text in ["yes", "Granted", "", "opt_in"] {
        let error = AppError::from(LiveDecision::parse("Ana", text).unwrap_err());
        assert_eq!(error.code(), ErrorCode::UnknownDecision, "{text:?}");
        assert!(error.to_string().contains("nothing is recorded"), "{error}");
    }
    assert_eq!(Method::parse_live("verbal"), Ok(Method::Verbal));
    let error = AppError::from(Method::parse_live("telepathy").unwrap_err());
    assert_eq!(error.code(), ErrorCode::UnknownMethod);
}

#[test]
fn the_edited_notice_is_the_one_every_front_end_shows() {
    let data = tempfile::tempdir().unwrap();
    let mut library = Library::open(data.path()).unwrap();
    assert_eq!(
        app::current_notice(&library, Language::En).unwrap().text(),
        zapis::consent::Notice::builtin(Language::En).text()
    );
    let mut settings = Settings::load(&library).unwrap();
    settings.preferences.notice_text.en = Some("Acme records this call for our notes.".into());
    settings.save(&mut library).unwrap();
    drop(library);

    let library = Library::open(data.path()).unwrap();
    let notice = app::current_notice(&library, Language::En).unwrap();
    assert_eq!(notice.text(), "Acme records this call for our notes.");
    // Serbian has no edit, so it keeps the built-in text.
    assert_eq!(
        app::current_notice(&library, Language::SrLatn)
            .unwrap()
            .text(),
        zapis::consent::Notice::builtin(Language::SrLatn).text()
    );
    drop(library);

    // The CLI, asked to record without consent, shows that same edited notice.
    let out = assert_cmd::Command::cargo_bin("zapis")
        .unwrap()
        .arg("--data-dir")
        .arg(data.path())
        .args(["record", "--participant", "Marko Rep"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("Acme records this call for our notes."),
        "{stdout}"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains(notice.version()));
}

#[test]
fn every_error_code_has_a_sentence_in_both_ui_languages() {
    let root = env!("CARGO_MANIFEST_DIR");
    for file in ["ui/src/lib/i18n/en.ts", "ui/src/lib/i18n/sr-Latn.ts"] {
        let catalogue = std::fs::read_to_string(format!("{root}/{file}")).unwrap();
        let errors = &catalogue[catalogue.find("errors: {").expect(file)..];
        let errors = &errors[..errors.find("\n  },").expect(file)];
        for code in ErrorCode::ALL {
            assert!(
                errors.contains(&format!("'{}':", code.as_str())),
                "{file} has no sentence for {}",
                code.as_str()
            );
        }
    }
    let mut codes: Vec<&str> = ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
    codes.sort();
    codes.dedup();
    assert_eq!(codes.len(), ErrorCode::ALL.len(), "two errors share a code");
}

#[test]
fn the_cores_own_texts_follow_the_language_in_the_settings() {
    use zapis::notify::Notification;
    let ready = Notification::Ready {
        call_id: 7,
        title: "Acme pilot".into(),
        action_items: 3,
    };
    let (summary, body) = ready.summary_and_body(Language::SrLatn);
    assert_eq!(summary, "Transkript i uvidi su spremni");
    assert_eq!(
        body,
        "Acme pilot: zadaci za dalje: 3. Kliknite da otvorite poziv."
    );
    // Every notification differs between the two languages (none was left in English).
    let all = [
        Notification::Started {
            call_id: 1,
            consented: vec!["Ana".into()],
            system_audio: false,
        },
        Notification::Stopped { call_id: 1 },
        ready,
        Notification::Failed {
            call_id: None,
            message: "x".into(),
        },
        Notification::Purged { call_id: 1 },
    ];
    for n in &all {
        let (en, sr) = (
            n.summary_and_body(Language::En),
            n.summary_and_body(Language::SrLatn),
        );
        assert_ne!(en.0, sr.0, "{n:?}");
    }

    // Saving Serbian in the settings switches the process's language at once.
    let data = tempfile::tempdir().unwrap();
    let mut library = app::open_library(data.path()).unwrap().library;
    let mut settings = Settings::load(&library).unwrap();
    settings.preferences.language = "sr-Latn".into();
    app::save_settings(&mut library, &settings).unwrap();
    assert_eq!(zapis::locale::current(), Language::SrLatn);
    assert_eq!(
        zapis::locale::default_call_title(
            zapis::locale::current(),
            &["Ana".into(), "Marko".into()]
        ),
        "Poziv sa: Ana, Marko"
    );
    settings.preferences.language = "en".into();
    app::save_settings(&mut library, &settings).unwrap();
    assert_eq!(zapis::locale::current(), Language::En);
}

/// A recorded call whose final pass cannot run (no model is installed in the library).
fn call_with_audio_and_no_model(data: &std::path::Path) -> i64 {
    use zapis::storage::{CallSource, CallStatus, NewCall, NewParticipant, Role};
    let mut library = Library::open(data).unwrap();
    let audio = data.join("calls").join("1");
    std::fs::create_dir_all(&audio).unwrap();
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: 16_000,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut wav = hound::WavWriter::create(audio.join("mic.wav"), spec).unwrap();
    for _ in 0..16_000 {
        wav.write_sample(0i16).unwrap();
    }
    wav.finalize().unwrap();
    library
        .create_call(&NewCall {
            title: "Pilot review".into(),
            started_at: chrono::Utc::now(),
            language: "en".into(),
            source: CallSource::Recorded,
            status: CallStatus::Processing,
            audio_dir: Some(audio),
            participants: vec![NewParticipant {
                name: "Ana".into(),
                email: None,
                role: Role::Rep,
            }],
        })
        .unwrap()
}

#[test]
fn a_final_pass_that_fails_is_reported_once_and_keeps_the_recording() {
    let data = tempfile::tempdir().unwrap();
    let call_id = call_with_audio_and_no_model(data.path());
    let events = std::sync::Mutex::new(Vec::new());
    let sink = |e: Event| events.lock().unwrap().push(e);
    let error = app::finish_call_at(data.path(), call_id, &sink).unwrap_err();
    assert_eq!(error.code(), ErrorCode::ModelNotInstalled);
    let events = events.into_inner().unwrap();
    let errors: Vec<&Event> = events
        .iter()
        .filter(|e| matches!(e, Event::Error { .. }))
        .collect();
    assert_eq!(errors.len(), 1, "{events:?}");
    assert!(matches!(errors[0], Event::Error { fatal: true, .. }));
    assert!(events.iter().any(|e| matches!(
        e,
        Event::State {
            state: zapis::events::SessionState::Failed,
            ..
        }
    )));
    let library = Library::open(data.path()).unwrap();
    let call = library.call(call_id).unwrap();
    assert_eq!(call.summary.status, zapis::storage::CallStatus::Failed);
    let kept = app::audio_track(&library, call_id, zapis::storage::Role::Rep).unwrap();
    assert_eq!(kept, Some(data.path().join("calls/1/mic.wav")));
    assert_eq!(
        app::audio_track(&library, call_id, zapis::storage::Role::Customer).unwrap(),
        None,
        "no system audio was recorded"
    );
}

#[test]
fn a_library_that_cannot_be_opened_is_reported_to_whoever_waits_for_events() {
    let data = tempfile::tempdir().unwrap();
    // A file where the library's folder should be.
    let blocked = data.path().join("zapis");
    std::fs::write(&blocked, b"not a folder").unwrap();
    let events = std::sync::Mutex::new(Vec::new());
    let sink = |e: Event| events.lock().unwrap().push(e);
    assert!(app::finish_call_at(&blocked, 1, &sink).is_err());
    let events = events.into_inner().unwrap();
    assert_eq!(
        events
            .iter()
            .filter(|e| matches!(e, Event::Error { fatal: true, .. }))
            .count(),
        1,
        "{events:?}"
    );
}

/// Imports a one-line transcript (Ana saying `line`) as a call; returns its id.
fn import_line(library: &mut zapis::storage::Library, dir: &std::path::Path, line: &str) -> i64 {
    let transcript = dir.join("call.vtt");
    std::fs::write(
        &transcript,
        format!("WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Ana>{line}\n"),
    )
    .unwrap();
    let request = app::ImportRequest {
        options: zapis::import::ImportOptions {
            consent_confirmed: true,
            ..Default::default()
        },
        ..Default::default()
    };
    app::import_file(library, &transcript, &request, &mut |_| {})
        .unwrap()
        .call_id
}

#[test]
fn the_whole_library_exports_into_a_new_folder_and_never_into_a_used_one() {
    let data = tempfile::tempdir().unwrap();
    let mut library = app::open_library(data.path()).unwrap().library;
    import_line(
        &mut library,
        data.path(),
        "We will send the proposal by Friday.",
    );

    let parent = tempfile::tempdir().unwrap();
    let subject = zapis::privacy::Subject::Everyone;
    let first = app::export_data(
        &library,
        &subject,
        app::Destination::NewFolderIn(parent.path()),
    )
    .unwrap();
    assert_eq!(first.folder, parent.path().join("zapis-library"));
    assert_eq!(first.data.calls.len(), 1);
    assert!(first.folder.join("data.json").is_file());
    assert!(first.folder.join("report.md").is_file());
    let second = app::export_data(
        &library,
        &subject,
        app::Destination::NewFolderIn(parent.path()),
    )
    .unwrap();
    assert_eq!(second.folder, parent.path().join("zapis-library-2"));

    // A named folder that already holds something is refused, and left as it was.
    let error =
        app::export_data(&library, &subject, app::Destination::Folder(&first.folder)).unwrap_err();
    assert_eq!(error.code(), ErrorCode::ExportFailed);
    let mut left: Vec<String> = std::fs::read_dir(&first.folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    // No audio in an imported transcript, so no audio/ folder.
    assert_eq!(left, ["data.json", "report.md"]);
}

#[test]
fn the_final_pass_uses_its_own_model_when_the_settings_name_one() {
    let data = tempfile::tempdir().unwrap();
    let call_id = call_with_audio_and_no_model(data.path());
    let mut library = Library::open(data.path()).unwrap();
    let options = app::finish_options(&library, call_id, None).unwrap();
    assert_eq!(options.model, "tiny.en", "by default the live model");

    let mut settings = Settings::load(&library).unwrap();
    settings.preferences.final_model = Some("small".into());
    app::save_settings(&mut library, &settings).unwrap();
    let options = app::finish_options(&library, call_id, None).unwrap();
    assert_eq!(options.model, "small");
    let options = app::finish_options(&library, call_id, Some("base")).unwrap();
    assert_eq!(options.model, "base", "a caller's model wins");

    // Not installed: the final pass says so, names the model, and keeps the recording.
    let error = app::finish_call(&mut library, call_id, None, &|_| {}).unwrap_err();
    assert_eq!(error.code(), ErrorCode::ModelNotInstalled);
    assert!(error.to_string().contains("small"), "{error}");
    assert_eq!(
        library.call_summary(call_id).unwrap().transcribed_with,
        None
    );
}

/// Both front ends change an action item through the application layer; a change of nothing
/// is refused there, with the item named, rather than passing silently.
#[test]
fn an_action_item_change_goes_through_the_app_layer_and_an_empty_one_is_refused() {
    let data = tempfile::tempdir().unwrap();
    let mut library = app::open_library(data.path()).unwrap().library;
    let call_id = import_line(
        &mut library,
        data.path(),
        "I will send you the proposal by Friday.",
    );
    let item = library.action_items(call_id).unwrap()[0].id;

    let nothing = zapis::storage::ActionItemUpdate::default();
    let error = app::update_action_item(&mut library, item, &nothing).unwrap_err();
    assert_eq!(error.code(), ErrorCode::InvalidInput);
    assert!(
        error.to_string().contains(&format!("item {item}")),
        "{error}"
    );
    assert!(!library.action_items(call_id).unwrap()[0].done);

    let done = zapis::storage::ActionItemUpdate {
        done: Some(true),
        ..Default::default()
    };
    assert!(
        app::update_action_item(&mut library, item, &done)
            .unwrap()
            .done
    );
}
