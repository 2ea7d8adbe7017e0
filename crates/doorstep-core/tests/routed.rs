#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

// Data-driven cases for the travel-aware planner (`plan_routed`): who gets which job, and
// which jobs of a previous plan moved. `check` also asserts determinism (twice, and with the
// workers, jobs and previous plan in reverse order).

use chrono::NaiveDateTime;
use doorstep_core::dispatch::{plan_routed, DispatchInput, Geo, RoutedPlan, SearchParams};
use doorstep_core::geo::LatLon;
use doorstep_core::model::{
    Assignment, CustomerId, Job, JobId, JobStatus, Shift, Skill, StoreId, TimeWindow, Worker,
    WorkerId, Zone,
};
use doorstep_core::Rules;

/// `"08:00"` → 2025-03-03 08:00.
fn t(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(&format!("2025-03-03 {s}"), "%Y-%m-%d %H:%M")
        .unwrap_or_else(|e| panic!("bad time {s}: {e}"))
}

/// A worker of S1 with `skills`, on shift `from`–`to` on 03-03.
fn w(badge: &str, skills: &[&str], from: &str, to: &str) -> Worker {
    Worker {
        badge: WorkerId::new(badge),
        name: format!("员工{badge}"),
        phone: "13900000000".into(),
        store: StoreId::new("S1"),
        skills: skills.iter().map(|s| Skill::new(*s)).collect(),
        leader: false,
        shifts: vec![Shift {
            start: t(from),
            end: t(to),
        }],
        home_zone: None,
    }
}

/// A job of S1 for one worker with `skills`, `minutes` long, any time 08:00–18:00 on 03-03.
fn j(id: &str, skills: &[&str], minutes: u32) -> Job {
    Job {
        id: JobId::new(id),
        store: StoreId::new("S1"),
        customer: CustomerId::new("C1"),
        items: Vec::new(),
        skills: skills.iter().map(|s| Skill::new(*s)).collect(),
        crew_size: 1,
        window: TimeWindow {
            start: t("08:00"),
            end: t("18:00"),
        },
        duration_minutes: minutes,
        zone: Zone::new("A"),
        urgent: false,
        status: JobStatus::Booked,
        source: Default::default(),
        special_requests: String::new(),
    }
}

/// A previous plan's assignment of `job` to `worker` at `start`, 60 min.
fn prev(job: &str, worker: &str, start: &str) -> Assignment {
    let s = t(start);
    Assignment {
        job: JobId::new(job),
        workers: vec![WorkerId::new(worker)],
        leader: WorkerId::new(worker),
        start: s,
        end: s + chrono::TimeDelta::minutes(60),
    }
}

/// Places along one street: `x` in hundredths of a degree of longitude east of 121.40.
fn at(x: u32) -> LatLon {
    LatLon::new(31.23, 121.40 + f64::from(x) / 100.0)
}

fn input(
    workers: Vec<(Worker, u32)>,
    jobs: Vec<(Job, u32)>,
    previous: Vec<Assignment>,
) -> DispatchInput {
    let mut geo = Geo::default();
    for (wk, x) in &workers {
        geo.workers.insert(wk.badge.clone(), at(*x));
    }
    for (jb, x) in &jobs {
        geo.jobs.insert(jb.id.clone(), at(*x));
    }
    DispatchInput {
        jobs: jobs.into_iter().map(|x| x.0).collect(),
        workers: workers.into_iter().map(|x| x.0).collect(),
        existing: Vec::new(),
        travel: Default::default(),
        geo,
        previous,
    }
}

fn run(input: &DispatchInput) -> RoutedPlan {
    run_with(input, &Rules::default())
}

fn run_with(input: &DispatchInput, rules: &Rules) -> RoutedPlan {
    let params = SearchParams {
        seed: 3,
        iterations: 300,
        ..SearchParams::default()
    };
    plan_routed(input, rules, params)
}

/// Runs the planner and compares (job, worker or "-" for unassigned) and the moved jobs.
fn check(input: &DispatchInput, expected: &[(&str, &str)], moved: &[&str]) {
    check_with(&Rules::default(), input, expected, moved)
}

