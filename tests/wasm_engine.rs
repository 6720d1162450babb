//! wasm-bindgen-test suite of the JS boundary, run in Node (`wasm-pack test --node`) and in
//! headless Chromium (`wasm-pack test --headless --chrome`, see webdriver.json).
#![cfg(target_arch = "wasm32")]

use merchant_credit::Engine as CoreEngine;
use wasm_bindgen::{JsCast, JsValue};
// The JS class itself (src/wasm.rs) is tested from JavaScript in tests/js/ and by the unit tests
// at the end of src/wasm.rs; this suite checks the core as compiled to wasm32.
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const STORE: &str = include_str!("../examples/store.json");
const MONTHLY: &str = include_str!("../examples/monthly-only.json");

#[wasm_bindgen_test]
fn same_bytes_as_native_snapshot() {
    let d = CoreEngine::default().evaluate_json(STORE).unwrap();
    // tests/snapshots holds the native Decision JSON (pretty); compare parsed values exactly
    let native: serde_json::Value = serde_json::from_str(include_str!("snapshots/store.decision.json")).unwrap();
    let wasm: serde_json::Value = serde_json::from_str(&d.to_json()).unwrap();
    assert_eq!(wasm, native);
}

#[wasm_bindgen_test]
fn errors_have_codes_and_paths_in_wasm() {
    let e = CoreEngine::default().evaluate_json(&STORE.replacen("\"currency\": \"CNY\"", "\"currency\": \"cny\"", 1)).unwrap_err();
    assert_eq!((e.code(), e.path()), ("invalid_currency", "currency"));
    let e = CoreEngine::default().evaluate_json("{").unwrap_err();
    assert_eq!(e.code(), "malformed_json");
}

#[wasm_bindgen_test]
fn whatif_and_synth_run_in_wasm() {
    let engine = CoreEngine::default();
    let store = merchant_credit::StoreData::from_json(MONTHLY).unwrap();
    let c = merchant_credit::whatif::Changes::from_json(r#"{"features": {"refund_rate_90d": 0}}"#).unwrap();
    let w = merchant_credit::whatif::what_if(&engine, &store, &c).unwrap();
    assert!(w.delta.score >= 0);
    for p in merchant_credit::synth::Profile::ALL {
        let s = merchant_credit::synth::synth(p, &merchant_credit::synth::SynthOptions { orders: 200, ..Default::default() });
        let _ = engine.evaluate(&s);
    }
}

#[wasm_bindgen_test]
fn js_values_round_trip() {
    let d = CoreEngine::default().evaluate_json(MONTHLY).unwrap();
    let v = js_sys::JSON::parse(&d.to_json()).unwrap();
    let back = js_sys::JSON::stringify(&v).unwrap().as_string().unwrap();
    let a: serde_json::Value = serde_json::from_str(&back).unwrap();
    let b: serde_json::Value = serde_json::from_str(&d.to_json()).unwrap();
    assert_eq!(a, b);
    assert!(v.is_object() && !v.dyn_ref::<js_sys::Array>().is_some() && v != JsValue::NULL);
}
