#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

// Data-driven cases for `dispatch`: each test builds a small input and lists what it expects;
// `check` runs the planner and also asserts determinism (twice, and with workers and existing
// assignments in reverse order) and that `check_manual` accepts every proposed assignment.

use chrono::NaiveDateTime;
use doorstep_core::dispatch::{
    check_manual, is_plannable, plan, sample_input, DispatchInput, Plan, Reason, Rejection,
    Severity, TravelTable, Unassigned, Violation,
};
use doorstep_core::model::{
    Assignment, CustomerId, Job, JobId, JobStatus, ServiceLine, Shift, Skill, StoreId, TimeWindow,
    Worker, WorkerId, Zone,
};
use doorstep_core::{Explain, Lang, Rules};

// ---------- building inputs ----------

/// `"03-03 08:00"` → 2025-03-03 08:00.
fn t(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(&format!("2025-{s}"), "%Y-%m-%d %H:%M")
        .unwrap_or_else(|e| panic!("bad time {s}: {e}"))
}

/// A worker of store S1 with skill `clean`, no leader, shift 03-03 08:00–18:00, no home zone.
fn w(badge: &str) -> Worker {
    Worker {
        badge: WorkerId::new(badge),
        name: format!("员工{badge}"),
        phone: "13900000000".into(),
        store: StoreId::new("S1"),
        skills: vec![Skill::new("clean")],
        leader: false,
        shifts: vec![Shift {
            start: t("03-03 08:00"),
            end: t("03-03 18:00"),
        }],
        home_zone: None,
    }
}

trait WorkerExt {
    fn store(self, s: &str) -> Self;
    fn skills(self, s: &[&str]) -> Self;
    fn leader(self) -> Self;
    fn shifts(self, s: &[(&str, &str)]) -> Self;
    fn home(self, z: &str) -> Self;
}

impl WorkerExt for Worker {
    fn store(mut self, s: &str) -> Self {
        self.store = StoreId::new(s);
        self
    }
    fn skills(mut self, s: &[&str]) -> Self {
        self.skills = s.iter().map(|x| Skill::new(*x)).collect();
        self
    }
    fn leader(mut self) -> Self {
        self.leader = true;
        self
    }
    fn shifts(mut self, s: &[(&str, &str)]) -> Self {
        self.shifts = s
            .iter()
            .map(|(a, b)| Shift {
                start: t(a),
                end: t(b),
            })
            .collect();
        self
    }
    fn home(mut self, z: &str) -> Self {
        self.home_zone = Some(Zone::new(z));
        self
    }
}

/// A job of store S1 needing `clean`, crew 1, 60 min in zone A, window 03-03 08:00–18:00.
fn j(id: &str) -> Job {
    Job {
        id: JobId::new(id),
        store: StoreId::new("S1"),
        customer: CustomerId::new("C1"),
        items: vec![ServiceLine {
            code: "daily_clean".into(),
            quantity: 2,
        }],
        skills: vec![Skill::new("clean")],
        crew_size: 1,
        window: TimeWindow {
            start: t("03-03 08:00"),
            end: t("03-03 18:00"),
        },
        duration_minutes: 60,
        zone: Zone::new("A"),
        urgent: false,
        status: JobStatus::Booked,
        source: Default::default(),
        special_requests: String::new(),
    }
}

trait JobExt {
    fn store(self, s: &str) -> Self;
    fn skills(self, s: &[&str]) -> Self;
    fn crew(self, n: u8) -> Self;
    fn window(self, a: &str, b: &str) -> Self;
    fn dur(self, m: u32) -> Self;
    fn zone(self, z: &str) -> Self;
    fn urgent(self) -> Self;
    fn status(self, s: JobStatus) -> Self;
}

impl JobExt for Job {
    fn store(mut self, s: &str) -> Self {
        self.store = StoreId::new(s);
        self
    }
    fn skills(mut self, s: &[&str]) -> Self {
        self.skills = s.iter().map(|x| Skill::new(*x)).collect();
        self
    }
    fn crew(mut self, n: u8) -> Self {
        self.crew_size = n;
        self
    }
    fn window(mut self, a: &str, b: &str) -> Self {
        self.window = TimeWindow {
            start: t(a),
            end: t(b),
        };
        self
    }
    fn dur(mut self, m: u32) -> Self {
        self.duration_minutes = m;
        self
    }
    fn zone(mut self, z: &str) -> Self {
        self.zone = Zone::new(z);
        self
    }
    fn urgent(mut self) -> Self {
        self.urgent = true;
        self
    }
    fn status(mut self, s: JobStatus) -> Self {
        self.status = s;
        self
    }
}

/// An assignment: `asg("J1", &["W1","W2"], "W1", "03-03 08:00", "03-03 09:00")`.
fn asg(job: &str, workers: &[&str], leader: &str, start: &str, end: &str) -> Assignment {
    Assignment {
        job: JobId::new(job),
        workers: workers.iter().map(|x| WorkerId::new(*x)).collect(),
        leader: WorkerId::new(leader),
        start: t(start),
        end: t(end),
    }
}

/// Travel A–B 30 min; everything else per the defaults (same zone 0, missing pair 45).
fn input(workers: Vec<Worker>, jobs: Vec<Job>) -> DispatchInput {
    DispatchInput {
        jobs,
        workers,
        existing: Vec::new(),
        travel: TravelTable::new().with("A", "B", 30),
        geo: Default::default(),
        previous: Vec::new(),
    }
}

fn with_existing(mut i: DispatchInput, existing: Vec<Assignment>) -> DispatchInput {
    i.existing = existing;
    i
}

fn ws(v: &[&str]) -> Vec<WorkerId> {
    v.iter().map(|x| WorkerId::new(*x)).collect()
}

// ---------- expectations and the one checker ----------

