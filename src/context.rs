//! Shared state, one typed handle per concern: the UI language and the current worker
//! (both small settings kept in localStorage), and the local database's readiness.

use crate::data;
use crate::hooks::watch;
use doorstep_core::model::WorkerId;
use doorstep_core::Lang;
use gloo_storage::{LocalStorage, Storage};
use leptos::prelude::*;

const LANG_KEY: &str = "doorstep.lang";
const WORKER_KEY: &str = "doorstep.worker";
/// The demo's first worker, until login arrives with sync.
pub const DEFAULT_WORKER: &str = "D001";

#[derive(Clone, Copy)]
struct LangCtx(RwSignal<Lang>);

#[derive(Clone, Copy)]
struct WorkerCtx(RwSignal<WorkerId>);

/// The local database: opening, ready (with a generation that bumps on every write, so
/// readers refetch), or failed with a message.
#[derive(Clone, Debug, PartialEq)]
pub enum DbState {
    Opening,
    Ready(u32),
    Failed(crate::error::AppError),
}

#[derive(Clone, Copy)]
pub struct DbCtx(pub RwSignal<DbState>);

pub fn provide_app_context() {
    let lang = LocalStorage::get::<String>(LANG_KEY).map(|t| Lang::from_tag(&t)).unwrap_or_default();
    let lang = RwSignal::new(lang);
    watch(move || {
        let _ = LocalStorage::set(LANG_KEY, lang.get().tag());
    });
    provide_context(LangCtx(lang));

    let worker = LocalStorage::get::<String>(WORKER_KEY).unwrap_or_else(|_| DEFAULT_WORKER.to_owned());
    let worker = RwSignal::new(WorkerId::new(worker));
    watch(move || {
        let _ = LocalStorage::set(WORKER_KEY, worker.get().as_str());
    });
    provide_context(WorkerCtx(worker));

    let db = RwSignal::new(DbState::Opening);
    provide_context(DbCtx(db));
    leptos::task::spawn_local(async move {
        db.set(match data::open().await {
            Ok(()) => DbState::Ready(0),
            Err(e) => DbState::Failed(e),
        });
    });
}

pub fn use_lang() -> RwSignal<Lang> {
    expect_context::<LangCtx>().0
}

pub fn use_worker() -> RwSignal<WorkerId> {
    expect_context::<WorkerCtx>().0
}

pub fn use_db() -> RwSignal<DbState> {
    expect_context::<DbCtx>().0
}

/// Tells readers that the database changed. Takes the handle (from `use_db`, called while
/// the component is set up) because contexts are not reachable from a spawned task.
pub fn bump_db(db: RwSignal<DbState>) {
    db.update(|s| {
        if let DbState::Ready(n) = s {
            *n = n.wrapping_add(1);
        }
    });
}
