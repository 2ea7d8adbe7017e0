//! "Today": the worker's jobs for today and tomorrow, read from the device.

use crate::components::{JobCard, not_loaded};
use crate::context::{use_lang, use_worker};
use crate::hooks::use_my_jobs;
use crate::i18n::{date_label, tr, use_t};
use leptos::prelude::*;

#[component]
pub fn Today() -> impl IntoView {
    let t = use_t();
    let lang = use_lang();
    let worker = use_worker();
    let days = use_my_jobs();
    view! {
        <header class="ds-page-head">
            <h1>{tr(|s| s.my_jobs)}</h1>
            <p class="ds-sub">{Signal::derive(move || format!("{} {}", t.get().badge, worker.get()))}</p>
        </header>
        {move || match days.get() {
            Some(Ok(days)) => days
                .into_iter()
                .enumerate()
                .map(|(i, day)| {
                    let title = if i == 0 { t.get().today } else { t.get().tomorrow };
                    let count = day.jobs.len();
                    view! {
                        <section class="ds-day" data-day=i>
                            <h2 class="ds-day__title">
                                {format!("{title} · {}", date_label(day.date, lang.get()))}
                                <span class="ds-day__count">{count.to_string()}</span>
                            </h2>
                            {if day.jobs.is_empty() {
                                view! { <p class="ds-empty">{t.get().no_jobs}</p> }.into_any()
                            } else {
                                view! {
                                    <ul class="ds-list">
                                        {day.jobs.into_iter().map(|(job, customer)| view! { <li><JobCard job customer /></li> }).collect_view()}
                                    </ul>
                                }
                                    .into_any()
                            }}
                        </section>
                    }
                })
                .collect_view()
                .into_any(),
            other => not_loaded(other.and_then(Result::err)),
        }}
    }
}
