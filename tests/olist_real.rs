//! Real data: the Olist marketplace sample, one store per seller, through the import and the
//! default model. The data lives outside the repository (`$MERCHANT_CREDIT_DATA`, default
//! `../shared/data` relative to the crate root); without it these tests print a notice and pass.
//!
//! Run with `cargo test --test olist_real -- --nocapture` to see the grade and decision
//! distribution and how sales, cancellations and reviews relate to grades.
mod common;

use merchant_credit::store::import::{import_olist, ImportOptions, OlistTables};
use merchant_credit::{Engine, Outcome};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

fn data_dir() -> Option<PathBuf> {
    common::olist_data_dir("real-data test")
}

fn read(dir: &Path, sub: &str, name: &str) -> Vec<u8> {
    std::fs::read(dir.join("olist").join(sub).join(name)).unwrap_or_else(|e| panic!("{sub}/{name}: {e}"))
}

/// Independent join: per seller, order ids and GMV (price + freight), from a plain split of the
/// unquoted pandas-written sample files.
fn independent(orders: &str, items: &str) -> BTreeMap<String, (HashSet<String>, f64)> {
    let known: HashSet<&str> = orders.lines().skip(1).filter_map(|l| l.split(',').next()).collect();
    let mut out: BTreeMap<String, (HashSet<String>, f64)> = BTreeMap::new();
    for l in items.lines().skip(1) {
        let f: Vec<&str> = l.split(',').collect();
        assert_eq!(f.len(), 7, "unexpected items line {l}");
        if !known.contains(f[0]) {
            continue;
        }
        let e = out.entry(f[3].to_string()).or_default();
        e.0.insert(f[0].to_string());
        e.1 += f[5].parse::<f64>().unwrap() + f[6].parse::<f64>().unwrap();
    }
    out
}

fn spearman(xs: &[f64], ys: &[f64]) -> f64 {
    fn ranks(v: &[f64]) -> Vec<f64> {
        let mut ix: Vec<usize> = (0..v.len()).collect();
        ix.sort_by(|&a, &b| v[a].total_cmp(&v[b]));
        let mut r = vec![0.0; v.len()];
        let mut i = 0;
        while i < ix.len() {
            let mut j = i;
            while j + 1 < ix.len() && v[ix[j + 1]] == v[ix[i]] {
                j += 1;
            }
            for k in i..=j {
                r[ix[k]] = (i + j) as f64 / 2.0 + 1.0;
            }
            i = j + 1;
        }
        r
    }
    let (rx, ry) = (ranks(xs), ranks(ys));
    let n = xs.len() as f64;
    let (mx, my) = (rx.iter().sum::<f64>() / n, ry.iter().sum::<f64>() / n);
    let cov: f64 = rx.iter().zip(&ry).map(|(a, b)| (a - mx) * (b - my)).sum();
    let vx: f64 = rx.iter().map(|a| (a - mx).powi(2)).sum();
    let vy: f64 = ry.iter().map(|b| (b - my).powi(2)).sum();
    cov / (vx * vy).sqrt()
}

fn median(mut v: Vec<f64>) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

