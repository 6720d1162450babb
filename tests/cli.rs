//! The `merchant-credit` binary: outputs, exit codes and messages (feature `cli`).
#![cfg(feature = "cli")]

use std::process::{Command, Stdio};

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_merchant-credit"));
    c.current_dir(env!("CARGO_MANIFEST_DIR"));
    c
}

fn run(args: &[&str], stdin: Option<&str>) -> (i32, String, String) {
    let mut child = bin().args(args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    if let Some(s) = stdin {
        use std::io::Write;
        child.stdin.take().unwrap().write_all(s.as_bytes()).unwrap();
    } else {
        drop(child.stdin.take());
    }
    let out = child.wait_with_output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into(), String::from_utf8_lossy(&out.stderr).into())
}

#[test]
fn evaluate_prints_the_same_decision_as_the_library() {
    let (code, out, _) = run(&["evaluate", "examples/store.json"], None);
    assert_eq!(code, 0);
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/store.json")).unwrap();
    assert_eq!(out.trim_end(), merchant_credit::evaluate_json(&text).unwrap().to_json());
    let (code, pretty, _) = run(&["evaluate", "--pretty", "examples/store.json"], None);
    assert_eq!(code, 0);
    assert!(pretty.contains("\n  \"decision\": \"approve\""));
}

#[test]
fn bad_input_exits_2_with_a_clear_message_and_no_backtrace() {
    let (code, out, err) = run(&["evaluate", "-"], Some(r#"{"as_of": "2025-06-30", "currency": "CNY", "merchant": {"id": "m", "opened_on": "2024-01-01"}, "orders": [{"id": "o", "placed_at": "2025-06-01T00:00:00Z", "amount": -3, "status": "delivered"}]}"#));
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(err.contains("orders[0].amount: negative amount -3 [negative_amount]"), "{err}");
    assert!(!err.contains("panicked") && !err.contains("backtrace"));
    let (code, _, err) = run(&["evaluate", "no/such/file.json"], None);
    assert_eq!(code, 2);
    assert!(err.contains("no/such/file.json"));
    let (code, _, err) = run(&["evaluate", "-"], Some("not json"));
    assert_eq!(code, 2);
    assert!(err.contains("malformed JSON"), "{err}");
}

#[test]
fn schema_prints_each_contract() {
    for kind in ["store", "model", "decision"] {
        let (code, out, _) = run(&["schema", kind], None);
        assert_eq!(code, 0);
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["$id"], format!("merchant-credit/{kind}@1"));
    }
    let (code, _, _) = run(&["schema", "nonsense"], None);
    assert_eq!(code, 2);
}

#[test]
fn model_check_reports_or_rejects() {
    let (code, out, _) = run(&["model", "check", "models/default.json"], None);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["sha256"], merchant_credit::Model::default_model().sha256());
    let mut m: serde_json::Value = serde_json::from_str(merchant_credit::model::DEFAULT_MODEL_JSON).unwrap();
    m["grades"][2]["min_score"] = serde_json::json!(900);
    let path = std::env::temp_dir().join(format!("mc-bad-model-{}.json", std::process::id()));
    std::fs::write(&path, m.to_string()).unwrap();
    let (code, _, err) = run(&["model", "check", path.to_str().unwrap()], None);
    std::fs::remove_file(&path).ok();
    assert_eq!(code, 2);
    assert!(err.contains("grades[2].min_score") && err.contains("[invalid_model]"), "{err}");
}

#[test]
fn batch_keeps_order_and_reports_bad_lines() {
    let store = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/monthly-only.json")).unwrap();
    let one_line: String = serde_json::to_string(&serde_json::from_str::<serde_json::Value>(&store).unwrap()).unwrap();
    let input = format!("{one_line}\n{{\"bad\": 1}}\n{one_line}\n");
    let (code, out, _) = run(&["batch", "--chunk", "2"], Some(&input));
    assert_eq!(code, 0);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0], lines[2]);
    let bad: serde_json::Value = serde_json::from_str(lines[1]).unwrap();
    assert_eq!(bad["line"], 2);
    assert_eq!(bad["error"]["code"], "unknown_field");
}

