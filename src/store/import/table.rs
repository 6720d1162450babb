//! The `generic` preset (one row per order, StoreData field names as columns) and the `mapping`
//! preset (the same, with user-chosen column names and status values).

use super::{Record, 
    check_id, csv_err, field, norm, parse_money_bytes, parse_rating_bytes, parse_status_bytes, parse_time_bytes, raw_field, read_row, text, ImportReport, Preset, Progress, Row, RowError, Sink,
    Source,
};
use crate::date::DayCache;
use crate::error::{Error, ErrorKind, Result};
use crate::store::{Money, Order, OrderStatus};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The order fields a CSV column can feed, in documentation order. `id`, `placed_at` and
/// `amount` are required.
pub const GENERIC_COLUMNS: [&str; 12] = [
    "id", "placed_at", "amount", "status", "refund_amount", "buyer_id", "ship_by", "promised_by", "shipped_at", "delivered_at", "rating", "currency",
];
const REQUIRED: [&str; 3] = ["id", "placed_at", "amount"];

/// A user-supplied layout: which column feeds which order field, and what the file's status
/// values mean.
///
/// ```
/// use merchant_credit::store::import::{import_csv, ColumnMapping, ImportOptions};
/// let mapping: ColumnMapping = serde_json::from_str(r#"{
///   "columns": {"id": "Order No", "placed_at": "Date", "amount": "Paid", "status": "State"},
///   "statuses": {"done": "delivered", "void": "cancelled"}
/// }"#).unwrap();
/// let csv = "Order No;Date;Paid;State\nA1;2025-03-01;12,50;done\nA2;2025-03-02;8;void\n";
/// let opts = ImportOptions { mapping: Some(mapping), currency: Some("EUR".into()), ..Default::default() };
/// let import = import_csv(csv.as_bytes(), &opts, &mut |_, _| {}).unwrap();
/// assert_eq!(import.store.orders[0].amount.0, 12.5);
/// assert_eq!(import.report.statuses["cancelled"], 1);
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnMapping {
    /// Order field (one of [`GENERIC_COLUMNS`]) to the column's header text (matched ignoring
    /// case, surrounding spaces, and `_` / `-` / space differences).
    pub columns: BTreeMap<String, String>,
    /// The file's status values (matched ignoring case) to order statuses; the common English
    /// and Chinese spellings are understood without it.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub statuses: BTreeMap<String, OrderStatus>,
    /// The status of every order when the file has no status column (default `delivered`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_status: Option<OrderStatus>,
}

impl ColumnMapping {
    /// The generic preset's mapping: every field from the column of the same name (`order_id`
    /// is accepted for `id`).
    pub fn generic() -> ColumnMapping {
        ColumnMapping { columns: GENERIC_COLUMNS.iter().map(|c| (c.to_string(), c.to_string())).collect(), ..Default::default() }
    }
}

/// Column indexes by field.
#[derive(Default)]
struct Cols {
    idx: [Option<usize>; 12],
}

const ID: usize = 0;
const PLACED: usize = 1;
const AMOUNT: usize = 2;
const STATUS: usize = 3;
const REFUND: usize = 4;
const BUYER: usize = 5;
const SHIP_BY: usize = 6;
const PROMISED: usize = 7;
const SHIPPED: usize = 8;
const DELIVERED: usize = 9;
const RATING: usize = 10;
const CURRENCY: usize = 11;

impl Cols {
    fn get(&self, f: usize) -> Option<usize> {
        self.idx.get(f).copied().flatten()
    }
}

