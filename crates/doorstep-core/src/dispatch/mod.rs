//! Dispatch (派工): who goes to which job, when.
//!
//! [`plan`] proposes assignments for the open jobs of a [`DispatchInput`]; [`check_manual`]
//! lists everything wrong with a dispatcher's own assignment. Both apply the same rules:
//!
//! * **Skills.** Every crew member has every skill the job lists; or, where the job's services
//!   allow it ([`Rules::joint_skill_services`], [`is_joint`]), the crew holds them jointly:
//!   the skills are shared out among distinct members, each member counted once.
//! * **Shift.** The whole visit (start to start + duration) lies inside one shift of each member.
//! * **Window.** The visit lies inside the job's time window.
//! * **No overlap, travel included.** Between two visits of a worker there is at least the
//!   travel time between their zones ([`TravelTable`]). The first visit of a worker's day is
//!   reached from the worker's `home_zone` (if given): it starts no earlier than the shift's
//!   start plus that travel.
//! * **Daily cap.** A worker's work plus travel on a day (home → first visit → … → last visit;
//!   the way home is not counted) is at most [`Rules::daily_cap_minutes`]. A visit belongs to the
//!   day it starts on.
//! * **Leader.** A crew of two or more has a qualified leader (`Worker::leader`) and
//!   `Assignment::leader` is one of them; a crew of one is led by its worker.
//!
//! How [`plan`] chooses, deterministically:
//!
//! 1. Jobs that are open ([`crate::model::JobStatus::is_open`]) and not already in `existing` are planned, urgent
//!    first, then by window start, then by job id. Jobs with invalid data (window ending before it
//!    starts, crew of 0, duration 0 or longer than the window, repeated id) are reported as
//!    unassigned with that reason.
//! 2. For each job, every worker of the job's store gets the ranges of start times at which they
//!    could do it (the window start, or right after one of their visits plus travel, ...).
//! 3. A crew of one is the **least-loaded** eligible worker that day (minutes of work + travel
//!    already planned), ties by badge, at their earliest feasible start. A larger crew is chosen
//!    among the start times at which enough members are free: at each such time the least-loaded
//!    qualified leader plus the least-loaded others; the crew with the lowest total load wins,
//!    ties by badges, then by the earliest start.
//! 4. An **urgent** job that no worker of its store can take is proposed to the other stores
//!    (escalation, procedure step 1): the best crew of any single other store, flagged with
//!    [`ProposedAssignment::escalated`]. The proposal keeps the home store's reasons and its
//!    passed-over workers beside it ([`ProposedAssignment::home_store`]), so the dispatcher
//!    still sees why nobody of their own store could take it. Other jobs stay unassigned.
//! 5. Every unassigned job says why ([`Unassigned::reasons`]) and lists each worker passed over
//!    with that worker's reason ([`Unassigned::rejected`]); for a job that is not escalated,
//!    workers of other stores who could have done it are listed as [`Reason::OtherStore`].
//!
//! Nothing here depends on the order of `workers` or of `existing` in the input, and no map's
//! iteration order leaks into the output.

#[cfg(all(test, not(target_arch = "wasm32")))]
mod arb;
pub mod budget;
mod crew;
mod eject;
mod engine;
mod local;
mod reason;
mod routed;
pub mod ruin;
mod sample;
mod travel;
pub mod vrp;

pub use crew::is_joint;
pub use reason::{Reason, Rejection, Severity, Violation};
pub use routed::{plan_routed, Geo, GeoLeg, Planner, RoutedPlan, WhyWorker, WorkerDay};
pub use ruin::{Progress, SearchParams};
pub use sample::sample_input;
pub use travel::{TravelLeg, TravelTable};

use crate::config::Rules;
use crate::lang::{Explain, Lang};
use crate::model::{Assignment, Job, JobId, StoreId, Worker, WorkerId};
use engine::{secs, time_at, validate, Engine, Scratch};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// Everything dispatch needs. In JSON:
/// `{"jobs":[…], "workers":[…], "existing":[…], "travel":[{"from":"A","to":"B","minutes":30}]}`
/// (`existing` and `travel` may be left out).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DispatchInput {
    /// Jobs to plan, and the jobs of `existing` assignments (for their zones).
    pub jobs: Vec<Job>,
    pub workers: Vec<Worker>,
    /// Assignments already made: they keep their workers busy and are not re-planned.
    /// An assignment whose job is not in `jobs` is taken to be in an unknown zone (travel to and
    /// from it is `Rules::default_travel_minutes`).
    #[serde(default)]
    pub existing: Vec<Assignment>,
    #[serde(default)]
    pub travel: TravelTable,
    /// Coordinates, travel modes and office-supplied travel times (used by [`plan_routed`]).
    #[serde(default, skip_serializing_if = "Geo::is_empty")]
    pub geo: Geo,
    /// The last plan's assignments not yet confirmed with a customer (confirmed ones are
    /// `existing`: locked). [`plan_routed`] re-plans with as few of these jobs moved to another
    /// crew as it can (fewest unserved first, then fewest moved, then least travel); times may
    /// shift within their windows. [`plan`] ignores it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub previous: Vec<Assignment>,
}

