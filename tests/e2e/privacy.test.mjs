// What a worker's phone holds and shows comes from the core's privacy projection only:
// no other worker's jobs or phone numbers, no address outside its window. A damaged record
// shows as such without hiding the others; reset asks first and recovers.
import { test } from "node:test";
import assert from "node:assert/strict";
import { startApp, indexedDbText, rawDamage, OUT } from "./support.mjs";
import { TodayPage } from "./pages/today.mjs";
import { JobPage } from "./pages/job.mjs";
import { SettingsPage } from "./pages/settings.mjs";

// The demo's other workers' phones and the customers of jobs that are not D001's.
const NOT_FOR_D001 = ["13800000001", "13800000002", "13800000003", "13800000004", "孙阿姨", "13900000003", "漕溪北路", "周女士", "13900000004", "南京西路"];
// J-1007 is two days out: its customer appears only masked, unless another job of D001's
// (J-1002, today) shows the same customer.
const D001_OWN = ["世纪大道 100 弄", "13900000001"];

test("the device holds and shows only the worker's projected jobs", async () => {
  const app = await startApp();
  try {
    const today = new TodayPage(app.page, app.base);
    await today.goto();
    const job = new JobPage(app.page, app.base);
    for (const id of ["J-1001", "J-1002", "J-1004", "J-1006", "J-1007"]) await job.goto(id);
    const stored = await indexedDbText(app.page);
    for (const text of NOT_FOR_D001) assert.ok(!stored.includes(text), `IndexedDB holds ${text}`);
    for (const text of D001_OWN) assert.ok(stored.includes(text), `IndexedDB lacks D001's own ${text}`);
    // The list and the job page agree on the customer's name: the masked one for J-1007.
    await today.goto();
    assert.match(await app.page.locator('.ds-job-card[data-job="J-1001"]').textContent(), /陈女士/);
    await job.goto("J-1007");
    assert.match(await app.page.locator(".ds-job").textContent(), /赵\*\*/);

    // Another worker: the device's data is replaced, and it said so first.
    const settings = new SettingsPage(app.page, app.base);
    await settings.goto();
    await app.page.locator(".ds-select").selectOption("D003");
    await app.page.locator("[data-action=switch]").click();
    assert.match(await app.page.locator(".ds-confirm").textContent(), /清除本机所有数据/);
    await app.page.screenshot({ path: `${OUT}settings-switch-zh.png` });
    await app.page.locator("[data-action=confirm]").click();
    await app.page.locator('[data-device-worker="D003"]').waitFor();
    const after = await indexedDbText(app.page);
    for (const text of ["世纪大道", "张杨路", "锦绣路", "陈女士", "13900000001"]) assert.ok(!after.includes(text), `D001's ${text} left on the phone`);
    assert.ok(after.includes("漕溪北路"), "D003's own job is there");
    // A crew member who does not lead cannot record the day-before call.
    await settings.switchWorker("D002");
    await job.goto("J-1004");
    assert.equal(await job.primaryButton().count(), 0);
    assert.match(await app.page.locator("[data-leader-only]").textContent(), /组长/);
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});

test("a damaged record is shown in its place; reset asks, then recovers", async () => {
  const app = await startApp();
  try {
    const today = new TodayPage(app.page, app.base);
    await today.goto();
    await rawDamage(app.page, "order:J-1002");
    await today.goto();
    assert.deepEqual(await today.jobIds(0), ["J-1001"], "the other jobs still show");
    assert.match(await app.page.locator('[data-damaged="order:J-1002"]').textContent(), /已损坏/);
    await app.page.screenshot({ path: `${OUT}today-damaged.png` });
    const job = new JobPage(app.page, app.base);
    await job.goto("J-1001");
    assert.equal(await job.title(), "日常保洁");

    const settings = new SettingsPage(app.page, app.base);
    await settings.goto();
    await app.page.locator("[data-action=reset]").click();
    await app.page.locator("[data-action=cancel]").click();
    assert.equal(await app.page.locator(".ds-confirm").count(), 0, "cancel changes nothing");
    await settings.reset();
    await today.goto();
    assert.deepEqual(await today.jobIds(0), ["J-1001", "J-1002"]);
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});
