//! `Later`: its children render one task after the view around them, so the task that
//! mounts the first screen (and that every tap or database answer waits behind) holds only
//! what that screen shows first. For chrome placed out of the flow (a fixed bar), where
//! coming a frame later moves nothing.

use leptos::prelude::*;
use std::time::Duration;

#[component]
pub fn Later(children: ChildrenFn) -> impl IntoView {
    let ready = RwSignal::new(false);
    set_timeout(move || ready.set(true), Duration::ZERO);
    move || ready.get().then(|| children())
}
