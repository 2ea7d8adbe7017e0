//! The routing model under the travel-aware planner: tasks, vehicles (one per worker and
//! day, or one per truck in a benchmark), travel, and routes kept with their earliest and
//! latest start times so that an insertion is checked in constant time.
//!
//! Everything is in integer *ticks* (the planner uses seconds; a benchmark may use its own
//! unit). Nothing here knows jobs, workers or zones: [`super::routed`] translates.
//!
//! A task is served by `crew` vehicles of distinct workers at one common start. A task
//! with `fixed` set is locked: it stays on its vehicles at its start and is never removed.

use std::collections::BTreeMap;

/// A location index meaning "no place": travel to or from it is zero (a worker without a
/// start place).
pub const NO_LOC: u32 = u32::MAX;

/// One thing to do at one place.
#[derive(Clone, Debug, PartialEq)]
pub struct Task {
    pub loc: u32,
    /// Earliest and latest start.
    pub earliest: i64,
    pub latest: i64,
    pub service: i64,
    /// Load taken from the vehicle's capacity (0 for household jobs).
    pub demand: i64,
    /// Number of vehicles (of distinct workers) that serve it together, at least 1.
    pub crew: u8,
    /// The vehicles that may serve it.
    pub can: Vec<u32>,
    /// Locked: served by these vehicles at this start, never moved.
    pub fixed: Option<(i64, Vec<u32>)>,
    /// Larger is more important to serve (urgent jobs).
    pub priority: u8,
    /// The vehicles of a previous plan (sorted; empty: none): the task counts as moved when
    /// it is served by any others, and each insertion prefers them.
    pub prev: Vec<u32>,
    /// Skills the crew shares out, each vehicle taking one it holds ([`Vehicle::skills`]);
    /// empty: every vehicle of `can` qualifies alone.
    pub need: Vec<u32>,
}

/// One worker's day (or one truck).
#[derive(Clone, Debug, PartialEq)]
pub struct Vehicle {
    /// Vehicles of one worker never overlap in time; a crew is made of distinct workers.
    pub worker: u32,
    pub start_loc: u32,
    pub end_loc: u32,
    /// Sorted, disjoint: a visit lies wholly inside one of them. The first visit starts no
    /// earlier than the start of its shift plus the travel from `start_loc`, and the vehicle is
    /// back at `end_loc` by the end of the last shift.
    pub shifts: Vec<(i64, i64)>,
    pub capacity: i64,
    /// Work plus travel (way home included) at most this.
    pub max_work: i64,
    pub leader: bool,
    /// Which speed of [`Travel`] this vehicle moves at.
    pub mode: u8,
    /// The worker's skills (sorted), for tasks whose crew shares them out ([`Task::need`]).
    pub skills: Vec<u32>,
}

/// Travel times between locations: straight-line distance of planar points × a factor per
/// mode, or a zone-to-zone table where either end has no point, or an explicit override.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Travel {
    /// Per location: planar coordinates (any unit) if known.
    pub points: Vec<Option<(f64, f64)>>,
    /// Per location: its zone, for the table.
    pub zones: Vec<u32>,
    pub zone_count: usize,
    /// Dense `zone_count²` table in ticks.
    pub zone_ticks: Vec<i64>,
    /// Ticks per unit of distance, per mode.
    pub per_unit: Vec<f64>,
    /// Times are rounded up to a multiple of this (1: round to the nearest tick).
    pub round_to: i64,
    /// Explicit times between two locations (either direction), in ticks, per mode-less pair.
    pub overrides: BTreeMap<(u32, u32), i64>,
    /// Per mode: the times above laid out as a dense `n × n` table (`n` = `points.len()`), or
    /// empty. Filled by [`Travel::prepare`]; leave it empty when building a `Travel`.
    pub table: Vec<Vec<i32>>,
}

/// The most entries [`Travel::prepare`] lays out over all modes (16 MB of `i32`).
const TABLE_MAX: usize = 4 << 20;

impl Travel {
    /// Straight-line travel on a plane: times are distances × `per_unit` (one mode), one zone,
    /// no explicit times (the benchmarks' and the tests' problems).
    pub fn on_plane(points: Vec<Option<(f64, f64)>>, per_unit: f64) -> Travel {
        let n = points.len();
        Travel {
            points,
            zones: vec![0; n],
            zone_count: 1,
            zone_ticks: vec![0],
            per_unit: vec![per_unit],
            round_to: 1,
            overrides: BTreeMap::new(),
            table: Vec::new(),
        }
    }

    /// Lays the times of the given modes out as tables (the search asks for the same pairs
    /// again and again: a lookup instead of a square root), as far as [`TABLE_MAX`] allows,
    /// modes in the order given. A time too large for the table leaves that mode computed.
    pub fn prepare(&mut self, modes: &[u8]) {
        self.table.clear();
        let n = self.points.len();
        let mut budget = TABLE_MAX;
        for &m in modes {
            let m = usize::from(m);
            if self.table.get(m).is_some_and(|t| !t.is_empty()) || n * n > budget {
                continue;
            }
            let mut t = Vec::with_capacity(n * n);
            for a in 0..n {
                for b in 0..n {
                    t.push(i32::try_from(self.compute(m as u8, idx(a), idx(b))).ok());
                }
            }
            let Some(t) = t.into_iter().collect::<Option<Vec<i32>>>() else {
                continue;
            };
            budget -= n * n;
            if self.table.len() <= m {
                self.table.resize(m + 1, Vec::new());
            }
            if let Some(slot) = self.table.get_mut(m) {
                *slot = t;
            }
        }
    }

