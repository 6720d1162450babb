//! Same answer: every example store, and variations of them, evaluated through the HTTP server
//! (`/v1/evaluate` and `/v1/batch`) and through the CLI (`evaluate`, `batch`) give the same
//! Decision bytes; rejected inputs get the same error code from both.
//! (The wasm package joins this comparison in tests/server_same_answer_wasm.js, run by
//! scripts/test.d/40-server.sh once pkg/ is built.)
#![cfg(feature = "server")]

mod server_support;
use server_support::{cli, example_stores, Server};
use serde_json::{json, Value};

/// The examples plus variations: no owner, a doubled declared revenue, the older half of the
/// orders, a later `as_of`, and one invalid store (a negative amount).
fn stores() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (name, text) in example_stores() {
        out.push((name.clone(), text.clone()));
        let base: Value = serde_json::from_str(&text).unwrap();
        let mut v = base.clone();
        if let Some(o) = v.as_object_mut() {
            o.remove("owner");
        }
        out.push((format!("{name} without owner"), v.to_string()));
        let mut v = base.clone();
        v["merchant"]["declared_monthly_revenue"] = json!(250000);
        out.push((format!("{name} declaring 250000/month"), v.to_string()));
        if let Some(orders) = base["orders"].as_array().filter(|o| o.len() > 10) {
            let mut v = base.clone();
            let mut older = orders.clone();
            older.sort_by(|a, b| a["placed_at"].as_str().cmp(&b["placed_at"].as_str()));
            older.truncate(orders.len() / 2);
            v["orders"] = Value::Array(older);
            out.push((format!("{name} older half of orders"), v.to_string()));
        }
        let mut v = base.clone();
        v["as_of"] = json!("2025-09-30");
        out.push((format!("{name} as_of 2025-09-30"), v.to_string()));
    }
    let mut bad: Value = serde_json::from_str(&example_stores()[0].1).unwrap();
    if let Some(o) = bad["orders"].as_array_mut().and_then(|a| a.first_mut()) {
        o["amount"] = json!(-3.5);
    } else if let Some(m) = bad["monthly"].as_array_mut().and_then(|a| a.first_mut()) {
        m["gmv"] = json!(-3.5);
    }
    out.push(("negative amount".into(), bad.to_string()));
    out
}

#[test]
fn server_and_cli_give_the_same_decision_bytes() {
    let server = Server::start(&[]);
    let stores = stores();
    assert!(stores.len() >= 20, "{} stores", stores.len());
    let (mut decided, mut rejected) = (0, 0);
    for (name, text) in &stores {
        let r = server.post_json("/v1/evaluate", text.as_bytes());
        let (code, stdout, stderr) = cli(&["evaluate", "-"], text.as_bytes());
        if code == 0 {
            assert_eq!(r.status, 200, "{name}: {}", r.text());
            // The CLI prints Decision::to_json() and a newline; the server sends exactly to_json().
            assert_eq!(r.body, stdout.strip_suffix(b"\n").unwrap_or(&stdout), "{name}: server and CLI bytes differ");
            let d = r.json();
            assert_eq!(r.header("x-decision-sha256"), d["receipt"]["decision_sha256"].as_str(), "{name}");
            decided += 1;
        } else {
            assert_eq!(code, 2, "{name}: {stderr}");
            assert_eq!(r.status, 400, "{name}: {}", r.text());
            let err = r.json();
            let code = err["error"]["code"].as_str().unwrap();
            assert!(stderr.contains(&format!("[{code}]")), "{name}: CLI said {stderr}, server said {}", r.text());
            let path = err["error"]["path"].as_str().unwrap();
            assert!(stderr.contains(path), "{name}: path {path} not in {stderr}");
            rejected += 1;
        }
    }
    assert!(decided >= 20 && rejected >= 1, "decided {decided}, rejected {rejected}");
}

