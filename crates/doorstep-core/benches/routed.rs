//! `cargo bench -p doorstep-core --bench routed`: the travel-aware planner on
//! `sample_input(1000, 100, 7, 42)`: construction alone (median of runs), then a fixed number of
//! improvement iterations, then a plan under a time budget (`ROUTED_BUDGET_MS`, default 2000,
//! construction included); one JSON line on stdout (the same figures as the wasm bench's
//! `dispatch_routed` and `RoutedRun`).

use doorstep_core::dispatch::{sample_input, Planner, SearchParams};
use doorstep_core::Rules;
use std::hint::black_box;
use std::time::Instant;

const RUNS: usize = 7;
const ITERATIONS: u64 = 2000;

fn main() {
    let input = sample_input(1000, 100, 7, 42);
    let rules = Rules::default();
    // `ROUTED_LOCAL=0`: without the local moves on new bests (for A/B).
    let local = std::env::var("ROUTED_LOCAL").map_or(true, |v| v != "0");
    // `ROUTED_LANES=N`: N lanes race (for A/B; default `SearchParams::lanes`).
    let lanes: u32 = std::env::var("ROUTED_LANES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(SearchParams::default().lanes);
    let params = || SearchParams {
        iterations: ITERATIONS,
        local_moves: local,
        ..SearchParams::default()
    };
    black_box(Planner::new(&input, &rules, params()));
    let mut times: Vec<f64> = (0..RUNS)
        .map(|_| {
            let t = Instant::now();
            black_box(Planner::new(black_box(&input), &rules, params()));
            t.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    times.sort_by(f64::total_cmp);
    let mut p = Planner::new(&input, &rules, params());
    let t = Instant::now();
    p.step(ITERATIONS);
    let search_ms = t.elapsed().as_secs_f64() * 1000.0;
    let r = p.result(&input, &rules);
    // The budgeted plan, as `doorstep plan --budget-ms` spends it.
    let budget_ms: f64 = std::env::var("ROUTED_BUDGET_MS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(2000.0);
    let t = Instant::now();
    let mut b = Planner::new(
        &input,
        &rules,
        SearchParams {
            iterations: u64::MAX,
            lanes,
            ..SearchParams::default()
        },
    );
    let progress = b.spend(budget_ms, &mut || t.elapsed().as_secs_f64() * 1000.0);
    let budgeted = b.result(&input, &rules);
    println!(
        "{{\"bench\":\"routed_1000x100x7\",\"unit\":\"ms\",\"median\":{:.1},\"min\":{:.1},\"runs\":{RUNS},\"assigned\":{},\"unassigned\":{},\"travel_minutes\":{},\"construction_travel_minutes\":{},\"iterations\":{ITERATIONS},\"search_ms\":{search_ms:.1},\"budget\":{{\"ms\":{budget_ms},\"iterations\":{},\"assigned\":{},\"unassigned\":{},\"travel_minutes\":{}}}}}",
        times[RUNS / 2],
        times[0],
        r.plan.assignments.len(),
        r.plan.unassigned.len(),
        r.travel_minutes,
        r.construction_travel_minutes,
        progress.iterations,
        budgeted.plan.assignments.len(),
        budgeted.plan.unassigned.len(),
        budgeted.travel_minutes,
    );
}
