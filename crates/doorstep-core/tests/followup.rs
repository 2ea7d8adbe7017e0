#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use chrono::{NaiveDate, Weekday};
use doorstep_core::followup::{
    plan_followups, sample_input, AnswerRequest, BookedJob, CallbackKind, CallbackRef, Complaint,
    CompletedService, CustomerHistory, FollowupInput, FollowupPlan, FollowupProblem, Priority,
    Reason,
};
use doorstep_core::model::{CustomerId, JobId, JobStatus};
use doorstep_core::{Explain, Lang, Rules};

use CallbackKind::{
    Complaint as K, Confirmation as F, NewCustomer as N, Requested as Q, Returning as R,
};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
}

fn input(today: &str, agents: u32) -> FollowupInput {
    FollowupInput {
        today: d(today),
        agents,
        customers: vec![],
        completed: vec![],
        booked: vec![],
        requests: vec![],
        complaints: vec![],
        done: vec![],
    }
}

fn served(i: &mut FollowupInput, customer: &str, job: &str, date: &str) {
    i.completed.push(CompletedService {
        job: JobId::new(job),
        customer: CustomerId::new(customer),
        date: d(date),
    });
}

fn history(i: &mut FollowupInput, customer: &str, first: &str) {
    i.customers.push(CustomerHistory {
        id: CustomerId::new(customer),
        name: String::new(),
        first_served: Some(d(first)),
    });
}

fn booked(i: &mut FollowupInput, customer: &str, job: &str, date: &str, status: JobStatus) {
    i.booked.push(BookedJob {
        job: JobId::new(job),
        customer: CustomerId::new(customer),
        date: d(date),
        status,
    });
}

fn request(i: &mut FollowupInput, customer: &str, asked_on: &str, days: u32) {
    i.requests.push(AnswerRequest {
        id: format!("R-{customer}"),
        customer: CustomerId::new(customer),
        asked_on: d(asked_on),
        days,
    });
}

fn complaint(i: &mut FollowupInput, customer: &str, date: &str) {
    i.complaints.push(Complaint {
        id: format!("K-{customer}"),
        customer: CustomerId::new(customer),
        date: d(date),
    });
}

/// A short, comparable form of a problem.
fn tag(p: &FollowupProblem) -> String {
    match p {
        FollowupProblem::NoCapacity { .. } => "no_capacity".into(),
        FollowupProblem::NoWorkingDays => "no_working_days".into(),
        FollowupProblem::Unscheduled { callback, .. } => format!(
            "unscheduled {} {:?} {}",
            callback.customer, callback.kind, callback.due
        ),
        FollowupProblem::RequestNotOnDay {
            callback,
            scheduled,
        } => {
            format!(
                "request_not_on_day {} {} -> {}",
                callback.customer, callback.due, scheduled
            )
        }
        FollowupProblem::ComplaintLate {
            callback,
            scheduled,
        } => {
            format!(
                "complaint_late {} {} -> {}",
                callback.customer, callback.due, scheduled
            )
        }
        FollowupProblem::ConfirmationImpossible { callback, job } => {
            format!("confirmation_impossible {} {job}", callback.customer)
        }
        FollowupProblem::MonthlySuperseded { callback, by, .. } => format!(
            "monthly_superseded {} {} by {by}",
            callback.customer, callback.due
        ),
        FollowupProblem::DateOutOfRange { customer, source } => {
            format!("date_out_of_range {customer} {source}")
        }
    }
}

/// Expected calls as (scheduled, customer, kind, due), in plan order (by day, then
/// priority, due, customer), and the problems by `tag`.
fn check(
    input: &FollowupInput,
    rules: &Rules,
    calls: &[(&str, &str, CallbackKind, &str)],
    problems: &[&str],
) -> FollowupPlan {
    let plan = plan_followups(input, rules);
    let got: Vec<(String, String, CallbackKind, String)> = plan
        .callbacks()
        .map(|c| {
            (
                c.scheduled.to_string(),
                c.customer.to_string(),
                c.kind,
                c.due.to_string(),
            )
        })
        .collect();
    let want: Vec<(String, String, CallbackKind, String)> = calls
        .iter()
        .map(|&(s, c, k, due)| (s.to_owned(), c.to_owned(), k, due.to_owned()))
        .collect();
    assert_eq!(got, want, "callbacks");
    let got_p: Vec<String> = plan.problems.iter().map(tag).collect();
    assert_eq!(got_p, problems, "problems");
    for day in &plan.days {
        assert!(
            day.callbacks.len() as u32 <= plan.capacity_per_day,
            "{} over capacity",
            day.date
        );
        assert!(day.callbacks.iter().all(|c| c.scheduled == day.date));
    }
    assert_eq!(plan, plan_followups(input, rules), "deterministic");
    plan
}

