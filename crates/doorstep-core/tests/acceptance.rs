#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use chrono::{NaiveDate, NaiveDateTime};
use doorstep_core::acceptance::{
    Acceptance, AcceptanceError, Action, Actor, Outcome, Stage, Verdict,
};
use doorstep_core::config::AcceptanceStep;
use doorstep_core::model::{JobId, JobStatus, Point, Role, Signature, Stroke};
use doorstep_core::{Explain, Lang, Rules};

use AcceptanceStep::{
    Customer as Cu, OfficeSupervisor as Os, TeamSupervisor as Ts, WorkerSelfCheck as Ws,
};

fn at(minute: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 1, 10)
        .and_then(|d| d.and_hms_opt(14 + minute / 60, minute % 60, 0))
        .expect("test time")
}

fn signature(points: usize, minute: u32) -> Signature {
    let stroke = Stroke(
        (0..points)
            .map(|i| Point {
                x: i as i32 * 10,
                y: 5,
                t_ms: i as u32 * 20,
                p: 0,
            })
            .collect(),
    );
    Signature {
        signer: "王女士".into(),
        strokes: vec![stroke],
        signed_at: at(minute),
        anchor_ms: None,
    }
}

fn role_of(step: AcceptanceStep) -> Role {
    match step {
        Ws => Role::Worker,
        Ts => Role::TeamSupervisor,
        Os => Role::OfficeSupervisor,
        Cu => Role::Customer,
    }
}

fn verdict(step: AcceptanceStep, minute: u32) -> Verdict {
    Verdict {
        step,
        actor: Actor {
            id: format!("{step:?}"),
            role: role_of(step),
        },
        at: at(minute),
        failed_items: vec![],
        remarks: String::new(),
        satisfaction: None,
        signature: None,
    }
}

fn pass(step: AcceptanceStep, minute: u32) -> Action {
    Action::Pass(verdict(step, minute))
}

fn fail(step: AcceptanceStep, minute: u32, items: &[&str]) -> Action {
    Action::Fail(Verdict {
        failed_items: items.iter().map(|s| s.to_string()).collect(),
        ..verdict(step, minute)
    })
}

fn customer_pass(minute: u32, score: u8) -> Action {
    Action::Pass(Verdict {
        satisfaction: Some(score),
        signature: Some(signature(3, minute)),
        ..verdict(Cu, minute)
    })
}

fn rework_done(minute: u32, items: &[&str]) -> Action {
    Action::ReworkDone {
        actor: Actor {
            id: "W007".into(),
            role: Role::Worker,
        },
        at: at(minute),
        items: items.iter().map(|s| s.to_string()).collect(),
        note: String::new(),
    }
}

fn awaiting(round: u32, step: AcceptanceStep) -> Result<Stage, AcceptanceError> {
    Ok(Stage::Awaiting { round, step })
}

fn rework(round: u32) -> Result<Stage, AcceptanceError> {
    Ok(Stage::Rework { round })
}

fn accepted(round: u32) -> Result<Stage, AcceptanceError> {
    Ok(Stage::Accepted { round })
}

/// Applies each action to a fresh acceptance under `rules`, expecting each result; a
/// refused action must leave the state unchanged. Returns the final state.
fn check(rules: &Rules, steps: Vec<(Action, Result<Stage, AcceptanceError>)>) -> Acceptance {
    let mut a = Acceptance::start(JobId::new("J1"), rules).expect("start");
    assert_eq!(
        a.stage(),
        Stage::Awaiting {
            round: 1,
            step: rules.acceptance_order[0]
        }
    );
    for (n, (action, want)) in steps.into_iter().enumerate() {
        let before = a.clone();
        let got = a.apply(action);
        assert_eq!(got, want, "action {n}");
        if got.is_err() {
            assert_eq!(a, before, "action {n} changed the state");
        }
        assert_eq!(
            a.validate(),
            Ok(()),
            "action {n} left an inconsistent state"
        );
        let json = serde_json::to_string(&a).expect("json");
        assert_eq!(serde_json::from_str::<Acceptance>(&json).expect("back"), a);
    }
    a
}

