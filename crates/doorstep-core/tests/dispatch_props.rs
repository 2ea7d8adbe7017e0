#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used)]
// Properties of `dispatch::plan` and `check_manual` on generated inputs. (`unwrap` is allowed in the whole
// file: clippy's allow-unwrap-in-tests does not reach helpers outside `#[test]` functions.)

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use doorstep_core::dispatch::{
    check_manual, plan, plan_routed, DispatchInput, Plan, Planner, Reason, SearchParams, Severity,
    TravelTable,
};
use doorstep_core::model::{
    Assignment, CustomerId, Job, JobId, JobStatus, ServiceLine, Shift, Skill, StoreId, TimeWindow,
    Worker, WorkerId, Zone,
};
use doorstep_core::Rules;
use proptest::prelude::*;
use std::collections::BTreeMap;

/// All generated times are on a 15-minute grid from 2025-03-03 00:00, and so are travel times:
/// a feasible start, if any, is then also on that grid.
const GRID: i64 = 15;

fn at(minutes: i64) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2025, 3, 3)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap()
        + TimeDelta::minutes(minutes)
}

fn zone(i: u8) -> Zone {
    Zone::new(format!("Z{i}"))
}

const SKILLS: [&str; 3] = ["clean", "glass", "oven"];

fn skills(mask: u8) -> Vec<Skill> {
    SKILLS
        .iter()
        .enumerate()
        .filter(|(i, _)| mask & (1 << i) != 0)
        .map(|(_, s)| Skill::new(*s))
        .collect()
}

fn store(i: u8) -> StoreId {
    StoreId::new(["S1", "S2", "S3"][usize::from(i % 3)])
}

prop_compose! {
    fn arb_worker(i: usize)(
        store_i in prop::sample::select(vec![0u8, 0, 1]),
        mask in 0u8..8,
        leader in prop::bool::weighted(0.4),
        // (day, start in quarter hours, length in quarter hours): 07:00–10:00 for 4–11 h.
        shifts in prop::collection::vec((0i64..2, 28i64..40, 16i64..44), 1..4),
        home in prop::option::weighted(0.3, 0u8..4),
    ) -> Worker {
        Worker {
            badge: WorkerId::new(format!("W{i:02}")),
            name: format!("员工{i}"),
            phone: String::new(),
            store: store(store_i),
            skills: skills(mask | 1),
            leader,
            shifts: shifts
                .into_iter()
                .map(|(day, start, len)| {
                    let s = day * 24 * 60 + start * GRID;
                    Shift { start: at(s), end: at(s + len * GRID) }
                })
                .collect(),
            home_zone: home.map(zone),
        }
    }
}

prop_compose! {
    fn arb_job(i: usize)(
        store_i in prop::sample::select(vec![0u8, 0, 0, 1, 1, 1, 2]),
        mask in prop::sample::select(vec![1u8, 1, 1, 1, 3, 5, 2, 4, 7, 0]),
        crew in prop::sample::select(vec![1u8, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 3, 0]),
        day in 0i64..2,
        start in 32i64..64,
        slack in prop::sample::select(vec![0i64, 0, 0, 1, 2, 2, 4, 4, 6, 8, 8, 12, 16, 16, 20, 24, 28, 32, 40, -1]),
        dur in prop::sample::select(vec![2i64, 3, 4, 4, 4, 5, 6, 6, 8, 8, 8, 10, 12, 12, 14, 16, 16, 20, 24, 0]),
        z in 0u8..4,
        urgent in prop::bool::weighted(0.15),
        status in prop::sample::select(vec![JobStatus::Booked, JobStatus::Booked, JobStatus::Booked, JobStatus::Cancelled]),
        service in prop::sample::select(vec!["daily_clean", "daily_clean", "deep_clean"]),
    ) -> Job {
        let s = day * 24 * 60 + start * GRID;
        Job {
            id: JobId::new(format!("J{i:02}")),
            store: store(store_i),
            customer: CustomerId::new("C"),
            items: vec![ServiceLine { code: service.into(), quantity: 1 }],
            skills: skills(mask),
            crew_size: crew,
            window: TimeWindow { start: at(s), end: at(s + (dur + slack) * GRID) },
            duration_minutes: u32::try_from(dur * GRID).unwrap(),
            zone: zone(z),
            urgent,
            status,
            source: Default::default(),
            special_requests: String::new(),
        }
    }
}

