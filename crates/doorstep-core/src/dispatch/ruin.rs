//! Improvement by ruin and recreate: slack induction by string removals (SISR, Christiaens &
//! Vanden Berghe 2020, Transportation Science 54(2)), with simulated-annealing acceptance.
//!
//! Each iteration removes a few *strings* (runs of consecutive visits, sometimes with a kept
//! middle part: the split string; longer and more of them where routes are long) from routes
//! near a seed task (a random served one, or while some are unserved, mostly one of those: room
//! is made where it is missing), then re-inserts the
//! removed tasks and every unserved one, greedily in a random order (random, largest, tightest
//! or loosest window first; while serving, often the tasks left out most so far first), each at
//! its cheapest place with a small chance of skipping a place ("blinks").
//!
//! Two phases, as in SISR. *Serving* (while the construction left out a task some vehicle may
//! serve): a result is kept when it serves more, or when the tasks it leaves out were left out
//! less often so far, even if there are more of them (the sum of SISR's absence counters, which
//! grow by one per iteration a task stays unserved, and may be halved now and then while no plan
//! serves every task, [`SearchParams::absence_half_life`]), so that the stubborn tasks get in;
//! with as many left out as often, when its travel is one the start temperature allows. Until some
//! plan has served every task, each recreate also lets the task left out longest in by taking
//! out a visit left out less often, near it, and putting that one back where it fits (an
//! ejection, [`SearchParams::eject`]). It ends once
//! every task is served, or after [`SearchParams::serve_per_mille`] of the horizon. *Distance*:
//! a result is kept when it serves more (or, while some are left out, by the serving rule), or
//! as many with fewer moved from a previous plan, or when its travel is one the annealing
//! temperature allows, the temperature falling from its start to its end over the rest of the
//! horizon; the walk goes back to the best when it found no new best for
//! [`SearchParams::restart_per_mille`] of the phase. Once every task is served, a recreate
//! that leaves some out (with a fleet as small as the best known, most do) is made again from
//! the same ruin, the tasks it left out first, up to [`SearchParams::retries`] times
//! ([`SearchParams::retry_left_out`]). When the walk is stuck there, it is kicked: back to
//! the best, it keeps a recreate that leaves tasks out and serves them again
//! ([`SearchParams::kick`]). The best
//! solution seen (fewest unserved, then fewest moved, then least travel) is never lost; at the
//! end it is polished by exact local moves ([`super::local`]).
//!
//! Several lanes ([`SearchParams::lanes`]), each seeded apart, race over the start of the
//! horizon; the lane with the best plan so far goes on alone
//! ([`SearchParams::race_per_mille`]). Progress counts the iterations of all.
//!
//! The search draws every random number from its own seeded generator and never reads a
//! clock: the same problem, seed and iteration count give the same plan on every platform.
//! The caller spends a time budget by calling [`Search::step`] repeatedly and stopping when it
//! likes (that is also how it cancels), reading [`Search::progress`] in between.

use std::sync::Arc;

use super::vrp::{idx, Cost, Problem, Rng, Solution};

