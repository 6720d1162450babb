//! Servicing: from a schedule, the payments made and `as_of`, where the loan stands.
//!
//! Payments are applied in date order (ties in input order) to the oldest installment first,
//! and within an installment to interest, then fee, then principal. An installment is overdue
//! when its due date has passed and more than the policy's `tolerance` of it is unpaid; the
//! loan's days past due (DPD) are those of its oldest overdue installment. From the DPD follow the
//! bucket (`1-30`, `31-60`, `61-90`, `90+`), the collection stage, line suspension and the
//! write-off recommendation, all per the model's [`ServicingPolicy`].

use super::{add, from_minor, servicing_err, sub, to_minor, ServicingPolicy};
use crate::money::MinorUnit;
use crate::date::Date;
use crate::error::{Error, ErrorKind, Result};
use crate::lifecycle::schedule::Schedule;
use crate::sort;
use crate::store::Money;
use serde::{Deserialize, Serialize};

/// Most payments one loan may carry.
pub const MAX_PAYMENTS: usize = 100_000;

/// A payment received.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Payment {
    /// Optional reference, unique within the loan when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// When it was received.
    pub paid_on: Date,
    /// How much (never negative: a reversal is a correction of an earlier payment).
    pub amount: Money,
}

/// Servicing one loan.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServicingRequest {
    /// The servicing date.
    pub as_of: Date,
    /// The loan's schedule (as [`schedule()`](super::schedule::schedule) made it).
    pub schedule: Schedule,
    /// Payments received up to `as_of`.
    #[serde(default)]
    pub payments: Vec<Payment>,
}

/// One loan inside a [`PortfolioRequest`].
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoanAccount {
    /// Its schedule.
    pub schedule: Schedule,
    /// Its payments.
    #[serde(default)]
    pub payments: Vec<Payment>,
}

/// Servicing all the loans of one seller.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PortfolioRequest {
    /// The servicing date.
    pub as_of: Date,
    /// The loans (loan ids must be unique).
    pub loans: Vec<LoanAccount>,
}

/// Where a loan stands.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LoanStatus {
    /// Nothing due soon, nothing overdue.
    Current,
    /// An installment falls due within the reminder window (a reminder is attached).
    DueSoon,
    /// An installment is overdue.
    PastDue,
    /// Everything repaid.
    PaidOff,
}

/// Where one installment stands.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InstallmentStatus {
    /// Paid (within tolerance).
    Paid,
    /// Due date passed, unpaid.
    Overdue,
    /// Due within the reminder window (or today).
    DueSoon,
    /// Due later.
    Upcoming,
}

/// One installment's servicing state.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InstallmentState {
    /// Its number.
    pub number: u32,
    /// Due date.
    pub due_on: Date,
    /// Amount due.
    pub amount: f64,
    /// Paid so far.
    pub paid: f64,
    /// Still owed.
    pub outstanding: f64,
    /// paid | overdue | due_soon | upcoming.
    pub status: InstallmentStatus,
    /// Days past due (0 unless overdue).
    pub dpd: u32,
    /// When it was paid in full, if it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paid_on: Option<Date>,
    /// Days after the due date it was paid in full (0 when on time).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days_late: Option<u32>,
}

/// A due reminder.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reminder {
    /// The installment.
    pub number: u32,
    /// Its due date.
    pub due_on: Date,
    /// What to pay.
    pub amount: f64,
    /// Days until it is due (0: today).
    pub days_until: u32,
    /// The reminder text.
    pub message: String,
}

/// What is owed.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Statement {
    /// Principal not yet repaid.
    pub principal_outstanding: f64,
    /// Interest not yet paid.
    pub interest_outstanding: f64,
    /// Flat fee not yet paid.
    pub fee_outstanding: f64,
    /// Everything still owed under the schedule (also the payoff amount).
    pub total_outstanding: f64,
    /// The part of it already past due.
    pub overdue_amount: f64,
    /// Paid to date.
    pub paid_to_date: f64,
    /// Paid beyond the total repayable (to be refunded or applied elsewhere).
    pub credit_balance: f64,
    /// The next installment not yet due (or due today).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_due: Option<NextDue>,
}

/// The next installment to pay.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NextDue {
    /// Its number.
    pub number: u32,
    /// Due date.
    pub due_on: Date,
    /// Still owed on it.
    pub amount: f64,
}

