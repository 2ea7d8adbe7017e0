//! Settings: language, the sync account (login, status, sync now, logout), whose data the
//! device holds (demo, while not logged in), storage status, error log.

use crate::context::{use_lang, DEFAULT_WORKER};
use crate::data::Account;
use crate::hooks::{
    use_conflicts, use_device, use_error_log, use_persisted, use_pin_of, use_sync, use_title,
};
use crate::i18n::accept::supervisor_pin_strings;
use crate::i18n::{failure_text, hm, problem_text, sync_strings, tr, use_t};
use doorstep_core::config::AcceptanceStep;
use doorstep_core::model::WorkerId;
use doorstep_core::Lang;
use leptos::prelude::*;

lazy_screen! {
    /// Settings: a lazy route (see `lazy_screen!`).
    settings: SettingsRoute => Settings via settings_view, preload_settings_view
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
        <SyncSection />
        // The demo's worker switch: only while the device is not logged in (switching would
        // clear a logged-in worker's data).
        <Show when=move || !matches!(device.account.get(), Some(Account::SignedIn { .. }))>
        <section class="ds-card" data-demo>
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
        </Show>
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

/// The sync account: login (name and password, sent once to the server's `_session`),
/// who is logged in, the status, "sync now" and logout. The password entry is cleared
/// once sent.
#[component]
fn SyncSection() -> impl IntoView {
    let lang = use_lang();
    let sync = use_sync();
    let conflicts = use_conflicts();
    let st = move || sync_strings(lang.get());
    let (name, set_name) = signal(String::new());
    let (password, set_password) = signal(String::new());
    let signed_in = move || match sync.account.get() {
        Some(Account::SignedIn { name, .. }) => Some(name),
        _ => None,
    };
    let show_login = move || {
        signed_in().is_none()
            || matches!(
                sync.status.get().problem,
                Some(crate::sync::SyncProblem::LoggedOut)
            )
    };
    let submit = move || {
        let pw = password.get_untracked();
        set_password.set(String::new());
        let who = signed_in().unwrap_or_else(|| name.get_untracked());
        sync.login.run((who, pw));
    };
    view! {
        <section class="ds-card" data-sync data-sync-user=move || signed_in().unwrap_or_default()>
            <h2>{move || st().title}</h2>
            {move || match signed_in() {
                Some(n) => view! { <p data-sync-who>{format!("{}{n}", st().logged_in_as)}</p> }.into_any(),
                None => view! { <p class="ds-sub">{st().intro}</p> }.into_any(),
            }}
            <Show when=show_login>
                <Show when=move || signed_in().is_none()>
                    <label class="ds-field">
                        <span>{move || st().name}</span>
                        <input type="text" autocomplete="username" autocapitalize="characters" data-sync-name
                            prop:value=name on:input=move |ev| set_name.set(event_target_value(&ev)) />
                    </label>
                </Show>
                <label class="ds-field">
                    <span>{move || st().password}</span>
                    <input type="password" autocomplete="current-password" data-sync-password
                        prop:value=password on:input=move |ev| set_password.set(event_target_value(&ev))
                        on:keydown=move |ev| if ev.key() == "Enter" { submit() } />
                </label>
                <Show when=move || signed_in().is_none()>
                    <p class="ds-sub">{move || st().replaces_demo}</p>
                </Show>
                <button class="ds-button ds-button--primary" data-action="login" disabled=move || sync.busy.get()
                    on:click=move |_| submit()>
                    {move || if sync.busy.get() { st().logging_in } else { st().login }}
                </button>
            </Show>
            <Show when=move || signed_in().is_some()>
                {move || {
                    let s = sync.status.get();
                    let t = st();
                    let pending = sync.pending.get().and_then(Result::ok).flatten().or(s.pending);
                    view! {
                        <p data-sync-running=s.running.to_string()>{if s.running { t.running } else { t.idle }}</p>
                        {s.first.map(|(n, m)| view! {
                            <p data-sync-first=format!("{n}/{m}")>{format!("{}{n}{}{m}{}", t.first[0], t.first[1], t.first[2])}</p>
                        })}
                        <p data-sync-last=s.last_sync.map(hm).unwrap_or_default()>{format!("{}{}", t.last_sync, s.last_sync.map(hm).unwrap_or_else(|| t.never.to_owned()))}</p>
                        <p data-sync-pending=pending.map(|n| n.to_string()).unwrap_or_default()>
                            {match pending {
                                Some(0) => t.all_synced.to_owned(),
                                Some(n) => format!("{}{n}", t.pending),
                                None => String::new(),
                            }}
                        </p>
                        {(!s.refused.is_empty()).then(|| view! {
                            <div data-sync-refused=s.refused.len()>
                                <p>{t.refused}</p>
                                <ul class="ds-log">
                                    {s.refused.iter().map(|r| view! {
                                        <li class="ds-log__item"><span class="ds-user-text">{format!("{} — {}", r.id, if r.reason.is_empty() { &r.error } else { &r.reason })}</span></li>
                                    }).collect_view()}
                                </ul>
                            </div>
                        })}
                        {move || match conflicts.get() {
                            Some(Ok(ids)) if !ids.is_empty() => {
                                let n = ids.len();
                                view! {
                                <div data-sync-conflicts=n>
                                    <p>{st().conflicts}</p>
                                    <ul class="ds-log">
                                        {ids.into_iter().map(|id| view! {
                                            <li class="ds-log__item"><span class="ds-user-text" data-conflict-id=id.clone()>{id.clone()}</span></li>
                                        }).collect_view()}
                                    </ul>
                                </div>
                            }.into_any()
                            }
                            _ => ().into_any(),
                        }}
                        <p class="ds-gate" role="status" data-sync-problem=s.problem.as_ref().map(|p| p.kind()).unwrap_or_default()>
                            {s.problem.as_ref().map(|p| problem_text(p, lang.get()))}
                        </p>
                    }
                }}
                <div class="ds-row">
                    <button class="ds-button ds-button--primary" data-action="sync-now" disabled=move || sync.status.get().running
                        on:click=move |_| sync.sync_now.run(())>{move || st().sync_now}</button>
                    <button class="ds-button" data-action="logout" disabled=move || sync.busy.get()
                        on:click=move |_| sync.logout.run(())>{move || st().logout}</button>
                </div>
            </Show>
            <p class="ds-sub" role="status" data-sync-outcome=move || match sync.outcome.get() { Some(Ok(true)) => "in", Some(Ok(false)) => "out", Some(Err(_)) => "error", None => "" }>
                {move || match sync.outcome.get() {
                    Some(Ok(true)) => st().logged_in.to_owned(),
                    Some(Ok(false)) => st().logged_out.to_owned(),
                    Some(Err(e)) => failure_text(&e, lang.get()),
                    None => String::new(),
                }}
            </p>
        </section>
    }
}

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

/// `aria-pressed` of a language button.
fn pressed(lang: RwSignal<Lang>, this: Lang) -> Signal<&'static str> {
    Signal::derive(move || if lang.get() == this { "true" } else { "false" })
}
