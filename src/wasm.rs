//! The wasm-bindgen boundary (wasm32 only): the JavaScript API of the `pkg/` package.
//!
//! Nothing here decides anything. Each export converts JS values in, calls the core, and converts
//! the result out:
//! - inputs (stores, models, changes) are plain JS objects or JSON text. Text is copied in with
//!   `TextEncoder.encodeInto` and parsed by the core's `from_json`. Objects are written as JSON
//!   text by the JS engine's `JSON.stringify`, watched for anything it would change quietly
//!   (`js/plain-json.js`), and parsed by the same `from_json`. When that gives up or the parse
//!   fails, the strict walk decides: JsValue -> `serde_json::Value` (NaN, infinities, functions
//!   and symbols are errors with their path, and a size budget stops an oversized input before
//!   it exhausts memory) -> JSON text -> `from_json`. So there is one deserializer of the
//!   contracts in the module and errors carry the same JSON path as natively;
//! - outputs are plain JS objects: the result's serde_json text parsed by the JS engine's
//!   `JSON.parse` (maps become objects, `None` becomes `null`), or, from the `...Json` variants,
//!   that text itself, byte-identical to the native engine's;
//! - every error is one JS `Error` with `code` and `path` properties, made by [`js_error`].
//!
//! Sections: limits, errors, conversions, TypeScript types, the `Engine` class (pre-loan),
//! import and synthetic stores, then the back-office exports (lifecycle, flat-record scoring),
//! which only the Node.js package has (feature `js-backoffice`; the browser packages leave them
//! out to keep the seller's download small).

use crate::arena::Arena;
use crate::decision::Engine as CoreEngine;
use crate::error::{Error, ErrorKind, Result};
#[cfg(feature = "js-backoffice")]
use crate::develop::flat;
#[cfg(feature = "js-backoffice")]
use crate::features::Features;
#[cfg(feature = "js-backoffice")]
use crate::lifecycle::{self, MonitorRequest, PortfolioRequest, ScheduleRequest, SeriesRequest, ServicingRequest};
use crate::model::Model;
use crate::store::import::{import_csv, Encoding, Import, ImportOptions, Preset};
use crate::store::StoreData;
use crate::synth::{self, Profile, SynthOptions};
use crate::whatif::{self, Changes};
use js_sys::JsString;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Serialize;
use std::cell::{Cell, RefCell};
use std::fmt;
use wasm_bindgen::prelude::*;

/// The module's allocator: talc rather than the standard library's dlmalloc (the default for
/// wasm32-unknown-unknown), a well-kept allocator built for WebAssembly (measured: 2.4 KB smaller
/// gzipped, evaluations as fast; docs/js-api.md "Size and speed"), behind a bump region of
/// [`ARENA_BYTES`] for the short-lived allocations of each evaluation ([`crate::arena`], opened
/// by [`call_scope`]). Memory grows with `memory.grow` as dlmalloc's did. Single-threaded only:
/// a build with the `atomics` target feature does not compile (no `Sync`, below).
#[global_allocator]
static ALLOCATOR: ModuleAllocator = ModuleAllocator(Arena::new(talc::wasm::new_wasm_dynamic_allocator(), ARENA_BYTES));

/// The bump region: 1 MiB, taken from talc by the first evaluation and kept. A small store's
/// evaluation hands out ~30 KB of it; a large one runs past its end and the rest of its
/// allocations go to talc, as all did before.
const ARENA_BYTES: usize = 1 << 20;

/// [`Arena`] as the global allocator. `Arena` keeps its state in `Cell`s and is not `Sync`;
/// a `#[global_allocator]` must be.
struct ModuleAllocator(Arena<talc::wasm::WasmDynamicTalc>);

// SAFETY: the module is single-threaded (built without the `atomics` target feature, so there is
// no shared memory and no second thread that could call the allocator).
#[cfg(not(target_feature = "atomics"))]
unsafe impl Sync for ModuleAllocator {}

// SAFETY: forwards to `Arena`, a `GlobalAlloc`. (Not inlined: inlined at every allocation site,
// the Node.js module grew by 135 KB raw and ran slower; docs/js-api.md "Size and speed".)
unsafe impl std::alloc::GlobalAlloc for ModuleAllocator {
    #[inline(never)]
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        self.0.alloc(layout)
    }
    #[inline(never)]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: std::alloc::Layout) {
        self.0.dealloc(ptr, layout)
    }
    #[inline(never)]
    unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, new_size: usize) -> *mut u8 {
        self.0.realloc(ptr, layout, new_size)
    }
}

/// Serves the allocations of one export's call from the bump region until dropped. Opened by
/// the exports that evaluate and return plain data (not by constructors: an `Engine` and its
/// model outlive the call, and would keep the region from being reused).
fn call_scope() -> crate::arena::Scope<'static, talc::wasm::WasmDynamicTalc> {
    ALLOCATOR.0.scope()
}

/// What every export returns: a value, or the JS `Error` to throw.
type JsResult<T> = std::result::Result<T, JsValue>;

// =================================================================================================
// Limits of the boundary
// =================================================================================================

/// Size limits applied before the core sees an input, so that an input far over any reasonable
/// size gets a `too_large` error instead of exhausting the page's memory (the core's own limits in
/// `store::limits` are sized for servers). Documented in `docs/js-api.md`.
pub(crate) mod limits {
    /// Longest JSON text accepted (in UTF-16 code units, checked before it is copied into wasm).
    pub const MAX_JSON_CHARS: u32 = 64 * 1024 * 1024;
    /// Most JSON values (objects, arrays, strings, numbers...) in one input object: about
    /// 250,000 orders.
    pub const MAX_INPUT_VALUES: usize = 3_000_000;
    /// Most values in a model or a what-if change set given as an object.
    pub const MAX_SMALL_VALUES: usize = 500_000;
    /// Deepest nesting of arrays and objects (StoreData needs 4; models need more for conditions).
    pub const MAX_DEPTH: usize = 64;
    /// Largest CSV export accepted, in bytes (or UTF-16 code units for text).
    pub const MAX_CSV_BYTES: u32 = 256 * 1024 * 1024;
}

// =================================================================================================
// Errors
// =================================================================================================

/// The one conversion of a core error to JS: an `Error` whose message is `path: message`, with
/// `code` (stable, see docs/errors.md), `path` (JSON path or CSV location, may be empty) and
/// `name` = "MerchantCreditError".
fn js_error(e: &Error) -> JsValue {
    let err = js_sys::Error::new(&e.to_string());
    err.set_name("MerchantCreditError");
    let obj: &JsValue = err.as_ref();
    // Reflect::set cannot fail on a fresh, extensible Error object.
    let _ = js_sys::Reflect::set(obj, &JsValue::from_str("code"), &JsValue::from_str(e.code()));
    let _ = js_sys::Reflect::set(obj, &JsValue::from_str("path"), &JsValue::from_str(e.path()));
    err.into()
}

fn invalid(msg: impl Into<String>, path: &str) -> Error {
    Error::new(ErrorKind::InvalidValue(msg.into()), path)
}

// =================================================================================================
// Conversions
// =================================================================================================

/// A Rust value as a plain JS object: its serde_json text, parsed by the JS engine's
/// `JSON.parse`. Measured against serde-wasm-bindgen's `Serializer::json_compatible()` (which
/// gives the same objects), this is faster (one call instead of one per property) and keeps a
/// third serializer of every contract out of the module; and `evaluate(x)` is then exactly
/// `JSON.parse(evaluateJson(x))`, the canonical bytes.
fn to_js<T: Serialize + ?Sized>(value: &T) -> JsResult<JsValue> {
    let text = crate::receipt::to_json(value).map_err(|e| js_error(&Error::new(ErrorKind::Json(e.to_string()), "")))?;
    json_parse(&text)
}

fn json_parse(text: &str) -> JsResult<JsValue> {
    js_sys::JSON::parse(text).map_err(|_| js_error(&Error::new(ErrorKind::Json("output is not JSON".into()), "")))
}

/// JSON text from a JS string, refusing an oversized one before copying it into wasm memory.
fn text_from_js(s: &JsString, max: u32, what: &str) -> Result<String> {
    if s.length() > max {
        return Err(Error::new(
            ErrorKind::TooLarge(format!("{what} of {} characters; the limit in the browser is {max}", s.length())),
            "",
        ));
    }
    Ok(string_from_js(s))
}

#[wasm_bindgen]
extern "C" {
    /// The platform's WHATWG `TextEncoder` (browsers, workers, Node.js).
    type TextEncoder;
    #[wasm_bindgen(constructor)]
    fn new() -> TextEncoder;
    #[wasm_bindgen(method, js_name = encodeInto)]
    fn encode_into(this: &TextEncoder, source: &JsString, destination: &js_sys::Uint8Array) -> EncodeIntoResult;
    type EncodeIntoResult;
    #[wasm_bindgen(method, getter)]
    fn read(this: &EncodeIntoResult) -> u32;
    #[wasm_bindgen(method, getter)]
    fn written(this: &EncodeIntoResult) -> u32;
}

