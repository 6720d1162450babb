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

/// RFC 8785 canonical JSON of any serializable value: object keys sorted, no whitespace, numbers
/// in ECMAScript form (`1` not `1.0`, `1e21`, `5e-7`), strings escaped minimally.
///
/// The value goes through `serde_json::Value`, whose objects are sorted maps, and is written by
/// serde_json with a formatter that prints floats the way ECMAScript does (`ryu-js`). Keys are
/// sorted by UTF-8 bytes, which equals RFC 8785's UTF-16 order for every key this crate writes
/// (ASCII names). Values that cannot be represented (non-finite floats) serialize as `null`.
pub fn canonical_json<T: Serialize>(value: &T) -> Vec<u8> {
    let Ok(v) = serde_json::to_value(value) else {
        return Vec::new();
    };
    let mut out = Vec::with_capacity(256);
    let mut ser = serde_json::Serializer::with_formatter(&mut out, JcsFormatter);
    if v.serialize(&mut ser).is_err() {
        return Vec::new();
    }
    out
}

/// serde_json's compact output with ECMAScript number formatting.
struct JcsFormatter;

impl serde_json::ser::Formatter for JcsFormatter {
    fn write_f64<W: ?Sized + std::io::Write>(&mut self, w: &mut W, value: f64) -> std::io::Result<()> {
        if value.is_finite() {
            let mut buf = ryu_js::Buffer::new();
            w.write_all(buf.format_finite(value).as_bytes())
        } else {
            w.write_all(b"null")
        }
    }
    fn write_f32<W: ?Sized + std::io::Write>(&mut self, w: &mut W, value: f32) -> std::io::Result<()> {
        self.write_f64(w, f64::from(value))
    }
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
