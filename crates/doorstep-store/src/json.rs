//! Reading a stored `DocRecord` from its JSON value through `doorstep_json::Fields`: the
//! same records are accepted with the same values, the same rejected, with serde's own
//! message for a record with one fault, as by the serde derives (`tests/json.rs` checks
//! this against them), without the derives' visitors in the browser build.

use crate::doc::DocRecord;
use crate::tree::{RevNode, RevTree};
use doorstep_json::{vec_from_json, Fields, FromJson};
use serde_json::{Error, Value};

impl FromJson for RevNode {
    fn from_json(v: Value) -> Result<Self, Error> {
        let mut f = Fields::new(v, "struct RevNode", 4)?;
        let n = RevNode { rev: f.de("r")?, parent: f.de_or_default("p")?, deleted: f.de_or_default("d")?, body: f.de_or_default("b")? };
        f.end()?;
        Ok(n)
    }
}

/// A stored record as `serde_json::from_value::<DocRecord>` reads it.
pub fn record_from_json(v: Value) -> Result<DocRecord, Error> {
    let mut f = Fields::new(v, "struct DocRecord", 4)?;
    let v = f.de("v")?;
    let id = f.de("id")?;
    let seq = f.de("seq")?;
    let revs = f.with("revs", |v| vec_from_json(v).map(RevTree::from_nodes))?;
    f.end()?;
    Ok(DocRecord { v, id, seq, revs })
}
