#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use doorstep_core::model::{
    Address, Assignment, Customer, CustomerId, Job, JobId, JobStatus, ServiceLine, StoreId,
    TimeWindow, Worker, WorkerId, Zone,
};
use doorstep_core::privacy::{
    for_customer, for_dispatcher, for_worker, local_time, mask_name, must_purge, purge_expired,
    worker_views, WorkerJobView,
};
use doorstep_core::Rules;

const PHONE: &str = "13812345678";
const DETAIL: &str = "世纪大道100号3栋1202室";

fn t(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").expect("test time")
}

fn customer(id: &str, store: &str, name: &str, phone: &str, detail: &str) -> Customer {
    Customer {
        id: CustomerId::new(id),
        store: StoreId::new(store),
        name: name.into(),
        phone: phone.into(),
        address: Address {
            district: "浦东新区".into(),
            detail: detail.into(),
        },
        notes: "有猫，门禁 #1202".into(),
    }
}

fn job(id: &str, store: &str, customer: &str, status: JobStatus) -> Job {
    Job {
        id: JobId::new(id),
        store: StoreId::new(store),
        customer: CustomerId::new(customer),
        items: vec![ServiceLine {
            code: "daily_clean".into(),
            quantity: 3,
        }],
        skills: vec![],
        crew_size: 2,
        window: TimeWindow {
            start: t("2026-05-10 09:00"),
            end: t("2026-05-10 12:00"),
        },
        duration_minutes: 180,
        zone: Zone::new("pudong"),
        urgent: false,
        status,
        source: Default::default(),
        special_requests: "请换鞋套".into(),
    }
}

fn assignment(job: &str, workers: &[&str], leader: &str) -> Assignment {
    Assignment {
        job: JobId::new(job),
        workers: workers.iter().map(|w| WorkerId::new(*w)).collect(),
        leader: WorkerId::new(leader),
        start: t("2026-05-10 09:00"),
        end: t("2026-05-10 12:00"),
    }
}

fn worker(badge: &str, name: &str, store: &str) -> Worker {
    Worker {
        badge: WorkerId::new(badge),
        name: name.into(),
        phone: format!("139000000{}", &badge[1..]),
        store: StoreId::new(store),
        skills: vec![],
        leader: true,
        shifts: vec![],
        home_zone: None,
    }
}

fn workers() -> Vec<Worker> {
    vec![
        worker("W01", "李四", "S1"),
        worker("W02", "王五", "S1"),
        worker("W03", "赵六", "S1"),
        worker("W09", "钱七", "S2"),
    ]
}

fn render(v: &WorkerJobView) -> String {
    let contact = match &v.contact {
        Some(c) => format!("{} {} {} {}", c.name, c.phone, c.address_detail, c.notes),
        None => "-".into(),
    };
    let lead = if v.you_lead { " (lead)" } else { "" };
    format!(
        "{} {:?}{lead} crew {} | {} {} | from {}: {contact}",
        v.job,
        v.status,
        v.crew
            .iter()
            .map(|w| w.as_str())
            .collect::<Vec<_>>()
            .join(","),
        v.district,
        v.customer_masked,
        v.contact_from
    )
}

/// `expected`: `none` or the rendered view. Whatever the case, a view without contact never
/// carries the phone or the detailed address anywhere in what would be stored.
fn check_worker(
    job: &Job,
    customer: &Customer,
    assignment: &Assignment,
    viewer: &str,
    now: &str,
    rules: &Rules,
    expected: &str,
) {
    let view = for_worker(
        job,
        customer,
        assignment,
        &WorkerId::new(viewer),
        t(now),
        rules,
    );
    let got = view.as_ref().map_or_else(|| "none".to_owned(), render);
    assert_eq!(got, expected, "viewer {viewer} at {now}, {:?}", job.status);
    if let Some(v) = view {
        let stored = serde_json::to_string(&v).expect("serialise");
        if v.contact.is_none() {
            assert!(!stored.contains(&customer.phone), "phone leaked: {stored}");
            assert!(
                !stored.contains(&customer.address.detail),
                "address leaked: {stored}"
            );
            assert!(
                !stored.contains(&customer.name),
                "full name leaked: {stored}"
            );
        }
        for w in workers() {
            assert!(!stored.contains(&w.phone), "worker phone leaked: {stored}");
        }
    }
}

const OPEN: &str = "J1 {status}{lead} crew W01,W02 | 浦东新区 张** | from 2026-05-09: 张三丰 13812345678 世纪大道100号3栋1202室 有猫，门禁 #1202";
const CLOSED: &str = "J1 {status}{lead} crew W01,W02 | 浦东新区 张** | from 2026-05-09: -";

fn expect(template: &str, status: JobStatus, lead: bool) -> String {
    template
        .replace("{status}", &format!("{status:?}"))
        .replace("{lead}", if lead { " (lead)" } else { "" })
}

