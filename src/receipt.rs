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
/// The value is written once by serde_json in compact form with a formatter that prints floats
/// the way ECMAScript does (`NumberBuf`), which is already canonical except for the order of object
/// members; `sort_members` then rewrites that text with every object's members sorted by key.
/// (An earlier version built a `serde_json::Value` tree, whose maps sort their keys, and wrote
/// that: the same bytes, but a heap string per key, a B-tree per object and a second, `Value`,
/// serializer compiled in for every type; `tests/canonical.rs` compares the two.) Keys are sorted
/// by their UTF-8 bytes, which equals RFC 8785's UTF-16 order for every key this crate writes
/// (ASCII names); when a key repeats, the last one wins, as in a map. Values that cannot be
/// represented (non-finite floats) serialize as `null`.
pub fn canonical_json<T: Serialize + ?Sized>(value: &T) -> Vec<u8> {
    let mut compact = Vec::with_capacity(256);
    let mut ser = serde_json::Serializer::with_formatter(crate::bytes::Sink(&mut compact), JsonFormatter { ecmascript: true });
    if value.serialize(&mut ser).is_err() {
        return Vec::new();
    }
    let mut out = Vec::with_capacity(compact.len());
    sort_members(&compact, &mut out, false);
    out
}

/// The canonical JSON of a value from the compact JSON text [`to_json`] wrote for it: the same
/// bytes as [`canonical_json`] of the value, without serializing it a second time. Object members
/// are sorted as `canonical_json` sorts them and numbers rewritten from serde_json's form to
/// ECMAScript's (`51100.0` -> `51100`, `1e16` -> `10000000000000000`, `1e21` -> `1e+21`; both
/// writers print the same shortest round-trip digits, so only the layout changes).
///
/// The text must be as [`to_json`] (or `serde_json::to_string`) writes it: compact, with numbers
/// in shortest round-trip form. [`crate::Engine::evaluate_to_json`] uses it to sign a decision
/// from its output text: a decision is then serialized once, not twice.
///
/// ```
/// use merchant_credit::receipt::{canonical_from_json, canonical_json, to_json};
/// let v = serde_json::json!({"b": 51100.0, "a": [1e21, -0.0, 1.5e-7], "c": {"z": 1, "y": 0.25}});
/// let text = to_json(&v).unwrap();
/// assert_eq!(canonical_from_json(text.as_bytes()), canonical_json(&v));
/// assert_eq!(canonical_from_json(text.as_bytes()), br#"{"a":[1e+21,0,1.5e-7],"b":51100,"c":{"y":0.25,"z":1}}"#);
/// ```
pub fn canonical_from_json(json: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(json.len());
    sort_members(json, &mut out, true);
    out
}

/// Appends the ECMAScript text of a number token as serde_json writes it (an integer, plain
/// notation with a `.0` on integral values, or `d[.ddd]e±x`). In plain notation serde_json and
/// ECMAScript lay the same digits out the same way (serde_json uses it for exponents -5..=15,
/// ECMAScript for -6..=20) except for the `.0`; an exponent form is laid out again from its digits.
fn put_ecmascript_number(token: &[u8], out: &mut Vec<u8>) {
    if token.contains(&b'e') {
        let d = Digits::parse(token);
        if d.k == 0 {
            out.push(b'0');
        } else {
            let mut buf = NumberBuf::new();
            crate::bytes::extend(out, buf.ecmascript(token.first() == Some(&b'-'), &d));
        }
    } else {
        let t = token.strip_suffix(b".0").unwrap_or(token);
        crate::bytes::extend(out, if t == b"-0" { b"0" } else { t });
    }
}

