#!/usr/bin/env bash
# The wasm package: build pkg/, wasm-bindgen-test suites in Node and headless Chromium, JS tests
# against the built package (node --test), and the TypeScript usage file (tsc --noEmit).
# The suites run through `cargo test --target wasm32-unknown-unknown --test NAME` with
# wasm-bindgen-test-runner (what `wasm-pack test` does), so only the named test targets are built
# for wasm32 (the native integration tests use proptest, which does not build for wasm32).
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$HOME/.cargo/bin:$PATH"
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
bash scripts/build-wasm.sh
echo "--- wasm-bindgen-test (node)"
cargo test --target wasm32-unknown-unknown --test wasm_engine
echo "--- wasm-bindgen-test (headless chromium)"
CHROMEDRIVER=${CHROMEDRIVER:-/usr/bin/chromedriver} cargo test --target wasm32-unknown-unknown --test wasm_browser
echo "--- boundary unit tests (src/wasm.rs, headless chromium)"
CHROMEDRIVER=${CHROMEDRIVER:-/usr/bin/chromedriver} cargo test --target wasm32-unknown-unknown --lib
echo "--- node --test tests/js"
node --test tests/js/
echo "--- tsc --noEmit"
node_modules/.bin/tsc --noEmit -p tests/js                    # the browser package's API
node_modules/.bin/tsc --noEmit -p tests/js/tsconfig.node.json  # the Node.js package's (+ back-office)
echo "tsc: ok"
