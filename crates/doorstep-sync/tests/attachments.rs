//! Photos (attachments of step documents) over replication: on the simulated CouchDB (what
//! goes inline and what as a stub, `missing_stub`, the request budget, damaged bytes) and on
//! a real pouchdb-server (round trip, stubs-only second push, throughput). Figures as JSON.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed unwrap is a failed test
mod common;
mod server;

use common::*;
use doorstep_store::attach::digest;
use doorstep_store::{Attachment, MemoryBackend, Rev, Store};
use doorstep_sync::native::{HttpTransport, ThreadTimer};
use doorstep_sync::{
    replicate, Config, Direction, HttpRequest, HttpResponse, Report, SyncError, Transport,
    TransportError,
};
use serde_json::{json, Value};
use std::cell::RefCell;
use std::time::Instant;

/// Bytes that look like a photo of `len` bytes, different for each `seed`.
fn photo(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

fn jpeg(n: usize, bytes: Vec<u8>) -> Attachment {
    Attachment {
        name: format!("photo-{n}.jpg"),
        content_type: "image/jpeg".into(),
        bytes,
    }
}

/// Writes (or rewrites, on the current winner) step `id` with these photos.
fn step(store: &Store<MemoryBackend>, id: &str, photos: Vec<Vec<u8>>) -> Rev {
    block_on(async {
        let base = store.get(id).await.unwrap().map(|d| d.rev);
        let atts: Vec<Attachment> = photos
            .into_iter()
            .enumerate()
            .map(|(n, b)| jpeg(n + 1, b))
            .collect();
        store
            .put_with_attachments(
                id,
                &json!({"job": "J1", "step": {"kind": "damage"}}),
                base.as_ref(),
                &atts,
            )
            .await
            .unwrap()
    })
}

fn bytes_of(store: &Store<MemoryBackend>, id: &str, name: &str) -> Option<Vec<u8>> {
    block_on(store.get_attachment(id, name, None)).unwrap()
}

/// The attachments of the `_bulk_docs` requests seen: per request, `name: data|stub`.
fn sent(bodies: &[Value]) -> Vec<Vec<String>> {
    bodies
        .iter()
        .map(|b| {
            b["docs"]
                .as_array()
                .unwrap()
                .iter()
                .flat_map(|d| {
                    let id = d["_id"].as_str().unwrap().to_owned();
                    d["_attachments"]
                        .as_object()
                        .into_iter()
                        .flatten()
                        .map(move |(n, a)| {
                            let how = if a.get("data").is_some() {
                                "data"
                            } else {
                                "stub"
                            };
                            format!("{id}/{n}: {how}")
                        })
                })
                .collect()
        })
        .collect()
}

/// A transport that keeps the body of every `_bulk_docs` request and the size of every
/// request, then hands it on.
struct Spy<'a, T: Transport> {
    inner: &'a T,
    bulk_docs: RefCell<Vec<Value>>,
    sizes: RefCell<Vec<usize>>,
}

impl<'a, T: Transport> Spy<'a, T> {
    fn new(inner: &'a T) -> Self {
        Spy {
            inner,
            bulk_docs: RefCell::default(),
            sizes: RefCell::default(),
        }
    }
}

impl<T: Transport> Transport for Spy<'_, T> {
    async fn send(&self, req: HttpRequest) -> Result<HttpResponse, TransportError> {
        if req.path.ends_with("/_bulk_docs") {
            let b = req.body.as_deref().unwrap_or_default();
            self.sizes.borrow_mut().push(b.len());
            self.bulk_docs
                .borrow_mut()
                .push(serde_json::from_slice(b).unwrap());
        }
        self.inner.send(req).await
    }
}

fn run_on<T: Transport>(
    store: &Store<MemoryBackend>,
    t: &T,
    cfg: Config,
) -> Result<Report, SyncError> {
    block_on(replicate(store, t, &Clock::default(), cfg))
}

