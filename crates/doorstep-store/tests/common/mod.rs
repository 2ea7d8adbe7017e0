//! Shared helpers for the store's native tests.
#![allow(dead_code)]

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

/// Runs a future of the memory backend, which never waits, to completion.
pub fn block_on<F: Future>(f: F) -> F::Output {
    let mut f = pin!(f);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(v) = f.as_mut().poll(&mut cx) {
            return v;
        }
    }
}

use doorstep_store::{Backend, Edit, Index, Store, StoreError};
use serde_json::{json, Value};

/// The test index: a document's `day` field, if it has one.
pub const BY_DAY: Index = Index {
    version: 1,
    key: |_, body: &Value| body.get("day")?.as_str().map(str::to_owned),
};

/// The ids (or `damaged <id>`) a day range of `BY_DAY` finds.
pub async fn days<B: Backend>(s: &Store<B>, lo: &str, hi: &str) -> Vec<String> {
    s.by_key(lo, hi)
        .await
        .unwrap()
        .into_iter()
        .map(|r| match r {
            Ok(d) => d.id,
            Err(StoreError::Corrupt { id, .. }) => format!("damaged {id}"),
            Err(e) => format!("error {e}"),
        })
        .collect()
}

/// One scenario for every backend: the index follows writes, moves, deletes, conflicts
/// and purges, and answers ranges in key order.
pub async fn index_follows_every_write<B: Backend>(s: Store<B>) {
    let put = |id: &str, day: &str| Edit::put(id, json!({ "day": day }), None);
    let r = s
        .bulk_docs(&[
            put("a", "2026-12-02"),
            put("b", "2026-12-01"),
            put("c", "2026-12-03"),
            Edit::put("d", json!({"no": "day"}), None),
        ])
        .await
        .unwrap();
    assert_eq!(days(&s, "2026-12-01", "2026-12-03").await, ["b", "a"]);
    assert_eq!(
        days(&s, "2026-12-03", "2026-12-02").await,
        Vec::<String>::new()
    );
    // Moved to another day: found there only.
    let a1 = r[0].clone().unwrap();
    let a2 = s
        .put("a", &json!({"day": "2026-12-05"}), Some(&a1))
        .await
        .unwrap();
    assert_eq!(days(&s, "2026-12-01", "2026-12-03").await, ["b"]);
    assert_eq!(days(&s, "2026-12-05", "2026-12-06").await, ["a"]);
    // Deleted: in no range.
    s.delete("a", &a2).await.unwrap();
    assert_eq!(days(&s, "2026-12-01", "2026-12-09").await, ["b", "c"]);
    // A replicated conflicting leaf that wins moves the key with the winner; purging it
    // moves the key back to the other leaf's.
    let high = format!("1-{}", "f".repeat(32));
    let conflict = json!({"_id": "c", "_rev": high, "day": "2026-12-08"});
    s.bulk_docs(&[Edit::from_couch(conflict, false).unwrap()])
        .await
        .unwrap();
    assert_eq!(days(&s, "2026-12-08", "2026-12-09").await, ["c"]);
    s.purge("c", &[high.parse().unwrap()]).await.unwrap();
    assert_eq!(days(&s, "2026-12-01", "2026-12-09").await, ["b", "c"]);
}

/// `scan_many` answers each prefix as `scan` would, in the order asked.
pub async fn scan_many_reads_each_prefix<B: Backend>(s: Store<B>) {
    for id in ["s:a:1", "s:a:2", "s:ab:1", "s:b:1", "t:a:1"] {
        s.put(id, &json!({}), None).await.unwrap();
    }
    let got: Vec<Vec<String>> = s
        .scan_many(&["s:b:", "s:a:", "s:c:", ""])
        .await
        .unwrap()
        .into_iter()
        .map(|docs| docs.into_iter().map(|d| d.unwrap().id).collect())
        .collect();
    assert_eq!(
        got,
        [
            vec!["s:b:1"],
            vec!["s:a:1", "s:a:2"],
            vec![],
            vec!["s:a:1", "s:a:2", "s:ab:1", "s:b:1", "t:a:1"]
        ]
    );
    assert!(s.scan_many(&[]).await.unwrap().is_empty());
}

