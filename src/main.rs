//! Mounts the app. Everything else lives in the library (`lib.rs`) so tests can mount it.

fn main() {
    // A panic logs its message and place to the console, then aborts (`panic = "abort"`).
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(doorstep::App);
}
