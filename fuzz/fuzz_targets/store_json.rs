#![no_main]
//! StoreData JSON: parse + validate, then the whole evaluate path on what parses.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(store) = merchant_credit::StoreData::from_json(text) {
        merchant_credit_fuzz::check_decision(merchant_credit_fuzz::engine(), &store);
    }
    // the one-call entry point must agree with parse-then-evaluate on errors
    let _ = merchant_credit::evaluate_json(text);
});
