// A full phone: writes fail with a plain message, nothing typed or stored is lost (the
// customer's signature included), and the same action works once there is room again.
// Chromium's own quota machinery is used (`Storage.overrideQuotaForOrigin`); it applies to
// IndexedDB from the next time the origin's database files are opened, which Chromium does
// 2 s after the last page of the origin has gone.
import { test } from "node:test";
import assert from "node:assert/strict";
import { startApp, OUT } from "./support.mjs";
import { TodayPage } from "./pages/today.mjs";
import { JobPage } from "./pages/job.mjs";
import { SettingsPage } from "./pages/settings.mjs";
import { VisitPage } from "./pages/visit.mjs";
import { AcceptPage, CustomerPage } from "./pages/accept.mjs";

// The override lasts as long as the DevTools session that set it: one per app, kept open.
const sessions = new WeakMap();

async function setQuota(app, quotaSize) {
  if (!sessions.has(app)) sessions.set(app, await app.context.newCDPSession(app.page));
  const cdp = sessions.get(app);
  await cdp.send("Storage.overrideQuotaForOrigin", quotaSize === undefined ? { origin: app.base } : { origin: app.base, quotaSize });
  // Leave the origin long enough for Chromium to close its database files.
  await app.page.goto("about:blank");
  await new Promise((ok) => setTimeout(ok, 3000));
}

test("phone full on the first run: a clear message, then the app loads once there is room", async () => {
  const app = await startApp();
  try {
    await app.page.goto("about:blank");
    await setQuota(app, 1);
    const today = new TodayPage(app.page, app.base);
    await app.page.goto(app.base + "/");
    const error = app.page.locator(".ds-error").first();
    await error.waitFor();
    assert.match(await error.textContent(), /存储空间已满/);
    await setQuota(app, undefined);
    await today.goto();
    assert.ok((await today.jobIds(0)).length > 0, "the demo jobs are there");
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});

test("phone full while confirming a job: clear error, the note is kept, saving works after", async () => {
  const app = await startApp();
  try {
    const today = new TodayPage(app.page, app.base);
    await today.goto();
    const job = new JobPage(app.page, app.base);
    await setQuota(app, 1);
    await job.goto("J-1001");
    assert.equal(await job.status(), "Assigned");
    const note = "客户说钥匙在门卫处";
    await job.noteInput().fill(note);
    await job.primaryButton().click();
    const error = app.page.locator(".ds-actions .ds-error");
    await error.waitFor();
    assert.match(await error.textContent(), /存储空间已满/);
    await app.page.screenshot({ path: `${OUT}job-quota-zh.png` });
    assert.equal(await job.status(), "Assigned", "nothing half-saved");
    assert.equal(await job.noteInput().inputValue(), note, "what the worker typed is still there");
    assert.equal(await job.primaryButton().isDisabled(), false, "the worker can try again");

    // Room again: the confirmation saves and survives a reload.
    await setQuota(app, undefined);
    await job.goto("J-1001");
    await job.confirm(note);
    await app.page.reload();
    await job.loaded();
    assert.equal(await job.status(), "Confirmed");
    assert.ok((await job.confirmation()).includes(note));
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});

test("phone full at the customer's signature: error at once, the signed draft kept, sealed once there is room", { timeout: 240_000 }, async () => {
  const app = await startApp();
  try {
    await new TodayPage(app.page, app.base).goto();
    const settings = new SettingsPage(app.page, app.base);
    await settings.goto();
    assert.equal(await settings.setPin("480275"), "PIN 已保存");
    assert.equal(await settings.setPin("135792", "135792", "team_supervisor"), "PIN 已保存");
    assert.equal(await settings.setPin("246813", "246813", "office_supervisor"), "PIN 已保存");
    const accept = new AcceptPage(app.page, app.base);
    const customer = new CustomerPage(app.page, app.base);
    await new VisitPage(app.page, app.base).toAcceptance("J-1001");
    await accept.goto("J-1001");
    await accept.staffSignOffs(["张主管", "135792"], ["李主管", "246813"]);
    await accept.handOver();
    await customer.loaded();
    await customer.fill({ name: "王女士", remarks: "很干净", score: 5 });
    await customer.sign();

    // The phone fills up while the customer signs.
    await setQuota(app, 1);
    await app.page.goto(`${app.base}/job/J-1001/customer`);
    await customer.loaded();
    assert.equal(await customer.strokes(), "1", "the signature drawn before survives");
    const t0 = Date.now();
    await app.page.locator('[data-action="customer-pass"]').click();
    const error = app.page.locator("[data-customer-mode] .ds-error", { hasText: "存储空间已满" });
    await error.waitFor({ timeout: 10_000 });
    assert.ok(Date.now() - t0 < 10_000, "the error shows at once, nothing hangs");
    await app.page.screenshot({ path: `${OUT}customer-quota-zh.png` });
    assert.equal(await app.page.locator("[data-customer-done]").count(), 0, "nothing claimed as signed");
    assert.equal(await customer.strokes(), "1", "the signature is still on the pad");
    assert.equal(await customer.score(), "Some(5)");
    assert.equal(await app.page.locator('[data-action="customer-pass"]').isDisabled(), false, "the customer can try again");

    // Room again: the same signature seals the record, intact after a reload.
    await setQuota(app, undefined);
    await app.page.goto(`${app.base}/job/J-1001/customer`);
    await customer.loaded();
    assert.equal(await customer.strokes(), "1");
    await customer.satisfied();
    assert.equal(await customer.leave("480275"), "/job/J-1001/sign");
    await app.page.reload();
    await app.page.locator('[data-accept="accepted"]').waitFor();
    assert.deepEqual(await accept.records().evaluateAll((r) => r.map((e) => e.dataset.verified)), ["ok"]);
    assert.equal(await app.page.locator('[data-record] [data-signoff="Customer"] [data-record-score]').getAttribute("data-record-score"), "5");
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});