/// Bodies read alone are the live winners: updated bodies as they are now, deletions left
/// out, conflicts by the winner rule; by prefix and by index key alike.
pub async fn bodies_are_the_live_winners<B: Backend>(s: Store<B>) {
    use doorstep_store::Edit;
    let a = s
        .put("s:a", &json!({"day": "2026-12-02", "n": 1}), None)
        .await
        .unwrap();
    s.put("s:a", &json!({"day": "2026-12-02", "n": 2}), Some(&a))
        .await
        .unwrap();
    let b = s
        .put("s:b", &json!({"day": "2026-12-02"}), None)
        .await
        .unwrap();
    s.delete("s:b", &b).await.unwrap();
    // A conflict: two leaves of one document; the winner rule picks one body.
    let base = "1-".to_owned() + &"a".repeat(32);
    let other = "1-".to_owned() + &"b".repeat(32);
    s.bulk_docs(&[
        Edit::from_couch(
            json!({"_id": "s:c", "_rev": base, "day": "2026-12-02", "v": "a"}),
            false,
        )
        .unwrap(),
        Edit::from_couch(
            json!({"_id": "s:c", "_rev": other, "day": "2026-12-02", "v": "b"}),
            false,
        )
        .unwrap(),
    ])
    .await
    .unwrap();
    let expected: Vec<(String, serde_json::Value)> = s
        .scan("s:")
        .await
        .unwrap()
        .into_iter()
        .map(|d| d.map(|d| (d.id, d.body)).unwrap())
        .collect();
    assert_eq!(expected.len(), 2, "s:b is deleted");
    let parsed = |bodies: Vec<Result<doorstep_store::Body, doorstep_store::StoreError>>| -> Vec<(String, serde_json::Value)> {
        bodies
            .into_iter()
            .map(|b| b.map(|b| (b.id, serde_json::from_str(&b.json).unwrap())).unwrap())
            .collect()
    };
    let by_prefix = s.scan_many_bodies(&["s:"]).await.unwrap().pop().unwrap();
    assert_eq!(parsed(by_prefix), expected);
    let by_key = s.by_key_bodies("2026-12-02", "2026-12-03").await.unwrap();
    assert_eq!(parsed(by_key), expected);
}

// ---- Attachments: one data-driven check for every backend ----

use doorstep_store::attach::digest;
use doorstep_store::{Attachment, DocError, Rev};

/// Photos by label (small stand-ins for JPEG bytes).
pub const PHOTOS: [(&str, &[u8]); 3] = [
    ("P1", b"\xff\xd8 photo one \xff\xd9"),
    ("P2", b"\xff\xd8 photo two \xff\xd9"),
    ("P3", b"\xff\xd8 photo three \xff\xd9"),
];

fn photo(label: &str) -> Vec<u8> {
    PHOTOS
        .iter()
        .find(|(l, _)| *l == label)
        .map(|(_, b)| b.to_vec())
        .unwrap_or_default()
}

fn label(d: &str) -> String {
    PHOTOS
        .iter()
        .find(|(_, b)| digest(b) == d)
        .map_or_else(|| d.to_owned(), |(l, _)| (*l).to_owned())
}

