//! The document title follows the page (history, task switcher, screen readers).

use leptos::prelude::*;

pub fn use_title(title: impl Fn() -> String + 'static) {
    Effect::new(move |_| document().set_title(&format!("{} · 上门通", title())));
}
