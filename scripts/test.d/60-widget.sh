#!/usr/bin/env bash
# The pre-check widget in a real browser: builds pkg/ (if stale), the CLI with the server feature
# (the tests compare against its Decision and run the official check against `serve`), the site
# (www/dist), then runs the playwright-core end-to-end tests in Debian's Chromium.
# Screenshots land in test-results/ (gitignored).
set -euo pipefail
cd "$(dirname "$0")/../.."

if [ ! -f pkg/package.json ] || [ -n "$(find src Cargo.toml -newer pkg/package.json -print -quit)" ]; then
  if grep -q '"build:wasm"' package.json; then npm run -s build:wasm; else wasm-pack build --target bundler --release; fi
fi

cargo build --locked --features server --bin merchant-credit 2>&1 | tail -n 3
export MC_CLI="${CARGO_TARGET_DIR:-target}/debug/merchant-credit"

npm run -s build:www 2>&1 | grep -E "compiled|ERROR" || true
[ -f www/dist/index.html ] || { echo "www/dist was not built"; exit 1; }
npm run -s test:e2e
