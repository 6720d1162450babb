//! Repayment schedules for each product, in integer minor units, with their APR.
//!
//! * **Installments**: equal payments on the declining balance with actual/365 daily interest
//!   (each period's interest is `balance x rate x days / 365`, rounded to the cent); the last
//!   installment clears the balance. Due dates are monthly on the start's day of the month
//!   (clamped to short months), or evenly spaced over `term_days` when that is given too.
//! * **Bullet**: everything at term end (the payment-term style of trade credit), with simple
//!   actual/365 interest when a rate is given.
//! * **Holdback**: a share of daily sales until repaid, with a contractual minimum payment per
//!   period (60 days by default) and an end date by which everything left is due. The rows are the
//!   contractual minimums; `expected_payment` projects what the holdback collects at the expected
//!   daily sales.
//!
//! A flat `fee` (the offer's fee) is spread evenly over the rows, the last absorbing the
//! remainder. Every row's `amount` is `principal + interest + fee`, and the rows add up exactly
//! to `total_repayable = principal + fee` (fee = interest + flat fee), to the cent.
//!
//! Two rates are shown for each schedule:
//! * `apr`: the nominal annual rate by the actuarial method on actual/365 periods: the rate which,
//!   charged as actual/365 interest between the payment dates, turns the principal into exactly
//!   these payments. For an installment loan with no fee on top of its interest, this is its rate.
//! * `effective_apr`: the effective annual IRR, `(1 + r)^(days / 365)` discounting, computed by
//!   [`crate::limit::irr_annual`], the same measure as the `apr` of a Decision's offers.
//!
//! Both are found by bisection with `libm`, so native and wasm give the same bits.

use super::{add, from_minor, sub, to_minor, SchedulePolicy};
use crate::money::MinorUnit;
use crate::date::Date;
use crate::error::{Error, ErrorKind, Result};
use crate::limit::Offer;
use crate::model::{ProductKind, RepaymentMethod};
use serde::{Deserialize, Serialize};

/// The schema tag of schedules.
pub const SCHEDULE_SCHEMA: &str = "merchant-credit/schedule@1";

/// Most installments a schedule may have.
pub const MAX_INSTALLMENTS: u32 = 360;
/// The ceiling of both rates a schedule shows (1000 = 100,000 % a year). A large flat fee
/// repaid within days (a 574 % fee over two days) has an IRR that overflows `f64`; such a
/// schedule shows the ceiling instead of a non-number.
pub const APR_CEILING: f64 = 1000.0;
/// Longest term, in days.
pub const MAX_TERM_DAYS: u32 = 3650;

/// What to build a schedule for.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScheduleRequest {
    /// The loan's id (default `loan`).
    #[serde(default = "default_loan_id")]
    pub loan_id: String,
    /// ISO 4217 code (default `CNY`). Amounts have two decimals.
    #[serde(default = "default_currency")]
    pub currency: String,
    /// The product, for the record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product: Option<ProductKind>,
    /// `installments`, `bullet` or `holdback`.
    pub method: RepaymentMethod,
    /// Amount financed, paid out on `start`.
    pub principal: f64,
    /// Flat fee on top of any interest (the offer's fee).
    #[serde(default)]
    pub fee: f64,
    /// Annual interest rate, actual/365 on the outstanding principal (installments, bullet).
    #[serde(default)]
    pub annual_rate: f64,
    /// Disbursement date.
    pub start: Date,
    /// Term in days (bullet and holdback: required; installments: optional, see the module docs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub term_days: Option<u32>,
    /// Number of installments (installments only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub installments: Option<u32>,
    /// Share of daily sales held back (holdback only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub holdback_rate: Option<f64>,
    /// Expected daily net sales, for the holdback projection and its APR.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_daily_sales: Option<f64>,
    /// Contractual minimum per holdback period (default: the model's share of straight-line).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_period_payment: Option<f64>,
}

fn default_loan_id() -> String {
    "loan".to_string()
}

fn default_currency() -> String {
    "CNY".to_string()
}

impl Default for ScheduleRequest {
    fn default() -> Self {
        ScheduleRequest {
            loan_id: default_loan_id(),
            currency: default_currency(),
            product: None,
            method: RepaymentMethod::Installments,
            principal: 0.0,
            fee: 0.0,
            annual_rate: 0.0,
            start: Date(0),
            term_days: None,
            installments: None,
            holdback_rate: None,
            expected_daily_sales: None,
            min_period_payment: None,
        }
    }
}

