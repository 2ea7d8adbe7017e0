//! One file per screen (a folder for the job's nested screens). Pages get data from hooks
//! and never touch storage or web-sys. `Page` names every path, so links are typed; the
//! route table that matches them is in `App` (`lib.rs`).

/// A screen as a lazy route. In the PWA's build (`--cfg doorstep_split`, set by `cargo
/// xtask dist`) its view is a split point of the wasm module named first: the job's screens
/// all name `job`, so opening a job fetches one module and the chunks it shares with the
/// others, not one per screen (each split point multiplies the chunks its shared code is cut
/// into, and each chunk is a request and a module to compile). Elsewhere (the wasm tests) it
/// is a plain route: only the split step provides the chunk loader a split point imports.
macro_rules! lazy_screen {
    ($(#[$m:meta])* $module:ident: $route:ident => $screen:ident via $view:ident, $preload:ident) => {
        $(#[$m])*
        pub struct $route;

        #[cfg(doorstep_split)]
        #[allow(non_snake_case)]
        #[leptos::wasm_split::wasm_split(
            $module,
            wasm_split_path = ::leptos::wasm_split,
            preload(#[doc(hidden)] #[allow(non_snake_case)] $preload)
        )]
        fn $view(_: $route) -> leptos::prelude::AnyView {
            $crate::hooks::request_later_styles();
            $crate::hooks::screen_shown();
            leptos::prelude::IntoAny::into_any($screen())
        }

        #[cfg(doorstep_split)]
        impl leptos_router::LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            async fn preload() {
                $preload().await;
            }

            async fn view(this: Self) -> leptos::prelude::AnyView {
                $view(this).await
            }
        }

        #[cfg(not(doorstep_split))]
        impl leptos_router::LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            async fn view(this: Self) -> leptos::prelude::AnyView {
                let $route = this;
                $crate::hooks::request_later_styles();
                $crate::hooks::screen_shown();
                leptos::prelude::IntoAny::into_any($screen())
            }
        }
    };
}

mod job;
mod not_found;
mod office;
mod settings;
mod today;

pub use job::{
    JobAccept, JobCharge, JobCustomer, JobKit, JobKitReturn, JobLog, JobLogRoute, JobOverview,
    JobOverviewRoute, JobRoute, JobShell, JobSign, JobStage, JobStageRoute,
};
pub use not_found::NotFound;
pub use office::{Office, OfficeRoute};
pub use settings::{Settings, SettingsRoute};
pub use today::Today;

/// Every path of the app.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Page {
    Today,
    /// A job's overview (`/job/:id`).
    Job(String),
    /// The records of a job (`/job/:id/log`).
    JobLog(String),
    /// A stage of the visit (`/job/:id/depart`, `arrive`, `service`, `after`).
    JobStage(String, doorstep_core::flow::Stage),
    /// The kit this worker takes (`/job/:id/kit`).
    JobKit(String),
    /// The kit counted back in front of the customer (`/job/:id/kit-return`).
    JobKitReturn(String),
    /// The charge by the price list (`/job/:id/charge`).
    JobCharge(String),
    /// Acceptance: the sign-off chain (`/job/:id/sign`).
    JobSign(String),
    /// Customer mode, locked until the worker's PIN (`/job/:id/customer`).
    JobCustomer(String),
    Settings,
    /// The office's board (`/office`).
    Office,
}

impl Page {
    pub fn path(&self) -> String {
        match self {
            Page::Today => "/".to_owned(),
            Page::Job(id) => format!("/job/{}", urlencode(id)),
            Page::JobLog(id) => format!("/job/{}/log", urlencode(id)),
            Page::JobStage(id, stage) => format!("/job/{}/{}", urlencode(id), stage.slug()),
            Page::JobKit(id) => format!("/job/{}/kit", urlencode(id)),
            Page::JobKitReturn(id) => format!("/job/{}/kit-return", urlencode(id)),
            Page::JobCharge(id) => format!("/job/{}/charge", urlencode(id)),
            Page::JobSign(id) => format!("/job/{}/sign", urlencode(id)),
            Page::JobCustomer(id) => format!("/job/{}/customer", urlencode(id)),
            Page::Settings => "/settings".to_owned(),
            Page::Office => "/office".to_owned(),
        }
    }
}

fn urlencode(s: &str) -> String {
    js_sys::encode_uri_component(s)
        .as_string()
        .unwrap_or_default()
}