thread_local! {
    static ENCODER: TextEncoder = TextEncoder::new();
}

/// A JS string as UTF-8, written straight into wasm memory by `TextEncoder.encodeInto`.
///
/// The same bytes as wasm-bindgen's `String::from(&JsString)` (both are the WHATWG UTF-8 encoder;
/// a lone surrogate becomes U+FFFD), but the generated glue copies the ASCII prefix one
/// `charCodeAt` at a time in JavaScript, which for a store of a few hundred KB was about a sixth
/// of an evaluation (`node --cpu-prof`); `encodeInto` copies at memory speed.
fn string_from_js(s: &JsString) -> String {
    let units = s.length() as usize;
    // ASCII needs one byte per UTF-16 unit; more room is made only when encodeInto stops short
    let mut buf: Vec<u8> = Vec::with_capacity(units);
    let mut read = 0usize;
    ENCODER.with(|enc| {
        while read < units {
            let rest = if read == 0 { s.clone() } else { s.slice(read as u32, units as u32) };
            // room for the worst case of what is left once the first pass fell short
            let room = if read == 0 { units } else { (units - read) * 3 };
            buf.reserve(room);
            let free = buf.capacity() - buf.len();
            // SAFETY: the view covers the vector's spare capacity; nothing allocates (which could
            // move or grow wasm memory) between creating it and encodeInto returning, and
            // `written` bytes of it are initialised by encodeInto before the length is set.
            let r = unsafe {
                let view = js_sys::Uint8Array::view_mut_raw(buf.as_mut_ptr().add(buf.len()), free);
                enc.encode_into(&rest, &view)
            };
            let written = (r.written() as usize).min(free);
            // SAFETY: encodeInto wrote `written` bytes into the spare capacity (see above).
            unsafe { buf.set_len(buf.len() + written) };
            let consumed = r.read() as usize;
            if consumed == 0 && written == 0 {
                break;
            }
            read += consumed;
        }
    });
    // encodeInto writes well-formed UTF-8 only; the check is cheap next to the parse
    String::from_utf8(buf).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// A JS input (a JSON string or a plain object) as a `serde_json::Value`, strictly.
fn json_from_js(value: JsValue, budget: usize, what: &str) -> Result<serde_json::Value> {
    if let Some(s) = value.dyn_ref::<JsString>() {
        let text = text_from_js(s, limits::MAX_JSON_CHARS, what)?;
        return crate::error::from_json_str(&text);
    }
    if value.is_undefined() || value.is_null() {
        return Err(invalid(format!("expected {what} (an object or JSON text), got {}", js_type(&value)), ""));
    }
    let state = Strict { left: Cell::new(budget), failure: Cell::new(None), what, path: RefCell::new(Vec::new()) };
    match (StrictSeed { state: &state, depth: 0 }).deserialize(serde_wasm_bindgen::Deserializer::from(value)) {
        Ok(v) => Ok(v),
        Err(e) => {
            let path = state.path_string();
            Err(match state.failure.take() {
                Some(kind) => Error::new(kind, path),
                None => invalid(e.to_string(), &path),
            })
        }
    }
}

fn js_type(v: &JsValue) -> String {
    v.js_typeof().as_string().unwrap_or_else(|| "unknown".into())
}

#[wasm_bindgen(module = "/js/plain-json.js")]
extern "C" {
    /// `JSON.stringify(value)` when `value` holds nothing but plain JSON values (at most `budget`
    /// of them); `undefined` as soon as it holds anything JSON.stringify would change quietly.
    #[wasm_bindgen(js_name = plainJson)]
    fn plain_json(value: &JsValue, budget: u32) -> Option<JsString>;
}

/// A contract from a JS input (not text) by `parse`, its `from_json`.
///
/// First the fast way: `JSON.stringify` in the JS engine, watched for anything it would change
/// (js/plain-json.js), then `parse` on the text. When that gives up or `parse` fails, the strict
/// walk ([`json_from_js`]) builds the text instead and `parse` runs on that: so every error (NaN
/// at its path, an input over the budget, an unknown field...) is exactly the strict walk's, and
/// only inputs that parse are taken from the fast way. On a 3,000-order store this cuts
/// `evaluate(object)` from about 3.5x `evaluateJson` to about 1.5x (docs/js-api.md).
fn parse_js_object<T>(value: JsValue, budget: usize, what: &str, parse: &dyn Fn(&str) -> Result<T>) -> Result<T> {
    if !value.is_string() {
        let budget32 = u32::try_from(budget).unwrap_or(u32::MAX);
        let fast = plain_json(&value, budget32).and_then(|s| text_from_js(&s, limits::MAX_JSON_CHARS, what).ok());
        if let Some(Ok(v)) = fast.map(|text| parse(&text)) {
            return Ok(v);
        }
    }
    parse(&json_text(json_from_js(value, budget, what)?))
}

/// A StoreData from a JS object or JSON text; errors carry the JSON path as natively.
fn store_from_js(value: JsValue) -> Result<StoreData> {
    if let Some(s) = value.dyn_ref::<JsString>() {
        return StoreData::from_json(&text_from_js(s, limits::MAX_JSON_CHARS, "store JSON")?);
    }
    parse_js_object(value, limits::MAX_INPUT_VALUES, "a store", &StoreData::from_json)
}

fn model_from_js(value: JsValue) -> Result<Model> {
    if let Some(s) = value.dyn_ref::<JsString>() {
        return Model::from_json(&text_from_js(s, limits::MAX_JSON_CHARS, "model JSON")?);
    }
    parse_js_object(value, limits::MAX_SMALL_VALUES, "a model", &Model::from_json)
}

fn changes_from_js(value: JsValue) -> Result<Changes> {
    parse_js_object(value, limits::MAX_SMALL_VALUES, "changes", &Changes::from_json)
}

/// The value as JSON text, for the core's `from_json`. Going through text rather than the core's
/// `from_value` costs a few percent of the conversion but keeps a single deserializer (the one
/// the native engine uses) in the module: each additional one instantiates every serde impl of
/// the contracts again, about 40% of the module's size. Errors and paths are identical.
fn json_text(value: serde_json::Value) -> String {
    value.to_string()
}

/// Shared state of one strict conversion: the values still allowed, and the typed reason the
/// conversion stopped (serde errors carry only text).
struct Strict<'a> {
    left: Cell<usize>,
    failure: Cell<Option<ErrorKind>>,
    what: &'a str,
    /// Where the conversion is: keys and indexes from the root (left as they were on failure).
    path: RefCell<Vec<PathSeg>>,
}

enum PathSeg {
    Key(String),
    Index(usize),
}

impl Strict<'_> {
    /// The failure's JSON path, written as the core writes them (`orders[3].amount`).
    fn path_string(&self) -> String {
        let mut out = String::new();
        for seg in self.path.borrow().iter() {
            match seg {
                PathSeg::Index(i) => out.push_str(&format!("[{i}]")),
                PathSeg::Key(k) if out.is_empty() => out.push_str(k),
                PathSeg::Key(k) => {
                    out.push('.');
                    out.push_str(k);
                }
            }
        }
        out
    }

    fn fail<E: de::Error>(&self, kind: ErrorKind) -> E {
        let msg = kind.to_string();
        self.failure.set(Some(kind));
        E::custom(msg)
    }
    fn take_one<E: de::Error>(&self) -> std::result::Result<(), E> {
        match self.left.get().checked_sub(1) {
            Some(n) => {
                self.left.set(n);
                Ok(())
            }
            None => Err(self.fail(ErrorKind::TooLarge(format!(
                "{} has more than the {} values the browser build accepts; split it or evaluate it on the server",
                self.what,
                self.left.get() + 1
            )))),
        }
    }
}

/// Builds a `serde_json::Value` like `JSON.parse(JSON.stringify(x))` would, except that what
/// JSON.stringify would silently turn into `null` or drop (NaN, infinities, functions, symbols)
/// is an error at its path.
#[derive(Clone, Copy)]
struct StrictSeed<'a, 'b> {
    state: &'a Strict<'b>,
    depth: usize,
}

