//! The IndexedDB backend (wasm only). Raw `web-sys`, chosen over the wrapper crates after
//! measuring them (see ARCHITECTURE.md): a batch costs one transaction, its reads are issued
//! together and awaited once, and its writes are awaited by the transaction's `complete`.
//!
//! Schema (database version = `SCHEMA_VERSION`, upgraded step by step in `migrate`):
//! - `docs`: key path `id`; value `{id, seq, j, w, k}` where `j` is the JSON of a
//!   `DocRecord`, `w` (since version 4) its live winner's body as JSON text (`null` when the
//!   winner is a deletion: lists read `w` alone, see [`Body`]) and `k` its [`Index`] key
//!   (absent when none); index `seq` (unique) for the changes feed, index `k` (since
//!   version 3) for key ranges.
//! - `meta`: key `"update_seq"` → the last sequence number; `"index_version"` → the
//!   version of the index function that made the stored keys (and the `w` of every record:
//!   the upgrade to version 4 drops it, so the next indexed open writes them).
//! - `local` (since version 2): `_local` documents, key = id, value = JSON text.
//! - `atts` (since version 5): attachment bytes (`Uint8Array`), key = digest (`md5-…`),
//!   kept once however many documents name them. A record lists the digests its kept
//!   revisions name in `a` (absent when none; multi-entry index `a`): a write or purge that
//!   leaves a digest unnamed deletes its bytes in the same transaction.

use crate::attach::record_digests;
use crate::backend::{apply_purge, edit_digests, Backend};
use crate::doc::{apply_batch, live_body, Body, DocRecord};
use crate::error::{DocError, StoreError};
use crate::index::Index;
use crate::rev::Rev;
use crate::tree::Edit;
use js_sys::{Array, Promise, Reflect};
use serde_json::Value;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    IdbDatabase, IdbFactory, IdbKeyRange, IdbObjectStoreParameters, IdbOpenDbRequest, IdbRequest,
    IdbTransaction, IdbTransactionMode,
};

pub const SCHEMA_VERSION: u32 = 5;
const ATTS: &str = "atts";
const ATT_INDEX: &str = "a";
const DOCS: &str = "docs";
const META: &str = "meta";
const LOCAL: &str = "local";
const SEQ_INDEX: &str = "seq";
const SEQ_KEY: &str = "update_seq";
const KEY_INDEX: &str = "k";
const INDEX_VERSION_KEY: &str = "index_version";
const BLOCKED_GRACE_MS: i32 = 3000;
/// Batches of at least this many ids scan their key range instead of reading each id...
const KEY_SCAN_MIN: usize = 32;
/// ...when the range holds at most this many keys per id of the batch.
const KEY_SCAN_FACTOR: usize = 4;

/// Resolves after `ms` milliseconds (window or worker `setTimeout`).
fn sleep_ms(ms: i32) -> JsFuture {
    JsFuture::from(Promise::new(&mut |resolve, _| {
        let set_timeout = Reflect::get(&js_sys::global(), &JsValue::from_str("setTimeout"))
            .ok()
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
        if let Some(f) = set_timeout {
            let _ = f.call2(&JsValue::NULL, &resolve, &JsValue::from(ms));
        }
    }))
}

/// Polls both futures; `Some` with the first one's output if it finishes first, `None` if
/// the second finishes first.
async fn first_of<T>(
    a: impl std::future::Future<Output = T>,
    b: impl std::future::Future<Output = ()>,
) -> Option<T> {
    use std::task::Poll;
    let (mut a, mut b) = (std::pin::pin!(a), std::pin::pin!(b));
    std::future::poll_fn(|cx| {
        if let Poll::Ready(v) = a.as_mut().poll(cx) {
            return Poll::Ready(Some(v));
        }
        if b.as_mut().poll(cx).is_ready() {
            return Poll::Ready(None);
        }
        Poll::Pending
    })
    .await
}

pub struct IdbBackend {
    db: IdbDatabase,
    _on_version_change: Closure<dyn FnMut(web_sys::Event)>,
}

