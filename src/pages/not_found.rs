//! Any path the route table does not know.

use crate::hooks::use_title;
use crate::i18n::{tr, use_t};
use crate::pages::Page;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn NotFound() -> impl IntoView {
    let t = use_t();
    use_title(move || t.get().not_found.to_owned());
    crate::hooks::screen_shown();
    view! {
        <p class="ds-empty">{tr(|s| s.not_found)}</p>
        <A href=Page::Today.path() attr:class="ds-button">{tr(|s| s.my_jobs)}</A>
    }
}
