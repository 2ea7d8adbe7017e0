//! `cargo bench -p doorstep-core --bench dispatch`: times `plan` on
//! `sample_input(1000, 100, 7, 42)` and prints one JSON line on stdout.

use doorstep_core::dispatch::{plan, sample_input};
use doorstep_core::Rules;
use std::hint::black_box;
use std::time::Instant;

const WARM_UP: usize = 3;
const RUNS: usize = 15;

fn main() {
    let input = sample_input(1000, 100, 7, 42);
    let rules = Rules::default();
    for _ in 0..WARM_UP {
        black_box(plan(black_box(&input), &rules));
    }
    let mut times = Vec::with_capacity(RUNS);
    let mut last = None;
    for _ in 0..RUNS {
        let t = Instant::now();
        let p = plan(black_box(&input), &rules);
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        last = Some(black_box(p));
    }
    times.sort_by(f64::total_cmp);
    let median = if RUNS % 2 == 1 {
        times[RUNS / 2]
    } else {
        (times[RUNS / 2 - 1] + times[RUNS / 2]) / 2.0
    };
    let (assigned, unassigned) = last.map_or((0, 0), |p| (p.assignments.len(), p.unassigned.len()));
    println!(
        "{{\"bench\":\"dispatch_1000x100x7\",\"unit\":\"ms\",\"median\":{:.1},\"min\":{:.1},\"runs\":{RUNS},\"assigned\":{assigned},\"unassigned\":{unassigned}}}",
        median, times[0]
    );
}
