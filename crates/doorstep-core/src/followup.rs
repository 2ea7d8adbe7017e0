//! Follow-ups (回访): which customers the call centre calls, why, and on which day.
//!
//! [`plan_followups`] turns completed services, booked jobs, customers' "answer me in N
//! days" requests and complaints into a day-by-day callback plan that respects the call
//! centre's capacity (`Rules::callbacks_per_agent_per_day` × agents) and working days.
//!
//! # What is due
//! * **New customer** (the service is the customer's first completed one): a callback
//!   `Rules::callback_days_new` days after the service (default 3, 7, 14, 21).
//! * **Returning customer** (a later service; procedure, follow-up and callbacks:
//!   "returning customers: monthly"): a **series**, one callback every
//!   `Rules::callback_months_returning` calendar months after the service (default: each
//!   month) for as long as the customer has no newer service; a newer service ends the
//!   series (nothing due on or after its date) and starts its own from its date. The k-th
//!   callback is due k × months after the service, on the service's day of the month, or
//!   on the month's last day when the month is shorter; the clamp never carries over: from
//!   Jan 31 the series runs Feb 28 (29 in a leap year), Mar 31, Apr 30, May 31. The series
//!   is materialised up to `today + Rules::followup_horizon_days`, so the horizon decides
//!   how many are planned; months = 0 turns returning-customer callbacks off. **Missed
//!   months:** of one customer's monthly callbacks due by today, only the latest is
//!   planned (from today, keeping its month's due date, so it shows as overdue) and the
//!   earlier ones not in `done` are not called but reported as
//!   [`FollowupProblem::MonthlySuperseded`], so nobody is phoned several times in one day
//!   for missed months.
//! * **Customer-requested** ("answer me in N days"): on exactly that day, whether or not a
//!   worker was found.
//! * **Complaint**: an apology follow-up as early as capacity allows, due (deadline)
//!   `Rules::complaint_followup_days` after the complaint.
//! * **Confirmation**: `Rules::confirmation_days_before` days before every booked job that
//!   is still `Booked` or `Assigned`.
//!
//! Callbacks already made (`FollowupInput::done`, matched on customer, kind and due date)
//! are not planned again; identical callbacks (same customer, kind and due date) are one call.
//!
//! # How it is scheduled
//! Days before `today`, non-working days (`Rules::is_working_day`) and full days take no
//! calls. Callbacks claim capacity in this order, each on the first free working day it
//! may use, so a full day's overflow moves to the next working day by priority:
//! 1. customer-requested callbacks (they are tied to one day), by due date;
//! 2. complaint apologies, earliest deadline first, from the complaint day on;
//! 3. confirmations, on their due day or, if that is full, on a later day still before
//!    the job, else on the nearest earlier free day (never before `today`);
//! 4. routine new/returning callbacks, oldest due date first (never before their due date,
//!    hence never before the service date); a customer's monthly callbacks never share a
//!    day (one pushed by a full day onto another's moves on to the next free working day).
//!
//! Ties are broken by customer id, kind and source id, so the plan is deterministic.
//!
//! # Problems, never silent drops
//! Every due callback is either in the plan or in [`FollowupPlan::problems`]: a request
//! not on its promised day, a complaint apology after its deadline (still scheduled, as
//! early as possible), a confirmation that cannot happen before the job (not scheduled),
//! a callback that could not be placed at all (no capacity, no working day, date overflow),
//! or a missed monthly callback superseded by a later month.

use crate::config::Rules;
use crate::lang::{Explain, Lang, Text};
use crate::model::{CustomerId, JobId, JobStatus};
use crate::rng::Lcg;
use chrono::{Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// What the office knows about a customer beyond the services in the input.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerHistory {
    pub id: CustomerId,
    #[serde(default)]
    pub name: String,
    /// Date of the customer's first-ever completed service, if known (it may be older than
    /// anything in `completed`). A service after this date is a returning customer's.
    #[serde(default)]
    pub first_served: Option<NaiveDate>,
}

/// A service that was completed (accepted by the customer) on `date`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompletedService {
    pub job: JobId,
    pub customer: CustomerId,
    pub date: NaiveDate,
}

/// A booked job that needs its confirmation call.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookedJob {
    pub job: JobId,
    pub customer: CustomerId,
    /// The day of the service.
    pub date: NaiveDate,
    /// Only `Booked` and `Assigned` jobs still need a confirmation call.
    #[serde(default)]
    pub status: JobStatus,
}