#[test]
fn new_customer_gets_3_7_14_21() {
    let mut i = input("2026-01-10", 1);
    served(&mut i, "C1", "J1", "2026-01-10");
    let plan = check(
        &i,
        &Rules::default(),
        &[
            ("2026-01-13", "C1", N, "2026-01-13"),
            ("2026-01-17", "C1", N, "2026-01-17"),
            ("2026-01-24", "C1", N, "2026-01-24"),
            ("2026-01-31", "C1", N, "2026-01-31"),
        ],
        &[],
    );
    let first = plan.callbacks().next().unwrap();
    assert_eq!(first.priority, Priority::Routine);
    assert_eq!(first.source, "J1");
    assert_eq!(
        first.reason,
        Reason::NewCustomer {
            service: d("2026-01-10"),
            days: 3
        }
    );
    assert_eq!(
        first.explain(Lang::Zh),
        "新客户回访：首次服务（2026-01-10）后第 3 天"
    );
    assert_eq!(
        first.explain(Lang::En),
        "New customer: day 3 after the first service on 2026-01-10"
    );
}

#[test]
fn returning_customer_monthly_clamped_to_month_end() {
    let mut i = input("2026-01-31", 1);
    history(&mut i, "C2", "2025-06-01");
    served(&mut i, "C2", "J2", "2026-01-31");
    check(
        &i,
        &Rules::default(),
        &[
            ("2026-02-28", "C2", R, "2026-02-28"),
            ("2026-03-31", "C2", R, "2026-03-31"),
            ("2026-04-30", "C2", R, "2026-04-30"),
        ],
        &[],
    );

    let mut leap = input("2028-01-31", 1);
    history(&mut leap, "C2", "2025-06-01");
    served(&mut leap, "C2", "J2", "2028-01-31");
    check(
        &leap,
        &Rules::default(),
        &[
            ("2028-02-29", "C2", R, "2028-02-29"),
            ("2028-03-31", "C2", R, "2028-03-31"),
            ("2028-04-30", "C2", R, "2028-04-30"),
        ],
        &[],
    );

    let mut mid = input("2026-03-15", 1);
    history(&mut mid, "C2", "2025-06-01");
    served(&mut mid, "C2", "J2", "2026-03-15");
    check(
        &mid,
        &Rules::default(),
        &[
            ("2026-04-15", "C2", R, "2026-04-15"),
            ("2026-05-15", "C2", R, "2026-05-15"),
            ("2026-06-15", "C2", R, "2026-06-15"),
        ],
        &[],
    );
}

/// One returning customer (known since 2020) and their monthly series.
struct Series<'a> {
    name: &'a str,
    months: u32,
    horizon: u32,
    today: &'a str,
    /// (job, date)
    services: &'a [(&'a str, &'a str)],
    /// Due dates already called.
    done: &'a [&'a str],
    /// (scheduled, due)
    want: &'a [(&'a str, &'a str)],
    /// (due, by): missed months reported as superseded by the later month due `by`.
    superseded: &'a [(&'a str, &'a str)],
}

