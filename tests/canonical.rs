//! Canonical JSON (RFC 8785) three ways, byte for byte: the fast writer of a store
//! (src/store/canonical.rs), the generic `receipt::canonical_json` (compact serde output with its
//! object members sorted afterwards), and a reference built the plain way here (a
//! `serde_json::Value` tree, keys sorted, numbers in ECMAScript form): on every example store,
//! synthetic stores of every profile, their decisions, the default model, and generated values
//! with nested, escaped, non-ASCII and repeated keys.
mod common;

use merchant_credit::receipt::{canonical_from_json, canonical_json, to_json};
use merchant_credit::StoreData;
use proptest::prelude::*;
use serde_json::Value;

/// The reference: RFC 8785 written from a `Value` with explicitly sorted keys.
fn reference(v: &Value, out: &mut String) {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&serde_json::to_string(k).unwrap());
                out.push(':');
                reference(&m[k.as_str()], out);
            }
            out.push('}');
        }
        Value::Array(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                reference(x, out);
            }
            out.push(']');
        }
        Value::Number(n) if n.is_f64() => out.push_str(ryu_js::Buffer::new().format(n.as_f64().unwrap())),
        other => out.push_str(&serde_json::to_string(other).unwrap()),
    }
}

fn reference_of<T: serde::Serialize>(x: &T) -> Vec<u8> {
    let mut s = String::new();
    reference(&serde_json::to_value(x).unwrap(), &mut s);
    s.into_bytes()
}

fn same(a: &[u8], b: &[u8], what: &str) {
    if a != b {
        let i = a.iter().zip(b).position(|(x, y)| x != y).unwrap_or(a.len().min(b.len()));
        let lo = i.saturating_sub(60);
        panic!(
            "{what}: canonical JSON differs at byte {i}\nleft:  {}\nright: {}",
            String::from_utf8_lossy(&a[lo..(i + 60).min(a.len())]),
            String::from_utf8_lossy(&b[lo..(i + 60).min(b.len())])
        );
    }
}

#[test]
fn generic_canonical_json_equals_the_value_tree_reference_on_decisions_and_the_model() {
    let engine = merchant_credit::Engine::default();
    let model = merchant_credit::Model::default_model();
    same(&canonical_json(&model), &reference_of(&model), "default model");
    let mut n = 0;
    for store in example_and_synthetic_stores() {
        let d = engine.evaluate(&store);
        same(&canonical_json(&d), &reference_of(&d), &format!("decision of {}", store.merchant.id));
        same(&canonical_json(&store), &reference_of(&store), &format!("store {}", store.merchant.id));
        n += 1;
    }
    assert!(n > 20, "only {n} stores");
}

/// A decision signed from its output text (`evaluate_to_json`: canonical JSON derived from the
/// text, digest written into it) is the decision signed the long way, byte for byte.
#[test]
fn decisions_signed_from_their_text_equal_decisions_signed_from_the_value() {
    let engine = merchant_credit::Engine::default();
    let mut n = 0;
    for store in example_and_synthetic_stores() {
        let d = engine.evaluate(&store);
        let what = format!("decision of {}", store.merchant.id);
        // the digest from the value's canonical JSON (decision_digest blanks decision_sha256)
        assert_eq!(merchant_credit::decision::decision_digest(&d), d.receipt.decision_sha256, "{what}");
        same(engine.evaluate_to_json(&store).as_bytes(), d.to_json().as_bytes(), &what);
        same(&canonical_from_json(d.to_json().as_bytes()), &canonical_json(&d), &what);
        let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/store.json")).unwrap();
        if n == 0 {
            same(engine.evaluate_json_to_json(&text).unwrap().as_bytes(), engine.evaluate_json(&text).unwrap().to_json().as_bytes(), "store.json");
        }
        n += 1;
    }
    assert!(n > 20, "only {n} stores");
}