fn factory() -> Result<IdbFactory, StoreError> {
    let global = js_sys::global();
    Reflect::get(&global, &JsValue::from_str("indexedDB"))
        .ok()
        .filter(|v| !v.is_undefined() && !v.is_null())
        .map(JsCast::unchecked_into)
        .ok_or(StoreError::Unavailable)
}

/// Maps a DOM error to what the user is told.
fn dom_error(e: &JsValue) -> StoreError {
    let name = Reflect::get(e, &JsValue::from_str("name"))
        .ok()
        .and_then(|n| n.as_string())
        .unwrap_or_default();
    let message = Reflect::get(e, &JsValue::from_str("message"))
        .ok()
        .and_then(|n| n.as_string())
        .unwrap_or_default();
    match name.as_str() {
        "QuotaExceededError" => StoreError::QuotaExceeded,
        "InvalidStateError" | "TransactionInactiveError" => StoreError::Closed,
        "VersionError" => StoreError::TooNew {
            found: 0,
            supported: SCHEMA_VERSION,
        },
        "SecurityError" => StoreError::Unavailable,
        _ => StoreError::Backend(format!("{name}: {message}")),
    }
}

/// The error of a failed request or transaction (its `error` property), else the event.
fn event_error(target: &JsValue) -> StoreError {
    match Reflect::get(target, &JsValue::from_str("error")) {
        Ok(e) if !e.is_null() && !e.is_undefined() => dom_error(&e),
        _ => StoreError::Backend("the storage operation was aborted".into()),
    }
}

/// Waits for a request to succeed; no Rust closure is allocated (the promise's own
/// resolve/reject are the handlers).
async fn request(req: &IdbRequest) -> Result<JsValue, StoreError> {
    let p = Promise::new(&mut |resolve, reject| {
        req.set_onsuccess(Some(&resolve));
        req.set_onerror(Some(&reject));
    });
    match JsFuture::from(p).await {
        Ok(_) => req.result().map_err(|e| dom_error(&e)),
        Err(_) => Err(req
            .error()
            .ok()
            .flatten()
            .map_or(StoreError::Backend("request failed".into()), |e| {
                dom_error(&e)
            })),
    }
}

/// A promise settled when the transaction commits (or aborts). Create it before the first
/// request so that no event is missed.
fn committed(tx: &IdbTransaction) -> JsFuture {
    JsFuture::from(Promise::new(&mut |resolve, reject| {
        tx.set_oncomplete(Some(&resolve));
        tx.set_onerror(Some(&reject));
        tx.set_onabort(Some(&reject));
    }))
}

async fn commit(tx: &IdbTransaction, done: JsFuture) -> Result<(), StoreError> {
    match done.await {
        Ok(_) => Ok(()),
        Err(_) => Err(event_error(tx.as_ref())),
    }
}

fn migrate(db: &IdbDatabase, upgrade: &IdbTransaction, old: u32) -> Result<(), JsValue> {
    if old < 1 {
        let params = IdbObjectStoreParameters::new();
        params.set_key_path(&JsValue::from_str("id"));
        let docs = db.create_object_store_with_optional_parameters(DOCS, &params)?;
        let unique = web_sys::IdbIndexParameters::new();
        unique.set_unique(true);
        docs.create_index_with_str_and_optional_parameters(SEQ_INDEX, "seq", &unique)?;
        db.create_object_store(META)?;
    }
    if old < 2 {
        db.create_object_store(LOCAL)?;
    }
    if old < 3 {
        // Keys are filled in by `Backend::reindex` when the store is next opened indexed.
        upgrade
            .object_store(DOCS)?
            .create_index_with_str(KEY_INDEX, KEY_INDEX)?;
    }
    if old < 5 {
        db.create_object_store(ATTS)?;
        let multi = web_sys::IdbIndexParameters::new();
        multi.set_multi_entry(true);
        upgrade
            .object_store(DOCS)?
            .create_index_with_str_and_optional_parameters(ATT_INDEX, ATT_INDEX, &multi)?;
    }
    if old == 3 {
        // Records get their winner's body (`w`) when keys are next computed: forget who
        // made the keys. (Below 3 there were no keys, so nothing to forget.)
        upgrade
            .object_store(META)?
            .delete(&JsValue::from_str(INDEX_VERSION_KEY))?;
    }
    Ok(())
}

