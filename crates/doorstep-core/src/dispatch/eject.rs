//! Insertion with one ejection: a task that fits nowhere goes in where one visit of a route
//! is taken out to make room (the ejection pool idea of Nagata & Bräysy 2009 for route
//! minimisation, with one visit at a time). The visit taken out is the one whose `weight`
//! (the search's absence counter: how long it was left out so far) is lowest, then the one
//! that adds the least travel, so that stubborn tasks get in at the expense of easy ones.
//!
//! A candidate is checked exactly as the local moves check theirs: the visits whose start
//! may change are walked at their earliest starts ([`Problem::walk`]), the rest of the route
//! by its latest starts ([`Problem::joins`]); capacity and the work limit by their totals.
//! Only single-vehicle tasks that are not locked take part. Nothing here is random.

use super::vrp::{Problem, Solution};

/// The farthest apart (in positions of the route) the visit taken out and `t`'s place are:
/// the search costs the route's length times this, not its square (on Solomon RC202, routes
/// of 33, all pairs made the first iterations 8× as slow as the rest, and a time budget's
/// schedule is laid from their rate).
pub const SPAN: usize = 8;

/// Where `t` goes in and which visit makes room for it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Ejection {
    pub vehicle: u32,
    /// The position (in the route as it is) of the visit taken out.
    pub out: usize,
    /// The position (in the route as it is) `t` goes in before.
    pub at: usize,
    /// The weight of the visit taken out.
    pub weight: u64,
    /// The travel added.
    pub delta: i64,
}

/// Whether `t` is a single-vehicle task that is not locked.
fn single(p: &Problem, t: u32) -> bool {
    p.task(t).is_some_and(|k| k.fixed.is_none() && k.crew <= 1)
}

/// The ejection that lets unserved `t` into one of `routes` with the lowest (weight, added
/// travel), among visits whose weight is below `limit` and at most [`SPAN`] places from
/// where `t` goes. `None` if there is none (or `t` is
/// not a single-vehicle task).
///
/// Per route, two sweeps with the starts carried along (each candidate costs one step of a
/// walk and one check of the rest): `t` before the visit taken out (walked from its place to
/// the visit after the one taken out), and `t` after it (walked from the one taken out to
/// `t`'s place).
pub fn best_ejection(
    p: &Problem,
    sol: &Solution,
    t: u32,
    routes: &[u32],
    limit: u64,
    weight: &dyn Fn(u32) -> u64,
) -> Option<Ejection> {
    if !single(p, t) || sol.on.get(t as usize).is_none_or(|o| !o.is_empty()) {
        return None;
    }
    let task = p.task(t)?;
    let mut best: Option<Ejection> = None;
    for &v in routes {
        if !task.can.contains(&v) {
            continue;
        }
        let (Some(veh), Some(r)) = (p.veh(v), sol.routes.get(v as usize)) else {
            continue;
        };
        let n = r.nodes.len();
        let m = veh.mode;
        let d = |a: u32, b: u32| p.travel.time(m, a, b);
        let loc = |i: usize| r.locs.get(i).copied();
        let prev_loc = |i: usize| match i.checked_sub(1) {
            Some(j) => loc(j),
            None => Some(veh.start_loc),
        };
        let next_loc = |i: usize| if i < n { loc(i) } else { Some(veh.end_loc) };
        // Per visit: its weight if it may be taken out (and `t` then fits the load), and the
        // travel saved by taking it out.
        let outs: Vec<Option<(u64, i64, i64)>> = (0..n)
            .map(|j| {
                let u = *r.nodes.get(j)?;
                if !single(p, u) || sol.on.get(u as usize).is_none_or(|o| o.len() != 1) {
                    return None;
                }
                let w = weight(u);
                let ku = p.task(u)?;
                if w >= limit || r.load - ku.demand + task.demand > veh.capacity {
                    return None;
                }
                let (a, b, x) = (prev_loc(j)?, next_loc(j + 1)?, loc(j)?);
                Some((w, d(a, b) - d(a, x) - d(x, b), ku.service))
            })
            .collect();
        let mut consider = |j: usize, at: usize, ok: &dyn Fn() -> bool| {
            let Some(Some((w, out_delta, service))) = outs.get(j).copied() else {
                return;
            };
            let (pa, pb) = if at == j {
                (prev_loc(j), next_loc(j + 1))
            } else {
                (prev_loc(at), next_loc(at))
            };
            let (Some(pa), Some(pb)) = (pa, pb) else {
                return;
            };
            let delta = out_delta + d(pa, task.loc) + d(task.loc, pb) - d(pa, pb);
            if best.is_some_and(|b| (w, delta) >= (b.weight, b.delta))
                || r.travel + r.work + delta + task.service - service > veh.max_work
                || !ok()
            {
                return;
            }
            best = Some(Ejection {
                vehicle: v,
                out: j,
                at,
                weight: w,
                delta,
            });
        };
        // `t` at `at`, the visit at `j >= at` taken out: `t`, the visits `at..j`, then the
        // rest from `j + 1` as it is.
        for at in 0..n {
            let Some(mut w) = p.at_before(sol, v, at).and_then(|s| p.walk(sol, v, s, [t])) else {
                continue;
            };
            for j in at..n.min(at + SPAN + 1) {
                if j > at {
                    let Some(next) = r.nodes.get(j - 1).and_then(|&x| p.walk(sol, v, w, [x]))
                    else {
                        break;
                    };
                    w = next;
                }
                consider(j, at, &|| p.joins(sol, v, w, j + 1));
            }
        }
        // The visit at `j` taken out, `t` at `at >= j + 2`: the visits `j + 1..at`, `t`, then
        // the rest from `at` as it is.
        for j in 0..n {
            let Some(mut w) = p.at_before(sol, v, j) else {
                continue;
            };
            for at in j + 2..=n.min(j + SPAN) {
                let Some(next) = r.nodes.get(at - 1).and_then(|&x| p.walk(sol, v, w, [x])) else {
                    break;
                };
                w = next;
                consider(j, at, &|| {
                    p.walk(sol, v, w, [t])
                        .is_some_and(|s| p.joins(sol, v, s, at))
                });
            }
        }
    }
    best
}

