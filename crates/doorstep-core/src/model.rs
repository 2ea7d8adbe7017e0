//! The shared domain model: who (stores, workers, customers), what (jobs, service lines),
//! when (time windows, shifts). Area-specific types live in their rule modules.
//!
//! Times are local wall-clock times of the store's time zone (`Rules::time_zone`), as
//! `chrono::NaiveDateTime`; dates are `NaiveDate`. Money is integer fen (`Money`).
//! Time fields are written and read through `crate::iso` (one strict form): a new
//! `NaiveDateTime` field here takes `#[serde(with = "crate::iso::datetime")]` too. Each
//! stored format is defined once, by its serde derive.

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! id_type {
    ($(#[$m:meta])* $name:ident) => {
        $(#[$m])*
        #[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            pub fn new(s: impl Into<String>) -> Self {
                $name(s.into())
            }
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                $name(s.to_owned())
            }
        }
    };
}

id_type!(
    /// A store (门店); dispatchers see everything of their store.
    StoreId
);
id_type!(
    /// A worker's badge number (工号): the worker's identity everywhere.
    WorkerId
);
id_type!(CustomerId);
id_type!(JobId);
id_type!(
    /// A travel zone (usually a district); travel times are given zone to zone.
    Zone
);
id_type!(
    /// A skill a job needs and a worker has, e.g. `deep_clean`, `glass`, `appliance`.
    Skill
);

/// Money in integer fen (1 yuan = 100 fen). Never a float.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Money(pub i64);

impl Money {
    pub const ZERO: Money = Money(0);

    pub fn fen(self) -> i64 {
        self.0
    }

    /// Reads an amount typed in yuan: `128`, `128.5`, `128.50`, `¥128.50` (spaces around
    /// allowed); at most two decimals, never negative; `None` otherwise.
    pub fn parse_yuan(text: &str) -> Option<Money> {
        let t = text.trim();
        let t = t.strip_prefix('¥').unwrap_or(t).trim();
        let (whole, frac) = match t.split_once('.') {
            Some((w, f)) => (w, f),
            None => (t, ""),
        };
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() || !digits(whole) || !digits(frac) || frac.len() > 2 || whole.len() > 12
        {
            return None;
        }
        let yuan: i64 = whole.parse().ok()?;
        let fen: i64 = format!("{frac:0<2}").parse().ok()?;
        yuan.checked_mul(100)?.checked_add(fen).map(Money)
    }
}

impl fmt::Display for Money {
    /// `¥123.45`; negative amounts as `-¥1.20`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        write!(f, "{sign}¥{}.{:02}", abs / 100, abs % 100)
    }
}

/// A customer's address. Workers see `district` always, `detail` only under the privacy rule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Address {
    /// City district (区), e.g. 浦东新区.
    pub district: String,
    /// Street, compound, building and house/room number.
    pub detail: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Customer {
    pub id: CustomerId,
    pub store: StoreId,
    pub name: String,
    pub phone: String,
    pub address: Address,
    /// Free-text notes from the office (pets, parking, allergies).
    #[serde(default)]
    pub notes: String,
}

/// A working period of a worker, in local time.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shift {
    #[serde(with = "crate::iso::datetime")]
    pub start: NaiveDateTime,
    #[serde(with = "crate::iso::datetime")]
    pub end: NaiveDateTime,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Worker {
    pub badge: WorkerId,
    pub name: String,
    /// Never shown to customers (privacy rule).
    pub phone: String,
    pub store: StoreId,
    pub skills: Vec<Skill>,
    /// Qualified to lead a crew (组长).
    pub leader: bool,
    pub shifts: Vec<Shift>,
    /// Where the worker starts the day, for travel to the first job.
    #[serde(default)]
    pub home_zone: Option<Zone>,
}

/// One line of a booking: a price-list item and its quantity in the item's unit
/// (hours, m², pieces or visits, as the price list says).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceLine {
    /// Price-list code, e.g. `daily_clean`.
    pub code: String,
    pub quantity: u32,
}

