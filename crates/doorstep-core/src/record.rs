//! Tamper-evident service records (服务记录表): a canonical serialisation, its SHA-256, and a
//! hash chain per device.
//!
//! # Canonical form (version 1)
//!
//! A record is serialised with serde to a JSON value, then written by [`canonical_json`]:
//! - objects: keys sorted by their UTF-8 bytes, each key once; `{"a":1,"b":[]}`;
//! - no whitespace anywhere outside strings;
//! - numbers: integers only, in plain decimal (`-12`, `0`, `18446744073709551615`); a float
//!   is an error ([`CanonicalError::NotAnInteger`]), so no float formatting is ever involved;
//! - `true`, `false`, `null` as such;
//! - strings: UTF-8 as given (no Unicode normalisation). Escaped are only `"` → `\"`,
//!   `\` → `\\`, and the control characters U+0000–U+001F: `\b \t \n \f \r` by name, the
//!   others as `\u00XX` with lowercase hex (NUL → `\u0000`). Everything else — emoji,
//!   right-to-left marks, U+2028, `<script>` — is written raw.
//!
//! Times are chrono's serde text (`2026-05-01T14:30:00`, fractions only when present) and
//! money is integer fen, so the bytes are the same natively and in wasm.
//!
//! # Hash and chain
//!
//! `hash = lowercase hex SHA-256 of canonical_json({"format": FORMAT, "prev_hash": prev_hash,
//! "record": record})`. Each device numbers its records 1, 2, 3… (`seq`) and chains each to the
//! previous record's hash; the first has `prev_hash` = [`GENESIS_HASH`] (64 zeros). Changing any
//! field of a record, its `prev_hash` or its `hash` changes what [`verify_chain`] computes for
//! that record; deleting, inserting or reordering records breaks a link or the numbering.

use crate::lang::{Explain, Lang};
use crate::model::{JobId, Money, Signature, WorkerId};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use std::fmt::Write as _;
use thiserror::Error;

/// The `prev_hash` of a device's first record.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The sequence number of a device's first record.
pub const FIRST_SEQ: u64 = 1;

/// Names the canonical form and hash envelope; part of every hash.
pub const FORMAT: &str = "doorstep.service-record.v1";

/// One checklist item as ticked on site.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChecklistEntry {
    pub item_id: String,
    pub done: bool,
    /// Device local time of the tick.
    pub at: NaiveDateTime,
    pub by: WorkerId,
}

/// A tool or consumable counted out of and back into the toolbox, shown to the customer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ToolCount {
    pub item: String,
    pub out: u32,
    pub back: u32,
    pub damaged: u32,
}

/// The charge as recorded: computed price, amount paid, and the approved deviation if any.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordCharge {
    pub computed: Money,
    pub charged: Money,
    pub deviation_reason: Option<String>,
    pub deviation_approver: Option<String>,
}

impl From<&crate::pricing::Charge> for RecordCharge {
    fn from(c: &crate::pricing::Charge) -> Self {
        RecordCharge {
            computed: c.computed,
            charged: c.charged,
            deviation_reason: c.deviation.as_ref().map(|d| d.reason.clone()),
            deviation_approver: c.deviation.as_ref().map(|d| d.approver.clone()),
        }
    }
}

/// The service record of one visit (or one acceptance round), as the customer signs it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceRecord {
    pub job: JobId,
    /// Badges of the crew on site.
    pub workers: Vec<WorkerId>,
    pub checklist: Vec<ChecklistEntry>,
    pub tools: Vec<ToolCount>,
    pub charge: RecordCharge,
    /// Written by the customer themself, never by the worker.
    pub remarks: String,
    /// 1..=`Rules::satisfaction_max`; `None` when the customer did not score (failed acceptance).
    pub satisfaction: Option<u8>,
    /// The signer's strokes, name (`signature.signer`) and signing time.
    pub signature: Signature,
    /// Device local time when the record was closed.
    pub device_time: NaiveDateTime,
    pub device_id: String,
    /// Position in this device's chain: 1, 2, 3…
    pub seq: u64,
}

/// A record with its place in the device's chain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SealedRecord {
    pub record: ServiceRecord,
    /// The previous record's `hash`, or [`GENESIS_HASH`].
    pub prev_hash: String,
    /// Lowercase hex SHA-256 of the canonical envelope (module docs).
    pub hash: String,
}

/// A value that has no canonical form.
#[derive(Clone, Debug, PartialEq, Eq, Error, Serialize, Deserialize)]
pub enum CanonicalError {
    #[error("number {0} is not an integer; canonical records hold integers only")]
    NotAnInteger(String),
    #[error("cannot serialise the record: {0}")]
    Serialize(String),
}

