//! `doorstep setup-server` and `doorstep relay` against a real pouchdb-server process (the
//! sync crate's test server: free port, own directory, killed at the end), with the demo
//! data of 2026-12-02 in the store's database.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed unwrap is a failed test

#[path = "../../doorstep-sync/tests/server/mod.rs"]
mod server;

use chrono::{NaiveDate, NaiveDateTime};
use doorstep_core::model::WorkerId;
use doorstep_core::{demo, Rules};
use doorstep_store::{Attachment, Edit, MemoryBackend, Store};
use doorstep_sync::native::{block_on, HttpTransport, ThreadTimer};
use doorstep_sync::{replicate, Config, Direction, Method, Report, Transport};
use serde_json::{json, Value};
use server::{req, Server};
use std::collections::BTreeMap;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const ADMIN_PW: &str = "relay-test-admin";
const STORE_DB: &str = "doorstep-s01";

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 2).unwrap()
}

fn at(s: &str) -> NaiveDateTime {
    doorstep_core::iso::parse_datetime(s).unwrap()
}

/// A server with an admin, the demo data in the store's database and the accounts made by
/// `setup-server`; the new users' passwords by name.
struct Fixture {
    server: Server,
    passwords: BTreeMap<String, String>,
}

impl Fixture {
    fn new() -> Fixture {
        let server = Server::start();
        let t = server.transport();
        let body = serde_json::to_vec(&json!(ADMIN_PW)).unwrap();
        let r = block_on(t.send(req(Method::Put, "/_config/admins/admin", Some(body)))).unwrap();
        assert_eq!(
            r.status, 200,
            "admin set while the server is in admin party"
        );
        let mut f = Fixture {
            server,
            passwords: BTreeMap::new(),
        };
        let admin = f.as_user("admin", ADMIN_PW);
        let r = block_on(admin.send(req(Method::Put, &format!("/{STORE_DB}"), None))).unwrap();
        assert_eq!(r.status, 201);
        let docs: Vec<Value> = demo::dataset(day())
            .documents()
            .into_iter()
            .map(|(id, mut b)| {
                b["_id"] = json!(id);
                b
            })
            .collect();
        let body = serde_json::to_vec(&json!({ "docs": docs })).unwrap();
        let path = format!("/{STORE_DB}/_bulk_docs");
        let r = block_on(admin.send(req(Method::Post, &path, Some(body)))).unwrap();
        assert_eq!(r.status, 201);
        let out = f.doorstep(&["setup-server"]);
        let setup: Value = serde_json::from_str(&out).unwrap();
        for u in setup["new_users"].as_array().unwrap() {
            f.passwords.insert(
                u["name"].as_str().unwrap().to_owned(),
                u["password"].as_str().unwrap().to_owned(),
            );
        }
        f
    }

    fn as_user(&self, name: &str, password: &str) -> HttpTransport {
        HttpTransport::new(&format!(
            "http://{name}:{password}@127.0.0.1:{}",
            self.server.port
        ))
    }

    fn user(&self, name: &str) -> HttpTransport {
        self.as_user(name, &self.passwords[name])
    }

    fn admin(&self) -> HttpTransport {
        self.as_user("admin", ADMIN_PW)
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_doorstep"));
        c.args(args)
            .args(["--url", &self.server.url(), "--admin", "admin"])
            .env("DOORSTEP_ADMIN_PASSWORD", ADMIN_PW)
            .stdin(Stdio::null());
        c
    }

