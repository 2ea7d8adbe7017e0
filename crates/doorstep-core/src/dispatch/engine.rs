//! The planner's working state: ids interned to indices, times as seconds, each worker's busy
//! intervals sorted, skills as bitsets. Shared by [`super::plan`] and [`super::check_manual`] so
//! that both apply exactly the same time rules.

use super::crew;
use super::reason::Reason;
use super::DispatchInput;
use crate::config::Rules;
use crate::model::{Job, JobId, Skill, StoreId, Worker, Zone};
use chrono::{DateTime, NaiveDateTime};
use std::collections::{BTreeMap, BTreeSet};

pub(super) const DAY: i64 = 86_400;
/// Zone of a busy interval whose job is not in the input: travel to and from it is the default.
const NO_ZONE: u32 = u32::MAX;
/// Job index of the interval being checked (not yet in any busy list).
const NO_JOB: u32 = u32::MAX;

pub(super) fn secs(t: &NaiveDateTime) -> i64 {
    t.and_utc().timestamp()
}

pub(super) fn time_at(s: i64) -> Option<NaiveDateTime> {
    DateTime::from_timestamp(s, 0).map(|d| d.naive_utc())
}

pub(super) fn day_of(s: i64) -> i64 {
    s.div_euclid(DAY)
}

fn minutes_up(s: i64) -> i64 {
    (s + 59).div_euclid(60)
}

fn to_u32(v: i64) -> u32 {
    u32::try_from(v.max(0)).unwrap_or(u32::MAX)
}

/// Problems in a job's own data that make it impossible to plan.
pub(super) fn validate(job: &Job) -> Vec<Reason> {
    let mut out = Vec::new();
    if job.crew_size == 0 {
        out.push(Reason::ZeroCrew);
    }
    let window = secs(&job.window.end) - secs(&job.window.start);
    if window < 0 {
        out.push(Reason::InvalidWindow {
            start: job.window.start,
            end: job.window.end,
        });
    }
    if job.duration_minutes == 0 {
        out.push(Reason::ZeroDuration);
    } else if window >= 0 && i64::from(job.duration_minutes) * 60 > window {
        out.push(Reason::DurationExceedsWindow {
            duration_minutes: job.duration_minutes,
            window_minutes: window.div_euclid(60),
        });
    }
    out
}