    /// Travel ticks from `a` to `b` at `mode`.
    #[inline(always)]
    pub fn time(&self, mode: u8, a: u32, b: u32) -> i64 {
        if a == NO_LOC || b == NO_LOC {
            return 0;
        }
        if let Some(t) = self.table.get(usize::from(mode)) {
            let n = self.points.len();
            let (a, b) = (a as usize, b as usize);
            if a < n && b < n {
                if let Some(&x) = t.get(a * n + b) {
                    return i64::from(x);
                }
            }
        }
        self.compute(mode, a, b)
    }

    /// The table of `mode` and its side, if [`Travel::prepare`] laid one out.
    #[inline(always)]
    pub fn dense(&self, mode: u8) -> Option<(&[i32], usize)> {
        self.table
            .get(usize::from(mode))
            .filter(|t| !t.is_empty())
            .map(|t| (t.as_slice(), self.points.len()))
    }

    /// [`Travel::time`] through a table found by [`Travel::dense`] (the hot loops look it up
    /// once per vehicle).
    #[inline(always)]
    pub fn time_in(&self, dense: Option<(&[i32], usize)>, mode: u8, a: u32, b: u32) -> i64 {
        if let Some((t, n)) = dense {
            let (a, b) = (a as usize, b as usize);
            if a < n && b < n {
                if let Some(&x) = t.get(a * n + b) {
                    return i64::from(x);
                }
            }
        }
        self.time(mode, a, b)
    }

    /// Travel ticks from `a` to `b` at `mode`, without the table.
    fn compute(&self, mode: u8, a: u32, b: u32) -> i64 {
        if a == NO_LOC || b == NO_LOC {
            return 0;
        }
        if !self.overrides.is_empty() {
            if let Some(&t) = self.overrides.get(&(a.min(b), a.max(b))) {
                return t;
            }
        }
        let (ai, bi) = (a as usize, b as usize);
        if let (Some(Some((ax, ay))), Some(Some((bx, by)))) =
            (self.points.get(ai), self.points.get(bi))
        {
            let d = ((ax - bx) * (ax - bx) + (ay - by) * (ay - by)).sqrt();
            let f = self.per_unit.get(usize::from(mode)).copied().unwrap_or(1.0);
            let raw = d * f;
            return if self.round_to <= 1 {
                raw.round() as i64
            } else {
                let r = self.round_to as f64;
                ((raw / r).ceil() * r) as i64
            };
        }
        let za = self.zones.get(ai).copied().unwrap_or(u32::MAX) as usize;
        let zb = self.zones.get(bi).copied().unwrap_or(u32::MAX) as usize;
        if za < self.zone_count && zb < self.zone_count {
            self.zone_ticks
                .get(za * self.zone_count + zb)
                .copied()
                .unwrap_or(0)
        } else {
            0
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Problem {
    pub tasks: Vec<Task>,
    pub vehicles: Vec<Vehicle>,
    pub travel: Travel,
}

/// One vehicle's visits in order, with the earliest start of each (`start`) and the latest
/// start that keeps the rest of the route feasible (`latest`).
#[derive(Debug, Default, PartialEq)]
pub struct Route {
    pub nodes: Vec<u32>,
    pub start: Vec<i64>,
    pub latest: Vec<i64>,
    /// Per visit: its place and when it ends (start + service), for the insertion scan.
    pub locs: Vec<u32>,
    pub ends: Vec<i64>,
    pub load: i64,
    pub travel: i64,
    pub work: i64,
}

/// A solution: routes, the common start chosen for each crew task, and what is unserved.
#[derive(Debug, Default, PartialEq)]
pub struct Solution {
    pub routes: Vec<Route>,
    /// Per task: the vehicles serving it (empty: unassigned).
    pub on: Vec<Vec<u32>>,
    /// Per task: the start pinned for a crew or locked task.
    pub pinned: Vec<Option<i64>>,
}

// `clone_from` reuses the target's buffers: the search copies a solution every iteration.
impl Clone for Route {
    fn clone(&self) -> Self {
        Route {
            nodes: self.nodes.clone(),
            start: self.start.clone(),
            latest: self.latest.clone(),
            locs: self.locs.clone(),
            ends: self.ends.clone(),
            load: self.load,
            travel: self.travel,
            work: self.work,
        }
    }

    fn clone_from(&mut self, o: &Self) {
        self.nodes.clone_from(&o.nodes);
        self.start.clone_from(&o.start);
        self.latest.clone_from(&o.latest);
        self.locs.clone_from(&o.locs);
        self.ends.clone_from(&o.ends);
        self.load = o.load;
        self.travel = o.travel;
        self.work = o.work;
    }
}

impl Clone for Solution {
    fn clone(&self) -> Self {
        Solution {
            routes: self.routes.clone(),
            on: self.on.clone(),
            pinned: self.pinned.clone(),
        }
    }

    fn clone_from(&mut self, o: &Self) {
        self.routes.clone_from(&o.routes);
        self.on.clone_from(&o.on);
        self.pinned.clone_from(&o.pinned);
    }
}

/// The comparison key of a solution: fewer unserved (by priority), then fewer moved from a
/// previous plan, then less travel.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Cost {
    /// Unserved tasks weighted by priority and crew (lower is better).
    pub unserved: i64,
    /// Tasks of a previous plan ([`Task::prev`]) now on other vehicles or unserved.
    pub moved: i64,
    pub travel: i64,
}

/// Where a vehicle stands between two visits: the place it is at and when it leaves it
/// (`None`: at its start place, before its first visit).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct At {
    pub loc: u32,
    pub depart: Option<i64>,
}

/// A feasible place for a single-vehicle insertion.
#[derive(Clone, Copy, Debug)]
pub struct Slot {
    pub vehicle: u32,
    pub pos: usize,
    pub delta: i64,
    pub start: i64,
}

impl Problem {
    pub(super) fn veh(&self, v: u32) -> Option<&Vehicle> {
        self.vehicles.get(v as usize)
    }

