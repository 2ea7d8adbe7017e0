//! Doorstep, the Leptos app (client-side rendered). `App` holds the providers and the route
//! table; pages are one file each under `pages/` and get their data from `hooks/`. Settings
//! is a lazy route: its code is a separate wasm chunk, fetched when it is first opened.

mod components;
mod context;
mod data;
mod error;
mod hooks;
mod i18n;
mod pages;

use context::{provide_app_context, use_lang};
use leptos::prelude::*;
use leptos_router::components::{FlatRoutes, Route, Router};
use leptos_router::hooks::use_params_map;
use leptos_router::{path, Lazy};

#[component]
pub fn App() -> impl IntoView {
    provide_app_context();
    let lang = use_lang();
    // Keep <html lang> in step with the chosen language (screen readers, CJK line breaking).
    hooks::watch(move || {
        if let Some(el) = document().document_element() {
            let _ = el.set_attribute("lang", lang.get().tag());
        }
    });
    view! {
        <Router>
            <components::OfflineBanner />
            <main class="ds-main">
                <FlatRoutes fallback=|| view! { <p class="ds-empty">{i18n::tr(|s| s.not_found)}</p> }>
                    <Route path=path!("/") view=pages::Today />
                    <Route path=path!("/job/:id") view=JobRoute />
                    <Route path=path!("/settings") view={Lazy::<pages::SettingsRoute>::new()} />
                </FlatRoutes>
            </main>
            <components::BottomNav />
        </Router>
    }
}

/// The job page of the id in the path (the router gives it URL-decoded).
#[component]
fn JobRoute() -> impl IntoView {
    let params = use_params_map();
    let id = Signal::derive(move || params.read().get("id").unwrap_or_default());
    view! { <pages::JobPage id /> }
}