impl ScheduleRequest {
    /// The request that schedules a Decision's offer disbursed on `start`. For holdback,
    /// `expected_daily_sales` drives the projection (typically the store's average monthly net
    /// sales / 30.4375).
    pub fn from_offer(offer: &Offer, loan_id: &str, currency: &str, start: Date, expected_daily_sales: Option<f64>) -> ScheduleRequest {
        ScheduleRequest {
            loan_id: loan_id.to_string(),
            currency: currency.to_string(),
            product: Some(offer.product),
            method: offer.repayment.method,
            principal: offer.amount,
            fee: offer.fee,
            annual_rate: 0.0,
            start,
            term_days: Some(offer.term_days),
            installments: offer.repayment.installments,
            holdback_rate: offer.repayment.holdback_rate,
            expected_daily_sales: if offer.repayment.method == RepaymentMethod::Holdback { expected_daily_sales } else { None },
            min_period_payment: None,
        }
    }
}

/// One row of a schedule.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Installment {
    /// 1, 2, ...
    pub number: u32,
    /// Due date.
    pub due_on: Date,
    /// Amount due: principal + interest + fee.
    pub amount: f64,
    /// Principal part.
    pub principal: f64,
    /// Interest part.
    pub interest: f64,
    /// Flat-fee part.
    pub fee: f64,
    /// Principal still owed after this row is paid.
    pub balance_after: f64,
    /// Holdback: what the holdback is expected to collect in this period (top-ups included).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_payment: Option<f64>,
}

/// A repayment schedule (`merchant-credit/schedule@1`).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Schedule {
    /// Always `merchant-credit/schedule@1`.
    #[serde(rename = "$schema")]
    pub schema: String,
    /// The loan's id.
    pub loan_id: String,
    /// Currency of every amount.
    pub currency: String,
    /// The product, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product: Option<ProductKind>,
    /// Repayment method.
    pub method: RepaymentMethod,
    /// Disbursement date.
    pub start: Date,
    /// The last due date.
    pub maturity: Date,
    /// Amount financed.
    pub principal: f64,
    /// Total interest.
    pub interest: f64,
    /// Flat fee.
    pub flat_fee: f64,
    /// Cost of credit: interest + flat fee.
    pub fee: f64,
    /// principal + fee; the rows add up to exactly this.
    pub total_repayable: f64,
    /// The contractual interest rate (actual/365), when any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annual_rate: Option<f64>,
    /// Holdback share of daily sales.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub holdback_rate: Option<f64>,
    /// Holdback: the daily sales the projection assumes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_daily_sales: Option<f64>,
    /// Holdback: contractual minimum per period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_period_payment: Option<f64>,
    /// Holdback: the day the projection pays off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_payoff_on: Option<Date>,
    /// Nominal APR, actuarial method on actual/365 periods (rounded to 1e-6; at most
    /// [`APR_CEILING`]).
    pub apr: f64,
    /// Effective annual IRR, as in Decision offers (rounded to 1e-6; at most [`APR_CEILING`]).
    pub effective_apr: f64,
    /// The rows, by due date.
    pub installments: Vec<Installment>,
}

impl Schedule {
    /// Compact JSON.
    pub fn to_json(&self) -> String {
        crate::receipt::to_json(self).unwrap_or_default()
    }