/// Rewrites compact JSON text (as serde_json writes it: no whitespace) with the members of every
/// object sorted by key, appending to `out`. Arrays keep their order; scalars are copied as they
/// are. Members with equal keys keep only the last, as a map would.
///
/// One pass: an object's nested values (objects, arrays) are written (canonically) to `out` as
/// they come and its scalars are only located, then the object is assembled in key order from the
/// text and a copy of that stretch of `out`: each byte is scanned once, a scalar copied once, a
/// nested value once per object that encloses it.
///
/// With `json_numbers`, numbers in the text are as [`to_json`] writes them (`51100.0`, `1e-7`) and
/// are rewritten as ECMAScript writes them (`put_ecmascript_number`), which makes canonical JSON of
/// the output text ([`canonical_from_json`]).
fn sort_members(text: &[u8], out: &mut Vec<u8>, json_numbers: bool) {
    /// One member of the object being written: its key (between the quotes) in the text, and its
    /// value: an object or array already written (sorted) to `out`, or else a scalar or string,
    /// left in the text (copied once, when the object is assembled).
    struct Member {
        key: std::ops::Range<usize>,
        /// The key's first eight bytes, big-endian, zero-padded: most keys differ there, so most
        /// comparisons are one integer compare (`key_order`). (A key's unescaped bytes are never
        /// 0, so a shorter key that is a prefix of a longer one still sorts first.)
        prefix: u64,
        escaped: bool,
        nested: bool,
        value: std::ops::Range<usize>,
    }
    struct Writer<'t> {
        t: &'t [u8],
        pos: usize,
        members: Vec<Member>,
        scratch: Vec<u8>,
        json_numbers: bool,
    }
    impl Writer<'_> {
        fn peek(&self) -> u8 {
            self.t.get(self.pos).copied().unwrap_or(0) // 0: the end (never in serde_json's output)
        }
        /// Moves past the string token at `pos`; whether it holds an escape.
        fn string(&mut self) -> bool {
            let mut escaped = false;
            self.pos += 1;
            loop {
                self.pos = crate::bytes::quote_or_backslash(self.t, self.pos);
                match self.t.get(self.pos) {
                    Some(b'"') => {
                        self.pos += 1;
                        return escaped;
                    }
                    Some(_) => {
                        escaped = true;
                        self.pos += 2;
                    }
                    None => return escaped,
                }
            }
        }
        fn value(&mut self, out: &mut Vec<u8>) {
            match self.peek() {
                b'{' => self.object(out),
                b'[' => {
                    out.push(b'[');
                    self.pos += 1;
                    while !matches!(self.peek(), b']' | 0) {
                        self.value(out);
                        if self.peek() == b',' {
                            out.push(b',');
                            self.pos += 1;
                        }
                    }
                    self.pos += 1;
                    out.push(b']');
                }
                b'"' => {
                    let start = self.pos;
                    self.string();
                    crate::bytes::extend(out, clamp(self.t, start..self.pos));
                }
                _ => {
                    let start = self.pos;
                    self.scalar();
                    put_scalar(self.json_numbers, clamp(self.t, start..self.pos), out);
                }
            }
        }
        /// Moves past the number, `true`, `false` or `null` at `pos`.
        fn scalar(&mut self) {
            self.pos = crate::bytes::scalar_end(self.t, self.pos);
        }
        fn object(&mut self, out: &mut Vec<u8>) {
            let first = self.members.len();
            let base = out.len();
            self.pos += 1;
            while !matches!(self.peek(), b'}' | 0) {
                let k0 = self.pos + 1;
                let escaped = self.string();
                let key = k0..self.pos.saturating_sub(1).max(k0);
                let prefix = key_prefix(self.t, key.clone());
                self.pos += 1; // ':'
                let member = match self.peek() {
                    b'{' | b'[' => {
                        let v0 = out.len();
                        self.value(out);
                        Member { key, prefix, escaped, nested: true, value: v0..out.len() }
                    }
                    first => {
                        let v0 = self.pos;
                        if first == b'"' {
                            self.string();
                        } else {
                            self.scalar();
                        }
                        Member { key, prefix, escaped, nested: false, value: v0..self.pos }
                    }
                };
                self.members.push(member);
                if self.peek() == b',' {
                    self.pos += 1;
                }
            }
            self.pos += 1;
            let t = self.t;
            let members = self.members.get_mut(first..).unwrap_or_default();
            if members.len() <= 32 {
                // a struct's handful of fields: insertion sort (stable, no allocation), O(n) when
                // already sorted (maps)
                for i in 1..members.len() {
                    let mut j = i;
                    while j > 0 && members.get(j - 1).zip(members.get(j)).is_some_and(|(a, b)| key_order(t, a, b).is_gt()) {
                        members.swap(j - 1, j);
                        j -= 1;
                    }
                }
            } else {
                crate::sort::sort_by(members, |a, b| key_order(t, a, b));
            }
            self.scratch.clear();
            self.scratch.extend_from_slice(out.get(base..).unwrap_or_default());
            out.truncate(base);
            out.push(b'{');
            let mut sorted = members.iter().peekable();
            while let Some(m) = sorted.next() {
                if sorted.peek().is_some_and(|next| key_order(t, m, next).is_eq()) {
                    continue; // a later member has the same key
                }
                if out.len() > base + 1 {
                    out.push(b',');
                }
                out.push(b'"');
                crate::bytes::extend(out, clamp(t, m.key.clone()));
                out.extend_from_slice(b"\":");
                if m.nested {
                    out.extend_from_slice(clamp(&self.scratch, m.value.start - base..m.value.end - base));
                } else {
                    put_scalar(self.json_numbers, clamp(t, m.value.clone()), out);
                }
            }
            out.push(b'}');
            self.members.truncate(first);
        }
    }
    /// Appends a string, number, `true`, `false` or `null` token (with `json_numbers`, a number in
    /// ECMAScript form).
    fn put_scalar(json_numbers: bool, token: &[u8], out: &mut Vec<u8>) {
        if json_numbers && matches!(token.first(), Some(b'-' | b'0'..=b'9')) {
            put_ecmascript_number(token, out);
        } else {
            crate::bytes::extend(out, token);
        }
    }
    /// `t[r]`, cut to the text (only a truncated input would reach past its end).
    fn clamp(t: &[u8], r: std::ops::Range<usize>) -> &[u8] {
        t.get(r.start.min(t.len())..r.end.min(t.len())).unwrap_or_default()
    }
    /// The first eight bytes of the key at `t[key]`, big-endian, zero-padded: one word load and a
    /// mask where eight bytes of text follow the key's start (always but at the very end: a key
    /// is followed by `":` and its value), not a copy of a variable length (a `memcpy`, which in
    /// wasm is a call out of the module).
    fn key_prefix(t: &[u8], key: std::ops::Range<usize>) -> u64 {
        let n = key.len().min(8);
        let keep = if n == 0 { 0 } else { u64::MAX << (8 * (8 - n)) };
        if let Some(w) = t.get(key.start..key.start.wrapping_add(8)).and_then(|w| <[u8; 8]>::try_from(w).ok()) {
            return u64::from_be_bytes(w) & keep;
        }
        let mut b = [0u8; 8];
        for (d, &s) in b.iter_mut().zip(clamp(t, key)) {
            *d = s;
        }
        u64::from_be_bytes(b)
    }
    /// Orders two members by the bytes of the strings their keys denote.
    fn key_order(t: &[u8], a: &Member, b: &Member) -> std::cmp::Ordering {
        if !a.escaped && !b.escaped {
            return a.prefix.cmp(&b.prefix).then_with(|| clamp(t, a.key.clone()).cmp(clamp(t, b.key.clone())));
        }
        let (ka, kb) = (clamp(t, a.key.clone()), clamp(t, b.key.clone()));
        // (from_str, not from_slice: the module then has one serde_json reader, not two)
        let text = |k: &[u8]| {
            let quoted = [b"\"", k, b"\""].concat();
            std::str::from_utf8(&quoted).ok().and_then(|q| serde_json::from_str::<String>(q).ok()).unwrap_or_default()
        };
        text(ka).cmp(&text(kb))
    }

    let mut w = Writer { t: text, pos: 0, members: Vec::new(), scratch: Vec::new(), json_numbers };
    w.value(out);
    // anything after the first value would be a serializer bug; copy it rather than lose it
    out.extend_from_slice(clamp(text, w.pos..text.len()));
}

