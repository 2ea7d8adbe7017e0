// Login and sync against a real pouchdb-server, set up as `make run` does (accounts, workers'
// databases, the relay), the app reaching it through /couch on its own origin: a wrong
// password is refused in plain words; login replaces the demo data with worker D001's
// database; a confirmation written offline is pending and blocks logout; back online it
// reaches doorstep-w-d001 and, by the relay, the store's database; logout clears the device.
import { test } from "node:test";
import assert from "node:assert/strict";
import { startApp, indexedDbText, until, waitForServiceWorker } from "./support.mjs";
import { startSyncServer, STORE_DB } from "./sync-server.mjs";
import { TodayPage } from "./pages/today.mjs";
import { JobPage } from "./pages/job.mjs";
import { SettingsPage } from "./pages/settings.mjs";

const WORKER_DB = "doorstep-w-d001";

test("a worker logs in, syncs, works offline and logs out", async (t) => {
  const server = await startSyncServer();
  const app = await startApp({ couch: server.couch });
  try {
    const { page, base } = app;
    const settings = new SettingsPage(page, base);
    const today = new TodayPage(page, base);
    // The relay's first pass fills the worker's database.
    const orders = await until("the relay's orders for D001", async () => {
      const docs = await server.docs(WORKER_DB, "order:");
      return docs.length ? docs : null;
    });
    await today.goto();
    await settings.goto();
    assert.equal(await settings.sync().getAttribute("data-sync-user"), "");

    await t.test("a wrong password is refused with a clear message", async () => {
      const out = await settings.login("D001", "not-the-password");
      assert.equal(out.kind, "error");
      assert.match(out.text, /工号或密码不对/);
      assert.equal(await settings.sync().getAttribute("data-sync-user"), "");
    });

    await t.test("login brings D001's jobs from the server, not the demo", async () => {
      const out = await settings.login("D001", server.passwords.D001);
      assert.equal(out.kind, "in", out.text);
      await page.locator('[data-sync][data-sync-user="D001"]').waitFor();
      await settings.waitSynced();
      await settings.waitPending(0);
      assert.equal(await page.locator("[data-sync-password]").count(), 0, "no password entry while logged in");
      // Every order is the server's own revision (a demo seed would have made its own).
      const stored = await indexedDbText(page);
      for (const o of orders) assert.ok(stored.includes(o.rev), `${o.id} ${o.rev} came from the server`);
      assert.ok(!/"password"|not-the-password/.test(stored), "no password on the device");
      assert.ok(!stored.includes(server.passwords.D001), "no password on the device");
      await today.goto();
      assert.ok((await today.jobIds(0)).includes("J-1001"));
    });

    await t.test("a confirmation written offline is pending and blocks logout", async () => {
      // The app itself comes from the service worker's cache while offline.
      await waitForServiceWorker(page);
      await app.context.setOffline(true);
      const job = new JobPage(page, base);
      await job.goto("J-1001");
      await job.confirm("离线时确认：明早九点到");
      await settings.goto();
      await settings.syncNow();
      await settings.waitPending(1);
      await page.locator('[data-sync-problem="offline"]').waitFor();
      const out = await settings.logout();
      assert.equal(out.kind, "error");
      assert.match(out.text, /1 条记录未上传/);
      assert.match(out.text, /没有网络/);
      assert.equal(await settings.sync().getAttribute("data-sync-user"), "D001", "still logged in");
    });

    await t.test("back online it reaches the worker's database and, by the relay, the office's", async () => {
      await app.context.setOffline(false);
      await settings.waitPending(0);
      await page.locator('[data-sync-problem=""]').waitFor();
      const steps = await until("the step in " + WORKER_DB, async () => {
        const docs = await server.docs(WORKER_DB, "step:J-1001:");
        return docs.length ? docs : null;
      });
      const { body } = await server.asAdmin(`/${WORKER_DB}/${encodeURIComponent(steps[0].id)}`);
      assert.equal(body.by, "D001");
      assert.ok(JSON.stringify(body).includes("离线时确认：明早九点到"));
      await until("the step in " + STORE_DB, async () => {
        const docs = await server.docs(STORE_DB, "step:J-1001:");
        return docs.some((d) => d.id === steps[0].id);
      });
    });

    await t.test("logout clears the device", async () => {
      const out = await settings.logout();
      assert.equal(out.kind, "out", out.text);
      assert.equal(await settings.sync().getAttribute("data-sync-user"), "");
      const stored = await indexedDbText(page);
      assert.ok(!stored.includes("order:J-1001"), "no order left");
      assert.ok(!stored.includes("离线时确认"), "no step left");
      await today.goto();
      assert.deepEqual(await today.jobIds(0), []);
      // Nothing comes back on its own: the device is not seeded with demo data.
      await page.reload();
      await today.loaded();
      assert.deepEqual(await today.jobIds(0), []);
    });
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
    server.stop();
  }
});
