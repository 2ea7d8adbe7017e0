//! `Later`: its children render one task after the view around them, so no single task
//! mounts the whole first screen (every tap or database answer waits behind the one that
//! runs). Used for the page under the app's frame, and for chrome placed out of the flow (a
//! fixed bar), where coming a task later moves nothing.

use leptos::prelude::*;
use std::time::Duration;

#[component]
pub fn Later(children: ChildrenFn) -> impl IntoView {
    let ready = RwSignal::new(false);
    set_timeout(move || ready.set(true), Duration::ZERO);
    move || ready.get().then(|| children())
}