/// Why a record could not be sealed.
#[derive(Clone, Debug, PartialEq, Eq, Error, Serialize, Deserialize)]
pub enum SealError {
    #[error("previous hash `{0}` is not 64 lowercase hex digits")]
    BadPrevHash(String),
    #[error(transparent)]
    Canonical(#[from] CanonicalError),
}

/// The canonical JSON text of a value (module docs).
pub fn canonical_json(value: &Value) -> Result<String, CanonicalError> {
    let mut out = String::new();
    write_value(&mut out, value)?;
    Ok(out)
}

fn write_value(out: &mut String, value: &Value) -> Result<(), CanonicalError> {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                let _ = write!(out, "{i}");
            } else if let Some(u) = n.as_u64() {
                let _ = write!(out, "{u}");
            } else {
                return Err(CanonicalError::NotAnInteger(n.to_string()));
            }
        }
        Value::String(s) => write_str(out, s),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(out, item)?;
            }
            out.push(']');
        }
        Value::Object(map) => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_unstable_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
            out.push('{');
            for (i, (k, v)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_str(out, k);
                out.push(':');
                write_value(out, v)?;
            }
            out.push('}');
        }
    }
    Ok(())
}

fn write_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{08}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{0c}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// The canonical JSON of a record on its own.
pub fn canonical_record(record: &ServiceRecord) -> Result<String, CanonicalError> {
    canonical_json(&to_value(record)?)
}

fn to_value(record: &ServiceRecord) -> Result<Value, CanonicalError> {
    serde_json::to_value(record).map_err(|e| CanonicalError::Serialize(e.to_string()))
}

/// The bytes that are hashed: the canonical envelope `{"format","prev_hash","record"}`.
pub fn hash_input(record: &ServiceRecord, prev_hash: &str) -> Result<String, CanonicalError> {
    envelope(FORMAT, to_value(record)?, prev_hash, None)
}

/// Lowercase hex SHA-256 of [`hash_input`].
pub fn record_hash(record: &ServiceRecord, prev_hash: &str) -> Result<String, CanonicalError> {
    Ok(sha256_hex(&hash_input(record, prev_hash)?))
}

/// The canonical JSON of a hashed envelope: `{"format","prev_hash","record"}` and, for the
/// signed records' format, `"seq"`.
fn envelope(
    format: &str,
    record: Value,
    prev_hash: &str,
    seq: Option<u64>,
) -> Result<String, CanonicalError> {
    let mut envelope = Map::new();
    envelope.insert("format".to_owned(), Value::String(format.to_owned()));
    envelope.insert("prev_hash".to_owned(), Value::String(prev_hash.to_owned()));
    envelope.insert("record".to_owned(), record);
    if let Some(seq) = seq {
        envelope.insert("seq".to_owned(), Value::from(seq));
    }
    canonical_json(&Value::Object(envelope))
}

/// Lowercase hex SHA-256 of `text`.
fn sha256_hex(text: &str) -> String {
    let mut hex = String::with_capacity(64);
    for b in Sha256::digest(text.as_bytes()) {
        let _ = write!(hex, "{b:02x}");
    }
    hex
}

/// 64 lowercase hex digits, the form of every hash here.
pub fn is_hash(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Seals `record` after the record whose hash is `prev_hash` ([`GENESIS_HASH`] for the first).
pub fn seal(record: ServiceRecord, prev_hash: &str) -> Result<SealedRecord, SealError> {
    if !is_hash(prev_hash) {
        return Err(SealError::BadPrevHash(prev_hash.to_owned()));
    }
    let hash = record_hash(&record, prev_hash)?;
    Ok(SealedRecord {
        record,
        prev_hash: prev_hash.to_owned(),
        hash,
    })
}

/// Seals the next record of a device's chain: `seq` is set to follow `last` (or [`FIRST_SEQ`]),
/// and it is chained to `last`'s hash (or [`GENESIS_HASH`]).
pub fn seal_next(
    mut record: ServiceRecord,
    last: Option<&SealedRecord>,
) -> Result<SealedRecord, SealError> {
    let (seq, prev) = match last {
        Some(l) => (l.record.seq.saturating_add(1), l.hash.as_str()),
        None => (FIRST_SEQ, GENESIS_HASH),
    };
    record.seq = seq;
    seal(record, prev)
}

/// What is wrong with a record of a chain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ChainFault {
    /// The record's content, `prev_hash` or `hash` was changed after sealing.
    ContentHash { stored: String, computed: String },
    /// `prev_hash` is not the previous record's hash: a record before it was removed,
    /// inserted or moved.
    BrokenLink { expected: String, found: String },
    /// The sequence number does not follow the previous one.
    SequenceGap { expected: u64, found: u64 },
    /// The record cannot be written canonically.
    Unhashable { detail: String },
}