fn full_pass(start: u32, round: u32) -> Vec<(Action, Result<Stage, AcceptanceError>)> {
    vec![
        (pass(Ws, start), awaiting(round, Ts)),
        (pass(Ts, start + 1), awaiting(round, Os)),
        (pass(Os, start + 2), awaiting(round, Cu)),
        (customer_pass(start + 3, 5), accepted(round)),
    ]
}

#[test]
fn first_round_pass() {
    let a = check(&Rules::default(), full_pass(0, 1));
    assert!(a.is_accepted());
    assert_eq!(a.job_status(), JobStatus::Completed);
    assert_eq!(a.rounds().len(), 1);
    assert_eq!(a.acceptance_time(1), Some(at(0)));
    assert_eq!(a.second_acceptance_time(), None);
    let v = a.final_customer_verdict().unwrap();
    assert_eq!(v.satisfaction, Some(5));
    assert_eq!(v.signature.as_ref().unwrap().signer, "王女士");
}

#[test]
fn customer_fail_rework_second_round_pass_records_its_time() {
    let steps = vec![
        (pass(Ws, 0), awaiting(1, Ts)),
        (pass(Ts, 1), awaiting(1, Os)),
        (pass(Os, 2), awaiting(1, Cu)),
        (
            Action::Fail(Verdict {
                failed_items: vec!["厨房油烟机".into()],
                remarks: "油污未清净".into(),
                satisfaction: Some(2),
                ..verdict(Cu, 3)
            }),
            rework(1),
        ),
        // Nothing moves while in rework.
        (pass(Ws, 4), Err(AcceptanceError::InRework { round: 1 })),
        // The customer accepts again, with no new chain of sign-offs before.
        (rework_done(40, &["厨房油烟机"]), awaiting(2, Cu)),
        (customer_pass(45, 5), accepted(2)),
    ];
    let a = check(&Rules::default(), steps);
    assert_eq!(a.rounds().len(), 2);
    assert_eq!(a.second_acceptance_time(), Some(at(45)));
    let r1 = a.round(1).unwrap();
    assert!(r1.failed());
    assert_eq!(r1.failed_items(), ["厨房油烟机"]);
    let last = r1.steps.last().unwrap();
    assert_eq!(last.outcome, Outcome::Fail);
    assert_eq!(last.verdict.remarks, "油污未清净");
    assert_eq!(last.verdict.satisfaction, Some(2));
    assert_eq!(r1.rework.as_ref().unwrap().done_at, at(40));
    assert_eq!(r1.rework.as_ref().unwrap().items, ["厨房油烟机"]);
    assert_eq!(a.round(2).unwrap().steps.len(), 1);
    assert_eq!(a.final_customer_verdict().unwrap().satisfaction, Some(5));
}

fn customer_fail(minute: u32, items: &[&str]) -> Action {
    Action::Fail(Verdict {
        satisfaction: Some(2),
        signature: Some(signature(3, minute)),
        ..match fail(Cu, minute, items) {
            Action::Fail(v) => v,
            _ => unreachable!(),
        }
    })
}

/// A rework round: `(name, recheck_after_rework, order (None: the default), actions with
/// their expected results, the expected second acceptance time)`.
type ReworkCase = (
    &'static str,
    bool,
    Option<Vec<AcceptanceStep>>,
    Vec<(Action, Result<Stage, AcceptanceError>)>,
    Option<NaiveDateTime>,
);

