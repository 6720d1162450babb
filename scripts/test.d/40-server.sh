#!/usr/bin/env bash
# The HTTP server (feature `server`): its integration tests against the real server on loopback,
# a short load and fault run (LOADTEST_SECONDS, default 5 here; the 30 s figures come from
# `scripts/loadtest/run.sh`), and the same-bytes comparison with the wasm package when a
# Node-loadable build of it exists.
set -euo pipefail
cd "$(dirname "$0")/../.."
target="${CARGO_TARGET_DIR:-target}"

cargo test --all-features --locked --test server_http --test server_same_answer 2>&1

LOADTEST_SECONDS="${LOADTEST_SECONDS:-5}" bash scripts/loadtest/run.sh

# wasm vs server: needs pkg/ built for Node (`npm run build:wasm`, once package.json has it).
if [ ! -f pkg/package.json ] && [ ! -f pkg-node/package.json ] && npm run 2>/dev/null | grep -q '^  build:wasm'; then
  npm run build:wasm
fi
set +e
node tests/server_same_answer_wasm.js "$target/release/merchant-credit"
rc=$?
set -e
case $rc in
  0) ;;
  3) echo "wasm vs server: SKIPPED (no Node-loadable wasm package in pkg/)" ;;
  *) exit $rc ;;
esac