/// `import --preset olist --dir` with the closed-deals table given from another folder by
/// `--deals`; `--deals` without `--dir` is a usage error.
#[test]
fn olist_import_with_closed_deals_from_elsewhere() {
    let tmp = std::env::temp_dir().join(format!("mc-cli-deals-{}", std::process::id()));
    let (tables, elsewhere) = (tmp.join("tables"), tmp.join("funnel"));
    std::fs::create_dir_all(&tables).unwrap();
    std::fs::create_dir_all(&elsewhere).unwrap();
    std::fs::write(tables.join("olist_orders_dataset.csv"), "order_id,customer_id,order_status,order_purchase_timestamp\no1,c1,delivered,2018-03-05 10:00:00\n").unwrap();
    std::fs::write(tables.join("olist_order_items_dataset.csv"), "order_id,seller_id,price,freight_value\no1,s1,100,10\n").unwrap();
    let deals = elsewhere.join("olist_closed_deals_dataset.csv");
    std::fs::write(&deals, "seller_id,won_date,business_segment,business_type,declared_monthly_revenue\ns1,2018-02-01 09:00:00,pet,manufacturer,25000\n").unwrap();
    let (dir, deals) = (tables.to_str().unwrap(), deals.to_str().unwrap());
    let (code, out, err) = run(&["import", "--preset", "olist", "--dir", dir, "--deals", deals, "--stdout"], None);
    assert_eq!(code, 0, "{err}");
    let store: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(store["merchant"]["store_type"], "manufacturer");
    assert_eq!(store["merchant"]["category"], "pet");
    assert_eq!(store["merchant"]["declared_monthly_revenue"], 25000.0);
    assert_eq!(store["merchant"]["opened_on"], "2018-02-01");
    assert!(err.contains("closed deals: 1 of 1"), "{err}");
    // without --deals the same folder gives the defaults
    let (code, out, _) = run(&["import", "--preset", "olist", "--dir", dir, "--stdout"], None);
    assert_eq!(code, 0);
    let store: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!((store["merchant"]["store_type"].as_str(), store["merchant"]["opened_on"].as_str()), (Some("reseller"), Some("2018-03-05")));
    let (code, _, err) = run(&["import", "examples/orders-generic.csv", "--deals", deals, "--stdout"], None);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--dir"), "{err}");
    let _ = std::fs::remove_dir_all(&tmp);
}

#[test]
fn a_column_mapping_file_must_be_one_json_object() {
    let dir = std::env::temp_dir().join(format!("mc-mapping-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let csv = dir.join("orders.csv");
    std::fs::write(&csv, "Order,Date,Total\no1,2025-06-01,10\n").unwrap();
    let columns = r#"{"id": "Order", "placed_at": "Date", "amount": "Total"}"#;
    let cases = [
        // serde's array form of the struct: a type error, not a mapping
        (format!("[{columns}]"), "expected struct ColumnMapping"),
        // two documents pasted together: not the first one
        (format!(r#"{{"columns": {columns}}} {{}}"#), "trailing characters"),
    ];
    for (text, expected) in cases {
        let mapping = dir.join("mapping.json");
        std::fs::write(&mapping, &text).unwrap();
        let (code, out, err) = run(&["import", "--mapping", mapping.to_str().unwrap(), "--merchant-id", "m", csv.to_str().unwrap()], None);
        assert_eq!(code, 2, "{text}: {out}{err}");
        assert!(err.contains("mapping.json") && err.contains(expected), "{text}: {err}");
    }
    // the object form imports
    std::fs::write(dir.join("mapping.json"), format!(r#"{{"columns": {columns}}}"#)).unwrap();
    let (code, out, err) = run(&["import", "--mapping", dir.join("mapping.json").to_str().unwrap(), "--merchant-id", "m", "--currency", "CNY", csv.to_str().unwrap()], None);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("\"o1\""), "{out}");
    std::fs::remove_dir_all(&dir).ok();
}
