//! The loan lifecycle after the pre-loan decision: in-loan monitoring, reassessment of the
//! line, repayment schedules with their APR, and servicing (due reminders, days past due,
//! collection stage, line suspension, write-off). See `docs/lifecycle.md`.
//!
//! Everything here is a pure function of its inputs, like the rest of the core: no clock (every
//! date comes from the input), no randomness, no hash-map iteration order in any output. Money in
//! schedules and statements is handled in integer minor units of the currency (cents; whole yen for JPY) with checked arithmetic,
//! so a schedule's rows add up exactly to principal plus fee.
//!
//! * [`monitor()`](monitor::monitor): a store and the previous decision (or a series of
//!   snapshots, [`monitor_series`]) to early-warning [`Signal`]s, each
//!   with a severity, numeric evidence and a recommended [`Action`];
//! * [`reassess()`](reassess::reassess): the previous [`LineState`], the fresh decision and
//!   the signals to the new line: raised slowly, cut or frozen at once;
//! * [`schedule()`](schedule::schedule): equal installments (actual/365 daily interest), bullet,
//!   or holdback (share of daily sales, minimum per 60-day period, end date), with APR;
//! * [`service()`](servicing::service): a schedule, the payments and `as_of` to the loan's
//!   status, DPD bucket, collection stage, suspension, write-off and a statement of what is owed.
//!
//! The rules (thresholds, caps, DPD stages) are the model's [`LifecyclePolicy`]
//! (`"lifecycle"` in the model JSON); a model without one gets [`LifecyclePolicy::default`].
//!
//! ```
//! use merchant_credit::lifecycle::{schedule, ScheduleRequest};
//! use merchant_credit::model::RepaymentMethod;
//! use merchant_credit::date::Date;
//!
//! let req = ScheduleRequest {
//!     method: RepaymentMethod::Installments,
//!     principal: 12_000.0,
//!     annual_rate: 0.18,
//!     installments: Some(6),
//!     start: Date::parse("2025-07-01").unwrap(),
//!     ..ScheduleRequest::default()
//! };
//! let s = schedule::schedule(&req, &Default::default()).unwrap();
//! let total: f64 = s.installments.iter().map(|i| i.amount).sum();
//! assert!((total - s.total_repayable).abs() < 1e-6);
//! assert!((s.apr - 0.18).abs() < 1e-4); // no fee on top of the interest: the APR is the rate
//! ```

pub mod monitor;
pub mod reassess;
pub mod schedule;
pub mod servicing;

pub use monitor::{monitor, monitor_series, MonitorReport, MonitorRequest, SeriesRequest, Snapshot};
pub use reassess::{reassess, LineChange, LineState, Reassessment};
pub use schedule::{schedule, Installment, Schedule, ScheduleRequest};
pub use servicing::{service, service_all, LoanAccount, Payment, PortfolioReport, PortfolioRequest, ServicingReport, ServicingRequest};

use crate::error::{Error, ErrorKind, Result};
use crate::money::MinorUnit;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What a signal recommends, in increasing order of force.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// A credit officer looks at the account; the line is held (no increase this period).
    Review,
    /// The line is cut now.
    Reduce,
    /// No new drawdowns until the account is clean again.
    Freeze,
}

impl Action {
    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Review => "review",
            Action::Reduce => "reduce",
            Action::Freeze => "freeze",
        }
    }
    /// The severity that goes with this action.
    pub fn severity(self) -> SignalSeverity {
        match self {
            Action::Review => SignalSeverity::Low,
            Action::Reduce => SignalSeverity::Medium,
            Action::Freeze => SignalSeverity::High,
        }
    }
}

/// How serious a signal is: `low` (review), `medium` (reduce), `high` (freeze).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignalSeverity {
    /// Worth a look.
    Low,
    /// Deterioration that justifies a smaller line.
    Medium,
    /// Stop new drawdowns.
    High,
}

/// One early-warning signal.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Signal {
    /// Stable code (`sales_drop`, `refund_spike`, ...; catalogued in `docs/lifecycle.md`).
    pub code: String,
    /// `low`, `medium` or `high`.
    pub severity: SignalSeverity,
    /// `review`, `reduce` or `freeze`.
    pub action: Action,
    /// What was seen, in plain words.
    pub message: String,
    /// The numbers behind it (measure, baseline, threshold...), by name.
    pub evidence: BTreeMap<String, f64>,
}

/// Three thresholds on a measure where higher is worse; each may be absent (that action is
/// never taken on this measure).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Levels {
    /// At or above this: review.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review: Option<f64>,
    /// At or above this: reduce.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reduce: Option<f64>,
    /// At or above this: freeze.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub freeze: Option<f64>,
}

