//! Scoring: per-characteristic points, total score, PD, grade and ranked adverse reasons.
//!
//! Bin matching follows PMML's Scorecard semantics: special values first, then the first bin
//! (in the model's order) whose interval, category list or condition matches; a missing value, or a
//! value no bin takes, scores the characteristic's `missing_points`. The adverse part of each
//! characteristic is measured against its baseline (by default the best points it can give) and
//! summed per reason code; reasons are ranked most adverse first.

use crate::features::{FeatureValue, Features};
use crate::model::{Bin, Calibration, Characteristic, Model, ReasonAlgorithm};
use crate::sort;
use serde::{Deserialize, Serialize};

/// One characteristic's part of the score.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contribution {
    /// Characteristic name.
    pub characteristic: String,
    /// Feature it read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feature: Option<String>,
    /// Points scored.
    pub points: f64,
    /// Baseline points.
    pub baseline: f64,
    /// Index of the matched bin; `None` when the missing points applied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bin: Option<usize>,
    /// Reason code in effect.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason_code: Option<String>,
}

/// One adverse reason, as shown to the seller.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reason {
    /// Reason code.
    pub code: String,
    /// The feature behind it.
    pub feature: String,
    /// Points it cost against the baseline (negative).
    pub points: f64,
    /// Plain-language message.
    pub message: String,
    /// True when the points were lost because the data was missing (the message then says what
    /// to provide, not what went wrong).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub missing: bool,
}

/// The result of scoring a feature vector.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScoreResult {
    /// Total score, rounded to the nearest integer (grade and PD are taken from it).
    pub score: f64,
    /// PD at that score.
    pub pd: f64,
    /// Grade at that score.
    pub grade: String,
    /// Ranked adverse reasons.
    pub reasons: Vec<Reason>,
    /// Every characteristic's contribution, in model order.
    pub contributions: Vec<Contribution>,
}

fn bin_matches(b: &Bin, v: &FeatureValue, f: &Features) -> bool {
    if let Some(w) = &b.when {
        return w.eval(f);
    }
    if let Some(cats) = &b.categories {
        // the `in` operator of conditions: a missing value is in no list
        return !v.is_missing() && cats.iter().any(|o| crate::model::value_equals(v, o));
    }
    if b.special.is_some() {
        return false; // handled before intervals
    }
    match v.as_num() {
        Some(x) => b.lower.is_none_or(|lo| x >= lo) && b.upper.is_none_or(|hi| x < hi),
        None => false,
    }
}

fn points_of(b: &Bin, v: &FeatureValue) -> f64 {
    match (b.partial_score, v.as_num()) {
        (Some(ps), Some(x)) => ps.intercept + ps.slope * x,
        _ => b.points,
    }
}

/// The points a characteristic gives, and the bin that gave them.
pub fn characteristic_points(c: &Characteristic, f: &Features) -> (f64, Option<usize>) {
    let missing = c.missing_points.unwrap_or_else(|| c.bins.iter().map(|b| b.points).fold(f64::INFINITY, f64::min));
    let v = match &c.feature {
        Some(name) => f.get(name).cloned().unwrap_or(FeatureValue::Missing),
        None => FeatureValue::Num(0.0),
    };
    let has_when = c.bins.iter().any(|b| b.when.is_some());
    if v.is_missing() && !has_when {
        return (missing, None);
    }
    if let Some(x) = v.as_num() {
        for (i, b) in c.bins.iter().enumerate() {
            if b.special.as_ref().is_some_and(|s| s.contains(&x)) {
                return (b.points, Some(i));
            }
        }
    }
    for (i, b) in c.bins.iter().enumerate() {
        if bin_matches(b, &v, f) {
            return (points_of(b, &v), Some(i));
        }
    }
    (missing, None)
}

/// The baseline of a characteristic: explicit, or the best (highest) points it can give.
pub fn baseline(c: &Characteristic) -> f64 {
    c.baseline_points.unwrap_or_else(|| {
        let best = c.bins.iter().map(|b| b.points).fold(f64::NEG_INFINITY, f64::max);
        best.max(c.missing_points.unwrap_or(f64::NEG_INFINITY))
    })
}

