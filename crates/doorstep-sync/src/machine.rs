//! The replication state machine: no I/O, no clock, no randomness.
//!
//! [`Replication::step`] takes what came back ([`Input`]) and says what to do next
//! ([`Action`]): an HTTP request to the remote database, an operation on the local store, a
//! pause before a retry, or the end. A driver performs each action and feeds the result back;
//! the tests drive it against a simulated server, the app against `fetch` and IndexedDB.
//!
//! Inside, the protocol is written as straight-line async code (the steps of the CouchDB
//! replication protocol in order) over a one-slot mailbox: each effect parks its action in
//! the slot and waits for the matching input, so the future is polled with a no-op waker
//! and only ever waits on the driver.

use crate::checkpoint::{replication_id, resume_from, Checkpoint, Direction};
use crate::error::SyncError;
use crate::http::{doc_path, encode, HttpRequest, HttpResponse, Method, TransportError};
use crate::wire::{self, parse, reason};
use doorstep_store::{Change, DocError, Edit, Rev, StoreError};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

/// How transient failures (no connection, 5xx, 408, 429) are retried: exponential backoff
/// from `first_ms` up to `max_ms`, at most `attempts` tries of one request.
#[derive(Clone, Debug, PartialEq)]
pub struct Retry {
    pub first_ms: u64,
    pub max_ms: u64,
    pub attempts: u32,
}

impl Default for Retry {
    fn default() -> Self {
        Retry {
            first_ms: 250,
            max_ms: 30_000,
            attempts: 8,
        }
    }
}

impl Retry {
    /// The pause before try `attempt + 1` (after `attempt` failures).
    pub fn delay(&self, attempt: u32) -> u64 {
        let factor = 1u64 << attempt.saturating_sub(1).min(20);
        self.first_ms.saturating_mul(factor).min(self.max_ms)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    /// The remote database's name (one path segment).
    pub db: String,
    /// A stable name of the local database (e.g. the worker's database name on the device).
    pub local_id: String,
    /// A stable name of the remote: its URL without credentials.
    pub remote_id: String,
    pub direction: Direction,
    /// New for each run (the driver makes it: time + randomness).
    pub session_id: String,
    /// Changes per batch (`limit`); one batch = one local transaction and one checkpoint.
    pub batch_size: usize,
    /// The largest reply accepted, in bytes.
    pub max_body: usize,
    pub retry: Retry,
}

impl Config {
    pub fn new(
        db: impl Into<String>,
        local_id: impl Into<String>,
        remote_id: impl Into<String>,
        direction: Direction,
        session_id: impl Into<String>,
    ) -> Config {
        Config {
            db: db.into(),
            local_id: local_id.into(),
            remote_id: remote_id.into(),
            direction,
            session_id: session_id.into(),
            batch_size: 200,
            max_body: 8 << 20,
            retry: Retry::default(),
        }
    }

    pub fn replication_id(&self) -> String {
        replication_id(&self.local_id, &self.remote_id, self.direction)
    }
}

/// An operation on the local store, performed by the driver (see [`crate::apply`]).
#[derive(Clone, Debug, PartialEq)]
pub enum StoreOp {
    GetLocal(String),
    PutLocal(String, Value),
    /// The changes feed after `since`: each document once, with all its leaves.
    Changes {
        since: u64,
        limit: usize,
    },
    /// Which of these revisions the store lacks.
    RevsDiff(Vec<(String, Vec<Rev>)>),
    /// These leaves with their `_revisions`, in CouchDB's JSON form: `(id, leaves, the
    /// target's possible ancestors)`. Attachments added up to an ancestor's generation go as
    /// stubs, the others with their bytes inline (`data`).
    ReadRevs(Vec<(String, Vec<Rev>, Vec<Rev>)>),
    /// Which of these attachment digests the store holds bytes of.
    HasAttachments(Vec<String>),
    /// Replicated revisions, in one transaction.
    Write(Vec<Edit>),
}

#[derive(Clone, Debug, PartialEq)]
pub enum StoreReply {
    Local(Option<Value>),
    Done,
    Changes(Vec<Change>),
    Missing(Vec<(String, Vec<Rev>)>),
    Docs(Vec<Value>),
    Written(Vec<Result<Rev, DocError>>),
    Held(Vec<bool>),
}

#[derive(Debug)]
pub enum Input {
    /// The first input of a run.
    Start,
    Http(Result<HttpResponse, TransportError>),
    Store(Result<StoreReply, StoreError>),
    /// The pause of [`Action::Sleep`] is over.
    Woke,
}

#[derive(Debug)]
pub enum Action {
    Http(HttpRequest),
    Store(StoreOp),
    /// Wait this long, then answer [`Input::Woke`] (the driver owns the clock).
    Sleep {
        ms: u64,
    },
    Done(Report),
    Failed(SyncError),
}

/// A document the server refused: it stays pending on the device and is sent again on the
/// next run (the push checkpoint never moves past it).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Refused {
    pub id: String,
    #[serde(default)]
    pub rev: Option<String>,
    pub error: String,
    #[serde(default)]
    pub reason: String,
}

