#!/usr/bin/env bash
# Starts a throw-away PostgreSQL cluster for the team-library tests: initdb in a folder of its
# own, password (SCRAM) logins, listening on a Unix socket there and on a free loopback TCP port
# that takes TLS connections only, with a certificate from a certificate authority made for this
# cluster (trusted by nothing on the machine). Prints `export …` lines; use it as
#     eval "$(scripts/pg-test-env.sh)"
# and stop it with scripts/pg-test-env.sh --stop (scripts/test.sh does both).
# Exports: ZAPIS_TEST_PG_DIR (the cluster's folder and socket), ZAPIS_TEST_PG_PORT (the port, of
# the socket and of TCP on 127.0.0.1), ZAPIS_TEST_PG_CA (the authority's certificate, PEM),
# ZAPIS_TEST_PG_ADMIN and ZAPIS_TEST_PG_PASSWORD (the superuser the tests create databases and
# roles with).
# ZAPIS_PG_OPTIONS replaces the server options tests run with (fsync off: a test cluster holds
# nothing worth a flush); benchmarks pass real settings.
# ZAPIS_PG_BINDIR runs another PostgreSQL's programs (scripts/pgvector-test-env.sh: one with
# pgvector), ZAPIS_PG_EXPORT names the exports instead of ZAPIS_TEST_PG (…_DIR, …_PORT, …), and
# ZAPIS_PG_TLS=off starts a server built without TLS on its Unix socket only (no …_CA then).
# PostgreSQL refuses to run as root, so as root the cluster runs as the `postgres` user that
# Debian's package creates.
set -euo pipefail

log() { echo "pg-test-env: $*" >&2; }

prefix="${ZAPIS_PG_EXPORT:-ZAPIS_TEST_PG}"
bindir="${ZAPIS_PG_BINDIR:-}"
if [[ -n "$bindir" ]]; then
  :
elif command -v pg_config >/dev/null && [[ -x "$(pg_config --bindir)/initdb" ]]; then
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
  dir_var="${prefix}_DIR"
  dir="${!dir_var:?set $dir_var to the cluster to stop}"
  if [[ -f "$dir/data/postmaster.pid" ]]; then
    as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
  exit 0
fi

dir="$(mktemp -d "${TMPDIR:-/tmp}/zapis-test-pg.XXXXXX")"
chmod 755 "$dir"
# Whatever fails from here on says why and leaves nothing behind.
fail() {
  log "$1"
  for f in "$@"; do if [[ "$f" != "$1" && -f "$f" ]]; then cat "$f" >&2; fi; done
  if [[ -f "$dir/data/postmaster.pid" ]]; then as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true; fi
  rm -rf "$dir"
  exit 1
}
password="zapis-test-$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')"
printf '%s\n' "$password" >"$dir/pwfile"
if [[ $(id -u) -eq 0 ]]; then chown -R postgres: "$dir"; fi

as_owner "$bindir/initdb" -D "$dir/data" -U zapis_admin --pwfile="$dir/pwfile" \
  --auth-local=scram-sha-256 --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
  || fail "initdb failed:" "$dir/initdb.log"
rm -f "$dir/pwfile"

hba="$dir/data/pg_hba.conf"
if [[ "${ZAPIS_PG_TLS:-on}" == "off" ]]; then
  echo "local all all scram-sha-256" | as_owner tee "$hba" >/dev/null || fail "could not write $hba"
  listen="-c listen_addresses="
else
  # TLS: a certificate authority of this cluster's own signs the server's certificate (localhost
  # and 127.0.0.1). Over TCP only TLS is let in, so a client that logs in there used it.
  tls="$dir/tls"
  mkdir -p "$tls"
  command -v openssl >/dev/null || fail "openssl is missing: install it (apt-get install openssl)"
  ec=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes)
  {
    openssl req -x509 "${ec[@]}" -keyout "$tls/ca.key" -out "$tls/ca.crt" -days 7 \
      -subj "/CN=Zapis test CA" -addext "basicConstraints=critical,CA:TRUE" \
      -addext "keyUsage=critical,keyCertSign,cRLSign" \
    && openssl req "${ec[@]}" -keyout "$tls/server.key" -out "$tls/server.csr" -subj "/CN=localhost" \
    && printf '%s\n' "subjectAltName=DNS:localhost,IP:127.0.0.1" "basicConstraints=critical,CA:FALSE" \
      "keyUsage=critical,digitalSignature" "extendedKeyUsage=serverAuth" >"$tls/server.ext" \
    && openssl x509 -req -in "$tls/server.csr" -CA "$tls/ca.crt" -CAkey "$tls/ca.key" -CAcreateserial \
      -days 7 -extfile "$tls/server.ext" -out "$tls/server.crt"
  } >"$dir/openssl.log" 2>&1 || fail "openssl could not make the test certificates:" "$dir/openssl.log"
  rm -f "$tls/ca.key" "$tls/server.csr" "$tls/ca.srl"
  chmod 600 "$tls/server.key"
  if [[ $(id -u) -eq 0 ]]; then chown -R postgres: "$tls"; fi
  {
    echo "local all all scram-sha-256"
    echo "hostssl all all 127.0.0.1/32 scram-sha-256"
    echo "hostnossl all all 127.0.0.1/32 reject"
  } | as_owner tee "$hba" >/dev/null || fail "could not write $hba"
  listen="-c listen_addresses=127.0.0.1 -c ssl=on -c ssl_cert_file=$tls/server.crt -c ssl_key_file=$tls/server.key"
fi

# A port nobody listens on, for the socket and for TCP alike; another program can take it between
# the check and the start, so a start that fails is tried again on a new port.
started=""
for _ in 1 2 3; do
  port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  if as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
    -o "-p $port $listen -k $dir -c max_connections=200 ${ZAPIS_PG_OPTIONS:--c fsync=off}" start >/dev/null; then
    started=1
    break
  fi
done
[[ -n "$started" ]] || fail "the server did not start:" "$dir/server.log"

echo "export ${prefix}_DIR='$dir'"
echo "export ${prefix}_PORT='$port'"
if [[ -n "${tls:-}" ]]; then echo "export ${prefix}_CA='$tls/ca.crt'"; fi
echo "export ${prefix}_ADMIN=zapis_admin"
echo "export ${prefix}_PASSWORD='$password'"
log "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on socket $dir${tls:+ and TLS on 127.0.0.1:$port}"