impl Levels {
    const fn new(review: Option<f64>, reduce: Option<f64>, freeze: Option<f64>) -> Levels {
        Levels { review, reduce, freeze }
    }
    /// The strongest action whose threshold `x` reaches, with that threshold.
    pub fn action(&self, x: f64) -> Option<(Action, f64)> {
        if !x.is_finite() {
            return None;
        }
        for (a, t) in [(Action::Freeze, self.freeze), (Action::Reduce, self.reduce), (Action::Review, self.review)] {
            if let Some(t) = t {
                if x >= t {
                    return Some((a, t));
                }
            }
        }
        None
    }
    fn validate(&self, path: &str) -> Result<()> {
        let mut prev = f64::NEG_INFINITY;
        for (name, v) in [("review", self.review), ("reduce", self.reduce), ("freeze", self.freeze)] {
            if let Some(v) = v {
                if !v.is_finite() {
                    return Err(model_err("thresholds must be finite", format!("{path}.{name}")));
                }
                if v < prev {
                    return Err(model_err("thresholds must not decrease from review to reduce to freeze", format!("{path}.{name}")));
                }
                prev = v;
            }
        }
        Ok(())
    }
}

/// The rules of the loan lifecycle, carried by the model (`"lifecycle"`).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct LifecyclePolicy {
    /// Early-warning thresholds.
    pub monitoring: MonitoringPolicy,
    /// How the line moves.
    pub reassessment: ReassessmentPolicy,
    /// Schedule defaults.
    pub schedule: SchedulePolicy,
    /// Servicing and collections.
    pub servicing: ServicingPolicy,
}

/// Early-warning thresholds. Each `Levels` applies to the measure its field documents.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MonitoringPolicy {
    /// Drop of the last 3 complete months' net sales against the same 3 months a year earlier
    /// (or, with less than 15 months of history, against the 3 months before): `1 - now / then`.
    pub sales_drop: Levels,
    /// Drop of the last complete month's net sales against its seasonal baseline (the average
    /// of the 3 months before, times last year's seasonal index for that month when known).
    pub sales_drop_month: Levels,
    /// Sales signals are not raised when the baseline is below this many net sales per month.
    pub min_baseline_sales: f64,
    /// Last month's refund rate divided by the trailing 6 months' rate.
    pub refund_spike: Levels,
    /// A refund spike also needs last month's refund rate at or above this.
    pub refund_rate_floor: f64,
    /// Last month's dispute rate (disputes / orders) divided by the trailing 6 months' rate.
    pub dispute_spike: Levels,
    /// A dispute spike also needs last month's dispute rate at or above this.
    pub dispute_rate_floor: f64,
    /// Fall of the average rating (stars) of the last 2 months against the 6 months before.
    pub rating_drop: Levels,
    /// Ratings needed in each of the two windows before a rating drop is measured.
    pub min_ratings: u32,
    /// Order anomalies (spikes, large orders, buyer concentration) are measured only on stores
    /// with at least this many orders in the last 90 days: small stores are lumpy by nature.
    pub min_orders_90d: u32,
    /// The feature `sales_spike_ratio` (best recent week against the usual week).
    pub sales_spike: Levels,
    /// The feature `identical_amount_share_90d` (orders in same-day identical-amount bursts).
    pub identical_amount_share: Levels,
    /// The feature `large_order_share_90d`.
    pub large_order_share: Levels,
    /// Rise of the top buyer's share of the last 90 days' GMV over its earlier level (the
    /// previous decision's, else the 365-day share), in share points.
    pub buyer_concentration_rise: Levels,
    /// Fall of eligible pending receivables since the previous decision: `1 - now / then`.
    pub receivables_drop: Levels,
    /// Days past due on an open installment with this platform.
    pub overdue_dpd: Levels,
    /// Days past due on debt owed elsewhere.
    pub dpd_elsewhere: Levels,
    /// New debt elsewhere since the previous decision, in months of net sales.
    pub new_debt: Levels,
    /// Outstanding balance / line.
    pub utilization: Levels,
    /// Grade notches lost since the previous decision.
    pub grade_drop: Levels,
}

