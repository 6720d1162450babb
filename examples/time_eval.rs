//! `cargo run --release --example time_eval -- N FILE...`: microseconds per evaluation of each
//! store file, from its JSON text to the Decision's JSON text (parse + validate + evaluate +
//! receipt + JSON text: the work of the wasm package's `evaluateJson`), N times after a warm-up;
//! one line per file: `FILE<TAB>us_per_eval`. Used by benches/wasm/speed.mjs to compare with the
//! wasm build.
fn main() {
    let mut args = std::env::args().skip(1);
    let n: u32 = args.next().and_then(|s| s.parse().ok()).unwrap_or(20);
    let engine = merchant_credit::Engine::default();
    for path in args {
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
            eprintln!("{path}: {e}");
            std::process::exit(2)
        });
        // what `evaluateJson` does in wasm: JSON text in, the Decision's JSON text out
        let run = |t: &str| engine.evaluate_json_to_json(t);
        let _ = run(&text);
        let t = std::time::Instant::now();
        for _ in 0..n {
            std::hint::black_box(run(std::hint::black_box(&text)).ok());
        }
        println!("{path}\t{:.1}", t.elapsed().as_secs_f64() * 1e6 / f64::from(n));
    }
}
