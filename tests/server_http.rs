//! The HTTP contract of `merchant-credit serve`, against the real server on 127.0.0.1: routes,
//! JSON errors with code and path, the hard edges (body cap, timeout, concurrency limit, CORS,
//! graceful shutdown, logs without store data) and receipt verification.
#![cfg(feature = "server")]

mod server_support;
use merchant_credit::{Engine, StoreData};
use serde_json::{json, Value};
use server_support::{read_response, request, root, Server};
use std::io::Write;
use std::net::TcpStream;
use std::time::{Duration, Instant};

fn store_text() -> String {
    std::fs::read_to_string(root().join("examples/new-seller.json")).unwrap()
}

#[test]
fn health_model_and_metrics() {
    let s = Server::start(&[]);
    let r = s.get("/healthz");
    assert_eq!((r.status, r.json()), (200, json!({"status": "ok"})));
    let m = s.get("/v1/model").json();
    let engine = Engine::default();
    assert_eq!(m["id"], engine.model_ref().id.as_str());
    assert_eq!(m["version"], engine.model_ref().version.as_str());
    assert_eq!(m["sha256"], engine.model_ref().sha256.as_str());
    assert_eq!(m["engine"], merchant_credit::receipt::ENGINE);

    assert_eq!(s.post_json("/v1/evaluate", store_text().as_bytes()).status, 200);
    assert_eq!(s.post_json("/v1/evaluate", b"{").status, 400);
    let metrics = s.get("/metrics");
    assert_eq!(metrics.status, 200);
    assert!(metrics.header("content-type").unwrap().starts_with("text/plain; version=0.0.4"));
    let text = metrics.text();
    for want in [
        "merchant_credit_http_requests_total{route=\"/v1/evaluate\",status=\"200\"} 1",
        "merchant_credit_http_requests_total{route=\"/v1/evaluate\",status=\"400\"} 1",
        "merchant_credit_http_request_duration_seconds_count{route=\"/v1/evaluate\"} 2",
        "merchant_credit_http_request_duration_seconds_bucket{route=\"/v1/evaluate\",le=\"+Inf\"} 2",
        "# TYPE merchant_credit_decisions_total counter",
        "merchant_credit_model_info{id=\"default\"",
    ] {
        assert!(text.contains(want), "missing `{want}` in\n{text}");
    }
    let decided: u64 = text
        .lines()
        .filter(|l| l.starts_with("merchant_credit_decisions_total{"))
        .filter_map(|l| l.rsplit(' ').next()?.parse::<u64>().ok())
        .sum();
    assert_eq!(decided, 1);
}

