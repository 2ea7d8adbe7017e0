//! The device's database and what is written to it. Only hooks call this module.
//!
//! `Db` wraps the store (IndexedDB) with a change hub: every write through `Db` (and every
//! write another tab reports on the `BroadcastChannel`) notifies the queries that watch a
//! prefix of a changed id, and only those. The replicator (`sync.rs`) reports each pulled
//! batch through the same [`Db::changed`].
//!
//! What the device holds is one worker's database (as sync will fill it): `order:<job>`
//! dispatch orders as the core's privacy projection makes them, and `step:<job>:<id>` steps
//! the worker recorded, each written once (see ARCHITECTURE.md).

use crate::error::AppError;
use chrono::{NaiveDate, NaiveDateTime};
use doorstep_core::acceptance::{closes_round, Action};
use doorstep_core::demo;
use doorstep_core::flow::{self, Templates};
use doorstep_core::model::{doc_id, WorkerId};
use doorstep_core::pin::{check_new_pin, hash_pin, verify_pin, PinHash, SALT_LEN};
use doorstep_core::record::{ChainHead, DamageEntry, PhotoRef, RoundRecord, SignedRecord};
use doorstep_core::step::{check_step, DispatchOrder, Step, StepKind};
use doorstep_core::Rules;
use doorstep_store::idb::IdbBackend;
use doorstep_store::{Body, Doc, DocError, Edit, Index, Store, StoreError};
use leptos::prelude::{ArcTrigger, Notify};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::rc::{Rc, Weak};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

pub const DB_NAME: &str = "doorstep";
const CHANNEL: &str = "doorstep-changes";
const DEVICE: &str = "device";
/// This device's id in its signed records' ids.
const DEVICE_ID: &str = "device_id";
/// The head of this device's chain of signed records.
const CHAIN: &str = "chain";

/// Which worker's data this device holds, where it came from, and the demo data set it was
/// seeded from (while it holds demo data).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeviceState {
    pub worker: WorkerId,
    #[serde(with = "doorstep_core::iso::date")]
    pub demo_date: NaiveDate,
    /// Absent in states written before login existed: those devices hold demo data.
    #[serde(default)]
    pub account: Account,
}

/// Where the device's data comes from.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub enum Account {
    /// The on-device demo data (seeded, re-projected on each open).
    #[default]
    Demo,
    /// Logged in at the sync server: the data comes only by sync, never from the demo.
    /// `db` is the worker's database (`model::worker_db`); `device` a random id made at
    /// login, which names this device's replications.
    SignedIn {
        name: String,
        db: String,
        device: String,
    },
    /// Logged out: the device forgot the worker's data and holds nothing.
    SignedOut,
}

impl DeviceState {
    /// A device holding `worker`'s demo data for today.
    pub fn demo(worker: WorkerId) -> DeviceState {
        DeviceState {
            worker,
            demo_date: today(),
            account: Account::Demo,
        }
    }

    /// A device logged in as `name` (a worker's badge), empty until sync fills it.
    pub fn signed_in(name: &str) -> DeviceState {
        let device: String = crypto_random::<8>()
            .unwrap_or_default()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        DeviceState {
            worker: WorkerId::new(name),
            demo_date: today(),
            account: Account::SignedIn {
                name: name.to_owned(),
                db: doorstep_core::model::worker_db(name),
                device: format!("{device}{:x}", js_sys::Date::now() as u64),
            },
        }
    }

    /// A device that logged out: no worker, nothing held.
    pub fn signed_out() -> DeviceState {
        DeviceState {
            worker: WorkerId::new(""),
            demo_date: today(),
            account: Account::SignedOut,
        }
    }
}

/// A stored document: decoded, or damaged (shown as such, in its place).
#[derive(Clone, Debug, PartialEq)]
pub enum Entry<T> {
    Ok { id: String, value: T },
    Damaged { id: String, reason: String },
}

impl<T> Entry<T> {
    pub fn ok(&self) -> Option<&T> {
        match self {
            Entry::Ok { value, .. } => Some(value),
            Entry::Damaged { .. } => None,
        }
    }
}

/// A query's interest in changes: the id prefixes it read, and the trigger it tracks.
pub struct Watch {
    prefixes: RefCell<Vec<String>>,
    trigger: ArcTrigger,
}

