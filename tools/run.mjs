// `make run`: a local CouchDB-compatible sync server (pouchdb-server) on loopback with the
// demo data, and the PWA served from dist/. Ctrl-C stops both.
import { spawn, execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { serve } from "./serve.mjs";

const root = new URL("..", import.meta.url).pathname;
const COUCH_PORT = Number(process.env.COUCH_PORT || 5984);
const APP_PORT = Number(process.env.PORT || 8080);
const couch = `http://127.0.0.1:${COUCH_PORT}`;
const dir = `${root}target/pouchdb`;
mkdirSync(dir, { recursive: true });

const server = spawn(`${root}node_modules/.bin/pouchdb-server`, ["--host", "127.0.0.1", "--port", String(COUCH_PORT), "--dir", dir, "--config", `${dir}/config.json`, "--no-stdout-logs"], {
  cwd: dir,
  stdio: ["ignore", "inherit", "inherit"],
});
process.on("exit", () => server.kill());
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => process.exit(0));

async function waitFor(url, tries = 100) {
  for (let i = 0; i < tries; i++) {
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch {}
    await new Promise((ok) => setTimeout(ok, 200));
  }
  throw new Error(`sync server did not start at ${url}`);
}

await waitFor(`${couch}/`);
// The store's database with today's demo data (created once; documents already there stay).
const db = `${couch}/doorstep-s01`;
await fetch(db, { method: "PUT" });
const body = execFileSync(`${root}target/debug/doorstep`, ["demo"], { encoding: "utf8" });
const res = await fetch(`${db}/_bulk_docs`, { method: "POST", headers: { "content-type": "application/json" }, body });
const rows = await res.json();
const created = Array.isArray(rows) ? rows.filter((r) => r.ok).length : 0;
console.log(`Sync server: ${couch}/ (database doorstep-s01, ${created} demo documents added)`);

const app = await serve(`${root}dist`, APP_PORT);
console.log(`Doorstep: http://127.0.0.1:${app.address().port}/  (Ctrl-C to stop)`);
