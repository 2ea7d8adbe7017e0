//! Benchmarks that must run in the browser: the store on real IndexedDB, and the rules core
//! compiled to wasm. `tools/bench.mjs` loads this module in Chromium, runs the JavaScript
//! baselines (raw IndexedDB, PouchDB) in the same page, and prints the ratios.
//! Natively this crate is empty.
#![cfg(target_arch = "wasm32")]

use doorstep_core::{dispatch, followup, Rules};
use doorstep_store::idb::IdbBackend;
use doorstep_store::{Edit, Store};
use js_sys::Reflect;
use serde_json::json;
use wasm_bindgen::prelude::*;

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
    let (search_ms, _, _) = time_runs(1, || p.step(u64::from(iterations)));
    let r = p.result(&input, &rules);
    json!({"median": median, "min": min, "runs": runs, "construction_unserved": construction.unserved,
           "assigned": r.plan.assignments.len(), "unassigned": r.plan.unassigned.len(),
           "travel_minutes": r.travel_minutes, "construction_travel_minutes": r.construction_travel_minutes,
           "iterations": iterations, "search_ms": search_ms}).to_string()
}

/// Follow-up planning for `sample_input(customers, 42)`; JSON.
#[wasm_bindgen]
pub fn followups_plan(customers: usize, runs: u32) -> String {
    let input = followup::sample_input(customers, 42);
    let rules = Rules::default();
    let (median, min, warm) = time_runs(runs, || followup::plan_followups(&input, &rules));
    json!({"median": median, "min": min, "runs": runs, "callbacks": warm.total()}).to_string()
}
