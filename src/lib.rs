//! # merchant-credit
//!
//! A credit scoring and credit-limit engine for small e-commerce merchants (supply-chain finance).
//! The same crate compiles to WebAssembly, so a marketplace can show each seller an instant,
//! private financing estimate computed in the seller's own browser, and natively, so the
//! platform's server runs the identical engine for the authoritative decision: same input, same
//! model, byte-identical Decision JSON.
//!
//! The pre-loan path: [`StoreData`] (validated) -> [`features`] -> [`policy`] rules ->
//! [`scorecard`] (score, PD, grade, ranked reasons) -> [`limit`] (line, offers, pricing) ->
//! [`Decision`] with a [`receipt`].
//!
//! ```
//! use merchant_credit::{Engine, StoreData};
//!
//! let store = StoreData::from_json(include_str!("../examples/store.json"))?;
//! let engine = Engine::default(); // the embedded default model
//! let decision = engine.evaluate(&store);
//! println!("{} grade {} line {}", decision.decision.as_str(), decision.grade, decision.credit_line.amount);
//! assert!(decision.reasons.windows(2).all(|w| w[0].points <= w[1].points)); // most adverse first
//! # Ok::<(), merchant_credit::Error>(())
//! ```
//!
//! Bad input is an [`Error`] with a stable [`code`](Error::code) and the JSON path of the field:
//!
//! ```
//! let err = merchant_credit::evaluate_json(r#"{"as_of": "2025-06-30", "currency": "CNY",
//!     "merchant": {"id": "m", "opened_on": "2024-01-01"},
//!     "orders": [{"id": "o1", "placed_at": "2025-07-02T10:00:00Z", "amount": 10, "status": "delivered"}]}"#)
//!     .unwrap_err();
//! assert_eq!(err.code(), "future_date");
//! assert_eq!(err.path(), "orders[0].placed_at");
//! ```
//!
//! The core has no I/O and no wasm dependency; `src/wasm.rs` (wasm32 only) and the CLI in
//! `src/bin/` only convert.

#![warn(missing_docs, rust_2018_idioms, missing_debug_implementations)]
// No panic reachable from the public API (a panic kills the wasm module for the whole page):
// library code neither unwraps nor indexes unchecked; tests may.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing))]

mod bytes;
pub mod date;
pub mod decision;
// TODO(develop): the numeric training code (binning, logistic, metrics, psi, train) still indexes
// slices directly (about 80 sites, bounds held by construction); native-only tooling over the
// analyst's own files, outside the wasm bundle. PMML import is fuzzed (fuzz/pmml). Remove this
// allow once those modules use iterators / `get`.
#[cfg_attr(not(test), allow(clippy::indexing_slicing))]
pub mod develop;
pub mod error;
mod fasthash;
pub mod features;
pub mod lifecycle;
pub mod limit;
pub mod model;
pub mod money;
mod number;
pub mod policy;
pub mod receipt;
pub mod schema;
pub mod scorecard;
mod sort;
pub mod store;
pub mod whatif;
pub mod synth;

#[cfg(any(target_arch = "wasm32", test))]
mod arena;
#[cfg(target_arch = "wasm32")]
mod wasm;

pub use decision::{evaluate_json, Decision, Engine, ModelRef, Outcome};
pub use error::{Error, ErrorKind, Result};
pub use model::Model;
pub use store::StoreData;
