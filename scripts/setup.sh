#!/usr/bin/env bash
# Installs every tool the test suite needs, idempotently: each step checks first and skips what is
# already there, so it is cheap on a machine that ran it before and complete on a fresh one.
# See ../shared/TOOLCHAIN.md for why each tool installs the way it does (no prebuilt downloads here).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

say() { printf '[setup] %s\n' "$*" >&2; }

# wasm-bindgen-cli must equal the wasm-bindgen crate version in Cargo.lock exactly.
WB_VERSION=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/,""); print; exit}' Cargo.lock 2>/dev/null || true)
WB_VERSION=${WB_VERSION:-0.2.130}

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding rust target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# The browser packages are built by the nightly toolchain (which this kind of machine has, for
# the fuzz stage) with -Zbuild-std: it needs nightly's rust-src and wasm32 target
# (scripts/build-wasm.sh; without them the browser packages are built on stable, larger).
if rustup run nightly rustc --version >/dev/null 2>&1; then
  if ! rustup component list --toolchain nightly --installed | grep -q '^rust-src'; then
    say "adding rust-src to the nightly toolchain"
    rustup component add rust-src --toolchain nightly || say "could not add rust-src: browser packages will be built on stable"
  fi
  if ! rustup target list --toolchain nightly --installed | grep -qx wasm32-unknown-unknown; then
    say "adding wasm32-unknown-unknown to the nightly toolchain"
    rustup target add wasm32-unknown-unknown --toolchain nightly || true
  fi
fi

need_apt=()
command -v wasm-opt >/dev/null 2>&1 || need_apt+=(binaryen)
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
[ -x /usr/bin/chromedriver ] || need_apt+=(chromium-driver)
# A CJK font, so the widget's zh-CN screenshots (test artifacts people look at) render Chinese.
[ -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || need_apt+=(fonts-wqy-microhei)
if [ ${#need_apt[@]} -gt 0 ]; then
  say "apt-get install ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if ! command -v wasm-pack >/dev/null 2>&1; then
  say "cargo install wasm-pack (builds from source, several minutes)"
  cargo install wasm-pack --locked
fi
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WB_VERSION" ]; then
  say "cargo install wasm-bindgen-cli $WB_VERSION (builds from source, several minutes)"
  # --locked first (reproducible); the registry mirror here lacks one locked transitive version
  # (webpki-roots 1.0.11), so fall back to a fresh resolution when that fails.
  cargo install wasm-bindgen-cli --version "$WB_VERSION" --locked --force \
    || cargo install wasm-bindgen-cli --version "$WB_VERSION" --force
fi

# cargo-fuzz for the fuzz stage (scripts/test.d/80-fuzz.sh; runs on the machine's nightly)
if ! command -v cargo-fuzz >/dev/null 2>&1; then
  say "cargo install cargo-fuzz (builds from source, a few minutes)"
  cargo install cargo-fuzz --locked || cargo install cargo-fuzz
fi

if [ -f package.json ]; then
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    say "npm ci"
    npm ci --no-audit --no-fund --loglevel=error
  fi
fi
say "toolchain ready"