/// Makes ejection `e` for `t`: the visit at `e.out` is taken out (unserved) and `t` goes in.
/// Returns the task taken out; `None` (and `sol` as it was) if the route would not be
/// feasible.
pub fn eject(p: &Problem, sol: &mut Solution, t: u32, e: Ejection) -> Option<u32> {
    let v = e.vehicle;
    let old = sol.routes.get(v as usize)?.clone();
    let u = *old.nodes.get(e.out)?;
    let r = sol.routes.get_mut(v as usize)?;
    r.nodes.remove(e.out);
    let at = if e.at > e.out { e.at - 1 } else { e.at };
    r.nodes.insert(at.min(r.nodes.len()), t);
    if !p.refresh(sol, v) {
        if let Some(slot) = sol.routes.get_mut(v as usize) {
            *slot = old;
        }
        return None;
    }
    if let Some(on) = sol.on.get_mut(u as usize) {
        on.clear();
    }
    if let Some(x) = sol.pinned.get_mut(u as usize) {
        *x = None;
    }
    if let Some(on) = sol.on.get_mut(t as usize) {
        *on = vec![v];
    }
    if let Some(x) = sol.pinned.get_mut(t as usize) {
        *x = None;
    }
    Some(u)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::super::arb::grid_problem;
    use super::*;
    use crate::dispatch::vrp::{idx, Rng};
    use proptest::prelude::*;

    /// Random small problems with more tasks than the vehicles take: up to 16 tasks on a
    /// 50 × 50 grid with random windows, service and demand, 1 or 2 vehicles, task 0 maybe
    /// locked.
    fn arb_problem() -> impl Strategy<Value = (Problem, u64)> {
        let task = (0..50i64, 0..50i64, 0..250i64, 5..120i64, 0..15i64, 1..6i64);
        (
            prop::collection::vec(task, 4..16),
            1..3u32,
            10..40i64,
            any::<bool>(),
            any::<u64>(),
        )
            .prop_map(|(tasks, vehicles, capacity, lock, seed)| {
                (
                    grid_problem(&tasks, vehicles, capacity, 350, lock, false),
                    seed,
                )
            })
    }

    /// The best (weight, added travel) by trying every ejection and recomputing the route.
    fn brute(
        p: &Problem,
        sol: &Solution,
        t: u32,
        weight: &dyn Fn(u32) -> u64,
    ) -> Option<(u64, i64)> {
        let mut best: Option<(u64, i64)> = None;
        for v in 0..p.vehicles.len() {
            let r = &sol.routes[v];
            for j in 0..r.nodes.len() {
                let u = r.nodes[j];
                if p.tasks[u as usize].fixed.is_some() {
                    continue;
                }
                for at in 0..=r.nodes.len() {
                    if at.abs_diff(j) > SPAN {
                        continue;
                    }
                    let mut s = sol.clone();
                    let nodes = &mut s.routes[v].nodes;
                    nodes.remove(j);
                    nodes.insert(if at > j { at - 1 } else { at }, t);
                    s.on[u as usize].clear();
                    s.on[t as usize] = vec![idx(v)];
                    if p.refresh(&mut s, idx(v)) {
                        let c = (weight(u), s.routes[v].travel - r.travel);
                        best = Some(best.map_or(c, |b| b.min(c)));
                    }
                }
            }
        }
        best
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

        /// The ejection found is the best there is (where nothing is locked), and making it
        /// keeps the solution feasible: the task goes in, the one taken out is left out, the rest stay.
        #[test]
        fn the_best_ejection_is_found_and_is_feasible((p, seed) in arb_problem()) {
            let sol = p.construct(&mut Rng::new(seed));
            let weight = |u: u32| u64::from(u * 7 % 5);
            let all: Vec<u32> = (0..p.vehicles.len()).map(idx).collect();
            for t in 0..p.tasks.len() {
                let t = idx(t);
                if !sol.on[t as usize].is_empty() || p.tasks[t as usize].fixed.is_some() {
                    continue;
                }
                let found = best_ejection(&p, &sol, t, &all, u64::MAX, &weight);
                let exact = brute(&p, &sol, t, &weight);
                if p.tasks[0].fixed.is_none() {
                    prop_assert_eq!(found.map(|e| (e.weight, e.delta)), exact);
                } else {
                    // A locked visit is never walked over: around one, fewer are found.
                    prop_assert!(found.is_none_or(|e| Some((e.weight, e.delta)) >= exact));
                }
                let Some(e) = found else { continue };
                let mut after = sol.clone();
                let u = eject(&p, &mut after, t, e);
                prop_assert!(u.is_some(), "the ejection found was not feasible");
                let u = u.unwrap_or(0);
                prop_assert!(p.feasible(&after));
                prop_assert_eq!(&after.on[t as usize], &vec![e.vehicle]);
                prop_assert!(after.on[u as usize].is_empty());
                for k in 0..p.tasks.len() {
                    if k != t as usize && k != u as usize {
                        prop_assert_eq!(after.on[k].is_empty(), sol.on[k].is_empty());
                    }
                }
                // Under a limit, only lighter visits are taken out.
                let limit = weight(u);
                if let Some(e) = best_ejection(&p, &sol, t, &all, limit, &weight) {
                    prop_assert!(e.weight < limit);
                }
            }
        }
    }

    /// The property above is not vacuous: the drawn problems leave tasks out that an
    /// ejection lets in.
    #[test]
    fn the_drawn_problems_have_ejections() {
        use proptest::strategy::ValueTree;
        let mut runner = proptest::test_runner::TestRunner::deterministic();
        let mut found = 0;
        for _ in 0..200 {
            let (p, seed) = arb_problem()
                .new_tree(&mut runner)
                .expect("a problem")
                .current();
            let sol = p.construct(&mut Rng::new(seed));
            let all: Vec<u32> = (0..p.vehicles.len()).map(idx).collect();
            let any = (0..p.tasks.len()).any(|t| {
                sol.on[t].is_empty()
                    && best_ejection(&p, &sol, idx(t), &all, u64::MAX, &|_| 0).is_some()
            });
            found += usize::from(any);
        }
        assert!(found >= 40, "only {found} of 200");
    }
}