/// When a job may happen: it starts at or after `start` and ends at or before `end`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeWindow {
    #[serde(with = "crate::iso::datetime")]
    pub start: NaiveDateTime,
    #[serde(with = "crate::iso::datetime")]
    pub end: NaiveDateTime,
}

/// Where an order came from. An order from the call centre may not be rejected by the store.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BookingSource {
    CallCentre,
    WalkIn,
    #[default]
    Phone,
}

/// The life of a job, from booking to the customer's final acceptance.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobStatus {
    #[default]
    Booked,
    Assigned,
    /// The day-before call confirmed time, place and requests.
    Confirmed,
    InProgress,
    /// Work done; the acceptance chain is running.
    Acceptance,
    /// An acceptance step failed; the responsible worker reworks the failed items.
    Rework,
    Completed,
    Cancelled,
}

impl JobStatus {
    /// Assignment is "active" for the privacy rule in these states (with the date rule on top).
    pub fn is_open(self) -> bool {
        !matches!(self, JobStatus::Completed | JobStatus::Cancelled)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Job {
    pub id: JobId,
    pub store: StoreId,
    pub customer: CustomerId,
    pub items: Vec<ServiceLine>,
    /// Skills every crew member must have.
    pub skills: Vec<Skill>,
    /// Number of workers; a crew of two or more needs one qualified leader.
    pub crew_size: u8,
    pub window: TimeWindow,
    /// Planned working time on site, in minutes.
    pub duration_minutes: u32,
    pub zone: Zone,
    #[serde(default)]
    pub urgent: bool,
    #[serde(default)]
    pub status: JobStatus,
    #[serde(default)]
    pub source: BookingSource,
    #[serde(default)]
    pub special_requests: String,
}

/// A crew placed on a job at a time: the output of dispatch and what a dispatch order (派工单) shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assignment {
    pub job: JobId,
    /// Crew members, leader included.
    pub workers: Vec<WorkerId>,
    /// The crew's leader; for a crew of one, that worker.
    pub leader: WorkerId,
    #[serde(with = "crate::iso::datetime")]
    pub start: NaiveDateTime,
    #[serde(with = "crate::iso::datetime")]
    pub end: NaiveDateTime,
}

/// Roles of the people who use Doorstep.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Dispatcher,
    Worker,
    TeamLeader,
    TeamSupervisor,
    OfficeSupervisor,
    Customer,
}

/// A calendar date helper used by several rules.
pub fn date_of(t: NaiveDateTime) -> NaiveDate {
    t.date()
}

/// A point of a signature stroke, in tenths of a CSS pixel from the pad's top-left corner,
/// with milliseconds since the signature's wall-clock anchor ([`Signature::anchor_ms`]; in
/// records made without one, since the stroke began) and the pen's pressure in thousandths
/// (0: not reported, left out of the stored form). Integers, so that hashing is exact everywhere.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Point {
    pub x: i32,
    pub y: i32,
    pub t_ms: u32,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub p: u16,
}

fn is_zero(p: &u16) -> bool {
    *p == 0
}

/// One pen-down-to-pen-up stroke.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Stroke(pub Vec<Point>);

/// A handwritten signature as captured on the device: the strokes, who signed, and the
/// device's local time of signing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signature {
    pub signer: String,
    pub strokes: Vec<Stroke>,
    #[serde(with = "crate::iso::datetime")]
    pub signed_at: NaiveDateTime,
    /// Wall-clock time (Unix ms) of the first pen-down: every point's `t_ms` counts from it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub anchor_ms: Option<i64>,
}

impl Signature {
    /// A signature needs at least one stroke with at least two points.
    pub fn is_blank(&self) -> bool {
        !self.strokes.iter().any(|s| s.0.len() >= 2)
    }
}

