//! Test support: an in-process CouchDB built on a second `Store<MemoryBackend>` (the
//! reference for revision semantics) with injectable faults, a clock that only records, and
//! a dump of a store's documents and revision trees for comparing replicas.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use doorstep_store::{Edit, MemoryBackend, Rev, Store};
use doorstep_sync::{
    replicate, Config, Direction, HttpRequest, HttpResponse, Method, Report, SyncError, Timer,
    Transport, TransportError,
};
use serde_json::{json, Map, Value};
use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;

/// Runs a future whose awaits all complete at once (the crate's own native runner).
pub use doorstep_sync::native::block_on;

/// What goes wrong with one request.
#[derive(Clone, Debug, PartialEq)]
pub enum Fault {
    /// No connection: the server never sees the request.
    Refuse,
    /// The server does the work, the reply is lost.
    LoseReply,
    /// The server answers this status without doing anything.
    Status(u16),
    /// The server answers 200 with this body without doing anything.
    Body(Vec<u8>),
    /// `_bulk_docs` answers 201 listing every document as an error, storing nothing.
    OnlyErrors,
}

type FaultFn = Box<dyn FnMut(u32, &HttpRequest) -> Option<Fault>>;
type RefuseFn = Box<dyn Fn(&str) -> Option<(String, String)>>;

pub struct FakeCouch {
    pub db: String,
    pub store: Store<MemoryBackend>,
    locals: RefCell<BTreeMap<String, (u64, Value)>>,
    /// Whether `_bulk_get` exists (else 404, as on CouchDB 1.x).
    pub bulk_get: Cell<bool>,
    /// A validation rule: `Some((error, reason))` refuses a document id in `_bulk_docs`.
    pub refuse: RefCell<RefuseFn>,
    pub faults: RefCell<FaultFn>,
    /// Every request seen: `METHOD path?query`.
    pub log: RefCell<Vec<String>>,
    n: Cell<u32>,
}

impl FakeCouch {
    pub fn new(db: &str) -> FakeCouch {
        FakeCouch {
            db: db.into(),
            store: Store::new(MemoryBackend::new()),
            locals: RefCell::default(),
            bulk_get: Cell::new(true),
            refuse: RefCell::new(Box::new(|_| None)),
            faults: RefCell::new(Box::new(|_, _| None)),
            log: RefCell::default(),
            n: Cell::new(0),
        }
    }

    pub fn set_faults(&self, f: impl FnMut(u32, &HttpRequest) -> Option<Fault> + 'static) {
        *self.faults.borrow_mut() = Box::new(f);
    }

    pub fn clear_faults(&self) {
        self.set_faults(|_, _| None);
    }

    pub fn requests(&self) -> u32 {
        self.n.get()
    }

    pub fn handle(&self, req: &HttpRequest) -> Result<HttpResponse, TransportError> {
        let n = self.n.get();
        self.n.set(n + 1);
        self.log
            .borrow_mut()
            .push(format!("{} {}", req.method.as_str(), req.path_and_query()));
        let fault = (self.faults.borrow_mut())(n, req);
        match fault {
            Some(Fault::Refuse) => return Err(TransportError::Network("refused".into())),
            Some(Fault::Status(s)) => {
                return Ok(HttpResponse::new(
                    s,
                    json!({"error": "injected", "reason": format!("injected {s}")}).to_string(),
                ))
            }
            Some(Fault::Body(b)) => return Ok(HttpResponse::new(200, b)),
            Some(Fault::OnlyErrors) if req.path.ends_with("/_bulk_docs") => {
                let body: Value =
                    serde_json::from_slice(req.body.as_deref().unwrap_or(b"{}")).unwrap();
                let rows: Vec<Value> = body["docs"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|d| json!({"id": d["_id"], "rev": d["_rev"], "error": "unknown_error", "reason": "injected"}))
                    .collect();
                return Ok(HttpResponse::new(201, Value::Array(rows).to_string()));
            }
            _ => {}
        }
        let resp = self.serve(req);
        if fault == Some(Fault::LoseReply) {
            return Err(TransportError::Network("connection reset".into()));
        }
        Ok(resp)
    }