/// An assignment proposed by [`plan`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposedAssignment {
    #[serde(flatten)]
    pub assignment: Assignment,
    /// Set when an urgent job went to another store: that store (the crew's).
    #[serde(default)]
    pub escalated: Option<StoreId>,
    /// Set with `escalated`: why no worker of the job's own store could take it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub home_store: Option<HomeStoreReasons>,
}

/// Beside an escalated proposal: the job's own store and why none of its workers could take
/// the job, exactly as [`Unassigned`] would have said had the job not been escalated.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HomeStoreReasons {
    pub store: StoreId,
    /// Why the job as a whole could not be assigned in its store (at least one).
    pub reasons: Vec<Reason>,
    /// Each worker of the store considered and passed over, with that worker's reason.
    #[serde(default)]
    pub rejected: Vec<Rejection>,
}

impl Explain for HomeStoreReasons {
    /// The store's reasons on one line (the rejected workers are lines of their own).
    fn explain(&self, lang: Lang) -> String {
        let list = if lang == Lang::Zh { "；" } else { "; " };
        let reasons: Vec<String> = self.reasons.iter().map(|r| r.explain(lang)).collect();
        reasons.join(list)
    }
}

/// A job [`plan`] could not assign, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unassigned {
    pub job: JobId,
    /// Why the job as a whole could not be assigned (at least one).
    pub reasons: Vec<Reason>,
    /// Each worker considered and passed over, with that worker's reason.
    #[serde(default)]
    pub rejected: Vec<Rejection>,
}

impl Explain for Unassigned {
    /// The job and its reasons on one line (the rejected workers are separate lines of their own).
    fn explain(&self, lang: Lang) -> String {
        let (sep, list) = if lang == Lang::Zh {
            ("：", "；")
        } else {
            (": ", "; ")
        };
        let reasons: Vec<String> = self.reasons.iter().map(|r| r.explain(lang)).collect();
        format!("{}{sep}{}", self.job, reasons.join(list))
    }
}

/// The result of [`plan`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    /// In planning order (urgent first, then by window start, then by job id).
    pub assignments: Vec<ProposedAssignment>,
    /// In planning order.
    pub unassigned: Vec<Unassigned>,
}

impl Plan {
    /// The proposed assignment of a job, if any.
    pub fn assignment(&self, job: &str) -> Option<&ProposedAssignment> {
        self.assignments
            .iter()
            .find(|a| a.assignment.job.as_str() == job)
    }

    /// Why a job was left unassigned, if it was.
    pub fn unassigned_job(&self, job: &str) -> Option<&Unassigned> {
        self.unassigned.iter().find(|u| u.job.as_str() == job)
    }
}

/// The jobs both planners place, in the order they consider them: open and not yet
/// assigned, urgent first, then by window start and id. `(not urgent, start, id, index)`.
pub(crate) fn plan_order(input: &DispatchInput) -> Vec<(bool, i64, &str, usize)> {
    let already: BTreeSet<&str> = input.existing.iter().map(|a| a.job.as_str()).collect();
    let mut order: Vec<(bool, i64, &str, usize)> = input
        .jobs
        .iter()
        .enumerate()
        .filter(|(_, j)| j.status.is_open() && !already.contains(j.id.as_str()))
        .map(|(i, j)| (!j.urgent, secs(&j.window.start), j.id.as_str(), i))
        .collect();
    order.sort_unstable();
    order
}

