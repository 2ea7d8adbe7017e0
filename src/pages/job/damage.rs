//! Damage and incident reports (procedure step 6: anything damaged is compensated at its
//! price): the form on the job's log — what happened, the estimated value, photos from the
//! camera — and a report's photos wherever it is shown (the log, customer mode). The photos
//! are scaled and stored by the hooks; a refused photo or a failed save shows a message and
//! keeps everything typed and picked.

use crate::components::ErrorNote;
use crate::hooks::{use_damage, use_step_photo, PhotoProblem};
use crate::i18n::damage::{use_dt, DamageStrings};
use doorstep_core::model::Money;
use doorstep_core::step::{DamageReport, MAX_PHOTOS};
use leptos::prelude::*;

fn problem_text(p: PhotoProblem, s: &DamageStrings) -> &'static str {
    match p {
        PhotoProblem::NotAnImage => s.not_an_image,
        PhotoProblem::TooLarge => s.too_large,
        PhotoProblem::Unreadable => s.unreadable,
        PhotoProblem::TooMany => s.too_many,
    }
}

/// The form recording a damage report on `job`.
#[component]
pub fn DamageForm(job: Signal<String>) -> impl IntoView {
    let d = use_dt();
    let hook = use_damage(job);
    let (description, set_description) = signal(String::new());
    let (value, set_value) = signal(String::new());
    let (bad_value, set_bad_value) = signal(false);
    // A saved report clears the form.
    Effect::new(move |prev: Option<u32>| {
        let n = hook.saved.get();
        if prev.is_some_and(|p| p != n) {
            set_description.set(String::new());
            set_value.set(String::new());
        }
        n
    });
    let save = move |_| {
        let v = value.get_untracked();
        let money = if v.trim().is_empty() {
            Some(Money::ZERO)
        } else {
            Money::parse_yuan(v.trim())
        };
        set_bad_value.set(money.is_none());
        if let Some(m) = money {
            hook.save.run((description.get_untracked(), m));
        }
    };
    view! {
        <section class="ds-damage" data-damage-form>
            <h2>{move || d.get().title}</h2>
            <p class="ds-sub">{move || d.get().intro}</p>
            <label class="ds-field"><span>{move || d.get().description}</span>
                <textarea rows="3" data-damage-description prop:value=description
                    on:input=move |ev| set_description.set(event_target_value(&ev))></textarea></label>
            <label class="ds-field"><span>{move || d.get().value}</span>
                <input inputmode="decimal" data-damage-value prop:value=value
                    on:input=move |ev| set_value.set(event_target_value(&ev)) /></label>
            <Show when=move || bad_value.get()><p class="ds-error" role="alert">{move || d.get().bad_value}</p></Show>
            <ul class="ds-damage__photos" data-damage-picked>
                {move || hook.photos.get().into_iter().enumerate().map(|(i, p)| view! {
                    <li class="ds-damage__photo">
                        <img class="ds-damage__thumb" src=p.url alt=move || d.get().photo_alt />
                        <button class="ds-button" data-action="remove-photo" on:click=move |_| hook.remove.run(i)>{move || d.get().remove_photo}</button>
                    </li>
                }).collect_view()}
            </ul>
            <Show when=move || { hook.photos.get().len() < MAX_PHOTOS }>
                <label class="ds-button ds-damage__add">
                    <span>{move || d.get().add_photo}</span>
                    <input class="ds-damage__file" type="file" accept="image/*" capture="environment" data-damage-photo
                        on:change=move |ev| hook.pick.run(ev) />
                </label>
            </Show>
            {move || hook.problem.get().map(|p| view! {
                <p class="ds-error" role="alert" data-photo-problem>{move || problem_text(p, d.get())}</p>
            })}
            <button class="ds-button ds-button--primary" data-action="save-damage"
                disabled=move || hook.saving.get() || hook.busy.get() on:click=save>
                {move || if hook.saving.get() { d.get().saving } else { d.get().save }}
            </button>
            <Show when=move || { hook.saved.get() > 0 && hook.save_error.get().is_none() }>
                <p class="ds-sub" role="status" data-damage-saved>{move || d.get().saved}</p>
            </Show>
            {move || hook.save_error.get().map(|e| view! { <ErrorNote error=e /> })}
        </section>
    }
}

/// A stored photo of a step, from its bytes.
#[component]
fn StepPhoto(step_id: String, name: String) -> impl IntoView {
    let d = use_dt();
    let url = use_step_photo(step_id, name.clone());
    view! {
        {move || url.get().map(|u| view! {
            <img class="ds-damage__thumb" src=u alt=move || d.get().photo_alt data-photo=name.clone() />
        })}
    }
}

/// A damage report as shown in a record: what happened, the value, the photos.
#[component]
pub fn DamageShown(step_id: String, report: DamageReport) -> impl IntoView {
    let value = (report.value != Money::ZERO).then(|| report.value.to_string());
    view! {
        <div class="ds-damage__shown" data-damage=step_id.clone()>
            <span class="ds-user-text">{report.description}</span>
            {value.map(|v| view! { <span class="ds-sub">{v}</span> })}
            <div class="ds-damage__photos">
                {report.photos.into_iter().map(|name| view! { <StepPhoto step_id=step_id.clone() name /> }).collect_view()}
            </div>
        </div>
    }
}

/// The heading of damage reports in a record.
pub fn damage_step_label() -> Signal<&'static str> {
    let d = use_dt();
    Signal::derive(move || d.get().step)
}

/// The heading of the damage section the customer sees.
pub fn damage_customer_title() -> Signal<&'static str> {
    let d = use_dt();
    Signal::derive(move || d.get().customer_title)
}
