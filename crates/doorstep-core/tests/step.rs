//! Steps and dispatch orders: who may record what, and what a worker's device holds.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use chrono::{NaiveDate, NaiveDateTime};
use doorstep_core::demo;
use doorstep_core::flow::Templates;
use doorstep_core::model::Money;
use doorstep_core::model::{JobId, JobStatus, WorkerId};
use doorstep_core::step::{
    check_step, day_before_call, photo_name, DamageReport, DispatchOrder, Step, StepError,
    StepKind, MAX_PHOTOS, TEXT_MAX_CHARS,
};
use doorstep_core::Rules;

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).expect("date")
}

fn now() -> NaiveDateTime {
    day().and_hms_opt(8, 0, 0).expect("time")
}

/// The demo order of `job` as `viewer`'s device holds it.
fn order(job: &str, viewer: &str) -> Option<DispatchOrder> {
    let data = demo::dataset(day());
    let docs = data.worker_documents(&WorkerId::new(viewer), now(), &Rules::default());
    docs.into_iter()
        .find(|(id, _)| id == &format!("order:{job}"))
        .map(|(_, v)| serde_json::from_value(v).expect("order"))
}

fn call(by: &str, at_min: u32) -> Step {
    Step {
        job: JobId::new("J-1004"),
        by: WorkerId::new(by),
        at: now() + chrono::Duration::minutes(i64::from(at_min)),
        step: StepKind::DayBeforeCall {
            note: String::new(),
        },
        corrects: None,
    }
}

/// One case: job, its status, the steps already there, who records, the note length → the answer.
fn check(
    job: &str,
    status: JobStatus,
    steps: &[Step],
    by: &str,
    note_len: usize,
    expected: Result<(), StepError>,
) {
    let mut o = order(job, "D001").expect("D001 is on the job");
    o.view.status = status;
    let kind = StepKind::DayBeforeCall {
        note: "好".repeat(note_len),
    };
    assert_eq!(
        check_step(&o, &Templates::default(), steps, &WorkerId::new(by), &kind),
        expected,
        "{job} by {by}"
    );
}

#[test]
fn who_may_record_the_day_before_call() {
    let j = || JobId::new("J-1004");
    check("J-1004", JobStatus::Assigned, &[], "D001", 10, Ok(()));
    check(
        "J-1004",
        JobStatus::Assigned,
        &[],
        "D001",
        TEXT_MAX_CHARS,
        Ok(()),
    );
    check(
        "J-1004",
        JobStatus::Assigned,
        &[],
        "D001",
        TEXT_MAX_CHARS + 1,
        Err(StepError::TooLong {
            len: TEXT_MAX_CHARS + 1,
            max: TEXT_MAX_CHARS,
        }),
    );
    check(
        "J-1004",
        JobStatus::Assigned,
        &[],
        "D002",
        0,
        Err(StepError::NotLeader {
            leader: WorkerId::new("D001"),
        }),
    );
    check(
        "J-1004",
        JobStatus::Assigned,
        &[],
        "D003",
        0,
        Err(StepError::NotInCrew {
            job: j(),
            by: WorkerId::new("D003"),
        }),
    );
    check(
        "J-1004",
        JobStatus::Completed,
        &[],
        "D001",
        0,
        Err(StepError::Closed(j())),
    );
    check(
        "J-1004",
        JobStatus::Cancelled,
        &[],
        "D001",
        0,
        Err(StepError::Closed(j())),
    );
    check(
        "J-1004",
        JobStatus::Assigned,
        &[call("D001", 5)],
        "D001",
        0,
        Err(StepError::AlreadyRecorded(j())),
    );
}

#[test]
fn the_earliest_call_counts() {
    let steps = [call("D001", 30), call("D001", 5)];
    assert_eq!(
        day_before_call(&steps).map(|s| s.at),
        Some(now() + chrono::Duration::minutes(5))
    );
    assert_eq!(day_before_call(&[]), None);
}

