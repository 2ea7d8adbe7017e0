//! One stage of the visit (`/job/:id/depart|arrive|service|after`): its checklist, each item
//! a tap that records a tick step (time and worker on it), and the stage's closing step at
//! the bottom (leave, start work, work done), open only when its gate is: otherwise the gate
//! says in words what is missing. After the closing step the next stage's screen opens.

use super::use_job_ctx;
use crate::components::{not_loaded, ErrorNote, ProgressStrip};
use crate::context::use_lang;
use crate::data;
use crate::hooks::JobData;
use crate::hooks::{remember_step, take_resumed, use_title};
use crate::i18n::{hm, use_t};
use crate::pages::{NotFound, Page};
use doorstep_core::flow::{charge, checklist, kit_in, took_kit, Stage, StageState};
use doorstep_core::step::Step;
use doorstep_core::step::StepKind;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};

#[component]
pub fn JobStage() -> impl IntoView {
    let params = use_params_map();
    let stage = move || {
        params
            .read()
            .get("stage")
            .and_then(|s| Stage::from_slug(&s))
            .filter(|s| s.phase().is_some())
    };
    let slug = move || params.read().get("stage").unwrap_or_default();
    view! {
        {move || match (stage(), slug().as_str()) {
            (Some(stage), _) => view! { <StageScreen stage /> }.into_any(),
            (None, "kit") => view! { <super::JobKit /> }.into_any(),
            (None, "kit-return") => view! { <super::JobKitReturn /> }.into_any(),
            (None, "charge") => view! { <super::JobCharge /> }.into_any(),
            (None, "sign" | "customer") => view! { <super::JobAccept /> }.into_any(),
            (None, _) => view! { <NotFound /> }.into_any(),
        }}
    }
}

/// The stage's kit screen, with whether its count is recorded: what this worker takes (before
/// leaving), the count back with the customer (after service).
fn kit_card(stage: Stage, j: &JobData, steps: &[Step]) -> Option<impl IntoView> {
    let t = use_t().get();
    let id = j.order.view.job.0.clone();
    let (page, label, done) = match stage {
        Stage::PreDeparture => (Page::JobKit(id), t.kit_card_out, took_kit(steps, &j.me)),
        Stage::AfterService => (
            Page::JobKitReturn(id),
            t.kit_card_in,
            kit_in(&j.order.view.job, steps).is_some(),
        ),
        _ => return None,
    };
    let state = if done {
        t.kit_recorded
    } else {
        t.kit_not_recorded
    };
    Some(view! {
        <A href=page.path() attr:class="ds-card-link" attr:data-kit-card=if done { "done" } else { "open" }>
            <span>{label}</span>
            <span class=if done { "ds-chip ds-chip--ok" } else { "ds-chip ds-chip--warn" }>{state}</span>
        </A>
    })
}