    /// Runs a `doorstep` command with the admin's credentials; its standard output.
    fn doorstep(&self, args: &[&str]) -> String {
        let out = self.command(args).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "doorstep {args:?}: {stderr}");
        String::from_utf8(out.stdout).unwrap()
    }

    /// `doorstep relay --now NOW ARGS`: one report per pass.
    fn relay(&self, now: &str, args: &[&str]) -> Vec<Value> {
        let mut all = vec!["relay", "--now", now];
        all.extend_from_slice(args);
        self.doorstep(&all)
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    /// (status, body) of a request as `t`.
    fn call(t: &HttpTransport, method: Method, path: &str, body: Option<Value>) -> (u16, Value) {
        let body = body.map(|b| serde_json::to_vec(&b).unwrap());
        let r = block_on(t.send(req(method, path, body))).unwrap();
        (
            r.status,
            serde_json::from_slice(&r.body).unwrap_or(Value::Null),
        )
    }

    /// Every live document of `db` but design documents, by id, without `_rev`.
    fn docs(&self, db: &str) -> BTreeMap<String, Value> {
        let (status, v) = Self::call(
            &self.admin(),
            Method::Get,
            &format!("/{db}/_all_docs?include_docs=true"),
            None,
        );
        assert_eq!(status, 200, "{db}: {v}");
        v["rows"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| !r["id"].as_str().unwrap().starts_with("_design/"))
            .map(|r| {
                let mut d = r["doc"].clone();
                let m = d.as_object_mut().unwrap();
                m.remove("_rev");
                m.remove("_id");
                (r["id"].as_str().unwrap().to_owned(), d)
            })
            .collect()
    }

    fn rev(&self, db: &str, id: &str) -> String {
        let (_, v) = Self::call(&self.admin(), Method::Get, &format!("/{db}/{id}"), None);
        v["_rev"].as_str().unwrap().to_owned()
    }

    /// Changes a `job:` document of the store's database.
    fn edit_job(&self, job: &str, change: impl FnOnce(&mut Value)) {
        let path = format!("/{STORE_DB}/job:{job}");
        let (_, mut doc) = Self::call(&self.admin(), Method::Get, &path, None);
        change(&mut doc);
        let (status, v) = Self::call(&self.admin(), Method::Put, &path, Some(doc));
        assert_eq!(status, 201, "{v}");
    }
}

fn sum(reports: &[Value], key: &str) -> u64 {
    reports.iter().map(|r| r[key].as_u64().unwrap()).sum()
}

/// The orders the core projects for `badge` at `now`, as `_all_docs` shows them.
fn projected(badge: &str, now: &str) -> BTreeMap<String, Value> {
    demo::dataset(day())
        .worker_documents(&WorkerId::new(badge), at(now), &Rules::default())
        .into_iter()
        .collect()
}

#[test]
fn each_worker_db_holds_exactly_the_core_projection_and_a_second_pass_writes_nothing() {
    let f = Fixture::new();
    let now = "2026-12-02T07:00:00";
    let t0 = Instant::now();
    let passes = f.relay(now, &["--passes", "2", "--interval", "0"]);
    let wall_s = t0.elapsed().as_secs_f64();
    let check = |badge: &str, jobs: &[&str]| {
        let db = format!("doorstep-w-{}", badge.to_lowercase());
        let held = f.docs(&db);
        let ids: Vec<&str> = held.keys().map(String::as_str).collect();
        let want: Vec<String> = jobs.iter().map(|j| format!("order:{j}")).collect();
        assert_eq!(ids, want, "{badge}: only their own assignments");
        assert_eq!(
            held,
            projected(badge, now),
            "{badge}: the core's projection"
        );
        let text = serde_json::to_string(&held).unwrap();
        assert!(!text.contains("1380000"), "{badge}: no worker's phone");
        for (id, order) in &held {
            let start = order["view"]["start"].as_str().unwrap();
            let in_window = start < "2026-12-04";
            assert_eq!(
                order["view"]["contact"]["address_detail"].is_string(),
                in_window,
                "{badge} {id}: detailed address only from the day before"
            );
        }
    };
    check("D001", &["J-1001", "J-1002", "J-1004", "J-1006", "J-1007"]);
    check("D002", &["J-1004", "J-1006"]);
    check("D003", &["J-1005"]);
    check("D004", &["J-1003"]);

    let (first, second) = (&passes[0], &passes[1]);
    assert_eq!(first["orders_written"], json!(9));
    assert_eq!(first["revs_written"], json!(9));
    assert_eq!(
        (&second["orders_written"], &second["revs_written"]),
        (&json!(0), &json!(0)),
        "second pass: nothing written"
    );
    // In one process every replication resumes from its checkpoint (the office's pull and
    // one pull per worker; the steps' push had nothing to push, so it has none yet).
    assert_eq!(second["replications"], json!(6));
    assert_eq!(second["resumed"], json!(5));
    // A restarted relay reads everything again and still writes nothing.
    let again = f.relay(now, &["--once"]);
    assert_eq!(sum(&again, "revs_written"), 0);
    assert_eq!(
        sum(&again, "orders_written") + sum(&again, "orders_deleted"),
        0
    );

    // The next day the window of J-1007 opens: a new revision with the address.
    let next = f.relay("2026-12-03T07:00:00", &["--once"]);
    assert_eq!(next[0]["orders_written"], json!(1));
    let d001 = f.docs("doorstep-w-d001");
    assert!(d001["order:J-1007"]["view"]["contact"]["address_detail"].is_string());
    assert!(f.rev("doorstep-w-d001", "order:J-1007").starts_with("2-"));
    server::figure(
        "relay_demo_pass",
        json!({"workers": 4, "orders": 9, "first_pass_ms": first["ms"], "second_pass_ms": second["ms"],
               "first_pass_writes": first["revs_written"], "second_pass_writes": second["revs_written"],
               "process_wall_s": wall_s}),
    );
}

