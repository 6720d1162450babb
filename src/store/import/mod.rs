//! CSV import: seller-center exports and marketplace tables in, [`StoreData`] out.
//!
//! The importer takes bytes (never a path: the same code runs in the browser), decodes them
//! (UTF-8 with or without BOM, UTF-16 with BOM, GBK / GB18030), sniffs the delimiter (comma,
//! semicolon, tab or pipe), reads the header row, picks a [`Preset`] (given, or detected from the
//! header) and streams the rows once (plain rows split in place, rows with quotes read by the `csv`
//! crate: see `rows.rs`), reusing one record buffer. Progress
//! (bytes consumed, total bytes) is reported through a callback so a page can draw a bar.
//!
//! Malformed rows are never dropped silently: each is counted in the [`ImportReport`] with its
//! line number and reason (the first [`MAX_LISTED_SKIPS`] are listed). Problems with the whole
//! file (empty, binary, a header no preset matches, a missing required column, no importable
//! row at all) are errors with the code `csv`.
//!
//! The presets and their columns are documented in `docs/import.md`.
//!
//! ```
//! use merchant_credit::store::import::{import_csv, ImportOptions, Preset};
//! let csv = "id,placed_at,amount,status,buyer_id\n\
//!            o1,2025-05-02T10:00:00Z,120.50,delivered,b1\n\
//!            o2,2025-05-03 11:00:00,80,cancelled,b2\n\
//!            o3,not a date,80,delivered,b2\n";
//! let opts = ImportOptions { currency: Some("CNY".into()), ..ImportOptions::default() };
//! let import = import_csv(csv.as_bytes(), &opts, &mut |_done, _total| {})?;
//! assert_eq!(import.report.preset, Preset::Generic);
//! assert!(import.report.detected);
//! assert_eq!(import.store.orders.len(), 2);
//! assert_eq!(import.report.skipped, 1);
//! assert_eq!(import.report.skipped_rows[0].line, 4);
//! assert_eq!(import.store.as_of.to_string(), "2025-05-03"); // the latest date in the data
//! # Ok::<(), merchant_credit::Error>(())
//! ```

mod olist;
mod rows;
mod shopify;
mod table;

pub use olist::{import_olist, OlistImport, OlistTables};
pub(crate) use rows::{Record, Rows};
pub use shopify::buyer_pseudonym as shopify_buyer_pseudonym;
pub use table::{ColumnMapping, GENERIC_COLUMNS};

use crate::date::{Date, DayCache, Timestamp};
use crate::error::{Error, ErrorKind, Result};
use crate::store::{limits, Merchant, Order, OrderStatus, StoreData, StoreType};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::BTreeMap;

/// How many skipped rows the report lists one by one (all are counted in `skipped`).
pub const MAX_LISTED_SKIPS: usize = 200;

/// Bytes between two progress callbacks.
const PROGRESS_STEP: u64 = 1 << 20;

/// A known export layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Preset {
    /// The project's own order CSV: one row per order, the StoreData order fields as columns.
    Generic,
    /// Shopify's order export: one row per line item, order fields on the order's first row.
    Shopify,
    /// The Olist marketplace tables (orders + items + reviews); see [`import_olist`].
    Olist,
    /// Any other layout, through a user-supplied [`ColumnMapping`].
    Mapping,
}

impl Preset {
    /// Every preset, in detection order.
    pub const ALL: [Preset; 4] = [Preset::Generic, Preset::Shopify, Preset::Olist, Preset::Mapping];

    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Preset::Generic => "generic",
            Preset::Shopify => "shopify",
            Preset::Olist => "olist",
            Preset::Mapping => "mapping",
        }
    }

    /// Parses a snake_case name.
    pub fn parse(s: &str) -> Option<Preset> {
        Preset::ALL.into_iter().find(|p| p.as_str().eq_ignore_ascii_case(s.trim()))
    }

    /// Detects the preset from a header row (`mapping` is never detected: it needs a mapping).
    ///
    /// ```
    /// use merchant_credit::store::import::Preset;
    /// assert_eq!(Preset::detect(&["Name", "Email", "Financial Status", "Created at", "Total"]), Some(Preset::Shopify));
    /// assert_eq!(Preset::detect(&["id", "placed_at", "amount"]), Some(Preset::Generic));
    /// assert_eq!(Preset::detect(&["foo", "bar"]), None);
    /// ```
    pub fn detect<S: AsRef<str>>(header: &[S]) -> Option<Preset> {
        let names: Vec<String> = header.iter().map(|h| norm(h.as_ref())).collect();
        let has = |n: &str| names.iter().any(|x| x == n);
        if has("name") && has("financial_status") && has("created_at") && has("total") {
            Some(Preset::Shopify)
        } else if has("order_id") && (has("order_purchase_timestamp") || (has("seller_id") && has("shipping_limit_date")) || has("review_score")) {
            Some(Preset::Olist)
        } else if [has("id") || has("order_id"), has("placed_at"), has("amount")].iter().filter(|&&x| x).count() >= 2 {
            // two of the three required columns: clearly meant as generic, and a missing one is
            // reported as such rather than as an unknown layout
            Some(Preset::Generic)
        } else {
            None
        }
    }
}

/// The text encoding of the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Encoding {
    /// UTF-8 (BOM optional) or UTF-16 with a BOM; otherwise GB18030 if the bytes decode as it.
    #[default]
    Auto,
    /// UTF-8 only.
    Utf8,
    /// GBK (decoded as GB18030, its superset).
    Gbk,
    /// GB18030.
    Gb18030,
}

/// What to import and how. Every field is optional; `Default` auto-detects everything.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ImportOptions {
    /// The layout; detected from the header row when absent.
    pub preset: Option<Preset>,
    /// The column mapping for [`Preset::Mapping`] (giving one implies that preset).
    pub mapping: Option<ColumnMapping>,
    /// Text encoding.
    pub encoding: Encoding,
    /// Field delimiter; sniffed from the header row when absent.
    pub delimiter: Option<char>,
    /// The store's id (default `merchant`). For Olist: import only this seller.
    pub merchant_id: Option<String>,
    /// When the store opened (default: the date of its first order, noted in the report).
    pub opened_on: Option<Date>,
    /// The evaluation date (default: the latest date in the data, noted in the report). Orders
    /// placed after it are skipped; shipping and delivery after it are not yet known and dropped.
    pub as_of: Option<Date>,
    /// ISO 4217 currency when the file has no currency column (Olist is always BRL).
    pub currency: Option<String>,
    /// The store type (default `reseller`).
    pub store_type: Option<StoreType>,
    /// The platform name written to `merchant.platform` (default: the preset's, if any).
    pub platform: Option<String>,
}

/// One row that was not imported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkippedRow {
    /// The table (multi-table imports only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table: Option<String>,
    /// 1-based line where the row starts in the file.
    pub line: u64,
    /// The column at fault, when one is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    /// Why.
    pub reason: String,
}

/// What an import read, kept, skipped and assumed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportReport {
    /// The preset used.
    pub preset: Preset,
    /// True when the preset was detected from the header rather than given.
    pub detected: bool,
    /// The encoding found (`utf-8`, `utf-8-bom`, `utf-16le`, `gb18030`).
    pub encoding: String,
    /// The field delimiter used.
    pub delimiter: String,
    /// Input size in bytes (all tables).
    pub bytes: u64,
    /// Data rows read (header rows excluded; all tables).
    pub rows: u64,
    /// Orders imported (all stores).
    pub orders: u64,
    /// Stores built.
    pub stores: u64,
    /// Rows not imported (malformed, duplicate, after `as_of`, other currency...).
    pub skipped: u64,
    /// The first skipped rows with line and reason.
    pub skipped_rows: Vec<SkippedRow>,
    /// Of the skipped rows, those repeating an order id already imported.
    pub duplicates: u64,
    /// The store's currency.
    pub currency: Option<String>,
    /// Rows per currency seen (rows in another currency than the store's are skipped).
    pub currencies: BTreeMap<String, u64>,
    /// The earliest order imported.
    pub first_order: Option<Timestamp>,
    /// The latest order imported.
    pub last_order: Option<Timestamp>,
    /// Orders imported per status.
    pub statuses: BTreeMap<String, u64>,
    /// The evaluation date used.
    pub as_of: Option<Date>,
    /// The opening date used (single-store imports).
    pub opened_on: Option<Date>,
    /// Everything assumed or adjusted, in plain words.
    pub notes: Vec<String>,
}

