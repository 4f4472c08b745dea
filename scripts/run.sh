#!/usr/bin/env bash
# Sets Zapis up on a fresh Debian/Ubuntu machine and starts it: system packages, a release build,
# then a short demo of the CLI against your per-user call library.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
if ! command -v cargo >/dev/null; then
  echo "run: Rust is not installed; get it from https://rustup.rs and run this again" >&2
  exit 1
fi
cargo build --release --locked
zapis=target/release/zapis

echo
echo "Zapis is built: $zapis"
"$zapis" db check
echo
"$zapis" calls list