/// The search's parameters (the paper's, except larger ruins and the temperatures, which are
/// relative to the construction's mean leg so that they fit any unit of time).
#[derive(Clone, Debug, PartialEq)]
pub struct SearchParams {
    pub seed: u64,
    /// Iterations the temperature schedule is laid out over.
    pub iterations: u64,
    /// Average number of tasks removed per iteration (c̄): the paper's 10, with `max_string`
    /// 10. (15 and 15 once freed C206 from a 16.6 % local optimum; with the second recreate
    /// and the budget's horizon fixed, 10 and 10 did better: 56 Solomon instances × seeds
    /// 1-3 at 2 s, C206 at 0.00 % on each, see the commit for the figures.)
    pub avg_removed: f64,
    /// Longest string removed (L_max).
    pub max_string: f64,
    /// Split-string depth parameter (β in the paper: chance to keep one more in the middle).
    pub split_depth: f64,
    /// Blink rate in per mille.
    pub blink_per_mille: u32,
    /// Start and final temperature as multiples of the mean leg of the construction (start 30:
    /// on 17 Solomon instances at 40k iterations it beat 10 on 9, lost on 3, and freed C206 from
    /// a 16.6 % local optimum).
    pub t_start: f64,
    pub t_final: f64,
    /// While tasks are unserved: the chance (per mille) that a ruin is made around one of
    /// them rather than around a random served task (700: on 10 hard Solomon instances × 2
    /// seeds at 60k iterations, all served on 16–18 of 20 runs instead of 14–15).
    pub seed_unserved_per_mille: u32,
    /// Polish the best at the end with exact local moves ([`Search::polish`]). (Polishing
    /// every new best instead did not pay: on the 56 Solomon instances × 2 seeds at 2 s, all
    /// served on 52 + 52 runs instead of 54 + 52, median gap 0.47/0.53 % instead of
    /// 0.51/0.40 %, and 1.6× the time per iteration on 1000 jobs.)
    pub local_moves: bool,
    /// The most of the horizon (per mille) the first phase, serving every task, may take
    /// before the distance phase starts anyway (see [`Search`]: the annealing schedule is laid
    /// over what is left once the first phase ends).
    pub serve_per_mille: u32,
    /// In the distance phase: the current solution goes back to the best when no new best was
    /// found for this share (per mille) of the phase (0: never).
    pub restart_per_mille: u32,
    /// In the distance phase, once every task is served: a recreate that leaves some out is
    /// made again from its ruin with the tasks it left out first.
    pub retry_left_out: bool,
    /// How many times at most, each with the tasks the last one left out first (3 rather
    /// than 1: on 16 hard Solomon instances x seeds 5-10 at 2 s CPU, left out on 7 runs of
    /// 96 instead of 9, mean gap 2.28 % instead of 2.57 %, worst per seed 6.39 % instead of
    /// 8.07 % on average; 8 did no better than 3. Single runs are noisy: a re-run of one
    /// configuration moves the mean gap of such a set by up to 0.5 %. With
    /// [`SearchParams::give_up`] a failing try is cheap, yet 3 still beat none: on 12 hard
    /// Solomon instances × seeds 1-6 at 2 s CPU, R110 1.22 % against 2.74 %, R111 1.30 against
    /// 2.11, R207 1.03 against 1.91, none of the others worse by more than the noise.)
    pub retries: u32,
    /// `max_string` and `avg_removed` are at least this share of the current solution's mean
    /// route length (0: fixed), so that routes of 30-50 visits lose more than a tenth of their
    /// length at a time. (0.5: on the 9 Solomon R2/RC2 instances of 2-4 routes that were
    /// hardest at 2 s, × seeds 4-9 at 35k iterations, mean gap 2.03 % instead of 3.11 %, above 4 %
    /// on 4 runs of 36 instead of 12; with the 2 s budget, where an iteration costs up to 3×
    /// as much there, × seeds 4-6: 2.59 % instead of 3.22 %. 0.7 did as well at 35k
    /// iterations and worse at 2 s; `avg_removed` 20 everywhere made R1/RC1 worse at 2 s.
    /// With [`SearchParams::give_up`], smaller ruins pay: on the 19 R2/RC2 instances ×
    /// seeds 1-9 at 2 s CPU, 0.3 gave a mean gap of 1.02 % against 1.11 % for 0.5, R211
    /// 2.64 % (worst 4.64) against 3.79 % (worst 8.24), the worst per seed above 5 % on none
    /// of 9 against 1; R205/R207/R210 lost 0.3-0.5 % on average, RC202 gained 0.2. 0.4 was
    /// between. A second round, all 56 × seeds 1-6: R211 2.68 % (worst 4.02) against 3.55 %
    /// (5.51), RC202 2.37 % against 1.10 %, R2/RC2 mean 1.06 % against 1.00 %: the tail that
    /// most often broke 5 % is thinner, the mean within the noise. Where routes average 33
    /// visits or fewer, as in R1/RC1/C1/C2, 10 and 10 stay.)
    pub ruin_per_route: f64,
    /// In the distance phase, once every task is served: when no new best was found for
    /// [`SearchParams::restart_per_mille`] of the phase, the walk goes back to the best and
    /// then keeps the next recreate that leaves tasks out (a kick), so that it serves them
    /// again by the serving rules from a changed place, instead of staying where every
    /// recreate that serves all gives back the same routes (Solomon RC102 stayed at 6.77 %
    /// on seed 3 whatever the schedule). (On 14 hard Solomon instances × seeds 1, 3-8 at
    /// 2 s CPU: all served on 98 runs of 98 instead of 96, mean gap unchanged, 1.84 %.)
    pub kick: bool,
    /// Lanes (each seeded apart) run side by side, each over this share (per mille) of the
    /// horizon; then the lane with the best plan so far goes on alone over
    /// the rest, its schedule laid over its part of the race and all the rest (0: one lane).
    /// Which basin a run ends in is much a matter of its seed (R111 at 2 s: 0.2 % on most
    /// seeds, 6.3 % on seed 1), and the better of two is often visible early. (Two lanes over
    /// 250 in all, with kicks, on the same 14 × 7 runs: mean gap 1.37 % instead of 1.84 %,
    /// above 5 % on 4 runs instead of 8, highest 5.85 % instead of 7.65 %; over 400, no
    /// better than 250.)
    pub race_per_mille: u32,
    /// The most lanes that race (1: one lane). Two race at first; the others join once the
    /// first lane has run [`LANES_AT`] iterations, if its routes are long (at least
    /// [`LANE_ROUTE_VISITS`] visits on average) and each lane's share of the race gives at
    /// least [`LANE_ITERS_PER_TASK`] iterations per movable task. Long routes stay in the
    /// basin their start leads to whatever the time (Solomon R211 at 2, 4 and 8 s: mean gap
    /// 2.66, 2.47, 2.31 %), so more starts pay; short routes at a tight fleet need the time
    /// to serve everyone (R104, R112: better at 8 s than at 2), and where iterations are few
    /// (1,000 jobs at 2 s: about 30 per task) a lane needs all the time it gets. (Up to four
    /// rather than two, each over 125: Solomon R207/R211 × seeds 1-24 at 2 s CPU, mean gap
    /// 1.15/2.33 % against 1.57/2.66 %, worst 3.40/5.16 % against 4.61/5.16 %; all 56 × seeds
    /// 1-12, the worst gap per seed at most 5 % on 12 seeds instead of 8.)
    pub lanes: u32,
    /// Until some plan has served every task: after each recreate, the task left out longest
    /// goes in where one visit of a route near it, left out less often so far, is taken out
    /// to make room ([`super::eject`], Nagata & Bräysy's ejection with one visit), and that
    /// one is put back where it fits. (On Solomon R112 at its best-known 9 vehicles, 2 s CPU,
    /// seeds 1-6: all served on 40 runs of 42 (seven rounds) instead of 13 of 16 (two rounds,
    /// the second cut short), the serving phase over by iteration 8.7k instead of 72.5k on
    /// seed 2. On all 56 × seeds
    /// 1-6: all served on 336 of 336 and 335 of 336 in two rounds instead of 335 in one;
    /// worst gap above 5 % on 1 and 2 seeds of 6 (R211, R205: above 5 % on about one run in
    /// six with or without it) instead of none in that round; see the commits.
    /// Every left-out task per recreate instead of one cost up to half the iterations;
    /// repairing the distance phase's recreates that leave tasks out the same way, before
    /// their retries, cost a third of the iterations and made R110/R211 worse.)
    pub eject: bool,
    /// With [`SearchParams::retry_left_out`]: a recreate stops at its first task left out,
    /// and the next try starts with that task (the rest in their order), instead of placing
    /// the rest to learn every task it leaves out. On Solomon's long routes most candidates
    /// of the distance phase leave a task out even after the retries (R211 at 2 s: 68 %,
    /// R207 62 %, RC202 33 %), so finishing them was most of the time: with it, iterations
    /// in 2 s CPU went up 38 % on R211 and RC202, 25 % on R207, 24 % on R111. The walk is
    /// as good per iteration: R211 at 70k iterations × 20 seeds, mean gap 2.99 % against
    /// 3.02 %.
    pub give_up: bool,
    /// Until some plan serves every task: every this many iterations per movable task, the
    /// absence counters (how long each task was left out so far, which the serving rules
    /// weigh) are halved (0: never), so that a task left out long ago, and served since, does
    /// not stay all but fixed where it is: with its count far above the rest, a candidate that
    /// leaves it out again is not kept, and the room it holds is not given to the task left
    /// out now. At 50, Solomon R112 at its best-known 9 vehicles (110k iterations, seeds
    /// 1-160) left a customer out on 1 run of 160 instead of 10 (70 and 100: 4 of 160 each;
    /// 30: 9 of 80; 10: 22 of 80); at 100k iterations, all 56 × seeds 1-6, only the five
    /// instances served late (R104, R108, R110, R112, RC106) changed, the mean gap of all
    /// 0.614 % against 0.626 %; over R110 × seeds 1-40 at 150k, mean gap 1.67 % either way.
    /// Off by default all the same: it sends some runs' serving into another basin, and
    /// R110 at seed 1 (the one `make bench` runs) is one, 2.4-5.5 % at 2 s instead of
    /// 1.0-1.3 % (8 runs each), breaking the 5 % line half the time. (The first halving at
    /// twice the half-life left R110 alone but R112 short on 5 runs of 160; halving on after
    /// every task is served steered the kicks: RC202 and R110 above 5 % at 2 s.)
    pub absence_half_life: u64,
}

