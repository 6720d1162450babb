//! The row reader every preset shares: RFC 4180 records out of the decoded text, with the same
//! fields, line numbers and errors as the `csv` crate's reader over the same bytes.
//!
//! Most exports are plain: no quotes, LF or CRLF line ends. Such a record is split in place
//! (one pass over its bytes, fields borrowed from the text, nothing copied). A record holding a
//! quote is read by the `csv` crate itself, started at that record, so every quoting rule
//! (quoted delimiters and newlines, doubled quotes, stray quotes) is the crate's; after 64 plain
//! records in a row the fast path takes over again. A record's line number is the line of its
//! first byte (1 + the newlines before it), so blank lines and CRLF line ends count as an editor
//! counts them (the crate reports the line where its read starts, which in a CRLF file is one
//! line early: the `\n` of the previous `\r\n` is only consumed by the next read).

use std::io::Read;

/// How many plain records the `csv` reader reads before handing back to the fast path.
const SLOW_RUN: u32 = 64;

/// The bytes below this end a plain record (`\n`, `\r`) or are rare control bytes (see
/// [`Rows::split_words`]); a delimiter below it (tab) takes the exact tests.
const LOW: u8 = 0x0e;

/// One record: fields borrowed from the text (fast path) or in a `csv` record (quoted rows).
pub(crate) struct Record<'t> {
    text: &'t [u8],
    /// `text` as `str` when it is known to be UTF-8.
    text_str: Option<&'t str>,
    bounds: Vec<(usize, usize)>,
    slow: csv::ByteRecord,
    is_slow: bool,
}

impl<'t> Record<'t> {
    pub(crate) fn new(text: &'t [u8], text_str: Option<&'t str>) -> Record<'t> {
        Record { text, text_str, bounds: Vec::with_capacity(32), slow: csv::ByteRecord::new(), is_slow: false }
    }

    /// Field `i`, raw.
    #[inline]
    pub(crate) fn get(&self, i: usize) -> Option<&[u8]> {
        if self.is_slow {
            self.slow.get(i)
        } else {
            let &(a, b) = self.bounds.get(i)?;
            self.text.get(a..b)
        }
    }

    /// Field `i` as text, when that needs no UTF-8 check: split in place from text known to be
    /// UTF-8 (at ASCII delimiters, so on character boundaries). `None` otherwise.
    #[inline]
    pub(crate) fn get_str(&self, i: usize) -> Option<&str> {
        if self.is_slow {
            return None;
        }
        let &(a, b) = self.bounds.get(i)?;
        self.text_str?.get(a..b)
    }

    /// A record split in place from text known to be UTF-8: the text (as bytes and as `str`)
    /// and each field's (start, end) in it. `None` for a record read by the `csv` reader, or
    /// from text not known to be UTF-8.
    #[inline]
    pub(crate) fn plain(&self) -> Option<Plain<'t, '_>> {
        if self.is_slow {
            return None;
        }
        Some((self.text, self.text_str?, &self.bounds))
    }

    /// The number of fields.
    #[inline]
    pub(crate) fn len(&self) -> usize {
        if self.is_slow {
            self.slow.len()
        } else {
            self.bounds.len()
        }
    }
}

