//! Reopening the app lands on the step the worker was on: a visit's stage screen notes its
//! path (localStorage, with the time), and the next page load opened at the start page
//! begins at that path instead, if it was noted in the last `RESUME_HOURS` hours. The
//! address is replaced before the router reads it, so the list never flashes and the back
//! button leaves the app as it would from the start page.

use gloo_storage::{LocalStorage, Storage};
use serde::{Deserialize, Serialize};
use std::cell::Cell;
use wasm_bindgen::JsCast;

const KEY: &str = "doorstep.resume";
const RESUME_HOURS: f64 = 12.0;

#[derive(Serialize, Deserialize)]
struct Resume {
    path: String,
    /// `Date.now()` when noted.
    at: f64,
}

thread_local! {
    static OFFERED: Cell<bool> = const { Cell::new(false) };
    /// The path this page load was resumed at, until its screen has looked at it.
    static RESUMED: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Whether this page load was resumed at `path` (answered once: later visits of the same
/// screen are the worker's own). The stage screen uses it to go on when the stage's closing
/// step was saved just before the app was closed, before the screen could move on.
pub fn take_resumed(path: &str) -> bool {
    RESUMED.with(|r| {
        let mut r = r.borrow_mut();
        if r.as_deref() == Some(path) {
            *r = None;
            true
        } else {
            false
        }
    })
}

/// Notes `path` as the step to come back to.
pub fn remember_step(path: String) {
    let _ = LocalStorage::set(
        KEY,
        Resume {
            path,
            at: js_sys::Date::now(),
        },
    );
}

/// Forgets the step (the visit left the phone's stages, e.g. handed to the customer).
pub fn forget_step() {
    LocalStorage::delete(KEY);
}

/// Before the router starts: opened at the start page with a step noted, the address
/// becomes that step's (`history.replaceState`).
pub fn resume_before_routing() {
    let Some(path) = step_to_resume() else {
        return;
    };
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        if history
            .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&path))
            .is_ok()
        {
            RESUMED.with(|r| *r.borrow_mut() = Some(path));
        }
    }
}

/// The step to go back to: once per page load, and only when the app was opened at its
/// start page (a deep link or a reload of another screen keeps its own).
fn step_to_resume() -> Option<String> {
    if OFFERED.with(|o| o.replace(true)) {
        return None;
    }
    let opened_at = web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.get_entries_by_type("navigation"))
        .and_then(|e| e.get(0).dyn_into::<web_sys::PerformanceEntry>().ok())
        .map(|e| e.name());
    let start = opened_at
        .as_deref()
        .and_then(|u| web_sys::Url::new(u).ok())
        .is_none_or(|u| u.pathname() == "/");
    // Customer mode (`boot.js` moved the address to the customer's screen) keeps it.
    let here = web_sys::window().and_then(|w| w.location().pathname().ok());
    if !start || here.is_some_and(|p| p != "/") {
        return None;
    }
    let r: Resume = LocalStorage::get(KEY).ok()?;
    let age_hours = (js_sys::Date::now() - r.at) / 3_600_000.0;
    (r.path.starts_with("/job/") && (0.0..RESUME_HOURS).contains(&age_hours)).then_some(r.path)
}
