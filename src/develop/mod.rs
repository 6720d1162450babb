//! Model development: flat-record scoring (always built, also in wasm) and, behind the cargo
//! feature `develop` (enabled by `cli`), training, validation metrics, drift (PSI) and PMML
//! `<Scorecard>` import/export. See `docs/model-development.md` and `docs/pmml.md`.
//!
//! A trained model is an ordinary [`Model`](crate::Model): the engine scores it unchanged in the
//! browser and on the server. For flat records (one CSV row or one JSON object per applicant),
//! every column is a feature: a value that parses as a finite number is numeric, an empty cell
//! (or `NA`, `NaN`, `null`) is missing, anything else is text.
//!
//! ```
//! use merchant_credit::develop::{flat, table::Table};
//! let model = merchant_credit::Model::default_model();
//! let table = Table::parse("refund_rate_90d,store_age_months\n0.01,30\n").unwrap();
//! let rows = flat::score_table(&model, &table);
//! assert_eq!(rows.len(), 1);
//! ```

pub mod flat;
pub mod table;

#[cfg(feature = "develop")]
pub mod binning;
#[cfg(feature = "develop")]
pub mod logistic;
#[cfg(feature = "develop")]
pub mod metrics;
#[cfg(feature = "develop")]
pub mod pmml;
#[cfg(feature = "develop")]
pub mod psi;
#[cfg(feature = "develop")]
pub mod train;
