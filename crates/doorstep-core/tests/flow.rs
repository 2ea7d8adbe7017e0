//! The visit on the phone, stage by stage: which ticks and milestones are accepted when, and
//! where the visit stands for each crew member.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed unwrap is a failed test
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use chrono::{NaiveDate, NaiveDateTime};
use doorstep_core::acceptance::{Action, Actor, Stage as AcceptStage, Verdict};
use doorstep_core::checklist::{ChecklistSet, Phase};
use doorstep_core::config::AcceptanceStep;
use doorstep_core::flow::{
    checklist, kit_in, kit_out, progress, Blocker, KitBlock, Milestone, Stage, StageState,
    Templates,
};
use doorstep_core::model::Money;
use doorstep_core::model::{JobId, JobStatus, WorkerId};
use doorstep_core::model::{Point, Role, Signature, Stroke};
use doorstep_core::pricing::{liability, Charge, Deviation, DeviationCause};
use doorstep_core::step::{
    check_step, shown_status, DispatchOrder, KitCount, Step, StepError, StepKind,
};
use doorstep_core::toolkit::{reconcile, CheckinLine, IncidentKind};
use doorstep_core::{demo, Rules};

fn t0() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 11, 24)
        .unwrap()
        .and_hms_opt(7, 0, 0)
        .unwrap()
}

/// J-1004, a two-person deep clean led by D001, as D001's device holds it.
fn order() -> DispatchOrder {
    let data = demo::dataset(t0().date() - chrono::Duration::days(1));
    let docs = data.worker_documents(&WorkerId::new("D001"), t0(), &Rules::default());
    let (_, v) = docs
        .into_iter()
        .find(|(id, _)| id == "order:J-1004")
        .expect("J-1004 on D001's device");
    serde_json::from_value(v).unwrap()
}

/// Every required item of `phase`, ticked.
fn ticks(phase: Phase) -> Vec<StepKind> {
    ChecklistSet::default()
        .phase(phase)
        .filter(|i| i.required)
        .map(|i| StepKind::Tick {
            item: i.id.clone(),
            done: true,
        })
        .collect()
}

fn tick(item: &str, done: bool) -> StepKind {
    StepKind::Tick {
        item: item.into(),
        done,
    }
}

fn milestone(m: Milestone) -> StepKind {
    StepKind::Milestone(m)
}

/// The whole kit of the job, or `share` of each item's count (rounded up).
fn take_kit(share: (u32, u32)) -> StepKind {
    let kit = Templates::default().kit(&order());
    StepKind::KitOut {
        lines: kit
            .items
            .iter()
            .map(|i| KitCount {
                item: i.code.clone(),
                count: (i.expected * share.0).div_ceil(share.1),
            })
            .collect(),
    }
}

