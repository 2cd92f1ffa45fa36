//! Exact money: a fixed-point decimal with 12 fractional digits in an `i128`, so that sums of
//! FOCUS costs (which carry up to 11 decimals) never drift the way `f64` sums do.

use std::fmt;
use std::ops::{Add, AddAssign};

use serde::{Serialize, Serializer};

/// Fractional digits kept.
pub const SCALE: u32 = 12;
const ONE: i128 = 10i128.pow(SCALE);

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money(i128);

impl Money {
    pub const ZERO: Money = Money(0);

    /// Parses a plain decimal (`-12.5`, `0.00000080000`, `3`); no exponents, at most 12
    /// fractional digits. The error says what is wrong with the text.
    pub fn parse(text: &str) -> Result<Money, String> {
        let t = text.trim();
        let (negative, digits) = match t.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, t.strip_prefix('+').unwrap_or(t)),
        };
        let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
        if int.is_empty() && frac.is_empty()
            || !int.bytes().all(|b| b.is_ascii_digit())
            || !frac.bytes().all(|b| b.is_ascii_digit())
        {
            return Err("not a decimal number".into());
        }
        let frac = frac.trim_end_matches('0');
        if frac.len() > SCALE as usize {
            return Err(format!("more than {SCALE} decimal places"));
        }
        let too_big = || "too large".to_string();
        let whole: i128 = if int.is_empty() {
            0
        } else {
            int.parse().map_err(|_| too_big())?
        };
        let mut fraction: i128 = if frac.is_empty() {
            0
        } else {
            frac.parse().map_err(|_| too_big())?
        };
        fraction *= 10i128.pow(SCALE - frac.len() as u32);
        let value = whole
            .checked_mul(ONE)
            .and_then(|w| w.checked_add(fraction))
            .ok_or_else(too_big)?;
        Ok(Money(if negative { -value } else { value }))
    }

    /// The value as a float, for ratios and shares only (never for sums).
    pub fn to_f64(self) -> f64 {
        self.0 as f64 / ONE as f64
    }

    pub fn is_zero(self) -> bool {
        self.0 == 0
    }

    /// `(whole, fraction)` with `0 <= fraction < 1e12`, the form stored: two integers that
    /// SQL sums exactly. Saturates beyond ±9.2e18 whole units.
    pub fn split(self) -> (i64, i64) {
        let whole = self.0.div_euclid(ONE);
        let frac = self.0.rem_euclid(ONE);
        (
            whole.clamp(i64::MIN as i128, i64::MAX as i128) as i64,
            frac as i64,
        )
    }

    /// The amount per one unit of `quantity` (a cost per request), exact to 12 decimals,
    /// rounded half away from zero; `None` for a zero quantity or beyond the range.
    pub fn per(self, quantity: Money) -> Option<Money> {
        if quantity.0 == 0 {
            return None;
        }
        let scaled = self.0.checked_mul(ONE)?;
        let (q, r) = (scaled / quantity.0, scaled % quantity.0);
        let away = if r.unsigned_abs() * 2 >= quantity.0.unsigned_abs() {
            scaled.signum() * quantity.0.signum()
        } else {
            0
        };
        Some(Money(q + away))
    }

    /// The inverse of [`Money::split`], also for sums of whole parts and of fractions.
    pub fn join(whole: i128, frac: i128) -> Money {
        Money(whole.saturating_mul(ONE).saturating_add(frac))
    }
}

impl Add for Money {
    type Output = Money;
    fn add(self, other: Money) -> Money {
        Money(self.0.saturating_add(other.0))
    }
}

impl std::ops::Sub for Money {
    type Output = Money;
    fn sub(self, other: Money) -> Money {
        Money(self.0.saturating_sub(other.0))
    }
}

impl AddAssign for Money {
    fn add_assign(&mut self, other: Money) {
        *self = *self + other;
    }
}

impl std::iter::Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, Add::add)
    }
}

/// The exact value, trailing zeros trimmed but at least two decimals (`20.52022672899`,
/// `3.50`).
impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let whole = abs / ONE as u128;
        let frac = format!("{:012}", abs % ONE as u128);
        let mut frac = frac.trim_end_matches('0').to_string();
        while frac.len() < 2 {
            frac.push('0');
        }
        write!(f, "{sign}{whole}.{frac}")
    }
}

/// As a JSON string, so that no reader turns it into a float.
impl Serialize for Money {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A decimal string: at least two decimals, at most twelve (the precision kept).
impl schemars::JsonSchema for Money {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Money".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": "^-?[0-9]+\\.[0-9]{2,12}$",
            "description": "An exact decimal amount as a string, never a float"
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_amount_per_unit_is_exact_and_rounded_half_away_from_zero() {
        let m = |t: &str| Money::parse(t).unwrap();
        assert_eq!(
            m("300000.00").per(m("13636363636")).unwrap().to_string(),
            "0.000022"
        );
        assert_eq!(m("1").per(m("3")).unwrap().to_string(), "0.333333333333");
        assert_eq!(m("2").per(m("3")).unwrap().to_string(), "0.666666666667");
        assert_eq!(m("-2").per(m("3")).unwrap().to_string(), "-0.666666666667");
        assert_eq!(
            m("0.000000000001").per(m("2")).unwrap().to_string(),
            "0.000000000001"
        );
        assert_eq!(m("5").per(Money::ZERO), None);
    }

    #[test]
    fn parses_and_prints_exactly() {
        let m = |t: &str| Money::parse(t).unwrap();
        assert_eq!(m("0.00000080000").to_string(), "0.0000008");
        assert_eq!(m("3").to_string(), "3.00");
        assert_eq!(m("-12.5").to_string(), "-12.50");
        assert_eq!(m(".25").to_string(), "0.25");
        // A sum that f64 gets wrong.
        let sum: Money = std::iter::repeat_n(m("0.1"), 10).sum();
        assert_eq!(sum.to_string(), "1.00");
        assert_eq!(
            (m("0.00001605990") + m("0.00000080000")).to_string(),
            "0.0000168599"
        );
    }

    #[test]
    fn split_and_join_are_exact_for_negatives_and_sums() {
        let m = |t: &str| Money::parse(t).unwrap();
        assert_eq!(m("-1.25").split(), (-2, 750_000_000_000));
        let parts = [m("-1.25"), m("0.00000080000"), m("3.999999999999")];
        let (w, f) = parts.iter().fold((0i128, 0i128), |(w, f), x| {
            let (a, b) = x.split();
            (w + i128::from(a), f + i128::from(b))
        });
        assert_eq!(Money::join(w, f), parts.iter().copied().sum());
    }

    #[test]
    fn refuses_what_is_not_a_plain_decimal() {
        assert_eq!(Money::parse("abc").unwrap_err(), "not a decimal number");
        assert_eq!(Money::parse("1e-5").unwrap_err(), "not a decimal number");
        assert_eq!(Money::parse("").unwrap_err(), "not a decimal number");
        assert_eq!(Money::parse("1.2.3").unwrap_err(), "not a decimal number");
        assert!(
            Money::parse("0.0000000000001")
                .unwrap_err()
                .contains("decimal places")
        );
    }
}
