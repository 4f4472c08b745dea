#!/usr/bin/env bash
# The boundaries the compiler can prove: the core library builds without the command line's
# crates, and the desktop app does not link them. (tests/architecture.rs checks the module graph.)
set -euo pipefail
cd "$(dirname "$0")/.."

cargo check --locked -p zapis --lib --no-default-features --quiet
leaked="$(cargo tree --locked -p zapis-desktop -e normal --prefix none | grep -E '^(clap|indicatif|ctrlc) ' || true)"
if [[ -n "$leaked" ]]; then
  echo "check-boundaries: the desktop app links the CLI's crates:" >&2
  echo "$leaked" >&2
  exit 1
fi
echo "check-boundaries: the core library builds without the CLI's crates; the desktop app does not link them"
