//! The feature computation itself. See the parent module for the conventions.

use super::{DataQuality, FeatureValue, Features, Severity};
use crate::date::{Date, YearMonth};
use crate::store::{OrderStatus, StoreData};
use crate::sort;
use serde::{Deserialize, Serialize};
use crate::fasthash::{map_with_capacity, FxHashMap};

/// Feature settings carried by the model (`features` section), with sensible defaults.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FeatureSettings {
    /// Days a seller has to ship when an order carries no `ship_by`.
    pub ship_sla_days: u32,
    /// Receivables due more than this many days after `as_of` are not eligible.
    pub receivables_horizon_days: u32,
    /// Counterparties whose receivables are eligible (`platform` settlements by default).
    pub receivables_counterparties: Vec<String>,
    /// Same-day, same-amount orders at least this many count as a burst.
    pub burst_min_orders: u32,
    /// An order above this multiple of the median order value is "large".
    pub large_order_multiple: f64,
}

impl Default for FeatureSettings {
    fn default() -> Self {
        FeatureSettings {
            ship_sla_days: 2,
            receivables_horizon_days: 90,
            receivables_counterparties: vec!["platform".to_string()],
            burst_min_orders: 3,
            large_order_multiple: 10.0,
        }
    }
}

/// Sums over a window.
#[derive(Debug, Clone, Copy, Default)]
struct Agg {
    gmv: f64,
    cancelled: f64,
    refunded: f64,
    orders: f64,
    disputes: f64,
}

impl Agg {
    fn net(&self) -> f64 {
        (self.gmv - self.cancelled - self.refunded).max(0.0)
    }
    fn add(&mut self, o: &Agg) {
        self.gmv += o.gmv;
        self.cancelled += o.cancelled;
        self.refunded += o.refunded;
        self.orders += o.orders;
        self.disputes += o.disputes;
    }
}

// Windows, by index: [0,30) [0,90) [0,180) [0,365) [30,60) [90,180) [365,455) days ago.
const WINDOWS: [(i32, i32); 7] = [(0, 30), (0, 90), (0, 180), (0, 365), (30, 60), (90, 180), (365, 455)];
// The same windows in months ago, for monthly summaries.
const MONTH_WINDOWS: [(i32, i32); 7] = [(0, 1), (0, 3), (0, 6), (0, 12), (1, 2), (3, 6), (12, 15)];
const W30: usize = 0;
const W90: usize = 1;
const W180: usize = 2;
const W365: usize = 3;
const P30: usize = 4;
const P90: usize = 5;
const Y90: usize = 6;

fn ratio(a: f64, b: f64) -> Option<f64> {
    if b > 0.0 {
        Some(a / b)
    } else {
        None
    }
}

fn round6(x: f64) -> f64 {
    // `+ 0.0` turns -0.0 (an empty f64 sum) into 0.0 so JSON never shows `-0.0`
    libm::round(x * 1e6) / 1e6 + 0.0
}

fn dq(out: &mut Vec<DataQuality>, code: &str, severity: Severity, message: String) {
    out.push(DataQuality { code: code.to_string(), severity, message });
}

/// Sums `xs` in a fixed order so the result does not depend on hash-map iteration.
fn stable_sum(xs: &mut [f64]) -> f64 {
    sort::sort_f64(xs);
    xs.iter().sum()
}

