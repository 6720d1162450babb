//! Decimal text to `f64`, exactly as `str::parse::<f64>` reads it, through serde_json's number
//! parser.
//!
//! The engine reads numbers from text in a few places outside JSON (CSV amounts and ratings,
//! model conditions comparing text with numbers). `str::parse::<f64>` would bring core's own
//! decimal-to-float code and its 10 KB table of powers of five into the wasm module next to
//! serde_json's, which parses every JSON number anyway (correctly rounded: feature
//! `float_roundtrip`). [`parse_f64`] accepts Rust's float syntax, rewrites it as a JSON number
//! and hands it to serde_json: the same double, ~10 KB less in the gzipped module. Tested
//! against `str::parse` on edge cases and on random inputs.

/// `s` as `str::parse::<f64>` reads it (`+1.5`, `.5`, `5.`, `1E3`, `inf`, `NaN`...), or `None`
/// where that is an error. One difference: a finite decimal beyond the range of `f64` (`1e400`)
/// is `None` here and infinity there (the engine refuses non-finite numbers either way).
pub(crate) fn parse_f64(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    let (neg, body) = match b.first() {
        Some(b'-') => (true, b.get(1..).unwrap_or_default()),
        Some(b'+') => (false, b.get(1..).unwrap_or_default()),
        _ => (false, b),
    };
    let special = |word: &[u8]| body.eq_ignore_ascii_case(word);
    if special(b"inf") || special(b"infinity") {
        return Some(if neg { f64::NEG_INFINITY } else { f64::INFINITY });
    }
    if special(b"nan") {
        return Some(f64::NAN);
    }
    // mantissa digits with at most one point, then an optional exponent with at least one digit
    let exp_at = body.iter().position(|&c| c == b'e' || c == b'E').unwrap_or(body.len());
    let (mant, exp) = body.split_at(exp_at);
    let (int, frac) = match mant.iter().position(|&c| c == b'.') {
        Some(p) => (mant.get(..p).unwrap_or_default(), mant.get(p + 1..)),
        None => (mant, None),
    };
    let frac = frac.unwrap_or_default();
    let digits = |x: &[u8]| x.iter().all(u8::is_ascii_digit);
    if int.is_empty() && frac.is_empty() || !digits(int) || !digits(frac) {
        return None;
    }
    let exp = match exp.split_first() {
        None => &[][..],
        Some((_, rest)) => {
            let unsigned = rest.strip_prefix(b"-").or_else(|| rest.strip_prefix(b"+")).unwrap_or(rest);
            if unsigned.is_empty() || !digits(unsigned) {
                return None;
            }
            rest
        }
    };
    // the JSON form: -?(0|[1-9][0-9]*)(.[0-9]+)?(e[+-]?[0-9]+)?
    let int = match int.iter().position(|&c| c != b'0') {
        Some(p) => int.get(p..).unwrap_or_default(),
        None => b"0",
    };
    let mut json = Vec::with_capacity(s.len() + 2);
    if neg {
        json.push(b'-');
    }
    json.extend_from_slice(int);
    if !frac.is_empty() {
        json.push(b'.');
        json.extend_from_slice(frac);
    }
    if !exp.is_empty() {
        json.push(b'e');
        json.extend_from_slice(exp);
    }
    let text = std::str::from_utf8(&json).ok()?;
    let v: f64 = serde_json::from_str(text).ok()?;
    // serde_json reads `-0` as the integer 0; `str::parse` keeps the sign
    Some(if v == 0.0 && neg { -0.0 } else { v })
}

#[cfg(test)]
mod tests {
    use super::parse_f64;

    fn same(s: &str) {
        let want = s.parse::<f64>().ok();
        let got = parse_f64(s);
        match (want, got) {
            (Some(w), Some(g)) => assert!(w.to_bits() == g.to_bits() || w.is_nan() && g.is_nan(), "{s}: {w} vs {g}"),
            (Some(w), None) => assert!(!w.is_finite(), "{s}: {w} vs None"),
            (None, g) => assert_eq!(g, None, "{s}"),
        }
    }

    #[test]
    fn reads_what_str_parse_reads() {
        for s in [
            "0", "-0", "+0", "00", "-00.000", "1", "+1", "-1", "1.", ".5", "-.5", "+.5", "5.e3", "1e3", "1E3", "1e+3",
            "1e-3", "1.5e-7", "007.50", "0.1", "0.3", "2.675", "1e308", "1.7976931348623157e308", "1e400", "-1e400",
            "4.9e-324", "2e-324", "1e-400", "123456789012345678901234567890", "9007199254740993", "0.000000000000000000001",
            "inf", "-inf", "+Infinity", "INF", "NaN", "nan", "-nan", "", "-", "+", ".", "e3", "1e", "1e+", "1.2.3",
            "1,5", " 1", "1 ", "0x10", "1_000", "--1", "+-1", "1e3.5", "١", "12ab", "∞",
        ] {
            same(s);
        }
        // random digits, points and exponents
        let mut rng = crate::synth::Rng(7);
        let mut next = || rng.next_u64();
        let alphabet = b"0123456789012345678901234567890123456789..e-+";
        for _ in 0..300_000 {
            let len = 1 + (next() % 24) as usize;
            let s: String = (0..len).map(|_| char::from(alphabet[(next() % alphabet.len() as u64) as usize])).collect();
            same(&s);
            let x = f64::from_bits(next());
            same(&format!("{x}"));
            same(&format!("{x:e}"));
        }
    }
}
