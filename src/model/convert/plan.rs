//! The tensor map from CTranslate2 variable names to whisper.cpp's, in the order
//! they are written.

/// How a CTranslate2 variable becomes ggml tensors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Role {
    /// Linear weights and the token embedding: quantised.
    Matrix,
    /// Convolution kernels: f16 (whisper.cpp's im2col needs f16 here).
    Conv,
    /// Convolution biases: f32, reshaped to `[n, 1]` as whisper.cpp declares them.
    ConvBias,
    /// Biases, norms and positional embeddings: f32.
    Plain,
}

pub(super) struct Plan {
    pub source: String,
    pub role: Role,
    /// Destination names for equal row-wise parts of the source; `None` drops that part.
    pub targets: Vec<Option<String>>,
}

pub(super) fn plan(n_audio_layer: usize, n_text_layer: usize) -> Vec<Plan> {
    let one = |source: &str, role, target: &str| Plan {
        source: source.to_owned(),
        role,
        targets: vec![Some(target.to_owned())],
    };
    let split = |source: String, role, targets: Vec<Option<String>>| Plan {
        source,
        role,
        targets,
    };
    // A linear layer (weight + bias) and a layer norm (gamma/beta → weight/bias).
    let linear = |src: &str, dst: &str| {
        vec![
            one(
                &format!("{src}/weight"),
                Role::Matrix,
                &format!("{dst}.weight"),
            ),
            one(&format!("{src}/bias"), Role::Plain, &format!("{dst}.bias")),
        ]
    };
    let norm = |src: &str, dst: &str| {
        vec![
            one(
                &format!("{src}/gamma"),
                Role::Plain,
                &format!("{dst}.weight"),
            ),
            one(&format!("{src}/beta"), Role::Plain, &format!("{dst}.bias")),
        ]
    };
    // Fused projections are split by rows; whisper.cpp has no key bias (it is zero).
    let fused = |src: &str, dst: &str, names: &[&str]| {
        let w = names
            .iter()
            .map(|n| Some(format!("{dst}.{n}.weight")))
            .collect();
        let b = names
            .iter()
            .map(|n| (*n != "key").then(|| format!("{dst}.{n}.bias")))
            .collect();
        vec![
            split(format!("{src}/weight"), Role::Matrix, w),
            split(format!("{src}/bias"), Role::Plain, b),
        ]
    };
    let block = |src: &str, dst: &str, cross: bool| {
        let mut v = Vec::new();
        v.extend(fused(
            &format!("{src}/self_attention/linear_0"),
            &format!("{dst}.attn"),
            &["query", "key", "value"],
        ));
        v.extend(linear(
            &format!("{src}/self_attention/linear_1"),
            &format!("{dst}.attn.out"),
        ));
        v.extend(norm(
            &format!("{src}/self_attention/layer_norm"),
            &format!("{dst}.attn_ln"),
        ));
        if cross {
            v.extend(linear(
                &format!("{src}/attention/linear_0"),
                &format!("{dst}.cross_attn.query"),
            ));
            v.extend(fused(
                &format!("{src}/attention/linear_1"),
                &format!("{dst}.cross_attn"),
                &["key", "value"],
            ));
            v.extend(linear(
                &format!("{src}/attention/linear_2"),
                &format!("{dst}.cross_attn.out"),
            ));
            v.extend(norm(
                &format!("{src}/attention/layer_norm"),
                &format!("{dst}.cross_attn_ln"),
            ));
        }
        v.extend(linear(
            &format!("{src}/ffn/linear_0"),
            &format!("{dst}.mlp.0"),
        ));
        v.extend(linear(
            &format!("{src}/ffn/linear_1"),
            &format!("{dst}.mlp.2"),
        ));
        v.extend(norm(
            &format!("{src}/ffn/layer_norm"),
            &format!("{dst}.mlp_ln"),
        ));
        v
    };

    let mut plans = vec![
        one("encoder/conv1/weight", Role::Conv, "encoder.conv1.weight"),
        one("encoder/conv1/bias", Role::ConvBias, "encoder.conv1.bias"),
        one("encoder/conv2/weight", Role::Conv, "encoder.conv2.weight"),
        one("encoder/conv2/bias", Role::ConvBias, "encoder.conv2.bias"),
        one(
            "encoder/position_encodings/encodings",
            Role::Plain,
            "encoder.positional_embedding",
        ),
    ];
    for i in 0..n_audio_layer {
        plans.extend(block(
            &format!("encoder/layer_{i}"),
            &format!("encoder.blocks.{i}"),
            false,
        ));
    }
    plans.extend(norm("encoder/layer_norm", "encoder.ln_post"));
    plans.push(one(
        "decoder/position_encodings/encodings",
        Role::Plain,
        "decoder.positional_embedding",
    ));
    plans.push(one(
        "decoder/embeddings/weight",
        Role::Matrix,
        "decoder.token_embedding.weight",
    ));
    for i in 0..n_text_layer {
        plans.extend(block(
            &format!("decoder/layer_{i}"),
            &format!("decoder.blocks.{i}"),
            true,
        ));
    }
    plans.extend(norm("decoder/layer_norm", "decoder.ln"));
    plans
}
