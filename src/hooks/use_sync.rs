//! Login, sync status, "sync now" and logout (the settings' sync section).
//!
//! Login sends the name and password once, to `SYNC_BASE/_session`; the browser keeps the
//! session cookie and the password is not kept anywhere. A device that was not logged in
//! is emptied first (its demo data must not reach the server), then filled by sync.
//! Logout is refused while anything is unsynced; afterwards the device forgets the
//! worker's data.

use super::use_db_query;
use crate::context::{use_db, DbState};
use crate::data::{self, Account, DeviceState};
use crate::error::AppError;
use crate::sync::{self, sync_ctx, SyncFailure, SyncProblem, SyncStatus, SYNC_BASE};
use doorstep_sync::web::{self, FetchError, LoginError};
use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct UseSyncReturn {
    /// Where the device's data comes from (`None` while the database opens).
    pub account: Signal<Option<Account>>,
    pub status: Signal<SyncStatus>,
    /// Local changes not yet on the server, read again after every write and round.
    pub pending: LocalResource<Result<Option<usize>, AppError>>,
    /// Logs in with (name, password).
    pub login: Callback<(String, String)>,
    pub logout: Callback<()>,
    pub sync_now: Callback<()>,
    pub busy: ReadSignal<bool>,
    /// The last login or logout: `Ok(true)` logged in, `Ok(false)` logged out.
    pub outcome: ReadSignal<Option<Result<bool, SyncFailure>>>,
}

pub(crate) fn login_failure(e: LoginError) -> SyncFailure {
    match e {
        LoginError::WrongPassword => SyncFailure::WrongPassword,
        LoginError::Fetch(FetchError::Offline) => SyncFailure::NoServer(SyncProblem::Offline),
        LoginError::Fetch(FetchError::Timeout(_)) => SyncFailure::NoServer(SyncProblem::Timeout),
        e => SyncFailure::NoServer(SyncProblem::Server(e.to_string())),
    }
}

/// The name a login sends (trimmed); both name and password must be given.
pub(crate) fn login_name(name: &str, password: &str) -> Result<String, SyncFailure> {
    let name = name.trim();
    if name.is_empty() || password.is_empty() {
        return Err(SyncFailure::EmptyName);
    }
    Ok(name.to_owned())
}

pub fn use_sync() -> UseSyncReturn {
    let db = use_db();
    let ctx = sync_ctx();
    let (busy, set_busy) = signal(false);
    let (outcome, set_outcome) = signal(None);
    let account = Signal::derive(move || db.with(|d| d.db().map(|d| d.state().account.clone())));
    let status = Signal::derive(move || ctx.status.get());
    let pending = use_db_query(move |db| {
        // Again after each round (a push moves the checkpoint without writing documents).
        ctx.status.track();
        (vec![String::new()], async move {
            Ok(sync::unsynced(&db).await?.map(|(n, _)| n))
        })
    });

    // A session that expired since the last round: say so now, not a minute later.
    if let Some(Account::SignedIn { .. }) = account.get_untracked() {
        leptos::task::spawn_local(async move {
            if let Ok(None) = web::session_user(SYNC_BASE).await {
                ctx.status
                    .update(|s| s.problem = Some(SyncProblem::LoggedOut));
            }
        });
    }

    let login = Callback::new(move |(name, password): (String, String)| {
        if busy.get_untracked() {
            return;
        }
        let name = match login_name(&name, &password) {
            Ok(name) => name,
            Err(e) => return set_outcome.set(Some(Err(e))),
        };
        let current = db.get_untracked().db();
        if let Some(Account::SignedIn { name: other, .. }) =
            current.as_ref().map(|d| d.state().account.clone())
        {
            if other != name {
                set_outcome.set(Some(Err(SyncFailure::OtherAccount(other))));
                return;
            }
        }
        set_busy.set(true);
        leptos::task::spawn_local(async move {
            let r = web::login(SYNC_BASE, &name, &password).await;
            drop(password);
            let r = match r {
                Err(e) => Err(login_failure(e)),
                Ok(user) => {
                    let same = current.as_ref().is_some_and(|d| {
                        matches!(&d.state().account, Account::SignedIn { name, .. } if *name == user.name)
                    });
                    if same {
                        Ok(true)
                    } else {
                        // A new account: nothing of the demo (or anyone else) stays.
                        db.set(DbState::Opening);
                        ctx.status.set(SyncStatus::default());
                        match data::replace_device(current, DeviceState::signed_in(&user.name))
                            .await
                        {
                            Ok(d) => {
                                db.set(DbState::Open(d));
                                Ok(true)
                            }
                            Err(e) => {
                                db.set(DbState::Failed(e.clone()));
                                Err(SyncFailure::App(e))
                            }
                        }
                    }
                }
            };
            if r.is_ok() {
                sync::begin(db);
                ctx.request();
            }
            set_busy.set(false);
            set_outcome.set(Some(r));
        });
    });

    let logout = Callback::new(move |()| {
        if busy.get_untracked() {
            return;
        }
        let Some(current) = db.get_untracked().db() else {
            return;
        };
        set_busy.set(true);
        leptos::task::spawn_local(async move {
            let r = async {
                let (count, refused) = sync::unsynced(&current)
                    .await
                    .map_err(SyncFailure::App)?
                    .unwrap_or_default();
                if count > 0 {
                    return Err(SyncFailure::Unsynced {
                        count,
                        clears: true,
                        problem: ctx.status.get_untracked().problem,
                        refused,
                    });
                }
                // Offline the server's session stays until it expires; the data goes anyway.
                let _ = web::logout(SYNC_BASE).await;
                db.set(DbState::Opening);
                match data::replace_device(Some(current), DeviceState::signed_out()).await {
                    Ok(d) => {
                        db.set(DbState::Open(d));
                        ctx.status.set(SyncStatus::default());
                        Ok(false)
                    }
                    Err(e) => {
                        db.set(DbState::Failed(e.clone()));
                        Err(SyncFailure::App(e))
                    }
                }
            }
            .await;
            set_busy.set(false);
            set_outcome.set(Some(r));
        });
    });

    let sync_now = Callback::new(move |()| {
        ctx.request();
    });

    UseSyncReturn {
        account,
        status,
        pending,
        login,
        logout,
        sync_now,
        busy,
        outcome,
    }
}