#[test]
fn batch_streams_the_same_lines_as_the_cli_batch() {
    let server = Server::start(&[]);
    let mut input = String::new();
    for (i, (_, text)) in stores().iter().enumerate() {
        let compact: Value = serde_json::from_str(text).unwrap();
        input.push_str(&compact.to_string());
        input.push('\n');
        if i == 2 {
            input.push_str("\n{\"as_of\": \"2025-06-30\"\n"); // a blank line, then a broken one
        }
    }
    let r = server.post("/v1/batch", "application/x-ndjson", input.as_bytes());
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.header("content-type"), Some("application/x-ndjson"));
    assert_eq!(r.header("transfer-encoding"), Some("chunked"), "streamed, not buffered");
    let (code, stdout, stderr) = cli(&["batch", "-"], input.as_bytes());
    assert_eq!(code, 0, "{stderr}");
    let (server_text, cli_text) = (r.text(), String::from_utf8(stdout).unwrap());
    let lines: Vec<&str> = server_text.lines().collect();
    let cli_lines: Vec<&str> = cli_text.lines().collect();
    assert_eq!(lines.len(), cli_lines.len());
    for (i, (a, b)) in lines.iter().zip(&cli_lines).enumerate() {
        assert!(a == b, "line {}: server {}\ncli {}", i + 1, &a[..a.len().min(300)], &b[..b.len().min(300)]);
    }
    assert_eq!(lines.len(), stores().len() + 1);
    assert!(lines[3].starts_with("{\"error\":") || lines[3].starts_with("{\"line\":5"), "{}", lines[3]);
}

/// The orders of an example store as a generic CSV export.
fn csv_export(store: &Value) -> String {
    let mut csv = String::from("id,placed_at,amount,status,buyer_id,refund_amount,rating\n");
    for o in store["orders"].as_array().unwrap() {
        let cell = |k: &str| match &o[k] {
            Value::Null => String::new(),
            Value::String(s) => s.clone(),
            v => v.to_string(),
        };
        csv.push_str(&format!("{},{},{},{},{},{},{}\n", cell("id"), cell("placed_at"), cell("amount"), cell("status"), cell("buyer_id"), cell("refund_amount"), cell("rating")));
    }
    csv
}

#[test]
fn csv_exports_give_the_same_bytes_through_server_and_cli() {
    let server = Server::start(&[]);
    let dir = std::env::temp_dir().join(format!("mc-server-csv-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut compared = 0;
    for (name, text) in example_stores() {
        let store: Value = serde_json::from_str(&text).unwrap();
        if store["orders"].as_array().is_none_or(|o| o.is_empty()) {
            continue;
        }
        let csv = csv_export(&store);
        let file = dir.join(name.replace(".json", ".csv"));
        std::fs::write(&file, &csv).unwrap();
        let (code, stdout, stderr) = cli(
            &["evaluate", file.to_str().unwrap(), "--preset", "generic", "--currency", "CNY", "--as-of", "2025-06-30", "--merchant-id", "m-csv", "--opened-on", "2021-03-01"],
            b"",
        );
        let r = server.post("/v1/evaluate?preset=generic&currency=CNY&as_of=2025-06-30&merchant_id=m-csv&opened_on=2021-03-01", "text/csv", csv.as_bytes());
        assert_eq!(code, 0, "{name}: {stderr}");
        assert_eq!(r.status, 200, "{name}: {}", r.text());
        assert_eq!(r.body, stdout.strip_suffix(b"\n").unwrap_or(&stdout), "{name}: server and CLI bytes differ");
        // The same export through /v1/verify, against the receipt of the CLI's decision.
        let d: Value = serde_json::from_slice(&stdout).unwrap();
        let v = server.post_json(
            "/v1/verify",
            json!({"csv": csv, "import": {"preset": "generic", "currency": "CNY", "as_of": "2025-06-30", "merchant_id": "m-csv", "opened_on": "2021-03-01"}, "receipt": d["receipt"]})
                .to_string()
                .as_bytes(),
        );
        assert_eq!(v.status, 200, "{name}: {}", v.text());
        assert_eq!(v.json()["match"], true, "{name}: {}", v.text());
        compared += 1;
    }
    assert!(compared >= 4);
    let _ = std::fs::remove_dir_all(dir);
}