/// "Please answer me in N days": call on `asked_on + days`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerRequest {
    #[serde(default)]
    pub id: String,
    pub customer: CustomerId,
    pub asked_on: NaiveDate,
    pub days: u32,
}

/// A complaint received on `date`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Complaint {
    #[serde(default)]
    pub id: String,
    pub customer: CustomerId,
    pub date: NaiveDate,
}

/// Why a customer is called.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CallbackKind {
    Requested,
    Complaint,
    Confirmation,
    NewCustomer,
    Returning,
}

impl CallbackKind {
    pub fn label(self) -> Text {
        match self {
            CallbackKind::Requested => Text::new("客户约定答复", "Requested answer"),
            CallbackKind::Complaint => Text::new("投诉致歉", "Complaint apology"),
            CallbackKind::Confirmation => Text::new("上门前确认", "Confirmation"),
            CallbackKind::NewCustomer => Text::new("新客户回访", "New customer"),
            CallbackKind::Returning => Text::new("老客户回访", "Returning customer"),
        }
    }

    /// Scheduling priority of this kind.
    pub fn priority(self) -> Priority {
        match self {
            CallbackKind::Requested | CallbackKind::Complaint => Priority::Urgent,
            CallbackKind::Confirmation => Priority::Confirmation,
            CallbackKind::NewCustomer | CallbackKind::Returning => Priority::Routine,
        }
    }

    /// Order in which kinds claim capacity (lower first).
    fn claim_order(self) -> u8 {
        match self {
            CallbackKind::Requested => 0,
            CallbackKind::Complaint => 1,
            CallbackKind::Confirmation => 2,
            CallbackKind::NewCustomer | CallbackKind::Returning => 3,
        }
    }
}

impl Explain for CallbackKind {
    fn explain(&self, lang: Lang) -> String {
        self.label().get(lang).to_owned()
    }
}

/// Capacity goes first to `Urgent`, then `Confirmation`, then `Routine`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    /// Customer-requested answers and complaint apologies.
    Urgent,
    Confirmation,
    Routine,
}

/// The reason for a callback, with the facts it came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reason {
    NewCustomer {
        service: NaiveDate,
        days: u32,
    },
    /// The k-th callback of a returning customer's series: `months` = k ×
    /// `Rules::callback_months_returning` after the service.
    Returning {
        service: NaiveDate,
        months: u32,
    },
    Requested {
        asked_on: NaiveDate,
        days: u32,
    },
    Complaint {
        complained_on: NaiveDate,
        deadline: NaiveDate,
    },
    Confirmation {
        job: JobId,
        job_date: NaiveDate,
    },
}

impl Reason {
    pub fn kind(&self) -> CallbackKind {
        match self {
            Reason::NewCustomer { .. } => CallbackKind::NewCustomer,
            Reason::Returning { .. } => CallbackKind::Returning,
            Reason::Requested { .. } => CallbackKind::Requested,
            Reason::Complaint { .. } => CallbackKind::Complaint,
            Reason::Confirmation { .. } => CallbackKind::Confirmation,
        }
    }

    /// Both languages at once.
    pub fn text(&self) -> Text {
        Text::new(self.explain(Lang::Zh), self.explain(Lang::En))
    }
}

impl Explain for Reason {
    fn explain(&self, lang: Lang) -> String {
        match (self, lang) {
            (Reason::NewCustomer { service, days }, Lang::Zh) => {
                format!("新客户回访：首次服务（{service}）后第 {days} 天")
            }
            (Reason::NewCustomer { service, days }, Lang::En) => {
                format!("New customer: day {days} after the first service on {service}")
            }
            (Reason::Returning { service, months }, Lang::Zh) => {
                format!("老客户定期回访：服务（{service}）后 {months} 个月")
            }
            (Reason::Returning { service, months }, Lang::En) => {
                format!("Returning customer: {months} month(s) after the service on {service}")
            }
            (Reason::Requested { asked_on, days }, Lang::Zh) => {
                format!("客户于 {asked_on} 要求 {days} 天内答复：当天回电，无论是否已安排到服务人员")
            }
            (Reason::Requested { asked_on, days }, Lang::En) => format!(
                "Customer asked on {asked_on} for an answer in {days} days: call that day whether or not a worker was found"
            ),
            (Reason::Complaint { complained_on, deadline }, Lang::Zh) => {
                format!("投诉致歉回访：投诉日 {complained_on}，最迟 {deadline}")
            }
            (Reason::Complaint { complained_on, deadline }, Lang::En) => {
                format!("Apology for the complaint of {complained_on}, due by {deadline}")
            }
            (Reason::Confirmation { job, job_date }, Lang::Zh) => {
                format!("上门前确认：订单 {job}（{job_date}）的时间、地点和特殊要求")
            }
            (Reason::Confirmation { job, job_date }, Lang::En) => {
                format!("Confirm time, place and special requests of job {job} on {job_date}")
            }
        }
    }
}