/// What one run did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Report {
    pub rep_id: String,
    /// The checkpoint the run resumed from (`None`: from the start).
    pub started_from: Option<Value>,
    /// The checkpoint at the end.
    pub checkpoint: Option<Value>,
    /// Rows of the changes feed read.
    pub changes_read: usize,
    /// Revisions written on the target (pushed and accepted, or pulled and stored).
    pub revs_written: usize,
    /// Revisions asked for that the source no longer had (superseded meanwhile; a later
    /// change brings their successor).
    pub revs_gone: usize,
    pub batches: usize,
    /// Documents pending because the server refused them (push), with its reasons.
    pub refused: Vec<Refused>,
    /// Attachments whose bytes went over the wire (push: inline `data`; pull: fetched).
    pub attachments_sent: usize,
    /// Their bytes (before base64).
    pub attachment_bytes: u64,
    pub requests: u32,
    pub retries: u32,
}

/// The key of the local list of refused documents of a push replication.
pub fn refused_key(rep_id: &str) -> String {
    format!("{rep_id}/refused")
}

/// The key of the local list of documents above a push's checkpoint (held back by a refused
/// one) that the server already has, each with the local sequence it has it at: they are
/// not pending, though the checkpoint cannot move past them.
pub fn sent_above_key(rep_id: &str) -> String {
    format!("{rep_id}/sent-above")
}

#[derive(Default)]
struct Slot {
    out: Option<Action>,
    input: Option<Input>,
}

#[derive(Clone, Default)]
struct Io(Rc<RefCell<Slot>>);

struct Call {
    io: Io,
    action: Option<Action>,
}

impl Future for Call {
    type Output = Input;

    fn poll(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<Input> {
        let this = self.get_mut();
        if let Some(a) = this.action.take() {
            this.io.0.borrow_mut().out = Some(a);
            return Poll::Pending;
        }
        match this.io.0.borrow_mut().input.take() {
            Some(i) => Poll::Ready(i),
            None => Poll::Pending,
        }
    }
}

type Run = Pin<Box<dyn Future<Output = Result<Report, SyncError>>>>;

/// One run of one replication (push or pull).
pub struct Replication {
    io: Io,
    run: Option<Run>,
    rep_id: String,
}

impl Replication {
    pub fn new(cfg: Config) -> Replication {
        let io = Io::default();
        let rep_id = cfg.replication_id();
        let cx = Cx {
            io: io.clone(),
            report: Report {
                rep_id: rep_id.clone(),
                ..Report::default()
            },
            rep_id: rep_id.clone(),
            cfg,
        };
        Replication {
            io,
            run: Some(Box::pin(run(cx))),
            rep_id,
        }
    }

    pub fn rep_id(&self) -> &str {
        &self.rep_id
    }

    /// Feeds what the last action gave (or [`Input::Start`]) and returns the next action.
    /// After `Done` or `Failed` the run is over.
    pub fn step(&mut self, input: Input) -> Action {
        let Some(run) = self.run.as_mut() else {
            return Action::Failed(SyncError::Driver("the run is over".into()));
        };
        if !matches!(input, Input::Start) {
            self.io.0.borrow_mut().input = Some(input);
        }
        let out = match run.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
            Poll::Ready(Ok(report)) => Action::Done(report),
            Poll::Ready(Err(e)) => Action::Failed(e),
            Poll::Pending => match self.io.0.borrow_mut().out.take() {
                Some(action) => return action,
                None => Action::Failed(SyncError::Driver("input out of turn".into())),
            },
        };
        self.run = None;
        out
    }
}

struct Cx {
    io: Io,
    cfg: Config,
    rep_id: String,
    report: Report,
}

fn driver_error(expected: &str, got: &Input) -> SyncError {
    let got = match got {
        Input::Start => "Start",
        Input::Http(_) => "an HTTP reply",
        Input::Store(_) => "a store reply",
        Input::Woke => "Woke",
    };
    SyncError::Driver(format!("expected {expected}, got {got}"))
}

impl Cx {
    async fn call(&self, action: Action) -> Input {
        Call {
            io: self.io.clone(),
            action: Some(action),
        }
        .await
    }

    async fn store(&mut self, op: StoreOp) -> Result<StoreReply, SyncError> {
        match self.call(Action::Store(op)).await {
            Input::Store(r) => Ok(r?),
            other => Err(driver_error("a store reply", &other)),
        }
    }

    fn request(&self, method: Method, path: String, query: Vec<(&str, String)>) -> HttpRequest {
        HttpRequest {
            method,
            path,
            query: query.into_iter().map(|(k, v)| (k.to_owned(), v)).collect(),
            body: None,
            max_body: self.cfg.max_body,
        }
    }

    fn db_path(&self, rest: &str) -> String {
        format!("/{}{rest}", encode(&self.cfg.db))
    }

