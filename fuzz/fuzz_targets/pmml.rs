#![no_main]
//! PMML Scorecard import (feature `develop`); an imported model exports again and evaluates.
use libfuzzer_sys::fuzz_target;
use merchant_credit::develop::pmml;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(model) = pmml::import(text) else { return };
    let _ = pmml::export(&model);
    if model.validate().is_ok() {
        let store = merchant_credit::StoreData::from_json(include_str!("../../examples/store.json")).expect("example");
        let _ = merchant_credit::Engine::new(model).evaluate(&store);
    }
});
