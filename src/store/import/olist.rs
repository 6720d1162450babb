//! The `olist` preset: the Olist marketplace tables joined into one store per seller.
//!
//! An order's amount for a seller is the sum of that seller's item prices and freight in it;
//! `ship_by` is the earliest `shipping_limit_date` of those items. Dates come from the orders
//! table (`order_purchase_timestamp` -> `placed_at`, `order_delivered_carrier_date` ->
//! `shipped_at`, `order_delivered_customer_date` -> `delivered_at`,
//! `order_estimated_delivery_date` -> `promised_by`); the rating from the order's review (the
//! latest when there are several); the buyer is `customer_unique_id` when the customers table is
//! given, else `customer_id`; the region is `seller_state` when the sellers table is given.
//!
//! The closed-deals table of Olist's seller-acquisition funnel (`olist_closed_deals_dataset.csv`,
//! optional) adds what the seller told Olist when it joined: `business_type` -> `store_type`
//! (`reseller`, `manufacturer`; other values leave the default), `business_segment` ->
//! `category`, `declared_monthly_revenue` -> `declared_monthly_revenue` (0, which is 95% of the
//! funnel, means not declared), and `won_date` -> `opened_on` (the day the seller joined, or its
//! first order if that came earlier). Options given explicitly (`store_type`, `opened_on`) win.

use super::{Record, csv_err, field, finish_orders, Fixes, parse_money, parse_time, read_row, ImportOptions, ImportReport, Preset, Progress, Row, RowError, Source};
use crate::date::{Date, Timestamp};
use crate::error::Result;
use crate::store::{Merchant, Money, Order, OrderStatus, StoreData, StoreType};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// The Olist tables, as bytes (the CSV files' contents). Orders and items are required.
#[derive(Debug, Clone, Copy, Default)]
pub struct OlistTables<'a> {
    /// `olist_orders_dataset.csv`.
    pub orders: &'a [u8],
    /// `olist_order_items_dataset.csv`.
    pub items: &'a [u8],
    /// `olist_order_reviews_dataset.csv` (ratings).
    pub reviews: Option<&'a [u8]>,
    /// `olist_sellers_dataset.csv` (region).
    pub sellers: Option<&'a [u8]>,
    /// `olist_customers_dataset.csv` (buyers across orders: `customer_unique_id`).
    pub customers: Option<&'a [u8]>,
    /// `olist_closed_deals_dataset.csv` (store type, segment, declared revenue, joining date).
    pub deals: Option<&'a [u8]>,
}

/// What a seller declared when it joined Olist (a row of the closed-deals table).
#[derive(Default)]
struct Deal {
    store_type: Option<StoreType>,
    segment: Option<String>,
    declared: Option<f64>,
    won: Option<Date>,
}

/// Stores built from the Olist tables, one per seller, in seller-id order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OlistImport {
    /// The validated stores.
    pub stores: Vec<StoreData>,
    /// The import report over all tables.
    pub report: ImportReport,
}

struct ORow {
    customer: String,
    status: OrderStatus,
    placed: Timestamp,
    shipped: Option<Timestamp>,
    delivered: Option<Timestamp>,
    promised: Option<Timestamp>,
    line: u64,
    has_items: bool,
}

#[derive(Default)]
struct Acc {
    amount: f64,
    ship_by: Option<Timestamp>,
    line: u64,
}