    /// Sends a request, retrying transient failures with backoff. 401 and 403 end the run
    /// at once; every other status is the caller's to judge.
    async fn http(&mut self, what: &str, req: HttpRequest) -> Result<HttpResponse, SyncError> {
        let mut failures = 0u32;
        loop {
            self.report.requests += 1;
            let (last, wait) = match self.call(Action::Http(req.clone())).await {
                Input::Http(Ok(resp)) => {
                    if resp.body.len() > self.cfg.max_body {
                        return Err(self.too_large(what));
                    }
                    match resp.status {
                        401 => {
                            return Err(SyncError::Unauthorized {
                                reason: reason(&resp),
                            })
                        }
                        403 => {
                            return Err(SyncError::Forbidden {
                                reason: reason(&resp),
                            })
                        }
                        408 | 429 | 500..=599 => (
                            format!("{} {}", resp.status, reason(&resp)),
                            retry_after(&resp),
                        ),
                        _ => return Ok(resp),
                    }
                }
                Input::Http(Err(TransportError::TooLarge(_))) => return Err(self.too_large(what)),
                Input::Http(Err(TransportError::Network(m))) => (m, None),
                other => return Err(driver_error("an HTTP reply", &other)),
            };
            failures += 1;
            if failures >= self.cfg.retry.attempts {
                return Err(SyncError::GaveUp {
                    what: what.to_owned(),
                    attempts: failures,
                    last,
                });
            }
            self.report.retries += 1;
            let ms = wait
                .unwrap_or_else(|| self.cfg.retry.delay(failures))
                .min(self.cfg.retry.max_ms);
            match self.call(Action::Sleep { ms }).await {
                Input::Woke => {}
                other => return Err(driver_error("the end of a pause", &other)),
            }
        }
    }

    fn too_large(&self, what: &str) -> SyncError {
        SyncError::TooLarge {
            what: what.to_owned(),
            limit: self.cfg.max_body,
        }
    }

    fn checkpoint_path(&self) -> String {
        doc_path(&self.cfg.db, &format!("_local/{}", self.rep_id))
    }

    /// The remote checkpoint and its `_rev` (needed to replace it).
    async fn remote_checkpoint(
        &mut self,
    ) -> Result<(Option<Checkpoint>, Option<String>), SyncError> {
        let req = self.request(Method::Get, self.checkpoint_path(), vec![]);
        let resp = self.http("GET checkpoint", req).await?;
        match resp.status {
            200 => {
                let what = "GET checkpoint";
                let v: Value = parse(what, &resp)?;
                let rev = v.get("_rev").and_then(Value::as_str).map(str::to_owned);
                let cp = serde_json::from_value(v).map_err(|e| SyncError::Malformed {
                    what: what.into(),
                    detail: e.to_string(),
                })?;
                Ok((Some(cp), rev))
            }
            404 => Ok((None, None)),
            s => Err(status_error(s, "GET checkpoint", &resp)),
        }
    }

    /// The local checkpoint; an unreadable one counts as none (resume from the start is
    /// always safe: replicated writes are idempotent).
    async fn local_checkpoint(&mut self) -> Result<Option<Checkpoint>, SyncError> {
        match self.store(StoreOp::GetLocal(self.rep_id.clone())).await? {
            StoreReply::Local(v) => Ok(v.and_then(|v| serde_json::from_value(v).ok())),
            _ => Err(wrong_reply("GetLocal")),
        }
    }

    /// Writes the same checkpoint on both sides: the local store first, then the remote
    /// (a 409 there means our `_rev` is stale, e.g. a lost reply: read it and try once more).
    async fn save_checkpoint(
        &mut self,
        seq: Value,
        previous: Option<&Checkpoint>,
        remote_rev: &mut Option<String>,
    ) -> Result<(), SyncError> {
        let cp = Checkpoint::next(&self.cfg.session_id, seq.clone(), previous);
        let local = serde_json::to_value(&cp).map_err(|e| SyncError::Driver(e.to_string()))?;
        match self
            .store(StoreOp::PutLocal(self.rep_id.clone(), local.clone()))
            .await?
        {
            StoreReply::Done => {}
            _ => return Err(wrong_reply("PutLocal")),
        }
        for attempt in 0..2 {
            let mut doc = local.clone();
            if let Value::Object(m) = &mut doc {
                m.insert("_id".into(), json!(format!("_local/{}", self.rep_id)));
                if let Some(r) = remote_rev.as_ref() {
                    m.insert("_rev".into(), json!(r));
                }
            }
            let mut req = self.request(Method::Put, self.checkpoint_path(), vec![]);
            req.body = Some(doc.to_string().into_bytes());
            let resp = self.http("PUT checkpoint", req).await?;
            match resp.status {
                200..=202 => {
                    let reply: wire::PutReply = parse("PUT checkpoint", &resp)?;
                    *remote_rev = Some(reply.rev);
                    self.report.checkpoint = Some(seq);
                    return Ok(());
                }
                409 if attempt == 0 => *remote_rev = self.remote_checkpoint().await?.1,
                s => return Err(status_error(s, "PUT checkpoint", &resp)),
            }
        }
        Err(SyncError::Driver("unreachable".into()))
    }
}

fn wrong_reply(op: &str) -> SyncError {
    SyncError::Driver(format!("{op} answered with another kind of reply"))
}

fn status_error(status: u16, what: &str, resp: &HttpResponse) -> SyncError {
    SyncError::Status {
        status,
        what: what.to_owned(),
        detail: reason(resp),
    }
}

/// `Retry-After` in seconds, if the server sent one.
fn retry_after(resp: &HttpResponse) -> Option<u64> {
    resp.headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("retry-after"))
        .and_then(|(_, v)| v.trim().parse::<u64>().ok())
        .map(|s| s.saturating_mul(1000))
}

