//! Property tests of the default model's common-sense monotonicity: more net sales never lowers
//! the line; a higher refund rate never raises the score; the score always decomposes.

mod common;

use merchant_credit::{Engine, StoreData};
use proptest::prelude::*;
use serde_json::json;

fn monthly_store(gmvs: &[f64], refund_rate: f64, orders_per_unit: f64, debt: f64) -> StoreData {
    let months: Vec<_> = gmvs
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let m = 2025 * 12 + 5 - (gmvs.len() - 1 - i) as i32;
            json!({"month": format!("{:04}-{:02}", m / 12, m % 12 + 1), "gmv": g,
                   "orders": ((g * orders_per_unit).ceil() as u32).max(1), "refunds": g * refund_rate})
        })
        .collect();
    let v = json!({"as_of": "2025-06-30", "currency": "CNY",
        "merchant": {"id": "p", "opened_on": "2021-01-01"},
        "monthly": months,
        "liabilities": [{"lender": "bank", "outstanding": debt, "monthly_payment": debt / 12.0}]});
    StoreData::from_value(v).unwrap()
}

fn history() -> impl Strategy<Value = Vec<f64>> {
    prop::collection::vec(1000.0f64..500_000.0, 3..24)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(common::proptest_cases(200)))]

    #[test]
    fn more_net_sales_never_lowers_the_line(g in history(), k in 1.0f64..5.0, r in 0.0f64..0.3, debt in 0.0f64..200_000.0) {
        let e = Engine::default();
        let base = e.evaluate_unsigned(&monthly_store(&g, r, 0.01, debt));
        let scaled: Vec<f64> = g.iter().map(|x| x * k).collect();
        let more = e.evaluate_unsigned(&monthly_store(&scaled, r, 0.01, debt));
        prop_assert!(more.credit_line.amount >= base.credit_line.amount,
            "line fell from {} to {} when sales grew x{k}", base.credit_line.amount, more.credit_line.amount);
    }

    #[test]
    fn a_higher_refund_rate_never_raises_the_score(g in history(), r1 in 0.0f64..0.5, dr in 0.0f64..0.5) {
        let e = Engine::default();
        let r2 = (r1 + dr).min(0.99);
        let a = e.evaluate_unsigned(&monthly_store(&g, r1, 0.01, 0.0));
        let b = e.evaluate_unsigned(&monthly_store(&g, r2, 0.01, 0.0));
        prop_assert!(b.score <= a.score, "score rose from {} to {} when refunds rose {r1} -> {r2}", a.score, b.score);
        prop_assert!(b.credit_line.amount <= a.credit_line.amount);
    }

    #[test]
    fn score_decomposes_and_pd_falls_with_score(g in history(), r in 0.0f64..0.5) {
        let e = Engine::default();
        let d = e.evaluate_unsigned(&monthly_store(&g, r, 0.01, 0.0));
        let total: f64 = e.model().scorecard.base_points + d.score_breakdown.iter().map(|c| c.points).sum::<f64>();
        prop_assert_eq!(total.round() as i32, d.score);
        let lower = merchant_credit::scorecard::pd_at(e.model(), f64::from(d.score) - 10.0);
        prop_assert!(lower >= d.pd);
    }
}

proptest! {
    #[test]
    fn irr_of_simple_interest_bullet_matches(rate in 0.0f64..2.0, days in 1u32..1000) {
        let principal = 1_000_000i64;
        let repay = (principal as f64 * libm::pow(1.0 + rate, f64::from(days) / 365.0)).round() as i64;
        let apr = merchant_credit::limit::irr_annual(principal, &[(f64::from(days), repay)]);
        // cents rounding moves the rate by at most a hair
        prop_assert!((apr - rate).abs() < 1e-3 * (1.0 + rate) * 365.0 / f64::from(days), "{apr} vs {rate}");
    }
}
