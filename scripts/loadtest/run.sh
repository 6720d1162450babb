#!/usr/bin/env bash
# Load and fault test of `merchant-credit serve` (issue 6): builds the release server, compiles the
# driver (scripts/loadtest/main.rs: standard library only, plain rustc, a few seconds) and runs it:
# four 1,000-order stores at concurrency 32 for LOADTEST_SECONDS (default 30) clean, then again
# with 5% faulty requests. Loopback only; stops by itself; exit code 0 when zero 5xx, every
# well-formed request got the CLI's bytes, the server is healthy afterwards and exits cleanly on
# SIGTERM.
# Usage: scripts/loadtest/run.sh [--seconds N] [--concurrency N] [--fault-percent N] [--max-requests N] [--store FILE]
set -euo pipefail
cd "$(dirname "$0")/../.."
target="${CARGO_TARGET_DIR:-target}"
cargo build --release --locked --features server --bin merchant-credit 2>&1 | grep -vE '^\s+(Compiling|Downloaded|Downloading)' || true
[ -x "$target/release/merchant-credit" ] || { echo "loadtest: server build failed" >&2; exit 1; }
mkdir -p "$target/loadtest"
rustc --edition 2021 -O -o "$target/loadtest/loadtest" scripts/loadtest/main.rs
exec "$target/loadtest/loadtest" --bin "$target/release/merchant-credit" --seconds "${LOADTEST_SECONDS:-30}" "$@"
