//! The value types of the architecture format (FORMAT.md, "Value types").
//!
//! Each type parses once from a resolved YAML [`Scalar`] through
//! [`FromScalar`], with an exact error that names what was found and, where
//! there is an obvious fix, a hint that spells it out ("write 0.72 or 72%").
//! Each type also prints back in the format's written form through
//! `Display`, for use in diagnostics, and describes its accepted forms as a
//! JSON Schema fragment.
//!
//! Numbers in messages never show float noise: values the user wrote are
//! echoed as written, computed ones go through [`fmt_num`].

use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde_json::{json, Value};

use crate::load::scalar::Scalar;

/// Why a scalar is not a valid value of a type.
///
/// `message` is lowercase, without a final period, and names what was found,
/// e.g. "expected a ratio, found 72"; `hint` is the fix, e.g.
/// "write 0.72 or 72%".
#[derive(Debug, Clone, PartialEq)]
pub struct UnitError {
    pub message: String,
    pub hint: Option<String>,
}

impl UnitError {
    /// An error without a hint.
    pub fn new(message: impl Into<String>) -> Self {
        UnitError {
            message: message.into(),
            hint: None,
        }
    }

    /// An error with a hint.
    pub fn with_hint(message: impl Into<String>, hint: impl Into<String>) -> Self {
        UnitError {
            message: message.into(),
            hint: Some(hint.into()),
        }
    }
}

impl fmt::Display for UnitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, " (hint: {hint})")?;
        }
        Ok(())
    }
}

impl std::error::Error for UnitError {}

/// A type that a scalar value of the format parses into.
pub trait FromScalar: Sized {
    /// How messages name the type: "a ratio", "a duration", ...
    const EXPECTED: &'static str;

    /// Parses the value, or says exactly why it is not one.
    fn from_scalar(s: Scalar<'_>) -> Result<Self, UnitError>;

    /// A JSON Schema (draft 2020-12) fragment for the accepted forms.
    fn json_schema() -> serde_json::Value;
}

// ---------------------------------------------------------------------------
// Number formatting

/// Formats a number for messages and hints, without float noise.
///
/// Values of magnitude 1 or more get at most 2 decimals, smaller ones at most
/// 4 significant digits; trailing zeros are trimmed (72.0 → "72",
/// 0.72 → "0.72", 1.3333 → "1.33", 0.00012346 → "0.0001235"). Very large or
/// very small magnitudes use exponent notation ("1.5e20"); NaN and the
/// infinities print as YAML writes them (".nan", ".inf", "-.inf").
pub fn fmt_num(v: f64) -> String {
    if let Some(s) = fmt_special(v) {
        return s;
    }
    let a = v.abs();
    if !(1e-6..1e15).contains(&a) {
        return fmt_sci(v, 3);
    }
    if a >= 1.0 {
        return fmt_dec(v, 2);
    }
    // 0 < a < 1: four significant digits.
    let mag = a.log10().floor() as i32; // -1 for 0.72, -4 for 0.0005
    fmt_dec(v, (3 - mag).max(0) as usize)
}

/// Appends [`fmt_num`]'s text to `out`; the common case without making a
/// string of its own.
pub fn write_num(out: &mut String, v: f64) {
    let a = v.abs();
    if v.is_finite() && v != 0.0 && (1e-6..1e15).contains(&a) {
        let decimals = if a >= 1.0 {
            2
        } else {
            (3 - a.log10().floor() as i32).max(0) as usize
        };
        if push_dec_fast(out, v, decimals) {
            return;
        }
    }
    out.push_str(&fmt_num(v));
}

/// Formats a number with up to 12 significant digits, trimmed: exact for any
/// value parsed from a short decimal text, and free of the noise of a few
/// arithmetic steps (`0.1 + 0.2` → "0.3", `0.07 * 100.0` → "7").
pub fn fmt_exact(v: f64) -> String {
    if let Some(s) = fmt_special(v) {
        return s;
    }
    let a = v.abs();
    if !(1e-6..1e15).contains(&a) {
        return fmt_sci(v, 11);
    }
    let mag = a.log10().floor() as i32;
    fmt_dec(v, (11 - mag).max(0) as usize)
}

/// Zero, NaN and the infinities, in the spelling of YAML.
fn fmt_special(v: f64) -> Option<String> {
    if v.is_nan() {
        Some(".nan".to_owned())
    } else if v.is_infinite() {
        Some(if v > 0.0 { ".inf" } else { "-.inf" }.to_owned())
    } else if v == 0.0 {
        Some("0".to_owned())
    } else {
        None
    }
}

/// `v` with at most `decimals` decimals, trailing zeros trimmed, never "-0".
fn fmt_dec(v: f64, decimals: usize) -> String {
    let mut s = String::with_capacity(24);
    push_dec(&mut s, v, decimals);
    s
}

/// Appends [`fmt_dec`]'s text to `out`: by integer arithmetic where that
/// is exact, else through the standard library.
fn push_dec(out: &mut String, v: f64, decimals: usize) {
    if !push_dec_fast(out, v, decimals) {
        out.push_str(&fmt_dec_exact(v, decimals));
    }
}

/// [`fmt_dec`] through the standard library's exact decimal rounding.
fn fmt_dec_exact(v: f64, decimals: usize) -> String {
    let s = trim_zeros(format!("{v:.decimals$}"));
    if s == "-0" {
        "0".to_owned()
    } else {
        s
    }
}

/// The powers of ten that are exact in an `f64`.
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// Appends [`fmt_dec`]'s text by integer arithmetic, when that is certain
/// to give the same digits as the exact rounding: `|v|·10^decimals` is
/// computed with one rounding (the power of ten is exact), so it is within
/// a relative 2^-53 of the exact product; unless that product is that close
/// to a rounding boundary (`n + 0.5`, which includes the exact ties),
/// rounding the computed product to an integer gives the exactly rounded
/// digits. `false`, and nothing appended, near a boundary, for huge
/// products and for non-finite values.
fn push_dec_fast(s: &mut String, v: f64, decimals: usize) -> bool {
    let Some(&scale) = POW10.get(decimals) else {
        return false;
    };
    let scaled = v.abs() * scale;
    // Below 2^53 every integer is exact.
    if scaled.is_nan() || scaled >= 9_007_199_254_740_992.0 {
        return false;
    }
    let floor = scaled.floor();
    let frac = scaled - floor; // exact
    let margin = scaled * (1.0 / 1_125_899_906_842_624.0); // 2^-50: 8× the error
    if (frac - 0.5).abs() <= margin + f64::EPSILON {
        return false;
    }
    let digits = floor as u64 + u64::from(frac > 0.5);
    if digits == 0 {
        s.push('0');
        return true;
    }
    // `digits` is below 2^53, so a unit past u64 (22 decimals at most)
    // leaves it all to the fraction.
    let (int, mut fraction) = match 10u64.checked_pow(decimals as u32) {
        Some(unit) => (digits / unit, digits % unit),
        None => (0, digits),
    };
    if v < 0.0 {
        s.push('-');
    }
    let mut buf = itoa::Buffer::new();
    s.push_str(buf.format(int));
    if fraction != 0 {
        let mut width = decimals;
        while fraction % 10 == 0 {
            fraction /= 10;
            width -= 1;
        }
        s.push('.');
        let fraction = buf.format(fraction);
        // Zeros after the point: 0.05 has the fraction 5 in 2 places.
        for _ in fraction.len()..width {
            s.push('0');
        }
        s.push_str(fraction);
    }
    true
}

/// Exponent notation with `decimals` mantissa decimals, trimmed ("1.5e20").
fn fmt_sci(v: f64, decimals: usize) -> String {
    let s = format!("{v:.decimals$e}");
    match s.split_once('e') {
        Some((mantissa, exp)) => format!("{}e{}", trim_zeros(mantissa.to_owned()), exp),
        None => s,
    }
}

fn trim_zeros(s: String) -> String {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        s
    }
}

/// A percentage with at most `decimals` decimals (4 significant digits below
/// 1), using more decimals rather than rounding a value below 100 up to 100.
fn fmt_percent(pct: f64, decimals: usize) -> String {
    if !pct.is_finite() || pct.abs() < 1.0 {
        return fmt_num(pct);
    }
    let mut d = decimals;
    loop {
        let s = fmt_dec(pct, d);
        // Only a value from 99 up to 100 can round up to 100.
        if !(99.0..100.0).contains(&pct) || d >= 10 || s.parse::<f64>().map_or(true, |r| r < 100.0)
        {
            return s;
        }
        d += 1;
    }
}

/// Appends [`fmt_percent`]'s text to `out`; the common case without making
/// a string of its own.
fn push_percent(out: &mut String, pct: f64, decimals: usize) {
    // Outside 99–100, `fmt_percent` takes its first rounding as it is.
    if pct.is_finite()
        && pct.abs() >= 1.0
        && !(99.0..100.0).contains(&pct)
        && push_dec_fast(out, pct, decimals)
    {
        return;
    }
    out.push_str(&fmt_percent(pct, decimals));
}

// ---------------------------------------------------------------------------
// Scanning helpers

/// Splits a leading decimal number off `s`: `[+-]?([0-9]+(\.[0-9]+)?|\.[0-9]+)`.
/// Returns the value, the number as written and the rest of the text.
fn split_number(s: &str) -> Option<(f64, &str, &str)> {
    let b = s.as_bytes();
    let mut i = usize::from(matches!(b.first(), Some(b'+' | b'-')));
    let int_start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    let int_digits = i - int_start;
    if i < b.len() && b[i] == b'.' {
        let mut k = i + 1;
        while k < b.len() && b[k].is_ascii_digit() {
            k += 1;
        }
        if k > i + 1 {
            i = k;
        }
    }
    if int_digits == 0 && i == int_start {
        return None;
    }
    let text = &s[..i];
    let v = text.parse::<f64>().ok()?;
    Some((v, text, &s[i..]))
}

/// Splits a leading number written with thousands separators (`1,200`,
/// `1_000_000.5`) off `s`: the value, the number without separators and the
/// rest. Every group after the first must have exactly three digits.
fn split_grouped_number(s: &str) -> Option<(f64, String, &str)> {
    let b = s.as_bytes();
    let mut i = usize::from(matches!(b.first(), Some(b'+' | b'-')));
    let mut plain = String::from(&s[..i]);
    let mut group = 0usize;
    let mut groups = 0usize;
    let mut separators = 0usize;
    while i < b.len() {
        match b[i] {
            c if c.is_ascii_digit() => {
                group += 1;
                plain.push(char::from(c));
            }
            b',' | b'_' => {
                if group == 0 || (groups == 0 && group > 3) || (groups > 0 && group != 3) {
                    return None;
                }
                groups += 1;
                separators += 1;
                group = 0;
            }
            _ => break,
        }
        i += 1;
    }
    if separators == 0 || group != 3 {
        return None;
    }
    let mut end = i;
    if end < b.len() && b[end] == b'.' {
        let mut k = end + 1;
        while k < b.len() && b[k].is_ascii_digit() {
            k += 1;
        }
        if k > end + 1 {
            plain.push_str(&s[end..k]);
            end = k;
        }
    }
    let v = plain.parse::<f64>().ok()?;
    Some((v, plain, &s[end..]))
}

/// A number written loosely inside a string ("1200", "1,200", "1.2k rps",
/// "$500", "3x"): its value, the plain way to write it, and the rest after a
/// `k`/`M` multiplier.
fn loose_number(s: &str) -> Option<(f64, String, &str)> {
    let s = s.strip_prefix('$').unwrap_or(s);
    let (mut v, mut text, rest) = match split_grouped_number(s) {
        Some(found) => found,
        None => {
            let (v, text, rest) = split_number(s)?;
            (v, text.to_owned(), rest)
        }
    };
    let trimmed = rest.trim_start();
    let mut chars = trimmed.chars();
    let factor = match chars.next() {
        Some('k' | 'K') => 1e3,
        Some('M') => 1e6,
        _ => 1.0,
    };
    let after = chars.as_str();
    let multiplier_ends = after
        .chars()
        .next()
        .is_none_or(|c| !c.is_ascii_alphabetic())
        || ["rps", "qps", "req"]
            .iter()
            .any(|u| after.to_ascii_lowercase().starts_with(u));
    if factor != 1.0 && multiplier_ends {
        v *= factor;
        text = fmt_exact(v);
        return Some((v, text, after));
    }
    Some((v, text, rest))
}

