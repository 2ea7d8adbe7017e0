//! The documents on this device that hold two versions after a sync (a conflict): the one
//! shown is the winner by CouchDB's rule, the others are kept and listed, never hidden.

use super::use_db_query;
use crate::error::AppError;
use leptos::prelude::*;

/// Ids of the conflicted documents, in id order; refreshed by any change on the device.
pub fn use_conflicts() -> LocalResource<Result<Vec<String>, AppError>> {
    use_db_query(move |db| (vec![String::new()], async move { db.conflicted("").await }))
}
