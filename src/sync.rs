//! The app's replication with the sync server: the logged-in worker's database
//! (`doorstep-w-<badge>`) through `SYNC_BASE`, the same origin as the app (the server that
//! serves the app proxies it to CouchDB, so the CSP's `connect-src 'self'` holds).
//!
//! A round is push → pull → push: the first push sends what the worker recorded, the pull
//! brings the office's orders (each batch calls [`Db::changed`], so open screens refresh in
//! place), the last push moves the push checkpoint past what the pull brought, so the
//! pending count is what really waits. Rounds run at start (when logged in), every minute,
//! when the browser comes back online and on "sync now"; never two at once.
//!
//! Only [`begin`] is in the first screen: the status signal is made by whoever needs it
//! first (the engine or the settings' section, [`sync_ctx`]), and the replicator, the
//! transport and the round are one lazy chunk ([`start`]).

use crate::context::DbState;
use crate::data::{Account, Db};
use chrono::NaiveDateTime;
use doorstep_sync::{Direction, Refused};
use leptos::prelude::*;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

/// Where the app reaches the sync server: a path of its own origin.
pub const SYNC_BASE: &str = "/couch";

/// What the worker sees of sync.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SyncStatus {
    /// A round is under way.
    pub running: bool,
    /// When the last round completed (local time).
    pub last_sync: Option<NaiveDateTime>,
    /// Local changes not yet on the server, as the last round left them.
    pub pending: Option<usize>,
    /// Documents the server refused, with its reasons: they stay pending.
    pub refused: Vec<Refused>,
    /// Why the last round did not complete.
    pub problem: Option<SyncProblem>,
    /// While a first pull runs: documents received so far, of how many the server holds.
    pub first: Option<(usize, usize)>,
}

/// Why a round did not complete, in the terms the worker can act on.
#[derive(Clone, Debug, PartialEq)]
pub enum SyncProblem {
    /// No connection (the browser is offline, or the server cannot be reached).
    Offline,
    /// The server did not answer in time.
    Timeout,
    /// The session expired or was ended: log in again (nothing is lost meanwhile).
    LoggedOut,
    /// The server refused this account access.
    Forbidden(String),
    /// The server answered with something unexpected.
    Server(String),
    /// The phone's own database failed.
    Local(String),
}

impl SyncProblem {
    pub fn kind(&self) -> &'static str {
        match self {
            SyncProblem::Offline => "offline",
            SyncProblem::Timeout => "timeout",
            SyncProblem::LoggedOut => "logged-out",
            SyncProblem::Forbidden(_) => "forbidden",
            SyncProblem::Server(_) => "server",
            SyncProblem::Local(_) => "local",
        }
    }
}

/// Sync's shared handle: the status (one per page, never disposed).
#[derive(Clone, Copy)]
pub struct SyncCtx {
    pub status: RwSignal<SyncStatus>,
}

thread_local! {
    static CTX: Cell<Option<SyncCtx>> = const { Cell::new(None) };
    static STARTED: Cell<bool> = const { Cell::new(false) };
    /// The running engine's "sync now".
    static RUN: RefCell<Option<Rc<dyn Fn()>>> = const { RefCell::new(None) };
}

/// The page's sync handle (made on first use, outside any owner: it lives with the page).
pub fn sync_ctx() -> SyncCtx {
    CTX.with(|c| {
        c.get().unwrap_or_else(|| {
            let ctx = SyncCtx {
                status: RwSignal::new(SyncStatus::default()),
            };
            c.set(Some(ctx));
            ctx
        })
    })
}

impl SyncCtx {
    /// Asks for a round now; `false` when the engine has not started.
    pub fn request(&self) -> bool {
        match RUN.with(|r| r.borrow().clone()) {
            Some(run) => {
                run();
                true
            }
            None => false,
        }
    }
}

/// Starts background sync once (the engine then follows whichever database is open and
/// does nothing while it is not logged in).
pub fn begin(db: RwSignal<DbState, LocalStorage>) {
    if !STARTED.replace(true) {
        leptos::task::spawn_local(start(db));
    }
}

