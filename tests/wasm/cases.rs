// Cases shared by tests/wasm_engine.rs (Node) and tests/wasm_browser.rs (headless Chromium).

const STORE: &str = include_str!("../../examples/store.json");
const MONTHLY: &str = include_str!("../../examples/monthly-only.json");

#[wasm_bindgen_test]
fn same_bytes_as_native_snapshot() {
    let d = CoreEngine::default().evaluate_json(STORE).unwrap();
    // tests/snapshots holds the native Decision JSON (pretty); compare parsed values exactly
    let native: serde_json::Value = serde_json::from_str(include_str!("../snapshots/store.decision.json")).unwrap();
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
    // JS prints 100.0 as 100, so compare numbers as numbers: every value survives the round trip
    let a: serde_json::Value = serde_json::from_str(&back).unwrap();
    let b: serde_json::Value = serde_json::from_str(&d.to_json()).unwrap();
    assert_eq!(a.to_string().len() <= b.to_string().len(), true);
    assert_eq!(num_eq(&a, &b), true);
    assert!(v.is_object() && !v.dyn_ref::<js_sys::Array>().is_some() && v != JsValue::NULL);
}

fn num_eq(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value::*;
    match (a, b) {
        (Number(x), Number(y)) => x.as_f64() == y.as_f64(),
        (Array(x), Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(p, q)| num_eq(p, q)),
        (Object(x), Object(y)) => x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| num_eq(v, w))),
        _ => a == b,
    }
}
