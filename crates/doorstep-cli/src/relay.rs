//! `doorstep relay --url URL --admin NAME[:PASSWORD] [--store DB] [--once | --passes N]
//! [--interval S] [--poll-ms MS] [--state DIR] [--now YYYY-MM-DDTHH:MM:SS]`: keeps each worker's database
//! in step with the store's, with the replicator and the core's projection.
//!
//! One pass:
//! 1. pull the store's database into a memory mirror (replicator, its own checkpoints);
//! 2. per worker (`worker:` documents): pull their database into a mirror, compare its
//!    `order:<job>` documents with what `step::dispatch_order` projects for that worker
//!    now, and write the differences to the server (a changed projection is a new
//!    revision, a job no longer theirs a deletion; see [`write_orders`] for why as new
//!    edits); when a replaced body held the customer's contact, compact the worker's
//!    database so no old body keeps the address;
//! 3. the workers' `step:` documents with their photos (attachments) and their signed
//!    `record:` documents, copied revision for revision (`new_edits=false`) into a staging
//!    mirror, are pushed to the store's database: same ids, same revisions, same bytes.
//!
//! A pass writes only differences, so a second pass writes nothing. Mirrors live in memory
//! and, with `--state DIR`, in files saved after each pass (mode 0600): every pass, in this
//! process or after a restart, resumes from the checkpoints of the last. Without a state
//! (or with a lost one) the relay reads the databases again from the start and still
//! writes nothing that is already there. The loop re-projects every `--interval`
//! seconds (default 60, at most 3600: the privacy window moves with the clock) and as soon
//! as the store's or a worker's database changes (polled every `--poll-ms`).

use crate::cli::CliError;
use crate::couch::{Couch, CouchError};
use crate::setup::{parse_server_opts, prepare_worker_db, worker_db, ServerOpts};
use chrono::NaiveDateTime;
use doorstep_core::model::{doc_id, Customer, JobDoc, Worker, WorkerId};
use doorstep_core::{step, Rules};
use doorstep_store::{Edit, MemoryBackend, MemorySnapshot, Rev, Store, StoreError};
use doorstep_sync::native::{block_on, ThreadTimer};
use doorstep_sync::{replicate, Config, Direction, Refused, Report, SyncError};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use thiserror::Error;