/// The replication names of a logged-in device: its local name, the remote's (the origin
/// plus `SYNC_BASE`) and the worker's database.
pub fn config(account: &Account, direction: Direction) -> Option<doorstep_sync::Config> {
    let Account::SignedIn { db, device, .. } = account else {
        return None;
    };
    Some(replication_config(
        db,
        format!("doorstep-device-{device}"),
        direction,
    ))
}

/// One replication of the app (a worker's phone or the office's board) between the local
/// database named `local` and `remote_db` on the server, through `SYNC_BASE` on the app's
/// own origin, with a new session id.
pub fn replication_config(
    remote_db: &str,
    local: String,
    direction: Direction,
) -> doorstep_sync::Config {
    let origin = web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default();
    let session = format!(
        "{:x}-{:08x}",
        js_sys::Date::now() as u64,
        (js_sys::Math::random() * f64::from(u32::MAX)) as u32
    );
    let mut cfg = doorstep_sync::Config::new(
        remote_db.to_owned(),
        local,
        format!("{origin}{SYNC_BASE}"),
        direction,
        session,
    );
    // The app tries a few times and says why; the next round (a minute or half a minute
    // later, or when the connection returns) tries again.
    cfg.retry = doorstep_sync::Retry {
        first_ms: 500,
        max_ms: 4_000,
        attempts: 4,
    };
    cfg
}

/// Local changes not yet on the server and the refused ones among them (a logged-in
/// device; `None` otherwise).
pub async fn unsynced(db: &Db) -> Result<Option<(usize, Vec<Refused>)>, crate::error::AppError> {
    let Some(cfg) = config(&db.state().account, Direction::Push) else {
        return Ok(None);
    };
    let rep_id = cfg.replication_id();
    let count = doorstep_sync::pending(db.store(), &rep_id).await?;
    let refused = doorstep_sync::refused(db.store(), &rep_id).await?;
    Ok(Some((count, refused)))
}

/// The engine: a lazy chunk in the PWA's build (the replicator, the fetch transport and
/// the round). Runs a round now, every minute and whenever the browser comes back online.
#[cfg_attr(doorstep_split, leptos::lazy)]
async fn start(db: RwSignal<DbState, LocalStorage>) {
    let ctx = sync_ctx();
    let engine = Rc::new(engine::Engine::new(ctx, db));
    let run: Rc<dyn Fn()> = Rc::new(move || {
        let engine = engine.clone();
        leptos::task::spawn_local(async move { engine.round().await });
    });
    RUN.with(|r| *r.borrow_mut() = Some(run));
    let _ = set_interval_with_handle(
        move || {
            ctx.request();
        },
        std::time::Duration::from_secs(60),
    );
    let online = window_event_listener(leptos::ev::online, move |_| {
        ctx.request();
    });
    // Lives as long as the page.
    std::mem::forget(online);
    ctx.request();
}

mod engine {
    use super::{config, unsynced, SyncCtx, SyncProblem};
    use crate::context::DbState;
    use crate::data::{self, Db};
    use doorstep_sync::web::{FetchTransport, JsTimer};
    use doorstep_sync::{replicate_observed, Direction, HttpRequest, Method, SyncError, Transport};
    use leptos::prelude::*;
    use std::cell::Cell;

    pub struct Engine {
        ctx: SyncCtx,
        db: RwSignal<DbState, LocalStorage>,
        transport: FetchTransport,
        running: Cell<bool>,
        again: Cell<bool>,
    }

    impl Engine {
        pub fn new(ctx: SyncCtx, db: RwSignal<DbState, LocalStorage>) -> Engine {
            Engine {
                ctx,
                db,
                transport: FetchTransport::new(super::SYNC_BASE).with_timeout(30_000),
                running: Cell::new(false),
                again: Cell::new(false),
            }
        }

        /// Rounds until no more were asked for meanwhile.
        pub async fn round(&self) {
            if self.running.replace(true) {
                self.again.set(true);
                return;
            }
            loop {
                let Some(db) = self.db.get_untracked().db() else {
                    break;
                };
                if config(&db.state().account, Direction::Push).is_none() {
                    break;
                }
                self.ctx.status.update(|s| s.running = true);
                let online = web_sys::window().is_none_or(|w| w.navigator().on_line());
                let result = if online {
                    self.once(&db).await
                } else {
                    Err(SyncProblem::Offline)
                };
                let left = unsynced(&db).await.ok().flatten();
                self.ctx.status.update(|s| {
                    s.running = false;
                    if result.is_ok() {
                        s.last_sync = Some(data::now());
                    }
                    s.problem = result.err();
                    if let Some((count, refused)) = left {
                        s.pending = Some(count);
                        s.refused = refused;
                    }
                });
                if !self.again.replace(false) {
                    break;
                }
            }
            self.running.set(false);
        }

