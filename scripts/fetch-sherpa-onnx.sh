#!/usr/bin/env bash
# Puts the sherpa-onnx 2.0.1 shared libraries (the C API and ONNX Runtime 1.28.2 it was built
# with) where the build finds them: target/native/sherpa-onnx/lib, named by .cargo/config.toml's
# SHERPA_ONNX_LIB_DIR. They come from PyPI's `sherpa-onnx-core` wheel, pinned by sha256: the
# `sherpa-onnx` crate's default build downloads them from GitHub, which many networks block.
# Idempotent and quick when the libraries are already there. Speaker diarization runs on them.
set -euo pipefail
cd "$(dirname "$0")/.."
log() { echo "fetch-sherpa-onnx: $*" >&2; }

version=2.0.1
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64)
    wheel_name="sherpa_onnx_core-$version-py3-none-manylinux2014_x86_64.whl"
    wheel_sha=f4ee0ab91c4ae596e0e49d7de32522a946295e038a652f1c1884d89014ee4ec2
    platform=manylinux2014_x86_64
    ;;
  *)
    log "no pinned sherpa-onnx-core wheel for $(uname -s)-$(uname -m); add its sha256 here"
    exit 1
    ;;
esac

dest="$PWD/target/native/sherpa-onnx"
stamp="$dest/.installed-$wheel_sha"
if [[ -f "$stamp" && -f "$dest/lib/libsherpa-onnx-c-api.so" && -f "$dest/lib/libonnxruntime.so" ]]; then
  exit 0
fi

cache="$PWD/target/native/wheels"
mkdir -p "$cache"
wheel="$cache/$wheel_name"
if [[ ! -f "$wheel" ]] || ! echo "$wheel_sha  $wheel" | sha256sum --check --status; then
  log "downloading sherpa-onnx-core $version from PyPI"
  rm -f "$wheel"
  python3 -m pip download --quiet --no-deps --only-binary=:all: --platform "$platform" \
    --python-version 3.11 -d "$cache" "sherpa-onnx-core==$version" >&2
  if ! echo "$wheel_sha  $wheel" | sha256sum --check --status; then
    log "the downloaded $wheel_name does not have the pinned sha256 $wheel_sha; it was removed"
    rm -f "$wheel"
    exit 1
  fi
fi

# Unpack beside the destination and swap it in whole, so a killed run leaves no half library.
work="$(mktemp -d "$PWD/target/native/.sherpa.XXXXXX")"
trap 'rm -rf "$work"' EXIT
python3 - "$wheel" "$work" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as wheel:
    for name in wheel.namelist():
        if name.startswith(("sherpa_onnx/lib/", "sherpa_onnx/include/")) and not name.endswith("/"):
            wheel.extract(name, sys.argv[2])
PY
touch "$work/sherpa_onnx/.installed-$wheel_sha"
rm -rf "$dest"
mv "$work/sherpa_onnx" "$dest"
log "sherpa-onnx $version libraries in $dest/lib"
