//! Attachments over the memory backend: the shared cases of `common::att_cases`, plus what
//! only this backend shows (its snapshot: bytes kept once; damaged bytes). The same cases
//! run over IndexedDB in `tests/web.rs`.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed unwrap is a failed test
mod common;

use common::{att_cases, att_trace, block_on};
use doorstep_store::attach::digest;
use doorstep_store::{Attachment, MemoryBackend, Store, StoreError};
use serde_json::json;

fn check(ops: &[common::AttOp], expected: &str) -> Store<MemoryBackend> {
    let s = Store::new(MemoryBackend::new());
    let got = block_on(att_trace(&s, ops));
    assert_eq!(got, expected);
    s
}

#[test]
fn attachment_cases() {
    for (what, ops, expected) in att_cases() {
        eprintln!("case: {what}");
        let s = check(&ops, expected);
        // Kept once per digest: as many byte entries as digests held.
        let snap = s.backend().snapshot();
        assert_eq!(
            snap.attachments.len() as u32,
            common::bytes_held(expected),
            "{what}"
        );
    }
}

fn jpeg(name: &str, bytes: &[u8]) -> Attachment {
    Attachment {
        name: name.into(),
        content_type: "image/jpeg".into(),
        bytes: bytes.to_vec(),
    }
}

#[test]
fn damaged_bytes_are_a_typed_error_never_a_panic() {
    block_on(async {
        let s = Store::new(MemoryBackend::new());
        s.put_with_attachments(
            "step:J1:a",
            &json!({"job": "J1"}),
            None,
            &[jpeg("photo-1.jpg", b"good")],
        )
        .await
        .unwrap();
        let mut snap = s.backend().snapshot();
        let d = digest(b"good");
        assert_eq!(snap.attachments.len(), 1);
        // The bytes changed on disk (base64 of other bytes under the same digest).
        snap.attachments
            .insert(d.clone(), doorstep_store::attach::encode_base64(b"evil"));
        let t = Store::new(MemoryBackend::restore(&snap).unwrap());
        assert_eq!(
            t.get_attachment("step:J1:a", "photo-1.jpg", None).await,
            Err(StoreError::AttachmentCorrupt {
                id: "step:J1:a".into(),
                name: "photo-1.jpg".into()
            })
        );
        // The body with its stub still reads; unknown names and documents are `None`.
        let doc = t.get("step:J1:a").await.unwrap().unwrap();
        assert_eq!(doc.body["_attachments"]["photo-1.jpg"]["digest"], json!(d));
        assert_eq!(t.get_attachment("step:J1:a", "x.jpg", None).await, Ok(None));
        assert_eq!(
            t.get_attachment("nope", "photo-1.jpg", None).await,
            Ok(None)
        );
        // Pushing it would send damaged bytes: refused the same way.
        let rev = doc.rev.clone();
        assert!(matches!(
            t.open_revs_with_data("step:J1:a", &[rev], &[]).await,
            Err(StoreError::AttachmentCorrupt { .. })
        ));
        // Bytes gone from disk: missing, typed.
        snap.attachments.clear();
        let u = Store::new(MemoryBackend::restore(&snap).unwrap());
        assert!(matches!(
            u.get_attachment("step:J1:a", "photo-1.jpg", None).await,
            Err(StoreError::AttachmentMissing { .. })
        ));
    });
}

#[test]
fn inline_bytes_that_do_not_match_their_digest_are_refused() {
    let doc = json!({"_id": "s", "_rev": format!("1-{}", "a".repeat(32)), "_attachments": {
        "photo-1.jpg": {"content_type": "image/jpeg", "digest": digest(b"one"),
                        "data": doorstep_store::attach::encode_base64(b"two")}}});
    assert!(matches!(
        doorstep_store::Edit::from_couch(doc, false),
        Err(doorstep_store::DocError::DigestMismatch { .. })
    ));
}

#[test]
fn open_revs_with_data_sends_only_what_the_ancestor_lacks() {
    block_on(async {
        let s = Store::new(MemoryBackend::new());
        let r1 = s
            .put_with_attachments("s", &json!({}), None, &[jpeg("photo-1.jpg", b"one")])
            .await
            .unwrap();
        let r2 = s
            .put_with_attachments(
                "s",
                &json!({}),
                Some(&r1),
                &[jpeg("photo-1.jpg", b"one"), jpeg("photo-2.jpg", b"two")],
            )
            .await
            .unwrap();
        let names = |v: &serde_json::Value| -> Vec<(String, bool)> {
            v["_attachments"]
                .as_object()
                .unwrap()
                .iter()
                .map(|(n, a)| (n.clone(), a.get("data").is_some()))
                .collect()
        };
        // The other side holds r1: photo-1 (revpos 1) goes as a stub, photo-2 with data.
        let got = s
            .open_revs_with_data("s", std::slice::from_ref(&r2), std::slice::from_ref(&r1))
            .await
            .unwrap();
        let doc = got[0].as_ref().unwrap();
        assert_eq!(
            names(doc),
            [("photo-1.jpg".into(), false), ("photo-2.jpg".into(), true)]
        );
        // It holds nothing: all data.
        let got = s
            .open_revs_with_data("s", std::slice::from_ref(&r2), &[])
            .await
            .unwrap();
        assert_eq!(
            names(got[0].as_ref().unwrap()),
            [("photo-1.jpg".into(), true), ("photo-2.jpg".into(), true)]
        );
        // What is sent, a second store takes as is: the same stubs, the same bytes.
        let t = Store::new(MemoryBackend::new());
        let edit = doorstep_store::Edit::from_couch(got[0].clone().unwrap(), false).unwrap();
        t.bulk_docs(&[edit]).await.unwrap().pop().unwrap().unwrap();
        assert_eq!(t.get("s").await.unwrap(), s.get("s").await.unwrap());
        assert_eq!(
            t.get_attachment("s", "photo-2.jpg", Some(&r2))
                .await
                .unwrap(),
            Some(b"two".to_vec())
        );
    });
}
