#!/usr/bin/env bash
# Size and speed of the wasm package per rustc opt-level (profile wasm-release overridden through
# CARGO_PROFILE_WASM_RELEASE_OPT_LEVEL), each followed by the wasm-opt pass build-wasm.sh uses
# (-Oz for "s"/"z", -O3 for 3). Node target only, built in a temp dir (pkg/ is not touched).
# Usage: [WASM_OPT_LEVEL=-Oz] benches/wasm/opt-levels.sh [N] [levels...]   e.g. benches/wasm/opt-levels.sh 20 s z 3
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$HOME/.cargo/bin:$PATH"
N=${1:-20}; shift || true
levels=("${@:-s z 3}"); [ $# -eq 0 ] && levels=(s z 3)
T=${CARGO_TARGET_DIR:-target}
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT
flags=(--converge --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext
  --enable-mutable-globals --enable-reference-types --enable-multivalue --enable-simd)
for l in "${levels[@]}"; do
  CARGO_PROFILE_WASM_RELEASE_OPT_LEVEL=$l cargo build --quiet --lib --target wasm32-unknown-unknown \
    --profile wasm-release --no-default-features ${CARGO_CONFIG:+--config "$CARGO_CONFIG"}
  d=$out/$l; mkdir -p "$d"
  wasm-bindgen --target nodejs --out-dir "$d" --out-name merchant_credit "$T/wasm32-unknown-unknown/wasm-release/merchant_credit.wasm"
  o=-Oz; [ "$l" = 3 ] && o=-O3; o=${WASM_OPT_LEVEL:-$o}
  wasm-opt "$o" "${flags[@]}" "$d/merchant_credit_bg.wasm" -o "$d/merchant_credit_bg.wasm"
  node scripts/lib/fix-externref-export.mjs "$d/merchant_credit_bg.wasm" >/dev/null
  echo "=== opt-level $l + wasm-opt $o"
  PKG_NODE="$d" node benches/wasm/speed.mjs "$N" --no-cold --no-browser
done
