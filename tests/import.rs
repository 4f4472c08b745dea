//! `zapis import` of transcripts (and, with the model, of a two-channel recording) through the CLI.

mod common;
mod support;

use common::zapis;
use predicates::prelude::*;
use serde_json::Value;
use std::path::Path;
use std::process::Command;

fn fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/calls")
        .join(name)
}

/// A Zoom export carries no language tag: without --language, a Serbian call is analysed as
/// Serbian (its action items and due dates found), and an English one stays English.
#[test]
fn an_imported_transcript_is_analysed_in_the_language_of_its_words() {
    let dir = tempfile::tempdir().unwrap();
    let serbian = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/calls_dev_voices/06_kontira_demo_agromlin.vtt");
    for (file, language) in [
        (serbian, "sr-Latn"),
        (fixture("03_pricing_negotiation.vtt"), "en"),
    ] {
        let out = zapis(dir.path())
            .args([
                "import",
                "--consent-confirmed",
                "--date",
                "2025-04-07",
                "--json",
            ])
            .arg(&file)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let call: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(call["language"], language, "{}", file.display());
        let items = call["action_items"].as_array().unwrap();
        assert!(!items.is_empty(), "{}", file.display());
        assert!(call["insights"]["sentiment"]["customer"]["label"].is_string());
        if language == "sr-Latn" {
            // "…biće kod vas do petka" on Monday 7 April 2025.
            assert!(items.iter().any(|a| a["due"] == "2025-04-11"), "{items:?}");
        }
    }
}

