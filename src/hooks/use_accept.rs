//! A job's acceptance on this phone: recording sign-offs and reworks (the core checks each,
//! and seals the round's record when its last signature is given), the job's signed records
//! verified as they are read, and checking a PIN (a supervisor's, or the worker's to leave
//! customer mode).

use super::use_db_query;
use crate::context::use_db;
use crate::data::{self, Entry};
use crate::error::AppError;
use doorstep_core::acceptance::Action;
use doorstep_core::model::{JobId, WorkerId};
use doorstep_core::record::{records_of, SignedRecord, FIRST_SEQ};
use doorstep_core::Explain;
use leptos::prelude::*;

/// A signed record as opened: intact, changed since it was sealed (the hash says so), or
/// unreadable. Shown in its place either way.
#[derive(Clone, Debug, PartialEq)]
pub enum OpenedRecord {
    Intact(SignedRecord),
    Changed {
        record: SignedRecord,
        fault: doorstep_core::Text,
    },
    Damaged {
        id: String,
        reason: String,
    },
}

#[derive(Clone, Copy)]
pub struct UseAcceptReturn {
    /// The job's signed records, oldest first, each verified when read.
    pub records: LocalResource<Result<Vec<OpenedRecord>, AppError>>,
    /// Records an acceptance action with the consent text the signer saw.
    pub record: Callback<(Action, String)>,
    pub saving: ReadSignal<bool>,
    /// The outcome of the last action: `Ok(Some(seq))` when it sealed a record.
    pub outcome: ReadSignal<Option<Result<Option<u64>, AppError>>>,
}

pub fn use_accept(job: Signal<String>) -> UseAcceptReturn {
    let records = use_db_query(move |db| {
        let id = job.get();
        let prefix = records_of(&JobId::new(id));
        (vec![prefix.clone()], async move {
            let mut out: Vec<OpenedRecord> = db
                .entries::<SignedRecord>(&prefix)
                .await?
                .into_iter()
                .map(|e| match e {
                    Entry::Ok { value, .. } => match value.verify() {
                        Ok(()) => OpenedRecord::Intact(value),
                        Err(f) => OpenedRecord::Changed {
                            fault: doorstep_core::Text::new(
                                f.explain(doorstep_core::Lang::Zh),
                                f.explain(doorstep_core::Lang::En),
                            ),
                            record: value,
                        },
                    },
                    Entry::Damaged { id, reason } => OpenedRecord::Damaged { id, reason },
                })
                .collect();
            out.sort_by_key(|r| match r {
                OpenedRecord::Intact(r) | OpenedRecord::Changed { record: r, .. } => {
                    (r.record.round, r.seq)
                }
                OpenedRecord::Damaged { .. } => (u32::MAX, 0),
            });
            Ok(out)
        })
    });
    let db = use_db();
    let (saving, set_saving) = signal(false);
    let (outcome, set_outcome) = signal(None);
    let record = Callback::new(move |(action, consent): (Action, String)| {
        // One write at a time: taps while one is saved do nothing.
        if saving.get_untracked() {
            return;
        }
        let Some(db) = db.get_untracked().db() else {
            return;
        };
        let id = job.get_untracked();
        set_saving.set(true);
        leptos::task::spawn_local(async move {
            let by = db.state().worker.clone();
            let r = db.record_accept(&id, &by, action, consent).await;
            // The first signed record is when keeping the data starts to matter.
            if let Ok(Some(rec)) = &r {
                if rec.seq == FIRST_SEQ {
                    data::request_persistence();
                }
            }
            set_saving.set(false);
            set_outcome.set(Some(r.map(|o| o.map(|rec| rec.seq))));
        });
    });
    UseAcceptReturn {
        records,
        record,
        saving,
        outcome,
    }
}

#[derive(Clone, Copy)]
pub struct UsePinCheckReturn {
    /// Checks `(who, pin)`.
    pub check: Callback<(WorkerId, String)>,
    pub checking: ReadSignal<bool>,
    /// `Ok(Some(true))` the PIN matches, `Ok(Some(false))` it does not, `Ok(None)` none set.
    pub result: RwSignal<Option<Result<Option<bool>, AppError>>>,
}

pub fn use_pin_check() -> UsePinCheckReturn {
    let db = use_db();
    let (checking, set_checking) = signal(false);
    let result = RwSignal::new(None);
    let check = Callback::new(move |(who, pin): (WorkerId, String)| {
        if checking.get_untracked() {
            return;
        }
        let Some(db) = db.get_untracked().db() else {
            return;
        };
        set_checking.set(true);
        // The last answer goes while this one is worked out.
        result.set(None);
        leptos::task::spawn_local(async move {
            let r = db.check_pin(&who, &pin).await;
            set_checking.set(false);
            result.set(Some(r));
        });
    });
    UsePinCheckReturn {
        check,
        checking,
        result,
    }
}