/// Proposes assignments for every open, not yet assigned job of `input`. See the module
/// documentation for the rules and the order of choice. Never panics; bad input becomes reasons.
pub fn plan(input: &DispatchInput, rules: &Rules) -> Plan {
    let mut engine = Engine::new(input, rules, None);
    let mut sc = Scratch::default();
    let mut out = Plan::default();

    let order = plan_order(input);

    let mut seen: BTreeSet<&str> = BTreeSet::new();
    for &(_, _, id, idx) in &order {
        let Some(job) = input.jobs.get(idx) else {
            continue;
        };
        let mut problems = validate(job);
        if !seen.insert(id) {
            problems.push(Reason::DuplicateJob);
        }
        let info = match engine.job_info(idx) {
            Some(info) if problems.is_empty() => info,
            _ => {
                out.unassigned.push(Unassigned {
                    job: job.id.clone(),
                    reasons: problems,
                    rejected: Vec::new(),
                });
                continue;
            }
        };

        let own_result = engine.select(&info, engine.store_workers(info.store), &mut sc);
        let mut reasons = match own_result {
            Ok(choice) => {
                if let Some(a) = proposal(&engine, job, &info, &choice, None) {
                    engine.commit(&info, &choice);
                    out.assignments.push(a);
                    continue;
                }
                vec![Reason::NoEligibleWorker {
                    store: job.store.clone(),
                }]
            }
            Err(reasons) => reasons,
        };
        // Only now (the job is not assigned) turn the rejections into readable reasons.
        let explain = |engine: &Engine<'_>, list: &[(u32, engine::Raw)]| -> Vec<Rejection> {
            list.iter()
                .filter_map(|&(wi, raw)| {
                    Some(Rejection {
                        worker: engine.worker(wi)?.badge.clone(),
                        reason: engine.reason(wi, Some(job), raw),
                    })
                })
                .collect()
        };
        let mut rejected = explain(&engine, &sc.rejected);

        if job.urgent {
            // Escalation: the best crew of any one other store. The home store's rejections
            // are the first `home_rejected` of `rejected`.
            let home_rejected = rejected.len();
            let mut best: Option<(u32, engine::Choice)> = None;
            for si in 0..engine.store_count() {
                if si == info.store {
                    continue;
                }
                let pool = engine.store_workers(si);
                if pool.is_empty() {
                    continue;
                }
                match engine.select(&info, pool, &mut sc) {
                    Ok(choice) => {
                        if best.as_ref().is_none_or(|(_, b)| choice.better_than(b)) {
                            best = Some((si, choice));
                        }
                    }
                    Err(_) => rejected.extend(explain(&engine, &sc.rejected)),
                }
            }
            if let Some((si, choice)) = best {
                let store = engine.store(si).cloned();
                if let Some(mut a) = proposal(&engine, job, &info, &choice, store) {
                    engine.commit(&info, &choice);
                    rejected.truncate(home_rejected);
                    a.home_store = Some(HomeStoreReasons {
                        store: job.store.clone(),
                        reasons,
                        rejected,
                    });
                    out.assignments.push(a);
                    continue;
                }
            }
            reasons.push(Reason::EscalationFailed);
        } else {
            // Not escalated: name the other stores' workers who could have done it.
            for si in 0..engine.store_count() {
                if si == info.store {
                    continue;
                }
                for &wi in engine.store_workers(si) {
                    if engine.individually_feasible(wi, &info, &mut sc) {
                        if let Some(w) = engine.worker(wi) {
                            rejected.push(Rejection {
                                worker: w.badge.clone(),
                                reason: Reason::OtherStore {
                                    store: w.store.clone(),
                                },
                            });
                        }
                    }
                }
            }
        }
        out.unassigned.push(Unassigned {
            job: job.id.clone(),
            reasons,
            rejected,
        });
    }
    out
}

fn proposal(
    engine: &Engine<'_>,
    job: &Job,
    info: &engine::JobInfo,
    choice: &engine::Choice,
    escalated: Option<StoreId>,
) -> Option<ProposedAssignment> {
    let workers: Option<Vec<WorkerId>> = choice
        .members
        .iter()
        .map(|&w| engine.worker(w).map(|w| w.badge.clone()))
        .collect();
    Some(ProposedAssignment {
        assignment: Assignment {
            job: job.id.clone(),
            workers: workers?,
            leader: engine.worker(choice.leader)?.badge.clone(),
            start: time_at(choice.start)?,
            end: time_at(choice.start + info.dur)?,
        },
        escalated,
        home_store: None,
    })
}

