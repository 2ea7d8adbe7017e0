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
//! - the kit: each worker records what they take (`kit_out`, the latest per worker counts)
//!   before leaving; work starts only with the crew's kit complete (no shortfall against the
//!   job's kit, [`crate::toolkit::kit_shortfalls`]); after service the kit is counted back in
//!   front of the customer (`kit_in`), and the customer is asked to sign only after that.
//!
//! [`progress`] says where the visit stands for one worker and what blocks the next stage, in
//! words; [`check_flow`] refuses a tick, milestone or count out of order.

use crate::acceptance::{check_signed, replay, Acceptance, AcceptanceError, Action};
use crate::checklist::{ChecklistResults, ChecklistSet, Gate, GateBlocked, Phase};
use crate::lang::{Explain, Lang, Text};
use crate::model::{JobId, WorkerId};
use crate::pricing::{quote, Charge, PriceList, PricingError, Quote};
use crate::record::{ChecklistEntry, RecordCharge, ToolCount, VisitSummary};
use crate::step::{DispatchOrder, Step, StepError, StepKind};
use crate::toolkit::{
    default_kits, kit_for_services, kit_shortfalls, CheckinLine, CheckoutLine, KitCheckin,
    KitCheckout, KitShortfall, KitTemplate,
};
use serde::{Deserialize, Serialize};

/// The templates a visit follows: checklists and gates, and the kits per service (data; the
/// office may send its own).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Templates {
    pub checklists: ChecklistSet,
    pub kits: Vec<KitTemplate>,
    /// The standard price list the charge is computed from.
    pub prices: PriceList,
    /// The business's rules (the acceptance order, the satisfaction scale).
    #[serde(default)]
    pub rules: crate::Rules,
}

impl Default for Templates {
    fn default() -> Self {
        Templates {
            checklists: ChecklistSet::default(),
            kits: default_kits(),
            prices: PriceList::standard(),
            rules: crate::Rules::default(),
        }
    }
}

impl Templates {
    /// The price of `order` by the standard list: what the customer is charged, no more, no less.
    pub fn quote(&self, order: &DispatchOrder) -> Result<Quote, PricingError> {
        quote(&self.prices, &order.view.items, &[])
    }

    /// The kit of `order`'s services together.
    pub fn kit(&self, order: &DispatchOrder) -> KitTemplate {
        kit_for_services(&self.kits, order.view.items.iter().map(|i| i.code.as_str()))
    }
}

/// What the kit still lacks before a stage may end.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum KitBlock {
    /// This worker has not recorded what they take.
    #[error("the kit taken is not recorded yet")]
    NotCheckedOut,
    /// The crew's kit is short of these items.
    #[error("the kit is incomplete")]
    Short(Vec<KitShortfall>),
    /// The kit has not been counted back in front of the customer.
    #[error("the kit has not been counted back")]
    NotCountedBack,
}

impl Explain for KitBlock {
    fn explain(&self, lang: Lang) -> String {
        match (self, lang) {
            (KitBlock::NotCheckedOut, Lang::Zh) => "请先清点并记录所带工具".into(),
            (KitBlock::NotCheckedOut, Lang::En) => "Count and record the kit you take first".into(),
            (KitBlock::Short(s), lang) => {
                let sep = if lang == Lang::Zh { "；" } else { "; " };
                s.iter()
                    .map(|x| x.explain(lang))
                    .collect::<Vec<_>>()
                    .join(sep)
            }
            (KitBlock::NotCountedBack, Lang::Zh) => "请先当着客户的面清点工具".into(),
            (KitBlock::NotCountedBack, Lang::En) => {
                "Count the kit back in front of the customer first".into()
            }
        }
    }
}

/// What keeps the current stage from ending.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Blocker {
    Items(GateBlocked),
    Kit(KitBlock),
    /// The charge is not recorded yet.
    NotCharged,
}

impl Blocker {
    /// One short line for beside the list itself.
    pub fn summary(&self, lang: Lang) -> String {
        match self {
            Blocker::Items(b) => b.summary(lang),
            other => other.explain(lang),
        }
    }
}

