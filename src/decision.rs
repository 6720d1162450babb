//! The Decision (`merchant-credit/decision@1`) and the engine that produces it.

use crate::date::Date;
use crate::error::Result;
use crate::features::{self, DataQuality, Features};
use crate::limit::{self, CreditLine, Offer};
use crate::model::{Model, RuleOutcome};
use crate::policy::{self, PolicyHit};
use crate::receipt::{self, Receipt};
use crate::scorecard::{self, Contribution, Reason};
use crate::sort;
use crate::store::StoreData;
use serde::{Deserialize, Serialize};

/// The schema tag of decisions.
pub const DECISION_SCHEMA: &str = "merchant-credit/decision@1";

/// Approve, refer or decline.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Offers can be made.
    Approve,
    /// A credit officer decides; the line shown is provisional.
    Refer,
    /// No credit.
    Decline,
}

impl Outcome {
    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Approve => "approve",
            Outcome::Refer => "refer",
            Outcome::Decline => "decline",
        }
    }
}

/// Which model decided.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelRef {
    /// Model id.
    pub id: String,
    /// Model version.
    pub version: String,
    /// SHA-256 of the model's canonical JSON.
    pub sha256: String,
}

/// A credit decision for one seller on one date.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    /// Always `merchant-credit/decision@1`.
    #[serde(rename = "$schema")]
    pub schema: String,
    /// The seller.
    pub merchant_id: String,
    /// The evaluation date.
    pub as_of: Date,
    /// approve | refer | decline.
    pub decision: Outcome,
    /// Scorecard score (rounded to an integer; grade and PD are read at this score).
    pub score: i32,
    /// Probability of default over 12 months.
    pub pd: f64,
    /// Risk grade.
    pub grade: String,
    /// The credit line.
    pub credit_line: CreditLine,
    /// Offers per product.
    pub offers: Vec<Offer>,
    /// Adverse reasons, most adverse first.
    pub reasons: Vec<Reason>,
    /// Policy rules that fired.
    pub policy: Vec<PolicyHit>,
    /// Every characteristic's points (the score decomposes exactly into these plus base points).
    pub score_breakdown: Vec<Contribution>,
    /// The feature vector.
    pub features: Features,
    /// Notes on data quality.
    pub data_quality: Vec<DataQuality>,
    /// The model used.
    pub model: ModelRef,
    /// Digests of input, model and decision.
    pub receipt: Receipt,
}

impl Decision {
    /// The decision as compact JSON (the bytes that must match natively and in wasm).
    pub fn to_json(&self) -> String {
        crate::receipt::to_json(self).unwrap_or_default()
    }
    /// The decision as indented JSON.
    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

/// A validated model with its digest computed once, ready to evaluate many stores.
///
/// ```
/// use merchant_credit::{Engine, StoreData};
/// let engine = Engine::default();
/// let store = StoreData::from_json(include_str!("../examples/store.json")).unwrap();
/// let d = engine.evaluate(&store);
/// assert_eq!(d.model.id, "default");
/// assert!(d.score > 300 && d.score < 900);
/// ```
#[derive(Debug, Clone)]
pub struct Engine {
    model: Model,
    model_ref: ModelRef,
    /// The SHA-256 of the input and decision digests (the engine's own unless a platform's was
    /// given with [`Engine::with_sha256`]).
    sha256: receipt::Sha256Fn,
}

impl Default for Engine {
    fn default() -> Self {
        Engine::new(Model::default_model())
    }
}

impl Engine {
    /// An engine for a validated model.
    pub fn new(model: Model) -> Engine {
        let model_ref = ModelRef { id: model.id.clone(), version: model.version.clone(), sha256: model.sha256() };
        Engine { model, model_ref, sha256: receipt::sha256 }
    }

    /// The same engine with another SHA-256 implementation for the receipts' input and decision
    /// digests: a platform's own, when it is faster than the engine's (the Node.js package gives
    /// `node:crypto`'s, which uses the CPU's SHA instructions; a WebAssembly module cannot). It
    /// must compute SHA-256 exactly, or receipts stop matching the server's.
    ///
    /// ```
    /// use merchant_credit::{receipt, Engine, StoreData};
    /// fn same_sha256(bytes: &[u8]) -> [u8; 32] { receipt::sha256(bytes) }
    /// let store = StoreData::from_json(include_str!("../examples/new-seller.json")).unwrap();
    /// let a = Engine::default().evaluate(&store);
    /// let b = Engine::default().with_sha256(same_sha256).evaluate(&store);
    /// assert_eq!(a.to_json(), b.to_json());
    /// ```
    pub fn with_sha256(mut self, sha256: receipt::Sha256Fn) -> Engine {
        self.sha256 = sha256;
        self
    }