fn arb_input() -> impl Strategy<Value = (DispatchInput, u64)> {
    (1usize..11, 0usize..40)
        .prop_flat_map(|(nw, nj)| {
            let workers: Vec<_> = (0..nw).map(arb_worker).collect();
            let jobs: Vec<_> = (0..nj).map(arb_job).collect();
            (
                workers,
                jobs,
                prop::collection::vec((0u8..4, 0u8..4, 0u32..7), 0..8),
                // Existing assignments: (worker, job or unknown, day, start, len).
                prop::collection::vec(
                    (
                        0..nw,
                        prop::option::of(0..nj.max(1)),
                        0i64..2,
                        28i64..68,
                        1i64..12,
                    ),
                    0..20,
                ),
                any::<u64>(),
            )
        })
        .prop_map(|(workers, jobs, legs, raw_existing, seed)| {
            let mut travel = TravelTable::new();
            for (a, b, m) in legs {
                travel.add(zone(a), zone(b), m * u32::try_from(GRID).unwrap());
            }
            // Existing assignments, kept non-overlapping per worker (travel aside: real data may
            // be tight).
            let mut existing: Vec<Assignment> = Vec::new();
            let mut taken: BTreeMap<usize, Vec<(i64, i64)>> = BTreeMap::new();
            for (k, (w, j, day, start, len)) in raw_existing.into_iter().enumerate() {
                let s = day * 24 * 60 + start * GRID;
                let e = s + len * GRID;
                let busy = taken.entry(w).or_default();
                if busy.iter().any(|&(a, b)| a < e && s < b) {
                    continue;
                }
                busy.push((s, e));
                let job = match j.and_then(|j| jobs.get(j)) {
                    Some(job) if !existing.iter().any(|a| a.job == job.id) => job.id.clone(),
                    _ => JobId::new(format!("X{k}")),
                };
                let badge = workers[w].badge.clone();
                existing.push(Assignment {
                    job,
                    workers: vec![badge.clone()],
                    leader: badge,
                    start: at(s),
                    end: at(e),
                });
            }
            // A previous plan (for the routed planner to keep where it can): about half the jobs,
            // each on some worker at some time, feasible or not.
            let previous: Vec<Assignment> = jobs
                .iter()
                .enumerate()
                .filter(|(k, _)| (seed >> (k % 64)) & 1 == 1)
                .map(|(k, job)| {
                    let w = (seed.rotate_left(7 * k as u32) % workers.len() as u64) as usize;
                    let badge = workers[w].badge.clone();
                    let s = (k as i64 % 2) * 24 * 60 + (32 + k as i64 % 20) * GRID;
                    Assignment {
                        job: job.id.clone(),
                        workers: vec![badge.clone()],
                        leader: badge,
                        start: at(s),
                        end: at(s + 4 * GRID),
                    }
                })
                .collect();
            (
                DispatchInput {
                    jobs,
                    workers,
                    existing,
                    travel,
                    geo: Default::default(),
                    previous,
                },
                seed,
            )
        })
}

fn shuffle<T>(v: &mut [T], mut seed: u64) {
    for i in (1..v.len()).rev() {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let j = usize::try_from((seed >> 33) % (i as u64 + 1)).unwrap();
        v.swap(i, j);
    }
}

struct Item<'a> {
    start: NaiveDateTime,
    end: NaiveDateTime,
    zone: Option<&'a Zone>,
    new: bool,
}

