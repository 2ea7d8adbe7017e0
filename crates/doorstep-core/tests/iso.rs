#![cfg(not(target_arch = "wasm32"))]
//! `iso` reads dates and times exactly as chrono's `FromStr` does (values and messages),
//! and the model's JSON is chrono's own.

use chrono::{NaiveDate, NaiveDateTime};
use doorstep_core::iso::{parse_date, parse_datetime};
use doorstep_core::model::{Confirmation, TimeWindow, WorkerId};
use proptest::prelude::*;

fn same_datetime(s: &str) {
    let ours = parse_datetime(s).map_err(|e| e.to_string());
    let chrono = s.parse::<NaiveDateTime>().map_err(|e| e.to_string());
    assert_eq!(ours, chrono, "input {s:?}");
}

fn same_date(s: &str) {
    let ours = parse_date(s).map_err(|e| e.to_string());
    let chrono = s.parse::<NaiveDate>().map_err(|e| e.to_string());
    assert_eq!(ours, chrono, "input {s:?}");
}

const CASES: &[&str] = &[
    "2026-11-23T09:00:00",
    "2026-11-23T09:00:00.123",
    "2026-11-23T09:00:00.123456",
    "2026-11-23T09:00:00.123456789",
    "2026-11-23T09:00:00.1234567891234",
    "2026-11-23T09:00:00.",
    "2026-11-23T09:00:00.x",
    "2026-11-23T23:59:60",
    "2026-11-23T12:30:60.5",
    "2026-11-23T09:00:61",
    "2026-11-23T24:00:00",
    "2026-11-23T09:60:00",
    "2026-02-29T09:00:00",
    "2024-02-29T09:00:00",
    "2026-13-01T09:00:00",
    "2026-00-01T09:00:00",
    "2026-11-32T09:00:00",
    "2026-11-00T09:00:00",
    " 2026 - 1 - 5 T 9 : 0 : 0 ",
    "\u{3000}2026-11-23T09:00:00\t",
    "2026-11-23 09:00:00",
    "2026-11-23t09:00:00",
    "2026-11-23T09:00",
    "2026-11-23T09:00:00Z",
    "2026-11-23",
    "2026-11-23 ",
    "2026-11-23x",
    "20261-11-23",
    "+20261-11-23T00:00:00",
    "-0001-01-01T00:00:00",
    "-",
    "+",
    "+-1-01-01",
    "-999999999999-01-01",
    "99999999999999999999-01-01",
    "+99999999999999999999-01-01",
    "+262143-12-31T23:59:59",
    "+262142-12-31T23:59:59",
    "-262143-01-01T00:00:00",
    "-262144-01-01T00:00:00",
    "",
    " ",
    "T",
    "2026",
    "2026-",
    "2026-11",
    "2026-11-",
    "2026-11-2",
    "2026-11-2T",
    "2026-11-2T1",
    "2026-11-2T1:",
    "2026-11-2T1:2",
    "2026-11-2T1:2:",
    "2026-11-2T1:2:3",
    "2026-111-2T1:2:3",
    "٢٠٢٦-11-23T09:00:00",
    "2026-11-23T09:00:00😀",
];

#[test]
fn fixed_cases_match_chrono() {
    for s in CASES {
        same_datetime(s);
        same_date(s);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(20_000))]

    #[test]
    fn random_text_matches_chrono(s in "[0-9T:.+\\- \\t\u{3000}x]{0,28}") {
        same_datetime(&s);
        same_date(&s);
    }

    #[test]
    fn near_valid_text_matches_chrono(
        y in -300_000i64..300_000, mo in 0u32..14, d in 0u32..33, h in 0u32..25, mi in 0u32..61, s in 0u32..62,
        frac in proptest::option::of("[0-9]{0,12}"), sep in "[ T]{1,2}",
    ) {
        let y = if (0..=9999).contains(&y) { format!("{y:04}") } else { format!("{y:+05}") };
        let frac = frac.map(|f| format!(".{f}")).unwrap_or_default();
        same_datetime(&format!("{y}-{mo:02}-{d:02}{sep}{h:02}:{mi:02}:{s:02}{frac}"));
        same_date(&format!("{y}-{mo}-{d}"));
    }

    #[test]
    fn what_chrono_writes_reads_back(secs in -8_000_000_000_000i64..8_000_000_000_000, nanos in 0u32..2_000_000_000) {
        if let Some(t) = chrono::DateTime::from_timestamp(secs, nanos).map(|t| t.naive_utc()) {
            prop_assert_eq!(parse_datetime(&format!("{t:?}")), Ok(t));
            prop_assert_eq!(parse_date(&format!("{:?}", t.date())), Ok(t.date()));
        }
    }
}

#[test]
fn model_json_is_chrono_json() {
    let at = NaiveDate::from_ymd_opt(2026, 11, 23).and_then(|d| d.and_hms_milli_opt(9, 5, 7, 120)).expect("date");
    let c = Confirmation { at, by: WorkerId::new("D001"), note: String::new() };
    let json = serde_json::to_string(&c).expect("json");
    assert_eq!(json, r#"{"at":"2026-11-23T09:05:07.120","by":"D001","note":""}"#);
    assert_eq!(serde_json::from_str::<Confirmation>(&json).expect("back"), c);
    let w: Result<TimeWindow, _> = serde_json::from_str(r#"{"start":"2026-11-23T09:00:00","end":"2026-02-30T09:00:00"}"#);
    assert_eq!(w.map_err(|e| e.to_string()), Err("input is out of range at line 1 column 58".to_owned()));
}
