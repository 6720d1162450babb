//! Knock-out and refer rules: the model's structured conditions evaluated on the features.

use crate::features::Features;
use crate::model::{Model, RuleOutcome};
use serde::{Deserialize, Serialize};

/// A rule that fired.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyHit {
    /// Rule id.
    pub rule: String,
    /// `decline` or `refer`.
    pub outcome: RuleOutcome,
    /// What the seller is told.
    pub message: String,
    /// The features the rule read, for the officer.
    pub features: Vec<String>,
    /// Whether the rule flags suspected fraud.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub fraud: bool,
}

/// Every rule that fires, in model order.
///
/// ```
/// use merchant_credit::{Model, features::{Features, FeatureValue}, policy};
/// let model = Model::default_model();
/// let mut f = Features::default();
/// f.insert("store_age_months", FeatureValue::Num(1.0));
/// let hits = policy::evaluate(&model, &f);
/// assert!(hits.iter().any(|h| h.features.contains(&"store_age_months".to_string())));
/// ```
pub fn evaluate(model: &Model, f: &Features) -> Vec<PolicyHit> {
    model
        .policy
        .iter()
        .filter(|r| r.when.eval(f))
        .map(|r| {
            let mut names = Vec::new();
            r.when.features(&mut names);
            let mut seen = std::collections::BTreeSet::new();
            let features = names.into_iter().filter(|n| seen.insert(*n)).map(str::to_string).collect();
            PolicyHit { rule: r.id.clone(), outcome: r.outcome, message: r.message.clone(), features, fraud: r.fraud }
        })
        .collect()
}
