// First load, cut the network, reload: the app and the worker's jobs still come up, read
// from the service worker's cache and IndexedDB.
import { test } from "node:test";
import assert from "node:assert/strict";
import { startApp, waitForServiceWorker, smallTapTargets, OUT } from "./support.mjs";
import { TodayPage } from "./pages/today.mjs";
import { JobPage } from "./pages/job.mjs";

test("today list in Chinese, then offline reload still shows it", async () => {
  const app = await startApp();
  try {
    const today = new TodayPage(app.page, app.base);
    await today.goto();
    assert.equal(await today.heading(), "我的工单");
    const titles = await today.dayTitles();
    assert.match(titles[0], /^今天 · \d+月\d+日 周./);
    assert.match(titles[1], /^明天 · /);
    // Worker D001's demo jobs: two today, two tomorrow, by start time.
    assert.deepEqual(await today.jobIds(0), ["J-1001", "J-1002"]);
    assert.deepEqual(await today.jobIds(1), ["J-1006", "J-1004"]);
    assert.deepEqual(await smallTapTargets(app.page), []);
    await app.page.screenshot({ path: `${OUT}today-zh.png` });
    await waitForServiceWorker(app.page);

    await app.goOffline();
    await app.page.reload();
    await today.loaded();
    assert.deepEqual(await today.jobIds(0), ["J-1001", "J-1002"]);
    await app.page.locator(".ds-offline").waitFor();
    await app.page.screenshot({ path: `${OUT}today-offline.png` });

    // A deep link works offline too (the service worker serves the app shell).
    const job = new JobPage(app.page, app.base);
    await job.goto("J-1002");
    assert.equal(await job.title(), "擦玻璃");
    assert.match(await job.address(), /张杨路 88 弄/);
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});
