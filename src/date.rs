//! Calendar dates, timestamps and months as plain integers.
//!
//! The engine never reads a clock: every date comes from the input. Dates are stored as days since
//! 1970-01-01 and timestamps as seconds since the Unix epoch (UTC), so comparisons and differences
//! are integer operations and an order's date is parsed exactly once. The civil-calendar
//! conversions are Howard Hinnant's `days_from_civil` / `civil_from_days` algorithms (proleptic
//! Gregorian), a few lines that keep the wasm bundle free of a date library.
//!
//! Accepted text forms (ISO-8601 and the common export variants):
//! `2025-06-30`, `2025-06-30T10:00:00Z`, `2025-06-30T10:00:00.123+08:00`, `2025-06-30 10:00:00`
//! (no offset means UTC), and `2025/06/30` or `2025/6/30 10:00` as seen in spreadsheet exports.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A calendar date (days since 1970-01-01).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub i32);

/// An instant, in whole seconds since 1970-01-01T00:00:00Z.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub i64);

/// A calendar month (`2025-05`), stored as `year * 12 + (month - 1)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearMonth(pub i32);

const SECS_PER_DAY: i64 = 86_400;

/// Days since 1970-01-01 of a proleptic Gregorian date.
pub fn days_from_civil(y: i32, m: u32, d: u32) -> i32 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = (y - era * 400) as u32; // [0, 399]
    let mp = (m + 9) % 12; // March = 0
    let doy = (153 * mp + 2) / 5 + d - 1; // [0, 365]
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy; // [0, 146096]
    era * 146_097 + doe as i32 - 719_468
}

/// (year, month, day) of a day number.
pub fn civil_from_days(z: i32) -> (i32, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = (z - era * 146_097) as u32;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let y = yoe as i32 + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

/// Reads an unsigned decimal of 1..=max_len digits at `*i`.
fn digits(b: &[u8], i: &mut usize, min_len: usize, max_len: usize) -> Option<u32> {
    let start = *i;
    let mut v: u32 = 0;
    while let Some(&c) = b.get(*i).filter(|c| c.is_ascii_digit()) {
        if *i - start >= max_len {
            break;
        }
        v = v * 10 + u32::from(c - b'0');
        *i += 1;
    }
    if *i - start < min_len {
        None
    } else {
        Some(v)
    }
}

fn parse_ymd(b: &[u8], i: &mut usize) -> Option<(i32, u32, u32)> {
    let y = digits(b, i, 4, 4)?;
    let sep = *b.get(*i)?;
    if sep != b'-' && sep != b'/' {
        return None;
    }
    *i += 1;
    let m = digits(b, i, 1, 2)?;
    if *b.get(*i)? != sep {
        return None;
    }
    *i += 1;
    let d = digits(b, i, 1, 2)?;
    let y = y as i32;
    if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) || !(1900..=2200).contains(&y) {
        return None;
    }
    Some((y, m, d))
}

impl Date {
    /// Builds a date, or `None` when it does not exist (2025-02-30) or is outside 1900..=2200.
    pub fn from_ymd(y: i32, m: u32, d: u32) -> Option<Date> {
        if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) || !(1900..=2200).contains(&y) {
            return None;
        }
        Some(Date(days_from_civil(y, m, d)))
    }

    /// Parses `YYYY-MM-DD` (or `YYYY/MM/DD`). A timestamp is accepted too and truncated to its
    /// UTC date, so a field documented as a date tolerates a datetime export.
    pub fn parse(s: &str) -> Option<Date> {
        let b = s.trim().as_bytes();
        let mut i = 0;
        let (y, m, d) = parse_ymd(b, &mut i)?;
        if i == b.len() {
            return Some(Date(days_from_civil(y, m, d)));
        }
        Timestamp::parse(s).map(|t| t.date())
    }

    /// (year, month, day).
    pub fn ymd(self) -> (i32, u32, u32) {
        civil_from_days(self.0)
    }

    /// The month this date falls in.
    pub fn month(self) -> YearMonth {
        let (y, m, _) = self.ymd();
        YearMonth(y * 12 + m as i32 - 1)
    }

    /// This date plus `n` days.
    pub fn add_days(self, n: i32) -> Date {
        Date(self.0.saturating_add(n))
    }

    /// Days from `earlier` to `self` (negative when `earlier` is later).
    pub fn days_since(self, earlier: Date) -> i32 {
        self.0 - earlier.0
    }

    /// Midnight UTC at the start of this date.
    pub fn start(self) -> Timestamp {
        Timestamp(i64::from(self.0) * SECS_PER_DAY)
    }

    /// The same day-of-month `n` months later, clamped to the month's last day.
    pub fn add_months(self, n: i32) -> Date {
        let (y, m, d) = self.ymd();
        let total = y * 12 + (m as i32 - 1) + n;
        let (ny, nm) = (total.div_euclid(12), (total.rem_euclid(12) + 1) as u32);
        let nd = d.min(days_in_month(ny, nm));
        Date(days_from_civil(ny, nm, nd))
    }
}

