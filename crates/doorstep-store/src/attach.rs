//! Attachments (a step's photos), as CouchDB keeps them: a document body's `_attachments`
//! holds one stub per name, `{"content_type","digest":"md5-<base64>","length","revpos",
//! "stub":true}`, and the bytes are kept apart, once per digest (content-addressed), for as
//! long as a kept revision (a leaf: only leaves keep bodies) names them. Pure helpers; the
//! backends keep the bytes.

use crate::doc::DocRecord;
use crate::error::DocError;
use base64::Engine as _;
use md5::{Digest as _, Md5};
use serde_json::{Map, Value};
use std::collections::BTreeSet;

/// The largest attachment the store takes (a photo is scaled to ≤ 1600 px before).
pub const MAX_ATTACHMENT_BYTES: usize = 5 << 20;

/// An attachment to write with its document ([`crate::Store::put_with_attachments`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attachment {
    pub name: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// Bytes that came with an edit, under their digest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AttBytes {
    pub digest: String,
    pub bytes: Vec<u8>,
}

/// CouchDB's digest of `bytes`: `md5-` and the MD5 in base64.
pub fn digest(bytes: &[u8]) -> String {
    let sum = Md5::digest(bytes);
    format!(
        "md5-{}",
        base64::engine::general_purpose::STANDARD.encode(sum)
    )
}

pub fn encode_base64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

pub fn decode_base64(text: &str) -> Option<Vec<u8>> {
    base64::engine::general_purpose::STANDARD.decode(text).ok()
}

/// A stub as stored; `revpos` `None` until the edit's generation is known (a local edit).
pub(crate) fn stub(content_type: &str, digest: &str, length: usize, revpos: Option<u64>) -> Value {
    let mut m = Map::new();
    m.insert("content_type".into(), Value::from(content_type));
    m.insert("digest".into(), Value::from(digest));
    m.insert("length".into(), Value::from(length as u64));
    if let Some(p) = revpos {
        m.insert("revpos".into(), Value::from(p));
    }
    m.insert("stub".into(), Value::Bool(true));
    Value::Object(m)
}

/// The digests a body's `_attachments` name.
pub fn body_digests(body: &Value) -> impl Iterator<Item = &str> {
    body.get("_attachments")
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|m| m.values())
        .filter_map(|s| s.get("digest").and_then(Value::as_str))
}

/// The digests the kept revisions of `rec` name (its leaves' bodies), sorted, once each.
pub fn record_digests(rec: &DocRecord) -> BTreeSet<String> {
    rec.revs
        .nodes()
        .iter()
        .filter_map(|n| n.body.as_ref())
        .flat_map(body_digests)
        .map(str::to_owned)
        .collect()
}

/// Reads `_attachments` of a document in CouchDB's JSON form into stored stubs and the
/// bytes that came inline (`data`, base64). `revpos`: the revision's generation for
/// replicated documents (inline data without a `revpos`), `None` for local edits (filled
/// in when the new generation is known). A stub keeps what it says; one without a digest
/// is completed from the parent revision when the edit is applied.
pub(crate) fn parse(
    id: &str,
    atts: Value,
    revpos: Option<u64>,
) -> Result<(Value, Vec<AttBytes>), DocError> {
    let bad = |name: &str, reason: &str| DocError::BadAttachment {
        id: id.to_owned(),
        reason: format!("{name}: {reason}"),
    };
    let Value::Object(atts) = atts else {
        return Err(bad("", "_attachments is not an object"));
    };
    let mut stubs = Map::new();
    let mut data = Vec::new();
    for (name, a) in atts {
        if name.is_empty() || name.starts_with('_') {
            return Err(bad(&name, "invalid name"));
        }
        let content_type = a
            .get("content_type")
            .and_then(Value::as_str)
            .unwrap_or("application/octet-stream");
        let given_revpos = a.get("revpos").and_then(Value::as_u64);
        if let Some(text) = a.get("data") {
            let bytes = text
                .as_str()
                .and_then(decode_base64)
                .ok_or_else(|| bad(&name, "data is not base64"))?;
            if bytes.len() > MAX_ATTACHMENT_BYTES {
                return Err(DocError::AttachmentTooLarge {
                    id: id.to_owned(),
                    name,
                    length: bytes.len(),
                });
            }
            let d = digest(&bytes);
            if let Some(said) = a.get("digest").and_then(Value::as_str) {
                if said != d {
                    return Err(DocError::DigestMismatch {
                        id: id.to_owned(),
                        name,
                    });
                }
            }
            stubs.insert(
                name,
                stub(content_type, &d, bytes.len(), given_revpos.or(revpos)),
            );
            data.push(AttBytes { digest: d, bytes });
        } else if a.get("stub").and_then(Value::as_bool) == Some(true) {
            match a.get("digest").and_then(Value::as_str) {
                Some(d) => {
                    let length = a.get("length").and_then(Value::as_u64).unwrap_or(0);
                    stubs.insert(
                        name,
                        stub(content_type, d, length as usize, given_revpos.or(revpos)),
                    );
                }
                // Completed from the parent (a local edit keeping an attachment by name).
                None => {
                    stubs.insert(name, Value::Object(Map::new()));
                }
            }
        } else if a.get("follows").is_some() {
            return Err(bad(&name, "multipart attachments are not supported"));
        } else {
            return Err(bad(&name, "neither data nor a stub"));
        }
    }
    Ok((Value::Object(stubs), data))
}

/// Completes the stubs of a new revision at generation `pos`: inline data without a
/// `revpos` gets `pos`; a stub without a digest takes the parent's stub of that name. Then
/// checks that every digest is either in `data` or held by the store (`known`).
pub(crate) fn complete(
    id: &str,
    body: &mut Value,
    pos: u64,
    parent: Option<&Value>,
    data: &[AttBytes],
    known: &BTreeSet<String>,
) -> Result<(), DocError> {
    let Some(atts) = body.get_mut("_attachments").and_then(Value::as_object_mut) else {
        return Ok(());
    };
    for (name, a) in atts.iter_mut() {
        if a.get("digest").is_none() {
            let from_parent = parent
                .and_then(|b| b.get("_attachments"))
                .and_then(|m| m.get(name))
                .filter(|s| s.get("digest").is_some());
            match from_parent {
                Some(s) => *a = s.clone(),
                None => {
                    return Err(DocError::MissingStub {
                        id: id.to_owned(),
                        name: name.clone(),
                    })
                }
            }
        }
        if a.get("revpos").is_none() {
            // Unchanged since the parent (same name, same bytes): added back then.
            let d = a.get("digest").cloned();
            let kept = parent
                .and_then(|b| b.get("_attachments"))
                .and_then(|m| m.get(name))
                .filter(|s| s.get("digest") == d.as_ref())
                .and_then(|s| s.get("revpos").cloned());
            if let Some(m) = a.as_object_mut() {
                m.insert("revpos".into(), kept.unwrap_or(Value::from(pos)));
            }
        }
        let d = a.get("digest").and_then(Value::as_str).unwrap_or_default();
        if !known.contains(d) && !data.iter().any(|b| b.digest == d) {
            return Err(DocError::MissingStub {
                id: id.to_owned(),
                name: name.clone(),
            });
        }
    }
    Ok(())
}

/// Whether `bytes` are what `digest` names.
pub fn verify(digest_text: &str, bytes: &[u8]) -> bool {
    digest(bytes) == digest_text
}
