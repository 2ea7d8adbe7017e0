// One way to start the local sync server (pouchdb-server on loopback), shared by `make run`
// (tools/run.mjs), the end-to-end tests (tests/e2e/sync-server.mjs) and the sync bench
// (tools/bench-sync.mjs).
import { spawn } from "node:child_process";
import { createServer } from "node:net";

const root = new URL("..", import.meta.url).pathname;

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once("error", fail);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

/** Resolves once `url` answers 2xx; throws after `tries` × 200 ms. */
export async function waitFor(url, tries = 150) {
  for (let i = 0; i < tries; i++) {
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch {}
    await new Promise((ok) => setTimeout(ok, 200));
  }
  throw new Error(`sync server did not start at ${url}`);
}

/**
 * Spawns pouchdb-server on 127.0.0.1:`port` with its data in `dir` and its settings in
 * `config`; `stderr` is where its errors go ("inherit" or "ignore"). Its request log is left
 * out. Resolves with the child process and its URL once it answers.
 */
export async function startPouchServer({ port, dir, config, stderr = "inherit", tries = 150 }) {
  const child = spawn(`${root}node_modules/.bin/pouchdb-server`, ["--host", "127.0.0.1", "--port", String(port), "--dir", dir, "--config", config, "--no-stdout-logs"], {
    cwd: dir,
    stdio: ["ignore", "ignore", stderr],
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor(`${url}/`, tries);
  } catch (e) {
    if (child.exitCode === null && child.signalCode === null) process.kill(child.pid);
    throw e;
  }
  return { child, url };
}
