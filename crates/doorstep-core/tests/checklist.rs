#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use chrono::{NaiveDate, NaiveDateTime};
use doorstep_core::checklist::{
    can_request_signature, can_start_work, ChecklistError, ChecklistItem, ChecklistResults,
    ChecklistSet, Gate, GateRule, Phase, TemplateProblem,
};
use doorstep_core::model::WorkerId;
use doorstep_core::{Explain, Lang, Text};

fn at(minute: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 1, 10)
        .and_then(|d| d.and_hms_opt(9, minute, 0))
        .expect("test time")
}

const ARRIVAL: [&str; 6] = [
    "arr.recheck_appearance",
    "arr.knock",
    "arr.greet",
    "arr.show_badge",
    "arr.confirm_items",
    "arr.explain",
];

/// Ticks `ticked` on the default checklist, then expects each gate to be open (`None`) or
/// blocked with exactly these missing ids.
fn check(ticked: &[&str], start_missing: Option<&[&str]>, sign_missing: Option<&[&str]>) {
    let mut r = ChecklistResults::default();
    for (n, id) in ticked.iter().enumerate() {
        r.tick(id, at(n as u32), WorkerId::new("W007"))
            .expect("tick");
    }
    match (can_start_work(&r), start_missing) {
        (Ok(()), None) => {}
        (Err(b), Some(want)) => {
            assert_eq!(b.gate, Gate::StartWork);
            assert_eq!(b.missing_ids(), want);
        }
        (got, want) => panic!("start work: got {got:?}, want missing {want:?}"),
    }
    match (can_request_signature(&r), sign_missing) {
        (Ok(()), None) => {}
        (Err(b), Some(want)) => {
            assert_eq!(b.gate, Gate::RequestSignature);
            assert_eq!(b.missing_ids(), want);
        }
        (got, want) => panic!("signature: got {got:?}, want missing {want:?}"),
    }
}

const SIGN: [&str; 2] = ["after.remind_valuables", "after.show_toolbox"];

#[test]
fn nothing_ticked_blocks_both_gates() {
    check(&[], Some(&ARRIVAL), Some(&SIGN));
}

#[test]
fn all_arrival_items_open_start_work() {
    check(&ARRIVAL, None, Some(&SIGN));
}

#[test]
fn badge_not_shown_blocks_start_work() {
    let without_badge: Vec<&str> = ARRIVAL
        .iter()
        .copied()
        .filter(|i| *i != "arr.show_badge")
        .collect();
    check(&without_badge, Some(&["arr.show_badge"]), Some(&SIGN));
}

#[test]
fn pre_departure_and_conduct_items_do_not_open_start_work() {
    check(
        &["pre.uniform", "pre.toolbox", "svc.polite"],
        Some(&ARRIVAL),
        Some(&SIGN),
    );
}

#[test]
fn tools_shown_alone_does_not_open_signature() {
    check(
        &["after.show_toolbox"],
        Some(&ARRIVAL),
        Some(&["after.remind_valuables"]),
    );
}

#[test]
fn valuables_alone_does_not_open_signature() {
    check(
        &["after.remind_valuables"],
        Some(&ARRIVAL),
        Some(&["after.show_toolbox"]),
    );
}

#[test]
fn tools_shown_and_valuables_open_signature() {
    let mut all: Vec<&str> = ARRIVAL.to_vec();
    all.extend([
        "after.pack_tools",
        "after.show_toolbox",
        "after.remind_valuables",
    ]);
    check(&all, None, None);
}

#[test]
fn ticks_record_time_and_badge() {
    let mut r = ChecklistResults::default();
    r.tick("arr.knock", at(5), WorkerId::new("W001")).unwrap();
    let t = r.tick_of("arr.knock").unwrap();
    assert_eq!(t.at, at(5));
    assert_eq!(t.badge, WorkerId::new("W001"));
    assert!(r.is_ticked("arr.knock"));
    assert!(!r.is_ticked("arr.greet"));
}

#[test]
fn unknown_and_repeated_ticks_are_errors() {
    let mut r = ChecklistResults::default();
    assert_eq!(
        r.tick("arr.dance", at(0), WorkerId::new("W1")),
        Err(ChecklistError::UnknownItem {
            id: "arr.dance".into()
        })
    );
    r.tick("arr.knock", at(0), WorkerId::new("W1")).unwrap();
    let again = r.tick("arr.knock", at(1), WorkerId::new("W2"));
    assert_eq!(
        again,
        Err(ChecklistError::AlreadyTicked {
            id: "arr.knock".into()
        })
    );
    assert_eq!(
        again.unwrap_err().explain(Lang::Zh),
        "检查项 arr.knock 已勾选"
    );
    assert_eq!(r.ticks.len(), 1);
    assert_eq!(r.tick_of("arr.knock").unwrap().badge, WorkerId::new("W1"));
}

#[test]
fn gate_failure_explains_missing_items_in_both_languages() {
    let mut r = ChecklistResults::default();
    for id in ARRIVAL
        .iter()
        .filter(|i| **i != "arr.show_badge" && **i != "arr.explain")
    {
        r.tick(id, at(1), WorkerId::new("W1")).unwrap();
    }
    let b = can_start_work(&r).unwrap_err();
    assert_eq!(
        b.explain(Lang::Zh),
        "暂不能开始服务，尚未完成：说明身份并出示工牌；说明服务方法、预期效果和注意事项"
    );
    assert_eq!(
        b.explain(Lang::En),
        "Cannot start work yet; still missing: Stated identity and showed the badge; Explained method, expected result and precautions"
    );
    assert_eq!(b.to_string(), b.explain(Lang::En));
    let s = can_request_signature(&r).unwrap_err();
    assert_eq!(
        s.explain(Lang::Zh),
        "暂不能请客户签字，尚未完成：提醒客户检查贵重物品；向客户展示工具箱内物品"
    );
}

