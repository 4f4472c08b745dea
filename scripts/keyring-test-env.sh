#!/usr/bin/env bash
# Starts a private system keyring (gnome-keyring's Secret Service) on the current D-Bus session
# for the team tests, which keep the team password there as the app does. Its keyring file lives
# in a folder of its own, unlocked with a throw-away password. Prints `export …` lines; use it as
#     eval "$(scripts/keyring-test-env.sh)"
# inside dbus-run-session, and stop it with scripts/keyring-test-env.sh --stop (scripts/test.sh
# does both). Exports ZAPIS_TEST_KEYRING_DIR (the folder; its `pid` file names the daemon).
set -euo pipefail

log() { echo "keyring-test-env: $*" >&2; }

if [[ "${1:-}" == "--stop" ]]; then
  dir="${ZAPIS_TEST_KEYRING_DIR:?set ZAPIS_TEST_KEYRING_DIR to the keyring to stop}"
  if [[ -f "$dir/pid" ]]; then kill "$(cat "$dir/pid")" 2>/dev/null || true; fi
  rm -rf "$dir"
  exit 0
fi

[[ -n "${DBUS_SESSION_BUS_ADDRESS:-}" ]] || { log "no session bus: run inside dbus-run-session"; exit 1; }
command -v gnome-keyring-daemon >/dev/null \
  || { log "gnome-keyring-daemon is missing: install gnome-keyring (apt-get install gnome-keyring)"; exit 1; }
owned() {
  gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
    --method org.freedesktop.DBus.NameHasOwner org.freedesktop.secrets 2>/dev/null | grep -q true
}
if owned; then
  log "this session already has a Secret Service; the tests use it"
  exit 0
fi

dir="$(mktemp -d "${TMPDIR:-/tmp}/zapis-test-keyring.XXXXXX")"
mkdir -m 700 "$dir/run" "$dir/data"
# The password comes on stdin; the login keyring is made with it, unlocked, and is the default.
printf 'zapis-test-%s' "$RANDOM$RANDOM" \
  | XDG_RUNTIME_DIR="$dir/run" XDG_DATA_HOME="$dir/data" \
    gnome-keyring-daemon --foreground --components=secrets --unlock >"$dir/daemon.log" 2>&1 &
echo $! >"$dir/pid"
for _ in $(seq 100); do
  if owned; then
    echo "export ZAPIS_TEST_KEYRING_DIR='$dir'"
    log "Secret Service on the session bus (gnome-keyring, $dir)"
    exit 0
  fi
  sleep 0.1
done
log "gnome-keyring did not come up:"
cat "$dir/daemon.log" >&2
kill "$(cat "$dir/pid")" 2>/dev/null || true
rm -rf "$dir"
exit 1
