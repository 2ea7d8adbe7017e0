//! A document's revision tree and the pure rules of editing it: CouchDB's model, no I/O.
//!
//! Nodes live in a vector with parent indices. Only leaves keep a body: when a revision gets
//! a child its body is dropped (as compaction does), so no old content stays on the device.

use crate::error::DocError;
use crate::rev::Rev;
use serde::{Deserialize, Serialize};
use serde_json::Value;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RevNode {
    #[serde(rename = "r")]
    pub rev: Rev,
    #[serde(rename = "p", default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<u32>,
    #[serde(rename = "d", default, skip_serializing_if = "std::ops::Not::not")]
    pub deleted: bool,
    #[serde(rename = "b", default, skip_serializing_if = "Option::is_none")]
    pub body: Option<Value>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RevTree {
    nodes: Vec<RevNode>,
}

impl RevTree {
    pub fn nodes(&self) -> &[RevNode] {
        &self.nodes
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    pub fn find(&self, rev: &Rev) -> Option<usize> {
        self.nodes.iter().position(|n| &n.rev == rev)
    }

    fn has_children(&self) -> Vec<bool> {
        let mut has = vec![false; self.nodes.len()];
        for n in &self.nodes {
            if let Some(slot) = n.parent.and_then(|p| has.get_mut(p as usize)) {
                *slot = true;
            }
        }
        has
    }

    /// Indices of the leaves, in node order.
    pub fn leaves(&self) -> Vec<usize> {
        self.has_children()
            .iter()
            .enumerate()
            .filter_map(|(i, has)| (!has).then_some(i))
            .collect()
    }

    pub fn is_leaf(&self, i: usize) -> bool {
        i < self.nodes.len() && !self.nodes.iter().any(|n| n.parent == Some(i as u32))
    }

    /// Leaves sorted winner first: live before deleted, then higher generation, then larger id.
    pub fn leaves_by_rank(&self) -> Vec<&RevNode> {
        let mut leaves: Vec<&RevNode> = self
            .leaves()
            .into_iter()
            .filter_map(|i| self.nodes.get(i))
            .collect();
        leaves.sort_by(|a, b| {
            a.deleted
                .cmp(&b.deleted)
                .then_with(|| b.rev.cmp_winner(&a.rev))
        });
        leaves
    }

    /// The winning leaf, the same on every replica.
    pub fn winner(&self) -> Option<&RevNode> {
        self.leaves_by_rank().into_iter().next()
    }

    /// Revisions from `rev` back to the oldest ancestor kept, newest first.
    pub fn ancestry(&self, rev: &Rev) -> Vec<Rev> {
        let mut out = Vec::new();
        let mut at = self.find(rev);
        while let Some(i) = at {
            let Some(n) = self.nodes.get(i) else { break };
            out.push(n.rev.clone());
            at = n.parent.map(|p| p as usize);
            if out.len() > self.nodes.len() {
                break; // a cycle in corrupt data; never loop forever
            }
        }
        out
    }

    /// Adds a local edit on top of leaf `parent` (or a first revision). The parent's body is dropped.
    pub(crate) fn push_local(
        &mut self,
        parent: Option<usize>,
        rev: Rev,
        deleted: bool,
        body: Value,
    ) {
        if let Some(p) = parent.and_then(|p| self.nodes.get_mut(p)) {
            p.body = None;
        }
        self.nodes.push(RevNode {
            rev,
            parent: parent.map(|p| p as u32),
            deleted,
            body: Some(body),
        });
    }

    /// Inserts a replicated revision with its ancestry `path` (newest first, `path[0]` the new
    /// revision). Idempotent: returns false when the revision was already in the tree.
    pub fn insert_path(&mut self, path: &[Rev], deleted: bool, body: Value) -> bool {
        let Some(newest) = path.first() else {
            return false;
        };
        if self.find(newest).is_some() {
            return false;
        }
        // The deepest revision of the path that the tree already has, if any.
        let known = path
            .iter()
            .enumerate()
            .find_map(|(k, r)| self.find(r).map(|i| (k, i)));
        let (mut parent, upto) = match known {
            Some((k, i)) => (Some(i), k),
            None => (None, path.len()),
        };
        for (k, rev) in path.iter().enumerate().take(upto).rev() {
            let is_new_leaf = k == 0;
            if let Some(p) = parent.and_then(|p| self.nodes.get_mut(p)) {
                p.body = None;
            }
            self.nodes.push(RevNode {
                rev: rev.clone(),
                parent: parent.map(|p| p as u32),
                deleted: is_new_leaf && deleted,
                body: if is_new_leaf {
                    Some(body.clone())
                } else {
                    None
                },
            });
            parent = Some(self.nodes.len() - 1);
        }
        true
    }

    /// Removes the given leaves and every ancestor no remaining leaf needs. Returns what was
    /// removed of `revs` (revisions that are not leaves are left alone, as CouchDB does).
    pub fn purge(&mut self, revs: &[Rev]) -> Vec<Rev> {
        let leaves = self.leaves();
        let purged: Vec<usize> = leaves
            .into_iter()
            .filter(|&i| self.nodes.get(i).is_some_and(|n| revs.contains(&n.rev)))
            .collect();
        if purged.is_empty() {
            return Vec::new();
        }
        let removed_revs: Vec<Rev> = purged
            .iter()
            .filter_map(|&i| self.nodes.get(i).map(|n| n.rev.clone()))
            .collect();
        // Keep every node on the path of a surviving leaf.
        let mut keep = vec![false; self.nodes.len()];
        for leaf in self.leaves() {
            if purged.contains(&leaf) {
                continue;
            }
            let mut at = Some(leaf);
            let mut steps = 0;
            while let Some(i) = at {
                if keep.get(i).copied().unwrap_or(true) || steps > self.nodes.len() {
                    break;
                }
                if let Some(slot) = keep.get_mut(i) {
                    *slot = true;
                }
                at = self.nodes.get(i).and_then(|n| n.parent).map(|p| p as usize);
                steps += 1;
            }
        }
        let mut new_index = vec![None; self.nodes.len()];
        let mut kept = Vec::new();
        for (i, n) in self.nodes.drain(..).enumerate() {
            if keep.get(i).copied().unwrap_or(false) {
                if let Some(slot) = new_index.get_mut(i) {
                    *slot = Some(kept.len() as u32);
                }
                kept.push(n);
            }
        }
        for n in &mut kept {
            n.parent = n
                .parent
                .and_then(|p| new_index.get(p as usize).copied().flatten());
        }
        self.nodes = kept;
        removed_revs
    }

    /// Checks a tree read from storage: parents point backwards, generations grow by one,
    /// at least one node.
    pub fn validate(&self) -> Result<(), String> {
        if self.nodes.is_empty() {
            return Err("empty revision tree".into());
        }
        for (i, n) in self.nodes.iter().enumerate() {
            if let Some(p) = n.parent {
                let parent = self
                    .nodes
                    .get(p as usize)
                    .filter(|_| (p as usize) < i)
                    .ok_or("bad parent index")?;
                if parent.rev.pos + 1 != n.rev.pos {
                    return Err(format!("generation gap at {}", n.rev));
                }
            }
        }
        Ok(())
    }
}

/// One write to a document.
#[derive(Clone, Debug, PartialEq)]
pub struct Edit {
    pub id: String,
    pub deleted: bool,
    /// The document's own fields (no `_id`, `_rev` or other `_` fields).
    pub body: Value,
    pub kind: EditKind,
    /// Attachment bytes that came with the edit (inline `data`), named by stubs of `body`.
    pub data: Vec<crate::attach::AttBytes>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum EditKind {
    /// A local edit (`new_edits=true`): replaces `base`, which must be a current leaf; `None`
    /// creates the document (or revives a deleted one).
    Local { base: Option<Rev> },
    /// A revision from another replica (`new_edits=false`) with its ancestry, newest first.
    Replicated { path: Vec<Rev> },
}

impl Edit {
    pub fn put(id: impl Into<String>, body: Value, base: Option<Rev>) -> Edit {
        Edit {
            id: id.into(),
            deleted: false,
            body,
            kind: EditKind::Local { base },
            data: Vec::new(),
        }
    }

    pub fn delete(id: impl Into<String>, rev: Rev) -> Edit {
        Edit {
            id: id.into(),
            deleted: true,
            body: Value::Object(Default::default()),
            kind: EditKind::Local { base: Some(rev) },
            data: Vec::new(),
        }
    }

    /// Reads a document in CouchDB's JSON form (`_id`, `_rev`, `_deleted`, `_revisions`).
    pub fn from_couch(doc: Value, new_edits: bool) -> Result<Edit, DocError> {
        let Value::Object(mut map) = doc else {
            return Err(DocError::BadDoc {
                id: String::new(),
                reason: "not a JSON object".into(),
            });
        };
        let id = match map.remove("_id") {
            Some(Value::String(s)) => s,
            _ => return Err(DocError::BadId(String::new())),
        };
        validate_id(&id)?;
        let rev = match map.remove("_rev") {
            Some(Value::String(s)) => Some(s.parse::<Rev>()?),
            None | Some(Value::Null) => None,
            Some(other) => return Err(DocError::BadRev(other.to_string())),
        };
        let deleted = matches!(map.remove("_deleted"), Some(Value::Bool(true)));
        let revisions = map.remove("_revisions");
        let attachments = map.remove("_attachments");
        // Fields CouchDB computes on read; never stored.
        for k in [
            "_conflicts",
            "_deleted_conflicts",
            "_local_seq",
            "_revs_info",
        ] {
            map.remove(k);
        }
        if let Some(k) = map.keys().find(|k| k.starts_with('_')) {
            return Err(DocError::BadDoc {
                id,
                reason: format!("unsupported special field {k}"),
            });
        }
        // Inline data of a replicated revision without a `revpos` was added by it.
        let revpos = if new_edits {
            None
        } else {
            rev.as_ref().map(|r| r.pos)
        };
        let mut data = Vec::new();
        if let Some(atts) = attachments.filter(|a| !a.is_null()) {
            let (stubs, bytes) = crate::attach::parse(&id, atts, revpos)?;
            if stubs.as_object().is_some_and(|m| !m.is_empty()) {
                map.insert("_attachments".into(), stubs);
            }
            data = bytes;
        }
        let body = Value::Object(map);
        if new_edits {
            return Ok(Edit {
                id,
                deleted,
                body,
                kind: EditKind::Local { base: rev },
                data,
            });
        }
        let rev =
            rev.ok_or_else(|| DocError::BadRev("missing _rev with new_edits=false".into()))?;
        let path = match revisions {
            Some(r) => revisions_path(&r, &rev)?,
            None => vec![rev],
        };
        Ok(Edit {
            id,
            deleted,
            body,
            kind: EditKind::Replicated { path },
            data,
        })
    }
}

/// `_revisions: {start, ids}` → revisions newest first; must begin with `rev`.
fn revisions_path(r: &Value, rev: &Rev) -> Result<Vec<Rev>, DocError> {
    let bad = || DocError::BadRev(format!("bad _revisions for {rev}"));
    let start = r.get("start").and_then(Value::as_u64).ok_or_else(bad)?;
    let ids = r.get("ids").and_then(Value::as_array).ok_or_else(bad)?;
    let mut path = Vec::with_capacity(ids.len());
    for (k, id) in ids.iter().enumerate() {
        let id = id.as_str().ok_or_else(bad)?;
        let pos = start
            .checked_sub(k as u64)
            .filter(|p| *p > 0)
            .ok_or_else(bad)?;
        if !crate::rev::valid_rev_id(id) {
            return Err(bad());
        }
        path.push(Rev {
            pos,
            id: id.to_owned(),
        });
    }
    if path.first() != Some(rev) {
        return Err(bad());
    }
    Ok(path)
}

/// A document id: not empty, at most 512 bytes, no leading `_` except `_design/`.
pub fn validate_id(id: &str) -> Result<(), DocError> {
    let ok = !id.is_empty()
        && id.len() <= 512
        && (!id.starts_with('_') || id.starts_with("_design/"))
        && !id.chars().any(char::is_control);
    if ok {
        Ok(())
    } else {
        Err(DocError::BadId(id.chars().take(80).collect()))
    }
}
