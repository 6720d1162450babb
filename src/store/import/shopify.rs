//! The `shopify` preset: Shopify's order export, one row per line item. The order's own fields
//! (`Name`, `Email`, `Financial Status`, `Fulfillment Status`, `Currency`, `Total`, `Refunded
//! Amount`, `Created at`, `Paid at`, `Fulfilled at`, `Cancelled at`) are on its first row; the
//! rows after it with the same `Name` carry only line items.
//!
//! Status: `Cancelled at` set or financial status `voided` -> cancelled; `refunded` -> refunded
//! (refund = `Refunded Amount`, or the total); fulfillment `fulfilled` -> delivered (Shopify
//! exports no delivery date: a fulfilled order is complete from the seller's side), `partial` ->
//! shipped, otherwise pending. `partially_refunded` keeps the fulfillment status and carries the
//! refund. The buyer is a pseudonym of the e-mail (see [`buyer_pseudonym`]).

use super::{Record, check_id, csv_err, field, text_field, parse_money_bytes, parse_time_bytes, raw_field, read_row, ImportReport, Progress, Row, RowError, Sink, Source};
use crate::date::DayCache;
use crate::error::Result;
use crate::store::{Money, Order, OrderStatus};
use sha2::{Digest, Sha256};

struct Cols {
    name: usize,
    created: usize,
    total: usize,
    financial: usize,
    fulfillment: Option<usize>,
    currency: Option<usize>,
    refunded: Option<usize>,
    fulfilled_at: Option<usize>,
    cancelled_at: Option<usize>,
    email: Option<usize>,
}

/// A stable pseudonym for a buyer's e-mail (first 16 hex digits of the SHA-256 of the trimmed,
/// lower-cased address), so the store carries no personal data yet repeat buyers are counted.
///
/// ```
/// use merchant_credit::store::import::shopify_buyer_pseudonym as p;
/// assert_eq!(p(" Ann@Example.com"), p("ann@example.com"));
/// assert_eq!(p("ann@example.com").len(), 16);
/// ```
pub fn buyer_pseudonym(email: &str) -> String {
    pseudonym(email.trim().as_bytes())
}

/// [`buyer_pseudonym`] of an address already trimmed.
fn pseudonym(email: &[u8]) -> String {
    let mut h = Sha256::new();
    // lower-cased a block at a time (the digest is the same as byte by byte, much faster)
    let mut buf = [0u8; 64];
    for chunk in email.chunks(64) {
        let part = buf.get_mut(..chunk.len()).unwrap_or_default();
        for (d, s) in part.iter_mut().zip(chunk) {
            *d = s.to_ascii_lowercase();
        }
        h.update(&*part);
    }
    // the first 8 bytes of the digest, as lower-case hex
    crate::receipt::hex(h.finalize().get(..8).unwrap_or_default())
}

pub(super) fn run(src: &Source<'_>, report: &mut ImportReport, sink: &mut Sink, prog: &mut Progress<'_>) -> Result<()> {
    let need = |n: &str, shown: &str| {
        src.col(n).ok_or_else(|| csv_err(format!("missing required column `{shown}` (preset shopify; columns found: {})", src.header.join(", ")), "line 1"))
    };
    let cols = Cols {
        name: need("name", "Name")?,
        created: need("created_at", "Created at")?,
        total: need("total", "Total")?,
        financial: need("financial_status", "Financial Status")?,
        fulfillment: src.col("fulfillment_status"),
        currency: src.col("currency"),
        refunded: src.col("refunded_amount"),
        fulfilled_at: src.col("fulfilled_at"),
        cancelled_at: src.col("cancelled_at"),
        email: src.col("email"),
    };
    let width = src.header.len();
    let mut rdr = src.rows();
    let mut rec = src.record();
    // a row per line item: fewer orders than rows, never more
    let est = src.estimated_rows();
    sink.reserve(est);
    // the order whose line items are being read (its Name), and how many line-item rows it had
    let mut current = String::new();
    // the last day read in Created at, Cancelled at and Fulfilled at
    let mut days = [DayCache::default(); 3];
    let mut line_items = 0u64;
    loop {
        let line = match read_row(&mut rdr, &mut rec, width, None, report, prog) {
            Row::Ok(line) => line,
            Row::Skipped => continue,
            Row::End => break,
        };
        // a line item of the current order (the usual second row) is recognized on the bytes
        let name = raw_field(&rec, Some(cols.name)).unwrap_or_default();
        if !name.is_empty() && name == current.as_bytes() {
            line_items += 1;
            continue;
        }
        let name = match field(&rec, Some(cols.name)) {
            Ok(n) if !n.is_empty() => n,
            _ => {
                report.skip(None, line, Some("Name"), "no order name");
                continue;
            }
        };
        // (a Created at that is not text counts as empty, as it always has)
        if text_field(&rec, Some(cols.created)).map_or(true, <[u8]>::is_empty) {
            // a line-item row whose order's first row is not directly above it
            report.skip(None, line, Some("Created at"), format!("line item of order {name}, whose first row (with the order's fields) is not directly above"));
            continue;
        }
        current.clear();
        current.push_str(name);
        line_items += 1;
        match order(&rec, &cols, name, &mut days, sink, report) {
            Ok(o) => {
                sink.push(o, line);
            }
            Err(e) => {
                let col = e.column.and_then(|c| src.header.get(c)).map(String::as_str);
                report.skip(None, line, col, e.reason);
                // its line items must not be read as orders of their own
            }
        }
    }
    report.notes.push(format!("{} line-item rows folded into {} orders", line_items, sink.orders.len()));
    if cols.email.is_none() {
        report.notes.push("no Email column: buyers cannot be told apart".into());
    }
    Ok(())
}