/// A string as it appears in a message: quoted, escaped, and cut short.
fn quote(s: &str) -> String {
    if s.is_empty() {
        return "an empty string".to_owned();
    }
    const MAX: usize = 40;
    let mut out = String::from("\"");
    for (n, c) in s.chars().enumerate() {
        if n == MAX {
            out.push('…');
            break;
        }
        out.extend(c.escape_debug());
    }
    out.push('"');
    out
}

/// What a scalar is, for "found ..." in messages.
fn describe(s: Scalar<'_>) -> String {
    match s {
        Scalar::Null => "null".to_owned(),
        Scalar::Bool(b) => b.to_string(),
        Scalar::Int(i) => i.to_string(),
        Scalar::Float(f) => fmt_exact(f),
        Scalar::Str(t) => quote(t),
    }
}

fn found(expected: &str, what: &str) -> String {
    format!("expected {expected}, found {what}")
}

/// The error for a scalar of the wrong kind (null gets no hint).
fn wrong_kind<T: FromScalar>(s: Scalar<'_>, hint: &str) -> UnitError {
    let message = found(T::EXPECTED, &describe(s));
    match s {
        Scalar::Null => UnitError::new(message),
        _ => UnitError::with_hint(message, hint),
    }
}

/// A string with spaces around a value that would otherwise be valid.
fn padded<T: FromScalar>(t: &str) -> Option<UnitError> {
    let inner = t.trim();
    if inner.len() == t.len() || inner.is_empty() || T::from_scalar(Scalar::Str(inner)).is_err() {
        return None;
    }
    Some(UnitError::with_hint(
        found(T::EXPECTED, &quote(t)),
        format!("remove the spaces around the value: write {inner}"),
    ))
}

/// "write 10ms without the space" when `rest` is a space and then a unit.
fn spaced_unit(number: &str, rest: &str, units: &[&str]) -> Option<String> {
    let unit = rest.trim_start();
    (unit.len() < rest.len() && units.contains(&unit))
        .then(|| format!("write {number}{unit} without the space"))
}

/// "write 5s": the example for a negative value, without its sign.
fn unsigned(number: &str) -> &str {
    number.trim_start_matches(['-', '+'])
}

fn negative(expected: &str, what: &str, example: &str) -> UnitError {
    UnitError::with_hint(
        format!("expected {expected} of 0 or more, found {what}"),
        format!("write a value of 0 or more, e.g. {example}"),
    )
}

fn non_finite(expected: &str, v: f64, hint: &str) -> UnitError {
    UnitError::with_hint(found(expected, &fmt_exact(v)), hint)
}

/// A string that holds a plain number: "write 1200 without quotes".
fn quoted_number(expected: &str, t: &str, number: &str) -> UnitError {
    UnitError::with_hint(
        found(expected, &format!("the string {}", quote(t))),
        format!("write {number} without quotes"),
    )
}

/// The number of a numeric scalar (Int or Float).
fn number_of(s: Scalar<'_>) -> Option<f64> {
    s.as_f64()
}

// ---------------------------------------------------------------------------
// Ratio

/// A fraction in [0, 1], written `0.72` or `72%`.
///
/// Parsed values lie in [0, 1]; computed ones (projections) may exceed 1.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct Ratio(pub f64);

impl Ratio {
    /// The ratio as a percentage (0.72 → 72).
    pub fn percent(self) -> f64 {
        self.0 * 100.0
    }
}

const RATIO_HINT: &str = "write a fraction from 0 to 1 or a percentage, e.g. 0.72 or 72%";

/// `what` is the number as the messages name it, asked for only when the
/// value is out of range (most values are in it).
fn ratio_from_number(v: f64, what: impl FnOnce() -> String) -> Result<Ratio, UnitError> {
    let e = Ratio::EXPECTED;
    if !v.is_finite() {
        return Err(non_finite(e, v, RATIO_HINT));
    }
    if (0.0..=1.0).contains(&v) {
        return Ok(Ratio(v + 0.0));
    }
    let what = &what();
    if v > 1.0 && v <= 100.0 {
        return Err(UnitError::with_hint(
            found(e, what),
            format!("write {} or {}%", fmt_exact(v / 100.0), what),
        ));
    }
    if v < 0.0 {
        return Err(UnitError::with_hint(
            format!("expected a ratio between 0 and 1, found {what}"),
            format!("write a value of 0 or more, e.g. {}", unsigned(what)),
        ));
    }
    Err(UnitError::with_hint(
        format!("expected a ratio between 0 and 1, found {what}"),
        "write a fraction from 0 to 1 or a percentage from 0% to 100%",
    ))
}

impl FromScalar for Ratio {
    const EXPECTED: &'static str = "a ratio";

    fn from_scalar(s: Scalar<'_>) -> Result<Self, UnitError> {
        let t = match s {
            Scalar::Int(_) | Scalar::Float(_) => {
                let v = number_of(s).unwrap_or(f64::NAN);
                return ratio_from_number(v, || describe(s));
            }
            Scalar::Str(t) => t,
            _ => return Err(wrong_kind::<Self>(s, RATIO_HINT)),
        };
        if let Some(e) = padded::<Self>(t) {
            return Err(e);
        }
        match split_number(t) {
            Some((v, number, "%")) => {
                if (0.0..=100.0).contains(&v) {
                    Ok(Ratio(v / 100.0 + 0.0))
                } else if v < 0.0 {
                    Err(UnitError::with_hint(
                        format!("expected a ratio between 0% and 100%, found {t}"),
                        format!("write a value of 0 or more, e.g. {}%", unsigned(number)),
                    ))
                } else {
                    Err(UnitError::with_hint(
                        format!("expected a ratio between 0% and 100%, found {t}"),
                        "write a percentage from 0% to 100%",
                    ))
                }
            }
            Some((v, number, "")) => {
                if (0.0..=1.0).contains(&v) {
                    Err(quoted_number(Self::EXPECTED, t, number))
                } else {
                    ratio_from_number(v, || number.to_owned())
                }
            }
            Some((_, number, rest)) => {
                let word = rest.trim().to_ascii_lowercase();
                let hint = match spaced_unit(number, rest, &["%"]) {
                    Some(h) => h,
                    None if ["percent", "pct", "per cent", "percents"].contains(&word.as_str()) => {
                        format!("write {number}%")
                    }
                    None => RATIO_HINT.to_owned(),
                };
                Err(UnitError::with_hint(found(Self::EXPECTED, &quote(t)), hint))
            }
            None => Err(wrong_kind::<Self>(s, RATIO_HINT)),
        }
    }

    fn json_schema() -> Value {
        json!({
            "description": "a ratio: a number from 0 to 1, or a percentage from 0% to 100%",
            "anyOf": [
                {"type": "number", "minimum": 0, "maximum": 1},
                {"type": "string", "pattern": r"^\+?0*(100(\.0+)?|[0-9]{1,2}(\.[0-9]+)?|\.[0-9]+)%$"}
            ],
            "examples": [0.72, "72%"]
        })
    }
}

impl Ratio {
    /// As a percentage: "72%", "72.5%", "250%".
    pub fn text(self) -> String {
        let mut s = String::with_capacity(8);
        self.write(&mut s);
        s
    }

    /// Appends [`Ratio::text`] to `out`.
    pub fn write(self, out: &mut String) {
        push_percent(out, self.0 * 100.0, 2);
        out.push('%');
    }
}

impl fmt::Display for Ratio {
    /// As a percentage: "72%", "72.5%", "250%".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text())
    }
}

// ---------------------------------------------------------------------------
// Duration

/// A length of time, written number + unit: `250ms`, `1.5s`, `10m`, `2h`, `1d`.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct Duration {
    /// The length in milliseconds.
    pub ms: f64,
}

/// The units of a duration and their length in milliseconds, smallest first.
const DURATION_UNITS: [(&str, f64); 5] = [
    ("ms", 1.0),
    ("s", 1e3),
    ("m", 60e3),
    ("h", 3_600e3),
    ("d", 86_400e3),
];

const DURATION_UNIT_LIST: &str = "ms, s, m, h or d";

impl Duration {
    /// A duration of `ms` milliseconds.
    pub fn from_ms(ms: f64) -> Self {
        Duration { ms }
    }

    /// A duration of `secs` seconds.
    pub fn from_secs(secs: f64) -> Self {
        Duration { ms: secs * 1e3 }
    }

    /// The length in milliseconds.
    pub fn ms(self) -> f64 {
        self.ms
    }

    /// The length in seconds.
    pub fn secs(self) -> f64 {
        self.ms / 1e3
    }
}

/// The duration unit a user probably meant by `word` (any case, long names),
/// with the factor to apply to the number ("2 weeks" is 14d).
fn duration_alias(word: &str) -> Option<(&'static str, f64)> {
    let w = word.trim().to_ascii_lowercase();
    let unit = match w.as_str() {
        "ms" | "msec" | "msecs" | "milli" | "millis" | "millisecond" | "milliseconds" => "ms",
        "s" | "sec" | "secs" | "second" | "seconds" => "s",
        "m" | "min" | "mins" | "minute" | "minutes" => "m",
        "h" | "hr" | "hrs" | "hour" | "hours" => "h",
        "d" | "day" | "days" => "d",
        "w" | "wk" | "wks" | "week" | "weeks" => return Some(("d", 7.0)),
        _ => return None,
    };
    Some((unit, 1.0))
}

impl FromScalar for Duration {
    const EXPECTED: &'static str = "a duration";

    fn from_scalar(s: Scalar<'_>) -> Result<Self, UnitError> {
        let e = Self::EXPECTED;
        // Only an error needs this text.
        let generic = || format!("write a number and a unit ({DURATION_UNIT_LIST}), e.g. 250ms");
        let t = match s {
            Scalar::Int(_) | Scalar::Float(_) => {
                let v = number_of(s).unwrap_or(f64::NAN);
                if !v.is_finite() {
                    return Err(non_finite(e, v, &generic()));
                }
                let what = describe(s);
                return Err(UnitError::with_hint(
                    found(e, &what),
                    format!("write {what}ms"),
                ));
            }
            Scalar::Str(t) => t,
            _ => return Err(wrong_kind::<Self>(s, &generic())),
        };
        if let Some(err) = padded::<Self>(t) {
            return Err(err);
        }
        let Some((v, number, rest)) = split_number(t) else {
            return Err(wrong_kind::<Self>(s, &generic()));
        };
        if let Some(&(_, factor)) = DURATION_UNITS.iter().find(|(u, _)| *u == rest) {
            let ms = v * factor;
            if v < 0.0 {
                return Err(negative(e, t, &format!("{}{rest}", unsigned(number))));
            }
            if !ms.is_finite() {
                return Err(UnitError::with_hint(
                    format!("expected a duration of finite length, found {}", quote(t)),
                    "write a shorter duration",
                ));
            }
            return Ok(Duration { ms: ms + 0.0 });
        }
        let units = DURATION_UNITS.map(|(u, _)| u);
        let hint = if rest.is_empty() {
            format!("write {number}ms")
        } else if let Some(h) = spaced_unit(number, rest, &units) {
            h
        } else if let Some((unit, factor)) = duration_alias(rest) {
            let n = if factor == 1.0 {
                number.to_owned()
            } else {
                fmt_exact(v * factor)
            };
            format!("write {n}{unit} (units: {DURATION_UNIT_LIST})")
        } else {
            format!("use one of the units {DURATION_UNIT_LIST}, e.g. {number}s")
        };
        Err(UnitError::with_hint(found(e, &quote(t)), hint))
    }

    fn json_schema() -> Value {
        json!({
            "description": "a duration: a number and a unit (ms, s, m, h or d)",
            "type": "string",
            "pattern": r"^\+?([0-9]+(\.[0-9]+)?|\.[0-9]+)(ms|s|m|h|d)$",
            "examples": ["250ms", "1.5s", "10m", "1d"]
        })
    }
}

