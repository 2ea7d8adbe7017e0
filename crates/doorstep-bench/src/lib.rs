//! Benchmarks that must run in the browser: the store on real IndexedDB, the replicator
//! against a real server (`sync_push`, `sync_pull`), and the rules core compiled to wasm
//! (dispatch, follow-ups, the travel-aware planner, and the Solomon runs of `solomon_run`).
//! `tools/bench.mjs` loads this module in Chromium, runs the JavaScript baselines (raw
//! IndexedDB, PouchDB) in the same page, and prints the ratios.
//! Natively this crate is empty.
#![cfg(target_arch = "wasm32")]

use chrono::{Duration, NaiveDateTime, NaiveTime};
use doorstep_core::model::{doc_id, Assignment, JobId, JobStatus, WorkerId};
use doorstep_core::step::{dispatch_order, Step, StepKind};
use doorstep_core::{demo, dispatch, followup, Rules};
use doorstep_store::idb::IdbBackend;
use doorstep_store::{Edit, Store};
use js_sys::Reflect;
use serde_json::json;
use wasm_bindgen::prelude::*;

mod solomon;

fn now_ms() -> f64 {
    let perf = Reflect::get(&js_sys::global(), &JsValue::from_str("performance")).ok();
    let now = perf
        .as_ref()
        .and_then(|p| Reflect::get(p, &JsValue::from_str("now")).ok())
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    match (perf, now) {
        (Some(p), Some(f)) => f
            .call0(&p)
            .ok()
            .and_then(|v| v.as_f64())
            .unwrap_or_else(js_sys::Date::now),
        _ => js_sys::Date::now(),
    }
}

/// The document every write bench writes (the JavaScript baselines write the same).
pub fn bench_doc(i: u32) -> serde_json::Value {
    json!({"i": i, "customer": "王女士", "items": [{"code": "daily_clean", "quantity": 3}], "note": "重点清洁厨房，家里有猫"})
}

/// Writes `n` new documents in one `bulk_docs` call into a fresh database; milliseconds.
#[wasm_bindgen]
pub async fn store_bulk_write(name: String, n: u32) -> Result<f64, JsValue> {
    let err = |e: doorstep_store::StoreError| JsValue::from_str(&e.to_string());
    IdbBackend::delete(&name).await.map_err(err)?;
    let store = Store::new(IdbBackend::open(&name).await.map_err(err)?);
    let edits: Vec<Edit> = (0..n)
        .map(|i| Edit::put(format!("doc:{i:06}"), bench_doc(i), None))
        .collect();
    let t0 = now_ms();
    let results = store.bulk_docs(&edits).await.map_err(err)?;
    let ms = now_ms() - t0;
    if results.iter().any(Result::is_err) {
        return Err(JsValue::from_str("a bench write was refused"));
    }
    store.backend().close();
    Ok(ms)
}

/// Runs `f` once to warm up, then `runs` timed times: (median ms, min ms, warm-up output).
fn time_runs<T>(runs: u32, mut f: impl FnMut() -> T) -> (f64, f64, T) {
    let warm = f();
    let mut times: Vec<f64> = (0..runs.max(1))
        .map(|_| {
            let t0 = now_ms();
            std::hint::black_box(f());
            now_ms() - t0
        })
        .collect();
    times.sort_by(f64::total_cmp);
    let median = times.get(times.len() / 2).copied().unwrap_or(f64::NAN);
    (median, times.first().copied().unwrap_or(f64::NAN), warm)
}

/// Dispatch of `sample_input(jobs, workers, days, 42)`, `runs` times after a warm-up; JSON.
#[wasm_bindgen]
pub fn dispatch_plan(jobs: usize, workers: usize, days: u32, runs: u32) -> String {
    let input = dispatch::sample_input(jobs, workers, days, 42);
    let rules = Rules::default();
    let (median, min, warm) = time_runs(runs, || dispatch::plan(&input, &rules));
    json!({"median": median, "min": min, "runs": runs, "assigned": warm.assignments.len(), "unassigned": warm.unassigned.len()}).to_string()
}