#[test]
fn bad_input_gets_400_with_code_and_path_never_500() {
    let s = Server::start(&[]);
    let mut v: Value = serde_json::from_str(&store_text()).unwrap();
    v["orders"][3]["amount"] = json!(-3);
    let r = s.post_json("/v1/evaluate", v.to_string().as_bytes());
    assert_eq!(r.status, 400);
    assert_eq!(r.json(), json!({"error": {"code": "negative_amount", "path": "orders[3].amount", "message": "negative amount -3"}}));

    let mut v: Value = serde_json::from_str(&store_text()).unwrap();
    v["merchant"]["colour"] = json!("red");
    let r = s.post_json("/v1/evaluate", v.to_string().as_bytes());
    assert_eq!((r.status, r.error_code().as_str()), (400, "unknown_field"));
    // (The library currently reports `merchant.colour.colour`; the server passes its path through.)
    assert!(r.json()["error"]["path"].as_str().unwrap().starts_with("merchant.colour"), "{}", r.text());

    let cases: Vec<(&str, &str, Vec<u8>, u16, &str)> = vec![
        ("/v1/evaluate", "application/json", b"".to_vec(), 400, "malformed_json"),
        ("/v1/evaluate", "application/json", b"[1,2]".to_vec(), 400, "malformed_json"),
        ("/v1/evaluate", "application/json", store_text().as_bytes()[..5000].to_vec(), 400, "malformed_json"),
        ("/v1/evaluate", "application/json", vec![0xff, 0xfe, b'{'], 400, "malformed_json"),
        ("/v1/evaluate", "application/json", b"{\"as_of\": 1e999}".to_vec(), 400, ""),
        ("/v1/evaluate", "application/x-www-form-urlencoded", b"a=b".to_vec(), 415, "unsupported_media_type"),
        ("/v1/evaluate", "text/csv", b"a,b\n1,2\n".to_vec(), 400, "missing_field"),
        ("/v1/evaluate?pretty=1", "application/json", store_text().into_bytes(), 400, "unknown_field"),
        ("/v1/evaluate?preset=", "text/csv", b"a,b\n".to_vec(), 400, "invalid_value"),
        ("/v1/evaluate?preset=%zz", "text/csv", b"a,b\n".to_vec(), 400, "invalid_query"),
        ("/v1/evaluate?preset=bogus", "text/csv", b"a,b\n".to_vec(), 400, "invalid_value"),
        ("/v1/evaluate?preset=generic&as_of=2025-13-01", "text/csv", b"a,b\n".to_vec(), 400, "invalid_date"),
        ("/v1/evaluate?preset=generic", "text/csv", b"id,placed_at,amount\no1,2025-01-01,5\n".to_vec(), 400, "csv"),
        ("/v1/evaluate?currency=CNY", "application/json", store_text().into_bytes(), 400, "invalid_value"),
        ("/v1/verify", "application/json", b"{}".to_vec(), 400, "missing_field"),
        ("/v1/verify", "application/json", b"{\"store\": 1, \"receipt\": 2}".to_vec(), 400, "invalid_value"),
        ("/v1/verify", "application/json", b"{\"stor\": {}}".to_vec(), 400, "unknown_field"),
        ("/v1/batch", "image/png", b"x".to_vec(), 415, "unsupported_media_type"),
        ("/v1/nothing", "application/json", b"{}".to_vec(), 404, "not_found"),
    ];
    for (path, ct, body, status, code) in cases {
        let r = s.post(path, ct, &body);
        assert_eq!(r.status, status, "{path} {ct}: {}", r.text());
        let err = r.json();
        assert!(err["error"]["message"].as_str().is_some_and(|m| !m.is_empty()), "{path}: {}", r.text());
        assert!(err["error"]["path"].is_string(), "{path}: {}", r.text());
        if !code.is_empty() {
            assert_eq!(r.error_code(), code, "{path} {ct}: {}", r.text());
        }
    }
    // An array where an object belongs is a type error at its path, as in the library and the
    // wasm package (error::ObjectsOnly), not serde's array form of a struct: four strings must not
    // read as a Receipt, nor a list as import options.
    let store: Value = serde_json::from_str(&store_text()).unwrap();
    let r = s.post_json("/v1/verify", json!({"store": store, "receipt": ["e", "i", "m", "d"]}).to_string().as_bytes());
    assert_eq!((r.status, r.error_code().as_str()), (400, "invalid_value"), "{}", r.text());
    assert_eq!(r.json()["error"]["path"], "receipt", "{}", r.text());
    assert!(r.json()["error"]["message"].as_str().unwrap().contains("expected struct Receipt"), "{}", r.text());
    let r = s.post_json("/v1/verify", json!({"csv": "a,b\n", "import": ["generic", "CNY"]}).to_string().as_bytes());
    assert_eq!((r.status, r.error_code().as_str()), (400, "invalid_value"), "{}", r.text());
    assert_eq!(r.json()["error"]["path"], "import", "{}", r.text());
    assert!(r.json()["error"]["message"].as_str().unwrap().contains("expected struct ImportOptions"), "{}", r.text());

    let r = s.get("/v1/evaluate");
    assert_eq!((r.status, r.error_code().as_str()), (405, "method_not_allowed"));
    // A CSV export is either imported or refused with a JSON error; never a 5xx.
    let r = s.post("/v1/evaluate?preset=olist", "text/csv", b"order_id,amount\n1,2\n");
    assert!(r.status < 500 && r.json().is_object(), "{}", r.text());
    assert!(s.get("/healthz").status == 200);
}

