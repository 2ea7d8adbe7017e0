//! The travel-aware planner: a [`DispatchInput`] as a routing problem ([`super::vrp`]), built
//! by regret-ordered cheapest insertion and improved by ruin and recreate ([`super::ruin`]),
//! then read back as a [`Plan`] with each worker's day and travel.
//!
//! Travel between two places: the office's own figure where [`Geo::legs`] gives one; else,
//! where both ends have coordinates, the great-circle distance × `Rules::travel_detour_percent`
//! ÷ the speed of the worker's [`TravelMode`] (rounded up to the minute); else the zone table
//! ([`super::TravelTable`]) as before. Distances are taken on a local equirectangular
//! projection around the input's mean latitude (within 0.1 % of the haversine distance over a
//! city).
//!
//! A worker's day is one route: it starts at the worker's start place (coordinates, else home
//! zone) at the start of the shift of the first visit and ends back there by the end of the
//! day's last shift; work plus travel, the way home included, is at most
//! `Rules::daily_cap_minutes`. Existing assignments are locked: they stay with their workers at
//! their times, and new visits travel around them.
//!
//! Objective: serve as many jobs as possible (urgent ones first), then the least total travel.

use super::engine::{self, day_of, secs, time_at, validate, Engine, Scratch};
use super::ruin::{Progress, Search, SearchParams};
use super::vrp::{idx, Problem, Solution, Task, Travel, Vehicle, NO_LOC};
use super::{
    DispatchInput, HomeStoreReasons, Plan, ProposedAssignment, Reason, Rejection, Unassigned,
};
use crate::config::{Rules, TravelMode};
use crate::geo::{Datum, LatLon};
use crate::model::{Assignment, Job, JobId, StoreId, Worker, WorkerId};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Where jobs are and where workers start, and how they travel. Every part is optional.
///
/// JSON: `{"datum":"gcj02","jobs":{"J1":{"lat":31.23,"lon":121.47}},"workers":{"W1":{…}},
/// "modes":{"W1":"walk"},"legs":[{"from":"W1","to":"J1","minutes":25}]}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Geo {
    /// The datum of every coordinate here.
    pub datum: Datum,
    /// The customer's place of each job.
    pub jobs: BTreeMap<JobId, LatLon>,
    /// Each worker's start (and end) place of the day.
    pub workers: BTreeMap<WorkerId, LatLon>,
    /// Each worker's way of travel (else `Rules::default_travel_mode`).
    pub modes: BTreeMap<WorkerId, TravelMode>,
    /// The office's own travel times between two places (job ids or badges), either way.
    pub legs: Vec<GeoLeg>,
}

impl Geo {
    pub fn is_empty(&self) -> bool {
        self.jobs.is_empty()
            && self.workers.is_empty()
            && self.modes.is_empty()
            && self.legs.is_empty()
    }
}

/// A travel time the office supplies between two places named by job id or badge.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GeoLeg {
    pub from: String,
    pub to: String,
    pub minutes: u32,
}

/// One worker's day in a routed plan.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkerDay {
    pub worker: WorkerId,
    pub day: NaiveDate,
    /// Visits in order (locked ones included).
    pub stops: Vec<JobId>,
    pub travel_minutes: u32,
    pub work_minutes: u32,
}

/// Why a job went to its crew: the travel it adds there, and the next cheapest other worker.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WhyWorker {
    pub job: JobId,
    /// Travel minutes the job adds to its crew's routes.
    pub added_travel_minutes: u32,
    /// Workers outside the crew who could also have taken it in the final plan (for a crew of
    /// two or more: stood in for a member at the crew's start).
    pub alternatives: u32,
    /// The cheapest of them and the travel it would add there.
    #[serde(default)]
    pub runner_up: Option<(WorkerId, u32)>,
}

/// The result of [`plan_routed`] / [`Planner::result`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoutedPlan {
    #[serde(flatten)]
    pub plan: Plan,
    /// Each worker's day that has a visit, by badge then day.
    pub routes: Vec<WorkerDay>,
    pub travel_minutes: u64,
    /// Travel of the construction alone, before improvement.
    pub construction_travel_minutes: u64,
    pub iterations: u64,
    pub why: Vec<WhyWorker>,
    /// Jobs of `DispatchInput::previous` now given to another crew (by job id); a previous
    /// job left unassigned is among the unassigned instead.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub moved: Vec<JobId>,
}

