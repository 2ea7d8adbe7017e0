//! The native transport: blocking HTTP/1.1 through `ureq` (feature `native`).
//!
//! Why `ureq`: small, synchronous (no async runtime to carry into the relay or the tests),
//! connection pooling, a body-size limit while reading, and plain HTTP without TLS crates
//! when its default features are off (TLS can be switched on for a remote CouchDB).

use crate::driver::{Timer, Transport};
use crate::http::{HttpRequest, HttpResponse, Method, TransportError};
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

pub struct HttpTransport {
    agent: ureq::Agent,
    base: String,
    auth: Option<String>,
}

impl HttpTransport {
    /// `base` is the server's URL (`http://127.0.0.1:5984`), without the database; a
    /// `user:password@` in it becomes a basic-auth header and is never sent in a URL.
    pub fn new(base: &str) -> HttpTransport {
        let (base, auth) = split_credentials(base.trim_end_matches('/'));
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(120)))
            .build();
        HttpTransport {
            agent: config.into(),
            base,
            auth,
        }
    }

    /// The server's URL without credentials (a stable `remote_id`).
    pub fn base(&self) -> &str {
        &self.base
    }

    fn send_blocking(&self, req: &HttpRequest) -> Result<HttpResponse, TransportError> {
        let net = |e: ureq::Error| TransportError::Network(e.to_string());
        let url = format!("{}{}", self.base, req.path_and_query());
        let mut b = ureq::http::Request::builder()
            .method(req.method.as_str())
            .uri(url);
        for (k, v) in req.headers() {
            b = b.header(k, v);
        }
        if let Some(a) = &self.auth {
            b = b.header("Authorization", a);
        }
        let bad = |e: ureq::http::Error| TransportError::Network(e.to_string());
        let mut resp = match (&req.body, req.method) {
            (Some(body), _) => self.agent.run(b.body(body.clone()).map_err(bad)?),
            (None, Method::Put | Method::Post) => self.agent.run(b.body(Vec::new()).map_err(bad)?),
            (None, Method::Get) => self.agent.run(b.body(()).map_err(bad)?),
        }
        .map_err(net)?;
        let status = resp.status().as_u16();
        let headers = resp
            .headers()
            .iter()
            .filter_map(|(k, v)| Some((k.as_str().to_owned(), v.to_str().ok()?.to_owned())))
            .collect();
        let body = resp
            .body_mut()
            .with_config()
            .limit(req.max_body as u64)
            .read_to_vec()
            .map_err(|e| match e {
                ureq::Error::BodyExceedsLimit(_) => TransportError::TooLarge(req.max_body),
                e => TransportError::Network(e.to_string()),
            })?;
        Ok(HttpResponse {
            status,
            headers,
            body,
        })
    }
}

impl Transport for HttpTransport {
    async fn send(&self, req: HttpRequest) -> Result<HttpResponse, TransportError> {
        self.send_blocking(&req)
    }
}

/// Sleeps the thread.
pub struct ThreadTimer;

impl Timer for ThreadTimer {
    async fn sleep(&self, ms: u64) {
        std::thread::sleep(Duration::from_millis(ms));
    }
}

/// Runs a future whose awaits all complete at once (the blocking transport, the thread
/// timer and the memory store): the native driver needs no async runtime.
pub fn block_on<F: Future>(f: F) -> F::Output {
    let mut f = pin!(f);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(v) = f.as_mut().poll(&mut cx) {
            return v;
        }
        std::thread::yield_now();
    }
}

fn split_credentials(url: &str) -> (String, Option<String>) {
    let Some((scheme, rest)) = url.split_once("://") else {
        return (url.to_owned(), None);
    };
    let (host_part, path) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    match host_part.rsplit_once('@') {
        Some((cred, host)) => (
            format!("{scheme}://{host}{path}"),
            Some(format!("Basic {}", base64(cred.as_bytes()))),
        ),
        None => (url.to_owned(), None),
    }
}

fn base64(bytes: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk.first().copied().unwrap_or(0),
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                let idx = ((n >> (18 - 6 * i)) & 63) as usize;
                out.push(char::from(T.get(idx).copied().unwrap_or(b'A')));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_leave_the_url() {
        assert_eq!(
            split_credentials("http://admin:s3cret@127.0.0.1:5984"),
            (
                "http://127.0.0.1:5984".to_owned(),
                Some("Basic YWRtaW46czNjcmV0".to_owned())
            )
        );
        assert_eq!(
            split_credentials("http://h:1/x"),
            ("http://h:1/x".to_owned(), None)
        );
        assert_eq!(base64(b"ab"), "YWI=");
        assert_eq!(base64(b"a"), "YQ==");
    }
}