#[test]
fn push_sends_bytes_only_for_attachments_the_server_lacks() {
    let local = Store::new(MemoryBackend::new());
    let server = FakeCouch::new("w1");
    let net = Net(&server);
    let spy = Spy::new(&net);
    step(&local, "step:J1:a", vec![photo(1, 3000), photo(2, 3000)]);
    step(&local, "step:J1:b", vec![photo(1, 3000)]);
    let r = run_on(&local, &spy, config("a", Direction::Push, "1")).unwrap();
    assert_eq!((r.revs_written, r.attachments_sent), (2, 3));
    // A new revision of a, one photo more: only that one goes inline.
    step(
        &local,
        "step:J1:a",
        vec![photo(1, 3000), photo(2, 3000), photo(3, 3000)],
    );
    let r = run_on(&local, &spy, config("a", Direction::Push, "2")).unwrap();
    assert_eq!((r.revs_written, r.attachments_sent), (1, 1));
    assert_eq!(
        sent(&spy.bulk_docs.borrow()),
        [
            vec![
                "step:J1:a/photo-1.jpg: data",
                "step:J1:a/photo-2.jpg: data",
                "step:J1:b/photo-1.jpg: data"
            ],
            vec![
                "step:J1:a/photo-1.jpg: stub",
                "step:J1:a/photo-2.jpg: stub",
                "step:J1:a/photo-3.jpg: data"
            ],
        ]
    );
    // The server holds the same revisions, stubs and bytes.
    assert_eq!(dump(&local), dump(&server.store));
    for n in 1..=3 {
        let name = format!("photo-{n}.jpg");
        assert_eq!(
            bytes_of(&server.store, "step:J1:a", &name),
            Some(photo(n as u64, 3000))
        );
    }
    // Nothing new: nothing sent.
    let r = run_on(&local, &spy, config("a", Direction::Push, "3")).unwrap();
    assert_eq!((r.revs_written, r.attachments_sent), (0, 0));
}

#[test]
fn missing_stub_resends_the_document_with_its_bytes_inline() {
    let local = Store::new(MemoryBackend::new());
    let server = FakeCouch::new("w1");
    let r1 = step(&local, "step:J1:a", vec![photo(1, 500)]);
    let r2 = step(&local, "step:J1:a", vec![photo(1, 500), photo(2, 500)]);
    // The server says it holds r1 (it does not): photo-1 goes as a stub first.
    let diff =
        json!({"step:J1:a": {"missing": [r2.to_string()], "possible_ancestors": [r1.to_string()]}});
    server.set_faults(move |_, req: &HttpRequest| {
        req.path
            .ends_with("/_revs_diff")
            .then(|| Fault::Body(diff.to_string().into_bytes()))
    });
    let net = Net(&server);
    let spy = Spy::new(&net);
    let r = run_on(&local, &spy, config("a", Direction::Push, "1")).unwrap();
    assert_eq!(
        sent(&spy.bulk_docs.borrow()),
        [
            vec!["step:J1:a/photo-1.jpg: stub", "step:J1:a/photo-2.jpg: data"],
            vec!["step:J1:a/photo-1.jpg: data", "step:J1:a/photo-2.jpg: data"],
        ]
    );
    assert!(r.refused.is_empty());
    assert_eq!(
        bytes_of(&server.store, "step:J1:a", "photo-1.jpg"),
        Some(photo(1, 500))
    );
}

#[test]
fn a_missing_stub_row_resends_that_document_alone_with_its_bytes() {
    let local = Store::new(MemoryBackend::new());
    let server = FakeCouch::new("w1");
    let r1 = step(&local, "step:J1:a", vec![photo(1, 500)]);
    let r2 = step(&local, "step:J1:a", vec![photo(1, 500), photo(2, 500)]);
    step(&local, "step:J1:b", vec![photo(3, 500)]);
    let diff = json!({"step:J1:a": {"missing": [r2.to_string()], "possible_ancestors": [r1.to_string()]},
                      "step:J1:b": {"missing": [step_rev(&local, "step:J1:b")]}});
    // The first `_bulk_docs` is answered per row, as some servers do: a's stub is missing
    // (nothing stored); b is not answered.
    let row = json!([{"id": "step:J1:a", "rev": r2.to_string(), "error": "missing_stub", "reason": "photo-1.jpg"}]);
    let mut first = true;
    server.set_faults(move |_, req: &HttpRequest| {
        if req.path.ends_with("/_revs_diff") {
            return Some(Fault::Body(diff.to_string().into_bytes()));
        }
        if req.path.ends_with("/_bulk_docs") && std::mem::take(&mut first) {
            return Some(Fault::Body(row.to_string().into_bytes()));
        }
        None
    });
    let net = Net(&server);
    let spy = Spy::new(&net);
    let r = run_on(&local, &spy, config("a", Direction::Push, "1")).unwrap();
    assert_eq!(
        sent(&spy.bulk_docs.borrow()),
        [
            vec![
                "step:J1:a/photo-1.jpg: stub",
                "step:J1:a/photo-2.jpg: data",
                "step:J1:b/photo-1.jpg: data"
            ],
            vec!["step:J1:a/photo-1.jpg: data", "step:J1:a/photo-2.jpg: data"],
        ]
    );
    assert!(r.refused.is_empty(), "{:?}", r.refused);
    assert_eq!(r.revs_written, 2);
    assert_eq!(
        bytes_of(&server.store, "step:J1:a", "photo-1.jpg"),
        Some(photo(1, 500))
    );
}

