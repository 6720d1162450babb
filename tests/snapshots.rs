//! Whole-decision snapshots of the example stores, pinned in tests/snapshots/. A change to the
//! engine or the default model that moves any byte of a decision fails here and must be reviewed.
//! Regenerate after an intended change: `UPDATE_SNAPSHOTS=1 cargo test --test snapshots`.
mod common;

use merchant_credit::{Engine, Outcome, StoreData};

/// (example file, expected outcome): the story each example tells.
const EXAMPLES: &[(&str, Outcome)] = &[
    ("store.json", Outcome::Approve),          // a strong, established seller
    ("new-seller.json", Outcome::Decline),     // opened weeks ago
    ("declining-seller.json", Outcome::Refer), // sales falling, refunds up, declared revenue inflated
    ("wash-trader.json", Outcome::Decline),    // bursts of identical orders from shill buyers
    ("overdue-seller.json", Outcome::Decline), // overdue installments here and debt past due elsewhere
    ("monthly-only.json", Outcome::Approve),   // a brand manufacturer known from monthly summaries
];

#[test]
fn example_decisions_match_their_snapshots() {
    let engine = Engine::default();
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some();
    let mut stale = Vec::new();
    for (file, outcome) in EXAMPLES {
        let store = StoreData::from_json(&common::example(file)).unwrap();
        let d = engine.evaluate(&store);
        assert_eq!(d.decision, *outcome, "{file}: {:?} with policy {:?}", d.decision, d.policy);
        let path = format!("{}/tests/snapshots/{}", env!("CARGO_MANIFEST_DIR"), file.replace(".json", ".decision.json"));
        let text = d.to_json_pretty() + "\n";
        if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            if update {
                std::fs::write(&path, &text).unwrap();
            } else {
                stale.push(path);
            }
        }
    }
    assert!(stale.is_empty(), "decisions changed (review, then UPDATE_SNAPSHOTS=1): {stale:?}");
}

#[test]
fn decisions_explain_themselves() {
    let engine = Engine::default();
    for (file, _) in EXAMPLES {
        let d = engine.evaluate(&StoreData::from_json(&common::example(file)).unwrap());
        // the score decomposes exactly into base points plus characteristic points
        let total: f64 = engine.model().scorecard.base_points + d.score_breakdown.iter().map(|c| c.points).sum::<f64>();
        assert_eq!(total.round() as i32, d.score, "{file}");
        // reasons ranked most adverse first, each with a message
        assert!(d.reasons.windows(2).all(|w| w[0].points <= w[1].points), "{file}");
        assert!(d.reasons.iter().all(|r| r.points < 0.0 && !r.message.is_empty()));
        // a decline always says why
        if d.decision == Outcome::Decline {
            assert!(!d.policy.is_empty() || !d.reasons.is_empty(), "{file}");
            assert!(d.offers.is_empty() && d.credit_line.amount == 0.0, "{file}");
        }
        // the receipt's digests are real and the decision digest verifies
        assert_eq!(d.receipt.model_sha256, engine.model_ref().sha256);
        assert_eq!(d.receipt.decision_sha256, merchant_credit::decision::decision_digest(&d));
        assert_eq!(d.receipt.input_sha256.len(), 64);
        // offers never exceed the line and fees reconcile
        for o in &d.offers {
            assert!(o.amount <= d.credit_line.amount + 1e-9, "{file}: {o:?}");
            assert_eq!(((o.amount + o.fee) * 100.0).round(), (o.total_repayable * 100.0).round());
            assert!(o.apr > 0.0 && o.apr <= engine.model().pricing.unwrap().max_apr);
        }
    }
}

/// `Engine::with_sha256` (how the Node.js package hashes with node:crypto): the supplied function
/// computes the input and decision digests, and an exact SHA-256 gives the same receipts.
#[test]
fn a_supplied_sha256_makes_the_input_and_decision_digests() {
    use merchant_credit::receipt;
    fn constant(_: &[u8]) -> [u8; 32] {
        [0xab; 32]
    }
    fn own(bytes: &[u8]) -> [u8; 32] {
        receipt::sha256(bytes)
    }
    let store = StoreData::from_json(&common::example("store.json")).unwrap();
    let plain = Engine::default().evaluate(&store);
    let d = Engine::default().with_sha256(constant).evaluate(&store);
    assert_eq!(d.receipt.input_sha256, "ab".repeat(32));
    assert_eq!(d.receipt.decision_sha256, "ab".repeat(32));
    assert_eq!(d.receipt.model_sha256, plain.receipt.model_sha256, "the model digest is made once, with the engine");
    assert_eq!(Engine::default().with_sha256(own).evaluate(&store).to_json(), plain.to_json());
    assert_eq!(plain.receipt.input_sha256, receipt::sha256_hex(&store.canonical_json()));
    // FIPS 180-2 test vector, through the same function the engine uses
    assert_eq!(receipt::hex(&receipt::sha256(b"abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

#[test]
fn same_input_same_bytes_and_formatting_does_not_change_the_receipt() {
    let engine = Engine::default();
    let text = common::example("monthly-only.json");
    let a = engine.evaluate_json(&text).unwrap().to_json();
    let b = engine.evaluate_json(&text).unwrap().to_json();
    assert_eq!(a, b);
    // re-indented input: same canonical input, same digests
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let c = engine.evaluate_json(&serde_json::to_string(&v).unwrap()).unwrap().to_json();
    assert_eq!(a, c);
}
