//! Acceptance (验收): the sign-off chain of a finished job, as a state machine.
//!
//! The chain follows `Rules::acceptance_order` (by default: on-site worker's self-check →
//! team supervisor → office supervisor → customer), copied into the state when acceptance
//! starts so that a later change of the rules cannot corrupt a running acceptance.
//!
//! * Each step **passes** or **fails** with the failed items (a fail needs at least one).
//! * A fail ends the round and sends the job to **rework**. Nothing can be signed off until
//!   the on-site responsible worker (worker or team leader) marks **every failed item**
//!   reworked ([`Action::ReworkDone`]); that opens the next round.
//! * **After a customer's fail, the customer accepts again** (procedure step 8,
//!   acceptance: the failed items go into the remarks, the responsible worker reworks them,
//!   the second acceptance time is recorded, the customer signs and scores again — until
//!   satisfied): the next round is the customer's step alone, unless
//!   `Rules::recheck_after_rework` (default false) asks the staff steps to sign off again
//!   first, in which case it runs the whole order. A round failed at a staff step (the
//!   customer has not judged yet) always starts again from the first step.
//! * The customer's pass needs a non-blank signature and a satisfaction score in
//!   `1..=Rules::satisfaction_max`; a customer's fail records remarks and, if given, a score
//!   (checked the same way) and a signature (must not be blank).
//! * Only the right role acts on a step: the self-check is done by a worker or team leader,
//!   the supervisors' steps by that supervisor, the customer's by the customer.
//! * Actions are in time order: an action dated before the previous one is refused.
//!
//! Every round is kept (number, step results with times, rework), so the time of the
//! second acceptance ([`Acceptance::second_acceptance_time`]: when the customer accepts
//! again, i.e. the customer's second verdict) — or any round's start — is queryable.
//! Illegal actions are [`AcceptanceError`]s; the state is unchanged by them.

use crate::config::{AcceptanceStep, Rules};
use crate::lang::{Explain, Lang};
use crate::model::{JobId, JobStatus, Role, Signature};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use thiserror::Error;

impl AcceptanceStep {
    /// Roles allowed to act on this step.
    pub fn roles(self) -> &'static [Role] {
        match self {
            AcceptanceStep::WorkerSelfCheck => &[Role::Worker, Role::TeamLeader],
            AcceptanceStep::TeamSupervisor => &[Role::TeamSupervisor],
            AcceptanceStep::OfficeSupervisor => &[Role::OfficeSupervisor],
            AcceptanceStep::Customer => &[Role::Customer],
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (AcceptanceStep::WorkerSelfCheck, Lang::Zh) => "现场负责人自检",
            (AcceptanceStep::WorkerSelfCheck, Lang::En) => "worker self-check",
            (AcceptanceStep::TeamSupervisor, Lang::Zh) => "保洁班主管验收",
            (AcceptanceStep::TeamSupervisor, Lang::En) => "team supervisor",
            (AcceptanceStep::OfficeSupervisor, Lang::Zh) => "办公室主管验收",
            (AcceptanceStep::OfficeSupervisor, Lang::En) => "office supervisor",
            (AcceptanceStep::Customer, Lang::Zh) => "客户验收",
            (AcceptanceStep::Customer, Lang::En) => "customer",
        }
    }
}

fn role_label(role: Role, lang: Lang) -> &'static str {
    match (role, lang) {
        (Role::Dispatcher, Lang::Zh) => "调度",
        (Role::Dispatcher, Lang::En) => "dispatcher",
        (Role::Worker, Lang::Zh) => "服务人员",
        (Role::Worker, Lang::En) => "worker",
        (Role::TeamLeader, Lang::Zh) => "组长",
        (Role::TeamLeader, Lang::En) => "team leader",
        (Role::TeamSupervisor, Lang::Zh) => "保洁班主管",
        (Role::TeamSupervisor, Lang::En) => "team supervisor",
        (Role::OfficeSupervisor, Lang::Zh) => "办公室主管",
        (Role::OfficeSupervisor, Lang::En) => "office supervisor",
        (Role::Customer, Lang::Zh) => "客户",
        (Role::Customer, Lang::En) => "customer",
    }
}