/// Builds one store per seller from the Olist tables (or only the seller named by
/// `opts.merchant_id`).
///
/// `as_of` defaults to the latest event date in the orders table (purchase, carrier hand-over or
/// delivery), the same for every seller so they are compared on one date; `opened_on` defaults to
/// each seller's first order date (noted in the report: the store may be older). Orders with no
/// items cannot be attributed to a seller and are counted in a note. The currency is BRL.
///
/// ```
/// use merchant_credit::store::import::{import_olist, ImportOptions, OlistTables};
/// let orders = "order_id,customer_id,order_status,order_purchase_timestamp,order_approved_at,order_delivered_carrier_date,order_delivered_customer_date,order_estimated_delivery_date\n\
///   o1,c1,delivered,2018-01-02 10:00:00,,2018-01-03 10:00:00,2018-01-08 10:00:00,2018-01-20 00:00:00\n";
/// let items = "order_id,order_item_id,product_id,seller_id,shipping_limit_date,price,freight_value\n\
///   o1,1,p1,s1,2018-01-05 10:00:00,10.0,2.5\no1,2,p2,s1,2018-01-04 10:00:00,20.0,2.5\n";
/// let tables = OlistTables { orders: orders.as_bytes(), items: items.as_bytes(), ..Default::default() };
/// let out = import_olist(tables, &ImportOptions::default(), &mut |_, _| {}).unwrap();
/// assert_eq!(out.stores.len(), 1);
/// assert_eq!(out.stores[0].orders[0].amount.0, 35.0);
/// assert_eq!(out.stores[0].currency, "BRL");
/// ```
pub fn import_olist(tables: OlistTables<'_>, opts: &ImportOptions, progress: &mut dyn FnMut(u64, u64)) -> Result<OlistImport> {
    let total = [Some(tables.orders), Some(tables.items), tables.reviews, tables.sellers, tables.customers, tables.deals]
        .iter()
        .flatten()
        .map(|t| t.len() as u64)
        .sum();
    let mut report = ImportReport::new(Preset::Olist, false);
    report.bytes = total;
    report.currency = Some("BRL".into());
    let mut prog = Progress::new(total, 1.0, progress);

    // ---- orders
    let src = Source::open(tables.orders, opts, "orders")?;
    report.encoding = src.encoding.to_string();
    report.delimiter = (src.delimiter as char).to_string();
    let c = Need::new(&src, "orders");
    let (c_id, c_cust, c_status, c_placed) = (c.col("order_id")?, c.col("customer_id")?, c.col("order_status")?, c.col("order_purchase_timestamp")?);
    let (c_ship, c_deliv, c_prom) = (src.col("order_delivered_carrier_date"), src.col("order_delivered_customer_date"), src.col("order_estimated_delivery_date"));
    let mut orders: Vec<ORow> = Vec::new();
    let mut order_ix: HashMap<String, usize> = HashMap::new();
    let mut latest: Option<Timestamp> = None;
    each_row(&src, "orders", &mut report, &mut prog, |rec, line, report| {
        let id = field(rec, Some(c_id))?;
        if id.is_empty() {
            return Err(RowError::at(c_id, "empty order_id"));
        }
        let st = field(rec, Some(c_status))?;
        let status = match st {
            "delivered" => OrderStatus::Delivered,
            "shipped" => OrderStatus::Shipped,
            "canceled" | "cancelled" | "unavailable" => OrderStatus::Cancelled,
            "created" | "approved" | "invoiced" | "processing" => OrderStatus::Pending,
            _ => return Err(RowError::at(c_status, format!("unknown order_status `{st}`"))),
        };
        let t = |i: Option<usize>| -> std::result::Result<Option<Timestamp>, RowError> {
            match i {
                Some(i) => parse_time(field(rec, Some(i))?).map_err(|m| RowError::at(i, m)),
                None => Ok(None),
            }
        };
        let placed = t(Some(c_placed))?.ok_or_else(|| RowError::at(c_placed, "no purchase timestamp"))?;
        let row = ORow {
            customer: field(rec, Some(c_cust))?.to_string(),
            status,
            placed,
            shipped: t(c_ship)?,
            delivered: t(c_deliv)?,
            promised: t(c_prom)?,
            line,
            has_items: false,
        };
        for e in [Some(row.placed), row.shipped, row.delivered].into_iter().flatten() {
            latest = Some(latest.map_or(e, |l| l.max(e)));
        }
        if order_ix.contains_key(id) {
            report.duplicates += 1;
            return Err(RowError::at(c_id, format!("duplicate order_id {id}")));
        }
        order_ix.insert(id.to_string(), orders.len());
        orders.push(row);
        Ok(())
    })?;
    prog.next_input(tables.orders.len() as u64, 1.0);

    // ---- reviews: the latest review of each order
    let mut ratings: HashMap<String, (Timestamp, u8)> = HashMap::new();
    if let Some(bytes) = tables.reviews {
        let src = Source::open(bytes, opts, "reviews")?;
        let c = Need::new(&src, "reviews");
        let (r_order, r_score) = (c.col("order_id")?, c.col("review_score")?);
        let (r_created, r_answer) = (src.col("review_creation_date"), src.col("review_answer_timestamp"));
        each_row(&src, "reviews", &mut report, &mut prog, |rec, _line, _report| {
            let id = field(rec, Some(r_order))?;
            let s = field(rec, Some(r_score))?;
            let score = match s.parse::<u8>() {
                Ok(v) if (1..=5).contains(&v) => v,
                _ => return Err(RowError::at(r_score, format!("review_score `{s}` is not 1-5"))),
            };
            let when = [r_answer, r_created]
                .into_iter()
                .flatten()
                .map(|i| field(rec, Some(i)).ok().and_then(|x| parse_time(x).ok().flatten()))
                .fold(None, |a: Option<Timestamp>, b| match (a, b) {
                    (Some(a), Some(b)) => Some(a.max(b)),
                    (a, b) => a.or(b),
                })
                .unwrap_or(Timestamp(i64::MIN));
            match ratings.get_mut(id) {
                Some(e) if e.0 <= when => *e = (when, score),
                Some(_) => {}
                None => {
                    ratings.insert(id.to_string(), (when, score));
                }
            }
            Ok(())
        })?;
        prog.next_input(bytes.len() as u64, 1.0);
    } else {
        report.notes.push("no reviews table: orders carry no rating".into());
    }

    // ---- customers and sellers (optional lookups)
    let mut unique: HashMap<String, String> = HashMap::new();
    if let Some(bytes) = tables.customers {
        let src = Source::open(bytes, opts, "customers")?;
        let c = Need::new(&src, "customers");
        let (k, v) = (c.col("customer_id")?, c.col("customer_unique_id")?);
        each_row(&src, "customers", &mut report, &mut prog, |rec, _, _| {
            unique.insert(field(rec, Some(k))?.to_string(), field(rec, Some(v))?.to_string());
            Ok(())
        })?;
        prog.next_input(bytes.len() as u64, 1.0);
    }
    let mut regions: HashMap<String, String> = HashMap::new();
    if let Some(bytes) = tables.sellers {
        let src = Source::open(bytes, opts, "sellers")?;
        let c = Need::new(&src, "sellers");
        let (k, v) = (c.col("seller_id")?, c.col("seller_state")?);
        each_row(&src, "sellers", &mut report, &mut prog, |rec, _, _| {
            let state = field(rec, Some(v))?;
            if !state.is_empty() {
                regions.insert(field(rec, Some(k))?.to_string(), state.to_string());
            }
            Ok(())
        })?;
        prog.next_input(bytes.len() as u64, 1.0);
    }

    let mut deals: HashMap<String, Deal> = HashMap::new();
    if let Some(bytes) = tables.deals {
        let src = Source::open(bytes, opts, "deals")?;
        let c = Need::new(&src, "deals");
        let k = c.col("seller_id")?;
        let (c_type, c_segment) = (src.col("business_type"), src.col("business_segment"));
        let (c_declared, c_won) = (src.col("declared_monthly_revenue"), src.col("won_date"));
        each_row(&src, "deals", &mut report, &mut prog, |rec, _, _| {
            let seller = field(rec, Some(k))?;
            if seller.is_empty() {
                return Err(RowError::at(k, "empty seller_id"));
            }
            let text = |i: Option<usize>| -> std::result::Result<&str, RowError> { i.map_or(Ok(""), |i| field(rec, Some(i))) };
            let declared = match c_declared {
                Some(i) => parse_money(field(rec, Some(i))?).map_err(|m| RowError::at(i, m))?,
                None => None,
            };
            let won = match c_won {
                Some(i) => parse_time(field(rec, Some(i))?).map_err(|m| RowError::at(i, m))?.map(Timestamp::date),
                None => None,
            };
            let segment = text(c_segment)?;
            deals.insert(
                seller.to_string(),
                Deal {
                    store_type: match text(c_type)? {
                        "reseller" => Some(StoreType::Reseller),
                        "manufacturer" => Some(StoreType::Manufacturer),
                        _ => None,
                    },
                    segment: (!segment.is_empty()).then(|| segment.to_string()),
                    // the funnel writes 0 for "not declared" (797 of its 842 deals)
                    declared: declared.filter(|&x| x > 0.0),
                    won,
                },
            );
            Ok(())
        })?;
        prog.next_input(bytes.len() as u64, 1.0);
    }

    // ---- items, grouped by seller and order (BTreeMaps: deterministic output order)
    let src = Source::open(tables.items, opts, "items")?;
    let c = Need::new(&src, "items");
    let (i_order, i_seller, i_price) = (c.col("order_id")?, c.col("seller_id")?, c.col("price")?);
    let (i_freight, i_limit) = (src.col("freight_value"), src.col("shipping_limit_date"));
    let want = opts.merchant_id.as_deref();
    let mut sellers: BTreeMap<String, BTreeMap<String, Acc>> = BTreeMap::new();
    each_row(&src, "items", &mut report, &mut prog, |rec, line, _| {
        let oid = field(rec, Some(i_order))?;
        let seller = field(rec, Some(i_seller))?;
        if seller.is_empty() {
            return Err(RowError::at(i_seller, "empty seller_id"));
        }
        let Some(&ix) = order_ix.get(oid) else {
            return Err(RowError::at(i_order, format!("order {oid} is not in the orders table")));
        };
        let price = parse_money(field(rec, Some(i_price))?).map_err(|m| RowError::at(i_price, m))?.unwrap_or(0.0);
        let freight = match i_freight {
            Some(i) => parse_money(field(rec, Some(i))?).map_err(|m| RowError::at(i, m))?.unwrap_or(0.0),
            None => 0.0,
        };
        let limit = match i_limit {
            Some(i) => parse_time(field(rec, Some(i))?).map_err(|m| RowError::at(i, m))?,
            None => None,
        };
        if let Some(o) = orders.get_mut(ix) {
            o.has_items = true;
        }
        if want.is_some_and(|w| w != seller) {
            return Ok(());
        }
        let by_order = match sellers.get_mut(seller) {
            Some(m) => m,
            None => sellers.entry(seller.to_string()).or_default(),
        };
        let acc = match by_order.get_mut(oid) {
            Some(a) => a,
            None => by_order.entry(oid.to_string()).or_insert_with(|| Acc { line, ..Acc::default() }),
        };
        acc.amount += price + freight;
        if let Some(l) = limit {
            acc.ship_by = Some(acc.ship_by.map_or(l, |x| x.min(l)));
        }
        Ok(())
    })?;
    prog.finish();

    let no_items = orders.iter().filter(|o| !o.has_items).count();
    if no_items > 0 {
        report.notes.push(format!("{no_items} orders have no items: no seller can be attributed, so they were left out"));
    }
    if let Some(w) = want {
        if sellers.is_empty() {
            return Err(csv_err(format!("seller {w} has no items in the order items table"), "items"));
        }
    }
    let as_of = match opts.as_of {
        Some(d) => d,
        None => {
            let d = latest.map(Timestamp::date).ok_or_else(|| csv_err("no order could be read from the orders table", "orders"))?;
            report.notes.push(format!("as_of not given: the latest date in the orders table, {d}, was used for every seller"));
            d
        }
    };
    report.as_of = Some(as_of);
    report.opened_on = opts.opened_on;

    // ---- one store per seller
    let mut stores = Vec::with_capacity(sellers.len());
    let mut defaulted_open = 0usize;
    let mut matched_deals = 0usize;
    let mut fixes = Fixes::default();
    for (seller, by_order) in sellers {
        let mut list: Vec<Order> = Vec::with_capacity(by_order.len());
        let mut lines: Vec<u64> = Vec::with_capacity(by_order.len());
        for (oid, acc) in by_order {
            let Some(o) = order_ix.get(&oid).and_then(|&i| orders.get(i)) else { continue };
            let buyer = unique.get(&o.customer).unwrap_or(&o.customer);
            list.push(Order {
                rating: ratings.get(&oid).map(|r| r.1),
                id: oid,
                placed_at: o.placed,
                amount: Money(libm::round(acc.amount * 100.0) / 100.0),
                status: o.status,
                refund_amount: None,
                buyer_id: (!buyer.is_empty()).then(|| buyer.clone()),
                ship_by: acc.ship_by,
                promised_by: o.promised,
                shipped_at: o.shipped,
                delivered_at: o.delivered,
            });
            lines.push(if acc.line > 0 { acc.line } else { o.line });
        }
        let _ = finish_orders(&mut list, &mut lines, as_of, &mut report, Some("items"), &mut fixes, None);
        if list.is_empty() {
            report.notes.push(format!("seller {seller}: no order on or before as_of {as_of}; no store built"));
            continue;
        }
        let first = list.iter().map(|o| o.placed_at).min().map_or(as_of, Timestamp::date);
        let deal = deals.get(&seller);
        if deal.is_some() {
            matched_deals += 1;
        }
        let opened_on: Date = match (opts.opened_on, deal.and_then(|d| d.won)) {
            (Some(d), _) => d.min(first),
            (None, Some(won)) => won.min(first),
            (None, None) => {
                defaulted_open += 1;
                first
            }
        };
        report.count_orders(&list);
        let store = StoreData {
            schema: None,
            as_of,
            currency: "BRL".into(),
            merchant: Merchant {
                region: regions.get(&seller).cloned(),
                id: seller,
                store_type: opts.store_type.or_else(|| deal.and_then(|d| d.store_type)).unwrap_or_default(),
                opened_on,
                platform: Some(opts.platform.clone().unwrap_or_else(|| "olist".into())),
                category: deal.and_then(|d| d.segment.clone()),
                declared_monthly_revenue: deal.and_then(|d| d.declared).map(Money),
            },
            owner: None,
            orders: list,
            monthly: Vec::new(),
            receivables: Vec::new(),
            liabilities: Vec::new(),
            repayments: Vec::new(),
        };
        match store.validate() {
            Ok(()) => stores.push(store),
            Err(e) => report.notes.push(format!("seller {}: store left out, it failed validation: {e}", store.merchant.id)),
        }
    }
    fixes.note(as_of, &mut report);
    if tables.deals.is_some() {
        report.notes.push(format!(
            "closed deals: {} of {} deals matched a seller with orders (store type, segment, declared revenue, joining date)",
            matched_deals,
            deals.len()
        ));
    }
    if defaulted_open > 0 {
        report.notes.push(format!(
            "opened_on not given: each seller's first order date was used ({defaulted_open} sellers), so store age may be understated"
        ));
    }
    report.stores = stores.len() as u64;
    if stores.is_empty() {
        return Err(csv_err(format!("no store could be built ({} rows read, {} skipped)", report.rows, report.skipped), ""));
    }
    Ok(OlistImport { stores, report })
}

