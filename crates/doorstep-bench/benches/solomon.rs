//! `cargo bench -p doorstep-bench --bench solomon`: Doorstep's routed planner on the Solomon
//! VRPTW instances with 100 customers, beside vrp-core on the same instances and time budget.
//!
//! Instances: the Solomon text files (`C101.txt` …, or mamut-routing's `C101.vrp.json`) in `$SOLOMON_DIR` if set, else in
//! `../shared/solomon` beside the repository (the steering repo's shared folder, where they are
//! kept with a README naming their source), else in `.bench-cache/solomon/` of the workspace.
//! Nothing is downloaded here and no instance is committed. Without them the bench says so loudly
//! and runs on *generated* Solomon-like instances instead, which have no best-known solution: the
//! gap is then to the better of the two solvers.
//!
//! Best-known solutions ([`BKS`], [`BKS_SOURCE`]): SINTEF TOP's "Solomon benchmark, 100 customers"
//! with its convention: hierarchical objective (vehicles first, then distance), distances and
//! times real-valued Euclidean in double precision (not truncated, not rounded to integers). The
//! numbers are not typed from a table: they are the distances of the published detailed solutions
//! (SINTEF's, as collected in GitHub `anr-mamut/mamut-routing` at commit
//! 48b4d3ae077261a1b2e34cd573e36d745173cae9, `benchmarks/VRPTW/Sintef2008/n=100/*.bks.*.json`;
//! C104/RC104 via CVRPLIB, R112/R211 from Z. J. Czech), each replayed on the instance files above
//! (all customers once, capacity, windows, depot due time: all 56 feasible) and recomputed. A
//! `bks.txt` beside the instances (`NAME VEHICLES DISTANCE` per line) overrides them.
//!
//! Workforce: the best-known number of vehicles. Doorstep: one thread; the time budget
//! (`SOLOMON_BUDGET_MS`, default 2000, construction included) is spent by the core's
//! `dispatch::budget::spend` (the schedule laid over the time left at the measured rate).
//! vrp-core: its default solver with the same time limit.
//!
//! `SOLOMON_CLOCK=cpu` measures Doorstep's budget in its thread's CPU time (Linux), for a
//! shared machine; the ms column then shows wall time. `SOLOMON_ONLY=C101,R101` limits the run; `SOLOMON_PEER=0` leaves vrp-core out;
//! `SOLOMON_ITERS=N` runs Doorstep for N iterations instead of the budget (for A/B comparisons);
//! `SOLOMON_SEED=N` seeds its search (default 1); `SOLOMON_T0`, `SOLOMON_TF`, `SOLOMON_SU`, `SOLOMON_LMAX`,
//! `SOLOMON_CBAR` override `SearchParams::t_start`, `t_final`, `seed_unserved_per_mille`, `max_string` and
//! `avg_removed` (for tuning); `SOLOMON_RESTART` overrides `restart_per_mille`, `SOLOMON_RETRY=0` turns `retry_left_out` off, `SOLOMON_RETRIES` overrides `retries`, `SOLOMON_RPR` overrides `ruin_per_route`; `SOLOMON_LOCAL=0` leaves out the final polish by local moves; `SOLOMON_KICK=0` turns `kick` off, `SOLOMON_RACE` overrides `race_per_mille` (each lane's share of the race; 0: one lane), `SOLOMON_LANES` overrides `lanes`; `SOLOMON_EJECT=0` turns `eject` off; `SOLOMON_GIVE_UP=0` turns `give_up` off; `SOLOMON_HALF_LIFE` overrides `absence_half_life` (0: never halved). Prints a table and one JSON line last.

use doorstep_core::dispatch::budget::spend;
use doorstep_core::dispatch::ruin::{Search, SearchParams};
#[path = "../src/solomon.rs"]
mod instance;

use instance::{dist, median, to_problem, Instance};
use std::collections::BTreeMap;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Where [`BKS`] comes from (printed with the table).
const BKS_SOURCE: &str = "SINTEF TOP Solomon 100-customer best-known solutions (hierarchical: vehicles, then distance; real-valued Euclidean), detailed routes from github.com/anr-mamut/mamut-routing@48b4d3ae benchmarks/VRPTW/Sintef2008/n=100, replayed and recomputed";

