//! Damaged models and unusable audio must give clear errors, never a panic or abort.

mod whisper_support;

use whisper_support::{data, fixture, write_wav};
use zapis::model::ModelError;
use zapis::transcribe::audio::{read_all, AudioReader};
use zapis::transcribe::{
    transcribe_file, AudioError, ChannelMode, Engine, Options, SpokenLanguage, TranscribeError,
};

fn load_err(path: &std::path::Path) -> TranscribeError {
    match Engine::load(path) {
        Ok(_) => panic!("{} loaded", path.display()),
        Err(e) => e,
    }
}

#[test]
fn truncated_model_is_refused_before_whisper_sees_it() {
    let Some(model) = fixture("ZAPIS_TEST_MODEL") else {
        return;
    };
    let bytes = std::fs::read(&model).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    for keep in [bytes.len() - 1, bytes.len() / 2, 4000, 50] {
        let cut = tmp.path().join("cut.bin");
        std::fs::write(&cut, &bytes[..keep]).unwrap();
        let err = load_err(&cut);
        assert!(
            matches!(err, TranscribeError::Model(ModelError::BadGgml { .. })),
            "{keep} bytes: {err:?}"
        );
        assert!(err.to_string().contains("cut.bin"), "{err}");
    }
}

#[test]
fn garbage_and_missing_models_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let junk = tmp.path().join("junk.bin");
    std::fs::write(
        &junk,
        (0..100_000u32)
            .map(|i| (i * 31 % 251) as u8)
            .collect::<Vec<_>>(),
    )
    .unwrap();
    let err = load_err(&junk);
    assert!(err.to_string().contains("wrong magic"), "{err}");

    // Right magic, absurd hyper-parameters.
    let mut fake = 0x6767_6d6cu32.to_le_bytes().to_vec();
    fake.extend([7i32; 11].iter().flat_map(|v| v.to_le_bytes()));
    std::fs::write(&junk, &fake).unwrap();
    assert!(load_err(&junk).to_string().contains("hyper-parameters"));

    let err = load_err(&tmp.path().join("absent.bin"));
    assert!(
        matches!(err, TranscribeError::Model(ModelError::Io { .. })),
        "{err:?}"
    );
}

#[test]
fn english_only_model_refuses_other_languages_and_unknown_codes_are_named() {
    let Some(model) = fixture("ZAPIS_TEST_MODEL") else {
        return;
    };
    let mut engine = Engine::load(&model).unwrap();
    let options = Options {
        language: "sr".parse().unwrap(),
        ..Options::default()
    };
    let err = transcribe_file(
        &mut engine,
        &data("jfk.wav"),
        ChannelMode::Mixdown,
        &options,
        &mut |_| {},
    )
    .unwrap_err();
    assert!(
        matches!(err, TranscribeError::EnglishOnlyModel { .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("install base"), "{err}");
    let err = "klingon".parse::<SpokenLanguage>().unwrap_err();
    assert!(err.to_string().contains("klingon"));
    assert_eq!(
        "AUTO".parse::<SpokenLanguage>().unwrap(),
        SpokenLanguage::Auto
    );
}

#[test]
fn non_audio_files_are_named_as_such() {
    let tmp = tempfile::tempdir().unwrap();
    let text = tmp.path().join("notes.txt");
    std::fs::write(&text, "Meeting notes: call Ana on Monday.\n".repeat(200)).unwrap();
    assert!(matches!(
        AudioReader::open(&text),
        Err(AudioError::NotAudio { .. })
    ));

    let fake_wav = tmp.path().join("fake.wav");
    std::fs::write(&fake_wav, b"RIFF\x10\x00\x00\x00WAVEjunkjunkjunk").unwrap();
    let err = read_all(&fake_wav).unwrap_err();
    assert!(
        matches!(
            err,
            AudioError::NotAudio { .. } | AudioError::Corrupt { .. }
        ),
        "{err:?}"
    );
}

#[test]
fn empty_files_and_empty_wavs_are_reported_empty() {
    let tmp = tempfile::tempdir().unwrap();
    let zero = tmp.path().join("zero.wav");
    std::fs::write(&zero, b"").unwrap();
    assert!(matches!(read_all(&zero), Err(AudioError::Empty { .. })));

    let header_only = tmp.path().join("header.wav");
    write_wav(&header_only, 48_000, &[Vec::new(), Vec::new()]);
    let err = read_all(&header_only).unwrap_err();
    assert!(matches!(err, AudioError::Empty { .. }), "{err:?}");
    assert!(err.to_string().contains("header.wav"));
}

#[test]
fn truncated_wav_keeps_what_was_recorded() {
    // A recording cut off mid-write (crash, full disk) still holds usable audio.
    let tmp = tempfile::tempdir().unwrap();
    let wav = tmp.path().join("cut.wav");
    write_wav(&wav, 16_000, &[vec![0.1; 32_000]]);
    let bytes = std::fs::read(&wav).unwrap();
    std::fs::write(&wav, &bytes[..bytes.len() - 20_000]).unwrap();
    match read_all(&wav) {
        Ok(ch) => assert!(ch[0].len() < 32_000 && !ch[0].is_empty()),
        Err(e) => assert!(matches!(e, AudioError::Corrupt { .. }), "{e:?}"),
    }
}

#[test]
fn any_rate_and_width_is_resampled_to_16k_with_duration_kept() {
    let tmp = tempfile::tempdir().unwrap();
    for (rate, bits, float) in [
        (8_000u32, 16u16, false),
        (44_100, 24, false),
        (48_000, 32, true),
        (22_050, 8, false),
    ] {
        let path = tmp.path().join(format!("t{rate}.wav"));
        let spec = hound::WavSpec {
            channels: 2,
            sample_rate: rate,
            bits_per_sample: bits,
            sample_format: if float {
                hound::SampleFormat::Float
            } else {
                hound::SampleFormat::Int
            },
        };
        let mut w = hound::WavWriter::create(&path, spec).unwrap();
        let frames = rate as usize * 3 / 2;
        for i in 0..frames {
            let v = (i as f32 * 440.0 * std::f32::consts::TAU / rate as f32).sin() * 0.5;
            for ch in 0..2 {
                let v = if ch == 0 { v } else { 0.0 };
                if float {
                    w.write_sample(v).unwrap();
                } else {
                    w.write_sample((v * ((1i64 << (bits - 1)) - 1) as f32) as i32)
                        .unwrap();
                }
            }
        }
        w.finalize().unwrap();
        let ch = read_all(&path).unwrap();
        assert_eq!(ch.len(), 2);
        assert_eq!(ch[0].len(), 24_000, "{rate} Hz");
        let rms = |s: &[f32]| (s.iter().map(|x| x * x).sum::<f32>() / s.len() as f32).sqrt();
        assert!(
            (rms(&ch[0][4000..20000]) - 0.3536).abs() < 0.02,
            "{rate} Hz rms {}",
            rms(&ch[0])
        );
        assert!(rms(&ch[1]) < 1e-3);
    }
}
