//! Errors: what went wrong (a [`ErrorKind`] with a stable [`code`](Error::code)) and where (the JSON
//! path or CSV line of the offending field).
//!
//! Every public entry point returns `Result<_, Error>`; none panics on any input. The error's
//! `Display` is `path: message`, e.g. `orders[17].amount: negative amount -3`, and the boundary
//! layers (wasm, CLI, server) expose `code` and `path` as separate fields so programs can react to
//! them without parsing the message.

use std::fmt;

mod json_path;
mod objects_only;

pub use objects_only::ObjectsOnly;

/// What went wrong. Each variant has a stable machine-readable code (see [`Error::code`]) that is
/// catalogued in `docs/errors.md`.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The text is not valid JSON, or a value has the wrong JSON type.
    #[error("malformed JSON: {0}")]
    Json(String),
    /// A field the contract does not know (a typo must not silently drop data).
    #[error("unknown field {0}")]
    UnknownField(String),
    /// A required field is absent.
    #[error("missing required field `{0}`")]
    MissingField(String),
    /// A number is NaN or infinite.
    #[error("not a finite number")]
    NotFinite,
    /// Money or a count is negative.
    #[error("negative amount {0}")]
    NegativeAmount(f64),
    /// A value is outside its allowed range (rating 1-5, a rate above 1, ...).
    #[error("out of range: {0}")]
    OutOfRange(String),
    /// A date or timestamp that cannot be parsed.
    #[error("invalid date {0}")]
    InvalidDate(String),
    /// Dates that contradict each other (delivered before placed, ...).
    #[error("dates out of order: {0}")]
    DateOrder(String),
    /// An event dated after the evaluation date `as_of`.
    #[error("dated after as_of: {0}")]
    FutureDate(String),
    /// Two records share an id that must be unique.
    #[error("duplicate id `{0}`")]
    DuplicateId(String),
    /// A currency code that is not three upper-case ISO 4217 letters, or that differs from the store's.
    #[error("invalid currency: {0}")]
    Currency(String),
    /// No sales history at all: neither orders nor monthly summaries.
    #[error("no sales history: give at least one order or one monthly summary")]
    EmptyHistory,
    /// An input over the documented size limits (see `docs/limits.md`).
    #[error("input too large: {0}")]
    TooLarge(String),
    /// A value not among the allowed ones (an unknown enum variant, a bad identifier...).
    #[error("invalid value: {0}")]
    InvalidValue(String),
    /// The model is inconsistent (overlapping bins, unsorted grades, unknown features...).
    #[error("invalid model: {0}")]
    InvalidModel(String),
    /// A CSV export that cannot be imported.
    #[error("CSV import: {0}")]
    Csv(String),
    /// A PMML document that cannot be converted.
    #[error("PMML: {0}")]
    Pmml(String),
    /// Training data that cannot train a model (single class, empty column...).
    #[error("training data: {0}")]
    Training(String),
    /// Loan-servicing input that contradicts itself (payments before the loan, ...).
    #[error("servicing: {0}")]
    Servicing(String),
}

/// An error with its location. `path` is a JSON path (`orders[3].amount`), a CSV location
/// (`line 17, column amount`), or empty when the error concerns the whole input.
#[derive(Debug, Clone, PartialEq)]
pub struct Error {
    kind: ErrorKind,
    path: String,
}

impl Error {
    /// Creates an error at `path`.
    pub fn new(kind: ErrorKind, path: impl Into<String>) -> Self {
        Error { kind, path: path.into() }
    }

    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    /// Where it went wrong (may be empty).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The message without the path.
    pub fn message(&self) -> String {
        self.kind.to_string()
    }

