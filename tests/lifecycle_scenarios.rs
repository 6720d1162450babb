//! Lifecycle scenarios: synthetic sellers replayed month by month (a declining seller and a wash
//! trader must be flagged, and we record within how many periods), Olist sellers replayed month by
//! month through the importer (a plausible series of lines), and a delinquent loan walking through
//! the DPD buckets to write-off.
//!
//! Run with `cargo test --test lifecycle_scenarios -- --nocapture` to see the series.
mod common;

use merchant_credit::date::{Date, YearMonth};
use merchant_credit::lifecycle::{self, Action, LineChange, MonitorReport, Payment, ScheduleRequest, SeriesRequest, ServicingRequest, Snapshot};
use merchant_credit::model::RepaymentMethod;
use merchant_credit::store::import::{import_olist, ImportOptions, OlistTables};
use merchant_credit::store::{Money, OrderStatus, StoreData};
use merchant_credit::synth::{synth, Profile, SynthOptions};
use merchant_credit::Engine;
use std::path::PathBuf;

fn d(s: &str) -> Date {
    Date::parse(s).unwrap()
}

/// The store as it was known at `as_of`: later orders dropped, later shipping/delivery unknown
/// (status rolled back), later payments not yet made, partial months of summaries left out.
fn point_in_time(full: &StoreData, as_of: Date) -> StoreData {
    let end = as_of.add_days(1).start();
    let mut s = full.clone();
    s.as_of = as_of;
    s.orders.retain(|o| o.placed_at < end);
    for o in &mut s.orders {
        if o.shipped_at.is_some_and(|t| t >= end) {
            o.shipped_at = None;
        }
        if o.delivered_at.is_some_and(|t| t >= end) {
            o.delivered_at = None;
            o.rating = None;
            if o.status == OrderStatus::Delivered {
                o.status = if o.shipped_at.is_some() { OrderStatus::Shipped } else { OrderStatus::Pending };
            }
        }
    }
    s.monthly.retain(|m| m.month < as_of.month());
    s.receivables.retain(|r| r.due_on > as_of && r.due_on <= as_of.add_days(90) && as_of == full.as_of);
    s.repayments.retain(|r| r.due_on <= as_of.add_days(365));
    for r in &mut s.repayments {
        if r.paid_on.is_some_and(|p| p > as_of) {
            r.paid_on = None;
            r.amount_paid = None;
        }
    }
    s
}

fn month_ends(from: &str, to: &str) -> Vec<Date> {
    let (a, b) = (YearMonth::parse(from).unwrap(), YearMonth::parse(to).unwrap());
    (a.0..=b.0).map(|m| YearMonth(m).last_day()).collect()
}

fn replay(engine: &Engine, full: &StoreData, ends: &[Date]) -> Vec<MonitorReport> {
    let snapshots = ends
        .iter()
        .filter(|e| **e >= full.merchant.opened_on && **e <= full.as_of)
        .map(|e| Snapshot { store: point_in_time(full, *e), outstanding: None })
        .collect();
    lifecycle::monitor_series(engine, &SeriesRequest { snapshots, line: None }).unwrap()
}

fn show(name: &str, rs: &[MonitorReport]) {
    println!("--- {name}");
    for r in rs {
        let codes: Vec<String> = r.signals.iter().map(|s| format!("{}:{}", s.code, s.action.as_str())).collect();
        println!(
            "{} {:7} {} line {:>10.2} -> {:>10.2} ({:?}) [{}]",
            r.as_of,
            r.decision.decision.as_str(),
            r.decision.grade,
            r.reassessment.previous_line,
            r.reassessment.new_line,
            r.reassessment.change,
            codes.join(", ")
        );
    }
}

/// The first period (index into the series) at which a signal with one of `codes` recommends at
/// least `action`.
fn first_flag(rs: &[MonitorReport], codes: &[&str], action: Action) -> Option<usize> {
    rs.iter().position(|r| r.signals.iter().any(|s| codes.contains(&s.code.as_str()) && s.action >= action))
}

