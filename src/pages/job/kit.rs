//! The kit: what this worker takes before leaving (`/job/:id/kit`), and the count back in
//! front of the customer after service (`/job/:id/kit-return`, a screen turned to the
//! customer: large text, what came in goes out, nothing of theirs leaves). Missing or
//! damaged items become incidents on the worker who took them (the core's `reconcile`).
//! The counts being entered live outside the reactive part: a refresh never resets them.

use super::{loaded, use_job_ctx};
use crate::components::{not_loaded, ErrorNote, Stepper};
use crate::context::use_lang;
use crate::data::{self, Entry};
use crate::hooks::use_title;
use crate::i18n::use_t;
use crate::pages::Page;
use doorstep_core::flow::{checkin_from, kit_in, kit_out, Stage};
use doorstep_core::step::{KitCount, Step, StepKind};
use doorstep_core::toolkit::{kit_shortfalls, reconcile, CheckinLine, CheckoutLine, KitCheckout};
use doorstep_core::Explain;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

fn readable(steps: &[Entry<Step>]) -> Vec<Step> {
    steps.iter().filter_map(Entry::ok).cloned().collect()
}

/// Check-out: the job's kit, item by item, with what this worker takes.
#[component]
pub fn JobKit() -> impl IntoView {
    let t = use_t();
    let lang = use_lang();
    let ctx = use_job_ctx();
    let job = ctx.job;
    use_title(move || t.get().kit_out_title.to_owned());
    // (item, count) as being entered; filled once from the stored counts.
    let counts = RwSignal::new(Vec::<(String, u32)>::new());
    Effect::new(move |_| {
        let Some(j) = loaded(job) else { return };
        if !counts.with_untracked(Vec::is_empty) {
            return;
        }
        let kit = data::templates().kit(&j.order);
        let out = kit_out(&kit, &j.order.view.job, &readable(&j.steps));
        let mine: Vec<&CheckoutLine> = out.lines.iter().filter(|l| l.worker == j.me).collect();
        let others = |code: &str| {
            out.lines
                .iter()
                .filter(|l| l.worker != j.me && l.item == code)
                .map(|l| l.count)
                .sum::<u32>()
        };
        let took = !mine.is_empty() || doorstep_core::flow::took_kit(&readable(&j.steps), &j.me);
        counts.set(
            kit.items
                .iter()
                .map(|i| {
                    let n = if took {
                        mine.iter()
                            .filter(|l| l.item == i.code)
                            .map(|l| l.count)
                            .sum()
                    } else {
                        i.expected.saturating_sub(others(&i.code))
                    };
                    (i.code.clone(), n)
                })
                .collect(),
        );
    });
    let (saved, set_saved) = signal(false);
    let navigate = use_navigate();
    Effect::new(move |_| {
        if saved.get() && !ctx.saving.get() && ctx.save_error.get().is_none() {
            set_saved.set(false);
            if let Some(j) = loaded(job) {
                navigate(
                    &Page::JobStage(j.order.view.job.0.clone(), Stage::PreDeparture).path(),
                    Default::default(),
                );
            }
        }
    });
    view! {
        {move || match job.get() {
            Some(Ok(j)) => {
                let l = lang.get();
                let s = t.get();
                let kit = data::templates().kit(&j.order);
                let rows = kit.items.iter().enumerate().map(|(n, item)| {
                    let name = item.name.get(l).to_owned();
                    let value = Signal::derive(move || counts.with(|c| c.get(n).map_or(0, |(_, v)| *v)));
                    let on_change = Callback::new(move |v: u32| counts.update(|c| if let Some(x) = c.get_mut(n) { x.1 = v }));
                    view! {
                        <li class="ds-kit__row" data-kit-item=item.code.clone()>
                            <span class="ds-kit__name">{name.clone()}<span class="ds-sub">{format!("{} {}", s.kit_expected, item.expected)}</span></span>
                            <Stepper label=name value on_change name=item.code.clone() />
                        </li>
                    }
                }).collect_view();
                view! {
                    <h1 class="ds-stage__title">{s.kit_out_title}</h1>
                    <p class="ds-sub">{kit.name.get(l).to_owned()}</p>
                    <ul class="ds-kit">{rows}</ul>
                }.into_any()
            }
            Some(Err(e)) => not_loaded(Some(e)),
            None => not_loaded(None),
        }}
        <div class="ds-actions">
            {move || loaded(job).map(|j| {
                // The crew's kit with these counts: what would still be short.
                let kit = data::templates().kit(&j.order);
                let steps = readable(&j.steps);
                let mut out: KitCheckout = kit_out(&kit, &j.order.view.job, &steps);
                out.lines.retain(|l| l.worker != j.me);
                out.lines.extend(counts.get().into_iter().map(|(item, count)| CheckoutLine { worker: j.me.clone(), item, count, name: None }));
                let short = kit_shortfalls(&kit, &out);
                let l = lang.get();
                if short.is_empty() {
                    view! { <p class="ds-ok" data-kit-complete="true">{t.get().kit_complete}</p> }.into_any()
                } else {
                    let text = short.iter().map(|x| x.explain(l)).collect::<Vec<_>>().join(if l == doorstep_core::Lang::Zh { "；" } else { "; " });
                    view! { <p class="ds-gate" data-kit-complete="false">{text}</p> }.into_any()
                }
            })}
            <button class="ds-button ds-button--primary" data-action="kit-out"
                disabled=move || ctx.saving.get() || counts.with(Vec::is_empty)
                on:click=move |_| {
                    let lines = counts.get_untracked().into_iter().filter(|(_, n)| *n > 0).map(|(item, count)| KitCount { item, count }).collect();
                    set_saved.set(true);
                    ctx.record.run(StepKind::KitOut { lines });
                }>
                {move || t.get().kit_record}
            </button>
            {move || ctx.save_error.get().map(|e| view! { <ErrorNote error=e /> })}
        </div>
    }
}