/// (name, vehicles, distance): the best known, 100 customers (see the module doc).
const BKS: [(&str, u32, f64); 56] = [
    ("C101", 10, 828.9369),
    ("C102", 10, 828.9369),
    ("C103", 10, 828.0649),
    ("C104", 10, 824.7767),
    ("C105", 10, 828.9369),
    ("C106", 10, 828.9369),
    ("C107", 10, 828.9369),
    ("C108", 10, 828.9369),
    ("C109", 10, 828.9369),
    ("C201", 3, 591.5566),
    ("C202", 3, 591.5566),
    ("C203", 3, 591.1734),
    ("C204", 3, 590.5987),
    ("C205", 3, 588.8760),
    ("C206", 3, 588.4928),
    ("C207", 3, 588.2863),
    ("C208", 3, 588.3238),
    ("R101", 19, 1650.7992),
    ("R102", 17, 1486.1195),
    ("R103", 13, 1292.6755),
    ("R104", 9, 1007.3106),
    ("R105", 14, 1377.1110),
    ("R106", 12, 1252.0307),
    ("R107", 10, 1104.6560),
    ("R108", 9, 960.8758),
    ("R109", 11, 1194.7341),
    ("R110", 10, 1118.8386),
    ("R111", 10, 1096.7266),
    ("R112", 9, 982.1397),
    ("R201", 4, 1252.3712),
    ("R202", 3, 1191.7030),
    ("R203", 3, 939.5033),
    ("R204", 2, 825.5193),
    ("R205", 3, 994.4277),
    ("R206", 3, 906.1421),
    ("R207", 2, 890.6083),
    ("R208", 2, 726.8228),
    ("R209", 3, 909.1634),
    ("R210", 3, 939.3727),
    ("R211", 2, 885.7114),
    ("RC101", 14, 1696.9492),
    ("RC102", 12, 1554.7472),
    ("RC103", 11, 1261.6719),
    ("RC104", 10, 1135.4794),
    ("RC105", 13, 1629.4364),
    ("RC106", 11, 1424.7337),
    ("RC107", 11, 1230.4775),
    ("RC108", 10, 1139.8214),
    ("RC201", 4, 1406.9401),
    ("RC202", 3, 1365.6450),
    ("RC203", 3, 1049.6242),
    ("RC204", 3, 798.4636),
    ("RC205", 4, 1297.6477),
    ("RC206", 3, 1146.3172),
    ("RC207", 3, 1061.1446),
    ("RC208", 3, 828.1414),
];

/// Ticks per Solomon unit of distance and time.
/// The instance in Solomon's text format with `vehicles` vehicles (for vrp-core's reader).
fn to_text(i: &Instance, vehicles: u32) -> String {
    let mut s = format!(
        "{}\n\nVEHICLE\nNUMBER     CAPACITY\n  {}         {}\n\nCUSTOMER\nCUST NO.  XCOORD.   YCOORD.    DEMAND   READY TIME  DUE DATE   SERVICE   TIME\n\n",
        i.name, vehicles, i.capacity
    );
    for (k, r) in i.rows.iter().enumerate() {
        s += &format!("{k} {} {} {} {} {} {}\n", r.0, r.1, r.2, r.3, r.4, r.5);
    }
    s
}

struct Run {
    served: usize,
    distance: f64,
    ms: f64,
    iterations: u64,
}

/// This thread's CPU time in ms (Linux `/proc/thread-self/schedstat`, nanoseconds on CPU).
fn thread_cpu_ms() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: f64 = s.split_whitespace().next()?.parse().ok()?;
    Some(ns / 1e6)
}

/// The setting `name` from the environment, else `default` (unset or unreadable).
fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

/// The switch `name`: `0` turns it off, any other value on; unset, `default`.
fn env_switch(name: &str, default: bool) -> bool {
    std::env::var(name).map_or(default, |v| v != "0")
}