impl IdbBackend {
    /// Opens (creating or upgrading) the database `name`.
    pub async fn open(name: &str) -> Result<IdbBackend, StoreError> {
        let req: IdbOpenDbRequest = factory()?
            .open_with_u32(name, SCHEMA_VERSION)
            .map_err(|e| dom_error(&e))?;
        let upgrade_error = std::rc::Rc::new(std::cell::RefCell::new(None::<StoreError>));
        let sink = upgrade_error.clone();
        let on_upgrade = Closure::<dyn FnMut(web_sys::IdbVersionChangeEvent)>::new(
            move |ev: web_sys::IdbVersionChangeEvent| {
                let target = ev
                    .target()
                    .and_then(|t| t.dyn_into::<IdbOpenDbRequest>().ok());
                let upgrade = target.as_ref().and_then(|r| r.transaction());
                let db = target
                    .and_then(|r| r.result().ok())
                    .and_then(|r| r.dyn_into::<IdbDatabase>().ok());
                let result = match (db, upgrade) {
                    (Some(db), Some(tx)) => {
                        migrate(&db, &tx, ev.old_version() as u32).map_err(|e| dom_error(&e))
                    }
                    _ => Err(StoreError::Backend("upgrade without a database".into())),
                };
                if let Err(e) = result {
                    *sink.borrow_mut() = Some(e);
                }
            },
        );
        req.set_onupgradeneeded(Some(on_upgrade.as_ref().unchecked_ref()));
        let blocked = JsFuture::from(Promise::new(&mut |resolve, _| {
            req.set_onblocked(Some(&resolve))
        }));
        let opened = request(req.unchecked_ref());
        // Another tab may block the upgrade for a moment (its connection is closing); if it
        // still blocks after a grace period, say so instead of hanging.
        let grace = async {
            let _ = blocked.await;
            let _ = sleep_ms(BLOCKED_GRACE_MS).await;
        };
        let result = match first_of(opened, grace).await {
            Some(r) => r,
            None => Err(StoreError::Blocked),
        };
        req.set_onupgradeneeded(None);
        drop(on_upgrade);
        if let Some(e) = upgrade_error.borrow_mut().take() {
            return Err(e);
        }
        let db: IdbDatabase = result?
            .dyn_into()
            .map_err(|_| StoreError::Backend("open returned no database".into()))?;
        // Another tab wants a newer schema: let it, by closing this connection.
        let db2 = db.clone();
        let on_version_change = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| db2.close());
        db.set_onversionchange(Some(on_version_change.as_ref().unchecked_ref()));
        Ok(IdbBackend {
            db,
            _on_version_change: on_version_change,
        })
    }

    /// Deletes the database `name` (tests, and "remove this device's data").
    pub async fn delete(name: &str) -> Result<(), StoreError> {
        let req = factory()?
            .delete_database(name)
            .map_err(|e| dom_error(&e))?;
        request(req.unchecked_ref()).await.map(|_| ())
    }

    pub fn close(&self) {
        self.db.close();
    }

    fn tx(&self, stores: &[&str], mode: IdbTransactionMode) -> Result<IdbTransaction, StoreError> {
        let names: Array = stores.iter().map(|s| JsValue::from_str(s)).collect();
        self.db
            .transaction_with_str_sequence_and_mode(&names, mode)
            .map_err(|e| dom_error(&e))
    }

    fn store(tx: &IdbTransaction, name: &str) -> Result<web_sys::IdbObjectStore, StoreError> {
        tx.object_store(name).map_err(|e| dom_error(&e))
    }
}

fn decode_value(v: &JsValue) -> Result<DocRecord, StoreError> {
    let id = Reflect::get(v, &JsValue::from_str("id"))
        .ok()
        .and_then(|x| x.as_string())
        .unwrap_or_default();
    let j = Reflect::get(v, &JsValue::from_str("j"))
        .ok()
        .and_then(|x| x.as_string())
        .ok_or_else(|| StoreError::Corrupt {
            id: id.clone(),
            reason: "no record text".into(),
        })?;
    DocRecord::decode(&id, &j)
}