impl Explain for Blocker {
    fn explain(&self, lang: Lang) -> String {
        match (self, lang) {
            (Blocker::Items(b), _) => b.explain(lang),
            (Blocker::Kit(k), _) => k.explain(lang),
            (Blocker::NotCharged, Lang::Zh) => "请先按标准价目表确认收费".into(),
            (Blocker::NotCharged, Lang::En) => "Confirm the charge by the price list first".into(),
        }
    }
}

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
    /// What the current stage still waits for (`None`: the next stage may begin).
    pub blocked: Option<Blocker>,
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
        // Handed over for acceptance: the first sign-off is recorded.
        None if stage == Stage::AfterService => steps
            .iter()
            .any(|s| matches!(s.step, StepKind::Accept { .. })),
        // The customer's pass ends the visit.
        None if stage == Stage::Signature => steps.iter().any(|s| {
            matches!(&s.step, StepKind::Accept { action: Action::Pass(v) }
                if v.step == crate::config::AcceptanceStep::Customer)
        }),
        // Handing over for the signature is the next slice of the flow: not yet recordable.
        None => false,
    }
}

/// The kit as taken: the latest count of each worker, with the items' names.
pub fn kit_out(kit: &KitTemplate, job: &JobId, steps: &[Step]) -> KitCheckout {
    let mut latest: Vec<&Step> = Vec::new();
    for s in in_time_order(steps) {
        if matches!(s.step, StepKind::KitOut { .. }) {
            latest.retain(|l| l.by != s.by);
            latest.push(s);
        }
    }
    let lines = latest
        .iter()
        .flat_map(|s| {
            let StepKind::KitOut { lines } = &s.step else {
                return Vec::new();
            };
            lines
                .iter()
                .map(|l| CheckoutLine {
                    worker: s.by.clone(),
                    item: l.item.clone(),
                    count: l.count,
                    name: kit.item(&l.item).map(|i| i.name.clone()),
                })
                .collect()
        })
        .collect();
    KitCheckout {
        job: job.clone(),
        service: kit.service.clone(),
        at: latest.iter().map(|s| s.at).max().unwrap_or_default(),
        lines,
    }
}

/// Whether `me` recorded what they take.
pub fn took_kit(steps: &[Step], me: &WorkerId) -> bool {
    steps
        .iter()
        .any(|s| &s.by == me && matches!(s.step, StepKind::KitOut { .. }))
}

/// The kit as counted back in (the latest count), if it was.
pub fn kit_in(job: &JobId, steps: &[Step]) -> Option<KitCheckin> {
    in_time_order(steps)
        .into_iter()
        .rev()
        .find_map(|s| match &s.step {
            StepKind::KitIn { lines } => Some(KitCheckin {
                job: job.clone(),
                at: s.at,
                lines: lines.clone(),
            }),
            _ => None,
        })
}

/// What the kit still lacks before `stage` may end for `me`.
fn kit_block(
    t: &Templates,
    order: &DispatchOrder,
    steps: &[Step],
    stage: Stage,
    me: &WorkerId,
) -> Option<KitBlock> {
    let kit = t.kit(order);
    if kit.items.is_empty() {
        return None;
    }
    match stage {
        Stage::PreDeparture if !took_kit(steps, me) => Some(KitBlock::NotCheckedOut),
        Stage::Arrival => {
            let short = kit_shortfalls(&kit, &kit_out(&kit, &order.view.job, steps));
            (!short.is_empty()).then_some(KitBlock::Short(short))
        }
        Stage::AfterService if kit_in(&order.view.job, steps).is_none() => {
            Some(KitBlock::NotCountedBack)
        }
        _ => None,
    }
}

/// The charge as recorded (the latest), if it was.
pub fn charge(steps: &[Step]) -> Option<Charge> {
    in_time_order(steps)
        .into_iter()
        .rev()
        .find_map(|s| match &s.step {
            StepKind::Charge { charge } => Some(charge.clone()),
            _ => None,
        })
}

/// What keeps `stage` from ending for `me`: its checklist gate first, then the kit, then
/// (after service) the charge.
fn blocker(
    t: &Templates,
    order: &DispatchOrder,
    steps: &[Step],
    stage: Stage,
    me: &WorkerId,
) -> Option<Blocker> {
    let items = stage
        .gate()
        .and_then(|g| all_ticks(&t.checklists, steps, me).check_gate(g).err());
    if let Some(b) = items {
        return Some(Blocker::Items(b));
    }
    if let Some(k) = kit_block(t, order, steps, stage, me) {
        return Some(Blocker::Kit(k));
    }
    (stage == Stage::AfterService && charge(steps).is_none()).then_some(Blocker::NotCharged)
}