/// One step of an attachment scenario.
pub enum AttOp {
    /// A local write of `id` (on its current winner, if any) with these photos, named
    /// `photo-<n>.jpg` in order: a label of [`PHOTOS`], or `big:<bytes>` (zeros).
    Put(&'static str, &'static [&'static str]),
    /// A local write naming a photo by stub only (no bytes).
    Stub(&'static str, &'static str),
    /// A replicated revision `pos-<id>` (child of `pos-1-<id>`'s line) with photos inline.
    Replicated(&'static str, u64, &'static [&'static str]),
    Delete(&'static str),
    /// Purges every leaf of the document.
    Purge(&'static str),
}

fn att_of(n: usize, l: &str) -> Attachment {
    let bytes = match l.strip_prefix("big:") {
        Some(len) => vec![0u8; len.parse().unwrap_or(0)],
        None => photo(l),
    };
    Attachment {
        name: format!("photo-{}.jpg", n + 1),
        content_type: "image/jpeg".into(),
        bytes,
    }
}

fn outcome(r: Result<Rev, StoreError>) -> String {
    match r {
        Ok(r) => format!("ok {}", r.pos),
        Err(StoreError::Doc(DocError::MissingStub { name, .. })) => format!("missing_stub {name}"),
        Err(StoreError::Doc(DocError::AttachmentTooLarge { name, length, .. })) => {
            format!("too_large {name} {length}")
        }
        Err(e) => format!("error {e}"),
    }
}

/// Runs `ops` and returns a trace: one line per op, then each live document's stubs
/// (`name=label@revpos`) and its bytes read back, then which photos' bytes the store holds.
pub async fn att_trace<B: Backend>(s: &Store<B>, ops: &[AttOp]) -> String {
    let mut out = Vec::new();
    let mut ids: Vec<&str> = Vec::new();
    for op in ops {
        let line = match op {
            AttOp::Put(id, labels) => {
                ids.push(id);
                let base = s.get(id).await.unwrap().map(|d| d.rev);
                let atts: Vec<Attachment> = labels
                    .iter()
                    .enumerate()
                    .map(|(n, l)| att_of(n, l))
                    .collect();
                let r = s
                    .put_with_attachments(id, &json!({ "job": "J1" }), base.as_ref(), &atts)
                    .await;
                format!("put {id} {labels:?}: {}", outcome(r))
            }
            AttOp::Stub(id, l) => {
                ids.push(id);
                let base = s.get(id).await.unwrap().map(|d| d.rev);
                let b = photo(l);
                let doc = json!({"_id": id, "_rev": base.map(|r| r.to_string()), "job": "J1",
                    "_attachments": {"photo-1.jpg": {"stub": true, "content_type": "image/jpeg",
                    "digest": digest(&b), "length": b.len(), "revpos": 1}}});
                let r = s.bulk_docs(&[Edit::from_couch(doc, true).unwrap()]).await;
                let r = r.map(|mut v| v.pop().unwrap().map_err(StoreError::Doc));
                format!("stub {id} {l}: {}", outcome(r.and_then(|r| r)))
            }
            AttOp::Replicated(id, pos, labels) => {
                ids.push(id);
                let rev_id = |p: u64| format!("{:032x}", p);
                let mut atts = serde_json::Map::new();
                for (n, l) in labels.iter().enumerate() {
                    let a = att_of(n, l);
                    atts.insert(
                        a.name,
                        json!({"content_type": "image/jpeg",
                               "data": doorstep_store::attach::encode_base64(&a.bytes)}),
                    );
                }
                let ids_list: Vec<String> = (1..=*pos).rev().map(rev_id).collect();
                let doc = json!({"_id": id, "_rev": format!("{pos}-{}", rev_id(*pos)),
                    "_revisions": {"start": pos, "ids": ids_list}, "job": "J1",
                    "_attachments": atts});
                let r = s.bulk_docs(&[Edit::from_couch(doc, false).unwrap()]).await;
                let r = r.map(|mut v| v.pop().unwrap().map_err(StoreError::Doc));
                format!(
                    "replicated {id} {pos} {labels:?}: {}",
                    outcome(r.and_then(|r| r))
                )
            }
            AttOp::Delete(id) => {
                let rev = s.get(id).await.unwrap().unwrap().rev;
                format!("delete {id}: {}", outcome(s.delete(id, &rev).await))
            }
            AttOp::Purge(id) => {
                let rec = s.get_record(id).await.unwrap().unwrap();
                let leaves = rec.change().changes;
                let n = s.purge(id, &leaves).await.unwrap().len();
                format!("purge {id}: {n} leaves")
            }
        };
        out.push(line);
    }
    ids.sort_unstable();
    ids.dedup();
    for id in ids {
        let Some(doc) = s.get(id).await.unwrap() else {
            out.push(format!("{id}: gone"));
            continue;
        };
        let mut parts = Vec::new();
        if let Some(atts) = doc.body.get("_attachments").and_then(Value::as_object) {
            for (name, stub) in atts {
                let d = stub["digest"].as_str().unwrap_or_default();
                let bytes = s.get_attachment(id, name, None).await;
                let read = match bytes {
                    Ok(Some(b)) if digest(&b) == d => "read".to_owned(),
                    Ok(other) => format!("{other:?}"),
                    Err(e) => format!("{e}"),
                };
                parts.push(format!(
                    "{name}={}@{} len {} stub {} {read}",
                    label(d),
                    stub["revpos"],
                    stub["length"],
                    stub["stub"]
                ));
            }
        }
        out.push(format!("{id}: {}", parts.join(", ")));
    }
    let all: Vec<String> = PHOTOS.iter().map(|(_, b)| digest(b)).collect();
    let held = s.has_attachments(&all).await.unwrap();
    let held: Vec<&str> = PHOTOS
        .iter()
        .zip(held)
        .filter(|(_, h)| *h)
        .map(|((l, _), _)| *l)
        .collect();
    out.push(format!("held: {held:?}"));
    out.join("\n")
}

/// The attachment cases, as (ops, expected trace); run by every backend's tests.
pub fn att_cases() -> Vec<(&'static str, Vec<AttOp>, &'static str)> {
    use AttOp::*;
    vec![
        (
            "a step and its photos are one revision; bytes read back",
            vec![Put("s1", &["P1", "P2"])],
            "put s1 [\"P1\", \"P2\"]: ok 1\n\
             s1: photo-1.jpg=P1@1 len 15 stub true read, photo-2.jpg=P2@1 len 15 stub true read\n\
             held: [\"P1\", \"P2\"]",
        ),
        (
            "one digest is kept once for two documents, until the last names it no more",
            vec![Put("s1", &["P1"]), Put("s2", &["P1"]), Delete("s1")],
            "put s1 [\"P1\"]: ok 1\nput s2 [\"P1\"]: ok 1\ndelete s1: ok 2\n\
             s1: gone\ns2: photo-1.jpg=P1@1 len 15 stub true read\nheld: [\"P1\"]",
        ),
        (
            "bytes go when the last revision naming them goes (new revision, delete, purge)",
            vec![
                Put("s1", &["P1"]),
                Put("s1", &["P2"]),
                Put("s2", &["P3"]),
                Delete("s2"),
                Put("s3", &["P1"]),
                Purge("s3"),
            ],
            "put s1 [\"P1\"]: ok 1\nput s1 [\"P2\"]: ok 2\nput s2 [\"P3\"]: ok 1\n\
             delete s2: ok 2\nput s3 [\"P1\"]: ok 1\npurge s3: 1 leaves\n\
             s1: photo-1.jpg=P2@2 len 15 stub true read\ns2: gone\ns3: gone\nheld: [\"P2\"]",
        ),
        (
            "an unchanged photo keeps its revpos and bytes across a new revision",
            vec![Put("s1", &["P1"]), Put("s1", &["P1", "P2"])],
            "put s1 [\"P1\"]: ok 1\nput s1 [\"P1\", \"P2\"]: ok 2\n\
             s1: photo-1.jpg=P1@1 len 15 stub true read, photo-2.jpg=P2@2 len 15 stub true read\n\
             held: [\"P1\", \"P2\"]",
        ),
        (
            "one attachment over 5 MiB is refused, nothing written; 5 MiB exactly is taken",
            vec![
                Put("s1", &["P1", "big:5242881"]),
                Put("s2", &["big:5242880"]),
            ],
            "put s1 [\"P1\", \"big:5242881\"]: too_large photo-2.jpg 5242881\n\
             put s2 [\"big:5242880\"]: ok 1\n\
             s1: gone\ns2: photo-1.jpg=md5-XzY+DlipXwbL6bvGYsXftg==@1 len 5242880 stub true read\n\
             held: []",
        ),
        (
            "a stub naming bytes the store lacks is missing_stub; held bytes are enough",
            vec![Stub("s1", "P1"), Put("s2", &["P1"]), Stub("s3", "P1")],
            "stub s1 P1: missing_stub photo-1.jpg\nput s2 [\"P1\"]: ok 1\nstub s3 P1: ok 1\n\
             s1: gone\ns2: photo-1.jpg=P1@1 len 15 stub true read\n\
             s3: photo-1.jpg=P1@1 len 15 stub true read\nheld: [\"P1\"]",
        ),
        (
            "a replicated revision's inline data becomes stubs at its generation",
            vec![Replicated("s1", 3, &["P1"]), Replicated("s1", 3, &["P1"])],
            "replicated s1 3 [\"P1\"]: ok 3\nreplicated s1 3 [\"P1\"]: ok 3\n\
             s1: photo-1.jpg=P1@3 len 15 stub true read\nheld: [\"P1\"]",
        ),
    ]
}

/// How many byte entries a store holds after a case: the distinct photos its live
/// documents name (from the expected trace).
pub fn bytes_held(expected: &str) -> u32 {
    let mut labels: Vec<&str> = expected
        .lines()
        .filter(|l| l.contains(".jpg="))
        .flat_map(|l| l.split(".jpg=").skip(1))
        .filter_map(|p| p.split('@').next())
        .collect();
    labels.sort_unstable();
    labels.dedup();
    labels.len() as u32
}

/// The replicator's batched reads (`revs_diff`, `open_revs_with_data_many`: every record of
/// a batch read at once) answer each document as the one-document reads do, in the order
/// asked: unknown ids, repeated ids, deletions, conflicts and inner revisions included.
pub async fn batched_reads_answer_each_document<B: Backend>(s: Store<B>) {
    use doorstep_store::Rev;
    let rev = |s: &str| s.parse::<Rev>().unwrap();
    let (a, b) = ("a".repeat(32), "b".repeat(32));
    let couch = |v: Value| Edit::from_couch(v, false).unwrap();
    s.bulk_docs(&[
        couch(json!({"_id": "c", "_rev": format!("1-{a}"), "n": 1})),
        couch(json!({"_id": "c", "_rev": format!("1-{b}"), "n": 2})),
        couch(json!({"_id": "d", "_rev": format!("2-{b}"), "_revisions": {"start": 2, "ids": [b, a]}, "n": 3})),
        couch(json!({"_id": "x", "_rev": format!("1-{a}"), "_deleted": true})),
    ])
    .await
    .unwrap();
    let ask = |pairs: &[(&str, &[&str])]| -> Vec<(String, Vec<Rev>)> {
        pairs
            .iter()
            .map(|(id, revs)| (id.to_string(), revs.iter().map(|r| rev(r)).collect()))
            .collect()
    };
    let (c1a, c1b, d1, d2, d3) = (
        &format!("1-{a}"),
        &format!("1-{b}"),
        &format!("1-{a}"),
        &format!("2-{b}"),
        &format!("3-{a}"),
    );
    let wanted = ask(&[
        ("d", &[d1, d2, d3]),
        ("nothing", &[c1a]),
        ("c", &[c1b, c1a]),
        ("x", &[c1a]),
        ("d", &[d3]),
    ]);
    assert_eq!(
        s.revs_diff(&wanted).await.unwrap(),
        ask(&[("d", &[d3]), ("nothing", &[c1a]), ("d", &[d3])])
    );
    let with_ancestors: Vec<(String, Vec<Rev>, Vec<Rev>)> = wanted
        .into_iter()
        .map(|(id, revs)| (id, revs, Vec::new()))
        .collect();
    let many = s.open_revs_with_data_many(&with_ancestors).await.unwrap();
    // Each document's answer: the leaves found (id, rev) and the revisions that are not.
    let summary = |rows: &[Result<Value, Rev>]| -> Vec<String> {
        rows.iter()
            .map(|r| match r {
                Ok(doc) => format!(
                    "{} {}",
                    doc["_id"].as_str().unwrap(),
                    doc["_rev"].as_str().unwrap()
                ),
                Err(rev) => format!("not {rev}"),
            })
            .collect()
    };
    let got: Vec<Vec<String>> = many.iter().map(|rows| summary(rows)).collect();
    assert_eq!(
        got,
        vec![
            vec![format!("not {d1}"), format!("d {d2}"), format!("not {d3}")],
            vec![format!("not {c1a}")],
            vec![format!("c {c1b}"), format!("c {c1a}")],
            vec![format!("x {c1a}")],
            vec![format!("not {d3}")],
        ]
    );
    for ((id, revs, anc), rows) in with_ancestors.iter().zip(&many) {
        assert_eq!(
            &s.open_revs_with_data(id, revs, anc).await.unwrap(),
            rows,
            "{id}"
        );
    }
    assert!(s.open_revs_with_data_many(&[]).await.unwrap().is_empty());
    assert!(s.revs_diff(&[]).await.unwrap().is_empty());
}