#[wasm_bindgen(
    inline_js = "export function make_record(id, seq, j, w, k, a) { const r = { id, seq, j, w }; if (k !== undefined) r.k = k; if (a.length) r.a = a; return r; }"
)]
extern "C" {
    /// One call builds the stored object (each property set from Rust would be a crossing).
    fn make_record(
        id: &str,
        seq: f64,
        j: &str,
        w: &JsValue,
        k: Option<String>,
        a: Vec<String>,
    ) -> JsValue;
}

/// The stored object of `rec` (its text `j` when already at hand).
fn encode_value(rec: &DocRecord, j: Option<String>, index: Option<&Index>) -> JsValue {
    let w = live_body(rec).map_or(JsValue::NULL, |b| JsValue::from_str(&b.json));
    make_record(
        &rec.id,
        rec.seq as f64,
        &j.unwrap_or_else(|| rec.encode()),
        &w,
        index.and_then(|i| i.key_of(rec)),
        record_digests(rec).into_iter().collect(),
    )
}

/// The live body of a stored object from its `w` alone (`None`: a deletion).
fn decode_body(v: &JsValue) -> Option<Result<Body, StoreError>> {
    let id = Reflect::get(v, &JsValue::from_str("id"))
        .ok()
        .and_then(|x| x.as_string())
        .unwrap_or_default();
    let w = Reflect::get(v, &JsValue::from_str("w")).unwrap_or(JsValue::UNDEFINED);
    if w.is_null() {
        return None;
    }
    Some(match w.as_string() {
        Some(json) => Ok(Body { id, json }),
        None => Err(StoreError::Corrupt {
            id,
            reason: "no body text".into(),
        }),
    })
}

/// A `count` request per key, issued at once (awaiting the last awaits all).
fn count_each(
    store: &web_sys::IdbObjectStore,
    keys: &[String],
) -> Result<Vec<IdbRequest>, StoreError> {
    keys.iter()
        .map(|k| {
            store
                .count_with_key(&JsValue::from_str(k))
                .map_err(|e| dom_error(&e))
        })
        .collect()
}

/// Deletes the bytes of those `digests` no record names any more (after this
/// transaction's writes: requests of a transaction see the earlier ones).
async fn sweep_in(
    docs: &web_sys::IdbObjectStore,
    atts: &web_sys::IdbObjectStore,
    digests: &[String],
) -> Result<(), StoreError> {
    let by_digest = docs.index(ATT_INDEX).map_err(|e| dom_error(&e))?;
    let counts: Vec<IdbRequest> = digests
        .iter()
        .map(|d| {
            by_digest
                .count_with_key(&JsValue::from_str(d))
                .map_err(|e| dom_error(&e))
        })
        .collect::<Result<_, _>>()?;
    if let Some(last) = counts.last() {
        request(last).await?;
    }
    for (d, c) in digests.iter().zip(&counts) {
        if as_seq(&c.result().map_err(|e| dom_error(&e))?) == 0 {
            atts.delete(&JsValue::from_str(d))
                .map_err(|e| dom_error(&e))?;
        }
    }
    Ok(())
}

fn as_seq(v: &JsValue) -> u64 {
    v.as_f64()
        .filter(|f| f.is_finite() && *f >= 0.0)
        .map_or(0, |f| f as u64)
}

fn values(v: JsValue) -> Result<Vec<DocRecord>, StoreError> {
    Array::from(&v).iter().map(|x| decode_value(&x)).collect()
}

impl IdbBackend {
    /// The stored objects under each prefix, in one transaction (every read issued at once;
    /// requests of a transaction complete in order).
    async fn read_prefixes_raw(&self, prefixes: &[&str]) -> Result<Vec<Array>, StoreError> {
        let tx = self.tx(&[DOCS], IdbTransactionMode::Readonly)?;
        let docs = Self::store(&tx, DOCS)?;
        let mut reads = Vec::with_capacity(prefixes.len());
        for prefix in prefixes {
            let upper = format!("{prefix}\u{ffff}");
            let range = IdbKeyRange::bound(&JsValue::from_str(prefix), &JsValue::from_str(&upper))
                .map_err(|e| dom_error(&e))?;
            reads.push(docs.get_all_with_key(&range).map_err(|e| dom_error(&e))?);
        }
        if let Some(last) = reads.last() {
            request(last).await?;
        }
        reads
            .iter()
            .map(|req| Ok(Array::from(&req.result().map_err(|e| dom_error(&e))?)))
            .collect()
    }

