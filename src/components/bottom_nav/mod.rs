//! The bottom navigation: within thumb reach on a phone held in one hand.

use crate::i18n::tr;
use crate::pages::Page;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn BottomNav() -> impl IntoView {
    view! {
        <nav class="ds-bottom-nav" aria-label="main">
            <A href=Page::Today.path() attr:class="ds-bottom-nav__item" exact=true>{tr(|s| s.my_jobs)}</A>
            <A href=Page::Settings.path() attr:class="ds-bottom-nav__item">{tr(|s| s.settings)}</A>
        </nav>
    }
}
