//! Scoring flat records (one CSV row or one JSON object of `column: value` per applicant) with a
//! model's scorecard: score, PD, grade and ranked reasons per record, and the ids of the model's
//! policy rules that hold on the record (reported, not applied: the score is given either way).
//! Limits and offers are not computed here: a flat record is not a store.

use super::table::Table;
use crate::features::Features;
use crate::scorecard::{self, Reason};
use crate::Model;
use serde::{Deserialize, Serialize};

/// The score of one flat record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FlatScore {
    /// Score, rounded to an integer (PD and grade are taken from it).
    pub score: f64,
    /// The unrounded sum of points (base points plus every characteristic's points), as a PMML
    /// evaluator reports it.
    pub raw_score: f64,
    /// Probability of default at `score`.
    pub pd: f64,
    /// Grade at `score`.
    pub grade: String,
    /// Ranked adverse reasons, most adverse first.
    pub reasons: Vec<Reason>,
    /// Points per characteristic, in model order.
    pub points: Vec<f64>,
    /// Ids of the model's policy rules whose condition holds on the record, in model order
    /// (absent when none). An imported PMML model's `PMML-INVALID` rule here means a PMML
    /// evaluator returns no score for this record (an invalid input under `returnInvalid`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<String>,
}

/// Scores one feature vector.
pub fn score_features(model: &Model, f: &Features) -> FlatScore {
    let r = scorecard::score(model, f);
    let raw = model.scorecard.base_points + r.contributions.iter().map(|c| c.points).sum::<f64>();
    FlatScore {
        score: r.score,
        raw_score: libm::round(raw * 1e6) / 1e6,
        pd: r.pd,
        grade: r.grade,
        points: r.contributions.iter().map(|c| c.points).collect(),
        reasons: r.reasons,
        rules: model.policy.iter().filter(|p| p.when.eval(f)).map(|p| p.id.clone()).collect(),
    }
}

/// Scores every row of a table, in order.
pub fn score_table(model: &Model, table: &Table) -> Vec<FlatScore> {
    (0..table.rows.len()).map(|i| score_features(model, &table.features(i))).collect()
}

/// Scores CSV text (header line, then one record per line).
pub fn score_csv(model: &Model, csv: &str) -> crate::Result<Vec<FlatScore>> {
    Ok(score_table(model, &Table::parse(csv)?))
}
