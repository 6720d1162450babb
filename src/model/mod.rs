//! The Model (`merchant-credit/model@1`): policy rules, scorecard, calibration, grades, limit
//! policy, products and pricing, as one JSON document (see `docs/model-format.md`).
//!
//! A model is data, never code, so the same file runs in the browser and on the server. Its
//! digest is the SHA-256 of its canonical JSON (RFC 8785), and every decision names it.
//!
//! ```
//! use merchant_credit::Model;
//! let model = Model::default_model();
//! assert_eq!(model.id, "default");
//! assert_eq!(model.sha256().len(), 64);
//! ```

mod condition;

pub use condition::{Condition, Op, Operand};
pub(crate) use condition::eq as value_equals;

use crate::error::{Error, ErrorKind, Result};
use crate::features::FeatureSettings;
use crate::sort;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The schema tag of model documents.
pub const MODEL_SCHEMA: &str = "merchant-credit/model@1";

/// The embedded default model's JSON text.
pub const DEFAULT_MODEL_JSON: &str = crate::schema::embed_json!("../../models/default.json");

/// Largest model document accepted, in bytes.
pub const MAX_MODEL_BYTES: usize = 8 * 1024 * 1024;

/// A complete credit model.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Model {
    /// Optional schema tag; when present it must be `merchant-credit/model@1`.
    #[serde(default, rename = "$schema", skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// Model identifier.
    pub id: String,
    /// Model version (semantic versioning recommended).
    pub version: String,
    /// What the model is for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Feature computation settings.
    #[serde(default)]
    pub features: FeatureSettings,
    /// Knock-out and refer rules, evaluated in order; all hits are reported.
    #[serde(default)]
    pub policy: Vec<Rule>,
    /// The scorecard.
    pub scorecard: Scorecard,
    /// Score to probability of default.
    #[serde(default)]
    pub calibration: Calibration,
    /// Grades by score cut-off, best first.
    pub grades: Vec<Grade>,
    /// PD thresholds for approve / refer.
    pub decision: Thresholds,
    /// How the credit line is sized. Absent for models that only score.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<LimitPolicy>,
    /// Products offered, in ladder order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub products: Vec<Product>,
    /// How offers are priced. Required when products are given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pricing: Option<Pricing>,
    /// The loan-lifecycle rules: monitoring thresholds, reassessment caps, schedule defaults,
    /// servicing and collections (see `docs/lifecycle.md`). Absent: the built-in defaults of
    /// [`crate::lifecycle::LifecyclePolicy`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lifecycle: Option<crate::lifecycle::LifecyclePolicy>,
    /// Free-form extensions (training report, lifecycle policy) that tools attach; covered by
    /// the digest, ignored by pre-loan scoring.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub extensions: BTreeMap<String, serde_json::Value>,
}

/// Outcome of a policy rule.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleOutcome {
    /// Send to a credit officer.
    Refer,
    /// Knock out.
    Decline,
}

/// A policy rule: when `when` holds, the rule fires with `outcome`.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// Rule id (`K01`...).
    pub id: String,
    /// Decline or refer.
    pub outcome: RuleOutcome,
    /// The condition.
    pub when: Condition,
    /// What the seller is told.
    pub message: String,
    /// Whether this rule flags suspected fraud (wash trading, self-dealing...).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub fraud: bool,
}

/// Score scaling: `score = offset + factor * ln(odds)`, `factor = pdo / ln 2`,
/// `offset = base_score - factor * ln(base_odds)` (odds are good:bad).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scaling {
    /// Score at `base_odds`.
    pub base_score: f64,
    /// Good:bad odds at `base_score`.
    pub base_odds: f64,
    /// Points to double the odds.
    pub pdo: f64,
}

impl Scaling {
    /// Points per unit of ln(odds).
    pub fn factor(&self) -> f64 {
        self.pdo / core::f64::consts::LN_2
    }
    /// The score at odds 1:1.
    pub fn offset(&self) -> f64 {
        self.base_score - self.factor() * libm::log(self.base_odds)
    }
    /// The PD implied by a score under this scaling.
    pub fn pd(&self, score: f64) -> f64 {
        let ln_odds = (score - self.offset()) / self.factor();
        1.0 / (1.0 + libm::exp(ln_odds))
    }
}