enum Exp {
    /// job, crew (badge order), leader, start.
    Assigned(
        &'static str,
        &'static [&'static str],
        &'static str,
        &'static str,
    ),
    /// job was escalated to this store.
    Escalated(&'static str, &'static str),
    /// the escalated job carries exactly these reasons of its home store.
    Home(&'static str, Vec<Reason>),
    /// the escalated job carries exactly these passed-over workers of its home store.
    HomeRejected(&'static str, Vec<(&'static str, Reason)>),
    /// job left unassigned with exactly these reasons.
    Unassigned(&'static str, Vec<Reason>),
    /// among the job's rejected workers, this one with this reason.
    Rejected(&'static str, &'static str, Reason),
    /// the job is in neither list (not planned).
    Absent(&'static str),
    /// numbers of assignments and unassigned jobs.
    Counts(usize, usize),
    /// `check_manual` of this assignment gives exactly these violations.
    Manual(Assignment, Vec<Violation>),
    /// the unassigned job's explanation, in this language, is exactly this.
    Text(&'static str, Lang, &'static str),
}

fn check(input: &DispatchInput, expected: &[Exp]) {
    check_with(&Rules::default(), input, expected)
}

fn check_with(rules: &Rules, input: &DispatchInput, expected: &[Exp]) {
    let p = plan(input, rules);

    // Determinism: same input, and workers/existing in another order, give the same plan.
    assert_eq!(p, plan(input, rules), "plan is not deterministic");
    let mut shuffled = input.clone();
    shuffled.workers.reverse();
    shuffled.existing.reverse();
    assert_eq!(
        p,
        plan(&shuffled, rules),
        "plan depends on the order of workers"
    );
    // JSON round trip.
    let json = serde_json::to_string(&p).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        Ok(&p),
        serde_json::from_str::<Plan>(&json)
            .as_ref()
            .map_err(|e| e.to_string())
    );
    // An escalation always carries its home store's reasons, and only then; they name the
    // job's own store and only workers of that store.
    for a in &p.assignments {
        let job = input.jobs.iter().find(|x| x.id == a.assignment.job);
        assert_eq!(
            a.escalated.is_some(),
            a.home_store.is_some(),
            "home reasons of {a:?}"
        );
        if let (Some(home), Some(job)) = (&a.home_store, job) {
            assert_eq!(home.store, job.store);
            assert!(!home.reasons.is_empty(), "{a:?}");
            for r in &home.rejected {
                let worker = input.workers.iter().find(|w| w.badge == r.worker);
                assert_eq!(worker.map(|w| &w.store), Some(&job.store), "{r:?}");
            }
        }
    }
    // Every proposal passes check_manual against everything else.
    let mut all = input.clone();
    all.existing
        .extend(p.assignments.iter().map(|a| a.assignment.clone()));
    for a in &p.assignments {
        assert_eq!(
            check_manual(&all, rules, &a.assignment),
            vec![],
            "check_manual rejects {a:?}"
        );
    }

    for e in expected {
        match e {
            Exp::Assigned(job, crew, leader, start) => {
                let a = p
                    .assignment(job)
                    .unwrap_or_else(|| panic!("{job} not assigned: {p:#?}"));
                assert_eq!(a.assignment.workers, ws(crew), "crew of {job}");
                assert_eq!(a.assignment.leader.as_str(), *leader, "leader of {job}");
                assert_eq!(a.assignment.start, t(start), "start of {job}");
                let job_dur = input
                    .jobs
                    .iter()
                    .find(|x| x.id.as_str() == *job)
                    .map(|x| x.duration_minutes);
                assert_eq!(
                    Some((a.assignment.end - a.assignment.start).num_minutes()),
                    job_dur.map(i64::from)
                );
                if !expected
                    .iter()
                    .any(|x| matches!(x, Exp::Escalated(j2, _) if j2 == job))
                {
                    assert_eq!(a.escalated, None, "{job} unexpectedly escalated");
                }
            }
            Exp::Escalated(job, store) => {
                let a = p
                    .assignment(job)
                    .unwrap_or_else(|| panic!("{job} not assigned: {p:#?}"));
                assert_eq!(a.escalated, Some(StoreId::new(*store)));
            }
            Exp::Home(job, reasons) => {
                let a = p
                    .assignment(job)
                    .unwrap_or_else(|| panic!("{job} not assigned: {p:#?}"));
                let home = a.home_store.as_ref();
                assert_eq!(
                    home.map(|h| &h.reasons),
                    Some(reasons),
                    "home reasons of {job}"
                );
            }
            Exp::HomeRejected(job, want) => {
                let a = p
                    .assignment(job)
                    .unwrap_or_else(|| panic!("{job} not assigned: {p:#?}"));
                let got: Vec<(&str, &Reason)> = a
                    .home_store
                    .iter()
                    .flat_map(|h| &h.rejected)
                    .map(|r| (r.worker.as_str(), &r.reason))
                    .collect();
                let want: Vec<(&str, &Reason)> = want.iter().map(|(w, r)| (*w, r)).collect();
                assert_eq!(got, want, "home rejections of {job}");
            }
            Exp::Unassigned(job, reasons) => {
                let u = p
                    .unassigned_job(job)
                    .unwrap_or_else(|| panic!("{job} not unassigned: {p:#?}"));
                assert_eq!(&u.reasons, reasons, "reasons of {job}");
            }
            Exp::Rejected(job, worker, reason) => {
                let u = p
                    .unassigned_job(job)
                    .unwrap_or_else(|| panic!("{job} not unassigned: {p:#?}"));
                let r = u.rejected.iter().find(|r| r.worker.as_str() == *worker);
                assert_eq!(
                    r.map(|r| &r.reason),
                    Some(reason),
                    "rejection of {worker} for {job}: {u:#?}"
                );
            }
            Exp::Absent(job) => {
                assert!(
                    p.assignment(job).is_none() && p.unassigned_job(job).is_none(),
                    "{job} was planned"
                );
            }
            Exp::Counts(a, u) => {
                assert_eq!(
                    (p.assignments.len(), p.unassigned.len()),
                    (*a, *u),
                    "{p:#?}"
                );
            }
            Exp::Manual(a, violations) => {
                assert_eq!(
                    &check_manual(input, rules, a),
                    violations,
                    "check_manual({a:?})"
                );
            }
            Exp::Text(job, lang, text) => {
                let u = p
                    .unassigned_job(job)
                    .unwrap_or_else(|| panic!("{job} not unassigned: {p:#?}"));
                assert_eq!(u.explain(*lang), *text);
            }
        }
    }
}

use Exp::*;

fn err(worker: Option<&str>, reason: Reason) -> Violation {
    Violation::error(worker.map(WorkerId::new).as_ref(), reason)
}

fn warn(worker: Option<&str>, reason: Reason) -> Violation {
    Violation::warning(worker.map(WorkerId::new).as_ref(), reason)
}

fn overlap(job: &str, travel: u32) -> Reason {
    Reason::Overlap {
        job: JobId::new(job),
        travel_minutes: travel,
    }
}

fn no_eligible(store: &str) -> Reason {
    Reason::NoEligibleWorker {
        store: StoreId::new(store),
    }
}

fn cap(n: u32) -> Reason {
    Reason::OverDailyCap {
        would_be_minutes: n,
        cap_minutes: 540,
    }
}

// ---------- planning: single workers ----------

#[test]
fn a_job_goes_to_the_only_worker_at_the_window_start() {
    check(
        &input(
            vec![w("W1")],
            vec![j("J1").window("03-03 09:00", "03-03 12:00")],
        ),
        &[Assigned("J1", &["W1"], "W1", "03-03 09:00"), Counts(1, 0)],
    );
}

#[test]
fn missing_skill_is_named() {
    check(
        &input(
            vec![w("W1"), w("W2").skills(&["clean", "glass"])],
            vec![j("J1").skills(&["glass", "clean", "oven"])],
        ),
        &[
            Unassigned("J1", vec![no_eligible("S1")]),
            Rejected(
                "J1",
                "W1",
                Reason::MissingSkill {
                    skills: vec![Skill::new("glass"), Skill::new("oven")],
                },
            ),
            Rejected(
                "J1",
                "W2",
                Reason::MissingSkill {
                    skills: vec![Skill::new("oven")],
                },
            ),
        ],
    );
}

#[test]
fn shift_boundaries_are_inclusive() {
    let worker = w("W1").shifts(&[("03-03 08:00", "03-03 12:00")]);
    // Ends exactly at the shift's end.
    check(
        &input(
            vec![worker.clone()],
            vec![j("J1").window("03-03 11:00", "03-03 13:00")],
        ),
        &[Assigned("J1", &["W1"], "W1", "03-03 11:00")],
    );
    // One minute too long.
    check(
        &input(
            vec![worker.clone()],
            vec![j("J1").window("03-03 11:00", "03-03 13:00").dur(61)],
        ),
        &[
            Unassigned("J1", vec![no_eligible("S1")]),
            Rejected("J1", "W1", Reason::OutsideShift),
        ],
    );
    // A window opening before the shift starts at the shift's start.
    check(
        &input(
            vec![worker.clone()],
            vec![j("J1").window("03-03 07:00", "03-03 09:00")],
        ),
        &[Assigned("J1", &["W1"], "W1", "03-03 08:00")],
    );
    // Another day.
    check(
        &input(
            vec![worker],
            vec![j("J1").window("03-04 08:00", "03-04 12:00")],
        ),
        &[Rejected("J1", "W1", Reason::OutsideShift)],
    );
}

#[test]
fn a_job_fits_in_any_shift_of_the_window() {
    let worker = w("W1").shifts(&[
        ("03-03 08:00", "03-03 10:00"),
        ("03-03 14:00", "03-03 18:00"),
    ]);
    check(
        &input(
            vec![worker],
            vec![j("J1").window("03-03 09:30", "03-03 18:00").dur(90)],
        ),
        &[Assigned("J1", &["W1"], "W1", "03-03 14:00")],
    );
}