fn seq_param(seq: &Value) -> String {
    match seq {
        Value::String(s) => s.clone(),
        Value::Null => "0".into(),
        other => other.to_string(),
    }
}

async fn run(mut cx: Cx) -> Result<Report, SyncError> {
    let req = cx.request(Method::Get, cx.db_path(""), vec![]);
    let resp = cx.http("GET database", req).await?;
    match resp.status {
        200 => {}
        404 => {
            return Err(SyncError::NoDatabase {
                db: cx.cfg.db.clone(),
            })
        }
        s => return Err(status_error(s, "GET database", &resp)),
    }
    let (remote, remote_rev) = cx.remote_checkpoint().await?;
    let local = cx.local_checkpoint().await?;
    let (source, target) = match cx.cfg.direction {
        Direction::Push => (local, remote),
        Direction::Pull => (remote, local),
    };
    let start = resume_from(source.as_ref(), target.as_ref());
    cx.report.started_from = start.clone();
    cx.report.checkpoint = start.clone();
    match cx.cfg.direction {
        Direction::Push => push(&mut cx, start, source, remote_rev).await?,
        Direction::Pull => pull(&mut cx, start, source, remote_rev).await?,
    }
    Ok(cx.report)
}

/// Push: local changes → `_revs_diff` → `_bulk_docs` (`new_edits=false`), batch by batch.
/// The checkpoint is the highest local sequence below which the server accepted everything:
/// a refused document holds it back, so it is read and sent again on every run until the
/// server takes it (or a newer edit of it does).
async fn push(
    cx: &mut Cx,
    start: Option<Value>,
    previous: Option<Checkpoint>,
    mut remote_rev: Option<String>,
) -> Result<(), SyncError> {
    let mut since = start.as_ref().and_then(Value::as_u64).unwrap_or(0);
    let mut checkpoint = since;
    let mut held = false;
    let key = refused_key(&cx.rep_id);
    let mut refused: BTreeMap<String, Refused> =
        match cx.store(StoreOp::GetLocal(key.clone())).await? {
            StoreReply::Local(Some(v)) => serde_json::from_value::<Vec<Refused>>(v)
                .unwrap_or_default()
                .into_iter()
                .map(|r| (r.id.clone(), r))
                .collect(),
            _ => BTreeMap::new(),
        };
    let mut saved_refused = refused.clone();
    // Rebuilt on every run: each run reads everything above the checkpoint again.
    let above_key = sent_above_key(&cx.rep_id);
    let saved_above: BTreeMap<String, u64> =
        match cx.store(StoreOp::GetLocal(above_key.clone())).await? {
            StoreReply::Local(Some(v)) => serde_json::from_value(v).unwrap_or_default(),
            _ => BTreeMap::new(),
        };
    let mut above = BTreeMap::new();
    let limit = cx.cfg.batch_size.max(1);
    loop {
        let rows = match cx.store(StoreOp::Changes { since, limit }).await? {
            StoreReply::Changes(rows) => rows,
            _ => return Err(wrong_reply("Changes")),
        };
        let Some(last) = rows.last().map(|c| c.seq) else {
            break;
        };
        cx.report.changes_read += rows.len();
        cx.report.batches += 1;

        let mut diff_body = Map::new();
        for c in &rows {
            diff_body.insert(
                c.id.clone(),
                c.changes.iter().map(|r| json!(r.to_string())).collect(),
            );
        }
        let mut req = cx.request(Method::Post, cx.db_path("/_revs_diff"), vec![]);
        req.body = Some(Value::Object(diff_body).to_string().into_bytes());
        let resp = cx.http("_revs_diff", req).await?;
        if resp.status != 200 {
            return Err(status_error(resp.status, "_revs_diff", &resp));
        }
        let diff: wire::RevsDiffReply = parse("_revs_diff", &resp)?;
        // Only what was asked: a server cannot make us send other documents.
        let missing: Vec<(String, Vec<Rev>, Vec<Rev>)> = rows
            .iter()
            .filter_map(|c| {
                let e = diff.get(&c.id)?;
                let revs: Vec<Rev> = e
                    .missing
                    .iter()
                    .filter(|r| c.changes.contains(r))
                    .cloned()
                    .collect();
                (!revs.is_empty()).then(|| (c.id.clone(), revs, e.possible_ancestors.clone()))
            })
            .collect();

        let mut refused_now = BTreeSet::new();
        if !missing.is_empty() {
            let docs = match cx.store(StoreOp::ReadRevs(missing.clone())).await? {
                StoreReply::Docs(d) => d,
                _ => return Err(wrong_reply("ReadRevs")),
            };
            let asked: usize = missing.iter().map(|(_, r, _)| r.len()).sum();
            cx.report.revs_gone += asked.saturating_sub(docs.len());
            let docs = held_ancestors(cx, docs, &missing).await?;
            let sent: BTreeSet<String> = missing.iter().map(|(id, ..)| id.clone()).collect();
            for row in send_docs(cx, docs).await? {
                let Some(error) = row.error else {
                    cx.report.revs_written += 1;
                    continue;
                };
                let Some(id) = row.id.filter(|id| sent.contains(id)) else {
                    return Err(SyncError::Malformed {
                        what: "_bulk_docs".into(),
                        detail: format!("an error ({error}) for a document not sent"),
                    });
                };
                refused_now.insert(id.clone());
                refused.insert(
                    id.clone(),
                    Refused {
                        id,
                        rev: row.rev,
                        error,
                        reason: row.reason.unwrap_or_default(),
                    },
                );
            }
        }
        for c in &rows {
            if !refused_now.contains(&c.id) {
                refused.remove(&c.id);
            }
        }
        let before = checkpoint;
        for c in &rows {
            if held || refused_now.contains(&c.id) {
                held = true;
                break;
            }
            checkpoint = c.seq;
        }
        for c in &rows {
            if c.seq > checkpoint && !refused_now.contains(&c.id) {
                above.insert(c.id.clone(), c.seq);
            }
        }
        if refused != saved_refused {
            let list: Vec<&Refused> = refused.values().collect();
            let v = serde_json::to_value(&list).map_err(|e| SyncError::Driver(e.to_string()))?;
            match cx.store(StoreOp::PutLocal(key.clone(), v)).await? {
                StoreReply::Done => saved_refused = refused.clone(),
                _ => return Err(wrong_reply("PutLocal")),
            }
        }
        if checkpoint != before {
            cx.save_checkpoint(json!(checkpoint), previous.as_ref(), &mut remote_rev)
                .await?;
        }
        since = last;
        if rows.len() < limit {
            break;
        }
    }
    if above != saved_above {
        let v = serde_json::to_value(&above).map_err(|e| SyncError::Driver(e.to_string()))?;
        match cx.store(StoreOp::PutLocal(above_key, v)).await? {
            StoreReply::Done => {}
            _ => return Err(wrong_reply("PutLocal")),
        }
    }
    cx.report.refused = refused.into_values().collect();
    Ok(())
}

