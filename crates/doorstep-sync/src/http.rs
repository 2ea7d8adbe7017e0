//! What the replicator asks of the network: one HTTP request in, status + headers + body
//! bytes out. A transport (browser `fetch`, native `ureq`, a simulated server) only moves
//! these; it never interprets CouchDB.

use std::fmt::Write as _;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Get,
    Put,
    Post,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
        }
    }
}

/// One request to the remote database. `path` is already percent-encoded and starts with
/// `/`; `query` pairs are raw (see [`HttpRequest::path_and_query`]); a body is JSON.
#[derive(Clone, Debug, PartialEq)]
pub struct HttpRequest {
    pub method: Method,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub body: Option<Vec<u8>>,
    /// The largest reply body the replicator accepts: a transport may stop reading past it
    /// and answer [`TransportError::TooLarge`].
    pub max_body: usize,
}

impl HttpRequest {
    /// `path?k=v&…`, the query percent-encoded, for a transport to append to its base URL.
    pub fn path_and_query(&self) -> String {
        let mut out = self.path.clone();
        for (i, (k, v)) in self.query.iter().enumerate() {
            out.push(if i == 0 { '?' } else { '&' });
            out.push_str(&encode(k));
            out.push('=');
            out.push_str(&encode(v));
        }
        out
    }

    /// Headers every request carries: JSON in and out (`open_revs` needs the `Accept`).
    pub fn headers(&self) -> Vec<(&'static str, &'static str)> {
        let mut h = vec![("Accept", "application/json")];
        if self.body.is_some() {
            h.push(("Content-Type", "application/json"));
        }
        h
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct HttpResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl HttpResponse {
    pub fn new(status: u16, body: impl Into<Vec<u8>>) -> Self {
        HttpResponse {
            status,
            headers: Vec::new(),
            body: body.into(),
        }
    }
}

/// Why a request got no HTTP answer. Every kind is worth a retry except `TooLarge`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TransportError {
    /// No connection, reset, timeout: the request may or may not have reached the server.
    #[error("network: {0}")]
    Network(String),
    #[error("reply larger than {0} bytes")]
    TooLarge(usize),
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// The path of a document: `_design/` and `_local/` keep their slash, the rest is encoded.
pub fn doc_path(db: &str, id: &str) -> String {
    for prefix in ["_design/", "_local/"] {
        if let Some(rest) = id.strip_prefix(prefix) {
            return format!("/{}/{prefix}{}", encode(db), encode(rest));
        }
    }
    format!("/{}/{}", encode(db), encode(id))
}