    /// Checks a schedule given as input (for servicing): consecutive numbers, due dates strictly
    /// after the start and strictly increasing (periods that overlap are an error), each row's
    /// parts adding up to its amount and the rows to the totals, to the cent.
    pub fn validate(&self) -> Result<()> {
        let e = |msg: String, path: String| Err(Error::new(ErrorKind::Servicing(msg), path));
        if let Some(s) = Some(&self.schema).filter(|s| s.as_str() != SCHEDULE_SCHEMA) {
            return Err(Error::new(ErrorKind::InvalidValue(format!("schema `{s}`, expected `{SCHEDULE_SCHEMA}`")), "$schema"));
        }
        crate::store::check_currency(&self.currency).map_err(|k| Error::new(k, "currency"))?;
        let mu = MinorUnit::of(&self.currency);
        if self.loan_id.trim().is_empty() || self.loan_id.len() > crate::store::limits::MAX_TEXT {
            return Err(Error::new(ErrorKind::InvalidValue("loan_id must be 1-256 bytes".into()), "loan_id"));
        }
        if self.installments.is_empty() {
            return e("a schedule needs at least one installment".into(), "installments".into());
        }
        if self.installments.len() > MAX_INSTALLMENTS as usize * 2 {
            return Err(Error::new(ErrorKind::TooLarge(format!("{} installments", self.installments.len())), "installments"));
        }
        let principal = to_minor(mu, self.principal, "principal")?;
        let total = to_minor(mu, self.total_repayable, "total_repayable")?;
        let mut prev = self.start;
        let (mut sum, mut sum_p) = (0i64, 0i64);
        for (i, r) in self.installments.iter().enumerate() {
            let at = |f: &str| format!("installments[{i}].{f}");
            if r.number as usize != i + 1 {
                return e(format!("installment number {} where {} was expected", r.number, i + 1), at("number"));
            }
            if r.due_on <= prev {
                return e(
                    format!("due {} is not after {} (the previous due date or the start): schedule periods overlap", r.due_on, prev),
                    at("due_on"),
                );
            }
            prev = r.due_on;
            let amount = to_minor(mu, r.amount, &at("amount"))?;
            let parts = [to_minor(mu, r.principal, &at("principal"))?, to_minor(mu, r.interest, &at("interest"))?, to_minor(mu, r.fee, &at("fee"))?];
            to_minor(mu, r.balance_after, &at("balance_after"))?;
            if parts.iter().try_fold(0i64, |a, &b| a.checked_add(b)) != Some(amount) {
                return e("principal + interest + fee differs from the amount".into(), at("amount"));
            }
            sum = add(sum, amount, &at("amount"))?;
            sum_p = add(sum_p, parts[0], &at("principal"))?;
        }
        if sum != total {
            return e(format!("installments add up to {}, not total_repayable {}", from_minor(mu, sum), self.total_repayable), "total_repayable".into());
        }
        if sum_p != principal {
            return e(format!("installments repay {} of principal, not {}", from_minor(mu, sum_p), self.principal), "principal".into());
        }
        if self.maturity != prev {
            return e(format!("maturity {} is not the last due date {prev}", self.maturity), "maturity".into());
        }
        Ok(())
    }
}

fn bad(kind: ErrorKind, path: &str) -> Error {
    Error::new(kind, path)
}

fn round6(x: f64) -> f64 {
    libm::round(x * 1e6) / 1e6
}