/// Identifies a callback: a customer, a kind and the original due date.
/// `FollowupInput::done` lists callbacks already made this way.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct CallbackRef {
    pub customer: CustomerId,
    pub kind: CallbackKind,
    pub due: NaiveDate,
}

/// One planned call.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Callback {
    pub customer: CustomerId,
    pub kind: CallbackKind,
    pub priority: Priority,
    pub reason: Reason,
    /// The job, request or complaint this callback comes from.
    pub source: String,
    /// The original due date (for a complaint: its deadline).
    pub due: NaiveDate,
    /// The day it is planned for.
    pub scheduled: NaiveDate,
}

impl Callback {
    pub fn key(&self) -> CallbackRef {
        CallbackRef {
            customer: self.customer.clone(),
            kind: self.kind,
            due: self.due,
        }
    }
}

impl Explain for Callback {
    fn explain(&self, lang: Lang) -> String {
        self.reason.explain(lang)
    }
}

/// The calls of one day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayPlan {
    pub date: NaiveDate,
    pub callbacks: Vec<Callback>,
}

/// Something the office must look at: every callback that could not be planned as the
/// rules ask appears here.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum FollowupProblem {
    /// `agents × callbacks_per_agent_per_day` is zero: nothing can be planned.
    NoCapacity { agents: u32, per_agent: u32 },
    /// `Rules::working_weekdays` is empty: nothing can be planned.
    NoWorkingDays,
    /// This callback could not be placed on any day (see the other problems for why).
    Unscheduled {
        callback: CallbackRef,
        reason: Reason,
    },
    /// A customer-requested callback is not on the promised day (the day was full, not a
    /// working day, or already past); it is planned on `scheduled`.
    RequestNotOnDay {
        callback: CallbackRef,
        scheduled: NaiveDate,
    },
    /// A complaint apology cannot happen by its deadline; it is planned on `scheduled`.
    ComplaintLate {
        callback: CallbackRef,
        scheduled: NaiveDate,
    },
    /// No free working day from today to the day before the job: the confirmation call is
    /// not planned; the office must confirm some other way.
    ConfirmationImpossible { callback: CallbackRef, job: JobId },
    /// A returning customer's monthly callback that was missed: a later month of theirs
    /// (due `by`, on or before today) is called instead, or was already made, so this one
    /// is not planned (a customer is not phoned once per missed month on the same day).
    MonthlySuperseded {
        callback: CallbackRef,
        reason: Reason,
        by: NaiveDate,
    },
    /// A due date is outside the calendar's range (bad input date).
    DateOutOfRange {
        customer: CustomerId,
        source: String,
    },
}

impl FollowupProblem {
    /// The callback this problem is about, if any.
    pub fn callback(&self) -> Option<&CallbackRef> {
        match self {
            FollowupProblem::Unscheduled { callback, .. }
            | FollowupProblem::RequestNotOnDay { callback, .. }
            | FollowupProblem::ComplaintLate { callback, .. }
            | FollowupProblem::ConfirmationImpossible { callback, .. }
            | FollowupProblem::MonthlySuperseded { callback, .. } => Some(callback),
            _ => None,
        }
    }
}

