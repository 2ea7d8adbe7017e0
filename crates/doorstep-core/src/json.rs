//! The model's stored documents decoded through `doorstep_json::FromJson`, as the device
//! reads them from its store: the same values and errors as the serde derives on the same
//! types (`tests/json.rs` checks this), without the derives' visitors in the wasm.

pub use doorstep_json::{vec_from_json, Fields, FromJson};
use serde_json::{Error, Value};

// The model's documents, field by field in declaration order (as the derives read arrays).

use crate::iso;
use crate::model::{Address, Assignment, Confirmation, Customer, Job, JobDoc, ServiceLine, Shift, TimeWindow, Worker};

impl FromJson for Address {
    fn from_json(v: Value) -> Result<Self, Error> {
        let mut f = Fields::new(v, "struct Address", 2)?;
        let a = Address { district: f.de("district")?, detail: f.de("detail")? };
        f.end()?;
        Ok(a)
    }
}

impl FromJson for Customer {
    fn from_json(v: Value) -> Result<Self, Error> {
        let mut f = Fields::new(v, "struct Customer", 6)?;
        let c = Customer {
            id: f.de("id")?,
            store: f.de("store")?,
            name: f.de("name")?,
            phone: f.de("phone")?,
            address: f.with("address", Address::from_json)?,
            notes: f.de_or_default("notes")?,
        };
        f.end()?;
        Ok(c)
    }
}

impl FromJson for Shift {
    fn from_json(v: Value) -> Result<Self, Error> {
        let mut f = Fields::new(v, "struct Shift", 2)?;
        let s = Shift { start: f.with("start", iso::datetime::deserialize)?, end: f.with("end", iso::datetime::deserialize)? };
        f.end()?;
        Ok(s)
    }
}

impl FromJson for Worker {
    fn from_json(v: Value) -> Result<Self, Error> {
        let mut f = Fields::new(v, "struct Worker", 8)?;
        let w = Worker {
            badge: f.de("badge")?,
            name: f.de("name")?,
            phone: f.de("phone")?,
            store: f.de("store")?,
            skills: f.de("skills")?,
            leader: f.de("leader")?,
            shifts: f.with("shifts", vec_from_json)?,
            home_zone: f.de_or_default("home_zone")?,
        };
        f.end()?;
        Ok(w)
    }
}

impl FromJson for ServiceLine {
    fn from_json(v: Value) -> Result<Self, Error> {
        let mut f = Fields::new(v, "struct ServiceLine", 2)?;
        let s = ServiceLine { code: f.de("code")?, quantity: f.de("quantity")? };
        f.end()?;
        Ok(s)
    }
}

impl FromJson for TimeWindow {
    fn from_json(v: Value) -> Result<Self, Error> {
        let mut f = Fields::new(v, "struct TimeWindow", 2)?;
        let w = TimeWindow { start: f.with("start", iso::datetime::deserialize)?, end: f.with("end", iso::datetime::deserialize)? };
        f.end()?;
        Ok(w)
    }
}

impl FromJson for Job {
    fn from_json(v: Value) -> Result<Self, Error> {
        let mut f = Fields::new(v, "struct Job", 13)?;
        let j = Job {
            id: f.de("id")?,
            store: f.de("store")?,
            customer: f.de("customer")?,
            items: f.with("items", vec_from_json)?,
            skills: f.de("skills")?,
            crew_size: f.de("crew_size")?,
            window: f.with("window", TimeWindow::from_json)?,
            duration_minutes: f.de("duration_minutes")?,
            zone: f.de("zone")?,
            urgent: f.de_or_default("urgent")?,
            status: f.de_or_default("status")?,
            source: f.de_or_default("source")?,
            special_requests: f.de_or_default("special_requests")?,
        };
        f.end()?;
        Ok(j)
    }
}

impl FromJson for Assignment {
    fn from_json(v: Value) -> Result<Self, Error> {
        let mut f = Fields::new(v, "struct Assignment", 5)?;
        let a = Assignment {
            job: f.de("job")?,
            workers: f.de("workers")?,
            leader: f.de("leader")?,
            start: f.with("start", iso::datetime::deserialize)?,
            end: f.with("end", iso::datetime::deserialize)?,
        };
        f.end()?;
        Ok(a)
    }
}

impl FromJson for Confirmation {
    fn from_json(v: Value) -> Result<Self, Error> {
        let mut f = Fields::new(v, "struct Confirmation", 3)?;
        let c = Confirmation { at: f.with("at", iso::datetime::deserialize)?, by: f.de("by")?, note: f.de("note")? };
        f.end()?;
        Ok(c)
    }
}

impl FromJson for JobDoc {
    fn from_json(v: Value) -> Result<Self, Error> {
        let mut f = Fields::new(v, "struct JobDoc", 3)?;
        let d = JobDoc { job: f.with("job", Job::from_json)?, assignment: f.option("assignment", false)?, confirmation: f.option("confirmation", true)? };
        f.end()?;
        Ok(d)
    }
}