/// A travel-aware plan run to `params.iterations`.
pub fn plan_routed(input: &DispatchInput, rules: &Rules, params: SearchParams) -> RoutedPlan {
    let mut p = Planner::new(input, rules, params);
    while !p.done() {
        p.step(1000);
    }
    p.result(input, rules)
}

/// A travel-aware planning run in steps: create (this builds the construction), call
/// [`Planner::step`] while the caller's time budget lasts (showing [`Planner::progress`]),
/// then read [`Planner::result`] with the same input. Stopping early is cancelling.
pub struct Planner {
    search: Search,
    /// Per task: the index of its job in the input (`None`: a locked existing assignment).
    task_job: Vec<Option<usize>>,
    /// Per locked task: the job of its existing assignment.
    locked: BTreeMap<u32, JobId>,
    /// Per vehicle: worker index (into `workers`) and day.
    veh: Vec<(u32, i64)>,
    /// Worker badges in planner order, with their store.
    workers: Vec<(WorkerId, StoreId, bool)>,
    /// Jobs that could not be made into tasks, with why (planning order kept by `order`).
    invalid: Vec<(usize, Vec<Reason>)>,
    /// Plannable job indices in planning order.
    order: Vec<usize>,
    /// Per store: its compatible vehicles of each task (for escalation), by store name.
    stores: Vec<StoreId>,
    other_can: BTreeMap<(u32, usize), Vec<u32>>,
}

fn workers_sorted(input: &DispatchInput) -> Vec<&Worker> {
    let mut workers: Vec<&Worker> = input.workers.iter().collect();
    workers.sort_by(|a, b| (&a.badge, &a.store, &a.name).cmp(&(&b.badge, &b.store, &b.name)));
    workers.dedup_by(|b, a| a.badge == b.badge);
    workers
}

const MODES: [TravelMode; 4] = [
    TravelMode::Walk,
    TravelMode::Ebike,
    TravelMode::Transit,
    TravelMode::Car,
];

