//! Whose data this device holds, and the two ways to replace it while it holds demo data
//! (login is the sync section's): another worker, or a fresh start. Both ask first in the page and
//! recover a database that cannot be opened.

use crate::context::{use_db, DbState};
use crate::data;
use crate::error::AppError;
use doorstep_core::demo;
use doorstep_core::model::WorkerId;
use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct UseDeviceReturn {
    /// The worker whose data the device holds (`None` while it opens or when it failed).
    pub worker: Signal<Option<WorkerId>>,
    /// Where its data comes from (demo, logged in, logged out).
    pub account: Signal<Option<data::Account>>,
    /// The demo's workers: badge and name (no phone numbers).
    pub workers: StoredValue<Vec<(WorkerId, String)>>,
    /// Replaces everything on the device with `worker`'s demo data for today.
    pub replace: Callback<WorkerId>,
    pub busy: ReadSignal<bool>,
    /// The outcome of the last replace: `Ok(worker)` or the error.
    pub outcome: ReadSignal<Option<Result<WorkerId, AppError>>>,
}

pub fn use_device() -> UseDeviceReturn {
    let db = use_db();
    let worker = Signal::derive(move || db.with(DbState::worker));
    let account = Signal::derive(move || db.with(|d| d.db().map(|d| d.state().account.clone())));
    let workers = demo::dataset(data::today())
        .workers
        .into_iter()
        .map(|w| (w.badge, w.name))
        .collect();
    let (busy, set_busy) = signal(false);
    let (outcome, set_outcome) = signal(None);
    let replace = Callback::new(move |who: WorkerId| {
        if busy.get_untracked() {
            return;
        }
        set_busy.set(true);
        let old = db.get_untracked().db();
        db.set(DbState::Opening);
        leptos::task::spawn_local(async move {
            let r = data::reset(old, &who).await;
            set_busy.set(false);
            match r {
                Ok(d) => {
                    db.set(DbState::Open(d));
                    set_outcome.set(Some(Ok(who)));
                }
                Err(e) => {
                    db.set(DbState::Failed(e.clone()));
                    set_outcome.set(Some(Err(e)));
                }
            }
        });
    });
    UseDeviceReturn {
        worker,
        account,
        workers: StoredValue::new(workers),
        replace,
        busy,
        outcome,
    }
}
