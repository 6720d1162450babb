#!/usr/bin/env bash
# Lints, warnings as errors. The library denies clippy::unwrap_used, expect_used and
# indexing_slicing outside tests (src/lib.rs): no panic reachable from the public API.
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo clippy --all-targets --all-features --locked -- -D warnings 2>&1
# the wasm boundary (src/wasm.rs) only compiles for wasm32: the browser and the Node.js builds
cargo clippy --target wasm32-unknown-unknown --lib --no-default-features --locked -- -D warnings 2>&1
cargo clippy --target wasm32-unknown-unknown --lib --no-default-features --features js-backoffice,node-digest --locked -- -D warnings 2>&1
# the API docs build without warnings (broken or private intra-doc links)
RUSTDOCFLAGS="-D warnings" cargo doc --no-deps --lib --all-features --locked -q 2>&1
echo "clippy: clean; rustdoc: clean"
