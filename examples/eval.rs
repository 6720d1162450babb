//! `cargo run --example eval -- FILE`: evaluates one store with the default model (library use).
fn main() {
    let path = std::env::args().nth(1).unwrap_or_else(|| "examples/store.json".into());
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        eprintln!("{path}: {e}");
        std::process::exit(2)
    });
    match merchant_credit::evaluate_json(&text) {
        Ok(d) => println!("{}", d.to_json_pretty()),
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(2)
        }
    }
}