/// Sends replicated revisions with `_bulk_docs` (`new_edits=false`), cut into requests of
/// at most `max_body` bytes (a document larger than that goes alone), and answers one row
/// per document sent (`error: None` when taken). A document the server answers
/// `missing_stub` for (it lacks bytes we sent as a stub: 412 for the request, or that
/// error in its row) is sent once more with every attachment inline.
async fn send_docs(cx: &mut Cx, docs: Vec<Value>) -> Result<Vec<wire::BulkDocsRow>, SyncError> {
    count_data(cx, &docs);
    let mut out = Vec::with_capacity(docs.len());
    for chunk in chunks(docs, cx.cfg.max_body) {
        let rows = match bulk_docs(cx, &chunk).await? {
            Some(rows) => rows,
            // The whole request refused for a missing stub: all inline, once more.
            None => {
                let again = read_all_inline(cx, &chunk).await?;
                match bulk_docs(cx, &again).await? {
                    Some(rows) => rows,
                    None => {
                        return Err(SyncError::Status {
                            status: 412,
                            what: "_bulk_docs".into(),
                            detail: "missing_stub with every attachment inline".into(),
                        })
                    }
                }
            }
        };
        let (stubless, mut rest): (Vec<wire::BulkDocsRow>, Vec<wire::BulkDocsRow>) = rows
            .into_iter()
            .partition(|r| r.error.as_deref() == Some("missing_stub"));
        let resend: Vec<Value> = chunk
            .iter()
            .filter(|d| {
                stubless.iter().any(|r| {
                    r.id.as_deref() == d.get("_id").and_then(Value::as_str)
                        && r.rev
                            .as_deref()
                            .is_none_or(|rev| d.get("_rev").and_then(Value::as_str) == Some(rev))
                })
            })
            .cloned()
            .collect();
        // The resend's rows (`None`: refused whole, 412 again).
        let mut retried = Some(Vec::new());
        if !resend.is_empty() {
            let again = read_all_inline(cx, &resend).await?;
            retried = bulk_docs(cx, &again).await?;
        }
        // Rows of every document: errors as the server gave them, the others taken.
        for d in &chunk {
            let id = d.get("_id").and_then(Value::as_str).unwrap_or_default();
            let rev = d.get("_rev").and_then(Value::as_str).map(str::to_owned);
            let mine = |r: &wire::BulkDocsRow| r.id.as_deref() == Some(id);
            let was_stubless = stubless.iter().any(mine);
            let row = if was_stubless {
                match retried.as_mut() {
                    // No row: taken (with new_edits=false only errors are listed).
                    Some(rows) => rows.iter().position(mine).map(|i| rows.remove(i)),
                    None => Some(wire::BulkDocsRow {
                        id: Some(id.to_owned()),
                        rev: rev.clone(),
                        error: Some("missing_stub".into()),
                        reason: Some("refused even with its attachments inline".into()),
                    }),
                }
            } else {
                rest.iter().position(mine).map(|i| rest.remove(i))
            };
            out.push(row.unwrap_or(wire::BulkDocsRow {
                id: Some(id.to_owned()),
                rev,
                error: None,
                reason: None,
            }));
        }
        // Errors for documents not in this request: the caller refuses the reply.
        out.append(&mut rest);
    }
    Ok(out)
}

