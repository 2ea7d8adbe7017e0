//! A new build waiting in the service worker. `public/boot.js` registers the worker (opened on
//! a later screen: once that screen says it is up, [`screen_shown`]), sets
//! `window.doorstepUpdateWaiting` and fires `doorstep-update` when a new build has installed;
//! `apply` asks it to take over, and the page reloads once it has. Nothing reloads unless
//! the worker taps, so a step in progress is never interrupted.

use leptos::prelude::*;
use wasm_bindgen::JsValue;

#[derive(Clone, Copy)]
pub struct UseSwUpdateReturn {
    pub waiting: ReadSignal<bool>,
    pub apply: Callback<()>,
}

fn global(name: &str) -> JsValue {
    js_sys::Reflect::get(&window(), &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

pub fn use_sw_update() -> UseSwUpdateReturn {
    let (waiting, set_waiting) = signal(global("doorstepUpdateWaiting").is_truthy());
    let handle = window_event_listener_untyped("doorstep-update", move |_| set_waiting.set(true));
    on_cleanup(move || handle.remove());
    let apply = Callback::new(|()| super::call_boot("doorstepApplyUpdate"));
    UseSwUpdateReturn { waiting, apply }
}

/// Tells the boot script that a later screen is up: when the app opened on it, the boot script
/// registers the service worker a moment later, so that the worker's install (the whole build
/// downloaded again) does not compete with what that screen waits for. Called by every later
/// screen once its module has loaded, and by not-found; later calls do nothing. In tests
/// without the boot script, nothing.
pub fn screen_shown() {
    super::call_boot("doorstepScreenShown");
}
