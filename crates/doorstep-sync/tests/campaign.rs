//! The fault campaign against a real pouchdb-server: runs of a push and a pull of 1,000
//! documents while the server is killed (SIGKILL) and restarted and connections are cut at
//! random points (before a request is sent, or after, losing its reply). Each interrupted
//! run is started again as a new session. Afterwards both devices hold identical documents
//! and revision trees (0 lost, 0 duplicated), the same photo bytes (every tenth document has
//! one), and every resume started from a checkpoint.
//! `DOORSTEP_CAMPAIGN_RUNS` sets the number of runs (default 50). Figures as JSON.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed unwrap is a failed test
mod common;
mod server;

use common::{dump, Node};
use doorstep_store::{Attachment, Edit, MemoryBackend, Store};
use doorstep_sync::native::{block_on, HttpTransport};
use doorstep_sync::{
    replicate, Checkpoint, Config, Direction, HttpRequest, HttpResponse, Retry, Timer, Transport,
    TransportError,
};
use serde_json::json;
use server::Server;
use std::cell::{Cell, RefCell};
use std::collections::BTreeSet;
use std::time::{Duration, Instant};

#[derive(Default)]
struct Tally {
    kills: Cell<u32>,
    cuts_before: Cell<u32>,
    cuts_after: Cell<u32>,
    requests: Cell<u32>,
}

struct Chaos<'a> {
    server: &'a RefCell<Server>,
    http: HttpTransport,
    rng: Cell<u64>,
    tally: &'a Tally,
    /// One chance in `odds` per request of each cut.
    odds: u64,
    /// The run's request (counted over its push and pull) at which the server is killed.
    kill_at: u32,
    sent: Cell<u32>,
}

impl Chaos<'_> {
    fn roll(&self) -> u64 {
        let x = self
            .rng
            .get()
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.rng.set(x);
        (x >> 33) % (2 * self.odds)
    }
}

/// The photo of document `i` in run `run` (8 kB, different for each).
fn photo(run: u32, i: usize) -> Attachment {
    let mut x = (u64::from(run) << 32 | i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    let bytes = (0..8000)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect();
    Attachment {
        name: "photo-1.jpg".into(),
        content_type: "image/jpeg".into(),
        bytes,
    }
}

fn bump(c: &Cell<u32>) {
    c.set(c.get() + 1);
}

impl Transport for Chaos<'_> {
    async fn send(&self, req: HttpRequest) -> Result<HttpResponse, TransportError> {
        bump(&self.tally.requests);
        bump(&self.sent);
        if self.sent.get() == self.kill_at {
            bump(&self.tally.kills);
            self.server.borrow_mut().kill();
        }
        match self.roll() {
            0 => {
                bump(&self.tally.cuts_before);
                return Err(TransportError::Network("cut before sending".into()));
            }
            1 => {
                bump(&self.tally.cuts_after);
                let _ = self.http.send(req).await;
                return Err(TransportError::Network("cut: reply lost".into()));
            }
            _ => {}
        }
        self.http.send(req).await
    }
}

/// Pauses before retries, shortened: a cut is retried within the run; a killed server
/// stays down until the run gives up, and comes back before the next run.
struct Pause;

impl Timer for Pause {
    async fn sleep(&self, ms: u64) {
        std::thread::sleep(Duration::from_millis(ms.min(20)));
    }
}

#[derive(Default)]
struct Resumes {
    runs: u32,
    from_checkpoint: u32,
    from_zero_without_checkpoint: u32,
    from_zero_with_checkpoint: u32,
}

/// Runs one replication until it completes, each interrupted run started again; checks
/// that every restart with checkpoints on both sides resumes from one.
fn until_done(
    store: &Store<MemoryBackend>,
    server: &RefCell<Server>,
    chaos: &Chaos,
    mut cfg: Config,
    resumes: &mut Resumes,
) {
    for attempt in 0..200 {
        if !server.borrow().is_up() {
            server.borrow_mut().restart();
        }
        let rep_id = cfg.replication_id();
        let local: Option<Checkpoint> = block_on(store.get_local(&rep_id)).unwrap();
        let remote_has = {
            let s = server.borrow();
            s.get(&format!("/{}/_local/{rep_id}", cfg.db)).0 == 200
        };
        cfg.session_id = format!("{}-{attempt}", cfg.direction.as_str());
        let r = block_on(replicate(store, chaos, &Pause, cfg.clone()));
        if attempt > 0 {
            let started = match &r {
                Ok(rep) => rep.started_from.is_some(),
                // A run cut again says nothing here (it may not have read the checkpoints).
                Err(_) => continue,
            };
            resumes.runs += 1;
            match (started, local.is_some() && remote_has) {
                (true, _) => resumes.from_checkpoint += 1,
                (false, false) => resumes.from_zero_without_checkpoint += 1,
                (false, true) => resumes.from_zero_with_checkpoint += 1,
            }
        }
        if r.is_ok() {
            return;
        }
    }
    panic!("{:?} did not complete in 200 runs", cfg.direction);
}

