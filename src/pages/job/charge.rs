//! The charge (`/job/:id/charge`): the price of the visit by the standard list, shown to
//! worker and customer; exactly that, or a different amount with a reason and an approver,
//! flagged, and a poor-quality shortfall booked to the responsible worker (the core's
//! pricing rules). The entries live outside the reactive part of the page.

use super::{loaded, use_job_ctx};
use crate::components::{not_loaded, ErrorNote};
use crate::context::use_lang;
use crate::data;
use crate::hooks::use_title;
use crate::i18n::use_t;
use crate::pages::Page;
use doorstep_core::flow::{charge, Stage};
use doorstep_core::model::{Money, WorkerId};
use doorstep_core::pricing::{liability, Charge, Deviation, DeviationCause};
use doorstep_core::step::StepKind;
use doorstep_core::Explain;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn JobCharge() -> impl IntoView {
    let t = use_t();
    let lang = use_lang();
    let ctx = use_job_ctx();
    let job = ctx.job;
    use_title(move || t.get().charge_title.to_owned());
    let (differs, set_differs) = signal(false);
    let (amount, set_amount) = signal(String::new());
    let (reason, set_reason) = signal(String::new());
    let (approver, set_approver) = signal(String::new());
    // Empty: another reason; a badge: poor quality, borne by that worker.
    let (responsible, set_responsible) = signal(String::new());
    let (typo, set_typo) = signal(false);
    let computed = move || {
        loaded(job)
            .and_then(|j| data::templates().quote(&j.order).ok())
            .map(|q| q.total)
    };
    let record_exact = move |_| {
        if let Some(c) = computed() {
            ctx.record.run(StepKind::Charge {
                charge: Charge::exact(c),
            });
        }
    };
    let record_deviation = move |_| {
        let Some(c) = computed() else { return };
        let Some(charged) = Money::parse_yuan(&amount.get_untracked()) else {
            set_typo.set(true);
            return;
        };
        set_typo.set(false);
        let who = responsible.get_untracked();
        let deviation = Deviation {
            reason: reason.get_untracked(),
            approver: approver.get_untracked(),
            at: data::now(),
            cause: if who.is_empty() {
                DeviationCause::Other
            } else {
                DeviationCause::PoorQuality {
                    responsible: WorkerId::new(who),
                }
            },
        };
        ctx.record.run(StepKind::Charge {
            charge: Charge {
                computed: c,
                charged,
                deviation: Some(deviation),
            },
        });
    };
    view! {
        {move || match job.get() {
            Some(Ok(j)) => {
                let l = lang.get();
                let s = t.get();
                let id = j.order.view.job.0.clone();
                let steps: Vec<_> = j.steps.iter().filter_map(crate::data::Entry::ok).cloned().collect();
                let recorded = charge(&steps).map(|c| {
                    let flagged = c.deviation.is_some();
                    let booked = liability(&j.order.view.job, &c).ok().flatten();
                    view! {
                        <p class=if flagged { "ds-gate" } else { "ds-ok" } data-charge-recorded=c.charged.0.to_string() data-flagged=flagged.to_string()>
                            {format!("{} {}", s.charge_recorded, c.charged)}
                            {c.deviation.as_ref().map(|d| format!(" · {} {} · {} {}", s.charge_reason, d.reason, s.charge_approver, d.approver))}
                        </p>
                        {booked.map(|b| view! { <p class="ds-gate" data-liability=b.worker.0.clone()>{format!("{} {} {}", b.worker, s.charge_borne, b.amount)}</p> })}
                    }
                });
                match data::templates().quote(&j.order) {
                    Ok(q) => view! {
                        <h1 class="ds-stage__title">{s.charge_title}</h1>
                        <ul class="ds-kit" data-quote=q.total.0.to_string()>
                            {q.lines.iter().map(|line| view! {
                                <li class="ds-kit__row"><span>{format!("{} × {}", line.name.get(l), line.quantity)}</span><span>{line.amount.to_string()}</span></li>
                            }).collect_view()}
                            <li class="ds-kit__row ds-charge__total"><span>{s.charge_total}</span><span>{q.total.to_string()}</span></li>
                        </ul>
                        {recorded}
                        <A href=Page::JobStage(id, Stage::AfterService).path() attr:class="ds-back">{format!("‹ {}", s.back)}</A>
                    }.into_any(),
                    Err(e) => view! { <p class="ds-error" role="alert">{e.explain(l)}</p> }.into_any(),
                }
            }
            Some(Err(e)) => not_loaded(Some(e)),
            None => not_loaded(None),
        }}
        <div class="ds-actions">
            <Show when=move || differs.get() fallback=move || view! {
                <button class="ds-button ds-button--primary" data-action="charge-exact" disabled=move || ctx.saving.get() || computed().is_none() on:click=record_exact>
                    {move || format!("{} {}", t.get().charge_exact, computed().map(|c| c.to_string()).unwrap_or_default())}
                </button>
                <button class="ds-button" data-action="charge-differs" on:click=move |_| set_differs.set(true)>{move || t.get().charge_differs}</button>
            }>
                <label class="ds-field"><span>{move || t.get().charge_amount}</span>
                    <input inputmode="decimal" data-charge-amount prop:value=amount on:input=move |ev| set_amount.set(event_target_value(&ev)) /></label>
                <label class="ds-field"><span>{move || t.get().charge_reason}</span>
                    <textarea rows="2" data-charge-reason prop:value=reason on:input=move |ev| set_reason.set(event_target_value(&ev))></textarea></label>
                <label class="ds-field"><span>{move || t.get().charge_approver}</span>
                    <input data-charge-approver prop:value=approver on:input=move |ev| set_approver.set(event_target_value(&ev)) /></label>
                <label class="ds-field"><span>{move || t.get().charge_cause}</span>
                    <select class="ds-select" data-charge-cause on:change=move |ev| set_responsible.set(event_target_value(&ev))>
                        <option value="">{move || t.get().charge_cause_other}</option>
                        {move || loaded(job).map(|j| j.order.crew.iter().map(|m| {
                            let badge = m.badge.0.clone();
                            view! { <option value=badge.clone()>{format!("{} {}", t.get().charge_cause_quality, badge)}</option> }
                        }).collect_view())}
                    </select></label>
                <Show when=move || typo.get()><p class="ds-error" role="alert">{move || t.get().charge_amount_typo}</p></Show>
                <button class="ds-button ds-button--primary" data-action="charge-deviation" disabled=move || ctx.saving.get() on:click=record_deviation>{move || t.get().charge_record}</button>
            </Show>
            {move || ctx.save_error.get().map(|e| view! { <ErrorNote error=e /> })}
        </div>
    }
}
