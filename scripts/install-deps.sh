#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages Zapis needs to build, run and test. Idempotent: packages that
# are already installed are skipped, so re-running costs a second.
set -euo pipefail

packages=(
  # build: whisper.cpp (cmake, clang for bindgen), audio back ends
  build-essential pkg-config cmake clang libclang-dev libasound2-dev libpulse-dev libssl-dev
  # the system keyring for the team password (Secret Service over libdbus)
  libdbus-1-dev
  # desktop app (Tauri 2 on WebKitGTK, tray through Ayatana AppIndicator) and its WebDriver
  libwebkit2gtk-4.1-dev libayatana-appindicator3-dev librsvg2-dev libxdo-dev webkit2gtk-driver
  # the desktop test drives the tray menu over D-Bus with gdbus
  libglib2.0-bin
  # and answers the system file dialog (GTK) by typing, as a user would
  xdotool
  # UI browser tests
  chromium
  # tests: a private PulseAudio server with a null sink, speech synthesis, a session bus, a display
  pulseaudio pulseaudio-utils libasound2-plugins alsa-utils espeak-ng sox dbus-x11 xvfb xauth
  # the team library's tests start a throw-away PostgreSQL cluster (initdb, pg_ctl), with TLS
  # on a loopback port from a test certificate authority (openssl)
  postgresql openssl
  # and keep the team password in a private system keyring (the Secret Service) on the session bus;
  # a rep whose laptop clock is wrong is played by libfaketime
  gnome-keyring faketime
  # python3 for the model benchmark's peer (faster-whisper) and helper scripts
  python3 python3-venv curl ca-certificates
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#packages[@]} packages present"
else
  sudo=""
  if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
  echo "install-deps: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  echo "install-deps: done"
fi

# Not a system package: the speaker-diarization libraries the build links (sherpa-onnx from
# PyPI, into target/native; see the script).
"$(dirname "$0")/fetch-sherpa-onnx.sh"
