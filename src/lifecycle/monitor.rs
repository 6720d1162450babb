//! In-loan monitoring: a store and the previous decision (or a series of snapshots) to
//! early-warning signals and a reassessed line.
//!
//! The fresh decision comes from [`Engine::evaluate_unsigned`], so the monitor reads the same
//! features the scorecard does (`sales_spike_ratio`, `identical_amount_share_90d`, ...). On top
//! of them it builds one small thing the feature vector does not hold: net sales, refunds,
//! disputes and ratings per calendar month for the last 16 complete months, which gives the
//! seasonality-aware baseline (the same months last year when the history reaches back that far)
//! and the month-on-trailing-months spikes. The comparison with the previous decision (grade,
//! receivables, debt elsewhere, buyer concentration) uses that decision's feature vector.
//!
//! Every signal has a stable code, a severity, a recommended action and its numbers; the codes
//! are catalogued in `docs/lifecycle.md`.

use super::reassess::{reassess, LineState, Reassessment};
use super::{Action, LifecyclePolicy, Levels, Signal};
use crate::date::{Date, YearMonth};
use crate::decision::{Decision, Engine, Outcome};
use crate::error::{Error, ErrorKind, Result};
use crate::features::Features;
use crate::sort;
use crate::store::{Money, OrderStatus, StoreData};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The schema tag of monitoring reports.
pub const MONITOR_SCHEMA: &str = "merchant-credit/monitor@1";

/// Most snapshots in one series.
pub const MAX_SNAPSHOTS: usize = 240;

/// Months of history the monitor's own monthly view keeps (index 0 = last complete month).
const MONTHS: usize = 16;

/// Monitoring one store.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MonitorRequest {
    /// The store as it is now.
    pub store: StoreData,
    /// The decision the current line rests on (for comparisons: grade, receivables, debt...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous: Option<Decision>,
    /// The line as it stands (default: the previous decision's line, or the fresh one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<LineState>,
    /// The balance drawn on the line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outstanding: Option<Money>,
}

/// One snapshot of a series.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Snapshot {
    /// The store at this snapshot's `as_of`.
    pub store: StoreData,
    /// The balance drawn at that date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outstanding: Option<Money>,
}

/// A series of snapshots of one store at successive `as_of` dates.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeriesRequest {
    /// The snapshots, oldest first.
    pub snapshots: Vec<Snapshot>,
    /// The line before the first snapshot (default: the first snapshot's own decision opens it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<LineState>,
}

/// The monitoring result for one store on one date (`merchant-credit/monitor@1`).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MonitorReport {
    /// Always `merchant-credit/monitor@1`.
    #[serde(rename = "$schema")]
    pub schema: String,
    /// The seller.
    pub merchant_id: String,
    /// The monitoring date.
    pub as_of: Date,
    /// The strongest action any signal recommends (absent: none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<Action>,
    /// The signals, strongest first (then by code).
    pub signals: Vec<Signal>,
    /// Outstanding / line before reassessment, when both are known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utilization: Option<f64>,
    /// The line, reassessed.
    pub reassessment: Reassessment,
    /// The fresh decision (unsigned): pass it as `previous` next time.
    pub decision: Decision,
}

impl MonitorReport {
    /// Compact JSON.
    pub fn to_json(&self) -> String {
        crate::receipt::to_json(self).unwrap_or_default()
    }
}

#[derive(Debug, Clone, Copy, Default)]
struct Month {
    gmv: f64,
    net: f64,
    refunded: f64,
    orders: f64,
    disputes: f64,
    rating_sum: f64,
    rating_n: f64,
}