    /// A stable, machine-readable code for the kind of error (`negative_amount`, `unknown_field`...).
    pub fn code(&self) -> &'static str {
        match self.kind {
            ErrorKind::Json(_) => "malformed_json",
            ErrorKind::UnknownField(_) => "unknown_field",
            ErrorKind::MissingField(_) => "missing_field",
            ErrorKind::NotFinite => "not_finite",
            ErrorKind::NegativeAmount(_) => "negative_amount",
            ErrorKind::OutOfRange(_) => "out_of_range",
            ErrorKind::InvalidDate(_) => "invalid_date",
            ErrorKind::DateOrder(_) => "date_order",
            ErrorKind::FutureDate(_) => "future_date",
            ErrorKind::DuplicateId(_) => "duplicate_id",
            ErrorKind::Currency(_) => "invalid_currency",
            ErrorKind::EmptyHistory => "empty_history",
            ErrorKind::TooLarge(_) => "too_large",
            ErrorKind::InvalidValue(_) => "invalid_value",
            ErrorKind::InvalidModel(_) => "invalid_model",
            ErrorKind::Csv(_) => "csv",
            ErrorKind::Pmml(_) => "pmml",
            ErrorKind::Training(_) => "training",
            ErrorKind::Servicing(_) => "servicing",
        }
    }

    /// Prefixes the path with a parent segment (`orders[3]` + `amount` -> `orders[3].amount`).
    pub fn within(mut self, parent: &str) -> Self {
        self.path = join_path(parent, &self.path);
        self
    }
}

pub(crate) fn join_path(parent: &str, child: &str) -> String {
    match (parent.is_empty(), child.is_empty()) {
        (true, _) => child.to_string(),
        (false, true) => parent.to_string(),
        (false, false) if child.starts_with('[') => format!("{parent}{child}"),
        (false, false) => format!("{parent}.{child}"),
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}", self.kind)
        } else {
            write!(f, "{}: {}", self.path, self.kind)
        }
    }
}

impl std::error::Error for Error {}

/// Result with this crate's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;

/// Deepest nesting of JSON arrays and objects accepted anywhere (StoreData needs 4 levels, a
/// model's nested conditions a few more). Checked before parsing (a store: when its parse fails,
/// see `from_bounded_json_str`), natively and in wasm alike, so a hostile document is refused
/// with a clear error instead of exhausting the stack (the wasm stack is much smaller than a
/// native thread's). See `docs/limits.md`.
pub const MAX_JSON_DEPTH: usize = 64;

/// The error for a document nested deeper than [`MAX_JSON_DEPTH`].
fn too_deep(path: String) -> Error {
    Error::new(ErrorKind::TooLarge(format!("JSON nested deeper than {MAX_JSON_DEPTH} levels")), path)
}

/// Checks the nesting depth of JSON text in one pass over its bytes (strings skipped), from one
/// quote or bracket to the next (`bytes::quote_or_bracket`, eight bytes at a time: byte by byte
/// this check was a third of parsing a store natively).
pub(crate) fn check_json_depth(text: &str) -> Result<()> {
    let t = text.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    loop {
        i = crate::bytes::quote_or_bracket(t, i);
        let Some(&b) = t.get(i) else { return Ok(()) };
        i += 1;
        match b {
            b'"' => loop {
                // inside a string: to its closing quote, stepping over escapes
                i = crate::bytes::quote_or_backslash(t, i);
                match t.get(i) {
                    Some(b'"') => {
                        i += 1;
                        break;
                    }
                    Some(_) => i += 2, // `\` and the byte it escapes
                    None => return Ok(()),
                }
            },
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_JSON_DEPTH {
                    return Err(too_deep(String::new()));
                }
            }
            _ => depth = depth.saturating_sub(1), // `]` or `}`
        }
    }
}

/// Checks the nesting depth of an already parsed value (from JavaScript, or built in code),
/// without recursion.
pub(crate) fn check_value_depth(value: &serde_json::Value) -> Result<()> {
    use serde_json::Value;
    let mut stack: Vec<(&Value, usize)> = vec![(value, 1)];
    while let Some((v, d)) = stack.pop() {
        let children: Box<dyn Iterator<Item = &Value>> = match v {
            Value::Array(a) => Box::new(a.iter()),
            Value::Object(o) => Box::new(o.values()),
            _ => continue,
        };
        if d > MAX_JSON_DEPTH {
            return Err(too_deep(String::new()));
        }
        for c in children {
            if matches!(c, Value::Array(_) | Value::Object(_)) {
                stack.push((c, d + 1));
            }
        }
    }
    Ok(())
}

