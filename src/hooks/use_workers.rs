//! The store's workers on this device (for the worker switch until login arrives).

use super::use_db_query;
use crate::data;
use crate::error::AppError;
use doorstep_core::model::Worker;
use leptos::prelude::*;

pub fn use_workers() -> Signal<Option<Result<Vec<Worker>, AppError>>> {
    use_db_query(|| (), |()| data::workers())
}
