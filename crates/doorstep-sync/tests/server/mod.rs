//! A real `pouchdb-server` process for the interop tests: started on 127.0.0.1 on a free
//! port with a LevelDB directory of its own under the system's temp dir, killed (and the
//! directory removed) when dropped. Needs node and `node_modules` (`make setup` = `npm ci`).
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use doorstep_sync::native::{block_on, HttpTransport};
use doorstep_sync::{HttpRequest, Method, Transport};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Server {
    child: Option<Child>,
    pub port: u16,
    pub dir: PathBuf,
    bin: PathBuf,
}

fn bin() -> PathBuf {
    let bin =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../node_modules/.bin/pouchdb-server");
    let node = Command::new("node").arg("--version").output();
    assert!(
        node.is_ok_and(|o| o.status.success()),
        "node is not on PATH: the interop tests run a real pouchdb-server (run `make setup`)"
    );
    assert!(
        bin.exists(),
        "pouchdb-server not found at {}: run `npm ci` in the repository (or `make setup`)",
        bin.display()
    );
    bin
}

impl Server {
    pub fn start() -> Server {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let dir = std::env::temp_dir().join(format!("doorstep-sync-{}-{port}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut s = Server {
            child: None,
            port,
            dir,
            bin: bin(),
        };
        s.spawn();
        s
    }

    fn spawn(&mut self) {
        let child = Command::new(&self.bin)
            .args(["--host", "127.0.0.1", "--port", &self.port.to_string()])
            .arg("--dir")
            .arg(&self.dir)
            .arg("--config")
            .arg(self.dir.join("config.json"))
            .arg("--no-stdout-logs")
            .current_dir(&self.dir)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start pouchdb-server");
        self.child = Some(child);
        let t = self.transport();
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok(r) = block_on(t.send(req(Method::Get, "/", None))) {
                if r.status == 200 {
                    return;
                }
            }
            assert!(
                Instant::now() < deadline,
                "pouchdb-server did not answer on port {} within 60 s",
                self.port
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn transport(&self) -> HttpTransport {
        HttpTransport::new(&self.url())
    }

    /// Kills the process at once (SIGKILL), as a crash would.
    pub fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    pub fn is_up(&self) -> bool {
        self.child.is_some()
    }

    pub fn restart(&mut self) {
        self.kill();
        self.spawn();
    }

    pub fn create_db(&self, db: &str) {
        let r = block_on(
            self.transport()
                .send(req(Method::Put, &format!("/{db}"), None)),
        )
        .unwrap();
        assert!(
            r.status == 201 || r.status == 412,
            "create {db}: {}",
            r.status
        );
    }

    /// A GET on the server, parsed.
    pub fn get(&self, path: &str) -> (u16, serde_json::Value) {
        let r = block_on(self.transport().send(req(Method::Get, path, None))).unwrap();
        (
            r.status,
            serde_json::from_slice(&r.body).unwrap_or(serde_json::Value::Null),
        )
    }
}

pub fn req(method: Method, path_and_query: &str, body: Option<Vec<u8>>) -> HttpRequest {
    let (path, query) = path_and_query
        .split_once('?')
        .unwrap_or((path_and_query, ""));
    HttpRequest {
        method,
        path: path.into(),
        query: query
            .split('&')
            .filter(|kv| !kv.is_empty())
            .map(|kv| {
                let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
                (k.into(), v.into())
            })
            .collect(),
        body,
        max_body: 64 << 20,
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Prints a figure as one JSON line and keeps it in `target/tmp/sync-figures/<name>.json`
/// (`make test-native` prints them after the test counts).
pub fn figure(name: &str, value: serde_json::Value) {
    let line = serde_json::json!({ "figure": name, "values": value }).to_string();
    println!("{line}");
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("sync-figures");
    let _ = std::fs::create_dir_all(&dir);
    let _ = std::fs::write(dir.join(format!("{name}.json")), line + "\n");
}
