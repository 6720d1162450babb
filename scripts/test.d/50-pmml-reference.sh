#!/usr/bin/env bash
# PMML Scorecard conformance against JPMML-Evaluator (PyPI `jpmml_evaluator`, runs on the machine's
# Java) and `pypmml`: tests/pmml_reference.py scores generated records with both references and with
# `merchant-credit score`, and compares scores and reason codes (see docs/pmml.md).
set -euo pipefail
cd "$(dirname "$0")/../.."
DATA="${MERCHANT_CREDIT_DATA:-$(cd .. && pwd)/shared/data}"
if [ ! -d "$DATA/pmml" ]; then
  echo "SKIP: $DATA/pmml not found (set MERCHANT_CREDIT_DATA)"; exit 0
fi
command -v java >/dev/null || { echo "SKIP: no java on PATH (JPMML needs Java 8+)"; exit 0; }
python3 -c "import jpmml_evaluator, pypmml" 2>/dev/null || python3 -m pip install -q jpmml_evaluator pypmml
cargo build --features cli --locked -q 2>&1
BIN="${CARGO_TARGET_DIR:-target}/debug/merchant-credit"
MERCHANT_CREDIT_DATA="$DATA" python3 tests/pmml_reference.py "$BIN"