/// What a step should meet: accepted, or refused with an error of this kind.
#[derive(Clone, Debug, PartialEq)]
enum Want {
    Ok,
    NotYet,
    /// Refused by the gate; the first (at most two) items it still waits for.
    Blocked(Vec<String>),
    Closed,
    Unknown,
    /// Refused for the kit.
    Kit(&'static str),
    /// Refused for another reason (e.g. an item not in the job's kit).
    Other,
    /// A charge the pricing rules refuse (e.g. a deviation with no approver).
    Charge,
    /// A computed amount that is not the price list's.
    WrongPrice,
    NotInCrew,
    /// Refused by the acceptance rules (order, role, signature, score, rework).
    Acceptance,
    /// A signature whose ink is refused.
    Ink,
}

/// Records each `(by, step)` that the core accepts (one minute apart), checks each answer, then
/// where the visit stands for `me`: the current stage and what its gate still waits for.
fn check(
    script: Vec<(&str, StepKind, Want)>,
    me: &str,
    current: Stage,
    still_missing: &[&str],
) -> Vec<Step> {
    let o = order();
    let t = Templates::default();
    let mut steps: Vec<Step> = Vec::new();
    for (i, (by, kind, want)) in script.into_iter().enumerate() {
        let by = WorkerId::new(by);
        let got = match check_step(&o, &t, &steps, &by, &kind) {
            Ok(()) => Want::Ok,
            Err(StepError::NotYet { .. }) => Want::NotYet,
            Err(StepError::Blocked(b)) => Want::Blocked(
                b.missing_ids()
                    .iter()
                    .take(2)
                    .map(|s| s.to_string())
                    .collect(),
            ),
            Err(StepError::StageClosed(_)) => Want::Closed,
            Err(StepError::UnknownItem(_)) => Want::Unknown,
            Err(StepError::Kit(KitBlock::NotCheckedOut)) => Want::Kit("not checked out"),
            Err(StepError::Kit(KitBlock::Short(_))) => Want::Kit("short"),
            Err(StepError::Kit(KitBlock::NotCountedBack)) => Want::Kit("not counted back"),
            Err(StepError::NotInKit(_)) => Want::Other,
            Err(StepError::Charge(_)) => Want::Charge,
            Err(StepError::WrongPrice { .. }) => Want::WrongPrice,
            Err(StepError::NotInCrew { .. }) => Want::NotInCrew,
            Err(StepError::Acceptance(_)) => Want::Acceptance,
            Err(StepError::Ink(_)) => Want::Ink,
            Err(e) => panic!("step {i}: unexpected {e:?}"),
        };
        assert_eq!(got, want, "step {i}: {kind:?} by {by}");
        if got == Want::Ok {
            steps.push(Step {
                job: JobId::new("J-1004"),
                by,
                at: t0() + chrono::Duration::minutes(i as i64),
                step: kind,
                corrects: None,
            });
        }
    }
    let p = progress(&t, &o, &steps, &WorkerId::new(me));
    assert_eq!(p.current, current, "current stage for {me}");
    let missing: Vec<&str> = match &p.blocked {
        Some(Blocker::Items(b)) => b.missing_ids(),
        Some(Blocker::Kit(KitBlock::NotCheckedOut)) => vec!["kit: not checked out"],
        Some(Blocker::Kit(KitBlock::Short(_))) => vec!["kit: short"],
        Some(Blocker::Kit(KitBlock::NotCountedBack)) => vec!["kit: not counted back"],
        Some(Blocker::NotCharged) => vec!["charge: not recorded"],
        None => Vec::new(),
    };
    assert_eq!(missing, still_missing, "still missing for {me}");
    // Done stages come first, then the current one, then those ahead.
    let states: Vec<StageState> = p.stages.iter().map(|(_, s)| *s).collect();
    match states.iter().position(|s| *s == StageState::Current) {
        Some(at) => {
            assert!(states[..at].iter().all(|s| *s == StageState::Done));
            assert!(states[at + 1..].iter().all(|s| *s == StageState::Ahead));
        }
        // The visit is over: every stage done.
        None => assert!(states.iter().all(|s| *s == StageState::Done)),
    }
    steps
}

fn blocked(ids: &[&str]) -> Want {
    Want::Blocked(ids.iter().map(|s| s.to_string()).collect())
}

fn all(by: &'static str, kinds: Vec<StepKind>) -> Vec<(&'static str, StepKind, Want)> {
    kinds.into_iter().map(|k| (by, k, Want::Ok)).collect()
}

#[test]
fn a_visit_stage_by_stage() {
    // Nothing ticked: the leader cannot leave; the gate names what is missing, in order.
    check(
        vec![(
            "D001",
            milestone(Milestone::Depart),
            blocked(&["pre.uniform", "pre.clean"]),
        )],
        "D001",
        Stage::PreDeparture,
        &[
            "pre.uniform",
            "pre.clean",
            "pre.grooming",
            "pre.shoes",
            "pre.no_alcohol",
            "pre.fit",
            "pre.toolbox",
            "pre.blank_record",
            "pre.price_list",
            "pre.dispatch_order",
            "pre.on_time",
        ],
    );
    // Arrival items cannot be ticked before leaving; unknown items never.
    check(
        vec![
            ("D001", tick("arr.knock", true), Want::NotYet),
            ("D001", tick("pre.nonsense", true), Want::Unknown),
            ("D001", milestone(Milestone::StartWork), Want::NotYet),
        ],
        "D001",
        Stage::PreDeparture,
        &[
            "pre.uniform",
            "pre.clean",
            "pre.grooming",
            "pre.shoes",
            "pre.no_alcohol",
            "pre.fit",
            "pre.toolbox",
            "pre.blank_record",
            "pre.price_list",
            "pre.dispatch_order",
            "pre.on_time",
        ],
    );
    // The whole way to the after-service stage; the optional items are not needed. The
    // kit must be recorded before leaving, complete before work starts, and counted back
    // before the customer is asked to sign.
    let mut script = all("D001", ticks(Phase::PreDeparture));
    script.push((
        "D001",
        milestone(Milestone::Depart),
        Want::Kit("not checked out"),
    ));
    script.push(("D001", take_kit((1, 2)), Want::Ok));
    script.push(("D001", milestone(Milestone::Depart), Want::Ok));
    script.push(("D001", tick("pre.route", true), Want::Closed));
    script.extend(all("D001", ticks(Phase::Arrival)));
    script.push(("D001", milestone(Milestone::StartWork), Want::Kit("short")));
    script.push((
        "D001",
        StepKind::KitOut {
            lines: vec![KitCount {
                item: "teapot".into(),
                count: 1,
            }],
        },
        Want::Other,
    ));
    script.push(("D001", take_kit((1, 1)), Want::Ok)); // a recount: the latest counts
    script.push(("D001", milestone(Milestone::StartWork), Want::Ok));
    script.push(("D001", milestone(Milestone::StartWork), Want::Closed));
    script.push(("D001", take_kit((1, 1)), Want::Closed));
    script.extend(all("D001", ticks(Phase::InService)));
    script.push(("D001", milestone(Milestone::FinishWork), Want::Ok));
    script.push(("D001", tick("after.pack_tools", true), Want::Ok));
    script.push(("D001", tick("after.remind_valuables", true), Want::Ok));
    script.push(("D001", tick("after.show_toolbox", true), Want::Ok));
    let steps = check(
        script.clone(),
        "D001",
        Stage::AfterService,
        &["kit: not counted back"],
    );
    assert_eq!(shown_status(&order(), &steps), JobStatus::InProgress);
    // Counted back in front of the customer: two rags short, one mop broken, all on D001.
    let kit = Templates::default().kit(&order());
    let out = kit_out(&kit, &JobId::new("J-1004"), &steps);
    let mut back: Vec<CheckinLine> = doorstep_core::flow::checkin_from(&out);
    for l in &mut back {
        match l.item.as_str() {
            "rag" => l.good -= 2,
            "mop" => (l.good, l.damaged) = (l.good - 1, 1),
            _ => {}
        }
    }
    script.push(("D001", StepKind::KitIn { lines: back }, Want::Ok));
    check(
        script.clone(),
        "D001",
        Stage::AfterService,
        &["charge: not recorded"],
    );
    // The charge: the price list's amount; a different one only with an approved reason; a
    // poor-quality shortfall names a worker of the crew, who bears it.
    let computed = Templates::default().quote(&order()).unwrap().total;
    let charge = |charged: i64, deviation: Option<Deviation>| StepKind::Charge {
        charge: Charge {
            computed,
            charged: Money(charged),
            deviation,
        },
    };
    let quality = |who: &str, approver: &str| Deviation {
        reason: "厨房油污未清干净".into(),
        approver: approver.into(),
        at: t0(),
        cause: DeviationCause::PoorQuality {
            responsible: WorkerId::new(who),
        },
    };
    let less = computed.0 - 5000;
    script.push((
        "D001",
        StepKind::Charge {
            charge: Charge::exact(Money(computed.0 + 1)),
        },
        Want::WrongPrice,
    ));
    script.push(("D001", charge(less, None), Want::Charge));
    script.push((
        "D001",
        charge(less, Some(quality("D001", " "))),
        Want::Charge,
    ));
    script.push((
        "D001",
        charge(less, Some(quality("D009", "S01主管"))),
        Want::NotInCrew,
    ));
    script.push((
        "D001",
        charge(less, Some(quality("D002", "S01主管"))),
        Want::Ok,
    ));
    let steps = check(script, "D001", Stage::AfterService, &[]);
    let booked = liability(
        &JobId::new("J-1004"),
        &doorstep_core::flow::charge(&steps).unwrap(),
    )
    .unwrap()
    .unwrap();
    assert_eq!(
        (booked.worker.0.as_str(), booked.amount),
        ("D002", Money(5000))
    );
    let found: Vec<(IncidentKind, String, u32, String)> =
        reconcile(&out, &kit_in(&JobId::new("J-1004"), &steps).unwrap())
            .into_iter()
            .map(|i| (i.kind, i.item, i.count, i.worker.0))
            .collect();
    assert_eq!(
        found,
        [
            (
                IncidentKind::Damaged,
                "mop".to_owned(),
                1,
                "D001".to_owned()
            ),
            (
                IncidentKind::Missing,
                "rag".to_owned(),
                2,
                "D001".to_owned()
            ),
        ]
    );
}

#[test]
fn untick_is_a_new_step_and_the_latest_counts() {
    let mut script = all("D001", ticks(Phase::PreDeparture));
    script.push(("D001", tick("pre.uniform", false), Want::Ok));
    script.push((
        "D001",
        milestone(Milestone::Depart),
        blocked(&["pre.uniform"]),
    ));
    script.push(("D001", tick("pre.uniform", true), Want::Ok));
    script.push(("D001", take_kit((1, 1)), Want::Ok));
    script.push(("D001", milestone(Milestone::Depart), Want::Ok));
    let steps = check(
        script,
        "D001",
        Stage::Arrival,
        &[
            "arr.recheck_appearance",
            "arr.knock",
            "arr.greet",
            "arr.show_badge",
            "arr.confirm_items",
            "arr.explain",
        ],
    );
    let list = checklist(
        &ChecklistSet::default(),
        &steps,
        Phase::PreDeparture,
        &WorkerId::new("D001"),
    );
    assert_eq!(list.ticks.len(), ticks(Phase::PreDeparture).len());
}

#[test]
fn the_pre_departure_list_is_each_workers_own() {
    // D001 gets ready and leaves; D002 must tick and leave on their own before working.
    let mut script = all("D001", ticks(Phase::PreDeparture));
    script.push(("D001", take_kit((1, 1)), Want::Ok));
    script.push(("D001", milestone(Milestone::Depart), Want::Ok));
    script.push((
        "D002",
        milestone(Milestone::Depart),
        blocked(&["pre.uniform", "pre.clean"]),
    ));
    script.push(("D002", tick("arr.knock", true), Want::NotYet));
    script.extend(all("D001", ticks(Phase::Arrival)));
    script.push(("D001", milestone(Milestone::StartWork), Want::Ok));
    check(
        script.clone(),
        "D001",
        Stage::InService,
        &[
            "svc.polite",
            "svc.proper_tools",
            "svc.no_customer_phone",
            "svc.no_smoking",
            "svc.own_cup",
            "svc.no_tips",
            "svc.top_down",
            "svc.quiet",
        ],
    );
    // For D002 the job has started, but D002 has still to get ready.
    script.extend(all("D002", ticks(Phase::PreDeparture)));
    // D001 carries the whole kit: D002 records taking nothing, which is a record too.
    script.push((
        "D002",
        milestone(Milestone::Depart),
        Want::Kit("not checked out"),
    ));
    script.push(("D002", take_kit((0, 1)), Want::Ok));
    script.push(("D002", milestone(Milestone::Depart), Want::Ok));
    // From arrival on the lists are the job's: D001's arrival ticks count for D002.
    script.push(("D002", tick("svc.polite", true), Want::Ok));
    check(
        script,
        "D002",
        Stage::InService,
        &[
            "svc.proper_tools",
            "svc.no_customer_phone",
            "svc.no_smoking",
            "svc.own_cup",
            "svc.no_tips",
            "svc.top_down",
            "svc.quiet",
        ],
    );
}

#[cfg(not(target_arch = "wasm32"))]
mod props {
    use super::*;
    use proptest::prelude::*;

