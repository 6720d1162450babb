#![no_main]
//! The Olist tables: the input is the orders, items, reviews and closed-deals tables separated by
//! lines `#~#` (the last two optional). Every store built must validate and evaluate.
use libfuzzer_sys::fuzz_target;
use merchant_credit::store::import::{import_olist, ImportOptions, OlistTables};

fuzz_target!(|data: &[u8]| {
    let mut parts = split(data, b"\n#~#\n");
    let orders = parts.next().unwrap_or_default();
    let items = parts.next().unwrap_or_default();
    let reviews = parts.next();
    let deals = parts.next();
    let tables = OlistTables { orders, items, reviews, deals, ..Default::default() };
    if let Ok(out) = import_olist(tables, &ImportOptions::default(), &mut |_, _| {}) {
        for store in out.stores.iter().take(20) {
            assert!(store.validate().is_ok(), "an imported store does not validate");
            merchant_credit_fuzz::check_decision(merchant_credit_fuzz::engine(), store);
        }
    }
});

fn split<'a>(data: &'a [u8], sep: &'a [u8]) -> impl Iterator<Item = &'a [u8]> {
    let mut rest = Some(data);
    std::iter::from_fn(move || {
        let r = rest?;
        match r.windows(sep.len()).position(|w| w == sep) {
            Some(i) => {
                rest = Some(&r[i + sep.len()..]);
                Some(&r[..i])
            }
            None => {
                rest = None;
                Some(r)
            }
        }
    })
}
