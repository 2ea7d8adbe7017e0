//! `doorstep setup-server --url URL --admin NAME[:PASSWORD] [--store DB] [--office NAME]`:
//! accounts and roles on a CouchDB-compatible server, idempotently.
//!
//! - the store's database (`doorstep-s01`): `_security` members = the office user;
//! - per worker found in it (`worker:<badge>`): a database `doorstep-w-<badge>` whose
//!   members are that worker and the office user (by name, see [`put_security`]), with the `validate_doc_update` of
//!   `couch/worker_vdu.js` as `_design/doorstep`;
//! - users in `_users`: `org.couchdb.user:<badge>` (role `worker`) per worker and the office
//!   user (role `office`). A user that exists keeps its password; a new one gets a random
//!   password, printed once in the JSON answer and nowhere else.
//!
//! The admin's password comes from `--admin NAME:PASSWORD` or, better (it stays out of the
//! process list), from `DOORSTEP_ADMIN_PASSWORD`.

use crate::cli::CliError;
use crate::couch::{Couch, CouchError};
pub use doorstep_core::model::worker_db;
use doorstep_core::model::Worker;
use doorstep_sync::http::encode;
use doorstep_sync::Method;
use serde_json::{json, Value};

pub const WORKER_VDU: &str = include_str!("couch/worker_vdu.js");
pub const DESIGN_ID: &str = "_design/doorstep";

/// Server options shared by `setup-server` and `relay`.
pub struct ServerOpts {
    /// The server's URL with the admin's credentials in it (the transport moves them to a
    /// header).
    pub url: String,
    pub store_db: String,
    pub office: String,
}

/// Parses `--url`, `--admin`, `--store`, `--office`; other options are handed back.
pub fn parse_server_opts(args: &[String]) -> Result<(ServerOpts, Vec<String>), CliError> {
    let mut url = None;
    let mut admin = None;
    let mut store_db = doorstep_core::model::store_db("S01");
    let mut office = "office".to_owned();
    let mut rest = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = || {
            it.next()
                .cloned()
                .ok_or_else(|| CliError::Usage(format!("{a} needs a value")))
        };
        match a.as_str() {
            "--url" => url = Some(value()?),
            "--admin" => admin = Some(value()?),
            "--store" => store_db = value()?,
            "--office" => office = value()?,
            _ => rest.push(a.clone()),
        }
    }
    let url = url.ok_or_else(|| CliError::Usage("--url is required".into()))?;
    let url = match admin {
        None => url,
        Some(admin) => {
            let cred = if admin.contains(':') {
                admin
            } else {
                let pw = std::env::var("DOORSTEP_ADMIN_PASSWORD").map_err(|_| {
                    CliError::Usage(
                        "--admin NAME needs DOORSTEP_ADMIN_PASSWORD (or --admin NAME:PASSWORD)"
                            .into(),
                    )
                })?;
                format!("{admin}:{pw}")
            };
            let (scheme, host) = url
                .split_once("://")
                .ok_or_else(|| CliError::Usage(format!("bad --url {url:?}")))?;
            format!("{scheme}://{cred}@{host}")
        }
    };
    Ok((
        ServerOpts {
            url,
            store_db,
            office,
        },
        rest,
    ))
}

pub fn run(args: &[String]) -> Result<String, CliError> {
    let (opts, rest) = parse_server_opts(args)?;
    if let Some(a) = rest.first() {
        return Err(CliError::Usage(format!("unknown option {a}")));
    }
    let couch = Couch::new(&opts.url);
    let report = setup(&couch, &opts).map_err(|e| CliError::Server(e.to_string()))?;
    Ok(format!("{report}\n"))
}

/// Everything `setup-server` does; the JSON answer lists databases and new users.
pub fn setup(couch: &Couch, opts: &ServerOpts) -> Result<Value, CouchError> {
    create_db(couch, "_users")?;
    create_db(couch, &opts.store_db)?;
    put_security(couch, &opts.store_db, &[&opts.office])?;
    let workers = workers_of(couch, &opts.store_db)?;
    let mut dbs = vec![opts.store_db.clone()];
    let mut users = Vec::new();
    for w in &workers {
        let badge = w.badge.as_str();
        dbs.push(prepare_worker_db(couch, badge, &opts.office)?);
        if let Some(pw) = ensure_user(couch, badge, "worker")? {
            users.push(json!({"name": badge, "roles": ["worker"], "password": pw}));
        }
    }
    if let Some(pw) = ensure_user(couch, &opts.office, "office")? {
        users.push(json!({"name": opts.office, "roles": ["office"], "password": pw}));
    }
    Ok(json!({"databases": dbs, "new_users": users}))
}