impl<'de> DeserializeSeed<'de> for StrictSeed<'_, '_> {
    type Value = serde_json::Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<Self::Value, D::Error> {
        self.state.take_one()?;
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for StrictSeed<'_, '_> {
    type Value = serde_json::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON-compatible value")
    }
    fn visit_unit<E: de::Error>(self) -> std::result::Result<Self::Value, E> {
        Ok(serde_json::Value::Null)
    }
    fn visit_none<E: de::Error>(self) -> std::result::Result<Self::Value, E> {
        Ok(serde_json::Value::Null)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> std::result::Result<Self::Value, E> {
        Ok(v.into())
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> std::result::Result<Self::Value, E> {
        Ok(v.into())
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> std::result::Result<Self::Value, E> {
        Ok(v.into())
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> std::result::Result<Self::Value, E> {
        match serde_json::Number::from_f64(v) {
            Some(n) => Ok(serde_json::Value::Number(n)),
            None => Err(self.state.fail(ErrorKind::NotFinite)),
        }
    }
    fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<Self::Value, E> {
        Ok(v.into())
    }
    fn visit_string<E: de::Error>(self, v: String) -> std::result::Result<Self::Value, E> {
        Ok(v.into())
    }
    fn visit_bytes<E: de::Error>(self, _: &[u8]) -> std::result::Result<Self::Value, E> {
        Err(self.state.fail(ErrorKind::InvalidValue("binary data where JSON was expected".into())))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<Self::Value, A::Error> {
        let inner = self.nested()?;
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        loop {
            self.state.path.borrow_mut().push(PathSeg::Index(out.len()));
            let Some(v) = seq.next_element_seed(inner)? else { break };
            self.state.path.borrow_mut().pop();
            out.push(v);
        }
        self.state.path.borrow_mut().pop();
        Ok(serde_json::Value::Array(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Self::Value, A::Error> {
        let inner = self.nested()?;
        let mut out = serde_json::Map::new();
        while let Some(k) = map.next_key::<String>()? {
            self.state.path.borrow_mut().push(PathSeg::Key(k));
            let v = map.next_value_seed(inner)?;
            if let Some(PathSeg::Key(k)) = self.state.path.borrow_mut().pop() {
                out.insert(k, v);
            }
        }
        Ok(serde_json::Value::Object(out))
    }
}

impl<'a, 'b> StrictSeed<'a, 'b> {
    fn nested<E: de::Error>(self) -> std::result::Result<Self, E> {
        if self.depth >= limits::MAX_DEPTH {
            return Err(self.state.fail(ErrorKind::TooLarge(format!(
                "nested deeper than {} levels (a cyclic object?)",
                limits::MAX_DEPTH
            ))));
        }
        Ok(StrictSeed { state: self.state, depth: self.depth + 1 })
    }
}

// =================================================================================================
// TypeScript types (the contracts of docs/store-format.md, docs/model-format.md, DESIGN.md §3)
// =================================================================================================

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
/** ISO-8601 date, `2025-06-30`. */
export type IsoDate = string;
/** ISO-8601 date-time, `2025-06-30T10:00:00Z` (a bare date means midnight UTC). */
export type IsoDateTime = string;
/** A month, `2025-06`. */
export type YearMonth = string;

export type StoreType = "reseller" | "brand_manufacturer" | "exporter" | "manufacturer";
export type OrderStatus = "pending" | "shipped" | "delivered" | "cancelled" | "refunded" | "disputed";

/** The seller (the B side). */
export interface Merchant {
  id: string;
  store_type?: StoreType;
  opened_on: IsoDate;
  platform?: string;
  category?: string;
  region?: string;
  declared_monthly_revenue?: number;
}
/** The person who controls the store (the C side). */
export interface Owner {
  years_in_business?: number;
  bureau_score?: number;
  personal_debt?: number;
  identity_verified?: boolean;
}
export interface Order {
  id: string;
  placed_at: IsoDateTime;
  amount: number;
  status: OrderStatus;
  refund_amount?: number;
  buyer_id?: string;
  ship_by?: IsoDateTime;
  promised_by?: IsoDateTime;
  shipped_at?: IsoDateTime;
  delivered_at?: IsoDateTime;
  /** 1 to 5. */
  rating?: number;
}
export interface MonthlySummary {
  month: YearMonth;
  gmv: number;
  orders: number;
  refunds?: number;
  cancellations?: number;
  buyers?: number;
  disputes?: number;
  rating?: number;
}
export interface Receivable { id: string; amount: number; due_on: IsoDate; counterparty?: string; }
export interface Liability { lender: string; outstanding: number; monthly_payment?: number; days_past_due?: number; }
export interface Repayment { loan_id: string; due_on: IsoDate; amount_due: number; paid_on?: IsoDate; amount_paid?: number; }

/** `merchant-credit/store@1`: everything the engine knows about one seller on one date. */
export interface StoreData {
  $schema?: "merchant-credit/store@1";
  as_of: IsoDate;
  /** ISO 4217; every amount is in it. */
  currency: string;
  merchant: Merchant;
  owner?: Owner;
  /** Lists may be left out, `undefined` or `null`: all mean none. */
  orders?: Order[] | null;
  monthly?: MonthlySummary[] | null;
  receivables?: Receivable[] | null;
  liabilities?: Liability[] | null;
  repayments?: Repayment[] | null;
}

/** A feature's value: a number, a category, or `null` when the data to compute it is absent. */
export type FeatureValue = number | string | null;
export type Outcome = "approve" | "refer" | "decline";
export type ProductKind = "purchase_financing" | "receivables_advance" | "working_capital";
export type RepaymentMethod = "holdback" | "installments" | "bullet";

export interface CreditLine { amount: number; currency: string; sales_based: number; receivables_based: number; debt_deduction: number; }
export interface RepaymentTerms {
  method: RepaymentMethod;
  holdback_rate?: number;
  installments?: number;
  installment_amount?: number;
  expected_payoff_days?: number;
}
export interface Offer {
  product: ProductKind;
  amount: number;
  term_days: number;
  fee: number;
  total_repayable: number;
  apr: number;
  repayment: RepaymentTerms;
}
/** An adverse reason, most adverse first. */
export interface Reason { code: string; feature: string; points: number; message: string; missing?: boolean; }
export interface PolicyHit { rule: string; outcome: "refer" | "decline"; message: string; features: string[]; fraud?: boolean; }
export interface Contribution { characteristic: string; feature?: string; points: number; baseline: number; bin?: number; reason_code?: string; }
export interface DataQuality { code: string; severity: "info" | "warning"; message: string; }
export interface ModelRef { id: string; version: string; sha256: string; }
export interface Receipt { engine: string; input_sha256: string; model_sha256: string; decision_sha256: string; }

/** `merchant-credit/decision@1`. */
export interface Decision {
  $schema: "merchant-credit/decision@1";
  merchant_id: string;
  as_of: IsoDate;
  decision: Outcome;
  score: number;
  pd: number;
  grade: string;
  credit_line: CreditLine;
  offers: Offer[];
  reasons: Reason[];
  policy: PolicyHit[];
  score_breakdown: Contribution[];
  features: Record<string, FeatureValue>;
  data_quality: DataQuality[];
  model: ModelRef;
  receipt: Receipt;
}

/** A structured condition over features: `all` / `any` / `not` over comparisons. */
export type Condition =
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }
  | { always: boolean }
  | { feature: string; op: "lt" | "le" | "gt" | "ge" | "eq" | "ne" | "in" | "not_in" | "is_missing" | "is_present"; value?: Operand };
/** A condition's constant; a boolean reads as 1 or 0. */
export type Operand = number | string | boolean | Operand[];

export interface Bin {
  lower?: number;
  upper?: number;
  categories?: Operand[];
  special?: number[];
  when?: Condition;
  points: number;
  partial_score?: { intercept?: number; slope: number };
  reason_code?: string;
  label?: string;
}
export interface Characteristic {
  name: string;
  feature?: string;
  reason_code?: string;
  reason?: string;
  missing_reason?: string;
  baseline_points?: number;
  missing_points?: number;
  bins: Bin[];
}

/** `merchant-credit/model@1` (see docs/model-format.md). */
export interface ModelDocument {
  $schema?: "merchant-credit/model@1";
  id: string;
  version: string;
  description?: string;
  features?: {
    ship_sla_days?: number;
    receivables_horizon_days?: number;
    receivables_counterparties?: string[];
    burst_min_orders?: number;
    large_order_multiple?: number;
  };
  policy?: { id: string; outcome: "refer" | "decline"; when: Condition; message: string; fraud?: boolean }[];
  scorecard: {
    scaling: { base_score: number; base_odds: number; pdo: number };
    base_points?: number;
    reason_algorithm?: "points_below" | "points_above";
    characteristics: Characteristic[];
  };
  calibration?:
    | { method: "scaling" }
    | { method: "logistic"; intercept: number; slope: number }
    | { method: "table"; points: [number, number][] };
  grades: { grade: string; min_score?: number }[];
  decision: { approve_max_pd: number; refer_max_pd: number };
  limit?: {
    sales_multiple: Record<string, number>;
    annual_sales_cap: number;
    receivables_advance_rate: number;
    debt_deduction: number;
    refer_factor: number;
    bounds: Record<string, { min: number; max: number; rounding: number }>;
  };
  products?: {
    product: ProductKind;
    eligible?: Condition;
    grades?: string[];
    basis: "line" | "receivables" | "sales";
    share: number;
    term_days: number;
    repayment: RepaymentMethod;
    holdback_rate?: Record<string, number>;
    installments?: number;
    [more: string]: unknown;
  }[];
  pricing?: { cost_of_funds: number; lgd: number; margin: number; origination?: number; max_apr: number };
  extensions?: Record<string, unknown>;
}

/** What `Engine.modelInfo()` returns. */
export interface ModelInfo {
  id: string;
  version: string;
  description: string | null;
  sha256: string;
  engine: string;
  /** Every feature the model reads. */
  features: string[];
  characteristics: number;
  rules: number;
  grades: string[];
  products: ProductKind[];
  /** A trained model's `extensions.training_report` (rows, metrics, columns...), when present. */
  training_report?: Record<string, unknown>;
}

/** What to change in `Engine.whatIf`. */
export interface WhatIfChanges {
  /** Feature name to the value it should take (a direct override; derived features are not recomputed). */
  features?: Record<string, FeatureValue>;
  /** A JSON merge patch (RFC 7386) applied to the store before it is evaluated again. */
  store?: Partial<Omit<StoreData, "merchant" | "owner">> & { merchant?: Partial<Merchant> | null; owner?: Partial<Owner> | null };
}
export interface FeatureChange { feature: string; from: FeatureValue; to: FeatureValue; }
export interface WhatIfResult {
  baseline: Decision;
  /** Unsigned: its receipt has empty input and decision digests. */
  scenario: Decision;
  changed: FeatureChange[];
  delta: { score: number; pd: number; credit_line: number; grade: [string, string]; decision: [Outcome, Outcome] };
}

export type SchemaKind = "store" | "model" | "decision";

/** CSV export layouts (docs/import.md). */
export type Preset = "generic" | "shopify" | "olist" | "mapping";
/** A user-supplied column layout (preset "mapping"); see docs/import.md. */
export type ColumnMapping = Record<string, unknown>;
/** Options of `evaluateCsv` / `importCsv`: what the export itself does not say. */
export interface ImportOptions {
  preset?: Preset;
  mapping?: ColumnMapping;
  encoding?: "auto" | "utf8" | "gbk" | "gb18030";
  delimiter?: string;
  merchant_id?: string;
  opened_on?: IsoDate;
  as_of?: IsoDate;
  currency?: string;
  store_type?: StoreType;
  platform?: string;
  /** Called as the file is read: bytes consumed so far and in all. */
  progress?: (bytesDone: number, bytesTotal: number) => void;
}
export interface SkippedRow { table?: string; line: number; column?: string; reason: string; }
/** What an import did: every row is counted, none dropped silently. */
export interface ImportReport {
  preset: Preset;
  /** True when the preset was detected from the header. */
  detected: boolean;
  encoding: string;
  delimiter: string;
  bytes: number;
  rows: number;
  orders: number;
  stores: number;
  skipped: number;
  skipped_rows: SkippedRow[];
  duplicates: number;
  currency: string | null;
  currencies: Record<string, number>;
  first_order: IsoDateTime | null;
  last_order: IsoDateTime | null;
  statuses: Record<string, number>;
  as_of: IsoDate | null;
  opened_on: IsoDate | null;
  notes: string[];
}
export interface CsvEvaluation { decision: Decision; report: ImportReport; }
export interface CsvImport { store: StoreData; report: ImportReport; }

export type SynthProfile = "healthy" | "growing" | "declining" | "seasonal" | "new" | "wash_trading" | "delinquent";
export interface SynthOptions { orders?: number; seed?: number; as_of?: IsoDate; currency?: string; merchant_id?: string; }

/** Loan lifecycle (docs/lifecycle.md). */
export type Action = "review" | "reduce" | "freeze";
export type SignalSeverity = "low" | "medium" | "high";
export interface Signal { code: string; severity: SignalSeverity; action: Action; message: string; evidence: Record<string, number>; }
/** The line as it stands. */
export interface LineState { amount: number; frozen?: boolean; clean_periods?: number; last_increase_on?: IsoDate; as_of: IsoDate; }
export type LineChange = "increase" | "hold" | "decrease" | "freeze" | "unfreeze";
export interface Reassessment {
  previous_line: number;
  fresh_line: number;
  new_line: number;
  available: number;
  change: LineChange;
  reasons: { code: string; message: string }[];
  state: LineState;
}
/** What `Engine.monitor` takes. */
export interface MonitorRequest { store: StoreData; previous?: Decision; line?: LineState; outstanding?: number; }
/** What `Engine.monitorSeries` takes: snapshots of one store, oldest first. */
export interface SeriesRequest { snapshots: { store: StoreData; outstanding?: number }[]; line?: LineState; }
/** `merchant-credit/monitor@1`. */
export interface MonitorReport {
  $schema: "merchant-credit/monitor@1";
  merchant_id: string;
  as_of: IsoDate;
  action?: Action;
  signals: Signal[];
  utilization?: number;
  reassessment: Reassessment;
  /** The fresh decision (unsigned): pass it as `previous` next time. */
  decision: Decision;
}
/** What `Engine.schedule` takes. */
export interface ScheduleRequest {
  loan_id?: string;
  currency?: string;
  product?: ProductKind;
  method: RepaymentMethod;
  principal: number;
  fee?: number;
  annual_rate?: number;
  start: IsoDate;
  term_days?: number;
  installments?: number;
  holdback_rate?: number;
  expected_daily_sales?: number;
  min_period_payment?: number;
}
export interface Installment {
  number: number;
  due_on: IsoDate;
  amount: number;
  principal: number;
  interest: number;
  fee: number;
  balance_after: number;
  expected_payment?: number;
}
/** `merchant-credit/schedule@1`. */
export interface Schedule {
  $schema: "merchant-credit/schedule@1";
  loan_id: string;
  currency: string;
  product?: ProductKind;
  method: RepaymentMethod;
  start: IsoDate;
  maturity: IsoDate;
  principal: number;
  interest: number;
  flat_fee: number;
  fee: number;
  total_repayable: number;
  annual_rate?: number;
  holdback_rate?: number;
  expected_daily_sales?: number;
  min_period_payment?: number;
  expected_payoff_on?: IsoDate;
  apr: number;
  effective_apr: number;
  installments: Installment[];
}
export interface Payment { id?: string; paid_on: IsoDate; amount: number; }
/** What `Engine.servicing` takes for one loan. */
export interface ServicingRequest { as_of: IsoDate; schedule: Schedule; payments?: Payment[]; }
/** What `Engine.servicing` takes for all of a seller's loans. */
export interface PortfolioRequest { as_of: IsoDate; loans: { schedule: Schedule; payments?: Payment[] }[]; }
export type LoanStatus = "current" | "due_soon" | "past_due" | "paid_off";
export interface InstallmentState {
  number: number;
  due_on: IsoDate;
  amount: number;
  paid: number;
  outstanding: number;
  status: "paid" | "overdue" | "due_soon" | "upcoming";
  dpd: number;
  paid_on?: IsoDate;
  days_late?: number;
}
/** `merchant-credit/servicing@1`. */
export interface ServicingReport {
  $schema: "merchant-credit/servicing@1";
  loan_id: string;
  as_of: IsoDate;
  currency: string;
  status: LoanStatus;
  dpd: number;
  bucket: string;
  collection_stage: string;
  line_suspended: boolean;
  write_off_recommended: boolean;
  reminder?: { number: number; due_on: IsoDate; amount: number; days_until: number; message: string };
  statement: {
    principal_outstanding: number;
    interest_outstanding: number;
    fee_outstanding: number;
    total_outstanding: number;
    overdue_amount: number;
    paid_to_date: number;
    credit_balance: number;
    next_due?: { number: number; due_on: IsoDate; amount: number };
  };
  installments: InstallmentState[];
}
export interface PortfolioReport {
  as_of: IsoDate;
  dpd: number;
  bucket: string;
  line_suspended: boolean;
  write_off_recommended: string[];
  total_outstanding: number;
  overdue_amount: number;
  loans: ServicingReport[];
}

/** Model development: one flat record, `column: value` (every column is a feature). */
export type FlatRecord = Record<string, number | string | boolean | null>;
/** The score of one flat record (`Engine.score`). */
export interface FlatScore {
  score: number;
  /** The unrounded sum of points, as a PMML evaluator reports it. */
  raw_score: number;
  pd: number;
  grade: string;
  reasons: Reason[];
  /** Points per characteristic, in model order. */
  points: number[];
  /** Ids of the model's policy rules that hold on the record (absent when none); `PMML-INVALID`:
   * a PMML evaluator returns no score for this record. */
  rules?: string[];
}

/** Every error the package throws. */
export interface MerchantCreditError extends Error {
  name: "MerchantCreditError";
  /** Stable machine-readable code: `negative_amount`, `unknown_field`, `too_large`... (docs/errors.md). */
  code: string;
  /** JSON path (`orders[3].amount`) or CSV location of the offending field; empty for the whole input. */
  path: string;
}
"#;

// =================================================================================================
// Start-up
// =================================================================================================

/// Runs once when the module is instantiated: with the `console_error_panic_hook` feature
/// (debugging builds), a panic prints its Rust message to the console. No panic is reachable
/// from the API; this is for finding out why if one ever is.
#[wasm_bindgen(start)]
fn start() {
    #[cfg(feature = "console_error_panic_hook")]
    console_error_panic_hook::set_once();
}

/// The engine's name and version as it appears in receipts, e.g. `"merchant-credit 0.1.0"`.
///
/// ```js
/// import { engineVersion } from "merchant-credit";
/// console.log(engineVersion()); // "merchant-credit 0.1.0"
/// ```
#[wasm_bindgen(js_name = engineVersion)]
pub fn engine_version() -> String {
    crate::receipt::ENGINE.to_string()
}

// =================================================================================================
// Engine: pre-loan evaluation, what-if, model information
// =================================================================================================

/// What `modelInfo()` returns (TypeScript `ModelInfo`). Outputs are plain structs, not
/// `serde_json::json!` trees: a `Value` tree would compile a second serializer of every contract
/// it holds into the module.
#[derive(Serialize)]
struct ModelInfo<'a> {
    id: &'a str,
    version: &'a str,
    description: Option<&'a str>,
    sha256: &'a str,
    engine: &'a str,
    features: Vec<String>,
    characteristics: usize,
    rules: usize,
    grades: Vec<&'a str>,
    products: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    training_report: Option<&'a serde_json::Value>,
}

/// What `evaluateCsv()` returns (TypeScript `CsvEvaluation`).
#[derive(Serialize)]
struct CsvEvaluation<'a> {
    decision: &'a crate::decision::Decision,
    report: &'a crate::store::import::ImportReport,
}

/// A credit engine holding one validated model. Create it once and evaluate many stores.
///
/// ```js
/// import { Engine } from "merchant-credit";
/// const engine = new Engine();                 // the embedded default model
/// const d = engine.evaluate(store);            // store: a StoreData object or JSON text
/// console.log(d.decision, d.grade, d.credit_line.amount, d.reasons[0]?.message);
/// ```
#[wasm_bindgen]
#[derive(Debug)]
pub struct Engine(CoreEngine);

#[cfg(feature = "node-digest")]
#[wasm_bindgen(module = "/js/node-sha256.js")]
extern "C" {
    /// SHA-256 by `node:crypto` as 64 hex digits written into `hex`; `false` without it
    /// (js/node-sha256.js).
    #[wasm_bindgen(js_name = nodeSha256)]
    fn node_sha256(bytes: &[u8], hex: &mut [u8]) -> bool;
}

/// Below this many bytes the module's own SHA-256 is as quick as a call out to `node:crypto`
/// (measured: a call costs about 0.5 us, the module hashes about 0.6 bytes per ns).
#[cfg(feature = "node-digest")]
const HOST_DIGEST_MIN_BYTES: usize = 1024;

/// The receipts' SHA-256 in the Node.js package: `node:crypto` (OpenSSL, on the CPU's SHA
/// instructions) for large inputs, the module's own otherwise or if Node.js gives no digest.
#[cfg(feature = "node-digest")]
fn host_sha256(bytes: &[u8]) -> [u8; 32] {
    if bytes.len() >= HOST_DIGEST_MIN_BYTES {
        let mut hex = [0u8; 64];
        if node_sha256(bytes, &mut hex) {
            if let Some(d) = from_hex(&hex) {
                return d;
            }
        }
    }
    crate::receipt::sha256(bytes)
}

/// 32 bytes from 64 lower-case hex digits, or `None` for anything else.
#[cfg(feature = "node-digest")]
fn from_hex(hex: &[u8; 64]) -> Option<[u8; 32]> {
    let digit = |c: u8| match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        _ => None,
    };
    let mut out = [0u8; 32];
    for (o, pair) in out.iter_mut().zip(hex.chunks_exact(2)) {
        *o = digit(*pair.first()?)? << 4 | digit(*pair.get(1)?)?;
    }
    Some(out)
}

/// A core engine with the platform's SHA-256 where the package has one (`node-digest`).
fn core_engine(model: Model) -> CoreEngine {
    let engine = CoreEngine::new(model);
    #[cfg(feature = "node-digest")]
    let engine = engine.with_sha256(host_sha256);
    engine
}

#[wasm_bindgen]
impl Engine {
    /// Creates an engine for a model (a `ModelDocument` object or its JSON text), or for the
    /// embedded default model when none is given. Throws a `MerchantCreditError` with `code`
    /// `invalid_model` (and the path of the offending part) for an inconsistent model.
    ///
    /// ```js
    /// const engine = new Engine();
    /// const custom = new Engine(await (await fetch("my-model.json")).text());
    /// ```
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "ModelDocument | string | null | void")] model: Option<JsValue>,
    ) -> JsResult<Engine> {
        match model {
            Some(m) if !m.is_undefined() && !m.is_null() => {
                Ok(Engine(core_engine(model_from_js(m).map_err(|e| js_error(&e))?)))
            }
            _ => Ok(Engine(core_engine(Model::default_model()))),
        }
    }

    /// Evaluates a store (a `StoreData` object or its JSON text) and returns the `Decision` as a
    /// plain object. Bad input throws a `MerchantCreditError` whose `path` names the field.
    ///
    /// ```js
    /// const d = engine.evaluate({ as_of: "2025-06-30", currency: "CNY",
    ///   merchant: { id: "m-1", opened_on: "2022-01-10" },
    ///   monthly: [{ month: "2025-05", gmv: 100000, orders: 800 }] });
    /// d.decision;            // "approve" | "refer" | "decline"
    /// d.reasons[0].message;  // the most adverse reason
    /// try { engine.evaluate({ ...store, currency: "cny" }); }
    /// catch (e) { console.log(e.code, e.path); } // "invalid_currency" "currency"
    /// ```
    #[wasm_bindgen(unchecked_return_type = "Decision")]
    pub fn evaluate(&self, #[wasm_bindgen(unchecked_param_type = "StoreData | string")] store: JsValue) -> JsResult<JsValue> {
        let _scope = call_scope();
        let store = store_from_js(store).map_err(|e| js_error(&e))?;
        json_parse(&self.0.evaluate_to_json(&store))
    }

    /// Evaluates StoreData JSON text and returns the Decision as JSON text: exactly the bytes the
    /// native engine (`merchant-credit evaluate`) prints for the same input and model.
    ///
    /// ```js
    /// const text = engine.evaluateJson(fs.readFileSync("store.json", "utf8"));
    /// const d = JSON.parse(text);  // same content as engine.evaluate(...)
    /// ```
    #[wasm_bindgen(js_name = evaluateJson)]
    pub fn evaluate_json(&self, store_json: JsString) -> JsResult<String> {
        let _scope = call_scope();
        let text = text_from_js(&store_json, limits::MAX_JSON_CHARS, "store JSON").map_err(|e| js_error(&e))?;
        self.0.evaluate_json_to_json(&text).map_err(|e| js_error(&e))
    }

    /// The decision again with named features or store inputs changed ("how do I raise my
    /// line?"). `changes.features` overrides computed features; `changes.store` is a JSON merge
    /// patch applied to the store. Returns the baseline and scenario decisions, the features that
    /// changed and the headline deltas. Errors in `changes` have paths like `features.NAME` or
    /// `store.owner.bureau_score`.
    ///
    /// ```js
    /// const w = engine.whatIf(store, { features: { refund_rate_90d: 0.01 } });
    /// console.log(`grade ${w.delta.grade[0]} -> ${w.delta.grade[1]}, line +${w.delta.credit_line}`);
    /// engine.whatIf(store, { store: { owner: { identity_verified: true } } });
    /// ```
    #[wasm_bindgen(js_name = whatIf, unchecked_return_type = "WhatIfResult")]
    pub fn what_if(
        &self,
        #[wasm_bindgen(unchecked_param_type = "StoreData | string")] store: JsValue,
        #[wasm_bindgen(unchecked_param_type = "WhatIfChanges | string")] changes: JsValue,
    ) -> JsResult<JsValue> {
        let _scope = call_scope();
        let store = store_from_js(store).map_err(|e| js_error(&e))?;
        let changes = changes_from_js(changes).map_err(|e| js_error(&e))?;
        let w = whatif::what_if(&self.0, &store, &changes).map_err(|e| js_error(&e))?;
        to_js(&w)
    }

    /// The model this engine uses: id, version, digest, and what it reads; for a trained model
    /// (`merchant-credit train`), also its `extensions.training_report` as `training_report`.
    ///
    /// ```js
    /// const { id, version, sha256, features, training_report } = engine.modelInfo();
    /// if (training_report) console.log(training_report.rows, training_report.metrics);
    /// ```
    #[wasm_bindgen(js_name = modelInfo, unchecked_return_type = "ModelInfo")]
    pub fn model_info(&self) -> JsResult<JsValue> {
        let m = self.0.model();
        to_js(&ModelInfo {
            id: &m.id,
            version: &m.version,
            description: m.description.as_deref(),
            sha256: &self.0.model_ref().sha256,
            engine: crate::receipt::ENGINE,
            features: m.feature_names(),
            characteristics: m.scorecard.characteristics.len(),
            rules: m.policy.len(),
            grades: m.grades.iter().map(|g| g.grade.as_str()).collect(),
            products: m.products.iter().map(|p| p.product.as_str()).collect(),
            training_report: m.extensions.get("training_report"),
        })
    }

    /// The JSON Schema (draft 2020-12) of a data contract: `"store"`, `"model"` or `"decision"`.
    ///
    /// ```js
    /// const storeSchema = engine.schema("store"); // e.g. for a form validator
    /// ```
    #[wasm_bindgen(unchecked_return_type = "Record<string, unknown>")]
    pub fn schema(&self, #[wasm_bindgen(unchecked_param_type = "SchemaKind")] kind: JsValue) -> JsResult<JsValue> {
        let text = match kind.as_string().as_deref() {
            Some("store") => crate::schema::STORE,
            Some("model") => crate::schema::MODEL,
            Some("decision") => crate::schema::DECISION,
            _ => return Err(js_error(&invalid("schema kind must be \"store\", \"model\" or \"decision\"", "kind"))),
        };
        json_parse(text)
    }
}

// =================================================================================================
// Import (CSV exports) and synthetic stores
// =================================================================================================

/// The bytes of a CSV export given as text, `Uint8Array` or `ArrayBuffer`, refusing an oversized
/// one before it is copied into wasm memory.
fn csv_bytes_from_js(input: &JsValue) -> Result<Vec<u8>> {
    let too_large = |n: u32| {
        Error::new(
            ErrorKind::TooLarge(format!("CSV export of {n} bytes; the limit in the browser is {}", limits::MAX_CSV_BYTES)),
            "",
        )
    };
    if let Some(s) = input.dyn_ref::<JsString>() {
        return text_from_js(s, limits::MAX_CSV_BYTES, "CSV text").map(String::into_bytes);
    }
    let bytes = if let Some(b) = input.dyn_ref::<js_sys::Uint8Array>() {
        b.clone()
    } else if let Some(b) = input.dyn_ref::<js_sys::ArrayBuffer>() {
        js_sys::Uint8Array::new(b)
    } else {
        return Err(invalid(format!("expected CSV text, a Uint8Array or an ArrayBuffer, got {}", js_type(input)), ""));
    };
    if bytes.length() > limits::MAX_CSV_BYTES {
        return Err(too_large(bytes.length()));
    }
    Ok(bytes.to_vec())
}

/// Import options from JS (`ImportOptions`, snake_case as in docs/import.md) and the `progress`
/// callback, which is taken out before the rest is converted strictly.
fn import_options_from_js(preset: &JsValue, options: &JsValue) -> Result<(ImportOptions, Option<js_sys::Function>)> {
    let mut progress = None;
    let mut opts = if options.is_undefined() || options.is_null() {
        ImportOptions::default()
    } else {
        if !options.is_object() {
            return Err(invalid("options must be an object", "options"));
        }
        let copy = js_sys::Object::assign(&js_sys::Object::new(), options.unchecked_ref());
        let key = JsValue::from_str("progress");
        let p = js_sys::Reflect::get(&copy, &key).unwrap_or(JsValue::UNDEFINED);
        if !p.is_undefined() && !p.is_null() {
            progress = Some(p.dyn_into::<js_sys::Function>().map_err(|_| invalid("progress must be a function", "options.progress"))?);
        }
        let _ = js_sys::Reflect::delete_property(&copy, &key);
        let value = json_from_js(copy.into(), limits::MAX_SMALL_VALUES, "import options").map_err(|e| e.within("options"))?;
        crate::error::from_json_str::<ImportOptions>(&json_text(value)).map_err(|e| e.within("options"))?
    };
    if let Some(name) = preset.as_string() {
        if name != "auto" {
            opts.preset = Some(Preset::parse(&name).ok_or_else(|| {
                invalid(format!("unknown preset `{name}`: use auto, generic, shopify, olist or mapping"), "preset")
            })?);
        }
    } else if !preset.is_undefined() && !preset.is_null() {
        return Err(invalid("preset must be a string", "preset"));
    }
    Ok((opts, progress))
}

#[wasm_bindgen]
extern "C" {
    /// The platform's WHATWG `TextDecoder` (browsers; Node.js 18+ with full ICU for gb18030).
    type TextDecoder;
    #[wasm_bindgen(constructor, catch)]
    fn new(label: &str, options: &JsValue) -> std::result::Result<TextDecoder, JsValue>;
    #[wasm_bindgen(method, catch)]
    fn decode(this: &TextDecoder, input: &[u8]) -> std::result::Result<JsString, JsValue>;
}

/// GBK / GB18030 bytes to UTF-8 with the platform's `TextDecoder` (the same WHATWG gb18030 decoder
/// encoding_rs implements natively), so the core, built without the `gbk` feature in the wasm
/// package, only sees UTF-8. Applies exactly where the native core would decode GB18030:
/// `encoding` "gbk" / "gb18030", or "auto" for bytes that are not UTF-8, with no BOM (UTF-8 and
/// UTF-16 BOMs are decoded by the core) and not binary (the core reports that, with its offsets).
/// Returns the bytes to import and whether they were decoded here.
fn gbk_to_utf8(bytes: Vec<u8>, encoding: Encoding) -> Result<(Vec<u8>, bool)> {
    let has_bom = [&b"\xEF\xBB\xBF"[..], b"\xFF\xFE", b"\xFE\xFF"].iter().any(|b| bytes.starts_with(b));
    let head = bytes.get(..65_536).unwrap_or(&bytes);
    let ctrl = head.iter().filter(|&&c| c < 0x20 && !matches!(c, b'\t' | b'\n' | b'\r' | 0x0c)).count();
    let binary = head.contains(&0) || ctrl * 100 > head.len().max(1);
    let decode = match encoding {
        Encoding::Utf8 => false,
        Encoding::Auto => std::str::from_utf8(&bytes).is_err(),
        Encoding::Gbk | Encoding::Gb18030 => true,
    };
    if !decode || has_bom || binary || bytes.is_empty() {
        return Ok((bytes, false));
    }
    let csv = |m: &str| Error::new(ErrorKind::Csv(m.into()), "");
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &JsValue::from_str("fatal"), &JsValue::TRUE);
    let decoder = TextDecoder::new("gb18030", &options)
        .map_err(|_| csv("this JavaScript platform's TextDecoder has no gb18030 (GBK) decoder; convert the export to UTF-8 first"))?;
    let text = decoder
        .decode(&bytes)
        .map_err(|_| csv("not text in a supported encoding (UTF-8, UTF-16 with BOM, GBK / GB18030)"))?;
    Ok((String::from(text).into_bytes(), true))
}

fn import_from_js(input: JsValue, preset: JsValue, options: JsValue) -> Result<Import> {
    let (mut opts, progress) = import_options_from_js(&preset, &options)?;
    let bytes = csv_bytes_from_js(&input)?;
    let original = bytes.len() as u64;
    let (bytes, decoded) = if input.is_string() { (bytes, false) } else { gbk_to_utf8(bytes, opts.encoding)? };
    if decoded {
        opts.encoding = Encoding::Utf8; // what the core now gets
    }
    let utf8 = bytes.len().max(1) as f64;
    let mut report = |done: u64, total: u64| {
        if let Some(f) = &progress {
            // Progress in the caller's bytes (the GBK ones when decoded here).
            let (done, total) = if decoded { ((done as f64 * original as f64 / utf8) as u64, original) } else { (done, total) };
            // A throwing callback must not abort the import half-way; its exception is dropped.
            let _ = f.call2(&JsValue::NULL, &JsValue::from_f64(done as f64), &JsValue::from_f64(total as f64));
        }
    };
    let mut import = import_csv(&bytes, &opts, &mut report)?;
    if decoded {
        // The report describes the caller's file, as natively.
        import.report.encoding = "gb18030".into();
        import.report.bytes = original;
    }
    Ok(import)
}

#[wasm_bindgen]
impl Engine {
    /// Imports a seller-center CSV export (text, `Uint8Array` or `ArrayBuffer`; UTF-8, GBK or
    /// GB18030) with a preset (`"auto"` or omitted: detected from the header; `"generic"`,
    /// `"shopify"`, `"olist"`, `"mapping"` with `options.mapping`) and evaluates it. Returns the
    /// decision and the import report (rows read, rows skipped with line and reason, currency,
    /// date range, statuses). `options.progress(bytesDone, bytesTotal)` is called as the file is
    /// read, for a progress bar. CSV problems throw with `code` `"csv"` and a line in `path`.
    ///
    /// ```js
    /// const file = input.files[0];
    /// const { decision, report } = engine.evaluateCsv(new Uint8Array(await file.arrayBuffer()), "auto", {
    ///   merchant_id: "my-shop", opened_on: "2021-03-01", currency: "CNY",
    ///   progress: (done, total) => bar.value = done / total,
    /// });
    /// console.log(report.preset, report.skipped, decision.credit_line.amount);
    /// ```
    #[wasm_bindgen(js_name = evaluateCsv, unchecked_return_type = "CsvEvaluation")]
    pub fn evaluate_csv(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string | Uint8Array | ArrayBuffer")] input: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Preset | \"auto\" | null | void")] preset: JsValue,
        #[wasm_bindgen(unchecked_param_type = "ImportOptions | null | void")] options: JsValue,
    ) -> JsResult<JsValue> {
        let _scope = call_scope();
        let import = import_from_js(input, preset, options).map_err(|e| js_error(&e))?;
        let decision = self.0.evaluate(&import.store);
        to_js(&CsvEvaluation { decision: &decision, report: &import.report })
    }

    /// Imports a CSV export like [`evaluateCsv`](Engine::evaluate_csv) without evaluating it:
    /// returns the `StoreData` and the report, e.g. to show the report first or to run
    /// `whatIf` on the store afterwards.
    ///
    /// ```js
    /// const { store, report } = engine.importCsv(csvText, "shopify", { merchant_id: "s-1", opened_on: "2022-01-01" });
    /// const d = engine.evaluate(store);
    /// ```
    #[wasm_bindgen(js_name = importCsv, unchecked_return_type = "CsvImport")]
    pub fn import_csv(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string | Uint8Array | ArrayBuffer")] input: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Preset | \"auto\" | null | void")] preset: JsValue,
        #[wasm_bindgen(unchecked_param_type = "ImportOptions | null | void")] options: JsValue,
    ) -> JsResult<JsValue> {
        let _scope = call_scope();
        let import = import_from_js(input, preset, options).map_err(|e| js_error(&e))?;
        to_js(&import)
    }

    /// Draws a synthetic store (deterministic for a given profile, options and seed) for demos
    /// and tests: `"healthy"`, `"growing"`, `"declining"`, `"seasonal"`, `"new"`,
    /// `"wash_trading"` or `"delinquent"`. Options: `orders` (default 2,000), `seed` (default 1),
    /// `as_of`, `currency`, `merchant_id`. The same seed gives the same store as
    /// `merchant-credit synth`.
    ///
    /// ```js
    /// const store = engine.synth("seasonal", { orders: 5000, seed: 42 });
    /// const d = engine.evaluate(store);
    /// ```
    #[wasm_bindgen(unchecked_return_type = "StoreData")]
    pub fn synth(
        &self,
        #[wasm_bindgen(unchecked_param_type = "SynthProfile")] profile: JsValue,
        #[wasm_bindgen(unchecked_param_type = "SynthOptions | null | void")] options: JsValue,
    ) -> JsResult<JsValue> {
        let _scope = call_scope();
        let store = synth_from_js(&profile, options).map_err(|e| js_error(&e))?;
        to_js(&store)
    }

    /// Same as [`synth`](Engine::synth), as StoreData JSON text (the bytes `merchant-credit
    /// synth` writes for the same profile, options and seed).
    ///
    /// ```js
    /// fs.writeFileSync("healthy.json", engine.synthJson("healthy", { seed: 7 }));
    /// ```
    #[wasm_bindgen(js_name = synthJson)]
    pub fn synth_json(
        &self,
        #[wasm_bindgen(unchecked_param_type = "SynthProfile")] profile: JsValue,
        #[wasm_bindgen(unchecked_param_type = "SynthOptions | null | void")] options: JsValue,
    ) -> JsResult<String> {
        let _scope = call_scope();
        let store = synth_from_js(&profile, options).map_err(|e| js_error(&e))?;
        crate::receipt::to_json(&store).map_err(|e| js_error(&Error::new(ErrorKind::Json(e.to_string()), "")))
    }
}

