//! Reassessment: the new line from the previous one, the fresh decision and the signals.
//!
//! Raise slowly, cut or freeze fast:
//! * a `freeze` signal, or a fresh decision of `decline`, freezes the line at once: no new
//!   drawdowns, and the line is held at no more than the fresh decision's line;
//! * a `reduce` signal cuts the line at once by at least the policy's `reduce_cut`, and never
//!   leaves it above the fresh line; a fresh line below the current one is followed at once too;
//! * a `review` signal holds the line;
//! * with no signal at all the period is clean. After `clean_periods` clean periods in a row a
//!   frozen line is unfrozen, and then the line may rise by at most `max_increase` per period
//!   (at most once per `period_days`), never above the fresh decision's line. A line at zero
//!   reopens at `reopen_share` of the fresh line.
//!
//! Every change carries its reasons. Amounts are rounded down to the model's rounding step for
//! the currency.

use super::{Action, ReassessmentPolicy, Signal};
use crate::date::Date;
use crate::decision::{Decision, Outcome};
use crate::error::{Error, ErrorKind, Result};
use crate::sort;
use serde::{Deserialize, Serialize};

/// The state of a seller's line between reassessments.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LineState {
    /// The line.
    pub amount: f64,
    /// True while no new drawdowns are allowed.
    #[serde(default)]
    pub frozen: bool,
    /// Clean periods (no signal) in a row so far.
    #[serde(default)]
    pub clean_periods: u32,
    /// When the line was last raised.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_increase_on: Option<Date>,
    /// When this state was set.
    pub as_of: Date,
}

impl LineState {
    /// The state a fresh decision opens: its line, unfrozen.
    pub fn from_decision(d: &Decision) -> LineState {
        LineState { amount: d.credit_line.amount, frozen: d.decision == Outcome::Decline, clean_periods: 0, last_increase_on: None, as_of: d.as_of }
    }
}

/// How the line moved.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineChange {
    /// Raised.
    Increase,
    /// Unchanged.
    Hold,
    /// Cut.
    Decrease,
    /// Frozen (no new drawdowns).
    Freeze,
    /// Unfrozen after enough clean periods.
    Unfreeze,
}

/// One reason for a line change.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LineReason {
    /// A signal code, or `fresh_decision`, `clean_periods`, `increase_cap`, `period`.
    pub code: String,
    /// Plain words.
    pub message: String,
}

/// The outcome of a reassessment.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reassessment {
    /// The line before.
    pub previous_line: f64,
    /// What the fresh decision alone would allow.
    pub fresh_line: f64,
    /// The line now.
    pub new_line: f64,
    /// What can still be drawn: `new_line - outstanding`, 0 when frozen.
    pub available: f64,
    /// increase | hold | decrease | freeze | unfreeze.
    pub change: LineChange,
    /// Why, most important first.
    pub reasons: Vec<LineReason>,
    /// The state to carry to the next period.
    pub state: LineState,
}

fn floor_to(x: f64, step: f64) -> f64 {
    let cents = libm::floor(x * 100.0 + 1e-6);
    let step_c = libm::round(step * 100.0);
    let c = if step_c >= 1.0 { libm::floor(cents / step_c) * step_c } else { cents };
    c / 100.0
}

fn reason(code: &str, message: String) -> LineReason {
    LineReason { code: code.to_string(), message }
}

