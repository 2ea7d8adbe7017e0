// A panic shows a plain crash screen with "reload", is kept in the device's error log, and
// loses nothing already saved.
import { test } from "node:test";
import assert from "node:assert/strict";
import { startApp, OUT } from "./support.mjs";
import { JobPage } from "./pages/job.mjs";
import { SettingsPage } from "./pages/settings.mjs";

test("a panic shows the crash screen; reload brings the app and the saved note back", async () => {
  const app = await startApp();
  try {
    const job = new JobPage(app.page, app.base);
    await job.goto("J-1001");
    await job.confirm("崩溃前保存的备注");
    await app.page.evaluate(() => setTimeout(() => window.doorstepTestPanic(), 0));
    const crash = app.page.locator("#ds-crash");
    await crash.waitFor();
    assert.match(await crash.textContent(), /应用出错了/);
    await app.page.screenshot({ path: `${OUT}crash-zh.png` });
    await crash.locator("button").click();
    await job.loaded();
    assert.match(await job.confirmation(), /崩溃前保存的备注/);

    const settings = new SettingsPage(app.page, app.base);
    await settings.goto();
    const log = settings.errorLog();
    assert.equal(await log.getAttribute("data-errors"), "1", "the trap the panic ends in");
    assert.match(await log.textContent(), /RuntimeError: unreachable/);
    // The panic's own errors are expected here; nothing else went wrong.
    assert.deepEqual(app.errors.filter((e) => !/unreachable/.test(e)), []);
  } finally {
    await app.close();
  }
});