/// Whether `v` has at most one decimal (up to float noise).
fn one_decimal(v: f64) -> bool {
    let tenths = v * 10.0;
    (tenths - tenths.round()).abs() <= 1e-9 * tenths.abs().max(1.0)
}

impl Duration {
    /// Appends the duration as [`Display`](fmt::Display) writes it.
    pub fn write(self, out: &mut String) {
        if self.ms.is_finite() {
            for &(unit, factor) in DURATION_UNITS[1..].iter().rev() {
                let v = self.ms / factor;
                if v >= 1.0 && one_decimal(v) {
                    push_dec(out, v, 1);
                    out.push_str(unit);
                    return;
                }
            }
        }
        write_num(out, self.ms);
        out.push_str("ms");
    }
}

impl fmt::Display for Duration {
    /// The largest unit that gives a value of at least 1 with at most one
    /// decimal ("1d", "1.5h", "30m", "1.5s"), else milliseconds ("420ms").
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = String::with_capacity(8);
        self.write(&mut s);
        f.write_str(&s)
    }
}

// ---------------------------------------------------------------------------
// Bytes

/// A size in bytes, written number + unit: `15GB`, `512MiB`.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct Bytes(pub f64);

/// The units of a size and their value in bytes.
const SIZE_UNITS: [(&str, f64); 9] = [
    ("B", 1.0),
    ("KB", 1e3),
    ("MB", 1e6),
    ("GB", 1e9),
    ("TB", 1e12),
    ("KiB", 1024.0),
    ("MiB", 1_048_576.0),
    ("GiB", 1_073_741_824.0),
    ("TiB", 1_099_511_627_776.0),
];

const SIZE_UNIT_LIST: &str = "B, KB, MB, GB, TB, KiB, MiB, GiB, TiB";

/// The size unit a user probably meant by `word` ("gb", "gigs", "G", "Gi").
fn size_alias(word: &str) -> Option<&'static str> {
    let w: String = word
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    if let Some(&(unit, _)) = SIZE_UNITS.iter().find(|(u, _)| u.to_ascii_lowercase() == w) {
        return Some(unit);
    }
    if w == "byte" || w == "bytes" {
        return Some("B");
    }
    let binary = (w.len() == 2 && w.ends_with('i'))
        || w.get(1..3) == Some("ib")
        || ["kibi", "mebi", "gibi", "tebi"]
            .iter()
            .any(|p| w.starts_with(p));
    let unit = match (w.as_bytes().first(), binary) {
        (Some(b'k'), false) => "KB",
        (Some(b'm'), false) => "MB",
        (Some(b'g'), false) => "GB",
        (Some(b't'), false) => "TB",
        (Some(b'k'), true) => "KiB",
        (Some(b'm'), true) => "MiB",
        (Some(b'g'), true) => "GiB",
        (Some(b't'), true) => "TiB",
        _ => return None,
    };
    Some(unit)
}

impl FromScalar for Bytes {
    const EXPECTED: &'static str = "a size";

    fn from_scalar(s: Scalar<'_>) -> Result<Self, UnitError> {
        let e = Self::EXPECTED;
        // Only an error needs this text.
        let generic = || format!("write a number and a unit ({SIZE_UNIT_LIST}), e.g. 15GB");
        let t = match s {
            Scalar::Int(_) | Scalar::Float(_) => {
                let v = number_of(s).unwrap_or(f64::NAN);
                if !v.is_finite() {
                    return Err(non_finite(e, v, &generic()));
                }
                let what = describe(s);
                return Err(UnitError::with_hint(
                    found(e, &what),
                    format!("add a unit, e.g. {what}GB or {what}GiB"),
                ));
            }
            Scalar::Str(t) => t,
            _ => return Err(wrong_kind::<Self>(s, &generic())),
        };
        if let Some(err) = padded::<Self>(t) {
            return Err(err);
        }
        let Some((v, number, rest)) = split_number(t) else {
            return Err(wrong_kind::<Self>(s, &generic()));
        };
        if let Some(&(_, factor)) = SIZE_UNITS.iter().find(|(u, _)| *u == rest) {
            let bytes = v * factor;
            if v < 0.0 {
                return Err(negative(e, t, &format!("{}{rest}", unsigned(number))));
            }
            if !bytes.is_finite() {
                return Err(UnitError::with_hint(
                    format!("expected a size of finite length, found {}", quote(t)),
                    "write a smaller size",
                ));
            }
            return Ok(Bytes(bytes + 0.0));
        }
        let units = SIZE_UNITS.map(|(u, _)| u);
        let hint = if rest.is_empty() {
            format!("add a unit, e.g. {number}GB or {number}GiB")
        } else if let Some(h) = spaced_unit(number, rest, &units) {
            h
        } else if let Some(unit) = size_alias(rest) {
            format!("write {number}{unit} (units: {SIZE_UNIT_LIST})")
        } else {
            format!("use one of the units {SIZE_UNIT_LIST}, e.g. {number}GB")
        };
        Err(UnitError::with_hint(found(e, &quote(t)), hint))
    }

    fn json_schema() -> Value {
        json!({
            "description": "a size: a number and a unit (B, KB, MB, GB, TB in powers of 1000; KiB, MiB, GiB, TiB in powers of 1024)",
            "type": "string",
            "pattern": r"^\+?([0-9]+(\.[0-9]+)?|\.[0-9]+)(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$",
            "examples": ["15GB", "512MiB"]
        })
    }
}

impl fmt::Display for Bytes {
    /// The largest decimal unit giving a value of at least 1, with at most
    /// 2 decimals ("15GB", "1.5GB", "512MB", "900B").
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const DECIMAL: [(&str, f64); 5] = [
            ("TB", 1e12),
            ("GB", 1e9),
            ("MB", 1e6),
            ("KB", 1e3),
            ("B", 1.0),
        ];
        let b = self.0;
        if b.is_finite() && b.abs() >= 1.0 {
            for (i, &(unit, factor)) in DECIMAL.iter().enumerate() {
                let v = b / factor;
                if v.abs() < 1.0 {
                    continue;
                }
                let s = fmt_dec(v, 2);
                // 999.999MB rounds to "1000MB": say "1GB".
                if i > 0 && s.parse::<f64>().is_ok_and(|r| r.abs() >= 1000.0) {
                    let (up, up_factor) = DECIMAL[i - 1];
                    return write!(f, "{}{up}", fmt_dec(b / up_factor, 2));
                }
                return write!(f, "{s}{unit}");
            }
        }
        write!(f, "{}B", fmt_num(b))
    }
}

// ---------------------------------------------------------------------------
// Rate

/// A number of events (requests, reads, writes) per second.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct Rate(pub f64);

const RATE_HINT: &str = "write a number of requests per second, e.g. 1200";

/// The per-second value of a string like "1200/s", "1.2k rps" or "60/min".
fn rate_text_value(v: f64, text: &str, unit: &str) -> String {
    let u: String = unit
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    let per = |ends: &[&str]| ends.iter().any(|e| u.ends_with(e));
    let divisor = if per(&[
        "/m",
        "/min",
        "/mins",
        "/minute",
        "rpm",
        "perminute",
        "aminute",
    ]) {
        60.0
    } else if per(&["/h", "/hr", "/hour", "rph", "perhour", "anhour"]) {
        3_600.0
    } else if per(&["/d", "/day", "rpd", "perday", "aday"]) {
        86_400.0
    } else {
        1.0
    };
    if divisor == 1.0 {
        text.to_owned()
    } else {
        fmt_num(v / divisor)
    }
}

impl FromScalar for Rate {
    const EXPECTED: &'static str = "a rate";

    fn from_scalar(s: Scalar<'_>) -> Result<Self, UnitError> {
        let e = Self::EXPECTED;
        let t = match s {
            Scalar::Int(_) | Scalar::Float(_) => {
                let v = number_of(s).unwrap_or(f64::NAN);
                if !v.is_finite() {
                    return Err(non_finite(e, v, RATE_HINT));
                }
                if v < 0.0 {
                    let what = describe(s);
                    return Err(negative(e, &what, unsigned(&what)));
                }
                return Ok(Rate(v + 0.0));
            }
            Scalar::Str(t) => t,
            _ => return Err(wrong_kind::<Self>(s, RATE_HINT)),
        };
        if let Some(err) = padded::<Self>(t) {
            return Err(err);
        }
        let what = quote(t);
        match loose_number(t) {
            Some((_, text, "")) if text == t => Err(quoted_number(e, t, &text)),
            Some((v, text, rest)) => Err(UnitError::with_hint(
                found(e, &what),
                format!(
                    "write a plain number of requests per second: {}",
                    rate_text_value(v, &text, rest)
                ),
            )),
            None => Err(wrong_kind::<Self>(s, RATE_HINT)),
        }
    }

    fn json_schema() -> Value {
        json!({
            "description": "a rate: a non-negative number per second",
            "type": "number",
            "minimum": 0,
            "examples": [1200, 3000.5]
        })
    }
}

impl fmt::Display for Rate {
    /// A whole rate as an integer, else with at most 2 decimals.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&fmt_num(self.0))
    }
}

// ---------------------------------------------------------------------------
// Count

/// A non-negative whole number.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct Count(pub u64);

const COUNT_HINT: &str = "write a whole number, e.g. 3";

fn count_from_number(v: f64, what: &str) -> Result<Count, UnitError> {
    let e = Count::EXPECTED;
    if !v.is_finite() {
        return Err(non_finite(e, v, COUNT_HINT));
    }
    if v < 0.0 {
        return Err(negative(e, what, &fmt_num(-v)));
    }
    if v.fract() != 0.0 {
        return Err(UnitError::with_hint(
            found("a whole number", what),
            format!("write {} or {}", fmt_num(v.floor()), fmt_num(v.ceil())),
        ));
    }
    // 2^64: the first whole float a u64 cannot hold.
    if v >= 18_446_744_073_709_551_616.0 {
        return Err(UnitError::with_hint(
            format!("expected a count below 2^64, found {what}"),
            "write a smaller number",
        ));
    }
    Ok(Count(v as u64))
}

impl FromScalar for Count {
    const EXPECTED: &'static str = "a count";

    fn from_scalar(s: Scalar<'_>) -> Result<Self, UnitError> {
        let t = match s {
            Scalar::Int(i) => {
                return u64::try_from(i).map(Count).map_err(|_| {
                    negative(
                        Self::EXPECTED,
                        &i.to_string(),
                        &i.unsigned_abs().to_string(),
                    )
                });
            }
            Scalar::Float(v) => return count_from_number(v, &describe(s)),
            Scalar::Str(t) => t,
            _ => return Err(wrong_kind::<Self>(s, COUNT_HINT)),
        };
        if let Some(err) = padded::<Self>(t) {
            return Err(err);
        }
        match loose_number(t) {
            Some((v, text, "")) if text == t => match count_from_number(v, &text) {
                Ok(_) => Err(quoted_number(Self::EXPECTED, t, &text)),
                Err(err) => Err(err),
            },
            Some((v, text, _)) if count_from_number(v, &text).is_ok() => Err(UnitError::with_hint(
                found(Self::EXPECTED, &quote(t)),
                format!("write a plain whole number: {text}"),
            )),
            _ => Err(wrong_kind::<Self>(s, COUNT_HINT)),
        }
    }

    fn json_schema() -> Value {
        json!({
            "description": "a count: a non-negative whole number",
            "type": "integer",
            "minimum": 0,
            "examples": [3]
        })
    }
}

impl fmt::Display for Count {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

// ---------------------------------------------------------------------------
// Number

/// Any finite number; range checks (`growth` ≥ 1, ...) are done by the caller.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct Number(pub f64);

const NUMBER_HINT: &str = "write a plain number, e.g. 1.5";

impl FromScalar for Number {
    const EXPECTED: &'static str = "a number";

