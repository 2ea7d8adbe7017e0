//! The store's revision rules over the memory backend, case by case. The same rules run
//! over IndexedDB in `tests/web.rs`.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed unwrap is a failed test
mod common;

use common::block_on;
use doorstep_store::{DocError, Edit, Index, MemoryBackend, Rev, Store, StoreError};
use serde_json::{json, Value};

fn store() -> Store<MemoryBackend> {
    Store::new(MemoryBackend::new())
}

fn rev(s: &str) -> Rev {
    s.parse().unwrap()
}

/// Replicated edit from CouchDB JSON (`new_edits=false`).
fn repl(doc: Value) -> Edit {
    Edit::from_couch(doc, false).unwrap()
}

/// Applies the writes, then checks the winner, its conflicts and the changes feed.
fn check(
    writes: Vec<Edit>,
    expected_winner: Option<&str>,
    expected_conflicts: &[&str],
    expected_changes: &[(u64, &str)],
) {
    let s = store();
    block_on(async {
        for w in writes {
            s.bulk_docs(&[w]).await.unwrap();
        }
        let rec = s.get_record("d").await.unwrap();
        let winner = rec.as_ref().and_then(|r| r.winner());
        assert_eq!(
            winner.as_ref().map(|w| w.rev.to_string()).as_deref(),
            expected_winner
        );
        let conflicts: Vec<String> = winner
            .map(|w| w.conflicts.iter().map(Rev::to_string).collect())
            .unwrap_or_default();
        assert_eq!(conflicts, expected_conflicts);
        let changes = s.changes(0, 100).await.unwrap();
        let got: Vec<(u64, String)> = changes
            .results
            .iter()
            .map(|c| (c.seq, c.id.clone()))
            .collect();
        let want: Vec<(u64, String)> = expected_changes
            .iter()
            .map(|(s, i)| (*s, i.to_string()))
            .collect();
        assert_eq!(got, want);
    });
}

const A: &str = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const B: &str = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
const C: &str = "cccccccccccccccccccccccccccccccc";

#[test]
fn winner_rules() {
    // Higher generation wins, compared as an integer (10 beats 2).
    check(
        vec![
            repl(
                json!({"_id": "d", "_rev": format!("2-{B}"), "_revisions": {"start": 2, "ids": [B, A]}}),
            ),
            repl(json!({"_id": "d", "_rev": format!("10-{A}")})),
        ],
        Some(&format!("10-{A}")),
        &[&format!("2-{B}")],
        &[(2, "d")],
    );
    // Same generation: the larger id wins.
    check(
        vec![
            repl(json!({"_id": "d", "_rev": format!("1-{A}"), "x": 1})),
            repl(json!({"_id": "d", "_rev": format!("1-{C}"), "x": 2})),
            repl(json!({"_id": "d", "_rev": format!("1-{B}"), "x": 3})),
        ],
        Some(&format!("1-{C}")),
        &[&format!("1-{B}"), &format!("1-{A}")],
        &[(3, "d")],
    );
    // A live leaf beats a deleted one of a higher generation.
    check(
        vec![
            repl(json!({"_id": "d", "_rev": format!("1-{A}")})),
            repl(
                json!({"_id": "d", "_rev": format!("3-{C}"), "_deleted": true, "_revisions": {"start": 3, "ids": [C, B, A]}}),
            ),
            repl(
                json!({"_id": "d", "_rev": format!("2-{A}"), "_revisions": {"start": 2, "ids": [A, A]}}),
            ),
        ],
        Some(&format!("2-{A}")),
        &[],
        &[(3, "d")],
    );
    // Writing a revision the store already has changes nothing (no new sequence).
    check(
        vec![
            repl(json!({"_id": "d", "_rev": format!("1-{A}")})),
            repl(json!({"_id": "d", "_rev": format!("1-{A}")})),
        ],
        Some(&format!("1-{A}")),
        &[],
        &[(1, "d")],
    );
}

