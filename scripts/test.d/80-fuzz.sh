#!/usr/bin/env bash
# Short fuzz run (issue 9): each cargo-fuzz target for FUZZ_SECONDS (default 45) on nightly,
# starting from the committed corpora in fuzz/corpus/ (new inputs found go to a scratch copy, so
# the run leaves the tree clean). A crash fails the stage; its input lands in fuzz/artifacts/ and
# must become a test in tests/fuzz_regressions.rs.
#   FUZZ_SECONDS=600 scripts/test.sh fuzz          longer runs (see docs/fuzzing.md)
#   FUZZ_TARGETS="store_json csv_generic" ...     a subset
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$HOME/.cargo/bin:$PATH"
secs="${FUZZ_SECONDS:-45}"
if ! cargo +nightly --version >/dev/null 2>&1; then
  echo "SKIP: no nightly toolchain (cargo fuzz needs one)"; exit 0
fi
command -v cargo-fuzz >/dev/null || { echo "cargo-fuzz missing (scripts/setup.sh installs it)"; exit 1; }
targets="${FUZZ_TARGETS:-$(cargo +nightly fuzz list --fuzz-dir fuzz)}"
# one build of every target first (debug assertions on, optimised)
cargo +nightly fuzz build --fuzz-dir fuzz -O 2>&1 | grep -vE '^\s+(Compiling|Downloaded|Downloading)' || true
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
failed=()
for t in $targets; do
  mkdir -p "$scratch/$t"
  cp -r "fuzz/corpus/$t/." "$scratch/$t/" 2>/dev/null || true
  echo "--- fuzz $t (${secs}s)"
  if cargo +nightly fuzz run --fuzz-dir fuzz -O "$t" "$scratch/$t" -- \
      -max_total_time="$secs" -max_len=65536 -rss_limit_mb=2048 -timeout=20 -print_final_stats=1 2>"$scratch/$t.log"; then
    grep -E '^(stat::number_of_executed_units|stat::new_units_added|stat::peak_rss_mb)' "$scratch/$t.log" | tr '\n' ' '; echo
  else
    tail -n 40 "$scratch/$t.log"
    failed+=("$t")
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: crashes in ${failed[*]} (inputs in fuzz/artifacts/)"; exit 1
fi
echo "fuzz: no crash in $(echo $targets | wc -w) targets x ${secs}s"
