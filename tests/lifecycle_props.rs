//! Property tests of the lifecycle: schedules reconcile to the cent, a zero-fee installment
//! loan's APR is its rate, reassessment never raises a line by more than the cap (nor above the
//! fresh decision), and servicing never panics and keeps its statement consistent.

mod common;

use merchant_credit::date::Date;
use merchant_credit::lifecycle::{self, Action, LineState, ReassessmentPolicy, ScheduleRequest, SchedulePolicy, Signal, SignalSeverity};
use merchant_credit::model::RepaymentMethod;
use merchant_credit::{Engine, Outcome, StoreData};
use proptest::prelude::*;
use std::sync::OnceLock;

fn cents(x: f64) -> i64 {
    (x * 100.0).round() as i64
}

fn method() -> impl Strategy<Value = RepaymentMethod> {
    prop_oneof![Just(RepaymentMethod::Installments), Just(RepaymentMethod::Bullet), Just(RepaymentMethod::Holdback)]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(common::proptest_cases(400)))]

    #[test]
    fn every_schedule_sums_to_principal_plus_fee(
        m in method(),
        principal_c in 100i64..1_000_000_000,
        fee_c in 0i64..100_000_000,
        rate in 0.0f64..0.6,
        n in 1u32..60,
        term in 7u32..1500,
        start in 18_000i32..21_000,
        hb in 0.01f64..0.5,
        daily_c in 0i64..10_000_000,
        monthly_dates in any::<bool>(),
    ) {
        let req = ScheduleRequest {
            method: m,
            principal: principal_c as f64 / 100.0,
            fee: fee_c as f64 / 100.0,
            annual_rate: if m == RepaymentMethod::Holdback { 0.0 } else { rate },
            start: Date(start),
            term_days: if m == RepaymentMethod::Installments && monthly_dates { None } else { Some(term.max(n)) },
            installments: Some(n),
            holdback_rate: Some(hb),
            expected_daily_sales: Some(daily_c as f64 / 100.0),
            ..ScheduleRequest::default()
        };
        let s = lifecycle::schedule(&req, &SchedulePolicy::default()).unwrap();
        let sum: i64 = s.installments.iter().map(|i| cents(i.amount)).sum();
        let principal: i64 = s.installments.iter().map(|i| cents(i.principal)).sum();
        let interest: i64 = s.installments.iter().map(|i| cents(i.interest)).sum();
        prop_assert_eq!(sum, principal_c + fee_c + interest);
        prop_assert_eq!(sum, cents(s.total_repayable));
        prop_assert_eq!(principal, principal_c);
        prop_assert_eq!(cents(s.fee), fee_c + interest);
        for i in &s.installments {
            prop_assert_eq!(cents(i.amount), cents(i.principal) + cents(i.interest) + cents(i.fee));
            prop_assert!(i.amount >= 0.0 && i.principal >= 0.0);
        }
        if let Some(exp) = s.installments.iter().map(|i| i.expected_payment.map(cents)).collect::<Option<Vec<i64>>>() {
            prop_assert_eq!(exp.iter().sum::<i64>(), sum);
        }
        s.validate().unwrap();
        prop_assert!(s.apr >= 0.0 && s.apr.is_finite() && s.effective_apr.is_finite());
    }

    #[test]
    fn zero_fee_installment_apr_is_the_rate(
        principal_c in 100_000i64..1_000_000_000,
        rate in 0.01f64..0.5,
        n in 1u32..36,
        start in 18_000i32..21_000,
    ) {
        let req = ScheduleRequest { method: RepaymentMethod::Installments, principal: principal_c as f64 / 100.0, annual_rate: rate, installments: Some(n), start: Date(start), ..ScheduleRequest::default() };
        let s = lifecycle::schedule(&req, &SchedulePolicy::default()).unwrap();
        // Each period's interest is `balance x rate x days / 365` rounded to the cent, so the rate
        // a period actually charged is within half a cent of `rate`. The APR is a blend of those
        // charged rates: it lies between the smallest and the largest (a fixed tolerance such as
        // 2e-5 fails on small loans, where half a cent is a larger share of a period's interest).
        let (mut lo, mut hi, mut prev) = (f64::INFINITY, f64::NEG_INFINITY, s.start);
        for i in &s.installments {
            let exposure = (i.balance_after + i.principal) * f64::from(i.due_on.0 - prev.0) / 365.0;
            let charged = i.interest / exposure;
            prop_assert!((charged - rate).abs() <= 0.005 / exposure + 1e-12, "installment {}: charged {} rate {}", i.number, charged, rate);
            (lo, hi, prev) = (lo.min(charged), hi.max(charged), i.due_on);
        }
        prop_assert!(s.apr >= lo - 1e-6 && s.apr <= hi + 1e-6, "apr {} outside the charged rates [{}, {}]", s.apr, lo, hi);
        // and on a loan of 1,000 or more that is close to the rate itself
        prop_assert!((s.apr - rate).abs() < 1e-4, "apr {} rate {}", s.apr, rate);
    }

    #[test]
    fn bullet_apr_is_the_simple_rate(principal_c in 100_000i64..1_000_000_000, rate in 0.01f64..0.5, term in 10u32..720) {
        let req = ScheduleRequest { method: RepaymentMethod::Bullet, principal: principal_c as f64 / 100.0, annual_rate: rate, term_days: Some(term), start: Date(20_000), ..ScheduleRequest::default() };
        let s = lifecycle::schedule(&req, &SchedulePolicy::default()).unwrap();
        prop_assert!((s.apr - rate).abs() < 1e-4, "apr {} rate {}", s.apr, rate);
    }
}

