//! The device's short error log (localStorage `doorstep.errors`), written by the crash
//! handler in `public/boot.js` and by the panic hook: what went wrong, when, newest last.

use gloo_storage::{LocalStorage, Storage};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub const LOG_KEY: &str = "doorstep.errors";
/// The log keeps this many entries.
pub const LOG_MAX: usize = 20;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LoggedError {
    /// ISO time (UTC) as the browser wrote it.
    pub at: String,
    pub message: String,
}

#[derive(Clone, Copy)]
pub struct UseErrorLogReturn {
    pub entries: ReadSignal<Vec<LoggedError>>,
    pub clear: Callback<()>,
}

pub fn use_error_log() -> UseErrorLogReturn {
    let (entries, set_entries) = signal(read());
    let clear = Callback::new(move |()| {
        LocalStorage::delete(LOG_KEY);
        set_entries.set(Vec::new());
    });
    UseErrorLogReturn { entries, clear }
}

fn read() -> Vec<LoggedError> {
    LocalStorage::get(LOG_KEY).unwrap_or_default()
}

/// Appends to the log (the panic hook; must not panic itself).
pub fn append(message: String) {
    let mut log = read();
    log.push(LoggedError { at: String::from(js_sys::Date::new_0().to_iso_string()), message });
    let excess = log.len().saturating_sub(LOG_MAX);
    log.drain(..excess);
    let _ = LocalStorage::set(LOG_KEY, &log);
}