    /// Any tick, un-tick or milestone of the default lists, by either crew member.
    fn attempt() -> impl Strategy<Value = (&'static str, StepKind)> {
        let set = ChecklistSet::default();
        let items: Vec<String> = set.items.iter().map(|i| i.id.clone()).collect();
        let kind = prop_oneof![
            8 => (proptest::sample::select(items), proptest::bool::weighted(0.85))
                .prop_map(|(item, done)| StepKind::Tick { item, done }),
            1 => proptest::sample::select(vec![Milestone::Depart, Milestone::StartWork, Milestone::FinishWork])
                .prop_map(StepKind::Milestone),
            1 => proptest::sample::select(vec![(1, 2), (1, 1)]).prop_map(take_kit),
            1 => Just(full_checkin()),
        ];
        (proptest::sample::select(vec!["D001", "D002"]), kind)
    }

    /// Every item of the kit back in good order, as taken by D001.
    fn full_checkin() -> StepKind {
        let kit = Templates::default().kit(&order());
        StepKind::KitIn {
            lines: kit
                .items
                .iter()
                .map(|i| CheckinLine {
                    worker: WorkerId::new("D001"),
                    item: i.code.clone(),
                    good: i.expected,
                    damaged: 0,
                })
                .collect(),
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(120))]

        /// Whatever the crew tries, a milestone is accepted only with its stage's required
        /// items ticked, stages stay in order, and the steps' storage order does not matter.
        #[test]
        fn milestones_need_their_lists_and_order_does_not_matter(
            attempts in proptest::collection::vec(attempt(), 0..250),
            seed in any::<u64>(),
        ) {
            let o = order();
            let t = Templates::default();
            let set = &t.checklists;
            let mut steps: Vec<Step> = Vec::new();
            for (i, (by, kind)) in attempts.into_iter().enumerate() {
                let by = WorkerId::new(by);
                if check_step(&o, &t, &steps, &by, &kind).is_err() {
                    continue;
                }
                if let StepKind::Milestone(m) = &kind {
                    let phase = m.stage().phase().unwrap();
                    let list = checklist(set, &steps, phase, &by);
                    prop_assert!(list.missing_required(phase).is_empty(), "{m:?} with items missing");
                }
                steps.push(Step {
                    job: JobId::new("J-1004"),
                    by,
                    at: t0() + chrono::Duration::seconds(i as i64),
                    step: kind,
                    corrects: None,
                });
            }
            let mut shuffled = steps.clone();
            let mut x = seed | 1;
            for i in (1..shuffled.len()).rev() {
                x ^= x << 13; x ^= x >> 7; x ^= x << 17;
                shuffled.swap(i, (x % (i as u64 + 1)) as usize);
            }
            for me in ["D001", "D002"] {
                let me = WorkerId::new(me);
                let p = progress(&t, &o, &steps, &me);
                prop_assert_eq!(&p, &progress(&t, &o, &shuffled, &me));
                let states: Vec<StageState> = p.stages.iter().map(|(_, s)| *s).collect();
                let at = states.iter().position(|s| *s == StageState::Current).unwrap();
                prop_assert!(states[..at].iter().all(|s| *s == StageState::Done));
                prop_assert!(states[at + 1..].iter().all(|s| *s == StageState::Ahead));
            }
        }
    }
}

