// Login and sync against a real pouchdb-server, set up as `make run` does (accounts, workers'
// databases, the relay), the app reaching it through /couch on its own origin: a wrong
// password is refused in plain words; login replaces the demo data with worker D001's
// database; a confirmation written offline is pending and blocks logout; back online it
// reaches doorstep-w-d001 and, by the relay, the store's database; a batch pulled while a note
// is typed leaves the note; a document the server refuses stays pending with the server's
// reason and is sent once allowed; logout clears the device.
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
    // Before login the device holds demo jobs, and says so.
    assert.match(await page.locator(".ds-page-head .ds-sub").textContent(), /演示数据，不是真实工单/);
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
      assert.equal(await page.locator(".ds-page-head .ds-sub").textContent(), "工号 D001", "real jobs are not called demo");
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

    await t.test("a batch pulled while a note is typed leaves the note alone", async () => {
      const job = new JobPage(page, base);
      await job.goto("J-1002");
      const typed = "客户说：钥匙在门卫处，先打电话";
      await job.noteInput().fill(typed);
      // The office's side writes a document for another of D001's jobs.
      const [first] = await server.docs(WORKER_DB, "step:J-1001:");
      const { body } = await server.asAdmin(`/${WORKER_DB}/${encodeURIComponent(first.id)}`);
      const id = "step:J-1007:e2e-pulled";
      const { _id, _rev, ...rest } = body;
      const put = await server.asAdmin(`/${WORKER_DB}/${encodeURIComponent(id)}`, { method: "PUT", body: JSON.stringify({ ...rest, job: "J-1007" }) });
      assert.equal(put.status, 201, JSON.stringify(put.body));
      // Back online starts a round: the document arrives while the worker types.
      await app.context.setOffline(true);
      await app.context.setOffline(false);
      await until("the pulled document on the device", async () => (await indexedDbText(page)).includes(id));
      await job.noteInput().press("End");
      await job.noteInput().pressSequentially("。");
      assert.equal(await job.noteInput().inputValue(), typed + "。", "the note being typed is intact");
    });

    await t.test("a document the server refuses stays pending with its reason, and goes once allowed", async () => {
      const reason = "维护中：暂不接收记录";
      const hold = await server.asAdmin(`/${WORKER_DB}/_design/hold`, {
        method: "PUT",
        body: JSON.stringify({
          validate_doc_update: `function (doc, old, user) { if (user.roles.indexOf("_admin") < 0) throw { forbidden: ${JSON.stringify(reason)} }; }`,
        }),
      });
      assert.equal(hold.status, 201, JSON.stringify(hold.body));
      const job = new JobPage(page, base);
      await job.goto("J-1002");
      await job.confirm("服务器拒收时确认");
      await settings.goto();
      await settings.syncNow();
      const refused = page.locator('[data-sync-refused="1"]');
      await refused.waitFor({ timeout: 30000 });
      assert.match(await refused.textContent(), /step:J-1002:/);
      assert.ok((await refused.textContent()).includes(reason), "the server's reason, in its words");
      await settings.waitPending(1);
      assert.equal((await server.docs(WORKER_DB, "step:J-1002:")).length, 0, "nothing of it on the server");
      // A second round does not skip it either, and what it pulls above it is not pending.
      const [first] = await server.docs(WORKER_DB, "step:J-1001:");
      const { body } = await server.asAdmin(`/${WORKER_DB}/${encodeURIComponent(first.id)}`);
      const { _id, _rev, ...rest } = body;
      const office = "step:J-1007:e2e-while-held";
      const put = await server.asAdmin(`/${WORKER_DB}/${encodeURIComponent(office)}`, { method: "PUT", body: JSON.stringify({ ...rest, job: "J-1007" }) });
      assert.equal(put.status, 201, JSON.stringify(put.body));
      await settings.waitSynced();
      await settings.syncNow();
      await until("the document pulled above the refused one", async () => (await indexedDbText(page)).includes(office));
      await settings.waitSynced();
      await settings.waitPending(1);
      // The office lifts the hold: the next round sends it.
      await server.asAdmin(`/${WORKER_DB}/_design/hold?rev=${hold.body.rev}`, { method: "DELETE" });
      await settings.syncNow();
      await settings.waitPending(0);
      // The refusal goes with the round that sent it.
      await page.locator("[data-sync-refused]").waitFor({ state: "detached", timeout: 30000 });
      const sent = await server.docs(WORKER_DB, "step:J-1002:");
      assert.equal(sent.length, 1);
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