/// Net sales, refunds, disputes and ratings per complete month, index 0 = `last`, and the first
/// month with any data. Summaries count only for months before the first order (as in features).
fn months(store: &StoreData, last: YearMonth) -> ([Month; MONTHS], Option<YearMonth>) {
    let mut m = [Month::default(); MONTHS];
    let mut first_order: Option<YearMonth> = None;
    for o in &store.orders {
        let mo = o.placed_at.date().month();
        first_order = Some(first_order.map_or(mo, |f| f.min(mo)));
        let ago = last.0 - mo.0;
        let Some(b) = usize::try_from(ago).ok().and_then(|i| m.get_mut(i)) else { continue };
        let amount = o.amount.0;
        let (cancelled, refunded) = match o.status {
            OrderStatus::Cancelled => (amount, 0.0),
            OrderStatus::Refunded => (0.0, o.refund_amount.map_or(amount, |r| r.0)),
            _ => (0.0, o.refund_amount.map_or(0.0, |r| r.0)),
        };
        b.gmv += amount;
        b.net += (amount - cancelled - refunded).max(0.0);
        b.refunded += refunded;
        b.orders += 1.0;
        if o.status == OrderStatus::Disputed {
            b.disputes += 1.0;
        }
        if let Some(r) = o.rating {
            b.rating_sum += f64::from(r);
            b.rating_n += 1.0;
        }
    }
    let mut first = first_order;
    for s in &store.monthly {
        if first_order.is_some_and(|f| s.month >= f) {
            continue;
        }
        first = Some(first.map_or(s.month, |f| f.min(s.month)));
        let ago = last.0 - s.month.0;
        let Some(b) = usize::try_from(ago).ok().and_then(|i| m.get_mut(i)) else { continue };
        let refunded = s.refunds.map_or(0.0, |x| x.0);
        b.gmv += s.gmv.0;
        b.net += (s.gmv.0 - refunded - s.cancellations.map_or(0.0, |x| x.0)).max(0.0);
        b.refunded += refunded;
        b.orders += f64::from(s.orders);
        b.disputes += f64::from(s.disputes.unwrap_or(0));
        if let Some(r) = s.rating {
            b.rating_sum += r.0 * f64::from(s.orders);
            b.rating_n += f64::from(s.orders);
        }
    }
    (m, first)
}

/// The last complete month at a date (the date's own month when it is the month's last day).
fn last_complete_month(d: Date) -> YearMonth {
    if d.add_days(1).month() != d.month() {
        d.month()
    } else {
        YearMonth(d.month().0 - 1)
    }
}

fn r4(x: f64) -> f64 {
    libm::round(x * 1e4) / 1e4
}

/// The evidence of a signal: finite values, rounded, by name (the last of a repeated name). Not
/// generic and built by inserts: a `collect` into the map in `Sig::check`, which is instantiated
/// per message closure, was one std sort per instance in the wasm module.
fn evidence_map(evidence: &[(&str, f64)]) -> BTreeMap<String, f64> {
    let mut ev = BTreeMap::new();
    for (k, v) in evidence.iter().filter(|(_, v)| v.is_finite()) {
        ev.insert(k.to_string(), r4(*v));
    }
    ev
}

struct Sig<'a> {
    out: Vec<Signal>,
    _p: std::marker::PhantomData<&'a ()>,
}

impl Sig<'_> {
    /// Raises `code` when `measure` reaches one of `levels`.
    fn check(&mut self, code: &str, levels: &Levels, measure: f64, evidence: &[(&str, f64)], message: impl FnOnce(Action) -> String) {
        if let Some((action, threshold)) = levels.action(measure) {
            let mut ev = evidence_map(evidence);
            ev.insert("measure".to_string(), r4(measure));
            ev.insert("threshold".to_string(), threshold);
            self.out.push(Signal { code: code.to_string(), severity: action.severity(), action, message: message(action), evidence: ev });
        }
    }
    fn push(&mut self, code: &str, action: Action, message: String, evidence: &[(&str, f64)]) {
        let ev = evidence_map(evidence);
        self.out.push(Signal { code: code.to_string(), severity: action.severity(), action, message, evidence: ev });
    }
}