#[test]
fn worker_sees_contact_from_the_day_before_until_completion() {
    let rules = Rules::default();
    let c = customer("C1", "S1", "张三丰", PHONE, DETAIL);
    let a = assignment("J1", &["W01", "W02"], "W01");
    use JobStatus::*;
    // (status, viewer, now, contact shown)
    let cases: &[(JobStatus, &str, &str, bool)] = &[
        (Assigned, "W01", "2026-05-01 10:00", false), // a week before
        (Assigned, "W01", "2026-05-08 23:59", false), // two days before, last minute
        (Assigned, "W01", "2026-05-09 00:00", true),  // the day before, first minute
        (Confirmed, "W02", "2026-05-09 18:30", true), // crew member, not only the leader
        (InProgress, "W01", "2026-05-10 10:00", true), // on the day
        (Acceptance, "W02", "2026-05-10 12:30", true), // acceptance running
        (Rework, "W01", "2026-05-12 09:00", true),    // open past the date: still active
        (Booked, "W01", "2026-05-09 08:00", true),    // any open status counts
        (Completed, "W01", "2026-05-10 12:31", false), // completed: gone
        (Completed, "W02", "2026-05-09 12:00", false), // completed early: gone
        (Cancelled, "W01", "2026-05-09 12:00", false), // cancelled: gone
        (Completed, "W01", "2026-05-01 12:00", false), // completed and before the window
    ];
    for &(status, viewer, now, shown) in cases {
        let j = job("J1", "S1", "C1", status);
        let expected = expect(if shown { OPEN } else { CLOSED }, status, viewer == "W01");
        check_worker(&j, &c, &a, viewer, now, &rules, &expected);
    }
}

#[test]
fn contact_window_follows_the_rules() {
    let c = customer("C1", "S1", "张三丰", PHONE, DETAIL);
    let a = assignment("J1", &["W01", "W02"], "W01");
    let j = job("J1", "S1", "C1", JobStatus::Confirmed);
    let two_days = Rules {
        confirmation_days_before: 2,
        ..Rules::default()
    };
    let open = OPEN.replace("2026-05-09", "2026-05-08");
    let closed = CLOSED.replace("2026-05-09", "2026-05-08");
    check_worker(
        &j,
        &c,
        &a,
        "W01",
        "2026-05-08 00:00",
        &two_days,
        &expect(&open, JobStatus::Confirmed, true),
    );
    check_worker(
        &j,
        &c,
        &a,
        "W01",
        "2026-05-07 23:59",
        &two_days,
        &expect(&closed, JobStatus::Confirmed, true),
    );
    let same_day = Rules {
        confirmation_days_before: 0,
        ..Rules::default()
    };
    let closed = CLOSED.replace("2026-05-09", "2026-05-10");
    check_worker(
        &j,
        &c,
        &a,
        "W01",
        "2026-05-09 20:00",
        &same_day,
        &expect(&closed, JobStatus::Confirmed, true),
    );
}

#[test]
fn worker_never_sees_jobs_that_are_not_theirs() {
    let rules = Rules::default();
    let c = customer("C1", "S1", "张三丰", PHONE, DETAIL);
    let j = job("J1", "S1", "C1", JobStatus::InProgress);
    let a = assignment("J1", &["W01", "W02"], "W01");
    let now = "2026-05-10 10:00";
    check_worker(&j, &c, &a, "W03", now, &rules, "none"); // same store, not on the crew
    check_worker(&j, &c, &a, "W09", now, &rules, "none"); // another store
    check_worker(&j, &c, &a, "", now, &rules, "none");
    // Records that do not belong together give nothing.
    let other_job = assignment("J2", &["W01", "W02"], "W01");
    check_worker(&j, &c, &other_job, "W01", now, &rules, "none");
    let other_customer = customer("C2", "S1", "张三丰", PHONE, DETAIL);
    check_worker(&j, &other_customer, &a, "W01", now, &rules, "none");
    let other_store_customer = customer("C1", "S2", "张三丰", PHONE, DETAIL);
    check_worker(&j, &other_store_customer, &a, "W01", now, &rules, "none");
    // A leader listed only as leader is on the crew.
    let leader_only = assignment("J1", &["W02"], "W01");
    check_worker(
        &j,
        &c,
        &leader_only,
        "W01",
        now,
        &rules,
        &expect(OPEN, JobStatus::InProgress, true),
    );
}

