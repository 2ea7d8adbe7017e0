//! A job in a list: time, services, district, status. The whole card is the tap target.

use crate::components::StatusChip;
use crate::context::use_lang;
use doorstep_core::model::JobDoc;
use crate::i18n::{hm, service_name};
use crate::pages::Page;
use doorstep_core::model::Customer;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn JobCard(job: JobDoc, customer: Option<Customer>) -> impl IntoView {
    let lang = use_lang();
    let end = job.assignment.as_ref().map_or(job.job.window.end, |a| a.end);
    let time = format!("{}–{}", hm(job.job.window.start), hm(end));
    let items = job.job.items.clone();
    let district = customer.as_ref().map_or(&job.job.zone.0, |c| &c.address.district);
    let name = customer.as_ref().map_or("", |c| &c.name);
    let crew = job.assignment.as_ref().map_or(1, |a| a.workers.len());
    let crew = if crew > 1 { format!(" · {crew}👥") } else { String::new() };
    let where_ = format!("{district} · {name}{crew}");
    view! {
        <A href=Page::Job(job.job.id.0.clone()).path() attr:class="ds-job-card" attr:data-job=job.job.id.0.clone()>
            <span class="ds-job-card__time">{time}</span>
            <span class="ds-job-card__services">
                {Signal::derive(move || items.iter().map(|i| service_name(&i.code, lang.get())).collect::<Vec<_>>().join("、"))}
            </span>
            <span class="ds-job-card__where">{where_}</span>
            <StatusChip status=job.job.status />
        </A>
    }
}
