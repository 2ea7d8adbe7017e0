//! Doorstep, the Leptos app (client-side rendered). `App` holds the providers and the one
//! route table; pages are one file each under `pages/` and get their data from `hooks/`.

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
use leptos_router::path;

#[component]
pub fn App() -> impl IntoView {
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
            <components::OfflineBanner />
            <main class="ds-main">
                <FlatRoutes fallback=|| view! { <p class="ds-empty">{i18n::tr(|s| s.not_found)}</p> }>
                    <Route path=path!("/") view=pages::Today />
                    <Route path=path!("/job/:id") view=pages::JobPage />
                    <Route path=path!("/settings") view=pages::Settings />
                </FlatRoutes>
            </main>
            <components::BottomNav />
        </Router>
    }
}