pub(super) fn run(src: &Source<'_>, mapping: &ColumnMapping, preset: Preset, report: &mut ImportReport, sink: &mut Sink, prog: &mut Progress<'_>) -> Result<()> {
    let mut cols = Cols::default();
    for key in mapping.columns.keys() {
        if !GENERIC_COLUMNS.contains(&key.as_str()) {
            return Err(Error::new(
                ErrorKind::InvalidValue(format!("unknown order field `{key}` (expected one of {})", GENERIC_COLUMNS.join(", "))),
                format!("mapping.columns.{key}"),
            ));
        }
    }
    for (f, name) in GENERIC_COLUMNS.iter().enumerate() {
        let found = match mapping.columns.get(*name) {
            Some(col) => src.col(&norm(col)).or_else(|| if preset == Preset::Generic && *name == "id" { src.col("order_id") } else { None }),
            None => None,
        };
        if let Some(slot) = cols.idx.get_mut(f) {
            *slot = found;
        }
        if found.is_none() && REQUIRED.contains(name) {
            let col = mapping.columns.get(*name).map_or(*name, String::as_str);
            return Err(csv_err(
                format!("missing required column `{col}` (preset {}; columns found: {})", preset.as_str(), src.header.join(", ")),
                "line 1",
            ));
        }
    }
    let used: Vec<usize> = cols.idx.iter().flatten().copied().collect();
    let ignored: Vec<&str> = src.header.iter().enumerate().filter(|(i, h)| !used.contains(i) && !h.is_empty()).map(|(_, h)| h.as_str()).collect();
    if !ignored.is_empty() {
        report.notes.push(format!("columns not used: {}", ignored.join(", ")));
    }
    let default_status = mapping.default_status.unwrap_or(OrderStatus::Delivered);
    if cols.get(STATUS).is_none() {
        report.notes.push(format!("no status column: every order is taken as {}", default_status.as_str()));
    }
    let statuses: Vec<(String, OrderStatus)> = mapping.statuses.iter().map(|(k, v)| (k.trim().to_string(), *v)).collect();
    let width = src.header.len();
    let mut rdr = src.rows();
    let mut rec = src.record();
    let est = src.estimated_rows();
    sink.orders.reserve(est);
    sink.lines.reserve(est);
    // the last day read in each date column (placed_at, ship_by, promised_by, shipped_at, delivered_at)
    let mut days = [DayCache::default(); 5];
    loop {
        let line = match read_row(&mut rdr, &mut rec, width, None, report, prog) {
            Row::Ok(line) => line,
            Row::Skipped => continue,
            Row::End => break,
        };
        match row(&rec, &cols, &statuses, default_status, &mut days, sink, report) {
            Ok(o) => {
                sink.push(o, line);
            }
            Err(e) => {
                let col = e.column.and_then(|c| src.header.get(c)).map(String::as_str);
                report.skip(None, line, col, e.reason);
            }
        }
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn row(
    rec: &Record<'_>,
    cols: &Cols,
    statuses: &[(String, OrderStatus)],
    default_status: OrderStatus,
    days: &mut [DayCache; 5],
    sink: &mut Sink,
    report: &mut ImportReport,
) -> std::result::Result<Order, RowError> {
    let c = |f: usize| cols.get(f);
    let wrap = |f: usize| move |m: String| RowError { column: cols.get(f), reason: m };
    let [d_placed, d_ship_by, d_promised, d_shipped, d_delivered] = days;
    // every field is read as bytes; only the ones kept as text (ids) are checked for UTF-8, the
    // others are parsed from ASCII and go through the text parsers (and their UTF-8 check) otherwise
    let id = field(rec, c(ID))?;
    check_id(id, "order id").map_err(wrap(ID))?;
    let placed_at = parse_time_bytes(raw_field(rec, c(PLACED))?, d_placed).map_err(wrap(PLACED))?.ok_or_else(|| wrap(PLACED)("no order date".into()))?;
    let amount = parse_money_bytes(raw_field(rec, c(AMOUNT))?).map_err(wrap(AMOUNT))?.ok_or_else(|| wrap(AMOUNT)("no amount".into()))?;
    let status = match c(STATUS) {
        None => default_status,
        Some(_) => {
            let s = raw_field(rec, c(STATUS))?;
            match statuses.iter().find(|(k, _)| k.as_bytes().eq_ignore_ascii_case(s)).map(|(_, v)| *v).or_else(|| parse_status_bytes(s)) {
                Some(st) => st,
                None => {
                    let s = text(s).map_err(wrap(STATUS))?;
                    return Err(wrap(STATUS)(format!("unknown status `{s}` (give its meaning in the mapping's `statuses`)")));
                }
            }
        }
    };
    let refund_amount = parse_money_bytes(raw_field(rec, c(REFUND))?).map_err(wrap(REFUND))?.filter(|r| *r > 0.0).map(Money);
    let buyer = raw_field(rec, c(BUYER))?;
    let buyer_id = if buyer.is_empty() {
        None
    } else {
        let buyer = field(rec, c(BUYER))?;
        check_id(buyer, "buyer id").map_err(wrap(BUYER))?;
        Some(buyer.to_string())
    };
    let ship_by = parse_time_bytes(raw_field(rec, c(SHIP_BY))?, d_ship_by).map_err(wrap(SHIP_BY))?;
    let promised_by = parse_time_bytes(raw_field(rec, c(PROMISED))?, d_promised).map_err(wrap(PROMISED))?;
    let shipped_at = parse_time_bytes(raw_field(rec, c(SHIPPED))?, d_shipped).map_err(wrap(SHIPPED))?;
    let delivered_at = parse_time_bytes(raw_field(rec, c(DELIVERED))?, d_delivered).map_err(wrap(DELIVERED))?;
    let rating = parse_rating_bytes(raw_field(rec, c(RATING))?).map_err(wrap(RATING))?;
    if c(CURRENCY).is_some() {
        let cur = raw_field(rec, c(CURRENCY))?;
        sink.currency_bytes(cur, report).map_err(wrap(CURRENCY))?;
    }
    Ok(Order {
        id: id.to_string(),
        placed_at,
        amount: Money(amount),
        status,
        refund_amount,
        buyer_id,
        ship_by,
        promised_by,
        shipped_at,
        delivered_at,
        rating,
    })
}
