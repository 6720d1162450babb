//! Canonical JSON (RFC 8785) and SHA-256 digests: the receipt that lets a server prove it judged
//! the same data with the same model and reached the same decision.
//!
//! ```
//! use merchant_credit::receipt::{canonical_json, sha256_hex};
//! let a: serde_json::Value = serde_json::from_str(r#"{"b": 1.50, "a": [true, null]}"#).unwrap();
//! assert_eq!(canonical_json(&a), br#"{"a":[true,null],"b":1.5}"#.to_vec());
//! assert_eq!(sha256_hex(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
//! ```

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The engine's name and version, as it appears in receipts.
pub const ENGINE: &str = concat!("merchant-credit ", env!("CARGO_PKG_VERSION"));

/// The digests of one evaluation.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Receipt {
    /// Engine name and version.
    pub engine: String,
    /// SHA-256 of the canonical StoreData.
    pub input_sha256: String,
    /// SHA-256 of the canonical model.
    pub model_sha256: String,
    /// SHA-256 of the canonical decision, without its receipt.
    pub decision_sha256: String,
}

/// RFC 8785 canonical JSON of any serializable value (sorted keys, ECMAScript number format,
/// no whitespace). Values that cannot be represented (non-finite floats) serialize as `null`.
pub fn canonical_json<T: Serialize>(value: &T) -> Vec<u8> {
    // Serialization of our own types cannot fail: they hold no maps with non-string keys and
    // no non-finite numbers (validated on input). Fall back to an empty document rather than panic.
    serde_json_canonicalizer::to_vec(value).unwrap_or_default()
}

/// Lower-case hex SHA-256.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let d = Sha256::digest(bytes);
    let mut s = String::with_capacity(64);
    for b in d {
        s.push(char::from_digit(u32::from(b >> 4), 16).unwrap_or('0'));
        s.push(char::from_digit(u32::from(b & 15), 16).unwrap_or('0'));
    }
    s
}