        async fn once(&self, db: &Db) -> Result<(), SyncProblem> {
            for direction in [Direction::Push, Direction::Pull, Direction::Push] {
                let Some(cfg) = config(&db.state().account, direction) else {
                    return Ok(());
                };
                let total = match direction {
                    Direction::Pull => self.first_total(db, &cfg).await,
                    Direction::Push => None,
                };
                let status = self.ctx.status;
                status.update(|s| s.first = total.map(|m| (0, m)));
                let result =
                    replicate_observed(db.store(), &self.transport, &JsTimer, cfg, |ids| {
                        if let Some(m) = total {
                            status.update(|s| {
                                let n = s.first.map_or(0, |(n, _)| n) + ids.len();
                                s.first = Some((n.min(m), m));
                            });
                        }
                        db.changed(ids)
                    })
                    .await;
                status.update(|s| s.first = None);
                result.map_err(|e| self.problem(e))?;
            }
            Ok(())
        }

        /// On a first pull (no checkpoint yet), how many documents the server's database
        /// holds, for the progress line; `None` otherwise or when it cannot tell.
        async fn first_total(&self, db: &Db, cfg: &doorstep_sync::Config) -> Option<usize> {
            let rep_id = cfg.replication_id();
            let checkpoint = db.store().get_local::<serde_json::Value>(&rep_id).await;
            if checkpoint.ok()?.is_some() {
                return None;
            }
            let req = HttpRequest {
                method: Method::Get,
                path: format!("/{}", cfg.db),
                query: Vec::new(),
                body: None,
                max_body: 64 << 10,
            };
            let resp = self.transport.send(req).await.ok()?;
            let info: serde_json::Value = serde_json::from_slice(&resp.body).ok()?;
            let n = info.get("doc_count")?.as_u64()?;
            (resp.status == 200).then_some(n as usize)
        }

        fn problem(&self, e: SyncError) -> SyncProblem {
            super::problem_of(e, &self.transport)
        }
    }
}

/// Why a replication failed, in the terms the user can act on (`transport` tells an
/// offline browser from a server that failed).
pub fn problem_of(
    e: doorstep_sync::SyncError,
    transport: &doorstep_sync::web::FetchTransport,
) -> SyncProblem {
    use doorstep_sync::web::FetchError;
    use doorstep_sync::SyncError;
    match e {
        SyncError::Unauthorized { .. } => SyncProblem::LoggedOut,
        SyncError::Forbidden { reason } => SyncProblem::Forbidden(reason),
        SyncError::GaveUp { last, .. } => match transport.last_error() {
            Some(FetchError::Offline) => SyncProblem::Offline,
            Some(FetchError::Timeout(_)) => SyncProblem::Timeout,
            _ => SyncProblem::Server(last),
        },
        SyncError::Store(e) => SyncProblem::Local(e.to_string()),
        e => SyncProblem::Server(e.to_string()),
    }
}

/// A login, logout or "sync now" that could not be done.
#[derive(Clone, Debug, PartialEq)]
pub enum SyncFailure {
    EmptyName,
    /// The server said the name or password is wrong.
    WrongPassword,
    /// The server could not be reached or failed.
    NoServer(SyncProblem),
    /// This device is logged in as another worker (their data is not given up unasked).
    OtherAccount(String),
    /// The account is not the office's (a worker's badge on the office's screen).
    NotOffice(String),
    /// Logout refused: records are not uploaded yet (on a phone, logging out would lose them).
    Unsynced {
        count: usize,
        /// Logging out clears this device (a worker's phone; the office's browser keeps its database).
        clears: bool,
        problem: Option<SyncProblem>,
        refused: Vec<Refused>,
    },
    App(crate::error::AppError),
}
