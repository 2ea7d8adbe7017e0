//! Settings: language, whose data the device holds (demo), storage status, error log.

use crate::context::{use_lang, DEFAULT_WORKER};
use crate::hooks::{use_device, use_error_log, use_persisted, use_pin_of, use_title};
use crate::i18n::accept::supervisor_pin_strings;
use crate::i18n::{tr, use_t};
use doorstep_core::config::AcceptanceStep;
use doorstep_core::model::WorkerId;
use doorstep_core::Lang;
use leptos::prelude::*;

lazy_screen! {
    /// Settings: a lazy route (see `lazy_screen!`).
    SettingsRoute => Settings
}

#[component]
pub fn Settings() -> impl IntoView {
    let t = use_t();
    let lang = use_lang();
    let device = use_device();
    let persisted = use_persisted();
    let log = use_error_log();
    use_title(move || t.get().settings.to_owned());
    // The worker picked in the list, and the replacement waiting for a yes.
    let picked = RwSignal::new(None::<WorkerId>);
    let pending = RwSignal::new(None::<WorkerId>);
    let chosen = move || picked.get().or_else(|| device.worker.get());
    view! {
        <header class="ds-page-head"><h1>{tr(|s| s.settings)}</h1></header>
        <section class="ds-card">
            <h2>{tr(|s| s.language)}</h2>
            <div class="ds-segmented" role="group">
                <button class="ds-button" aria-pressed=pressed(lang, Lang::Zh) on:click=move |_| lang.set(Lang::Zh)>"中文"</button>
                <button class="ds-button" aria-pressed=pressed(lang, Lang::En) on:click=move |_| lang.set(Lang::En)>"English"</button>
            </div>
        </section>
        <section class="ds-card">
            <h2>{tr(|s| s.current_worker)}</h2>
            <p class="ds-sub" data-device-worker=move || device.worker.get().map(|w| w.0).unwrap_or_default()>
                {move || format!("{} {}", t.get().device_holds, device.worker.get().map(|w| w.0).unwrap_or_default())}
            </p>
            <div class="ds-row">
                <select class="ds-select" aria-label=tr(|s| s.current_worker) on:change=move |ev| picked.set(Some(WorkerId::new(event_target_value(&ev))))>
                    {device.workers.get_value().into_iter().map(|(badge, name)| {
                        let b = badge.0.clone();
                        view! { <option value=b.clone() selected=move || chosen().is_some_and(|c| c.0 == b)>{format!("{name} {}", badge.0)}</option> }
                    }).collect_view()}
                </select>
                <button class="ds-button" data-action="switch" disabled=move || device.busy.get() on:click=move |_| pending.set(chosen())>{tr(|s| s.switch_worker)}</button>
            </div>
            <button class="ds-button" data-action="reset" disabled=move || device.busy.get() on:click=move |_| {
                // A database that failed to open has no worker: reset still works, to the demo's first.
                pending.set(Some(device.worker.get().or_else(chosen).unwrap_or_else(|| WorkerId::new(DEFAULT_WORKER))))
            }>{tr(|s| s.reset_demo)}</button>
            <Show when=move || pending.get().is_some()>
                <div class="ds-confirm" role="alertdialog" aria-label=tr(|s| s.reset_demo)>
                    <p>{tr(|s| s.switch_warning)}</p>
                    <div class="ds-row">
                        <button class="ds-button ds-button--danger" data-action="confirm" on:click=move |_| {
                            if let Some(w) = pending.get_untracked() {
                                device.replace.run(w);
                            }
                            pending.set(None);
                        }>{tr(|s| s.confirm_clear)}</button>
                        <button class="ds-button" data-action="cancel" on:click=move |_| pending.set(None)>{tr(|s| s.cancel)}</button>
                    </div>
                </div>
            </Show>
            <p role="status" data-outcome="">
                {move || device.outcome.get().map(|r| match r {
                    Ok(w) => format!("{} {}", t.get().switched, w),
                    Err(e) => e.message(lang.get()),
                })}
            </p>
        </section>
        <PinSection />
        <SupervisorPins />
        <section class="ds-card">
            <h2>{tr(|s| s.storage)}</h2>
            <p data-persisted=move || format!("{:?}", persisted.get().flatten())>
                {move || if persisted.get().flatten() == Some(true) { t.get().storage_persisted } else { t.get().storage_not_persisted }}
            </p>
        </section>
        <section class="ds-card">
            <h2>{tr(|s| s.error_log)}</h2>
            {move || {
                let entries = log.entries.get();
                let count = entries.len();
                if entries.is_empty() {
                    view! { <p class="ds-sub" data-errors="0">{t.get().no_errors}</p> }.into_any()
                } else {
                    view! {
                        <ol class="ds-log" data-errors=count>
                            {entries.into_iter().rev().map(|e| view! { <li class="ds-log__item"><span class="ds-sub">{e.at}</span><span class="ds-user-text">{e.message}</span></li> }).collect_view()}
                        </ol>
                        <button class="ds-button" on:click=move |_| log.clear.run(())>{t.get().clear_log}</button>
                    }.into_any()
                }
            }}
        </section>
    }
}

