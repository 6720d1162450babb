//! Minor units of a currency: how many decimals its money has.
//!
//! Offers, fees, schedules and statements are computed in integer minor units so that they
//! reconcile exactly. Most currencies have two decimals (CNY fen, USD cents, BRL centavos), but
//! not all: the yen and the won have none, the Kuwaiti dinar has three. A fee of ¥1,234.56 or an
//! installment of 0.125 KWD rounded to two decimals would be money that cannot be paid, so every
//! amount is rounded to the currency's own minor unit (ISO 4217's "minor unit" column).
//!
//! ```
//! use merchant_credit::money::MinorUnit;
//!
//! let jpy = MinorUnit::of("JPY");
//! assert_eq!(jpy.digits(), 0);
//! assert_eq!(jpy.to_minor(1234.56), 1235);
//! assert_eq!(jpy.from_minor(1235), 1235.0);
//!
//! let cny = MinorUnit::of("CNY");
//! assert_eq!(cny.to_minor(12.345), 1235); // fen
//! assert_eq!(cny.round(12.344), 12.34);
//!
//! assert_eq!(MinorUnit::of("KWD").round(1.23456), 1.235);
//! ```

/// ISO 4217 currencies whose minor unit is not two decimals (the current list, including the
/// funds codes). Any other three-letter code has two.
const NOT_TWO: [(&str, u32); 27] = [
    ("BHD", 3),
    ("BIF", 0),
    ("CLF", 4),
    ("CLP", 0),
    ("DJF", 0),
    ("GNF", 0),
    ("IQD", 3),
    ("ISK", 0),
    ("JOD", 3),
    ("JPY", 0),
    ("KMF", 0),
    ("KRW", 0),
    ("KWD", 3),
    ("LYD", 3),
    ("OMR", 3),
    ("PYG", 0),
    ("RWF", 0),
    ("TND", 3),
    ("UGX", 0),
    ("UYI", 0),
    ("UYW", 4),
    ("VND", 0),
    ("VUV", 0),
    ("XAF", 0),
    ("XOF", 0),
    ("XPF", 0),
    ("XXX", 0),
];

/// The minor unit of one currency: its number of decimals and the matching scale.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MinorUnit {
    digits: u32,
    scale: f64,
}

impl MinorUnit {
    /// The minor unit of an ISO 4217 code (two decimals unless ISO 4217 says otherwise).
    pub fn of(currency: &str) -> MinorUnit {
        let digits = NOT_TWO
            .iter()
            .find(|(c, _)| *c == currency)
            .map_or(2, |&(_, d)| d);
        MinorUnit {
            digits,
            scale: f64::from(10u32.pow(digits)),
        }
    }

    /// Decimals of the currency (0 for JPY, 2 for CNY, 3 for KWD).
    pub fn digits(self) -> u32 {
        self.digits
    }

    /// Minor units per major unit (1, 100, 1000...).
    pub fn scale(self) -> f64 {
        self.scale
    }

    /// A major-unit amount in whole minor units, rounded half away from zero.
    pub fn to_minor(self, x: f64) -> i64 {
        libm::round(x * self.scale) as i64
    }

    /// Whole minor units back in major units (the double nearest the exact decimal).
    pub fn from_minor(self, c: i64) -> f64 {
        c as f64 / self.scale
    }

    /// `x` rounded to the currency's minor unit.
    pub fn round(self, x: f64) -> f64 {
        self.from_minor(self.to_minor(x))
    }

    /// `x` rounded up to a whole minor unit (fees: never undercharge by a fraction, never round
    /// an exact amount up because of floating-point noise).
    pub fn ceil_minor(self, x: f64) -> i64 {
        libm::ceil(x * self.scale - 1e-6) as i64
    }

    /// `x` rounded down to a whole minor unit (amounts offered: never more than supported).
    pub fn floor_minor(self, x: f64) -> i64 {
        libm::floor(x * self.scale + 1e-6) as i64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_and_well_formed() {
        assert!(NOT_TWO.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(NOT_TWO.iter().all(|(c, d)| c.len() == 3 && *d != 2));
    }

    #[test]
    fn digits_per_currency() {
        for (c, d) in [
            ("CNY", 2),
            ("USD", 2),
            ("BRL", 2),
            ("EUR", 2),
            ("JPY", 0),
            ("KRW", 0),
            ("VND", 0),
            ("KWD", 3),
            ("BHD", 3),
            ("CLF", 4),
        ] {
            assert_eq!(MinorUnit::of(c).digits(), d, "{c}");
        }
    }

    #[test]
    fn rounding() {
        let jpy = MinorUnit::of("JPY");
        assert_eq!(jpy.to_minor(99.5), 100);
        assert_eq!(jpy.ceil_minor(100.0), 100);
        assert_eq!(jpy.ceil_minor(100.01), 101);
        assert_eq!(jpy.floor_minor(100.99), 100);
        let cny = MinorUnit::of("CNY");
        assert_eq!(cny.ceil_minor(0.1 + 0.2), 30);
        assert_eq!(cny.from_minor(1), 0.01);
        assert_eq!(MinorUnit::of("KWD").from_minor(1), 0.001);
    }
}
