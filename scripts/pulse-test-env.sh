#!/usr/bin/env bash
# Starts a private, user-mode PulseAudio server with virtual devices so capture can be tested on a
# machine without a sound card (CI). Prints `export …` lines; use it as
#     eval "$(scripts/pulse-test-env.sh)"
# Devices:
#   zapis_null          null sink, the default sink: "the call app's output" (system audio)
#   zapis_null.monitor  its monitor source: what the recorder captures as system audio
#   zapis_mic_feed      null sink into which tests play the "rep's voice"
#   zapis_mic           a real (non-monitor) source remapped from zapis_mic_feed.monitor, the
#                       default source, so the default microphone is not the system monitor
# Idempotent: when the server in ZAPIS_PULSE_DIR already answers, it only prints the exports.
set -euo pipefail

runtime_dir="${ZAPIS_PULSE_DIR:-/tmp/zapis-pulse}"
log() { echo "pulse-test-env: $*" >&2; }

for tool in pulseaudio pactl paplay; do
    if ! command -v "$tool" >/dev/null; then
        log "$tool is missing: install pulseaudio and pulseaudio-utils (apt-get install pulseaudio pulseaudio-utils)"
        exit 1
    fi
done

mkdir -p "$runtime_dir"
chmod 700 "$runtime_dir"
export XDG_RUNTIME_DIR="$runtime_dir"
export PULSE_RUNTIME_PATH="$runtime_dir/pulse"
export PULSE_SERVER="unix:$runtime_dir/pulse/native"
# Root's home may hold a cookie/config of another server; keep everything private.
export PULSE_CONFIG_PATH="$runtime_dir/config"
export PULSE_STATE_PATH="$runtime_dir/state"
# The server and every client (pactl here, the tests' recorders) would otherwise create a cookie
# in ~/.config/pulse, left behind after the run.
export PULSE_COOKIE="$runtime_dir/cookie"
mkdir -p "$PULSE_CONFIG_PATH" "$PULSE_STATE_PATH"

print_exports() {
    echo "export XDG_RUNTIME_DIR='$XDG_RUNTIME_DIR'"
    echo "export PULSE_RUNTIME_PATH='$PULSE_RUNTIME_PATH'"
    echo "export PULSE_SERVER='$PULSE_SERVER'"
    echo "export PULSE_CONFIG_PATH='$PULSE_CONFIG_PATH'"
    echo "export PULSE_STATE_PATH='$PULSE_STATE_PATH'"
    echo "export PULSE_COOKIE='$PULSE_COOKIE'"
}

if pactl info >/dev/null 2>&1; then
    log "PulseAudio already running in $runtime_dir"
    print_exports
    exit 0
fi

default_pa="$runtime_dir/default.pa"
cat >"$default_pa" <<PA
load-module module-native-protocol-unix auth-anonymous=1 auth-cookie=$PULSE_COOKIE
load-module module-null-sink sink_name=zapis_null sink_properties=device.description=Zapis_null_sink
load-module module-null-sink sink_name=zapis_mic_feed sink_properties=device.description=Zapis_mic_feed
load-module module-remap-source master=zapis_mic_feed.monitor source_name=zapis_mic source_properties=device.description=Zapis_test_microphone
set-default-sink zapis_null
set-default-source zapis_mic
PA

# Running as root needs --system=no explicitly plus an unprivileged-looking runtime dir;
# -n skips the distribution's default.pa so no real hardware modules are probed.
# Off the session bus: PulseAudio would claim the bus name org.PulseAudio1 there, and a second
# private server (tests start their own to kill it) would then refuse to start. The address
# names a socket that does not exist, so nothing autolaunches a bus either.
DBUS_SESSION_BUS_ADDRESS="unix:path=$runtime_dir/no-session-bus" \
pulseaudio -n -F "$default_pa" --exit-idle-time=-1 --daemonize=yes \
    --disallow-exit --log-target="file:$runtime_dir/pulse.log" --system=no \
    --use-pid-file=yes 2>>"$runtime_dir/pulse.log" || {
    log "pulseaudio failed to start; see $runtime_dir/pulse.log:"
    tail -n 20 "$runtime_dir/pulse.log" >&2 || true
    exit 1
}

for _ in $(seq 1 50); do
    if pactl info >/dev/null 2>&1; then
        log "PulseAudio ready: sink zapis_null (monitor zapis_null.monitor), mic source zapis_mic (feed zapis_mic_feed)"
        print_exports
        exit 0
    fi
    sleep 0.1
done
log "PulseAudio did not answer within 5 s; see $runtime_dir/pulse.log"
exit 1
