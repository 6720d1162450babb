#!/usr/bin/env bash
# The whole test suite: installs missing tooling (idempotently), then runs every stage in
# scripts/test.d/ in name order. Each stage prints its runner's own summary lines.
# Usage: scripts/test.sh [STAGE-NAME-SUBSTRING...]   (no argument: every stage)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
export MERCHANT_CREDIT_DATA="${MERCHANT_CREDIT_DATA:-$(cd .. && pwd)/shared/data}"
bash scripts/setup.sh
failed=()
for stage in scripts/test.d/*.sh; do
  name=$(basename "$stage" .sh)
  if [ $# -gt 0 ]; then
    match=0; for want in "$@"; do [[ "$name" == *"$want"* ]] && match=1; done
    [ $match = 1 ] || continue
  fi
  echo "=== stage $name ==="
  start=$(date +%s)
  if bash "$stage"; then
    echo "=== stage $name passed ($(( $(date +%s) - start )) s) ==="
  else
    echo "=== stage $name FAILED ($(( $(date +%s) - start )) s) ==="
    failed+=("$name")
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "FAILED stages: ${failed[*]}"
  exit 1
fi
echo "all stages passed"