fn step_rev(store: &Store<MemoryBackend>, id: &str) -> String {
    block_on(store.get(id)).unwrap().unwrap().rev.to_string()
}

#[test]
fn a_server_naming_no_ancestors_is_asked_which_it_holds() {
    let local = Store::new(MemoryBackend::new());
    let server = FakeCouch::new("w1");
    step(&local, "step:J1:a", vec![photo(1, 500)]);
    run_on(&local, &Net(&server), config("a", Direction::Push, "1")).unwrap();
    let r2 = step(&local, "step:J1:a", vec![photo(1, 500), photo(2, 500)]);
    // The first `_revs_diff` answers as pouchdb-server does: `missing` only.
    let diff = json!({"step:J1:a": {"missing": [r2.to_string()]}});
    let mut first = true;
    server.set_faults(move |_, req: &HttpRequest| {
        if req.path.ends_with("/_revs_diff") && std::mem::take(&mut first) {
            return Some(Fault::Body(diff.to_string().into_bytes()));
        }
        None
    });
    let net = Net(&server);
    let spy = Spy::new(&net);
    let r = run_on(&local, &spy, config("a", Direction::Push, "2")).unwrap();
    assert_eq!((r.revs_written, r.attachments_sent), (1, 1));
    assert_eq!(
        sent(&spy.bulk_docs.borrow()),
        [vec![
            "step:J1:a/photo-1.jpg: stub",
            "step:J1:a/photo-2.jpg: data"
        ]]
    );
    assert_eq!(
        server
            .log
            .borrow()
            .iter()
            .filter(|l| l.contains("_revs_diff"))
            .count(),
        3,
        "one more _revs_diff, of the ancestors"
    );
    assert_eq!(dump(&local), dump(&server.store));
}

#[test]
fn requests_with_photos_stay_within_the_byte_budget() {
    let local = Store::new(MemoryBackend::new());
    let server = FakeCouch::new("w1");
    for i in 0..10 {
        step(&local, &format!("step:J1:{i}"), vec![photo(i, 100_000)]);
    }
    let net = Net(&server);
    let spy = Spy::new(&net);
    let mut cfg = config("a", Direction::Push, "1");
    cfg.max_body = 300_000;
    let r = run_on(&local, &spy, cfg).unwrap();
    assert_eq!((r.revs_written, r.attachments_sent), (10, 10));
    let sizes = spy.sizes.borrow().clone();
    // 100 kB in base64 is ~134 kB: two documents per request.
    assert_eq!(sizes.len(), 5, "{sizes:?}");
    assert!(sizes.iter().all(|s| *s <= 300_000), "{sizes:?}");
    assert_eq!(dump(&local), dump(&server.store));
}

