//! Table-driven policy cases from tests/cases/policy.jsonl: each rule of the default model fires
//! on its condition, alone, and moves the decision the way the model says.
mod common;

use merchant_credit::features::{compute, FeatureValue};
use merchant_credit::{Engine, StoreData};

#[test]
fn policy_cases() {
    let engine = Engine::default();
    let store = StoreData::from_json(&common::example("store.json")).unwrap();
    let (base, notes) = compute(&store, &engine.model().features);
    let cases = common::cases("policy.jsonl");
    let mut failures = Vec::new();
    for case in &cases {
        let name = case["name"].as_str().unwrap();
        let mut f = base.clone();
        for (k, v) in case["set"].as_object().unwrap() {
            assert!(f.get(k).is_some(), "case `{name}`: no feature `{k}`");
            f.insert(k.clone(), v.as_f64().map_or(FeatureValue::Missing, FeatureValue::Num));
        }
        let d = engine.decide(store.merchant.id.clone(), store.as_of, &store.currency, f, notes.clone());
        let mut fired: Vec<&str> = d.policy.iter().map(|h| h.rule.as_str()).collect();
        fired.sort_unstable();
        let mut want: Vec<&str> = case["fires"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
        want.sort_unstable();
        if fired != want {
            failures.push(format!("case `{name}`: fired {fired:?}, expected {want:?}"));
        }
        if d.decision.as_str() != case["decision"].as_str().unwrap() {
            failures.push(format!("case `{name}`: decided {}, expected {}", d.decision.as_str(), case["decision"]));
        }
        for h in &d.policy {
            assert!(!h.message.is_empty() && !h.features.is_empty(), "case `{name}`: rule {} lacks message or features", h.rule);
        }
    }
    // every rule of the default model is covered by a case
    for rule in &engine.model().policy {
        assert!(
            cases.iter().any(|c| c["fires"].as_array().unwrap().iter().any(|r| r == rule.id.as_str())),
            "rule {} has no case in tests/cases/policy.jsonl",
            rule.id
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