#[test]
fn local_edits_need_the_current_leaf() {
    let s = store();
    block_on(async {
        let r1 = s.put("d", &json!({"n": 1}), None).await.unwrap();
        assert_eq!(r1.pos, 1);
        assert_eq!(r1.id.len(), 32);
        // Creating it again without a revision is a conflict.
        assert_eq!(
            s.put("d", &json!({"n": 9}), None).await,
            Err(StoreError::Doc(DocError::Conflict { id: "d".into() }))
        );
        let r2 = s.put("d", &json!({"n": 2}), Some(&r1)).await.unwrap();
        assert_eq!(r2.pos, 2);
        // Editing the old revision (not a leaf) is a conflict, never a silent overwrite.
        assert!(matches!(
            s.put("d", &json!({"n": 3}), Some(&r1)).await,
            Err(StoreError::Doc(DocError::Conflict { .. }))
        ));
        // Updating a missing document with a revision is a conflict too.
        assert!(matches!(
            s.put("e", &json!({}), Some(&r1)).await,
            Err(StoreError::Doc(DocError::Conflict { .. }))
        ));
        let (rev, body): (Rev, Value) = s.get_as("d").await.unwrap().unwrap();
        assert_eq!((rev, body), (r2.clone(), json!({"n": 2})));
        // The old body is gone from the tree: only leaves keep content.
        let rec = s.get_record("d").await.unwrap().unwrap();
        assert_eq!(
            rec.revs.nodes().iter().filter(|n| n.body.is_some()).count(),
            1
        );
        // Delete, then revive without a revision on top of the tombstone.
        let r3 = s.delete("d", &r2).await.unwrap();
        assert_eq!(s.get("d").await.unwrap(), None);
        let r4 = s.put("d", &json!({"n": 4}), None).await.unwrap();
        assert_eq!(r4.pos, r3.pos + 1);
        assert_eq!(s.changes(0, 10).await.unwrap().results.len(), 1);
        assert_eq!(s.info().await.unwrap().update_seq, 4);
    });
}

#[test]
fn same_edit_mints_the_same_revision() {
    let a = Rev::mint(None, false, &json!({"b": 1, "a": [1, "二"]}));
    let b = Rev::mint(None, false, &json!({"a": [1, "二"], "b": 1}));
    assert_eq!(a, b);
    assert_ne!(a, Rev::mint(None, true, &json!({"b": 1, "a": [1, "二"]})));
    assert_ne!(
        Rev::mint(Some(&a), false, &json!({})),
        Rev::mint(None, false, &json!({}))
    );
}

#[test]
fn bad_input_is_refused_per_document() {
    let cases: Vec<(Value, bool, &str)> = vec![
        (json!({"_id": "", "x": 1}), true, "invalid document id"),
        (json!({"_id": "_secret"}), true, "invalid document id"),
        (json!({"x": 1}), true, "invalid document id"),
        (json!({"_id": "d", "_rev": "x-1"}), true, "invalid revision"),
        (
            json!({"_id": "d", "_rev": format!("1-{}", "Z".repeat(32))}),
            false,
            "invalid revision",
        ),
        (
            json!({"_id": "d", "_rev": "1-abc", "_revisions": {"start": 2, "ids": ["abc"]}}),
            false,
            "invalid revision",
        ),
        (
            json!({"_id": "d", "_attachments": {"a.jpg": {"follows": true, "length": 3}}}),
            true,
            "multipart attachments are not supported",
        ),
        (
            json!({"_id": "d", "_attachments": {"a.jpg": {"data": "not base64!"}}}),
            true,
            "data is not base64",
        ),
        (
            json!({"_id": "d", "_attachments": {"a.jpg": {"content_type": "image/jpeg"}}}),
            true,
            "neither data nor a stub",
        ),
        (
            json!({"_id": "d", "_unknown": 1}),
            true,
            "unsupported special field",
        ),
        (json!({"_id": "d"}), false, "invalid revision"),
        (json!([1, 2]), true, "not a JSON object"),
    ];
    for (doc, new_edits, want) in cases {
        let err = Edit::from_couch(doc.clone(), new_edits)
            .unwrap_err()
            .to_string();
        assert!(err.contains(want), "{doc}: {err}");
    }
}

