//! `doorstep demo [YYYY-MM-DD]`: the demo data set for that date (default: today in the
//! store's time zone) as a CouchDB `_bulk_docs` body, for seeding a sync server.

use crate::cli::{CliError, Opts};
use chrono::NaiveDate;
use doorstep_core::{demo, Rules};
use serde_json::{json, Value};

pub fn run(opts: &Opts) -> Result<String, CliError> {
    let date = match opts.input.as_deref() {
        Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map_err(|e| CliError::Usage(format!("bad date {s:?}: {e}")))?,
        None => {
            let offset = chrono::Duration::minutes(i64::from(Rules::default().utc_offset_minutes));
            (chrono::Utc::now().naive_utc() + offset).date()
        }
    };
    let docs: Vec<Value> = demo::dataset(date)
        .documents()
        .into_iter()
        .map(|(id, mut body)| {
            if let Value::Object(m) = &mut body {
                m.insert("_id".into(), Value::String(id));
            }
            body
        })
        .collect();
    Ok(format!("{}\n", json!({ "docs": docs })))
}
