//! Booking (预约 / 接单): what a store may do with an order that reaches it.
//!
//! * **A call-centre order must be accepted** (procedure step 1, booking: "an order placed
//!   by the call centre must be accepted by the store — a store may not reject it; unclear
//!   details go back to the call centre for confirmation"): declining an order whose
//!   source is [`BookingSource::CallCentre`] is refused with
//!   [`BookingError::CallCentreOrderMustBeAccepted`]. When the customer's details are
//!   unclear the store sends it back to the call centre with the question asked
//!   ([`BookingAction::AskCallCentre`]); the call centre answers ([`BookingAction::Answer`])
//!   and the order is with the store again, as often as needed, until the store accepts it.
//! * An order from any other source (walk-in, phone) is accepted, or declined with a
//!   non-blank reason.
//!
//! States ([`BookingState`]): `Received` → `Accepted` | `Declined`, and, for a call-centre
//! order, `Received` → `WithCallCentre` → (answer) → `Received`. Accepted and declined are
//! final. The state is derived from the recorded history (the decision and every question
//! with its answer), so it cannot disagree with it. Actions are in time order. Illegal
//! actions are [`BookingError`]s and leave the booking unchanged.

use crate::lang::{Explain, Lang};
use crate::model::{BookingSource, JobId};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Where an order stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BookingState {
    /// With the store, waiting for its decision.
    Received,
    /// Sent back to the call centre with a question; waiting for its answer.
    WithCallCentre,
    /// Taken by the store: the job is booked.
    Accepted,
    /// Declined by the store, with a reason (never a call-centre order).
    Declined,
}

impl Explain for BookingState {
    fn explain(&self, lang: Lang) -> String {
        match (self, lang) {
            (BookingState::Received, Lang::Zh) => "待门店接单",
            (BookingState::Received, Lang::En) => "waiting for the store",
            (BookingState::WithCallCentre, Lang::Zh) => "已退回呼叫中心确认",
            (BookingState::WithCallCentre, Lang::En) => "sent back to the call centre",
            (BookingState::Accepted, Lang::Zh) => "门店已接单",
            (BookingState::Accepted, Lang::En) => "accepted by the store",
            (BookingState::Declined, Lang::Zh) => "门店已拒单",
            (BookingState::Declined, Lang::En) => "declined by the store",
        }
        .to_owned()
    }
}

/// What the store or the call centre does with an order. `by` is the staff id or agent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum BookingAction {
    /// The store takes the order.
    Accept { by: String, at: NaiveDateTime },
    /// The store declines the order (not allowed for a call-centre order).
    Decline {
        by: String,
        at: NaiveDateTime,
        reason: String,
    },
    /// The store sends a call-centre order back: the customer's details are unclear.
    AskCallCentre {
        by: String,
        at: NaiveDateTime,
        question: String,
    },
    /// The call centre answers the open question; the order is with the store again.
    Answer {
        by: String,
        at: NaiveDateTime,
        answer: String,
    },
}

impl BookingAction {
    pub fn at(&self) -> NaiveDateTime {
        match self {
            BookingAction::Accept { at, .. }
            | BookingAction::Decline { at, .. }
            | BookingAction::AskCallCentre { at, .. }
            | BookingAction::Answer { at, .. } => *at,
        }
    }
}

/// An answer of the call centre.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answer {
    pub by: String,
    pub at: NaiveDateTime,
    pub text: String,
}

/// One round trip to the call centre: the store's question and, once given, the answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clarification {
    pub asked_by: String,
    pub asked_at: NaiveDateTime,
    pub question: String,
    #[serde(default)]
    pub answer: Option<Answer>,
}

/// The store's final decision.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "decision", rename_all = "snake_case")]
pub enum Decision {
    Accepted {
        by: String,
        at: NaiveDateTime,
    },
    Declined {
        by: String,
        at: NaiveDateTime,
        reason: String,
    },
}