#[test]
fn olist_sample_every_seller() {
    let Some(dir) = data_dir() else { return };
    let orders = read(&dir, "sample", "olist_orders_dataset.csv");
    let items = read(&dir, "sample", "olist_order_items_dataset.csv");
    let reviews = read(&dir, "sample", "olist_order_reviews_dataset.csv");
    let sellers = read(&dir, "sample", "olist_sellers_dataset.csv");
    let customers = read(&dir, "sample", "olist_customers_dataset.csv");
    let tables = OlistTables { orders: &orders, items: &items, reviews: Some(&reviews), sellers: Some(&sellers), customers: Some(&customers), deals: None };
    let mut calls = 0;
    let t0 = std::time::Instant::now();
    let import = import_olist(tables, &ImportOptions::default(), &mut |done, total| {
        assert!(done <= total);
        calls += 1;
    })
    .expect("the Olist sample imports");
    let took = t0.elapsed();
    assert!(calls >= 1);
    let r = &import.report;
    println!(
        "olist sample: {} stores, {} orders from {} rows in {:.0} ms; skipped {}; as_of {:?}",
        r.stores,
        r.orders,
        r.rows,
        took.as_secs_f64() * 1e3,
        r.skipped,
        r.as_of.map(|d| d.to_string())
    );
    for n in &r.notes {
        println!("  note: {n}");
    }
    for s in r.skipped_rows.iter().take(5) {
        println!("  skipped: {:?}", s);
    }

    // per-seller order count and GMV against an independent join
    let want = independent(std::str::from_utf8(&orders).unwrap(), std::str::from_utf8(&items).unwrap());
    assert_eq!(import.stores.len(), want.len(), "one store per seller with items");
    for s in &import.stores {
        let (ids, gmv) = &want[&s.merchant.id];
        assert_eq!(s.orders.len(), ids.len(), "order count of seller {}", s.merchant.id);
        let got: f64 = s.orders.iter().map(|o| o.amount.0).sum();
        assert!((got - gmv).abs() < 0.01 * ids.len() as f64 + 1e-6, "GMV of seller {}: {got} vs {gmv}", s.merchant.id);
        assert_eq!(s.currency, "BRL");
        assert!(s.merchant.region.is_some(), "region from the sellers table");
        s.validate().expect("valid store");
    }
    let rated = import.stores.iter().flat_map(|s| &s.orders).filter(|o| o.rating.is_some()).count();
    assert!(rated > r.orders as usize / 2, "most orders carry their review's rating ({rated} of {})", r.orders);

    // evaluate every seller with the default model
    let engine = Engine::default();
    let mut by_grade: BTreeMap<String, Vec<(f64, f64, f64, f64)>> = BTreeMap::new();
    let mut outcomes: BTreeMap<&str, usize> = BTreeMap::new();
    let mut rules: BTreeMap<String, usize> = BTreeMap::new();
    let (mut sales, mut cancel, mut rating, mut score, mut line) = (vec![], vec![], vec![], vec![], vec![]);
    let mut active: Vec<(f64, f64, f64)> = Vec::new();
    for s in &import.stores {
        let d = engine.evaluate(s);
        assert!(d.pd.is_finite() && (0.0..=1.0).contains(&d.pd));
        assert!(d.credit_line.amount >= 0.0 && d.credit_line.amount.is_finite());
        assert!(!d.grade.is_empty());
        if d.decision == Outcome::Decline {
            assert!(d.offers.is_empty());
            assert!(!d.reasons.is_empty() || !d.policy.is_empty(), "a decline says why");
        }
        *outcomes.entry(d.decision.as_str()).or_default() += 1;
        for h in &d.policy {
            *rules.entry(h.rule.clone()).or_default() += 1;
        }
        // whole-history figures: the sample is thin per seller, and as_of is the same for all
        let gmv: f64 = s.orders.iter().map(|o| o.amount.0).sum();
        let cancelled: f64 = s.orders.iter().filter(|o| o.status == merchant_credit::store::OrderStatus::Cancelled).map(|o| o.amount.0).sum();
        let net = gmv - cancelled;
        let cr = if gmv > 0.0 { cancelled / gmv } else { 0.0 };
        let rs: Vec<f64> = s.orders.iter().filter_map(|o| o.rating.map(f64::from)).collect();
        let avg_r = if rs.is_empty() { f64::NAN } else { rs.iter().sum::<f64>() / rs.len() as f64 };
        by_grade.entry(d.grade.clone()).or_default().push((net, cr, avg_r, d.credit_line.amount));
        if d.features.num("orders_90d").unwrap_or(0.0) >= 1.0 {
            active.push((d.features.num("cancel_rate_90d").unwrap_or(0.0), d.features.num("net_sales_90d").unwrap_or(0.0), f64::from(d.score)));
        }
        sales.push(net);
        cancel.push(cr);
        rating.push(avg_r);
        score.push(f64::from(d.score));
        line.push(d.credit_line.amount);
    }
    println!("decisions: {outcomes:?}");
    println!("policy rules fired: {rules:?}");
    println!("{:<6} {:>7} {:>16} {:>12} {:>11} {:>14}", "grade", "sellers", "median net BRL", "cancel rate", "avg rating", "median line");
    for (g, v) in &by_grade {
        let ratings: Vec<f64> = v.iter().map(|x| x.2).filter(|x| x.is_finite()).collect();
        println!(
            "{:<6} {:>7} {:>16.2} {:>12.3} {:>11.2} {:>14.0}",
            g,
            v.len(),
            median(v.iter().map(|x| x.0).collect()),
            v.iter().map(|x| x.1).sum::<f64>() / v.len() as f64,
            ratings.iter().sum::<f64>() / ratings.len().max(1) as f64,
            median(v.iter().map(|x| x.3).collect())
        );
    }
    let rated_ix: Vec<usize> = (0..rating.len()).filter(|&i| rating[i].is_finite()).collect();
    let rho_sales = spearman(&sales, &score);
    let rho_cancel = spearman(&cancel, &score);
    let rho_rating = spearman(&rated_ix.iter().map(|&i| rating[i]).collect::<Vec<_>>(), &rated_ix.iter().map(|&i| score[i]).collect::<Vec<_>>());
    let rho_line = spearman(&sales, &line);
    // the engine's own windows, among sellers with orders in the last 90 days: cancellation
    // rate against score, holding activity roughly fixed by comparing within net-sales halves
    let mut by_sales = active.clone();
    by_sales.sort_by(|a, b| a.1.total_cmp(&b.1));
    let halves = by_sales.split_at(by_sales.len() / 2);
    let rho_c90: Vec<f64> = [halves.0, halves.1]
        .iter()
        .map(|h| spearman(&h.iter().map(|x| x.0).collect::<Vec<_>>(), &h.iter().map(|x| x.2).collect::<Vec<_>>()))
        .collect();
    println!(
        "spearman vs score (whole history): net sales {rho_sales:+.3}, cancel rate {rho_cancel:+.3}, avg rating {rho_rating:+.3}; net sales vs line {rho_line:+.3}"
    );
    println!(
        "spearman cancel_rate_90d vs score among {} sellers active in the last 90 days, lower / upper half by net sales: {:+.3} / {:+.3}",
        active.len(),
        rho_c90[0],
        rho_c90[1]
    );
    assert!(rho_sales > 0.0, "more sales should mean a better score");
    assert!(rho_rating > 0.0, "better reviews should mean a better score");
    assert!(rho_c90.iter().all(|r| r.is_nan() || *r <= 0.0), "at like activity, more cancellations should not mean a better score");
    assert!(rho_line.is_nan() || rho_line >= 0.0, "more sales should not mean smaller lines (NaN when no seller gets a line)");
}

