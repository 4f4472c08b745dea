//! Helpers shared by the integration tests.
#![allow(dead_code)]

use chrono::{TimeZone, Utc};
use std::path::Path;
use zapis::storage::*;

pub fn sample_call(title: &str, day: u32) -> NewCall {
    NewCall {
        title: title.into(),
        started_at: Utc.with_ymd_and_hms(2026, 3, day, 14, 30, 0).unwrap(),
        language: "en".into(),
        source: CallSource::ImportedTranscript,
        status: CallStatus::Ready,
        audio_dir: None,
        participants: vec![
            NewParticipant {
                name: "Rita Rep".into(),
                email: Some("rita@zapis.example".into()),
                role: Role::Rep,
            },
            NewParticipant {
                name: "Carl Customer".into(),
                email: Some("carl@acme.example".into()),
                role: Role::Customer,
            },
        ],
    }
}

pub fn segment(role: Role, start_s: i64, text: &str) -> NewSegment {
    NewSegment {
        speaker: match role {
            Role::Rep => "Rita Rep".into(),
            Role::Customer => "Carl Customer".into(),
        },
        role,
        start_ms: start_s * 1000,
        end_ms: start_s * 1000 + 4000,
        text: text.into(),
        confidence: Some(0.9),
    }
}

/// A library with one call holding a short transcript; returns the call id.
pub fn library_with_call(dir: &Path, title: &str, lines: &[&str]) -> (Library, i64) {
    let mut library = Library::open(dir).unwrap();
    let id = library.create_call(&sample_call(title, 2)).unwrap();
    let segments: Vec<NewSegment> = lines
        .iter()
        .enumerate()
        .map(|(i, text)| {
            let role = if i % 2 == 0 {
                Role::Rep
            } else {
                Role::Customer
            };
            segment(role, i as i64 * 5, text)
        })
        .collect();
    library.append_segments(id, &segments).unwrap();
    (library, id)
}

pub fn zapis(data_dir: &Path) -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("zapis").unwrap();
    cmd.arg("--data-dir")
        .arg(data_dir)
        .env_remove("ZAPIS_DATA_DIR");
    cmd
}