/// Builds the schedule for a request under the model's schedule policy.
pub fn schedule(req: &ScheduleRequest, policy: &SchedulePolicy) -> Result<Schedule> {
    crate::store::check_currency(&req.currency).map_err(|k| bad(k, "currency"))?;
    let mu = MinorUnit::of(&req.currency);
    if req.loan_id.trim().is_empty() || req.loan_id.len() > crate::store::limits::MAX_TEXT {
        return Err(bad(ErrorKind::InvalidValue("loan_id must be 1-256 bytes".into()), "loan_id"));
    }
    let principal = to_minor(mu, req.principal, "principal")?;
    if principal == 0 {
        return Err(bad(ErrorKind::OutOfRange("the principal must be positive".into()), "principal"));
    }
    let flat_fee = to_minor(mu, req.fee, "fee")?;
    let rate = req.annual_rate;
    if !(rate.is_finite() && (0.0..=10.0).contains(&rate)) {
        return Err(bad(ErrorKind::OutOfRange(format!("annual_rate {rate} is not within 0-10")), "annual_rate"));
    }
    if let Some(t) = req.term_days {
        if t == 0 || t > MAX_TERM_DAYS {
            return Err(bad(ErrorKind::OutOfRange(format!("term_days {t} is not within 1-{MAX_TERM_DAYS}")), "term_days"));
        }
    }
    let term = |what: &str| req.term_days.ok_or_else(|| bad(ErrorKind::MissingField("term_days".into()), &format!("term_days ({what})")));
    let mut s = Schedule {
        schema: SCHEDULE_SCHEMA.to_string(),
        loan_id: req.loan_id.clone(),
        currency: req.currency.clone(),
        product: req.product,
        method: req.method,
        start: req.start,
        maturity: req.start,
        principal: from_minor(mu, principal),
        interest: 0.0,
        flat_fee: from_minor(mu, flat_fee),
        fee: 0.0,
        total_repayable: 0.0,
        annual_rate: None,
        holdback_rate: None,
        expected_daily_sales: None,
        min_period_payment: None,
        expected_payoff_on: None,
        apr: 0.0,
        effective_apr: 0.0,
        installments: Vec::new(),
    };
    // (day offset, cents) of the payments the APR is computed on
    let mut flows: Vec<(i32, i64)> = Vec::new();
    match req.method {
        RepaymentMethod::Installments => {
            let n = req.installments.ok_or_else(|| bad(ErrorKind::MissingField("installments".into()), "installments"))?;
            if n == 0 || n > MAX_INSTALLMENTS {
                return Err(bad(ErrorKind::OutOfRange(format!("installments {n} is not within 1-{MAX_INSTALLMENTS}")), "installments"));
            }
            let dues: Vec<Date> = (1..=n as i32)
                .map(|k| match req.term_days {
                    Some(t) => req.start.add_days((i64::from(t) * i64::from(k) / i64::from(n)) as i32),
                    None => req.start.add_months(k),
                })
                .collect();
            if dues.windows(2).any(|w| matches!(w, [a, b] if b <= a)) || dues.first().is_some_and(|d| *d <= req.start) {
                return Err(bad(ErrorKind::OutOfRange(format!("{n} installments do not fit in {} days", req.term_days.unwrap_or(0))), "installments"));
            }
            installments(&mut s, &dues, principal, flat_fee, rate, &mut flows)?;
            s.annual_rate = Some(rate);
        }
        RepaymentMethod::Bullet => {
            let t = term("required for a bullet")?;
            let due = req.start.add_days(t as i32);
            let interest = libm::round(principal as f64 * rate * f64::from(t) / 365.0) as i64;
            let amount = add(add(principal, interest, "principal")?, flat_fee, "fee")?;
            s.installments.push(row(mu, 1, due, principal, interest, flat_fee, 0, None));
            flows.push((t as i32, amount));
            s.annual_rate = Some(rate);
        }
        RepaymentMethod::Holdback => {
            if rate != 0.0 {
                return Err(bad(ErrorKind::InvalidValue("a holdback is priced by its flat fee; annual_rate must be 0".into()), "annual_rate"));
            }
            let t = term("the holdback's end date")?;
            holdback(&mut s, req, policy, t, principal, flat_fee, &mut flows)?;
        }
    }
    let (mut interest, mut total) = (0i64, 0i64);
    for r in &s.installments {
        interest = add(interest, to_minor(mu, r.interest, "interest")?, "interest")?;
        total = add(total, to_minor(mu, r.amount, "amount")?, "total_repayable")?;
    }
    s.interest = from_minor(mu, interest);
    s.fee = from_minor(mu, add(interest, flat_fee, "fee")?);
    s.total_repayable = from_minor(mu, total);
    s.maturity = s.installments.last().map_or(req.start, |r| r.due_on);
    s.apr = round6(apr_actuarial(principal, &flows));
    let f: Vec<(f64, i64)> = flows.iter().map(|&(d, c)| (f64::from(d), c)).collect();
    let irr = crate::limit::irr_annual(principal, &f);
    // `min` would pass a NaN through; anything not a finite rate below the ceiling is the ceiling.
    s.effective_apr = round6(if irr.is_finite() && irr < APR_CEILING { irr } else { APR_CEILING });
    Ok(s)
}

#[allow(clippy::too_many_arguments)]
fn row(mu: MinorUnit, number: u32, due_on: Date, principal: i64, interest: i64, fee: i64, balance_after: i64, expected: Option<i64>) -> Installment {
    Installment {
        number,
        due_on,
        amount: from_minor(mu, principal + interest + fee),
        principal: from_minor(mu, principal),
        interest: from_minor(mu, interest),
        fee: from_minor(mu, fee),
        balance_after: from_minor(mu, balance_after),
        expected_payment: expected.map(|c| from_minor(mu, c)),
    }
}

