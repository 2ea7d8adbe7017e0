//! What a worker's device holds of a job, and what the worker records on it.
//!
//! - [`DispatchOrder`] (派工单, document `order:<job>`): the job as the privacy projection lets
//!   this worker see it ([`WorkerJobView`]) with the crew's names (never their phones). The
//!   office side writes it (the relay, or the demo seed on the device); the device never edits it.
//! - [`Step`] (document `step:<job>:<step id>`): one thing the worker did, made on the device
//!   with a device-made id, written once and never edited; a correction is a new step naming
//!   the one it corrects. Two devices and the office can therefore never turn a worker's steps
//!   into a conflict, and writing the same step twice changes nothing.
//!
//! [`check_step`] says whether a worker may record a step on an order (the rules of the
//! procedure, e.g. only the team leader talks with the customer, step 3 and 6 of the domain).

use crate::checklist::GateBlocked;
use crate::flow::{Milestone, Stage, Templates};
use crate::lang::{Explain, Lang};
use crate::model::{JobId, WorkerId};
use crate::privacy::{CrewMember, WorkerJobCard, WorkerJobView};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// The longest free text a step takes, in characters. Longer text is refused with its
/// length, never cut.
pub const TEXT_MAX_CHARS: usize = 2000;

/// The most photos one damage report keeps.
pub const MAX_PHOTOS: usize = 4;

/// The attachment name of a step's `n`th photo (from 1): `photo-<n>.jpg`.
pub fn photo_name(n: usize) -> String {
    format!("photo-{n}.jpg")
}

/// A dispatch order as one worker's device holds it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DispatchOrder {
    pub view: WorkerJobView,
    /// The crew, leader first, with names and badges only.
    pub crew: Vec<CrewMember>,
}

impl DispatchOrder {
    /// What the customer sees of this order in customer mode (the phone handed over): their
    /// visit's services, time and crew by name and badge — never a phone number, and none of
    /// the worker's other fields (contact, district, notes).
    pub fn for_customer(&self) -> crate::privacy::CustomerJobView {
        crate::privacy::CustomerJobView {
            job: self.view.job.clone(),
            status: self.view.status,
            items: self.view.items.clone(),
            window: crate::model::TimeWindow {
                start: self.view.start,
                end: self.view.end,
            },
            crew: self.crew.clone(),
        }
    }
}

/// What a list of jobs reads of a stored [`DispatchOrder`] (see [`WorkerJobCard`]).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct DispatchOrderCard {
    pub view: WorkerJobCard,
}

impl From<&DispatchOrder> for DispatchOrderCard {
    fn from(o: &DispatchOrder) -> Self {
        DispatchOrderCard {
            view: WorkerJobCard::from(&o.view),
        }
    }
}

/// One step a worker recorded on a job.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    pub job: JobId,
    pub by: WorkerId,
    /// The device's local time when the step was recorded.
    #[serde(with = "crate::iso::datetime")]
    pub at: NaiveDateTime,
    /// What was done, with its details (`{"day_before_call": {"note": …}}`).
    pub step: StepKind,
    /// The id of an earlier step this one corrects.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub corrects: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepKind {
    /// The day-before call: time, place and special requests confirmed with the customer.
    DayBeforeCall { note: String },
    /// A checklist item ticked (`done`) or un-ticked: the latest tick of an item counts.
    Tick { item: String, done: bool },
    /// A stage of the visit ended ([`crate::flow`]).
    Milestone(Milestone),
    /// What this worker takes of the job's kit (a recount is a new step: the latest counts).
    KitOut { lines: Vec<KitCount> },
    /// The kit counted back in, in front of the customer: per worker and item, good and
    /// damaged (the latest counts).
    KitIn {
        lines: Vec<crate::toolkit::CheckinLine>,
    },
    /// What the customer is charged: the price list's amount, or a different one with an
    /// approved deviation (the latest counts).
    Charge { charge: crate::pricing::Charge },
    /// A sign-off (pass or fail, signed) or the rework of a failed round, in the core's
    /// acceptance order ([`crate::acceptance`]).
    Accept { action: crate::acceptance::Action },
    /// Damage or an incident at the customer's home (to their property, by their pets, …),
    /// compensated at its price (domain step 6): what happened, the estimated value and the
    /// photos, which are the step's attachments (`photo-1.jpg`, … in order).
    Damage(DamageReport),
}

/// A damage or incident report: written once, its photos in the same write.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DamageReport {
    pub description: String,
    /// The estimated value, in fen (zero: not estimated).
    pub value: crate::model::Money,
    /// The attachment names of its photos, `photo-1.jpg` … in order, at most [`MAX_PHOTOS`].
    #[serde(default)]
    pub photos: Vec<String>,
}

