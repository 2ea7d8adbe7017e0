//! Interop with a stock PouchDB 9 client (node, `tests/pouchdb/client.mjs`) through the same
//! pouchdb-server database: PouchDB reads what our replicator wrote (bodies, revision
//! ancestry, attachments, conflicts), we read what it wrote, and both sides pick the same
//! winner for a document edited on both.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed unwrap is a failed test
mod common;
mod server;

use doorstep_store::attach::encode_base64;
use doorstep_store::{Attachment, Backend, Edit, MemoryBackend, Rev, Store};
use doorstep_sync::native::{block_on, ThreadTimer};
use doorstep_sync::{Config, Direction};
use serde_json::{json, Map, Value};
use server::Server;
use std::path::PathBuf;
use std::process::Command;

/// Runs the PouchDB client on `db` with its LevelDB files under `dir`; its JSON dump.
fn pouch(server: &Server, db: &str, dir: &std::path::Path, phase: &str) -> Value {
    pouch_args(server, db, dir, &[phase])
}

fn pouch_args(server: &Server, db: &str, dir: &std::path::Path, args: &[&str]) -> Value {
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/pouchdb/client.mjs");
    let out = Command::new("node")
        .arg(script)
        .arg(format!("{}/{db}", server.url()))
        .arg(dir)
        .args(args)
        .output()
        .expect("run node");
    assert!(
        out.status.success(),
        "PouchDB client failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("the client's dump")
}

/// The store in the client's dump form: per live document its winner, conflicts, body
/// without underscore fields, attachments (digest, type, base64 bytes), leaves' ancestry.
fn dump(store: &Store<MemoryBackend>) -> Value {
    block_on(async {
        let mut out = Map::new();
        for rec in store.backend().read_prefix("").await.unwrap() {
            let rec = rec.unwrap();
            let doc = rec.winner().unwrap();
            if doc.deleted {
                continue;
            }
            let mut conflicts: Vec<String> = doc.conflicts.iter().map(Rev::to_string).collect();
            conflicts.sort();
            let body: Map<String, Value> = doc
                .body
                .as_object()
                .unwrap()
                .iter()
                .filter(|(k, _)| !k.starts_with('_'))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            let mut attachments = Map::new();
            if let Some(stubs) = doc.body.get("_attachments").and_then(Value::as_object) {
                for (name, stub) in stubs {
                    let bytes = store
                        .get_attachment(&doc.id, name, None)
                        .await
                        .unwrap()
                        .unwrap();
                    attachments.insert(
                        name.clone(),
                        json!({"digest": stub["digest"], "content_type": stub["content_type"],
                               "data": encode_base64(&bytes)}),
                    );
                }
            }
            let mut ancestry = Map::new();
            for leaf in std::iter::once(&doc.rev).chain(&doc.conflicts) {
                let r = &rec.leaf_with_revisions(leaf).unwrap()["_revisions"];
                let start = r["start"].as_u64().unwrap();
                let ids: Vec<Value> = r["ids"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .enumerate()
                    .map(|(i, id)| json!(format!("{}-{}", start - i as u64, id.as_str().unwrap())))
                    .collect();
                ancestry.insert(leaf.to_string(), Value::Array(ids));
            }
            out.insert(
                doc.id.clone(),
                json!({"winner": doc.rev.to_string(), "conflicts": conflicts, "body": body,
                       "attachments": attachments, "ancestry": ancestry}),
            );
        }
        Value::Object(out)
    })
}

fn sync(store: &Store<MemoryBackend>, server: &Server, db: &str, session: &str) {
    let mut c = Config::new(
        db,
        "ours",
        format!("{}/{db}", server.url()),
        Direction::Push,
        session,
    );
    c.batch_size = 50;
    block_on(doorstep_sync::sync(
        store,
        &server.transport(),
        &ThreadTimer,
        c,
    ))
    .unwrap();
}

/// A field-by-field comparison that names the first document that differs.
fn same(ours: &Value, theirs: &Value, what: &str) {
    let (a, b) = (ours.as_object().unwrap(), theirs.as_object().unwrap());
    let ids = |m: &Map<String, Value>| m.keys().cloned().collect::<Vec<_>>();
    assert_eq!(ids(a), ids(b), "{what}: the same documents");
    for (id, doc) in a {
        assert_eq!(doc, &b[id], "{what}: {id}");
    }
}

#[test]
fn pouchdb_9_reads_what_we_wrote_and_we_read_what_it_wrote() {
    let server = Server::start();
    server.create_db("mixed");
    let dir = server.dir.join("pouch-client");
    std::fs::create_dir_all(&dir).unwrap();
    let ours = Store::new(MemoryBackend::new());
    // Ours: 100 documents, ten with photos, one edited twice, one deleted, one in conflict
    // (two leaves written as a replicator would).
    common::seed(&ours, "doc:", 100);
    block_on(async {
        for i in (10..100).step_by(10) {
            let id = format!("doc:{i:05}");
            let rev = ours.get(&id).await.unwrap().unwrap().rev;
            let photo: Vec<u8> = (0..3000 + i * 37).map(|b| (b * 7 + i) as u8).collect();
            let att = Attachment {
                name: "photo-1.jpg".into(),
                content_type: "image/jpeg".into(),
                bytes: photo,
            };
            ours.put_with_attachments(&id, &json!({"n": i, "photo": true}), Some(&rev), &[att])
                .await
                .unwrap();
        }
        let r = ours.get("doc:00003").await.unwrap().unwrap().rev;
        let r = ours
            .put("doc:00003", &json!({"n": 3, "v": 2}), Some(&r))
            .await
            .unwrap();
        ours.put("doc:00003", &json!({"n": 3, "v": 3}), Some(&r))
            .await
            .unwrap();
        let r = ours.get("doc:00004").await.unwrap().unwrap().rev;
        ours.delete("doc:00004", &r).await.unwrap();
        for rev in [
            "1-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "1-ffffffffffffffffffffffffffffffff",
        ] {
            let e =
                Edit::from_couch(json!({"_id": "doc:c", "_rev": rev, "side": rev}), false).unwrap();
            ours.bulk_docs(&[e]).await.unwrap()[0].clone().unwrap();
        }
    });
    sync(&ours, &server, "mixed", "1");

    // PouchDB reads it intact, then writes its own and edits doc:00001 and doc:00002.
    let first = pouch(&server, "mixed", &dir, "edit");
    same(&dump(&ours), &first["read"], "PouchDB read what we wrote");
    assert_eq!(
        first["read"]["doc:c"]["conflicts"],
        json!(["1-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"]),
        "the conflict reaches PouchDB with the same winner"
    );
    assert!(first["read"].get("doc:00004").is_none(), "the deletion too");

    // We edit doc:00002 as well (offline, on top of the same revision), then sync both ways.
    block_on(async {
        let r = ours.get("doc:00002").await.unwrap().unwrap().rev;
        let r = ours
            .put("doc:00002", &json!({"n": 2, "by": "ours"}), Some(&r))
            .await
            .unwrap();
        ours.put(
            "doc:00002",
            &json!({"n": 2, "by": "ours", "again": true}),
            Some(&r),
        )
        .await
        .unwrap();
    });
    sync(&ours, &server, "mixed", "2");
    let mine = dump(&ours);
    let theirs = first["after"].as_object().unwrap();
    for (id, doc) in theirs {
        if id.starts_with("pouch:") || id == "doc:00001" {
            assert_eq!(&mine[id], doc, "we read what PouchDB wrote: {id}");
        }
    }
    assert_eq!(
        theirs.keys().filter(|k| k.starts_with("pouch:")).count(),
        50
    );
    assert_eq!(
        mine["pouch:00005"]["attachments"]["note.txt"]["content_type"],
        json!("text/plain")
    );
    assert_eq!(mine["doc:00001"]["body"]["by"], json!("pouch"));
    // doc:00002: our branch is longer and wins; PouchDB's edit is kept as the conflict.
    assert_eq!(mine["doc:00002"]["body"]["by"], json!("ours"));
    assert_eq!(
        mine["doc:00002"]["conflicts"],
        json!([theirs["doc:00002"]["winner"]])
    );

    // PouchDB pulls again: both replicas hold the same documents, trees and winners.
    let last = pouch(&server, "mixed", &dir, "read");
    same(
        &mine,
        &last["read"],
        "PouchDB and we agree after both synced",
    );
    server::figure(
        "pouchdb9_interop",
        json!({"documents": mine.as_object().unwrap().len(),
               "with_attachments": mine.as_object().unwrap().values().filter(|d| d["attachments"] != json!({})).count(),
               "conflicted": mine.as_object().unwrap().values().filter(|d| d["conflicts"] != json!([])).count()}),
    );
}

/// Push and pull of 10,000 documents (`SYNC_BENCH_DOCS` to change) between a store and the
/// server, beside PouchDB 9 doing the same against the same server in the same run, batches
/// of 200 on both sides: seconds, docs/s and our speed as a ratio of PouchDB's.
#[test]
fn ten_thousand_documents_beside_pouchdb_9() {
    let n: usize = std::env::var("SYNC_BENCH_DOCS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let server = Server::start();
    server.create_db("ours");
    server.create_db("theirs");
    let dir = server.dir.join("pouch-bench");
    std::fs::create_dir_all(&dir).unwrap();
    let run = |store: &Store<MemoryBackend>, dir: Direction| {
        let mut c = Config::new("ours", "bench", format!("{}/ours", server.url()), dir, "1");
        c.batch_size = 200;
        let t = std::time::Instant::now();
        let r = block_on(doorstep_sync::replicate(
            store,
            &server.transport(),
            &ThreadTimer,
            c,
        ))
        .unwrap();
        (t.elapsed().as_secs_f64(), r.revs_written)
    };
    let a = Store::new(MemoryBackend::new());
    common::seed(&a, "doc:", n);
    let (push_s, pushed) = run(&a, Direction::Push);
    let b = Store::new(MemoryBackend::new());
    let (pull_s, pulled) = run(&b, Direction::Pull);
    assert_eq!((pushed, pulled), (n, n));
    let p = pouch_args(&server, "theirs", &dir, &["bench", &n.to_string()]);
    assert_eq!(
        (p["pushed"].as_u64(), p["pulled"].as_u64()),
        (Some(n as u64), Some(n as u64))
    );
    let (pp, pl) = (p["push_s"].as_f64().unwrap(), p["pull_s"].as_f64().unwrap());
    let rate = |s: f64| (n as f64 / s).round();
    let ratio = |ours: f64, theirs: f64| (theirs / ours * 100.0).round() / 100.0;
    server::figure(
        "sync_bench_vs_pouchdb9",
        json!({"docs": n, "batch": 200,
               "ours": {"push_s": push_s, "pull_s": pull_s, "push_docs_per_s": rate(push_s), "pull_docs_per_s": rate(pull_s)},
               "pouchdb9": {"push_s": pp, "pull_s": pl, "push_docs_per_s": rate(pp), "pull_docs_per_s": rate(pl)},
               "ratio_push": ratio(push_s, pp), "ratio_pull": ratio(pull_s, pl)}),
    );
}
