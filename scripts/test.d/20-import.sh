#!/usr/bin/env bash
# Real-data import printout: the Olist sample, one store per seller, grade and decision
# distribution (the 10-rust stage runs the same tests without showing their output).
set -euo pipefail
cargo test --all-features --locked --test olist_real -- --nocapture 2>&1
