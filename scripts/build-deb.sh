#!/usr/bin/env bash
# Builds the Debian package with Tauri's bundler: the desktop app (with its menu entry and icons)
# and the `zapis` command line, both in /usr/bin, with the speaker-diarization libraries (sherpa-onnx,
# ONNX Runtime) in /usr/lib/zapis, where the binaries look first. Prints the package's path on the last line.
#   scripts/build-deb.sh            a release build (what a sales rep installs)
#   scripts/build-deb.sh --debug    the debug build, reusing the test build (what CI installs)
# Install it with: sudo apt install ./target/release/bundle/deb/Zapis_*_amd64.deb
set -euo pipefail
cd "$(dirname "$0")/.."

profile=release
cargo_profile=(--release)
tauri_profile=()
if [[ "${1:-}" == "--debug" ]]; then
  profile=debug
  cargo_profile=()
  tauri_profile=(--debug)
fi

scripts/build-ui.sh >&2
cargo build --locked "${cargo_profile[@]}" -p zapis-desktop --bin zapis-desktop >&2
cargo build --locked "${cargo_profile[@]}" --bin zapis >&2

# `tauri bundle`, not `tauri build`: the config lives at the repository root, whose Cargo package
# is the library and CLI, and `tauri build` would take that package's binary for the app's.
# Bundling the binaries built above keeps each one what it is.
overrides=$(cat <<JSON
{"bundle": {"linux": {"deb": {"files": {
  "/usr/bin/zapis": "$PWD/target/$profile/zapis",
  "/usr/lib/zapis/libsherpa-onnx-c-api.so": "$PWD/target/native/sherpa-onnx/lib/libsherpa-onnx-c-api.so",
  "/usr/lib/zapis/libonnxruntime.so": "$PWD/target/native/sherpa-onnx/lib/libonnxruntime.so"
}}}}}
JSON
)
rm -rf "target/$profile/bundle/deb"
ui/node_modules/.bin/tauri bundle "${tauri_profile[@]}" --ci --bundles deb -c "$overrides" >&2

shopt -s nullglob
debs=("target/$profile/bundle/deb/"*.deb)
if ((${#debs[@]} != 1)); then
  echo "build-deb: expected one package in target/$profile/bundle/deb, found ${#debs[@]}" >&2
  exit 1
fi
echo "$PWD/${debs[0]}"