#[test]
fn a_teams_transcript_becomes_a_call_with_insights() {
    let dir = tempfile::tempdir().unwrap();
    let out = zapis(dir.path())
        .args([
            "import",
            "--consent-confirmed",
            "--date",
            "2026-03-02",
            "--json",
        ])
        .args(["--participant", "Tom Becker <tom@acme.example>"])
        .arg(fixture("03_pricing_negotiation.vtt"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let call: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(call["source"], "imported-transcript");
    assert_eq!(call["started_at"], "2026-03-02T00:00:00Z");
    assert!(call["transcript"].as_array().unwrap().len() > 10);
    let rep = call["people"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["role"] == "rep")
        .unwrap();
    assert_eq!(
        rep["name"], call["transcript"][0]["speaker"],
        "the first speaker is the rep by default"
    );
    assert!(call["people"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["email"] == "tom@acme.example"));
    assert!(call["consent"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["method"] == "imported"));
    assert!(!call["insights"]["summary"].as_array().unwrap().is_empty());
    assert!(!call["action_items"].as_array().unwrap().is_empty());
    let id = call["id"].to_string();
    zapis(dir.path())
        .args(["calls", "list", "--search", "CFO"])
        .assert()
        .success()
        .stdout(predicate::str::contains("03 pricing negotiation"));
    zapis(dir.path())
        .args(["insights", &id])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("Talk metrics")
                // No sentence model in this library: the items say how they were found.
                .and(predicate::str::contains("found by the rules alone")),
        );
}

#[test]
fn importing_needs_consent_and_a_valid_transcript() {
    let dir = tempfile::tempdir().unwrap();
    zapis(dir.path())
        .arg("import")
        .arg(fixture("03_pricing_negotiation.vtt"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("--consent-confirmed"));
    let bad = dir.path().join("broken.vtt");
    std::fs::write(&bad, "WEBVTT\n\n00:00:01.000 --> 00:00:0x.000\nhello\n").unwrap();
    zapis(dir.path())
        .args(["import", "--consent-confirmed"])
        .arg(&bad)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("broken.vtt").and(predicate::str::contains("line 3")));
    zapis(dir.path())
        .args(["import", "--consent-confirmed", "--rep", "Nobody"])
        .arg(fixture("03_pricing_negotiation.vtt"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("is not a speaker"));
    assert!(
        zapis::storage::Library::open(dir.path())
            .unwrap()
            .call_count()
            .unwrap()
            == 0,
        "nothing half-imported"
    );
}

#[test]
fn a_two_channel_recording_is_transcribed_per_side() {
    let Some(model) = support::recording::model_fixture() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    zapis(dir.path())
        .args(["model", "add", "--name", "tiny.en"])
        .arg(&model)
        .assert()
        .success();
    let wav = |name: &str, text: &str| {
        let path = dir.path().join(name);
        assert!(Command::new("espeak-ng")
            .arg("-w")
            .arg(&path)
            .arg(text)
            .status()
            .unwrap()
            .success());
        path
    };
    let rep = wav("rep.wav", "I will send you the contract on Monday.");
    let customer = wav(
        "customer.wav",
        "Our legal team needs two weeks to review it.",
    );
    let (rep_padded, customer_padded, call) = (
        dir.path().join("r.wav"),
        dir.path().join("c.wav"),
        dir.path().join("call.wav"),
    );
    assert!(Command::new("sox")
        .arg(&rep)
        .arg(&rep_padded)
        .args(["pad", "0", "5"])
        .status()
        .unwrap()
        .success());
    assert!(Command::new("sox")
        .arg(&customer)
        .arg(&customer_padded)
        .args(["pad", "4", "0"])
        .status()
        .unwrap()
        .success());
    assert!(Command::new("sox")
        .arg("-M")
        .arg(&rep_padded)
        .arg(&customer_padded)
        .arg(&call)
        .status()
        .unwrap()
        .success());

    // `model add` was the first command: the data folder it made is private all the same.
    assert_eq!(mode(dir.path()), 0o700, "data folder");
    // What an import killed before its commit leaves under the id the next call will get.
    let stray = dir.path().join("calls").join("1");
    std::fs::create_dir_all(&stray).unwrap();
    std::fs::write(stray.join("someone-else.wav"), b"RIFF").unwrap();

    let out = zapis(dir.path())
        .args([
            "import",
            "--consent-confirmed",
            "--json",
            "--participant",
            "Rita Rep",
            "--participant",
            "Dana <dana@acme.example>",
        ])
        .arg(&call)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stored: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(stored["source"], "imported-audio");
    let side = |role: &str| -> String {
        stored["transcript"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| s["role"] == role)
            .map(|s| s["text"].as_str().unwrap().to_lowercase())
            .collect()
    };
    assert!(side("rep").contains("contract"), "rep: {}", side("rep"));
    assert!(
        side("customer").contains("legal"),
        "customer: {}",
        side("customer")
    );
    assert_eq!(stored["transcript"][1]["speaker"], "Dana");
    let audio_dir = Path::new(stored["audio_dir"].as_str().unwrap()).to_path_buf();
    let files: Vec<String> = std::fs::read_dir(&audio_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(files, ["call.wav"], "only this call's audio, copied in");
    assert_eq!(mode(&audio_dir), 0o700, "call folder");
    assert_eq!(mode(&audio_dir.join("call.wav")), 0o600, "recording");

    let id = stored["id"].as_i64().unwrap().to_string();
    zapis(dir.path())
        .args(["calls", "delete", &id])
        .assert()
        .success();
    assert!(!audio_dir.exists(), "delete removes the call's folder");
}

fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// Imports a transcript through the CLI and returns the call as JSON.
fn import_json(data: &Path, file: &Path, extra: &[&str]) -> Value {
    let out = zapis(data)
        .args(["import", "--consent-confirmed", "--json"])
        .args(extra)
        .arg(file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Two string fields of each object in an array of the call's JSON.
fn pairs(list: &Value, first: &str, second: &str) -> Vec<(String, String)> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o[first].as_str().unwrap().to_string(),
                o[second].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn transcript(call: &Value) -> Vec<(String, String)> {
    pairs(&call["transcript"], "speaker", "text")
}

#[test]
fn a_literal_less_than_keeps_the_rest_of_the_cue() {
    let dir = tempfile::tempdir().unwrap();
    let vtt = dir.path().join("lt.vtt");
    std::fs::write(
        &vtt,
        "WEBVTT\n\n1\n00:00:01.000 --> 00:00:03.000\n<v Ana>The price < 100 per seat works.</v>\n\n\
         2\n00:00:03.000 --> 00:00:05.000\n<v Bob>I <3 this, and a<=b too</v>\n\n\
         3\n00:00:05.000 --> 00:00:07.000\n<v Ana>Write &amp;lt; for <i>&lt;</i> <00:00:06.000>ok</v>\n",
    )
    .unwrap();
    let texts: Vec<String> = transcript(&import_json(dir.path(), &vtt, &[]))
        .into_iter()
        .map(|(_, t)| t)
        .collect();
    assert_eq!(
        texts,
        [
            "The price < 100 per seat works.",
            "I <3 this, and a<=b too",
            "Write &lt; for < ok"
        ]
    );

    let srt = dir.path().join("lt.srt");
    std::fs::write(
        &srt,
        "1\n00:00:01,000 --> 00:00:03,000\nAna: The price < 100 per seat <i>works</i>.\n\n\
         2\n00:00:03,000 --> 00:00:05,000\nBob: I <3 this <font color=\"red\">a lot</font>\n\n\
         3\n00:00:05,000 --> 00:00:06,000\nAna: ok\n\n4\n00:00:06,000 --> 00:00:07,000\nBob: fine\n",
    )
    .unwrap();
    let lines = transcript(&import_json(dir.path(), &srt, &[]));
    assert_eq!(
        lines[..2],
        [
            ("Ana".into(), "The price < 100 per seat works.".into()),
            ("Bob".into(), "I <3 this a lot".into())
        ]
    );
}

/// A Zoom export with 15 speakers written the ways Zoom writes them: organisations in parentheses
/// or after a pipe, emoji, double spaces; one guest speaks once; one line has a colon but no
/// speaker.
#[test]
fn zoom_labels_with_organisations_and_emoji_are_speakers() {
    let speakers = [
        ("Ana Jović (Acme d.o.o.)", "Ana Jović (Acme d.o.o.)"),
        ("Bob Stone | Globex", "Bob Stone | Globex"),
        (
            "Đorđe  Šćepanović (Nordlicht)",
            "Đorđe Šćepanović (Nordlicht)",
        ),
        ("🎧 Dana Lee (Hooli)", "🎧 Dana Lee (Hooli)"),
        ("Erik 🚀 Berg (Initech)", "Erik 🚀 Berg (Initech)"),
        (
            "Fatima Al-Sayed (Umbrella GmbH)",
            "Fatima Al-Sayed (Umbrella GmbH)",
        ),
        ("Gao Wei | Hooli", "Gao Wei | Hooli"),
        ("hana novak (Soylent)", "hana novak (Soylent)"),
        (
            "Ivan O'Neil (Stark Industries)",
            "Ivan O'Neil (Stark Industries)",
        ),
        (
            "J.P. Morgan-Smith | Wayne Ent.",
            "J.P. Morgan-Smith | Wayne Ent.",
        ),
        ("Kim Ng", "Kim Ng"),
        (
            "Lena Fischer (Umbrella GmbH)",
            "Lena Fischer (Umbrella GmbH)",
        ),
        ("Marko Petrović  |  Nordlicht", "Marko Petrović | Nordlicht"),
        ("Nina 😀", "Nina 😀"),
    ];
    let mut vtt = String::from("WEBVTT\n");
    let mut expected: Vec<(String, String)> = Vec::new();
    let cue = |vtt: &mut String, payload: &str| {
        let n = vtt.matches(" --> ").count();
        vtt.push_str(&format!(
            "\n{}\n00:{:02}:{:02}.000 --> 00:{:02}:{:02}.500\n{payload}\n",
            n + 1,
            n / 60,
            n % 60,
            n / 60,
            n % 60
        ));
    };
    for round in 0..3 {
        for (i, (written, name)) in speakers.iter().enumerate() {
            let text = format!("Point {round}.{i}: the plan is simple, we ship.");
            cue(&mut vtt, &format!("{written}: {text}"));
            expected.push((name.to_string(), text));
        }
    }
    // A guest who speaks once, written the way the others are.
    cue(&mut vtt, "Zed Ali (Initech): Thanks, bye all.");
    expected.push(("Zed Ali (Initech)".into(), "Thanks, bye all.".into()));
    // A colon that is not a speaker: "Note" starts no other cue.
    cue(&mut vtt, "Note: we need a budget line for this.");
    cue(&mut vtt, "Kim Ng: Agreed.");
    expected.push(("Kim Ng".into(), "Agreed.".into()));

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("zoom.vtt");
    std::fs::write(&path, &vtt).unwrap();
    let call = import_json(dir.path(), &path, &[]);
    let got = transcript(&call);
    let note = got
        .iter()
        .position(|(_, t)| t == "Note: we need a budget line for this.")
        .expect("the Note line is kept whole");
    let mut without_note = got.clone();
    without_note.remove(note);
    assert_eq!(without_note, expected);
    assert_eq!(
        call["people"].as_array().unwrap().len(),
        15,
        "{:?}",
        call["people"]
    );
    assert!(!call["people"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["name"] == "Note"));
}

/// UTF-16 with a byte-order mark, as Windows tools save subtitles.
fn utf16le_with_bom(text: &str) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    bytes
}

#[test]
fn utf16_transcripts_are_read_and_the_encoding_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let vtt = dir.path().join("teams.vtt");
    std::fs::write(
        &vtt,
        utf16le_with_bom(
            "WEBVTT\r\n\r\n1\r\n00:00:01.000 --> 00:00:03.000\r\n<v Đorđe Šćepanović>Dobar dan, čujete li me?</v>\r\n\r\n\
             2\r\n00:00:03.000 --> 00:00:05.000\r\n<v Ana>Da, odlično.</v>\r\n",
        ),
    )
    .unwrap();
    let call = import_json(dir.path(), &vtt, &[]);
    assert_eq!(
        transcript(&call),
        [
            ("Đorđe Šćepanović".into(), "Dobar dan, čujete li me?".into()),
            ("Ana".into(), "Da, odlično.".into())
        ]
    );
    assert_eq!(call["encoding"]["name"], "UTF-16LE");
    assert_eq!(call["encoding"]["detected_by"], "byte-order-mark");

    let srt = dir.path().join("zoom.srt");
    std::fs::write(
        &srt,
        utf16le_with_bom(
            "1\r\n00:00:01,000 --> 00:00:03,000\r\nJosé Müller: Grüß Gott, ça va?\r\n\r\n\
             2\r\n00:00:03,000 --> 00:00:05,000\r\nAna: Très bien.\r\n",
        ),
    )
    .unwrap();
    let out = zapis(dir.path())
        .args(["import", "--consent-confirmed"])
        .arg(&srt)
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains("Read the transcript as UTF-16LE (from its byte-order mark)"),
        "{stdout}"
    );
    let id = stdout
        .strip_prefix("Imported call ")
        .and_then(|rest| rest.split(':').next())
        .unwrap();
    let out = zapis(dir.path())
        .args(["calls", "show", id, "--json"])
        .output()
        .unwrap();
    let shown: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        transcript(&shown)[0],
        ("José Müller".into(), "Grüß Gott, ça va?".into())
    );
}

#[test]
fn a_forced_encoding_is_used_and_an_unknown_one_refused() {
    let dir = tempfile::tempdir().unwrap();
    let srt = dir.path().join("sr.srt");
    let (bytes, _, _) = encoding_rs::WINDOWS_1250.encode(
        "1\n00:00:01,000 --> 00:00:02,000\nČedomir Žarković: Ćao, šta ima?\n\n\
         2\n00:00:02,000 --> 00:00:03,000\nAna: Evo, radim.\n",
    );
    std::fs::write(&srt, &bytes).unwrap();
    let call = import_json(dir.path(), &srt, &["--encoding", "windows-1250"]);
    assert_eq!(
        transcript(&call)[0],
        ("Čedomir Žarković".into(), "Ćao, šta ima?".into())
    );
    assert_eq!(call["encoding"]["name"], "windows-1250");
    assert_eq!(call["encoding"]["detected_by"], "forced");
    zapis(dir.path())
        .args(["import", "--consent-confirmed", "--encoding", "klingon"])
        .arg(&srt)
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "\"klingon\" is not an encoding name",
        ));
    // Forced UTF-8 on Windows-1250 bytes: refused with the line, not read with replacement marks.
    zapis(dir.path())
        .args(["import", "--consent-confirmed", "--encoding", "utf-8"])
        .arg(&srt)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("line 3").and(predicate::str::contains("UTF-8")));
}