#[test]
fn body_cap_gives_413_with_or_without_content_length() {
    let s = Server::start(&["--max-body-bytes", "10000"]);
    let big = store_text(); // ~37 kB
    let r = s.post_json("/v1/evaluate", big.as_bytes());
    assert_eq!((r.status, r.error_code().as_str()), (413, "body_too_large"), "{}", r.text());
    // Chunked: no Content-Length, the cap is found while reading.
    let mut c = TcpStream::connect(&s.addr).unwrap();
    write!(c, "POST /v1/evaluate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n").unwrap();
    for chunk in big.as_bytes().chunks(4096) {
        if write!(c, "{:x}\r\n", chunk.len()).and_then(|_| c.write_all(chunk)).and_then(|_| c.write_all(b"\r\n")).is_err() {
            break;
        }
    }
    let _ = c.write_all(b"0\r\n\r\n");
    let r = read_response(&mut c);
    assert_eq!((r.status, r.error_code().as_str()), (413, "body_too_large"));
    let r = s.post("/v1/batch", "application/x-ndjson", big.as_bytes());
    assert_eq!(r.status, 413);
    assert_eq!(s.post_json("/v1/evaluate", std::fs::read("examples/monthly-only.json").unwrap().as_slice()).status, 200);
}

#[test]
fn slow_body_times_out_with_408_and_the_server_stays_healthy() {
    let s = Server::start(&["--timeout-ms", "400"]);
    let mut c = TcpStream::connect(&s.addr).unwrap();
    write!(c, "POST /v1/evaluate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\nConnection: close\r\n\r\n{{\"as_of\"").unwrap();
    let t = Instant::now();
    let r = read_response(&mut c);
    assert_eq!((r.status, r.error_code().as_str()), (408, "request_timeout"), "{}", r.text());
    assert!(t.elapsed() < Duration::from_secs(3));
    assert_eq!(s.get("/healthz").status, 200);
    assert_eq!(s.post_json("/v1/evaluate", store_text().as_bytes()).status, 200);
}

#[test]
fn concurrency_limit_queues_then_answers_503_and_health_still_answers() {
    let s = Server::start(&["--concurrency", "1", "--timeout-ms", "600"]);
    // Hold the only slot with a request whose body never finishes.
    let mut hog = TcpStream::connect(&s.addr).unwrap();
    write!(hog, "POST /v1/evaluate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\nConnection: close\r\n\r\n{{").unwrap();
    std::thread::sleep(Duration::from_millis(100));
    let h = s.get("/healthz");
    assert_eq!(h.status, 200, "health is not behind the limit");
    let r = s.post_json("/v1/evaluate", store_text().as_bytes());
    assert_eq!((r.status, r.error_code().as_str()), (503, "overloaded"), "{}", r.text());
    assert_eq!(r.header("retry-after"), Some("1"));
    drop(hog);
    std::thread::sleep(Duration::from_millis(700));
    assert_eq!(s.post_json("/v1/evaluate", store_text().as_bytes()).status, 200);
}

#[test]
fn cors_is_off_unless_configured() {
    let preflight = |s: &Server, origin: &str| {
        request(&s.addr, "OPTIONS", "/v1/verify", &[("Origin", origin), ("Access-Control-Request-Method", "POST"), ("Access-Control-Request-Headers", "content-type")], b"")
    };
    let off = Server::start(&[]);
    let r = preflight(&off, "https://seller.example.com");
    assert!(r.header("access-control-allow-origin").is_none(), "{:?}", r.headers);
    let r = request(&off.addr, "GET", "/v1/model", &[("Origin", "https://seller.example.com")], b"");
    assert!(r.header("access-control-allow-origin").is_none());

    let on = Server::start(&["--cors-origin", "https://seller.example.com"]);
    let r = preflight(&on, "https://seller.example.com");
    assert_eq!(r.header("access-control-allow-origin"), Some("https://seller.example.com"));
    assert!(r.header("access-control-allow-methods").unwrap_or("").contains("POST"));
    let r = preflight(&on, "https://evil.example.net");
    assert!(r.header("access-control-allow-origin").is_none());
    let r = request(&on.addr, "POST", "/v1/evaluate", &[("Origin", "https://seller.example.com"), ("Content-Type", "application/json")], store_text().as_bytes());
    assert_eq!(r.status, 200);
    assert_eq!(r.header("access-control-allow-origin"), Some("https://seller.example.com"));
}