/// Servers that name no `possible_ancestors` (pouchdb-server) are asked which ancestors
/// of a revision they hold, for documents that would otherwise send bytes added before it
/// (one more `_revs_diff` of those ancestors); those documents are read again with the
/// ancestors held, so older attachments go as stubs.
async fn held_ancestors(
    cx: &mut Cx,
    docs: Vec<Value>,
    missing: &[(String, Vec<Rev>, Vec<Rev>)],
) -> Result<Vec<Value>, SyncError> {
    let mut ask = Map::new();
    for d in &docs {
        let Some(id) = d.get("_id").and_then(Value::as_str) else {
            continue;
        };
        if missing.iter().any(|(m, _, anc)| m == id && !anc.is_empty()) {
            continue;
        }
        let Some(pos) = d
            .get("_rev")
            .and_then(Value::as_str)
            .and_then(|r| r.parse::<Rev>().ok())
            .map(|r| r.pos)
        else {
            continue;
        };
        let oldest = d
            .get("_attachments")
            .and_then(Value::as_object)
            .into_iter()
            .flat_map(|m| m.values())
            .filter(|a| a.get("data").is_some())
            .filter_map(|a| a.get("revpos").and_then(Value::as_u64))
            .filter(|p| *p < pos)
            .min();
        let Some(oldest) = oldest else { continue };
        let ids = d
            .pointer("/_revisions/ids")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let list: Vec<Value> = ids
            .iter()
            .enumerate()
            .skip(1)
            .filter_map(|(k, rid)| {
                let generation = pos.checked_sub(k as u64)?;
                let rid = rid.as_str()?;
                (generation >= oldest).then(|| json!(format!("{generation}-{rid}")))
            })
            .collect();
        if !list.is_empty() {
            ask.insert(id.to_owned(), Value::Array(list));
        }
    }
    if ask.is_empty() {
        return Ok(docs);
    }
    let mut req = cx.request(Method::Post, cx.db_path("/_revs_diff"), vec![]);
    req.body = Some(Value::Object(ask.clone()).to_string().into_bytes());
    let resp = cx.http("_revs_diff", req).await?;
    if resp.status != 200 {
        return Err(status_error(resp.status, "_revs_diff", &resp));
    }
    let diff: wire::RevsDiffReply = parse("_revs_diff", &resp)?;
    let mut again = Vec::new();
    for (id, asked) in &ask {
        let lacking = diff.get(id).map(|e| e.missing.clone()).unwrap_or_default();
        let held: Vec<Rev> = asked
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|r| r.as_str()?.parse::<Rev>().ok())
            .filter(|r| !lacking.contains(r))
            .collect();
        if held.is_empty() {
            continue;
        }
        for d in &docs {
            if d.get("_id").and_then(Value::as_str) == Some(id) {
                if let Some(rev) = d
                    .get("_rev")
                    .and_then(Value::as_str)
                    .and_then(|r| r.parse().ok())
                {
                    again.push((id.clone(), vec![rev], held.clone()));
                }
            }
        }
    }
    if again.is_empty() {
        return Ok(docs);
    }
    let reread = match cx.store(StoreOp::ReadRevs(again)).await? {
        StoreReply::Docs(d) => d,
        _ => return Err(wrong_reply("ReadRevs")),
    };
    let key = |d: &Value| {
        (
            d.get("_id").and_then(Value::as_str).map(str::to_owned),
            d.get("_rev").and_then(Value::as_str).map(str::to_owned),
        )
    };
    Ok(docs
        .into_iter()
        .map(|d| {
            let k = key(&d);
            reread.iter().find(|r| key(r) == k).cloned().unwrap_or(d)
        })
        .collect())
}

/// Notes the attachments that go inline.
fn count_data(cx: &mut Cx, docs: &[Value]) {
    for a in docs
        .iter()
        .filter_map(|d| d.get("_attachments").and_then(Value::as_object))
        .flat_map(|m| m.values())
    {
        if let Some(text) = a.get("data").and_then(Value::as_str) {
            cx.report.attachments_sent += 1;
            cx.report.attachment_bytes += (text.len() / 4 * 3) as u64;
        }
    }
}

/// The same leaves again, every attachment inline (the target lacks a stub's bytes).
async fn read_all_inline(cx: &mut Cx, docs: &[Value]) -> Result<Vec<Value>, SyncError> {
    let wanted: Vec<(String, Vec<Rev>, Vec<Rev>)> = docs
        .iter()
        .filter_map(|d| {
            let id = d.get("_id")?.as_str()?.to_owned();
            let rev: Rev = d.get("_rev")?.as_str()?.parse().ok()?;
            Some((id, vec![rev], Vec::new()))
        })
        .collect();
    match cx.store(StoreOp::ReadRevs(wanted)).await? {
        StoreReply::Docs(d) => {
            count_data(cx, &d);
            Ok(d)
        }
        _ => Err(wrong_reply("ReadRevs")),
    }
}

/// Documents cut into runs whose JSON is at most `budget` bytes together.
fn chunks(docs: Vec<Value>, budget: usize) -> Vec<Vec<Value>> {
    let mut out: Vec<Vec<Value>> = Vec::new();
    let mut size = 0usize;
    for d in docs {
        let n = d.to_string().len() + 1;
        match out.last_mut() {
            Some(last) if !last.is_empty() && size + n <= budget => {
                size += n;
                last.push(d);
            }
            _ => {
                size = n + 32;
                out.push(vec![d]);
            }
        }
    }
    out
}

