//! Where the visit stands: one mark per stage (done, current, ahead), the reached stages as
//! links, and what still blocks the next stage in words (the core's gate reason).

use crate::context::use_lang;
use crate::i18n::tr;
use crate::pages::Page;
use doorstep_core::flow::{Blocker, Progress, StageState};
use doorstep_core::Explain;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn ProgressStrip(
    job: String,
    progress: Progress,
    /// Whether to say what blocks the next stage (a stage screen says it by its button).
    #[prop(default = true)]
    reasons: bool,
) -> impl IntoView {
    let lang = use_lang();
    let current = progress.current;
    let marks = progress
        .stages
        .iter()
        .enumerate()
        .map(|(i, (stage, state))| {
            let stage = *stage;
            let label = move || format!("{}. {}", i + 1, stage.label().get(lang.get()));
            let state_name = match state {
                StageState::Done => "done",
                StageState::Current => "current",
                StageState::Ahead => "ahead",
            };
            let class = format!("ds-progress__stage ds-progress__stage--{state_name}");
            // Reached stages open their screen; the signature stage is the customer's.
            let link = (*state != StageState::Ahead && stage.phase().is_some())
                .then(|| Page::JobStage(job.clone(), stage).path());
            let current = (stage == current).then_some("step");
            view! {
                <li class=class data-stage=stage.slug() data-state=state_name aria-current=current>
                    {match link {
                        Some(href) => view! { <A href=href>{label}</A> }.into_any(),
                        None => view! { <span>{label}</span> }.into_any(),
                    }}
                </li>
            }
        })
        .collect_view();
    let blocked = progress.blocked.clone().filter(|_| reasons);
    view! {
        <nav class="ds-progress" aria-label=tr(|s| s.progress)>
            <ol class="ds-progress__stages">{marks}</ol>
            {blocked.map(|b| {
                let gate = match &b {
                    Blocker::Items(items) => items.gate.label().en,
                    Blocker::Kit(_) => "kit".to_owned(),
                    Blocker::NotCharged => "charge".to_owned(),
                };
                view! { <p class="ds-progress__blocked" data-blocked=gate>{move || b.explain(lang.get())}</p> }
            })}
        </nav>
    }
}