/// The worker's database with its `_security` and validation; its name.
pub fn prepare_worker_db(couch: &Couch, badge: &str, office: &str) -> Result<String, CouchError> {
    let db = worker_db(badge);
    create_db(couch, &db)?;
    put_security(couch, &db, &[badge, office])?;
    put_validation(couch, &db, WORKER_VDU)?;
    Ok(db)
}

/// `_design/doorstep` of `db` with this `validate_doc_update`, unless it has it already.
fn put_validation(couch: &Couch, db: &str, code: &str) -> Result<(), CouchError> {
    let path = format!("/{}/{DESIGN_ID}", encode(db));
    let (status, old) = couch.call(Method::Get, &path, &[], None)?;
    if status == 200 && old.get("validate_doc_update").and_then(Value::as_str) == Some(code) {
        return Ok(());
    }
    let mut body = json!({ "validate_doc_update": code });
    if let (200, Some(rev)) = (status, old.get("_rev")) {
        body["_rev"] = rev.clone();
    }
    couch
        .expect(Method::Put, &path, Some(&body), &[201, 202])
        .map(drop)
}

fn create_db(couch: &Couch, db: &str) -> Result<(), CouchError> {
    couch
        .expect(
            Method::Put,
            &format!("/{}", encode(db)),
            None,
            &[201, 202, 412],
        )
        .map(drop)
}

/// Members: these names; admins: server admins only. By name, not by the role `office`:
/// pouchdb-server 4.2 lets a user edit the roles in their own `_users` document (Apache
/// CouchDB refuses), so a role would let any worker make themselves office.
fn put_security(couch: &Couch, db: &str, names: &[&str]) -> Result<(), CouchError> {
    let sec = json!({
        "admins": {"names": [], "roles": []},
        "members": {"names": names, "roles": []},
    });
    couch
        .expect(
            Method::Put,
            &format!("/{}/_security", encode(db)),
            Some(&sec),
            &[200, 201],
        )
        .map(drop)
}

/// The workers the store's database knows (`worker:` documents); unreadable ones are skipped.
pub fn workers_of(couch: &Couch, db: &str) -> Result<Vec<Worker>, CouchError> {
    let (status, v) = couch.call(
        Method::Get,
        &format!("/{}/_all_docs", encode(db)),
        &[
            ("startkey", "\"worker:\""),
            ("endkey", "\"worker:\u{fff0}\""),
            ("include_docs", "true"),
        ],
        None,
    )?;
    if status != 200 {
        return Err(CouchError::Status {
            what: format!("GET /{db}/_all_docs"),
            status,
            detail: v.to_string(),
        });
    }
    Ok(v.get("rows")
        .and_then(Value::as_array)
        .map(|rows| {
            rows.iter()
                .filter_map(|r| serde_json::from_value(r.get("doc")?.clone()).ok())
                .collect()
        })
        .unwrap_or_default())
}

/// Creates the user unless it exists; the new password, if one was made.
fn ensure_user(couch: &Couch, name: &str, role: &str) -> Result<Option<String>, CouchError> {
    let path = format!("/_users/{}", encode(&format!("org.couchdb.user:{name}")));
    let (status, _) = couch.call(Method::Get, &path, &[], None)?;
    if status == 200 {
        return Ok(None);
    }
    let password = random_password()?;
    let user = json!({"name": name, "password": password, "roles": [role], "type": "user"});
    couch.expect(Method::Put, &path, Some(&user), &[201, 202])?;
    Ok(Some(password))
}

/// 18 random bytes from the operating system, as 24 URL-safe characters.
pub fn random_password() -> Result<String, CouchError> {
    use std::io::Read;
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut bytes = [0u8; 18];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut bytes))
        .map_err(CouchError::Random)?;
    Ok(bytes
        .chunks(3)
        .flat_map(|c| {
            let n = (u32::from(c[0]) << 16) | (u32::from(c[1]) << 8) | u32::from(c[2]);
            (0..4).map(move |i| char::from(T[((n >> (18 - 6 * i)) & 63) as usize]))
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn worker_database_names_follow_couchdbs_rule() {
        let check = |badge: &str, db: &str| assert_eq!(worker_db(badge), db, "{badge}");
        check("D001", "doorstep-w-d001");
        check("d-7_x", "doorstep-w-d-7_x");
        check("A b/C", "doorstep-w-a_b_c");
        check("工号1", "doorstep-w-__1");
    }

    #[test]
    fn passwords_are_24_url_safe_characters_and_differ() {
        let (a, b) = (random_password().unwrap(), random_password().unwrap());
        assert_eq!(a.len(), 24);
        assert!(a
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
        assert_ne!(a, b);
    }
}