    /// The stored objects whose index key is `lo <= k < hi`, in key order.
    async fn read_index_raw(&self, lo: &str, hi: &str) -> Result<Array, StoreError> {
        // In IndexedDB's order (UTF-16 code units), where an empty range would be an error.
        if lo.encode_utf16().ge(hi.encode_utf16()) {
            return Ok(Array::new());
        }
        let tx = self.tx(&[DOCS], IdbTransactionMode::Readonly)?;
        let index = Self::store(&tx, DOCS)?
            .index(KEY_INDEX)
            .map_err(|e| dom_error(&e))?;
        let range = IdbKeyRange::bound_with_lower_open_and_upper_open(
            &JsValue::from_str(lo),
            &JsValue::from_str(hi),
            false,
            true,
        )
        .map_err(|e| dom_error(&e))?;
        let all = request(&index.get_all_with_key(&range).map_err(|e| dom_error(&e))?).await?;
        Ok(Array::from(&all))
    }
}

impl Backend for IdbBackend {
    async fn write(
        &self,
        edits: &[Edit],
        index: Option<&Index>,
    ) -> Result<Vec<Result<Rev, DocError>>, StoreError> {
        let named = edit_digests(edits);
        // `ATTS` always: a new revision without attachments may drop its parent's.
        let tx = self.tx(&[DOCS, META, ATTS], IdbTransactionMode::Readwrite)?;
        let done = committed(&tx);
        let docs = Self::store(&tx, DOCS)?;
        let meta = Self::store(&tx, META)?;
        // Issue every read at once; requests of a transaction complete in order, so the
        // last one's success means all are done.
        let mut ids: Vec<&str> = edits.iter().map(|e| e.id.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        // A large batch first learns which of its ids exist from the keys in its id range
        // (one request, keys only), so new documents cost no read at all.
        let mut known: Option<Vec<String>> = None;
        // IndexedDB orders strings by UTF-16 code units, Rust by UTF-8 bytes: the range's
        // ends are taken in IndexedDB's order (they differ for ids above U+FFFF).
        let by_utf16 = |a: &&&str, b: &&&str| a.encode_utf16().cmp(b.encode_utf16());
        let (lo, hi) = (ids.iter().min_by(by_utf16), ids.iter().max_by(by_utf16));
        if let (Some(lo), Some(hi), true) = (lo, hi, ids.len() >= KEY_SCAN_MIN) {
            let range = IdbKeyRange::bound(&JsValue::from_str(lo), &JsValue::from_str(hi))
                .map_err(|e| dom_error(&e))?;
            let count =
                as_seq(&request(&docs.count_with_key(&range).map_err(|e| dom_error(&e))?).await?);
            if count <= (ids.len() * KEY_SCAN_FACTOR) as u64 {
                let keys = request(
                    &docs
                        .get_all_keys_with_key(&range)
                        .map_err(|e| dom_error(&e))?,
                )
                .await?;
                let mut keys: Vec<String> = Array::from(&keys)
                    .iter()
                    .filter_map(|k| k.as_string())
                    .collect();
                // Already in key order from IndexedDB; sorted again so the search below holds.
                keys.sort_unstable();
                known = Some(keys);
            }
        }
        let mut reads = Vec::with_capacity(ids.len());
        for id in &ids {
            let req = match &known {
                Some(keys) if keys.binary_search_by(|k| k.as_str().cmp(id)).is_err() => None,
                _ => Some(
                    docs.get(&JsValue::from_str(id))
                        .map_err(|e| dom_error(&e))?,
                ),
            };
            reads.push(req);
        }
        let held = if named.is_empty() {
            Vec::new()
        } else {
            count_each(&Self::store(&tx, ATTS)?, &named)?
        };
        let seq_req = meta
            .get(&JsValue::from_str(SEQ_KEY))
            .map_err(|e| dom_error(&e))?;
        let update_seq = as_seq(&request(&seq_req).await?);
        let mut known = std::collections::BTreeSet::new();
        for (d, req) in named.iter().zip(&held) {
            if as_seq(&req.result().map_err(|e| dom_error(&e))?) > 0 {
                known.insert(d.clone());
            }
        }
        let mut existing = Vec::with_capacity(ids.len());
        for (id, req) in ids.iter().zip(&reads) {
            let rec = match req {
                None => None,
                Some(req) => {
                    let v = req.result().map_err(|e| dom_error(&e))?;
                    if v.is_undefined() {
                        None
                    } else {
                        Some(decode_value(&v)?)
                    }
                }
            };
            existing.push(((*id).to_owned(), rec));
        }
        let out = apply_batch(existing, edits, update_seq, &known);
        if !out.bytes.is_empty() {
            let atts = Self::store(&tx, ATTS)?;
            for b in &out.bytes {
                atts.put_with_key(
                    &js_sys::Uint8Array::from(b.bytes.as_slice()),
                    &JsValue::from_str(&b.digest),
                )
                .map_err(|e| dom_error(&e))?;
            }
        }
        for rec in &out.writes {
            docs.put(&encode_value(rec, None, index))
                .map_err(|e| dom_error(&e))?;
        }
        if !out.dropped.is_empty() {
            sweep_in(&docs, &Self::store(&tx, ATTS)?, &out.dropped).await?;
        }
        if out.update_seq != update_seq {
            meta.put_with_key(
                &JsValue::from_f64(out.update_seq as f64),
                &JsValue::from_str(SEQ_KEY),
            )
            .map_err(|e| dom_error(&e))?;
        }
        commit(&tx, done).await?;
        Ok(out.results)
    }

    async fn read(&self, id: &str) -> Result<Option<DocRecord>, StoreError> {
        let tx = self.tx(&[DOCS], IdbTransactionMode::Readonly)?;
        let v = request(
            &Self::store(&tx, DOCS)?
                .get(&JsValue::from_str(id))
                .map_err(|e| dom_error(&e))?,
        )
        .await?;
        if v.is_undefined() {
            Ok(None)
        } else {
            decode_value(&v).map(Some)
        }
    }

    async fn read_many(&self, ids: &[&str]) -> Result<Vec<Option<DocRecord>>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let tx = self.tx(&[DOCS], IdbTransactionMode::Readonly)?;
        let docs = Self::store(&tx, DOCS)?;
        let reads = ids
            .iter()
            .map(|id| docs.get(&JsValue::from_str(id)).map_err(|e| dom_error(&e)))
            .collect::<Result<Vec<_>, _>>()?;
        // Requests of a transaction complete in order: the last one's success means all.
        if let Some(last) = reads.last() {
            request(last).await?;
        }
        reads
            .iter()
            .map(|req| {
                let v = req.result().map_err(|e| dom_error(&e))?;
                if v.is_undefined() {
                    Ok(None)
                } else {
                    decode_value(&v).map(Some)
                }
            })
            .collect()
    }