#[test]
fn logs_hold_ids_and_digests_but_no_store_data() {
    let s = Server::start(&[]);
    let text = store_text();
    let r = s.post_json("/v1/evaluate", text.as_bytes());
    assert_eq!(r.status, 200);
    let d = r.json();
    let mut bad: Value = serde_json::from_str(&text).unwrap();
    bad["orders"][0]["placed_at"] = json!("not a date SECRET-VALUE");
    assert_eq!(s.post_json("/v1/evaluate", bad.to_string().as_bytes()).status, 400);
    std::thread::sleep(Duration::from_millis(200));
    let log = s.log();
    let v: Value = serde_json::from_str(&text).unwrap();
    assert!(log.contains(v["merchant"]["id"].as_str().unwrap()));
    assert!(log.contains(d["receipt"]["input_sha256"].as_str().unwrap()));
    assert!(log.contains(d["receipt"]["decision_sha256"].as_str().unwrap()));
    assert!(log.contains("\"path\":\"orders[0].placed_at\""));
    for secret in ["SECRET-VALUE", v["orders"][0]["id"].as_str().unwrap(), v["orders"][0]["buyer_id"].as_str().unwrap_or("\u{0}"), "amount\":", "placed_at\":\"2"] {
        assert!(!log.contains(secret), "log holds store data `{secret}`:\n{log}");
    }
}

#[test]
fn sigterm_finishes_the_request_in_flight_then_exits_cleanly() {
    let mut s = Server::start(&[]);
    let body = store_text();
    let (head, tail) = body.as_bytes().split_at(body.len() / 2);
    let mut c = TcpStream::connect(&s.addr).unwrap();
    write!(c, "POST /v1/evaluate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len()).unwrap();
    c.write_all(head).unwrap();
    std::thread::sleep(Duration::from_millis(200));
    let _ = std::process::Command::new("kill").args(["-TERM", &s.child.id().to_string()]).status();
    std::thread::sleep(Duration::from_millis(200));
    c.write_all(tail).unwrap();
    let r = read_response(&mut c);
    assert_eq!(r.status, 200, "{}", r.text());
    let status = s.terminate(Duration::from_secs(5)).expect("server exits after SIGTERM");
    assert!(status.success(), "{status:?}");
    assert!(s.log().contains("stopping"));
    assert!(TcpStream::connect(&s.addr).is_err(), "no longer listening");
}

// ---- /v1/verify ------------------------------------------------------------------------------

fn verify(s: &Server, body: &Value) -> Value {
    let r = s.post_json("/v1/verify", body.to_string().as_bytes());
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()
}

#[test]
fn verify_says_whether_the_browser_estimate_matches_and_what_differs() {
    let s = Server::start(&[]);
    let text = store_text();
    let store: Value = serde_json::from_str(&text).unwrap();
    // What the browser computes (the wasm build runs this same library code).
    let browser = Engine::default().evaluate(&StoreData::from_json(&text).unwrap());
    let receipt = serde_json::to_value(&browser.receipt).unwrap();

    let v = verify(&s, &json!({"store": store, "receipt": receipt}));
    assert_eq!(v["match"], true, "{v}");
    assert_eq!(v["differs"], json!([]));
    assert_eq!(v["decision"]["receipt"], receipt);
    // The authoritative decision is spliced in as the exact bytes of /v1/evaluate.
    let raw = s.post_json("/v1/verify", json!({"store": store, "receipt": receipt}).to_string().as_bytes()).text();
    let eval = s.post_json("/v1/evaluate", text.as_bytes()).text();
    assert!(raw.ends_with(&format!(",\"decision\":{eval}}}")), "verify does not carry the evaluate bytes");

    // The whole browser decision instead of its receipt.
    let v = verify(&s, &json!({"store": store, "decision": serde_json::to_value(&browser).unwrap()}));
    assert_eq!((v["match"].clone(), v["checks"]["browser_decision_hashes_to_its_receipt"].clone()), (json!(true), json!(true)));

    // Data: the browser judged other data than the server holds.
    let mut other = store.clone();
    other["merchant"]["declared_monthly_revenue"] = json!(1);
    let v = verify(&s, &json!({"store": other, "receipt": receipt}));
    assert_eq!((v["match"].clone(), v["differs"].clone()), (json!(false), json!(["data"])), "{v}");
    assert_eq!(v["checks"]["input_sha256"]["match"], false);
    assert_eq!(v["checks"]["model_sha256"]["match"], true);
    assert!(v["decision"]["decision"].is_string());

    // Engine: another engine version, or the same data and model but a different decision.
    let mut r2 = receipt.clone();
    r2["engine"] = json!("merchant-credit 0.0.9");
    assert_eq!(verify(&s, &json!({"store": store, "receipt": r2}))["differs"], json!(["engine"]));
    let mut r3 = receipt.clone();
    r3["decision_sha256"] = json!("00".repeat(32));
    let v = verify(&s, &json!({"store": store, "receipt": r3}));
    assert_eq!((v["match"].clone(), v["differs"].clone()), (json!(false), json!(["engine"])));

    // A browser decision edited after it was computed no longer hashes to its receipt.
    let mut edited = serde_json::to_value(&browser).unwrap();
    edited["credit_line"]["amount"] = json!(9_999_999.0);
    let v = verify(&s, &json!({"store": store, "decision": edited}));
    assert_eq!((v["match"].clone(), v["differs"].clone()), (json!(false), json!(["receipt"])), "{v}");

    // Errors inside the store carry its path under `store`.
    let mut bad = store.clone();
    bad["orders"][1]["amount"] = json!(-1);
    let r = s.post_json("/v1/verify", json!({"store": bad, "receipt": receipt}).to_string().as_bytes());
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["error"]["path"], "store.orders[1].amount");
    assert_eq!(r.error_code(), "negative_amount");

    let m = s.get("/metrics").text();
    assert!(m.contains("merchant_credit_verifications_total{result=\"match\"} 3"), "{m}");
    assert!(m.contains("merchant_credit_verifications_total{result=\"mismatch\"} 4"), "{m}");
}

