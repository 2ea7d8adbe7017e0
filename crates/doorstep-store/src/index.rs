//! One secondary key per document (what a screen looks documents up by besides their id,
//! e.g. a dispatch order's day), computed from the winning revision whenever the document
//! is written, by the app's own pure function. A backend stores the key beside the record
//! and answers key ranges without reading the others; a deleted or key-less document is in
//! no range. A changed key function gets a new `version`, and opening the store then
//! computes every key again (`Store::indexed`).

use crate::doc::DocRecord;
use serde_json::Value;

#[derive(Clone, Copy, Debug)]
pub struct Index {
    /// Bumped whenever `key` would answer differently for a stored document.
    pub version: u32,
    /// The key of a live document from its id and winning body; `None`: not indexed.
    pub key: fn(&str, &Value) -> Option<String>,
}

impl Index {
    /// The key of a stored record: its live winner's, `None` when deleted.
    pub fn key_of(&self, rec: &DocRecord) -> Option<String> {
        let winner = rec.revs.winner().filter(|w| !w.deleted)?;
        let empty = Value::Object(serde_json::Map::new());
        (self.key)(&rec.id, winner.body.as_ref().unwrap_or(&empty))
    }
}
