//! Mounts the app. Everything else lives in the library (`lib.rs`) so tests can mount it.

fn main() {
    doorstep::install_panic_hook();
    leptos::mount::mount_to_body(doorstep::App);
}