fn synth_from_js(profile: &JsValue, options: JsValue) -> Result<StoreData> {
    let name = profile.as_string().unwrap_or_default();
    let profile = Profile::parse(&name).ok_or_else(|| {
        invalid(
            format!("unknown profile `{name}`: use healthy, growing, declining, seasonal, new, wash_trading or delinquent"),
            "profile",
        )
    })?;
    let opts = if options.is_undefined() || options.is_null() {
        SynthOptions::default()
    } else {
        let value = json_from_js(options, limits::MAX_SMALL_VALUES, "synth options").map_err(|e| e.within("options"))?;
        crate::error::from_json_str::<SynthOptions>(&json_text(value)).map_err(|e| e.within("options"))?
    };
    Ok(synth::synth(profile, &opts))
}

// =================================================================================================
// Lifecycle (monitoring, reassessment, schedules, servicing): feature `js-backoffice`, in the
// Node.js package only (scripts/build-wasm.sh)
// =================================================================================================

#[cfg(feature = "js-backoffice")]
/// A lifecycle request (`MonitorRequest`, `SeriesRequest`, `ScheduleRequest`, `ServicingRequest`,
/// `PortfolioRequest`) from a JS object or its JSON text, through the one JSON deserializer the
/// native CLI uses (`lifecycle::from_json`), so errors carry the same paths as natively.
fn lifecycle_from_js<T: serde::de::DeserializeOwned>(value: JsValue, what: &str) -> Result<T> {
    if let Some(s) = value.dyn_ref::<JsString>() {
        return lifecycle::from_json(&text_from_js(s, limits::MAX_JSON_CHARS, what)?);
    }
    parse_js_object(value, limits::MAX_INPUT_VALUES, what, &lifecycle::from_json)
}