impl ImportReport {
    fn new(preset: Preset, detected: bool) -> ImportReport {
        ImportReport {
            preset,
            detected,
            encoding: String::new(),
            delimiter: ",".into(),
            bytes: 0,
            rows: 0,
            orders: 0,
            stores: 0,
            skipped: 0,
            skipped_rows: Vec::new(),
            duplicates: 0,
            currency: None,
            currencies: BTreeMap::new(),
            first_order: None,
            last_order: None,
            statuses: BTreeMap::new(),
            as_of: None,
            opened_on: None,
            notes: Vec::new(),
        }
    }

    /// Counts a skipped row and lists it if the list is not full.
    pub(crate) fn skip(&mut self, table: Option<&str>, line: u64, column: Option<&str>, reason: impl Into<String>) {
        self.skipped += 1;
        if self.skipped_rows.len() < MAX_LISTED_SKIPS {
            self.skipped_rows.push(SkippedRow {
                table: table.map(str::to_string),
                line,
                column: column.map(str::to_string),
                reason: reason.into(),
            });
        }
    }

    fn count_orders(&mut self, orders: &[Order]) {
        let mut tally = Tally::default();
        for o in orders {
            tally.add(o);
        }
        self.add_tally(&tally);
    }

    /// Adds the statuses, first and last order, and number of orders of a tally.
    fn add_tally(&mut self, tally: &Tally) {
        for t in [tally.first, tally.last].into_iter().flatten() {
            self.first_order = Some(self.first_order.map_or(t, |f| f.min(t)));
            self.last_order = Some(self.last_order.map_or(t, |l| l.max(t)));
        }
        for (s, &c) in OrderStatus::ALL.iter().zip(&tally.counts) {
            if c > 0 {
                *self.statuses.entry(s.as_str().to_string()).or_insert(0) += c;
            }
        }
        self.orders += tally.n;
    }
}

/// A single-store import: the store and what happened on the way.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Import {
    /// The validated store.
    pub store: StoreData,
    /// The import report.
    pub report: ImportReport,
}

/// Imports one store from a CSV export (preset `generic`, `shopify` or `mapping`).
///
/// `progress(bytes_done, bytes_total)` is called about every MiB and once at the end. Use
/// [`import_olist`] for the Olist tables (several files, one store per seller).
pub fn import_csv(bytes: &[u8], opts: &ImportOptions, progress: &mut dyn FnMut(u64, u64)) -> Result<Import> {
    let total = bytes.len() as u64;
    let src = Source::open(bytes, opts, "")?;
    let header = src.header.clone();
    let (preset, detected) = match (opts.preset, &opts.mapping) {
        (Some(p), _) => (p, false),
        (None, Some(_)) => (Preset::Mapping, false),
        (None, None) => match Preset::detect(&header) {
            Some(p) => (p, true),
            None => {
                return Err(csv_err(
                    format!(
                        "the header matches no preset (columns: {}); expected the generic columns (id, placed_at, amount, ...), a Shopify order export (Name, Financial Status, Created at, Total, ...) or the Olist tables, or give a column mapping",
                        list_columns(&header)
                    ),
                    "line 1",
                ))
            }
        },
    };
    let mut report = ImportReport::new(preset, detected);
    report.encoding = src.encoding.to_string();
    report.delimiter = (src.delimiter as char).to_string();
    report.bytes = total;
    let mut sink = Sink { prepare: opts.as_of.is_none().then(Default::default), ..Sink::default() };
    let mut prog = Progress::new(total, src.scale(), progress);
    match preset {
        Preset::Generic | Preset::Mapping => {
            let mapping = match (preset, &opts.mapping) {
                (Preset::Mapping, Some(m)) => m.clone(),
                (Preset::Mapping, None) => return Err(Error::new(ErrorKind::Csv("the mapping preset needs a column mapping".into()), "mapping")),
                _ => ColumnMapping::generic(),
            };
            table::run(&src, &mapping, preset, &mut report, &mut sink, &mut prog)?;
        }
        Preset::Shopify => shopify::run(&src, &mut report, &mut sink, &mut prog)?,
        Preset::Olist => {
            return Err(csv_err(
                "this is an Olist table: the olist preset joins several tables (orders, order items, reviews); import them together (CLI: `import --preset olist --dir DIR`)",
                "line 1",
            ))
        }
    }
    prog.finish();
    if sink.orders.is_empty() {
        return Err(no_orders(&report));
    }
    let currency = match (sink.currency.take(), &opts.currency) {
        (Some(c), _) => c,
        (None, Some(c)) => c.trim().to_ascii_uppercase(),
        (None, None) => {
            return Err(csv_err("the file has no currency column: give the currency (option `currency`, CLI `--currency`)", ""))
        }
    };
    if let (Some(n), Some(want)) = (sink.currency_rows, &opts.currency) {
        if !want.trim().eq_ignore_ascii_case(&currency) && n > 0 {
            report.notes.push(format!("the file's currency {currency} was used, not the {want} given"));
        }
    }
    report.currency = Some(currency.clone());
    if let Some(n) = sink.currency_rows {
        *report.currencies.entry(currency.clone()).or_insert(0) += n;
    }
    let mut orders = sink.orders;
    let mut lines = sink.lines;
    let as_of = settle_as_of(opts.as_of, sink.latest, &mut report)?;
    let (prepared, mut fixes) = match sink.prepare {
        Some((p, f)) => (Some(p), f),
        None => (None, Fixes::default()),
    };
    let tally = finish_orders(&mut orders, &mut lines, as_of, &mut report, None, &mut fixes, prepared);
    fixes.note(as_of, &mut report);
    if orders.is_empty() {
        return Err(no_orders(&report));
    }
    // statuses, first and last order (the first order is the default opened_on): counted by
    // finish_orders' pass unless it then removed duplicates
    if tally.exact {
        report.add_tally(&tally);
    } else {
        report.count_orders(&orders);
    }
    let opened_on = match opts.opened_on {
        Some(d) => d,
        None => {
            let first = report.first_order.map_or(as_of, Timestamp::date);
            report.notes.push(format!(
                "opened_on not given: the first order's date {first} was used, so the store's age may be understated"
            ));
            first
        }
    };
    report.opened_on = Some(opened_on);
    report.stores = 1;
    let merchant_id = match &opts.merchant_id {
        Some(id) => id.clone(),
        None => {
            report.notes.push("merchant id not given: `merchant` was used".into());
            "merchant".into()
        }
    };
    let store = StoreData {
        schema: None,
        as_of,
        currency,
        merchant: Merchant {
            id: merchant_id,
            store_type: opts.store_type.unwrap_or_default(),
            opened_on,
            platform: opts.platform.clone().or_else(|| (preset == Preset::Shopify).then(|| "shopify".to_string())),
            category: None,
            region: None,
            declared_monthly_revenue: None,
        },
        owner: None,
        orders,
        monthly: Vec::new(),
        receivables: Vec::new(),
        liabilities: Vec::new(),
        repayments: Vec::new(),
    };
    // every order rule was checked row by row and finish_orders removed duplicate ids: the
    // store-level rules remain (the order rules again in debug builds)
    store.validate_with(true)?;
    Ok(Import { store, report })
}

// ---------------------------------------------------------------------------------------------
// shared machinery

pub(crate) fn csv_err(msg: impl Into<String>, path: impl Into<String>) -> Error {
    Error::new(ErrorKind::Csv(msg.into()), path)
}