impl Watch {
    pub fn new() -> Rc<Watch> {
        Rc::new(Watch {
            prefixes: RefCell::new(Vec::new()),
            trigger: ArcTrigger::new(),
        })
    }

    pub fn trigger(&self) -> &ArcTrigger {
        &self.trigger
    }
}

pub struct Db {
    store: Rc<Store<IdbBackend>>,
    watches: RefCell<Vec<Weak<Watch>>>,
    channel: Option<web_sys::BroadcastChannel>,
    state: DeviceState,
    _on_message: Option<Closure<dyn Fn(web_sys::MessageEvent)>>,
}

pub fn rules() -> Rules {
    Rules::default()
}

/// Local wall-clock time in the store's time zone.
pub fn now() -> NaiveDateTime {
    let utc_ms = js_sys::Date::now();
    let local_ms = utc_ms as i64 + i64::from(rules().utc_offset_minutes) * 60_000;
    chrono::DateTime::from_timestamp_millis(local_ms)
        .map(|d| d.naive_utc())
        .unwrap_or_default()
}

pub fn today() -> NaiveDate {
    now().date()
}

/// The visit's templates (checklists and gates, kits). One place: the office will send its
/// own with the dispatch order; until then the domain's defaults.
pub fn templates() -> Templates {
    Templates::default()
}

/// Decodes what a read found; a record that cannot be read or decoded is `Damaged` in its
/// place (`place`: what to name a failure that has no document id). `decode` gives a found
/// document's id and its value.
fn decode_found<D, T>(
    found: Vec<Result<D, StoreError>>,
    place: &str,
    decode: impl Fn(D) -> (String, serde_json::Result<T>),
) -> Vec<Entry<T>> {
    found
        .into_iter()
        .map(|r| match r.map(&decode) {
            Ok((id, Ok(value))) => Entry::Ok { id, value },
            Ok((id, Err(e))) => Entry::Damaged {
                id,
                reason: e.to_string(),
            },
            Err(StoreError::Corrupt { id, reason }) => Entry::Damaged { id, reason },
            Err(e) => Entry::Damaged {
                id: place.to_owned(),
                reason: e.to_string(),
            },
        })
        .collect()
}

/// [`decode_found`] of documents read whole.
fn decode_entries<T: DeserializeOwned>(
    found: Vec<Result<Doc, StoreError>>,
    place: &str,
) -> Vec<Entry<T>> {
    decode_found(found, place, |d| (d.id, serde_json::from_value(d.body)))
}

/// [`decode_found`] of bodies read as text (each straight into `T`).
pub(crate) fn decode_bodies<T: DeserializeOwned>(
    found: Vec<Result<Body, StoreError>>,
    place: &str,
) -> Vec<Entry<T>> {
    decode_found(found, place, |b| {
        let value = serde_json::from_str(&b.json);
        (b.id, value)
    })
}

fn pin_id(worker: &WorkerId) -> String {
    format!("pin:{worker}")
}

/// `N` bytes from Web Crypto's random source, `None` where it is missing.
fn crypto_random<const N: usize>() -> Option<[u8; N]> {
    let mut bytes = [0u8; N];
    web_sys::window()
        .and_then(|w| w.crypto().ok())
        .is_some_and(|c| c.get_random_values_with_u8_array(&mut bytes).is_ok())
        .then_some(bytes)
}

/// `N` random bytes from Web Crypto as hex, `None` where it is missing.
pub(crate) fn random_hex<const N: usize>() -> Option<String> {
    crypto_random::<N>().map(|b| b.iter().map(|b| format!("{b:02x}")).collect())
}

/// An id for a step, made on this device: time, then 64 random bits.
fn new_step_id() -> String {
    let mut bytes = [0u8; 8];
    let filled = match crypto_random::<8>() {
        Some(b) => {
            bytes = b;
            true
        }
        None => false,
    };
    if !filled {
        // No Web Crypto: Math.random still makes a collision on one job practically impossible.
        bytes
            .iter_mut()
            .for_each(|b| *b = (js_sys::Math::random() * 256.0) as u8);
    }
    let rand: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("{:012x}-{rand}", js_sys::Date::now() as u64)
}

impl Db {
    /// Opens the device database; on first run loads the demo data of `worker` (as the
    /// projection places it), later re-projects it so privacy windows open and close with time.
    pub async fn open(worker: &WorkerId) -> Result<Rc<Db>, AppError> {
        Db::open_as(DeviceState::demo(worker.clone())).await
    }

