//! Privacy projections: pure functions from the full records to what each role may see.
//!
//! These decide what data is ever placed on a device, so the view types simply have no field
//! for what a role must not see:
//!
//! - [`CustomerJobView`] (the customer, in customer mode): their own visit, the crew's names
//!   and badge numbers ([`CrewMember`] has no phone field). Calls go through the store.
//! - [`WorkerJobView`] (a worker or team leader): only jobs they are assigned to, otherwise
//!   `None`. Always shown: the job (items, time, special requests, crew badges), the district and
//!   the customer's **masked** name ([`mask_name`]: first character + `**`, e.g. `张**`).
//!   Shown only in [`CustomerContact`], and only while the assignment is active: the customer's
//!   full name, phone, detailed address and the office's notes. "Active" means the job is
//!   still open ([`JobStatus::is_open`]) and the local date is on or after the service date
//!   minus `Rules::confirmation_days_before` (the day-before call). Once the job is completed or
//!   cancelled, the contact is gone from new views and [`must_purge`] tells the device to drop a
//!   stored one.
//! - [`StoreView`] (a dispatcher): everything of their own store, nothing of another store.
//!
//! Inconsistent input (an assignment for another job, a customer who is not the job's) yields
//! `None`, never a view built from mismatched records.
//!
//! Times are the store's local wall-clock time ([`local_time`] converts from UTC).

use crate::config::Rules;
use crate::model::{
    Assignment, Customer, CustomerId, Job, JobId, JobStatus, ServiceLine, StoreId, TimeWindow,
    Worker, WorkerId,
};
use chrono::{DateTime, Days, NaiveDate, NaiveDateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

/// The store's local wall-clock time at a UTC instant (`Rules::utc_offset_minutes`).
pub fn local_time(utc: DateTime<Utc>, rules: &Rules) -> Option<NaiveDateTime> {
    utc.naive_utc()
        .checked_add_signed(TimeDelta::try_minutes(i64::from(rules.utc_offset_minutes))?)
}

/// A name as shown outside the contact window: its first character and `**` (`张三丰` → `张**`,
/// `Anna Li` → `A**`). The length of the name is not revealed; an empty name gives `**`.
pub fn mask_name(name: &str) -> String {
    match name.trim().chars().next() {
        Some(first) => format!("{first}**"),
        None => "**".to_owned(),
    }
}

/// A crew member as a customer sees them. There is deliberately no phone field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CrewMember {
    pub badge: WorkerId,
    /// `None` when the worker's record was not supplied (the badge is still shown).
    pub name: Option<String>,
    pub leader: bool,
}

/// A customer's view of their own visit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerJobView {
    pub job: JobId,
    pub status: JobStatus,
    pub items: Vec<ServiceLine>,
    pub window: TimeWindow,
    /// Empty until a crew is assigned.
    pub crew: Vec<CrewMember>,
}

/// What `viewer` (a customer) may see of `job`: `None` unless it is their job. `assignment`,
/// if given, must be for this job (else `None`); crew names are looked up in `workers`.
pub fn for_customer(
    job: &Job,
    assignment: Option<&Assignment>,
    workers: &[Worker],
    viewer: &CustomerId,
) -> Option<CustomerJobView> {
    if &job.customer != viewer {
        return None;
    }
    let crew = match assignment {
        None => Vec::new(),
        Some(a) if a.job != job.id => return None,
        Some(a) => crew_badges(a)
            .into_iter()
            .map(|badge| CrewMember {
                name: workers
                    .iter()
                    .find(|w| w.badge == badge)
                    .map(|w| w.name.clone()),
                leader: badge == a.leader,
                badge,
            })
            .collect(),
    };
    Some(CustomerJobView {
        job: job.id.clone(),
        status: job.status,
        items: job.items.clone(),
        window: job.window.clone(),
        crew,
    })
}

/// The crew's badges, leader first, each once (the leader is listed even if missing from `workers`).
fn crew_badges(a: &Assignment) -> Vec<WorkerId> {
    let mut out = vec![a.leader.clone()];
    for w in &a.workers {
        if !out.contains(w) {
            out.push(w.clone());
        }
    }
    out
}

/// The customer details a worker sees only while their assignment is active.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerContact {
    pub name: String,
    pub phone: String,
    pub address_detail: String,
    /// The office's notes (pets, parking, door codes).
    pub notes: String,
}

/// A worker's view of one of their own jobs. Other workers' phones are never part of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkerJobView {
    pub job: JobId,
    pub store: StoreId,
    pub status: JobStatus,
    pub items: Vec<ServiceLine>,
    pub special_requests: String,
    /// The assignment's planned start and end.
    #[serde(with = "crate::iso::datetime")]
    pub start: NaiveDateTime,
    #[serde(with = "crate::iso::datetime")]
    pub end: NaiveDateTime,
    pub leader: WorkerId,
    /// Crew badges, leader first.
    pub crew: Vec<WorkerId>,
    /// The viewer leads this crew (and is the one who talks with the customer).
    pub you_lead: bool,
    pub district: String,
    /// [`mask_name`] of the customer's name.
    pub customer_masked: String,
    /// First local date on which the contact is shown (the day-before call).
    #[serde(with = "crate::iso::date")]
    pub contact_from: NaiveDate,
    /// Present only while the assignment is active.
    pub contact: Option<CustomerContact>,
}