/// The travel-aware planner's construction alone (`Planner::new`) on
/// `sample_input(jobs, workers, days, 42)`, then `iterations` of improvement timed apart; JSON.
#[wasm_bindgen]
pub fn dispatch_routed(
    jobs: usize,
    workers: usize,
    days: u32,
    runs: u32,
    iterations: u32,
) -> String {
    let input = dispatch::sample_input(jobs, workers, days, 42);
    let rules = Rules::default();
    let params = || dispatch::SearchParams {
        iterations: u64::from(iterations),
        ..dispatch::SearchParams::default()
    };
    let (median, min, warm) = time_runs(runs, || dispatch::Planner::new(&input, &rules, params()));
    let construction = warm.progress().construction;
    let mut p = dispatch::Planner::new(&input, &rules, params());
    // Timed once, without a warm-up: a warm-up would run every iteration of the horizon and
    // leave the timed run nothing to do (it measured 0 ms).
    let t0 = now_ms();
    p.step(u64::from(iterations));
    let search_ms = now_ms() - t0;
    let r = p.result(&input, &rules);
    json!({"median": median, "min": min, "runs": runs, "construction_unserved": construction.unserved,
           "assigned": r.plan.assignments.len(), "unassigned": r.plan.unassigned.len(),
           "travel_minutes": r.travel_minutes, "construction_travel_minutes": r.construction_travel_minutes,
           "iterations": iterations, "search_ms": search_ms}).to_string()
}

/// The travel-aware planner on `sample_input(jobs, workers, days, 42)` under a time budget,
/// spent in slices as a page spends it: the page calls [`RoutedRun::slice`], yields to its
/// event loop, shows the progress, and calls again until [`RoutedRun::done`].
#[wasm_bindgen]
pub struct RoutedRun {
    input: dispatch::DispatchInput,
    rules: Rules,
    planner: dispatch::Planner,
    budget: dispatch::budget::Budget,
    construction_ms: f64,
}

#[wasm_bindgen]
impl RoutedRun {
    /// Builds the plan (construction, timed) and starts a budget of `budget_ms` from now.
    #[wasm_bindgen(constructor)]
    pub fn new(jobs: usize, workers: usize, days: u32, budget_ms: f64) -> RoutedRun {
        let input = dispatch::sample_input(jobs, workers, days, 42);
        let rules = Rules::default();
        let t0 = now_ms();
        let planner = dispatch::Planner::new(
            &input,
            &rules,
            dispatch::SearchParams {
                iterations: u64::MAX,
                ..dispatch::SearchParams::default()
            },
        );
        let t1 = now_ms();
        RoutedRun {
            input,
            rules,
            planner,
            budget: dispatch::budget::Budget::new(t0 + budget_ms),
            construction_ms: t1 - t0,
        }
    }

    /// Improves for up to `ms` (never past the budget); the progress as JSON.
    pub fn slice(&mut self, ms: f64) -> String {
        let until = now_ms() + ms;
        let p = self.planner.run(&mut self.budget, until, &mut now_ms);
        json!({"iterations": p.iterations, "horizon": p.horizon, "best_travel": p.best.travel,
               "best_unserved": p.best.unserved, "construction_travel": p.construction.travel,
               "done": self.budget.done()})
        .to_string()
    }

    pub fn done(&self) -> bool {
        self.budget.done()
    }

    /// The plan as it stands; JSON.
    pub fn result(&self) -> String {
        let r = self.planner.result(&self.input, &self.rules);
        json!({"assigned": r.plan.assignments.len(), "unassigned": r.plan.unassigned.len(),
               "travel_minutes": r.travel_minutes,
               "construction_travel_minutes": r.construction_travel_minutes,
               "iterations": self.planner.progress().iterations,
               "construction_ms": self.construction_ms})
        .to_string()
    }
}