fn doorstep(i: &Instance, vehicles: u32, budget: Duration) -> Run {
    let t0 = Instant::now();
    // `SOLOMON_CLOCK=cpu`: the budget is this thread's CPU time, so that a run on a shared,
    // busy machine gets the iterations an idle one would (vrp-core keeps its wall clock).
    let cpu0 = std::env::var("SOLOMON_CLOCK")
        .is_ok_and(|c| c == "cpu")
        .then(thread_cpu_ms)
        .flatten();
    let problem = to_problem(i, vehicles);
    let d = SearchParams::default();
    let mut search = Search::new(
        problem,
        SearchParams {
            seed: env_or("SOLOMON_SEED", 1),
            iterations: u64::MAX,
            seed_unserved_per_mille: env_or("SOLOMON_SU", d.seed_unserved_per_mille),
            max_string: env_or("SOLOMON_LMAX", d.max_string),
            avg_removed: env_or("SOLOMON_CBAR", d.avg_removed),
            t_start: env_or("SOLOMON_T0", d.t_start),
            t_final: env_or("SOLOMON_TF", d.t_final),
            local_moves: env_switch("SOLOMON_LOCAL", d.local_moves),
            restart_per_mille: env_or("SOLOMON_RESTART", d.restart_per_mille),
            retry_left_out: env_switch("SOLOMON_RETRY", d.retry_left_out),
            retries: env_or("SOLOMON_RETRIES", d.retries),
            ruin_per_route: env_or("SOLOMON_RPR", d.ruin_per_route),
            kick: env_switch("SOLOMON_KICK", d.kick),
            race_per_mille: env_or("SOLOMON_RACE", d.race_per_mille),
            eject: env_switch("SOLOMON_EJECT", d.eject),
            give_up: env_switch("SOLOMON_GIVE_UP", d.give_up),
            lanes: env_or("SOLOMON_LANES", d.lanes),
            absence_half_life: env_or("SOLOMON_HALF_LIFE", d.absence_half_life),
            ..d
        },
    );
    // `SOLOMON_ITERS=N`: a fixed iteration count instead of the clock (reproducible comparisons).
    if let Some(n) = std::env::var("SOLOMON_ITERS")
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
    {
        search.set_horizon(n);
        while !search.done() {
            search.step(1000);
        }
        return finish(i, &search, t0);
    }
    // The core's budget driver: steps that grow while short, the schedule re-laid after each
    // from the measured rate (the same as `doorstep plan --budget-ms`).
    let deadline = budget.as_secs_f64() * 1000.0;
    let mut now = || match cpu0 {
        Some(c0) => thread_cpu_ms().map_or(f64::INFINITY, |c| c - c0),
        None => t0.elapsed().as_secs_f64() * 1000.0,
    };
    spend(&mut search, deadline, &mut now);
    finish(i, &search, t0)
}

fn finish(i: &Instance, search: &Search, t0: Instant) -> Run {
    let ms = t0.elapsed().as_secs_f64() * 1000.0;
    let (served, distance) = instance::measure(i, search);
    debug_assert!(search.problem().feasible(search.best()));
    Run {
        served,
        distance,
        ms,
        iterations: search.progress().iterations,
    }
}

fn vrp_core(i: &Instance, vehicles: u32, budget: Duration) -> Option<Run> {
    use vrp_core::models::problem::JobIdDimension;
    use vrp_core::prelude::*;
    use vrp_scientific::solomon::SolomonProblem;
    let t0 = Instant::now();
    let text = to_text(i, vehicles);
    let problem = Arc::new(BufReader::new(text.as_bytes()).read_solomon(false).ok()?);
    // Its default environment, with its progress log silenced (it would interleave the table).
    let environment = Arc::new(vrp_core::utils::Environment {
        logger: Arc::new(|_: &str| {}),
        ..vrp_core::utils::Environment::default()
    });
    let config = VrpConfigBuilder::new(problem.clone())
        .set_environment(environment)
        .set_telemetry_mode(vrp_core::rosomaxa::evolution::TelemetryMode::None)
        .prebuild()
        .ok()?
        .with_max_time(Some(budget.as_secs() as usize))
        .build()
        .ok()?;
    let solution = Solver::new(problem, config).solve().ok()?;
    let ms = t0.elapsed().as_secs_f64() * 1000.0;
    let mut distance = 0.0;
    let mut served = 0;
    for route in &solution.routes {
        let mut at = 0usize;
        for a in route.tour.all_activities() {
            let k = a
                .retrieve_job()
                .and_then(|j| j.dimens().get_job_id().cloned())
                .and_then(|id| id.parse::<usize>().ok());
            if let Some(k) = k {
                distance += dist(i, at, k);
                at = k;
                served += 1;
            }
        }
        distance += dist(i, at, 0);
    }
    Some(Run {
        served,
        distance,
        ms,
        iterations: 0,
    })
}

