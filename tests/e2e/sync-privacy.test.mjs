// Privacy after a real sync: the office's database holds every customer; worker D001's phone,
// after logging in and syncing through the relay, holds (in IndexedDB, read raw) and shows (in
// the DOM of every page it has) no other worker's customer, no worker's phone number, and no
// detailed address of D001's own jobs outside their window: one three days out and one already
// completed, each with a customer of its own. The first pull shows "n of m documents"; an order
// holding two leaves shows a plain note that another version exists. After logout
// nothing of D001 stays in IndexedDB.
import { test } from "node:test";
import assert from "node:assert/strict";
import { startApp, indexedDbText, OUT, until } from "./support.mjs";
import { startSyncServer, STORE_DB } from "./sync-server.mjs";
import { TodayPage } from "./pages/today.mjs";
import { JobPage } from "./pages/job.mjs";
import { SettingsPage } from "./pages/settings.mjs";

const WORKER_DB = "doorstep-w-d001";

// Other workers' customers (name, phone, address) and every worker's phone number.
const OTHERS = ["孙阿姨", "13900000003", "漕溪北路", "周女士", "13900000004", "南京西路", "13800000001", "13800000002", "13800000003", "13800000004"];
// D001's own jobs outside the privacy window: their customers' contact and detailed address.
const LATER = { name: "钱先生", phone: "13900000077", detail: "虹桥路 777 弄 7 号 707 室" };
const DONE = { name: "冯女士", phone: "13900000088", detail: "延安东路 888 号 8 楼" };
const OUTSIDE = [LATER.phone, LATER.detail, "虹桥路", DONE.name, DONE.phone, DONE.detail, "延安东路"];

/** Adds to document `id` in the phone's store a root leaf `rev` whose body is `edit` of the
 * winner's: two live leaves, the stored winner unchanged (its id is larger). */
async function addLeaf(page, id, rev, edit) {
  const winner = await page.evaluate(async (id) => {
    const db = await new Promise((ok, fail) => {
      const r = indexedDB.open("doorstep");
      r.onsuccess = () => ok(r.result);
      r.onerror = () => fail(r.error);
    });
    const got = await new Promise((ok, fail) => {
      const r = db.transaction("docs").objectStore("docs").get(id);
      r.onsuccess = () => ok(r.result);
      r.onerror = () => fail(r.error);
    });
    db.close();
    return got.w;
  }, id);
  const body = edit(JSON.parse(winner));
  await page.evaluate(
    async ({ id, rev, body }) => {
      const db = await new Promise((ok, fail) => {
        const r = indexedDB.open("doorstep");
        r.onsuccess = () => ok(r.result);
        r.onerror = () => fail(r.error);
      });
      await new Promise((ok, fail) => {
        const tx = db.transaction("docs", "readwrite");
        const docs = tx.objectStore("docs");
        const get = docs.get(id);
        get.onsuccess = () => {
          const rec = JSON.parse(get.result.j);
          const nodes = Array.isArray(rec.revs) ? rec.revs : rec.revs.nodes;
          nodes.push({ r: rev, b: body });
          docs.put({ ...get.result, j: JSON.stringify(rec) });
        };
        tx.oncomplete = ok;
        tx.onerror = () => fail(tx.error);
      });
      db.close();
    },
    { id, rev, body },
  );
}

/** Adds to the office's database a customer and a job of D001's, `days` after J-1001's day. */
async function addJob(server, id, customer, who, days, status) {
  const base = (await server.asAdmin(`/${STORE_DB}/job:J-1001`)).body;
  const shift = (t) => new Date(Date.parse(t + "Z") + days * 86400000).toISOString().slice(0, 19);
  const a = base.assignment;
  const j = base.job;
  const docs = [
    { _id: `customer:${customer}`, id: customer, store: j.store, name: who.name, phone: who.phone, notes: "", address: { district: "徐汇区", detail: who.detail } },
    {
      _id: `job:${id}`,
      confirmation: null,
      assignment: { ...a, job: id, start: shift(a.start), end: shift(a.end) },
      job: { ...j, id, customer, status, special_requests: "", window: { start: shift(j.window.start), end: shift(j.window.end) } },
    },
  ];
  const { status: code, body } = await server.asAdmin(`/${STORE_DB}/_bulk_docs`, { method: "POST", body: JSON.stringify({ docs }) });
  assert.equal(code, 201, JSON.stringify(body));
  for (const r of body) assert.ok(r.ok, JSON.stringify(r));
}

