//! Mounts the app. Everything else lives in the library (`lib.rs`) so tests can mount it.

fn main() {
    // The mount in a task of its own: the task that instantiates the module (the end of its
    // compile, its instantiation) does not also build the first screen, so neither keeps a
    // tap waiting long.
    leptos::prelude::set_timeout(
        || {
            leptos::mount::mount_to_body(doorstep::App);
            // The HTML's loading line (index.html), replaced in the same task by the app's
            // own page.
            if let Some(splash) = leptos::prelude::document().get_element_by_id("ds-splash") {
                splash.remove();
            }
        },
        std::time::Duration::ZERO,
    );
}