#[test]
fn default_set_covers_the_domain_checklists() {
    let set = ChecklistSet::default();
    assert!(set.validate().is_empty());
    let ids: Vec<&str> = set.items.iter().map(|i| i.id.as_str()).collect();
    for id in [
        "pre.uniform",
        "pre.grooming",
        "pre.shoes",
        "pre.no_alcohol",
        "pre.fit",
        "pre.toolbox",
        "pre.blank_record",
        "pre.price_list",
        "pre.leaflets",
        "pre.dispatch_order",
        "pre.on_time",
        "arr.show_badge",
        "svc.no_customer_phone",
        "svc.no_smoking",
        "svc.own_cup",
        "svc.no_tips",
        "svc.top_down",
        "svc.quiet",
        "after.remind_valuables",
        "after.show_toolbox",
        "after.exact_price",
        "after.customer_fills_record",
        "after.farewell",
    ] {
        assert!(ids.contains(&id), "{id}");
    }
    for phase in [
        Phase::PreDeparture,
        Phase::Arrival,
        Phase::InService,
        Phase::AfterService,
    ] {
        assert!(set.phase(phase).count() >= 6, "{phase:?}");
        assert!(!phase.label().zh.is_empty());
    }
    assert!(!set.item("pre.leaflets").unwrap().required);
    assert!(set.item("after.show_toolbox").unwrap().required);
    assert!(set
        .items
        .iter()
        .all(|i| !i.label.zh.is_empty() && !i.label.en.is_empty()));
    assert_eq!(
        set.item("arr.show_badge").unwrap().label.en,
        "Stated identity and showed the badge"
    );
}

#[test]
fn templates_load_from_json_and_drive_the_gates() {
    // A store's own template: start needs the pre-departure phase plus one named item.
    let json = r#"{
        "items": [
            {"id": "p.uniform", "phase": "pre_departure", "label": {"zh": "工作服", "en": "Uniform"}},
            {"id": "p.leaflets", "phase": "pre_departure", "label": {"zh": "宣传单", "en": "Leaflets"}, "required": false},
            {"id": "a.badge", "phase": "arrival", "label": {"zh": "出示工牌", "en": "Badge"}, "required": false},
            {"id": "x.tools", "phase": "after_service", "label": {"zh": "展示工具", "en": "Tools shown"}}
        ],
        "gates": [
            {"gate": "start_work", "phases": ["pre_departure"], "items": ["a.badge"]},
            {"gate": "request_signature", "items": ["x.tools"]}
        ]
    }"#;
    let set: ChecklistSet = serde_json::from_str(json).unwrap();
    assert!(set.validate().is_empty());
    let mut r = ChecklistResults::new(set);
    assert_eq!(
        can_start_work(&r).unwrap_err().missing_ids(),
        ["p.uniform", "a.badge"]
    );
    r.tick("p.uniform", at(0), WorkerId::new("W1")).unwrap();
    r.tick("a.badge", at(1), WorkerId::new("W1")).unwrap();
    assert_eq!(can_start_work(&r), Ok(()));
    assert_eq!(
        can_request_signature(&r).unwrap_err().missing_ids(),
        ["x.tools"]
    );
    r.tick("x.tools", at(2), WorkerId::new("W1")).unwrap();
    assert_eq!(can_request_signature(&r), Ok(()));

    // Round trip of results, template included.
    let back: ChecklistResults = serde_json::from_str(&serde_json::to_string(&r).unwrap()).unwrap();
    assert_eq!(back, r);
    let default = ChecklistSet::default();
    let back: ChecklistSet =
        serde_json::from_str(&serde_json::to_string(&default).unwrap()).unwrap();
    assert_eq!(back, default);
}

#[test]
fn a_gate_without_rules_is_open() {
    let set = ChecklistSet {
        items: vec![ChecklistItem {
            id: "a".into(),
            phase: Phase::Arrival,
            label: Text::new("甲", "A"),
            required: true,
        }],
        gates: vec![],
    };
    let r = ChecklistResults::new(set);
    assert_eq!(can_start_work(&r), Ok(()));
    assert_eq!(r.missing_required(Phase::Arrival).len(), 1);
}

#[test]
fn template_mistakes_are_reported() {
    let item = |id: &str| ChecklistItem {
        id: id.into(),
        phase: Phase::Arrival,
        label: Text::new("x", "x"),
        required: true,
    };
    let set = ChecklistSet {
        items: vec![item("a"), item("a"), item("b")],
        gates: vec![
            GateRule {
                gate: Gate::StartWork,
                phases: vec![],
                items: vec!["zzz".into()],
            },
            GateRule {
                gate: Gate::StartWork,
                phases: vec![Phase::Arrival],
                items: vec![],
            },
        ],
    };
    assert_eq!(
        set.validate(),
        vec![
            TemplateProblem::DuplicateItem { id: "a".into() },
            TemplateProblem::UnknownGateItem {
                gate: Gate::StartWork,
                id: "zzz".into()
            },
            TemplateProblem::DuplicateGate {
                gate: Gate::StartWork
            },
        ]
    );
}