/// serde_json's compact output; numbers as serde_json writes them ([`to_json`]) or, for canonical
/// JSON, as ECMAScript does ([`canonical_json`]).
///
/// One formatter type for both, chosen at run time rather than by type, so that every contract's
/// `Serialize` code is compiled once, for one serializer type (`serde_json::Serializer<&mut
/// Vec<u8>, JsonFormatter>`), instead of once per formatter: the Decision is written both ways on
/// every evaluation, and in the wasm module the second copy was ~8 KB gzipped.
struct JsonFormatter {
    ecmascript: bool,
}

impl serde_json::ser::Formatter for JsonFormatter {
    fn write_f64<W: ?Sized + std::io::Write>(&mut self, w: &mut W, value: f64) -> std::io::Result<()> {
        if self.ecmascript {
            let mut buf = NumberBuf::new();
            w.write_all(buf.format(value))
        } else {
            let mut buf = NumberBuf::new();
            w.write_all(buf.format_json(value))
        }
    }
    fn write_f32<W: ?Sized + std::io::Write>(&mut self, w: &mut W, value: f32) -> std::io::Result<()> {
        if self.ecmascript {
            self.write_f64(w, f64::from(value))
        } else {
            serde_json::ser::CompactFormatter.write_f32(w, value)
        }
    }
}

/// `value` as compact JSON text: the same bytes as `serde_json::to_string` (floats as serde_json
/// writes them, `51100.0`), through the serializer that [`canonical_json`] uses too (one
/// formatter type for both, so every contract's serializer is compiled once). Every JSON output of the engine (decisions, reports, stores) is written by
/// this function.
///
/// ```
/// let v = serde_json::json!({"b": 51100.0, "a": [true, null]});
/// assert_eq!(merchant_credit::receipt::to_json(&v).unwrap(), serde_json::to_string(&v).unwrap());
/// ```
pub fn to_json<T: Serialize + ?Sized>(value: &T) -> serde_json::Result<String> {
    let mut out = Vec::with_capacity(256);
    value.serialize(&mut serde_json::Serializer::with_formatter(crate::bytes::Sink(&mut out), JsonFormatter { ecmascript: false }))?;
    debug_assert!(std::str::from_utf8(&out).is_ok());
    // SAFETY: serde_json's serializer writes only UTF-8: string contents and keys come from
    // `&str` (escapes split them at ASCII bytes only), everything else it and `JsonFormatter`
    // write is ASCII; `serde_json::to_string` relies on the same with `from_utf8_unchecked`.
    // (Checking it was ~1% of an evaluation in wasm, whose UTF-8 check reads 4 bytes at a time.)
    Ok(unsafe { String::from_utf8_unchecked(out) })
}

