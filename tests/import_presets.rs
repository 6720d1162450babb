//! Every import preset on the project's own fixtures (tests/fixtures/import/).

use merchant_credit::store::import::{import_csv, shopify_buyer_pseudonym, ColumnMapping, Encoding, ImportOptions, Preset};
use merchant_credit::store::OrderStatus;
use merchant_credit::Engine;

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/tests/fixtures/import/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

#[test]
fn generic_fixture() {
    let mut calls = Vec::new();
    let out = import_csv(&fixture("generic.csv"), &ImportOptions::default(), &mut |d, t| calls.push((d, t))).unwrap();
    let (s, r) = (&out.store, &out.report);
    assert_eq!((r.preset, r.detected), (Preset::Generic, true));
    assert_eq!(r.rows, 10);
    assert_eq!(s.orders.len(), 10, "{:?}", r.skipped_rows);
    assert_eq!(r.currency.as_deref(), Some("CNY"));
    assert_eq!(r.currencies["CNY"], 10);
    assert_eq!(s.orders[7].id, "o1008");
    assert_eq!(s.orders[7].amount.0, 1299.0);
    assert_eq!(r.statuses["delivered"], 5);
    assert_eq!(r.statuses["refunded"], 1);
    assert_eq!(s.as_of.to_string(), "2025-05-06");
    assert_eq!(s.merchant.opened_on.to_string(), "2025-03-02");
    assert!(r.notes.iter().any(|n| n.contains("opened_on not given")));
    assert_eq!(calls.last(), Some(&(r.bytes, r.bytes)), "the last progress call reports completion");
    Engine::default().evaluate(s);
}

#[test]
fn shopify_fixture_folds_line_items() {
    let opts = ImportOptions { merchant_id: Some("shop-1".into()), ..ImportOptions::default() };
    let out = import_csv(&fixture("shopify.csv"), &opts, &mut |_, _| {}).unwrap();
    let (s, r) = (&out.store, &out.report);
    assert_eq!((r.preset, r.detected), (Preset::Shopify, true));
    assert_eq!(r.rows, 11);
    assert_eq!(s.orders.len(), 8);
    assert_eq!(r.skipped, 0, "{:?}", r.skipped_rows);
    assert_eq!(s.currency, "USD");
    let by = |n: &str| s.orders.iter().find(|o| o.id == n).unwrap();
    assert_eq!(by("#1001").amount.0, 64.32);
    assert_eq!(by("#1001").status, OrderStatus::Delivered);
    assert_eq!(by("#1001").shipped_at.unwrap().to_string(), "2025-03-02T09:00:00Z");
    assert_eq!(by("#1003").status, OrderStatus::Refunded);
    assert_eq!(by("#1003").refund_amount.unwrap().0, 42.8);
    assert_eq!(by("#1004").status, OrderStatus::Delivered);
    assert_eq!(by("#1004").refund_amount.unwrap().0, 20.0);
    assert_eq!(by("#1005").status, OrderStatus::Cancelled);
    assert_eq!(by("#1006").status, OrderStatus::Shipped);
    assert_eq!(by("#1007").status, OrderStatus::Pending);
    assert_eq!(by("#1008").status, OrderStatus::Cancelled);
    // the same buyer under two spellings of one e-mail, and no e-mail in the store
    assert_eq!(by("#1001").buyer_id, by("#1003").buyer_id);
    assert_eq!(by("#1001").buyer_id.as_deref(), Some(shopify_buyer_pseudonym("ann@example.com").as_str()));
    assert!(!serde_json::to_string(s).unwrap().contains("@example.com"));
    assert_eq!(s.merchant.platform.as_deref(), Some("shopify"));
}

#[test]
fn shopify_gbk_with_chinese_product_names() {
    let bytes = fixture("shopify-gbk.csv");
    assert!(std::str::from_utf8(&bytes).is_err(), "the fixture really is GBK");
    let out = import_csv(&bytes, &ImportOptions::default(), &mut |_, _| {}).unwrap();
    assert_eq!(out.report.encoding, "gb18030");
    assert_eq!(out.report.preset, Preset::Shopify);
    assert_eq!(out.store.orders.len(), 5);
    assert_eq!(out.store.currency, "CNY");
    assert_eq!(out.store.orders[0].placed_at.to_string(), "2025-05-01T01:58:00Z", "+0800 offsets");
    // explicit encodings: gbk works, utf8 is a clear error
    let gbk = ImportOptions { encoding: Encoding::Gbk, ..ImportOptions::default() };
    assert_eq!(import_csv(&bytes, &gbk, &mut |_, _| {}).unwrap().store.orders.len(), 5);
    let utf8 = ImportOptions { encoding: Encoding::Utf8, ..ImportOptions::default() };
    let e = import_csv(&bytes, &utf8, &mut |_, _| {}).unwrap_err();
    assert!(e.to_string().contains("not valid UTF-8"), "{e}");
    // UTF-8 with BOM and tab-separated: the same orders
    let text = encoding_free_utf8(&bytes).replace(',', "\t");
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(text.as_bytes());
    let out2 = import_csv(&bom, &ImportOptions::default(), &mut |_, _| {}).unwrap();
    assert_eq!(out2.report.encoding, "utf-8-bom");
    assert_eq!(out2.report.delimiter, "\t");
    assert_eq!(out2.store.orders, out.store.orders);
}