impl Planner {
    pub fn new(input: &DispatchInput, rules: &Rules, params: SearchParams) -> Self {
        let workers = workers_sorted(input);
        let geo = &input.geo;

        // Zones (name order) and the unknown zone last.
        let mut zones: BTreeSet<&str> = BTreeSet::new();
        for j in &input.jobs {
            zones.insert(j.zone.as_str());
        }
        for w in &workers {
            if let Some(z) = &w.home_zone {
                zones.insert(z.as_str());
            }
        }
        for (a, b, _) in input.travel.pairs() {
            zones.insert(a.as_str());
            zones.insert(b.as_str());
        }
        let zone_list: Vec<&str> = zones.into_iter().collect();
        let zone_ix: BTreeMap<&str, u32> = zone_list
            .iter()
            .enumerate()
            .map(|(i, z)| (*z, idx(i)))
            .collect();
        let unknown = idx(zone_list.len());
        // Skills, numbered in name order.
        let skill_names: BTreeSet<&str> = workers
            .iter()
            .flat_map(|w| w.skills.iter())
            .chain(input.jobs.iter().flat_map(|j| j.skills.iter()))
            .map(|s| s.as_str())
            .collect();
        let skill_ix: BTreeMap<&str, u32> = skill_names
            .into_iter()
            .enumerate()
            .map(|(i, s)| (s, idx(i)))
            .collect();
        let zc = zone_list.len() + 1;
        let default = i64::from(rules.default_travel_minutes) * 60;
        let mut zone_ticks = vec![default; zc * zc];
        for i in 0..zone_list.len() {
            if let Some(x) = zone_ticks.get_mut(i * zc + i) {
                *x = 0;
            }
        }
        for (a, b, m) in input.travel.pairs() {
            if let (Some(&a), Some(&b)) = (zone_ix.get(a.as_str()), zone_ix.get(b.as_str())) {
                let (a, b) = (a as usize, b as usize);
                for k in [a * zc + b, b * zc + a] {
                    if let Some(x) = zone_ticks.get_mut(k) {
                        *x = i64::from(m) * 60;
                    }
                }
            }
        }

        // Locations: one per zone (no point), then one per placed job and per placed worker.
        let mut points: Vec<Option<(f64, f64)>> = vec![None; zc];
        let mut loc_zone: Vec<u32> = (0..zc).map(idx).collect();
        let valid: Vec<LatLon> = geo
            .jobs
            .values()
            .chain(geo.workers.values())
            .filter(|p| p.is_valid())
            .map(|p| p.to_wgs84(geo.datum))
            .collect();
        let lat0 = if valid.is_empty() {
            0.0
        } else {
            valid.iter().map(|p| p.lat).sum::<f64>() / valid.len() as f64
        };
        let project = |p: &LatLon| -> Option<(f64, f64)> {
            if !p.is_valid() {
                return None;
            }
            let w = p.to_wgs84(geo.datum);
            let r = crate::geo::EARTH_RADIUS_M;
            Some((
                r * w.lon.to_radians() * lat0.to_radians().cos(),
                r * w.lat.to_radians(),
            ))
        };
        let mut named_loc: BTreeMap<&str, u32> = BTreeMap::new();
        let mut job_loc: Vec<u32> = Vec::with_capacity(input.jobs.len());
        for j in &input.jobs {
            let z = zone_ix.get(j.zone.as_str()).copied().unwrap_or(unknown);
            match geo.jobs.get(&j.id).and_then(project) {
                Some(pt) => {
                    let l = idx(points.len());
                    points.push(Some(pt));
                    loc_zone.push(z);
                    named_loc.entry(j.id.as_str()).or_insert(l);
                    job_loc.push(l);
                }
                None => job_loc.push(z),
            }
        }
        let mut worker_loc: Vec<u32> = Vec::with_capacity(workers.len());
        for w in &workers {
            let z = w
                .home_zone
                .as_ref()
                .and_then(|z| zone_ix.get(z.as_str()).copied());
            match geo.workers.get(&w.badge).and_then(project) {
                Some(pt) => {
                    let l = idx(points.len());
                    points.push(Some(pt));
                    loc_zone.push(z.unwrap_or(unknown));
                    named_loc.entry(w.badge.as_str()).or_insert(l);
                    worker_loc.push(l);
                }
                None => worker_loc.push(z.unwrap_or(NO_LOC)),
            }
        }
        let mut overrides = BTreeMap::new();
        for leg in &geo.legs {
            if let (Some(&a), Some(&b)) = (
                named_loc.get(leg.from.as_str()),
                named_loc.get(leg.to.as_str()),
            ) {
                let e = overrides.entry((a.min(b), a.max(b))).or_insert(0);
                *e = (*e).max(i64::from(leg.minutes) * 60);
            }
        }
        let detour = f64::from(rules.travel_detour_percent.max(1)) / 100.0;
        let per_unit: Vec<f64> = MODES
            .iter()
            .map(|&m| detour * 60.0 / f64::from(rules.travel_speeds.of(m).max(1)))
            .collect();
        let travel = Travel {
            points,
            zones: loc_zone,
            zone_count: zc,
            zone_ticks,
            per_unit,
            round_to: 60,
            overrides,
            table: Vec::new(),
        };

        // Vehicles: one per worker and day of shift start; shifts clipped to be disjoint.
        // Per worker: its skills' numbers, in order.
        let worker_skills: Vec<Vec<u32>> = workers
            .iter()
            .map(|w| {
                let mut s: Vec<u32> = w
                    .skills
                    .iter()
                    .filter_map(|s| skill_ix.get(s.as_str()).copied())
                    .collect();
                s.sort_unstable();
                s.dedup();
                s
            })
            .collect();
        let cap = i64::from(rules.daily_cap_minutes) * 60;
        let mut vehicles: Vec<Vehicle> = Vec::new();
        let mut veh: Vec<(u32, i64)> = Vec::new();
        let mut by_worker_day: BTreeMap<(u32, i64), u32> = BTreeMap::new();
        for (wi, w) in workers.iter().enumerate() {
            let shifts = engine::sorted_shifts(w);
            let mut clipped: Vec<(i64, i64)> = Vec::new();
            for (a, b) in shifts {
                let a = clipped.last().map_or(a, |&(_, pe)| a.max(pe));
                if b > a {
                    clipped.push((a, b));
                }
            }
            let mode = geo
                .modes
                .get(&w.badge)
                .copied()
                .unwrap_or(rules.default_travel_mode);
            let mode = MODES.iter().position(|&m| m == mode).unwrap_or(1) as u8;
            let loc = worker_loc.get(wi).copied().unwrap_or(NO_LOC);
            for (a, b) in clipped {
                let day = day_of(a);
                match by_worker_day.get(&(idx(wi), day)) {
                    Some(&v) => {
                        if let Some(x) = vehicles.get_mut(v as usize) {
                            x.shifts.push((a, b));
                        }
                    }
                    None => {
                        by_worker_day.insert((idx(wi), day), idx(vehicles.len()));
                        vehicles.push(Vehicle {
                            worker: idx(wi),
                            start_loc: loc,
                            end_loc: loc,
                            shifts: vec![(a, b)],
                            capacity: i64::MAX,
                            max_work: cap,
                            leader: w.leader,
                            mode,
                            skills: worker_skills.get(wi).cloned().unwrap_or_default(),
                        });
                        veh.push((idx(wi), day));
                    }
                }
            }
        }
        let by_badge: BTreeMap<&str, u32> = workers
            .iter()
            .enumerate()
            .map(|(i, w)| (w.badge.as_str(), idx(i)))
            .collect();

        // Locked tasks: the existing assignments.
        let mut first_job: BTreeMap<&str, usize> = BTreeMap::new();
        for (i, j) in input.jobs.iter().enumerate() {
            first_job.entry(j.id.as_str()).or_insert(i);
        }
        let mut tasks: Vec<Task> = Vec::new();
        let mut task_job: Vec<Option<usize>> = Vec::new();
        let mut locked = BTreeMap::new();
        let mut existing: Vec<&Assignment> = input.existing.iter().collect();
        existing.sort_by(|a, b| {
            (a.start, a.end, &a.job, &a.workers).cmp(&(b.start, b.end, &b.job, &b.workers))
        });
        for a in existing {
            let (s, e) = (secs(&a.start), secs(&a.end));
            if e <= s {
                continue;
            }
            let loc = first_job
                .get(a.job.as_str())
                .and_then(|&i| job_loc.get(i).copied())
                .unwrap_or(unknown);
            let mut vs: Vec<u32> = Vec::new();
            for b in &a.workers {
                if let Some(&wi) = by_badge.get(b.as_str()) {
                    if let Some(&v) = by_worker_day.get(&(wi, day_of(s))) {
                        if !vs.contains(&v) {
                            vs.push(v);
                        }
                    }
                }
            }
            if vs.is_empty() {
                continue;
            }
            tasks.push(Task {
                loc,
                earliest: s,
                latest: s,
                service: e - s,
                demand: 0,
                crew: u8::try_from(vs.len()).unwrap_or(u8::MAX),
                can: vs.clone(),
                fixed: Some((s, vs)),
                priority: 0,
                prev: Vec::new(),
                need: Vec::new(),
            });
            locked.insert(idx(task_job.len()), a.job.clone());
            task_job.push(None);
        }

        // Plannable jobs, in the order of `plan`.
        let order = super::plan_order(input);
        let mut stores: Vec<StoreId> = workers.iter().map(|w| w.store.clone()).collect();
        stores.extend(input.jobs.iter().map(|j| j.store.clone()));
        stores.sort();
        stores.dedup();
        let mut seen: BTreeSet<&str> = BTreeSet::new();
        let mut invalid = Vec::new();
        let mut other_can = BTreeMap::new();
        // Per worker: the index of its store in `stores`; per job, whether each worker has
        // its skills (asked once per worker, not once per worker and day).
        let worker_store: Vec<usize> = workers
            .iter()
            .map(|w| stores.binary_search(&w.store).unwrap_or(0))
            .collect();
        let mut fits: Vec<bool> = Vec::with_capacity(workers.len());
        // Vehicles by the start of their day's first shift, and the longest day (first start
        // to last end; shifts are disjoint and in order): a window meets the shifts only of
        // vehicles whose day starts less than that before the window's end.
        let mut by_start: Vec<(i64, u32)> = vehicles
            .iter()
            .enumerate()
            .filter_map(|(vi, v)| Some((v.shifts.first()?.0, idx(vi))))
            .collect();
        by_start.sort_unstable();
        let longest = vehicles
            .iter()
            .filter_map(|v| Some(v.shifts.last()?.1 - v.shifts.first()?.0))
            .max()
            .unwrap_or(0);
        let mut near: Vec<u32> = Vec::new();
        for &(_, _, id, i) in &order {
            let Some(j) = input.jobs.get(i) else { continue };
            let mut problems = validate(j);
            if !seen.insert(id) {
                problems.push(Reason::DuplicateJob);
            }
            if !problems.is_empty() {
                invalid.push((i, problems));
                continue;
            }
            let t = idx(tasks.len());
            let joint = super::crew::is_joint(j, rules);
            let (ws, we) = (secs(&j.window.start), secs(&j.window.end));
            let store = stores.binary_search(&j.store).unwrap_or(0);
            let needs: Vec<u32> = j
                .skills
                .iter()
                .filter_map(|s| skill_ix.get(s.as_str()).copied())
                .collect();
            fits.clear();
            fits.extend(
                worker_skills
                    .iter()
                    .map(|has| joint || needs.iter().all(|s| has.binary_search(s).is_ok())),
            );
            let from = by_start.partition_point(|&(a, _)| a <= ws.saturating_sub(longest));
            let to = by_start.partition_point(|&(a, _)| a < we);
            near.clear();
            near.extend(
                by_start
                    .get(from..to)
                    .unwrap_or(&[])
                    .iter()
                    .map(|&(_, v)| v),
            );
            near.sort_unstable();
            let mut can = Vec::new();
            for &vi in &near {
                let Some(v) = vehicles.get(vi as usize) else {
                    continue;
                };
                let wi = v.worker as usize;
                if !fits.get(wi).copied().unwrap_or(false)
                    || !v.shifts.iter().any(|&(a, b)| a < we && ws < b)
                {
                    continue;
                }
                let si = worker_store.get(wi).copied().unwrap_or(0);
                if si == store {
                    can.push(vi);
                } else if j.urgent {
                    other_can.entry((t, si)).or_insert_with(Vec::new).push(vi);
                }
            }
            let dur = i64::from(j.duration_minutes) * 60;
            tasks.push(Task {
                loc: job_loc.get(i).copied().unwrap_or(unknown),
                earliest: ws,
                latest: we - dur,
                service: dur,
                demand: 0,
                crew: j.crew_size,
                can,
                fixed: None,
                priority: u8::from(j.urgent),
                prev: Vec::new(),
                need: if joint {
                    super::crew::distinct_skills(j)
                        .iter()
                        .filter_map(|s| skill_ix.get(s.as_str()).copied())
                        .collect()
                } else {
                    Vec::new()
                },
            });
            task_job.push(Some(i));
        }

        // The previous plan: each job's crew on that day, which re-planning keeps where it can.
        let job_task: BTreeMap<&str, usize> = task_job
            .iter()
            .enumerate()
            .filter_map(|(t, j)| Some((input.jobs.get((*j)?)?.id.as_str(), t)))
            .collect();
        // In a fixed order whatever the input's (a job listed twice: its earliest entry wins).
        let mut previous: Vec<&Assignment> = input.previous.iter().collect();
        previous.sort_by(|a, b| {
            (&a.job, a.start, a.end, &a.workers).cmp(&(&b.job, b.start, b.end, &b.workers))
        });
        previous.dedup_by(|b, a| a.job == b.job);
        for a in previous {
            let Some(task) = job_task.get(a.job.as_str()).and_then(|&t| tasks.get_mut(t)) else {
                continue;
            };
            let day = day_of(secs(&a.start));
            let mut vs: Vec<u32> = a
                .workers
                .iter()
                .filter_map(|b| by_badge.get(b.as_str()))
                .filter_map(|&wi| by_worker_day.get(&(wi, day)).copied())
                .collect();
            vs.sort_unstable();
            vs.dedup();
            task.prev = vs;
        }
        let problem = Problem {
            tasks,
            vehicles,
            travel,
        };
        Planner {
            search: Search::new(problem, params),
            task_job,
            locked,
            veh,
            workers: workers
                .iter()
                .map(|w| (w.badge.clone(), w.store.clone(), w.leader))
                .collect(),
            invalid,
            order: order.iter().map(|o| o.3).collect(),
            stores,
            other_can,
        }
    }