#[test]
fn after_rework_the_customer_accepts_again_unless_the_rules_ask_for_a_recheck() {
    let staff_ok = || {
        vec![
            (pass(Ws, 0), awaiting(1, Ts)),
            (pass(Ts, 1), awaiting(1, Os)),
            (pass(Os, 2), awaiting(1, Cu)),
        ]
    };
    let then = |mut head: Vec<(Action, Result<Stage, AcceptanceError>)>,
                tail: Vec<(Action, Result<Stage, AcceptanceError>)>| {
        head.extend(tail);
        head
    };
    let cases: Vec<ReworkCase> = vec![
        (
            "default: the worker marks every failed item, then only the customer signs again",
            false,
            None,
            then(
                staff_ok(),
                vec![
                    (customer_fail(3, &["油烟机", "窗台"]), rework(1)),
                    (
                        rework_done(30, &["油烟机"]),
                        Err(AcceptanceError::ReworkItemsMissing {
                            items: vec!["窗台".into()],
                        }),
                    ),
                    (
                        rework_done(30, &["油烟机", "窗台", "阳台"]),
                        Err(AcceptanceError::NotAFailedItem {
                            item: "阳台".into(),
                        }),
                    ),
                    // Spaces around an item and blank entries do not matter.
                    (rework_done(30, &[" 窗台 ", "油烟机", ""]), awaiting(2, Cu)),
                    (
                        pass(Ws, 31),
                        Err(AcceptanceError::WrongStep {
                            expected: Cu,
                            got: Ws,
                        }),
                    ),
                    (
                        Action::Pass(Verdict {
                            satisfaction: Some(4),
                            ..verdict(Cu, 32)
                        }),
                        Err(AcceptanceError::MissingSignature),
                    ),
                    (customer_pass(33, 4), accepted(2)),
                ],
            ),
            Some(at(33)),
        ),
        (
            "default: repeated until the customer is satisfied; the second acceptance is the second verdict",
            false,
            None,
            then(
                staff_ok(),
                vec![
                    (customer_fail(3, &["油烟机"]), rework(1)),
                    (rework_done(20, &["油烟机"]), awaiting(2, Cu)),
                    (customer_fail(25, &["灶台"]), rework(2)),
                    (rework_done(40, &["灶台"]), awaiting(3, Cu)),
                    (customer_pass(45, 5), accepted(3)),
                ],
            ),
            Some(at(25)),
        ),
        (
            "recheck_after_rework: the whole chain signs off again before the customer",
            true,
            None,
            then(
                staff_ok(),
                vec![
                    (customer_fail(3, &["油烟机"]), rework(1)),
                    (rework_done(20, &["油烟机"]), awaiting(2, Ws)),
                    (
                        customer_pass(21, 5),
                        Err(AcceptanceError::WrongStep {
                            expected: Ws,
                            got: Cu,
                        }),
                    ),
                    (pass(Ws, 21), awaiting(2, Ts)),
                    (pass(Ts, 22), awaiting(2, Os)),
                    (pass(Os, 23), awaiting(2, Cu)),
                    (customer_pass(24, 5), accepted(2)),
                ],
            ),
            Some(at(24)),
        ),
        (
            "a staff fail restarts from the first step; a later customer fail goes to the customer alone",
            false,
            None,
            vec![
                (pass(Ws, 0), awaiting(1, Ts)),
                (fail(Ts, 1, &["地面"]), rework(1)),
                (rework_done(10, &["地面"]), awaiting(2, Ws)),
                (pass(Ws, 11), awaiting(2, Ts)),
                (pass(Ts, 12), awaiting(2, Os)),
                (pass(Os, 13), awaiting(2, Cu)),
                (customer_fail(14, &["镜子"]), rework(2)),
                (rework_done(30, &["镜子"]), awaiting(3, Cu)),
                (customer_pass(31, 5), accepted(3)),
            ],
            Some(at(31)),
        ),
        (
            "a shorter order with recheck: self-check, then the customer again",
            true,
            Some(vec![Ws, Cu]),
            vec![
                (pass(Ws, 0), awaiting(1, Cu)),
                (customer_fail(1, &["窗户"]), rework(1)),
                (rework_done(10, &["窗户"]), awaiting(2, Ws)),
                (pass(Ws, 11), awaiting(2, Cu)),
                (customer_pass(12, 3), accepted(2)),
            ],
            Some(at(12)),
        ),
        (
            "not accepted yet: the customer has judged once",
            false,
            None,
            then(
                staff_ok(),
                vec![
                    (customer_fail(3, &["油烟机"]), rework(1)),
                    (rework_done(20, &["油烟机"]), awaiting(2, Cu)),
                ],
            ),
            None,
        ),
    ];
    for (name, recheck, order, steps, second) in cases {
        println!("case: {name}");
        let mut rules = Rules {
            recheck_after_rework: recheck,
            ..Rules::default()
        };
        if let Some(order) = order {
            rules.acceptance_order = order;
        }
        let a = check(&rules, steps);
        assert_eq!(a.second_acceptance_time(), second, "{name}");
        assert_eq!(a.recheck_after_rework(), recheck, "{name}");
        // Every reworked round lists exactly its failed items.
        for r in a
            .rounds()
            .iter()
            .filter(|r| r.failed() && r.rework.is_some())
        {
            let mut done: Vec<&str> = r
                .rework
                .as_ref()
                .unwrap()
                .items
                .iter()
                .map(|i| i.trim())
                .filter(|i| !i.is_empty())
                .collect();
            let mut failed: Vec<&str> = r.failed_items().iter().map(|i| i.as_str()).collect();
            done.sort_unstable();
            failed.sort_unstable();
            assert_eq!(done, failed, "{name}");
        }
    }
}

