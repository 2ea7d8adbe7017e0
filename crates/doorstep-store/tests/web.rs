//! The store on real IndexedDB in headless Chromium: write, read back, reopen, migrate,
//! corrupt data, and the revision rules end to end.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed unwrap is a failed test

mod common;

use doorstep_store::idb::{IdbBackend, SCHEMA_VERSION};
use doorstep_store::{Edit, Rev, Store, StoreError};
use js_sys::{Object, Promise, Reflect};
use serde_json::{json, Value};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

async fn fresh(name: &str) -> Store<IdbBackend> {
    IdbBackend::delete(name).await.unwrap();
    Store::new(IdbBackend::open(name).await.unwrap())
}

#[wasm_bindgen_test]
async fn write_read_back_and_reopen() {
    let s = fresh("t-reopen").await;
    let r1 = s
        .put(
            "job:1",
            &json!({"customer": "王女士", "note": "<script>alert(1)</script> 🧹 \u{202e}"}),
            None,
        )
        .await
        .unwrap();
    let r2 = s
        .put(
            "job:1",
            &json!({"customer": "王女士", "status": "done"}),
            Some(&r1),
        )
        .await
        .unwrap();
    s.put_local("settings", &json!({"lang": "zh-CN"}))
        .await
        .unwrap();
    s.backend().close();
    drop(s);

    let s = Store::new(IdbBackend::open("t-reopen").await.unwrap());
    let (rev, body): (Rev, Value) = s.get_as("job:1").await.unwrap().unwrap();
    assert_eq!(rev, r2);
    assert_eq!(body, json!({"customer": "王女士", "status": "done"}));
    assert_eq!(
        s.get_local::<Value>("settings").await.unwrap(),
        Some(json!({"lang": "zh-CN"}))
    );
    let info = s.info().await.unwrap();
    assert_eq!((info.doc_count, info.update_seq), (1, 2));
    // Editing the stale revision is a conflict, not an overwrite.
    assert!(matches!(
        s.put("job:1", &json!({}), Some(&r1)).await,
        Err(StoreError::Doc(_))
    ));
}

#[wasm_bindgen_test]
async fn changes_feed_and_prefix_reads() {
    let s = fresh("t-changes").await;
    let edits: Vec<Edit> = (0..250)
        .map(|i| Edit::put(format!("job:{i:04}"), json!({"i": i}), None))
        .collect();
    let results = s.bulk_docs(&edits).await.unwrap();
    assert!(results.iter().all(Result::is_ok));
    s.put("customer:1", &json!({"name": "李先生"}), None)
        .await
        .unwrap();
    let first = results[0].clone().unwrap();
    s.put("job:0000", &json!({"i": "again"}), Some(&first))
        .await
        .unwrap();

    let page = s.changes(0, 100).await.unwrap();
    assert_eq!(page.results.len(), 100);
    assert_eq!(page.results[0].id, "job:0001");
    assert_eq!(page.last_seq, 101);
    let tail = s.changes(250, 100).await.unwrap();
    let ids: Vec<&str> = tail.results.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, vec!["customer:1", "job:0000"]);
    assert_eq!(s.all_docs("job:").await.unwrap().len(), 250);
    assert_eq!(s.all_docs("customer:").await.unwrap().len(), 1);
    assert_eq!(s.all_docs("nothing:").await.unwrap().len(), 0);
}

#[wasm_bindgen_test]
async fn conflicts_and_purge_on_indexeddb() {
    let s = fresh("t-conflicts").await;
    let a = "a".repeat(32);
    let b = "b".repeat(32);
    let docs = [
        json!({"_id": "d", "_rev": format!("1-{a}"), "addr": "1号"}),
        json!({"_id": "d", "_rev": format!("1-{b}"), "addr": "2号"}),
    ];
    let edits: Vec<Edit> = docs
        .iter()
        .map(|d| Edit::from_couch(d.clone(), false).unwrap())
        .collect();
    s.bulk_docs(&edits).await.unwrap();
    s.bulk_docs(&edits).await.unwrap(); // idempotent
    let doc = s.get("d").await.unwrap().unwrap();
    assert_eq!(doc.rev.to_string(), format!("1-{b}"));
    assert_eq!(doc.conflicts.len(), 1);
    assert_eq!(s.info().await.unwrap().update_seq, 1);
    let removed = s.purge("d", std::slice::from_ref(&doc.rev)).await.unwrap();
    assert_eq!(removed, vec![doc.rev]);
    assert_eq!(
        s.get("d").await.unwrap().unwrap().body,
        json!({"addr": "1号"})
    );
}