fn travel(input: &DispatchInput, rules: &Rules, a: Option<&Zone>, b: Option<&Zone>) -> i64 {
    match (a, b) {
        (Some(a), Some(b)) => i64::from(input.travel.minutes(a, b, rules)),
        _ => i64::from(rules.default_travel_minutes),
    }
}

/// Going straight from one zone to another is never slower than going through a third (the
/// unknown zone included). Only then can taking a job out of a worker's day not lengthen the
/// travel between the jobs around it.
fn travel_is_metric(input: &DispatchInput, rules: &Rules) -> bool {
    let mut zones: Vec<Option<&Zone>> = input.jobs.iter().map(|j| Some(&j.zone)).collect();
    zones.extend(input.workers.iter().map(|w| w.home_zone.as_ref()));
    zones.push(None);
    zones.sort();
    zones.dedup();
    let t = |a, b| travel(input, rules, a, b);
    zones.iter().all(|&a| {
        zones
            .iter()
            .all(|&b| zones.iter().all(|&c| t(a, c) <= t(a, b) + t(b, c)))
    })
}

fn minutes(a: NaiveDateTime, b: NaiveDateTime) -> i64 {
    (b - a).num_minutes()
}

/// Rules under which deep cleaning's crews may hold the job's skills jointly.
fn joint_rules() -> Rules {
    Rules {
        joint_skill_services: vec!["deep_clean".into()],
        ..Rules::default()
    }
}

fn distinct_skills(j: &Job) -> Vec<&Skill> {
    let mut v: Vec<&Skill> = j.skills.iter().collect();
    v.sort();
    v.dedup();
    v
}

/// The joint rule, restated: a crew of two or more, every line's service listed, no more
/// skills than members.
fn joint_by_rule(rules: &Rules, j: &Job) -> bool {
    j.crew_size >= 2
        && !j.items.is_empty()
        && j.items
            .iter()
            .all(|l| rules.joint_skill_services.contains(&l.code))
        && distinct_skills(j).len() <= usize::from(j.crew_size)
}

/// Can each skill go to a distinct member who holds it (tried exhaustively)?
fn shared_out(need: &[&Skill], crew: &[&Worker]) -> bool {
    let Some((first, rest)) = need.split_first() else {
        return true;
    };
    (0..crew.len()).any(|m| {
        crew[m].skills.contains(first) && {
            let mut others = crew.to_vec();
            others.remove(m);
            shared_out(rest, &others)
        }
    })
}