#[test]
fn job_status_follows_the_rework_round() {
    let mut a = Acceptance::start(JobId::new("J1"), &Rules::default()).unwrap();
    for action in [pass(Ws, 0), pass(Ts, 1), pass(Os, 2)] {
        a.apply(action).unwrap();
    }
    a.apply(customer_fail(3, &["油烟机"])).unwrap();
    assert_eq!(a.job_status(), JobStatus::Rework);
    a.apply(rework_done(20, &["油烟机"])).unwrap();
    assert_eq!(a.job_status(), JobStatus::Acceptance);
    assert_eq!(a.round_steps(1), [Cu]);
    assert_eq!(a.round_steps(0), [Ws, Ts, Os, Cu]);
    a.apply(customer_pass(21, 5)).unwrap();
    assert_eq!(a.job_status(), JobStatus::Completed);
    assert_eq!(a.final_customer_verdict().unwrap().at, at(21));
}

#[test]
fn supervisor_fail_restarts_from_the_first_step() {
    let mut steps = vec![
        (pass(Ws, 0), awaiting(1, Ts)),
        (fail(Ts, 1, &["玻璃有水印"]), rework(1)),
        (rework_done(20, &["玻璃有水印"]), awaiting(2, Ws)),
        (
            pass(Ts, 21),
            Err(AcceptanceError::WrongStep {
                expected: Ws,
                got: Ts,
            }),
        ),
        (pass(Ws, 22), awaiting(2, Ts)),
        (fail(Ts, 23, &["地面"]), rework(2)),
        (rework_done(30, &["地面"]), awaiting(3, Ws)),
    ];
    steps.extend(full_pass(31, 3));
    let a = check(&Rules::default(), steps);
    assert_eq!(a.acceptance_time(2), Some(at(22)));
    // The customer judged once: there is no second (customer's) acceptance.
    assert_eq!(a.second_acceptance_time(), None);
    assert_eq!(a.acceptance_time(3), Some(at(31)));
    assert_eq!(
        a.rounds().iter().map(|r| r.number).collect::<Vec<_>>(),
        [1, 2, 3]
    );
}