#[component]
fn StageScreen(stage: Stage) -> impl IntoView {
    let t = use_t();
    let lang = use_lang();
    let ctx = use_job_ctx();
    let job = ctx.job;
    let Some(phase) = stage.phase() else {
        return view! { <NotFound /> }.into_any();
    };
    let loaded = move || job.get().and_then(Result::ok);
    let state = Memo::new(move |_| {
        loaded().and_then(|j| {
            j.progress
                .stages
                .iter()
                .find(|(s, _)| *s == stage)
                .map(|(_, st)| *st)
        })
    });
    use_title(move || {
        format!(
            "{} {}",
            stage.label().get(lang.get()),
            loaded().map(|j| j.order.view.job.0).unwrap_or_default()
        )
    });
    // The screen of the current stage is where the worker comes back to after a restart.
    Effect::new(move |_| {
        if state.get() == Some(StageState::Current) {
            if let Some(j) = loaded() {
                remember_step(Page::JobStage(j.order.view.job.0.clone(), stage).path());
            }
        }
    });
    // Reopened here although the stage's closing step was saved (the app was closed before
    // the screen moved on): go on to where the visit stands, as the worker would have.
    let navigate = use_navigate();
    Effect::new(move |_| {
        let (Some(st), Some(j)) = (state.get(), loaded()) else {
            return;
        };
        let id = j.order.view.job.0.clone();
        if take_resumed(&Page::JobStage(id.clone(), stage).path()) && st == StageState::Done {
            let current = j.progress.current;
            let page = if current.phase().is_some() {
                Page::JobStage(id, current)
            } else {
                Page::Job(id)
            };
            navigate(
                &page.path(),
                leptos_router::NavigateOptions {
                    replace: true,
                    ..Default::default()
                },
            );
        }
    });
    // After the closing step is saved, the next stage opens.
    let (advancing, set_advancing) = signal(false);
    let navigate = use_navigate();
    Effect::new(move |_| {
        if advancing.get() && state.get() == Some(StageState::Done) {
            set_advancing.set(false);
            if let Some(j) = loaded() {
                let next = Stage::ALL
                    .into_iter()
                    .find(|s| *s > stage && s.phase().is_some());
                let page = match next {
                    Some(next) => Page::JobStage(j.order.view.job.0.clone(), next),
                    None => Page::Job(j.order.view.job.0.clone()),
                };
                navigate(&page.path(), Default::default());
            }
        }
    });
    Effect::new(move |_| {
        if ctx.save_error.get().is_some() {
            set_advancing.set(false);
        }
    });
    view! {
        {move || match job.get() {
            Some(Ok(j)) => {
                let l = lang.get();
                let s = t.get();
                let readable: Vec<_> = j.steps.iter().filter_map(crate::data::Entry::ok).cloned().collect();
                let list = checklist(&data::templates().checklists, &readable, phase, &j.me);
                let open = state.get() == Some(StageState::Current);
                let items = list.set.phase(phase).map(|item| {
                    let tick = list.tick_of(&item.id).cloned();
                    let ticked = tick.is_some();
                    let id = item.id.clone();
                    let label = item.label.get(l).to_owned();
                    let optional = (!item.required).then_some(s.optional);
                    view! {
                        <li>
                            <button
                                class="ds-check"
                                role="checkbox"
                                aria-checked=if ticked { "true" } else { "false" }
                                data-item=id.clone()
                                disabled=move || !open || ctx.saving.get()
                                on:click=move |_| ctx.record.run(StepKind::Tick { item: id.clone(), done: !ticked })
                            >
                                <span class="ds-check__box" aria-hidden="true">{if ticked { "✓" } else { "" }}</span>
                                <span class="ds-check__label">
                                    {label}
                                    {optional.map(|o| view! { <span class="ds-check__optional">{format!(" ({o})")}</span> })}
                                    {tick.map(|t| view! { <span class="ds-check__who">{format!("{} {} · {}", s.ticked_by, hm(t.at), t.badge)}</span> })}
                                </span>
                            </button>
                        </li>
                    }
                }).collect_view();
                view! {
                    <ProgressStrip job=j.order.view.job.0.clone() progress=j.progress.clone() reasons=false />
                    <h1 class="ds-stage__title">{stage.label().get(l).to_owned()}</h1>
                    {match state.get() {
                        Some(StageState::Done) => Some(view! { <p class="ds-sub" data-stage-state="done">{s.stage_done}</p> }),
                        Some(StageState::Ahead) => Some(view! { <p class="ds-sub" data-stage-state="ahead">{s.stage_not_yet}</p> }),
                        _ => None,
                    }}
                    <ul class="ds-checklist" data-phase=stage.slug()>{items}</ul>
                    {kit_card(stage, &j, &readable)}
                    {(stage == Stage::AfterService).then(|| {
                        let done = charge(&readable).is_some();
                        view! {
                            <A href=Page::JobCharge(j.order.view.job.0.clone()).path() attr:class="ds-card-link" attr:data-charge-card=if done { "done" } else { "open" }>
                                <span>{s.charge_title}</span>
                                <span class=if done { "ds-chip ds-chip--ok" } else { "ds-chip ds-chip--warn" }>{if done { s.kit_recorded } else { s.kit_not_recorded }}</span>
                            </A>
                        }
                    })}
                }.into_any()
            }
            Some(Err(e)) => not_loaded(Some(e)),
            None => not_loaded(None),
        }}
        <Show when=move || state.get() == Some(StageState::Current)>
            <div class="ds-actions">
                {move || loaded().and_then(|j| j.progress.blocked.clone()).map(|b| view! {
                    <p class="ds-gate" role="status">{b.summary(lang.get())}</p>
                })}
                {match stage.milestone() {
                    Some(m) => view! {
                        <button
                            class="ds-button ds-button--primary"
                            data-action="milestone"
                            disabled=move || ctx.saving.get() || advancing.get() || loaded().is_none_or(|j| j.progress.blocked.is_some())
                            on:click=move |_| {
                                set_advancing.set(true);
                                ctx.record.run(StepKind::Milestone(m));
                            }
                        >
                            {move || m.label().get(lang.get()).to_owned()}
                        </button>
                    }.into_any(),
                    // After service: the phone goes to the customer next (customer mode).
                    None => view! {
                        <A href=move || loaded().map(|j| Page::JobSign(j.order.view.job.0).path()).unwrap_or_default()
                            attr:class=move || if loaded().is_some_and(|j| j.progress.blocked.is_none()) { "ds-button ds-button--primary" } else { "ds-button" }
                            attr:data-next="sign">{move || t.get().sign_next}</A>
                    }.into_any(),
                }}
                {move || ctx.save_error.get().map(|e| view! { <ErrorNote error=e /> })}
            </div>
        </Show>
    }
    .into_any()
}