    pub fn task(&self, t: u32) -> Option<&Task> {
        self.tasks.get(t as usize)
    }

    fn close(v: &Vehicle) -> i64 {
        v.shifts.last().map_or(i64::MIN, |s| s.1)
    }

    /// The task's window as placed: its pinned start, or its own window.
    fn window(&self, sol: &Solution, t: u32) -> (i64, i64) {
        match sol.pinned.get(t as usize).copied().flatten() {
            Some(s) => (s, s),
            None => self.task(t).map_or((0, -1), |k| (k.earliest, k.latest)),
        }
    }

    pub(super) fn is_fixed(&self, t: u32) -> bool {
        self.task(t).is_some_and(|k| k.fixed.is_some())
    }

    /// The earliest valid start at or after `arrival` (`None`: as the first visit, from
    /// the start place at the shift's start, `home` ticks away).
    fn fit(
        &self,
        v: &Vehicle,
        t: u32,
        win: (i64, i64),
        arrival: Option<i64>,
        home: i64,
    ) -> Option<i64> {
        let service = self.task(t).map_or(0, |k| k.service);
        if self.is_fixed(t) {
            return Some(win.0);
        }
        for &(s0, s1) in &v.shifts {
            if s0 > win.1 {
                break;
            }
            let lo = match arrival {
                Some(a) => a.max(win.0).max(s0),
                None => (s0 + home).max(win.0),
            };
            if lo <= win.1 && lo + service <= s1 {
                return Some(lo);
            }
        }
        None
    }

    /// The latest valid start at or before `x`.
    fn fit_back(&self, v: &Vehicle, t: u32, win: (i64, i64), x: i64) -> Option<i64> {
        let service = self.task(t).map_or(0, |k| k.service);
        if self.is_fixed(t) {
            return Some(win.0);
        }
        for &(s0, s1) in v.shifts.iter().rev() {
            let hi = x.min(win.1).min(s1 - service);
            if hi >= s0.max(win.0) {
                return Some(hi);
            }
            if s1 < win.0 {
                break;
            }
        }
        None
    }

    /// Where vehicle `v` stands just before position `pos` of its route: after the visit at
    /// `pos - 1` (its place and earliest end), or at its start place (`pos == 0`).
    pub(super) fn at_before(&self, sol: &Solution, v: u32, pos: usize) -> Option<At> {
        let veh = self.veh(v)?;
        match pos.checked_sub(1) {
            None => Some(At {
                loc: veh.start_loc,
                depart: None,
            }),
            Some(p) => {
                let r = sol.routes.get(v as usize)?;
                Some(At {
                    loc: *r.locs.get(p)?,
                    depart: Some(*r.ends.get(p)?),
                })
            }
        }
    }

    /// Visits `seq` in order on vehicle `v` from `at`, each at its earliest start: where the
    /// vehicle stands after the last, or `None` if a visit misses its window or shift (or is
    /// locked: a locked visit keeps its own start and is never walked over).
    pub(super) fn walk(
        &self,
        sol: &Solution,
        v: u32,
        mut at: At,
        seq: impl IntoIterator<Item = u32>,
    ) -> Option<At> {
        let veh = self.veh(v)?;
        let dense = self.travel.dense(veh.mode);
        for t in seq {
            let task = self.task(t)?;
            if task.fixed.is_some() {
                return None;
            }
            let leg = self.travel.time_in(dense, veh.mode, at.loc, task.loc);
            let s = self.fit(veh, t, self.window(sol, t), at.depart.map(|d| d + leg), leg)?;
            at = At {
                loc: task.loc,
                depart: Some(s + task.service),
            };
        }
        Some(at)
    }

    /// Whether vehicle `v`, standing at `at`, can go on with the visits of its route in `sol`
    /// from position `pos` on as they are (arriving at the visit at `pos` by its latest start,
    /// or, past the last, back at its end place by the close).
    pub(super) fn joins(&self, sol: &Solution, v: u32, at: At, pos: usize) -> bool {
        let (Some(veh), Some(r)) = (self.veh(v), sol.routes.get(v as usize)) else {
            return false;
        };
        match r.nodes.get(pos) {
            None => at.depart.is_none_or(|d| {
                d + self.travel.time(veh.mode, at.loc, veh.end_loc) <= Self::close(veh)
            }),
            Some(&t) => {
                let Some(task) = self.task(t) else {
                    return false;
                };
                let leg = self.travel.time(veh.mode, at.loc, task.loc);
                if task.fixed.is_some() {
                    // A locked visit keeps its start: the arrival must not be later.
                    return at
                        .depart
                        .is_none_or(|d| r.latest.get(pos).is_some_and(|&l| d + leg <= l));
                }
                let start = self.fit(veh, t, self.window(sol, t), at.depart.map(|d| d + leg), leg);
                start.is_some_and(|s| r.latest.get(pos).is_some_and(|&l| s <= l))
            }
        }
    }