/// Who acts: an id (badge number, staff id or the customer's name) and the role.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub id: String,
    pub role: Role,
}

/// A pass or a fail of one step.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    pub step: AcceptanceStep,
    pub actor: Actor,
    pub at: NaiveDateTime,
    /// Empty for a pass; the failed items for a fail.
    #[serde(default)]
    pub failed_items: Vec<String>,
    #[serde(default)]
    pub remarks: String,
    /// Customer only.
    #[serde(default)]
    pub satisfaction: Option<u8>,
    #[serde(default)]
    pub signature: Option<Signature>,
}

/// What someone does to the acceptance.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    Pass(Verdict),
    Fail(Verdict),
    /// The responsible worker reworked the failed `items` (every failed item of the round,
    /// as written in the fail); the next round opens.
    ReworkDone {
        actor: Actor,
        at: NaiveDateTime,
        #[serde(default)]
        items: Vec<String>,
        #[serde(default)]
        note: String,
    },
}

impl Action {
    pub fn at(&self) -> NaiveDateTime {
        match self {
            Action::Pass(v) | Action::Fail(v) => v.at,
            Action::ReworkDone { at, .. } => *at,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Pass,
    Fail,
}

/// A recorded step.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepResult {
    pub outcome: Outcome,
    #[serde(flatten)]
    pub verdict: Verdict,
}

/// The rework after a failed round.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rework {
    pub actor: Actor,
    pub done_at: NaiveDateTime,
    /// The failed items marked reworked.
    #[serde(default)]
    pub items: Vec<String>,
    #[serde(default)]
    pub note: String,
}

/// One pass through the chain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Round {
    /// 1 for the first acceptance, 2 for the second, …
    pub number: u32,
    pub steps: Vec<StepResult>,
    /// Set on a failed round once the rework is done.
    #[serde(default)]
    pub rework: Option<Rework>,
}

impl Round {
    /// When this round's acceptance began: the time of its first step.
    pub fn started_at(&self) -> Option<NaiveDateTime> {
        self.steps.first().map(|s| s.verdict.at)
    }

    /// Did the round end with a failed step?
    pub fn failed(&self) -> bool {
        self.steps
            .last()
            .is_some_and(|s| s.outcome == Outcome::Fail)
    }

    /// Failed items of the round's failing step.
    pub fn failed_items(&self) -> &[String] {
        match self.steps.last() {
            Some(s) if s.outcome == Outcome::Fail => &s.verdict.failed_items,
            _ => &[],
        }
    }
}

/// Where the acceptance stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "stage", rename_all = "snake_case")]
pub enum Stage {
    /// Waiting for `step` of round `round`.
    Awaiting { round: u32, step: AcceptanceStep },
    /// Round `round` failed; waiting for the rework to be done.
    Rework { round: u32 },
    /// Every step passed in round `round`; nothing more can happen.
    Accepted { round: u32 },
}

impl Stage {
    /// The job status this stage means.
    pub fn job_status(self) -> JobStatus {
        match self {
            Stage::Awaiting { .. } => JobStatus::Acceptance,
            Stage::Rework { .. } => JobStatus::Rework,
            Stage::Accepted { .. } => JobStatus::Completed,
        }
    }
}

