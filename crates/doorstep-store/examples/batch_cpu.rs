//! Times the CPU side of a 10,000-document batch (rules + record encoding), natively.
use doorstep_store::doc::{apply_batch, DocRecord};
use doorstep_store::Edit;
use serde_json::json;
use std::time::Instant;

fn main() {
    let edits: Vec<Edit> = (0..10_000u32)
        .map(|i| Edit::put(format!("doc:{i:06}"), json!({"i": i, "customer": "王女士", "items": [{"code": "daily_clean", "quantity": 3}], "note": "重点清洁厨房，家里有猫"}), None))
        .collect();
    mint_only(&edits);
    for _ in 0..3 {
        let t0 = Instant::now();
        let existing = edits
            .iter()
            .map(|e| (e.id.clone(), None::<DocRecord>))
            .collect();
        let out = apply_batch(existing, &edits, 0, &Default::default());
        let t1 = Instant::now();
        let bytes: usize = out.writes.iter().map(|r| r.encode().len()).sum();
        let t2 = Instant::now();
        println!("apply {:?} encode {:?} ({bytes} bytes)", t1 - t0, t2 - t1);
    }
}

fn mint_only(edits: &[Edit]) {
    let t0 = Instant::now();
    for e in edits {
        std::hint::black_box(doorstep_store::Rev::mint(None, false, &e.body));
    }
    println!("mint {:?}", t0.elapsed());
    let t0 = Instant::now();
    for e in edits {
        std::hint::black_box(doorstep_store::canonical_json(&e.body));
    }
    println!("canonical {:?}", t0.elapsed());
    let t0 = Instant::now();
    for e in edits {
        std::hint::black_box(e.body.clone());
    }
    println!("clone {:?}", t0.elapsed());
}
