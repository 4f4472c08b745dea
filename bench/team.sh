#!/usr/bin/env bash
# The team library at scale: a throw-away PostgreSQL cluster with fsync on and memory settings a
# small team server would have, 50 reps x 2,000 calls x 100 segments (~10 M segments), one rep's
# backlog synced from a real SQLite library, then the team view and search as a manager and as a
# rep. See examples/team_scale.rs.
#
# usage: bench/team.sh [--reps N] [--calls N] [--segments N] [--runs N] [--meanings 1] [--backlog N]
# (--backlog: the syncing rep's calls, by default --calls)
# Needs the PostgreSQL server (apt-get install postgresql) and ~6 GB of free disk in TMPDIR.
# With --meanings 1 the lines carry sentence vectors and the search by meaning is measured too,
# on the pgvector cluster scripts/pgvector-test-env.sh starts (PostgreSQL 18 from PyPI).
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --release --quiet --locked --example team_scale
export ZAPIS_PG_OPTIONS="-c fsync=on -c shared_buffers=1GB -c work_mem=32MB -c maintenance_work_mem=512MB -c max_wal_size=4GB"
if [[ " $* " == *" --meanings 1 "* ]]; then
  ZAPIS_PG_OPTIONS="${ZAPIS_PG_OPTIONS/maintenance_work_mem=512MB/maintenance_work_mem=1GB}"
  eval "$(scripts/pgvector-test-env.sh)"
  trap 'scripts/pgvector-test-env.sh --stop' EXIT
else
  eval "$(scripts/pg-test-env.sh)"
  trap 'scripts/pg-test-env.sh --stop' EXIT
fi
# Every role of the bench logs in with the cluster's password; the rep who syncs finds it here.
if [[ -n "${ZAPIS_TEST_PGVECTOR_PASSWORD:-}" ]]; then
  export PGPASSWORD="$ZAPIS_TEST_PGVECTOR_PASSWORD"
else
  export PGPASSWORD="$ZAPIS_TEST_PG_PASSWORD"
fi
target/release/examples/team_scale "$@"