#[test]
fn wrong_step_order_is_refused() {
    check(
        &Rules::default(),
        vec![
            (
                pass(Ts, 0),
                Err(AcceptanceError::WrongStep {
                    expected: Ws,
                    got: Ts,
                }),
            ),
            (
                customer_pass(0, 5),
                Err(AcceptanceError::WrongStep {
                    expected: Ws,
                    got: Cu,
                }),
            ),
            (pass(Ws, 1), awaiting(1, Ts)),
            (
                pass(Ws, 2),
                Err(AcceptanceError::WrongStep {
                    expected: Ts,
                    got: Ws,
                }),
            ),
        ],
    );
}

#[test]
fn step_after_completion_is_refused() {
    let mut steps = full_pass(0, 1);
    steps.push((pass(Ws, 10), Err(AcceptanceError::AlreadyAccepted)));
    steps.push((rework_done(11, &[]), Err(AcceptanceError::NotInRework)));
    check(&Rules::default(), steps);
}

#[test]
fn rework_done_without_a_fail_is_refused() {
    check(
        &Rules::default(),
        vec![(rework_done(0, &["x"]), Err(AcceptanceError::NotInRework))],
    );
}

#[test]
fn customer_pass_needs_signature_and_score() {
    let ready = || {
        vec![
            (pass(Ws, 0), awaiting(1, Ts)),
            (pass(Ts, 1), awaiting(1, Os)),
            (pass(Os, 2), awaiting(1, Cu)),
        ]
    };
    let cases: Vec<(Action, AcceptanceError)> = vec![
        (
            Action::Pass(Verdict {
                satisfaction: Some(5),
                ..verdict(Cu, 3)
            }),
            AcceptanceError::MissingSignature,
        ),
        (
            Action::Pass(Verdict {
                satisfaction: Some(5),
                signature: Some(signature(1, 3)),
                ..verdict(Cu, 3)
            }),
            AcceptanceError::BlankSignature,
        ),
        (
            Action::Pass(Verdict {
                satisfaction: Some(5),
                signature: Some(Signature {
                    signer: "x".into(),
                    strokes: vec![],
                    signed_at: at(3),
                    anchor_ms: None,
                }),
                ..verdict(Cu, 3)
            }),
            AcceptanceError::BlankSignature,
        ),
        (
            Action::Pass(Verdict {
                signature: Some(signature(3, 3)),
                ..verdict(Cu, 3)
            }),
            AcceptanceError::MissingScore,
        ),
        (
            customer_pass(3, 0),
            AcceptanceError::ScoreOutOfRange { score: 0, max: 5 },
        ),
        (
            customer_pass(3, 6),
            AcceptanceError::ScoreOutOfRange { score: 6, max: 5 },
        ),
    ];
    for (action, err) in cases {
        let mut steps = ready();
        steps.push((action, Err(err)));
        steps.push((customer_pass(4, 1), accepted(1)));
        check(&Rules::default(), steps);
    }
}

#[test]
fn satisfaction_scale_comes_from_rules() {
    let rules = Rules {
        satisfaction_max: 10,
        ..Rules::default()
    };
    let mut steps = full_pass(0, 1);
    steps[3] = (
        customer_pass(3, 11),
        Err(AcceptanceError::ScoreOutOfRange { score: 11, max: 10 }),
    );
    steps.push((customer_pass(4, 10), accepted(1)));
    check(&rules, steps);
}

#[test]
fn customer_fail_score_is_checked_and_optional() {
    let ready = || {
        vec![
            (pass(Ws, 0), awaiting(1, Ts)),
            (pass(Ts, 1), awaiting(1, Os)),
            (pass(Os, 2), awaiting(1, Cu)),
        ]
    };
    let mut steps = ready();
    steps.push((
        Action::Fail(Verdict {
            failed_items: vec!["窗台".into()],
            satisfaction: Some(9),
            ..verdict(Cu, 3)
        }),
        Err(AcceptanceError::ScoreOutOfRange { score: 9, max: 5 }),
    ));
    steps.push((fail(Cu, 3, &["窗台"]), rework(1)));
    let a = check(&Rules::default(), steps);
    assert_eq!(
        a.round(1)
            .unwrap()
            .steps
            .last()
            .unwrap()
            .verdict
            .satisfaction,
        None
    );
    assert_eq!(a.job_status(), JobStatus::Rework);
}