#[cfg(feature = "js-backoffice")]
#[wasm_bindgen]
impl Engine {
    /// In-loan monitoring of one store: evaluates it afresh, compares it with the `previous`
    /// decision (optional) and returns early-warning signals (severity, evidence, recommended
    /// action) and the reassessed line (`merchant-credit/monitor@1`; docs/lifecycle.md). The same
    /// report as `merchant-credit monitor`. Pass `report.decision` as `previous` next time.
    ///
    /// ```js
    /// const r = engine.monitor({ store, previous: lastDecision, outstanding: 12000 });
    /// console.log(r.action, r.signals.map((s) => s.code), r.reassessment.new_line);
    /// ```
    #[wasm_bindgen(unchecked_return_type = "MonitorReport")]
    pub fn monitor(&self, #[wasm_bindgen(unchecked_param_type = "MonitorRequest | string")] request: JsValue) -> JsResult<JsValue> {
        let _scope = call_scope();
        let req: MonitorRequest = lifecycle_from_js(request, "a monitor request").map_err(|e| js_error(&e))?;
        let report = lifecycle::monitor(&self.0, &req).map_err(|e| js_error(&e))?;
        to_js(&report)
    }

    /// Monitoring over a series of snapshots of one store (oldest first): one report per snapshot,
    /// the line carried from each to the next, as `merchant-credit monitor` prints for a series.
    ///
    /// ```js
    /// const reports = engine.monitorSeries({ snapshots: [{ store: march }, { store: june, outstanding: 8000 }] });
    /// reports.at(-1).reassessment.change; // "increase" | "hold" | "decrease" | "freeze" | "unfreeze"
    /// ```
    #[wasm_bindgen(js_name = monitorSeries, unchecked_return_type = "MonitorReport[]")]
    pub fn monitor_series(&self, #[wasm_bindgen(unchecked_param_type = "SeriesRequest | string")] request: JsValue) -> JsResult<JsValue> {
        let _scope = call_scope();
        let req: SeriesRequest = lifecycle_from_js(request, "a monitor series").map_err(|e| js_error(&e))?;
        let reports = lifecycle::monitor_series(&self.0, &req).map_err(|e| js_error(&e))?;
        to_js(&reports)
    }