    /// An engine from model JSON.
    pub fn from_model_json(text: &str) -> Result<Engine> {
        Ok(Engine::new(Model::from_json(text)?))
    }

    /// The model.
    pub fn model(&self) -> &Model {
        &self.model
    }

    /// The model's id, version and digest.
    pub fn model_ref(&self) -> &ModelRef {
        &self.model_ref
    }

    /// Parses, validates and evaluates StoreData JSON.
    pub fn evaluate_json(&self, store_json: &str) -> Result<Decision> {
        Ok(self.evaluate(&StoreData::from_json(store_json)?))
    }

    /// Evaluates a validated store, with a receipt.
    ///
    /// The receipt's `decision_sha256` is the digest of the decision's canonical JSON, derived from
    /// its output text ([`Engine::evaluate_with_json`]); [`decision_digest`] computes it again
    /// from the value.
    pub fn evaluate(&self, store: &StoreData) -> Decision {
        self.evaluate_with_json(store).0
    }

    /// Parses, validates and evaluates StoreData JSON, returning the decision's compact JSON: the
    /// same bytes as `evaluate_json(text)?.to_json()`, faster ([`Engine::evaluate_to_json`]).
    pub fn evaluate_json_to_json(&self, store_json: &str) -> Result<String> {
        Ok(self.evaluate_to_json(&StoreData::from_json(store_json)?))
    }

    /// Evaluates a validated store and returns the decision's compact JSON: the same bytes as
    /// `evaluate(store).to_json()`, with the decision serialized once instead of twice. The text
    /// is written with `decision_sha256` still empty, the canonical JSON that digest covers is
    /// derived from that text ([`receipt::canonical_from_json`]), and the digest is written into
    /// the text (the receipt is the decision's last member, `decision_sha256` the receipt's last).
    /// Saves about a tenth of an evaluation of a small store. The Node.js and browser packages'
    /// `evaluateJson`, the CLI and the server answer with it.
    ///
    /// ```
    /// use merchant_credit::{Engine, StoreData};
    /// let engine = Engine::default();
    /// let store = StoreData::from_json(include_str!("../examples/monthly-only.json")).unwrap();
    /// assert_eq!(engine.evaluate_to_json(&store), engine.evaluate(&store).to_json());
    /// ```
    pub fn evaluate_to_json(&self, store: &StoreData) -> String {
        self.evaluate_with_json(store).1
    }

    /// [`Engine::evaluate`] and the decision's compact JSON ([`Engine::evaluate_to_json`]), for
    /// callers that need both (the server logs and counts the decision it sends).
    pub fn evaluate_with_json(&self, store: &StoreData) -> (Decision, String) {
        let mut d = self.evaluate_unsigned(store);
        d.receipt.input_sha256 = receipt::hex(&(self.sha256)(&store.canonical_json()));
        let mut text = d.to_json();
        // the digest goes between the last member's quotes: before `"}}`
        match text.len().checked_sub(3) {
            Some(at) if text.ends_with(UNSIGNED_TAIL) => {
                d.receipt.decision_sha256 = receipt::hex(&(self.sha256)(&receipt::canonical_from_json(text.as_bytes())));
                text.insert_str(at, &d.receipt.decision_sha256);
                (d, text)
            }
            // (not reached while the receipt is written last: tests::signed_text_ends_with_the_digest)
            _ => {
                d.receipt.decision_sha256 = unsigned_digest(&d, self.sha256);
                let text = d.to_json();
                (d, text)
            }
        }
    }

    /// Evaluates a validated store; the receipt carries the model digest but leaves the input and
    /// decision digests empty (for what-if and monitoring loops that do not need them).
    pub fn evaluate_unsigned(&self, store: &StoreData) -> Decision {
        let (features, notes) = features::compute(store, &self.model.features);
        self.decide(store.merchant.id.clone(), store.as_of, &store.currency, features, notes)
    }

