#!/usr/bin/env bash
# Desktop start-up and history-scrolling benchmark with a 10,000-call library. Needs a display and
# a session bus; without them it starts its own:
#   bench/app-startup.sh
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ -z "${DISPLAY:-}" || -z "${DBUS_SESSION_BUS_ADDRESS:-}" ]]; then
  exec dbus-run-session -- xvfb-run -a -s "-screen 0 1280x900x24" "$0" "$@"
fi
work=target/bench-app
lib="$work/library"
if [[ ! -f "$lib/zapis.sqlite3" ]]; then
  mkdir -p "$lib"
  ZAPIS_BENCH_DIR="$PWD/$lib" cargo bench --bench library >&2
fi
scripts/build-ui.sh >/dev/null
cargo build --release --locked -p zapis-desktop >&2
command -v tauri-driver >/dev/null || cargo install tauri-driver --locked >&2
ZAPIS_DATA_DIR="$PWD/$lib" setsid tauri-driver --port 4444 >"$work/driver.log" 2>&1 &
driver=$!
trap 'kill -- -$driver 2>/dev/null || true' EXIT
sleep 1
ZAPIS_APP="$PWD/target/release/zapis-desktop" node bench/app-startup.mjs
