//! Prometheus text-format metrics, kept by hand: a few counters and one histogram do not justify a
//! metrics crate, and a `BTreeMap` keeps the exposition order stable.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Mutex;
use std::time::Duration;

/// Upper bounds (seconds) of the latency histogram buckets.
const BUCKETS: [f64; 14] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0];

#[derive(Default, Debug)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

#[derive(Default, Debug)]
struct Inner {
    requests: BTreeMap<(&'static str, u16), u64>,
    latency: BTreeMap<&'static str, Histogram>,
    decisions: BTreeMap<&'static str, u64>,
    verifications: BTreeMap<&'static str, u64>,
    in_flight: i64,
}

/// The server's counters. One mutex: updates are a handful of integer additions per request.
#[derive(Debug)]
pub struct Metrics {
    inner: Mutex<Inner>,
    model_labels: String,
}

impl Metrics {
    pub fn new(model: &merchant_credit::ModelRef) -> Metrics {
        Metrics {
            inner: Mutex::new(Inner::default()),
            model_labels: format!(
                "id=\"{}\",version=\"{}\",sha256=\"{}\",engine=\"{}\"",
                escape(&model.id),
                escape(&model.version),
                escape(&model.sha256),
                escape(merchant_credit::receipt::ENGINE)
            ),
        }
    }

    fn with<R>(&self, f: impl FnOnce(&mut Inner) -> R) -> R {
        // A poisoned lock only means another thread panicked while adding integers: keep counting.
        let mut g = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut g)
    }

    pub fn start(&self) {
        self.with(|m| m.in_flight += 1);
    }

    pub fn finish(&self, route: &'static str, status: u16, elapsed: Duration) {
        let secs = elapsed.as_secs_f64();
        self.with(|m| {
            m.in_flight -= 1;
            *m.requests.entry((route, status)).or_default() += 1;
            let h = m.latency.entry(route).or_default();
            h.count += 1;
            h.sum += secs;
            for (i, le) in BUCKETS.iter().enumerate() {
                if secs <= *le {
                    h.counts[i] += 1;
                }
            }
        });
    }

    pub fn decision(&self, outcome: merchant_credit::Outcome) {
        self.with(|m| *m.decisions.entry(outcome.as_str()).or_default() += 1);
    }

    pub fn verification(&self, matched: bool) {
        self.with(|m| *m.verifications.entry(if matched { "match" } else { "mismatch" }).or_default() += 1);
    }

    /// The Prometheus text exposition (format 0.0.4).
    pub fn render(&self) -> String {
        let mut out = String::with_capacity(4096);
        self.with(|m| {
            let _ = writeln!(out, "# HELP merchant_credit_http_requests_total HTTP requests by route and status.");
            let _ = writeln!(out, "# TYPE merchant_credit_http_requests_total counter");
            for ((route, status), n) in &m.requests {
                let _ = writeln!(out, "merchant_credit_http_requests_total{{route=\"{route}\",status=\"{status}\"}} {n}");
            }
            let _ = writeln!(out, "# HELP merchant_credit_http_request_duration_seconds Time from request to response head, by route.");
            let _ = writeln!(out, "# TYPE merchant_credit_http_request_duration_seconds histogram");
            for (route, h) in &m.latency {
                for (i, le) in BUCKETS.iter().enumerate() {
                    let _ = writeln!(
                        out,
                        "merchant_credit_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"{le}\"}} {}",
                        h.counts[i]
                    );
                }
                let _ = writeln!(out, "merchant_credit_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {}", h.count);
                let _ = writeln!(out, "merchant_credit_http_request_duration_seconds_sum{{route=\"{route}\"}} {}", h.sum);
                let _ = writeln!(out, "merchant_credit_http_request_duration_seconds_count{{route=\"{route}\"}} {}", h.count);
            }
            let _ = writeln!(out, "# HELP merchant_credit_decisions_total Decisions made, by outcome (evaluate, verify and batch).");
            let _ = writeln!(out, "# TYPE merchant_credit_decisions_total counter");
            for outcome in ["approve", "refer", "decline"] {
                let _ = writeln!(out, "merchant_credit_decisions_total{{outcome=\"{outcome}\"}} {}", m.decisions.get(outcome).copied().unwrap_or(0));
            }
            let _ = writeln!(out, "# HELP merchant_credit_verifications_total Browser receipts checked by /v1/verify, by result.");
            let _ = writeln!(out, "# TYPE merchant_credit_verifications_total counter");
            for result in ["match", "mismatch"] {
                let _ = writeln!(out, "merchant_credit_verifications_total{{result=\"{result}\"}} {}", m.verifications.get(result).copied().unwrap_or(0));
            }
            let _ = writeln!(out, "# HELP merchant_credit_http_requests_in_flight Requests being handled now.");
            let _ = writeln!(out, "# TYPE merchant_credit_http_requests_in_flight gauge");
            let _ = writeln!(out, "merchant_credit_http_requests_in_flight {}", m.in_flight);
        });
        let _ = writeln!(out, "# HELP merchant_credit_model_info The model this server decides with.");
        let _ = writeln!(out, "# TYPE merchant_credit_model_info gauge");
        let _ = writeln!(out, "merchant_credit_model_info{{{}}} 1", self.model_labels);
        out
    }
}

/// Escapes a Prometheus label value.
fn escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}
