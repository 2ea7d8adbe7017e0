//! Interop with a real pouchdb-server process: push and pull of 1,000 documents, conflicts
//! both ways, deletions, resume from checkpoints. Figures are printed as JSON lines.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed unwrap is a failed test
mod common;
mod server;

use common::{dump, winners};
use doorstep_store::{Edit, MemoryBackend, Store};
use doorstep_sync::native::{block_on, HttpTransport, ThreadTimer};
use doorstep_sync::{
    replicate, Checkpoint, Config, Direction, HttpRequest, HttpResponse, Report, Retry, SyncError,
    Transport, TransportError,
};
use serde_json::json;
use server::Server;
use std::cell::Cell;
use std::time::Instant;

fn cfg(server: &Server, db: &str, local: &str, dir: Direction, session: &str) -> Config {
    let mut c = Config::new(db, local, format!("{}/{db}", server.url()), dir, session);
    c.batch_size = 200;
    c
}

fn run(store: &Store<MemoryBackend>, t: &impl Transport, c: Config) -> Result<Report, SyncError> {
    block_on(replicate(store, t, &ThreadTimer, c))
}

fn both(store: &Store<MemoryBackend>, server: &Server, db: &str, local: &str, session: &str) {
    let c = cfg(server, db, local, Direction::Push, session);
    block_on(doorstep_sync::sync(
        store,
        &server.transport(),
        &ThreadTimer,
        c,
    ))
    .unwrap();
}

/// 1,000 documents, 100 of them edited once more and 50 deleted.
fn thousand(store: &Store<MemoryBackend>) {
    common::seed(store, "doc:", 1000);
    block_on(async {
        let mut edits = Vec::new();
        for i in 0..150 {
            let id = format!("doc:{i:05}");
            let d = store.get(&id).await.unwrap().unwrap();
            edits.push(if i < 100 {
                Edit::put(&id, json!({"n": i, "edited": true}), Some(d.rev))
            } else {
                Edit::delete(&id, d.rev)
            });
        }
        for r in store.bulk_docs(&edits).await.unwrap() {
            r.unwrap();
        }
    });
}

#[test]
fn push_and_pull_1000_documents() {
    let server = Server::start();
    server.create_db("w1");
    let t = server.transport();
    let (a, b) = (
        Store::new(MemoryBackend::new()),
        Store::new(MemoryBackend::new()),
    );
    thousand(&a);
    let t0 = Instant::now();
    let push = run(&a, &t, cfg(&server, "w1", "a", Direction::Push, "1")).unwrap();
    let push_s = t0.elapsed().as_secs_f64();
    assert_eq!(push.revs_written, 1000);
    assert!(push.refused.is_empty());
    let (_, info) = server.get("/w1");
    assert_eq!(info["doc_count"], json!(950));
    let t0 = Instant::now();
    let pull = run(&b, &t, cfg(&server, "w1", "b", Direction::Pull, "1")).unwrap();
    let pull_s = t0.elapsed().as_secs_f64();
    assert_eq!(pull.revs_written, 1000);
    assert_eq!(dump(&a), dump(&b), "identical documents and revision trees");
    // Nothing new: both directions resume from their checkpoints and move nothing.
    let again = run(&a, &t, cfg(&server, "w1", "a", Direction::Push, "2")).unwrap();
    assert_eq!(
        (again.started_from.clone(), again.revs_written),
        (push.checkpoint.clone(), 0)
    );
    let again = run(&b, &t, cfg(&server, "w1", "b", Direction::Pull, "2")).unwrap();
    assert_eq!(
        (again.started_from.clone(), again.revs_written),
        (pull.checkpoint.clone(), 0)
    );
    server::figure(
        "pouchdb_push_pull_1000",
        json!({"docs": 1000, "batch": 200,
               "push_s": push_s, "push_docs_per_s": (1000.0 / push_s).round(), "push_requests": push.requests,
               "pull_s": pull_s, "pull_docs_per_s": (1000.0 / pull_s).round(), "pull_requests": pull.requests}),
    );
}