fn pct(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

fn num(f: &Features, name: &str) -> Option<f64> {
    f.num(name)
}

/// The early-warning signals for a validated store, its fresh decision, the previous decision
/// (optional), the current line and the outstanding balance.
pub fn signals(store: &StoreData, fresh: &Decision, previous: Option<&Decision>, line: f64, outstanding: f64, policy: &LifecyclePolicy, grades: &[String]) -> Vec<Signal> {
    let p = &policy.monitoring;
    let mut s = Sig { out: Vec::new(), _p: std::marker::PhantomData };
    let f = &fresh.features;
    let last = last_complete_month(store.as_of);
    let (m, first) = months(store, last);
    let covered = |k: i32| first.is_some_and(|fm| fm.0 <= last.0 - k);
    let net = |a: usize, b: usize| -> f64 { m.get(a..=b).map_or(0.0, |xs| xs.iter().map(|x| x.net).sum()) };

    // -------- sales against the seasonality-aware baseline --------
    let now3 = net(0, 2);
    let (base3, yoy) = if covered(14) { (net(12, 14), true) } else if covered(5) { (net(3, 5), false) } else { (0.0, false) };
    if base3 > 0.0 && base3 / 3.0 >= p.min_baseline_sales {
        let drop = 1.0 - now3 / base3;
        let against = if yoy { "the same 3 months last year" } else { "the 3 months before" };
        s.check("sales_drop", &p.sales_drop, drop, &[("last_3_months", now3), ("baseline", base3), ("same_period_last_year", f64::from(u8::from(yoy)))], |_| {
            format!("Net sales of the last 3 complete months ({now3:.2}) are {} below {against} ({base3:.2}).", pct(drop))
        });
    }
    if covered(3) {
        let trailing = net(1, 3) / 3.0;
        let mut index = 1.0;
        if covered(15) {
            let ly = net(13, 15) / 3.0;
            if ly > 0.0 && m[12].net > 0.0 {
                index = (m[12].net / ly).clamp(0.5, 2.0);
            }
        }
        let base = trailing * index;
        if base > 0.0 && trailing >= p.min_baseline_sales {
            let drop = 1.0 - m[0].net / base;
            s.check("sales_drop_month", &p.sales_drop_month, drop, &[("last_month", m[0].net), ("baseline", base), ("seasonal_index", index)], |_| {
                format!("Net sales in {last} ({:.2}) are {} below the seasonal baseline ({base:.2}).", m[0].net, pct(drop))
            });
        }
    }

    // -------- refunds, disputes, ratings: last month against the 6 before --------
    let sum = |a: usize, b: usize, g: fn(&Month) -> f64| -> f64 { m.get(a..=b).map_or(0.0, |xs| xs.iter().map(g).sum()) };
    let (gmv6, ref6) = (sum(1, 6, |x| x.gmv), sum(1, 6, |x| x.refunded));
    if m[0].gmv > 0.0 && gmv6 > 0.0 {
        let last_rate = m[0].refunded / m[0].gmv;
        let trail = ref6 / gmv6;
        if last_rate >= p.refund_rate_floor {
            let ratio = last_rate / trail.max(p.refund_rate_floor / 2.0).max(1e-9);
            s.check("refund_spike", &p.refund_spike, ratio, &[("last_month_rate", last_rate), ("trailing_6m_rate", trail)], |_| {
                format!("Refunds took {} of sales in {last}, against {} over the 6 months before.", pct(last_rate), pct(trail))
            });
        }
    }
    let (ord6, dis6) = (sum(1, 6, |x| x.orders), sum(1, 6, |x| x.disputes));
    if m[0].orders > 0.0 && ord6 > 0.0 {
        let last_rate = m[0].disputes / m[0].orders;
        let trail = dis6 / ord6;
        if last_rate >= p.dispute_rate_floor {
            let ratio = last_rate / trail.max(p.dispute_rate_floor / 2.0).max(1e-9);
            s.check("dispute_spike", &p.dispute_spike, ratio, &[("last_month_rate", last_rate), ("trailing_6m_rate", trail)], |_| {
                format!("Buyers disputed {:.1}% of orders in {last}, against {:.1}% over the 6 months before.", last_rate * 100.0, trail * 100.0)
            });
        }
    }
    let (rn_now, rs_now) = (sum(0, 1, |x| x.rating_n), sum(0, 1, |x| x.rating_sum));
    let (rn_before, rs_before) = (sum(2, 7, |x| x.rating_n), sum(2, 7, |x| x.rating_sum));
    let min_r = f64::from(p.min_ratings.max(1));
    if rn_now >= min_r && rn_before >= min_r {
        let (now, before) = (rs_now / rn_now, rs_before / rn_before);
        s.check("rating_drop", &p.rating_drop, before - now, &[("last_2_months", now), ("previous_6_months", before), ("ratings", rn_now)], |_| {
            format!("Buyer ratings fell to {now:.2} stars over the last 2 months, from {before:.2} the 6 months before.")
        });
    }

    // -------- order anomalies (features) --------
    let busy = num(f, "orders_90d").is_some_and(|n| n >= f64::from(p.min_orders_90d));
    if let Some(x) = num(f, "sales_spike_ratio").filter(|_| busy) {
        s.check("sales_spike", &p.sales_spike, x, &[], |_| format!("The best of the last 13 weeks sold {x:.1} times the store's usual week."));
    }
    if let (Some(x), Some(n)) = (num(f, "identical_amount_share_90d"), num(f, "orders_90d")) {
        if n >= 20.0 {
            s.check("identical_amount_burst", &p.identical_amount_share, x, &[("orders_90d", n)], |_| {
                format!("{} of the last 90 days' orders came in same-day bursts of identical amounts (a wash-trading pattern).", pct(x))
            });
        }
    }
    if let Some(x) = num(f, "large_order_share_90d").filter(|_| busy) {
        s.check("large_orders", &p.large_order_share, x, &[], |_| format!("Orders far above the usual value made {} of the last 90 days' sales.", pct(x)));
    }
    if let (Some(now), Some(n)) = (num(f, "top_buyer_share_90d"), num(f, "orders_90d")) {
        let before = previous.and_then(|d| num(&d.features, "top_buyer_share_90d")).or_else(|| num(f, "top_buyer_share"));
        if let Some(before) = before {
            if now >= 0.2 && busy && n > 0.0 {
                s.check("buyer_concentration", &p.buyer_concentration_rise, now - before, &[("top_buyer_share_90d", now), ("earlier", before)], |_| {
                    format!("The largest buyer's share of sales rose to {} from {}.", pct(now), pct(before))
                });
            }
        }
    }

    // -------- receivables, repayments, debt --------
    if let (Some(prev), Some(now)) = (previous.and_then(|d| num(&d.features, "receivables_pending")), num(f, "receivables_pending")) {
        if prev > 0.0 {
            let drop = 1.0 - now / prev;
            s.check("receivables_drop", &p.receivables_drop, drop, &[("pending", now), ("previous", prev)], |_| {
                format!("Pending receivables fell {} to {now:.2} since the previous decision ({prev:.2}).", pct(drop))
            });
        }
    }
    let mut open_dpd = 0i32;
    for r in &store.repayments {
        let unpaid = r.amount_due.0 - r.amount_paid.map_or(0.0, |x| x.0);
        if r.due_on < store.as_of && unpaid > 0.005 {
            open_dpd = open_dpd.max(store.as_of.days_since(r.due_on));
        }
    }
    if open_dpd > 0 {
        let owed = num(f, "repay_overdue_amount").unwrap_or(0.0);
        s.check("overdue_here", &p.overdue_dpd, f64::from(open_dpd), &[("dpd", f64::from(open_dpd)), ("overdue_amount", owed)], |_| {
            format!("An installment with us is {open_dpd} days past due ({owed:.2} overdue).")
        });
    }
    if let Some(x) = num(f, "max_dpd_elsewhere") {
        if x > 0.0 {
            s.check("overdue_elsewhere", &p.dpd_elsewhere, x, &[("dpd", x)], |_| format!("Debt owed elsewhere is {x:.0} days past due."));
        }
    }
    if let (Some(prev), Some(now)) = (previous.and_then(|d| num(&d.features, "debt_outstanding")), num(f, "debt_outstanding")) {
        if now > prev {
            let sales = num(f, "avg_monthly_net_sales_3m").unwrap_or(0.0).max(1.0);
            let months_of_sales = (now - prev) / sales;
            s.check("new_debt", &p.new_debt, months_of_sales, &[("debt_outstanding", now), ("previous", prev)], |_| {
                format!("Debt owed elsewhere rose by {:.2} ({months_of_sales:.1} months of net sales) since the previous decision.", now - prev)
            });
        }
    }
    if line > 0.0 {
        let u = outstanding / line;
        s.check("utilization", &p.utilization, u, &[("outstanding", outstanding), ("line", line)], |_| format!("{} of the line is drawn.", pct(u)));
    }

    // -------- the fresh decision against the previous one --------
    if let Some(prev) = previous {
        let idx = |g: &str| grades.iter().position(|x| x == g);
        if let (Some(a), Some(b)) = (idx(&prev.grade), idx(&fresh.grade)) {
            if b > a {
                let notches = (b - a) as f64;
                s.check("grade_drop", &p.grade_drop, notches, &[("score", f64::from(fresh.score)), ("previous_score", f64::from(prev.score)), ("pd", fresh.pd)], |_| {
                    format!("The grade fell from {} to {} (score {} from {}).", prev.grade, fresh.grade, fresh.score, prev.score)
                });
            }
        }
    }
    match fresh.decision {
        Outcome::Decline => {
            let rules: Vec<&str> = fresh.policy.iter().map(|h| h.rule.as_str()).collect();
            let why = if rules.is_empty() { format!("PD {:.1}% is above the decline threshold", fresh.pd * 100.0) } else { format!("rules {}", rules.join(", ")) };
            s.push("decision_decline", Action::Freeze, format!("The fresh decision is decline ({why})."), &[("score", f64::from(fresh.score)), ("pd", fresh.pd)]);
        }
        Outcome::Refer if previous.is_none_or_approve() => {
            let rules: Vec<&str> = fresh.policy.iter().map(|h| h.rule.as_str()).collect();
            s.push("decision_refer", Action::Review, format!("The fresh decision is refer ({}).", if rules.is_empty() { "PD above the approve threshold".to_string() } else { rules.join(", ") }), &[("score", f64::from(fresh.score)), ("pd", fresh.pd)]);
        }
        _ => {}
    }
    let mut out = s.out;
    sort::sort_by(&mut out, |a, b| b.action.cmp(&a.action).then_with(|| a.code.cmp(&b.code)));
    out
}

trait PrevExt {
    fn is_none_or_approve(&self) -> bool;
}

impl PrevExt for Option<&Decision> {
    fn is_none_or_approve(&self) -> bool {
        self.is_none_or(|d| d.decision == Outcome::Approve)
    }
}

fn policy_of(engine: &Engine) -> std::borrow::Cow<'_, LifecyclePolicy> {
    match &engine.model().lifecycle {
        Some(p) => std::borrow::Cow::Borrowed(p),
        None => std::borrow::Cow::Owned(LifecyclePolicy::default()),
    }
}