#[test]
fn returning_customer_series_is_monthly_anchored_and_restarted_by_a_newer_service() {
    let cases = [
        Series {
            name: "from the 31st: Feb 28, then back to the 31st (not the 28th)",
            months: 1,
            horizon: 120,
            today: "2026-01-31",
            services: &[("J1", "2026-01-31")],
            done: &[],
            want: &[
                ("2026-02-28", "2026-02-28"),
                ("2026-03-31", "2026-03-31"),
                ("2026-04-30", "2026-04-30"),
                ("2026-05-31", "2026-05-31"),
            ],
            superseded: &[],
        },
        Series {
            name: "leap year: Feb 29, then the 31st",
            months: 1,
            horizon: 60,
            today: "2028-01-31",
            services: &[("J1", "2028-01-31")],
            done: &[],
            want: &[("2028-02-29", "2028-02-29"), ("2028-03-31", "2028-03-31")],
            superseded: &[],
        },
        Series {
            name: "the 29th: Feb 29 in a leap year",
            months: 1,
            horizon: 60,
            today: "2024-01-29",
            services: &[("J1", "2024-01-29")],
            done: &[],
            want: &[("2024-02-29", "2024-02-29"), ("2024-03-29", "2024-03-29")],
            superseded: &[],
        },
        Series {
            name: "the 29th: Feb 28 in a common year, then the 29th again",
            months: 1,
            horizon: 60,
            today: "2025-01-29",
            services: &[("J1", "2025-01-29")],
            done: &[],
            want: &[("2025-02-28", "2025-02-28"), ("2025-03-29", "2025-03-29")],
            superseded: &[],
        },
        Series {
            name: "across the year end",
            months: 1,
            horizon: 62,
            today: "2025-12-31",
            services: &[("J1", "2025-12-31")],
            done: &[],
            want: &[("2026-01-31", "2026-01-31"), ("2026-02-28", "2026-02-28")],
            superseded: &[],
        },
        Series {
            name: "a newer service ends the series and starts its own",
            months: 1,
            horizon: 120,
            today: "2026-01-10",
            services: &[("J1", "2026-01-10"), ("J2", "2026-03-05")],
            done: &[],
            want: &[
                ("2026-02-10", "2026-02-10"),
                ("2026-04-05", "2026-04-05"),
                ("2026-05-05", "2026-05-05"),
            ],
            superseded: &[],
        },
        Series {
            name: "a newer service on a due day replaces that callback",
            months: 1,
            horizon: 90,
            today: "2026-01-10",
            services: &[("J1", "2026-01-10"), ("J2", "2026-02-10")],
            done: &[],
            want: &[("2026-03-10", "2026-03-10"), ("2026-04-10", "2026-04-10")],
            superseded: &[],
        },
        Series {
            name: "callbacks made are not planned again; an overdue one is called today",
            months: 1,
            horizon: 31,
            today: "2026-04-01",
            services: &[("J1", "2026-01-15")],
            done: &["2026-02-15"],
            want: &[("2026-04-01", "2026-03-15"), ("2026-04-15", "2026-04-15")],
            superseded: &[],
        },
        Series {
            name: "every second month from the 31st",
            months: 2,
            horizon: 200,
            today: "2026-01-31",
            services: &[("J1", "2026-01-31")],
            done: &[],
            want: &[
                ("2026-03-31", "2026-03-31"),
                ("2026-05-31", "2026-05-31"),
                ("2026-07-31", "2026-07-31"),
            ],
            superseded: &[],
        },
        Series {
            name: "the horizon decides how many: none within 0 days",
            months: 1,
            horizon: 0,
            today: "2026-01-10",
            services: &[("J1", "2026-01-10")],
            done: &[],
            want: &[],
            superseded: &[],
        },
        Series {
            name: "months = 0: no returning-customer callbacks",
            months: 0,
            horizon: 365,
            today: "2026-01-10",
            services: &[("J1", "2026-01-10")],
            done: &[],
            want: &[],
            superseded: &[],
        },
        Series {
            name: "the horizon includes its last day",
            months: 1,
            horizon: 31,
            today: "2026-01-10",
            services: &[("J1", "2026-01-10")],
            done: &[],
            want: &[("2026-02-10", "2026-02-10")],
            superseded: &[],
        },
        Series {
            name: "a service 5 months ago, nothing called: one call today for the latest \
                   missed month, the earlier ones reported",
            months: 1,
            horizon: 31,
            today: "2026-06-20",
            services: &[("J1", "2026-01-15")],
            done: &[],
            want: &[("2026-06-20", "2026-06-15"), ("2026-07-15", "2026-07-15")],
            superseded: &[
                ("2026-02-15", "2026-06-15"),
                ("2026-03-15", "2026-06-15"),
                ("2026-04-15", "2026-06-15"),
                ("2026-05-15", "2026-06-15"),
            ],
        },
        Series {
            name: "the last missed month already called: nothing overdue",
            months: 1,
            horizon: 31,
            today: "2026-06-20",
            services: &[("J1", "2026-01-15")],
            done: &["2026-06-15"],
            want: &[("2026-07-15", "2026-07-15")],
            superseded: &[
                ("2026-02-15", "2026-06-15"),
                ("2026-03-15", "2026-06-15"),
                ("2026-04-15", "2026-06-15"),
                ("2026-05-15", "2026-06-15"),
            ],
        },
        Series {
            name: "a month due today is the one called; the missed ones before it are reported",
            months: 1,
            horizon: 31,
            today: "2026-06-15",
            services: &[("J1", "2026-01-15")],
            done: &["2026-03-15"],
            want: &[("2026-06-15", "2026-06-15"), ("2026-07-15", "2026-07-15")],
            superseded: &[
                ("2026-02-15", "2026-06-15"),
                ("2026-04-15", "2026-06-15"),
                ("2026-05-15", "2026-06-15"),
            ],
        },
        Series {
            name: "missed months of an older series are superseded by the newer series' latest",
            months: 1,
            horizon: 20,
            today: "2026-03-20",
            services: &[("J1", "2025-10-10"), ("J2", "2026-01-05")],
            done: &[],
            want: &[("2026-03-20", "2026-03-05"), ("2026-04-05", "2026-04-05")],
            superseded: &[
                ("2025-11-10", "2026-03-05"),
                ("2025-12-10", "2026-03-05"),
                ("2026-02-05", "2026-03-05"),
            ],
        },
    ];
    for Series {
        name,
        months,
        horizon,
        today,
        services,
        done,
        want,
        superseded,
    } in cases
    {
        let mut i = input(today, 1);
        history(&mut i, "C1", "2020-01-01");
        for (job, date) in services {
            served(&mut i, "C1", job, date);
        }
        for due in done {
            i.done.push(CallbackRef {
                customer: CustomerId::new("C1"),
                kind: R,
                due: d(due),
            });
        }
        let rules = Rules {
            callback_months_returning: months,
            followup_horizon_days: horizon,
            ..Rules::default()
        };
        let calls: Vec<(&str, &str, CallbackKind, &str)> =
            want.iter().map(|&(at, due)| (at, "C1", R, due)).collect();
        let problems: Vec<String> = superseded
            .iter()
            .map(|(due, by)| format!("monthly_superseded C1 {due} by {by}"))
            .collect();
        let problems: Vec<&str> = problems.iter().map(String::as_str).collect();
        println!("case: {name}");
        let plan = check(&i, &rules, &calls, &problems);
        // The k-th callback of a series says how many months after its service it is.
        for c in plan.callbacks() {
            let Reason::Returning { service, months: m } = c.reason else {
                panic!("{name}: not a series callback");
            };
            assert_eq!(m % months, 0, "{name}");
            assert_eq!(
                service.checked_add_months(chrono::Months::new(m)),
                Some(c.due),
                "{name}"
            );
        }
    }
}