#[test]
fn names_are_masked() {
    let cases = [
        ("张三丰", "张**"),
        ("张三", "张**"),
        ("欧阳娜娜", "欧**"),
        ("Anna Li", "A**"),
        ("  李", "李**"),
        ("", "**"),
        ("😀x", "😀**"),
    ];
    for (name, masked) in cases {
        assert_eq!(mask_name(name), masked, "{name}");
    }
    let rules = Rules::default();
    let c = customer(
        "C1",
        "S1",
        "Anna Li",
        "+86 138 0000 0000",
        "Apt 5, 8 Century Ave",
    );
    let v = for_worker(
        &job("J1", "S1", "C1", JobStatus::Assigned),
        &c,
        &assignment("J1", &["W01"], "W01"),
        &WorkerId::new("W01"),
        t("2026-05-01 09:00"),
        &rules,
    )
    .expect("own job");
    assert_eq!(
        (v.customer_masked.as_str(), v.contact.is_none()),
        ("A**", true)
    );
}

#[test]
fn stored_details_are_purged_when_the_job_is_done() {
    let rules = Rules::default();
    let c = customer("C1", "S1", "张三丰", PHONE, DETAIL);
    let a = assignment("J1", &["W01"], "W01");
    let view = |status| {
        for_worker(
            &job("J1", "S1", "C1", status),
            &c,
            &a,
            &WorkerId::new("W01"),
            t("2026-05-10 10:00"),
            &rules,
        )
        .expect("own job")
    };
    // (status as last synced into the stored view, now, must purge)
    let cases: &[(JobStatus, &str, bool)] = &[
        (JobStatus::InProgress, "2026-05-10 11:00", false),
        (JobStatus::Completed, "2026-05-10 12:30", true),
        (JobStatus::Cancelled, "2026-05-10 12:30", true),
        (JobStatus::InProgress, "2026-05-08 12:00", true), // device clock before the window
        (JobStatus::Rework, "2026-06-10 12:00", false),
    ];
    for &(status, now, purge) in cases {
        let mut stored = view(JobStatus::InProgress);
        assert!(stored.contact.is_some());
        stored.status = status; // the sync layer brings the new status
        assert_eq!(must_purge(&stored, t(now)), purge, "{status:?} at {now}");
        let mut all = vec![stored];
        let purged = purge_expired(&mut all, t(now));
        assert_eq!(purged.len(), usize::from(purge));
        assert_eq!(all[0].contact.is_none(), purge);
        assert!(!must_purge(&all[0], t(now)));
    }
    // A view without contact has nothing to purge.
    assert!(!must_purge(
        &view(JobStatus::Completed),
        t("2026-05-10 12:30")
    ));
}

#[test]
fn worker_views_cover_exactly_own_assignments() {
    let rules = Rules::default();
    let customers = [
        customer("C1", "S1", "张三丰", PHONE, DETAIL),
        customer("C2", "S1", "李梅", "13700000000", "锦绣路1号"),
    ];
    let jobs = [
        job("J1", "S1", "C1", JobStatus::Confirmed),
        job("J2", "S1", "C2", JobStatus::Confirmed),
        job("J3", "S1", "C2", JobStatus::Completed),
    ];
    let assignments = [
        assignment("J1", &["W01"], "W01"),
        assignment("J2", &["W02"], "W02"),
        assignment("J3", &["W01"], "W01"),
        assignment("J404", &["W01"], "W01"), // unknown job: skipped
    ];
    let views = worker_views(
        &jobs,
        &customers,
        &assignments,
        &WorkerId::new("W01"),
        t("2026-05-09 12:00"),
        &rules,
    );
    let got: Vec<String> = views
        .iter()
        .map(|v| format!("{} {}", v.job, v.contact.is_some()))
        .collect();
    assert_eq!(got, ["J1 true", "J3 false"]);
    let stored = serde_json::to_string(&views).expect("serialise");
    assert!(
        !stored.contains("13700000000") && !stored.contains("锦绣路"),
        "{stored}"
    );
}

fn check_customer(viewer: &str, a: Option<&Assignment>, expected: &str) {
    let j = job("J1", "S1", "C1", JobStatus::InProgress);
    let all = workers();
    let view = for_customer(&j, a, &all, &CustomerId::new(viewer));
    let got = view.as_ref().map_or_else(
        || "none".to_owned(),
        |v| {
            let crew: Vec<String> = v
                .crew
                .iter()
                .map(|m| {
                    let lead = if m.leader { "*" } else { "" };
                    format!("{}{lead} {}", m.badge, m.name.as_deref().unwrap_or("?"))
                })
                .collect();
            format!(
                "{} {:?} crew: {}",
                v.job,
                v.status,
                if crew.is_empty() {
                    "-".into()
                } else {
                    crew.join(", ")
                }
            )
        },
    );
    assert_eq!(got, expected, "customer {viewer}");
    let shown = serde_json::to_string(&view).expect("serialise");
    for w in &all {
        assert!(
            !shown.contains(&w.phone),
            "worker phone shown to a customer: {shown}"
        );
    }
}

