//! A small RFC 4180 CSV reader for flat records (quoted fields, doubled quotes, quoted line
//! breaks, CRLF, a leading UTF-8 byte-order mark). Ragged rows are an error naming the line.

use crate::error::{Error, ErrorKind, Result};
use crate::features::{FeatureValue, Features};

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
        let mut records = parse_records(text)?;
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
        self.headers.iter().position(|h| h == name).ok_or_else(|| {
            Error::new(ErrorKind::Csv(format!("no column `{name}` (columns: {})", self.headers.join(", "))), "line 1")
        })
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
    // Rust accepts "inf", "infinity", "nan": those are text in a CSV cell.
    if t.is_empty() || t.bytes().any(|b| b.is_ascii_alphabetic() && b != b'e' && b != b'E') {
        return None;
    }
    t.parse::<f64>().ok().filter(|x| x.is_finite())
}

fn parse_records(text: &str) -> Result<Vec<(usize, Vec<String>)>> {
    let mut out = Vec::new();
    let mut row: Vec<String> = Vec::new();
    let mut field = String::new();
    let mut in_quotes = false;
    let mut line = 1usize;
    let mut row_line = 1usize;
    let mut chars = text.chars().peekable();
    let mut any = false;
    while let Some(ch) = chars.next() {
        any = true;
        if in_quotes {
            match ch {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => in_quotes = false,
                '\n' => {
                    line += 1;
                    field.push('\n');
                }
                c => field.push(c),
            }
            continue;
        }
        match ch {
            '"' if field.is_empty() => in_quotes = true,
            ',' => row.push(std::mem::take(&mut field)),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                row.push(std::mem::take(&mut field));
                out.push((row_line, std::mem::take(&mut row)));
                line += 1;
                row_line = line;
                any = false;
            }
            c => field.push(c),
        }
    }
    if in_quotes {
        return Err(Error::new(ErrorKind::Csv("unterminated quoted field".into()), format!("line {row_line}")));
    }
    if any {
        row.push(field);
        out.push((row_line, row));
    }
    Ok(out)
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
    }
}
