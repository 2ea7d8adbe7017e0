//! Property: replicas that receive the same revisions in any order agree on everything.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed unwrap is a failed test
mod common;

use common::block_on;
use doorstep_store::{Edit, MemoryBackend, Rev, Store};
use proptest::prelude::*;
use serde_json::json;

/// A random revision tree as replicated edits: each new revision extends a random earlier
/// one (or starts a new root), with a random deleted flag.
fn edits() -> impl Strategy<Value = Vec<(usize, bool, u8)>> {
    prop::collection::vec((any::<usize>(), any::<bool>(), any::<u8>()), 1..12)
}

fn build(spec: &[(usize, bool, u8)]) -> Vec<Edit> {
    let mut paths: Vec<Vec<Rev>> = Vec::new();
    let mut out = Vec::new();
    for (k, (parent, deleted, salt)) in spec.iter().enumerate() {
        let base = if paths.is_empty() || parent % 4 == 0 {
            Vec::new()
        } else {
            paths[parent % paths.len()].clone()
        };
        let parent_rev = base.first();
        let rev = Rev::mint(parent_rev, *deleted, &json!({"k": k, "s": salt}));
        let mut path = vec![rev.clone()];
        path.extend(base.iter().cloned());
        let mut doc = json!({"_id": "d", "_rev": rev.to_string(), "k": k, "s": salt});
        doc["_revisions"] =
            json!({"start": rev.pos, "ids": path.iter().map(|r| r.id.clone()).collect::<Vec<_>>()});
        if *deleted {
            doc["_deleted"] = json!(true);
        }
        out.push(Edit::from_couch(doc, false).unwrap());
        paths.push(path);
    }
    out
}

proptest! {
    #[test]
    fn order_does_not_matter(spec in edits(), seed in any::<u64>()) {
        let all = build(&spec);
        let mut shuffled = all.clone();
        // Fisher–Yates with a small LCG: a permutation decided by `seed`.
        let mut x = seed | 1;
        for i in (1..shuffled.len()).rev() {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            shuffled.swap(i, (x >> 33) as usize % (i + 1));
        }
        let (a, b) = (Store::new(MemoryBackend::new()), Store::new(MemoryBackend::new()));
        block_on(async {
            for e in &all { a.bulk_docs(std::slice::from_ref(e)).await.unwrap(); }
            for e in &shuffled { b.bulk_docs(std::slice::from_ref(e)).await.unwrap(); }
            // And again: replicated writes are idempotent.
            for e in &shuffled { b.bulk_docs(std::slice::from_ref(e)).await.unwrap(); }
            let (ra, rb) = (a.get_record("d").await.unwrap().unwrap(), b.get_record("d").await.unwrap().unwrap());
            prop_assert_eq!(ra.winner(), rb.winner());
            prop_assert_eq!(ra.change().changes, rb.change().changes);
            let leaves = ra.change().changes;
            // The winner is live unless every leaf is deleted.
            let w = ra.winner().unwrap();
            let any_live = ra.revs.leaves().iter().any(|&i| !ra.revs.nodes()[i].deleted);
            prop_assert_eq!(w.deleted, !any_live);
            prop_assert_eq!(&leaves[0], &w.rev);
            Ok(())
        })?;
    }
}