fn rounding(engine: &Engine, currency: &str) -> f64 {
    engine.model().limit.as_ref().and_then(|l| l.bounds.get(currency)).map_or(1.0, |b| b.rounding)
}

/// Monitors a validated store: the fresh decision, the signals and the reassessed line.
/// `line` defaults to the previous decision's line, else to the fresh decision's.
pub fn monitor_store(engine: &Engine, store: &StoreData, previous: Option<&Decision>, line: Option<&LineState>, outstanding: f64) -> Result<MonitorReport> {
    if let Some(p) = previous {
        if p.merchant_id != store.merchant.id {
            return Err(Error::new(
                ErrorKind::InvalidValue(format!("the previous decision is for `{}`, the store is `{}`", p.merchant_id, store.merchant.id)),
                "previous.merchant_id",
            ));
        }
        if p.as_of > store.as_of {
            return Err(Error::new(ErrorKind::DateOrder(format!("the previous decision of {} is after the store's as_of {}", p.as_of, store.as_of)), "previous.as_of"));
        }
        if p.credit_line.currency != store.currency {
            return Err(Error::new(ErrorKind::Currency(format!("the previous decision is in {}, the store in {}", p.credit_line.currency, store.currency)), "previous.credit_line.currency"));
        }
    }
    let policy = policy_of(engine);
    let fresh = engine.evaluate_unsigned(store);
    let state = match (line, previous) {
        (Some(l), _) => l.clone(),
        (None, Some(p)) => LineState::from_decision(p),
        (None, None) => LineState::from_decision(&fresh),
    };
    let grades: Vec<String> = engine.model().grades.iter().map(|g| g.grade.clone()).collect();
    let sig = signals(store, &fresh, previous, state.amount, outstanding, &policy, &grades);
    let utilization = if state.amount > 0.0 { Some(r4(outstanding / state.amount)) } else { None };
    let action = sig.iter().map(|s| s.action).max();
    let reassessment = reassess(&state, &fresh, &sig, outstanding, &policy.reassessment, rounding(engine, &store.currency))?;
    Ok(MonitorReport {
        schema: MONITOR_SCHEMA.to_string(),
        merchant_id: store.merchant.id.clone(),
        as_of: store.as_of,
        action,
        signals: sig,
        utilization,
        reassessment,
        decision: fresh,
    })
}

