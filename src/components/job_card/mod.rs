//! A job in a list: time, services, district, customer (as the privacy projection shows
//! it), crew size, status. The whole card is the tap target.

use crate::components::StatusChip;
use crate::context::use_lang;
use crate::hooks::JobCardData;
use crate::i18n::{hm, service_name, use_t};
use crate::pages::Page;
use leptos::prelude::*;

#[component]
pub fn JobCard(job: JobCardData) -> impl IntoView {
    let lang = use_lang();
    let t = use_t();
    let v = job.order.view;
    let time = format!("{}–{}", hm(v.start), hm(v.end));
    let items = v.items.clone();
    // The same projected name the job page shows: full only inside the contact window.
    let name = v.customer().to_owned();
    let crew = v.crew.len();
    let district = v.district.clone();
    view! {
        <a href=Page::Job(v.job.0.clone()).path() class="ds-job-card" data-job=v.job.0.clone()>
            <span class="ds-job-card__time">{time}</span>
            <span class="ds-job-card__services">
                {move || items.iter().map(|i| service_name(&i.code, lang.get())).collect::<Vec<_>>().join("、")}
            </span>
            <span class="ds-job-card__where">
                {move || {
                    let crew = if crew > 1 { format!(" · {crew}{}", t.get().crew_of) } else { String::new() };
                    format!("{district} · {name}{crew}")
                }}
            </span>
            <StatusChip status=job.status />
        </a>
    }
}