/// Parses JSON into `T`, turning serde's message into a typed error with the JSON path.
///
/// One deserializer (serde_json over the text) for every contract, natively and in wasm: the
/// path of a failure is worked out afterwards from the error's position ([`json_path`]), so no
/// path-tracking copy of the contracts' serde code is compiled in. Only the value is read, as
/// before: text after it is not looked at.
pub(crate) fn from_json_str<T: serde::de::DeserializeOwned>(text: &str) -> Result<T> {
    check_json_depth(text)?;
    parse_json::<T>(text).map_err(|e| {
        let path = json_path::locate(text, &e, &|t| parse_json::<T>(t).err());
        from_serde_message(&e.to_string(), path)
    })
}

/// [`from_json_str`] for a contract whose own shape bounds its nesting far below
/// [`MAX_JSON_DEPTH`]: every struct in it denies unknown fields and no field holds free-form JSON
/// (`serde_json::Value`), so a document that parses cannot be nested deeper than the contract,
/// and one that does not is checked for depth after the fact. Same results as [`from_json_str`]
/// on every input (tested), without a nesting pre-scan of every accepted document (~a quarter
/// of parsing a small store natively, ~a fifth of a 700 KB one). While parsing, serde_json's own
/// recursion limit (128) and the contract's shape (a bracket where a scalar belongs is refused
/// before it is entered) keep the stack shallow.
pub(crate) fn from_bounded_json_str<T: serde::de::DeserializeOwned>(text: &str) -> Result<T> {
    parse_json::<T>(text).map_err(|e| match check_json_depth(text) {
        Err(deep) => deep,
        Ok(()) => {
            let path = json_path::locate(text, &e, &|t| parse_json::<T>(t).err());
            from_serde_message(&e.to_string(), path)
        }
    })
}

fn parse_json<T: serde::de::DeserializeOwned>(text: &str) -> std::result::Result<T, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_str(text);
    let value = T::deserialize(ObjectsOnly(&mut de))?;
    // one JSON value and nothing but whitespace after it: `{...} junk` or two documents pasted
    // together are an error, not the first document
    de.end()?;
    Ok(value)
}

/// Same as [`from_json_str`] for an already parsed `serde_json::Value`.
pub(crate) fn from_json_value<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> Result<T> {
    check_value_depth(&value)?;
    let out: T = serde_path_to_error::deserialize(ObjectsOnly(value)).map_err(|e| {
        let path = clean_path(&e.path().to_string());
        from_serde_message(&e.inner().to_string(), path)
    })?;
    Ok(out)
}

fn clean_path(p: &str) -> String {
    if p == "." {
        String::new()
    } else {
        p.to_string()
    }
}