impl Explain for FollowupProblem {
    fn explain(&self, lang: Lang) -> String {
        use FollowupProblem as P;
        match (self, lang) {
            (P::NoCapacity { agents, per_agent }, Lang::Zh) => {
                format!("回访容量为零（{agents} 名坐席 × 每人每天 {per_agent} 通），无法安排任何回访")
            }
            (P::NoCapacity { agents, per_agent }, Lang::En) => format!(
                "No callback capacity ({agents} agents × {per_agent} calls a day): nothing can be planned"
            ),
            (P::NoWorkingDays, Lang::Zh) => "没有设置工作日，无法安排任何回访".to_owned(),
            (P::NoWorkingDays, Lang::En) => "No working weekdays configured: nothing can be planned".to_owned(),
            (P::Unscheduled { callback, reason }, Lang::Zh) => {
                format!("未能安排：客户 {}，{}（应于 {}）", callback.customer, reason.explain(lang), callback.due)
            }
            (P::Unscheduled { callback, reason }, Lang::En) => format!(
                "Not planned: customer {}, {} (due {})",
                callback.customer,
                reason.explain(lang),
                callback.due
            ),
            (P::RequestNotOnDay { callback, scheduled }, Lang::Zh) => format!(
                "客户 {} 约定 {} 答复，但当天无法安排，改为 {}：请另行联系客户",
                callback.customer, callback.due, scheduled
            ),
            (P::RequestNotOnDay { callback, scheduled }, Lang::En) => format!(
                "Customer {} was promised an answer on {}, which cannot be planned; moved to {}: contact the customer",
                callback.customer, callback.due, scheduled
            ),
            (P::ComplaintLate { callback, scheduled }, Lang::Zh) => format!(
                "客户 {} 的投诉致歉回访超期：最迟 {}，最早只能安排在 {}",
                callback.customer, callback.due, scheduled
            ),
            (P::ComplaintLate { callback, scheduled }, Lang::En) => format!(
                "Complaint apology for customer {} misses its deadline {}: earliest possible {}",
                callback.customer, callback.due, scheduled
            ),
            (P::ConfirmationImpossible { callback, job }, Lang::Zh) => format!(
                "订单 {job}（客户 {}）在服务日前无法安排确认电话：请另行确认",
                callback.customer
            ),
            (P::ConfirmationImpossible { callback, job }, Lang::En) => format!(
                "No day before job {job} (customer {}) is free for its confirmation call: confirm it another way",
                callback.customer
            ),
            (P::MonthlySuperseded { callback, reason, by }, Lang::Zh) => format!(
                "客户 {} 应于 {} 的回访已错过（{}），不再补打：由 {} 的回访代替",
                callback.customer,
                callback.due,
                reason.explain(lang),
                by
            ),
            (P::MonthlySuperseded { callback, reason, by }, Lang::En) => format!(
                "Missed callback of customer {} due {} ({}) not planned: superseded by the one due {}",
                callback.customer,
                callback.due,
                reason.explain(lang),
                by
            ),
            (P::DateOutOfRange { customer, source }, Lang::Zh) => {
                format!("客户 {customer} 的 {source} 日期超出范围，无法计算回访日")
            }
            (P::DateOutOfRange { customer, source }, Lang::En) => {
                format!("Dates of {source} (customer {customer}) are out of range: no callback date")
            }
        }
    }
}

/// Everything the planner needs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowupInput {
    /// Nothing is planned before this day.
    pub today: NaiveDate,
    /// Call-centre agents available each working day.
    pub agents: u32,
    #[serde(default)]
    pub customers: Vec<CustomerHistory>,
    #[serde(default)]
    pub completed: Vec<CompletedService>,
    #[serde(default)]
    pub booked: Vec<BookedJob>,
    #[serde(default)]
    pub requests: Vec<AnswerRequest>,
    #[serde(default)]
    pub complaints: Vec<Complaint>,
    /// Callbacks already made.
    #[serde(default)]
    pub done: Vec<CallbackRef>,
}

/// The plan: callbacks by day (ascending, only days with calls) and the problems.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowupPlan {
    /// Calls a working day can take: agents × callbacks per agent.
    pub capacity_per_day: u32,
    /// Returning customers' series are materialised up to this day (`today +
    /// Rules::followup_horizon_days`); their later callbacks appear in later plans.
    pub horizon: NaiveDate,
    pub days: Vec<DayPlan>,
    pub problems: Vec<FollowupProblem>,
}

impl FollowupPlan {
    pub fn callbacks(&self) -> impl Iterator<Item = &Callback> {
        self.days.iter().flat_map(|d| d.callbacks.iter())
    }

    pub fn total(&self) -> usize {
        self.days.iter().map(|d| d.callbacks.len()).sum()
    }

    pub fn day(&self, date: NaiveDate) -> Option<&DayPlan> {
        self.days.iter().find(|d| d.date == date)
    }
}

