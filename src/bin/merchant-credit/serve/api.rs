//! The route handlers. Each one reads its body under the size cap and the deadline, does the
//! CPU-bound part (parsing, validation, evaluation, digests) on the bounded worker pool, and
//! answers JSON. Decisions are sent as exactly the bytes of [`Decision::to_json`].

use super::error::ApiError;
use super::{AppState, Deadline, LogNote};
use axum::body::{Body, Bytes};
use axum::extract::{Extension, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use merchant_credit::decision::decision_digest;
use merchant_credit::error::ObjectsOnly;
use merchant_credit::receipt::{Receipt, ENGINE};
use merchant_credit::store::import::ImportOptions;
use merchant_credit::{Decision, Outcome, StoreData};
use serde::Deserialize;
use std::sync::Arc;
use tokio::sync::{mpsc, OwnedSemaphorePermit};
use tokio::time::{timeout_at, Instant};

type St = State<Arc<AppState>>;
type Dl = Extension<Deadline>;

// ---------------------------------------------------------------------------------------------
// plumbing

/// Waits for one of the `--concurrency` request slots, at most half the request timeout (so an
/// admitted request still has time to be answered), then gives up with 503.
async fn admit(st: &AppState, dl: Instant) -> Result<OwnedSemaphorePermit, ApiError> {
    let queue_until = dl.checked_sub(st.timeout / 2).unwrap_or(dl);
    match timeout_at(queue_until, st.admit.clone().acquire_owned()).await {
        Ok(Ok(p)) => Ok(p),
        Ok(Err(_)) => Err(ApiError::overloaded()), // semaphore closed: shutting down
        Err(_) => Err(ApiError::overloaded()),
    }
}

/// Runs CPU-bound work on the blocking pool, at most `--workers` at a time, so the async
/// runtime keeps answering health checks and accepting connections while stores are evaluated.
async fn blocking<T: Send + 'static>(st: &AppState, dl: Instant, f: impl FnOnce() -> T + Send + 'static) -> Result<T, ApiError> {
    let permit = match timeout_at(dl, st.workers.clone().acquire_owned()).await {
        Ok(Ok(p)) => p,
        Ok(Err(_)) => return Err(ApiError::overloaded()),
        Err(_) => return Err(ApiError::timeout()),
    };
    let task = tokio::task::spawn_blocking(move || {
        let _permit = permit; // held until the work is done, even if the client has gone
        f()
    });
    match timeout_at(dl, task).await {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(_)) => Err(ApiError::internal()),
        Err(_) => Err(ApiError::timeout()),
    }
}

fn content_length(headers: &HeaderMap) -> Option<u64> {
    headers.get(header::CONTENT_LENGTH)?.to_str().ok()?.trim().parse().ok()
}

/// Reads the whole body, refusing more than `max` bytes (413) and a body that does not arrive
/// before the deadline (408).
async fn read_body(body: Body, headers: &HeaderMap, max: usize, dl: Instant) -> Result<Vec<u8>, ApiError> {
    let declared = content_length(headers);
    if declared.is_some_and(|n| n > max as u64) {
        return Err(ApiError::too_large(max));
    }
    // Reserve what the client declares, but never more than 1 MiB before the bytes arrive.
    let mut buf = Vec::with_capacity(declared.map_or(8192, |n| n.min(1 << 20) as usize));
    let mut stream = body.into_data_stream();
    loop {
        match timeout_at(dl, stream.next()).await {
            Err(_) => return Err(ApiError::body_timeout()),
            Ok(None) => return Ok(buf),
            Ok(Some(Err(_))) => {
                return Err(ApiError::new(StatusCode::BAD_REQUEST, "body_incomplete", "the request body could not be read to its end"))
            }
            Ok(Some(Ok(chunk))) => {
                if buf.len() + chunk.len() > max {
                    return Err(ApiError::too_large(max));
                }
                buf.extend_from_slice(&chunk);
            }
        }
    }
}

fn utf8(bytes: &[u8]) -> Result<&str, ApiError> {
    std::str::from_utf8(bytes).map_err(|e| {
        ApiError::new(StatusCode::BAD_REQUEST, "malformed_json", format!("the body is not UTF-8 text (invalid byte at offset {})", e.valid_up_to()))
    })
}

/// What a POST body holds, from `Content-Type` and `?preset=`.
enum BodyKind {
    Json,
    Csv(Box<ImportOptions>),
}

fn media_type(headers: &HeaderMap) -> Option<String> {
    let v = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    Some(v.split(';').next().unwrap_or("").trim().to_ascii_lowercase())
}