fn no_orders(report: &ImportReport) -> Error {
    let first = report
        .skipped_rows
        .first()
        .map(|s| format!("; first: line {}{}: {}", s.line, s.column.as_deref().map(|c| format!(", column {c}")).unwrap_or_default(), s.reason))
        .unwrap_or_default();
    csv_err(format!("no order could be imported ({} rows read, {} skipped{first})", report.rows, report.skipped), "")
}

/// Normalizes a header name for matching: trimmed, lower case, spaces and dashes as `_`.
pub(crate) fn norm(s: &str) -> String {
    s.trim()
        .trim_start_matches('\u{feff}')
        .chars()
        .map(|c| if c == ' ' || c == '-' { '_' } else { c.to_ascii_lowercase() })
        .collect()
}

fn list_columns(header: &[String]) -> String {
    let mut s: Vec<&str> = header.iter().take(12).map(String::as_str).collect();
    if header.len() > 12 {
        s.push("...");
    }
    s.join(", ")
}

/// Decoded text of one input with its header row and delimiter.
pub(crate) struct Source<'a> {
    pub(crate) text: Cow<'a, [u8]>,
    /// `text` as `str`, when it is the input itself and valid UTF-8.
    text_str: Option<&'a str>,
    pub(crate) encoding: &'static str,
    pub(crate) delimiter: u8,
    pub(crate) header: Vec<String>,
    original_len: u64,
    /// Where the header row's read ended: (byte, line).
    data_start: (usize, u64),
}

impl<'a> Source<'a> {
    /// Decodes `bytes`, checks it is text with a header row, sniffs the delimiter.
    pub(crate) fn open(bytes: &'a [u8], opts: &ImportOptions, table: &str) -> Result<Source<'a>> {
        let at = |p: &str| if table.is_empty() { p.to_string() } else { format!("{table}, {p}") };
        if bytes.is_empty() {
            return Err(csv_err("empty file (0 bytes)", at("")).trim_path());
        }
        if bytes.len() > limits::MAX_CSV_BYTES {
            return Err(Error::new(
                ErrorKind::TooLarge(format!("CSV export of {} bytes; the limit is {}", bytes.len(), limits::MAX_CSV_BYTES)),
                at(""),
            )
            .trim_path());
        }
        let (text, encoding, text_str) = decode(bytes, opts.encoding).map_err(|m| csv_err(m, at("")).trim_path())?;
        if text.iter().all(|b| b.is_ascii_whitespace()) {
            return Err(csv_err("empty file: no header row", at("")).trim_path());
        }
        let delimiter = match opts.delimiter {
            Some(c) if c.is_ascii() && c != '"' && c != '\n' => c as u8,
            Some(c) => return Err(Error::new(ErrorKind::InvalidValue(format!("delimiter `{c}` must be one ASCII character other than quote and newline")), "delimiter")),
            None => sniff_delimiter(&text),
        };
        let mut rdr = reader(&text, delimiter);
        let header: Vec<String> = match rdr.byte_headers() {
            Ok(h) => h.iter().map(|f| String::from_utf8_lossy(f).trim().trim_start_matches('\u{feff}').to_string()).collect(),
            Err(e) => return Err(csv_err(format!("unreadable header row: {e}"), at("line 1"))),
        };
        if header.iter().all(String::is_empty) {
            return Err(csv_err("empty header row", at("line 1")));
        }
        let data_start = (rdr.position().byte() as usize, rdr.position().line());
        drop(rdr);
        Ok(Source { text, text_str, encoding, delimiter, header, original_len: bytes.len() as u64, data_start })
    }

    /// A record buffer for [`Source::rows`].
    pub(crate) fn record(&self) -> Record<'_> {
        Record::new(&self.text, self.text_str)
    }

    /// A reader positioned at the first data row.
    pub(crate) fn rows(&self) -> Rows<'_> {
        Rows::new(&self.text, self.delimiter, self.data_start.0, self.data_start.1)
    }

    /// About how many data rows the text holds, from the line length in its first 64 KiB
    /// (to pre-size the order vectors: no regrowth copies on a million-row import).
    pub(crate) fn estimated_rows(&self) -> usize {
        let head = self.text.get(..self.text.len().min(64 * 1024)).unwrap_or_default();
        let lines = head.iter().filter(|&&b| b == b'\n').count().max(1);
        let est = (self.text.len() as u128 * lines as u128 / head.len().max(1) as u128) as usize;
        // a little headroom, never more than the orders a store may hold
        (est + est / 16 + 16).min(limits::MAX_ORDERS + 1)
    }

    /// original bytes / decoded bytes, to report progress in the caller's units.
    fn scale(&self) -> f64 {
        if self.text.is_empty() {
            1.0
        } else {
            self.original_len as f64 / self.text.len() as f64
        }
    }

    /// The index of a column by normalized name.
    pub(crate) fn col(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| norm(h) == name)
    }
}

trait TrimPath {
    fn trim_path(self) -> Self;
}
impl TrimPath for Error {
    fn trim_path(self) -> Self {
        let p = self.path().trim_end_matches(", ").to_string();
        Error::new(self.kind().clone(), p)
    }
}

fn reader(text: &[u8], delimiter: u8) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new().delimiter(delimiter).flexible(true).has_headers(true).from_reader(text)
}

/// The decoded text, its encoding's name, and the text as `str` when it is the caller's own
/// bytes and valid UTF-8 (so that fields split from it are text without checking each).
type Decoded<'a> = (Cow<'a, [u8]>, &'static str, Option<&'a str>);

fn decode(bytes: &[u8], enc: Encoding) -> std::result::Result<Decoded<'_>, String> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return check_text(rest).map(|()| (Cow::Borrowed(rest), "utf-8-bom", std::str::from_utf8(rest).ok()));
    }
    for (bom, le, label) in [(&b"\xFF\xFE"[..], true, "utf-16le"), (&b"\xFE\xFF"[..], false, "utf-16be")] {
        if let Some(rest) = bytes.strip_prefix(bom) {
            // std's UTF-16 decoder (no encoding_rs needed): an odd length or an unpaired surrogate is an error.
            let units = rest.chunks_exact(2).map(|c| {
                let pair = [c.first().copied().unwrap_or(0), c.get(1).copied().unwrap_or(0)];
                if le { u16::from_le_bytes(pair) } else { u16::from_be_bytes(pair) }
            });
            let s: std::result::Result<String, _> = char::decode_utf16(units).collect();
            let b = match s {
                Ok(s) if rest.len() % 2 == 0 => s.into_bytes(),
                _ => return Err(format!("not valid {label} text")),
            };
            check_text(&b)?;
            return Ok((Cow::Owned(b), label, None));
        }
    }
    check_text(bytes)?;
    let utf8 = std::str::from_utf8(bytes);
    match (enc, utf8) {
        (Encoding::Auto | Encoding::Utf8, Ok(s)) => Ok((Cow::Borrowed(bytes), "utf-8", Some(s))),
        (Encoding::Utf8, Err(e)) => Err(format!(
            "not valid UTF-8 (byte {}); exports from Chinese platforms are often GBK: try encoding gbk",
            e.valid_up_to()
        )),
        #[cfg(feature = "gbk")]
        (Encoding::Auto | Encoding::Gbk | Encoding::Gb18030, _) => {
            let (s, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
            if had_errors {
                return Err("not text in a supported encoding (UTF-8, UTF-16 with BOM, GBK / GB18030)".into());
            }
            Ok((Cow::Owned(s.into_owned().into_bytes()), "gb18030", None))
        }
        // Built without the `gbk` feature (the wasm package decodes GBK with the platform's
        // TextDecoder at its boundary, so the core only ever sees UTF-8 there).
        #[cfg(not(feature = "gbk"))]
        (Encoding::Auto | Encoding::Gbk | Encoding::Gb18030, _) => Err(format!(
            "not valid UTF-8, and this build has no GBK / GB18030 decoder (cargo feature `gbk`){}",
            if enc == Encoding::Auto { "" } else { ": decode the text to UTF-8 first" }
        )),
    }
}

