//! Random small routing problems for the dispatch modules' property tests (native only:
//! proptest is not built for wasm).

use super::vrp::{idx, Problem, Task, Travel, Vehicle};

/// One drawn task: its point on a 50 × 50 grid, window start and width, service and demand.
pub(super) type Drawn = (i64, i64, i64, i64, i64, i64);

/// The shape every drawn problem shares: one depot at the grid's centre, each vehicle's day
/// 0–400 starting and ending there, task 0 locked to vehicle 0 at its window's start when
/// `lock`. With `varied`, every fourth task–vehicle pair is barred and every third task must
/// follow task 0.
pub(super) fn grid_problem(
    tasks: &[Drawn],
    vehicles: u32,
    capacity: i64,
    max_work: i64,
    lock: bool,
    varied: bool,
) -> Problem {
    let mut points = vec![Some((25.0, 25.0))];
    points.extend(tasks.iter().map(|t| Some((t.0 as f64, t.1 as f64))));
    Problem {
        tasks: tasks
            .iter()
            .enumerate()
            .map(|(k, t)| Task {
                loc: idx(k + 1),
                earliest: t.2,
                latest: t.2 + t.3,
                service: t.4,
                demand: t.5,
                crew: 1,
                can: (0..vehicles)
                    .filter(|v| !varied || (k + *v as usize) % 4 != 3)
                    .collect(),
                fixed: (lock && k == 0).then(|| (t.2, vec![0])),
                priority: 0,
                prev: if varied && k % 3 == 1 {
                    vec![0]
                } else {
                    Vec::new()
                },
                need: Vec::new(),
            })
            .collect(),
        vehicles: (0..vehicles)
            .map(|v| Vehicle {
                worker: v,
                start_loc: 0,
                end_loc: 0,
                shifts: vec![(0, 400)],
                capacity,
                max_work,
                leader: true,
                mode: 0,
                skills: Vec::new(),
            })
            .collect(),
        travel: Travel::on_plane(points, 1.0),
    }
}
