//! A fast writer of a store's canonical JSON (RFC 8785), byte-identical to the generic
//! [`crate::receipt::canonical_json`].
//!
//! The receipt hashes the canonical input on every evaluation. The generic path writes compact
//! JSON and then re-sorts every object's members; for the orders and the monthly summaries, the
//! large collections (a store has one or the other or both), that is a second pass over most of
//! the input, so they are written here by hand with their keys already in sorted order; every
//! other part of the store goes through the generic path.
//! `tests/canonical.rs` checks the writers agree on every example and synthetic store.

use super::{MonthlySummary, Order, StoreData};
use crate::receipt::canonical_json;
use serde::Serialize;

/// Appends `"key":` and the canonical JSON of `value`.
fn field<T: Serialize>(out: &mut Vec<u8>, first: &mut bool, key: &str, value: &T) {
    member(out, first, key);
    out.extend_from_slice(&canonical_json(value));
}

fn sep(out: &mut Vec<u8>, first: &mut bool) {
    if !*first {
        out.push(b',');
    }
    *first = false;
}

/// The separator (unless first) and the key of a member: `,"key":`.
fn member(out: &mut Vec<u8>, first: &mut bool, key: &str) {
    sep(out, first);
    string(out, key);
    out.push(b':');
}

/// A JSON string, escaped exactly as serde_json (and RFC 8785) escape it.
fn string(out: &mut Vec<u8>, s: &str) {
    if crate::bytes::json_plain(s.as_bytes()) {
        out.push(b'"');
        crate::bytes::extend(out, s.as_bytes());
        out.push(b'"');
    } else {
        // serde_json escapes exactly as RFC 8785 does; writing into a Vec never fails
        let _ = serde_json::to_writer(&mut *out, s);
    }
}

fn number(out: &mut Vec<u8>, x: f64) {
    crate::bytes::extend(out, crate::receipt::NumberBuf::new().format(x));
}

fn display(out: &mut Vec<u8>, t: &crate::date::Timestamp) {
    out.push(b'"');
    t.write_iso(out);
    out.push(b'"');
}

fn order(out: &mut Vec<u8>, o: &Order) {
    // keys in sorted order; optional fields are skipped when absent, as serde skips them
    out.push(b'{');
    let mut first = true;
    member(out, &mut first, "amount");
    number(out, o.amount.0);
    if let Some(b) = &o.buyer_id {
        member(out, &mut first, "buyer_id");
        string(out, b);
    }
    if let Some(t) = o.delivered_at {
        member(out, &mut first, "delivered_at");
        display(out, &t);
    }
    member(out, &mut first, "id");
    string(out, &o.id);
    member(out, &mut first, "placed_at");
    display(out, &o.placed_at);
    if let Some(t) = o.promised_by {
        member(out, &mut first, "promised_by");
        display(out, &t);
    }
    if let Some(r) = o.rating {
        member(out, &mut first, "rating");
        uint(out, r.into());
    }
    if let Some(r) = o.refund_amount {
        member(out, &mut first, "refund_amount");
        number(out, r.0);
    }
    if let Some(t) = o.ship_by {
        member(out, &mut first, "ship_by");
        display(out, &t);
    }
    if let Some(t) = o.shipped_at {
        member(out, &mut first, "shipped_at");
        display(out, &t);
    }
    member(out, &mut first, "status");
    string(out, o.status.as_str());
    out.push(b'}');
}

fn uint(out: &mut Vec<u8>, n: u32) {
    let mut digits = [0u8; 10];
    let start = crate::receipt::put_decimal(&mut digits, 10, n.into());
    crate::bytes::extend(out, digits.get(start..).unwrap_or_default());
}

fn month(out: &mut Vec<u8>, m: &MonthlySummary) {
    // keys in sorted order, as for orders
    out.push(b'{');
    let mut first = true;
    if let Some(b) = m.buyers {
        member(out, &mut first, "buyers");
        uint(out, b);
    }
    if let Some(c) = m.cancellations {
        member(out, &mut first, "cancellations");
        number(out, c.0);
    }
    if let Some(d) = m.disputes {
        member(out, &mut first, "disputes");
        uint(out, d);
    }
    member(out, &mut first, "gmv");
    number(out, m.gmv.0);
    member(out, &mut first, "month");
    out.push(b'"');
    m.month.write_iso(out);
    out.push(b'"');
    member(out, &mut first, "orders");
    uint(out, m.orders);
    if let Some(r) = m.rating {
        member(out, &mut first, "rating");
        number(out, r.0);
    }
    if let Some(r) = m.refunds {
        member(out, &mut first, "refunds");
        number(out, r.0);
    }
    out.push(b'}');
}

/// A member whose value is an array written by hand, element by element.
fn array<T>(out: &mut Vec<u8>, first: &mut bool, key: &str, items: &[T], write: fn(&mut Vec<u8>, &T)) {
    member(out, first, key);
    out.push(b'[');
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write(out, item);
    }
    out.push(b']');
}

/// The canonical JSON of a store.
pub(crate) fn store(s: &StoreData) -> Vec<u8> {
    let mut out = Vec::with_capacity(128 + s.orders.len() * 220);
    out.push(b'{');
    let mut first = true;
    // top-level keys in sorted order: $schema as_of currency liabilities merchant monthly orders
    // owner receivables repayments (skipped when absent or empty, as serde skips them)
    if let Some(x) = &s.schema {
        field(&mut out, &mut first, "$schema", x);
    }
    field(&mut out, &mut first, "as_of", &s.as_of);
    field(&mut out, &mut first, "currency", &s.currency);
    if !s.liabilities.is_empty() {
        field(&mut out, &mut first, "liabilities", &s.liabilities);
    }
    field(&mut out, &mut first, "merchant", &s.merchant);
    if !s.monthly.is_empty() {
        array(&mut out, &mut first, "monthly", &s.monthly, month);
    }
    if !s.orders.is_empty() {
        array(&mut out, &mut first, "orders", &s.orders, order);
    }
    if let Some(x) = &s.owner {
        field(&mut out, &mut first, "owner", x);
    }
    if !s.receivables.is_empty() {
        field(&mut out, &mut first, "receivables", &s.receivables);
    }
    if !s.repayments.is_empty() {
        field(&mut out, &mut first, "repayments", &s.repayments);
    }
    out.push(b'}');
    out
}

