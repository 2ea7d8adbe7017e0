// Sync throughput for `make bench` (issue 13): pull and push of `docs` documents between the
// app's replicator in Chromium (crates/doorstep-bench `sync_push` / `sync_pull`: the store on
// real IndexedDB, `doorstep_sync::web::FetchTransport`, `driver::replicate`) and a real
// pouchdb-server process, beside PouchDB 9 (its IndexedDB adapter, default replication
// options) in the same page, against the same server, in the same run.
//   - Chromium with a persistent profile of its own, so that IndexedDB is on disk.
//   - Both sides reach the server the same way: the bench page is served with /couch proxied
//     to it (tools/serve.mjs), as the app reaches its server. Admin party (no admin set).
//   - Each run replicates into a fresh local database, and with a fresh remote database of
//     its own (created and filled from node before, deleted after), so that neither side
//     benefits from the other's data or checkpoints.
//   - Rounds alternate which side goes first; ratios compare the two runs of one round
//     (ours/PouchDB as docs/s, higher is better), then the median over rounds.
//   - The server's ceiling, printed as the limit: one `_bulk_docs` of the same documents with
//     new_edits=false posted from node (push), one `_all_docs?include_docs=true` read (pull).
// `node tools/bench.mjs --sync` runs this part alone (BENCH_SYNC_DOCS, BENCH_SYNC_ROUNDS;
// BENCH_SYNC_POUCH_BATCH sets PouchDB's batch_size, e.g. 200 as ours).
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { serve } from "./serve.mjs";
import { freePort, startPouchServer } from "./couch.mjs";
import { freshProfileDir, launchOptions } from "./chromium.mjs";

