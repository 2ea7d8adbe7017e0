#![cfg(not(target_arch = "wasm32"))]
//! Properties of the follow-up planner, the acceptance state machine and kit
//! reconciliation, on random inputs.

use chrono::{Days, Months, NaiveDate, NaiveDateTime, Weekday};
use doorstep_core::acceptance::{Acceptance, Action, Actor, Stage, Verdict};
use doorstep_core::booking::{Booking, BookingAction, BookingError, BookingState};
use doorstep_core::checklist::{
    can_request_signature, can_start_work, ChecklistResults, ChecklistSet, Gate,
};
use doorstep_core::config::AcceptanceStep;
use doorstep_core::followup::{
    plan_followups, AnswerRequest, BookedJob, CallbackKind, CallbackRef, Complaint,
    CompletedService, CustomerHistory, FollowupInput, FollowupProblem, Reason,
};
use doorstep_core::model::{
    BookingSource, CustomerId, JobId, JobStatus, Point, Role, Signature, Stroke, WorkerId,
};
use doorstep_core::toolkit::{
    reconcile, CheckinLine, CheckoutLine, IncidentKind, KitCheckin, KitCheckout,
};
use doorstep_core::Rules;
use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

fn base() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 1).expect("base date")
}

/// `base` shifted by `offset` days (either way).
fn day(offset: i64) -> NaiveDate {
    let b = base();
    if offset >= 0 {
        b.checked_add_days(Days::new(offset as u64))
    } else {
        b.checked_sub_days(Days::new(offset.unsigned_abs()))
    }
    .expect("test date")
}

fn cust(n: u8) -> CustomerId {
    CustomerId(format!("C{n}"))
}

const STATUSES: [JobStatus; 4] = [
    JobStatus::Booked,
    JobStatus::Assigned,
    JobStatus::Confirmed,
    JobStatus::Cancelled,
];
const WEEKDAYS: [Weekday; 7] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
    Weekday::Sat,
    Weekday::Sun,
];

fn rules_strategy() -> impl Strategy<Value = Rules> {
    (
        prop::collection::vec(0u32..30, 0..5),
        0u32..3,
        0u32..4,
        0u32..10,
        0u32..3,
        prop::collection::vec(any::<bool>(), 7),
        prop::collection::vec(0i64..60, 0..8),
        0u32..150,
    )
        .prop_map(
            |(
                days_new,
                months,
                per_agent,
                complaint_days,
                conf_before,
                weekdays,
                holidays,
                horizon,
            )| {
                let mut working: Vec<Weekday> = WEEKDAYS
                    .iter()
                    .zip(&weekdays)
                    .filter(|(_, on)| **on)
                    .map(|(w, _)| *w)
                    .collect();
                // Mostly a working week; sometimes none at all.
                if working.is_empty() && per_agent % 2 == 0 {
                    working = WEEKDAYS.to_vec();
                }
                Rules {
                    callback_days_new: days_new,
                    callback_months_returning: months,
                    callbacks_per_agent_per_day: per_agent,
                    complaint_followup_days: complaint_days,
                    confirmation_days_before: conf_before,
                    working_weekdays: working,
                    holidays: holidays.into_iter().map(day).collect(),
                    followup_horizon_days: horizon,
                    ..Rules::default()
                }
            },
        )
}

