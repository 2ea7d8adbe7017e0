//! The visit on the worker's phone, stage by stage (procedure steps 4–8): before departure,
//! on arrival, during service, after service, then the customer's signature.
//!
//! Everything here is computed from the job's [`Step`] documents, so two crew members'
//! phones and the office agree once their steps have synced:
//! - a checklist item's state is its latest `tick` step (by time, then by the order given);
//!   un-ticking is a new step, never an edit;
//! - the pre-departure list is personal (each worker's own appearance, kit, time), so only the
//!   worker's own ticks count for it, and each worker records their own departure; from
//!   arrival on, the lists belong to the job and any crew member's tick counts;
//! - a stage ends with a milestone step (`depart`, `start_work`, `finish_work`), which its
//!   gate allows only once the gate's items are ticked ([`crate::checklist::Gate`]); the after-
//!   service stage ends when the phone is handed to the customer (the signature gate).
//!
//! [`progress`] says where the visit stands for one worker and what blocks the next stage, in
//! words; [`check_flow`] refuses a tick or milestone out of order.

use crate::checklist::{ChecklistResults, ChecklistSet, Gate, GateBlocked, Phase};
use crate::lang::Text;
use crate::model::WorkerId;
use crate::step::{Step, StepError, StepKind};
use serde::{Deserialize, Serialize};

/// A stage of the visit, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    PreDeparture,
    Arrival,
    InService,
    AfterService,
    Signature,
}

impl Stage {
    pub const ALL: [Stage; 5] = [
        Stage::PreDeparture,
        Stage::Arrival,
        Stage::InService,
        Stage::AfterService,
        Stage::Signature,
    ];

    /// The checklist phase worked through in this stage.
    pub fn phase(self) -> Option<Phase> {
        match self {
            Stage::PreDeparture => Some(Phase::PreDeparture),
            Stage::Arrival => Some(Phase::Arrival),
            Stage::InService => Some(Phase::InService),
            Stage::AfterService => Some(Phase::AfterService),
            Stage::Signature => None,
        }
    }

    pub fn of_phase(phase: Phase) -> Stage {
        match phase {
            Phase::PreDeparture => Stage::PreDeparture,
            Phase::Arrival => Stage::Arrival,
            Phase::InService => Stage::InService,
            Phase::AfterService => Stage::AfterService,
        }
    }

    /// The step that ends this stage, and the gate it must pass.
    pub fn milestone(self) -> Option<Milestone> {
        match self {
            Stage::PreDeparture => Some(Milestone::Depart),
            Stage::Arrival => Some(Milestone::StartWork),
            Stage::InService => Some(Milestone::FinishWork),
            Stage::AfterService | Stage::Signature => None,
        }
    }

    /// The gate between this stage and the next.
    pub fn gate(self) -> Option<Gate> {
        match self {
            Stage::AfterService => Some(Gate::RequestSignature),
            s => s.milestone().map(Milestone::gate),
        }
    }

    /// The path segment of the stage's screen (`/job/:id/<slug>`).
    pub fn slug(self) -> &'static str {
        match self {
            Stage::PreDeparture => "depart",
            Stage::Arrival => "arrive",
            Stage::InService => "service",
            Stage::AfterService => "after",
            Stage::Signature => "sign",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|s| s.slug() == slug)
    }

    pub fn label(self) -> Text {
        match self {
            Stage::PreDeparture => Text::new("出发前", "Before leaving"),
            Stage::Arrival => Text::new("到达", "Arrival"),
            Stage::InService => Text::new("服务中", "Service"),
            Stage::AfterService => Text::new("服务后", "After service"),
            Stage::Signature => Text::new("客户签字", "Signature"),
        }
    }
}

/// A step that ends a stage.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Milestone {
    /// This worker leaves for the customer (personal: each crew member records their own).
    Depart,
    /// Work starts at the customer's home.
    StartWork,
    /// The service work is done.
    FinishWork,
}

impl Milestone {
    pub fn gate(self) -> Gate {
        match self {
            Milestone::Depart => Gate::Depart,
            Milestone::StartWork => Gate::StartWork,
            Milestone::FinishWork => Gate::FinishWork,
        }
    }

    /// The stage this milestone ends.
    pub fn stage(self) -> Stage {
        match self {
            Milestone::Depart => Stage::PreDeparture,
            Milestone::StartWork => Stage::Arrival,
            Milestone::FinishWork => Stage::InService,
        }
    }

    /// Recorded by each worker for themself, rather than once for the job.
    pub fn personal(self) -> bool {
        self == Milestone::Depart
    }

    pub fn label(self) -> Text {
        match self {
            Milestone::Depart => Text::new("出发", "Leave now"),
            Milestone::StartWork => Text::new("开始服务", "Start work"),
            Milestone::FinishWork => Text::new("服务完成", "Work done"),
        }
    }
}

