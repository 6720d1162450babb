//! A small RFC 4180 CSV reader for flat records (quoted fields, doubled quotes, quoted line
//! breaks, CRLF, a leading UTF-8 byte-order mark; `,` `;` tab or `|` separated, detected from the
//! header line as in the store import). Ragged rows are an error naming the line.

use crate::error::{Error, ErrorKind, Result};
use crate::features::{FeatureValue, Features};
use std::borrow::Cow;

/// Largest CSV accepted, in bytes.
pub const MAX_CSV_BYTES: usize = 512 * 1024 * 1024;

/// A parsed CSV: header names and rows of cells (every row as long as the header).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    /// Column names, from the first line.
    pub headers: Vec<String>,
    /// Data rows.
    pub rows: Vec<Vec<String>>,
    /// The 1-based line of each row in the file (for error messages).
    pub lines: Vec<usize>,
}

impl Table {
    /// Parses CSV text with a header line.
    pub fn parse(text: &str) -> Result<Table> {
        if text.len() > MAX_CSV_BYTES {
            return Err(Error::new(ErrorKind::TooLarge(format!("CSV of {} bytes; the limit is {MAX_CSV_BYTES}", text.len())), ""));
        }
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        // the record scanner `Columns::parse` uses, with every cell made an owned string
        let mut records: Vec<(usize, Vec<String>)> = Vec::new();
        let mut row: Vec<Cow<'_, str>> = Vec::new();
        let delimiter = crate::store::import::sniff_delimiter(text.as_bytes());
        let emit = |line, fields: &mut Vec<Cow<'_, str>>| records.push((line, fields.drain(..).map(Cow::into_owned).collect()));
        if let Some(line) = scan_records(text, delimiter, emit, &mut row) {
            return Err(Error::new(ErrorKind::Csv("unterminated quoted field".into()), format!("line {line}")));
        }
        if records.is_empty() {
            return Err(Error::new(ErrorKind::Csv("empty file: a header line is needed".into()), "line 1"));
        }
        let (_, headers) = records.remove(0);
        let headers: Vec<String> = headers.into_iter().map(|h| h.trim().to_string()).collect();
        let mut seen = std::collections::HashSet::new();
        for h in &headers {
            if h.is_empty() {
                return Err(Error::new(ErrorKind::Csv("empty column name in the header".into()), "line 1"));
            }
            if !seen.insert(h.as_str()) {
                return Err(Error::new(ErrorKind::Csv(format!("duplicate column `{h}` in the header")), "line 1"));
            }
        }
        let mut rows = Vec::with_capacity(records.len());
        let mut lines = Vec::with_capacity(records.len());
        for (line, r) in records {
            if r.len() == 1 && r.first().is_some_and(|c| c.is_empty()) {
                continue; // a blank line
            }
            if r.len() != headers.len() {
                return Err(Error::new(
                    ErrorKind::Csv(format!("ragged row: {} fields where the header has {}", r.len(), headers.len())),
                    format!("line {line}"),
                ));
            }
            rows.push(r);
            lines.push(line);
        }
        Ok(Table { headers, rows, lines })
    }

    /// The index of a column.
    pub fn column(&self, name: &str) -> Result<usize> {
        self.headers
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| missing_column(name, &self.headers))
    }

    /// Row `i` as a feature vector (every column; see [`cell_value`]).
    pub fn features(&self, i: usize) -> Features {
        let mut f = Features::default();
        if let Some(row) = self.rows.get(i) {
            for (h, c) in self.headers.iter().zip(row) {
                f.insert(h.clone(), cell_value(c));
            }
        }
        f
    }
}

/// True for cells read as missing: empty, `NA`, `N/A`, `NaN`, `null` (any case). `none` is not
/// missing: it is a real category in credit data ("other debtors: none").
pub fn is_missing_cell(c: &str) -> bool {
    let t = c.trim();
    t.is_empty() || ["na", "n/a", "nan", "null"].iter().any(|m| t.eq_ignore_ascii_case(m))
}

/// A cell's value: missing, a finite number, or text (trimmed).
pub fn cell_value(c: &str) -> FeatureValue {
    if is_missing_cell(c) {
        return FeatureValue::Missing;
    }
    match parse_num(c) {
        Some(x) => FeatureValue::Num(x),
        None => FeatureValue::Text(c.trim().to_string()),
    }
}