/// Opens `name` at `version` with raw IndexedDB, running `setup` in the upgrade.
async fn raw_open(
    name: &str,
    version: u32,
    setup: impl Fn(&web_sys::IdbDatabase) + 'static,
) -> web_sys::IdbDatabase {
    let factory: web_sys::IdbFactory = Reflect::get(&js_sys::global(), &"indexedDB".into())
        .unwrap()
        .unchecked_into();
    let req = factory.open_with_u32(name, version).unwrap();
    let on_upgrade = wasm_bindgen::closure::Closure::<dyn FnMut(web_sys::Event)>::new(
        move |ev: web_sys::Event| {
            let req: web_sys::IdbOpenDbRequest = ev.target().unwrap().unchecked_into();
            setup(&req.result().unwrap().unchecked_into());
        },
    );
    req.set_onupgradeneeded(Some(on_upgrade.as_ref().unchecked_ref()));
    let p = Promise::new(&mut |resolve, reject| {
        req.set_onsuccess(Some(&resolve));
        req.set_onerror(Some(&reject));
    });
    JsFuture::from(p).await.unwrap();
    drop(on_upgrade);
    req.result().unwrap().unchecked_into()
}

async fn raw_put(db: &web_sys::IdbDatabase, store: &str, value: &JsValue, key: Option<&str>) {
    let tx = db
        .transaction_with_str_and_mode(store, web_sys::IdbTransactionMode::Readwrite)
        .unwrap();
    let os = tx.object_store(store).unwrap();
    let req = match key {
        Some(k) => os.put_with_key(value, &k.into()).unwrap(),
        None => os.put(value).unwrap(),
    };
    // Committed, not just done: a connection closed with a transaction still committing
    // blocks the next upgrade for a moment (long on a loaded machine).
    let p = Promise::new(&mut |resolve, reject| {
        tx.set_oncomplete(Some(&resolve));
        tx.set_onerror(Some(&reject));
        req.set_onerror(Some(&reject));
    });
    JsFuture::from(p).await.unwrap();
}

fn record(id: &str, seq: u64, json: &str) -> JsValue {
    let o = Object::new();
    Reflect::set(&o, &"id".into(), &id.into()).unwrap();
    Reflect::set(&o, &"seq".into(), &(seq as f64).into()).unwrap();
    Reflect::set(&o, &"j".into(), &json.into()).unwrap();
    o.into()
}

/// The stores of schema 1 as the first release made them (docs with its `seq` index, and
/// meta); the docs store, for a later schema's additions.
fn version_1_stores(db: &web_sys::IdbDatabase) -> web_sys::IdbObjectStore {
    let p = web_sys::IdbObjectStoreParameters::new();
    p.set_key_path(&"id".into());
    let docs = db
        .create_object_store_with_optional_parameters("docs", &p)
        .unwrap();
    let u = web_sys::IdbIndexParameters::new();
    u.set_unique(true);
    docs.create_index_with_str_and_optional_parameters("seq", "seq", &u)
        .unwrap();
    db.create_object_store("meta").unwrap();
    docs
}

#[wasm_bindgen_test]
async fn migrates_a_version_1_database() {
    let name = "t-migrate";
    IdbBackend::delete(name).await.unwrap();
    // A database as the first release wrote it: schema 1 (docs + meta, no `local` store).
    let db = raw_open(name, 1, |db| {
        version_1_stores(db);
    })
    .await;
    let rev = format!("1-{}", "c".repeat(32));
    raw_put(
        &db,
        "docs",
        &record(
            "job:old",
            1,
            &format!(
                r#"{{"v":1,"id":"job:old","seq":1,"revs":[{{"r":"{rev}","b":{{"kept":true,"day":"2026-12-02"}}}}]}}"#
            ),
        ),
        None,
    )
    .await;
    raw_put(&db, "meta", &JsValue::from_f64(1.0), Some("update_seq")).await;
    db.close();

    let s = Store::new(
        IdbBackend::open(name)
            .await
            .map_err(|e| e.to_string())
            .unwrap(),
    );
    assert_eq!(SCHEMA_VERSION, 5);
    assert_eq!(
        s.get("job:old").await.unwrap().unwrap().body,
        json!({"kept": true, "day": "2026-12-02"})
    );
    // The store added in version 2 works, and new writes continue the old sequence.
    s.put_local("checkpoint", &json!({"seq": 1})).await.unwrap();
    s.put("job:new", &json!({"day": "2026-12-01"}), None)
        .await
        .unwrap();
    assert_eq!(s.info().await.unwrap().update_seq, 2);
    // The index added in version 3 is filled on the first indexed open, the old record
    // included (here as the PWA opens: told the keys are stale, then rebuilt once).
    s.backend().close();
    let (s, current) =
        Store::indexed_unchecked(IdbBackend::open(name).await.unwrap(), common::BY_DAY)
            .await
            .unwrap();
    assert!(!current);
    assert!(s.rebuild_index().await.unwrap());
    assert!(!s.rebuild_index().await.unwrap());
    assert_eq!(
        common::days(&s, "2026-12-01", "2026-12-03").await,
        ["job:new", "job:old"]
    );
}

