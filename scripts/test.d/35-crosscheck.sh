#!/usr/bin/env bash
# Same answer everywhere (issue 4): >= 1,000 stores evaluated natively (`merchant-credit batch`)
# and in wasm under Node, compared byte for byte. Stores: synthetic stores of every profile (the
# generator, many seeds and sizes), the examples, and every Olist seller of
# $MERCHANT_CREDIT_DATA/olist/sample (skipped with a notice when the data is absent).
# Expects pkg/ from scripts/build-wasm.sh (stage 30); builds it when missing.
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$HOME/.cargo/bin:$PATH"
DATA="${MERCHANT_CREDIT_DATA:-$(cd .. && pwd)/shared/data}"
[ -f pkg/node/merchant_credit.js ] || bash scripts/build-wasm.sh
cargo build --release --features cli --locked --quiet
BIN="${CARGO_TARGET_DIR:-target}/release/merchant-credit"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

# synthetic stores: 7 profiles x 110 seeds, 50 to ~3,000 orders (drawn by the same generator in wasm)
node -e '
const { Engine } = require("./pkg/node/merchant_credit.js");
const e = new Engine();
for (const p of ["healthy", "growing", "declining", "seasonal", "new", "wash_trading", "delinquent"])
  for (let seed = 1; seed <= 110; seed++)
    process.stdout.write(e.synthJson(p, { seed, orders: 50 + ((seed * 397) % 3000) }) + "\n");
' > "$work/stores.jsonl"
# the native generator draws the same bytes (spot check, one per profile)
for p in healthy growing declining seasonal new wash_trading delinquent; do
  a=$("$BIN" synth --profile $p --seed 5 --orders 500)
  b=$(node -e 'const {Engine}=require("./pkg/node/merchant_credit.js"); process.stdout.write(new Engine().synthJson(process.argv[1], {seed: 5, orders: 500}))' $p)
  [ "$a" = "$b" ] || { echo "crosscheck: synth --profile $p differs native vs wasm"; exit 1; }
done
for f in examples/*.json; do node -e 'process.stdout.write(JSON.stringify(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))) + "\n")' "$f"; done >> "$work/stores.jsonl"
if [ -d "$DATA/olist/sample" ]; then
  "$BIN" import --preset olist --dir "$DATA/olist/sample" --out "$work/olist" >/dev/null 2>&1
  n=0
  for f in "$work"/olist/*.json; do
    [ "$(basename "$f")" = import-report.json ] && continue
    tr -d '\n' < "$f" >> "$work/stores.jsonl"; echo >> "$work/stores.jsonl"; n=$((n + 1))
  done
  echo "crosscheck: $n Olist sellers from $DATA/olist/sample"
else
  echo "crosscheck: NOTICE $DATA/olist/sample is absent; Olist sellers skipped"
fi
# a few bad stores: the errors must match too
printf '%s\n' '{"as_of": "2025-06-30"}' '{"as_of":"2025-06-30","currency":"cny","merchant":{"id":"m","opened_on":"2020-01-01"},"monthly":[{"month":"2025-05","gmv":1,"orders":1}]}' >> "$work/stores.jsonl"

"$BIN" batch "$work/stores.jsonl" > "$work/native.jsonl" 2>/dev/null
node tests/js/crosscheck.mjs "$work/stores.jsonl" "$work/native.jsonl"