fn check_with(rules: &Rules, input: &DispatchInput, expected: &[(&str, &str)], moved: &[&str]) {
    let run = |i: &DispatchInput| run_with(i, rules);
    let r = run(input);
    let mut got: Vec<(String, String)> = r
        .plan
        .assignments
        .iter()
        .map(|a| {
            let ws: Vec<&str> = a.assignment.workers.iter().map(|w| w.as_str()).collect();
            (a.assignment.job.to_string(), ws.join("+"))
        })
        .chain(
            r.plan
                .unassigned
                .iter()
                .map(|u| (u.job.to_string(), "-".to_owned())),
        )
        .collect();
    got.sort();
    let want: Vec<(String, String)> = expected
        .iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect();
    assert_eq!(got, want);
    let got_moved: Vec<&str> = r.moved.iter().map(|j| j.as_str()).collect();
    assert_eq!(got_moved, moved);
    // Deterministic, whatever the input order.
    assert_eq!(run(input), r);
    let mut rev = input.clone();
    rev.workers.reverse();
    rev.jobs.reverse();
    rev.previous.reverse();
    assert_eq!(run(&rev), r);
}

#[test]
fn each_job_goes_to_the_nearer_worker() {
    let i = input(
        vec![
            (w("W1", &["clean"], "08:00", "18:00"), 0),
            (w("W2", &["clean"], "08:00", "18:00"), 20),
        ],
        vec![(j("J1", &["clean"], 60), 1), (j("J2", &["clean"], 60), 19)],
        Vec::new(),
    );
    check(&i, &[("J1", "W1"), ("J2", "W2")], &[]);
}

#[test]
fn re_planning_keeps_the_previous_crews_where_they_still_fit() {
    // The previous plan crossed them over (more travel): it is kept, nothing moves.
    let i = input(
        vec![
            (w("W1", &["clean"], "08:00", "18:00"), 0),
            (w("W2", &["clean"], "08:00", "18:00"), 20),
        ],
        vec![(j("J1", &["clean"], 60), 1), (j("J2", &["clean"], 60), 19)],
        vec![prev("J1", "W2", "09:00"), prev("J2", "W1", "09:00")],
    );
    check(&i, &[("J1", "W2"), ("J2", "W1")], &[]);
}

#[test]
fn re_planning_moves_only_what_a_new_job_needs() {
    // J3 needs glass, which only W2 has, and fills W2's short day: J1 leaves W2 for W1 (moved),
    // J2 stays with W1, and only J1 is reported moved.
    let i = input(
        vec![
            (w("W1", &["clean"], "08:00", "18:00"), 0),
            (w("W2", &["clean", "glass"], "08:00", "11:00"), 20),
        ],
        vec![
            (j("J1", &["clean"], 60), 18),
            (j("J2", &["clean"], 60), 19),
            (j("J3", &["glass"], 150), 20),
        ],
        vec![prev("J1", "W2", "09:00"), prev("J2", "W1", "10:00")],
    );
    check(&i, &[("J1", "W1"), ("J2", "W1"), ("J3", "W2")], &["J1"]);
}

#[test]
fn a_new_job_does_not_push_a_previous_one_out() {
    let i = input(
        vec![(w("W1", &["clean"], "08:00", "10:00"), 0)],
        vec![(j("J1", &["clean"], 100), 0), (j("J2", &["clean"], 60), 0)],
        vec![prev("J2", "W1", "08:00")],
    );
    // J1 (100 min) would fit alone, but J2 keeps its worker: J1 is left out.
    check(&i, &[("J1", "-"), ("J2", "W1")], &[]);
}

/// One job's why: (job, added travel minutes, alternatives, runner-up and its minutes).
type Why<S> = (S, u32, u32, Option<(S, u32)>);

/// Compares each assigned job's why.
fn check_why(input: &DispatchInput, expected: &[Why<&str>]) {
    let r = run(input);
    let got: Vec<Why<String>> = r
        .why
        .iter()
        .map(|w| {
            (
                w.job.to_string(),
                w.added_travel_minutes,
                w.alternatives,
                w.runner_up.as_ref().map(|(b, m)| (b.to_string(), *m)),
            )
        })
        .collect();
    let want: Vec<Why<String>> = expected
        .iter()
        .map(|(j, a, n, r)| ((*j).to_owned(), *a, *n, r.map(|(b, m)| (b.to_owned(), m))))
        .collect();
    assert_eq!(got, want);
}

#[test]
fn each_assigned_job_says_why_that_worker() {
    // J1 goes to W1 next door; W2 would travel from 20 stops away.
    let i = input(
        vec![
            (w("W1", &["clean"], "08:00", "18:00"), 0),
            (w("W2", &["clean"], "08:00", "18:00"), 20),
        ],
        vec![(j("J1", &["clean"], 60), 1), (j("J2", &["clean"], 60), 19)],
        Vec::new(),
    );
    check_why(
        &i,
        &[
            ("J1", 12, 1, Some(("W2", 192))),
            ("J2", 12, 1, Some(("W1", 192))),
        ],
    );
}

