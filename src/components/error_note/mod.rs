//! An error in plain words, announced to screen readers.

use crate::context::use_lang;
use crate::error::AppError;
use leptos::prelude::*;

#[component]
pub fn ErrorNote(error: AppError) -> impl IntoView {
    let lang = use_lang();
    view! { <p class="ds-error" role="alert">{Signal::derive(move || error.message(lang.get()))}</p> }
}