/// The job's skills the worker lacks, in the job's order, each once.
pub(super) fn missing_skills(job: &Job, worker: &Worker) -> Vec<crate::model::Skill> {
    let mut out: Vec<crate::model::Skill> = Vec::new();
    for s in &job.skills {
        if !worker.skills.contains(s) && !out.contains(s) {
            out.push(s.clone());
        }
    }
    out
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct SkillSet(Vec<u64>);

impl SkillSet {
    fn of(ids: impl Iterator<Item = u32>) -> Self {
        let mut words: Vec<u64> = Vec::new();
        for id in ids {
            let (w, b) = ((id / 64) as usize, id % 64);
            if words.len() <= w {
                words.resize(w + 1, 0);
            }
            if let Some(word) = words.get_mut(w) {
                *word |= 1u64 << b;
            }
        }
        SkillSet(words)
    }

    fn has(&self, id: u32) -> bool {
        self.0
            .get((id / 64) as usize)
            .is_some_and(|w| w & (1u64 << (id % 64)) != 0)
    }

    /// Has every skill of `need`.
    fn covers(&self, need: &SkillSet) -> bool {
        need.0
            .iter()
            .enumerate()
            .all(|(i, &n)| n & !self.0.get(i).copied().unwrap_or(0) == 0)
    }
}

/// A busy interval of a worker: an existing or planned assignment.
#[derive(Clone, Copy, Debug)]
struct Busy {
    start: i64,
    end: i64,
    zone: u32,
    day: i64,
    job: u32,
}

impl Busy {
    fn order(&self) -> (i64, i64, u32) {
        (self.start, self.end, self.job)
    }
}

struct WorkerState {
    /// (start, end) in seconds, sorted; empty or reversed shifts dropped.
    shifts: Vec<(i64, i64)>,
    /// Sorted by (start, end, job).
    busy: Vec<Busy>,
    /// (day, seconds of work + travel), sorted by day.
    loads: Vec<(i64, i64)>,
    home: Option<u32>,
    skills: SkillSet,
    leader: bool,
    store: u32,
}

impl WorkerState {
    fn load(&self, day: i64) -> i64 {
        match self.loads.binary_search_by_key(&day, |&(d, _)| d) {
            Ok(i) => self.loads.get(i).map_or(0, |&(_, l)| l),
            Err(_) => 0,
        }
    }

    fn set_load(&mut self, day: i64, load: i64) {
        match self.loads.binary_search_by_key(&day, |&(d, _)| d) {
            Ok(i) => {
                if let Some(slot) = self.loads.get_mut(i) {
                    slot.1 = load;
                }
            }
            Err(i) => self.loads.insert(i, (day, load)),
        }
    }

    /// The busy intervals starting on `day` (contiguous, as the list is sorted by start).
    fn day_items(&self, day: i64) -> &[Busy] {
        let lo = self.busy.partition_point(|b| b.day < day);
        let hi = self.busy.partition_point(|b| b.day <= day);
        self.busy.get(lo..hi).unwrap_or(&[])
    }
}

/// A job as the planner sees it.
pub(super) struct JobInfo {
    pub idx: usize,
    pub store: u32,
    zone: u32,
    skills: SkillSet,
    /// Served jointly ([`super::crew`]): the job's distinct skills, to be shared out.
    joint: Option<Vec<u32>>,
    pub crew: u8,
    ws: i64,
    we: i64,
    pub dur: i64,
}

/// Why one worker cannot take a job (indices, turned into a [`Reason`] only when reported).
#[derive(Clone, Copy, Debug)]
pub(super) enum Raw {
    MissingSkill,
    OutsideShift,
    Overlap { job: u32, travel: i64 },
    Home { zone: u32, travel: i64 },
    OverCap { load: i64 },
}

/// A range of feasible start times `lo..=hi` of one worker, all on one day.
#[derive(Clone, Copy, Debug)]
struct Slot {
    w: u32,
    lo: i64,
    hi: i64,
    /// The worker's load that day before this job.
    load: i64,
}

/// The crew chosen for a job.
pub(super) struct Choice {
    /// Worker indices in badge order.
    pub members: Vec<u32>,
    pub leader: u32,
    pub start: i64,
    /// Total load of the crew that day before the job (the load-balancing key).
    pub load: i64,
}

impl Choice {
    fn key(&self) -> (i64, &[u32], i64) {
        (self.load, &self.members, self.start)
    }

    pub fn better_than(&self, other: &Choice) -> bool {
        self.key() < other.key()
    }
}

/// Reusable buffers, so the hot loop does not allocate.
#[derive(Default)]
pub(super) struct Scratch {
    slots: Vec<Slot>,
    times: Vec<i64>,
    avail: Vec<(i64, u32, bool)>,
    tried: Vec<bool>,
    raws: Vec<Raw>,
    /// Workers passed over in the last `select`.
    pub rejected: Vec<(u32, Raw)>,
}

pub(super) struct Engine<'a> {
    input: &'a DispatchInput,
    cap: i64,
    cap_minutes: u32,
    default_travel: u32,
    joint_services: Vec<String>,
    /// Workers in badge order (one per badge).
    workers: Vec<&'a Worker>,
    states: Vec<WorkerState>,
    by_badge: BTreeMap<&'a str, u32>,
    stores: Vec<&'a StoreId>,
    store_ix: BTreeMap<&'a str, u32>,
    store_workers: Vec<Vec<u32>>,
    zone_ix: BTreeMap<&'a str, u32>,
    zone_names: Vec<&'a Zone>,
    travel: TravelMatrix,
    skill_ix: BTreeMap<&'a str, u32>,
    /// Ids of the input's jobs (same index), then of jobs only named by existing assignments.
    job_ids: Vec<&'a JobId>,
    /// First job (input order) with each id.
    job_by_id: BTreeMap<&'a str, usize>,
}