    /// [`Db::open`]; on first run the device takes `new` (seeded only if it is a demo).
    async fn open_as(new: DeviceState) -> Result<Rc<Db>, AppError> {
        let index = Index {
            version: doc_id::INDEX_VERSION,
            key: doc_id::index_key,
        };
        let store = Store::with_index_unchecked(IdbBackend::open(DB_NAME).await?, index);
        let store = Rc::new(store);
        // The two first reads at once (two read-only transactions, one round trip).
        let (index_current, device) = futures::future::join(
            store.index_current(),
            store.get_local::<DeviceState>(DEVICE),
        )
        .await;
        let index_current = index_current?;
        let (state, first_run) = match device? {
            Some(s) => {
                if !index_current {
                    device_work(store.clone(), DeviceWork::RebuildIndex).await?;
                }
                (s, false)
            }
            None => {
                device_work(store.clone(), DeviceWork::FirstRun(new.clone())).await?;
                (new, true)
            }
        };
        let channel = web_sys::BroadcastChannel::new(CHANNEL).ok();
        let db = Rc::new_cyclic(|weak: &Weak<Db>| {
            let weak = weak.clone();
            let on_message =
                Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
                    let ids: Vec<String> = ev
                        .data()
                        .dyn_into::<js_sys::Array>()
                        .map(|a| a.iter().filter_map(|v| v.as_string()).collect())
                        .unwrap_or_default();
                    if let Some(db) = weak.upgrade() {
                        db.notify(&ids);
                    }
                });
            if let Some(c) = &channel {
                c.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
            }
            Db {
                store,
                watches: RefCell::new(Vec::new()),
                channel,
                state: state.clone(),
                _on_message: Some(on_message),
            }
        });
        // A logged-in device gets its orders by sync only.
        if !first_run && state.account == Account::Demo {
            // Later opens re-project in the background, as sync will update the orders: the
            // list shows at once from what is stored and refreshes if a window opened or closed.
            // It waits until the first screen is up: its code is a chunk of its own.
            let db = db.clone();
            leptos::prelude::set_timeout(
                move || {
                    leptos::task::spawn_local(async move {
                        let work = DeviceWork::Seed(state, now());
                        if let Ok(ids) = device_work(db.store.clone(), work).await {
                            if !ids.is_empty() {
                                db.changed(ids);
                            }
                        }
                    })
                },
                std::time::Duration::from_millis(1500),
            );
        }
        Ok(db)
    }

    pub fn state(&self) -> &DeviceState {
        &self.state
    }

    /// Registers `watch` for `prefixes` (replacing what it watched before).
    pub fn watch(&self, watch: &Rc<Watch>, prefixes: Vec<String>) {
        *watch.prefixes.borrow_mut() = prefixes;
        let mut watches = self.watches.borrow_mut();
        watches.retain(|w| w.strong_count() > 0);
        if !watches.iter().any(|w| w.ptr_eq(&Rc::downgrade(watch))) {
            watches.push(Rc::downgrade(watch));
        }
    }

    /// Wakes every query that watches a prefix of one of `ids` (an empty id: every query).
    pub fn notify(&self, ids: &[String]) {
        let live: Vec<Rc<Watch>> = self
            .watches
            .borrow()
            .iter()
            .filter_map(Weak::upgrade)
            .collect();
        for w in live {
            if w.prefixes.borrow().iter().any(|p| {
                ids.iter()
                    .any(|id| id.is_empty() || id.starts_with(p.as_str()))
            }) {
                w.trigger.notify();
            }
        }
    }

    /// The store, for the replicator (which reports its writes through [`Db::changed`]).
    pub(crate) fn store(&self) -> &Store<IdbBackend> {
        &self.store
    }

    /// After a committed write: tells this tab's queries and the other tabs.
    pub fn changed(&self, ids: Vec<String>) {
        self.notify(&ids);
        if let Some(c) = &self.channel {
            let arr: js_sys::Array = ids
                .iter()
                .map(|s| wasm_bindgen::JsValue::from_str(s))
                .collect();
            let _ = c.post_message(&arr);
        }
    }

    /// Every live document under `prefix`, decoded; damaged ones in their place.
    pub async fn entries<T: DeserializeOwned>(
        &self,
        prefix: &str,
    ) -> Result<Vec<Entry<T>>, AppError> {
        Ok(decode_entries(self.store.scan(prefix).await?, prefix))
    }

    /// `entries` of each prefix, read in one transaction.
    pub async fn entries_many<T: DeserializeOwned>(
        &self,
        prefixes: &[&str],
    ) -> Result<Vec<Vec<Entry<T>>>, AppError> {
        // Bodies only: lists decode nothing else of the stored records.
        let found = self.store.scan_many_bodies(prefixes).await?;
        Ok(found
            .into_iter()
            .zip(prefixes)
            .map(|(bodies, prefix)| decode_bodies(bodies, prefix))
            .collect())
    }

    /// Every live document whose index key (`doc_id::index_key`) is in `[lo, hi)`, in key
    /// order, decoded; damaged ones in their place.
    pub async fn entries_by_key<T: DeserializeOwned>(
        &self,
        lo: &str,
        hi: &str,
    ) -> Result<Vec<Entry<T>>, AppError> {
        Ok(decode_bodies(self.store.by_key_bodies(lo, hi).await?, lo))
    }

    /// The dispatch order of `job`: `Ok(None)` when this device holds none.
    pub async fn order(&self, job: &str) -> Result<Option<DispatchOrder>, AppError> {
        Ok(self
            .store
            .get_as::<DispatchOrder>(&doc_id::order(job))
            .await?
            .map(|(_, o)| o))
    }

    /// Documents under `prefix` holding versions that conflict (e.g. an order edited on two
    /// sides): the one read is the winner by CouchDB's rule, the others are kept, not lost.
    pub async fn conflicted(&self, prefix: &str) -> Result<Vec<String>, AppError> {
        let found = self.store.conflicted(prefix).await?;
        Ok(found.into_iter().map(|(id, _)| id).collect())
    }

    /// What the core checks a new step against: the job's order (it must be on the device)
    /// and the steps already there, as stored (damaged ones left out).
    async fn order_and_steps(
        &self,
        job: &str,
    ) -> Result<(DispatchOrder, Vec<serde_json::Value>), AppError> {
        let order = self
            .order(job)
            .await?
            .ok_or_else(|| AppError::JobNotOnDevice(job.to_owned()))?;
        let steps = self
            .entries::<serde_json::Value>(&doc_id::steps_of(job))
            .await?
            .iter()
            .filter_map(Entry::ok)
            .cloned()
            .collect();
        Ok((order, steps))
    }

    /// Records a step after the core's check against the order and the steps already there.
    pub async fn record_step(
        &self,
        job: &str,
        by: &WorkerId,
        kind: StepKind,
    ) -> Result<(), AppError> {
        let (order, steps) = self.order_and_steps(job).await?;
        let step = checked(order, steps, by.clone(), kind, now()).await?;
        let id = doc_id::step(job, &new_step_id());
        self.store.put(&id, &step, None).await?;
        self.changed(vec![id]);
        Ok(())
    }

    /// Records a damage report with its photos (JPEG bytes, already scaled on the device) as
    /// one write: the step names them `photo-1.jpg`, … and carries them as attachments, so
    /// the step and its photos are stored, and synced, together or not at all.
    pub async fn record_damage(
        &self,
        job: &str,
        by: &WorkerId,
        description: String,
        value: doorstep_core::model::Money,
        photos: &[Vec<u8>],
    ) -> Result<(), AppError> {
        use doorstep_core::step::{photo_name, DamageReport};
        let order = self
            .order(job)
            .await?
            .ok_or_else(|| AppError::JobNotOnDevice(job.to_owned()))?;
        let names: Vec<String> = (1..=photos.len()).map(photo_name).collect();
        let kind = StepKind::Damage(DamageReport {
            description,
            value,
            photos: names.clone(),
        });
        // A damage report's own rules need none of the other steps.
        let step = checked(order, Vec::new(), by.clone(), kind, now()).await?;
        let atts: Vec<doorstep_store::Attachment> = names
            .into_iter()
            .zip(photos)
            .map(|(name, bytes)| doorstep_store::Attachment {
                name,
                content_type: "image/jpeg".to_owned(),
                bytes: bytes.clone(),
            })
            .collect();
        let id = doc_id::step(job, &new_step_id());
        self.store
            .put_with_attachments(&id, &step, None, &atts)
            .await?;
        self.changed(vec![id]);
        Ok(())
    }

    /// The bytes of a step's photo, checked against their digest by the store.
    pub async fn photo(&self, step_id: &str, name: &str) -> Result<Option<Vec<u8>>, AppError> {
        Ok(self.store.get_attachment(step_id, name, None).await?)
    }

    /// The PIN kept for `worker` on this device (its salted hash), if one was set.
    pub async fn pin(&self, worker: &WorkerId) -> Result<Option<PinHash>, AppError> {
        Ok(self.store.get_local(&pin_id(worker)).await?)
    }

    /// Sets `worker`'s PIN (typed twice); only a salted hash is kept.
    pub async fn set_pin(&self, worker: &WorkerId, pin: &str, again: &str) -> Result<(), AppError> {
        check_new_pin(pin, again)?;
        let salt = crypto_random::<SALT_LEN>().ok_or(AppError::NoRandom)?;
        self.store
            .put_local(&pin_id(worker), &hash_pin(pin, &salt))
            .await?;
        Ok(())
    }

    /// Whether `pin` is `who`'s PIN on this device (`None`: none was set).
    pub async fn check_pin(&self, who: &WorkerId, pin: &str) -> Result<Option<bool>, AppError> {
        Ok(self.pin(who).await?.map(|stored| verify_pin(pin, &stored)))
    }

    /// This device's id for its signed records (made once, from Web Crypto).
    async fn device_id(&self) -> Result<String, AppError> {
        if let Some(id) = self.store.get_local::<String>(DEVICE_ID).await? {
            return Ok(id);
        }
        let bytes = crypto_random::<8>().ok_or(AppError::NoRandom)?;
        let id: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        self.store.put_local(DEVICE_ID, &id).await?;
        Ok(id)
    }

    /// Where this device's chain stands: `_local/chain`, unless a crash between a record's
    /// transaction and the head's write left it behind the stored `record:…:<device>:…`
    /// documents; then it is rebuilt from them (`ChainHead::repaired`) and written back.
    async fn chain_head(&self, device: &str) -> Result<Option<ChainHead>, AppError> {
        let head = self.store.get_local::<ChainHead>(CHAIN).await?;
        let stored: Vec<ChainHead> = self
            .store
            .scan("record:")
            .await?
            .into_iter()
            .filter_map(|d| {
                let d = d.ok()?;
                ChainHead::of_stored(&d.id, &d.body, device)
            })
            .collect();
        let repaired = ChainHead::repaired(head.clone(), &stored);
        if repaired != head {
            if let Some(h) = &repaired {
                self.store.put_local(CHAIN, h).await?;
            }
        }
        Ok(repaired)
    }

    /// Records a sign-off or rework of `job`'s acceptance after the core's check. When it
    /// closes a round, the round's signed record (`record:<job>:<device>:<seq>`, chained
    /// after the device's head) is written in the same transaction as the step, once; the
    /// head (`_local/chain`) moves after. Returns the record sealed, if one was.
    pub async fn record_accept(
        &self,
        job: &str,
        by: &WorkerId,
        action: Action,
        consent: String,
    ) -> Result<Option<SignedRecord>, AppError> {
        let (order, steps) = self.order_and_steps(job).await?;
        let device = self.device_id().await?;
        let head = self.chain_head(&device).await?;
        let (step, record) = sealed(
            order,
            steps,
            by.clone(),
            action,
            now(),
            Sealing {
                device,
                consent,
                utc_offset_minutes: rules().utc_offset_minutes,
                head,
            },
        )
        .await?;
        let step_id = doc_id::step(job, &new_step_id());
        let mut edits = vec![Edit::put(step_id.clone(), step, None)];
        let mut ids = vec![step_id];
        if let Some(r) = &record {
            let body = serde_json::to_value(r).map_err(|e| {
                AppError::Store(StoreError::Backend(format!(
                    "the record cannot be written: {e}"
                )))
            })?;
            edits.push(Edit::put(r.id(), body, None));
            ids.push(r.id());
        }
        for r in self.store.bulk_docs(&edits).await? {
            if let Err(e) = r {
                return Err(AppError::Store(e.into()));
            }
        }
        if let Some(r) = &record {
            self.store.put_local(CHAIN, &r.head()).await?;
        }
        self.changed(ids);
        Ok(record)
    }

    pub fn close(&self) {
        self.store.backend().close();
        if let Some(c) = &self.channel {
            c.close();
        }
    }
}