/// Rejects binary files: a NUL byte, or many control characters, in the first 64 KiB.
fn check_text(b: &[u8]) -> std::result::Result<(), String> {
    let head = b.get(..b.len().min(65_536)).unwrap_or(b);
    if let Some(i) = head.iter().position(|&c| c == 0) {
        return Err(format!("binary file (a NUL byte at offset {i}); expected a CSV text export"));
    }
    let ctrl = head.iter().filter(|&&c| c < 0x20 && !matches!(c, b'\t' | b'\n' | b'\r' | 0x0c)).count();
    if ctrl * 100 > head.len().max(1) {
        return Err(format!("binary file ({ctrl} control bytes in the first {} bytes); expected a CSV text export", head.len()));
    }
    Ok(())
}

/// The delimiter most frequent outside quotes on the first line (comma when none).
/// The delimiter of a CSV: whichever of `,` `;` tab `|` occurs most often (outside quotes) in its
/// first line; `,` when none does.
pub(crate) fn sniff_delimiter(text: &[u8]) -> u8 {
    let mut counts = [0usize; 4];
    let cands = [b',', b';', b'\t', b'|'];
    let mut quoted = false;
    for &b in text.iter().take(64 * 1024) {
        match b {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => break,
            _ if !quoted => {
                if let Some(i) = cands.iter().position(|&c| c == b) {
                    if let Some(c) = counts.get_mut(i) {
                        *c += 1;
                    }
                }
            }
            _ => {}
        }
    }
    let mut best = (0usize, b',');
    for (c, n) in cands.iter().zip(counts) {
        if n > best.0 {
            best = (n, *c);
        }
    }
    best.1
}

/// One step of the row loop that every preset shares.
pub(crate) enum Row {
    /// A record with the right number of fields, on this line.
    Ok(u64),
    /// A row counted as skipped (unreadable, or the wrong number of fields).
    Skipped,
    /// No more rows.
    End,
}

/// Reads the next record into `rec` and counts it. An unreadable row, or one whose number of
/// fields differs from the header's, is counted as a skip with its line number, never dropped
/// silently; progress is reported in bytes.
pub(crate) fn read_row<'t>(rdr: &mut Rows<'t>, rec: &mut Record<'t>, width: usize, table: Option<&str>, report: &mut ImportReport, prog: &mut Progress<'_>) -> Row {
    let at = rdr.byte();
    let line = match rdr.next(rec) {
        Ok(Some(line)) => line,
        Ok(None) => return Row::End,
        Err(e) => {
            report.rows += 1;
            report.skip(table, e.line, None, format!("unreadable row: {}", e.message));
            return Row::Skipped;
        }
    };
    report.rows += 1;
    prog.at(at);
    if rec.len() != width {
        report.skip(table, line, None, format!("the row has {} fields, the header has {width}", rec.len()));
        return Row::Skipped;
    }
    Row::Ok(line)
}

/// Calls the progress callback about every [`PROGRESS_STEP`] bytes.
pub(crate) struct Progress<'p> {
    total: u64,
    base: u64,
    next: u64,
    scale: f64,
    f: &'p mut dyn FnMut(u64, u64),
}

impl<'p> Progress<'p> {
    pub(crate) fn new(total: u64, scale: f64, f: &'p mut dyn FnMut(u64, u64)) -> Progress<'p> {
        Progress { total, base: 0, next: PROGRESS_STEP, scale, f }
    }
    /// `pos` decoded bytes into the current input.
    #[inline]
    pub(crate) fn at(&mut self, pos: u64) {
        if pos >= self.next {
            self.next = pos + PROGRESS_STEP;
            let done = (self.base + (pos as f64 * self.scale) as u64).min(self.total);
            (self.f)(done, self.total);
        }
    }
    /// Moves on to the next input (multi-table imports).
    pub(crate) fn next_input(&mut self, done_bytes: u64, scale: f64) {
        self.base += done_bytes;
        self.next = PROGRESS_STEP;
        self.scale = scale;
    }
    pub(crate) fn finish(&mut self) {
        (self.f)(self.total, self.total);
    }
}

/// Orders collected by a preset, with their line numbers.
#[derive(Default)]
pub(crate) struct Sink {
    pub(crate) orders: Vec<Order>,
    pub(crate) lines: Vec<u64>,
    /// The store's currency (the first seen in the file).
    pub(crate) currency: Option<String>,
    /// Rows in that currency (None when the file has no currency column).
    pub(crate) currency_rows: Option<u64>,
    /// The latest placed, shipped or delivered time of the orders (the default `as_of`), kept
    /// up to date as they are added rather than found by another pass over them.
    pub(crate) latest: Option<Timestamp>,
    /// Set when `as_of` is not given: each order is then fixed, hashed and counted as it is
    /// added (while it is in the cache), not in another pass over all of them.
    pub(crate) prepare: Option<(Prepared, Fixes)>,
}

impl Sink {
    /// Room for `rows` orders (from [`Source::estimated_rows`]): no regrowth copies on a
    /// million-row import, and the orders' memory in huge pages where the system has them.
    pub(crate) fn reserve(&mut self, rows: usize) {
        self.orders.reserve(rows);
        self.lines.reserve(rows);
        huge_pages(&mut self.orders);
        huge_pages(&mut self.lines);
    }

    /// Adds an order read on `line`.
    #[inline]
    pub(crate) fn push(&mut self, mut o: Order, line: u64) {
        // the latest date is taken before any fix, as the default as_of always was
        let mut t = o.placed_at;
        for e in [o.shipped_at, o.delivered_at].into_iter().flatten() {
            t = t.max(e);
        }
        self.latest = Some(self.latest.map_or(t, |l| l.max(t)));
        if let Some((prepared, fixes)) = &mut self.prepare {
            fixes.consistency(&mut o);
            if prepared.hashes.capacity() == prepared.hashes.len() {
                // as many as the orders' room (pre-sized from the file): no regrowth copies
                prepared.hashes.reserve(self.orders.capacity().saturating_sub(self.orders.len()).max(1024));
                huge_pages(&mut prepared.hashes);
            }
            prepared.hashes.push(id_hash(o.id.as_bytes()));
            prepared.tally.add(&o);
        }
        self.orders.push(o);
        self.lines.push(line);
    }

    /// [`Sink::currency`] on the bytes of a field from [`raw_field`]: the store's currency again
    /// (the usual case) is counted without looking further.
    #[inline]
    pub(crate) fn currency_bytes(&mut self, c: &[u8], report: &mut ImportReport) -> std::result::Result<(), String> {
        if c.is_empty() {
            return Ok(());
        }
        if let (Some(cur), Some(n)) = (&self.currency, &mut self.currency_rows) {
            if cur.as_bytes().eq_ignore_ascii_case(c) {
                *n += 1;
                return Ok(());
            }
        }
        self.currency(text(c)?, report)
    }