impl Timestamp {
    /// Parses an ISO-8601 date-time (see the module docs for the accepted forms). A bare date
    /// means midnight UTC.
    pub fn parse(s: &str) -> Option<Timestamp> {
        let b = s.trim().as_bytes();
        if let Some(t) = Timestamp::parse_fixed(b, false, &mut DayCache::default()) {
            return Some(t);
        }
        let mut i = 0;
        let (y, m, d) = parse_ymd(b, &mut i)?;
        let days = i64::from(days_from_civil(y, m, d));
        if i == b.len() {
            return Some(Timestamp(days * SECS_PER_DAY));
        }
        if !matches!(b.get(i), Some(b'T' | b' ' | b't')) {
            return None;
        }
        i += 1;
        let hh = digits(b, &mut i, 1, 2)?;
        if *b.get(i)? != b':' {
            return None;
        }
        i += 1;
        let mm = digits(b, &mut i, 2, 2)?;
        let mut ss = 0;
        if b.get(i) == Some(&b':') {
            i += 1;
            ss = digits(b, &mut i, 2, 2)?;
            if matches!(b.get(i), Some(b'.') | Some(b',')) {
                i += 1;
                let start = i;
                while b.get(i).is_some_and(u8::is_ascii_digit) {
                    i += 1;
                }
                if i == start {
                    return None;
                }
            }
        }
        if hh > 23 || mm > 59 || ss > 60 {
            return None;
        }
        let mut offset: i64 = 0;
        match b.get(i) {
            None => {}
            Some(b'Z') | Some(b'z') => i += 1,
            Some(&c) if c == b'+' || c == b'-' => {
                i += 1;
                let oh = digits(b, &mut i, 2, 2)?;
                if b.get(i) == Some(&b':') {
                    i += 1;
                }
                let om = digits(b, &mut i, 2, 2).unwrap_or(0);
                if oh > 18 || om > 59 {
                    return None;
                }
                offset = i64::from(oh * 3600 + om * 60);
                if c == b'-' {
                    offset = -offset;
                }
            }
            _ => return None,
        }
        if i != b.len() {
            return None;
        }
        Some(Timestamp(days * SECS_PER_DAY + i64::from(hh * 3600 + mm * 60 + ss.min(59)) - offset))
    }

    /// The UTC calendar date of this instant.
    pub fn date(self) -> Date {
        Date(self.0.div_euclid(SECS_PER_DAY) as i32)
    }
}

/// Two ASCII digits at `i`, or `None`.
#[inline]
fn two_digits(b: &[u8], i: usize) -> Option<u32> {
    let (h, l) = (b.get(i)?.wrapping_sub(b'0'), b.get(i + 1)?.wrapping_sub(b'0'));
    if h < 10 && l < 10 {
        Some(u32::from(h) * 10 + u32::from(l))
    } else {
        None
    }
}

/// The last calendar day [`Timestamp::parse_fixed`] read and validated (`YYYY-MM-DD`, as days
/// since the epoch): a column of an export sorted by time repeats the same day for many rows.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct DayCache {
    key: [u8; 10],
    days: i64,
}

