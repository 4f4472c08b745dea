//! Converter checks on the real tiny.en CTranslate2 weights (ZAPIS_TEST_CT2_DIR).

mod whisper_support;

use std::path::Path;

use whisper_support::{dequant_q8_0, f16s, f32s, fixture, read_ggml};
use zapis::model::ct2::Ct2Model;
use zapis::model::ggml::quantize_q8_0;
use zapis::model::{convert_ct2_dir, inspect_ggml, Quantization, WeightKind};

fn convert(dir: &Path, quant: Quantization) -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("model.bin");
    let mut calls = 0;
    let report = convert_ct2_dir(dir, &out, quant, &mut |done, total| {
        calls += 1;
        assert!(done <= total);
    })
    .unwrap();
    assert!(calls > 0, "progress was never reported");
    assert_eq!(report.info.n_tensors, 167);
    (tmp, out)
}

#[test]
fn q8_0_file_has_whisper_header_hparams_and_tensor_layout() {
    let Some(dir) = fixture("ZAPIS_TEST_CT2_DIR") else {
        return;
    };
    let (_tmp, out) = convert(&dir, Quantization::Q8_0);
    let f = read_ggml(&out);
    assert_eq!(f.magic, 0x6767_6d6c);
    assert_eq!(
        f.hparams,
        [51864, 1500, 384, 6, 4, 448, 384, 6, 4, 80, 2007]
    );
    assert_eq!((f.mel.0, f.mel.1), (80, 201));
    // GPT-2 byte-level tokens restored to bytes; whisper.cpp adds the specials itself.
    assert_eq!(f.vocab.len(), 50256);
    assert_eq!(f.vocab[0], b"!");
    assert_eq!(f.vocab[220], b" ");
    assert_eq!(f.vocab[198], b"\n");
    assert_eq!(f.tensors.len(), 167);
    let q8 = f.tensors.values().filter(|t| t.ttype == 8).count();
    assert_eq!(q8, 65, "2-D weights and the token embedding are quantised");

    let expect = [
        ("encoder.conv1.weight", 1, vec![3, 80, 384]),
        ("encoder.conv1.bias", 0, vec![1, 384]),
        ("encoder.conv2.weight", 1, vec![3, 384, 384]),
        ("encoder.positional_embedding", 0, vec![384, 1500]),
        ("encoder.blocks.0.attn.query.weight", 8, vec![384, 384]),
        ("encoder.blocks.3.mlp.0.weight", 8, vec![384, 1536]),
        ("encoder.blocks.3.mlp.2.weight", 8, vec![1536, 384]),
        ("encoder.ln_post.weight", 0, vec![384]),
        ("decoder.token_embedding.weight", 8, vec![384, 51864]),
        ("decoder.positional_embedding", 0, vec![384, 448]),
        ("decoder.blocks.2.cross_attn.key.weight", 8, vec![384, 384]),
        ("decoder.blocks.2.cross_attn.value.bias", 0, vec![384]),
        ("decoder.blocks.2.cross_attn_ln.bias", 0, vec![384]),
        ("decoder.ln.weight", 0, vec![384]),
    ];
    for (name, ttype, ne) in expect {
        let t = f
            .tensors
            .get(name)
            .unwrap_or_else(|| panic!("{name} missing"));
        assert_eq!((t.ttype, &t.ne), (ttype, &ne), "{name}");
    }
    assert!(!f.tensors.contains_key("encoder.blocks.0.attn.key.bias"));
    assert!(!f
        .tensors
        .contains_key("decoder.blocks.0.cross_attn.key.bias"));

    let info = inspect_ggml(&out).unwrap();
    assert_eq!(info.kind, WeightKind::Q8_0);
    assert!(!info.is_multilingual());
}

#[test]
fn tensors_match_the_ctranslate2_source() {
    let Some(dir) = fixture("ZAPIS_TEST_CT2_DIR") else {
        return;
    };
    let (_tmp, out) = convert(&dir, Quantization::Q8_0);
    let f = read_ggml(&out);
    let src = Ct2Model::open(&dir.join("model.bin")).unwrap();

    let (_, pos) = src
        .read_f32("encoder/position_encodings/encodings")
        .unwrap();
    assert_eq!(f32s(&f.tensors["encoder.positional_embedding"].data), pos);

    let (_, conv) = src.read_f32("encoder/conv1/weight").unwrap();
    assert_eq!(f16s(&f.tensors["encoder.conv1.weight"].data), conv);

    // Fused Q|K|V bias: value is the last third.
    let (_, qkv_bias) = src
        .read_f32("decoder/layer_1/self_attention/linear_0/bias")
        .unwrap();
    assert_eq!(
        f32s(&f.tensors["decoder.blocks.1.attn.value.bias"].data),
        qkv_bias[768..]
    );
    assert_eq!(
        f32s(&f.tensors["decoder.blocks.1.attn.query.bias"].data),
        qkv_bias[..384]
    );
    assert!(
        qkv_bias[384..768].iter().all(|&b| b == 0.0),
        "dropped key bias must be zero"
    );

    // Cross-attention K|V weight: key is the first half, within q8_0 error.
    let (_, kv) = src
        .read_f32("decoder/layer_2/attention/linear_1/weight")
        .unwrap();
    let key = dequant_q8_0(&f.tensors["decoder.blocks.2.cross_attn.key.weight"].data);
    assert_eq!(key.len(), 384 * 384);
    for (block, (ours, theirs)) in key.chunks(32).zip(kv[..384 * 384].chunks(32)).enumerate() {
        let amax = theirs.iter().fold(0f32, |m, v| m.max(v.abs()));
        for (a, b) in ours.iter().zip(theirs) {
            // Half a quantisation step, plus the f16 rounding of the scale (relative 2^-11 on up to 127 steps).
            assert!(
                (a - b).abs() <= amax / 127.0 * 0.5 + amax / 1024.0,
                "block {block}: {a} vs {b}"
            );
        }
    }
}

