//! A job's overview: when, what, where (as far as privacy allows), who, and the
//! day-before call. The note field lives outside the reactive part: a refresh of the job
//! (a write elsewhere, another tab, sync) never resets what is being typed.

use super::use_job_ctx;
use crate::components::{not_loaded, ErrorNote, ProgressStrip, StatusChip};
use crate::context::use_lang;
use crate::data;
use crate::i18n::{date_label, hm, md_hm, service_name, tr, use_t};
use crate::pages::Page;
use doorstep_core::flow::StageState;
use doorstep_core::step::{StepKind, TEXT_MAX_CHARS};
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn JobOverview() -> impl IntoView {
    let t = use_t();
    let lang = use_lang();
    let ctx = use_job_ctx();
    let job = ctx.job;
    let (note, set_note) = signal(String::new());
    let loaded = move || job.get().and_then(Result::ok);
    let confirmed = Signal::derive(move || loaded().is_some_and(|j| j.call.is_some()));
    // Only the team leader talks with the customer (procedure steps 3 and 6).
    let leads = Signal::derive(move || loaded().is_some_and(|j| j.order.view.leader == j.me));
    let too_long = Signal::derive(move || note.with(|n| n.chars().count() > TEXT_MAX_CHARS));
    view! {
        {move || match job.get() {
            Some(Ok(j)) => {
                let l = lang.get();
                let s = t.get();
                let v = &j.order.view;
                let services = v.items.iter().map(|i| service_name(&i.code, l)).collect::<Vec<_>>().join("、");
                let time = format!("{} {}–{}", date_label(v.start.date(), l), hm(v.start), hm(v.end));
                let contact = v.contact.clone();
                let crew = j.order.crew.iter().map(|m| {
                    let lead = if m.leader { format!("（{}）", s.leader) } else { String::new() };
                    format!("{} {}{}", m.name.clone().unwrap_or_default(), m.badge, lead)
                }).collect::<Vec<_>>().join("，");
                let call = j.call.clone();
                // The visit's stages, from the day of the job on (or once one was begun).
                let started = j.progress.stages.first().is_some_and(|(_, st)| *st == StageState::Done);
                let visit = (v.status.is_open() && (v.start.date() <= data::today() || started)).then(|| {
                    let job = v.job.0.clone();
                    let next = Page::JobStage(job.clone(), j.progress.current).path();
                    let can_continue = j.progress.current.phase().is_some();
                    view! {
                        <ProgressStrip job progress=j.progress.clone() />
                        {can_continue.then(|| view! {
                            <A href=next attr:class="ds-button ds-button--primary ds-continue" attr:data-action="continue">
                                {format!("{} · {}", s.continue_visit, j.progress.current.label().get(l))}
                            </A>
                        })}
                    }
                });
                view! {
                    <article class="ds-job" data-job=v.job.0.clone()>
                        <h1 class="ds-job__title">{services}</h1>
                        <StatusChip status=j.status />
                        {visit}
                        <dl class="ds-fields">
                            <dt>{s.time}</dt><dd>{time}</dd>
                            <dt>{s.customer}</dt><dd>{contact.as_ref().map_or(v.customer_masked.clone(), |c| c.name.clone())}</dd>
                            <dt>{s.district}</dt><dd>{v.district.clone()}</dd>
                            <dt>{s.address}</dt>
                            <dd class="ds-address">{contact.as_ref().map_or_else(|| s.address_hidden.to_owned(), |c| c.address_detail.clone())}</dd>
                            {contact.as_ref().map(|c| {
                                let p = c.phone.clone();
                                view! { <dt>{s.contact}</dt><dd><a class="ds-tel" href=format!("tel:{p}")>{p.clone()}</a></dd> }
                            })}
                            <dt>{s.crew}</dt><dd>{crew}</dd>
                            {(!v.special_requests.is_empty()).then(|| view! { <dt>{s.special_requests}</dt><dd class="ds-user-text">{v.special_requests.clone()}</dd> })}
                            {contact.as_ref().filter(|c| !c.notes.is_empty()).map(|c| view! { <dt>{s.notes}</dt><dd class="ds-user-text">{c.notes.clone()}</dd> })}
                        </dl>
                        {call.map(|c| {
                            let note = match &c.step {
                                StepKind::DayBeforeCall { note } if !note.is_empty() => format!(" · {note}"),
                                _ => String::new(),
                            };
                            view! { <p class="ds-confirmed ds-user-text" data-confirmed="true">{format!("✓ {} {} · {}{note}", s.confirmed, md_hm(c.at), c.by)}</p> }
                        })}
                    </article>
                }.into_any()
            }
            Some(Err(e)) => not_loaded(Some(e)),
            None => not_loaded(None),
        }}
        <Show when=move || loaded().is_some() && !confirmed.get()>
            <div class="ds-actions">
                <Show when=move || leads.get() fallback=move || view! { <p class="ds-sub" data-leader-only="true">{tr(|s| s.leader_confirms)}</p> }>
                    <label class="ds-field">
                        <span>{tr(|s| s.confirm_note)}</span>
                        <textarea rows="2" prop:value=note on:input=move |ev| set_note.set(event_target_value(&ev))></textarea>
                        <span class="ds-counter" class:ds-counter--over=too_long>
                            {move || format!("{} / {TEXT_MAX_CHARS} {}", note.with(|n| n.chars().count()), t.get().chars)}
                        </span>
                    </label>
                    <button
                        class="ds-button ds-button--primary"
                        disabled=move || ctx.saving.get() || too_long.get()
                        on:click=move |_| ctx.record.run(StepKind::DayBeforeCall { note: note.get_untracked() })
                    >
                        {tr(|s| s.confirm_job)}
                    </button>
                </Show>
                {move || ctx.save_error.get().map(|e| view! { <ErrorNote error=e /> })}
            </div>
        </Show>
    }
}
