//! Structured conditions over features: `all` / `any` / `not` over `{feature, op, value}`.
//!
//! Models carry conditions as data, never as code strings, so one model file runs unchanged in the
//! browser and on the server and can be inspected by a risk analyst. A comparison on a missing
//! feature is false (so `{"feature": "x", "op": "lt", "value": 3}` does not fire when `x` is
//! unknown); test for absence explicitly with `is_missing`.
//!
//! ```
//! use merchant_credit::model::Condition;
//! use merchant_credit::features::{FeatureValue, Features};
//! let c: Condition = serde_json::from_str(
//!     r#"{"any": [{"feature": "store_age_months", "op": "lt", "value": 3},
//!                 {"not": {"feature": "identity_verified", "op": "eq", "value": 1}}]}"#).unwrap();
//! let mut f = Features::default();
//! f.insert("store_age_months", FeatureValue::Num(2.0));
//! assert!(c.eval(&f));
//! ```

use crate::features::{FeatureValue, Features};
use serde::{de, Deserialize, Deserializer, Serialize, Serializer};

/// A comparison operator.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `==` (numbers or text)
    Eq,
    /// `!=` (numbers or text); false when the feature is missing
    Ne,
    /// member of a list
    In,
    /// not a member of a list; false when the feature is missing
    NotIn,
    /// the feature has no value (no `value` needed)
    IsMissing,
    /// the feature has a value (no `value` needed)
    IsPresent,
}

/// A constant in a condition: a number, a text, or a list of either.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Operand {
    /// A number (booleans read as 1 and 0).
    Num(f64),
    /// A text.
    Text(String),
    /// A list, for `in` and `not_in`.
    List(Vec<Operand>),
}