    /// Checks a row's currency against the store's; `Err` (with the reason) when it differs.
    pub(crate) fn currency(&mut self, c: &str, report: &mut ImportReport) -> std::result::Result<(), String> {
        let c = c.trim();
        if c.is_empty() {
            return Ok(());
        }
        match &self.currency {
            Some(cur) if cur.eq_ignore_ascii_case(c) => {
                *self.currency_rows.get_or_insert(0) += 1;
                Ok(())
            }
            Some(cur) => {
                *report.currencies.entry(c.to_ascii_uppercase()).or_insert(0) += 1;
                Err(format!("currency {c} differs from the store's {cur} (the first one in the file)"))
            }
            None => {
                let up = c.to_ascii_uppercase();
                crate::store::check_currency(&up).map_err(|k| k.to_string())?;
                self.currency = Some(up);
                self.currency_rows = Some(1);
                Ok(())
            }
        }
    }
}

/// Asks Linux to back a large vector's memory with transparent huge pages (2 MiB) when it is
/// set to do so on request (`/sys/kernel/mm/transparent_hugepage/enabled` = `madvise`, the
/// usual default). A million orders are 152 MB written into fresh memory: in 4 KiB pages that
/// is 37,000 page faults, about an eighth of the import's time; in huge pages, 75. Nothing else
/// changes: where huge pages are off or unavailable the call fails (ignored) and the pages are
/// ordinary ones.
// MADV_HUGEPAGE is 14 on these (the generic Linux ABI); some other architectures number it differently
#[cfg(all(target_os = "linux", any(target_arch = "x86_64", target_arch = "aarch64")))]
fn huge_pages<T>(v: &mut Vec<T>) {
    use std::ffi::{c_int, c_void};
    const HUGE: usize = 2 << 20;
    const MADV_HUGEPAGE: c_int = 14;
    extern "C" {
        // libc's, which std links on Linux
        fn madvise(addr: *mut c_void, len: usize, advice: c_int) -> c_int;
    }
    let cap = v.capacity().saturating_mul(std::mem::size_of::<T>());
    if cap < 2 * HUGE {
        return;
    }
    let base = v.as_mut_ptr().cast::<u8>();
    // the whole huge pages within the allocation
    let start = base as usize;
    let from = start.next_multiple_of(HUGE) - start;
    let to = ((start + cap) & !(HUGE - 1)).saturating_sub(start);
    if to > from {
        // SAFETY: [base + from, base + to) lies within the vector's own allocation;
        // MADV_HUGEPAGE only changes which physical pages the kernel backs it with, never its
        // contents or whether it is mapped, so no Rust value or invariant is affected. The
        // result is ignored: an error leaves ordinary pages.
        let _ = unsafe { madvise(base.wrapping_add(from).cast::<c_void>(), to - from, MADV_HUGEPAGE) };
    }
}

#[cfg(not(all(target_os = "linux", any(target_arch = "x86_64", target_arch = "aarch64"))))]
fn huge_pages<T>(_: &mut Vec<T>) {}

/// The evaluation date: given, or the latest event in the data (`latest`, see [`Sink::push`]).
pub(crate) fn settle_as_of(given: Option<Date>, latest: Option<Timestamp>, report: &mut ImportReport) -> Result<Date> {
    let d = match given {
        Some(d) => d,
        None => {
            let latest = latest.ok_or_else(|| no_orders(report))?;
            let d = latest.date();
            report.notes.push(format!("as_of not given: the latest date in the data, {d}, was used"));
            d
        }
    };
    report.as_of = Some(d);
    Ok(d)
}

/// Point-in-time and consistency fixes shared by every preset, then duplicate removal:
/// orders placed after `as_of` are skipped; shipping / delivery after `as_of` is dropped
/// (status falls back to what was known then); dates before the order was placed are dropped;
/// refunds above the amount are capped. Each kind of fix is counted in a note.
pub(crate) fn finish_orders(
    orders: &mut Vec<Order>,
    lines: &mut Vec<u64>,
    as_of: Date,
    report: &mut ImportReport,
    table: Option<&str>,
    fixes: &mut Fixes,
    prepared: Option<Prepared>,
) -> Tally {
    let keep = vec![true; orders.len()];
    let (mut keep, hashes, mut tally) = match prepared {
        // the orders were fixed, hashed and counted as they were read (see [`Sink::push`])
        Some(Prepared { hashes, tally }) => (keep, hashes, tally),
        None => sweep(orders, lines, as_of, report, table, fixes, keep),
    };
    tally.exact = true;
    let dups = duplicates_hashed(orders, &keep, hashes);
    if !dups.is_empty() {
        // the tally counted orders now found to be duplicates
        tally.exact = false;
    }
    for (i, first) in dups {
        if let Some(k) = keep.get_mut(i) {
            *k = false;
        }
        report.duplicates += 1;
        let id = orders.get(i).map_or("", |o| o.id.as_str());
        let first = lines.get(first).copied().unwrap_or(0);
        report.skip(table, lines.get(i).copied().unwrap_or(0), Some("id"), format!("duplicate order id `{id}` (first on line {first})"));
    }
    if keep.iter().any(|k| !k) {
        let mut it = keep.iter();
        orders.retain(|_| it.next().copied().unwrap_or(false));
        let mut it = keep.iter();
        lines.retain(|_| it.next().copied().unwrap_or(false));
    }
    tally
}

/// The pass of [`finish_orders`] over orders read without `as_of` known: the point-in-time fixes,
/// then the consistency fixes, hashing the ids and counting what is kept.
fn sweep(orders: &mut [Order], lines: &[u64], as_of: Date, report: &mut ImportReport, table: Option<&str>, fixes: &mut Fixes, mut keep: Vec<bool>) -> (Vec<bool>, Vec<u64>, Tally) {
    let mut tally = Tally::default();
    let end = as_of.add_days(1).start();
    let mut hashes = vec![0u64; orders.len()];
    for (i, o) in orders.iter_mut().enumerate() {
        let line = lines.get(i).copied().unwrap_or(0);
        if o.placed_at >= end {
            if let Some(k) = keep.get_mut(i) {
                *k = false;
            }
            report.skip(table, line, None, format!("order {} placed {} after as_of {as_of}", o.id, o.placed_at));
            continue;
        }
        if let Some(h) = hashes.get_mut(i) {
            *h = id_hash(o.id.as_bytes());
        }
        if o.shipped_at.is_some_and(|t| t >= end) {
            o.shipped_at = None;
            fixes.future_events += 1;
        }
        if o.delivered_at.is_some_and(|t| t >= end) {
            o.delivered_at = None;
            fixes.future_events += 1;
            if o.status == OrderStatus::Delivered {
                o.status = if o.shipped_at.is_some() { OrderStatus::Shipped } else { OrderStatus::Pending };
            }
        }
        fixes.consistency(o);
        tally.add(o);
    }
    (keep, hashes, tally)
}

/// Orders fixed, hashed and counted while they were read (possible when `as_of` is not given:
/// it is then the latest date in the data, so no order or event can be after it, and the
/// point-in-time fixes that must come first never apply).
#[derive(Debug, Default)]
pub(crate) struct Prepared {
    hashes: Vec<u64>,
    tally: Tally,
}

/// What [`ImportReport::count_orders`] finds, gathered by [`finish_orders`] in its pass over the
/// orders; `exact` is false when duplicates were removed after it (then count again).
#[derive(Debug, Default)]
pub(crate) struct Tally {
    counts: [u64; 6],
    first: Option<Timestamp>,
    last: Option<Timestamp>,
    n: u64,
    exact: bool,
}

impl Tally {
    #[inline]
    fn add(&mut self, o: &Order) {
        // the index in OrderStatus::ALL
        let i = match o.status {
            OrderStatus::Pending => 0,
            OrderStatus::Shipped => 1,
            OrderStatus::Delivered => 2,
            OrderStatus::Cancelled => 3,
            OrderStatus::Refunded => 4,
            OrderStatus::Disputed => 5,
        };
        debug_assert_eq!(OrderStatus::ALL.get(i), Some(&o.status));
        if let Some(c) = self.counts.get_mut(i) {
            *c += 1;
        }
        self.first = Some(self.first.map_or(o.placed_at, |t| t.min(o.placed_at)));
        self.last = Some(self.last.map_or(o.placed_at, |t| t.max(o.placed_at)));
        self.n += 1;
    }
}

/// The orders (among those kept) whose id an earlier kept order already has, as (index, index
/// of the first order with that id), in index order.
///
/// A million ids do not fit in the caches, so a hash table over all of them would miss the
/// cache on almost every lookup. Instead the ids are hashed in one sequential pass, spread
/// (stably, in index order) into partitions of about a thousand by the hash's top bits, and
/// each partition is checked with a small table that stays in L1. Equal hashes are confirmed by
/// comparing the ids, so the result does not depend on the hash function: the same on every
/// platform, and the same as checking every pair.
#[cfg(test)]
fn duplicates(orders: &[Order], keep: &[bool]) -> Vec<(usize, usize)> {
    duplicates_hashed(orders, keep, orders.iter().map(|o| id_hash(o.id.as_bytes())).collect())
}

/// [`duplicates`] with the ids' hashes ([`id_hash`]) computed already (by the pass over the
/// orders that decides which are kept: one pass over a million orders less).
fn duplicates_hashed(orders: &[Order], keep: &[bool], hashes: Vec<u64>) -> Vec<(usize, usize)> {
    let kept = |i: usize| keep.get(i).copied().unwrap_or(false);
    let n = orders.len();
    let bits = (n / 1024).max(1).ilog2().min(12);
    let parts = 1usize << bits;
    let part_of = |h: u64| if bits == 0 { 0 } else { (h >> (64 - bits)) as usize };
    // pass 1: partition sizes
    let mut starts = vec![0usize; parts + 1];
    for (i, &h) in hashes.iter().enumerate() {
        if kept(i) {
            if let Some(c) = starts.get_mut(part_of(h) + 1) {
                *c += 1;
            }
        }
    }
    for p in 1..=parts {
        let prev = starts.get(p - 1).copied().unwrap_or(0);
        if let Some(c) = starts.get_mut(p) {
            *c += prev;
        }
    }
    // pass 2: (low 32 bits of the hash, index) into the partitions, in index order
    let total = starts.get(parts).copied().unwrap_or(0);
    let mut entries = Vec::with_capacity(total);
    huge_pages(&mut entries);
    entries.resize(total, 0u64);
    let mut fill = starts.clone();
    for (i, &h) in hashes.iter().enumerate() {
        if kept(i) {
            if let Some(at) = fill.get_mut(part_of(h)) {
                if let Some(e) = entries.get_mut(*at) {
                    // an index fits in 32 bits: an order takes at least two bytes of a CSV of at most 512 MiB
                    *e = (h << 32) | i as u64;
                }
                *at += 1;
            }
        }
    }
    drop(hashes);
    // pass 3: each partition with a small open-addressing table of (position + 1)
    let mut dups = Vec::new();
    let mut table: Vec<u32> = Vec::new();
    for p in 0..parts {
        let part = entries.get(starts.get(p).copied().unwrap_or(0)..starts.get(p + 1).copied().unwrap_or(0)).unwrap_or_default();
        let size = (part.len() * 2).max(16).next_power_of_two();
        let mask = size - 1;
        table.clear();
        table.resize(size, 0);
        for (k, &e) in part.iter().enumerate() {
            let (tag, i) = (e >> 32, (e & 0xffff_ffff) as usize);
            let mut pos = tag as usize & mask;
            while let Some(slot) = table.get_mut(pos) {
                if *slot == 0 {
                    *slot = k as u32 + 1;
                    break;
                }
                let other = part.get(*slot as usize - 1).copied().unwrap_or(0);
                let j = (other & 0xffff_ffff) as usize;
                if other >> 32 == tag && orders.get(j).map(|o| o.id.as_str()) == orders.get(i).map(|o| o.id.as_str()) {
                    dups.push((i, j));
                    break;
                }
                pos = (pos + 1) & mask;
            }
        }
    }
    crate::sort::sort(&mut dups); // (usize, usize) pairs: equal ones are identical, any order is the same
    dups
}

/// A 64-bit hash of an id (8-byte words, multiply-xorshift mixing; every output bit depends on
/// every input byte).
#[inline]
fn id_hash(b: &[u8]) -> u64 {
    const K: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut h = (b.len() as u64).wrapping_mul(K);
    let mut chunks = b.chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        h = (h ^ u64::from_le_bytes(w)).wrapping_mul(K);
        h ^= h >> 29;
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut w = [0u8; 8];
        for (d, s) in w.iter_mut().zip(rest) {
            *d = *s;
        }
        h = (h ^ u64::from_le_bytes(w)).wrapping_mul(K);
    }
    h ^= h >> 32;
    h = h.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h ^ (h >> 29)
}