fn is_json(mt: &str) -> bool {
    mt == "application/json" || (mt.starts_with("application/") && mt.ends_with("+json"))
}

fn unsupported(mt: &str, expected: &str) -> ApiError {
    ApiError::new(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
        format!("Content-Type `{mt}` is not accepted here; send {expected}"),
    )
    .at("Content-Type")
}

/// Decodes `%XX` and `+` in a query component.
fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' => {
                let hex = b.get(i + 1..i + 3)?;
                let hex = std::str::from_utf8(hex).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

/// Parses the query string, allowing only the names in `allowed` (a typo must not be ignored).
fn query(q: Option<&str>, allowed: &[&str]) -> Result<Vec<(String, String)>, ApiError> {
    let mut out = Vec::new();
    for part in q.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
        let (k, v) = part.split_once('=').unwrap_or((part, ""));
        let bad = || ApiError::new(StatusCode::BAD_REQUEST, "invalid_query", "the query string is not valid percent-encoded UTF-8").at("?");
        let (k, v) = (percent_decode(k).ok_or_else(bad)?, percent_decode(v).ok_or_else(bad)?);
        if !allowed.contains(&k.as_str()) {
            let expected = if allowed.is_empty() { "none".to_string() } else { allowed.join(", ") };
            return Err(ApiError::new(StatusCode::BAD_REQUEST, "unknown_field", format!("unknown query parameter (expected: {expected})"))
                .at(format!("?{k}")));
        }
        out.push((k, v));
    }
    Ok(out)
}

fn evaluate_kind(headers: &HeaderMap, q: Option<&str>) -> Result<BodyKind, ApiError> {
    let params = query(q, &super::csv::QUERY_OPTIONS)?;
    let preset = params.iter().find(|(k, _)| k == "preset").map(|(_, v)| v.as_str());
    let mt = media_type(headers);
    match (mt.as_deref(), preset) {
        (_, Some(p)) if p.trim().is_empty() => Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_value",
            "preset must name a CSV export preset (generic, shopify, mapping) or be `auto`",
        )
        .at("?preset")),
        (None | Some("text/csv" | "text/plain" | "application/octet-stream"), Some(_)) => {
            Ok(BodyKind::Csv(Box::new(super::csv::options_from_query(&params)?)))
        }
        (Some("text/csv"), None) => Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "missing_field",
            "a CSV export needs ?preset= naming the export format (or preset=auto to detect it)",
        )
        .at("?preset")),
        (_, None) if !params.is_empty() => Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_value",
            "import options apply to CSV exports only (give ?preset= and a text/csv body)",
        )
        .at(format!("?{}", params.first().map_or("", |p| p.0.as_str())))),
        (None, None) => Ok(BodyKind::Json),
        (Some(m), None) if is_json(m) => Ok(BodyKind::Json),
        (Some(m), _) => Err(unsupported(m, "StoreData JSON (application/json), or a CSV export (text/csv) with ?preset=")),
    }
}

/// What the request log may say about a decision: ids and digests, never store data.
fn note(d: &Decision) -> LogNote {
    LogNote {
        merchant_id: Some(d.merchant_id.clone()),
        input_sha256: Some(d.receipt.input_sha256.clone()),
        decision: Some(d.decision.as_str()),
        decision_sha256: Some(d.receipt.decision_sha256.clone()),
        ..Default::default()
    }
}

fn json_response(status: StatusCode, body: String, note: LogNote) -> Response {
    let mut r = (status, body).into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    r.extensions_mut().insert(note);
    r
}

// ---------------------------------------------------------------------------------------------
// POST /v1/evaluate

pub async fn evaluate(State(st): St, Extension(Deadline(dl)): Dl, RawQuery(q): RawQuery, headers: HeaderMap, body: Body) -> Result<Response, ApiError> {
    let kind = evaluate_kind(&headers, q.as_deref())?;
    let _slot = admit(&st, dl).await?;
    let bytes = read_body(body, &headers, st.max_body, dl).await?;
    let engine = st.engine.clone();
    let (d, text) = blocking(&st, dl, move || match kind {
        BodyKind::Json => StoreData::from_json(utf8(&bytes)?).map(|s| engine.evaluate_with_json(&s)).map_err(|e| ApiError::input(&e)),
        BodyKind::Csv(opts) => super::csv::import(&bytes, &opts).map(|i| engine.evaluate_with_json(&i.store)),
    })
    .await??;
    st.metrics.decision(d.decision);
    let mut r = json_response(StatusCode::OK, text, note(&d));
    if let Ok(v) = HeaderValue::from_str(&d.receipt.decision_sha256) {
        r.headers_mut().insert("x-decision-sha256", v);
    }
    Ok(r)
}

