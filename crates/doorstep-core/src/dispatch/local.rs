//! Exact local moves that polish a solution (the search applies them to each new best):
//!
//! * [`two_opt`] reverses a stretch of one route;
//! * [`or_opt`] moves a run of one to [`OR_OPT_MAX`] consecutive visits elsewhere in its route;
//! * [`relocate`] takes one visit out and puts it back at its cheapest place in any route;
//! * [`two_opt_star`] swaps the tails of two routes;
//! * [`insert_unserved`] puts a task left out in where the others made room.
//!
//! A candidate is first priced by the legs it changes, then checked exactly: the visits whose
//! order changes are walked at their earliest starts against their windows and shifts
//! ([`Problem::walk`]), the rest of the route by its latest starts ([`Problem::joins`]); then the
//! changed routes are recomputed, and the move is kept only when each is feasible (capacity and
//! work limit included) and the solution's cost ([`super::vrp::Cost`]: unserved, moved, travel)
//! is lower. So a move never makes a feasible solution infeasible and never makes it worse.
//! Locked visits never move and are never walked over; a crew visit (several vehicles at one
//! start) moves only within its route. Nothing here is random or reads a clock.

use super::vrp::{idx, Problem, Rng, Route, Solution};

/// Passes over all moves at most (a pass that improves nothing ends the descent).
const MAX_PASSES: usize = 64;

/// The longest run of visits [`or_opt`] moves.
pub const OR_OPT_MAX: usize = 3;

/// Applies the moves until none improves. Returns whether the solution changed.
pub fn improve(p: &Problem, sol: &mut Solution) -> bool {
    let mut changed = false;
    for _ in 0..MAX_PASSES {
        let mut better = false;
        for v in 0..p.vehicles.len() {
            better |= two_opt(p, sol, idx(v));
            better |= or_opt(p, sol, idx(v));
        }
        better |= relocate(p, sol);
        better |= two_opt_star(p, sol);
        better |= insert_unserved(p, sol);
        if !better {
            break;
        }
        changed = true;
    }
    changed
}

/// Whether task `t` may change vehicles: not locked, served by one vehicle.
fn movable(p: &Problem, t: u32) -> bool {
    p.task(t).is_some_and(|k| k.fixed.is_none() && k.crew <= 1)
}

/// The part of the cost ([`super::vrp::Cost`]) a move among routes `vs` can change: how many
/// of `tasks` (their visits, which stay served) are off their previous plan's vehicles, and
/// the routes' travel.
fn local_cost(p: &Problem, sol: &Solution, vs: &[u32], tasks: &[u32]) -> (usize, i64) {
    let moved = tasks
        .iter()
        .filter(|&&t| {
            p.task(t).is_some_and(|k| {
                !k.prev.is_empty()
                    && sol
                        .on
                        .get(t as usize)
                        .is_none_or(|on| on.is_empty() || Problem::moved(k, on))
            })
        })
        .count();
    let travel = vs
        .iter()
        .filter_map(|&v| sol.routes.get(v as usize))
        .map(|r| r.travel)
        .sum();
    (moved, travel)
}

/// Makes `edit` on the routes `vs` and keeps it when they stay feasible and the cost drops;
/// else puts them (and the vehicles of their visits) back as they were.
fn try_edit(p: &Problem, sol: &mut Solution, vs: &[u32], edit: impl FnOnce(&mut Solution)) -> bool {
    let routes: Vec<Route> = vs
        .iter()
        .filter_map(|&v| sol.routes.get(v as usize).cloned())
        .collect();
    let on: Vec<(u32, Vec<u32>)> = routes
        .iter()
        .flat_map(|r| r.nodes.iter())
        .filter_map(|&t| sol.on.get(t as usize).map(|o| (t, o.clone())))
        .collect();
    let tasks: Vec<u32> = on.iter().map(|x| x.0).collect();
    let before = local_cost(p, sol, vs, &tasks);
    edit(sol);
    let mut ok = true;
    for &v in vs {
        ok &= p.refresh(sol, v);
    }
    if ok && local_cost(p, sol, vs, &tasks) < before {
        return true;
    }
    for (&v, r) in vs.iter().zip(routes) {
        if let Some(slot) = sol.routes.get_mut(v as usize) {
            *slot = r;
        }
    }
    for (t, o) in on {
        if let Some(slot) = sol.on.get_mut(t as usize) {
            *slot = o;
        }
    }
    false
}