#[test]
fn fail_needs_items_and_pass_has_none() {
    check(
        &Rules::default(),
        vec![
            (fail(Ws, 0, &[]), Err(AcceptanceError::FailWithoutItems)),
            (fail(Ws, 0, &["  "]), Err(AcceptanceError::FailWithoutItems)),
            (
                Action::Pass(Verdict {
                    failed_items: vec!["x".into()],
                    ..verdict(Ws, 0)
                }),
                Err(AcceptanceError::PassWithFailedItems),
            ),
            (fail(Ws, 0, &["卫生间"]), rework(1)),
        ],
    );
}

#[test]
fn wrong_role_is_refused() {
    let as_role = |step, role, minute| {
        Action::Pass(Verdict {
            actor: Actor {
                id: "x".into(),
                role,
            },
            ..verdict(step, minute)
        })
    };
    check(
        &Rules::default(),
        vec![
            (
                as_role(Ws, Role::Customer, 0),
                Err(AcceptanceError::WrongRole {
                    step: Ws,
                    role: Role::Customer,
                }),
            ),
            (as_role(Ws, Role::TeamLeader, 0), awaiting(1, Ts)),
            (
                as_role(Ts, Role::Worker, 1),
                Err(AcceptanceError::WrongRole {
                    step: Ts,
                    role: Role::Worker,
                }),
            ),
            (as_role(Ts, Role::TeamSupervisor, 1), awaiting(1, Os)),
            (
                as_role(Os, Role::TeamSupervisor, 2),
                Err(AcceptanceError::WrongRole {
                    step: Os,
                    role: Role::TeamSupervisor,
                }),
            ),
            (as_role(Os, Role::OfficeSupervisor, 2), awaiting(1, Cu)),
            (
                Action::Pass(Verdict {
                    actor: Actor {
                        id: "W1".into(),
                        role: Role::Worker,
                    },
                    ..match customer_pass(3, 5) {
                        Action::Pass(v) => v,
                        _ => unreachable!(),
                    }
                }),
                Err(AcceptanceError::WrongRole {
                    step: Cu,
                    role: Role::Worker,
                }),
            ),
            (fail(Cu, 3, &["阳台"]), rework(1)),
            (
                Action::ReworkDone {
                    actor: Actor {
                        id: "S".into(),
                        role: Role::TeamSupervisor,
                    },
                    at: at(9),
                    items: vec!["阳台".into()],
                    note: String::new(),
                },
                Err(AcceptanceError::WrongReworkRole {
                    role: Role::TeamSupervisor,
                }),
            ),
            (rework_done(9, &["阳台"]), awaiting(2, Cu)),
        ],
    );
}

#[test]
fn only_the_customer_scores() {
    check(
        &Rules::default(),
        vec![
            (
                Action::Pass(Verdict {
                    satisfaction: Some(5),
                    ..verdict(Ws, 0)
                }),
                Err(AcceptanceError::ScoreNotExpected { step: Ws }),
            ),
            (pass(Ws, 0), awaiting(1, Ts)),
        ],
    );
}

#[test]
fn time_cannot_go_backwards() {
    check(
        &Rules::default(),
        vec![
            (pass(Ws, 10), awaiting(1, Ts)),
            (
                pass(Ts, 9),
                Err(AcceptanceError::TimeWentBackwards {
                    last: at(10),
                    at: at(9),
                }),
            ),
            (fail(Ts, 10, &["x"]), rework(1)),
            (
                rework_done(5, &["x"]),
                Err(AcceptanceError::TimeWentBackwards {
                    last: at(10),
                    at: at(5),
                }),
            ),
            (rework_done(30, &["x"]), awaiting(2, Ws)),
            (
                pass(Ws, 20),
                Err(AcceptanceError::TimeWentBackwards {
                    last: at(30),
                    at: at(20),
                }),
            ),
        ],
    );
}