/// Every revision of every document: (id, rev, parent, deleted leaf, body as text).
type Flat = (String, String, Option<String>, bool, Option<String>);

fn nodes(store: &Store<MemoryBackend>) -> BTreeSet<Flat> {
    dump(store)
        .into_iter()
        .flat_map(|(id, tree)| tree.into_iter().map(move |n: Node| (id.clone(), n)))
        .map(|(id, n)| (id, n.0, n.1, n.2, n.3.map(|b| b.to_string())))
        .collect()
}

#[test]
fn fault_campaign() {
    let runs: u32 = std::env::var("DOORSTEP_CAMPAIGN_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(50);
    let server = RefCell::new(Server::start());
    let url = server.borrow().url();
    let tally = Tally::default();
    let mut resumes = Resumes::default();
    let (mut lost, mut duplicated) = (0usize, 0usize);
    let t0 = Instant::now();
    for run in 0..runs {
        let db = format!("c{run}");
        server.borrow().create_db(&db);
        let chaos = Chaos {
            server: &server,
            http: HttpTransport::new(&url),
            rng: Cell::new(u64::from(run) * 7919 + 1),
            tally: &tally,
            odds: 15,
            // A push and a pull of 1,000 documents in batches of 100 take about 70 requests.
            kill_at: 1 + (run * 7919 + 13) % 70,
            sent: Cell::new(0),
        };
        let (a, b) = (
            Store::new(MemoryBackend::new()),
            Store::new(MemoryBackend::new()),
        );
        common::seed(&a, "doc:", 1000);
        block_on(async {
            let mut edits = Vec::new();
            for i in (0..1000).step_by(10) {
                let id = format!("doc:{i:05}");
                let d = a.get(&id).await.unwrap().unwrap();
                edits.push(if i % 20 == 0 {
                    Edit::put(&id, json!({"n": i, "edited": run}), Some(d.rev))
                } else {
                    Edit::delete(&id, d.rev)
                });
            }
            a.bulk_docs(&edits).await.unwrap();
            // A photo on every tenth document (a new revision with an attachment).
            for i in (5..1000).step_by(10) {
                let id = format!("doc:{i:05}");
                let d = a.get(&id).await.unwrap().unwrap();
                a.put_with_attachments(
                    &id,
                    &json!({"n": i, "photo": true}),
                    Some(&d.rev),
                    &[photo(run, i)],
                )
                .await
                .unwrap();
            }
        });
        for (store, name, dir) in [(&a, "a", Direction::Push), (&b, "b", Direction::Pull)] {
            let mut cfg = Config::new(&db, name, format!("{url}/{db}"), dir, "");
            cfg.batch_size = 100;
            cfg.retry = Retry {
                first_ms: 10,
                max_ms: 50,
                attempts: 3,
            };
            until_done(store, &server, &chaos, cfg, &mut resumes);
        }
        let (na, nb) = (nodes(&a), nodes(&b));
        lost += na.difference(&nb).count();
        duplicated += nb.difference(&na).count();
        assert_eq!(
            dump(&a),
            dump(&b),
            "run {run}: identical documents and revision trees"
        );
        for i in (5..1000).step_by(10) {
            let id = format!("doc:{i:05}");
            let got = block_on(b.get_attachment(&id, "photo-1.jpg", None)).unwrap();
            if got != Some(photo(run, i).bytes) {
                lost += 1;
            }
        }
        if !server.borrow().is_up() {
            server.borrow_mut().restart();
        }
        let (_, info) = server.borrow().get(&format!("/{db}"));
        assert_eq!(
            info["doc_count"],
            json!(950),
            "run {run}: the server holds every live document once"
        );
    }
    let figures = json!({
        "runs": runs, "docs_per_run": 1000,
        "server_kills": tally.kills.get(), "cuts_before_send": tally.cuts_before.get(),
        "cuts_reply_lost": tally.cuts_after.get(), "requests": tally.requests.get(),
        "resumed_runs": resumes.runs, "resumed_from_checkpoint": resumes.from_checkpoint,
        "resumed_from_zero_before_any_checkpoint": resumes.from_zero_without_checkpoint,
        "resumed_from_zero_despite_checkpoints": resumes.from_zero_with_checkpoint,
        "lost": lost, "duplicated": duplicated,
        "seconds": t0.elapsed().as_secs_f64().round(),
    });
    server::figure("fault_campaign", figures);
    assert_eq!((lost, duplicated), (0, 0));
    assert_eq!(
        resumes.from_zero_with_checkpoint, 0,
        "every resume starts from a checkpoint"
    );
    assert!(
        tally.kills.get() > 0 && resumes.runs > 0,
        "the campaign interrupted something"
    );
}
