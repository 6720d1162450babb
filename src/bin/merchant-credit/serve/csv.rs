//! CSV exports on the server: `POST /v1/evaluate?preset=...` with the export as the body, and
//! `/v1/verify` with `csv` + `import`. The options are the importer's own [`ImportOptions`]
//! (the same ones the CLI flags and the wasm package take), so one export imports to the same
//! StoreData, and the same `input_sha256`, everywhere.

use super::error::ApiError;
use axum::http::StatusCode;
use merchant_credit::error::ObjectsOnly;
use merchant_credit::store::import::{import_csv, Import, ImportOptions};

/// Query parameters `/v1/evaluate` accepts for a CSV body (the [`ImportOptions`] given as text).
pub const QUERY_OPTIONS: [&str; 9] = ["preset", "currency", "merchant_id", "as_of", "opened_on", "encoding", "delimiter", "store_type", "platform"];

/// Builds import options from query parameters; `preset=auto` detects the layout from the header.
pub fn options_from_query(params: &[(String, String)]) -> Result<ImportOptions, ApiError> {
    let mut obj = serde_json::Map::new();
    for (k, v) in params {
        if k == "preset" && v.eq_ignore_ascii_case("auto") {
            continue;
        }
        obj.insert(k.clone(), serde_json::Value::String(v.clone()));
    }
    options_from_value(serde_json::Value::Object(obj), "?")
}

/// Parses import options from JSON; an error's path is `prefix` + the option's name.
pub fn options_from_value(v: serde_json::Value, prefix: &str) -> Result<ImportOptions, ApiError> {
    serde_path_to_error::deserialize::<_, ImportOptions>(ObjectsOnly(v)).map_err(|e| {
        let field = e.path().to_string();
        let path = if field == "." { prefix.trim_end_matches(['.', '?']).to_string() } else { format!("{prefix}{field}") };
        let msg = e.into_inner().to_string();
        // The library's validating deserializers tag their messages `@code: detail`.
        let (code, msg) = match msg.strip_prefix('@').and_then(|m| m.split_once(':')) {
            Some(("invalid_date", d)) => ("invalid_date", format!("invalid date {}", d.trim())),
            Some(("currency", d)) => ("invalid_currency", format!("invalid currency: {}", d.trim())),
            Some((_, d)) => ("invalid_value", format!("invalid value: {}", d.trim())),
            None => ("invalid_value", msg),
        };
        ApiError::new(StatusCode::BAD_REQUEST, code, msg).at(path)
    })
}

/// Imports one store from CSV bytes (any encoding the importer reads: UTF-8, UTF-16, GBK...).
pub fn import(bytes: &[u8], opts: &ImportOptions) -> Result<Import, ApiError> {
    import_csv(bytes, opts, &mut |_, _| {}).map_err(|e| ApiError::input(&e))
}