#[test]
fn conflicts_both_ways_get_the_same_winner() {
    let server = Server::start();
    server.create_db("w1");
    let (a, b) = (
        Store::new(MemoryBackend::new()),
        Store::new(MemoryBackend::new()),
    );
    common::seed(&a, "job:", 20);
    both(&a, &server, "w1", "a", "1");
    both(&b, &server, "w1", "b", "1");
    block_on(async {
        for i in 0..20 {
            let id = format!("job:{i:05}");
            let ra = a.get(&id).await.unwrap().unwrap().rev;
            a.put(&id, &json!({"by": "a"}), Some(&ra)).await.unwrap();
            let rb = b.get(&id).await.unwrap().unwrap().rev;
            let rb = b.put(&id, &json!({"by": "b"}), Some(&rb)).await.unwrap();
            if i % 2 == 0 {
                // b's branch is longer here: it wins by generation.
                b.put(&id, &json!({"by": "b", "again": true}), Some(&rb))
                    .await
                    .unwrap();
            }
        }
    });
    both(&a, &server, "w1", "a", "2");
    both(&b, &server, "w1", "b", "2");
    both(&a, &server, "w1", "a", "3");
    assert_eq!(dump(&a), dump(&b));
    assert_eq!(winners(&a), winners(&b));
    for i in 0..20 {
        let id = format!("job:{i:05}");
        let d = block_on(a.get(&id)).unwrap().unwrap();
        assert_eq!(
            d.conflicts.len(),
            1,
            "{id}: the conflict is kept on the device"
        );
        let (_, theirs) = server.get(&format!("/w1/job%3A{i:05}?conflicts=true"));
        assert_eq!(
            theirs["_rev"],
            json!(d.rev.to_string()),
            "{id}: the server picks the same winner"
        );
        assert_eq!(theirs["_conflicts"].as_array().map(Vec::len), Some(1));
    }
}

#[test]
fn a_deletion_is_not_resurrected() {
    let server = Server::start();
    server.create_db("w1");
    let (a, b) = (
        Store::new(MemoryBackend::new()),
        Store::new(MemoryBackend::new()),
    );
    let rev = block_on(a.put("job:1", &json!({"v": 1}), None)).unwrap();
    let rev2 = block_on(a.put("job:2", &json!({"v": 1}), None)).unwrap();
    both(&a, &server, "w1", "a", "1");
    both(&b, &server, "w1", "b", "1");
    block_on(a.delete("job:1", &rev)).unwrap();
    block_on(a.delete("job:2", &rev2)).unwrap();
    both(&a, &server, "w1", "a", "2");
    // b, offline, still holds the old live revisions; it edits job:2 (a stale edit) and
    // leaves job:1 alone, then syncs (push first).
    let b2 = block_on(b.get("job:2")).unwrap().unwrap();
    block_on(b.put("job:2", &json!({"v": 2}), Some(&b2.rev))).unwrap();
    both(&b, &server, "w1", "b", "2");
    both(&a, &server, "w1", "a", "3");
    // job:1 stays deleted everywhere.
    assert_eq!(block_on(b.get("job:1")).unwrap(), None);
    assert_eq!(block_on(a.get("job:1")).unwrap(), None);
    assert_eq!(server.get("/w1/job%3A1").0, 404);
    // job:2: a visible conflict, not a silent revival: the live edit wins (CouchDB's rule)
    // with the deletion listed beside it, on both devices and on the server.
    assert_eq!(dump(&a), dump(&b));
    for s in [&a, &b] {
        let w = block_on(s.get("job:2")).unwrap().unwrap();
        assert_eq!(w.body, json!({"v": 2}));
        assert_eq!(
            w.deleted_conflicts.len(),
            1,
            "the deletion stays visible beside the edit"
        );
    }
    // pouchdb-server has no `deleted_conflicts`: its leaves show the same.
    let (_, theirs) = server.get("/w1/job%3A2");
    assert_eq!(theirs["v"], json!(2));
    let (_, leaves) = server.get("/w1/job%3A2?open_revs=all");
    let leaves = leaves.as_array().unwrap();
    assert_eq!(leaves.len(), 2);
    assert_eq!(
        leaves
            .iter()
            .filter(|l| l["ok"]["_deleted"] == json!(true))
            .count(),
        1
    );
}

/// Cuts the connection for good after `left` requests.
struct Cut<'a> {
    inner: &'a HttpTransport,
    left: Cell<u32>,
}

impl Transport for Cut<'_> {
    async fn send(&self, req: HttpRequest) -> Result<HttpResponse, TransportError> {
        if self.left.get() == 0 {
            return Err(TransportError::Network("cut".into()));
        }
        self.left.set(self.left.get() - 1);
        self.inner.send(req).await
    }
}