impl Default for MonitoringPolicy {
    fn default() -> Self {
        MonitoringPolicy {
            sales_drop: Levels::new(Some(0.2), Some(0.35), Some(0.6)),
            sales_drop_month: Levels::new(Some(0.3), Some(0.5), Some(0.8)),
            min_baseline_sales: 0.0,
            refund_spike: Levels::new(Some(2.0), Some(3.0), None),
            refund_rate_floor: 0.05,
            dispute_spike: Levels::new(Some(2.0), Some(4.0), None),
            dispute_rate_floor: 0.005,
            rating_drop: Levels::new(Some(0.3), Some(0.6), None),
            min_ratings: 10,
            min_orders_90d: 30,
            sales_spike: Levels::new(Some(3.0), Some(4.0), None),
            identical_amount_share: Levels::new(Some(0.1), None, Some(0.3)),
            large_order_share: Levels::new(Some(0.5), None, None),
            buyer_concentration_rise: Levels::new(Some(0.15), Some(0.3), None),
            receivables_drop: Levels::new(Some(0.3), Some(0.6), None),
            overdue_dpd: Levels::new(Some(1.0), Some(8.0), Some(31.0)),
            dpd_elsewhere: Levels::new(Some(1.0), Some(30.0), Some(90.0)),
            new_debt: Levels::new(Some(0.5), Some(1.5), None),
            utilization: Levels::new(Some(0.9), None, None),
            grade_drop: Levels::new(Some(1.0), Some(2.0), None),
        }
    }
}

/// How the line moves between periods.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ReassessmentPolicy {
    /// Length of a period, in days: at most one increase per period.
    pub period_days: u32,
    /// Largest increase per period, as a share of the current line.
    pub max_increase: f64,
    /// Clean periods in a row (no signal at all) needed before any increase or unfreeze.
    pub clean_periods: u32,
    /// A `reduce` signal cuts the line by at least this share.
    pub reduce_cut: f64,
    /// A line at zero reopens (after the clean periods) at this share of the fresh line.
    pub reopen_share: f64,
}

impl Default for ReassessmentPolicy {
    fn default() -> Self {
        ReassessmentPolicy { period_days: 30, max_increase: 0.2, clean_periods: 3, reduce_cut: 0.3, reopen_share: 0.5 }
    }
}

/// Defaults for schedules.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SchedulePolicy {
    /// Length of a holdback period with a minimum payment, in days.
    pub holdback_period_days: u32,
    /// The minimum payment per holdback period, as a share of straight-line repayment
    /// (total repayable x period / term), when the request does not give one.
    pub holdback_min_share: f64,
}

impl Default for SchedulePolicy {
    fn default() -> Self {
        SchedulePolicy { holdback_period_days: 60, holdback_min_share: 0.5 }
    }
}

/// A collection stage that starts at a number of days past due.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CollectionStage {
    /// First DPD of the stage.
    pub from_dpd: u32,
    /// The stage's name (`reminder`, `soft_collection`, ...).
    pub stage: String,
}

/// Servicing and collection rules.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ServicingPolicy {
    /// An installment due within this many days is "due soon" and gets a reminder.
    pub reminder_days: u32,
    /// A shortfall at or below this amount (major units) does not make an installment overdue.
    pub tolerance: f64,
    /// Collection stages, ascending by `from_dpd`.
    pub stages: Vec<CollectionStage>,
    /// The seller's line is suspended from this DPD on.
    pub suspend_line_dpd: u32,
    /// Write-off is recommended from this DPD on.
    pub write_off_dpd: u32,
}

impl Default for ServicingPolicy {
    fn default() -> Self {
        let st = |from_dpd, stage: &str| CollectionStage { from_dpd, stage: stage.to_string() };
        ServicingPolicy {
            reminder_days: 5,
            tolerance: 1.0,
            stages: vec![st(1, "reminder"), st(8, "soft_collection"), st(31, "hard_collection"), st(91, "recovery")],
            suspend_line_dpd: 8,
            write_off_dpd: 180,
        }
    }
}

fn model_err(msg: &str, path: String) -> Error {
    Error::new(ErrorKind::InvalidModel(msg.to_string()), path)
}