/// Pushes `docs` from a fresh local store into `db` as `t` with the replicator.
fn push_as(t: &HttpTransport, base: &str, db: &str, docs: &[(&str, Value)]) -> Report {
    let store = Store::new(MemoryBackend::new());
    let edits: Vec<Edit> = docs
        .iter()
        .map(|(id, b)| Edit::put(*id, b.clone(), None))
        .collect();
    block_on(store.bulk_docs(&edits)).unwrap();
    let cfg = Config::new(db, "phone", format!("{base}/{db}"), Direction::Push, "1");
    block_on(replicate(&store, t, &ThreadTimer, cfg)).unwrap()
}

/// The shape of a signed record as far as the workers' validation reads it.
fn signed(job: &str, device: &str, seq: u64) -> Value {
    json!({"record": {"job": job, "round": 1, "device_id": device}, "seq": seq,
        "prev_hash": "0".repeat(64), "hash": "ab".repeat(32)})
}

fn step(job: &str, by: &str) -> Value {
    json!({"job": job, "by": by, "at": "2026-12-02T08:00:00",
           "step": {"day_before_call": {"note": "ok"}}})
}

#[test]
fn a_step_reaches_the_store_with_its_photos_and_revision() {
    let f = Fixture::new();
    let now = "2026-12-02T07:00:00";
    f.relay(now, &["--once"]);
    let base = f.server.url();
    let d002 = f.user("D002");
    let phone = Store::new(MemoryBackend::new());
    let jpeg: Vec<u8> = (0..150_000u32).map(|i| (i * 7 % 251) as u8).collect();
    let rev = block_on(phone.put_with_attachments(
        "step:J-1004:p1",
        &step("J-1004", "D002"),
        None,
        &[Attachment {
            name: "photo-1.jpg".into(),
            content_type: "image/jpeg".into(),
            bytes: jpeg.clone(),
        }],
    ))
    .unwrap();
    let cfg = Config::new(
        "doorstep-w-d002",
        "phone",
        format!("{base}/doorstep-w-d002"),
        Direction::Push,
        "1",
    );
    let report = block_on(replicate(&phone, &d002, &ThreadTimer, cfg)).unwrap();
    assert_eq!((report.revs_written, report.attachments_sent), (1, 1));

    let pass = f.relay(now, &["--once"]);
    assert_eq!(pass[0]["steps_copied"], json!(1));
    let path = format!("/{STORE_DB}/step:J-1004:p1");
    let (status, copied) = Fixture::call(&f.admin(), Method::Get, &path, None);
    assert_eq!(
        (status, copied["_rev"].as_str()),
        (200, Some(rev.to_string().as_str()))
    );
    let stub = &copied["_attachments"]["photo-1.jpg"];
    assert_eq!(stub["digest"], json!(doorstep_store::attach::digest(&jpeg)));
    let got = block_on(
        f.admin()
            .send(req(Method::Get, &format!("{path}/photo-1.jpg"), None)),
    )
    .unwrap();
    assert_eq!((got.status, got.body.len()), (200, jpeg.len()));
    assert!(
        got.body == jpeg,
        "the photo's bytes reach the office unchanged"
    );
    assert_eq!(f.relay(now, &["--once"])[0]["steps_copied"], json!(0));
}