#[derive(Debug, Error)]
pub enum RelayError {
    #[error(transparent)]
    Couch(#[from] CouchError),
    #[error("replication of {db}: {source}")]
    Sync {
        db: String,
        #[source]
        source: SyncError,
    },
    #[error("relay mirror: {0}")]
    Store(#[from] StoreError),
    #[error("relay state {path}: {source}")]
    State {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

/// What one pass did (one JSON line per pass).
#[derive(Debug, Default, Serialize)]
pub struct PassReport {
    pub pass: u64,
    pub now: String,
    pub workers: usize,
    /// `order:` revisions written (new or changed projections) and deletions.
    pub orders_written: usize,
    pub orders_deleted: usize,
    /// Step revisions copied to the store's database.
    pub steps_copied: usize,
    /// Revisions written on the server (orders and steps; 0 on a quiet pass).
    pub revs_written: usize,
    /// Replications of the pass, and how many resumed from a checkpoint.
    pub replications: usize,
    pub resumed: usize,
    /// Worker databases compacted after an address left them.
    pub compacted: Vec<String>,
    /// Store documents skipped because they did not decode (a job's orders are then
    /// withdrawn like any job no longer theirs: privacy first, and the office sees the list).
    pub unreadable: Vec<String>,
    /// Documents the server refused (kept pending by the replicator).
    pub refused: Vec<Refused>,
    pub ms: u64,
}

pub struct Relay {
    couch: Couch,
    opts: ServerOpts,
    rules: Rules,
    office: Store<MemoryBackend>,
    staging: Store<MemoryBackend>,
    /// Per worker database: its mirror and the mirror's last sequence copied to staging.
    workers: BTreeMap<String, (Store<MemoryBackend>, u64)>,
    passes: u64,
    /// The databases' `update_seq` when the last pass began: a change after that (even
    /// during the pass) brings the next pass at once.
    seen: Vec<Option<Value>>,
    /// Where the mirrors are kept between runs (`--state`).
    state: Option<PathBuf>,
}

const OFFICE_FILE: &str = "office.json";
const STEPS_FILE: &str = "steps.json";

/// A mirror as saved: its snapshot and how far its steps were copied.
#[derive(Serialize, Deserialize)]
struct Saved {
    copied: u64,
    mirror: MemorySnapshot,
}

/// A saved mirror, or an empty one when there is none or it cannot be read (the state is a
/// copy of the server's: an empty mirror is read again from the server, from the start).
fn load(path: &Path) -> (Store<MemoryBackend>, u64) {
    let saved = std::fs::read(path).ok().map(|b| {
        serde_json::from_slice::<Saved>(&b)
            .map_err(|e| e.to_string())
            .and_then(|s| {
                MemoryBackend::restore(&s.mirror)
                    .map(|m| (m, s.copied))
                    .map_err(|e| e.to_string())
            })
    });
    match saved {
        Some(Ok((m, copied))) => (Store::new(m), copied),
        Some(Err(e)) => {
            eprintln!(
                "doorstep relay: {} unreadable ({e}); read again from the server",
                path.display()
            );
            (Store::new(MemoryBackend::new()), 0)
        }
        None => (Store::new(MemoryBackend::new()), 0),
    }
}

fn save(path: &Path, store: &Store<MemoryBackend>, copied: u64) -> Result<(), RelayError> {
    let err = |source| RelayError::State {
        path: path.display().to_string(),
        source,
    };
    let saved = Saved {
        copied,
        mirror: store.backend().snapshot(),
    };
    let bytes = serde_json::to_vec(&saved).map_err(|e| err(std::io::Error::other(e)))?;
    let tmp = path.with_extension("json.tmp");
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(&tmp).map_err(err)?;
    file.write_all(&bytes).map_err(err)?;
    file.sync_all().map_err(err)?;
    std::fs::rename(&tmp, path).map_err(err)
}

impl Relay {
    /// A relay whose mirrors start from `state` (saved by [`Relay::save`]) when given.
    pub fn new(opts: ServerOpts, state: Option<PathBuf>) -> Relay {
        let mut relay = Relay {
            couch: Couch::new(&opts.url),
            opts,
            rules: Rules::default(),
            office: Store::new(MemoryBackend::new()),
            staging: Store::new(MemoryBackend::new()),
            workers: BTreeMap::new(),
            passes: 0,
            seen: Vec::new(),
            state,
        };
        if let Some(dir) = relay.state.clone() {
            relay.office = load(&dir.join(OFFICE_FILE)).0;
            relay.staging = load(&dir.join(STEPS_FILE)).0;
            let names = std::fs::read_dir(&dir).into_iter().flatten().flatten();
            for name in names.filter_map(|e| e.file_name().into_string().ok()) {
                if let Some(db) = name
                    .strip_prefix("w-")
                    .and_then(|n| n.strip_suffix(".json"))
                {
                    relay.workers.insert(db.to_owned(), load(&dir.join(&name)));
                }
            }
        }
        relay
    }

    /// Writes every mirror to the state directory (each file written whole, then renamed;
    /// mode 0600: the store's mirror holds customers' details).
    pub fn save(&self) -> Result<(), RelayError> {
        let Some(dir) = &self.state else {
            return Ok(());
        };
        save(&dir.join(OFFICE_FILE), &self.office, 0)?;
        save(&dir.join(STEPS_FILE), &self.staging, 0)?;
        for (db, (mirror, copied)) in &self.workers {
            save(&dir.join(format!("w-{db}.json")), mirror, *copied)?;
        }
        Ok(())
    }

    /// The store's local time now.
    pub fn clock(&self) -> NaiveDateTime {
        let offset = chrono::Duration::minutes(i64::from(self.rules.utc_offset_minutes));
        chrono::Utc::now().naive_utc() + offset
    }

    fn replicate(
        &self,
        store: &Store<MemoryBackend>,
        local: &str,
        db: &str,
        direction: Direction,
        report: &mut PassReport,
    ) -> Result<Report, RelayError> {
        let cfg = Config::new(
            db,
            local,
            format!("{}/{db}", self.couch.base()),
            direction,
            format!("relay-{}-{}", std::process::id(), self.passes),
        );
        let r = block_on(replicate(store, &self.couch.transport, &ThreadTimer, cfg)).map_err(
            |source| RelayError::Sync {
                db: db.to_owned(),
                source,
            },
        )?;
        report.replications += 1;
        report.resumed += usize::from(r.started_from.is_some());
        if direction == Direction::Push {
            report.revs_written += r.revs_written;
        }
        report.refused.extend(r.refused.iter().cloned());
        Ok(r)
    }

    /// Pulls `db` into its mirror. A mirror that holds documents but shares no checkpoint
    /// with the server (a saved state from another incarnation of the database) is not a
    /// copy of it: a new, empty mirror is pulled instead and returned.
    fn pull_mirror(
        &self,
        mirror: &Store<MemoryBackend>,
        local: &str,
        db: &str,
        report: &mut PassReport,
    ) -> Result<Option<Store<MemoryBackend>>, RelayError> {
        let held = block_on(mirror.info())?.update_seq;
        let r = self.replicate(mirror, local, db, Direction::Pull, report)?;
        if held == 0 || r.started_from.is_some() {
            return Ok(None);
        }
        let fresh = Store::new(MemoryBackend::new());
        self.replicate(&fresh, local, db, Direction::Pull, report)?;
        Ok(Some(fresh))
    }

    /// One pass at `now`.
    pub fn pass(&mut self, now: NaiveDateTime) -> Result<PassReport, RelayError> {
        let t0 = Instant::now();
        self.seen = self.seqs();
        self.passes += 1;
        let mut report = PassReport {
            pass: self.passes,
            now: now.format("%Y-%m-%dT%H:%M:%S").to_string(),
            ..PassReport::default()
        };
        let store_db = self.opts.store_db.clone();
        let office_local = format!("relay-office-{store_db}");
        if let Some(fresh) =
            self.pull_mirror(&self.office, &office_local, &store_db, &mut report)?
        {
            self.office = fresh;
        }
        let data = block_on(self.read_office(&mut report.unreadable))?;
        report.workers = data.workers.len();
        for w in &data.workers {
            let db = worker_db(w.badge.as_str());
            if !self.workers.contains_key(&db) {
                prepare_worker_db(&self.couch, w.badge.as_str(), &self.opts.office)?;
                self.workers
                    .insert(db.clone(), (Store::new(MemoryBackend::new()), 0));
            }
            if let Err(e) = self.worker_pass(&data, &w.badge, &db, now, &mut report) {
                // A database deleted meanwhile is prepared again by the next pass.
                if let RelayError::Sync {
                    source: SyncError::NoDatabase { .. },
                    ..
                } = e
                {
                    self.workers.remove(&db);
                }
                return Err(e);
            }
        }
        let staging_local = format!("relay-steps-{store_db}");
        let pushed = self.replicate(
            &self.staging,
            &staging_local,
            &store_db,
            Direction::Push,
            &mut report,
        )?;
        report.steps_copied = pushed.revs_written;
        report.ms = u64::try_from(t0.elapsed().as_millis()).unwrap_or(u64::MAX);
        Ok(report)
    }

    async fn read_office(&self, unreadable: &mut Vec<String>) -> Result<Office, StoreError> {
        Ok(Office {
            jobs: decode_all(&self.office, doc_id::JOB_PREFIX, unreadable).await?,
            customers: decode_all(&self.office, "customer:", unreadable).await?,
            workers: decode_all(&self.office, "worker:", unreadable).await?,
        })
    }

    fn worker_pass(
        &mut self,
        data: &Office,
        badge: &WorkerId,
        db: &str,
        now: NaiveDateTime,
        report: &mut PassReport,
    ) -> Result<(), RelayError> {
        let local = format!("relay-{db}");
        let Some((mirror, _)) = self.workers.get(db) else {
            return Ok(());
        };
        if let Some(fresh) = self.pull_mirror(mirror, &local, db, report)? {
            self.workers.insert(db.to_owned(), (fresh, 0));
        }
        let Some((mirror, copied)) = self.workers.get(db) else {
            return Ok(());
        };
        let want = data.orders_for(badge, now, &self.rules);
        let (docs, withdrawn) = block_on(order_writes(mirror, &want))?;
        if !docs.is_empty() {
            for d in &docs {
                if d.get("_deleted").is_some() {
                    report.orders_deleted += 1;
                } else {
                    report.orders_written += 1;
                }
            }
            report.revs_written += docs.len();
            write_orders(&self.couch, db, docs, &mut report.refused)?;
            // The mirror takes the server's new revisions, so the next pass starts level.
            self.replicate(mirror, &local, db, Direction::Pull, report)?;
        }
        if withdrawn {
            compact(&self.couch, db)?;
            report.compacted.push(db.to_owned());
        }
        let copied = block_on(copy_steps(mirror, &self.staging, *copied))?;
        if let Some(entry) = self.workers.get_mut(db) {
            entry.1 = copied;
        }
        Ok(())
    }
}

/// What the store's database holds that the projection needs.
struct Office {
    jobs: Vec<JobDoc>,
    customers: Vec<Customer>,
    workers: Vec<Worker>,
}

impl Office {
    /// `order:<job>` → body, for every assignment of `viewer` the core lets them hold now.
    fn orders_for(
        &self,
        viewer: &WorkerId,
        now: NaiveDateTime,
        rules: &Rules,
    ) -> BTreeMap<String, Value> {
        self.jobs
            .iter()
            .filter_map(|j| {
                let a = j.assignment.as_ref()?;
                let customer = self.customers.iter().find(|c| c.id == j.job.customer)?;
                let order =
                    step::dispatch_order(&j.job, customer, a, &self.workers, viewer, now, rules)?;
                Some((
                    doc_id::order(j.job.id.as_str()),
                    serde_json::to_value(&order).ok()?,
                ))
            })
            .collect()
    }
}

async fn decode_all<T: serde::de::DeserializeOwned>(
    store: &Store<MemoryBackend>,
    prefix: &str,
    unreadable: &mut Vec<String>,
) -> Result<Vec<T>, StoreError> {
    let mut out = Vec::new();
    for d in store.scan(prefix).await? {
        match d.map(|d| (serde_json::from_value::<T>(d.body), d.id)) {
            Ok((Ok(v), _)) => out.push(v),
            Ok((Err(_), id)) => unreadable.push(id),
            Err(e) => unreadable.push(e.to_string()),
        }
    }
    Ok(out)
}

/// The writes (CouchDB JSON, `new_edits=true`) that make the worker's `order:` documents
/// equal to `want`, and whether a replaced or deleted body held the customer's contact
/// (then the server must compact).
async fn order_writes(
    mirror: &Store<MemoryBackend>,
    want: &BTreeMap<String, Value>,
) -> Result<(Vec<Value>, bool), StoreError> {
    let held = mirror.all_docs(doc_id::ORDER_PREFIX).await?;
    let mut docs = Vec::new();
    let mut withdrawn = false;
    let had_contact = |body: &Value| {
        body.get("view")
            .and_then(|v| v.get("contact"))
            .is_some_and(|c| !c.is_null())
    };
    let with = |id: &str, rev: Option<&Rev>, body: &Value| {
        let mut doc = body.clone();
        if let Value::Object(m) = &mut doc {
            m.insert("_id".into(), json!(id));
            if let Some(rev) = rev {
                m.insert("_rev".into(), json!(rev.to_string()));
            }
        }
        doc
    };
    for d in &held {
        match want.get(&d.id) {
            Some(body) if body == &d.body => {}
            Some(body) => {
                withdrawn |= had_contact(&d.body);
                docs.push(with(&d.id, Some(&d.rev), body));
            }
            None => {
                withdrawn |= had_contact(&d.body);
                docs.push(json!({"_id": d.id, "_rev": d.rev.to_string(), "_deleted": true}));
            }
        }
    }
    for (id, body) in want {
        if !held.iter().any(|d| &d.id == id) {
            // New, or revived after a deletion (the server extends the tombstone).
            docs.push(with(id, None, body));
        }
    }
    Ok((docs, withdrawn))
}

/// Writes the relay's orders as new edits (the server mints the revisions). Not replicated
/// with `new_edits=false`: pouchdb-server's validation (pouchdb-validation) replaces an
/// incoming revision's `_revisions` with the stored document's, and a replicated update of
/// an existing document is then dropped while the reply says nothing went wrong.
fn write_orders(
    couch: &Couch,
    db: &str,
    docs: Vec<Value>,
    refused: &mut Vec<Refused>,
) -> Result<(), CouchError> {
    let path = format!("/{}/_bulk_docs", doorstep_sync::http::encode(db));
    let rows = couch.expect(
        doorstep_sync::Method::Post,
        &path,
        Some(&json!({ "docs": docs })),
        &[201, 202],
    )?;
    for row in rows.as_array().into_iter().flatten() {
        if let Some(error) = row.get("error").and_then(Value::as_str) {
            let text = |k: &str| row.get(k).and_then(Value::as_str).map(str::to_owned);
            refused.push(Refused {
                id: text("id").unwrap_or_default(),
                rev: None,
                error: error.to_owned(),
                reason: text("reason").unwrap_or_default(),
            });
        }
    }
    Ok(())
}

/// The documents a worker makes that the office keeps: steps (with their photos) and
/// signed service records.
const COPIED: [&str; 2] = ["step:", "record:"];

/// Copies the mirror's step and record revisions changed after `since` into `staging` as
/// they are (`new_edits=false`: same ids and revisions; photos inline unless staging holds
/// an ancestor that has them); the mirror's sequence reached.
async fn copy_steps(
    mirror: &Store<MemoryBackend>,
    staging: &Store<MemoryBackend>,
    since: u64,
) -> Result<u64, StoreError> {
    let page = mirror.changes(since, usize::MAX).await?;
    let wanted: Vec<_> = page
        .results
        .iter()
        .filter(|c| COPIED.iter().any(|p| c.id.starts_with(p)))
        .map(|c| (c.id.clone(), c.changes.clone()))
        .collect();
    let mut edits = Vec::new();
    for (id, revs) in staging.revs_diff(&wanted).await? {
        let held = staging
            .get_record(&id)
            .await?
            .map(|r| r.change().changes)
            .unwrap_or_default();
        for doc in mirror
            .open_revs_with_data(&id, &revs, &held)
            .await?
            .into_iter()
            .flatten()
        {
            if let Ok(e) = Edit::from_couch(doc, false) {
                edits.push(e);
            }
        }
    }
    if !edits.is_empty() {
        staging.bulk_docs(&edits).await?;
    }
    Ok(page.last_seq)
}

/// Asks the server to compact `db` (CouchDB: a background job; pouchdb-server: at once).
fn compact(couch: &Couch, db: &str) -> Result<(), CouchError> {
    couch
        .expect(
            doorstep_sync::Method::Post,
            &format!("/{}/_compact", doorstep_sync::http::encode(db)),
            Some(&json!({})),
            &[200, 201, 202],
        )
        .map(drop)
}

pub fn run(args: &[String]) -> Result<String, CliError> {
    let (opts, rest) = parse_server_opts(args)?;
    let mut passes: Option<u64> = None;
    let mut interval = 60u64;
    let mut poll_ms = 2000u64;
    let mut fixed_now = None;
    let mut state = None;
    let mut it = rest.iter();
    while let Some(a) = it.next() {
        let mut num = || {
            it.next()
                .and_then(|v| v.parse::<u64>().ok())
                .ok_or_else(|| CliError::Usage(format!("{a} needs a number")))
        };
        match a.as_str() {
            "--once" => passes = Some(1),
            "--passes" => passes = Some(num()?),
            "--interval" => interval = num()?.min(3600),
            "--poll-ms" => poll_ms = num()?.max(100),
            "--state" => {
                let dir = it
                    .next()
                    .ok_or_else(|| CliError::Usage("--state needs a directory".into()))?;
                std::fs::create_dir_all(dir).map_err(|source| CliError::Io {
                    path: dir.clone(),
                    source,
                })?;
                state = Some(PathBuf::from(dir));
            }
            "--now" => {
                let v = it
                    .next()
                    .ok_or_else(|| CliError::Usage("--now needs a time".into()))?;
                fixed_now = Some(
                    doorstep_core::iso::parse_datetime(v)
                        .map_err(|e| CliError::Usage(format!("bad --now {v:?}: {e}")))?,
                );
            }
            other => return Err(CliError::Usage(format!("unknown option {other}"))),
        }
    }
    let mut relay = Relay::new(opts, state);
    loop {
        let now = fixed_now.unwrap_or_else(|| relay.clock());
        match relay.pass(now).and_then(|r| relay.save().map(|()| r)) {
            Ok(r) => println!("{}", serde_json::to_string(&r).unwrap_or_default()),
            // In loop mode a failed pass (the server restarting, a network cut) is reported
            // and tried again; a single pass fails the command.
            Err(e) if passes.is_none() => eprintln!("doorstep relay: {e}"),
            Err(e) => return Err(CliError::Server(e.to_string())),
        }
        let _ = std::io::stdout().flush();
        if passes.is_some_and(|n| relay.passes >= n) {
            return Ok(String::new());
        }
        relay.wait(
            Duration::from_secs(interval),
            Duration::from_millis(poll_ms),
        );
    }
}

impl Relay {
    /// The `update_seq` of the store's database and each known worker's.
    fn seqs(&self) -> Vec<Option<Value>> {
        std::iter::once(&self.opts.store_db)
            .chain(self.workers.keys())
            .map(|db| self.couch.update_seq(db).ok().flatten())
            .collect()
    }

    /// Waits `interval`, or less when a database changed since the last pass began (a pass
    /// that wrote is so followed by a quiet one, which writes nothing).
    fn wait(&self, interval: Duration, poll: Duration) {
        let t0 = Instant::now();
        while t0.elapsed() < interval {
            if self.seqs() != self.seen {
                return;
            }
            std::thread::sleep(poll.min(interval));
        }
    }
}
