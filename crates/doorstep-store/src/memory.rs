//! An in-memory backend with the same behaviour as IndexedDB, for native tests and tools.

use crate::attach::{decode_base64, encode_base64, record_digests};
use crate::backend::{apply_purge, edit_digests, Backend};
use crate::doc::{apply_batch, DocRecord};
use crate::error::{DocError, StoreError};
use crate::index::Index;
use crate::rev::Rev;
use crate::tree::Edit;
use serde_json::Value;
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Default)]
pub struct MemoryBackend {
    inner: RefCell<Inner>,
}

#[derive(Default)]
struct Inner {
    docs: BTreeMap<String, DocRecord>,
    by_seq: BTreeMap<u64, String>,
    local: BTreeMap<String, Value>,
    /// Index key → ids (`keys` holds each indexed id's key).
    index: BTreeMap<(String, String), ()>,
    keys: BTreeMap<String, String>,
    index_version: Option<u32>,
    update_seq: u64,
    /// Attachment bytes by digest, and which records name each digest.
    atts: BTreeMap<String, Vec<u8>>,
    att_refs: BTreeMap<String, BTreeSet<String>>,
}

impl Inner {
    fn put(&mut self, rec: DocRecord, index: Option<&Index>) {
        if let Some(old) = self.docs.get(&rec.id) {
            self.by_seq.remove(&old.seq);
        }
        self.set_refs(&rec.id, Some(&rec));
        self.set_key(&rec.id, index.and_then(|i| i.key_of(&rec)));
        self.by_seq.insert(rec.seq, rec.id.clone());
        self.docs.insert(rec.id.clone(), rec);
    }

    /// Notes which digests `rec` names (none: it is gone); see [`Inner::sweep`].
    fn set_refs(&mut self, id: &str, rec: Option<&DocRecord>) {
        let old = self.docs.get(id).map(record_digests).unwrap_or_default();
        let new = rec.map(record_digests).unwrap_or_default();
        for d in new.difference(&old) {
            self.att_refs
                .entry(d.clone())
                .or_default()
                .insert(id.to_owned());
        }
        for d in old.difference(&new) {
            let empty = self.att_refs.get_mut(d).is_none_or(|ids| {
                ids.remove(id);
                ids.is_empty()
            });
            if empty {
                self.att_refs.remove(d);
            }
        }
    }

    /// Drops the bytes of those `digests` no record names any more.
    fn sweep<'a>(&mut self, digests: impl IntoIterator<Item = &'a String>) {
        for d in digests {
            if !self.att_refs.contains_key(d) {
                self.atts.remove(d);
            }
        }
    }

    fn set_key(&mut self, id: &str, key: Option<String>) {
        if let Some(old) = self.keys.remove(id) {
            self.index.remove(&(old, id.to_owned()));
        }
        if let Some(key) = key {
            self.index.insert((key.clone(), id.to_owned()), ());
            self.keys.insert(id.to_owned(), key);
        }
    }
}

impl MemoryBackend {
    pub fn new() -> Self {
        Self::default()
    }

    /// Everything the backend holds (records in the stored format, `_local` documents, the
    /// sequence), for a native tool that keeps its store in a file between runs (the relay).
    pub fn snapshot(&self) -> MemorySnapshot {
        let inner = self.inner.borrow();
        MemorySnapshot {
            records: inner.docs.values().map(DocRecord::encode).collect(),
            local: inner.local.clone(),
            update_seq: inner.update_seq,
            attachments: inner
                .atts
                .iter()
                .map(|(d, b)| (d.clone(), encode_base64(b)))
                .collect(),
        }
    }

    /// A backend holding a snapshot again, each record checked as a stored one is; no index.
    /// Attachment bytes are kept as saved (checked against their digest when read).
    pub fn restore(snapshot: &MemorySnapshot) -> Result<Self, StoreError> {
        let mut inner = Inner {
            local: snapshot.local.clone(),
            update_seq: snapshot.update_seq,
            ..Inner::default()
        };
        for (d, text) in &snapshot.attachments {
            let bytes = decode_base64(text).ok_or_else(|| StoreError::Corrupt {
                id: d.clone(),
                reason: "attachment bytes are not base64".into(),
            })?;
            inner.atts.insert(d.clone(), bytes);
        }
        for json in &snapshot.records {
            let id = serde_json::from_str::<Value>(json)
                .ok()
                .and_then(|v| v.get("id")?.as_str().map(str::to_owned))
                .unwrap_or_default();
            let rec = DocRecord::decode(&id, json)?;
            if rec.seq > inner.update_seq {
                return Err(StoreError::Corrupt {
                    id,
                    reason: format!(
                        "sequence {} after the snapshot's {}",
                        rec.seq, inner.update_seq
                    ),
                });
            }
            inner.put(rec, None);
        }
        Ok(MemoryBackend {
            inner: RefCell::new(inner),
        })
    }
}

/// What [`MemoryBackend::snapshot`] saves.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct MemorySnapshot {
    pub records: Vec<String>,
    pub local: BTreeMap<String, Value>,
    pub update_seq: u64,
    /// Attachment bytes (base64) by digest.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub attachments: BTreeMap<String, String>,
}