#[wasm_bindgen_test]
async fn a_version_3_database_gets_its_bodies_on_the_next_indexed_open() {
    let name = "t-migrate-v3";
    IdbBackend::delete(name).await.unwrap();
    // Version 3 as it was: records with their text `j` and key `k`, no `w`; keys made.
    let db = raw_open(name, 3, |db| {
        let docs = version_1_stores(db);
        docs.create_index_with_str("k", "k").unwrap();
        db.create_object_store("local").unwrap();
    })
    .await;
    let rev = format!("1-{}", "d".repeat(32));
    let old = record(
        "job:v3",
        1,
        &format!(
            r#"{{"v":1,"id":"job:v3","seq":1,"revs":[{{"r":"{rev}","b":{{"day":"2026-12-02"}}}}]}}"#
        ),
    );
    Reflect::set(&old, &"k".into(), &"2026-12-02".into()).unwrap();
    raw_put(&db, "docs", &old, None).await;
    raw_put(&db, "meta", &JsValue::from_f64(1.0), Some("update_seq")).await;
    raw_put(&db, "meta", &JsValue::from_f64(1.0), Some("index_version")).await;
    db.close();
    // The upgrade makes the keys stale; the rebuild writes every record's body.
    let (s, current) =
        Store::indexed_unchecked(IdbBackend::open(name).await.unwrap(), common::BY_DAY)
            .await
            .unwrap();
    assert!(!current);
    assert!(s.rebuild_index().await.unwrap());
    let bodies = s.by_key_bodies("2026-12-02", "2026-12-03").await.unwrap();
    assert_eq!(bodies.len(), 1);
    let body = bodies.into_iter().next().unwrap().unwrap();
    assert_eq!(
        (body.id.as_str(), body.json.as_str()),
        ("job:v3", r#"{"day":"2026-12-02"}"#)
    );
}

#[wasm_bindgen_test]
async fn index_follows_every_write() {
    let name = "t-index";
    IdbBackend::delete(name).await.unwrap();
    let s = Store::indexed(IdbBackend::open(name).await.unwrap(), common::BY_DAY)
        .await
        .unwrap();
    common::index_follows_every_write(s).await;
}

#[wasm_bindgen_test]
async fn bodies_are_the_live_winners() {
    let name = "t-bodies";
    IdbBackend::delete(name).await.unwrap();
    let s = Store::indexed(IdbBackend::open(name).await.unwrap(), common::BY_DAY)
        .await
        .unwrap();
    common::bodies_are_the_live_winners(s).await;
}

#[wasm_bindgen_test]
async fn scan_many_reads_each_prefix() {
    common::scan_many_reads_each_prefix(fresh("t-scan-many").await).await;
}

#[wasm_bindgen_test]
async fn batched_reads_answer_each_document() {
    common::batched_reads_answer_each_document(fresh("t-batched-reads").await).await;
}

#[wasm_bindgen_test]
async fn a_damaged_record_stays_in_its_index_range() {
    let name = "t-index-damaged";
    IdbBackend::delete(name).await.unwrap();
    let s = Store::indexed(IdbBackend::open(name).await.unwrap(), common::BY_DAY)
        .await
        .unwrap();
    s.put("a", &json!({"day": "2026-12-02"}), None)
        .await
        .unwrap();
    s.put("b", &json!({"day": "2026-12-02"}), None)
        .await
        .unwrap();
    s.backend().close();
    // The record's text is damaged on disk; its index entry survives.
    let db = raw_open(name, SCHEMA_VERSION, |_| {}).await;
    let bad = record("a", 1, "{not json");
    Reflect::set(&bad, &"k".into(), &"2026-12-02".into()).unwrap();
    raw_put(&db, "docs", &bad, None).await;
    db.close();
    let s = Store::indexed(IdbBackend::open(name).await.unwrap(), common::BY_DAY)
        .await
        .unwrap();
    assert_eq!(
        common::days(&s, "2026-12-02", "2026-12-03").await,
        ["damaged a", "b"]
    );
}

#[wasm_bindgen_test]
async fn corrupt_and_newer_records_are_reported_not_lost() {
    let name = "t-corrupt";
    let s = fresh(name).await;
    s.put("good", &json!({"ok": 1}), None).await.unwrap();
    s.backend().close();
    let db = raw_open(name, SCHEMA_VERSION, |_| {}).await;
    raw_put(&db, "docs", &record("bad", 7, "{not json"), None).await;
    raw_put(
        &db,
        "docs",
        &record("future", 8, r#"{"v":99,"id":"future","seq":8,"revs":[]}"#),
        None,
    )
    .await;
    db.close();

    let s = Store::new(IdbBackend::open(name).await.unwrap());
    assert!(matches!(
        s.get("bad").await,
        Err(StoreError::Corrupt { .. })
    ));
    assert!(matches!(
        s.get("future").await,
        Err(StoreError::TooNew { found: 99, .. })
    ));
    // Writing over a corrupt record is refused and the batch is not committed.
    assert!(s
        .bulk_docs(&[
            Edit::put("new", json!({}), None),
            Edit::put("bad", json!({}), None)
        ])
        .await
        .is_err());
    assert_eq!(s.get("new").await.unwrap(), None);
    assert_eq!(s.get("good").await.unwrap().unwrap().body, json!({"ok": 1}));
    // A prefix scan shows each damaged record in its place and still reads the others.
    let scan = s.scan("").await.unwrap();
    let ids: Vec<String> = scan
        .iter()
        .map(|r| match r {
            Ok(d) => format!("ok {}", d.id),
            Err(StoreError::Corrupt { id, .. }) => format!("corrupt {id}"),
            Err(e) => format!("error {e}"),
        })
        .collect();
    assert_eq!(ids, ["corrupt bad", "error the stored data is from a newer version of the app (format 99, this app reads up to 1); update the app", "ok good"]);
    assert!(s.all_docs("").await.is_err(), "the strict read still fails");
}

#[wasm_bindgen_test]
async fn a_newer_schema_on_disk_is_refused_in_plain_words() {
    let name = "t-newer";
    IdbBackend::delete(name).await.unwrap();
    raw_open(name, SCHEMA_VERSION + 5, |_| {}).await.close();
    let err = IdbBackend::open(name)
        .await
        .err()
        .expect("opening a newer database must fail");
    assert!(err.to_string().contains("newer version"), "{err}");
}

#[wasm_bindgen_test]
async fn an_upgrade_blocked_by_another_connection_fails_instead_of_hanging() {
    let name = "t-blocked";
    IdbBackend::delete(name).await.unwrap();
    // An old connection (schema 1) that does not close when asked, like a stale tab.
    let old = raw_open(name, 1, |db| {
        db.create_object_store("docs").unwrap();
    })
    .await;
    let err = IdbBackend::open(name)
        .await
        .err()
        .expect("must not open while blocked");
    assert_eq!(err, StoreError::Blocked);
    old.close();
}

#[wasm_bindgen_test]
async fn large_batches_still_see_existing_documents() {
    let s = fresh("t-large-batch").await;
    // 40 documents exist; a batch of 60 ids overlaps 20 of them (key-range scan path).
    let first: Vec<Edit> = (0..40)
        .map(|i| Edit::put(format!("k:{i:03}"), json!({"v": 1}), None))
        .collect();
    let revs: Vec<Rev> = s
        .bulk_docs(&first)
        .await
        .unwrap()
        .into_iter()
        .map(Result::unwrap)
        .collect();
    let mut batch: Vec<Edit> = (20..80)
        .map(|i| Edit::put(format!("k:{i:03}"), json!({"v": 2}), None))
        .collect();
    // One of the existing ones is updated properly, with its current revision.
    batch.push(Edit::put("k:025", json!({"v": 3}), Some(revs[25].clone())));
    let results = s.bulk_docs(&batch).await.unwrap();
    let conflicts = results
        .iter()
        .filter(|r| matches!(r, Err(doorstep_store::DocError::Conflict { .. })))
        .count();
    assert_eq!(
        conflicts, 20,
        "creating an existing document without its revision is a conflict"
    );
    assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 41);
    assert_eq!(s.get("k:025").await.unwrap().unwrap().body, json!({"v": 3}));
    assert_eq!(s.get("k:030").await.unwrap().unwrap().body, json!({"v": 1}));
    assert_eq!(s.get("k:079").await.unwrap().unwrap().body, json!({"v": 2}));
    // A sparse batch over a crowded range takes the per-id path and agrees.
    let sparse: Vec<Edit> = (0..40)
        .map(|i| Edit::put(format!("k:{:03}", i * 2), json!({"v": 4}), None))
        .collect();
    let r = s.bulk_docs(&sparse).await.unwrap();
    assert_eq!(r.iter().filter(|r| r.is_err()).count(), 40);
}

#[wasm_bindgen_test]
async fn large_batches_order_ids_as_indexeddb_does() {
    // IndexedDB orders keys by UTF-16 code units, Rust strings by UTF-8 bytes: U+FFFF comes
    // after U+10000 in the former and before it in the latter. The key-range scan of a
    // large batch must still find both existing documents.
    let s = fresh("t-utf16-order").await;
    let ids = ["z:\u{FFFF}", "z:\u{10000}"];
    let first: Vec<Edit> = ids
        .iter()
        .map(|id| Edit::put(*id, json!({"v": 1}), None))
        .collect();
    assert!(s.bulk_docs(&first).await.unwrap().iter().all(Result::is_ok));
    let mut batch: Vec<Edit> = ids
        .iter()
        .map(|id| Edit::put(*id, json!({"v": 2}), None))
        .collect();
    batch.extend((0..40).map(|i| Edit::put(format!("z:{i:03}"), json!({"v": 2}), None)));
    let results = s.bulk_docs(&batch).await.unwrap();
    assert!(
        matches!(results[0], Err(doorstep_store::DocError::Conflict { .. })),
        "{:?}",
        results[0]
    );
    assert!(
        matches!(results[1], Err(doorstep_store::DocError::Conflict { .. })),
        "{:?}",
        results[1]
    );
    assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 40);
    for id in ids {
        assert_eq!(s.get(id).await.unwrap().unwrap().body, json!({"v": 1}));
    }
}

