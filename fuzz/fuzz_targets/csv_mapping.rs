#![no_main]
//! CSV import with a user column mapping: the first line of the input is the mapping JSON, the
//! rest the CSV (falls back to the fixture mapping when the first line is not a mapping).
use libfuzzer_sys::fuzz_target;
use merchant_credit::store::import::Preset;

const FIXTURE_MAPPING: &str = include_str!("../../tests/fixtures/import/mapping.json");

fuzz_target!(|data: &[u8]| {
    let (first, rest) = match data.iter().position(|&b| b == b'\n') {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (&data[..0], data),
    };
    let mapping = std::str::from_utf8(first).ok().filter(|m| m.trim_start().starts_with('{')).unwrap_or(FIXTURE_MAPPING);
    merchant_credit_fuzz::import_and_evaluate(rest, Some(Preset::Mapping), Some(mapping));
});
