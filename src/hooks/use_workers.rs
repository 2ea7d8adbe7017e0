//! The store's workers on this device (for the worker switch until login arrives).

use super::{use_db_query, Query};
use crate::data;
use doorstep_core::model::Worker;

pub fn use_workers() -> Query<Vec<Worker>> {
    use_db_query(|| (), |()| data::workers())
}