#[test]
fn a_closed_gate_in_one_line() {
    use doorstep_core::Lang;
    let p = progress(&Templates::default(), &order(), &[], &WorkerId::new("D001"));
    let b = p.blocked.unwrap();
    assert_eq!(b.summary(Lang::Zh), "暂不能出发：还有 11 项未完成");
    assert_eq!(b.summary(Lang::En), "Cannot leave yet: 11 items left");
}

/// The visit of J-1004 by D001 up to the after-service stage with its gate open.
fn visit_to_acceptance() -> Vec<(&'static str, StepKind, Want)> {
    let mut script = all("D001", ticks(Phase::PreDeparture));
    script.push(("D001", take_kit((1, 1)), Want::Ok));
    script.push(("D001", milestone(Milestone::Depart), Want::Ok));
    script.extend(all("D001", ticks(Phase::Arrival)));
    script.push(("D001", milestone(Milestone::StartWork), Want::Ok));
    script.extend(all("D001", ticks(Phase::InService)));
    script.push(("D001", milestone(Milestone::FinishWork), Want::Ok));
    script.extend(all("D001", ticks(Phase::AfterService)));
    script
}

fn ink(n: usize) -> Option<Signature> {
    Some(Signature {
        signer: "签字人".into(),
        strokes: vec![Stroke(
            (0..n)
                .map(|i| Point {
                    x: 10 * i as i32,
                    y: 5,
                    t_ms: i as u32 * 8,
                    p: 400,
                })
                .collect(),
        )],
        signed_at: t0(),
        anchor_ms: Some(1_767_000_000_000),
    })
}

