//! `import` (CSV exports and the Olist tables to StoreData JSON) and the CSV path of `evaluate`.

use crate::common::{read_bytes, read_text, write_out, CliError, CliResult};
use clap::Args;
use merchant_credit::date::Date;
use merchant_credit::store::import::{import_csv, import_olist, ColumnMapping, Encoding, Import, ImportOptions, ImportReport, OlistTables, Preset};
use merchant_credit::StoreData;
use std::path::{Path, PathBuf};

/// Options shared by `evaluate FILE.csv` and `import`.
#[derive(Args, Debug, Clone, Default)]
pub struct CsvArgs {
    /// Import preset: generic, shopify, olist or mapping (default: detected from the header row).
    #[arg(long, value_parser = parse_preset)]
    pub preset: Option<Preset>,
    /// A column mapping JSON file (implies --preset mapping); see docs/import.md.
    #[arg(long)]
    pub mapping: Option<PathBuf>,
    /// The store's id (Olist: the seller to import).
    #[arg(long = "merchant-id", alias = "seller")]
    pub merchant_id: Option<String>,
    /// When the store opened (default: its first order's date).
    #[arg(long = "opened-on", value_parser = parse_date)]
    pub opened_on: Option<Date>,
    /// The evaluation date (default: the latest date in the data).
    #[arg(long = "as-of", value_parser = parse_date)]
    pub as_of: Option<Date>,
    /// ISO 4217 currency, when the file has no currency column.
    #[arg(long)]
    pub currency: Option<String>,
    /// Text encoding: auto, utf8, gbk, gb18030.
    #[arg(long, value_parser = parse_encoding, default_value = "auto")]
    pub encoding: Encoding,
    /// Field delimiter (default: sniffed from the header row).
    #[arg(long)]
    pub delimiter: Option<char>,
}

fn parse_preset(s: &str) -> Result<Preset, String> {
    Preset::parse(s).ok_or_else(|| format!("unknown preset `{s}` (generic, shopify, olist, mapping)"))
}
fn parse_date(s: &str) -> Result<Date, String> {
    Date::parse(s).ok_or_else(|| format!("`{s}` is not a date like 2025-06-30"))
}
fn parse_encoding(s: &str) -> Result<Encoding, String> {
    serde_json::from_value(serde_json::Value::String(s.replace('-', "").to_ascii_lowercase())).map_err(|_| format!("unknown encoding `{s}` (auto, utf8, gbk, gb18030)"))
}

impl CsvArgs {
    fn options(&self) -> CliResult<ImportOptions> {
        let mapping = match &self.mapping {
            Some(p) => {
                let text = read_text(p)?;
                Some(ColumnMapping::from_json(&text).map_err(|e| CliError::Usage(format!("{}: {e}", p.display())))?)
            }
            None => None,
        };
        Ok(ImportOptions {
            preset: self.preset,
            mapping,
            encoding: self.encoding,
            delimiter: self.delimiter,
            merchant_id: self.merchant_id.clone(),
            opened_on: self.opened_on,
            as_of: self.as_of,
            currency: self.currency.clone(),
            ..ImportOptions::default()
        })
    }

    /// True when `file` should go through the CSV import rather than the JSON parser.
    pub fn wants_import(&self, file: &Path) -> bool {
        self.preset.is_some()
            || self.mapping.is_some()
            || file.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv") || e.eq_ignore_ascii_case("tsv") || e.eq_ignore_ascii_case("txt"))
    }
}

/// Draws a progress line on stderr for large inputs.
fn progress(total_hint: u64) -> impl FnMut(u64, u64) {
    let show = total_hint > 16 << 20;
    move |done, total| {
        if show && total > 0 {
            eprint!("\rimporting: {:>3}% of {} MB", done * 100 / total, total >> 20);
            if done == total {
                eprintln!();
            }
        }
    }
}

fn summary(r: &ImportReport) {
    eprintln!(
        "import: preset {}{}, encoding {}, {} rows, {} orders in {} store(s), {} skipped ({} duplicates)",
        r.preset.as_str(),
        if r.detected { " (detected)" } else { "" },
        r.encoding,
        r.rows,
        r.orders,
        r.stores,
        r.skipped,
        r.duplicates
    );
    for s in r.skipped_rows.iter().take(10) {
        let col = s.column.as_deref().map(|c| format!(", column {c}")).unwrap_or_default();
        let table = s.table.as_deref().map(|t| format!("{t} ")).unwrap_or_default();
        eprintln!("  skipped {table}line {}{col}: {}", s.line, s.reason);
    }
    if r.skipped as usize > 10 {
        eprintln!("  ... and {} more skipped rows (see the report)", r.skipped - 10);
    }
    for n in &r.notes {
        eprintln!("  note: {n}");
    }
}

/// Imports one CSV export for `evaluate` (the chosen preset is printed on stderr).
pub fn store_for_evaluate(file: &Path, a: &CsvArgs) -> CliResult<StoreData> {
    let opts = a.options()?;
    let bytes = read_bytes(file)?;
    let import: Import = import_csv(&bytes, &opts, &mut progress(bytes.len() as u64)).map_err(|e| CliError::input(file.display().to_string(), e))?;
    summary(&import.report);
    Ok(import.store)
}