    /// Recomputes a route's times and totals. Returns false if it is infeasible.
    pub fn refresh(&self, sol: &mut Solution, v: u32) -> bool {
        self.check(sol, v).is_none()
    }

    /// Recomputes a route's times and totals; `None` if it is feasible, else the position of
    /// a movable visit to take out (the first late one, or the last one).
    fn check(&self, sol: &mut Solution, v: u32) -> Option<usize> {
        let mut bad: Option<usize> = None;
        let veh = self.veh(v)?;
        let mut r = sol.routes.get_mut(v as usize).map(std::mem::take)?;
        let mut ok = true;
        let n = r.nodes.len();
        r.start.clear();
        r.latest.clear();
        r.start.resize(n, 0);
        r.latest.resize(n, 0);
        r.locs.clear();
        r.ends.clear();
        let (mut load, mut travel, mut work) = (0, 0, 0);
        let mut prev = veh.start_loc;
        let mut depart: Option<i64> = None;
        for i in 0..n {
            let t = r.nodes.get(i).copied().unwrap_or(0);
            let Some(task) = self.task(t) else {
                ok = false;
                r.locs.push(NO_LOC);
                r.ends.push(i64::MAX / 4);
                continue;
            };
            let leg = self.travel.time(veh.mode, prev, task.loc);
            travel += leg;
            work += task.service;
            load += task.demand;
            let win = self.window(sol, t);
            let s = match self.fit(veh, t, win, depart.map(|d| d + leg), leg) {
                Some(s) => s,
                None => {
                    ok = false;
                    bad = bad.or(Some(i));
                    depart.map_or(win.0, |d| d + leg).max(win.0)
                }
            };
            if let Some(x) = r.start.get_mut(i) {
                *x = s;
            }
            depart = Some(s + task.service);
            r.locs.push(task.loc);
            r.ends.push(s + task.service);
            prev = task.loc;
        }
        let back = self.travel.time(veh.mode, prev, veh.end_loc);
        travel += back;
        let last_fixed = r.nodes.last().is_some_and(|&t| self.is_fixed(t));
        if n > 0 && !last_fixed && depart.is_some_and(|d| d + back > Self::close(veh)) {
            ok = false;
        }
        // Backward: latest starts.
        let mut limit = Self::close(veh) - back;
        let mut next_loc = veh.end_loc;
        for i in (0..n).rev() {
            let t = r.nodes.get(i).copied().unwrap_or(0);
            let Some(task) = self.task(t) else { continue };
            let leg = if i + 1 == n {
                0
            } else {
                self.travel.time(veh.mode, task.loc, next_loc)
            };
            let win = self.window(sol, t);
            let l = self
                .fit_back(veh, t, win, limit - leg - task.service)
                .unwrap_or(i64::MIN / 4);
            if let Some(x) = r.latest.get_mut(i) {
                *x = l;
            }
            if r.start.get(i).is_some_and(|&s| s > l) && !self.is_fixed(t) {
                ok = false;
                bad = Some(bad.map_or(i, |b| b.min(i)));
            }
            limit = l;
            next_loc = task.loc;
        }
        let any_free = r.nodes.iter().any(|&t| !self.is_fixed(t));
        if any_free && (load > veh.capacity || travel + work > veh.max_work) {
            ok = false;
        }
        r.load = load;
        r.travel = travel;
        r.work = work;
        let last_free = r.nodes.iter().rposition(|&t| !self.is_fixed(t));
        if let Some(slot) = sol.routes.get_mut(v as usize) {
            *slot = r;
        }
        if ok {
            None
        } else {
            bad.or(last_free).or(Some(0))
        }
    }

    /// Refreshes route `v` and, while it is infeasible (removals can make it so where travel
    /// times break the triangle inequality), takes visits out into `out`.
    pub fn repair(&self, sol: &mut Solution, v: u32, out: &mut Vec<u32>) {
        let mut work = vec![v];
        let mut guard = 0usize;
        while let Some(v) = work.pop() {
            guard += 1;
            if guard > 10_000 {
                break;
            }
            let Some(pos) = self.check(sol, v) else {
                continue;
            };
            let Some(&t) = sol.routes.get(v as usize).and_then(|r| r.nodes.get(pos)) else {
                continue;
            };
            if self.is_fixed(t) {
                continue;
            }
            let touched = self.remove(sol, t, false);
            out.push(t);
            work.extend(touched);
        }
    }