#[test]
fn a_crew_says_who_could_stand_in() {
    // A crew of two from 10:00 near W1 and W2 (W1 leads); W3 lives farther off and could
    // stand in for W2 at the crew's start.
    let mut lead = w("W1", &["clean"], "08:00", "18:00");
    lead.leader = true;
    let mut crew = j("J1", &["clean"], 60);
    crew.crew_size = 2;
    crew.window.start = t("10:00");
    let i = input(
        vec![
            (lead, 0),
            (w("W2", &["clean"], "08:00", "18:00"), 1),
            (w("W3", &["clean"], "08:00", "18:00"), 10),
        ],
        vec![(crew, 1)],
        Vec::new(),
    );
    check(&i, &[("J1", "W1+W2")], &[]);
    check_why(&i, &[("J1", 12, 1, Some(("W3", 96)))]);
}

#[test]
fn a_job_listed_twice_in_the_previous_plan_keeps_its_earliest_entry() {
    // W2 is nearer, but the earlier entry says W1 (and input order does not matter: `check`
    // also runs it reversed).
    let i = input(
        vec![
            (w("W1", &["clean"], "08:00", "18:00"), 0),
            (w("W2", &["clean"], "08:00", "18:00"), 20),
        ],
        vec![(j("J1", &["clean"], 60), 19)],
        vec![prev("J1", "W2", "10:00"), prev("J1", "W1", "09:00")],
    );
    check(&i, &[("J1", "W1")], &[]);
}

/// Rules under which deep cleaning's crews hold the job's skills jointly.
fn joint() -> Rules {
    Rules {
        joint_skill_services: vec!["deep_clean".into()],
        ..Rules::default()
    }
}

/// A deep-cleaning job for a crew of `crew` needing `skills`.
fn deep(id: &str, skills: &[&str], crew: u8) -> Job {
    let mut job = j(id, skills, 60);
    job.items = vec![doorstep_core::model::ServiceLine {
        code: "deep_clean".into(),
        quantity: 1,
    }];
    job.crew_size = crew;
    job
}

fn lead(mut w: Worker) -> Worker {
    w.leader = true;
    w
}

#[test]
fn a_crew_shares_out_the_skills_where_the_service_allows_it() {
    let workers = || {
        vec![
            (lead(w("W1", &["deep"], "08:00", "18:00")), 0),
            (w("W2", &["glass"], "08:00", "18:00"), 1),
            (w("W3", &["clean"], "08:00", "18:00"), 0),
        ]
    };
    let i = input(
        workers(),
        vec![(deep("J1", &["deep", "glass"], 2), 1)],
        Vec::new(),
    );
    // Each member alone: nobody holds both.
    check(&i, &[("J1", "-")], &[]);
    // Jointly: W1 takes deep, W2 glass (W3, nearer, holds neither).
    check_with(&joint(), &i, &[("J1", "W1+W2")], &[]);
    // The same job of a service not listed keeps the individual rule.
    let mut other = deep("J1", &["deep", "glass"], 2);
    other.items[0].code = "daily_clean".into();
    check_with(
        &joint(),
        &input(workers(), vec![(other, 1)], Vec::new()),
        &[("J1", "-")],
        &[],
    );
}

#[test]
fn a_shared_crew_still_needs_a_leader_and_one_skill_per_member() {
    // No leader: nobody takes it.
    let i = input(
        vec![
            (w("W1", &["deep"], "08:00", "18:00"), 0),
            (w("W2", &["glass"], "08:00", "18:00"), 0),
        ],
        vec![(deep("J1", &["deep", "glass"], 2), 0)],
        Vec::new(),
    );
    check_with(&joint(), &i, &[("J1", "-")], &[]);
    // An all-rounder leader and a helper with neither skill: each member counts once.
    let i = input(
        vec![
            (lead(w("W1", &["deep", "glass"], "08:00", "18:00")), 0),
            (w("W2", &["clean"], "08:00", "18:00"), 0),
        ],
        vec![(deep("J1", &["deep", "glass"], 2), 0)],
        Vec::new(),
    );
    check_with(&joint(), &i, &[("J1", "-")], &[]);
    // A leader who holds none of the skills leads two who share them out.
    let i = input(
        vec![
            (lead(w("W1", &["clean"], "08:00", "18:00")), 0),
            (w("W2", &["deep"], "08:00", "18:00"), 5),
            (w("W3", &["glass"], "08:00", "18:00"), 5),
            (w("W4", &["deep"], "08:00", "18:00"), 9),
        ],
        vec![(deep("J1", &["deep", "glass"], 3), 0)],
        Vec::new(),
    );
    check_with(&joint(), &i, &[("J1", "W1+W2+W3")], &[]);
}