#[test]
fn window_spanning_days_uses_the_day_the_worker_works() {
    let worker = w("W1").shifts(&[("03-04 08:00", "03-04 18:00")]);
    check(
        &input(
            vec![worker],
            vec![j("J1").window("03-03 08:00", "03-04 18:00")],
        ),
        &[Assigned("J1", &["W1"], "W1", "03-04 08:00")],
    );
}

#[test]
fn overlap_counts_travel_after_an_existing_job() {
    let base = || {
        let mut i = input(vec![w("W1")], vec![j("J0").zone("A"), j("J1").zone("B")]);
        i.existing = vec![asg("J0", &["W1"], "W1", "03-03 08:00", "03-03 10:00")];
        i
    };
    // A→B is 30 min: the earliest start is 10:30.
    let mut i = base();
    i.jobs[1] = j("J1").zone("B").window("03-03 10:00", "03-03 11:30");
    check(
        &i,
        &[Assigned("J1", &["W1"], "W1", "03-03 10:30"), Absent("J0")],
    );
    // No room for the travel.
    let mut i = base();
    i.jobs[1] = j("J1").zone("B").window("03-03 10:00", "03-03 11:00");
    check(
        &i,
        &[
            Unassigned("J1", vec![no_eligible("S1")]),
            Rejected("J1", "W1", overlap("J0", 30)),
        ],
    );
    // Directly overlapping the existing job.
    let mut i = base();
    i.jobs[1] = j("J1").zone("A").window("03-03 09:00", "03-03 10:00");
    check(&i, &[Rejected("J1", "W1", overlap("J0", 0))]);
}

/// Office travel times need not obey the triangle rule: here C–M and M–D take 0 min, C–D the
/// default 45. A job at M between the existing one at C and a job at D shortens the way, so
/// the job at D may start sooner than it could straight after C.
#[test]
fn a_job_in_between_can_shorten_travel() {
    let mut i = input(
        vec![w("W1")],
        vec![
            j("J0").zone("C"),
            j("J1")
                .zone("M")
                .window("03-03 08:00", "03-03 11:30")
                .dur(30),
            j("J2")
                .zone("D")
                .window("03-03 08:00", "03-03 12:30")
                .dur(30),
        ],
    );
    i.travel = TravelTable::new().with("C", "M", 0).with("M", "D", 0);
    i.existing = vec![asg("J0", &["W1"], "W1", "03-03 08:00", "03-03 08:30")];
    let j2 = asg("J2", &["W1"], "W1", "03-03 09:00", "03-03 09:30");
    check(
        &i,
        &[
            Assigned("J1", &["W1"], "W1", "03-03 08:30"),
            Assigned("J2", &["W1"], "W1", "03-03 09:00"),
            // Without J1 in between, J2 at 09:00 is too soon after J0.
            Manual(j2.clone(), vec![err(Some("W1"), overlap("J0", 45))]),
        ],
    );
    let mut with_j1 = i.clone();
    with_j1
        .existing
        .push(asg("J1", &["W1"], "W1", "03-03 08:30", "03-03 09:00"));
    check(&with_j1, &[Manual(j2, vec![])]);
}

#[test]
fn overlap_counts_travel_before_an_existing_job() {
    let mk = |from: &str| {
        with_existing(
            input(
                vec![w("W1")],
                vec![
                    j("J0").zone("B"),
                    j("J1").zone("A").window(from, "03-03 12:00"),
                ],
            ),
            vec![asg("J0", &["W1"], "W1", "03-03 11:00", "03-03 12:00")],
        )
    };
    // 09:00–10:00, then 30 min to B: arrives 10:30 for 11:00.
    check(
        &mk("03-03 09:00"),
        &[Assigned("J1", &["W1"], "W1", "03-03 09:00")],
    );
    // Exactly in time: 09:30–10:30 + 30 min = 11:00.
    check(
        &mk("03-03 09:30"),
        &[Assigned("J1", &["W1"], "W1", "03-03 09:30")],
    );
    // One minute late.
    check(
        &mk("03-03 09:31"),
        &[Rejected("J1", "W1", overlap("J0", 30))],
    );
}

#[test]
fn travel_defaults_same_zone_zero_missing_pair_default_or_given() {
    let mk = |zone: &str, travel: TravelTable| DispatchInput {
        jobs: vec![
            j("J0").zone("A"),
            j("J1").zone(zone).window("03-03 10:00", "03-03 12:00"),
        ],
        workers: vec![w("W1")],
        existing: vec![asg("J0", &["W1"], "W1", "03-03 08:00", "03-03 10:00")],
        travel,
        geo: Default::default(),
        previous: Vec::new(),
    };
    check(
        &mk("A", TravelTable::new()),
        &[Assigned("J1", &["W1"], "W1", "03-03 10:00")],
    );
    check(
        &mk("C", TravelTable::new()),
        &[Assigned("J1", &["W1"], "W1", "03-03 10:45")],
    );
    check(
        &mk("A", TravelTable::new().with("A", "A", 10)),
        &[Assigned("J1", &["W1"], "W1", "03-03 10:10")],
    );
    // Lookups are symmetric and a pair given twice keeps the longer time.
    check(
        &mk(
            "C",
            TravelTable::new().with("C", "A", 20).with("A", "C", 25),
        ),
        &[Assigned("J1", &["W1"], "W1", "03-03 10:25")],
    );
    // An existing assignment whose job is unknown: default travel both ways.
    let mut i = mk("A", TravelTable::new());
    i.jobs.remove(0);
    check(&i, &[Assigned("J1", &["W1"], "W1", "03-03 10:45")]);
}

#[test]
fn many_zones_follow_the_same_travel_rules() {
    // Over 512 zones the planner keeps travel times sparse: same answers.
    let mut travel = TravelTable::new().with("A", "B", 30).with("A", "A", 10);
    for k in 0..600 {
        travel.add(format!("Z{k}").as_str(), format!("Z{}", k + 1).as_str(), 5);
    }
    let mk = |zone: &str| DispatchInput {
        jobs: vec![
            j("J0").zone("A"),
            j("J1").zone(zone).window("03-03 10:00", "03-03 12:00"),
        ],
        workers: vec![w("W1")],
        existing: vec![asg("J0", &["W1"], "W1", "03-03 08:00", "03-03 10:00")],
        travel: travel.clone(),
        geo: Default::default(),
        previous: Vec::new(),
    };
    check(&mk("B"), &[Assigned("J1", &["W1"], "W1", "03-03 10:30")]);
    check(&mk("A"), &[Assigned("J1", &["W1"], "W1", "03-03 10:10")]);
    check(&mk("C"), &[Assigned("J1", &["W1"], "W1", "03-03 10:45")]);
    check(&mk("Z7"), &[Assigned("J1", &["W1"], "W1", "03-03 10:45")]);
}

#[test]
fn a_job_is_found_in_a_gap_between_existing_jobs() {
    let mk = |dur: u32| {
        with_existing(
            input(vec![w("W1")], vec![j("J0"), j("J2"), j("J1").dur(dur)]),
            vec![
                asg("J0", &["W1"], "W1", "03-03 08:00", "03-03 09:00"),
                asg("J2", &["W1"], "W1", "03-03 11:00", "03-03 12:00"),
            ],
        )
    };
    check(
        &mk(120),
        &[
            Assigned("J1", &["W1"], "W1", "03-03 09:00"),
            Absent("J0"),
            Absent("J2"),
        ],
    );
    check(&mk(121), &[Assigned("J1", &["W1"], "W1", "03-03 12:00")]);
}

