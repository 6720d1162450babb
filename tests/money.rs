//! Money is rounded to the currency's own minor unit: whole yen for JPY, fils (3 decimals) for
//! KWD, cents otherwise. An offer, schedule or statement in yen with a fraction would be an amount
//! nobody can pay; these tests fail if any amount leaves the engine with more decimals than its
//! currency has, or if the rounding breaks reconciliation.

use merchant_credit::date::Date;
use merchant_credit::lifecycle::{
    self, PortfolioRequest, SchedulePolicy, ScheduleRequest, ServicingRequest,
};
use merchant_credit::money::MinorUnit;
use merchant_credit::{Engine, StoreData};

fn store_in(currency: &str, scale: f64) -> StoreData {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/store.json"))
        .unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["currency"] = currency.into();
    // scale every order amount so that the store is a plausible size in that currency
    for o in v["orders"].as_array_mut().unwrap() {
        for k in ["amount", "refund_amount"] {
            if let Some(x) = o.get(k).and_then(|x| x.as_f64()) {
                o[k] = serde_json::json!((x * scale * 100.0).round() / 100.0);
            }
        }
    }
    serde_json::from_value(v).unwrap()
}

/// True when `x` is a whole number of minor units of `digits` decimals.
fn whole(x: f64, digits: u32) -> bool {
    let s = 10f64.powi(digits as i32);
    ((x * s).round() / s - x).abs() < 1e-9 * x.abs().max(1.0)
        && format!("{x}").split('.').nth(1).map_or(0, str::len) <= digits as usize
}

#[test]
fn yen_offers_are_whole_yen_and_reconcile() {
    let engine = Engine::default();
    let d = engine.evaluate(&store_in("JPY", 17.0));
    assert!(
        !d.offers.is_empty(),
        "the example store should get offers in JPY too: {:?}",
        d.decision
    );
    assert!(whole(d.credit_line.amount, 0));
    for o in &d.offers {
        for x in [o.amount, o.fee, o.total_repayable] {
            assert!(whole(x, 0), "{:?}: {x} is not whole yen", o.product);
        }
        if let Some(i) = o.repayment.installment_amount {
            assert!(whole(i, 0), "installment {i}");
        }
        assert_eq!(o.amount + o.fee, o.total_repayable);
        // a schedule built from the offer stays in whole yen and reconciles to the yen
        let req = ScheduleRequest::from_offer(o, "L1", "JPY", d.as_of, Some(50_000.0));
        let s = lifecycle::schedule(&req, &SchedulePolicy::default()).unwrap();
        s.validate().unwrap();
        let sum: f64 = s.installments.iter().map(|r| r.amount).sum();
        assert_eq!(sum, s.total_repayable);
        for r in &s.installments {
            for x in [r.amount, r.principal, r.interest, r.fee, r.balance_after] {
                assert!(whole(x, 0), "schedule row {}: {x}", r.number);
            }
        }
    }
}

#[test]
fn two_decimal_currencies_are_unchanged() {
    // the default currency of the examples: cents, as before
    let engine = Engine::default();
    let d = engine.evaluate(&store_in("CNY", 1.0));
    assert!(
        d.offers.iter().any(|o| !whole(o.fee, 0)),
        "some fee in CNY has fen: {:?}",
        d.offers.iter().map(|o| o.fee).collect::<Vec<_>>()
    );
    for o in &d.offers {
        assert!(whole(o.fee, 2) && whole(o.amount, 2) && whole(o.total_repayable, 2));
    }
}

fn schedule(currency: &str, principal: f64, fee: f64) -> lifecycle::Schedule {
    let req = ScheduleRequest {
        loan_id: "L1".into(),
        currency: currency.into(),
        principal,
        fee,
        annual_rate: 0.18,
        start: Date::parse("2026-01-01").unwrap(),
        term_days: Some(180),
        installments: Some(6),
        ..ScheduleRequest::default()
    };
    lifecycle::schedule(&req, &SchedulePolicy::default()).unwrap()
}

#[test]
fn three_decimal_dinar_schedule() {
    let s = schedule("KWD", 1000.0, 12.345);
    let mu = MinorUnit::of("KWD");
    let mut sum = 0i64;
    for r in &s.installments {
        assert!(whole(r.amount, 3), "{}", r.amount);
        sum += mu.to_minor(r.amount);
    }
    assert_eq!(sum, mu.to_minor(s.total_repayable));
    assert_eq!(s.flat_fee, 12.345, "a fee with fils keeps them");
    assert!(
        s.installments.iter().any(|r| !whole(r.interest, 2)),
        "interest is computed to the fils, not to 0.01"
    );
}

#[test]
fn yen_servicing_and_reminder_text() {
    let s = schedule("JPY", 1_000_000.0, 20_000.0);
    assert!(s.installments.iter().all(|r| whole(r.amount, 0)));
    let first = s.installments[0].clone();
    let req = ServicingRequest {
        as_of: first.due_on.add_days(-2),
        schedule: s,
        payments: Vec::new(),
    };
    let r = lifecycle::service(&req, &Default::default()).unwrap();
    let reminder = r.reminder.expect("due in two days");
    assert!(
        reminder
            .message
            .contains(&format!("of {} JPY", first.amount)),
        "{}",
        reminder.message
    );
    assert!(
        !reminder.message.contains(".00 JPY"),
        "{}",
        reminder.message
    );
}

#[test]
fn a_portfolio_in_two_currencies_is_an_error() {
    let json = serde_json::json!({
        "as_of": "2026-03-01",
        "loans": [
            { "schedule": serde_json::to_value(schedule("JPY", 100_000.0, 0.0)).unwrap(), "payments": [] },
            { "schedule": serde_json::to_value(schedule("CNY", 1_000.0, 0.0)).unwrap(), "payments": [] }
        ]
    });
    let mut req: PortfolioRequest = serde_json::from_value(json).unwrap();
    req.loans[1].schedule.loan_id = "L2".into();
    let e = lifecycle::service_all(&req, &Default::default()).unwrap_err();
    assert_eq!(e.code(), "invalid_currency");
    assert_eq!(e.path(), "loans[1].schedule.currency");
}