/// Refused actions and broken configurations.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Error)]
#[serde(tag = "error", rename_all = "snake_case")]
pub enum AcceptanceError {
    #[error("the acceptance order is empty")]
    EmptyOrder,
    #[error("step {step:?} appears twice in the acceptance order")]
    DuplicateStep { step: AcceptanceStep },
    #[error("satisfaction_max is 0: the customer cannot score")]
    NoSatisfactionScale,
    #[error("expected step {expected:?}, got {got:?}")]
    WrongStep {
        expected: AcceptanceStep,
        got: AcceptanceStep,
    },
    #[error("the job is already accepted")]
    AlreadyAccepted,
    #[error("round {round} failed: the rework must be marked done first")]
    InRework { round: u32 },
    #[error("the job is not in rework")]
    NotInRework,
    #[error("role {role:?} cannot act on step {step:?}")]
    WrongRole { step: AcceptanceStep, role: Role },
    #[error("only the worker or team leader marks rework done, not {role:?}")]
    WrongReworkRole { role: Role },
    #[error("failed items not marked reworked: {items:?}")]
    ReworkItemsMissing { items: Vec<String> },
    #[error("{item:?} is not a failed item of this round")]
    NotAFailedItem { item: String },
    #[error("the customer's pass needs a signature")]
    MissingSignature,
    #[error("the signature is blank")]
    BlankSignature,
    #[error("the customer's pass needs a satisfaction score")]
    MissingScore,
    #[error("satisfaction {score} is outside 1..={max}")]
    ScoreOutOfRange { score: u8, max: u8 },
    #[error("only the customer scores satisfaction, not step {step:?}")]
    ScoreNotExpected { step: AcceptanceStep },
    #[error("a fail must name the failed items")]
    FailWithoutItems,
    #[error("a pass cannot have failed items")]
    PassWithFailedItems,
    #[error("action at {at} is before the previous action at {last}")]
    TimeWentBackwards {
        last: NaiveDateTime,
        at: NaiveDateTime,
    },
    /// A loaded state that no sequence of legal actions can reach.
    #[error("inconsistent acceptance state: {0}")]
    Inconsistent(String),
}

impl Explain for AcceptanceError {
    fn explain(&self, lang: Lang) -> String {
        use AcceptanceError as E;
        let zh = lang == Lang::Zh;
        let pick = |z: String, e: String| if zh { z } else { e };
        match self {
            E::EmptyOrder => pick(
                "验收顺序为空".into(),
                "The acceptance order is empty".into(),
            ),
            E::DuplicateStep { step } => pick(
                format!("验收顺序中{}重复", step.label(lang)),
                format!(
                    "The {} step appears twice in the acceptance order",
                    step.label(lang)
                ),
            ),
            E::NoSatisfactionScale => pick(
                "满意度上限为 0，客户无法评分".into(),
                "The satisfaction scale is 0: the customer cannot score".into(),
            ),
            E::WrongStep { expected, got } => pick(
                format!(
                    "现在应进行{}，而不是{}",
                    expected.label(lang),
                    got.label(lang)
                ),
                format!(
                    "Now the {} step is due, not the {} step",
                    expected.label(lang),
                    got.label(lang)
                ),
            ),
            E::AlreadyAccepted => pick(
                "该订单已验收完毕".into(),
                "The job is already accepted".into(),
            ),
            E::InRework { round } => pick(
                format!("第 {round} 次验收未通过：须先完成返工"),
                format!("Acceptance round {round} failed: the rework must be done first"),
            ),
            E::NotInRework => pick("该订单不在返工中".into(), "The job is not in rework".into()),
            E::WrongRole { step, role } => pick(
                format!("{}不能进行{}", role_label(*role, lang), step.label(lang)),
                format!(
                    "A {} cannot act on the {} step",
                    role_label(*role, lang),
                    step.label(lang)
                ),
            ),
            E::WrongReworkRole { role } => pick(
                format!(
                    "返工完成须由服务人员或组长确认，不能由{}确认",
                    role_label(*role, lang)
                ),
                format!(
                    "Only the worker or team leader marks rework done, not a {}",
                    role_label(*role, lang)
                ),
            ),
            E::ReworkItemsMissing { items } => pick(
                format!("以下不合格项目尚未标记返工完成：{}", items.join("、")),
                format!("Failed items not marked reworked: {}", items.join(", ")),
            ),
            E::NotAFailedItem { item } => pick(
                format!("“{item}”不是本次验收的不合格项目"),
                format!("“{item}” is not a failed item of this acceptance round"),
            ),
            E::MissingSignature => pick(
                "客户验收通过须有客户签字".into(),
                "The customer's pass needs a signature".into(),
            ),
            E::BlankSignature => pick("签名为空".into(), "The signature is blank".into()),
            E::MissingScore => pick(
                "客户验收通过须评满意度".into(),
                "The customer's pass needs a satisfaction score".into(),
            ),
            E::ScoreOutOfRange { score, max } => pick(
                format!("满意度 {score} 不在 1 到 {max} 之间"),
                format!("Satisfaction {score} is outside 1 to {max}"),
            ),
            E::ScoreNotExpected { step } => pick(
                format!("只有客户评满意度，{}不评分", step.label(lang)),
                format!(
                    "Only the customer scores satisfaction, not the {} step",
                    step.label(lang)
                ),
            ),
            E::FailWithoutItems => pick(
                "验收不合格须写明不合格项目".into(),
                "A fail must name the failed items".into(),
            ),
            E::PassWithFailedItems => pick(
                "验收合格不能带不合格项目".into(),
                "A pass cannot have failed items".into(),
            ),
            E::TimeWentBackwards { last, at } => pick(
                format!("操作时间 {at} 早于上一次操作 {last}"),
                format!("The action at {at} is before the previous one at {last}"),
            ),
            E::Inconsistent(why) => pick(
                format!("验收状态不一致：{why}"),
                format!("Inconsistent acceptance state: {why}"),
            ),
        }
    }
}

