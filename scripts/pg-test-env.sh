#!/usr/bin/env bash
# Starts a throw-away PostgreSQL cluster for the team-library tests: initdb in a folder of its
# own, listening only on a Unix socket there, password (SCRAM) logins. Prints `export …` lines;
# use it as
#     eval "$(scripts/pg-test-env.sh)"
# and stop it with scripts/pg-test-env.sh --stop (scripts/test.sh does both).
# Exports: ZAPIS_TEST_PG_DIR (the cluster's folder and socket), ZAPIS_TEST_PG_ADMIN and
# ZAPIS_TEST_PG_PASSWORD (the superuser the tests create databases and roles with).
# ZAPIS_PG_OPTIONS replaces the server options tests run with (fsync off: a test cluster holds
# nothing worth a flush); benchmarks pass real settings.
# PostgreSQL refuses to run as root, so as root the cluster runs as the `postgres` user that
# Debian's package creates.
set -euo pipefail

log() { echo "pg-test-env: $*" >&2; }

bindir=""
if command -v pg_config >/dev/null && [[ -x "$(pg_config --bindir)/initdb" ]]; then
  bindir="$(pg_config --bindir)"
else
  bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
fi
if [[ -z "$bindir" || ! -x "$bindir/initdb" ]]; then
  log "no PostgreSQL server found: install it (apt-get install postgresql)"
  exit 1
fi

as_owner() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

if [[ "${1:-}" == "--stop" ]]; then
  dir="${ZAPIS_TEST_PG_DIR:?set ZAPIS_TEST_PG_DIR to the cluster to stop}"
  if [[ -f "$dir/data/postmaster.pid" ]]; then
    as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
  exit 0
fi

dir="$(mktemp -d "${TMPDIR:-/tmp}/zapis-test-pg.XXXXXX")"
chmod 755 "$dir"
password="zapis-test-$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')"
printf '%s\n' "$password" >"$dir/pwfile"
if [[ $(id -u) -eq 0 ]]; then chown -R postgres: "$dir"; fi

as_owner "$bindir/initdb" -D "$dir/data" -U zapis_admin --pwfile="$dir/pwfile" \
  --auth-local=scram-sha-256 --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
  || { log "initdb failed:"; cat "$dir/initdb.log" >&2; exit 1; }
rm -f "$dir/pwfile"
as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
  -o "-c listen_addresses='' -k $dir -c max_connections=200 ${ZAPIS_PG_OPTIONS:--c fsync=off}" start >/dev/null \
  || { log "the server did not start:"; cat "$dir/server.log" >&2; exit 1; }

echo "export ZAPIS_TEST_PG_DIR='$dir'"
echo "export ZAPIS_TEST_PG_ADMIN=zapis_admin"
echo "export ZAPIS_TEST_PG_PASSWORD='$password'"
log "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on socket $dir"
