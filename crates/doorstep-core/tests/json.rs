#![cfg(not(target_arch = "wasm32"))]
//! `json::FromJson` decodes exactly as the serde derives: same values for every document,
//! same verdict and same message for documents with one fault (a field removed, a value of
//! the wrong type, a struct written as an array, unknown fields).

use chrono::{DateTime, NaiveDateTime};
use doorstep_core::json::FromJson;
use doorstep_core::model::{
    Address, Assignment, BookingSource, Confirmation, Customer, CustomerId, Job, JobDoc, JobId, JobStatus, ServiceLine, Shift, Skill, StoreId,
    TimeWindow, Worker, WorkerId, Zone,
};
use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Map, Value};
use std::fmt::Debug;

fn text() -> impl Strategy<Value = String> {
    prop_oneof![any::<String>(), "[a-z0-9 ]{0,8}"]
}

fn time() -> impl Strategy<Value = NaiveDateTime> {
    (946_684_800i64..4_102_444_800, prop_oneof![Just(0u32), 0u32..1_000_000_000])
        .prop_map(|(s, n)| DateTime::from_timestamp(s, n).map(|d| d.naive_utc()).unwrap_or_default())
}

fn status() -> impl Strategy<Value = JobStatus> {
    prop_oneof![
        Just(JobStatus::Booked),
        Just(JobStatus::Assigned),
        Just(JobStatus::Confirmed),
        Just(JobStatus::InProgress),
        Just(JobStatus::Acceptance),
        Just(JobStatus::Rework),
        Just(JobStatus::Completed),
        Just(JobStatus::Cancelled),
    ]
}

fn source() -> impl Strategy<Value = BookingSource> {
    prop_oneof![Just(BookingSource::CallCentre), Just(BookingSource::WalkIn), Just(BookingSource::Phone)]
}

prop_compose! {
    fn job()(
        ids in (text(), text(), text(), text()),
        items in vec((text(), any::<u32>()), 0..3),
        skills in vec(text(), 0..3),
        crew_size in any::<u8>(),
        window in (time(), time()),
        duration_minutes in any::<u32>(),
        urgent in any::<bool>(),
        status in status(),
        source in source(),
        special_requests in text(),
    ) -> Job {
        Job {
            id: JobId(ids.0),
            store: StoreId(ids.1),
            customer: CustomerId(ids.2),
            items: items.into_iter().map(|(code, quantity)| ServiceLine { code, quantity }).collect(),
            skills: skills.into_iter().map(Skill).collect(),
            crew_size,
            window: TimeWindow { start: window.0, end: window.1 },
            duration_minutes,
            zone: Zone(ids.3),
            urgent,
            status,
            source,
            special_requests,
        }
    }
}

prop_compose! {
    fn job_doc()(
        job in job(),
        assignment in option::of((text(), vec(text(), 0..3), text(), time(), time())),
        confirmation in option::of((time(), text(), text())),
    ) -> JobDoc {
        JobDoc {
            job,
            assignment: assignment.map(|(job, workers, leader, start, end)| Assignment {
                job: JobId(job),
                workers: workers.into_iter().map(WorkerId).collect(),
                leader: WorkerId(leader),
                start,
                end,
            }),
            confirmation: confirmation.map(|(at, by, note)| Confirmation { at, by: WorkerId(by), note }),
        }
    }
}

prop_compose! {
    fn worker()(
        s in (text(), text(), text(), text()),
        skills in vec(text(), 0..3),
        leader in any::<bool>(),
        shifts in vec((time(), time()), 0..3),
        home_zone in option::of(text()),
    ) -> Worker {
        Worker {
            badge: WorkerId(s.0),
            name: s.1,
            phone: s.2,
            store: StoreId(s.3),
            skills: skills.into_iter().map(Skill).collect(),
            leader,
            shifts: shifts.into_iter().map(|(start, end)| Shift { start, end }).collect(),
            home_zone: home_zone.map(Zone),
        }
    }
}

prop_compose! {
    fn customer()(s in (text(), text(), text(), text(), text(), text(), text())) -> Customer {
        Customer {
            id: CustomerId(s.0),
            store: StoreId(s.1),
            name: s.2,
            phone: s.3,
            address: Address { district: s.4, detail: s.5 },
            notes: s.6,
        }
    }
}

/// Both decoders on the same value: the same value or the same message.
fn same<T: FromJson + DeserializeOwned + PartialEq + Debug>(v: &Value) {
    let ours = T::from_json(v.clone()).map_err(|e| e.to_string());
    let serde = serde_json::from_value::<T>(v.clone()).map_err(|e| e.to_string());
    assert_eq!(ours, serde, "document {v}");
}

fn round_trip<T: FromJson + Serialize + PartialEq + Debug>(x: &T) {
    let v = serde_json::to_value(x).expect("to_value");
    assert_eq!(&T::from_json(v).expect("decodes"), x);
}

/// Declared field order of each struct, by a key only it has (for writing it as an array).
fn declared(m: &Map<String, Value>) -> Option<&'static [&'static str]> {
    const ORDERS: &[&[&str]] = &[
        &["job", "assignment", "confirmation"],
        &["id", "store", "customer", "items", "skills", "crew_size", "window", "duration_minutes", "zone", "urgent", "status", "source", "special_requests"],
        &["job", "workers", "leader", "start", "end"],
        &["at", "by", "note"],
        &["code", "quantity"],
        &["badge", "name", "phone", "store", "skills", "leader", "shifts", "home_zone"],
        &["id", "store", "name", "phone", "address", "notes"],
        &["district", "detail"],
        &["start", "end"],
    ];
    ORDERS.iter().copied().find(|order| m.keys().all(|k| order.contains(&k.as_str())) && order.iter().any(|k| m.contains_key(*k)))
}