/// Checks every rule on the plan's assignments, independently of the planner's code.
fn assert_rules(input: &DispatchInput, rules: &Rules, p: &Plan) {
    let job = |id: &JobId| input.jobs.iter().find(|j| &j.id == id);
    let worker = |id: &WorkerId| input.workers.iter().find(|w| &w.badge == id).unwrap();

    // Each plannable job appears exactly once.
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for a in &p.assignments {
        *seen.entry(a.assignment.job.as_str()).or_default() += 1;
    }
    for u in &p.unassigned {
        *seen.entry(u.job.as_str()).or_default() += 1;
        assert!(!u.reasons.is_empty(), "{} has no reason", u.job);
    }
    let plannable = input
        .jobs
        .iter()
        .filter(|j| j.status.is_open() && !input.existing.iter().any(|a| a.job == j.id))
        .count();
    assert_eq!(seen.values().sum::<usize>(), plannable);

    let mut timelines: BTreeMap<&WorkerId, Vec<Item>> = BTreeMap::new();
    for a in &input.existing {
        for w in &a.workers {
            let zone = job(&a.job).map(|j| &j.zone);
            timelines.entry(w).or_default().push(Item {
                start: a.start,
                end: a.end,
                zone,
                new: false,
            });
        }
    }
    for pa in &p.assignments {
        let a = &pa.assignment;
        let j = job(&a.job).unwrap();
        assert!(j.status.is_open());
        assert_eq!(
            a.workers.len(),
            usize::from(j.crew_size),
            "crew size of {}",
            j.id
        );
        assert!(a.workers.contains(&a.leader), "leader of {}", j.id);
        let mut distinct = a.workers.clone();
        distinct.dedup();
        assert_eq!(distinct.len(), a.workers.len());
        if a.workers.len() >= 2 {
            assert!(
                worker(&a.leader).leader,
                "{} led by an unqualified worker",
                j.id
            );
        }
        assert!(
            a.start >= j.window.start && a.end <= j.window.end,
            "{} outside its window",
            j.id
        );
        assert_eq!(minutes(a.start, a.end), i64::from(j.duration_minutes));
        let crew: Vec<&Worker> = a.workers.iter().map(worker).collect();
        if joint_by_rule(rules, j) {
            assert!(
                shared_out(&distinct_skills(j), &crew),
                "{} lacks skills jointly",
                j.id
            );
        }
        for b in &a.workers {
            let w = worker(b);
            assert!(
                joint_by_rule(rules, j) || j.skills.iter().all(|s| w.skills.contains(s)),
                "{b} lacks a skill of {}",
                j.id
            );
            assert!(
                w.shifts
                    .iter()
                    .any(|s| s.start <= a.start && a.end <= s.end),
                "{b} off shift for {}",
                j.id
            );
            match &pa.escalated {
                None => {
                    assert_eq!(w.store, j.store);
                    assert_eq!(pa.home_store, None);
                }
                Some(s) => {
                    assert!(j.urgent);
                    assert_eq!(&w.store, s);
                    assert_ne!(s, &j.store);
                    // The home store's reasons come with it: its own store, at least one
                    // reason, only its own workers passed over.
                    let home = pa.home_store.as_ref().expect("home store reasons");
                    assert_eq!(home.store, j.store);
                    assert!(!home.reasons.is_empty());
                    assert!(home
                        .rejected
                        .iter()
                        .all(|r| worker(&r.worker).store == j.store));
                }
            }
            timelines.entry(b).or_default().push(Item {
                start: a.start,
                end: a.end,
                zone: Some(&j.zone),
                new: true,
            });
        }
    }
    for (b, items) in &mut timelines {
        let w = worker(b);
        items.sort_by_key(|i| (i.start, i.end));
        // No overlap, travel included, next to a new assignment.
        for pair in items.windows(2) {
            let (x, y) = (&pair[0], &pair[1]);
            if x.new || y.new {
                let t = travel(input, rules, x.zone, y.zone);
                assert!(
                    minutes(x.end, y.start) >= t,
                    "{b}: {}..{} then {} needs {t} min",
                    x.start,
                    x.end,
                    y.start
                );
            }
        }
        // Daily cap and travel from home, per day with a new assignment.
        let mut days: BTreeMap<chrono::NaiveDate, Vec<&Item>> = BTreeMap::new();
        for i in items.iter() {
            days.entry(i.start.date()).or_default().push(i);
        }
        for (day, list) in days {
            if !list.iter().any(|i| i.new) {
                continue;
            }
            let home = w.home_zone.as_ref();
            let mut load = 0;
            let mut at_zone = home.map(Some);
            for i in &list {
                if let Some(from) = at_zone {
                    load += travel(input, rules, from, i.zone);
                }
                load += minutes(i.start, i.end);
                at_zone = Some(i.zone);
            }
            assert!(
                load <= i64::from(rules.daily_cap_minutes),
                "{b} on {day}: {load} min"
            );
            let first = list[0];
            if first.new {
                if let Some(h) = home {
                    let t = travel(input, rules, Some(h), first.zone);
                    assert!(
                        w.shifts.iter().any(|s| s.start <= first.start
                            && first.end <= s.end
                            && minutes(s.start, first.start) >= t),
                        "{b} cannot come from home in time"
                    );
                }
            }
        }
    }
}

