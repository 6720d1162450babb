#![no_main]
//! CSV import, preset `shopify` (given, and auto-detected), then the evaluate path on the store.
use libfuzzer_sys::fuzz_target;
use merchant_credit::store::import::Preset;

fuzz_target!(|data: &[u8]| {
    merchant_credit_fuzz::import_and_evaluate(data, Some(Preset::Shopify), None);
    merchant_credit_fuzz::import_and_evaluate(data, None, None);
});