#[test]
fn daily_cap_exactly_at_and_over() {
    let mk = |dur: u32, zone: &str| {
        with_existing(
            input(
                vec![w("W1")],
                vec![
                    j("J0"),
                    j("J1")
                        .zone(zone)
                        .dur(dur)
                        .window("03-03 16:00", "03-03 18:00"),
                ],
            ),
            vec![asg("J0", &["W1"], "W1", "03-03 08:00", "03-03 15:30")],
        )
    };
    // 450 + 90 = 540: at the cap.
    check(
        &mk(90, "A"),
        &[Assigned("J1", &["W1"], "W1", "03-03 16:00")],
    );
    check(
        &mk(91, "A"),
        &[
            Unassigned("J1", vec![no_eligible("S1")]),
            Rejected("J1", "W1", cap(541)),
        ],
    );
    // Travel counts: 450 + 30 + 60 = 540.
    check(
        &mk(60, "B"),
        &[Assigned("J1", &["W1"], "W1", "03-03 16:00")],
    );
    check(&mk(61, "B"), &[Rejected("J1", "W1", cap(541))]);
}

#[test]
fn daily_cap_comes_from_the_rules() {
    let rules = Rules {
        daily_cap_minutes: 120,
        ..Rules::default()
    };
    check_with(
        &rules,
        &input(vec![w("W1")], vec![j("J1"), j("J2"), j("J3")]),
        &[
            Assigned("J1", &["W1"], "W1", "03-03 08:00"),
            Assigned("J2", &["W1"], "W1", "03-03 09:00"),
            Rejected(
                "J3",
                "W1",
                Reason::OverDailyCap {
                    would_be_minutes: 180,
                    cap_minutes: 120,
                },
            ),
        ],
    );
}

#[test]
fn home_zone_travel_starts_the_day_and_counts_in_the_cap() {
    let worker = w("W1").home("B");
    check(
        &input(
            vec![worker.clone()],
            vec![j("J1").window("03-03 08:00", "03-03 10:00")],
        ),
        &[Assigned("J1", &["W1"], "W1", "03-03 08:30")],
    );
    check(
        &input(
            vec![worker.clone()],
            vec![j("J1").window("03-03 08:00", "03-03 09:00")],
        ),
        &[Rejected(
            "J1",
            "W1",
            Reason::TravelFromHome {
                zone: Zone::new("B"),
                travel_minutes: 30,
            },
        )],
    );
    let rules = Rules {
        daily_cap_minutes: 90,
        ..Rules::default()
    };
    check_with(
        &rules,
        &input(vec![worker.clone()], vec![j("J1")]),
        &[Assigned("J1", &["W1"], "W1", "03-03 08:30")],
    );
    check_with(
        &rules,
        &input(vec![worker], vec![j("J1").dur(61)]),
        &[Rejected(
            "J1",
            "W1",
            Reason::OverDailyCap {
                would_be_minutes: 91,
                cap_minutes: 90,
            },
        )],
    );
}

// ---------- planning: order and balance ----------

#[test]
fn urgent_jobs_are_planned_first() {
    check(
        &input(
            vec![w("W1")],
            vec![
                j("J1").window("03-03 08:00", "03-03 09:00"),
                j("J2").window("03-03 08:00", "03-03 09:00").urgent(),
            ],
        ),
        &[
            Assigned("J2", &["W1"], "W1", "03-03 08:00"),
            Unassigned("J1", vec![no_eligible("S1")]),
            Rejected("J1", "W1", overlap("J2", 0)),
        ],
    );
}

#[test]
fn earliest_window_first_then_job_id() {
    check(
        &input(
            vec![w("W1")],
            vec![
                j("J1").window("03-03 08:30", "03-03 10:00"),
                j("J2").window("03-03 08:00", "03-03 09:30"),
            ],
        ),
        &[
            Assigned("J2", &["W1"], "W1", "03-03 08:00"),
            Assigned("J1", &["W1"], "W1", "03-03 09:00"),
        ],
    );
    check(
        &input(vec![w("W1")], vec![j("J2"), j("J1")]),
        &[
            Assigned("J1", &["W1"], "W1", "03-03 08:00"),
            Assigned("J2", &["W1"], "W1", "03-03 09:00"),
        ],
    );
}

#[test]
fn load_is_balanced_least_loaded_first_ties_by_badge() {
    check(
        &input(vec![w("W2"), w("W1")], vec![j("J1"), j("J2"), j("J3")]),
        &[
            Assigned("J1", &["W1"], "W1", "03-03 08:00"),
            Assigned("J2", &["W2"], "W2", "03-03 08:00"),
            Assigned("J3", &["W1"], "W1", "03-03 09:00"),
        ],
    );
    // Existing work counts towards the load.
    check(
        &with_existing(
            input(
                vec![w("W1"), w("W2")],
                vec![j("J0"), j("J1").window("03-03 14:00", "03-03 18:00")],
            ),
            vec![asg("J0", &["W1"], "W1", "03-03 08:00", "03-03 09:00")],
        ),
        &[Assigned("J1", &["W2"], "W2", "03-03 14:00")],
    );
    // Only the load of that day counts.
    let two_days = |b: &str| {
        w(b).shifts(&[
            ("03-03 08:00", "03-03 18:00"),
            ("03-04 08:00", "03-04 18:00"),
        ])
    };
    check(
        &with_existing(
            input(
                vec![two_days("W1"), two_days("W2")],
                vec![j("J0"), j("J1").window("03-04 08:00", "03-04 18:00")],
            ),
            vec![asg("J0", &["W1"], "W1", "03-03 08:00", "03-03 15:00")],
        ),
        &[Assigned("J1", &["W1"], "W1", "03-04 08:00")],
    );
}

#[test]
fn plan_is_deterministic_on_a_generated_input() {
    let i = sample_input(60, 12, 2, 7);
    let p = plan(&i, &Rules::default());
    assert!(!p.assignments.is_empty());
    check(&i, &[Counts(p.assignments.len(), p.unassigned.len())]);
}

// ---------- planning: crews and leaders ----------

#[test]
fn a_crew_needs_a_qualified_leader() {
    check(
        &input(
            vec![w("W1"), w("W2").leader(), w("W3")],
            vec![j("J1").crew(2)],
        ),
        &[Assigned("J1", &["W1", "W2"], "W2", "03-03 08:00")],
    );
    check(
        &input(vec![w("W1"), w("W2"), w("W3")], vec![j("J1").crew(2)]),
        &[Unassigned("J1", vec![Reason::NoQualifiedLeader])],
    );
    check(
        &input(vec![w("W1").leader(), w("W2")], vec![j("J1").crew(3)]),
        &[Unassigned(
            "J1",
            vec![Reason::NotEnoughWorkers {
                needed: 3,
                available: 2,
            }],
        )],
    );
    // A crew of one needs no qualified leader.
    check(
        &input(vec![w("W1")], vec![j("J1")]),
        &[Assigned("J1", &["W1"], "W1", "03-03 08:00")],
    );
}

#[test]
fn a_busy_leader_is_a_missing_leader() {
    check(
        &with_existing(
            input(
                vec![w("W1").leader(), w("W2"), w("W3")],
                vec![
                    j("J0"),
                    j("J1").crew(2).window("03-03 08:00", "03-03 10:00"),
                ],
            ),
            vec![asg("J0", &["W1"], "W1", "03-03 08:00", "03-03 10:00")],
        ),
        &[
            Unassigned("J1", vec![Reason::NoQualifiedLeader]),
            Rejected("J1", "W1", overlap("J0", 0)),
        ],
    );
}

#[test]
fn a_crew_starts_together_when_all_are_free() {
    let mk = |w1: (&str, &str), w2: (&str, &str)| {
        with_existing(
            input(
                vec![w("W1").leader(), w("W2")],
                vec![
                    j("J0"),
                    j("J9"),
                    j("J1").crew(2).window("03-03 08:00", "03-03 14:00"),
                ],
            ),
            vec![
                asg("J0", &["W1"], "W1", w1.0, w1.1),
                asg("J9", &["W2"], "W2", w2.0, w2.1),
            ],
        )
    };
    check(
        &mk(
            ("03-03 08:00", "03-03 10:00"),
            ("03-03 10:00", "03-03 12:00"),
        ),
        &[Assigned("J1", &["W1", "W2"], "W1", "03-03 12:00")],
    );
    check(
        &mk(
            ("03-03 08:00", "03-03 13:00"),
            ("03-03 13:00", "03-03 14:00"),
        ),
        &[Unassigned("J1", vec![Reason::NoCommonTime { needed: 2 }])],
    );
}