/// The servicing state of one loan.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServicingReport {
    /// Always `merchant-credit/servicing@1`.
    #[serde(rename = "$schema")]
    pub schema: String,
    /// The loan.
    pub loan_id: String,
    /// The servicing date.
    pub as_of: Date,
    /// Currency of every amount.
    pub currency: String,
    /// current | due_soon | past_due | paid_off.
    pub status: LoanStatus,
    /// Days past due of the oldest overdue installment.
    pub dpd: u32,
    /// `current`, `1-30`, `31-60`, `61-90` or `90+`.
    pub bucket: String,
    /// The collection stage (`none` when nothing is overdue).
    pub collection_stage: String,
    /// True when the seller's credit line is suspended because of this loan.
    pub line_suspended: bool,
    /// True when the policy recommends writing the loan off.
    pub write_off_recommended: bool,
    /// A due reminder, when an installment falls due soon.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reminder: Option<Reminder>,
    /// What is owed.
    pub statement: Statement,
    /// Each installment.
    pub installments: Vec<InstallmentState>,
}

/// The servicing state of all of a seller's loans.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PortfolioReport {
    /// The servicing date.
    pub as_of: Date,
    /// The worst DPD over the loans.
    pub dpd: u32,
    /// Its bucket.
    pub bucket: String,
    /// True when any loan suspends the line.
    pub line_suspended: bool,
    /// Loans recommended for write-off.
    pub write_off_recommended: Vec<String>,
    /// Everything still owed, over all loans.
    pub total_outstanding: f64,
    /// The part past due.
    pub overdue_amount: f64,
    /// Each loan.
    pub loans: Vec<ServicingReport>,
}

/// The DPD bucket name.
pub fn bucket(dpd: u32) -> &'static str {
    match dpd {
        0 => "current",
        1..=30 => "1-30",
        31..=60 => "31-60",
        61..=90 => "61-90",
        _ => "90+",
    }
}

#[derive(Clone, Copy, Default)]
struct Parts {
    interest: i64,
    fee: i64,
    principal: i64,
}

