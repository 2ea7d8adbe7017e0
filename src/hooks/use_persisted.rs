//! Whether the browser promised to keep this app's data (`navigator.storage.persisted()`).

use crate::data;
use leptos::prelude::*;

pub fn use_persisted() -> Signal<Option<bool>> {
    let res = LocalResource::new(|| data::persisted());
    Signal::derive(move || res.get().flatten())
}
