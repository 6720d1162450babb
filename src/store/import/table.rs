//! The `generic` preset (one row per order, StoreData field names as columns) and the `mapping`
//! preset (the same, with user-chosen column names and status values).

use super::{Record,
    check_id, csv_err, field, norm, parse_money_bytes, plain_decimal, parse_rating_bytes, parse_status_bytes, parse_time_bytes, raw_field, read_row, text, ImportReport, Preset, Progress, Row, RowError, Sink,
    Source,
};
use crate::date::{DayCache, Timestamp};
use crate::error::{Error, ErrorKind, Result};
use crate::store::{limits, Money, Order, OrderStatus};
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

    /// Parses a column mapping from JSON text (a mapping file, docs/import.md) as every contract
    /// is parsed: one JSON object, unknown fields refused, errors with the field's path.
    ///
    /// ```
    /// use merchant_credit::store::import::ColumnMapping;
    /// let m = ColumnMapping::from_json(r#"{"columns": {"id": "Order No", "amount": "Paid"}}"#).unwrap();
    /// assert_eq!(m.columns["amount"], "Paid");
    /// assert_eq!(ColumnMapping::from_json(r#"{"colums": {}}"#).unwrap_err().code(), "unknown_field");
    /// ```
    pub fn from_json(text: &str) -> Result<ColumnMapping> {
        crate::error::from_json_str(text)
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
    sink.reserve(est);
    // the last day read in each date column (placed_at, ship_by, promised_by, shipped_at, delivered_at)
    let mut days = [DayCache::default(); 5];
    loop {
        let line = match read_row(&mut rdr, &mut rec, width, None, report, prog) {
            Row::Ok(line) => line,
            Row::Skipped => continue,
            Row::End => break,
        };
        if let Some(o) = fast_row(&rec, &cols, &statuses, default_status, &mut days, sink) {
            sink.push(o, line);
            continue;
        }
        // anything the fast path does not decide: the full reading, with the reasons
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

/// [`row`] for the usual row, without its error plumbing: a record split in place, no field
/// to trim, fixed-width timestamps, plain decimal amounts, a known status, the store's currency.
/// `Some` only with the order [`row`] gives for the record, and then with the same effect on
/// `sink` (the currency count); `None` changes nothing (but the day caches, which only
/// remember a day already read) and leaves the record to [`row`], which accepts it or says why not.
#[inline]
fn fast_row(rec: &Record<'_>, cols: &Cols, statuses: &[(String, OrderStatus)], default_status: OrderStatus, days: &mut [DayCache; 5], sink: &mut Sink) -> Option<Order> {
    let (text, text_str, bounds) = rec.plain()?;
    let f = Plain { text, text_str, bounds, cols };
    let raw = |i: usize| f.raw(i);
    // a kept text field: visible ASCII at both ends, so `str` boundaries
    let id_text = |i: usize| f.text(i).filter(|s| s.len() <= limits::MAX_TEXT);
    let [d_placed, d_ship_by, d_promised, d_shipped, d_delivered] = days;
    let id = id_text(ID).filter(|s| !s.is_empty())?;
    let placed_at = time(raw(PLACED)?, d_placed)??;
    let amount = money(raw(AMOUNT)?)??;
    let status = match cols.get(STATUS) {
        None => default_status,
        Some(_) => {
            let s = raw(STATUS)?;
            statuses.iter().find(|(k, _)| k.as_bytes().eq_ignore_ascii_case(s)).map(|(_, v)| *v).or_else(|| parse_status_bytes(s))?
        }
    };
    let refund_amount = money(raw(REFUND)?)?.filter(|r| *r > 0.0).map(Money);
    let buyer_id = id_text(BUYER)?;
    let ship_by = time(raw(SHIP_BY)?, d_ship_by)?;
    let promised_by = time(raw(PROMISED)?, d_promised)?;
    let shipped_at = time(raw(SHIPPED)?, d_shipped)?;
    let delivered_at = time(raw(DELIVERED)?, d_delivered)?;
    let rating = match raw(RATING)? {
        [] => None,
        [d @ b'1'..=b'5'] => Some(d - b'0'),
        _ => return None,
    };
    // last, as the one change to `sink`: the store's currency again (or none given)
    if cols.get(CURRENCY).is_some() {
        let cur = raw(CURRENCY)?;
        if !cur.is_empty() {
            match (&sink.currency, &mut sink.currency_rows) {
                (Some(c), Some(n)) if c.as_bytes().eq_ignore_ascii_case(cur) => *n += 1,
                _ => return None,
            }
        }
    }
    Some(Order {
        id: id.to_string(),
        placed_at,
        amount: Money(amount),
        status,
        refund_amount,
        buyer_id: (!buyer_id.is_empty()).then(|| buyer_id.to_string()),
        ship_by,
        promised_by,
        shipped_at,
        delivered_at,
        rating,
    })
}

/// The fields of a record split in place, for [`fast_row`].
struct Plain<'a, 't> {
    text: &'t [u8],
    text_str: &'t str,
    bounds: &'a [(usize, usize)],
    cols: &'a Cols,
}

impl Plain<'_, '_> {
    /// The bounds of the column of field `f` when it needs no trimming (see [`raw_field`]);
    /// (0, 0) for an absent column.
    #[inline(always)]
    fn at(&self, f: usize) -> Option<(usize, usize)> {
        let Some(i) = self.cols.get(f) else { return Some((0, 0)) };
        let &(a, b) = self.bounds.get(i)?;
        let x = self.text.get(a..b)?;
        let visible = |c: Option<&u8>| c.is_some_and(|c| (0x21..0x7f).contains(c));
        (x.is_empty() || (visible(x.first()) && visible(x.last()))).then_some((a, b))
    }

    #[inline(always)]
    fn raw(&self, f: usize) -> Option<&[u8]> {
        self.at(f).and_then(|(a, b)| self.text.get(a..b))
    }

    #[inline(always)]
    fn text(&self, f: usize) -> Option<&str> {
        self.at(f).and_then(|(a, b)| self.text_str.get(a..b))
    }
}

/// An optional fixed-width timestamp ([`fast_row`]): `Some(None)` when empty, `None` when
/// not decided here.
#[inline(always)]
fn time(b: &[u8], day: &mut DayCache) -> Option<Option<Timestamp>> {
    if b.is_empty() {
        Some(None)
    } else {
        Timestamp::parse_fixed(b, true, day).map(Some)
    }
}

/// An optional plain decimal amount within the limit ([`fast_row`]): `Some(None)` when empty,
/// `None` when not decided here.
#[inline(always)]
fn money(b: &[u8]) -> Option<Option<f64>> {
    if b.is_empty() {
        Some(None)
    } else {
        plain_decimal(b).filter(|v| *v <= limits::MAX_AMOUNT).map(Some)
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::import::ImportOptions;

    /// Wherever the fast path decides a row, it gives the order [`row`] gives and leaves the
    /// sink as [`row`] does; rows over tricky values in every column, with and without a status
    /// mapping. (No quotes: a record holding one is read by the `csv` reader, and never fast.)
    #[test]
    fn fast_rows_read_as_row_does() {
        let long = "x".repeat(257);
        let times: &[&str] = &[
            "2025-01-02T03:04:05Z", "2025-01-02", "2025-01-02 03:04:05 +0800", "2025-01-02T03:04:05+01:00", "2025/1/2 3:04", "", "2025-13-01", " 2025-01-02",
            "30/06/2025", "2025-01-02T24:00:00Z", "2025-01-02t03:04:05z",
        ];
        let values: [&[&str]; 12] = [
            &["o1", "o2", " o3", "o4 ", "", &long, "é5", "a b", "o\t6"],
            times,
            &["12.5", "12.", ".5", "1,234.50", "$9", "", "-3", "1e3", "99999999999999.9", "10000000000001", "0.1234567890123456", "7", "007.50", "1.2.3"],
            &["delivered", "Delivered", "DONE", "done", "weird", "", "已完成", "cancelled", " shipped"],
            &["", "0", "5.00", "0.00", "abc", "20000000000000"],
            &["", "b1", " b2", &long, "b 3"],
            times,
            times,
            times,
            times,
            &["", "1", "5", "6", "4.0", "x", "0", " 3"],
            &["", "CNY", "cny", "USD", "C1", " CNY"],
        ];
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as usize
        };
        for with_statuses in [false, true] {
            let mut text = GENERIC_COLUMNS.join(",");
            text.push('\n');
            for _ in 0..20_000 {
                // the first value of each column (a usual one) three times in four
                let row: Vec<&str> = values.iter().map(|v| v[if next() % 4 == 0 { next() % v.len() } else { 0 }]).collect();
                text.push_str(&row.join(","));
                text.push('\n');
            }
            let src = Source::open(text.as_bytes(), &ImportOptions::default(), "").unwrap();
            let cols = Cols { idx: std::array::from_fn(Some) };
            let statuses: Vec<(String, OrderStatus)> = if with_statuses { vec![("Done".into(), OrderStatus::Delivered)] } else { Vec::new() };
            let mut report = ImportReport::new(Preset::Generic, true);
            let (mut fast_sink, mut full_sink) = (Sink::default(), Sink::default());
            let (mut fast_days, mut full_days) = ([DayCache::default(); 5], [DayCache::default(); 5]);
            let (mut rdr, mut rec) = (src.rows(), src.record());
            let (mut fast, mut rows) = (0, 0);
            while let Ok(Some(_)) = rdr.next(&mut rec) {
                if rec.len() != GENERIC_COLUMNS.len() {
                    continue;
                }
                rows += 1;
                let full = row(&rec, &cols, &statuses, OrderStatus::Delivered, &mut full_days, &mut full_sink, &mut report).ok();
                match fast_row(&rec, &cols, &statuses, OrderStatus::Delivered, &mut fast_days, &mut fast_sink) {
                    Some(o) => {
                        fast += 1;
                        assert_eq!(Some(o), full);
                    }
                    None => {
                        let _ = row(&rec, &cols, &statuses, OrderStatus::Delivered, &mut fast_days, &mut fast_sink, &mut report);
                    }
                }
                assert_eq!((&fast_sink.currency, fast_sink.currency_rows), (&full_sink.currency, full_sink.currency_rows));
            }
            // the fast path decided a fair share of the rows
            assert!(rows > 10_000 && fast > 1_000, "{fast} of {rows}");
        }
    }
}
