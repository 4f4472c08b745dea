#!/usr/bin/env bash
# Regenerates ui/src/lib/bindings.ts, the UI's TypeScript types, from the Rust types (see
# src-tauri/src/bindings.rs). The test suite fails while the committed file differs.
set -euo pipefail
cd "$(dirname "$0")/.."
ZAPIS_WRITE_BINDINGS=1 cargo test -q -p zapis-desktop --bin zapis-desktop -- bindings:: >/dev/null
echo "wrote ui/src/lib/bindings.ts"
