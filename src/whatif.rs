//! What-if: the decision again with named features or store inputs changed, so a seller can see
//! what would raise the line ("cut refunds to 2%: grade B, line 60,000").
//!
//! Two kinds of change, which may be combined:
//! - `features`: set computed features to given values after feature engineering (a direct
//!   override: features derived from the one changed are *not* recomputed, so change
//!   `avg_monthly_net_sales_3m` itself rather than `net_sales_90d` when the line is the question);
//! - `store`: a JSON merge patch (RFC 7386) applied to the StoreData before it is validated and
//!   evaluated again (`{"owner": {"identity_verified": true}}`, `{"liabilities": []}`). Arrays are
//!   replaced whole, as RFC 7386 says.
//!
//! The baseline decision carries a full receipt; the scenario decision is unsigned (its receipt
//! has empty input and decision digests): it describes a store that does not exist.
//!
//! ```
//! use merchant_credit::{Engine, StoreData};
//! use merchant_credit::whatif::{what_if, Changes};
//! let engine = Engine::default();
//! let store = StoreData::from_json(include_str!("../examples/store.json")).unwrap();
//! let changes = Changes::from_json(r#"{"features": {"refund_rate_90d": 0.0}}"#).unwrap();
//! let w = what_if(&engine, &store, &changes).unwrap();
//! assert!(w.scenario.score >= w.baseline.score);
//! assert_eq!(w.changed[0].feature, "refund_rate_90d");
//!
//! let bad = Changes::from_json(r#"{"features": {"refund_rate": 0.0}}"#).unwrap();
//! let err = what_if(&engine, &store, &bad).unwrap_err();
//! assert_eq!((err.code(), err.path()), ("invalid_value", "features.refund_rate"));
//! ```

use crate::decision::{Decision, Engine, Outcome};
use crate::error::{Error, ErrorKind, Result};
use crate::features::{self, FeatureValue, FEATURE_NAMES};
use crate::sort;
use crate::store::StoreData;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Largest number of feature overrides in one what-if (there are fewer features than this).
pub const MAX_FEATURE_CHANGES: usize = 256;

/// What to change. Unknown fields are rejected.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Changes {
    /// Feature name to the value it should take (`null` makes it missing).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub features: BTreeMap<String, FeatureValue>,
    /// A JSON merge patch (RFC 7386) for the StoreData.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub store: Option<serde_json::Value>,
}

impl Changes {
    /// Parses changes from JSON text.
    pub fn from_json(text: &str) -> Result<Changes> {
        crate::error::from_json_str(text)
    }
    /// Builds changes from a parsed JSON value (used by the wasm boundary).
    pub fn from_value(value: serde_json::Value) -> Result<Changes> {
        crate::error::from_json_value(value)
    }
}

/// One feature whose value differs between baseline and scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeatureChange {
    /// Feature name.
    pub feature: String,
    /// Baseline value (`null` when missing).
    pub from: FeatureValue,
    /// Scenario value (`null` when missing).
    pub to: FeatureValue,
}

/// Scenario minus baseline, for the headline numbers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Delta {
    /// Score points gained (negative: lost).
    pub score: i32,
    /// Change in probability of default.
    pub pd: f64,
    /// Change in the credit line, in the store's currency.
    pub credit_line: f64,
    /// Baseline and scenario grade.
    pub grade: [String; 2],
    /// Baseline and scenario outcome.
    pub decision: [Outcome; 2],
}

/// The answer to a what-if.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WhatIf {
    /// The decision on the store as given (with a full receipt).
    pub baseline: Decision,
    /// The decision with the changes applied (unsigned).
    pub scenario: Decision,
    /// Features whose value differs, in name order.
    pub changed: Vec<FeatureChange>,
    /// Headline differences.
    pub delta: Delta,
}

/// Evaluates `store` as given and with `changes` applied.
///
/// Errors: an unknown feature name (`features.NAME`), a text value for a numeric feature, a
/// patch that is not an object (`store`), and any error of the patched store, with its path
/// prefixed by `store.`.
pub fn what_if(engine: &Engine, store: &StoreData, changes: &Changes) -> Result<WhatIf> {
    if changes.features.len() > MAX_FEATURE_CHANGES {
        return Err(Error::new(
            ErrorKind::TooLarge(format!("{} feature changes; the limit is {MAX_FEATURE_CHANGES}", changes.features.len())),
            "features",
        ));
    }
    for (name, value) in &changes.features {
        check_feature(engine, name, value)?;
    }
    let baseline = engine.evaluate(store);

    let patched;
    let scenario_store = match &changes.store {
        None => store,
        Some(patch) => {
            if !patch.is_object() {
                return Err(Error::new(ErrorKind::InvalidValue("a store patch must be a JSON object (RFC 7386 merge patch)".into()), "store"));
            }
            // The store as a JSON tree through its text, and back through text rather than
            // `to_value`/`from_value`: one serializer and one deserializer for the contracts keep
            // the wasm module small (see src/wasm.rs), and errors and paths are the same.
            let json = |e: serde_json::Error| Error::new(ErrorKind::Json(e.to_string()), "store");
            let mut doc: serde_json::Value = serde_json::from_str(&crate::receipt::to_json(store).map_err(json)?).map_err(json)?;
            merge_patch(&mut doc, patch);
            patched = StoreData::from_json(&doc.to_string()).map_err(|e| e.within("store"))?;
            &patched
        }
    };

    let (mut feats, notes) = features::compute(scenario_store, &engine.model().features);
    for (name, value) in &changes.features {
        feats.insert(name.clone(), value.clone());
    }
    let scenario = engine.decide(scenario_store.merchant.id.clone(), scenario_store.as_of, &scenario_store.currency, feats, notes);

    let mut changed = Vec::new();
    let missing = FeatureValue::Missing;
    let mut names: Vec<&String> = baseline.features.0.keys().chain(scenario.features.0.keys()).collect();
    sort::sort(&mut names);
    names.dedup();
    for name in names {
        let from = baseline.features.get(name).unwrap_or(&missing);
        let to = scenario.features.get(name).unwrap_or(&missing);
        if !same(from, to) {
            changed.push(FeatureChange { feature: name.clone(), from: from.clone(), to: to.clone() });
        }
    }
    let delta = Delta {
        score: scenario.score - baseline.score,
        pd: scenario.pd - baseline.pd,
        credit_line: scenario.credit_line.amount - baseline.credit_line.amount,
        grade: [baseline.grade.clone(), scenario.grade.clone()],
        decision: [baseline.decision, scenario.decision],
    };
    Ok(WhatIf { baseline, scenario, changed, delta })
}