/// Intra-route 2-opt: reverses the visits `i..=j` of route `v` where that shortens it and
/// every visit still fits. First improvement, repeated until none. Returns whether it moved.
pub fn two_opt(p: &Problem, sol: &mut Solution, v: u32) -> bool {
    let Some(veh) = p.veh(v) else { return false };
    let (m, dense) = (veh.mode, p.travel.dense(veh.mode));
    let tt = |a: u32, b: u32| p.travel.time_in(dense, m, a, b);
    let mut changed = false;
    'restart: loop {
        let Some(r) = sol.routes.get(v as usize) else {
            return changed;
        };
        let (nodes, locs) = (r.nodes.clone(), r.locs.clone());
        let n = nodes.len();
        for i in 0..n {
            if p.is_fixed(nodes[i]) {
                continue;
            }
            let a = if i == 0 { veh.start_loc } else { locs[i - 1] };
            let (mut fwd, mut rev) = (0i64, 0i64);
            for j in i + 1..n {
                if p.is_fixed(nodes[j]) {
                    break;
                }
                fwd += tt(locs[j - 1], locs[j]);
                rev += tt(locs[j], locs[j - 1]);
                let b = locs.get(j + 1).copied().unwrap_or(veh.end_loc);
                let old = tt(a, locs[i]) + fwd + tt(locs[j], b);
                let new = tt(a, locs[j]) + rev + tt(locs[i], b);
                if new >= old {
                    continue;
                }
                let fits = p.at_before(sol, v, i).is_some_and(|at| {
                    p.walk(sol, v, at, nodes[i..=j].iter().rev().copied())
                        .is_some_and(|e| p.joins(sol, v, e, j + 1))
                });
                if fits
                    && try_edit(p, sol, &[v], |s| {
                        if let Some(r) = s.routes.get_mut(v as usize) {
                            r.nodes[i..=j].reverse();
                        }
                    })
                {
                    changed = true;
                    continue 'restart;
                }
            }
        }
        return changed;
    }
}

/// Intra-route or-opt: moves a run of 1 to [`OR_OPT_MAX`] consecutive visits of route `v`
/// (in its order) to another place in the route where that shortens it and every visit still
/// fits. First improvement, repeated until none. Returns whether it moved.
pub fn or_opt(p: &Problem, sol: &mut Solution, v: u32) -> bool {
    let Some(veh) = p.veh(v) else { return false };
    let (m, dense) = (veh.mode, p.travel.dense(veh.mode));
    let tt = |a: u32, b: u32| p.travel.time_in(dense, m, a, b);
    let mut changed = false;
    'restart: loop {
        let Some(r) = sol.routes.get(v as usize) else {
            return changed;
        };
        let (nodes, locs) = (r.nodes.clone(), r.locs.clone());
        let n = nodes.len();
        let before = |k: usize| if k == 0 { veh.start_loc } else { locs[k - 1] };
        let after = |k: usize| locs.get(k).copied().unwrap_or(veh.end_loc);
        for len in 1..=OR_OPT_MAX.min(n.saturating_sub(1)) {
            for i in 0..=n - len {
                let seg = &nodes[i..i + len];
                if seg.iter().any(|&t| p.is_fixed(t)) {
                    continue;
                }
                let (first, last) = (locs[i], locs[i + len - 1]);
                let (pl, nl) = (before(i), after(i + len));
                let gain = tt(pl, first) + tt(last, nl) - tt(pl, nl);
                if gain <= 0 {
                    continue;
                }
                for k in (0..=n).filter(|&k| k < i || k > i + len) {
                    let (a, b) = (before(k), after(k));
                    if tt(a, first) + tt(last, b) - tt(a, b) >= gain {
                        continue;
                    }
                    // The visits between the two places are walked too: they shift.
                    let fits = if k < i {
                        p.at_before(sol, v, k).is_some_and(|at| {
                            let seq = seg.iter().chain(&nodes[k..i]).copied();
                            p.walk(sol, v, at, seq)
                                .is_some_and(|e| p.joins(sol, v, e, i + len))
                        })
                    } else {
                        p.at_before(sol, v, i).is_some_and(|at| {
                            let seq = nodes[i + len..k].iter().chain(seg).copied();
                            p.walk(sol, v, at, seq)
                                .is_some_and(|e| p.joins(sol, v, e, k))
                        })
                    };
                    if !fits {
                        continue;
                    }
                    let mut moved: Vec<u32> = Vec::with_capacity(n);
                    if k < i {
                        moved.extend_from_slice(&nodes[..k]);
                        moved.extend_from_slice(seg);
                        moved.extend_from_slice(&nodes[k..i]);
                        moved.extend_from_slice(&nodes[i + len..]);
                    } else {
                        moved.extend_from_slice(&nodes[..i]);
                        moved.extend_from_slice(&nodes[i + len..k]);
                        moved.extend_from_slice(seg);
                        moved.extend_from_slice(&nodes[k..]);
                    }
                    if try_edit(p, sol, &[v], |s| {
                        if let Some(r) = s.routes.get_mut(v as usize) {
                            r.nodes = moved;
                        }
                    }) {
                        changed = true;
                        continue 'restart;
                    }
                }
            }
        }
        return changed;
    }
}