    pub fn step(&mut self, iterations: u64) -> Progress {
        self.search.step(iterations)
    }

    pub fn progress(&self) -> Progress {
        self.search.progress()
    }

    /// See [`Search::set_horizon`].
    pub fn set_horizon(&mut self, iterations: u64) {
        self.search.set_horizon(iterations);
    }

    pub fn done(&self) -> bool {
        self.search.done()
    }

    /// Improves until the caller's clock `now` reaches `deadline` (see [`super::budget`]).
    pub fn spend(&mut self, deadline: f64, now: &mut dyn FnMut() -> f64) -> Progress {
        super::budget::spend(&mut self.search, deadline, now)
    }

    /// One slice of a budget spent in slices: improves until `now` reaches `until` or the
    /// budget's deadline (see [`super::budget::Budget::run`]).
    pub fn run(
        &mut self,
        budget: &mut super::budget::Budget,
        until: f64,
        now: &mut dyn FnMut() -> f64,
    ) -> Progress {
        budget.run(&mut self.search, until, now)
    }

    /// The best plan so far, with escalation of unserved urgent jobs and reasons for every
    /// job left unassigned. `input` and `rules` must be the ones given to [`Planner::new`].
    pub fn result(&self, input: &DispatchInput, rules: &Rules) -> RoutedPlan {
        let mut problem = self.search.problem().clone();
        let mut sol = self.search.best().clone();
        let construction = self.search.progress().construction.travel;
        let mut rng = super::vrp::Rng::new(1);

        // Escalation: an unserved urgent job goes to the one other store that takes it cheapest.
        let mut escalated: BTreeMap<u32, StoreId> = BTreeMap::new();
        let job_task: BTreeMap<usize, u32> = self
            .task_job
            .iter()
            .enumerate()
            .filter_map(|(t, j)| Some(((*j)?, idx(t))))
            .collect();
        for &ji in &self.order {
            let Some(&t) = job_task.get(&ji) else {
                continue;
            };
            let Some(task) = problem.task(t) else {
                continue;
            };
            if task.priority == 0 || sol.on.get(t as usize).is_some_and(|o| !o.is_empty()) {
                continue;
            }
            let own = task.can.clone();
            let mut best: Option<(i64, usize, Solution)> = None;
            for si in 0..self.stores.len() {
                let Some(can) = self.other_can.get(&(t, si)) else {
                    continue;
                };
                if let Some(k) = problem.tasks.get_mut(t as usize) {
                    k.can.clone_from(can);
                }
                let mut trial = sol.clone();
                if problem.place(&mut trial, t, &mut rng, 0) {
                    let c = problem.cost(&trial).travel;
                    if best.as_ref().is_none_or(|(bc, _, _)| c < *bc) {
                        best = Some((c, si, trial));
                    }
                }
            }
            if let Some(k) = problem.tasks.get_mut(t as usize) {
                k.can = own;
            }
            if let Some((_, si, trial)) = best {
                sol = trial;
                if let Some(s) = self.stores.get(si) {
                    escalated.insert(t, s.clone());
                }
            }
        }

        // Assignments.
        let mut assigned: BTreeMap<usize, ProposedAssignment> = BTreeMap::new();
        for (t, on) in sol.on.iter().enumerate() {
            let Some(Some(ji)) = self.task_job.get(t) else {
                continue;
            };
            let (Some(job), false) = (input.jobs.get(*ji), on.is_empty()) else {
                continue;
            };
            let start = match sol.pinned.get(t).copied().flatten() {
                Some(s) => Some(s),
                None => on.first().and_then(|&v| {
                    let r = sol.routes.get(v as usize)?;
                    let pos = r.nodes.iter().position(|&x| x as usize == t)?;
                    r.start.get(pos).copied()
                }),
            };
            let Some(start) = start else { continue };
            let mut members: Vec<u32> = on
                .iter()
                .filter_map(|&v| self.veh.get(v as usize).map(|x| x.0))
                .collect();
            members.sort_unstable();
            let badges: Vec<WorkerId> = members
                .iter()
                .filter_map(|&w| self.workers.get(w as usize).map(|x| x.0.clone()))
                .collect();
            let leader = if members.len() == 1 {
                badges.first().cloned()
            } else {
                members
                    .iter()
                    .filter_map(|&w| self.workers.get(w as usize))
                    .find(|x| x.2)
                    .map(|x| x.0.clone())
            };
            let (Some(leader), Some(s), Some(e)) = (
                leader,
                time_at(start),
                time_at(start + i64::from(job.duration_minutes) * 60),
            ) else {
                continue;
            };
            assigned.insert(
                *ji,
                ProposedAssignment {
                    assignment: Assignment {
                        job: job.id.clone(),
                        workers: badges,
                        leader,
                        start: s,
                        end: e,
                    },
                    escalated: escalated.get(&idx(t)).cloned(),
                    // Filled in below, once the whole plan is known.
                    home_store: None,
                },
            );
        }

        // Reasons for the rest: the one-by-one planner's engine, with the new plan committed.
        let mut engine = Engine::new(input, rules, None);
        for pa in assigned.values() {
            engine.commit_assignment(&pa.assignment);
        }
        let mut sc = Scratch::default();
        let mut out = RoutedPlan::default();
        let invalid: BTreeMap<usize, &Vec<Reason>> =
            self.invalid.iter().map(|(i, r)| (*i, r)).collect();
        for &ji in &self.order {
            let Some(job) = input.jobs.get(ji) else {
                continue;
            };
            if let Some(mut pa) = assigned.remove(&ji) {
                // An escalation keeps the home store's reasons beside it, judged against the
                // rest of the plan (a home worker free for it alone still had no route room).
                if pa.escalated.is_some() {
                    if let Some((mut reasons, rejected)) = home_verdict(&engine, &mut sc, ji, job) {
                        if reasons.is_empty() {
                            reasons.push(Reason::NoEligibleWorker {
                                store: job.store.clone(),
                            });
                        }
                        pa.home_store = Some(HomeStoreReasons {
                            store: job.store.clone(),
                            reasons,
                            rejected,
                        });
                    }
                }
                out.plan.assignments.push(pa);
                continue;
            }
            if let Some(r) = invalid.get(&ji) {
                out.plan.unassigned.push(Unassigned {
                    job: job.id.clone(),
                    reasons: (*r).clone(),
                    rejected: Vec::new(),
                });
                continue;
            }
            let (mut reasons, rejected) =
                home_verdict(&engine, &mut sc, ji, job).unwrap_or_default();
            if job.urgent {
                reasons.push(Reason::EscalationFailed);
            }
            if reasons.is_empty() {
                reasons.push(Reason::NoEligibleWorker {
                    store: job.store.clone(),
                });
            }
            out.plan.unassigned.push(Unassigned {
                job: job.id.clone(),
                reasons,
                rejected,
            });
        }

        // Routes and travel.
        let minutes =
            |ticks: i64| u32::try_from((ticks + 59).div_euclid(60).max(0)).unwrap_or(u32::MAX);
        let mut total = 0i64;
        for (v, r) in sol.routes.iter().enumerate() {
            if r.nodes.is_empty() {
                continue;
            }
            let Some(&(wi, day)) = self.veh.get(v) else {
                continue;
            };
            let Some(w) = self.workers.get(wi as usize) else {
                continue;
            };
            total += r.travel;
            let stops = r
                .nodes
                .iter()
                .filter_map(|&t| match self.task_job.get(t as usize) {
                    Some(Some(ji)) => input.jobs.get(*ji).map(|j| j.id.clone()),
                    _ => self.locked.get(&t).cloned(),
                })
                .collect();
            out.routes.push(WorkerDay {
                worker: w.0.clone(),
                day: time_at(day * engine::DAY)
                    .map(|d| d.date())
                    .unwrap_or_default(),
                stops,
                travel_minutes: minutes(r.travel),
                work_minutes: minutes(r.work),
            });
        }
        out.routes
            .sort_by(|a, b| (&a.worker, a.day).cmp(&(&b.worker, b.day)));
        out.travel_minutes = u64::from(minutes(total));
        out.construction_travel_minutes = u64::from(minutes(construction));
        out.iterations = self.search.progress().iterations;
        out.why = self.why(&problem, &sol, input);
        for (t, on) in sol.on.iter().enumerate() {
            let (Some(task), Some(Some(ji))) = (problem.tasks.get(t), self.task_job.get(t)) else {
                continue;
            };
            if !task.prev.is_empty() && !on.is_empty() && Problem::moved(task, on) {
                if let Some(j) = input.jobs.get(*ji) {
                    out.moved.push(j.id.clone());
                }
            }
        }
        out.moved.sort();
        out
    }

