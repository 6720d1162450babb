//! Discrimination and calibration metrics: AUC, Gini, KS, log loss, Brier score.

use serde::Serialize;

/// AUC of `pd` as a predictor of `bad` (ties count one half). `None` with a single class.
pub fn auc(pd: &[f64], bad: &[bool]) -> Option<f64> {
    let mut idx: Vec<usize> = (0..pd.len().min(bad.len())).collect();
    idx.sort_by(|&a, &b| pd[a].total_cmp(&pd[b]));
    let n1 = bad.iter().filter(|b| **b).count() as f64;
    let n0 = idx.len() as f64 - n1;
    if n1 == 0.0 || n0 == 0.0 {
        return None;
    }
    // average ranks over ties
    let mut rank_sum_bad = 0.0;
    let mut i = 0;
    while i < idx.len() {
        let mut j = i;
        while j + 1 < idx.len() && pd[idx[j + 1]] == pd[idx[i]] {
            j += 1;
        }
        let avg = (i + j) as f64 / 2.0 + 1.0;
        for &k in &idx[i..=j] {
            if bad[k] {
                rank_sum_bad += avg;
            }
        }
        i = j + 1;
    }
    Some((rank_sum_bad - n1 * (n1 + 1.0) / 2.0) / (n1 * n0))
}

/// Kolmogorov-Smirnov statistic: the largest gap between the cumulative bad and good
/// distributions over `pd` thresholds.
pub fn ks(pd: &[f64], bad: &[bool]) -> f64 {
    let mut idx: Vec<usize> = (0..pd.len().min(bad.len())).collect();
    idx.sort_by(|&a, &b| pd[b].total_cmp(&pd[a]));
    let n1 = bad.iter().filter(|b| **b).count() as f64;
    let n0 = idx.len() as f64 - n1;
    if n1 == 0.0 || n0 == 0.0 {
        return 0.0;
    }
    let (mut cb, mut cg, mut best) = (0.0, 0.0, 0.0f64);
    let mut i = 0;
    while i < idx.len() {
        let v = pd[idx[i]];
        while i < idx.len() && pd[idx[i]] == v {
            if bad[idx[i]] {
                cb += 1.0;
            } else {
                cg += 1.0;
            }
            i += 1;
        }
        best = best.max((cb / n1 - cg / n0).abs());
    }
    best
}

/// Mean log loss, with PDs clipped to [1e-15, 1 - 1e-15].
pub fn log_loss(pd: &[f64], bad: &[bool]) -> f64 {
    let n = pd.len().min(bad.len()).max(1) as f64;
    pd.iter()
        .zip(bad)
        .map(|(&p, &b)| {
            let p = p.clamp(1e-15, 1.0 - 1e-15);
            -(if b { libm::log(p) } else { libm::log(1.0 - p) })
        })
        .sum::<f64>()
        / n
}

/// Mean squared error of the PD.
pub fn brier(pd: &[f64], bad: &[bool]) -> f64 {
    let n = pd.len().min(bad.len()).max(1) as f64;
    pd.iter().zip(bad).map(|(&p, &b)| (p - f64::from(u8::from(b))).powi(2)).sum::<f64>() / n
}

/// Points of the ROC curve (false positive rate, true positive rate), at most `max_points`.
pub fn roc(pd: &[f64], bad: &[bool], max_points: usize) -> Vec<(f64, f64)> {
    let mut idx: Vec<usize> = (0..pd.len().min(bad.len())).collect();
    idx.sort_by(|&a, &b| pd[b].total_cmp(&pd[a]));
    let n1 = bad.iter().filter(|b| **b).count().max(1) as f64;
    let n0 = (idx.len() as f64 - bad.iter().filter(|b| **b).count() as f64).max(1.0);
    let mut pts = vec![(0.0, 0.0)];
    let (mut tp, mut fp) = (0.0, 0.0);
    let mut i = 0;
    while i < idx.len() {
        let v = pd[idx[i]];
        while i < idx.len() && pd[idx[i]] == v {
            if bad[idx[i]] {
                tp += 1.0;
            } else {
                fp += 1.0;
            }
            i += 1;
        }
        pts.push((fp / n0, tp / n1));
    }
    if pts.len() > max_points && max_points >= 2 {
        let step = (pts.len() - 1) as f64 / (max_points - 1) as f64;
        let mut out: Vec<(f64, f64)> = (0..max_points).map(|k| pts[libm::round(k as f64 * step) as usize]).collect();
        out.dedup();
        return out;
    }
    pts
}

/// The headline metrics.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// Rows.
    pub rows: usize,
    /// Bad rows.
    pub bads: usize,
    /// Area under the ROC curve.
    pub auc: Option<f64>,
    /// 2 AUC - 1.
    pub gini: Option<f64>,
    /// Kolmogorov-Smirnov.
    pub ks: f64,
    /// Mean log loss.
    pub log_loss: f64,
    /// Brier score.
    pub brier: f64,
}

/// Computes the headline metrics, rounded to 6 decimals.
pub fn summary(pd: &[f64], bad: &[bool]) -> Summary {
    let r = |x: f64| libm::round(x * 1e6) / 1e6;
    let a = auc(pd, bad);
    Summary {
        rows: pd.len(),
        bads: bad.iter().filter(|b| **b).count(),
        auc: a.map(r),
        gini: a.map(|a| r(2.0 * a - 1.0)),
        ks: r(ks(pd, bad)),
        log_loss: r(log_loss(pd, bad)),
        brier: r(brier(pd, bad)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values() {
        let pd = [0.1, 0.4, 0.35, 0.8];
        let bad = [false, false, true, true];
        assert_eq!(auc(&pd, &bad), Some(0.75));
        assert!((ks(&pd, &bad) - 0.5).abs() < 1e-12);
        assert_eq!(auc(&[0.5, 0.5], &[true, false]), Some(0.5));
        assert_eq!(auc(&[0.5], &[true]), None);
        assert!((brier(&[1.0, 0.0], &[true, false])).abs() < 1e-12);
        let r = roc(&pd, &bad, 100);
        assert_eq!(r.first(), Some(&(0.0, 0.0)));
        assert_eq!(r.last(), Some(&(1.0, 1.0)));
    }
}