/// Puts each unserved task that now fits somewhere at its cheapest place (the moves above
/// may have made room). Returns whether any went in.
pub fn insert_unserved(p: &Problem, sol: &mut Solution) -> bool {
    // Blinks off: the generator is never drawn from.
    let mut rng = Rng::new(0);
    let mut changed = false;
    for t in 0..p.tasks.len() {
        let t = idx(t);
        if sol.on.get(t as usize).is_some_and(|o| o.is_empty())
            && p.task(t).is_some_and(|k| k.fixed.is_none())
        {
            changed |= p.place(sol, t, &mut rng, 0);
        }
    }
    changed
}

/// Relocate: takes each single-vehicle visit out in turn and puts it back at its cheapest
/// feasible place in any route that may take it (its own included, the previous plan's
/// vehicles first as in every insertion), kept where that lowers the cost. One pass over the
/// tasks. Returns whether any moved.
pub fn relocate(p: &Problem, sol: &mut Solution) -> bool {
    // Blinks off: the generator is never drawn from.
    let mut rng = Rng::new(0);
    let mut changed = false;
    for t in 0..p.tasks.len() {
        let t = idx(t);
        let Some(&[v]) = sol.on.get(t as usize).map(Vec::as_slice) else {
            continue;
        };
        if !movable(p, t) {
            continue;
        }
        let Some(old_v) = sol.routes.get(v as usize).cloned() else {
            continue;
        };
        let before = local_cost(p, sol, &[v], &[t]);
        p.remove(sol, t, false);
        let mut keep = false;
        let mut old_u: Option<(u32, Route)> = None;
        if p.refresh(sol, v) {
            if let Some(slot) = p.best_slot(sol, t, &mut rng, 0) {
                let u = slot.vehicle;
                let mut before = before;
                if u != v {
                    old_u = sol.routes.get(u as usize).cloned().map(|r| (u, r));
                    before.1 += old_u.as_ref().map_or(0, |r| r.1.travel);
                }
                p.insert(sol, t, None, &[slot]);
                let vs: &[u32] = if u == v { &[v] } else { &[v, u] };
                keep = local_cost(p, sol, vs, &[t]) < before;
            }
        }
        if keep {
            changed = true;
            continue;
        }
        // Put it back as it was.
        if let Some((u, r)) = old_u {
            if let Some(slot) = sol.routes.get_mut(u as usize) {
                *slot = r;
            }
        }
        if let Some(slot) = sol.routes.get_mut(v as usize) {
            *slot = old_v;
        }
        if let Some(on) = sol.on.get_mut(t as usize) {
            *on = vec![v];
        }
    }
    changed
}

/// 2-opt*: for two routes of vehicles with the same travel mode and end place, swaps their
/// tails (route `v` keeps its visits before `i` and takes `u`'s from `j` on, and the other way
/// round) where that shortens them and every visit still fits. Tails hold only visits that
/// may change vehicles and that the other vehicle may serve. The best swap of each pair of
/// routes, repeated until none. Returns whether any moved.
pub fn two_opt_star(p: &Problem, sol: &mut Solution) -> bool {
    let mut changed = false;
    for v in 0..p.vehicles.len() {
        for u in v + 1..p.vehicles.len() {
            while swap_tails(p, sol, idx(v), idx(u)) {
                changed = true;
            }
        }
    }
    changed
}