/// Read by what the JSON value is, directly (serde's untagged enums buffer the value and try
/// each variant in turn: booleans were refused although documented, and anything else came back
/// as "data did not match any variant of untagged enum Operand").
impl<'de> Deserialize<'de> for Operand {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> de::Visitor<'de> for V {
            type Value = Operand;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a number, a text or a list of them")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Operand, E> {
                Ok(Operand::Num(if v { 1.0 } else { 0.0 }))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Operand, E> {
                Ok(Operand::Num(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Operand, E> {
                Ok(Operand::Num(v as f64))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Operand, E> {
                Ok(Operand::Num(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Operand, E> {
                Ok(Operand::Text(v.to_owned()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Operand, E> {
                Ok(Operand::Text(v))
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Operand, A::Error> {
                let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(Operand::List(items))
            }
        }
        d.deserialize_any(V)
    }
}

/// A condition tree.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    /// True when every sub-condition is (true when empty).
    All(Vec<Condition>),
    /// True when at least one sub-condition is (false when empty).
    Any(Vec<Condition>),
    /// Negation.
    Not(Box<Condition>),
    /// A comparison of one feature with a constant.
    Cmp {
        /// Feature name.
        feature: String,
        /// Operator.
        op: Op,
        /// The constant (absent for `is_missing` / `is_present`).
        value: Option<Operand>,
    },
    /// Always true (useful as a catch-all).
    True,
}

impl Condition {
    /// Evaluates the condition against a feature vector.
    pub fn eval(&self, f: &Features) -> bool {
        match self {
            Condition::All(cs) => cs.iter().all(|c| c.eval(f)),
            Condition::Any(cs) => cs.iter().any(|c| c.eval(f)),
            Condition::Not(c) => !c.eval(f),
            Condition::True => true,
            Condition::Cmp { feature, op, value } => cmp(f.get(feature), *op, value.as_ref()),
        }
    }

    /// Every feature name the condition reads, in order of appearance.
    pub fn features<'a>(&'a self, out: &mut Vec<&'a str>) {
        match self {
            Condition::All(cs) | Condition::Any(cs) => cs.iter().for_each(|c| c.features(out)),
            Condition::Not(c) => c.features(out),
            Condition::True => {}
            Condition::Cmp { feature, .. } => out.push(feature),
        }
    }

    /// Checks that operators have the operands they need. Returns a message on error.
    pub fn check(&self) -> Result<(), String> {
        match self {
            Condition::All(cs) | Condition::Any(cs) => cs.iter().try_for_each(Condition::check),
            Condition::Not(c) => c.check(),
            Condition::True => Ok(()),
            Condition::Cmp { feature, op, value } => {
                if feature.is_empty() {
                    return Err("empty feature name".into());
                }
                match (op, value) {
                    (Op::IsMissing | Op::IsPresent, None) => Ok(()),
                    (Op::IsMissing, Some(_)) => Err(format!("`{feature}`: is_missing takes no value")),
                    (Op::IsPresent, Some(_)) => Err(format!("`{feature}`: is_present takes no value")),
                    (Op::In | Op::NotIn, Some(Operand::List(_))) => Ok(()),
                    (Op::In | Op::NotIn, _) => Err(format!("`{feature}`: in / not_in need a list value")),
                    (_, Some(Operand::List(_))) => Err(format!("`{feature}`: a list value needs in / not_in")),
                    (Op::Lt | Op::Le | Op::Gt | Op::Ge, Some(Operand::Text(_))) => {
                        Err(format!("`{feature}`: ordering operators need a number"))
                    }
                    (_, Some(Operand::Num(x))) if !x.is_finite() => Err(format!("`{feature}`: value is not finite")),
                    (_, Some(_)) => Ok(()),
                    (_, None) => Err(format!("`{feature}`: missing value")),
                }
            }
        }
    }
}

/// Whether a feature value equals an operand (numbers and numeric text compare as numbers).
pub(crate) fn eq(v: &FeatureValue, o: &Operand) -> bool {
    match (v, o) {
        (FeatureValue::Num(a), Operand::Num(b)) => a == b,
        (FeatureValue::Text(a), Operand::Text(b)) => a == b,
        // a categorical code compared with a number written as text, or vice versa
        (FeatureValue::Num(a), Operand::Text(b)) => crate::number::parse_f64(b.trim()).is_some_and(|b| *a == b),
        (FeatureValue::Text(a), Operand::Num(b)) => crate::number::parse_f64(a.trim()).is_some_and(|a| a == *b),
        _ => false,
    }
}

fn cmp(v: Option<&FeatureValue>, op: Op, o: Option<&Operand>) -> bool {
    let v = match v {
        Some(FeatureValue::Missing) | None => return op == Op::IsMissing,
        Some(v) => v,
    };
    match op {
        Op::IsMissing => false,
        Op::IsPresent => true,
        Op::Eq => o.is_some_and(|o| eq(v, o)),
        Op::Ne => o.is_some_and(|o| !eq(v, o)),
        Op::In => matches!(o, Some(Operand::List(l)) if l.iter().any(|o| eq(v, o))),
        Op::NotIn => matches!(o, Some(Operand::List(l)) if !l.iter().any(|o| eq(v, o))),
        Op::Lt | Op::Le | Op::Gt | Op::Ge => {
            let (a, b) = match (v.as_num(), o) {
                (Some(a), Some(Operand::Num(b))) => (a, *b),
                _ => return false,
            };
            match op {
                Op::Lt => a < b,
                Op::Le => a <= b,
                Op::Gt => a > b,
                _ => a >= b,
            }
        }
    }
}

/// The JSON shape: exactly one of `all`, `any`, `not`, `always`, or `feature` + `op` (+ `value`).
#[derive(Deserialize, Serialize, Default)]
#[serde(deny_unknown_fields)]
struct Raw {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    all: Option<Vec<Condition>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    any: Option<Vec<Condition>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    not: Option<Box<Condition>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    always: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    feature: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    op: Option<Op>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    value: Option<Operand>,
}

impl<'de> Deserialize<'de> for Condition {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let r = Raw::deserialize(d)?;
        let forms = usize::from(r.all.is_some())
            + usize::from(r.any.is_some())
            + usize::from(r.not.is_some())
            + usize::from(r.always.is_some())
            + usize::from(r.feature.is_some() || r.op.is_some());
        if forms != 1 {
            return Err(de::Error::custom(
                "@invalid_model: a condition is exactly one of {all}, {any}, {not}, {always: true} or {feature, op, value}",
            ));
        }
        let c = if let Some(v) = r.all {
            Condition::All(v)
        } else if let Some(v) = r.any {
            Condition::Any(v)
        } else if let Some(v) = r.not {
            Condition::Not(v)
        } else if let Some(a) = r.always {
            if a {
                Condition::True
            } else {
                Condition::Not(Box::new(Condition::True))
            }
        } else {
            let feature = r.feature.ok_or_else(|| de::Error::custom("@invalid_model: a comparison needs `feature`"))?;
            let op = r.op.ok_or_else(|| de::Error::custom("@invalid_model: a comparison needs `op`"))?;
            Condition::Cmp { feature, op, value: r.value }
        };
        c.check().map_err(|m| de::Error::custom(format!("@invalid_model: {m}")))?;
        Ok(c)
    }
}

impl Serialize for Condition {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut r = Raw::default();
        match self {
            Condition::All(v) => r.all = Some(v.clone()),
            Condition::Any(v) => r.any = Some(v.clone()),
            Condition::Not(v) => r.not = Some(v.clone()),
            Condition::True => r.always = Some(true),
            Condition::Cmp { feature, op, value } => {
                r.feature = Some(feature.clone());
                r.op = Some(*op);
                r.value = value.clone();
            }
        }
        r.serialize(s)
    }
}
