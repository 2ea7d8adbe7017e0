//! "Today": the worker's jobs for today and tomorrow, read from the device.

use crate::components::{not_loaded, JobCard};
use crate::context::{use_db, use_lang};
use crate::hooks::{use_title, use_today};
use crate::i18n::{date_label, tr, use_t};
use leptos::prelude::*;

#[component]
pub fn Today() -> impl IntoView {
    let t = use_t();
    let lang = use_lang();
    let db = use_db();
    let today = use_today();
    use_title(move || t.get().my_jobs.to_owned());
    view! {
        <header class="ds-page-head">
            <h1>{tr(|s| s.my_jobs)}</h1>
            // A device that never logged in holds the demo worker's jobs: said here, so that
            // nobody takes them for real ones (in the same line: no element of its own on
            // the first screen).
            <p class="ds-sub">{move || db.with(|d| {
                let w = d.worker()?;
                let s = t.get();
                let demo = d.db().is_some_and(|d| d.state().account == crate::data::Account::Demo);
                Some(if demo { format!("{} {w} · {}", s.badge, s.demo_note) } else { format!("{} {w}", s.badge) })
            }).unwrap_or_default()}</p>
        </header>
        {move || match today.get() {
            Some(Ok(today)) => {
                let damaged = today.damaged.into_iter().map(|(id, reason)| view! {
                    <p class="ds-error" role="alert" data-damaged=id.clone() title=reason>{format!("{} · {}", id, t.get().damaged_record)}</p>
                }).collect_view();
                let days = today.days.into_iter().enumerate().map(|(i, day)| {
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
                                        {day.jobs.into_iter().map(|job| view! { <li><JobCard job /></li> }).collect_view()}
                                    </ul>
                                }.into_any()
                            }}
                        </section>
                    }
                }).collect_view();
                view! { {damaged} {days} }.into_any()
            }
            Some(Err(e)) => not_loaded(Some(e)),
            None => not_loaded(None),
        }}
    }
}
