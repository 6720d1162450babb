#![no_main]
//! The whole evaluate path on arbitrary structured stores (`arbitrary`): whatever validates must
//! evaluate without a panic, deterministically, and survive a JSON round trip unchanged.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(store) = merchant_credit_fuzz::structured::store_from(data) else { return };
    if store.validate().is_ok() {
        merchant_credit_fuzz::check_decision(merchant_credit_fuzz::engine(), &store);
    }
});