fn idx(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

/// Zone-to-zone minutes: a dense matrix for the usual handful of zones, a sorted map beyond
/// (so that an input with thousands of zones cannot ask for a huge matrix).
enum TravelMatrix {
    Dense { n: usize, minutes: Vec<u32> },
    Sparse(BTreeMap<(u32, u32), u32>),
}

/// Above this many zones the travel table is kept sparse.
const DENSE_ZONES: usize = 512;

impl TravelMatrix {
    /// `default` for unknown pairs, 0 on the diagonal unless `pairs` says otherwise.
    fn new(n: usize, default: u32, pairs: impl Iterator<Item = (u32, u32, u32)>) -> Self {
        if n <= DENSE_ZONES {
            let mut minutes = vec![default; n * n];
            for i in 0..n {
                if let Some(m) = minutes.get_mut(i * n + i) {
                    *m = 0;
                }
            }
            for (a, b, m) in pairs {
                let (a, b) = (a as usize, b as usize);
                for k in [a * n + b, b * n + a] {
                    if let Some(x) = minutes.get_mut(k) {
                        *x = m;
                    }
                }
            }
            TravelMatrix::Dense { n, minutes }
        } else {
            TravelMatrix::Sparse(pairs.map(|(a, b, m)| ((a.min(b), a.max(b)), m)).collect())
        }
    }

    /// Minutes between two interned zones; `NO_ZONE` or an unknown pair gives `default`.
    fn get(&self, a: u32, b: u32, default: u32) -> u32 {
        if a == NO_ZONE || b == NO_ZONE {
            return default;
        }
        match self {
            TravelMatrix::Dense { n, minutes } => {
                let (a, b) = (a as usize, b as usize);
                if a < *n && b < *n {
                    minutes.get(a * n + b).copied().unwrap_or(default)
                } else {
                    default
                }
            }
            TravelMatrix::Sparse(map) => match map.get(&(a.min(b), a.max(b))) {
                Some(&m) => m,
                None if a == b => 0,
                None => default,
            },
        }
    }
}

impl<'a> Engine<'a> {
    /// Builds the state. Existing assignments of `exclude` are left out (a manual assignment is
    /// checked against everything else).
    pub fn new(input: &'a DispatchInput, rules: &Rules, exclude: Option<&JobId>) -> Self {
        // Zones and skills, numbered in name order (never in input order).
        let mut zones: BTreeMap<&str, &Zone> = BTreeMap::new();
        for j in &input.jobs {
            zones.entry(j.zone.as_str()).or_insert(&j.zone);
        }
        for h in input.workers.iter().filter_map(|w| w.home_zone.as_ref()) {
            zones.entry(h.as_str()).or_insert(h);
        }
        for (a, b, _) in input.travel.pairs() {
            zones.entry(a.as_str()).or_insert(a);
            zones.entry(b.as_str()).or_insert(b);
        }
        let zone_ix: BTreeMap<&str, u32> = zones
            .keys()
            .enumerate()
            .map(|(i, z)| (*z, idx(i)))
            .collect();
        let zone_names: Vec<&Zone> = zones.into_values().collect();
        let default_travel = rules.default_travel_minutes;
        let travel = TravelMatrix::new(
            zone_names.len(),
            default_travel,
            input.travel.pairs().filter_map(|(a, b, m)| {
                Some((*zone_ix.get(a.as_str())?, *zone_ix.get(b.as_str())?, m))
            }),
        );
        let skills: BTreeSet<&str> = input
            .jobs
            .iter()
            .flat_map(|j| j.skills.iter())
            .chain(input.workers.iter().flat_map(|w| w.skills.iter()))
            .map(|s| s.as_str())
            .collect();
        let skill_ix: BTreeMap<&str, u32> = skills
            .into_iter()
            .enumerate()
            .map(|(i, s)| (s, idx(i)))
            .collect();

        // Stores.
        let mut store_names: BTreeMap<&str, &StoreId> = BTreeMap::new();
        for j in &input.jobs {
            store_names.entry(j.store.as_str()).or_insert(&j.store);
        }
        for w in &input.workers {
            store_names.entry(w.store.as_str()).or_insert(&w.store);
        }
        let stores: Vec<&StoreId> = store_names.into_values().collect();
        let store_ix: BTreeMap<&str, u32> = stores
            .iter()
            .enumerate()
            .map(|(i, s)| (s.as_str(), idx(i)))
            .collect();

        // Workers in badge order; a repeated badge keeps the first by (store, name).
        let mut workers: Vec<&Worker> = input.workers.iter().collect();
        workers.sort_by(|a, b| (&a.badge, &a.store, &a.name).cmp(&(&b.badge, &b.store, &b.name)));
        workers.dedup_by(|b, a| a.badge == b.badge);
        let by_badge: BTreeMap<&str, u32> = workers
            .iter()
            .enumerate()
            .map(|(i, w)| (w.badge.as_str(), idx(i)))
            .collect();

        // Jobs.
        let mut job_ids: Vec<&JobId> = input.jobs.iter().map(|j| &j.id).collect();
        let mut job_by_id: BTreeMap<&str, usize> = BTreeMap::new();
        for (i, j) in input.jobs.iter().enumerate() {
            job_by_id.entry(j.id.as_str()).or_insert(i);
        }
        let mut extra_jobs: BTreeMap<&str, u32> = BTreeMap::new();
        for a in &input.existing {
            if !job_by_id.contains_key(a.job.as_str()) && !extra_jobs.contains_key(a.job.as_str()) {
                extra_jobs.insert(a.job.as_str(), idx(job_ids.len()));
                job_ids.push(&a.job);
            }
        }

        let mut engine = Engine {
            input,
            cap: i64::from(rules.daily_cap_minutes) * 60,
            cap_minutes: rules.daily_cap_minutes,
            default_travel,
            joint_services: rules.joint_skill_services.clone(),
            workers,
            states: Vec::new(),
            by_badge,
            stores,
            store_ix,
            store_workers: Vec::new(),
            zone_ix,
            zone_names,
            travel,
            skill_ix,
            job_ids,
            job_by_id,
        };

        let mut states = Vec::with_capacity(engine.workers.len());
        for w in &engine.workers {
            states.push(WorkerState {
                shifts: sorted_shifts(w),
                busy: Vec::new(),
                loads: Vec::new(),
                home: w
                    .home_zone
                    .as_ref()
                    .and_then(|z| engine.zone_ix.get(z.as_str()).copied()),
                skills: SkillSet::of(
                    w.skills
                        .iter()
                        .filter_map(|s| engine.skill_ix.get(s.as_str()).copied()),
                ),
                leader: w.leader,
                store: engine
                    .store_ix
                    .get(w.store.as_str())
                    .copied()
                    .unwrap_or(u32::MAX),
            });
        }
        for a in &input.existing {
            if exclude == Some(&a.job) {
                continue;
            }
            let (start, end) = (secs(&a.start), secs(&a.end));
            if end <= start {
                continue;
            }
            let (job, zone) = match engine.job_by_id.get(a.job.as_str()) {
                Some(&i) => (
                    idx(i),
                    input
                        .jobs
                        .get(i)
                        .and_then(|j| engine.zone_ix.get(j.zone.as_str()).copied())
                        .unwrap_or(NO_ZONE),
                ),
                None => (
                    extra_jobs.get(a.job.as_str()).copied().unwrap_or(NO_JOB),
                    NO_ZONE,
                ),
            };
            let mut seen: Vec<u32> = Vec::new();
            for badge in &a.workers {
                if let Some(&wi) = engine.by_badge.get(badge.as_str()) {
                    if !seen.contains(&wi) {
                        seen.push(wi);
                        if let Some(st) = states.get_mut(wi as usize) {
                            st.busy.push(Busy {
                                start,
                                end,
                                zone,
                                day: day_of(start),
                                job,
                            });
                        }
                    }
                }
            }
        }
        for st in &mut states {
            st.busy.sort_unstable_by_key(Busy::order);
            let mut days: Vec<i64> = st.busy.iter().map(|b| b.day).collect();
            days.dedup();
            let loads: Vec<(i64, i64)> = days
                .iter()
                .map(|&d| {
                    (
                        d,
                        engine.sequence_load(st.day_items(d).iter().copied(), st.home),
                    )
                })
                .collect();
            st.loads = loads;
        }
        let mut store_workers = vec![Vec::new(); engine.stores.len()];
        for (i, st) in states.iter().enumerate() {
            if let Some(list) = store_workers.get_mut(st.store as usize) {
                list.push(idx(i));
            }
        }
        engine.states = states;
        engine.store_workers = store_workers;
        engine
    }

    // ----- lookups -----

    pub fn worker(&self, wi: u32) -> Option<&'a Worker> {
        self.workers.get(wi as usize).copied()
    }

    pub fn worker_index(&self, badge: &str) -> Option<u32> {
        self.by_badge.get(badge).copied()
    }

    /// Does worker `wi` hold skill `s` (by index)?
    pub fn has_skill(&self, wi: u32, s: Option<&u32>) -> bool {
        match (self.states.get(wi as usize), s) {
            (Some(st), Some(&s)) => st.skills.has(s),
            _ => false,
        }
    }

    fn skill_name(&self, s: u32) -> Option<Skill> {
        self.skill_ix
            .iter()
            .find(|(_, &i)| i == s)
            .map(|(n, _)| Skill::new(*n))
    }

    pub fn is_leader(&self, wi: u32) -> bool {
        self.states.get(wi as usize).is_some_and(|s| s.leader)
    }

    pub fn store_count(&self) -> u32 {
        to_u32(self.stores.len() as i64)
    }

    pub fn store(&self, si: u32) -> Option<&'a StoreId> {
        self.stores.get(si as usize).copied()
    }

    pub fn store_workers(&self, si: u32) -> &[u32] {
        self.store_workers
            .get(si as usize)
            .map_or(&[], Vec::as_slice)
    }

    pub fn job_index(&self, id: &str) -> Option<usize> {
        self.job_by_id.get(id).copied()
    }

    fn zone_name(&self, zi: u32) -> Zone {
        self.zone_names
            .get(zi as usize)
            .map_or_else(|| Zone::new("?"), |z| (*z).clone())
    }

    fn job_name(&self, ji: u32) -> JobId {
        self.job_ids
            .get(ji as usize)
            .map_or_else(|| JobId::new("?"), |j| (*j).clone())
    }

    /// Travel seconds between two interned zones (unknown zones: the default).
    fn travel(&self, a: u32, b: u32) -> i64 {
        i64::from(self.travel.get(a, b, self.default_travel)) * 60
    }

    fn travel_from(&self, origin: Option<u32>, to: u32) -> i64 {
        origin.map_or(0, |o| self.travel(o, to))
    }

    /// Work plus travel of one day's intervals (sorted), starting from home.
    fn sequence_load(&self, items: impl Iterator<Item = Busy>, home: Option<u32>) -> i64 {
        let mut total = 0;
        let mut at = home;
        for b in items {
            total += b.end - b.start + self.travel_from(at, b.zone);
            at = Some(b.zone);
        }
        total
    }

    pub fn job_info(&self, idx: usize) -> Option<JobInfo> {
        let j = self.input.jobs.get(idx)?;
        Some(JobInfo {
            idx,
            store: self
                .store_ix
                .get(j.store.as_str())
                .copied()
                .unwrap_or(u32::MAX),
            zone: self
                .zone_ix
                .get(j.zone.as_str())
                .copied()
                .unwrap_or(NO_ZONE),
            skills: SkillSet::of(
                j.skills
                    .iter()
                    .filter_map(|s| self.skill_ix.get(s.as_str()).copied()),
            ),
            joint: crew::joint_with(j, &self.joint_services).then(|| {
                crew::distinct_skills(j)
                    .iter()
                    .filter_map(|s| self.skill_ix.get(s.as_str()).copied())
                    .collect()
            }),
            crew: j.crew_size,
            ws: secs(&j.window.start),
            we: secs(&j.window.end),
            dur: i64::from(j.duration_minutes) * 60,
        })
    }

    // ----- the time rules -----

    /// Every time-rule problem of worker `wi` working `start..end` in `zone` (shift, overlap with
    /// travel, travel from home, daily cap). Empty: the worker can do it.
    fn time_problems(&self, wi: u32, zone: u32, start: i64, end: i64, out: &mut Vec<Raw>) {
        let Some(w) = self.states.get(wi as usize) else {
            return;
        };
        let day = day_of(start);
        let shift_start = w
            .shifts
            .iter()
            .filter(|&&(a, b)| a <= start && end <= b)
            .map(|&(a, _)| a)
            .min();
        if shift_start.is_none() {
            out.push(Raw::OutsideShift);
        }
        let mut prev: Option<&Busy> = None;
        let mut next: Option<&Busy> = None;
        for b in &w.busy {
            if b.start < end && start < b.end {
                out.push(Raw::Overlap {
                    job: b.job,
                    travel: 0,
                });
            } else if b.end <= start {
                if prev.is_none_or(|p| (b.end, b.start, b.job) > (p.end, p.start, p.job)) {
                    prev = Some(b);
                }
            } else if next.is_none_or(|n| b.order() < n.order()) {
                next = Some(b);
            }
        }
        if let Some(p) = prev {
            let t = self.travel(p.zone, zone);
            if start < p.end + t {
                out.push(Raw::Overlap {
                    job: p.job,
                    travel: t,
                });
            }
        }
        if let Some(n) = next {
            let t = self.travel(zone, n.zone);
            if end + t > n.start {
                out.push(Raw::Overlap {
                    job: n.job,
                    travel: t,
                });
            }
        }
        if prev.is_none_or(|p| p.day != day) {
            if let (Some(h), Some(a)) = (w.home, shift_start) {
                let t = self.travel(h, zone);
                if start < a + t {
                    out.push(Raw::Home { zone: h, travel: t });
                }
            }
        }
        let new = Busy {
            start,
            end,
            zone,
            day,
            job: NO_JOB,
        };
        let items = w.day_items(day);
        let at = items.partition_point(|b| (b.start, b.end) <= (start, end));
        let seq = items
            .get(..at)
            .unwrap_or(&[])
            .iter()
            .copied()
            .chain(std::iter::once(new))
            .chain(items.get(at..).unwrap_or(&[]).iter().copied());
        let load = self.sequence_load(seq, w.home);
        if load > self.cap {
            out.push(Raw::OverCap { load });
        }
    }

    /// The feasible start ranges of worker `wi` for `job`, appended to `out`; if there are none,
    /// the main reason why.
    fn slots(&self, wi: u32, job: &JobInfo, out: &mut Vec<Slot>) -> Option<Raw> {
        let Some(w) = self.states.get(wi as usize) else {
            return Some(Raw::OutsideShift);
        };
        let before = out.len();
        let mut any_shift = false;
        let mut min_over: Option<i64> = None;
        let mut blocker: Option<Raw> = None;
        let (z, dur) = (job.zone, job.dur);
        for &(a, b) in &w.shifts {
            if a > job.we - dur {
                break;
            }
            let lo0 = job.ws.max(a);
            let hi0 = job.we.min(b) - dur;
            if lo0 > hi0 {
                continue;
            }
            any_shift = true;
            let mut seg_lo = lo0;
            while seg_lo <= hi0 {
                let day = day_of(seg_lo);
                let seg_hi = hi0.min((day + 1) * DAY - 1);
                // Walk the gaps between busy intervals that can hold a start in seg_lo..=seg_hi.
                let mut g = w.busy.partition_point(|x| x.start < seg_lo);
                loop {
                    let prev = g.checked_sub(1).and_then(|i| w.busy.get(i));
                    let next = w.busy.get(g);
                    let (mut lo, mut hi) = (seg_lo, seg_hi);
                    let mut lo_cause = None;
                    let mut hi_cause = None;
                    if let Some(p) = prev {
                        let t = self.travel(p.zone, z);
                        if p.end + t > lo {
                            lo = p.end + t;
                            lo_cause = Some(Raw::Overlap {
                                job: p.job,
                                travel: t,
                            });
                        }
                    }
                    let prev_same = prev.filter(|p| p.day == day);
                    if prev_same.is_none() {
                        if let Some(h) = w.home {
                            let t = self.travel(h, z);
                            if a + t > lo {
                                lo = a + t;
                                lo_cause = Some(Raw::Home { zone: h, travel: t });
                            }
                        }
                    }
                    if let Some(n) = next {
                        let t = self.travel(z, n.zone);
                        if n.start - t - dur < hi {
                            hi = n.start - t - dur;
                            hi_cause = Some(Raw::Overlap {
                                job: n.job,
                                travel: t,
                            });
                        }
                    }
                    if lo <= hi {
                        let load = w.load(day);
                        let origin = prev_same.map(|p| p.zone).or(w.home);
                        let mut after = load + dur + self.travel_from(origin, z);
                        if let Some(n) = next.filter(|n| n.day == day) {
                            after += self.travel(z, n.zone) - self.travel_from(origin, n.zone);
                        }
                        if after <= self.cap {
                            out.push(Slot {
                                w: wi,
                                lo,
                                hi,
                                load,
                            });
                        } else {
                            min_over = Some(min_over.map_or(after, |m: i64| m.min(after)));
                        }
                    } else if blocker.is_none() {
                        blocker = if lo > seg_hi || hi_cause.is_none() {
                            lo_cause.or(hi_cause)
                        } else {
                            hi_cause
                        };
                    }
                    match next {
                        Some(n) if n.end <= seg_hi => g += 1,
                        _ => break,
                    }
                }
                seg_lo = seg_hi + 1;
            }
        }
        if out.len() > before {
            None
        } else if !any_shift {
            Some(Raw::OutsideShift)
        } else if let Some(load) = min_over {
            Some(Raw::OverCap { load })
        } else {
            Some(blocker.unwrap_or(Raw::OutsideShift))
        }
    }

    fn fits(&self, wi: u32, job: &JobInfo, start: i64, raws: &mut Vec<Raw>) -> bool {
        raws.clear();
        self.time_problems(wi, job.zone, start, start + job.dur, raws);
        raws.is_empty()
    }

    /// Chooses a crew for `job` among `pool` (one store's workers). On failure, the job-level
    /// reasons; either way `sc.rejected` lists the workers passed over individually.
    pub fn select(
        &self,
        job: &JobInfo,
        pool: &[u32],
        sc: &mut Scratch,
    ) -> Result<Choice, Vec<Reason>> {
        sc.slots.clear();
        sc.rejected.clear();
        let mut feasible = 0u32;
        let mut feasible_leaders = 0u32;
        for &wi in pool {
            let Some(st) = self.states.get(wi as usize) else {
                continue;
            };
            if job.joint.is_none() && !st.skills.covers(&job.skills) {
                sc.rejected.push((wi, Raw::MissingSkill));
                continue;
            }
            match self.slots(wi, job, &mut sc.slots) {
                Some(raw) => sc.rejected.push((wi, raw)),
                None => {
                    feasible += 1;
                    if st.leader {
                        feasible_leaders += 1;
                    }
                }
            }
        }
        let k = usize::from(job.crew);
        let mut saw_no_leader = false;
        let mut saw_unshared = false;
        if feasible > 0 && k == 1 {
            sc.tried.clear();
            sc.tried.resize(sc.slots.len(), false);
            loop {
                let mut best: Option<(usize, (i64, u32, i64))> = None;
                for (i, s) in sc.slots.iter().enumerate() {
                    if sc.tried.get(i).copied().unwrap_or(true) {
                        continue;
                    }
                    let key = (s.load, s.w, s.lo);
                    if best.is_none_or(|(_, b)| key < b) {
                        best = Some((i, key));
                    }
                }
                let Some((i, (load, wi, start))) = best else {
                    break;
                };
                if let Some(t) = sc.tried.get_mut(i) {
                    *t = true;
                }
                if self.fits(wi, job, start, &mut sc.raws) {
                    return Ok(Choice {
                        members: vec![wi],
                        leader: wi,
                        start,
                        load,
                    });
                }
            }
        } else if feasible as usize >= k && feasible_leaders > 0 && k >= 2 {
            sc.times.clear();
            sc.times.extend(sc.slots.iter().map(|s| s.lo));
            sc.times.sort_unstable();
            sc.times.dedup();
            let mut cands: Vec<Choice> = Vec::new();
            for &t in &sc.times {
                sc.avail.clear();
                for s in &sc.slots {
                    if s.lo <= t && t <= s.hi && !sc.avail.iter().any(|&(_, w, _)| w == s.w) {
                        sc.avail.push((s.load, s.w, self.is_leader(s.w)));
                    }
                }
                if sc.avail.len() < k {
                    continue;
                }
                sc.avail.sort_unstable();
                if !sc.avail.iter().any(|a| a.2) {
                    saw_no_leader = true;
                    continue;
                }
                // The least-loaded leader and others (sharing out the skills, if joint).
                let avail = &sc.avail;
                let need = job.joint.as_deref().unwrap_or(&[]);
                let Some(picked) = crew::pick(
                    avail.len(),
                    k,
                    |c| avail.get(c).is_some_and(|a| a.2),
                    |_, _| false,
                    need.len(),
                    |c, s| self.has_skill(avail.get(c).map_or(u32::MAX, |a| a.1), need.get(s)),
                ) else {
                    saw_unshared = true;
                    continue;
                };
                let Some(&(_, leader, _)) = picked.first().and_then(|&c| avail.get(c)) else {
                    continue;
                };
                let mut members: Vec<u32> = Vec::with_capacity(k);
                let mut load = 0;
                for &(l, w, _) in picked.iter().filter_map(|&c| avail.get(c)) {
                    members.push(w);
                    load += l;
                }
                members.sort_unstable();
                cands.push(Choice {
                    members,
                    leader,
                    start: t,
                    load,
                });
            }
            cands.sort_by(|a, b| a.key().cmp(&b.key()));
            for c in cands {
                if c.members
                    .iter()
                    .all(|&w| self.fits(w, job, c.start, &mut sc.raws))
                {
                    return Ok(c);
                }
            }
        }
        // Failure: say why at the job level.
        let store = self
            .store(job.store)
            .cloned()
            .unwrap_or_else(|| StoreId::new("?"));
        let mut reasons = Vec::new();
        if pool.is_empty() {
            reasons.push(Reason::NoWorkers { store });
        } else if feasible == 0 {
            reasons.push(Reason::NoEligibleWorker { store });
        } else if k >= 2 {
            if (feasible as usize) < k {
                reasons.push(Reason::NotEnoughWorkers {
                    needed: job.crew,
                    available: feasible,
                });
            }
            if feasible_leaders == 0 || saw_no_leader {
                reasons.push(Reason::NoQualifiedLeader);
            }
            if let Some(need) = job.joint.as_deref().filter(|_| saw_unshared) {
                // The skills no crew of the feasible workers could share out, if any.
                let feasible: Vec<u32> = pool
                    .iter()
                    .copied()
                    .filter(|w| !sc.rejected.iter().any(|r| r.0 == *w))
                    .collect();
                let left = crew::unshared(need.len(), feasible.len(), |m, s| {
                    self.has_skill(feasible.get(m).copied().unwrap_or(u32::MAX), need.get(s))
                });
                let names: Vec<Skill> = left
                    .iter()
                    .filter_map(|&s| self.skill_name(*need.get(s)?))
                    .collect();
                if !names.is_empty() {
                    reasons.push(Reason::CrewLacksSkills { skills: names });
                }
            }
            if reasons.is_empty() {
                reasons.push(Reason::NoCommonTime { needed: job.crew });
            }
        } else {
            reasons.push(Reason::NoEligibleWorker { store });
        }
        Err(reasons)
    }

    /// Can worker `wi` take `job` at all (ignoring crew and store)?
    pub fn individually_feasible(&self, wi: u32, job: &JobInfo, sc: &mut Scratch) -> bool {
        let Some(st) = self.states.get(wi as usize) else {
            return false;
        };
        sc.slots.clear();
        let qualified = match &job.joint {
            // Could take one of the skills to share out.
            Some(need) => need.iter().any(|&s| st.skills.has(s)),
            None => st.skills.covers(&job.skills),
        };
        qualified && self.slots(wi, job, &mut sc.slots).is_none()
    }

    /// Puts the chosen crew's new interval into their schedules.
    pub fn commit(&mut self, job: &JobInfo, choice: &Choice) {
        let start = choice.start;
        let b = Busy {
            start,
            end: start + job.dur,
            zone: job.zone,
            day: day_of(start),
            job: idx(job.idx),
        };
        for &wi in &choice.members {
            let Some(st) = self.states.get_mut(wi as usize) else {
                continue;
            };
            let at = st.busy.partition_point(|x| x.order() <= b.order());
            st.busy.insert(at, b);
            let Some(st) = self.states.get(wi as usize) else {
                continue;
            };
            let load = self.sequence_load(st.day_items(b.day).iter().copied(), st.home);
            if let Some(st) = self.states.get_mut(wi as usize) {
                st.set_load(b.day, load);
            }
        }
    }

    // ----- turning indices into reasons -----

    pub fn reason(&self, wi: u32, job: Option<&Job>, raw: Raw) -> Reason {
        match raw {
            Raw::MissingSkill => match (job, self.worker(wi)) {
                (Some(j), Some(w)) => Reason::MissingSkill {
                    skills: missing_skills(j, w),
                },
                _ => Reason::MissingSkill { skills: Vec::new() },
            },
            Raw::OutsideShift => Reason::OutsideShift,
            Raw::Overlap { job: other, travel } => Reason::Overlap {
                job: self.job_name(other),
                travel_minutes: to_u32(minutes_up(travel)),
            },
            Raw::Home { zone, travel } => Reason::TravelFromHome {
                zone: self.zone_name(zone),
                travel_minutes: to_u32(minutes_up(travel)),
            },
            Raw::OverCap { load } => Reason::OverDailyCap {
                would_be_minutes: to_u32(minutes_up(load)),
                cap_minutes: self.cap_minutes,
            },
        }
    }

    /// The time-rule problems of a worker at a given time, as reasons (for `check_manual`).
    pub fn time_reasons(
        &self,
        wi: u32,
        zone_of: Option<&Zone>,
        start: i64,
        end: i64,
    ) -> Vec<Reason> {
        let zone = zone_of
            .and_then(|z| self.zone_ix.get(z.as_str()).copied())
            .unwrap_or(NO_ZONE);
        let mut raws = Vec::new();
        self.time_problems(wi, zone, start, end, &mut raws);
        let mut seen: BTreeSet<(u8, u32)> = BTreeSet::new();
        raws.into_iter()
            .filter(|r| match r {
                // One overlap per job (a direct overlap and a travel conflict with the same job).
                Raw::Overlap { job, .. } => seen.insert((0, *job)),
                _ => true,
            })
            .map(|r| self.reason(wi, None, r))
            .collect()
    }

    /// Puts an assignment made elsewhere (the routed planner's) into the schedules.
    pub fn commit_assignment(&mut self, a: &crate::model::Assignment) {
        let Some(info) = self
            .job_index(a.job.as_str())
            .and_then(|i| self.job_info(i))
        else {
            return;
        };
        let mut members: Vec<u32> = a
            .workers
            .iter()
            .filter_map(|b| self.worker_index(b.as_str()))
            .collect();
        members.sort_unstable();
        members.dedup();
        let Some(leader) = self.worker_index(a.leader.as_str()) else {
            return;
        };
        let choice = Choice {
            members,
            leader,
            start: secs(&a.start),
            load: 0,
        };
        self.commit(&info, &choice);
    }
}

/// A worker's shifts as `(start, end)` in seconds, empty ones dropped, in time order.
pub(crate) fn sorted_shifts(w: &Worker) -> Vec<(i64, i64)> {
    let mut shifts: Vec<(i64, i64)> = w
        .shifts
        .iter()
        .map(|s| (secs(&s.start), secs(&s.end)))
        .filter(|(a, b)| b > a)
        .collect();
    shifts.sort_unstable();
    shifts
}
