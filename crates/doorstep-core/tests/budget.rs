#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

// Data-driven cases for `dispatch::budget::spend`: a fake search whose iterations cost known
// times on a fake clock, so that how the budget is spent is exact and reproducible.

use doorstep_core::dispatch::budget::{spend, Budget, Steps};
use doorstep_core::dispatch::{sample_input, Planner, Progress, SearchParams};
use doorstep_core::Rules;
use std::cell::Cell;
use std::rc::Rc;

struct Fake {
    iterations: u64,
    horizon: u64,
    movable: bool,
    clock: Rc<Cell<f64>>,
    /// Milliseconds iteration `i` takes.
    cost: fn(u64) -> f64,
    /// The largest horizon set once some iterations have run.
    peak: u64,
}

impl Fake {
    /// A fake search on `clock` that has run nothing yet.
    fn new(clock: &Rc<Cell<f64>>, cost: fn(u64) -> f64, movable: bool, horizon: u64) -> Self {
        Fake {
            iterations: 0,
            horizon,
            movable,
            clock: clock.clone(),
            cost,
            peak: 0,
        }
    }
}

impl Steps for Fake {
    fn step(&mut self, n: u64) -> Progress {
        let stop = self.iterations.saturating_add(n).min(self.horizon);
        while self.movable && self.iterations < stop {
            self.clock
                .set(self.clock.get() + (self.cost)(self.iterations));
            self.iterations += 1;
        }
        self.progress()
    }
    fn progress(&self) -> Progress {
        Progress {
            iterations: self.iterations,
            horizon: self.horizon,
            ..Progress::default()
        }
    }
    fn set_horizon(&mut self, iterations: u64) {
        self.horizon = iterations.max(self.iterations);
        if self.iterations > 0 {
            self.peak = self.peak.max(self.horizon);
        }
    }
    fn done(&self) -> bool {
        !self.movable || self.iterations >= self.horizon
    }
}

/// What happened: iterations run, when it stopped, and how far the horizon was left ahead.
#[derive(Debug, PartialEq)]
struct Spent {
    iterations: u64,
    stopped_at_ms: f64,
    horizon_ahead: u64,
}

/// Runs `spend` on a fake search (starting with horizon `start_horizon`) up to `budget_ms`.
fn check(cost: fn(u64) -> f64, movable: bool, start_horizon: u64, budget_ms: f64, expected: Spent) {
    let clock = Rc::new(Cell::new(0.0));
    let mut s = Fake::new(&clock, cost, movable, start_horizon);
    let c = clock.clone();
    let p = spend(&mut s, budget_ms, &mut || c.get());
    let got = Spent {
        iterations: p.iterations,
        stopped_at_ms: (clock.get() * 1000.0).round() / 1000.0,
        horizon_ahead: p.horizon - p.iterations,
    };
    assert_eq!(got, expected);
}

#[test]
fn a_steady_search_spends_the_whole_budget_and_ends_its_schedule() {
    check(
        |_| 0.01,
        true,
        u64::MAX,
        100.0,
        Spent {
            iterations: 10_000,
            stopped_at_ms: 100.0,
            horizon_ahead: 1,
        },
    );
}

#[test]
fn a_search_that_speeds_up_does_not_stop_at_its_first_horizon() {
    // The bug `doorstep plan --budget-ms` had: the horizon laid from the first 200 iterations'
    // rate (1 ms each) was reached after 280 ms of a 1000 ms budget, and the search stopped.
    check(
        |i| if i < 200 { 1.0 } else { 0.1 },
        true,
        u64::MAX,
        1000.0,
        Spent {
            iterations: 8200,
            stopped_at_ms: 1000.0,
            horizon_ahead: 1,
        },
    );
}

#[test]
fn a_coarse_clock_never_lays_an_unbounded_horizon() {
    // A clock that moves in ticks of 4 ms (a thread's CPU time read between scheduler ticks)
    // stands still over short steps: the horizon is laid from the ticks, never from no time
    // (it was: u64::MAX / 2, the schedule back at its start for a step).
    let clock = Rc::new(Cell::new(0.0));
    let mut s = Fake::new(&clock, |_| 0.05, true, u64::MAX);
    let c = clock.clone();
    let p = spend(&mut s, 2000.0, &mut || (c.get() / 4.0).floor() * 4.0);
    assert!((39_990..=40_100).contains(&p.iterations), "{p:?}");
    assert!(s.peak <= 2 * p.iterations, "horizon {} for {p:?}", s.peak);
    assert!(p.horizon - p.iterations <= 100, "{p:?}");
}

#[test]
fn a_slow_search_overruns_by_at_most_one_step() {
    // 300 ms an iteration and a 1 s budget: four iterations (the last one starts at 900 ms),
    // not the first step of 200 iterations the CLI used to measure its rate with.
    check(
        |_| 300.0,
        true,
        u64::MAX,
        1000.0,
        Spent {
            iterations: 4,
            stopped_at_ms: 1200.0,
            horizon_ahead: 1,
        },
    );
}

#[test]
fn a_search_with_a_short_horizon_still_spends_the_budget() {
    check(
        |_| 1.0,
        true,
        10,
        50.0,
        Spent {
            iterations: 50,
            stopped_at_ms: 50.0,
            horizon_ahead: 1,
        },
    );
}

#[test]
fn nothing_runs_without_a_budget_or_without_anything_to_move() {
    let none = Spent {
        iterations: 0,
        stopped_at_ms: 0.0,
        horizon_ahead: u64::MAX,
    };
    check(|_| 1.0, true, u64::MAX, 0.0, none);
    let none = Spent {
        iterations: 0,
        stopped_at_ms: 0.0,
        horizon_ahead: u64::MAX,
    };
    check(|_| 1.0, false, u64::MAX, 100.0, none);
}