/// An item of the kit and how many.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KitCount {
    pub item: String,
    pub count: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum StepError {
    #[error("{by} is not in the crew of job {job}")]
    NotInCrew { job: JobId, by: WorkerId },
    #[error("only the team leader {leader} talks with the customer")]
    NotLeader { leader: WorkerId },
    #[error("job {0} is closed")]
    Closed(JobId),
    #[error("the text has {len} characters; at most {max} are kept")]
    TooLong { len: usize, max: usize },
    #[error("the day-before call of job {0} is already recorded")]
    AlreadyRecorded(JobId),
    #[error("no checklist item {0}")]
    UnknownItem(String),
    #[error("the stage {0:?} is already done")]
    StageClosed(Stage),
    #[error("the stage {stage:?} comes after the current stage {current:?}")]
    NotYet { stage: Stage, current: Stage },
    #[error("{0}")]
    Blocked(GateBlocked),
    #[error("{0}")]
    Kit(crate::flow::KitBlock),
    #[error("item {0} is not in this job's kit")]
    NotInKit(String),
    #[error("the charge is not recorded yet")]
    NotCharged,
    #[error("{0}")]
    Charge(crate::pricing::ChargeError),
    #[error("{0}")]
    Price(crate::pricing::PricingError),
    #[error("{0}")]
    Acceptance(crate::acceptance::AcceptanceError),
    #[error("{0}")]
    Ink(crate::signature::StrokeError),
    #[error("describe the damage")]
    NoDescription,
    #[error("an estimated value cannot be negative")]
    NegativeValue,
    #[error("{count} photos; at most {max} are kept")]
    TooManyPhotos { count: usize, max: usize },
    #[error("photo {index} must be named {expected}")]
    PhotoName { index: usize, expected: String },
    #[error("the price list says {computed}, not {given}")]
    WrongPrice {
        computed: crate::model::Money,
        given: crate::model::Money,
    },
}

impl Explain for StepError {
    fn explain(&self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        match self {
            StepError::NotInCrew { .. } if zh => "你不在此工单的服务人员中".into(),
            StepError::NotLeader { leader } if zh => format!("由组长 {leader} 与客户联系确认"),
            StepError::Closed(_) if zh => "工单已结束".into(),
            StepError::TooLong { len, max } if zh => {
                format!("内容过长：{len} 字，最多 {max} 字（未保存，请删减）")
            }
            StepError::AlreadyRecorded(_) if zh => "已确认过，无需重复".into(),
            StepError::UnknownItem(id) if zh => format!("没有检查项 {id}"),
            StepError::StageClosed(stage) => match lang {
                Lang::Zh => format!("“{}”已完成，不能再改", stage.label().zh),
                Lang::En => format!("“{}” is done and can no longer change", stage.label().en),
            },
            StepError::NotYet { stage, current } => match lang {
                Lang::Zh => format!(
                    "请先完成“{}”，再进行“{}”",
                    current.label().zh,
                    stage.label().zh
                ),
                Lang::En => format!(
                    "Finish “{}” before “{}”",
                    current.label().en,
                    stage.label().en
                ),
            },
            StepError::Blocked(b) => b.explain(lang),
            StepError::Kit(k) => k.explain(lang),
            StepError::NotCharged => crate::flow::Blocker::NotCharged.explain(lang),
            StepError::Charge(c) => c.explain(lang),
            StepError::Price(p) => p.explain(lang),
            StepError::Acceptance(a) => a.explain(lang),
            StepError::Ink(i) => i.explain(lang),
            StepError::WrongPrice { computed, given } if zh => {
                format!("标准价为 {computed}，不是 {given}")
            }
            StepError::NoDescription if zh => "请写明损坏情况".into(),
            StepError::NegativeValue if zh => "估价不能为负数".into(),
            StepError::TooManyPhotos { count, max } if zh => {
                format!("{count} 张照片，最多 {max} 张")
            }
            StepError::PhotoName { index, expected } if zh => {
                format!("第 {index} 张照片应名为 {expected}")
            }
            StepError::NotInKit(item) if zh => format!("{item} 不在此工单的工具清单中"),
            e => e.to_string(),
        }
    }
}

/// Whether `by` may record `kind` on `order`, given the steps already recorded on it and the
/// visit's templates (checklists, kits).
pub fn check_step(
    order: &DispatchOrder,
    templates: &Templates,
    steps: &[Step],
    by: &WorkerId,
    kind: &StepKind,
) -> Result<(), StepError> {
    let view = &order.view;
    if !view.crew.contains(by) {
        return Err(StepError::NotInCrew {
            job: view.job.clone(),
            by: by.clone(),
        });
    }
    if !view.status.is_open() {
        return Err(StepError::Closed(view.job.clone()));
    }
    match kind {
        StepKind::DayBeforeCall { note } => {
            if &view.leader != by {
                return Err(StepError::NotLeader {
                    leader: view.leader.clone(),
                });
            }
            let len = note.chars().count();
            if len > TEXT_MAX_CHARS {
                return Err(StepError::TooLong {
                    len,
                    max: TEXT_MAX_CHARS,
                });
            }
            if day_before_call(steps).is_some() {
                return Err(StepError::AlreadyRecorded(view.job.clone()));
            }
        }
        StepKind::Damage(report) => check_damage(report)?,
        StepKind::Tick { .. }
        | StepKind::Milestone(_)
        | StepKind::KitOut { .. }
        | StepKind::KitIn { .. }
        | StepKind::Charge { .. }
        | StepKind::Accept { .. } => {
            crate::flow::check_flow(order, templates, steps, by, kind)?;
        }
    }
    Ok(())
}