impl Timestamp {
    /// The fixed-width forms exports write almost always, read without the general parser's
    /// loops: `YYYY-MM-DD`, `YYYY-MM-DD[T ]HH:MM:SS` with nothing, `Z`, `+hh:mm` or `+hhmm`
    /// after it, and (only when `space_offset`) Shopify's `YYYY-MM-DD HH:MM:SS +hhmm`.
    ///
    /// `Some` only when the text is one of these forms and a valid date-time, with exactly the
    /// value [`Timestamp::parse`] gives (the Shopify form: the value it gives without the space);
    /// `None` means "not decided here": the caller falls back to the general parser, which
    /// accepts or rejects it. The input must be trimmed already.
    #[inline]
    pub(crate) fn parse_fixed(b: &[u8], space_offset: bool, cache: &mut DayCache) -> Option<Timestamp> {
        let n = b.len();
        let day: &[u8; 10] = b.get(..10)?.try_into().ok()?;
        let days = if *day == cache.key {
            cache.days
        } else {
            if day.get(4) != Some(&b'-') || day.get(7) != Some(&b'-') {
                return None;
            }
            let y = two_digits(day, 0)? * 100 + two_digits(day, 2)?;
            let (m, d) = (two_digits(day, 5)?, two_digits(day, 8)?);
            let y = y as i32;
            if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) || !(1900..=2200).contains(&y) {
                return None;
            }
            let days = i64::from(days_from_civil(y, m, d));
            cache.key = *day;
            cache.days = days;
            days
        };
        if n == 10 {
            return Some(Timestamp(days * SECS_PER_DAY));
        }
        if !matches!(b.get(10), Some(b'T' | b' ' | b't')) {
            return None;
        }
        // `HH:MM:SS` as one little-endian word: six digits and two colons, checked and read at once
        let w = u64::from_le_bytes(b.get(11..19)?.try_into().ok()?);
        const DIGITS: u64 = 0xf0f0_00f0_f000_f0f0;
        const ZEROS: u64 = 0x3030_0030_3000_3030;
        const COLONS: u64 = 0x0000_ff00_00ff_0000;
        // high nibble 3 in the digit bytes, low nibble at most 9 (adding 6 stays below 0x40),
        // colons in bytes 2 and 5
        if w & DIGITS != ZEROS || w.wrapping_add(0x0606_0006_0600_0606) & DIGITS != ZEROS || w & COLONS != 0x0000_3a00_003a_0000 {
            return None;
        }
        let digit = |k: u32| ((w >> (8 * k)) & 0x0f) as u32;
        let (hh, mm, ss) = (digit(0) * 10 + digit(1), digit(3) * 10 + digit(4), digit(6) * 10 + digit(7));
        if hh > 23 || mm > 59 || ss > 60 {
            return None;
        }
        // the offset: none, `Z`, `+hh:mm`, `+hhmm`, or (Shopify) ` +hhmm`
        let at = match (n, b.get(19)) {
            (19, _) => None,
            (20, Some(b'Z' | b'z')) => None,
            (25, Some(b'+' | b'-')) if b.get(22) == Some(&b':') => Some((19, 23)),
            (24, Some(b'+' | b'-')) => Some((19, 22)),
            (25, Some(b' ')) if space_offset && matches!(b.get(20), Some(b'+' | b'-')) => Some((20, 23)),
            _ => return None,
        };
        let mut offset = 0i64;
        if let Some((sign, min)) = at {
            let (oh, om) = (two_digits(b, sign + 1)?, two_digits(b, min)?);
            if oh > 18 || om > 59 {
                return None;
            }
            offset = i64::from(oh * 3600 + om * 60);
            if b.get(sign) == Some(&b'-') {
                offset = -offset;
            }
        }
        Some(Timestamp(days * SECS_PER_DAY + i64::from(hh * 3600 + mm * 60 + ss.min(59)) - offset))
    }
}

impl Timestamp {
    /// Appends the same text as `Display` (`2025-06-30T10:00:00Z`) without the formatting
    /// machinery: the receipt writes four of these per order.
    pub fn write_iso(self, out: &mut Vec<u8>) {
        // one copy of the 20 bytes: pushing them one by one, each with its own capacity check,
        // was a tenth of a wasm evaluation of a 3,000-order store (node --cpu-prof)
        Iso::write(self.iso(), &self, out);
    }