/// A callback waiting for a day (borrowing from the input: no allocation per callback
/// until it is planned).
struct Pending<'a> {
    customer: &'a CustomerId,
    reason: Reason,
    source: &'a str,
    due: NaiveDate,
    /// First day it may be planned on (before clamping to `today`).
    earliest: NaiveDate,
}

impl Pending<'_> {
    fn kind(&self) -> CallbackKind {
        self.reason.kind()
    }

    fn key(&self) -> CallbackRef {
        CallbackRef {
            customer: self.customer.clone(),
            kind: self.kind(),
            due: self.due,
        }
    }
}

fn add_days(d: NaiveDate, n: u32) -> Option<NaiveDate> {
    d.checked_add_days(Days::new(u64::from(n)))
}

fn sub_days(d: NaiveDate, n: u32) -> Option<NaiveDate> {
    d.checked_sub_days(Days::new(u64::from(n)))
}

/// Upper bound of the days the planner looks ahead, a safety net against runaway input
/// (not a business rule): about 270 years.
const MAX_DAYS_U32: u32 = 100_000;
const MAX_DAYS: usize = MAX_DAYS_U32 as usize;

/// Free capacity per day from `start` on, with a "next free day" union-find so that finding
/// the first free working day on or after a day is near O(1).
struct Capacity {
    start: NaiveDate,
    cap: u32,
    used: Vec<u32>,
    free: Vec<bool>,
    next: Vec<usize>,
}

impl Capacity {
    fn new(start: NaiveDate, cap: u32) -> Self {
        Capacity {
            start,
            cap,
            used: Vec::new(),
            free: Vec::new(),
            next: Vec::new(),
        }
    }

    fn date(&self, i: usize) -> Option<NaiveDate> {
        self.start.checked_add_days(Days::new(i as u64))
    }

    fn index(&self, d: NaiveDate) -> usize {
        usize::try_from((d - self.start).num_days()).unwrap_or(0)
    }

    /// Makes day `i` known; false when it is beyond the calendar or `MAX_DAYS`.
    fn ensure(&mut self, i: usize, rules: &Rules) -> bool {
        if i >= MAX_DAYS {
            return false;
        }
        while self.used.len() <= i {
            let idx = self.used.len();
            let Some(d) = self.date(idx) else {
                return false;
            };
            self.used.push(0);
            self.free.push(rules.is_working_day(d) && self.cap > 0);
            self.next.push(idx);
        }
        true
    }

    /// The first working day with room on or after day `i`.
    fn find(&mut self, i: usize, rules: &Rules) -> Option<usize> {
        let mut r = i;
        loop {
            if !self.ensure(r, rules) {
                return None;
            }
            let n = *self.next.get(r)?;
            if n == r {
                if *self.free.get(r)? {
                    break;
                }
                if let Some(slot) = self.next.get_mut(r) {
                    *slot = r + 1;
                }
                r += 1;
            } else {
                r = n;
            }
        }
        let mut j = i;
        while j != r {
            let n = self.next.get(j).copied().unwrap_or(r);
            if let Some(slot) = self.next.get_mut(j) {
                *slot = r;
            }
            j = n;
        }
        Some(r)
    }

    fn has_room(&mut self, i: usize, rules: &Rules) -> bool {
        self.ensure(i, rules) && self.free.get(i).copied().unwrap_or(false)
    }

    fn take(&mut self, i: usize) {
        if let (Some(u), Some(f)) = (self.used.get_mut(i), self.free.get_mut(i)) {
            *u += 1;
            if *u >= self.cap {
                *f = false;
            }
        }
    }
}