/// Where the visit stands for `me`, and what blocks the next stage.
pub fn progress(t: &Templates, order: &DispatchOrder, steps: &[Step], me: &WorkerId) -> Progress {
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
    Progress {
        stages,
        current,
        blocked: blocker(t, order, steps, current, me),
    }
}

/// Whether `by` may record a tick, milestone or kit count now (the crew and open-job checks
/// are [`crate::step::check_step`]'s).
pub fn check_flow(
    order: &DispatchOrder,
    t: &Templates,
    steps: &[Step],
    by: &WorkerId,
    kind: &StepKind,
) -> Result<(), StepError> {
    let set = &t.checklists;
    let here = progress(t, order, steps, by);
    let not_yet = |stage: Stage| StepError::NotYet {
        stage,
        current: here.current,
    };
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
                return Err(not_yet(stage));
            }
            Ok(())
        }
        StepKind::Milestone(m) => {
            let stage = m.stage();
            if reached(steps, *m, by) {
                return Err(StepError::StageClosed(stage));
            }
            if stage > here.current {
                return Err(not_yet(stage));
            }
            match blocker(t, order, steps, stage, by) {
                None => Ok(()),
                Some(Blocker::Items(b)) => Err(StepError::Blocked(b)),
                Some(Blocker::Kit(k)) => Err(StepError::Kit(k)),
                Some(Blocker::NotCharged) => Err(StepError::NotCharged),
            }
        }
        StepKind::KitOut { lines } => {
            // Counted before leaving (a late crew member too); recounts until work starts.
            if reached(steps, Milestone::StartWork, by) && reached(steps, Milestone::Depart, by) {
                return Err(StepError::StageClosed(Stage::Arrival));
            }
            in_kit(t, order, lines.iter().map(|l| l.item.as_str()))
        }
        StepKind::KitIn { lines } => {
            if here.current < Stage::AfterService {
                return Err(not_yet(Stage::AfterService));
            }
            if lines.iter().any(|l| !order.view.crew.contains(&l.worker)) {
                return Err(StepError::NotInCrew {
                    job: order.view.job.clone(),
                    by: by.clone(),
                });
            }
            in_kit(t, order, lines.iter().map(|l| l.item.as_str()))
        }
        StepKind::Charge { charge } => {
            if here.current < Stage::AfterService {
                return Err(not_yet(Stage::AfterService));
            }
            // The computed amount is the price list's, never typed in.
            let computed = t.quote(order).map_err(StepError::Price)?.total;
            if charge.computed != computed {
                return Err(StepError::WrongPrice {
                    computed,
                    given: charge.computed,
                });
            }
            charge.validate().map_err(StepError::Charge)?;
            if let Some(crate::pricing::Deviation {
                cause: crate::pricing::DeviationCause::PoorQuality { responsible },
                ..
            }) = &charge.deviation
            {
                if !order.view.crew.contains(responsible) {
                    return Err(StepError::NotInCrew {
                        job: order.view.job.clone(),
                        by: responsible.clone(),
                    });
                }
            }
            Ok(())
        }
        StepKind::Accept { action } => {
            // Acceptance begins once the after-service stage's gate is open (list, kit
            // counted back, charge) and runs in the core's order.
            if here.current < Stage::AfterService {
                return Err(not_yet(Stage::AfterService));
            }
            if here.current == Stage::AfterService {
                match blocker(t, order, steps, Stage::AfterService, by) {
                    None => {}
                    Some(Blocker::Items(b)) => return Err(StepError::Blocked(b)),
                    Some(Blocker::Kit(k)) => return Err(StepError::Kit(k)),
                    Some(Blocker::NotCharged) => return Err(StepError::NotCharged),
                }
            }
            let text: usize = match action {
                Action::Pass(v) | Action::Fail(v) => {
                    v.remarks.chars().count()
                        + v.failed_items
                            .iter()
                            .map(|i| i.chars().count())
                            .sum::<usize>()
                        + v.actor.id.chars().count()
                }
                Action::ReworkDone { note, items, .. } => {
                    note.chars().count() + items.iter().map(|i| i.chars().count()).sum::<usize>()
                }
            };
            if text > crate::step::TEXT_MAX_CHARS {
                return Err(StepError::TooLong {
                    len: text,
                    max: crate::step::TEXT_MAX_CHARS,
                });
            }
            if let Action::Pass(v) | Action::Fail(v) = action {
                if let Some(sig) = &v.signature {
                    sig.ink().validate().map_err(StepError::Ink)?;
                }
            }
            if let Action::ReworkDone { actor, .. } = action {
                // The rework is marked by a crew member on this phone.
                if actor.id != by.0 {
                    return Err(StepError::NotInCrew {
                        job: order.view.job.clone(),
                        by: WorkerId::new(actor.id.clone()),
                    });
                }
            }
            check_signed(action).map_err(StepError::Acceptance)?;
            let mut a = acceptance(t, &order.view.job, steps).map_err(StepError::Acceptance)?;
            a.apply(action.clone()).map_err(StepError::Acceptance)?;
            Ok(())
        }
        StepKind::DayBeforeCall { .. } | StepKind::Damage(_) => Ok(()),
    }
}