/// How many entries the `atts` store holds (bytes are kept once per digest).
async fn att_entries(name: &str) -> u32 {
    let db = raw_open(name, SCHEMA_VERSION, |_| {}).await;
    let tx = db.transaction_with_str("atts").unwrap();
    let req = tx.object_store("atts").unwrap().count().unwrap();
    let p = Promise::new(&mut |resolve, reject| {
        req.set_onsuccess(Some(&resolve));
        req.set_onerror(Some(&reject));
    });
    JsFuture::from(p).await.unwrap();
    let n = req.result().unwrap().as_f64().unwrap() as u32;
    db.close();
    n
}

#[wasm_bindgen_test]
async fn attachment_cases_on_indexeddb() {
    for (k, (what, ops, expected)) in common::att_cases().into_iter().enumerate() {
        let name = format!("t-atts-{k}");
        let s = fresh(&name).await;
        let got = common::att_trace(&s, &ops).await;
        assert_eq!(got, expected, "{what}");
        s.backend().close();
        drop(s);
        assert_eq!(
            att_entries(&name).await,
            common::bytes_held(expected),
            "{what}: bytes kept once per digest"
        );
    }
}

#[wasm_bindgen_test]
async fn damaged_attachment_bytes_are_a_typed_error() {
    let name = "t-atts-damaged";
    let s = fresh(name).await;
    let bytes = b"\xff\xd8 a photo \xff\xd9".to_vec();
    let att = doorstep_store::Attachment {
        name: "photo-1.jpg".into(),
        content_type: "image/jpeg".into(),
        bytes: bytes.clone(),
    };
    s.put_with_attachments("step:J1:a", &json!({"job": "J1"}), None, &[att])
        .await
        .unwrap();
    assert_eq!(
        s.get_attachment("step:J1:a", "photo-1.jpg", None).await,
        Ok(Some(bytes.clone()))
    );
    s.backend().close();
    drop(s);
    // Other bytes under the same digest, as damaged storage would hold them.
    let db = raw_open(name, SCHEMA_VERSION, |_| {}).await;
    let other = js_sys::Uint8Array::from(&b"not the photo"[..]);
    raw_put(
        &db,
        "atts",
        &other,
        Some(&doorstep_store::attach::digest(&bytes)),
    )
    .await;
    db.close();
    let s = Store::new(IdbBackend::open(name).await.unwrap());
    assert_eq!(
        s.get_attachment("step:J1:a", "photo-1.jpg", None).await,
        Err(StoreError::AttachmentCorrupt {
            id: "step:J1:a".into(),
            name: "photo-1.jpg".into()
        })
    );
    // The step itself still reads, with its stub.
    let doc = s.get("step:J1:a").await.unwrap().unwrap();
    assert_eq!(
        doc.body["_attachments"]["photo-1.jpg"]["length"],
        json!(bytes.len())
    );
}