#[test]
fn a_crew_prefers_the_least_loaded_members() {
    check(
        &with_existing(
            input(
                vec![w("W1").leader(), w("W2").leader(), w("W3"), w("W4")],
                vec![
                    j("J0"),
                    j("J9"),
                    j("J1").crew(2).window("03-03 12:00", "03-03 18:00"),
                ],
            ),
            vec![
                asg("J0", &["W1"], "W1", "03-03 08:00", "03-03 09:00"),
                asg("J9", &["W3"], "W3", "03-03 08:00", "03-03 10:00"),
            ],
        ),
        &[Assigned("J1", &["W2", "W4"], "W2", "03-03 12:00")],
    );
}

// ---------- planning: stores and escalation ----------

#[test]
fn an_urgent_job_no_one_in_the_store_can_take_is_escalated() {
    let workers = || {
        vec![
            w("W1"),
            w("W2").store("S2").skills(&["clean", "glass"]),
            w("W3").store("S2"),
        ]
    };
    check(
        &input(workers(), vec![j("J1").skills(&["glass"]).urgent()]),
        &[
            Assigned("J1", &["W2"], "W2", "03-03 08:00"),
            Escalated("J1", "S2"),
            Home("J1", vec![no_eligible("S1")]),
            HomeRejected(
                "J1",
                vec![(
                    "W1",
                    Reason::MissingSkill {
                        skills: vec![Skill::new("glass")],
                    },
                )],
            ),
        ],
    );
    // Not urgent: stays with its store; the other store's able worker is named.
    check(
        &input(workers(), vec![j("J1").skills(&["glass"])]),
        &[
            Unassigned("J1", vec![no_eligible("S1")]),
            Rejected(
                "J1",
                "W1",
                Reason::MissingSkill {
                    skills: vec![Skill::new("glass")],
                },
            ),
            Rejected(
                "J1",
                "W2",
                Reason::OtherStore {
                    store: StoreId::new("S2"),
                },
            ),
            Counts(0, 1),
        ],
    );
    // Urgent, and nobody anywhere.
    check(
        &input(workers(), vec![j("J1").skills(&["oven"]).urgent()]),
        &[
            Unassigned("J1", vec![no_eligible("S1"), Reason::EscalationFailed]),
            Rejected(
                "J1",
                "W3",
                Reason::MissingSkill {
                    skills: vec![Skill::new("oven")],
                },
            ),
        ],
    );
    // A job the store can take is never escalated.
    check(
        &input(workers(), vec![j("J1").urgent()]),
        &[Assigned("J1", &["W1"], "W1", "03-03 08:00")],
    );
}

#[test]
fn an_escalation_keeps_the_home_stores_reasons_beside_the_proposal() {
    // S2's W9 can always take the urgent job J1 (clean, 60 min, 03-03 08:00–18:00 unless
    // said otherwise); each case is a different reason why S1 cannot.
    let s2 = || w("W9").store("S2");
    let cases: Vec<(&str, DispatchInput, Vec<Exp>)> = vec![
        (
            "missing skill",
            input(
                vec![w("W1").skills(&["glass"]), s2()],
                vec![j("J1").urgent()],
            ),
            vec![
                Home("J1", vec![no_eligible("S1")]),
                HomeRejected(
                    "J1",
                    vec![(
                        "W1",
                        Reason::MissingSkill {
                            skills: vec![Skill::new("clean")],
                        },
                    )],
                ),
            ],
        ),
        (
            "all booked",
            with_existing(
                input(
                    vec![w("W1"), w("W2"), s2()],
                    vec![
                        j("J1").urgent().window("03-03 09:00", "03-03 11:00"),
                        j("J7"),
                        j("J8"),
                    ],
                ),
                vec![
                    asg("J7", &["W1"], "W1", "03-03 08:00", "03-03 12:00"),
                    asg("J8", &["W2"], "W2", "03-03 09:30", "03-03 10:30"),
                ],
            ),
            vec![
                Home("J1", vec![no_eligible("S1")]),
                HomeRejected(
                    "J1",
                    vec![("W1", overlap("J7", 0)), ("W2", overlap("J8", 0))],
                ),
            ],
        ),
        (
            "outside shift",
            input(
                vec![w("W1").shifts(&[("03-03 13:00", "03-03 18:00")]), s2()],
                vec![j("J1").urgent().window("03-03 08:00", "03-03 12:00")],
            ),
            vec![
                Home("J1", vec![no_eligible("S1")]),
                HomeRejected("J1", vec![("W1", Reason::OutsideShift)]),
            ],
        ),
        (
            "over the daily cap",
            with_existing(
                input(
                    vec![w("W1"), s2()],
                    vec![j("J1").urgent(), j("J7").dur(500)],
                ),
                vec![asg("J7", &["W1"], "W1", "03-03 08:00", "03-03 16:20")],
            ),
            vec![
                Home("J1", vec![no_eligible("S1")]),
                HomeRejected("J1", vec![("W1", cap(560))]),
            ],
        ),
        (
            "not enough workers for the crew",
            input(
                vec![
                    w("W1").leader(),
                    w("W2").skills(&["glass"]),
                    s2().leader(),
                    w("W8").store("S2"),
                ],
                vec![j("J1").urgent().crew(2)],
            ),
            vec![
                Home(
                    "J1",
                    vec![Reason::NotEnoughWorkers {
                        needed: 2,
                        available: 1,
                    }],
                ),
                HomeRejected(
                    "J1",
                    vec![(
                        "W2",
                        Reason::MissingSkill {
                            skills: vec![Skill::new("clean")],
                        },
                    )],
                ),
            ],
        ),
    ];
    for (name, input, mut expected) in cases {
        println!("case: {name}");
        expected.push(Escalated("J1", "S2"));
        expected.push(Counts(1, 0));
        check(&input, &expected);
    }
    // Another store that cannot take it either is not the home store's reason.
    check(
        &input(
            vec![
                w("W1").skills(&["glass"]),
                w("W5").store("S0").skills(&["glass"]),
                s2(),
            ],
            vec![j("J1").urgent()],
        ),
        &[
            Escalated("J1", "S2"),
            Home("J1", vec![no_eligible("S1")]),
            HomeRejected(
                "J1",
                vec![(
                    "W1",
                    Reason::MissingSkill {
                        skills: vec![Skill::new("clean")],
                    },
                )],
            ),
        ],
    );
}

#[test]
fn home_reasons_read_in_both_languages_and_are_json() {
    let p = plan(
        &input(
            vec![w("W1").skills(&["glass"]), w("W9").store("S2")],
            vec![j("J1").urgent()],
        ),
        &Rules::default(),
    );
    let home = p
        .assignment("J1")
        .and_then(|a| a.home_store.as_ref())
        .unwrap();
    assert_eq!(home.explain(Lang::Zh), "门店 S1 没有可接此单的服务人员");
    assert_eq!(
        home.explain(Lang::En),
        "no worker of store S1 can take this job"
    );
    assert_eq!(home.rejected[0].explain(Lang::Zh), "W1：缺少技能：clean");
    let v = serde_json::to_value(&p).unwrap();
    assert_eq!(v["assignments"][0]["escalated"], "S2");
    assert_eq!(v["assignments"][0]["home_store"]["store"], "S1");
    assert_eq!(
        v["assignments"][0]["home_store"]["reasons"][0]["kind"],
        "no_eligible_worker"
    );
    assert_eq!(
        v["assignments"][0]["home_store"]["rejected"][0]["worker"],
        "W1"
    );
    // An ordinary proposal has no home_store field.
    let p = plan(&input(vec![w("W1")], vec![j("J1")]), &Rules::default());
    let v = serde_json::to_value(&p).unwrap();
    assert!(v["assignments"][0].get("home_store").is_none());
}

