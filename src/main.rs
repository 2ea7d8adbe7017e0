//! Mounts the app. Everything else lives in the library (`lib.rs`) so tests can mount it.

fn main() {
    // Release builds abort on panic without calling any hook (`-Cpanic=immediate-abort`).
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(doorstep::App);
}
