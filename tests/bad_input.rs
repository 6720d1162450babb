//! One test per kind of bad input: each gets a typed error with a stable code and the JSON path
//! of the offending field, never a panic and never a silent wrong decision.
mod common;

use merchant_credit::{evaluate_json, Model, StoreData};
use serde_json::{json, Value};

fn store(overlay: Value) -> String {
    common::store_with(&overlay).to_string()
}

fn err(text: &str) -> merchant_credit::Error {
    match evaluate_json(text) {
        Ok(d) => panic!("accepted bad input, decided {:?}", d.decision),
        Err(e) => e,
    }
}

fn one_order(extra: Value) -> String {
    let mut o = json!({"id": "o1", "placed_at": "2025-06-01T10:00:00Z", "amount": 10, "status": "delivered"});
    for (k, v) in extra.as_object().unwrap() {
        o[k] = v.clone();
    }
    store(json!({"orders": [o]}))
}

#[test]
fn malformed_json() {
    let e = err(r#"{"as_of": "2025-06-30", "currency": "CNY", "merchant": "#);
    assert_eq!(e.code(), "malformed_json");
    assert!(e.to_string().contains("line 1"), "{e}");
}

#[test]
fn text_after_the_document_is_malformed() {
    // a store followed by junk, or two stores pasted together: not "the first one"
    let good = one_order(json!({}));
    evaluate_json(&format!("{good}\n  \n")).expect("trailing whitespace is fine");
    for bad in [format!("{good} junk"), format!("{good}{good}"), format!("{good},")] {
        let e = err(&bad);
        assert_eq!(e.code(), "malformed_json", "{e}");
        assert!(e.message().contains("trailing characters"), "{e}");
    }
    let e = Model::from_json(&format!("{} x", merchant_credit::model::DEFAULT_MODEL_JSON)).unwrap_err();
    assert_eq!(e.code(), "malformed_json", "{e}");
}

#[test]
fn unknown_field_is_named() {
    let e = err(&store(json!({"orders": [{"id": "o1", "placed_at": "2025-06-01T10:00:00Z", "amount": 10, "status": "delivered", "amout": 3}]})));
    assert_eq!(e.code(), "unknown_field");
    assert!(e.to_string().contains("amout"), "{e}");
    assert!(e.path().starts_with("orders[0]"), "{}", e.path());
    let e = err(&store(json!({"monthly": [{"month": "2025-05", "gmv": 1, "orders": 1}], "colour": "red"})));
    assert_eq!(e.code(), "unknown_field");
    assert!(e.to_string().contains("colour"));
}

#[test]
fn infinite_amount() {
    let text = one_order(json!({})).replace("\"amount\":10", "\"amount\":1e999");
    let e = err(&text);
    assert_eq!(e.path(), "orders[0].amount", "{e}");
}

#[test]
fn nan_amount_from_a_non_json_source() {
    use serde::Deserialize;
    let r = merchant_credit::store::Money::deserialize(serde::de::value::F64Deserializer::<serde::de::value::Error>::new(f64::NAN));
    assert!(r.is_err());
    let r = merchant_credit::store::Money::deserialize(serde::de::value::F64Deserializer::<serde::de::value::Error>::new(f64::INFINITY));
    assert!(r.is_err());
}

#[test]
fn negative_amount() {
    let e = err(&one_order(json!({"amount": -3})));
    assert_eq!(e.code(), "negative_amount");
    assert_eq!(e.to_string(), "orders[0].amount: negative amount -3");
}

#[test]
fn order_after_as_of() {
    let e = err(&one_order(json!({"placed_at": "2025-07-01T00:00:00Z"})));
    assert_eq!(e.code(), "future_date");
    assert_eq!(e.path(), "orders[0].placed_at");
    // an order on as_of itself, late in the day, is fine
    evaluate_json(&one_order(json!({"placed_at": "2025-06-30T23:59:59Z"}))).unwrap();
}

#[test]
fn duplicate_order_id() {
    let o = json!({"id": "same", "placed_at": "2025-06-01T10:00:00Z", "amount": 10, "status": "delivered"});
    let e = err(&store(json!({"orders": [o.clone(), o]})));
    assert_eq!(e.code(), "duplicate_id");
    assert_eq!(e.path(), "orders[1].id");
}

#[test]
fn delivered_before_placed() {
    let e = err(&one_order(json!({"delivered_at": "2025-05-30T10:00:00Z"})));
    assert_eq!(e.code(), "date_order");
    assert_eq!(e.path(), "orders[0].delivered_at");
    let e = err(&one_order(json!({"shipped_at": "2025-06-03T10:00:00Z", "delivered_at": "2025-06-02T10:00:00Z"})));
    assert_eq!(e.code(), "date_order");
}

#[test]
fn empty_history() {
    let e = err(&store(json!({})));
    assert_eq!(e.code(), "empty_history");
    let e = err(&store(json!({"orders": [], "monthly": []})));
    assert_eq!(e.code(), "empty_history");
}

#[test]
fn wrong_currency_code() {
    for c in ["cny", "YUAN", "", "C1Y"] {
        let mut v = common::store_with(&json!({"monthly": [{"month": "2025-05", "gmv": 1, "orders": 1}]}));
        v["currency"] = json!(c);
        let e = err(&v.to_string());
        assert_eq!(e.code(), "invalid_currency", "{c}");
        assert_eq!(e.path(), "currency");
    }
}

#[test]
fn bad_dates() {
    let e = err(&one_order(json!({"placed_at": "06/01/2025"})));
    assert_eq!(e.code(), "invalid_date");
    assert_eq!(e.path(), "orders[0].placed_at");
    let e = err(&one_order(json!({"placed_at": "2025-02-30T10:00:00Z"})));
    assert_eq!(e.code(), "invalid_date");
}

#[test]
fn out_of_range_values() {
    let e = err(&one_order(json!({"rating": 6})));
    assert_eq!(e.code(), "out_of_range");
    assert_eq!(e.path(), "orders[0].rating");
    let e = err(&one_order(json!({"refund_amount": 11})));
    assert_eq!(e.code(), "out_of_range");
    let e = err(&store(json!({"monthly": [{"month": "2025-05", "gmv": 10, "orders": 0}]})));
    assert_eq!(e.path(), "monthly[0].orders");
}

#[test]
fn unknown_status_and_store_type() {
    let e = err(&one_order(json!({"status": "lost"})));
    assert_eq!(e.code(), "invalid_value");
    assert_eq!(e.path(), "orders[0].status");
    let e = err(&store(json!({"merchant": {"id": "m", "opened_on": "2023-01-01", "store_type": "kiosk"}, "monthly": [{"month": "2025-05", "gmv": 1, "orders": 1}]})));
    assert_eq!(e.code(), "invalid_value");
}

#[test]
fn missing_required_field() {
    let e = err(r#"{"as_of": "2025-06-30", "currency": "CNY", "merchant": {"id": "m"}, "monthly": [{"month": "2025-05", "gmv": 1, "orders": 1}]}"#);
    assert_eq!(e.code(), "missing_field");
    assert_eq!(e.path(), "merchant.opened_on");
}

#[test]
fn store_opened_after_as_of_and_future_month() {
    let e = err(&store(json!({"merchant": {"id": "m", "opened_on": "2025-07-01"}, "monthly": [{"month": "2025-05", "gmv": 1, "orders": 1}]})));
    assert_eq!(e.code(), "future_date");
    let e = err(&store(json!({"monthly": [{"month": "2025-07", "gmv": 1, "orders": 1}]})));
    assert_eq!(e.code(), "future_date");
    assert_eq!(e.path(), "monthly[0].month");
}

#[test]
fn oversized_history() {
    let months: Vec<Value> = (0..601).map(|i| {
        let m = 2025 * 12 + 5 - i;
        json!({"month": format!("{:04}-{:02}", m / 12, m % 12 + 1), "gmv": 1, "orders": 1})
    }).collect();
    let e = err(&store(json!({"monthly": months})));
    assert_eq!(e.code(), "too_large");
    assert_eq!(e.path(), "monthly");
}

#[test]
fn schema_tag_must_match() {
    let e = err(&store(json!({"$schema": "merchant-credit/store@9", "monthly": [{"month": "2025-05", "gmv": 1, "orders": 1}]})));
    assert_eq!(e.path(), "$schema");
    StoreData::from_json(&store(json!({"$schema": "merchant-credit/store@1", "monthly": [{"month": "2025-05", "gmv": 1, "orders": 1}]}))).unwrap();
}

fn model_with(f: impl FnOnce(&mut Value)) -> merchant_credit::Error {
    let mut m: Value = serde_json::from_str(merchant_credit::model::DEFAULT_MODEL_JSON).unwrap();
    f(&mut m);
    Model::from_json(&m.to_string()).expect_err("bad model accepted")
}

#[test]
fn model_with_overlapping_bins() {
    let e = model_with(|m| m["scorecard"]["characteristics"][0]["bins"][1]["lower"] = json!(2));
    assert_eq!(e.code(), "invalid_model");
    assert!(e.to_string().contains("overlapping"), "{e}");
    assert!(e.path().starts_with("scorecard.characteristics[0]"), "{}", e.path());
}

#[test]
fn model_with_gap_in_bins() {
    let e = model_with(|m| m["scorecard"]["characteristics"][0]["bins"][1]["lower"] = json!(4));
    assert!(e.to_string().contains("do not cover the real line"), "{e}");
}

#[test]
fn model_with_unsorted_grades() {
    let e = model_with(|m| {
        m["grades"][1]["min_score"] = json!(700);
    });
    assert_eq!(e.code(), "invalid_model");
    assert_eq!(e.path(), "grades[1].min_score");
    assert!(e.to_string().contains("descending"));
}

#[test]
fn model_with_bad_condition_and_unknown_field() {
    let e = model_with(|m| m["policy"][0]["when"] = json!({"feature": "x", "op": "lt", "value": "text"}));
    assert_eq!(e.code(), "invalid_model");
    assert!(e.path().starts_with("policy[0].when"), "{}", e.path());
    let e = model_with(|m| m["policy"][0]["when"] = json!({"all": [], "any": []}));
    assert_eq!(e.code(), "invalid_model");
    let e = model_with(|m| m["scorecard"]["scaling"]["pdoo"] = json!(20));
    assert_eq!(e.code(), "unknown_field");
    let e = model_with(|m| m["decision"]["approve_max_pd"] = json!(0.5));
    assert_eq!(e.path(), "decision");
    let e = model_with(|m| { m["limit"]["sales_multiple"].as_object_mut().unwrap().remove("C"); });
    assert_eq!(e.path(), "limit.sales_multiple");
}

/// Each calibration method takes its own fields and no other: a `slope` on `scaling` was once
/// accepted and ignored (serde's internally tagged enum), which silently scored with the wrong
/// curve.
#[test]
fn calibration_fields_belong_to_their_method() {
    let cases = [
        (json!({"method": "scaling", "slope": -0.01}), "unknown_field", "calibration.slope"),
        (json!({"method": "table", "points": [[500, 0.1], [600, 0.01]], "intercept": 1}), "unknown_field", "calibration.intercept"),
        (json!({"method": "logistic", "intercept": 1, "slope": -0.01, "points": []}), "unknown_field", "calibration.points"),
        (json!({"method": "logistic", "intercept": 1, "slope": -0.01, "foo": 1}), "unknown_field", "calibration.foo"),
        (json!({"method": "logistic", "intercept": 1}), "missing_field", "calibration.slope"),
        (json!({"method": "logistic", "slope": -0.01}), "missing_field", "calibration.intercept"),
        (json!({"method": "table"}), "missing_field", "calibration.points"),
        (json!({"slope": -0.01}), "missing_field", "calibration.method"),
        (json!({"method": "isotonic"}), "invalid_value", "calibration.method"),
        // a bad point is named by its own path (it was `calibration`)
        (json!({"method": "table", "points": [[500, 0.1], [600, "x"]]}), "malformed_json", "calibration.points[1][1]"),
        (json!({"method": "table", "points": [[500, 0.1]]}), "invalid_model", "calibration.points"),
        (json!({"method": "logistic", "intercept": 1e308, "slope": 1e308}), "ok", ""),
    ];
    for (c, code, path) in cases {
        let mut m: Value = serde_json::from_str(merchant_credit::model::DEFAULT_MODEL_JSON).unwrap();
        m["calibration"] = c.clone();
        match Model::from_json(&m.to_string()) {
            Ok(_) => assert_eq!(code, "ok", "{c} accepted"),
            Err(e) => assert_eq!((e.code(), e.path()), (code, path), "{c}: {e}"),
        }
    }
    for (c, want) in [
        (json!({"method": "scaling"}), merchant_credit::model::Calibration::Scaling),
        (json!({"method": "logistic", "intercept": -4, "slope": -0.01}), merchant_credit::model::Calibration::Logistic { intercept: -4.0, slope: -0.01 }),
        (json!({"method": "table", "points": [[500, 0.1], [600, 0.01]]}), merchant_credit::model::Calibration::Table { points: vec![(500.0, 0.1), (600.0, 0.01)] }),
    ] {
        let mut m: Value = serde_json::from_str(merchant_credit::model::DEFAULT_MODEL_JSON).unwrap();
        m["calibration"] = c;
        let model = Model::from_json(&m.to_string()).unwrap();
        assert_eq!(model.calibration, want);
        // and it writes back the same JSON shape
        assert_eq!(Model::from_json(&serde_json::to_string(&model).unwrap()).unwrap().calibration, want);
    }
}

/// A condition's constant is a number, a text, a boolean (1 / 0) or a list of them; anything else
/// is named by its path with a plain message (not serde's "did not match any variant of untagged
/// enum").
#[test]
fn condition_constants() {
    let when = |v: Value| -> Result<Model, merchant_credit::Error> {
        let mut m: Value = serde_json::from_str(merchant_credit::model::DEFAULT_MODEL_JSON).unwrap();
        m["policy"][0]["when"] = v;
        Model::from_json(&m.to_string())
    };
    for (value, path) in [(json!({}), "policy[0].when.value"), (json!([1, {}]), "policy[0].when.value[1]"), (json!([1, [true, null]]), "policy[0].when.value[1][1]")] {
        let e = when(json!({"feature": "store_age_months", "op": "in", "value": value})).unwrap_err();
        assert_eq!((e.code(), e.path()), ("malformed_json", path), "{e}");
        assert!(e.to_string().contains("expected a number, a text or a list of them"), "{e}");
        assert!(!e.to_string().contains("untagged"), "{e}");
    }
    let m = when(json!({"feature": "identity_verified", "op": "eq", "value": true})).unwrap();
    assert_eq!(m.policy[0].when, merchant_credit::model::Condition::Cmp {
        feature: "identity_verified".into(),
        op: merchant_credit::model::Op::Eq,
        value: Some(merchant_credit::model::Operand::Num(1.0)),
    });
    let m = when(json!({"feature": "category", "op": "in", "value": ["toys", 3, false]})).unwrap();
    assert!(matches!(&m.policy[0].when, merchant_credit::model::Condition::Cmp { value: Some(merchant_credit::model::Operand::List(l)), .. }
        if l == &[merchant_credit::model::Operand::Text("toys".into()), merchant_credit::model::Operand::Num(3.0), merchant_credit::model::Operand::Num(0.0)]));
}

/// A list written `null` is the same as a list left out (as every optional field is): the same
/// store, the same decision and the same input digest; a list of the wrong type is still an error.
#[test]
fn null_lists_are_absent() {
    let plain = StoreData::from_json(&one_order(json!({}))).unwrap();
    let mut v: Value = serde_json::from_str(&one_order(json!({}))).unwrap();
    for k in ["monthly", "receivables", "liabilities", "repayments"] {
        v[k] = Value::Null;
    }
    let nulls = StoreData::from_json(&v.to_string()).unwrap();
    assert_eq!(nulls, plain);
    let e = merchant_credit::Engine::default();
    assert_eq!(e.evaluate(&nulls).to_json(), e.evaluate(&plain).to_json());
    v["receivables"] = json!({});
    assert_eq!(StoreData::from_json(&v.to_string()).unwrap_err().code(), "malformed_json");
    // a store whose only history is null has none
    let e = err(&store(json!({"orders": null, "monthly": null})));
    assert_eq!(e.code(), "empty_history");
}

#[test]
fn errors_display_path_then_message_and_never_panic_on_junk() {
    for junk in ["", "null", "[]", "42", "\"s\"", "{}", "{\"as_of\": 5}", "\u{feff}{}", "{\"as_of\": \"2025-06-30\", \"currency\": \"CNY\", \"merchant\": []}"] {
        let e = err(junk);
        assert!(!e.to_string().is_empty());
    }
}

#[test]
fn a_store_built_in_code_is_checked_too() {
    let mut s = StoreData::from_json(&one_order(json!({}))).unwrap();
    s.orders[0].amount = merchant_credit::store::Money(f64::NAN);
    let e = s.validate().unwrap_err();
    assert_eq!((e.code(), e.path()), ("not_finite", "orders[0].amount"));
    s.orders[0].amount = merchant_credit::store::Money(-1.0);
    assert_eq!(s.validate().unwrap_err().code(), "negative_amount");
}