    /// An empty solution with every locked task in place.
    pub fn empty(&self) -> Solution {
        let mut sol = Solution {
            routes: vec![Route::default(); self.vehicles.len()],
            on: vec![Vec::new(); self.tasks.len()],
            pinned: vec![None; self.tasks.len()],
        };
        for (ti, task) in self.tasks.iter().enumerate() {
            if let Some((s, vs)) = &task.fixed {
                for &v in vs {
                    if let Some(r) = sol.routes.get_mut(v as usize) {
                        r.nodes.push(idx(ti));
                    }
                }
                if let Some(x) = sol.pinned.get_mut(ti) {
                    *x = Some(*s);
                }
                if let Some(x) = sol.on.get_mut(ti) {
                    x.clone_from(vs);
                }
            }
        }
        for v in 0..self.vehicles.len() {
            let pinned = &sol.pinned;
            if let Some(r) = sol.routes.get_mut(v) {
                r.nodes
                    .sort_by_key(|&t| (pinned.get(t as usize).copied().flatten(), t));
            }
            self.refresh(&mut sol, idx(v));
        }
        sol
    }

    /// What leaving `task` unserved adds to [`Cost::unserved`].
    pub fn unserved_weight(task: &Task) -> i64 {
        i64::from(task.crew) * (1 + 10 * i64::from(task.priority))
    }

    pub fn cost(&self, sol: &Solution) -> Cost {
        let travel = sol.routes.iter().map(|r| r.travel).sum();
        let unserved = self
            .tasks
            .iter()
            .zip(&sol.on)
            .filter(|(_, on)| on.is_empty())
            .map(|(t, _)| Self::unserved_weight(t))
            .sum();
        let moved = self
            .tasks
            .iter()
            .zip(&sol.on)
            .filter(|(t, on)| !t.prev.is_empty() && (on.is_empty() || Self::moved(t, on)))
            .count();
        Cost {
            unserved,
            moved: i64::try_from(moved).unwrap_or(i64::MAX),
            travel,
        }
    }

    /// Whether a task served by `on` is off the vehicles of its previous plan.
    pub fn moved(task: &Task, on: &[u32]) -> bool {
        on.len() != task.prev.len() || on.iter().any(|v| task.prev.binary_search(v).is_err())
    }

    /// Where task `t` (window `win`) can go into vehicle `v` at position `pos`: its start and
    /// the added travel, if feasible.
    pub fn try_at(
        &self,
        sol: &Solution,
        v: u32,
        pos: usize,
        t: u32,
        win: (i64, i64),
    ) -> Option<(i64, i64)> {
        let veh = self.veh(v)?;
        let r = sol.routes.get(v as usize)?;
        let task = self.task(t)?;
        if r.load + task.demand > veh.capacity {
            return None;
        }
        let prev_loc = match pos.checked_sub(1) {
            Some(p) => self.task(*r.nodes.get(p)?)?.loc,
            None => veh.start_loc,
        };
        let next = r.nodes.get(pos).copied();
        let next_loc = match next {
            Some(n) => self.task(n)?.loc,
            None => veh.end_loc,
        };
        let m = veh.mode;
        let a = self.travel.time(m, prev_loc, task.loc);
        let b = self.travel.time(m, task.loc, next_loc);
        let delta = a + b - self.travel.time(m, prev_loc, next_loc);
        self.try_legs(sol, v, pos, t, win, (a, b, delta))
    }

    /// [`Problem::try_at`] with the legs to and from the task and the added travel known.
    #[inline(always)]
    fn try_legs(
        &self,
        sol: &Solution,
        v: u32,
        pos: usize,
        t: u32,
        win: (i64, i64),
        (a, b, delta): (i64, i64, i64),
    ) -> Option<(i64, i64)> {
        let veh = self.veh(v)?;
        let r = sol.routes.get(v as usize)?;
        let task = self.task(t)?;
        if r.load + task.demand > veh.capacity {
            return None;
        }
        let next = r.nodes.get(pos).copied();
        if r.travel + r.work + delta + task.service > veh.max_work {
            return None;
        }
        let arrival = match pos.checked_sub(1) {
            Some(p) => Some(*r.ends.get(p)? + a),
            None => None,
        };
        let s = self.fit(veh, t, win, arrival, a)?;
        if s > win.1 {
            return None;
        }
        let after = s + task.service + b;
        match next {
            Some(_) => {
                if after > *r.latest.get(pos)? {
                    return None;
                }
            }
            None => {
                if after > Self::close(veh) {
                    return None;
                }
            }
        }
        Some((s, delta))
    }