#[test]
fn verify_names_the_model_when_the_server_runs_another_one() {
    let mut model: Value = serde_json::from_str(&std::fs::read_to_string(root().join("models/default.json")).unwrap()).unwrap();
    model["version"] = json!("1.0.1-rollout");
    let dir = std::env::temp_dir().join(format!("mc-server-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("model.json");
    std::fs::write(&path, model.to_string()).unwrap();
    let s = Server::start(&["--model", path.to_str().unwrap()]);
    let served = s.get("/v1/model").json();
    assert_eq!(served["version"], "1.0.1-rollout");
    let text = store_text();
    let browser = Engine::default().evaluate(&StoreData::from_json(&text).unwrap());
    let store: Value = serde_json::from_str(&text).unwrap();
    let v = verify(&s, &json!({"store": store, "receipt": browser.receipt}));
    assert_eq!((v["match"].clone(), v["differs"].clone()), (json!(false), json!(["model"])), "{v}");
    assert_eq!(v["checks"]["model_sha256"]["server"], served["sha256"]);
    assert_eq!(v["decision"]["model"]["version"], "1.0.1-rollout");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn batch_ends_with_an_error_line_when_the_stream_goes_over_the_cap() {
    let s = Server::start(&["--max-body-bytes", "6000"]);
    let small = std::fs::read_to_string(root().join("examples/monthly-only.json")).unwrap();
    let line = serde_json::from_str::<Value>(&small).unwrap().to_string();
    // Chunked, so the cap is found mid-stream: the lines before it are answered, then one error.
    let mut c = TcpStream::connect(&s.addr).unwrap();
    write!(c, "POST /v1/batch HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-ndjson\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n").unwrap();
    for _ in 0..4 {
        let l = format!("{line}\n");
        if write!(c, "{:x}\r\n{l}\r\n", l.len()).is_err() {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = c.write_all(b"0\r\n\r\n");
    let r = read_response(&mut c);
    assert_eq!(r.status, 200);
    let lines: Vec<Value> = r.text().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert!(lines.len() >= 2, "{}", r.text());
    assert_eq!(lines[0]["merchant_id"], "m-monthly-06");
    assert_eq!(lines.last().unwrap()["error"]["code"], "body_too_large");
}
