#!/usr/bin/env bash
# Installs the UI's npm packages (when missing) and builds ui/dist, which the desktop app embeds at
# compile time: run it before building src-tauri.
set -euo pipefail
cd "$(dirname "$0")/../ui"
if [[ ! -d node_modules ]]; then
  npm ci --no-audit --no-fund
fi
npm run build
