#![no_main]
//! Model JSON: parse + validate; a model that validates must evaluate the example stores
//! (orders, monthly-only, thin) without a panic, and its digest must be stable.
use libfuzzer_sys::fuzz_target;
use merchant_credit::{Engine, Model, StoreData};
use std::sync::OnceLock;

fn stores() -> &'static [StoreData] {
    static S: OnceLock<Vec<StoreData>> = OnceLock::new();
    S.get_or_init(|| {
        [
            include_str!("../../examples/store.json"),
            include_str!("../../examples/monthly-only.json"),
            include_str!("../../examples/new-seller.json"),
            include_str!("../../examples/overdue-seller.json"),
        ]
        .iter()
        .filter_map(|t| StoreData::from_json(t).ok())
        .collect()
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(model) = Model::from_json(text) else { return };
    assert_eq!(model.sha256(), model.sha256());
    let engine = Engine::new(model);
    for s in stores() {
        merchant_credit_fuzz::check_decision(&engine, s);
    }
});