// ---------------------------------------------------------------------------------------------
// POST /v1/verify

/// `{"store": StoreData, "receipt": Receipt}`; instead of `store`, `csv` (the export as text) and
/// `import` (ImportOptions, e.g. `{"preset": "shopify"}`; absent: detected); instead of
/// `receipt`, the browser's whole `decision` (whose own receipt is then also checked).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VerifyRequest {
    #[serde(default)]
    store: Option<serde_json::Value>,
    #[serde(default)]
    csv: Option<String>,
    #[serde(default)]
    import: Option<serde_json::Value>,
    #[serde(default)]
    receipt: Option<Receipt>,
    #[serde(default)]
    decision: Option<Decision>,
}

fn field_error(path: &str, code: &'static str, msg: &str) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, code, msg.to_string()).at(path)
}

/// Parses the verify envelope. Errors inside `store` carry the engine's path under `store.`.
fn parse_verify(text: &str) -> Result<VerifyRequest, ApiError> {
    let de = &mut serde_json::Deserializer::from_str(text);
    let req: VerifyRequest = serde_path_to_error::deserialize(ObjectsOnly(&mut *de)).map_err(|e| {
        let path = e.path().to_string();
        let path = if path == "." { String::new() } else { path };
        let inner = e.into_inner();
        let code = if inner.is_syntax() || inner.is_eof() {
            "malformed_json"
        } else if inner.to_string().starts_with("unknown field") {
            "unknown_field"
        } else {
            "invalid_value"
        };
        ApiError::new(StatusCode::BAD_REQUEST, code, inner.to_string()).at(path)
    })?;
    // one document: `{...} junk` is malformed, not the first document
    de.end().map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, "malformed_json", e.to_string()))?;
    Ok(req)
}

fn check(browser: &str, server: &str) -> serde_json::Value {
    serde_json::json!({"browser": browser, "server": server, "match": browser == server})
}

/// Compares a browser receipt with the authoritative decision. `differs` names what explains a
/// mismatch: `data` (input digest), `model` (model digest), `engine` (engine string, or the same
/// data and model gave a different decision digest), `receipt` (a browser decision that does not
/// hash to its own receipt: altered after it was computed).
fn verify_body(d: &Decision, browser: &Receipt, self_consistent: Option<bool>) -> (bool, String) {
    let r = &d.receipt;
    let data = browser.input_sha256 == r.input_sha256;
    let model = browser.model_sha256 == r.model_sha256;
    let engine_name = browser.engine == r.engine;
    let decision = browser.decision_sha256 == r.decision_sha256;
    let mut differs = Vec::new();
    if !data {
        differs.push("data");
    }
    if !model {
        differs.push("model");
    }
    if !engine_name || (data && model && !decision) {
        differs.push("engine");
    }
    if self_consistent == Some(false) {
        differs.push("receipt");
    }
    let matched = differs.is_empty() && decision;
    let mut checks = serde_json::json!({
        "engine": check(&browser.engine, &r.engine),
        "input_sha256": check(&browser.input_sha256, &r.input_sha256),
        "model_sha256": check(&browser.model_sha256, &r.model_sha256),
        "decision_sha256": check(&browser.decision_sha256, &r.decision_sha256),
    });
    if let (Some(c), Some(obj)) = (self_consistent, checks.as_object_mut()) {
        obj.insert("browser_decision_hashes_to_its_receipt".into(), serde_json::Value::Bool(c));
    }
    let head = serde_json::json!({"match": matched, "differs": differs, "checks": checks}).to_string();
    // Splice the authoritative decision in as its exact bytes.
    let body = format!("{},\"decision\":{}}}", head.strip_suffix('}').unwrap_or(&head), d.to_json());
    (matched, body)
}