/// Equal installments on the declining balance, actual/365 interest per period.
fn installments(s: &mut Schedule, dues: &[Date], principal: i64, flat_fee: i64, rate: f64, flows: &mut Vec<(i32, i64)>) -> Result<()> {
    let mu = MinorUnit::of(&s.currency);
    let n = dues.len() as i64;
    // The level payment P with sum_k P * prod_{j<=k} 1/(1 + r d_j / 365) = principal.
    let mut disc = 1.0;
    let mut annuity = 0.0;
    let mut prev = s.start;
    for d in dues {
        disc /= 1.0 + rate * f64::from(d.days_since(prev)) / 365.0;
        annuity += disc;
        prev = *d;
    }
    let level = if annuity > 0.0 { libm::round(principal as f64 / annuity) as i64 } else { principal };
    let fee_each = flat_fee / n;
    let mut fee_left = flat_fee;
    let mut balance = principal;
    let mut prev = s.start;
    for (k, d) in dues.iter().enumerate() {
        let days = d.days_since(prev);
        prev = *d;
        let interest = libm::round(balance as f64 * rate * f64::from(days) / 365.0) as i64;
        let last = k + 1 == dues.len();
        let p = if last { balance } else { (level - interest).clamp(0, balance) };
        let fee = if last { fee_left } else { fee_each };
        fee_left = sub(fee_left, fee, "fee")?;
        balance = sub(balance, p, "principal")?;
        let amount = add(add(p, interest, "installments")?, fee, "installments")?;
        s.installments.push(row(mu, k as u32 + 1, *d, p, interest, fee, balance, None));
        flows.push((d.days_since(s.start), amount));
    }
    Ok(())
}

/// Holdback: contractual minimum rows per period plus a projection at the expected sales.
fn holdback(s: &mut Schedule, req: &ScheduleRequest, policy: &SchedulePolicy, t: u32, principal: i64, flat_fee: i64, flows: &mut Vec<(i32, i64)>) -> Result<()> {
    let mu = MinorUnit::of(&s.currency);
    let h = req.holdback_rate.ok_or_else(|| bad(ErrorKind::MissingField("holdback_rate".into()), "holdback_rate"))?;
    if !(h > 0.0 && h <= 1.0) {
        return Err(bad(ErrorKind::OutOfRange(format!("holdback_rate {h} is not within (0, 1]")), "holdback_rate"));
    }
    let total = add(principal, flat_fee, "fee")?;
    let period = policy.holdback_period_days.max(1);
    let min_pay = match req.min_period_payment {
        Some(m) => to_minor(mu, m, "min_period_payment")?,
        None => libm::ceil(total as f64 * policy.holdback_min_share * f64::from(period) / f64::from(t)) as i64,
    };
    let daily = match req.expected_daily_sales {
        Some(x) => Some(libm::round(to_minor(mu, x, "expected_daily_sales")? as f64 * h) as i64),
        None => None,
    };
    // period ends strictly before the end date, then the end date
    let mut ends: Vec<i32> = (1..).map(|k| k * period as i32).take_while(|&d| d < t as i32).collect();
    ends.push(t as i32);
    // contractual rows: the minimum each period (capped at what is left), the rest at the end
    let mut due_rows: Vec<i64> = Vec::with_capacity(ends.len());
    let mut left = total;
    for (k, _) in ends.iter().enumerate() {
        let due = if k + 1 == ends.len() { left } else { min_pay.min(left) };
        left = sub(left, due, "min_period_payment")?;
        due_rows.push(due);
    }
    // projection: the daily holdback, topped up to the minimum at each period end, balance at end
    let mut expected_rows = vec![0i64; ends.len()];
    let mut rem = total;
    let mut paid_contract_cum = 0i64;
    let mut paid_cum = 0i64;
    let mut payoff: Option<i32> = None;
    let mut k = 0usize;
    for day in 1..=t as i32 {
        if rem == 0 {
            break;
        }
        let mut pay = daily.unwrap_or(0).min(rem);
        if let Some(&end) = ends.get(k) {
            if day == end {
                paid_contract_cum = add(paid_contract_cum, due_rows.get(k).copied().unwrap_or(0), "installments")?;
                let owed = (paid_contract_cum - paid_cum - pay).max(0);
                pay = add(pay, owed, "installments")?.min(rem);
            }
        }
        if pay > 0 {
            rem -= pay;
            paid_cum = add(paid_cum, pay, "installments")?;
            if let Some(e) = expected_rows.get_mut(k) {
                *e += pay;
            }
            flows.push((day, pay));
            if rem == 0 {
                payoff = Some(day);
            }
        }
        if ends.get(k) == Some(&day) {
            k += 1;
        }
    }
    // principal / fee split of each row in proportion, the last row taking the remainder
    let mut p_left = principal;
    let mut bal = principal;
    for (k, (&end, &due)) in ends.iter().zip(&due_rows).enumerate() {
        let p = if k + 1 == ends.len() {
            p_left
        } else {
            ((i128::from(due) * i128::from(principal)) / i128::from(total.max(1))) as i64
        };
        let p = p.min(p_left);
        p_left -= p;
        bal -= p;
        s.installments.push(row(mu, k as u32 + 1, s.start.add_days(end), p, 0, due - p, bal, Some(expected_rows.get(k).copied().unwrap_or(0))));
    }
    s.holdback_rate = Some(h);
    s.expected_daily_sales = req.expected_daily_sales.map(|x| mu.round(x));
    s.min_period_payment = Some(from_minor(mu, min_pay));
    s.expected_payoff_on = payoff.map(|d| s.start.add_days(d));
    Ok(())
}

