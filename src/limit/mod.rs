//! Credit line, offers per product, risk-based pricing and the APR of each offer.
//!
//! The line is the smaller of a grade-dependent multiple of average monthly net sales and a share
//! of annual sales, plus an advance on eligible pending receivables, less a share of debt owed
//! elsewhere, within the model's bounds and rounded down. Each product's amount is then cut to
//! what the store's own sales can repay within the term, priced from expected loss (PD over the
//! term x LGD) plus cost of funds and margin, and dropped if its APR would exceed the cap.
//! Money is handled in integer minor units of the currency (cents, fen; whole yen for JPY, fils
//! for KWD: [`MinorUnit`]) once amounts become offers, so fees and repayment totals reconcile
//! exactly and are amounts that can actually be paid.

use crate::features::{DataQuality, Features, Severity};
use crate::model::{AmountBasis, Model, Product, RepaymentMethod};
use crate::money::MinorUnit;
use serde::{Deserialize, Serialize};

const DAYS_PER_MONTH: f64 = 30.4375;

/// The credit line and how it was built.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreditLine {
    /// The line offered (0 when none).
    pub amount: f64,
    /// Currency of every amount.
    pub currency: String,
    /// Part supported by sales, before deductions.
    pub sales_based: f64,
    /// Part supported by pending receivables, before deductions.
    pub receivables_based: f64,
    /// Debt owed elsewhere deducted.
    pub debt_deduction: f64,
}

/// How an offer is repaid.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RepaymentTerms {
    /// `holdback`, `installments` or `bullet`.
    pub method: RepaymentMethod,
    /// Share of daily sales held back (holdback).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub holdback_rate: Option<f64>,
    /// Number of monthly installments (installments).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub installments: Option<u32>,
    /// Amount of each installment, the last one absorbing rounding (installments).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub installment_amount: Option<f64>,
    /// Expected days to repay at current sales (holdback).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_payoff_days: Option<u32>,
}

/// One product offer.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Offer {
    /// Which product.
    pub product: crate::model::ProductKind,
    /// Amount financed.
    pub amount: f64,
    /// Term in days.
    pub term_days: u32,
    /// Total fee.
    pub fee: f64,
    /// Amount plus fee.
    pub total_repayable: f64,
    /// Annual percentage rate (IRR of the expected repayment flows, annualised).
    pub apr: f64,
    /// How it is repaid.
    pub repayment: RepaymentTerms,
}

/// Outcome of sizing.
#[derive(Debug, Clone, PartialEq)]
pub struct Sizing {
    /// The line.
    pub line: CreditLine,
    /// The offers.
    pub offers: Vec<Offer>,
    /// Notes on what was cut or left out.
    pub notes: Vec<DataQuality>,
    /// True when the line fell below the currency's minimum.
    pub below_minimum: bool,
}

fn round_down(x: f64, step: f64) -> f64 {
    if step <= 0.0 {
        return x;
    }
    libm::floor(x / step + 1e-9) * step
}

/// The monthly net sales a line is sized on: the recent three-month average, but not more than
/// 20% above the twelve-month average (a recent spike does not buy a bigger line).
pub fn sizing_sales(f: &Features) -> f64 {
    let m3 = f.num("avg_monthly_net_sales_3m").unwrap_or(0.0).max(0.0);
    match f.num("avg_monthly_net_sales_12m") {
        Some(m12) if m12 > 0.0 => m3.min(1.2 * m12),
        _ => m3,
    }
}