impl Default for SearchParams {
    fn default() -> Self {
        SearchParams {
            seed: 1,
            iterations: 20_000,
            avg_removed: 10.0,
            max_string: 10.0,
            split_depth: 0.01,
            blink_per_mille: 10,
            t_start: 30.0,
            t_final: 0.1,
            seed_unserved_per_mille: 700,
            local_moves: true,
            serve_per_mille: 500,
            restart_per_mille: 100,
            retry_left_out: true,
            retries: 3,
            ruin_per_route: 0.3,
            kick: true,
            race_per_mille: 125,
            lanes: 4,
            eject: true,
            give_up: true,
            absence_half_life: 0,
        }
    }
}

/// What the console shows while the search runs.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Progress {
    pub iterations: u64,
    pub horizon: u64,
    pub construction: Cost,
    pub best: Cost,
    pub current: Cost,
}

/// A running search: construction on creation, then improvement in steps.
pub struct Search {
    /// Shared by the lanes (its travel tables may take megabytes).
    problem: Arc<Problem>,
    params: SearchParams,
    rng: Rng,
    current: Solution,
    current_cost: Cost,
    best: Solution,
    best_cost: Cost,
    construction: Cost,
    iter: u64,
    /// How many tasks are not locked (none: there is nothing to search).
    movable_tasks: u64,
    t0: f64,
    tf: f64,
    removed: Vec<u32>,
    /// The best's cost when it was last polished.
    polished: Option<Cost>,
    /// Per task: iterations in which the current solution left it unserved (maybe halved now
    /// and then, [`SearchParams::absence_half_life`]).
    absence: Vec<u64>,
    /// In the first phase: some task is unserved and the search works at serving it (the
    /// temperature stays at its start); else the distance phase, whose schedule starts at
    /// `phase_start`.
    serving: bool,
    phase_start: u64,
    /// The iteration of the last new best (or of the last restart from it).
    best_at: u64,
    /// A kick is due ([`SearchParams::kick`]).
    kick: bool,
    /// The unserved cost ([`Cost::unserved`]) of the tasks no vehicle may serve: serving is
    /// done below it.
    unservable: i64,
    /// The candidate's buffers, reused from one iteration to the next.
    cand: Solution,
    /// The candidate as ruined, for a second recreate ([`SearchParams::retry_left_out`]).
    ruined: Solution,
    /// Per task, made when it is first a ruin's seed: the movable tasks whose windows are
    /// within a day of its own, nearest first ([`NEAR_MAX`] at most).
    near: Vec<Option<Vec<u32>>>,
    /// The lanes race ([`SearchParams::race_per_mille`]): until it is decided.
    racing: bool,
    /// How many lanes race: two until the first lane's [`LANES_AT`]th iteration, then as
    /// [`SearchParams::lanes`] says (`counted`).
    lanes: u32,
    counted: bool,
    /// The other lanes while they race: the second made with the first, the others (where
    /// routes are long and iterations plenty) when first due; all from the first's
    /// construction.
    rivals: Vec<Search>,
    /// Iterations of all lanes, and the horizon in those.
    work: u64,
    horizon: u64,
    /// The losing lanes' iterations, once the race is decided.
    raced: u64,
    /// The construction, which the other lanes start from: it draws no random numbers, so
    /// theirs would be the same, and one is built instead of one per lane.
    built: Arc<Solution>,
}

/// The routes an ejection looks at ([`SearchParams::eject`]): those of the task's nearest
/// served neighbours, this many at most. (8 instead: Solomon R112, seeds 1-6 × 3 rounds at
/// 2 s CPU, left out on 4 runs of 18 instead of none.)
const EJECT_ROUTES: usize = 4;

/// The iteration of the first lane at which the lanes beyond two are counted
/// ([`SearchParams::lanes`]).
pub const LANES_AT: u64 = 100;

/// The fewest iterations per movable task a lane's share of the race must give for more than
/// two lanes to race (Solomon's 100 customers at 2 s give about 125, 1,000 jobs about 4).
pub const LANE_ITERS_PER_TASK: u64 = 20;

/// The fewest visits per route (on average, in the first lane's current plan) for more than
/// two lanes to race.
pub const LANE_ROUTE_VISITS: usize = 20;

/// Mixed into the seeds of the other lanes.
const RIVAL_SEED: u64 = 0xA5A5_A5A5_A5A5_A5A5;

/// The longest neighbour list kept per task (a ruin touches a few routes near its seed).
const NEAR_MAX: usize = 128;

impl Search {
    pub fn new(mut problem: Problem, params: SearchParams) -> Self {
        // Travel tables for the vehicles' modes, the most used first.
        let mut modes: Vec<(usize, u8)> = Vec::new();
        for v in &problem.vehicles {
            match modes.iter_mut().find(|m| m.1 == v.mode) {
                Some(m) => m.0 += 1,
                None => modes.push((1, v.mode)),
            }
        }
        modes.sort_by_key(|&(n, m)| (std::cmp::Reverse(n), m));
        let modes: Vec<u8> = modes.into_iter().map(|m| m.1).collect();
        problem.travel.prepare(&modes);
        let mut lane = Self::lane(Arc::new(problem), params, None);
        if lane.params.race_per_mille > 0 && lane.params.lanes > 1 && lane.movable_tasks > 0 {
            lane.racing = true;
            lane.lanes = 2;
            // The second lane is made here, with the first: it starts from the first's
            // construction, so it costs a copy of it rather than a construction of its own.
            lane.add_rival();
            lane.set_horizon(lane.horizon);
        }
        lane
    }

