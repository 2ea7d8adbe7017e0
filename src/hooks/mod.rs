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
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

type Erased = Arc<dyn Any + Send + Sync>;
type ErasedFuture = Pin<Box<dyn Future<Output = Option<Result<Erased, AppError>>>>>;

/// A reactive load from the local database: `None` while it opens or loads, then the
/// result. Re-runs when the database changes and when `source` changes.
///
/// The resource underneath is type-erased, so the reactive machinery is compiled once for
/// every query instead of once per result type (it is most of a query's wasm size).
pub(crate) fn use_db_query<S, T, Fut>(source: impl Fn() -> S + 'static, load: impl Fn(S) -> Fut + Copy + 'static) -> Signal<Option<Result<T, AppError>>>
where
    S: 'static,
    T: Clone + Send + Sync + 'static,
    Fut: Future<Output = Result<T, AppError>> + 'static,
{
    let db = use_db();
    let res = erased_resource(Box::new(move || {
        let state = db.get();
        let s = source();
        Box::pin(async move {
            match state {
                DbState::Opening => None,
                DbState::Failed(e) => Some(Err(e)),
                DbState::Ready(_) => Some(load(s).await.map(|v| Arc::new(v) as Erased)),
            }
        })
    }));
    Signal::derive(move || res.get().flatten().map(|r| r.and_then(|v| v.downcast_ref::<T>().cloned().ok_or(AppError::Internal("query type")))))
}

fn erased_resource(fetch: Box<dyn Fn() -> ErasedFuture>) -> LocalResource<Option<Result<Erased, AppError>>> {
    LocalResource::new(move || fetch())
}