/// Required-column lookup with a clear error naming the table.
struct Need<'s, 'a> {
    src: &'s Source<'a>,
    table: &'static str,
}

impl<'s, 'a> Need<'s, 'a> {
    fn new(src: &'s Source<'a>, table: &'static str) -> Self {
        Need { src, table }
    }
    fn col(&self, name: &str) -> Result<usize> {
        self.src.col(name).ok_or_else(|| {
            csv_err(
                format!("missing required column `{name}` in the {} table (columns found: {})", self.table, self.src.header.join(", ")),
                format!("{}, line 1", self.table),
            )
        })
    }
}

/// Streams the rows of one table, counting skips with their line numbers.
fn each_row(
    src: &Source<'_>,
    table: &'static str,
    report: &mut ImportReport,
    prog: &mut Progress<'_>,
    mut f: impl FnMut(&Record<'_>, u64, &mut ImportReport) -> std::result::Result<(), RowError>,
) -> Result<()> {
    let width = src.header.len();
    let mut rdr = src.rows();
    let mut rec = src.record();
    loop {
        let line = match read_row(&mut rdr, &mut rec, width, Some(table), report, prog) {
            Row::Ok(line) => line,
            Row::Skipped => continue,
            Row::End => break,
        };
        if let Err(e) = f(&rec, line, report) {
            let col = e.column.and_then(|c| src.header.get(c)).map(String::as_str);
            report.skip(Some(table), line, col, e.reason);
        }
    }
    Ok(())
}
