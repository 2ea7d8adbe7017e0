//! The bottom navigation: within thumb reach on a phone held in one hand.

use crate::i18n::use_t;
use crate::pages::Page;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn BottomNav() -> impl IntoView {
    let t = use_t();
    view! {
        <nav class="ds-bottom-nav" aria-label="main">
            <A href=Page::Today.path() attr:class="ds-bottom-nav__item" exact=true>{move || t.get().my_jobs}</A>
            <A href=Page::Settings.path() attr:class="ds-bottom-nav__item">{move || t.get().settings}</A>
        </nav>
    }
}