/// Refused actions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Error)]
#[serde(tag = "error", rename_all = "snake_case")]
pub enum BookingError {
    /// A store tried to decline an order of the call centre.
    #[error("an order from the call centre must be accepted; unclear details go back to the call centre")]
    CallCentreOrderMustBeAccepted,
    /// Only a call-centre order goes back to the call centre.
    #[error("only a call-centre order can be sent back to the call centre (this one: {from:?})")]
    NotFromCallCentre { from: BookingSource },
    #[error("declining an order needs a reason")]
    BlankReason,
    #[error("the question to the call centre is blank")]
    BlankQuestion,
    #[error("the call centre's answer is blank")]
    BlankAnswer,
    /// The order is with the call centre: the store waits for the answer.
    #[error("the order is with the call centre, waiting for its answer")]
    WithCallCentre,
    #[error("no question is waiting for an answer")]
    NoOpenQuestion,
    #[error("the order is already {state:?}")]
    AlreadyDecided { state: BookingState },
    #[error("action at {at} is before the previous action at {last}")]
    TimeWentBackwards {
        last: NaiveDateTime,
        at: NaiveDateTime,
    },
    /// A loaded booking that no sequence of legal actions can reach.
    #[error("inconsistent booking: {0}")]
    Inconsistent(String),
}

impl Explain for BookingError {
    fn explain(&self, lang: Lang) -> String {
        use BookingError as E;
        let zh = lang == Lang::Zh;
        let pick = |z: String, e: String| if zh { z } else { e };
        match self {
            E::CallCentreOrderMustBeAccepted => pick(
                "呼叫中心的订单门店必须接单，不能拒绝；客户信息不清楚时请退回呼叫中心确认".into(),
                "An order from the call centre must be accepted, not declined; if the customer's details are unclear, send it back to the call centre with your question".into(),
            ),
            E::NotFromCallCentre { from } => pick(
                format!("只有呼叫中心的订单才能退回呼叫中心（此单来源：{}）", source_label(*from, lang)),
                format!("Only a call-centre order can be sent back to the call centre (this one: {})", source_label(*from, lang)),
            ),
            E::BlankReason => pick("拒单须写明原因".into(), "Declining an order needs a reason".into()),
            E::BlankQuestion => pick(
                "退回呼叫中心须写明要确认的问题".into(),
                "Say what the call centre should confirm".into(),
            ),
            E::BlankAnswer => pick("呼叫中心的答复为空".into(), "The call centre's answer is blank".into()),
            E::WithCallCentre => pick(
                "订单已退回呼叫中心确认，请等待答复".into(),
                "The order is with the call centre: wait for its answer".into(),
            ),
            E::NoOpenQuestion => pick("没有待答复的问题".into(), "No question is waiting for an answer".into()),
            E::AlreadyDecided { state } => pick(
                format!("该订单{}，不能再更改", state.explain(lang)),
                format!("The order is already {}", state.explain(lang)),
            ),
            E::TimeWentBackwards { last, at } => pick(
                format!("操作时间 {at} 早于上一次操作 {last}"),
                format!("The action at {at} is before the previous one at {last}"),
            ),
            E::Inconsistent(why) => pick(format!("订单状态不一致：{why}"), format!("Inconsistent booking: {why}")),
        }
    }
}

fn source_label(source: BookingSource, lang: Lang) -> &'static str {
    match (source, lang) {
        (BookingSource::CallCentre, Lang::Zh) => "呼叫中心",
        (BookingSource::CallCentre, Lang::En) => "call centre",
        (BookingSource::WalkIn, Lang::Zh) => "到店",
        (BookingSource::WalkIn, Lang::En) => "walk-in",
        (BookingSource::Phone, Lang::Zh) => "电话",
        (BookingSource::Phone, Lang::En) => "phone",
    }
}

fn blank(s: &str) -> bool {
    s.trim().is_empty()
}

/// An order and everything that happened to it at the store.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Booking {
    job: JobId,
    source: BookingSource,
    received_at: NaiveDateTime,
    #[serde(default)]
    clarifications: Vec<Clarification>,
    #[serde(default)]
    decision: Option<Decision>,
}

impl Booking {
    /// An order from `source` reaches the store at `at`.
    pub fn receive(job: JobId, source: BookingSource, at: NaiveDateTime) -> Self {
        Booking {
            job,
            source,
            received_at: at,
            clarifications: Vec::new(),
            decision: None,
        }
    }

    pub fn job(&self) -> &JobId {
        &self.job
    }

    pub fn source(&self) -> BookingSource {
        self.source
    }

    pub fn received_at(&self) -> NaiveDateTime {
        self.received_at
    }

    /// Every question asked of the call centre, in order, with its answer once given.
    pub fn clarifications(&self) -> &[Clarification] {
        &self.clarifications
    }

    pub fn decision(&self) -> Option<&Decision> {
        self.decision.as_ref()
    }

    /// The question waiting for the call centre's answer, if any.
    pub fn open_question(&self) -> Option<&Clarification> {
        self.clarifications.last().filter(|c| c.answer.is_none())
    }

