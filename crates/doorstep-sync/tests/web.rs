//! The browser transport on real `fetch` in headless Chromium: an oversize body and a
//! malformed reply end in typed errors and leave the local store as it was.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed unwrap is a failed test

use doorstep_store::{MemoryBackend, Store};
use doorstep_sync::web::{FetchError, FetchTransport, JsTimer};
use doorstep_sync::{
    replicate, Config, Direction, HttpRequest, Method, SyncError, Transport, TransportError,
};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn get(max_body: usize) -> HttpRequest {
    HttpRequest {
        method: Method::Get,
        path: String::new(),
        query: Vec::new(),
        body: None,
        max_body,
    }
}

/// A `blob:` URL serving `len` bytes.
fn blob_url(len: usize) -> String {
    let bytes = js_sys::Uint8Array::from(&vec![b'x'; len][..]);
    let blob = web_sys::Blob::new_with_u8_array_sequence(&js_sys::Array::of1(&bytes)).unwrap();
    web_sys::Url::create_object_url_with_blob(&blob).unwrap()
}

#[wasm_bindgen_test]
async fn an_oversize_body_is_refused_and_named() {
    let t = FetchTransport::new(&blob_url(64 << 10));
    assert_eq!(t.send(get(1024)).await, Err(TransportError::TooLarge(1024)));
    assert_eq!(t.last_error(), Some(FetchError::TooLarge(1024)));
    // Within the limit the same body is read whole, and the error is forgotten.
    let ok = t.send(get(1 << 20)).await.unwrap();
    assert_eq!((ok.status, ok.body.len()), (200, 64 << 10));
    assert_eq!(t.last_error(), None);
}

#[wasm_bindgen_test]
async fn a_malformed_reply_stores_nothing() {
    let store = Store::new(MemoryBackend::new());
    // Every request gets `{"not json…` back with status 200.
    let t = FetchTransport::new("data:application/json,{\"not json");
    let cfg = Config::new("db", "local", "remote", Direction::Pull, "s1");
    let r = replicate(&store, &t, &JsTimer, cfg).await;
    assert!(matches!(r, Err(SyncError::Malformed { .. })), "{r:?}");
    assert!(store.changes(0, 10).await.unwrap().results.is_empty());
}

#[wasm_bindgen_test]
async fn an_unreachable_server_is_offline() {
    // Port 9 (discard) on loopback: nothing listens, the connection is refused at once.
    let t = FetchTransport::new("http://127.0.0.1:9");
    let r = t.send(get(1024)).await;
    assert!(matches!(r, Err(TransportError::Network(_))), "{r:?}");
    assert_eq!(t.last_error(), Some(FetchError::Offline));
}