#[derive(Args, Debug)]
pub struct ImportArgs {
    /// A CSV export (generic, shopify or mapping presets).
    pub file: Option<PathBuf>,
    /// Olist: the folder holding olist_orders_dataset.csv, olist_order_items_dataset.csv and
    /// (optional) the reviews, sellers, customers and closed-deals tables.
    #[arg(long)]
    pub dir: Option<PathBuf>,
    /// Olist: the closed-deals table (olist_closed_deals_dataset.csv: store type, segment,
    /// declared revenue, joining date) when it is not in --dir.
    #[arg(long, requires = "dir")]
    pub deals: Option<PathBuf>,
    /// Olist: the sellers table (olist_sellers_dataset.csv: region) when it is not in --dir.
    #[arg(long, requires = "dir")]
    pub sellers: Option<PathBuf>,
    /// Write one StoreData JSON per store into this folder (`<merchant id>.json`) plus
    /// `import-report.json`.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Print the store's JSON on stdout (one store only: with Olist, name it with --seller).
    #[arg(long)]
    pub stdout: bool,
    /// Print the import report JSON on stdout instead of the store.
    #[arg(long)]
    pub report: bool,
    /// Indent the JSON.
    #[arg(long)]
    pub pretty: bool,
    #[command(flatten)]
    pub csv: CsvArgs,
}

const OLIST_FILES: [&str; 6] = [
    "olist_orders_dataset.csv",
    "olist_order_items_dataset.csv",
    "olist_order_reviews_dataset.csv",
    "olist_sellers_dataset.csv",
    "olist_customers_dataset.csv",
    "olist_closed_deals_dataset.csv",
];

pub fn run(a: ImportArgs) -> CliResult {
    let opts = a.csv.options()?;
    let json = |v: &dyn erased::Ser| v.json(a.pretty);
    let (stores, report) = match (&a.dir, &a.file) {
        (Some(dir), None) => {
            if a.csv.preset.is_some_and(|p| p != Preset::Olist) {
                return Err(CliError::Usage("--dir is for the olist preset (several tables)".into()));
            }
            let mut data: Vec<Option<Vec<u8>>> = Vec::new();
            for (i, name) in OLIST_FILES.iter().enumerate() {
                let given = match i {
                    3 => a.sellers.clone(),
                    5 => a.deals.clone(),
                    _ => None,
                };
                if let Some(p) = given {
                    data.push(Some(read_bytes(&p)?));
                    continue;
                }
                let p = dir.join(name);
                if p.is_file() {
                    data.push(Some(read_bytes(&p)?));
                } else if i < 2 {
                    return Err(CliError::Usage(format!("{}: missing (the olist preset needs at least the orders and order items tables)", p.display())));
                } else {
                    data.push(None);
                }
            }
            let get = |i: usize| data.get(i).and_then(|d| d.as_deref());
            let tables = OlistTables { orders: get(0).unwrap_or_default(), items: get(1).unwrap_or_default(), reviews: get(2), sellers: get(3), customers: get(4), deals: get(5) };
            let total = data.iter().flatten().map(|d| d.len() as u64).sum();
            let out = import_olist(tables, &opts, &mut progress(total)).map_err(|e| CliError::input(dir.display().to_string(), e))?;
            (out.stores, out.report)
        }
        (None, Some(file)) => {
            let bytes = read_bytes(file)?;
            let out = import_csv(&bytes, &opts, &mut progress(bytes.len() as u64)).map_err(|e| CliError::input(file.display().to_string(), e))?;
            (vec![out.store], out.report)
        }
        _ => return Err(CliError::Usage("give a CSV file, or --dir DIR for the Olist tables".into())),
    };
    summary(&report);
    if a.report {
        return write_out(None, &json(&report));
    }
    match (&a.out, a.stdout) {
        (Some(dir), false) => {
            std::fs::create_dir_all(dir).map_err(|e| CliError::Other(format!("{}: {e}", dir.display())))?;
            for s in &stores {
                let name: String = s.merchant.id.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' }).collect();
                write_out(Some(&dir.join(format!("{name}.json"))), &json(s))?;
            }
            write_out(Some(&dir.join("import-report.json")), &json(&report))?;
            eprintln!("import: wrote {} store(s) to {}", stores.len(), dir.display());
            Ok(())
        }
        (None, true) | (None, false) => match stores.as_slice() {
            [one] => write_out(None, &json(one)),
            _ => Err(CliError::Usage(format!("{} stores imported: write them with --out DIR, or pick one with --seller ID", stores.len()))),
        },
        (Some(_), true) => Err(CliError::Usage("--out and --stdout exclude each other".into())),
    }
}

/// Serializes either a store or a report without naming the type twice.
mod erased {
    pub trait Ser {
        fn json(&self, pretty: bool) -> String;
    }
    impl<T: serde::Serialize> Ser for T {
        fn json(&self, pretty: bool) -> String {
            if pretty { serde_json::to_string_pretty(self) } else { serde_json::to_string(self) }.unwrap_or_default()
        }
    }
}
