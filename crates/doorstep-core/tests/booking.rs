#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use chrono::{NaiveDate, NaiveDateTime};
use doorstep_core::booking::{Booking, BookingAction, BookingError, BookingState, Decision};
use doorstep_core::model::{BookingSource, JobId};
use doorstep_core::{Explain, Lang};

use BookingSource::{CallCentre as Cc, Phone, WalkIn};
use BookingState::{Accepted, Declined, Received, WithCallCentre};

fn at(minute: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 1, 10)
        .and_then(|d| d.and_hms_opt(9 + minute / 60, minute % 60, 0))
        .expect("test time")
}

fn accept(minute: u32) -> BookingAction {
    BookingAction::Accept {
        by: "办公室-李".into(),
        at: at(minute),
    }
}

fn decline(minute: u32, reason: &str) -> BookingAction {
    BookingAction::Decline {
        by: "办公室-李".into(),
        at: at(minute),
        reason: reason.into(),
    }
}

fn ask(minute: u32, question: &str) -> BookingAction {
    BookingAction::AskCallCentre {
        by: "办公室-李".into(),
        at: at(minute),
        question: question.into(),
    }
}

fn answer(minute: u32, text: &str) -> BookingAction {
    BookingAction::Answer {
        by: "呼叫中心-王".into(),
        at: at(minute),
        answer: text.into(),
    }
}

/// Actions with the result each one must give.
type Steps = Vec<(BookingAction, Result<BookingState, BookingError>)>;

/// Receives an order from `source` at minute 0, applies each action expecting each result
/// (a refused action must leave the booking unchanged; every state must validate and
/// survive JSON). Returns the final booking.
fn check(source: BookingSource, steps: Steps) -> Booking {
    let mut b = Booking::receive(JobId::new("J1"), source, at(0));
    assert_eq!(b.state(), Received);
    for (n, (action, want)) in steps.into_iter().enumerate() {
        let before = b.clone();
        let got = b.apply(action);
        assert_eq!(got, want, "action {n}");
        if got.is_err() {
            assert_eq!(b, before, "refused action {n} changed the booking");
        }
        assert_eq!(
            b.validate(),
            Ok(()),
            "action {n} left an inconsistent booking"
        );
        let json = serde_json::to_string(&b).expect("json");
        assert_eq!(serde_json::from_str::<Booking>(&json).expect("back"), b);
    }
    b
}

#[test]
fn call_centre_orders_are_accepted_never_declined() {
    let cases: Vec<(&str, Steps)> = vec![
        ("accepted at once", vec![(accept(1), Ok(Accepted))]),
        (
            "a store trying to refuse is told to accept; accepting still works",
            vec![
                (
                    decline(1, "人手不够"),
                    Err(BookingError::CallCentreOrderMustBeAccepted),
                ),
                (
                    decline(1, ""),
                    Err(BookingError::CallCentreOrderMustBeAccepted),
                ),
                (accept(2), Ok(Accepted)),
            ],
        ),
        (
            "unclear details: the round trip to the call centre, twice, then accepted",
            vec![
                (ask(1, "  "), Err(BookingError::BlankQuestion)),
                (ask(1, "门牌号不全：几号楼几室？"), Ok(WithCallCentre)),
                // The store waits for the answer.
                (accept(2), Err(BookingError::WithCallCentre)),
                (ask(2, "电话号码？"), Err(BookingError::WithCallCentre)),
                (
                    decline(2, "信息不全"),
                    Err(BookingError::CallCentreOrderMustBeAccepted),
                ),
                (answer(5, ""), Err(BookingError::BlankAnswer)),
                (answer(5, "8 号楼 1202 室"), Ok(Received)),
                (answer(6, "再说一遍"), Err(BookingError::NoOpenQuestion)),
                (ask(7, "是否有宠物？"), Ok(WithCallCentre)),
                (answer(9, "有一只猫"), Ok(Received)),
                (accept(10), Ok(Accepted)),
            ],
        ),
        (
            "decided is final",
            vec![
                (accept(1), Ok(Accepted)),
                (
                    ask(2, "地址？"),
                    Err(BookingError::AlreadyDecided { state: Accepted }),
                ),
                (
                    answer(2, "x"),
                    Err(BookingError::AlreadyDecided { state: Accepted }),
                ),
                (
                    accept(3),
                    Err(BookingError::AlreadyDecided { state: Accepted }),
                ),
            ],
        ),
        (
            "time goes forward",
            vec![
                (ask(10, "楼层？"), Ok(WithCallCentre)),
                (
                    answer(9, "12 楼"),
                    Err(BookingError::TimeWentBackwards {
                        last: at(10),
                        at: at(9),
                    }),
                ),
                (answer(10, "12 楼"), Ok(Received)),
                (accept(10), Ok(Accepted)),
            ],
        ),
    ];
    for (name, steps) in cases {
        println!("case: {name}");
        let b = check(Cc, steps);
        assert_ne!(b.state(), Declined, "{name}");
    }
}

