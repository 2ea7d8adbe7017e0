//! The app's data access: opens the local store (IndexedDB), loads the demo data on first
//! run, and reads and writes the worker's documents. Pages never call this directly; hooks do.
//!
//! Document ids: `job:<job id>` (a `JobDoc`), `customer:<id>`, `worker:<badge>`.

use crate::error::AppError;
use chrono::{NaiveDate, NaiveDateTime};
use doorstep_core::demo;
use doorstep_core::json::FromJson;
use doorstep_core::model::{doc_id, Confirmation, Customer, JobDoc, JobStatus, Worker, WorkerId};
use doorstep_core::Rules;
use doorstep_store::idb::IdbBackend;
use doorstep_store::{Doc, DocError, Edit, Rev, Store, StoreError};
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::rc::Rc;

pub const DB_NAME: &str = "doorstep";
const SEED_MARKER: &str = "seed";

thread_local! {
    static STORE: RefCell<Option<Rc<Store<IdbBackend>>>> = const { RefCell::new(None) };
}

#[derive(Clone, Debug, Serialize, Deserialize)]
struct SeedMarker {
    #[serde(with = "doorstep_core::iso::date")]
    date: NaiveDate,
}

/// A document's body decoded by the model's `FromJson` (the same result and errors as the
/// store's serde `get_as`/`all_as`, with far less code in the wasm).
fn decode<T: FromJson>(doc: Doc) -> Result<(Rev, T), AppError> {
    match T::from_json(doc.body) {
        Ok(v) => Ok((doc.rev, v)),
        Err(e) => Err(AppError::Store(StoreError::Corrupt { id: doc.id, reason: e.to_string() })),
    }
}

async fn get_as<T: FromJson>(store: &Store<IdbBackend>, id: &str) -> Result<Option<(Rev, T)>, AppError> {
    store.get(id).await?.map(decode).transpose()
}

async fn all_as<T: FromJson>(store: &Store<IdbBackend>, prefix: &str) -> Result<Vec<T>, AppError> {
    store.all_docs(prefix).await?.into_iter().map(|d| decode(d).map(|(_, v)| v)).collect()
}

fn store() -> Result<Rc<Store<IdbBackend>>, AppError> {
    STORE.with(|s| s.borrow().clone()).ok_or(AppError::Store(doorstep_store::StoreError::Closed))
}

pub fn rules() -> Rules {
    Rules::default()
}

/// Local wall-clock time in the store's time zone.
pub fn now() -> NaiveDateTime {
    let utc_ms = js_sys::Date::now();
    let local_ms = utc_ms as i64 + i64::from(rules().utc_offset_minutes) * 60_000;
    chrono::DateTime::from_timestamp_millis(local_ms).map(|d| d.naive_utc()).unwrap_or_default()
}

pub fn today() -> NaiveDate {
    now().date()
}

/// Opens the database and loads the demo data the first time.
pub async fn open() -> Result<(), AppError> {
    let store = Store::new(IdbBackend::open(DB_NAME).await?);
    if store.get_local::<SeedMarker>(SEED_MARKER).await?.is_none() {
        seed(&store, today()).await?;
        request_persistence();
    }
    STORE.with(|s| *s.borrow_mut() = Some(Rc::new(store)));
    Ok(())
}

/// Writes the demo data set for `date` in one transaction. Documents already there (a seed
/// interrupted before its marker was written) are kept as they are.
async fn seed(store: &Store<IdbBackend>, date: NaiveDate) -> Result<(), AppError> {
    let edits: Vec<Edit> = demo::dataset(date).documents().into_iter().map(|(id, body)| Edit::put(id, body, None)).collect();
    for r in store.bulk_docs(&edits).await? {
        match r {
            Ok(_) | Err(DocError::Conflict { .. }) => {}
            Err(e) => return Err(AppError::Store(e.into())),
        }
    }
    store.put_local(SEED_MARKER, &SeedMarker { date }).await?;
    Ok(())
}

/// Asks the browser to keep our data under storage pressure (Chromium may evict otherwise).
fn request_persistence() {
    let storage = web_sys::window().map(|w| w.navigator().storage());
    if let Some(storage) = storage {
        let _ = storage.persist();
    }
}

/// Whether the browser promised to keep the data (`navigator.storage.persisted()`).
pub async fn persisted() -> Option<bool> {
    let promise = web_sys::window()?.navigator().storage().persisted().ok()?;
    wasm_bindgen_futures::JsFuture::from(promise).await.ok()?.as_bool()
}

/// Every job of `worker` on the given dates, with its customer, by start time.
pub async fn jobs_of(worker: &WorkerId, dates: &[NaiveDate]) -> Result<Vec<(JobDoc, Option<Customer>)>, AppError> {
    let store = store()?;
    let mut jobs: Vec<JobDoc> = all_as::<JobDoc>(&store, doc_id::JOB_PREFIX)
        .await?
        .into_iter()
        .filter(|j| dates.contains(&j.job.window.start.date()))
        .filter(|j| j.assignment.as_ref().is_some_and(|a| a.workers.contains(worker)))
        .collect();
    jobs.sort_by(|a, b| a.job.window.start.cmp(&b.job.window.start).then_with(|| a.job.id.cmp(&b.job.id)));
    let mut out = Vec::with_capacity(jobs.len());
    for j in jobs {
        let c = customer(&j.job.customer.0).await?;
        out.push((j, c));
    }
    Ok(out)
}

pub async fn job(id: &str) -> Result<(JobDoc, Option<Customer>), AppError> {
    let store = store()?;
    let (_, doc) = get_as::<JobDoc>(&store, &doc_id::job(id)).await?.ok_or_else(|| AppError::JobNotFound(id.to_owned()))?;
    let c = customer(&doc.job.customer.0).await?;
    Ok((doc, c))
}

async fn customer(id: &str) -> Result<Option<Customer>, AppError> {
    Ok(get_as::<Customer>(&*store()?, &doc_id::customer(id)).await?.map(|(_, c)| c))
}

pub async fn workers() -> Result<Vec<Worker>, AppError> {
    all_as::<Worker>(&*store()?, doc_id::WORKER_PREFIX).await
}

/// Records the day-before call: the job is confirmed, by whom and when, with a note.
pub async fn confirm_job(id: &str, by: &WorkerId, note: &str) -> Result<(), AppError> {
    let store = store()?;
    let key = doc_id::job(id);
    let (rev, mut doc) = get_as::<JobDoc>(&store, &key).await?.ok_or_else(|| AppError::JobNotFound(id.to_owned()))?;
    if doc.job.status == JobStatus::Assigned {
        doc.job.status = JobStatus::Confirmed;
    }
    doc.confirmation = Some(Confirmation { at: now(), by: by.clone(), note: note.to_owned() });
    store.put(&key, &doc, Some(&rev)).await?;
    Ok(())
}

/// Forgets everything on this device and loads fresh demo data for today.
pub async fn reset_demo() -> Result<(), AppError> {
    if let Some(s) = STORE.with(|s| s.borrow_mut().take()) {
        s.backend().close();
    }
    IdbBackend::delete(DB_NAME).await?;
    open().await
}
