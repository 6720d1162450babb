//! Table-driven feature cases from tests/cases/features.jsonl.
mod common;

use merchant_credit::features::{compute, FeatureSettings, FeatureValue};
use merchant_credit::StoreData;

#[test]
fn feature_cases() {
    let cases = common::cases("features.jsonl");
    assert!(cases.len() >= 15);
    let mut failures = Vec::new();
    for case in &cases {
        let name = case["name"].as_str().unwrap();
        let store = StoreData::from_value(common::store_with(&case["store"]))
            .unwrap_or_else(|e| panic!("case `{name}`: store rejected: {e}"));
        let (f, _) = compute(&store, &FeatureSettings::default());
        for (feature, want) in case["expect"].as_object().unwrap() {
            let got = f.get(feature).unwrap_or_else(|| panic!("case `{name}`: no feature `{feature}`"));
            let ok = match (got, want) {
                (FeatureValue::Missing, serde_json::Value::Null) => true,
                (FeatureValue::Num(g), w) if w.is_number() => (g - w.as_f64().unwrap()).abs() < 1e-6,
                (FeatureValue::Text(g), w) => Some(g.as_str()) == w.as_str(),
                _ => false,
            };
            if !ok {
                failures.push(format!("case `{name}`: {feature} = {got:?}, expected {want}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_documented_feature_is_computed() {
    let store = StoreData::from_json(&common::example("store.json")).unwrap();
    let (f, _) = compute(&store, &FeatureSettings::default());
    for (name, _) in merchant_credit::features::FEATURE_NAMES {
        assert!(f.get(name).is_some(), "documented feature `{name}` is not computed");
    }
    for (name, _) in f.iter() {
        assert!(
            merchant_credit::features::FEATURE_NAMES.iter().any(|(n, _)| n == name),
            "computed feature `{name}` is not documented in FEATURE_NAMES"
        );
    }
}

#[test]
fn the_default_model_reads_only_computed_features() {
    let model = merchant_credit::Model::default_model();
    for name in model.feature_names() {
        assert!(
            merchant_credit::features::FEATURE_NAMES.iter().any(|(n, _)| *n == name),
            "the default model reads `{name}`, which the engine does not compute"
        );
    }
}