#[test]
fn other_orders_may_be_declined_with_a_reason() {
    for source in [Phone, WalkIn] {
        let b = check(
            source,
            vec![
                (decline(1, " "), Err(BookingError::BlankReason)),
                (
                    ask(1, "地址？"),
                    Err(BookingError::NotFromCallCentre { from: source }),
                ),
                (answer(1, "x"), Err(BookingError::NoOpenQuestion)),
                (decline(2, "该时段无空闲人员"), Ok(Declined)),
                (
                    accept(3),
                    Err(BookingError::AlreadyDecided { state: Declined }),
                ),
            ],
        );
        assert_eq!(
            b.decision(),
            Some(&Decision::Declined {
                by: "办公室-李".into(),
                at: at(2),
                reason: "该时段无空闲人员".into(),
            })
        );
        check(source, vec![(accept(1), Ok(Accepted))]);
    }
}

#[test]
fn the_round_trip_is_recorded() {
    let b = check(
        Cc,
        vec![
            (ask(1, "门牌号不全"), Ok(WithCallCentre)),
            (answer(5, "8 号楼 1202 室"), Ok(Received)),
            (accept(6), Ok(Accepted)),
        ],
    );
    let c = &b.clarifications()[0];
    assert_eq!(b.clarifications().len(), 1);
    assert_eq!(c.question, "门牌号不全");
    assert_eq!(c.asked_at, at(1));
    let a = c.answer.as_ref().unwrap();
    assert_eq!(
        (a.by.as_str(), a.at, a.text.as_str()),
        ("呼叫中心-王", at(5), "8 号楼 1202 室")
    );
    assert_eq!(b.open_question(), None);
    assert_eq!(b.source(), Cc);
    assert_eq!(b.received_at(), at(0));
    assert_eq!(b.job().as_str(), "J1");
}

#[test]
fn tampered_bookings_are_detected() {
    let declined_phone = check(Phone, vec![(decline(1, "无人"), Ok(Declined))]);
    let mut json = serde_json::to_value(&declined_phone).unwrap();
    json["source"] = serde_json::json!("call_centre");
    let bad: Booking = serde_json::from_value(json).unwrap();
    assert!(matches!(bad.validate(), Err(BookingError::Inconsistent(_))));

    let asked = check(Cc, vec![(ask(1, "地址？"), Ok(WithCallCentre))]);
    let mut json = serde_json::to_value(&asked).unwrap();
    json["decision"] =
        serde_json::json!({"decision": "accepted", "by": "x", "at": "2026-01-10T09:05:00"});
    let bad: Booking = serde_json::from_value(json).unwrap();
    assert_eq!(bad.state(), Accepted);
    assert!(matches!(bad.validate(), Err(BookingError::Inconsistent(_))));

    let mut json = serde_json::to_value(&asked).unwrap();
    json["source"] = serde_json::json!("walk_in");
    let bad: Booking = serde_json::from_value(json).unwrap();
    assert!(matches!(bad.validate(), Err(BookingError::Inconsistent(_))));
}

#[test]
fn errors_and_states_explain_in_both_languages() {
    let e = BookingError::CallCentreOrderMustBeAccepted;
    assert_eq!(
        e.explain(Lang::Zh),
        "呼叫中心的订单门店必须接单，不能拒绝；客户信息不清楚时请退回呼叫中心确认"
    );
    assert_eq!(
        e.explain(Lang::En),
        "An order from the call centre must be accepted, not declined; if the customer's details are unclear, send it back to the call centre with your question"
    );
    assert_eq!(
        BookingError::NotFromCallCentre { from: WalkIn }.explain(Lang::Zh),
        "只有呼叫中心的订单才能退回呼叫中心（此单来源：到店）"
    );
    assert_eq!(
        BookingError::AlreadyDecided { state: Declined }.explain(Lang::En),
        "The order is already declined by the store"
    );
    assert_eq!(WithCallCentre.explain(Lang::Zh), "已退回呼叫中心确认");
    // Actions and errors are plain JSON for the app and the sync server.
    let action: BookingAction = serde_json::from_str(
        r#"{"action":"ask_call_centre","by":"S1","at":"2026-01-10T09:01:00","question":"地址？"}"#,
    )
    .unwrap();
    assert_eq!(
        action,
        BookingAction::AskCallCentre {
            by: "S1".into(),
            at: at(1),
            question: "地址？".into(),
        }
    );
    assert_eq!(
        serde_json::to_value(&BookingError::CallCentreOrderMustBeAccepted).unwrap(),
        serde_json::json!({"error": "call_centre_order_must_be_accepted"})
    );
}