/// A double written as RFC 8785 writes numbers (ECMAScript's `Number.prototype.toString`), or
/// `null` when it is not finite.
///
/// Values with at most two decimals (amounts, counts: most numbers of a store and a decision) are
/// written from an integer, which is exact and several times cheaper than shortest-float printing
/// (in WebAssembly above all, where ryu's 128-bit multiplications are emulated); every other value
/// goes to `ryu-js`. Why the integer path gives the same text: when `n = round(x * 100)` has
/// `n / 100.0 == x` (IEEE division rounds correctly, so `x` is the double nearest to the decimal
/// n/100) and |n| < 10^15, that decimal has at most 15 significant digits; two distinct decimals of
/// at most 15 digits are never the same double, so no decimal with fewer (or as many) digits
/// reaches `x`, and the shortest round-trip digits are those of n/100 without trailing zeros. With
/// 0.01 <= |x| < 10^13 ECMAScript prints them in plain decimal notation.
///
/// Every other value: its shortest round-trip digits from `zmij` (the formatter serde_json writes
/// floats with, so already in the module), laid out the way ECMAScript's `Number::toString` lays
/// them out ([`NumberBuf::ecmascript`]). This used to be `ryu-js`; the digits are the same (both
/// are the shortest that round-trip, the nearest to the exact value among them) and one float
/// printer with its power tables is ~11 KB less in the gzipped wasm module. Tested against ryu-js
/// (a dev-dependency) on every n/100 for |n| <= 2,000,000, on edge values and on millions of
/// random doubles.
pub(crate) struct NumberBuf {
    bytes: [u8; 32],
    zmij: zmij::Buffer,
}

impl NumberBuf {
    pub(crate) fn new() -> NumberBuf {
        NumberBuf { bytes: [0; 32], zmij: zmij::Buffer::new() }
    }

    /// The canonical (ECMAScript) text of `x` (borrowed from the buffer); `null` when `x` is not
    /// finite.
    pub(crate) fn format(&mut self, x: f64) -> &[u8] {
        if x != 0.0 {
            let n = (x * 100.0).round_ties_even();
            if n.abs() < 1e15 && n / 100.0 == x {
                // |n| < 10^15 fits an i64 exactly
                return self.cents(n as i64);
            }
        }
        if x == 0.0 {
            b"0" // -0 too, as in ECMAScript
        } else if x.is_finite() {
            let d = Digits::exact(x.abs()).unwrap_or_else(|| Digits::parse(self.zmij.format_finite(x).as_bytes()));
            self.ecmascript(x < 0.0, &d)
        } else {
            b"null"
        }
    }

    /// The text serde_json writes for a finite `x` (`51100.0`, `0.0123`, `1e-7`): zmij's, except
    /// that a value with at most six decimals and fifteen significant digits (amounts, rates and
    /// features rounded to six places: most numbers of a decision) is laid out from its integer
    /// digits, the same text without the shortest-digit search, whose 128-bit multiplications
    /// WebAssembly emulates. Tested against `serde_json::to_string`.
    pub(crate) fn format_json(&mut self, x: f64) -> &[u8] {
        if x != 0.0 && x.is_finite() {
            if let Some(d) = Digits::exact(x.abs()) {
                return self.serde_json(x < 0.0, &d);
            }
        }
        if x.is_finite() {
            self.zmij.format_finite(x).as_bytes()
        } else {
            b"null" // serde_json writes non-finite values as null without asking the formatter
        }
    }

    /// `d` as ECMAScript's `Number::toString` lays out digits `d1..dk` with `x = 0.d1..dk * 10^n`
    /// (ECMA-262 6.1.6.1.20): `k <= n <= 21`: the digits and `n - k` zeros; `0 < n <= 21`: a
    /// point after `n` digits; `-6 < n <= 0`: `0.`, `-n` zeros and the digits; otherwise
    /// `d1[.d2..dk]e±(n-1)`.
    fn ecmascript(&mut self, negative: bool, d: &Digits) -> &[u8] {
        let (digits, n) = (d.digits(), d.n);
        let k = digits.len() as i32;
        let mut out = Out { bytes: &mut self.bytes, len: 0 };
        if negative {
            out.push(b'-');
        }
        if k <= n && n <= 21 {
            out.extend(digits);
            out.zeros(n - k);
        } else if 0 < n && n <= 21 {
            out.extend(digits.get(..n as usize).unwrap_or_default());
            out.push(b'.');
            out.extend(digits.get(n as usize..).unwrap_or_default());
        } else if -6 < n && n <= 0 {
            out.extend(b"0.");
            out.zeros(-n);
            out.extend(digits);
        } else {
            out.exponential(digits, n - 1);
        }
        let len = out.len;
        self.bytes.get(..len).unwrap_or_default()
    }

