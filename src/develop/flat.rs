//! Scoring flat records (one CSV row or one JSON object of `column: value` per applicant) with a
//! model's scorecard: score, PD, grade and ranked reasons per record. Policy rules, limits and
//! offers are not applied here: a flat record is not a store.

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