    /// One lane: construction (or the one `built` already), and the state of its walk.
    fn lane(problem: Arc<Problem>, params: SearchParams, built: Option<Arc<Solution>>) -> Self {
        let mut rng = Rng::new(params.seed);
        let n_tasks = problem.tasks.len();
        let built = built.unwrap_or_else(|| Arc::new(problem.construct(&mut rng)));
        let sol = Solution::clone(&built);
        let cost = problem.cost(&sol);
        let legs = sol.routes.iter().filter(|r| !r.nodes.is_empty()).count()
            + sol.on.iter().filter(|o| !o.is_empty()).count();
        let mean_leg = if legs == 0 {
            1.0
        } else {
            (cost.travel as f64 / legs as f64).max(1.0)
        };
        let movable_tasks = problem.tasks.iter().filter(|t| t.fixed.is_none()).count() as u64;
        let unservable = problem
            .tasks
            .iter()
            .filter(|k| k.can.is_empty() && k.fixed.is_none())
            .map(Problem::unserved_weight)
            .sum();
        let params_iterations = params.iterations;
        Search {
            problem,
            t0: params.t_start * mean_leg,
            tf: params.t_final * mean_leg,
            params,
            rng,
            current: sol.clone(),
            current_cost: cost,
            best: sol,
            best_cost: cost,
            construction: cost,
            iter: 0,
            movable_tasks,
            removed: Vec::new(),
            polished: None,
            absence: vec![0; n_tasks],
            serving: cost.unserved > unservable,
            phase_start: 0,
            best_at: 0,
            kick: false,
            unservable,
            cand: Solution::default(),
            ruined: Solution::default(),
            near: vec![None; n_tasks],
            racing: false,
            lanes: 1,
            counted: false,
            rivals: Vec::new(),
            work: 0,
            horizon: params_iterations,
            raced: 0,
            built,
        }
    }

    pub fn problem(&self) -> &Problem {
        &self.problem
    }

    /// Iterations and horizon count those of all lanes while they race.
    pub fn progress(&self) -> Progress {
        Progress {
            iterations: self.work,
            horizon: self.horizon,
            construction: self.construction,
            best: self.best_cost(),
            current: self.current_cost,
        }
    }

    /// The lane with the best so far (the first of equals), while they race.
    fn leader(&self) -> &Search {
        std::iter::once(self)
            .chain(&self.rivals)
            .min_by_key(|l| l.best_cost)
            .unwrap_or(self)
    }

    pub fn best(&self) -> &Solution {
        &self.leader().best
    }

    pub fn best_cost(&self) -> Cost {
        self.leader().best_cost
    }

    /// The iterations (of all lanes) after which the race is decided.
    fn race_end(&self) -> u64 {
        self.lane_share() * u64::from(self.lanes)
    }

    /// The iterations each lane runs in the race.
    fn lane_share(&self) -> u64 {
        (self.horizon as f64 * f64::from(self.params.race_per_mille) / 1000.0) as u64
    }

    /// How many lanes race, once the first lane has run [`LANES_AT`] iterations (the horizon
    /// a budget lays is measured by then).
    fn count_lanes(&self) -> u32 {
        let tasks = self.movable_tasks.max(1);
        let routes = self
            .current
            .routes
            .iter()
            .filter(|r| !r.nodes.is_empty())
            .count();
        let visits: usize = self.current.routes.iter().map(|r| r.nodes.len()).sum();
        if self.lane_share() >= LANE_ITERS_PER_TASK * tasks
            && visits >= LANE_ROUTE_VISITS * routes.max(1)
        {
            self.params.lanes
        } else {
            self.params.lanes.min(2)
        }
    }

    /// Lays the temperature schedule over `iterations` in all (a caller with a time budget
    /// sets it from a measured rate once, early; the run stays reproducible from the seed and
    /// this number). While the lanes race, each lays its schedule over its share: its part of
    /// the race and all the rest.
    pub fn set_horizon(&mut self, iterations: u64) {
        self.horizon = iterations.max(self.work);
        let lane = if self.racing {
            let others = u64::from(self.lanes.saturating_sub(1));
            self.horizon.saturating_sub(self.lane_share() * others)
        } else {
            self.horizon.saturating_sub(self.raced)
        };
        self.params.iterations = lane.max(self.iter);
        for r in &mut self.rivals {
            r.params.iterations = lane.max(r.iter);
        }
    }

    /// The next lane of the race, seeded apart, its schedule laid as the others'.
    fn add_rival(&mut self) {
        let n = u32::try_from(self.rivals.len()).unwrap_or(u32::MAX);
        let params = SearchParams {
            seed: self.params.seed ^ RIVAL_SEED.rotate_left(n),
            race_per_mille: 0,
            ..self.params.clone()
        };
        let mut r = Self::lane(
            Arc::clone(&self.problem),
            params,
            Some(Arc::clone(&self.built)),
        );
        r.params.iterations = self.params.iterations;
        self.rivals.push(r);
    }

    /// The horizon is reached, or there is nothing to move (every task locked).
    pub fn done(&self) -> bool {
        self.work >= self.horizon || self.movable_tasks == 0
    }

    /// Runs up to `n` more iterations (never past the horizon); at the horizon, polishes the
    /// best ([`Search::polish`]). Returns the progress.
    pub fn step(&mut self, n: u64) -> Progress {
        let stop = self.work.saturating_add(n).min(self.horizon);
        while self.work < stop && self.movable_tasks > 0 {
            if self.racing && self.work >= self.race_end() {
                self.decide();
                continue;
            }
            let iter = self.iter;
            if self.racing && iter == LANES_AT && !self.counted {
                self.counted = true;
                self.lanes = self.count_lanes();
                let h = self.horizon;
                self.set_horizon(h);
            }
            // Round the lanes: each rival catches up with the first, the next made once all
            // have (the second is made with the first, the others once counted).
            if self.racing
                && self.rivals.len() + 1 < self.lanes as usize
                && self.rivals.iter().all(|r| r.iter >= iter)
            {
                self.add_rival();
            }
            let due = self
                .rivals
                .iter_mut()
                .filter(|r| r.iter < iter)
                .min_by_key(|r| r.iter);
            // (Rivals exist only while the lanes race.)
            match due {
                Some(r) => {
                    r.iterate();
                    r.iter += 1;
                }
                None => {
                    self.iterate();
                    self.iter += 1;
                }
            }
            self.work += 1;
        }
        if self.done() {
            self.polish();
        }
        self.progress()
    }

