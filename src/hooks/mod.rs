//! Hooks: the only way pages reach data or browser APIs. Each returns signals
//! (`UseXReturn`), leptos-use style; errors come back as values in those signals.

mod use_job;
mod use_my_jobs;
mod use_online;
mod use_persisted;
mod use_workers;

pub use use_job::{use_job, UseJobReturn};
pub use use_my_jobs::use_my_jobs;
pub use use_online::use_online;
pub use use_persisted::use_persisted;
pub use use_workers::use_workers;

use crate::context::{use_db, DbState};
use crate::error::AppError;
use leptos::prelude::*;
use std::any::Any;
use std::cell::Cell;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::Arc;

type Erased = Arc<dyn Any + Send + Sync>;
type Loaded = Option<Result<Erased, AppError>>;
type ErasedFuture = Pin<Box<dyn Future<Output = Loaded>>>;

/// A value loaded asynchronously: `None` while loading, then the result (kept while a
/// newer one loads). Reactive.
///
/// Every query is one type-erased signal underneath, filled by an effect that reruns when
/// what the loader read changes: the reactive code is compiled once for all queries, and
/// without leptos' async resources (most of a query's wasm size); `get` restores the type.
pub struct Query<T> {
    state: RwSignal<Loaded>,
    _t: PhantomData<fn() -> T>,
}

impl<T> Clone for Query<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Query<T> {}

impl<T: Clone + 'static> Query<T> {
    pub fn get(&self) -> Option<Result<T, AppError>> {
        loaded(self.state).map(|r| r.and_then(|v| v.downcast_ref::<T>().cloned().ok_or(AppError::Internal("query type"))))
    }
}

// The untyped halves are kept out of line: inlined into each `Query<T>` they would be
// compiled once per result type after all.
#[inline(never)]
fn loaded(state: RwSignal<Loaded>) -> Loaded {
    state.get()
}

fn erased_query<T>(fetch: Box<dyn Fn() -> ErasedFuture>) -> Query<T> {
    Query { state: erased_resource(fetch), _t: PhantomData }
}

/// Runs `f` now and again whenever a signal it read changes: `Effect::new` behind one boxed
/// closure type, so the effect machinery is compiled once for all of the app's effects
/// instead of once per closure.
pub fn watch(f: impl Fn() + 'static) {
    watch_boxed(Box::new(f));
}

#[inline(never)]
fn watch_boxed(f: Box<dyn Fn()>) {
    Effect::new(move |_| f());
}

/// Runs `fetch` now and whenever a signal it read changes; the latest run's result wins.
#[inline(never)]
fn erased_resource(fetch: Box<dyn Fn() -> ErasedFuture>) -> RwSignal<Loaded> {
    let state = RwSignal::new(None);
    let latest = Rc::new(Cell::new(0u32));
    watch(move || {
        let load = fetch();
        let run = latest.get().wrapping_add(1);
        latest.set(run);
        let latest = latest.clone();
        leptos::task::spawn_local(async move {
            let v = load.await;
            if latest.get() == run {
                state.set(v);
            }
        });
    });
    state
}

/// Loads `load()` once (no database involved).
pub(crate) fn use_query<T, Fut>(load: impl Fn() -> Fut + 'static) -> Query<T>
where
    T: Send + Sync + 'static,
    Fut: Future<Output = Result<T, AppError>> + 'static,
{
    erased_query(Box::new(move || {
        let fut = load();
        Box::pin(async move { Some(fut.await.map(|v| Arc::new(v) as Erased)) })
    }))
}

/// A reactive load from the local database: `None` while it opens or loads, then the
/// result. Re-runs when the database changes and when `source` changes.
pub(crate) fn use_db_query<S, T, Fut>(source: impl Fn() -> S + 'static, load: impl Fn(S) -> Fut + Copy + 'static) -> Query<T>
where
    S: 'static,
    T: Send + Sync + 'static,
    Fut: Future<Output = Result<T, AppError>> + 'static,
{
    let db = use_db();
    erased_query(Box::new(move || {
        let state = db.get();
        let s = source();
        Box::pin(async move {
            match state {
                DbState::Opening => None,
                DbState::Failed(e) => Some(Err(e)),
                DbState::Ready(_) => Some(load(s).await.map(|v| Arc::new(v) as Erased)),
            }
        })
    }))
}
