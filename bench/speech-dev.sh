#!/usr/bin/env bash
# Zapis vs faster-whisper on real human speech (../shared/speech-dev): per-clip WER with the full
# and the fitted encoder context, and speed + WER on all clips back to back, the peer in the same
# run (alternating), same tiny.en weights, same threads and beam. `--only live` measures the live
# transcript's path instead (each clip cut into utterances by the VAD, full context),
# beside the peer on the whole clip. See bench/speech_dev.py.
#
# usage: bench/speech-dev.sh [--only clips|dense|call|live]        env: THREADS=2 BEAM=1 RUNS=2 SPEECH=../shared/speech-dev
# The peer (faster-whisper, whisper-normalizer for scoring) is installed from PyPI into
# target/bench-venv on first use.
set -euo pipefail
cd "$(dirname "$0")/.."

THREADS=${THREADS:-2}
BEAM=${BEAM:-1}
RUNS=${RUNS:-2}
SPEECH=${SPEECH:-../shared/speech-dev}
WORK=${WORK:-target/bench}
[[ -f "$SPEECH/manifest.tsv" ]] || { echo "speech-dev: no $SPEECH/manifest.tsv; set SPEECH" >&2; exit 1; }

venv=target/bench-venv
if [[ ! -x "$venv/bin/python" ]] || ! "$venv/bin/python" -c "import faster_whisper, whisper_normalizer" 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q faster-whisper whisper-normalizer
fi
eval "$(scripts/test-fixtures.sh)"
cargo build --release --quiet --locked --bin zapis --example live_transcript
mkdir -p "$WORK"
model="$WORK/home/models/tiny.en.bin"
[[ -f "$model" ]] || target/release/zapis --data-dir "$WORK/home" model import "$ZAPIS_TEST_CT2_DIR" --name tiny.en >&2

"$venv/bin/python" bench/speech_dev.py --zapis target/release/zapis --model "$model" \
  --ct2 "$ZAPIS_TEST_CT2_DIR" --threads "$THREADS" --beam "$BEAM" --runs "$RUNS" \
  --speech "$SPEECH" --work "$WORK" "$@"