    /// `d` laid out as zmij (serde_json) does for doubles: with `e = n - 1` the exponent of the
    /// first digit, plain notation for `-5 <= e <= 15` (an integer gets `.0`), otherwise
    /// `d1[.d2..dk]e±e`.
    fn serde_json(&mut self, negative: bool, d: &Digits) -> &[u8] {
        let (digits, e) = (d.digits(), d.n - 1);
        let k = digits.len() as i32;
        let mut out = Out { bytes: &mut self.bytes, len: 0 };
        if negative {
            out.push(b'-');
        }
        if (-5..=15).contains(&e) {
            if k - 1 <= e {
                out.extend(digits);
                out.zeros(e + 1 - k);
                out.extend(b".0");
            } else if e >= 0 {
                out.extend(digits.get(..=e as usize).unwrap_or_default());
                out.push(b'.');
                out.extend(digits.get(e as usize + 1..).unwrap_or_default());
            } else {
                out.extend(b"0.");
                out.zeros(-e - 1);
                out.extend(digits);
            }
        } else {
            out.exponential(digits, e);
        }
        let len = out.len;
        self.bytes.get(..len).unwrap_or_default()
    }

    /// `n / 100` in plain decimal notation, without trailing zeros: written backwards from the end
    /// of the buffer (at most 1 sign + 13 digits + '.' + 2 digits).
    fn cents(&mut self, n: i64) -> &[u8] {
        let m = n.unsigned_abs();
        let (int, frac) = (m / 100, (m % 100) as u32);
        let mut at = self.bytes.len();
        if frac != 0 {
            let tail = [b'.', b'0' + (frac / 10) as u8, b'0' + (frac % 10) as u8];
            let tail = if frac % 10 == 0 { tail.get(..2).unwrap_or_default() } else { &tail[..] };
            at -= tail.len();
            if let Some(slots) = self.bytes.get_mut(at..at + tail.len()) {
                slots.copy_from_slice(tail);
            }
        }
        at = put_decimal(&mut self.bytes, at, int);
        if n < 0 {
            at -= 1;
            if let Some(slot) = self.bytes.get_mut(at) {
                *slot = b'-';
            }
        }
        self.bytes.get(at..).unwrap_or_default()
    }
}

/// Writes the decimal digits of `m` (below 10^16) so that they end at `buf[end]`, and returns
/// where they start.
///
/// Two 64-bit divisions split `m` into halves of at most eight digits whose digits come from
/// 32-bit arithmetic: WebAssembly has no 64-bit multiply-high, so each 64-bit division by ten is a
/// real division there (digit by digit, that was a sixth of writing a decision's JSON in wasm:
/// `node --cpu-prof`), while a 32-bit division by a constant compiles to a multiplication.
pub(crate) fn put_decimal(buf: &mut [u8], end: usize, m: u64) -> usize {
    let mut at = end;
    let mut put = |v: u32| {
        at = at.saturating_sub(1);
        if let Some(slot) = buf.get_mut(at) {
            *slot = b'0' + (v % 10) as u8;
        }
    };
    let (hi, mut lo) = ((m / 100_000_000) as u32, (m % 100_000_000) as u32);
    if hi != 0 {
        // the low half's eight digits, leading zeros included, then the high half's
        for _ in 0..8 {
            put(lo);
            lo /= 10;
        }
        lo = hi;
    }
    loop {
        put(lo);
        lo /= 10;
        if lo == 0 {
            break;
        }
    }
    at
}

/// The shortest round-trip digits of a positive double: `x = 0.d1..dk * 10^n`, no trailing zero.
struct Digits {
    d: [u8; 20],
    k: usize,
    n: i32,
}

impl Digits {
    fn digits(&self) -> &[u8] {
        self.d.get(..self.k).unwrap_or_default()
    }

    /// The digits of `a` (> 0) when it is the double nearest to a decimal with at most six
    /// decimals and fifteen significant digits, without a shortest-digit search: with
    /// `m = round(a * 10^s)` (ties to even: one instruction, in wasm too; any integer would do, as
    /// the check decides), `m / 10^s == a` (IEEE division rounds correctly) proves that `a` is
    /// the double nearest to the decimal m/10^s; two distinct decimals of at most 15 significant
    /// digits are never the same double, so no other decimal with as few digits reaches `a`, and
    /// the shortest round-trip digits are those of `m` without trailing zeros.
    fn exact(a: f64) -> Option<Digits> {
        for (scale, places) in [(100.0, 2), (1e6, 6)] {
            let m = (a * scale).round_ties_even();
            if (1.0..1e15).contains(&m) && m / scale == a {
                // m < 10^15 fits a u64 exactly
                return Some(Digits::integer(m as u64, places));
            }
        }
        None
    }

