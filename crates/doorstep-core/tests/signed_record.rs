//! Signed records of acceptance rounds: sealed once, chained per device, and any change
//! after sealing found when a record is opened.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed unwrap is a failed test
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use chrono::{NaiveDate, NaiveDateTime};
use doorstep_core::acceptance::{Acceptance, Action, Actor, Verdict};
use doorstep_core::config::AcceptanceStep;
use doorstep_core::model::{JobId, Money, Point, Role, Signature, Stroke, WorkerId};
use doorstep_core::record::{
    record_id, verify_signed_chain, ChainFault, ChainHead, DamageEntry, PhotoRef, RecordCharge,
    RoundRecord, SignedRecord, ToolCount, VisitSummary, GENESIS_HASH,
};
use doorstep_core::Rules;

fn at(minute: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 1, 10)
        .and_then(|d| d.and_hms_opt(14, minute, 0))
        .unwrap()
}

fn verdict(step: AcceptanceStep, role: Role, minute: u32) -> Verdict {
    Verdict {
        step,
        actor: Actor {
            id: format!("{role:?}"),
            role,
        },
        at: at(minute),
        failed_items: vec![],
        remarks: String::new(),
        satisfaction: (step == AcceptanceStep::Customer).then_some(4),
        signature: Some(Signature {
            signer: "王女士 <script>alert(1)</script>\u{202E}".into(),
            strokes: vec![Stroke(vec![
                Point {
                    x: 1,
                    y: 2,
                    t_ms: 0,
                    p: 300,
                },
                Point {
                    x: 9,
                    y: 4,
                    t_ms: 16,
                    p: 0,
                },
            ])],
            signed_at: at(minute),
            anchor_ms: Some(1_767_000_000_000 + i64::from(minute)),
        }),
    }
}

/// A one-round acceptance of `job`, as its record.
fn round(job: &str) -> RoundRecord {
    let mut a = Acceptance::start(JobId::new(job), &Rules::default()).unwrap();
    use AcceptanceStep::*;
    for (i, (step, role)) in [
        (WorkerSelfCheck, Role::Worker),
        (TeamSupervisor, Role::TeamSupervisor),
        (OfficeSupervisor, Role::OfficeSupervisor),
        (Customer, Role::Customer),
    ]
    .into_iter()
    .enumerate()
    {
        a.apply(Action::Pass(verdict(step, role, i as u32)))
            .unwrap();
    }
    let visit = VisitSummary {
        workers: vec![WorkerId::new("D001")],
        checklist: vec![],
        tools: vec![ToolCount {
            item: "rag".into(),
            out: 6,
            back: 5,
            damaged: 0,
        }],
        charge: Some(RecordCharge {
            computed: Money(16_000),
            charged: Money(16_000),
            deviation_reason: None,
            deviation_approver: None,
        }),
        damage: vec![],
    }
    .with_damage([DamageEntry {
        at: at(3),
        by: WorkerId::new("D001"),
        description: "花瓶碰倒，瓶口缺了一块".into(),
        value: Money(20_000),
        photos: vec![PhotoRef {
            name: "photo-1.jpg".into(),
            content_type: "image/jpeg".into(),
            length: 41_234,
            digest: "md5-XrY7u+Ae7tCTyyK7j1rNww==".into(),
        }],
    }]);
    RoundRecord::of_round(
        &a,
        1,
        visit,
        "我已核对服务记录".into(),
        at(5),
        480,
        "dev-1".into(),
    )
    .unwrap()
}

fn chain(n: usize) -> Vec<SignedRecord> {
    let mut out: Vec<SignedRecord> = Vec::new();
    for i in 0..n {
        let head: Option<ChainHead> = out.last().map(SignedRecord::head);
        out.push(SignedRecord::seal(round(&format!("J-{i}")), head.as_ref()).unwrap());
    }
    out
}

/// One check per case: what verifying the chain after `change` says (index and fault kind).
fn check(name: &str, change: impl Fn(&mut Vec<SignedRecord>), expected: Option<(usize, &str)>) {
    let mut c = chain(3);
    change(&mut c);
    let got = verify_signed_chain(&c).err().map(|e| {
        let kind = match e.fault {
            ChainFault::ContentHash { .. } => "content",
            ChainFault::BrokenLink { .. } => "link",
            ChainFault::SequenceGap { .. } => "seq",
            ChainFault::Unhashable { .. } => "unhashable",
        };
        (e.index, kind)
    });
    assert_eq!(got, expected, "{name}");
}

#[test]
fn a_chain_and_its_changes() {
    check("as sealed", |_| {}, None);
    check(
        "a score changed",
        |c| c[1].record.sign_offs[3].verdict.satisfaction = Some(5),
        Some((1, "content")),
    );
    check(
        "a stroke moved",
        |c| {
            c[2].record.sign_offs[0]
                .verdict
                .signature
                .as_mut()
                .unwrap()
                .strokes[0]
                .0[1]
                .x += 1
        },
        Some((2, "content")),
    );
    check(
        "the consent changed",
        |c| c[0].record.consent.push(' '),
        Some((0, "content")),
    );
    check(
        "the time zone changed",
        |c| c[0].record.utc_offset_minutes = 0,
        Some((0, "content")),
    );
    check(
        "a damage photo replaced",
        |c| c[1].record.visit.damage[0].photos[0].digest = "md5-AAAAAAAAAAAAAAAAAAAAAA==".into(),
        Some((1, "content")),
    );
    check(
        "a damage report dropped",
        |c| c[2].record.visit.damage.clear(),
        Some((2, "content")),
    );
    check(
        "the damage's value lowered",
        |c| c[0].record.visit.damage[0].value = Money(1),
        Some((0, "content")),
    );
    check("seq renumbered", |c| c[1].seq = 7, Some((1, "content")));
    check(
        "prev_hash replaced",
        |c| c[1].prev_hash = GENESIS_HASH.into(),
        Some((1, "content")),
    );
    check(
        "one removed",
        |c| {
            c.remove(1);
        },
        Some((1, "link")),
    );
    check("two swapped", |c| c.swap(0, 1), Some((0, "link")));
    check(
        "resealed in place of the first",
        |c| {
            let mut r = c[0].record.clone();
            r.consent = "改过".into();
            c[0] = SignedRecord::seal(r, None).unwrap();
        },
        Some((1, "link")),
    );
}

