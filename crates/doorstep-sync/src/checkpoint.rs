//! Replication ids and checkpoints, as the CouchDB replication protocol defines them.
//!
//! A replication id is a digest of stable inputs (which local database, which remote, which
//! direction, the replicator's protocol version): the same replication gets the same id on
//! every run, so it finds its checkpoints. Each run writes the same checkpoint document to
//! `_local/<rep-id>` on both sides: its own session id, the source sequence reached, and a
//! history of earlier sessions. On start the two are compared: the same session → resume
//! from its sequence; else the newest session of the source's history that the target's
//! history also holds → resume from there; else from the start.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

/// Bump when a change to the protocol logic makes old checkpoints unsafe to resume from.
pub const PROTOCOL_VERSION: u32 = 1;
/// Sessions kept in a checkpoint's history (CouchDB keeps 50).
pub const HISTORY_LEN: usize = 50;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// Local changes to the remote database.
    Push,
    /// Remote changes into the local store.
    Pull,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Push => "push",
            Direction::Pull => "pull",
        }
    }
}

/// The replication id: 32 hex characters from the stable inputs only (never credentials,
/// never a session).
pub fn replication_id(local_id: &str, remote_id: &str, direction: Direction) -> String {
    let mut h = Sha256::new();
    for part in [
        "doorstep-sync",
        &PROTOCOL_VERSION.to_string(),
        local_id,
        remote_id,
        direction.as_str(),
    ] {
        h.update((part.len() as u64).to_be_bytes());
        h.update(part.as_bytes());
    }
    h.finalize()
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub session_id: String,
    /// The source sequence this session had reached (opaque for a remote source).
    pub recorded_seq: Value,
}

/// The checkpoint document (without `_id`/`_rev`, which the remote side adds).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Checkpoint {
    pub session_id: String,
    pub source_last_seq: Value,
    #[serde(default)]
    pub history: Vec<HistoryEntry>,
    #[serde(default)]
    pub replicator: String,
    #[serde(default)]
    pub version: u32,
}

impl Checkpoint {
    /// The checkpoint of session `session_id` at `seq`, on top of `previous` (the source's
    /// checkpoint at the start of the run), history newest first.
    pub fn next(session_id: &str, seq: Value, previous: Option<&Checkpoint>) -> Checkpoint {
        let mut history = vec![HistoryEntry {
            session_id: session_id.to_owned(),
            recorded_seq: seq.clone(),
        }];
        if let Some(p) = previous {
            history.extend(
                p.history
                    .iter()
                    .filter(|h| h.session_id != session_id)
                    .take(HISTORY_LEN - 1)
                    .cloned(),
            );
        }
        Checkpoint {
            session_id: session_id.to_owned(),
            source_last_seq: seq,
            history,
            replicator: "doorstep-sync".into(),
            version: PROTOCOL_VERSION,
        }
    }
}

/// Where to resume, from the source's and the target's checkpoints: `None` = from the start.
pub fn resume_from(source: Option<&Checkpoint>, target: Option<&Checkpoint>) -> Option<Value> {
    let (s, t) = (source?, target?);
    if s.version != PROTOCOL_VERSION || t.version != PROTOCOL_VERSION {
        return None;
    }
    if s.session_id == t.session_id {
        return Some(s.source_last_seq.clone());
    }
    s.history.iter().find_map(|h| {
        t.history
            .iter()
            .any(|th| th.session_id == h.session_id)
            .then(|| h.recorded_seq.clone())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn cp(session: &str, seq: u64, history: &[(&str, u64)]) -> Checkpoint {
        Checkpoint {
            session_id: session.into(),
            source_last_seq: json!(seq),
            history: history
                .iter()
                .map(|(s, q)| HistoryEntry {
                    session_id: (*s).into(),
                    recorded_seq: json!(q),
                })
                .collect(),
            replicator: String::new(),
            version: PROTOCOL_VERSION,
        }
    }

    #[test]
    fn resume_as_the_protocol_says() {
        let a = cp("s3", 30, &[("s3", 30), ("s2", 20), ("s1", 10)]);
        // Same session on both sides: its sequence.
        assert_eq!(
            resume_from(Some(&a), Some(&cp("s3", 30, &[("s3", 30)]))),
            Some(json!(30))
        );
        // The target missed s3 (its write failed): the newest session both know.
        assert_eq!(
            resume_from(Some(&a), Some(&cp("s2", 20, &[("s2", 20), ("s1", 10)]))),
            Some(json!(20))
        );
        // Nothing in common, or one side has none: from the start.
        assert_eq!(resume_from(Some(&a), Some(&cp("x", 5, &[("x", 5)]))), None);
        assert_eq!(resume_from(Some(&a), None), None);
        let mut old = a.clone();
        old.version = 0;
        assert_eq!(resume_from(Some(&old), Some(&a)), None);
    }

    #[test]
    fn history_is_newest_first_and_bounded() {
        let mut c: Option<Checkpoint> = None;
        for k in 0..60u64 {
            c = Some(Checkpoint::next(&format!("s{k}"), json!(k), c.as_ref()));
        }
        let c = c.unwrap_or_else(|| Checkpoint::next("x", json!(0), None));
        assert_eq!(c.history.len(), HISTORY_LEN);
        assert_eq!(c.history[0].session_id, "s59");
        assert_eq!(c.history[1].recorded_seq, json!(58));
    }

    #[test]
    fn replication_ids_are_stable_and_distinct() {
        let push = replication_id("device", "http://h:5984/w1", Direction::Push);
        assert_eq!(
            push,
            replication_id("device", "http://h:5984/w1", Direction::Push)
        );
        assert_eq!(push.len(), 32);
        assert_ne!(
            push,
            replication_id("device", "http://h:5984/w1", Direction::Pull)
        );
        assert_ne!(
            push,
            replication_id("device2", "http://h:5984/w1", Direction::Push)
        );
    }
}
