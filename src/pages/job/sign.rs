//! Acceptance (`/job/:id/sign`): the sign-off chain in the core's order — the on-site
//! responsible worker's self-check, the team supervisor, the office supervisor (each with
//! their own PIN on this phone), then the customer (the phone handed over in customer mode).
//! A fail names the failed items; the rework is ticked item by item; the next round has its
//! own time, signature and score. The round's signed records are listed, each verified as
//! it is opened. The core decides; this screen shows and records.

use super::use_job_ctx;
use crate::components::{not_loaded, ErrorNote, SignatureInk, SignaturePad};
use crate::context::use_lang;
use crate::data::{self, Entry};
use crate::hooks::{
    enter_customer_mode, remember_step, use_accept, use_pin, use_pin_check, use_title,
    OpenedRecord, UseAcceptReturn,
};
use crate::i18n::accept::{atr, use_at, AcceptStrings};
use crate::i18n::hm;
use crate::pages::Page;
use doorstep_core::acceptance::{Acceptance, Action, Actor, Outcome, Stage, Verdict};
use doorstep_core::config::AcceptanceStep;
use doorstep_core::flow::{acceptance, Stage as VisitStage};
use doorstep_core::model::{Role, WorkerId};
use doorstep_core::record::SignedRecord;
use doorstep_core::signature::Strokes;
use doorstep_core::step::Step;
use doorstep_core::{Explain, Lang};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

/// The PIN owner of a supervisor's step on this phone (`pin:<id>` in the device's settings).
pub fn supervisor_pin_id(step: AcceptanceStep) -> Option<WorkerId> {
    match step {
        AcceptanceStep::TeamSupervisor => Some(WorkerId::new("team_supervisor")),
        AcceptanceStep::OfficeSupervisor => Some(WorkerId::new("office_supervisor")),
        _ => None,
    }
}

fn role_of(step: AcceptanceStep) -> Role {
    match step {
        AcceptanceStep::TeamSupervisor => Role::TeamSupervisor,
        AcceptanceStep::OfficeSupervisor => Role::OfficeSupervisor,
        AcceptanceStep::Customer => Role::Customer,
        AcceptanceStep::WorkerSelfCheck => Role::Worker,
    }
}

/// `round` with its number.
pub fn round_label(s: &AcceptStrings, n: u32) -> String {
    s.round.replace("{n}", &n.to_string())
}

/// One item per non-blank line.
pub fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The job's steps that could be read.
pub fn readable(steps: &[Entry<Step>]) -> Vec<Step> {
    steps.iter().filter_map(Entry::ok).cloned().collect()
}

#[component]
pub fn JobSign() -> impl IntoView {
    let a = use_at();
    let ctx = use_job_ctx();
    let job = ctx.job;
    let id = Signal::derive(move || {
        job.get()
            .and_then(Result::ok)
            .map(|j| j.order.view.job.0)
            .unwrap_or_default()
    });
    let hook = use_accept(id);
    use_title(move || format!("{} {}", a.get().title, id.get()));
    // Acceptance is where the worker comes back to after a restart.
    Effect::new(move |_| {
        let id = id.get();
        if !id.is_empty() {
            remember_step(Page::JobSign(id).path());
        }
    });
    // Where acceptance stands: `None` while loading; `(false, _)` before the after-service
    // gate is open.
    let state = Memo::new(move |_| {
        job.get().and_then(Result::ok).map(|j| {
            let steps = readable(&j.steps);
            let ready = j.progress.current > VisitStage::AfterService
                || (j.progress.current == VisitStage::AfterService && j.progress.blocked.is_none());
            let acc = acceptance(&data::templates(), &j.order.view.job, &steps)
                .map_err(|e| e.explain(Lang::Zh));
            (ready, acc)
        })
    });
    view! {
        {move || match job.get() {
            Some(Ok(_)) => view! { <h1 class="ds-stage__title">{atr(|s| s.title)}</h1> }.into_any(),
            Some(Err(e)) => not_loaded(Some(e)),
            None => not_loaded(None),
        }}
        {move || match state.get() {
            Some((false, _)) => view! {
                <p class="ds-gate" data-accept="not-ready">{a.get().not_ready}</p>
            }.into_any(),
            Some((true, Ok(acc))) => view! {
                <Chain acc=acc.clone() />
                <Current acc hook />
            }.into_any(),
            Some((true, Err(why))) => view! { <p class="ds-error" role="alert">{why}</p> }.into_any(),
            None => ().into_any(),
        }}
        <Records hook />
        {move || hook.outcome.get().and_then(Result::err).map(|e| view! { <ErrorNote error=e /> })}
    }
}

