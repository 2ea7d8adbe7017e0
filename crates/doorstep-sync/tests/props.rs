//! Property: after any edits on two replicas and any syncs through a faulty network, a last
//! fault-free round leaves both replicas and the server with identical documents, revision
//! trees and winners.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed unwrap is a failed test
mod common;

use common::*;
use doorstep_store::{MemoryBackend, Store};
use doorstep_sync::{Direction, Retry};
use proptest::prelude::*;
use serde_json::json;

#[derive(Clone, Debug)]
enum Op {
    /// Replica, document, value: create, or update the current winner.
    Put(usize, u8, u8),
    Delete(usize, u8),
    /// Replica, the chance of a fault per request (in 1/8), a seed for which faults.
    Sync(usize, u8, u64),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (0..2usize, 0..6u8, any::<u8>()).prop_map(|(r, d, v)| Op::Put(r, d, v)),
        1 => (0..2usize, 0..6u8).prop_map(|(r, d)| Op::Delete(r, d)),
        2 => (0..2usize, 0..4u8, any::<u64>()).prop_map(|(r, p, s)| Op::Sync(r, p, s)),
    ]
}

fn put(s: &Store<MemoryBackend>, doc: u8, v: u8) {
    let id = format!("d{doc}");
    block_on(async {
        let base = s.get(&id).await.unwrap().map(|d| d.rev);
        s.put(&id, &json!({"v": v}), base.as_ref()).await.unwrap();
    });
}

fn delete(s: &Store<MemoryBackend>, doc: u8) {
    let id = format!("d{doc}");
    block_on(async {
        if let Some(d) = s.get(&id).await.unwrap() {
            s.delete(&id, &d.rev).await.unwrap();
        }
    });
}

fn sync(s: &Store<MemoryBackend>, server: &FakeCouch, name: &str, session: &mut u32) {
    for dir in [Direction::Push, Direction::Pull] {
        *session += 1;
        let mut cfg = config(name, dir, &format!("{name}-{session}"));
        cfg.batch_size = 3;
        cfg.retry = Retry {
            first_ms: 1,
            max_ms: 1,
            attempts: 3,
        };
        // A failed run is fine here: the property is about what the next runs repair.
        let _ = sync_one(s, server, cfg);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]
    #[test]
    fn replicas_converge(ops in prop::collection::vec(op(), 1..30)) {
        let replicas = [Store::new(MemoryBackend::new()), Store::new(MemoryBackend::new())];
        let names = ["a", "b"];
        let server = FakeCouch::new("w1");
        let mut session = 0;
        for op in &ops {
            match *op {
                Op::Put(r, d, v) => put(&replicas[r], d, v),
                Op::Delete(r, d) => delete(&replicas[r], d),
                Op::Sync(r, p, seed) => {
                    let mut x = seed | 1;
                    server.set_faults(move |_, req| {
                        x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                        if (x >> 61) as u8 >= p {
                            return None;
                        }
                        Some(match (x >> 40) % 6 {
                            0 => Fault::Refuse,
                            1 => Fault::LoseReply,
                            2 => Fault::Status(500),
                            3 => Fault::Status(401),
                            4 => Fault::Body(b"{\"results\":[".to_vec()),
                            _ if req.path.ends_with("_bulk_docs") => Fault::OnlyErrors,
                            _ => Fault::Status(503),
                        })
                    });
                    sync(&replicas[r], &server, names[r], &mut session);
                }
            }
        }
        server.clear_faults();
        for r in [0, 1, 0] {
            sync(&replicas[r], &server, names[r], &mut session);
        }
        let (a, b, s) = (dump(&replicas[0]), dump(&replicas[1]), dump(&server.store));
        prop_assert_eq!(&a, &b);
        prop_assert_eq!(&a, &s);
        prop_assert_eq!(winners(&replicas[0]), winners(&replicas[1]));
    }
}
