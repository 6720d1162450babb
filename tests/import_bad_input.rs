//! Bad input to the importer: each case is a clear error (code `csv`, a location) or a counted
//! skip with its line number. Cases: `(name, input, expected)` where expected is
//! `Err(substring of the message, path)` or `Skip(line, column, substring of the reason)`.

use merchant_credit::store::import::{import_csv, import_olist, ImportOptions, OlistTables};

enum Want {
    Err(&'static str, &'static str),
    Skip(u64, Option<&'static str>, &'static str),
}

const GOOD: &str = "o1,2025-01-02,10,delivered,CNY\n";

#[test]
fn bad_inputs_table() {
    let header = "id,placed_at,amount,status,currency\n";
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.extend_from_slice(&[0u8; 64]);
    let cases: Vec<(&str, Vec<u8>, Want)> = vec![
        ("header matching no preset", b"foo,bar,baz\n1,2,3\n".to_vec(), Want::Err("matches no preset", "line 1")),
        ("missing required column", b"id,placed_at,status\no1,2025-01-01,delivered\n".to_vec(), Want::Err("missing required column `amount`", "line 1")),
        ("non-numeric amount", format!("{header}{GOOD}o2,2025-01-03,ten,delivered,CNY\n").into_bytes(), Want::Skip(3, Some("amount"), "`ten` is not a number")),
        ("negative amount", format!("{header}{GOOD}o2,2025-01-03,-4,delivered,CNY\n").into_bytes(), Want::Skip(3, Some("amount"), "negative amount")),
        ("unknown date format", format!("{header}{GOOD}o2,03/01/2025,4,delivered,CNY\n").into_bytes(), Want::Skip(3, Some("placed_at"), "unknown date format")),
        ("unknown status", format!("{header}{GOOD}o2,2025-01-03,4,lost,CNY\n").into_bytes(), Want::Skip(3, Some("status"), "unknown status `lost`")),
        ("row with too many fields", format!("{header}{GOOD}o2,2025-01-03,4,delivered,CNY,extra\n").into_bytes(), Want::Skip(3, None, "the row has 6 fields, the header has 5")),
        ("row with too few fields", format!("{header}{GOOD}o2,2025-01-03\n").into_bytes(), Want::Skip(3, None, "the row has 2 fields")),
        ("another currency", format!("{header}{GOOD}o2,2025-01-03,4,delivered,USD\n").into_bytes(), Want::Skip(3, Some("currency"), "currency USD differs")),
        ("multi-line field keeps line numbers", format!("{header}\"o\n1\",2025-01-02,10,delivered,CNY\no2,2025-01-03,x,delivered,CNY\n").into_bytes(), Want::Skip(4, Some("amount"), "not a number")),
        // Windows exports end lines with CRLF; the line is the one an editor shows
        ("CRLF file", format!("{header}{GOOD}o2,2025-01-03,4,delivered,CNY\no3,2025-01-04,x,delivered,CNY\n").replace('\n', "\r\n").into_bytes(), Want::Skip(4, Some("amount"), "not a number")),
        ("CRLF file with a quoted record", format!("{header}\"o1\",2025-01-02,10,delivered,CNY\no2,2025-01-03,4,delivered,CNY\no3,2025-01-04,x,delivered,CNY\n").replace('\n', "\r\n").into_bytes(), Want::Skip(4, Some("amount"), "not a number")),
        ("blank lines before a bad row", format!("{header}{GOOD}\n\no3,2025-01-04,x,delivered,CNY\n").into_bytes(), Want::Skip(5, Some("amount"), "not a number")),
        ("empty file", b"\n\n  \n".to_vec(), Want::Err("empty file: no header row", "")),
        ("0-byte file", Vec::new(), Want::Err("empty file (0 bytes)", "")),
        ("binary file", png, Want::Err("binary file", "")),
        ("header only", header.as_bytes().to_vec(), Want::Err("no order could be imported", "")),
        ("every row bad", format!("{header}o1,someday,1,delivered,CNY\n").into_bytes(), Want::Err("first: line 2, column placed_at: unknown date format", "")),
        ("no currency anywhere", b"id,placed_at,amount\no1,2025-01-01,3\n".to_vec(), Want::Err("no currency column", "")),
        ("olist table alone", b"order_id,customer_id,order_status,order_purchase_timestamp\n".to_vec(), Want::Err("Olist table", "line 1")),
    ];
    for (name, input, want) in cases {
        let got = import_csv(&input, &ImportOptions::default(), &mut |_, _| {});
        match (want, got) {
            (Want::Err(msg, path), Err(e)) => {
                assert_eq!(e.code(), "csv", "{name}: {e}");
                assert!(e.to_string().contains(msg), "{name}: `{e}` lacks `{msg}`");
                assert_eq!(e.path(), path, "{name}");
            }
            (Want::Skip(line, col, msg), Ok(out)) => {
                let r = &out.report;
                assert_eq!(r.skipped, 1, "{name}: {:?}", r.skipped_rows);
                let s = &r.skipped_rows[0];
                assert_eq!(s.line, line, "{name}");
                assert_eq!(s.column.as_deref(), col, "{name}");
                assert!(s.reason.contains(msg), "{name}: `{}` lacks `{msg}`", s.reason);
                assert_eq!(out.store.orders.len() as u64, r.rows - r.skipped, "{name}: nothing dropped silently");
            }
            (Want::Err(..), Ok(out)) => panic!("{name}: expected an error, got {:?}", out.report),
            (Want::Skip(..), Err(e)) => panic!("{name}: expected a counted skip, got {e}"),
        }
    }
}

