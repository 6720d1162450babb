//! Load and fault test for `merchant-credit serve` (issue 6). Loopback only, bounded in time and
//! in count, stops by itself. Run it with scripts/loadtest/run.sh, or:
//!
//! ```text
//! cargo build --release --features server --bin merchant-credit
//! rustc --edition 2021 -O -o target/loadtest scripts/loadtest/main.rs
//! target/loadtest --bin target/release/merchant-credit --seconds 30
//! ```
//!
//! 1. Draws four 1,000-order stores (`merchant-credit synth --orders 1000`, profiles healthy,
//!    growing, declining, seasonal, fixed seeds), or takes `--store FILE`; asks the CLI
//!    (`merchant-credit evaluate`) for each one's Decision bytes.
//! 2. Starts the server on 127.0.0.1 with an ephemeral port.
//! 3. Clean run: `--concurrency` clients on keep-alive connections POST the stores to
//!    /v1/evaluate for `--seconds`; prints requests/s and p50/p90/p99 latency.
//! 4. Fault run: the same with `--fault-percent` of the requests malformed, truncated, invalid,
//!    oversized, or abandoned half-sent. Checks: zero 5xx, every well-formed request answered 200
//!    with exactly the CLI's bytes, every fault answered 4xx (or, for the abandoned ones, nothing).
//! 5. Checks /healthz and /metrics afterwards, that the server log holds no store data, then
//!    stops the server with SIGTERM and checks it exits cleanly.
//!
//! Exit code 0 when every check holds, 1 otherwise. Only the standard library (no HTTP client,
//! no JSON crate), so it builds with plain `rustc` in seconds and what is measured is the server.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

struct Opts {
    bin: PathBuf,
    store: Option<PathBuf>,
    seconds: u64,
    concurrency: usize,
    fault_percent: u64,
    max_requests: u64,
    max_body: usize,
}

fn opts() -> Opts {
    let mut o = Opts {
        bin: PathBuf::from("target/release/merchant-credit"),
        store: None,
        seconds: std::env::var("LOADTEST_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(30),
        concurrency: 32,
        fault_percent: 5,
        max_requests: 2_000_000,
        max_body: 1 << 20,
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    while i < args.len() {
        let v = args.get(i + 1).cloned().unwrap_or_default();
        match args[i].as_str() {
            "--bin" => o.bin = v.into(),
            "--store" => o.store = Some(v.into()),
            "--seconds" => o.seconds = v.parse().expect("--seconds N"),
            "--concurrency" => o.concurrency = v.parse().expect("--concurrency N"),
            "--fault-percent" => o.fault_percent = v.parse().expect("--fault-percent N"),
            "--max-requests" => o.max_requests = v.parse().expect("--max-requests N"),
            other => {
                eprintln!("loadtest: unknown option {other} (--bin, --store, --seconds, --concurrency, --fault-percent, --max-requests)");
                std::process::exit(2);
            }
        }
        i += 2;
    }
    o.seconds = o.seconds.clamp(1, 600);
    o.concurrency = o.concurrency.clamp(1, 256);
    o
}

/// A tiny deterministic PRNG (xorshift64*): the fault mix is the same on every run.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Good,
    Malformed,
    Truncated,
    Invalid,
    Oversized,
    OversizedChunked,
    Abandoned,
}
const FAULTS: [Kind; 6] = [Kind::Malformed, Kind::Truncated, Kind::Invalid, Kind::Oversized, Kind::OversizedChunked, Kind::Abandoned];

struct Conn {
    addr: String,
    s: Option<BufReader<TcpStream>>,
}

struct Resp {
    status: u16,
    body: Vec<u8>,
    close: bool,
}

impl Conn {
    fn stream(&mut self) -> std::io::Result<&mut BufReader<TcpStream>> {
        if self.s.is_none() {
            let s = TcpStream::connect(&self.addr)?;
            s.set_nodelay(true)?;
            s.set_read_timeout(Some(Duration::from_secs(30)))?;
            s.set_write_timeout(Some(Duration::from_secs(30)))?;
            self.s = Some(BufReader::new(s));
        }
        Ok(self.s.as_mut().expect("just set"))
    }

    /// One request on the keep-alive connection; `head_only` sends headers and waits for an early
    /// answer before any body (what `Expect: 100-continue` clients do).
    fn send(&mut self, path: &str, extra: &str, body: &[u8], content_length: Option<usize>) -> std::io::Result<Resp> {
        let s = self.stream()?;
        let cl = content_length.map(|n| format!("Content-Length: {n}\r\n")).unwrap_or_default();
        let head = format!("POST {path} HTTP/1.1\r\nHost: loadtest\r\nContent-Type: application/json\r\n{cl}{extra}\r\n");
        s.get_mut().write_all(head.as_bytes())?;
        if !body.is_empty() {
            s.get_mut().write_all(body)?;
        }
        read_response(s)
    }

    fn get(&mut self, path: &str) -> std::io::Result<Resp> {
        let s = self.stream()?;
        s.get_mut().write_all(format!("GET {path} HTTP/1.1\r\nHost: loadtest\r\n\r\n").as_bytes())?;
        read_response(s)
    }
}

fn read_response(s: &mut BufReader<TcpStream>) -> std::io::Result<Resp> {
    let mut line = String::new();
    if s.read_line(&mut line)? == 0 {
        return Err(std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "closed before a response"));
    }
    let status: u16 = line.split(' ').nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    let (mut len, mut chunked, mut close) = (0usize, false, false);
    loop {
        line.clear();
        s.read_line(&mut line)?;
        let l = line.trim_end();
        if l.is_empty() {
            break;
        }
        let (k, v) = l.split_once(':').unwrap_or((l, ""));
        let (k, v) = (k.trim().to_ascii_lowercase(), v.trim().to_ascii_lowercase());
        match k.as_str() {
            "content-length" => len = v.parse().unwrap_or(0),
            "transfer-encoding" => chunked = v.contains("chunked"),
            "connection" => close = v == "close",
            _ => {}
        }
    }
    let mut body = Vec::new();
    if chunked {
        loop {
            line.clear();
            s.read_line(&mut line)?;
            let n = usize::from_str_radix(line.trim(), 16).unwrap_or(0);
            let mut chunk = vec![0; n + 2];
            s.read_exact(&mut chunk)?;
            if n == 0 {
                break;
            }
            body.extend_from_slice(&chunk[..n]);
        }
    } else {
        body.resize(len, 0);
        s.read_exact(&mut body)?;
    }
    Ok(Resp { status, body, close })
}