/// Doorstep on one Solomon instance (its file's text: Solomon's format or mamut-routing's
/// JSON) with `vehicles` vehicles (0: the file's number), seeded `seed`, under a budget of
/// `budget_ms` of this page's time, construction included: what `benches/solomon.rs` runs
/// natively, in one call. JSON: name, vehicles, customers, served, distance (Solomon's
/// units), iterations, ms.
#[wasm_bindgen]
pub fn solomon_run(
    name: &str,
    text: &str,
    vehicles: u32,
    budget_ms: f64,
    seed: u32,
) -> Result<String, JsValue> {
    let i = solomon::read(name, text)
        .ok_or_else(|| JsValue::from_str(&format!("{name}: not a Solomon instance")))?;
    let vehicles = if vehicles == 0 { i.vehicles } else { vehicles };
    let t0 = now_ms();
    let mut search = dispatch::ruin::Search::new(
        solomon::to_problem(&i, vehicles),
        dispatch::SearchParams {
            seed: u64::from(seed),
            iterations: u64::MAX,
            ..dispatch::SearchParams::default()
        },
    );
    dispatch::budget::spend(&mut search, budget_ms, &mut || now_ms() - t0);
    let ms = now_ms() - t0;
    let (served, distance) = solomon::measure(&i, &search);
    Ok(
        json!({"name": i.name, "vehicles": vehicles, "customers": i.rows.len().saturating_sub(1),
              "served": served, "distance": distance,
              "iterations": search.progress().iterations, "ms": ms})
        .to_string(),
    )
}

/// Follow-up planning for `sample_input(customers, 42)`; JSON.
#[wasm_bindgen]
pub fn followups_plan(customers: usize, runs: u32) -> String {
    let input = followup::sample_input(customers, 42);
    let rules = Rules::default();
    let (median, min, warm) = time_runs(runs, || followup::plan_followups(&input, &rules));
    json!({"median": median, "min": min, "runs": runs, "callbacks": warm.total()}).to_string()
}

/// Local wall-clock time in the store's time zone, computed as the app does (`src/data.rs`),
/// so that "today" here is the app's today.
fn local_now(rules: &Rules) -> NaiveDateTime {
    let local_ms = js_sys::Date::now() as i64 + i64::from(rules.utc_offset_minutes) * 60_000;
    chrono::DateTime::from_timestamp_millis(local_ms)
        .map(|d| d.naive_utc())
        .unwrap_or_default()
}

/// Jobs a worker has on one day in the filled device.
const JOBS_PER_DAY: u32 = 12;
/// Days ahead of today (today included) that hold jobs; the rest lie in the past.
const FUTURE_DAYS: u32 = 14;