/// Classifies a serde message. Our own validating deserializers emit messages prefixed with
/// a marker (`@code:`) so that the kind survives serde's string-only custom errors.
pub(crate) fn from_serde_message(msg: &str, path: String) -> Error {
    // strip serde_json's " at line X column Y" suffix but keep it for malformed JSON
    let core = match msg.rfind(" at line ") {
        Some(i) => &msg[..i],
        None => msg,
    };
    if let Some(rest) = core.strip_prefix("@") {
        if let Some((code, detail)) = rest.split_once(':') {
            let d = detail.trim().to_string();
            let kind = match code {
                "not_finite" => ErrorKind::NotFinite,
                // read back with serde_json's number parser (already in the module) rather than
                // `str::parse`, whose tables would cost the wasm module ~10 KB for this one line
                "negative_amount" => ErrorKind::NegativeAmount(serde_json::from_str(&d).unwrap_or(f64::NAN)),
                "out_of_range" => ErrorKind::OutOfRange(d),
                "invalid_date" => ErrorKind::InvalidDate(d),
                "currency" => ErrorKind::Currency(d),
                "invalid_model" => ErrorKind::InvalidModel(d),
                _ => ErrorKind::InvalidValue(d),
            };
            return Error::new(kind, path);
        }
    }
    if let Some(rest) = core.strip_prefix("unknown field `") {
        let name = rest.split('`').next().unwrap_or_default().to_string();
        let detail = match rest.split_once(", expected ") {
            Some((_, expected)) => format!("`{name}` (expected {expected})"),
            None => format!("`{name}`"),
        };
        // serde_path_to_error already ends the path with the unknown field's name
        let path = if path.ends_with(&name) { path } else { join_path(&path, &name) };
        return Error::new(ErrorKind::UnknownField(detail), path);
    }
    if let Some(rest) = core.strip_prefix("missing field `") {
        let name = rest.split('`').next().unwrap_or_default().to_string();
        return Error::new(ErrorKind::MissingField(name.clone()), join_path(&path, &name));
    }
    if let Some(rest) = core.strip_prefix("unknown variant `") {
        return Error::new(ErrorKind::InvalidValue(format!("unknown value `{rest}")), path);
    }
    Error::new(ErrorKind::Json(msg.to_string()), path)
}

/// Builds a serde custom error carrying a typed code (see [`from_serde_message`]).
pub(crate) fn tagged<E: serde::de::Error>(code: &str, detail: impl fmt::Display) -> E {
    E::custom(format!("@{code}: {detail}"))
}

#[cfg(test)]
mod path_tests {
    //! The JSON path of a parse failure, worked out after the fact (`json_path`), against what
    //! `serde_path_to_error` tracking the parse reports, on many generated bad inputs.
    use super::*;
    use serde::de::DeserializeOwned;
    use serde_json::Value;

    /// The previous implementation: the parse tracked by serde_path_to_error.
    fn tracked<T: DeserializeOwned>(text: &str) -> Result<T> {
        check_json_depth(text)?;
        let de = &mut serde_json::Deserializer::from_str(text);
        let value = serde_path_to_error::deserialize(ObjectsOnly(&mut *de)).map_err(|e| {
            let path = clean_path(&e.path().to_string());
            from_serde_message(&e.inner().to_string(), path)
        })?;
        // text after the document (from_json_str rejects it too)
        de.end().map_err(|e| from_serde_message(&e.to_string(), String::new()))?;
        Ok(value)
    }

    fn same<T: DeserializeOwned>(text: &str) -> usize {
        let new = from_json_str::<T>(text).err();
        if std::any::type_name::<T>() == std::any::type_name::<crate::store::StoreData>() {
            // the store's parse skips the nesting pre-scan: it must not change any result
            let bounded = from_bounded_json_str::<T>(text).err();
            assert_eq!(
                bounded.as_ref().map(|e| (e.code(), e.path().to_string(), e.to_string())),
                new.as_ref().map(|e| (e.code(), e.path().to_string(), e.to_string())),
                "input: {text}"
            );
        }
        let old = tracked::<T>(text).err();
        assert_eq!(
            new.as_ref().map(|e| (e.code(), e.path().to_string(), e.to_string())),
            old.as_ref().map(|e| (e.code(), e.path().to_string(), e.to_string())),
            "input: {text}"
        );
        usize::from(new.is_some())
    }

    struct Lcg(u64);
    impl Lcg {
        fn next(&mut self, n: usize) -> usize {
            self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((self.0 >> 33) as usize) % n.max(1)
        }
    }