    /// A repayment schedule with its APR (`merchant-credit/schedule@1`): equal installments,
    /// bullet, or holdback (a share of daily sales). Defaults (holdback period and minimum) come
    /// from this engine's model lifecycle policy. The same schedule as `merchant-credit schedule`.
    ///
    /// ```js
    /// const s = engine.schedule({ method: "installments", principal: 12000, annual_rate: 0.18,
    ///   installments: 6, start: "2025-07-01" });
    /// console.log(s.apr, s.installments.map((i) => [i.due_on, i.amount]));
    /// ```
    #[wasm_bindgen(unchecked_return_type = "Schedule")]
    pub fn schedule(&self, #[wasm_bindgen(unchecked_param_type = "ScheduleRequest | string")] request: JsValue) -> JsResult<JsValue> {
        let _scope = call_scope();
        let req: ScheduleRequest = lifecycle_from_js(request, "a schedule request").map_err(|e| js_error(&e))?;
        let policy = self.0.model().lifecycle.clone().unwrap_or_default();
        let s = lifecycle::schedule(&req, &policy.schedule).map_err(|e| js_error(&e))?;
        to_js(&s)
    }

    /// The servicing state of a loan on `as_of` from its schedule and payments: status, days past
    /// due, bucket, collection stage, suspension, write-off and a statement of what is owed
    /// (`merchant-credit/servicing@1`). With `loans: [{ schedule, payments }]` instead of
    /// `schedule`/`payments`, all of a seller's loans at once (a `PortfolioReport`). The same
    /// output as `merchant-credit servicing`.
    ///
    /// ```js
    /// const r = engine.servicing({ as_of: "2025-09-15", schedule: s,
    ///   payments: [{ paid_on: "2025-08-01", amount: 2100 }] });
    /// console.log(r.status, r.dpd, r.statement.total_outstanding);
    /// ```
    #[wasm_bindgen(unchecked_return_type = "ServicingReport | PortfolioReport")]
    pub fn servicing(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ServicingRequest | PortfolioRequest | string")] request: JsValue,
    ) -> JsResult<JsValue> {
        let _scope = call_scope();
        let value = match request.dyn_ref::<JsString>() {
            Some(s) => text_from_js(s, limits::MAX_JSON_CHARS, "a servicing request")
                .and_then(|t| crate::error::from_json_str::<serde_json::Value>(&t)),
            None => json_from_js(request, limits::MAX_INPUT_VALUES, "a servicing request"),
        }
        .map_err(|e| js_error(&e))?;
        let policy = self.0.model().lifecycle.clone().unwrap_or_default();
        let portfolio = value.get("loans").is_some();
        let text = json_text(value);
        if portfolio {
            let req: PortfolioRequest = lifecycle::from_json(&text).map_err(|e| js_error(&e))?;
            to_js(&lifecycle::service_all(&req, &policy.servicing).map_err(|e| js_error(&e))?)
        } else {
            let req: ServicingRequest = lifecycle::from_json(&text).map_err(|e| js_error(&e))?;
            to_js(&lifecycle::service(&req, &policy.servicing).map_err(|e| js_error(&e))?)
        }
    }
}

