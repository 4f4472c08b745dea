#!/usr/bin/env bash
# Checks the installed Debian package (scripts/build-deb.sh, then `apt install ./Zapis_*.deb`):
# the `zapis` command runs from /usr/bin, the menu entry is there, and the installed desktop app
# starts, shows its window and registers its tray, driven by the same end-to-end test as the
# build tree's app. CI runs it after installing the package; it needs no root itself.
set -euo pipefail
cd "$(dirname "$0")/.."
log() { echo "test-installed: $*" >&2; }

app=/usr/bin/zapis-desktop
cli=/usr/bin/zapis
for f in "$app" "$cli" /usr/share/applications/Zapis.desktop; do
  [[ -e "$f" ]] || { log "$f is missing: is the package installed? (sudo apt install ./target/*/bundle/deb/Zapis_*.deb)"; exit 1; }
done

# The speaker-diarization libraries come from the package, not from the build tree the binaries
# were linked in (their run path names ../lib/zapis first).
for bin in "$app" "$cli"; do
  for lib in libsherpa-onnx-c-api.so libonnxruntime.so; do
    found=$(ldd "$bin" | awk -v lib="$lib" '$1 == lib { print $3 }')
    [[ -n "$found" ]] && found=$(realpath -m "$found")
    [[ "$found" == "/usr/lib/zapis/$lib" ]] || { log "$bin loads $lib from '${found:-nowhere}', not /usr/lib/zapis"; exit 1; }
  done
done

if [[ -z "${ZAPIS_TEST_ENV:-}" ]]; then
  export ZAPIS_TEST_ENV=1
  exec dbus-run-session -- xvfb-run -a -s "-screen 0 1280x900x24" "$0" "$@"
fi

scratch="$(mktemp -d "${TMPDIR:-/tmp}/zapis-installed.XXXXXX")"
export ZAPIS_PULSE_DIR="$scratch/pulse-env"
mkdir -p "$ZAPIS_PULSE_DIR"
cleanup() {
  if [[ -f "$ZAPIS_PULSE_DIR/pulse/pid" ]]; then
    kill "$(cat "$ZAPIS_PULSE_DIR/pulse/pid")" 2>/dev/null || true
  fi
  rm -rf "$scratch"
}
trap cleanup EXIT

# The command line, as a rep would first run it.
version="$("$cli" --version)"
[[ "$version" == zapis\ * ]] || { log "zapis --version printed: $version"; exit 1; }
calls="$("$cli" --data-dir "$scratch/data" calls list --json)"
[[ "$calls" == "[]" ]] || { log "a new library lists calls: $calls"; exit 1; }
log "$version runs from $cli and opens a new library"

# The installed app, through consent, a recording, the history, an import and the tray.
eval "$(scripts/pulse-test-env.sh)"
eval "$(scripts/test-fixtures.sh)"
ZAPIS_APP="$app" ZAPIS_CLI="$cli" ZAPIS_E2E_SHOTS="$scratch/shots" scripts/e2e-desktop.sh
log "the installed app passed the desktop end-to-end test"
