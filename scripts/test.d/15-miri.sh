#!/usr/bin/env bash
# The crate's unsafe code under Miri (nightly), which stops at undefined behaviour, a leak or a
# pointer made from an integer: the wasm module's allocator (src/arena.rs: random sequences of
# allocations, frees and resizes in and out of scopes) and `bytes::extend` (src/bytes.rs).
# PROPTEST_CASES is kept small: Miri runs ~1000x slower than native code; the native run of the
# same tests (stage rust) takes the full count. Isolation is off for proptest (it reads the working
# directory and the clock).
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$HOME/.cargo/bin:$PATH"
if ! cargo +nightly miri --version >/dev/null 2>&1; then
  echo "SKIP: no Miri on the nightly toolchain (rustup component add miri --toolchain nightly)"; exit 0
fi
MIRIFLAGS="${MIRIFLAGS:--Zmiri-disable-isolation}" PROPTEST_CASES="${PROPTEST_CASES:-6}" cargo +nightly miri test --lib -- arena:: bytes::extend_tests 2>&1 | grep -vE '^\s+(Compiling|Downloaded|Downloading)'
