//! The native transport against hostile raw HTTP servers (a thread on 127.0.0.1): a 50 MB
//! body is cut off at the cap, a reply cut mid-body is a network error (retried, then given
//! up); neither changes local data.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed unwrap is a failed test
mod common;

use common::dump;
use doorstep_store::{MemoryBackend, Store};
use doorstep_sync::native::{block_on, HttpTransport, ThreadTimer};
use doorstep_sync::{replicate, Config, Direction, Retry, SyncError};
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::thread;

/// Serves `conns` connections: reads each request head, writes `head`, then `body_len`
/// bytes of body (in 64 kB chunks, stopping when the client hangs up), then closes.
fn hostile(conns: usize, head: String, body_len: usize) -> (String, thread::JoinHandle<usize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let h = thread::spawn(move || {
        let mut written = 0;
        for _ in 0..conns {
            let (mut s, _) = listener.accept().unwrap();
            let mut r = BufReader::new(s.try_clone().unwrap());
            let mut line = String::new();
            while r.read_line(&mut line).unwrap_or(0) > 0 && line != "\r\n" {
                line.clear();
            }
            if s.write_all(head.as_bytes()).is_err() {
                continue;
            }
            let chunk = vec![b' '; 64 << 10];
            let mut left = body_len;
            while left > 0 {
                let n = left.min(chunk.len());
                if s.write_all(&chunk[..n]).is_err() {
                    break;
                }
                written += n;
                left -= n;
            }
        }
        written
    });
    (url, h)
}

fn cfg(url: &str) -> Config {
    let mut c = Config::new("w1", "a", url, Direction::Pull, "s");
    c.max_body = 1 << 20;
    c.retry = Retry {
        first_ms: 1,
        max_ms: 1,
        attempts: 3,
    };
    c
}

#[test]
fn a_50_mb_reply_is_cut_at_the_cap() {
    let body = 50 << 20;
    let (url, server) = hostile(
        1,
        format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {body}\r\n\r\n"
        ),
        body,
    );
    let local = Store::new(MemoryBackend::new());
    common::seed(&local, "doc:", 3);
    let before = dump(&local);
    let e = block_on(replicate(
        &local,
        &HttpTransport::new(&url),
        &ThreadTimer,
        cfg(&url),
    ))
    .unwrap_err();
    assert_eq!(
        e,
        SyncError::TooLarge {
            what: "GET database".into(),
            limit: 1 << 20
        }
    );
    assert_eq!(dump(&local), before);
    drop(local);
    let written = server.join().unwrap();
    assert!(
        written < body,
        "the client stopped reading ({written} bytes sent)"
    );
}

#[test]
fn a_reply_cut_mid_body_is_retried_then_given_up() {
    let (url, server) = hostile(
        3,
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n".into(),
        10,
    );
    let local = Store::new(MemoryBackend::new());
    let e = block_on(replicate(
        &local,
        &HttpTransport::new(&url),
        &ThreadTimer,
        cfg(&url),
    ))
    .unwrap_err();
    assert!(matches!(e, SyncError::GaveUp { attempts: 3, .. }), "{e}");
    assert!(dump(&local).is_empty());
    server.join().unwrap();
}