fn example_and_synthetic_stores() -> Vec<StoreData> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/examples")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            out.push(StoreData::from_json(&std::fs::read_to_string(&path).unwrap()).unwrap());
        }
    }
    for profile in ["healthy", "growing", "declining", "seasonal", "new", "wash_trading", "delinquent"] {
        for seed in 1..4u64 {
            let opts: merchant_credit::synth::SynthOptions =
                serde_json::from_value(serde_json::json!({"orders": 300, "seed": seed})).unwrap();
            let p: merchant_credit::synth::Profile = serde_json::from_value(serde_json::json!(profile)).unwrap();
            out.push(merchant_credit::synth::synth(p, &opts));
        }
    }
    out
}

fn arb_value() -> impl Strategy<Value = Value> {
    let key = prop_oneof![
        "[a-zA-Z0-9_#]{0,6}",
        Just("a\"b".to_string()),
        Just("a\\".to_string()),
        Just("\u{1}x".to_string()),
        Just("é".to_string()),
        Just("e".to_string()),
        Just("\u{7f}".to_string()),
        Just("z\u{2028}".to_string()),
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        prop_oneof![any::<f64>(), -1e25..1e25f64, -1e-5..1e-5f64].prop_map(Value::from),
        ".{0,8}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::vec((key.clone(), inner), 0..6).prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(common::proptest_cases(2000)))]
    #[test]
    fn generic_canonical_json_equals_the_reference_on_generated_values(v in arb_value()) {
        let ours = canonical_json(&v);
        prop_assert_eq!(String::from_utf8(ours).unwrap(), String::from_utf8(reference_of(&v)).unwrap());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(common::proptest_cases(2000)))]
    /// The canonical JSON derived from a value's output text is the value's canonical JSON.
    #[test]
    fn canonical_json_from_the_output_text_equals_the_reference(v in arb_value()) {
        let ours = canonical_from_json(to_json(&v).unwrap().as_bytes());
        prop_assert_eq!(String::from_utf8(ours).unwrap(), String::from_utf8(reference_of(&v)).unwrap());
    }
}

/// Repeated keys (possible with `#[serde(flatten)]`): the last one wins, as in a map.
#[test]
fn a_repeated_key_keeps_its_last_value() {
    struct Twice;
    impl serde::Serialize for Twice {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            use serde::ser::SerializeMap;
            let mut m = s.serialize_map(None)?;
            m.serialize_entry("b", &1)?;
            m.serialize_entry("a", &[3.0, 1.5])?;
            m.serialize_entry("b", &2)?;
            m.end()
        }
    }
    assert_eq!(canonical_json(&Twice), br#"{"a":[3,1.5],"b":2}"#.to_vec());
    assert_eq!(canonical_json(&f64::NAN), b"null".to_vec());
}

/// The store's fast writer against the generic path.
fn check(store: &StoreData, what: &str) {
    same(&store.canonical_json(), &canonical_json(store), what);
}

#[test]
fn fast_canonical_json_equals_the_generic_one() {
    for store in example_and_synthetic_stores() {
        check(&store, &store.merchant.id);
    }
    // escaping, odd amounts and every optional field
    let tricky = StoreData::from_value(serde_json::json!({"$schema": "merchant-credit/store@1", "as_of": "2025-06-30", "currency": "CNY",
        "merchant": {"id": "m\"é\u{1}", "opened_on": "2023-01-01"},
        "orders": [{"id": "a\\b\n", "placed_at": "2025-06-01T10:00:00+08:00", "amount": 1e-7, "status": "refunded",
                    "refund_amount": 1e-8, "buyer_id": "ü", "ship_by": "2025-06-02", "promised_by": "2025-06-05",
                    "shipped_at": "2025-06-01T12:00:00Z", "delivered_at": "2025-06-03T12:00:00Z", "rating": 4},
                   {"id": "b", "placed_at": "2025-06-01T10:00:00Z", "amount": 123456789012.5, "status": "delivered"}],
        "monthly": [{"month": "2025-05", "gmv": 9999999999999.99, "orders": 4294967295u32, "refunds": 0.1, "cancellations": 5e-7, "buyers": 0,
                     "disputes": 10, "rating": 4.25},
                    {"month": "2025-04", "gmv": 0, "orders": 0},
                    {"month": "2001-01", "gmv": 100.5, "orders": 1, "rating": 5, "buyers": 1234567890}]})).unwrap();
    check(&tricky, "tricky");
}
