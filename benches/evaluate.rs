//! Evaluation speed (issue 2): a 10,000-order store and a 24-month monthly store.
//! `cargo bench --bench evaluate` prints microseconds per evaluation, with and without the receipt
//! (the receipt hashes the canonical input, which for 10,000 orders costs more than scoring).
use merchant_credit::{Engine, StoreData};
use std::hint::black_box;
use std::time::Instant;

fn orders_store(n: usize) -> StoreData {
    // a deterministic linear congruential stream: no dependency, same store every run
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (x >> 33) as f64 / (1u64 << 31) as f64
    };
    let mut orders = Vec::with_capacity(n);
    for i in 0..n {
        let back = (next() * 365.0) as i64;
        let placed = 1_751_241_600 - back * 86_400 - (next() * 40_000.0) as i64; // as_of 2025-06-30
        let r = next();
        let status = if r < 0.02 { "cancelled" } else if r < 0.05 { "refunded" } else { "delivered" };
        let amount = (20.0 + next() * 180.0 * 100.0).round() / 100.0;
        let mut o = serde_json::json!({"id": format!("o{i}"), "placed_at": ts(placed), "amount": amount, "status": status,
            "buyer_id": format!("b{}", (next() * 3000.0) as u32)});
        if status != "cancelled" {
            o["shipped_at"] = ts(placed + 86_400).into();
            o["promised_by"] = ts(placed + 6 * 86_400).into();
            if back > 5 {
                o["delivered_at"] = ts(placed + 4 * 86_400).into();
                o["rating"] = (3 + (next() * 2.99) as u32).into();
            }
        }
        orders.push(o);
    }
    let v = serde_json::json!({"as_of": "2025-06-30", "currency": "CNY",
        "merchant": {"id": "bench", "opened_on": "2020-01-01"}, "orders": orders});
    StoreData::from_value(v).unwrap()
}

fn ts(secs: i64) -> String {
    merchant_credit::date::Timestamp(secs).to_string()
}

fn monthly_store() -> StoreData {
    let months: Vec<_> = (0..24)
        .map(|i| {
            let m = 2023 * 12 + 6 + i;
            serde_json::json!({"month": format!("{:04}-{:02}", m / 12, m % 12 + 1), "gmv": 100000.0 + 1000.0 * i as f64,
                "orders": 800, "refunds": 2000.0, "buyers": 600, "disputes": 1})
        })
        .collect();
    StoreData::from_value(serde_json::json!({"as_of": "2025-06-30", "currency": "CNY",
        "merchant": {"id": "bench-m", "opened_on": "2020-01-01"}, "monthly": months})).unwrap()
}

fn time<F: FnMut()>(label: &str, iters: u32, mut f: F) -> f64 {
    for _ in 0..(iters / 10).max(1) {
        f(); // warm up
    }
    let mut best = f64::INFINITY;
    for _ in 0..5 {
        let t = Instant::now();
        for _ in 0..iters {
            f();
        }
        best = best.min(t.elapsed().as_secs_f64() * 1e6 / f64::from(iters));
    }
    println!("{label:<48} {best:>10.2} us/eval   (best of 5 x {iters})");
    best
}

fn main() {
    let engine = Engine::default();
    let big = orders_store(10_000);
    let json = serde_json::to_string(&big).unwrap();
    let monthly = monthly_store();
    println!("merchant-credit evaluate benchmark ({} cores)", std::thread::available_parallelism().map_or(1, |n| n.get()));
    let a = time("10,000 orders: features + score + offers", 50, || {
        black_box(engine.evaluate_unsigned(black_box(&big)));
    });
    time("10,000 orders: with receipt (SHA-256 of input)", 20, || {
        black_box(engine.evaluate(black_box(&big)));
    });
    time("10,000 orders: parse + validate + evaluate JSON", 10, || {
        black_box(engine.evaluate_json(black_box(&json)).unwrap());
    });
    let m = time("24 monthly summaries: features + score + offers", 5000, || {
        black_box(engine.evaluate_unsigned(black_box(&monthly)));
    });
    time("24 monthly summaries: with receipt", 2000, || {
        black_box(engine.evaluate(black_box(&monthly)));
    });
    println!("targets: 10,000 orders < 2000 us ({}), monthly < 20 us ({})",
        if a < 2000.0 { "met" } else { "NOT met" }, if m < 20.0 { "met" } else { "NOT met" });
}