    /// The digits of `m / 10^places`.
    fn integer(m: u64, places: i32) -> Digits {
        let mut d = Digits { d: [0; 20], k: 0, n: 0 };
        // written in place, ending after its last digit (no move to the front afterwards: a
        // `memmove`, which wasm makes a call out of the module)
        d.k = m.checked_ilog10().map_or(1, |l| l as usize + 1);
        put_decimal(&mut d.d, d.k, m);
        d.n = d.k as i32 - places;
        d.trim();
        d
    }

    /// The digits of zmij's text for a finite, non-zero double: `[-]digits[.digits][e[+-]digits]`
    /// in its own notation; only the digits and the exponent are taken from it.
    fn parse(text: &[u8]) -> Digits {
        let (mant, exp) = match text.iter().position(|&b| b == b'e') {
            Some(i) => (text.get(..i).unwrap_or_default(), text.get(i + 1..).unwrap_or_default()),
            None => (text, &[][..]),
        };
        let mut e: i32 = 0;
        let mut e_neg = false;
        for &b in exp {
            match b {
                b'-' => e_neg = true,
                b'0'..=b'9' => e = e * 10 + i32::from(b - b'0'),
                _ => {}
            }
        }
        if e_neg {
            e = -e;
        }
        let mut d = Digits { d: [0; 20], k: 0, n: e };
        let mut seen_point = false;
        let mut leading = true;
        for &b in mant {
            match b {
                b'.' => seen_point = true,
                b'0'..=b'9' => {
                    if leading && b == b'0' {
                        // a leading zero: before the point it says nothing, after it moves n
                        if seen_point {
                            d.n -= 1;
                        }
                        continue;
                    }
                    leading = false;
                    if !seen_point {
                        d.n += 1;
                    }
                    if let Some(slot) = d.d.get_mut(d.k) {
                        *slot = b;
                        d.k += 1;
                    }
                }
                _ => {}
            }
        }
        d.trim();
        d
    }

    fn trim(&mut self) {
        while self.k > 1 && self.d.get(self.k - 1) == Some(&b'0') {
            self.k -= 1;
        }
    }
}

/// Appends to a number's text buffer (never past its end: 32 bytes hold every layout).
struct Out<'a> {
    bytes: &'a mut [u8; 32],
    len: usize,
}

impl Out<'_> {
    fn push(&mut self, b: u8) {
        if let Some(slot) = self.bytes.get_mut(self.len) {
            *slot = b;
            self.len += 1;
        }
    }
    fn extend(&mut self, bytes: &[u8]) {
        bytes.iter().for_each(|&b| self.push(b));
    }
    fn zeros(&mut self, n: i32) {
        (0..n).for_each(|_| self.push(b'0'));
    }
    /// `d1[.d2..dk]e±exp`, the exponent without leading zeros.
    fn exponential(&mut self, digits: &[u8], exp: i32) {
        for (i, &d) in digits.iter().enumerate() {
            if i == 1 {
                self.push(b'.');
            }
            self.push(d);
        }
        self.push(b'e');
        self.push(if exp < 0 { b'-' } else { b'+' });
        let e = exp.unsigned_abs();
        if e >= 100 {
            self.push(b'0' + (e / 100) as u8);
        }
        if e >= 10 {
            self.push(b'0' + (e / 10 % 10) as u8);
        }
        self.push(b'0' + (e % 10) as u8);
    }
}

/// A SHA-256 implementation: the bytes' 32-byte digest.
///
/// The engine's own is [`sha256`]; [`crate::Engine::with_sha256`] lets a platform supply its own
/// (the Node.js package uses `node:crypto`, which runs on the CPU's SHA instructions where the
/// WebAssembly module cannot). Whatever is supplied must compute SHA-256 exactly: receipts are
/// compared byte for byte across builds.
pub type Sha256Fn = fn(&[u8]) -> [u8; 32];

/// SHA-256 of the bytes (the `sha2` crate: the CPU's SHA instructions natively where it has them,
/// 128-bit SIMD in the WebAssembly package).
///
/// ```
/// assert_eq!(merchant_credit::receipt::hex(&merchant_credit::receipt::sha256(b"")),
///            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
/// ```
pub fn sha256(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

/// Lower-case hex of a digest.
pub fn hex(digest: &[u8]) -> String {
    let mut s = String::with_capacity(digest.len() * 2);
    for &b in digest {
        s.push(char::from_digit(u32::from(b >> 4), 16).unwrap_or('0'));
        s.push(char::from_digit(u32::from(b & 15), 16).unwrap_or('0'));
    }
    s
}

/// Lower-case hex SHA-256.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&sha256(bytes))
}

