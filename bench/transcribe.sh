#!/usr/bin/env bash
# Zapis vs faster-whisper on a fixed ~10-minute recording with known text.
# Prints, per system: real-time factor (audio s / wall s of the whole process),
# WER (same scorer for both) and peak RSS; runs alternate, medians of RUNS.
#
# usage: bench/transcribe.sh
# env:   ZAPIS_MODEL   ggml model (default: converted tiny.en q8_0 in $WORK)
#        CT2_DIR       CTranslate2 tiny.en dir (faster-whisper's weights; required)
#        ZAPIS_CMD     command prefix taking "MODEL AUDIO --threads N --beam B" and printing JSON
#                      with a "text" field (default: the zapis_transcribe example)
#        THREADS=2 BEAM=1 RUNS=3 MINUTES=10 WORK=target/bench
set -euo pipefail
cd "$(dirname "$0")/.."

THREADS=${THREADS:-2}
BEAM=${BEAM:-1}
RUNS=${RUNS:-3}
MINUTES=${MINUTES:-10}
WORK=${WORK:-target/bench}
: "${CT2_DIR:?set CT2_DIR to the CTranslate2 tiny.en directory}"
mkdir -p "$WORK"

cargo build --release --quiet --example zapis_transcribe
TOOL=target/release/examples/zapis_transcribe
ZAPIS_CMD=${ZAPIS_CMD:-"$TOOL transcribe"}
if [[ -z "${ZAPIS_MODEL:-}" ]]; then
  ZAPIS_MODEL="$WORK/tiny.en.q8_0.bin"
  [[ -f "$ZAPIS_MODEL" ]] || "$TOOL" convert "$CT2_DIR" "$ZAPIS_MODEL" >/dev/null
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
  wer=$("$TOOL" wer "$WORK/reference.txt" "$WORK/$name.txt")
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
