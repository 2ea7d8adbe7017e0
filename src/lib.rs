//! Doorstep, the Leptos app (client-side rendered). `App` holds the providers and the one
//! route table; pages are one file each under `pages/` (the job's nested screens in a
//! folder) and get their data from `hooks/`.

pub mod components;
pub mod context;
pub mod data;
pub mod error;
pub mod hooks;
pub mod i18n;
pub mod pages;
pub mod sync;

use context::{provide_app_context, use_lang};
use leptos::prelude::*;
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::{path, Lazy};
use wasm_bindgen::prelude::wasm_bindgen;

#[component]
pub fn App() -> impl IntoView {
    // Reopened mid-visit: start at the step the worker was on.
    hooks::resume_before_routing();
    provide_app_context();
    let lang = use_lang();
    // Keep <html lang> in step with the chosen language (screen readers, CJK line breaking).
    Effect::new(move |_| {
        if let Some(el) = document().document_element() {
            let _ = el.set_attribute("lang", lang.get().tag());
        }
    });
    view! {
        <Router>
            <components::UpdateBanner />
            <components::OfflineBanner />
            <main class="ds-main">
                // The page one task after the app's frame: two shorter tasks instead of one
                // long one, so a tap is not kept waiting behind the whole start.
                <components::Later>
                <Routes fallback=pages::NotFound>
                    <Route path=path!("/") view=pages::Today />
                    // The first screen is eager; the job's screens and settings are lazy chunks.
                    <ParentRoute path=path!("/job/:id") view={Lazy::<pages::JobRoute>::new()}>
                        <Route path=path!("") view={Lazy::<pages::JobOverviewRoute>::new()} />
                        <Route path=path!("log") view={Lazy::<pages::JobLogRoute>::new()} />
                        // The visit: its stages (`depart`, `arrive`, `service`, `after`), the
                        // kit and charge screens, acceptance (`sign`, `customer`: loaded by it
                        // as a chunk of their own), one lazy chunk (each lazy route adds glue to
                        // the first screen's module).
                        <Route path=path!(":stage") view={Lazy::<pages::JobStageRoute>::new()} />
                    </ParentRoute>
                    <Route path=path!("/settings") view={Lazy::<pages::SettingsRoute>::new()} />
                    // The office's surface: a module of its own.
                    <Route path=path!("/office") view={Lazy::<pages::OfficeRoute>::new()} />
                </Routes>
                </components::Later>
            </main>
            // Fixed at the bottom: in a task of its own, after the page's.
            <components::Later>
                <components::BottomNav />
            </components::Later>
        </Router>
    }
}

/// A deliberate panic, for the end-to-end test of the crash screen (`window.doorstepTestPanic()`).
#[wasm_bindgen(js_name = doorstepTestPanic)]
pub fn test_panic() {
    panic!("crash screen test");
}
