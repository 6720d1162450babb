//! StoreData (`merchant-credit/store@1`): what the engine knows about one seller on one date.
//!
//! The format is documented in `docs/store-format.md`. Parsing is strict: unknown fields,
//! non-finite numbers and negative money are rejected with the JSON path of the offending field,
//! and [`StoreData::validate`] checks the rules that span fields (dates in order, nothing after
//! `as_of`, unique ids, a sales history present, size limits).
//!
//! ```
//! use merchant_credit::StoreData;
//! let store = StoreData::from_json(r#"{
//!   "as_of": "2025-06-30", "currency": "CNY",
//!   "merchant": {"id": "m-1", "store_type": "reseller", "opened_on": "2022-01-10"},
//!   "monthly": [{"month": "2025-05", "gmv": 100000, "orders": 800}]
//! }"#).unwrap();
//! assert_eq!(store.merchant.id, "m-1");
//!
//! let err = StoreData::from_json(r#"{"as_of": "2025-06-30", "currency": "CNY",
//!   "merchant": {"id": "m", "opened_on": "2022-01-10"},
//!   "monthly": [{"month": "2025-05", "gmv": -5, "orders": 1}]}"#).unwrap_err();
//! assert_eq!(err.to_string(), "monthly[0].gmv: negative amount -5");
//! ```



mod canonical;
pub mod import;

use crate::date::{Date, Timestamp, YearMonth};
use crate::error::{tagged, Error, ErrorKind, Result};
use serde::{Deserialize, Deserializer, Serialize};
use std::collections::HashSet;

/// The schema tag of StoreData documents.
pub const STORE_SCHEMA: &str = "merchant-credit/store@1";

/// Documented size limits (see `docs/limits.md`); the same natively and in wasm.
pub mod limits {
    /// Most orders one store may carry.
    pub const MAX_ORDERS: usize = 2_000_000;
    /// Most monthly summaries (50 years).
    pub const MAX_MONTHS: usize = 600;
    /// Most receivables, liabilities or repayments each.
    pub const MAX_RECORDS: usize = 100_000;
    /// Longest identifier or free-text field, in bytes.
    pub const MAX_TEXT: usize = 256;
    /// Largest JSON document accepted by [`super::StoreData::from_json`], in bytes.
    pub const MAX_JSON_BYTES: usize = 512 * 1024 * 1024;
    /// Largest CSV export (each file of a multi-table import) accepted by the importer, in bytes.
    /// 512 MiB holds about 2.5 million generic-layout orders.
    pub const MAX_CSV_BYTES: usize = 512 * 1024 * 1024;
    /// Deepest nesting of JSON arrays and objects in any document (store, model, changes).
    pub const MAX_JSON_DEPTH: usize = crate::error::MAX_JSON_DEPTH;
    /// Largest single amount (a sanity bound, not a business rule): 10^13 major units.
    pub const MAX_AMOUNT: f64 = 1e13;
}

/// A non-negative, finite amount of money in the major unit of the store's currency.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default, Serialize)]
#[serde(transparent)]
pub struct Money(pub f64);

impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let v = f64::deserialize(d)?;
        check_money(v).map(Money).map_err(|k| match k {
            ErrorKind::NegativeAmount(v) => tagged("negative_amount", v),
            ErrorKind::OutOfRange(s) => tagged("out_of_range", s),
            _ => tagged("not_finite", "not a finite number"),
        })
    }
}

pub(crate) fn check_money(v: f64) -> std::result::Result<f64, ErrorKind> {
    if !v.is_finite() {
        Err(ErrorKind::NotFinite)
    } else if v < 0.0 {
        Err(ErrorKind::NegativeAmount(v))
    } else if v > limits::MAX_AMOUNT {
        Err(ErrorKind::OutOfRange(format!("{v} is above the largest accepted amount 1e13")))
    } else {
        Ok(v)
    }
}

/// A finite number (for scores, years, rates) that may not be NaN or infinite.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default, Serialize)]
#[serde(transparent)]
pub struct Finite(pub f64);

