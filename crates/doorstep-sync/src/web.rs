//! The browser's side of sync (feature `web`, wasm): a [`Transport`](crate::Transport)
//! over `fetch` ([`FetchTransport`]), CouchDB's `_session` login ([`login`], [`logout`],
//! [`session_user`]) and a `setTimeout` [`Timer`](crate::Timer) ([`JsTimer`]).
//!
//! Every request carries the browser's cookies (`credentials: include`): after [`login`],
//! the `AuthSession` cookie the server set is the only credential; no password is kept.
//! A request is aborted after its timeout (an `AbortController`), and a reply body is read
//! as a stream and dropped once it passes the request's limit.
//!
//! The reply checks ([`BodyLimit`], [`classify`], the `_session` replies) are pure and
//! build on every target, so they are tested natively.

use crate::http::TransportError;
use serde::Deserialize;
use thiserror::Error;

/// Why a browser request got no usable answer.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum FetchError {
    /// `fetch` failed before any answer: no connection, the server down, DNS, CORS.
    #[error("no connection to the server")]
    Offline,
    /// No complete answer within the timeout (the request was aborted).
    #[error("no answer within {0} ms")]
    Timeout(u32),
    #[error("reply larger than {0} bytes")]
    TooLarge(usize),
    /// An answer that is not what was asked for (cut off, not JSON, wrong fields).
    #[error("bad reply: {0}")]
    BadReply(String),
}

impl From<FetchError> for TransportError {
    /// Only an oversize body is final; the rest are worth a retry (the state machine's rule).
    fn from(e: FetchError) -> Self {
        match e {
            FetchError::TooLarge(n) => TransportError::TooLarge(n),
            e => TransportError::Network(e.to_string()),
        }
    }
}

/// What a failed `fetch` (or body read) means: `timed_out` says the transport's own timer
/// aborted it; `name` is the rejection's `name` (`TypeError`: a network failure).
pub fn classify(timed_out: bool, timeout_ms: u32, name: &str, message: &str) -> FetchError {
    if timed_out {
        FetchError::Timeout(timeout_ms)
    } else if name == "TypeError" || name == "NetworkError" {
        FetchError::Offline
    } else {
        FetchError::BadReply(format!("{name}: {message}"))
    }
}

/// A reply body read in chunks, refused as soon as it passes `max` bytes (or when the
/// server declares a longer `Content-Length` up front: nothing is read then).
#[derive(Debug)]
pub struct BodyLimit {
    max: usize,
    buf: Vec<u8>,
}

impl BodyLimit {
    pub fn new(max: usize, content_length: Option<&str>) -> Result<BodyLimit, FetchError> {
        match content_length.and_then(|v| v.trim().parse::<u64>().ok()) {
            Some(n) if n > max as u64 => Err(FetchError::TooLarge(max)),
            _ => Ok(BodyLimit {
                max,
                buf: Vec::new(),
            }),
        }
    }

    pub fn push(&mut self, chunk: &[u8]) -> Result<(), FetchError> {
        if self.buf.len().saturating_add(chunk.len()) > self.max {
            return Err(FetchError::TooLarge(self.max));
        }
        self.buf.extend_from_slice(chunk);
        Ok(())
    }

    pub fn finish(self) -> Vec<u8> {
        self.buf
    }
}

