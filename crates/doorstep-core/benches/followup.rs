//! `cargo bench -p doorstep-core --bench followup`: plans the follow-ups of 10,000 customers
//! (`sample_input(10_000, 42)`) and prints one JSON line with the timings.

use doorstep_core::followup::{plan_followups, sample_input};
use doorstep_core::Rules;
use std::hint::black_box;
use std::time::Instant;

const WARM_UP: usize = 3;
const RUNS: usize = 15;

fn main() {
    let rules = Rules::default();
    let input = sample_input(10_000, 42);
    let mut callbacks = 0;
    for _ in 0..WARM_UP {
        callbacks = black_box(plan_followups(black_box(&input), &rules)).total();
    }
    let mut times: Vec<f64> = (0..RUNS)
        .map(|_| {
            let start = Instant::now();
            let plan = black_box(plan_followups(black_box(&input), &rules));
            let ms = start.elapsed().as_secs_f64() * 1000.0;
            callbacks = plan.total();
            ms
        })
        .collect();
    times.sort_by(f64::total_cmp);
    let median = times.get(RUNS / 2).copied().unwrap_or(f64::NAN);
    let min = times.first().copied().unwrap_or(f64::NAN);
    println!(
        "{{\"bench\":\"followups_10000\",\"unit\":\"ms\",\"median\":{:.3},\"min\":{:.3},\"runs\":{RUNS},\"callbacks\":{callbacks}}}",
        median, min
    );
}
