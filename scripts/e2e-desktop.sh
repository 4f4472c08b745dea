#!/usr/bin/env bash
# End-to-end test of the real desktop app: tauri-driver + WebKitWebDriver drive the debug build
# through consent, a recording of known speech, and the call history (tests/desktop-e2e/run.mjs).
# Run it inside a D-Bus session and a display, with the test PulseAudio server and model exported:
#   eval "$(scripts/test-fixtures.sh)"
#   dbus-run-session -- xvfb-run -a -s "-screen 0 1280x900x24" \
#     bash -c 'eval "$(scripts/pulse-test-env.sh)"; scripts/e2e-desktop.sh'
# Screenshots of the real app go to target/screenshots/app-*.png (ZAPIS_E2E_SHOTS overrides;
# scripts/update-screenshots.sh copies them into docs/screenshots);
# ZAPIS_APP tests a given app binary instead of building the debug one, ZAPIS_CLI a given `zapis`.
set -euo pipefail
cd "$(dirname "$0")/.."
log() { echo "e2e-desktop: $*" >&2; }

[[ -n "${DISPLAY:-}" ]] || { log "no DISPLAY: run inside xvfb-run (see the top of this script)"; exit 1; }
[[ -n "${DBUS_SESSION_BUS_ADDRESS:-}" ]] || { log "no session bus: run inside dbus-run-session"; exit 1; }
pactl info >/dev/null 2>&1 || { log "no PulseAudio server: eval \"\$(scripts/pulse-test-env.sh)\" first"; exit 1; }
[[ -f "${ZAPIS_TEST_MODEL:-}" ]] || { log "ZAPIS_TEST_MODEL is not a file: eval \"\$(scripts/test-fixtures.sh)\" first"; exit 1; }
for tool in WebKitWebDriver espeak-ng paplay node gdbus; do
  command -v "$tool" >/dev/null || {
    log "$tool is missing: apt-get install webkit2gtk-driver espeak-ng pulseaudio-utils nodejs libglib2.0-bin"
    exit 1
  }
done

driver="$(command -v tauri-driver || true)"
if [[ -z "$driver" ]]; then
  [[ -x "$HOME/.cargo/bin/tauri-driver" ]] || cargo install tauri-driver --locked
  driver="$HOME/.cargo/bin/tauri-driver"
fi

# ZAPIS_APP can name an app binary built elsewhere (e.g. a release build); else the debug build.
if [[ -z "${ZAPIS_APP:-}" ]]; then
  scripts/build-ui.sh
  cargo build --locked -p zapis-desktop --bin zapis-desktop
  ZAPIS_APP="$PWD/target/debug/zapis-desktop"
fi
# ZAPIS_CLI can name an installed `zapis` (the package test); else the debug build's.
if [[ -z "${ZAPIS_CLI:-}" ]]; then
  cargo build --locked --bin zapis
  ZAPIS_CLI="$PWD/target/debug/zapis"
fi

work="$(mktemp -d -t zapis-e2e-XXXXXX)"
driver_pid=""
cleanup() {
  if [[ -n "$driver_pid" ]]; then
    # tauri-driver runs in its own process group, with WebKitWebDriver and the app under it.
    kill -- "-$driver_pid" 2>/dev/null || true
    wait "$driver_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

export ZAPIS_DATA_DIR="$work/data"
# GTK (the file dialog's settings and recent files) and WebKit (caches) write under the user's
# folders; give the app the run's own, so every run starts from the defaults and the machine is
# left as it was.
export XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/share" XDG_CACHE_HOME="$work/cache"
export GSETTINGS_BACKEND=memory
mkdir -p "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME"
"$ZAPIS_CLI" --data-dir "$ZAPIS_DATA_DIR" model add "$ZAPIS_TEST_MODEL" --name tiny.en >&2

port="${ZAPIS_E2E_PORT:-4444}"
setsid "$driver" --port "$port" --native-driver "$(command -v WebKitWebDriver)" \
  >"$work/tauri-driver.log" 2>&1 &
driver_pid=$!
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$port/status" >/dev/null 2>&1 && break
  kill -0 "$driver_pid" 2>/dev/null || { log "tauri-driver exited:"; cat "$work/tauri-driver.log" >&2; exit 1; }
  sleep 0.1
done

status=0
ZAPIS_APP="$ZAPIS_APP" ZAPIS_E2E_DRIVER="http://127.0.0.1:$port" \
  node tests/desktop-e2e/run.mjs || status=$?
if [[ $status -ne 0 ]]; then
  log "failed; the driver's and the app's output:"
  tail -n 60 "$work/tauri-driver.log" >&2
fi
exit "$status"