/// The first record of a chain that does not match, by position (0-based) and job.
#[derive(Clone, Debug, PartialEq, Eq, Error, Serialize, Deserialize)]
#[error("{}", self.explain(Lang::En))]
pub struct ChainError {
    pub index: usize,
    pub job: JobId,
    pub fault: ChainFault,
}

impl Explain for ChainFault {
    fn explain(&self, lang: Lang) -> String {
        match (self, lang) {
            (ChainFault::ContentHash { stored, computed }, Lang::Zh) => {
                format!("内容已被改动（记录的哈希 {stored}，按内容计算为 {computed}）")
            }
            (ChainFault::ContentHash { stored, computed }, Lang::En) => {
                format!(
                    "its content was changed (stored hash {stored}, content hashes to {computed})"
                )
            }
            (ChainFault::BrokenLink { expected, found }, Lang::Zh) => {
                format!("与前一条记录的链接断开（应为 {expected}，实为 {found}）：之前有记录被删除、插入或调换")
            }
            (ChainFault::BrokenLink { expected, found }, Lang::En) => {
                format!("its link to the previous record is broken (expected {expected}, found {found}): a record before it was removed, inserted or moved")
            }
            (ChainFault::SequenceGap { expected, found }, Lang::Zh) => {
                format!("序号不连续（应为 {expected}，实为 {found}）")
            }
            (ChainFault::SequenceGap { expected, found }, Lang::En) => {
                format!("its sequence number is out of order (expected {expected}, found {found})")
            }
            (ChainFault::Unhashable { detail }, Lang::Zh) => format!("无法计算哈希：{detail}"),
            (ChainFault::Unhashable { detail }, Lang::En) => {
                format!("it cannot be hashed: {detail}")
            }
        }
    }
}

impl Explain for ChainError {
    fn explain(&self, lang: Lang) -> String {
        let (index, job, fault) = (self.index, &self.job, self.fault.explain(lang));
        match lang {
            Lang::Zh => format!(
                "第 {} 条记录（索引 {index}，工单 {job}）不符：{fault}",
                index + 1
            ),
            Lang::En => format!("record {index} (job {job}) does not match: {fault}"),
        }
    }
}

/// Verifies a device's whole chain: it starts at [`GENESIS_HASH`] with [`FIRST_SEQ`].
pub fn verify_chain(records: &[SealedRecord]) -> Result<(), ChainError> {
    verify_segment(records, GENESIS_HASH, FIRST_SEQ)
}

/// Verifies a run of records that follows a known record (`prev_hash`, and `first_seq` for the
/// first of the run). Each record is checked in turn — content hash, then link, then sequence —
/// and the first failure is returned.
pub fn verify_segment(
    records: &[SealedRecord],
    prev_hash: &str,
    first_seq: u64,
) -> Result<(), ChainError> {
    let mut expected_prev = prev_hash;
    let mut expected_seq = first_seq;
    for (index, r) in records.iter().enumerate() {
        let fail = |fault| {
            Err(ChainError {
                index,
                job: r.record.job.clone(),
                fault,
            })
        };
        match record_hash(&r.record, &r.prev_hash) {
            Err(e) => {
                return fail(ChainFault::Unhashable {
                    detail: e.to_string(),
                })
            }
            Ok(computed) if computed != r.hash => {
                return fail(ChainFault::ContentHash {
                    stored: r.hash.clone(),
                    computed,
                });
            }
            Ok(_) => {}
        }
        if r.prev_hash != expected_prev {
            return fail(ChainFault::BrokenLink {
                expected: expected_prev.to_owned(),
                found: r.prev_hash.clone(),
            });
        }
        if r.record.seq != expected_seq {
            return fail(ChainFault::SequenceGap {
                expected: expected_seq,
                found: r.record.seq,
            });
        }
        expected_prev = &r.hash;
        expected_seq = expected_seq.saturating_add(1);
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Signed records of acceptance rounds (`record:<job>:<device>:<seq>`).
// ---------------------------------------------------------------------------------------

/// Names the canonical form of a signed round record; part of every such hash.
pub const SIGNED_FORMAT: &str = "doorstep.signed-record.v1";

/// What the visit left on the record, as signed: the crew, the checklist ticks, the kit
/// counted out and back, and the charge by the price list (with its deviation, if any).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitSummary {
    pub workers: Vec<WorkerId>,
    pub checklist: Vec<ChecklistEntry>,
    pub tools: Vec<ToolCount>,
    pub charge: Option<RecordCharge>,
    /// The damage reported during the visit, with its photos, in time order. Left out of the
    /// canonical form when there is none, so records sealed before it existed still verify.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub damage: Vec<DamageEntry>,
}

/// A damage report as signed: what happened, the estimated value, who reported it and when,
/// and its photos by their stored digest.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DamageEntry {
    pub at: NaiveDateTime,
    pub by: WorkerId,
    pub description: String,
    pub value: Money,
    pub photos: Vec<PhotoRef>,
}