/// Sizes the line and the offers. `factor` is 1 for approve, the model's refer factor for refer,
/// 0 for decline.
pub fn size(model: &Model, currency: &str, f: &Features, grade: &str, pd: f64, factor: f64) -> Sizing {
    let mut notes = Vec::new();
    let mu = MinorUnit::of(currency);
    let empty = CreditLine { amount: 0.0, currency: currency.to_string(), sales_based: 0.0, receivables_based: 0.0, debt_deduction: 0.0 };
    let Some(lp) = &model.limit else {
        return Sizing { line: empty, offers: Vec::new(), notes, below_minimum: false };
    };
    let monthly = sizing_sales(f);
    let multiple = lp.sales_multiple.get(grade).copied().unwrap_or(0.0);
    let annual = f.num("avg_monthly_net_sales_12m").unwrap_or(0.0).max(0.0) * 12.0;
    let sales_based = (multiple * monthly).min(lp.annual_sales_cap * annual);
    let receivables_based = lp.receivables_advance_rate * f.num("receivables_pending").unwrap_or(0.0);
    let deduction = lp.debt_deduction * f.num("debt_outstanding").unwrap_or(0.0);
    let bounds = lp.bounds.get(currency).copied();
    if bounds.is_none() {
        notes.push(DataQuality {
            code: "DQ08".into(),
            severity: Severity::Warning,
            message: format!("the model sets no absolute line limits for {currency}; only sales-based caps apply"),
        });
    }
    let rounding = bounds.map_or(1.0, |b| b.rounding);
    let mut amount = ((sales_based + receivables_based - deduction).max(0.0)) * factor;
    if let Some(b) = bounds {
        amount = amount.min(b.max);
    }
    amount = round_down(amount, rounding);
    let mut below_minimum = false;
    if let Some(b) = bounds {
        if amount < b.min && factor > 0.0 {
            below_minimum = true;
            amount = 0.0;
        }
    }
    let line = CreditLine {
        amount: mu.round(amount),
        currency: currency.to_string(),
        sales_based: mu.round(sales_based),
        receivables_based: mu.round(receivables_based),
        debt_deduction: mu.round(deduction),
    };
    let mut offers = Vec::new();
    if amount > 0.0 {
        let (sales_part, recv_part) = (sales_based * factor, receivables_based * factor);
        for p in &model.products {
            if !p.eligible.eval(f) || p.grades.as_ref().is_some_and(|g| !g.iter().any(|x| x == grade)) {
                continue;
            }
            let basis = match p.basis {
                AmountBasis::Line => amount,
                AmountBasis::Receivables => amount.min(recv_part),
                AmountBasis::Sales => amount.min(sales_part),
            };
            match offer(model, p, basis * p.share, monthly, grade, pd, rounding, bounds.map_or(0.0, |b| b.min), mu) {
                Ok(o) => offers.push(o),
                Err(why) => notes.push(DataQuality { code: "DQ09".into(), severity: Severity::Info, message: format!("no {} offer: {why}", p.product.as_str()) }),
            }
        }
    }
    Sizing { line, offers, notes, below_minimum }
}