#[test]
fn declining_seller_is_flagged_and_the_line_cut() {
    let engine = Engine::default();
    let full = synth(Profile::Declining, &SynthOptions { orders: 20_000, seed: 11, ..SynthOptions::default() });
    // the decline starts about 14 months before as_of (2025-06-30): replay from a year before it
    let ends = month_ends("2023-06", "2025-06");
    let rs = replay(&engine, &full, &ends);
    show("declining", &rs);
    let onset = ends.iter().position(|e| *e >= d("2024-04-30")).unwrap();
    let flagged = first_flag(&rs, &["sales_drop", "sales_drop_month"], Action::Review).expect("the decline is flagged");
    let cut = rs.iter().position(|r| matches!(r.reassessment.change, LineChange::Decrease | LineChange::Freeze)).expect("the line is cut");
    println!("declining: decline starts at period {onset}; flagged at period {flagged} ({} periods after onset); line first cut at period {cut}", flagged as i64 - onset as i64);
    assert!(flagged >= onset.saturating_sub(1), "no sales-drop flag before the decline starts");
    assert!(flagged <= onset + 6, "flagged within 6 monthly periods of the onset");
    let last = rs.last().unwrap();
    assert!(last.reassessment.new_line < rs[onset].reassessment.new_line, "the line ends below where it was when the decline started");
}

#[test]
fn wash_trader_is_flagged_and_frozen() {
    let engine = Engine::default();
    let mut full = synth(Profile::WashTrading, &SynthOptions { orders: 8_000, seed: 5, ..SynthOptions::default() });
    // the profile also overstates its revenue (a decline on its own): take that away so the
    // line is open before the bursts and we see what the bursts alone do
    full.merchant.declared_monthly_revenue = None;
    let ends = month_ends("2024-10", "2025-06");
    let rs = replay(&engine, &full, &ends);
    show("wash trader", &rs);
    // the bursts fill the last 90 days (from early April 2025)
    let onset = ends.iter().position(|e| *e >= d("2025-04-30")).unwrap();
    let flagged = first_flag(&rs, &["identical_amount_burst"], Action::Review).expect("the bursts are flagged");
    let frozen = rs.iter().position(|r| r.reassessment.state.frozen).expect("the line is frozen");
    println!("wash trader: bursts start in period {}; flagged at period {flagged}; frozen at period {frozen}", onset - 1);
    assert!(flagged < onset + 2, "flagged within two monthly periods");
    assert!(rs[..onset - 1].iter().all(|r| !r.signals.iter().any(|s| s.code == "identical_amount_burst")), "no burst flag before the bursts");
    assert_eq!(rs.last().unwrap().reassessment.available, 0.0);
}

#[test]
fn healthy_seller_lines_rise_slowly() {
    let engine = Engine::default();
    let full = synth(Profile::Healthy, &SynthOptions { orders: 20_000, seed: 3, ..SynthOptions::default() });
    let rs = replay(&engine, &full, &month_ends("2024-01", "2025-06"));
    show("healthy", &rs);
    let cap = 0.2;
    for w in rs.windows(2) {
        let (a, b) = (w[0].reassessment.new_line, w[1].reassessment.new_line);
        assert!(a == 0.0 || b <= a * (1.0 + cap) + 1e-6, "{} -> {} at {}", a, b, w[1].as_of);
        assert!(b <= w[1].decision.credit_line.amount + 1e-6, "never above the fresh line");
    }
}

fn data_dir() -> Option<PathBuf> {
    common::olist_data_dir("Olist replay")
}