/// What a list of jobs shows of a [`WorkerJobView`]: read from the same stored view (its
/// other fields are skipped, the contact's phone and address included), so the list never
/// decodes more than it shows.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct WorkerJobCard {
    pub job: JobId,
    pub status: JobStatus,
    pub items: Vec<ServiceLine>,
    #[serde(with = "crate::iso::datetime")]
    pub start: NaiveDateTime,
    #[serde(with = "crate::iso::datetime")]
    pub end: NaiveDateTime,
    pub crew: Vec<WorkerId>,
    pub district: String,
    pub customer_masked: String,
    /// The customer's name while the contact is shown (the view's `contact.name`).
    pub contact: Option<ContactName>,
}

/// The name of a [`CustomerContact`], alone.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct ContactName {
    pub name: String,
}

impl WorkerJobCard {
    /// The customer as the job page shows them: the full name only inside the contact window.
    pub fn customer(&self) -> &str {
        self.contact
            .as_ref()
            .map_or(&self.customer_masked, |c| &c.name)
    }
}

impl From<&WorkerJobView> for WorkerJobCard {
    fn from(v: &WorkerJobView) -> Self {
        WorkerJobCard {
            job: v.job.clone(),
            status: v.status,
            items: v.items.clone(),
            start: v.start,
            end: v.end,
            crew: v.crew.clone(),
            district: v.district.clone(),
            customer_masked: v.customer_masked.clone(),
            contact: v.contact.as_ref().map(|c| ContactName {
                name: c.name.clone(),
            }),
        }
    }
}

/// The first date the contact of an assignment starting at `start` may be shown.
pub fn contact_from(start: NaiveDateTime, rules: &Rules) -> NaiveDate {
    let d = start.date();
    d.checked_sub_days(Days::new(u64::from(rules.confirmation_days_before)))
        .unwrap_or(d)
}

fn contact_allowed(status: JobStatus, from: NaiveDate, now: NaiveDateTime) -> bool {
    status.is_open() && now.date() >= from
}

/// What `viewer` (a worker) may see of `job`: `None` unless they are in its assignment (as
/// crew member or leader) and the records agree with each other (same job, the job's customer).
pub fn for_worker(
    job: &Job,
    customer: &Customer,
    assignment: &Assignment,
    viewer: &WorkerId,
    now: NaiveDateTime,
    rules: &Rules,
) -> Option<WorkerJobView> {
    if assignment.job != job.id || customer.id != job.customer || customer.store != job.store {
        return None;
    }
    let crew = crew_badges(assignment);
    if !crew.contains(viewer) {
        return None;
    }
    let from = contact_from(assignment.start, rules);
    let contact = contact_allowed(job.status, from, now).then(|| CustomerContact {
        name: customer.name.clone(),
        phone: customer.phone.clone(),
        address_detail: customer.address.detail.clone(),
        notes: customer.notes.clone(),
    });
    Some(WorkerJobView {
        job: job.id.clone(),
        store: job.store.clone(),
        status: job.status,
        items: job.items.clone(),
        special_requests: job.special_requests.clone(),
        start: assignment.start,
        end: assignment.end,
        leader: assignment.leader.clone(),
        you_lead: &assignment.leader == viewer,
        crew,
        district: customer.address.district.clone(),
        customer_masked: mask_name(&customer.name),
        contact_from: from,
        contact,
    })
}

/// Every view `viewer` may hold: one per assignment of theirs whose job and customer are known.
pub fn worker_views(
    jobs: &[Job],
    customers: &[Customer],
    assignments: &[Assignment],
    viewer: &WorkerId,
    now: NaiveDateTime,
    rules: &Rules,
) -> Vec<WorkerJobView> {
    assignments
        .iter()
        .filter_map(|a| {
            let job = jobs.iter().find(|j| j.id == a.job)?;
            let customer = customers.iter().find(|c| c.id == job.customer)?;
            for_worker(job, customer, a, viewer, now, rules)
        })
        .collect()
}

/// A stored view holds contact details it may no longer hold: the job is completed or
/// cancelled (its `status`, as last synced), or the contact window has not opened (yet or again,
/// e.g. after the job was moved to a later date).
pub fn must_purge(view: &WorkerJobView, now: NaiveDateTime) -> bool {
    view.contact.is_some() && !contact_allowed(view.status, view.contact_from, now)
}

/// Drops the contact of every stored view that [`must_purge`]; returns the jobs purged.
pub fn purge_expired(views: &mut [WorkerJobView], now: NaiveDateTime) -> Vec<JobId> {
    views
        .iter_mut()
        .filter(|v| must_purge(v, now))
        .map(|v| {
            v.contact = None;
            v.job.clone()
        })
        .collect()
}

/// A dispatcher's view: their store's jobs, customers, workers and the assignments of its jobs.
/// Workers of other stores lent to an urgent job appear in assignments by badge only.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoreView {
    pub store: StoreId,
    pub jobs: Vec<Job>,
    pub customers: Vec<Customer>,
    pub workers: Vec<Worker>,
    pub assignments: Vec<Assignment>,
}

/// What a dispatcher of `store` sees: everything of that store, nothing of another.
pub fn for_dispatcher(
    store: &StoreId,
    jobs: &[Job],
    customers: &[Customer],
    workers: &[Worker],
    assignments: &[Assignment],
) -> StoreView {
    let jobs: Vec<Job> = jobs.iter().filter(|j| &j.store == store).cloned().collect();
    let assignments = assignments
        .iter()
        .filter(|a| jobs.iter().any(|j| j.id == a.job))
        .cloned()
        .collect();
    StoreView {
        store: store.clone(),
        customers: customers
            .iter()
            .filter(|c| &c.store == store)
            .cloned()
            .collect(),
        workers: workers
            .iter()
            .filter(|w| &w.store == store)
            .cloned()
            .collect(),
        jobs,
        assignments,
    }
}