fn sign_off(
    minute: i64,
    step: AcceptanceStep,
    role: Role,
    fail: &[&str],
    score: Option<u8>,
    sig: Option<Signature>,
) -> StepKind {
    let v = Verdict {
        step,
        actor: Actor {
            id: format!("{role:?}"),
            role,
        },
        at: t0() + chrono::Duration::hours(3) + chrono::Duration::minutes(minute),
        failed_items: fail.iter().map(|s| s.to_string()).collect(),
        remarks: String::new(),
        satisfaction: score,
        signature: sig,
    };
    StepKind::Accept {
        action: if fail.is_empty() {
            Action::Pass(v)
        } else {
            Action::Fail(v)
        },
    }
}

#[test]
fn acceptance_with_a_failed_round_and_rework() {
    use AcceptanceStep::{
        Customer as Cu, OfficeSupervisor as Os, TeamSupervisor as Ts, WorkerSelfCheck as Ws,
    };
    let mut script = visit_to_acceptance();
    // Not before the kit is counted back and the charge recorded.
    script.push((
        "D001",
        sign_off(1, Ws, Role::TeamLeader, &[], None, ink(3)),
        Want::Kit("not counted back"),
    ));
    let kit = Templates::default().kit(&order());
    let steps = check(
        script.clone(),
        "D001",
        Stage::AfterService,
        &["kit: not counted back"],
    );
    let back = doorstep_core::flow::checkin_from(&kit_out(&kit, &JobId::new("J-1004"), &steps));
    script.push(("D001", StepKind::KitIn { lines: back }, Want::Ok));
    let computed = Templates::default().quote(&order()).unwrap().total;
    script.push((
        "D001",
        StepKind::Charge {
            charge: Charge::exact(computed),
        },
        Want::Ok,
    ));
    // Every sign-off is signed by hand, in the core's order, by the right role.
    script.push((
        "D001",
        sign_off(2, Ws, Role::TeamLeader, &[], None, None),
        Want::Acceptance,
    ));
    script.push((
        "D001",
        sign_off(3, Ws, Role::TeamLeader, &[], None, ink(1)),
        Want::Ink,
    ));
    script.push((
        "D001",
        sign_off(4, Ts, Role::TeamSupervisor, &[], None, ink(3)),
        Want::Acceptance,
    ));
    script.push((
        "D001",
        sign_off(5, Ws, Role::Customer, &[], None, ink(3)),
        Want::Acceptance,
    ));
    let mut bad_ink = ink(3);
    if let Some(s) = bad_ink.as_mut() {
        s.strokes[0].0[1].x = -5;
    }
    script.push((
        "D001",
        sign_off(6, Ws, Role::TeamLeader, &[], None, bad_ink),
        Want::Ink,
    ));
    script.push((
        "D001",
        sign_off(7, Ws, Role::TeamLeader, &[], None, ink(3)),
        Want::Ok,
    ));
    script.push((
        "D001",
        sign_off(8, Ts, Role::TeamSupervisor, &[], None, ink(3)),
        Want::Ok,
    ));
    script.push((
        "D001",
        sign_off(9, Os, Role::OfficeSupervisor, &[], None, ink(3)),
        Want::Ok,
    ));
    // The customer's pass needs a score; the customer fails the windows.
    script.push((
        "D001",
        sign_off(10, Cu, Role::Customer, &[], None, ink(3)),
        Want::Acceptance,
    ));
    script.push((
        "D001",
        sign_off(11, Cu, Role::Customer, &["窗户有水印"], Some(2), ink(4)),
        Want::Ok,
    ));
    // Rework before anything else; marked by the worker on this phone, every failed item.
    script.push((
        "D001",
        sign_off(12, Cu, Role::Customer, &[], Some(5), ink(3)),
        Want::Acceptance,
    ));
    let rework = |by: &str, items: &[&str]| StepKind::Accept {
        action: Action::ReworkDone {
            actor: Actor {
                id: by.into(),
                role: Role::Worker,
            },
            at: t0() + chrono::Duration::hours(3) + chrono::Duration::minutes(30),
            items: items.iter().map(|s| s.to_string()).collect(),
            note: String::new(),
        },
    };
    script.push(("D001", rework("D001", &[]), Want::Acceptance));
    script.push(("D001", rework("D002", &["窗户有水印"]), Want::NotInCrew));
    script.push(("D001", rework("D001", &["窗户有水印"]), Want::Ok));
    let steps = check(script.clone(), "D001", Stage::Signature, &[]);
    let t = Templates::default();
    let a = doorstep_core::flow::acceptance(&t, &JobId::new("J-1004"), &steps).unwrap();
    assert_eq!(a.stage(), AcceptStage::Awaiting { round: 2, step: Cu });
    // The second acceptance: the customer alone, with its own time, signature and score.
    script.push((
        "D001",
        sign_off(40, Cu, Role::Customer, &[], Some(5), ink(5)),
        Want::Ok,
    ));
    script.push((
        "D001",
        sign_off(41, Cu, Role::Customer, &[], Some(5), ink(5)),
        Want::Acceptance,
    ));
    let o = order();
    let steps = check(script, "D001", Stage::Signature, &[]);
    let a = doorstep_core::flow::acceptance(&t, &JobId::new("J-1004"), &steps).unwrap();
    assert!(a.is_accepted());
    assert_eq!(a.rounds().len(), 2);
    assert_eq!(a.final_customer_verdict().unwrap().satisfaction, Some(5));
    let p = progress(&t, &o, &steps, &WorkerId::new("D001"));
    assert!(
        p.stages.iter().all(|(_, s)| *s == StageState::Done),
        "{:?}",
        p.stages
    );
    // The visit as signed: crew, ticks, the kit out and back, the charge.
    let v = doorstep_core::flow::visit_summary(&t, &o, &steps);
    assert_eq!(v.workers, o.view.crew);
    assert!(
        v.tools
            .iter()
            .all(|c| c.out == c.back && c.damaged == 0 && c.out > 0),
        "{:?}",
        v.tools
    );
    assert_eq!(v.charge.unwrap().charged, computed);
    assert!(v
        .checklist
        .iter()
        .any(|e| e.item_id == "after.show_toolbox" && e.done));
}
