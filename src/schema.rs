//! JSON Schemas (draft 2020-12) of the three data contracts, embedded so the CLI and the wasm
//! package can hand them out. The test suite validates every example against them.

/// `merchant-credit/store@1`.
pub const STORE: &str = embed_json!("../schemas/store.schema.json");
/// `merchant-credit/model@1`.
pub const MODEL: &str = embed_json!("../schemas/model.schema.json");
/// `merchant-credit/decision@1`.
pub const DECISION: &str = embed_json!("../schemas/decision.schema.json");

/// A JSON file of the repository, embedded as it is natively and without the whitespace between
/// tokens in the wasm build, where the pretty-printing was ~36 KB of the module for nothing (the
/// wasm API hands schemas out as parsed objects, and the model's digest is over its canonical
/// JSON, not its text). Minified at compile time by the const fns below.
macro_rules! embed_json {
    ($path:literal) => {{
        #[cfg(not(target_arch = "wasm32"))]
        const TEXT: &str = include_str!($path);
        #[cfg(target_arch = "wasm32")]
        const TEXT: &str = {
            const SRC: &[u8] = include_bytes!($path);
            const OUT: [u8; $crate::schema::minified_len(SRC)] = $crate::schema::minify(SRC);
            match core::str::from_utf8(&OUT) {
                Ok(s) => s,
                Err(_) => panic!("embedded JSON is not UTF-8"),
            }
        };
        TEXT
    }};
}
pub(crate) use embed_json;

/// One byte of a JSON scan: whether it is kept (not whitespace outside a string) and the new
/// (inside a string, after a backslash) state.
#[allow(dead_code)]
const fn keep_byte(b: u8, in_str: bool, esc: bool) -> (bool, bool, bool) {
    if in_str {
        if esc {
            (true, true, false)
        } else {
            (true, b != b'"', b == b'\\')
        }
    } else if matches!(b, b' ' | b'\n' | b'\r' | b'\t') {
        (false, false, false)
    } else {
        (true, b == b'"', false)
    }
}

/// Length of `json` without whitespace outside strings.
#[allow(dead_code, clippy::indexing_slicing)] // const fn: no iterators; indexes are < len
pub(crate) const fn minified_len(json: &[u8]) -> usize {
    let (mut i, mut n, mut in_str, mut esc) = (0, 0, false, false);
    while i < json.len() {
        let keep;
        (keep, in_str, esc) = keep_byte(json[i], in_str, esc);
        if keep {
            n += 1;
        }
        i += 1;
    }
    n
}

/// `json` without whitespace outside strings (`N` is [`minified_len`]).
#[allow(dead_code, clippy::indexing_slicing)] // const fn: no iterators; indexes are < len
pub(crate) const fn minify<const N: usize>(json: &[u8]) -> [u8; N] {
    let mut out = [0u8; N];
    let (mut i, mut n, mut in_str, mut esc) = (0, 0, false, false);
    while i < json.len() {
        let keep;
        (keep, in_str, esc) = keep_byte(json[i], in_str, esc);
        if keep && n < N {
            out[n] = json[i];
            n += 1;
        }
        i += 1;
    }
    out
}

#[cfg(feature = "schema")]
mod impls {
    //! Hand-written schemas for the types with custom serde formats.
    use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
    use std::borrow::Cow;

    macro_rules! fixed {
        ($t:ty, $name:literal, $schema:tt) => {
            impl JsonSchema for $t {
                fn schema_name() -> Cow<'static, str> {
                    $name.into()
                }
                fn json_schema(_: &mut SchemaGenerator) -> Schema {
                    json_schema!($schema)
                }
            }
        };
    }

    fixed!(crate::date::Date, "Date", {"type": "string", "format": "date",
        "description": "ISO-8601 date, e.g. 2025-06-30 (a date-time is accepted and truncated to its UTC date)"});
    fixed!(crate::date::Timestamp, "Timestamp", {"type": "string",
        "description": "ISO-8601 date-time, e.g. 2025-06-30T10:00:00Z or 2025-06-30T10:00:00+08:00; no offset means UTC; a bare date means midnight UTC"});
    fixed!(crate::date::YearMonth, "YearMonth", {"type": "string", "pattern": "^[0-9]{4}-(0[1-9]|1[0-2])$",
        "description": "a calendar month, e.g. 2025-05"});
    fixed!(crate::store::Money, "Money", {"type": "number", "minimum": 0, "maximum": 1e13,
        "description": "an amount in the major unit of the store's currency (12.5 = 12.50)"});
    fixed!(crate::store::Finite, "Finite", {"type": "number", "description": "a finite number"});
    fixed!(crate::features::FeatureValue, "FeatureValue", {"type": ["number", "string", "null"],
        "description": "a feature value: a number, a category, or null when missing"});

    impl JsonSchema for crate::model::Condition {
        fn schema_name() -> Cow<'static, str> {
            "Condition".into()
        }
        fn json_schema(g: &mut SchemaGenerator) -> Schema {
            let me = g.subschema_for::<crate::model::Condition>();
            let op = g.subschema_for::<crate::model::Op>();
            let operand = g.subschema_for::<crate::model::Operand>();
            json_schema!({
                "description": "exactly one of {all: [...]}, {any: [...]}, {not: {...}}, {always: true} or {feature, op, value}",
                "oneOf": [
                    {"type": "object", "properties": {"all": {"type": "array", "items": me}}, "required": ["all"], "additionalProperties": false},
                    {"type": "object", "properties": {"any": {"type": "array", "items": me}}, "required": ["any"], "additionalProperties": false},
                    {"type": "object", "properties": {"not": me}, "required": ["not"], "additionalProperties": false},
                    {"type": "object", "properties": {"always": {"type": "boolean"}}, "required": ["always"], "additionalProperties": false},
                    {"type": "object", "properties": {"feature": {"type": "string"}, "op": op, "value": operand},
                     "required": ["feature", "op"], "additionalProperties": false}
                ]
            })
        }
    }
}

/// Generates the three schemas from the Rust types (feature `schema`).
#[cfg(feature = "schema")]
pub fn generate() -> [(&'static str, String); 3] {
    fn one<T: schemars::JsonSchema>(id: &str) -> String {
        let mut s = schemars::schema_for!(T);
        s.insert("$id".into(), serde_json::Value::String(id.into()));
        let mut text = serde_json::to_string_pretty(&s).unwrap_or_default();
        text.push('\n');
        text
    }
    [
        ("store", one::<crate::store::StoreData>("merchant-credit/store@1")),
        ("model", one::<crate::model::Model>("merchant-credit/model@1")),
        ("decision", one::<crate::decision::Decision>("merchant-credit/decision@1")),
    ]
}

#[cfg(test)]
mod minify_tests {
    /// The const fn minifier keeps the same JSON (run here at run time on the native texts).
    #[test]
    fn minified_json_is_the_same_json() {
        for text in [super::STORE, super::MODEL, super::DECISION, crate::model::DEFAULT_MODEL_JSON] {
            let n = super::minified_len(text.as_bytes());
            let full = super::minify::<65536>(text.as_bytes());
            let min = full.get(..n).unwrap();
            assert!(n < text.len() && !min.contains(&b'\n'));
            let a: serde_json::Value = serde_json::from_slice(min).unwrap();
            let b: serde_json::Value = serde_json::from_str(text).unwrap();
            assert_eq!(a, b);
        }
    }
}