#[test]
fn steps_reach_the_store_unchanged_and_the_server_refuses_what_a_worker_may_not_write() {
    let f = Fixture::new();
    let now = "2026-12-02T07:00:00";
    f.relay(now, &["--once"]);
    let base = f.server.url();
    let d002 = f.user("D002");
    let report = push_as(
        &d002,
        &base,
        "doorstep-w-d002",
        &[
            ("step:J-1004:s1", step("J-1004", "D002")),
            ("step:J-1004:s2", step("J-1004", "D001")),
            ("step:J-1006:s3", step("J-1004", "D002")),
            ("order:J-1004", json!({"view": {"contact": null}})),
            ("customer:C005", json!({"name": "x"})),
            ("record:J-1004:dev1:1", signed("J-1004", "dev1", 1)),
            ("record:J-1004:dev1:3", signed("J-1004", "dev1", 2)),
        ],
    );
    let mut refused: Vec<(String, String)> = report
        .refused
        .iter()
        .map(|r| (r.id.clone(), r.reason.clone()))
        .collect();
    refused.sort();
    let reasons: Vec<(&str, &str)> = refused
        .iter()
        .map(|(id, reason)| (id.as_str(), reason.split(':').next().unwrap_or("")))
        .collect();
    assert_eq!(
        reasons,
        vec![
            ("customer:C005", "customer"),
            ("order:J-1004", "order"),
            (
                "record:J-1004:dev1:3",
                "a signed record id names its job, device and number"
            ),
            ("step:J-1004:s2", "a step is recorded by its own worker"),
            ("step:J-1006:s3", "a step id names its job"),
        ],
        "each refusal pending with the server's reason: {refused:?}"
    );
    assert_eq!(report.revs_written, 2);
    // A signed record, like a step, is never changed.
    let (_, mut r1) = Fixture::call(
        &d002,
        Method::Get,
        "/doorstep-w-d002/record:J-1004:dev1:1",
        None,
    );
    r1["record"]["round"] = json!(2);
    let (status, v) = Fixture::call(
        &d002,
        Method::Put,
        "/doorstep-w-d002/record:J-1004:dev1:1",
        Some(r1),
    );
    assert_eq!(status, 403, "edit of a signed record: {v}");
    // A step is written once: editing or deleting it is refused too.
    let path = "/doorstep-w-d002/step:J-1004:s1";
    let (_, mut s1) = Fixture::call(&d002, Method::Get, path, None);
    let rev1 = s1["_rev"].clone();
    s1["step"] = json!({"day_before_call": {"note": "changed"}});
    let (status, v) = Fixture::call(&d002, Method::Put, path, Some(s1.clone()));
    assert_eq!(status, 403, "edit of a step: {v}");
    s1["_deleted"] = json!(true);
    let (status, v) = Fixture::call(&d002, Method::Put, path, Some(s1));
    assert_eq!(status, 403, "deletion of a step: {v}");

    // The relay copies the step and the signed record to the store's database: same id,
    // same revision.
    let pass = f.relay(now, &["--once"]);
    assert_eq!(pass[0]["steps_copied"], json!(2));
    assert!(
        f.docs(STORE_DB).contains_key("record:J-1004:dev1:1"),
        "the signed record reaches the office"
    );
    let (status, copied) = Fixture::call(
        &f.admin(),
        Method::Get,
        &format!("/{STORE_DB}/step:J-1004:s1"),
        None,
    );
    assert_eq!((status, &copied["_rev"]), (200, &rev1));
    assert_eq!(copied["by"], json!("D002"));
    let store = f.docs(STORE_DB);
    assert_eq!(
        store.keys().filter(|k| k.starts_with("step:")).count(),
        1,
        "refused documents never reach the store"
    );
    assert_eq!(f.relay(now, &["--once"])[0]["steps_copied"], json!(0));

    // Access: a worker reads only their own database; the office reads all.
    let check = |who: &str, t: &HttpTransport, db: &str, allowed: bool| {
        for what in ["_all_docs", "_changes", "order:J-1004"] {
            let (status, v) = Fixture::call(t, Method::Get, &format!("/{db}/{what}"), None);
            if allowed {
                assert!(status == 200 || status == 404, "{who} on {db}/{what}: {v}");
            } else {
                assert!(
                    status == 401 || status == 403,
                    "{who} on {db}/{what}: {status} {v}"
                );
            }
        }
    };
    let anonymous = f.server.transport();
    check("D002", &d002, "doorstep-w-d002", true);
    check("D001", &f.user("D001"), "doorstep-w-d002", false);
    check("D001", &f.user("D001"), STORE_DB, false);
    check("D002", &d002, STORE_DB, false);
    check("office", &f.user("office"), "doorstep-w-d002", true);
    check("office", &f.user("office"), STORE_DB, true);
    check("anonymous", &anonymous, "doorstep-w-d002", false);
    check(
        "a wrong password",
        &f.as_user("D002", "nope"),
        "doorstep-w-d002",
        false,
    );
    // Writes by another worker are refused before validation runs.
    let (status, _) = Fixture::call(
        &f.user("D001"),
        Method::Put,
        "/doorstep-w-d002/step:J-1004:x",
        Some(step("J-1004", "D001")),
    );
    assert!(status == 401 || status == 403, "{status}");
    // A worker cannot change the validation or the members.
    let (status, _) = Fixture::call(
        &d002,
        Method::Put,
        "/doorstep-w-d002/_design/doorstep",
        Some(json!({"validate_doc_update": "function(){}"})),
    );
    assert!(status == 401 || status == 403, "{status}");
    let (status, _) = Fixture::call(
        &d002,
        Method::Put,
        "/doorstep-w-d002/_security",
        Some(json!({})),
    );
    assert!(status == 401 || status == 403, "{status}");
    // A signed record is never changed or deleted, not even by the relay (an admin).
    let path = "/doorstep-w-d002/record:R-1";
    let (status, v) = Fixture::call(
        &f.admin(),
        Method::Put,
        path,
        Some(json!({"hash": "ab12", "signature": "陈"})),
    );
    assert_eq!(status, 201, "{v}");
    let signed = json!({"_rev": v["rev"], "hash": "ff00"});
    let (status, v) = Fixture::call(&f.admin(), Method::Put, path, Some(signed.clone()));
    assert_eq!(status, 403, "{v}");
    let mut deleted = signed;
    deleted["_deleted"] = json!(true);
    let (status, v) = Fixture::call(&f.admin(), Method::Put, path, Some(deleted));
    assert_eq!(status, 403, "{v}");
    // Cookie login: _session gives the worker their name and role.
    let (status, v) = Fixture::call(
        &anonymous,
        Method::Post,
        "/_session",
        Some(json!({"name": "D002", "password": f.passwords["D002"]})),
    );
    assert_eq!((status, &v["roles"]), (200, &json!(["worker"])));
    // Roles: Apache CouchDB refuses a user's edit of their own roles; pouchdb-server 4.2
    // takes it. Access goes by name, so a worker who made themselves office still cannot
    // read the store's database or another worker's.
    let path = "/_users/org.couchdb.user:D002";
    let (_, mut me) = Fixture::call(&d002, Method::Get, path, None);
    me["roles"] = json!(["office"]);
    me["password"] = json!(f.passwords["D002"]);
    let (status, v) = Fixture::call(&d002, Method::Put, path, Some(me));
    assert!(status == 201 || status == 403, "{status} {v}");
    check("D002 after editing their roles", &d002, STORE_DB, false);
    check(
        "D002 after editing their roles",
        &d002,
        "doorstep-w-d001",
        false,
    );
}