test("after sync the phone holds and shows only D001's projected jobs; logout leaves nothing", async () => {
  const server = await startSyncServer();
  const app = await startApp({ couch: server.couch });
  try {
    const { page, base } = app;
    await addJob(server, "J-1077", "C077", LATER, 3, "assigned");
    await addJob(server, "J-1078", "C078", DONE, 0, "completed");
    // The office holds everything; the relay gives D001's database both jobs, projected.
    const office = JSON.stringify((await server.asAdmin(`/${STORE_DB}/_all_docs?include_docs=true`)).body);
    for (const text of [...OTHERS.slice(0, 6), ...OUTSIDE]) assert.ok(office.includes(text), `the office's database lacks ${text}`);
    await until("the relay's J-1077 and J-1078 for D001", async () => {
      const ids = (await server.docs(WORKER_DB, "")).map((d) => d.id).join(" ");
      return ids.includes("J-1077") && ids.includes("J-1078");
    });

    const settings = new SettingsPage(page, base);
    const today = new TodayPage(page, base);
    await today.goto();
    await settings.goto();
    // The first pull, slowed down at the server's changes feed, shows its progress.
    const feed = `**/couch/${WORKER_DB}/_changes**`;
    await page.route(feed, async (route) => {
      await new Promise((ok) => setTimeout(ok, 2500));
      await route.continue().catch(() => {});
    });
    const out = await settings.login("D001", server.passwords.D001);
    assert.equal(out.kind, "in", out.text);
    const first = page.locator("[data-sync-first]");
    await first.waitFor({ timeout: 20000 });
    const total = (await server.asAdmin(`/${WORKER_DB}`)).body.doc_count;
    const [n, m] = (await first.getAttribute("data-sync-first")).split("/").map(Number);
    assert.equal(m, total, "of as many documents as the server holds");
    assert.ok(n <= m);
    assert.match(await first.textContent(), new RegExp(`^首次同步：已收到 ${n} / ${total} 条记录$`));
    await page.screenshot({ path: `${OUT}settings-first-sync-zh.png` });
    await settings.waitSynced();
    await settings.waitPending(0);
    await page.unroute(feed);
    assert.equal(await first.count(), 0, "the progress line goes once the pull is done");

    const stored = await indexedDbText(page);
    assert.ok(stored.includes("J-1077"), "D001's later job is on the phone");
    assert.ok(stored.includes("世纪大道 100 弄"), "D001's job of today shows its address");
    for (const text of [...OTHERS, ...OUTSIDE]) assert.ok(!stored.includes(text), `IndexedDB holds ${text}`);

    // Every page the phone can show: the lists and each of D001's jobs.
    let shown = "";
    await today.goto();
    shown += await page.locator("body").innerHTML();
    const job = new JobPage(page, base);
    for (const id of ["J-1001", "J-1002", "J-1004", "J-1006", "J-1007", "J-1077"]) {
      await job.goto(id);
      shown += await page.locator("body").innerHTML();
    }
    assert.ok(shown.includes("世纪大道 100 弄"), "the page shows today's address");
    for (const text of [...OTHERS, ...OUTSIDE]) assert.ok(!shown.includes(text), `the page shows ${text}`);

    // A conflict: order J-1001 with a second leaf beside the server's, as a replicator's
    // `new_edits=false` write leaves it (pouchdb-server drops replicated updates of existing
    // documents under a validation function, so it is written into the phone's store here).
    await job.goto("J-1002");
    assert.equal(await page.locator("[data-conflict]").count(), 0, "no note without a conflict");
    await addLeaf(page, "order:J-1001", "1-" + "0".repeat(31) + "1", (body) => ({ ...body, view: { ...body.view, special_requests: "另一版本" } }));
    await job.goto("J-1001");
    await page.locator("[data-conflict]").waitFor();
    assert.match(await page.locator("[data-conflict]").textContent(), /两个版本.*另一个仍保留/);
    // The winner by the rule (the server's revision: higher, or the larger id) is shown.
    assert.ok(!(await page.locator("body").textContent()).includes("另一版本"));
    await page.screenshot({ path: `${OUT}job-conflict-zh.png` });
    await job.goto("J-1002");
    assert.equal(await page.locator("[data-conflict]").count(), 0, "a job without a conflict says nothing");

    // Settings lists every document that holds two versions.
    await settings.goto();
    await page.locator('[data-sync-conflicts="1"]').waitFor();
    assert.deepEqual(await page.locator("[data-conflict-id]").evaluateAll((e) => e.map((x) => x.textContent)), ["order:J-1001"]);
    await page.screenshot({ path: `${OUT}settings-conflicts-zh.png` });
    const bye = await settings.logout();
    assert.equal(bye.kind, "out", bye.text);
    const after = await indexedDbText(page);
    for (const text of ["D001", "张秀英", "order:", "J-10", "陈女士", "世纪大道", "13900000001", server.passwords.D001]) {
      assert.ok(!after.includes(text), `after logout IndexedDB still holds ${text}`);
    }
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
    server.stop();
  }
});