#[test]
fn a_store_without_workers() {
    check(
        &input(vec![w("W1")], vec![j("J1").store("S3")]),
        &[Unassigned(
            "J1",
            vec![Reason::NoWorkers {
                store: StoreId::new("S3"),
            }],
        )],
    );
    check(
        &input(vec![w("W1")], vec![j("J1").store("S3").urgent()]),
        &[
            Assigned("J1", &["W1"], "W1", "03-03 08:00"),
            Escalated("J1", "S1"),
            Home(
                "J1",
                vec![Reason::NoWorkers {
                    store: StoreId::new("S3"),
                }],
            ),
            HomeRejected("J1", vec![]),
        ],
    );
}

// ---------- planning: input problems ----------

#[test]
fn invalid_jobs_get_reasons_not_panics() {
    check(
        &input(
            vec![w("W1")],
            vec![
                j("J1").window("03-03 12:00", "03-03 11:00"),
                j("J2").crew(0),
                j("J3").dur(0),
                j("J4").window("03-03 08:00", "03-03 09:00").dur(120),
                j("J5"),
                j("J5").window("03-03 09:00", "03-03 18:00"),
                j("J6").crew(0).dur(0),
            ],
        ),
        &[
            Unassigned(
                "J1",
                vec![Reason::InvalidWindow {
                    start: t("03-03 12:00"),
                    end: t("03-03 11:00"),
                }],
            ),
            Unassigned("J2", vec![Reason::ZeroCrew]),
            Unassigned("J3", vec![Reason::ZeroDuration]),
            Unassigned(
                "J4",
                vec![Reason::DurationExceedsWindow {
                    duration_minutes: 120,
                    window_minutes: 60,
                }],
            ),
            Assigned("J5", &["W1"], "W1", "03-03 08:00"),
            Unassigned("J6", vec![Reason::ZeroCrew, Reason::ZeroDuration]),
            Counts(1, 6),
        ],
    );
}

#[test]
fn closed_or_already_assigned_jobs_are_not_planned() {
    check(
        &with_existing(
            input(
                vec![w("W1")],
                vec![
                    j("J1"),
                    j("J2").status(JobStatus::Cancelled),
                    j("J3").status(JobStatus::Completed),
                    j("J4"),
                ],
            ),
            vec![asg("J1", &["W1"], "W1", "03-03 08:00", "03-03 09:00")],
        ),
        &[
            Absent("J1"),
            Absent("J2"),
            Absent("J3"),
            Assigned("J4", &["W1"], "W1", "03-03 09:00"),
            Counts(1, 0),
        ],
    );
    let i = with_existing(
        input(
            vec![w("W1")],
            vec![j("J1"), j("J2").status(JobStatus::Cancelled), j("J3")],
        ),
        vec![asg("J1", &["W1"], "W1", "03-03 08:00", "03-03 09:00")],
    );
    let plannable: Vec<bool> = i.jobs.iter().map(|x| is_plannable(&i, x)).collect();
    assert_eq!(plannable, vec![false, false, true]);
}

#[test]
fn empty_input() {
    check(&DispatchInput::default(), &[Counts(0, 0)]);
    check(
        &input(vec![], vec![j("J1")]),
        &[Unassigned(
            "J1",
            vec![Reason::NoWorkers {
                store: StoreId::new("S1"),
            }],
        )],
    );
}

// ---------- check_manual: every violation kind ----------

fn manual_input() -> DispatchInput {
    with_existing(
        input(
            vec![
                w("W1").leader(),
                w("W2"),
                w("W3").skills(&["glass"]),
                w("W4").store("S2"),
                w("W5").home("B").shifts(&[("03-03 08:00", "03-03 12:00")]),
            ],
            vec![
                j("J0").zone("B"),
                j("J1").crew(2).window("03-03 10:00", "03-03 14:00"),
                j("J2"),
                j("J3").urgent(),
                j("J4").crew(0),
            ],
        ),
        vec![asg("J0", &["W1"], "W1", "03-03 08:00", "03-03 09:00")],
    )
}

#[test]
fn check_manual_accepts_a_good_assignment() {
    check(
        &manual_input(),
        &[Manual(
            asg("J1", &["W1", "W2"], "W1", "03-03 10:00", "03-03 11:00"),
            vec![],
        )],
    );
}

#[test]
fn check_manual_reports_each_kind() {
    let i = manual_input();
    let good = |job: &str, crew: &[&str], leader: &str| {
        asg(job, crew, leader, "03-03 10:00", "03-03 11:00")
    };
    check(
        &i,
        &[
            Manual(
                asg("J9", &["W2"], "W2", "03-03 10:00", "03-03 11:00"),
                vec![err(
                    None,
                    Reason::UnknownJob {
                        job: JobId::new("J9"),
                    },
                )],
            ),
            Manual(
                good("J2", &["W9"], "W9"),
                vec![err(Some("W9"), Reason::UnknownWorker)],
            ),
            Manual(
                good("J2", &[], "W1"),
                vec![
                    err(None, Reason::EmptyCrew),
                    err(Some("W1"), Reason::LeaderNotInCrew),
                ],
            ),
            Manual(
                good("J1", &["W1"], "W1"),
                vec![err(
                    None,
                    Reason::CrewSizeMismatch {
                        expected: 2,
                        actual: 1,
                    },
                )],
            ),
            Manual(
                good("J1", &["W1", "W1"], "W1"),
                vec![err(Some("W1"), Reason::DuplicateWorker)],
            ),
            Manual(
                good("J1", &["W1", "W2"], "W3"),
                vec![err(Some("W3"), Reason::LeaderNotInCrew)],
            ),
            Manual(
                good("J1", &["W1", "W2"], "W2"),
                vec![err(Some("W2"), Reason::LeaderNotQualified)],
            ),
            Manual(
                asg("J2", &["W2"], "W2", "03-03 11:00", "03-03 10:00"),
                vec![err(None, Reason::EndNotAfterStart)],
            ),
            Manual(
                asg("J2", &["W2"], "W2", "03-03 10:00", "03-03 10:30"),
                vec![err(
                    None,
                    Reason::DurationMismatch {
                        expected_minutes: 60,
                        actual_minutes: 30,
                    },
                )],
            ),
            Manual(
                asg("J2", &["W2"], "W2", "03-03 10:00", "03-03 11:30"),
                vec![warn(
                    None,
                    Reason::DurationMismatch {
                        expected_minutes: 60,
                        actual_minutes: 90,
                    },
                )],
            ),
            Manual(
                asg("J1", &["W1", "W2"], "W1", "03-03 09:30", "03-03 10:30"),
                vec![err(
                    None,
                    Reason::OutsideWindow {
                        start: t("03-03 10:00"),
                        end: t("03-03 14:00"),
                    },
                )],
            ),
            Manual(
                good("J2", &["W3"], "W3"),
                vec![err(
                    Some("W3"),
                    Reason::MissingSkill {
                        skills: vec![Skill::new("clean")],
                    },
                )],
            ),
            Manual(
                asg("J2", &["W5"], "W5", "03-03 12:00", "03-03 13:00"),
                vec![err(Some("W5"), Reason::OutsideShift)],
            ),
            Manual(
                asg("J2", &["W1"], "W1", "03-03 08:30", "03-03 09:30"),
                vec![err(Some("W1"), overlap("J0", 0))],
            ),
            Manual(
                asg("J2", &["W1"], "W1", "03-03 09:15", "03-03 10:15"),
                vec![err(Some("W1"), overlap("J0", 30))],
            ),
            Manual(
                asg("J2", &["W5"], "W5", "03-03 08:00", "03-03 09:00"),
                vec![err(
                    Some("W5"),
                    Reason::TravelFromHome {
                        zone: Zone::new("B"),
                        travel_minutes: 30,
                    },
                )],
            ),
            Manual(
                good("J2", &["W4"], "W4"),
                vec![warn(
                    Some("W4"),
                    Reason::OtherStore {
                        store: StoreId::new("S2"),
                    },
                )],
            ),
            // On an urgent job, another store's worker is the escalation rule: no warning.
            Manual(good("J3", &["W4"], "W4"), vec![]),
            Manual(
                good("J4", &["W2"], "W2"),
                vec![
                    err(None, Reason::ZeroCrew),
                    err(
                        None,
                        Reason::CrewSizeMismatch {
                            expected: 0,
                            actual: 1,
                        },
                    ),
                ],
            ),
        ],
    );
}