/// Checks a dispatcher's manual assignment against the rules and against every other
/// assignment in `input.existing` (existing assignments of the same job are ignored: they are
/// what is being replaced). Returns every violation found, errors and warnings, in a stable
/// order: the assignment as a whole first, then each crew member in the order given.
///
/// A worker of another store is a [`Severity::Warning`], except on an urgent job, where taking a
/// worker of another store is the escalation rule and is not reported.
pub fn check_manual(input: &DispatchInput, rules: &Rules, a: &Assignment) -> Vec<Violation> {
    let engine = Engine::new(input, rules, Some(&a.job));
    let mut out = Vec::new();
    let job = engine
        .job_index(a.job.as_str())
        .and_then(|i| input.jobs.get(i));
    let (start, end) = (secs(&a.start), secs(&a.end));

    match job {
        None => out.push(Violation::error(
            None,
            Reason::UnknownJob { job: a.job.clone() },
        )),
        Some(j) => out.extend(validate(j).into_iter().map(|r| Violation::error(None, r))),
    }
    if end <= start {
        out.push(Violation::error(None, Reason::EndNotAfterStart));
    } else if let Some(j) = job {
        let actual = end - start;
        let expected = i64::from(j.duration_minutes) * 60;
        if actual != expected {
            let r = Reason::DurationMismatch {
                expected_minutes: j.duration_minutes,
                actual_minutes: actual.div_euclid(60),
            };
            out.push(if actual < expected {
                Violation::error(None, r)
            } else {
                Violation::warning(None, r)
            });
        }
    }
    if let Some(j) = job {
        if a.start < j.window.start || a.end > j.window.end {
            out.push(Violation::error(
                None,
                Reason::OutsideWindow {
                    start: j.window.start,
                    end: j.window.end,
                },
            ));
        }
    }

    // The crew.
    let mut distinct: Vec<&WorkerId> = Vec::new();
    let mut doubled: Vec<&WorkerId> = Vec::new();
    for w in &a.workers {
        if distinct.contains(&w) {
            if !doubled.contains(&w) {
                doubled.push(w);
            }
        } else {
            distinct.push(w);
        }
    }
    if a.workers.is_empty() {
        out.push(Violation::error(None, Reason::EmptyCrew));
    } else if let Some(j) = job {
        if a.workers.len() != usize::from(j.crew_size) {
            out.push(Violation::error(
                None,
                Reason::CrewSizeMismatch {
                    expected: j.crew_size,
                    actual: a.workers.len(),
                },
            ));
        }
    }
    for w in doubled {
        out.push(Violation::error(Some(w), Reason::DuplicateWorker));
    }
    if !a.workers.contains(&a.leader) {
        out.push(Violation::error(Some(&a.leader), Reason::LeaderNotInCrew));
    } else if distinct.len() >= 2 {
        if let Some(wi) = engine.worker_index(a.leader.as_str()) {
            if !engine.is_leader(wi) {
                out.push(Violation::error(
                    Some(&a.leader),
                    Reason::LeaderNotQualified,
                ));
            }
        }
    }

    // Skills held jointly, where the job's services allow it: shared out among the crew.
    let joint = job.filter(|j| crew::is_joint(j, rules));
    if let Some(j) = joint {
        let members: Vec<&Worker> = distinct
            .iter()
            .filter_map(|b| engine.worker(engine.worker_index(b.as_str())?))
            .collect();
        let need = crew::distinct_skills(j);
        let left = crew::unshared(need.len(), members.len(), |m, s| {
            members
                .get(m)
                .zip(need.get(s))
                .is_some_and(|(w, sk)| w.skills.contains(sk))
        });
        if !left.is_empty() {
            let skills = left
                .iter()
                .filter_map(|&s| need.get(s).map(|x| (*x).clone()))
                .collect();
            out.push(Violation::error(None, Reason::CrewLacksSkills { skills }));
        }
    }

    // Each member.
    for badge in distinct {
        let Some(wi) = engine.worker_index(badge.as_str()) else {
            out.push(Violation::error(Some(badge), Reason::UnknownWorker));
            continue;
        };
        let Some(worker) = engine.worker(wi) else {
            continue;
        };
        if let Some(j) = job {
            let missing = engine::missing_skills(j, worker);
            if !missing.is_empty() && joint.is_none() {
                out.push(Violation::error(
                    Some(badge),
                    Reason::MissingSkill { skills: missing },
                ));
            }
            if worker.store != j.store && !j.urgent {
                out.push(Violation::warning(
                    Some(badge),
                    Reason::OtherStore {
                        store: worker.store.clone(),
                    },
                ));
            }
        }
        if end > start {
            for r in engine.time_reasons(wi, job.map(|j| &j.zone), start, end) {
                out.push(Violation::error(Some(badge), r));
            }
        }
    }
    out
}

/// Is this job one [`plan`] would consider (open and not already assigned in `input`)?
pub fn is_plannable(input: &DispatchInput, job: &Job) -> bool {
    job.status.is_open() && !input.existing.iter().any(|a| a.job == job.id)
}