/// The acceptance of one job: configuration copied from the rules and the full history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Acceptance {
    job: JobId,
    order: Vec<AcceptanceStep>,
    /// `Rules::recheck_after_rework` when acceptance started.
    recheck_after_rework: bool,
    satisfaction_max: u8,
    /// Never empty: the last round is the current one.
    rounds: Vec<Round>,
}

impl Acceptance {
    /// Starts acceptance of `job` (round 1, waiting for the first step).
    pub fn start(job: JobId, rules: &Rules) -> Result<Self, AcceptanceError> {
        check_config(&rules.acceptance_order, rules.satisfaction_max)?;
        Ok(Acceptance {
            job,
            order: rules.acceptance_order.clone(),
            recheck_after_rework: rules.recheck_after_rework,
            satisfaction_max: rules.satisfaction_max,
            rounds: vec![Round {
                number: 1,
                steps: Vec::new(),
                rework: None,
            }],
        })
    }

    pub fn job(&self) -> &JobId {
        &self.job
    }

    pub fn order(&self) -> &[AcceptanceStep] {
        &self.order
    }

    /// Whether the staff steps sign off again after the rework of a customer's fail.
    pub fn recheck_after_rework(&self) -> bool {
        self.recheck_after_rework
    }

    /// The steps of the round at `index` (0-based): the whole order, except after a round
    /// the customer failed when no re-check is asked for: then the customer's step alone.
    pub fn round_steps(&self, index: usize) -> &[AcceptanceStep] {
        let customer_failed = index
            .checked_sub(1)
            .and_then(|p| self.rounds.get(p))
            .and_then(|r| r.steps.last())
            .is_some_and(|s| {
                s.outcome == Outcome::Fail && s.verdict.step == AcceptanceStep::Customer
            });
        if customer_failed && !self.recheck_after_rework {
            CUSTOMER_ONLY
        } else {
            &self.order
        }
    }

    pub fn rounds(&self) -> &[Round] {
        &self.rounds
    }

    /// Round `number` (1-based).
    pub fn round(&self, number: u32) -> Option<&Round> {
        self.rounds.iter().find(|r| r.number == number)
    }

    /// When round `number`'s acceptance began (its first step), if it has begun.
    pub fn acceptance_time(&self, number: u32) -> Option<NaiveDateTime> {
        self.round(number).and_then(Round::started_at)
    }

