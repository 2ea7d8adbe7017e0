//! Doorstep, the Leptos app (client-side rendered). `App` holds the providers and picks the
//! page from the router's location; pages are one file each under `pages/` and get their
//! data from `hooks/`.

mod components;
mod context;
mod data;
mod error;
mod hooks;
mod i18n;
mod pages;

use context::{provide_app_context, use_lang};
use leptos::prelude::*;
use leptos_router::components::Router;
use leptos_router::hooks::use_location;
use leptos_router::location::{BrowserUrl, LocationProvider};
use pages::Page;

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
                <Pages />
            </main>
            <components::BottomNav />
        </Router>
    }
}

/// The page at the current location. One match on the path (see `Page::parse`) instead of
/// leptos_router's route table: three fixed paths do not need its matching machinery.
#[component]
fn Pages() -> impl IntoView {
    let location = use_location();
    // A link click only updates the address bar once the router's view says the new page is
    // in place (what its route views do); effects run after the view has been rebuilt.
    let browser_url = use_context::<BrowserUrl>();
    hooks::watch(move || {
        location.pathname.track();
        if let Some(url) = &browser_url {
            url.ready_to_complete();
        }
    });
    // `pathname` is a memo: the page is rebuilt only when the path changes.
    view! {
        {move || {
            let page = Page::parse(&location.pathname.read());
            match page {
                Some(Page::Today) => view! { <pages::Today /> }.into_any(),
                Some(Page::Job(id)) => view! { <pages::JobPage id=Signal::stored(id) /> }.into_any(),
                Some(Page::Settings) => view! { <pages::Settings /> }.into_any(),
                None => view! { <p class="ds-empty">{i18n::tr(|s| s.not_found)}</p> }.into_any(),
            }
        }}
    }
}