fn input_strategy() -> impl Strategy<Value = FollowupInput> {
    (
        0i64..20,
        0u32..3,
        prop::collection::vec((0u8..8, prop::option::of(-200i64..10)), 0..8),
        prop::collection::vec((0u8..8, -40i64..15), 0..14),
        prop::collection::vec((0u8..8, -3i64..30, 0usize..4), 0..8),
        prop::collection::vec((0u8..8, -10i64..15, 0u32..10), 0..5),
        prop::collection::vec((0u8..8, -12i64..15), 0..5),
        prop::collection::vec((0u8..8, 0u8..5, -40i64..40), 0..6),
    )
        .prop_map(
            |(today, agents, hist, done_jobs, booked, requests, complaints, done)| {
                let kinds = [
                    CallbackKind::NewCustomer,
                    CallbackKind::Returning,
                    CallbackKind::Requested,
                    CallbackKind::Complaint,
                    CallbackKind::Confirmation,
                ];
                FollowupInput {
                    today: day(today),
                    agents,
                    // A customer may be listed twice.
                    customers: hist
                        .into_iter()
                        .map(|(c, first)| CustomerHistory {
                            id: cust(c),
                            name: String::new(),
                            first_served: first.map(day),
                        })
                        .collect(),
                    completed: done_jobs
                        .into_iter()
                        .enumerate()
                        .map(|(n, (c, d))| CompletedService {
                            job: JobId(format!("S{n}")),
                            customer: cust(c),
                            date: day(d),
                        })
                        .collect(),
                    booked: booked
                        .into_iter()
                        .enumerate()
                        .map(|(n, (c, d, s))| BookedJob {
                            job: JobId(format!("B{n}")),
                            customer: cust(c),
                            date: day(d),
                            status: STATUSES[s],
                        })
                        .collect(),
                    requests: requests
                        .into_iter()
                        .enumerate()
                        .map(|(n, (c, d, days))| AnswerRequest {
                            id: format!("R{n}"),
                            customer: cust(c),
                            asked_on: day(d),
                            days,
                        })
                        .collect(),
                    complaints: complaints
                        .into_iter()
                        .enumerate()
                        .map(|(n, (c, d))| Complaint {
                            id: format!("K{n}"),
                            customer: cust(c),
                            date: day(d),
                        })
                        .collect(),
                    done: done
                        .into_iter()
                        .map(|(c, k, d)| CallbackRef {
                            customer: cust(c),
                            kind: kinds[usize::from(k)],
                            due: day(d),
                        })
                        .collect(),
                }
            },
        )
}