#[test]
fn an_interrupted_run_resumes_from_its_checkpoint() {
    let server = Server::start();
    server.create_db("w1");
    let t = server.transport();
    let (a, b) = (
        Store::new(MemoryBackend::new()),
        Store::new(MemoryBackend::new()),
    );
    thousand(&a);
    let once = Retry {
        first_ms: 1,
        max_ms: 1,
        attempts: 1,
    };
    for (store, dir, per_batch) in [(&a, Direction::Push, 3), (&b, Direction::Pull, 3)] {
        // GET db, GET checkpoint, then three batches (each: two requests + PUT checkpoint).
        let cut = Cut {
            inner: &t,
            left: Cell::new(2 + 3 * per_batch + 1),
        };
        let mut c = cfg(&server, "w1", "x", dir, "1");
        c.retry = once.clone();
        let e = run(store, &cut, c.clone()).unwrap_err();
        assert!(matches!(e, SyncError::GaveUp { .. }), "{e}");
        let saved: Checkpoint = block_on(store.get_local(&c.replication_id()))
            .unwrap()
            .unwrap();
        c.session_id = "2".into();
        let r = run(store, &t, c).unwrap();
        let from = r
            .started_from
            .clone()
            .expect("resumed from a checkpoint, not from zero");
        assert_eq!(
            from, saved.source_last_seq,
            "{dir:?}: from the last checkpoint"
        );
        assert_eq!(saved.history.len(), 1);
        assert_eq!(
            r.revs_written, 400,
            "{dir:?}: only the rest moved, nothing twice"
        );
    }
    assert_eq!(dump(&a), dump(&b));
}

#[test]
fn a_document_the_server_refuses_stays_pending_until_it_is_accepted() {
    let server = Server::start();
    server.create_db("w1");
    let t = server.transport();
    // The server's validation refuses `secret:` documents (as a worker's database will
    // refuse writes outside their own step documents).
    let guard = json!({"_id": "_design/guard", "validate_doc_update":
        "function (doc) { if (doc._id.indexOf('secret:') === 0) { throw({forbidden: 'workers may not write this'}); } }"});
    let put = |body: serde_json::Value| {
        let r = block_on(t.send(server::req(
            doorstep_sync::Method::Put,
            "/w1/_design/guard",
            Some(body.to_string().into_bytes()),
        )))
        .unwrap();
        assert!(
            r.status == 201 || r.status == 200,
            "{}",
            String::from_utf8_lossy(&r.body)
        );
        serde_json::from_slice::<serde_json::Value>(&r.body).unwrap()["rev"].clone()
    };
    let rev = put(guard);
    let a = Store::new(MemoryBackend::new());
    common::seed(&a, "doc:", 10);
    block_on(a.put("secret:1", &json!({"x": 1}), None)).unwrap();
    common::seed(&a, "late:", 10);
    let mut c = cfg(&server, "w1", "a", Direction::Push, "1");
    c.batch_size = 5;
    let r = run(&a, &t, c.clone()).unwrap();
    assert_eq!(r.refused.len(), 1);
    assert_eq!(
        (r.refused[0].id.as_str(), r.refused[0].error.as_str()),
        ("secret:1", "forbidden")
    );
    assert_eq!(r.refused[0].reason, "workers may not write this");
    assert_eq!(
        r.checkpoint,
        Some(json!(10)),
        "held below the refused document"
    );
    assert_eq!(server.get("/w1/late%3A00009").0, 200, "the others went");
    assert_eq!(server.get("/w1/secret%3A1").0, 404);
    // The cause is fixed on the server: the next run sends it again and it is taken.
    put(json!({"_id": "_design/guard", "_rev": rev, "validate_doc_update": "function (doc) {}"}));
    c.session_id = "2".into();
    let r = run(&a, &t, c).unwrap();
    assert_eq!(r.started_from, Some(json!(10)));
    assert!(r.refused.is_empty());
    assert_eq!(r.checkpoint, Some(json!(21)));
    assert_eq!(server.get("/w1/secret%3A1").0, 200);
    assert!(block_on(doorstep_sync::refused(&a, &r.rep_id))
        .unwrap()
        .is_empty());
}