    /// The cheapest feasible single-vehicle insertion of `t` (crew of one), skipping each
    /// position with probability `blink` per mille (0: none) drawn from `rng`.
    pub fn best_slot(&self, sol: &Solution, t: u32, rng: &mut Rng, blink: u32) -> Option<Slot> {
        let task = self.task(t)?;
        let win = (task.earliest, task.latest);
        let mut best: Option<Slot> = None;
        let mut best_off = false;
        // Places left to look at before the next blink.
        let mut skip = if blink > 0 {
            Self::blink_gap(rng, blink)
        } else {
            0
        };
        for &v in &task.can {
            let (Some(veh), Some(r)) = (self.veh(v), sol.routes.get(v as usize)) else {
                continue;
            };
            if r.load + task.demand > veh.capacity {
                continue;
            }
            let m = veh.mode;
            let dense = self.travel.dense(m);
            let n = r.nodes.len();
            // Off the previous plan's vehicle: taken only where that one has no room.
            let off = !task.prev.is_empty() && task.prev.binary_search(&v).is_err();
            // Starts and latest starts only grow along a route: once the previous visit ends
            // after the window, no later place fits; before the next visit's latest start
            // leaves room, none does yet. So the places worth a look are one range, found by
            // halving: from the first whose next visit's latest start leaves room to the last
            // whose previous visit ends within the window.
            let (locs, ends) = (r.locs.as_slice(), r.ends.as_slice());
            let lo = r
                .latest
                .get(..n)
                .map_or(n, |l| l.partition_point(|&l| win.0 + task.service > l));
            let hi = ends
                .get(..n)
                .map_or(0, |e| e.partition_point(|&e| e <= win.1));
            for pos in lo..hi + 1 {
                let prev_loc = match pos.checked_sub(1) {
                    Some(p) => locs.get(p).copied().unwrap_or(NO_LOC),
                    None => veh.start_loc,
                };
                let next_loc = if pos < n {
                    locs.get(pos).copied().unwrap_or(NO_LOC)
                } else {
                    veh.end_loc
                };
                if blink > 0 {
                    if skip == 0 {
                        skip = Self::blink_gap(rng, blink);
                        continue;
                    }
                    skip -= 1;
                }
                // The added travel first: a place no cheaper than the best so far is not
                // checked further.
                let a = self.travel.time_in(dense, m, prev_loc, task.loc);
                let b = self.travel.time_in(dense, m, task.loc, next_loc);
                let delta = a + b - self.travel.time_in(dense, m, prev_loc, next_loc);
                if best.is_some_and(|b| (off, delta) >= (best_off, b.delta)) {
                    continue;
                }
                if let Some((start, delta)) = self.try_legs(sol, v, pos, t, win, (a, b, delta)) {
                    if best.is_none_or(|b| (off, delta) < (best_off, b.delta)) {
                        best = Some(Slot {
                            vehicle: v,
                            pos,
                            delta,
                            start,
                        });
                        best_off = off;
                    }
                }
            }
        }
        best
    }

    /// How many places pass before the next blink, when each blinks with probability `blink`
    /// per mille (geometric: one draw per blink instead of one per place).
    fn blink_gap(rng: &mut Rng, blink: u32) -> u64 {
        let p = f64::from(blink.min(999)) / 1000.0;
        let g = rng.unit().max(1e-12).ln() / (1.0 - p).ln();
        if g.is_finite() && g >= 0.0 {
            g.min(1e9) as u64
        } else {
            0
        }
    }

    /// The cheapest crew for a task of `crew >= 2`: `crew` vehicles of distinct workers, at
    /// least one a leader, at one common start. Candidate starts are the earliest starts of
    /// each vehicle's feasible positions.
    pub fn best_crew(
        &self,
        sol: &Solution,
        t: u32,
        rng: &mut Rng,
        blink: u32,
    ) -> Option<(i64, Vec<Slot>)> {
        let task = self.task(t)?;
        let k = usize::from(task.crew);
        let win = (task.earliest, task.latest);
        let mut times: Vec<i64> = Vec::new();
        for &v in &task.can {
            let Some(r) = sol.routes.get(v as usize) else {
                continue;
            };
            for pos in 0..=r.nodes.len() {
                if let Some((s, _)) = self.try_at(sol, v, pos, t, win) {
                    times.push(s);
                }
            }
        }
        times.sort_unstable();
        times.dedup();
        let mut best: Option<(bool, i64, i64, Vec<Slot>)> = None;
        let mut per: Vec<Slot> = Vec::new();
        for &s in &times {
            per.clear();
            for &v in &task.can {
                let Some(r) = sol.routes.get(v as usize) else {
                    continue;
                };
                let mut b: Option<Slot> = None;
                for pos in 0..=r.nodes.len() {
                    if blink > 0 && rng.below(1000) < blink {
                        continue;
                    }
                    if let Some((_, delta)) = self.try_at(sol, v, pos, t, (s, s)) {
                        if b.is_none_or(|x| delta < x.delta) {
                            b = Some(Slot {
                                vehicle: v,
                                pos,
                                delta,
                                start: s,
                            });
                        }
                    }
                }
                if let Some(b) = b {
                    per.push(b);
                }
            }
            if per.len() < k {
                continue;
            }
            // The previous plan's vehicles first, then the cheapest.
            let off = |v: u32| !task.prev.is_empty() && task.prev.binary_search(&v).is_err();
            per.sort_by_key(|x| (off(x.vehicle), x.delta, x.vehicle));
            // Cheapest leader, then the cheapest others of distinct workers (sharing out
            // the task's skills, if it has skills to share).
            let veh = |c: usize| per.get(c).and_then(|x| self.veh(x.vehicle));
            let Some(picked) = super::crew::pick(
                per.len(),
                k,
                |c| veh(c).is_some_and(|v| v.leader),
                |a, b| veh(a).map(|v| v.worker) == veh(b).map(|v| v.worker),
                task.need.len(),
                |c, s| {
                    veh(c)
                        .zip(task.need.get(s))
                        .is_some_and(|(v, sk)| v.skills.binary_search(sk).is_ok())
                },
            ) else {
                continue;
            };
            let chosen: Vec<Slot> = picked.iter().filter_map(|&c| per.get(c).copied()).collect();
            let total: i64 = chosen.iter().map(|x| x.delta).sum();
            let mut on: Vec<u32> = chosen.iter().map(|x| x.vehicle).collect();
            on.sort_unstable();
            let moved = !task.prev.is_empty() && Self::moved(task, &on);
            if best
                .as_ref()
                .is_none_or(|(bm, bt, bs, _)| (moved, total, s) < (*bm, *bt, *bs))
            {
                best = Some((moved, total, s, chosen));
            }
        }
        best.map(|(_, _, s, c)| (s, c))
    }