    fn serve(&self, req: &HttpRequest) -> HttpResponse {
        let parts: Vec<String> = req
            .path
            .trim_start_matches('/')
            .split('/')
            .map(decode)
            .collect();
        let q = |k: &str| {
            req.query
                .iter()
                .find(|(a, _)| a == k)
                .map(|(_, v)| v.clone())
        };
        let body = || -> Value {
            serde_json::from_slice(req.body.as_deref().unwrap_or(b"null")).unwrap_or(Value::Null)
        };
        let ok = |status: u16, v: Value| HttpResponse::new(status, v.to_string());
        let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
        if parts.first() != Some(&self.db.as_str()) {
            return ok(
                404,
                json!({"error": "not_found", "reason": "Database does not exist."}),
            );
        }
        block_on(async {
            match (req.method, &parts[1..]) {
                (Method::Get, []) => {
                    let info = self.store.info().await.unwrap();
                    ok(
                        200,
                        json!({"db_name": self.db, "doc_count": info.doc_count, "update_seq": info.update_seq}),
                    )
                }
                (Method::Get, ["_changes"]) => {
                    let since: u64 = q("since").and_then(|s| s.parse().ok()).unwrap_or(0);
                    let limit: usize = q("limit")
                        .and_then(|s| s.parse().ok())
                        .unwrap_or(usize::MAX);
                    let page = self.store.changes(since, limit).await.unwrap();
                    let rows: Vec<Value> = page
                        .results
                        .iter()
                        .map(|c| {
                            let mut r = json!({"seq": c.seq, "id": c.id, "changes": c.changes.iter().map(|r| json!({"rev": r.to_string()})).collect::<Vec<_>>()});
                            if c.deleted {
                                r["deleted"] = json!(true);
                            }
                            r
                        })
                        .collect();
                    ok(
                        200,
                        json!({"results": rows, "last_seq": page.last_seq, "pending": 0}),
                    )
                }
                (Method::Post, ["_revs_diff"]) => {
                    let wanted: Vec<(String, Vec<Rev>)> = body()
                        .as_object()
                        .unwrap()
                        .iter()
                        .map(|(id, revs)| {
                            (
                                id.clone(),
                                revs.as_array()
                                    .unwrap()
                                    .iter()
                                    .map(|r| r.as_str().unwrap().parse().unwrap())
                                    .collect(),
                            )
                        })
                        .collect();
                    let missing = self.store.revs_diff(&wanted).await.unwrap();
                    let mut out = Map::new();
                    for (id, revs) in missing {
                        // As CouchDB: leaves of lower generation than a missing revision.
                        let top = revs.iter().map(|r| r.pos).max().unwrap_or(0);
                        let ancestors: Vec<String> = match self.store.get_record(&id).await.unwrap()
                        {
                            Some(rec) => rec
                                .change()
                                .changes
                                .iter()
                                .filter(|r| r.pos < top)
                                .map(Rev::to_string)
                                .collect(),
                            None => Vec::new(),
                        };
                        let mut e =
                            json!({"missing": revs.iter().map(Rev::to_string).collect::<Vec<_>>()});
                        if !ancestors.is_empty() {
                            e["possible_ancestors"] = json!(ancestors);
                        }
                        out.insert(id, e);
                    }
                    ok(200, Value::Object(out))
                }
                (Method::Post, ["_bulk_docs"]) => {
                    let b = body();
                    let new_edits = b["new_edits"].as_bool().unwrap_or(true);
                    let mut rows = Vec::new();
                    let mut edits = Vec::new();
                    for d in b["docs"].as_array().unwrap() {
                        let id = d["_id"].as_str().unwrap_or_default().to_owned();
                        if let Some((error, reason)) = (self.refuse.borrow())(&id) {
                            rows.push(json!({"id": id, "rev": d["_rev"], "error": error, "reason": reason}));
                            continue;
                        }
                        match Edit::from_couch(d.clone(), new_edits) {
                            Ok(e) => edits.push(e),
                            Err(e) => rows.push(
                                json!({"id": id, "error": "bad_request", "reason": e.to_string()}),
                            ),
                        }
                    }
                    let results = self.store.bulk_docs(&edits).await.unwrap();
                    // A stub whose bytes the server lacks answers the whole request 412
                    // missing_stub, as CouchDB does (here the request's other documents are
                    // kept: a resend of them changes nothing).
                    if results
                        .iter()
                        .any(|r| matches!(r, Err(doorstep_store::DocError::MissingStub { .. })))
                    {
                        return ok(
                            412,
                            json!({"error": "missing_stub", "reason": "missing_stub"}),
                        );
                    }
                    for (e, r) in edits.iter().zip(results) {
                        match r {
                            Err(err) => rows.push(
                                json!({"id": e.id, "error": "conflict", "reason": err.to_string()}),
                            ),
                            Ok(rev) if new_edits => {
                                rows.push(json!({"ok": true, "id": e.id, "rev": rev.to_string()}))
                            }
                            Ok(_) => {} // CouchDB lists only errors with new_edits=false
                        }
                    }
                    ok(201, Value::Array(rows))
                }
                (Method::Post, ["_bulk_get"]) if self.bulk_get.get() => {
                    let mut results = Vec::new();
                    for d in body()["docs"].as_array().unwrap() {
                        let id = d["id"].as_str().unwrap();
                        let rev: Rev = d["rev"].as_str().unwrap().parse().unwrap();
                        let got = self
                            .store
                            .open_revs(id, std::slice::from_ref(&rev))
                            .await
                            .unwrap();
                        let docs: Vec<Value> = got
                            .into_iter()
                            .map(|r| match r {
                                Ok(doc) => json!({"ok": doc}),
                                Err(rev) => json!({"error": {"id": id, "rev": rev.to_string(), "error": "not_found", "reason": "missing"}}),
                            })
                            .collect();
                        results.push(json!({"id": id, "docs": docs}));
                    }
                    ok(200, json!({ "results": results }))
                }
                (Method::Get, ["_local", id]) => match self.locals.borrow().get(*id) {
                    Some((n, v)) => {
                        let mut v = v.clone();
                        v["_rev"] = json!(format!("0-{n}"));
                        ok(200, v)
                    }
                    None => ok(404, json!({"error": "not_found", "reason": "missing"})),
                },
                (Method::Put, ["_local", id]) => {
                    let mut locals = self.locals.borrow_mut();
                    let mut v = body();
                    let given = v.as_object_mut().and_then(|m| m.remove("_rev"));
                    let current = locals.get(*id).map(|(n, _)| format!("0-{n}"));
                    if given.as_ref().and_then(Value::as_str) != current.as_deref() {
                        return ok(
                            409,
                            json!({"error": "conflict", "reason": "Document update conflict."}),
                        );
                    }
                    let n = locals.get(*id).map_or(1, |(n, _)| n + 1);
                    locals.insert((*id).to_owned(), (n, v));
                    ok(
                        201,
                        json!({"ok": true, "id": format!("_local/{id}"), "rev": format!("0-{n}")}),
                    )
                }
                (Method::Get, [id, name]) if !id.starts_with('_') => {
                    let rev: Option<Rev> = q("rev").and_then(|r| r.parse().ok());
                    match self.store.get_attachment(id, name, rev.as_ref()).await {
                        Ok(Some(bytes)) => HttpResponse::new(200, bytes),
                        _ => ok(404, json!({"error": "not_found", "reason": "missing"})),
                    }
                }
                (Method::Get, [id]) if q("open_revs").is_some() => {
                    let revs: Vec<String> = serde_json::from_str(&q("open_revs").unwrap()).unwrap();
                    let revs: Vec<Rev> = revs.iter().map(|r| r.parse().unwrap()).collect();
                    let got = self.store.open_revs(id, &revs).await.unwrap();
                    let rows: Vec<Value> = got
                        .into_iter()
                        .map(|r| match r {
                            Ok(doc) => json!({"ok": doc}),
                            Err(rev) => json!({"missing": rev.to_string()}),
                        })
                        .collect();
                    ok(200, Value::Array(rows))
                }
                _ => ok(
                    404,
                    json!({"error": "not_found", "reason": "no such route"}),
                ),
            }
        })
    }
}

fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let Ok(x) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(x);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap()
}

pub struct Net<'a>(pub &'a FakeCouch);

impl Transport for Net<'_> {
    async fn send(&self, req: HttpRequest) -> Result<HttpResponse, TransportError> {
        self.0.handle(&req)
    }
}

/// A clock that only records the pauses asked for.
#[derive(Default)]
pub struct Clock(pub RefCell<Vec<u64>>);

impl Timer for Clock {
    async fn sleep(&self, ms: u64) {
        self.0.borrow_mut().push(ms);
    }
}

pub fn config(local_id: &str, dir: Direction, session: &str) -> Config {
    Config::new("w1", local_id, "fake://server", dir, session)
}

pub fn sync_one(
    local: &Store<MemoryBackend>,
    server: &FakeCouch,
    cfg: Config,
) -> Result<Report, SyncError> {
    block_on(replicate(local, &Net(server), &Clock::default(), cfg))
}

/// A node of a dumped revision tree: rev, parent rev, deleted, body (leaves only).
pub type Node = (String, Option<String>, bool, Option<Value>);

/// Every document (deleted ones too) with its revision tree, order-independent.
pub fn dump(store: &Store<MemoryBackend>) -> BTreeMap<String, Vec<Node>> {
    use doorstep_store::Backend;
    block_on(async {
        let mut out = BTreeMap::new();
        for rec in store.backend().read_prefix("").await.unwrap() {
            let rec = rec.unwrap();
            let nodes = rec.revs.nodes();
            let leaves = rec.revs.leaves();
            // Deletedness is a property of leaves: `_revisions` does not carry it for
            // ancestors (nor does CouchDB keep it for them).
            let mut tree: Vec<Node> = nodes
                .iter()
                .enumerate()
                .map(|(i, n)| {
                    (
                        n.rev.to_string(),
                        n.parent.map(|p| nodes[p as usize].rev.to_string()),
                        n.deleted && leaves.contains(&i),
                        n.body.clone(),
                    )
                })
                .collect();
            tree.sort_by(|a, b| a.0.cmp(&b.0));
            out.insert(rec.id.clone(), tree);
        }
        out
    })
}

/// Winners (rev, deleted) per document.
pub fn winners(store: &Store<MemoryBackend>) -> BTreeMap<String, (String, bool)> {
    use doorstep_store::Backend;
    block_on(async {
        store
            .backend()
            .read_prefix("")
            .await
            .unwrap()
            .into_iter()
            .map(|r| {
                let w = r.unwrap().winner().unwrap();
                (w.id, (w.rev.to_string(), w.deleted))
            })
            .collect()
    })
}

/// Writes `n` documents `doc:00000…` with a small body.
pub fn seed(store: &Store<MemoryBackend>, prefix: &str, n: usize) {
    block_on(async {
        let edits: Vec<Edit> = (0..n)
            .map(|i| {
                Edit::put(
                    format!("{prefix}{i:05}"),
                    json!({"n": i, "who": prefix}),
                    None,
                )
            })
            .collect();
        for r in store.bulk_docs(&edits).await.unwrap() {
            r.unwrap();
        }
    })
}
