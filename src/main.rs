//! Mounts the app. Everything else lives in the library (`lib.rs`) so tests can mount it.

fn main() {
    leptos::mount::mount_to_body(doorstep::App);
}
