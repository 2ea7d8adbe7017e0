#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed unwrap is a failed test
//! Any changed byte of a stored signed record is found when it is opened.

use chrono::NaiveDate;
use doorstep_core::acceptance::{Acceptance, Action, Actor, Verdict};
use doorstep_core::config::AcceptanceStep;
use doorstep_core::model::{JobId, Point, Role, Signature, Stroke, WorkerId};
use doorstep_core::record::{RoundRecord, SignedRecord, VisitSummary};
use doorstep_core::Rules;
use proptest::prelude::*;

fn record(remarks: String, points: Vec<(i32, i32, u16)>, score: u8) -> SignedRecord {
    let at = NaiveDate::from_ymd_opt(2026, 1, 10)
        .and_then(|d| d.and_hms_opt(14, 0, 0))
        .unwrap_or_default();
    let rules = Rules {
        acceptance_order: vec![AcceptanceStep::Customer],
        ..Rules::default()
    };
    let mut a = Acceptance::start(JobId::new("J-1"), &rules).unwrap();
    let mut t = 0;
    let stroke = Stroke(
        points
            .into_iter()
            .map(|(x, y, p)| {
                t += 5;
                Point { x, y, t_ms: t, p }
            })
            .collect(),
    );
    a.apply(Action::Pass(Verdict {
        step: AcceptanceStep::Customer,
        actor: Actor {
            id: "客户".into(),
            role: Role::Customer,
        },
        at,
        failed_items: vec![],
        remarks,
        satisfaction: Some(score),
        signature: Some(Signature {
            signer: "客户".into(),
            strokes: vec![stroke],
            signed_at: at,
            anchor_ms: Some(1),
        }),
    }))
    .unwrap();
    let visit = VisitSummary {
        workers: vec![WorkerId::new("D001")],
        ..VisitSummary::default()
    };
    let r = RoundRecord::of_round(&a, 1, visit, "同意".into(), at, 480, "dev".into()).unwrap();
    SignedRecord::seal(r, None).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    #[test]
    fn a_changed_byte_is_flagged(
        remarks in any::<String>(),
        points in proptest::collection::vec((0..5000i32, 0..5000i32, 0..=1000u16), 2..8),
        score in 1u8..=5,
        pick in any::<prop::sample::Index>(),
        delta in 1u8..=255,
    ) {
        let sealed = record(remarks, points, score);
        prop_assert_eq!(sealed.verify(), Ok(()));
        let mut bytes = serde_json::to_vec(&sealed).unwrap();
        let i = pick.index(bytes.len());
        bytes[i] = bytes[i].wrapping_add(delta);
        // Either it no longer reads as a record, or it reads as one that fails to verify —
        // unless the change is one JSON cannot see (e.g. an escape written differently).
        if let Ok(changed) = serde_json::from_slice::<SignedRecord>(&bytes) {
            if changed != sealed {
                prop_assert!(changed.verify().is_err(), "byte {} changed, still verifies", i);
            }
        }
    }
}