/// Monitors one store (validated here; errors carry paths like `store.orders[3].amount`).
///
/// ```
/// use merchant_credit::{Engine, StoreData};
/// use merchant_credit::lifecycle::{monitor, MonitorRequest};
/// let engine = Engine::default();
/// let store = StoreData::from_json(include_str!("../../examples/declining-seller.json")).unwrap();
/// let r = monitor(&engine, &MonitorRequest { store, previous: None, line: None, outstanding: None }).unwrap();
/// assert!(r.signals.iter().any(|s| s.code.starts_with("sales_drop")));
/// ```
pub fn monitor(engine: &Engine, req: &MonitorRequest) -> Result<MonitorReport> {
    req.store.validate().map_err(|e| e.within("store"))?;
    monitor_store(engine, &req.store, req.previous.as_ref(), req.line.as_ref(), req.outstanding.map_or(0.0, |m| m.0))
}

/// Replays a series of snapshots of one store, oldest first: each snapshot is monitored against
/// the decision of the one before and the line carried over. The first snapshot's decision opens
/// the line unless `line` is given. Snapshots must be of one merchant, in one currency, with
/// strictly increasing `as_of`.
pub fn monitor_series(engine: &Engine, req: &SeriesRequest) -> Result<Vec<MonitorReport>> {
    if req.snapshots.is_empty() {
        return Err(Error::new(ErrorKind::MissingField("snapshots".into()), "snapshots"));
    }
    if req.snapshots.len() > MAX_SNAPSHOTS {
        return Err(Error::new(ErrorKind::TooLarge(format!("{} snapshots; the limit is {MAX_SNAPSHOTS}", req.snapshots.len())), "snapshots"));
    }
    let mut prev_date: Option<Date> = None;
    for (i, s) in req.snapshots.iter().enumerate() {
        let at = format!("snapshots[{i}].store");
        s.store.validate().map_err(|e| e.within(&at))?;
        if let Some(first) = req.snapshots.first() {
            if s.store.merchant.id != first.store.merchant.id {
                return Err(Error::new(
                    ErrorKind::InvalidValue(format!("snapshot of `{}` in a series of `{}`", s.store.merchant.id, first.store.merchant.id)),
                    format!("{at}.merchant.id"),
                ));
            }
            if s.store.currency != first.store.currency {
                return Err(Error::new(ErrorKind::Currency(format!("{} in a series in {}", s.store.currency, first.store.currency)), format!("{at}.currency")));
            }
        }
        if let Some(p) = prev_date {
            if s.store.as_of <= p {
                return Err(Error::new(
                    ErrorKind::DateOrder(format!("snapshot as_of {} is not after the previous snapshot's {p}: snapshots must be in date order", s.store.as_of)),
                    format!("{at}.as_of"),
                ));
            }
        }
        prev_date = Some(s.store.as_of);
    }
    let mut out: Vec<MonitorReport> = Vec::with_capacity(req.snapshots.len());
    let mut line = req.line.clone();
    for (i, s) in req.snapshots.iter().enumerate() {
        let prev = out.last().map(|r| &r.decision);
        let r = monitor_store(engine, &s.store, prev, line.as_ref(), s.outstanding.map_or(0.0, |m| m.0)).map_err(|e| e.within(&format!("snapshots[{i}]")))?;
        line = Some(r.reassessment.state.clone());
        out.push(r);
    }
    Ok(out)
}