const root = new URL("..", import.meta.url).pathname;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/// A pouchdb-server on a free loopback port with its own data directory; `stop()` ends it.
async function startServer() {
  const dir = mkdtempSync(join(tmpdir(), "doorstep-bench-sync-"));
  const port = await freePort();
  const config = join(dir, "config.json");
  writeFileSync(config, "{}\n");
  let server;
  try {
    server = await startPouchServer({ port, dir, config });
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  const { child, url: couch } = server;
  const stop = () => {
    if (child.exitCode === null && child.signalCode === null) process.kill(child.pid);
    rmSync(dir, { recursive: true, force: true });
  };
  return { couch, stop };
}

/// The bench document `i` (crates/doorstep-bench `bench_doc`, as the store write bench writes it).
export const benchDoc = (i) => ({ _id: `doc:${String(i).padStart(6, "0")}`, i, customer: "王女士", items: [{ code: "daily_clean", quantity: 3 }], note: "重点清洁厨房，家里有猫" });

/// The same documents as a replicator sends them (a first revision each, new_edits=false).
function replicated(n) {
  const docs = [];
  for (let i = 0; i < n; i++) {
    const d = benchDoc(i);
    const hash = createHash("md5").update(JSON.stringify(d)).digest("hex");
    docs.push({ ...d, _rev: `1-${hash}`, _revisions: { start: 1, ids: [hash] } });
  }
  return docs;
}

/// `pouchBatch`: PouchDB's `batch_size` (its default, 100, when not given).
export async function syncBench({ dist, docs: N = 10000, rounds = 3, pouchBatch = null, log = () => {} }) {
  const pouchOptions = pouchBatch ? { batch_size: pouchBatch } : {};
  const server = await startServer();
  const web = await serve(dist, 0, "127.0.0.1", { couch: server.couch });
  const base = `http://127.0.0.1:${web.address().port}`;
  // A persistent profile: IndexedDB on disk as on a phone (a fresh context keeps it in memory).
  const profile = freshProfileDir("doorstep-bench-sync-");
  const context = await chromium.launchPersistentContext(profile, launchOptions());
  try {
    const call = async (method, path, body) => {
      const r = await fetch(`${server.couch}${path}`, { method, headers: { "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
      const text = await r.text();
      if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${text.slice(0, 200)}`);
      return JSON.parse(text);
    };
    const fresh = async (db) => {
      await fetch(`${server.couch}/${db}`, { method: "DELETE" });
      await call("PUT", `/${db}`);
    };
    const count = async (db) => (await call("GET", `/${db}`)).doc_count;
    const payloads = new Map();
    // The server's ceiling for a push: the whole set in one `_bulk_docs` from node (ms).
    const fill = async (db, n = N) => {
      if (!payloads.has(n)) payloads.set(n, JSON.stringify({ docs: replicated(n), new_edits: false }));
      const payload = payloads.get(n);
      await fresh(db);
      const t0 = performance.now();
      const r = await fetch(`${server.couch}/${db}/_bulk_docs`, { method: "POST", headers: { "content-type": "application/json" }, body: payload });
      const rows = await r.json();
      const ms = performance.now() - t0;
      if (!r.ok || rows.some((row) => row.error)) throw new Error(`filling ${db}: ${r.status}`);
      return ms;
    };
    // ...and for a pull: the whole set with its bodies in one read (ms).
    const readAll = async (db) => {
      const t0 = performance.now();
      const r = await fetch(`${server.couch}/${db}/_all_docs?include_docs=true`);
      const body = await r.json();
      const ms = performance.now() - t0;
      if (body.rows.length !== N) throw new Error(`_all_docs of ${db}: ${body.rows.length} rows`);
      return ms;
    };

    const page = context.pages()[0] || (await context.newPage());
    page.on("pageerror", (e) => console.error("bench page error:", e));
    await page.goto(`${base}/bench/index.html`);
    await page.waitForFunction(() => window.benchReady === true);
    await page.addScriptTag({ url: "/bench/pouchdb.min.js" });

    const ours = {
      push: (db, n) => page.evaluate(async ({ db, n }) => JSON.parse(await window.bench.sync_push("/couch", db, "bench-sync-push", n)), { db, n }),
      pull: (db) => page.evaluate(async ({ db }) => JSON.parse(await window.bench.sync_pull("/couch", db, "bench-sync-pull")), { db }),
    };
    const pouch = {
      push: (db, n) =>
        page.evaluate(
          async ({ db, n, options }) => {
            await new PouchDB("bench-pouch-sync-push").destroy();
            const local = new PouchDB("bench-pouch-sync-push");
            const docs = [];
            for (let i = 0; i < n; i++) docs.push({ _id: `doc:${String(i).padStart(6, "0")}`, i, customer: "王女士", items: [{ code: "daily_clean", quantity: 3 }], note: "重点清洁厨房，家里有猫" });
            if ((await local.bulkDocs(docs)).some((r) => r.error)) throw new Error("pouch write refused");
            const remote = new PouchDB(`${location.origin}/couch/${db}`, { skip_setup: true });
            const t0 = performance.now();
            const r = await PouchDB.replicate(local, remote, options);
            const ms = performance.now() - t0;
            await local.close();
            await remote.close();
            return { ms, docs: r.docs_written };
          },
          { db, n, options: pouchOptions },
        ),
      pull: (db) =>
        page.evaluate(
          async ({ db, options }) => {
            await new PouchDB("bench-pouch-sync-pull").destroy();
            const local = new PouchDB("bench-pouch-sync-pull");
            const remote = new PouchDB(`${location.origin}/couch/${db}`, { skip_setup: true });
            const t0 = performance.now();
            const r = await PouchDB.replicate(remote, local, options);
            const ms = performance.now() - t0;
            const stored = (await local.info()).doc_count;
            await local.close();
            await remote.close();
            return { ms, docs: r.docs_written, stored };
          },
          { db, options: pouchOptions },
        ),
    };

    // One push and one pull of each side; checks that every document arrived.
    const runPush = async (side, name, db, n) => {
      await fresh(db);
      const r = await side.push(db, n);
      const held = await count(db);
      if (held !== n) throw new Error(`${name} push: the server holds ${held} of ${n}`);
      await fetch(`${server.couch}/${db}`, { method: "DELETE" });
      return r;
    };
    const runPull = async (side, name, db, n) => {
      const r = await side.pull(db);
      if (r.stored !== n) throw new Error(`${name} pull: stored ${r.stored} of ${n}`);
      await fetch(`${server.couch}/${db}`, { method: "DELETE" });
      return r;
    };

    // A warm-up of each (compiles, caches), not counted.
    const W = Math.min(N, 1000);
    await runPush(ours, "ours", "warm-ours", W);
    await runPush(pouch, "PouchDB", "warm-pouch", W);
    await fill("warm-src", W);
    await runPull(ours, "ours", "warm-src", W);
    await fill("warm-src", W);
    await runPull(pouch, "PouchDB", "warm-src", W);

    const R = { push: { ours: [], pouch: [], ratio: [] }, pull: { ours: [], pouch: [], ratio: [] }, ceiling: { bulk_docs: [], all_docs: [] } };
    for (let i = 0; i < rounds; i++) {
      const oursFirst = i % 2 === 0;
      const order = oursFirst ? [["ours", ours], ["pouch", pouch]] : [["pouch", pouch], ["ours", ours]];
      const got = {};
      for (const [name, side] of order) got[name] = await runPush(side, name, `push-${name}-${i}`, N);
      R.push.ours.push(got.ours);
      R.push.pouch.push(got.pouch);
      R.push.ratio.push(got.pouch.ms / got.ours.ms);
      log(`sync round ${i + 1}/${rounds} push: ours ${got.ours.ms.toFixed(0)} ms · PouchDB ${got.pouch.ms.toFixed(0)} ms`);
      for (const [name] of order) {
        R.ceiling.bulk_docs.push(await fill(`pull-${name}-${i}`));
      }
      R.ceiling.all_docs.push(await readAll(`pull-ours-${i}`));
      const pulled = {};
      for (const [name, side] of order) pulled[name] = await runPull(side, name, `pull-${name}-${i}`, N);
      R.pull.ours.push(pulled.ours);
      R.pull.pouch.push(pulled.pouch);
      R.pull.ratio.push(pulled.pouch.ms / pulled.ours.ms);
      log(`sync round ${i + 1}/${rounds} pull: ours ${pulled.ours.ms.toFixed(0)} ms · PouchDB ${pulled.pouch.ms.toFixed(0)} ms`);
    }
    const perSec = (ms) => (N / ms) * 1000;
    const side = (runs) => {
      const ms = median(runs.map((r) => r.ms));
      // The run whose time is the median, for its phases.
      const typical = runs.find((r) => r.ms === ms);
      return { ms, docs_per_s: perSec(ms), runs_ms: runs.map((r) => r.ms), ...(typical.http ? { typical } : {}) };
    };
    const direction = (d) => ({ ours: side(d.ours), pouchdb: side(d.pouch), ratio: median(d.ratio), ratios: d.ratio });
    const bulk = median(R.ceiling.bulk_docs), all = median(R.ceiling.all_docs);
    return {
      docs: N,
      rounds,
      pouchdb_options: pouchBatch ? `batch_size ${pouchBatch}, batches_limit 10` : "defaults (batch_size 100, batches_limit 10)",
      ours_options: "doorstep_sync::Config::new defaults (batch_size 200)",
      push: { ...direction(R.push), ceiling: { what: "one _bulk_docs new_edits=false from node", ms: bulk, docs_per_s: perSec(bulk) } },
      pull: { ...direction(R.pull), ceiling: { what: "one _all_docs?include_docs=true from node", ms: all, docs_per_s: perSec(all) } },
    };
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
    web.close();
    web.closeAllConnections?.();
    server.stop();
  }
}

/// Table rows and budget checks of `syncBench`'s figures.
export function syncReport(s) {
  const f = (x, d = 0) => Number(x).toFixed(d);
  const each = (p) => Object.entries(p).map(([k, v]) => `${k} ${f(v.ms)}`).join(", ");
  const phases = (t) => `server ${f(t.http_ms)} ms (${each(t.http)}) · IndexedDB ${f(t.store_ms)} ms (${each(t.store)}) · rest ${f(t.rest_ms)} ms`;
  const row = (dir, d) => [
    [`sync ${dir} ${s.docs} docs (median of ${s.rounds})`, `ours ${f(d.ours.ms)} ms (${f(d.ours.docs_per_s)} docs/s) · PouchDB ${f(d.pouchdb.ms)} ms (${f(d.pouchdb.docs_per_s)} docs/s) → ${f(d.ratio, 2)}× PouchDB`],
    [`  server ceiling (${d.ceiling.what})`, `${f(d.ceiling.ms)} ms (${f(d.ceiling.docs_per_s)} docs/s)`],
    [`  ours: where the median run's time went`, phases(d.ours.typical)],
  ];
  return {
    rows: [...row("push", s.push), ...row("pull", s.pull)],
    budgets: [
      ["sync push ≥ 1.0× PouchDB", s.push.ratio >= 1.0],
      ["sync pull ≥ 1.0× PouchDB", s.pull.ratio >= 1.0],
    ],
  };
}
