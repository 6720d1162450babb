//! The fast canonical writer of a store (src/store/canonical.rs) equals the generic RFC 8785
//! path byte for byte, on every example and on synthetic stores of every profile.
mod common;

use merchant_credit::receipt::canonical_json;
use merchant_credit::StoreData;

fn check(store: &StoreData, what: &str) {
    let fast = store.canonical_json();
    let generic = canonical_json(store);
    if fast != generic {
        let i = fast.iter().zip(&generic).position(|(a, b)| a != b).unwrap_or(fast.len().min(generic.len()));
        let lo = i.saturating_sub(60);
        panic!(
            "{what}: canonical JSON differs at byte {i}\nfast:    {}\ngeneric: {}",
            String::from_utf8_lossy(&fast[lo..(i + 60).min(fast.len())]),
            String::from_utf8_lossy(&generic[lo..(i + 60).min(generic.len())])
        );
    }
}

#[test]
fn fast_canonical_json_equals_the_generic_one() {
    for entry in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/examples")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            let store = StoreData::from_json(&std::fs::read_to_string(&path).unwrap()).unwrap();
            check(&store, &path.display().to_string());
        }
    }
    for profile in ["healthy", "growing", "declining", "seasonal", "new", "wash_trading", "delinquent"] {
        for seed in 1..4u64 {
            let opts: merchant_credit::synth::SynthOptions =
                serde_json::from_value(serde_json::json!({"orders": 300, "seed": seed})).unwrap();
            let p: merchant_credit::synth::Profile = serde_json::from_value(serde_json::json!(profile)).unwrap();
            let store = merchant_credit::synth::synth(p, &opts);
            check(&store, &format!("synth {profile} seed {seed}"));
        }
    }
    // escaping, odd amounts and every optional field
    let tricky = StoreData::from_value(serde_json::json!({"$schema": "merchant-credit/store@1", "as_of": "2025-06-30", "currency": "CNY",
        "merchant": {"id": "m\"é\u{1}", "opened_on": "2023-01-01"},
        "orders": [{"id": "a\\b\n", "placed_at": "2025-06-01T10:00:00+08:00", "amount": 1e-7, "status": "refunded",
                    "refund_amount": 1e-8, "buyer_id": "ü", "ship_by": "2025-06-02", "promised_by": "2025-06-05",
                    "shipped_at": "2025-06-01T12:00:00Z", "delivered_at": "2025-06-03T12:00:00Z", "rating": 4},
                   {"id": "b", "placed_at": "2025-06-01T10:00:00Z", "amount": 123456789012.5, "status": "delivered"}]})).unwrap();
    check(&tricky, "tricky");
}