#[cfg(test)]
mod tests {
    use super::{canonical_json, put_ecmascript_number, sort_members, NumberBuf};

    fn ryu(x: f64) -> String {
        if x.is_finite() {
            ryu_js::Buffer::new().format_finite(x).to_string()
        } else {
            "null".into()
        }
    }

    /// The canonical text of `x`, written directly and rewritten from its output (serde_json) text,
    /// against ryu-js.
    fn same_as_ryu(x: f64) {
        let mut b = NumberBuf::new();
        assert_eq!(String::from_utf8(b.format(x).to_vec()).unwrap(), ryu(x), "{x:e} ({:#x})", x.to_bits());
        if x.is_finite() {
            let mut from_json = Vec::new();
            put_ecmascript_number(b.format_json(x), &mut from_json);
            assert_eq!(String::from_utf8(from_json).unwrap(), ryu(x), "from the output text of {x:e} ({:#x})", x.to_bits());
        }
    }

    /// Against ryu-js (what canonical JSON was written with before): every n/100 for |n| <= 2,000,000, both sides of the
    /// 10^15 limit and of the 1e-7 / 1e21 notation switches, famous rounding cases, and a million
    /// random doubles (bit patterns, and random cents up to 10^13).
    #[test]
    fn numbers_are_written_as_ryu_js_writes_them() {
        for n in -2_000_000i64..=2_000_000 {
            same_as_ryu(n as f64 / 100.0);
        }
        let edge = [
            0.0, -0.0, 0.01, -0.01, 0.005, 0.015, 1.005, 2.675, 0.1 + 0.2, 1e-7, 1e-6, 5e-324, 1e13, 1e13 - 0.01,
            9_999_999_999_999.99, 99_999_999_999_999.98, 1e15, 1e15 + 1.0, 1e21, 1e22, 123_456_789_012.34,
            f64::MAX, f64::MIN_POSITIVE, f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 0.07, 4.35, 1.1, 2.2, 8.9,
            1e20, 1.5e20, 123456789012345680000.0, 1e-5, 1.5e-6, 1.25e-7, 0.000001, 0.0000012345, 1e100, 1.7976931348623157e308,
            2.2250738585072014e-308, 4.9e-324, 9007199254740993.0, 0.3, 1.0 / 3.0, 2.0 / 3.0, 1e16, 1.2345e16, 1e17,
            // where the integer digits split into eight-digit halves (put_decimal)
            999_999.99, 1_000_000.0, 1_000_000.01, 1_000_000.1, 10_000_000.05, 99_999_999.0, 100_000_000.0, 100_000_001.0,
        ];
        for x in edge {
            same_as_ryu(x);
            same_as_ryu(-x);
        }
        // a deterministic stream (synth's SplitMix64): random bit patterns, and random cents
        let mut rng = crate::synth::Rng(0x9E37_79B9_7F4A_7C15);
        let mut next = || rng.next_u64();
        for _ in 0..2_000_000 {
            same_as_ryu(f64::from_bits(next()));
            // short decimals at every scale, where the notation switches (1e-7, 1e21)
            let digits = next() % 1_000_000;
            let scale = (next() % 60) as i32 - 30;
            same_as_ryu(digits as f64 * 10f64.powi(scale));
            let cents = (next() % 2_000_000_000_000_000) as i64 - 1_000_000_000_000_000;
            same_as_ryu(cents as f64 / 100.0);
        }
    }

    fn same_as_serde_json(x: f64) {
        let mut b = NumberBuf::new();
        let want = serde_json::to_string(&x).unwrap();
        assert_eq!(String::from_utf8(b.format_json(x).to_vec()).unwrap(), want, "{x:e} ({:#x})", x.to_bits());
    }

