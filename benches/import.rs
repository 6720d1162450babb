//! Import throughput: a generated 1,000,000-order generic CSV (12 columns, five timestamps per
//! order) and a Shopify export of the same orders (22 columns, a second line-item row on every
//! other order), in memory. For each, the bare `csv` crate reading the same bytes into one reused
//! `ByteRecord` (and doing nothing with them) is timed in the same run as `import_csv` building
//! the validated `StoreData` and its report, best of three each, interleaved; the ratio printed is
//! import rate / bare rate (target: at least 0.5x). Every order must be imported (no skips).
//!
//! `IMPORT_BENCH_ORDERS=1000000 cargo bench --bench import` (`IMPORT_BENCH_ORDERS=N` to change
//! the size, `IMPORT_BENCH_FILES=generic` or `shopify` to run one file only, e.g. under `perf`).
//! Figures and what the time goes to: `docs/import.md`, Throughput.

use merchant_credit::store::import::{import_csv, ImportOptions};
use std::fmt::Write;
use std::time::Instant;

fn generic(n: usize) -> String {
    let mut s = String::with_capacity(n * 170);
    s.push_str("id,placed_at,amount,status,refund_amount,buyer_id,ship_by,promised_by,shipped_at,delivered_at,rating,currency\n");
    let base = 1_640_995_200i64; // 2022-01-01
    for i in 0..n {
        let t = base + (i as i64) * 90; // one order every 90 s: ~2.9 years for 1M orders
        let ts = |x: i64| merchant_credit::date::Timestamp(x).to_string();
        let status = match i % 50 {
            0 => "cancelled",
            1 => "refunded",
            _ => "delivered",
        };
        let delivered = status != "cancelled";
        let _ = writeln!(
            s,
            "o{i},{},{}.{:02},{status},{},b{},{},{},{},{},{},CNY",
            ts(t),
            20 + (i * 7919) % 400,
            i % 100,
            if status == "refunded" { "15.00" } else { "" },
            (i * 31) % 200_000,
            ts(t + 172_800),
            merchant_credit::date::Timestamp(t + 6 * 86_400).date(),
            if delivered { ts(t + 30_000) } else { String::new() },
            if delivered { ts(t + 200_000) } else { String::new() },
            if i % 3 == 0 { ((i % 5) + 1).to_string() } else { String::new() },
        );
    }
    s
}

fn shopify(n: usize) -> String {
    let mut s = String::with_capacity(n * 260);
    s.push_str("Name,Email,Financial Status,Paid at,Fulfillment Status,Fulfilled at,Currency,Subtotal,Shipping,Taxes,Total,Discount Code,Discount Amount,Shipping Method,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku,Refunded Amount,Cancelled at,Id\n");
    let base = 1_640_995_200i64;
    for i in 0..n {
        let t = base + (i as i64) * 90;
        let ts = |x: i64| {
            let mut v = merchant_credit::date::Timestamp(x).to_string().replace('T', " ");
            v.pop();
            v + " +0000"
        };
        let (fin, cancelled, refunded) = match i % 50 {
            0 => ("voided", ts(t + 3600), "0.00"),
            1 => ("refunded", String::new(), "42.00"),
            _ => ("paid", String::new(), "0.00"),
        };
        let total = 20 + (i * 7919) % 400;
        let _ = writeln!(
            s,
            "#{},customer{}@example.com,{fin},{},fulfilled,{},USD,{total}.00,5.00,0.00,{}.00,,0.00,Standard,{},1,Ceramic mug,{total}.00,MUG-1,{refunded},{cancelled},{}",
            1000 + i,
            (i * 31) % 200_000,
            ts(t + 60),
            ts(t + 40_000),
            total + 5,
            ts(t),
            5_000_000 + i
        );
        if i % 2 == 0 {
            // a second line item on every other order
            let _ = writeln!(s, "#{},,,,,,,,,,,,,,,1,Tea towel,9.00,TT-1,,,", 1000 + i);
        }
    }
    s
}

fn bare(bytes: &[u8]) -> (f64, u64) {
    let t0 = Instant::now();
    let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let mut rec = csv::ByteRecord::new();
    let mut n = 0u64;
    while rdr.read_byte_record(&mut rec).unwrap_or(false) {
        n += 1;
    }
    (t0.elapsed().as_secs_f64(), n)
}

fn run(name: &str, text: &str, currency: Option<&str>) {
    let bytes = text.as_bytes();
    let mb = bytes.len() as f64 / 1e6;
    let opts = ImportOptions { currency: currency.map(str::to_string), ..ImportOptions::default() };
    // warm-up, then best of three of each, interleaved
    let _ = bare(bytes);
    let (mut best_bare, mut best_imp, mut orders, mut rows) = (f64::MAX, f64::MAX, 0usize, 0u64);
    for _ in 0..3 {
        let (t, n) = bare(bytes);
        best_bare = best_bare.min(t);
        rows = n;
        let t0 = Instant::now();
        let out = import_csv(bytes, &opts, &mut |_, _| {}).expect("import");
        best_imp = best_imp.min(t0.elapsed().as_secs_f64());
        orders = out.store.orders.len();
        assert_eq!(out.report.skipped, 0);
        drop(out);
    }
    println!(
        "{name:<8} {mb:>7.1} MB {rows:>9} rows {orders:>9} orders | bare csv {:>7.1} MB/s | import {:>7.1} MB/s {:>10.0} orders/s | ratio {:.2}x",
        mb / best_bare,
        mb / best_imp,
        orders as f64 / best_imp,
        best_bare / best_imp
    );
}

fn main() {
    let n: usize = std::env::var("IMPORT_BENCH_ORDERS").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000_000);
    println!("import benchmark: {n} orders per file (best of 3; ratio = import rate / bare csv ByteRecord rate; target >= 0.5x)");
    // IMPORT_BENCH_FILES=generic (or shopify) runs one file only, for profiling
    let only = std::env::var("IMPORT_BENCH_FILES").unwrap_or_default();
    if only.is_empty() || only.contains("generic") {
        run("generic", &generic(n), None);
    }
    if only.is_empty() || only.contains("shopify") {
        run("shopify", &shopify(n), None);
    }
}
