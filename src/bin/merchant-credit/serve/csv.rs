//! CSV exports on the server (`POST /v1/evaluate?preset=...`, `/v1/verify` with `csv` + `preset`).

use super::error::ApiError;
use axum::http::StatusCode;
use merchant_credit::StoreData;

/// Imports a seller-center CSV export with a named preset.
///
/// The importer (`merchant_credit::store::import`) is not in this build yet: until it is, a CSV
/// body gets a clear 415 rather than a guess.
pub fn import(_bytes: &[u8], _preset: &str) -> Result<StoreData, ApiError> {
    Err(ApiError::new(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "csv_unsupported",
        "CSV import is not available in this build yet; send StoreData JSON (application/json)",
    ))
}