#[test]
fn a_device_holds_only_its_workers_projected_orders() {
    let data = demo::dataset(day());
    for w in &data.workers {
        let docs = data.worker_documents(&w.badge, now(), &Rules::default());
        let text = serde_json::to_string(&docs).expect("json");
        // No worker's phone number, ever.
        for other in &data.workers {
            assert!(
                !text.contains(&other.phone),
                "{} holds {}'s phone",
                w.badge,
                other.badge
            );
        }
        for (id, body) in &docs {
            let o: DispatchOrder = serde_json::from_value(body.clone()).expect("order");
            assert!(o.view.crew.contains(&w.badge), "{id} is not {}'s", w.badge);
            assert!(
                o.crew.iter().all(|m| m.name.is_some()),
                "{id}: every crew member named"
            );
        }
        // Customers of jobs not theirs: no name, phone or address.
        for j in data.jobs.iter().filter(|j| {
            !docs
                .iter()
                .any(|(id, _)| id == &format!("order:{}", j.id.as_str()))
        }) {
            let c = data
                .customers
                .iter()
                .find(|c| c.id == j.customer)
                .expect("customer");
            let theirs = docs
                .iter()
                .any(|(_, b)| b.to_string().contains(&c.address.detail));
            assert!(
                !theirs
                    || data.assignments.iter().any(|a| a.workers.contains(&w.badge)
                        && data
                            .jobs
                            .iter()
                            .any(|jj| jj.id == a.job && jj.customer == c.id)),
                "{} holds {}'s address",
                w.badge,
                c.id
            );
        }
    }
}

#[test]
fn contact_only_from_the_day_before() {
    // J-1007 is two days out: masked name, no contact. J-1004 is tomorrow: contact shown.
    let later = order("J-1007", "D001").expect("order");
    assert!(later.view.contact.is_none());
    assert_eq!(later.view.customer_masked, "赵**");
    let tomorrow = order("J-1004", "D001").expect("order");
    assert!(tomorrow
        .view
        .contact
        .as_ref()
        .is_some_and(|c| !c.address_detail.is_empty()));
    // Not this worker's job: no order at all.
    assert_eq!(order("J-1003", "D001"), None);
}

#[test]
fn a_step_names_what_was_done_with_its_details() {
    let s = call("D001", 0);
    let v = serde_json::to_value(&s).expect("json");
    assert_eq!(
        v,
        serde_json::json!({"job": "J-1004", "by": "D001", "at": "2026-11-23T08:00:00", "step": {"day_before_call": {"note": ""}}})
    );
    assert_eq!(serde_json::from_value::<Step>(v).expect("back"), s);
}

#[test]
fn a_recorded_call_shows_the_job_as_confirmed() {
    use doorstep_core::step::shown_status;
    let mut o = order("J-1004", "D001").expect("order");
    assert_eq!(shown_status(&o, &[]), JobStatus::Assigned);
    assert_eq!(shown_status(&o, &[call("D001", 1)]), JobStatus::Confirmed);
    o.view.status = JobStatus::Cancelled;
    assert_eq!(shown_status(&o, &[call("D001", 1)]), JobStatus::Cancelled);
}

/// The device store's index key of a document id and body → the key expected.
fn check_key(id: &str, body: serde_json::Value, expected: Option<&str>) {
    assert_eq!(
        doorstep_core::model::doc_id::index_key(id, &body).as_deref(),
        expected,
        "{id} {body}"
    );
}

#[test]
fn orders_are_indexed_by_their_start() {
    use serde_json::json;
    let o = order("J-1004", "D001").expect("order");
    let start = doorstep_core::iso::format_datetime(o.view.start).expect("start");
    let key = format!("order:{start}");
    check_key(
        "order:J-1004",
        serde_json::to_value(&o).expect("json"),
        Some(&key),
    );
    // Not an order: no key. An order whose start is missing or not the strict form: unplaced.
    check_key("step:J-1004:1", json!({"view": {"start": start}}), None);
    check_key("order:J-1", json!({"view": {}}), Some("order:!"));
    check_key(
        "order:J-1",
        json!({"view": {"start": "2026-12-02 08:00"}}),
        Some("order:!"),
    );
    check_key("order:J-1", json!([]), Some("order:!"));
    // A day range holds that day's orders and none of the next's; the unplaced key sorts first.
    let (lo, hi) = doorstep_core::model::doc_id::order_days(o.view.start.date(), 1);
    assert!(
        lo.as_str() <= key.as_str() && key.as_str() < hi.as_str(),
        "{lo} {key} {hi}"
    );
    let next = doorstep_core::model::doc_id::order_days(o.view.start.date(), 2).1;
    assert!(hi.as_str() < next.as_str() && "order:!" < lo.as_str());
}