    /// The customer's verdicts (passes and fails), in order.
    pub fn customer_verdicts(&self) -> impl Iterator<Item = &StepResult> {
        self.rounds
            .iter()
            .flat_map(|r| r.steps.iter())
            .filter(|s| s.verdict.step == AcceptanceStep::Customer)
    }

    /// The second acceptance time (第二次验收时间): when the customer accepted again after
    /// the rework, i.e. the time of the customer's second verdict.
    pub fn second_acceptance_time(&self) -> Option<NaiveDateTime> {
        self.customer_verdicts().nth(1).map(|s| s.verdict.at)
    }

    fn current(&self) -> Option<&Round> {
        self.rounds.last()
    }

    /// Where the acceptance stands now.
    pub fn stage(&self) -> Stage {
        let Some(r) = self.current() else {
            // Unreachable through the API; treat as a fresh start.
            return Stage::Awaiting {
                round: 1,
                step: self
                    .order
                    .first()
                    .copied()
                    .unwrap_or(AcceptanceStep::Customer),
            };
        };
        if r.failed() {
            return Stage::Rework { round: r.number };
        }
        let steps = self.round_steps(self.rounds.len().saturating_sub(1));
        match steps.get(r.steps.len()) {
            Some(&step) => Stage::Awaiting {
                round: r.number,
                step,
            },
            None => Stage::Accepted { round: r.number },
        }
    }

    pub fn job_status(&self) -> JobStatus {
        self.stage().job_status()
    }

    pub fn is_accepted(&self) -> bool {
        matches!(self.stage(), Stage::Accepted { .. })
    }

    /// The customer's final signature and score, once accepted.
    pub fn final_customer_verdict(&self) -> Option<&Verdict> {
        if !self.is_accepted() {
            return None;
        }
        self.current()?
            .steps
            .iter()
            .rev()
            .find(|s| s.verdict.step == AcceptanceStep::Customer)
            .map(|s| &s.verdict)
    }

    fn last_time(&self) -> Option<NaiveDateTime> {
        self.rounds.iter().rev().find_map(|r| {
            r.rework
                .as_ref()
                .map(|w| w.done_at)
                .or_else(|| r.steps.last().map(|s| s.verdict.at))
        })
    }

    /// Applies `action`, or refuses it and leaves the state unchanged.
    pub fn apply(&mut self, action: Action) -> Result<Stage, AcceptanceError> {
        if let Some(last) = self.last_time() {
            let at = action.at();
            if at < last {
                return Err(AcceptanceError::TimeWentBackwards { last, at });
            }
        }
        let stage = self.stage();
        match action {
            Action::ReworkDone {
                actor,
                at,
                items,
                note,
            } => {
                let Stage::Rework { round } = stage else {
                    return Err(AcceptanceError::NotInRework);
                };
                if !matches!(actor.role, Role::Worker | Role::TeamLeader) {
                    return Err(AcceptanceError::WrongReworkRole { role: actor.role });
                }
                let failed = self.current().map(Round::failed_items).unwrap_or_default();
                check_rework_items(failed, &items)?;
                if let Some(r) = self.rounds.last_mut() {
                    r.rework = Some(Rework {
                        actor,
                        done_at: at,
                        items,
                        note,
                    });
                }
                self.rounds.push(Round {
                    number: round.saturating_add(1),
                    steps: Vec::new(),
                    rework: None,
                });
            }
            Action::Pass(v) => {
                self.check_verdict(stage, &v, Outcome::Pass)?;
                self.record(Outcome::Pass, v);
            }
            Action::Fail(v) => {
                self.check_verdict(stage, &v, Outcome::Fail)?;
                self.record(Outcome::Fail, v);
            }
        }
        Ok(self.stage())
    }

    fn record(&mut self, outcome: Outcome, verdict: Verdict) {
        if let Some(r) = self.rounds.last_mut() {
            r.steps.push(StepResult { outcome, verdict });
        }
    }