impl LifecyclePolicy {
    /// Checks the policy; paths are relative to the model (`lifecycle.reassessment.max_increase`).
    pub fn validate(&self) -> Result<()> {
        let m = &self.monitoring;
        for (name, l) in [
            ("sales_drop", &m.sales_drop),
            ("sales_drop_month", &m.sales_drop_month),
            ("refund_spike", &m.refund_spike),
            ("dispute_spike", &m.dispute_spike),
            ("rating_drop", &m.rating_drop),
            ("sales_spike", &m.sales_spike),
            ("identical_amount_share", &m.identical_amount_share),
            ("large_order_share", &m.large_order_share),
            ("buyer_concentration_rise", &m.buyer_concentration_rise),
            ("receivables_drop", &m.receivables_drop),
            ("overdue_dpd", &m.overdue_dpd),
            ("dpd_elsewhere", &m.dpd_elsewhere),
            ("new_debt", &m.new_debt),
            ("utilization", &m.utilization),
            ("grade_drop", &m.grade_drop),
        ] {
            l.validate(&format!("lifecycle.monitoring.{name}"))?;
        }
        for (name, v) in [
            ("min_baseline_sales", m.min_baseline_sales),
            ("refund_rate_floor", m.refund_rate_floor),
            ("dispute_rate_floor", m.dispute_rate_floor),
        ] {
            if !(v.is_finite() && v >= 0.0) {
                return Err(model_err("must be a finite number >= 0", format!("lifecycle.monitoring.{name}")));
            }
        }
        let r = &self.reassessment;
        if r.period_days == 0 || r.period_days > 366 {
            return Err(model_err("period_days must be 1-366", "lifecycle.reassessment.period_days".into()));
        }
        for (name, v, hi) in [("max_increase", r.max_increase, 10.0), ("reduce_cut", r.reduce_cut, 1.0), ("reopen_share", r.reopen_share, 1.0)] {
            if !(v.is_finite() && (0.0..=hi).contains(&v)) {
                return Err(model_err(&format!("must be within 0-{hi}"), format!("lifecycle.reassessment.{name}")));
            }
        }
        let s = &self.schedule;
        if s.holdback_period_days == 0 || s.holdback_period_days > 366 {
            return Err(model_err("holdback_period_days must be 1-366", "lifecycle.schedule.holdback_period_days".into()));
        }
        if !(s.holdback_min_share.is_finite() && (0.0..=1.0).contains(&s.holdback_min_share)) {
            return Err(model_err("must be within 0-1", "lifecycle.schedule.holdback_min_share".into()));
        }
        let v = &self.servicing;
        if !(v.tolerance.is_finite() && v.tolerance >= 0.0) {
            return Err(model_err("must be a finite number >= 0", "lifecycle.servicing.tolerance".into()));
        }
        let mut prev = 0;
        for (i, st) in v.stages.iter().enumerate() {
            if st.from_dpd == 0 || st.from_dpd <= prev {
                return Err(model_err("stages need from_dpd >= 1, strictly ascending", format!("lifecycle.servicing.stages[{i}].from_dpd")));
            }
            if st.stage.trim().is_empty() {
                return Err(model_err("empty stage name", format!("lifecycle.servicing.stages[{i}].stage")));
            }
            prev = st.from_dpd;
        }
        if v.write_off_dpd == 0 {
            return Err(model_err("write_off_dpd must be >= 1", "lifecycle.servicing.write_off_dpd".into()));
        }
        Ok(())
    }
}

/// Converts a major-unit amount to whole minor units of the currency (cents, or whole yen for
/// JPY), rejecting NaN, infinities, negatives and amounts above the accepted maximum (1e13), with
/// `path` in the error.
pub(crate) fn to_minor(mu: MinorUnit, x: f64, path: &str) -> Result<i64> {
    let v = crate::store::check_money(x).map_err(|k| Error::new(k, path))?;
    Ok(mu.to_minor(v))
}

/// Minor units to major units.
pub(crate) fn from_minor(mu: MinorUnit, c: i64) -> f64 {
    mu.from_minor(c)
}

/// Checked cents arithmetic: an overflow is an `out_of_range` error rather than a wrap or panic.
pub(crate) fn add(a: i64, b: i64, path: &str) -> Result<i64> {
    a.checked_add(b).ok_or_else(|| Error::new(ErrorKind::OutOfRange("amount overflow".into()), path))
}

pub(crate) fn sub(a: i64, b: i64, path: &str) -> Result<i64> {
    a.checked_sub(b).ok_or_else(|| Error::new(ErrorKind::OutOfRange("amount overflow".into()), path))
}

pub(crate) fn servicing_err(msg: impl Into<String>, path: impl Into<String>) -> Error {
    Error::new(ErrorKind::Servicing(msg.into()), path)
}

/// Parses a lifecycle request ([`MonitorRequest`], [`SeriesRequest`], [`ScheduleRequest`],
/// [`ServicingRequest`], [`servicing::PortfolioRequest`], a [`Schedule`]...) from JSON, with
/// the JSON path of any offending field in the error (`store.orders[3].amount: negative amount -3`).
/// Stores inside are validated by the functions that take them.
pub fn from_json<T: serde::de::DeserializeOwned>(text: &str) -> Result<T> {
    if text.len() > crate::store::limits::MAX_JSON_BYTES {
        return Err(Error::new(ErrorKind::TooLarge(format!("{} bytes of JSON", text.len())), ""));
    }
    crate::error::from_json_str(text)
}

/// Same as [`from_json`] for an already parsed JSON value (the wasm boundary).
pub fn from_value<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> Result<T> {
    crate::error::from_json_value(value)
}
