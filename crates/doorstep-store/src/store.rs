//! The store API: what the app and the replicator call, the same over every backend.

use crate::attach::{self, digest, AttBytes, Attachment, MAX_ATTACHMENT_BYTES};
use crate::backend::Backend;
use crate::doc::{Body, Change, Doc, DocRecord};
use crate::error::{DocError, StoreError};
use crate::index::Index;
use crate::rev::Rev;
use crate::tree::{validate_id, Edit};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

pub struct Store<B: Backend> {
    backend: B,
    index: Option<Index>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ChangesPage {
    pub results: Vec<Change>,
    /// The sequence to ask from next time (the last row's, or `since` when empty).
    pub last_seq: u64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct StoreInfo {
    pub doc_count: u64,
    pub update_seq: u64,
}

impl<B: Backend> Store<B> {
    pub fn new(backend: B) -> Self {
        Store {
            backend,
            index: None,
        }
    }

    /// A store whose documents are also found by `index`'s key ([`Store::by_key`]); keys
    /// made by another version of the index are computed again first (one transaction).
    pub async fn indexed(backend: B, index: Index) -> Result<Self, StoreError> {
        backend.reindex(&index).await?;
        Ok(Store {
            backend,
            index: Some(index),
        })
    }

    /// [`Store::indexed`] without the rebuild: `(store, false)` when the stored keys were
    /// made by another version of `index`, to be rebuilt by [`Store::rebuild_index`] before
    /// [`Store::by_key`] is trusted. For a caller that keeps the rare, larger rebuild apart
    /// (the PWA loads it as a chunk of its own).
    pub async fn indexed_unchecked(backend: B, index: Index) -> Result<(Self, bool), StoreError> {
        let store = Store::with_index_unchecked(backend, index);
        let current = store.index_current().await?;
        Ok((store, current))
    }

    /// [`Store::indexed_unchecked`] in two halves, for a caller that reads
    /// [`Store::index_current`] beside its other first reads instead of before them.
    pub fn with_index_unchecked(backend: B, index: Index) -> Self {
        Store {
            backend,
            index: Some(index),
        }
    }

    /// Whether the stored index keys were made by this version of the index (a store without
    /// an index has none to make: `true`).
    pub async fn index_current(&self) -> Result<bool, StoreError> {
        match &self.index {
            Some(index) => self.backend.index_current(index).await,
            None => Ok(true),
        }
    }

    /// Computes every key again unless they were made by this version of the index; `true`
    /// when it did. A store opened without an index has nothing to rebuild.
    pub async fn rebuild_index(&self) -> Result<bool, StoreError> {
        match &self.index {
            Some(index) => self.backend.reindex(index).await,
            None => Ok(false),
        }
    }

    pub fn backend(&self) -> &B {
        &self.backend
    }

    pub fn into_backend(self) -> B {
        self.backend
    }

    /// Writes a batch in one transaction: one answer per edit (CouchDB `_bulk_docs`).
    pub async fn bulk_docs(
        &self,
        edits: &[Edit],
    ) -> Result<Vec<Result<Rev, DocError>>, StoreError> {
        if edits.is_empty() {
            return Ok(Vec::new());
        }
        self.backend.write(edits, self.index.as_ref()).await
    }

    /// Creates or updates one document from a serialisable value.
    pub async fn put<T: Serialize>(
        &self,
        id: &str,
        value: &T,
        base: Option<&Rev>,
    ) -> Result<Rev, StoreError> {
        validate_id(id)?;
        let body = to_body(id, value)?;
        let edit = Edit::put(id, body, base.cloned());
        self.one(edit).await
    }

    /// Creates or updates one document with its attachments, in one write (one revision):
    /// `atts` are all the attachments the new revision has (bytes already held under the
    /// same digest are not stored again). An attachment over 5 MiB is refused
    /// (`DocError::AttachmentTooLarge`), nothing written.
    pub async fn put_with_attachments<T: Serialize>(
        &self,
        id: &str,
        value: &T,
        base: Option<&Rev>,
        atts: &[Attachment],
    ) -> Result<Rev, StoreError> {
        validate_id(id)?;
        let mut body = to_body(id, value)?;
        let mut stubs = serde_json::Map::new();
        let mut data = Vec::with_capacity(atts.len());
        for a in atts {
            if a.bytes.len() > MAX_ATTACHMENT_BYTES {
                return Err(DocError::AttachmentTooLarge {
                    id: id.to_owned(),
                    name: a.name.clone(),
                    length: a.bytes.len(),
                }
                .into());
            }
            if a.name.is_empty() || a.name.starts_with('_') {
                return Err(DocError::BadAttachment {
                    id: id.to_owned(),
                    reason: format!("{}: invalid name", a.name),
                }
                .into());
            }
            let d = digest(&a.bytes);
            stubs.insert(
                a.name.clone(),
                attach::stub(&a.content_type, &d, a.bytes.len(), None),
            );
            data.push(AttBytes {
                digest: d,
                bytes: a.bytes.clone(),
            });
        }
        if let Value::Object(m) = &mut body {
            if !stubs.is_empty() {
                m.insert("_attachments".into(), Value::Object(stubs));
            }
        }
        let mut edit = Edit::put(id, body, base.cloned());
        edit.data = data;
        self.one(edit).await
    }

    /// The bytes of attachment `name` of document `id` at `rev` (default: the live
    /// winner), checked against their digest. `None`: no such document, revision or name.
    pub async fn get_attachment(
        &self,
        id: &str,
        name: &str,
        rev: Option<&Rev>,
    ) -> Result<Option<Vec<u8>>, StoreError> {
        let Some(rec) = self.backend.read(id).await? else {
            return Ok(None);
        };
        let doc = match rev {
            Some(r) => rec.leaf(r),
            None => rec.winner().filter(|d| !d.deleted),
        };
        let Some(stub) = doc
            .as_ref()
            .and_then(|d| d.body.get("_attachments"))
            .and_then(|a| a.get(name))
        else {
            return Ok(None);
        };
        let d = stub
            .get("digest")
            .and_then(Value::as_str)
            .unwrap_or_default();
        self.attachment_bytes(id, name, d).await.map(Some)
    }

    /// Bytes under digest `d`, verified.
    async fn attachment_bytes(&self, id: &str, name: &str, d: &str) -> Result<Vec<u8>, StoreError> {
        match self.backend.read_attachment(d).await? {
            None => Err(StoreError::AttachmentMissing {
                id: id.to_owned(),
                name: name.to_owned(),
            }),
            Some(bytes) if attach::verify(d, &bytes) => Ok(bytes),
            Some(_) => Err(StoreError::AttachmentCorrupt {
                id: id.to_owned(),
                name: name.to_owned(),
            }),
        }
    }

    /// Which of `digests` the store keeps bytes of.
    pub async fn has_attachments(&self, digests: &[String]) -> Result<Vec<bool>, StoreError> {
        if digests.is_empty() {
            return Ok(Vec::new());
        }
        self.backend.has_attachments(digests).await
    }

    /// [`Store::open_revs`] with attachment bytes inline (`data`, base64) where the other
    /// side may lack them, as CouchDB's replicator sends them: an attachment whose `revpos`
    /// is at most the generation of an ancestor the other side holds (`ancestors`, from
    /// `_revs_diff`'s `possible_ancestors`) stays a stub, the others carry their bytes.
    /// Bytes that fail their digest fail the read (`StoreError::AttachmentCorrupt`).
    pub async fn open_revs_with_data(
        &self,
        id: &str,
        revs: &[Rev],
        ancestors: &[Rev],
    ) -> Result<Vec<Result<Value, Rev>>, StoreError> {
        let rec = self.backend.read(id).await?;
        self.leaves_with_data(id, rec.as_ref(), revs, ancestors)
            .await
    }

    /// [`Store::open_revs_with_data`] of each `(id, revs, ancestors)`, in order, the
    /// records read in one go (a replicator's batch).
    pub async fn open_revs_with_data_many(
        &self,
        wanted: &[(String, Vec<Rev>, Vec<Rev>)],
    ) -> Result<Vec<Vec<Result<Value, Rev>>>, StoreError> {
        let ids: Vec<&str> = wanted.iter().map(|(id, ..)| id.as_str()).collect();
        let recs = self.backend.read_many(&ids).await?;
        let mut out = Vec::with_capacity(wanted.len());
        for ((id, revs, ancestors), rec) in wanted.iter().zip(recs) {
            out.push(
                self.leaves_with_data(id, rec.as_ref(), revs, ancestors)
                    .await?,
            );
        }
        Ok(out)
    }

    async fn leaves_with_data(
        &self,
        id: &str,
        rec: Option<&DocRecord>,
        revs: &[Rev],
        ancestors: &[Rev],
    ) -> Result<Vec<Result<Value, Rev>>, StoreError> {
        let mut out = Vec::with_capacity(revs.len());
        for r in revs {
            let Some(mut doc) = rec.and_then(|rec| rec.leaf_with_revisions(r)) else {
                out.push(Err(r.clone()));
                continue;
            };
            let line = rec.map(|rec| rec.revs.ancestry(r)).unwrap_or_default();
            let held = ancestors
                .iter()
                .filter(|a| line.contains(a))
                .map(|a| a.pos)
                .max()
                .unwrap_or(0);
            let names: Vec<(String, String)> = doc
                .get("_attachments")
                .and_then(Value::as_object)
                .map(|m| {
                    m.iter()
                        .filter(|(_, s)| {
                            s.get("revpos").and_then(Value::as_u64).unwrap_or(0) > held
                        })
                        .filter_map(|(n, s)| {
                            Some((n.clone(), s.get("digest")?.as_str()?.to_owned()))
                        })
                        .collect()
                })
                .unwrap_or_default();
            for (name, d) in names {
                let bytes = self.attachment_bytes(id, &name, &d).await?;
                if let Some(Value::Object(s)) =
                    doc.get_mut("_attachments").and_then(|a| a.get_mut(&name))
                {
                    s.remove("stub");
                    s.remove("length");
                    s.insert("data".into(), Value::String(attach::encode_base64(&bytes)));
                }
            }
            out.push(Ok(doc));
        }
        Ok(out)
    }

    pub async fn delete(&self, id: &str, rev: &Rev) -> Result<Rev, StoreError> {
        self.one(Edit::delete(id, rev.clone())).await
    }

    async fn one(&self, edit: Edit) -> Result<Rev, StoreError> {
        let mut results = self
            .backend
            .write(std::slice::from_ref(&edit), self.index.as_ref())
            .await?;
        match results.pop() {
            Some(r) => Ok(r?),
            None => Err(StoreError::Backend("write returned no answer".into())),
        }
    }

    /// The winning revision of a live document; `None` when missing or deleted.
    pub async fn get(&self, id: &str) -> Result<Option<Doc>, StoreError> {
        Ok(self
            .backend
            .read(id)
            .await?
            .and_then(|r| r.winner())
            .filter(|d| !d.deleted))
    }

    /// A live document decoded into `T`, with its revision.
    pub async fn get_as<T: DeserializeOwned>(
        &self,
        id: &str,
    ) -> Result<Option<(Rev, T)>, StoreError> {
        match self.get(id).await? {
            None => Ok(None),
            Some(doc) => {
                let value = serde_json::from_value(doc.body).map_err(|e| StoreError::Corrupt {
                    id: id.to_owned(),
                    reason: e.to_string(),
                })?;
                Ok(Some((doc.rev, value)))
            }
        }
    }

    /// The whole stored record: every leaf, the ancestry (for the replicator).
    pub async fn get_record(&self, id: &str) -> Result<Option<DocRecord>, StoreError> {
        self.backend.read(id).await
    }

    /// The revisions this store lacks, per document (CouchDB `_revs_diff`): only documents
    /// with something missing are listed, in the order asked.
    pub async fn revs_diff(
        &self,
        wanted: &[(String, Vec<Rev>)],
    ) -> Result<Vec<(String, Vec<Rev>)>, StoreError> {
        let ids: Vec<&str> = wanted.iter().map(|(id, _)| id.as_str()).collect();
        let recs = self.backend.read_many(&ids).await?;
        let mut out = Vec::new();
        for ((id, revs), rec) in wanted.iter().zip(recs) {
            let missing = match rec {
                Some(rec) => rec.missing(revs),
                None => revs.clone(),
            };
            if !missing.is_empty() {
                out.push((id.clone(), missing));
            }
        }
        Ok(out)
    }

    /// Leaves in replication form (with `_revisions`), for `_bulk_docs` with
    /// `new_edits=false`, `_bulk_get` or `open_revs`. A revision that is not a leaf with a
    /// body here (superseded or purged meanwhile) is left out: `Err(rev)` in its place.
    pub async fn open_revs(
        &self,
        id: &str,
        revs: &[Rev],
    ) -> Result<Vec<Result<Value, Rev>>, StoreError> {
        let rec = self.backend.read(id).await?;
        Ok(revs
            .iter()
            .map(|r| {
                rec.as_ref()
                    .and_then(|rec| rec.leaf_with_revisions(r))
                    .ok_or_else(|| r.clone())
            })
            .collect())
    }

    /// Live documents under `prefix` that hold conflicting live leaves, in id order, each with
    /// the losing revisions (the winner is the one a plain read returns). A record that cannot
    /// be read is left out here: `scan` shows it as damaged.
    pub async fn conflicted(&self, prefix: &str) -> Result<Vec<(String, Vec<Rev>)>, StoreError> {
        Ok(self
            .scan(prefix)
            .await?
            .into_iter()
            .filter_map(Result::ok)
            .filter(|d| !d.conflicts.is_empty())
            .map(|d| (d.id, d.conflicts))
            .collect())
    }

    /// Live documents whose id starts with `prefix`, in id order; fails on the first record
    /// that cannot be read.
    pub async fn all_docs(&self, prefix: &str) -> Result<Vec<Doc>, StoreError> {
        self.scan(prefix).await?.into_iter().collect()
    }

    /// Live documents whose id starts with `prefix`, in id order, with a record that cannot
    /// be read as its error in its place (a screen shows it as damaged beside the others).
    pub async fn scan(&self, prefix: &str) -> Result<Vec<Result<Doc, StoreError>>, StoreError> {
        let records = self.backend.read_prefix(prefix).await?;
        Ok(live(records))
    }

    /// Live documents whose index key `k` is `lo <= k < hi`, in key order, a record that
    /// cannot be read as its error in its place. Empty on a store without an index.
    pub async fn by_key(
        &self,
        lo: &str,
        hi: &str,
    ) -> Result<Vec<Result<Doc, StoreError>>, StoreError> {
        if self.index.is_none() {
            return Ok(Vec::new());
        }
        let records = self.backend.read_index(lo, hi).await?;
        Ok(live(records))
    }

    /// [`Store::by_key`], each document as its body's JSON text only (nothing else of the
    /// record is decoded: for lists).
    pub async fn by_key_bodies(
        &self,
        lo: &str,
        hi: &str,
    ) -> Result<Vec<Result<Body, StoreError>>, StoreError> {
        if self.index.is_none() {
            return Ok(Vec::new());
        }
        self.backend.read_index_bodies(lo, hi).await
    }

    /// [`Store::scan_many`], each document as its body's JSON text only.
    pub async fn scan_many_bodies(
        &self,
        prefixes: &[&str],
    ) -> Result<Vec<Vec<Result<Body, StoreError>>>, StoreError> {
        if prefixes.is_empty() {
            return Ok(Vec::new());
        }
        self.backend.read_prefixes_bodies(prefixes).await
    }

    /// `scan` of each prefix, in one read transaction.
    pub async fn scan_many(
        &self,
        prefixes: &[&str],
    ) -> Result<Vec<Vec<Result<Doc, StoreError>>>, StoreError> {
        if prefixes.is_empty() {
            return Ok(Vec::new());
        }
        let found = self.backend.read_prefixes(prefixes).await?;
        Ok(found.into_iter().map(live).collect())
    }

    /// Like `all_docs`, decoded into `T`; a document that does not decode is an error naming it.
    pub async fn all_as<T: DeserializeOwned>(
        &self,
        prefix: &str,
    ) -> Result<Vec<(Rev, T)>, StoreError> {
        self.all_docs(prefix)
            .await?
            .into_iter()
            .map(|d| {
                let id = d.id;
                serde_json::from_value(d.body)
                    .map(|v| (d.rev, v))
                    .map_err(|e| StoreError::Corrupt {
                        id,
                        reason: e.to_string(),
                    })
            })
            .collect()
    }

    /// Changes after `since`, each document once at its latest sequence.
    pub async fn changes(&self, since: u64, limit: usize) -> Result<ChangesPage, StoreError> {
        let results: Vec<Change> = self
            .backend
            .changes(since, limit)
            .await?
            .iter()
            .map(DocRecord::change)
            .collect();
        let last_seq = results.last().map_or(since, |c| c.seq);
        Ok(ChangesPage { results, last_seq })
    }

    pub async fn info(&self) -> Result<StoreInfo, StoreError> {
        Ok(StoreInfo {
            doc_count: self.backend.doc_count().await?,
            update_seq: self.backend.update_seq().await?,
        })
    }

    pub async fn purge(&self, id: &str, revs: &[Rev]) -> Result<Vec<Rev>, StoreError> {
        self.backend.purge(id, revs, self.index.as_ref()).await
    }

    /// A `_local` document: never replicated, no revisions (checkpoints, device state).
    pub async fn get_local<T: DeserializeOwned>(&self, id: &str) -> Result<Option<T>, StoreError> {
        match self.backend.get_local(id).await? {
            None => Ok(None),
            Some(v) => serde_json::from_value(v)
                .map(Some)
                .map_err(|e| StoreError::Corrupt {
                    id: format!("_local/{id}"),
                    reason: e.to_string(),
                }),
        }
    }

    pub async fn put_local<T: Serialize>(&self, id: &str, value: &T) -> Result<(), StoreError> {
        let v = serde_json::to_value(value).map_err(|e| DocError::BadDoc {
            id: id.to_owned(),
            reason: e.to_string(),
        })?;
        self.backend.put_local(id, &v).await
    }

    pub async fn remove_local(&self, id: &str) -> Result<(), StoreError> {
        self.backend.remove_local(id).await
    }
}

/// The live winners of `records`, an unreadable record kept as its error.
fn live(records: Vec<Result<DocRecord, StoreError>>) -> Vec<Result<Doc, StoreError>> {
    records
        .into_iter()
        .filter_map(|r| r.map(|r| r.winner().filter(|d| !d.deleted)).transpose())
        .collect()
}

fn to_body<T: Serialize>(id: &str, value: &T) -> Result<Value, DocError> {
    match serde_json::to_value(value) {
        Ok(v @ Value::Object(_)) => {
            if let Some(k) = v
                .as_object()
                .and_then(|m| m.keys().find(|k| k.starts_with('_')))
            {
                return Err(DocError::BadDoc {
                    id: id.to_owned(),
                    reason: format!("field {k} is reserved"),
                });
            }
            Ok(v)
        }
        Ok(_) => Err(DocError::BadDoc {
            id: id.to_owned(),
            reason: "a document must be a JSON object".into(),
        }),
        Err(e) => Err(DocError::BadDoc {
            id: id.to_owned(),
            reason: e.to_string(),
        }),
    }
}