/// Where a stage stands for the worker.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StageState {
    Done,
    Current,
    Ahead,
}

/// The visit as one worker's phone shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Progress {
    pub stages: Vec<(Stage, StageState)>,
    pub current: Stage,
    /// What the current stage's gate still waits for (`None`: the next stage may begin).
    pub blocked: Option<GateBlocked>,
}

/// Steps in the order they were taken (time, then the order given): what "latest" means.
fn in_time_order(steps: &[Step]) -> Vec<&Step> {
    let mut ordered: Vec<&Step> = steps.iter().collect();
    ordered.sort_by_key(|s| s.at);
    ordered
}

/// The checklist of `phase` as the ticks recorded so far leave it: the pre-departure list
/// counts only `me`'s own ticks; the others count every crew member's.
pub fn checklist(
    set: &ChecklistSet,
    steps: &[Step],
    phase: Phase,
    me: &WorkerId,
) -> ChecklistResults {
    let mut results = ChecklistResults::new(set.clone());
    for s in in_time_order(steps) {
        let StepKind::Tick { item, done } = &s.step else {
            continue;
        };
        let Some(it) = set.item(item) else { continue };
        if it.phase != phase || (phase == Phase::PreDeparture && &s.by != me) {
            continue;
        }
        results.ticks.retain(|t| &t.item != item);
        if *done {
            // Cannot fail: the item exists and was just un-ticked.
            let _ = results.tick(item, s.at, s.by.clone());
        }
    }
    results
}

/// Every tick of the visit that counts for `me`, whatever its phase (for a gate naming items
/// of several phases).
fn all_ticks(set: &ChecklistSet, steps: &[Step], me: &WorkerId) -> ChecklistResults {
    let mut results = ChecklistResults::new(set.clone());
    for phase in [
        Phase::PreDeparture,
        Phase::Arrival,
        Phase::InService,
        Phase::AfterService,
    ] {
        results.ticks.extend(checklist(set, steps, phase, me).ticks);
    }
    results
}

/// Whether `milestone` is recorded (for `me` if it is personal).
pub fn reached(steps: &[Step], milestone: Milestone, me: &WorkerId) -> bool {
    steps.iter().any(|s| {
        matches!(&s.step, StepKind::Milestone(m) if *m == milestone)
            && (!milestone.personal() || &s.by == me)
    })
}

fn stage_done(steps: &[Step], stage: Stage, me: &WorkerId) -> bool {
    match stage.milestone() {
        Some(m) => reached(steps, m, me),
        // Handing over for the signature is the next slice of the flow: not yet recordable.
        None => false,
    }
}

/// Where the visit stands for `me`, and what blocks the next stage.
pub fn progress(set: &ChecklistSet, steps: &[Step], me: &WorkerId) -> Progress {
    let current = Stage::ALL
        .into_iter()
        .find(|s| !stage_done(steps, *s, me))
        .unwrap_or(Stage::Signature);
    let stages = Stage::ALL
        .into_iter()
        .map(|s| {
            let state = if stage_done(steps, s, me) {
                StageState::Done
            } else if s == current {
                StageState::Current
            } else {
                StageState::Ahead
            };
            (s, state)
        })
        .collect();
    let blocked = current
        .gate()
        .and_then(|g| all_ticks(set, steps, me).check_gate(g).err());
    Progress {
        stages,
        current,
        blocked,
    }
}

/// Whether `by` may record a tick or a milestone now (the crew and open-job checks are
/// [`crate::step::check_step`]'s).
pub fn check_flow(
    set: &ChecklistSet,
    steps: &[Step],
    by: &WorkerId,
    kind: &StepKind,
) -> Result<(), StepError> {
    let here = progress(set, steps, by);
    match kind {
        StepKind::Tick { item, .. } => {
            let it = set
                .item(item)
                .ok_or_else(|| StepError::UnknownItem(item.clone()))?;
            let stage = Stage::of_phase(it.phase);
            if stage_done(steps, stage, by) {
                return Err(StepError::StageClosed(stage));
            }
            if stage > here.current {
                return Err(StepError::NotYet {
                    stage,
                    current: here.current,
                });
            }
            Ok(())
        }
        StepKind::Milestone(m) => {
            let stage = m.stage();
            if reached(steps, *m, by) {
                return Err(StepError::StageClosed(stage));
            }
            if stage > here.current {
                return Err(StepError::NotYet {
                    stage,
                    current: here.current,
                });
            }
            match all_ticks(set, steps, by).check_gate(m.gate()) {
                Ok(()) => Ok(()),
                Err(blocked) => Err(StepError::Blocked(blocked)),
            }
        }
        StepKind::DayBeforeCall { .. } => Ok(()),
    }
}