fn write_encoded(path: &Path, encoding: &'static encoding_rs::Encoding, text: &str) {
    let (bytes, _, unmappable) = encoding.encode(text);
    assert!(!unmappable, "{text} fits {}", encoding.name());
    std::fs::write(path, &bytes).unwrap();
}

#[test]
fn excel_csvs_in_windows_code_pages_are_read_and_named() {
    let dir = tempfile::tempdir().unwrap();
    let western = dir.path().join("western.csv");
    write_encoded(
        &western,
        encoding_rs::WINDOWS_1252,
        "First Name;Last Name;Email;Company\r\nJosé;Müller;jose.mueller@acme.example;Café Crème SARL\r\n",
    );
    zapis(dir.path())
        .args(["contacts", "import"])
        .arg(&western)
        .assert()
        .success()
        .stdout(predicate::str::contains("windows-1252"));
    let serbian = dir.path().join("serbian.csv");
    write_encoded(
        &serbian,
        encoding_rs::WINDOWS_1250,
        "First Name,Last Name,Email,Company\r\n\
         Đorđe,Šćepanović,djordje@nordlicht.example,Nordlicht d.o.o.\r\n\
         Čedomir,Žarković,cedomir@zitoprodukt.example,Žitoprodukt a.d.\r\n",
    );
    let out = zapis(dir.path())
        .args(["contacts", "import", "--json"])
        .arg(&serbian)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["imported"], 2);
    assert_eq!(r["encoding"]["name"], "windows-1250");
    let out = zapis(dir.path())
        .args(["contacts", "list", "--json"])
        .output()
        .unwrap();
    let contacts: Value = serde_json::from_slice(&out.stdout).unwrap();
    let names: Vec<&str> = contacts
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    for name in ["José Müller", "Đorđe Šćepanović", "Čedomir Žarković"] {
        assert!(names.contains(&name), "{name} in {names:?}");
    }
    let accounts = contacts.to_string();
    assert!(accounts.contains("Café Crème SARL") && accounts.contains("Žitoprodukt a.d."));
}

