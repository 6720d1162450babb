//! Scorecard training on a flat table: binning, WOE and IV, selection by IV and correlation,
//! L2-regularised logistic regression on WOE, scaling to points, and a [`Model`] the engine runs,
//! with a readable report attached as `extensions.training_report`.
//!
//! Column types: a column whose every non-missing cell is a number is numeric; a column with no
//! numbers is categorical; a column that is mostly (>= 90%) numbers with some text is rejected
//! (a data error such as `12,5` or `n.a.`) unless listed in `categorical`; other mixtures are
//! categorical. A categorical column with more than half as many distinct values as rows (and over
//! 50) is identifier-like and skipped. Rows whose target is missing are skipped and counted.

use super::binning::{bin_categorical, bin_numeric, BinKind, BinningOptions, Cell, ColumnBinning};
use super::table::{is_missing_cell, parse_num, Table};
use super::{logistic, metrics};
use crate::error::{Error, ErrorKind, Result};
use crate::model::{
    Bin, Calibration, Characteristic, Condition, Grade, Op, Operand, ReasonAlgorithm, Scaling, Scorecard, Thresholds,
};
use crate::Model;
use serde::Serialize;
use serde_json::json;

/// Training settings.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrainOptions {
    /// Target column.
    pub target: String,
    /// The target value that marks a bad (every other non-missing value is good).
    pub bad: String,
    /// Columns not to use.
    pub exclude: Vec<String>,
    /// Columns to treat as categorical even when numeric.
    pub categorical: Vec<String>,
    /// Binning settings (special codes included).
    pub binning: BinningOptions,
    /// Smallest information value for a column to be used.
    pub min_iv: f64,
    /// Largest absolute correlation (of WOE values) between two used columns.
    pub max_corr: f64,
    /// Most characteristics in the scorecard.
    pub max_features: usize,
    /// L2 penalty of the logistic regression.
    pub l2: f64,
    /// Points to double the odds.
    pub pdo: f64,
    /// Good:bad odds at `points`.
    pub odds: f64,
    /// Score at `odds`.
    pub points: f64,
    /// Share of rows held out for testing (0: none).
    pub test_share: f64,
    /// Seed of the deterministic split.
    pub seed: u64,
    /// Model id.
    pub id: String,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            target: String::new(),
            bad: String::new(),
            exclude: Vec::new(),
            categorical: Vec::new(),
            binning: BinningOptions::default(),
            min_iv: 0.02,
            max_corr: 0.7,
            max_features: 25,
            l2: 1.0,
            pdo: 20.0,
            odds: 50.0,
            points: 600.0,
            test_share: 0.0,
            seed: 42,
            id: "trained".into(),
        }
    }
}

/// The result of training.
#[derive(Debug, Clone, PartialEq)]
pub struct Trained {
    /// The model (its report is also in `extensions.training_report`).
    pub model: Model,
    /// The readable report.
    pub report: serde_json::Value,
}

fn terr(msg: impl Into<String>, path: impl Into<String>) -> Error {
    Error::new(ErrorKind::Training(msg.into()), path)
}