/// The rules of a damage report itself: a description of at most [`TEXT_MAX_CHARS`], a
/// value not below zero, at most [`MAX_PHOTOS`] photos named `photo-1.jpg`, … in order.
/// Any crew member may report damage while the job is open, at any stage.
pub fn check_damage(report: &DamageReport) -> Result<(), StepError> {
    let len = report.description.chars().count();
    if report.description.trim().is_empty() {
        return Err(StepError::NoDescription);
    }
    if len > TEXT_MAX_CHARS {
        return Err(StepError::TooLong {
            len,
            max: TEXT_MAX_CHARS,
        });
    }
    if report.value.fen() < 0 {
        return Err(StepError::NegativeValue);
    }
    if report.photos.len() > MAX_PHOTOS {
        return Err(StepError::TooManyPhotos {
            count: report.photos.len(),
            max: MAX_PHOTOS,
        });
    }
    for (i, name) in report.photos.iter().enumerate() {
        let expected = photo_name(i + 1);
        if name != &expected {
            return Err(StepError::PhotoName {
                index: i + 1,
                expected,
            });
        }
    }
    Ok(())
}

/// The recorded day-before call of a job, if any (the earliest, should two devices both have one).
pub fn day_before_call(steps: &[Step]) -> Option<&Step> {
    steps
        .iter()
        .filter(|s| matches!(s.step, StepKind::DayBeforeCall { .. }))
        .min_by_key(|s| s.at)
}

/// The dispatch order `viewer` may hold for a job: the privacy projection
/// ([`crate::privacy::for_worker`]) plus the crew's names; `None` unless `viewer` is in the crew.
pub fn dispatch_order(
    job: &crate::model::Job,
    customer: &crate::model::Customer,
    assignment: &crate::model::Assignment,
    workers: &[crate::model::Worker],
    viewer: &WorkerId,
    now: NaiveDateTime,
    rules: &crate::Rules,
) -> Option<DispatchOrder> {
    let view = crate::privacy::for_worker(job, customer, assignment, viewer, now, rules)?;
    let crew = view
        .crew
        .iter()
        .map(|badge| CrewMember {
            name: workers
                .iter()
                .find(|w| &w.badge == badge)
                .map(|w| w.name.clone()),
            leader: badge == &view.leader,
            badge: badge.clone(),
        })
        .collect();
    Some(DispatchOrder { view, crew })
}

/// What the job's status needs to know of a step (see [`shown_status`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepMark {
    DayBeforeCall,
    StartWork,
    Other,
}

impl StepMark {
    pub fn of(kind: &StepKind) -> StepMark {
        match kind {
            StepKind::DayBeforeCall { .. } => StepMark::DayBeforeCall,
            StepKind::Milestone(Milestone::StartWork) => StepMark::StartWork,
            _ => StepMark::Other,
        }
    }

    /// The mark of a stored step document read as plain JSON: the list of today's jobs reads
    /// steps this way, so the first screen carries no decoder for every kind of step.
    pub fn of_json(doc: &serde_json::Value) -> StepMark {
        match doc.get("step") {
            Some(serde_json::Value::Object(m)) if m.contains_key("day_before_call") => {
                StepMark::DayBeforeCall
            }
            Some(serde_json::Value::Object(m))
                if m.get("milestone").and_then(serde_json::Value::as_str) == Some("start_work") =>
            {
                StepMark::StartWork
            }
            _ => StepMark::Other,
        }
    }
}

/// The job's status as the worker's device shows it: the office's status, moved on by what
/// the crew recorded while the office has not seen it yet: `Confirmed` by the day-before
/// call, `InProgress` once work started.
pub fn shown_status(order: &DispatchOrder, steps: &[Step]) -> crate::model::JobStatus {
    shown_status_of(
        order.view.status,
        steps.iter().map(|s| StepMark::of(&s.step)),
    )
}

/// [`shown_status`] from the steps' marks.
pub fn shown_status_of(
    status: crate::model::JobStatus,
    marks: impl IntoIterator<Item = StepMark>,
) -> crate::model::JobStatus {
    use crate::model::JobStatus;
    let (mut called, mut started) = (false, false);
    for m in marks {
        called |= m == StepMark::DayBeforeCall;
        started |= m == StepMark::StartWork;
    }
    match status {
        JobStatus::Assigned | JobStatus::Confirmed if started => JobStatus::InProgress,
        JobStatus::Assigned if called => JobStatus::Confirmed,
        s => s,
    }
}