/// The core's check of a step against the order and the steps already recorded (read as
/// JSON), then the step document to write. Only the job's screens record steps, so in the
/// PWA's build this code is in their module (`job`), not the first screen's.
async fn checked(
    order: DispatchOrder,
    steps: Vec<serde_json::Value>,
    by: WorkerId,
    kind: StepKind,
    at: NaiveDateTime,
) -> Result<serde_json::Value, AppError> {
    let steps: Vec<Step> = steps
        .into_iter()
        .filter_map(|v| serde_json::from_value(v).ok())
        .collect();
    check_step(&order, &templates(), &steps, &by, &kind)?;
    let step = Step {
        job: order.view.job.clone(),
        by,
        at,
        step: kind,
        corrects: None,
    };
    serde_json::to_value(&step).map_err(|e| {
        AppError::Store(StoreError::Backend(format!(
            "the step cannot be written: {e}"
        )))
    })
}

/// What sealing a round's record needs besides the steps.
struct Sealing {
    device: String,
    consent: String,
    utc_offset_minutes: i32,
    head: Option<ChainHead>,
}

/// The core's check of a sign-off (or rework) against the order and the steps recorded,
/// then its step document and, when it closes a round, the round's record sealed after
/// `head`. Only the acceptance screens call it, so it goes with their chunk (a split point
/// of its own would add shims to the first screen for nothing).
async fn sealed(
    order: DispatchOrder,
    steps: Vec<serde_json::Value>,
    by: WorkerId,
    action: Action,
    at: NaiveDateTime,
    sealing: Sealing,
) -> Result<(serde_json::Value, Option<SignedRecord>), AppError> {
    let mut damage = Vec::new();
    let mut steps: Vec<Step> = steps
        .into_iter()
        .filter_map(|v| {
            let step: Step = serde_json::from_value(v.clone()).ok()?;
            damage.extend(DamageEntry::of(&step, photo_refs(&v)));
            Some(step)
        })
        .collect();
    let t = templates();
    let kind = StepKind::Accept {
        action: action.clone(),
    };
    check_step(&order, &t, &steps, &by, &kind)?;
    let step = Step {
        job: order.view.job.clone(),
        by,
        at,
        step: kind,
        corrects: None,
    };
    let body = serde_json::to_value(&step).map_err(|e| {
        AppError::Store(StoreError::Backend(format!(
            "the step cannot be written: {e}"
        )))
    })?;
    steps.push(step);
    let a = flow::acceptance(&t, &order.view.job, &steps).map_err(|e| AppError::refused(&e))?;
    let stage = a.stage();
    if !closes_round(&action, stage) {
        return Ok((body, None));
    }
    let record = RoundRecord::of_round(
        &a,
        stage.round(),
        flow::visit_summary(&t, &order, &steps).with_damage(damage),
        sealing.consent,
        at,
        sealing.utc_offset_minutes,
        sealing.device,
    )
    .ok_or_else(|| {
        AppError::Refused(doorstep_core::Text::new(
            "验收轮次不存在",
            "No such acceptance round",
        ))
    })?;
    let signed = SignedRecord::seal(record, sealing.head.as_ref()).map_err(|e| {
        AppError::Store(StoreError::Backend(format!(
            "the record cannot be sealed: {e}"
        )))
    })?;
    Ok((body, Some(signed)))
}

