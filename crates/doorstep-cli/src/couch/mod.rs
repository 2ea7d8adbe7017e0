//! The few server calls outside replication that `setup-server` and `relay` make (databases,
//! `_security`, `_users`, design documents, compaction), over the replicator's native
//! transport. Credentials ride in the transport, never in a path.

use doorstep_sync::native::{block_on, HttpTransport};
use doorstep_sync::{HttpRequest, Method, Transport, TransportError};
use serde_json::Value;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum CouchError {
    #[error("cannot reach the server for {what}: {source}")]
    Transport {
        what: String,
        #[source]
        source: TransportError,
    },
    #[error("{what}: the server answered {status}: {detail}")]
    Status {
        what: String,
        status: u16,
        detail: String,
    },
    #[error("no random bytes from the system: {0}")]
    Random(#[source] std::io::Error),
}

/// The server at `base` (credentials, if any, already in the transport).
pub struct Couch {
    pub transport: HttpTransport,
}

impl Couch {
    /// `url` may carry `user:password@`; it becomes a basic-auth header.
    pub fn new(url: &str) -> Couch {
        Couch {
            transport: HttpTransport::new(url),
        }
    }

    /// The server's URL without credentials.
    pub fn base(&self) -> &str {
        self.transport.base()
    }

    /// One request; the status and the parsed body (`null` when it is not JSON).
    pub fn call(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, &str)],
        body: Option<&Value>,
    ) -> Result<(u16, Value), CouchError> {
        let req = HttpRequest {
            method,
            path: path.to_owned(),
            query: query
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            body: body.map(|b| b.to_string().into_bytes()),
            max_body: 64 << 20,
        };
        let what = format!("{} {path}", method.as_str());
        let resp = block_on(self.transport.send(req))
            .map_err(|source| CouchError::Transport { what, source })?;
        let v = serde_json::from_slice(&resp.body).unwrap_or(Value::Null);
        Ok((resp.status, v))
    }

    /// Like [`Couch::call`], but a status outside `ok` is an error naming the call.
    pub fn expect(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
        ok: &[u16],
    ) -> Result<Value, CouchError> {
        let (status, v) = self.call(method, path, &[], body)?;
        if ok.contains(&status) {
            Ok(v)
        } else {
            Err(CouchError::Status {
                what: format!("{} {path}", method.as_str()),
                status,
                detail: v.to_string(),
            })
        }
    }

    /// The database's `update_seq` as the server gives it (opaque), `None` when it is missing.
    pub fn update_seq(&self, db: &str) -> Result<Option<Value>, CouchError> {
        let path = format!("/{}", doorstep_sync::http::encode(db));
        let (status, v) = self.call(Method::Get, &path, &[], None)?;
        match status {
            200 => Ok(Some(v.get("update_seq").cloned().unwrap_or(Value::Null))),
            404 => Ok(None),
            status => Err(CouchError::Status {
                what: format!("GET {path}"),
                status,
                detail: v.to_string(),
            }),
        }
    }
}