/// Polls until the old revision's body is gone from `db` (compaction: CouchDB's is a
/// background job; pouchdb-server's is done when `_compact` answers).
fn gone(f: &Fixture, db: &str, id: &str, rev: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let (status, _) = Fixture::call(
            &f.admin(),
            Method::Get,
            &format!("/{db}/{id}?rev={rev}"),
            None,
        );
        if status == 404 {
            break;
        }
        assert!(Instant::now() < deadline, "{db} {id} {rev} still readable");
        std::thread::sleep(Duration::from_millis(100));
    }
    let (_, info) = Fixture::call(
        &f.admin(),
        Method::Get,
        &format!("/{db}/{id}?revs_info=true"),
        None,
    );
    let text = serde_json::to_string(&info).unwrap();
    assert!(!text.contains("address_detail\":\""), "{db} {id}: {text}");
    if let Some(revs) = info["_revs_info"].as_array() {
        let old = revs.iter().find(|r| r["rev"] == json!(rev)).unwrap();
        assert_eq!(old["status"], json!("missing"), "{db} {id} {rev}");
    }
}

#[test]
fn a_done_job_and_a_withdrawn_assignment_leave_no_address_behind() {
    let f = Fixture::new();
    let now = "2026-12-02T07:00:00";
    f.relay(now, &["--once"]);
    let (d001, d002) = ("doorstep-w-d001", "doorstep-w-d002");
    assert!(f.docs(d001)["order:J-1001"]["view"]["contact"]["address_detail"].is_string());
    assert!(f.docs(d002)["order:J-1004"]["view"]["contact"]["address_detail"].is_string());
    let (r1001, r1004) = (f.rev(d001, "order:J-1001"), f.rev(d002, "order:J-1004"));

    f.edit_job("J-1001", |j| j["job"]["status"] = json!("completed"));
    f.edit_job("J-1004", |j| {
        j["assignment"]["workers"] = json!(["D001"]);
    });
    let pass = f.relay(now, &["--once"]);
    assert_eq!(
        (&pass[0]["orders_deleted"], &pass[0]["compacted"]),
        (&json!(1), &json!([d001, d002]))
    );
    let done = &f.docs(d001)["order:J-1001"];
    assert_eq!(done["view"]["status"], json!("completed"));
    assert!(done["view"]["contact"].is_null());
    assert!(
        !f.docs(d002).contains_key("order:J-1004"),
        "no longer theirs"
    );
    gone(&f, d001, "order:J-1001", &r1001);
    gone(&f, d002, "order:J-1004", &r1004);
    assert_eq!(f.relay(now, &["--once"])[0]["revs_written"], json!(0));
}

