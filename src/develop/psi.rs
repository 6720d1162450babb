//! Population stability index of the score and of each characteristic between a base and a
//! current sample: `PSI = sum((cur - base) * ln(cur / base))` over bins, shares floored at 1e-4.
//! Reading: below 0.10 stable, 0.10 to 0.25 investigate, above 0.25 shifted.

use super::flat::score_features;
use super::table::Table;
use crate::scorecard;
use crate::Model;
use serde::Serialize;

/// One bin of a PSI table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PsiBin {
    /// Bin label.
    pub label: String,
    /// Share of the base sample.
    pub base: f64,
    /// Share of the current sample.
    pub current: f64,
    /// This bin's part of the PSI.
    pub psi: f64,
}

/// PSI of one quantity.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Psi {
    /// `score` or the characteristic's name.
    pub name: String,
    /// The index.
    pub psi: f64,
    /// `stable`, `investigate` or `shifted`.
    pub reading: &'static str,
    /// Per bin.
    pub bins: Vec<PsiBin>,
}

/// The usual reading of a PSI value.
pub fn reading(psi: f64) -> &'static str {
    if psi < 0.10 {
        "stable"
    } else if psi <= 0.25 {
        "investigate"
    } else {
        "shifted"
    }
}

fn r6(x: f64) -> f64 {
    libm::round(x * 1e6) / 1e6
}

/// PSI from counts per bin.
pub fn psi_of(name: &str, labels: &[String], base: &[usize], current: &[usize]) -> Psi {
    let nb = base.iter().sum::<usize>().max(1) as f64;
    let nc = current.iter().sum::<usize>().max(1) as f64;
    let mut total = 0.0;
    let mut bins = Vec::new();
    for (i, label) in labels.iter().enumerate() {
        let b = (base.get(i).copied().unwrap_or(0) as f64 / nb).max(1e-4);
        let c = (current.get(i).copied().unwrap_or(0) as f64 / nc).max(1e-4);
        let p = (c - b) * libm::log(c / b);
        total += p;
        bins.push(PsiBin { label: label.clone(), base: r6(b), current: r6(c), psi: r6(p) });
    }
    Psi { name: name.to_string(), psi: r6(total), reading: reading(total), bins }
}

/// PSI of the score (ten bins at the base sample's score deciles) and of every characteristic
/// (its bins, plus `missing` for records no bin takes).
pub fn psi(model: &Model, base: &Table, current: &Table) -> Vec<Psi> {
    let score_all = |t: &Table| -> Vec<(f64, Vec<Option<usize>>)> {
        (0..t.rows.len())
            .map(|i| {
                let f = t.features(i);
                let s = score_features(model, &f).score;
                let bins = model.scorecard.characteristics.iter().map(|c| scorecard::characteristic_points(c, &f).1).collect();
                (s, bins)
            })
            .collect()
    };
    let b = score_all(base);
    let c = score_all(current);
    let mut sorted: Vec<f64> = b.iter().map(|x| x.0).collect();
    sorted.sort_by(f64::total_cmp);
    let mut cuts: Vec<f64> = (1..10).filter_map(|k| sorted.get(k * sorted.len() / 10).copied()).collect();
    cuts.dedup();
    let bin_of = |s: f64| cuts.iter().filter(|&&cut| s >= cut).count();
    let mut labels = Vec::new();
    for k in 0..=cuts.len() {
        labels.push(match (k.checked_sub(1).and_then(|j| cuts.get(j)), cuts.get(k)) {
            (None, Some(u)) => format!("< {u}"),
            (Some(l), Some(u)) => format!("[{l}, {u})"),
            (Some(l), None) => format!(">= {l}"),
            (None, None) => "all".into(),
        });
    }
    type Row = (f64, Vec<Option<usize>>);
    let count = |rows: &[Row], n: usize, f: &dyn Fn(&Row) -> usize| {
        let mut v = vec![0usize; n];
        for r in rows {
            if let Some(x) = v.get_mut(f(r)) {
                *x += 1;
            }
        }
        v
    };
    let mut out = vec![psi_of("score", &labels, &count(&b, labels.len(), &|r| bin_of(r.0)), &count(&c, labels.len(), &|r| bin_of(r.0)))];
    for (ci, ch) in model.scorecard.characteristics.iter().enumerate() {
        let n = ch.bins.len() + 1;
        let mut labels: Vec<String> =
            ch.bins.iter().enumerate().map(|(i, bin)| bin.label.clone().unwrap_or_else(|| format!("bin {i}"))).collect();
        labels.push("missing".into());
        let idx = |r: &(f64, Vec<Option<usize>>)| r.1.get(ci).copied().flatten().unwrap_or(n - 1);
        out.push(psi_of(&ch.name, &labels, &count(&b, n, &idx), &count(&c, n, &idx)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_is_zero_and_shift_is_flagged() {
        let l = vec!["a".to_string(), "b".to_string()];
        assert_eq!(psi_of("x", &l, &[50, 50], &[50, 50]).psi, 0.0);
        let p = psi_of("x", &l, &[50, 50], &[90, 10]);
        assert!(p.psi > 0.25 && p.reading == "shifted");
        assert_eq!(reading(0.12), "investigate");
    }
}