/// How reason codes rank characteristics (PMML's `reasonCodeAlgorithm`).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReasonAlgorithm {
    /// Adverse = baseline minus points (points below the baseline cost the seller).
    #[default]
    PointsBelow,
    /// Adverse = points minus baseline.
    PointsAbove,
}

/// The scorecard: characteristics whose points add up to the score.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scorecard {
    /// Scaling of points to odds.
    pub scaling: Scaling,
    /// Points every seller starts with (the intercept, already scaled).
    #[serde(default)]
    pub base_points: f64,
    /// How adverse reasons are measured.
    #[serde(default)]
    pub reason_algorithm: ReasonAlgorithm,
    /// The characteristics.
    pub characteristics: Vec<Characteristic>,
}

/// One characteristic of the scorecard.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Characteristic {
    /// Name (unique in the scorecard).
    pub name: String,
    /// The feature it reads; bins with `when` may read others.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feature: Option<String>,
    /// Reason code reported when this characteristic costs points.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason_code: Option<String>,
    /// Plain-language reason shown to the seller.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The reason shown when the points were lost because the value was missing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub missing_reason: Option<String>,
    /// The reference points adverse reasons are measured against (default: the best points).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline_points: Option<f64>,
    /// Points when the feature is missing or no bin matches (default: the lowest bin's points).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub missing_points: Option<f64>,
    /// Bins, first match wins.
    pub bins: Vec<Bin>,
}

/// One bin (PMML `Attribute`). Exactly one of: a numeric interval `[lower, upper)`, a list of
/// `categories`, a list of `special` values, or a `when` condition.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bin {
    /// Inclusive lower bound (absent: minus infinity).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lower: Option<f64>,
    /// Exclusive upper bound (absent: plus infinity).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upper: Option<f64>,
    /// Categories (text or numeric codes) this bin takes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub categories: Option<Vec<Operand>>,
    /// Special numeric values (like -7, -8, -9 codes) this bin takes, matched before intervals.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub special: Option<Vec<f64>>,
    /// A general condition (imported PMML predicates).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<Condition>,
    /// Points scored in this bin.
    pub points: f64,
    /// Points as a linear function of the feature (PMML `ComplexPartialScore`), overriding
    /// `points`: `intercept + slope * value`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partial_score: Option<PartialScore>,
    /// Reason code overriding the characteristic's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason_code: Option<String>,
    /// Human label (`"< 2%"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

/// `intercept + slope * feature` (a linear `ComplexPartialScore`).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartialScore {
    /// Constant term.
    #[serde(default)]
    pub intercept: f64,
    /// Coefficient of the feature.
    pub slope: f64,
}

impl Bin {
    fn is_interval(&self) -> bool {
        self.categories.is_none() && self.special.is_none() && self.when.is_none()
    }
}

/// Score to PD, written `{"method": "scaling"}`, `{"method": "logistic", "intercept": ..,
/// "slope": ..}` or `{"method": "table", "points": [[score, pd], ..]}`. A field that belongs to
/// another method (a `slope` on `scaling`) is an `unknown_field` error, not ignored.
///
/// ```
/// use merchant_credit::model::Calibration;
/// let c: Calibration = serde_json::from_str(r#"{"method": "logistic", "intercept": -4, "slope": -0.01}"#).unwrap();
/// assert_eq!(c, Calibration::Logistic { intercept: -4.0, slope: -0.01 });
/// assert!(serde_json::from_str::<Calibration>(r#"{"method": "scaling", "slope": -0.01}"#).is_err());
/// ```
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(description = "Score to PD."))]
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
#[serde(tag = "method", rename_all = "snake_case", deny_unknown_fields)]
pub enum Calibration {
    /// PD from the scorecard's scaling (odds doubling every `pdo`).
    #[default]
    Scaling,
    /// `PD = 1 / (1 + exp(-(intercept + slope * score)))`.
    Logistic {
        /// Intercept.
        intercept: f64,
        /// Slope (negative: higher score, lower PD).
        slope: f64,
    },
    /// Interpolated in log-odds between `(score, pd)` points, sorted by score.
    Table {
        /// The points.
        points: Vec<(f64, f64)>,
    },
}