    async fn read_prefixes(
        &self,
        prefixes: &[&str],
    ) -> Result<Vec<Vec<Result<DocRecord, StoreError>>>, StoreError> {
        Ok(self
            .read_prefixes_raw(prefixes)
            .await?
            .iter()
            .map(|all| all.iter().map(|x| decode_value(&x)).collect())
            .collect())
    }

    async fn read_index(
        &self,
        lo: &str,
        hi: &str,
    ) -> Result<Vec<Result<DocRecord, StoreError>>, StoreError> {
        Ok(self
            .read_index_raw(lo, hi)
            .await?
            .iter()
            .map(|x| decode_value(&x))
            .collect())
    }

    async fn read_prefixes_bodies(
        &self,
        prefixes: &[&str],
    ) -> Result<Vec<Vec<Result<Body, StoreError>>>, StoreError> {
        Ok(self
            .read_prefixes_raw(prefixes)
            .await?
            .iter()
            .map(|all| all.iter().filter_map(|x| decode_body(&x)).collect())
            .collect())
    }

    async fn read_index_bodies(
        &self,
        lo: &str,
        hi: &str,
    ) -> Result<Vec<Result<Body, StoreError>>, StoreError> {
        Ok(self
            .read_index_raw(lo, hi)
            .await?
            .iter()
            .filter_map(|x| decode_body(&x))
            .collect())
    }