    /// The output writer's numbers against serde_json's own: every n/100 and n/10^6 for
    /// |n| <= 1,000,000, the places where the notation switches (1e-5, 1e16), the ends of the
    /// integer path (10^15 digits), and random doubles, cents and six-decimal values.
    #[test]
    fn output_numbers_are_written_as_serde_json_writes_them() {
        for n in -1_000_000i64..=1_000_000 {
            same_as_serde_json(n as f64 / 100.0);
            same_as_serde_json(n as f64 / 1e6);
            same_as_ryu(n as f64 / 1e6);
        }
        for x in [
            0.0, -0.0, 1e-5, 1e-6, 1.5e-6, 9.99999e-6, 0.00001, 0.000015, 1e15, 1e16, 1.5e16, 999_999_999.999999,
            999_999_999_999_999.0, 99_999_999_999_999.9, 123_456_789.123456, 0.1 + 0.2, 1.0 / 3.0, 1e21, 1e22,
            5e-324, f64::MAX, f64::MIN_POSITIVE, 4.35, 2.675, 1e9, 1e9 + 0.5, 1e13, 1e14 + 0.01, 99.999999, 100.0,
            100.000001, 99_999_999.0, 100_000_000.0, 100_000_001.0, 999_999.99, 1_000_000.01,
        ] {
            same_as_serde_json(x);
            same_as_serde_json(-x);
        }
        let mut rng = crate::synth::Rng(42);
        for _ in 0..1_000_000 {
            let bits = f64::from_bits(rng.next_u64());
            if bits.is_finite() {
                same_as_serde_json(bits);
            }
            let cents = (rng.next_u64() % 2_000_000_000_000_000) as i64 - 1_000_000_000_000_000;
            same_as_serde_json(cents as f64 / 100.0);
            let micros = (rng.next_u64() % 2_000_000_000_000_000) as i64 - 1_000_000_000_000_000;
            same_as_serde_json(micros as f64 / 1e6);
            // and six-decimal values through ECMAScript's layout too
            same_as_ryu(micros as f64 / 1e6);
        }
    }

    #[test]
    fn sorts_nested_members_and_survives_any_truncation() {
        let text = br#"{"z":{"b":[{"y":1,"x":"a\"}"}],"a":null},"a":[],"m":"{[,"}"#;
        let mut out = Vec::new();
        sort_members(text, &mut out, false);
        assert_eq!(out, br#"{"a":[],"m":"{[,","z":{"a":null,"b":[{"x":"a\"}","y":1}]}}"#.to_vec());
        // serde_json never writes a truncated value, but a bug upstream must not hang or panic here
        for end in 0..text.len() {
            let mut out = Vec::new();
            sort_members(&text[..end], &mut out, false);
        }
    }

    /// An object whose members are written in the order given, repeats included (as a struct's
    /// fields are, or a map serialized from pairs), arrays, and JSON leaves.
    enum Node {
        Leaf(serde_json::Value),
        Obj(Vec<(&'static str, Node)>),
        Arr(Vec<Node>),
    }

    impl serde::Serialize for Node {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            use serde::ser::{SerializeMap, SerializeSeq};
            match self {
                Node::Leaf(v) => v.serialize(s),
                Node::Obj(members) => {
                    let mut m = s.serialize_map(Some(members.len()))?;
                    for (k, v) in members {
                        m.serialize_entry(k, v)?;
                    }
                    m.end()
                }
                Node::Arr(items) => {
                    let mut a = s.serialize_seq(Some(items.len()))?;
                    for v in items {
                        a.serialize_element(v)?;
                    }
                    a.end()
                }
            }
        }
    }

    /// Members sorted at every depth, in place: nested objects inside arrays and objects, keys
    /// compared by the strings they denote (escapes decoded), the last of repeated keys kept,
    /// empty objects, numbers in ECMAScript form, and objects already in order left as they are.
    #[test]
    fn canonical_json_sorts_members_at_every_depth() {
        use serde_json::json;
        use Node::*;
        let leaf = |v: serde_json::Value| Leaf(v);
        let doc = Obj(vec![
            ("z", Obj(vec![("b", Arr(vec![Obj(vec![("y", leaf(json!(1.0))), ("x", leaf(json!("a\"}")))])])), ("a", leaf(json!(null)))])),
            ("a", Arr(vec![])),
            ("m", leaf(json!("{[,"))),
            ("\u{e9}", leaf(json!(1))),
            ("dup", leaf(json!(1))),
            ("b\"", leaf(json!(2))),
            ("dup", Obj(vec![("k", leaf(json!(5e-7))), ("j", leaf(json!(1e21)))])),
            ("b", leaf(json!(3))),
            ("\u{1}", leaf(json!(true))),
            // after `\u0001` as the strings go, before it as the escaped text would
            ("A", leaf(json!(4))),
            ("e", Obj(vec![])),
            ("sorted", Obj(vec![("a", leaf(json!(1))), ("b", Obj(vec![("d", leaf(json!(2))), ("c", leaf(json!(3)))]))])),
        ]);
        let want = concat!(
            r#"{"\u0001":true,"A":4,"a":[],"b":3,"b\"":2,"dup":{"j":1e+21,"k":5e-7},"e":{},"m":"{[,","#,
            r#""sorted":{"a":1,"b":{"c":3,"d":2}},"z":{"a":null,"b":[{"x":"a\"}","y":1}]},"é":1}"#
        );
        assert_eq!(String::from_utf8(canonical_json(&doc)).unwrap(), want);
        // the same value through serde_json's Value (maps sorted by its B-tree)
        let value: serde_json::Value = serde_json::from_str(want).unwrap();
        assert_eq!(String::from_utf8(canonical_json(&value)).unwrap(), want);
    }
}