impl<'de> Deserialize<'de> for Finite {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let v = f64::deserialize(d)?;
        if v.is_finite() {
            Ok(Finite(v))
        } else {
            Err(tagged("not_finite", "not a finite number"))
        }
    }
}

/// How the store trades, which shapes what its data means.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum StoreType {
    /// Buys and resells.
    #[default]
    Reseller,
    /// A front store with its own factory behind it.
    BrandManufacturer,
    /// Sells abroad.
    Exporter,
    /// Makes what it sells.
    Manufacturer,
}

impl StoreType {
    /// The snake_case name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            StoreType::Reseller => "reseller",
            StoreType::BrandManufacturer => "brand_manufacturer",
            StoreType::Exporter => "exporter",
            StoreType::Manufacturer => "manufacturer",
        }
    }
}

/// The state of an order.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    /// Placed, not yet shipped.
    Pending,
    /// On its way.
    Shipped,
    /// Received by the buyer.
    Delivered,
    /// Cancelled before fulfilment.
    Cancelled,
    /// Refunded in full or in part (see `refund_amount`).
    Refunded,
    /// Under a buyer dispute or chargeback.
    Disputed,
}

impl OrderStatus {
    /// All statuses, in a fixed order.
    pub const ALL: [OrderStatus; 6] = [
        OrderStatus::Pending,
        OrderStatus::Shipped,
        OrderStatus::Delivered,
        OrderStatus::Cancelled,
        OrderStatus::Refunded,
        OrderStatus::Disputed,
    ];
    /// The snake_case name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            OrderStatus::Pending => "pending",
            OrderStatus::Shipped => "shipped",
            OrderStatus::Delivered => "delivered",
            OrderStatus::Cancelled => "cancelled",
            OrderStatus::Refunded => "refunded",
            OrderStatus::Disputed => "disputed",
        }
    }
}

/// The seller (the B side).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Merchant {
    /// The platform's id of the seller.
    pub id: String,
    /// How the store trades; `reseller` when not given.
    #[serde(default)]
    pub store_type: StoreType,
    /// When the store opened.
    pub opened_on: Date,
    /// The marketplace (`olist`, `shopify`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform: Option<String>,
    /// Main product category.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// Region or state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Revenue per month the seller declared (self-reported, checked against the orders).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub declared_monthly_revenue: Option<Money>,
}

/// The person who controls the store (the C side). Every field is optional.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Owner {
    /// The owner's experience running a business, in years.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub years_in_business: Option<Finite>,
    /// A personal credit bureau score (300-900).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bureau_score: Option<Finite>,
    /// Personal debt outstanding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub personal_debt: Option<Money>,
    /// Whether the platform verified the owner's identity (KYC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity_verified: Option<bool>,
}

/// One order.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Order {
    /// Unique within the store.
    pub id: String,
    /// When the buyer placed it.
    pub placed_at: Timestamp,
    /// What the buyer paid, shipping included.
    pub amount: Money,
    /// Where it stands.
    pub status: OrderStatus,
    /// Amount refunded (0 when none); at most `amount`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refund_amount: Option<Money>,
    /// The buyer's id, for concentration and repeat-buyer features.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub buyer_id: Option<String>,
    /// The latest shipping date promised (ship-by).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ship_by: Option<Timestamp>,
    /// The delivery date promised to the buyer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub promised_by: Option<Timestamp>,
    /// When it shipped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shipped_at: Option<Timestamp>,
    /// When it was delivered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivered_at: Option<Timestamp>,
    /// The buyer's rating, 1 to 5.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rating: Option<u8>,
}