/// One `_bulk_docs` request: its rows, or `None` for a 412 `missing_stub`.
async fn bulk_docs(
    cx: &mut Cx,
    docs: &[Value],
) -> Result<Option<Vec<wire::BulkDocsRow>>, SyncError> {
    if docs.is_empty() {
        return Ok(Some(Vec::new()));
    }
    let mut req = cx.request(Method::Post, cx.db_path("/_bulk_docs"), vec![]);
    req.body = Some(
        json!({"docs": docs, "new_edits": false})
            .to_string()
            .into_bytes(),
    );
    let resp = cx.http("_bulk_docs", req).await?;
    match resp.status {
        200..=202 => Ok(Some(parse("_bulk_docs", &resp)?)),
        412 if reason(&resp).contains("missing_stub") || error_of(&resp) == "missing_stub" => {
            Ok(None)
        }
        s => Err(status_error(s, "_bulk_docs", &resp)),
    }
}

fn error_of(resp: &HttpResponse) -> String {
    serde_json::from_slice::<Value>(&resp.body)
        .ok()
        .and_then(|v| v.get("error")?.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// Fetches the bytes of pulled attachments the store lacks (stubs whose digest it does
/// not hold), one `GET /{db}/{id}/{name}?rev=` each, and puts them inline (`data`) beside
/// their digest, so that the store checks them against it before keeping anything.
async fn fill_attachments(cx: &mut Cx, docs: &mut [Value]) -> Result<(), SyncError> {
    let mut stubs: Vec<(usize, String, String)> = Vec::new();
    for (i, d) in docs.iter().enumerate() {
        let Some(atts) = d.get("_attachments").and_then(Value::as_object) else {
            continue;
        };
        for (name, a) in atts {
            if a.get("data").is_none() {
                if let Some(digest) = a.get("digest").and_then(Value::as_str) {
                    stubs.push((i, name.clone(), digest.to_owned()));
                }
            }
        }
    }
    if stubs.is_empty() {
        return Ok(());
    }
    let digests: Vec<String> = stubs
        .iter()
        .map(|(_, _, d)| d.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let held = match cx.store(StoreOp::HasAttachments(digests.clone())).await? {
        StoreReply::Held(h) => h,
        _ => return Err(wrong_reply("HasAttachments")),
    };
    let mut got: BTreeMap<String, String> = BTreeMap::new();
    for (i, name, digest) in stubs {
        if digests.iter().zip(&held).any(|(d, h)| *h && *d == digest) {
            continue;
        }
        let Some(doc) = docs.get_mut(i) else { continue };
        if !got.contains_key(&digest) {
            let id = doc.get("_id").and_then(Value::as_str).unwrap_or_default();
            let rev = doc.get("_rev").and_then(Value::as_str).unwrap_or_default();
            let path = format!("{}/{}", doc_path(&cx.cfg.db, id), encode(&name));
            let req = cx.request(Method::Get, path, vec![("rev", rev.to_owned())]);
            let resp = cx.http("GET attachment", req).await?;
            if resp.status != 200 {
                return Err(status_error(resp.status, "GET attachment", &resp));
            }
            cx.report.attachments_sent += 1;
            cx.report.attachment_bytes += resp.body.len() as u64;
            got.insert(
                digest.clone(),
                doorstep_store::attach::encode_base64(&resp.body),
            );
        }
        if let Some(Value::Object(a)) = doc.get_mut("_attachments").and_then(|m| m.get_mut(&name)) {
            a.remove("stub");
            a.insert(
                "data".into(),
                Value::String(got.get(&digest).cloned().unwrap_or_default()),
            );
        }
    }
    Ok(())
}

/// Pull: `_changes` (all leaves) → local revs-diff → `_bulk_get` (or `open_revs` per
/// document) → one local transaction per batch → checkpoint.
async fn pull(
    cx: &mut Cx,
    start: Option<Value>,
    previous: Option<Checkpoint>,
    mut remote_rev: Option<String>,
) -> Result<(), SyncError> {
    let mut since = start.unwrap_or(json!(0));
    let mut bulk_get = true;
    let limit = cx.cfg.batch_size.max(1);
    loop {
        let req = cx.request(
            Method::Get,
            cx.db_path("/_changes"),
            vec![
                ("style", "all_docs".into()),
                ("since", seq_param(&since)),
                ("limit", limit.to_string()),
            ],
        );
        let resp = cx.http("_changes", req).await?;
        if resp.status != 200 {
            return Err(status_error(resp.status, "_changes", &resp));
        }
        let feed: wire::ChangesReply = parse("_changes", &resp)?;
        let Some(last_row) = feed.results.last() else {
            break;
        };
        let last_seq = feed
            .last_seq
            .clone()
            .unwrap_or_else(|| last_row.seq.clone());
        let n = feed.results.len();
        cx.report.changes_read += n;
        cx.report.batches += 1;
        let wanted: Vec<(String, Vec<Rev>)> = feed
            .results
            .into_iter()
            .map(|row| (row.id, row.changes.into_iter().map(|c| c.rev).collect()))
            .collect();
        let missing = match cx.store(StoreOp::RevsDiff(wanted)).await? {
            StoreReply::Missing(m) => m,
            _ => return Err(wrong_reply("RevsDiff")),
        };
        if !missing.is_empty() {
            let mut docs = fetch(cx, &missing, &mut bulk_get).await?;
            fill_attachments(cx, &mut docs).await?;
            let mut edits = Vec::with_capacity(docs.len());
            for doc in docs {
                let id = doc
                    .get("_id")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned();
                // Bytes that are not what their digest says refuse the document (and the
                // batch: nothing of it is stored, the checkpoint stays).
                edits.push(Edit::from_couch(doc, false).map_err(|error| match error {
                    DocError::DigestMismatch { .. } | DocError::AttachmentTooLarge { .. } => {
                        SyncError::LocalDoc { id, error }
                    }
                    e => SyncError::Malformed {
                        what: "a pulled document".into(),
                        detail: e.to_string(),
                    },
                })?);
            }
            if !edits.is_empty() {
                let n = edits.len();
                let results = match cx.store(StoreOp::Write(edits.clone())).await? {
                    StoreReply::Written(r) => r,
                    _ => return Err(wrong_reply("Write")),
                };
                for (e, r) in edits.iter().zip(results) {
                    if let Err(error) = r {
                        return Err(SyncError::LocalDoc {
                            id: e.id.clone(),
                            error,
                        });
                    }
                }
                cx.report.revs_written += n;
            }
        }
        cx.save_checkpoint(last_seq.clone(), previous.as_ref(), &mut remote_rev)
            .await?;
        since = last_seq;
        if n < limit && feed.pending.unwrap_or(0) == 0 {
            break;
        }
    }
    Ok(())
}

/// The missing revisions' documents (with `_revisions`), each checked to be one asked for.
async fn fetch(
    cx: &mut Cx,
    missing: &[(String, Vec<Rev>)],
    bulk_get: &mut bool,
) -> Result<Vec<Value>, SyncError> {
    let asked: BTreeSet<(String, String)> = missing
        .iter()
        .flat_map(|(id, revs)| revs.iter().map(move |r| (id.clone(), r.to_string())))
        .collect();
    let mut docs: Vec<Value> = Vec::new();
    let mut fetched = false;
    let mut what = "_bulk_get";
    if *bulk_get {
        let list: Vec<Value> = missing
            .iter()
            .flat_map(|(id, revs)| {
                revs.iter()
                    .map(move |r| json!({"id": id, "rev": r.to_string()}))
            })
            .collect();
        let mut req = cx.request(
            Method::Post,
            cx.db_path("/_bulk_get"),
            vec![("revs", "true".into())],
        );
        req.body = Some(json!({ "docs": list }).to_string().into_bytes());
        let resp = cx.http("_bulk_get", req).await?;
        match resp.status {
            200 => {
                let reply: wire::BulkGetReply = parse("_bulk_get", &resp)?;
                for r in reply.results {
                    for d in r.docs {
                        match (d.ok, d.error) {
                            (Some(doc), _) => docs.push(doc),
                            (None, Some(_)) => cx.report.revs_gone += 1,
                            (None, None) => {
                                return Err(SyncError::Malformed {
                                    what: "_bulk_get".into(),
                                    detail: format!("a row of {} with neither ok nor error", r.id),
                                })
                            }
                        }
                    }
                }
                fetched = true;
            }
            // No `_bulk_get` on this server (CouchDB before 2.0, some proxies).
            400 | 404 | 405 | 501 => *bulk_get = false,
            s => return Err(status_error(s, "_bulk_get", &resp)),
        }
    }
    if !fetched {
        what = "open_revs";
        for (id, revs) in missing {
            let list: Vec<String> = revs.iter().map(Rev::to_string).collect();
            let req = cx.request(
                Method::Get,
                doc_path(&cx.cfg.db, id),
                vec![
                    ("revs", "true".into()),
                    ("open_revs", json!(list).to_string()),
                ],
            );
            let resp = cx.http("open_revs", req).await?;
            match resp.status {
                200 => {
                    let rows: Vec<wire::OpenRevsRow> = parse("open_revs", &resp)?;
                    for row in rows {
                        match (row.ok, row.missing) {
                            (Some(doc), _) => docs.push(doc),
                            (None, Some(_)) => cx.report.revs_gone += 1,
                            (None, None) => {
                                return Err(SyncError::Malformed {
                                    what: "open_revs".into(),
                                    detail: format!("a row of {id} with neither ok nor missing"),
                                })
                            }
                        }
                    }
                }
                404 => cx.report.revs_gone += revs.len(),
                s => return Err(status_error(s, "open_revs", &resp)),
            }
        }
    }
    let mut seen = BTreeSet::new();
    let mut out = Vec::with_capacity(docs.len());
    for doc in docs {
        let id = doc.get("_id").and_then(Value::as_str).unwrap_or_default();
        let rev = doc.get("_rev").and_then(Value::as_str).unwrap_or_default();
        let key = (id.to_owned(), rev.to_owned());
        if !asked.contains(&key) {
            return Err(SyncError::Malformed {
                what: what.into(),
                detail: format!("a document not asked for: {id} {rev}"),
            });
        }
        if seen.insert(key) {
            out.push(doc);
        }
    }
    Ok(out)
}
