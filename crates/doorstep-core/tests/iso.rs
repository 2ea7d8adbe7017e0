//! `iso` reads exactly the one form Doorstep writes, and writes only what it reads back.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use chrono::NaiveDate;
use doorstep_core::iso::{format_date, format_datetime, parse_date, parse_datetime};
use doorstep_core::model::{Confirmation, TimeWindow, WorkerId};

/// One case: the text, and what `parse_datetime` and `parse_date` give (`Ok` as text, or the error's message).
fn check(input: &str, datetime: &str, date: &str) {
    let show = |r: Result<String, String>| r.unwrap_or_else(|e| e);
    let dt = show(
        parse_datetime(input)
            .map(|t| format!("{t:?}"))
            .map_err(|e| e.to_string()),
    );
    let d = show(
        parse_date(input)
            .map(|t| format!("{t:?}"))
            .map_err(|e| e.to_string()),
    );
    assert_eq!(
        (dt.as_str(), d.as_str()),
        (datetime, date),
        "input {input:?}"
    );
}

const DT: &str = "expected a date and time as YYYY-MM-DDTHH:MM:SS[.fff]";
const D: &str = "expected a date as YYYY-MM-DD";
const RANGE: &str = "no such date or time";

#[test]
fn reads_only_the_written_form() {
    let cases: &[(&str, &str, &str)] = &[
        ("2026-11-23T09:00:00", "2026-11-23T09:00:00", D),
        ("2026-11-23T09:00:00.120", "2026-11-23T09:00:00.120", D),
        (
            "2026-11-23T09:00:00.123456",
            "2026-11-23T09:00:00.123456",
            D,
        ),
        (
            "2026-11-23T09:00:00.123456789",
            "2026-11-23T09:00:00.123456789",
            D,
        ),
        ("2026-11-23", DT, "2026-11-23"),
        ("0000-01-01", DT, "0000-01-01"),
        ("9999-12-31T23:59:59", "9999-12-31T23:59:59", D),
        // Lenient forms chrono's FromStr would take are refused.
        ("2026-11-23T09:00:00.1", DT, D),
        ("2026-11-23T09:00:00.1234", DT, D),
        ("2026-11-23T09:00:00.1234567891", DT, D),
        ("2026-11-23T09:00:00.", DT, D),
        ("2026-11-23 09:00:00", DT, D),
        ("2026-11-23t09:00:00", DT, D),
        (" 2026-11-23T09:00:00", DT, D),
        ("2026-11-23T09:00:00 ", DT, D),
        ("2026-11-23 ", DT, D),
        (" 2026 - 1 - 5 T 9 : 0 : 0 ", DT, D),
        ("2026-1-5", DT, D),
        ("2026-11-2T1:2:3", DT, D),
        ("2026-11-23T09:00", DT, D),
        ("2026-11-23T09:00:00Z", DT, D),
        ("2026-11-23T09:00:00+08:00", DT, D),
        ("+2026-11-23", DT, D),
        ("-0001-01-01T00:00:00", DT, D),
        ("20261-11-23", DT, D),
        ("٢٠٢٦-11-23T09:00:00", DT, D),
        ("2026-11-23T09:00:00😀", DT, D),
        ("", DT, D),
        ("T", DT, D),
        // The right shape, but no such date or time.
        ("2026-02-29T09:00:00", RANGE, D),
        ("2026-02-29", DT, RANGE),
        ("2024-02-29", DT, "2024-02-29"),
        ("2026-13-01T09:00:00", RANGE, D),
        ("2026-00-01", DT, RANGE),
        ("2026-11-32", DT, RANGE),
        ("2026-11-23T24:00:00", RANGE, D),
        ("2026-11-23T09:60:00", RANGE, D),
        ("2026-11-23T23:59:60", RANGE, D),
    ];
    for (input, datetime, date) in cases {
        check(input, datetime, date);
    }
}

#[test]
fn writes_only_what_it_reads() {
    let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("date");
    assert_eq!(format_date(d(2026, 3, 5)).as_deref(), Some("2026-03-05"));
    assert_eq!(format_date(d(10_000, 1, 1)), None);
    assert_eq!(format_date(d(-1, 1, 1)), None);
    let leap = d(2026, 6, 30)
        .and_hms_nano_opt(23, 59, 59, 1_500_000_000)
        .expect("leap second");
    assert_eq!(format_datetime(leap), None);
    let t = d(2026, 6, 30)
        .and_hms_nano_opt(8, 7, 6, 5_000)
        .expect("time");
    assert_eq!(
        format_datetime(t).as_deref(),
        Some("2026-06-30T08:07:06.000005")
    );
}

#[test]
fn model_json_uses_the_strict_form() {
    let at = NaiveDate::from_ymd_opt(2026, 11, 23)
        .and_then(|d| d.and_hms_milli_opt(9, 5, 7, 120))
        .expect("date");
    let c = Confirmation {
        at,
        by: WorkerId::new("D001"),
        note: String::new(),
    };
    let json = serde_json::to_string(&c).expect("json");
    assert_eq!(
        json,
        r#"{"at":"2026-11-23T09:05:07.120","by":"D001","note":""}"#
    );
    assert_eq!(
        serde_json::from_str::<Confirmation>(&json).expect("back"),
        c
    );
    let w: Result<TimeWindow, _> =
        serde_json::from_str(r#"{"start":"2026-11-23T09:00:00","end":"2026-02-30T09:00:00"}"#);
    assert_eq!(
        w.map_err(|e| e.to_string()),
        Err(format!("{RANGE} at line 1 column 59"))
    );
    let w: Result<TimeWindow, _> =
        serde_json::from_str(r#"{"start":"2026-11-23 09:00:00","end":"2026-11-23T10:00:00"}"#);
    assert!(w.is_err(), "a space instead of T is refused");
}

#[cfg(not(target_arch = "wasm32"))]
mod props {
    use super::*;
    use chrono::NaiveDateTime;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(5_000))]

        /// Every time of years 0000–9999 (no leap second) is written and read back as itself,
        /// in the text chrono itself writes.
        #[test]
        fn round_trip(secs in -62_167_219_200i64..253_402_300_799, nanos in 0u32..1_000_000_000) {
            let t: NaiveDateTime = chrono::DateTime::from_timestamp(secs, nanos).expect("in range").naive_utc();
            let text = format_datetime(t).expect("in range");
            prop_assert_eq!(&text, &format!("{t:?}"));
            prop_assert_eq!(parse_datetime(&text), Ok(t));
            prop_assert_eq!(parse_date(&format_date(t.date()).expect("in range")), Ok(t.date()));
        }

        /// Random text never panics, and what is accepted is exactly what is written back.
        #[test]
        fn accepted_text_is_canonical(s in "[0-9T:.+\\- x]{0,30}") {
            if let Ok(t) = parse_datetime(&s) {
                prop_assert_eq!(format_datetime(t), Some(s.clone()));
            }
            if let Ok(d) = parse_date(&s) {
                prop_assert_eq!(format_date(d), Some(s.clone()));
            }
        }
    }
}
