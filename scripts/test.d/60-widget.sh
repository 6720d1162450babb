#!/usr/bin/env bash
# The pre-check widget in a real browser: the wasm package pkg/ (`npm run build:wasm`, only when
# stage 30-wasm has not already built it from the current sources), the CLI the tests compare with
# (with `server`, for the official check; built with --all-features like stage 10-rust, so after
# that stage cargo has nothing to do), the site www/dist, then the playwright-core end-to-end tests
# in Debian's Chromium. Screenshots land in test-results/ (gitignored).
# The benchmark is separate: `npm run bench:widget` (docs/widget.md).
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$HOME/.cargo/bin:$PATH"

if [ ! -f pkg/package.json ] || [ ! -f pkg/bundler/merchant_credit_bg.wasm ] \
   || [ -n "$(find src Cargo.toml Cargo.lock scripts/build-wasm.sh -newer pkg/package.json -print -quit)" ]; then
  npm run -s build:wasm
else
  echo "pkg/ is up to date (built by an earlier stage)"
fi

cargo build --locked --all-features --bin merchant-credit 2>&1 | tail -n 1
export MC_CLI="${CARGO_TARGET_DIR:-target}/debug/merchant-credit"

log=$(mktemp)
if ! npm run -s build:www > "$log" 2>&1; then
  cat "$log"; rm -f "$log"
  echo "www build failed"; exit 1
fi
grep -E "compiled" "$log" || true
rm -f "$log"
[ -f www/dist/index.html ] || { echo "www/dist was not built"; exit 1; }
npm run -s test:e2e
