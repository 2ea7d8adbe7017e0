//! One file per screen. Pages get data from hooks and never touch storage or web-sys.

mod job;
mod settings;
mod today;

pub use job::JobPage;
pub use settings::SettingsRoute;
pub use today::Today;

/// Every path of the app, so links are typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Page {
    Today,
    Job(String),
    Settings,
}

impl Page {
    pub fn path(&self) -> String {
        match self {
            Page::Today => "/".to_owned(),
            Page::Job(id) => format!("/job/{}", urlencode(id)),
            Page::Settings => "/settings".to_owned(),
        }
    }
}

fn urlencode(s: &str) -> String {
    js_sys::encode_uri_component(s).as_string().unwrap_or_default()
}
