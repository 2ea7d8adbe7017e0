//! `doorstep demo` prints a `_bulk_docs` body for the given day.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed unwrap is a failed test
mod common;

use common::doorstep;

#[test]
fn demo_prints_bulk_docs_for_the_date() {
    let (code, out, _) = doorstep(&["demo", "2026-11-23"], None);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let docs = v["docs"].as_array().unwrap();
    assert_eq!(docs.len(), 17);
    let job = docs.iter().find(|d| d["_id"] == "job:J-1001").unwrap();
    assert_eq!(job["job"]["window"]["start"], "2026-11-23T09:00:00");
    assert_eq!(job["assignment"]["leader"], "D001");
    let (code, _, err) = doorstep(&["demo", "23/11/2026"], None);
    assert_eq!(code, 2);
    assert!(err.contains("bad date"));
}
