//! The cases of tests/wasm_engine.rs in headless Chromium (chromedriver, webdriver.json):
//! `CHROMEDRIVER=/usr/bin/chromedriver cargo test --target wasm32-unknown-unknown --test wasm_browser`.
#![cfg(target_arch = "wasm32")]

use merchant_credit::Engine as CoreEngine;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

include!("wasm/cases.rs");
