//! Customer mode (`/job/:id/customer`): the phone is in the customer's hands. Only this
//! visit's record shows — the services, the crew by name and badge (never a phone number),
//! the checklist done, the kit counted out and back, the charge by the price list with any
//! deviation and its reason — then the customer's own remarks, score and signature. The
//! customer fills the record in themself (procedure step 7). The screen is locked across a
//! reload, the back button and a typed address (`boot.js`); everything else is `inert`;
//! leaving needs the worker's PIN. An unfinished signature and score survive a reload.

use super::damage::{damage_customer_title, DamageShown};
use super::sign::{lines, readable, round_label, Records};
use super::use_job_ctx;
use crate::components::{not_loaded, ErrorNote, SignaturePad};
use crate::context::use_lang;
use crate::data;
use crate::hooks::{
    clear_draft, leave_customer_mode, load_draft, save_draft, use_accept, use_pin_check,
    use_screen_lock, use_title, CustomerDraft,
};
use crate::i18n::accept::{atr, use_at};
use crate::i18n::service_name;
use crate::pages::Page;
use doorstep_core::acceptance::{Action, Actor, Outcome, Stage, Verdict};
use doorstep_core::config::AcceptanceStep;
use doorstep_core::flow::{acceptance, visit_summary};
use doorstep_core::model::Role;
use doorstep_core::signature::Strokes;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