/// A cell as a finite number (`inf`, `nan` and the like are not numbers here).
pub fn parse_num(c: &str) -> Option<f64> {
    let t = c.trim();
    // fast path: a plain integer of up to 15 digits is exact as a double (what `parse` gives)
    let (neg, digits) = match t.as_bytes().split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, t.as_bytes()),
    };
    if !digits.is_empty() && digits.len() <= 15 && digits.iter().all(u8::is_ascii_digit) {
        let v = digits.iter().fold(0u64, |v, d| v * 10 + u64::from(d - b'0')) as f64;
        return Some(if neg { -v } else { v });
    }
    // Rust accepts "inf", "infinity", "nan": those are text in a CSV cell.
    if t.is_empty() || t.bytes().any(|b| b.is_ascii_alphabetic() && b != b'e' && b != b'E') {
        return None;
    }
    t.parse::<f64>().ok().filter(|x| x.is_finite())
}

/// A CSV parsed column by column for training: every cell a slice of the input where it can be
/// (a field with no quotes, or one quoted field without doubled quotes), so a large file costs no
/// allocation per cell. Same rules and the same errors as [`Table::parse`]; see
/// [`Columns::from_table`] for a table already parsed.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Columns<'a> {
    /// Column names, from the first line.
    pub headers: Vec<String>,
    /// Cells, column by column (each as long as `lines`).
    pub cols: Vec<Vec<Cow<'a, str>>>,
    /// The 1-based line of each row in the file (for error messages).
    pub lines: Vec<usize>,
}

impl<'a> Columns<'a> {
    /// The columns of a parsed table (borrowing its cells).
    pub fn from_table(t: &'a Table) -> Columns<'a> {
        let cols =
            (0..t.headers.len()).map(|j| t.rows.iter().map(|r| Cow::Borrowed(r.get(j).map_or("", String::as_str))).collect()).collect();
        Columns { headers: t.headers.clone(), cols, lines: t.lines.clone() }
    }

    /// Parses CSV text with a header line (see [`Table::parse`]).
    pub fn parse(text: &'a str) -> Result<Columns<'a>> {
        if text.len() > MAX_CSV_BYTES {
            return Err(Error::new(ErrorKind::TooLarge(format!("CSV of {} bytes; the limit is {MAX_CSV_BYTES}", text.len())), ""));
        }
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut out = Columns::default();
        let mut ragged: Option<Error> = None;
        let mut header: Option<Vec<Cow<'a, str>>> = None;
        let mut row: Vec<Cow<'a, str>> = Vec::new();
        let unterminated = scan_records(
            text,
            crate::store::import::sniff_delimiter(text.as_bytes()),
            |line, fields: &mut Vec<Cow<'a, str>>| {
                let Some(h) = &header else {
                    header = Some(std::mem::take(fields));
                    return;
                };
                if fields.len() == 1 && fields.first().is_some_and(|c| c.is_empty()) {
                    fields.clear();
                    return; // a blank line
                }
                if fields.len() != h.len() {
                    if ragged.is_none() {
                        ragged = Some(Error::new(
                            ErrorKind::Csv(format!("ragged row: {} fields where the header has {}", fields.len(), h.len())),
                            format!("line {line}"),
                        ));
                    }
                    fields.clear();
                    return;
                }
                if ragged.is_none() {
                    if out.cols.is_empty() {
                        out.cols = (0..h.len()).map(|_| Vec::new()).collect();
                    }
                    for (col, cell) in out.cols.iter_mut().zip(fields.drain(..)) {
                        col.push(cell);
                    }
                    out.lines.push(line);
                }
                fields.clear();
            },
            &mut row,
        );
        if let Some(line) = unterminated {
            return Err(Error::new(ErrorKind::Csv("unterminated quoted field".into()), format!("line {line}")));
        }
        let Some(header) = header else {
            return Err(Error::new(ErrorKind::Csv("empty file: a header line is needed".into()), "line 1"));
        };
        out.headers = header.iter().map(|h| h.trim().to_string()).collect();
        let mut seen = std::collections::HashSet::new();
        for h in &out.headers {
            if h.is_empty() {
                return Err(Error::new(ErrorKind::Csv("empty column name in the header".into()), "line 1"));
            }
            if !seen.insert(h.as_str()) {
                return Err(Error::new(ErrorKind::Csv(format!("duplicate column `{h}` in the header")), "line 1"));
            }
        }
        if let Some(e) = ragged {
            return Err(e);
        }
        if out.cols.is_empty() {
            out.cols = (0..out.headers.len()).map(|_| Vec::new()).collect();
        }
        Ok(out)
    }

    /// Rows.
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    /// True without rows.
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// The index of a column.
    pub fn column(&self, name: &str) -> Result<usize> {
        self.headers
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| missing_column(name, &self.headers))
    }

