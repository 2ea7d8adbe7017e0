//! An in-memory backend with the same behaviour as IndexedDB, for native tests and tools.

use crate::backend::{apply_purge, Backend};
use crate::doc::{apply_batch, DocRecord};
use crate::error::{DocError, StoreError};
use crate::rev::Rev;
use crate::tree::Edit;
use serde_json::Value;
use std::cell::RefCell;
use std::collections::BTreeMap;

#[derive(Default)]
pub struct MemoryBackend {
    inner: RefCell<Inner>,
}

#[derive(Default)]
struct Inner {
    docs: BTreeMap<String, DocRecord>,
    by_seq: BTreeMap<u64, String>,
    local: BTreeMap<String, Value>,
    update_seq: u64,
}

impl Inner {
    fn put(&mut self, rec: DocRecord) {
        if let Some(old) = self.docs.get(&rec.id) {
            self.by_seq.remove(&old.seq);
        }
        self.by_seq.insert(rec.seq, rec.id.clone());
        self.docs.insert(rec.id.clone(), rec);
    }
}

impl MemoryBackend {
    pub fn new() -> Self {
        Self::default()
    }
}

impl Backend for MemoryBackend {
    async fn write(&self, edits: &[Edit]) -> Result<Vec<Result<Rev, DocError>>, StoreError> {
        let mut inner = self.inner.borrow_mut();
        let existing = edits
            .iter()
            .map(|e| (e.id.clone(), inner.docs.get(&e.id).cloned()))
            .collect();
        let out = apply_batch(existing, edits, inner.update_seq);
        for rec in out.writes {
            inner.put(rec);
        }
        inner.update_seq = out.update_seq;
        Ok(out.results)
    }

    async fn read(&self, id: &str) -> Result<Option<DocRecord>, StoreError> {
        Ok(self.inner.borrow().docs.get(id).cloned())
    }

    async fn read_prefix(
        &self,
        prefix: &str,
    ) -> Result<Vec<Result<DocRecord, StoreError>>, StoreError> {
        let inner = self.inner.borrow();
        Ok(inner
            .docs
            .range(prefix.to_owned()..)
            .take_while(|(k, _)| k.starts_with(prefix))
            .map(|(_, r)| Ok(r.clone()))
            .collect())
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

    async fn purge(&self, id: &str, revs: &[Rev]) -> Result<Vec<Rev>, StoreError> {
        let mut inner = self.inner.borrow_mut();
        let Some(rec) = inner.docs.get(id).cloned() else {
            return Ok(Vec::new());
        };
        let old_seq = rec.seq;
        let (rec, removed, seq) = apply_purge(rec, revs, inner.update_seq);
        inner.update_seq = seq;
        match rec {
            Some(rec) => inner.put(rec),
            None => {
                inner.docs.remove(id);
                inner.by_seq.remove(&old_seq);
            }
        }
        Ok(removed)
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