    fn from_scalar(s: Scalar<'_>) -> Result<Self, UnitError> {
        let e = Self::EXPECTED;
        let t = match s {
            Scalar::Int(_) | Scalar::Float(_) => {
                let v = number_of(s).unwrap_or(f64::NAN);
                if !v.is_finite() {
                    return Err(non_finite(e, v, NUMBER_HINT));
                }
                return Ok(Number(v + 0.0));
            }
            Scalar::Str(t) => t,
            _ => return Err(wrong_kind::<Self>(s, NUMBER_HINT)),
        };
        if let Some(err) = padded::<Self>(t) {
            return Err(err);
        }
        match loose_number(t) {
            Some((_, text, "")) if text == t => Err(quoted_number(e, t, &text)),
            Some((_, text, _)) => Err(UnitError::with_hint(
                found(e, &quote(t)),
                format!("write a plain number: {text}"),
            )),
            None => Err(wrong_kind::<Self>(s, NUMBER_HINT)),
        }
    }

    fn json_schema() -> Value {
        json!({"description": "a number", "type": "number"})
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&fmt_num(self.0))
    }
}

// ---------------------------------------------------------------------------
// Date

/// A calendar day, written `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct Date(pub NaiveDate);

const DATE_HINT: &str = "write YYYY-MM-DD, e.g. 2026-06-01";

/// Year, month and day of `YYYY-MM-DD` exactly (not checked against the calendar).
fn date_fields(t: &str) -> Option<(i32, u32, u32)> {
    let b = t.as_bytes();
    let shape = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape {
        return None;
    }
    Some((
        t[..4].parse().ok()?,
        t[5..7].parse().ok()?,
        t[8..].parse().ok()?,
    ))
}

/// A valid date written another way: "2026-6-1", "2026/06/01", "2026.06.01".
fn loose_date(t: &str) -> Option<NaiveDate> {
    let parts: Vec<&str> = t.split(['-', '/', '.']).collect();
    let [y, m, d] = parts.as_slice() else {
        return None;
    };
    let numeric = |p: &str, len: std::ops::RangeInclusive<usize>| {
        len.contains(&p.len()) && p.bytes().all(|c| c.is_ascii_digit())
    };
    if !(numeric(y, 4..=4) && numeric(m, 1..=2) && numeric(d, 1..=2)) {
        return None;
    }
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

fn days_in_month(year: i32, month: u32) -> Option<u32> {
    let first = NaiveDate::from_ymd_opt(year, month, 1)?;
    let next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)?
    };
    u32::try_from((next - first).num_days()).ok()
}

impl FromScalar for Date {
    const EXPECTED: &'static str = "a date";

    fn from_scalar(s: Scalar<'_>) -> Result<Self, UnitError> {
        let e = Self::EXPECTED;
        let t = match s {
            Scalar::Str(t) => t,
            Scalar::Int(i) => {
                // 20260601
                let hint = (10_000_000..=99_991_231)
                    .contains(&i)
                    .then(|| i.to_string())
                    .and_then(|d| loose_date(&format!("{}-{}-{}", &d[..4], &d[4..6], &d[6..])))
                    .map_or_else(
                        || DATE_HINT.to_owned(),
                        |d| format!("write {}", d.format("%Y-%m-%d")),
                    );
                return Err(UnitError::with_hint(found(e, &i.to_string()), hint));
            }
            _ => return Err(wrong_kind::<Self>(s, DATE_HINT)),
        };
        if let Some(err) = padded::<Self>(t) {
            return Err(err);
        }
        if let Some((y, m, d)) = date_fields(t) {
            if let Some(date) = NaiveDate::from_ymd_opt(y, m, d) {
                return Ok(Date(date));
            }
            let hint = if !(1..=12).contains(&m) {
                format!("there is no month {m}: write YYYY-MM-DD")
            } else {
                match days_in_month(y, m) {
                    Some(days) => {
                        let month = NaiveDate::from_ymd_opt(y, m, 1)
                            .map_or_else(String::new, |d| d.format("%B %Y").to_string());
                        format!("{month} has {days} days")
                    }
                    None => DATE_HINT.to_owned(),
                }
            };
            return Err(UnitError::with_hint(
                format!("expected a date, found {t}, which is not a day of the calendar"),
                hint,
            ));
        }
        // A date and a time: "2026-06-01T12:00:00Z", "2026-06-01 12:00".
        if let Some((head, _)) = t.get(..10).zip(t.get(10..)) {
            let day = t[10..].starts_with(['T', 't', ' ']);
            if day && date_fields(head).is_some() && Self::from_scalar(Scalar::Str(head)).is_ok() {
                return Err(UnitError::with_hint(
                    found(e, &quote(t)),
                    format!("write the day only: {head}"),
                ));
            }
        }
        let hint = loose_date(t).map_or_else(
            || DATE_HINT.to_owned(),
            |d| format!("write {}", d.format("%Y-%m-%d")),
        );
        Err(UnitError::with_hint(found(e, &quote(t)), hint))
    }

    fn json_schema() -> Value {
        json!({
            "description": "a date: YYYY-MM-DD",
            "type": "string",
            "format": "date",
            "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
            "examples": ["2026-06-01"]
        })
    }
}

impl fmt::Display for Date {
    /// `YYYY-MM-DD`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02}",
            self.0.year(),
            self.0.month(),
            self.0.day()
        )
    }
}

// ---------------------------------------------------------------------------
// Availability

/// An availability target in percent, in [50, 100): `99.95` or `"99.95%"`.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct Availability(pub f64);

impl Availability {
    /// The availability as a fraction (99.95 → 0.9995).
    pub fn fraction(self) -> f64 {
        self.0 / 100.0
    }
}

const AVAILABILITY_HINT: &str = "write a percentage from 50 up to (not including) 100, e.g. 99.9";

/// Checks an availability in percent; `what` is the value as written and
/// `pct` whether it was written with a `%`.
fn availability_from_number(v: f64, what: &str, pct: bool) -> Result<Availability, UnitError> {
    let e = Availability::EXPECTED;
    if !v.is_finite() {
        return Err(non_finite(e, v, AVAILABILITY_HINT));
    }
    if (50.0..100.0).contains(&v) {
        return Ok(Availability(v));
    }
    let sign = if pct { "%" } else { "" };
    if v >= 100.0 {
        return Err(UnitError::with_hint(
            format!("expected an availability below 100{sign}, found {what}"),
            format!(
                "no system is up all the time: write a target such as 99.9{sign} or 99.99{sign}"
            ),
        ));
    }
    let as_percent = v * 100.0;
    if !pct && v > 0.0 && (50.0..100.0).contains(&as_percent) {
        return Err(UnitError::with_hint(
            found(e, what),
            format!("write {}", fmt_exact(as_percent)),
        ));
    }
    Err(UnitError::with_hint(
        format!("expected an availability of at least 50{sign}, found {what}"),
        AVAILABILITY_HINT,
    ))
}

impl FromScalar for Availability {
    const EXPECTED: &'static str = "an availability";

    fn from_scalar(s: Scalar<'_>) -> Result<Self, UnitError> {
        let t = match s {
            Scalar::Int(_) | Scalar::Float(_) => {
                let v = number_of(s).unwrap_or(f64::NAN);
                return availability_from_number(v, &describe(s), false);
            }
            Scalar::Str(t) => t,
            _ => return Err(wrong_kind::<Self>(s, AVAILABILITY_HINT)),
        };
        if let Some(err) = padded::<Self>(t) {
            return Err(err);
        }
        match split_number(t) {
            Some((v, _, "%")) => availability_from_number(v, t, true),
            Some((v, number, "")) => match availability_from_number(v, number, false) {
                Ok(_) => Err(quoted_number(Self::EXPECTED, t, number)),
                Err(err) => Err(err),
            },
            Some((_, number, rest)) => {
                let word = rest.trim().to_ascii_lowercase();
                let hint = match spaced_unit(number, rest, &["%"]) {
                    Some(h) => h,
                    None if ["percent", "pct", "per cent"].contains(&word.as_str()) => {
                        format!("write {number}%")
                    }
                    None => AVAILABILITY_HINT.to_owned(),
                };
                Err(UnitError::with_hint(found(Self::EXPECTED, &quote(t)), hint))
            }
            None => Err(wrong_kind::<Self>(s, AVAILABILITY_HINT)),
        }
    }

    fn json_schema() -> Value {
        json!({
            "description": "an availability in percent, from 50 up to (not including) 100",
            "anyOf": [
                {"type": "number", "minimum": 50, "exclusiveMaximum": 100},
                {"type": "string", "pattern": r"^\+?0*[5-9][0-9](\.[0-9]+)?%$"}
            ],
            "examples": [99.99, "99.9%"]
        })
    }
}

impl Availability {
    /// "99.95%": up to 4 decimals, and never rounded up to 100%.
    pub fn text(self) -> String {
        let mut s = String::with_capacity(8);
        self.write(&mut s);
        s
    }

    /// Appends [`Availability::text`] to `out`.
    pub fn write(self, out: &mut String) {
        push_percent(out, self.0, 4);
        out.push('%');
    }
}

impl fmt::Display for Availability {
    /// "99.95%": up to 4 decimals, and never rounded up to 100%.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text())
    }
}

// ---------------------------------------------------------------------------
// bool and String

impl FromScalar for bool {
    const EXPECTED: &'static str = "a boolean";

    fn from_scalar(s: Scalar<'_>) -> Result<Self, UnitError> {
        let hint = match s {
            Scalar::Bool(b) => return Ok(b),
            Scalar::Str(t) => match t.trim().to_ascii_lowercase().as_str() {
                "true" | "false" => "write true or false without quotes",
                "yes" | "y" | "on" => "write true",
                "no" | "n" | "off" => "write false",
                _ => "write true or false",
            },
            Scalar::Int(1) => "write true",
            Scalar::Int(0) => "write false",
            _ => "write true or false",
        };
        Err(wrong_kind::<Self>(s, hint))
    }

    fn json_schema() -> Value {
        json!({"type": "boolean"})
    }
}

impl FromScalar for String {
    const EXPECTED: &'static str = "a string";

    fn from_scalar(s: Scalar<'_>) -> Result<Self, UnitError> {
        match s {
            Scalar::Str(t) => Ok(t.to_owned()),
            Scalar::Null => Err(UnitError::new(found(Self::EXPECTED, "null"))),
            _ => Err(UnitError::with_hint(
                found(Self::EXPECTED, s.type_name()),
                "put the value in quotes",
            )),
        }
    }

    fn json_schema() -> Value {
        json!({"type": "string"})
    }
}