/// The best improving tail swap of routes `v` and `u` (see [`two_opt_star`]), made.
fn swap_tails(p: &Problem, sol: &mut Solution, v: u32, u: u32) -> bool {
    let (Some(vv), Some(vu)) = (p.veh(v), p.veh(u)) else {
        return false;
    };
    // Vehicles whose shifts never meet (other days) have no tail to swap.
    let span = |x: &super::vrp::Vehicle| {
        (
            x.shifts.first().map_or(i64::MAX, |s| s.0),
            x.shifts.last().map_or(i64::MIN, |s| s.1),
        )
    };
    let ((a0, a1), (b0, b1)) = (span(vv), span(vu));
    if vv.mode != vu.mode || vv.end_loc != vu.end_loc || a0 > b1 || b0 > a1 {
        return false;
    }
    let same_shape = vv.shifts == vu.shifts && vv.start_loc == vu.start_loc;
    let (m, dense) = (vv.mode, p.travel.dense(vv.mode));
    let tt = |a: u32, b: u32| p.travel.time_in(dense, m, a, b);
    let (Some(rv), Some(ru)) = (sol.routes.get(v as usize), sol.routes.get(u as usize)) else {
        return false;
    };
    if rv.nodes.is_empty() && ru.nodes.is_empty() {
        return false;
    }
    let (nv, nu) = (rv.nodes.len(), ru.nodes.len());
    // The first position from which the whole tail may go to the other vehicle.
    let tail_from = |r: &Route, other: u32| {
        r.nodes
            .iter()
            .rposition(|&t| !(movable(p, t) && p.task(t).is_some_and(|k| k.can.contains(&other))))
            .map_or(0, |x| x + 1)
    };
    let (iv, iu) = (tail_from(rv, u), tail_from(ru, v));
    let prefix = |r: &Route| {
        let mut acc = vec![0i64];
        for &t in &r.nodes {
            let d = p.task(t).map_or(0, |k| k.demand);
            acc.push(acc.last().copied().unwrap_or(0) + d);
        }
        acc
    };
    let (lv, lu) = (prefix(rv), prefix(ru));
    let (load_v, load_u) = (lv[nv], lu[nu]);
    let at_v = |i: usize| if i == 0 { vv.start_loc } else { rv.locs[i - 1] };
    let at_u = |j: usize| if j == 0 { vu.start_loc } else { ru.locs[j - 1] };
    let next_v = |i: usize| rv.locs.get(i).copied().unwrap_or(vv.end_loc);
    let next_u = |j: usize| ru.locs.get(j).copied().unwrap_or(vu.end_loc);
    // The best swap that fits (by the legs it changes).
    let mut found: Option<(i64, usize, usize)> = None;
    for (i, &pre_v) in lv.iter().enumerate().skip(iv) {
        for (j, &pre_u) in lu.iter().enumerate().skip(iu) {
            if (i == nv && j == nu) || (i == 0 && j == 0) {
                continue;
            }
            let (pv, xv, pu, yu) = (at_v(i), next_v(i), at_u(j), next_u(j));
            let delta = tt(pv, yu) + tt(pu, xv) - tt(pv, xv) - tt(pu, yu);
            if delta >= found.map_or(0, |f| f.0) {
                continue;
            }
            if pre_v + load_u - pre_u > vv.capacity || pre_u + load_v - pre_v > vu.capacity {
                continue;
            }
            let fits = |a: u32, ia: usize, b: u32, jb: usize, nb: usize| {
                p.at_before(sol, a, ia).is_some_and(|at| {
                    if same_shape {
                        // The other route's latest starts hold for this vehicle too.
                        p.joins(sol, b, at, jb)
                    } else {
                        let tail = sol
                            .routes
                            .get(b as usize)
                            .map_or(&[][..], |r| &r.nodes[jb..nb]);
                        p.walk(sol, a, at, tail.iter().copied())
                            .is_some_and(|e| p.joins(sol, a, e, usize::MAX))
                    }
                })
            };
            if fits(v, i, u, j, nu) && fits(u, j, v, i, nv) {
                found = Some((delta, i, j));
            }
        }
    }
    let Some((_, i, j)) = found else { return false };
    try_edit(p, sol, &[v, u], |s| {
        let tail_v: Vec<u32> = s
            .routes
            .get_mut(v as usize)
            .map_or(Vec::new(), |r| r.nodes.split_off(i));
        let tail_u: Vec<u32> = s
            .routes
            .get_mut(u as usize)
            .map_or(Vec::new(), |r| r.nodes.split_off(j));
        for &t in &tail_v {
            if let Some(on) = s.on.get_mut(t as usize) {
                *on = vec![u];
            }
        }
        for &t in &tail_u {
            if let Some(on) = s.on.get_mut(t as usize) {
                *on = vec![v];
            }
        }
        if let Some(r) = s.routes.get_mut(v as usize) {
            r.nodes.extend(tail_u);
        }
        if let Some(r) = s.routes.get_mut(u as usize) {
            r.nodes.extend(tail_v);
        }
    })
}

