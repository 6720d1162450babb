//! Scanning JSON text eight bytes at a time ("SWAR": SIMD within a register), and appending
//! short slices to the JSON writers' buffers without `memcpy` ([`extend`]).
//!
//! The receipt's canonical JSON, the store's canonical writer and the nesting check before every
//! parse each walk text looking for a few bytes (`"`, `\`, brackets, control bytes). Byte by byte
//! that walk was a third of parsing a 700 KB store natively and more in wasm, where a branch per
//! byte costs more; one 64-bit word at a time it is plain integer arithmetic on both, with no
//! `unsafe` and no target-specific code. [`extend`] is the module's one `unsafe` function.

const LO: u64 = 0x0101_0101_0101_0101;
const HI: u64 = 0x8080_8080_8080_8080;

/// The word's eight bytes, little-endian, starting at `i`, if there are eight.
#[inline]
fn word(t: &[u8], i: usize) -> Option<u64> {
    t.get(i..i.wrapping_add(8)).and_then(|c| <[u8; 8]>::try_from(c).ok()).map(u64::from_le_bytes)
}

/// Nonzero when some byte of `x` is zero; its lowest set bit (bit 7 of a byte) always marks a
/// true zero byte (bits above it can be false positives from the borrow).
#[inline]
const fn zero_byte(x: u64) -> u64 {
    x.wrapping_sub(LO) & !x & HI
}

/// Nonzero when some byte of `w` equals `b`; the lowest set bit marks the first.
#[inline]
const fn byte_eq(w: u64, b: u8) -> u64 {
    zero_byte(w ^ (LO * b as u64))
}

/// The index of the first set flag of a nonzero [`zero_byte`] mask.
#[inline]
fn first(mask: u64) -> usize {
    (mask.trailing_zeros() / 8) as usize
}

/// The index of the first `"` or `\` at or after `i`, or the length.
pub(crate) fn quote_or_backslash(t: &[u8], mut i: usize) -> usize {
    while let Some(w) = word(t, i) {
        let m = byte_eq(w, b'"') | byte_eq(w, b'\\');
        if m != 0 {
            return i + first(m);
        }
        i += 8;
    }
    while t.get(i).is_some_and(|&c| c != b'"' && c != b'\\') {
        i += 1;
    }
    i.min(t.len())
}

/// The index of the first `"`, `[`, `]`, `{` or `}` at or after `i`, or the length.
pub(crate) fn quote_or_bracket(t: &[u8], mut i: usize) -> usize {
    while let Some(w) = word(t, i) {
        // `[` 0x5B and `{` 0x7B differ only in bit 5, as do `]` 0x5D and `}` 0x7D: setting it
        // in every byte finds both with one compare (no other byte maps to 0x7B or 0x7D)
        let l = w | (LO * 0x20);
        let m = byte_eq(w, b'"') | byte_eq(l, b'{') | byte_eq(l, b'}');
        if m != 0 {
            return i + first(m);
        }
        i += 8;
    }
    while t.get(i).is_some_and(|&c| !matches!(c, b'"' | b'[' | b']' | b'{' | b'}')) {
        i += 1;
    }
    i.min(t.len())
}

/// The index of the first `,`, `]` or `}` at or after `i` (the end of a number, `true`, `false`
/// or `null` in compact JSON), or the length.
pub(crate) fn scalar_end(t: &[u8], mut i: usize) -> usize {
    while let Some(w) = word(t, i) {
        // `]` 0x5D and `}` 0x7D differ only in bit 5, which `,` 0x2C already has set
        let m = byte_eq(w | (LO * 0x20), b'}') | byte_eq(w, b',');
        if m != 0 {
            return i + first(m);
        }
        i += 8;
    }
    while t.get(i).is_some_and(|&c| !matches!(c, b',' | b']' | b'}')) {
        i += 1;
    }
    i.min(t.len())
}

