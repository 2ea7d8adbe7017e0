//! The store's errors: per-document problems (`DocError`, reported per item of a batch, like
//! CouchDB's `_bulk_docs` answers) and whole-operation failures (`StoreError`).

use thiserror::Error;

/// Why one document of a write was refused. The rest of the batch is unaffected.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum DocError {
    /// The edit names a revision that is not a current leaf, or creates a document that exists.
    #[error("document update conflict: {id}")]
    Conflict { id: String },
    #[error("invalid revision: {0}")]
    BadRev(String),
    #[error("invalid document id: {0:?}")]
    BadId(String),
    #[error("invalid document {id}: {reason}")]
    BadDoc { id: String, reason: String },
    #[error("document not found: {0}")]
    NotFound(String),
    /// One attachment above [`crate::attach::MAX_ATTACHMENT_BYTES`].
    #[error("attachment {name} of {id} is too large ({length} bytes; at most 5 MiB)")]
    AttachmentTooLarge {
        id: String,
        name: String,
        length: usize,
    },
    /// A stub names bytes this store does not hold and the write did not bring (CouchDB's
    /// `missing_stub`: the sender must send them inline).
    #[error("missing_stub: attachment {name} of {id}")]
    MissingStub { id: String, name: String },
    /// Inline bytes whose MD5 is not the digest they came with.
    #[error("attachment {name} of {id}: the bytes do not match their digest")]
    DigestMismatch { id: String, name: String },
    /// An `_attachments` entry that cannot be read (`reason` names the attachment).
    #[error("bad attachment of {id}: {reason}")]
    BadAttachment { id: String, reason: String },
}

/// Why a whole store operation failed. Nothing of a failed write was committed.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum StoreError {
    #[error("the device's storage is full; free some space and try again (nothing was saved)")]
    QuotaExceeded,
    #[error("the database was closed by the browser; reload the app (nothing was saved)")]
    Closed,
    #[error("another tab holds an older version of the app open; close it and reload")]
    Blocked,
    #[error("this browser offers no storage for the app (private mode?)")]
    Unavailable,
    #[error("stored data of {id} is unreadable: {reason}")]
    Corrupt { id: String, reason: String },
    #[error("the stored data is from a newer version of the app (format {found}, this app reads up to {supported}); update the app")]
    TooNew { found: u32, supported: u32 },
    /// Stored bytes whose MD5 is not their digest (damaged storage); nothing is returned.
    #[error("photo {name} of {id} is damaged on this device")]
    AttachmentCorrupt { id: String, name: String },
    /// A kept revision names bytes the store no longer holds.
    #[error("photo {name} of {id} is missing on this device")]
    AttachmentMissing { id: String, name: String },
    #[error(transparent)]
    Doc(DocError),
    #[error("storage error: {0}")]
    Backend(String),
}

impl From<DocError> for StoreError {
    fn from(e: DocError) -> Self {
        StoreError::Doc(e)
    }
}
