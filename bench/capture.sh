#!/usr/bin/env bash
# Capture cost of the shipped CLI: `zapis record` (release build, no speech model, so nothing but
# capture runs) records MINUTES (default 10) from the private PulseAudio server's null sink while
# a test signal plays; the script then reads the process's CPU time and peak RSS from /proc.
# (`cargo bench --bench capture` measures the library inside a bench process instead.)
# Needs: eval "$(scripts/pulse-test-env.sh)"
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=${MINUTES:-10}
seconds=$(python3 -c "print(int(float('$minutes') * 60))")
cargo build --release --locked --quiet --bin zapis
work=$(mktemp -d)
trap 'kill "${player:-0}" "${pid:-0}" 2>/dev/null; rm -rf "$work"' EXIT
sox -n -r 44100 -c 2 "$work/program.wav" synth 30 sine 200-3000 pinknoise vol 0.3
(while true; do paplay -d zapis_null "$work/program.wav"; done) &
player=$!

target/release/zapis --data-dir "$work/library" record --participant "Bench Rep" --participant "Bench Customer" \
  --consent granted --model none --seconds $((seconds + 60)) --events json >/dev/null 2>"$work/stderr" &
pid=$!
sleep "$seconds"
ticks=$(getconf CLK_TCK)
read -r utime stime < <(awk '{print $14, $15}' "/proc/$pid/stat")
hwm_kb=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
kill -9 "$pid"
wait "$pid" 2>/dev/null || true
python3 - "$utime" "$stime" "$ticks" "$hwm_kb" "$seconds" <<'PY'
import sys
utime, stime, ticks, hwm_kb, seconds = map(float, sys.argv[1:])
cpu = (utime + stime) / ticks
per_minute = cpu / (seconds / 60)
print(f"zapis record, capture only, {seconds / 60:.1f} min from the null sink (2 channels, 16 kHz):")
print(f"  CPU per audio minute  {per_minute:.2f} s = {100 * per_minute / 60:.2f}% of one core (target < 3%)")
print(f"  peak RSS              {hwm_kb / 1024:.1f} MB (target < 30 MB)")
PY