/// Fills the app's device database ("doorstep") with `n` documents as the app stores them,
/// for worker D001: one fifth `step:<job>:<id>` day-before calls on past jobs, the rest
/// `order:<job>` dispatch orders (the core's privacy projection of demo jobs moved onto
/// spread-out dates, `JOBS_PER_DAY` a day, so today holds a realistic dozen), and the
/// `_local` device document naming D001 and today. The database is deleted first, and
/// written in one transaction. Returns JSON with the counts and milliseconds.
#[wasm_bindgen]
pub async fn fill_device(n: u32) -> Result<String, JsValue> {
    let err = |e: doorstep_store::StoreError| JsValue::from_str(&e.to_string());
    let rules = Rules::default();
    let now = local_now(&rules);
    let today = now.date();
    let me = WorkerId::new("D001");
    let partner = WorkerId::new("D002");
    let data = demo::dataset(today);
    let orders = n - n / 5;
    let days = orders.div_ceil(JOBS_PER_DAY);
    let past_days = days - days.min(FUTURE_DAYS);
    let (mut edits, mut steps, mut today_orders) = (Vec::new(), 0u32, 0u32);
    for i in 0..orders {
        let template = &data.jobs[i as usize % data.jobs.len()];
        let Some(customer) = data.customers.iter().find(|c| c.id == template.customer) else {
            continue;
        };
        let date = today + Duration::days(i64::from(i / JOBS_PER_DAY) - i64::from(past_days));
        let start = date.and_time(NaiveTime::MIN)
            + Duration::minutes(8 * 60 + 45 * i64::from(i % JOBS_PER_DAY));
        let mut job = template.clone();
        job.id = JobId::new(format!("J-B{i:05}"));
        job.window.start = start;
        job.window.end = start + Duration::minutes(i64::from(job.duration_minutes) + 60);
        let past = date < today;
        job.status = if past {
            JobStatus::Completed
        } else {
            JobStatus::Assigned
        };
        let crew = if job.crew_size > 1 {
            vec![me.clone(), partner.clone()]
        } else {
            vec![me.clone()]
        };
        let end = start + Duration::minutes(i64::from(job.duration_minutes));
        let assignment = Assignment {
            job: job.id.clone(),
            workers: crew,
            leader: me.clone(),
            start,
            end,
        };
        let Some(order) =
            dispatch_order(&job, customer, &assignment, &data.workers, &me, now, &rules)
        else {
            continue;
        };
        let body = serde_json::to_value(&order).map_err(|e| JsValue::from_str(&e.to_string()))?;
        edits.push(Edit::put(doc_id::order(job.id.as_str()), body, None));
        today_orders += u32::from(date == today);
        if past && steps < n / 5 {
            let at = start - Duration::hours(15);
            let step = Step {
                job: job.id.clone(),
                by: me.clone(),
                at,
                step: StepKind::DayBeforeCall {
                    note: "已电话确认时间和地址".into(),
                },
                corrects: None,
            };
            let body =
                serde_json::to_value(&step).map_err(|e| JsValue::from_str(&e.to_string()))?;
            edits.push(Edit::put(
                doc_id::step(
                    job.id.as_str(),
                    &format!("{:012x}-{i:016x}", at.and_utc().timestamp_millis()),
                ),
                body,
                None,
            ));
            steps += 1;
        }
    }
    IdbBackend::delete("doorstep").await.map_err(err)?;
    let store = Store::new(IdbBackend::open("doorstep").await.map_err(err)?);
    let t0 = now_ms();
    let results = store.bulk_docs(&edits).await.map_err(err)?;
    if results.iter().any(Result::is_err) {
        return Err(JsValue::from_str("a fill write was refused"));
    }
    store
        .put_local(
            "device",
            &json!({"worker": me.as_str(), "demo_date": today.to_string()}),
        )
        .await
        .map_err(err)?;
    let ms = now_ms() - t0;
    store.backend().close();
    Ok(json!({"documents": edits.len(), "orders": edits.len() as u32 - steps, "steps": steps, "today": today.to_string(), "today_orders": today_orders, "ms": ms}).to_string())
}

/// Sync through the app's replicator (`doorstep_sync::driver::replicate`, the browser's
/// `fetch` transport, the store on IndexedDB) against a real server; `tools/bench.mjs`
/// replicates the same documents with PouchDB in the same page and server beside it.
mod sync {
    use super::{bench_doc, now_ms};
    use doorstep_store::idb::IdbBackend;
    use doorstep_store::{Backend, Body, DocError, DocRecord, Edit, Index, Rev, Store, StoreError};
    use doorstep_sync::web::{FetchTransport, JsTimer};
    use doorstep_sync::{
        replicate, Config, Direction, HttpRequest, HttpResponse, Report, Transport, TransportError,
    };
    use serde_json::json;
    use std::cell::RefCell;
    use std::collections::BTreeMap;
    use wasm_bindgen::prelude::*;

    fn err(e: impl std::fmt::Display) -> JsValue {
        JsValue::from_str(&e.to_string())
    }

    /// The fetch transport, timing each kind of request (its path's `_` segment: `_changes`,
    /// `_revs_diff`, `_bulk_docs`, `_bulk_get`, `_local` for checkpoints; `db` for the rest).
    struct Timed {
        inner: FetchTransport,
        phases: Phases,
    }

    fn kind(req: &HttpRequest) -> String {
        req.path
            .split('/')
            .skip(2)
            .find(|s| s.starts_with('_'))
            .unwrap_or("db")
            .to_owned()
    }

