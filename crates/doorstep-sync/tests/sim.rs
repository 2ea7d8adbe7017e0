//! The replication protocol on a simulated network: an in-process CouchDB (a second store)
//! with injected faults. Each case runs once with its faults, then again without: the second
//! run must resume from a checkpoint and leave both sides identical.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed unwrap is a failed test
mod common;

use common::*;
use doorstep_store::{MemoryBackend, Store};
use doorstep_sync::{pending, refused, Direction, HttpRequest, Method, Retry};
use serde_json::json;

/// Which request a fault hits: the `nth` (from 0) whose `METHOD path` starts with `at`.
struct Hit {
    at: &'static str,
    nth: usize,
    fault: Fault,
}

fn hit(at: &'static str, nth: usize, fault: Fault) -> Hit {
    Hit { at, nth, fault }
}

struct Case {
    dir: Direction,
    /// Documents on the side the run reads from.
    docs: usize,
    batch: usize,
    faults: Vec<Hit>,
    /// `done`, or the start of the error's message.
    expect: &'static str,
    /// Documents on the target after the faulty run.
    after: usize,
}

/// Runs `case`: the faulty run's outcome and what the target holds, then a clean run that
/// must resume from the checkpoint the first left (if any) and make both sides identical.
fn check(name: &str, case: Case) {
    let local = Store::new(MemoryBackend::new());
    let server = FakeCouch::new("w1");
    match case.dir {
        Direction::Push => seed(&local, "doc:", case.docs),
        Direction::Pull => seed(&server.store, "doc:", case.docs),
    }
    let before = dump(&local);
    let mut seen: Vec<usize> = vec![0; case.faults.len()];
    let faults: Vec<(String, usize, Fault)> = case
        .faults
        .iter()
        .map(|h| (h.at.to_owned(), h.nth, h.fault.clone()))
        .collect();
    server.set_faults(move |_, req: &HttpRequest| {
        let line = format!("{} {}", req.method.as_str(), req.path);
        let mut out = None;
        for (k, (at, nth, fault)) in faults.iter().enumerate() {
            if line.starts_with(at.as_str()) {
                if seen[k] == *nth {
                    out = out.or(Some(fault.clone()));
                }
                seen[k] += 1;
            }
        }
        out
    });
    let mut cfg = config("device-a", case.dir, "s1");
    cfg.batch_size = case.batch;
    cfg.max_body = 1 << 20;
    cfg.retry = Retry {
        first_ms: 100,
        max_ms: 1000,
        attempts: 4,
    };
    let first = sync_one(&local, &server, cfg.clone());
    let outcome = match &first {
        Ok(_) => "done".to_owned(),
        Err(e) => e.to_string(),
    };
    assert!(
        outcome.starts_with(case.expect),
        "{name}: expected {:?}, got {outcome:?}",
        case.expect
    );
    let target = match case.dir {
        Direction::Push => &server.store,
        Direction::Pull => &local,
    };
    assert_eq!(
        dump(target).len(),
        case.after,
        "{name}: documents on the target"
    );
    if case.dir == Direction::Push {
        assert_eq!(
            dump(&local),
            before,
            "{name}: a push changed local documents"
        );
    }

    server.clear_faults();
    cfg.session_id = "s2".into();
    let second = sync_one(&local, &server, cfg).unwrap_or_else(|e| panic!("{name}: rerun: {e}"));
    if let Ok(r) = &first {
        if r.checkpoint.is_some() {
            assert_eq!(
                second.started_from, r.checkpoint,
                "{name}: resumes from the checkpoint"
            );
        }
    }
    if case.after > 0 && case.after < case.docs && case.dir == Direction::Pull {
        assert!(
            second.started_from.is_some(),
            "{name}: resumes, not from zero"
        );
    }
    assert_eq!(
        dump(&local),
        dump(&server.store),
        "{name}: both sides identical"
    );
    assert_eq!(dump(&local).len(), case.docs, "{name}: nothing lost");
}