#[test]
fn a_series_callback_explains_its_month() {
    let mut i = input("2026-01-31", 1);
    history(&mut i, "C1", "2020-01-01");
    served(&mut i, "C1", "J1", "2026-01-31");
    let plan = plan_followups(&i, &Rules::default());
    let third = plan.callbacks().nth(2).unwrap();
    assert_eq!(third.due, d("2026-04-30"));
    assert_eq!(third.source, "J1");
    assert_eq!(
        third.explain(Lang::En),
        "Returning customer: 3 month(s) after the service on 2026-01-31"
    );
    assert_eq!(
        third.explain(Lang::Zh),
        "老客户定期回访：服务（2026-01-31）后 3 个月"
    );
}

#[test]
fn a_superseded_month_explains_itself() {
    let mut i = input("2026-04-20", 1);
    history(&mut i, "C1", "2020-01-01");
    served(&mut i, "C1", "J1", "2026-01-31");
    let rules = Rules {
        followup_horizon_days: 10,
        ..Rules::default()
    };
    let plan = check(
        &i,
        &rules,
        &[
            ("2026-04-20", "C1", R, "2026-03-31"),
            ("2026-04-30", "C1", R, "2026-04-30"),
        ],
        &["monthly_superseded C1 2026-02-28 by 2026-03-31"],
    );
    let p = &plan.problems[0];
    assert_eq!(
        p.explain(Lang::Zh),
        "客户 C1 应于 2026-02-28 的回访已错过（老客户定期回访：服务（2026-01-31）后 1 个月），\
         不再补打：由 2026-03-31 的回访代替"
    );
    assert_eq!(
        p.explain(Lang::En),
        "Missed callback of customer C1 due 2026-02-28 (Returning customer: 1 month(s) after \
         the service on 2026-01-31) not planned: superseded by the one due 2026-03-31"
    );
    assert_eq!(
        p.callback(),
        Some(&CallbackRef {
            customer: CustomerId::new("C1"),
            kind: R,
            due: d("2026-02-28")
        })
    );
}

#[test]
fn monthly_callbacks_of_one_customer_never_share_a_day() {
    // Holidays until 07-20: the overdue 06-15 call and the 07-15 one both wait for 07-21;
    // the later one moves on to the next day rather than calling the customer twice.
    let mut i = input("2026-06-20", 1);
    history(&mut i, "C1", "2020-01-01");
    served(&mut i, "C1", "J1", "2026-05-15");
    let holidays: Vec<NaiveDate> = d("2026-06-20")
        .iter_days()
        .take_while(|h| *h <= d("2026-07-20"))
        .collect();
    let rules = Rules {
        holidays,
        followup_horizon_days: 31,
        ..Rules::default()
    };
    check(
        &i,
        &rules,
        &[
            ("2026-07-21", "C1", R, "2026-06-15"),
            ("2026-07-22", "C1", R, "2026-07-15"),
        ],
        &[],
    );
}

