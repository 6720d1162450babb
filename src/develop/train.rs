//! Scorecard training on a flat table: binning, WOE and IV, selection by IV and correlation,
//! L2-regularised logistic regression on WOE, scaling to points, and a [`Model`] the engine runs,
//! with a readable report attached as `extensions.training_report`.
//!
//! Column types: a column whose every non-missing cell is a number is numeric; a column with no
//! numbers is categorical; a column that is mostly (>= 90%) numbers with some text is rejected
//! (a data error such as `12,5` or `n.a.`) unless listed in `categorical`; other mixtures are
//! categorical. A categorical column with more than half as many distinct values as rows (and over
//! 50) is identifier-like and skipped. Rows whose target is missing are skipped and counted.

use super::binning::{bin_categorical_codes, bin_numeric_values, BinKind, BinningOptions, ColumnBinning, MISSING_CODE};
use super::table::{cell_value, is_missing_cell, parse_num, Columns, Table};
use super::{logistic, metrics};
use crate::error::{Error, ErrorKind, Result};
use crate::model::{Bin, Calibration, Characteristic, Condition, Grade, Op, Operand, ReasonAlgorithm, Scaling, Scorecard, Thresholds};
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
    /// Largest information value for a column to be used (None: no limit). Columns above
    /// [`SUSPICIOUS_IV`] are reported in `warnings` either way: an IV that high usually means the
    /// column is only known after the outcome (target leakage), like a charge-off date.
    pub max_iv: Option<f64>,
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
            max_iv: None,
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

/// Information value above which a column is "suspicious" (Siddiqi, *Credit Risk Scorecards*:
/// above 0.5 a characteristic is too good to be true and should be checked for leakage).
pub const SUSPICIOUS_IV: f64 = 0.5;

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
    let cells: Vec<&str> = table.rows.iter().map(|r| r.get(t).map_or("", String::as_str)).collect();
    labels_of(&cells, target, bad)
}