/// Every callback due from the input, minus those done, without duplicates, in claim
/// order: kind class, due date, customer, kind, source (full ties keep input order). Of a
/// customer's monthly callbacks due by today only the latest stays; the earlier ones go to
/// `problems` as superseded.
fn collect_due<'a>(
    input: &'a FollowupInput,
    rules: &Rules,
    horizon: NaiveDate,
    problems: &mut Vec<FollowupProblem>,
) -> Vec<Pending<'a>> {
    let done: HashSet<(&CustomerId, CallbackKind, NaiveDate)> = input
        .done
        .iter()
        .map(|d| (&d.customer, d.kind, d.due))
        .collect();
    let mut out: Vec<Pending<'a>> = Vec::with_capacity(
        input.completed.len() * rules.callback_days_new.len().max(1)
            + input.requests.len()
            + input.complaints.len()
            + input.booked.len(),
    );
    let mut push = |customer: &'a CustomerId,
                    source: &'a str,
                    due: Option<NaiveDate>,
                    earliest: Option<NaiveDate>,
                    reason: &dyn Fn(NaiveDate) -> Reason| {
        match (due, earliest) {
            (Some(due), Some(earliest)) => {
                let reason = reason(due);
                if !done.contains(&(customer, reason.kind(), due)) {
                    out.push(Pending {
                        customer,
                        reason,
                        source,
                        due,
                        earliest,
                    });
                }
            }
            _ => problems.push(FollowupProblem::DateOutOfRange {
                customer: customer.clone(),
                source: source.to_owned(),
            }),
        }
    };

    // New or returning: the customer's first service is the earliest (date, job) among the
    // completed ones, unless the history knows of an earlier one.
    // A customer listed twice counts with the earliest first service known.
    let mut history: HashMap<&CustomerId, NaiveDate> =
        HashMap::with_capacity(input.customers.len());
    for c in &input.customers {
        if let Some(first) = c.first_served {
            let e = history.entry(&c.id).or_insert(first);
            *e = (*e).min(first);
        }
    }
    let mut completed: Vec<&CompletedService> = input.completed.iter().collect();
    completed
        .sort_unstable_by(|a, b| (&a.customer, a.date, &a.job).cmp(&(&b.customer, b.date, &b.job)));
    // Per customer, the latest monthly due date on or before today (made or not).
    let mut latest_past: HashMap<&CustomerId, NaiveDate> = HashMap::new();
    let mut prev: Option<&CustomerId> = None;
    for (i, s) in completed.iter().enumerate() {
        let first_of_customer = prev != Some(&s.customer);
        prev = Some(&s.customer);
        let known_earlier = matches!(history.get(&s.customer), Some(first) if *first < s.date);
        let service = s.date;
        if first_of_customer && !known_earlier {
            for &days in &rules.callback_days_new {
                let due = add_days(service, days);
                push(&s.customer, &s.job.0, due, due, &|_| Reason::NewCustomer {
                    service,
                    days,
                });
            }
        } else if rules.callback_months_returning > 0 {
            // The monthly series, until the customer's next (later) service or the horizon.
            let next_service = completed
                .get(i + 1..)
                .unwrap_or_default()
                .iter()
                .take_while(|o| o.customer == s.customer)
                .map(|o| o.date)
                .find(|d| *d > service);
            let end = next_service.map_or(horizon, |n| horizon.min(n.pred_opt().unwrap_or(n)));
            for k in 1u32.. {
                let Some(months) = k.checked_mul(rules.callback_months_returning) else {
                    break;
                };
                // Always from the service itself: the day is anchored, never carried over.
                let due = service.checked_add_months(Months::new(months));
                if due.is_some_and(|d| d > end) {
                    break;
                }
                if let Some(d) = due.filter(|d| *d <= input.today) {
                    let e = latest_past.entry(&s.customer).or_insert(d);
                    *e = (*e).max(d);
                }
                push(&s.customer, &s.job.0, due, due, &|_| Reason::Returning {
                    service,
                    months,
                });
                if due.is_none() {
                    break;
                }
            }
        }
    }

    for r in &input.requests {
        let due = add_days(r.asked_on, r.days);
        let (asked_on, days) = (r.asked_on, r.days);
        push(&r.customer, &r.id, due, due, &|_| Reason::Requested {
            asked_on,
            days,
        });
    }

    for c in &input.complaints {
        let deadline = add_days(c.date, rules.complaint_followup_days);
        let complained_on = c.date;
        push(
            &c.customer,
            &c.id,
            deadline,
            Some(complained_on),
            &|deadline| Reason::Complaint {
                complained_on,
                deadline,
            },
        );
    }

    for b in &input.booked {
        if matches!(b.status, JobStatus::Booked | JobStatus::Assigned) {
            let due = sub_days(b.date, rules.confirmation_days_before);
            push(&b.customer, &b.job.0, due, due, &|_| Reason::Confirmation {
                job: b.job.clone(),
                job_date: b.date,
            });
        }
    }

    out.sort_by(|a, b| {
        (
            a.kind().claim_order(),
            a.due,
            a.customer,
            a.kind(),
            a.source,
        )
            .cmp(&(
                b.kind().claim_order(),
                b.due,
                b.customer,
                b.kind(),
                b.source,
            ))
    });
    // Identical callbacks (customer, kind, due) are adjacent now: one call covers them.
    out.dedup_by(|b, a| a.customer == b.customer && a.kind() == b.kind() && a.due == b.due);
    // Missed months: only the customer's latest monthly callback due by today is called.
    out.retain(|p| {
        let by = match p.reason {
            Reason::Returning { .. } => latest_past.get(p.customer).filter(|l| p.due < **l),
            _ => None,
        };
        let Some(&by) = by else {
            return true;
        };
        problems.push(FollowupProblem::MonthlySuperseded {
            callback: p.key(),
            reason: p.reason.clone(),
            by,
        });
        false
    });
    out
}