pub async fn verify(State(st): St, Extension(Deadline(dl)): Dl, RawQuery(q): RawQuery, headers: HeaderMap, body: Body) -> Result<Response, ApiError> {
    query(q.as_deref(), &[])?;
    match media_type(&headers) {
        None => {}
        Some(m) if is_json(&m) => {}
        Some(m) => return Err(unsupported(&m, "application/json")),
    }
    let _slot = admit(&st, dl).await?;
    let bytes = read_body(body, &headers, st.max_body, dl).await?;
    let engine = st.engine.clone();
    let (d, matched, body) = blocking(&st, dl, move || -> Result<_, ApiError> {
        let req = parse_verify(utf8(&bytes)?)?;
        let store = match (req.store, req.csv) {
            (Some(v), None) => StoreData::from_value(v).map_err(|e| ApiError::input(&e.within("store")))?,
            (None, Some(csv)) => {
                let opts = match req.import {
                    Some(v) => super::csv::options_from_value(v, "import.")?,
                    None => ImportOptions::default(),
                };
                super::csv::import(csv.as_bytes(), &opts).map_err(|e| {
                    let at = if e.path.is_empty() { "csv".to_string() } else { format!("csv {}", e.path) };
                    e.at(at)
                })?
                .store
            }
            (Some(_), Some(_)) => return Err(field_error("csv", "invalid_value", "give either `store` or `csv`, not both")),
            (None, None) => return Err(field_error("store", "missing_field", "missing field `store` (or `csv`, the export as text, with `import` options)")),
        };
        let (browser, consistent) = match (req.receipt, req.decision) {
            (Some(r), None) => (r, None),
            (None, Some(bd)) => {
                let ok = decision_digest(&bd) == bd.receipt.decision_sha256;
                (bd.receipt, Some(ok))
            }
            (Some(r), Some(bd)) => {
                if r != bd.receipt {
                    return Err(field_error("receipt", "invalid_value", "`receipt` differs from `decision.receipt`; send one of them"));
                }
                let ok = decision_digest(&bd) == bd.receipt.decision_sha256;
                (r, Some(ok))
            }
            (None, None) => return Err(field_error("receipt", "missing_field", "missing field `receipt` (or the browser's whole `decision`)")),
        };
        let d = engine.evaluate(&store);
        let (matched, body) = verify_body(&d, &browser, consistent);
        Ok((d, matched, body))
    })
    .await??;
    st.metrics.decision(d.decision);
    st.metrics.verification(matched);
    let mut n = note(&d);
    n.matched = Some(matched);
    Ok(json_response(StatusCode::OK, body, n))
}

// ---------------------------------------------------------------------------------------------
// POST /v1/batch

enum Job {
    Eval(tokio::task::JoinHandle<(String, Option<Outcome>)>),
    Ready(String),
}

fn error_line(line: usize, e: &ApiError) -> String {
    serde_json::json!({"line": line, "error": e.body_value()}).to_string()
}

fn stream_error(e: &ApiError) -> String {
    serde_json::json!({"error": e.body_value()}).to_string()
}