#[cfg(test)]
mod tests {
    use super::super::vrp::{Problem, Solution, Task, Travel, Vehicle};
    use super::*;

    /// A move as the tests call it.
    type Move = fn(&Problem, &mut Solution) -> bool;

    const MOVES: [(&str, Move); 5] = [
        ("2-opt", |p, s| two_opt(p, s, 0)),
        ("or-opt", |p, s| or_opt(p, s, 0)),
        ("relocate", relocate),
        ("2-opt*", two_opt_star),
        ("all", improve),
    ];

    /// Ticks per unit of the test's coordinates.
    const UNIT: f64 = 100.0;

    /// A depot at (0, 0) (location 0) and a task per point (task `k` at location `k + 1`):
    /// windows in units, no service, demand 1; `vehicles` alike, open 0..1000 units.
    fn problem(points: &[(f64, f64)], windows: &[(i64, i64)], vehicles: u32) -> Problem {
        let mut locs = vec![Some((0.0, 0.0))];
        locs.extend(points.iter().map(|&(x, y)| Some((x * UNIT, y * UNIT))));
        let u = UNIT as i64;
        Problem {
            tasks: (0..points.len())
                .map(|k| {
                    let (e, l) = windows.get(k).copied().unwrap_or((0, 1000));
                    Task {
                        loc: idx(k + 1),
                        earliest: e * u,
                        latest: l * u,
                        service: 0,
                        demand: 1,
                        crew: 1,
                        can: (0..vehicles).collect(),
                        fixed: None,
                        priority: 0,
                        prev: Vec::new(),
                        need: Vec::new(),
                    }
                })
                .collect(),
            vehicles: (0..vehicles)
                .map(|v| Vehicle {
                    worker: v,
                    start_loc: 0,
                    end_loc: 0,
                    shifts: vec![(0, 1000 * u)],
                    capacity: 100,
                    max_work: i64::MAX,
                    leader: true,
                    mode: 0,
                    skills: Vec::new(),
                })
                .collect(),
            travel: Travel::on_plane(locs, 1.0),
        }
    }

    /// `routes` as a solution of `p` (locked tasks pinned at their start), recomputed.
    fn solution(p: &Problem, routes: &[&[u32]]) -> Solution {
        let mut sol = p.empty();
        for r in &mut sol.routes {
            r.nodes.clear();
        }
        for (v, nodes) in routes.iter().enumerate() {
            for &t in *nodes {
                sol.on[t as usize] = vec![idx(v)];
                sol.pinned[t as usize] = p.tasks[t as usize].fixed.as_ref().map(|f| f.0);
            }
            sol.routes[v].nodes = nodes.to_vec();
        }
        for v in 0..p.vehicles.len() {
            assert!(p.refresh(&mut sol, idx(v)), "test routes must be feasible");
        }
        sol
    }

    /// Applies move `name` to `routes` and expects `expected` (the same routes: no move).
    fn check(name: &str, p: &Problem, routes: &[&[u32]], expected: &[&[u32]]) {
        let mv = MOVES
            .iter()
            .find(|m| m.0 == name)
            .map(|m| m.1)
            .expect("a move");
        let mut sol = solution(p, routes);
        let before = p.cost(&sol);
        let changed = mv(p, &mut sol);
        let got: Vec<&[u32]> = sol.routes.iter().map(|r| r.nodes.as_slice()).collect();
        assert_eq!(got, expected, "{name} on {routes:?}");
        assert_eq!(changed, routes != expected, "{name}: whether it changed");
        assert!(p.feasible(&sol));
        assert!(p.cost(&sol) <= before);
        for (v, r) in sol.routes.iter().enumerate() {
            for &t in &r.nodes {
                assert_eq!(
                    sol.on[t as usize],
                    vec![idx(v)],
                    "task {t} knows its vehicle"
                );
            }
        }
    }