    fn check_verdict(
        &self,
        stage: Stage,
        v: &Verdict,
        outcome: Outcome,
    ) -> Result<(), AcceptanceError> {
        let expected = match stage {
            Stage::Accepted { .. } => return Err(AcceptanceError::AlreadyAccepted),
            Stage::Rework { round } => return Err(AcceptanceError::InRework { round }),
            Stage::Awaiting { step, .. } => step,
        };
        if v.step != expected {
            return Err(AcceptanceError::WrongStep {
                expected,
                got: v.step,
            });
        }
        if !v.step.roles().contains(&v.actor.role) {
            return Err(AcceptanceError::WrongRole {
                step: v.step,
                role: v.actor.role,
            });
        }
        match outcome {
            Outcome::Pass if !v.failed_items.is_empty() => {
                return Err(AcceptanceError::PassWithFailedItems)
            }
            Outcome::Fail if v.failed_items.iter().all(|i| i.trim().is_empty()) => {
                return Err(AcceptanceError::FailWithoutItems)
            }
            _ => {}
        }
        if let Some(sig) = &v.signature {
            if sig.is_blank() {
                return Err(AcceptanceError::BlankSignature);
            }
        }
        let is_customer = v.step == AcceptanceStep::Customer;
        match v.satisfaction {
            Some(_) if !is_customer => {
                return Err(AcceptanceError::ScoreNotExpected { step: v.step })
            }
            Some(score) if score == 0 || score > self.satisfaction_max => {
                return Err(AcceptanceError::ScoreOutOfRange {
                    score,
                    max: self.satisfaction_max,
                })
            }
            _ => {}
        }
        if is_customer && outcome == Outcome::Pass {
            if v.signature.is_none() {
                return Err(AcceptanceError::MissingSignature);
            }
            if v.satisfaction.is_none() {
                return Err(AcceptanceError::MissingScore);
            }
        }
        Ok(())
    }

    /// Checks that this state is one the API can reach (use after loading it from storage).
    pub fn validate(&self) -> Result<(), AcceptanceError> {
        check_config(&self.order, self.satisfaction_max)?;
        let bad = |why: String| Err(AcceptanceError::Inconsistent(why));
        if self.rounds.is_empty() {
            return bad("no rounds".to_owned());
        }
        let mut last: Option<NaiveDateTime> = None;
        let n = self.rounds.len();
        for (i, r) in self.rounds.iter().enumerate() {
            let is_last = i + 1 == n;
            if u32::try_from(i + 1).ok() != Some(r.number) {
                return bad(format!("round {} is number {}", i + 1, r.number));
            }
            let steps = self.round_steps(i);
            if r.steps.len() > steps.len() {
                return bad(format!("round {} has too many steps", r.number));
            }
            for (j, s) in r.steps.iter().enumerate() {
                if steps.get(j) != Some(&s.verdict.step) {
                    return bad(format!("round {} step {} is out of order", r.number, j + 1));
                }
                if s.outcome == Outcome::Fail && j + 1 != r.steps.len() {
                    return bad(format!("round {} continues after a fail", r.number));
                }
                if last.is_some_and(|l| s.verdict.at < l) {
                    return bad(format!(
                        "round {} step {} goes back in time",
                        r.number,
                        j + 1
                    ));
                }
                last = Some(s.verdict.at);
            }
            match (&r.rework, r.failed(), is_last) {
                (Some(w), true, false) => {
                    if check_rework_items(r.failed_items(), &w.items).is_err() {
                        return bad(format!(
                            "round {} rework does not list its failed items",
                            r.number
                        ));
                    }
                    if last.is_some_and(|l| w.done_at < l) {
                        return bad(format!("round {} rework goes back in time", r.number));
                    }
                    last = Some(w.done_at);
                }
                (None, true, true) | (None, false, true) => {}
                _ => {
                    return bad(format!(
                        "round {} rework does not match its outcome",
                        r.number
                    ))
                }
            }
        }
        Ok(())
    }
}

