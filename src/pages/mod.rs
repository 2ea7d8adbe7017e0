//! One file per screen. Pages get data from hooks and never touch storage or web-sys.

mod job;
mod settings;
mod today;

pub use job::JobPage;
pub use settings::Settings;
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

    /// The page at `path` (as `location.pathname` gives it, still URL-encoded), the inverse
    /// of `path`; `None` for an unknown path.
    pub fn parse(path: &str) -> Option<Page> {
        match path.trim_end_matches('/') {
            "" => Some(Page::Today),
            "/settings" => Some(Page::Settings),
            p => p
                .strip_prefix("/job/")
                .filter(|id| !id.is_empty() && !id.contains('/'))
                .and_then(|id| js_sys::decode_uri_component(id).ok()?.as_string())
                .map(Page::Job),
        }
    }
}

fn urlencode(s: &str) -> String {
    js_sys::encode_uri_component(s).as_string().unwrap_or_default()
}