/// Solomon-like instances (uniform customers, random windows), only when the real ones are absent.
fn generated(k: u64) -> Instance {
    let mut s = 0x2545_F491_4F6C_DD1D_u64 ^ k.wrapping_mul(0x9E37_79B9);
    let mut next = move |n: u64| {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        s % n
    };
    let horizon = 230.0;
    let mut rows = vec![(35.0, 35.0, 0, 0.0, horizon, 0.0)];
    for _ in 0..100 {
        let (x, y) = (next(100) as f64, next(100) as f64);
        let d0 = ((x - 35.0f64).powi(2) + (y - 35.0f64).powi(2)).sqrt();
        let width = 10.0 + next(40) as f64;
        let latest = horizon - d0 - 10.0 - width;
        let ready = (d0 + next(latest.max(1.0) as u64) as f64).min(latest.max(d0));
        rows.push((
            x,
            y,
            1 + next(40) as i64,
            ready.floor(),
            (ready + width).floor(),
            10.0,
        ));
    }
    Instance {
        name: format!("GEN{:02}", k),
        vehicles: 25,
        capacity: 200,
        rows,
    }
}

/// A best-known solution: vehicles, distance.
type Bks = (u32, f64);

fn find(dir: &Path, name: &str) -> Option<PathBuf> {
    let lower = name.to_lowercase();
    for cand in [
        format!("{name}.txt"),
        format!("{lower}.txt"),
        format!("{name}.100.txt"),
        format!("{name}.TXT"),
        format!("{name}.vrp.json"),
    ] {
        let p = dir.join(cand);
        if p.is_file() {
            return Some(p);
        }
    }
    None
}