#[test]
fn q8_0_blocks_equal_ggml_own_quantiser() {
    let Some(dir) = fixture("ZAPIS_TEST_CT2_DIR") else {
        return;
    };
    let src = Ct2Model::open(&dir.join("model.bin")).unwrap();
    let (dims, w) = src.read_f32("encoder/layer_0/ffn/linear_0/weight").unwrap();
    let mut edge = vec![0.0f32; 32];
    edge.extend((0..32).map(|i| {
        if i == 0 {
            1.0
        } else {
            (i as f32 - 16.0) / 16.0
        }
    }));
    edge.extend(
        (0..32).map(|i| (i as f32) * 127.0 / 31.0 * 1e-3 * if i % 2 == 0 { 1.0 } else { -1.0 }),
    );
    for (rows, per_row, values) in [(dims[0], dims[1], w), (3, 32, edge)] {
        let mut ours = Vec::new();
        quantize_q8_0(&values, &mut ours);
        let mut reference = vec![0u8; rows * per_row / 32 * 34];
        let written = unsafe {
            whisper_rs::whisper_rs_sys::ggml_quantize_chunk(
                whisper_rs::whisper_rs_sys::ggml_type_GGML_TYPE_Q8_0,
                values.as_ptr(),
                reference.as_mut_ptr().cast(),
                0,
                rows as i64,
                per_row as i64,
                std::ptr::null(),
            )
        };
        assert_eq!(written, reference.len());
        assert_eq!(
            ours, reference,
            "q8_0 bytes differ from ggml_quantize_chunk"
        );
    }
}

#[test]
fn q8_0_follows_the_documented_formula() {
    let values: Vec<f32> = (0..64)
        .map(|i| ((i * 37 % 64) as f32 - 31.5) * 0.013)
        .collect();
    let mut out = Vec::new();
    quantize_q8_0(&values, &mut out);
    assert_eq!(out.len(), 2 * 34);
    for (block, bytes) in values.chunks(32).zip(out.chunks(34)) {
        let amax = block.iter().fold(0f64, |m, &v| m.max(v.abs() as f64));
        let d = amax / 127.0;
        assert_eq!(
            half::f16::from_le_bytes([bytes[0], bytes[1]]),
            half::f16::from_f64(d)
        );
        for (&x, &q) in block.iter().zip(&bytes[2..]) {
            let expected = (x as f64 / d).round() as i8;
            assert_eq!(q as i8, expected, "{x}");
        }
    }
}

#[test]
fn f16_option_keeps_every_matrix_in_f16() {
    let Some(dir) = fixture("ZAPIS_TEST_CT2_DIR") else {
        return;
    };
    let (_tmp, out) = convert(&dir, Quantization::F16);
    let f = read_ggml(&out);
    assert_eq!(f.hparams[10], 1);
    assert!(f.tensors.values().all(|t| t.ttype != 8));
    let src = Ct2Model::open(&dir.join("model.bin")).unwrap();
    let (_, emb) = src.read_f32("decoder/embeddings/weight").unwrap();
    assert_eq!(f16s(&f.tensors["decoder.token_embedding.weight"].data), emb);
    assert_eq!(inspect_ggml(&out).unwrap().kind, WeightKind::F16);
}

#[test]
fn a_damaged_ct2_model_is_refused_with_its_name() {
    let Some(dir) = fixture("ZAPIS_TEST_CT2_DIR") else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    for f in ["config.json", "vocabulary.txt", "tokenizer.json"] {
        std::fs::copy(dir.join(f), tmp.path().join(f)).unwrap();
    }
    let full = std::fs::read(dir.join("model.bin")).unwrap();
    std::fs::write(tmp.path().join("model.bin"), &full[..full.len() / 3]).unwrap();
    let out = tmp.path().join("out.bin");
    let err = convert_ct2_dir(tmp.path(), &out, Quantization::Q8_0, &mut |_, _| {}).unwrap_err();
    assert!(err.to_string().contains("model.bin"), "{err}");
    assert!(!out.exists(), "no partial output may be left");
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(".zapis"))
        .collect();
    assert!(leftovers.is_empty());
}