#[test]
fn sealing_numbers_and_links() {
    let c = chain(3);
    assert_eq!(c.iter().map(|r| r.seq).collect::<Vec<_>>(), [1, 2, 3]);
    assert_eq!(c[0].prev_hash, GENESIS_HASH);
    assert_eq!(c[2].prev_hash, c[1].hash);
    assert_eq!(c[1].id(), "record:J-1:dev-1:2");
    assert_eq!(record_id(&JobId::new("J"), "d", 9), "record:J:d:9");
    // The stored form reads back to the same record, and verifies.
    let json = serde_json::to_string(&c[1]).unwrap();
    let back: SignedRecord = serde_json::from_str(&json).unwrap();
    assert_eq!(back, c[1]);
    assert_eq!(back.verify(), Ok(()));
    // A bad head is refused.
    let bad = ChainHead {
        seq: 1,
        hash: "nope".into(),
    };
    assert!(SignedRecord::seal(round("J"), Some(&bad)).is_err());
}

/// One check per case of the chain head's repair: the stored head (`None`: none, else the
/// index of the record it names in a chain of three) and which stored records are found,
/// against the index of the record the repaired head names.
fn check_repair(head: Option<usize>, stored: &[usize], expected: Option<usize>) {
    let c = chain(3);
    let heads: Vec<ChainHead> = stored.iter().map(|&i| c[i].head()).collect();
    let got = ChainHead::repaired(head.map(|i| c[i].head()), &heads);
    assert_eq!(
        got,
        expected.map(|i| c[i].head()),
        "head {head:?}, stored {stored:?}"
    );
}

#[test]
fn a_stale_chain_head_is_rebuilt_from_the_stored_records() {
    check_repair(None, &[], None);
    check_repair(Some(2), &[0, 1, 2], Some(2)); // up to date
    check_repair(Some(1), &[0, 1, 2], Some(2)); // crash after the record, before the head
    check_repair(None, &[0, 1, 2], Some(2)); // head lost
    check_repair(None, &[1, 0], Some(1)); // in any order
    check_repair(Some(2), &[0, 1], Some(2)); // records not (yet) here: the head stands
    check_repair(Some(2), &[], Some(2));
    // Sealing after the repaired head continues the chain: no id collides, it verifies.
    let mut c = chain(3);
    let stale = c[1].head();
    let heads: Vec<ChainHead> = c.iter().map(SignedRecord::head).collect();
    let head = ChainHead::repaired(Some(stale.clone()), &heads);
    let next = SignedRecord::seal(round("J-3"), head.as_ref()).unwrap();
    assert_eq!(next.seq, 4);
    assert!(c.iter().all(|r| r.id() != next.id()));
    // Whereas the stale head would have reused seq 3 (the collision the store refuses).
    assert_eq!(
        SignedRecord::seal(round("J-2"), Some(&stale)).unwrap().id(),
        c[2].id()
    );
    c.push(next);
    assert_eq!(verify_signed_chain(&c), Ok(()));
}

#[test]
fn a_stored_record_names_its_device_and_seq() {
    let c = chain(2);
    let body = serde_json::to_value(&c[1]).unwrap();
    let check = |id: &str, device: &str, expected: Option<ChainHead>| {
        assert_eq!(
            ChainHead::of_stored(id, &body, device),
            expected,
            "{id} {device}"
        );
    };
    check(&c[1].id(), "dev-1", Some(c[1].head()));
    check("record:J:with:colons:dev-1:2", "dev-1", Some(c[1].head()));
    check(&c[1].id(), "dev-2", None);
    check("record:J-1:dev-1:x", "dev-1", None);
    check("record:dev-1:2", "dev-1", None);
    check("step:J-1:dev-1:2", "dev-1", None);
    assert_eq!(
        ChainHead::of_stored(&c[1].id(), &serde_json::json!({}), "dev-1"),
        None
    );
}

/// A visit with no damage keeps the canonical form records were sealed in before damage was
/// part of them, so those records still verify.
#[test]
fn no_damage_leaves_the_canonical_form_as_it_was() {
    let v = serde_json::to_value(VisitSummary::default()).unwrap();
    assert_eq!(v.get("damage"), None);
    let back: VisitSummary =
        serde_json::from_str(r#"{"workers":[],"checklist":[],"tools":[],"charge":null}"#).unwrap();
    assert_eq!(back, VisitSummary::default());
}

/// A signed record's hash is pinned: the hash of a stored record must never change with the
/// code that computes it (pinned from the code that sealed the first records).
#[test]
fn signed_hash_known_answer() {
    let hash = doorstep_core::record::signed_hash(&round("J-1001"), 3, "ab").unwrap();
    assert_eq!(
        hash,
        "1439d1853662e094f2efa7787bd37eaf58abf20d0c28241227ae8274e1e1abe3"
    );
}