/// Prices one product for `target` amount; cuts it to what sales can repay.
#[allow(clippy::too_many_arguments)]
fn offer(model: &Model, p: &Product, target: f64, monthly: f64, grade: &str, pd: f64, rounding: f64, min: f64, mu: MinorUnit) -> Result<Offer, String> {
    let pricing = model.pricing.ok_or("the model has no pricing")?;
    let t = f64::from(p.term_days);
    let years = t / 365.0;
    let life = match p.repayment {
        RepaymentMethod::Bullet => years,
        RepaymentMethod::Installments => {
            let n = f64::from(p.installments.unwrap_or(1));
            years * (n + 1.0) / (2.0 * n)
        }
        RepaymentMethod::Holdback => years * 0.5,
    };
    let pd_term = 1.0 - libm::pow(1.0 - pd, years);
    let fee_rate = pd_term * pricing.lgd + (pricing.cost_of_funds + pricing.margin) * life + pricing.origination;
    let holdback = match p.repayment {
        RepaymentMethod::Holdback => p.holdback_rate.get(grade).copied(),
        _ => None,
    };
    let pay_share = holdback.map_or(p.max_payment_to_sales, |h| h.min(p.max_payment_to_sales));
    let affordable_total = pay_share * monthly * (t / DAYS_PER_MONTH);
    let amount = round_down(target.min(affordable_total / (1.0 + fee_rate)), rounding);
    if amount <= 0.0 || amount < min {
        return Err(format!("what the store's sales can repay in {} days is below the minimum", p.term_days));
    }
    let amount_c = mu.to_minor(amount);
    let fee_c = mu.ceil_minor(amount * fee_rate);
    // money in integer minor units; amounts are capped by the model's line maximum, so these never
    // come near i64's range, and saturate rather than wrap (or panic) if a model allows it
    let total_c = amount_c.saturating_add(fee_c);
    let mut terms = RepaymentTerms { method: p.repayment, holdback_rate: None, installments: None, installment_amount: None, expected_payoff_days: None };
    // expected flows: (day, cents)
    let mut flows: Vec<(f64, i64)> = Vec::new();
    match p.repayment {
        RepaymentMethod::Bullet => flows.push((t, total_c)),
        RepaymentMethod::Installments => {
            let n = i64::from(p.installments.unwrap_or(1)).max(1);
            let each = total_c / n;
            for k in 1..=n {
                let c = if k == n { total_c.saturating_sub(each.saturating_mul(n - 1)) } else { each };
                flows.push((t * k as f64 / n as f64, c));
            }
            terms.installments = Some(n as u32);
            terms.installment_amount = Some(mu.from_minor(each));
        }
        RepaymentMethod::Holdback => {
            let rate = holdback.unwrap_or(p.max_payment_to_sales);
            let per_day_c = ((rate * monthly / DAYS_PER_MONTH) * mu.scale()).max(1.0) as i64;
            let days = total_c.saturating_add(per_day_c - 1) / per_day_c.max(1);
            // daily flows folded into weekly ones: the APR differs by far less than its rounding
            let mut paid = 0i64;
            let mut d = 0i64;
            while paid < total_c {
                d += 7;
                let c = per_day_c.saturating_mul(7).min(total_c - paid);
                flows.push((d as f64, c));
                paid = paid.saturating_add(c);
            }
            terms.holdback_rate = Some(rate);
            terms.expected_payoff_days = Some(days.min(i64::from(u32::MAX)) as u32);
        }
    }
    let apr = irr_annual(amount_c, &flows);
    if apr > pricing.max_apr {
        return Err(format!("its APR {:.1}% would exceed the cap of {:.1}%", apr * 100.0, pricing.max_apr * 100.0));
    }
    Ok(Offer {
        product: p.product,
        amount: mu.from_minor(amount_c),
        term_days: p.term_days,
        fee: mu.from_minor(fee_c),
        total_repayable: mu.from_minor(total_c),
        apr: libm::round(apr * 1e4) / 1e4,
        repayment: terms,
    })
}

/// The annual rate `r` at which `principal` paid out on day 0 equals the present value of
/// `flows` (day, cents) discounted at `(1 + r)^(day / 365)`.
///
/// Solved by Newton's method on the daily log-discount rate `d = ln(1 + r) / 365`, where
/// `f(d) = sum(c * exp(-d * day)) - principal` is convex and decreasing: started at `d = 0`
/// (or below the root) the iteration climbs monotonically to the root, typically in 5-8 steps.
/// Only `libm` functions are used, so the same bits come out natively and in wasm.
///
/// ```
/// // 1,000 lent, 1,100 repaid after one year: 10%
/// let apr = merchant_credit::limit::irr_annual(100_000, &[(365.0, 110_000)]);
/// assert!((apr - 0.10).abs() < 1e-9);
/// ```
pub fn irr_annual(principal_cents: i64, flows: &[(f64, i64)]) -> f64 {
    let p = principal_cents as f64;
    let total: f64 = flows.iter().map(|f| f.1 as f64).sum();
    if p <= 0.0 || flows.is_empty() || total <= 0.0 {
        return 0.0;
    }
    let f_and_df = |d: f64| -> (f64, f64) {
        let (mut f, mut df) = (-p, 0.0);
        for &(day, c) in flows {
            let v = c as f64 * libm::exp(-d * day);
            f += v;
            df -= day * v;
        }
        (f, df)
    };
    // Start left of the root: 0 when repaid more than lent, else a rate low enough.
    let mut d = if total >= p { 0.0 } else { -0.01 };
    for _ in 0..100 {
        let (f, df) = f_and_df(d);
        if df == 0.0 || !f.is_finite() {
            break;
        }
        let step = f / df;
        d -= step;
        if step.abs() < 1e-15 {
            break;
        }
    }
    libm::expm1(d * 365.0)
}