#[component]
pub fn JobCustomer() -> impl IntoView {
    let a = use_at();
    let lang = use_lang();
    let ctx = use_job_ctx();
    let job = ctx.job;
    let screen = NodeRef::<leptos::html::Section>::new();
    use_screen_lock(screen);
    let id = Signal::derive(move || {
        job.get()
            .and_then(Result::ok)
            .map(|j| j.order.view.job.0)
            .unwrap_or_default()
    });
    let hook = use_accept(id);
    let damage_title = damage_customer_title();
    use_title(move || a.get().customer_title.to_owned());
    let stage = Memo::new(move |_| {
        job.get().and_then(Result::ok).and_then(|j| {
            acceptance(&data::templates(), &j.order.view.job, &readable(&j.steps))
                .ok()
                .map(|acc| acc.stage())
        })
    });
    let max = data::rules().satisfaction_max;
    // The customer's entries, restored from the draft of this round.
    let ink = RwSignal::new(Strokes::default());
    let (name, set_name) = signal(String::new());
    let (remarks, set_remarks) = signal(String::new());
    let (items, set_items) = signal(String::new());
    let (score, set_score) = signal(None::<u8>);
    let restored = StoredValue::new(false);
    Effect::new(move |_| {
        let Some(st) = stage.get() else { return };
        if restored.get_value() {
            return;
        }
        restored.set_value(true);
        if let Some(d) = load_draft(&id.get_untracked(), st.round()) {
            set_name.set(d.name);
            set_remarks.set(d.remarks);
            set_items.set(d.items);
            set_score.set(d.score);
            ink.set(d.ink);
        }
    });
    let keep = move || {
        let round = stage.get_untracked().map(Stage::round).unwrap_or(1);
        save_draft(&CustomerDraft {
            job: id.get_untracked(),
            round,
            name: name.get_untracked(),
            remarks: remarks.get_untracked(),
            items: items.get_untracked(),
            score: score.get_untracked(),
            ink: ink.get_untracked(),
        });
    };
    let (problem, set_problem) = signal(None::<&'static str>);
    let submit = move |outcome: Outcome| {
        let strokes = ink.get_untracked();
        let s = a.get();
        if strokes.is_blank() {
            set_problem.set(Some(s.empty_pad));
            return;
        }
        let failed = lines(&items.get_untracked());
        if outcome == Outcome::Pass && score.get_untracked().is_none() {
            set_problem.set(Some(s.need_score));
            return;
        }
        if outcome == Outcome::Fail && failed.is_empty() {
            set_problem.set(Some(s.need_items));
            return;
        }
        set_problem.set(None);
        let at = data::now();
        let signer = name.get_untracked().trim().to_owned();
        let verdict = Verdict {
            step: AcceptanceStep::Customer,
            actor: Actor {
                id: signer.clone(),
                role: Role::Customer,
            },
            at,
            failed_items: if outcome == Outcome::Fail {
                failed
            } else {
                Vec::new()
            },
            remarks: remarks.get_untracked(),
            satisfaction: score.get_untracked(),
            signature: Some(strokes.into_signature(signer, at)),
        };
        let action = match outcome {
            Outcome::Pass => Action::Pass(verdict),
            Outcome::Fail => Action::Fail(verdict),
        };
        hook.record.run((action, s.consent.to_owned()));
    };
    // Once the customer's verdict is stored, the draft goes.
    Effect::new(move |_| {
        if matches!(hook.outcome.get(), Some(Ok(_))) {
            clear_draft();
        }
    });
    let awaiting = move || {
        matches!(
            stage.get(),
            Some(Stage::Awaiting {
                step: AcceptanceStep::Customer,
                ..
            })
        )
    };
    view! {
        <section class="ds-customer" node_ref=screen data-customer-mode=move || id.get()>
            <h1 class="ds-stage__title">{atr(|s| s.customer_title)}</h1>
            <p class="ds-sub">{atr(|s| s.customer_lead)}</p>
            {move || match job.get() {
                Some(Ok(j)) => {
                    let l = lang.get();
                    let s = a.get();
                    let view_ = j.order.for_customer();
                    let steps = readable(&j.steps);
                    let t = data::templates();
                    let visit = visit_summary(&t, &j.order, &steps);
                    let quote = t.quote(&j.order).ok();
                    let mut done: Vec<String> = visit
                        .checklist
                        .iter()
                        .filter(|e| e.done && !e.item_id.starts_with("pre."))
                        .filter_map(|e| t.checklists.item(&e.item_id).map(|i| i.label.get(l).to_owned()))
                        .collect();
                    done.dedup();
                    let kit = t.kit(&j.order);
                    // The damage the customer is asked to accept, with its photos.
                    let damages: Vec<(String, doorstep_core::step::DamageReport)> = j
                        .steps
                        .iter()
                        .filter_map(|e| match e {
                            data::Entry::Ok { id, value } => match &value.step {
                                doorstep_core::step::StepKind::Damage(r) => Some((id.clone(), r.clone())),
                                _ => None,
                            },
                            data::Entry::Damaged { .. } => None,
                        })
                        .collect();
                    view! {
                        {stage.get().map(|st| view! { <p class="ds-chip" data-customer-round=st.round()>{round_label(s, st.round())}</p> })}
                        <section class="ds-card" data-customer-services>
                            <h2>{s.services_done}</h2>
                            <ul>{view_.items.iter().map(|i| view! { <li>{service_name(&i.code, l)}</li> }).collect_view()}</ul>
                            <ul class="ds-customer__crew" data-customer-crew>
                                {view_.crew.iter().map(|m| view! {
                                    <li>{format!("{} {} {}", s.staff, m.name.clone().unwrap_or_default(), m.badge)}</li>
                                }).collect_view()}
                            </ul>
                            <ul class="ds-customer__done" data-customer-checklist>
                                {done.into_iter().map(|d| view! { <li>{format!("✓ {d}")}</li> }).collect_view()}
                            </ul>
                        </section>
                        <section class="ds-card" data-customer-kit>
                            <h2>{s.kit_counted}</h2>
                            <ul class="ds-kit">
                                {visit.tools.iter().map(|c| {
                                    let name = kit.item(&c.item).map_or_else(|| c.item.clone(), |i| i.name.get(l).to_owned());
                                    view! { <li class="ds-kit__row" data-customer-tool=c.item.clone()><span>{name}</span><span>{s.kit_out_back.replace("{out}", &c.out.to_string()).replace("{back}", &(c.back + c.damaged).to_string())}</span></li> }
                                }).collect_view()}
                            </ul>
                        </section>
                        {(!damages.is_empty()).then(|| view! {
                            <section class="ds-card" data-customer-damage>
                                <h2>{move || damage_title.get()}</h2>
                                {damages.into_iter().map(|(step_id, report)| view! { <DamageShown step_id report /> }).collect_view()}
                            </section>
                        })}
                        <section class="ds-card" data-customer-charge>
                            <h2>{s.charge}</h2>
                            {quote.map(|q| view! {
                                <ul class="ds-kit">
                                    {q.lines.iter().map(|line| view! {
                                        <li class="ds-kit__row"><span>{format!("{} × {}", line.name.get(l), line.quantity)}</span><span>{line.amount.to_string()}</span></li>
                                    }).collect_view()}
                                </ul>
                            })}
                            {visit.charge.map(|c| view! {
                                <p class="ds-charge__total" data-customer-charged=c.charged.0.to_string()>{c.charged.to_string()}</p>
                                {c.deviation_reason.map(|r| view! {
                                    <p class="ds-gate" data-customer-deviation>
                                        {format!("{} {} → {}：", s.deviation, c.computed, c.charged)}
                                        <span class="ds-user-text">{r}</span>
                                        {format!(" · {} ", s.approved_by)}
                                        <span class="ds-user-text">{c.deviation_approver.unwrap_or_default()}</span>
                                    </p>
                                })}
                            })}
                        </section>
                    }.into_any()
                }
                Some(Err(e)) => not_loaded(Some(e)),
                None => not_loaded(None),
            }}
            <Show when=awaiting fallback=move || view! {
                <p class="ds-ok" data-customer-done>{move || {
                    let failed = matches!(stage.get(), Some(Stage::Rework { .. }));
                    if failed { a.get().thanks_fail } else { a.get().thanks }
                }}</p>
            }>
                <section class="ds-card ds-customer__form" data-customer-form>
                    <label class="ds-field"><span>{atr(|s| s.your_name)}</span>
                        <input data-customer-name prop:value=name on:input=move |ev| { set_name.set(event_target_value(&ev)); keep(); } /></label>
                    <fieldset class="ds-score" data-score=move || format!("{:?}", score.get())>
                        <legend>{atr(|s| s.score)}</legend>
                        {(1..=max).map(|n| view! {
                            <button type="button" class="ds-button ds-score__n" data-score-n=n
                                aria-pressed=move || if score.get() == Some(n) { "true" } else { "false" }
                                on:click=move |_| { set_score.set(Some(n)); keep(); }>{n}</button>
                        }).collect_view()}
                    </fieldset>
                    <label class="ds-field"><span>{atr(|s| s.remarks)}</span>
                        <textarea rows="3" data-customer-remarks prop:value=remarks on:input=move |ev| { set_remarks.set(event_target_value(&ev)); keep(); }></textarea></label>
                    <label class="ds-field"><span>{atr(|s| s.failed_items)}</span>
                        <textarea rows="2" data-customer-items placeholder=atr(|s| s.failed_items_hint) prop:value=items on:input=move |ev| { set_items.set(event_target_value(&ev)); keep(); }></textarea></label>
                    <p class="ds-sub">{atr(|s| s.consent)}</p>
                    <SignaturePad class="ds-pad--customer" strokes=ink label=atr(|s| s.sign_here) undo_label=atr(|s| s.undo) clear_label=atr(|s| s.clear)
                        on_change=Callback::new(move |_| keep()) />
                    {move || problem.get().map(|p| view! { <p class="ds-error" role="alert" data-problem>{p}</p> })}
                    <div class="ds-customer__actions">
                        <button class="ds-button ds-button--primary ds-button--customer" data-action="customer-pass" disabled=move || hook.saving.get()
                            on:click=move |_| submit(Outcome::Pass)>{atr(|s| s.satisfied)}</button>
                        <button class="ds-button ds-button--customer" data-action="customer-fail" disabled=move || hook.saving.get()
                            on:click=move |_| submit(Outcome::Fail)>{atr(|s| s.not_satisfied)}</button>
                    </div>
                    {move || hook.outcome.get().and_then(Result::err).map(|e| view! { <ErrorNote error=e /> })}
                </section>
            </Show>
            <Records hook />
            <Leave />
        </section>
    }
}

/// Leaving customer mode: only with the worker's PIN.
#[component]
fn Leave() -> impl IntoView {
    let a = use_at();
    let ctx = use_job_ctx();
    let check = use_pin_check();
    let navigate = use_navigate();
    let (open, set_open) = signal(false);
    let (pin, set_pin) = signal(String::new());
    Effect::new(move |_| {
        if matches!(check.result.get(), Some(Ok(Some(true)))) {
            if let Some(j) = ctx.job.get_untracked().and_then(Result::ok) {
                leave_customer_mode();
                navigate(
                    &Page::JobSign(j.order.view.job.0.clone()).path(),
                    Default::default(),
                );
            }
        }
    });
    view! {
        <section class="ds-customer__leave">
            <Show when=move || open.get() fallback=move || view! {
                <button class="ds-button" data-action="leave-customer" on:click=move |_| set_open.set(true)>{atr(|s| s.leave)}</button>
            }>
                <label class="ds-field"><span>{atr(|s| s.leave_lead)}</span>
                    <input type="password" inputmode="numeric" autocomplete="off" maxlength="6" data-leave-pin
                        prop:value=pin on:input=move |ev| set_pin.set(event_target_value(&ev)) /></label>
                {move || match check.result.get() {
                    Some(Ok(Some(false))) | Some(Ok(None)) => Some(view! { <p class="ds-error" role="alert" data-pin-wrong>{a.get().wrong_pin}</p> }.into_any()),
                    Some(Err(e)) => Some(view! { <ErrorNote error=e /> }.into_any()),
                    _ => None,
                }}
                <div class="ds-row">
                    <button class="ds-button ds-button--primary" data-action="leave-confirm" disabled=move || check.checking.get()
                        on:click=move |_| {
                            if let Some(j) = ctx.job.get_untracked().and_then(Result::ok) {
                                check.check.run((j.me.clone(), pin.get_untracked()));
                            }
                        }>{atr(|s| s.unlock)}</button>
                    <button class="ds-button" data-action="leave-cancel" on:click=move |_| { set_open.set(false); set_pin.set(String::new()); }>{atr(|s| s.cancel)}</button>
                </div>
            </Show>
        </section>
    }
}
