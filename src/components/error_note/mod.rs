//! An error in plain words, announced to screen readers.

use crate::context::use_lang;
use crate::error::AppError;
use crate::i18n::tr;
use leptos::prelude::*;

#[component]
pub fn ErrorNote(error: AppError) -> impl IntoView {
    let lang = use_lang();
    view! { <p class="ds-error" role="alert">{move || error.message(lang.get())}</p> }
}

/// What a page shows until its data is there: "loading…" (marked busy), or the error that
/// stopped it.
pub fn not_loaded(error: Option<AppError>) -> AnyView {
    match error {
        None | Some(AppError::Opening) => {
            view! { <p class="ds-empty" aria-busy="true">{tr(|s| s.loading)}</p> }.into_any()
        }
        Some(error) => view! { <ErrorNote error /> }.into_any(),
    }
}