    /// Four tasks on a line east of the depot.
    fn line(windows: &[(i64, i64)]) -> Problem {
        problem(
            &[(1.0, 0.0), (2.0, 0.0), (3.0, 0.0), (4.0, 0.0)],
            windows,
            1,
        )
    }

    /// Four tasks round a square with the depot at a corner: 0 (0, 4), 1 (4, 4), 2 (8, 4),
    /// 3 (8, 0). Task 0 must start by 5 (so the round goes one way); the best route is 0 1 2 3.
    fn square(windows: &[(i64, i64)]) -> Problem {
        let mut w = vec![(0, 5), (0, 1000), (0, 1000), (0, 1000)];
        for (k, &x) in windows.iter().enumerate() {
            w[k] = x;
        }
        problem(&[(0.0, 4.0), (4.0, 4.0), (8.0, 4.0), (8.0, 0.0)], &w, 1)
    }

    /// Windows that allow only 0 2 1 3 of the square: 1 opens at 20 and closes at 30, 2
    /// closes at 12, 3 opens at 25.
    const TIGHT: [(i64, i64); 4] = [(0, 5), (20, 30), (0, 12), (25, 1000)];

    #[test]
    fn two_opt_uncrosses_a_route_where_the_windows_allow() {
        check("2-opt", &square(&[]), &[&[0, 2, 1, 3]], &[&[0, 1, 2, 3]]);
        check("2-opt", &square(&[]), &[&[0, 3, 2, 1]], &[&[0, 1, 2, 3]]);
        check("2-opt", &square(&TIGHT), &[&[0, 2, 1, 3]], &[&[0, 2, 1, 3]]);
        check("2-opt", &square(&[]), &[&[0, 1, 2, 3]], &[&[0, 1, 2, 3]]);
    }

    #[test]
    fn two_opt_never_moves_a_locked_visit() {
        let mut p = line(&[]);
        p.tasks[2].fixed = Some((300, vec![0]));
        // 1 and 3 change places around the locked 2 (x = 1, 3, 4, 2: 8 instead of 10).
        check("2-opt", &p, &[&[0, 2, 1, 3]], &[&[0, 2, 3, 1]]);
    }

    #[test]
    fn or_opt_moves_a_run_to_its_cheapest_place() {
        check("or-opt", &square(&[]), &[&[0, 3, 1, 2]], &[&[0, 1, 2, 3]]);
        check("or-opt", &square(&[]), &[&[0, 1, 3, 2]], &[&[0, 1, 2, 3]]);
        check(
            "or-opt",
            &square(&TIGHT),
            &[&[0, 2, 1, 3]],
            &[&[0, 2, 1, 3]],
        );
    }

    #[test]
    fn relocate_moves_visits_onto_a_route_that_passes_by() {
        // Tasks 0 and 1 are north, 2 east; truck 1 passes by 0 on its way to 2 (0 must start
        // by 10, so it comes first).
        let p = problem(
            &[(0.0, 10.0), (1.0, 11.0), (10.0, 0.0)],
            &[(0, 10), (0, 1000), (0, 1000)],
            2,
        );
        check("relocate", &p, &[&[0], &[1, 2]], &[&[], &[0, 1, 2]]);
        check("relocate", &p, &[&[], &[0, 1, 2]], &[&[], &[0, 1, 2]]);
        // Each truck carries two: 1 goes to truck 0, which passes by it, and 0 stays.
        let mut small = p.clone();
        for v in &mut small.vehicles {
            v.capacity = 2;
        }
        check("relocate", &small, &[&[0], &[1, 2]], &[&[0, 1], &[2]]);
    }

    #[test]
    fn two_opt_star_swaps_crossing_tails() {
        // 0 north-west, 1 north-east, 2 south-west, 3 south-east.
        let p = problem(
            &[(-5.0, 10.0), (5.0, 10.0), (-5.0, -10.0), (5.0, -10.0)],
            &[],
            2,
        );
        check("2-opt*", &p, &[&[0, 3], &[2, 1]], &[&[0, 1], &[2, 3]]);
        check("2-opt*", &p, &[&[0, 1], &[2, 3]], &[&[0, 1], &[2, 3]]);
        // Only truck 1 may serve 1, only truck 0 may serve 3: no swap is allowed.
        let mut only = p.clone();
        only.tasks[1].can = vec![1];
        only.tasks[3].can = vec![0];
        check("2-opt*", &only, &[&[0, 3], &[2, 1]], &[&[0, 3], &[2, 1]]);
    }