/// Services one loan.
///
/// ```
/// use merchant_credit::lifecycle::{schedule, service, Payment, ScheduleRequest, ServicingRequest};
/// use merchant_credit::model::RepaymentMethod;
/// use merchant_credit::date::Date;
/// use merchant_credit::store::Money;
/// let d = |s| Date::parse(s).unwrap();
/// let sched = schedule::schedule(&ScheduleRequest { method: RepaymentMethod::Installments, principal: 3000.0,
///     installments: Some(3), start: d("2025-01-10"), ..Default::default() }, &Default::default()).unwrap();
/// let req = ServicingRequest { as_of: d("2025-03-25"), schedule: sched,
///     payments: vec![Payment { id: None, paid_on: d("2025-02-10"), amount: Money(1000.0) }] };
/// let r = service(&req, &Default::default()).unwrap();
/// assert_eq!(r.dpd, 15); // the March 10 installment is unpaid
/// assert_eq!(r.bucket, "1-30");
/// ```
pub fn service(req: &ServicingRequest, policy: &ServicingPolicy) -> Result<ServicingReport> {
    let s = &req.schedule;
    s.validate().map_err(|e| e.within("schedule"))?;
    let mu = MinorUnit::of(&s.currency);
    let as_of = req.as_of;
    if as_of < s.start {
        return Err(servicing_err(format!("as_of {as_of} is before the loan started on {}", s.start), "as_of"));
    }
    if req.payments.len() > MAX_PAYMENTS {
        return Err(Error::new(ErrorKind::TooLarge(format!("{} payments; the limit is {MAX_PAYMENTS}", req.payments.len())), "payments"));
    }
    let tol = to_minor(mu, policy.tolerance, "policy.tolerance")?;
    let mut pays: Vec<(Date, usize, i64)> = Vec::with_capacity(req.payments.len());
    let mut ids = std::collections::HashSet::new();
    for (i, p) in req.payments.iter().enumerate() {
        let at = |f: &str| format!("payments[{i}].{f}");
        let c = to_minor(mu, p.amount.0, &at("amount"))?;
        if p.paid_on < s.start {
            return Err(servicing_err(format!("payment on {} is before the loan started on {}", p.paid_on, s.start), at("paid_on")));
        }
        if p.paid_on > as_of {
            return Err(Error::new(ErrorKind::FutureDate(format!("paid on {}, after as_of {as_of}", p.paid_on)), at("paid_on")));
        }
        if let Some(id) = &p.id {
            if !ids.insert(id.as_str()) {
                return Err(Error::new(ErrorKind::DuplicateId(id.clone()), at("id")));
            }
        }
        pays.push((p.paid_on, i, c));
    }
    sort::sort_by_key(&mut pays, |&(d, i, _)| (d, i));

    // what each row owes, by part
    let mut owed: Vec<Parts> = Vec::with_capacity(s.installments.len());
    let mut due: Vec<i64> = Vec::with_capacity(s.installments.len());
    for (i, r) in s.installments.iter().enumerate() {
        let at = |f: &str| format!("schedule.installments[{i}].{f}");
        owed.push(Parts { interest: to_minor(mu, r.interest, &at("interest"))?, fee: to_minor(mu, r.fee, &at("fee"))?, principal: to_minor(mu, r.principal, &at("principal"))? });
        due.push(to_minor(mu, r.amount, &at("amount"))?);
    }
    let mut paid = vec![0i64; due.len()];
    let mut full_on: Vec<Option<Date>> = vec![None; due.len()];
    let mut credit = 0i64;
    let mut paid_total = 0i64;
    let mut k = 0usize;
    for &(date, _, amount) in &pays {
        paid_total = add(paid_total, amount, "payments")?;
        let mut left = amount;
        while left > 0 {
            let (Some(d), Some(p)) = (due.get(k), paid.get_mut(k)) else {
                credit = add(credit, left, "payments")?;
                break;
            };
            let take = left.min(d - *p);
            *p += take;
            left -= take;
            if d - *p <= tol {
                if let Some(f) = full_on.get_mut(k) {
                    f.get_or_insert(date);
                }
            }
            if *p >= *d {
                k += 1;
            }
        }
    }
    // rows paid within tolerance but never completed still count as paid; record the date
    let mut rows = Vec::with_capacity(due.len());
    let mut out = Parts::default();
    let (mut total_out, mut overdue) = (0i64, 0i64);
    let mut dpd = 0u32;
    let mut next_due: Option<NextDue> = None;
    for (i, r) in s.installments.iter().enumerate() {
        let (d, p) = (due.get(i).copied().unwrap_or(0), paid.get(i).copied().unwrap_or(0));
        let rest = sub(d, p, "installments")?;
        total_out = add(total_out, rest, "installments")?;
        // split what is still owed: payments went to interest, then fee, then principal
        let o = owed.get(i).copied().unwrap_or_default();
        let mut applied = p;
        let mut take = |part: i64| {
            let t = applied.min(part);
            applied -= t;
            part - t
        };
        out.interest += take(o.interest);
        out.fee += take(o.fee);
        out.principal += take(o.principal);
        let settled = rest <= tol;
        let status = if settled {
            InstallmentStatus::Paid
        } else if r.due_on < as_of {
            InstallmentStatus::Overdue
        } else if r.due_on.days_since(as_of) <= policy.reminder_days as i32 {
            InstallmentStatus::DueSoon
        } else {
            InstallmentStatus::Upcoming
        };
        let row_dpd = if status == InstallmentStatus::Overdue { as_of.days_since(r.due_on).max(0) as u32 } else { 0 };
        if status == InstallmentStatus::Overdue {
            overdue = add(overdue, rest, "installments")?;
            dpd = dpd.max(row_dpd);
        }
        if !settled && r.due_on >= as_of && next_due.is_none() {
            next_due = Some(NextDue { number: r.number, due_on: r.due_on, amount: from_minor(mu, rest) });
        }
        let fo = if settled { full_on.get(i).copied().flatten() } else { None };
        rows.push(InstallmentState {
            number: r.number,
            due_on: r.due_on,
            amount: from_minor(mu, d),
            paid: from_minor(mu, p),
            outstanding: from_minor(mu, rest),
            status,
            dpd: row_dpd,
            paid_on: fo,
            days_late: fo.map(|f| f.days_since(r.due_on).max(0) as u32),
        });
    }
    let all_paid = rows.iter().all(|r| r.status == InstallmentStatus::Paid);
    let reminder = rows.iter().find(|r| r.status == InstallmentStatus::DueSoon).map(|r| {
        let days = r.due_on.days_since(as_of).max(0) as u32;
        Reminder {
            number: r.number,
            due_on: r.due_on,
            amount: r.outstanding,
            days_until: days,
            message: if days == 0 {
                format!("Installment {} of {:.*} {} is due today.", r.number, mu.digits() as usize, r.outstanding, s.currency)
            } else {
                format!("Installment {} of {:.*} {} is due on {} (in {days} days).", r.number, mu.digits() as usize, r.outstanding, s.currency, r.due_on)
            },
        }
    });
    let status = if all_paid {
        LoanStatus::PaidOff
    } else if dpd > 0 {
        LoanStatus::PastDue
    } else if reminder.is_some() {
        LoanStatus::DueSoon
    } else {
        LoanStatus::Current
    };
    let stage = policy.stages.iter().rev().find(|st| dpd >= st.from_dpd).map_or("none", |st| st.stage.as_str());
    Ok(ServicingReport {
        schema: "merchant-credit/servicing@1".to_string(),
        loan_id: s.loan_id.clone(),
        as_of,
        currency: s.currency.clone(),
        status,
        dpd,
        bucket: bucket(dpd).to_string(),
        collection_stage: stage.to_string(),
        line_suspended: dpd > 0 && dpd >= policy.suspend_line_dpd,
        write_off_recommended: dpd > 0 && dpd >= policy.write_off_dpd,
        reminder,
        statement: Statement {
            principal_outstanding: from_minor(mu, out.principal),
            interest_outstanding: from_minor(mu, out.interest),
            fee_outstanding: from_minor(mu, out.fee),
            total_outstanding: from_minor(mu, total_out),
            overdue_amount: from_minor(mu, overdue),
            paid_to_date: from_minor(mu, paid_total),
            credit_balance: from_minor(mu, credit),
            next_due,
        },
        installments: rows,
    })
}

