// The office's browser and a worker's phone, two browsers on one real sync server set up as
// `make run` does (pouchdb-server, accounts, the relay): a worker's badge cannot open the
// office's board; the office sees the step the worker recorded once both have synced; a
// note the office writes for the crew reaches the worker's phone, shown as text.
import { test } from "node:test";
import assert from "node:assert/strict";
import { startApp, indexedDbText, until, OUT } from "./support.mjs";
import { startSyncServer, STORE_DB } from "./sync-server.mjs";
import { SettingsPage } from "./pages/settings.mjs";
import { JobPage } from "./pages/job.mjs";
import { OfficePage } from "./pages/office.mjs";

test("the office and a worker's phone see each other's records after sync", async (t) => {
  const server = await startSyncServer();
  const phone = await startApp({ couch: server.couch });
  const desk = await startApp({ couch: server.couch });
  try {
    await until("the relay's orders for D001", async () => (await server.docs("doorstep-w-d001", "order:")).length > 0);
    const settings = new SettingsPage(phone.page, phone.base);
    const job = new JobPage(phone.page, phone.base);
    const office = new OfficePage(desk.page, desk.base);
    const call = "电话确认：明早九点到，门卫处登记";

    await t.test("the worker records a step and syncs it", async () => {
      await settings.goto();
      const out = await settings.login("D001", server.passwords.D001);
      assert.equal(out.kind, "in", out.text);
      await settings.waitSynced();
      await job.goto("J-1001");
      await job.confirm(call);
      await settings.goto();
      await settings.syncNow();
      await settings.waitPending(0);
      // The relay copies it to the store's database.
      await until("the step in " + STORE_DB, async () => (await server.docs(STORE_DB, "step:J-1001:")).length > 0);
    });

    await t.test("a worker's badge cannot open the office's board", async () => {
      await office.goto();
      const out = await office.login("D001", server.passwords.D001);
      assert.equal(out.kind, "error");
      assert.match(out.text, /不是门店账号/);
      assert.equal(await desk.page.locator("[data-office-job]").count(), 0);
      // The office's browser keeps its own database; a worker's is neither opened nor seeded.
      const dbs = await desk.page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name));
      assert.deepEqual(dbs, ["doorstep-office"]);
    });

    await t.test("the office sees the worker's step after sync", async () => {
      const out = await office.login("office", server.passwords.office);
      assert.equal(out.kind, "in", out.text);
      await office.job("J-1001").waitFor({ timeout: 30000 });
      const card = office.job("J-1001");
      await card.locator(".ds-log__item", { hasText: call }).waitFor({ timeout: 30000 });
      assert.match(await card.locator("[data-office-crew]").textContent(), /D001/);
      assert.equal(await card.locator(".ds-chip").getAttribute("data-status"), "Confirmed", "the call moved the job on");
      // Jobs are grouped by the day they start on, in order, each day with its count.
      const days = await desk.page.locator("[data-office-day]").evaluateAll((els) =>
        els.map((e) => ({ day: e.dataset.officeDay, count: Number(e.querySelector(".ds-day__count").textContent), cards: e.querySelectorAll("[data-office-job]").length })),
      );
      assert.ok(days.length >= 1);
      assert.deepEqual(days.map((d) => d.day), [...days.map((d) => d.day)].sort());
      for (const d of days) assert.equal(d.count, d.cards, d.day);
      // The office holds every job of the store, other workers' too.
      assert.ok((await desk.page.locator("[data-office-job]").count()) > (await server.docs("doorstep-w-d001", "order:")).length);
    });

    await t.test("a note from the office reaches the worker's phone, as text", async () => {
      const note = "请带鞋套 <b>家中有婴儿</b> <img src=x onerror=alert(1)>";
      // Written with the network down: saved, counted as waiting, and it keeps the office
      // logged in until it is pushed.
      await desk.context.setOffline(true);
      await office.writeNote("J-1001", note);
      await office.waitPending(1);
      await office.logout();
      const refusal = desk.page.locator('[data-office-outcome="error"]');
      await refusal.waitFor();
      assert.match(await refusal.textContent(), /还有 1 条记录未上传，上传后才能退出登录/);
      assert.equal(await desk.page.locator("[data-office-login]").count(), 0);
      await desk.context.setOffline(false);
      await office.waitPending(0);
      const onBoard = office.job("J-1001").locator("[data-office-note] .ds-user-text", { hasText: "家中有婴儿" });
      await onBoard.waitFor();
      assert.equal(await onBoard.textContent(), note);
      await desk.page.screenshot({ path: `${OUT}office-board.png` });
      // The relay projects it into D001's order; the phone pulls it.
      await until("the note on the phone", async () => {
        await settings.goto();
        await settings.syncNow();
        await settings.waitSynced();
        return (await indexedDbText(phone.page)).includes("家中有婴儿");
      });
      await job.goto("J-1001");
      const shown = phone.page.locator(".ds-job .ds-user-text", { hasText: "家中有婴儿" });
      assert.equal(await shown.textContent(), note, "shown as the office typed it");
      assert.equal(await phone.page.locator(".ds-job b, .ds-job img").count(), 0, "no markup from a customer field");
    });

    await t.test("the office logs out", async () => {
      await office.logout();
      await desk.page.locator("[data-office-login]").waitFor();
      assert.equal(await desk.page.locator("[data-office-job]").count(), 0);
    });
    assert.deepEqual(phone.errors, []);
    assert.deepEqual(desk.errors, []);
  } finally {
    await phone.close();
    await desk.close();
    server.stop();
  }
});
