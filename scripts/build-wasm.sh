#!/usr/bin/env bash
# Builds the WebAssembly package pkg/ (ignored by git; rebuilt from scratch each time):
#   pkg/bundler/  wasm-pack --target bundler  (webpack 5 and other bundlers; also Web Workers)
#   pkg/node/     wasm-pack --target nodejs   (CommonJS `require`; index.mjs re-exports for `import`);
#                 with feature js-backoffice: also monitor/monitorSeries/schedule/servicing/score,
#                 which the browser builds leave out (a smaller download for the seller's browser)
#   pkg/web/      wasm-pack --target web      (plain <script type="module"> / workers, no bundler)
# The browser builds (bundler, web) use the size-tuned profile wasm-browser and feature `compact`,
# the Node.js build the speed-tuned wasm-release (Cargo.toml); the Node.js build also hashes
# receipts with node:crypto.
#   pkg/package.json  `exports` conditions: node(types|import|require) / types / browser / import / default
# Each target is optimised with wasm-opt (settings below, chosen by measurement; see
# docs/js-api.md "Size"). Usage: scripts/build-wasm.sh [--debug] [--panic-hook]
#   --debug       dev profile, no wasm-opt (fast; for iterating)
#   --panic-hook  include the console_error_panic_hook feature (Rust panic messages in the console)
# Built with --no-default-features: no `gbk` (encoding_rs and its ~190 KB of tables); src/wasm.rs
# decodes GBK / GB18030 exports with the platform's TextDecoder instead.
# Honours CARGO_TARGET_DIR when set.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

# Cargo profiles (Cargo.toml): the browser packages are built for size (wasm-browser, opt-level
# "s"), the Node.js package for speed (wasm-release, opt-level 3).
browser_profile=(--profile wasm-browser)
node_profile=(--profile wasm-release)
features=()
opt=1
for a in "$@"; do
  case "$a" in
    --debug) browser_profile=(--dev); node_profile=(--dev); opt=0 ;;
    --panic-hook) features=(--features console_error_panic_hook) ;;
    *) echo "build-wasm: unknown option $a" >&2; exit 2 ;;
  esac
done
# wasm-opt: -Oz with --converge measured smallest (gzip) with binaryen 108; the enable flags are
# the wasm features rustc emits by default for wasm32-unknown-unknown, and simd128
# (.cargo/config.toml). --low-memory-unused: addresses below 1024 are never data (rustc links
# wasm32 with the stack first, growing down towards 0, so they would be the last KB of a 1 MB
# stack), which lets wasm-opt fold constant offsets into loads and stores: -1.5 KB gzipped.
WASM_OPT_FLAGS=(-Oz --converge --low-memory-unused --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext
  --enable-mutable-globals --enable-reference-types --enable-multivalue --enable-simd)
# The Node.js module is optimised for speed instead (-O3; it is not a download): measured against
# -Oz on the same cargo output, timed alternately in one process (9 rounds, medians, two runs),
# evaluateJson 1-4% faster (monthly-only 78.7 -> 76.7 us, new-seller 266 -> 259, store.json
# 3,960 -> 3,797), 1.4 KB larger gzipped; -O4 measured the same as -O3.
NODE_WASM_OPT_FLAGS=(-O3 "${WASM_OPT_FLAGS[@]:2}")