    /// Where the order stands, derived from its history.
    pub fn state(&self) -> BookingState {
        match (&self.decision, self.open_question()) {
            (Some(Decision::Accepted { .. }), _) => BookingState::Accepted,
            (Some(Decision::Declined { .. }), _) => BookingState::Declined,
            (None, Some(_)) => BookingState::WithCallCentre,
            (None, None) => BookingState::Received,
        }
    }

    fn last_time(&self) -> NaiveDateTime {
        let mut last = self.received_at;
        for c in &self.clarifications {
            last = last.max(c.asked_at);
            if let Some(a) = &c.answer {
                last = last.max(a.at);
            }
        }
        match &self.decision {
            Some(Decision::Accepted { at, .. } | Decision::Declined { at, .. }) => last.max(*at),
            None => last,
        }
    }

    /// Applies `action`, or refuses it and leaves the booking unchanged.
    pub fn apply(&mut self, action: BookingAction) -> Result<BookingState, BookingError> {
        let last = self.last_time();
        let at = action.at();
        if at < last {
            return Err(BookingError::TimeWentBackwards { last, at });
        }
        let state = self.state();
        if matches!(state, BookingState::Accepted | BookingState::Declined) {
            return Err(BookingError::AlreadyDecided { state });
        }
        let call_centre = self.source == BookingSource::CallCentre;
        let with_call_centre = state == BookingState::WithCallCentre;
        match action {
            BookingAction::Accept { by, at } => {
                if with_call_centre {
                    return Err(BookingError::WithCallCentre);
                }
                self.decision = Some(Decision::Accepted { by, at });
            }
            BookingAction::Decline { by, at, reason } => {
                if call_centre {
                    return Err(BookingError::CallCentreOrderMustBeAccepted);
                }
                if blank(&reason) {
                    return Err(BookingError::BlankReason);
                }
                self.decision = Some(Decision::Declined { by, at, reason });
            }
            BookingAction::AskCallCentre { by, at, question } => {
                if !call_centre {
                    return Err(BookingError::NotFromCallCentre { from: self.source });
                }
                if with_call_centre {
                    return Err(BookingError::WithCallCentre);
                }
                if blank(&question) {
                    return Err(BookingError::BlankQuestion);
                }
                self.clarifications.push(Clarification {
                    asked_by: by,
                    asked_at: at,
                    question,
                    answer: None,
                });
            }
            BookingAction::Answer { by, at, answer } => {
                if !with_call_centre {
                    return Err(BookingError::NoOpenQuestion);
                }
                if blank(&answer) {
                    return Err(BookingError::BlankAnswer);
                }
                if let Some(c) = self.clarifications.last_mut() {
                    c.answer = Some(Answer {
                        by,
                        at,
                        text: answer,
                    });
                }
            }
        }
        Ok(self.state())
    }

    /// Checks that this booking is one the actions can reach (use after loading it).
    pub fn validate(&self) -> Result<(), BookingError> {
        let bad = |why: &str| Err(BookingError::Inconsistent(why.to_owned()));
        let call_centre = self.source == BookingSource::CallCentre;
        if !call_centre && !self.clarifications.is_empty() {
            return bad("questions to the call centre on an order not from the call centre");
        }
        let mut last = self.received_at;
        let n = self.clarifications.len();
        for (i, c) in self.clarifications.iter().enumerate() {
            if blank(&c.question) {
                return bad("a blank question");
            }
            if c.asked_at < last {
                return bad("a question goes back in time");
            }
            last = c.asked_at;
            match &c.answer {
                Some(a) if blank(&a.text) => return bad("a blank answer"),
                Some(a) if a.at < last => return bad("an answer goes back in time"),
                Some(a) => last = a.at,
                None if i + 1 < n => return bad("a question left unanswered before the next"),
                None => {}
            }
        }
        match &self.decision {
            None => Ok(()),
            Some(_) if self.open_question().is_some() => {
                bad("decided while a question is with the call centre")
            }
            Some(Decision::Declined { .. }) if call_centre => {
                bad("a call-centre order was declined")
            }
            Some(Decision::Declined { reason, .. }) if blank(reason) => {
                bad("declined without a reason")
            }
            Some(Decision::Accepted { at, .. } | Decision::Declined { at, .. }) if *at < last => {
                bad("the decision goes back in time")
            }
            Some(_) => Ok(()),
        }
    }
}
