//! Stored documents (`DocRecord`, versioned), what a read returns (`Doc`), and the pure
//! rule that applies a batch of edits to them. Backends only move records in and out.

use crate::attach::{complete, record_digests, AttBytes};
use crate::error::{DocError, StoreError};
use crate::rev::Rev;
use crate::tree::{Edit, EditKind, RevTree};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeSet;

/// Version of the stored record format written by this build. Readers accept this and older
/// versions (upgraded in [`DocRecord::decode`]) and refuse newer ones with `StoreError::TooNew`.
pub const RECORD_FORMAT: u32 = 1;

/// A document as stored: id, its place in the changes feed, and its revision tree.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DocRecord {
    pub v: u32,
    pub id: String,
    pub seq: u64,
    pub revs: RevTree,
}

impl DocRecord {
    pub fn encode(&self) -> String {
        // Serialising plain data to a String cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads a stored record, upgrading older formats, and checks it is whole.
    pub fn decode(id: &str, json: &str) -> Result<DocRecord, StoreError> {
        let corrupt = |reason: String| StoreError::Corrupt {
            id: id.chars().take(80).collect(),
            reason,
        };
        let value: Value = serde_json::from_str(json).map_err(|e| corrupt(e.to_string()))?;
        let v = value.get("v").and_then(Value::as_u64).unwrap_or(0) as u32;
        if v > RECORD_FORMAT {
            return Err(StoreError::TooNew {
                found: v,
                supported: RECORD_FORMAT,
            });
        }
        // Format 1 is the first; older formats would be upgraded here, one step at a time.
        let rec: DocRecord = serde_json::from_value(value).map_err(|e| corrupt(e.to_string()))?;
        rec.revs.validate().map_err(corrupt)?;
        if rec.id != id {
            return Err(corrupt(format!("record says id {}", rec.id)));
        }
        Ok(rec)
    }

    pub fn winner(&self) -> Option<Doc> {
        let ranked = self.revs.leaves_by_rank();
        let (first, rest) = ranked.split_first()?;
        Some(Doc {
            id: self.id.clone(),
            rev: first.rev.clone(),
            deleted: first.deleted,
            body: first.body.clone().unwrap_or(Value::Object(Map::new())),
            conflicts: rest
                .iter()
                .filter(|n| !n.deleted)
                .map(|n| n.rev.clone())
                .collect(),
            deleted_conflicts: rest
                .iter()
                .filter(|n| n.deleted)
                .map(|n| n.rev.clone())
                .collect(),
        })
    }

    /// This document's entry in the changes feed: every leaf, winner first.
    pub fn change(&self) -> Change {
        let ranked = self.revs.leaves_by_rank();
        Change {
            seq: self.seq,
            id: self.id.clone(),
            deleted: ranked.first().is_some_and(|n| n.deleted),
            changes: ranked.iter().map(|n| n.rev.clone()).collect(),
        }
    }

    /// Which of `revs` this tree lacks (CouchDB `_revs_diff`, for one document).
    pub fn missing(&self, revs: &[Rev]) -> Vec<Rev> {
        revs.iter()
            .filter(|r| self.revs.find(r).is_none())
            .cloned()
            .collect()
    }

    /// A leaf in CouchDB's replication form: its body with `_id`, `_rev`, `_deleted` and
    /// `_revisions` (its ancestry, newest first), as `_bulk_docs` with `new_edits=false`
    /// takes it. `None` when `rev` is not a leaf with a body here.
    pub fn leaf_with_revisions(&self, rev: &Rev) -> Option<Value> {
        let mut doc = self.leaf(rev)?.to_couch();
        let ids: Vec<Value> = self
            .revs
            .ancestry(rev)
            .into_iter()
            .map(|r| Value::String(r.id))
            .collect();
        if let Value::Object(map) = &mut doc {
            let mut revisions = Map::new();
            revisions.insert("start".into(), Value::from(rev.pos));
            revisions.insert("ids".into(), Value::Array(ids));
            map.insert("_revisions".into(), Value::Object(revisions));
        }
        Some(doc)
    }

    /// The body of a given leaf, if the tree has it (for the replicator's `open_revs`).
    pub fn leaf(&self, rev: &Rev) -> Option<Doc> {
        let i = self.revs.find(rev)?;
        let node = self.revs.nodes().get(i)?;
        Some(Doc {
            id: self.id.clone(),
            rev: rev.clone(),
            deleted: node.deleted,
            body: node.body.clone()?,
            conflicts: Vec::new(),
            deleted_conflicts: Vec::new(),
        })
    }
}

/// A read document: the winning revision's body, with its conflicts listed.
#[derive(Clone, Debug, PartialEq)]
pub struct Doc {
    pub id: String,
    pub rev: Rev,
    pub deleted: bool,
    pub body: Value,
    pub conflicts: Vec<Rev>,
    pub deleted_conflicts: Vec<Rev>,
}

impl Doc {
    /// The document in CouchDB's JSON form.
    pub fn to_couch(&self) -> Value {
        let mut map = match &self.body {
            Value::Object(m) => m.clone(),
            _ => Map::new(),
        };
        map.insert("_id".into(), Value::String(self.id.clone()));
        map.insert("_rev".into(), Value::String(self.rev.to_string()));
        if self.deleted {
            map.insert("_deleted".into(), Value::Bool(true));
        }
        if !self.conflicts.is_empty() {
            map.insert(
                "_conflicts".into(),
                self.conflicts
                    .iter()
                    .map(|r| Value::String(r.to_string()))
                    .collect(),
            );
        }
        Value::Object(map)
    }
}

/// One row of the changes feed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub seq: u64,
    pub id: String,
    pub deleted: bool,
    /// Leaf revisions, winner first.
    pub changes: Vec<Rev>,
}