/// The JSON shape of a [`Calibration`]: every method's fields, checked against the method once
/// read. serde's internally tagged enums buffer the object and read it again, which accepted a
/// `slope` on `scaling` silently, reported a bad table point as `malformed_json` at
/// `calibration` instead of the point's own path, and compiled every field's code twice.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CalibrationFields {
    method: CalibrationMethod,
    #[serde(default)]
    intercept: Option<f64>,
    #[serde(default)]
    slope: Option<f64>,
    #[serde(default)]
    points: Option<Vec<(f64, f64)>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum CalibrationMethod {
    Scaling,
    Logistic,
    Table,
}

impl<'de> Deserialize<'de> for Calibration {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        use serde::de::Error as _;
        let f = CalibrationFields::deserialize(d)?;
        let allowed: &'static [&'static str] = match f.method {
            CalibrationMethod::Scaling => &["method"],
            CalibrationMethod::Logistic => &["method", "intercept", "slope"],
            CalibrationMethod::Table => &["method", "points"],
        };
        let given = [("intercept", f.intercept.is_some()), ("slope", f.slope.is_some()), ("points", f.points.is_some())];
        if let Some((name, _)) = given.iter().find(|(name, present)| *present && !allowed.contains(name)) {
            return Err(D::Error::unknown_field(name, allowed));
        }
        Ok(match f.method {
            CalibrationMethod::Scaling => Calibration::Scaling,
            CalibrationMethod::Logistic => Calibration::Logistic {
                intercept: f.intercept.ok_or_else(|| D::Error::missing_field("intercept"))?,
                slope: f.slope.ok_or_else(|| D::Error::missing_field("slope"))?,
            },
            CalibrationMethod::Table => Calibration::Table { points: f.points.ok_or_else(|| D::Error::missing_field("points"))? },
        })
    }
}

/// A grade and the lowest score that earns it.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Grade {
    /// Grade name (`A`...).
    pub grade: String,
    /// Lowest score for this grade; absent on the last (catch-all) grade.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_score: Option<f64>,
}

/// PD thresholds.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Thresholds {
    /// Approve when PD is at most this (and no rule fires).
    pub approve_max_pd: f64,
    /// Refer when PD is at most this; decline above.
    pub refer_max_pd: f64,
}

/// Absolute bounds of a line in one currency.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bounds {
    /// Below this, no line is offered.
    pub min: f64,
    /// The largest line.
    pub max: f64,
    /// Lines are rounded down to a multiple of this.
    pub rounding: f64,
}

/// How the credit line is sized.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LimitPolicy {
    /// Multiple of average monthly net sales, by grade.
    pub sales_multiple: BTreeMap<String, f64>,
    /// The sales line is at most this share of annual net sales.
    pub annual_sales_cap: f64,
    /// Share of eligible pending receivables that can be advanced.
    pub receivables_advance_rate: f64,
    /// Share of debt owed elsewhere deducted from the line.
    pub debt_deduction: f64,
    /// Line multiplier when the decision is refer (a provisional line for the officer).
    pub refer_factor: f64,
    /// Absolute bounds per currency. Currencies not listed get no absolute cap (a data-quality
    /// note says so); sales-based caps still apply.
    pub bounds: BTreeMap<String, Bounds>,
}

/// The products of the ladder.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProductKind {
    /// Short-term financing of a supplier purchase order.
    PurchaseFinancing,
    /// Advance against pending platform settlements.
    ReceivablesAdvance,
    /// A loan sized on sales.
    WorkingCapital,
}

impl ProductKind {
    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            ProductKind::PurchaseFinancing => "purchase_financing",
            ProductKind::ReceivablesAdvance => "receivables_advance",
            ProductKind::WorkingCapital => "working_capital",
        }
    }
}

/// What a product's amount is a share of.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AmountBasis {
    /// The credit line.
    Line,
    /// The receivables part of the line.
    Receivables,
    /// The sales part of the line.
    Sales,
}

/// How a product is repaid.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RepaymentMethod {
    /// A share of daily sales until repaid.
    Holdback,
    /// Equal monthly installments.
    Installments,
    /// Everything at term end.
    Bullet,
}