/// A photo as signed: its attachment name, content type, length and digest
/// (`md5-<base64>`, as CouchDB keeps it and the store checks on every read), so a photo
/// replaced after signing no longer matches its record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhotoRef {
    pub name: String,
    pub content_type: String,
    pub length: u64,
    pub digest: String,
}

impl VisitSummary {
    /// The summary with the visit's damage reports (their photos included), in time order.
    pub fn with_damage(mut self, entries: impl IntoIterator<Item = DamageEntry>) -> Self {
        self.damage.extend(entries);
        self.damage.sort_by_key(|d| d.at);
        self
    }
}

impl DamageEntry {
    /// The entry `step` makes, if it is a damage report; `photos` are its attachments.
    pub fn of(step: &crate::step::Step, photos: Vec<PhotoRef>) -> Option<DamageEntry> {
        let crate::step::StepKind::Damage(report) = &step.step else {
            return None;
        };
        Some(DamageEntry {
            at: step.at,
            by: step.by.clone(),
            description: report.description.clone(),
            value: report.value,
            photos,
        })
    }
}

/// One sign-off of a round, as given.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignOff {
    pub outcome: crate::acceptance::Outcome,
    pub verdict: crate::acceptance::Verdict,
}

/// The service record of one acceptance round, closed when its last signature is given
/// (the customer's pass, or any step's fail).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundRecord {
    pub job: JobId,
    /// 1 for the first acceptance, 2 for the second, …
    pub round: u32,
    pub visit: VisitSummary,
    /// The rework that opened this round (after a failed one).
    pub rework: Option<crate::acceptance::Rework>,
    /// The round's sign-offs in order; the last one closed it.
    pub sign_offs: Vec<SignOff>,
    /// The consent text the signers saw.
    pub consent: String,
    /// Device local time when the record was sealed, and the device's UTC offset.
    pub device_time: NaiveDateTime,
    pub utc_offset_minutes: i32,
    pub device_id: String,
}

impl RoundRecord {
    /// The round of `acceptance` numbered `round` as a record (`None`: no such round).
    pub fn of_round(
        acceptance: &crate::acceptance::Acceptance,
        round: u32,
        visit: VisitSummary,
        consent: String,
        device_time: NaiveDateTime,
        utc_offset_minutes: i32,
        device_id: String,
    ) -> Option<RoundRecord> {
        let r = acceptance.round(round)?;
        let rework = round
            .checked_sub(1)
            .and_then(|p| acceptance.round(p))
            .and_then(|p| p.rework.clone());
        Some(RoundRecord {
            job: acceptance.job().clone(),
            round,
            visit,
            rework,
            sign_offs: r
                .steps
                .iter()
                .map(|s| SignOff {
                    outcome: s.outcome,
                    verdict: s.verdict.clone(),
                })
                .collect(),
            consent,
            device_time,
            utc_offset_minutes,
            device_id,
        })
    }

    /// The sign-off that closed the round.
    pub fn closing(&self) -> Option<&SignOff> {
        self.sign_offs.last()
    }
}

/// Where a device's chain of signed records stands (`_local/chain`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainHead {
    pub seq: u64,
    pub hash: String,
}

impl ChainHead {
    /// The head to seal after, given the stored head (`_local/chain`, written after the
    /// record's transaction, so a crash between them leaves it behind) and the heads of this
    /// device's stored records (`seq`, `hash` of each `record:…:<device>:…`): the stored
    /// record with the highest `seq` wins when it is at or past the stored head (a record is
    /// the truth; the head only a shortcut), else the stored head stands.
    /// The chain head a stored `record:<job>:<device>:<seq>` document makes, if it is one of
    /// `device`'s (its `seq` from the id, its `hash` from the body).
    pub fn of_stored(id: &str, body: &Value, device: &str) -> Option<ChainHead> {
        let mut parts = id.strip_prefix("record:")?.rsplitn(3, ':');
        let seq = parts.next()?.parse().ok()?;
        (parts.next()? == device && parts.next().is_some()).then_some(())?;
        let hash = body.get("hash")?.as_str()?.to_owned();
        Some(ChainHead { seq, hash })
    }