/// GBK to UTF-8 through the importer's own path would be circular; the fixture is small and ASCII
/// outside product names, so decode it by re-importing as text via encoding_rs-free means: the
/// product names do not matter to the orders.
fn encoding_free_utf8(bytes: &[u8]) -> String {
    bytes.iter().map(|&b| if b < 0x80 { b as char } else { 'x' }).collect::<String>().replace("xx", "x")
}

#[test]
fn mapping_fixture() {
    let mapping: ColumnMapping = serde_json::from_slice(&fixture("mapping.json")).unwrap();
    let opts = ImportOptions { mapping: Some(mapping), currency: Some("EUR".into()), ..ImportOptions::default() };
    let out = import_csv(&fixture("mapped.csv"), &opts, &mut |_, _| {}).unwrap();
    assert_eq!(out.report.preset, Preset::Mapping);
    assert_eq!(out.report.delimiter, ";");
    assert_eq!(out.store.currency, "EUR");
    let amounts: Vec<f64> = out.store.orders.iter().map(|o| o.amount.0).collect();
    assert_eq!(amounts, [12.5, 1234.0, 30.0]);
    assert_eq!(out.store.orders[1].status, OrderStatus::Cancelled);
}

#[test]
fn point_in_time_as_of_and_options() {
    let opts = ImportOptions {
        as_of: Some(merchant_credit::date::Date::parse("2025-04-15").unwrap()),
        opened_on: Some(merchant_credit::date::Date::parse("2021-01-01").unwrap()),
        merchant_id: Some("m-9".into()),
        ..ImportOptions::default()
    };
    let out = import_csv(&fixture("generic.csv"), &opts, &mut |_, _| {}).unwrap();
    assert_eq!(out.store.orders.len(), 7, "orders after as_of are counted skips");
    assert_eq!(out.report.skipped, 3);
    assert!(out.report.skipped_rows.iter().all(|s| s.reason.contains("after as_of")));
    assert!(out.report.notes.iter().any(|n| n.contains("after as_of")), "the dispute's delivery after as_of was dropped");
    assert_eq!(out.store.merchant.id, "m-9");
    assert_eq!(out.store.merchant.opened_on.to_string(), "2021-01-01");
    // a report and options are plain JSON for the JS side
    let j = serde_json::to_value(&out.report).unwrap();
    assert_eq!(j["preset"], "generic");
    let back: ImportOptions = serde_json::from_value(serde_json::to_value(&opts).unwrap()).unwrap();
    assert_eq!(back, opts);
}

#[test]
fn duplicates_are_counted_with_their_first_line() {
    let csv = "id,placed_at,amount,currency\na,2025-01-01,1,CNY\nb,2025-01-02,2,CNY\na,2025-01-03,3,CNY\n";
    let out = import_csv(csv.as_bytes(), &ImportOptions::default(), &mut |_, _| {}).unwrap();
    assert_eq!(out.store.orders.len(), 2);
    assert_eq!(out.report.duplicates, 1);
    assert_eq!(out.report.skipped_rows[0].line, 4);
    assert!(out.report.skipped_rows[0].reason.contains("first on line 2"));
}

#[test]
fn synthetic_store_round_trips_through_the_generic_csv() {
    use merchant_credit::synth::{synth, Profile, SynthOptions};
    let s = synth(Profile::Healthy, &SynthOptions { orders: 400, seed: 3, ..SynthOptions::default() });
    let t = |x: Option<merchant_credit::date::Timestamp>| x.map(|t| t.to_string()).unwrap_or_default();
    let mut csv = String::from("id,placed_at,amount,status,refund_amount,buyer_id,ship_by,promised_by,shipped_at,delivered_at,rating\n");
    for o in &s.orders {
        csv.push_str(&format!(
            "{},{},{},{},{},{},{},{},{},{},{}\n",
            o.id,
            o.placed_at,
            o.amount.0,
            o.status.as_str(),
            o.refund_amount.map(|r| r.0.to_string()).unwrap_or_default(),
            o.buyer_id.clone().unwrap_or_default(),
            t(o.ship_by),
            t(o.promised_by),
            t(o.shipped_at),
            t(o.delivered_at),
            o.rating.map(|r| r.to_string()).unwrap_or_default()
        ));
    }
    let opts = ImportOptions { currency: Some("CNY".into()), as_of: Some(s.as_of), ..ImportOptions::default() };
    let out = import_csv(csv.as_bytes(), &opts, &mut |_, _| {}).unwrap();
    assert_eq!(out.store.orders, s.orders);
}
