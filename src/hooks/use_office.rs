//! The office's surface (`/office`): a browser in the store, not a worker's phone.
//!
//! It keeps a database of its own on the device (`doorstep-office`, never the worker's),
//! logs in with an office account (role `office`; a worker's badge is refused) and syncs it
//! with the store's database (`model::store_db`), into which the relay copies the crews'
//! steps and signed records. The board reads jobs, customers, workers, steps and records
//! from it in one transaction. A note for the crew written here is a new revision of the
//! job, which the relay projects onto the crew's phones. Rounds are push → pull → push, on
//! opening, every 30 seconds while the board is open, after a note and on "sync now".

use super::use_sync::{login_failure, login_name};
use crate::data::{self, decode_bodies, Entry};
use crate::error::AppError;
use crate::sync::{problem_of, replication_config, SyncFailure, SyncProblem, SYNC_BASE};
use chrono::NaiveDateTime;
use doorstep_core::model::{doc_id, store_db, Customer, JobDoc, JobStatus, Worker};
use doorstep_core::step::{shown_status_of, Step, StepMark};
use doorstep_store::idb::IdbBackend;
use doorstep_store::Store;
use doorstep_sync::web::{self, FetchTransport, JsTimer};
use doorstep_sync::{replicate_observed, Config, Direction};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::cell::Cell;
use std::collections::BTreeMap;
use std::rc::Rc;

/// The office's database on this device.
pub const OFFICE_DB: &str = "doorstep-office";
/// The store this office works for (the demo's one store).
pub const STORE: &str = "S01";
const ACCOUNT: &str = "office";
/// A note for the crew is at most this many characters.
pub const NOTE_MAX: usize = 500;

/// Who is logged in on this office browser (kept in its database as `_local/office`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OfficeAccount {
    pub name: String,
    /// The store's database on the server.
    pub db: String,
    /// A random id made at login: names this browser's replications.
    pub device: String,
}

/// The office's sync, as its status line shows it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OfficeSync {
    pub running: bool,
    pub last_sync: Option<NaiveDateTime>,
    /// The office's own edits not yet on the server.
    pub pending: Option<usize>,
    pub problem: Option<SyncProblem>,
}

/// What a login, logout or note did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OfficeDone {
    LoggedIn,
    LoggedOut,
    NoteSaved,
}

/// One job on the board: what the office booked and what the crew recorded.
#[derive(Clone, Debug, PartialEq)]
pub struct BoardJob {
    pub id: String,
    pub start: NaiveDateTime,
    pub end: NaiveDateTime,
    pub customer: String,
    pub district: String,
    /// "name badge" of each crew member, the leader first.
    pub crew: Vec<String>,
    /// The office's status moved on by the crew's steps (see `step::shown_status_of`).
    pub status: JobStatus,
    pub special_requests: String,
    /// The crew's steps, oldest first, each with its id.
    pub steps: Vec<(String, Step)>,
    /// Signed service records (`record:<job>:…`).
    pub records: usize,
}

/// Everything the board shows; documents that do not decode are listed, not hidden.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Board {
    pub jobs: Vec<BoardJob>,
    pub damaged: Vec<String>,
}

struct OfficeDb {
    store: Store<IdbBackend>,
    transport: FetchTransport,
    running: Cell<bool>,
    again: Cell<bool>,
}

#[derive(Clone, Copy)]
pub struct UseOfficeReturn {
    /// `None` while the database opens; then who is logged in, if anyone.
    pub account: ReadSignal<Option<Option<OfficeAccount>>>,
    /// The office database could not be opened.
    pub failed: ReadSignal<Option<AppError>>,
    pub status: ReadSignal<OfficeSync>,
    pub board: LocalResource<Result<Board, AppError>>,
    pub login: Callback<(String, String)>,
    pub logout: Callback<()>,
    pub sync_now: Callback<()>,
    /// Saves (job id, note) as the job's note for the crew, then syncs.
    pub save_note: Callback<(String, String)>,
    pub busy: ReadSignal<bool>,
    /// The last login, logout or note.
    pub outcome: ReadSignal<Option<Result<OfficeDone, SyncFailure>>>,
}