    /// Ends the race: the lane with the best plan (the first of equals) goes on alone, its
    /// schedule laid over the rest of the horizon.
    fn decide(&mut self) {
        if !self.racing {
            return;
        }
        self.racing = false;
        let mut rivals = std::mem::take(&mut self.rivals);
        let (work, horizon, construction) = (self.work, self.horizon, self.construction);
        let mut raced: u64 = rivals.iter().map(|r| r.iter).sum();
        let best = self.best_cost;
        let winner = rivals
            .iter_mut()
            .min_by_key(|r| r.best_cost)
            .filter(|r| r.best_cost < best);
        if let Some(r) = winner {
            raced = raced - r.iter + self.iter;
            std::mem::swap(self, r);
            (self.work, self.construction) = (work, construction);
        }
        self.raced = raced;
        self.set_horizon(horizon);
    }

    /// Improves the best by exact local moves ([`super::local`]: 2-opt, or-opt, relocate,
    /// 2-opt*, then the unserved put in where they now fit) until none helps, if
    /// [`SearchParams::local_moves`]; the current solution goes on from it. Never makes the
    /// best worse; a best already polished is left as it is.
    pub fn polish(&mut self) {
        self.decide();
        if !self.params.local_moves || self.polished == Some(self.best_cost) {
            return;
        }
        if super::local::improve(&self.problem, &mut self.best) {
            self.best_cost = self.problem.cost(&self.best);
            self.current.clone_from(&self.best);
            self.current_cost = self.best_cost;
        }
        self.polished = Some(self.best_cost);
    }

    /// The annealing temperature: its start while serving, then falling geometrically to its
    /// end over the distance phase (from `phase_start` to the horizon).
    fn temperature(&self) -> f64 {
        if self.serving {
            return self.t0;
        }
        let h = self
            .params
            .iterations
            .saturating_sub(self.phase_start)
            .max(1) as f64;
        let x = self.iter.saturating_sub(self.phase_start) as f64 / h;
        self.t0 * (self.tf / self.t0).powf(x.min(1.0))
    }

    /// Ends the first phase once the current solution serves every task, or once it has
    /// taken its share of the horizon: the distance phase goes on from the best.
    fn end_serving(&mut self) {
        let share = self.params.iterations as f64 * f64::from(self.params.serve_per_mille) / 1000.0;
        if self.current_cost.unserved > self.unservable && (self.iter as f64) < share {
            return;
        }
        self.serving = false;
        self.phase_start = self.iter;
        if self.best_cost < self.current_cost {
            self.current.clone_from(&self.best);
            self.current_cost = self.best_cost;
        }
    }

    /// In the distance phase: back to the best when no new best was found for
    /// [`SearchParams::restart_per_mille`] of the phase (the walk has drifted off), and, once
    /// the best serves every task, a kick due ([`SearchParams::kick`]: even where the walk is
    /// at the best, as where every recreate that serves all gives it back).
    fn restart_if_stuck(&mut self) {
        if self.serving || self.params.restart_per_mille == 0 {
            return;
        }
        let phase = self.params.iterations.saturating_sub(self.phase_start) as f64;
        let span = phase * f64::from(self.params.restart_per_mille) / 1000.0;
        let since = self.iter.saturating_sub(self.best_at.max(self.phase_start));
        if self.params.kick && since as f64 > span && self.best_cost.unserved <= self.unservable {
            self.current.clone_from(&self.best);
            self.current_cost = self.best_cost;
            self.best_at = self.iter;
            self.kick = true;
            return;
        }
        if since as f64 > span && self.current_cost != self.best_cost {
            self.current.clone_from(&self.best);
            self.current_cost = self.best_cost;
            self.best_at = self.iter;
        }
    }

    fn iterate(&mut self) {
        if self.serving {
            self.end_serving();
        }
        let mut cand = std::mem::take(&mut self.cand);
        cand.clone_from(&self.current);
        self.ruin(&mut cand);
        self.recreate(&mut cand);
        let cost = self.problem.cost(&cand);
        debug_assert!(self.problem.feasible(&cand));
        let t = self.temperature();
        let (abs_cand, abs_cur) = if cost.unserved > 0 || self.current_cost.unserved > 0 {
            (self.absence_sum(&cand), self.absence_sum(&self.current))
        } else {
            (0, 0)
        };
        let accept = if cost.unserved < self.current_cost.unserved {
            true
        } else if self.kick && cost.unserved > self.current_cost.unserved {
            // The kick: kept once, then served again by the rules above.
            self.kick = false;
            true
        } else if self.current_cost.unserved > 0 && abs_cand < abs_cur {
            // SISR's fleet minimisation: the tasks left out were left out less often so far,
            // even if there are more of them (the stubborn ones get in; the best solution is
            // kept apart, so nothing served is lost).
            true
        } else if cost.unserved != self.current_cost.unserved {
            false
        } else if cost.unserved > 0 && abs_cand != abs_cur {
            // As many unserved: prefer leaving out tasks that were left out less often (SISR's
            // absence counter), so that the search keeps trying to fit the stubborn ones.
            abs_cand < abs_cur
        } else if cost.moved != self.current_cost.moved {
            // Fewer jobs moved from the previous plan before any travel.
            cost.moved < self.current_cost.moved
        } else {
            let threshold = self.current_cost.travel as f64 - t * self.rng.unit().max(1e-12).ln();
            (cost.travel as f64) < threshold
        };
        if accept {
            std::mem::swap(&mut self.current, &mut cand);
            self.current_cost = cost;
            if cost < self.best_cost {
                self.best.clone_from(&self.current);
                self.best_cost = cost;
                self.best_at = self.iter;
            }
        }
        self.cand = cand;
        self.restart_if_stuck();
        for (a, on) in self.absence.iter_mut().zip(&self.current.on) {
            if on.is_empty() {
                *a += 1;
            }
        }
        let every = self
            .params
            .absence_half_life
            .saturating_mul(self.movable_tasks);
        if every > 0
            && self.iter > 0
            && self.iter.is_multiple_of(every)
            && self.best_cost.unserved > self.unservable
        {
            for a in &mut self.absence {
                *a /= 2;
            }
        }
    }