/// A record split in place: the text, the text as `str`, each field's (start, end) in it.
pub(crate) type Plain<'t, 'r> = (&'t [u8], &'t str, &'r [(usize, usize)]);

type SlowReader<'t> = csv::Reader<std::io::Chain<&'static [u8], &'t [u8]>>;

/// The records after the header row.
pub(crate) struct Rows<'t> {
    text: &'t [u8],
    delimiter: u8,
    /// Bytes consumed so far, and the line count there (1 + newlines before `pos`).
    pos: usize,
    line: u64,
    /// Byte classes: 1 delimiter, 2 `\n`, 3 `\r`, 4 quote, 0 anything else.
    class: [u8; 256],
    /// The delimiter in every byte of a word.
    splat_delim: u64,
    /// `\r` in every byte of a word (`\n` when `\r` is the delimiter: a delimiter is never a
    /// record's end, as in the csv crate, which tests for the delimiter first).
    splat_cr: u64,
    /// The `csv` reader over `text[base..]` while reading quoted rows, and how many plain
    /// records it has read in a row.
    slow: Option<(SlowReader<'t>, usize, u32)>,
}

/// A row that could not be read: the line where it starts and the `csv` error.
pub(crate) struct RowReadError {
    pub(crate) line: u64,
    pub(crate) message: String,
}

impl<'t> Rows<'t> {
    /// Records of `text` from byte `pos` (a record boundary, `line` its line count).
    pub(crate) fn new(text: &'t [u8], delimiter: u8, pos: usize, line: u64) -> Rows<'t> {
        let mut class = [0u8; 256];
        for (b, c) in [(b'\n', 2), (b'\r', 3), (b'"', 4), (delimiter, 1)] {
            if let Some(x) = class.get_mut(usize::from(b)) {
                *x = c;
            }
        }
        Rows {
            text,
            delimiter,
            pos,
            line,
            class,
            splat_delim: 0x0101_0101_0101_0101 * u64::from(delimiter),
            splat_cr: 0x0101_0101_0101_0101 * u64::from(if delimiter == b'\r' { b'\n' } else { b'\r' }),
            slow: None,
        }
    }

    /// The byte offset where the next read starts.
    pub(crate) fn byte(&self) -> u64 {
        self.pos as u64
    }

    /// Moves the consumed position to `to`, counting the newlines passed.
    fn advance(&mut self, to: usize) {
        let passed = self.text.get(self.pos..to).unwrap_or_default();
        self.line += passed.iter().filter(|&&b| b == b'\n').count() as u64;
        self.pos = to;
    }

    /// Reads the next record into `rec`: `Ok(Some(line))` with the line where its read started,
    /// `Ok(None)` at the end.
    pub(crate) fn next(&mut self, rec: &mut Record<'t>) -> Result<Option<u64>, RowReadError> {
        if self.slow.is_some() {
            return self.next_slow(rec);
        }
        let t = self.text;
        // terminators at the start of a record are skipped (blank lines; the `\n` of a `\r\n`)
        let mut p = self.pos;
        let mut line = self.line;
        loop {
            match t.get(p) {
                Some(b'\n') => line += 1,
                Some(b'\r') => {}
                Some(_) => break,
                None => {
                    self.pos = p;
                    self.line = line;
                    return Ok(None);
                }
            }
            p += 1;
        }
        rec.bounds.clear();
        rec.is_slow = false;
        let (i, newline) = match self.split(rec, p) {
            Some(done) => done,
            None => {
                // a quote: this record is the csv crate's
                self.pos = p;
                self.line = line;
                let chained: std::io::Chain<&'static [u8], &'t [u8]> = (&b"\n"[..]).chain(t.get(p..).unwrap_or_default());
                // the leading newline is a blank line to the reader: it makes the reader's
                // first read start before the record, so a byte-order mark at the record's
                // start is data (as it is mid-file) rather than stripped (as at a file's start)
                let rdr = csv::ReaderBuilder::new().delimiter(self.delimiter).flexible(true).has_headers(false).from_reader(chained);
                self.slow = Some((rdr, p, 0));
                return self.next_slow_at(rec, line);
            }
        };
        let record_line = line;
        if newline {
            line += 1;
        }
        self.pos = i;
        self.line = line;
        Ok(Some(record_line))
    }

    /// Splits the plain record starting at `p` into `rec`'s field bounds: `Some((end, ends with
    /// a newline))` with `end` just past its terminator (or the text's end), `None` at a quote.
    ///
    /// Eight bytes at a time: each word is tested for the delimiter with an exact per-byte zero
    /// test of the word XOR the delimiter (every delimiter in the word is found), and for the
    /// bytes that end the plain part of a record (`\n`, `\r`, quote) with a cheaper test that is
    /// exact for the lowest such byte only (which is all that is used: the delimiters below
    /// it are fields of this record, the rest are looked at again). The flagged bytes are taken
    /// lowest first, so a run of short or empty fields costs one word, not one step each.
    #[inline]
    fn split(&self, rec: &mut Record<'t>, p: usize) -> Option<(usize, bool)> {
        if self.delimiter < LOW {
            self.split_words::<true>(rec, p)
        } else {
            self.split_words::<false>(rec, p)
        }
    }

    /// [`Rows::split`]; `LOW_DELIM`: the delimiter is a control byte below [`LOW`] (tab).
    #[inline(always)]
    fn split_words<const LOW_DELIM: bool>(&self, rec: &mut Record<'t>, p: usize) -> Option<(usize, bool)> {
        const LO: u64 = 0x0101_0101_0101_0101;
        const HI: u64 = 0x8080_8080_8080_8080;
        const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
        // 0x80 in exactly the bytes of `v` that are zero
        let zero = |v: u64| !(((v & LOW7).wrapping_add(LOW7)) | v | LOW7);
        // 0x80 in the lowest byte of `v` below `n` (n <= 0x80), and perhaps in bytes above it
        // (a borrow), never below it: exact for the lowest
        let below = |v: u64, n: u64| v.wrapping_sub(LO * n) & !v & HI;
        let t = self.text;
        let mut field_start = p;
        let mut i = p;
        while let Some(chunk) = t.get(i..i + 8) {
            let mut w = [0u8; 8];
            w.copy_from_slice(chunk);
            let w = u64::from_le_bytes(w);
            let delims = zero(w ^ self.splat_delim);
            let ends = if LOW_DELIM {
                zero(w ^ (LO * u64::from(b'\n'))) | zero(w ^ self.splat_cr) | zero(w ^ (LO * u64::from(b'"')))
            } else {
                // every byte below LOW (`\n`, `\r` and the other controls) or a quote: the
                // lowest flagged byte is exact; a control byte other than `\n` `\r` is data
                below(w, u64::from(LOW)) | below(w ^ (LO * u64::from(b'"')), 1)
            };
            // the delimiters before the first terminator or quote (all of them if there is none)
            let mut d = if ends == 0 { delims } else { delims & (ends - 1) };
            while d != 0 {
                let at = i + (d.trailing_zeros() / 8) as usize;
                d &= d - 1;
                rec.bounds.push((field_start, at));
                field_start = at + 1;
            }
            if ends != 0 {
                let at = i + (ends.trailing_zeros() / 8) as usize;
                match t.get(at) {
                    Some(b'\n') => {
                        rec.bounds.push((field_start, at));
                        return Some((at + 1, true));
                    }
                    Some(b'\r') => {
                        // `\r` ends the record; a `\n` after it is skipped by the next read
                        rec.bounds.push((field_start, at));
                        return Some((at + 1, false));
                    }
                    Some(b'"') => return None,
                    // another control byte (only flagged by the test without LOW_DELIM): data,
                    // read on after it
                    _ => {
                        i = at + 1;
                        continue;
                    }
                }
            }
            i += 8;
        }
        loop {
            let Some(&c) = t.get(i) else {
                // the last record, without a terminator
                rec.bounds.push((field_start, i));
                return Some((i, false));
            };
            match self.class.get(usize::from(c)).copied().unwrap_or(0) {
                0 => {}
                1 => {
                    rec.bounds.push((field_start, i));
                    field_start = i + 1;
                }
                2 => {
                    rec.bounds.push((field_start, i));
                    return Some((i + 1, true));
                }
                3 => {
                    rec.bounds.push((field_start, i));
                    return Some((i + 1, false));
                }
                _ => return None,
            }
            i += 1;
        }
    }

    fn next_slow(&mut self, rec: &mut Record<'t>) -> Result<Option<u64>, RowReadError> {
        let start_line = record_line(self.text, self.pos, self.line);
        self.next_slow_at(rec, start_line)
    }

    /// Reads one record with the `csv` reader; `start_line` is the line of the record's first byte.
    fn next_slow_at(&mut self, rec: &mut Record<'t>, start_line: u64) -> Result<Option<u64>, RowReadError> {
        let Some((rdr, base, plain)) = self.slow.as_mut() else { return Ok(None) };
        let (base, call_start) = (*base, self.pos);
        rec.is_slow = true;
        let res = rdr.read_byte_record(&mut rec.slow);
        // the reader's offsets count the leading newline
        let to = base + (rdr.position().byte() as usize).saturating_sub(1);
        let quoted = self.text.get(call_start..to).unwrap_or_default().contains(&b'"');
        *plain = if quoted { 0 } else { *plain + 1 };
        let back_to_fast = *plain >= SLOW_RUN;
        self.advance(to.max(call_start));
        if back_to_fast {
            self.slow = None;
        }
        match res {
            Ok(true) => Ok(Some(start_line)),
            Ok(false) => {
                self.slow = None;
                Ok(None)
            }
            Err(e) => Err(RowReadError { line: start_line, message: e.to_string() }),
        }
    }
}

/// The line of the first byte of a record whose read starts at `pos` (where the line count is
/// `line`): the terminators before it (blank lines, the `\n` of a `\r\n`) are passed.
fn record_line(text: &[u8], mut pos: usize, mut line: u64) -> u64 {
    while let Some(&b) = text.get(pos) {
        match b {
            b'\n' => line += 1,
            b'\r' => {}
            _ => break,
        }
        pos += 1;
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Records as (line, fields).
    type Records = Vec<(u64, Vec<Vec<u8>>)>;

    /// Every record, the csv crate's way and ours.
    fn both(text: &[u8], delimiter: u8) -> (Records, Records) {
        let mut want = Vec::new();
        let mut rdr = csv::ReaderBuilder::new().delimiter(delimiter).flexible(true).has_headers(true).from_reader(text);
        let _ = rdr.byte_headers();
        let (pos, line) = (rdr.position().byte() as usize, rdr.position().line());
        let mut rec = csv::ByteRecord::new();
        while rdr.read_byte_record(&mut rec).unwrap_or(false) {
            // the crate's line is where its read started; ours is the line of the first byte
            let (at, line) = rec.position().map_or((0, 0), |p| (p.byte() as usize, p.line()));
            want.push((record_line(text, at, line), rec.iter().map(<[u8]>::to_vec).collect()));
        }
        let mut got = Vec::new();
        let mut rows = Rows::new(text, delimiter, pos, line);
        let mut r = Record::new(text, std::str::from_utf8(text).ok());
        while let Ok(Some(line)) = rows.next(&mut r) {
            got.push((line, (0..r.len()).map(|i| r.get(i).unwrap_or_default().to_vec()).collect()));
        }
        (want, got)
    }

    #[test]
    fn same_records_and_lines_as_the_csv_crate() {
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        // control bytes, `-` (a delimiter + 1) and `#` (a quote + 1) too: the word tests must
        // not take them for terminators or delimiters
        let alphabet: &[&[u8]] = &[b"a", b"bc", b",", b",", b"\"", b"\n", b"\r\n", b"\r", b" ", b"\xef\xbb\xbf", b"\"\"", b"x\"y", b"\t", b"\x0b", b"\x01", b"-", b"#", b"abcdefghij"];
        for round in 0..100_000 {
            // every fourth round tab-separated (a delimiter below the control-byte bound)
            let delimiter = if round % 4 == 3 { b'\t' } else { b',' };
            let mut text = b"h,i\n".to_vec();
            let len = next() % 40;
            for _ in 0..len {
                text.extend_from_slice(alphabet[(next() % alphabet.len() as u64) as usize]);
            }
            // long plain runs too, so the reader goes back and forth between its two paths
            if round % 7 == 0 {
                for k in 0..(next() % 150) {
                    text.extend_from_slice(format!("r{k},v\n").as_bytes());
                }
                text.extend_from_slice(b"\"q,\n\",1\n");
                for k in 0..(next() % 150) {
                    text.extend_from_slice(format!("s{k},w\r\n\n").as_bytes());
                }
            }
            if delimiter == b'\t' {
                for b in text.iter_mut() {
                    *b = match *b {
                        b',' => b'\t',
                        b'\t' => b',',
                        c => c,
                    };
                }
            }
            let (want, got) = both(&text, delimiter);
            assert_eq!(got, want, "{:?}", String::from_utf8_lossy(&text));
        }
    }
}