/// A real planner of 30 jobs, its horizon left to a budget.
fn small_planner() -> Planner {
    let input = sample_input(30, 6, 2, 7);
    Planner::new(
        &input,
        &Rules::default(),
        SearchParams {
            iterations: u64::MAX,
            ..SearchParams::default()
        },
    )
}

#[test]
fn the_planner_spends_a_budget_on_its_own_clock() {
    // A real planner on a fake clock that moves 1 ms per reading: stops once 40 ms have passed.
    let mut p = small_planner();
    let mut t = 0.0;
    let progress = p.spend(40.0, &mut || {
        t += 1.0;
        t
    });
    assert!(progress.iterations > 0, "{progress:?}");
    assert!((40.0..=41.0).contains(&t), "stopped at {t}");
    assert!(progress.best <= progress.construction, "{progress:?}");
}

/// A budget spent in slices: how many, and the most a slice ran past its end.
#[derive(Debug, PartialEq)]
struct Sliced {
    spent: Spent,
    slices: u64,
    longest_overrun_ms: f64,
    /// The horizon's lead on the iterations run after each slice.
    ahead: Vec<u64>,
}

/// Spends `budget_ms` on a fake search in slices of `slice_ms`, the page taking `idle_ms`
/// between them (the clock moves on, the search does not).
fn check_sliced(
    cost: fn(u64) -> f64,
    budget_ms: f64,
    slice_ms: f64,
    idle_ms: f64,
    expected: Sliced,
) {
    let clock = Rc::new(Cell::new(0.0));
    let mut s = Fake::new(&clock, cost, true, u64::MAX);
    let c = clock.clone();
    let mut budget = Budget::new(budget_ms);
    let (mut slices, mut overrun, mut ahead) = (0, 0.0f64, Vec::new());
    let mut worked_until = 0.0;
    let mut p = s.progress();
    let mut last = 0;
    while !budget.done() {
        let until = clock.get() + slice_ms;
        p = budget.run(&mut s, until, &mut || c.get());
        assert!(p.iterations >= last, "progress went back: {p:?}");
        if p.iterations > last {
            worked_until = clock.get();
        }
        last = p.iterations;
        ahead.push(p.horizon - p.iterations);
        slices += 1;
        overrun = overrun.max(clock.get() - until);
        clock.set(clock.get() + idle_ms);
    }
    let round = |x: f64| (x * 1000.0).round() / 1000.0;
    let got = Sliced {
        spent: Spent {
            iterations: p.iterations,
            stopped_at_ms: round(worked_until),
            horizon_ahead: p.horizon - p.iterations,
        },
        slices,
        longest_overrun_ms: round(overrun),
        ahead,
    };
    assert_eq!(got, expected);
}

#[test]
fn slices_with_nothing_between_them_spend_as_one_call_does() {
    // As one call would (iterations of 1/64 ms, exact in binary), in 10 slices.
    check_sliced(
        |_| 1.0 / 64.0,
        100.0,
        10.0,
        0.0,
        Sliced {
            spent: Spent {
                iterations: 6_400,
                stopped_at_ms: 100.0,
                horizon_ahead: 1,
            },
            slices: 10,
            longest_overrun_ms: 0.0,
            ahead: vec![5760, 5120, 4480, 3840, 3200, 2560, 1920, 1280, 640, 1],
        },
    );
}

#[test]
fn the_page_s_time_between_slices_is_not_laid_into_the_schedule() {
    // The page takes as long as the search between slices: the search gets half of the
    // budget, and its schedule is laid over its half of the time left (after the second
    // slice it leads by 2,240 where 1,920 are to come; laid over all the time left, it would
    // lead by 4,480). It ends half a slice short of the schedule's end: the last 10 ms were
    // the page's.
    check_sliced(
        |_| 1.0 / 64.0,
        100.0,
        10.0,
        10.0,
        Sliced {
            spent: Spent {
                iterations: 3_200,
                stopped_at_ms: 90.0,
                horizon_ahead: 320,
            },
            slices: 6,
            longest_overrun_ms: 0.0,
            ahead: vec![5760, 2240, 1600, 960, 320, 320],
        },
    );
}

#[test]
fn a_slice_ends_within_a_step_of_its_end() {
    // Iterations of 0.25 ms in slices of 5 ms: no slice runs past its end, though the steps
    // would grow to a fiftieth of the budget's time left.
    check_sliced(
        |_| 0.25,
        100.0,
        5.0,
        2.0,
        Sliced {
            spent: Spent {
                iterations: 288,
                stopped_at_ms: 100.0,
                horizon_ahead: 1,
            },
            slices: 15,
            longest_overrun_ms: 0.0,
            ahead: vec![
                380, 251, 231, 211, 191, 171, 151, 131, 111, 91, 71, 51, 31, 11, 1,
            ],
        },
    );
}

#[test]
fn a_planner_runs_in_slices_to_its_deadline() {
    let mut p = small_planner();
    let mut t = 0.0;
    let mut budget = Budget::new(40.0);
    let mut slices = 0;
    let mut progress = p.progress();
    while !budget.done() {
        // A 1 ms clock tick per reading, and 3 ms of the page's between slices.
        let until = t + 5.0;
        progress = p.run(&mut budget, until, &mut || {
            t += 1.0;
            t
        });
        t += 3.0;
        slices += 1;
        assert!(slices < 40, "{progress:?}");
    }
    assert!(slices >= 4, "{slices} slices");
    assert!(progress.iterations > 0, "{progress:?}");
    assert!(progress.best <= progress.construction, "{progress:?}");
    // Done: a further slice runs nothing.
    let after = p.run(&mut budget, t + 5.0, &mut || t);
    assert_eq!(after.iterations, progress.iterations);
}