/// Who the server's session belongs to.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct SessionUser {
    pub name: String,
    #[serde(default)]
    pub roles: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum LoginError {
    /// 401 from `_session`: the name or the password is wrong.
    #[error("wrong name or password")]
    WrongPassword,
    #[error(transparent)]
    Fetch(#[from] FetchError),
    /// Any other status (the server's reason kept).
    #[error("the server answered {status}: {reason}")]
    Server { status: u16, reason: String },
}

/// The reply to `POST /_session` (`{"ok":true,"name":…,"roles":[…]}`).
pub fn login_reply(status: u16, body: &[u8]) -> Result<SessionUser, LoginError> {
    match status {
        200..=299 => serde_json::from_slice::<SessionUser>(body)
            .map_err(|e| FetchError::BadReply(format!("_session: {e}")).into()),
        401 => Err(LoginError::WrongPassword),
        _ => Err(server_error(status, body)),
    }
}

/// The reply to `GET /_session`: its `userCtx`; `None` when nobody is logged in.
pub fn session_reply(status: u16, body: &[u8]) -> Result<Option<SessionUser>, LoginError> {
    #[derive(Deserialize)]
    struct Ctx {
        name: Option<String>,
        #[serde(default)]
        roles: Vec<String>,
    }
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Reply {
        user_ctx: Ctx,
    }
    match status {
        200..=299 => {
            let r: Reply = serde_json::from_slice(body)
                .map_err(|e| FetchError::BadReply(format!("_session: {e}")))?;
            Ok(r.user_ctx.name.map(|name| SessionUser {
                name,
                roles: r.user_ctx.roles,
            }))
        }
        401 => Ok(None),
        _ => Err(server_error(status, body)),
    }
}

fn server_error(status: u16, body: &[u8]) -> LoginError {
    let v: serde_json::Value = serde_json::from_slice(body).unwrap_or_default();
    let reason = v
        .get("reason")
        .or_else(|| v.get("error"))
        .and_then(serde_json::Value::as_str)
        .unwrap_or_default()
        .chars()
        .take(200)
        .collect();
    LoginError::Server { status, reason }
}

#[cfg(all(feature = "web", target_arch = "wasm32"))]
pub use fetch::{login, logout, session_user, FetchTransport, JsTimer};

#[cfg(all(feature = "web", target_arch = "wasm32"))]
mod fetch {
    use super::{classify, login_reply, session_reply, BodyLimit, FetchError, LoginError};
    use super::{SessionUser, TransportError};
    use crate::driver::{Timer, Transport};
    use crate::http::{HttpRequest, HttpResponse};
    use std::cell::{Cell, RefCell};
    use std::rc::Rc;
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;
    use web_sys::{
        AbortController, Headers, ReadableStreamDefaultReader, Request, RequestCredentials,
        RequestInit, Response,
    };

    /// `_session` requests get this long.
    const SESSION_TIMEOUT_MS: u32 = 15_000;
    const SESSION_MAX_BODY: usize = 64 << 10;

    /// The replicator's transport in the browser: `base` + the request's path, cookies
    /// included. Keeps the last failure typed ([`FetchTransport::last_error`]) for the app's
    /// plain-words status (the state machine sees only retry-or-not).
    pub struct FetchTransport {
        base: String,
        timeout_ms: u32,
        last: RefCell<Option<FetchError>>,
    }

    impl FetchTransport {
        /// `base`: the server's URL or a same-origin path (`/couch`), no trailing slash
        /// needed. Requests time out after 60 s.
        pub fn new(base: &str) -> FetchTransport {
            FetchTransport {
                base: base.trim_end_matches('/').to_owned(),
                timeout_ms: 60_000,
                last: RefCell::new(None),
            }
        }

        pub fn with_timeout(mut self, ms: u32) -> FetchTransport {
            self.timeout_ms = ms;
            self
        }

        /// The last request's failure, if the last request failed.
        pub fn last_error(&self) -> Option<FetchError> {
            self.last.borrow().clone()
        }
    }

    impl Transport for FetchTransport {
        async fn send(&self, req: HttpRequest) -> Result<HttpResponse, TransportError> {
            let url = format!("{}{}", self.base, req.path_and_query());
            let r = fetch(
                &url,
                req.method.as_str(),
                &req.headers(),
                req.body.as_deref(),
                req.max_body,
                self.timeout_ms,
            )
            .await;
            *self.last.borrow_mut() = r.as_ref().err().cloned();
            r.map_err(TransportError::from)
        }
    }

    /// Pauses with the window's `setTimeout`.
    pub struct JsTimer;

    impl Timer for JsTimer {
        async fn sleep(&self, ms: u64) {
            let ms = i32::try_from(ms).unwrap_or(i32::MAX);
            let promise = js_sys::Promise::new(&mut |resolve, _| {
                let set = web_sys::window()
                    .map(|w| w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms));
                if !matches!(set, Some(Ok(_))) {
                    let _ = resolve.call0(&JsValue::NULL);
                }
            });
            let _ = JsFuture::from(promise).await;
        }
    }

    /// Logs in at `base`'s `_session`: the browser keeps the session cookie the server
    /// sets; the password goes nowhere else and is not kept.
    pub async fn login(base: &str, name: &str, password: &str) -> Result<SessionUser, LoginError> {
        let body = serde_json::json!({ "name": name, "password": password }).to_string();
        let r = session_request(base, "POST", Some(body.as_bytes())).await?;
        login_reply(r.status, &r.body)
    }

    /// Ends the server's session (the cookie is cleared by the server's answer).
    pub async fn logout(base: &str) -> Result<(), LoginError> {
        let r = session_request(base, "DELETE", None).await?;
        match r.status {
            200..=299 | 401 => Ok(()),
            status => Err(LoginError::Server {
                status,
                reason: String::from_utf8_lossy(&r.body).chars().take(200).collect(),
            }),
        }
    }

    /// Who the session cookie belongs to, `None` when it is missing or expired.
    pub async fn session_user(base: &str) -> Result<Option<SessionUser>, LoginError> {
        let r = session_request(base, "GET", None).await?;
        session_reply(r.status, &r.body)
    }

    async fn session_request(
        base: &str,
        method: &str,
        body: Option<&[u8]>,
    ) -> Result<HttpResponse, FetchError> {
        let mut headers = vec![("Accept", "application/json")];
        if body.is_some() {
            headers.push(("Content-Type", "application/json"));
        }
        let url = format!("{}/_session", base.trim_end_matches('/'));
        fetch(
            &url,
            method,
            &headers,
            body,
            SESSION_MAX_BODY,
            SESSION_TIMEOUT_MS,
        )
        .await
    }

    fn js_name(e: &JsValue) -> (String, String) {
        let get = |k: &str| {
            js_sys::Reflect::get(e, &JsValue::from_str(k))
                .ok()
                .and_then(|v| v.as_string())
                .unwrap_or_default()
        };
        (get("name"), get("message"))
    }

    /// One request: sent with cookies, aborted after `timeout_ms`, its body read up to
    /// `max_body` bytes.
    async fn fetch(
        url: &str,
        method: &str,
        headers: &[(&str, &str)],
        body: Option<&[u8]>,
        max_body: usize,
        timeout_ms: u32,
    ) -> Result<HttpResponse, FetchError> {
        let bad = |e: JsValue| {
            let (name, message) = js_name(&e);
            FetchError::BadReply(format!("{name}: {message}"))
        };
        let window = web_sys::window().ok_or_else(|| FetchError::BadReply("no window".into()))?;
        let controller = AbortController::new().map_err(bad)?;
        let init = RequestInit::new();
        init.set_method(method);
        init.set_credentials(RequestCredentials::Include);
        init.set_signal(Some(&controller.signal()));
        let h = Headers::new().map_err(bad)?;
        for (k, v) in headers {
            h.set(k, v).map_err(bad)?;
        }
        init.set_headers(&h);
        if let Some(b) = body {
            init.set_body(&js_sys::Uint8Array::from(b));
        }
        let request = Request::new_with_str_and_init(url, &init).map_err(bad)?;

        let timed_out = Rc::new(Cell::new(false));
        let on_timeout = {
            let (timed_out, controller) = (timed_out.clone(), controller.clone());
            Closure::<dyn FnMut()>::new(move || {
                timed_out.set(true);
                controller.abort();
            })
        };
        let timer = window
            .set_timeout_with_callback_and_timeout_and_arguments_0(
                on_timeout.as_ref().unchecked_ref(),
                i32::try_from(timeout_ms).unwrap_or(i32::MAX),
            )
            .map_err(bad)?;
        let failed = |e: JsValue| {
            let (name, message) = js_name(&e);
            classify(timed_out.get(), timeout_ms, &name, &message)
        };
        let result = async {
            let resp: Response = JsFuture::from(window.fetch_with_request(&request))
                .await
                .map_err(failed)?
                .dyn_into()
                .map_err(bad)?;
            let status = resp.status();
            // The one header the replicator reads.
            let headers = ["retry-after"]
                .into_iter()
                .filter_map(|k| Some((k.to_owned(), resp.headers().get(k).ok().flatten()?)))
                .collect();
            let limit = BodyLimit::new(
                max_body,
                resp.headers()
                    .get("content-length")
                    .ok()
                    .flatten()
                    .as_deref(),
            );
            if limit.is_err() {
                controller.abort();
            }
            let mut limit = limit?;
            if let Some(stream) = resp.body() {
                let reader: ReadableStreamDefaultReader = stream.get_reader().unchecked_into();
                loop {
                    let chunk = JsFuture::from(reader.read()).await.map_err(failed)?;
                    let done = js_sys::Reflect::get(&chunk, &JsValue::from_str("done"))
                        .ok()
                        .and_then(|v| v.as_bool())
                        .unwrap_or(true);
                    if done {
                        break;
                    }
                    let value =
                        js_sys::Reflect::get(&chunk, &JsValue::from_str("value")).map_err(bad)?;
                    let bytes = js_sys::Uint8Array::new(&value).to_vec();
                    if let Err(e) = limit.push(&bytes) {
                        controller.abort();
                        return Err(e);
                    }
                }
            }
            Ok(HttpResponse {
                status,
                headers,
                body: limit.finish(),
            })
        }
        .await;
        window.clear_timeout_with_handle(timer);
        drop(on_timeout);
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_are_named_by_what_happened() {
        let check = |timed_out, name: &str, expected: FetchError| {
            assert_eq!(classify(timed_out, 5000, name, "x"), expected, "{name}");
        };
        check(true, "AbortError", FetchError::Timeout(5000));
        check(true, "TypeError", FetchError::Timeout(5000));
        check(false, "TypeError", FetchError::Offline);
        check(
            false,
            "AbortError",
            FetchError::BadReply("AbortError: x".into()),
        );
        check(
            false,
            "SyntaxError",
            FetchError::BadReply("SyntaxError: x".into()),
        );
    }

    #[test]
    fn only_an_oversize_body_is_final_for_the_replicator() {
        let check = |e: FetchError, expected: TransportError| {
            assert_eq!(TransportError::from(e), expected);
        };
        check(FetchError::TooLarge(10), TransportError::TooLarge(10));
        check(
            FetchError::Offline,
            TransportError::Network("no connection to the server".into()),
        );
        check(
            FetchError::Timeout(7),
            TransportError::Network("no answer within 7 ms".into()),
        );
    }

    fn read(declared: Option<&str>, chunks: &[&[u8]]) -> Result<Vec<u8>, FetchError> {
        let mut limit = BodyLimit::new(8, declared)?;
        for c in chunks {
            limit.push(c)?;
        }
        Ok(limit.finish())
    }

    #[test]
    fn a_body_past_its_limit_is_refused() {
        let check =
            |declared: Option<&str>, chunks: &[&[u8]], expected: Result<&str, FetchError>| {
                let expected = expected.map(|s| s.as_bytes().to_vec());
                assert_eq!(read(declared, chunks), expected, "{declared:?}");
            };
        check(None, &[b"1234", b"5678"], Ok("12345678"));
        check(None, &[b"1234", b"56789"], Err(FetchError::TooLarge(8)));
        // A declared length past the limit: refused before reading (a 50 MB reply).
        check(Some("52428800"), &[], Err(FetchError::TooLarge(8)));
        // A declared length that lies small: the stream still counts.
        check(Some("2"), &[b"123456789"], Err(FetchError::TooLarge(8)));
        check(Some("junk"), &[b"12"], Ok("12"));
    }

    #[test]
    fn session_replies() {
        let user = |name: &str, roles: &[&str]| SessionUser {
            name: name.into(),
            roles: roles.iter().map(|r| r.to_string()).collect(),
        };
        assert_eq!(
            login_reply(200, br#"{"ok":true,"name":"D001","roles":["worker"]}"#),
            Ok(user("D001", &["worker"]))
        );
        assert_eq!(
            login_reply(
                401,
                br#"{"error":"unauthorized","reason":"Name or password is incorrect."}"#
            ),
            Err(LoginError::WrongPassword)
        );
        assert!(matches!(
            login_reply(200, b"<html>proxy error</html>"),
            Err(LoginError::Fetch(FetchError::BadReply(_)))
        ));
        assert!(matches!(
            login_reply(200, br#"{"ok":true,"name":7}"#),
            Err(LoginError::Fetch(FetchError::BadReply(_)))
        ));
        assert_eq!(
            login_reply(
                502,
                br#"{"error":"bad_gateway","reason":"sync server down"}"#
            ),
            Err(LoginError::Server {
                status: 502,
                reason: "sync server down".into()
            })
        );
        assert_eq!(
            session_reply(
                200,
                br#"{"ok":true,"userCtx":{"name":"D001","roles":["worker"]}}"#
            ),
            Ok(Some(user("D001", &["worker"])))
        );
        assert_eq!(
            session_reply(200, br#"{"ok":true,"userCtx":{"name":null,"roles":[]}}"#),
            Ok(None)
        );
        assert!(session_reply(200, br#"{"ok":true}"#).is_err());
    }
}