/// Whether a string needs no escaping in JSON: no control byte (below 0x20), `"` or `\`.
pub(crate) fn json_plain(s: &[u8]) -> bool {
    let mut i = 0;
    while let Some(w) = word(s, i) {
        // has-byte-below-0x20 is has-zero-byte with 0x20 in place of 1 (bytes >= 0x80 never
        // qualify: `!w` clears their bit 7)
        let control = w.wrapping_sub(LO * 0x20) & !w & HI;
        if byte_eq(w, b'"') | byte_eq(w, b'\\') | control != 0 {
            return false;
        }
        i += 8;
    }
    s.get(i..).unwrap_or_default().iter().all(|&b| b >= 0x20 && b != b'"' && b != b'\\')
}

/// Appends `s` to `out`, like `extend_from_slice`, copying a short slice (at most 16 bytes: the
/// keys, numbers and most strings of a decision) with two overlapping word loads and stores.
///
/// The JSON writers append thousands of such slices per evaluation. `extend_from_slice` copies
/// them with `memcpy`, which in WebAssembly is the `memory.copy` instruction, and V8 runs that
/// as a call out of the module: ~7 ns for a few bytes against ~3 ns natively (600 copies of 3-11
/// bytes: 4.1 us in wasm, 1.8 natively; with the word copies 2.2 and 1.3, measured in one build
/// of each). Longer slices still go to `extend_from_slice`.
// Inlined into every writer in speed-tuned builds; one shared copy in the size-tuned browser
// packages (feature `compact`), where inlining it everywhere was +2.9 KB gzipped.
#[cfg_attr(not(feature = "compact"), inline(always))]
#[cfg_attr(feature = "compact", inline(never))]
pub(crate) fn extend(out: &mut Vec<u8>, s: &[u8]) {
    let n = s.len();
    if n > 16 {
        out.extend_from_slice(s);
        return;
    }
    out.reserve(16);
    let len = out.len();
    let src = s.as_ptr();
    // SAFETY: `reserve(16)` leaves room for 16 bytes after `len`, and every store below ends at
    // or before `len + n` with `n <= 16`. Every load reads inside `s`: for 8 <= n <= 16 the words
    // at 0 and n - 8, for 4 <= n < 8 the half-words at 0 and n - 4, for 0 < n < 4 the bytes 0, n / 2 and n - 1. The two
    // overlapping stores of each case cover every byte of 0..n (their union is 0..n because
    // n <= 2 * width), so all of `len..len + n` is written before `set_len`. Unaligned loads
    // and stores are used throughout (`read_unaligned` / `write_unaligned`).
    unsafe {
        let dst = out.as_mut_ptr().add(len);
        if n >= 8 {
            let a = src.cast::<u64>().read_unaligned();
            let b = src.add(n - 8).cast::<u64>().read_unaligned();
            dst.cast::<u64>().write_unaligned(a);
            dst.add(n - 8).cast::<u64>().write_unaligned(b);
        } else if n >= 4 {
            let a = src.cast::<u32>().read_unaligned();
            let b = src.add(n - 4).cast::<u32>().read_unaligned();
            dst.cast::<u32>().write_unaligned(a);
            dst.add(n - 4).cast::<u32>().write_unaligned(b);
        } else if n > 0 {
            // bytes 0, n / 2 and n - 1 cover 0..n for n <= 3 (no loop: the compiler would turn
            // a copy loop back into `memcpy`)
            dst.write(src.read());
            dst.add(n / 2).write(src.add(n / 2).read());
            dst.add(n - 1).write(src.add(n - 1).read());
        }
        out.set_len(len + n);
    }
}

/// `std::io::Write` into a `Vec<u8>` through [`extend`]: the writer the JSON serializers write
/// into (`receipt::to_json`, `receipt::canonical_json`).
pub(crate) struct Sink<'a>(pub(crate) &'a mut Vec<u8>);