/// A month of pre-aggregated history, for platforms that do not share raw orders.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MonthlySummary {
    /// The month, `YYYY-MM`.
    pub month: YearMonth,
    /// Gross merchandise value of orders placed in the month.
    pub gmv: Money,
    /// Number of orders placed.
    pub orders: u32,
    /// Amount refunded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refunds: Option<Money>,
    /// Amount of orders cancelled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancellations: Option<Money>,
    /// Distinct buyers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub buyers: Option<u32>,
    /// Number of disputes opened.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disputes: Option<u32>,
    /// Average rating in the month (1-5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rating: Option<Finite>,
}

/// A pending settlement owed to the seller.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Receivable {
    /// Unique within the store.
    pub id: String,
    /// Amount to be settled.
    pub amount: Money,
    /// When it settles.
    pub due_on: Date,
    /// Who owes it (`platform` for marketplace settlements, or a buyer's name).
    #[serde(default = "default_counterparty")]
    pub counterparty: String,
}

fn default_counterparty() -> String {
    "platform".to_string()
}

/// Debt the seller owes elsewhere.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Liability {
    /// Who lent it.
    pub lender: String,
    /// Principal outstanding.
    pub outstanding: Money,
    /// Payment due per month.
    #[serde(default)]
    pub monthly_payment: Money,
    /// Days this debt is overdue, if it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days_past_due: Option<u32>,
}

/// One installment of an earlier loan from this platform and how it was paid.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Repayment {
    /// The loan it belongs to.
    pub loan_id: String,
    /// When it was due.
    pub due_on: Date,
    /// How much was due.
    pub amount_due: Money,
    /// When it was (last) paid; absent while unpaid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paid_on: Option<Date>,
    /// How much was paid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount_paid: Option<Money>,
}

/// Everything the engine knows about one seller, as of one date.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoreData {
    /// Optional schema tag; when present it must be `merchant-credit/store@1`.
    #[serde(default, rename = "$schema", skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// The evaluation date. The engine never reads a clock.
    pub as_of: Date,
    /// ISO 4217 code; every amount is in it.
    pub currency: String,
    /// The seller.
    pub merchant: Merchant,
    /// The person behind the store.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<Owner>,
    /// Raw orders.
    #[serde(default, skip_serializing_if = "Vec::is_empty", deserialize_with = "null_as_empty")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<Vec<Order>>"))]
    pub orders: Vec<Order>,
    /// Monthly summaries.
    #[serde(default, skip_serializing_if = "Vec::is_empty", deserialize_with = "null_as_empty")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<Vec<MonthlySummary>>"))]
    pub monthly: Vec<MonthlySummary>,
    /// Pending settlements.
    #[serde(default, skip_serializing_if = "Vec::is_empty", deserialize_with = "null_as_empty")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<Vec<Receivable>>"))]
    pub receivables: Vec<Receivable>,
    /// Debts elsewhere.
    #[serde(default, skip_serializing_if = "Vec::is_empty", deserialize_with = "null_as_empty")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<Vec<Liability>>"))]
    pub liabilities: Vec<Liability>,
    /// Repayment history with this platform.
    #[serde(default, skip_serializing_if = "Vec::is_empty", deserialize_with = "null_as_empty")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<Vec<Repayment>>"))]
    pub repayments: Vec<Repayment>,
}