    impl Transport for Timed {
        async fn send(&self, req: HttpRequest) -> Result<HttpResponse, TransportError> {
            let k = kind(&req);
            let t0 = now_ms();
            let r = self.inner.send(req).await;
            note(&self.phases, &k, t0);
            r
        }
    }

    type Phases = RefCell<BTreeMap<String, (u32, f64)>>;

    fn note(phases: &Phases, kind: &str, t0: f64) {
        let mut phases = phases.borrow_mut();
        let e = phases.entry(kind.to_owned()).or_default();
        e.0 += 1;
        e.1 += now_ms() - t0;
    }

    /// IndexedDB, timing each kind of store operation the replicator asks for.
    struct TimedIdb {
        inner: IdbBackend,
        phases: Phases,
    }

    /// Times `$call` on the inner backend under `$kind`.
    macro_rules! timed {
        ($self:ident, $kind:literal, $call:expr) => {{
            let t0 = now_ms();
            let r = $call.await;
            note(&$self.phases, $kind, t0);
            r
        }};
    }

    impl Backend for TimedIdb {
        async fn write(
            &self,
            edits: &[Edit],
            index: Option<&Index>,
        ) -> Result<Vec<Result<Rev, DocError>>, StoreError> {
            timed!(self, "write", self.inner.write(edits, index))
        }
        async fn read(&self, id: &str) -> Result<Option<DocRecord>, StoreError> {
            timed!(self, "read", self.inner.read(id))
        }
        async fn read_many(&self, ids: &[&str]) -> Result<Vec<Option<DocRecord>>, StoreError> {
            timed!(self, "read_many", self.inner.read_many(ids))
        }
        async fn read_prefixes(
            &self,
            prefixes: &[&str],
        ) -> Result<Vec<Vec<Result<DocRecord, StoreError>>>, StoreError> {
            timed!(self, "read_prefixes", self.inner.read_prefixes(prefixes))
        }
        async fn read_index(
            &self,
            lo: &str,
            hi: &str,
        ) -> Result<Vec<Result<DocRecord, StoreError>>, StoreError> {
            timed!(self, "read_index", self.inner.read_index(lo, hi))
        }
        async fn read_index_bodies(
            &self,
            lo: &str,
            hi: &str,
        ) -> Result<Vec<Result<Body, StoreError>>, StoreError> {
            timed!(self, "read_index", self.inner.read_index_bodies(lo, hi))
        }
        async fn read_prefixes_bodies(
            &self,
            prefixes: &[&str],
        ) -> Result<Vec<Vec<Result<Body, StoreError>>>, StoreError> {
            timed!(
                self,
                "read_prefixes",
                self.inner.read_prefixes_bodies(prefixes)
            )
        }
        async fn index_current(&self, index: &Index) -> Result<bool, StoreError> {
            self.inner.index_current(index).await
        }
        async fn reindex(&self, index: &Index) -> Result<bool, StoreError> {
            self.inner.reindex(index).await
        }
        async fn changes(&self, since: u64, limit: usize) -> Result<Vec<DocRecord>, StoreError> {
            timed!(self, "changes", self.inner.changes(since, limit))
        }
        async fn update_seq(&self) -> Result<u64, StoreError> {
            self.inner.update_seq().await
        }
        async fn doc_count(&self) -> Result<u64, StoreError> {
            self.inner.doc_count().await
        }
        async fn purge(
            &self,
            id: &str,
            revs: &[Rev],
            index: Option<&Index>,
        ) -> Result<Vec<Rev>, StoreError> {
            self.inner.purge(id, revs, index).await
        }
        async fn read_attachment(&self, digest: &str) -> Result<Option<Vec<u8>>, StoreError> {
            timed!(self, "attachments", self.inner.read_attachment(digest))
        }
        async fn has_attachments(&self, digests: &[String]) -> Result<Vec<bool>, StoreError> {
            timed!(self, "attachments", self.inner.has_attachments(digests))
        }
        async fn get_local(&self, id: &str) -> Result<Option<serde_json::Value>, StoreError> {
            timed!(self, "local", self.inner.get_local(id))
        }
        async fn put_local(&self, id: &str, value: &serde_json::Value) -> Result<(), StoreError> {
            timed!(self, "local", self.inner.put_local(id, value))
        }
        async fn remove_local(&self, id: &str) -> Result<(), StoreError> {
            timed!(self, "local", self.inner.remove_local(id))
        }
    }

