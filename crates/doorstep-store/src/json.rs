//! Reading a stored `DocRecord` from its JSON value by hand (`record_from_json`): the same
//! records are accepted with the same values, the same rejected, with serde's own message
//! for a record with one fault, as by the serde derives (`tests/json.rs` checks this against
//! them). Leaf values go through their serde impls; only the derives' struct visitors are
//! left out of the browser build. The same technique as `doorstep_core::json`, which this
//! crate does not depend on.

use crate::doc::DocRecord;
use crate::tree::{RevNode, RevTree};
use serde::de::{DeserializeOwned, Error as _, Unexpected};
use serde_json::{Error, Map, Value};

fn unexpected(v: &Value) -> Unexpected<'_> {
    match v {
        Value::Null => Unexpected::Unit,
        Value::Bool(b) => Unexpected::Bool(*b),
        Value::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => Unexpected::Unsigned(u),
            (None, Some(i)) => Unexpected::Signed(i),
            (None, None) => Unexpected::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Value::String(s) => Unexpected::Str(s),
        Value::Array(_) => Unexpected::Seq,
        Value::Object(_) => Unexpected::Map,
    }
}

enum Source {
    Map(Map<String, Value>),
    Seq(std::vec::IntoIter<Value>, usize),
}

/// A struct's fields, from an object or (as serde accepts) an array in field order.
struct Fields {
    source: Source,
    name: &'static str,
    count: usize,
    index: usize,
}

impl Fields {
    fn new(v: Value, name: &'static str, count: usize) -> Result<Fields, Error> {
        let source = match v {
            Value::Object(m) => Source::Map(m),
            Value::Array(items) => {
                let len = items.len();
                Source::Seq(items.into_iter(), len)
            }
            other => return Err(Error::invalid_type(unexpected(&other), &name)),
        };
        Ok(Fields { source, name, count, index: 0 })
    }

    fn take(&mut self, key: &str) -> Option<Value> {
        self.index += 1;
        match &mut self.source {
            Source::Map(m) => m.remove(key),
            Source::Seq(items, _) => items.next(),
        }
    }

    /// A field that must be present, decoded by `decode`.
    fn with<T>(&mut self, key: &'static str, decode: impl FnOnce(Value) -> Result<T, Error>) -> Result<T, Error> {
        match self.take(key) {
            Some(v) => decode(v),
            None => Err(match self.source {
                Source::Map(_) => Error::missing_field(key),
                Source::Seq(..) => Error::invalid_length(self.index - 1, &format!("{} with {} elements", self.name, self.count).as_str()),
            }),
        }
    }

    /// A field that must be present, decoded by its serde impl.
    fn de<T: DeserializeOwned>(&mut self, key: &'static str) -> Result<T, Error> {
        self.with(key, serde_json::from_value)
    }

    /// A `#[serde(default)]` field.
    fn de_or_default<T: DeserializeOwned + Default>(&mut self, key: &'static str) -> Result<T, Error> {
        self.take(key).map_or_else(|| Ok(T::default()), serde_json::from_value)
    }

    fn end(self) -> Result<(), Error> {
        match self.source {
            Source::Seq(items, len) if items.len() > 0 => Err(Error::invalid_length(len, &"fewer elements in array")),
            _ => Ok(()),
        }
    }
}

fn node_from_json(v: Value) -> Result<RevNode, Error> {
    let mut f = Fields::new(v, "struct RevNode", 4)?;
    let n = RevNode { rev: f.de("r")?, parent: f.de_or_default("p")?, deleted: f.de_or_default("d")?, body: f.de_or_default("b")? };
    f.end()?;
    Ok(n)
}

fn tree_from_json(v: Value) -> Result<RevTree, Error> {
    match v {
        Value::Array(items) => items.into_iter().map(node_from_json).collect::<Result<Vec<_>, _>>().map(RevTree::from_nodes),
        other => Err(Error::invalid_type(unexpected(&other), &"a sequence")),
    }
}

/// A stored record as `serde_json::from_value::<DocRecord>` reads it.
pub fn record_from_json(v: Value) -> Result<DocRecord, Error> {
    let mut f = Fields::new(v, "struct DocRecord", 4)?;
    let v = f.de("v")?;
    let id = f.de("id")?;
    let seq = f.de("seq")?;
    let revs = f.with("revs", tree_from_json)?;
    f.end()?;
    Ok(DocRecord { v, id, seq, revs })
}
