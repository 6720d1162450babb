//! Synthetic stores: valid, deterministic, and recognisable to the default model.

use merchant_credit::synth::{synth, Profile, SynthOptions};
use merchant_credit::{Engine, Outcome};

fn eval(p: Profile, seed: u64) -> merchant_credit::Decision {
    let store = synth(p, &SynthOptions { orders: 3000, seed, ..SynthOptions::default() });
    store.validate().unwrap_or_else(|e| panic!("{} seed {seed}: {e}", p.as_str()));
    Engine::default().evaluate(&store)
}

#[test]
fn every_profile_is_valid_and_deterministic() {
    for p in Profile::ALL {
        for seed in [1, 2, 99] {
            let opts = SynthOptions { orders: 800, seed, ..SynthOptions::default() };
            let a = synth(p, &opts);
            a.validate().unwrap_or_else(|e| panic!("{} seed {seed}: {e}", p.as_str()));
            assert_eq!(a, synth(p, &opts), "{} is deterministic", p.as_str());
            assert_eq!(a.orders.len(), 800);
            let b = synth(p, &SynthOptions { seed: seed + 1000, ..opts.clone() });
            assert_ne!(a.orders, b.orders, "another seed, another store");
        }
        // extremes of the order count
        for n in [0, 20, 50_000] {
            synth(p, &SynthOptions { orders: n, ..SynthOptions::default() }).validate().unwrap();
        }
        // a round trip through JSON
        let s = synth(p, &SynthOptions::default());
        let back = merchant_credit::StoreData::from_json(&serde_json::to_string(&s).unwrap()).unwrap();
        assert_eq!(s, back);
    }
}

#[test]
fn profiles_point_the_engine_the_expected_way() {
    for seed in [1, 2, 3] {
        let d: Vec<(Profile, merchant_credit::Decision)> = Profile::ALL.iter().map(|&p| (p, eval(p, seed))).collect();
        for (p, x) in &d {
            let rules: Vec<&str> = x.policy.iter().map(|h| h.rule.as_str()).collect();
            println!(
                "seed {seed} {:<13} {:<8} score {:>4} grade {} line {:>9.0} rules {:?}",
                p.as_str(),
                x.decision.as_str(),
                x.score,
                x.grade,
                x.credit_line.amount,
                rules
            );
        }
        let get = |p: Profile| &d.iter().find(|x| x.0 == p).unwrap().1;
        let healthy = get(Profile::Healthy);
        assert_eq!(healthy.decision, Outcome::Approve, "healthy is approved");
        assert!(healthy.credit_line.amount > 0.0);
        assert_eq!(get(Profile::Growing).decision, Outcome::Approve, "growing is approved");
        assert_ne!(get(Profile::Seasonal).decision, Outcome::Decline, "seasonal is not declined");
        let wash = get(Profile::WashTrading);
        assert_ne!(wash.decision, Outcome::Approve, "wash trading is not approved");
        assert!(wash.policy.iter().any(|h| h.fraud), "a fraud rule fires on wash trading");
        let delinquent = get(Profile::Delinquent);
        assert_ne!(delinquent.decision, Outcome::Approve, "delinquent is not approved");
        assert!(delinquent.features.num("repay_max_dpd").unwrap_or(0.0) >= 60.0);
        let declining = get(Profile::Declining);
        assert!(declining.score < healthy.score, "declining scores below healthy");
        assert!(declining.features.num("growth_yoy").unwrap_or(0.0) < -0.3 && declining.features.num("growth_qoq").unwrap_or(0.0) < 0.0, "declining sales fall");
        let new = get(Profile::New);
        // the same total orders in 100 days is a far busier store: compare the line per unit of sales
        let per_sales = |x: &merchant_credit::Decision| x.credit_line.amount / x.features.num("avg_monthly_net_sales_3m").unwrap_or(1.0).max(1.0);
        assert!(new.score < healthy.score, "new scores below healthy");
        assert!(per_sales(new) < per_sales(healthy), "new gets a smaller line per unit of sales than healthy");
        assert!(declining.credit_line.amount < healthy.credit_line.amount / 2.0, "declining gets at most half the healthy line");
    }
}