/// A stored step's photos as its signed record names them: every `_attachments` stub with
/// its content type, length and digest (the store checks the bytes against it on every read).
fn photo_refs(step: &serde_json::Value) -> Vec<PhotoRef> {
    let Some(atts) = step
        .get("_attachments")
        .and_then(serde_json::Value::as_object)
    else {
        return Vec::new();
    };
    atts.iter()
        .map(|(name, stub)| {
            let text = |k: &str| {
                stub.get(k)
                    .and_then(serde_json::Value::as_str)
                    .unwrap_or_default()
                    .to_owned()
            };
            PhotoRef {
                name: name.clone(),
                content_type: text("content_type"),
                length: stub
                    .get("length")
                    .and_then(serde_json::Value::as_u64)
                    .unwrap_or(0),
                digest: text("digest"),
            }
        })
        .collect()
}

/// Writes `state.worker`'s demo documents as the projection makes them at `now`; returns
/// the ids written. An order already there is updated only when its projection changed (a
/// privacy window opened or closed): only a revision's leaf keeps a body, so a withdrawn
/// address leaves no copy behind. Part of [`device_work`]'s chunk.
async fn seed(
    store: Rc<Store<IdbBackend>>,
    state: DeviceState,
    now: NaiveDateTime,
) -> Result<Vec<String>, AppError> {
    let mut edits = Vec::new();
    for (id, body) in demo::dataset(state.demo_date).worker_documents(&state.worker, now, &rules())
    {
        match store.get(&id).await {
            Ok(Some(doc)) if doc.body == body => {}
            Ok(Some(doc)) => edits.push(Edit::put(id, body, Some(doc.rev))),
            Ok(None) => edits.push(Edit::put(id, body, None)),
            // A damaged order stays as it is, shown as damaged; reset replaces it.
            Err(StoreError::Corrupt { .. }) => {}
            Err(e) => return Err(e.into()),
        }
    }
    let ids = edits.iter().map(|e| e.id.clone()).collect();
    for r in store.bulk_docs(&edits).await? {
        match r {
            Ok(_) | Err(DocError::Conflict { .. }) => {}
            Err(e) => return Err(AppError::Store(e.into())),
        }
    }
    Ok(ids)
}

