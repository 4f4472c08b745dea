"""An independent check of Zapis's sentence embeddings: all-MiniLM-L6-v2 run in plain numpy
(BERT encoder, mean pooling over the attention mask, L2 normalisation, as sentence-transformers
does), with Hugging Face's `tokenizers`. Prints one JSON line per sentence on stdin.

Use: python reference_embeddings.py MODEL_DIR < sentences.txt
Needs: numpy, safetensors, tokenizers (from PyPI).
"""
import json
import math
import sys

import numpy as np
from safetensors.numpy import load_file
from tokenizers import Tokenizer


def layer_norm(x, w, b, eps=1e-12):
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * w + b


def gelu(x):
    erf = np.vectorize(math.erf)
    return 0.5 * x * (1.0 + erf(x / math.sqrt(2.0)))


def embed(weights, config, ids):
    w = lambda name: weights.get(name, weights.get("bert." + name))
    n = len(ids)
    x = (
        w("embeddings.word_embeddings.weight")[ids]
        + w("embeddings.position_embeddings.weight")[:n]
        + w("embeddings.token_type_embeddings.weight")[0]
    )
    x = layer_norm(x, w("embeddings.LayerNorm.weight"), w("embeddings.LayerNorm.bias"))
    heads = config["num_attention_heads"]
    size = config["hidden_size"] // heads
    for i in range(config["num_hidden_layers"]):
        p = f"encoder.layer.{i}."
        lin = lambda t, name: t @ w(p + name + ".weight").T + w(p + name + ".bias")
        q = lin(x, "attention.self.query").reshape(n, heads, size).transpose(1, 0, 2)
        k = lin(x, "attention.self.key").reshape(n, heads, size).transpose(1, 0, 2)
        v = lin(x, "attention.self.value").reshape(n, heads, size).transpose(1, 0, 2)
        scores = q @ k.transpose(0, 2, 1) / math.sqrt(size)
        scores = np.exp(scores - scores.max(-1, keepdims=True))
        scores /= scores.sum(-1, keepdims=True)
        context = (scores @ v).transpose(1, 0, 2).reshape(n, heads * size)
        x = layer_norm(
            lin(context, "attention.output.dense") + x,
            w(p + "attention.output.LayerNorm.weight"),
            w(p + "attention.output.LayerNorm.bias"),
        )
        hidden = gelu(lin(x, "intermediate.dense"))
        x = layer_norm(
            lin(hidden, "output.dense") + x,
            w(p + "output.LayerNorm.weight"),
            w(p + "output.LayerNorm.bias"),
        )
    pooled = x.mean(0)
    return pooled / np.linalg.norm(pooled)


def main():
    folder = sys.argv[1]
    weights = {k: v.astype(np.float64) for k, v in load_file(f"{folder}/model.safetensors").items()}
    config = json.load(open(f"{folder}/config.json"))
    tokenizer = Tokenizer.from_file(f"{folder}/tokenizer.json")
    tokenizer.no_padding()
    tokenizer.enable_truncation(256)
    for line in sys.stdin:
        text = line.rstrip("\n")
        ids = np.array(tokenizer.encode(text).ids)
        print(json.dumps({"text": text, "vector": embed(weights, config, ids).tolist()}))


if __name__ == "__main__":
    main()
