//! Bad lifecycle input gets a typed error with the JSON path: payments before the loan,
//! negative payments, overlapping schedules, a snapshot series out of order, and more.

use merchant_credit::lifecycle::{self, MonitorRequest, PortfolioRequest, ScheduleRequest, SeriesRequest, ServicingRequest};
use merchant_credit::{Engine, Error};
use serde_json::{json, Value};

fn schedule_json() -> Value {
    let req: ScheduleRequest = lifecycle::from_json(r#"{"method": "installments", "principal": 3000, "installments": 3, "start": "2025-01-10"}"#).unwrap();
    serde_json::to_value(lifecycle::schedule(&req, &Default::default()).unwrap()).unwrap()
}

fn servicing(v: Value) -> Result<lifecycle::ServicingReport, Error> {
    let req: ServicingRequest = lifecycle::from_json(&v.to_string())?;
    lifecycle::service(&req, &Default::default())
}

fn err(r: Result<impl std::fmt::Debug, Error>) -> (String, String) {
    let e = r.unwrap_err();
    (e.code().to_string(), e.path().to_string())
}

#[test]
fn payment_before_the_loan() {
    let v = json!({"as_of": "2025-03-01", "schedule": schedule_json(), "payments": [{"paid_on": "2025-01-01", "amount": 100}]});
    assert_eq!(err(servicing(v)), ("servicing".into(), "payments[0].paid_on".into()));
}

#[test]
fn negative_payment() {
    let v = json!({"as_of": "2025-03-01", "schedule": schedule_json(), "payments": [{"paid_on": "2025-02-01", "amount": -5}]});
    assert_eq!(err(servicing(v)), ("negative_amount".into(), "payments[0].amount".into()));
}

#[test]
fn payment_after_as_of() {
    let v = json!({"as_of": "2025-03-01", "schedule": schedule_json(), "payments": [{"paid_on": "2025-03-02", "amount": 5}]});
    assert_eq!(err(servicing(v)), ("future_date".into(), "payments[0].paid_on".into()));
}

#[test]
fn overlapping_installments_in_a_schedule() {
    let mut s = schedule_json();
    s["installments"][2]["due_on"] = s["installments"][1]["due_on"].clone();
    let v = json!({"as_of": "2025-03-01", "schedule": s, "payments": []});
    assert_eq!(err(servicing(v)), ("servicing".into(), "schedule.installments[2].due_on".into()));
}

#[test]
fn a_schedule_that_does_not_reconcile() {
    let mut s = schedule_json();
    s["installments"][0]["amount"] = json!(999.0);
    let v = json!({"as_of": "2025-03-01", "schedule": s, "payments": []});
    assert_eq!(err(servicing(v)), ("servicing".into(), "schedule.installments[0].amount".into()));
}

#[test]
fn the_same_loan_scheduled_twice() {
    let v = json!({"as_of": "2025-03-01", "loans": [{"schedule": schedule_json()}, {"schedule": schedule_json()}]});
    let req: PortfolioRequest = lifecycle::from_json(&v.to_string()).unwrap();
    assert_eq!(err(lifecycle::service_all(&req, &Default::default())), ("servicing".into(), "loans[1].schedule.loan_id".into()));
}

#[test]
fn unknown_field_in_a_payment() {
    let v = json!({"as_of": "2025-03-01", "schedule": schedule_json(), "payments": [{"paid_on": "2025-02-01", "amount": 5, "amout": 1}]});
    let (code, path) = err(servicing(v));
    assert_eq!(code, "unknown_field");
    assert!(path.starts_with("payments[0]"), "{path}");
}

#[test]
fn bad_schedule_requests() {
    let cases = [
        (json!({"method": "installments", "principal": 0, "installments": 3, "start": "2025-01-10"}), "out_of_range", "principal"),
        (json!({"method": "installments", "principal": 100, "start": "2025-01-10"}), "missing_field", "installments"),
        (json!({"method": "bullet", "principal": 100, "start": "2025-01-10"}), "missing_field", "term_days (required for a bullet)"),
        (json!({"method": "holdback", "principal": 100, "term_days": 90, "start": "2025-01-10"}), "missing_field", "holdback_rate"),
        (json!({"method": "holdback", "principal": 100, "term_days": 90, "holdback_rate": 0.1, "annual_rate": 0.1, "start": "2025-01-10"}), "invalid_value", "annual_rate"),
        (json!({"method": "bullet", "principal": 100, "fee": -1, "term_days": 30, "start": "2025-01-10"}), "negative_amount", "fee"),
        (json!({"method": "installments", "principal": 100, "installments": 400, "start": "2025-01-10"}), "out_of_range", "installments"),
        (json!({"method": "installments", "principal": 100, "installments": 10, "term_days": 5, "start": "2025-01-10"}), "out_of_range", "installments"),
    ];
    for (v, code, path) in cases {
        let req: ScheduleRequest = lifecycle::from_json(&v.to_string()).unwrap();
        assert_eq!(err(lifecycle::schedule(&req, &Default::default())), (code.to_string(), path.to_string()), "{v}");
    }
}

fn store_at(as_of: &str) -> Value {
    let mut s: Value = serde_json::from_str(include_str!("../examples/monthly-only.json")).unwrap();
    s["as_of"] = json!(as_of);
    let month = &as_of[..7];
    let kept: Vec<Value> = s["monthly"].as_array().unwrap().iter().filter(|m| m["month"].as_str().unwrap() <= month).cloned().collect();
    s["monthly"] = json!(kept);
    s
}

#[test]
fn snapshot_series_out_of_order() {
    let v = json!({"snapshots": [{"store": store_at("2025-05-31")}, {"store": store_at("2025-04-30")}]});
    let req: SeriesRequest = lifecycle::from_json(&v.to_string()).unwrap();
    assert_eq!(err(lifecycle::monitor_series(&Engine::default(), &req)), ("date_order".into(), "snapshots[1].store.as_of".into()));
}

#[test]
fn snapshot_series_of_two_merchants() {
    let mut other = store_at("2025-05-31");
    other["merchant"]["id"] = json!("someone-else");
    let v = json!({"snapshots": [{"store": store_at("2025-04-30")}, {"store": other}]});
    let req: SeriesRequest = lifecycle::from_json(&v.to_string()).unwrap();
    assert_eq!(err(lifecycle::monitor_series(&Engine::default(), &req)), ("invalid_value".into(), "snapshots[1].store.merchant.id".into()));
}

#[test]
fn invalid_store_inside_a_snapshot() {
    let mut bad = store_at("2025-05-31");
    bad["monthly"][0]["month"] = json!("2025-08");
    let v = json!({"snapshots": [{"store": store_at("2025-04-30")}, {"store": bad}]});
    let req: SeriesRequest = lifecycle::from_json(&v.to_string()).unwrap();
    assert_eq!(err(lifecycle::monitor_series(&Engine::default(), &req)), ("future_date".into(), "snapshots[1].store.monthly[0].month".into()));
}

#[test]
fn previous_decision_after_the_store() {
    let engine = Engine::default();
    let later = engine.evaluate_json(&store_at("2025-06-30").to_string()).unwrap();
    let v = json!({"store": store_at("2025-05-31"), "previous": later});
    let req: MonitorRequest = lifecycle::from_json(&v.to_string()).unwrap();
    assert_eq!(err(lifecycle::monitor(&engine, &req)), ("date_order".into(), "previous.as_of".into()));
}

#[test]
fn negative_outstanding() {
    let v = json!({"store": store_at("2025-05-31"), "outstanding": -1});
    assert_eq!(err(lifecycle::from_json::<MonitorRequest>(&v.to_string())), ("negative_amount".into(), "outstanding".into()));
}

#[test]
fn a_model_with_a_bad_lifecycle_policy() {
    let mut m: Value = serde_json::from_str(merchant_credit::model::DEFAULT_MODEL_JSON).unwrap();
    m["lifecycle"]["reassessment"]["max_increase"] = json!(-0.1);
    let e = merchant_credit::Model::from_json(&m.to_string()).unwrap_err();
    assert_eq!((e.code(), e.path()), ("invalid_model", "lifecycle.reassessment.max_increase"));
    let mut m: Value = serde_json::from_str(merchant_credit::model::DEFAULT_MODEL_JSON).unwrap();
    m["lifecycle"]["monitoring"]["sales_drop"] = json!({"review": 0.5, "reduce": 0.2});
    let e = merchant_credit::Model::from_json(&m.to_string()).unwrap_err();
    assert_eq!((e.code(), e.path()), ("invalid_model", "lifecycle.monitoring.sales_drop.reduce"));
}