/// Nominal annual rate by the actuarial method on actual/365 periods: the `x` at which
/// `sum_k c_k prod_{j<=k} 1 / (1 + x (t_j - t_{j-1}) / 365) = principal`. Flows are
/// `(day offset from disbursement, cents)`, ascending. Fees and interest are never negative, so
/// the rate is searched in `[0, APR_CEILING]`.
pub fn apr_actuarial(principal_cents: i64, flows: &[(i32, i64)]) -> f64 {
    let p = principal_cents as f64;
    let npv = |x: f64| -> f64 {
        let mut s = -p;
        let mut disc = 1.0;
        let mut prev = 0;
        for &(d, c) in flows {
            disc /= 1.0 + x * f64::from(d - prev) / 365.0;
            prev = d;
            s += c as f64 * disc;
        }
        s
    };
    let (mut lo, mut hi) = (0.0f64, APR_CEILING);
    if npv(lo) <= 0.0 {
        return 0.0;
    }
    if npv(hi) > 0.0 {
        return hi;
    }
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if npv(mid) > 0.0 {
            lo = mid;
        } else {
            hi = mid;
        }
        if hi - lo < 1e-13 {
            break;
        }
    }
    0.5 * (lo + hi)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    /// Found by the property test in CI: a 5.74 fee on a 1.00 holdback collected in two days has
    /// an IRR of about e^694, which `round6` turned into infinity (serialized as `null`).
    #[test]
    fn an_overflowing_rate_is_shown_as_the_ceiling() {
        let r = ScheduleRequest {
            method: RepaymentMethod::Holdback,
            principal: 1.0,
            fee: 5.74,
            start: Date(18_000),
            term_days: Some(7),
            installments: Some(1),
            holdback_rate: Some(0.01),
            expected_daily_sales: Some(672.5),
            ..Default::default()
        };
        let s = schedule(&r, &SchedulePolicy::default()).unwrap();
        assert_eq!((s.apr, s.effective_apr), (APR_CEILING, APR_CEILING));
        let json = serde_json::to_string(&s).unwrap();
        assert!(json.contains("\"effective_apr\":1000.0"), "{json}");
        // an ordinary expensive loan stays below the ceiling
        let r = ScheduleRequest { principal: 100.0, term_days: Some(60), ..r };
        let s = schedule(&r, &SchedulePolicy::default()).unwrap();
        assert!(s.effective_apr > 0.0 && s.effective_apr < APR_CEILING, "{}", s.effective_apr);
    }

    #[test]
    fn bullet_simple_interest() {
        let r = ScheduleRequest { method: RepaymentMethod::Bullet, principal: 10_000.0, fee: 0.0, annual_rate: 0.1, start: d("2025-01-01"), term_days: Some(73), ..Default::default() };
        let s = schedule(&r, &SchedulePolicy::default()).unwrap();
        assert_eq!(s.installments.len(), 1);
        assert_eq!(s.total_repayable, 10_200.0);
        assert!((s.apr - 0.1).abs() < 1e-9, "{}", s.apr);
        assert!(s.effective_apr > s.apr);
    }

    #[test]
    fn holdback_rows_reconcile() {
        let r = ScheduleRequest {
            method: RepaymentMethod::Holdback,
            principal: 50_000.0,
            fee: 4_321.17,
            start: d("2025-07-01"),
            term_days: Some(270),
            holdback_rate: Some(0.12),
            expected_daily_sales: Some(3_000.0),
            ..Default::default()
        };
        let s = schedule(&r, &SchedulePolicy::default()).unwrap();
        let sum: i64 = s.installments.iter().map(|i| (i.amount * 100.0).round() as i64).sum();
        assert_eq!(sum, 5_432_117);
        let exp: i64 = s.installments.iter().map(|i| (i.expected_payment.unwrap() * 100.0).round() as i64).sum();
        assert_eq!(exp, 5_432_117);
        assert_eq!(s.installments.len(), 5); // days 60, 120, 180, 240 and the end at 270
        s.validate().unwrap();
    }
}