/// JSON lines in, JSON lines out, in input order: the Decision, or `{"line": N, "error": {...}}`
/// (the same lines as `merchant-credit batch`). The response streams while the request is still
/// arriving; lines are evaluated on the worker pool, several at a time. A failure of the stream
/// itself (body over the cap, deadline passed) ends the output with `{"error": {...}}`.
pub async fn batch(State(st): St, Extension(Deadline(dl)): Dl, RawQuery(q): RawQuery, headers: HeaderMap, body: Body) -> Result<Response, ApiError> {
    query(q.as_deref(), &[])?;
    match media_type(&headers) {
        None => {}
        Some(m) if is_json(&m) || matches!(m.as_str(), "application/x-ndjson" | "application/jsonl" | "application/jsonlines" | "text/plain") => {}
        Some(m) => return Err(unsupported(&m, "JSON lines (application/x-ndjson)")),
    }
    if content_length(&headers).is_some_and(|n| n > st.max_body as u64) {
        return Err(ApiError::too_large(st.max_body));
    }
    let slot = admit(&st, dl).await?;
    let (jobs_tx, mut jobs_rx) = mpsc::channel::<Job>(st.worker_count * 2);
    let (out_tx, out_rx) = mpsc::channel::<Result<Bytes, std::io::Error>>(16);

    // Reader: splits the body into lines and starts one evaluation per line.
    let reader_state = st.clone();
    tokio::spawn(async move {
        let st = reader_state;
        let mut stream = body.into_data_stream();
        let (mut pending, mut total, mut line_no) = (Vec::<u8>::new(), 0usize, 0usize);
        let mut eof = false;
        while !eof {
            let chunk = match timeout_at(dl, stream.next()).await {
                Err(_) => {
                    let _ = jobs_tx.send(Job::Ready(stream_error(&ApiError::body_timeout()))).await;
                    return;
                }
                Ok(None) => {
                    eof = true;
                    Bytes::new()
                }
                Ok(Some(Err(_))) => {
                    let e = ApiError::new(StatusCode::BAD_REQUEST, "body_incomplete", "the request body could not be read to its end");
                    let _ = jobs_tx.send(Job::Ready(stream_error(&e))).await;
                    return;
                }
                Ok(Some(Ok(c))) => c,
            };
            total += chunk.len();
            if total > st.max_body {
                let _ = jobs_tx.send(Job::Ready(stream_error(&ApiError::too_large(st.max_body)))).await;
                return;
            }
            // Only the new bytes are searched for line ends: `pending` holds none before them, so a
            // long line arriving in many chunks costs linear time, not quadratic.
            let mut from = pending.len();
            pending.extend_from_slice(&chunk);
            let mut lines: Vec<Vec<u8>> = Vec::new();
            while let Some(i) = pending.get(from..).and_then(|tail| tail.iter().position(|&b| b == b'\n')) {
                let rest = pending.split_off(from + i + 1);
                lines.push(std::mem::replace(&mut pending, rest));
                from = 0;
            }
            if eof && !pending.is_empty() {
                lines.push(std::mem::take(&mut pending));
            }
            for mut raw in lines {
                line_no += 1;
                // The same line content as the CLI's `BufRead::lines`: without `\n` or `\r\n`.
                if raw.last() == Some(&b'\n') {
                    raw.pop();
                    if raw.last() == Some(&b'\r') {
                        raw.pop();
                    }
                }
                let n = line_no;
                if raw.iter().all(|b| b.is_ascii_whitespace()) {
                    continue;
                }
                let permit = match timeout_at(dl, st.workers.clone().acquire_owned()).await {
                    Ok(Ok(p)) => p,
                    _ => {
                        let _ = jobs_tx.send(Job::Ready(stream_error(&ApiError::timeout()))).await;
                        return;
                    }
                };
                let engine = st.engine.clone();
                let h = tokio::task::spawn_blocking(move || {
                    let _permit = permit;
                    let text = match std::str::from_utf8(&raw) {
                        Ok(t) => t,
                        Err(_) => {
                            let e = ApiError::new(StatusCode::BAD_REQUEST, "malformed_json", "the line is not UTF-8 text");
                            return (error_line(n, &e), None);
                        }
                    };
                    match StoreData::from_json(text).map(|s| engine.evaluate_with_json(&s)) {
                        Ok((d, text)) => (text, Some(d.decision)),
                        Err(e) => (error_line(n, &ApiError::input(&e)), None),
                    }
                });
                if jobs_tx.send(Job::Eval(h)).await.is_err() {
                    return; // the writer stopped: the client went away
                }
            }
        }
    });

    // Writer: awaits evaluations in input order and streams them out.
    let writer_state = st.clone();
    tokio::spawn(async move {
        let st = writer_state;
        let _slot = slot; // the request holds its concurrency slot until the last line is out
        while let Some(job) = jobs_rx.recv().await {
            let line = match job {
                Job::Ready(s) => s,
                Job::Eval(h) => match timeout_at(dl, h).await {
                    Ok(Ok((s, outcome))) => {
                        if let Some(o) = outcome {
                            st.metrics.decision(o);
                        }
                        s
                    }
                    Ok(Err(_)) => stream_error(&ApiError::internal()),
                    Err(_) => {
                        let _ = out_tx.send(Ok(Bytes::from(stream_error(&ApiError::timeout()) + "\n"))).await;
                        return;
                    }
                },
            };
            if out_tx.send(Ok(Bytes::from(line + "\n"))).await.is_err() {
                return;
            }
        }
    });

    let stream = futures_util::stream::unfold(out_rx, |mut rx| async move { rx.recv().await.map(|item| (item, rx)) });
    let mut r = Response::new(Body::from_stream(stream));
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/x-ndjson"));
    Ok(r)
}

// ---------------------------------------------------------------------------------------------
// GET routes

pub async fn model(State(st): St) -> Response {
    let m = st.engine.model_ref();
    let body = serde_json::json!({"id": m.id, "version": m.version, "sha256": m.sha256, "engine": ENGINE}).to_string();
    json_response(StatusCode::OK, body, LogNote::default())
}

pub async fn healthz() -> Response {
    json_response(StatusCode::OK, "{\"status\":\"ok\"}".to_string(), LogNote::default())
}

pub async fn metrics(State(st): St) -> Response {
    let mut r = (StatusCode::OK, st.metrics.render()).into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"));
    r
}

pub async fn not_found() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such endpoint; see docs/server.md")
}

pub async fn method_not_allowed() -> ApiError {
    ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed", "this endpoint does not take that method; see docs/server.md")
}
