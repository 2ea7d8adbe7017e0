//! Doorstep's document store: documents with CouchDB revision trees, a changes feed and
//! `_local` documents, over IndexedDB in the browser or memory natively.
//!
//! The rules of revisions (minting, winners, conflicts, replicated inserts, purge) are pure
//! functions in [`tree`] and [`doc`]; a [`Backend`] only moves records in one transaction.
//! [`Store`] is the API the app and the replicator use.

pub mod attach;
mod backend;
mod canonical;
pub mod doc;
mod error;
#[cfg(target_arch = "wasm32")]
pub mod idb;
mod index;
mod memory;
pub mod rev;
mod store;
pub mod tree;

pub use attach::{AttBytes, Attachment, MAX_ATTACHMENT_BYTES};
pub use backend::Backend;
pub use canonical::canonical_json;
pub use doc::{Body, Change, Doc, DocRecord};
pub use error::{DocError, StoreError};
pub use index::Index;
pub use memory::{MemoryBackend, MemorySnapshot};
pub use rev::Rev;
pub use store::{ChangesPage, Store, StoreInfo};
pub use tree::{Edit, EditKind};