/// PD at a score under the model's calibration.
pub fn pd_at(model: &Model, score: f64) -> f64 {
    let pd = match &model.calibration {
        Calibration::Scaling => model.scorecard.scaling.pd(score),
        Calibration::Logistic { intercept, slope } => 1.0 / (1.0 + libm::exp(-(intercept + slope * score))),
        Calibration::Table { points } => {
            let logit = |p: f64| libm::log(p / (1.0 - p));
            let first = points.first().copied().unwrap_or((0.0, 0.5));
            let last = points.last().copied().unwrap_or((0.0, 0.5));
            if score <= first.0 {
                first.1
            } else if score >= last.0 {
                last.1
            } else {
                let mut out = last.1;
                for w in points.windows(2) {
                    let &[(s0, p0), (s1, p1)] = w else { continue };
                    if score >= s0 && score <= s1 {
                        let t = (score - s0) / (s1 - s0);
                        let l = logit(p0) + t * (logit(p1) - logit(p0));
                        out = 1.0 / (1.0 + libm::exp(-l));
                        break;
                    }
                }
                out
            }
        }
    };
    // PDs are reported to 6 decimals and kept away from exactly 0 and 1.
    (libm::round(pd * 1e6) / 1e6).clamp(1e-6, 1.0 - 1e-6)
}

/// The grade at a score.
pub fn grade_at(model: &Model, score: f64) -> String {
    for g in &model.grades {
        match g.min_score {
            Some(min) if score >= min => return g.grade.clone(),
            None => return g.grade.clone(),
            _ => {}
        }
    }
    model.grades.last().map(|g| g.grade.clone()).unwrap_or_default()
}

/// Scores a feature vector with the model's scorecard.
pub fn score(model: &Model, f: &Features) -> ScoreResult {
    let sc = &model.scorecard;
    let mut total = sc.base_points;
    let mut contributions = Vec::with_capacity(sc.characteristics.len());
    // (code, feature, adverse points, message), summed per reason code in first-seen order
    let mut adverse: Vec<(String, String, f64, String, bool)> = Vec::new();
    for c in &sc.characteristics {
        let (points, bin) = characteristic_points(c, f);
        total += points;
        let base = baseline(c);
        let code = bin
            .and_then(|i| c.bins.get(i))
            .and_then(|b| b.reason_code.clone())
            .or_else(|| c.reason_code.clone());
        let diff = match sc.reason_algorithm {
            ReasonAlgorithm::PointsBelow => base - points,
            ReasonAlgorithm::PointsAbove => points - base,
        };
        // PMML semantics: differences are summed per reason code first (a code shared by several
        // characteristics nets their differences); only a positive sum is an adverse reason.
        if let Some(code) = &code {
            let feature = c.feature.clone().unwrap_or_else(|| c.name.clone());
            // A value that is missing (or that no bin takes) is not a fault of the seller's: say
            // what data would help instead of repeating the characteristic's adverse message.
            let missing = bin.is_none();
            let message = match (missing, &c.missing_reason, &c.reason) {
                (true, Some(m), _) => m.clone(),
                (true, None, _) => format!("No data on {}: providing it could raise the score.", c.name),
                (false, _, Some(m)) => m.clone(),
                (false, _, None) => format!("{} lowered the score", c.name),
            };
            match adverse.iter_mut().find(|a| &a.0 == code) {
                Some(a) => a.2 += diff,
                None => adverse.push((code.clone(), feature, diff, message, missing)),
            }
        }
        contributions.push(Contribution {
            characteristic: c.name.clone(),
            feature: c.feature.clone(),
            points: round6(points),
            baseline: round6(base),
            bin,
            reason_code: code,
        });
    }
    adverse.retain(|a| a.2 > 1e-9);
    // stable sort: ties keep model order
    sort::sort_by(&mut adverse, |a, b| b.2.total_cmp(&a.2));
    let reasons = adverse
        .into_iter()
        .map(|(code, feature, d, message, missing)| Reason { code, feature, points: round6(-d), message, missing })
        .collect();
    let score = libm::round(total);
    ScoreResult { score, pd: pd_at(model, score), grade: grade_at(model, score), reasons, contributions }
}

pub(crate) fn round6(x: f64) -> f64 {
    let r = libm::round(x * 1e6) / 1e6;
    if r == 0.0 {
        0.0
    } else {
        r
    }
}