#[test]
fn olist_raw_head_parses() {
    let Some(dir) = data_dir() else { return };
    let orders = read(&dir, "raw-head", "olist_orders_dataset.csv");
    let items = read(&dir, "raw-head", "olist_order_items_dataset.csv");
    let reviews = read(&dir, "raw-head", "olist_order_reviews_dataset.csv");
    let sellers = read(&dir, "raw-head", "olist_sellers_dataset.csv");
    let customers = read(&dir, "raw-head", "olist_customers_dataset.csv");
    let tables = OlistTables { orders: &orders, items: &items, reviews: Some(&reviews), sellers: Some(&sellers), customers: Some(&customers), deals: None };
    let import = import_olist(tables, &ImportOptions::default(), &mut |_, _| {}).expect("raw-head imports");
    let r = &import.report;
    println!("olist raw-head: {} stores, {} orders, {} rows, {} skipped", r.stores, r.orders, r.rows, r.skipped);
    // the tables do not join (each is the head of its own file): items of orders not in the
    // orders table are counted skips with a reason, never a parse error
    let parse_errors: Vec<_> = r.skipped_rows.iter().filter(|s| !s.reason.contains("not in the orders table")).collect();
    assert!(parse_errors.is_empty(), "raw-head rows that failed to parse: {parse_errors:?}");
    // multi-line review comments: the reviews table has fewer records than lines
    let lines = reviews.iter().filter(|&&b| b == b'\n').count();
    let mut rdr = csv::ReaderBuilder::new().from_reader(&reviews[..]);
    let records = rdr.byte_records().count();
    assert!(records < lines - 1, "raw-head reviews have embedded newlines ({records} records, {lines} lines)");
    let mut seen = HashMap::new();
    for s in &import.stores {
        *seen.entry(s.merchant.id.len()).or_insert(0) += 1;
    }
    assert!(seen.keys().all(|&l| l == 32), "quoted and unquoted seller ids both come out as the bare 32-character id");
}

