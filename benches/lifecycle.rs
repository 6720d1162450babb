//! Monitoring and reassessment of 100,000 sellers from monthly snapshots, native, all cores.
//!
//! Each seller is a store of 24 monthly summaries (a platform's monthly snapshot). The previous
//! month's decision is computed first (not timed: it is last month's run); the timed part is this
//! month's cycle for every seller: fresh decision (`Engine::evaluate_unsigned`), early-warning
//! signals and the reassessed line (`lifecycle::monitor::monitor_store`).
//! Sellers are processed in chunks so memory stays flat. Run: `cargo bench --bench lifecycle`
//! (`LIFECYCLE_SELLERS=N` to change the count).

use merchant_credit::date::{Date, YearMonth};
use merchant_credit::lifecycle::monitor::monitor_store;
use merchant_credit::store::{Finite, Merchant, Money, MonthlySummary, StoreData, StoreType};
use merchant_credit::Engine;
use rayon::prelude::*;
use std::time::{Duration, Instant};

/// SplitMix64, so every run draws the same sellers.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn unit(seed: u64, k: u64) -> f64 {
    (mix(seed.wrapping_mul(1000).wrapping_add(k)) >> 11) as f64 / (1u64 << 53) as f64
}

/// Seller `i`'s store at the end of month `last` (24 months of summaries up to it).
fn store(i: u64, last: YearMonth) -> StoreData {
    let level = 5_000.0 + 300_000.0 * unit(i, 0) * unit(i, 1);
    let trend = -0.06 + 0.08 * unit(i, 2); // per month
    let refund = 0.01 + 0.06 * unit(i, 3) * unit(i, 3);
    let monthly = (0..24)
        .map(|back| {
            let m = YearMonth(last.0 - 23 + back);
            let t = f64::from(back);
            let noise = 0.85 + 0.3 * unit(i, 10 + m.0 as u64);
            let gmv = (level * (1.0 + trend).powf(t) * noise).max(100.0);
            let aov = 60.0 + 200.0 * unit(i, 4);
            let orders = (gmv / aov).max(1.0) as u32;
            MonthlySummary {
                month: m,
                gmv: Money((gmv * 100.0).round() / 100.0),
                orders,
                refunds: Some(Money((gmv * refund * 100.0).round() / 100.0)),
                cancellations: Some(Money((gmv * 0.02 * 100.0).round() / 100.0)),
                buyers: Some((orders as f64 * 0.8) as u32),
                disputes: Some((orders as f64 * 0.002) as u32),
                rating: Some(Finite(4.0 + unit(i, 5))),
            }
        })
        .collect();
    StoreData {
        schema: None,
        as_of: last.last_day(),
        currency: "CNY".into(),
        merchant: Merchant {
            id: format!("s{i}"),
            store_type: StoreType::Reseller,
            opened_on: Date::from_ymd(2020, 1, 1).unwrap_or(Date(18262)),
            platform: None,
            category: None,
            region: None,
            declared_monthly_revenue: None,
        },
        owner: None,
        orders: Vec::new(),
        monthly,
        receivables: Vec::new(),
        liabilities: Vec::new(),
        repayments: Vec::new(),
    }
}

fn main() {
    let n: u64 = std::env::var("LIFECYCLE_SELLERS").ok().and_then(|s| s.parse().ok()).unwrap_or(100_000);
    let chunk = 10_000u64;
    let engine = Engine::default();
    let now = YearMonth::parse("2025-06").unwrap_or(YearMonth(2025 * 12 + 5));
    let prev_month = YearMonth(now.0 - 1);
    let (mut timed, mut setup) = (Duration::ZERO, Duration::ZERO);
    let (mut signals, mut cuts, mut freezes, mut increases) = (0usize, 0usize, 0usize, 0usize);
    let mut start = 0;
    while start < n {
        let ids: Vec<u64> = (start..(start + chunk).min(n)).collect();
        let t0 = Instant::now();
        // last month's run: the previous decision and this month's snapshot
        let prepared: Vec<_> = ids
            .par_iter()
            .map(|&i| {
                let prev = engine.evaluate_unsigned(&store(i, prev_month));
                (store(i, now), prev, prev_line_outstanding(i))
            })
            .collect();
        setup += t0.elapsed();
        let t1 = Instant::now();
        let reports: Vec<_> = prepared
            .par_iter()
            .map(|(s, prev, out)| monitor_store(&engine, s, Some(prev), None, *out).map(|r| (r.signals.len(), r.reassessment.change)))
            .collect();
        timed += t1.elapsed();
        for r in reports.into_iter().flatten() {
            signals += r.0;
            use merchant_credit::lifecycle::LineChange::*;
            match r.1 {
                Decrease => cuts += 1,
                Freeze => freezes += 1,
                Increase => increases += 1,
                _ => {}
            }
        }
        start += chunk;
    }
    let secs = timed.as_secs_f64();
    println!("lifecycle: {n} sellers, 24 monthly summaries each, {} threads", rayon::current_num_threads());
    println!("  monitoring + reassessment: {:.3} s = {:.0} sellers/s ({:.1} us per seller per core)", secs, n as f64 / secs, secs * 1e6 * rayon::current_num_threads() as f64 / n as f64);
    println!("  (setup, not timed: previous decisions and snapshots {:.3} s)", setup.as_secs_f64());
    println!("  outcome: {signals} signals; {cuts} lines cut, {freezes} frozen, {increases} raised");
}

fn prev_line_outstanding(i: u64) -> f64 {
    (unit(i, 7) * 50_000.0 * 100.0).round() / 100.0
}