#[test]
fn second_service_in_input_is_returning() {
    let mut i = input("2026-01-01", 1);
    served(&mut i, "C1", "J2", "2026-01-20");
    served(&mut i, "C1", "J1", "2026-01-01");
    let rules = Rules {
        callback_days_new: vec![3],
        ..Rules::default()
    };
    check(
        &i,
        &rules,
        &[
            ("2026-01-04", "C1", N, "2026-01-04"),
            ("2026-02-20", "C1", R, "2026-02-20"),
            ("2026-03-20", "C1", R, "2026-03-20"),
        ],
        &[],
    );
}

#[test]
fn history_first_served_same_day_is_still_new() {
    let mut i = input("2026-01-01", 1);
    history(&mut i, "C1", "2026-01-01");
    served(&mut i, "C1", "J1", "2026-01-01");
    let rules = Rules {
        callback_days_new: vec![2],
        ..Rules::default()
    };
    check(&i, &rules, &[("2026-01-03", "C1", N, "2026-01-03")], &[]);
}

#[test]
fn customer_listed_twice_counts_with_the_earliest_first_service() {
    for order in [["2026-01-05", "2025-01-01"], ["2025-01-01", "2026-01-05"]] {
        let mut i = input("2026-01-01", 1);
        history(&mut i, "C1", order[0]);
        i.customers.push(CustomerHistory {
            id: CustomerId::new("C1"),
            name: String::new(),
            first_served: None,
        });
        history(&mut i, "C1", order[1]);
        served(&mut i, "C1", "J1", "2026-01-05");
        check(
            &i,
            &Rules::default(),
            &[
                ("2026-02-05", "C1", R, "2026-02-05"),
                ("2026-03-05", "C1", R, "2026-03-05"),
            ],
            &[],
        );
    }
}

#[test]
fn rule_numbers_come_from_rules() {
    let mut i = input("2026-05-01", 1);
    served(&mut i, "C1", "J1", "2026-05-01");
    history(&mut i, "C2", "2024-01-01");
    served(&mut i, "C2", "J2", "2026-05-01");
    let rules = Rules {
        callback_days_new: vec![1, 2],
        callback_months_returning: 3,
        ..Rules::default()
    };
    check(
        &i,
        &rules,
        &[
            ("2026-05-02", "C1", N, "2026-05-02"),
            ("2026-05-03", "C1", N, "2026-05-03"),
            ("2026-08-01", "C2", R, "2026-08-01"),
        ],
        &[],
    );
}

#[test]
fn capacity_overflow_moves_routine_calls_to_next_working_day() {
    // 43 new customers served 01-10 (+3 → 01-13), a complaint on 01-13 and a request for
    // 01-13: 45 calls due, capacity 40. Urgent ones stay, the last 5 routine ones move.
    let mut i = input("2026-01-10", 1);
    for n in 0..43 {
        served(
            &mut i,
            &format!("C{n:02}"),
            &format!("J{n:02}"),
            "2026-01-10",
        );
    }
    complaint(&mut i, "X1", "2026-01-13");
    request(&mut i, "X2", "2026-01-10", 3);
    let rules = Rules {
        callback_days_new: vec![3],
        ..Rules::default()
    };
    let plan = plan_followups(&i, &rules);
    let day13 = plan.day(d("2026-01-13")).unwrap();
    assert_eq!(day13.callbacks.len(), 40);
    assert_eq!(day13.callbacks[0].kind, Q);
    assert_eq!(day13.callbacks[1].kind, K);
    assert_eq!(day13.callbacks[1].due, d("2026-01-20"));
    let day14 = plan.day(d("2026-01-14")).unwrap();
    let moved: Vec<&str> = day14
        .callbacks
        .iter()
        .map(|c| c.customer.as_str())
        .collect();
    assert_eq!(moved, ["C38", "C39", "C40", "C41", "C42"]);
    assert!(day14
        .callbacks
        .iter()
        .all(|c| c.kind == N && c.due == d("2026-01-13")));
    assert!(plan.problems.is_empty());
    assert_eq!(plan.capacity_per_day, 40);
    // Two agents take them all on the day.
    i.agents = 2;
    let plan = plan_followups(&i, &rules);
    assert_eq!(plan.day(d("2026-01-13")).unwrap().callbacks.len(), 45);
}

#[test]
fn holiday_is_skipped() {
    let mut i = input("2026-01-10", 1);
    served(&mut i, "C1", "J1", "2026-01-10");
    let rules = Rules {
        holidays: vec![d("2026-01-13")],
        ..Rules::default()
    };
    check(
        &i,
        &rules,
        &[
            ("2026-01-14", "C1", N, "2026-01-13"),
            ("2026-01-17", "C1", N, "2026-01-17"),
            ("2026-01-24", "C1", N, "2026-01-24"),
            ("2026-01-31", "C1", N, "2026-01-31"),
        ],
        &[],
    );
}