#[test]
fn custom_order_from_rules() {
    let rules = Rules {
        acceptance_order: vec![Ws, Cu],
        ..Rules::default()
    };
    let a = check(
        &rules,
        vec![
            (pass(Ws, 0), awaiting(1, Cu)),
            (
                pass(Ts, 1),
                Err(AcceptanceError::WrongStep {
                    expected: Cu,
                    got: Ts,
                }),
            ),
            (customer_pass(1, 4), accepted(1)),
        ],
    );
    assert_eq!(a.order(), [Ws, Cu]);
}

#[test]
fn broken_rules_are_refused_at_start() {
    let start = |rules: Rules| Acceptance::start(JobId::new("J"), &rules).unwrap_err();
    assert_eq!(
        start(Rules {
            acceptance_order: vec![],
            ..Rules::default()
        }),
        AcceptanceError::EmptyOrder
    );
    assert_eq!(
        start(Rules {
            acceptance_order: vec![Ws, Ts, Ws],
            ..Rules::default()
        }),
        AcceptanceError::DuplicateStep { step: Ws }
    );
    assert_eq!(
        start(Rules {
            satisfaction_max: 0,
            ..Rules::default()
        }),
        AcceptanceError::NoSatisfactionScale
    );
}

#[test]
fn tampered_state_is_detected() {
    let a = check(&Rules::default(), full_pass(0, 1));
    let mut json: serde_json::Value = serde_json::to_value(&a).unwrap();
    json["rounds"][0]["steps"][1]["step"] = serde_json::json!("office_supervisor");
    let bad: Acceptance = serde_json::from_value(json).unwrap();
    assert!(matches!(
        bad.validate(),
        Err(AcceptanceError::Inconsistent(_))
    ));
    // A customer-only second round under rules that asked for a recheck.
    let mut reworked = Acceptance::start(JobId::new("J1"), &Rules::default()).unwrap();
    for action in [
        pass(Ws, 0),
        pass(Ts, 1),
        pass(Os, 2),
        customer_fail(3, &["窗台"]),
        rework_done(9, &["窗台"]),
        customer_pass(10, 5),
    ] {
        reworked.apply(action).unwrap();
    }
    assert_eq!(reworked.validate(), Ok(()));
    let mut json: serde_json::Value = serde_json::to_value(&reworked).unwrap();
    json["recheck_after_rework"] = serde_json::json!(true);
    let bad: Acceptance = serde_json::from_value(json).unwrap();
    assert!(matches!(
        bad.validate(),
        Err(AcceptanceError::Inconsistent(_))
    ));
    // A rework that does not list the failed items.
    let mut json: serde_json::Value = serde_json::to_value(&reworked).unwrap();
    json["rounds"][0]["rework"]["items"] = serde_json::json!(["阳台"]);
    let bad: Acceptance = serde_json::from_value(json).unwrap();
    assert!(matches!(
        bad.validate(),
        Err(AcceptanceError::Inconsistent(_))
    ));
    let mut json: serde_json::Value = serde_json::to_value(&a).unwrap();
    json["rounds"] = serde_json::json!([]);
    let bad: Acceptance = serde_json::from_value(json).unwrap();
    assert!(matches!(
        bad.validate(),
        Err(AcceptanceError::Inconsistent(_))
    ));
}

