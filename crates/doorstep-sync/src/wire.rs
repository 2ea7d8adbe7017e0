//! CouchDB's reply formats, as typed as the protocol allows. Unknown fields are ignored (servers
//! add their own); a missing field or a wrong type is a [`SyncError::Malformed`].

use crate::error::SyncError;
use crate::http::HttpResponse;
use doorstep_store::Rev;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;

pub(crate) fn parse<T: DeserializeOwned>(what: &str, resp: &HttpResponse) -> Result<T, SyncError> {
    serde_json::from_slice(&resp.body).map_err(|e| SyncError::Malformed {
        what: what.to_owned(),
        detail: e.to_string(),
    })
}

/// The server's `reason` (or `error`) from an error reply, for messages; never fails.
pub(crate) fn reason(resp: &HttpResponse) -> String {
    let v: Value = serde_json::from_slice(&resp.body).unwrap_or(Value::Null);
    let text = v
        .get("reason")
        .or_else(|| v.get("error"))
        .and_then(Value::as_str)
        .map(str::to_owned)
        .unwrap_or_else(|| String::from_utf8_lossy(&resp.body).into_owned());
    text.chars().take(200).collect()
}

#[derive(Deserialize)]
pub(crate) struct RevOnly {
    pub rev: Rev,
}

#[derive(Deserialize)]
pub(crate) struct ChangeRow {
    pub seq: Value,
    pub id: String,
    pub changes: Vec<RevOnly>,
}

#[derive(Deserialize)]
pub(crate) struct ChangesReply {
    pub results: Vec<ChangeRow>,
    #[serde(default)]
    pub last_seq: Option<Value>,
    /// Rows left after this page (CouchDB 2+), when the server says.
    #[serde(default)]
    pub pending: Option<u64>,
}

#[derive(Deserialize)]
pub(crate) struct RevsDiffEntry {
    #[serde(default)]
    pub missing: Vec<Rev>,
    /// Leaves the server holds that may be ancestors of the missing ones: attachments added
    /// up to their generation need not be sent.
    #[serde(default)]
    pub possible_ancestors: Vec<Rev>,
}

pub(crate) type RevsDiffReply = BTreeMap<String, RevsDiffEntry>;

/// One row of a `_bulk_docs` reply: `{id, rev, ok}` or `{id, rev?, error, reason}`.
#[derive(Deserialize)]
pub(crate) struct BulkDocsRow {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub rev: Option<String>,
    #[serde(default)]
    pub error: Option<String>,
    #[serde(default)]
    pub reason: Option<String>,
}

#[derive(Deserialize)]
pub(crate) struct BulkGetReply {
    pub results: Vec<BulkGetResult>,
}

#[derive(Deserialize)]
pub(crate) struct BulkGetResult {
    pub id: String,
    pub docs: Vec<BulkGetDoc>,
}

/// `{"ok": doc}` or `{"error": {...}}` (a revision the server no longer has).
#[derive(Deserialize)]
pub(crate) struct BulkGetDoc {
    #[serde(default)]
    pub ok: Option<Value>,
    #[serde(default)]
    pub error: Option<Value>,
}

/// A row of `GET /{db}/{id}?open_revs=[…]`: `{"ok": doc}` or `{"missing": rev}`.
#[derive(Deserialize)]
pub(crate) struct OpenRevsRow {
    #[serde(default)]
    pub ok: Option<Value>,
    #[serde(default)]
    pub missing: Option<String>,
}

#[derive(Deserialize)]
pub(crate) struct PutReply {
    pub rev: String,
}