# The browser packages are what every seller downloads, so they are also built without panic
# machinery: nightly Rust rebuilds the standard library (-Zbuild-std) with panics that abort at
# once (-Cpanic=immediate-abort: no panic messages, locations or formatting of them; a panic in
# the module was already an abort, and none is reachable from the API) and no source locations
# (-Zlocation-detail=none). Measured: 265 -> 249 KB gzipped (docs/js-api.md "Size and speed").
# Same code and answers otherwise (the cross-check runs every store through these modules too).
# It needs the nightly toolchain with rust-src (scripts/setup.sh adds rust-src where nightly is
# installed); without it, or for --debug / --panic-hook builds, the browser packages are built
# on stable like the Node.js package, ~16 KB larger gzipped.
browser_env=(); browser_cargo=()
if [ $opt = 1 ] && [ ${#features[@]} = 0 ] && rustup component list --toolchain nightly --installed 2>/dev/null | grep -q '^rust-src'; then
  browser_env=(RUSTUP_TOOLCHAIN=nightly
    "RUSTFLAGS=-C target-feature=+simd128 -Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none")
  browser_cargo=(-Zbuild-std=std,panic_abort)
elif [ $opt = 1 ] && [ ${#features[@]} = 0 ]; then
  echo "build-wasm: no nightly toolchain with rust-src; the browser packages are built on stable (about 16 KB larger gzipped)" >&2
fi

rm -rf pkg
for target in bundler nodejs web; do
  dir=$target; [ "$target" = nodejs ] && dir=node
  echo "build-wasm: $target -> pkg/$dir" >&2
  extra=(--features compact); profile=("${browser_profile[@]}"); env_=("${browser_env[@]}"); cargo_=("${browser_cargo[@]}")
  [ "$target" = nodejs ] && extra=(--features js-backoffice,node-digest) && profile=("${node_profile[@]}") && env_=() && cargo_=()
  env "${env_[@]}" wasm-pack --log-level warn build "${profile[@]}" --target "$target" --out-dir "pkg/$dir" \
    --out-name merchant_credit --no-pack --no-opt -- --no-default-features "${features[@]}" "${extra[@]}" "${cargo_[@]}"
  rm -f "pkg/$dir/.gitignore"
  [ "$target" = nodejs ] && node scripts/lib/cjs-snippets.mjs "pkg/$dir"
  if [ $opt = 1 ]; then
    flags=("${WASM_OPT_FLAGS[@]}"); [ "$target" = nodejs ] && flags=("${NODE_WASM_OPT_FLAGS[@]}")
    wasm-opt "${flags[@]}" "pkg/$dir/merchant_credit_bg.wasm" -o "pkg/$dir/merchant_credit_bg.wasm"
    node scripts/lib/fix-externref-export.mjs "pkg/$dir/merchant_credit_bg.wasm"
  fi
done

# The web target is ES modules: say so, so that Node.js (tests, the cross-check, a user's script
# with `initSync`) loads it without reparsing it and warning. (pkg/node stays CommonJS.)
echo '{ "type": "module" }' > pkg/web/package.json

# Node ESM entry: the nodejs target is CommonJS; re-export its names for `import`.
names=$(node -e 'console.log(Object.keys(require("./pkg/node/merchant_credit.js")).filter(n => n !== "start" && !n.startsWith("__")).join(", "))')
cat > pkg/node/index.mjs <<JS
// ESM entry for Node.js: the wasm-pack nodejs build is CommonJS; this re-exports its API.
import cjs from "./merchant_credit.js";
export const { ${names} } = cjs;
export default cjs;
JS

version=$(awk -F'"' '/^version = /{print $2; exit}' Cargo.toml)
cat > pkg/package.json <<JSON
{
  "name": "merchant-credit",
  "version": "${version}",
  "description": "Credit scoring and credit limits for e-commerce sellers, in the browser and in Node.js (WebAssembly)",
  "license": "MIT OR Apache-2.0",
  "sideEffects": ["./bundler/merchant_credit.js", "./bundler/merchant_credit_bg.js"],
  "types": "./bundler/merchant_credit.d.ts",
  "main": "./node/merchant_credit.js",
  "module": "./bundler/merchant_credit.js",
  "browser": "./bundler/merchant_credit.js",
  "exports": {
    ".": {
      "node": {
        "types": "./node/merchant_credit.d.ts",
        "import": "./node/index.mjs",
        "require": "./node/merchant_credit.js"
      },
      "types": "./bundler/merchant_credit.d.ts",
      "browser": "./bundler/merchant_credit.js",
      "import": "./bundler/merchant_credit.js",
      "default": "./bundler/merchant_credit.js"
    },
    "./web": {
      "types": "./web/merchant_credit.d.ts",
      "default": "./web/merchant_credit.js"
    },
    "./web/merchant_credit_bg.wasm": "./web/merchant_credit_bg.wasm",
    "./package.json": "./package.json"
  },
  "files": ["bundler", "node", "web"],
  "engines": { "node": ">=18" }
}
JSON
# Smoke test: the optimised module instantiates and evaluates (a broken wasm-opt shows up here).
node -e 'const m = require("./pkg/node/merchant_credit.js"); const d = new m.Engine().evaluate(require("fs").readFileSync("examples/store.json", "utf8")); if (!d.decision) process.exit(1)' \
  || { echo "build-wasm: the built module does not evaluate examples/store.json" >&2; exit 1; }
for d in bundler node web; do
  w=pkg/$d/merchant_credit_bg.wasm
  echo "build-wasm: $w $(stat -c %s "$w") bytes, $(gzip -9c "$w" | wc -c) gzipped" >&2
done
