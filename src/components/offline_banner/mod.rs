//! Says so when the phone is offline: everything still works and is kept on the device.

use crate::hooks::use_online;
use crate::i18n::tr;
use leptos::prelude::*;

#[component]
pub fn OfflineBanner() -> impl IntoView {
    let online = use_online();
    view! {
        <Show when=move || !online.get()>
            <p class="ds-offline" role="status">{tr(|s| s.offline)}</p>
        </Show>
    }
}
