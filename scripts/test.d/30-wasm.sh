#!/usr/bin/env bash
# The wasm package: build pkg/, wasm-bindgen-test suites in Node and headless Chromium, JS tests
# against the built package (node --test), and the TypeScript usage file (tsc --noEmit).
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$HOME/.cargo/bin:$PATH"
bash scripts/build-wasm.sh
echo "--- wasm-bindgen-test (node)"
wasm-pack --log-level warn test --node -- --test wasm_engine
echo "--- wasm-bindgen-test (headless chromium)"
CHROMEDRIVER=${CHROMEDRIVER:-/usr/bin/chromedriver} wasm-pack --log-level warn test --headless --chrome -- --test wasm_engine
echo "--- node --test tests/js"
node --test tests/js/
echo "--- tsc --noEmit"
node_modules/.bin/tsc --noEmit -p tests/js
echo "tsc: ok"