/// Whether row `i` is held out, for a share and seed (splitmix64 of the row index).
pub fn is_test_row(i: usize, share: f64, seed: u64) -> bool {
    if share <= 0.0 {
        return false;
    }
    let mut z = seed.wrapping_add((i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    ((z >> 11) as f64 / (1u64 << 53) as f64) < share
}

/// The labels of a table: `Some(true)` bad, `Some(false)` good, `None` target missing.
pub fn labels(table: &Table, target: &str, bad: &str) -> Result<Vec<Option<bool>>> {
    let t = table.column(target)?;
    let labels: Vec<Option<bool>> = table
        .rows
        .iter()
        .map(|r| r.get(t).filter(|c| !is_missing_cell(c)).map(|c| c.trim() == bad.trim()))
        .collect();
    let bads = labels.iter().filter(|l| **l == Some(true)).count();
    let goods = labels.iter().filter(|l| **l == Some(false)).count();
    if bads == 0 {
        let mut seen: Vec<&str> = table.rows.iter().filter_map(|r| r.get(t)).map(|c| c.trim()).collect();
        seen.sort_unstable();
        seen.dedup();
        seen.truncate(10);
        if goods == 0 {
            return Err(terr(format!("target column `{target}` has no values"), format!("column {target}")));
        }
        return Err(terr(
            format!("target value `{bad}` never occurs in column `{target}` (values seen: {})", seen.join(", ")),
            format!("column {target}"),
        ));
    }
    if goods == 0 {
        return Err(terr(
            format!("target column `{target}` has a single class: every row is `{bad}`; training needs goods and bads"),
            format!("column {target}"),
        ));
    }
    Ok(labels)
}

fn pearson(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len().min(b.len()) as f64;
    if n < 2.0 {
        return 0.0;
    }
    let ma = a.iter().sum::<f64>() / n;
    let mb = b.iter().sum::<f64>() / n;
    let (mut sab, mut saa, mut sbb) = (0.0, 0.0, 0.0);
    for (x, y) in a.iter().zip(b) {
        sab += (x - ma) * (y - mb);
        saa += (x - ma) * (x - ma);
        sbb += (y - mb) * (y - mb);
    }
    if saa <= 0.0 || sbb <= 0.0 {
        return 0.0;
    }
    sab / (saa * sbb).sqrt()
}

fn round2(x: f64) -> f64 {
    let r = libm::round(x * 100.0) / 100.0;
    if r == 0.0 {
        0.0
    } else {
        r
    }
}

/// Trains a scorecard on a table.
pub fn train(table: &Table, opt: &TrainOptions) -> Result<Trained> {
    if !(opt.pdo > 0.0 && opt.odds > 0.0 && opt.points.is_finite() && opt.pdo.is_finite() && opt.odds.is_finite()) {
        return Err(Error::new(ErrorKind::InvalidValue("pdo and odds must be positive".into()), "options"));
    }
    if !(0.0..0.9).contains(&opt.test_share) {
        return Err(Error::new(ErrorKind::InvalidValue("test share must be within [0, 0.9)".into()), "options"));
    }
    for c in opt.exclude.iter().chain(&opt.categorical) {
        table.column(c)?;
    }
    let all_labels = labels(table, &opt.target, &opt.bad)?;
    let rows_without_target = all_labels.iter().filter(|l| l.is_none()).count();
    let mut train_rows = Vec::new();
    let mut test_rows = Vec::new();
    for (i, l) in all_labels.iter().enumerate() {
        if l.is_some() {
            if is_test_row(i, opt.test_share, opt.seed) {
                test_rows.push(i);
            } else {
                train_rows.push(i);
            }
        }
    }
    let y: Vec<bool> = train_rows.iter().map(|&i| all_labels.get(i).copied().flatten().unwrap_or(false)).collect();
    let nb = y.iter().filter(|b| **b).count();
    if nb == 0 || nb == y.len() {
        return Err(terr("the training split has a single class; use more data or a smaller test share", ""));
    }
    // columns
    let mut binned: Vec<ColumnBinning> = Vec::new();
    let mut skipped: Vec<serde_json::Value> = Vec::new();
    for (j, name) in table.headers.iter().enumerate() {
        if *name == opt.target || opt.exclude.contains(name) {
            continue;
        }
        let raw: Vec<(&str, usize)> = train_rows
            .iter()
            .map(|&i| (table.rows.get(i).and_then(|r| r.get(j)).map_or("", String::as_str), table.lines.get(i).copied().unwrap_or(0)))
            .collect();
        let (mut nums, mut texts, mut first_text) = (0usize, 0usize, None);
        for (c, line) in &raw {
            if is_missing_cell(c) {
                continue;
            }
            if parse_num(c).is_some() {
                nums += 1;
            } else {
                texts += 1;
                first_text.get_or_insert((c.trim().to_string(), *line));
            }
        }
        if nums + texts == 0 {
            return Err(terr(
                format!("column `{name}` is entirely missing; drop it or pass --exclude {name}"),
                format!("column {name}"),
            ));
        }
        let forced = opt.categorical.contains(name);
        let numeric = !forced && texts == 0;
        if !forced && texts > 0 && nums as f64 >= 0.9 * (nums + texts) as f64 {
            let (t, line) = first_text.unwrap_or_default();
            return Err(terr(
                format!("non-numeric text `{t}` in numeric column `{name}` ({nums} of {} values are numbers); fix the data, or pass --categorical {name}", nums + texts),
                format!("line {line}, column {name}"),
            ));
        }
        let cells: Vec<Cell> = raw
            .iter()
            .map(|(c, _)| {
                if is_missing_cell(c) {
                    Cell::Missing
                } else if numeric {
                    parse_num(c).map_or(Cell::Missing, Cell::Num)
                } else {
                    Cell::Text(c.trim().to_string())
                }
            })
            .collect();
        if !numeric {
            let mut distinct: Vec<&str> = raw.iter().map(|r| r.0.trim()).collect();
            distinct.sort_unstable();
            distinct.dedup();
            if distinct.len() > 50 && distinct.len() * 2 > raw.len() {
                skipped.push(json!({"column": name, "reason": format!("identifier-like: {} distinct values in {} rows", distinct.len(), raw.len())}));
                continue;
            }
        }
        binned.push(if numeric { bin_numeric(name, &cells, &y, &opt.binning) } else { bin_categorical(name, &cells, &y, &opt.binning) });
    }
    if binned.is_empty() {
        return Err(terr("no usable columns besides the target", ""));
    }
    // selection by IV, then correlation
    let mut order: Vec<usize> = (0..binned.len()).collect();
    order.sort_by(|&a, &b| binned[b].iv.total_cmp(&binned[a].iv).then_with(|| binned[a].name.cmp(&binned[b].name)));
    let woe: Vec<Vec<f64>> = binned.iter().map(ColumnBinning::woe_column).collect();
    let mut dropped: Vec<(usize, String)> = Vec::new();
    let mut selected: Vec<usize> = Vec::new();
    for &c in &order {
        if binned[c].iv < opt.min_iv {
            dropped.push((c, format!("information value {:.4} below {}", binned[c].iv, opt.min_iv)));
            continue;
        }
        if let Some(&s) = selected.iter().find(|&&s| pearson(&woe[c], &woe[s]).abs() > opt.max_corr) {
            dropped.push((c, format!("WOE correlation {:.3} with `{}`", pearson(&woe[c], &woe[s]), binned[s].name)));
            continue;
        }
        if selected.len() >= opt.max_features {
            dropped.push((c, format!("beyond the {} strongest columns", opt.max_features)));
            continue;
        }
        selected.push(c);
    }
    if selected.is_empty() {
        return Err(terr(format!("no column reaches the minimum information value {}", opt.min_iv), ""));
    }
    // fit; drop columns whose coefficient has the wrong sign (more evidence of good, more risk),
    // the most positive first, refitting each time
    let fit = loop {
        let x: Vec<Vec<f64>> = selected.iter().map(|&c| woe[c].clone()).collect();
        let fit = logistic::fit(&x, &y, opt.l2)?;
        let worst = fit.coef.iter().enumerate().filter(|(_, b)| **b > 0.0).max_by(|a, b| a.1.total_cmp(b.1)).map(|(k, _)| k);
        match worst {
            Some(k) if selected.len() > 1 => {
                let c = selected.remove(k);
                dropped.push((c, "coefficient with the wrong sign once combined with stronger columns".into()));
            }
            _ => break fit,
        }
    };
    // scaling
    let scaling = Scaling { base_score: opt.points, base_odds: opt.odds, pdo: opt.pdo };
    let factor = scaling.factor();
    let offset = scaling.offset();
    let base_points = round2(offset - factor * fit.intercept);
    let mut characteristics = Vec::new();
    let mut report_cols = Vec::new();
    for (k, &c) in selected.iter().enumerate() {
        let cb = &binned[c];
        let beta = fit.coef.get(k).copied().unwrap_or(0.0);
        let pts: Vec<f64> = cb.bins.iter().map(|b| round2(-factor * beta * b.woe)).collect();
        characteristics.push(characteristic(cb, &pts, k));
        report_cols.push(column_report(cb, Some(&pts), Some(beta), None));
    }
    for (c, why) in &dropped {
        report_cols.push(column_report(&binned[*c], None, None, Some(why)));
    }
    let score_at = |pd: f64| libm::ceil(offset + factor * libm::log((1.0 - pd) / pd));
    let grades = vec![
        Grade { grade: "A".into(), min_score: Some(score_at(0.02)) },
        Grade { grade: "B".into(), min_score: Some(score_at(0.05)) },
        Grade { grade: "C".into(), min_score: Some(score_at(0.10)) },
        Grade { grade: "D".into(), min_score: Some(score_at(0.20)) },
        Grade { grade: "E".into(), min_score: Some(score_at(0.35)) },
        Grade { grade: "F".into(), min_score: None },
    ];
    let mut model = Model {
        schema: Some(crate::model::MODEL_SCHEMA.into()),
        id: opt.id.clone(),
        version: "1.0.0".into(),
        description: Some(format!("Scorecard trained on `{}` = `{}` (bad) by merchant-credit train", opt.target, opt.bad)),
        features: Default::default(),
        policy: Vec::new(),
        scorecard: Scorecard { scaling, base_points, reason_algorithm: ReasonAlgorithm::PointsBelow, characteristics },
        calibration: Calibration::Scaling,
        grades,
        decision: Thresholds { approve_max_pd: 0.10, refer_max_pd: 0.25 },
        limit: None,
        products: Vec::new(),
        pricing: None,
        lifecycle: None,
        extensions: Default::default(),
    };
    // the metrics come from the engine scoring the finished model, so the report describes
    // exactly what runs
    let eval = |rows: &[usize]| -> Option<metrics::Summary> {
        if rows.is_empty() {
            return None;
        }
        let pd: Vec<f64> = rows.iter().map(|&i| super::flat::score_features(&model, &table.features(i)).pd).collect();
        let bad: Vec<bool> = rows.iter().map(|&i| all_labels.get(i).copied().flatten().unwrap_or(false)).collect();
        Some(metrics::summary(&pd, &bad))
    };
    let (m_train, m_test) = (eval(&train_rows), eval(&test_rows));
    let report = json!({
        "target": opt.target,
        "bad_value": opt.bad,
        "rows": table.rows.len(),
        "rows_without_target": rows_without_target,
        "train_rows": train_rows.len(),
        "test_rows": test_rows.len(),
        "train_bads": nb,
        "options": opt,
        "intercept": fit.intercept,
        "base_points": base_points,
        "iterations": fit.iterations,
        "metrics": {"train": m_train, "test": m_test},
        "columns": report_cols,
        "skipped": skipped,
    });
    model.extensions.insert("training_report".into(), report.clone());
    // round-trip through validation: what we write must load
    let value = serde_json::to_value(&model).map_err(|e| terr(format!("serialising the model: {e}"), ""))?;
    let model = Model::from_value(value)?;
    Ok(Trained { model, report })
}

fn column_report(cb: &ColumnBinning, pts: Option<&[f64]>, coef: Option<f64>, dropped: Option<&String>) -> serde_json::Value {
    let bins: Vec<serde_json::Value> = cb
        .bins
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let mut v = serde_json::to_value(b).unwrap_or_default();
            if let (Some(p), Some(obj)) = (pts.and_then(|p| p.get(i)), v.as_object_mut()) {
                obj.insert("points".into(), json!(p));
            }
            v
        })
        .collect();
    json!({
        "name": cb.name, "type": if cb.numeric { "numeric" } else { "categorical" }, "trend": cb.trend,
        "iv": cb.iv, "selected": dropped.is_none(), "dropped": dropped, "coefficient": coef, "bins": bins,
    })
}

