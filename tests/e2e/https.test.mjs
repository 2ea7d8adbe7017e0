// Served as the bench serves it and as production does: HTTPS with HTTP/2 (tools/serve.mjs
// with tools/tls.mjs). The page is a secure context over a trusted connection, every file
// comes over HTTP/2, the service worker takes control, a lazy route opens, and the /couch
// proxy answers over HTTP/2 from a real pouchdb-server (hop-by-hop headers left behind).
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, startPouchServer } from "../../tools/couch.mjs";
import { startApp, waitForServiceWorker } from "./support.mjs";
import { TodayPage } from "./pages/today.mjs";

test("over HTTPS and HTTP/2: secure context, every file over h2, service worker, a lazy route, the sync proxy", async () => {
  const dir = mkdtempSync(join(tmpdir(), "doorstep-https-e2e-"));
  writeFileSync(join(dir, "config.json"), "{}\n");
  const couch = await startPouchServer({ port: await freePort(), dir, config: join(dir, "config.json") });
  const app = await startApp({ https: true, couch: couch.url });
  try {
    assert.match(app.base, /^https:/);
    const today = new TodayPage(app.page, app.base);
    await today.goto();
    assert.equal(await app.page.evaluate(() => window.isSecureContext), true);
    await waitForServiceWorker(app.page);

    const [first] = await today.jobIds(0);
    assert.ok(first, "today's list has a job");
    await today.openJob(first);
    await app.page.locator(".ds-job").waitFor();

    const protocols = await app.page.evaluate(() =>
      [...performance.getEntriesByType("navigation"), ...performance.getEntriesByType("resource")]
        .filter((e) => new URL(e.name).origin === location.origin && e.transferSize > 0)
        .map((e) => [new URL(e.name).pathname, e.nextHopProtocol]),
    );
    assert.ok(protocols.some(([p]) => p.endsWith(".wasm")), `wasm fetched over the network: ${JSON.stringify(protocols)}`);
    assert.deepEqual(protocols.filter(([, proto]) => proto !== "h2"), [], "every file over HTTP/2");

    const reply = await app.page.evaluate(async () => {
      const r = await fetch("/couch/");
      return { status: r.status, body: await r.json() };
    });
    assert.equal(reply.status, 200);
    assert.ok("couchdb" in reply.body || "express-pouchdb" in reply.body, JSON.stringify(reply.body));
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
    process.kill(couch.child.pid);
    rmSync(dir, { recursive: true, force: true });
  }
});
