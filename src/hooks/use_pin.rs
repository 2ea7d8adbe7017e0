//! The device PIN of the worker whose data the device holds: whether one is set, and
//! setting it (checked by the core, kept as a salted hash).

use super::use_db_query;
use crate::context::use_db;
use crate::error::AppError;
use doorstep_core::model::WorkerId;
use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct UsePinReturn {
    /// Whether this worker has a PIN on this device.
    pub is_set: LocalResource<Result<bool, AppError>>,
    /// Sets the PIN from the two entries.
    pub set: Callback<(String, String)>,
    pub saving: ReadSignal<bool>,
    /// The outcome of the last attempt.
    pub outcome: ReadSignal<Option<Result<(), AppError>>>,
}

pub fn use_pin() -> UsePinReturn {
    use_pin_of(None)
}

/// [`use_pin`] of another PIN owner on this device (a supervisor's, `pin:<id>`); `None`:
/// the worker whose data the device holds.
pub fn use_pin_of(owner: Option<WorkerId>) -> UsePinReturn {
    let owner = StoredValue::new(owner);
    let (saving, set_saving) = signal(false);
    let (outcome, set_outcome) = signal(None);
    let is_set = use_db_query(move |db| {
        // Read again after each attempt.
        outcome.track();
        let who = owner.get_value();
        (Vec::new(), async move {
            let me = who.unwrap_or_else(|| db.state().worker.clone());
            Ok(db.pin(&me).await?.is_some())
        })
    });
    let db = use_db();
    let set = Callback::new(move |(pin, again): (String, String)| {
        if saving.get_untracked() {
            return;
        }
        let Some(db) = db.get_untracked().db() else {
            return;
        };
        set_saving.set(true);
        leptos::task::spawn_local(async move {
            let me = owner
                .get_value()
                .unwrap_or_else(|| db.state().worker.clone());
            let r = db.set_pin(&me, &pin, &again).await;
            set_saving.set(false);
            set_outcome.set(Some(r));
        });
    });
    UsePinReturn {
        is_set,
        set,
        saving,
        outcome,
    }
}