#[test]
fn olist_sellers_replayed_month_by_month() {
    let Some(dir) = data_dir() else { return };
    let read = |n: &str| std::fs::read(dir.join("olist/sample").join(n)).unwrap();
    let (orders, items, reviews, sellers, customers) = (
        read("olist_orders_dataset.csv"),
        read("olist_order_items_dataset.csv"),
        read("olist_order_reviews_dataset.csv"),
        read("olist_sellers_dataset.csv"),
        read("olist_customers_dataset.csv"),
    );
    let tables = OlistTables { orders: &orders, items: &items, reviews: Some(&reviews), sellers: Some(&sellers), customers: Some(&customers), deals: None };
    let all = import_olist(tables, &ImportOptions::default(), &mut |_, _| {}).unwrap();
    // the sellers with the most orders
    let mut stores: Vec<&StoreData> = all.stores.iter().collect();
    stores.sort_by(|a, b| b.orders.len().cmp(&a.orders.len()).then_with(|| a.merchant.id.cmp(&b.merchant.id)));
    let engine = Engine::default();
    let (mut periods, mut flagged, mut increases, mut cuts) = (0, 0, 0, 0);
    for full in stores.iter().take(8) {
        let first = full.merchant.opened_on.month();
        let ends: Vec<Date> = (first.0 + 3..=full.as_of.month().0).map(|m| YearMonth(m).last_day().min(full.as_of)).collect();
        // each month re-imported at its own as_of: the importer drops what was not known yet
        let snapshots: Vec<Snapshot> = ends
            .iter()
            .map(|e| {
                let opts = ImportOptions { merchant_id: Some(full.merchant.id.clone()), as_of: Some(*e), opened_on: Some(full.merchant.opened_on), ..ImportOptions::default() };
                let one = import_olist(tables, &opts, &mut |_, _| {}).unwrap();
                Snapshot { store: one.stores.into_iter().next().expect("the seller"), outstanding: None }
            })
            .collect();
        let rs = lifecycle::monitor_series(&engine, &SeriesRequest { snapshots, line: None }).unwrap();
        show(&full.merchant.id, &rs);
        for w in rs.windows(2) {
            let (a, b) = (&w[0].reassessment, &w[1].reassessment);
            assert!(b.new_line <= w[1].decision.credit_line.amount + 1e-6, "never above the fresh line");
            assert!(a.new_line == 0.0 || b.new_line <= a.new_line * 1.2 + 1e-6, "raised by at most 20% a period");
            assert!(b.new_line.is_finite() && b.new_line >= 0.0);
        }
        periods += rs.len();
        flagged += rs.iter().filter(|r| r.action.is_some()).count();
        increases += rs.iter().filter(|r| r.reassessment.change == LineChange::Increase).count();
        cuts += rs.iter().filter(|r| matches!(r.reassessment.change, LineChange::Decrease | LineChange::Freeze)).count();
    }
    println!("olist: {periods} seller-months, {flagged} with a signal, {increases} increases, {cuts} cuts or freezes");
    assert!(periods > 50);
}

#[test]
fn delinquent_loan_walks_the_dpd_buckets_to_write_off() {
    let policy = merchant_credit::Model::default_model().lifecycle.unwrap_or_default();
    let sched = lifecycle::schedule(
        &ScheduleRequest { loan_id: "l-7".into(), method: RepaymentMethod::Installments, principal: 30_000.0, annual_rate: 0.2, installments: Some(6), start: d("2025-01-15"), ..ScheduleRequest::default() },
        &policy.schedule,
    )
    .unwrap();
    // the first two installments are paid on time, then nothing
    let payments: Vec<Payment> = sched.installments[..2].iter().map(|i| Payment { id: None, paid_on: i.due_on, amount: Money(i.amount) }).collect();
    let first_missed = sched.installments[2].due_on;
    let mut seen: Vec<(String, String)> = Vec::new();
    let mut as_of = sched.start;
    let mut write_off_at = None;
    while as_of <= first_missed.add_days(200) {
        let paid: Vec<Payment> = payments.iter().filter(|p| p.paid_on <= as_of).cloned().collect();
        let r = lifecycle::service(&ServicingRequest { as_of, schedule: sched.clone(), payments: paid }, &policy.servicing).unwrap();
        let key = (r.bucket.clone(), r.collection_stage.clone());
        if seen.last() != Some(&key) {
            println!("{as_of}: dpd {:3} bucket {:7} stage {:16} suspended {} write-off {} owed {:.2} overdue {:.2}", r.dpd, r.bucket, r.collection_stage, r.line_suspended, r.write_off_recommended, r.statement.total_outstanding, r.statement.overdue_amount);
            seen.push(key);
        }
        assert_eq!(r.dpd, if as_of > first_missed { as_of.days_since(first_missed) as u32 } else { 0 });
        assert_eq!(r.line_suspended, r.dpd >= policy.servicing.suspend_line_dpd);
        if r.write_off_recommended && write_off_at.is_none() {
            write_off_at = Some(as_of);
        }
        as_of = as_of.add_days(1);
    }
    let buckets: Vec<&str> = seen.iter().map(|(b, _)| b.as_str()).collect::<Vec<_>>();
    let mut order: Vec<&str> = buckets.clone();
    order.dedup();
    assert_eq!(order, ["current", "1-30", "31-60", "61-90", "90+"]);
    let stages: Vec<&str> = { let mut v: Vec<&str> = seen.iter().map(|(_, s)| s.as_str()).collect(); v.dedup(); v };
    assert_eq!(stages, ["none", "reminder", "soft_collection", "hard_collection", "recovery"]);
    assert_eq!(write_off_at, Some(first_missed.add_days(180)));
}