    /// Inserts `t` as found by [`Problem::best_slot`] / [`Problem::best_crew`].
    pub fn insert(&self, sol: &mut Solution, t: u32, pinned: Option<i64>, slots: &[Slot]) {
        if let Some(x) = sol.pinned.get_mut(t as usize) {
            *x = pinned;
        }
        for s in slots {
            if let Some(r) = sol.routes.get_mut(s.vehicle as usize) {
                let at = s.pos.min(r.nodes.len());
                r.nodes.insert(at, t);
            }
            if let Some(on) = sol.on.get_mut(t as usize) {
                on.push(s.vehicle);
            }
        }
        for s in slots {
            let pos = sol
                .routes
                .get(s.vehicle as usize)
                .map_or(0, |r| s.pos.min(r.nodes.len().saturating_sub(1)));
            self.refresh_inserted(sol, s.vehicle, pos);
        }
    }

    /// [`Problem::refresh`] after one visit went in at `pos` of route `v` (its other visits
    /// as they were): the starts recomputed from `pos` on and the latest starts back from it,
    /// each only as far as they change, and the totals by the difference. Where the result is
    /// not plainly feasible (or the route's times do not match it), the whole route is
    /// refreshed instead.
    fn refresh_inserted(&self, sol: &mut Solution, v: u32, pos: usize) {
        if !self.update_inserted(sol, v, pos) {
            self.refresh(sol, v);
            return;
        }
        #[cfg(debug_assertions)]
        {
            let mut full = sol.clone();
            self.refresh(&mut full, v);
            debug_assert!(full.routes.get(v as usize) == sol.routes.get(v as usize));
        }
    }

    /// The incremental update of [`Problem::refresh_inserted`]; false if it cannot be done.
    fn update_inserted(&self, sol: &mut Solution, v: u32, pos: usize) -> bool {
        let Some(veh) = self.veh(v) else {
            return false;
        };
        let mode = veh.mode;
        let close = Self::close(veh);
        let (on_pinned, routes) = (&sol.pinned, &mut sol.routes);
        let Some(r) = routes.get_mut(v as usize) else {
            return false;
        };
        let n = r.nodes.len();
        if pos >= n || [r.start.len(), r.latest.len(), r.locs.len(), r.ends.len()] != [n - 1; 4] {
            return false;
        }
        let Some(task) = r.nodes.get(pos).and_then(|&t| self.task(t)) else {
            return false;
        };
        if task.fixed.is_some() {
            return false;
        }
        let window = |t: u32| match on_pinned.get(t as usize).copied().flatten() {
            Some(s) => (s, s),
            None => self.task(t).map_or((0, -1), |k| (k.earliest, k.latest)),
        };
        // The totals: the legs around the new visit replace the one between its neighbours.
        let prev_loc = pos
            .checked_sub(1)
            .and_then(|p| r.locs.get(p).copied())
            .unwrap_or(veh.start_loc);
        let next_loc = r.locs.get(pos).copied().unwrap_or(veh.end_loc);
        let t = |a: u32, b: u32| self.travel.time(mode, a, b);
        // (An empty route counts the way from its start place to its end place.)
        r.travel += t(prev_loc, task.loc) + t(task.loc, next_loc) - t(prev_loc, next_loc);
        r.load += task.demand;
        r.work += task.service;
        if r.load > veh.capacity || r.travel + r.work > veh.max_work {
            return false;
        }
        r.start.insert(pos, 0);
        r.latest.insert(pos, 0);
        r.locs.insert(pos, task.loc);
        r.ends.insert(pos, 0);
        // Forward: earliest starts, until one is as it was.
        let mut last = pos;
        for i in pos..n {
            let (Some(&ti), Some(k)) = (r.nodes.get(i), r.nodes.get(i).and_then(|&x| self.task(x)))
            else {
                return false;
            };
            let (from, depart) = match i.checked_sub(1) {
                Some(p) => (r.locs.get(p).copied(), r.ends.get(p).copied()),
                None => (Some(veh.start_loc), None),
            };
            let Some(from) = from else { return false };
            let leg = t(from, k.loc);
            let Some(s) = self.fit(veh, ti, window(ti), depart.map(|d| d + leg), leg) else {
                return false;
            };
            if i > pos && r.start.get(i) == Some(&s) {
                break;
            }
            last = i;
            match (r.start.get_mut(i), r.ends.get_mut(i)) {
                (Some(x), Some(e)) => (*x, *e) = (s, s + k.service),
                _ => return false,
            }
        }
        // Back home by the close (a route ending on a locked visit is as it was).
        if last + 1 == n {
            let last_fixed = r.nodes.last().is_some_and(|&x| self.is_fixed(x));
            let back = r.locs.last().map_or(0, |&l| t(l, veh.end_loc));
            if !last_fixed && r.ends.last().is_some_and(|&d| d + back > close) {
                return false;
            }
        }
        // Backward: latest starts, until one is as it was.
        let mut first = pos;
        for i in (0..=pos).rev() {
            let (Some(&ti), Some(k)) = (r.nodes.get(i), r.nodes.get(i).and_then(|&x| self.task(x)))
            else {
                return false;
            };
            let (leg, limit) = if i + 1 == n {
                (0, close - t(k.loc, veh.end_loc))
            } else {
                match (r.locs.get(i + 1), r.latest.get(i + 1)) {
                    (Some(&l), Some(&lim)) => (t(k.loc, l), lim),
                    _ => return false,
                }
            };
            let l = self
                .fit_back(veh, ti, window(ti), limit - leg - k.service)
                .unwrap_or(i64::MIN / 4);
            if i < pos && r.latest.get(i) == Some(&l) {
                break;
            }
            first = i;
            if let Some(x) = r.latest.get_mut(i) {
                *x = l;
            }
        }
        // Every start moved, or latest start moved, is still in time.
        (first..=last).all(|i| {
            r.nodes.get(i).is_some_and(|&x| self.is_fixed(x))
                || matches!((r.start.get(i), r.latest.get(i)), (Some(s), Some(l)) if s <= l)
        })
    }

