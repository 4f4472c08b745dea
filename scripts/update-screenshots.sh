#!/usr/bin/env bash
# Copies the screenshots the last test run took (target/screenshots: the browser flows and the
# real desktop app) into docs/screenshots, for when the UI changed on purpose. Tests never write
# into docs/ themselves, so a test run leaves the working tree as it found it.
set -euo pipefail
cd "$(dirname "$0")/.."
shots=target/screenshots
if ! compgen -G "$shots/*.png" >/dev/null; then
  echo "update-screenshots: no screenshots in $shots; run scripts/test.sh first" >&2
  exit 1
fi
mkdir -p docs/screenshots
cp "$shots"/*.png docs/screenshots/
echo "update-screenshots: copied $(ls "$shots"/*.png | wc -l) screenshots into docs/screenshots"