/// The acceptance of `job` as a device replays it from the recorded actions (in time order):
/// each action is applied in turn; one the machine refuses (e.g. the same sign-off recorded
/// on two phones) is skipped and returned with its error, so a stored history never hides
/// the rest.
pub fn replay(
    job: JobId,
    rules: &Rules,
    actions: impl IntoIterator<Item = Action>,
) -> Result<(Acceptance, Vec<(Action, AcceptanceError)>), AcceptanceError> {
    let mut a = Acceptance::start(job, rules)?;
    let mut refused = Vec::new();
    for action in actions {
        if let Err(e) = a.apply(action.clone()) {
            refused.push((action, e));
        }
    }
    Ok((a, refused))
}

/// On the phone every sign-off is signed by hand: a pass or a fail of any step carries the
/// signature of the one who gives it (supervisors after their own PIN, the customer in
/// customer mode), not blank. Checked before [`Acceptance::apply`] by the step rules.
pub fn check_signed(action: &Action) -> Result<(), AcceptanceError> {
    match action {
        Action::Pass(v) | Action::Fail(v) => match &v.signature {
            None => Err(AcceptanceError::MissingSignature),
            Some(s) if s.is_blank() => Err(AcceptanceError::BlankSignature),
            Some(_) => Ok(()),
        },
        Action::ReworkDone { .. } => Ok(()),
    }
}

/// Whether `action`, just applied, ended its round (a fail, or the last pass): the moment
/// the round's service record is signed and sealed.
pub fn closes_round(action: &Action, stage_after: Stage) -> bool {
    matches!(action, Action::Pass(_) | Action::Fail(_))
        && matches!(stage_after, Stage::Rework { .. } | Stage::Accepted { .. })
}

impl Stage {
    /// The step awaited, if any.
    pub fn awaiting(self) -> Option<AcceptanceStep> {
        match self {
            Stage::Awaiting { step, .. } => Some(step),
            _ => None,
        }
    }

    /// The round this stage is in.
    pub fn round(self) -> u32 {
        match self {
            Stage::Awaiting { round, .. } | Stage::Rework { round } | Stage::Accepted { round } => {
                round
            }
        }
    }
}

/// A customer-only round (after the rework of a customer's fail, no re-check).
const CUSTOMER_ONLY: &[AcceptanceStep] = &[AcceptanceStep::Customer];

/// The worker marks every failed item (blank ones aside) reworked, and nothing else.
/// Items are compared with surrounding spaces trimmed.
fn check_rework_items(failed: &[String], items: &[String]) -> Result<(), AcceptanceError> {
    let given: Vec<&str> = items
        .iter()
        .map(|i| i.trim())
        .filter(|i| !i.is_empty())
        .collect();
    let wanted: Vec<&str> = failed
        .iter()
        .map(|i| i.trim())
        .filter(|i| !i.is_empty())
        .collect();
    let missing: Vec<String> = wanted
        .iter()
        .filter(|w| !given.contains(w))
        .map(|w| (*w).to_owned())
        .collect();
    if !missing.is_empty() {
        return Err(AcceptanceError::ReworkItemsMissing { items: missing });
    }
    if let Some(extra) = given.iter().find(|g| !wanted.contains(g)) {
        return Err(AcceptanceError::NotAFailedItem {
            item: (*extra).to_owned(),
        });
    }
    Ok(())
}

fn check_config(order: &[AcceptanceStep], satisfaction_max: u8) -> Result<(), AcceptanceError> {
    if order.is_empty() {
        return Err(AcceptanceError::EmptyOrder);
    }
    for (i, s) in order.iter().enumerate() {
        if order.iter().skip(i + 1).any(|o| o == s) {
            return Err(AcceptanceError::DuplicateStep { step: *s });
        }
    }
    if satisfaction_max == 0 {
        return Err(AcceptanceError::NoSatisfactionScale);
    }
    Ok(())
}
