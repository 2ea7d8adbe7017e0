//! Whether the browser promised to keep this app's data (`navigator.storage.persisted()`).

use crate::data;
use leptos::prelude::*;

/// `None` while asking, then `Some(None)` when the browser does not say.
pub fn use_persisted() -> LocalResource<Option<bool>> {
    LocalResource::new(data::persisted)
}