    fn iso(self) -> Option<Iso> {
        let (y, m, d) = self.date().ymd();
        Iso::new(y, m, Some(d), Some(self.0.rem_euclid(SECS_PER_DAY) as u32))
    }
}

/// The text of a date, month or timestamp with a year in 0-9999 (every year a store can hold),
/// laid out by hand: the same text as `Display`, without the formatting machinery, which was
/// most of the cost of writing dates (receipts, output JSON, canonical JSON) in wasm.
struct Iso {
    bytes: [u8; 20],
    len: usize,
}

impl Iso {
    /// `YYYY-MM`, `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM:SSZ` (`secs` into the day), or `None` for a
    /// year outside 0-9999 (then `Display` writes it).
    fn new(y: i32, m: u32, d: Option<u32>, secs: Option<u32>) -> Option<Iso> {
        let y = u32::try_from(y).ok().filter(|y| *y <= 9999)?;
        // two digits of a value below 100 (the callers keep them there)
        let two = |v: u32| [b'0' + (v / 10 % 10) as u8, b'0' + (v % 10) as u8];
        let ([y1, y2], [y3, y4], [m1, m2]) = (two(y / 100), two(y % 100), two(m));
        let [d1, d2] = two(d.unwrap_or(0));
        let s = secs.unwrap_or(0);
        let ([h1, h2], [i1, i2], [s1, s2]) = (two(s / 3600), two(s / 60 % 60), two(s % 60));
        let bytes = [y1, y2, y3, y4, b'-', m1, m2, b'-', d1, d2, b'T', h1, h2, b':', i1, i2, b':', s1, s2, b'Z'];
        let len = match (d, secs) {
            (None, _) => 7,
            (Some(_), None) => 10,
            (Some(_), Some(_)) => 20,
        };
        Some(Iso { bytes, len })
    }

    /// Appends `iso`'s text, or `value`'s `Display` text when it has none (a year outside 0-9999).
    fn write(iso: Option<Iso>, value: &impl fmt::Display, out: &mut Vec<u8>) {
        match iso {
            Some(iso) => out.extend_from_slice(iso.as_str().as_bytes()),
            None => out.extend_from_slice(value.to_string().as_bytes()),
        }
    }

    fn as_str(&self) -> &str {
        // ASCII digits and separators only
        self.bytes.get(..self.len).and_then(|b| std::str::from_utf8(b).ok()).unwrap_or_default()
    }
}

impl YearMonth {
    /// Parses `YYYY-MM`.
    pub fn parse(s: &str) -> Option<YearMonth> {
        let b = s.trim().as_bytes();
        let mut i = 0;
        let y = digits(b, &mut i, 4, 4)? as i32;
        if *b.get(i)? != b'-' {
            return None;
        }
        i += 1;
        let m = digits(b, &mut i, 2, 2)? as i32;
        if i != b.len() || !(1..=12).contains(&m) || !(1900..=2200).contains(&y) {
            return None;
        }
        Some(YearMonth(y * 12 + m - 1))
    }

    /// (year, month 1-12).
    pub fn ym(self) -> (i32, u32) {
        (self.0.div_euclid(12), (self.0.rem_euclid(12) + 1) as u32)
    }

    /// First day of the month.
    pub fn first_day(self) -> Date {
        let (y, m) = self.ym();
        Date(days_from_civil(y, m, 1))
    }

    /// Last day of the month.
    pub fn last_day(self) -> Date {
        let (y, m) = self.ym();
        Date(days_from_civil(y, m, days_in_month(y, m)))
    }

    /// Number of days in the month.
    pub fn days(self) -> u32 {
        let (y, m) = self.ym();
        days_in_month(y, m)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.date().ymd();
        let s = self.0.rem_euclid(SECS_PER_DAY);
        write!(f, "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", s / 3600, (s / 60) % 60, s % 60)
    }
}

impl Date {
    fn iso(self) -> Option<Iso> {
        let (y, m, d) = self.ymd();
        Iso::new(y, m, Some(d), None)
    }
}

impl YearMonth {
    fn iso(self) -> Option<Iso> {
        let (y, m) = self.ym();
        Iso::new(y, m, None, None)
    }