/// `aria-pressed` of a language button.
/// The device PIN (leaves customer mode; never kept in plain). The entries live outside
/// the reactive part and are cleared once saved.
#[component]
fn PinSection(
    /// Whose PIN: a supervisor's (`pin:<id>`), else the worker's.
    #[prop(optional)]
    owner: Option<WorkerId>,
    /// The section's title, else "device PIN".
    #[prop(optional)]
    title: Option<String>,
) -> impl IntoView {
    let t = use_t();
    let lang = use_lang();
    let data_owner = owner.as_ref().map(|o| o.0.clone()).unwrap_or_default();
    let pin = use_pin_of(owner);
    let (first, set_first) = signal(String::new());
    let (again, set_again) = signal(String::new());
    Effect::new(move |_| {
        if matches!(pin.outcome.get(), Some(Ok(()))) {
            set_first.set(String::new());
            set_again.set(String::new());
        }
    });
    view! {
        <section class="ds-card" data-pin=data_owner>
            <h2>{match title { Some(t) => t.into_any(), None => tr(|s| s.pin_title).into_any() }}</h2>
            <p class="ds-sub" data-pin-set=move || format!("{:?}", pin.is_set.get().and_then(Result::ok))>
                {move || match pin.is_set.get().and_then(Result::ok) {
                    Some(true) => t.get().pin_is_set,
                    Some(false) => t.get().pin_not_set,
                    None => t.get().loading,
                }}
            </p>
            <label class="ds-field">
                <span>{tr(|s| s.pin_new)}</span>
                <input type="password" inputmode="numeric" autocomplete="off" maxlength="6" data-pin-input="1"
                    prop:value=first on:input=move |ev| set_first.set(event_target_value(&ev)) />
            </label>
            <label class="ds-field">
                <span>{tr(|s| s.pin_again)}</span>
                <input type="password" inputmode="numeric" autocomplete="off" maxlength="6" data-pin-input="2"
                    prop:value=again on:input=move |ev| set_again.set(event_target_value(&ev)) />
            </label>
            <button class="ds-button ds-button--primary" data-action="set-pin"
                disabled=move || pin.saving.get()
                on:click=move |_| pin.set.run((first.get_untracked(), again.get_untracked()))>
                {tr(|s| s.pin_save)}
            </button>
            <p class="ds-sub" role="status" data-pin-outcome=move || match pin.outcome.get() { Some(Ok(())) => "ok", Some(Err(_)) => "error", None => "" }>
                {move || match pin.outcome.get() {
                    Some(Ok(())) => t.get().pin_saved.to_owned(),
                    Some(Err(e)) => e.message(lang.get()),
                    None => String::new(),
                }}
            </p>
        </section>
    }
}

/// The supervisors' own PINs on this phone: they sign acceptance on it with them.
#[component]
fn SupervisorPins() -> impl IntoView {
    let lang = use_lang();
    let l = lang.get_untracked();
    let (title, lead) = supervisor_pin_strings(l);
    view! {
        <section class="ds-card" data-supervisor-pins>
            <h2>{title}</h2>
            <p class="ds-sub">{lead}</p>
        </section>
        {[AcceptanceStep::TeamSupervisor, AcceptanceStep::OfficeSupervisor].into_iter().map(|step| {
            let owner = match step {
                AcceptanceStep::TeamSupervisor => "team_supervisor",
                _ => "office_supervisor",
            };
            view! { <PinSection owner=WorkerId::new(owner) title=format!("{} · {title}", step.label(l)) /> }
        }).collect_view()}
    }
}

fn pressed(lang: RwSignal<Lang>, this: Lang) -> Signal<&'static str> {
    Signal::derive(move || if lang.get() == this { "true" } else { "false" })
}
