// A full phone: writes fail with a plain message, nothing typed or stored is lost, and the
// same action works once there is room again. Chromium's own quota machinery is used
// (`Storage.overrideQuotaForOrigin`); it applies to IndexedDB from the next time the
// origin's database files are opened, which Chromium does 2 s after the last page of the
// origin has gone.
import { test } from "node:test";
import assert from "node:assert/strict";
import { startApp, OUT } from "./support.mjs";
import { TodayPage } from "./pages/today.mjs";
import { JobPage } from "./pages/job.mjs";

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
