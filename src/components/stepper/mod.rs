//! A count with − and + buttons (touch-sized), for counting kit items.

use leptos::prelude::*;

#[component]
pub fn Stepper(
    /// What is counted, for screen readers.
    label: String,
    value: Signal<u32>,
    on_change: Callback<u32>,
    /// A stable name for tests (`data-count`).
    #[prop(into)]
    name: String,
) -> impl IntoView {
    let less = format!("− {label}");
    let more = format!("+ {label}");
    view! {
        <span class="ds-stepper" role="group" aria-label=label>
            <button class="ds-stepper__button" aria-label=less data-less=name.clone()
                disabled=move || value.get() == 0
                on:click=move |_| on_change.run(value.get_untracked().saturating_sub(1))>"−"</button>
            <output class="ds-stepper__value" data-count=name.clone()>{move || value.get().to_string()}</output>
            <button class="ds-stepper__button" aria-label=more data-more=name
                on:click=move |_| on_change.run(value.get_untracked().saturating_add(1))>"+"</button>
        </span>
    }
}