pub fn use_office() -> UseOfficeReturn {
    let (account, set_account) = signal(None::<Option<OfficeAccount>>);
    let (failed, set_failed) = signal(None::<AppError>);
    let (status, set_status) = signal(OfficeSync::default());
    let (busy, set_busy) = signal(false);
    let (outcome, set_outcome) = signal(None);
    let version = RwSignal::new(0u64);
    let db: StoredValue<Option<Rc<OfficeDb>>, LocalStorage> = StoredValue::new_local(None);

    // A round, unless one runs (then another follows it).
    let round = move || {
        let Some(office) = db.get_value() else {
            return;
        };
        let Some(Some(acct)) = account.get_untracked() else {
            return;
        };
        if office.running.replace(true) {
            office.again.set(true);
            return;
        }
        leptos::task::spawn_local(async move {
            loop {
                set_status.update(|s| s.running = true);
                let (result, changed) = sync_round(&office, &acct).await;
                let pending = pending_of(&office, &acct).await;
                set_status.update(|s| {
                    s.running = false;
                    if result.is_ok() {
                        s.last_sync = Some(data::now());
                    }
                    s.problem = result.err();
                    s.pending = pending;
                });
                if changed {
                    version.update(|v| *v += 1);
                }
                if !office.again.replace(false) {
                    break;
                }
            }
            office.running.set(false);
        });
    };

    leptos::task::spawn_local(async move {
        match open().await {
            Ok((office, acct)) => {
                db.set_value(Some(Rc::new(office)));
                let signed_in = acct.is_some();
                set_account.set(Some(acct));
                if signed_in {
                    round();
                }
            }
            Err(e) => set_failed.set(Some(e)),
        }
    });
    // The worker's bottom nav is not the office's (hidden while the board is shown).
    if let Some(b) = document().body() {
        let _ = b.class_list().add_1("ds-office-mode");
    }
    let timer = set_interval_with_handle(round, std::time::Duration::from_secs(30)).ok();
    let online = window_event_listener(leptos::ev::online, move |_| round());
    on_cleanup(move || {
        if let Some(b) = document().body() {
            let _ = b.class_list().remove_1("ds-office-mode");
        }
        if let Some(t) = timer {
            t.clear();
        }
        online.remove();
    });

    let board = LocalResource::new(move || {
        version.track();
        let signed_in = matches!(account.get(), Some(Some(_)));
        let office = db.get_value();
        async move {
            match office {
                Some(office) if signed_in => read_board(&office.store).await,
                _ => Ok(Board::default()),
            }
        }
    });

    let login = Callback::new(move |(name, password): (String, String)| {
        if busy.get_untracked() {
            return;
        }
        let name = match login_name(&name, &password) {
            Ok(name) => name,
            Err(e) => return set_outcome.set(Some(Err(e))),
        };
        let Some(office) = db.get_value() else {
            return;
        };
        set_busy.set(true);
        set_outcome.set(None);
        leptos::task::spawn_local(async move {
            let r = async {
                let user = web::login(SYNC_BASE, &name, &password)
                    .await
                    .map_err(login_failure)?;
                if !user.roles.iter().any(|r| r == "office" || r == "_admin") {
                    // Not left logged in as a worker on the office's browser.
                    let _ = web::logout(SYNC_BASE).await;
                    return Err(SyncFailure::NotOffice(user.name));
                }
                let acct = OfficeAccount {
                    db: store_db(STORE),
                    device: data::random_hex::<8>().ok_or(SyncFailure::App(AppError::NoRandom))?,
                    name: user.name,
                };
                office
                    .store
                    .put_local(ACCOUNT, &acct)
                    .await
                    .map_err(|e| SyncFailure::App(e.into()))?;
                Ok(acct)
            }
            .await;
            drop(password);
            set_busy.set(false);
            match r {
                Ok(acct) => {
                    set_status.set(OfficeSync::default());
                    set_account.set(Some(Some(acct)));
                    set_outcome.set(Some(Ok(OfficeDone::LoggedIn)));
                    round();
                }
                Err(e) => set_outcome.set(Some(Err(e))),
            }
        });
    });

    let logout = Callback::new(move |()| {
        let (Some(office), Some(Some(acct))) = (db.get_value(), account.get_untracked()) else {
            return;
        };
        if busy.get_untracked() {
            return;
        }
        set_busy.set(true);
        leptos::task::spawn_local(async move {
            let r = async {
                let rep_id = replication(&acct, Direction::Push).replication_id();
                let count = doorstep_sync::pending(&office.store, &rep_id)
                    .await
                    .map_err(|e| SyncFailure::App(e.into()))?;
                if count > 0 {
                    let refused = doorstep_sync::refused(&office.store, &rep_id)
                        .await
                        .map_err(|e| SyncFailure::App(e.into()))?;
                    return Err(SyncFailure::Unsynced {
                        count,
                        clears: false,
                        problem: status.get_untracked().problem,
                        refused,
                    });
                }
                let _ = web::logout(SYNC_BASE).await;
                office
                    .store
                    .remove_local(ACCOUNT)
                    .await
                    .map_err(|e| SyncFailure::App(e.into()))?;
                Ok(())
            }
            .await;
            set_busy.set(false);
            match r {
                Ok(()) => {
                    set_account.set(Some(None));
                    set_status.set(OfficeSync::default());
                    set_outcome.set(Some(Ok(OfficeDone::LoggedOut)));
                }
                Err(e) => set_outcome.set(Some(Err(e))),
            }
        });
    });

    let save_note = Callback::new(move |(job, note): (String, String)| {
        let Some(office) = db.get_value() else {
            return;
        };
        if busy.get_untracked() {
            return;
        }
        set_busy.set(true);
        leptos::task::spawn_local(async move {
            let r = write_note(&office.store, &job, &note).await;
            // Counted at once: "all synced" must not stand while the note waits for the round.
            if let (Ok(()), Some(Some(acct))) = (&r, account.get_untracked()) {
                let pending = pending_of(&office, &acct).await;
                set_status.update(|s| s.pending = pending);
            }
            set_busy.set(false);
            set_outcome.set(Some(
                r.map(|()| OfficeDone::NoteSaved).map_err(SyncFailure::App),
            ));
            version.update(|v| *v += 1);
            round();
        });
    });

    UseOfficeReturn {
        account,
        failed,
        status,
        board,
        login,
        logout,
        sync_now: Callback::new(move |()| round()),
        save_note,
        busy,
        outcome,
    }
}