    /// The cell of row `i` in column `j` (empty when out of range).
    pub fn cell(&self, j: usize, i: usize) -> &str {
        self.cols.get(j).and_then(|c| c.get(i)).map_or("", |c| c.as_ref())
    }
}

fn missing_column(name: &str, headers: &[String]) -> Error {
    let hint = match headers {
        [one] if one.contains(' ') => {
            "; the header line was read as a single column: separate columns with `,` `;` tab or `|` (a space-separated file such as UCI's german.data needs converting), and put the column names on the first line"
        }
        _ => "",
    };
    Error::new(ErrorKind::Csv(format!("no column `{name}` (columns: {}){hint}", headers.join(", "))), "line 1")
}

/// Splits `text` into records with the rules of [`Table::parse`], handing each (with the line it
/// starts on) to `emit`, which takes the fields out of the vector. Returns the start line of an
/// unterminated quoted field.
fn scan_records<'a>(text: &'a str, delimiter: u8, mut emit: impl FnMut(usize, &mut Vec<Cow<'a, str>>), row: &mut Vec<Cow<'a, str>>) -> Option<usize> {
    let b = text.as_bytes();
    let mut line = 1usize;
    let mut row_line = 1usize;
    let mut i = 0usize;
    let mut any = false;
    // the current field: where it starts, whether it holds a quote, whether it has content yet
    let mut start = 0usize;
    let mut quoted = false;
    let mut content = false;
    let mut in_quotes = false;
    while let Some(&c) = b.get(i) {
        any = true;
        if in_quotes {
            match c {
                b'"' if b.get(i + 1) == Some(&b'"') => {
                    i += 2;
                    content = true;
                    continue;
                }
                b'"' => in_quotes = false,
                b'\n' => {
                    line += 1;
                    content = true;
                }
                _ => content = true,
            }
            i += 1;
            continue;
        }
        match c {
            b'"' if !content => {
                in_quotes = true;
                quoted = true;
            }
            b'"' => quoted = true,
            c if c == delimiter => {
                row.push(field(text, start, i, quoted, false));
                start = i + 1;
                quoted = false;
                content = false;
            }
            b'\r' if b.get(i + 1) == Some(&b'\n') => {}
            b'\n' => {
                row.push(field(text, start, i, quoted, true));
                emit(row_line, row);
                line += 1;
                row_line = line;
                any = false;
                start = i + 1;
                quoted = false;
                content = false;
            }
            _ => content = true,
        }
        i += 1;
    }
    if in_quotes {
        return Some(row_line);
    }
    if any {
        row.push(field(text, start, b.len(), quoted, false));
        emit(row_line, row);
    }
    None
}

