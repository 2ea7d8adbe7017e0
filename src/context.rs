//! Shared state, one typed handle per concern: the UI language (a small setting kept in
//! localStorage) and the device database (opening, open, or failed).

use crate::data::Db;
use crate::error::AppError;
use doorstep_core::model::WorkerId;
use doorstep_core::Lang;
use gloo_storage::Storage;
use leptos::prelude::*;
use std::rc::Rc;

const LANG_KEY: &str = "doorstep.lang";
/// The demo's first worker (a device that never logged in holds their demo data).
pub const DEFAULT_WORKER: &str = "D001";

#[derive(Clone, Copy)]
struct LangCtx(RwSignal<Lang>);

/// The device database as the app sees it.
#[derive(Clone)]
pub enum DbState {
    Opening,
    Open(Rc<Db>),
    Failed(AppError),
}

impl DbState {
    pub fn db(&self) -> Option<Rc<Db>> {
        match self {
            DbState::Open(db) => Some(db.clone()),
            _ => None,
        }
    }

    /// Whose data the device holds.
    pub fn worker(&self) -> Option<WorkerId> {
        self.db().map(|db| db.state().worker.clone())
    }
}

#[derive(Clone, Copy)]
struct DbCtx(RwSignal<DbState, LocalStorage>);

pub fn provide_app_context() {
    let lang = gloo_storage::LocalStorage::get::<String>(LANG_KEY)
        .map(|t| Lang::from_tag(&t))
        .unwrap_or_default();
    let lang = RwSignal::new(lang);
    Effect::new(move |_| {
        let _ = gloo_storage::LocalStorage::set(LANG_KEY, lang.get().tag());
    });
    provide_context(LangCtx(lang));

    let db = RwSignal::new_local(DbState::Opening);
    provide_context(DbCtx(db));
    // The office's browser keeps its own database (`hooks::use_office`): a worker's device
    // database is neither opened nor seeded there.
    let office = web_sys::window()
        .and_then(|w| w.location().pathname().ok())
        .is_some_and(|p| p.starts_with(&crate::pages::Page::Office.path()));
    if office {
        return;
    }
    leptos::task::spawn_local(async move {
        let state = match Db::open(&WorkerId::new(DEFAULT_WORKER)).await {
            Ok(d) => {
                // A logged-in device syncs from the start; others never load the replicator.
                if matches!(d.state().account, crate::data::Account::SignedIn { .. }) {
                    crate::sync::begin(db);
                }
                DbState::Open(d)
            }
            Err(e) => DbState::Failed(e),
        };
        db.set(state);
    });
}

pub fn use_lang() -> RwSignal<Lang> {
    expect_context::<LangCtx>().0
}

pub fn use_db() -> RwSignal<DbState, LocalStorage> {
    expect_context::<DbCtx>().0
}
