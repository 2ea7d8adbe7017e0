//! "A new version is ready — reload": shown while a new build waits in the service worker.
//! It never reloads by itself, so a step in progress is never interrupted.

use crate::hooks::use_sw_update;
use crate::i18n::tr;
use leptos::prelude::*;

#[component]
pub fn UpdateBanner() -> impl IntoView {
    let update = use_sw_update();
    view! {
        <Show when=move || update.waiting.get()>
            <div class="ds-update" role="status">
                <span>{tr(|s| s.update_ready)}</span>
                <button class="ds-button ds-button--primary" on:click=move |_| update.apply.run(())>{tr(|s| s.reload)}</button>
            </div>
        </Show>
    }
}