#[test]
fn weekend_moves_to_monday_when_only_weekdays_work() {
    use Weekday::*;
    let mut i = input("2026-01-01", 1);
    served(&mut i, "C1", "J1", "2026-01-07"); // +3 = Sat 01-10
    let rules = Rules {
        callback_days_new: vec![3],
        working_weekdays: vec![Mon, Tue, Wed, Thu, Fri],
        ..Rules::default()
    };
    check(&i, &rules, &[("2026-01-12", "C1", N, "2026-01-10")], &[]);
}

#[test]
fn requested_answer_on_the_exact_day() {
    let mut i = input("2026-01-05", 1);
    request(&mut i, "C1", "2026-01-05", 3);
    let plan = check(
        &i,
        &Rules::default(),
        &[("2026-01-08", "C1", Q, "2026-01-08")],
        &[],
    );
    let c = plan.callbacks().next().unwrap();
    assert_eq!(c.priority, Priority::Urgent);
    assert!(c
        .explain(Lang::En)
        .contains("whether or not a worker was found"));
    assert!(c.explain(Lang::Zh).contains("3 天内答复"));
}

#[test]
fn requested_answer_on_a_holiday_is_a_problem() {
    let mut i = input("2026-01-05", 1);
    request(&mut i, "C1", "2026-01-05", 3);
    let rules = Rules {
        holidays: vec![d("2026-01-08")],
        ..Rules::default()
    };
    check(
        &i,
        &rules,
        &[("2026-01-09", "C1", Q, "2026-01-08")],
        &["request_not_on_day C1 2026-01-08 -> 2026-01-09"],
    );
}

#[test]
fn requested_answer_already_past_is_called_today_and_reported() {
    let mut i = input("2026-01-10", 1);
    request(&mut i, "C1", "2026-01-01", 3);
    check(
        &i,
        &Rules::default(),
        &[("2026-01-10", "C1", Q, "2026-01-04")],
        &["request_not_on_day C1 2026-01-04 -> 2026-01-10"],
    );
}

#[test]
fn complaint_apology_as_early_as_possible() {
    let mut i = input("2026-01-10", 1);
    complaint(&mut i, "C1", "2026-01-12");
    complaint(&mut i, "C2", "2026-01-08"); // before today: today
    let plan = check(
        &i,
        &Rules::default(),
        &[
            ("2026-01-10", "C2", K, "2026-01-15"),
            ("2026-01-12", "C1", K, "2026-01-19"),
        ],
        &[],
    );
    let c = plan.callbacks().next().unwrap();
    assert_eq!(
        c.explain(Lang::En),
        "Apology for the complaint of 2026-01-08, due by 2026-01-15"
    );
}

#[test]
fn complaint_that_cannot_meet_its_deadline_is_reported() {
    // One call a day; 9 complaints on 01-01 with deadline 01-08: 8 fit (01-01..01-08).
    let mut i = input("2026-01-01", 1);
    for n in 1..=9 {
        complaint(&mut i, &format!("C{n}"), "2026-01-01");
    }
    let rules = Rules {
        callbacks_per_agent_per_day: 1,
        ..Rules::default()
    };
    let calls: Vec<(String, String)> = (1..=9)
        .map(|n| (format!("2026-01-{:02}", n), format!("C{n}")))
        .collect();
    let want: Vec<(&str, &str, CallbackKind, &str)> = calls
        .iter()
        .map(|(s, c)| (s.as_str(), c.as_str(), K, "2026-01-08"))
        .collect();
    check(
        &i,
        &rules,
        &want,
        &["complaint_late C9 2026-01-08 -> 2026-01-09"],
    );
}

#[test]
fn complaints_beat_routine_calls_within_the_deadline() {
    // Capacity 1: the routine call due 01-03 waits until the complaint is called.
    let mut i = input("2026-01-01", 1);
    served(&mut i, "C1", "J1", "2025-12-31");
    complaint(&mut i, "C2", "2026-01-03");
    let rules = Rules {
        callback_days_new: vec![3],
        callbacks_per_agent_per_day: 1,
        ..Rules::default()
    };
    check(
        &i,
        &rules,
        &[
            ("2026-01-03", "C2", K, "2026-01-10"),
            ("2026-01-04", "C1", N, "2026-01-03"),
        ],
        &[],
    );
}