    /// The absences (iterations spent unserved) of the tasks `sol` leaves unserved.
    fn absence_sum(&self, sol: &Solution) -> u64 {
        self.absence
            .iter()
            .zip(&sol.on)
            .zip(&self.problem.tasks)
            .filter(|((_, on), k)| on.is_empty() && k.fixed.is_none())
            .map(|((a, _), _)| *a)
            .sum()
    }

    /// SISR's string removal around a random seed task.
    fn ruin(&mut self, sol: &mut Solution) {
        let p = &self.problem;
        self.removed.clear();
        let served: Vec<u32> = (0..p.tasks.len())
            .filter(|&t| {
                sol.on.get(t).is_some_and(|o| !o.is_empty())
                    && p.tasks.get(t).is_some_and(|k| k.fixed.is_none())
            })
            .map(idx)
            .collect();
        if served.is_empty() {
            return;
        }
        let used: Vec<usize> = sol
            .routes
            .iter()
            .map(|r| r.nodes.len())
            .filter(|&n| n > 0)
            .collect();
        let avg_len = used.iter().sum::<usize>() as f64 / used.len().max(1) as f64;
        // Long routes get longer strings and larger ruins (see `SearchParams::ruin_per_route`).
        let scaled = self.params.ruin_per_route * avg_len;
        let (max_string, avg_removed) = (
            self.params.max_string.max(scaled),
            self.params.avg_removed.max(scaled),
        );
        let ls_max = max_string.min(avg_len).max(1.0);
        let ks_max = (4.0 * avg_removed / (1.0 + ls_max) - 1.0).max(1.0);
        let ks = (self.rng.unit() * ks_max).floor() as usize + 1;

        // While tasks are left out, a ruin is now and then made around one of them (the room
        // it needs is near it); else around a random served task.
        let unserved: Vec<u32> = if self.params.seed_unserved_per_mille > 0 {
            (0..p.tasks.len())
                .filter(|&t| {
                    sol.on.get(t).is_some_and(|o| o.is_empty())
                        && p.tasks
                            .get(t)
                            .is_some_and(|k| k.fixed.is_none() && !k.can.is_empty())
                })
                .map(idx)
                .collect()
        } else {
            Vec::new()
        };
        let seed =
            if !unserved.is_empty() && self.rng.below(1000) < self.params.seed_unserved_per_mille {
                unserved.get(self.rng.below(idx(unserved.len())) as usize)
            } else {
                served.get(self.rng.below(idx(served.len())) as usize)
            };
        let Some(&seed) = seed else {
            return;
        };
        let near = near_of(&mut self.near, p, seed);
        let mut ruined: Vec<u32> = Vec::new();
        for &c in near {
            if ruined.len() >= ks {
                break;
            }
            let Some(on) = sol.on.get(c as usize) else {
                continue;
            };
            let Some(&v) = on.first() else { continue };
            if ruined.contains(&v) {
                continue;
            }
            let Some(route) = sol.routes.get(v as usize) else {
                continue;
            };
            let n = route.nodes.len();
            let Some(pos) = route.nodes.iter().position(|&x| x == c) else {
                continue;
            };
            let lt_max = ls_max.min(n as f64);
            let lt = ((self.rng.unit() * lt_max).floor() as usize + 1).min(n);
            let mut out: Vec<u32> = Vec::new();
            if lt >= 2 && self.rng.unit() < 0.5 && n > lt {
                // Split string: a string of lt + m with m kept in the middle.
                let mut m = 1usize;
                while lt + m < n && self.rng.unit() > self.params.split_depth {
                    m += 1;
                }
                let total = lt + m;
                let lo = window_start(&mut self.rng, pos, total, n);
                let keep_at = lo + self.rng.below(idx(lt + 1)) as usize;
                for (i, &x) in route.nodes.iter().enumerate().skip(lo).take(total) {
                    if i < keep_at || i >= keep_at + m {
                        out.push(x);
                    }
                }
            } else {
                let lo = window_start(&mut self.rng, pos, lt, n);
                out.extend(route.nodes.iter().skip(lo).take(lt).copied());
            }
            ruined.push(v);
            for x in out {
                let touched = p.remove(sol, x, false);
                if !touched.is_empty() {
                    self.removed.push(x);
                    for tv in touched {
                        if !ruined.contains(&tv) {
                            ruined.push(tv);
                        }
                    }
                }
            }
        }
        for &v in &ruined {
            p.repair(sol, v, &mut self.removed);
        }
    }