/// Does `check_manual` find an error (not a warning) in this assignment?
fn has_error(input: &DispatchInput, rules: &Rules, a: &Assignment) -> bool {
    check_manual(input, rules, a).iter().any(|v| {
        v.severity == Severity::Error && !matches!(v.reason, Reason::CrewSizeMismatch { .. })
    })
}

/// A job left unassigned really had no crew, at the end of planning, among the workers whose
/// feasibility cannot grow as the plan fills up (those without a home zone).
fn assert_complete(input: &DispatchInput, rules: &Rules, p: &Plan) {
    let mut after = input.clone();
    after
        .existing
        .extend(p.assignments.iter().map(|a| a.assignment.clone()));
    for u in &p.unassigned {
        let Some(j) = input.jobs.iter().find(|j| j.id == u.job) else {
            continue;
        };
        if u.reasons.iter().any(|r| matches!(r, Reason::DuplicateJob))
            || j.crew_size == 0
            || j.crew_size > 2
        {
            continue;
        }
        let pool: Vec<&Worker> = input
            .workers
            .iter()
            .filter(|w| w.home_zone.is_none() && (j.urgent || w.store == j.store))
            .collect();
        let mut t = j.window.start;
        while t + TimeDelta::minutes(i64::from(j.duration_minutes)) <= j.window.end {
            let end = t + TimeDelta::minutes(i64::from(j.duration_minutes));
            let free: Vec<&&Worker> = pool
                .iter()
                .filter(|w| {
                    let one = Assignment {
                        job: j.id.clone(),
                        workers: vec![w.badge.clone()],
                        leader: w.badge.clone(),
                        start: t,
                        end,
                    };
                    !has_error(&after, rules, &one)
                })
                .collect();
            if j.crew_size == 1 {
                assert!(
                    free.is_empty(),
                    "{} unassigned but {} is free at {t}: {u:?}",
                    j.id,
                    free[0].badge
                );
            } else {
                for l in free.iter().filter(|w| w.leader) {
                    for o in free
                        .iter()
                        .filter(|o| o.badge != l.badge && o.store == l.store)
                    {
                        let two = Assignment {
                            job: j.id.clone(),
                            workers: vec![l.badge.clone(), o.badge.clone()],
                            leader: l.badge.clone(),
                            start: t,
                            end,
                        };
                        assert!(
                            has_error(&after, rules, &two),
                            "{} unassigned but {} and {} are free at {t}: {u:?}",
                            j.id,
                            l.badge,
                            o.badge
                        );
                    }
                }
            }
            t += TimeDelta::minutes(GRID);
        }
    }
}

/// Work plus travel of a worker's existing assignments on one day (home → first → … → last).
fn day_load(input: &DispatchInput, rules: &Rules, w: &Worker, day: chrono::NaiveDate) -> i64 {
    let mut items: Vec<(NaiveDateTime, NaiveDateTime, Option<&Zone>)> = input
        .existing
        .iter()
        .filter(|a| a.workers.contains(&w.badge) && a.start.date() == day && a.end > a.start)
        .map(|a| {
            (
                a.start,
                a.end,
                input.jobs.iter().find(|j| j.id == a.job).map(|j| &j.zone),
            )
        })
        .collect();
    items.sort_by_key(|i| (i.0, i.1));
    let mut load = 0;
    let mut at_zone = w.home_zone.as_ref().map(Some);
    for (s, e, z) in items {
        if let Some(from) = at_zone {
            load += travel(input, rules, from, z);
        }
        load += minutes(s, e);
        at_zone = Some(z);
    }
    load
}