#[test]
fn confirmation_the_day_before() {
    let mut i = input("2026-01-10", 1);
    booked(&mut i, "C1", "J9", "2026-01-20", JobStatus::Booked);
    booked(&mut i, "C2", "J8", "2026-01-20", JobStatus::Confirmed);
    booked(&mut i, "C3", "J7", "2026-01-20", JobStatus::Cancelled);
    booked(&mut i, "C4", "J6", "2026-01-21", JobStatus::Assigned);
    let plan = check(
        &i,
        &Rules::default(),
        &[
            ("2026-01-19", "C1", F, "2026-01-19"),
            ("2026-01-20", "C4", F, "2026-01-20"),
        ],
        &[],
    );
    let c = plan.callbacks().next().unwrap();
    assert_eq!(c.priority, Priority::Confirmation);
    assert_eq!(
        c.explain(Lang::Zh),
        "上门前确认：订单 J9（2026-01-20）的时间、地点和特殊要求"
    );
}

#[test]
fn confirmation_moves_earlier_when_the_day_before_is_full() {
    // Capacity 1: 01-19 is taken by a requested answer, so the confirmation of the 01-20
    // job is made on 01-18 (still before the job), not after it.
    let mut i = input("2026-01-10", 1);
    booked(&mut i, "C1", "J9", "2026-01-20", JobStatus::Booked);
    request(&mut i, "C2", "2026-01-10", 9);
    let rules = Rules {
        callbacks_per_agent_per_day: 1,
        ..Rules::default()
    };
    check(
        &i,
        &rules,
        &[
            ("2026-01-18", "C1", F, "2026-01-19"),
            ("2026-01-19", "C2", Q, "2026-01-19"),
        ],
        &[],
    );
}

#[test]
fn confirmation_moves_later_but_before_the_job_when_asked_two_days_ahead() {
    let mut i = input("2026-01-10", 1);
    booked(&mut i, "C1", "J9", "2026-01-20", JobStatus::Booked);
    let rules = Rules {
        confirmation_days_before: 2,
        holidays: vec![d("2026-01-18")],
        ..Rules::default()
    };
    check(&i, &rules, &[("2026-01-19", "C1", F, "2026-01-18")], &[]);
}

#[test]
fn confirmation_impossible_is_reported_not_scheduled_after_the_job() {
    let mut i = input("2026-01-10", 1);
    booked(&mut i, "C1", "J1", "2026-01-10", JobStatus::Booked); // today: too late
    booked(&mut i, "C2", "J2", "2026-01-12", JobStatus::Booked); // 01-11 holiday, 01-10 full
    request(&mut i, "C3", "2026-01-09", 1);
    let rules = Rules {
        callbacks_per_agent_per_day: 1,
        holidays: vec![d("2026-01-11")],
        ..Rules::default()
    };
    check(
        &i,
        &rules,
        &[("2026-01-10", "C3", Q, "2026-01-10")],
        &[
            "confirmation_impossible C1 J1",
            "confirmation_impossible C2 J2",
        ],
    );
}

#[test]
fn same_day_confirmation_when_rules_say_zero_days_before() {
    let mut i = input("2026-01-10", 1);
    booked(&mut i, "C1", "J1", "2026-01-12", JobStatus::Booked);
    let rules = Rules {
        confirmation_days_before: 0,
        ..Rules::default()
    };
    check(&i, &rules, &[("2026-01-12", "C1", F, "2026-01-12")], &[]);
}

#[test]
fn priority_order_confirmation_before_routine() {
    let mut i = input("2026-01-01", 1);
    served(&mut i, "A1", "J1", "2026-01-01");
    served(&mut i, "A2", "J2", "2026-01-01");
    booked(&mut i, "Z9", "J9", "2026-01-05", JobStatus::Booked);
    let rules = Rules {
        callback_days_new: vec![3],
        callbacks_per_agent_per_day: 2,
        ..Rules::default()
    };
    check(
        &i,
        &rules,
        &[
            ("2026-01-04", "Z9", F, "2026-01-04"),
            ("2026-01-04", "A1", N, "2026-01-04"),
            ("2026-01-05", "A2", N, "2026-01-04"),
        ],
        &[],
    );
}

#[test]
fn done_callbacks_are_not_planned_again() {
    let mut i = input("2026-01-10", 1);
    served(&mut i, "C1", "J1", "2026-01-10");
    i.done.push(CallbackRef {
        customer: CustomerId::new("C1"),
        kind: N,
        due: d("2026-01-13"),
    });
    i.done.push(CallbackRef {
        customer: CustomerId::new("C1"),
        kind: R,
        due: d("2026-01-17"),
    }); // other kind
    check(
        &i,
        &Rules::default(),
        &[
            ("2026-01-17", "C1", N, "2026-01-17"),
            ("2026-01-24", "C1", N, "2026-01-24"),
            ("2026-01-31", "C1", N, "2026-01-31"),
        ],
        &[],
    );
}