    async fn index_current(&self, index: &Index) -> Result<bool, StoreError> {
        let check = self.tx(&[META], IdbTransactionMode::Readonly)?;
        let made_by = request(
            &Self::store(&check, META)?
                .get(&JsValue::from_str(INDEX_VERSION_KEY))
                .map_err(|e| dom_error(&e))?,
        )
        .await?;
        Ok(made_by.as_f64() == Some(f64::from(index.version)))
    }

    async fn reindex(&self, index: &Index) -> Result<bool, StoreError> {
        // The usual case, keys made by this version, costs one read-only request.
        if self.index_current(index).await? {
            return Ok(false);
        }
        let tx = self.tx(&[DOCS, META], IdbTransactionMode::Readwrite)?;
        let done = committed(&tx);
        let docs = Self::store(&tx, DOCS)?;
        let meta = Self::store(&tx, META)?;
        let made_by = request(
            &meta
                .get(&JsValue::from_str(INDEX_VERSION_KEY))
                .map_err(|e| dom_error(&e))?,
        )
        .await?;
        if made_by.as_f64() == Some(f64::from(index.version)) {
            commit(&tx, done).await?;
            return Ok(false);
        }
        let all = request(&docs.get_all().map_err(|e| dom_error(&e))?).await?;
        for v in Array::from(&all).iter() {
            // A record that cannot be read keeps what it has: it stays listed as damaged
            // wherever its old key put it, and by id.
            let Ok(rec) = decode_value(&v) else { continue };
            let j = Reflect::get(&v, &JsValue::from_str("j"))
                .ok()
                .and_then(|x| x.as_string());
            docs.put(&encode_value(&rec, j, Some(index)))
                .map_err(|e| dom_error(&e))?;
        }
        meta.put_with_key(
            &JsValue::from_f64(f64::from(index.version)),
            &JsValue::from_str(INDEX_VERSION_KEY),
        )
        .map_err(|e| dom_error(&e))?;
        commit(&tx, done).await?;
        Ok(true)
    }

    async fn changes(&self, since: u64, limit: usize) -> Result<Vec<DocRecord>, StoreError> {
        let tx = self.tx(&[DOCS], IdbTransactionMode::Readonly)?;
        let index = Self::store(&tx, DOCS)?
            .index(SEQ_INDEX)
            .map_err(|e| dom_error(&e))?;
        let range = IdbKeyRange::lower_bound_with_open(&JsValue::from_f64(since as f64), true)
            .map_err(|e| dom_error(&e))?;
        let count = u32::try_from(limit).unwrap_or(u32::MAX);
        values(
            request(
                &index
                    .get_all_with_key_and_limit(&range, count)
                    .map_err(|e| dom_error(&e))?,
            )
            .await?,
        )
    }

    async fn update_seq(&self) -> Result<u64, StoreError> {
        let tx = self.tx(&[META], IdbTransactionMode::Readonly)?;
        Ok(as_seq(
            &request(
                &Self::store(&tx, META)?
                    .get(&JsValue::from_str(SEQ_KEY))
                    .map_err(|e| dom_error(&e))?,
            )
            .await?,
        ))
    }

    async fn doc_count(&self) -> Result<u64, StoreError> {
        let tx = self.tx(&[DOCS], IdbTransactionMode::Readonly)?;
        Ok(as_seq(
            &request(&Self::store(&tx, DOCS)?.count().map_err(|e| dom_error(&e))?).await?,
        ))
    }