#[test]
fn the_relay_loop_reprojects_when_the_store_changes() {
    let f = Fixture::new();
    /// Kills the relay when the test ends, passed or failed.
    struct Running(std::process::Child);
    impl Drop for Running {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let _relay = Running(
        f.command(&[
            "relay",
            "--now",
            "2026-12-02T07:00:00",
            "--interval",
            "3600",
            "--poll-ms",
            "200",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap(),
    );
    let wait_for = |what: &str, ok: &dyn Fn() -> bool| {
        let deadline = Instant::now() + Duration::from_secs(30);
        while !ok() {
            assert!(Instant::now() < deadline, "relay loop: {what}");
            std::thread::sleep(Duration::from_millis(100));
        }
    };
    let has = |id: &str| {
        let (status, _) = Fixture::call(
            &f.admin(),
            Method::Get,
            &format!("/doorstep-w-d003/{id}"),
            None,
        );
        status == 200
    };
    wait_for("first pass", &|| has("order:J-1005"));
    f.edit_job("J-1003", |j| {
        j["assignment"]["workers"] = json!(["D004", "D003"]);
    });
    wait_for("the new crew member's order", &|| has("order:J-1003"));
}

#[test]
fn a_state_saved_against_another_server_is_read_again_not_trusted() {
    let (a, b) = (Fixture::new(), Fixture::new());
    let now = "2026-12-02T07:00:00";
    let state = a.server.dir.join("relay-state");
    let state = state.to_str().unwrap();
    assert_eq!(
        a.relay(now, &["--once", "--state", state])[0]["orders_written"],
        json!(9)
    );
    // The same state, another server (its documents have other revisions): the mirrors
    // share no checkpoint with it, so they are read again and nothing is refused.
    let pass = &b.relay(now, &["--once", "--state", state])[0];
    assert_eq!(
        (&pass["orders_written"], &pass["refused"]),
        (&json!(9), &json!([]))
    );
    assert_eq!(b.docs("doorstep-w-d001").len(), 5);
    assert_eq!(
        b.relay(now, &["--once", "--state", state])[0]["revs_written"],
        json!(0)
    );
}