/// The labels of the cells of a target column (see [`labels`]).
fn labels_of<S: AsRef<str>>(cells: &[S], target: &str, bad: &str) -> Result<Vec<Option<bool>>> {
    let bad_value = bad.trim();
    let labels: Vec<Option<bool>> =
        cells.iter().map(|c| Some(c.as_ref()).filter(|c| !is_missing_cell(c)).map(|c| c.trim() == bad_value)).collect();
    let bads = labels.iter().filter(|l| **l == Some(true)).count();
    let goods = labels.iter().filter(|l| **l == Some(false)).count();
    if bads == 0 {
        let mut seen: Vec<&str> = cells.iter().map(|c| c.as_ref().trim()).collect();
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
    train_columns(&Columns::from_table(table), opt)
}

/// Trains a scorecard on CSV text (parsed column by column, see [`Columns`]); the same result as
/// [`train`] on the parsed [`Table`], with less work for a large file.
pub fn train_csv(text: &str, opt: &TrainOptions) -> Result<Trained> {
    train_columns(&Columns::parse(text)?, opt)
}

/// Trains a scorecard on a table's columns.
pub fn train_columns(table: &Columns<'_>, opt: &TrainOptions) -> Result<Trained> {
    if !(opt.pdo > 0.0 && opt.odds > 0.0 && opt.points.is_finite() && opt.pdo.is_finite() && opt.odds.is_finite()) {
        return Err(Error::new(ErrorKind::InvalidValue("pdo and odds must be positive".into()), "options"));
    }
    if opt.max_iv.is_some_and(|m| !(m.is_finite() && m > opt.min_iv)) {
        return Err(Error::new(ErrorKind::InvalidValue("max_iv must be a number above min_iv".into()), "options.max_iv"));
    }
    if !(0.0..0.9).contains(&opt.test_share) {
        return Err(Error::new(ErrorKind::InvalidValue("test share must be within [0, 0.9)".into()), "options"));
    }
    for c in opt.exclude.iter().chain(&opt.categorical) {
        table.column(c)?;
    }
    let target_col = table.column(&opt.target)?;
    let all_labels = labels_of(table.cols.get(target_col).map_or(&[][..], Vec::as_slice), &opt.target, &opt.bad)?;
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
    // columns: each read once into numbers (NaN for missing) or category codes
    let mut binned: Vec<ColumnBinning> = Vec::new();
    let mut skipped: Vec<serde_json::Value> = Vec::new();
    for (j, name) in table.headers.iter().enumerate() {
        if *name == opt.target || opt.exclude.contains(name) {
            continue;
        }
        let col = table.cols.get(j).map_or(&[][..], Vec::as_slice);
        let cell = |i: usize| col.get(i).map_or("", |c| c.as_ref());
        let mut xs: Vec<f64> = Vec::with_capacity(train_rows.len());
        let (mut nums, mut texts, mut first_text) = (0usize, 0usize, None);
        for &i in &train_rows {
            let c = cell(i);
            if is_missing_cell(c) {
                xs.push(f64::NAN);
                continue;
            }
            match parse_num(c) {
                Some(x) => {
                    nums += 1;
                    xs.push(x);
                }
                None => {
                    texts += 1;
                    xs.push(f64::NAN);
                    first_text.get_or_insert((c.trim().to_string(), table.lines.get(i).copied().unwrap_or(0)));
                }
            }
        }
        if nums + texts == 0 {
            return Err(terr(format!("column `{name}` is entirely missing; drop it or pass --exclude {name}"), format!("column {name}")));
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
        if numeric {
            if let Some(why) = identifier_like(&xs) {
                skipped.push(json!({"column": name, "reason": why}));
                continue;
            }
            binned.push(bin_numeric_values(name, &xs, &y, &opt.binning));
            continue;
        }
        // categories: codes into the distinct trimmed cells (missing cells counted as distinct
        // values for the identifier test, coded as missing)
        let mut index: crate::fasthash::FxHashMap<&str, u32> = crate::fasthash::map_with_capacity(64);
        let mut dict: Vec<&str> = Vec::new();
        let codes: Vec<u32> = train_rows
            .iter()
            .map(|&i| {
                let c = cell(i);
                let code = *index.entry(c.trim()).or_insert_with(|| {
                    dict.push(c.trim());
                    (dict.len() - 1) as u32
                });
                if is_missing_cell(c) {
                    MISSING_CODE
                } else {
                    code
                }
            })
            .collect();
        if dict.len() > 50 && dict.len() * 2 > train_rows.len() {
            skipped.push(
                json!({"column": name, "reason": format!("identifier-like: {} distinct values in {} rows", dict.len(), train_rows.len())}),
            );
            continue;
        }
        binned.push(bin_categorical_codes(name, &codes, &dict, &y, &opt.binning));
    }
    if binned.is_empty() {
        return Err(terr("no usable columns besides the target", ""));
    }
    // selection by IV, then correlation; then the fit, dropping columns whose coefficient has the
    // wrong sign (more evidence of good, more risk), the most positive first. After each such drop
    // the selection runs again without the dropped column, so a column kept out only by its
    // correlation with it can come back; each refit starts from the previous coefficients.
    let mut order: Vec<usize> = (0..binned.len()).collect();
    order.sort_by(|&a, &b| binned[b].iv.total_cmp(&binned[a].iv).then_with(|| binned[a].name.cmp(&binned[b].name)));
    let woe: Vec<Vec<f64>> = binned.iter().map(ColumnBinning::woe_column).collect();
    let m = binned.len();
    let mut corr_memo: Vec<Option<f64>> = vec![None; m * m];
    let mut corr = |a: usize, b: usize| -> f64 {
        let k = a.min(b) * m + a.max(b);
        *corr_memo[k].get_or_insert_with(|| pearson(&woe[a.min(b)], &woe[a.max(b)]))
    };
    let mut wrong_sign: Vec<usize> = Vec::new();
    let mut previous: Vec<(usize, f64)> = Vec::new(); // column, coefficient of the last fit
    let mut previous_intercept = 0.0;
    let (selected, mut dropped, fit) = loop {
        let mut dropped: Vec<(usize, String)> = Vec::new();
        let mut selected: Vec<usize> = Vec::new();
        for &c in &order {
            if wrong_sign.contains(&c) {
                continue;
            }
            if binned[c].iv < opt.min_iv {
                dropped.push((c, format!("information value {:.4} below {}", binned[c].iv, opt.min_iv)));
                continue;
            }
            if let Some(max) = opt.max_iv.filter(|max| binned[c].iv > *max) {
                dropped.push((c, format!("information value {:.4} above --max-iv {max}: suspected target leakage", binned[c].iv)));
                continue;
            }
            if let Some((s, r)) = selected.iter().map(|&s| (s, corr(c, s))).find(|(_, r)| r.abs() > opt.max_corr) {
                dropped.push((c, format!("WOE correlation {r:.3} with `{}`", binned[s].name)));
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
        let x: Vec<&[f64]> = selected.iter().map(|&c| woe[c].as_slice()).collect();
        let start: Option<Vec<f64>> = (!previous.is_empty()).then(|| {
            std::iter::once(previous_intercept)
                .chain(selected.iter().map(|c| previous.iter().find(|p| p.0 == *c).map_or(0.0, |p| p.1)))
                .collect()
        });
        let fit = logistic::fit_from(&x, &y, opt.l2, start.as_deref())?;
        let worst = fit.coef.iter().enumerate().filter(|(_, b)| **b > 0.0).max_by(|a, b| a.1.total_cmp(b.1)).map(|(k, _)| k);
        match worst {
            Some(k) if selected.len() > 1 => {
                wrong_sign.extend(selected.get(k).copied());
                previous = selected.iter().copied().zip(fit.coef.iter().copied()).collect();
                previous_intercept = fit.intercept;
            }
            _ => break (selected, dropped, fit),
        }
    };
    for &c in &wrong_sign {
        dropped.push((c, "coefficient with the wrong sign once combined with stronger columns".into()));
    }
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
    // exactly what runs: per row, base points plus each characteristic's points (in model order)
    // from the engine's bin lookup, rounded, then the model's PD. A trained characteristic reads
    // only its own column, so each is fed that column alone, once per distinct cell.
    let mut total: Vec<f64> = vec![model.scorecard.base_points; table.len()];
    for c in &model.scorecard.characteristics {
        let name = c.feature.as_deref().unwrap_or("");
        let col = table.column(name).ok().and_then(|j| table.cols.get(j)).map_or(&[][..], Vec::as_slice);
        let mut f = crate::features::Features::default();
        f.insert(name, crate::features::FeatureValue::Missing);
        let mut memo: crate::fasthash::FxHashMap<&str, f64> = crate::fasthash::map_with_capacity(256);
        for (i, t) in total.iter_mut().enumerate() {
            let cell = col.get(i).map_or("", |c| c.as_ref());
            *t += *memo.entry(cell).or_insert_with(|| {
                if let Some(v) = f.0.get_mut(name) {
                    *v = cell_value(cell);
                }
                crate::scorecard::characteristic_points(c, &f).0
            });
        }
    }
    let eval = |rows: &[usize]| -> Option<metrics::Summary> {
        if rows.is_empty() {
            return None;
        }
        let pd: Vec<f64> =
            rows.iter().map(|&i| crate::scorecard::pd_at(&model, libm::round(total.get(i).copied().unwrap_or(0.0)))).collect();
        let bad: Vec<bool> = rows.iter().map(|&i| all_labels.get(i).copied().flatten().unwrap_or(false)).collect();
        Some(metrics::summary(&pd, &bad))
    };
    let (m_train, m_test) = (eval(&train_rows), eval(&test_rows));
    let warnings = leakage_warnings(&binned, &selected, opt);
    let report = json!({
        "target": opt.target,
        "bad_value": opt.bad,
        "rows": table.len(),
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
        "warnings": warnings,
    });
    model.extensions.insert("training_report".into(), report.clone());
    // round-trip through validation: what we write must load
    let value = serde_json::to_value(&model).map_err(|e| terr(format!("serialising the model: {e}"), ""))?;
    let model = Model::from_value(value)?;
    Ok(Trained { model, report })
}

/// A numeric column whose values are all whole numbers and all different (a loan number, a row
/// id) orders rows, not risk: its bins would learn the order the data was collected in.
fn identifier_like(xs: &[f64]) -> Option<String> {
    let mut v: Vec<f64> = xs.iter().copied().filter(|x| !x.is_nan()).collect();
    if v.len() <= 50 || v.iter().any(|x| x.fract() != 0.0) {
        return None;
    }
    v.sort_unstable_by(f64::total_cmp);
    let distinct = 1 + v.windows(2).filter(|w| w.first() != w.get(1)).count();
    (distinct == v.len()).then(|| format!("identifier-like: {distinct} distinct whole numbers in {} rows", v.len()))
}

/// Warnings for columns whose information value is too high to be true (see [`SUSPICIOUS_IV`]).
fn leakage_warnings(binned: &[ColumnBinning], selected: &[usize], opt: &TrainOptions) -> Vec<String> {
    let mut out: Vec<(f64, String)> = binned
        .iter()
        .enumerate()
        .filter(|(_, b)| b.iv > SUSPICIOUS_IV)
        .map(|(c, b)| {
            let state = if selected.contains(&c) {
                "is in the model"
            } else if opt.max_iv.is_some_and(|m| b.iv > m) {
                "was dropped by max_iv"
            } else {
                "was not selected"
            };
            let hint = if opt.max_iv.is_some() { "" } else { "; --exclude it, or --max-iv to drop such columns" };
            (b.iv, format!("`{}` has information value {:.2} (> {SUSPICIOUS_IV}) and {state}: check that it is known before the credit decision (target leakage){hint}", b.name, b.iv))
        })
        .collect();
    out.sort_by(|a, b| b.0.total_cmp(&a.0));
    out.into_iter().map(|(_, w)| w).collect()
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