/// What a batch does: records to put (each at a new sequence) and one answer per edit.
#[derive(Debug, Default)]
pub struct BatchOutcome {
    pub writes: Vec<DocRecord>,
    pub results: Vec<Result<Rev, DocError>>,
    pub update_seq: u64,
    /// Attachment bytes to keep: brought by an edit, named by a written record, not held yet.
    pub bytes: Vec<AttBytes>,
    /// Digests a written record named before and names no more: their bytes go unless
    /// another record still names them (the backend asks its own index).
    pub dropped: Vec<String>,
}

/// Applies `edits` in order to the `existing` records (every id of the batch, with `None`
/// for a new document; an id given twice counts once). Later edits of a batch see earlier
/// ones. `known`: the attachment digests the store holds among those the edits' stubs name
/// (a stub naming neither those nor bytes of its edit is `DocError::MissingStub`). Pure.
///
/// The records are held in a vector sorted by id (binary search) rather than a map: a
/// batch is small, and the browser build then carries no map code for this type.
pub fn apply_batch(
    existing: Vec<(String, Option<DocRecord>)>,
    edits: &[Edit],
    update_seq: u64,
    known: &BTreeSet<String>,
) -> BatchOutcome {
    // Digests each record named before the batch.
    let before: Vec<(String, BTreeSet<String>)> = existing
        .iter()
        .filter_map(|(id, r)| r.as_ref().map(|r| (id.clone(), record_digests(r))))
        .collect();
    // (id, record, changed by this batch yet)
    let mut existing: Vec<(String, Option<DocRecord>, bool)> = existing
        .into_iter()
        .map(|(id, rec)| (id, rec, false))
        .collect();
    existing.sort_by(|a, b| a.0.cmp(&b.0));
    existing.dedup_by(|a, b| a.0 == b.0);
    let mut out = BatchOutcome {
        update_seq,
        ..Default::default()
    };
    // Changed ids in the order of their first change (that order gives their sequences).
    let mut touched: Vec<String> = Vec::new();
    for edit in edits {
        let at = match existing.binary_search_by(|(id, ..)| id.as_str().cmp(&edit.id)) {
            Ok(at) => at,
            Err(at) => {
                existing.insert(at, (edit.id.clone(), None, false));
                at
            }
        };
        let Some((_, slot, seen)) = existing.get_mut(at) else {
            continue;
        };
        let result = apply_edit(slot.take(), edit, known);
        match result {
            Ok((rec, rev, changed)) => {
                if changed && !*seen {
                    *seen = true;
                    touched.push(edit.id.clone());
                }
                *slot = Some(rec);
                out.results.push(Ok(rev));
            }
            Err((prev, e)) => {
                *slot = prev;
                out.results.push(Err(e));
            }
        }
    }
    for id in touched {
        let rec = existing
            .binary_search_by(|(k, ..)| k.as_str().cmp(&id))
            .ok()
            .and_then(|at| existing.get_mut(at))
            .and_then(|(_, r, _)| r.take());
        if let Some(mut rec) = rec {
            out.update_seq += 1;
            rec.seq = out.update_seq;
            out.writes.push(rec);
        }
    }
    let mut keep: BTreeSet<String> = BTreeSet::new();
    let mut dropped: BTreeSet<String> = BTreeSet::new();
    for rec in &out.writes {
        let now = record_digests(rec);
        if let Some((_, old)) = before.iter().find(|(id, _)| *id == rec.id) {
            dropped.extend(old.difference(&now).cloned());
        }
        keep.extend(now);
    }
    for e in edits {
        for b in &e.data {
            if keep.contains(&b.digest)
                && !known.contains(&b.digest)
                && !out.bytes.iter().any(|x| x.digest == b.digest)
            {
                out.bytes.push(b.clone());
            }
        }
    }
    out.dropped = dropped.difference(&keep).cloned().collect();
    out
}

