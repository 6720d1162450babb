//! `merchant-credit serve`: the authoritative check over HTTP (feature `server`).
//!
//! axum on a tokio runtime. The engine is CPU-bound, so every parse and evaluation runs on tokio's
//! blocking pool behind a semaphore of `--workers` permits; the async threads only move bytes, so
//! `/healthz` and `/metrics` answer while stores are being evaluated. In front of that:
//! `--concurrency` request slots (a request waits up to half its timeout for one, then gets 503),
//! `--max-body-bytes` (413), `--timeout-ms` (408 while the body arrives, 503 after), JSON errors
//! everywhere, CORS only for `--cors-origin` origins, and a graceful stop on SIGTERM or Ctrl-C.
//! The request log (stderr, one JSON object per line) holds ids, digests and outcomes only, never
//! store data. See docs/server.md.

mod api;
mod csv;
mod error;
mod metrics;

use crate::common::{load_engine, CliError, CliResult};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use clap::Args;
use merchant_credit::Engine;
use std::borrow::Cow;
use std::future::IntoFuture;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tokio::sync::Semaphore;
use tokio::time::Instant;

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Address to listen on. Port 0 picks a free port; the address is printed on stderr.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// Model JSON (default: the embedded default model).
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// Largest request body, in bytes (413 beyond it). Also caps a whole /v1/batch body.
    #[arg(long, default_value_t = 16 * 1024 * 1024)]
    pub max_body_bytes: usize,
    /// Time allowed per request, from arrival to the response head (and to the last line of a batch).
    #[arg(long, default_value_t = 10_000)]
    pub timeout_ms: u64,
    /// Requests to /v1/* handled at once; more wait for a slot (up to half the timeout), then get 503.
    #[arg(long, default_value_t = 64)]
    pub concurrency: usize,
    /// Threads evaluating stores (CPU-bound). Default: the number of cores.
    #[arg(long)]
    pub workers: Option<usize>,
    /// Allow browsers on this origin to call the API (repeatable, e.g. https://seller.example.com).
    /// Without it, no CORS headers are sent: only same-origin pages and non-browser clients can call.
    #[arg(long = "cors-origin")]
    pub cors_origin: Vec<String>,
}

/// Shared by every request.
#[derive(Debug)]
pub struct AppState {
    engine: Arc<Engine>,
    max_body: usize,
    timeout: Duration,
    admit: Arc<Semaphore>,
    workers: Arc<Semaphore>,
    worker_count: usize,
    metrics: metrics::Metrics,
    next_id: AtomicU64,
}

/// When the request must be answered by; set by the middleware for every request.
#[derive(Debug, Clone, Copy)]
pub struct Deadline(pub Instant);

/// What a handler lets the request log say: ids, digests, outcome, error code and path.
#[derive(Debug, Clone, Default)]
pub struct LogNote {
    merchant_id: Option<String>,
    input_sha256: Option<String>,
    decision: Option<&'static str>,
    decision_sha256: Option<String>,
    matched: Option<bool>,
    error: Option<(Cow<'static, str>, String)>,
}

/// Routes are labelled by their template so metrics stay bounded whatever paths clients send.
fn route_label(path: &str) -> &'static str {
    match path {
        "/v1/evaluate" => "/v1/evaluate",
        "/v1/verify" => "/v1/verify",
        "/v1/batch" => "/v1/batch",
        "/v1/model" => "/v1/model",
        "/healthz" => "/healthz",
        "/metrics" => "/metrics",
        _ => "other",
    }
}

/// Deadline, timeout backstop, metrics and the request log, around every request.
async fn observe(State(st): State<Arc<AppState>>, mut req: Request, next: Next) -> Response {
    let start = Instant::now();
    let id = st.next_id.fetch_add(1, Ordering::Relaxed);
    let route = route_label(req.uri().path());
    let method = req.method().clone();
    let deadline = start + st.timeout;
    req.extensions_mut().insert(Deadline(deadline));
    st.metrics.start();
    // Handlers watch the deadline themselves; this backstop only fires if one did not.
    let resp = match tokio::time::timeout_at(deadline + Duration::from_millis(250), next.run(req)).await {
        Ok(r) => r,
        Err(_) => axum::response::IntoResponse::into_response(error::ApiError::timeout()),
    };
    let elapsed = start.elapsed();
    let status = resp.status().as_u16();
    st.metrics.finish(route, status, elapsed);
    let n = resp.extensions().get::<LogNote>().cloned().unwrap_or_default();
    let ts = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs_f64()).unwrap_or(0.0);
    let mut line = serde_json::json!({
        "ts": (ts * 1000.0).round() / 1000.0, "id": id, "method": method.as_str(), "route": route,
        "status": status, "ms": (elapsed.as_secs_f64() * 1e4).round() / 10.0,
    });
    if let Some(obj) = line.as_object_mut() {
        let mut put = |k: &str, v: serde_json::Value| {
            obj.insert(k.to_string(), v);
        };
        if let Some(v) = n.merchant_id {
            put("merchant_id", v.into());
        }
        if let Some(v) = n.decision {
            put("decision", v.into());
        }
        if let Some(v) = n.input_sha256 {
            put("input_sha256", v.into());
        }
        if let Some(v) = n.decision_sha256 {
            put("decision_sha256", v.into());
        }
        if let Some(v) = n.matched {
            put("match", v.into());
        }
        if let Some((code, path)) = n.error {
            put("error", serde_json::json!({"code": code, "path": path}));
        }
    }
    eprintln!("{line}");
    resp
}