#[test]
fn errors_explain_in_both_languages() {
    let e = AcceptanceError::WrongStep {
        expected: Ts,
        got: Cu,
    };
    assert_eq!(
        e.explain(Lang::Zh),
        "现在应进行保洁班主管验收，而不是客户验收"
    );
    assert_eq!(
        e.explain(Lang::En),
        "Now the team supervisor step is due, not the customer step"
    );
    assert_eq!(
        AcceptanceError::InRework { round: 2 }.explain(Lang::Zh),
        "第 2 次验收未通过：须先完成返工"
    );
    assert_eq!(
        AcceptanceError::ScoreOutOfRange { score: 7, max: 5 }.explain(Lang::Zh),
        "满意度 7 不在 1 到 5 之间"
    );
    let missing = AcceptanceError::ReworkItemsMissing {
        items: vec!["窗台".into(), "镜子".into()],
    };
    assert_eq!(
        missing.explain(Lang::Zh),
        "以下不合格项目尚未标记返工完成：窗台、镜子"
    );
    assert_eq!(
        missing.explain(Lang::En),
        "Failed items not marked reworked: 窗台, 镜子"
    );
}

#[test]
fn replay_skips_refused_actions_and_says_which() {
    use doorstep_core::acceptance::replay;
    let actions = vec![
        pass(Ws, 0),
        pass(Ws, 1), // recorded twice (two phones): refused, skipped
        pass(Ts, 2),
        pass(Os, 3),
        customer_fail(4, &["窗台"]),
        rework_done(9, &["窗台"]),
        customer_pass(10, 4),
    ];
    let (a, refused) = replay(JobId::new("J1"), &Rules::default(), actions).unwrap();
    assert!(a.is_accepted());
    assert_eq!(a.second_acceptance_time(), Some(at(10)));
    assert_eq!(
        refused.into_iter().map(|(_, e)| e).collect::<Vec<_>>(),
        [AcceptanceError::WrongStep {
            expected: Ts,
            got: Ws
        }]
    );
    let broken = Rules {
        acceptance_order: vec![],
        ..Rules::default()
    };
    assert_eq!(
        replay(JobId::new("J1"), &broken, vec![]).err(),
        Some(AcceptanceError::EmptyOrder)
    );
}

#[test]
fn every_sign_off_on_the_phone_is_signed() {
    use doorstep_core::acceptance::check_signed;
    let signed = |step, minute| {
        Action::Pass(Verdict {
            signature: Some(signature(2, minute)),
            ..verdict(step, minute)
        })
    };
    let cases: Vec<(&str, Action, Result<(), AcceptanceError>)> = vec![
        ("signed pass", signed(Ts, 1), Ok(())),
        (
            "unsigned pass",
            pass(Ts, 1),
            Err(AcceptanceError::MissingSignature),
        ),
        (
            "unsigned fail",
            fail(Os, 1, &["地面"]),
            Err(AcceptanceError::MissingSignature),
        ),
        (
            "a dot is blank",
            Action::Pass(Verdict {
                signature: Some(signature(1, 1)),
                ..verdict(Ws, 1)
            }),
            Err(AcceptanceError::BlankSignature),
        ),
        ("rework needs none", rework_done(3, &["x"]), Ok(())),
    ];
    for (name, action, expected) in cases {
        assert_eq!(check_signed(&action), expected, "{name}");
    }
}

#[test]
fn a_round_closes_on_a_fail_or_the_last_pass() {
    use doorstep_core::acceptance::closes_round;
    let mut a = Acceptance::start(JobId::new("J1"), &Rules::default()).unwrap();
    let mut closed = Vec::new();
    for action in [
        pass(Ws, 0),
        pass(Ts, 1),
        pass(Os, 2),
        customer_fail(3, &["窗台"]),
        rework_done(9, &["窗台"]),
        customer_pass(10, 5),
    ] {
        let stage = a.apply(action.clone()).unwrap();
        closed.push((
            closes_round(&action, stage),
            stage.round(),
            stage.awaiting(),
        ));
    }
    assert_eq!(
        closed,
        [
            (false, 1, Some(Ts)),
            (false, 1, Some(Os)),
            (false, 1, Some(Cu)),
            (true, 1, None),
            (false, 2, Some(Cu)),
            (true, 2, None),
        ]
    );
}
