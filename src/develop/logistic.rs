//! L2-regularised logistic regression fitted by Newton's method (IRLS) with a Cholesky solve.
//! Small and dense: scorecards have tens of WOE columns, so the `p x p` Hessian is cheap.

use crate::error::{Error, ErrorKind, Result};

/// A fitted model: `logit P(y = 1) = intercept + sum(coef[j] * x[j])`.
#[derive(Debug, Clone, PartialEq)]
pub struct Fit {
    /// Intercept (not penalised).
    pub intercept: f64,
    /// Coefficients, one per column.
    pub coef: Vec<f64>,
    /// Newton iterations used.
    pub iterations: usize,
}

/// Fits `y ~ x` where `x[j]` is column `j` (all of length `y.len()`), penalising
/// `lambda / 2 * |coef|^2`.
pub fn fit(x: &[Vec<f64>], y: &[bool], lambda: f64) -> Result<Fit> {
    fit_from(x, y, lambda, None)
}

/// [`fit`] starting from `start` (intercept, then one coefficient per column), e.g. the previous
/// fit when a column was dropped; zeros when `None` or of the wrong length. Newton's method
/// converges to the same optimum from any start (the problem is strictly convex); a close start
/// saves iterations.
pub fn fit_from<C: AsRef<[f64]>>(x: &[C], y: &[bool], lambda: f64, start: Option<&[f64]>) -> Result<Fit> {
    let n = y.len();
    let p = x.len() + 1;
    if x.iter().any(|c| c.as_ref().len() != n) {
        return Err(Error::new(ErrorKind::Training("columns of unequal length".into()), ""));
    }
    // rows with a leading 1 (the intercept), contiguous
    let mut rows = vec![1.0; n * p];
    for (j, c) in x.iter().enumerate() {
        for (r, v) in rows.chunks_exact_mut(p).zip(c.as_ref()) {
            r[j + 1] = *v;
        }
    }
    let mut beta = match start {
        Some(s) if s.len() == p && s.iter().all(|b| b.is_finite()) => s.to_vec(),
        _ => vec![0.0; p],
    };
    let mut iterations = 0;
    let mut grad = vec![0.0; p];
    let mut h = vec![0.0; p * p];
    for it in 0..100 {
        iterations = it + 1;
        grad.iter_mut().for_each(|g| *g = 0.0);
        h.iter_mut().for_each(|v| *v = 0.0);
        for (r, &yi) in rows.chunks_exact(p).zip(y) {
            let eta: f64 = r.iter().zip(&beta).map(|(a, b)| a * b).sum();
            let mu = 1.0 / (1.0 + libm::exp(-eta));
            let w = (mu * (1.0 - mu)).max(1e-12);
            let res = f64::from(u8::from(yi)) - mu;
            for (j, &xj) in r.iter().enumerate() {
                grad[j] += xj * res;
                let wx = w * xj;
                // lower triangle of row j
                for (hk, &xk) in h[j * p..=j * p + j].iter_mut().zip(r) {
                    *hk += wx * xk;
                }
            }
        }
        for j in 1..p {
            grad[j] -= lambda * beta[j];
            h[j * p + j] += lambda;
        }
        for j in 0..p {
            for k in 0..j {
                h[k * p + j] = h[j * p + k];
            }
        }
        let delta = solve_spd(&h, &grad, p).ok_or_else(|| {
            Error::new(ErrorKind::Training("the logistic regression is singular (constant or duplicate columns)".into()), "")
        })?;
        // damp very large steps (separation) so the iteration cannot run away
        let max = delta.iter().fold(0.0f64, |m, d| m.max(d.abs()));
        let scale = if max > 5.0 { 5.0 / max } else { 1.0 };
        for j in 0..p {
            beta[j] += scale * delta[j];
        }
        if max < 1e-10 {
            break;
        }
    }
    if beta.iter().any(|b| !b.is_finite()) {
        return Err(Error::new(ErrorKind::Training("the logistic regression did not converge".into()), ""));
    }
    Ok(Fit { intercept: beta[0], coef: beta[1..].to_vec(), iterations })
}

/// Solves `A x = b` for a symmetric positive definite `A` (row-major `p x p`) by Cholesky.
fn solve_spd(a: &[f64], b: &[f64], p: usize) -> Option<Vec<f64>> {
    let mut l = vec![0.0; p * p];
    for i in 0..p {
        for j in 0..=i {
            let mut s = a[i * p + j];
            for k in 0..j {
                s -= l[i * p + k] * l[j * p + k];
            }
            if i == j {
                if s <= 1e-14 {
                    return None;
                }
                l[i * p + i] = s.sqrt();
            } else {
                l[i * p + j] = s / l[j * p + j];
            }
        }
    }
    let mut z = vec![0.0; p];
    for i in 0..p {
        let mut s = b[i];
        for k in 0..i {
            s -= l[i * p + k] * z[k];
        }
        z[i] = s / l[i * p + i];
    }
    let mut x = vec![0.0; p];
    for i in (0..p).rev() {
        let mut s = z[i];
        for k in i + 1..p {
            s -= l[k * p + i] * x[k];
        }
        x[i] = s / l[i * p + i];
    }
    Some(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn logit(p: f64) -> f64 {
        (p / (1.0 - p)).ln()
    }

    #[test]
    fn recovers_group_log_odds_without_penalty() {
        // x = 0: 20% bad; x = 1: 60% bad. The MLE is exact: b0 = logit(0.2), b1 = logit(0.6) - logit(0.2).
        let mut x = Vec::new();
        let mut y = Vec::new();
        for i in 0..100 {
            x.push(0.0);
            y.push(i < 20);
        }
        for i in 0..100 {
            x.push(1.0);
            y.push(i < 60);
        }
        let f = fit(&[x], &y, 0.0).unwrap();
        assert!((f.intercept - logit(0.2)).abs() < 1e-8);
        assert!((f.coef[0] - (logit(0.6) - logit(0.2))).abs() < 1e-8);
    }

    #[test]
    fn penalty_shrinks_and_singular_is_an_error() {
        let x: Vec<f64> = (0..200).map(|i| f64::from(i % 2)).collect();
        let y: Vec<bool> = (0..200).map(|i| i % 2 == 1 && i % 3 != 0).collect();
        let a = fit(std::slice::from_ref(&x), &y, 0.0).unwrap();
        let b = fit(std::slice::from_ref(&x), &y, 50.0).unwrap();
        assert!(b.coef[0].abs() < a.coef[0].abs());
        assert_eq!(fit(&[x.clone(), x.clone()], &y, 0.0).unwrap_err().code(), "training");
        // a warm start reaches the same optimum
        let c = fit_from(std::slice::from_ref(&x), &y, 50.0, Some(&[0.3, -2.0])).unwrap();
        assert!((c.intercept - b.intercept).abs() < 1e-9 && (c.coef[0] - b.coef[0]).abs() < 1e-9);
    }
}
