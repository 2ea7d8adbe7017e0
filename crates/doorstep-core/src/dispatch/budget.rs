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
//!
//! A page spends its budget in slices ([`Budget::run`], each up to a few milliseconds ahead),
//! yielding to its event loop between them so that taps and frames go on, and shows the
//! progress each slice returns. Within a slice a step is no longer than the slice's time left;
//! the time between slices is the page's, so the horizon is laid over the share of the time
//! left the search has been getting. [`spend`] is one slice that ends at the deadline.

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

/// Spending a budget that ends at `deadline` (in the caller's unit, e.g. ms), in one call
/// ([`spend`]) or in slices ([`Budget::run`]); what is learnt of the search's rate is kept from
/// one slice to the next.
#[derive(Clone, Debug, PartialEq)]
pub struct Budget {
    deadline: f64,
    /// The next step, in iterations, and the largest step the time left allows.
    n: u64,
    cap: u64,
    /// Time per iteration, once measured.
    per: Option<f64>,
    /// The first reading of the clock.
    start: Option<f64>,
    /// Where the last slice ended, and the time spent between slices (the page's).
    slice_end: Option<f64>,
    idle: f64,
    /// Run in slices: a step is no longer than what is left of its slice (or of the budget).
    sliced: bool,
    done: bool,
}

impl Budget {
    pub fn new(deadline: f64) -> Self {
        Budget {
            deadline,
            n: 1,
            cap: MAX_STEP,
            per: None,
            start: None,
            slice_end: None,
            idle: 0.0,
            sliced: false,
            done: false,
        }
    }

    /// The deadline has passed (or the search had nothing left to do) and the best is
    /// polished: further slices run nothing.
    pub fn done(&self) -> bool {
        self.done
    }

    /// Runs `search` until `now()` reaches `until` or the deadline, whichever comes first; at
    /// the deadline, or once there is nothing left to do, polishes the best and is done.
    /// Returns the progress.
    pub fn run<S: Steps + ?Sized>(
        &mut self,
        search: &mut S,
        until: f64,
        now: &mut dyn FnMut() -> f64,
    ) -> Progress {
        if self.done {
            return search.progress();
        }
        self.sliced |= until < self.deadline;
        let end = until.min(self.deadline);
        // The reading and iteration the rate is measured from: the start of the first step
        // since the clock last moved (a coarse clock, such as a thread's CPU time read between
        // its ticks or a browser's rounded `performance.now()`, stands still over short steps).
        let mut mark: Option<(f64, u64)> = None;
        // The share of the time the search has had so far (the rest went to the page between
        // slices): the time left is expected to be shared alike.
        let mut share: Option<f64> = None;
        loop {
            let t1 = now();
            let share = *share.get_or_insert_with(|| {
                let s = *self.start.get_or_insert(t1);
                if let Some(end) = self.slice_end.take() {
                    self.idle += (t1 - end).max(0.0);
                }
                if self.idle > 0.0 && t1 > s {
                    ((t1 - s - self.idle) / (t1 - s)).clamp(0.05, 1.0)
                } else {
                    1.0
                }
            });
            let left = self.deadline - t1;
            if left <= 0.0 || !left.is_finite() {
                break;
            }
            if t1 >= until {
                self.slice_end = Some(t1);
                return search.progress();
            }
            let before = search.progress();
            let it = before.iterations;
            let (t0, it0) = *mark.get_or_insert((t1, it));
            // In slices, a step no longer than what is left of this one.
            let n = match self.per {
                Some(per) if self.sliced => self.n.min(((end - t1) / per) as u64).max(1),
                _ => self.n,
            };
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
            // (laid from no time at all, it would be unbounded and the schedule back at its
            // start).
            if t2 > t0 {
                let done = search.progress().iterations.saturating_sub(it0).max(1);
                let per = ((t2 - t0) / done as f64).max(f64::MIN_POSITIVE);
                self.per = Some(per);
                let left = (self.deadline - t2).max(0.0) * share;
                let more = (left / per).min(u64::MAX as f64 / 2.0) as u64;
                let now_at = search.progress().iterations;
                search.set_horizon(now_at.saturating_add(more).max(now_at.saturating_add(1)));
                self.cap = (more / 50).max(1);
                mark = None;
            }
            self.n = self.n.saturating_mul(2).min(self.cap).min(MAX_STEP);
        }
        self.done = true;
        search.polish();
        search.progress()
    }
}

/// Runs `search` until `now()` reaches `deadline` (both in the caller's unit, e.g. ms).
/// Returns the progress at the end.
pub fn spend<S: Steps + ?Sized>(
    search: &mut S,
    deadline: f64,
    now: &mut dyn FnMut() -> f64,
) -> Progress {
    Budget::new(deadline).run(search, deadline, now)
}
