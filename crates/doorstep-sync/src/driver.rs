//! The async driver: performs the state machine's actions over a [`Transport`], a [`Timer`]
//! and a local [`Store`]. Single-threaded and `?Send`, so the same code runs in the browser.

use crate::checkpoint::Checkpoint;
use crate::error::SyncError;
use crate::http::{HttpRequest, HttpResponse, TransportError};
use crate::machine::{
    refused_key, sent_above_key, Action, Config, Input, Refused, Replication, Report, StoreOp,
    StoreReply,
};
use doorstep_store::{Backend, Store, StoreError};
use serde_json::Value;
use std::collections::BTreeMap;

/// Moves one request to the remote database and back. Authentication (a session cookie, a
/// basic-auth header) is the transport's business.
#[allow(async_fn_in_trait)]
pub trait Transport {
    async fn send(&self, req: HttpRequest) -> Result<HttpResponse, TransportError>;
}

/// The driver's clock: pauses before retries.
#[allow(async_fn_in_trait)]
pub trait Timer {
    async fn sleep(&self, ms: u64);
}

/// Runs one replication to its end.
pub async fn replicate<B: Backend, T: Transport, C: Timer>(
    store: &Store<B>,
    transport: &T,
    timer: &C,
    cfg: Config,
) -> Result<Report, SyncError> {
    replicate_observed(store, transport, timer, cfg, |_| {}).await
}

/// [`replicate`], telling `written` the ids of each batch written to the local store once
/// it is committed (a pull's batches: the app refreshes the screens that show them).
pub async fn replicate_observed<B: Backend, T: Transport, C: Timer>(
    store: &Store<B>,
    transport: &T,
    timer: &C,
    cfg: Config,
    mut written: impl FnMut(Vec<String>),
) -> Result<Report, SyncError> {
    let mut machine = Replication::new(cfg);
    let mut input = Input::Start;
    loop {
        input = match machine.step(input) {
            Action::Http(req) => Input::Http(transport.send(req).await),
            Action::Store(StoreOp::Write(edits)) => {
                let ids: Vec<String> = edits.iter().map(|e| e.id.clone()).collect();
                let r = apply(store, StoreOp::Write(edits)).await;
                if let Ok(StoreReply::Written(rows)) = &r {
                    let ids: Vec<String> = ids
                        .into_iter()
                        .zip(rows)
                        .filter(|(_, row)| row.is_ok())
                        .map(|(id, _)| id)
                        .collect();
                    if !ids.is_empty() {
                        written(ids);
                    }
                }
                Input::Store(r)
            }
            Action::Store(op) => Input::Store(apply(store, op).await),
            Action::Sleep { ms } => {
                timer.sleep(ms).await;
                Input::Woke
            }
            Action::Done(report) => return Ok(report),
            Action::Failed(e) => return Err(e),
        };
    }
}

/// One round both ways: push, then pull (the same session id; each direction has its own
/// replication id and checkpoints). Stops at the first error.
pub async fn sync<B: Backend, T: Transport, C: Timer>(
    store: &Store<B>,
    transport: &T,
    timer: &C,
    cfg: Config,
) -> Result<(Report, Report), SyncError> {
    use crate::checkpoint::Direction;
    let push = replicate(
        store,
        transport,
        timer,
        Config {
            direction: Direction::Push,
            ..cfg.clone()
        },
    )
    .await?;
    let pull = replicate(
        store,
        transport,
        timer,
        Config {
            direction: Direction::Pull,
            ..cfg
        },
    )
    .await?;
    Ok((push, pull))
}

/// Performs one store operation of the state machine.
pub async fn apply<B: Backend>(store: &Store<B>, op: StoreOp) -> Result<StoreReply, StoreError> {
    Ok(match op {
        StoreOp::GetLocal(id) => StoreReply::Local(store.get_local::<Value>(&id).await?),
        StoreOp::PutLocal(id, v) => {
            store.put_local(&id, &v).await?;
            StoreReply::Done
        }
        StoreOp::Changes { since, limit } => {
            StoreReply::Changes(store.changes(since, limit).await?.results)
        }
        StoreOp::RevsDiff(wanted) => StoreReply::Missing(store.revs_diff(&wanted).await?),
        StoreOp::ReadRevs(wanted) => StoreReply::Docs(
            store
                .open_revs_with_data_many(&wanted)
                .await?
                .into_iter()
                .flatten()
                .flatten()
                .collect(),
        ),
        StoreOp::HasAttachments(digests) => {
            StoreReply::Held(store.has_attachments(&digests).await?)
        }
        StoreOp::Write(edits) => StoreReply::Written(store.bulk_docs(&edits).await?),
    })
}

/// Documents a push replication left pending because the server refused them, with the
/// server's reasons (for the app's sync status).
pub async fn refused<B: Backend>(
    store: &Store<B>,
    rep_id: &str,
) -> Result<Vec<Refused>, StoreError> {
    Ok(store
        .get_local::<Value>(&refused_key(rep_id))
        .await?
        .and_then(|v| serde_json::from_value(v).ok())
        .unwrap_or_default())
}

/// Local changes a push replication has not yet brought to the server: the documents
/// changed since its local checkpoint (`rep_id`: [`Config::replication_id`] of the push),
/// refused ones included (the checkpoint never moves past them), less those above a refused
/// one that the last run found on the server unchanged since (pulled ones among them).
/// Every document when the push never ran.
pub async fn pending<B: Backend>(store: &Store<B>, rep_id: &str) -> Result<usize, StoreError> {
    let since = store
        .get_local::<Value>(rep_id)
        .await?
        .and_then(|v| serde_json::from_value::<Checkpoint>(v).ok())
        .and_then(|cp| cp.source_last_seq.as_u64())
        .unwrap_or(0);
    let sent: BTreeMap<String, u64> = store
        .get_local::<Value>(&sent_above_key(rep_id))
        .await?
        .and_then(|v| serde_json::from_value(v).ok())
        .unwrap_or_default();
    let changes = store.changes(since, usize::MAX).await?.results;
    Ok(changes
        .iter()
        .filter(|c| sent.get(&c.id) != Some(&c.seq))
        .count())
}
