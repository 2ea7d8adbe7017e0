//! Decoding structs from a `serde_json::Value` by hand (`FromJson`, `Fields`) exactly as
//! their serde derives would, with far less code in the browser build.
//!
//! Equivalent to the serde derives on the same types: the same documents are accepted with
//! the same values (unknown fields ignored, `#[serde(default)]` fields optional, a missing
//! or `null` `Option` is `None`, a struct may also come as an array in field order), the
//! same documents are rejected, and a document with one fault is rejected with serde's own
//! message (the `json` tests of `doorstep-core` and `doorstep-store` check all of this
//! against the derives, for every type decoded this way). Leaf values (strings,
//! numbers, ids, enums, times) go through their serde impls; only the derives' struct
//! visitors are replaced, which are most of the browser build's JSON code (a map visitor,
//! a sequence visitor and an identifier visitor per struct, code per field type in each).
//! With several faults, the one named may differ from serde's, which reads keys in order.

use serde::de::{DeserializeOwned, Error as _, Unexpected};
use serde_json::{Error, Map, Value};

/// A type decoded from a JSON value exactly as its `Deserialize` derive would decode it.
pub trait FromJson: Sized {
    fn from_json(v: Value) -> Result<Self, Error>;
}

/// What serde calls the value when it is the wrong type.
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

/// A `Vec<T>` of decoded structs.
pub fn vec_from_json<T: FromJson>(v: Value) -> Result<Vec<T>, Error> {
    match v {
        Value::Array(items) => items.into_iter().map(T::from_json).collect(),
        other => Err(Error::invalid_type(unexpected(&other), &"a sequence")),
    }
}

enum Source {
    Map(Map<String, Value>),
    /// The elements left, and how many there were.
    Seq(std::vec::IntoIter<Value>, usize),
}

/// The fields of one struct being decoded, taken in declaration order.
pub struct Fields {
    source: Source,
    /// `struct Job`, as serde names it.
    name: &'static str,
    /// Fields in the struct (serde's "struct Job with 13 elements").
    count: usize,
    /// Fields taken so far.
    index: usize,
}

impl Fields {
    /// `name` is serde's: `struct Job`; `count` the number of fields.
    pub fn new(v: Value, name: &'static str, count: usize) -> Result<Fields, Error> {
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

    fn missing(&self, key: &'static str) -> Error {
        match self.source {
            Source::Map(_) => Error::missing_field(key),
            Source::Seq(..) => {
                let expected = format!("{} with {} elements", self.name, self.count);
                Error::invalid_length(self.index - 1, &expected.as_str())
            }
        }
    }

    /// A field that must be present, decoded by `decode`.
    pub fn with<T>(&mut self, key: &'static str, decode: impl FnOnce(Value) -> Result<T, Error>) -> Result<T, Error> {
        match self.take(key) {
            Some(v) => decode(v),
            None => Err(self.missing(key)),
        }
    }

    /// A field that must be present, decoded by its serde impl.
    pub fn de<T: DeserializeOwned>(&mut self, key: &'static str) -> Result<T, Error> {
        self.with(key, serde_json::from_value)
    }

    /// A `#[serde(default)]` field.
    pub fn de_or_default<T: DeserializeOwned + Default>(&mut self, key: &'static str) -> Result<T, Error> {
        self.take(key).map_or_else(|| Ok(T::default()), serde_json::from_value)
    }

    /// An `Option` of a struct: `None` when `null`, or when missing from an object (serde's
    /// rule for options); missing from an array it is an error unless `default` is set
    /// (`#[serde(default)]`).
    pub fn option<T: FromJson>(&mut self, key: &'static str, default: bool) -> Result<Option<T>, Error> {
        match self.take(key) {
            None if default || matches!(self.source, Source::Map(_)) => Ok(None),
            None => Err(self.missing(key)),
            Some(Value::Null) => Ok(None),
            Some(v) => T::from_json(v).map(Some),
        }
    }

    /// Every field was taken: an array may not hold more.
    pub fn end(self) -> Result<(), Error> {
        match self.source {
            Source::Seq(items, len) if items.len() > 0 => Err(Error::invalid_length(len, &"fewer elements in array")),
            _ => Ok(()),
        }
    }
}