    pub fn repaired(head: Option<ChainHead>, stored: &[ChainHead]) -> Option<ChainHead> {
        let top = stored.iter().max_by_key(|h| h.seq);
        match (head, top) {
            (Some(h), Some(t)) if t.seq < h.seq => Some(h),
            (_, Some(t)) => Some(t.clone()),
            (h, None) => h,
        }
    }
}

/// A round record with its place in the device's chain: written once, never edited.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedRecord {
    pub record: RoundRecord,
    pub seq: u64,
    /// The previous record's `hash`, or [`GENESIS_HASH`].
    pub prev_hash: String,
    /// Lowercase hex SHA-256 of `canonical_json({"format","prev_hash","record","seq"})`.
    pub hash: String,
}

/// The document id of a device's signed record: `record:<job>:<device>:<seq>`.
pub fn record_id(job: &JobId, device: &str, seq: u64) -> String {
    format!("record:{job}:{device}:{seq}")
}

/// The id prefix of `job`'s signed records.
pub fn records_of(job: &JobId) -> String {
    format!("record:{job}:")
}

/// The hash of a signed record's envelope.
pub fn signed_hash(
    record: &RoundRecord,
    seq: u64,
    prev_hash: &str,
) -> Result<String, CanonicalError> {
    let value =
        serde_json::to_value(record).map_err(|e| CanonicalError::Serialize(e.to_string()))?;
    Ok(sha256_hex(&envelope(
        SIGNED_FORMAT,
        value,
        prev_hash,
        Some(seq),
    )?))
}

impl SignedRecord {
    /// Seals `record` as the next of the chain whose head is `head` (`None`: the first).
    pub fn seal(record: RoundRecord, head: Option<&ChainHead>) -> Result<SignedRecord, SealError> {
        let (seq, prev) = match head {
            Some(h) => (h.seq.saturating_add(1), h.hash.as_str()),
            None => (FIRST_SEQ, GENESIS_HASH),
        };
        if !is_hash(prev) {
            return Err(SealError::BadPrevHash(prev.to_owned()));
        }
        let hash = signed_hash(&record, seq, prev)?;
        Ok(SignedRecord {
            record,
            seq,
            prev_hash: prev.to_owned(),
            hash,
        })
    }

    /// This record as the chain's head.
    pub fn head(&self) -> ChainHead {
        ChainHead {
            seq: self.seq,
            hash: self.hash.clone(),
        }
    }

    pub fn id(&self) -> String {
        record_id(&self.record.job, &self.record.device_id, self.seq)
    }

    /// Whether the record is as sealed: its content, `seq` and `prev_hash` hash to `hash`.
    pub fn verify(&self) -> Result<(), ChainFault> {
        match signed_hash(&self.record, self.seq, &self.prev_hash) {
            Err(e) => Err(ChainFault::Unhashable {
                detail: e.to_string(),
            }),
            Ok(computed) if computed != self.hash => Err(ChainFault::ContentHash {
                stored: self.hash.clone(),
                computed,
            }),
            Ok(_) => Ok(()),
        }
    }
}

/// Verifies one device's signed records (in chain order): each as sealed, linked to the one
/// before it (the first to [`GENESIS_HASH`]) and numbered from [`FIRST_SEQ`] without gaps.
pub fn verify_signed_chain(records: &[SignedRecord]) -> Result<(), ChainError> {
    let mut expected_prev = GENESIS_HASH;
    let mut expected_seq = FIRST_SEQ;
    for (index, r) in records.iter().enumerate() {
        let fail = |fault| {
            Err(ChainError {
                index,
                job: r.record.job.clone(),
                fault,
            })
        };
        if let Err(f) = r.verify() {
            return fail(f);
        }
        if r.prev_hash != expected_prev {
            return fail(ChainFault::BrokenLink {
                expected: expected_prev.to_owned(),
                found: r.prev_hash.clone(),
            });
        }
        if r.seq != expected_seq {
            return fail(ChainFault::SequenceGap {
                expected: expected_seq,
                found: r.seq,
            });
        }
        expected_prev = &r.hash;
        expected_seq = expected_seq.saturating_add(1);
    }
    Ok(())
}