/// Services every loan of one seller. Two schedules with the same loan id are an error (a loan
/// scheduled twice would be collected twice), and so are loans in different currencies (the
/// totals add them up).
pub fn service_all(req: &PortfolioRequest, policy: &ServicingPolicy) -> Result<PortfolioReport> {
    let mut seen = std::collections::BTreeMap::new();
    let mut loans = Vec::with_capacity(req.loans.len());
    for (i, l) in req.loans.iter().enumerate() {
        if let Some(j) = seen.insert(l.schedule.loan_id.as_str(), i) {
            return Err(Error::new(
                ErrorKind::Servicing(format!("loan `{}` is scheduled twice (also loans[{j}]): overlapping schedules", l.schedule.loan_id)),
                format!("loans[{i}].schedule.loan_id"),
            ));
        }
        let one = ServicingRequest { as_of: req.as_of, schedule: l.schedule.clone(), payments: l.payments.clone() };
        loans.push(service(&one, policy).map_err(|e| e.within(&format!("loans[{i}]")))?);
    }
    // the totals add money, so they need one currency
    let currency = req.loans.first().map_or("CNY", |l| l.schedule.currency.as_str());
    if let Some(i) = req.loans.iter().position(|l| l.schedule.currency != currency) {
        return Err(Error::new(
            ErrorKind::Currency(format!("a portfolio's loans share one currency; loans[0] is in {currency}")),
            format!("loans[{i}].schedule.currency"),
        ));
    }
    let mu = MinorUnit::of(currency);
    let dpd = loans.iter().map(|l| l.dpd).max().unwrap_or(0);
    let (mut total, mut overdue) = (0i64, 0i64);
    for l in &loans {
        total = add(total, to_minor(mu, l.statement.total_outstanding, "loans")?, "loans")?;
        overdue = add(overdue, to_minor(mu, l.statement.overdue_amount, "loans")?, "loans")?;
    }
    Ok(PortfolioReport {
        as_of: req.as_of,
        dpd,
        bucket: bucket(dpd).to_string(),
        line_suspended: loans.iter().any(|l| l.line_suspended),
        write_off_recommended: loans.iter().filter(|l| l.write_off_recommended).map(|l| l.loan_id.clone()).collect(),
        total_outstanding: from_minor(mu, total),
        overdue_amount: from_minor(mu, overdue),
        loans,
    })
}