/// The count back in, shown to the customer.
#[component]
pub fn JobKitReturn() -> impl IntoView {
    let t = use_t();
    let lang = use_lang();
    let ctx = use_job_ctx();
    let job = ctx.job;
    use_title(move || t.get().kit_in_title.to_owned());
    let lines = RwSignal::new(Vec::<CheckinLine>::new());
    Effect::new(move |_| {
        let Some(j) = loaded(job) else { return };
        if !lines.with_untracked(Vec::is_empty) {
            return;
        }
        let kit = data::templates().kit(&j.order);
        let steps = readable(&j.steps);
        let back = kit_in(&j.order.view.job, &steps)
            .map(|k| k.lines)
            .unwrap_or_else(|| checkin_from(&kit_out(&kit, &j.order.view.job, &steps)));
        lines.set(back);
    });
    view! {
        <section class="ds-customer" data-customer-facing="kit">
            {move || match job.get() {
                Some(Ok(j)) => {
                    let l = lang.get();
                    let s = t.get();
                    let kit = data::templates().kit(&j.order);
                    let steps = readable(&j.steps);
                    let out = kit_out(&kit, &j.order.view.job, &steps);
                    let crew = j.order.view.crew.len() > 1;
                    // Rebuilt when the counts are first filled in, not at each change of them.
                    let _filled = lines.with(Vec::len);
                    let rows = lines.get_untracked().iter().enumerate().map(|(n, line)| {
                        let name = kit.item(&line.item).map_or_else(|| line.item.clone(), |i| i.name.get(l).to_owned());
                        let took: u32 = out.lines.iter().filter(|o| o.worker == line.worker && o.item == line.item).map(|o| o.count).sum();
                        let who = crew.then(|| format!(" · {}", line.worker));
                        let good = Signal::derive(move || lines.with(|v| v.get(n).map_or(0, |x| x.good)));
                        let damaged = Signal::derive(move || lines.with(|v| v.get(n).map_or(0, |x| x.damaged)));
                        let set_good = Callback::new(move |v: u32| lines.update(|x| if let Some(x) = x.get_mut(n) { x.good = v }));
                        let set_damaged = Callback::new(move |v: u32| lines.update(|x| if let Some(x) = x.get_mut(n) { x.damaged = v }));
                        let key = format!("{}-{}", line.worker, line.item);
                        view! {
                            <li class="ds-kit__row ds-kit__row--return" data-kit-item=line.item.clone()>
                                <span class="ds-kit__name">{name.clone()}{who}<span class="ds-sub">{format!("{} {took}", s.kit_brought)}</span></span>
                                <span class="ds-kit__counts">
                                    <span class="ds-kit__label">{s.kit_back_good}</span>
                                    <Stepper label=format!("{name} {}", s.kit_back_good) value=good on_change=set_good name=format!("{key}-good") />
                                    <span class="ds-kit__label">{s.kit_back_damaged}</span>
                                    <Stepper label=format!("{name} {}", s.kit_back_damaged) value=damaged on_change=set_damaged name=format!("{key}-damaged") />
                                </span>
                            </li>
                        }
                    }).collect_view();
                    // The recorded count's differences, each on the responsible worker.
                    let result = kit_in(&j.order.view.job, &steps).map(|back| {
                        let incidents = reconcile(&out, &back);
                        if incidents.is_empty() {
                            view! { <p class="ds-ok" data-incidents="0">{s.kit_all_back}</p> }.into_any()
                        } else {
                            let n = incidents.len().to_string();
                            view! {
                                <ul class="ds-incidents" data-incidents=n>
                                    {incidents.iter().map(|i| view! { <li class="ds-gate" data-incident=format!("{:?}", i.kind)>{i.explain(l)}</li> }).collect_view()}
                                </ul>
                            }.into_any()
                        }
                    });
                    let back_to = Page::JobStage(j.order.view.job.0.clone(), Stage::AfterService).path();
                    view! {
                        <h1 class="ds-customer__title">{s.kit_in_title}</h1>
                        <p class="ds-customer__lead">{s.kit_in_lead}</p>
                        <ul class="ds-kit">{rows}</ul>
                        {result}
                        <A href=back_to attr:class="ds-back">{format!("‹ {}", s.back)}</A>
                    }.into_any()
                }
                Some(Err(e)) => not_loaded(Some(e)),
                None => not_loaded(None),
            }}
            <div class="ds-actions">
                <button class="ds-button ds-button--primary ds-button--customer" data-action="kit-in"
                    disabled=move || ctx.saving.get() || lines.with(Vec::is_empty)
                    on:click=move |_| ctx.record.run(StepKind::KitIn { lines: lines.get_untracked() })>
                    {move || t.get().kit_in_confirm}
                </button>
                {move || ctx.save_error.get().map(|e| view! { <ErrorNote error=e /> })}
            </div>
        </section>
    }
}