#[test]
fn check_manual_daily_cap_and_multiple_violations() {
    let i = with_existing(
        input(
            vec![w("W1").leader(), w("W2")],
            vec![j("J0"), j("J1").crew(2), j("J2")],
        ),
        vec![asg("J0", &["W2"], "W2", "03-03 08:00", "03-03 16:30")],
    );
    check(
        &i,
        &[
            Manual(
                asg("J2", &["W2"], "W2", "03-03 16:30", "03-03 17:30"),
                vec![err(Some("W2"), cap(570))],
            ),
            Manual(
                asg(
                    "J1",
                    &["W2", "W2", "W3"],
                    "W2",
                    "03-03 16:00",
                    "03-03 16:45",
                ),
                vec![
                    err(
                        None,
                        Reason::DurationMismatch {
                            expected_minutes: 60,
                            actual_minutes: 45,
                        },
                    ),
                    err(
                        None,
                        Reason::CrewSizeMismatch {
                            expected: 2,
                            actual: 3,
                        },
                    ),
                    err(Some("W2"), Reason::DuplicateWorker),
                    err(Some("W2"), Reason::LeaderNotQualified),
                    err(Some("W2"), overlap("J0", 0)),
                    err(Some("W2"), cap(555)),
                    err(Some("W3"), Reason::UnknownWorker),
                ],
            ),
        ],
    );
}

#[test]
fn check_manual_ignores_the_existing_assignment_it_replaces() {
    let i = with_existing(
        input(vec![w("W1"), w("W2")], vec![j("J1")]),
        vec![asg("J1", &["W1"], "W1", "03-03 08:00", "03-03 09:00")],
    );
    check(
        &i,
        &[
            Absent("J1"),
            Manual(
                asg("J1", &["W1"], "W1", "03-03 08:30", "03-03 09:30"),
                vec![],
            ),
        ],
    );
}

// ---------- texts ----------

#[test]
fn unassigned_explains_in_both_languages() {
    let i = input(vec![w("W1")], vec![j("J1").skills(&["glass"]).urgent()]);
    check(
        &i,
        &[
            Text("J1", Lang::Zh, "J1：门店 S1 没有可接此单的服务人员；紧急单已转其他门店，仍无人可接"),
            Text(
                "J1",
                Lang::En,
                "J1: no worker of store S1 can take this job; urgent: escalated to the other stores, none of their workers can take it",
            ),
        ],
    );
}

#[test]
fn every_reason_reads_in_zh_and_en() {
    let cases: Vec<(Reason, &str, &str)> = vec![
        (
            Reason::InvalidWindow {
                start: t("03-03 12:00"),
                end: t("03-03 11:00"),
            },
            "预约时间窗口无效：结束 03-03 11:00 早于开始 03-03 12:00",
            "invalid window: ends 03-03 11:00 before it starts 03-03 12:00",
        ),
        (Reason::ZeroCrew, "所需人数为 0", "crew size is 0"),
        (
            Reason::ZeroDuration,
            "服务时长为 0 分钟",
            "duration is 0 min",
        ),
        (
            Reason::DurationExceedsWindow {
                duration_minutes: 120,
                window_minutes: 60,
            },
            "服务时长 120 分钟超过预约时间窗口 60 分钟",
            "duration 120 min is longer than the window (60 min)",
        ),
        (Reason::DuplicateJob, "工单编号重复", "duplicate job id"),
        (
            Reason::MissingSkill {
                skills: vec![Skill::new("glass"), Skill::new("oven")],
            },
            "缺少技能：glass、oven",
            "missing skill: glass, oven",
        ),
        (Reason::OutsideShift, "不在排班时间内", "outside shift"),
        (overlap("J7", 0), "与工单 J7 时间重叠", "overlaps job J7"),
        (
            overlap("J7", 30),
            "与工单 J7 时间冲突（含路程 30 分钟）",
            "overlaps job J7 (incl. 30 min travel)",
        ),
        (
            Reason::TravelFromHome {
                zone: Zone::new("浦东"),
                travel_minutes: 40,
            },
            "上班后从住地（浦东）赶来需 40 分钟，来不及",
            "cannot arrive in time from home zone 浦东 (40 min travel after shift start)",
        ),
        (
            cap(600),
            "超出每日工时上限（将达 600 分钟 > 540 分钟）",
            "over daily cap (would be 600 min > 540 min)",
        ),
        (
            Reason::OtherStore {
                store: StoreId::new("S2"),
            },
            "属于其他门店（S2）",
            "belongs to another store (S2)",
        ),
        (
            Reason::NoWorkers {
                store: StoreId::new("S3"),
            },
            "门店 S3 没有服务人员",
            "store S3 has no workers",
        ),
        (
            no_eligible("S1"),
            "门店 S1 没有可接此单的服务人员",
            "no worker of store S1 can take this job",
        ),
        (
            Reason::NotEnoughWorkers {
                needed: 3,
                available: 1,
            },
            "需要 3 人，只有 1 人可接",
            "needs 3 workers, only 1 available",
        ),
        (
            Reason::NoQualifiedLeader,
            "没有可用的合格组长",
            "no qualified leader available",
        ),
        (
            Reason::NoCommonTime { needed: 2 },
            "凑不齐 2 人同一时间上门",
            "no time when 2 workers are all free",
        ),
        (
            Reason::EscalationFailed,
            "紧急单已转其他门店，仍无人可接",
            "urgent: escalated to the other stores, none of their workers can take it",
        ),
        (
            Reason::UnknownJob {
                job: JobId::new("J9"),
            },
            "未知工单 J9",
            "unknown job J9",
        ),
        (Reason::UnknownWorker, "未知工号", "unknown badge"),
        (Reason::EmptyCrew, "未指派任何人员", "no workers assigned"),
        (
            Reason::CrewSizeMismatch {
                expected: 2,
                actual: 1,
            },
            "人数不符：需要 2 人，实派 1 人",
            "crew size mismatch: job needs 2, assigned 1",
        ),
        (Reason::DuplicateWorker, "重复指派", "listed twice"),
        (
            Reason::LeaderNotInCrew,
            "组长不在人员名单中",
            "leader is not a crew member",
        ),
        (
            Reason::LeaderNotQualified,
            "不具备组长资格",
            "not qualified as leader",
        ),
        (
            Reason::EndNotAfterStart,
            "结束时间不晚于开始时间",
            "ends before it starts",
        ),
        (
            Reason::DurationMismatch {
                expected_minutes: 60,
                actual_minutes: 30,
            },
            "安排时长 30 分钟，与服务时长 60 分钟不符",
            "assigned 30 min, the job takes 60 min",
        ),
        (
            Reason::OutsideWindow {
                start: t("03-03 10:00"),
                end: t("03-03 14:00"),
            },
            "不在预约时间窗口内（03-03 10:00–03-03 14:00）",
            "outside the job's window (03-03 10:00–03-03 14:00)",
        ),
    ];
    for (r, zh, en) in cases {
        assert_eq!(r.explain(Lang::Zh), zh);
        assert_eq!(r.explain(Lang::En), en);
    }
    let rej = Rejection {
        worker: WorkerId::new("W1"),
        reason: Reason::OutsideShift,
    };
    assert_eq!(rej.explain(Lang::Zh), "W1：不在排班时间内");
    assert_eq!(rej.explain(Lang::En), "W1: outside shift");
    assert_eq!(
        err(Some("W2"), Reason::LeaderNotQualified).explain(Lang::Zh),
        "[错误] W2：不具备组长资格"
    );
    assert_eq!(
        warn(
            None,
            Reason::OtherStore {
                store: StoreId::new("S2")
            }
        )
        .explain(Lang::En),
        "[warning] belongs to another store (S2)"
    );
    assert_eq!(err(None, Reason::EmptyCrew).severity, Severity::Error);
    let u = Unassigned {
        job: JobId::new("J1"),
        reasons: vec![Reason::ZeroCrew, Reason::ZeroDuration],
        rejected: vec![],
    };
    assert_eq!(u.explain(Lang::Zh), "J1：所需人数为 0；服务时长为 0 分钟");
}

