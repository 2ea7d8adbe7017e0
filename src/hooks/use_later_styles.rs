//! The second style sheet (a job, its visit, settings: `@later` CSS files): the page links
//! only the first screen's styles, and the boot script adds the rest (`window.
//! doorstepLaterStyles`, idempotent): at once when the app opens on a later screen, after
//! today's list is painted, or when a later screen asks (each lazy screen does, in case it
//! opens before the list has shown). In tests without the boot script, nothing.

use wasm_bindgen::{JsCast, JsValue};

/// Has the boot script add the later screens' style sheet (once; later calls do nothing).
pub fn request_later_styles() {
    let Some(window) = web_sys::window() else {
        return;
    };
    if let Ok(f) = js_sys::Reflect::get(&window, &JsValue::from_str("doorstepLaterStyles"))
        .and_then(|f| f.dyn_into::<js_sys::Function>())
    {
        let _ = f.call0(&JsValue::NULL);
    }
}