/// With a single job to plan, the planner's choice for a crew of one is exactly: the worker
/// and grid time minimising (that day's load, badge, start) among those `check_manual`
/// accepts, in the job's store, or else (urgent jobs) in any other store.
fn assert_single_job_choice(input: &DispatchInput, rules: &Rules) {
    let candidates: Vec<&Job> = input
        .jobs
        .iter()
        .filter(|j| {
            j.crew_size == 1
                && j.duration_minutes > 0
                && j.window.end
                    >= j.window.start + TimeDelta::minutes(i64::from(j.duration_minutes))
                && j.status.is_open()
                && !input.existing.iter().any(|a| a.job == j.id)
                && input.jobs.iter().filter(|x| x.id == j.id).count() == 1
        })
        .take(4)
        .collect();
    for j in candidates {
        let mut one = input.clone();
        for x in &mut one.jobs {
            if x.id != j.id {
                x.status = JobStatus::Cancelled;
            }
        }
        let p = plan(&one, rules);
        let best_in = |own: bool| {
            let mut best: Option<(i64, &WorkerId, NaiveDateTime)> = None;
            for w in one.workers.iter().filter(|w| (w.store == j.store) == own) {
                let mut t = j.window.start;
                let dur = TimeDelta::minutes(i64::from(j.duration_minutes));
                while t + dur <= j.window.end {
                    let a = Assignment {
                        job: j.id.clone(),
                        workers: vec![w.badge.clone()],
                        leader: w.badge.clone(),
                        start: t,
                        end: t + dur,
                    };
                    if !has_error(&one, rules, &a) {
                        let key = (day_load(&one, rules, w, t.date()), &w.badge, t);
                        if best.is_none_or(|b| key < b) {
                            best = Some(key);
                        }
                    }
                    t += TimeDelta::minutes(GRID);
                }
            }
            best
        };
        let (expected, escalated) = match best_in(true) {
            Some(b) => (Some(b), false),
            None if j.urgent => (best_in(false), true),
            None => (None, false),
        };
        match expected {
            None => assert!(
                p.unassigned_job(j.id.as_str()).is_some(),
                "{} should be unassigned: {p:?}",
                j.id
            ),
            Some((_, badge, start)) => {
                let a = p
                    .assignment(j.id.as_str())
                    .unwrap_or_else(|| panic!("{} unassigned: {p:?}", j.id));
                assert_eq!(
                    (&a.assignment.workers[0], a.assignment.start),
                    (badge, start),
                    "{}",
                    j.id
                );
                assert_eq!(a.escalated.is_some(), escalated);
                if escalated {
                    // Beside the proposal: what the plan says of the same job when it is not
                    // urgent (and so stays unassigned), other stores' workers aside.
                    let mut calm = one.clone();
                    for x in &mut calm.jobs {
                        x.urgent = false;
                    }
                    let calm_plan = plan(&calm, rules);
                    let u = calm_plan
                        .unassigned_job(j.id.as_str())
                        .unwrap_or_else(|| panic!("{} assigned when not urgent", j.id));
                    let home = a.home_store.as_ref().expect("home store reasons");
                    assert_eq!(home.reasons, u.reasons, "{}", j.id);
                    let own: Vec<_> = u
                        .rejected
                        .iter()
                        .filter(|r| !matches!(r.reason, Reason::OtherStore { .. }))
                        .collect();
                    assert_eq!(home.rejected.iter().collect::<Vec<_>>(), own, "{}", j.id);
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn plan_obeys_every_rule((input, _) in arb_input()) {
        for rules in [Rules::default(), joint_rules()] {
            let p = plan(&input, &rules);
            assert_rules(&input, &rules, &p);
        }
    }

    #[test]
    fn plan_obeys_a_tight_cap((input, _) in arb_input(), cap in 60u32..300) {
        let rules = Rules { daily_cap_minutes: cap, default_travel_minutes: 30, ..Rules::default() };
        let p = plan(&input, &rules);
        assert_rules(&input, &rules, &p);
    }

    #[test]
    fn plan_is_deterministic_and_ignores_worker_order((input, seed) in arb_input()) {
        let rules = Rules::default();
        let p = plan(&input, &rules);
        prop_assert_eq!(&p, &plan(&input, &rules));
        let mut shuffled = input.clone();
        shuffle(&mut shuffled.workers, seed);
        shuffle(&mut shuffled.existing, seed.rotate_left(17));
        shuffle(&mut shuffled.previous, seed.rotate_left(31));
        prop_assert_eq!(&p, &plan(&shuffled, &rules));
    }

    #[test]
    fn check_manual_accepts_what_plan_proposes((input, _) in arb_input(), joint in any::<bool>()) {
        let rules = if joint { joint_rules() } else { Rules::default() };
        let p = plan(&input, &rules);
        let mut all = input.clone();
        all.existing.extend(p.assignments.iter().map(|a| a.assignment.clone()));
        for a in &p.assignments {
            prop_assert_eq!(check_manual(&all, &rules, &a.assignment), vec![]);
            // And against the input alone: fewer constraints, apart from travel from home, and
            // apart from travel that a job in between made shorter than the direct way
            // (tests/dispatch.rs, `a_job_in_between_can_shorten_travel`).
            if input.workers.iter().all(|w| w.home_zone.is_none())
                && travel_is_metric(&input, &rules)
            {
                prop_assert_eq!(check_manual(&input, &rules, &a.assignment), vec![]);
            }
        }
    }

}

proptest! {
    // These two replay check_manual over a grid of times: fewer, heavier cases.
    #![proptest_config(ProptestConfig { cases: 120, ..ProptestConfig::default() })]

    #[test]
    fn a_single_job_goes_to_the_best_worker_at_the_earliest_time((input, _) in arb_input()) {
        assert_single_job_choice(&input, &Rules::default());
    }

    #[test]
    fn unassigned_jobs_really_have_no_crew((input, _) in arb_input(), cap in prop::sample::select(vec![540u32, 180, 300])) {
        let rules = Rules { daily_cap_minutes: cap, ..Rules::default() };
        let p = plan(&input, &rules);
        assert_complete(&input, &rules, &p);
    }
}

fn routed_params(seed: u64) -> SearchParams {
    SearchParams {
        seed,
        iterations: 150,
        ..SearchParams::default()
    }
}

proptest! {
    // The travel-aware planner (construction + ruin and recreate) keeps every rule too.
    #![proptest_config(ProptestConfig { cases: 150, ..ProptestConfig::default() })]

    #[test]
    fn routed_plan_obeys_every_rule((input, seed) in arb_input(), joint in any::<bool>()) {
        let rules = if joint { joint_rules() } else { Rules::default() };
        let r = plan_routed(&input, &rules, routed_params(seed));
        assert_rules(&input, &rules, &r.plan);
        let mut all = input.clone();
        all.existing.extend(r.plan.assignments.iter().map(|a| a.assignment.clone()));
        for a in &r.plan.assignments {
            prop_assert_eq!(check_manual(&all, &rules, &a.assignment), vec![]);
        }
        // Improvement never ends worse than its construction.
        prop_assert!(r.travel_minutes <= r.construction_travel_minutes || r.plan.unassigned.len() < input.jobs.len());
    }

    #[test]
    fn routed_improvement_never_ends_worse_than_its_construction((input, seed) in arb_input()) {
        // Fewer unserved (urgent weighted), then less travel: the best is never behind the
        // construction, locked jobs and all.
        let mut p = Planner::new(&input, &Rules::default(), routed_params(seed));
        while !p.done() {
            p.step(40);
        }
        let pr = p.progress();
        prop_assert!(pr.best <= pr.construction, "{:?}", pr);
    }

    #[test]
    fn routed_plan_obeys_a_tight_cap((input, seed) in arb_input(), cap in 60u32..300) {
        let rules = Rules { daily_cap_minutes: cap, default_travel_minutes: 30, ..Rules::default() };
        let r = plan_routed(&input, &rules, routed_params(seed));
        assert_rules(&input, &rules, &r.plan);
    }

    #[test]
    fn routed_plan_is_deterministic_and_ignores_input_order((input, seed) in arb_input(), joint in any::<bool>()) {
        let rules = if joint { joint_rules() } else { Rules::default() };
        let r = plan_routed(&input, &rules, routed_params(7));
        prop_assert_eq!(&r, &plan_routed(&input, &rules, routed_params(7)));
        let mut shuffled = input.clone();
        shuffle(&mut shuffled.workers, seed);
        shuffle(&mut shuffled.existing, seed.rotate_left(17));
        shuffle(&mut shuffled.previous, seed.rotate_left(31));
        prop_assert_eq!(&r, &plan_routed(&shuffled, &rules, routed_params(7)));
    }

    #[test]
    fn routed_plan_keeps_locked_jobs_where_they_are((input, seed) in arb_input()) {
        let rules = Rules::default();
        let r = plan_routed(&input, &rules, routed_params(seed));
        // Every existing assignment stays on each of its workers' days that have a route.
        for a in &input.existing {
            for w in &a.workers {
                if let Some(day) = r.routes.iter().find(|d| &d.worker == w && d.day == a.start.date()) {
                    prop_assert!(day.stops.contains(&a.job), "{} left {}'s day", a.job, w);
                }
            }
            prop_assert!(r.plan.assignment(a.job.as_str()).is_none());
        }
    }
}

proptest! {
    // The search's first phase (serving what the construction left out, SISR's fleet
    // minimisation) and its switch to the distance phase: a tight cap leaves jobs out, and the
    // whole horizon may go to serving them.
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    #[test]
    fn routed_serving_phase_is_deterministic_never_worse_and_keeps_locks(
        (input, seed) in arb_input(),
        cap in 60u32..300,
    ) {
        let rules = Rules { daily_cap_minutes: cap, ..Rules::default() };
        let params = SearchParams { serve_per_mille: 1000, ..routed_params(seed) };
        // However it is stepped, the same seed and horizon give the same search.
        let mut a = Planner::new(&input, &rules, params.clone());
        while !a.done() {
            a.step(1);
        }
        let mut b = Planner::new(&input, &rules, params);
        while !b.done() {
            b.step(37);
        }
        prop_assert_eq!(a.progress(), b.progress());
        prop_assert!(a.progress().best <= a.progress().construction, "{:?}", a.progress());
        let r = a.result(&input, &rules);
        prop_assert_eq!(&r, &b.result(&input, &rules));
        assert_rules(&input, &rules, &r.plan);
        for x in &input.existing {
            for w in &x.workers {
                if let Some(day) = r.routes.iter().find(|d| &d.worker == w && d.day == x.start.date()) {
                    prop_assert!(day.stops.contains(&x.job), "{} left {}'s day", x.job, w);
                }
            }
        }
    }
}

proptest! {
    // The distance phase with or without its second recreate (the tasks left out first):
    // however stepped, the same search; never worse than the
    // construction; every rule kept.
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    #[test]
    fn routed_retry_is_deterministic_never_worse_and_keeps_rules(
        (input, seed) in arb_input(),
        cap in 60u32..540,
        retry in any::<bool>(),
    ) {
        let rules = Rules { daily_cap_minutes: cap, ..Rules::default() };
        let params = SearchParams { retry_left_out: retry, ..routed_params(seed) };
        let mut a = Planner::new(&input, &rules, params.clone());
        while !a.done() {
            a.step(1);
        }
        let mut b = Planner::new(&input, &rules, params);
        while !b.done() {
            b.step(29);
        }
        prop_assert_eq!(a.progress(), b.progress());
        prop_assert!(a.progress().best <= a.progress().construction, "{:?}", a.progress());
        let r = a.result(&input, &rules);
        prop_assert_eq!(&r, &b.result(&input, &rules));
        assert_rules(&input, &rules, &r.plan);
    }
}