/// The current round's chain: each step signed, failed, or still to sign.
#[component]
fn Chain(acc: Acceptance) -> impl IntoView {
    let a = use_at();
    let lang = use_lang();
    let stage = acc.stage();
    let index = acc.rounds().len().saturating_sub(1);
    let round = acc.rounds().last().cloned();
    let steps: Vec<AcceptanceStep> = acc.round_steps(index).to_vec();
    view! {
        <section class="ds-card ds-chain" data-round=stage.round() data-stage=format!("{stage:?}")>
            <h2>{move || round_label(a.get(), stage.round())}</h2>
            <ol class="ds-chain__steps">
                {steps.into_iter().map(|step| {
                    let done = round.as_ref().and_then(|r| r.steps.iter().find(|s| s.verdict.step == step)).cloned();
                    let (state, mark) = match &done {
                        Some(s) if s.outcome == Outcome::Pass => ("signed", "✓"),
                        Some(_) => ("failed", "✗"),
                        None if stage.awaiting() == Some(step) => ("awaiting", "…"),
                        None => ("ahead", ""),
                    };
                    view! {
                        <li class=format!("ds-chain__step ds-chain__step--{state}") data-step=format!("{step:?}") data-state=state>
                            <span>{move || format!("{mark} {}", step.label(lang.get()))}</span>
                            {done.map(|s| view! {
                                <span class="ds-sub">{format!("{} · {}", hm(s.verdict.at), s.verdict.actor.id)}</span>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
    }
}

/// What is due now: a sign-off form, the supervisor's PIN first, the hand-over to the
/// customer, the rework, or nothing (accepted).
#[component]
fn Current(acc: Acceptance, hook: UseAcceptReturn) -> impl IntoView {
    let a = use_at();
    let ctx = use_job_ctx();
    match acc.stage() {
        Stage::Awaiting {
            step: AcceptanceStep::Customer,
            ..
        } => view! { <HandOver /> }.into_any(),
        Stage::Awaiting {
            step: AcceptanceStep::WorkerSelfCheck,
            ..
        } => {
            let me = ctx.job.get_untracked().and_then(Result::ok);
            let (id, role) = match me {
                Some(j) if j.order.view.leader == j.me => (j.me.0.clone(), Role::TeamLeader),
                Some(j) => (j.me.0.clone(), Role::Worker),
                None => (String::new(), Role::Worker),
            };
            view! {
                <p class="ds-sub">{atr(|s| s.self_check_lead)}</p>
                <SignOff step=AcceptanceStep::WorkerSelfCheck actor=Actor { id, role } hook />
            }
            .into_any()
        }
        Stage::Awaiting { step, .. } => view! { <SupervisorGate step hook /> }.into_any(),
        Stage::Rework { round } => {
            let items: Vec<String> = acc
                .round(round)
                .map(|r| r.failed_items().to_vec())
                .unwrap_or_default();
            view! { <ReworkForm items hook /> }.into_any()
        }
        Stage::Accepted { .. } => view! {
            <p class="ds-ok" data-accept="accepted">{move || a.get().accepted}</p>
        }
        .into_any(),
    }
}

/// A sign-off by `actor`: pass, or fail with the failed items; signed on the pad.
#[component]
fn SignOff(step: AcceptanceStep, actor: Actor, hook: UseAcceptReturn) -> impl IntoView {
    let a = use_at();
    let ink = RwSignal::new(Strokes::default());
    let (items, set_items) = signal(String::new());
    let (remarks, set_remarks) = signal(String::new());
    let (problem, set_problem) = signal(None::<&'static str>);
    let actor = StoredValue::new(actor);
    let submit = move |outcome: Outcome| {
        let strokes = ink.get_untracked();
        if strokes.is_blank() {
            set_problem.set(Some(a.get().empty_pad));
            return;
        }
        let failed = lines(&items.get_untracked());
        if outcome == Outcome::Fail && failed.is_empty() {
            set_problem.set(Some(a.get().need_items));
            return;
        }
        set_problem.set(None);
        let at = data::now();
        let actor = actor.get_value();
        let verdict = Verdict {
            step,
            signature: Some(strokes.into_signature(actor.id.clone(), at)),
            actor,
            at,
            failed_items: if outcome == Outcome::Fail {
                failed
            } else {
                Vec::new()
            },
            remarks: remarks.get_untracked(),
            satisfaction: None,
        };
        let action = match outcome {
            Outcome::Pass => Action::Pass(verdict),
            Outcome::Fail => Action::Fail(verdict),
        };
        hook.record.run((action, a.get().consent.to_owned()));
    };
    view! {
        <section class="ds-card" data-sign-off=format!("{step:?}")>
            <label class="ds-field"><span>{atr(|s| s.failed_items)}</span>
                <textarea rows="2" data-failed-items placeholder=atr(|s| s.failed_items_hint)
                    prop:value=items on:input=move |ev| set_items.set(event_target_value(&ev))></textarea></label>
            <label class="ds-field"><span>{atr(|s| s.remarks)}</span>
                <textarea rows="2" data-remarks prop:value=remarks on:input=move |ev| set_remarks.set(event_target_value(&ev))></textarea></label>
            <SignaturePad strokes=ink label=atr(|s| s.sign_here) undo_label=atr(|s| s.undo) clear_label=atr(|s| s.clear) />
            {move || problem.get().map(|p| view! { <p class="ds-error" role="alert" data-problem>{p}</p> })}
            <div class="ds-actions">
                <button class="ds-button ds-button--primary" data-action="sign-pass" disabled=move || hook.saving.get()
                    on:click=move |_| submit(Outcome::Pass)>{atr(|s| s.pass)}</button>
                <button class="ds-button" data-action="sign-fail" disabled=move || hook.saving.get()
                    on:click=move |_| submit(Outcome::Fail)>{atr(|s| s.fail)}</button>
            </div>
        </section>
    }
}

/// A supervisor's step: their name and own PIN (checked against its salted hash on this
/// phone) open the sign-off form.
#[component]
fn SupervisorGate(step: AcceptanceStep, hook: UseAcceptReturn) -> impl IntoView {
    let a = use_at();
    let lang = use_lang();
    let check = use_pin_check();
    let (name, set_name) = signal(String::new());
    let (pin, set_pin) = signal(String::new());
    let unlocked = move || matches!(check.result.get(), Some(Ok(Some(true))));
    let who = supervisor_pin_id(step);
    view! {
        <Show when=unlocked fallback=move || {
            let who = who.clone();
            view! {
                <section class="ds-card" data-supervisor=format!("{step:?}")>
                    <h2>{move || step.label(lang.get())}</h2>
                    <label class="ds-field"><span>{atr(|s| s.supervisor_name)}</span>
                        <input data-supervisor-name prop:value=name on:input=move |ev| set_name.set(event_target_value(&ev)) /></label>
                    <label class="ds-field"><span>{atr(|s| s.supervisor_pin)}</span>
                        <input type="password" inputmode="numeric" autocomplete="off" maxlength="6" data-supervisor-pin
                            prop:value=pin on:input=move |ev| set_pin.set(event_target_value(&ev)) /></label>
                    {move || match check.result.get() {
                        Some(Ok(Some(false))) => Some(view! { <p class="ds-error" role="alert" data-pin-wrong>{a.get().wrong_pin}</p> }.into_any()),
                        Some(Ok(None)) => Some(view! { <p class="ds-error" role="alert" data-pin-missing>{a.get().no_supervisor_pin}</p> }.into_any()),
                        Some(Err(e)) => Some(view! { <ErrorNote error=e /> }.into_any()),
                        _ => None,
                    }}
                    <div class="ds-actions">
                        <button class="ds-button ds-button--primary" data-action="unlock"
                            disabled=move || check.checking.get() || name.get().trim().is_empty()
                            on:click={
                                let who = who.clone();
                                move |_| if let Some(w) = who.clone() { check.check.run((w, pin.get_untracked())) }
                            }>{atr(|s| s.unlock)}</button>
                    </div>
                </section>
            }
        }>
            <SignOff step actor=Actor { id: name.get_untracked().trim().to_owned(), role: role_of(step) } hook />
        </Show>
    }
}

/// The phone goes to the customer: customer mode, locked until the worker's PIN.
#[component]
fn HandOver() -> impl IntoView {
    let a = use_at();
    let ctx = use_job_ctx();
    let pin = use_pin();
    let navigate = use_navigate();
    let pin_set = move || matches!(pin.is_set.get(), Some(Ok(true)));
    view! {
        <section class="ds-card" data-hand-over>
            <p>{atr(|s| s.hand_over_lead)}</p>
            <Show when=move || matches!(pin.is_set.get(), Some(Ok(false)))>
                <p class="ds-gate" data-need-pin>{move || a.get().need_worker_pin}</p>
            </Show>
            <div class="ds-actions">
                <button class="ds-button ds-button--primary" data-action="hand-over" disabled=move || !pin_set()
                    on:click=move |_| {
                        if let Some(j) = ctx.job.get_untracked().and_then(Result::ok) {
                            let id = j.order.view.job.0.clone();
                            enter_customer_mode(&id);
                            navigate(&Page::JobCustomer(id).path(), Default::default());
                        }
                    }>{atr(|s| s.hand_over)}</button>
            </div>
        </section>
    }
}

/// The rework: every failed item ticked once reworked, then the next round opens.
#[component]
fn ReworkForm(items: Vec<String>, hook: UseAcceptReturn) -> impl IntoView {
    let ctx = use_job_ctx();
    let done = RwSignal::new(Vec::<String>::new());
    let all = items.clone();
    let complete = move || all.iter().all(|i| done.with(|d| d.contains(i)));
    view! {
        <section class="ds-card" data-rework>
            <h2>{atr(|s| s.rework_title)}</h2>
            <p class="ds-sub">{atr(|s| s.rework_lead)}</p>
            <ul class="ds-checklist">
                {items.into_iter().map(|item| {
                    let attr = item.clone();
                    let it = item.clone();
                    let it2 = item.clone();
                    let ticked = Signal::derive(move || done.with(|d| d.contains(&it)));
                    view! {
                        <li>
                            <button class="ds-check" role="checkbox" data-rework-item=attr
                                aria-checked=move || if ticked.get() { "true" } else { "false" }
                                on:click=move |_| done.update(|d| if let Some(p) = d.iter().position(|x| *x == it2) { d.remove(p); } else { d.push(it2.clone()); })>
                                <span class="ds-check__box" aria-hidden="true">{move || if ticked.get() { "✓" } else { "" }}</span>
                                <span class="ds-check__label ds-user-text">{item}</span>
                            </button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <div class="ds-actions">
                <button class="ds-button ds-button--primary" data-action="rework-done"
                    disabled=move || hook.saving.get() || !complete()
                    on:click=move |_| {
                        let me = ctx.job.get_untracked().and_then(Result::ok).map(|j| j.me.0).unwrap_or_default();
                        hook.record.run((Action::ReworkDone {
                            actor: Actor { id: me, role: Role::Worker },
                            at: data::now(),
                            items: done.get_untracked(),
                            note: String::new(),
                        }, String::new()));
                    }>{atr(|s| s.rework_done)}</button>
            </div>
        </section>
    }
}

/// The job's signed records, each verified as it was read: a changed one is flagged.
#[component]
pub fn Records(hook: UseAcceptReturn) -> impl IntoView {
    let a = use_at();
    view! {
        {move || match hook.records.get() {
            Some(Ok(list)) if !list.is_empty() => {
                let n = list.len();
                view! {
                    <section class="ds-card" data-records=n>
                        <h2>{a.get().records}</h2>
                        {list.into_iter().map(|r| view! { <RecordView opened=r /> }).collect_view()}
                    </section>
                }.into_any()
            }
            Some(Err(e)) => view! { <ErrorNote error=e /> }.into_any(),
            _ => ().into_any(),
        }}
    }
}

#[component]
pub fn RecordView(opened: OpenedRecord) -> impl IntoView {
    let a = use_at();
    let lang = use_lang();
    let (record, flag): (Option<SignedRecord>, Option<String>) = match opened {
        OpenedRecord::Intact(r) => (Some(r), None),
        OpenedRecord::Changed { record, fault } => (Some(record), Some(fault.get(lang.get_untracked()).to_owned())),
        OpenedRecord::Damaged { id, reason } => {
            return view! {
                <article class="ds-record ds-error" role="alert" data-record=id data-verified="damaged" title=reason>
                    {move || a.get().record_damaged}
                </article>
            }
            .into_any()
        }
    };
    let Some(r) = record else {
        return ().into_any();
    };
    let verified = if flag.is_some() { "changed" } else { "ok" };
    let rec = r.record.clone();
    view! {
        <article class="ds-record" data-record=r.id() data-verified=verified data-seq=r.seq>
            <h3>{move || round_label(a.get(), rec.round)}</h3>
            {match flag {
                Some(f) => view! { <p class="ds-error" role="alert" data-tampered>{move || a.get().record_tampered}<br/><span class="ds-sub">{f.clone()}</span></p> }.into_any(),
                None => view! { <p class="ds-ok" data-intact>{move || a.get().record_ok}</p> }.into_any(),
            }}
            {r.record.rework.clone().map(|w| view! {
                <p class="ds-sub" data-record-rework>{move || format!("{} {} · {}", a.get().rework_of, hm(w.done_at), w.items.join("、"))}</p>
            })}
            {r.record.visit.damage.iter().map(|d| {
                let n = d.photos.len();
                let what = format!("{} · {}", d.description, d.value);
                view! {
                    <p class="ds-sub" data-record-damage=n>
                        {move || a.get().damage_photos.replace("{n}", &n.to_string())}<br/>
                        <span class="ds-user-text">{what}</span>
                    </p>
                }
            }).collect_view()}
            <ol class="ds-record__signoffs">
                {r.record.sign_offs.iter().map(|s| {
                    let (step, at) = (s.verdict.step, s.verdict.at);
                    let pass = s.outcome == Outcome::Pass;
                    let ink = s.verdict.signature.as_ref().map(|g| g.ink());
                    let max = data::rules().satisfaction_max;
                    view! {
                        <li data-signoff=format!("{step:?}") data-outcome=if pass { "pass" } else { "fail" }>
                            <span>{move || format!("{} {} · {}", if pass { "✓" } else { "✗" }, step.label(lang.get()), hm(at))}</span>
                            <span class="ds-user-text" data-signer>{s.verdict.actor.id.clone()}</span>
                            {(!s.verdict.failed_items.is_empty()).then(|| view! {
                                <span class="ds-user-text" data-record-failed>{s.verdict.failed_items.join("、")}</span>
                            })}
                            {(!s.verdict.remarks.is_empty()).then(|| view! {
                                <span class="ds-user-text" data-record-remarks>{s.verdict.remarks.clone()}</span>
                            })}
                            {s.verdict.satisfaction.map(|n| view! {
                                <span data-record-score=n>{move || format!("{} {n}/{max}", a.get().score)}</span>
                            })}
                            {ink.map(|i| view! { <SignatureInk ink=i /> })}
                        </li>
                    }
                }).collect_view()}
            </ol>
        </article>
    }
    .into_any()
}
