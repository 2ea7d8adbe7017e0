//! Runs the `doorstep` binary for the CLI's end-to-end tests.
#![allow(clippy::expect_used)] // test code: a failed expect is a failed test

use std::io::Write;
use std::process::{Command, Stdio};

/// `doorstep ARGS` with `stdin` piped in (closed at once when `None`):
/// (exit code, or -1 if killed; standard output; standard error), both UTF-8.
pub fn doorstep(args: &[&str], stdin: Option<&str>) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_doorstep"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run doorstep");
    if let Some(mut pipe) = child.stdin.take() {
        pipe.write_all(stdin.unwrap_or("").as_bytes())
            .expect("write stdin");
    }
    let out = child.wait_with_output().expect("wait for doorstep");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).expect("utf-8 stdout"),
        String::from_utf8(out.stderr).expect("utf-8 stderr"),
    )
}