#[derive(Default)]
struct Tally {
    latencies_us: Vec<u64>,
    by_kind: BTreeMap<String, u64>,
    good_ok: u64,
    mismatches: u64,
    server_errors: u64,
    transport_errors: u64,
    fault_unexpected: Vec<String>,
}

struct Case {
    body: Vec<u8>,
    expected: Vec<u8>,
}

/// One client thread: requests until the deadline or the shared count cap.
#[allow(clippy::too_many_arguments)] // one call site; a struct would only rename the list
fn client(addr: String, id: u64, cases: Arc<Vec<Case>>, faults: Arc<Vec<Vec<u8>>>, fault_percent: u64, until: Instant, count: Arc<AtomicU64>, cap: u64, max_body: usize) -> Tally {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ (id + 1).wrapping_mul(0xBF58_476D_1CE4_E5B9));
    let mut t = Tally::default();
    let mut c = Conn { addr, s: None };
    while Instant::now() < until && count.fetch_add(1, Ordering::Relaxed) < cap {
        let roll = rng.next() % 100;
        let kind = if roll < fault_percent { FAULTS[(rng.next() % FAULTS.len() as u64) as usize] } else { Kind::Good };
        let case = &cases[(rng.next() % cases.len() as u64) as usize];
        let start = Instant::now();
        let result = match kind {
            Kind::Good => c.send("/v1/evaluate", "", &case.body, Some(case.body.len())),
            Kind::Malformed => c.send("/v1/evaluate", "", &faults[0], Some(faults[0].len())),
            Kind::Invalid => c.send("/v1/evaluate", "", &faults[1], Some(faults[1].len())),
            Kind::Truncated => {
                let cut = &case.body[..case.body.len() / 3];
                c.send("/v1/evaluate", "", cut, Some(cut.len()))
            }
            Kind::Oversized => c.send("/v1/evaluate", "Expect: 100-continue\r\n", b"", Some(max_body * 2)),
            Kind::OversizedChunked => {
                // The whole oversized body, chunked: the server finds the cap while reading.
                let r = c.stream().and_then(|s| {
                    s.get_mut().write_all(b"POST /v1/evaluate HTTP/1.1\r\nHost: loadtest\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")?;
                    let chunk = vec![b' '; 64 * 1024];
                    for _ in 0..(max_body * 2 / chunk.len()) {
                        if s.get_mut().write_all(format!("{:x}\r\n", chunk.len()).as_bytes()).and_then(|_| s.get_mut().write_all(&chunk)).and_then(|_| s.get_mut().write_all(b"\r\n")).is_err() {
                            break; // the server answered and closed: read the answer
                        }
                    }
                    let _ = s.get_mut().write_all(b"0\r\n\r\n");
                    read_response(s)
                });
                match r {
                    Ok(r) => Ok(r),
                    Err(_) => {
                        // Refused mid-stream: the 413 can be lost to the reset. Not a server error.
                        *t.by_kind.entry("OversizedChunked reset".into()).or_default() += 1;
                        c.s = None;
                        continue;
                    }
                }
            }
            Kind::Abandoned => {
                // Headers and half a body, then hang up: no answer is possible; the server must cope.
                if let Ok(s) = c.stream() {
                    let head = format!("POST /v1/evaluate HTTP/1.1\r\nHost: loadtest\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n", case.body.len());
                    let _ = s.get_mut().write_all(head.as_bytes());
                    let _ = s.get_mut().write_all(&case.body[..case.body.len() / 2]);
                }
                c.s = None;
                *t.by_kind.entry("Abandoned".into()).or_default() += 1;
                continue;
            }
        };
        let elapsed = start.elapsed();
        match result {
            Err(_) => {
                t.transport_errors += 1;
                *t.by_kind.entry(format!("{kind:?} transport error")).or_default() += 1;
                c.s = None;
            }
            Ok(r) => {
                // After a refused oversized body the server closes the connection; so does the client.
                if r.close || matches!(kind, Kind::Oversized | Kind::OversizedChunked) {
                    c.s = None;
                }
                *t.by_kind.entry(format!("{kind:?} {}", r.status)).or_default() += 1;
                if r.status >= 500 {
                    t.server_errors += 1;
                }
                match kind {
                    Kind::Good => {
                        t.latencies_us.push(elapsed.as_micros() as u64);
                        if r.status == 200 && r.body == case.expected {
                            t.good_ok += 1;
                        } else {
                            t.mismatches += 1;
                        }
                    }
                    _ => {
                        let expected = match kind {
                            Kind::Oversized | Kind::OversizedChunked => r.status == 413,
                            _ => r.status == 400,
                        };
                        let is_json_error = r.body.starts_with(b"{\"error\":{\"code\":\"");
                        if !expected || !is_json_error {
                            t.fault_unexpected.push(format!("{kind:?}: {} {}", r.status, String::from_utf8_lossy(&r.body[..r.body.len().min(200)])));
                        }
                    }
                }
            }
        }
    }
    t
}