/// Computes the feature vector of a validated store.
///
/// ```
/// use merchant_credit::{StoreData, features::{compute, FeatureSettings}};
/// let store = StoreData::from_json(r#"{"as_of": "2025-06-30", "currency": "CNY",
///   "merchant": {"id": "m", "opened_on": "2023-01-01"},
///   "monthly": [{"month": "2025-04", "gmv": 90000, "orders": 700},
///               {"month": "2025-05", "gmv": 100000, "orders": 800, "refunds": 2000},
///               {"month": "2025-06", "gmv": 110000, "orders": 900}]}"#).unwrap();
/// let (f, _notes) = compute(&store, &FeatureSettings::default());
/// assert_eq!(f.num("gmv_90d"), Some(300000.0));
/// assert_eq!(f.num("net_sales_30d"), Some(110000.0));
/// ```
pub fn compute(store: &StoreData, settings: &FeatureSettings) -> (Features, Vec<DataQuality>) {
    let mut f = Features::default();
    let mut notes = Vec::new();
    let as_of = store.as_of;
    // The last complete month at as_of.
    let r_month = if as_of.add_days(1).month() != as_of.month() { as_of.month() } else { YearMonth(as_of.month().0 - 1) };

    f.insert("store_type", FeatureValue::Text(store.merchant.store_type.as_str().to_string()));
    let age_days = as_of.days_since(store.merchant.opened_on);
    f.set("store_age_months", Some(round6(f64::from(age_days) / 30.4375)));

    // ---------- orders: one pass ----------
    let mut win = [Agg::default(); 7];
    // month buckets of net sales, index = r_month - month (only complete months, up to 12 back)
    let mut month_net = [0.0f64; 12];
    let mut first_order_month: Option<YearMonth> = None;
    let mut first_sale_month: Option<YearMonth> = None;
    let mut daily_net = vec![0.0f64; 365];
    let n_orders = store.orders.len();
    let mut buyers365: FxHashMap<&str, (u32, f64)> = map_with_capacity((n_orders / 2).min(1 << 16));
    let mut buyers90: FxHashMap<&str, f64> = map_with_capacity((n_orders / 4).min(1 << 14));
    let mut buyer_gmv_known = 0.0;
    let mut bursts: FxHashMap<(i64, i32, &str), u32> = map_with_capacity((n_orders / 4).min(1 << 14));
    let mut anonymous_bursts: FxHashMap<(i64, i32), u32> = FxHashMap::default();
    let mut amounts365: Vec<f64> = Vec::with_capacity(n_orders);
    // amounts of the orders of the last 90 days, for the large-order share (no second pass)
    let mut amounts90: Vec<f64> = Vec::with_capacity(n_orders);
    let (mut ship_n, mut ship_ok, mut deliv_n, mut deliv_ok) = (0u32, 0u32, 0u32, 0u32);
    let (mut rating_n, mut rating_sum, mut rating_low) = (0u32, 0.0f64, 0u32);
    let (mut pe_gmv, mut pe_rev, mut all_gmv365, mut all_rev365) = (0.0, 0.0, 0.0, 0.0);
    let mut orders_with_buyer = 0usize;
    let sla = i64::from(settings.ship_sla_days) * 86_400;
    for o in &store.orders {
        let day = o.placed_at.date();
        let ago = as_of.days_since(day);
        let m = day.month();
        first_order_month = Some(first_order_month.map_or(m, |x| x.min(m)));
        let amount = o.amount.0;
        let cancelled = if o.status == OrderStatus::Cancelled { amount } else { 0.0 };
        let refunded = if o.status == OrderStatus::Cancelled {
            0.0
        } else {
            match (o.status, o.refund_amount) {
                (_, Some(r)) if r.0 > 0.0 => r.0,
                (OrderStatus::Refunded, _) => amount,
                _ => 0.0,
            }
        };
        let net = (amount - cancelled - refunded).max(0.0);
        if net > 0.0 {
            first_sale_month = Some(first_sale_month.map_or(m, |x| x.min(m)));
        }
        let a = Agg {
            gmv: amount,
            cancelled,
            refunded,
            orders: 1.0,
            disputes: if o.status == OrderStatus::Disputed { 1.0 } else { 0.0 },
        };
        for (w, (lo, hi)) in win.iter_mut().zip(WINDOWS) {
            if ago >= lo && ago < hi {
                w.add(&a);
            }
        }
        let mago = r_month.0 - m.0;
        if let Some(b) = usize::try_from(mago).ok().and_then(|i| month_net.get_mut(i)) {
            *b += net;
        }
        if ago >= 365 {
            continue;
        }
        if let Some(d) = usize::try_from(ago).ok().and_then(|i| daily_net.get_mut(i)) {
            *d += net;
        }
        amounts365.push(amount);
        // reversals of orders placed in a month's last three days
        let rev = cancelled + refunded;
        all_gmv365 += amount;
        all_rev365 += rev;
        if day.add_days(3).month() != m {
            pe_gmv += amount;
            pe_rev += rev;
        }
        if let Some(b) = o.buyer_id.as_deref() {
            orders_with_buyer += 1;
            buyer_gmv_known += amount;
            let e = buyers365.entry(b).or_insert((0, 0.0));
            e.0 += 1;
            e.1 += amount;
            if ago < 90 {
                *buyers90.entry(b).or_insert(0.0) += amount;
            }
        }
        if ago < 180 {
            if let Some(r) = o.rating {
                rating_n += 1;
                rating_sum += f64::from(r);
                if r <= 2 {
                    rating_low += 1;
                }
            }
        }
        if ago >= 90 {
            continue;
        }
        if ago >= 0 {
            amounts90.push(amount);
        }
        let cents = libm::round(amount * 100.0) as i64;
        match o.buyer_id.as_deref() {
            Some(b) => *bursts.entry((cents, day.0, b)).or_insert(0) += 1,
            None => *anonymous_bursts.entry((cents, day.0)).or_insert(0) += 1,
        }
        if o.status != OrderStatus::Cancelled {
            let deadline = o.ship_by.map_or(o.placed_at.0 + sla, |t| t.0);
            match o.shipped_at {
                Some(s) => {
                    ship_n += 1;
                    ship_ok += u32::from(s.0 <= deadline);
                }
                None if o.status == OrderStatus::Pending && deadline < as_of.start().0 => ship_n += 1,
                None => {}
            }
            if let Some(p) = o.promised_by {
                let promised = p.date();
                match o.delivered_at {
                    Some(d) => {
                        deliv_n += 1;
                        deliv_ok += u32::from(d.date() <= promised);
                    }
                    None if promised < as_of && matches!(o.status, OrderStatus::Pending | OrderStatus::Shipped) => deliv_n += 1,
                    None => {}
                }
            }
        }
    }

    // ---------- monthly summaries ----------
    let orders_present = !store.orders.is_empty();
    let last_summary = store.monthly.iter().map(|m| m.month).max();
    // Anchor: the month windows end at. Orders anchor at as_of's last complete month; summaries
    // alone anchor at their last month when it is at most one month stale.
    let anchor = match (orders_present, last_summary) {
        (false, Some(l)) if l.0 >= r_month.0 - 1 => {
            if l.0 == r_month.0 - 1 {
                dq(&mut notes, "DQ02", Severity::Info, format!("monthly summaries end at {l}; windows are anchored at that month"));
            }
            l.min(r_month)
        }
        (false, Some(l)) => {
            dq(
                &mut notes,
                "DQ02",
                Severity::Warning,
                format!("no monthly summary after {l}; the months up to {r_month} are counted as months without sales"),
            );
            r_month
        }
        _ => r_month,
    };
    let mut dropped_overlap = 0;
    let mut partial = 0;
    let (mut m_rating_w, mut m_rating_sum) = (0.0, 0.0);
    let mut buyers_monthly: Option<f64> = None;
    for s in &store.monthly {
        if let Some(fom) = first_order_month {
            if s.month >= fom {
                dropped_overlap += 1;
                continue;
            }
        }
        if s.month > anchor {
            partial += 1;
            continue;
        }
        let mago = anchor.0 - s.month.0;
        let a = Agg {
            gmv: s.gmv.0,
            cancelled: s.cancellations.map_or(0.0, |x| x.0),
            refunded: s.refunds.map_or(0.0, |x| x.0),
            orders: f64::from(s.orders),
            disputes: f64::from(s.disputes.unwrap_or(0)),
        };
        let net = a.net();
        if net > 0.0 {
            first_sale_month = Some(first_sale_month.map_or(s.month, |x| x.min(s.month)));
        }
        for (w, (lo, hi)) in win.iter_mut().zip(MONTH_WINDOWS) {
            if mago >= lo && mago < hi {
                w.add(&a);
            }
        }
        if let Some(b) = usize::try_from(mago).ok().and_then(|i| month_net.get_mut(i)) {
            *b += net;
            if let Some(r) = s.rating {
                m_rating_w += f64::from(s.orders);
                m_rating_sum += r.0 * f64::from(s.orders);
            }
        }
        if mago < 3 {
            if let Some(b) = s.buyers {
                *buyers_monthly.get_or_insert(0.0) += f64::from(b);
            }
        }
    }
    if dropped_overlap > 0 {
        dq(
            &mut notes,
            "DQ01",
            Severity::Info,
            format!("{dropped_overlap} monthly summaries overlap the months covered by orders; the orders were used"),
        );
    }
    if partial > 0 {
        dq(&mut notes, "DQ03", Severity::Info, format!("{partial} monthly summary for an incomplete month after {anchor} was left out"));
    }
    f.insert(
        "data_source",
        FeatureValue::Text(
            match (orders_present, store.monthly.len() > dropped_overlap) {
                (true, true) => "orders_and_monthly",
                (true, false) => "orders",
                _ => "monthly",
            }
            .to_string(),
        ),
    );

    // ---------- sales windows, growth, volatility ----------
    let history_months = first_sale_month.map(|m| f64::from(as_of.month().0 - m.0 + 1));
    f.set("history_months", history_months.or(Some(0.0)));
    let months_avail = first_sale_month.map_or(0, |m| (anchor.0 - m.0 + 1).clamp(0, 12));
    let mut active = 0;
    for &v in month_net.iter() {
        if v > 0.0 {
            active += 1;
        }
    }
    f.set("months_with_sales_12m", Some(f64::from(active)));
    for (name, w) in [("30d", win[W30]), ("90d", win[W90]), ("180d", win[W180]), ("365d", win[W365])] {
        f.set(&format!("gmv_{name}"), Some(round6(w.gmv)));
        f.set(&format!("net_sales_{name}"), Some(round6(w.net())));
    }
    f.set("orders_30d", Some(win[W30].orders));
    f.set("orders_90d", Some(win[W90].orders));
    f.set("avg_monthly_net_sales_3m", Some(round6(win[W90].net() / 3.0)));
    let months12 = f64::from(months_avail.max(1));
    f.set("avg_monthly_net_sales_12m", Some(round6(win[W365].net() / months12)));
    let covered = |months_back: i32| first_sale_month.is_some_and(|m| anchor.0 - m.0 >= months_back);
    f.set("growth_mom", if covered(1) { ratio(win[W30].net(), win[P30].net()).map(|x| round6(x - 1.0)) } else { None });
    f.set("growth_qoq", if covered(5) { ratio(win[W90].net(), win[P90].net()).map(|x| round6(x - 1.0)) } else { None });
    f.set("growth_yoy", if covered(14) { ratio(win[W90].net(), win[Y90].net()).map(|x| round6(x - 1.0)) } else { None });
    let vol = if months_avail >= 3 {
        let xs = month_net.get(..months_avail as usize).unwrap_or(&month_net);
        let n = xs.len() as f64;
        let mean = xs.iter().sum::<f64>() / n;
        let var = xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / n;
        ratio(libm::sqrt(var), mean).map(round6)
    } else {
        None
    };
    f.set("sales_volatility_cv", vol);
    let w90 = win[W90];
    f.set("refund_rate_90d", ratio(w90.refunded, w90.gmv).map(round6));
    f.set("cancel_rate_90d", ratio(w90.cancelled, w90.gmv).map(round6));
    let dispute_known = orders_present || store.monthly.iter().any(|m| m.disputes.is_some());
    f.set("dispute_rate_90d", if dispute_known { ratio(w90.disputes, w90.orders).map(round6) } else { None });
    f.set("aov_90d", ratio(w90.gmv, w90.orders).map(round6));

    // ---------- buyers ----------
    if !buyers365.is_empty() {
        let n = buyers365.len() as f64;
        let repeat = buyers365.values().filter(|(c, _)| *c >= 2).count() as f64;
        let mut shares: Vec<f64> = buyers365.values().map(|(_, g)| g / buyer_gmv_known.max(f64::MIN_POSITIVE)).collect();
        let top = shares.iter().cloned().fold(0.0, f64::max);
        let mut sq: Vec<f64> = shares.iter().map(|s| s * s).collect();
        shares.clear();
        f.set("buyers_365d", Some(n));
        f.set("repeat_buyer_share", Some(round6(repeat / n)));
        f.set("top_buyer_share", Some(round6(top)));
        f.set("buyer_hhi", Some(round6(stable_sum(&mut sq))));
        let g90: f64 = {
            let mut v: Vec<f64> = buyers90.values().cloned().collect();
            stable_sum(&mut v)
        };
        let top90 = buyers90.values().cloned().fold(0.0, f64::max);
        f.set("top_buyer_share_90d", ratio(top90, g90).map(round6));
        if orders_with_buyer * 10 < amounts365.len() * 9 {
            dq(&mut notes, "DQ05", Severity::Info, format!("{} of {} orders in the last year carry no buyer id; buyer concentration is measured on the rest", amounts365.len() - orders_with_buyer, amounts365.len()));
        }
    } else {
        f.set("buyers_365d", buyers_monthly);
        for n in ["repeat_buyer_share", "top_buyer_share", "top_buyer_share_90d", "buyer_hhi"] {
            f.set(n, None);
        }
        if orders_present {
            dq(&mut notes, "DQ05", Severity::Warning, "no order carries a buyer id: buyer concentration cannot be checked".to_string());
        }
    }

    // ---------- service quality ----------
    f.set("on_time_ship_rate_90d", ratio(f64::from(ship_ok), f64::from(ship_n)).map(round6));
    f.set("on_time_delivery_rate_90d", ratio(f64::from(deliv_ok), f64::from(deliv_n)).map(round6));
    if rating_n > 0 {
        f.set("avg_rating_180d", Some(round6(rating_sum / f64::from(rating_n))));
        f.set("low_rating_share_180d", Some(round6(f64::from(rating_low) / f64::from(rating_n))));
    } else {
        f.set("avg_rating_180d", ratio(m_rating_sum, m_rating_w).map(round6));
        f.set("low_rating_share_180d", None);
    }
    f.set("ratings_180d", Some(f64::from(rating_n)));

    // ---------- credibility signals ----------
    if orders_present {
        // The same buyer paying the identical amount again the same day is rare in honest trade;
        // without buyer ids, fall back to same-day groups of `burst_min_orders` identical amounts.
        let min = settings.burst_min_orders.max(2);
        let in_bursts: u32 = bursts.values().filter(|&&c| c >= 2).sum::<u32>()
            + anonymous_bursts.values().filter(|&&c| c >= min).sum::<u32>();
        f.set("identical_amount_share_90d", ratio(f64::from(in_bursts), w90.orders).map(round6));
        let median = if amounts365.is_empty() {
            None
        } else {
            let mid = amounts365.len() / 2;
            let (_, m, _) = amounts365.select_nth_unstable_by(mid, |a, b| a.total_cmp(b));
            Some(*m)
        };
        let large = median.map(|md| {
            let cut = md * settings.large_order_multiple;
            let mut big = 0.0;
            let mut total = 0.0;
            for &a in &amounts90 {
                total += a;
                if a > cut {
                    big += a;
                }
            }
            ratio(big, total)
        });
        f.set("large_order_share_90d", large.flatten().map(round6));
        // spike: best of the last 13 weeks against the average week of the 39 before
        let history_days = first_order_month.map_or(0, |m| as_of.days_since(m.first_day()));
        let spike = if history_days >= 180 {
            let week = |w: usize| daily_net.get(w * 7..w * 7 + 7).map_or(0.0, |d| d.iter().sum::<f64>());
            let best = (0..13).map(week).fold(0.0, f64::max);
            let base_days = (history_days.min(364) - 91).max(1) as usize;
            let base = daily_net.get(91..91 + base_days.min(273)).map_or(0.0, |d| d.iter().sum::<f64>()) / (base_days.min(273) as f64 / 7.0);
            ratio(best, base).map(round6)
        } else {
            None
        };
        f.set("sales_spike_ratio", spike);
        let overall = ratio(all_rev365, all_gmv365);
        let pe = if pe_gmv >= all_gmv365 * 0.02 && overall.is_some_and(|x| x > 0.0) { ratio(pe_rev, pe_gmv) } else { None };
        f.set("period_end_reversal_ratio", match (pe, overall) {
            (Some(p), Some(o)) => Some(round6(p / o)),
            _ => None,
        });
    } else {
        for n in ["identical_amount_share_90d", "large_order_share_90d", "sales_spike_ratio", "period_end_reversal_ratio"] {
            f.set(n, None);
        }
    }
    let observed = w90.gmv / 3.0;
    f.set(
        "declared_to_observed_ratio",
        store.merchant.declared_monthly_revenue.and_then(|d| if observed > 0.0 { Some(round6(d.0 / observed)) } else if d.0 > 0.0 { Some(1e6) } else { None }),
    );

    // ---------- receivables and debt ----------
    let horizon = as_of.add_days(settings.receivables_horizon_days as i32);
    let mut by_cp: Vec<(&str, f64)> = Vec::new();
    let mut pending = 0.0;
    let mut r_total = 0.0;
    for r in &store.receivables {
        if r.due_on < as_of {
            continue;
        }
        r_total += r.amount.0;
        if r.due_on <= horizon && settings.receivables_counterparties.iter().any(|c| c == &r.counterparty) {
            pending += r.amount.0;
        }
        match by_cp.iter_mut().find(|(c, _)| *c == r.counterparty) {
            Some(e) => e.1 += r.amount.0,
            None => by_cp.push((r.counterparty.as_str(), r.amount.0)),
        }
    }
    f.set("receivables_pending", Some(round6(pending)));
    let avg3 = w90.net() / 3.0;
    f.set("receivables_to_sales", ratio(pending, avg3).map(round6));
    f.set("receivables_top_share", ratio(by_cp.iter().map(|x| x.1).fold(0.0, f64::max), r_total).map(round6));
    let debt: f64 = store.liabilities.iter().map(|l| l.outstanding.0).sum();
    let service: f64 = store.liabilities.iter().map(|l| l.monthly_payment.0).sum();
    f.set("debt_outstanding", Some(round6(debt)));
    f.set(
        "debt_service_ratio",
        if service == 0.0 { Some(0.0) } else if avg3 > 0.0 { Some(round6(service / avg3)) } else { Some(99.0) },
    );
    f.set("max_dpd_elsewhere", Some(f64::from(store.liabilities.iter().filter_map(|l| l.days_past_due).max().unwrap_or(0))));

    // ---------- own repayment history ----------
    let due: Vec<_> = store.repayments.iter().filter(|r| r.due_on <= as_of).collect();
    if due.is_empty() {
        for n in ["repay_max_dpd", "repay_on_time_share"] {
            f.set(n, None);
        }
        f.set("repay_count", Some(0.0));
        f.set("repay_overdue_amount", Some(0.0));
    } else {
        let mut max_dpd = 0i32;
        let mut on_time = 0u32;
        let mut overdue = 0.0;
        for r in &due {
            let paid = r.amount_paid.map_or(0.0, |x| x.0);
            let full = paid + 0.005 >= r.amount_due.0;
            let dpd = match (r.paid_on, full) {
                (Some(p), true) => p.days_since(r.due_on).max(0),
                _ => {
                    overdue += (r.amount_due.0 - paid).max(0.0);
                    as_of.days_since(r.due_on).max(0)
                }
            };
            max_dpd = max_dpd.max(dpd);
            if full && dpd == 0 {
                on_time += 1;
            }
        }
        f.set("repay_count", Some(due.len() as f64));
        f.set("repay_max_dpd", Some(f64::from(max_dpd)));
        f.set("repay_on_time_share", Some(round6(f64::from(on_time) / due.len() as f64)));
        f.set("repay_overdue_amount", Some(round6(overdue)));
    }

    // ---------- owner (C side) ----------
    let owner = store.owner.clone().unwrap_or_default();
    f.set("owner_years_in_business", owner.years_in_business.map(|x| x.0));
    f.set("owner_bureau_score", owner.bureau_score.map(|x| x.0));
    f.set("owner_personal_debt", owner.personal_debt.map(|x| x.0));
    f.set("identity_verified", owner.identity_verified.map(|b| if b { 1.0 } else { 0.0 }));

    if history_months.unwrap_or(0.0) < 3.0 {
        dq(&mut notes, "DQ04", Severity::Warning, "less than three months of sales history: growth and volatility cannot be measured".to_string());
    }
    if orders_present && rating_n == 0 {
        dq(&mut notes, "DQ06", Severity::Info, "no order in the last 180 days carries a rating".to_string());
    }
    if orders_present && ship_n == 0 && w90.orders > 0.0 {
        dq(&mut notes, "DQ07", Severity::Info, "no shipping dates in the last 90 days: on-time shipping is unknown".to_string());
    }
    (f, notes)
}

/// Used by tests and the monitor: the last complete month at a date.
#[allow(dead_code)]
pub(crate) fn last_complete_month(d: Date) -> YearMonth {
    if d.add_days(1).month() != d.month() {
        d.month()
    } else {
        YearMonth(d.month().0 - 1)
    }
}
