//! Shared helpers for the fuzz targets: the whole evaluate path on an imported or parsed store,
//! with the invariants every decision must hold.

use merchant_credit::store::import::{import_csv, ImportOptions, Preset};
use merchant_credit::{Engine, StoreData};
use std::sync::OnceLock;

pub mod structured;

/// The default engine, built once.
pub fn engine() -> &'static Engine {
    static E: OnceLock<Engine> = OnceLock::new();
    E.get_or_init(Engine::default)
}

/// Evaluates a valid store and checks what must hold of any decision: deterministic bytes, a
/// finite score and PD in [0, 1], reasons present, a non-negative line, and the same bytes
/// again after a JSON round trip of the store (what the server and the browser see).
pub fn check_decision(engine: &Engine, store: &StoreData) {
    let d = engine.evaluate(store);
    let json = d.to_json();
    assert!(d.pd.is_finite() && (0.0..=1.0).contains(&d.pd), "pd {}", d.pd);
    assert!(d.credit_line.amount >= 0.0, "line {}", d.credit_line.amount);
    assert_eq!(engine.evaluate(store).to_json(), json, "evaluation is not deterministic");
    let text = serde_json::to_string(store).expect("a valid store serializes");
    match StoreData::from_json(&text) {
        Ok(back) => assert_eq!(engine.evaluate(&back).to_json(), json, "JSON round trip changed the decision"),
        Err(e) => panic!("a store that validates does not parse back: {e}\n{text}"),
    }
}

/// Imports `data` as a CSV export with the given preset (None: detect) and, when the import
/// succeeds, evaluates the store.
pub fn import_and_evaluate(data: &[u8], preset: Option<Preset>, mapping: Option<&str>) {
    let mut opts = ImportOptions { preset, currency: Some("CNY".into()), ..ImportOptions::default() };
    if let Some(m) = mapping {
        opts.mapping = serde_json::from_str(m).ok();
    }
    let mut last = 0u64;
    let out = import_csv(data, &opts, &mut |done, total| {
        assert!(done <= total, "progress {done} of {total}");
        assert!(done >= last, "progress went back");
        last = done;
    });
    if let Ok(import) = out {
        assert!(import.store.validate().is_ok(), "an imported store does not validate");
        assert_eq!(import.report.orders as usize, import.store.orders.len());
        check_decision(engine(), &import.store);
    }
}
