//! Helpers shared by the integration tests.
#![allow(dead_code)]

use serde_json::{json, Value};

/// Reads a `.jsonl` case file: one JSON object per line, `#` lines are comments.
pub fn cases(name: &str) -> Vec<Value> {
    let path = format!("{}/tests/cases/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .map(|(i, l)| serde_json::from_str(l).unwrap_or_else(|e| panic!("{path}:{}: {e}", i + 1)))
        .collect()
}

/// The base store of the case files, with `overlay` merged over it. Orders without `id` get
/// `o1, o2, ...` and without `status` get `delivered`.
pub fn store_with(overlay: &Value) -> Value {
    let mut base = json!({
        "as_of": "2025-06-30", "currency": "CNY",
        "merchant": {"id": "m-case", "store_type": "reseller", "opened_on": "2023-01-01"}
    });
    if let (Some(b), Some(o)) = (base.as_object_mut(), overlay.as_object()) {
        for (k, v) in o {
            b.insert(k.clone(), v.clone());
        }
    }
    if let Some(orders) = base.get_mut("orders").and_then(Value::as_array_mut) {
        for (i, o) in orders.iter_mut().enumerate() {
            let o = o.as_object_mut().unwrap();
            o.entry("id").or_insert_with(|| json!(format!("o{}", i + 1)));
            o.entry("status").or_insert_with(|| json!("delivered"));
        }
    }
    base
}

/// An example store from examples/.
pub fn example(name: &str) -> String {
    let path = format!("{}/examples/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The shared real-data folder (`$MERCHANT_CREDIT_DATA`, default `../shared/data`) when it holds
/// the Olist sample; otherwise prints a notice naming what `skipped` and returns `None`.
pub fn olist_data_dir(skipped: &str) -> Option<std::path::PathBuf> {
    let dir = std::env::var_os("MERCHANT_CREDIT_DATA")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data"));
    if dir.join("olist/sample/olist_orders_dataset.csv").is_file() {
        Some(dir)
    } else {
        println!("NOTICE: Olist data not found under {} (set MERCHANT_CREDIT_DATA); {skipped} skipped", dir.display());
        None
    }
}

/// How many cases a property test runs: its own count, or `PROPTEST_CASES` when set, so a
/// long local run (`PROPTEST_CASES=50000 cargo test --release --test lifecycle_props`) can search
/// harder than CI does without editing the test.
pub fn proptest_cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}
