//! Scanning JSON text eight bytes at a time ("SWAR": SIMD within a register).
//!
//! The receipt's canonical JSON, the store's canonical writer and the nesting check before every
//! parse each walk text looking for a few bytes (`"`, `\`, brackets, control bytes). Byte by byte
//! that walk was a third of parsing a 700 KB store natively and more in wasm, where a branch per
//! byte costs more; one 64-bit word at a time it is plain integer arithmetic on both, with no
//! `unsafe` and no target-specific code.

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

#[cfg(test)]
mod tests {
    use super::*;

    /// Every position of every short string over an alphabet of the bytes that matter and some
    /// that must not (including UTF-8 and bytes one bit away from the brackets).
    fn strings() -> Vec<Vec<u8>> {
        let alphabet = b"a\"\\[]{}\x1f \x7f\x80\xff;=}}\x5a\x5c\x7c\x02\x0b".to_vec();
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
            }
            assert_eq!(json_plain(&s), s.iter().all(|&b| b >= 0x20 && b != b'"' && b != b'\\'), "{s:?}");
        }
    }
}