#[wasm_bindgen_test]
async fn migrates_a_version_4_database_keeping_everything() {
    let name = "t-migrate-v4";
    IdbBackend::delete(name).await.unwrap();
    // Version 4 as it was: records {id, seq, j, w, k}, `k` index, `local`, keys made.
    let db = raw_open(name, 4, |db| {
        let docs = version_1_stores(db);
        docs.create_index_with_str("k", "k").unwrap();
        db.create_object_store("local").unwrap();
    })
    .await;
    let rev = format!("1-{}", "e".repeat(32));
    let old = record(
        "job:v4",
        1,
        &format!(
            r#"{{"v":1,"id":"job:v4","seq":1,"revs":[{{"r":"{rev}","b":{{"day":"2026-12-02"}}}}]}}"#
        ),
    );
    Reflect::set(&old, &"k".into(), &"2026-12-02".into()).unwrap();
    Reflect::set(&old, &"w".into(), &r#"{"day":"2026-12-02"}"#.into()).unwrap();
    raw_put(&db, "docs", &old, None).await;
    raw_put(&db, "meta", &JsValue::from_f64(1.0), Some("update_seq")).await;
    raw_put(&db, "meta", &JsValue::from_f64(1.0), Some("index_version")).await;
    raw_put(&db, "local", &r#"{"who":"D002"}"#.into(), Some("device")).await;
    db.close();
    // Opened at 5: nothing rebuilt (keys and bodies stay valid), everything readable.
    let (s, current) =
        Store::indexed_unchecked(IdbBackend::open(name).await.unwrap(), common::BY_DAY)
            .await
            .unwrap();
    assert!(current, "the upgrade to 5 keeps the keys");
    assert_eq!(
        common::days(&s, "2026-12-02", "2026-12-03").await,
        ["job:v4"]
    );
    assert_eq!(
        s.get_local::<Value>("device").await.unwrap(),
        Some(json!({"who": "D002"}))
    );
    let bodies = s.by_key_bodies("2026-12-02", "2026-12-03").await.unwrap();
    assert_eq!(bodies[0].as_ref().unwrap().json, r#"{"day":"2026-12-02"}"#);
    // Photos work at once, on a new document and on the old one (same bytes: kept once).
    let photo = doorstep_store::Attachment {
        name: "photo-1.jpg".into(),
        content_type: "image/jpeg".into(),
        bytes: vec![7u8; 1000],
    };
    let old_rev: Rev = rev.parse().unwrap();
    s.put_with_attachments(
        "job:v4",
        &json!({"day": "2026-12-02"}),
        Some(&old_rev),
        std::slice::from_ref(&photo),
    )
    .await
    .unwrap();
    s.put_with_attachments(
        "step:J1:a",
        &json!({"job": "J1"}),
        None,
        std::slice::from_ref(&photo),
    )
    .await
    .unwrap();
    assert_eq!(s.info().await.unwrap().update_seq, 3);
    for id in ["job:v4", "step:J1:a"] {
        assert_eq!(
            s.get_attachment(id, "photo-1.jpg", None).await.unwrap(),
            Some(photo.bytes.clone())
        );
    }
    // The winner's body text keeps the stub only (no bytes).
    let bodies = s.by_key_bodies("2026-12-02", "2026-12-03").await.unwrap();
    let w = &bodies[0].as_ref().unwrap().json;
    assert!(w.contains(r#""stub":true"#) && !w.contains("data"), "{w}");
    s.backend().close();
    drop(s);
    assert_eq!(att_entries(name).await, 1);
}