/// Forgets everything on this device and loads `worker`'s demo data for today. Works on a
/// database that cannot be opened or read at all (it is deleted by name).
pub async fn reset(old: Option<Rc<Db>>, worker: &WorkerId) -> Result<Rc<Db>, AppError> {
    replace_device(old, DeviceState::demo(worker.clone())).await
}

/// Forgets everything on this device and starts again as `state` says (demo data seeded
/// only for a demo state). Login and logout go through here.
pub async fn replace_device(old: Option<Rc<Db>>, state: DeviceState) -> Result<Rc<Db>, AppError> {
    if let Some(db) = old {
        db.close();
    }
    IdbBackend::delete(DB_NAME).await?;
    let db = Db::open_as(state).await?;
    // Other tabs reload everything.
    db.changed(vec![String::new()]);
    Ok(db)
}

/// What the device does to its own database outside the first screen's reads.
enum DeviceWork {
    /// The first open: the index made, a demo device's demo documents and the device's
    /// state written, and persistent storage asked for.
    FirstRun(DeviceState),
    /// A demo device's documents projected again at a time (privacy windows open and close).
    Seed(DeviceState, NaiveDateTime),
    /// The store's keys computed again after an update changed the key function (rare: it
    /// reads and rewrites every record).
    RebuildIndex,
}

