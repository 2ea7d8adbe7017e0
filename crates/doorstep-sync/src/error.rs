//! The replicator's errors. None of them leaves partial data: a pulled batch is written in
//! one transaction or not at all, and a checkpoint only moves after what it covers is stored.

use doorstep_store::{DocError, StoreError};
use thiserror::Error;

#[derive(Clone, Debug, PartialEq, Error)]
pub enum SyncError {
    /// 401: log in again; never retried blindly.
    #[error("the server asks to log in again (401): {reason}")]
    Unauthorized { reason: String },
    /// 403: this account may not do this; never retried blindly.
    #[error("the server refused access (403): {reason}")]
    Forbidden { reason: String },
    #[error("the database {db} does not exist on the server")]
    NoDatabase { db: String },
    /// 409/412 or another status the protocol does not expect at this step.
    #[error("unexpected reply {status} to {what}: {detail}")]
    Status {
        status: u16,
        what: String,
        detail: String,
    },
    /// A reply that is not what the protocol says: bad JSON, wrong types, missing fields,
    /// documents not asked for. Nothing of it was stored.
    #[error("malformed reply to {what}: {detail}")]
    Malformed { what: String, detail: String },
    #[error("reply to {what} larger than {limit} bytes; nothing of it was stored")]
    TooLarge { what: String, limit: usize },
    /// Transient failures (network, 5xx, 429) outlasted the retry policy.
    #[error("gave up on {what} after {attempts} attempts: {last}")]
    GaveUp {
        what: String,
        attempts: u32,
        last: String,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A pulled document the local store refused (the whole batch was not written).
    #[error("pulled document {id} refused by the local store: {error}")]
    LocalDoc { id: String, error: DocError },
    /// The driver answered the state machine with the wrong kind of input (a bug).
    #[error("replicator driver error: {0}")]
    Driver(String),
}

impl SyncError {
    /// Worth running the replication again later without anyone doing anything.
    pub fn is_transient(&self) -> bool {
        matches!(self, SyncError::GaveUp { .. })
    }
}
