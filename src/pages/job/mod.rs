//! One job: a shell with the job's header and tabs (`JobShell`, route `/job/:id`) around
//! its nested screens (`JobOverview` at `/job/:id`, `JobLog` at `/job/:id/log`; the job flow
//! adds its steps here). The shell loads the job once and hands it to its screens.

mod charge;
mod customer;
mod damage;
mod kit;
mod log;
mod overview;
mod sign;
mod stage;

pub use charge::JobCharge;
pub use customer::JobCustomer;
pub(crate) use damage::damage_step_label;
pub use kit::{JobKit, JobKitReturn};
pub(crate) use log::step_line;
pub use log::JobLog;
pub use overview::JobOverview;
pub use sign::JobSign;
pub use stage::JobStage;

use crate::context::use_lang;
use crate::hooks::{use_job, use_title, UseJobReturn};
use crate::i18n::{conflict_note, service_name, tr, use_t};
use crate::pages::Page;
use leptos::prelude::*;
use leptos_router::components::{Outlet, A};
use leptos_router::hooks::use_params_map;

lazy_screen! {
    /// The job's shell, a lazy route; the overview and the records are lazy routes of the
    /// same wasm module (`job`), so opening a job loads them together (see `lazy_screen!`).
    job: JobRoute => JobShell via job_shell_view, preload_job_shell_view
}
lazy_screen! { job: JobOverviewRoute => JobOverview via job_overview_view, preload_job_overview_view }
lazy_screen! { job: JobLogRoute => JobLog via job_log_view, preload_job_log_view }
lazy_screen! {
    /// The visit's screens (stages, kit, charge, damage, acceptance and customer mode): a
    /// module of their own (`visit`), so that opening a job does not fetch the whole visit.
    visit: JobStageRoute => JobStage via job_stage_view, preload_job_stage_view
}

/// `/job/:id/sign` or `/job/:id/customer`, by the address.
#[component]
pub fn JobAccept() -> impl IntoView {
    let location = leptos_router::hooks::use_location();
    move || {
        if location.pathname.get().ends_with("/customer") {
            view! { <JobCustomer /> }.into_any()
        } else {
            view! { <JobSign /> }.into_any()
        }
    }
}

/// The job once loaded (`None` while loading or when it cannot be read).
pub fn loaded(
    job: LocalResource<Result<crate::hooks::JobData, crate::error::AppError>>,
) -> Option<crate::hooks::JobData> {
    job.get().and_then(Result::ok)
}

/// The loaded job, for the screens inside the shell.
pub fn use_job_ctx() -> UseJobReturn {
    expect_context::<UseJobReturn>()
}

#[component]
pub fn JobShell() -> impl IntoView {
    let params = use_params_map();
    let id = Signal::derive(move || params.read().get("id").unwrap_or_default());
    let job = use_job(id);
    provide_context(job);
    let t = use_t();
    let lang = use_lang();
    use_title(move || {
        let services = job.job.get().and_then(Result::ok).map(|j| {
            j.order
                .view
                .items
                .iter()
                .map(|i| service_name(&i.code, lang.get()))
                .collect::<Vec<_>>()
                .join("、")
        });
        format!(
            "{} {}",
            services.unwrap_or_else(|| t.get().overview.to_owned()),
            id.get()
        )
    });
    view! {
        <header class="ds-page-head ds-page-head--job">
            <A href=Page::Today.path() attr:class="ds-back">{move || format!("‹ {}", t.get().back)}</A>
            <nav class="ds-tabs" aria-label=tr(|s| s.overview)>
                <A href=move || Page::Job(id.get()).path() attr:class="ds-tabs__item" exact=true>{tr(|s| s.overview)}</A>
                <A href=move || Page::JobLog(id.get()).path() attr:class="ds-tabs__item">{tr(|s| s.records)}</A>
            </nav>
        </header>
        {move || {
            loaded(job.job)
                .filter(|j| j.conflict)
                .map(|_| view! { <p class="ds-gate" role="note" data-conflict>{conflict_note(lang.get())}</p> })
        }}
        // The screen one task after the shell: opening a job from a link builds the shell
        // and its screen in two tasks, not one long one.
        <crate::components::Later>
            <Outlet />
        </crate::components::Later>
    }
}