/// Does `work`; answers the ids of the documents it wrote (for [`DeviceWork::Seed`]). One
/// lazy chunk in the PWA's build, one split point for all three: the demo data, its
/// projection and the store's write path are not part of the first screen's download.
#[cfg_attr(doorstep_split, leptos::lazy)]
async fn device_work(
    store: Rc<Store<IdbBackend>>,
    work: DeviceWork,
) -> Result<Vec<String>, AppError> {
    match work {
        DeviceWork::FirstRun(s) => {
            // Keys first (none to compute on a new device; all of them after a reset).
            store.rebuild_index().await?;
            if s.account == Account::Demo {
                seed(store.clone(), s.clone(), now()).await?;
            }
            store.put_local(DEVICE, &s).await?;
            request_persistence();
            Ok(Vec::new())
        }
        DeviceWork::Seed(s, at) => seed(store, s, at).await,
        DeviceWork::RebuildIndex => {
            store.rebuild_index().await?;
            Ok(Vec::new())
        }
    }
}

/// Asks the browser to keep our data under storage pressure (Chromium may evict otherwise).
pub fn request_persistence() {
    if let Some(storage) = web_sys::window().map(|w| w.navigator().storage()) {
        let _ = storage.persist();
    }
}

/// Whether the browser promised to keep the data (`navigator.storage.persisted()`).
pub async fn persisted() -> Option<bool> {
    let promise = web_sys::window()?.navigator().storage().persisted().ok()?;
    wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .ok()?
        .as_bool()
}
