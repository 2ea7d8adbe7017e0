//! Doorstep's replicator: the CouchDB replication protocol between a local
//! [`doorstep_store::Store`] and a CouchDB-compatible server.
//!
//! - [`machine`]: the protocol as a state machine with no I/O ([`Replication::step`]: input
//!   in, action out), push and pull, checkpoints, retries, refused documents.
//! - [`checkpoint`]: replication ids and the comparison of checkpoints.
//! - [`driver`]: [`replicate`] runs a replication over a [`Transport`] and a [`Timer`]
//!   ([`sync`]: push then pull); it is `?Send` and needs no runtime, so the browser's
//!   `fetch` fits as a transport.
//! - `native` (feature `native`): [`native::HttpTransport`] over `ureq`.
//! - `web` (feature `web`, wasm): the browser's `fetch` transport, `_session` login, a
//!   `setTimeout` timer.
//!
//! Attachments (photos of step documents) travel as CouchDB's replicator sends them: push
//! inlines (`data`, base64) only attachments added after the ancestors `_revs_diff` says the
//! server holds (`possible_ancestors`), resends all inline on `missing_stub`, and cuts
//! `_bulk_docs` to `max_body`; pull fetches only the bytes of digests the store lacks
//! (`GET /{db}/{id}/{name}`), which the store checks against their digest before keeping.

pub mod checkpoint;
pub mod driver;
mod error;
pub mod http;
pub mod machine;
#[cfg(feature = "native")]
pub mod native;
#[cfg(any(feature = "web", test))]
pub mod web;
mod wire;

pub use checkpoint::{replication_id, Checkpoint, Direction};
pub use driver::{apply, pending, refused, replicate, replicate_observed, sync, Timer, Transport};
pub use error::SyncError;
pub use http::{HttpRequest, HttpResponse, Method, TransportError};
pub use machine::{
    Action, Config, Input, Refused, Replication, Report, Retry, StoreOp, StoreReply,
};