/// The last day a returning customer's series is materialised for: `today +
/// Rules::followup_horizon_days`, bounded like the calendar the planner looks at.
fn horizon(today: NaiveDate, rules: &Rules) -> NaiveDate {
    let days = rules.followup_horizon_days.min(MAX_DAYS_U32);
    add_days(today, days).unwrap_or(NaiveDate::MAX)
}

/// Plans the callbacks of `input` under `rules`. Never panics; see the module docs.
pub fn plan_followups(input: &FollowupInput, rules: &Rules) -> FollowupPlan {
    let mut problems = Vec::new();
    let cap = input
        .agents
        .saturating_mul(rules.callbacks_per_agent_per_day);
    let horizon = horizon(input.today, rules);
    let pending = collect_due(input, rules, horizon, &mut problems);

    let blocked = if cap == 0 {
        problems.push(FollowupProblem::NoCapacity {
            agents: input.agents,
            per_agent: rules.callbacks_per_agent_per_day,
        });
        true
    } else if rules.working_weekdays.is_empty() {
        problems.push(FollowupProblem::NoWorkingDays);
        true
    } else {
        false
    };

    let mut days = Capacity::new(input.today, cap);
    // Days (by index) on which a customer already has a monthly callback.
    let mut monthly_days: HashSet<(&CustomerId, usize)> = HashSet::new();
    // Planned calls bucketed by day index (days from today).
    let mut buckets: Vec<Vec<Callback>> = Vec::new();
    for p in pending {
        let monthly = p.kind() == CallbackKind::Returning;
        let slot = if blocked {
            None
        } else {
            let taken = |i: usize| monthly && monthly_days.contains(&(p.customer, i));
            place(&p, input.today, &mut days, rules, &taken)
        };
        let Some((index, scheduled)) = slot else {
            problems.push(match &p.reason {
                Reason::Confirmation { job, .. } if !blocked => {
                    FollowupProblem::ConfirmationImpossible {
                        callback: p.key(),
                        job: job.clone(),
                    }
                }
                _ => FollowupProblem::Unscheduled {
                    callback: p.key(),
                    reason: p.reason.clone(),
                },
            });
            continue;
        };
        if monthly {
            monthly_days.insert((p.customer, index));
        }
        let kind = p.kind();
        match kind {
            CallbackKind::Requested if scheduled != p.due => {
                problems.push(FollowupProblem::RequestNotOnDay {
                    callback: p.key(),
                    scheduled,
                })
            }
            CallbackKind::Complaint if scheduled > p.due => {
                problems.push(FollowupProblem::ComplaintLate {
                    callback: p.key(),
                    scheduled,
                })
            }
            _ => {}
        }
        if buckets.len() <= index {
            buckets.resize_with(index + 1, Vec::new);
        }
        if let Some(bucket) = buckets.get_mut(index) {
            bucket.push(Callback {
                customer: p.customer.clone(),
                kind,
                priority: kind.priority(),
                reason: p.reason,
                source: p.source.to_owned(),
                due: p.due,
                scheduled,
            });
        }
    }

    let days = buckets
        .into_iter()
        .filter(|b| !b.is_empty())
        .filter_map(|mut callbacks| {
            let date = callbacks.first()?.scheduled;
            callbacks.sort_by(|a, b| {
                (a.priority, a.due, &a.customer, a.kind, &a.source).cmp(&(
                    b.priority,
                    b.due,
                    &b.customer,
                    b.kind,
                    &b.source,
                ))
            });
            Some(DayPlan { date, callbacks })
        })
        .collect();
    FollowupPlan {
        capacity_per_day: cap,
        horizon,
        days,
        problems,
    }
}