fn pct(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)] as f64 / 1000.0
}

struct Phase {
    name: &'static str,
    secs: f64,
    requests: u64,
    rps: f64,
    p50: f64,
    p90: f64,
    p99: f64,
    max: f64,
    tally: Tally,
}

fn run_phase(name: &'static str, addr: &str, o: &Opts, cases: &Arc<Vec<Case>>, faults: &Arc<Vec<Vec<u8>>>, fault_percent: u64) -> Phase {
    let start = Instant::now();
    let until = start + Duration::from_secs(o.seconds);
    let count = Arc::new(AtomicU64::new(0));
    let handles: Vec<_> = (0..o.concurrency)
        .map(|i| {
            let (addr, cases, faults, count) = (addr.to_string(), cases.clone(), faults.clone(), count.clone());
            let (cap, max_body) = (o.max_requests, o.max_body);
            std::thread::spawn(move || client(addr, i as u64, cases, faults, fault_percent, until, count, cap, max_body))
        })
        .collect();
    let mut all = Tally::default();
    for h in handles {
        let t = h.join().unwrap_or_default();
        all.latencies_us.extend(t.latencies_us);
        for (k, v) in t.by_kind {
            *all.by_kind.entry(k).or_default() += v;
        }
        all.good_ok += t.good_ok;
        all.mismatches += t.mismatches;
        all.server_errors += t.server_errors;
        all.transport_errors += t.transport_errors;
        all.fault_unexpected.extend(t.fault_unexpected);
    }
    let secs = start.elapsed().as_secs_f64();
    all.latencies_us.sort_unstable();
    let requests: u64 = all.by_kind.values().sum();
    Phase {
        name,
        secs,
        requests,
        rps: requests as f64 / secs,
        p50: pct(&all.latencies_us, 0.50),
        p90: pct(&all.latencies_us, 0.90),
        p99: pct(&all.latencies_us, 0.99),
        max: all.latencies_us.last().copied().unwrap_or(0) as f64 / 1000.0,
        tally: all,
    }
}

