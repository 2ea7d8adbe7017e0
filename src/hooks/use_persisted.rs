//! Whether the browser promised to keep this app's data (`navigator.storage.persisted()`).

use super::{use_query, Query};
use crate::data;

/// `Ok(None)` when the browser does not say.
pub fn use_persisted() -> Query<Option<bool>> {
    use_query(|| async { Ok(data::persisted().await) })
}
