//! `doorstep demo` prints a `_bulk_docs` body for the given day.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed unwrap is a failed test
use std::process::Command;

#[test]
fn demo_prints_bulk_docs_for_the_date() {
    let out = Command::new(env!("CARGO_BIN_EXE_doorstep")).args(["demo", "2026-11-23"]).output().unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let docs = v["docs"].as_array().unwrap();
    assert_eq!(docs.len(), 17);
    let job = docs.iter().find(|d| d["_id"] == "job:J-1001").unwrap();
    assert_eq!(job["job"]["window"]["start"], "2026-11-23T09:00:00");
    assert_eq!(job["assignment"]["leader"], "D001");
    let bad = Command::new(env!("CARGO_BIN_EXE_doorstep")).args(["demo", "23/11/2026"]).output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("bad date"));
}
