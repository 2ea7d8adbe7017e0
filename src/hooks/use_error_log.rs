//! The device's short error log (localStorage `doorstep.errors`), written by the crash
//! handler in `public/boot.js` (a panic ends in a wasm trap it catches): what went wrong,
//! when, newest last.

use gloo_storage::{LocalStorage, Storage};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub const LOG_KEY: &str = "doorstep.errors";

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
