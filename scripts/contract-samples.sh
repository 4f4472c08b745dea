#!/usr/bin/env bash
# Regenerates ui/src/lib/contract-samples/*.json from the real CLI on a fixture call, so the UI's
# contract tests read what the Rust side actually serialises.
set -euo pipefail
cd "$(dirname "$0")/.."
out=ui/src/lib/contract-samples
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
cargo build -q --bin zapis
z() { target/debug/zapis --data-dir "$data" "$@"; }
z import tests/fixtures/calls/03_pricing_negotiation.vtt --consent-confirmed --date 2026-03-02 \
  --participant "Tom Becker <tom@acme.example>" >/dev/null
printf 'Email,Full Name,Company\ntom@acme.example,Tom Becker,Acme\n' >"$data/contacts.csv"
z contacts import "$data/contacts.csv" >/dev/null
z calls show 1 --json >"$out/get_call.json"
z calls list --json >"$out/list_calls.json"
z contacts list --json >"$out/list_contacts.json"
z contacts show tom@acme.example --json >"$out/get_contact.json"
echo "contract samples written to $out"
