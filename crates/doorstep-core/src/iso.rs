//! Dates and times in JSON exactly as chrono's own serde writes and reads them
//! (`2026-11-23T09:00:00`, a fraction of a second only when there is one), for
//! `#[serde(with = "crate::iso::datetime")]` / `iso::date`.
//!
//! Writing is chrono's own. Reading is hand-written because chrono parses through its
//! general format engine, which costs the browser build ~7 kB of wasm; this parser accepts
//! exactly what chrono's `FromStr` accepts (spaces between fields, 1–2 digit fields, signed
//! years, leap second `:60`, any number of fraction digits) and fails with chrono's
//! messages. `tests/iso.rs` checks both against chrono.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use serde::de::{self, Deserializer, Visitor};
use serde::{Serialize, Serializer};
use std::fmt;

/// Why a date or time did not parse, worded as chrono words it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum IsoError {
    #[error("input is out of range")]
    OutOfRange,
    #[error("input contains invalid characters")]
    Invalid,
    #[error("premature end of input")]
    TooShort,
    #[error("trailing input")]
    TooLong,
}

use IsoError::{Invalid, OutOfRange, TooLong, TooShort};

/// What is left of the input, consumed field by field like chrono's `parse_internal`.
struct Input<'a>(&'a str);

impl Input<'_> {
    fn space(&mut self) {
        self.0 = self.0.trim_start();
    }

    fn literal(&mut self, c: u8) -> Result<(), IsoError> {
        match self.0.as_bytes().first() {
            None => Err(TooShort),
            Some(&b) if b == c => {
                self.0 = &self.0[1..];
                Ok(())
            }
            Some(_) => Err(Invalid),
        }
    }

    /// At least one and at most `max` ASCII digits (chrono's `scan::number(s, 1, max)`).
    fn digits(&mut self, max: usize) -> Result<i64, IsoError> {
        let bytes = self.0.as_bytes();
        if bytes.is_empty() {
            return Err(TooShort);
        }
        let mut n = 0i64;
        let mut len = 0;
        for &b in bytes.iter().take(max) {
            if !b.is_ascii_digit() {
                break;
            }
            n = n.checked_mul(10).and_then(|n| n.checked_add(i64::from(b - b'0'))).ok_or(OutOfRange)?;
            len += 1;
        }
        if len == 0 {
            return Err(Invalid);
        }
        self.0 = &self.0[len..];
        Ok(n)
    }

    /// An unsigned numeric field of up to two digits within `range`.
    fn field(&mut self, range: std::ops::RangeInclusive<i64>) -> Result<u32, IsoError> {
        self.space();
        let v = self.digits(2)?;
        if range.contains(&v) {
            Ok(v as u32)
        } else {
            Err(OutOfRange)
        }
    }

    /// `YYYY`, or a signed year of any length.
    fn year(&mut self) -> Result<i32, IsoError> {
        self.space();
        let v = if let Some(rest) = self.0.strip_prefix('-') {
            self.0 = rest;
            -self.digits(usize::MAX)?
        } else if let Some(rest) = self.0.strip_prefix('+') {
            self.0 = rest;
            self.digits(usize::MAX)?
        } else {
            self.digits(4)?
        };
        i32::try_from(v).map_err(|_| OutOfRange)
    }

    /// `Y-M-D` (the fields; the date itself is checked by the caller).
    fn ymd(&mut self) -> Result<(i32, u32, u32), IsoError> {
        let y = self.year()?;
        self.space();
        self.literal(b'-')?;
        let m = self.field(1..=12)?;
        self.space();
        self.literal(b'-')?;
        let d = self.field(1..=31)?;
        Ok((y, m, d))
    }

    /// Trailing white space is allowed, anything else is not.
    fn end(&mut self) -> Result<(), IsoError> {
        self.space();
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(TooLong)
        }
    }
}

/// Parses a date the way `NaiveDate::from_str` does.
pub fn parse_date(s: &str) -> Result<NaiveDate, IsoError> {
    let mut input = Input(s);
    let (y, m, d) = input.ymd()?;
    input.end()?;
    NaiveDate::from_ymd_opt(y, m, d).ok_or(OutOfRange)
}

/// Parses a date and time the way `NaiveDateTime::from_str` does.
pub fn parse_datetime(s: &str) -> Result<NaiveDateTime, IsoError> {
    let mut input = Input(s);
    let (y, mo, d) = input.ymd()?;
    input.space();
    input.literal(b'T')?;
    let h = input.field(0..=23)?;
    input.space();
    input.literal(b':')?;
    let mi = input.field(0..=59)?;
    input.space();
    input.literal(b':')?;
    let sec = input.field(0..=60)?;
    let mut frac = 0;
    if let Some(rest) = input.0.strip_prefix('.') {
        input.0 = rest;
        let before = rest.len();
        let v = input.digits(9)?;
        const SCALE: [i64; 10] = [0, 100_000_000, 10_000_000, 1_000_000, 100_000, 10_000, 1_000, 100, 10, 1];
        frac = v * SCALE.get(before - input.0.len()).copied().unwrap_or(1);
        // Digits past the ninth are ignored.
        input.0 = input.0.trim_start_matches(|c: char| c.is_ascii_digit());
    }
    input.end()?;
    let date = NaiveDate::from_ymd_opt(y, mo, d).ok_or(OutOfRange)?;
    // A leap second `:60` is second 59 plus one whole second of fraction.
    let (sec, leap) = if sec == 60 { (59, 1_000_000_000) } else { (sec, 0) };
    let time = NaiveTime::from_hms_nano_opt(h, mi, sec, leap + frac as u32).ok_or(OutOfRange)?;
    Ok(date.and_time(time))
}

/// `#[serde(with = "iso::datetime")]` for a `NaiveDateTime`.
pub mod datetime {
    use super::*;

    pub fn serialize<S: Serializer>(t: &NaiveDateTime, s: S) -> Result<S::Ok, S::Error> {
        t.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDateTime, D::Error> {
        d.deserialize_str(DateTimeVisitor)
    }

    struct DateTimeVisitor;

    impl Visitor<'_> for DateTimeVisitor {
        type Value = NaiveDateTime;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a formatted date and time string")
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<NaiveDateTime, E> {
            parse_datetime(v).map_err(E::custom)
        }
    }
}

/// `#[serde(with = "iso::date")]` for a `NaiveDate`.
pub mod date {
    use super::*;

    pub fn serialize<S: Serializer>(d: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
        d.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
        d.deserialize_str(DateVisitor)
    }

    struct DateVisitor;

    impl Visitor<'_> for DateVisitor {
        type Value = NaiveDate;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a formatted date string")
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<NaiveDate, E> {
            parse_date(v).map_err(E::custom)
        }
    }
}