    fn phases_json(phases: BTreeMap<String, (u32, f64)>) -> serde_json::Value {
        phases
            .into_iter()
            .map(|(k, (n, ms))| (k, json!({"calls": n, "ms": ms})))
            .collect::<serde_json::Map<_, _>>()
            .into()
    }

    /// One replication of `local` with `db` at `base`, timed; JSON with the figures: the
    /// whole run, the time waiting for each kind of request (`http`), inside each kind of
    /// store operation (`store`), and the rest (the protocol, JSON, wasm-bindgen).
    async fn run(
        store: &Store<TimedIdb>,
        base: &str,
        db: &str,
        local: &str,
        direction: Direction,
    ) -> Result<String, JsValue> {
        let transport = Timed {
            inner: FetchTransport::new(base),
            phases: RefCell::new(BTreeMap::new()),
        };
        store.backend().phases.borrow_mut().clear();
        let session = format!("bench-{}", js_sys::Date::now() as u64);
        let cfg = Config::new(db, local, base, direction, session);
        let t0 = now_ms();
        let report: Report = replicate(store, &transport, &JsTimer, cfg)
            .await
            .map_err(err)?;
        let ms = now_ms() - t0;
        let total = |p: &BTreeMap<String, (u32, f64)>| p.values().map(|(_, ms)| ms).sum::<f64>();
        let http = transport.phases.into_inner();
        let stored = store.backend().phases.take();
        let (http_ms, store_ms) = (total(&http), total(&stored));
        Ok(json!({
            "ms": ms,
            "docs": report.revs_written,
            "batches": report.batches,
            "requests": report.requests,
            "retries": report.retries,
            "http_ms": http_ms,
            "store_ms": store_ms,
            "rest_ms": ms - http_ms - store_ms,
            "http": phases_json(http),
            "store": phases_json(stored),
        })
        .to_string())
    }

    async fn fresh(local: &str) -> Result<Store<TimedIdb>, StoreError> {
        IdbBackend::delete(local).await?;
        Ok(Store::new(TimedIdb {
            inner: IdbBackend::open(local).await?,
            phases: RefCell::new(BTreeMap::new()),
        }))
    }

    /// Fills a fresh store `local` with `n` bench documents (not timed), then pushes them to
    /// the remote database `db` at `base` (it must exist; empty for an honest figure).
    #[wasm_bindgen]
    pub async fn sync_push(
        base: String,
        db: String,
        local: String,
        n: u32,
    ) -> Result<String, JsValue> {
        let store = fresh(&local).await.map_err(err)?;
        let edits: Vec<Edit> = (0..n)
            .map(|i| Edit::put(format!("doc:{i:06}"), bench_doc(i), None))
            .collect();
        if store
            .bulk_docs(&edits)
            .await
            .map_err(err)?
            .iter()
            .any(Result::is_err)
        {
            return Err(err("a bench write was refused"));
        }
        let out = run(&store, &base, &db, &local, Direction::Push).await;
        store.backend().inner.close();
        out
    }

    /// Pulls the remote database `db` at `base` into a fresh store `local`.
    #[wasm_bindgen]
    pub async fn sync_pull(base: String, db: String, local: String) -> Result<String, JsValue> {
        let store = fresh(&local).await.map_err(err)?;
        let out = run(&store, &base, &db, &local, Direction::Pull).await;
        let count = store.info().await.map_err(err)?.doc_count;
        store.backend().inner.close();
        let mut v: serde_json::Value = serde_json::from_str(&out?).map_err(err)?;
        v["stored"] = json!(count);
        Ok(v.to_string())
    }
}