    /// Appends the same text as `Display` (`2025-06`), as [`Timestamp::write_iso`] does.
    pub fn write_iso(self, out: &mut Vec<u8>) {
        Iso::write(self.iso(), &self, out);
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m) = self.ym();
        write!(f, "{y:04}-{m:02}")
    }
}

macro_rules! serde_via_str {
    ($t:ty, $what:literal) => {
        impl Serialize for $t {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                match self.iso() {
                    Some(iso) => s.serialize_str(iso.as_str()),
                    None => s.collect_str(self),
                }
            }
        }
        impl<'de> Deserialize<'de> for $t {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = std::borrow::Cow::<str>::deserialize(d)?;
                <$t>::parse(&s).ok_or_else(|| crate::error::tagged("invalid_date", format!("`{s}` (expected {})", $what)))
            }
        }
    };
}
serde_via_str!(Date, "a date like 2025-06-30");
serde_via_str!(Timestamp, "a date-time like 2025-06-30T10:00:00Z");
serde_via_str!(YearMonth, "a month like 2025-06");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_round_trip_over_three_centuries() {
        for z in days_from_civil(1900, 1, 1)..days_from_civil(2200, 12, 31) {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), z);
        }
    }

    #[test]
    fn parses_accepted_forms() {
        let cases = [
            ("2025-06-30", Some("2025-06-30T00:00:00Z")),
            ("2025-06-30T10:00:00Z", Some("2025-06-30T10:00:00Z")),
            ("2025-06-30 10:00:00", Some("2025-06-30T10:00:00Z")),
            ("2025-06-30T10:00:00.250+08:00", Some("2025-06-30T02:00:00Z")),
            ("2025-06-30T01:00:00-03:00", Some("2025-06-30T04:00:00Z")),
            ("2025/6/3 9:05", Some("2025-06-03T09:05:00Z")),
            ("2025-02-29", None),
            ("2024-02-29", Some("2024-02-29T00:00:00Z")),
            ("2025-13-01", None),
            ("30/06/2025", None),
            ("2025-06-30T25:00:00Z", None),
            ("2025-06-30T10:00:00Zjunk", None),
            ("", None),
        ];
        for (text, want) in cases {
            assert_eq!(Timestamp::parse(text).map(|t| t.to_string()).as_deref(), want, "{text}");
        }
    }

    #[test]
    fn write_iso_equals_display() {
        let sweep = (-2_208_988_800i64..7_258_118_400).step_by(7_919_993);
        for t in [0i64, 1_751_241_599, -2_208_988_800, 7_258_118_399, 86_399, 951_782_400].into_iter().chain(sweep) {
            let mut out = b"x".to_vec();
            Timestamp(t).write_iso(&mut out);
            assert_eq!(out.first(), Some(&b'x'), "appends");
            out.remove(0);
            assert_eq!(String::from_utf8(out).unwrap(), Timestamp(t).to_string());
        }
    }

    /// Dates, months and timestamps serialize as their `Display` text, years beyond 0-9999 too.
    #[test]
    fn serialized_text_equals_display() {
        let json = |s: String| format!("\"{s}\"");
        for days in (-800_000i32..3_000_000).step_by(997).chain([-719_529, -719_528, 2_932_896, 2_932_897, 0, 20_000]) {
            let d = Date(days);
            assert_eq!(serde_json::to_string(&d).unwrap(), json(d.to_string()));
            let m = d.month();
            assert_eq!(serde_json::to_string(&m).unwrap(), json(m.to_string()));
            let t = Timestamp(i64::from(days) * 86_400 + i64::from(days.rem_euclid(86_400)));
            assert_eq!(serde_json::to_string(&t).unwrap(), json(t.to_string()));
        }
    }

    #[test]
    fn months() {
        let m = YearMonth::parse("2024-02").unwrap();
        assert_eq!(m.days(), 29);
        assert_eq!(m.to_string(), "2024-02");
        assert_eq!(m.last_day().to_string(), "2024-02-29");
        assert_eq!(Date::parse("2025-01-31").unwrap().add_months(1).to_string(), "2025-02-28");
        assert!(YearMonth::parse("2024-2").is_none());
    }
}