    #[test]
    fn all_moves_together_reach_the_best_route() {
        check("all", &square(&[]), &[&[0, 3, 1, 2]], &[&[0, 1, 2, 3]]);
        check("all", &square(&TIGHT), &[&[0, 2, 1, 3]], &[&[0, 2, 1, 3]]);
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod props {
    use super::super::arb::grid_problem;
    use super::super::vrp::{Problem, Rng, Solution};
    use super::*;
    use proptest::prelude::*;

    /// Random small problems: up to 12 tasks on a 50 × 50 grid with random windows, service
    /// and demand, up to 3 vehicles of random capacity and work limit, task 0 maybe locked.
    fn arb_problem() -> impl Strategy<Value = (Problem, u64)> {
        let task = (0..50i64, 0..50i64, 0..200i64, 5..200i64, 0..15i64, 1..6i64);
        (
            prop::collection::vec(task, 2..12),
            1..4u32,
            5..40i64,
            100..600i64,
            any::<bool>(),
            any::<u64>(),
        )
            .prop_map(|(tasks, vehicles, capacity, max_work, lock, seed)| {
                (
                    grid_problem(&tasks, vehicles, capacity, max_work, lock, true),
                    seed,
                )
            })
    }

    /// Per task: whether it is served.
    fn served(sol: &Solution) -> Vec<bool> {
        sol.on.iter().map(|o| !o.is_empty()).collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

        /// Each move keeps a feasible solution feasible, never drops a served task, never
        /// raises the cost, and leaves a locked task where it was.
        #[test]
        fn a_move_never_breaks_or_worsens_a_solution((p, seed) in arb_problem()) {
            let mut rng = Rng::new(seed);
            let start = p.construct(&mut rng);
            prop_assert!(p.feasible(&start));
            let moves: [(&str, Move); 5] = [
                ("2-opt", |p, s| (0..p.vehicles.len()).fold(false, |c, v| two_opt(p, s, idx(v)) | c)),
                ("or-opt", |p, s| (0..p.vehicles.len()).fold(false, |c, v| or_opt(p, s, idx(v)) | c)),
                ("relocate", relocate),
                ("2-opt*", two_opt_star),
                ("all", improve),
            ];
            for (name, mv) in moves {
                let mut sol = start.clone();
                mv(&p, &mut sol);
                prop_assert!(p.feasible(&sol), "{} made it infeasible", name);
                prop_assert!(p.cost(&sol) <= p.cost(&start), "{} made it worse", name);
                // Nothing served is dropped; only `improve` (which puts the unserved in where
                // the moves made room) may serve more.
                for (t, (after, before)) in served(&sol).iter().zip(served(&start)).enumerate() {
                    prop_assert!(*after || !before, "{} dropped task {}", name, t);
                    prop_assert!(name == "all" || *after == before, "{} served task {}", name, t);
                }
                if p.tasks[0].fixed.is_some() {
                    prop_assert_eq!(&sol.on[0], &start.on[0]);
                    prop_assert_eq!(sol.pinned[0], start.pinned[0]);
                    let at = |s: &Solution| s.routes[0].nodes.iter().position(|&t| t == 0).map(|i| s.routes[0].start[i]);
                    prop_assert_eq!(at(&sol), at(&start), "{} moved the locked task", name);
                }
            }
        }
    }

    type Move = fn(&Problem, &mut Solution) -> bool;

    /// The property above is not vacuous: on the problems it draws, the moves do change the
    /// constructed solutions now and then.
    #[test]
    fn the_drawn_problems_give_the_moves_work() {
        use proptest::strategy::ValueTree;
        let mut runner = proptest::test_runner::TestRunner::deterministic();
        let mut improved = 0;
        for _ in 0..200 {
            let (p, seed) = arb_problem()
                .new_tree(&mut runner)
                .expect("a problem")
                .current();
            let mut sol = p.construct(&mut Rng::new(seed));
            let before = p.cost(&sol);
            if improve(&p, &mut sol) && p.cost(&sol) < before {
                improved += 1;
            }
        }
        assert!(improved >= 20, "only {improved} of 200 improved");
    }
}