#[test]
fn a_csv_with_an_unterminated_quote_is_rejected_whole() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("quote.csv");
    std::fs::write(
        &csv,
        "First Name,Last Name,Email,Company\n\
         Ana,Kovač,ana.kovac@acme.example,\"Acme\n\
         Bob,Stone,bob.stone@globex.example,Globex\n\
         Cara,Diaz,cara.diaz@initech.example,Initech\n",
    )
    .unwrap();
    zapis(dir.path())
        .args(["contacts", "import"])
        .arg(&csv)
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("line 2, column 4")
                .and(predicate::str::contains("nothing was imported")),
        );
    assert!(zapis::storage::Library::open(dir.path())
        .unwrap()
        .contacts(None)
        .unwrap()
        .is_empty());
}

#[test]
fn csv_exports_do_not_carry_formulas() {
    let dir = tempfile::tempdir().unwrap();
    let vtt = dir.path().join("evil.vtt");
    std::fs::write(
        &vtt,
        "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v @Mallory>I will send you the contract on Monday.</v>\n\n\
         00:00:05.000 --> 00:00:08.000\n<v +cmd|' /C calc'!A0>Please send the =1+1 pricing by Friday.</v>\n",
    )
    .unwrap();
    let call = import_json(
        dir.path(),
        &vtt,
        &["--title", "=HYPERLINK(\"http://evil.example\",\"Open\")"],
    );
    let out = zapis(dir.path())
        .args([
            "calls",
            "export",
            &call["id"].to_string(),
            "--format",
            "csv",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let csv = String::from_utf8(out.stdout).unwrap();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(csv.as_bytes());
    for record in reader.records() {
        for cell in record.unwrap().iter() {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{cell:?} in\n{csv}"
            );
        }
    }
    assert!(
        csv.contains("\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"Open\"\")\""),
        "{csv}"
    );
}

/// A Zoom export where the customer speaks first and two sellers are on the call: who is on the
/// rep's side is said once (at import, or afterwards in the call), the insights follow, and the
/// next import of the same people needs nothing.
#[test]
fn a_second_seller_is_put_on_the_reps_side_and_remembered_for_the_next_import() {
    let dir = tempfile::tempdir().unwrap();
    let transcript = dir.path().join("kickoff.vtt");
    std::fs::write(
        &transcript,
        "WEBVTT\n\n\
         00:00:01.000 --> 00:00:04.000\n<v Dana Buyer>Hi both, thanks for having us today.\n\n\
         00:00:05.000 --> 00:00:09.000\n<v Ana Rep>Great to see you. I'll send you the proposal by Friday.\n\n\
         00:00:10.000 --> 00:00:14.000\n<v Marko SE>And I will set up the sandbox for your team tomorrow.\n\n\
         00:00:15.000 --> 00:00:19.000\n<v Dana Buyer>Perfect. I'll check the budget with our CFO next week.\n",
    )
    .unwrap();
    let import = || import_json(dir.path(), &transcript, &["--date", "2026-12-07"]);
    let sides = |call: &Value| pairs(&call["people"], "name", "role");
    let owners = |call: &Value| pairs(&call["action_items"], "text", "owner");
    let expected_sides = vec![
        ("Dana Buyer".to_string(), "customer".to_string()),
        ("Ana Rep".to_string(), "rep".to_string()),
        ("Marko SE".to_string(), "rep".to_string()),
    ];

    // Nothing said and nothing remembered: the first speaker is taken for the rep, wrongly here.
    let first = import();
    assert_eq!(sides(&first)[0], ("Dana Buyer".into(), "rep".into()));
    let id = first["id"].as_i64().unwrap().to_string();
    // Put right in the call, by any spelling of the names; the rep's side never goes empty.
    zapis(dir.path())
        .args(["calls", "side", &id, "Dana Buyer", "customer"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("only speaker on your side"));
    zapis(dir.path())
        .args(["calls", "side", &id, "ana rep", "rep"])
        .assert()
        .success();
    zapis(dir.path())
        .args(["calls", "side", &id, "Dana", "customer"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "its speakers are Dana Buyer, Ana Rep, Marko SE",
        ));
    zapis(dir.path())
        .args(["calls", "side", &id, "Dana Buyer", "customer"])
        .assert()
        .success();
    zapis(dir.path())
        .args(["calls", "side", &id, "Marko SE", "rep"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Marko SE: your side"));
    let fixed: Value = serde_json::from_slice(
        &zapis(dir.path())
            .args(["calls", "show", &id, "--json"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert_eq!(sides(&fixed), expected_sides);
    let fixed_owners = owners(&fixed);
    assert!(
        fixed_owners.contains(&("Set up the sandbox for your team".into(), "rep".into())),
        "{fixed_owners:?}"
    );
    assert!(
        fixed_owners.contains(&("Check the budget with our CFO".into(), "customer".into())),
        "{fixed_owners:?}"
    );
    let roles: Vec<&str> = fixed["transcript"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["role"].as_str().unwrap())
        .collect();
    assert_eq!(roles, ["customer", "rep", "rep", "customer"]);

    // The next import of the same people: remembered, as the transcript spells them.
    let again = import();
    assert_eq!(sides(&again), expected_sides);

    // An item the user already ticked off moves side with its speaker too.
    let again_id = again["id"].as_i64().unwrap().to_string();
    let sandbox = again["action_items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["text"] == "Set up the sandbox for your team")
        .unwrap()["id"]
        .as_i64()
        .unwrap()
        .to_string();
    zapis(dir.path())
        .args(["calls", "item", &sandbox, "--done"])
        .assert()
        .success();
    zapis(dir.path())
        .args(["calls", "side", &again_id, "Marko SE", "customer"])
        .assert()
        .success();
    let moved: Value = serde_json::from_slice(
        &zapis(dir.path())
            .args(["calls", "show", &again_id, "--json"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert!(
        owners(&moved).contains(&("Set up the sandbox for your team".into(), "customer".into())),
        "{:?}",
        owners(&moved)
    );
    // Put on the customer's side, Marko is forgotten: a later import has only Ana on the rep's.
    let later = import();
    assert_eq!(sides(&later)[2], ("Marko SE".into(), "customer".into()));
    assert_eq!(sides(&later)[1], ("Ana Rep".into(), "rep".into()));

    // Said at import in a fresh library: both sellers, and remembered from there.
    let other = tempfile::tempdir().unwrap();
    let both = import_json(
        other.path(),
        &transcript,
        &["--rep", "ana rep", "--rep", "Marko SE"],
    );
    assert_eq!(sides(&both), expected_sides);
    let remembered = zapis::storage::Library::open(other.path())
        .unwrap()
        .seller_side_names()
        .unwrap();
    assert_eq!(remembered, ["Ana Rep", "Marko SE"]);
}

/// Subtitles with no speaker names (a dictated note, an SRT from a video tool): every line is
/// the rep's, as before sides were remembered.
#[test]
fn a_transcript_without_speaker_names_is_the_reps() {
    let dir = tempfile::tempdir().unwrap();
    let srt = dir.path().join("note.srt");
    std::fs::write(
        &srt,
        "1\n00:00:01,000 --> 00:00:04,000\nI will send the proposal on Friday.\n\n\
         2\n00:00:05,000 --> 00:00:08,000\nAnd book the demo for their team.\n",
    )
    .unwrap();
    let call = import_json(dir.path(), &srt, &[]);
    let roles: Vec<&str> = call["transcript"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["role"].as_str().unwrap())
        .collect();
    assert_eq!(roles, ["rep", "rep"]);
}