fn main() {
    let o = opts();
    let watchdog_secs = o.seconds * 2 + 120;
    std::thread::spawn(move || {
        std::thread::sleep(Duration::from_secs(watchdog_secs));
        eprintln!("loadtest: watchdog: still running after {watchdog_secs} s, giving up");
        std::process::exit(1);
    });

    // 1. The stores and their expected bytes, from the CLI.
    let tmp = std::env::temp_dir().join(format!("mc-loadtest-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).expect("temp dir");
    let mut files = Vec::new();
    match &o.store {
        Some(p) => files.push(p.clone()),
        None => {
            for (i, profile) in ["healthy", "growing", "declining", "seasonal"].iter().enumerate() {
                let path = tmp.join(format!("{profile}.json"));
                let out = Command::new(&o.bin)
                    .args(["synth", "--profile", profile, "--orders", "1000", "--seed", &(i + 1).to_string(), "--out"])
                    .arg(&path)
                    .output()
                    .expect("run the CLI");
                assert!(out.status.success(), "synth failed: {}", String::from_utf8_lossy(&out.stderr));
                files.push(path);
            }
        }
    }
    let mut cases = Vec::new();
    let mut orders_in_first = 0;
    for path in &files {
        let body = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        if cases.is_empty() {
            orders_in_first = String::from_utf8_lossy(&body).matches("\"placed_at\"").count();
        }
        let out = Command::new(&o.bin).arg("evaluate").arg(path).output().expect("run the CLI");
        assert!(out.status.success(), "CLI evaluate failed: {}", String::from_utf8_lossy(&out.stderr));
        let expected = out.stdout.strip_suffix(b"\n").unwrap_or(&out.stdout).to_vec();
        cases.push(Case { body, expected });
    }
    let n_orders = orders_in_first;
    let body_kb = cases[0].body.len() as f64 / 1024.0;
    let first = String::from_utf8_lossy(&cases[0].body).into_owned();
    // Faults made from a real store: an invalid amount (negative), and malformed JSON.
    let invalid = first.replacen("\"amount\":", "\"amount\":-", 1).into_bytes();
    let mut malformed = cases[0].body.clone();
    if let Some(p) = malformed.iter().position(|&b| b == b':') {
        malformed[p] = b'=';
    }
    let faults = Arc::new(vec![malformed, invalid]);
    let cases = Arc::new(cases);
    let string_after = |key: &str| {
        let at = first.find(&format!("\"{key}\":\""))? + key.len() + 4;
        first[at..].split('"').next().map(str::to_string)
    };
    let secret = string_after("buyer_id");
    let order_id = first.find("\"orders\":[").and_then(|i| {
        let rest = &first[i..];
        let at = rest.find("\"id\":\"")? + 6;
        rest[at..].split('"').next().map(str::to_string)
    });

    // 2. The server.
    let mut child = Command::new(&o.bin)
        .args(["serve", "--addr", "127.0.0.1:0", "--max-body-bytes", &o.max_body.to_string(), "--concurrency", "64", "--timeout-ms", "10000"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the server");
    let mut err = BufReader::new(child.stderr.take().expect("stderr"));
    let mut first = String::new();
    let _ = err.read_line(&mut first);
    let Some(addr) = first.split("listening on http://").nth(1).and_then(|s| s.split_whitespace().next()).map(str::to_string) else {
        let _ = child.kill();
        eprintln!("loadtest: the server did not start: {first}");
        std::process::exit(1);
    };
    assert!(addr.starts_with("127.0.0.1:"), "loopback only");
    let log_lines = Arc::new(AtomicU64::new(0));
    let leaks = Arc::new(Mutex::new(Vec::<String>::new()));
    let stopped = Arc::new(AtomicBool::new(false));
    let (ll, lk, needles) = (log_lines.clone(), leaks.clone(), [secret, order_id].into_iter().flatten().collect::<Vec<_>>());
    let log_thread = std::thread::spawn(move || {
        let mut line = String::new();
        let mut tail = Vec::new();
        while err.read_line(&mut line).map(|n| n > 0).unwrap_or(false) {
            ll.fetch_add(1, Ordering::Relaxed);
            if needles.iter().any(|n| line.contains(&format!("\"{n}\""))) || line.contains("\"placed_at\":") {
                lk.lock().unwrap_or_else(|p| p.into_inner()).push(line.clone());
            }
            tail.push(line.clone());
            if tail.len() > 5 {
                tail.remove(0);
            }
            line.clear();
        }
        tail
    });

    println!("loadtest: server {} at http://{addr}; {} stores of {} orders ({body_kb:.0} KiB JSON); concurrency {}, {} s per run", o.bin.display(), files.len(), n_orders, o.concurrency, o.seconds);
    // 3. and 4.
    let clean = run_phase("clean", &addr, &o, &cases, &faults, 0);
    let faulty = run_phase("faults", &addr, &o, &cases, &faults, o.fault_percent);

    // 5. Afterwards.
    let mut c = Conn { addr: addr.clone(), s: None };
    let health = c.get("/healthz").map(|r| r.status).unwrap_or(0);
    let after = c.send("/v1/evaluate", "", &cases[0].body, Some(cases[0].body.len()));
    let after_ok = after.as_ref().map(|r| r.status == 200 && r.body == cases[0].expected).unwrap_or(false);
    let metrics = c.get("/metrics").map(|r| String::from_utf8_lossy(&r.body).into_owned()).unwrap_or_default();
    let metric_5xx: u64 = metrics
        .lines()
        .filter(|l| l.starts_with("merchant_credit_http_requests_total{") && l.contains("status=\"5"))
        .filter_map(|l| l.rsplit(' ').next()?.parse::<u64>().ok())
        .sum();
    drop(c);
    let _ = Command::new("kill").args(["-TERM", &child.id().to_string()]).status();
    let stop_start = Instant::now();
    let mut exit = None;
    while stop_start.elapsed() < Duration::from_secs(15) {
        if let Ok(Some(s)) = child.try_wait() {
            exit = Some(s);
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    if exit.is_none() {
        let _ = child.kill();
        let _ = child.wait();
    }
    stopped.store(true, Ordering::Relaxed);
    let tail = log_thread.join().unwrap_or_default();
    let _ = std::fs::remove_dir_all(&tmp);

    // Report.
    let mut ok = true;
    for p in [&clean, &faulty] {
        let t = &p.tally;
        println!(
            "{:>6}: {} requests in {:.1} s = {:.1} req/s; well-formed latency p50 {:.1} ms, p90 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
            p.name, p.requests, p.secs, p.rps, p.p50, p.p90, p.p99, p.max
        );
        println!(
            "        well-formed answered with the CLI's bytes: {} of {}; 5xx: {}; transport errors: {}",
            t.good_ok,
            t.good_ok + t.mismatches,
            t.server_errors,
            t.transport_errors
        );
        let kinds: Vec<String> = t.by_kind.iter().map(|(k, v)| format!("{k}: {v}")).collect();
        println!("        by kind and status: {}", kinds.join(", "));
        for u in t.fault_unexpected.iter().take(5) {
            println!("        UNEXPECTED fault answer: {u}");
        }
        ok &= t.mismatches == 0 && t.server_errors == 0 && t.fault_unexpected.is_empty() && t.good_ok > 0;
        ok &= t.transport_errors == 0;
    }
    let leaks = leaks.lock().unwrap_or_else(|p| p.into_inner()).clone();
    println!(
        "after : /healthz {health}; a fresh evaluation {}; 5xx counted by /metrics: {metric_5xx}; server log {} lines, {} with store data; SIGTERM -> {}",
        if after_ok { "matches the CLI" } else { "DOES NOT match" },
        log_lines.load(Ordering::Relaxed),
        leaks.len(),
        match exit {
            Some(s) if s.success() => format!("exited cleanly in {} ms", stop_start.elapsed().as_millis()),
            Some(s) => format!("exited with {s}"),
            None => "DID NOT EXIT (killed)".into(),
        }
    );
    for l in leaks.iter().take(3) {
        println!("        LEAK: {}", l.trim_end());
    }
    ok &= health == 200 && after_ok && metric_5xx == 0 && leaks.is_empty() && exit.is_some_and(|s| s.success());
    if !ok {
        for l in tail {
            println!("        server log: {}", l.trim_end());
        }
    }
    println!("loadtest: {}", if ok { "PASS" } else { "FAIL" });
    std::process::exit(if ok { 0 } else { 1 });
}