type EditResult = Result<(DocRecord, Rev, bool), (Option<DocRecord>, DocError)>;

fn apply_edit(prev: Option<DocRecord>, edit: &Edit, known: &BTreeSet<String>) -> EditResult {
    let conflict = || DocError::Conflict {
        id: edit.id.clone(),
    };
    match &edit.kind {
        EditKind::Local { base } => {
            let mut rec = match prev {
                Some(r) => r,
                None if base.is_none() => DocRecord {
                    v: RECORD_FORMAT,
                    id: edit.id.clone(),
                    seq: 0,
                    revs: RevTree::default(),
                },
                None => return Err((None, conflict())),
            };
            let parent = match base {
                Some(b) => match rec.revs.find(b).filter(|&i| rec.revs.is_leaf(i)) {
                    Some(i) => Some(i),
                    None => return Err((Some(rec), conflict())),
                },
                // No base: allowed on a new document, or on top of a deleted winner (revival).
                None => match rec.revs.winner() {
                    None => None,
                    Some(w) if w.deleted => {
                        let w = w.rev.clone();
                        rec.revs.find(&w)
                    }
                    Some(_) => return Err((Some(rec), conflict())),
                },
            };
            if edit.deleted && parent.is_none() {
                return Err((Some(rec).filter(|r| !r.revs.is_empty()), conflict()));
            }
            let parent_node = parent.and_then(|i| rec.revs.nodes().get(i));
            let parent_rev = parent_node.map(|n| n.rev.clone());
            let mut body = edit.body.clone();
            let pos = parent_rev.as_ref().map_or(1, |p| p.pos + 1);
            let parent_body = parent_node.and_then(|n| n.body.as_ref());
            if let Err(e) = complete(&edit.id, &mut body, pos, parent_body, &edit.data, known) {
                return Err((Some(rec).filter(|r| !r.revs.is_empty()), e));
            }
            let rev = Rev::mint(parent_rev.as_ref(), edit.deleted, &body);
            if rec.revs.find(&rev).is_some() {
                // The same edit applied twice (a retried write): already there.
                return Ok((rec, rev, false));
            }
            rec.revs_push(parent, rev.clone(), edit.deleted, body);
            Ok((rec, rev, true))
        }
        EditKind::Replicated { path } => {
            let Some(rev) = path.first().cloned() else {
                return Err((prev, DocError::BadRev("empty revision path".into())));
            };
            if prev.as_ref().is_some_and(|r| r.revs.find(&rev).is_some()) {
                if let Some(rec) = prev {
                    return Ok((rec, rev, false));
                }
            }
            let mut body = edit.body.clone();
            if let Err(e) = complete(&edit.id, &mut body, rev.pos, None, &edit.data, known) {
                return Err((prev, e));
            }
            let mut rec = prev.unwrap_or_else(|| DocRecord {
                v: RECORD_FORMAT,
                id: edit.id.clone(),
                seq: 0,
                revs: RevTree::default(),
            });
            let changed = rec.revs.insert_path(path, edit.deleted, body);
            Ok((rec, rev, changed))
        }
    }
}

impl DocRecord {
    fn revs_push(&mut self, parent: Option<usize>, rev: Rev, deleted: bool, body: Value) {
        self.revs.push_local(parent, rev, deleted, body);
    }
}

/// A live document's winning body as stored JSON text, for readers that need nothing else
/// (no revision, no tree): lists decode it straight into their own types.
#[derive(Clone, Debug, PartialEq)]
pub struct Body {
    pub id: String,
    pub json: String,
}

/// The live winner of `rec` as a [`Body`] (`None`: deleted).
pub fn live_body(rec: &DocRecord) -> Option<Body> {
    rec.winner().filter(|d| !d.deleted).map(|d| Body {
        id: d.id,
        json: d.body.to_string(),
    })
}