fn damage(description: &str, value: i64, photos: &[&str]) -> StepKind {
    StepKind::Damage(DamageReport {
        description: description.to_owned(),
        value: Money(value),
        photos: photos.iter().map(|p| (*p).to_owned()).collect(),
    })
}

/// One case of a damage report: the job's status, who reports, what → the answer.
fn check_damage(status: JobStatus, by: &str, kind: StepKind, expected: Result<(), StepError>) {
    let mut o = order("J-1004", "D001").expect("D001 is on the job");
    o.view.status = status;
    assert_eq!(
        check_step(&o, &Templates::default(), &[], &WorkerId::new(by), &kind),
        expected,
        "{status:?} {by} {kind:?}"
    );
}

#[test]
fn damage_reports() {
    use JobStatus::{Assigned, Completed, InProgress};
    let ok = Ok(());
    check_damage(
        InProgress,
        "D001",
        damage("花瓶碰裂", 12_000, &[]),
        ok.clone(),
    );
    check_damage(
        Assigned,
        "D001",
        damage("猫抓坏工具包", 0, &["photo-1.jpg"]),
        ok.clone(),
    );
    let names: Vec<String> = (1..=MAX_PHOTOS).map(photo_name).collect();
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    check_damage(InProgress, "D001", damage("x", 1, &refs), ok.clone());
    let mut over = refs.clone();
    let extra = photo_name(MAX_PHOTOS + 1);
    over.push(&extra);
    check_damage(
        InProgress,
        "D001",
        damage("x", 1, &over),
        Err(StepError::TooManyPhotos {
            count: MAX_PHOTOS + 1,
            max: MAX_PHOTOS,
        }),
    );
    check_damage(
        InProgress,
        "D001",
        damage(" \n ", 1, &[]),
        Err(StepError::NoDescription),
    );
    check_damage(
        InProgress,
        "D001",
        damage(&"好".repeat(TEXT_MAX_CHARS + 1), 1, &[]),
        Err(StepError::TooLong {
            len: TEXT_MAX_CHARS + 1,
            max: TEXT_MAX_CHARS,
        }),
    );
    check_damage(
        InProgress,
        "D001",
        damage(&"好".repeat(TEXT_MAX_CHARS), 1, &[]),
        ok.clone(),
    );
    check_damage(
        InProgress,
        "D001",
        damage("x", -1, &[]),
        Err(StepError::NegativeValue),
    );
    check_damage(
        InProgress,
        "D001",
        damage("x", 0, &["photo-2.jpg"]),
        Err(StepError::PhotoName {
            index: 1,
            expected: "photo-1.jpg".into(),
        }),
    );
    check_damage(
        InProgress,
        "D001",
        damage("x", 0, &["photo-1.jpg", "photo-1.jpg"]),
        Err(StepError::PhotoName {
            index: 2,
            expected: "photo-2.jpg".into(),
        }),
    );
    check_damage(
        InProgress,
        "D003",
        damage("x", 0, &[]),
        Err(StepError::NotInCrew {
            job: JobId::new("J-1004"),
            by: WorkerId::new("D003"),
        }),
    );
    check_damage(
        Completed,
        "D001",
        damage("x", 0, &[]),
        Err(StepError::Closed(JobId::new("J-1004"))),
    );
    // Hostile text is kept as given.
    check_damage(
        InProgress,
        "D001",
        damage("<script>alert(1)</script>\u{202E}\u{200B}🙂", 0, &[]),
        ok,
    );
}

#[test]
fn a_damage_step_is_stored_with_its_photo_names() {
    let kind = damage("花瓶", 500, &["photo-1.jpg"]);
    let json = serde_json::to_value(&kind).expect("json");
    assert_eq!(
        json,
        serde_json::json!({"damage": {"description": "花瓶", "value": 500, "photos": ["photo-1.jpg"]}})
    );
    let back: StepKind = serde_json::from_value(json).expect("back");
    assert_eq!(back, kind);
}

/// A server database name (workers' and stores') → the name expected.
fn check_db(name: String, expected: &str) {
    assert_eq!(name, expected);
}

#[test]
fn server_databases_are_named_by_couchdb_rules() {
    use doorstep_core::model::{store_db, worker_db};
    check_db(worker_db("D001"), "doorstep-w-d001");
    check_db(worker_db("张 3/x"), "doorstep-w-__3_x");
    check_db(store_db("S01"), "doorstep-s01");
    check_db(store_db("S-02_a"), "doorstep-s-02_a");
}
