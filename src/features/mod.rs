//! Feature engineering: pure functions of `(StoreData, as_of)` to a named feature vector.
//!
//! Every feature is documented in `docs/features.md`. Features come from raw orders, from monthly
//! summaries, or both; where both cover the same month the orders win and a `data_quality` note
//! says so. Order windows are exact in days (`(as_of - N, as_of]`); monthly summaries count toward
//! a window when their month ends inside it.
//!
//! The order pass is a single loop with no per-order allocation: day buckets for the last 455
//! days, monthly buckets for the trend, and hash maps keyed by borrowed buyer ids.

mod compute;

pub use compute::{compute, FeatureSettings};

use serde::{Serialize, Serializer};
use std::collections::BTreeMap;

/// One feature's value: a number, a text (categorical), or missing.
#[derive(Debug, Clone, PartialEq)]
pub enum FeatureValue {
    /// A number (booleans are 1 and 0).
    Num(f64),
    /// A category.
    Text(String),
    /// Unknown: the data needed to compute it is absent.
    Missing,
}

impl FeatureValue {
    /// The number, if this is one.
    pub fn as_num(&self) -> Option<f64> {
        match self {
            FeatureValue::Num(x) => Some(*x),
            _ => None,
        }
    }
    /// The text, if this is one.
    pub fn as_text(&self) -> Option<&str> {
        match self {
            FeatureValue::Text(s) => Some(s),
            _ => None,
        }
    }
    /// True when missing.
    pub fn is_missing(&self) -> bool {
        matches!(self, FeatureValue::Missing)
    }
}

impl From<Option<f64>> for FeatureValue {
    fn from(v: Option<f64>) -> Self {
        match v {
            Some(x) if x.is_finite() => FeatureValue::Num(x),
            _ => FeatureValue::Missing,
        }
    }
}

impl Serialize for FeatureValue {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            FeatureValue::Num(x) => s.serialize_f64(*x),
            FeatureValue::Text(t) => s.serialize_str(t),
            FeatureValue::Missing => s.serialize_none(),
        }
    }
}

/// A number, a text, a boolean (1 or 0) or `null` (missing); a number that is not finite reads
/// as missing. Read by the JSON value's type directly, without serde's untagged-enum buffering.
impl<'de> serde::Deserialize<'de> for FeatureValue {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::{Error, Visitor};
        struct V;
        impl Visitor<'_> for V {
            type Value = FeatureValue;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a number, a text, a boolean or null")
            }
            fn visit_bool<E: Error>(self, v: bool) -> Result<FeatureValue, E> {
                Ok(FeatureValue::Num(if v { 1.0 } else { 0.0 }))
            }
            fn visit_i64<E: Error>(self, v: i64) -> Result<FeatureValue, E> {
                Ok(FeatureValue::Num(v as f64))
            }
            fn visit_u64<E: Error>(self, v: u64) -> Result<FeatureValue, E> {
                Ok(FeatureValue::Num(v as f64))
            }
            fn visit_f64<E: Error>(self, v: f64) -> Result<FeatureValue, E> {
                Ok(if v.is_finite() { FeatureValue::Num(v) } else { FeatureValue::Missing })
            }
            fn visit_str<E: Error>(self, v: &str) -> Result<FeatureValue, E> {
                Ok(FeatureValue::Text(v.to_owned()))
            }
            fn visit_string<E: Error>(self, v: String) -> Result<FeatureValue, E> {
                Ok(FeatureValue::Text(v))
            }
            fn visit_unit<E: Error>(self) -> Result<FeatureValue, E> {
                Ok(FeatureValue::Missing)
            }
            fn visit_none<E: Error>(self) -> Result<FeatureValue, E> {
                Ok(FeatureValue::Missing)
            }
        }
        d.deserialize_any(V)
    }
}

/// A feature vector: names to values, in a stable (sorted) order.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Default, Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Features(pub BTreeMap<String, FeatureValue>);

impl Features {
    /// The value of a feature (`None` when the name is not in the vector at all).
    pub fn get(&self, name: &str) -> Option<&FeatureValue> {
        self.0.get(name)
    }
    /// The numeric value of a feature, if present and numeric.
    pub fn num(&self, name: &str) -> Option<f64> {
        self.0.get(name).and_then(FeatureValue::as_num)
    }
    /// Sets a feature.
    pub fn insert(&mut self, name: impl Into<String>, value: FeatureValue) {
        self.0.insert(name.into(), value);
    }
    /// Sets a numeric feature; NaN and infinities become missing.
    pub fn set(&mut self, name: &str, value: Option<f64>) {
        self.0.insert(name.to_string(), FeatureValue::from(value));
    }
    /// Iterates in name order.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &FeatureValue)> {
        self.0.iter()
    }
    /// Number of features.
    pub fn len(&self) -> usize {
        self.0.len()
    }
    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// A note on the data's quality that shaped the decision (`DQ01`...), catalogued in
/// `docs/data-quality.md`.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataQuality {
    /// Stable code.
    pub code: String,
    /// `info`, `warning`.
    pub severity: Severity,
    /// What was seen and what the engine did about it.
    pub message: String,
}

/// How much a data-quality note matters.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// For information.
    Info,
    /// The decision was made more conservative because of it.
    Warning,
}