fn fresh_decision() -> &'static merchant_credit::Decision {
    static D: OnceLock<merchant_credit::Decision> = OnceLock::new();
    D.get_or_init(|| Engine::default().evaluate(&StoreData::from_json(include_str!("../examples/monthly-only.json")).unwrap()))
}

fn action() -> impl Strategy<Value = Option<Action>> {
    prop_oneof![Just(None), Just(Some(Action::Review)), Just(Some(Action::Reduce)), Just(Some(Action::Freeze))]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(common::proptest_cases(2000)))]

    #[test]
    fn reassessment_never_raises_more_than_the_cap(
        prev in 0.0f64..2_000_000.0,
        fresh in 0.0f64..2_000_000.0,
        cap in 0.0f64..1.0,
        clean in 0u32..10,
        need in 0u32..6,
        frozen in any::<bool>(),
        sig in action(),
        decline in any::<bool>(),
        days_since_increase in proptest::option::of(0i32..100),
        rounding in prop_oneof![Just(1.0), Just(50.0), Just(100.0)],
        outstanding in 0.0f64..500_000.0,
    ) {
        let mut d = fresh_decision().clone();
        d.credit_line.amount = fresh;
        if decline { d.decision = Outcome::Decline; }
        let policy = ReassessmentPolicy { max_increase: cap, clean_periods: need, ..ReassessmentPolicy::default() };
        let state = LineState { amount: prev, frozen, clean_periods: clean, last_increase_on: days_since_increase.map(|k| d.as_of.add_days(-k)), as_of: d.as_of.add_days(-30) };
        let signals: Vec<Signal> = sig.into_iter().map(|a| Signal { code: "x".into(), severity: SignalSeverity::Low, action: a, message: String::new(), evidence: Default::default() }).collect();
        let r = lifecycle::reassess(&state, &d, &signals, outstanding, &policy, rounding).unwrap();
        if prev > 0.0 {
            prop_assert!(r.new_line <= prev * (1.0 + cap) + 1e-6, "{} -> {}", prev, r.new_line);
        } else {
            prop_assert!(r.new_line <= fresh * policy.reopen_share + 1e-6);
        }
        prop_assert!(r.new_line <= fresh.max(0.0) + 1e-6 || r.new_line <= prev, "above the fresh line");
        prop_assert!(r.new_line <= fresh + 1e-6, "never above the fresh decision's line");
        if sig.is_some() || decline {
            prop_assert!(r.new_line <= prev + 1e-6, "no increase with a signal");
        }
        if sig == Some(Action::Freeze) || decline {
            prop_assert!(r.state.frozen && r.available == 0.0);
        }
        prop_assert!(r.available >= 0.0 && r.available <= r.new_line + 1e-6);
    }
}
