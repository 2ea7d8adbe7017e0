#![cfg(not(target_arch = "wasm32"))]
//! The routing model's insertions: a route updated after an insertion (incrementally) is the
//! route a full refresh computes, on random problems with split shifts, locked visits, crews,
//! work caps and start places that differ from end places.

use doorstep_core::dispatch::vrp::{Problem, Rng, Task, Travel, Vehicle, NO_LOC};
use proptest::prelude::*;

/// A random problem from `seed`: `n` tasks, `m` vehicles (of `m - 1` workers at most).
fn problem(seed: u64, n: usize, m: usize, locked: bool) -> Problem {
    let mut rng = Rng::new(seed);
    let locs = n + 2;
    let points = (0..locs)
        .map(|_| Some((f64::from(rng.below(100)), f64::from(rng.below(100)))))
        .collect();
    let vehicles: Vec<Vehicle> = (0..m)
        .map(|v| {
            let split = rng.below(3) == 0;
            Vehicle {
                worker: (v as u32).min(rng.below(m as u32)),
                start_loc: if rng.below(5) == 0 { NO_LOC } else { 0 },
                end_loc: if rng.below(3) == 0 { 1 } else { 0 },
                shifts: if split {
                    vec![(0, 300), (400, 900)]
                } else {
                    vec![(0, 600 + i64::from(rng.below(400)))]
                },
                capacity: 20 + i64::from(rng.below(60)),
                max_work: 300 + i64::from(rng.below(900)),
                leader: rng.below(4) != 0,
                mode: 0,
                skills: Vec::new(),
            }
        })
        .collect();
    let tasks = (0..n)
        .map(|i| {
            let earliest = i64::from(rng.below(800));
            let latest = earliest + i64::from(rng.below(300));
            let service = 1 + i64::from(rng.below(30));
            let crew = if rng.below(8) == 0 { 2 } else { 1 };
            let can: Vec<u32> = (0..m as u32).filter(|_| rng.below(5) != 0).collect();
            let fixed = (locked && rng.below(10) == 0)
                .then(|| can.first().map(|&v| (earliest, vec![v])))
                .flatten();
            Task {
                loc: (i + 2) as u32,
                earliest,
                latest,
                service,
                demand: i64::from(rng.below(10)),
                crew: if fixed.is_some() { 1 } else { crew },
                can,
                fixed,
                priority: 0,
                prev: Vec::new(),
                need: Vec::new(),
            }
        })
        .collect();
    let mut travel = Travel::on_plane(points, 1.5);
    travel.prepare(&[0]);
    Problem {
        tasks,
        vehicles,
        travel,
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn an_insertion_leaves_its_route_as_a_full_refresh_would(
        seed in any::<u64>(),
        n in 1usize..40,
        m in 1usize..5,
        locked in any::<bool>(),
    ) {
        let p = problem(seed, n, m, locked);
        let mut rng = Rng::new(seed ^ 0x5EED);
        let mut sol = p.empty();
        let full = |sol: &doorstep_core::dispatch::vrp::Solution| {
            let mut copy = sol.clone();
            for v in 0..p.vehicles.len() {
                p.refresh(&mut copy, v as u32);
            }
            copy
        };
        // Insert everything in a random order, then take some out and put them back.
        for round in 0..3 {
            for _ in 0..n {
                let t = rng.below(n as u32);
                if round > 0 && rng.below(2) == 0 {
                    // As the search takes visits out: the routes repaired after.
                    let mut out = Vec::new();
                    for v in p.remove(&mut sol, t, false) {
                        p.repair(&mut sol, v, &mut out);
                    }
                }
                let before = sol.clone();
                let placed = p.place(&mut sol, t, &mut rng, 10);
                prop_assert_eq!(&sol, &full(&sol));
                if !locked {
                    prop_assert!(p.feasible(&sol));
                }
                if !placed {
                    prop_assert_eq!(&sol, &before);
                }
            }
        }
    }
}