// =================================================================================================
// Model development (scoring flat records): feature `js-backoffice`, in the Node.js package only
// =================================================================================================

#[cfg(feature = "js-backoffice")]
/// Flat records from JS: an array of `{ column: value }` objects (numbers, strings, booleans,
/// `null`), or CSV text with a header line (docs/model-development.md "Flat records").
fn flat_scores_from_js(model: &Model, records: JsValue) -> Result<Vec<flat::FlatScore>> {
    if let Some(s) = records.dyn_ref::<JsString>() {
        return flat::score_csv(model, &text_from_js(s, limits::MAX_CSV_BYTES, "CSV text")?);
    }
    if !js_sys::Array::is_array(&records) {
        return Err(invalid(format!("expected an array of records or CSV text, got {}", js_type(&records)), ""));
    }
    let value = json_from_js(records, limits::MAX_INPUT_VALUES, "records")?;
    let rows: Vec<Features> = crate::error::from_json_str(&json_text(value))?;
    Ok(rows.iter().map(|f| flat::score_features(model, f)).collect())
}

#[cfg(feature = "js-backoffice")]
#[wasm_bindgen]
impl Engine {
    /// Scores flat records with this engine's scorecard (model development, validation): one
    /// `FlatScore` (score, raw score, PD, grade, ranked reasons, points per characteristic) per
    /// record, in order. Every column is a feature; policy rules, limits and offers are not
    /// applied (a flat record is not a store). The same numbers as `merchant-credit score`.
    ///
    /// ```js
    /// const [a, b] = engine.score([{ refund_rate_90d: 0.01, store_age_months: 30 }, { refund_rate_90d: 0.2 }]);
    /// console.log(a.score, a.grade, b.reasons[0]?.code);
    /// engine.score("refund_rate_90d,store_age_months\n0.01,30\n"); // CSV text works too
    /// ```
    #[wasm_bindgen(unchecked_return_type = "FlatScore[]")]
    pub fn score(
        &self,
        #[wasm_bindgen(unchecked_param_type = "FlatRecord[] | string")] records: JsValue,
    ) -> JsResult<JsValue> {
        let _scope = call_scope();
        let scores = flat_scores_from_js(self.0.model(), records).map_err(|e| js_error(&e))?;
        to_js(&scores)
    }
}