fn garbage() -> Fault {
    Fault::Body(b"{\"results\": [{\"seq\": 1, \"id\": ".to_vec())
}

#[test]
fn protocol_cases() {
    use Direction::{Pull, Push};
    use Fault::*;
    let cases = [
        ("push in batches", Case { dir: Push, docs: 250, batch: 100, faults: vec![], expect: "done", after: 250 }),
        ("pull in batches", Case { dir: Pull, docs: 250, batch: 100, faults: vec![], expect: "done", after: 250 }),
        ("lost _bulk_docs reply is retried", Case { dir: Push, docs: 50, batch: 20, faults: vec![hit("POST /w1/_bulk_docs", 1, LoseReply)], expect: "done", after: 50 }),
        ("500s on _changes are retried", Case { dir: Pull, docs: 50, batch: 20, faults: vec![hit("GET /w1/_changes", 0, Status(500)), hit("GET /w1/_changes", 1, Status(503))], expect: "done", after: 50 }),
        ("no connection, then back", Case { dir: Pull, docs: 10, batch: 20, faults: vec![hit("GET /w1", 0, Refuse)], expect: "done", after: 10 }),
        ("401 mid-batch stops at once", Case { dir: Push, docs: 50, batch: 20, faults: vec![hit("POST /w1/_bulk_docs", 1, Status(401))], expect: "the server asks to log in again", after: 20 }),
        ("403 is not retried", Case { dir: Pull, docs: 50, batch: 20, faults: vec![hit("POST /w1/_bulk_get", 1, Status(403))], expect: "the server refused access", after: 20 }),
        ("409 elsewhere is not retried", Case { dir: Push, docs: 5, batch: 20, faults: vec![hit("POST /w1/_revs_diff", 0, Status(409))], expect: "unexpected reply 409 to _revs_diff", after: 0 }),
        ("412 is not retried", Case { dir: Pull, docs: 5, batch: 20, faults: vec![hit("GET /w1/_changes", 0, Status(412))], expect: "unexpected reply 412 to _changes", after: 0 }),
        ("bad JSON from _changes", Case { dir: Pull, docs: 50, batch: 20, faults: vec![hit("GET /w1/_changes", 1, garbage())], expect: "malformed reply to _changes", after: 20 }),
        ("wrong types from _bulk_get", Case { dir: Pull, docs: 50, batch: 20, faults: vec![hit("POST /w1/_bulk_get", 0, Body(br#"{"results": "none"}"#.to_vec()))], expect: "malformed reply to _bulk_get", after: 0 }),
        ("missing fields in _changes", Case { dir: Pull, docs: 5, batch: 20, faults: vec![hit("GET /w1/_changes", 0, Body(br#"{"results": [{"seq": 1, "id": "doc:00000"}]}"#.to_vec()))], expect: "malformed reply to _changes", after: 0 }),
        ("a bad revision in _changes", Case { dir: Pull, docs: 5, batch: 20, faults: vec![hit("GET /w1/_changes", 0, Body(br#"{"results": [{"seq": 1, "id": "x", "changes": [{"rev": "abc"}]}]}"#.to_vec()))], expect: "malformed reply to _changes", after: 0 }),
        ("a document not asked for", Case { dir: Pull, docs: 5, batch: 20, faults: vec![hit("POST /w1/_bulk_get", 0, Body(br#"{"results": [{"id": "evil", "docs": [{"ok": {"_id": "evil", "_rev": "1-abc", "_revisions": {"start": 1, "ids": ["abc"]}}}]}]}"#.to_vec()))], expect: "malformed reply to _bulk_get: a document not asked for", after: 0 }),
        ("wrong types from _revs_diff", Case { dir: Push, docs: 5, batch: 20, faults: vec![hit("POST /w1/_revs_diff", 0, Body(br#"{"doc:00000": {"missing": "1-abc"}}"#.to_vec()))], expect: "malformed reply to _revs_diff", after: 0 }),
        ("a huge body is capped", Case { dir: Pull, docs: 5, batch: 20, faults: vec![hit("GET /w1/_changes", 0, Body(vec![b' '; (1 << 20) + 1]))], expect: "reply to _changes larger than 1048576 bytes", after: 0 }),
        ("_bulk_docs listing only errors", Case { dir: Push, docs: 30, batch: 20, faults: vec![hit("POST /w1/_bulk_docs", 0, OnlyErrors)], expect: "done", after: 10 }),
        ("a lost checkpoint reply (409 then re-read)", Case { dir: Push, docs: 30, batch: 20, faults: vec![hit("PUT /w1/_local", 0, LoseReply)], expect: "done", after: 30 }),
        ("gives up after the retry budget", Case { dir: Pull, docs: 5, batch: 20, faults: (0..4).map(|k| hit("GET /w1/_changes", k, Status(500))).collect(), expect: "gave up on _changes after 4 attempts", after: 0 }),
    ];
    for (name, case) in cases {
        check(name, case);
    }
}

#[test]
fn without_bulk_get_documents_come_one_by_one() {
    let local = Store::new(MemoryBackend::new());
    let server = FakeCouch::new("w1");
    server.bulk_get.set(false);
    seed(&server.store, "doc:", 30);
    let report = sync_one(&local, &server, config("a", Direction::Pull, "s1")).unwrap();
    assert_eq!(report.revs_written, 30);
    assert_eq!(dump(&local), dump(&server.store));
    let log = server.log.borrow();
    assert_eq!(
        log.iter()
            .filter(|l| l.starts_with("POST /w1/_bulk_get"))
            .count(),
        1,
        "asked once"
    );
    assert!(log
        .iter()
        .any(|l| l.starts_with("GET /w1/doc%3A00007?revs=true&open_revs=")));
}

#[test]
fn retries_back_off_and_follow_retry_after() {
    let local = Store::new(MemoryBackend::new());
    let server = FakeCouch::new("w1");
    server.set_faults(|n, _| match n {
        0..=2 => Some(Fault::Refuse),
        _ => None,
    });
    let clock = Clock::default();
    let r = block_on(doorstep_sync::replicate(
        &local,
        &Net(&server),
        &clock,
        config("a", Direction::Pull, "s"),
    ));
    assert_eq!(r.unwrap().retries, 3);
    assert_eq!(*clock.0.borrow(), vec![250, 500, 1000]);
}

#[test]
fn refused_documents_stay_pending_and_are_sent_again() {
    let local = Store::new(MemoryBackend::new());
    let server = FakeCouch::new("w1");
    seed(&local, "doc:", 10);
    block_on(async {
        local.put("secret:1", &json!({"x": 1}), None).await.unwrap();
    });
    seed(&local, "late:", 10);
    *server.refuse.borrow_mut() = Box::new(|id| {
        id.starts_with("secret:").then(|| {
            (
                "forbidden".to_owned(),
                "workers may not write this".to_owned(),
            )
        })
    });
    let mut cfg = config("a", Direction::Push, "s1");
    cfg.batch_size = 5;
    let r = sync_one(&local, &server, cfg.clone()).unwrap();
    // Everything else went; the refused one is listed with the server's reason.
    assert_eq!(dump(&server.store).len(), 20);
    assert_eq!(r.refused.len(), 1);
    assert_eq!(r.refused[0].id, "secret:1");
    assert_eq!(r.refused[0].reason, "workers may not write this");
    assert_eq!(block_on(refused(&local, &r.rep_id)).unwrap(), r.refused);
    // The checkpoint stays below it (seq 11): the next run reads it again.
    assert_eq!(r.checkpoint, Some(json!(10)));
    // Only it is pending: the ten after it are on the server.
    assert_eq!(block_on(pending(&local, &r.rep_id)).unwrap(), 1);
    // A document pulled above the hold is not pending either; one edited again is.
    let mut pull = config("a", Direction::Pull, "p1");
    pull.batch_size = 5;
    block_on(
        server
            .store
            .put("office:1", &json!({"from": "office"}), None),
    )
    .unwrap();
    sync_one(&local, &server, pull).unwrap();
    assert!(dump(&local).contains_key("office:1"));
    cfg.session_id = "s1b".into();
    sync_one(&local, &server, cfg.clone()).unwrap();
    assert_eq!(
        block_on(pending(&local, &r.rep_id)).unwrap(),
        1,
        "pulled: not pending"
    );
    block_on(async {
        let doc = local.get("late:00000").await.unwrap().unwrap();
        local
            .put("late:00000", &json!({"edited": true}), Some(&doc.rev))
            .await
            .unwrap();
    });
    assert_eq!(
        block_on(pending(&local, &r.rep_id)).unwrap(),
        2,
        "edited after the run"
    );
    cfg.session_id = "s2".into();
    let again = sync_one(&local, &server, cfg.clone()).unwrap();
    assert_eq!(again.started_from, Some(json!(10)));
    assert_eq!(again.refused.len(), 1, "still refused, still pending");
    assert_eq!(block_on(pending(&local, &r.rep_id)).unwrap(), 1);
    // Once the cause is fixed (e.g. logged in again), it goes, and the list empties.
    *server.refuse.borrow_mut() = Box::new(|_| None);
    cfg.session_id = "s3".into();
    let fixed = sync_one(&local, &server, cfg).unwrap();
    assert!(fixed.refused.is_empty());
    assert_eq!(
        fixed.checkpoint,
        Some(json!(23)),
        "past the pulled and the edited one"
    );
    assert!(block_on(refused(&local, &fixed.rep_id)).unwrap().is_empty());
    assert_eq!(block_on(pending(&local, &fixed.rep_id)).unwrap(), 0);
    assert_eq!(dump(&local), dump(&server.store));
}

#[test]
fn conflicts_reach_both_sides_with_one_winner() {
    let (a, b) = (
        Store::new(MemoryBackend::new()),
        Store::new(MemoryBackend::new()),
    );
    let server = FakeCouch::new("w1");
    let rev = block_on(a.put("job", &json!({"v": 0}), None)).unwrap();
    sync_one(&a, &server, config("a", Direction::Push, "1")).unwrap();
    sync_one(&b, &server, config("b", Direction::Pull, "1")).unwrap();
    block_on(a.put("job", &json!({"v": "a"}), Some(&rev))).unwrap();
    block_on(b.put("job", &json!({"v": "b"}), Some(&rev))).unwrap();
    for (s, id) in [(&a, "a"), (&b, "b"), (&a, "a")] {
        sync_one(s, &server, config(id, Direction::Push, "2")).unwrap();
        sync_one(s, &server, config(id, Direction::Pull, "2")).unwrap();
    }
    let (wa, wb) = (
        block_on(a.get("job")).unwrap().unwrap(),
        block_on(b.get("job")).unwrap().unwrap(),
    );
    assert_eq!(wa, wb);
    assert_eq!(wa.conflicts.len(), 1, "the conflict is kept and visible");
    assert_eq!(dump(&a), dump(&b));
    assert_eq!(dump(&a), dump(&server.store));
}

#[test]
fn a_deletion_is_not_undone_by_a_replica_that_had_the_document() {
    let (a, b) = (
        Store::new(MemoryBackend::new()),
        Store::new(MemoryBackend::new()),
    );
    let server = FakeCouch::new("w1");
    let rev = block_on(a.put("job", &json!({"v": 0}), None)).unwrap();
    sync_one(&a, &server, config("a", Direction::Push, "1")).unwrap();
    sync_one(&b, &server, config("b", Direction::Pull, "1")).unwrap();
    block_on(a.delete("job", &rev)).unwrap();
    sync_one(&a, &server, config("a", Direction::Push, "2")).unwrap();
    // b pushes what it has (the old live revision) before pulling: no resurrection.
    sync_one(&b, &server, config("b", Direction::Push, "2")).unwrap();
    sync_one(&b, &server, config("b", Direction::Pull, "2")).unwrap();
    assert_eq!(block_on(b.get("job")).unwrap(), None);
    assert_eq!(block_on(server.store.get("job")).unwrap(), None);
    assert_eq!(dump(&b), dump(&server.store));
}

#[test]
fn one_pulled_batch_is_one_local_write() {
    // A malformed document in the middle of a batch: nothing of the batch is stored.
    let local = Store::new(MemoryBackend::new());
    let server = FakeCouch::new("w1");
    seed(&server.store, "doc:", 3);
    server.set_faults(|_, req| {
        (req.method == Method::Post && req.path.ends_with("_bulk_get")).then(|| {
            Fault::Body(
                json!({"results": [
                    {"id": "doc:00000", "docs": [{"ok": {"_id": "doc:00000", "_rev": "1-aa", "_revisions": {"start": 1, "ids": ["aa"]}}}]},
                    {"id": "doc:00001", "docs": [{"ok": {"_id": "doc:00001", "_rev": "1-bb", "_revisions": {"start": 3, "ids": ["bb"]}}}]}
                ]})
                .to_string()
                .into_bytes(),
            )
        })
    });
    // Asked revisions differ from these, so the reply is refused before any write.
    let e = sync_one(&local, &server, config("a", Direction::Pull, "1")).unwrap_err();
    assert!(
        e.to_string().starts_with("malformed reply to _bulk_get"),
        "{e}"
    );
    assert!(dump(&local).is_empty());
}

#[test]
fn the_machine_is_driven_step_by_step() {
    use doorstep_sync::{Action, HttpResponse, Input, Replication, StoreOp, StoreReply};
    let mut m = Replication::new(config("a", Direction::Pull, "s1"));
    let Action::Http(req) = m.step(Input::Start) else {
        panic!("first, the database")
    };
    assert_eq!((req.method, req.path.as_str()), (Method::Get, "/w1"));
    let Action::Http(req) = m.step(Input::Http(Ok(HttpResponse::new(200, "{}")))) else {
        panic!()
    };
    assert_eq!(req.path, format!("/w1/_local/{}", m.rep_id()));
    let Action::Store(StoreOp::GetLocal(id)) =
        m.step(Input::Http(Ok(HttpResponse::new(404, "{}"))))
    else {
        panic!()
    };
    assert_eq!(id, m.rep_id());
    let Action::Http(req) = m.step(Input::Store(Ok(StoreReply::Local(None)))) else {
        panic!()
    };
    assert_eq!(
        req.path_and_query(),
        "/w1/_changes?style=all_docs&since=0&limit=200"
    );
    // A transient failure: the machine asks for a pause, then the same request again.
    let Action::Sleep { ms: 250 } = m.step(Input::Http(Ok(HttpResponse::new(503, "{}")))) else {
        panic!()
    };
    let Action::Http(again) = m.step(Input::Woke) else {
        panic!()
    };
    assert_eq!(again, req);
    let Action::Done(report) = m.step(Input::Http(Ok(HttpResponse::new(
        200,
        r#"{"results": [], "last_seq": 0}"#,
    )))) else {
        panic!()
    };
    assert_eq!(
        (report.started_from, report.retries, report.requests),
        (None, 1, 4)
    );
    // A wrong input is a driver error, and the run is over.
    let mut m = Replication::new(config("a", Direction::Pull, "s1"));
    m.step(Input::Start);
    assert!(matches!(
        m.step(Input::Woke),
        Action::Failed(doorstep_sync::SyncError::Driver(_))
    ));
    assert!(matches!(m.step(Input::Start), Action::Failed(_)));
}