    /// Every node of a value, by pointer path.
    fn pointers(v: &Value, at: String, out: &mut Vec<String>) {
        out.push(at.clone());
        match v {
            Value::Object(m) => m.iter().for_each(|(k, c)| pointers(c, format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")), out)),
            Value::Array(a) => a.iter().enumerate().take(3).for_each(|(i, c)| pointers(c, format!("{at}/{i}"), out)),
            _ => {}
        }
    }

    fn variants(doc: &Value, rng: &mut Lcg) -> Vec<Value> {
        let mut ptrs = Vec::new();
        pointers(doc, String::new(), &mut ptrs);
        let repl = [
            Value::from("x"),
            Value::from(-1.5),
            Value::from(-3),
            Value::from(1e300),
            Value::from(0),
            Value::Null,
            Value::from(true),
            serde_json::json!({}),
            serde_json::json!([]),
            serde_json::json!({"zz": 1}),
            serde_json::json!([1, "a"]),
            Value::from("2025-13-45"),
            Value::from("2025-06-30T10:00:00Z"),
        ];
        let mut out = Vec::new();
        for p in &ptrs {
            for r in &repl {
                if rng.next(3) != 0 {
                    continue;
                }
                let mut d = doc.clone();
                if let Some(slot) = d.pointer_mut(p) {
                    *slot = r.clone();
                    out.push(d);
                }
            }
            // delete a member, add an unknown one, empty a container
            let mut d = doc.clone();
            let mut e = doc.clone();
            if let (Some(Value::Object(m)), Some(Value::Object(n))) = (d.pointer_mut(p), e.pointer_mut(p)) {
                if let Some(k) = m.keys().nth(rng.next(m.len())).cloned() {
                    m.remove(&k);
                }
                n.insert("zz_unknown".into(), Value::from(1));
                out.push(d);
                out.push(e);
            }
        }
        out
    }

    fn check<T: DeserializeOwned>(text: &str, seed: u64) {
        let mut rng = Lcg(seed);
        let doc: Value = serde_json::from_str(text).unwrap();
        let mut failures = 0;
        let mut cases = 0;
        for d in variants(&doc, &mut rng) {
            for t in [serde_json::to_string(&d).unwrap(), serde_json::to_string_pretty(&d).unwrap()] {
                failures += same::<T>(&t);
                cases += 1;
            }
        }
        // text-level damage: truncation, a stray or missing character
        let compact = serde_json::to_string(&doc).unwrap();
        for base in [text.to_string(), compact] {
            let chars: Vec<(usize, char)> = base.char_indices().collect();
            for _ in 0..300 {
                let (i, _) = chars[rng.next(chars.len())];
                let mut t = base.clone();
                match rng.next(4) {
                    0 => t.truncate(i),
                    1 => t.insert(i, [',', '}', ']', '"', ':', 'x', '1', '{', '['][rng.next(9)]),
                    2 => {
                        t.remove(i);
                    }
                    _ => t.insert_str(i, " \n "),
                }
                failures += same::<T>(&t);
                cases += 1;
            }
        }
        assert!(failures > cases / 4, "{failures} failures in {cases} cases");
    }

    #[test]
    fn paths_match_path_tracking_on_stores() {
        for (i, f) in ["store.json", "new-seller.json", "monthly-only.json", "overdue-seller.json"].iter().enumerate() {
            let text = std::fs::read_to_string(format!("{}/examples/{f}", env!("CARGO_MANIFEST_DIR"))).unwrap();
            // a few orders are plenty, and keep it fast
            let mut doc: Value = serde_json::from_str(&text).unwrap();
            if let Some(Value::Array(a)) = doc.get_mut("orders") {
                a.truncate(3);
            }
            check::<crate::store::StoreData>(&serde_json::to_string_pretty(&doc).unwrap(), 7 + i as u64);
        }
    }

    #[test]
    fn paths_match_path_tracking_on_models_and_requests() {
        check::<crate::model::Model>(crate::model::DEFAULT_MODEL_JSON, 11);
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/lifecycle");
        let read = |f: &str| std::fs::read_to_string(format!("{dir}/{f}")).unwrap();
        check::<crate::lifecycle::MonitorRequest>(&read("monitor.json"), 12);
        check::<crate::lifecycle::ScheduleRequest>(&read("schedule-holdback.json"), 13);
        check::<crate::lifecycle::ServicingRequest>(&read("servicing.json"), 14);
        check::<crate::whatif::Changes>(r#"{"features": {"a": 1, "b": "x", "c": null}, "store": {"orders": [{"id": "o"}], "owner": null}}"#, 15);
    }

    #[test]
    fn paths_of_hand_picked_inputs() {
        for t in [
            "", " ", "{", "[", "{}", "[]", "{\"as_of\"", "{\"as_of\":", "{\"as_of\" 1}", "{,}", "{\"a\":1,}", "{1:2}", "[1,]", "[1 2]",
            "{\"orders\":[{},]}", "{\"orders\":[{}}", "{\"orders\":[[1]]}", "{\"orders\":[1,[1]]}", "{\"orders\":[{\"amount\":-1}]}",
            "{\"merchant\":{\"id\":\"m\",\"opened_on\":\"2020-01-01\",\"store_type\":\"shop\"}}", "{\"as_of\":\"2025-06-30\"}  x",
            "{\"as_\\u0030f\":1}", "{\"as_of\":\"\\q\"}", "{\"as_of\":tru}", "{\"as_of\":01}", "{\"as_of\":1.}", "{\"as_of\":-}",
        ] {
            same::<crate::store::StoreData>(t);
        }
    }

    /// Values read by hand-written visitors (`Operand`, `FeatureValue`) refuse an object or a list
    /// only after serde_json has consumed its bracket; derived types refuse it before. Both must
    /// name the value itself, and a list's first element its own index.
    #[test]
    fn paths_of_values_refused_inside_their_bracket() {
        use std::collections::BTreeMap;
        type Operands = BTreeMap<String, crate::model::Operand>;
        type FeatureValues = BTreeMap<String, crate::features::FeatureValue>;
        for t in [r#"{"a":{}}"#, r#"{"a": { } }"#, r#"{"a":[1,{}]}"#, r#"{"a":[{"b":1}]}"#, r#"{"a":[[{}]]}"#, r#"{"a":[1,[true,{}]]}"#] {
            assert_eq!(same::<Operands>(t), 1, "{t}");
        }
        for t in [r#"{"a":[]}"#, r#"{"a":[1]}"#, r#"{"a": [ [1] ] }"#, r#"{"a":{}}"#, r#"{"a":{"b":1}}"#, r#"{"x":1,"a":[1,2]}"#] {
            assert_eq!(same::<FeatureValues>(t), 1, "{t}");
        }
        // derived containers: the first element's own wrong type is still that element's
        for t in [r#"{"a":[[1]]}"#, r#"{"a":[{}]}"#, r#"{"a":[[]]}"#] {
            assert_eq!(same::<BTreeMap<String, Vec<f64>>>(t), 1, "{t}");
        }
        let e = from_json_str::<FeatureValues>(r#"{"x":1,"a":[1,2]}"#).unwrap_err();
        assert_eq!(e.path(), "a");
        let e = from_json_str::<Operands>(r#"{"a":[1,[true,{}]]}"#).unwrap_err();
        assert_eq!(e.path(), "a[1][1]");
    }
}

#[cfg(test)]
mod depth_tests {
    use super::{check_json_depth, MAX_JSON_DEPTH};

    /// The byte-by-byte check that `check_json_depth` replaced: its verdict on any text is the
    /// reference (strings skipped, escapes honoured, brackets counted).
    fn bytewise(text: &str) -> bool {
        let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
        for &b in text.as_bytes() {
            if in_string {
                if escaped {
                    escaped = false;
                } else if b == b'\\' {
                    escaped = true;
                } else if b == b'"' {
                    in_string = false;
                }
                continue;
            }
            match b {
                b'"' => in_string = true,
                b'[' | b'{' => {
                    depth += 1;
                    if depth > MAX_JSON_DEPTH {
                        return false;
                    }
                }
                b']' | b'}' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        true
    }

    #[test]
    fn depth_check_agrees_with_the_bytewise_check() {
        let pieces = ["[", "{", "]", "}", "\"", "\\", "\\\"", "\"[\"", "\"{{\\\"\"", "a", ":1,", " ", "é", "\"x\\\\\"", "[[[[", "]]]]", "{\"k\":"];
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        };
        let mut refused = 0;
        for case in 0..20_000 {
            // some cases pile up brackets to cross the limit, some stay shallow
            let bias = case % 3;
            let n = if bias == 0 { 60 + next(150) } else { 1 + next(if case % 2 == 0 { 40 } else { 200 }) };
            let text: String = (0..n)
                .map(|_| if bias == 0 && next(4) != 0 { ["[", "{\"a\":"][next(2)] } else { pieces[next(pieces.len())] })
                .collect();
            let ok = check_json_depth(&text).is_ok();
            assert_eq!(ok, bytewise(&text), "{text:?}");
            refused += usize::from(!ok);
        }
        assert!(refused > 1000, "only {refused} texts were too deep: the generator does not reach the limit");
        // exactly at the limit and one past it, in each bracket kind, with strings holding brackets
        for (open, close) in [("[", "]"), ("{\"a\\\"[\":", "}")] {
            let at = format!("{}1{}", open.repeat(MAX_JSON_DEPTH), close.repeat(MAX_JSON_DEPTH));
            assert!(check_json_depth(&at).is_ok());
            let past = format!("{}1{}", open.repeat(MAX_JSON_DEPTH + 1), close.repeat(MAX_JSON_DEPTH + 1));
            assert!(check_json_depth(&past).is_err());
        }
        // brackets inside strings do not count, escaped quotes do not end them
        let quoted = format!("[\"{}\\\"{}\"]", "[".repeat(200), "{".repeat(200));
        assert!(check_json_depth(&quoted).is_ok());
    }

    /// The store's parse checks nesting only when it fails (`from_bounded_json_str`): a nest
    /// spliced in where a value of a real store starts, after the document, or in a string left
    /// open gets the same error as with the check first: `too_large` past the limit, the
    /// contract's own error (a wrong type) at or under it.
    #[test]
    fn store_parse_without_the_pre_scan_refuses_deep_documents_alike() {
        use crate::store::StoreData;
        let same = |text: &str| {
            let a = super::from_json_str::<StoreData>(text).err().map(|e| (e.code(), e.path().to_string(), e.to_string()));
            let b = super::from_bounded_json_str::<StoreData>(text).err().map(|e| (e.code(), e.path().to_string(), e.to_string()));
            assert_eq!(a, b, "{text}");
            a
        };
        let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/new-seller.json")).unwrap();
        assert_eq!(same(&text), None);
        let mut too_deep = 0;
        // after every `:`, `[` and `,` (the start of a value) put a nest, past the limit or at it
        for (i, _) in text.match_indices([':', '[', ',']).step_by(7) {
            for depth in [MAX_JSON_DEPTH + 1, MAX_JSON_DEPTH, 3] {
                for (open, close) in [("[", "]"), ("{\"k\":", "}")] {
                    let nest = format!("{}1{}", open.repeat(depth), close.repeat(depth));
                    let doc = format!("{}{nest}{}", &text[..=i], &text[i + 1..]);
                    let err = same(&doc);
                    assert!(err.is_some(), "a nest at {i} was accepted");
                    too_deep += usize::from(err.is_some_and(|e| e.0 == "too_large"));
                }
            }
        }
        assert!(too_deep > 50, "only {too_deep} documents were refused as too deep");
        // after the document, and inside a string left open
        for tail in ["[".repeat(MAX_JSON_DEPTH + 1), format!("\"{}", "[".repeat(MAX_JSON_DEPTH + 1))] {
            let doc = format!("{}{tail}", text.trim_end());
            assert_eq!(same(&doc).map(|e| e.0), Some(if tail.starts_with('"') { "malformed_json" } else { "too_large" }), "{tail}");
        }
    }
}
