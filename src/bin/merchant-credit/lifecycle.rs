//! `monitor`, `schedule`, `servicing`: the loan lifecycle (see docs/lifecycle.md).

use crate::common::{load_engine, read_text, write_out, CliError, CliResult};
use clap::Args;
use merchant_credit::date::Date;
use merchant_credit::lifecycle::{self, MonitorRequest, PortfolioRequest, ScheduleRequest, SeriesRequest, ServicingRequest};
use merchant_credit::model::ProductKind;
use merchant_credit::Decision;
use serde::Serialize;
use std::path::PathBuf;

fn json<T: Serialize>(v: &T, pretty: bool) -> String {
    if pretty { serde_json::to_string_pretty(v) } else { serde_json::to_string(v) }.unwrap_or_default()
}

fn has_key(text: &str, key: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(text).ok().is_some_and(|v| v.get(key).is_some())
}

#[derive(Args, Debug)]
pub struct MonitorArgs {
    /// A monitor request `{"store", "previous"?, "line"?, "outstanding"?}` or a series
    /// `{"snapshots": [{"store", "outstanding"?}, ...], "line"?}` (`-` for stdin).
    pub file: PathBuf,
    /// Model JSON (default: the embedded default model).
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// Leave the fresh decisions out of the output (signals and lines only).
    #[arg(long)]
    pub brief: bool,
    /// Indent the output.
    #[arg(long)]
    pub pretty: bool,
}

/// Prints a monitoring report (or, for a series, a JSON array of them, oldest first).
pub fn monitor(a: MonitorArgs) -> CliResult {
    let engine = load_engine(a.model.as_deref())?;
    let text = read_text(&a.file)?;
    let file = a.file.display().to_string();
    let reports = if has_key(&text, "snapshots") {
        let req: SeriesRequest = lifecycle::from_json(&text).map_err(|e| CliError::input(&file, e))?;
        lifecycle::monitor_series(&engine, &req).map_err(|e| CliError::input(&file, e))?
    } else {
        let req: MonitorRequest = lifecycle::from_json(&text).map_err(|e| CliError::input(&file, e))?;
        vec![lifecycle::monitor(&engine, &req).map_err(|e| CliError::input(&file, e))?]
    };
    let values: Vec<serde_json::Value> = reports
        .iter()
        .map(|r| {
            let mut v = serde_json::to_value(r).unwrap_or_default();
            if a.brief {
                if let Some(o) = v.as_object_mut() {
                    o.remove("decision");
                }
            }
            v
        })
        .collect();
    let out = if has_key(&text, "snapshots") { json(&values, a.pretty) } else { values.first().map(|v| json(v, a.pretty)).unwrap_or_default() };
    write_out(None, &out)
}

#[derive(Args, Debug)]
pub struct ScheduleArgs {
    /// A schedule request (`{"method", "principal", "start", ...}`), or omit it and use --decision.
    pub file: Option<PathBuf>,
    /// Schedule an offer of this Decision JSON instead.
    #[arg(long, requires = "start")]
    pub decision: Option<PathBuf>,
    /// The offer's product (default: the decision's first offer).
    #[arg(long, value_parser = parse_product)]
    pub product: Option<ProductKind>,
    /// Disbursement date for --decision.
    #[arg(long, value_parser = parse_date)]
    pub start: Option<Date>,
    /// Loan id for --decision.
    #[arg(long, default_value = "loan")]
    pub loan_id: String,
    /// Model JSON (its lifecycle policy sets the holdback period and minimum).
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// Indent the output.
    #[arg(long)]
    pub pretty: bool,
}

fn parse_date(s: &str) -> Result<Date, String> {
    Date::parse(s).ok_or_else(|| format!("`{s}` is not a date like 2025-07-01"))
}

fn parse_product(s: &str) -> Result<ProductKind, String> {
    serde_json::from_value(serde_json::Value::String(s.replace('-', "_"))).map_err(|_| format!("`{s}`: expected purchase_financing, receivables_advance or working_capital"))
}

/// Prints a repayment schedule with its APR.
pub fn schedule(a: ScheduleArgs) -> CliResult {
    let engine = load_engine(a.model.as_deref())?;
    let policy = engine.model().lifecycle.clone().unwrap_or_default();
    let (req, file) = match (&a.file, &a.decision) {
        (Some(f), None) => {
            let file = f.display().to_string();
            let text = read_text(f)?;
            (lifecycle::from_json::<ScheduleRequest>(&text).map_err(|e| CliError::input(&file, e))?, file)
        }
        (None, Some(dp)) => {
            let file = dp.display().to_string();
            let d: Decision = lifecycle::from_json(&read_text(dp)?).map_err(|e| CliError::input(&file, e))?;
            let offer = match a.product {
                Some(p) => d.offers.iter().find(|o| o.product == p),
                None => d.offers.first(),
            }
            .ok_or_else(|| CliError::Usage(format!("{file}: the decision has no {} offer", a.product.map_or("", |p| p.as_str()))))?;
            let daily = d.features.num("avg_monthly_net_sales_3m").map(|m| m / 30.4375);
            let start = a.start.ok_or_else(|| CliError::Usage("--start is required with --decision".into()))?;
            (ScheduleRequest::from_offer(offer, &a.loan_id, &d.credit_line.currency, start, daily), file)
        }
        _ => return Err(CliError::Usage("give a schedule request FILE, or --decision D.json --start DATE".into())),
    };
    let s = lifecycle::schedule(&req, &policy.schedule).map_err(|e| CliError::input(&file, e))?;
    write_out(None, &json(&s, a.pretty))
}

#[derive(Args, Debug)]
pub struct ServicingArgs {
    /// `{"as_of", "schedule", "payments"}` for one loan, or `{"as_of", "loans": [{"schedule", "payments"}]}`.
    pub file: PathBuf,
    /// Model JSON (its lifecycle policy sets stages, suspension and write-off).
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// Indent the output.
    #[arg(long)]
    pub pretty: bool,
}

/// Prints the servicing state of a loan (or of all of a seller's loans).
pub fn servicing(a: ServicingArgs) -> CliResult {
    let engine = load_engine(a.model.as_deref())?;
    let policy = engine.model().lifecycle.clone().unwrap_or_default();
    let text = read_text(&a.file)?;
    let file = a.file.display().to_string();
    let out = if has_key(&text, "loans") {
        let req: PortfolioRequest = lifecycle::from_json(&text).map_err(|e| CliError::input(&file, e))?;
        json(&lifecycle::service_all(&req, &policy.servicing).map_err(|e| CliError::input(&file, e))?, a.pretty)
    } else {
        let req: ServicingRequest = lifecycle::from_json(&text).map_err(|e| CliError::input(&file, e))?;
        json(&lifecycle::service(&req, &policy.servicing).map_err(|e| CliError::input(&file, e))?, a.pretty)
    };
    write_out(None, &out)
}