    async fn purge(
        &self,
        id: &str,
        revs: &[Rev],
        index: Option<&Index>,
    ) -> Result<Vec<Rev>, StoreError> {
        let tx = self.tx(&[DOCS, META, ATTS], IdbTransactionMode::Readwrite)?;
        let done = committed(&tx);
        let docs = Self::store(&tx, DOCS)?;
        let meta = Self::store(&tx, META)?;
        let v = request(
            &docs
                .get(&JsValue::from_str(id))
                .map_err(|e| dom_error(&e))?,
        )
        .await?;
        if v.is_undefined() {
            commit(&tx, done).await?;
            return Ok(Vec::new());
        }
        let rec = decode_value(&v)?;
        let named: Vec<String> = record_digests(&rec).into_iter().collect();
        let update_seq = as_seq(
            &request(
                &meta
                    .get(&JsValue::from_str(SEQ_KEY))
                    .map_err(|e| dom_error(&e))?,
            )
            .await?,
        );
        let (rec, removed, seq) = apply_purge(rec, revs, update_seq);
        match rec {
            Some(rec) if !removed.is_empty() => {
                docs.put(&encode_value(&rec, None, index))
                    .map_err(|e| dom_error(&e))?;
            }
            Some(_) => {}
            None => {
                docs.delete(&JsValue::from_str(id))
                    .map_err(|e| dom_error(&e))?;
            }
        }
        if seq != update_seq {
            meta.put_with_key(&JsValue::from_f64(seq as f64), &JsValue::from_str(SEQ_KEY))
                .map_err(|e| dom_error(&e))?;
        }
        if !removed.is_empty() && !named.is_empty() {
            sweep_in(&docs, &Self::store(&tx, ATTS)?, &named).await?;
        }
        commit(&tx, done).await?;
        Ok(removed)
    }

    async fn read_attachment(&self, digest: &str) -> Result<Option<Vec<u8>>, StoreError> {
        let tx = self.tx(&[ATTS], IdbTransactionMode::Readonly)?;
        let v = request(
            &Self::store(&tx, ATTS)?
                .get(&JsValue::from_str(digest))
                .map_err(|e| dom_error(&e))?,
        )
        .await?;
        if v.is_undefined() {
            return Ok(None);
        }
        match v.dyn_into::<js_sys::Uint8Array>() {
            Ok(a) => Ok(Some(a.to_vec())),
            Err(_) => Err(StoreError::Corrupt {
                id: digest.to_owned(),
                reason: "attachment bytes are not a byte array".into(),
            }),
        }
    }

    async fn has_attachments(&self, digests: &[String]) -> Result<Vec<bool>, StoreError> {
        let tx = self.tx(&[ATTS], IdbTransactionMode::Readonly)?;
        let reqs = count_each(&Self::store(&tx, ATTS)?, digests)?;
        if let Some(last) = reqs.last() {
            request(last).await?;
        }
        reqs.iter()
            .map(|r| Ok(as_seq(&r.result().map_err(|e| dom_error(&e))?) > 0))
            .collect()
    }

    async fn get_local(&self, id: &str) -> Result<Option<Value>, StoreError> {
        let tx = self.tx(&[LOCAL], IdbTransactionMode::Readonly)?;
        let v = request(
            &Self::store(&tx, LOCAL)?
                .get(&JsValue::from_str(id))
                .map_err(|e| dom_error(&e))?,
        )
        .await?;
        match v.as_string() {
            None => Ok(None),
            Some(s) => serde_json::from_str(&s)
                .map(Some)
                .map_err(|e| StoreError::Corrupt {
                    id: format!("_local/{id}"),
                    reason: e.to_string(),
                }),
        }
    }

    async fn put_local(&self, id: &str, value: &Value) -> Result<(), StoreError> {
        let tx = self.tx(&[LOCAL], IdbTransactionMode::Readwrite)?;
        let done = committed(&tx);
        Self::store(&tx, LOCAL)?
            .put_with_key(
                &JsValue::from_str(&crate::canonical::json_text(value)),
                &JsValue::from_str(id),
            )
            .map_err(|e| dom_error(&e))?;
        commit(&tx, done).await
    }

    async fn remove_local(&self, id: &str) -> Result<(), StoreError> {
        let tx = self.tx(&[LOCAL], IdbTransactionMode::Readwrite)?;
        let done = committed(&tx);
        Self::store(&tx, LOCAL)?
            .delete(&JsValue::from_str(id))
            .map_err(|e| dom_error(&e))?;
        commit(&tx, done).await
    }
}