fn characteristic(cb: &ColumnBinning, pts: &[f64], k: usize) -> Characteristic {
    let lowest = pts.iter().copied().fold(f64::INFINITY, f64::min);
    let lowest = if lowest.is_finite() { lowest } else { 0.0 };
    let mut missing_points = lowest;
    let mut bins = Vec::new();
    let mut catch_all = None;
    for (b, &p) in cb.bins.iter().zip(pts) {
        let label = Some(b.label.clone());
        let base = Bin {
            lower: None,
            upper: None,
            categories: None,
            special: None,
            when: None,
            points: p,
            partial_score: None,
            reason_code: None,
            label,
        };
        match &b.kind {
            BinKind::Missing => missing_points = p,
            BinKind::Special { value } => bins.push(Bin { special: Some(vec![*value]), ..base }),
            BinKind::Interval { lower, upper } => bins.push(Bin { lower: *lower, upper: *upper, ..base }),
            BinKind::Categories { values, other } => {
                if *other {
                    catch_all = Some(p);
                }
                if values.is_empty() {
                    continue; // only rare categories: the catch-all bin scores them
                }
                bins.push(Bin { categories: Some(values.iter().map(|v| Operand::Text(v.clone())).collect()), ..base });
            }
        }
    }
    if !cb.numeric {
        // missing first (a catch-all would otherwise take it), unseen categories last
        let is_missing = Condition::Cmp { feature: cb.name.clone(), op: Op::IsMissing, value: None };
        bins.insert(
            0,
            Bin {
                lower: None,
                upper: None,
                categories: None,
                special: None,
                when: Some(is_missing),
                points: missing_points,
                partial_score: None,
                reason_code: None,
                label: Some("missing".into()),
            },
        );
        bins.push(Bin {
            lower: None,
            upper: None,
            categories: None,
            special: None,
            when: Some(Condition::True),
            points: catch_all.unwrap_or(lowest),
            partial_score: None,
            reason_code: None,
            label: Some("unseen categories".into()),
        });
    }
    Characteristic {
        name: cb.name.clone(),
        feature: Some(cb.name.clone()),
        reason_code: Some(format!("R{:02}", k + 1)),
        reason: Some(format!("{} lowered the score", cb.name)),
        missing_reason: None,
        baseline_points: None,
        missing_points: Some(missing_points),
        bins,
    }
}