/// One product.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Product {
    /// Which product.
    pub product: ProductKind,
    /// When the store's data supports it (default: always).
    #[serde(default = "always")]
    pub eligible: Condition,
    /// Grades that may get it (default: all).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grades: Option<Vec<String>>,
    /// What the amount is a share of.
    pub basis: AmountBasis,
    /// The share.
    pub share: f64,
    /// Term in days.
    pub term_days: u32,
    /// Repayment method.
    pub repayment: RepaymentMethod,
    /// Holdback share of daily sales by grade (`holdback` only).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub holdback_rate: BTreeMap<String, f64>,
    /// Number of monthly installments (`installments` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub installments: Option<u32>,
    /// Affordability: the repayment per month may take at most this share of average monthly
    /// net sales (the amount is reduced until it does).
    pub max_payment_to_sales: f64,
}

fn always() -> Condition {
    Condition::True
}

/// Risk-based pricing: fee = amount x (PD over the term x LGD + (cost of funds + margin) x
/// expected life + origination), APR from the repayment schedule, capped.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pricing {
    /// Annual cost of funds.
    pub cost_of_funds: f64,
    /// Loss given default.
    pub lgd: f64,
    /// Annual margin.
    pub margin: f64,
    /// One-off origination cost as a share of the amount.
    #[serde(default)]
    pub origination: f64,
    /// Offers whose APR would exceed this are not made.
    pub max_apr: f64,
}

impl Model {
    /// Parses and validates a model.
    pub fn from_json(text: &str) -> Result<Model> {
        if text.len() > MAX_MODEL_BYTES {
            return Err(Error::new(
                ErrorKind::TooLarge(format!("model of {} bytes; the limit is {MAX_MODEL_BYTES}", text.len())),
                "",
            ));
        }
        let m: Model = crate::error::from_json_str(text)?;
        m.validate()?;
        Ok(m)
    }

    /// Builds a model from a parsed JSON value and validates it.
    pub fn from_value(value: serde_json::Value) -> Result<Model> {
        let m: Model = crate::error::from_json_value(value)?;
        m.validate()?;
        Ok(m)
    }

    /// The embedded default model (an expert scorecard; see `docs/default-model.md`).
    pub fn default_model() -> Model {
        // The embedded model is validated by the test suite; parsing it cannot fail at run time.
        #[allow(clippy::expect_used)]
        Model::from_json(DEFAULT_MODEL_JSON).expect("the embedded default model is valid")
    }

    /// SHA-256 (hex) of the model's canonical JSON.
    pub fn sha256(&self) -> String {
        crate::receipt::sha256_hex(&crate::receipt::canonical_json(self))
    }