/// The job's acceptance as its recorded sign-offs and reworks leave it (a refused one, e.g.
/// recorded on two phones at once, is skipped); an error only for broken rules.
pub fn acceptance(
    t: &Templates,
    job: &JobId,
    steps: &[Step],
) -> Result<Acceptance, AcceptanceError> {
    let actions = in_time_order(steps)
        .into_iter()
        .filter_map(|s| match &s.step {
            StepKind::Accept { action } => Some(action.clone()),
            _ => None,
        });
    replay(job.clone(), &t.rules, actions).map(|(a, _)| a)
}

/// What the visit leaves on its record: the crew, every checklist item's latest tick (per
/// worker for the personal pre-departure list), the kit out and back per item, the charge.
/// Damage reports are added by the caller with [`VisitSummary::with_damage`], which knows
/// their photos' stored digests.
pub fn visit_summary(t: &Templates, order: &DispatchOrder, steps: &[Step]) -> VisitSummary {
    let mut checklist: Vec<ChecklistEntry> = Vec::new();
    for s in in_time_order(steps) {
        let StepKind::Tick { item, done } = &s.step else {
            continue;
        };
        checklist.retain(|e| !(&e.item_id == item && e.by == s.by));
        checklist.push(ChecklistEntry {
            item_id: item.clone(),
            done: *done,
            at: s.at,
            by: s.by.clone(),
        });
    }
    let kit = t.kit(order);
    let out = kit_out(&kit, &order.view.job, steps);
    let back = kit_in(&order.view.job, steps);
    let mut tools: Vec<ToolCount> = Vec::new();
    let counts = out.lines.iter().map(|l| (&l.item, l.count, 0, 0)).chain(
        back.iter()
            .flat_map(|b| b.lines.iter())
            .map(|l| (&l.item, 0, l.good, l.damaged)),
    );
    for (item, o, b, d) in counts {
        let i = match tools.iter().position(|c| &c.item == item) {
            Some(i) => i,
            None => {
                tools.push(ToolCount {
                    item: item.clone(),
                    out: 0,
                    back: 0,
                    damaged: 0,
                });
                tools.len() - 1
            }
        };
        if let Some(c) = tools.get_mut(i) {
            c.out = c.out.saturating_add(o);
            c.back = c.back.saturating_add(b);
            c.damaged = c.damaged.saturating_add(d);
        }
    }
    VisitSummary {
        workers: order.view.crew.clone(),
        checklist,
        tools,
        charge: charge(steps).as_ref().map(RecordCharge::from),
        damage: Vec::new(),
    }
}

fn in_kit<'a>(
    t: &Templates,
    order: &DispatchOrder,
    mut items: impl Iterator<Item = &'a str>,
) -> Result<(), StepError> {
    let kit = t.kit(order);
    match items.find(|i| kit.item(i).is_none()) {
        Some(i) => Err(StepError::NotInKit(i.to_owned())),
        None => Ok(()),
    }
}

/// Check-in lines prefilled from the check-out: everything back, nothing damaged.
pub fn checkin_from(out: &KitCheckout) -> Vec<CheckinLine> {
    out.lines
        .iter()
        .map(|l| CheckinLine {
            worker: l.worker.clone(),
            item: l.item.clone(),
            good: l.count,
            damaged: 0,
        })
        .collect()
}