/// Independent statement of what is due: every callback key the rules ask for.
fn expected_keys(input: &FollowupInput, rules: &Rules) -> BTreeSet<CallbackRef> {
    let mut keys = BTreeSet::new();
    let first_known = |c: &CustomerId| {
        input
            .customers
            .iter()
            .filter(|h| &h.id == c)
            .filter_map(|h| h.first_served)
            .min()
    };
    for s in &input.completed {
        let earlier_in_input = input
            .completed
            .iter()
            .any(|o| o.customer == s.customer && (o.date, &o.job) < (s.date, &s.job));
        let earlier_known = first_known(&s.customer).is_some_and(|f| f < s.date);
        if earlier_in_input || earlier_known {
            // The monthly series: every `months` months from the service, up to the horizon
            // and before the customer's next later service.
            let next = input
                .completed
                .iter()
                .filter(|o| o.customer == s.customer && o.date > s.date)
                .map(|o| o.date)
                .min();
            let horizon = input.today + Days::new(u64::from(rules.followup_horizon_days));
            let m = rules.callback_months_returning;
            for k in 1.. {
                if m == 0 {
                    break;
                }
                let due = s.date.checked_add_months(Months::new(k * m)).expect("date");
                if due > horizon || next.is_some_and(|n| due >= n) {
                    break;
                }
                keys.insert(CallbackRef {
                    customer: s.customer.clone(),
                    kind: CallbackKind::Returning,
                    due,
                });
            }
        } else {
            for &n in &rules.callback_days_new {
                let due = s.date + Days::new(u64::from(n));
                keys.insert(CallbackRef {
                    customer: s.customer.clone(),
                    kind: CallbackKind::NewCustomer,
                    due,
                });
            }
        }
    }
    for r in &input.requests {
        let due = r.asked_on + Days::new(u64::from(r.days));
        keys.insert(CallbackRef {
            customer: r.customer.clone(),
            kind: CallbackKind::Requested,
            due,
        });
    }
    for c in &input.complaints {
        let due = c.date + Days::new(u64::from(rules.complaint_followup_days));
        keys.insert(CallbackRef {
            customer: c.customer.clone(),
            kind: CallbackKind::Complaint,
            due,
        });
    }
    for b in &input.booked {
        if matches!(b.status, JobStatus::Booked | JobStatus::Assigned) {
            let due = b.date - Days::new(u64::from(rules.confirmation_days_before));
            keys.insert(CallbackRef {
                customer: b.customer.clone(),
                kind: CallbackKind::Confirmation,
                due,
            });
        }
    }
    for d in &input.done {
        keys.remove(d);
    }
    keys
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn followup_plan_invariants(input in input_strategy(), rules in rules_strategy()) {
        let plan = plan_followups(&input, &rules);
        let cap = input.agents * rules.callbacks_per_agent_per_day;
        prop_assert_eq!(plan.capacity_per_day, cap);

        let mut seen = BTreeSet::new();
        let mut last_day = None;
        for d in &plan.days {
            prop_assert!(last_day < Some(d.date), "days ascending");
            last_day = Some(d.date);
            prop_assert!(!d.callbacks.is_empty());
            prop_assert!(d.callbacks.len() as u32 <= cap, "{} calls on {} > {}", d.callbacks.len(), d.date, cap);
            prop_assert!(rules.is_working_day(d.date), "{} is not a working day", d.date);
            for c in &d.callbacks {
                prop_assert_eq!(c.scheduled, d.date);
                prop_assert!(c.scheduled >= input.today);
                prop_assert_eq!(c.kind, c.reason.kind());
                prop_assert_eq!(c.priority, c.kind.priority());
                match &c.reason {
                    Reason::NewCustomer { service, .. } | Reason::Returning { service, .. } => {
                        prop_assert!(c.scheduled >= *service, "callback {} before service {}", c.scheduled, service);
                        prop_assert!(c.scheduled >= c.due, "routine call before its due date");
                    }
                    Reason::Confirmation { job_date, .. } => {
                        if rules.confirmation_days_before == 0 {
                            prop_assert!(c.scheduled <= *job_date);
                        } else {
                            prop_assert!(c.scheduled < *job_date, "confirmation on/after the job");
                        }
                    }
                    Reason::Complaint { complained_on, .. } => prop_assert!(c.scheduled >= *complained_on),
                    Reason::Requested { .. } => prop_assert!(c.scheduled >= c.due),
                }
                prop_assert!(seen.insert(c.key()), "planned twice: {:?}", c.key());
            }
        }

        // Nothing dropped silently, nothing invented.
        let expected = expected_keys(&input, &rules);
        let reported: BTreeSet<CallbackRef> = plan.problems.iter().filter_map(|p| p.callback().cloned()).collect();
        for k in &expected {
            prop_assert!(seen.contains(k) || reported.contains(k), "dropped: {:?}", k);
        }
        for k in seen.iter().chain(&reported) {
            prop_assert!(expected.contains(k), "invented: {:?}", k);
        }

        // One customer's monthly callbacks: never two on one day, at most one due by today
        // (the latest; the earlier missed ones are reported as superseded by a later month).
        let mut monthly_days = BTreeSet::new();
        let mut due_by_today: BTreeMap<&CustomerId, NaiveDate> = BTreeMap::new();
        for c in plan.callbacks().filter(|c| c.kind == CallbackKind::Returning) {
            prop_assert!(monthly_days.insert((&c.customer, c.scheduled)), "{} called twice on {}", c.customer, c.scheduled);
            if c.due <= input.today {
                prop_assert!(due_by_today.insert(&c.customer, c.due).is_none(), "{}: two missed months planned", c.customer);
            }
        }
        for p in &plan.problems {
            if let FollowupProblem::MonthlySuperseded { callback, reason, by } = p {
                prop_assert_eq!(callback.kind, CallbackKind::Returning);
                prop_assert_eq!(reason.kind(), CallbackKind::Returning);
                prop_assert!(callback.due < *by && *by <= input.today, "{:?} by {}", callback, by);
                // `by` is the month called instead, or one already made.
                let made = input.done.iter().any(|d| d.customer == callback.customer && d.kind == CallbackKind::Returning && d.due == *by);
                prop_assert!(made || due_by_today.get(&callback.customer) == Some(by), "{:?}: {} neither planned nor made", callback, by);
            }
        }

        // Deterministic, and independent of the order of the input lists.
        prop_assert_eq!(&plan, &plan_followups(&input, &rules));
        let mut rev = input.clone();
        rev.customers.reverse();
        rev.completed.reverse();
        rev.booked.reverse();
        rev.requests.reverse();
        rev.complaints.reverse();
        rev.done.reverse();
        prop_assert_eq!(&plan, &plan_followups(&rev, &rules));
    }
}

// ---- the returning customer's monthly series ----