// =================================================================================================
// Tests of the boundary itself (wasm-pack test --node / --headless --chrome runs them)
// =================================================================================================

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    const STORE: &str = include_str!("../examples/monthly-only.json");

    fn prop(v: &JsValue, name: &str) -> String {
        js_sys::Reflect::get(v, &JsValue::from_str(name)).ok().and_then(|x| x.as_string()).unwrap_or_default()
    }

    #[wasm_bindgen_test]
    fn object_and_text_give_the_canonical_bytes() {
        let engine = Engine::new(None).unwrap();
        let text = engine.evaluate_json(JsString::from(STORE)).unwrap();
        let obj = engine.evaluate(js_sys::JSON::parse(STORE).unwrap()).unwrap();
        let js_text = |v: &JsValue| String::from(js_sys::JSON::stringify(v).unwrap());
        assert_eq!(js_text(&obj), js_text(&js_sys::JSON::parse(&text).unwrap()));
        assert_eq!(text, crate::evaluate_json(STORE).unwrap().to_json());
    }

    #[wasm_bindgen_test]
    fn errors_are_js_errors_with_code_and_path() {
        let engine = Engine::new(None).unwrap();
        let v = js_sys::JSON::parse(STORE).unwrap();
        let m = js_sys::Reflect::get(&v, &"monthly".into()).unwrap();
        let first = js_sys::Reflect::get(&m, &0.into()).unwrap();
        js_sys::Reflect::set(&first, &"gmv".into(), &JsValue::from_f64(f64::NAN)).unwrap();
        let e = engine.evaluate(v).unwrap_err();
        assert!(e.is_instance_of::<js_sys::Error>());
        assert_eq!(prop(&e, "code"), "not_finite");
        assert_eq!(prop(&e, "path"), "monthly[0].gmv");
        let e = Engine::new(Some(JsValue::from_str("{}"))).unwrap_err();
        assert_eq!(prop(&e, "code"), "missing_field");
    }

    /// Nothing an evaluation allocates in the bump region outlives the call (the answer aside,
    /// until the caller drops it), so each evaluation finds the whole region free again.
    #[wasm_bindgen_test]
    fn each_evaluation_leaves_the_bump_region_free() {
        let engine = Engine::new(None).unwrap();
        for _ in 0..3 {
            let text = engine.evaluate_json(JsString::from(STORE)).unwrap();
            assert!(ALLOCATOR.0.owns(text.as_ptr().cast_mut()), "the answer was written in the region");
            assert!(ALLOCATOR.0.in_use() >= text.len());
            drop(text);
            assert_eq!(ALLOCATOR.0.in_use(), 0);
            drop(engine.evaluate(js_sys::JSON::parse(STORE).unwrap()).unwrap());
            assert_eq!(ALLOCATOR.0.in_use(), 0);
            // the error paths free theirs too
            drop(engine.evaluate_json(JsString::from(r#"{"as_of": "2025-13-01"}"#)).unwrap_err());
            drop(engine.evaluate(js_sys::JSON::parse(r#"{"as_of": 1}"#).unwrap()).unwrap_err());
            assert_eq!(ALLOCATOR.0.in_use(), 0);
        }
    }

    #[wasm_bindgen_test]
    fn budget_stops_oversized_objects() {
        let big = js_sys::Array::new();
        for i in 0..(limits::MAX_SMALL_VALUES as u32 + 10) {
            big.push(&JsValue::from(i));
        }
        let err = json_from_js(big.into(), limits::MAX_SMALL_VALUES, "changes").unwrap_err();
        assert_eq!(err.code(), "too_large");
    }
}
