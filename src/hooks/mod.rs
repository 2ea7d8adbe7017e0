//! Hooks: the only way pages reach data or browser APIs. Each returns signals or a
//! resource (leptos-use style); errors come back as values.

mod use_accept;
mod use_conflicts;
mod use_customer_mode;
mod use_device;
mod use_error_log;
mod use_job;
mod use_later_styles;
mod use_office;
mod use_online;
mod use_persisted;
mod use_photos;
mod use_pin;
mod use_resume;
mod use_sw_update;
mod use_sync;
mod use_title;
mod use_today;

pub use use_accept::{use_accept, use_pin_check, OpenedRecord, UseAcceptReturn, UsePinCheckReturn};
pub use use_conflicts::use_conflicts;
pub use use_customer_mode::{
    clear_draft, customer_job, enter_customer_mode, leave_customer_mode, load_draft, save_draft,
    use_screen_lock, CustomerDraft,
};
pub use use_device::{use_device, UseDeviceReturn};
pub use use_error_log::{use_error_log, UseErrorLogReturn};
pub use use_job::{use_job, JobData, UseJobReturn};
pub use use_later_styles::request_later_styles;
pub use use_office::{
    use_office, Board, BoardJob, OfficeAccount, OfficeDone, OfficeSync, UseOfficeReturn, NOTE_MAX,
};
pub use use_online::use_online;
pub use use_persisted::use_persisted;
pub use use_photos::{
    scale_photo, scaled_size, use_damage, use_step_photo, PhotoProblem, UseDamageReturn,
};
pub use use_pin::{use_pin, use_pin_of, UsePinReturn};
pub use use_resume::{forget_step, remember_step, resume_before_routing, take_resumed};
pub use use_sw_update::{screen_shown, use_sw_update, UseSwUpdateReturn};
pub use use_sync::{use_sync, UseSyncReturn};
pub use use_title::use_title;
pub use use_today::{use_today, DayJobs, JobCardData, Today};

use crate::context::{use_db, DbState};
use crate::data::{Db, Watch};
use crate::error::AppError;
use leptos::prelude::*;
use std::future::Future;
use std::rc::Rc;

/// A load from the device database, refreshed when a document under one of the prefixes it
/// names changes (in this tab or another), when a signal it read changes, or when the
/// database is replaced. `query` returns the prefixes and the load; `AppError::Opening`
/// while the database opens. The previous value stays on screen while a refresh loads.
pub fn use_db_query<T, Fut>(
    query: impl Fn(Rc<Db>) -> (Vec<String>, Fut) + 'static,
) -> LocalResource<Result<T, AppError>>
where
    T: 'static,
    Fut: Future<Output = Result<T, AppError>> + 'static,
{
    let db = use_db();
    let watch = Watch::new();
    LocalResource::new(move || {
        watch.trigger().track();
        let load = match db.get() {
            DbState::Open(d) => {
                let (prefixes, load) = query(d.clone());
                d.watch(&watch, prefixes);
                Ok(load)
            }
            // Resolves at once: the resource awaits each load before it sees the next change.
            DbState::Opening => Err(AppError::Opening),
            DbState::Failed(e) => Err(e),
        };
        async move {
            match load {
                Ok(load) => load.await,
                Err(e) => Err(e),
            }
        }
    })
}

/// Calls the boot script's `window.<name>()` (`public/boot.js`), if it is there: tests mount
/// the app without it.
fn call_boot(name: &str) {
    use wasm_bindgen::{JsCast, JsValue};
    let Some(window) = web_sys::window() else {
        return;
    };
    if let Ok(f) = js_sys::Reflect::get(&window, &JsValue::from_str(name))
        .and_then(|f| f.dyn_into::<js_sys::Function>())
    {
        let _ = f.call0(&JsValue::NULL);
    }
}