    /// Re-inserts the removed and every unserved task, in one of SISR's orders.
    fn recreate(&mut self, sol: &mut Solution) {
        let p = &self.problem;
        let mut todo: Vec<u32> = std::mem::take(&mut self.removed);
        for (t, on) in sol.on.iter().enumerate() {
            let t = idx(t);
            if on.is_empty() && !todo.contains(&t) && p.task(t).is_some_and(|k| k.fixed.is_none()) {
                todo.push(t);
            }
        }
        // Random order first (a Fisher-Yates shuffle), then maybe a stable sort.
        for i in (1..todo.len()).rev() {
            let j = self.rng.below(idx(i + 1)) as usize;
            todo.swap(i, j);
        }
        let key = |t: u32| {
            p.task(t).map_or((0, 0, 0), |k| {
                (
                    k.priority,
                    k.demand + k.service * i64::from(k.crew),
                    k.latest - k.earliest,
                )
            })
        };
        // While serving: often the tasks left out most so far first (they need the room).
        let absent_first = self.serving && self.rng.below(2) == 0;
        match self.rng.below(11) {
            _ if absent_first => {
                let absence = &self.absence;
                todo.sort_by_key(|&t| {
                    let (pr, _, _) = key(t);
                    let a = absence.get(t as usize).copied().unwrap_or(0);
                    (std::cmp::Reverse(pr), std::cmp::Reverse(a))
                });
            }
            0..=3 => {}
            4..=7 => todo.sort_by_key(|&t| {
                let (pr, size, _) = key(t);
                (std::cmp::Reverse(pr), std::cmp::Reverse(size))
            }),
            8..=9 => todo.sort_by_key(|&t| {
                let (pr, _, slack) = key(t);
                (std::cmp::Reverse(pr), slack)
            }),
            _ => todo.sort_by_key(|&t| {
                let (pr, _, slack) = key(t);
                (std::cmp::Reverse(pr), std::cmp::Reverse(slack))
            }),
        }
        // In the distance phase, once every task is served, a recreate that leaves some out
        // would be turned down: it is made again from the ruin, the tasks it left out first
        // (the rest in their order), up to `retries` times. (While some are left out, such a
        // recreate may be kept by the absence rule, which lets the stubborn ones in.)
        let retry = !self.serving
            && self.params.retry_left_out
            && self.current_cost.unserved <= self.unservable;
        if retry {
            self.ruined.clone_from(sol);
        }
        let blink = self.params.blink_per_mille;
        // Such a recreate is given up at its first task left out: the candidate would be
        // turned down (a kick due keeps it whole).
        let give_up = retry && self.params.give_up && !self.kick;
        let mut failed = place_all(p, sol, &todo, &mut self.rng, blink, give_up);
        if self.params.eject && self.best_cost.unserved > self.unservable {
            self.eject_left_out(sol);
        }
        let mut tries = if retry { self.params.retries } else { 0 };
        while tries > 0
            && (failed.is_some() || self.problem.cost(sol).unserved > self.current_cost.unserved)
        {
            let p = &self.problem;
            tries -= 1;
            match failed {
                // Given up: the task it stopped at first, the rest in their order.
                Some(i) => {
                    if i < todo.len() {
                        let t = todo.remove(i);
                        todo.insert(0, t);
                    }
                }
                None => {
                    let (mut first, rest): (Vec<u32>, Vec<u32>) = todo
                        .iter()
                        .partition(|&&t| sol.on.get(t as usize).is_some_and(|o| o.is_empty()));
                    first.extend(rest);
                    todo = first;
                }
            }
            sol.clone_from(&self.ruined);
            failed = place_all(p, sol, &todo, &mut self.rng, blink, give_up);
        }
    }
}

impl Search {
    /// The routes of the nearest served neighbours of `t` ([`EJECT_ROUTES`] at most): an
    /// ejection makes room where the task would be at home.
    fn near_routes(&mut self, sol: &Solution, t: u32) -> Vec<u32> {
        let mut routes: Vec<u32> = Vec::new();
        for &c in near_of(&mut self.near, &self.problem, t) {
            if let Some(&v) = sol.on.get(c as usize).and_then(|o| o.first()) {
                if !routes.contains(&v) {
                    routes.push(v);
                    if routes.len() >= EJECT_ROUTES {
                        break;
                    }
                }
            }
        }
        routes
    }

    /// The task `sol` leaves out longest so far goes in by ejecting a visit (on the routes
    /// near it) left out less often so far ([`super::eject`]), which is then put back where
    /// it fits, if anywhere. (One task per recreate: an ejection search costs a few
    /// iterations.)
    fn eject_left_out(&mut self, sol: &mut Solution) {
        let (p, absence) = (&self.problem, &self.absence);
        let left_out = |t: usize| {
            sol.on.get(t).is_some_and(|o| o.is_empty())
                && p.tasks
                    .get(t)
                    .is_some_and(|k| k.fixed.is_none() && !k.can.is_empty())
        };
        let Some(t) = (0..p.tasks.len())
            .filter(|&t| left_out(t))
            .map(idx)
            .max_by_key(|&t| (absence.get(t as usize), std::cmp::Reverse(t)))
        else {
            return;
        };
        let routes = self.near_routes(sol, t);
        let (p, absence) = (&self.problem, &self.absence);
        let weight = |u: u32| absence.get(u as usize).copied().unwrap_or(0);
        if let Some(e) = super::eject::best_ejection(p, sol, t, &routes, weight(t), &weight) {
            if let Some(u) = super::eject::eject(p, sol, t, e) {
                p.place(sol, u, &mut self.rng, self.params.blink_per_mille);
            }
        }
    }
}

/// `t`'s neighbours ([`neighbours`]), made on first use and kept in `near`.
fn near_of<'a>(near: &'a mut [Option<Vec<u32>>], p: &Problem, t: u32) -> &'a [u32] {
    match near.get_mut(t as usize) {
        Some(slot) => slot.get_or_insert_with(|| neighbours(p, t)),
        None => &[],
    }
}

/// The movable tasks whose windows are within a day of `seed`'s, nearest first (`seed`
/// itself first), [`NEAR_MAX`] at most.
fn neighbours(p: &Problem, seed: u32) -> Vec<u32> {
    let Some(k) = p.task(seed) else {
        return Vec::new();
    };
    let (loc, win) = (k.loc, (k.earliest, k.latest));
    let mut near: Vec<(i64, u32)> = p
        .tasks
        .iter()
        .enumerate()
        .filter(|(_, k)| {
            k.fixed.is_none() && k.latest + 86_400 >= win.0 && win.1 + 86_400 >= k.earliest
        })
        .map(|(t, k)| (p.travel.time(0, loc, k.loc), idx(t)))
        .collect();
    near.sort_unstable_by_key(|&(d, t)| (d, t != seed, t));
    near.truncate(NEAR_MAX);
    near.into_iter().map(|x| x.1).collect()
}

/// Places `todo` in order. With `give_up`, stops at the first task that finds no place
/// though some vehicle may serve it, and returns its index in `todo`.
fn place_all(
    p: &Problem,
    sol: &mut Solution,
    todo: &[u32],
    rng: &mut Rng,
    blink: u32,
    give_up: bool,
) -> Option<usize> {
    for (i, &t) in todo.iter().enumerate() {
        if !p.place(sol, t, rng, blink) && give_up && p.task(t).is_some_and(|k| !k.can.is_empty()) {
            return Some(i);
        }
    }
    None
}