#[test]
fn overdue_callbacks_are_planned_from_today() {
    let mut i = input("2026-01-10", 1);
    served(&mut i, "C1", "J1", "2025-12-20");
    check(
        &i,
        &Rules::default(),
        &[
            ("2026-01-10", "C1", N, "2025-12-23"),
            ("2026-01-10", "C1", N, "2025-12-27"),
            ("2026-01-10", "C1", N, "2026-01-03"),
            ("2026-01-10", "C1", N, "2026-01-10"),
        ],
        &[],
    );
}

#[test]
fn identical_callbacks_are_one_call() {
    let mut i = input("2026-01-01", 1);
    history(&mut i, "C1", "2025-01-01");
    served(&mut i, "C1", "J1", "2026-01-05");
    served(&mut i, "C1", "J2", "2026-01-05");
    check(
        &i,
        &Rules::default(),
        &[
            ("2026-02-05", "C1", R, "2026-02-05"),
            ("2026-03-05", "C1", R, "2026-03-05"),
        ],
        &[],
    );
}

#[test]
fn no_agents_means_every_call_is_reported() {
    let mut i = input("2026-01-10", 0);
    served(&mut i, "C1", "J1", "2026-01-10");
    booked(&mut i, "C2", "J2", "2026-01-20", JobStatus::Booked);
    let rules = Rules {
        callback_days_new: vec![3],
        ..Rules::default()
    };
    check(
        &i,
        &rules,
        &[],
        &[
            "no_capacity",
            "unscheduled C2 Confirmation 2026-01-19",
            "unscheduled C1 NewCustomer 2026-01-13",
        ],
    );
}

#[test]
fn no_working_days_means_every_call_is_reported() {
    let mut i = input("2026-01-10", 1);
    complaint(&mut i, "C1", "2026-01-10");
    let rules = Rules {
        working_weekdays: vec![],
        ..Rules::default()
    };
    check(
        &i,
        &rules,
        &[],
        &["no_working_days", "unscheduled C1 Complaint 2026-01-17"],
    );
}

#[test]
fn dates_out_of_range_are_reported() {
    let mut i = input("2026-01-10", 1);
    request(&mut i, "C1", "2026-01-10", u32::MAX);
    check(&i, &Rules::default(), &[], &["date_out_of_range C1 R-C1"]);
}

#[test]
fn problems_explain_in_both_languages() {
    let mut i = input("2026-01-10", 1);
    booked(&mut i, "C1", "J1", "2026-01-10", JobStatus::Booked);
    let plan = plan_followups(&i, &Rules::default());
    let p = &plan.problems[0];
    assert_eq!(
        p.explain(Lang::Zh),
        "订单 J1（客户 C1）在服务日前无法安排确认电话：请另行确认"
    );
    assert_eq!(p.explain(Lang::En), "No day before job J1 (customer C1) is free for its confirmation call: confirm it another way");
}

#[test]
fn input_and_plan_round_trip_through_json() {
    let input = sample_input(50, 7);
    let json = serde_json::to_string(&input).unwrap();
    let back: FollowupInput = serde_json::from_str(&json).unwrap();
    assert_eq!(back, input);
    let plan = plan_followups(&input, &Rules::default());
    let back: FollowupPlan = serde_json::from_str(&serde_json::to_string(&plan).unwrap()).unwrap();
    assert_eq!(back, plan);
    // Minimal JSON: lists default to empty, status to booked.
    let min: FollowupInput = serde_json::from_str(
        r#"{"today":"2026-01-10","agents":1,"booked":[{"job":"J1","customer":"C1","date":"2026-01-12"}]}"#,
    )
    .unwrap();
    check(
        &min,
        &Rules::default(),
        &[("2026-01-11", "C1", F, "2026-01-11")],
        &[],
    );
}

#[test]
fn sample_input_is_deterministic_and_busy() {
    let a = sample_input(2_000, 42);
    assert_eq!(a, sample_input(2_000, 42));
    assert_ne!(a, sample_input(2_000, 43));
    assert_eq!(a.customers.len(), 2_000);
    assert_eq!(a.agents, 2);
    let plan = plan_followups(&a, &Rules::default());
    assert!(plan.total() > 2_000, "{}", plan.total());
    assert!(
        plan.days
            .iter()
            .any(|d| d.callbacks.len() as u32 == plan.capacity_per_day),
        "some day is full"
    );
    assert!(plan.callbacks().all(|c| c.scheduled >= a.today));
}