    /// For each assigned job: what it adds where it is and its best alternative worker.
    fn why(&self, problem: &Problem, sol: &Solution, input: &DispatchInput) -> Vec<WhyWorker> {
        let mut out = Vec::new();
        let mut rng = super::vrp::Rng::new(2);
        for (t, on) in sol.on.iter().enumerate() {
            let Some(Some(ji)) = self.task_job.get(t) else {
                continue;
            };
            let Some(job) = input.jobs.get(*ji) else {
                continue;
            };
            if on.is_empty() {
                continue;
            }
            // A crew's stand-ins must come at its common start; one worker may move in time.
            let win = match sol.pinned.get(t).copied().flatten() {
                Some(s) if on.len() > 1 => (s, s),
                _ => problem
                    .task(idx(t))
                    .map_or((0, 0), |k| (k.earliest, k.latest)),
            };
            let mut trial = sol.clone();
            let before = problem.cost(&trial).travel;
            let t = idx(t);
            let vs = problem.remove(&mut trial, t, true);
            let added = before - problem.cost(&trial).travel;
            let crew: Vec<u32> = vs
                .iter()
                .filter_map(|&v| self.veh.get(v as usize).map(|x| x.0))
                .collect();
            let mut others: BTreeMap<u32, i64> = BTreeMap::new();
            for &v in problem.task(t).map_or(&[][..], |k| &k.can[..]) {
                if self.veh.get(v as usize).is_none_or(|x| crew.contains(&x.0)) {
                    continue;
                }
                let len = trial.routes.get(v as usize).map_or(0, |r| r.nodes.len());
                let best = (0..=len)
                    .filter_map(|p| problem.try_at(&trial, v, p, t, win))
                    .map(|x| x.1)
                    .min();
                if let (Some(d), Some(&(w, _))) = (best, self.veh.get(v as usize)) {
                    let e = others.entry(w).or_insert(d);
                    *e = (*e).min(d);
                }
            }
            let _ = &mut rng;
            let runner = others
                .iter()
                .min_by_key(|(w, d)| (**d, **w))
                .and_then(|(w, d)| Some((self.workers.get(*w as usize)?.0.clone(), to_min(*d))));
            out.push(WhyWorker {
                job: job.id.clone(),
                added_travel_minutes: to_min(added),
                alternatives: idx(others.len()),
                runner_up: runner,
            });
        }
        out.sort_by(|a, b| a.job.cmp(&b.job));
        out
    }
}

fn to_min(ticks: i64) -> u32 {
    u32::try_from((ticks + 59).div_euclid(60).max(0)).unwrap_or(u32::MAX)
}

/// Why no worker of the job's own store takes job `ji`, judged against the plan committed in
/// `engine`: the reasons (`NoRouteRoom` when one could, alone, but it fits no route) and each
/// passed-over worker's reason. `None` for a job the engine cannot describe.
fn home_verdict(
    engine: &Engine<'_>,
    sc: &mut Scratch,
    ji: usize,
    job: &Job,
) -> Option<(Vec<Reason>, Vec<Rejection>)> {
    let info = engine.job_info(ji)?;
    let reasons = match engine.select(&info, engine.store_workers(info.store), sc) {
        Ok(_) => vec![Reason::NoRouteRoom],
        Err(r) => r,
    };
    let rejected = sc
        .rejected
        .iter()
        .filter_map(|&(wi, raw)| {
            Some(Rejection {
                worker: engine.worker(wi)?.badge.clone(),
                reason: engine.reason(wi, Some(job), raw),
            })
        })
        .collect();
    Some((reasons, rejected))
}
