//! Spending a time budget on a search whose steps read no clock: the caller hands in its
//! clock (`Instant` natively, `performance.now()` in a browser), this decides how many
//! iterations to run between readings and lays the annealing schedule over the time left.
//!
//! Rules: the first step is one iteration (a large problem's iteration can be slow) and steps
//! grow while they stay under a fiftieth of the time left, so the deadline is overrun by at
//! most about one step; after every step the schedule's horizon is set from the rate just
//! measured to what the time left allows, so the search neither stops with time left (its
//! horizon reached early because later iterations ran faster than the first ones) nor ends
//! still hot. Nothing is run once the deadline has passed, or when there is nothing to move,
//! except the search's last polish of its best ([`Steps::polish`]).

use super::ruin::{Progress, Search};

/// A search run in steps of iterations under a horizon (the schedule's length).
pub trait Steps {
    /// Runs up to `n` more iterations, never past the horizon.
    fn step(&mut self, n: u64) -> Progress;
    fn progress(&self) -> Progress;
    /// Lays the schedule over `iterations` in all.
    fn set_horizon(&mut self, iterations: u64);
    /// Nothing left to do: the horizon is reached or nothing can move.
    fn done(&self) -> bool;
    /// Last touches to the best once the time is spent (none by default).
    fn polish(&mut self) {}
}

impl Steps for Search {
    fn step(&mut self, n: u64) -> Progress {
        Search::step(self, n)
    }
    fn progress(&self) -> Progress {
        Search::progress(self)
    }
    fn set_horizon(&mut self, iterations: u64) {
        Search::set_horizon(self, iterations);
    }
    fn done(&self) -> bool {
        Search::done(self)
    }
    fn polish(&mut self) {
        Search::polish(self);
    }
}

/// The largest step, in iterations (the caller's clock is read at least this often).
const MAX_STEP: u64 = 4096;

/// Runs `search` until `now()` reaches `deadline` (both in the caller's unit, e.g. ms).
/// Returns the progress at the end.
pub fn spend<S: Steps + ?Sized>(
    search: &mut S,
    deadline: f64,
    now: &mut dyn FnMut() -> f64,
) -> Progress {
    let mut n = 1u64;
    // The reading and iteration the rate is measured from: the start of the first step since
    // the clock last moved (a coarse clock, such as a thread's CPU time read between its
    // ticks or a browser's rounded `performance.now()`, stands still over short steps).
    let mut mark: Option<(f64, u64)> = None;
    let mut cap = MAX_STEP;
    loop {
        let t1 = now();
        let left = deadline - t1;
        if left <= 0.0 || !left.is_finite() {
            break;
        }
        let before = search.progress();
        let it = before.iterations;
        let (t0, it0) = *mark.get_or_insert((t1, it));
        // Never stop at the horizon while time is left (it is re-laid below).
        if before.horizon < it.saturating_add(n) {
            search.set_horizon(it.saturating_add(n));
        }
        if search.done() {
            break;
        }
        search.step(n);
        let t2 = now();
        // A clock that did not move measured nothing: the horizon is re-laid once it has
        // (laid from no time at all, it would be unbounded and the schedule back at its start).
        if t2 > t0 {
            let done = search.progress().iterations.saturating_sub(it0).max(1);
            let per = ((t2 - t0) / done as f64).max(f64::MIN_POSITIVE);
            let left = (deadline - t2).max(0.0);
            let more = (left / per).min(u64::MAX as f64 / 2.0) as u64;
            let now_at = search.progress().iterations;
            search.set_horizon(now_at.saturating_add(more).max(now_at.saturating_add(1)));
            cap = (more / 50).max(1);
            mark = None;
        }
        n = n.saturating_mul(2).min(cap).min(MAX_STEP);
    }
    search.polish();
    search.progress()
}