fn cors(origins: &[String]) -> CliResult<Option<tower_http::cors::CorsLayer>> {
    use tower_http::cors::{AllowOrigin, CorsLayer};
    if origins.is_empty() {
        return Ok(None);
    }
    let allow = if origins.iter().any(|o| o == "*") {
        AllowOrigin::any()
    } else {
        let mut list = Vec::new();
        for o in origins {
            let o = o.trim_end_matches('/');
            if !(o.starts_with("http://") || o.starts_with("https://")) {
                return Err(CliError::Usage(format!("--cors-origin `{o}`: expected an origin like https://seller.example.com")));
            }
            list.push(HeaderValue::from_str(o).map_err(|_| CliError::Usage(format!("--cors-origin `{o}`: not a valid header value")))?);
        }
        AllowOrigin::list(list)
    };
    Ok(Some(
        CorsLayer::new()
            .allow_origin(allow)
            .allow_methods([Method::GET, Method::POST])
            .allow_headers([header::CONTENT_TYPE])
            .expose_headers([header::HeaderName::from_static("x-decision-sha256")])
            .max_age(Duration::from_secs(600)),
    ))
}

/// The application: routes, JSON fallbacks, the observing middleware, CORS when configured.
fn app(st: Arc<AppState>, cors: Option<tower_http::cors::CorsLayer>) -> Router {
    let router = Router::new()
        .route("/v1/evaluate", post(api::evaluate))
        .route("/v1/verify", post(api::verify))
        .route("/v1/batch", post(api::batch))
        .route("/v1/model", get(api::model))
        .route("/healthz", get(api::healthz))
        .route("/metrics", get(api::metrics))
        .fallback(api::not_found)
        .method_not_allowed_fallback(api::method_not_allowed)
        .layer(axum::middleware::from_fn_with_state(st.clone(), observe))
        .with_state(st);
    match cors {
        Some(c) => router.layer(c),
        None => router,
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}

pub fn run(a: ServeArgs) -> CliResult {
    if !(1..=100_000).contains(&a.concurrency)
        || !(1..=86_400_000).contains(&a.timeout_ms)
        || a.max_body_bytes == 0
        || a.workers.is_some_and(|w| !(1..=1024).contains(&w))
    {
        return Err(CliError::Usage(
            "expected --concurrency 1-100000, --timeout-ms 1-86400000, --max-body-bytes above 0, --workers 1-1024".into(),
        ));
    }
    let engine = load_engine(a.model.as_deref())?;
    let cors = cors(&a.cors_origin)?;
    let workers = a.workers.unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()));
    let st = Arc::new(AppState {
        metrics: metrics::Metrics::new(engine.model_ref()),
        engine: Arc::new(engine),
        max_body: a.max_body_bytes,
        timeout: Duration::from_millis(a.timeout_ms),
        admit: Arc::new(Semaphore::new(a.concurrency)),
        workers: Arc::new(Semaphore::new(workers)),
        worker_count: workers,
        next_id: AtomicU64::new(1),
    });
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(workers + 2)
        .thread_name("merchant-credit-serve")
        .build()
        .map_err(|e| CliError::Other(format!("starting the runtime: {e}")))?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(a.addr).await.map_err(|e| CliError::Usage(format!("--addr {}: {e}", a.addr)))?;
        let local = listener.local_addr().map_err(|e| CliError::Other(format!("--addr {}: {e}", a.addr)))?;
        let m = st.engine.model_ref();
        eprintln!(
            "merchant-credit serve: listening on http://{local} (model {} {} sha256 {}; max body {} bytes, timeout {} ms, concurrency {}, workers {}, CORS {})",
            m.id,
            m.version,
            m.sha256,
            a.max_body_bytes,
            a.timeout_ms,
            a.concurrency,
            workers,
            if a.cors_origin.is_empty() { "off".to_string() } else { a.cors_origin.join(" ") }
        );
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let server = axum::serve(listener, app(st.clone(), cors)).with_graceful_shutdown(async move {
            let _ = stop_rx.await;
        });
        let mut handle = tokio::spawn(server.into_future());
        tokio::select! {
            r = &mut handle => {
                return match r {
                    Ok(Ok(())) => Ok(()),
                    Ok(Err(e)) => Err(CliError::Other(format!("server: {e}"))),
                    Err(e) => Err(CliError::Other(format!("server: {e}"))),
                };
            }
            _ = shutdown_signal() => {}
        }
        eprintln!("merchant-credit serve: stopping; finishing requests in progress");
        let _ = stop_tx.send(());
        // In-flight requests get their own timeout plus a second; idle keep-alive connections are closed.
        let grace = st.timeout + Duration::from_secs(1);
        match tokio::time::timeout(grace, handle).await {
            Ok(_) => eprintln!("merchant-credit serve: stopped"),
            Err(_) => eprintln!("merchant-credit serve: stopped after {} ms with requests still open", grace.as_millis()),
        }
        Ok(())
    })?;
    // Evaluations still running on the blocking pool are abandoned rather than awaited.
    rt.shutdown_timeout(Duration::from_millis(100));
    Ok(())
}
