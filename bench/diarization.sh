#!/usr/bin/env bash
# Diarization on real multi-speaker human speech: DER (0.25 s collar), speaker-count accuracy and
# the time to diarize a 60-minute far side, on 2 threads unless --threads says otherwise. See
# examples/diarize_bench.rs for the recordings (speech-dev's HarperValleyBank calls and far sides
# built from them, pyannote.audio's sample, and the held-out AMI excerpts).
#
# usage: bench/diarization.sh [--threads N] [--threshold T] [--shift S] [--only natural|built|ami] [--skip-speed]
# Needs ../shared/speech-dev (see its README). Downloads from PyPI only, cached under target/:
# the speaker models (`zapis model install diarization`) and pyannote.audio's sources for AMI.
set -euo pipefail
cd "$(dirname "$0")/.."
log() { echo "bench/diarization: $*" >&2; }

speech_dev="${ZAPIS_SPEECH_DEV:-../shared/speech-dev}"
[[ -f "$speech_dev/segments.tsv" ]] || { log "no speech-dev set at $speech_dev (set ZAPIS_SPEECH_DEV)"; exit 1; }

scripts/fetch-sherpa-onnx.sh
eval "$(scripts/test-fixtures.sh)"
cargo build --release --quiet --locked --bin zapis --example diarize_bench

root="$PWD/target/zapis-test-data"
target/release/zapis --data-dir "$root/home" model install diarization >&2

# The AMI meeting excerpts (CC BY 4.0) in pyannote.audio 4.0.7's source package, tests/data.
ami_sha=3a903dfb5ca711d134cc2522561c9158b186836f5d62e8a57c46c6648e8a8229
ami_tar="$root/wheels/pyannote_audio-4.0.7.tar.gz"
if [[ ! -f "$ami_tar" ]] || ! echo "$ami_sha  $ami_tar" | sha256sum --check --status; then
  log "downloading pyannote.audio 4.0.7's sources from PyPI (for its AMI test excerpts only)"
  # The file itself, from PyPI's JSON API: `pip download` would build the package's metadata.
  url=$(python3 -c 'import json, sys, urllib.request
project = json.load(urllib.request.urlopen("https://pypi.org/pypi/pyannote.audio/json"))
print(next(f["url"] for f in project["releases"]["4.0.7"] if f["packagetype"] == "sdist"))')
  curl -fsSL -o "$ami_tar" "$url" || true
  echo "$ami_sha  $ami_tar" | sha256sum --check --status || { log "pyannote.audio 4.0.7 sources: download failed or hash mismatch"; exit 1; }
fi
ami="$root/ami/pyannote_audio-4.0.7/tests/data"
if [[ ! -f "$ami/debug.test.rttm" ]]; then
  rm -rf "$root/ami" && mkdir -p "$root/ami"
  tar -xzf "$ami_tar" -C "$root/ami" pyannote_audio-4.0.7/tests/data
fi

target/release/examples/diarize_bench "$root/home/models/diarization" "$speech_dev" \
  "$(dirname "$ZAPIS_TEST_ROOM_WAV")" --ami "$ami" "$@"