#[test]
fn bulk_answers_each_document_and_keeps_going() {
    let s = store();
    block_on(async {
        let r = s
            .bulk_docs(&[
                Edit::put("a", json!({}), None),
                Edit::put("a", json!({"x": 1}), None),
                Edit::put("b", json!({}), None),
            ])
            .await
            .unwrap();
        assert!(r[0].is_ok());
        assert_eq!(r[1], Err(DocError::Conflict { id: "a".into() }));
        assert!(r[2].is_ok());
        let ch = s.changes(0, 10).await.unwrap();
        assert_eq!(
            ch.results
                .iter()
                .map(|c| (c.seq, c.id.as_str()))
                .collect::<Vec<_>>(),
            vec![(1, "a"), (2, "b")]
        );
        // A later write moves the document to the end of the feed; it appears once.
        let ra = r[0].clone().unwrap();
        s.put("a", &json!({"y": 2}), Some(&ra)).await.unwrap();
        let ch = s.changes(0, 10).await.unwrap();
        assert_eq!(
            ch.results
                .iter()
                .map(|c| (c.seq, c.id.as_str()))
                .collect::<Vec<_>>(),
            vec![(2, "b"), (3, "a")]
        );
        assert_eq!(s.changes(2, 10).await.unwrap().results.len(), 1);
        assert_eq!(s.changes(1, 1).await.unwrap().last_seq, 2);
        assert_eq!(
            s.changes(3, 10).await.unwrap(),
            doorstep_store::ChangesPage {
                results: vec![],
                last_seq: 3
            }
        );
    });
}

#[test]
fn purge_removes_without_trace() {
    let s = store();
    block_on(async {
        s.bulk_docs(&[
            repl(json!({"_id": "d", "_rev": format!("2-{A}"), "_revisions": {"start": 2, "ids": [A, B]}, "addr": "浦东 1-101"})),
            repl(json!({"_id": "d", "_rev": format!("2-{C}"), "_revisions": {"start": 2, "ids": [C, B]}, "addr": "浦东 1-102"})),
        ])
        .await
        .unwrap();
        // Purging a non-leaf does nothing.
        assert_eq!(
            s.purge("d", &[rev(&format!("1-{B}"))]).await.unwrap(),
            vec![]
        );
        assert_eq!(
            s.purge("d", &[rev(&format!("2-{C}"))]).await.unwrap(),
            vec![rev(&format!("2-{C}"))]
        );
        let rec = s.get_record("d").await.unwrap().unwrap();
        assert_eq!(rec.revs.nodes().len(), 2);
        assert_eq!(rec.winner().unwrap().conflicts, vec![]);
        s.purge("d", &[rev(&format!("2-{A}"))]).await.unwrap();
        assert_eq!(s.get_record("d").await.unwrap(), None);
        assert!(s.changes(0, 10).await.unwrap().results.is_empty());
        assert_eq!(s.info().await.unwrap().doc_count, 0);
    });
}

#[test]
fn local_documents_are_not_in_the_feed() {
    let s = store();
    block_on(async {
        s.put_local("checkpoint", &json!({"seq": 5})).await.unwrap();
        assert_eq!(
            s.get_local::<Value>("checkpoint").await.unwrap(),
            Some(json!({"seq": 5}))
        );
        assert!(s.changes(0, 10).await.unwrap().results.is_empty());
        s.remove_local("checkpoint").await.unwrap();
        assert_eq!(s.get_local::<Value>("checkpoint").await.unwrap(), None);
    });
}

