//! wasm-bindgen-test suite, in Node: `cargo test --target wasm32-unknown-unknown --test wasm_engine`
//! with `wasm-bindgen-test-runner` as the runner (scripts/test.d/30-wasm.sh). The same cases run in
//! headless Chromium from tests/wasm_browser.rs. The JS class itself (src/wasm.rs) is tested from
//! JavaScript in tests/js/; these cases check the core as compiled to wasm32.
#![cfg(target_arch = "wasm32")]

use merchant_credit::Engine as CoreEngine;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

include!("wasm/cases.rs");