    /// Checks the model's internal consistency.
    pub fn validate(&self) -> Result<()> {
        let bad = |msg: String, path: String| Err(Error::new(ErrorKind::InvalidModel(msg), path));
        if let Some(s) = &self.schema {
            if s != MODEL_SCHEMA {
                return bad(format!("schema `{s}`, expected `{MODEL_SCHEMA}`"), "$schema".into());
            }
        }
        if self.id.trim().is_empty() {
            return bad("empty id".into(), "id".into());
        }
        let sc = &self.scorecard.scaling;
        if !(sc.pdo > 0.0 && sc.base_odds > 0.0 && sc.base_score.is_finite() && sc.pdo.is_finite() && sc.base_odds.is_finite()) {
            return bad("pdo and base_odds must be positive and finite".into(), "scorecard.scaling".into());
        }
        if self.scorecard.characteristics.is_empty() {
            return bad("a scorecard needs at least one characteristic".into(), "scorecard.characteristics".into());
        }
        let mut names = std::collections::HashSet::new();
        for (ci, c) in self.scorecard.characteristics.iter().enumerate() {
            let at = format!("scorecard.characteristics[{ci}]");
            if !names.insert(c.name.as_str()) {
                return bad(format!("duplicate characteristic `{}`", c.name), format!("{at}.name"));
            }
            validate_characteristic(c).map_err(|(m, p)| Error::new(ErrorKind::InvalidModel(m), crate::error::join_path(&at, &p)))?;
        }
        if self.grades.is_empty() {
            return bad("at least one grade is needed".into(), "grades".into());
        }
        let mut prev = f64::INFINITY;
        let last = self.grades.len() - 1;
        let mut gnames = std::collections::HashSet::new();
        for (i, g) in self.grades.iter().enumerate() {
            if !gnames.insert(g.grade.as_str()) {
                return bad(format!("duplicate grade `{}`", g.grade), format!("grades[{i}].grade"));
            }
            match g.min_score {
                Some(s) if !s.is_finite() => return bad("min_score is not finite".into(), format!("grades[{i}].min_score")),
                Some(s) if s >= prev => {
                    return bad(
                        format!("grade cut-offs must be strictly descending, best grade first: {s} follows {prev}"),
                        format!("grades[{i}].min_score"),
                    )
                }
                Some(s) => prev = s,
                None if i != last => return bad("only the last grade may omit min_score".into(), format!("grades[{i}].min_score")),
                None => {}
            }
        }
        let t = self.decision;
        if !(0.0..=1.0).contains(&t.approve_max_pd) || !(0.0..=1.0).contains(&t.refer_max_pd) || t.approve_max_pd > t.refer_max_pd {
            return bad("need 0 <= approve_max_pd <= refer_max_pd <= 1".into(), "decision".into());
        }
        match &self.calibration {
            Calibration::Scaling => {}
            Calibration::Logistic { intercept, slope } => {
                if !intercept.is_finite() || !slope.is_finite() {
                    return bad("coefficients must be finite".into(), "calibration".into());
                }
            }
            Calibration::Table { points } => {
                if points.len() < 2 || points.windows(2).any(|w| matches!(w, [a, b] if a.0 >= b.0)) || points.iter().any(|p| !(p.1 > 0.0 && p.1 < 1.0)) {
                    return bad("a table needs 2+ points with increasing scores and 0 < pd < 1".into(), "calibration.points".into());
                }
            }
        }
        for (i, r) in self.policy.iter().enumerate() {
            if r.id.trim().is_empty() {
                return bad("empty rule id".into(), format!("policy[{i}].id"));
            }
        }
        if let Some(l) = &self.limit {
            for g in &self.grades {
                if !l.sales_multiple.contains_key(&g.grade) {
                    return bad(format!("no sales multiple for grade `{}`", g.grade), "limit.sales_multiple".into());
                }
            }
            for (k, v) in &l.sales_multiple {
                if !(v.is_finite() && *v >= 0.0) {
                    return bad(format!("multiple for `{k}` must be >= 0"), "limit.sales_multiple".into());
                }
            }
            for (name, v) in [
                ("annual_sales_cap", l.annual_sales_cap),
                ("receivables_advance_rate", l.receivables_advance_rate),
                ("debt_deduction", l.debt_deduction),
                ("refer_factor", l.refer_factor),
            ] {
                if !(0.0..=1.0).contains(&v) {
                    return bad(format!("{name} must be within 0-1"), format!("limit.{name}"));
                }
            }
            for (cur, b) in &l.bounds {
                crate::store::check_currency(cur).map_err(|k| Error::new(k, format!("limit.bounds.{cur}")))?;
                if !(b.min >= 0.0 && b.max >= b.min && b.rounding > 0.0 && b.max.is_finite()) {
                    return bad("need 0 <= min <= max and rounding > 0".into(), format!("limit.bounds.{cur}"));
                }
            }
        }
        if !self.products.is_empty() && (self.pricing.is_none() || self.limit.is_none()) {
            return bad("products need `limit` and `pricing`".into(), "products".into());
        }
        for (i, p) in self.products.iter().enumerate() {
            let at = format!("products[{i}]");
            if p.term_days == 0 || p.term_days > 3650 {
                return bad("term_days must be 1-3650".into(), format!("{at}.term_days"));
            }
            if !(p.share > 0.0 && p.share <= 1.0 && p.max_payment_to_sales > 0.0 && p.max_payment_to_sales <= 1.0) {
                return bad("share and max_payment_to_sales must be within (0, 1]".into(), at);
            }
            match p.repayment {
                RepaymentMethod::Holdback => {
                    for g in &self.grades {
                        match p.holdback_rate.get(&g.grade) {
                            Some(r) if *r > 0.0 && *r <= 1.0 => {}
                            _ => return bad(format!("holdback_rate needs a rate in (0, 1] for grade `{}`", g.grade), format!("{at}.holdback_rate")),
                        }
                    }
                }
                RepaymentMethod::Installments => {
                    if !p.installments.is_some_and(|n| (1..=120).contains(&n)) {
                        return bad("installments must be 1-120".into(), format!("{at}.installments"));
                    }
                }
                RepaymentMethod::Bullet => {}
            }
        }
        if let Some(p) = &self.pricing {
            for (name, v) in [("cost_of_funds", p.cost_of_funds), ("lgd", p.lgd), ("margin", p.margin), ("origination", p.origination), ("max_apr", p.max_apr)] {
                if !(v.is_finite() && (0.0..=10.0).contains(&v)) {
                    return bad(format!("{name} must be within 0-10"), format!("pricing.{name}"));
                }
            }
            if p.lgd > 1.0 {
                return bad("lgd must be within 0-1".into(), "pricing.lgd".into());
            }
        }
        if let Some(l) = &self.lifecycle {
            l.validate()?;
        }
        Ok(())
    }

