//! The Solomon VRPTW instances as the benches read them: the text format or mamut-routing's
//! JSON, made into the core's routing problem, and a plan's distance measured as the
//! best-known solutions measure it (real-valued Euclidean). Shared by the native table
//! (`benches/solomon.rs`, beside vrp-core) and the same runs in Chromium (`solomon_run`), so
//! both read and score an instance alike. No instance is compiled in: the caller hands in its
//! text.

use doorstep_core::dispatch::ruin::Search;
use doorstep_core::dispatch::vrp::{Problem, Task, Travel, Vehicle};

/// Solomon's units (distance = time) × this = the core's ticks and metres.
pub const SCALE: f64 = 1000.0;

#[derive(Clone, Debug)]
pub struct Instance {
    pub name: String,
    pub vehicles: u32,
    pub capacity: i64,
    /// Depot first: (x, y, demand, ready, due, service).
    pub rows: Vec<(f64, f64, i64, f64, f64, f64)>,
}

/// The same instance as mamut-routing keeps it (`benchmarks/VRPTW/Sintef2008/n=100/NAME.vrp.json`:
/// `num_vehicles`, `vehicle_capacity`, and per node, depot first, `coordinates`, `demands`,
/// `time_windows`, `service_times` in Solomon's own units), so `SOLOMON_DIR` may name that folder
/// of a clone.
pub fn parse_json(name: &str, text: &str) -> Option<Instance> {
    let v: serde_json::Value = serde_json::from_str(text).ok()?;
    let list = |k: &str| v.get(k).and_then(|x| x.as_array()).cloned();
    let (xy, q, tw, st) = (
        list("coordinates")?,
        list("demands")?,
        list("time_windows")?,
        list("service_times")?,
    );
    let num = |x: &serde_json::Value| x.as_f64();
    let mut rows: Vec<(f64, f64, i64, f64, f64, f64)> = Vec::with_capacity(xy.len());
    for (((c, d), w), s) in xy.iter().zip(&q).zip(&tw).zip(&st) {
        rows.push((
            num(c.get(0)?)?,
            num(c.get(1)?)?,
            d.as_i64()?,
            num(w.get(0)?)?,
            num(w.get(1)?)?,
            num(s)?,
        ));
    }
    if rows.len() != xy.len() || rows.len() < 2 {
        return None;
    }
    // The DIMACS 2021 copies (`"benchmark_name": "Dimacs2021"`) keep Solomon's coordinates but
    // give windows and service times ×10 (with `arc_costs` the truncated distances ×10): read
    // as they are, travel would be a tenth of Solomon's against the windows, a much looser
    // problem than the best known solutions are for. The factor is the one between `arc_costs`
    // and the coordinates' distances; times are divided by it, which gives Solomon's own data.
    let scale = time_scale(&v, &rows);
    if scale > 1.0 {
        for r in &mut rows {
            (r.3, r.4, r.5) = (r.3 / scale, r.4 / scale, r.5 / scale);
        }
    }
    Some(Instance {
        name: name.to_owned(),
        vehicles: u32::try_from(v.get("num_vehicles")?.as_u64()?).ok()?,
        capacity: v.get("vehicle_capacity")?.as_i64()?,
        rows,
    })
}

/// The factor between a JSON instance's `arc_costs` (if any) and the distances of its
/// coordinates, rounded (1 if they agree or there are none).
fn time_scale(v: &serde_json::Value, rows: &[(f64, f64, i64, f64, f64, f64)]) -> f64 {
    let Some(arcs) = v.get("arc_costs").and_then(|a| a.as_array()) else {
        return 1.0;
    };
    let mut ratios = Vec::new();
    for (a, row) in arcs.iter().zip(rows) {
        for (b, other) in a.as_array().into_iter().flatten().zip(rows) {
            let d = ((row.0 - other.0).powi(2) + (row.1 - other.1).powi(2)).sqrt();
            if let Some(c) = b.as_f64().filter(|_| d >= 5.0) {
                ratios.push(c / d);
            }
        }
    }
    median(ratios).round().max(1.0)
}

pub fn parse(name: &str, text: &str) -> Option<Instance> {
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    let mut vehicles = 0;
    let mut capacity = 0;
    let mut rows = Vec::new();
    while let Some(l) = lines.next() {
        if l.starts_with("NUMBER") {
            let v: Vec<i64> = lines
                .next()?
                .split_whitespace()
                .filter_map(|x| x.parse().ok())
                .collect();
            vehicles = u32::try_from(*v.first()?).ok()?;
            capacity = *v.get(1)?;
        } else if l.starts_with("CUST") {
            for l in lines.by_ref() {
                let v: Vec<f64> = l
                    .split_whitespace()
                    .filter_map(|x| x.parse().ok())
                    .collect();
                if v.len() >= 7 {
                    rows.push((v[1], v[2], v[3] as i64, v[4], v[5], v[6]));
                }
            }
            break;
        }
    }
    (rows.len() > 1).then(|| Instance {
        name: name.to_owned(),
        vehicles,
        capacity,
        rows,
    })
}

pub fn dist(i: &Instance, a: usize, b: usize) -> f64 {
    let (p, q) = (i.rows[a], i.rows[b]);
    ((p.0 - q.0).powi(2) + (p.1 - q.1).powi(2)).sqrt()
}

pub fn to_problem(i: &Instance, vehicles: u32) -> Problem {
    let t = |x: f64| (x * SCALE).round() as i64;
    let n = i.rows.len();
    let depot = i.rows[0];
    let tasks = (1..n)
        .map(|k| {
            let r = i.rows[k];
            Task {
                loc: k as u32,
                earliest: t(r.3),
                latest: t(r.4),
                service: t(r.5),
                demand: r.2,
                crew: 1,
                can: (0..vehicles).collect(),
                fixed: None,
                priority: 0,
                prev: Vec::new(),
                need: Vec::new(),
            }
        })
        .collect();
    let vehicles = (0..vehicles)
        .map(|v| Vehicle {
            worker: v,
            start_loc: 0,
            end_loc: 0,
            shifts: vec![(t(depot.3), t(depot.4))],
            capacity: i.capacity,
            max_work: i64::MAX,
            leader: true,
            mode: 0,
            skills: Vec::new(),
        })
        .collect();
    Problem {
        tasks,
        vehicles,
        travel: Travel::on_plane(
            i.rows
                .iter()
                .map(|r| Some((r.0 * SCALE, r.1 * SCALE)))
                .collect(),
            1.0,
        ),
    }
}

pub fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    if v.is_empty() {
        return f64::NAN;
    }
    v[v.len() / 2]
}

/// An instance from its file's text: mamut-routing's JSON if it is an object, else
/// Solomon's text format.
pub fn read(name: &str, text: &str) -> Option<Instance> {
    if text.trim_start().starts_with('{') {
        parse_json(name, text)
    } else {
        parse(name, text)
    }
}

/// The search's best plan: customers served, and its distance in Solomon's units.
pub fn measure(i: &Instance, search: &Search) -> (usize, f64) {
    let best = search.best();
    let mut distance = 0.0;
    for r in &best.routes {
        let mut at = 0usize;
        for &t in &r.nodes {
            let k = t as usize + 1;
            distance += dist(i, at, k);
            at = k;
        }
        if !r.nodes.is_empty() {
            distance += dist(i, at, 0);
        }
    }
    let served = best.on.iter().filter(|o| !o.is_empty()).count();
    (served, distance)
}