#[test]
fn mapping_errors_name_the_field() {
    let mapping = serde_json::from_str(r#"{"columns": {"id": "No", "placed_at": "Date", "amount": "Sum", "amout": "x"}}"#).unwrap();
    let opts = ImportOptions { mapping: Some(mapping), currency: Some("EUR".into()), ..ImportOptions::default() };
    let e = import_csv(b"No,Date,Sum\n1,2025-01-01,3\n", &opts, &mut |_, _| {}).unwrap_err();
    assert_eq!(e.path(), "mapping.columns.amout");
    let bad: Result<ImportOptions, _> = serde_json::from_str(r#"{"presett": "generic"}"#);
    assert!(bad.is_err(), "unknown option fields are rejected");
}

#[test]
fn olist_missing_column_names_the_table() {
    let orders = b"order_id,customer_id,order_status\n";
    let items = b"order_id,seller_id,price\n";
    let e = import_olist(OlistTables { orders, items, ..Default::default() }, &ImportOptions::default(), &mut |_, _| {}).unwrap_err();
    assert_eq!(e.path(), "orders, line 1");
    assert!(e.to_string().contains("order_purchase_timestamp"), "{e}");
}

/// The closed-deals table: declared revenue (0 = not declared), the joining date (or the first
/// order when that came first), explicit options winning, a bad row a counted skip with its line,
/// a table without seller_id an error naming the table.
#[test]
fn olist_closed_deals() {
    let orders = b"order_id,customer_id,order_status,order_purchase_timestamp\n\
        o1,c1,delivered,2018-03-05 10:00:00\no2,c2,delivered,2018-03-06 10:00:00\no3,c3,delivered,2018-01-02 10:00:00\n";
    let items = b"order_id,seller_id,price,freight_value\no1,s1,100,10\no2,s2,50,5\no3,s3,20,2\n";
    let deals = b"seller_id,won_date,business_segment,business_type,declared_monthly_revenue\n\
        s1,2018-02-01 09:00:00,pet,manufacturer,25000.0\n\
        s2,2018-04-01 09:00:00,,reseller,0.0\n\
        s3,2017-12-01 09:00:00,toys,other,lots\n";
    let tables = OlistTables { orders, items, deals: Some(deals), ..Default::default() };
    let out = import_olist(tables, &ImportOptions::default(), &mut |_, _| {}).unwrap();
    let m: Vec<_> = out.stores.iter().map(|s| &s.merchant).collect();
    assert_eq!(m[0].id, "s1");
    assert_eq!(m[0].store_type, merchant_credit::store::StoreType::Manufacturer);
    assert_eq!(m[0].category.as_deref(), Some("pet"));
    assert_eq!(m[0].declared_monthly_revenue.map(|d| d.0), Some(25_000.0));
    assert_eq!(m[0].opened_on.to_string(), "2018-02-01");
    // joined after its first order: the first order's date; 0 declared is not declared
    assert_eq!((m[1].opened_on.to_string().as_str(), m[1].declared_monthly_revenue, m[1].category.as_deref()), ("2018-03-06", None, None));
    // s3's deal row does not parse: skipped with its line and column, the store built without it
    let skip = out.report.skipped_rows.iter().find(|r| r.line == 4).expect("the bad deal row is a counted skip");
    assert!(skip.reason.contains("lots"), "{skip:?}");
    assert_eq!((m[2].category.as_deref(), m[2].opened_on.to_string().as_str()), (None, "2018-01-02"));
    assert!(out.report.notes.iter().any(|n| n.contains("closed deals: 2 of 2 deals")), "{:?}", out.report.notes);
    // explicit options win over the deal
    let opts = ImportOptions { store_type: Some(merchant_credit::store::StoreType::Exporter), opened_on: Some(merchant_credit::date::Date::parse("2017-06-01").unwrap()), ..ImportOptions::default() };
    let out = import_olist(tables, &opts, &mut |_, _| {}).unwrap();
    assert_eq!(out.stores[0].merchant.store_type, merchant_credit::store::StoreType::Exporter);
    assert_eq!(out.stores[0].merchant.opened_on.to_string(), "2017-06-01");
    let e = import_olist(OlistTables { deals: Some(b"mql_id,won_date\nx,2018-01-01\n"), ..tables }, &ImportOptions::default(), &mut |_, _| {}).unwrap_err();
    assert_eq!(e.path(), "deals, line 1");
    assert!(e.to_string().contains("seller_id"), "{e}");
}

#[test]
fn garbage_never_panics() {
    // a deterministic sweep of mangled inputs: errors are fine, panics are not
    let base = std::fs::read(format!("{}/tests/fixtures/import/shopify.csv", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let mut x: u64 = 0x1234_5678;
    for _ in 0..300 {
        let mut b = base.clone();
        for _ in 0..8 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let i = (x as usize) % b.len();
            b[i] = (x >> 32) as u8;
        }
        let cut = (x as usize >> 8) % b.len();
        let _ = import_csv(&b[..cut], &ImportOptions::default(), &mut |_, _| {});
        let _ = import_csv(&b, &ImportOptions::default(), &mut |_, _| {});
    }
}
