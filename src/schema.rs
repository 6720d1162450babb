//! JSON Schemas (draft 2020-12) of the three data contracts, embedded so the CLI and the wasm
//! package can hand them out. The test suite validates every example against them.

/// `merchant-credit/store@1`.
pub const STORE: &str = include_str!("../schemas/store.schema.json");
/// `merchant-credit/model@1`.
pub const MODEL: &str = include_str!("../schemas/model.schema.json");
/// `merchant-credit/decision@1`.
pub const DECISION: &str = include_str!("../schemas/decision.schema.json");