/// Every path to an object or array node in `v`, depth first.
fn paths(v: &Value, at: &mut Vec<Vec<String>>, here: Vec<String>) {
    at.push(here.clone());
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                let mut p = here.clone();
                p.push(k.clone());
                paths(x, at, p);
            }
        }
        Value::Array(items) => {
            for (i, x) in items.iter().enumerate() {
                let mut p = here.clone();
                p.push(i.to_string());
                paths(x, at, p);
            }
        }
        _ => {}
    }
}

fn node<'a>(v: &'a mut Value, path: &[String]) -> Option<&'a mut Value> {
    path.iter().try_fold(v, |v, k| match v {
        Value::Object(m) => m.get_mut(k),
        Value::Array(items) => k.parse::<usize>().ok().and_then(|i| items.get_mut(i)),
        _ => None,
    })
}

/// One fault at one node: removed from its object, replaced, a struct written as an array
/// (whole, one short, one long), or an unknown key added.
fn mutate(mut v: Value, pick: usize, how: u8, with: &Value) -> Value {
    let mut all = Vec::new();
    paths(&v, &mut all, Vec::new());
    let path = all[pick % all.len()].clone();
    match how % 6 {
        0 => {
            if let Some((last, parent)) = path.split_last() {
                if let Some(Value::Object(m)) = node(&mut v, parent) {
                    m.remove(last);
                }
            }
        }
        1 => {
            if let Some(n) = node(&mut v, &path) {
                *n = with.clone();
            }
        }
        2..=4 => {
            if let Some(n) = node(&mut v, &path) {
                if let Value::Object(m) = n {
                    if let Some(order) = declared(m) {
                        let mut items: Vec<Value> = order.iter().map(|k| m.get(*k).cloned().unwrap_or(Value::Null)).collect();
                        if how % 6 == 3 {
                            items.pop();
                        } else if how % 6 == 4 {
                            items.push(with.clone());
                        }
                        *n = Value::Array(items);
                    }
                }
            }
        }
        _ => {
            if let Some(Value::Object(m)) = node(&mut v, &path) {
                m.insert("unknown_field".into(), with.clone());
            }
        }
    }
    v
}

fn replacement() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        (-1e9f64..1e9).prop_map(Value::from),
        text().prop_map(Value::from),
        Just(json!("2026-11-23T09:00:00")),
        Just(json!("assigned")),
        Just(json!([])),
        Just(json!({})),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn every_document_decodes_to_itself(d in job_doc(), w in worker(), c in customer()) {
        round_trip(&d);
        round_trip(&w);
        round_trip(&c);
    }

    #[test]
    fn a_job_with_one_fault_is_judged_alike(d in job_doc(), pick in any::<usize>(), how in any::<u8>(), with in replacement()) {
        same::<JobDoc>(&mutate(serde_json::to_value(&d).expect("json"), pick, how, &with));
    }

    #[test]
    fn a_worker_with_one_fault_is_judged_alike(w in worker(), pick in any::<usize>(), how in any::<u8>(), with in replacement()) {
        same::<Worker>(&mutate(serde_json::to_value(&w).expect("json"), pick, how, &with));
    }

    #[test]
    fn a_customer_with_one_fault_is_judged_alike(c in customer(), pick in any::<usize>(), how in any::<u8>(), with in replacement()) {
        same::<Customer>(&mutate(serde_json::to_value(&c).expect("json"), pick, how, &with));
    }
}

#[test]
fn defaults_and_options_follow_serde() {
    let job = json!({"id": "J", "store": "S", "customer": "C", "items": [], "skills": [], "crew_size": 1,
        "window": {"start": "2026-11-23T09:00:00", "end": "2026-11-23T10:00:00"}, "duration_minutes": 60, "zone": "Z"});
    for doc in [
        json!({"job": job}),
        json!({"job": job, "assignment": null, "confirmation": null}),
        json!([job, null]),
        json!([job, null, null]),
        json!([job]),
        json!([job, null, null, null]),
        json!({"job": job, "assignment": []}),
        json!("job"),
        json!(null),
    ] {
        same::<JobDoc>(&doc);
    }
    same::<Customer>(&json!({"id": "C", "store": "S", "name": "n", "phone": "p", "address": ["d", "x"]}));
    same::<Customer>(&json!({"id": "C", "store": "S", "name": "n", "phone": "p", "address": ["d"]}));
    same::<Worker>(&json!({"badge": "D", "name": "n", "phone": "p", "store": "S", "skills": [], "leader": true, "shifts": {}}));
    same::<Worker>(&json!({"badge": "D", "name": "n", "phone": "p", "store": "S", "skills": [], "leader": true, "shifts": [], "home_zone": null}));
}

#[test]
fn the_demo_documents_decode_alike() {
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).expect("date");
    for (id, body) in doorstep_core::demo::dataset(today).documents() {
        if id.starts_with("job:") {
            same::<JobDoc>(&body);
        } else if id.starts_with("worker:") {
            same::<Worker>(&body);
        } else {
            same::<Customer>(&body);
        }
    }
}