fn same(a: &FeatureValue, b: &FeatureValue) -> bool {
    match (a, b) {
        (FeatureValue::Num(x), FeatureValue::Num(y)) => x.to_bits() == y.to_bits(),
        _ => a == b,
    }
}

/// A feature override must name a feature the engine computes or the model reads, and keep its
/// kind (text features take text, the others numbers or `null`).
fn check_feature(engine: &Engine, name: &str, value: &FeatureValue) -> Result<()> {
    let at = || format!("features.{name}");
    let known = FEATURE_NAMES.iter().any(|(n, _)| *n == name) || engine.model().feature_names().iter().any(|n| n == name);
    if !known {
        return Err(Error::new(ErrorKind::InvalidValue(format!("unknown feature `{name}` (see docs/features.md)")), at()));
    }
    let text_feature = matches!(name, "store_type" | "data_source");
    match value {
        FeatureValue::Text(_) if !text_feature => {
            Err(Error::new(ErrorKind::InvalidValue(format!("`{name}` is numeric; give a number or null")), at()))
        }
        FeatureValue::Num(_) if text_feature => {
            Err(Error::new(ErrorKind::InvalidValue(format!("`{name}` is a category; give a text")), at()))
        }
        FeatureValue::Num(x) if !x.is_finite() => Err(Error::new(ErrorKind::NotFinite, at())),
        _ => Ok(()),
    }
}

/// RFC 7386 JSON merge patch: objects merge recursively, `null` removes, anything else replaces.
fn merge_patch(target: &mut serde_json::Value, patch: &serde_json::Value) {
    use serde_json::Value;
    match patch {
        Value::Object(p) => {
            if !target.is_object() {
                *target = Value::Object(serde_json::Map::new());
            }
            if let Value::Object(t) = target {
                for (k, v) in p {
                    if v.is_null() {
                        t.remove(k);
                    } else {
                        merge_patch(t.entry(k.clone()).or_insert(Value::Null), v);
                    }
                }
            }
        }
        other => *target = other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> StoreData {
        StoreData::from_json(include_str!("../examples/store.json")).unwrap()
    }

    #[test]
    fn no_changes_gives_the_same_decision() {
        let e = Engine::default();
        let w = what_if(&e, &store(), &Changes::default()).unwrap();
        assert!(w.changed.is_empty());
        assert_eq!(w.delta.score, 0);
        let mut s = w.scenario.clone();
        s.receipt = w.baseline.receipt.clone();
        assert_eq!(s, w.baseline);
    }

    #[test]
    fn store_patch_is_applied_and_errors_are_prefixed() {
        let e = Engine::default();
        let c = Changes::from_json(r#"{"store": {"liabilities": [], "owner": {"identity_verified": true}}}"#).unwrap();
        assert!(what_if(&e, &store(), &c).is_ok());
        let c = Changes::from_json(r#"{"store": {"currency": "cny"}}"#).unwrap();
        let err = what_if(&e, &store(), &c).unwrap_err();
        assert_eq!((err.code(), err.path()), ("invalid_currency", "store.currency"));
        let c = Changes::from_json(r#"{"store": {"merchant": {"bogus": 1}}}"#).unwrap();
        let err = what_if(&e, &store(), &c).unwrap_err();
        assert_eq!((err.code(), err.path()), ("unknown_field", "store.merchant.bogus"));
        let c = Changes::from_json(r#"{"store": [1]}"#).unwrap();
        assert_eq!(what_if(&e, &store(), &c).unwrap_err().path(), "store");
    }

    #[test]
    fn feature_kinds_are_checked() {
        let e = Engine::default();
        for (text, code) in [
            (r#"{"features": {"gmv_90d": "lots"}}"#, "invalid_value"),
            (r#"{"features": {"store_type": 3}}"#, "invalid_value"),
            (r#"{"features": {"nope": 3}}"#, "invalid_value"),
        ] {
            let c = Changes::from_json(text).unwrap();
            assert_eq!(what_if(&e, &store(), &c).unwrap_err().code(), code, "{text}");
        }
        let err = Changes::from_json(r#"{"feature": {}}"#).unwrap_err();
        assert_eq!(err.code(), "unknown_field");
    }

    #[test]
    fn more_sales_never_lowers_the_line() {
        let e = Engine::default();
        let s = store();
        let base = e.evaluate(&s);
        let avg = base.features.num("avg_monthly_net_sales_3m").unwrap();
        let c = Changes::from_json(&format!(r#"{{"features": {{"avg_monthly_net_sales_3m": {}}}}}"#, avg * 2.0)).unwrap();
        let w = what_if(&e, &s, &c).unwrap();
        assert!(w.delta.credit_line >= 0.0);
    }
}