async fn open() -> Result<(OfficeDb, Option<OfficeAccount>), AppError> {
    let store = Store::new(IdbBackend::open(OFFICE_DB).await?);
    let acct = store.get_local::<OfficeAccount>(ACCOUNT).await?;
    let office = OfficeDb {
        store,
        transport: FetchTransport::new(SYNC_BASE).with_timeout(30_000),
        running: Cell::new(false),
        again: Cell::new(false),
    };
    Ok((office, acct))
}

/// The replication of the office's database with the store's, one direction.
fn replication(acct: &OfficeAccount, direction: Direction) -> Config {
    replication_config(&acct.db, format!("{OFFICE_DB}-{}", acct.device), direction)
}

/// How many local changes wait to be pushed (`None` when it cannot be read).
async fn pending_of(office: &OfficeDb, acct: &OfficeAccount) -> Option<usize> {
    let rep_id = replication(acct, Direction::Push).replication_id();
    doorstep_sync::pending(&office.store, &rep_id).await.ok()
}

/// Push → pull → push; whether anything was written locally.
async fn sync_round(office: &OfficeDb, acct: &OfficeAccount) -> (Result<(), SyncProblem>, bool) {
    let online = web_sys::window().is_none_or(|w| w.navigator().on_line());
    if !online {
        return (Err(SyncProblem::Offline), false);
    }
    let mut changed = false;
    for direction in [Direction::Push, Direction::Pull, Direction::Push] {
        let cfg = replication(acct, direction);
        let r = replicate_observed(&office.store, &office.transport, &JsTimer, cfg, |ids| {
            changed |= !ids.is_empty();
        })
        .await;
        if let Err(e) = r {
            return (Err(problem_of(e, &office.transport)), changed);
        }
    }
    (Ok(()), changed)
}