    /// Every feature name the model reads (scorecard and policy), deduplicated, in order.
    pub fn feature_names(&self) -> Vec<String> {
        let mut out: Vec<&str> = Vec::new();
        for c in &self.scorecard.characteristics {
            if let Some(f) = &c.feature {
                out.push(f);
            }
            for b in &c.bins {
                if let Some(w) = &b.when {
                    w.features(&mut out);
                }
            }
        }
        for r in &self.policy {
            r.when.features(&mut out);
        }
        let mut seen = std::collections::HashSet::new();
        out.into_iter().filter(|f| seen.insert(*f)).map(str::to_string).collect()
    }
}

fn validate_characteristic(c: &Characteristic) -> std::result::Result<(), (String, String)> {
    if c.bins.is_empty() {
        return Err(("a characteristic needs at least one bin".into(), "bins".into()));
    }
    let mut intervals: Vec<(usize, f64, f64)> = Vec::new();
    for (bi, b) in c.bins.iter().enumerate() {
        let at = format!("bins[{bi}]");
        let forms = usize::from(b.categories.is_some()) + usize::from(b.special.is_some()) + usize::from(b.when.is_some());
        if forms > 1 || (forms == 1 && (b.lower.is_some() || b.upper.is_some())) {
            return Err(("a bin is one of: an interval, categories, special values, or a condition".into(), at));
        }
        if !b.points.is_finite() {
            return Err(("points must be finite".into(), format!("{at}.points")));
        }
        if let Some(ps) = b.partial_score {
            if !ps.intercept.is_finite() || !ps.slope.is_finite() {
                return Err(("partial_score must be finite".into(), format!("{at}.partial_score")));
            }
        }
        if (b.is_interval() || b.special.is_some() || b.categories.is_some()) && c.feature.is_none() {
            return Err(("bins other than `when` need the characteristic's `feature`".into(), at));
        }
        if b.is_interval() {
            let lo = b.lower.unwrap_or(f64::NEG_INFINITY);
            let hi = b.upper.unwrap_or(f64::INFINITY);
            if lo.is_nan() || hi.is_nan() || lo >= hi {
                return Err((format!("empty interval [{lo}, {hi})"), at));
            }
            intervals.push((bi, lo, hi));
        }
    }
    if !intervals.is_empty() {
        sort::sort_by(&mut intervals, |a, b| a.1.total_cmp(&b.1));
        if let Some(first) = intervals.first() {
            if first.1 != f64::NEG_INFINITY {
                return Err((format!("bins do not cover the real line: nothing below {}", first.1), format!("bins[{}].lower", first.0)));
            }
        }
        for w in intervals.windows(2) {
            let &[a, b] = w else { continue };
            if b.1 < a.2 {
                return Err((format!("overlapping bins: [{}, {}) and [{}, {})", a.1, a.2, b.1, b.2), format!("bins[{}]", b.0)));
            }
            if b.1 > a.2 {
                return Err((format!("bins do not cover the real line: gap [{}, {})", a.2, b.1), format!("bins[{}]", b.0)));
            }
        }
        if let Some(last) = intervals.last() {
            if last.2 != f64::INFINITY {
                return Err((format!("bins do not cover the real line: nothing at or above {}", last.2), format!("bins[{}].upper", last.0)));
            }
        }
    }
    for (name, v) in [("missing_points", c.missing_points), ("baseline_points", c.baseline_points)] {
        if v.is_some_and(|v| !v.is_finite()) {
            return Err((format!("{name} must be finite"), name.into()));
        }
    }
    Ok(())
}