/// The closed deals of Olist's seller-acquisition funnel (`full/`) joined onto the sample's
/// sellers: each matched seller's store type, segment and opening date come from its deal,
/// checked against an independent reading of the deals file with the `csv` crate.
#[test]
fn olist_closed_deals_give_store_type_segment_and_joining_date() {
    let Some(dir) = data_dir() else { return };
    let orders = read(&dir, "sample", "olist_orders_dataset.csv");
    let items = read(&dir, "sample", "olist_order_items_dataset.csv");
    let deals = read(&dir, "full", "olist_closed_deals_dataset.csv");
    let sellers = read(&dir, "full", "olist_sellers_dataset.csv");
    let tables = OlistTables { orders: &orders, items: &items, sellers: Some(&sellers), deals: Some(&deals), ..Default::default() };
    let import = import_olist(tables, &ImportOptions::default(), &mut |_, _| {}).expect("sample + closed deals import");

    // independent reading: seller -> (business_type, segment, won date, declared revenue)
    let mut rdr = csv::Reader::from_reader(&deals[..]);
    let h = rdr.headers().unwrap().clone();
    let col = |name: &str| h.iter().position(|c| c == name).unwrap();
    let (c_seller, c_type, c_segment, c_won, c_declared) = (col("seller_id"), col("business_type"), col("business_segment"), col("won_date"), col("declared_monthly_revenue"));
    let mut want: HashMap<String, (String, String, String, f64)> = HashMap::new();
    for r in rdr.records() {
        let r = r.unwrap();
        let declared = r[c_declared].parse::<f64>().unwrap_or(0.0);
        want.insert(r[c_seller].to_string(), (r[c_type].to_string(), r[c_segment].to_string(), r[c_won][..10].to_string(), declared));
    }
    let mut matched = 0;
    for s in &import.stores {
        let m = &s.merchant;
        let first = s.orders.iter().map(|o| o.placed_at).min().unwrap().date();
        match want.get(&m.id) {
            Some((ty, segment, won, declared)) => {
                matched += 1;
                let ty_json = serde_json::to_value(m.store_type).unwrap();
                match ty.as_str() {
                    "reseller" | "manufacturer" => assert_eq!(ty_json, ty.as_str(), "{}", m.id),
                    _ => assert_eq!(ty_json, "reseller", "{}: `{ty}` keeps the default", m.id),
                }
                assert_eq!(m.category.as_deref().unwrap_or(""), segment.as_str(), "{}", m.id);
                let won = merchant_credit::date::Date::parse(won).unwrap();
                assert_eq!(m.opened_on, won.min(first), "{}: joined {won}, first order {first}", m.id);
                assert_eq!(m.declared_monthly_revenue.map(|d| d.0), (*declared > 0.0).then_some(*declared), "{}", m.id);
            }
            None => {
                assert_eq!(m.category, None);
                assert_eq!(m.opened_on, first);
                assert!(m.region.is_some(), "{}: region from the full sellers table", m.id);
            }
        }
    }
    assert_eq!(matched, 137, "sample sellers with a closed deal");
    assert!(import.report.notes.iter().any(|n| n.contains("137 of 842 deals")), "{:?}", import.report.notes);
    // with a deal the store type is the seller's own: some manufacturers among them
    assert!(import.stores.iter().filter(|s| s.merchant.store_type == merchant_credit::store::StoreType::Manufacturer).count() >= 20);
}