/// The board from the office's database: one read of every prefix it shows.
async fn read_board(store: &Store<IdbBackend>) -> Result<Board, AppError> {
    const PREFIXES: [&str; 5] = ["job:", "customer:", "worker:", "step:", "record:"];
    let mut found = store.scan_many_bodies(&PREFIXES).await?.into_iter();
    let jobs: Vec<Entry<JobDoc>> = decode_bodies(found.next().unwrap_or_default(), "job:");
    let customers: Vec<Entry<Customer>> =
        decode_bodies(found.next().unwrap_or_default(), "customer:");
    let workers: Vec<Entry<Worker>> = decode_bodies(found.next().unwrap_or_default(), "worker:");
    let steps: Vec<Entry<Step>> = decode_bodies(found.next().unwrap_or_default(), "step:");
    let mut board = Board::default();
    damaged_ids(&jobs, &mut board.damaged);
    damaged_ids(&customers, &mut board.damaged);
    damaged_ids(&workers, &mut board.damaged);
    damaged_ids(&steps, &mut board.damaged);
    // Each read once, by the key the jobs look it up by.
    let customers: BTreeMap<&str, &Customer> = customers
        .iter()
        .filter_map(Entry::ok)
        .map(|c| (c.id.0.as_str(), c))
        .collect();
    let names: BTreeMap<&str, &str> = workers
        .iter()
        .filter_map(Entry::ok)
        .map(|w| (w.badge.0.as_str(), w.name.as_str()))
        .collect();
    let name_of = |badge: &str| {
        names
            .get(badge)
            .map_or_else(|| badge.to_owned(), |name| format!("{name} {badge}"))
    };
    let mut steps_of: BTreeMap<String, Vec<(String, Step)>> = BTreeMap::new();
    for entry in steps {
        if let Entry::Ok { id, value } = entry {
            steps_of
                .entry(value.job.0.clone())
                .or_default()
                .push((id, value));
        }
    }
    // Records are counted by their ids (`record:<job>:<device>:<seq>`), not decoded: each is
    // verified where it is opened. One that cannot be read still counts.
    let mut records_of: BTreeMap<String, usize> = BTreeMap::new();
    for found in found.next().unwrap_or_default() {
        let id = match found {
            Ok(body) => body.id,
            Err(doorstep_store::StoreError::Corrupt { id, .. }) => id,
            Err(_) => continue,
        };
        if let Some(job) = id
            .strip_prefix("record:")
            .and_then(|rest| rest.rsplitn(3, ':').nth(2))
        {
            *records_of.entry(job.to_owned()).or_default() += 1;
        }
    }
    for entry in &jobs {
        let Entry::Ok { value: doc, .. } = entry else {
            continue;
        };
        let job = &doc.job;
        let id = job.id.0.clone();
        let customer = customers.get(job.customer.0.as_str());
        let mut job_steps = steps_of.remove(&id).unwrap_or_default();
        job_steps.sort_by(|a, b| (a.1.at, &a.0).cmp(&(b.1.at, &b.0)));
        let (start, end) = doc
            .assignment
            .as_ref()
            .map_or((job.window.start, job.window.end), |a| (a.start, a.end));
        let mut crew: Vec<String> = Vec::new();
        if let Some(a) = &doc.assignment {
            crew.push(name_of(&a.leader.0));
            crew.extend(
                a.workers
                    .iter()
                    .filter(|w| **w != a.leader)
                    .map(|w| name_of(&w.0)),
            );
        }
        board.jobs.push(BoardJob {
            status: shown_status_of(
                job.status,
                job_steps.iter().map(|(_, s)| StepMark::of(&s.step)),
            ),
            records: records_of.get(&id).copied().unwrap_or_default(),
            customer: customer.map(|c| c.name.clone()).unwrap_or_default(),
            district: customer
                .map(|c| c.address.district.clone())
                .unwrap_or_default(),
            special_requests: job.special_requests.clone(),
            steps: job_steps,
            crew,
            start,
            end,
            id,
        });
    }
    board
        .jobs
        .sort_by(|a, b| (a.start, &a.id).cmp(&(b.start, &b.id)));
    Ok(board)
}

fn damaged_ids<T>(entries: &[Entry<T>], out: &mut Vec<String>) {
    out.extend(entries.iter().filter_map(|e| match e {
        Entry::Damaged { id, .. } => Some(id.clone()),
        Entry::Ok { .. } => None,
    }));
}

/// The job's note for the crew (`special_requests`), as a new revision of the job. Edited in
/// the stored JSON, so fields this version does not know are kept.
async fn write_note(store: &Store<IdbBackend>, job: &str, note: &str) -> Result<(), AppError> {
    let id = doc_id::job(job);
    let (rev, mut doc) = store
        .get_as::<serde_json::Value>(&id)
        .await?
        .ok_or_else(|| AppError::JobNotOnDevice(job.to_owned()))?;
    let note: String = note.trim().chars().take(NOTE_MAX).collect();
    let Some(fields) = doc
        .get_mut("job")
        .and_then(serde_json::Value::as_object_mut)
    else {
        return Err(doorstep_store::StoreError::Corrupt {
            id,
            reason: "no job in the document".into(),
        }
        .into());
    };
    fields.insert("special_requests".into(), serde_json::Value::String(note));
    store.put(&id, &doc, Some(&rev)).await?;
    Ok(())
}