/// A random window of `len` positions of a route of `n` that contains `pos`.
fn window_start(rng: &mut Rng, pos: usize, len: usize, n: usize) -> usize {
    let lo_min = (pos + 1).saturating_sub(len);
    let lo_max = pos.min(n.saturating_sub(len));
    if lo_max <= lo_min {
        lo_min
    } else {
        lo_min + rng.below(idx(lo_max - lo_min + 1)) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dispatch::vrp::{Task, Travel, Vehicle};

    /// `n` tasks at random points with wide windows, served by `m` vehicles from the origin.
    pub(super) fn problem(n: usize, m: u32) -> Problem {
        let mut rng = Rng::new(7);
        let points = std::iter::once(Some((0.0, 0.0)))
            .chain((0..n).map(|_| Some((f64::from(rng.below(100)), f64::from(rng.below(100))))))
            .collect();
        let vehicles = (0..m)
            .map(|v| Vehicle {
                worker: v,
                start_loc: 0,
                end_loc: 0,
                shifts: vec![(0, 10_000)],
                capacity: 100,
                max_work: 10_000,
                leader: true,
                mode: 0,
                skills: Vec::new(),
            })
            .collect();
        let tasks = (0..n)
            .map(|i| Task {
                loc: idx(i + 1),
                earliest: 0,
                latest: 9_000,
                service: 10,
                demand: 1,
                crew: 1,
                can: (0..m).collect(),
                fixed: None,
                priority: 0,
                prev: Vec::new(),
                need: Vec::new(),
            })
            .collect();
        Problem {
            tasks,
            vehicles,
            travel: Travel::on_plane(points, 1.0),
        }
    }

    fn search(tasks: usize, vehicles: u32, iterations: u64, lanes: u32) -> Search {
        Search::new(
            problem(tasks, vehicles),
            SearchParams {
                iterations,
                lanes,
                ..SearchParams::default()
            },
        )
    }

    /// How many lanes race after `steps` iterations of (tasks, vehicles) under `iterations`.
    fn check(size: (usize, u32), iterations: u64, lanes: u32, steps: u64, expected: usize) {
        let mut s = search(size.0, size.1, iterations, lanes);
        s.step(steps);
        let racing = if s.racing { s.rivals.len() + 1 } else { 1 };
        assert_eq!(
            racing, expected,
            "{size:?}, {iterations} iterations, {lanes} lanes after {steps}"
        );
        assert_eq!(s.progress().iterations, steps);
        // The lanes take turns: none is more than one iteration ahead of another.
        for r in &s.rivals {
            assert!(
                s.iter.abs_diff(r.iter) <= 1,
                "{} against {}",
                s.iter,
                r.iter
            );
        }
    }

    #[test]
    fn more_lanes_race_where_iterations_are_plenty() {
        // 60 tasks on one route: four lanes need a share of 1,200 iterations each, a horizon
        // of 9,600.
        let long = (60, 1);
        check(long, 20_000, 4, 50, 2); // two until the first lane's 100th iteration
        check(long, 20_000, 4, 1_000, 4);
        check(long, 9_600, 4, 600, 4);
        check(long, 9_599, 4, 600, 2);
        check(long, 20_000, 3, 1_000, 3);
        check(long, 20_000, 2, 1_000, 2);
        check(long, 20_000, 1, 1_000, 1);
        // The race over (four eighths of 20,000), one lane goes on.
        check(long, 20_000, 4, 10_001, 1);
        // Routes of fewer than 20 visits: two lanes, however many iterations.
        check((10, 3), 20_000, 4, 1_000, 2);
        check((19, 1), 20_000, 4, 1_000, 2);
        check((20, 1), 20_000, 4, 1_000, 4);
    }

    #[test]
    fn the_best_lane_goes_on() {
        let mut s = search(40, 1, 8_000, 4);
        s.step(3_999);
        assert!(s.racing);
        let best = s
            .rivals
            .iter()
            .map(|r| r.best_cost)
            .fold(s.best_cost, Cost::min);
        assert_eq!(s.best_cost(), best);
        s.step(1);
        s.step(1);
        assert!(!s.racing && s.rivals.is_empty());
        assert!(s.best_cost <= best);
        // Its schedule ends at the horizon: the others' iterations are spent.
        assert_eq!(s.params.iterations + s.raced, s.horizon);
    }

    #[test]
    fn the_plan_does_not_depend_on_the_steps() {
        let mut one = search(30, 1, 3_000, 4);
        one.step(3_000);
        let mut many = search(30, 1, 3_000, 4);
        while !many.done() {
            many.step(7);
        }
        assert_eq!(one.best_cost(), many.best_cost());
        assert_eq!(one.best().routes.len(), many.best().routes.len());
        for (a, b) in one.best().routes.iter().zip(&many.best().routes) {
            assert_eq!(a.nodes, b.nodes);
        }
    }
}

#[cfg(test)]
mod absence_tests {
    use super::*;

    /// The task left out in [`check`].
    #[derive(Clone, Copy)]
    enum Out {
        /// Its window opens after every shift: no plan serves every task.
        Late,
        /// No vehicle may serve it: every plan serves all the others.
        NoOne,
    }

    /// The absence count of the task `out`, after `steps` iterations of one lane, among four
    /// movable tasks, with `absence_half_life` at `half_life`.
    fn check(out: Out, half_life: u64, steps: u64, expected: u64) {
        let mut p = super::tests::problem(4, 1);
        if let Some(t) = p.tasks.get_mut(3) {
            match out {
                Out::Late => (t.earliest, t.latest) = (20_000, 20_000),
                Out::NoOne => t.can.clear(),
            }
        }
        let mut s = Search::new(
            p,
            SearchParams {
                iterations: 1_000,
                lanes: 1,
                absence_half_life: half_life,
                ..SearchParams::default()
            },
        );
        s.step(steps);
        assert_eq!(
            s.absence.get(3).copied(),
            Some(expected),
            "half-life {half_life}, {steps} steps"
        );
    }

    #[test]
    fn absence_counts_halve_until_every_task_is_served() {
        use Out::*;
        // Never halved: one per iteration.
        check(Late, 0, 40, 40);
        check(Late, 0, 41, 41);
        // 5 per movable task: halved every 20 iterations, at the 21st, 41st, 61st, ...
        check(Late, 5, 1, 1);
        check(Late, 5, 20, 20);
        check(Late, 5, 21, 10);
        check(Late, 5, 40, 29);
        check(Late, 5, 41, 15);
        check(Late, 5, 60, 34);
        check(Late, 5, 61, 17);
        // Not once the best serves every task some vehicle may serve.
        check(NoOne, 5, 21, 21);
        check(NoOne, 5, 61, 61);
    }
}