    /// Decides on a feature vector already computed (used by `whatIf`).
    pub fn decide(&self, merchant_id: String, as_of: Date, currency: &str, features: Features, mut notes: Vec<DataQuality>) -> Decision {
        let m = &self.model;
        let s = scorecard::score(m, &features);
        let mut hits = policy::evaluate(m, &features);
        let declined_by_rule = hits.iter().any(|h| h.outcome == RuleOutcome::Decline);
        let referred_by_rule = hits.iter().any(|h| h.outcome == RuleOutcome::Refer);
        let mut outcome = if declined_by_rule || s.pd > m.decision.refer_max_pd {
            Outcome::Decline
        } else if referred_by_rule || s.pd > m.decision.approve_max_pd {
            Outcome::Refer
        } else {
            Outcome::Approve
        };
        let factor = match outcome {
            Outcome::Approve => 1.0,
            Outcome::Refer => m.limit.as_ref().map_or(0.0, |l| l.refer_factor),
            Outcome::Decline => 0.0,
        };
        let sizing = limit::size(m, currency, &features, &s.grade, s.pd, factor);
        if sizing.below_minimum && outcome != Outcome::Decline {
            outcome = Outcome::Decline;
            hits.push(PolicyHit {
                rule: "L01".into(),
                outcome: RuleOutcome::Decline,
                message: "The sales and receivables seen support a line below the minimum we can offer.".into(),
                features: vec!["avg_monthly_net_sales_3m".into(), "receivables_pending".into()],
                fraud: false,
            });
        }
        notes.extend(sizing.notes);
        sort::sort_by(&mut notes, |a, b| b.severity.cmp(&a.severity).then_with(|| a.code.cmp(&b.code)));
        Decision {
            schema: DECISION_SCHEMA.to_string(),
            merchant_id,
            as_of,
            decision: outcome,
            score: s.score as i32,
            pd: s.pd,
            grade: s.grade,
            credit_line: sizing.line,
            offers: if outcome == Outcome::Decline { Vec::new() } else { sizing.offers },
            reasons: s.reasons,
            policy: hits,
            score_breakdown: s.contributions,
            features,
            data_quality: notes,
            model: self.model_ref.clone(),
            receipt: Receipt {
                engine: receipt::ENGINE.to_string(),
                input_sha256: String::new(),
                model_sha256: self.model_ref.sha256.clone(),
                decision_sha256: String::new(),
            },
        }
    }
}

/// How the compact JSON of a decision whose `decision_sha256` is still empty ends.
const UNSIGNED_TAIL: &str = r#""decision_sha256":""}}"#;

/// SHA-256 of a decision's canonical JSON with `receipt.input_sha256` kept and
/// `receipt.decision_sha256` blanked (the digest cannot cover itself).
pub fn decision_digest(d: &Decision) -> String {
    if d.receipt.decision_sha256.is_empty() {
        // as when an evaluation signs its decision: nothing to blank, no copy
        return unsigned_digest(d, receipt::sha256);
    }
    let mut copy = d.clone();
    copy.receipt.decision_sha256 = String::new();
    unsigned_digest(&copy, receipt::sha256)
}

/// The digest of a decision whose `decision_sha256` is still empty, with a given SHA-256
/// ([`Engine::with_sha256`]). (Kept apart from [`decision_digest`] so that evaluating does not
/// compile in a deep copy of `Decision` it never makes.)
fn unsigned_digest(d: &Decision, sha256: receipt::Sha256Fn) -> String {
    receipt::hex(&sha256(&receipt::canonical_json(d)))
}

/// Evaluates StoreData JSON with the embedded default model: the one-call entry point.
///
/// ```
/// let decision = merchant_credit::evaluate_json(include_str!("../examples/store.json")).unwrap();
/// assert!(!decision.receipt.input_sha256.is_empty());
/// ```
pub fn evaluate_json(store_json: &str) -> Result<Decision> {
    Engine::default().evaluate_json(store_json)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `evaluate_to_json` writes the digest into the text where the receipt's `decision_sha256`
    /// is, which it finds at the end of the text: this fails if a member is ever added after it.
    #[test]
    fn signed_text_ends_with_the_digest() {
        let engine = Engine::default();
        let store = StoreData::from_json(include_str!("../examples/new-seller.json")).unwrap();
        let mut d = engine.evaluate_unsigned(&store);
        assert!(d.to_json().ends_with(UNSIGNED_TAIL));
        d.receipt.decision_sha256 = "ab".repeat(32);
        assert!(d.to_json().ends_with(&format!(r#""decision_sha256":"{}"}}}}"#, "ab".repeat(32))));
        let text = engine.evaluate_to_json(&store);
        let signed = engine.evaluate(&store);
        assert!(text.ends_with(&format!("{}\"}}}}", signed.receipt.decision_sha256)));
        assert_eq!(text, signed.to_json());
        let (d, text) = engine.evaluate_with_json(&store);
        assert_eq!((d.to_json(), d), (text, signed));
    }
}