/// The value of the field `text[start..end]` (`newline`: it ended at a line break, so a carriage
/// return before it is not part of it).
fn field(text: &str, start: usize, end: usize, quoted: bool, newline: bool) -> Cow<'_, str> {
    let raw = text.get(start..end).unwrap_or("");
    let raw = if newline { raw.strip_suffix('\r').unwrap_or(raw) } else { raw };
    if !quoted {
        return Cow::Borrowed(raw);
    }
    // one quoted field with no quotes inside: the inside, as it is
    if let Some(inner) = raw.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
        if !inner.contains('"') {
            return Cow::Borrowed(inner);
        }
    }
    // anything else: doubled quotes inside, or text around the quotes, character by character
    let raw = text.get(start..end).unwrap_or("");
    let mut out = String::with_capacity(raw.len());
    let mut in_quotes = false;
    let mut chars = raw.chars().peekable();
    while let Some(ch) = chars.next() {
        if in_quotes {
            match ch {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    out.push('"');
                }
                '"' => in_quotes = false,
                c => out.push(c),
            }
            continue;
        }
        match ch {
            '"' if out.is_empty() => in_quotes = true,
            '\r' if chars.peek().is_none() && newline => {}
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_crlf_bom_and_ragged() {
        let t = Table::parse("\u{feff}a,b\r\n1,\"x, \"\"y\"\"\"\r\n\"2\n3\",\r\n").unwrap();
        assert_eq!(t.headers, vec!["a", "b"]);
        assert_eq!(t.rows[0], vec!["1", "x, \"y\""]);
        assert_eq!(t.rows[1], vec!["2\n3", ""]);
        assert_eq!(t.lines, vec![2, 3]);
        let e = Table::parse("a,b\n1,2\n3\n").unwrap_err();
        assert_eq!(e.code(), "csv");
        assert_eq!(e.path(), "line 3");
        assert!(Table::parse("a\n\"open\n").is_err());
    }

    #[test]
    fn cells() {
        assert_eq!(cell_value(" 1.5 "), FeatureValue::Num(1.5));
        assert_eq!(cell_value("NA"), FeatureValue::Missing);
        assert_eq!(cell_value("inf"), FeatureValue::Text("inf".into()));
        assert_eq!(cell_value("1e3"), FeatureValue::Num(1000.0));
        assert_eq!(cell_value("A11"), FeatureValue::Text("A11".into()));
        // the integer fast path agrees with `parse`, sign of zero included
        for s in ["0", "-0", "007", "-123456789012345", "999999999999999", "1234567890123456", "-", "+5", "1_0"] {
            assert_eq!(parse_num(s).map(f64::to_bits), s.parse::<f64>().ok().map(f64::to_bits), "{s}");
        }
    }
    #[test]
    fn columns_parse_like_the_table() {
        let texts = [
            "\u{feff}a,b\r\n1,\"x, \"\"y\"\"\"\r\n\"2\n3\",\r\n",
            "a,b\n\"q\",\"\"\n\n x ,\"a\"b\"\n\"\"\"\",\"\"x\"\n1\r,2\r",
            "a\n\n1\n\"\"\n",
            "h1,h2\n\"multi\r\nline\",\u{e9}t\u{e9}\r\n,\n",
            "a,b\n1,2",
        ];
        for text in texts {
            let t = Table::parse(text).unwrap();
            let c = Columns::parse(text).unwrap();
            assert_eq!(c.headers, t.headers, "{text:?}");
            assert_eq!(c.lines, t.lines, "{text:?}");
            for (i, row) in t.rows.iter().enumerate() {
                for (j, cell) in row.iter().enumerate() {
                    assert_eq!(c.cell(j, i), cell, "{text:?} row {i} column {j}");
                }
            }
            assert_eq!(Columns::from_table(&t), c);
        }
        for bad in ["", "a,b\n1,2\n3\n\"x\n", "a,b\n1\n", "a,a\n1,2\n", "a,\n1,2\n", "a\n\"open\n", "a,a\n1\n"] {
            let (t, c) = (Table::parse(bad).unwrap_err(), Columns::parse(bad).unwrap_err());
            assert_eq!((t.code(), t.path(), t.message()), (c.code(), c.path(), c.message()), "{bad:?}");
        }
    }
    #[test]
    fn columns_match_the_table_on_random_text() {
        // short strings over the characters that matter to the parser
        let alphabet = ['a', ',', '"', '\n', '\r', ' ', '\u{e9}'];
        let mut z = 0x2545_F491_4F6C_DD1Du64;
        for _ in 0..20_000 {
            let mut text = String::new();
            z ^= z << 13;
            z ^= z >> 7;
            z ^= z << 17;
            let len = (z % 14) as usize;
            for _ in 0..len {
                z ^= z << 13;
                z ^= z >> 7;
                z ^= z << 17;
                text.push(alphabet[(z % alphabet.len() as u64) as usize]);
            }
            match (Table::parse(&text), Columns::parse(&text)) {
                (Ok(t), Ok(c)) => assert_eq!(Columns::from_table(&t), c, "{text:?}"),
                (Err(a), Err(b)) => assert_eq!((a.path(), a.message()), (b.path(), b.message()), "{text:?}"),
                (a, b) => panic!("{text:?}: {a:?} vs {b:?}"),
            }
        }
    }
}