/// A list that may also be written `null` (or, from JavaScript, `undefined`): the same as leaving
/// it out, as for every optional field.
fn null_as_empty<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(d: D) -> std::result::Result<Vec<T>, D::Error> {
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

impl StoreData {
    /// Parses and validates StoreData JSON.
    pub fn from_json(text: &str) -> Result<StoreData> {
        if text.len() > limits::MAX_JSON_BYTES {
            return Err(Error::new(
                ErrorKind::TooLarge(format!("{} bytes of JSON; the limit is {}", text.len(), limits::MAX_JSON_BYTES)),
                "",
            ));
        }
        // every struct of the contract denies unknown fields and none holds free-form JSON: its
        // shape bounds the nesting, which is checked only when the parse fails
        let store: StoreData = crate::error::from_bounded_json_str(text)?;
        store.validate()?;
        Ok(store)
    }

    /// Builds and validates StoreData from an already parsed JSON value (used by the wasm boundary).
    pub fn from_value(value: serde_json::Value) -> Result<StoreData> {
        let store: StoreData = crate::error::from_json_value(value)?;
        store.validate()?;
        Ok(store)
    }

    /// Checks the rules that span fields. Called by the constructors; call it again after
    /// building or changing a `StoreData` in code.
    pub fn validate(&self) -> Result<()> {
        self.validate_with(false)
    }

    /// [`StoreData::validate`] for a store whose orders the caller has just checked
    /// (`order_ids_checked`: the importer checks every order rule row by row and removes
    /// duplicate ids): the order checks are then skipped in release builds (one pass over the
    /// orders per import, not two) and run, without the id set, in debug builds.
    pub(crate) fn validate_with(&self, order_ids_checked: bool) -> Result<()> {
        // Amounts are checked while parsing JSON; a store built in code is checked here, so a NaN
        // or negative amount never reaches the features whichever way the store was made.
        self.validate_money()?;
        if let Some(s) = &self.schema {
            if s != STORE_SCHEMA {
                return Err(Error::new(ErrorKind::InvalidValue(format!("schema `{s}`, expected `{STORE_SCHEMA}`")), "$schema"));
            }
        }
        check_currency(&self.currency).map_err(|k| Error::new(k, "currency"))?;
        check_text(&self.merchant.id, || "merchant.id".into(), true)?;
        if self.merchant.opened_on > self.as_of {
            return Err(Error::new(
                ErrorKind::FutureDate(format!("store opened {} after as_of {}", self.merchant.opened_on, self.as_of)),
                "merchant.opened_on",
            ));
        }
        if self.orders.is_empty() && self.monthly.is_empty() {
            return Err(Error::new(ErrorKind::EmptyHistory, ""));
        }
        if self.orders.len() > limits::MAX_ORDERS {
            return Err(Error::new(
                ErrorKind::TooLarge(format!("{} orders; the limit is {}", self.orders.len(), limits::MAX_ORDERS)),
                "orders",
            ));
        }
        if self.monthly.len() > limits::MAX_MONTHS {
            return Err(Error::new(
                ErrorKind::TooLarge(format!("{} months; the limit is {}", self.monthly.len(), limits::MAX_MONTHS)),
                "monthly",
            ));
        }
        for (name, n) in [
            ("receivables", self.receivables.len()),
            ("liabilities", self.liabilities.len()),
            ("repayments", self.repayments.len()),
        ] {
            if n > limits::MAX_RECORDS {
                return Err(Error::new(ErrorKind::TooLarge(format!("{n} records; the limit is {}", limits::MAX_RECORDS)), name));
            }
        }
        if let Some(owner) = &self.owner {
            if let Some(Finite(s)) = owner.bureau_score {
                if !(0.0..=1000.0).contains(&s) {
                    return Err(Error::new(ErrorKind::OutOfRange(format!("bureau score {s} is not within 0-1000")), "owner.bureau_score"));
                }
            }
            if let Some(Finite(y)) = owner.years_in_business {
                if !(0.0..=100.0).contains(&y) {
                    return Err(Error::new(ErrorKind::OutOfRange(format!("{y} years is not within 0-100")), "owner.years_in_business"));
                }
            }
        }
        // the importer checks every order rule row by row (and removes duplicate ids): release
        // builds do not check its orders a second time; debug builds (the tests) still do
        if !order_ids_checked || cfg!(debug_assertions) {
            self.validate_orders(order_ids_checked)?;
        }
        let as_of_month = self.as_of.month();
        let mut months = HashSet::with_capacity(self.monthly.len());
        for (i, m) in self.monthly.iter().enumerate() {
            let at = |f: &str| format!("monthly[{i}].{f}");
            if m.month > as_of_month {
                return Err(Error::new(ErrorKind::FutureDate(format!("month {} is after as_of {}", m.month, self.as_of)), at("month")));
            }
            if !months.insert(m.month) {
                return Err(Error::new(ErrorKind::DuplicateId(m.month.to_string()), at("month")));
            }
            if let Some(r) = m.refunds {
                if r.0 > m.gmv.0 * 1.0000001 + 0.005 {
                    return Err(Error::new(ErrorKind::OutOfRange(format!("refunds {} exceed gmv {}", r.0, m.gmv.0)), at("refunds")));
                }
            }
            if let Some(Finite(r)) = m.rating {
                if !(1.0..=5.0).contains(&r) {
                    return Err(Error::new(ErrorKind::OutOfRange(format!("rating {r} is not within 1-5")), at("rating")));
                }
            }
            if m.orders == 0 && m.gmv.0 > 0.0 {
                return Err(Error::new(ErrorKind::OutOfRange("gmv without any order".into()), at("orders")));
            }
        }
        let mut ids = HashSet::with_capacity(self.receivables.len());
        for (i, r) in self.receivables.iter().enumerate() {
            check_text(&r.id, || format!("receivables[{i}].id"), true)?;
            if !ids.insert(r.id.as_str()) {
                return Err(Error::new(ErrorKind::DuplicateId(r.id.clone()), format!("receivables[{i}].id")));
            }
        }
        for (i, r) in self.repayments.iter().enumerate() {
            let at = |f: &str| format!("repayments[{i}].{f}");
            if r.due_on > self.as_of.add_days(3660) {
                return Err(Error::new(ErrorKind::OutOfRange(format!("due date {} is more than 10 years after as_of", r.due_on)), at("due_on")));
            }
            if let Some(p) = r.paid_on {
                if p > self.as_of {
                    return Err(Error::new(ErrorKind::FutureDate(format!("paid on {p}, after as_of {}", self.as_of)), at("paid_on")));
                }
            }
            if r.amount_paid.is_some_and(|a| a.0 > 0.0) && r.paid_on.is_none() {
                return Err(Error::new(ErrorKind::MissingField("paid_on".into()), at("paid_on")));
            }
        }
        Ok(())
    }

    fn validate_money(&self) -> Result<()> {
        if let Some(d) = self.merchant.declared_monthly_revenue {
            money(d, || "merchant.declared_monthly_revenue".into())?;
        }
        if let Some(o) = &self.owner {
            if let Some(d) = o.personal_debt {
                money(d, || "owner.personal_debt".into())?;
            }
            for (name, v) in [("years_in_business", o.years_in_business), ("bureau_score", o.bureau_score)] {
                if v.is_some_and(|v| !v.0.is_finite()) {
                    return Err(Error::new(ErrorKind::NotFinite, format!("owner.{name}")));
                }
            }
        }
        for (i, m) in self.monthly.iter().enumerate() {
            money(m.gmv, || format!("monthly[{i}].gmv"))?;
            for (name, v) in [("refunds", m.refunds), ("cancellations", m.cancellations)] {
                if let Some(v) = v {
                    money(v, || format!("monthly[{i}].{name}"))?;
                }
            }
            if m.rating.is_some_and(|r| !r.0.is_finite()) {
                return Err(Error::new(ErrorKind::NotFinite, format!("monthly[{i}].rating")));
            }
        }
        for (i, r) in self.receivables.iter().enumerate() {
            money(r.amount, || format!("receivables[{i}].amount"))?;
        }
        for (i, l) in self.liabilities.iter().enumerate() {
            money(l.outstanding, || format!("liabilities[{i}].outstanding"))?;
            money(l.monthly_payment, || format!("liabilities[{i}].monthly_payment"))?;
        }
        for (i, r) in self.repayments.iter().enumerate() {
            money(r.amount_due, || format!("repayments[{i}].amount_due"))?;
            if let Some(p) = r.amount_paid {
                money(p, || format!("repayments[{i}].amount_paid"))?;
            }
        }
        Ok(())
    }

    fn validate_orders(&self, ids_checked: bool) -> Result<()> {
        let as_of_end = self.as_of.add_days(1).start();
        let mut ids: HashSet<&str> = HashSet::with_capacity(if ids_checked { 0 } else { self.orders.len() });
        for (i, o) in self.orders.iter().enumerate() {
            let at = |f: &str| format!("orders[{i}].{f}");
            if o.id.is_empty() || o.id.len() > limits::MAX_TEXT {
                return Err(Error::new(ErrorKind::InvalidValue(format!("id must be 1-{} bytes", limits::MAX_TEXT)), at("id")));
            }
            // the path is formatted only on failure: this loop runs once per order
            money(o.amount, || at("amount"))?;
            if let Some(r) = o.refund_amount {
                money(r, || at("refund_amount"))?;
            }
            if !ids_checked && !ids.insert(o.id.as_str()) {
                return Err(Error::new(ErrorKind::DuplicateId(o.id.clone()), at("id")));
            }
            if o.placed_at >= as_of_end {
                return Err(Error::new(ErrorKind::FutureDate(format!("placed {} after as_of {}", o.placed_at, self.as_of)), at("placed_at")));
            }
            if let Some(r) = o.refund_amount {
                if r.0 > o.amount.0 + 0.005 {
                    return Err(Error::new(ErrorKind::OutOfRange(format!("refund {} exceeds the order amount {}", r.0, o.amount.0)), at("refund_amount")));
                }
            }
            if let Some(r) = o.rating {
                if !(1..=5).contains(&r) {
                    return Err(Error::new(ErrorKind::OutOfRange(format!("rating {r} is not within 1-5")), at("rating")));
                }
            }
            for (name, t) in [("shipped_at", o.shipped_at), ("delivered_at", o.delivered_at)] {
                if let Some(t) = t {
                    if t < o.placed_at {
                        return Err(Error::new(ErrorKind::DateOrder(format!("{name} {t} is before placed_at {}", o.placed_at)), at(name)));
                    }
                    if t >= as_of_end {
                        return Err(Error::new(ErrorKind::FutureDate(format!("{name} {t} is after as_of {}", self.as_of)), at(name)));
                    }
                }
            }
            if let (Some(s), Some(d)) = (o.shipped_at, o.delivered_at) {
                if d < s {
                    return Err(Error::new(ErrorKind::DateOrder(format!("delivered_at {d} is before shipped_at {s}")), at("delivered_at")));
                }
            }
            if let Some(b) = o.buyer_id.as_deref().filter(|b| b.len() > limits::MAX_TEXT) {
                check_text(b, || at("buyer_id"), false)?;
            }
        }
        Ok(())
    }

    /// The canonical JSON (RFC 8785) of this store, the bytes its receipt digest is taken over.
    pub fn canonical_json(&self) -> Vec<u8> {
        canonical::store(self)
    }
}

/// Checks an amount; `path` names it in the error and is formatted only then (validation runs
/// on every evaluation, and formatting a path per amount was a tenth of parsing a small store).
fn money(m: Money, path: impl FnOnce() -> String) -> Result<()> {
    check_money(m.0).map(|_| ()).map_err(|k| Error::new(k, path()))
}

/// Checks a text field's length (and, when `required`, that it is not blank); `path` is
/// formatted only for the error, as in [`money`].
fn check_text(s: &str, path: impl FnOnce() -> String, required: bool) -> Result<()> {
    if (required && s.trim().is_empty()) || s.len() > limits::MAX_TEXT {
        return Err(Error::new(
            ErrorKind::InvalidValue(format!("must be {}-{} bytes", usize::from(required), limits::MAX_TEXT)),
            path(),
        ));
    }
    Ok(())
}

/// Checks an ISO 4217 code: three upper-case ASCII letters.
pub(crate) fn check_currency(c: &str) -> std::result::Result<(), ErrorKind> {
    if c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(())
    } else {
        Err(ErrorKind::Currency(format!("`{c}` is not an ISO 4217 code (three upper-case letters, like CNY)")))
    }
}
