//! A job's status as a small labelled chip.

use crate::context::use_lang;
use crate::i18n::status_name;
use doorstep_core::model::JobStatus;
use leptos::prelude::*;

#[component]
pub fn StatusChip(status: JobStatus) -> impl IntoView {
    let lang = use_lang();
    let kind = match status {
        JobStatus::Confirmed | JobStatus::Completed => "ok",
        JobStatus::Rework | JobStatus::Cancelled => "warn",
        _ => "info",
    };
    view! { <span class=format!("ds-chip ds-chip--{kind}") data-status=format!("{status:?}")>{move || status_name(status, lang.get())}</span> }
}