fn order(rec: &Record<'_>, c: &Cols, name: &str, days: &mut [DayCache; 3], sink: &mut Sink, report: &mut ImportReport) -> std::result::Result<Order, RowError> {
    let [d_created, d_cancelled, d_fulfilled] = days;
    check_id(name, "order name").map_err(|m| RowError::at(c.name, m))?;
    let placed_at = parse_time_bytes(raw_field(rec, Some(c.created))?, d_created).map_err(|m| RowError::at(c.created, m))?.ok_or_else(|| RowError::at(c.created, "no order date"))?;
    let total = parse_money_bytes(raw_field(rec, Some(c.total))?).map_err(|m| RowError::at(c.total, m))?.ok_or_else(|| RowError::at(c.total, "no total"))?;
    let refunded = match c.refunded {
        Some(i) => parse_money_bytes(raw_field(rec, Some(i))?).map_err(|m| RowError::at(i, m))?.unwrap_or(0.0),
        None => 0.0,
    };
    let financial = text_field(rec, Some(c.financial))?;
    let fulfillment = text_field(rec, c.fulfillment)?;
    let cancelled_at = match c.cancelled_at {
        Some(i) => parse_time_bytes(raw_field(rec, Some(i))?, d_cancelled).map_err(|m| RowError::at(i, m))?,
        None => None,
    };
    let fulfilled_at = match c.fulfilled_at {
        Some(i) => parse_time_bytes(raw_field(rec, Some(i))?, d_fulfilled).map_err(|m| RowError::at(i, m))?,
        None => None,
    };
    if let Some(i) = c.currency {
        let cur = raw_field(rec, Some(i))?;
        sink.currency_bytes(cur, report).map_err(|m| RowError::at(i, m))?;
    }
    let by_fulfillment = if fulfillment.eq_ignore_ascii_case(b"fulfilled") {
        OrderStatus::Delivered
    } else if fulfillment.eq_ignore_ascii_case(b"partial") || fulfilled_at.is_some() {
        OrderStatus::Shipped
    } else {
        OrderStatus::Pending
    };
    let (status, refund) = if cancelled_at.is_some() || financial.eq_ignore_ascii_case(b"voided") {
        (OrderStatus::Cancelled, None)
    } else if financial.eq_ignore_ascii_case(b"refunded") {
        (OrderStatus::Refunded, Some(if refunded > 0.0 { refunded } else { total }))
    } else {
        (by_fulfillment, (refunded > 0.0).then_some(refunded))
    };
    let buyer_id = match c.email {
        Some(i) => {
            let e = text_field(rec, Some(i))?;
            (!e.is_empty()).then(|| pseudonym(e))
        }
        None => None,
    };
    Ok(Order {
        id: name.to_string(),
        placed_at,
        amount: Money(total),
        status,
        refund_amount: refund.map(Money),
        buyer_id,
        ship_by: None,
        promised_by: None,
        shipped_at: if status == OrderStatus::Cancelled { None } else { fulfilled_at },
        delivered_at: None,
        rating: None,
    })
}
