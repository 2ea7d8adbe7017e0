//! CouchDB revisions: `N-<id>` where N is the generation and `<id>` identifies the edit.
//!
//! Revisions minted here have 32 lowercase hex characters, derived from the parent revision,
//! the deleted flag and the canonical body (so the same edit on two devices gets the same id).
//! Revisions that arrive by replication are kept as given, after validation.

use crate::canonical::canonical_json;
use crate::error::DocError;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use sha2::{Digest, Sha256};
use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Rev {
    pub pos: u64,
    pub id: String,
}

impl Rev {
    /// The revision of an edit: generation `parent + 1`, id from a SHA-256 of what it says.
    pub fn mint(parent: Option<&Rev>, deleted: bool, body: &serde_json::Value) -> Rev {
        let mut h = Sha256::new();
        if let Some(p) = parent {
            h.update(p.to_string().as_bytes());
        }
        h.update([0, u8::from(deleted)]);
        h.update(canonical_json(body).as_bytes());
        let digest = h.finalize();
        let mut id = String::with_capacity(32);
        for b in digest.iter().take(16) {
            id.push(HEX[usize::from(b >> 4)]);
            id.push(HEX[usize::from(b & 0xf)]);
        }
        Rev {
            pos: parent.map_or(1, |p| p.pos + 1),
            id,
        }
    }

    /// CouchDB's order of leaves for picking a winner (deletedness aside): generation as an
    /// integer, then the id as text.
    pub fn cmp_winner(&self, other: &Rev) -> Ordering {
        self.pos
            .cmp(&other.pos)
            .then_with(|| self.id.cmp(&other.id))
    }
}

const HEX: [char; 16] = [
    '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b', 'c', 'd', 'e', 'f',
];

/// Checks a revision id as CouchDB does: not empty, no `-`, and a 32-character id must be
/// lowercase hex.
pub fn valid_rev_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 128
        && !id.contains('-')
        && id.chars().all(|c| !c.is_control())
        && (id.len() != 32
            || id
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)))
}

impl FromStr for Rev {
    type Err = DocError;

    fn from_str(s: &str) -> Result<Rev, DocError> {
        let bad = || DocError::BadRev(s.chars().take(80).collect());
        let (pos, id) = s.split_once('-').ok_or_else(bad)?;
        let pos: u64 = pos.parse().map_err(|_| bad())?;
        if pos == 0 || !valid_rev_id(id) {
            return Err(bad());
        }
        Ok(Rev {
            pos,
            id: id.to_owned(),
        })
    }
}

impl fmt::Display for Rev {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.pos, self.id)
    }
}

impl Serialize for Rev {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Rev {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Rev, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}
