//! Settings: language, current worker, storage status, demo data.

use crate::context::{use_db, use_lang, use_worker, DbState};
use crate::hooks::{use_persisted, use_workers};
use crate::i18n::{tr, use_t};
use doorstep_core::model::WorkerId;
use doorstep_core::Lang;
use leptos::prelude::*;
use leptos_router::{lazy_route, LazyRoute};

/// Settings as a lazy route: its view and what only it uses are a wasm chunk of their own,
/// fetched on the first visit (`cargo xtask dist` splits the wasm at this point).
pub struct SettingsRoute;

#[lazy_route]
impl LazyRoute for SettingsRoute {
    fn data() -> Self {
        SettingsRoute
    }

    fn view(this: Self) -> AnyView {
        let SettingsRoute = this;
        view! { <Settings /> }.into_any()
    }
}

#[component]
fn Settings() -> impl IntoView {
    let t = use_t();
    let lang = use_lang();
    let worker = use_worker();
    let workers = use_workers();
    let persisted = use_persisted();
    let db = use_db();
    let (reset_msg, set_reset_msg) = signal(String::new());
    let reset = move |_| {
        db.set(DbState::Opening);
        leptos::task::spawn_local(async move {
            let r = crate::data::reset_demo().await;
            db.set(match &r {
                Ok(()) => DbState::Ready(0),
                Err(e) => DbState::Failed(e.clone()),
            });
            set_reset_msg.set(match r {
                Ok(()) => t.get_untracked().reset_done.to_owned(),
                Err(e) => e.message(lang.get_untracked()),
            });
        });
    };
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
            <select class="ds-select" aria-label=tr(|s| s.current_worker) on:change=move |ev| worker.set(WorkerId::new(event_target_value(&ev)))>
                {move || workers.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|w| {
                    let badge = w.badge.0.clone();
                    let selected = worker.get().0 == badge;
                    view! { <option value=badge.clone() selected=selected>{format!("{} {}", w.name, badge)}</option> }
                }).collect_view().into_any()}
            </select>
        </section>
        <section class="ds-card">
            <h2>{tr(|s| s.storage)}</h2>
            <p data-persisted=Signal::derive(move || match persisted.get().and_then(Result::ok).flatten() {
                Some(true) => "Some(true)",
                Some(false) => "Some(false)",
                None => "None",
            })>{Signal::derive(move || match persisted.get().and_then(Result::ok).flatten() {
                Some(true) => t.get().storage_persisted,
                _ => t.get().storage_not_persisted,
            })}</p>
            <button class="ds-button" on:click=reset>{tr(|s| s.reset_demo)}</button>
            <p role="status">{Signal::<String>::from(reset_msg)}</p>
        </section>
    }
}

/// `aria-pressed` of a language button.
fn pressed(lang: RwSignal<Lang>, this: Lang) -> Signal<&'static str> {
    Signal::derive(move || if lang.get() == this { "true" } else { "false" })
}