#[test]
fn stored_records_are_checked_on_read() {
    use doorstep_store::DocRecord;
    let cases = [
        ("{", "unreadable"),
        (r#"{"v":9,"id":"d","seq":1,"revs":[]}"#, "newer version"),
        (
            r#"{"v":1,"id":"d","seq":1,"revs":[]}"#,
            "empty revision tree",
        ),
        (
            r#"{"v":1,"id":"e","seq":1,"revs":[{"r":"1-a"}]}"#,
            "record says id e",
        ),
        (
            r#"{"v":1,"id":"d","seq":1,"revs":[{"r":"1-a"},{"r":"3-b","p":0}]}"#,
            "generation gap",
        ),
        (
            r#"{"v":1,"id":"d","seq":1,"revs":[{"r":"1-a","p":0}]}"#,
            "bad parent",
        ),
    ];
    for (json, want) in cases {
        let err = DocRecord::decode("d", json).unwrap_err().to_string();
        assert!(err.contains(want), "{json}: {err}");
    }
    let ok = DocRecord::decode(
        "d",
        r#"{"v":1,"id":"d","seq":1,"revs":[{"r":"1-a","b":{"x":1}}]}"#,
    )
    .unwrap();
    assert_eq!(ok.winner().unwrap().body, json!({"x": 1}));
}

#[test]
fn index_follows_every_write() {
    block_on(async {
        let s = Store::indexed(MemoryBackend::new(), common::BY_DAY)
            .await
            .unwrap();
        common::index_follows_every_write(s).await;
    });
}

#[test]
fn an_index_of_another_version_is_rebuilt_on_open() {
    block_on(async {
        // Written before the store had an index.
        let plain = Store::new(MemoryBackend::new());
        plain
            .put("x", &json!({"day": "2026-12-02", "month": "2026-12"}), None)
            .await
            .unwrap();
        plain
            .put("y", &json!({"day": "2026-11-30", "month": "2026-11"}), None)
            .await
            .unwrap();
        assert!(common::days(&plain, "2026", "2027").await.is_empty());
        let s = Store::indexed(plain.into_backend(), common::BY_DAY)
            .await
            .unwrap();
        assert_eq!(common::days(&s, "2026-12-02", "2026-12-03").await, ["x"]);
        // Reopened with the same version: kept; with a new key function: rebuilt.
        let s = Store::indexed(s.into_backend(), common::BY_DAY)
            .await
            .unwrap();
        assert_eq!(common::days(&s, "2026-11", "2026-12-03").await, ["y", "x"]);
        let by_month = Index {
            version: 2,
            key: |_, b: &Value| b.get("month")?.as_str().map(str::to_owned),
        };
        // Opened without the rebuild: told the keys are stale, rebuilt when asked, once.
        let (s, current) = Store::indexed_unchecked(s.into_backend(), by_month)
            .await
            .unwrap();
        assert!(!current);
        assert!(common::days(&s, "2026-12", "2026-12-01").await.is_empty());
        assert!(s.rebuild_index().await.unwrap());
        assert!(!s.rebuild_index().await.unwrap());
        assert_eq!(common::days(&s, "2026-12", "2026-12-01").await, ["x"]);
        let (s, current) = Store::indexed_unchecked(s.into_backend(), by_month)
            .await
            .unwrap();
        assert!(current);
        // In two halves (the app reads the check beside its other first reads): the same
        // answers; a store without an index has no keys to be stale.
        let s = Store::with_index_unchecked(s.into_backend(), common::BY_DAY);
        assert!(!s.index_current().await.unwrap());
        let s = Store::with_index_unchecked(s.into_backend(), by_month);
        assert!(s.index_current().await.unwrap());
        assert!(Store::new(MemoryBackend::new())
            .index_current()
            .await
            .unwrap());
        let s = Store::indexed(s.into_backend(), by_month).await.unwrap();
        assert_eq!(common::days(&s, "2026-12", "2026-12-01").await, ["x"]);
    });
}

#[test]
fn bodies_are_the_live_winners() {
    block_on(async {
        let s = Store::indexed(MemoryBackend::new(), common::BY_DAY)
            .await
            .unwrap();
        common::bodies_are_the_live_winners(s).await;
    });
}

#[test]
fn scan_many_reads_each_prefix() {
    block_on(common::scan_many_reads_each_prefix(store()));
}

#[test]
fn batched_reads_answer_each_document() {
    block_on(common::batched_reads_answer_each_document(store()));
}

#[test]
fn revs_diff_and_open_revs_for_the_replicator() {
    let s = store();
    block_on(async {
        s.bulk_docs(&[
            repl(json!({"_id": "d", "_rev": format!("2-{A}"), "_revisions": {"start": 2, "ids": [A, B]}, "v": 1})),
            repl(json!({"_id": "d", "_rev": format!("2-{C}"), "_revisions": {"start": 2, "ids": [C, B]}, "_deleted": true})),
        ])
        .await
        .unwrap();
        let asked = vec![
            (
                "d".to_owned(),
                vec![
                    rev(&format!("2-{A}")),
                    rev(&format!("3-{A}")),
                    rev(&format!("1-{B}")),
                ],
            ),
            ("e".to_owned(), vec![rev(&format!("1-{A}"))]),
            ("d2".to_owned(), vec![]),
        ];
        assert_eq!(
            s.revs_diff(&asked).await.unwrap(),
            vec![
                ("d".to_owned(), vec![rev(&format!("3-{A}"))]),
                ("e".to_owned(), vec![rev(&format!("1-{A}"))]),
            ]
        );
        // Leaves come with their ancestry; an inner revision or an unknown one does not.
        let got = s
            .open_revs(
                "d",
                &[
                    rev(&format!("2-{C}")),
                    rev(&format!("1-{B}")),
                    rev(&format!("2-{A}")),
                ],
            )
            .await
            .unwrap();
        assert_eq!(
            got,
            vec![
                Ok(
                    json!({"_id": "d", "_rev": format!("2-{C}"), "_deleted": true, "_revisions": {"start": 2, "ids": [C, B]}})
                ),
                Err(rev(&format!("1-{B}"))),
                Ok(
                    json!({"_id": "d", "_rev": format!("2-{A}"), "v": 1, "_revisions": {"start": 2, "ids": [A, B]}})
                ),
            ]
        );
        // What open_revs gives, a second store takes as it is: the same tree.
        let t = store();
        let docs: Vec<Edit> = got.into_iter().flatten().map(repl).collect();
        t.bulk_docs(&docs).await.unwrap();
        assert_eq!(
            t.get_record("d").await.unwrap().unwrap().change().changes,
            s.get_record("d").await.unwrap().unwrap().change().changes
        );
    });
}

#[test]
fn a_memory_snapshot_restores_records_locals_and_the_sequence() {
    use doorstep_store::MemorySnapshot;
    block_on(async {
        let s = store();
        let r = s.put("a", &json!({"n": 1}), None).await.unwrap();
        s.put("a", &json!({"n": 2}), Some(&r)).await.unwrap();
        s.put("b", &json!({"n": 3}), None).await.unwrap();
        s.put_local("_local/cp", &json!({"seq": 3})).await.unwrap();
        let text = serde_json::to_string(&s.backend().snapshot()).unwrap();
        let snap: MemorySnapshot = serde_json::from_str(&text).unwrap();
        let t = Store::new(MemoryBackend::restore(&snap).unwrap());
        for id in ["a", "b"] {
            assert_eq!(
                t.get_record(id).await.unwrap(),
                s.get_record(id).await.unwrap()
            );
        }
        assert_eq!(
            t.changes(0, 10).await.unwrap().results,
            s.changes(0, 10).await.unwrap().results
        );
        assert_eq!(
            t.get_local::<Value>("_local/cp").await.unwrap(),
            Some(json!({"seq": 3}))
        );
        // Writes go on from the saved sequence.
        t.put("c", &json!({}), None).await.unwrap();
        assert_eq!(t.changes(3, 10).await.unwrap().last_seq, 4);
        // A record changed by hand is refused, not taken.
        let mut bad = snap.clone();
        bad.records[0] = bad.records[0].replace("\"seq\":2", "\"seq\":9");
        assert!(matches!(
            MemoryBackend::restore(&bad),
            Err(StoreError::Corrupt { .. })
        ));
    });
}

/// Writes (replicated), then the conflicted documents under `prefix` with their losers.
fn check_conflicted(writes: Vec<Edit>, prefix: &str, expected: &[(&str, &[String])]) {
    let s = store();
    block_on(async {
        for w in writes {
            s.bulk_docs(&[w]).await.unwrap();
        }
        let got = s.conflicted(prefix).await.unwrap();
        let got: Vec<(String, Vec<String>)> = got
            .into_iter()
            .map(|(id, revs)| (id, revs.iter().map(Rev::to_string).collect()))
            .collect();
        let want: Vec<(String, Vec<String>)> = expected
            .iter()
            .map(|(id, revs)| (id.to_string(), revs.to_vec()))
            .collect();
        assert_eq!(got, want);
    });
}

#[test]
fn conflicted_lists_live_losers_only() {
    let r = |id: &str, rev: String| repl(json!({"_id": id, "_rev": rev}));
    // Two live leaves: listed, with the loser; a lone document is not.
    check_conflicted(
        vec![
            r("order:1", format!("1-{A}")),
            r("order:1", format!("1-{B}")),
            r("order:2", format!("1-{A}")),
        ],
        "order:",
        &[("order:1", &[format!("1-{A}")])],
    );
    // A deleted loser is no conflict to show; a prefix outside leaves the document out.
    check_conflicted(
        vec![
            r("order:1", format!("1-{A}")),
            repl(json!({"_id": "order:1", "_rev": format!("1-{B}"), "_deleted": true})),
            r("step:1", format!("1-{A}")),
            r("step:1", format!("1-{C}")),
        ],
        "order:",
        &[],
    );
    // Three leaves, one of them deleted: only the live loser is listed.
    check_conflicted(
        vec![
            repl(json!({"_id": "order:3", "_rev": format!("1-{A}"), "_deleted": true})),
            r("order:3", format!("2-{B}")),
            r("order:3", format!("1-{C}")),
        ],
        "",
        &[("order:3", &[format!("1-{C}")])],
    );
}