#[test]
fn customer_sees_names_and_badges_never_phones() {
    let a = assignment("J1", &["W01", "W02"], "W01");
    check_customer("C1", Some(&a), "J1 InProgress crew: W01* 李四, W02 王五");
    check_customer("C2", Some(&a), "none");
    check_customer("C1", None, "J1 InProgress crew: -");
    check_customer(
        "C1",
        Some(&assignment("J1", &["W02", "W01", "W77"], "W01")),
        "J1 InProgress crew: W01* 李四, W02 王五, W77 ?",
    );
    check_customer("C1", Some(&assignment("J2", &["W01"], "W01")), "none");
}

fn check_dispatcher(store: &str, expected: &str) {
    let customers = [
        customer("C1", "S1", "张三丰", PHONE, DETAIL),
        customer("C2", "S2", "李梅", "13700000000", "锦绣路1号"),
    ];
    let jobs = [
        job("J1", "S1", "C1", JobStatus::Assigned),
        job("J2", "S2", "C2", JobStatus::Assigned),
    ];
    let assignments = [
        assignment("J1", &["W01", "W02"], "W01"),
        assignment("J2", &["W09", "W03"], "W09"),
    ];
    let v = for_dispatcher(
        &StoreId::new(store),
        &jobs,
        &customers,
        &workers(),
        &assignments,
    );
    let ids = |xs: Vec<String>| {
        if xs.is_empty() {
            "-".to_owned()
        } else {
            xs.join(",")
        }
    };
    let got = format!(
        "jobs {} | customers {} | workers {} | assignments {}",
        ids(v.jobs.iter().map(|j| j.id.to_string()).collect()),
        ids(v.customers.iter().map(|c| c.id.to_string()).collect()),
        ids(v.workers.iter().map(|w| w.badge.to_string()).collect()),
        ids(v.assignments.iter().map(|a| a.job.to_string()).collect()),
    );
    assert_eq!(got, expected, "store {store}");
    assert_eq!(v.store, StoreId::new(store));
}

#[test]
fn dispatcher_sees_own_store_only() {
    check_dispatcher(
        "S1",
        "jobs J1 | customers C1 | workers W01,W02,W03 | assignments J1",
    );
    check_dispatcher(
        "S2",
        "jobs J2 | customers C2 | workers W09 | assignments J2",
    );
    check_dispatcher("S3", "jobs - | customers - | workers - | assignments -");
}

#[test]
fn local_time_uses_the_store_offset() {
    let utc = |s: &str| DateTime::<Utc>::from_naive_utc_and_offset(t(s), Utc);
    let rules = Rules::default();
    assert_eq!(
        local_time(utc("2026-05-09 16:00"), &rules),
        Some(t("2026-05-10 00:00"))
    );
    assert_eq!(
        local_time(utc("2026-05-09 15:59"), &rules),
        Some(t("2026-05-09 23:59"))
    );
    let west = Rules {
        utc_offset_minutes: -300,
        ..Rules::default()
    };
    assert_eq!(
        local_time(utc("2026-05-10 03:00"), &west),
        Some(t("2026-05-09 22:00"))
    );
    let d = NaiveDate::from_ymd_opt(2026, 5, 9).expect("date");
    assert_eq!(
        local_time(utc("2026-05-09 15:59"), &rules).map(|l| l.date()),
        Some(d)
    );
}

/// The job list reads a card from the stored order: the same fields as the full view, for
/// every order of every demo worker, inside and outside the contact window.
#[test]
fn a_job_card_reads_what_the_full_view_holds() {
    use doorstep_core::step::{DispatchOrder, DispatchOrderCard};
    let day = NaiveDate::from_ymd_opt(2026, 11, 24).expect("date");
    let data = doorstep_core::demo::dataset(day);
    let mut seen = (0, 0);
    for w in ["D001", "D002", "D003", "D004"] {
        for now in [
            t("2026-11-23 08:00"),
            t("2026-11-24 08:00"),
            t("2026-11-26 08:00"),
        ] {
            for (id, doc) in data.worker_documents(&WorkerId::new(w), now, &Rules::default()) {
                if !id.starts_with("order:") {
                    continue;
                }
                let full: DispatchOrder = serde_json::from_value(doc.clone()).expect(&id);
                let card: DispatchOrderCard = serde_json::from_value(doc).expect(&id);
                assert_eq!(card, DispatchOrderCard::from(&full), "{id}");
                let shown = full.view.contact.as_ref().map(|c| c.name.as_str());
                assert_eq!(
                    card.view.customer(),
                    shown.unwrap_or(&full.view.customer_masked)
                );
                if full.view.contact.is_some() {
                    seen.0 += 1
                } else {
                    seen.1 += 1
                }
            }
        }
    }
    assert!(
        seen.0 > 0 && seen.1 > 0,
        "cards with and without contact: {seen:?}"
    );
}