// ---------- JSON shape ----------

#[test]
fn input_json_is_friendly() {
    let json = r#"{
        "jobs": [{"id":"J1","store":"S1","customer":"C1","items":[{"code":"daily_clean","quantity":2}],
                  "skills":["clean"],"crew_size":1,"window":{"start":"2025-03-03T08:00:00","end":"2025-03-03T12:00:00"},
                  "duration_minutes":60,"zone":"B"}],
        "workers": [{"badge":"W1","name":"王芳","phone":"139","store":"S1","skills":["clean"],"leader":true,
                     "shifts":[{"start":"2025-03-03T08:00:00","end":"2025-03-03T18:00:00"}],"home_zone":"A"}],
        "travel": [{"from":"B","to":"A","minutes":30}]
    }"#;
    let i: DispatchInput = serde_json::from_str(json).unwrap();
    assert_eq!(
        i.travel
            .minutes(&Zone::new("A"), &Zone::new("B"), &Rules::default()),
        30
    );
    check(&i, &[Assigned("J1", &["W1"], "W1", "03-03 08:30")]);
    let back = serde_json::to_value(&i).unwrap();
    assert_eq!(
        back["travel"],
        serde_json::json!([{"from":"A","to":"B","minutes":30}])
    );
    let r = serde_json::to_value(cap(600)).unwrap();
    assert_eq!(
        r,
        serde_json::json!({"kind":"over_daily_cap","would_be_minutes":600,"cap_minutes":540})
    );
    let p = plan(&i, &Rules::default());
    let v = serde_json::to_value(&p).unwrap();
    assert_eq!(v["assignments"][0]["job"], "J1");
    assert_eq!(v["assignments"][0]["escalated"], serde_json::Value::Null);
}

// ---------- crews holding skills jointly ----------

/// Rules under which deep cleaning's crews hold the job's skills jointly.
fn joint() -> Rules {
    Rules {
        joint_skill_services: vec!["deep_clean".into()],
        ..Rules::default()
    }
}

/// A deep-cleaning job (service `deep_clean`) needing `deep` and `glass`, crew `n`.
fn deep(id: &str, n: u8) -> Job {
    let mut job = j(id).skills(&["deep", "glass"]).crew(n);
    job.items = vec![ServiceLine {
        code: "deep_clean".into(),
        quantity: 80,
    }];
    job
}

fn lacks(skills: &[&str]) -> Reason {
    Reason::CrewLacksSkills {
        skills: skills.iter().map(|s| Skill::new(*s)).collect(),
    }
}

#[test]
fn a_crew_holds_skills_jointly_only_where_the_service_allows_it() {
    let i = input(
        vec![
            w("W1").skills(&["deep"]).leader(),
            w("W2").skills(&["glass"]),
        ],
        vec![deep("J1", 2)],
    );
    // Rule off (the default): each member must hold both.
    check(
        &i,
        &[
            Unassigned("J1", vec![no_eligible("S1")]),
            Rejected(
                "J1",
                "W1",
                Reason::MissingSkill {
                    skills: vec![Skill::new("glass")],
                },
            ),
        ],
    );
    // Rule on: W1 takes deep, W2 glass.
    check_with(
        &joint(),
        &i,
        &[Assigned("J1", &["W1", "W2"], "W1", "03-03 08:00")],
    );
    // A job with a line of another service keeps the individual rule.
    let mut mixed = deep("J1", 2);
    mixed.items.push(ServiceLine {
        code: "glass".into(),
        quantity: 10,
    });
    let i2 = input(
        vec![
            w("W1").skills(&["deep"]).leader(),
            w("W2").skills(&["glass"]),
        ],
        vec![mixed],
    );
    check_with(&joint(), &i2, &[Unassigned("J1", vec![no_eligible("S1")])]);
    // More skills than members: the individual rule.
    let i3 = input(
        vec![
            w("W1").skills(&["deep", "oven"]).leader(),
            w("W2").skills(&["glass"]),
        ],
        vec![deep("J1", 2).skills(&["deep", "glass", "oven"])],
    );
    check_with(&joint(), &i3, &[Unassigned("J1", vec![no_eligible("S1")])]);
}

#[test]
fn a_joint_crew_counts_each_member_once_and_keeps_a_qualified_leader() {
    // An all-rounder leader with a helper who holds neither skill: glass has no member.
    check_with(
        &joint(),
        &input(
            vec![
                w("W1").skills(&["deep", "glass"]).leader(),
                w("W2").skills(&["clean"]),
            ],
            vec![deep("J1", 2)],
        ),
        &[
            Unassigned("J1", vec![lacks(&["glass"])]),
            Text(
                "J1",
                Lang::Zh,
                "J1：班组无法分担所需技能（每人只算一项）：glass",
            ),
            Text(
                "J1",
                Lang::En,
                "J1: the crew cannot share out these skills (one per member): glass",
            ),
        ],
    );
    // With a third worker who holds glass, the leader is joined by them, not the helper.
    check_with(
        &joint(),
        &input(
            vec![
                w("W1").skills(&["deep", "glass"]).leader(),
                w("W2").skills(&["clean"]),
                w("W3").skills(&["glass"]),
            ],
            vec![deep("J1", 2)],
        ),
        &[Assigned("J1", &["W1", "W3"], "W1", "03-03 08:00")],
    );
    // Skills shared out, but no qualified leader.
    check_with(
        &joint(),
        &input(
            vec![w("W1").skills(&["deep"]), w("W2").skills(&["glass"])],
            vec![deep("J1", 2)],
        ),
        &[Unassigned("J1", vec![Reason::NoQualifiedLeader])],
    );
    // A leader holding none of the skills leads two who share them out.
    check_with(
        &joint(),
        &input(
            vec![
                w("W1").leader(),
                w("W2").skills(&["deep"]),
                w("W3").skills(&["glass"]),
                w("W4").skills(&["deep"]),
            ],
            vec![deep("J1", 3)],
        ),
        &[Assigned("J1", &["W1", "W2", "W3"], "W1", "03-03 08:00")],
    );
}

#[test]
fn check_manual_refuses_a_crew_that_cannot_share_out_the_skills() {
    let i = input(
        vec![
            w("W1").skills(&["deep", "glass"]).leader(),
            w("W2").skills(&["clean"]),
            w("W3").skills(&["glass"]),
        ],
        vec![deep("J1", 2)],
    );
    let good = asg("J1", &["W1", "W3"], "W1", "03-03 08:00", "03-03 09:00");
    let bad = asg("J1", &["W1", "W2"], "W1", "03-03 08:00", "03-03 09:00");
    check_with(
        &joint(),
        &i,
        &[
            Manual(good.clone(), vec![]),
            Manual(bad.clone(), vec![err(None, lacks(&["glass"]))]),
        ],
    );
    // Without the rule each member is judged alone.
    check(
        &i,
        &[Manual(
            good,
            vec![err(
                Some("W3"),
                Reason::MissingSkill {
                    skills: vec![Skill::new("deep")],
                },
            )],
        )],
    );
    let v = err(None, lacks(&["glass"]));
    assert_eq!(
        v.explain(Lang::En),
        "[error] the crew cannot share out these skills (one per member): glass"
    );
}