fn main() {
    let budget = Duration::from_millis(env_or("SOLOMON_BUDGET_MS", 2000));
    let only: Vec<String> = std::env::var("SOLOMON_ONLY")
        .map(|s| {
            s.split(',')
                .map(|x| x.trim().to_uppercase())
                .filter(|x| !x.is_empty())
                .collect()
        })
        .unwrap_or_default();
    // `SOLOMON_PEER=0` leaves vrp-core out (for quick runs while tuning).
    let peer = std::env::var("SOLOMON_PEER").map_or(true, |v| v != "0");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let dir = match std::env::var("SOLOMON_DIR") {
        Ok(d) => PathBuf::from(d),
        Err(_) => [
            root.join("../shared/solomon"),
            root.join(".bench-cache/solomon"),
        ]
        .into_iter()
        .find(|d| find(d, "C101").is_some())
        .unwrap_or_else(|| root.join("../shared/solomon")),
    };
    let mut bks: BTreeMap<String, (u32, f64)> = BKS
        .iter()
        .map(|&(n, v, d)| (n.to_owned(), (v, d)))
        .collect();
    if let Ok(t) = std::fs::read_to_string(dir.join("bks.txt")) {
        for l in t.lines() {
            let f: Vec<&str> = l.split_whitespace().collect();
            if let [n, v, d] = f[..] {
                if let (Ok(v), Ok(d)) = (v.parse(), d.parse()) {
                    bks.insert(n.to_uppercase(), (v, d));
                }
            }
        }
    }
    // Each with its best-known solution and the file it was read from.
    let mut instances: Vec<(Instance, Option<Bks>, Option<PathBuf>)> = Vec::new();
    for (name, &b) in &bks {
        if !only.is_empty() && !only.contains(name) {
            continue;
        }
        if let Some(p) = find(&dir, name) {
            if let Some(i) = std::fs::read_to_string(&p)
                .ok()
                .and_then(|t| instance::read(name, &t))
            {
                instances.push((i, Some(b), Some(p)));
            }
        }
    }
    let source = if instances.is_empty() {
        eprintln!(
            "================================================================================"
        );
        eprintln!(
            "SOLOMON INSTANCES NOT FOUND in {} (set SOLOMON_DIR).",
            dir.display()
        );
        eprintln!(
            "No package registry reachable here ships them; running on GENERATED Solomon-like"
        );
        eprintln!(
            "instances: these are NOT the Solomon benchmark and have NO best-known solution."
        );
        eprintln!("The gap below is to the better of Doorstep and vrp-core on each instance.");
        eprintln!(
            "================================================================================"
        );
        let n: u64 = env_or("SOLOMON_GENERATED", 6);
        instances = (1..=n).map(|k| (generated(k), None, None)).collect();
        "generated"
    } else {
        println!(
            "Solomon VRPTW, {} instances from {}; budget {} ms per instance and solver",
            instances.len(),
            dir.display(),
            budget.as_millis()
        );
        println!("best known: {BKS_SOURCE}");
        "solomon"
    };

    println!(
        "{:<7} {:>4} | {:>6} {:>9} {:>7} {:>8} {:>6} | {:>6} {:>9} {:>7} {:>6}",
        "inst",
        "veh",
        "served",
        "distance",
        "gap%",
        "iters",
        "ms",
        "served",
        "distance",
        "gap%",
        "ms"
    );
    println!(
        "{:<12} | {:^48} | {:^33}",
        "", "Doorstep (routed planner)", "vrp-core"
    );
    let mut rows = Vec::new();
    let (mut gaps_d, mut gaps_v) = (Vec::new(), Vec::new());
    let (mut all_d, mut all_v) = (0usize, 0usize);
    for (inst, b, file) in &instances {
        let vehicles = b.map_or(inst.vehicles, |b| b.0);
        let d = doorstep(inst, vehicles, budget);
        let v = if peer {
            vrp_core(inst, vehicles, budget)
        } else {
            None
        };
        let customers = inst.rows.len() - 1;
        let reference = match b {
            Some(b) => b.1,
            None => v.as_ref().map_or(d.distance, |v| {
                if v.served > d.served || (v.served == d.served && v.distance < d.distance) {
                    v.distance
                } else {
                    d.distance
                }
            }),
        };
        let gap = |x: f64| (x / reference - 1.0) * 100.0;
        if d.served == customers {
            gaps_d.push(gap(d.distance));
            all_d += 1;
        }
        if let Some(v) = &v {
            if v.served == customers {
                gaps_v.push(gap(v.distance));
                all_v += 1;
            }
        }
        let (vs, vd, vg, vm) =
            v.as_ref()
                .map_or(("-".into(), "-".into(), "-".into(), "-".into()), |v| {
                    (
                        v.served.to_string(),
                        format!("{:.2}", v.distance),
                        if v.served == customers {
                            format!("{:.2}", gap(v.distance))
                        } else {
                            "n/a".into()
                        },
                        format!("{:.0}", v.ms),
                    )
                });
        println!(
            "{:<7} {:>4} | {:>6} {:>9.2} {:>7} {:>8} {:>6.0} | {:>6} {:>9} {:>7} {:>6}",
            inst.name,
            vehicles,
            d.served,
            d.distance,
            if d.served == customers {
                format!("{:.2}", gap(d.distance))
            } else {
                "n/a".into()
            },
            d.iterations,
            d.ms,
            vs,
            vd,
            vg,
            vm
        );
        // The file, for the same run in Chromium (tools/bench.mjs reads it and hands it in).
        let file = file.as_ref().map_or("null".into(), |p| {
            serde_json::Value::from(p.to_string_lossy().into_owned()).to_string()
        });
        rows.push(format!(
            "{{\"name\":\"{}\",\"file\":{file},\"vehicles\":{vehicles},\"reference\":{reference:.2},\"doorstep\":{{\"served\":{},\"distance\":{:.2},\"ms\":{:.0},\"iterations\":{}}},\"vrp_core\":{}}}",
            inst.name,
            d.served,
            d.distance,
            d.ms,
            d.iterations,
            v.as_ref().map_or("null".into(), |v| format!("{{\"served\":{},\"distance\":{:.2},\"ms\":{:.0}}}", v.served, v.distance, v.ms))
        ));
    }
    let worst = |v: &[f64]| v.iter().copied().fold(f64::NAN, f64::max);
    println!(
        "Doorstep: all served on {all_d}/{} · gap median {:.2}% worst {:.2}% (over all-served instances)",
        instances.len(),
        median(gaps_d.clone()),
        worst(&gaps_d)
    );
    println!(
        "vrp-core: all served on {all_v}/{} · gap median {:.2}% worst {:.2}%",
        instances.len(),
        median(gaps_v.clone()),
        worst(&gaps_v)
    );
    let num = |x: f64| {
        if x.is_finite() {
            format!("{x:.3}")
        } else {
            "null".into()
        }
    };
    println!(
        "{{\"bench\":\"solomon\",\"source\":\"{source}\",\"budget_ms\":{},\"instances\":[{}],\"doorstep\":{{\"all_served\":{all_d},\"median_gap\":{},\"worst_gap\":{}}},\"vrp_core\":{{\"all_served\":{all_v},\"median_gap\":{},\"worst_gap\":{}}}}}",
        budget.as_millis(),
        rows.join(","),
        num(median(gaps_d.clone())),
        num(worst(&gaps_d)),
        num(median(gaps_v.clone())),
        num(worst(&gaps_v)),
    );
}