/// A job as a device holds it (a dispatch order, 派工单): the booking, its crew, and the
/// worker's day-before confirmation. Stored as document `job:<id>`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobDoc {
    pub job: Job,
    pub assignment: Option<Assignment>,
    #[serde(default)]
    pub confirmation: Option<Confirmation>,
}

/// The day-before call: who confirmed, when (device local time), and a note.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Confirmation {
    #[serde(with = "crate::iso::datetime")]
    pub at: NaiveDateTime,
    pub by: WorkerId,
    pub note: String,
}

/// The sync server's database of the worker with this badge: `doorstep-w-<badge>`.
/// One name for the app (what a logged-in phone syncs with) and the CLI.
pub fn worker_db(badge: &str) -> String {
    db_name("doorstep-w-", badge)
}

/// The sync server's database of a store (the office's, which the relay fills with the
/// workers' steps and records): `doorstep-<store>`, e.g. `doorstep-s01`.
pub fn store_db(store: &str) -> String {
    db_name("doorstep-", store)
}

/// `prefix` + `id` lowercase (CouchDB's rule for database names), anything but letters,
/// digits, `_` and `-` as `_`.
fn db_name(prefix: &str, id: &str) -> String {
    let clean: String = id
        .chars()
        .map(|c| match c.to_ascii_lowercase() {
            c @ ('a'..='z' | '0'..='9' | '_' | '-') => c,
            _ => '_',
        })
        .collect();
    format!("{prefix}{clean}")
}

/// Document ids: one scheme for the device store, the sync server and the CLI.
pub mod doc_id {
    pub fn job(id: &str) -> String {
        format!("job:{id}")
    }
    pub fn customer(id: &str) -> String {
        format!("customer:{id}")
    }
    pub fn worker(badge: &str) -> String {
        format!("worker:{badge}")
    }
    /// A worker's dispatch order (`step::DispatchOrder`) on their device and database.
    pub fn order(job: &str) -> String {
        format!("order:{job}")
    }
    /// A step recorded on a job (`step::Step`), with the id the device made for it.
    pub fn step(job: &str, step: &str) -> String {
        format!("step:{job}:{step}")
    }
    /// The prefix of every step of `job`.
    pub fn steps_of(job: &str) -> String {
        format!("step:{job}:")
    }
    pub const JOB_PREFIX: &str = "job:";
    pub const ORDER_PREFIX: &str = "order:";
    /// Where the index puts an order whose start cannot be read: before every day, so a
    /// screen reading a day range reads this key too and shows the order as damaged.
    pub const ORDER_UNPLACED: &str = "order:!";
    /// The version of [`index_key`]: bump it whenever a stored document's key would change.
    pub const INDEX_VERSION: u32 = 1;

    /// The device store's index key (see the store's `Index`): a dispatch order by its
    /// planned start, `order:2026-12-02T08:45:00`, so one day's orders are read without the
    /// others; other documents have none.
    pub fn index_key(id: &str, body: &serde_json::Value) -> Option<String> {
        if !id.starts_with(ORDER_PREFIX) {
            return None;
        }
        let start = body
            .get("view")
            .and_then(|v| v.get("start"))
            .and_then(serde_json::Value::as_str)
            .and_then(|s| crate::iso::parse_datetime(s).ok())
            .and_then(crate::iso::format_datetime);
        Some(match start {
            Some(s) => format!("{ORDER_PREFIX}{s}"),
            None => ORDER_UNPLACED.to_owned(),
        })
    }

    /// The index range `[lo, hi)` of the orders starting on `days` days from `first`.
    pub fn order_days(first: chrono::NaiveDate, days: u32) -> (String, String) {
        let end = first
            .checked_add_days(chrono::Days::new(u64::from(days)))
            .unwrap_or(first);
        (
            format!("{ORDER_PREFIX}{first}"),
            format!("{ORDER_PREFIX}{end}"),
        )
    }
    pub const STEP_PREFIX: &str = "step:";
    pub const WORKER_PREFIX: &str = "worker:";
}