impl std::io::Write for Sink<'_> {
    #[inline]
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        extend(self.0, buf);
        Ok(buf.len())
    }
    #[inline]
    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        if buf.len() <= 2 {
            // punctuation: a constant length, which the compiler writes with a store or two
            self.0.extend_from_slice(buf);
        } else {
            extend(self.0, buf);
        }
        Ok(())
    }
    #[inline]
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every position of every short string over an alphabet of the bytes that matter and some
    /// that must not (including UTF-8 and bytes one bit away from the brackets).
    fn strings() -> Vec<Vec<u8>> {
        let alphabet = b"a\"\\[]{},\x1f \x7f\x80\xff;=}}\x5a\x5c\x7c\x02\x0b\x0c".to_vec();
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut out = vec![Vec::new()];
        for len in 1..40 {
            for _ in 0..200 {
                out.push(
                    (0..len)
                        .map(|_| {
                            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                            // mostly plain letters, so that the interesting byte lands anywhere
                            let r = (state >> 33) as usize;
                            if r % 4 == 0 { alphabet[r / 4 % alphabet.len()] } else { b'a' + (r % 26) as u8 }
                        })
                        .collect(),
                );
            }
        }
        out
    }

    /// The eight-at-a-time test against the byte-by-byte one, on every position and every byte
    /// class that matters (control, quote, backslash, DEL, non-ASCII), in strings of 0-40 bytes.
    #[test]
    fn plain_matches_the_bytewise_test() {
        let bytewise = |s: &[u8]| s.iter().all(|&b| b >= 0x20 && b != b'"' && b != b'\\');
        let specials = [0x00u8, 0x01, 0x1f, 0x20, b'"', b'\\', b'!', b'#', b'[', b']', 0x7f, 0x80, 0xc3, 0xff];
        for len in 0..40 {
            let base: Vec<u8> = (0..len).map(|i| b'a' + (i % 26) as u8).collect();
            assert!(json_plain(&base));
            for pos in 0..len {
                for &c in &specials {
                    let mut s = base.clone();
                    s[pos] = c;
                    assert_eq!(json_plain(&s), bytewise(&s), "{s:?}");
                    // a second special further on
                    if pos + 3 < len {
                        s[pos + 3] = b'"';
                        assert_eq!(json_plain(&s), bytewise(&s), "{s:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn scanners_agree_with_byte_by_byte() {
        for s in strings() {
            for i in 0..=s.len() + 1 {
                let from = |p: &dyn Fn(u8) -> bool| s.iter().enumerate().skip(i).find(|(_, &c)| p(c)).map_or(s.len(), |(k, _)| k);
                assert_eq!(quote_or_backslash(&s, i), from(&|c| c == b'"' || c == b'\\'), "{s:?} from {i}");
                assert_eq!(quote_or_bracket(&s, i), from(&|c| matches!(c, b'"' | b'[' | b']' | b'{' | b'}')), "{s:?} from {i}");
                assert_eq!(scalar_end(&s, i), from(&|c| matches!(c, b',' | b']' | b'}')), "{s:?} from {i}");
            }
            assert_eq!(json_plain(&s), s.iter().all(|&b| b >= 0x20 && b != b'"' && b != b'\\'), "{s:?}");
        }
    }
}

#[cfg(test)]
mod extend_tests {
    /// Every length up to 40 (both sides of each case), at every offset of the source, onto
    /// vectors of every length from empty to past their capacity: the same bytes as
    /// `extend_from_slice`, and nothing past them. (Also run under Miri: stage `15-miri` of
    /// `scripts/test.sh`.)
    #[test]
    fn extend_appends_exactly_the_slice() {
        let src: Vec<u8> = (0..64u8).map(|b| b.wrapping_mul(37).wrapping_add(1)).collect();
        for n in 0..=40 {
            for off in [0, 1, 3, 7, 8, 13, 64 - n] {
                for start in [0usize, 1, 5, 15, 16, 17, 31] {
                    let s = &src[off..off + n];
                    let mut ours: Vec<u8> = Vec::with_capacity(16);
                    ours.extend(std::iter::repeat_n(0xEE, start));
                    let mut want = ours.clone();
                    super::extend(&mut ours, s);
                    want.extend_from_slice(s);
                    assert_eq!(ours, want, "n {n} off {off} start {start}");
                }
            }
        }
    }
}