fn days_in_month(d: NaiveDate) -> u32 {
    use chrono::Datelike;
    let (y, m) = if d.month() == 12 {
        (d.year() + 1, 1)
    } else {
        (d.year(), d.month() + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1)
        .and_then(|f| f.pred_opt())
        .expect("month end")
        .day()
}

/// A date in 2023..=2029 (two leap years), often at a month's end.
fn some_date() -> impl Strategy<Value = NaiveDate> {
    (2023i32..2030, 1u32..13, prop_oneof![1u32..32, 28u32..32]).prop_map(|(y, m, d)| {
        (0..4)
            .find_map(|back| NaiveDate::from_ymd_opt(y, m, d - back))
            .expect("date")
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn returning_series_is_monthly_anchored_and_ends_at_a_newer_service(
        services in prop::collection::vec(some_date(), 1..4),
        today in some_date(),
        horizon in 0u32..800,
        months in 1u32..4,
    ) {
        use chrono::Datelike;
        let rules = Rules { followup_horizon_days: horizon, callback_months_returning: months, ..Rules::default() };
        let c = cust(1);
        let input = FollowupInput {
            today,
            agents: 1,
            customers: vec![CustomerHistory { id: c.clone(), name: String::new(), first_served: Some(day(-5000)) }],
            completed: services.iter().enumerate().map(|(n, d)| CompletedService {
                job: JobId(format!("S{n}")), customer: c.clone(), date: *d,
            }).collect(),
            booked: vec![], requests: vec![], complaints: vec![], done: vec![],
        };
        let plan = plan_followups(&input, &rules);
        // Only missed months superseded by the latest one due by today are reported.
        let mut superseded = Vec::new();
        for p in &plan.problems {
            let FollowupProblem::MonthlySuperseded { callback, reason, .. } = p else {
                return Err(TestCaseError::fail(format!("unexpected problem {p:?}")));
            };
            superseded.push((reason.clone(), callback.due));
        }
        // The latest monthly due date by today, the only one of them called (today).
        let latest = plan.callbacks().map(|cb| cb.due).filter(|d| *d <= today).max();
        let mut overdue = 0;
        let mut days = BTreeSet::new();
        for cb in plan.callbacks() {
            prop_assert!(days.insert(cb.scheduled), "two calls on {}", cb.scheduled);
            if cb.due <= today {
                overdue += 1;
                prop_assert_eq!(cb.scheduled, today);
            }
        }
        prop_assert!(overdue <= 1, "{} missed months planned", overdue);
        for (_, due) in &superseded {
            prop_assert!(latest.is_some_and(|l| *due < l), "{} superseded without a later month", due);
        }
        let end = today + Days::new(u64::from(horizon));
        let mut distinct: Vec<NaiveDate> = services.clone();
        distinct.sort();
        distinct.dedup();
        for (i, service) in distinct.iter().enumerate() {
            let next = distinct.get(i + 1).copied();
            // Planned or reported as superseded: together, the whole series.
            let mut series: Vec<(u32, NaiveDate)> = plan
                .callbacks()
                .map(|cb| (cb.reason.clone(), cb.due))
                .chain(superseded.iter().cloned())
                .filter_map(|(reason, due)| match reason {
                    Reason::Returning { service: s, months } if s == *service => Some((months, due)),
                    _ => None,
                })
                .collect();
            series.sort();
            let month_no = |d: NaiveDate| d.year() * 12 + d.month0() as i32;
            for (k, (m, due)) in series.iter().enumerate() {
                // One per period, in order, none skipped.
                prop_assert_eq!(*m, (k as u32 + 1) * months);
                // Never before (or on) the service; never on or after a newer service.
                prop_assert!(*due > *service);
                prop_assert!(next.is_none_or(|n| *due < n), "{} after the newer service {:?}", due, next);
                prop_assert!(*due <= end, "{} beyond the horizon {}", due, end);
                // In exactly the calendar month `m` months on.
                prop_assert_eq!(month_no(*due) - month_no(*service), *m as i32);
                // The service's day, clamped to the month's length, restored when it fits.
                prop_assert!(due.day() <= days_in_month(*due));
                prop_assert_eq!(due.day(), service.day().min(days_in_month(*due)));
            }
            // The horizon or the newer service decides how many: the next one would pass either.
            let following = service.checked_add_months(Months::new((series.len() as u32 + 1) * months)).expect("date");
            prop_assert!(following > end || next.is_some_and(|n| following >= n), "series of {} stops early at {}", service, series.len());
        }
        // Scheduled never before the due day (and so never before the service).
        for cb in plan.callbacks() {
            prop_assert!(cb.scheduled >= cb.due && cb.scheduled >= today);
        }
    }
}

// ---- acceptance ----

const STEPS: [AcceptanceStep; 4] = [
    AcceptanceStep::WorkerSelfCheck,
    AcceptanceStep::TeamSupervisor,
    AcceptanceStep::OfficeSupervisor,
    AcceptanceStep::Customer,
];
const ROLES: [Role; 6] = [
    Role::Dispatcher,
    Role::Worker,
    Role::TeamLeader,
    Role::TeamSupervisor,
    Role::OfficeSupervisor,
    Role::Customer,
];

fn t(minute: i64) -> NaiveDateTime {
    base().and_hms_opt(12, 0, 0).expect("time") + chrono::Duration::minutes(minute)
}

/// A random action, a time step (sometimes backwards) and a mode: 0 keeps the random
/// action; otherwise the model's next legal action is used (so that deep states get
/// reached), in mode 1 with one field taken from the random action (so that every check is
/// exercised at every step).
fn action_strategy() -> impl Strategy<Value = (Action, i64, u8)> {
    (
        0u8..3,
        0usize..4,
        0usize..6,
        -5i64..30,
        0u8..3,
        prop::option::of(0u8..8),
        0u8..3,
        0u8..4,
    )
        .prop_map(|(kind, step, role, dt, items, score, sig, random)| {
            let actor = Actor {
                id: "x".into(),
                role: ROLES[role],
            };
            let failed_items = match items {
                0 => vec![],
                1 => vec![" ".into()],
                _ => vec!["厨房".into()],
            };
            let signature = match sig {
                0 => None,
                n => Some(Signature {
                    signer: "c".into(),
                    strokes: vec![Stroke(
                        (0..n * 2 - 1)
                            .map(|i| Point {
                                x: i32::from(i),
                                y: 0,
                                t_ms: u32::from(i),
                                p: 0,
                            })
                            .collect(),
                    )],
                    signed_at: t(0),
                    anchor_ms: None,
                }),
            };
            let v = Verdict {
                step: STEPS[step],
                actor,
                at: t(0),
                failed_items,
                remarks: String::new(),
                satisfaction: score,
                signature,
            };
            let a = match kind {
                0 => Action::Pass(v),
                1 => Action::Fail(v),
                _ => Action::ReworkDone {
                    actor: v.actor,
                    at: t(0),
                    items: v.failed_items,
                    note: String::new(),
                },
            };
            (a, dt, random)
        })
}

/// A small reference model of the acceptance rules.
#[derive(Debug, Clone, PartialEq)]
struct Model {
    /// `Rules::recheck_after_rework`.
    recheck: bool,
    round: u32,
    /// The current round is the customer's step alone (after a customer's fail, no recheck).
    customer_only: bool,
    next: usize,
    rework: bool,
    /// The failing step of the round in rework, and its items (trimmed, blanks dropped).
    failed_step: Option<AcceptanceStep>,
    failed_items: BTreeSet<String>,
    accepted: bool,
    last: Option<NaiveDateTime>,
    /// When the customer gave each verdict.
    customer_times: Vec<NaiveDateTime>,
}

fn item_set(items: &[String]) -> BTreeSet<String> {
    items
        .iter()
        .map(|i| i.trim().to_owned())
        .filter(|i| !i.is_empty())
        .collect()
}

impl Model {
    fn new(recheck: bool) -> Self {
        Model {
            recheck,
            round: 1,
            customer_only: false,
            next: 0,
            rework: false,
            failed_step: None,
            failed_items: BTreeSet::new(),
            accepted: false,
            last: None,
            customer_times: Vec::new(),
        }
    }

    fn steps(&self) -> &[AcceptanceStep] {
        if self.customer_only {
            &STEPS[3..]
        } else {
            &STEPS
        }
    }

    fn stage(&self) -> Stage {
        if self.accepted {
            Stage::Accepted { round: self.round }
        } else if self.rework {
            Stage::Rework { round: self.round }
        } else {
            Stage::Awaiting {
                round: self.round,
                step: self.steps()[self.next],
            }
        }
    }

    /// The next legal action (a fail if `fail`), up to its time.
    fn next_legal(&self, fail: bool) -> Action {
        if self.rework {
            return Action::ReworkDone {
                actor: Actor {
                    id: "w".into(),
                    role: Role::Worker,
                },
                at: t(0),
                items: self.failed_items.iter().cloned().collect(),
                note: String::new(),
            };
        }
        let step = self.steps()[self.next];
        let customer = step == AcceptanceStep::Customer;
        let v = Verdict {
            step,
            actor: Actor {
                id: "a".into(),
                role: step.roles()[0],
            },
            at: t(0),
            failed_items: if fail { vec!["窗户".into()] } else { vec![] },
            remarks: String::new(),
            satisfaction: customer.then_some(3),
            signature: customer.then(|| Signature {
                signer: "c".into(),
                strokes: vec![Stroke(vec![
                    Point {
                        x: 0,
                        y: 0,
                        t_ms: 0,
                        p: 0,
                    },
                    Point {
                        x: 5,
                        y: 5,
                        t_ms: 9,
                        p: 0,
                    },
                ])],
                signed_at: t(0),
                anchor_ms: None,
            }),
        };
        if fail {
            Action::Fail(v)
        } else {
            Action::Pass(v)
        }
    }

    /// Applies `a` if legal; says whether it was.
    fn apply(&mut self, a: &Action, max: u8) -> bool {
        if self.last.is_some_and(|l| a.at() < l) {
            return false;
        }
        let ok = match a {
            Action::ReworkDone { actor, items, .. } => {
                let ok = self.rework
                    && matches!(actor.role, Role::Worker | Role::TeamLeader)
                    && item_set(items) == self.failed_items;
                if ok {
                    self.rework = false;
                    self.round += 1;
                    self.next = 0;
                    self.customer_only =
                        self.failed_step == Some(AcceptanceStep::Customer) && !self.recheck;
                }
                ok
            }
            Action::Pass(v) | Action::Fail(v) => {
                let is_pass = matches!(a, Action::Pass(_));
                let customer = v.step == AcceptanceStep::Customer;
                let ok = !self.accepted
                    && !self.rework
                    && v.step == self.steps()[self.next]
                    && v.step.roles().contains(&v.actor.role)
                    && (if is_pass {
                        v.failed_items.is_empty()
                    } else {
                        v.failed_items.iter().any(|i| !i.trim().is_empty())
                    })
                    && v.signature.as_ref().is_none_or(|s| !s.is_blank())
                    && v.satisfaction
                        .is_none_or(|s| customer && (1..=max).contains(&s))
                    && (!(customer && is_pass)
                        || (v.signature.is_some() && v.satisfaction.is_some()));
                if ok {
                    if customer {
                        self.customer_times.push(v.at);
                    }
                    if !is_pass {
                        self.rework = true;
                        self.failed_step = Some(v.step);
                        self.failed_items = item_set(&v.failed_items);
                    } else if self.next + 1 == self.steps().len() {
                        self.accepted = true;
                    } else {
                        self.next += 1;
                    }
                }
                ok
            }
        };
        if ok {
            self.last = Some(a.at());
        }
        ok
    }
}

/// `legal` with one field (chosen by `pick`) taken from `random`.
fn perturb(legal: Action, random: &Action, pick: i64) -> Action {
    let (Action::Pass(mut v) | Action::Fail(mut v)) = legal.clone() else {
        return legal;
    };
    let (Action::Pass(r) | Action::Fail(r)) = random else {
        return random.clone();
    };
    match pick.rem_euclid(5) {
        0 => v.satisfaction = r.satisfaction,
        1 => v.signature = r.signature.clone(),
        2 => v.actor = r.actor.clone(),
        3 => v.failed_items = r.failed_items.clone(),
        _ => v.step = r.step,
    }
    match legal {
        Action::Pass(_) => Action::Pass(v),
        _ => Action::Fail(v),
    }
}

fn with_time(a: Action, at: NaiveDateTime) -> Action {
    match a {
        Action::Pass(v) => Action::Pass(Verdict { at, ..v }),
        Action::Fail(v) => Action::Fail(Verdict { at, ..v }),
        Action::ReworkDone {
            actor, items, note, ..
        } => Action::ReworkDone {
            actor,
            at,
            items,
            note,
        },
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn acceptance_random_actions_stay_consistent(
        actions in prop::collection::vec(action_strategy(), 0..60),
        recheck in any::<bool>(),
    ) {
        let rules = Rules { recheck_after_rework: recheck, ..Rules::default() };
        let mut a = Acceptance::start(JobId::new("J"), &rules).expect("start");
        let mut model = Model::new(recheck);
        let mut clock = 0i64;
        for (action, dt, mode) in actions {
            clock += dt;
            let action = if mode == 0 || model.accepted {
                action
            } else {
                let legal = model.next_legal(matches!(action, Action::Fail(_)));
                if mode == 1 { perturb(legal, &action, dt) } else { legal }
            };
            let action = with_time(action, t(clock));
            let before = a.clone();
            let legal = model.apply(&action, rules.satisfaction_max);
            let got = a.apply(action);
            prop_assert_eq!(got.is_ok(), legal, "model and machine disagree: {:?}", got);
            if let Ok(stage) = got {
                prop_assert_eq!(stage, a.stage());
            } else {
                prop_assert_eq!(&a, &before, "refused action changed the state");
            }
            prop_assert_eq!(a.stage(), model.stage());
            prop_assert!(a.validate().is_ok(), "{:?}", a.validate());
            prop_assert_eq!(a.rounds().len() as u32, model.round);
            // Every round but the last failed and was reworked.
            for r in &a.rounds()[..a.rounds().len() - 1] {
                prop_assert!(r.failed() && r.rework.is_some());
            }
            // The second acceptance is the customer's second verdict.
            prop_assert_eq!(a.second_acceptance_time(), model.customer_times.get(1).copied());
            // After the rework of a customer's fail, the round is the customer's alone
            // unless the rules ask for a recheck.
            for (i, r) in a.rounds().iter().enumerate().skip(1) {
                let prev = &a.rounds()[i - 1];
                let customer_failed = prev.steps.last().is_some_and(|s| s.verdict.step == AcceptanceStep::Customer);
                if let Some(first) = r.steps.first() {
                    let want = if customer_failed && !recheck { AcceptanceStep::Customer } else { STEPS[0] };
                    prop_assert_eq!(first.verdict.step, want);
                }
            }
        }
    }
}

// ---- booking ----

fn booking_action_strategy() -> impl Strategy<Value = (u8, bool, i64)> {
    // kind (accept, decline, ask, answer), blank text, time step (sometimes backwards)
    (0u8..4, prop::bool::weighted(0.2), -3i64..20)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn a_call_centre_order_is_never_declined_and_only_accepted_with_no_open_question(
        source in prop_oneof![Just(BookingSource::CallCentre), Just(BookingSource::Phone), Just(BookingSource::WalkIn)],
        actions in prop::collection::vec(booking_action_strategy(), 0..20),
    ) {
        let mut b = Booking::receive(JobId::new("J"), source, t(0));
        let mut clock = 0i64;
        let mut last = t(0);
        for (kind, blank, dt) in actions {
            clock += dt;
            let at = t(clock);
            let text = if blank { " ".to_owned() } else { "x".to_owned() };
            let action = match kind {
                0 => BookingAction::Accept { by: "s".into(), at },
                1 => BookingAction::Decline { by: "s".into(), at, reason: text },
                2 => BookingAction::AskCallCentre { by: "s".into(), at, question: text },
                _ => BookingAction::Answer { by: "c".into(), at, answer: text },
            };
            let before = b.clone();
            let got = b.apply(action);
            // The reference: which actions are legal where.
            let state = before.state();
            let cc = source == BookingSource::CallCentre;
            let decided = matches!(state, BookingState::Accepted | BookingState::Declined);
            let legal = at >= last && !decided && match kind {
                0 => state == BookingState::Received,
                1 => !cc && !blank,
                2 => cc && state == BookingState::Received && !blank,
                _ => state == BookingState::WithCallCentre && !blank,
            };
            prop_assert_eq!(got.is_ok(), legal, "{:?} in {:?}: {:?}", kind, state, got);
            match got {
                Ok(s) => {
                    prop_assert_eq!(s, b.state());
                    last = at;
                }
                Err(e) => {
                    prop_assert_eq!(&b, &before, "refused action changed the booking");
                    if cc && kind == 1 && at >= last && !decided {
                        prop_assert_eq!(e, BookingError::CallCentreOrderMustBeAccepted);
                    }
                }
            }
            if cc {
                prop_assert!(b.state() != BookingState::Declined);
            }
            if b.state() == BookingState::Accepted {
                prop_assert!(b.open_question().is_none());
            }
            prop_assert_eq!(b.validate(), Ok(()));
        }
    }
}

// ---- kits ----

proptest! {
    #[test]
    fn kit_counts_balance(
        out in prop::collection::vec((0u8..3, 0u8..5, 0u32..20), 0..15),
        back in prop::collection::vec((0u8..3, 0u8..5, 0u32..20, 0u32..5), 0..15),
    ) {
        let w = |n: u8| WorkerId(format!("W{n}"));
        let item = |n: u8| format!("i{n}");
        let checkout = KitCheckout {
            job: JobId::new("J"),
            service: "daily_clean".into(),
            at: t(0),
            lines: out.iter().map(|&(wk, it, count)| CheckoutLine { worker: w(wk), item: item(it), count, name: None }).collect(),
        };
        let checkin = KitCheckin {
            job: JobId::new("J"),
            at: t(60),
            lines: back.iter().map(|&(wk, it, good, damaged)| CheckinLine { worker: w(wk), item: item(it), good, damaged }).collect(),
        };
        let incidents = reconcile(&checkout, &checkin);
        let sum = |k: IncidentKind| incidents.iter().filter(|i| i.kind == k).map(|i| u64::from(i.count)).sum::<u64>();
        let total_out: u64 = out.iter().map(|l| u64::from(l.2)).sum();
        let total_good: u64 = back.iter().map(|l| u64::from(l.2)).sum();
        let total_damaged: u64 = back.iter().map(|l| u64::from(l.3)).sum();
        // Everything that went out came back good, damaged or is missing; what came back on
        // top is extra.
        prop_assert_eq!(
            total_out + sum(IncidentKind::Extra),
            total_good + sum(IncidentKind::Damaged) + sum(IncidentKind::Missing)
        );
        prop_assert_eq!(sum(IncidentKind::Damaged), total_damaged);
        // Per worker and item: never both missing and extra; every incident counts something.
        let mut per: BTreeMap<(WorkerId, String), Vec<IncidentKind>> = BTreeMap::new();
        for i in &incidents {
            prop_assert!(i.count > 0);
            per.entry((i.worker.clone(), i.item.clone())).or_default().push(i.kind);
        }
        for kinds in per.values() {
            prop_assert!(!(kinds.contains(&IncidentKind::Missing) && kinds.contains(&IncidentKind::Extra)));
        }
        // Order of lines does not matter.
        let mut rev_out = checkout.clone();
        rev_out.lines.reverse();
        let mut rev_back = checkin.clone();
        rev_back.lines.reverse();
        prop_assert_eq!(reconcile(&rev_out, &rev_back), incidents);
    }

    #[test]
    fn checklist_gates_open_exactly_when_their_items_are_ticked(mask in prop::collection::vec(any::<bool>(), 40)) {
        let set = ChecklistSet::default();
        let mut r = ChecklistResults::new(set.clone());
        for (item, on) in set.items.iter().zip(&mask) {
            if *on {
                r.tick(&item.id, t(0), WorkerId::new("W1")).expect("tick");
            }
        }
        for (gate, result) in [(Gate::StartWork, can_start_work(&r)), (Gate::RequestSignature, can_request_signature(&r))] {
            let needed: Vec<&str> = set.gate_items(gate).iter().map(|i| i.id.as_str()).collect();
            let missing: Vec<&str> = needed.iter().copied().filter(|id| !r.is_ticked(id)).collect();
            match result {
                Ok(()) => prop_assert!(missing.is_empty()),
                Err(b) => prop_assert_eq!(b.missing_ids(), missing),
            }
        }
    }
}
