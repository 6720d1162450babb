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
    sep(out, first);
    key_str(out, key);
    out.extend_from_slice(&canonical_json(value));
}

fn sep(out: &mut Vec<u8>, first: &mut bool) {
    if !*first {
        out.push(b',');
    }
    *first = false;
}

fn key_str(out: &mut Vec<u8>, key: &str) {
    string(out, key);
    out.push(b':');
}

/// A JSON string, escaped exactly as serde_json (and RFC 8785) escape it.
fn string(out: &mut Vec<u8>, s: &str) {
    if crate::bytes::json_plain(s.as_bytes()) {
        out.push(b'"');
        out.extend_from_slice(s.as_bytes());
        out.push(b'"');
    } else {
        // serde_json escapes exactly as RFC 8785 does; writing into a Vec never fails
        let _ = serde_json::to_writer(&mut *out, s);
    }
}

fn number(out: &mut Vec<u8>, x: f64) {
    out.extend_from_slice(crate::receipt::NumberBuf::new().format(x));
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
    sep(out, &mut first);
    key_str(out, "amount");
    number(out, o.amount.0);
    if let Some(b) = &o.buyer_id {
        sep(out, &mut first);
        key_str(out, "buyer_id");
        string(out, b);
    }
    if let Some(t) = o.delivered_at {
        sep(out, &mut first);
        key_str(out, "delivered_at");
        display(out, &t);
    }
    sep(out, &mut first);
    key_str(out, "id");
    string(out, &o.id);
    sep(out, &mut first);
    key_str(out, "placed_at");
    display(out, &o.placed_at);
    if let Some(t) = o.promised_by {
        sep(out, &mut first);
        key_str(out, "promised_by");
        display(out, &t);
    }
    if let Some(r) = o.rating {
        sep(out, &mut first);
        key_str(out, "rating");
        if r >= 10 {
            out.push(b'0' + r / 10 % 10);
        }
        out.push(b'0' + r % 10);
    }
    if let Some(r) = o.refund_amount {
        sep(out, &mut first);
        key_str(out, "refund_amount");
        number(out, r.0);
    }
    if let Some(t) = o.ship_by {
        sep(out, &mut first);
        key_str(out, "ship_by");
        display(out, &t);
    }
    if let Some(t) = o.shipped_at {
        sep(out, &mut first);
        key_str(out, "shipped_at");
        display(out, &t);
    }
    sep(out, &mut first);
    key_str(out, "status");
    string(out, o.status.as_str());
    out.push(b'}');
}

fn uint(out: &mut Vec<u8>, n: u32) {
    // at most ten digits, written from the last
    let mut digits = [0u8; 10];
    let mut i = digits.len();
    let mut n = n;
    loop {
        i -= 1;
        if let Some(d) = digits.get_mut(i) {
            *d = b'0' + (n % 10) as u8;
        }
        n /= 10;
        if n == 0 || i == 0 {
            break;
        }
    }
    out.extend_from_slice(digits.get(i..).unwrap_or_default());
}

fn month(out: &mut Vec<u8>, m: &MonthlySummary) {
    // keys in sorted order, as for orders
    out.push(b'{');
    let mut first = true;
    if let Some(b) = m.buyers {
        sep(out, &mut first);
        key_str(out, "buyers");
        uint(out, b);
    }
    if let Some(c) = m.cancellations {
        sep(out, &mut first);
        key_str(out, "cancellations");
        number(out, c.0);
    }
    if let Some(d) = m.disputes {
        sep(out, &mut first);
        key_str(out, "disputes");
        uint(out, d);
    }
    sep(out, &mut first);
    key_str(out, "gmv");
    number(out, m.gmv.0);
    sep(out, &mut first);
    key_str(out, "month");
    out.push(b'"');
    m.month.write_iso(out);
    out.push(b'"');
    sep(out, &mut first);
    key_str(out, "orders");
    uint(out, m.orders);
    if let Some(r) = m.rating {
        sep(out, &mut first);
        key_str(out, "rating");
        number(out, r.0);
    }
    if let Some(r) = m.refunds {
        sep(out, &mut first);
        key_str(out, "refunds");
        number(out, r.0);
    }
    out.push(b'}');
}

/// A member whose value is an array written by hand, element by element.
fn array<T>(out: &mut Vec<u8>, first: &mut bool, key: &str, items: &[T], write: fn(&mut Vec<u8>, &T)) {
    sep(out, first);
    key_str(out, key);
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