#[test]
fn pull_fetches_only_missing_bytes_and_checks_them() {
    let server = FakeCouch::new("w1");
    step(
        &server.store,
        "step:J1:a",
        vec![photo(1, 2000), photo(2, 2000)],
    );
    step(&server.store, "step:J1:b", vec![photo(1, 2000)]);
    let local = Store::new(MemoryBackend::new());
    let net = Net(&server);
    let r = run_on(&local, &net, config("b", Direction::Pull, "1")).unwrap();
    // photo 1 is named twice and fetched once.
    assert_eq!((r.revs_written, r.attachments_sent), (2, 2));
    assert_eq!(dump(&local), dump(&server.store));
    assert_eq!(
        bytes_of(&local, "step:J1:b", "photo-1.jpg"),
        Some(photo(1, 2000))
    );
    // A new revision with one photo more: one fetch.
    step(
        &server.store,
        "step:J1:a",
        vec![photo(1, 2000), photo(2, 2000), photo(3, 2000)],
    );
    server.log.borrow_mut().clear();
    let r = run_on(&local, &net, config("b", Direction::Pull, "2")).unwrap();
    assert_eq!((r.revs_written, r.attachments_sent), (1, 1));
    let fetched: Vec<String> = server
        .log
        .borrow()
        .iter()
        .filter(|l| l.contains(".jpg"))
        .cloned()
        .collect();
    assert_eq!(fetched.len(), 1, "{fetched:?}");
    assert!(fetched[0].contains("photo-3.jpg"));
    assert_eq!(
        bytes_of(&local, "step:J1:a", "photo-3.jpg"),
        Some(photo(3, 2000))
    );
}

#[test]
fn pulled_bytes_that_fail_their_digest_are_not_stored() {
    let server = FakeCouch::new("w1");
    step(&server.store, "step:J1:a", vec![photo(1, 2000)]);
    server.set_faults(|_, req: &HttpRequest| {
        req.path
            .ends_with(".jpg")
            .then(|| Fault::Body(photo(9, 2000)))
    });
    let local = Store::new(MemoryBackend::new());
    let err = run_on(&local, &Net(&server), config("b", Direction::Pull, "1")).unwrap_err();
    assert!(
        matches!(&err, SyncError::LocalDoc { id, error: doorstep_store::DocError::DigestMismatch { .. } } if id == "step:J1:a"),
        "{err:?}"
    );
    assert!(block_on(local.get("step:J1:a")).unwrap().is_none());
    assert!(!block_on(local.has_attachments(&[digest(&photo(9, 2000))])).unwrap()[0]);
    // With the server healthy again, the next run brings it whole.
    server.clear_faults();
    run_on(&local, &Net(&server), config("b", Direction::Pull, "2")).unwrap();
    assert_eq!(
        bytes_of(&local, "step:J1:a", "photo-1.jpg"),
        Some(photo(1, 2000))
    );
}

// ---- A real pouchdb-server ----

fn pcfg(server: &server::Server, db: &str, local: &str, dir: Direction, session: &str) -> Config {
    Config::new(db, local, format!("{}/{db}", server.url()), dir, session)
}

fn prun(store: &Store<MemoryBackend>, t: &impl Transport, c: Config) -> Report {
    block_on(replicate(store, t, &ThreadTimer, c)).unwrap()
}

