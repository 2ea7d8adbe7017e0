//! The records of a job on this device: every step recorded, oldest first, a damaged one
//! shown in its place.

use super::damage::{damage_step_label, DamageForm, DamageShown};
use super::use_job_ctx;
use crate::components::not_loaded;
use crate::context::use_lang;
use crate::data::{self, Entry};
use crate::i18n::{md_hm, use_t, Strings};
use doorstep_core::acceptance::Action;
use doorstep_core::flow::Milestone;
use doorstep_core::step::StepKind;
use leptos::prelude::*;

/// An item's name in any of the kits.
fn kit_name(code: &str, lang: doorstep_core::Lang) -> String {
    data::templates()
        .kits
        .iter()
        .find_map(|k| k.item(code))
        .map_or_else(|| code.to_owned(), |i| i.name.get(lang).to_owned())
}

/// What a step was, and its details, as one line of a job's records (the worker's log and
/// the office's board show steps alike).
pub fn step_line(
    step: &StepKind,
    s: &Strings,
    l: doorstep_core::Lang,
    damage_label: &'static str,
) -> (&'static str, String) {
    match step {
        StepKind::DayBeforeCall { note } => (s.step_day_before_call, note.clone()),
        StepKind::Tick { item, done } => (
            if *done { s.step_tick } else { s.step_untick },
            data::templates()
                .checklists
                .item(item)
                .map_or_else(|| item.clone(), |i| i.label.get(l).to_owned()),
        ),
        StepKind::KitOut { lines } => (
            s.kit_out_title,
            lines
                .iter()
                .map(|k| format!("{} ×{}", kit_name(&k.item, l), k.count))
                .collect::<Vec<_>>()
                .join("，"),
        ),
        StepKind::KitIn { lines } => (
            s.kit_in_title,
            lines
                .iter()
                .map(|k| format!("{} {}/{}", kit_name(&k.item, l), k.good, k.damaged))
                .collect::<Vec<_>>()
                .join("，"),
        ),
        StepKind::Charge { charge } => (
            s.charge_title,
            match &charge.deviation {
                None => charge.charged.to_string(),
                Some(d) => format!(
                    "{} ({} {}) · {} · {}",
                    charge.charged, s.charge_total, charge.computed, d.reason, d.approver
                ),
            },
        ),
        StepKind::Accept { action } => match action {
            Action::Pass(v) | Action::Fail(v) => (
                v.step.label(l),
                format!(
                    "{} {}{}",
                    if matches!(action, Action::Pass(_)) {
                        "✓"
                    } else {
                        "✗"
                    },
                    v.actor.id,
                    if v.failed_items.is_empty() {
                        String::new()
                    } else {
                        format!(" · {}", v.failed_items.join("、"))
                    }
                ),
            ),
            Action::ReworkDone { items, .. } => (
                if l == doorstep_core::Lang::Zh {
                    "返工完成"
                } else {
                    "Rework done"
                },
                items.join("、"),
            ),
        },
        StepKind::Damage(_) => (damage_label, String::new()),
        StepKind::Milestone(m) => (
            match m {
                Milestone::Depart => s.step_depart,
                Milestone::StartWork => s.step_start_work,
                Milestone::FinishWork => s.step_finish_work,
            },
            String::new(),
        ),
    }
}

#[component]
pub fn JobLog() -> impl IntoView {
    let t = use_t();
    let lang = use_lang();
    let job = use_job_ctx().job;
    let damage_label = damage_step_label();
    let job_id = Signal::derive(move || {
        job.get()
            .and_then(Result::ok)
            .map(|j| j.order.view.job.0)
            .unwrap_or_default()
    });
    view! {
        <DamageForm job=job_id />
        {move || match job.get() {
            Some(Ok(j)) if j.steps.is_empty() => view! { <p class="ds-empty">{t.get().no_records}</p> }.into_any(),
            Some(Ok(j)) => {
                let s = t.get();
                view! {
                    <ol class="ds-log">
                        {j.steps.into_iter().map(|e| match e {
                            Entry::Ok { id, value } if matches!(value.step, StepKind::Damage(_)) => {
                                let StepKind::Damage(report) = value.step else { return ().into_any() };
                                let step_id = id.clone();
                                view! {
                                    <li class="ds-log__item" data-step=id.clone() data-kind="damage">
                                        <span class="ds-log__what">{move || damage_label.get()}</span>
                                        <span class="ds-sub">{format!("{} · {}", md_hm(value.at), value.by)}</span>
                                        <DamageShown step_id=step_id report />
                                    </li>
                                }.into_any()
                            }
                            Entry::Ok { id, value } => {
                                let (what, text) = step_line(&value.step, s, lang.get(), damage_label.get());
                                view! {
                                    <li class="ds-log__item" data-step=id>
                                        <span class="ds-log__what">{what}</span>
                                        <span class="ds-sub">{format!("{} · {}", md_hm(value.at), value.by)}</span>
                                        {(!text.is_empty()).then(|| view! { <span class="ds-user-text">{text}</span> })}
                                    </li>
                                }.into_any()
                            }
                            Entry::Damaged { id, reason } => view! {
                                <li class="ds-log__item ds-error" role="alert" data-damaged=id title=reason>{s.damaged_record}</li>
                            }.into_any(),
                        }).collect_view()}
                    </ol>
                }.into_any()
            }
            Some(Err(e)) => not_loaded(Some(e)),
            None => not_loaded(None),
        }}
    }
}