/// Counts of the adjustments [`finish_orders`] made, turned into report notes once at the end.
#[derive(Debug, Default)]
pub(crate) struct Fixes {
    future_events: u64,
    early: u64,
    capped: u64,
}

impl Fixes {
    /// Drops shipping / delivery dates before the order was placed, and delivery before
    /// shipping; caps refunds at the amount.
    #[inline]
    fn consistency(&mut self, o: &mut Order) {
        if o.shipped_at.is_some_and(|t| t < o.placed_at) {
            o.shipped_at = None;
            self.early += 1;
        }
        if o.delivered_at.is_some_and(|t| t < o.placed_at) {
            o.delivered_at = None;
            self.early += 1;
        }
        if let (Some(s), Some(d)) = (o.shipped_at, o.delivered_at) {
            if d < s {
                o.shipped_at = None;
                self.early += 1;
            }
        }
        if let Some(r) = o.refund_amount {
            if r.0 > o.amount.0 {
                o.refund_amount = Some(o.amount);
                self.capped += 1;
            }
        }
    }

    pub(crate) fn note(&self, as_of: Date, report: &mut ImportReport) {
        if self.future_events > 0 {
            report.notes.push(format!("{} shipping or delivery dates after as_of {as_of} were dropped (not yet known on that date)", self.future_events));
        }
        if self.early > 0 {
            report.notes.push(format!("{} shipping or delivery dates earlier than the order (or delivery before shipping) were dropped as inconsistent", self.early));
        }
        if self.capped > 0 {
            report.notes.push(format!("{} refunds larger than their order were capped at the order amount", self.capped));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// field parsers (no allocation on the happy path)

/// A row-level problem: the column and the reason.
pub(crate) struct RowError {
    pub(crate) column: Option<usize>,
    pub(crate) reason: String,
}

impl RowError {
    pub(crate) fn at(column: usize, reason: impl Into<String>) -> RowError {
        RowError { column: Some(column), reason: reason.into() }
    }
}

/// The text of field `i` (empty when the column is absent).
#[inline]
pub(crate) fn field<'r>(rec: &'r Record<'_>, i: Option<usize>) -> std::result::Result<&'r str, RowError> {
    match i {
        None => Ok(""),
        Some(i) => {
            if let Some(s) = rec.get_str(i) {
                // split from text known to be UTF-8: no check needed
                let b = s.as_bytes();
                let visible = |c: Option<&u8>| c.is_some_and(|c| (0x21..0x7f).contains(c));
                return Ok(if b.is_empty() || (visible(b.first()) && visible(b.last())) { s } else { s.trim() });
            }
            let b = rec.get(i).unwrap_or_default();
            std::str::from_utf8(b).map(str::trim).map_err(|_| RowError::at(i, "not valid text"))
        }
    }
}

/// The bytes of field `i`, trimmed as [`field`] trims them, without checking that they are
/// UTF-8 (empty when the column is absent). For fields that are parsed rather than kept: the
/// byte-level parsers below accept ASCII only and hand anything else to the text parsers, which
/// check it, so a field that is not valid text still fails with "not valid text".
#[inline(always)]
pub(crate) fn raw_field<'r>(rec: &'r Record<'_>, i: Option<usize>) -> std::result::Result<&'r [u8], RowError> {
    let Some(i) = i else { return Ok(b"") };
    let b = rec.get(i).unwrap_or_default();
    let visible = |c: Option<&u8>| c.is_some_and(|c| (0x21..0x7f).contains(c));
    if b.is_empty() || (visible(b.first()) && visible(b.last())) {
        // nothing to trim (only ASCII whitespace and some non-ASCII characters are trimmed)
        Ok(b)
    } else {
        trimmed_field(rec, i)
    }
}

/// The rare case of [`raw_field`], out of line so that the common case inlines.
#[cold]
#[inline(never)]
fn trimmed_field<'r>(rec: &'r Record<'_>, i: usize) -> std::result::Result<&'r [u8], RowError> {
    field(rec, Some(i)).map(str::as_bytes)
}

/// [`raw_field`], failing as [`field`] does when the field is not valid text: for fields only
/// compared with ASCII words.
#[inline]
pub(crate) fn text_field<'r>(rec: &'r Record<'_>, i: Option<usize>) -> std::result::Result<&'r [u8], RowError> {
    let b = raw_field(rec, i)?;
    match i {
        Some(i) if !b.is_ascii() && std::str::from_utf8(b).is_err() => Err(RowError::at(i, "not valid text")),
        _ => Ok(b),
    }
}

/// `b` as text, or the reason [`field`] gives when it is not UTF-8.
#[inline]
pub(crate) fn text(b: &[u8]) -> std::result::Result<&str, String> {
    std::str::from_utf8(b).map_err(|_| "not valid text".to_string())
}

/// [`parse_time`] on the bytes of a field from [`raw_field`]: the fixed-width forms are read
/// directly, everything else goes through the text parser (same values, same errors).
#[inline]
pub(crate) fn parse_time_bytes(b: &[u8], cache: &mut DayCache) -> std::result::Result<Option<Timestamp>, String> {
    if b.is_empty() {
        return Ok(None);
    }
    if let Some(t) = Timestamp::parse_fixed(b, true, cache) {
        return Ok(Some(t));
    }
    parse_time(text(b)?)
}

/// [`parse_money`] on the bytes of a field from [`raw_field`]: a plain decimal (`120`, `120.50`)
/// of at most 15 digits is read directly and exactly (integer / power of ten, both exact in
/// f64, so the one rounding is the division's: the same double `str::parse` gives); everything
/// else goes through the text parser.
#[inline]
pub(crate) fn parse_money_bytes(b: &[u8]) -> std::result::Result<Option<f64>, String> {
    if b.is_empty() {
        return Ok(None);
    }
    if let Some(v) = plain_decimal(b) {
        return crate::store::check_money(v).map(Some).map_err(|k| k.to_string());
    }
    parse_money(text(b)?)
}

/// `digits[.digits]` with at most 15 digits in all, as the nearest double; `None` otherwise
/// (also for `12.` and `.5`: the text parser decides those).
#[inline]
pub(crate) fn plain_decimal(b: &[u8]) -> Option<f64> {
    const POW10: [f64; 16] = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];
    let n = b.len();
    // at most 15 digits, and a dot
    if n == 0 || n > 16 {
        return None;
    }
    let mut m: u64 = 0;
    let mut dot = usize::MAX;
    for (k, &c) in b.iter().enumerate() {
        let d = c.wrapping_sub(b'0');
        if d < 10 {
            // at most 16 digits here, m < 10^16 < 2^64; exact in f64 (< 2^53) when at most 15
            m = m * 10 + u64::from(d);
        } else if c == b'.' && dot == usize::MAX {
            dot = k;
        } else {
            return None;
        }
    }
    if dot == usize::MAX {
        return (n <= 15).then_some(m as f64);
    }
    if dot == 0 || dot == n - 1 {
        return None;
    }
    // the one rounding is the division's: the same double `str::parse` gives
    Some(m as f64 / POW10.get(n - dot - 1).copied()?)
}

/// [`parse_rating`] on the bytes of a field from [`raw_field`].
#[inline]
pub(crate) fn parse_rating_bytes(b: &[u8]) -> std::result::Result<Option<u8>, String> {
    match b {
        [] => Ok(None),
        [d @ b'1'..=b'5'] => Ok(Some(d - b'0')),
        _ => parse_rating(text(b)?),
    }
}

/// Parses an amount: `120.5`, `1,234.50`, `12,50` (decimal comma), with an optional currency
/// sign. Empty is `None`.
pub(crate) fn parse_money(s: &str) -> std::result::Result<Option<f64>, String> {
    // fast path: a plain number (the common case) needs no currency-sign trimming
    let t = if s.as_bytes().first().is_some_and(u8::is_ascii_digit) {
        s
    } else {
        s.trim_start_matches(['$', '¥', '€', '£', '￥']).trim_start_matches("R$").trim()
    };
    if t.is_empty() {
        return Ok(None);
    }
    let v: f64 = match crate::number::parse_f64(t) {
        Some(v) => v,
        None => {
            // thousands separators or a decimal comma, the rare case: one small allocation
            let cleaned: String = if t.contains('.') {
                t.chars().filter(|&c| c != ',' && c != ' ').collect()
            } else if t.matches(',').count() == 1 {
                t.replace(',', ".")
            } else {
                t.chars().filter(|&c| c != ',').collect()
            };
            crate::number::parse_f64(&cleaned).ok_or_else(|| format!("`{s}` is not a number"))?
        }
    };
    crate::store::check_money(v).map(Some).map_err(|k| k.to_string())
}

/// Parses a date-time (the forms of [`Timestamp::parse`], plus `2025-06-30 10:00:00 +0800` as
/// Shopify writes it). Empty is `None`.
pub(crate) fn parse_time(s: &str) -> std::result::Result<Option<Timestamp>, String> {
    if s.is_empty() {
        return Ok(None);
    }
    if let Some(t) = Timestamp::parse(s) {
        return Ok(Some(t));
    }
    // "YYYY-MM-DD HH:MM:SS +hhmm": drop the space before the offset
    let b = s.as_bytes();
    let n = b.len();
    if n > 6 && n < 64 {
        if let (Some(b' '), Some(sign)) = (b.get(n - 6), b.get(n - 5)) {
            if *sign == b'+' || *sign == b'-' {
                let mut buf = [0u8; 64];
                let head = b.get(..n - 6).unwrap_or_default();
                let tail = b.get(n - 5..).unwrap_or_default();
                let len = head.len() + tail.len();
                if let Some(dst) = buf.get_mut(..head.len()) {
                    dst.copy_from_slice(head);
                }
                if let Some(dst) = buf.get_mut(head.len()..len) {
                    dst.copy_from_slice(tail);
                }
                if let Some(t) = buf.get(..len).and_then(|x| std::str::from_utf8(x).ok()).and_then(Timestamp::parse) {
                    return Ok(Some(t));
                }
            }
        }
    }
    Err(format!("unknown date format `{s}` (expected ISO-8601 like 2025-06-30 or 2025-06-30T10:00:00Z)"))
}

/// A 1-5 rating (`4`, `4.0`); empty is `None`.
pub(crate) fn parse_rating(s: &str) -> std::result::Result<Option<u8>, String> {
    if s.is_empty() {
        return Ok(None);
    }
    let v: f64 = crate::number::parse_f64(s).ok_or_else(|| format!("rating `{s}` is not a number"))?;
    if (1.0..=5.0).contains(&v) {
        Ok(Some(libm::round(v) as u8))
    } else {
        Err(format!("rating {s} is not within 1-5"))
    }
}

/// An order status from its common spellings (English and Chinese seller-center terms).
/// Takes the trimmed bytes of a field: ASCII case folding leaves non-ASCII bytes alone, so bytes
/// that are not UTF-8 match no status.
pub(crate) fn parse_status_bytes(s: &[u8]) -> Option<OrderStatus> {
    const TABLE: &[(&str, OrderStatus)] = &[
        ("delivered", OrderStatus::Delivered),
        ("completed", OrderStatus::Delivered),
        ("complete", OrderStatus::Delivered),
        ("closed", OrderStatus::Delivered),
        ("received", OrderStatus::Delivered),
        ("交易成功", OrderStatus::Delivered),
        ("已完成", OrderStatus::Delivered),
        ("已签收", OrderStatus::Delivered),
        ("shipped", OrderStatus::Shipped),
        ("in_transit", OrderStatus::Shipped),
        ("已发货", OrderStatus::Shipped),
        ("pending", OrderStatus::Pending),
        ("paid", OrderStatus::Pending),
        ("processing", OrderStatus::Pending),
        ("unfulfilled", OrderStatus::Pending),
        ("open", OrderStatus::Pending),
        ("待发货", OrderStatus::Pending),
        ("cancelled", OrderStatus::Cancelled),
        ("canceled", OrderStatus::Cancelled),
        ("voided", OrderStatus::Cancelled),
        ("已取消", OrderStatus::Cancelled),
        ("交易关闭", OrderStatus::Cancelled),
        ("refunded", OrderStatus::Refunded),
        ("returned", OrderStatus::Refunded),
        ("已退款", OrderStatus::Refunded),
        ("disputed", OrderStatus::Disputed),
        ("chargeback", OrderStatus::Disputed),
        ("纠纷", OrderStatus::Disputed),
    ];
    // the exact spelling first (the usual case, and a plain comparison); the words differ
    // from each other ignoring case, so this finds what the case-insensitive search would
    TABLE
        .iter()
        .find(|(k, _)| k.as_bytes() == s)
        .or_else(|| TABLE.iter().find(|(k, _)| k.as_bytes().eq_ignore_ascii_case(s)))
        .map(|(_, v)| *v)
}

/// Checks an id-like text against the StoreData limits.
pub(crate) fn check_id(s: &str, what: &str) -> std::result::Result<(), String> {
    if s.is_empty() {
        Err(format!("empty {what}"))
    } else if s.len() > limits::MAX_TEXT {
        Err(format!("{what} longer than {} bytes", limits::MAX_TEXT))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_forms() {
        assert_eq!(parse_money("120.5"), Ok(Some(120.5)));
        assert_eq!(parse_money("1,234.50"), Ok(Some(1234.5)));
        assert_eq!(parse_money("12,50"), Ok(Some(12.5)));
        assert_eq!(parse_money("$9"), Ok(Some(9.0)));
        assert_eq!(parse_money(""), Ok(None));
        assert!(parse_money("abc").is_err());
        assert!(parse_money("-3").is_err());
        assert!(parse_money("NaN").is_err());
    }

    #[test]
    fn time_forms() {
        assert_eq!(parse_time("2024-03-05 14:22:10 +0100").ok().flatten().map(|t| t.to_string()).as_deref(), Some("2024-03-05T13:22:10Z"));
        assert!(parse_time("30/06/2025").is_err());
        assert_eq!(parse_time(""), Ok(None));
    }

    /// A deterministic stream of short strings over the characters dates and amounts are made
    /// of, to compare the byte-level fast paths with the text parsers they stand in for.
    fn junk(seed: u64, alphabet: &[u8], templates: &[&str]) -> Vec<String> {
        let mut x = seed;
        let mut next = move || {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (x >> 33) as usize
        };
        let mut out = Vec::new();
        for _ in 0..200_000 {
            let t = templates[next() % templates.len()].as_bytes();
            let mut v: Vec<u8> = t.iter().map(|&c| if c == b'#' { b'0' + (next() % 10) as u8 } else { c }).collect();
            // a few random edits: replace, delete, insert
            for _ in 0..next() % 3 {
                if v.is_empty() {
                    break;
                }
                let i = next() % v.len();
                match next() % 3 {
                    0 => v[i] = alphabet[next() % alphabet.len()],
                    1 => {
                        v.remove(i);
                    }
                    _ => v.insert(i, alphabet[next() % alphabet.len()]),
                }
            }
            out.push(String::from_utf8_lossy(&v).into_owned());
        }
        out
    }

    #[test]
    fn fixed_width_times_agree_with_the_general_parser() {
        let templates = [
            "####-##-##",
            "####-##-##T##:##:##Z",
            "####-##-## ##:##:##",
            "####-##-##T##:##:##+##:##",
            "####-##-##T##:##:##-####",
            "####-##-## ##:##:## +####",
            "####-##-## ##:##:## -##:##",
            "20##-0#-1#T1#:##:##Z",
            "20##-02-2#",
            "2024-02-29 23:59:60 +1800",
            "####/#/## #:##",
        ];
        let mut cache = DayCache::default();
        for s in junk(7, b"0123456789-:TZ +/.z", &templates) {
            // the fast path with a warm cache, then the text parsers (cold)
            let fast = parse_time_bytes(s.trim().as_bytes(), &mut cache);
            let slow = parse_time(s.trim());
            assert_eq!(fast, slow, "{s:?}");
            assert_eq!(Timestamp::parse(&s), Timestamp::parse_fixed(s.trim().as_bytes(), false, &mut cache).or_else(|| Timestamp::parse(&s)), "{s:?}");
        }
    }

    #[test]
    fn plain_decimals_agree_with_str_parse() {
        let templates = ["#", "##.##", "####.#", "#.###############", "###############", "################", "0.1", "9999999999999.99", "10000000000000.5", "#####.##"];
        for s in junk(11, b"0123456789.,$ -e", &templates) {
            assert_eq!(parse_money_bytes(s.trim().as_bytes()), parse_money(s.trim()), "{s:?}");
        }
        assert_eq!(parse_money_bytes(b"0.3"), Ok(Some(0.3)));
        assert_eq!(parse_money_bytes(b"123456789012.34"), Ok(Some(123_456_789_012.34)));
    }

    #[test]
    fn duplicates_match_the_pairwise_definition() {
        let mk = |id: String| Order {
            id,
            placed_at: Timestamp(0),
            amount: crate::store::Money(1.0),
            status: OrderStatus::Delivered,
            refund_amount: None,
            buyer_id: None,
            ship_by: None,
            promised_by: None,
            shipped_at: None,
            delivered_at: None,
            rating: None,
        };
        for n in [0usize, 1, 5, 3000, 70_000] {
            let orders: Vec<Order> = (0..n).map(|i| mk(format!("o{}", (i * 7919) % (n / 2 + 1)))).collect();
            let keep: Vec<bool> = (0..n).map(|i| i % 11 != 3).collect();
            let mut first: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
            let mut want = Vec::new();
            for (i, o) in orders.iter().enumerate() {
                if !keep[i] {
                    continue;
                }
                match first.get(o.id.as_str()) {
                    Some(&j) => want.push((i, j)),
                    None => {
                        first.insert(&o.id, i);
                    }
                }
            }
            assert_eq!(duplicates(&orders, &keep), want, "n = {n}");
        }
    }

    #[test]
    fn fixes_while_reading_equal_fixes_after() {
        // without as_of the orders are fixed as they are read; with the same as_of given, in a
        // pass afterwards: the same store and report either way (but for the note on as_of)
        let csv = "id,placed_at,amount,status,refund_amount,shipped_at,delivered_at,buyer_id\n\
                   a,2025-03-01T10:00:00Z,10,delivered,,2025-02-01,2025-03-05,b1\n\
                   b,2025-03-02,20,delivered,25,2025-03-04,2025-03-03,b2\n\
                   a,2025-03-03,30,refunded,5,,,b3\n\
                   c,2025-03-04,40,shipped,,2025-03-09,,b1\n\
                   d,2025-03-05 12:00:00,50,cancelled,,,,\n\
                   c,2025-03-06,1,delivered,,,,\n";
        let run = |as_of: Option<Date>| {
            let opts = ImportOptions { currency: Some("EUR".into()), as_of, ..ImportOptions::default() };
            import_csv(csv.as_bytes(), &opts, &mut |_, _| {}).map_err(|e| e.to_string())
        };
        let read = run(None).unwrap();
        let mut after = run(Date::parse("2025-03-09")).unwrap();
        assert!(read.report.notes.iter().any(|n| n.starts_with("as_of not given")));
        after.report.notes.insert(0, read.report.notes[0].clone());
        assert_eq!(read.store, after.store);
        assert_eq!(read.report, after.report);
        assert_eq!(read.report.duplicates, 2);
        assert!(read.report.notes.iter().any(|n| n.contains("2 shipping or delivery dates earlier")));
        assert!(read.report.notes.iter().any(|n| n.contains("1 refunds larger")));
    }

    #[test]
    fn sniffs() {
        assert_eq!(sniff_delimiter(b"a;b;c\n1;2;3"), b';');
        assert_eq!(sniff_delimiter(b"a\tb\n"), b'\t');
        assert_eq!(sniff_delimiter(b"\"a;b\",c,d\n"), b',');
    }
}
