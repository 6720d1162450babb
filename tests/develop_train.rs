//! Model development: bad input gets typed errors; training on real data (skipped with a notice
//! when $MERCHANT_CREDIT_DATA is absent) yields a model the engine loads, scores and exports.
#![cfg(feature = "develop")]

use merchant_credit::develop::table::Table;
use merchant_credit::develop::train::{train, TrainOptions};
use merchant_credit::develop::{flat, pmml};
use merchant_credit::Model;

fn opts(target: &str, bad: &str) -> TrainOptions {
    TrainOptions { target: target.into(), bad: bad.into(), ..Default::default() }
}

fn toy(extra: &str) -> String {
    let mut s = String::from("y,x,c\n");
    for i in 0..200 {
        s.push_str(&format!("{},{},{}{}\n", if i % 3 == 0 { "bad" } else { "good" }, i % 17, ["a", "b"][i % 2], extra));
    }
    s
}

#[test]
fn bad_training_input_is_a_typed_error() {
    let single = "y,x\nbad,1\nbad,2\n";
    let e = train(&Table::parse(single).unwrap(), &opts("y", "bad")).unwrap_err();
    assert_eq!(e.code(), "training");
    assert!(e.message().contains("single class"), "{e}");

    let e = train(&Table::parse(&toy("")).unwrap(), &opts("y", "default")).unwrap_err();
    assert!(e.message().contains("never occurs"), "{e}");

    let all_missing = "y,x,z\nbad,1,\ngood,2,\ngood,3,NA\n";
    let e = train(&Table::parse(all_missing).unwrap(), &opts("y", "bad")).unwrap_err();
    assert!(e.message().contains("entirely missing"), "{e}");
    assert_eq!(e.path(), "column z");

    let mut text = String::from("y,x\n");
    for i in 0..100 {
        text.push_str(&format!("{},{}\n", if i % 2 == 0 { "bad" } else { "good" }, if i == 50 { "n.a.".to_string() } else { (i % 10).to_string() }));
    }
    let e = train(&Table::parse(&text).unwrap(), &opts("y", "bad")).unwrap_err();
    assert!(e.message().contains("non-numeric text `n.a.`"), "{e}");
    assert_eq!(e.path(), "line 52, column x");
    // documented way out: treat it as categorical
    let o = TrainOptions { categorical: vec!["x".into()], min_iv: 0.0, ..opts("y", "bad") };
    assert!(train(&Table::parse(&text).unwrap(), &o).is_ok());

    let e = Table::parse("y,x\nbad,1\ngood\n").unwrap_err();
    assert_eq!((e.code(), e.path()), ("csv", "line 3"));
}

#[test]
fn bad_pmml_and_bad_models_are_typed_errors() {
    let e = pmml::import(r#"<PMML version="4.4"><RegressionModel functionName="regression"/></PMML>"#).unwrap_err();
    assert_eq!(e.code(), "pmml");
    assert!(e.message().contains("not a Scorecard"), "{e}");
    let e = pmml::import(
        r#"<PMML version="4.4"><Scorecard><Characteristics><Characteristic name="c" baselineScore="0">
        <Attribute partialScore="1"><SimpleSometimesPredicate field="x"/></Attribute></Characteristic></Characteristics></Scorecard></PMML>"#,
    )
    .unwrap_err();
    assert!(e.message().contains("unknown predicate"), "{e}");
    assert_eq!(pmml::import("not xml").unwrap_err().code(), "pmml");
    // a model whose bins leave a gap in the real line
    let mut m = Model::default_model();
    let v = serde_json::json!([{"upper": 1.0, "points": 1.0}, {"lower": 2.0, "points": 2.0}]);
    m.scorecard.characteristics[0].bins = serde_json::from_value(v).unwrap();
    m.scorecard.characteristics[0].feature.get_or_insert_with(|| "x".into());
    let e = Model::from_value(serde_json::to_value(&m).unwrap()).unwrap_err();
    assert_eq!(e.code(), "invalid_model");
    assert!(e.message().contains("do not cover the real line"), "{e}");
}

#[test]
fn toy_training_is_deterministic_and_round_trips_through_pmml() {
    let t = Table::parse(&toy("")).unwrap();
    let o = TrainOptions { min_iv: 0.0, ..opts("y", "bad") };
    let a = train(&t, &o).unwrap();
    let b = train(&t, &o).unwrap();
    assert_eq!(a.model.sha256(), b.model.sha256());
    let back = pmml::import(&pmml::export(&a.model).unwrap()).unwrap();
    for i in 0..t.rows.len() {
        let f = t.features(i);
        assert!((flat::score_features(&a.model, &f).raw_score - flat::score_features(&back, &f).raw_score).abs() < 1e-9);
    }
}

#[test]
fn real_data_train_and_score() {
    let dir = std::env::var("MERCHANT_CREDIT_DATA").unwrap_or_else(|_| "../shared/data".into());
    let path = std::path::Path::new(&dir).join("credit/heloc_dataset_v1.csv");
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("NOTICE: {} not found; skipping the real-data training test", path.display());
        return;
    };
    let t = Table::parse(&text).unwrap();
    let mut o = TrainOptions { test_share: 0.3, ..opts("RiskPerformance", "Bad") };
    o.binning.special = vec![-7.0, -8.0, -9.0];
    let r = train(&t, &o).unwrap();
    let auc = r.report["metrics"]["test"]["auc"].as_f64().unwrap();
    assert!(auc > 0.78, "HELOC test AUC {auc}");
    // special codes have bins of their own
    assert!(r.model.scorecard.characteristics.iter().any(|c| c.bins.iter().any(|b| b.special.is_some())));
    let again = Model::from_json(&serde_json::to_string(&r.model).unwrap()).unwrap();
    assert_eq!(again.sha256(), r.model.sha256());
}