// ---------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;

    fn ok<T: FromScalar + fmt::Debug>(s: Scalar<'_>) -> T {
        match T::from_scalar(s) {
            Ok(v) => v,
            Err(e) => panic!("{s:?} should parse as {}: {e}", T::EXPECTED),
        }
    }

    fn err<T: FromScalar + fmt::Debug>(s: Scalar<'_>) -> UnitError {
        match T::from_scalar(s) {
            Ok(v) => panic!("{s:?} should not parse as {}, got {v:?}", T::EXPECTED),
            Err(e) => e,
        }
    }

    /// Asserts the exact message and hint of the error for `s`.
    fn rejects<T: FromScalar + fmt::Debug>(s: Scalar<'_>, message: &str, hint: Option<&str>) {
        let e = err::<T>(s);
        assert_eq!(e.message, message, "message for {s:?}");
        assert_eq!(e.hint.as_deref(), hint, "hint for {s:?}");
    }

    /// A plain YAML scalar resolved by the core schema, as the loader does.
    fn plain(text: &str) -> Scalar<'_> {
        Scalar::resolve(text, true)
    }

    fn quoted(text: &str) -> Scalar<'_> {
        Scalar::resolve(text, false)
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
    }

    /// Every scanned input, of every type: none may panic.
    const NASTY: &[&str] = &[
        "",
        " ",
        "%",
        "-",
        "+",
        ".",
        "-.",
        "+%",
        ".%",
        "1.",
        "1.%",
        "1..2",
        "--1",
        "1e400",
        "1e3ms",
        ".inf",
        "-.inf",
        ".nan",
        "inf",
        "NaN",
        "infinity",
        "0x10",
        "0o7",
        "ms",
        "GB",
        "ü",
        "1ü",
        "€5",
        "5€",
        "1,2",
        "1,,200",
        ",200",
        "1,2000",
        "1_000_",
        "$",
        "$x",
        "k",
        "1k",
        "1M",
        "1kk",
        "99999999999999999999999999999999999999",
        "1d1",
        "2026-13-45",
        "2026-00-00",
        "0000-01-01",
        "9999-12-31",
        "2026-06-01T",
        "2026-06-0",
        "20260601",
        "-2026-06-01",
        "\u{0}",
        "\"\"",
        "1 1",
        "12 %",
        "  ",
        "\t5s",
        "5s\n",
        "0%",
        "100%",
        "-0%",
        "+5%",
        "-0",
        "-0.0",
        "18446744073709551616",
        "9223372036854775808",
        "-9223372036854775809",
    ];

    fn all_types_total(s: Scalar<'_>) {
        let _ = Ratio::from_scalar(s);
        let _ = Duration::from_scalar(s);
        let _ = Bytes::from_scalar(s);
        let _ = Rate::from_scalar(s);
        let _ = Count::from_scalar(s);
        let _ = Number::from_scalar(s);
        let _ = Date::from_scalar(s);
        let _ = Availability::from_scalar(s);
        let _ = bool::from_scalar(s);
        let _ = String::from_scalar(s);
    }

    // -- formatting ---------------------------------------------------------

    #[test]
    fn fmt_num_trims_and_rounds() {
        assert_eq!(fmt_num(72.0), "72");
        assert_eq!(fmt_num(0.72), "0.72");
        assert_eq!(fmt_num(1.333_333_3), "1.33");
        assert_eq!(fmt_num(0.333_333_3), "0.3333");
        assert_eq!(fmt_num(0.1 + 0.2), "0.3");
        assert_eq!(fmt_num(0.000_123_46), "0.0001235");
        assert_eq!(fmt_num(1.005), "1");
        assert_eq!(fmt_num(2.5), "2.5");
        assert_eq!(fmt_num(1500.0), "1500");
        assert_eq!(fmt_num(-2.34567), "-2.35");
        assert_eq!(fmt_num(-0.0), "0");
        assert_eq!(fmt_num(0.0), "0");
        assert_eq!(fmt_num(-0.001), "-0.001");
        assert_eq!(fmt_num(0.99999), "1");
        assert_eq!(fmt_num(1e20), "1e20");
        assert_eq!(fmt_num(1.5e20), "1.5e20");
        assert_eq!(fmt_num(1e-9), "1e-9");
        assert_eq!(fmt_num(f64::NAN), ".nan");
        assert_eq!(fmt_num(f64::INFINITY), ".inf");
        assert_eq!(fmt_num(f64::NEG_INFINITY), "-.inf");
        assert_eq!(fmt_num(f64::MAX), "1.798e308");
        assert_eq!(fmt_num(f64::MIN_POSITIVE), "2.225e-308");
    }

    #[test]
    fn fmt_exact_removes_float_noise_only() {
        assert_eq!(fmt_exact(0.1 + 0.2), "0.3");
        assert_eq!(fmt_exact(0.07 * 100.0), "7");
        assert_eq!(fmt_exact(0.9995 * 100.0), "99.95");
        assert_eq!(fmt_exact(99.999), "99.999");
        assert_eq!(fmt_exact(0.725), "0.725");
        assert_eq!(fmt_exact(123_456.789), "123456.789");
        assert_eq!(fmt_exact(-2.5), "-2.5");
        assert_eq!(fmt_exact(1e300), "1e300");
        assert_eq!(fmt_exact(1.25e-7), "1.25e-7");
    }

    #[test]
    fn split_number_grammar() {
        assert_eq!(split_number("72%"), Some((72.0, "72", "%")));
        assert_eq!(split_number("72.5%"), Some((72.5, "72.5", "%")));
        assert_eq!(split_number(".5s"), Some((0.5, ".5", "s")));
        assert_eq!(split_number("-5%"), Some((-5.0, "-5", "%")));
        assert_eq!(split_number("+5"), Some((5.0, "+5", "")));
        assert_eq!(split_number("1.s"), Some((1.0, "1", ".s")));
        assert_eq!(split_number("1e3"), Some((1.0, "1", "e3")));
        assert_eq!(split_number("."), None);
        assert_eq!(split_number("-"), None);
        assert_eq!(split_number("inf"), None);
        assert_eq!(split_number(""), None);
    }

    #[test]
    fn grouped_numbers() {
        assert_eq!(
            split_grouped_number("1,200"),
            Some((1200.0, "1200".to_owned(), ""))
        );
        assert_eq!(
            split_grouped_number("1_000_000.5 rps"),
            Some((1_000_000.5, "1000000.5".to_owned(), " rps"))
        );
        assert_eq!(split_grouped_number("1,5"), None);
        assert_eq!(split_grouped_number("1,2000"), None);
        assert_eq!(split_grouped_number("1234,000"), None);
        assert_eq!(split_grouped_number(",200"), None);
        assert_eq!(split_grouped_number("1200"), None);
    }

    #[test]
    fn never_panics() {
        for text in NASTY {
            all_types_total(plain(text));
            all_types_total(quoted(text));
        }
        for v in [
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::MAX,
            f64::MIN,
            f64::MIN_POSITIVE,
            -0.0,
            1e19,
            1.8446744073709552e19,
            -1e-300,
        ] {
            all_types_total(Scalar::Float(v));
            let _ = (
                Ratio(v).to_string(),
                Duration::from_ms(v).to_string(),
                Bytes(v).to_string(),
                Rate(v).to_string(),
                Number(v).to_string(),
                Availability(v).to_string(),
            );
        }
        for i in [i64::MIN, -1, 0, 1, i64::MAX, 20_260_601, 99_999_999] {
            all_types_total(Scalar::Int(i));
        }
        all_types_total(Scalar::Null);
        all_types_total(Scalar::Bool(true));
    }

    #[test]
    fn null_is_rejected_without_hint_by_every_type() {
        let cases = [
            (err::<Ratio>(Scalar::Null), "a ratio"),
            (err::<Duration>(Scalar::Null), "a duration"),
            (err::<Bytes>(Scalar::Null), "a size"),
            (err::<Rate>(Scalar::Null), "a rate"),
            (err::<Count>(Scalar::Null), "a count"),
            (err::<Number>(Scalar::Null), "a number"),
            (err::<Date>(Scalar::Null), "a date"),
            (err::<Availability>(Scalar::Null), "an availability"),
            (err::<bool>(Scalar::Null), "a boolean"),
            (err::<String>(Scalar::Null), "a string"),
        ];
        for (e, expected) in cases {
            assert_eq!(e.message, format!("expected {expected}, found null"));
            assert_eq!(e.hint, None);
        }
    }

    #[test]
    fn non_finite_numbers_are_rejected_by_every_numeric_type() {
        for (text, shown) in [
            (".inf", ".inf"),
            ("-.inf", "-.inf"),
            (".nan", ".nan"),
            ("1e400", ".inf"),
        ] {
            let s = plain(text);
            assert_eq!(
                err::<Ratio>(s).message,
                format!("expected a ratio, found {shown}")
            );
            assert_eq!(
                err::<Duration>(s).message,
                format!("expected a duration, found {shown}")
            );
            assert_eq!(
                err::<Bytes>(s).message,
                format!("expected a size, found {shown}")
            );
            assert_eq!(
                err::<Rate>(s).message,
                format!("expected a rate, found {shown}")
            );
            assert_eq!(
                err::<Count>(s).message,
                format!("expected a count, found {shown}")
            );
            assert_eq!(
                err::<Number>(s).message,
                format!("expected a number, found {shown}")
            );
            assert_eq!(
                err::<Availability>(s).message,
                format!("expected an availability, found {shown}")
            );
            assert!(err::<Ratio>(s).hint.is_some());
        }
    }

    #[test]
    fn unit_error_display() {
        let e = UnitError::with_hint("expected a ratio, found 72", "write 0.72 or 72%");
        assert_eq!(
            e.to_string(),
            "expected a ratio, found 72 (hint: write 0.72 or 72%)"
        );
        assert_eq!(UnitError::new("x").to_string(), "x");
    }

    // -- ratio --------------------------------------------------------------

    #[test]
    fn ratio_accepts_fractions_and_percentages() {
        assert_eq!(ok::<Ratio>(plain("0.72")), Ratio(0.72));
        assert_eq!(ok::<Ratio>(plain("72%")), Ratio(0.72));
        assert_eq!(ok::<Ratio>(quoted("72%")), Ratio(0.72));
        assert_eq!(ok::<Ratio>(plain("72.5%")), Ratio(0.725));
        assert_eq!(ok::<Ratio>(plain("0")), Ratio(0.0));
        assert_eq!(ok::<Ratio>(plain("1")), Ratio(1.0));
        assert_eq!(ok::<Ratio>(plain("0.0")), Ratio(0.0));
        assert_eq!(ok::<Ratio>(plain("1.0")), Ratio(1.0));
        assert_eq!(ok::<Ratio>(plain("0%")), Ratio(0.0));
        assert_eq!(ok::<Ratio>(plain("100%")), Ratio(1.0));
        assert_eq!(ok::<Ratio>(plain("100.0%")), Ratio(1.0));
        assert_eq!(ok::<Ratio>(plain(".5%")), Ratio(0.005));
        assert_eq!(ok::<Ratio>(plain("-0")), Ratio(0.0));
        let z = ok::<Ratio>(plain("-0%"));
        assert!(z.0 == 0.0 && z.0.is_sign_positive());
        let z = ok::<Ratio>(plain("-0.0"));
        assert!(z.0.is_sign_positive());
        assert!(close(ok::<Ratio>(plain("0.1%")).0, 0.001));
    }

    #[test]
    fn ratio_rejects_percent_written_as_number() {
        rejects::<Ratio>(
            plain("72"),
            "expected a ratio, found 72",
            Some("write 0.72 or 72%"),
        );
        rejects::<Ratio>(
            plain("1.3"),
            "expected a ratio, found 1.3",
            Some("write 0.013 or 1.3%"),
        );
        rejects::<Ratio>(
            plain("72.5"),
            "expected a ratio, found 72.5",
            Some("write 0.725 or 72.5%"),
        );
        rejects::<Ratio>(
            plain("100"),
            "expected a ratio, found 100",
            Some("write 1 or 100%"),
        );
        rejects::<Ratio>(
            plain("7"),
            "expected a ratio, found 7",
            Some("write 0.07 or 7%"),
        );
        rejects::<Ratio>(
            plain("1.0001"),
            "expected a ratio, found 1.0001",
            Some("write 0.010001 or 1.0001%"),
        );
        // Quoted "72" is a string, but the fix is the same.
        rejects::<Ratio>(
            quoted("72"),
            "expected a ratio, found 72",
            Some("write 0.72 or 72%"),
        );
    }

    #[test]
    fn ratio_rejects_out_of_range() {
        rejects::<Ratio>(
            quoted("-5%"),
            "expected a ratio between 0% and 100%, found -5%",
            Some("write a value of 0 or more, e.g. 5%"),
        );
        rejects::<Ratio>(
            plain("-5%"),
            "expected a ratio between 0% and 100%, found -5%",
            Some("write a value of 0 or more, e.g. 5%"),
        );
        rejects::<Ratio>(
            plain("100.5%"),
            "expected a ratio between 0% and 100%, found 100.5%",
            Some("write a percentage from 0% to 100%"),
        );
        rejects::<Ratio>(
            plain("250%"),
            "expected a ratio between 0% and 100%, found 250%",
            Some("write a percentage from 0% to 100%"),
        );
        rejects::<Ratio>(
            plain("150"),
            "expected a ratio between 0 and 1, found 150",
            Some("write a fraction from 0 to 1 or a percentage from 0% to 100%"),
        );
        rejects::<Ratio>(
            plain("100.5"),
            "expected a ratio between 0 and 1, found 100.5",
            Some("write a fraction from 0 to 1 or a percentage from 0% to 100%"),
        );
        rejects::<Ratio>(
            plain("-0.5"),
            "expected a ratio between 0 and 1, found -0.5",
            Some("write a value of 0 or more, e.g. 0.5"),
        );
        rejects::<Ratio>(
            plain("-1"),
            "expected a ratio between 0 and 1, found -1",
            Some("write a value of 0 or more, e.g. 1"),
        );
    }

    #[test]
    fn ratio_rejects_strings() {
        let generic = Some(RATIO_HINT);
        rejects::<Ratio>(
            quoted("0.72"),
            "expected a ratio, found the string \"0.72\"",
            Some("write 0.72 without quotes"),
        );
        rejects::<Ratio>(plain("high"), "expected a ratio, found \"high\"", generic);
        rejects::<Ratio>(
            quoted(""),
            "expected a ratio, found an empty string",
            generic,
        );
        rejects::<Ratio>(
            plain("72 %"),
            "expected a ratio, found \"72 %\"",
            Some("write 72% without the space"),
        );
        rejects::<Ratio>(
            quoted("72 percent"),
            "expected a ratio, found \"72 percent\"",
            Some("write 72%"),
        );
        rejects::<Ratio>(plain("72%%"), "expected a ratio, found \"72%%\"", generic);
        rejects::<Ratio>(plain("true"), "expected a ratio, found true", generic);
        rejects::<Ratio>(
            quoted(" 72% "),
            "expected a ratio, found \" 72% \"",
            Some("remove the spaces around the value: write 72%"),
        );
    }

    #[test]
    fn ratio_display() {
        assert_eq!(Ratio(0.72).to_string(), "72%");
        assert_eq!(Ratio(0.725).to_string(), "72.5%");
        assert_eq!(Ratio(2.5).to_string(), "250%");
        assert_eq!(Ratio(0.0).to_string(), "0%");
        assert_eq!(Ratio(1.0).to_string(), "100%");
        assert_eq!(Ratio(0.07).to_string(), "7%");
        assert_eq!(Ratio(0.123_456).to_string(), "12.35%");
        assert_eq!(Ratio(0.999_99).to_string(), "99.999%");
        assert_eq!(Ratio(0.000_01).to_string(), "0.001%");
        assert_eq!(Ratio(1.0 / 3.0).to_string(), "33.33%");
        for text in ["72%", "72.5%", "0%", "100%", "7%", "0.5%", "33.33%"] {
            assert_eq!(ok::<Ratio>(plain(text)).to_string(), text);
        }
        for text in ["0.72", "0.5", "1", "0"] {
            let r = ok::<Ratio>(plain(text));
            assert_eq!(ok::<Ratio>(plain(&r.to_string())), r);
        }
        assert_eq!(ok::<Ratio>(plain("35%")).percent(), 35.0);
    }

    // -- duration -----------------------------------------------------------

    #[test]
    fn duration_accepts_every_unit() {
        assert_eq!(ok::<Duration>(plain("250ms")), Duration { ms: 250.0 });
        assert_eq!(ok::<Duration>(plain("1.5s")), Duration { ms: 1500.0 });
        assert_eq!(ok::<Duration>(plain("10m")), Duration { ms: 600_000.0 });
        assert_eq!(ok::<Duration>(plain("2h")), Duration { ms: 7_200_000.0 });
        assert_eq!(ok::<Duration>(plain("1d")), Duration { ms: 86_400_000.0 });
        assert_eq!(ok::<Duration>(quoted("30s")), Duration::from_secs(30.0));
        assert_eq!(ok::<Duration>(plain("0ms")).ms(), 0.0);
        assert_eq!(ok::<Duration>(plain("0s")).ms, 0.0);
        assert_eq!(ok::<Duration>(plain(".5s")).ms(), 500.0);
        assert_eq!(ok::<Duration>(plain("1.5s")).secs(), 1.5);
        assert_eq!(ok::<Duration>(plain("150ms")), Duration::from_ms(150.0));
        assert!(close(ok::<Duration>(plain("0.1s")).ms, 100.0));
        assert!(ok::<Duration>(plain("-0s")).ms.is_sign_positive());
    }

    #[test]
    fn duration_rejects_bare_numbers() {
        rejects::<Duration>(
            plain("300"),
            "expected a duration, found 300",
            Some("write 300ms"),
        );
        rejects::<Duration>(
            plain("250"),
            "expected a duration, found 250",
            Some("write 250ms"),
        );
        rejects::<Duration>(
            plain("1.5"),
            "expected a duration, found 1.5",
            Some("write 1.5ms"),
        );
        rejects::<Duration>(
            quoted("300"),
            "expected a duration, found \"300\"",
            Some("write 300ms"),
        );
    }

    #[test]
    fn duration_rejects_unknown_units_listing_the_units() {
        rejects::<Duration>(
            plain("10 minutes"),
            "expected a duration, found \"10 minutes\"",
            Some("write 10m (units: ms, s, m, h or d)"),
        );
        rejects::<Duration>(
            plain("10min"),
            "expected a duration, found \"10min\"",
            Some("write 10m (units: ms, s, m, h or d)"),
        );
        rejects::<Duration>(
            plain("5sec"),
            "expected a duration, found \"5sec\"",
            Some("write 5s (units: ms, s, m, h or d)"),
        );
        rejects::<Duration>(
            plain("250MS"),
            "expected a duration, found \"250MS\"",
            Some("write 250ms (units: ms, s, m, h or d)"),
        );
        rejects::<Duration>(
            plain("2 weeks"),
            "expected a duration, found \"2 weeks\"",
            Some("write 14d (units: ms, s, m, h or d)"),
        );
        rejects::<Duration>(
            plain("10y"),
            "expected a duration, found \"10y\"",
            Some("use one of the units ms, s, m, h or d, e.g. 10s"),
        );
        rejects::<Duration>(
            plain("10 ms"),
            "expected a duration, found \"10 ms\"",
            Some("write 10ms without the space"),
        );
        rejects::<Duration>(
            plain("soon"),
            "expected a duration, found \"soon\"",
            Some("write a number and a unit (ms, s, m, h or d), e.g. 250ms"),
        );
        rejects::<Duration>(
            plain("1e3ms"),
            "expected a duration, found \"1e3ms\"",
            Some("use one of the units ms, s, m, h or d, e.g. 1s"),
        );
        rejects::<Duration>(
            plain("true"),
            "expected a duration, found true",
            Some("write a number and a unit (ms, s, m, h or d), e.g. 250ms"),
        );
    }

    #[test]
    fn duration_rejects_negative_and_huge() {
        rejects::<Duration>(
            plain("-5s"),
            "expected a duration of 0 or more, found -5s",
            Some("write a value of 0 or more, e.g. 5s"),
        );
        let huge = format!("{}d", "9".repeat(400));
        let e = err::<Duration>(quoted(&huge));
        assert!(e
            .message
            .starts_with("expected a duration of finite length, found \""));
        assert!(e.message.ends_with("…\""));
    }

    #[test]
    fn duration_display() {
        assert_eq!(Duration::from_ms(420.0).to_string(), "420ms");
        assert_eq!(Duration::from_ms(1000.0).to_string(), "1s");
        assert_eq!(Duration::from_ms(1500.0).to_string(), "1.5s");
        assert_eq!(Duration::from_ms(1250.0).to_string(), "1250ms");
        assert_eq!(Duration::from_ms(1_800_000.0).to_string(), "30m");
        assert_eq!(Duration::from_ms(5_400_000.0).to_string(), "1.5h");
        assert_eq!(Duration::from_ms(86_400_000.0).to_string(), "1d");
        assert_eq!(Duration::from_ms(0.0).to_string(), "0ms");
        assert_eq!(Duration::from_ms(0.5).to_string(), "0.5ms");
        assert_eq!(Duration::from_ms(90_000.0).to_string(), "1.5m");
        assert_eq!(Duration::from_ms(100.000_000_000_01).to_string(), "100ms");
        for text in [
            "250ms", "1.5s", "10m", "1d", "2h", "30s", "420ms", "7d", "0ms",
        ] {
            assert_eq!(ok::<Duration>(plain(text)).to_string(), text);
        }
        // Other spellings print in the natural form and read back the same.
        for (text, shown) in [
            ("60s", "1m"),
            ("1000ms", "1s"),
            ("24h", "1d"),
            ("0.1s", "100ms"),
            ("90m", "1.5h"),
        ] {
            let d = ok::<Duration>(plain(text));
            assert_eq!(d.to_string(), shown);
            assert!(close(ok::<Duration>(plain(shown)).ms, d.ms));
        }
    }

    // -- size ---------------------------------------------------------------

    #[test]
    fn bytes_accepts_every_unit() {
        let cases = [
            ("512B", 512.0),
            ("1KB", 1e3),
            ("1.5MB", 1.5e6),
            ("15GB", 15e9),
            ("2TB", 2e12),
            ("1KiB", 1024.0),
            ("512MiB", 512.0 * 1_048_576.0),
            ("1GiB", 1_073_741_824.0),
            ("1TiB", 1_099_511_627_776.0),
            ("0B", 0.0),
        ];
        for (text, bytes) in cases {
            assert_eq!(ok::<Bytes>(plain(text)), Bytes(bytes), "{text}");
        }
        assert_eq!(ok::<Bytes>(quoted("15GB")), Bytes(15e9));
    }

    #[test]
    fn bytes_rejects_bare_numbers_and_unknown_units() {
        rejects::<Bytes>(
            plain("15"),
            "expected a size, found 15",
            Some("add a unit, e.g. 15GB or 15GiB"),
        );
        rejects::<Bytes>(
            quoted("15"),
            "expected a size, found \"15\"",
            Some("add a unit, e.g. 15GB or 15GiB"),
        );
        let units = "(units: B, KB, MB, GB, TB, KiB, MiB, GiB, TiB)";
        rejects::<Bytes>(
            plain("15gigs"),
            "expected a size, found \"15gigs\"",
            Some(&format!("write 15GB {units}")),
        );
        rejects::<Bytes>(
            plain("15gb"),
            "expected a size, found \"15gb\"",
            Some(&format!("write 15GB {units}")),
        );
        rejects::<Bytes>(
            plain("15G"),
            "expected a size, found \"15G\"",
            Some(&format!("write 15GB {units}")),
        );
        rejects::<Bytes>(
            plain("2 gibibytes"),
            "expected a size, found \"2 gibibytes\"",
            Some(&format!("write 2GiB {units}")),
        );
        rejects::<Bytes>(
            plain("2 megabytes"),
            "expected a size, found \"2 megabytes\"",
            Some(&format!("write 2MB {units}")),
        );
        rejects::<Bytes>(
            plain("1Ti"),
            "expected a size, found \"1Ti\"",
            Some(&format!("write 1TiB {units}")),
        );
        rejects::<Bytes>(
            plain("512Mi"),
            "expected a size, found \"512Mi\"",
            Some(&format!("write 512MiB {units}")),
        );
        rejects::<Bytes>(
            plain("512mib"),
            "expected a size, found \"512mib\"",
            Some(&format!("write 512MiB {units}")),
        );
        rejects::<Bytes>(
            plain("100 bytes"),
            "expected a size, found \"100 bytes\"",
            Some(&format!("write 100B {units}")),
        );
        rejects::<Bytes>(
            plain("15 GB"),
            "expected a size, found \"15 GB\"",
            Some("write 15GB without the space"),
        );
        rejects::<Bytes>(
            plain("15PB"),
            "expected a size, found \"15PB\"",
            Some("use one of the units B, KB, MB, GB, TB, KiB, MiB, GiB, TiB, e.g. 15GB"),
        );
        rejects::<Bytes>(
            plain("big"),
            "expected a size, found \"big\"",
            Some("write a number and a unit (B, KB, MB, GB, TB, KiB, MiB, GiB, TiB), e.g. 15GB"),
        );
        rejects::<Bytes>(
            plain("-1GB"),
            "expected a size of 0 or more, found -1GB",
            Some("write a value of 0 or more, e.g. 1GB"),
        );
    }

    #[test]
    fn bytes_display() {
        assert_eq!(Bytes(15e9).to_string(), "15GB");
        assert_eq!(Bytes(1.5e9).to_string(), "1.5GB");
        assert_eq!(Bytes(512e6).to_string(), "512MB");
        assert_eq!(Bytes(900.0).to_string(), "900B");
        assert_eq!(Bytes(0.0).to_string(), "0B");
        assert_eq!(Bytes(2e12).to_string(), "2TB");
        assert_eq!(Bytes(2e15).to_string(), "2000TB");
        assert_eq!(Bytes(999_999_999.0).to_string(), "1GB");
        assert_eq!(Bytes(1234.0).to_string(), "1.23KB");
        assert_eq!(ok::<Bytes>(plain("512MiB")).to_string(), "536.87MB");
        assert_eq!(ok::<Bytes>(plain("1KiB")).to_string(), "1.02KB");
        for text in ["15GB", "1.5GB", "512MB", "1KB", "2TB", "12B"] {
            assert_eq!(ok::<Bytes>(plain(text)).to_string(), text);
        }
    }

    // -- rate ---------------------------------------------------------------

    #[test]
    fn rate_accepts_non_negative_numbers() {
        assert_eq!(ok::<Rate>(plain("1200")), Rate(1200.0));
        assert_eq!(ok::<Rate>(plain("3000.5")), Rate(3000.5));
        assert_eq!(ok::<Rate>(plain("0")), Rate(0.0));
        assert_eq!(ok::<Rate>(plain("0.5")), Rate(0.5));
        assert_eq!(ok::<Rate>(plain("1e3")), Rate(1000.0));
        assert!(ok::<Rate>(plain("-0.0")).0.is_sign_positive());
    }

    #[test]
    fn rate_rejects_negatives_and_strings() {
        rejects::<Rate>(
            plain("-5"),
            "expected a rate of 0 or more, found -5",
            Some("write a value of 0 or more, e.g. 5"),
        );
        rejects::<Rate>(
            plain("-0.5"),
            "expected a rate of 0 or more, found -0.5",
            Some("write a value of 0 or more, e.g. 0.5"),
        );
        rejects::<Rate>(
            quoted("1200"),
            "expected a rate, found the string \"1200\"",
            Some("write 1200 without quotes"),
        );
        let plain_hint = |n: &str| format!("write a plain number of requests per second: {n}");
        for (text, n) in [
            ("1200/s", "1200"),
            ("1200rps", "1200"),
            ("1200 rps", "1200"),
            ("1200 req/s", "1200"),
            ("1,200", "1200"),
            ("1_200", "1200"),
            ("1.2k", "1200"),
            ("1.2k rps", "1200"),
            ("1.2krps", "1200"),
            ("3M", "3000000"),
            ("1200/min", "20"),
            ("1200 rpm", "20"),
            ("1000/m", "16.67"),
            ("7200/h", "2"),
            ("86400/day", "1"),
        ] {
            rejects::<Rate>(
                plain(text),
                &format!("expected a rate, found \"{text}\""),
                Some(&plain_hint(n)),
            );
        }
        rejects::<Rate>(
            plain("fast"),
            "expected a rate, found \"fast\"",
            Some(RATE_HINT),
        );
        rejects::<Rate>(
            plain("false"),
            "expected a rate, found false",
            Some(RATE_HINT),
        );
    }

    #[test]
    fn rate_display() {
        assert_eq!(Rate(1200.0).to_string(), "1200");
        assert_eq!(Rate(3000.5).to_string(), "3000.5");
        assert_eq!(Rate(1000.0 / 3.0).to_string(), "333.33");
        assert_eq!(Rate(0.0).to_string(), "0");
        assert_eq!(Rate(0.25).to_string(), "0.25");
        for text in ["1200", "3000.5", "0"] {
            assert_eq!(ok::<Rate>(plain(text)).to_string(), text);
        }
    }

    // -- count --------------------------------------------------------------

    #[test]
    fn count_accepts_whole_numbers() {
        assert_eq!(ok::<Count>(plain("3")), Count(3));
        assert_eq!(ok::<Count>(plain("0")), Count(0));
        assert_eq!(ok::<Count>(plain("3.0")), Count(3));
        assert_eq!(ok::<Count>(plain("-0")), Count(0));
        assert_eq!(ok::<Count>(plain("-0.0")), Count(0));
        assert_eq!(ok::<Count>(plain("1e3")), Count(1000));
        assert_eq!(ok::<Count>(Scalar::Int(i64::MAX)), Count(i64::MAX as u64));
        assert_eq!(
            ok::<Count>(plain("1e19")),
            Count(10_000_000_000_000_000_000)
        );
    }

    #[test]
    fn count_rejects_fractions_negatives_and_strings() {
        rejects::<Count>(
            plain("2.5"),
            "expected a whole number, found 2.5",
            Some("write 2 or 3"),
        );
        rejects::<Count>(
            plain("0.5"),
            "expected a whole number, found 0.5",
            Some("write 0 or 1"),
        );
        rejects::<Count>(
            plain("-1"),
            "expected a count of 0 or more, found -1",
            Some("write a value of 0 or more, e.g. 1"),
        );
        rejects::<Count>(
            plain("-2.0"),
            "expected a count of 0 or more, found -2",
            Some("write a value of 0 or more, e.g. 2"),
        );
        rejects::<Count>(
            Scalar::Int(i64::MIN),
            "expected a count of 0 or more, found -9223372036854775808",
            Some("write a value of 0 or more, e.g. 9223372036854775808"),
        );
        rejects::<Count>(
            plain("1e20"),
            "expected a count below 2^64, found 1e20",
            Some("write a smaller number"),
        );
        rejects::<Count>(
            quoted("3"),
            "expected a count, found the string \"3\"",
            Some("write 3 without quotes"),
        );
        rejects::<Count>(
            quoted("2.5"),
            "expected a whole number, found 2.5",
            Some("write 2 or 3"),
        );
        rejects::<Count>(
            plain("3 replicas"),
            "expected a count, found \"3 replicas\"",
            Some("write a plain whole number: 3"),
        );
        rejects::<Count>(
            plain("10,000"),
            "expected a count, found \"10,000\"",
            Some("write a plain whole number: 10000"),
        );
        rejects::<Count>(
            plain("250k"),
            "expected a count, found \"250k\"",
            Some("write a plain whole number: 250000"),
        );
        rejects::<Count>(
            plain("many"),
            "expected a count, found \"many\"",
            Some(COUNT_HINT),
        );
        rejects::<Count>(
            plain("true"),
            "expected a count, found true",
            Some(COUNT_HINT),
        );
    }

    #[test]
    fn count_display() {
        assert_eq!(Count(3).to_string(), "3");
        assert_eq!(Count(0).to_string(), "0");
        assert_eq!(Count(u64::MAX).to_string(), "18446744073709551615");
    }

    // -- number -------------------------------------------------------------

    #[test]
    fn number_accepts_any_finite_number() {
        assert_eq!(ok::<Number>(plain("3")), Number(3.0));
        assert_eq!(ok::<Number>(plain("1.5")), Number(1.5));
        assert_eq!(ok::<Number>(plain("-2.5")), Number(-2.5));
        assert_eq!(ok::<Number>(plain("0")), Number(0.0));
        assert_eq!(ok::<Number>(plain("1e3")), Number(1000.0));
        assert_eq!(ok::<Number>(plain("0x10")), Number(16.0));
    }

    #[test]
    fn number_rejects_strings() {
        rejects::<Number>(
            quoted("1.5"),
            "expected a number, found the string \"1.5\"",
            Some("write 1.5 without quotes"),
        );
        rejects::<Number>(
            plain("3x"),
            "expected a number, found \"3x\"",
            Some("write a plain number: 3"),
        );
        rejects::<Number>(
            plain("$500"),
            "expected a number, found \"$500\"",
            Some("write a plain number: 500"),
        );
        rejects::<Number>(
            plain("$12,000"),
            "expected a number, found \"$12,000\"",
            Some("write a plain number: 12000"),
        );
        rejects::<Number>(
            plain("lots"),
            "expected a number, found \"lots\"",
            Some(NUMBER_HINT),
        );
        rejects::<Number>(
            plain("true"),
            "expected a number, found true",
            Some(NUMBER_HINT),
        );
    }

    #[test]
    fn number_display() {
        assert_eq!(Number(1.5).to_string(), "1.5");
        assert_eq!(Number(3.0).to_string(), "3");
        assert_eq!(Number(12_345.678).to_string(), "12345.68");
        assert_eq!(Number(-0.25).to_string(), "-0.25");
    }

    // -- date ---------------------------------------------------------------

    #[test]
    fn date_accepts_iso_days() {
        let d = ok::<Date>(plain("2026-06-01"));
        assert_eq!(d, Date(NaiveDate::from_ymd_opt(2026, 6, 1).unwrap()));
        assert_eq!(d.to_string(), "2026-06-01");
        assert_eq!(ok::<Date>(quoted("2024-02-29")).to_string(), "2024-02-29");
        assert_eq!(ok::<Date>(plain("0001-01-01")).to_string(), "0001-01-01");
        assert_eq!(ok::<Date>(plain("9999-12-31")).to_string(), "9999-12-31");
        assert!(ok::<Date>(plain("2026-01-01")) < ok::<Date>(plain("2026-06-01")));
    }

    #[test]
    fn date_rejects_other_forms() {
        rejects::<Date>(
            plain("June 1st"),
            "expected a date, found \"June 1st\"",
            Some("write YYYY-MM-DD, e.g. 2026-06-01"),
        );
        rejects::<Date>(
            plain("2026-6-1"),
            "expected a date, found \"2026-6-1\"",
            Some("write 2026-06-01"),
        );
        rejects::<Date>(
            plain("2026/06/01"),
            "expected a date, found \"2026/06/01\"",
            Some("write 2026-06-01"),
        );
        rejects::<Date>(
            plain("01/06/2026"),
            "expected a date, found \"01/06/2026\"",
            Some(DATE_HINT),
        );
        rejects::<Date>(
            plain("2026-06-01T10:00:00Z"),
            "expected a date, found \"2026-06-01T10:00:00Z\"",
            Some("write the day only: 2026-06-01"),
        );
        rejects::<Date>(
            plain("20260601"),
            "expected a date, found 20260601",
            Some("write 2026-06-01"),
        );
        rejects::<Date>(
            plain("2026"),
            "expected a date, found 2026",
            Some(DATE_HINT),
        );
        rejects::<Date>(plain("1.5"), "expected a date, found 1.5", Some(DATE_HINT));
        rejects::<Date>(
            plain("true"),
            "expected a date, found true",
            Some(DATE_HINT),
        );
    }

    #[test]
    fn date_rejects_days_not_in_the_calendar() {
        rejects::<Date>(
            plain("2026-02-30"),
            "expected a date, found 2026-02-30, which is not a day of the calendar",
            Some("February 2026 has 28 days"),
        );
        rejects::<Date>(
            plain("2024-02-30"),
            "expected a date, found 2024-02-30, which is not a day of the calendar",
            Some("February 2024 has 29 days"),
        );
        rejects::<Date>(
            plain("2026-04-31"),
            "expected a date, found 2026-04-31, which is not a day of the calendar",
            Some("April 2026 has 30 days"),
        );
        rejects::<Date>(
            plain("2026-13-01"),
            "expected a date, found 2026-13-01, which is not a day of the calendar",
            Some("there is no month 13: write YYYY-MM-DD"),
        );
        rejects::<Date>(
            plain("2026-06-00"),
            "expected a date, found 2026-06-00, which is not a day of the calendar",
            Some("June 2026 has 30 days"),
        );
    }

    // -- availability -------------------------------------------------------

    #[test]
    fn availability_accepts_percentages_from_50_below_100() {
        assert_eq!(ok::<Availability>(plain("99.99")), Availability(99.99));
        assert_eq!(ok::<Availability>(plain("99.9%")), Availability(99.9));
        assert_eq!(ok::<Availability>(quoted("99.9%")), Availability(99.9));
        assert_eq!(ok::<Availability>(plain("50")), Availability(50.0));
        assert_eq!(ok::<Availability>(plain("50%")), Availability(50.0));
        assert_eq!(ok::<Availability>(plain("99.999")), Availability(99.999));
        assert_eq!(ok::<Availability>(plain("99")), Availability(99.0));
        assert!(close(ok::<Availability>(plain("99.95")).fraction(), 0.9995));
    }

    #[test]
    fn availability_rejects_fractions_with_the_percent() {
        rejects::<Availability>(
            plain("0.999"),
            "expected an availability, found 0.999",
            Some("write 99.9"),
        );
        rejects::<Availability>(
            plain("0.9995"),
            "expected an availability, found 0.9995",
            Some("write 99.95"),
        );
        rejects::<Availability>(
            plain("0.99995"),
            "expected an availability, found 0.99995",
            Some("write 99.995"),
        );
        rejects::<Availability>(
            plain("0.5"),
            "expected an availability, found 0.5",
            Some("write 50"),
        );
        rejects::<Availability>(
            quoted("0.999"),
            "expected an availability, found 0.999",
            Some("write 99.9"),
        );
    }

    #[test]
    fn availability_rejects_out_of_range() {
        let full = Some("no system is up all the time: write a target such as 99.9 or 99.99");
        rejects::<Availability>(
            plain("100"),
            "expected an availability below 100, found 100",
            full,
        );
        rejects::<Availability>(
            plain("120"),
            "expected an availability below 100, found 120",
            full,
        );
        rejects::<Availability>(
            plain("100.0"),
            "expected an availability below 100, found 100",
            full,
        );
        rejects::<Availability>(
            plain("100%"),
            "expected an availability below 100%, found 100%",
            Some("no system is up all the time: write a target such as 99.9% or 99.99%"),
        );
        rejects::<Availability>(
            plain("49.9"),
            "expected an availability of at least 50, found 49.9",
            Some(AVAILABILITY_HINT),
        );
        rejects::<Availability>(
            plain("1"),
            "expected an availability of at least 50, found 1",
            Some(AVAILABILITY_HINT),
        );
        rejects::<Availability>(
            plain("0"),
            "expected an availability of at least 50, found 0",
            Some(AVAILABILITY_HINT),
        );
        rejects::<Availability>(
            plain("-99.9"),
            "expected an availability of at least 50, found -99.9",
            Some(AVAILABILITY_HINT),
        );
        rejects::<Availability>(
            plain("0.999%"),
            "expected an availability of at least 50%, found 0.999%",
            Some(AVAILABILITY_HINT),
        );
    }

    #[test]
    fn availability_rejects_strings() {
        rejects::<Availability>(
            quoted("99.9"),
            "expected an availability, found the string \"99.9\"",
            Some("write 99.9 without quotes"),
        );
        rejects::<Availability>(
            plain("99.9 %"),
            "expected an availability, found \"99.9 %\"",
            Some("write 99.9% without the space"),
        );
        rejects::<Availability>(
            plain("three nines"),
            "expected an availability, found \"three nines\"",
            Some(AVAILABILITY_HINT),
        );
    }

    #[test]
    fn availability_display() {
        assert_eq!(Availability(99.95).to_string(), "99.95%");
        assert_eq!(Availability(99.9).to_string(), "99.9%");
        assert_eq!(Availability(50.0).to_string(), "50%");
        assert_eq!(Availability(99.9999).to_string(), "99.9999%");
        assert_eq!(Availability(99.999_99).to_string(), "99.99999%");
        assert_eq!(Availability(99.700_299_9).to_string(), "99.7003%");
        for text in ["99.95%", "99.9%", "50%", "99.999%"] {
            assert_eq!(ok::<Availability>(plain(text)).to_string(), text);
        }
    }

    // -- bool and string ----------------------------------------------------

    #[test]
    fn bool_accepts_yaml_booleans_only() {
        assert!(ok::<bool>(plain("true")));
        assert!(!ok::<bool>(plain("false")));
        assert!(ok::<bool>(plain("True")));
        rejects::<bool>(
            quoted("true"),
            "expected a boolean, found \"true\"",
            Some("write true or false without quotes"),
        );
        rejects::<bool>(
            quoted("false"),
            "expected a boolean, found \"false\"",
            Some("write true or false without quotes"),
        );
        rejects::<bool>(
            plain("yes"),
            "expected a boolean, found \"yes\"",
            Some("write true"),
        );
        rejects::<bool>(
            plain("off"),
            "expected a boolean, found \"off\"",
            Some("write false"),
        );
        rejects::<bool>(
            plain("1"),
            "expected a boolean, found 1",
            Some("write true"),
        );
        rejects::<bool>(
            plain("0"),
            "expected a boolean, found 0",
            Some("write false"),
        );
        rejects::<bool>(
            plain("2"),
            "expected a boolean, found 2",
            Some("write true or false"),
        );
        rejects::<bool>(
            plain("maybe"),
            "expected a boolean, found \"maybe\"",
            Some("write true or false"),
        );
    }

    #[test]
    fn string_accepts_strings_only() {
        assert_eq!(ok::<String>(plain("orders-db")), "orders-db");
        assert_eq!(ok::<String>(quoted("123")), "123");
        assert_eq!(ok::<String>(quoted("")), "");
        rejects::<String>(
            plain("123"),
            "expected a string, found an integer",
            Some("put the value in quotes"),
        );
        rejects::<String>(
            plain("1.5"),
            "expected a string, found a number",
            Some("put the value in quotes"),
        );
        rejects::<String>(
            plain("true"),
            "expected a string, found a boolean",
            Some("put the value in quotes"),
        );
    }

    #[test]
    fn long_strings_are_cut_in_messages() {
        let long = "x".repeat(100);
        let e = err::<Ratio>(quoted(&long));
        assert_eq!(
            e.message,
            format!("expected a ratio, found \"{}…\"", "x".repeat(40))
        );
        let e = err::<Ratio>(quoted("a\"b\n"));
        assert_eq!(e.message, "expected a ratio, found \"a\\\"b\\n\"");
    }

    // -- schemas ------------------------------------------------------------

    #[test]
    fn json_schemas() {
        assert_eq!(Ratio::json_schema()["anyOf"][0]["maximum"], 1);
        assert_eq!(Ratio::json_schema()["anyOf"][1]["type"], "string");
        assert_eq!(Duration::json_schema()["type"], "string");
        assert_eq!(Bytes::json_schema()["type"], "string");
        assert_eq!(Rate::json_schema(), Rate::json_schema());
        assert_eq!(Rate::json_schema()["minimum"], 0);
        assert_eq!(Count::json_schema()["type"], "integer");
        assert_eq!(Number::json_schema()["type"], "number");
        assert_eq!(Date::json_schema()["format"], "date");
        assert_eq!(
            Availability::json_schema()["anyOf"][0]["exclusiveMaximum"],
            100
        );
        assert_eq!(bool::json_schema(), json!({"type": "boolean"}));
        assert_eq!(String::json_schema(), json!({"type": "string"}));
        // Every example in a schema is accepted by the parser.
        for schema in [
            Ratio::json_schema(),
            Duration::json_schema(),
            Bytes::json_schema(),
            Rate::json_schema(),
            Count::json_schema(),
            Date::json_schema(),
            Availability::json_schema(),
        ] {
            let kind = schema["description"]
                .as_str()
                .unwrap_or_default()
                .to_owned();
            for example in schema["examples"].as_array().into_iter().flatten() {
                let text = match example {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                let s = plain(&text);
                let accepted = match kind.split(':').next().unwrap_or_default() {
                    "a ratio" => Ratio::from_scalar(s).is_ok(),
                    "a duration" => Duration::from_scalar(s).is_ok(),
                    "a size" => Bytes::from_scalar(s).is_ok(),
                    "a rate" => Rate::from_scalar(s).is_ok(),
                    "a count" => Count::from_scalar(s).is_ok(),
                    "a date" => Date::from_scalar(s).is_ok(),
                    _ => Availability::from_scalar(s).is_ok(),
                };
                assert!(accepted, "{kind}: example {text}");
            }
        }
    }

    /// [`push_dec_fast`]'s text on its own, `None` where it appends nothing.
    fn fmt_dec_fast(v: f64, decimals: usize) -> Option<String> {
        let mut s = String::new();
        push_dec_fast(&mut s, v, decimals).then_some(s)
    }

    /// The integer fast path of `fmt_dec` gives the standard library's
    /// exactly rounded digits, on short decimals, integers, halves (ties),
    /// values next to rounding boundaries and random bit patterns.
    #[test]
    fn fmt_dec_fast_path_is_exact() {
        let mut values: Vec<f64> = vec![
            0.0,
            -0.0,
            0.5,
            1.5,
            2.5,
            -2.5,
            0.125,
            0.375,
            0.005,
            0.015,
            0.025,
            1.005,
            2.675,
            1.115,
            9.995,
            99.995,
            999.9949999,
            0.045,
            1e15,
            1e15 - 1.0,
            4503599627370495.5,
            9007199254740991.0,
            9007199254740993.0,
            1e-6,
            1.0000000000000002,
            0.1,
            0.2,
            0.3,
            0.1 + 0.2,
            0.07 * 100.0,
            72.0,
            0.72,
            1.3333,
            0.00012345,
            123456.785,
            1e22,
            1e23,
            f64::MIN_POSITIVE,
            f64::MAX,
            f64::EPSILON,
            5e-324,
            0.95,
            0.9995,
            99.95,
            99.99,
        ];
        for i in 0..=2000u32 {
            let i = f64::from(i);
            for d in [1.0, 2.0, 4.0, 8.0, 10.0, 100.0, 1000.0, 3.0, 7.0] {
                values.push(i / d);
                values.push(-i / d);
                values.push(i * 1000.0 / d);
            }
        }
        let mut rng = fastrand::Rng::with_seed(0x5ca1e);
        for _ in 0..20_000 {
            values.push(f64::from_bits(rng.u64(..)));
            values.push(rng.f64() * 10f64.powi(rng.i32(-8..16)));
            let short = rng.i64(-10_000_000..10_000_000) as f64 / 10f64.powi(rng.i32(0..7));
            values.push(short);
            // Next to it, on both sides.
            values.push(f64::from_bits(short.to_bits().wrapping_add(1)));
            values.push(f64::from_bits(short.to_bits().wrapping_sub(1)));
        }
        values.extend([f64::NAN, f64::INFINITY, f64::NEG_INFINITY]);
        // `write_num` appends what `fmt_num` returns.
        for &v in &values {
            let mut out = String::from("x");
            write_num(&mut out, v);
            assert_eq!(out[1..], fmt_num(v), "write_num({v:?})");
        }
        let mut fast = 0;
        for &v in values.iter().filter(|v| v.is_finite()) {
            for decimals in 0..=24 {
                let want = fmt_dec_exact(v, decimals);
                if let Some(got) = fmt_dec_fast(v, decimals) {
                    fast += 1;
                    assert_eq!(got, want, "fmt_dec({v:?}, {decimals})");
                }
                assert_eq!(fmt_dec(v, decimals), want, "fmt_dec({v:?}, {decimals})");
            }
        }
        // The fast path is the common one.
        assert!(
            fast * 4 > values.len() * 25,
            "{fast} of {}",
            values.len() * 25
        );
    }

    /// Appending a percentage writes what `fmt_percent` returns, on both
    /// sides of 1, around 99–100 and at the fast path's limits.
    #[test]
    fn push_percent_writes_fmt_percent() {
        let mut rng = fastrand::Rng::with_seed(21);
        let mut values = vec![
            0.0,
            0.5,
            1.0,
            72.0,
            72.125,
            98.999,
            99.0,
            99.994,
            99.995,
            99.99999,
            100.0,
            100.004,
            250.0,
            -1.5,
            -99.5,
            1e15,
            1e300,
            f64::NAN,
            f64::INFINITY,
        ];
        values.extend((0..2000).map(|_| rng.f64() * 120.0 - 10.0));
        values.extend((0..500).map(|_| 99.0 + rng.f64()));
        for v in values {
            for decimals in [0, 2, 4] {
                let mut out = String::from("x");
                push_percent(&mut out, v, decimals);
                assert_eq!(
                    out,
                    format!("x{}", fmt_percent(v, decimals)),
                    "{v} {decimals}"
                );
            }
        }
    }

    #[test]
    fn fmt_dec_fast_path_examples() {
        for (v, d, want) in [
            (72.0, 2, "72"),
            (0.72, 4, "0.72"),
            (1.3333, 2, "1.33"),
            (0.00012345, 7, "0.0001234"),
            (-0.001, 2, "0"),
            (-1.75, 1, "-1.8"),
            (1.05, 1, "1.1"),
            (100.0, 0, "100"),
        ] {
            assert_eq!(fmt_dec(v, d), want, "fmt_dec({v}, {d})");
        }
    }
}
