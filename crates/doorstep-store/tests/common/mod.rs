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