/// Finds and takes a day for `p`, not one `taken` rejects; `None` if there is none it may
/// use.
fn place(
    p: &Pending,
    today: NaiveDate,
    days: &mut Capacity,
    rules: &Rules,
    taken: &dyn Fn(usize) -> bool,
) -> Option<(usize, NaiveDate)> {
    let earliest = days.index(p.earliest.max(today));
    let i = match &p.reason {
        Reason::Confirmation { job_date, .. } => {
            // Before the job: on the due day or later while still before the job; else the
            // nearest earlier free day, not before today. With `confirmation_days_before`
            // = 0 the call is on the day of the job itself.
            let latest_date = if rules.confirmation_days_before == 0 {
                Some(*job_date)
            } else {
                sub_days(*job_date, 1)
            };
            let latest_date = latest_date.filter(|d| *d >= today)?;
            let latest = days.index(latest_date);
            match days.find(earliest, rules).filter(|&i| i <= latest) {
                Some(i) => i,
                None => (0..earliest.min(latest + 1))
                    .rev()
                    .find(|&j| days.has_room(j, rules))?,
            }
        }
        _ => {
            let mut i = days.find(earliest, rules)?;
            while taken(i) {
                i = days.find(i.checked_add(1)?, rules)?;
            }
            i
        }
    };
    days.take(i);
    Some((i, days.date(i)?))
}

/// A deterministic, realistic-looking input with `customers` customers (for benches and
/// demos) under the default rules: about half new customers, services over the last 45
/// days, bookings in the next two weeks, a few requests and complaints, nine in ten of the
/// callbacks due before today already made, and one agent per 1,000 customers (at least
/// one), so that busy days overflow.
pub fn sample_input(customers: usize, seed: u64) -> FollowupInput {
    let rules = Rules::default();
    let today = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap_or_default();
    let mut rng = Lcg(seed ^ 0x9E37_79B9_7F4A_7C15);
    let back = |d: u32| {
        today
            .checked_sub_days(Days::new(u64::from(d)))
            .unwrap_or(today)
    };
    let ahead = |d: u32| {
        today
            .checked_add_days(Days::new(u64::from(d)))
            .unwrap_or(today)
    };
    let mut input = FollowupInput {
        today,
        agents: u32::try_from(customers / 1000).unwrap_or(u32::MAX).max(1),
        customers: Vec::with_capacity(customers),
        completed: Vec::with_capacity(customers),
        booked: Vec::new(),
        requests: Vec::new(),
        complaints: Vec::new(),
        done: Vec::new(),
    };
    let mut job = 0u64;
    for c in 0..customers {
        let id = CustomerId(format!("C{c:06}"));
        let returning = rng.below(2) == 0;
        let served = back(rng.below(45));
        let first_served = if returning {
            Some(back(60 + rng.below(600)))
        } else {
            None
        };
        input.customers.push(CustomerHistory {
            id: id.clone(),
            name: format!("客户{c}"),
            first_served,
        });
        job += 1;
        input.completed.push(CompletedService {
            job: JobId(format!("J{job:07}")),
            customer: id.clone(),
            date: served,
        });
        // Most callbacks that were due before today were made.
        let past: Vec<CallbackRef> = if returning {
            served
                .checked_add_months(Months::new(rules.callback_months_returning))
                .map(|due| CallbackRef {
                    customer: id.clone(),
                    kind: CallbackKind::Returning,
                    due,
                })
                .into_iter()
                .collect()
        } else {
            rules
                .callback_days_new
                .iter()
                .filter_map(|&n| add_days(served, n))
                .map(|due| CallbackRef {
                    customer: id.clone(),
                    kind: CallbackKind::NewCustomer,
                    due,
                })
                .collect()
        };
        for r in past {
            if r.due < today && rng.below(10) != 0 {
                input.done.push(r);
            }
        }
        if rng.below(10) < 3 {
            job += 1;
            input.booked.push(BookedJob {
                job: JobId(format!("J{job:07}")),
                customer: id.clone(),
                date: ahead(1 + rng.below(14)),
                status: JobStatus::Booked,
            });
        }
        if rng.below(20) == 0 {
            input.requests.push(AnswerRequest {
                id: format!("R{c}"),
                customer: id.clone(),
                asked_on: back(rng.below(3)),
                days: 1 + rng.below(5),
            });
        }
        if rng.below(33) == 0 {
            input.complaints.push(Complaint {
                id: format!("K{c}"),
                customer: id,
                date: back(rng.below(5)),
            });
        }
    }
    input
}
