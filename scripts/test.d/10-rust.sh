#!/usr/bin/env bash
# Native Rust tests: unit, integration (including real Olist data), doc tests, all features.
set -euo pipefail
cargo test --all-features --locked 2>&1