/// Reassesses a line. `rounding` is the model's rounding step for the currency (1 when none),
/// `outstanding` the balance drawn.
///
/// Errors when the previous state is dated after the fresh decision, or holds a negative or
/// non-finite amount.
pub fn reassess(prev: &LineState, fresh: &Decision, signals: &[Signal], outstanding: f64, policy: &ReassessmentPolicy, rounding: f64) -> Result<Reassessment> {
    if !(prev.amount.is_finite() && prev.amount >= 0.0) {
        return Err(Error::new(ErrorKind::NegativeAmount(prev.amount), "line.amount"));
    }
    if !(outstanding.is_finite() && outstanding >= 0.0) {
        return Err(Error::new(ErrorKind::NegativeAmount(outstanding), "outstanding"));
    }
    if prev.as_of > fresh.as_of {
        return Err(Error::new(ErrorKind::DateOrder(format!("the line state of {} is after the decision of {}", prev.as_of, fresh.as_of)), "line.as_of"));
    }
    let step = if rounding.is_finite() && rounding > 0.0 { rounding } else { 1.0 };
    let fresh_line = fresh.credit_line.amount.max(0.0);
    let worst = signals.iter().map(|s| s.action).max();
    let declined = fresh.decision == Outcome::Decline;
    let mut reasons: Vec<LineReason> = Vec::new();
    let mut sorted: Vec<&Signal> = signals.iter().collect();
    sort::sort_by(&mut sorted, |a, b| b.action.cmp(&a.action).then_with(|| a.code.cmp(&b.code)));
    for s in &sorted {
        reasons.push(reason(&s.code, s.message.clone()));
    }
    let mut state = LineState { amount: prev.amount, frozen: prev.frozen, clean_periods: 0, last_increase_on: prev.last_increase_on, as_of: fresh.as_of };
    let change;
    if declined || worst == Some(Action::Freeze) {
        if declined && !signals.iter().any(|s| s.code == "decision_decline") {
            reasons.insert(0, reason("fresh_decision", "The fresh decision is decline.".to_string()));
        }
        state.amount = floor_to(prev.amount.min(fresh_line), step);
        state.frozen = true;
        change = if prev.frozen && state.amount == prev.amount { LineChange::Hold } else { LineChange::Freeze };
    } else if worst == Some(Action::Reduce) {
        let cut = prev.amount * (1.0 - policy.reduce_cut);
        state.amount = floor_to(cut.min(fresh_line), step);
        change = LineChange::Decrease;
    } else if fresh_line < prev.amount {
        reasons.push(reason("fresh_decision", format!("The fresh decision supports a line of {fresh_line:.2}, below the current {:.2}.", prev.amount)));
        state.amount = floor_to(fresh_line, step);
        change = LineChange::Decrease;
    } else if worst == Some(Action::Review) {
        change = LineChange::Hold;
    } else {
        // a clean period
        state.clean_periods = prev.clean_periods.saturating_add(1);
        let enough = state.clean_periods >= policy.clean_periods;
        let period_ok = prev.last_increase_on.is_none_or(|d| fresh.as_of.days_since(d) >= policy.period_days as i32);
        if prev.frozen {
            if enough {
                state.frozen = false;
                change = LineChange::Unfreeze;
                reasons.push(reason("clean_periods", format!("{} clean periods in a row: the line is unfrozen.", state.clean_periods)));
            } else {
                change = LineChange::Hold;
                reasons.push(reason("clean_periods", format!("{} of {} clean periods needed before the line is unfrozen.", state.clean_periods, policy.clean_periods)));
            }
        } else if fresh_line > prev.amount && enough && period_ok {
            let target = if prev.amount > 0.0 {
                let capped = prev.amount * (1.0 + policy.max_increase);
                if capped < fresh_line {
                    reasons.push(reason(
                        "increase_cap",
                        format!("Raised by the largest step allowed per period ({:.0}%); the fresh decision supports {fresh_line:.2}.", policy.max_increase * 100.0),
                    ));
                }
                capped.min(fresh_line)
            } else {
                reasons.push(reason("clean_periods", format!("{} clean periods in a row: the line reopens at {:.0}% of the fresh line.", state.clean_periods, policy.reopen_share * 100.0)));
                fresh_line * policy.reopen_share
            };
            let target = floor_to(target, step);
            if target > prev.amount {
                state.amount = target;
                state.last_increase_on = Some(fresh.as_of);
                change = LineChange::Increase;
                reasons.insert(0, reason("clean_periods", format!("{} clean periods in a row.", state.clean_periods)));
            } else {
                change = LineChange::Hold;
            }
        } else {
            if fresh_line > prev.amount {
                let why = if !enough {
                    format!("{} of {} clean periods needed before an increase.", state.clean_periods, policy.clean_periods)
                } else {
                    format!("At most one increase per {} days.", policy.period_days)
                };
                reasons.push(reason(if enough { "period" } else { "clean_periods" }, why));
            }
            change = LineChange::Hold;
        }
    }
    let change = match change {
        LineChange::Decrease if state.amount >= prev.amount => LineChange::Hold,
        c => c,
    };
    let available = if state.frozen { 0.0 } else { (state.amount - outstanding).max(0.0) };
    Ok(Reassessment {
        previous_line: prev.amount,
        fresh_line,
        new_line: state.amount,
        available: libm::round(available * 100.0) / 100.0,
        change,
        reasons,
        state,
    })
}
