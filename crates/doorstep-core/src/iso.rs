//! Dates and times in JSON, strictly in the one form Doorstep writes them:
//! `2026-11-23` and `2026-11-23T09:00:00`, with `.123`, `.123456` or `.123456789` when there
//! is a fraction of a second (chrono's own output for years 0000–9999). Anything else —
//! spaces, one-digit fields, a `Z` or offset, a signed year, a leap second, a fraction of
//! another length — is refused on reading, and a value outside that form is refused on
//! writing, so every stored time reads back as itself. For
//! `#[serde(with = "crate::iso::datetime")]` / `iso::date`.

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use serde::de::{self, Deserializer};
use serde::ser::{self, Serializer};
use serde::Deserialize;

/// Why a date or time was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum IsoError {
    #[error("expected a date as YYYY-MM-DD")]
    Date,
    #[error("expected a date and time as YYYY-MM-DDTHH:MM:SS[.fff]")]
    DateTime,
    #[error("no such date or time")]
    OutOfRange,
}

/// The number in `s[at..at + n]`, all ASCII digits.
fn num(s: &[u8], at: usize, n: usize) -> Option<u32> {
    let digits = s.get(at..at + n)?;
    digits.iter().try_fold(0u32, |acc, &b| {
        b.is_ascii_digit().then(|| acc * 10 + u32::from(b - b'0'))
    })
}

fn ymd(s: &[u8]) -> Option<(i32, u32, u32)> {
    if s.get(4) != Some(&b'-') || s.get(7) != Some(&b'-') {
        return None;
    }
    Some((num(s, 0, 4)? as i32, num(s, 5, 2)?, num(s, 8, 2)?))
}

/// Reads `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Result<NaiveDate, IsoError> {
    let b = s.as_bytes();
    let (y, m, d) = ymd(b).filter(|_| b.len() == 10).ok_or(IsoError::Date)?;
    NaiveDate::from_ymd_opt(y, m, d).ok_or(IsoError::OutOfRange)
}

/// Reads `YYYY-MM-DDTHH:MM:SS` with an optional fraction of 3, 6 or 9 digits.
pub fn parse_datetime(s: &str) -> Result<NaiveDateTime, IsoError> {
    let b = s.as_bytes();
    let shape = b.len() >= 19 && b[10] == b'T' && b[13] == b':' && b[16] == b':';
    let (y, mo, d) = ymd(b).filter(|_| shape).ok_or(IsoError::DateTime)?;
    let (h, mi, sec) = (num(b, 11, 2), num(b, 14, 2), num(b, 17, 2));
    let (Some(h), Some(mi), Some(sec)) = (h, mi, sec) else {
        return Err(IsoError::DateTime);
    };
    let nanos = match b.len() - 19 {
        0 => 0,
        n @ (4 | 7 | 10) if b[19] == b'.' => {
            num(b, 20, n - 1).ok_or(IsoError::DateTime)? * 10u32.pow(10 - n as u32)
        }
        _ => return Err(IsoError::DateTime),
    };
    let date = NaiveDate::from_ymd_opt(y, mo, d).ok_or(IsoError::OutOfRange)?;
    // `from_hms_nano_opt` would take second 59 with nanos ≥ 1e9 as a leap second: not ours.
    let time = (sec < 60)
        .then(|| NaiveTime::from_hms_nano_opt(h, mi, sec, nanos))
        .flatten();
    Ok(date.and_time(time.ok_or(IsoError::OutOfRange)?))
}

/// Writes a date as `parse_date` reads it; `None` for a year outside 0000–9999.
pub fn format_date(d: NaiveDate) -> Option<String> {
    (0..=9999)
        .contains(&d.year())
        .then(|| format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day()))
}

/// Writes a date and time as `parse_datetime` reads it (the fraction in 3, 6 or 9 digits,
/// as needed); `None` for a year outside 0000–9999 or a leap second.
pub fn format_datetime(t: NaiveDateTime) -> Option<String> {
    let nanos = t.nanosecond();
    if nanos >= 1_000_000_000 {
        return None;
    }
    let frac = match nanos {
        0 => String::new(),
        n if n % 1_000_000 == 0 => format!(".{:03}", n / 1_000_000),
        n if n % 1_000 == 0 => format!(".{:06}", n / 1_000),
        n => format!(".{n:09}"),
    };
    Some(format!(
        "{}T{:02}:{:02}:{:02}{frac}",
        format_date(t.date())?,
        t.hour(),
        t.minute(),
        t.second()
    ))
}

/// `#[serde(with = "iso::datetime")]` for a `NaiveDateTime`.
pub mod datetime {
    use super::*;

    pub fn serialize<S: Serializer>(t: &NaiveDateTime, s: S) -> Result<S::Ok, S::Error> {
        let text = format_datetime(*t).ok_or_else(|| ser::Error::custom(IsoError::OutOfRange))?;
        s.serialize_str(&text)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDateTime, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        parse_datetime(&s).map_err(de::Error::custom)
    }
}

/// `#[serde(with = "iso::date")]` for a `NaiveDate`.
pub mod date {
    use super::*;

    pub fn serialize<S: Serializer>(d: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
        let text = format_date(*d).ok_or_else(|| ser::Error::custom(IsoError::OutOfRange))?;
        s.serialize_str(&text)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        parse_date(&s).map_err(de::Error::custom)
    }
}
