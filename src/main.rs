//! Mounts the app. Everything else lives in the library (`lib.rs`) so tests can mount it.

fn main() {
    leptos::mount::mount_to_body(doorstep::App);
    // The HTML's loading line (index.html), replaced in the same task by the app's own page.
    if let Some(splash) = leptos::prelude::document().get_element_by_id("ds-splash") {
        splash.remove();
    }
}
