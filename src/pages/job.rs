//! One job: when, what, where (as far as privacy allows), who, and the day-before confirmation.

use crate::components::{ErrorNote, not_loaded, StatusChip};
use crate::context::use_lang;
use crate::hooks::{use_job, UseJobReturn};
use crate::i18n::{date_label, hm, md_hm, service_name, use_t};
use crate::pages::Page;
use leptos::prelude::*;
use leptos_router::components::A;

/// The job `id` (already URL-decoded).
#[component]
pub fn JobPage(id: Signal<String>) -> impl IntoView {
    let t = use_t();
    let lang = use_lang();
    let UseJobReturn { job, confirm, saving, save_error } = use_job(id);
    let (note, set_note) = signal(String::new());
    view! {
        <header class="ds-page-head">
            <A href=Page::Today.path() attr:class="ds-back">{Signal::derive(move || format!("‹ {}", t.get().back))}</A>
        </header>
        {move || match job.get() {
            Some(Ok(j)) => {
                let l = lang.get();
                let s = t.get();
                let services = j.items.iter().map(|i| service_name(&i.code, l)).collect::<Vec<_>>().join("、");
                let time = format!("{} {}–{}", date_label(j.start.date(), l), hm(j.start), hm(j.end));
                let confirmed = j.confirmation.is_some();
                view! {
                    <article class="ds-job" data-job=j.id.clone()>
                        <h1 class="ds-job__title">{services}</h1>
                        <StatusChip status=j.status />
                        <dl class="ds-fields">
                            <dt>{s.time}</dt><dd>{time}</dd>
                            <dt>{s.customer}</dt><dd>{j.customer_name.clone()}</dd>
                            <dt>{s.district}</dt><dd>{j.district.clone()}</dd>
                            <dt>{s.address}</dt>
                            <dd class="ds-address">{j.address_detail.clone().unwrap_or_else(|| s.address_hidden.to_owned())}</dd>
                            {j.phone.clone().map(|p| view! {
                                <dt>{s.contact}</dt>
                                <dd><a class="ds-tel" href=format!("tel:{p}")>{p.clone()}</a></dd>
                            })}
                            <dt>{s.crew}</dt>
                            <dd>{j.crew.iter().map(|m| {
                                let lead = if m.leader { format!("（{}）", s.leader) } else { String::new() };
                                format!("{} {}{}", m.name, m.badge, lead)
                            }).collect::<Vec<_>>().join("，")}</dd>
                            {(!j.special_requests.is_empty()).then(|| view! { <dt>{s.special_requests}</dt><dd class="ds-user-text">{j.special_requests.clone()}</dd> })}
                            {(!j.notes.is_empty()).then(|| view! { <dt>{s.notes}</dt><dd class="ds-user-text">{j.notes.clone()}</dd> })}
                        </dl>
                        {j.confirmation.as_ref().map(|c| {
                            let note = if c.note.is_empty() { String::new() } else { format!(" · {}", c.note) };
                            view! {
                                <p class="ds-confirmed" data-confirmed="true">
                                    {format!("✓ {} {} · {}{note}", s.confirmed, md_hm(c.at), c.by)}
                                </p>
                            }
                        })}
                        <div class="ds-actions">
                            {(!confirmed).then(|| view! {
                                <label class="ds-field">
                                    <span>{s.confirm_note}</span>
                                    <input type="text" maxlength="500" prop:value=note on:input=move |ev| set_note.set(event_target_value(&ev)) />
                                </label>
                            })}
                            <button
                                class="ds-button ds-button--primary"
                                disabled=move || confirmed || saving.get()
                                on:click=move |_| confirm.run(note.get_untracked())
                            >
                                {if confirmed { s.confirmed } else { s.confirm_job }}
                            </button>
                            {move || save_error.get().map(|e| view! { <ErrorNote error=e /> }).into_any()}
                        </div>
                    </article>
                }
                    .into_any()
            }
            other => not_loaded(other.and_then(Result::err)),
        }}
    }
}
