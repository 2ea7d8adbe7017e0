//! What a storage backend provides. Each method is one atomic operation; `write` and
//! `purge` read, apply the pure rules of [`crate::doc`] and write in one transaction.

use crate::doc::{Body, DocRecord};
use crate::error::{DocError, StoreError};
use crate::index::Index;
use crate::rev::Rev;
use crate::tree::Edit;
use serde_json::Value;

#[allow(async_fn_in_trait)]
pub trait Backend {
    /// Applies a batch of edits atomically; one answer per edit. Each written record gets its
    /// key under `index`.
    async fn write(
        &self,
        edits: &[Edit],
        index: Option<&Index>,
    ) -> Result<Vec<Result<Rev, DocError>>, StoreError>;
    async fn read(&self, id: &str) -> Result<Option<DocRecord>, StoreError>;
    /// [`Backend::read`] of each id, in order (the replicator's batches: a backend reads
    /// them in one transaction with every read issued at once).
    async fn read_many(&self, ids: &[&str]) -> Result<Vec<Option<DocRecord>>, StoreError> {
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            out.push(self.read(id).await?);
        }
        Ok(out)
    }
    /// Records whose id starts with `prefix`, in id order; a record that cannot be read is
    /// its error in its place, never a reason to lose the others.
    async fn read_prefix(
        &self,
        prefix: &str,
    ) -> Result<Vec<Result<DocRecord, StoreError>>, StoreError> {
        Ok(self
            .read_prefixes(&[prefix])
            .await?
            .pop()
            .unwrap_or_default())
    }
    /// `read_prefix` of each prefix, in one transaction with every read issued at once.
    async fn read_prefixes(
        &self,
        prefixes: &[&str],
    ) -> Result<Vec<Vec<Result<DocRecord, StoreError>>>, StoreError>;
    /// Records whose index key `k` is `lo <= k < hi`, in key order (then id order); a record
    /// that cannot be read is its error in its place.
    async fn read_index(
        &self,
        lo: &str,
        hi: &str,
    ) -> Result<Vec<Result<DocRecord, StoreError>>, StoreError>;
    /// [`Backend::read_index`], live winners' bodies only (a backend may keep them apart so
    /// that nothing else is decoded).
    async fn read_index_bodies(
        &self,
        lo: &str,
        hi: &str,
    ) -> Result<Vec<Result<Body, StoreError>>, StoreError> {
        Ok(bodies(self.read_index(lo, hi).await?))
    }
    /// [`Backend::read_prefixes`], live winners' bodies only.
    async fn read_prefixes_bodies(
        &self,
        prefixes: &[&str],
    ) -> Result<Vec<Vec<Result<Body, StoreError>>>, StoreError> {
        Ok(self
            .read_prefixes(prefixes)
            .await?
            .into_iter()
            .map(bodies)
            .collect())
    }
    /// Whether the stored keys were made by this version of `index` (one read).
    async fn index_current(&self, index: &Index) -> Result<bool, StoreError>;
    /// Computes every record's key again unless the stored keys were made by this version
    /// of `index`; `true` when it did. One transaction.
    async fn reindex(&self, index: &Index) -> Result<bool, StoreError>;
    /// Records changed after `since`, in sequence order, at most `limit`.
    async fn changes(&self, since: u64, limit: usize) -> Result<Vec<DocRecord>, StoreError>;
    async fn update_seq(&self) -> Result<u64, StoreError>;
    async fn doc_count(&self) -> Result<u64, StoreError>;
    /// Removes leaves (and ancestors no other leaf needs) without a trace; not replicated.
    async fn purge(
        &self,
        id: &str,
        revs: &[Rev],
        index: Option<&Index>,
    ) -> Result<Vec<Rev>, StoreError>;
    /// The bytes kept under an attachment digest, as stored (the caller verifies them).
    async fn read_attachment(&self, digest: &str) -> Result<Option<Vec<u8>>, StoreError>;
    /// Which of `digests` the store keeps bytes of (one transaction).
    async fn has_attachments(&self, digests: &[String]) -> Result<Vec<bool>, StoreError>;
    async fn get_local(&self, id: &str) -> Result<Option<Value>, StoreError>;
    async fn put_local(&self, id: &str, value: &Value) -> Result<(), StoreError>;
    async fn remove_local(&self, id: &str) -> Result<(), StoreError>;
}

/// The pure part of a purge: the record to write back (or `None`: remove the document).
pub fn apply_purge(
    mut rec: DocRecord,
    revs: &[Rev],
    update_seq: u64,
) -> (Option<DocRecord>, Vec<Rev>, u64) {
    let removed = rec.revs.purge(revs);
    if removed.is_empty() {
        return (Some(rec), removed, update_seq);
    }
    if rec.revs.is_empty() {
        return (None, removed, update_seq);
    }
    rec.seq = update_seq + 1;
    (Some(rec), removed, update_seq + 1)
}

/// The digests the edits' stubs name, sorted, once each (what a write asks the store for).
pub(crate) fn edit_digests(edits: &[Edit]) -> Vec<String> {
    let set: std::collections::BTreeSet<String> = edits
        .iter()
        .flat_map(|e| crate::attach::body_digests(&e.body))
        .map(str::to_owned)
        .collect();
    set.into_iter().collect()
}

/// The live winners' bodies of `records`; a record that cannot be read stays its error.
pub(crate) fn bodies(records: Vec<Result<DocRecord, StoreError>>) -> Vec<Result<Body, StoreError>> {
    records
        .into_iter()
        .filter_map(|r| match r {
            Ok(rec) => crate::doc::live_body(&rec).map(Ok),
            Err(e) => Some(Err(e)),
        })
        .collect()
}