    /// Takes `t` out of every route it is on (locked tasks stay). Returns the vehicles touched.
    pub fn remove(&self, sol: &mut Solution, t: u32, refresh: bool) -> Vec<u32> {
        if self.is_fixed(t) {
            return Vec::new();
        }
        let vs = sol
            .on
            .get_mut(t as usize)
            .map(std::mem::take)
            .unwrap_or_default();
        for &v in &vs {
            if let Some(r) = sol.routes.get_mut(v as usize) {
                r.nodes.retain(|&x| x != t);
            }
            if refresh {
                self.refresh(sol, v);
            }
        }
        if let Some(x) = sol.pinned.get_mut(t as usize) {
            *x = None;
        }
        vs
    }

    /// Inserts one task at its cheapest place. Returns whether it went in.
    pub fn place(&self, sol: &mut Solution, t: u32, rng: &mut Rng, blink: u32) -> bool {
        let Some(task) = self.task(t) else {
            return false;
        };
        if task.fixed.is_some() || sol.on.get(t as usize).is_some_and(|o| !o.is_empty()) {
            return false;
        }
        if task.crew <= 1 {
            match self.best_slot(sol, t, rng, blink) {
                Some(s) => {
                    self.insert(sol, t, None, &[s]);
                    true
                }
                None => false,
            }
        } else {
            match self.best_crew(sol, t, rng, blink) {
                Some((start, slots)) => {
                    self.insert(sol, t, Some(start), &slots);
                    true
                }
                None => false,
            }
        }
    }

    /// How many vehicles could take `t` in `sol` (its options), counting each vehicle once.
    pub fn options(&self, sol: &Solution, t: u32) -> usize {
        let Some(task) = self.task(t) else { return 0 };
        let win = (task.earliest, task.latest);
        task.can
            .iter()
            .filter(|&&v| {
                let len = sol.routes.get(v as usize).map_or(0, |r| r.nodes.len());
                (0..=len).any(|pos| self.try_at(sol, v, pos, t, win).is_some())
            })
            .count()
    }

    /// Construction: jobs with the fewest feasible vehicles first (the most urgent and the
    /// tightest windows break ties), each at its cheapest insertion by added travel.
    pub fn construct(&self, rng: &mut Rng) -> Solution {
        let mut sol = self.empty();
        let mut order: Vec<(u8, usize, i64, i64, u32)> = (0..self.tasks.len())
            .filter_map(|ti| {
                let t = idx(ti);
                let task = self.task(t)?;
                if task.fixed.is_some() {
                    return None;
                }
                let opts = self.options(&sol, t) / usize::from(task.crew.max(1));
                Some((
                    u8::MAX - task.priority,
                    opts,
                    task.latest - task.earliest,
                    task.earliest,
                    t,
                ))
            })
            .collect();
        order.sort_unstable();
        for &(_, _, _, _, t) in &order {
            self.place(&mut sol, t, rng, 0);
        }
        sol
    }

    /// Checks every route from scratch (for tests and debugging).
    pub fn feasible(&self, sol: &Solution) -> bool {
        let mut copy = sol.clone();
        (0..self.vehicles.len()).all(|v| self.refresh(&mut copy, idx(v)))
    }
}

pub(super) fn idx(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

/// The search's own random numbers (deterministic, platform-independent): a 64-bit
/// xorshift-multiply generator.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// The state is the seed mixed by splitmix64's finaliser (never zero), so neighbouring
    /// seeds start far apart. (It was `(seed ^ K) | 1`: seeds 2k and 2k + 1 gave one search.)
    pub fn new(seed: u64) -> Self {
        let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        Rng(if z == 0 { 0x9E37_79B9_7F4A_7C15 } else { z })
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in `0..n` (0 when `n == 0`).
    pub fn below(&mut self, n: u32) -> u32 {
        if n == 0 {
            0
        } else {
            (((self.next_u64() >> 32) * u64::from(n)) >> 32) as u32
        }
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::Rng;

    /// Each seed starts its own sequence: no two of the first thousand seeds share a first draw.
    #[test]
    fn seeds_start_apart() {
        let mut first: Vec<u64> = (0..1000).map(|s| Rng::new(s).next_u64()).collect();
        first.sort_unstable();
        first.dedup();
        assert_eq!(first.len(), 1000);
    }
}