/// Every feature name the engine computes, with a one-line description (the table of
/// `docs/features.md`, and what a model may refer to).
pub const FEATURE_NAMES: &[(&str, &str)] = &[
    ("store_type", "reseller | brand_manufacturer | exporter | manufacturer (text)"),
    ("data_source", "orders | monthly | orders_and_monthly (text)"),
    ("store_age_months", "months from opened_on to as_of"),
    ("history_months", "months from the first month with sales to as_of"),
    ("months_with_sales_12m", "of the last 12 complete months, how many had net sales"),
    ("orders_30d", "orders placed in the last 30 days"),
    ("orders_90d", "orders placed in the last 90 days"),
    ("gmv_30d", "gross merchandise value, last 30 days"),
    ("gmv_90d", "gross merchandise value, last 90 days"),
    ("gmv_180d", "gross merchandise value, last 180 days"),
    ("gmv_365d", "gross merchandise value, last 365 days"),
    ("net_sales_30d", "GMV less cancellations and refunds, last 30 days"),
    ("net_sales_90d", "GMV less cancellations and refunds, last 90 days"),
    ("net_sales_180d", "GMV less cancellations and refunds, last 180 days"),
    ("net_sales_365d", "GMV less cancellations and refunds, last 365 days"),
    ("avg_monthly_net_sales_3m", "net_sales_90d / 3"),
    ("avg_monthly_net_sales_12m", "net sales per month over the last 12 months (or the history, if shorter)"),
    ("growth_mom", "last 30 days' net sales against the 30 before, minus 1"),
    ("growth_qoq", "last 90 days' net sales against the 90 before, minus 1"),
    ("growth_yoy", "last 90 days' net sales against the same 90 days a year earlier, minus 1"),
    ("sales_volatility_cv", "coefficient of variation of monthly net sales, last 12 complete months"),
    ("refund_rate_90d", "refunded amount / GMV, last 90 days"),
    ("cancel_rate_90d", "cancelled amount / GMV, last 90 days"),
    ("dispute_rate_90d", "disputed orders / orders, last 90 days"),
    ("aov_90d", "average order value, last 90 days"),
    ("buyers_365d", "distinct buyers, last 365 days"),
    ("repeat_buyer_share", "share of buyers with two or more orders, last 365 days"),
    ("top_buyer_share", "largest single buyer's share of GMV, last 365 days"),
    ("top_buyer_share_90d", "largest single buyer's share of GMV, last 90 days"),
    ("buyer_hhi", "Herfindahl index of buyer shares of GMV, last 365 days (0-1)"),
    ("on_time_ship_rate_90d", "orders shipped by their ship-by date (or within the SLA), last 90 days"),
    ("on_time_delivery_rate_90d", "orders delivered by the promised date, last 90 days"),
    ("avg_rating_180d", "average buyer rating, last 180 days"),
    ("low_rating_share_180d", "share of 1-2 star ratings, last 180 days"),
    ("ratings_180d", "number of ratings, last 180 days"),
    ("identical_amount_share_90d", "share of orders repeating an identical amount by the same buyer on the same day (without buyer ids: same-day groups of 3+), last 90 days"),
    ("large_order_share_90d", "share of GMV from orders above 10x the median order value, last 90 days"),
    ("sales_spike_ratio", "best week of the last 13 against the average week of the 39 before"),
    ("period_end_reversal_ratio", "reversal rate of orders placed in a month's last 3 days against the overall rate, last 365 days"),
    ("declared_to_observed_ratio", "declared monthly revenue / observed average monthly GMV (3 months)"),
    ("receivables_pending", "eligible pending receivables due within the model's horizon"),
    ("receivables_to_sales", "pending receivables / average monthly net sales (3 months)"),
    ("receivables_top_share", "largest counterparty's share of pending receivables"),
    ("debt_outstanding", "debt owed to other lenders"),
    ("debt_service_ratio", "monthly debt payments / average monthly net sales (3 months)"),
    ("max_dpd_elsewhere", "largest days-past-due on debt owed elsewhere"),
    ("repay_count", "installments due so far on earlier loans from this platform"),
    ("repay_max_dpd", "worst days past due on earlier installments (open ones counted to as_of)"),
    ("repay_on_time_share", "share of due installments paid in full by their due date"),
    ("repay_overdue_amount", "amount due and still unpaid at as_of"),
    ("owner_years_in_business", "owner's years running a business"),
    ("owner_bureau_score", "owner's personal bureau score"),
    ("owner_personal_debt", "owner's personal debt"),
    ("identity_verified", "1 when the owner's identity is verified, 0 when not"),
];

#[cfg(test)]
mod value_tests {
    use super::FeatureValue;

    #[test]
    fn feature_values_read_by_json_type() {
        let read = |t: &str| serde_json::from_str::<FeatureValue>(t);
        assert_eq!(read("3").unwrap(), FeatureValue::Num(3.0));
        assert_eq!(read("-3").unwrap(), FeatureValue::Num(-3.0));
        assert_eq!(read("2.5").unwrap(), FeatureValue::Num(2.5));
        assert_eq!(read("true").unwrap(), FeatureValue::Num(1.0));
        assert_eq!(read("false").unwrap(), FeatureValue::Num(0.0));
        assert_eq!(read("\"toys\"").unwrap(), FeatureValue::Text("toys".into()));
        assert_eq!(read("null").unwrap(), FeatureValue::Missing);
        for bad in ["{}", "[1]"] {
            let e = read(bad).unwrap_err().to_string();
            assert!(e.contains("expected a number, a text, a boolean or null"), "{e}");
        }
        // the serialized form reads back to the same value
        for v in [FeatureValue::Num(0.25), FeatureValue::Text("x".into()), FeatureValue::Missing] {
            assert_eq!(read(&serde_json::to_string(&v).unwrap()).unwrap(), v);
        }
    }
}