impl Backend for MemoryBackend {
    async fn write(
        &self,
        edits: &[Edit],
        index: Option<&Index>,
    ) -> Result<Vec<Result<Rev, DocError>>, StoreError> {
        let mut inner = self.inner.borrow_mut();
        let existing = edits
            .iter()
            .map(|e| (e.id.clone(), inner.docs.get(&e.id).cloned()))
            .collect();
        let known = edit_digests(edits)
            .into_iter()
            .filter(|d| inner.atts.contains_key(d))
            .collect();
        let out = apply_batch(existing, edits, inner.update_seq, &known);
        for b in out.bytes {
            inner.atts.insert(b.digest, b.bytes);
        }
        for rec in out.writes {
            inner.put(rec, index);
        }
        inner.sweep(&out.dropped);
        inner.update_seq = out.update_seq;
        Ok(out.results)
    }

    async fn read(&self, id: &str) -> Result<Option<DocRecord>, StoreError> {
        Ok(self.inner.borrow().docs.get(id).cloned())
    }

    async fn read_prefixes(
        &self,
        prefixes: &[&str],
    ) -> Result<Vec<Vec<Result<DocRecord, StoreError>>>, StoreError> {
        let inner = self.inner.borrow();
        Ok(prefixes
            .iter()
            .map(|prefix| {
                inner
                    .docs
                    .range((*prefix).to_owned()..)
                    .take_while(|(k, _)| k.starts_with(prefix))
                    .map(|(_, r)| Ok(r.clone()))
                    .collect()
            })
            .collect())
    }

    async fn read_index(
        &self,
        lo: &str,
        hi: &str,
    ) -> Result<Vec<Result<DocRecord, StoreError>>, StoreError> {
        let inner = self.inner.borrow();
        Ok(inner
            .index
            .range((lo.to_owned(), String::new())..)
            .take_while(|((k, _), _)| k.as_str() < hi)
            .filter_map(|((_, id), _)| inner.docs.get(id).cloned().map(Ok))
            .collect())
    }

    async fn index_current(&self, index: &Index) -> Result<bool, StoreError> {
        Ok(self.inner.borrow().index_version == Some(index.version))
    }

    async fn reindex(&self, index: &Index) -> Result<bool, StoreError> {
        let mut inner = self.inner.borrow_mut();
        if inner.index_version == Some(index.version) {
            return Ok(false);
        }
        let keys: Vec<(String, Option<String>)> = inner
            .docs
            .values()
            .map(|r| (r.id.clone(), index.key_of(r)))
            .collect();
        for (id, key) in keys {
            inner.set_key(&id, key);
        }
        inner.index_version = Some(index.version);
        Ok(true)
    }

    async fn changes(&self, since: u64, limit: usize) -> Result<Vec<DocRecord>, StoreError> {
        let inner = self.inner.borrow();
        Ok(inner
            .by_seq
            .range(since.saturating_add(1)..)
            .take(limit)
            .filter_map(|(_, id)| inner.docs.get(id).cloned())
            .collect())
    }

    async fn update_seq(&self) -> Result<u64, StoreError> {
        Ok(self.inner.borrow().update_seq)
    }

    async fn doc_count(&self) -> Result<u64, StoreError> {
        Ok(self.inner.borrow().docs.len() as u64)
    }

    async fn purge(
        &self,
        id: &str,
        revs: &[Rev],
        index: Option<&Index>,
    ) -> Result<Vec<Rev>, StoreError> {
        let mut inner = self.inner.borrow_mut();
        let Some(rec) = inner.docs.get(id).cloned() else {
            return Ok(Vec::new());
        };
        let old_seq = rec.seq;
        let named = record_digests(&rec);
        let (rec, removed, seq) = apply_purge(rec, revs, inner.update_seq);
        inner.update_seq = seq;
        match rec {
            Some(rec) => inner.put(rec, index),
            None => {
                inner.set_refs(id, None);
                inner.set_key(id, None);
                inner.docs.remove(id);
                inner.by_seq.remove(&old_seq);
            }
        }
        inner.sweep(&named);
        Ok(removed)
    }

    async fn read_attachment(&self, digest: &str) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(self.inner.borrow().atts.get(digest).cloned())
    }

    async fn has_attachments(&self, digests: &[String]) -> Result<Vec<bool>, StoreError> {
        let inner = self.inner.borrow();
        Ok(digests.iter().map(|d| inner.atts.contains_key(d)).collect())
    }

    async fn get_local(&self, id: &str) -> Result<Option<Value>, StoreError> {
        Ok(self.inner.borrow().local.get(id).cloned())
    }

    async fn put_local(&self, id: &str, value: &Value) -> Result<(), StoreError> {
        self.inner
            .borrow_mut()
            .local
            .insert(id.to_owned(), value.clone());
        Ok(())
    }

    async fn remove_local(&self, id: &str) -> Result<(), StoreError> {
        self.inner.borrow_mut().local.remove(id);
        Ok(())
    }
}