#[test]
fn pouchdb_round_trip_of_a_step_with_photos() {
    let server = server::Server::start();
    server.create_db("w1");
    let http: HttpTransport = server.transport();
    let spy = Spy::new(&http);
    let (a, b) = (
        Store::new(MemoryBackend::new()),
        Store::new(MemoryBackend::new()),
    );
    let r1 = step(&a, "step:J1:a", vec![photo(1, 200_000)]);
    let r = prun(&a, &spy, pcfg(&server, "w1", "a", Direction::Push, "1"));
    assert_eq!((r.revs_written, r.attachments_sent), (1, 1));
    // What the server keeps: the stub as we sent it.
    let (_, doc) = server.get("/w1/step%3AJ1%3Aa");
    let stub = &doc["_attachments"]["photo-1.jpg"];
    assert_eq!(stub["digest"], json!(digest(&photo(1, 200_000))));
    assert_eq!(stub["length"], json!(200_000));
    // pouchdb-server 4.2 keeps the revpos of inline data sent with new_edits=false as
    // given (1 here): the revision trees and stubs on both devices compare equal below.
    assert_eq!(stub["revpos"], json!(1));
    let r = prun(&b, &http, pcfg(&server, "w1", "b", Direction::Pull, "1"));
    assert_eq!((r.revs_written, r.attachments_sent), (1, 1));
    assert_eq!(
        bytes_of(&b, "step:J1:a", "photo-1.jpg"),
        Some(photo(1, 200_000))
    );
    assert_eq!(dump(&a), dump(&b));
    // A second revision with one more photo: the first goes as a stub, the server keeps it.
    let r2 = step(&a, "step:J1:a", vec![photo(1, 200_000), photo(2, 1000)]);
    assert_ne!(r1, r2);
    let r = prun(&a, &spy, pcfg(&server, "w1", "a", Direction::Push, "2"));
    assert_eq!((r.revs_written, r.attachments_sent), (1, 1));
    assert_eq!(
        sent(&spy.bulk_docs.borrow()).last().unwrap(),
        &["step:J1:a/photo-1.jpg: stub", "step:J1:a/photo-2.jpg: data"]
    );
    let r = prun(&b, &http, pcfg(&server, "w1", "b", Direction::Pull, "2"));
    assert_eq!(
        (r.revs_written, r.attachments_sent),
        (1, 1),
        "only the new photo is fetched"
    );
    assert_eq!(dump(&a), dump(&b));
    assert_eq!(
        bytes_of(&b, "step:J1:a", "photo-2.jpg"),
        Some(photo(2, 1000))
    );
    // The same again: no request carries data.
    let before = spy.bulk_docs.borrow().len();
    let r = prun(&a, &spy, pcfg(&server, "w1", "a", Direction::Push, "3"));
    assert_eq!((r.revs_written, r.attachments_sent), (0, 0));
    assert_eq!(spy.bulk_docs.borrow().len(), before);

    // Inline data with a revpos below its revision's generation (a first push of a second
    // revision: photo-1 was added at 1, the revision is 2).
    server.create_db("w2");
    let r = prun(&a, &http, pcfg(&server, "w2", "a", Direction::Push, "1"));
    assert_eq!((r.revs_written, r.attachments_sent), (1, 2));
    let (_, doc) = server.get("/w2/step%3AJ1%3Aa");
    let revpos = |n: &str| doc["_attachments"][n]["revpos"].clone();
    // pouchdb-server 4.2 rewrites the revpos of inline data to the revision's generation
    // (CouchDB keeps the one sent): photo-1 says 2 there, 1 here. Only the stub's revpos
    // differs (same revision ids, digests, bytes); it only makes a later push send photo-1
    // as a stub sooner, never later.
    assert_eq!(
        (revpos("photo-1.jpg"), revpos("photo-2.jpg")),
        (json!(2), json!(2))
    );
    let c = Store::new(MemoryBackend::new());
    prun(&c, &http, pcfg(&server, "w2", "c", Direction::Pull, "1"));
    let got = block_on(c.get("step:J1:a")).unwrap().unwrap();
    assert_eq!(got.rev, r2);
    assert_eq!(got.body["_attachments"]["photo-1.jpg"]["revpos"], json!(2));
    assert_eq!(
        bytes_of(&c, "step:J1:a", "photo-1.jpg"),
        Some(photo(1, 200_000))
    );
}

#[test]
fn pouchdb_photo_throughput() {
    let server = server::Server::start();
    server.create_db("w1");
    let http = server.transport();
    let (a, b) = (
        Store::new(MemoryBackend::new()),
        Store::new(MemoryBackend::new()),
    );
    let n = 50usize;
    let size = 200_000usize;
    for i in 0..n {
        step(
            &a,
            &format!("step:J1:{i:03}"),
            vec![photo(i as u64 + 1, size)],
        );
    }
    let mb = (n * size) as f64 / 1e6;
    let t0 = Instant::now();
    let push = prun(&a, &http, pcfg(&server, "w1", "a", Direction::Push, "1"));
    let push_s = t0.elapsed().as_secs_f64();
    let t0 = Instant::now();
    let pull = prun(&b, &http, pcfg(&server, "w1", "b", Direction::Pull, "1"));
    let pull_s = t0.elapsed().as_secs_f64();
    assert_eq!((push.attachments_sent, pull.attachments_sent), (n, n));
    assert_eq!(dump(&a), dump(&b));
    for i in (0..n).step_by(7) {
        assert_eq!(
            bytes_of(&b, &format!("step:J1:{i:03}"), "photo-1.jpg"),
            Some(photo(i as u64 + 1, size))
        );
    }
    server::figure(
        "pouchdb_photos",
        json!({"photos": n, "photo_bytes": size, "mb": mb,
               "push_s": push_s, "push_mb_per_s": (mb / push_s * 10.0).round() / 10.0, "push_requests": push.requests,
               "pull_s": pull_s, "pull_mb_per_s": (mb / pull_s * 10.0).round() / 10.0, "pull_requests": pull.requests}),
    );
}
